/* kafka_world: makes the brokers after the ensemble and answers the
 * snapshot questions from ZooKeeper's committed tree (the registry a
 * learner can also read) and from the brokers' replicas. */
#include "kafka_world.h"
#include "kafka_pindex.h"
#include "zk_server.h"
#include "kctl_ctrl.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A broker's id and its index in b: by_id sorts them by (id, index). */
typedef struct idpos {
    int id, i;
} idpos;

struct kafka_world {
    sim *s;
    kafka_broker **b;
    int n;
    kafka_config cfg;           /* the brokers' settings, for one added later */
    kafka_check *chk;
    kafka_hooks hooks;          /* chk's, installed in every node */
    kafka_client *admin;
    int zk_nodes[16];
    int nzk;
    kafka_pindex *idx;          /* topic assignments, parsed once per change */
    idpos *by_id;               /* the brokers sorted by id, for lookups */
    raft_quorum *quorum;        /* KRaft mode, else NULL */
    kctl_ctrl **ctls;           /* its controllers, in its order */
};

static int cmp_idpos(const void *a, const void *b)
{
    const idpos *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Rebuilds the id index: at creation and when a broker joins later. */
static void index_ids(kafka_world *w)
{
    free(w->by_id);
    w->by_id = xcalloc((size_t)w->n + 1, sizeof *w->by_id);
    for (int i = 0; i < w->n; i++) w->by_id[i] = (idpos){ kafka_broker_id(w->b[i]), i };
    qsort(w->by_id, (size_t)w->n, sizeof *w->by_id, cmp_idpos);
}

/* Makes one broker node (not started) at the end of the list; NULL when
 * the sim has no room for another node. */
static kafka_broker *make_broker(kafka_world *w, int id, const char *rack)
{
    kafka_broker *b = w->quorum
        ? kafka_broker_new_kraft(w->s, id, rack, raft_quorum_ids(w->quorum),
                                 raft_quorum_nodes(w->quorum),
                                 raft_quorum_size(w->quorum), &w->cfg, &w->hooks)
        : kafka_broker_new(w->s, id, rack, w->zk_nodes, w->nzk, &w->cfg, &w->hooks);
    if (b && w->quorum) kafka_broker_kraft_snapshots(b, raft_quorum_config(w->quorum));
    if (!b) return NULL;
    w->b = xrealloc(w->b, ((size_t)w->n + 1) * sizeof *w->b);
    w->b[w->n++] = b;
    return b;
}

static kafka_world *world_new(sim *s, int n, const int *ids,
                              const char (*racks)[16], const kafka_config *cfg,
                              const int *zk_nodes, int nzk, raft_quorum *q,
                              kctl_ctrl **ctls)
{
    kafka_world *w = xcalloc(1, sizeof *w);
    w->s = s;
    w->quorum = q;
    w->ctls = ctls;
    w->cfg = *cfg;
    w->chk = kafka_check_new(s);
    w->hooks = kafka_check_hooks(w->chk);
    w->nzk = nzk < 16 ? nzk : 16;
    memcpy(w->zk_nodes, zk_nodes, (size_t)w->nzk * sizeof *zk_nodes);
    for (int i = 0; i < n; i++) {
        int id = ids && ids[i] ? ids[i] : 101 + i;
        const char *rack = racks && racks[i][0] ? racks[i] : NULL;
        if (!make_broker(w, id, rack)) break;
    }
    w->idx = kafka_pindex_new();
    index_ids(w);
    for (int i = 0; i < w->n; i++) sim_start_node(s, kafka_broker_node(w->b[i]));
    return w;
}

kafka_world *kafka_world_new(sim *s, int n, const int *ids,
                             const char (*racks)[16], const kafka_config *cfg,
                             const int *zk_nodes, int nzk)
{
    return world_new(s, n, ids, racks, cfg, zk_nodes, nzk, NULL, NULL);
}

kafka_world *kafka_world_new_kraft(sim *s, int n, const int *ids,
                                   const char (*racks)[16], const kafka_config *cfg,
                                   raft_quorum *q, kctl_ctrl **ctls)
{
    static const int no_zk[1] = { -1 };
    return world_new(s, n, ids, racks, cfg, no_zk, 0, q, ctls);
}

/* KRaft mode: the committed image of the active controller, else of the
 * running controller that has applied the most (a standby holds the
 * whole log too). */
static const kmeta_image *meta_image(kafka_world *w)
{
    const kmeta_image *best = NULL;
    int64_t off = -2;
    for (int i = 0; i < raft_quorum_size(w->quorum); i++) {
        kctl_ctrl *c = w->ctls[i];
        if (sim_node_status(w->s, raft_quorum_nodes(w->quorum)[i]) == NODE_DOWN)
            continue;
        if (kctl_ctrl_active(c)) return kctl_ctrl_image(c);
        if (kctl_ctrl_committed(c) > off) {
            off = kctl_ctrl_committed(c);
            best = kctl_ctrl_image(c);
        }
    }
    return best;
}

bool kafka_world_is_kraft(const kafka_world *w) { return w && w->quorum; }

bool kafka_world_kraft_active(kafka_world *w)
{
    for (int i = 0; w->quorum && i < raft_quorum_size(w->quorum); i++)
        if (sim_node_status(w->s, raft_quorum_nodes(w->quorum)[i]) != NODE_DOWN &&
            kctl_ctrl_active(w->ctls[i]))
            return true;
    return false;
}

bool kafka_world_kraft_unfenced(kafka_world *w, int id)
{
    const kmeta_image *img = w->quorum ? meta_image(w) : NULL;
    const kmeta_broker *b = img ? kmeta_image_broker(img, id) : NULL;
    return b && !b->fenced;
}

static bool kraft_pstate(kafka_world *w, const char *topic, int p,
                         kafka_pstate *out, int *nparts)
{
    const kmeta_image *img = meta_image(w);
    const kmeta_topic *t = img ? kmeta_image_topic(img, topic) : NULL;
    memset(out, 0, sizeof *out);
    *nparts = t ? t->nparts : 0;
    const kmeta_part *mp = img ? kmeta_image_part(img, topic, p) : NULL;
    if (!mp) return false;
    kctl_pstate_of(mp, out);
    return true;
}

/* A KRaft partition's reassignment: its addingReplicas and
 * removingReplicas in the committed image. */
static bool kraft_moving(kafka_world *w, const char *topic, int p, int *adding,
                         int *nadding, int *removing, int *nremoving)
{
    const kmeta_image *img = meta_image(w);
    const kmeta_part *mp = img ? kmeta_image_part(img, topic, p) : NULL;
    *nadding = *nremoving = 0;
    if (!mp) return false;
    for (int i = 0; i < mp->adding.n && *nadding < KAFKA_RF_MAX; i++)
        adding[(*nadding)++] = mp->adding.id[i];
    for (int i = 0; i < mp->removing.n && *nremoving < KAFKA_RF_MAX; i++)
        removing[(*nremoving)++] = mp->removing.id[i];
    return *nadding > 0 || *nremoving > 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int kraft_topics(kafka_world *w, char (**out)[KAFKA_TOPIC_NAME_MAX])
{
    const kmeta_image *img = meta_image(w);
    int n = img ? kmeta_image_ntopics(img) : 0;
    *out = xcalloc((size_t)n + 1, sizeof **out);
    for (int i = 0; i < n; i++)
        snprintf((*out)[i], KAFKA_TOPIC_NAME_MAX, "%.127s", kmeta_image_topic_at(img, i)->name);
    qsort(*out, (size_t)n, sizeof **out, cmp_name);
    return n;
}

kafka_broker *kafka_world_add(kafka_world *w, int id, const char *rack)
{
    kafka_broker *b = make_broker(w, id, rack);
    if (!b) return NULL;
    index_ids(w);
    sim_start_node(w->s, kafka_broker_node(b));
    return b;
}

void kafka_world_free(kafka_world *w)
{
    if (!w) return;
    kafka_check_free(w->chk);
    kafka_pindex_free(w->idx);
    free(w->by_id);
    free(w->b);
    free(w);
}

sim *kafka_world_sim(const kafka_world *w) { return w->s; }
int kafka_world_count(const kafka_world *w) { return w ? w->n : 0; }
kafka_broker *kafka_world_broker(kafka_world *w, int i) { return w->b[i]; }
kafka_check *kafka_world_check(kafka_world *w) { return w->chk; }
const kafka_hooks *kafka_world_hooks(const kafka_world *w) { return &w->hooks; }

/* Binary search for the first broker with that id (the index is rebuilt
 * when a broker joins): lab.partition asks once per replica. */
kafka_broker *kafka_world_by_id(kafka_world *w, int id)
{
    if (!w) return NULL;
    int lo = 0, hi = w->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (w->by_id[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < w->n && w->by_id[lo].id == id ? w->b[w->by_id[lo].i] : NULL;
}

kafka_broker *kafka_world_by_node(kafka_world *w, int node)
{
    for (int i = 0; w && i < w->n; i++)
        if (kafka_broker_node(w->b[i]) == node) return w->b[i];
    return NULL;
}

kafka_client *kafka_world_admin(kafka_world *w)
{
    if (!w->admin) {
        int *boot = xcalloc((size_t)w->n + 1, sizeof *boot);
        for (int i = 0; i < w->n; i++) boot[i] = kafka_broker_node(w->b[i]);
        kafka_client_config cfg;
        kafka_client_config_defaults(&cfg);
        w->admin = kafka_client_new(w->s, "admin", boot, w->n, &cfg, &w->hooks);
        free(boot);
    }
    return w->admin;
}

int kafka_world_controller(kafka_world *w)
{
    int best = -1;
    int32_t epoch = -1;
    for (int i = 0; w && i < w->n; i++) {
        int32_t e = kafka_broker_controller_epoch(w->b[i]);
        if (e >= 0 && e > epoch) {
            epoch = e;
            best = kafka_broker_id(w->b[i]);
        }
    }
    return best;
}

/* The tree of the serving ensemble leader, else of any live server. */
static const ztree *registry(kafka_world *w)
{
    const ztree *any = NULL;
    for (int i = 0; i < w->nzk; i++) {
        zk_server *z = sim_node_self(w->s, w->zk_nodes[i]);
        bool serving;
        zk_state state = zk_server_state(z, &serving);
        if (state == ZK_LEADING && serving) return zk_server_tree(z);
        if (state != ZK_DOWN && !any) any = zk_server_tree(z);
    }
    return any;
}

/* The topic's znode in the registry, its entry in the index brought up
 * to date with it; NULL when the topic does not exist there. */
static const kafka_ptopic *topic_of(kafka_world *w, const ztree *t, const char *topic)
{
    char path[ZPATH_MAX];
    const uint8_t *d;
    size_t len;
    zstat st;
    snprintf(path, sizeof path, "/brokers/topics/%s", topic);
    if (ztree_get(t, path, &d, &len, &st) != ZOK) {
        kafka_pindex_forget(w->idx, topic);
        return NULL;
    }
    return kafka_pindex_sync(w->idx, topic, d, len, &st);
}

/* Partition p's state znode into out (replicas already there): leader -1
 * and the rest 0 while the znode does not exist yet. */
static void state_of(const ztree *t, const char *topic, int p, kafka_pstate *out)
{
    char path[ZPATH_MAX];
    const uint8_t *d;
    size_t len;
    zstat st;
    snprintf(path, sizeof path, "/brokers/topics/%s/partitions/%d/state", topic, p);
    out->leader = -1;
    if (ztree_get(t, path, &d, &len, &st) != ZOK) return;
    kafka_state_parse((const char *)d, len, out);
    out->zk_version = st.version;
}

int kafka_world_controller_znode(kafka_world *w)
{
    const ztree *t = w && !w->quorum ? registry(w) : NULL;
    const uint8_t *d;
    size_t len;
    zstat st;
    if (!t || ztree_get(t, "/controller", &d, &len, &st) != ZOK) return -1;
    /* KafkaZkClient writes {"version":1,"brokerid":N,"timestamp":"..."} */
    char buf[128];
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    memcpy(buf, d, n);
    buf[n] = '\0';
    const char *k = strstr(buf, "\"brokerid\":");
    return k ? atoi(k + strlen("\"brokerid\":")) : -1;
}

bool kafka_world_pstate(kafka_world *w, const char *topic, int p,
                        kafka_pstate *out, int *nparts)
{
    if (w->quorum) return kraft_pstate(w, topic, p, out, nparts);
    const ztree *t = registry(w);
    const kafka_ptopic *pt = t ? topic_of(w, t, topic) : NULL;
    if (!pt) return false;
    memset(out, 0, sizeof *out);
    *nparts = kafka_ptopic_count(pt);
    kafka_ptopic_replicas(pt, p, out);
    if (p < 0 || p >= *nparts) return false;
    state_of(t, topic, p, out);
    return true;
}

static bool deleting_in(const ztree *t, const char *topic)
{
    char path[ZPATH_MAX];
    snprintf(path, sizeof path, "/admin/delete_topics/%s", topic);
    return t && ztree_exists(t, path);
}

bool kafka_world_deleting(kafka_world *w, const char *topic)
{
    if (w->quorum) return false;        /* KRaft: a RemoveTopicRecord is at once */
    return deleting_in(registry(w), topic);
}

/* lab.partition polled per partition read the registry and the topic
 * three times a call (state, deletion, reassignment): once here. */
bool kafka_world_pinfo(kafka_world *w, const char *topic, int p,
                       kafka_pinfo *out, int *nparts)
{
    if (w->quorum) {                    /* KRaft: the committed metadata image */
        memset(out, 0, sizeof *out);
        if (!kraft_pstate(w, topic, p, &out->st, nparts)) return false;
        kraft_moving(w, topic, p, out->adding, &out->nadding, out->removing,
                     &out->nremoving);
        return true;
    }
    const ztree *t = registry(w);
    const kafka_ptopic *pt = t ? topic_of(w, t, topic) : NULL;
    memset(out, 0, sizeof *out);
    *nparts = 0;
    if (!pt) return false;
    *nparts = kafka_ptopic_count(pt);
    kafka_ptopic_replicas(pt, p, &out->st);
    if (p < 0 || p >= *nparts) return false;
    state_of(t, topic, p, &out->st);
    out->deleting = deleting_in(t, topic);
    kafka_ptopic_moving(pt, p, out->adding, &out->nadding, out->removing, &out->nremoving);
    return true;
}

/* From the index: lab.partition asks this for every partition, and a
 * parse of the topic's whole assignment per call was quadratic again. */
bool kafka_world_moving(kafka_world *w, const char *topic, int p, int *adding,
                        int *nadding, int *removing, int *nremoving)
{
    if (w->quorum) return kraft_moving(w, topic, p, adding, nadding, removing, nremoving);
    const ztree *t = registry(w);
    const kafka_ptopic *pt = t ? topic_of(w, t, topic) : NULL;
    *nadding = *nremoving = 0;
    return pt && kafka_ptopic_moving(pt, p, adding, nadding, removing, nremoving);
}

int kafka_world_pstates(kafka_world *w, const char *topic, int first, int n,
                        kafka_pstate *out, int *nparts)
{
    *nparts = 0;
    if (w->quorum) {
        int got = 0;
        for (int i = 0; i < n && first >= 0; i++, got++)
            if (!kraft_pstate(w, topic, first + i, &out[i], nparts)) break;
        return got;
    }
    const ztree *t = registry(w);
    if (!t || first < 0 || n <= 0) return 0;
    const kafka_ptopic *pt = topic_of(w, t, topic);
    if (!pt) return 0;
    memset(out, 0, (size_t)n * sizeof *out);
    *nparts = kafka_ptopic_count(pt);
    int got = *nparts - first < n ? *nparts - first : n;
    for (int i = 0; i < got; i++) {
        kafka_ptopic_replicas(pt, first + i, &out[i]);
        state_of(t, topic, first + i, &out[i]);
    }
    return got > 0 ? got : 0;
}

bool kafka_world_committed(void *ctx, const char *topic, int p,
                           const kafka_log **log, int64_t *hw)
{
    kafka_world *w = ctx;
    kafka_pstate st;
    int n;
    if (!kafka_world_pstate(w, topic, p, &st, &n) || st.leader < 0) return false;
    kafka_broker *b = kafka_world_by_id(w, st.leader);
    kafka_replica_info ri;
    if (!b || !kafka_broker_replica(b, topic, p, &ri)) return false;
    *log = ri.log;
    *hw = ri.hw;
    return true;
}

int kafka_world_topics(kafka_world *w, char (**out)[KAFKA_TOPIC_NAME_MAX])
{
    *out = NULL;
    if (w->quorum) return kraft_topics(w, out);
    const ztree *t = registry(w);
    char **names;
    int n;
    if (!t || ztree_children(t, "/brokers/topics", &names, &n) != ZOK) return 0;
    *out = xcalloc((size_t)n + 1, sizeof **out);
    int k = 0;
    for (int i = 0; i < n; i++) {
        char path[ZPATH_MAX];
        snprintf(path, sizeof path, "/admin/delete_topics/%s", names[i]);
        if (ztree_exists(t, path)) continue;
        snprintf((*out)[k++], KAFKA_TOPIC_NAME_MAX, "%s", names[i]);
    }
    ztree_free_names(names, n);
    return k;
}

kafka_client *kafka_world_client(kafka_world *w, const char *name,
                                 const int *bootstrap_ids, int n,
                                 const kafka_client_config *cfg)
{
    int *boot = xcalloc((size_t)n + 1, sizeof *boot);
    int k = 0;
    for (int i = 0; i < n; i++) {
        kafka_broker *b = kafka_world_by_id(w, bootstrap_ids[i]);
        if (b) boot[k++] = kafka_broker_node(b);
    }
    kafka_client *c = kafka_client_new(w->s, name, boot, k, cfg, &w->hooks);
    free(boot);
    return c;
}

size_t kafka_world_violations(const kafka_world *w)
{
    return kafka_check_violations(w->chk);
}

void kafka_world_audit(kafka_world *w, kafka_audit *out)
{
    kafka_check_audit(w->chk, kafka_world_committed, w, out);
}

bool kafka_world_converge(kafka_world *w, uint64_t limit_ms)
{
    uint64_t end = sim_now_us(w->s) + limit_ms * 1000;
    char why[256] = "";
    /* checked every 100 ms: convergence is a state, not an event */
    while (kafka_world_diverged(w, why, sizeof why) > 0) {
        if (sim_now_us(w->s) >= end || sim_halted(w->s)) {
            char m[320];
            snprintf(m, sizeof m, "replicas did not converge within %llu ms after "
                     "the faults healed: %s", (unsigned long long)limit_ms, why);
            kafka_check_violation(w->chk, -1, m);
            return false;
        }
        uint64_t next = sim_now_us(w->s) + 100000;
        sim_run_until(w->s, next < end ? next : end);
    }
    return true;
}
