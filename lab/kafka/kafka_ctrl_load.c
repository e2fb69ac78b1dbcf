/* kafka_ctrl_load: what the controller reads from ZooKeeper: the live
 * brokers (/brokers/ids, who died and who joined), the topics with their
 * assignment, config and partition states, and the start of its work
 * once everything is loaded. */
#include "kafka_ctrl_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REBALANCE_FIRST_MS = 5000 };

static void topic_loaded(kafka_ctrl *c, int ti);

/* Deletion requests read while topics were loading are read again. */
static void deferred_deletes(kafka_ctrl *c)
{
    if (!c->deletes_deferred || !c->initialized || c->topics_pending > 0) return;
    c->deletes_deferred = false;
    kc_read_deletes(c);
}

static void state_read(kafka_ctrl *c, int ti, int p)
{
    char path[ZPATH_MAX];
    kc_state_path(path, sizeof path, c->topics[ti]->name, p);
    kop *op = kc_op(c, C_STATE_GET);
    op->c = ti;
    op->a = p;
    zk_get(c->b->zk, path, false, kc_zdone, op);
}

void kc_read_brokers(kafka_ctrl *c)
{
    zk_children(c->b->zk, "/brokers/ids", true, kc_zdone, kc_op(c, C_BROKERS));
}

static int cmp_live(const void *x, const void *y)
{
    const cbroker *a = x, *b = y;
    return (a->id > b->id) - (a->id < b->id);
}

/* The broker list was read: works out who died and who joined. A broker
 * whose registration has a new czxid (broker epoch) bounced: it counts as
 * gone and new. The live list is rebuilt sorted by id, the controller's
 * id -> broker map. */
static void brokers_read(kafka_ctrl *c)
{
    int *dead = xcalloc((size_t)c->nlive + 1, sizeof *dead), ndead = 0;
    int *fresh = xcalloc((size_t)c->nseen + 1, sizeof *fresh), nfresh = 0;
    cbroker *old = c->live;
    int nold = c->nlive;
    c->live = xcalloc((size_t)c->nseen + 1, sizeof *c->live);
    c->nlive = c->caplive = 0;
    for (int k = 0; k < c->nseen; k++) {
        const cseen *s = &c->seen[k];
        if (s->node < 0) continue;      /* unresolvable host: not reachable */
        cbroker *prev = NULL;
        for (int i = 0; i < nold && !prev; i++)
            if (old[i].id == s->id && old[i].epoch == s->epoch) prev = &old[i];
        cbroker *cb = &c->live[c->nlive++];
        if (prev) {
            *cb = *prev;
            prev->id = -1;          /* moved */
        } else {
            memset(cb, 0, sizeof *cb);
            cb->id = s->id;
            cb->full_um = true;
            fresh[nfresh++] = cb->id;
        }
        cb->node = s->node;
        cb->epoch = s->epoch;
        memcpy(cb->rack, s->rack, sizeof cb->rack);
    }
    for (int i = 0; i < nold; i++) {
        if (old[i].id < 0) continue;
        dead[ndead++] = old[i].id;
        kc_channel_clear(&old[i]);
    }
    free(old);
    qsort(c->live, (size_t)c->nlive, sizeof *c->live, cmp_live);
    for (int k = 0; k < ndead; k++)
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "controller: broker %d is gone (its session ended)", dead[k]);
    /* KafkaController.onBrokerChange logs the newly added brokers; at
     * failover every broker is new to the controller, so only after */
    for (int k = 0; k < nfresh && c->initialized; k++)
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "controller: broker %d joined (its registration read)", fresh[k]);
    c->um_live |= ndead || nfresh;
    if (c->initialized) {
        /* new brokers learn every partition they hold */
        for (int k = 0; k < nfresh; k++) {
            cbroker *cb = kc_live_find(c, fresh[k]);
            for (int ti = 0; ti < c->ntopics; ti++) {
                ctopic *t = c->topics[ti];
                if (t->deleted || !t->loaded || t->queued) continue;
                for (int p = 0; p < t->nparts; p++) {
                    if (!kafka_pstate_has_replica(&t->st[p], fresh[k])) continue;
                    VEC_GROW(cb->lai, cb->nlai + 1, cb->caplai);
                    cb->lai[cb->nlai++] = ti;
                    cb->lai[cb->nlai++] = p;
                }
            }
        }
        kc_fix_partitions(c, dead, ndead);
        kc_reassign_brokers(c, fresh, nfresh);
        for (int k = 0; k < ndead; k++) kc_deletion_broker_gone(c, dead[k]);
        /* a broker back may let a halted deletion go on */
        kc_resume_deletions(c);
        kc_flush(c);
    }
    free(dead);
    free(fresh);
}

static void brokers_complete(kafka_ctrl *c)
{
    c->have_brokers = true;
    brokers_read(c);
    kc_try_initialize(c);
}

