/* cluster: builds one world from a config (ensemble servers first, so zk1
 * is node 0), summarizes it for readers, and is the single fault API that
 * the Lua controller and the dashboard share. */
#include "cluster.h"
#include "util.h"
#include "zk_check.h"
#include "raft_check.h"
#include "kafka_world.h"
#include "kctl_ctrl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A clean stop under way; ids tell a job from a later one of the same
 * node, so a poll of an abandoned stop does nothing. */
typedef struct cluster_stop_job {
    int node;
    uint64_t id;                /* this job's number */
    uint64_t deadline_us;       /* killed if still up then */
    cluster_stop_fn done;
    void *ctx;
} cluster_stop_job;

struct cluster {
    cluster_config cfg;             /* as given, validated */
    sim *s;                         /* the world */
    zk_server *zk[CLUSTER_ZK_MAX];  /* servers by sid-1 */
    int zk_node[CLUSTER_ZK_MAX];    /* their node indices */
    int nclients;                   /* client processes made so far */
    uint64_t stop_ids;              /* stop jobs made so far */
    zk_checker *check;              /* the ensemble's invariant checker */
    kafka_world *kafka;             /* brokers, when there are any */
    raft_quorum *quorum;            /* KRaft mode: the controllers */
    raft_checker *raft_check;       /* KRaft mode: Raft's invariants */
    cluster_stop_job stops[CLUSTER_BROKER_MAX]; /* clean stops under way */
    int nstops;
    cluster *twin;                  /* faults apply to it too (cluster_twin) */
    kctl_ctrl *ctl[RAFT_VOTERS_MAX];/* KRaft: the controllers' QuorumControllers */
    cluster_fault_fn on_fault;      /* told of each fault (cluster_on_fault) */
    void *on_fault_u;
};

void cluster_config_defaults(cluster_config *c)
{
    memset(c, 0, sizeof *c);
    c->seed = 1;
    c->zookeepers = 3;
    c->brokers = 0;
    kafka_config_defaults(&c->kafka);
    zk_config_defaults(&c->zk);
    c->controllers = 3;
    raft_config_defaults(&c->raft);
}

/* KRaft mode's own limits. */
static bool kraft_ok(const cluster_config *cfg, char *err, size_t cap)
{
    if (cfg->controllers < 1 || cfg->controllers > RAFT_VOTERS_MAX) {
        snprintf(err, cap, "controllers must be 1 to %d, got %d", RAFT_VOTERS_MAX,
                 cfg->controllers);
        return false;
    }
    if (cfg->brokers < 0 || cfg->brokers > CLUSTER_BROKER_MAX) {
        snprintf(err, cap, "brokers must be 0 to %d, got %d", CLUSTER_BROKER_MAX, cfg->brokers);
        return false;
    }
    return true;
}

/* Every limit a learner could trip over, with a message that says which. */
static bool config_ok(const cluster_config *cfg, char *err, size_t cap)
{
    if (cfg->mode == CLUSTER_KRAFT) return kraft_ok(cfg, err, cap);
    if (cfg->zookeepers < 1 || cfg->zookeepers > CLUSTER_ZK_MAX) {
        snprintf(err, cap, "zookeepers must be 1 to %d, got %d",
                 CLUSTER_ZK_MAX, cfg->zookeepers);
        return false;
    }
    if (cfg->brokers < 0 || cfg->brokers > CLUSTER_BROKER_MAX) {
        snprintf(err, cap, "brokers must be 0 to %d, got %d", CLUSTER_BROKER_MAX, cfg->brokers);
        return false;
    }
    const zk_config *z = &cfg->zk;
    if (z->tick_ms < 1 || z->tick_ms > 600000) {
        snprintf(err, cap, "tickTime must be 1 to 600000 ms, got %u", z->tick_ms);
        return false;
    }
    if (z->init_limit < 1 || z->init_limit > 1000 ||
        z->sync_limit < 1 || z->sync_limit > 1000) {
        snprintf(err, cap, "initLimit and syncLimit must be 1 to 1000 ticks");
        return false;
    }
    if (z->min_session_ms && z->max_session_ms &&
        z->min_session_ms > z->max_session_ms) {
        snprintf(err, cap, "minSessionTimeout is above maxSessionTimeout");
        return false;
    }
    return true;
}

