/* bench_lua: the scale run through the Lua API, as a learner's script
 * does it (tests/bench/scale.lua run by the real program), beside the same
 * run through the C API (bench_kafka's scale run with the same topics:
 * one per 10,000 partitions, as the script makes them), each a
 * whole process timed from outside: wall time from fork to exit, and the
 * child's CPU time (user + system) and peak RSS as the kernel accounts
 * them (wait4). On a shared machine the CPU ratio is the steadier one:
 * wall time also counts the time other processes held the cores. Runs
 * alternate, C then Lua (once when a pair takes over a minute), and the
 * medians are printed, as "label<TAB>value<TAB>unit"
 * rows for tests/bench.sh; figures only, never pass/fail.
 *   bench_lua [build_dir [runs [sizes]]]   (build 3 100x10000,300x100000)
 * A size is BROKERSxPARTITIONS; a failed run is printed as comments. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench_util.h"

#define RUNS_MAX 15

typedef struct fig {
    double wall_s, cpu_s, rss_mib;
    int rc;                     /* exit status, -1 killed or not started */
} fig;

/* Runs argv with extra environment vars, its output to out; whole-process
 * wall time and peak RSS of the child. */
static fig run(char *const argv[], const char *brokers, const char *parts,
               const char *out)
{
    fig f = { 0, 0, 0, -1 };
    double t0 = wall_s();
    pid_t pid = fork();
    if (pid < 0) return f;
    if (pid == 0) {
        setenv("BENCH_BROKERS", brokers, 1);
        setenv("BENCH_PARTITIONS", parts, 1);
        if (!freopen(out, "w", stdout) || !freopen(out, "a", stderr)) _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) return f;
    f.wall_s = wall_s() - t0;
    f.cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
              (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    f.rss_mib = (double)ru.ru_maxrss / 1024.0;
    f.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return f;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Prints a failed run's last lines. */
static void tail(const char *what, const char *out, int rc)
{
    printf("# %s exited %d; its last lines:\n", what, rc);
    FILE *f = fopen(out, "r");
    char line[256], last[8][256];
    int n = 0;
    while (f && fgets(line, sizeof line, f)) snprintf(last[n++ % 8], sizeof last[0], "%s", line);
    for (int i = n > 8 ? n - 8 : 0; i < n; i++) printf("#   %s", last[i % 8]);
    if (f) fclose(f);
}

/* One size: runs C and Lua in turn, runs times each; false on a failure. */
static bool size(const char *build, int runs, int brokers, int parts)
{
    char b[16], p[16], nt[16], cbin[256], lbin[256], out[64];
    int ntopics = (parts + 9999) / 10000;
    snprintf(b, sizeof b, "%d", brokers);
    snprintf(p, sizeof p, "%d", parts);
    snprintf(nt, sizeof nt, "%d", ntopics);
    snprintf(cbin, sizeof cbin, "%s/bench/bench_kafka", build);
    snprintf(lbin, sizeof lbin, "%s/quorumlab", build);
    snprintf(out, sizeof out, "/tmp/bench_lua.%d.out", (int)getpid());
    char *cargv[] = { cbin, "0", b, p, nt, NULL };
    char *largv[] = { lbin, "--headless", "tests/bench/scale.lua", "--trust", NULL };
    double cw[RUNS_MAX], cr[RUNS_MAX], lw[RUNS_MAX], lr[RUNS_MAX];
    double cc[RUNS_MAX], lc[RUNS_MAX];
    for (int i = 0; i < runs; i++) {
        /* a pair of runs past a minute is measured once: make bench
         * stays a few minutes long */
        if (i == 1 && cw[0] + lw[0] > 60) runs = 1;
        if (i >= runs) break;
        fig c = run(cargv, b, p, out);
        if (c.rc != 0) { tail("the C path", out, c.rc); remove(out); return false; }
        fig l = run(largv, b, p, out);
        if (l.rc != 0) { tail("the Lua path", out, l.rc); remove(out); return false; }
        cw[i] = c.wall_s; cr[i] = c.rss_mib; cc[i] = c.cpu_s;
        lw[i] = l.wall_s; lr[i] = l.rss_mib; lc[i] = l.cpu_s;
    }
    remove(out);
    char label[64];
    double c_wall = median(cw, runs), l_wall = median(lw, runs);
    double c_cpu = median(cc, runs), l_cpu = median(lc, runs);
    printf("# %d brokers, %d partitions RF 3 in %d topic(s): create, crash a broker,\n"
           "# every partition re-led; whole process, median of %d runs; both paths\n"
           "# lift zookeeper.max.in.flight.requests (Kafka's 10) as bench_kafka does\n",
           brokers, parts, ntopics, runs);
    snprintf(label, sizeof label, "%dx%d: C path wall", brokers, parts);
    row(label, c_wall, "s");
    snprintf(label, sizeof label, "%dx%d: Lua path wall", brokers, parts);
    row(label, l_wall, "s");
    snprintf(label, sizeof label, "%dx%d: Lua / C wall", brokers, parts);
    row(label, l_wall / c_wall, "x");
    snprintf(label, sizeof label, "%dx%d: C path CPU", brokers, parts);
    row(label, c_cpu, "s");
    snprintf(label, sizeof label, "%dx%d: Lua path CPU", brokers, parts);
    row(label, l_cpu, "s");
    snprintf(label, sizeof label, "%dx%d: Lua / C CPU", brokers, parts);
    row(label, l_cpu / c_cpu, "x");
    snprintf(label, sizeof label, "%dx%d: C path peak RSS", brokers, parts);
    row(label, median(cr, runs), "MiB");
    snprintf(label, sizeof label, "%dx%d: Lua path peak RSS", brokers, parts);
    row(label, median(lr, runs), "MiB");
    fflush(stdout);
    return true;
}

int main(int argc, char **argv)
{
    const char *build = argc > 1 ? argv[1] : "build";
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    const char *sizes = argc > 3 ? argv[3] : "100x10000,300x100000";
    if (runs < 1) runs = 1;
    if (runs > RUNS_MAX) runs = RUNS_MAX;
    int ok = 0;
    for (const char *s = sizes; *s;) {
        int brokers, parts, used;
        if (sscanf(s, "%dx%d%n", &brokers, &parts, &used) != 2) break;
        if (size(build, runs, brokers, parts)) ok++;
        s += used;
        while (*s == ',' || *s == ' ') s++;
    }
    return ok ? 0 : 1;
}
