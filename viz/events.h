/* events: the dashboard's event log. Notable trace events (role changes,
 * elections, faults, sessions, watches, Kafka leadership, lost writes) are
 * turned into words as they happen and kept in a small ring; message
 * traffic is left out. Repeats of the same line are folded into a count
 * so a flood of identical events cannot push everything else away. */
#ifndef QL_VIZ_EVENTS_H
#define QL_VIZ_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "theme.h"
#include "sim.h"
#include "trace.h"

typedef struct viz_event {
    uint64_t at_us;     /* simulated time of the (last) occurrence */
    viz_role role;      /* how it stands out */
    int repeat;         /* 1, or how many identical lines it stands for */
    char text[512];     /* the words (a lesson's narration too), cut with "…" */
} viz_event;

/* Words for one trace event in lang ("ko" or else English). node and
 * peer are the names of ev->node and ev->peer (NULL or "-" when none).
 * Returns false for events the log leaves out. */
bool viz_event_words(const trace_event *ev, const char *node, const char *peer,
                     const char *lang, char *out, size_t cap, viz_role *role);
/* events_ko.c: the Korean words for an event the log keeps; false when
 * its text has a shape it does not know (the English then stands). n and
 * p are names, "" when none. */
bool viz_event_words_ko(const trace_event *ev, const char *n, const char *p,
                        char *out, size_t cap);

typedef struct viz_events viz_events;

viz_events *viz_events_new(int capacity);
void viz_events_free(viz_events *e);    /* NULL is a no-op */
/* The language of the lines offered from now on ("ko", else English);
 * the string must outlive e. */
void viz_events_set_lang(viz_events *e, const char *lang);
/* True for a line every server writes for itself (an election's end), so
 * that its repeat count is a number of servers, not of occurrences. */
bool viz_event_per_server(const char *text);
/* A KRaft broker's Raft state: it is an observer (node names of brokers
 * are their ids, digits), which QuorumState keeps in UnattachedState (no
 * leader known) or FollowerState (fetching from the leader), never a
 * voter's states. Returns the state word's length ("Unattached" 10,
 * "Follower" 8), 0 when the text is neither or the node no broker. */
int viz_ev_observer(const char *node, const char *text);
/* Adds one line (or bumps the repeat count of an identical last line). */
void viz_events_add(viz_events *e, uint64_t at_us, viz_role role,
                    const char *text);
/* Offers a trace event; node names come from s (may be NULL). */
void viz_events_offer(viz_events *e, const sim *s, const trace_event *ev);
int viz_events_count(const viz_events *e);
const viz_event *viz_events_get(const viz_events *e, int i); /* 0 = oldest */

#endif
