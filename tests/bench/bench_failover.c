/* bench_failover: issue 12's "what KRaft was for": the controller's
 * failover time against the partition count. The active controller
 * crashes; the figure is the simulated time from the crash until the
 * first partition leader change the new controller makes (the first
 * TR_LEADER after the crash), split at the moment a new controller takes
 * over (TR_CONTROLLER).
 * ZooKeeper mode: the controller is a broker, so its crash also leaves
 * its partitions without a leader. The first part is its session running
 * out (zookeeper.session.timeout.ms, 18 s) and the race for /controller;
 * the second grows with the partitions: the new controller reads every
 * topic's assignment and every partition's state znode
 * (KafkaController.initializeControllerContext,
 * KafkaZkClient.getTopicPartitionStates), one ZooKeeper read each through
 * the simulated network, at most zookeeper.max.in.flight.requests (10)
 * out at once, before it elects anything. Its reads are counted too.
 * KRaft mode: the same event is the active controller (the quorum's
 * leader, ctlN) and a broker leading partitions crashing at once. A
 * standby wins the Raft election after quorum.fetch.timeout.ms and
 * already holds the metadata (QuorumController replays the log as it
 * commits); it gives every registered broker a fresh session
 * (BrokerHeartbeatManager on activation) and fences the dead broker once
 * broker.session.timeout.ms (9 s) passes without its heartbeat, with
 * PartitionChangeRecords moving its leaderships.
 * Prints "label<TAB>value<TAB>unit" rows for tests/bench.sh; figures, never
 * pass/fail. docs/failover.md puts them beside real Kafka's.
 *   bench_failover [modes [sizes [brokers]]]   (zk,kraft 1000,10000,100000 5)
 * modes: zk, kraft (3 controllers), or both comma-separated. Topics hold at most 10,000
 * partitions each (a bigger assignment znode would pass ZooKeeper's 1 MB
 * limit; KRaft mode keeps the same topics). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "cluster.h"
#include "kafka_world.h"
#include "kctl_ctrl.h"
#include "zk_proto.h"

enum { TOPIC_MAX = 10000 };

/* What the trace says after the crash. */
typedef struct watch {
    int victim_node;
    uint64_t elected_us;        /* TR_CONTROLLER after the crash, 0: none */
    int ctrl_node;              /* the new controller */
    uint64_t first_leader_us;   /* first TR_LEADER after the crash */
    uint64_t reads;             /* ZooKeeper requests of the new controller
                                   until its first leader change */
} watch;

static void on_trace(void *ctx, const trace_event *ev)
{
    watch *w = ctx;
    if (w->first_leader_us) return;
    if (ev->kind == TR_CONTROLLER && ev->node != w->victim_node && !w->elected_us) {
        w->elected_us = ev->at_us;
        w->ctrl_node = ev->node;
    } else if (ev->kind == TR_LEADER && w->elected_us) {
        w->first_leader_us = ev->at_us;
    } else if (ev->kind == TR_SEND && w->elected_us && ev->node == w->ctrl_node &&
               ev->msg_type == ZC_REQUEST) {
        w->reads++;
    }
}

static bool run_until(sim *s, bool (*done)(void *), void *ctx, uint64_t limit_us)
{
    uint64_t end = sim_now_us(s) + limit_us;
    while (!done(ctx)) {
        if (sim_now_us(s) >= end) return false;
        sim_run_until(s, sim_now_us(s) + 100000);
    }
    return true;
}

static bool registered(void *ctx)
{
    kafka_world *w = ctx;
    if (kafka_world_is_kraft(w)) {          /* registered and unfenced */
        if (!kafka_world_kraft_active(w)) return false;
        for (int i = 0; i < kafka_world_count(w); i++)
            if (!kafka_world_kraft_unfenced(w, kafka_broker_id(kafka_world_broker(w, i))))
                return false;
        return true;
    }
    int id = kafka_world_controller(w);
    kafka_broker *c = id >= 0 ? kafka_world_by_id(w, id) : NULL;
    if (!c) return false;
    for (int i = 0; i < kafka_world_count(w); i++)
        if (!kafka_broker_ctrl_sees(c, kafka_broker_id(kafka_world_broker(w, i))))
            return false;
    return true;
}

static bool admin_idle(void *ctx) { return !kafka_client_busy(kafka_world_admin(ctx)); }