/* KRaft mode: the controller processes first (ctl1.. are nodes 0..), a
 * QuorumController on each, then the brokers, each a Raft observer. */
static void make_kraft(cluster *c)
{
    c->quorum = raft_quorum_new(c->s, c->cfg.controllers, &c->cfg.raft);
    /* InControlledShutdown is written (metadata.version 3.3-IV3 and later):
     * with ISR shrinks that keep the leader epoch (3.6-IV0 and later) it
     * is what keeps a leaving broker out of the ISRs it was taken from */
    kctl_cfg kc = { .unclean = c->cfg.kafka.unclean, .cs_records = true,
                    .session_timeout_ms = c->cfg.kafka.broker_session_ms };
    for (int i = 0; i < c->cfg.controllers; i++)
        c->ctl[i] = kctl_ctrl_new(c->s, c->quorum, i, &kc);
    raft_quorum_start(c->quorum);
    if (c->cfg.brokers > 0)
        c->kafka = kafka_world_new_kraft(c->s, c->cfg.brokers, c->cfg.broker_ids,
                                         c->cfg.racks, &c->cfg.kafka, c->quorum, c->ctl);
}

struct kctl_ctrl *cluster_ctl(cluster *c, int i)
{
    return c->quorum && i >= 0 && i < c->cfg.controllers ? c->ctl[i] : NULL;
}

int cluster_active_ctl(cluster *c)
{
    int best = -1;
    int32_t epoch = -1;
    for (int i = 0; c->quorum && i < c->cfg.controllers; i++) {
        if (sim_node_status(c->s, raft_quorum_nodes(c->quorum)[i]) == NODE_DOWN ||
            !kctl_ctrl_active(c->ctl[i])) continue;
        raft_info ri;
        raft_info_get(raft_quorum_raft(c->quorum, i), &ri);
        if (ri.epoch > epoch) {
            epoch = ri.epoch;
            best = i;
        }
    }
    return best;
}

cluster *cluster_new(const cluster_config *cfg, char *err, size_t errcap)
{
    if (!config_ok(cfg, err, errcap)) return NULL;
    cluster *c = xcalloc(1, sizeof *c);
    c->cfg = *cfg;
    c->s = sim_new(cfg->seed);
    c->check = zk_checker_new(c->s);    /* every world is checked */
    if (cfg->mode == CLUSTER_KRAFT) {
        c->cfg.zookeepers = 0;
        c->raft_check = raft_checker_new(c->s);
        make_kraft(c);
        return c;
    }
    int n = cfg->zookeepers;
    for (int sid = 1; sid <= n; sid++) {
        c->zk[sid - 1] = zk_server_new(c->s, sid, n, &cfg->zk);
        c->zk_node[sid - 1] = zk_server_node(c->zk[sid - 1]);
    }
    for (int i = 0; i < n; i++)
        zk_server_set_peers(c->zk[i], c->zk_node, n);
    for (int i = 0; i < n; i++)
        sim_start_node(c->s, c->zk_node[i]);
    if (cfg->brokers > 0)
        c->kafka = kafka_world_new(c->s, cfg->brokers, cfg->broker_ids, cfg->racks,
                                   &cfg->kafka, c->zk_node, n);
    return c;
}

void cluster_free(cluster *c)
{
    if (!c) return;
    if (c->twin) c->twin->twin = NULL;
    zk_checker_free(c->check);
    raft_checker_free(c->raft_check);
    kafka_world_free(c->kafka);
    for (int i = 0; c->quorum && i < c->cfg.controllers; i++) kctl_ctrl_free(c->ctl[i]);
    raft_quorum_free(c->quorum);
    sim_free(c->s);             /* the sim owns and frees every node */
    free(c);
}

sim *cluster_sim(cluster *c) { return c->s; }
kafka_world *cluster_kafka(cluster *c) { return c->kafka; }
raft_quorum *cluster_quorum(cluster *c) { return c->quorum; }
int cluster_zk_count(const cluster *c) { return c->cfg.zookeepers; }
const int *cluster_zk_nodes(const cluster *c) { return c->zk_node; }

