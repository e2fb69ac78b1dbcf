/* snap_kafka: the Kafka half of a snapshot: broker column heads, the
 * partition rows of the placement grid (only the rows the caller says are
 * on screen: a 10,000-partition topic costs the visible rows, not all of
 * them) and the clients. Everything is read through kafka_world's
 * snapshot calls and the clients' read-only views. */
#include "snap.h"
#include "kafka_world.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The topics ZooKeeper knows (sorted, as ztree lists children), with
 * their partition counts, from the tree the snapshot shows. */
static void kraft_topics(viz_snap *s, kafka_world *kw);

static void topics(viz_snap *s, cluster *c, kafka_world *kw)
{
    s->ntopics = 0;
    s->parts_total = 0;
    if (kafka_world_is_kraft(kw)) {
        kraft_topics(s, kw);
        return;
    }
    if (!s->tree_sid) return;
    const ztree *t = zk_server_tree(cluster_zk(c, s->tree_sid));
    char **names = NULL;
    int n = 0;
    if (ztree_children(t, "/brokers/topics", &names, &n) != ZOK) return;
    for (int i = 0; i < n && s->ntopics < VIZ_TOPICS_MAX; i++) {
        kafka_pstate st;
        int np = 0;
        kafka_world_pstates(kw, names[i], 0, 1, &st, &np);
        if (np <= 0) continue;
        viz_topic *vt = &s->topics[s->ntopics++];
        snprintf(vt->name, sizeof vt->name, "%s", names[i]);
        vt->nparts = np;
        vt->first_row = s->parts_total;
        char path[ZPATH_MAX];
        snprintf(path, sizeof path, "/admin/delete_topics/%s", names[i]);
        vt->deleting = ztree_exists(t, path);
        s->parts_total += np;
    }
    ztree_free_names(names, n);
}

/* KRaft mode: the topics of the committed metadata log (sorted). */
static void kraft_topics(viz_snap *s, kafka_world *kw)
{
    char (*names)[KAFKA_TOPIC_NAME_MAX] = NULL;
    int n = kafka_world_topics(kw, &names);
    for (int i = 0; i < n && s->ntopics < VIZ_TOPICS_MAX; i++) {
        kafka_pstate st;
        int np = 0;
        kafka_world_pstates(kw, names[i], 0, 1, &st, &np);
        if (np <= 0) continue;
        viz_topic *vt = &s->topics[s->ntopics++];
        snprintf(vt->name, sizeof vt->name, "%s", names[i]);
        vt->nparts = np;
        vt->first_row = s->parts_total;
        vt->deleting = false;
        s->parts_total += np;
    }
    free(names);
}

static void brokers(viz_snap *s, cluster *c, kafka_world *kw)
{
    sim *w = cluster_sim(c);
    int ctrl = kafka_world_controller(kw);
    s->controller = ctrl;
    s->controller_znode = kafka_world_controller_znode(kw);
    s->nbrokers = 0;
    for (int i = 0; i < kafka_world_count(kw) && s->nbrokers < VIZ_BROKERS_MAX; i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(kw, i), &bi);
        viz_broker *b = &s->brokers[s->nbrokers++];
        b->id = bi.id;
        b->node = bi.node;
        b->status = sim_node_status(w, bi.node);
        b->isolated = false;        /* set by viz_snap_sides */
        b->side = 0;
        b->controller = bi.id == ctrl;
        b->leaders = b->status == NODE_DOWN ? 0 : bi.leaders;
        b->replicas = bi.replicas;
        if (s->nnodes < VIZ_NODES_MAX) {
            viz_node *vn = &s->nodes[s->nnodes++];
            vn->node = bi.node;
            snprintf(vn->name, sizeof vn->name, "%s", sim_node_name(w, bi.node));
            vn->kind = NODE_BROKER;
            vn->status = b->status;
            vn->isolated = false;
        }
    }
}