static int want_leaders;

static bool leaders_placed(void *ctx)
{
    kafka_world *w = ctx;
    int n = 0;
    for (int i = 0; i < kafka_world_count(w); i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(w, i), &bi);
        n += bi.leaders;
    }
    return n >= want_leaders;
}

static bool first_leader(void *ctx) { return ((watch *)ctx)->first_leader_us != 0; }

/* The world of one mode; false (and a comment row) for an unknown one.
 * KRaft: three controllers and no ensemble. */
static bool mode_setup(const char *mode, cluster_config *cfg)
{
    if (strcmp(mode, "zk") == 0) return true;
    if (strcmp(mode, "kraft") == 0) {
        cfg->mode = CLUSTER_KRAFT;
        cfg->controllers = 3;
        cfg->zookeepers = 0;
        return true;
    }
    printf("# mode '%s': zk or kraft\n", mode);
    return false;
}

/* KRaft: the active controller's node, -1 for none. */
static int active_ctl_node(cluster *c)
{
    raft_quorum *q = cluster_quorum(c);
    for (int i = 0; q && i < raft_quorum_size(q); i++)
        if (kctl_ctrl_active(cluster_ctl(c, i))) return raft_quorum_nodes(q)[i];
    return -1;
}

/* The broker leading the most partitions (the first of equals). */
static kafka_broker *busiest_leader(kafka_world *w)
{
    kafka_broker *best = NULL;
    int most = -1;
    for (int i = 0; i < kafka_world_count(w); i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(w, i), &bi);
        if (bi.leaders > most) {
            most = bi.leaders;
            best = kafka_world_broker(w, i);
        }
    }
    return best;
}

/* Crashes what the mode's controller failover starts with: the
 * controller broker (ZooKeeper mode), or the active controller and the
 * busiest leader (KRaft). The node whose successor the watch waits for
 * goes to wt->victim_node; the broker crashed to *broker_id. */
static bool crash(cluster *c, kafka_world *w, watch *wt, int *broker_id)
{
    if (cluster_quorum(c)) {
        wt->victim_node = active_ctl_node(c);
        kafka_broker *b = busiest_leader(w);
        if (wt->victim_node < 0 || !b) return false;
        *broker_id = kafka_broker_id(b);
        cluster_kill(c, wt->victim_node);
        cluster_kill(c, kafka_broker_node(b));
        return true;
    }
    kafka_broker *vb = kafka_world_by_id(w, kafka_world_controller(w));
    if (!vb) return false;
    wt->victim_node = kafka_broker_node(vb);
    *broker_id = kafka_broker_id(vb);
    cluster_kill(c, wt->victim_node);
    return true;
}

typedef struct result {
    int partitions;
    double elected_s, load_s, total_s;  /* simulated */
    uint64_t reads;
} result;

