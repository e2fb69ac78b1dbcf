/* timers: the countdowns of the world's own timers (cluster_timers), one
 * line each under the placement grid: what will happen, when, and which
 * setting decides it, so a learner waiting for a session to expire sees
 * the seconds go. The numbers are the lab's deadlines, not estimates. */
#include "layout.h"
#include "text.h"
#include "words.h"

#include <inttypes.h>
#include <stdio.h>

#define TIMERS_SHOWN 3          /* lines at most; the soonest first */

static void seconds(const char *lang, uint64_t at_us, uint64_t now_us, char *out, size_t cap)
{
    uint64_t left = at_us > now_us ? at_us - now_us : 0;
    viz_secs(lang, (double)left / 1e6, out, cap);
}

/* terse 0: every word; 1: without "(+2 more)"; 2: without the setting */
static void timer_text(const viz_snap *s, const cluster_timer *t, int terse, char *out,
                       size_t cap)
{
    char in[24], who[24] = "", more[32] = "";
    seconds(s->lang, t->at_us, s->now_us, in, sizeof in);
    switch (t->kind) {
    case CT_SESSION_EXPIRE:
        if (t->subject >= 0) snprintf(who, sizeof who, " (%d)", t->subject);
        /* a session id is the server's id in the top byte, then its
         * start time and a counter: the ends tell a lab's sessions apart */
        snprintf(out, cap, viz_tr(s->lang, "session 0x%" PRIx64 "…%02" PRIx64 "%s expires in %s"),
                 (uint64_t)t->session >> 56, (uint64_t)t->session & 0xff, who, in);
        break;
    case CT_LEADER_QUORUM:
        snprintf(out, cap, viz_tr(s->lang, terse < 2 ? "zk%d stops leading in %s (syncLimit)"
                                                     : "zk%d stops leading in %s"),
                 t->sid, in);
        break;
    case CT_LEADER_SILENT:
        snprintf(out, cap, viz_tr(s->lang, terse < 2
                                           ? "zk%d gives up on leader zk%d in %s (syncLimit)"
                                           : "zk%d gives up on leader zk%d in %s"),
                 t->sid, t->subject, in);
        break;
    case CT_ISR_LEAVE:
        if (t->count > 1 && terse < 1)
            snprintf(more, sizeof more, viz_tr(s->lang, " (+%d more)"), t->count - 1);
        snprintf(out, cap, viz_tr(s->lang, terse < 2 ? "%d leaves the ISR of %s-%d%s in %s "
                                                       "(replica.lag.time.max.ms)"
                                                     : "%d leaves the ISR of %s-%d%s in %s"),
                 t->subject, t->topic, t->p, more, in);
        break;
    case CT_RAFT_FETCH:     /* FollowerState's fetch timer */
        snprintf(out, cap, viz_tr(s->lang, terse < 2
                                           ? "ctl%d gives up on leader ctl%d in %s (quorum.fetch.timeout.ms)"
                                           : "ctl%d gives up on leader ctl%d in %s"),
                 t->sid, t->subject, in);
        break;
    case CT_RAFT_ELECTION:
        if (t->subject == 1)
            snprintf(out, cap, viz_tr(s->lang, terse < 2
                                               ? "ctl%d's election times out in %s (quorum.election.timeout.ms)"
                                               : "ctl%d's election times out in %s"),
                     t->sid, in);
        else
            snprintf(out, cap, viz_tr(s->lang, terse < 2
                                               ? "ctl%d stands for election in %s (quorum.election.timeout.ms)"
                                               : "ctl%d stands for election in %s"),
                     t->sid, in);
        break;
    case CT_RAFT_BACKOFF:
        snprintf(out, cap, viz_tr(s->lang, terse < 2
                                           ? "ctl%d stands again in %s (quorum.election.backoff.max.ms)"
                                           : "ctl%d stands again in %s"),
                 t->sid, in);
        break;
    case CT_BROKER_FENCE:   /* BrokerHeartbeatManager's session */
        snprintf(out, cap, viz_tr(s->lang, terse < 2
                                           ? "ctl%d fences %d in %s (broker.session.timeout.ms)"
                                           : "ctl%d fences %d in %s"),
                 t->sid, t->subject, in);
        break;
    case CT_FETCH_GIVE_UP:  /* the replica fetcher's request timeout */
        if (t->count > 1 && terse < 1)
            snprintf(more, sizeof more, viz_tr(s->lang, " (+%d more)"), t->count - 1);
        snprintf(out, cap, viz_tr(s->lang, terse < 2
                                           ? "%d gives up its unanswered fetch from %d%s in %s (request.timeout.ms)"
                                           : "%d gives up its fetch from %d%s in %s"),
                 t->sid, t->subject, more, in);
        break;
    case CT_RAFT_CHECK:     /* LeaderState's check-quorum timer */
        snprintf(out, cap, viz_tr(s->lang, terse < 2
                                           ? "ctl%d resigns in %s: no fetch from a majority (quorum.fetch.timeout.ms x1.5)"
                                           : "ctl%d resigns in %s"),
                 t->sid, in);
        break;
    }
}

void viz_timer_text(const viz_snap *s, const cluster_timer *t, int width, char *out,
                    size_t cap)
{
    for (int terse = 0; terse < 3; terse++) {
        timer_text(s, t, terse, out, cap);
        if (text_width(out) <= width) return;
    }
}

int viz_timers_rows(const viz_snap *s)
{
    return s->ntimers < TIMERS_SHOWN ? s->ntimers : TIMERS_SHOWN;
}

void viz_panel_timers(const viz_snap *s, viz_frame *f, viz_rect r)
{
    for (int i = 0; i < r.h && i < s->ntimers; i++) {
        char line[200];
        viz_timer_text(s, &s->timers[i], r.w - 3, line, sizeof line);
        int col = viz_frame_put(f, r.y + i, r.x + 1, r.x + r.w, VR_WARN, "» ");
        viz_frame_put(f, r.y + i, col, r.x + r.w, VR_WARN, line);
    }
}
