/* quorumlab: the program. Parses the command line (opts.c), then runs a
 * scenario headless, the fuzzer, the lesson list or the dashboard. It
 * links lab/ and viz/ both. */
#include "opts.h"
#include "lua_lab.h"
#include "fuzz.h"
#include "viz.h"
#include "listen.h"

#include <stdio.h>
#include <string.h>

#define QUORUMLAB_VERSION "0.1"
#define LESSONS_MAX 64

static int headless(const ql_opts *o, const char *argv0)
{
    listen_ctx *l = listen_new(o->listen_addr, o->zk_port, o->kafka_port, o->listen);
    char err[256];
    if (o->replay_path && !listen_replay(l, o->replay_path, err, sizeof err)) {
        fprintf(stderr, "%s: %s\n", argv0, err);
        listen_free(l);
        return 2;
    }
    lab_run_args a = {
        .script = o->script, .argv0 = argv0, .seed = o->seed,
        .seed_set = o->seed_set, .trace_path = o->trace_path, .lang = o->lang,
        .trust = o->trust, .world_mem_max = o->world_mem_max,
        .live = listen_lab_hooks(l, true) };
    int rc = lab_headless(&a);
    if (listen_replay_left(l) > 0)
        fprintf(stderr, "%s: --replay: %d real-client records were past the script's end\n",
                argv0, listen_replay_left(l));
    listen_free(l);
    return rc;
}

static int fuzz(const ql_opts *o, const char *argv0)
{
    fuzz_opts f = {
        .first_seed = o->seed, .count = o->fuzz_count, .unsafe = o->fuzz_unsafe,
        .keep_going = o->fuzz_keep_going };
    if (o->trace_path && !(f.jsonl = fopen(o->trace_path, "w"))) {
        fprintf(stderr, "%s: cannot write the trace file: %s\n", argv0, o->trace_path);
        return 2;
    }
    int rc = fuzz_main(&f, argv0);
    if (f.jsonl) fclose(f.jsonl);
    return rc;
}

/* The lessons as the picker shows them, file and title, one a line. */
static int list(const ql_opts *o, const char *argv0)
{
    static viz_lesson l[LESSONS_MAX];
    const char *lang = o->lang ? o->lang : lab_default_lang();
    int n = viz_lessons_find(argv0, lang, l, LESSONS_MAX);
    if (n == 0) {
        fprintf(stderr, "%s: no lessons found (lessons/ here or beside the program)\n", argv0);
        return 2;
    }
    int w = 0;
    for (int i = 0; i < n; i++)
        if ((int)strlen(l[i].path) > w) w = (int)strlen(l[i].path);
    for (int i = 0; i < n; i++) printf("%-*s  %s\n", w, l[i].path, l[i].title);
    return 0;
}

/* --lesson N|NAME: the lesson's path into o->script; false after saying
 * which lessons there are. */
static bool pick_lesson(ql_opts *o, const char *argv0)
{
    static viz_lesson l[LESSONS_MAX];
    const char *lang = o->lang ? o->lang : lab_default_lang();
    int n = viz_lessons_find(argv0, lang, l, LESSONS_MAX);
    int i = viz_lesson_pick(o->lesson_pick, l, n);
    if (i >= 0) {
        o->script = l[i].path;
        return true;
    }
    if (n == 0)
        fprintf(stderr, "%s: --lesson %s: no lessons found (lessons/ here or beside the "
                "program)\n", argv0, o->lesson_pick);
    else
        fprintf(stderr, "%s: --lesson %s: no such lesson; give 1 to %d or a name "
                "(%s --list shows them)\n", argv0, o->lesson_pick, n, argv0);
    return false;
}

static int dashboard(const ql_opts *o, const char *argv0)
{
    listen_ctx *l = listen_new(o->listen_addr, o->zk_port, o->kafka_port, o->listen);
    viz_opts v = {
        .live = listen_viz_hooks(l), .lab_hooks = listen_lab_hooks(l, false),
        .sandbox = o->sandbox, .zookeepers = o->zookeepers, .brokers = o->brokers,
        .kraft = o->kraft, .compare = o->compare,
        .seed = o->seed, .seed_set = o->seed_set, .speed = o->speed,
        .lesson = o->script, .lang = o->lang, .trace_path = o->trace_path,
        .trust = o->trust, .world_mem_max = o->world_mem_max };
    int rc = viz_main(&v, argv0);
    listen_free(l);
    return rc;
}

int main(int argc, char **argv)
{
    ql_opts o;
    char err[256];
    if (!ql_opts_parse(argc, argv, &o, err, sizeof err)) {
        ql_usage_error(stderr, argv[0], err);
        return 2;
    }
    if (o.mode == QL_DASHBOARD && o.lesson_pick && !pick_lesson(&o, argv[0])) return 2;
    switch (o.mode) {
    case QL_HELP: ql_usage(stdout, argv[0]); return 0;
    case QL_VERSION: printf("quorumlab %s\n", QUORUMLAB_VERSION); return 0;
    case QL_HEADLESS: return headless(&o, argv[0]);
    case QL_FUZZ: return fuzz(&o, argv[0]);
    case QL_LIST: return list(&o, argv[0]);
    case QL_DASHBOARD: break;
    }
    return dashboard(&o, argv[0]);
}
