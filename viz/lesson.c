/* lesson: a lesson script run in the dashboard. The script runs as it
 * does headless; the controller's run loop calls lesson_drive before each
 * stretch of simulated time, and that is where the screen lives: it paces
 * the world against wall time, draws, and handles the keys.
 *
 * A step is what one lab.say starts: its text shows, then its actions and
 * their consequences play while the learner watches; where the step ends
 * (the next lab.say, or a lab.cluster about to replace a world that ran)
 * the lesson waits for n with the result and the step's check lights on
 * screen (the world holds still). Only then does the next text show. b
 * replays the script from its seed, at full speed and unseen, to the start
 * of the previous step, which then plays again.
 *
 * The learner's turn: lab.task runs the world until the learner has done
 * what it asks (keys or the command line), its hint showing after a
 * while; lab.predict and lab.ask hold the world until the learner answers
 * (keys 1-9, or a number and Enter). While replaying, the script answers
 * and solves for itself, as headless. A prediction's result shows at its
 * step's end: until then the footer says n runs to it, and an n pressed
 * again while n fast-forwards does not pass it. While the lesson holds
 * the world (a step waiting for n, a question) the header says PAUSED. */
#include "app_int.h"
#include "text.h"
#include "words.h"

#include "curses_wrap.h"
#include <stdio.h>
#include <string.h>

#define SKIP_DRAW_MS 100        /* frames while n fast-forwards */

/* Holds the script until the learner presses n (or b, or q), the world
 * still, the step's result on screen. */
static void wait_step(app *a)
{
    while (a->snap.step_wait && !a->abort && !a->quit) {
        app_follow_world(a);
        if (a->dirty || app_wall_ms() - a->drawn_ms >= FRAME_MS) app_draw(a);
        app_keys(a, FRAME_MS);
    }
}

/* The step on screen is over: wait there until the learner has read it. */
static void end_step(app *a)
{
    if (a->replaying || !a->in_script || a->abort) return;
    a->snap.step_wait = true;
    /* the step's countdown goes with it: the world holds from here and
     * the next step starts without it, so a frozen "in 10.0 s" would
     * promise what never comes on screen */
    a->countdown_fmt[0] = a->snap.countdown[0] = '\0';
    /* an n pressed again while n fast-forwarded was pressed before the
     * step's result (a prediction's answer) was on screen: it must not
     * pass the result unseen */
    if (a->skip) flushinp();
    a->skip = false;
    a->dirty = true;
    wait_step(a);
    a->snap.step_wait = false;
    a->ran = false;
    app_rebase(a);
}

/* The step's countdown and slow motion end with it (or its world). */
static void clear_pacing(app *a)
{
    a->countdown_fmt[0] = a->snap.countdown[0] = '\0';
    a->slow_until_us = 0;
}

static void clear_turn(app *a)
{
    a->snap.task[0] = a->snap.hint[0] = a->snap.task_why[0] = a->hint_text[0] = '\0';
    a->snap.asking = false;
    a->view.typed[0] = '\0';
}

/* The tally as the step on screen began, kept while it plays live. */
static void tally_save(app *a)
{
    const viz_snap *s = &a->snap;
    if (s->step < 1 || s->step >= VIZ_TALLY_STEPS) return;
    a->tally_at[s->step] = (viz_tally){ s->tasks_done, s->pred_right, s->pred_total };
}

/* b replayed to this step: the tasks and predictions the learner did
 * before it count as they did (the replay's own answers do not). */
static void tally_restore(app *a)
{
    viz_snap *s = &a->snap;
    if (s->step < 1 || s->step >= VIZ_TALLY_STEPS) return;
    const viz_tally *t = &a->tally_at[s->step];
    s->tasks_done = t->tasks_done;
    s->pred_right = t->pred_right;
    s->pred_total = t->pred_total;
}

void lesson_on_say(app *a, const char *text)
{
    viz_snap *s = &a->snap;
    if (s->step >= 1) end_step(a);
    s->step++;
    text_copy_cut(s->lesson, sizeof s->lesson, text);
    s->nchecks = 0;
    s->pred_pending = false;
    clear_turn(a);
    clear_pacing(a);
    a->skip = false;
    a->ran = false;
    if (a->replaying && s->step >= a->target) {
        a->replaying = false;
        tally_restore(a);
        app_rebase(a);
    }
    if (!a->replaying) tally_save(a);
    s->step_wait = false;
    a->dirty = true;
}

