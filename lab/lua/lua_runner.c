/* lua_runner: headless mode. Narration, check results and the notable
 * trace events (roles, elections, sessions, watches, faults, violations;
 * not message traffic) go to stdout as they happen, with simulated time;
 * the run ends with "N passed, N failed" alone on the last line. */
#include "lua_int.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

typedef struct runner {
    const lab_run_args *a;      /* the command line */
    lab_lua *lab;               /* the controller, once made */
} runner;

static void out_say(void *u, const char *text)
{
    (void)u;
    printf("%s\n", text);
}

static void out_check(void *u, bool ok, const char *msg)
{
    (void)u;
    printf("  %s - %s\n", ok ? "ok  " : "FAIL", msg);
}

/* A task, a question or what came of it: under the narration, as the
 * checks are. */
static void out_note(void *u, const char *text)
{
    (void)u;
    printf("  %s\n", text);
}

/* What a learner wants to read as it happens: state changes, not traffic
 * (of TR_NOTE, its state lines). The run's listener is given these kinds
 * only. */
#define NOTABLE_KINDS                                                        \
    (TRACE_KIND(TR_NOTE) | TRACE_KIND(TR_ROLE) | TRACE_KIND(TR_ELECTION) |  \
     TRACE_KIND(TR_SYNC) | TRACE_KIND(TR_SESSION_NEW) |                     \
     TRACE_KIND(TR_SESSION_EXPIRE) | TRACE_KIND(TR_SESSION_CLOSE) |         \
     TRACE_KIND(TR_WATCH) | TRACE_KIND(TR_FAULT) | TRACE_KIND(TR_CONTROLLER) | \
     TRACE_KIND(TR_LEADER) | TRACE_KIND(TR_ISR) | TRACE_KIND(TR_LOSS) |     \
     TRACE_KIND(TR_CLIENT) | TRACE_KIND(TR_VIOLATION))

static bool notable(const trace_event *ev)
{
    if (!(NOTABLE_KINDS & TRACE_KIND(ev->kind))) return false;
    return ev->kind != TR_NOTE || ev->code == TNOTE_STATE;
}

/* The command that reruns this exact scenario. */
static void replay_cmd(const runner *r, char *out, size_t cap)
{
    const lab_run_args *a = r->a;
    snprintf(out, cap, "%s --headless %s --seed %" PRIu64 "%s%s%s",
             a->argv0, a->script, lab_lua_seed(r->lab),
             a->lang ? " --lang " : "", a->lang ? a->lang : "",
             a->trust ? " --trust" : "");
}

static void out_event(void *u, const trace *t, const trace_event *ev)
{
    runner *r = u;
    if (!notable(ev)) return;
    char raw[256], line[340], tag[72] = "";
    trace_render(t, ev, raw, sizeof raw);
    /* two worlds compared: each line says whose */
    cluster *twin = r->lab ? lab_lua_twin(r->lab) : NULL;
    if (twin)
        snprintf(tag, sizeof tag, "[%s] ",
                 lab_lua_label(r->lab, t == sim_trace(cluster_sim(twin))));
    snprintf(line, sizeof line, "%s%s", tag, raw);
    if (ev->kind != TR_VIOLATION) {
        printf("%s\n", line);
        return;
    }
    char cmd[512];
    replay_cmd(r, cmd, sizeof cmd);
    printf("%s\n  VIOLATION (seed %" PRIu64 "): %s\n  replay: %s\n", line,
           lab_lua_seed(r->lab), ev->text, cmd);
}

int lab_headless(const lab_run_args *a)
{
    runner r = { .a = a };
    FILE *tf = NULL;
    if (a->trace_path && !(tf = fopen(a->trace_path, "w"))) {
        fprintf(stderr, "quorumlab: cannot write %s: %s\n", a->trace_path, strerror(errno));
        return 2;
    }
    lab_opts o = {
        .seed = a->seed, .seed_set = a->seed_set, .lang = a->lang,
        .trust = a->trust, .trace_jsonl = tf, .world_mem_max = a->world_mem_max,
        .out = { .say = out_say, .check = out_check, .event = out_event,
                 .event_kinds = NOTABLE_KINDS, .note = out_note, .u = &r },
        .live = a->live,
    };
    r.lab = lab_lua_new(&o);
    char err[1024] = "", tb[4096] = "";
    lab_status st = lab_lua_run_file(r.lab, a->script, err, sizeof err, tb, sizeof tb);
    int passed = lab_lua_passed(r.lab), failed = lab_lua_failed(r.lab);
    if (st == LAB_ERROR) {
        failed++;
        fflush(stdout);
        fprintf(stderr, "%s\n", err);
        if (tb[0]) fprintf(stderr, "%s\n", tb);
    } else if (st == LAB_FAILED && lab_lua_violated(r.lab) && err[0]) {
        printf("stopped: %s\n", err);
    }
    lab_lua_exit(r.lab);       /* the process ends next */
    if (tf) fclose(tf);
    fflush(stderr);
    printf("%d passed, %d failed\n", passed, failed);
    fflush(stdout);
    return st == LAB_ERROR ? 2 : st == LAB_FAILED ? 1 : 0;
}
