/* raft_check: Raft's own safety properties in a KRaft world, checked from
 * the trace alone, apart from the code they check: at most one leader per
 * epoch (ElectionState's promise), and the committed metadata log never
 * diverges between nodes (controllers and observers alike: whatever a
 * node has committed is a prefix of one log). A violation is a
 * TR_VIOLATION event and halts the world, as zk_check's. */
#ifndef QL_RAFT_CHECK_H
#define QL_RAFT_CHECK_H
#include "sim.h"

typedef struct raft_checker raft_checker;

raft_checker *raft_checker_new(sim *s);     /* listens to the world's trace */
void raft_checker_free(raft_checker *c);    /* NULL is a no-op */
/* Feeds one event (the listener does; tests may feed by hand). */
void raft_checker_feed(raft_checker *c, const trace_event *ev);
int raft_checker_violations(const raft_checker *c);
const char *raft_checker_first(const raft_checker *c);  /* "" when none */

#endif