static void part_row(viz_snap *s, kafka_world *kw, const char *topic, int p,
                     const kafka_pstate *st)
{
    viz_partition *r = viz_snap_part_add(s, topic, p);
    r->leader = st->leader >= 0 ? st->leader : -1;
    r->leader_epoch = st->leader_epoch;
    r->nreplicas = st->nrep < VIZ_RF_MAX ? st->nrep : VIZ_RF_MAX;
    memcpy(r->replicas, st->replicas, (size_t)r->nreplicas * sizeof r->replicas[0]);
    r->nisr = st->nisr < VIZ_RF_MAX ? st->nisr : VIZ_RF_MAX;
    memcpy(r->isr, st->isr, (size_t)r->nisr * sizeof r->isr[0]);
    kafka_broker *b = r->leader >= 0 ? kafka_world_by_id(kw, r->leader) : NULL;
    kafka_replica_info ri;
    if (b && kafka_broker_replica(b, topic, p, &ri)) r->hw = ri.hw;
}

/* Calls fn for grid rows [first, first+n) in order, one batch of states
 * per topic. */
typedef void (*row_fn)(viz_snap *s, kafka_world *kw, int row, const char *topic,
                       int p, const kafka_pstate *st, void *u);

static void rows(viz_snap *s, kafka_world *kw, int first, int n, row_fn fn, void *u)
{
    kafka_pstate st[128];
    for (int t = 0; t < s->ntopics && n > 0; t++) {
        const viz_topic *vt = &s->topics[t];
        int lo = first > vt->first_row ? first : vt->first_row;
        int hi = vt->first_row + vt->nparts;
        while (lo < hi && lo < first + n) {
            int want = hi - lo;
            if (want > first + n - lo) want = first + n - lo;
            if (want > 128) want = 128;
            int np, got = kafka_world_pstates(kw, vt->name, lo - vt->first_row, want, st, &np);
            for (int i = 0; i < want; i++) {
                kafka_pstate none = { .leader = -1 };
                fn(s, kw, lo + i, vt->name, lo - vt->first_row + i, i < got ? &st[i] : &none, u);
            }
            lo += want;
        }
    }
}

static void grid_row(viz_snap *s, kafka_world *kw, int row, const char *topic,
                     int p, const kafka_pstate *st, void *u)
{
    part_row(s, kw, topic, p, st);
    for (int t = 0; t < s->ntopics; t++)
        if (row >= s->topics[t].first_row && row < s->topics[t].first_row + s->topics[t].nparts)
            s->parts[s->nparts - 1].deleting = s->topics[t].deleting;
}

static void timeline_row(viz_snap *s, kafka_world *kw, int row, const char *topic,
                         int p, const kafka_pstate *st, void *u)
{
    if (s->ntl < 16) s->tl_leader[s->ntl++] = st->leader >= 0 ? st->leader : -1;
}

/* The lost records per producer node, counted again when the world or
 * the simulated second changed. */
static void count_lost(viz_snap *s, cluster *c, kafka_world *kw)
{
    sim *w = cluster_sim(c);
    uint64_t sec = sim_now_us(w) / 1000000u;
    int n = sim_node_count(w);
    if (s->lost_world == (const void *)c && s->lost_sec == sec && s->lost_nodes == n) return;
    s->lost_by_node = xrealloc(s->lost_by_node, (size_t)(n > 0 ? n : 1) * sizeof *s->lost_by_node);
    memset(s->lost_by_node, 0, (size_t)(n > 0 ? n : 1) * sizeof *s->lost_by_node);
    s->lost_nodes = n;
    s->lost_world = c;
    s->lost_sec = sec;
    kafka_check_lost_by_node(kafka_world_check(kw), kafka_world_committed, kw,
                             s->lost_by_node, n);
}

/* The Kafka clients of the world (producers, consumers; the admin tool
 * is left out), and what each believes about the first partitions. */
