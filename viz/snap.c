/* snap: copies what the dashboard shows out of a live world. */
#include "snap.h"
#include "kctl_ctrl.h"
#include "kmeta_rec.h"
#include "mlog.h"
#include "reach.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void viz_snap_init(viz_snap *s)
{
    memset(s, 0, sizeof *s);
    s->mode = "sandbox";
    s->speed = 10;
    s->running = true;
}

void viz_snap_free(viz_snap *s)
{
    free(s->tree);
    s->tree = NULL;
    s->ntree = s->tree_cap = 0;
    free(s->znode.data);
    memset(&s->znode, 0, sizeof s->znode);
    free(s->lost_by_node);
    s->lost_by_node = NULL;
    s->lost_nodes = 0;
    s->lost_world = NULL;
    free(s->parts);
    s->parts = NULL;
    s->nparts = s->parts_cap = 0;
}

viz_partition *viz_snap_part_add(viz_snap *s, const char *topic, int p)
{
    VEC_GROW(s->parts, s->nparts, s->parts_cap);
    viz_partition *r = &s->parts[s->nparts++];
    memset(r, 0, sizeof *r);
    snprintf(r->topic, sizeof r->topic, "%s", topic);
    r->p = p;
    r->leader = -1;
    r->hw = -1;
    if (s->parts_total < s->parts_first + s->nparts)
        s->parts_total = s->parts_first + s->nparts;
    return r;
}

int viz_snap_row_topic(const viz_snap *s, int row)
{
    for (int t = 0; t < s->ntopics; t++)
        if (row >= s->topics[t].first_row && row < s->topics[t].first_row + s->topics[t].nparts)
            return t;
    return -1;
}

viz_replica viz_replica_of(const viz_partition *p, int broker_id)
{
    bool assigned = false, insync = false;
    for (int i = 0; i < p->nreplicas; i++) assigned |= p->replicas[i] == broker_id;
    for (int i = 0; i < p->nisr; i++) insync |= p->isr[i] == broker_id;
    if (p->leader == broker_id) return VZ_LEADER;
    if (insync) return VZ_INSYNC;
    return assigned ? VZ_OUTOFSYNC : VZ_NONE;
}

bool viz_part_offline(const viz_partition *p) { return p->leader < 0; }
bool viz_part_under(const viz_partition *p) { return p->nisr < p->nreplicas; }

viz_tree_row *viz_snap_tree_add(viz_snap *s, const char *path, int depth)
{
    VEC_GROW(s->tree, s->ntree, s->tree_cap);
    viz_tree_row *r = &s->tree[s->ntree++];
    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", path);
    r->depth = depth;
    return r;
}

/* The data's start as one printable line; whether more follows. */
static bool preview(const uint8_t *data, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char ch = data[i];
        out[n++] = (ch >= 0x20 && ch < 0x7F) ? (char)ch : '.';
    }
    out[n] = '\0';
    return n < len;
}

/* Depth-first over open znodes only, so a folded subtree of thousands of
 * partitions costs nothing. */
static void walk(viz_snap *s, const ztree *t, const viz_view *v,
                 const char *path, int depth)
{
    if (s->ntree >= VIZ_TREE_MAX) { s->tree_cut = true; return; }
    const uint8_t *data = NULL;
    size_t len = 0;
    zstat st;
    if (ztree_get(t, path, &data, &len, &st) != ZOK) return;
    viz_tree_row *r = viz_snap_tree_add(s, path, depth);
    r->nchildren = st.num_children;
    r->eph_owner = st.ephemeral_owner;
    r->data_cut = preview(data, len, r->data, sizeof r->data);
    r->open = st.num_children > 0 && (!v || viz_view_open(v, path, depth));
    if (!r->open) return;
    char **names = NULL;
    int n = 0;
    if (ztree_children(t, path, &names, &n) != ZOK) return;
    for (int i = 0; i < n; i++) {
        char child[ZPATH_MAX];
        snprintf(child, sizeof child, "%s/%s", depth == 0 ? "" : path, names[i]);
        walk(s, t, v, child, depth + 1);
    }
    ztree_free_names(names, n);
}

