/* kafka_ctrl_admin: topic creation (Kafka's placement, config then
 * topic znode as AdminZkClient writes them) and deletion (StopReplica
 * with delete to every replica; the znodes go once all confirmed, as
 * TopicDeletionManager does), and preferred election on request. */
#include "kafka_ctrl_int.h"
#include "kafka_assign.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kc_admin_reply(kafka_ctrl *c, int to, uint64_t corr, kerr e)
{
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, (uint8_t)e);
    w_u32(&w, 0);
    kb_send(c->b, to, KMSG_ADMIN_RESP, &w);
    wbuf_free(&w);
}

static void create_topic(kafka_ctrl *c, int from, uint64_t corr, const char *name,
                         int parts, int rf, int min_isr, int unclean)
{
    if (!name[0] || strchr(name, '/')) { kc_admin_reply(c, from, corr, KERR_INVALID_TOPIC); return; }
    if (kc_known_topic(c, name)) { kc_admin_reply(c, from, corr, KERR_TOPIC_ALREADY_EXISTS); return; }
    /* ZkAdminManager.createTopics places replicas on the live brokers of
     * the metadata cache (metadataCache.getAliveBrokers), which the
     * controller's own UpdateMetadata keeps, a step behind its context */
    const kafka_broker *b = c->b;
    int n = b->nlive;
    int *ids = xcalloc((size_t)n + 1, sizeof *ids);
    const char **racks = xcalloc((size_t)n + 1, sizeof *racks);
    for (int i = 0; i < n; i++) {
        ids[i] = b->live[i].id;
        racks[i] = b->live[i].rack[0] ? b->live[i].rack : NULL;
    }
    rng *r = sim_node_rng(c->b->s, c->b->node);
    int start = n ? (int)rng_below(r, (uint64_t)n) : 0;
    int shift = n ? (int)rng_below(r, (uint64_t)n) : 0;
    int *out = xcalloc((size_t)(parts > 0 ? parts : 1) * (size_t)(rf > 0 ? rf : 1), sizeof *out);
    kafka_assign_err e = rf > KAFKA_RF_MAX ? KASSIGN_INVALID_REPLICATION_FACTOR
                         : kafka_assign(ids, racks, n, parts, rf, start, shift, out);
    if (e != KASSIGN_OK) {
        kerr ke = e == KASSIGN_INVALID_REPLICATION_FACTOR ? KERR_INVALID_REPLICATION_FACTOR
                : e == KASSIGN_INVALID_PARTITIONS ? KERR_INVALID_PARTITIONS
                : KERR_UNKNOWN_SERVER_ERROR;
        if (e == KASSIGN_PARTIAL_RACKS)
            trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                       "controller: creating %s: Not all brokers have rack "
                       "information for replica rack aware assignment.", name);
        kc_admin_reply(c, from, corr, ke);
    } else {
        /* config first, then the topic (its creation is what the
         * controller's watch reacts to), as AdminZkClient does */
        char path[ZPATH_MAX], conf[256];
        int cn = snprintf(conf, sizeof conf, "{\"version\":1,\"config\":{");
        bool first = true;
        if (min_isr > 0) {
            cn += snprintf(conf + cn, sizeof conf - (size_t)cn, "\"min.insync.replicas\":\"%d\"", min_isr);
            first = false;
        }
        if (unclean >= 0)
            cn += snprintf(conf + cn, sizeof conf - (size_t)cn, "%s\"unclean.leader.election.enable\":\"%s\"",
                           first ? "" : ",", unclean ? "true" : "false");
        snprintf(conf + cn, sizeof conf - (size_t)cn, "}}");
        snprintf(path, sizeof path, "/config/topics/%s", name);
        zk_create(c->b->zk, path, (const uint8_t *)conf, strlen(conf), 0, kc_zdone, kc_op(c, C_ADMIN_CONF));
        size_t cap = (size_t)parts * (size_t)(rf * 8 + 16) + 256;
        char *json = xmalloc(cap);
        uint64_t tid = rng_next(r);
        int jn = snprintf(json, cap, "{\"version\":3,\"topic_id\":\"%016llx\",\"partitions\":{",
                          (unsigned long long)tid);
        for (int p = 0; p < parts; p++) {
            jn += snprintf(json + jn, cap - (size_t)jn, "%s\"%d\":[", p ? "," : "", p);
            for (int j = 0; j < rf; j++)
                jn += snprintf(json + jn, cap - (size_t)jn, "%s%d", j ? "," : "", out[p * rf + j]);
            jn += snprintf(json + jn, cap - (size_t)jn, "]");
        }
        snprintf(json + jn, cap - (size_t)jn, "},\"adding_replicas\":{},\"removing_replicas\":{}}");
        snprintf(path, sizeof path, "/brokers/topics/%s", name);
        kop *op = kc_op(c, C_ADMIN_TOPIC);
        op->from = from;
        op->corr = corr;
        zk_create(c->b->zk, path, (const uint8_t *)json, strlen(json), 0, kc_zdone, op);
        free(json);
    }
    free(out);
    free(ids);
    free(racks);
}

