/* lesson: a lesson script run in the dashboard. The script runs as it
 * does headless; the controller's run loop calls lesson_drive before each
 * stretch of simulated time, and that is where the screen lives: it paces
 * the world against wall time, draws, and handles the keys. A step is
 * what one lab.say starts: at each one the lesson waits for n (the world
 * holds still, the learner may read and act); b replays the script from
 * its seed, at full speed and unseen, to the previous step. */
#include "app_int.h"
#include "words.h"

#include "curses_wrap.h"
#include <stdio.h>
#include <string.h>

#define SKIP_DRAW_MS 100        /* frames while n fast-forwards */

/* Holds the script until the learner presses n (or b, or q): for a step
 * that ends without simulated time passing, the next lab.say would
 * otherwise replace it at once. */
static void wait_step(app *a)
{
    while (a->snap.step_wait && !a->abort && !a->quit) {
        app_follow_world(a);
        if (a->dirty || app_wall_ms() - a->drawn_ms >= FRAME_MS) app_draw(a);
        app_keys(a, FRAME_MS);
    }
}

void lesson_on_say(app *a, const char *text)
{
    viz_snap *s = &a->snap;
    if (!a->replaying) wait_step(a);
    s->step++;
    snprintf(s->lesson, sizeof s->lesson, "%s", text);
    s->nchecks = 0;
    a->skip = false;
    if (a->replaying && s->step >= a->target) a->replaying = false;
    /* the first line titles the lesson: nothing to wait for yet */
    s->step_wait = !a->replaying && s->step > 1;
    a->dirty = true;
}

void lesson_on_check(app *a, bool ok, const char *msg)
{
    viz_snap *s = &a->snap;
    if (s->nchecks == VIZ_CHECKS_MAX) {
        memmove(s->checks, s->checks + 1, sizeof s->checks[0] * (VIZ_CHECKS_MAX - 1));
        memmove(s->check_ok, s->check_ok + 1, sizeof s->check_ok[0] * (VIZ_CHECKS_MAX - 1));
        s->nchecks--;
    }
    snprintf(s->checks[s->nchecks], sizeof s->checks[0], "%s", msg);
    s->check_ok[s->nchecks++] = ok;
    if (ok) s->passed++;
    else s->failed++;
    a->dirty = true;
}

/* Called by the controller before the world runs to until_us. Returns
 * false to stop the script. */
static bool lesson_drive(void *u, uint64_t until_us)
{
    app *a = u;
    app_follow_world(a);
    if (a->abort) return false;
    if (a->replaying) return true;
    viz_ops_tick(a->ops, a->world);
    sim *s = cluster_sim(a->world);
    for (;;) {
        uint64_t now = app_wall_ms();
        if (a->skip) {          /* n: fast to the next step, a frame now and then */
            if (now - a->drawn_ms >= SKIP_DRAW_MS) {
                app_keys(a, 0);
                if (a->abort) return false;
                app_draw(a);
            }
            return true;
        }
        bool hold = a->snap.step_wait || !a->running;
        if (!hold && a->step_once) {
            a->step_once = false;
            a->dirty = true;
            return true;
        }
        uint64_t target = a->sim_base_us +
                          (uint64_t)((double)(now - a->wall_base_ms) * a->speed * 1000.0);
        if (!hold && target >= until_us) {
            if (now - a->drawn_ms >= FRAME_MS) app_draw(a);
            return true;
        }
        if (hold) app_rebase(a);
        if (a->dirty || now - a->drawn_ms >= FRAME_MS) app_draw(a);
        /* wait for keys until the world is due (at most a frame) */
        int wait = FRAME_MS;
        if (!hold) {
            uint64_t due_ms = (uint64_t)((double)(until_us - target) / (a->speed * 1000.0));
            if (due_ms < (uint64_t)wait) wait = (int)due_ms;
        }
        app_keys(a, wait);
        if (a->abort) return false;
        if (a->world != lab_lua_world(a->lua) || sim_halted(s)) return true;
    }
}

/* The outcome line of a run that ended, in the log and the panel. */
static void finished(app *a, lab_status st, const char *err)
{
    a->snap.lesson_done = true;
    a->snap.step_wait = false;
    a->snap.lesson_error = st == LAB_ERROR;
    if (st == LAB_ERROR) {
        /* the log keeps it; the panel shows it whole; the world stays */
        viz_events_add(a->events, a->world ? sim_now_us(cluster_sim(a->world)) : 0,
                       VR_BAD, err);
        viz_view_error(&a->view, true, err);
        viz_view_status(&a->view, VR_BAD, "%s",
                        viz_tr(a->lang, "the lesson script stopped with an error: "
                                        "Esc closes the panel, b goes back, q quits"));
    } else {
        viz_view_status(&a->view, st == LAB_OK ? VR_GOOD : VR_BAD,
                        viz_tr(a->lang, "lesson over: %d passed, %d failed"),
                        lab_lua_passed(a->lua), lab_lua_failed(a->lua));
    }
}

void lesson_run(app *a)
{
    const char *slash = strrchr(a->lesson, '/');
    snprintf(a->snap.title, sizeof a->snap.title, "%s", slash ? slash + 1 : a->lesson);
    for (;;) {
        if (a->abort) {     /* back: a fresh controller replays from the seed */
            lab_lua_free(a->lua);
            a->lua = lab_lua_new(&a->lo);
            a->world = NULL;
            a->replaying = true;
            a->abort = false;
        }
        a->snap.step = 0;
        a->snap.nchecks = a->snap.passed = a->snap.failed = 0;
        a->snap.lesson[0] = '\0';
        a->snap.lesson_done = a->snap.lesson_error = false;
        a->view.error_open = false;
        a->snap.step_wait = false;
        a->skip = a->step_once = false;
        lab_lua_set_driver(a->lua, lesson_drive, a);
        a->in_script = true;
        char err[512];
        lab_status st = lab_lua_run_file(a->lua, a->lesson, err, sizeof err, NULL, 0);
        a->in_script = false;
        lab_lua_set_driver(a->lua, NULL, NULL);
        app_follow_world(a);
        if (a->quit) return;
        if (a->abort) continue;
        a->replaying = false;
        finished(a, st, err);
        app_rebase(a);
        a->dirty = true;
        return;
    }
}

void lesson_key(app *a, viz_cmd_kind k)
{
    if (!a->lesson) {
        viz_view_status(&a->view, VR_DIM, "n and b step through lessons: "
                        "quorumlab lessons/01_quorum.lua");
        return;
    }
    if (k == VC_BACK) {
        a->target = a->snap.step > 1 ? a->snap.step - 1 : 1;
        /* after its end the last step again; after an error the one
         * before it, since the failing step would fail again at once */
        if (a->snap.lesson_done && !a->snap.lesson_error)
            a->target = a->snap.step > 0 ? a->snap.step : 1;
        a->abort = true;    /* the script stops; lesson_run replays */
        viz_view_status(&a->view, VR_DIM, "back to step %d (replaying from the seed)",
                        a->target);
        return;
    }
    if (a->snap.lesson_done) {
        viz_view_status(&a->view, VR_DIM, "the lesson is over: b goes back, q quits");
    } else if (a->snap.step_wait) {
        a->snap.step_wait = false;
        app_rebase(a);
    } else {
        a->skip = true;     /* fast to the next step */
    }
}
