/* app: the dashboard's input loop. One pass: read the keys waiting, let
 * simulated time catch up with wall time times the speed (within a work
 * budget, so keys stay responsive), take a snapshot and redraw only when
 * something changed. Wall time is read here and only here: the world
 * itself never sees it. */
#include "viz.h"
#include "app_int.h"
#include "draw.h"
#include "ko.h"
#include "text.h"
#include "tty.h"
#include "util.h"
#include "words.h"

#include "curses_wrap.h"
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

/* A crash must not leave the learner's terminal in curses mode. */
static void on_fatal(int sig)
{
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

uint64_t app_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A message's send, delivery or drop goes to a message view's model. */
static void offer_msg(viz_msgs *m, sim *s, const trace_event *ev)
{
    if (ev->kind == TR_SEND || ev->kind == TR_DELIVER || ev->kind == TR_DROP)
        viz_msgs_offer(m, ev, sim_node_name(s, ev->node), sim_node_name(s, ev->peer),
                       sim_msg_name(s, ev->msg_type));
}

/* Hooks of the Lua controller: every trace event of its current world,
 * and its narration (lab.say, print) which goes to the log. */
static void on_event(void *u, const trace *t, const trace_event *ev)
{
    app *a = u;
    cluster *w = lab_lua_world(a->lua);
    if (!a->replaying) viz_pacer_event(&a->pacer, ev);
    cluster *tw = lab_lua_twin(a->lua);
    if (tw && t == sim_trace(cluster_sim(tw))) {     /* the right world's */
        if (a->events2) viz_events_offer(a->events2, cluster_sim(tw), ev);
        if (a->msgs2) offer_msg(a->msgs2, cluster_sim(tw), ev);
        return;
    }
    viz_events_offer(a->events, w ? cluster_sim(w) : NULL, ev);
    if (w) offer_msg(a->msgs, cluster_sim(w), ev);
}

/* lab.messages{}: the lesson opens, closes or filters the message view. */
static void on_messages(void *u, const lab_msgs_req *r)
{
    app *a = u;
    viz_view *v = &a->view;
    if (r->show == 0) v->msgs = VM_OFF;
    else if (r->show == 1) v->msgs = r->full ? VM_FULL : VM_PANEL;
    if (r->layers) v->msgf.layers = r->layers;
    if (r->pings >= 0) v->msgf.pings = r->pings;
    if (r->set_nodes) {
        v->msgf.nnodes = r->nnodes < VIZ_MSG_NODES_MAX ? r->nnodes : VIZ_MSG_NODES_MAX;
        memcpy(v->msgf.nodes, r->nodes, (size_t)v->msgf.nnodes * sizeof *r->nodes);
    }
    a->dirty = true;
}

static void on_say(void *u, const char *text)
{
    app *a = u;
    /* the step on screen ends first: the log shows the next text only
     * after n */
    if (a->in_script) lesson_on_say(a, text);
    cluster *w = lab_lua_world(a->lua);
    viz_events_add(a->events, w ? sim_now_us(cluster_sim(w)) : 0, VR_NORMAL, text);
}

/* A task, a question, what came of it: in the log, no new step. */
static void on_note(void *u, const char *text)
{
    app *a = u;
    cluster *w = lab_lua_world(a->lua);
    viz_events_add(a->events, w ? sim_now_us(cluster_sim(w)) : 0, VR_DIM, text);
}

static void on_check(void *u, bool ok, const char *msg)
{
    app *a = u;
    cluster *w = lab_lua_world(a->lua);
    char line[200];
    snprintf(line, sizeof line, viz_tr(a->lang, ok ? "check passed: %s" : "check FAILED: %s"),
             msg);
    viz_events_add(a->events, w ? sim_now_us(cluster_sim(w)) : 0,
                   ok ? VR_GOOD : VR_BAD, line);
    if (a->in_script) lesson_on_check(a, ok, msg);
}

void app_rebase(app *a)
{
    /* a lab.cluster may have replaced (and freed) a->world since the app
     * last followed it (q during a step's wait, then the script's next
     * world and question): the script's world is the one alive */
    cluster *w = a->lua ? lab_lua_world(a->lua) : NULL;
    if (!w) w = a->world;
    a->wall_base_ms = app_wall_ms();
    a->sim_base_us = w ? sim_now_us(cluster_sim(w)) : 0;
}

/* What the soonest countdown is, for the pacer's words. */
static const char *const timer_what[] = {
    [CT_SESSION_EXPIRE] = "session expiry",
    [CT_LEADER_QUORUM] = "the leader's quorum check",
    [CT_LEADER_SILENT] = "a follower's read timeout",
    [CT_ISR_LEAVE] = "the ISR check",
    [CT_RAFT_FETCH] = "the fetch timeout",
    [CT_RAFT_ELECTION] = "the election timeout",
    [CT_RAFT_BACKOFF] = "the election backoff",
    [CT_RAFT_CHECK] = "the leader's quorum check",
    [CT_BROKER_FENCE] = "broker fencing",
    [CT_FETCH_GIVE_UP] = "a fetch's request timeout",
};
_Static_assert(sizeof timer_what / sizeof *timer_what == CT_FETCH_GIVE_UP + 1,
               "words for every countdown kind");

double app_pace(app *a, uint64_t now, uint64_t *until_us)
{
    viz_pace p;
    int real = a->opts.live.clients ? a->opts.live.clients(a->opts.live.u) : 0;
    if (now < a->slow_until_us) {       /* the lesson's lab.slow decides */
        p = (viz_pace){ a->speed / a->slow_factor, NULL, true, a->slow_until_us };
    } else if (real > 0) {
        /* real clients run on the wall clock: the pace stays as set */
        p = (viz_pace){ a->speed, NULL, false, UINT64_MAX };
    } else {
        /* the last frame's countdowns: at most a frame old */
        uint64_t dl = 0;
        const char *what = NULL;
        for (int i = 0; i < a->snap.ntimers && !dl; i++)
            if (a->snap.timers[i].at_us > now) {
                dl = a->snap.timers[i].at_us;
                what = timer_what[a->snap.timers[i].kind];
            }
        p = viz_pacer_pace(&a->pacer, a->speed, now, dl, what);
    }
    if (p.until_us <= now) p.until_us = UINT64_MAX;
    a->pace_now = p;
    if (p.pace != a->pace_was) {
        a->pace_was = p.pace;
        a->wall_base_ms = app_wall_ms();
        a->sim_base_us = now;
    }
    *until_us = p.until_us;
    return p.pace;
}

/* lab.compare's right world keeps the left one's time (the lab's run
 * loop does the same while a lesson runs). */
static void twin_step(app *a)
{
    if (a->twin) sim_run_until(cluster_sim(a->twin), sim_now_us(cluster_sim(a->world)));
}

/* Runs the world up to where wall time says it should be. Returns true
 * when simulated time moved. */
static bool advance(app *a)
{
    if (!a->running || !a->world) return false;
    sim *s = cluster_sim(a->world);
    uint64_t before = sim_now_us(s);
    uint64_t until;
    double pace = app_pace(a, before, &until);
    uint64_t now = app_wall_ms();
    uint64_t target = a->sim_base_us +
                      (uint64_t)((double)(now - a->wall_base_ms) * pace * 1000.0);
    /* the pace changes there: the next pass goes on at the new one */
    if (target > until) target = until;
    uint64_t deadline = now + WORK_BUDGET_MS;
    uint64_t next;
    int n = 0;
    /* the ops' work happens at fixed ticks of simulated time, so the
     * world does not depend on how the screen slices it */
    while (sim_now_us(s) < target && !sim_halted(s)) {
        uint64_t tick = viz_ops_next_tick(sim_now_us(s));
        uint64_t upto = tick < target ? tick : target;
        while (sim_next_time(s, &next) && next <= upto) {
            sim_step(s);
            /* a moment began: the rest of this stretch is at its pace */
            if (viz_pacer_began(&a->pacer)) {
                twin_step(a);
                app_rebase(a);
                return true;
            }
            /* reading the clock every event would cost more than the events */
            if (++n % 256 == 0 && app_wall_ms() > deadline) {
                twin_step(a);
                app_rebase(a);  /* too slow for this speed: drop the debt */
                return sim_now_us(s) != before;
            }
        }
        sim_run_until(s, upto);
        twin_step(a);
        viz_ops_tick(a->ops, a->world);
        if (a->twin) viz_ops_tick(a->ops2, a->twin);
    }
    return sim_now_us(s) != before;
}

/* One event, and what it was, for the '.' key. */
static void step_once(app *a)
{
    if (!a->world) return;
    if (a->in_script) {     /* the lesson's run loop takes the step */
        a->step_once = true;
        return;
    }
    sim *s = cluster_sim(a->world);
    trace *t = sim_trace(s);
    uint64_t total = trace_total(t);
    if (!sim_step(s)) {
        viz_view_status(&a->view, VR_DIM, "%s", viz_tr(a->lang, "step: nothing left to run"));
        return;
    }
    if (trace_total(t) > total && trace_count(t) > 0) {
        char line[256];
        trace_render(t, trace_get(t, trace_count(t) - 1), line, sizeof line);
        const char *p = line;
        while (*p == ' ') p++;
        viz_view_status(&a->view, VR_NORMAL, "step: %s", p);
    } else {
        viz_view_status(&a->view, VR_NORMAL, viz_tr(a->lang, "step: t=%.3fs (a timer)"),
                        (double)sim_now_us(s) / 1e6);
    }
}

/* lab.cluster (in a lesson or a :lua statement) may have built a new
 * world: show that one. The log keeps only the lines added since the
 * world's first event, so two worlds' clocks do not mix. */
/* lab.compare made (or a new world ended) the right world: its own log. */
static void follow_twin(app *a)
{
    cluster *tw = a->lua ? lab_lua_twin(a->lua) : NULL;
    if (tw == a->twin) return;
    a->twin = tw;
    a->view.compare = tw != NULL;
    viz_events_free(a->events2);
    a->events2 = NULL;
    viz_ops_free(a->ops2);
    a->ops2 = NULL;
    viz_msgs_free(a->msgs2);
    a->msgs2 = NULL;
    if (!tw) return;
    a->msgs2 = viz_msgs_new(VIZ_MSGS_KEPT);
    a->events2 = viz_events_new(256);
    viz_events_set_lang(a->events2, a->lang);
    a->ops2 = viz_ops_new();
    viz_ops_set_lang(a->ops2, a->lang);
    a->snap2.ntimers = 0;
    viz_hist_reset(&a->hist2);
}

void app_follow_world(app *a)
{
    follow_twin(a);
    cluster *w = lab_lua_world(a->lua);
    if (!w || w == a->world) return;
    a->world = w;
    app_rebase(a);
    /* the old world's moments and countdowns are not this one's */
    a->pacer = (viz_pacer){ .off = a->pacer.off };
    a->snap.ntimers = 0;
    viz_ops_reset(a->ops);
    viz_hist_reset(&a->hist);
    viz_msgs_clear(a->msgs);
    a->view.msgs_anchor = 0;    /* its ids start again */
    viz_events *fresh = viz_events_new(256);
    viz_events_set_lang(fresh, a->lang);
    viz_events_add(fresh, 0, VR_DIM, viz_tr(a->lang, "a new world was built"));
    /* the lines since the world began: times at or after its start,
     * after the last line from a later time (the old world's) */
    int n = viz_events_count(a->events), from = n;
    uint64_t now = sim_now_us(cluster_sim(w));
    while (from > 0 && viz_events_get(a->events, from - 1)->at_us <= now) from--;
    for (int i = from; i < n; i++) {
        const viz_event *ev = viz_events_get(a->events, i);
        viz_events_add(fresh, ev->at_us, ev->role, ev->text);
    }
    viz_events_free(a->events);
    a->events = fresh;
}

/* Two worlds compared: the command reaches both, each by its own names,
 * and a world it could not reach says so in its log. */
static void run_twin_cmd(app *a, const viz_cmd *cmd)
{
    viz_twin_side side[2] = {
        { a->world, a->ops, lab_lua_label(a->lua, 0) },
        { a->twin, a->ops2, lab_lua_label(a->lua, 1) } };
    viz_twin_result r;
    a->ops_said[0][0] = a->ops_said[1][0] = '\0';
    viz_twin_act(side, cmd, a->lang, a->view.w - 1, &r);
    viz_view_status(&a->view, r.ok ? VR_GOOD : VR_BAD, "%s", r.msg);
    viz_events *log[2] = { a->events, a->events2 };
    for (int i = 0; i < 2; i++)
        if (r.note[i][0] && log[i])
            viz_events_add(log[i], sim_now_us(cluster_sim(side[i].world)), VR_WARN, r.note[i]);
}

/* :lua's result line. Two worlds compared, the lab functions read the
 * left one: the line names it, and the right world's log says how to ask
 * that one (lab.on) with the very expression typed. */
static void lua_result(app *a, const char *src, const char *val)
{
    const char *v = val[0] ? val : "ok";
    if (!a->twin || strstr(src, "lab.on")) {
        viz_view_status(&a->view, VR_GOOD, "lua: %s", v);
        return;
    }
    const char *left = lab_lua_label(a->lua, 0), *right = lab_lua_label(a->lua, 1);
    char how[300], raw[600], note[600];
    snprintf(how, sizeof how, val[0] ? "lab.on(\"right\", function() return %s end)"
                                     : "lab.on(\"right\", function() %s end)", src);
    snprintf(raw, sizeof raw, viz_tr(a->lang, ":lua read %s, not this world; for this one: %s"),
             left, how);
    ko_resolve(raw, note, sizeof note);
    if (a->events2)
        viz_events_add(a->events2, sim_now_us(cluster_sim(a->twin)), VR_WARN, note);
    char line[256];
    snprintf(line, sizeof line, "lua (%s): %s", left, v);
    snprintf(raw, sizeof raw, viz_tr(a->lang, "  · %s: lab.on(\"right\", ...)"), right);
    ko_resolve(raw, note, sizeof note);
    if (text_width(line) + text_width(note) <= a->view.w - 1)
        viz_view_status(&a->view, VR_GOOD, "%s%s", line, note);
    else
        viz_view_status(&a->view, VR_GOOD, "%s", line);
}

static void run_cmd(app *a, const viz_cmd *cmd)
{
    char msg[256];
    if (viz_cmd_is_world(cmd->kind)) {
        if (!a->world) { viz_view_status(&a->view, VR_BAD, "%s", viz_tr(a->lang, "no world yet")); return; }
        if (a->twin) { run_twin_cmd(a, cmd); return; }
        bool ok = viz_ops_act(a->ops, a->world, cmd, msg, sizeof msg);
        viz_view_status(&a->view, ok ? VR_GOOD : VR_BAD, "%s", msg);
        return;
    }
    switch (cmd->kind) {
    case VC_QUIT: a->quit = true; break;
    case VC_HELP: a->view.help = true; a->view.help_page = 0; break;
    case VC_RUN_TOGGLE: case VC_RUN: case VC_HOLD:
        a->running = cmd->kind == VC_RUN_TOGGLE ? !a->running : cmd->kind == VC_RUN;
        app_rebase(a);
        viz_view_status(&a->view, VR_DIM, "%s", viz_tr(a->lang, a->running ? "running" :
                        "paused: space resumes, . steps one event"));
        break;
    case VC_STEP:
        if (a->running) { a->running = false; app_rebase(a); }
        step_once(a);
        break;
    case VC_FASTER: case VC_SLOWER: case VC_SPEED: {
        double want = cmd->kind == VC_SPEED ? cmd->speed
                      : viz_speed_step(a->speed, cmd->kind == VC_FASTER ? 1 : -1);
        int real = a->opts.live.clients ? a->opts.live.clients(a->opts.live.u) : 0;
        if (want > 1 && real > 0) {
            /* real clients time out by the wall clock: a faster world
             * would expire their sessions for nothing */
            viz_view_status(&a->view, VR_BAD, viz_tr(a->lang, "speed stays %gx: %d real "
                            "client(s) connected run on the wall clock"), a->speed, real);
            break;
        }
        a->speed = want;
        app_rebase(a);
        viz_view_status(&a->view, VR_DIM, viz_tr(a->lang, "speed %gx"), a->speed);
        break;
    }
    case VC_PACE_TOGGLE:
        a->pacer.off = !a->pacer.off;
        app_rebase(a);
        viz_view_status(&a->view, VR_DIM, "%s",
                        viz_tr(a->lang, a->pacer.off
                               ? "auto pace off: the speed stays as set (z turns it on)"
                               : "auto pace on: slow motion at elections, syncs, expiries "
                                 "and failovers, fast through waits (z turns it off)"));
        break;
    case VC_NEXT: case VC_BACK:
        lesson_key(a, cmd->kind);
        break;
    case VC_ANSWER:
        lesson_answer(a, cmd->speed);
        break;
    case VC_LUA: {
        char err[512], val[240];
        if (a->in_script) {
            /* what it did would be outside the script: b's replay from
             * the seed could not repeat it */
            viz_view_status(&a->view, VR_BAD, "%s",
                            viz_tr(a->lang, "lua: not while the lesson runs (in the sandbox, "
                                            "or once the lesson is over)"));
            break;
        }
        lab_status st = lab_lua_eval(a->lua, cmd->text, "=:lua", val, sizeof val,
                                     err, sizeof err);
        if (st == LAB_ERROR) {
            viz_view_error(&a->view, false, err);
            viz_view_status(&a->view, VR_BAD, "%s",
                            viz_tr(a->lang, "lua: the statement stopped with an error "
                                            "(Esc closes the panel)"));
        } else {
            lua_result(a, cmd->text, val);
        }
        app_follow_world(a);
        break;
    }
    default:
        viz_view_status(&a->view, VR_BAD, "%s", viz_tr(a->lang, "not available yet"));
        break;
    }
}

bool app_must_leave(void)
{
    return got_signal || viz_tty_gone();
}

static viz_key read_key(int *got)
{
    wint_t ch;
    int r = get_wch(&ch);
    viz_key k = { false, 0, 0, 0 };
    *got = r != ERR;
    if (r == KEY_CODE_YES) { k.fn = true; k.code = (uint32_t)ch; }
    else if (r == OK) k.code = (uint32_t)ch;
    if (k.fn && k.code == KEY_MOUSE) {
        MEVENT me;
        if (getmouse(&me) == OK && (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) {
            k.y = me.y;
            k.x = me.x;
        } else {
            k.code = 0;     /* other mouse events mean nothing here */
        }
    }
    return k;
}

/* Real clients' bytes, once per pass; listening puts the world at 1x. */
static void live_poll(app *a)
{
    if (!a->opts.live.poll) return;
    const char *line = a->opts.live.poll(a->opts.live.u, a->world);
    if (!line) return;
    bool listening = a->opts.live.listening(a->opts.live.u);
    if (listening && a->speed != 1) {
        a->speed = 1;
        app_rebase(a);
    }
    viz_view_status(&a->view, listening ? VR_GOOD : VR_BAD, "%s", line);
    a->dirty = true;
}

void app_keys(app *a, int wait_ms)
{
    int got;
    live_poll(a);
    timeout(wait_ms);
    viz_key k = read_key(&got);
    while (got && !a->quit) {
        viz_cmd cmd;
        if (k.fn && k.code == KEY_RESIZE) {
            int h, w;
            getmaxyx(stdscr, h, w);
            a->view.w = w;
            a->view.h = h;
        }
        viz_key_result r = viz_keys_handle(&a->view, &a->snap, k, &cmd);
        if (r == VK_QUIT) a->quit = true;
        if (r == VK_CMD) run_cmd(a, &cmd);
        if (r != VK_NONE) a->dirty = true;
        timeout(0);
        k = read_key(&got);
    }
    if (app_must_leave()) a->quit = true;
    if (a->quit && a->in_script) a->abort = true;
}

static void fill_header(app *a)
{
    /* in English: the header translates it (viz_tr) */
    a->snap.mode = a->lesson ? "lesson" : a->opts.compare ? "compare" : "sandbox";
    a->snap.speed = a->speed;
    /* a lesson's step that waits for n, or its question, holds the world
     * (no script runs it then): the header says so, not RUNNING */
    bool held = a->in_script && (a->snap.step_wait || a->snap.asking);
    a->snap.running = a->running && !held;
    a->snap.events = a->events;
    a->snap.msgs = a->msgs;
    a->snap.hist = &a->hist;
    a->snap.lang = a->lang;
    a->snap.pace = a->pace_now.pace;
    a->snap.pace_why = a->snap.running ? a->pace_now.why : NULL;
    a->snap.pace_slow = a->pace_now.slow;
    a->snap.pace_off = a->pacer.off;
}

/* Real clients join the clients panel after the Kafka ones. */
static void real_clients(app *a)
{
    if (!a->opts.live.client || !a->world) return;
    sim *s = cluster_sim(a->world);
    for (int i = 0; a->snap.nclients < VIZ_CLIENTS_MAX; i++) {
        viz_client *c = &a->snap.clients[a->snap.nclients];
        memset(c, 0, sizeof *c);
        if (!a->opts.live.client(a->opts.live.u, i, c->name, sizeof c->name, c->talks,
                                 sizeof c->talks, c->real, sizeof c->real))
            break;
        int node = sim_find_node(s, c->name);
        c->status = node >= 0 ? sim_node_status(s, node) : NODE_UP;
        a->snap.nclients++;
    }
}

/* Both worlds' ops finish work on their own (a clean stop, a :produce),
 * one sooner than the other: the status line keeps what each said since
 * the learner's last command, both at once, so the later does not hide
 * the sooner. */
static void poll_twin_ops(app *a)
{
    viz_role role = VR_NORMAL, r;
    bool any = false;
    viz_ops *ops[2] = { a->ops, a->ops2 };
    for (int i = 0; i < 2; i++)
        if (ops[i] && viz_ops_poll(ops[i], a->ops_said[i], sizeof a->ops_said[i], &r)) {
            any = true;
            if (role != VR_BAD) role = r;
        }
    if (!any) return;
    const char *l = a->ops_said[0], *rt = a->ops_said[1];
    if (l[0] && rt[0] && strcmp(l, rt) == 0)
        viz_view_status(&a->view, role, viz_tr(a->lang, "both worlds: %s"), l);
    else if (l[0] && rt[0])
        viz_view_status(&a->view, role, "%s: %s · %s: %s", lab_lua_label(a->lua, 0), l,
                        lab_lua_label(a->lua, 1), rt);
    else
        viz_view_status(&a->view, role, "%s: %s", lab_lua_label(a->lua, l[0] ? 0 : 1),
                        l[0] ? l : rt);
}

/* The right world of lab.compare: snapshot and layout beside the left. */
static void draw_compare(app *a)
{
    viz_snap *r = &a->snap2;
    viz_snap_take(r, a->twin, &a->view);
    r->events = a->events2;
    r->msgs = a->msgs2;
    r->lang = a->lang;
    r->mode = a->snap.mode;
    viz_compare_take(&a->snap, r, a->world, a->twin, &a->hist, &a->hist2, &a->view);
    viz_layout_compare(&a->snap, r, lab_lua_label(a->lua, 0), lab_lua_label(a->lua, 1),
                       &a->view, a->frame);
}

void app_draw(app *a)
{
    viz_snap_take(&a->snap, a->world, &a->view);
    real_clients(a);
    fill_header(a);
    lesson_tick(a);
    if (a->twin && a->world) {
        poll_twin_ops(a);
        draw_compare(a);
        viz_draw(a->frame);
        a->drawn_ms = app_wall_ms();
        a->dirty = false;
        return;
    }
    viz_snap_grid(&a->snap, a->world, a->view.grid_top,
                  viz_layout_grid_rows(&a->snap, &a->view));
    if (a->world) viz_hist_sample(&a->hist, &a->snap);
    char msg[200];
    viz_role role;
    if (viz_ops_poll(a->ops, msg, sizeof msg, &role)) viz_view_status(&a->view, role, "%s", msg);
    viz_layout_fix_scroll(&a->snap, &a->view);
    viz_layout(&a->snap, &a->view, a->frame);
    viz_draw(a->frame);
    a->drawn_ms = app_wall_ms();
    a->dirty = false;
}

static void loop(app *a)
{
    uint64_t shown_us = UINT64_MAX;
    a->dirty = true;
    while (!a->quit && !got_signal) {
        app_keys(a, a->dirty ? 0 : FRAME_MS);
        if (a->quit) break;
        if (a->lesson && a->abort) {    /* b after the lesson ended */
            lesson_run(a);
            continue;
        }
        advance(a);
        app_follow_world(a);
        if (a->world && sim_now_us(cluster_sim(a->world)) != shown_us) a->dirty = true;
        if (!a->dirty) continue;
        app_draw(a);
        shown_us = a->snap.now_us;
    }
}

/* Without SA_RESTART, so a blocking read of a key returns and the input
 * loop sees the request to quit. */
static void catch_quit(int sig)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void curses_on(app *a)
{
    catch_quit(SIGINT);
    catch_quit(SIGTERM);
    catch_quit(SIGHUP);
    signal(SIGSEGV, on_fatal);
    signal(SIGABRT, on_fatal);
    signal(SIGBUS, on_fatal);
    signal(SIGFPE, on_fatal);
    set_escdelay(25);
    initscr();
    /* raw, not cbreak: C-s would otherwise freeze the screen (flow
     * control) and C-\ or C-z stop the program; C-c is a key that quits */
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
    mouseinterval(0);
    curs_set(0);
    theme_init();
    int h, w;
    getmaxyx(stdscr, h, w);
    viz_view_init(&a->view, w, h);
    if (a->ascii)
        viz_view_status(&a->view, VR_WARN, "%s", a->ascii_note);
    else
        viz_view_status(&a->view, VR_DIM, "%s",
                        viz_tr(a->lang, "? shows every key; : opens the command line"));
    a->frame = viz_frame_new(w, h);
}

/* The sandbox: a world built by the controller (so :lua statements act
 * on the very world on screen), with a topic and a steady producer once
 * it has brokers. */
static bool sandbox(app *a, char *err, size_t cap)
{
    char src[400];
    if (a->opts.compare)
        snprintf(src, sizeof src,
                 "lab.compare{ left = { zookeepers = %d, brokers = %d },\n"
                 "  right = { mode = \"kraft\", controllers = 3, brokers = %d },\n"
                 "  labels = { { en = \"ZooKeeper mode\", ko = \"ZooKeeper 모드\" },\n"
                 "             { en = \"KRaft mode\", ko = \"KRaft 모드\" } } }",
                 a->opts.zookeepers, a->opts.brokers, a->opts.brokers);
    else if (a->opts.kraft)
        snprintf(src, sizeof src, "lab.cluster{ mode = \"kraft\", controllers = 3, brokers = %d }",
                 a->opts.brokers);
    else
        snprintf(src, sizeof src, "lab.cluster{ zookeepers = %d, brokers = %d }",
                 a->opts.zookeepers, a->opts.brokers);
    lab_status st = lab_lua_run_string(a->lua, src, "=sandbox", err, cap, NULL, 0);
    if (st == LAB_ERROR || !lab_lua_world(a->lua)) return false;
    a->world = lab_lua_world(a->lua);
    follow_twin(a);
    if (a->opts.brokers > 0) {
        int rf = a->opts.brokers < 3 ? a->opts.brokers : 3;
        viz_ops_sandbox(a->ops, "orders", 6, rf, 5);
        /* --compare: the same topic and feed in the KRaft world */
        if (a->ops2) viz_ops_sandbox(a->ops2, "orders", 6, rf, 5);
    }
    if (a->twin)
        viz_view_status(&a->view, VR_DIM, "%s", viz_tr(a->lang, "two worlds from one seed: "
                        "every key and : command reaches both"));
    return true;
}

int viz_main(const viz_opts *o, const char *argv0)
{
    app a;
    memset(&a, 0, sizeof a);
    char err[256];
    a.opts = *o;
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        fprintf(stderr, "quorumlab: the dashboard needs a terminal; "
                        "use --headless SCRIPT.lua to run without one\n");
        return 2;
    }
    if (!viz_tty_usable(err, sizeof err)) {
        fprintf(stderr, "quorumlab: %s\n", err);
        return 2;
    }
    viz_tty_locale();
    a.lang = a.opts.lang ? a.opts.lang : lab_default_lang();
    /* outside a UTF-8 locale curses shows other bytes as ~-escapes:
     * English words and ASCII glyphs only, and the learner told why */
    a.ascii = !viz_tty_utf8();
    if (a.ascii) {
        snprintf(a.ascii_note, sizeof a.ascii_note, "%s",
                 strcmp(a.lang, "ko") == 0
                 ? "Korean needs a UTF-8 locale (LANG=ko_KR.UTF-8): English and ASCII shown"
                 : "not a UTF-8 locale: English and ASCII only (LANG=C.UTF-8 shows all)");
        a.lang = "en";
        viz_draw_ascii(true);
    }
    FILE *jsonl = NULL;
    if (a.opts.trace_path && !(jsonl = fopen(a.opts.trace_path, "w"))) {
        fprintf(stderr, "quorumlab: cannot write %s\n", a.opts.trace_path);
        return 2;
    }
    if (a.opts.lesson && access(a.opts.lesson, R_OK) != 0) {
        fprintf(stderr, "quorumlab: cannot read %s\n", a.opts.lesson);
        if (jsonl) fclose(jsonl);
        return 2;
    }
    a.events = viz_events_new(256);
    viz_events_set_lang(a.events, a.lang);
    a.msgs = viz_msgs_new(VIZ_MSGS_KEPT);
    a.ops = viz_ops_new();
    viz_ops_set_lang(a.ops, a.lang);
    viz_hist_reset(&a.hist);
    viz_snap_init(&a.snap);
    viz_snap_init(&a.snap2);
    a.speed = a.opts.speed;
    a.running = true;
    a.lo = (lab_opts){
        .seed = a.opts.seed, .seed_set = a.opts.seed_set, .lang = a.lang,
        .trust = a.opts.trust, .trace_jsonl = jsonl, .world_mem_max = a.opts.world_mem_max,
        .out = { .say = on_say, .check = on_check, .event = on_event, .note = on_note,
                 .messages = on_messages },
        .live = a.opts.lab_hooks,
    };
    lesson_hooks(&a, &a.lo.out);
    curses_on(&a);
    a.lesson = a.opts.lesson;
    if (!a.lesson && !a.opts.sandbox) {
        /* no argument: pick a lesson, or the sandbox */
        a.lesson = picker_run(&a, argv0);
        if (!a.lesson) a.quit = true;
        else if (!a.lesson[0]) a.lesson = NULL;
    }
    int rc = 0;
    if (!a.quit) {
        a.lua = lab_lua_new(&a.lo);
        if (a.lesson) {
            lesson_run(&a);
        } else if (!sandbox(&a, err, sizeof err)) {
            endwin();
            fprintf(stderr, "quorumlab: %s\n", err);
            rc = 2;
            a.quit = true;
        }
        app_rebase(&a);
        if (!a.quit) loop(&a);
    }
    if (rc == 0) endwin();
    viz_frame_free(a.frame);
    viz_view_free(&a.view);
    viz_snap_free(&a.snap);
    viz_snap_free(&a.snap2);
    viz_events_free(a.events2);
    viz_msgs_free(a.msgs2);
    viz_ops_free(a.ops2);
    viz_events_free(a.events);
    viz_msgs_free(a.msgs);
    viz_ops_free(a.ops);
    lab_lua_free(a.lua);
    if (jsonl) fclose(jsonl);
    return rc;
}