/* One size into *res; false on a failure (printed as comments). */
static bool one(const char *mode, int brokers, int partitions, result *res)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.zookeepers = 3;
    cfg.brokers = brokers;
    /* Kafka's default; the lab's brokers leave it unlimited unless told
     * (kafka_proto.h): without it the reads all go at once and the
     * load costs a round trip whatever the partition count */
    cfg.kafka.zk_max_inflight = 10;
    if (!mode_setup(mode, &cfg)) return false;
    char err[128];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    if (!c) { printf("# %s mode: %s\n", mode, err); return false; }
    sim *s = cluster_sim(c);
    kafka_world *w = cluster_kafka(c);
    bool ok = run_until(s, registered, w, 120000000);
    int ntopics = (partitions + TOPIC_MAX - 1) / TOPIC_MAX, per = partitions / ntopics;
    for (int t = 0; ok && t < ntopics; t++) {
        char name[16];
        snprintf(name, sizeof name, "t%d", t);
        kafka_client_admin(kafka_world_admin(w), 1, name, per, 3, 2, -1);
        ok = run_until(s, admin_idle, w, 600000000) &&
             kafka_client_admin_result(kafka_world_admin(w)) == KERR_NONE;
    }
    want_leaders = ntopics * per;
    ok = ok && run_until(s, leaders_placed, w, 600000000);
    if (!ok) {
        printf("# %d partitions: the cluster did not come up\n", partitions);
        cluster_free(c);
        return false;
    }
    sim_run_until(s, sim_now_us(s) + 1000000);          /* settle */
    watch wt = { .victim_node = -1 };
    trace_listen(sim_trace(s), on_trace, &wt);
    uint64_t crash_us = sim_now_us(s);
    double t0 = wall_s();
    int broker_id = -1;
    ok = crash(c, w, &wt, &broker_id);
    if (!ok) printf("# %d partitions: no active controller to crash\n", partitions);
    else printf("# %d partitions: crashed %s%s%d\n", partitions,
                cluster_quorum(c) ? sim_node_name(s, wt.victim_node) : "controller ",
                cluster_quorum(c) ? " and broker " : "broker ", broker_id);
    ok = ok && run_until(s, first_leader, &wt, 600000000);
    double wall = wall_s() - t0;
    trace_unlisten(sim_trace(s), on_trace, &wt);
    char label[64];
    if (!ok) {
        printf("# %d partitions: no leader change within 600 s of the crash\n", partitions);
    } else {
        snprintf(label, sizeof label, "%s %d: crash to first leader", mode, partitions);
        row(label, (double)(wt.first_leader_us - crash_us) / 1e6, "s simulated");
        snprintf(label, sizeof label, "%s %d: crash to new controller", mode, partitions);
        row(label, (double)(wt.elected_us - crash_us) / 1e6, "s simulated");
        snprintf(label, sizeof label, "%s %d: new controller to leader", mode, partitions);
        row(label, (double)(wt.first_leader_us - wt.elected_us) / 1e6, "s simulated");
        if (!cluster_quorum(c)) {
            snprintf(label, sizeof label, "%s %d: its ZooKeeper requests", mode, partitions);
            row(label, (double)wt.reads, "");
        }
        snprintf(label, sizeof label, "%s %d: wall, crash to leader", mode, partitions);
        row(label, wall, "s");
        *res = (result){ partitions, (double)(wt.elected_us - crash_us) / 1e6,
                         (double)(wt.first_leader_us - wt.elected_us) / 1e6,
                         (double)(wt.first_leader_us - crash_us) / 1e6, wt.reads };
    }
    fflush(stdout);
    cluster_free(c);
    return ok;
}

/* One mode at every size, then its table; the number of sizes measured. */
static int one_mode(const char *mode, const char *sizes, int brokers)
{
    bool kraft = strcmp(mode, "kraft") == 0;
    printf("# %s mode, %d brokers, 3 %s, RF 3, topics of up to %d\n"
           "# partitions: the active controller crashes%s; simulated time to the\n"
           "# first leader change the new controller makes\n", mode, brokers,
           kraft ? "controllers" : "ensemble servers", TOPIC_MAX,
           kraft ? " with the busiest leader" : " (a broker)");
    result res[8];
    int ok = 0;
    for (const char *p = sizes; *p && ok < 8;) {
        char *end;
        long n = strtol(p, &end, 10);
        if (end == p || n < 1) break;
        if (one(mode, brokers, (int)n, &res[ok])) ok++;
        p = end;
        while (*p == ',' || *p == ' ') p++;
    }
    /* the table docs/failover.md quotes (simulated seconds) */
    if (ok) printf("# %s mode: partitions | crash to new controller | new controller to\n"
                   "#   first leader change | crash to first leader | ZooKeeper requests\n", mode);
    for (int i = 0; i < ok; i++)
        printf("#   %7d | %6.1f s | %6.1f s | %6.1f s | %7llu\n", res[i].partitions,
               res[i].elected_s, res[i].load_s, res[i].total_s,
               (unsigned long long)res[i].reads);
    return ok;
}

int main(int argc, char **argv)
{
    const char *modes = argc > 1 ? argv[1] : "zk,kraft";
    const char *sizes = argc > 2 ? argv[2] : "1000,10000,100000";
    int brokers = argc > 3 ? atoi(argv[3]) : 5;
    if (brokers < 3 || brokers > CLUSTER_BROKER_MAX) brokers = 5;
    int ok = 0;
    char mode[16];
    for (const char *p = modes; *p;) {         /* "zk,kraft": each in turn */
        size_t n = strcspn(p, ",");
        snprintf(mode, sizeof mode, "%.*s", (int)(n < sizeof mode ? n : sizeof mode - 1), p);
        if (mode[0]) ok += one_mode(mode, sizes, brokers);
        p += n;
        if (*p) p++;
    }
    return ok ? 0 : 1;
}