/* The opened znode's whole value and stat, from the tree's server. */
static void open_znode(viz_snap *s, const ztree *t, const char *path)
{
    viz_znode *z = &s->znode;
    free(z->data);
    memset(z, 0, sizeof *z);
    if (!path || !path[0]) return;
    snprintf(z->path, sizeof z->path, "%s", path);
    const uint8_t *data = NULL;
    if (!t || ztree_get(t, path, &data, &z->len, &z->st) != ZOK) { z->len = 0; return; }
    z->found = true;
    z->data = xmalloc(z->len + 1);
    if (z->len) memcpy(z->data, data, z->len);
    z->data[z->len] = 0;
}

/* The tree worth showing: the serving leader's, else the up server with
 * the most recent log. */
static int tree_source(const ensemble_info *e)
{
    if (e->leader_sid && e->serving) return e->leader_sid;
    int best = 0;
    uint64_t z = 0;
    for (int i = 0; i < e->size; i++) {
        const zk_server_info *si = &e->servers[i];
        if (si->state == ZK_DOWN) continue;
        if (!best || si->last_zxid > z) { best = si->sid; z = si->last_zxid; }
    }
    return best;
}

/* A server cut off from every other one is isolated; one that misses
 * some servers that are not themselves isolated sits in a split. A
 * server that only misses an isolated one is neither: the cut is not
 * its own. */
static void reach_marks(viz_snap *s, cluster *c)
{
    const net *n = sim_net(cluster_sim(c));
    int size = s->ens.size;
    /* the leader goes on LEADING for syncLimit after it lost its quorum
     * (Leader.lead's check of its synced followers): meanwhile it says
     * serving, but no proposal of its can get a quorum of ACKs */
    s->zk_leader_cut = false;
    for (int i = 0; i < size; i++) {
        const zk_server_info *l = &s->ens.servers[i];
        if (l->state != ZK_LEADING || l->sid != s->ens.leader_sid) continue;
        int reach = 0;
        for (int j = 0; j < size; j++)
            reach += s->ens.servers[j].state != ZK_DOWN &&
                     (j == i || net_linked(n, l->node, s->ens.servers[j].node));
        s->zk_leader_cut = reach < s->ens.quorum;
    }
    for (int i = 0; i < size; i++)
        s->zk_isolated[i] = cluster_cut_off(c, s->ens.servers[i].node);
    for (int i = 0; i < size; i++) {
        s->zk_cut[i] = false;
        for (int j = 0; j < size && !s->zk_isolated[i]; j++)
            if (j != i && !s->zk_isolated[j] &&
                !net_linked(n, s->ens.servers[i].node, s->ens.servers[j].node))
                s->zk_cut[i] = true;
    }
}

/* Brokers' marks and the sides of a split, over servers and brokers
 * together: a broker is isolated when it reaches neither a server (an
 * ensemble server; in KRaft mode a controller) nor another broker, so
 * cutting 101 off marks 101 alone. */
static void sides(viz_snap *s, sim *w)
{
    int nz = s->ens.size < CLUSTER_ZK_MAX ? s->ens.size : CLUSTER_ZK_MAX;
    if (s->kraft) nz = s->quorum.size;
    int n = nz + s->nbrokers;
    int nodes[CLUSTER_ZK_MAX + VIZ_BROKERS_MAX];
    bool iso[CLUSTER_ZK_MAX + VIZ_BROKERS_MAX];
    char side[CLUSTER_ZK_MAX + VIZ_BROKERS_MAX];
    for (int i = 0; i < nz; i++)
        nodes[i] = s->kraft ? s->quorum.voters[i].r.node : s->ens.servers[i].node;
    for (int i = 0; i < s->nbrokers; i++) nodes[nz + i] = s->brokers[i].node;
    viz_reach(sim_net(w), nodes, n, iso, side);
    for (int i = 0; i < nz && !s->kraft; i++) s->zk_side[i] = side[i];
    for (int i = 0; i < s->nbrokers; i++) {
        s->brokers[i].isolated = iso[nz + i];
        s->brokers[i].side = side[nz + i];
        for (int k = 0; k < s->nnodes; k++)
            if (s->nodes[k].node == s->brokers[i].node) s->nodes[k].isolated = iso[nz + i];
    }
}

/* KRaft mode: the quorum, its controllers as selectable nodes (after the
 * ensemble's, which a KRaft world has none of), and the latest records
 * of the leader's log (else the longest log's). */
