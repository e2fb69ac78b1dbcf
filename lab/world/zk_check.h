/* zk_check: the ensemble's invariant checker. It watches only the trace
 * (roles, commits, applies, syncs), never a server's memory, and checks:
 * at most one leader per epoch; every server applies committed txns in
 * zxid order with the digest the leader committed, skipping none; a new
 * leader's history reaches every committed zxid. On a violation it emits
 * TR_VIOLATION and halts the simulation. */
#ifndef QL_ZK_CHECK_H
#define QL_ZK_CHECK_H

#include <stdint.h>
#include "sim.h"

typedef struct zk_checker zk_checker;

/* Starts watching s's trace. */
zk_checker *zk_checker_new(sim *s);
void zk_checker_free(zk_checker *c);    /* stops watching; NULL is a no-op */
/* Feeds one event by hand (the listener does this for live runs). */
void zk_checker_feed(zk_checker *c, const trace_event *ev);
int zk_checker_violations(const zk_checker *c);
/* The first violation's message, "" when none. */
const char *zk_checker_first(const zk_checker *c);

#endif