zk_server *cluster_zk(cluster *c, int sid)
{
    QL_ASSERT(sid >= 1 && sid <= c->cfg.zookeepers);
    return c->zk[sid - 1];
}

bool cluster_cut_off(cluster *c, int node)
{
    const net *n = sim_net(c->s);
    for (int i = 0; i < c->cfg.zookeepers; i++)
        if (c->zk_node[i] == node) return net_cut_off(n, node, c->zk_node, c->cfg.zookeepers);
    if (c->quorum && raft_quorum_index(c->quorum, node) >= 0)
        return net_cut_off(n, node, raft_quorum_nodes(c->quorum), raft_quorum_size(c->quorum));
    return false;
}

void cluster_ensemble(cluster *c, ensemble_info *out)
{
    memset(out, 0, sizeof *out);
    int n = c->cfg.zookeepers;
    out->size = n;
    out->quorum = n / 2 + 1;
    /* A deposed leader cut off from the rest may still say LEADING for a
     * while; the one that serves (it has a quorum) is the leader, and
     * among several the highest epoch wins. */
    int best = -1;
    for (int i = 0; i < n; i++) {
        zk_server_info *si = &out->servers[i];
        zk_server_info_get(c->zk[i], si);
        if (si->state != ZK_DOWN) out->up++;
        if (si->epoch > out->epoch) out->epoch = si->epoch;
        if (si->state != ZK_LEADING) continue;
        if (best < 0) { best = i; continue; }
        const zk_server_info *b = &out->servers[best];
        if ((si->serving != b->serving) ? si->serving : (si->epoch > b->epoch))
            best = i;
    }
    if (best >= 0) {
        out->leader_sid = out->servers[best].sid;
        out->epoch = out->servers[best].epoch;
        out->serving = out->servers[best].serving;
    }
}

int cluster_find_node(const cluster *c, const char *name)
{
    return sim_find_node(c->s, name);
}

/* --- faults --- */

static int stop_find(const cluster *c, int node);
static void stop_forget(cluster *c, int node);
static void stop_end(cluster *c, int i, bool clean);

/* A crash ends a clean stop under way: not a clean one, unless the
 * process had already exited by itself. */
static void one_kill(cluster *c, int node)
{
    bool was_down = sim_node_status(c->s, node) == NODE_DOWN;
    sim_crash(c->s, node);
    int i = stop_find(c, node);
    if (i >= 0) stop_end(c, i, was_down);
}

static void one_restart(cluster *c, int node)
{
    stop_forget(c, node);       /* the new process is not stopping */
    sim_restart(c->s, node);
}
static void one_resume(cluster *c, int node) { sim_resume(c->s, node); }

static void one_pause(cluster *c, int node, uint64_t dur_us)
{
    sim_pause(c->s, node, dur_us);
}

static void one_isolate(cluster *c, int node)
{
    net_isolate(sim_net(c->s), node);
    trace_emit(sim_trace(c->s), TR_FAULT, node, -1, 0, 0, "isolate %s",
               sim_node_name(c->s, node));
}

/* Appends "a,b,c" naming nodes to buf. */
static void list_names(const cluster *c, const int *nodes, int n, char *buf,
                       size_t cap)
{
    size_t len = strlen(buf);
    for (int i = 0; i < n && len + 1 < cap; i++) {
        snprintf(buf + len, cap - len, "%s%s", i ? "," : "",
                 sim_node_name(c->s, nodes[i]));
        len = strlen(buf);
    }
}

static void one_split(cluster *c, const int *a, int na, const int *b, int nb)
{
    int count = sim_node_count(c->s);
    int *side = xmalloc((size_t)count * sizeof *side);
    for (int i = 0; i < count; i++) side[i] = -1;
    for (int i = 0; i < na; i++) side[a[i]] = 0;
    for (int i = 0; i < nb; i++) side[b[i]] = 1;
    net_split(sim_net(c->s), side, count);
    free(side);
    char text[160] = "split ";
    list_names(c, a, na, text, sizeof text);
    strncat(text, " / ", sizeof text - strlen(text) - 1);
    list_names(c, b, nb, text, sizeof text);
    trace_emit(sim_trace(c->s), TR_FAULT, -1, -1, 0, 0, "%s", text);
}

