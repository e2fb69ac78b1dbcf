/* app: the dashboard's input loop. One pass: read the keys waiting, let
 * simulated time catch up with wall time times the speed (within a work
 * budget, so keys stay responsive), take a snapshot and redraw only when
 * something changed. Wall time is read here and only here: the world
 * itself never sees it. */
#include "viz.h"
#include "app.h"
#include "draw.h"
#include "keys.h"
#include "layout.h"
#include "lua_lab.h"
#include "text.h"
#include "util.h"

#include "curses_wrap.h"
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FRAME_MS 33             /* input wait per pass: ~30 frames a second */
#define WORK_BUDGET_MS 20       /* simulation work per pass at most */

typedef struct app {
    viz_opts opts;
    lab_lua *lua;               /* the Lua controller: owns the world */
    cluster *world;             /* its current world (:lua may replace it) */
    viz_events *events;
    viz_snap snap;
    viz_view view;
    viz_frame *frame;
    bool running;               /* simulation runs (space toggles) */
    double speed;
    uint64_t wall_base_ms;      /* wall time matching sim_base_us */
    uint64_t sim_base_us;
    bool quit;
} app;

static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

/* A crash must not leave the learner's terminal in curses mode. */
static void on_fatal(int sig)
{
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static uint64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Hooks of the Lua controller: every trace event of its current world,
 * and its narration (lab.say, print) which goes to the log. */
static void on_event(void *u, const trace *t, const trace_event *ev)
{
    app *a = u;
    cluster *w = lab_lua_world(a->lua);
    viz_events_offer(a->events, w ? cluster_sim(w) : NULL, ev);
}

static void on_say(void *u, const char *text)
{
    app *a = u;
    cluster *w = lab_lua_world(a->lua);
    viz_events_add(a->events, w ? sim_now_us(cluster_sim(w)) : 0, VR_NORMAL, text);
}

static void on_check(void *u, bool ok, const char *msg)
{
    app *a = u;
    cluster *w = lab_lua_world(a->lua);
    char line[200];
    snprintf(line, sizeof line, "check %s: %s", ok ? "passed" : "FAILED", msg);
    viz_events_add(a->events, w ? sim_now_us(cluster_sim(w)) : 0,
                   ok ? VR_GOOD : VR_BAD, line);
}

static void rebase(app *a)
{
    a->wall_base_ms = wall_ms();
    a->sim_base_us = sim_now_us(cluster_sim(a->world));
}

/* Runs the world up to where wall time says it should be. Returns true
 * when simulated time moved. */
static bool advance(app *a)
{
    if (!a->running) return false;
    sim *s = cluster_sim(a->world);
    uint64_t before = sim_now_us(s);
    uint64_t now = wall_ms();
    uint64_t target = a->sim_base_us +
                      (uint64_t)((double)(now - a->wall_base_ms) * a->speed * 1000.0);
    uint64_t deadline = now + WORK_BUDGET_MS;
    uint64_t next;
    int n = 0;
    while (sim_next_time(s, &next) && next <= target) {
        sim_step(s);
        /* reading the clock every event would cost more than the events */
        if (++n % 256 == 0 && wall_ms() > deadline) {
            rebase(a);      /* too slow for this speed: drop the debt */
            return sim_now_us(s) != before;
        }
    }
    sim_run_until(s, target);
    return sim_now_us(s) != before;
}

/* One event, and what it was, for the '.' key. */
static void step_once(app *a)
{
    sim *s = cluster_sim(a->world);
    trace *t = sim_trace(s);
    uint64_t total = trace_total(t);
    if (!sim_step(s)) {
        viz_view_status(&a->view, VR_DIM, "step: nothing left to run");
        return;
    }
    if (trace_total(t) > total && trace_count(t) > 0) {
        char line[256];
        trace_render(t, trace_get(t, trace_count(t) - 1), line, sizeof line);
        const char *p = line;
        while (*p == ' ') p++;
        viz_view_status(&a->view, VR_NORMAL, "step: %s", p);
    } else {
        viz_view_status(&a->view, VR_NORMAL, "step: t=%.3fs (a timer)",
                        (double)sim_now_us(s) / 1e6);
    }
}

/* A :lua statement may have built a new world: show that one. The log
 * keeps only the lines added since version `mark` (the statement's), so two
 * worlds' clocks do not mix. */
static void follow_world(app *a, uint64_t mark)
{
    cluster *w = lab_lua_world(a->lua);
    if (!w || w == a->world) return;
    a->world = w;
    rebase(a);
    viz_events *fresh = viz_events_new(256);
    viz_events_add(fresh, 0, VR_DIM, "a new world was built");
    /* the version counts every change since mark: at most that many lines */
    uint64_t changed = viz_events_version(a->events) - mark;
    int n = viz_events_count(a->events);
    int from = changed >= (uint64_t)n ? 0 : n - (int)changed;
    for (int i = from; i < n; i++) {
        const viz_event *ev = viz_events_get(a->events, i);
        viz_events_add(fresh, ev->at_us, ev->role, ev->text);
    }
    viz_events_free(a->events);
    a->events = fresh;
}

static void run_cmd(app *a, const viz_cmd *cmd)
{
    char msg[256];
    if (viz_cmd_is_world(cmd->kind)) {
        bool ok = viz_act(a->world, cmd, msg, sizeof msg);
        viz_view_status(&a->view, ok ? VR_GOOD : VR_BAD, "%s", msg);
        return;
    }
    switch (cmd->kind) {
    case VC_QUIT: a->quit = true; break;
    case VC_HELP: a->view.help = true; break;
    case VC_RUN_TOGGLE: case VC_RUN: case VC_HOLD:
        a->running = cmd->kind == VC_RUN_TOGGLE ? !a->running : cmd->kind == VC_RUN;
        rebase(a);
        viz_view_status(&a->view, VR_DIM, a->running ? "running" :
                        "paused: space resumes, . steps one event");
        break;
    case VC_STEP:
        if (a->running) { a->running = false; rebase(a); }
        step_once(a);
        break;
    case VC_FASTER: case VC_SLOWER: case VC_SPEED:
        a->speed = cmd->kind == VC_SPEED ? cmd->speed
                   : viz_speed_step(a->speed, cmd->kind == VC_FASTER ? 1 : -1);
        rebase(a);
        viz_view_status(&a->view, VR_DIM, "speed %gx", a->speed);
        break;
    case VC_LUA: {
        char err[256];
        uint64_t mark = viz_events_version(a->events);
        lab_status st = lab_lua_run_string(a->lua, cmd->text, "=:lua", err,
                                           sizeof err, NULL, 0);
        if (st == LAB_ERROR) viz_view_status(&a->view, VR_BAD, "lua: %s", err);
        else viz_view_status(&a->view, VR_GOOD, "lua: ok");
        follow_world(a, mark);
        break;
    }
    default:
        viz_view_status(&a->view, VR_BAD, "not available yet");
        break;
    }
}

static viz_key read_key(int *got)
{
    wint_t ch;
    int r = get_wch(&ch);
    viz_key k = { false, 0 };
    *got = r != ERR;
    if (r == KEY_CODE_YES) { k.fn = true; k.code = (uint32_t)ch; }
    else if (r == OK) k.code = (uint32_t)ch;
    return k;
}

static void fill_header(app *a)
{
    a->snap.mode = a->opts.lesson ? "lesson" : "sandbox";
    a->snap.speed = a->speed;
    a->snap.running = a->running;
    a->snap.events = a->events;
}

static int loop(app *a)
{
    bool dirty = true;
    uint64_t shown_us = UINT64_MAX;
    while (!a->quit && !got_signal) {
        int got;
        timeout(dirty ? 0 : FRAME_MS);
        viz_key k = read_key(&got);
        while (got) {
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
            if (r != VK_NONE) dirty = true;
            if (a->quit) break;
            timeout(0);
            k = read_key(&got);
        }
        if (a->quit) break;
        advance(a);
        if (sim_now_us(cluster_sim(a->world)) != shown_us) dirty = true;
        if (!dirty) continue;
        viz_snap_take(&a->snap, a->world, &a->view);
        fill_header(a);
        viz_layout_fix_scroll(&a->snap, &a->view);
        viz_layout(&a->snap, &a->view, a->frame);
        viz_draw(a->frame);
        shown_us = a->snap.now_us;
        dirty = false;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: quorumlab [--sandbox] [--zookeepers N] [--brokers N] "
               "[--seed N] [--speed X] [--lang ko|en] [LESSON.lua]\n"
               "       quorumlab --headless SCRIPT.lua   (no terminal needed)\n");
}

int viz_main(int argc, char **argv)
{
    app a;
    memset(&a, 0, sizeof a);
    char err[256];
    if (!viz_opts_parse(argc, argv, &a.opts, err, sizeof err)) {
        fprintf(stderr, "quorumlab: %s\n", err);
        usage(stderr);
        return 2;
    }
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
        fprintf(stderr, "quorumlab: the dashboard needs a terminal; "
                        "use --headless SCRIPT.lua to run without one\n");
        return 2;
    }
    setlocale(LC_ALL, "");
    FILE *jsonl = NULL;
    if (a.opts.trace_path && !(jsonl = fopen(a.opts.trace_path, "w"))) {
        fprintf(stderr, "quorumlab: cannot write %s\n", a.opts.trace_path);
        return 2;
    }
    a.events = viz_events_new(256);
    lab_opts lo = {
        .seed = a.opts.seed, .seed_set = true, .lang = a.opts.lang,
        .trust = a.opts.trust, .trace_jsonl = jsonl,
        .out = { .say = on_say, .check = on_check, .event = on_event, .u = &a },
    };
    a.lua = lab_lua_new(&lo);
    /* the sandbox world is built by the controller, so :lua statements
     * act on the very world on screen */
    char src[160], tb[64];
    snprintf(src, sizeof src, "lab.cluster{ zookeepers = %d, brokers = %d }",
             a.opts.zookeepers, a.opts.brokers);
    lab_status st = lab_lua_run_string(a.lua, src, "=sandbox", err, sizeof err,
                                       tb, sizeof tb);
    if ((st == LAB_ERROR || !lab_lua_world(a.lua)) && !a.opts.brokers_set) {
        /* a world without brokers yet: the ensemble alone */
        snprintf(src, sizeof src, "lab.cluster{ zookeepers = %d }", a.opts.zookeepers);
        st = lab_lua_run_string(a.lua, src, "=sandbox", err, sizeof err, tb, sizeof tb);
    }
    if (st == LAB_ERROR || !lab_lua_world(a.lua)) {
        fprintf(stderr, "quorumlab: %s\n", err);
        lab_lua_free(a.lua);
        viz_events_free(a.events);
        if (jsonl) fclose(jsonl);
        return 2;
    }
    a.world = lab_lua_world(a.lua);
    a.speed = a.opts.speed;
    a.running = true;
    viz_snap_init(&a.snap);
    if (a.opts.lesson) {
        snprintf(a.snap.title, sizeof a.snap.title, "%s", a.opts.lesson);
        snprintf(a.snap.lesson, sizeof a.snap.lesson,
                 "Lessons do not run in the dashboard yet. Run this one "
                 "headless: quorumlab --headless %s\nMeanwhile this is the "
                 "sandbox: break things with the keys below.", a.opts.lesson);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGSEGV, on_fatal);
    signal(SIGABRT, on_fatal);
    signal(SIGBUS, on_fatal);
    signal(SIGFPE, on_fatal);
    set_escdelay(25);
    initscr();
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    theme_init();
    int h, w;
    getmaxyx(stdscr, h, w);
    viz_view_init(&a.view, w, h);
    viz_view_status(&a.view, VR_DIM, "? shows every key; : opens the command line");
    a.frame = viz_frame_new(w, h);
    rebase(&a);
    int rc = loop(&a);
    endwin();
    viz_frame_free(a.frame);
    viz_view_free(&a.view);
    viz_snap_free(&a.snap);
    viz_events_free(a.events);
    lab_lua_free(a.lua);
    if (jsonl) fclose(jsonl);
    return rc;
}
