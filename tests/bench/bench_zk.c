/* bench_zk: the simulator under a real protocol load (issue 2's
 * benchmark). A 5-server ensemble serves client sessions: some write their
 * own znode every 100 ms (simulated), the others stay idle and only send
 * heartbeats. The ensemble is built with cluster_new and the sessions with
 * cluster_zk_client, as a script would. Prints rows
 * "label<TAB>value<TAB>unit" for tests/bench.sh; a benchmark, never a
 * pass/fail test. Wall-clock reading is allowed here, never in lab/.
 *   bench_zk [simulated_minutes [writers [idle_sessions]]]  (10 50 50) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "bench_util.h"
#include "cluster.h"

enum { SERVERS = 5, WRITE_EVERY_US = 100000, SESSION_MS = 10000 };

typedef struct writer {
    struct load *load;      /* the whole load */
    zk_client *zc;          /* its session */
    char path[32];          /* its own znode */
    bool ready;             /* its znode exists: writes may start */
    bool busy;              /* a write is in flight */
    uint64_t sent_at_us;    /* when the in-flight write was sent */
    uint32_t counter;       /* value of the next write */
} writer;

typedef struct load {
    sim *s;
    writer *w;
    int nw;
    uint64_t acked, failed, skipped;   /* writes by outcome */
    uint64_t lat_sum_us, lat_max_us;   /* simulated write latency */
} load;

static void set_done(void *ctx, const zk_result *r)
{
    writer *w = ctx;
    load *l = w->load;
    uint64_t lat = sim_now_us(l->s) - w->sent_at_us;
    w->busy = false;
    if (r->err != ZOK) {
        l->failed++;
        return;
    }
    l->acked++;
    l->lat_sum_us += lat;
    if (lat > l->lat_max_us) l->lat_max_us = lat;
}

/* The load driver: a world event per writer every 100 ms. A writer whose
 * previous write is still in flight skips a beat instead of queueing. */
static void write_tick(void *ctx, uint64_t arg)
{
    load *l = ctx;
    writer *w = &l->w[arg];
    if (w->ready && !w->busy) {
        uint8_t data[16];
        int n = snprintf((char *)data, sizeof data, "%u", w->counter++);
        w->busy = true;
        w->sent_at_us = sim_now_us(l->s);
        zk_set(w->zc, w->path, data, (size_t)n, -1, set_done, w);
    } else if (w->ready) {
        l->skipped++;
    }
    sim_at(l->s, WRITE_EVERY_US, write_tick, l, arg);
}

static void create_done(void *ctx, const zk_result *r);

static void create_retry(void *ctx, uint64_t arg)
{
    writer *w = ctx;
    (void)arg;
    zk_create(w->zc, w->path, NULL, 0, 0, create_done, w);
}

static void create_done(void *ctx, const zk_result *r)
{
    writer *w = ctx;
    if (r->err == ZOK || r->err == ZNODEEXISTS) {
        w->ready = true;
    } else if (r->err != ZSESSIONEXPIRED) {
        /* no quorum yet or connection lost: try again a little later */
        sim_at(w->load->s, 500000, create_retry, w, 0);
    }
}

static bool serving(cluster *c)
{
    ensemble_info e;
    cluster_ensemble(c, &e);
    return e.serving;
}

