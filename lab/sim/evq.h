/* evq: the simulator's event queue. Events are ordered by (time, sequence
 * number), so two events at the same instant run in the order they were
 * scheduled and a run never depends on heap layout or pointer values.
 * Cancelling marks an event; it is skipped and freed when it reaches the
 * top, so a callback may cancel any event, even the one running. */
#ifndef QL_EVQ_H
#define QL_EVQ_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct evq evq;
typedef uint64_t evq_id;            /* 0 is never a valid id */
typedef void (*evq_fn)(void *ctx, uint64_t arg);

typedef struct evq_event {
    uint64_t at_us;                 /* when it fires (simulated) */
    evq_fn fn;                      /* what to call */
    void *ctx;                      /* its first argument */
    uint64_t arg;                   /* its second argument */
    evq_id id;                      /* the id evq_push returned */
} evq_event;

evq *evq_new(void);
void evq_free(evq *q);              /* evq_free(NULL) is a no-op */

/* Schedules fn(ctx, arg) at at_us. Returns an id for evq_cancel. */
evq_id evq_push(evq *q, uint64_t at_us, evq_fn fn, void *ctx, uint64_t arg);

/* Cancels a pending event. Returns false when it already ran, was
 * cancelled before, or never existed; that is not an error. */
bool evq_cancel(evq *q, evq_id id);

/* Is the event still pending? */
bool evq_pending(const evq *q, evq_id id);

/* Removes the earliest live event into *out. False when none is left. */
bool evq_pop(evq *q, evq_event *out);

/* Time of the earliest live event; false when the queue is empty. */
bool evq_peek_time(evq *q, uint64_t *at_us);

size_t evq_len(const evq *q);       /* live events */

/* A hint, no effect on order: asks the memory for what the next pops
 * will read (the top event's context, the slots of the events after it)
 * while the caller runs the event it just popped. The top event's fn,
 * ctx and arg go to *next (its slot was asked for one pop earlier), so
 * the caller can ask for what that event will read; false when the queue
 * is empty (*next untouched). The top may be a cancelled event. */
bool evq_prefetch(const evq *q, evq_event *next);
/* The event after the top, as far as the near heap tells (the earliest
 * of the top's children: their slots were asked for one pop ago) into
 * *second, its context asked for: a hint for the caller to read ahead
 * two events. False when the near heap holds no second event (a later
 * one may still come: only the cost depends on it). */
bool evq_prefetch_second(const evq *q, evq_event *second);

/* Moves the next sequence number forward to seq (never back): lets a test
 * reach the point where the 32-bit numbers are renumbered before they
 * wrap, which a run reaches after four billion events. */
void evq_seq_skip(evq *q, uint32_t seq);

#endif