/* A light under the step's text: a check, or what came of an answer. */
static void light(app *a, bool ok, bool note, const char *msg)
{
    viz_snap *s = &a->snap;
    if (s->nchecks == VIZ_CHECKS_MAX) {
        memmove(s->checks, s->checks + 1, sizeof s->checks[0] * (VIZ_CHECKS_MAX - 1));
        memmove(s->check_ok, s->check_ok + 1, sizeof s->check_ok[0] * (VIZ_CHECKS_MAX - 1));
        memmove(s->check_note, s->check_note + 1, sizeof s->check_note[0] * (VIZ_CHECKS_MAX - 1));
        s->nchecks--;
    }
    text_copy_cut(s->checks[s->nchecks], sizeof s->checks[0], msg);
    s->check_note[s->nchecks] = note;
    s->check_ok[s->nchecks++] = ok;
    a->dirty = true;
}

void lesson_on_check(app *a, bool ok, const char *msg)
{
    light(a, ok, false, msg);
    if (ok) a->snap.passed++;
    else a->snap.failed++;
    a->ran = true;
}

/* --- the controller's hooks (lab_out) --- */

static void hook_new_world(void *u)
{
    app *a = u;
    /* the old world's last step stays until the learner has seen it */
    if (a->ran) end_step(a);
    clear_pacing(a);
    a->pacer = (viz_pacer){ .off = a->pacer.off };
}

static void hook_slow(void *u, double factor, uint64_t until_us)
{
    app *a = u;
    if (a->replaying) return;
    a->slow_factor = factor;
    a->slow_until_us = until_us;
    /* how long, in simulated time: "1000x slower" alone read as a setting
     * beside the header's speed, and stayed once the moment was over */
    uint64_t now = a->world ? sim_now_us(cluster_sim(a->world)) : 0, len = until_us - now;
    char span[32];
    if (until_us <= now) return;
    viz_pacer_yield(&a->pacer, now);
    if (len < 1000000) snprintf(span, sizeof span, "%llu ms", (unsigned long long)(len / 1000));
    else viz_secs(a->lang, (double)len / 1e6, span, sizeof span);
    snprintf(a->slow_said, sizeof a->slow_said,
             viz_tr(a->lang, "slow motion for the next %s of simulated time: %gx slower"), span,
             factor);
    viz_view_status(&a->view, VR_DIM, "%s", a->slow_said);
}

static void hook_countdown(void *u, const char *text, uint64_t at_us)
{
    app *a = u;
    snprintf(a->countdown_fmt, sizeof a->countdown_fmt, "%s", text);
    a->countdown_at_us = at_us;
    a->dirty = true;
}

static bool hook_task(void *u, const char *text, const char *hint, int hint_s)
{
    app *a = u;
    if (!a->in_script || a->replaying) return false;
    clear_turn(a);
    snprintf(a->snap.task, sizeof a->snap.task, "%s", text);
    snprintf(a->hint_text, sizeof a->hint_text, "%s", hint ? hint : "");
    a->hint_after_s = hint_s;
    a->task_ms = app_wall_ms();
    a->solve_req = a->skip = false;
    a->dirty = true;
    return true;
}

static bool hook_solve_now(void *u)
{
    app *a = u;
    return a->solve_req;
}

/* What the learner did does not count: said at once, in the hint's place
 * under a label of its own (it is the task's state, not a hint); taken
 * back, the hint shows when its time comes. */
static void hook_task_why(void *u, const char *why)
{
    app *a = u;
    snprintf(a->snap.task_why, sizeof a->snap.task_why, "%s", why ? why : "");
    a->dirty = true;
}

static void hook_task_end(void *u, bool by_learner)
{
    app *a = u;
    if (by_learner) a->snap.tasks_done++;
    clear_turn(a);
    a->solve_req = false;
    a->dirty = true;
}