static void one_heal(cluster *c)
{
    net_heal(sim_net(c->s));
    trace_emit(sim_trace(c->s), TR_FAULT, -1, -1, 0, 0, "heal every link");
}

/* A link setting's words after the nodes: "drop 0.00% delay 20.000-20.000
 * ms" (drop as a percentage with two decimals: ppm / 100 hundredths), or
 * "drop 0.00%, delays unchanged" when the delays were left as they were. */
static void link_words(char *out, size_t cap, uint32_t drop_ppm, bool set_delay,
                       uint64_t delay_lo_us, uint64_t delay_hi_us)
{
    int n = snprintf(out, cap, "drop %u.%02u%%", drop_ppm / 10000, drop_ppm / 100 % 100);
    if (n < 0 || (size_t)n >= cap) return;
    if (!set_delay)
        snprintf(out + n, cap - (size_t)n, ", delays unchanged");
    else
        snprintf(out + n, cap - (size_t)n, " delay %llu.%03llu-%llu.%03llu ms",
                 (unsigned long long)(delay_lo_us / 1000),
                 (unsigned long long)(delay_lo_us % 1000),
                 (unsigned long long)(delay_hi_us / 1000),
                 (unsigned long long)(delay_hi_us % 1000));
}

static void one_link(cluster *c, int from, int to, uint32_t drop_ppm,
                  uint64_t delay_lo_us, uint64_t delay_hi_us)
{
    QL_ASSERT(delay_lo_us <= delay_hi_us && drop_ppm <= NET_PPM);
    net *n = sim_net(c->s);
    link_cfg l = net_link(n, from, to);
    l.drop_ppm = drop_ppm;
    l.delay_lo_us = delay_lo_us;
    l.delay_hi_us = delay_hi_us;
    net_set_link(n, from, to, l);
    char words[80];
    link_words(words, sizeof words, drop_ppm, true, delay_lo_us, delay_hi_us);
    trace_emit(sim_trace(c->s), TR_FAULT, from, to, drop_ppm, 0, "link %s -> %s %s",
               sim_node_name(c->s, from), sim_node_name(c->s, to), words);
}

zk_client *cluster_zk_client(cluster *c, const int *sids, int n,
                             uint64_t timeout_ms, int *node)
{
    if (c->nclients >= CLUSTER_CLIENT_MAX) return NULL;
    int servers[CLUSTER_ZK_MAX];
    QL_ASSERT(n >= 1 && n <= CLUSTER_ZK_MAX);
    for (int i = 0; i < n; i++) {
        QL_ASSERT(sids[i] >= 1 && sids[i] <= c->cfg.zookeepers);
        servers[i] = c->zk_node[sids[i] - 1];
    }
    char name[16];
    snprintf(name, sizeof name, "c%d", c->nclients + 1);
    zk_client *zc = zk_client_node_new(c->s, name, servers, n, timeout_ms);
    if (!zc) return NULL;
    c->nclients++;
    *node = sim_find_node(c->s, name);
    return zc;
}

/* --- a broker joining the running world --- */

/* What Kafka would refuse or the lab cannot hold, said in the learner's
 * terms: a taken id is a live registration's (KafkaZkClient.registerBroker
 * fails with NodeExists), so the lab refuses it before starting anything. */
static bool add_ok(cluster *c, int id, char *err, size_t cap)
{
    kafka_world *kw = c->kafka;
    if (id < 0 || id > 32767) {
        snprintf(err, cap, "a broker id is 0 to 32767, not %d", id);
        return false;
    }
    if (kw && kafka_world_by_id(kw, id)) {
        snprintf(err, cap, "broker %d exists already (restart it to start it again)", id);
        return false;
    }
    if (kafka_world_count(kw) >= CLUSTER_BROKER_MAX) {
        snprintf(err, cap, "this world has %d brokers, the most it holds", CLUSTER_BROKER_MAX);
        return false;
    }
    return true;
}

