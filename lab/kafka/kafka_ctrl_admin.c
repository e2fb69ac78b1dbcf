/* kafka_ctrl_admin: topic creation (Kafka's placement, config then
 * topic znode as AdminZkClient writes them) and deletion (StopReplica
 * with delete, then the znodes go), and preferred election on request. */
#include "kafka_ctrl_int.h"
#include "kafka_assign.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void admin_reply(kafka_ctrl *c, int to, uint64_t corr, kerr e)
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
    if (!name[0] || strchr(name, '/')) { admin_reply(c, from, corr, KERR_INVALID_TOPIC); return; }
    if (kc_known_topic(c, name)) { admin_reply(c, from, corr, KERR_TOPIC_ALREADY_EXISTS); return; }
    int n = c->nlive;
    int *ids = xcalloc((size_t)n + 1, sizeof *ids);
    const char **racks = xcalloc((size_t)n + 1, sizeof *racks);
    for (int i = 0; i < n; i++) {
        ids[i] = c->live[i].id;
        racks[i] = c->live[i].rack[0] ? c->live[i].rack : NULL;
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
                : KERR_INVALID_REPLICATION_ASSIGNMENT;
        admin_reply(c, from, corr, ke);
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

void kc_delete_topic(kafka_ctrl *c, const char *name)
{
    int ti = kc_topic_index(c, name);
    char path[ZPATH_MAX];
    if (ti >= 0) {
        ctopic *t = c->topics[ti];
        t->deleted = true;
        /* replicas stop and delete their logs; everyone forgets it */
        int *pairs = xcalloc((size_t)t->nparts * 2 + 2, sizeof *pairs);
        for (int i = 0; i < c->nlive; i++) {
            int np = 0;
            for (int p = 0; p < t->nparts; p++)
                if (kafka_pstate_has_replica(&t->st[p], c->live[i].id)) {
                    pairs[np++] = ti;
                    pairs[np++] = p;
                }
            kc_stop_replicas(c, &c->live[i], true, pairs, np);
        }
        free(pairs);
        for (int p = 0; p < t->nparts; p++) {
            t->st[p].leader = KAFKA_LEADER_DELETE;
            kc_queue_um(c, ti, p);
        }
        zop *ops = xcalloc((size_t)t->nparts * 2 + 4, sizeof *ops);
        char (*paths)[ZPATH_MAX] = xcalloc((size_t)t->nparts * 2 + 4, ZPATH_MAX);
        int n = 0;
        for (int p = 0; p < t->nparts; p++) {
            kc_state_path(paths[n], ZPATH_MAX, t->name, p);
            ops[n] = (zop){ .type = ZOP_DELETE, .path = paths[n], .version = -1 };
            n++;
            snprintf(paths[n], ZPATH_MAX, "/brokers/topics/%s/partitions/%d", t->name, p);
            ops[n] = (zop){ .type = ZOP_DELETE, .path = paths[n], .version = -1 };
            n++;
        }
        snprintf(paths[n], ZPATH_MAX, "/brokers/topics/%s/partitions", t->name);
        ops[n] = (zop){ .type = ZOP_DELETE, .path = paths[n], .version = -1 }; n++;
        snprintf(paths[n], ZPATH_MAX, "/brokers/topics/%s", t->name);
        ops[n] = (zop){ .type = ZOP_DELETE, .path = paths[n], .version = -1 }; n++;
        snprintf(paths[n], ZPATH_MAX, "/config/topics/%s", t->name);
        ops[n] = (zop){ .type = ZOP_DELETE, .path = paths[n], .version = -1 }; n++;
        zk_multi(c->b->zk, ops, n, kc_zdone, kc_op(c, C_IGNORE));
        free(ops);
        free(paths);
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "controller: topic %s deleted", name);
        kc_flush(c);
    }
    snprintf(path, sizeof path, "/admin/delete_topics/%s", name);
    zk_delete(c->b->zk, path, -1, kc_zdone, kc_op(c, C_IGNORE));
}

void kc_on_admin(kafka_ctrl *c, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    int op = r_u8(r);
    char name[128];
    r_str(r, name, sizeof name);
    int parts = (int)r_u32(r), rf = (int)r_u32(r);
    int min_isr = (int)r_u32(r), unclean = (int)(int32_t)r_u32(r);
    if (op == 1) {
        create_topic(c, from, corr, name, parts, rf, min_isr, unclean);
    } else if (op == 2) {
        if (!kc_known_topic(c, name)) { admin_reply(c, from, corr, KERR_UNKNOWN_TOPIC_OR_PARTITION); return; }
        char path[ZPATH_MAX];
        snprintf(path, sizeof path, "/admin/delete_topics/%s", name);
        kop *o = kc_op(c, C_ADMIN_DELETE);
        o->from = from;
        o->corr = corr;
        zk_create(c->b->zk, path, NULL, 0, 0, kc_zdone, o);
    } else if (op == 3) {
        int ti = name[0] ? kc_topic_index(c, name) : -1;
        if (name[0] && ti < 0) { admin_reply(c, from, corr, KERR_UNKNOWN_TOPIC_OR_PARTITION); return; }
        /* KafkaController.processReplicaLeaderElection answers per
         * partition; one answer sums them up: a preferred replica down or
         * out of the ISR is PREFERRED_LEADER_NOT_AVAILABLE (the others
         * still move), nothing to move is ELECTION_NOT_NEEDED */
        int unavailable = 0;
        int n = kc_preferred(c, ti, -1, &unavailable);
        kc_flush(c);
        admin_reply(c, from, corr, unavailable ? KERR_PREFERRED_LEADER_NOT_AVAILABLE
                                   : n ? KERR_NONE : KERR_ELECTION_NOT_NEEDED);
    }
}

void kc_admin_done(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    kerr e = res->err == ZOK ? KERR_NONE
           : res->err == ZNODEEXISTS ? (op->kind == C_ADMIN_TOPIC ? KERR_TOPIC_ALREADY_EXISTS
                                                                   : KERR_NONE)
           : KERR_REQUEST_TIMED_OUT;
    admin_reply(c, op->from, op->corr, e);
}