/* The children of /brokers/ids: each registration is read next. A newer
 * listing voids the reads of an older one (seen_gen). */
void kc_brokers_got(kafka_ctrl *c, const zk_result *res)
{
    if (res->err != ZOK) {
        kc_retry_read(c, res->err, C_BROKERS);
        return;
    }
    c->seen_gen++;
    c->nseen = 0;
    c->seen_pending = res->nchildren;
    for (int i = 0; i < res->nchildren; i++) {
        char path[ZPATH_MAX];
        snprintf(path, sizeof path, "/brokers/ids/%s", res->children[i]);
        kop *op = kc_op(c, C_BROKER_GET);
        op->a = atoi(res->children[i]);
        op->c = c->seen_gen;
        zk_get(c->b->zk, path, false, kc_zdone, op);
    }
    if (res->nchildren == 0) brokers_complete(c);
}

/* One registration: its host resolves to the broker's node through the
 * simulated network's names (as DNS would), its czxid is the epoch. */
void kc_broker_got(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    if (op->c != c->seen_gen) return;
    if (res->err != ZOK && res->err != ZNONODE) {
        /* a registration unread is not a broker gone: list again */
        c->seen_gen++;
        kc_retry_read(c, res->err, C_BROKERS);
        return;
    }
    if (res->err == ZOK) {
        VEC_GROW(c->seen, c->nseen, c->capseen);
        cseen *s = &c->seen[c->nseen++];
        memset(s, 0, sizeof *s);
        s->id = op->a;
        s->epoch = res->stat.czxid;
        char host[32] = "";
        kafka_json_str((const char *)res->data, res->len, "rack", s->rack, sizeof s->rack);
        kafka_json_str((const char *)res->data, res->len, "host", host, sizeof host);
        s->node = sim_find_node(c->b->s, host);
        if (s->node >= 0 && sim_node_kind(c->b->s, s->node) != NODE_BROKER) s->node = -1;
    }
    if (--c->seen_pending == 0) brokers_complete(c);
}

void kc_state_created(kafka_ctrl *c, int ti, int p, const zk_result *res)
{
    if (res->err == ZOK) kc_queue_lai(c, ti, p);
    if (--c->topics[ti]->pending == 0) topic_loaded(c, ti);
}

void kc_try_initialize(kafka_ctrl *c)
{
    if (c->initialized || !c->have_brokers || c->topics_pending > 0) return;
    c->initialized = true;
    for (int i = 0; i < c->nlive; i++) c->live[i].full_um = true;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded) continue;
        for (int p = 0; p < t->nparts; p++) kc_queue_lai(c, ti, p);
    }
    kc_fix_partitions(c, NULL, 0);
    kc_reassign_resume(c);
    kc_flush(c);
    deferred_deletes(c);
    /* KafkaController.onControllerFailover: the first check 5 s after a
     * controller takes over, then every check interval */
    if (c->b->cfg.auto_rebalance)
        sim_timer(c->b->s, c->b->node, REBALANCE_FIRST_MS * 1000,
                  kc_rebalance_timer, c->serial);
}

static void assign_visit(void *ctx, int p, const int *ids, int n)
{
    ctopic *t = ctx;
    if (p < 0 || p >= t->nparts) return;
    t->st[p].nrep = (uint8_t)n;
    for (int i = 0; i < n; i++) t->st[p].replicas[i] = ids[i];
}

void kc_read_topics(kafka_ctrl *c)
{
    zk_children(c->b->zk, "/brokers/topics", true, kc_zdone, kc_op(c, C_TOPICS));
}

void kc_load_topic(kafka_ctrl *c, const char *name)
{
    char path[ZPATH_MAX];
    snprintf(path, sizeof path, "/brokers/topics/%s", name);
    kop *op = kc_op(c, C_TOPIC_GET);
    op->str = xstrdup(name);
    c->topics_pending++;
    zk_get(c->b->zk, path, false, kc_zdone, op);
}

static void topic_loaded(kafka_ctrl *c, int ti)
{
    ctopic *t = c->topics[ti];
    t->loaded = true;
    c->topics_pending--;
    if (!c->initialized) {
        kc_try_initialize(c);
        return;
    }
    for (int p = 0; p < t->nparts; p++) kc_changed(c, ti, p);
    kc_flush(c);
    deferred_deletes(c);
}