/* --- topic deletion (TopicDeletionManager) --- */

enum { DELETE_RETRY_MS = 1000 };

static void delete_request_gone(kafka_ctrl *c, const char *name)
{
    char path[ZPATH_MAX];
    snprintf(path, sizeof path, "/admin/delete_topics/%s", name);
    zk_delete(c->b->zk, path, -1, kc_zdone, kc_op(c, C_IGNORE));
}

/* Every replica confirmed: the topic's znodes go (deleteTopicZNode, its
 * config), the deletion request last. The requests of one session are
 * applied in order, so the request's own deletion says all went; if it
 * fails (connection loss) the whole series is made again. */
static void delete_znodes(kafka_ctrl *c, const char *name, int nparts)
{
    char path[ZPATH_MAX];
    for (int p = 0; p < nparts; p++) {
        kc_state_path(path, sizeof path, name, p);
        zk_delete(c->b->zk, path, -1, kc_zdone, kc_op(c, C_IGNORE));
        snprintf(path, sizeof path, "/brokers/topics/%s/partitions/%d", name, p);
        zk_delete(c->b->zk, path, -1, kc_zdone, kc_op(c, C_IGNORE));
    }
    snprintf(path, sizeof path, "/brokers/topics/%s/partitions", name);
    zk_delete(c->b->zk, path, -1, kc_zdone, kc_op(c, C_IGNORE));
    snprintf(path, sizeof path, "/brokers/topics/%s", name);
    zk_delete(c->b->zk, path, -1, kc_zdone, kc_op(c, C_IGNORE));
    snprintf(path, sizeof path, "/config/topics/%s", name);
    zk_delete(c->b->zk, path, -1, kc_zdone, kc_op(c, C_IGNORE));
    snprintf(path, sizeof path, "/admin/delete_topics/%s", name);
    kop *op = kc_op(c, C_DELETED);
    op->str = xstrdup(name);
    op->a = nparts;
    zk_delete(c->b->zk, path, -1, kc_zdone, op);
}

static void deleted_retry_timer(void *self, uint64_t serial)
{
    kafka_broker *b = self;
    kafka_ctrl *c = b->ctrl;
    if (!c || c->serial != serial) return;
    kc_read_deletes(c);         /* what is still marked is done again */
}

void kc_deleted_done(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    if (res->err == ZOK || res->err == ZNONODE || res->err == ZSESSIONEXPIRED) return;
    /* lost with the connection: the topic may be half gone; its request
     * is still there and the next read finishes it */
    sim_timer(c->b->s, c->b->node, DELETE_RETRY_MS * 1000, deleted_retry_timer, c->serial);
}

static void complete_deletion(kafka_ctrl *c, int ti)
{
    ctopic *t = c->topics[ti];
    t->deleted = true;
    trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
               "controller: topic %s deleted", t->name);
    delete_znodes(c, t->name, t->nparts);
}

/* Sends StopReplica (delete) for every replica not yet asked on a live
 * broker; completes the deletion when every replica has confirmed, or
 * notes that an offline replica halts it. A topic being reassigned is
 * ineligible until that ends (TopicDeletionManager.markTopicIneligibleForDeletion). */
static void resume_deletion(kafka_ctrl *c, int ti)
{
    ctopic *t = c->topics[ti];
    if (kc_reassigning(t)) return;
    int *pairs = xcalloc((size_t)t->nparts * 2 + 2, sizeof *pairs);
    for (int i = 0; i < c->nlive; i++) {
        cbroker *cb = &c->live[i];
        if (!kc_alive(c, cb->id)) continue;
        int np = 0;
        for (int p = 0; p < t->nparts; p++)
            for (int k = 0; k < t->st[p].nrep; k++) {
                uint8_t bit = (uint8_t)(1u << k);
                if (t->st[p].replicas[k] != cb->id || ((t->del_sent[p] | t->del_done[p]) & bit))
                    continue;
                t->del_sent[p] |= bit;
                pairs[np++] = ti;
                pairs[np++] = p;
            }
        kc_stop_replicas(c, cb, true, pairs, np);
    }
    free(pairs);
    int offline = -1;
    bool all = true;
    for (int p = 0; p < t->nparts; p++)
        for (int k = 0; k < t->st[p].nrep; k++) {
            if (t->del_done[p] & (1u << k)) continue;
            all = false;
            if (!kc_alive(c, t->st[p].replicas[k])) offline = t->st[p].replicas[k];
        }
    if (all) {
        complete_deletion(c, ti);
        return;
    }
    if (offline >= 0 && !t->halted)
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "controller: deletion of topic %s halted: its replica on broker "
                   "%d is offline", t->name, offline);
    t->halted = offline >= 0;
}

void kc_resume_deletions(kafka_ctrl *c)
{
    for (int ti = 0; ti < c->ntopics; ti++)
        if (c->topics[ti]->queued && !c->topics[ti]->deleted) resume_deletion(c, ti);
}

