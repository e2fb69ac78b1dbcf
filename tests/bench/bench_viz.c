/* bench_viz: the dashboard's frame time for the standard cluster (3
 * servers, 4 brokers, topic orders 6x3 with a steady producer) and for a
 * large one (100 brokers, one topic of 10,000 partitions: the grid shows
 * only the rows on screen): taking
 * the snapshot, laying it out and drawing it with curses (into a terminal
 * on /dev/null, so the figures are the program's cost, not the terminal
 * emulator's), and the key-to-screen latency (a key press handled through
 * to the drawn frame). Frame times are wall times; the frame's CPU time
 * (this thread's) is printed too, as a p99 that a busy machine's
 * preemptions do not move. Prints rows "label<TAB>value<TAB>unit" for
 * tests/bench.sh; a benchmark, never a pass/fail test.
 *   bench_viz [frames]   (default 2000) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curses_wrap.h"
#include "draw.h"
#include "keys.h"
#include "layout.h"
#include "ops.h"
#include "hist.h"
#include "kafka_world.h"

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, int n, int p)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int i = n * p / 100;
    return v[i >= n ? n - 1 : i];
}

typedef struct figures {
    double frame50, frame99, cpu99, snap50, layout50, draw50, key50, key99;
} figures;

/* Frames of the world c as the dashboard takes them: the world runs a
 * frame's worth (33 ms at 1x) with the ops' ticks, then snapshot, layout
 * and curses draw; then key-to-screen with Tab (which moves the selection
 * and scrolls the grid's columns). */
static figures measure(cluster *c, viz_ops *ops, int frames, int w, int h)
{
    viz_events *ev = viz_events_new(256);
    for (int i = 0; i < 40; i++) viz_events_add(ev, (uint64_t)i * 1000, VR_NORMAL,
                                                i % 2 ? "zk3 is now LEADING epoch 1" : "fault: crash zk1");
    viz_hist hist;
    viz_hist_reset(&hist);
    viz_snap snap;
    viz_snap_init(&snap);
    snap.events = ev;
    snap.hist = &hist;
    viz_view view;
    viz_view_init(&view, w, h);
    viz_frame *f = viz_frame_new(w, h);
    double *t[6];
    for (int k = 0; k < 6; k++) t[k] = malloc(sizeof(double) * (size_t)frames);
    sim *s = cluster_sim(c);
    for (int i = 0; i < frames; i++) {
        viz_ops_run_until(ops, c, sim_now_us(s) + 33000);
        double a = now_us(), ca = cpu_us();
        viz_snap_take(&snap, c, &view);
        viz_snap_grid(&snap, c, view.grid_top, viz_layout_grid_rows(&snap, &view));
        viz_hist_sample(&hist, &snap);
        double b = now_us();
        viz_layout_fix_scroll(&snap, &view);
        viz_layout(&snap, &view, f);
        double d = now_us();
        viz_draw(f);
        double e = now_us();
        t[5][i] = cpu_us() - ca;
        t[0][i] = e - a;
        t[1][i] = b - a;
        t[2][i] = d - b;
        t[3][i] = e - d;
        if (i % 10 == 9) view.grid_top += 20;   /* paging through the grid */
    }
    for (int i = 0; i < frames; i++) {
        viz_cmd cmd;
        double a = now_us();
        viz_keys_handle(&view, &snap, (viz_key){ .fn = false, .code = '\t' }, &cmd);
        viz_snap_take(&snap, c, &view);
        viz_snap_grid(&snap, c, view.grid_top, viz_layout_grid_rows(&snap, &view));
        viz_layout_fix_scroll(&snap, &view);
        viz_layout(&snap, &view, f);
        viz_draw(f);
        t[4][i] = now_us() - a;
    }
    figures r = { pct(t[0], frames, 50), pct(t[0], frames, 99), pct(t[5], frames, 99),
                  pct(t[1], frames, 50),
                  pct(t[2], frames, 50), pct(t[3], frames, 50), pct(t[4], frames, 50),
                  pct(t[4], frames, 99) };
    for (int k = 0; k < 6; k++) free(t[k]);
    viz_frame_free(f);
    viz_view_free(&view);
    viz_snap_free(&snap);
    viz_events_free(ev);
    return r;
}

static void print(const char *what, const figures *r)
{
    printf("%s frame median\t%.1f\tus\n", what, r->frame50);
    printf("%s frame p99\t%.1f\tus\n", what, r->frame99);
    printf("%s frame p99 (cpu)\t%.1f\tus\n", what, r->cpu99);
    printf("%s snapshot median\t%.1f\tus\n", what, r->snap50);
    printf("%s layout median\t%.1f\tus\n", what, r->layout50);
    printf("%s draw median\t%.1f\tus\n", what, r->draw50);
    printf("%s key to screen median\t%.1f\tus\n", what, r->key50);
    printf("%s key to screen p99\t%.1f\tus\n", what, r->key99);
}

/* A world with brokers and one topic made through the admin client, as
 * the dashboard's :topic does, with per_tick records a tick produced. */
static cluster *world(int brokers, const char *topic, int parts, int per_tick,
                      viz_ops **ops)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = brokers;
    char err[160];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    if (!c) { fprintf(stderr, "bench_viz: %s\n", err); return NULL; }
    *ops = viz_ops_new();
    viz_ops_sandbox(*ops, topic, parts, 3, per_tick);
    sim *s = cluster_sim(c);
    /* until the last partition has a leader (at most 10 simulated minutes) */
    for (int i = 0; i < 600; i++) {
        viz_ops_run_until(*ops, c, sim_now_us(s) + 1000000);
        kafka_pstate st;
        int n = 0;
        if (kafka_world_pstate(cluster_kafka(c), topic, parts - 1, &st, &n) &&
            st.leader >= 0)
            return c;
    }
    fprintf(stderr, "bench_viz: topic %s did not come up\n", topic);
    return c;
}

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 1000;
    if (frames < 10) frames = 10;
    setenv("LINES", "40", 1);
    setenv("COLUMNS", "120", 1);
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) { fprintf(stderr, "bench_viz: no terminal description\n"); return 1; }
    set_term(scr);
    theme_init();
    viz_ops *ops = NULL;
    cluster *c = world(4, "orders", 6, 5, &ops);
    if (!c) return 1;
    figures std = measure(c, ops, frames, 120, 40);
    cluster_free(c);
    viz_ops_free(ops);
    c = world(100, "big", 10000, 1, &ops);
    if (!c) return 1;
    figures big = measure(c, ops, frames / 5 > 10 ? frames / 5 : 10, 160, 50);
    cluster_free(c);
    viz_ops_free(ops);
    endwin();
    delscreen(scr);
    printf("# standard cluster (3 servers, 4 brokers, orders 6x3, a producer), 120x40 on /dev/null, %d frames\n",
           frames);
    print("standard", &std);
    printf("# large cluster (3 servers, 100 brokers, 10,000 partitions RF 3), 160x50\n");
    print("large", &big);
    fclose(out);
    fclose(in);
    return 0;
}