static void snap_quorum(viz_snap *s, cluster *c)
{
    raft_quorum *q = cluster_quorum(c);
    s->kraft = q != NULL;
    s->nmlog = 0;
    if (!q) return;
    sim *w = cluster_sim(c);
    raft_quorum_info_get(q, &s->quorum);
    int src = 0;
    for (int i = 0; i < s->quorum.size; i++) {
        const raft_info *ri = &s->quorum.voters[i].r;
        if (ri->node_id == s->quorum.leader_id ||
            (s->quorum.leader_id < 0 && ri->log_end > s->quorum.voters[src].r.log_end))
            src = i;
        if (s->nnodes >= VIZ_NODES_MAX) continue;
        viz_node *vn = &s->nodes[s->nnodes++];
        vn->node = ri->node;
        snprintf(vn->name, sizeof vn->name, "%s", sim_node_name(w, ri->node));
        vn->kind = NODE_CONTROLLER;
        vn->status = sim_node_status(w, ri->node);
        vn->isolated = cluster_cut_off(c, ri->node);
    }
    raft *r = raft_quorum_raft(q, src);
    s->mlog_src = src;
    /* topics named as the controller whose log this is knows them */
    const kmeta_image *img = kctl_ctrl_image(cluster_ctl(c, src));
    int64_t end = s->quorum.voters[src].r.log_end;
    int64_t from = end > VIZ_MLOG_MAX ? end - VIZ_MLOG_MAX : 0;
    if (from < s->quorum.voters[src].r.log_start) from = s->quorum.voters[src].r.log_start;
    for (int64_t o = from; o < end; o++) {
        size_t len = 0;
        int32_t epoch = 0;
        bool control = false;
        const uint8_t *data = NULL;
        raft_entry(r, o, &epoch, &control, &data, &len);
        kmeta_rec rec;
        s->mlog[s->nmlog].rec[0] = s->mlog[s->nmlog].brief[0] = '\0';
        if (!control && data && kmeta_rec_decode(data, len, &rec)) {
            kmeta_rec_describe(&rec, s->mlog[s->nmlog].rec, sizeof s->mlog[s->nmlog].rec);
            viz_mlog_brief(&rec, img, s->lang, s->mlog[s->nmlog].brief, sizeof s->mlog[s->nmlog].brief);
        }
        s->mlog[s->nmlog].offset = o;
        s->mlog[s->nmlog].epoch = epoch;
        s->mlog[s->nmlog].control = control;
        s->mlog[s->nmlog++].len = (uint32_t)len;
    }
}

void viz_snap_take(viz_snap *s, cluster *c, const viz_view *v)
{
    if (!c) {   /* a lesson before its lab.cluster: nothing to show yet */
        s->kraft = false;
        s->nmlog = 0;
        memset(&s->ens, 0, sizeof s->ens);
        s->now_us = 0;
        s->nnodes = s->ntree = s->nparts = s->parts_total = 0;
        s->nbrokers = s->ntopics = s->nclients = 0;
        s->tree_sid = 0;
        open_znode(s, NULL, NULL);
        s->controller = -1;
        s->controller_znode = -1;
        s->ntimers = 0;
        return;
    }
    sim *w = cluster_sim(c);
    s->now_us = sim_now_us(w);
    s->seed = sim_seed(w);
    cluster_ensemble(c, &s->ens);
    reach_marks(s, c);
    s->nnodes = 0;
    for (int i = 0; i < s->ens.size && i < CLUSTER_ZK_MAX; i++) {
        int node = s->ens.servers[i].node;
        if (s->nnodes >= VIZ_NODES_MAX) continue;
        viz_node *vn = &s->nodes[s->nnodes++];
        vn->node = node;
        snprintf(vn->name, sizeof vn->name, "%s", sim_node_name(w, node));
        vn->kind = sim_node_kind(w, node);
        vn->status = sim_node_status(w, node);
        vn->isolated = s->zk_isolated[i];
    }
    snap_quorum(s, c);
    s->ntree = 0;
    s->tree_cut = false;
    s->tree_sid = tree_source(&s->ens);
    if (s->tree_sid)
        walk(s, zk_server_tree(cluster_zk(c, s->tree_sid)), v, "/", 0);
    open_znode(s, s->tree_sid ? zk_server_tree(cluster_zk(c, s->tree_sid)) : NULL,
               v ? v->znode : NULL);
    viz_snap_kafka(s, c);
    sides(s, w);
    s->ntimers = cluster_timers(c, s->timers, VIZ_TIMERS_MAX);
}
