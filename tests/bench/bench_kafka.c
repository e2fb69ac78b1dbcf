/* bench_kafka: issue 3's benchmark, two runs through the same C API a
 * script or the fuzzer uses (cluster_new, kafka_world.h, kafka_client.h).
 * Standard: 5 brokers, 3 ensemble servers, 3 topics x 12 partitions RF 3,
 * one acks=all producer per topic sending 10 records every 100 ms
 * (simulated): simulated seconds and events per wall second.
 * Scale: 100 brokers, 10,000 partitions RF 3 (10 topics x 1000): create,
 * crash a broker that leads partitions, run until each of them has a new
 * leader; wall time and peak memory. Prints "label<TAB>value<TAB>unit"
 * rows for tests/bench.sh; never pass/fail. Wall clock only here.
 *   bench_kafka [standard_simulated_s [scale_brokers [scale_partitions
 *               [scale_topics]]]]
 *   (60 100 10000 10; a standard duration of 0 runs the scale run only) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "bench_util.h"
#include "cluster.h"
#include "kafka_world.h"

enum { TOPICS = 3, PARTS = 12, BATCH = 10, SEND_EVERY_US = 100000 };

/* Runs in 100 ms steps until done(w) or limit_us of simulated time. */
static bool run_until(sim *s, kafka_world *w, bool (*done)(kafka_world *),
                      uint64_t limit_us)
{
    uint64_t end = sim_now_us(s) + limit_us;
    while (!done(w)) {
        if (sim_now_us(s) >= end) return false;
        sim_run_until(s, sim_now_us(s) + 100000);
    }
    return true;
}

static bool all_registered(kafka_world *w)
{
    int id = kafka_world_controller(w);
    kafka_broker *c = id >= 0 ? kafka_world_by_id(w, id) : NULL;
    if (!c) return false;
    for (int i = 0; i < kafka_world_count(w); i++)
        if (!kafka_broker_ctrl_sees(c, kafka_broker_id(kafka_world_broker(w, i))))
            return false;
    return true;
}

static bool admin_idle(kafka_world *w) { return !kafka_client_busy(kafka_world_admin(w)); }

static int want_leaders;

static bool leaders_placed(kafka_world *w)
{
    int n = 0;
    for (int i = 0; i < kafka_world_count(w); i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(w, i), &bi);
        n += bi.leaders;
    }
    return n >= want_leaders;
}

/* Builds the world and makes topics; NULL (with a message) on failure. */
static cluster *build(int brokers, int ntopics, int parts, double *wall_create)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.zookeepers = 3;
    cfg.brokers = brokers;
    /* This bench measures the simulator's own speed at scale, so its
     * brokers lift Kafka's zookeeper.max.in.flight.requests (10): with the
     * limit, creating 100,000 partitions is 87 simulated seconds of idle
     * fetches between 90,000 broker pairs (docs/failover.md measures the
     * limit's cost; bench_failover keeps it). */
    cfg.kafka.zk_max_inflight = 0;
    char err[128];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    if (!c) {
        fprintf(stderr, "bench_kafka: %s\n", err);
        return NULL;
    }
    sim *s = cluster_sim(c);
    kafka_world *w = cluster_kafka(c);
    if (!run_until(s, w, all_registered, 120000000)) {
        fprintf(stderr, "bench_kafka: brokers did not register\n");
        return NULL;
    }
    double t0 = wall_s();
    for (int t = 0; t < ntopics; t++) {
        char name[32];
        snprintf(name, sizeof name, "t%d", t);
        kafka_client_admin(kafka_world_admin(w), 1, name, parts, 3, 2, -1);
        if (!run_until(s, w, admin_idle, 120000000) ||
            kafka_client_admin_result(kafka_world_admin(w)) != KERR_NONE) {
            fprintf(stderr, "bench_kafka: creating %s failed\n", name);
            return NULL;
        }
    }
    want_leaders = ntopics * parts;
    if (!run_until(s, w, leaders_placed, 120000000)) {
        fprintf(stderr, "bench_kafka: partitions did not get leaders\n");
        return NULL;
    }
    *wall_create = wall_s() - t0;
    return c;
}

typedef struct load {
    sim *s;
    kafka_client *p[TOPICS];
    uint64_t batches, skipped;
} load;

static void send_tick(void *ctx, uint64_t i)
{
    load *l = ctx;
    char topic[16];
    snprintf(topic, sizeof topic, "t%d", (int)i);
    if (kafka_client_busy(l->p[i])) {
        l->skipped++;
    } else {
        kafka_client_send(l->p[i], topic, -1, NULL, NULL, BATCH);
        l->batches++;
    }
    sim_at(l->s, SEND_EVERY_US, send_tick, l, i);
}