static lab_reply hook_answer(void *u, const lab_question *q, double *out)
{
    app *a = u;
    viz_snap *s = &a->snap;
    if (!a->in_script || a->replaying) return LAB_REPLY_SCRIPT;
    clear_turn(a);
    snprintf(s->ask, sizeof s->ask, "%s", q->text);
    snprintf(s->ask_unit, sizeof s->ask_unit, "%s", q->unit);
    s->nchoices = q->nchoices;
    size_t n = 0;
    s->ask_choices[0] = '\0';
    for (int i = 0; i < q->nchoices && n < sizeof s->ask_choices; i++)
        n += (size_t)snprintf(s->ask_choices + n, sizeof s->ask_choices - n, "%s%d %s",
                              i ? "\n" : "", i + 1, q->choices[i]);
    s->asking = true;
    if (q->predict) s->pred_pending = true;     /* its result: at the step's end */
    a->reply = 0;
    a->skip = false;
    a->dirty = true;
    while (!a->reply && !a->abort && !a->quit) {    /* the world holds */
        app_follow_world(a);
        if (a->dirty || app_wall_ms() - a->drawn_ms >= FRAME_MS) app_draw(a);
        app_keys(a, FRAME_MS);
    }
    clear_turn(a);
    app_rebase(a);
    a->dirty = true;
    if (!a->reply) return LAB_REPLY_STOP;
    *out = a->answer;
    return (lab_reply)a->reply;
}

static void hook_outcome(void *u, const lab_question *q, int right, const char *line)
{
    app *a = u;
    if (q->predict && right >= 0) {
        a->snap.pred_total++;
        a->snap.pred_right += right;
    }
    if (q->predict) a->snap.pred_pending = false;
    light(a, right != 0, right < 0, line);
}

void lesson_hooks(app *a, lab_out *out)
{
    out->new_world = hook_new_world;
    out->task = hook_task;
    out->solve_now = hook_solve_now;
    out->task_why = hook_task_why;
    out->task_end = hook_task_end;
    out->answer = hook_answer;
    out->outcome = hook_outcome;
    out->slow = hook_slow;
    out->countdown = hook_countdown;
    out->u = a;
}

void lesson_answer(app *a, double v)
{
    viz_snap *s = &a->snap;
    if (!s->asking) return;
    if (s->nchoices && (v < 1 || v > s->nchoices || v != (int)v)) {
        viz_view_status(&a->view, VR_BAD, viz_tr(a->lang, "answer with 1 to %d"), s->nchoices);
        return;
    }
    a->answer = v;
    a->reply = LAB_REPLY_GIVEN;
}

void lesson_tick(app *a)
{
    viz_snap *s = &a->snap;
    snprintf(s->typed, sizeof s->typed, "%s", a->view.typed);
    if (s->task[0] && !s->hint[0] && a->hint_text[0] &&
        app_wall_ms() - a->task_ms >= (uint64_t)a->hint_after_s * 1000)
        snprintf(s->hint, sizeof s->hint, "%s", a->hint_text);
    /* the header tells the pace in slow motion; once over, the status
     * line that announced it goes, unless something else took its place */
    if (a->world && a->in_script && sim_now_us(cluster_sim(a->world)) < a->slow_until_us)
        s->speed = a->speed / a->slow_factor;
    else if (a->slow_said[0]) {
        if (strcmp(a->view.status, a->slow_said) == 0) a->view.status[0] = '\0';
        a->slow_said[0] = '\0';
        a->dirty = true;
    }
    s->countdown[0] = '\0';
    uint64_t now = a->world ? sim_now_us(cluster_sim(a->world)) : 0;
    /* a countdown that has run out goes: "... in 0.0 s" left on screen
     * read as if something were still about to happen */
    if (a->countdown_fmt[0] && a->countdown_at_us <= now) a->countdown_fmt[0] = '\0';
    if (a->countdown_fmt[0]) {
        uint64_t left = a->countdown_at_us - now;
        char t[32];
        /* tenths rounded up: it reads 0.0 s only once it is over */
        viz_secs(a->lang, (double)((left + 99999) / 100000) / 10, t, sizeof t);
        /* the text was checked by lab.countdown: one %s and nothing else */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(s->countdown, sizeof s->countdown, a->countdown_fmt, t);
#pragma GCC diagnostic pop
    }
}

/* Called by the controller before the world runs to until_us. Returns
 * false to stop the script. */