/* A new partition: leader = first live replica, ISR = live replicas. */
static void init_partition(kafka_ctrl *c, int ti, int p)
{
    ctopic *t = c->topics[ti];
    kafka_pstate *st = &t->st[p];
    st->leader = -1;
    st->nisr = 0;
    for (int i = 0; i < st->nrep; i++)
        if (kc_registered(c, st->replicas[i])) {
            if (st->leader < 0) st->leader = st->replicas[i];
            st->isr[st->nisr++] = st->replicas[i];
        }
    st->leader_epoch = 0;
    st->controller_epoch = c->epoch;
    st->zk_version = 0;
    char p1[ZPATH_MAX], p2[ZPATH_MAX], json[256];
    snprintf(p1, sizeof p1, "/brokers/topics/%s/partitions/%d", t->name, p);
    kc_state_path(p2, sizeof p2, t->name, p);
    kafka_state_json(st, json, sizeof json);
    zop ops[3] = {
        { .type = ZOP_CHECK, .path = "/controller_epoch", .version = c->epoch_zkv },
        { .type = ZOP_CREATE, .path = p1 },
        { .type = ZOP_CREATE, .path = p2, .data = (const uint8_t *)json, .len = strlen(json) },
    };
    kop *op = kc_op(c, C_STATE_CREATE);
    op->c = ti;
    op->a = p;
    t->pending++;
    zk_multi(c->b->zk, ops, 3, kc_zdone, op);
}

void kc_topic_got(kafka_ctrl *c, kop *op, const zk_result *res)
{
    if (res->err != ZOK) {
        c->topics_pending--;
        kc_retry_read(c, res->err, C_TOPICS);   /* unknown still: loaded again */
        kc_try_initialize(c);
        deferred_deletes(c);
        return;
    }
    const char *json = (const char *)res->data;
    int nparts = kafka_json_partitions(json, res->len, NULL, NULL);
    if (nparts <= 0) nparts = 0;
    ctopic *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(op->str);
    t->nparts = nparts;
    t->st = xcalloc((size_t)nparts + 1, sizeof *t->st);
    t->min_isr = c->b->cfg.min_isr;
    t->unclean = c->b->cfg.unclean;
    t->zkv = res->stat.version;
    kafka_json_partitions(json, res->len, assign_visit, t);
    char id[40];
    t->id = kafka_json_str(json, res->len, "topic_id", id, sizeof id)
                ? strtoull(id, NULL, 16) : (uint64_t)res->stat.czxid;
    VEC_GROW(c->topics, c->ntopics, c->captopics);
    c->topics[c->ntopics++] = t;
    kc_reassign_load(c, c->ntopics - 1, json, res->len);
    char path[ZPATH_MAX];
    snprintf(path, sizeof path, "/config/topics/%s", t->name);
    kop *o2 = kc_op(c, C_TCONF_GET);
    o2->c = c->ntopics - 1;
    zk_get(c->b->zk, path, false, kc_zdone, o2);
}

void kc_tconf_got(kafka_ctrl *c, int ti, const zk_result *res)
{
    ctopic *t = c->topics[ti];
    if (res->err == ZOK) {
        const char *j = (const char *)res->data;
        char v[32];
        /* the config object is flat enough for a key search at depth 2 */
        const char *cfg = memchr(j, '{', res->len) ? strstr(j, "\"config\":") : NULL;
        if (cfg) {
            size_t off = (size_t)(cfg + 9 - j);
            if (kafka_json_str(cfg + 9, res->len - off, "min.insync.replicas", v, sizeof v))
                t->min_isr = atoi(v);
            if (kafka_json_str(cfg + 9, res->len - off, "unclean.leader.election.enable", v, sizeof v))
                t->unclean = strcmp(v, "true") == 0;
        }
    }
    t->pending = t->nparts;
    if (t->nparts == 0) { topic_loaded(c, ti); return; }
    char ppath[ZPATH_MAX];
    snprintf(ppath, sizeof ppath, "/brokers/topics/%s/partitions", t->name);
    zk_create(c->b->zk, ppath, NULL, 0, 0, kc_zdone, kc_op(c, C_IGNORE));
    /* A topic that appears while this controller is in charge is new:
     * KafkaController.processTopicChange reads its assignment alone and
     * onNewPartitionCreation writes each partition's first state
     * (KafkaZkClient.createTopicPartitionStatesRaw) without reading one.
     * States are read in a controller's first load only
     * (initializeControllerContext), where a topic may be half made. */
    if (c->initialized) {
        t->pending = 0;
        for (int p = 0; p < t->nparts; p++) init_partition(c, ti, p);
        return;
    }
    for (int p = 0; p < t->nparts; p++) state_read(c, ti, p);
}

void kc_state_got(kafka_ctrl *c, int ti, int p, const zk_result *res)
{
    ctopic *t = c->topics[ti];
    kafka_pstate *st = &t->st[p];
    if (res->err == ZOK && kafka_state_parse((const char *)res->data, res->len, st)) {
        st->zk_version = res->stat.version;
    } else if (res->err == ZNONODE) {
        init_partition(c, ti, p);   /* its create counts in pending */
    } else if (res->err != ZSESSIONEXPIRED) {
        state_read(c, ti, p);       /* lost with the connection: again */
        return;
    }
    if (--t->pending == 0) topic_loaded(c, ti);
}
