/* speed: the speeds + and - step through, and the dashboard's own pacing
 * (the pacer): slow motion around the moments that matter (an election,
 * a sync, a session expiry, a leader failover), fast through a long wait
 * for a timer, so a learner at the default speed sees the moments and
 * does not sit through the waits. Pure: trace events and times in, a pace
 * out; app.c maps it onto wall time. */
#ifndef QL_VIZ_SPEED_H
#define QL_VIZ_SPEED_H

#include <stdbool.h>
#include <stdint.h>
#include "trace.h"

#define VIZ_PACE_SLOW 0.5       /* the pace of a moment (simulated s per s) */
#define VIZ_PACE_WAIT_S 3       /* a wait for a timer takes about this long */
#define VIZ_PACE_MAX_SPEED 10   /* above the default speed the learner asked
                                   to go fast: the pacer leaves it alone */

typedef struct viz_pacer {
    bool off;                   /* the learner turned it off (z) */
    uint64_t slow_until_us;     /* a moment is on until then (simulated) */
    const char *moment;         /* what it is, English (viz_tr translates) */
    bool began;                 /* a moment began since viz_pacer_began */
    const char *stretch;        /* the moment slowed for since stretch_us, */
    uint64_t stretch_us;        /* with no outcome and no other moment, */
    uint64_t stretch_last_us;   /* last seen then */
    const char *muted;          /* a stretch past STRETCH_MAX_US: this
                                   moment no longer slows the screen */
    uint64_t wait_deadline_us;  /* the wait being sped through, its pace */
    double wait_speed, wait_pace;
} viz_pacer;

/* What a pace is and why, for the header. */
typedef struct viz_pace {
    double pace;                /* simulated seconds per wall second */
    const char *why;            /* the moment ("election"), or the deadline
                                   waited for; NULL: the speed as set */
    bool slow;                  /* slower than the speed (else faster) */
    uint64_t until_us;          /* ask again at this simulated time at the
                                   latest (UINT64_MAX: no need) */
} viz_pace;

/* Notes a trace event: the moments begin (or go on) with these. */
void viz_pacer_event(viz_pacer *p, const trace_event *ev);
/* True once since the last call when a moment began: the caller's
 * stretch of time at the old pace must stop there. */
bool viz_pacer_began(viz_pacer *p);
/* A lesson's own slow motion (lab.slow) takes the pace at now_us: the
 * moments that began before it are over, so once it ends the header
 * does not name one of them ("election" after a write, the election's
 * hold outliving it). Moments from later events slow the screen again. */
void viz_pacer_yield(viz_pacer *p, uint64_t now_us);
/* The pace for the learner's speed at simulated time now, given the
 * soonest countdown's deadline (0: none) and what it is. */
viz_pace viz_pacer_pace(viz_pacer *p, double speed, uint64_t now_us,
                        uint64_t deadline_us, const char *deadline_what);

#endif