int cluster_next_broker_id(cluster *c)
{
    int top = 100;
    for (int i = 0; i < kafka_world_count(c->kafka); i++) {
        int id = kafka_broker_id(kafka_world_broker(c->kafka, i));
        if (id > top) top = id;
    }
    return top + 1;
}

static int one_add_broker(cluster *c, int id, const char *rack, char *err, size_t cap)
{
    if (!add_ok(c, id, err, cap)) return -1;
    /* the first broker of a world makes its kafka half: in KRaft mode an
     * observer of the controller quorum, never a ZooKeeper client */
    if (!c->kafka && c->quorum)
        c->kafka = kafka_world_new_kraft(c->s, 0, NULL, NULL, &c->cfg.kafka, c->quorum,
                                         c->ctl);
    else if (!c->kafka)
        c->kafka = kafka_world_new(c->s, 0, NULL, NULL, &c->cfg.kafka, c->zk_node,
                                   c->cfg.zookeepers);
    kafka_broker *b = kafka_world_add(c->kafka, id, rack && rack[0] ? rack : NULL);
    if (!b) {
        snprintf(err, cap, "this world has no room for another node");
        return -1;
    }
    int node = kafka_broker_node(b);
    if (rack && rack[0])
        trace_emit(sim_trace(c->s), TR_FAULT, node, -1, 0, 0, "add broker %d rack %s", id, rack);
    else
        trace_emit(sim_trace(c->s), TR_FAULT, node, -1, 0, 0, "add broker %d", id);
    return node;
}

/* --- clean stops --- */

enum { STOP_POLL_US = 100000 }; /* how often a stop is looked at */

static int stop_find(const cluster *c, int node)
{
    for (int i = 0; i < c->nstops; i++)
        if (c->stops[i].node == node) return i;
    return -1;
}

static void stop_forget(cluster *c, int node)
{
    int i = stop_find(c, node);
    if (i >= 0) c->stops[i] = c->stops[--c->nstops];
}

bool cluster_stopping(const cluster *c, int node) { return stop_find(c, node) >= 0; }
int cluster_stops(const cluster *c) { return c->nstops; }

/* Ends the stop once the process is down (it exits by itself when its
 * controlled shutdown is over) or kills it at the deadline. */
static void stop_poll(void *ctx, uint64_t id)
{
    cluster *c = ctx;
    int i = 0;
    while (i < c->nstops && c->stops[i].id != id) i++;
    if (i == c->nstops) return;         /* abandoned by a restart */
    int node = c->stops[i].node;
    if (sim_node_status(c->s, node) == NODE_DOWN) stop_end(c, i, true);
    else if (sim_now_us(c->s) >= c->stops[i].deadline_us) one_kill(c, node);
    else sim_at(c->s, STOP_POLL_US, stop_poll, c, id);
}

/* Removes stop i before telling its owner, who may start another. */
static void stop_end(cluster *c, int i, bool clean)
{
    cluster_stop_job j = c->stops[i];
    c->stops[i] = c->stops[--c->nstops];
    if (j.done) j.done(j.ctx, c, j.node, clean);
}

uint64_t cluster_stop_bound_us(cluster *c, int node)
{
    kafka_broker *b = c->kafka ? kafka_world_by_node(c->kafka, node) : NULL;
    if (b) return kafka_broker_stop_bound_us(b);
    /* a controller waits for the next epoch at most its shutdown timeout */
    return (uint64_t)c->cfg.raft.shutdown_timeout_ms * 1000u + STOP_POLL_US;
}