static bool lesson_drive(void *u, uint64_t until_us)
{
    app *a = u;
    app_follow_world(a);
    if (a->abort) return false;
    if (a->replaying) return true;
    a->ran = true;
    viz_ops_tick(a->ops, a->world);
    sim *s = cluster_sim(a->world);
    uint64_t until;
    double speed = app_pace(a, sim_now_us(s), &until);
    for (;;) {
        uint64_t now = app_wall_ms();
        uint64_t target = a->sim_base_us +
                          (uint64_t)((double)(now - a->wall_base_ms) * speed * 1000.0);
        /* the pace changes before the world is due (no event lies
         * between): on from there at the new one */
        if (until < until_us && target >= until && !a->snap.step_wait && a->running) {
            speed = app_pace(a, until, &until);
            continue;
        }
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
        if (!hold && target >= until_us) {
            if (now - a->drawn_ms >= FRAME_MS) app_draw(a);
            return true;
        }
        if (hold) app_rebase(a);
        if (a->dirty || now - a->drawn_ms >= FRAME_MS) app_draw(a);
        /* wait for keys until the world is due (at most a frame) */
        int wait = FRAME_MS;
        if (!hold) {
            uint64_t due_ms = (uint64_t)((double)(until_us - target) / (speed * 1000.0));
            if (due_ms < (uint64_t)wait) wait = (int)due_ms;
        }
        app_keys(a, wait);
        if (a->abort) return false;
        if (a->world != lab_lua_world(a->lua) || sim_halted(s)) return true;
        /* a command of the learner's may have made something due sooner
         * (a broker added, a node killed): the run loop paces to that
         * first, so its consequences play at the screen's pace instead
         * of all at once when the old target comes */
        uint64_t sooner;
        if (sim_next_time(s, &sooner) && sooner < until_us) return true;
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

/* How many times the script calls fn (lab.say: its steps; lab.task),
 * outside comments: the progress line's totals. */
static int count_calls(const char *path, const char *fn)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[4096];
    int n = 0;
    size_t len = strlen(fn);
    while (fgets(line, sizeof line, f)) {
        const char *c = strstr(line, "--");
        for (const char *p = line; (p = strstr(p, fn)) && (!c || p < c); p += len)
            if (p[len] == '{' || p[len] == '(' || p[len] == ' ') n++;
    }
    fclose(f);
    return n;
}

void lesson_run(app *a)
{
    const char *slash = strrchr(a->lesson, '/');
    a->snap.steps_total = count_calls(a->lesson, "lab.say");
    a->snap.tasks_total = count_calls(a->lesson, "lab.task");
    snprintf(a->snap.title, sizeof a->snap.title, "%s", slash ? slash + 1 : a->lesson);
    for (;;) {
        if (a->abort) {     /* back: a fresh controller replays from the seed */
            lab_lua_free(a->lua);
            a->lua = lab_lua_new(&a->lo);
            a->world = a->twin = NULL;      /* both went with the old one */
            a->view.compare = false;
            a->replaying = true;
            a->abort = false;
        }
        a->snap.step = 0;
        a->snap.nchecks = a->snap.passed = a->snap.failed = 0;
        a->snap.lesson[0] = '\0';
        a->snap.lesson_done = a->snap.lesson_error = false;
        a->view.error_open = false;
        a->snap.step_wait = false;
        a->skip = a->step_once = a->ran = a->solve_req = false;
        a->snap.tasks_done = a->snap.pred_right = a->snap.pred_total = 0;
        a->snap.pred_pending = false;
        clear_turn(a);
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
        clear_turn(a);
        finished(a, st, err);
        app_rebase(a);
        a->dirty = true;
        return;
    }
}

void lesson_key(app *a, viz_cmd_kind k)
{
    if (!a->lesson) {
        viz_view_status(&a->view, VR_DIM, "%s",
                        viz_tr(a->lang, "n and b step through lessons: "
                                        "quorumlab lessons/05_odd_ensembles.lua"));
        return;
    }
    if (k == VC_BACK) {
        /* the step before the one on screen, the end of the lesson and
         * an error included (the failing step would fail again at once) */
        a->target = a->snap.step > 1 ? a->snap.step - 1 : 1;
        a->abort = true;    /* the script stops; lesson_run replays */
        viz_view_status(&a->view, VR_DIM, viz_tr(a->lang, "back to step %d (replaying from the seed)"),
                        a->target);
        return;
    }
    if (a->snap.lesson_done) {
        viz_view_status(&a->view, VR_DIM, "%s",
                        viz_tr(a->lang, "the lesson is over: b goes back, q quits"));
    } else if (a->snap.step_wait) {
        a->snap.step_wait = false;
    } else if (a->snap.asking) {
        a->reply = LAB_REPLY_SKIPPED;
    } else if (a->snap.task[0]) {
        a->solve_req = true;
        viz_view_status(&a->view, VR_DIM, "%s", viz_tr(a->lang, "n: the lesson does the task"));
    } else {
        a->skip = true;     /* fast to the end of the step */
    }
}