static int standard(uint64_t seconds)
{
    double wall_create;
    cluster *c = build(5, TOPICS, PARTS, &wall_create);
    if (!c) return 1;
    sim *s = cluster_sim(c);
    kafka_world *w = cluster_kafka(c);
    load l = { .s = s };
    kafka_client_config cc;
    kafka_client_config_defaults(&cc);
    cc.acks = -1;
    for (int i = 0; i < TOPICS; i++) {
        char name[16];
        int boot[3] = { 101, 102, 103 };
        snprintf(name, sizeof name, "p%d", i + 1);
        l.p[i] = kafka_world_client(w, name, boot, 3, &cc);
        sim_at(s, (uint64_t)i * (SEND_EVERY_US / TOPICS), send_tick, &l, (uint64_t)i);
    }
    sim_run_until(s, sim_now_us(s) + 5000000);      /* warm-up */
    uint64_t ev0 = sim_events_run(s), acked0 = kafka_ledger_count(kafka_world_check(w));
    uint64_t t0_us = sim_now_us(s);
    double t0 = wall_s();
    sim_run_until(s, t0_us + seconds * 1000000);
    double wall = wall_s() - t0;
    double sim_sec = (double)(sim_now_us(s) - t0_us) / 1e6;
    uint64_t events = sim_events_run(s) - ev0;
    uint64_t acked = kafka_ledger_count(kafka_world_check(w)) - acked0;
    printf("# standard: 5 brokers, 3 ensemble servers, %d topics x %d partitions RF 3,\n"
           "# %d acks=all producers sending %d records every %d ms; measured over\n"
           "# %llu simulated s after a 5 s warm-up\n", TOPICS, PARTS, TOPICS, BATCH,
           SEND_EVERY_US / 1000, (unsigned long long)seconds);
    row("std: topic creation wall", wall_create, "s");
    row("std: simulated time", sim_sec, "s");
    row("std: wall time", wall, "s");
    row("std: events", (double)events, "");
    row("std: events per wall second", (double)events / wall, "ev/s");
    row("std: simulated s per wall s", sim_sec / wall, "x");
    row("std: records acked per sim s", (double)acked / sim_sec, "/s");
    row("std: send beats skipped (busy)", (double)l.skipped, "");
    row("std: invariant violations", (double)kafka_world_violations(w), "");
    cluster_free(c);
    return 0;
}

/* The partitions the victim led: they must all move. */
typedef struct victim {
    int id;
    char (*topic)[16];
    int *p;
    int n;
} victim;

static victim vic;

static bool moved(kafka_world *w)
{
    for (int i = 0; i < vic.n; i++) {
        kafka_pstate st;
        int np;
        if (!kafka_world_pstate(w, vic.topic[i], vic.p[i], &st, &np) ||
            st.leader < 0 || st.leader == vic.id)
            return false;
    }
    return true;
}

static int scale(int brokers, int partitions, int ntopics)
{
    double t0 = wall_s(), wall_create;
    int per = partitions / ntopics;
    cluster *c = build(brokers, ntopics, per, &wall_create);
    if (!c) return 1;
    sim *s = cluster_sim(c);
    kafka_world *w = cluster_kafka(c);
    double t_created = wall_s();
    uint64_t sim_created = sim_now_us(s);
    /* the victim: a broker that is not the controller */
    kafka_broker *vb = kafka_world_broker(w, 0);
    if (kafka_broker_id(vb) == kafka_world_controller(w)) vb = kafka_world_broker(w, 1);
    vic.id = kafka_broker_id(vb);
    vic.topic = calloc((size_t)partitions + 1, sizeof *vic.topic);
    vic.p = calloc((size_t)partitions + 1, sizeof *vic.p);
    for (int t = 0; t < ntopics; t++)
        for (int p = 0; p < per; p++) {
            char name[16];
            kafka_replica_info ri;
            snprintf(name, sizeof name, "t%d", t);
            if (kafka_broker_replica(vb, name, p, &ri) && ri.leader) {
                memcpy(vic.topic[vic.n], name, sizeof name);
                vic.p[vic.n++] = p;
            }
        }
    cluster_kill(c, kafka_broker_node(vb));
    double t_kill = wall_s();
    uint64_t sim_kill = sim_now_us(s), ev_kill = sim_events_run(s);
    bool ok = run_until(s, w, moved, 120000000);
    double t_end = wall_s();
    printf("# scale: %d brokers, %d partitions RF 3 (%d topics x %d), crash of broker\n"
           "# %d leading %d partitions, run until each has a new leader (the\n"
           "# session timeout, 18 s simulated, comes first)\n",
           brokers, ntopics * per, ntopics, per, vic.id, vic.n);
    row("scale: build and create wall", t_created - t0, "s");
    row("scale: topic creation wall", wall_create, "s");
    row("scale: created at", (double)sim_created / 1e6, "s simulated");
    row("scale: crash to new leaders wall", t_end - t_kill, "s");
    row("scale: crash to new leaders", (double)(sim_now_us(s) - sim_kill) / 1e6,
        ok ? "s simulated" : "s simulated (NOT all moved)");
    row("scale: total wall", t_end - t0, "s");
    row("scale: events to create", (double)ev_kill, "");
    row("scale: events crash to new leaders", (double)(sim_events_run(s) - ev_kill), "");
    row("scale: invariant violations", (double)kafka_world_violations(w), "");
    row("scale: peak RSS", (double)peak_rss_kb() / 1024.0, "MiB");
    free(vic.topic);
    free(vic.p);
    cluster_free(c);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    uint64_t seconds = argc > 1 ? strtoull(argv[1], NULL, 10) : 60;
    int brokers = argc > 2 ? atoi(argv[2]) : 100;
    int partitions = argc > 3 ? atoi(argv[3]) : 10000;
    if (brokers < 3 || brokers > CLUSTER_BROKER_MAX) brokers = 100;
    if (partitions < 1) partitions = 10000;
    int ntopics = argc > 4 ? atoi(argv[4]) : partitions >= 1000 ? partitions / 1000 : 1;
    if (ntopics < 1 || ntopics > partitions) ntopics = 1;
    if (seconds > 0 && standard(seconds)) return 1;
    fflush(stdout);
    return scale(brokers, partitions, ntopics);
}