static bool one_stop(cluster *c, int node, cluster_stop_fn done, void *ctx,
                     char *err, size_t errcap)
{
    kafka_broker *b = c->kafka ? kafka_world_by_node(c->kafka, node) : NULL;
    int ctl = c->quorum && node >= 0 ? raft_quorum_index(c->quorum, node) : -1;
    const char *name = node >= 0 ? sim_node_name(c->s, node) : "?";
    if (!b && ctl < 0) {
        snprintf(err, errcap, "%s is not a broker", name);
        return false;
    }
    if (stop_find(c, node) >= 0) {
        snprintf(err, errcap, "%s is already stopping", name);
        return false;
    }
    if (sim_node_status(c->s, node) == NODE_DOWN) {
        snprintf(err, errcap, "%s is already down", name);
        return false;
    }
    QL_ASSERT(c->nstops < CLUSTER_BROKER_MAX);
    uint64_t id = ++c->stop_ids;
    c->stops[c->nstops++] = (cluster_stop_job){
        node, id, sim_now_us(c->s) + cluster_stop_bound_us(c, node), done, ctx };
    if (b) kafka_broker_stop(b);
    else raft_quorum_stop(c->quorum, ctl);
    sim_at(c->s, STOP_POLL_US, stop_poll, c, id);
    return true;
}

/* --- twins: two worlds compared side by side take every fault alike --- */

void cluster_twin(cluster *a, cluster *b)
{
    /* earlier twins are parted first: twins come in pairs only */
    if (a && a->twin) a->twin->twin = NULL;
    if (b && b->twin) b->twin->twin = NULL;
    if (a) a->twin = b;
    if (b) b->twin = a;
}

/* The twin's node of the same name, -1 when it has none (a server the
 * other world lacks) or there is no twin. */
static int twin_node(const cluster *c, int node)
{
    if (!c->twin || node < 0) return -1;
    return cluster_find_node(c->twin, sim_node_name(c->s, node));
}

void cluster_on_fault(cluster *c, cluster_fault_fn fn, void *u)
{
    c->on_fault = fn;
    c->on_fault_u = u;
}

/* "verb name [extra]" to the fault hook */
static void tell(cluster *c, const char *verb, int node, const char *extra)
{
    if (!c->on_fault) return;
    char line[160];
    snprintf(line, sizeof line, "%s%s%s%s%s", verb, node >= 0 ? " " : "",
             node >= 0 ? sim_node_name(c->s, node) : "", extra ? " " : "", extra ? extra : "");
    c->on_fault(c->on_fault_u, line);
}

void cluster_kill(cluster *c, int node)
{
    tell(c, "kill", node, NULL);
    int t = twin_node(c, node);
    one_kill(c, node);
    if (t >= 0) one_kill(c->twin, t);
}

void cluster_restart(cluster *c, int node)
{
    tell(c, "restart", node, NULL);
    int t = twin_node(c, node);
    one_restart(c, node);
    if (t >= 0) one_restart(c->twin, t);
}

void cluster_resume(cluster *c, int node)
{
    tell(c, "resume", node, NULL);
    int t = twin_node(c, node);
    one_resume(c, node);
    if (t >= 0) one_resume(c->twin, t);
}

void cluster_pause(cluster *c, int node, uint64_t dur_us)
{
    char dur[24];
    snprintf(dur, sizeof dur, "%llu", (unsigned long long)dur_us);
    tell(c, "pause", node, dur);
    int t = twin_node(c, node);
    one_pause(c, node, dur_us);
    if (t >= 0) one_pause(c->twin, t, dur_us);
}

void cluster_isolate(cluster *c, int node)
{
    tell(c, "isolate", node, NULL);
    int t = twin_node(c, node);
    one_isolate(c, node);
    if (t >= 0) one_isolate(c->twin, t);
}

/* The twin's nodes of a list, those it has; returns how many. */
static int twin_nodes(const cluster *c, const int *in, int n, int *out)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        int t = twin_node(c, in[i]);
        if (t >= 0) out[m++] = t;
    }
    return m;
}

/* "zk1,zk2" */
static void names_of(const cluster *c, const int *v, int n, char *buf, size_t cap)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < n && at < cap; i++)
        at += (size_t)snprintf(buf + at, cap - at, "%s%s", i ? "," : "", sim_node_name(c->s, v[i]));
}

void cluster_split(cluster *c, const int *a, int na, const int *b, int nb)
{
    if (c->on_fault) {
        char la[64], lb[64], both[132];
        names_of(c, a, na, la, sizeof la);
        names_of(c, b, nb, lb, sizeof lb);
        snprintf(both, sizeof both, "%s %s", la, lb);
        tell(c, "split", -1, both);
    }
    one_split(c, a, na, b, nb);
    if (!c->twin) return;
    int *ta = xmalloc((size_t)(na + nb) * sizeof *ta), *tb = ta + na;
    int ma = twin_nodes(c, a, na, ta), mb = twin_nodes(c, b, nb, tb);
    if (ma > 0 && mb > 0) one_split(c->twin, ta, ma, tb, mb);
    free(ta);
}

