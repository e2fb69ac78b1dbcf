/* quorumlab: the program. Parses the command line, then runs a scenario
 * headless or hands over to the dashboard when it is built in. */
#include "lua_lab.h"
#include "fuzz.h"
#include "viz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QL_VERSION "0.1"
#define DEMO "scripts/demo.lua"

/* The dashboard is optional at link time: viz/ defines it when it exists. */
#pragma weak viz_main

static void usage(FILE *f, const char *argv0)
{
    fprintf(f,
        "usage: %s [LESSON.lua] [--sandbox] [--zookeepers N] [--brokers N] [--speed X]\n"
        "       %s --headless FILE.lua [--seed N] [--trace FILE] [--lang en|ko] [--trust]\n"
        "       %s --fuzz N [--seed S] [--fuzz-unsafe] [--fuzz-keep-going]\n"
        "\n"
        "The dashboard (a terminal of at least 80x24):\n"
        "  (no arguments)   a picker: the sandbox or one of lessons/*.lua\n"
        "  LESSON.lua       run that lesson, step by step (n next, b back)\n"
        "  --sandbox        free play: a cluster and one topic to break\n"
        "  --zookeepers N   ensemble servers in the sandbox (default 3)\n"
        "  --brokers N      brokers in the sandbox (default 4)\n"
        "  --speed X        simulated seconds per wall second (default 10)\n"
        "  press ? in the dashboard for every key\n"
        "\n"
        "Headless and common options:\n"
        "  --headless FILE  run a scenario without the dashboard: narration,\n"
        "                   checks and notable events print as they happen;\n"
        "                   the last line is \"N passed, N failed\"\n"
        "  --seed N         the world's seed (overrides lab.cluster{seed})\n"
        "  --trace FILE     write every trace event as JSON Lines\n"
        "  --lang en|ko     narration language (default: from LANG)\n"
        "  --trust          give the script the full Lua standard library\n"
        "  --fuzz N         fuzz seeds S..S+N-1 (S from --seed, default 1):\n"
        "                   random worlds, workloads and faults, every\n"
        "                   invariant checked; a failure prints the settings\n"
        "                   and the command that replays it\n"
        "  --fuzz-unsafe    fuzz with unclean election on and\n"
        "                   min.insync.replicas=1, where any acknowledged\n"
        "                   record lost counts as a failure (shows the audit bites)\n"
        "  --fuzz-keep-going  run every seed instead of stopping at the first failure\n"
        "  --help, --version\n"
        "\n"
        "Exit status: 0 every check passed, 1 a check failed or an invariant\n"
        "broke, 2 the script raised an error or the command line was wrong.\n"
        "The Lua API is in scripts/README.md.\n", argv0, argv0, argv0);
}

static int bad(const char *argv0, const char *what, const char *arg)
{
    fprintf(stderr, "%s: %s%s%s\n(try --help)\n", argv0, what, arg ? ": " : "",
            arg ? arg : "");
    return 2;
}

/* The demo beside the binary when not run from the source tree. */
static const char *find_demo(const char *argv0, char *buf, size_t cap)
{
    if (access(DEMO, R_OK) == 0) return DEMO;
    const char *slash = strrchr(argv0, '/');
    if (!slash) return DEMO;
    snprintf(buf, cap, "%.*s/../%s", (int)(slash - argv0), argv0, DEMO);
    return buf;
}

int main(int argc, char **argv)
{
    lab_run_args a = { .argv0 = argv[0] };
    bool headless = false;
    bool fuzzing = false;
    fuzz_opts fuzz = { .first_seed = 1 };
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = strcmp(o, "--headless") == 0 || strcmp(o, "--seed") == 0 ||
                     strcmp(o, "--trace") == 0 || strcmp(o, "--lang") == 0 ||
                     strcmp(o, "--fuzz") == 0;
        if (takes && !v) return bad(argv[0], "missing value after", o);
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout, argv[0]);
            return 0;
        } else if (strcmp(o, "--version") == 0) {
            printf("quorumlab %s\n", QL_VERSION);
            return 0;
        } else if (strcmp(o, "--headless") == 0) {
            headless = true;
            a.script = argv[++i];
        } else if (strcmp(o, "--seed") == 0) {
            char *end;
            errno = 0;
            a.seed = strtoull(v, &end, 10);
            if (errno || end == v || *end || *v == '-')
                return bad(argv[0], "--seed takes a number from 0 to 2^64-1", v);
            a.seed_set = true;
            i++;
        } else if (strcmp(o, "--trace") == 0) {
            a.trace_path = argv[++i];
        } else if (strcmp(o, "--lang") == 0) {
            if (strcmp(v, "en") != 0 && strcmp(v, "ko") != 0)
                return bad(argv[0], "--lang takes en or ko", v);
            a.lang = argv[++i];
        } else if (strcmp(o, "--fuzz") == 0) {
            char *end;
            errno = 0;
            fuzz.count = strtoull(v, &end, 10);
            if (errno || end == v || *end || *v == '-' || fuzz.count == 0)
                return bad(argv[0], "--fuzz takes a number of seeds from 1", v);
            fuzzing = true;
            i++;
        } else if (strcmp(o, "--fuzz-unsafe") == 0) {
            fuzz.unsafe = true;
        } else if (strcmp(o, "--fuzz-keep-going") == 0) {
            fuzz.keep_going = true;
        } else if (strcmp(o, "--trust") == 0) {
            a.trust = true;
        } else if (strcmp(o, "--sandbox") == 0 || strcmp(o, "--zookeepers") == 0 ||
                   strcmp(o, "--brokers") == 0 || strcmp(o, "--speed") == 0) {
            /* the dashboard's own options: viz_main reads them */
            if (strcmp(o, "--sandbox") != 0) {
                if (!v) return bad(argv[0], "missing value after", o);
                i++;
            }
        } else if (o[0] == '-' || headless || a.script) {
            return bad(argv[0], "unexpected argument", o);
        } else {
            a.script = o;       /* a lesson for the dashboard */
        }
    }
    if ((fuzz.unsafe || fuzz.keep_going) && !fuzzing)
        return bad(argv[0], "--fuzz-unsafe and --fuzz-keep-going need --fuzz N", NULL);
    if (fuzzing) {
        if (headless || a.script) return bad(argv[0], "--fuzz runs no script", NULL);
        if (a.seed_set) fuzz.first_seed = a.seed;
        if (a.trace_path && !(fuzz.jsonl = fopen(a.trace_path, "w")))
            return bad(argv[0], "cannot write the trace file", a.trace_path);
        int rc = fuzz_main(&fuzz, argv[0]);
        if (fuzz.jsonl) fclose(fuzz.jsonl);
        return rc;
    }
    if (!headless && viz_main) return viz_main(argc, argv);
    char demo[4096];
    if (!a.script) {
        a.script = find_demo(argv[0], demo, sizeof demo);
        if (!headless)
            printf("(the dashboard is not built yet: running %s headless)\n", a.script);
    }
    return lab_headless(&a);
}
