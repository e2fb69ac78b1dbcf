/* speed: the simulation speeds the dashboard's + and - step through, and
 * the pacer that slows the screen down around the moments that matter
 * and speeds it up through the waits (see speed.h). */
#include <string.h>

#include "app.h"
#include "speed.h"

#define LEAD_US 500000          /* slow down this long before a deadline */

static const double speeds[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100,
                                 200, 500, 1000 };

double viz_speed_step(double speed, int dir)
{
    int n = (int)(sizeof speeds / sizeof speeds[0]);
    if (dir > 0) {
        for (int i = 0; i < n; i++) if (speeds[i] > speed * 1.001) return speeds[i];
        return speeds[n - 1];
    }
    for (int i = n - 1; i >= 0; i--) if (speeds[i] < speed * 0.999) return speeds[i];
    return speeds[0];
}

/* A moment that repeats this long with no outcome (a minority's
 * elections, tried again and again) stops slowing the screen down. */
#define STRETCH_MAX_US 6000000
#define STRETCH_GAP_US 5000000  /* this long without it ends a stretch */

/* A moment on from at_us for hold_us of simulated time: at the slow pace
 * 1 s of it is 2 s on screen. An outcome (an election won) ends a
 * stretch, as does a moment of another kind. */
static void moment(viz_pacer *p, uint64_t at_us, uint64_t hold_us, const char *what,
                   bool outcome)
{
    bool same = p->stretch && strcmp(p->stretch, what) == 0 &&
                at_us - p->stretch_last_us <= STRETCH_GAP_US;
    p->stretch_last_us = at_us;
    if (outcome || !same) {
        p->stretch = what;
        p->stretch_us = at_us;
        p->muted = NULL;
    } else if (p->muted) {
        return;
    } else if (at_us - p->stretch_us > STRETCH_MAX_US) {
        p->muted = what;
        return;
    }
    if (at_us >= p->slow_until_us) p->began = true;
    p->moment = what;           /* the latest thing happening names it */
    if (at_us + hold_us > p->slow_until_us) p->slow_until_us = at_us + hold_us;
}

void viz_pacer_event(viz_pacer *p, const trace_event *ev)
{
    switch (ev->kind) {
    case TR_ROLE:       /* a server goes LOOKING: an election starts */
        if (ev->code == TROLE_LOOKING) moment(p, ev->at_us, 1000000, "election", false);
        else moment(p, ev->at_us, 400000, "election", false);
        break;
    case TR_ELECTION: moment(p, ev->at_us, 600000, "election", true); break;
    case TR_SYNC:       /* a server's own start-up load is no moment */
        if (ev->code != TSYNC_LOAD) moment(p, ev->at_us, 400000, "sync with the leader", false);
        break;
    case TR_SESSION_EXPIRE: moment(p, ev->at_us, 1000000, "session expiry", false); break;
    case TR_CONTROLLER: moment(p, ev->at_us, 800000, "controller election", false); break;
    case TR_LEADER: moment(p, ev->at_us, 800000, "partition leader change", false); break;
    case TR_ISR: moment(p, ev->at_us, 500000, "ISR change", false); break;
    default: break;
    }
}

void viz_pacer_yield(viz_pacer *p, uint64_t now_us)
{
    if (p->slow_until_us > now_us) p->slow_until_us = now_us;
    p->moment = NULL;
    p->began = false;
}

bool viz_pacer_began(viz_pacer *p)
{
    bool b = p->began;
    p->began = false;
    return b;
}

viz_pace viz_pacer_pace(viz_pacer *p, double speed, uint64_t now_us,
                        uint64_t deadline_us, const char *deadline_what)
{
    viz_pace r = { speed, NULL, false, UINT64_MAX };
    if (p->off || speed > VIZ_PACE_MAX_SPEED) return r;
    bool near = deadline_us && deadline_us <= now_us + LEAD_US;
    if (now_us < p->slow_until_us || near) {
        if (speed > VIZ_PACE_SLOW) {
            r.pace = VIZ_PACE_SLOW;
            r.slow = true;
            r.why = now_us < p->slow_until_us ? p->moment : deadline_what;
        }
        /* a deadline's moment lasts until its event (which starts its own) */
        r.until_us = now_us < p->slow_until_us ? p->slow_until_us : deadline_us + 1;
        return r;
    }
    if (deadline_us) {
        /* nothing but a wait: let it take about VIZ_PACE_WAIT_S seconds,
         * at a pace fixed when it began (one recomputed as the wait
         * shrinks would never arrive) */
        if (p->wait_deadline_us != deadline_us || p->wait_speed != speed) {
            double wait_s = (double)(deadline_us - LEAD_US - now_us) / 1e6;
            p->wait_deadline_us = deadline_us;
            p->wait_speed = speed;
            p->wait_pace = wait_s / speed > VIZ_PACE_WAIT_S ? wait_s / VIZ_PACE_WAIT_S : 0;
        }
        if (p->wait_pace > speed) {
            r.pace = p->wait_pace;
            r.why = deadline_what;
        }
        r.until_us = deadline_us - LEAD_US;
    }
    return r;
}