void cluster_heal(cluster *c)
{
    tell(c, "heal", -1, NULL);
    one_heal(c);
    if (c->twin) one_heal(c->twin);
}

void cluster_link(cluster *c, int from, int to, uint32_t drop_ppm,
                  uint64_t delay_lo_us, uint64_t delay_hi_us)
{
    int tf = twin_node(c, from), tt = twin_node(c, to);
    one_link(c, from, to, drop_ppm, delay_lo_us, delay_hi_us);
    if (tf >= 0 && tt >= 0) one_link(c->twin, tf, tt, drop_ppm, delay_lo_us, delay_hi_us);
}

/* Every link between two of nodes, both ways, as one fault: a script
 * that puts servers in racks set twelve links for four nodes, each a line
 * of its own in the event log and the headless narration. Without
 * set_delay each link keeps its own delays. */
static void one_link_all(cluster *c, const int *nodes, int n, uint32_t drop_ppm,
                         bool set_delay, uint64_t delay_lo_us, uint64_t delay_hi_us)
{
    QL_ASSERT(delay_lo_us <= delay_hi_us && drop_ppm <= NET_PPM);
    net *nt = sim_net(c->s);
    char names[100];                    /* the trace's text holds 160 */
    size_t used = 0;
    bool cut = false;
    names[0] = '\0';
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            if (i == j) continue;
            link_cfg l = net_link(nt, nodes[i], nodes[j]);
            l.drop_ppm = drop_ppm;
            if (set_delay) {
                l.delay_lo_us = delay_lo_us;
                l.delay_hi_us = delay_hi_us;
            }
            net_set_link(nt, nodes[i], nodes[j], l);
        }
        if (cut) continue;
        const char *name = sim_node_name(c->s, nodes[i]);
        if (used + strlen(name) + 2 + sizeof ", ..." > sizeof names) {
            memcpy(names + used, ", ...", sizeof ", ...");
            cut = true;
            continue;
        }
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", name);
    }
    char words[80];
    link_words(words, sizeof words, drop_ppm, set_delay, delay_lo_us, delay_hi_us);
    trace_emit(sim_trace(c->s), TR_FAULT, -1, -1, drop_ppm, 0, "links among %s: %s",
               names, words);
}

void cluster_link_all(cluster *c, const int *nodes, int n, uint32_t drop_ppm,
                      bool set_delay, uint64_t delay_lo_us, uint64_t delay_hi_us)
{
    one_link_all(c, nodes, n, drop_ppm, set_delay, delay_lo_us, delay_hi_us);
    if (!c->twin) return;
    int tn[64], k = 0;                  /* those the twin has too */
    for (int i = 0; i < n && k < (int)QL_ARRAY_LEN(tn); i++)
        if (twin_node(c, nodes[i]) >= 0) tn[k++] = twin_node(c, nodes[i]);
    if (k >= 2) one_link_all(c->twin, tn, k, drop_ppm, set_delay, delay_lo_us, delay_hi_us);
}

/* The twin's broker stops too, unheard: done reports this world's. */
bool cluster_stop(cluster *c, int node, cluster_stop_fn done, void *ctx,
                  char *err, size_t errcap)
{
    int t = twin_node(c, node);
    bool ok = one_stop(c, node, done, ctx, err, errcap);
    char terr[96];
    if (ok && t >= 0) one_stop(c->twin, t, NULL, NULL, terr, sizeof terr);
    return ok;
}

/* The twin gets the same broker if it can (its own reason otherwise is
 * not this world's error). */
int cluster_add_broker(cluster *c, int id, const char *rack, char *err, size_t cap)
{
    int node = one_add_broker(c, id, rack, err, cap);
    char terr[128];
    if (node >= 0 && c->twin) one_add_broker(c->twin, id, rack, terr, sizeof terr);
    return node;
}
