/* bench_viz: the dashboard's frame time for the standard cluster: taking
 * the snapshot, laying it out and drawing it with curses (into a terminal
 * on /dev/null, so the figures are the program's cost, not the terminal
 * emulator's), and the key-to-screen latency (a key press handled through
 * to the drawn frame). Prints rows "label<TAB>value<TAB>unit" for
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

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
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

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 2000;
    if (frames < 10) frames = 10;
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    char err[160];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    if (!c) { fprintf(stderr, "bench_viz: %s\n", err); return 1; }
    sim *s = cluster_sim(c);
    viz_events *ev = viz_events_new(256);
    sim_run_until(s, 5000000);
    for (int i = 0; i < 40; i++) viz_events_add(ev, (uint64_t)i * 1000, VR_NORMAL,
                                                i % 2 ? "zk3 is now LEADING epoch 1" : "fault: crash zk1");

    setenv("LINES", "40", 1);
    setenv("COLUMNS", "120", 1);
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) { fprintf(stderr, "bench_viz: no terminal description\n"); return 1; }
    set_term(scr);
    theme_init();

    viz_snap snap;
    viz_snap_init(&snap);
    snap.events = ev;
    viz_view view;
    viz_view_init(&view, 120, 40);
    viz_frame *f = viz_frame_new(120, 40);
    double *t_snap = malloc(sizeof(double) * (size_t)frames);
    double *t_layout = malloc(sizeof(double) * (size_t)frames);
    double *t_draw = malloc(sizeof(double) * (size_t)frames);
    double *t_frame = malloc(sizeof(double) * (size_t)frames);
    for (int i = 0; i < frames; i++) {
        sim_run_until(s, sim_now_us(s) + 33000);    /* a frame's worth at 1x */
        double a = now_us();
        viz_snap_take(&snap, c, &view);
        double b = now_us();
        viz_layout_fix_scroll(&snap, &view);
        viz_layout(&snap, &view, f);
        double d = now_us();
        viz_draw(f);
        double e = now_us();
        t_snap[i] = b - a;
        t_layout[i] = d - b;
        t_draw[i] = e - d;
        t_frame[i] = e - a;
    }
    /* key to screen: a key that changes the view, through to the drawn frame */
    double *t_key = malloc(sizeof(double) * (size_t)frames);
    for (int i = 0; i < frames; i++) {
        viz_cmd cmd;
        double a = now_us();
        viz_keys_handle(&view, &snap, (viz_key){ false, '\t' }, &cmd);
        viz_snap_take(&snap, c, &view);
        viz_layout(&snap, &view, f);
        viz_draw(f);
        t_key[i] = now_us() - a;
    }
    endwin();
    delscreen(scr);
    printf("# standard cluster (%d servers), 120x40 terminal on /dev/null, %d frames\n",
           cfg.zookeepers, frames);
    printf("frame median\t%.1f\tus\n", pct(t_frame, frames, 50));
    printf("frame p99\t%.1f\tus\n", pct(t_frame, frames, 99));
    printf("snapshot median\t%.1f\tus\n", pct(t_snap, frames, 50));
    printf("layout median\t%.1f\tus\n", pct(t_layout, frames, 50));
    printf("draw median\t%.1f\tus\n", pct(t_draw, frames, 50));
    printf("key to screen median\t%.1f\tus\n", pct(t_key, frames, 50));
    printf("key to screen p99\t%.1f\tus\n", pct(t_key, frames, 99));
    printf("# the large cluster (100 brokers, 10,000 partitions) waits for the brokers\n");
    free(t_snap); free(t_layout); free(t_draw); free(t_frame); free(t_key);
    viz_frame_free(f);
    viz_view_free(&view);
    viz_snap_free(&snap);
    viz_events_free(ev);
    cluster_free(c);
    fclose(out);
    fclose(in);
    return 0;
}