void kc_deletion_acked(kafka_ctrl *c, const cbroker *cb, int ti)
{
    if (ti >= c->ntopics) return;
    ctopic *t = c->topics[ti];
    if (!t->queued || t->deleted) return;
    for (int p = 0; p < t->nparts; p++)
        for (int k = 0; k < t->st[p].nrep; k++)
            if (t->st[p].replicas[k] == cb->id && (t->del_sent[p] & (1u << k)))
                t->del_done[p] |= (uint8_t)(1u << k);
    resume_deletion(c, ti);
}

/* A broker died or bounced: StopReplica it was sent died with its
 * channel; it is asked again when it is back (failReplicaDeletion). */
void kc_deletion_broker_gone(kafka_ctrl *c, int broker_id)
{
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (!t->queued || t->deleted) continue;
        for (int p = 0; p < t->nparts; p++)
            for (int k = 0; k < t->st[p].nrep; k++)
                if (t->st[p].replicas[k] == broker_id)
                    t->del_sent[p] &= (uint8_t)~(1u << k);
    }
}

/* A child of /admin/delete_topics. Read before every topic is loaded, it
 * waits for them (the controller reads its context first); a topic that
 * does not exist has its request removed
 * (KafkaController.fetchTopicDeletionsInProgress). */
void kc_delete_topic(kafka_ctrl *c, const char *name)
{
    if (!c->initialized || c->topics_pending > 0) {
        c->deletes_deferred = true;
        return;
    }
    int ti = kc_topic_index(c, name);
    if (ti < 0) {
        delete_request_gone(c, name);
        return;
    }
    ctopic *t = c->topics[ti];
    if (t->queued) return;
    t->queued = true;
    t->del_sent = xcalloc((size_t)t->nparts + 1, 1);
    t->del_done = xcalloc((size_t)t->nparts + 1, 1);
    trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
               "controller: topic %s marked for deletion", name);
    for (int p = 0; p < t->nparts; p++) kc_queue_um(c, ti, p);
    resume_deletion(c, ti);
    kc_flush(c);
}

void kc_on_admin(kafka_ctrl *c, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    int op = r_u8(r);
    char name[128];
    r_str(r, name, sizeof name);
    int parts = (int)r_u32(r), rf = (int)r_u32(r);
    int min_isr = (int)r_u32(r), unclean = (int)(int32_t)r_u32(r);
    int ids[KAFKA_RF_MAX], nids = (int)r_u32(r);    /* -1: null (a cancel) */
    for (int i = 0; i < nids && i < KAFKA_RF_MAX; i++) ids[i] = (int)r_u32(r);
    if (r->bad) return;
    if (op == 4) {              /* AlterPartitionReassignments, one partition */
        kc_reassign_request(c, from, corr, name, parts, ids,
                            nids > KAFKA_RF_MAX ? KAFKA_RF_MAX + 1 : nids);
    } else if (op == 1) {
        create_topic(c, from, corr, name, parts, rf, min_isr, unclean);
    } else if (op == 2) {
        /* a topic marked for deletion is gone from the metadata already:
         * KafkaApis answers UNKNOWN_TOPIC_OR_PARTITION */
        int ti = kc_topic_index(c, name);
        if (ti < 0 || c->topics[ti]->queued) {
            kc_admin_reply(c, from, corr, KERR_UNKNOWN_TOPIC_OR_PARTITION);
            return;
        }
        char path[ZPATH_MAX];
        snprintf(path, sizeof path, "/admin/delete_topics/%s", name);
        kop *o = kc_op(c, C_ADMIN_DELETE);
        o->from = from;
        o->corr = corr;
        zk_create(c->b->zk, path, NULL, 0, 0, kc_zdone, o);
    } else if (op == 3) {
        int ti = name[0] ? kc_topic_index(c, name) : -1;
        if (name[0] && ti < 0) { kc_admin_reply(c, from, corr, KERR_UNKNOWN_TOPIC_OR_PARTITION); return; }
        if (ti >= 0 && c->topics[ti]->queued) {     /* "The topic is being deleted" */
            kc_admin_reply(c, from, corr, KERR_INVALID_TOPIC);
            return;
        }
        /* KafkaController.processReplicaLeaderElection answers per
         * partition; one answer sums them up: a preferred replica down or
         * out of the ISR is PREFERRED_LEADER_NOT_AVAILABLE (the others
         * still move), nothing to move is ELECTION_NOT_NEEDED */
        int unavailable = 0;
        int n = kc_preferred(c, ti, -1, &unavailable);
        kc_flush(c);
        kc_admin_reply(c, from, corr, unavailable ? KERR_PREFERRED_LEADER_NOT_AVAILABLE
                                   : n ? KERR_NONE : KERR_ELECTION_NOT_NEEDED);
    }
}

void kc_admin_done(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    kerr e = res->err == ZOK ? KERR_NONE
           : res->err == ZNODEEXISTS ? (op->kind == C_ADMIN_TOPIC ? KERR_TOPIC_ALREADY_EXISTS
                                                                   : KERR_NONE)
           : KERR_REQUEST_TIMED_OUT;
    kc_admin_reply(c, op->from, op->corr, e);
}