static void clients(viz_snap *s, cluster *c, kafka_world *kw)
{
    sim *w = cluster_sim(c);
    s->nclients = 0;
    count_lost(s, c, kw);
    for (int node = 0; node < sim_node_count(w) && s->nclients < VIZ_CLIENTS_MAX; node++) {
        kafka_client *kc = kafka_client_at(w, node);
        if (!kc || strcmp(sim_node_name(w, node), "admin") == 0) continue;
        kafka_client_view cv;
        kafka_client_view_get(kc, &cv);
        viz_client *vc = &s->clients[s->nclients++];
        memset(vc, 0, sizeof *vc);
        snprintf(vc->name, sizeof vc->name, "%s", sim_node_name(w, node));
        vc->status = sim_node_status(w, node);
        vc->busy = cv.busy;
        vc->acked = cv.acked;
        vc->failed = cv.failed;
        vc->read = cv.read;
        vc->consumer = cv.reads && !cv.sends;
        vc->last_err = cv.last_err;
        vc->producer = cv.sends;
        vc->acks = cv.acks;
        vc->lost = node < s->lost_nodes ? s->lost_by_node[node] : 0;
        vc->delivery_timeout_ms = cv.delivery_timeout_ms;
        vc->partition = cv.partition;
        vc->keyed = cv.keyed;
        int n = 0;
        for (int i = 0; i < cv.nboot; i++)
            n += snprintf(vc->boot + n, sizeof vc->boot - (size_t)n, "%s%s",
                          i ? "," : "", sim_node_name(w, cv.boot[i]));
        snprintf(vc->talks, sizeof vc->talks, "%s",
                 cv.last_node >= 0 ? sim_node_name(w, cv.last_node) : "-");
        snprintf(vc->topic, sizeof vc->topic, "%s", cv.topic ? cv.topic : "");
        /* believed beside actual leaders of the topic's first partitions */
        kafka_pstate st[VIZ_BELIEF_MAX];
        int np = 0;
        int got = vc->topic[0] ? kafka_world_pstates(kw, vc->topic, 0, VIZ_BELIEF_MAX,
                                                     st, &np) : 0;
        for (int p = 0; p < got; p++) {
            vc->believed[p] = kafka_client_leader_of(kc, vc->topic, p);
            vc->actual[p] = st[p].leader;
        }
        vc->nbelief = got;
    }
}

/* The column heads' counts as the grid's rows have them: leaders and
 * replicas by the partition states (ZooKeeper's znodes, KRaft's metadata
 * image), not by each broker's own replicas, which lag while a
 * LeaderAndIsr is on its way (paused at a check, the grid showed 101
 * LEAD under a head of 0/1). A down broker leads nothing, as before.
 * Past VIZ_COUNT_MAX partitions the brokers' own counts stand: a frame
 * reads the visible rows only. */
#define VIZ_COUNT_MAX 2048

static void count_row(viz_snap *s, kafka_world *kw, int row, const char *topic, int p,
                      const kafka_pstate *st, void *u)
{
    (void)kw; (void)row; (void)topic; (void)p; (void)u;
    for (int i = 0; i < s->nbrokers; i++) {
        viz_broker *b = &s->brokers[i];
        if (st->leader == b->id && b->status != NODE_DOWN) b->leaders++;
        for (int r = 0; r < st->nrep && r < KAFKA_RF_MAX; r++)
            if (st->replicas[r] == b->id) b->replicas++;
    }
}

static void head_counts(viz_snap *s, kafka_world *kw)
{
    if (s->parts_total > VIZ_COUNT_MAX) return;
    for (int i = 0; i < s->nbrokers; i++) s->brokers[i].leaders = s->brokers[i].replicas = 0;
    rows(s, kw, 0, s->parts_total, count_row, NULL);
}

void viz_snap_kafka(viz_snap *s, cluster *c)
{
    s->nparts = 0;
    s->parts_first = 0;
    s->parts_total = 0;
    s->nbrokers = 0;
    s->ntopics = 0;
    s->nclients = 0;
    s->controller = -1;
    s->controller_znode = -1;
    kafka_world *kw = cluster_kafka(c);
    if (!kw) return;
    brokers(s, c, kw);
    topics(s, c, kw);
    head_counts(s, kw);
    clients(s, c, kw);
    s->ntl = 0;
    rows(s, kw, 0, 16, timeline_row, NULL);
}

void viz_snap_grid(viz_snap *s, cluster *c, int first, int nrows)
{
    s->nparts = 0;
    s->parts_first = 0;
    kafka_world *kw = c ? cluster_kafka(c) : NULL;
    if (!kw || nrows <= 0) return;
    if (first > s->parts_total - nrows) first = s->parts_total - nrows;
    if (first < 0) first = 0;
    s->parts_first = first;
    rows(s, kw, first, nrows, grid_row, NULL);
}