int main(int argc, char **argv)
{
    uint64_t minutes = argc > 1 ? strtoull(argv[1], NULL, 10) : 10;
    int nw = argc > 2 ? atoi(argv[2]) : 50;
    int nidle = argc > 3 ? atoi(argv[3]) : 50;
    if (minutes == 0) minutes = 1;
    if (nw < 0) nw = 0;
    if (nidle < 0) nidle = 0;

    double t_build = wall_s();
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.zookeepers = SERVERS;
    char err[128];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    if (!c) {
        fprintf(stderr, "bench_zk: %s\n", err);
        return 1;
    }
    sim *s = cluster_sim(c);

    /* settle the first election (bounded: 2 simulated minutes) */
    while (!serving(c) && sim_now_us(s) < 120000000ULL)
        sim_run_until(s, sim_now_us(s) + 100000);
    uint64_t elected_us = sim_now_us(s);
    if (!serving(c)) {
        fprintf(stderr, "bench_zk: no serving leader after %llu s\n",
                (unsigned long long)(elected_us / 1000000));
        return 1;
    }

    load l = { .s = s, .nw = nw, .w = calloc((size_t)nw + 1, sizeof(writer)) };
    int sids[SERVERS];
    for (int i = 0; i < nw + nidle; i++) {
        /* spread sessions over the servers: each connect string starts
         * at a different one */
        for (int k = 0; k < SERVERS; k++) sids[k] = (i + k) % SERVERS + 1;
        int node;
        zk_client *zc = cluster_zk_client(c, sids, SERVERS, SESSION_MS, &node);
        if (!zc) {
            fprintf(stderr, "bench_zk: no room for client %d\n", i + 1);
            return 1;
        }
        if (i >= nw) continue;              /* idle: heartbeats only */
        writer *w = &l.w[i];
        *w = (writer){ .load = &l, .zc = zc };
        snprintf(w->path, sizeof w->path, "/bench-%d", i);
        zk_create(zc, w->path, NULL, 0, 0, create_done, w);
        /* stagger the writers across the 100 ms period */
        sim_at(s, (uint64_t)(i * (WRITE_EVERY_US / (nw ? nw : 1))), write_tick,
               &l, (uint64_t)i);
    }
    /* warm-up: sessions connect and create their znodes */
    sim_run_until(s, sim_now_us(s) + 5000000);
    double setup_wall = wall_s() - t_build;

    uint64_t ev0 = sim_events_run(s), tr0 = trace_total(sim_trace(s));
    uint64_t acked0 = l.acked, t0_us = sim_now_us(s);
    double t0 = wall_s();
    sim_run_until(s, t0_us + minutes * 60000000ULL);
    double wall = wall_s() - t0;
    uint64_t events = sim_events_run(s) - ev0;
    double sim_sec = (double)(sim_now_us(s) - t0_us) / 1e6;

    ensemble_info e;
    cluster_ensemble(c, &e);
    printf("# bench_zk: %d servers, %d sessions writing every %d ms, %d idle\n"
           "# sessions (heartbeats only), session timeout %d ms; measured over\n"
           "# %llu simulated min after election and a 5 s warm-up\n",
           SERVERS, nw, WRITE_EVERY_US / 1000, nidle, SESSION_MS,
           (unsigned long long)minutes);
    row("first leader elected at", (double)elected_us / 1e6, "s simulated");
    row("setup wall time", setup_wall, "s");
    row("simulated time", sim_sec, "s");
    row("wall time", wall, "s");
    row("events", (double)events, "");
    row("trace events", (double)(trace_total(sim_trace(s)) - tr0), "");
    row("events per wall second", (double)events / wall, "ev/s");
    row("simulated s per wall s", sim_sec / wall, "x");
    row("writes acknowledged", (double)(l.acked - acked0), "");
    row("writes per simulated s", (double)(l.acked - acked0) / sim_sec, "/s");
    row("writes failed", (double)l.failed, "");
    row("write beats skipped (busy)", (double)l.skipped, "");
    row("write latency mean",
        l.acked ? (double)l.lat_sum_us / (double)l.acked / 1000.0 : 0, "ms simulated");
    row("write latency max", (double)l.lat_max_us / 1000.0, "ms simulated");
    row("leader at the end", (double)e.leader_sid, e.serving ? "(serving)" : "(NOT serving)");
    row("peak RSS", (double)peak_rss_kb() / 1024.0, "MiB");
    cluster_free(c);
    free(l.w);
    return 0;
}
