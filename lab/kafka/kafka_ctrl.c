/* kafka_ctrl: the controller role inside a broker (KafkaController in
 * ZooKeeper mode): its lifecycle, the channel to brokers (one request in
 * flight per broker, resent until acknowledged), the batching of
 * LeaderAndIsr and UpdateMetadata, and the dispatch of its ZooKeeper
 * completions, watches and requests to the other kafka_ctrl_*.c files. */
#include "kafka_ctrl_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int32_t kc_epoch(const kafka_ctrl *c) { return c->epoch; }

kop *kc_op(kafka_ctrl *c, int kind)
{
    kop *op = kb_op(c->b, kind);
    op->serial = c->serial;
    op->from = -1;
    return op;
}

void kc_zdone(void *ctx, const zk_result *res)
{
    kc_zk_done(ctx, res);
}

enum { READ_RETRY_MS = 500 };

cbroker *kc_live_find(kafka_ctrl *c, int id)
{
    int lo = 0, hi = c->nlive - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (c->live[mid].id == id) return &c->live[mid];
        if (c->live[mid].id < id) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

bool kc_alive(void *ctx, int id)
{
    cbroker *cb = kc_live_find(ctx, id);
    return cb && !cb->shutting;
}

bool kc_sees(kafka_ctrl *c, int broker_id)
{
    return c->have_brokers && kc_live_find(c, broker_id) != NULL;
}

bool kc_registered(void *ctx, int id)
{
    return kc_live_find(ctx, id) != NULL;
}

int kc_topic_index(kafka_ctrl *c, const char *name)
{
    for (int i = c->ntopics - 1; i >= 0; i--)
        if (!c->topics[i]->deleted && strcmp(c->topics[i]->name, name) == 0)
            return i;
    return -1;
}

bool kc_known_topic(kafka_ctrl *c, const char *name)
{
    return kc_topic_index(c, name) >= 0;
}

static void channel_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    kafka_ctrl *c = b->ctrl;
    if (!c || c->serial != (arg >> 32)) return;
    cbroker *cb = kc_live_find(c, (int)(arg & 0xffffffffu));
    if (cb && cb->inflight) {
        cb->inflight = false;       /* resend the head */
        kc_channel_send(c, cb);
    }
}

void kc_channel_send(kafka_ctrl *c, cbroker *cb)
{
    if (cb->inflight || cb->nq == 0) return;
    cmsg *m = &cb->q[0];
    sim_send_shared(c->b->s, c->b->node, cb->node, m->type, m->w.data, m->w.len,
                    m->body);
    cb->inflight = true;
    sim_timer(c->b->s, c->b->node, (uint64_t)c->b->cfg.controller_timeout_ms * 1000,
              channel_timer, (c->serial << 32) | (uint32_t)cb->id);
}

wbuf *kc_channel_msg(kafka_ctrl *c, cbroker *cb, uint32_t type)
{
    VEC_GROW(cb->q, cb->nq, cb->capq);
    cmsg *m = &cb->q[cb->nq++];
    m->type = type;
    m->corr = ++c->b->corr;
    m->del_ti = -1;
    m->body = NULL;
    wbuf_init(&m->w);
    w_u32(&m->w, (uint32_t)c->b->id);
    w_u32(&m->w, (uint32_t)c->epoch);
    w_u64(&m->w, m->corr);
    return &m->w;
}

void kc_channel_clear(cbroker *cb)
{
    for (int i = 0; i < cb->nq; i++) {
        wbuf_free(&cb->q[i].w);
        sim_blob_unref(cb->q[i].body);
    }
    free(cb->q);
    free(cb->lai);
    cb->q = NULL;
    cb->lai = NULL;
    cb->nq = cb->capq = cb->nlai = cb->caplai = 0;
    cb->inflight = false;
}

/* A LeaderAndIsrResponse, UpdateMetadataResponse or StopReplicaResponse:
 * the answer to the request in flight on that broker's channel (its kind
 * and correlation id) moves the channel on. */
static void on_answer(kafka_ctrl *c, int from, uint32_t type, rbuf *r)
{
    uint64_t corr = r_u64(r);
    for (int i = 0; i < c->nlive; i++) {
        cbroker *cb = &c->live[i];
        if (cb->node != from || !cb->nq || cb->q[0].corr != corr ||
            kafka_ctrl_resp_of(cb->q[0].type) != type) continue;
        int del_ti = cb->q[0].type == KMSG_STOP_REPLICA ? cb->q[0].del_ti : -1;
        wbuf_free(&cb->q[0].w);
        sim_blob_unref(cb->q[0].body);
        memmove(cb->q, cb->q + 1, (size_t)(cb->nq - 1) * sizeof *cb->q);
        cb->nq--;
        cb->inflight = false;
        kc_channel_send(c, cb);
        if (del_ti >= 0) kc_deletion_acked(c, cb, del_ti);
        return;
    }
}

void kc_queue_lai(kafka_ctrl *c, int ti, int p)
{
    /* a topic being deleted gets StopReplica only: a late LeaderAndIsr
     * would make a deleted replica again (its deletion waits for a
     * reassignment, whose replicas still need theirs) */
    if (c->topics[ti]->queued && !kc_reassigning(c->topics[ti])) return;
    const kafka_pstate *st = &c->topics[ti]->st[p];
    for (int i = 0; i < st->nrep; i++) {
        cbroker *cb = kc_live_find(c, st->replicas[i]);
        if (!cb) continue;
        VEC_GROW(cb->lai, cb->nlai + 1, cb->caplai);
        cb->lai[cb->nlai++] = ti;
        cb->lai[cb->nlai++] = p;
    }
}

void kc_queue_um(kafka_ctrl *c, int ti, int p)
{
    VEC_GROW(c->um, c->num + 1, c->capum);
    c->um[c->num++] = ti;
    c->um[c->num++] = p;
}

void kc_changed(kafka_ctrl *c, int ti, int p)
{
    kc_queue_lai(c, ti, p);
    kc_queue_um(c, ti, p);
}

static void live_list(kafka_ctrl *c, klive **out)
{
    *out = xcalloc((size_t)c->nlive + 1, sizeof **out);
    for (int i = 0; i < c->nlive; i++) {
        (*out)[i].id = c->live[i].id;
        (*out)[i].node = c->live[i].node;
        memcpy((*out)[i].rack, c->live[i].rack, sizeof (*out)[i].rack);
    }
}

/* A topic marked for deletion goes out with leader -2
 * (LeaderAndIsr.LeaderDuringDelete): brokers drop it from their metadata
 * cache, so clients no longer see it while its replicas are deleted. */
static void write_um_entry(wbuf *w, const ctopic *t, int p)
{
    w_str(w, t->name);
    w_u64(w, t->id);
    w_u32(w, (uint32_t)t->nparts);
    w_u32(w, (uint32_t)p);
    kafka_pstate st = t->st[p];
    if (t->queued) st.leader = KAFKA_LEADER_DELETE;
    kafka_pstate_write(w, &st);
}

/* Sends what the batch holds: LeaderAndIsr per broker, then
 * UpdateMetadata to every live broker (the whole cache to new ones). */
void kc_flush(kafka_ctrl *c)
{
    if (c->writes > 0 || !c->initialized) return;
    klive *l;
    live_list(c, &l);
    /* the changes go alike to every broker: encoded once and held once,
     * each broker's request a head (its correlation id) and a reference
     * (10,000 partitions made at once to 100 brokers were a million
     * encodings; 100,000 to 300 brokers, 300 queued copies and 300 more
     * in flight) */
    sim_blob *changes = NULL;
    if (c->num || c->um_live) {
        wbuf w;
        wbuf_init(&w);
        kafka_write_live(&w, l, c->nlive);
        w_u32(&w, (uint32_t)(c->num / 2));
        for (int k = 0; k < c->num; k += 2)
            write_um_entry(&w, c->topics[c->um[k]], c->um[k + 1]);
        changes = sim_blob_new(w.data, w.len);
        wbuf_free(&w);
    }
    for (int i = 0; i < c->nlive; i++) {
        cbroker *cb = &c->live[i];
        if (cb->full_um) {
            wbuf *w = kc_channel_msg(c, cb, KMSG_UPDATE_METADATA);
            kafka_write_live(w, l, c->nlive);
            size_t at = w->len;
            uint32_t n = 0;
            w_u32(w, 0);
            for (int ti = 0; ti < c->ntopics; ti++) {
                ctopic *t = c->topics[ti];
                if (t->deleted || !t->loaded) continue;
                for (int p = 0; p < t->nparts; p++, n++) write_um_entry(w, t, p);
            }
            memcpy(w->data + at, &n, 4);        /* little-endian host */
            cb->full_um = false;
        } else if (c->num || c->um_live) {
            kc_channel_msg(c, cb, KMSG_UPDATE_METADATA);
            cb->q[cb->nq - 1].body = sim_blob_ref(changes);
        }
        if (cb->nlai) {
            wbuf *w = kc_channel_msg(c, cb, KMSG_LEADER_AND_ISR);
            kafka_write_live(w, l, c->nlive);
            w_u32(w, (uint32_t)(cb->nlai / 2));
            for (int k = 0; k < cb->nlai; k += 2) {
                ctopic *t = c->topics[cb->lai[k]];
                int p = cb->lai[k + 1];
                w_str(w, t->name);
                w_u64(w, t->id);
                w_u32(w, (uint32_t)t->nparts);
                w_u8(w, (uint8_t)t->min_isr);
                w_u8(w, t->unclean);
                w_u32(w, (uint32_t)p);
                kafka_pstate_write(w, &t->st[p]);
            }
            cb->nlai = 0;
        }
        kc_channel_send(c, cb);
    }
    sim_blob_unref(changes);
    free(l);
    c->num = 0;
    c->um_live = false;
    kc_reply_shutdowns(c);
}

void kc_zk_done(kop *op, const zk_result *res)
{
    kafka_broker *b = op->b;
    kafka_ctrl *c = b->ctrl;
    if (!c || c->serial != op->serial || op->gen != b->zk_gen) {
        kb_op_done(op);     /* a previous controller's or session's call */
        return;
    }
    switch (op->kind) {
    case C_BROKERS: kc_brokers_got(c, res); break;
    case C_BROKER_GET: kc_broker_got(c, op, res); break;
    case C_TOPICS:
        if (res->err != ZOK) { kc_retry_read(c, res->err, C_TOPICS); break; }
        for (int i = 0; i < res->nchildren; i++)
            if (!kc_known_topic(c, res->children[i])) kc_load_topic(c, res->children[i]);
        kc_try_initialize(c);
        break;
    case C_TOPIC_GET: kc_topic_got(c, op, res); break;
    case C_TCONF_GET: kc_tconf_got(c, op->c, res); break;
    case C_STATE_GET: kc_state_got(c, op->c, op->a, res); break;
    case C_STATE_CREATE: kc_state_created(c, op->c, op->a, res); break;
    case C_STATE_SET: kc_state_set_done(c, op, res); break;
    case C_STATE_REREAD: kc_state_reread_done(c, op, res); break;
    case C_DELETED: kc_deleted_done(c, op, res); break;
    case C_DELETES:
        if (res->err != ZOK) { kc_retry_read(c, res->err, C_DELETES); break; }
        for (int i = 0; i < res->nchildren; i++) kc_delete_topic(c, res->children[i]);
        break;
    case C_ADMIN_TOPIC: case C_ADMIN_DELETE: kc_admin_done(c, op, res); break;
    case C_ASSIGN_SET: kc_reassign_assign_done(c, op, res); break;
    case C_ASSIGN_VER: kc_reassign_version_got(c, op, res); break;
    default: break;
    }
    kb_op_done(op);
}

void kc_read_deletes(kafka_ctrl *c)
{
    zk_children(c->b->zk, "/admin/delete_topics", true, kc_zdone, kc_op(c, C_DELETES));
}

void kc_watch(kafka_ctrl *c, zevent ev, const char *path)
{
    if (strcmp(path, "/brokers/ids") == 0) kc_read_brokers(c);
    else if (strcmp(path, "/brokers/topics") == 0) kc_read_topics(c);
    else if (strcmp(path, "/admin/delete_topics") == 0) kc_read_deletes(c);
}

static void read_retry_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    kafka_ctrl *c = b->ctrl;
    if (!c || (arg >> 8) != c->serial) return;
    switch ((int)(arg & 0xff) + KOP_CTRL_BASE) {
    case C_BROKERS: kc_read_brokers(c); break;
    case C_TOPICS: kc_read_topics(c); break;
    case C_DELETES: kc_read_deletes(c); break;
    default: break;
    }
}

/* A watched read lost with the connection is made again shortly
 * (ZooKeeperClient retries until the session ends): its watch would
 * otherwise never be set again and the controller would go deaf. */
void kc_retry_read(kafka_ctrl *c, zerr err, int kind)
{
    if (err == ZSESSIONEXPIRED || err == ZNONODE) return;
    sim_timer(c->b->s, c->b->node, READ_RETRY_MS * 1000, read_retry_timer,
              c->serial << 8 | (uint64_t)(kind - KOP_CTRL_BASE));
}

void kc_recv(kafka_ctrl *c, int from, uint32_t type, rbuf *r)
{
    switch (type) {
    case KMSG_LEADER_AND_ISR_RESP: case KMSG_UPDATE_METADATA_RESP:
    case KMSG_STOP_REPLICA_RESP: on_answer(c, from, type, r); break;
    case KMSG_ALTER_ISR: kc_on_alter_isr(c, from, r); break;
    case KMSG_ADMIN: kc_on_admin(c, from, r); break;
    case KMSG_SHUTDOWN: {
        uint64_t corr = r_u64(r);
        int id = (int)r_u32(r);
        kc_shutdown_local(c, from, id);
        c->shut[c->nshut - 1].corr = corr;
        kc_flush(c);
        if (c->writes == 0 && !c->initialized) kc_reply_shutdowns(c);
        break;
    }
    default: break;
    }
}

kafka_ctrl *kc_new(kafka_broker *b, int32_t epoch, int32_t epoch_zkv)
{
    kafka_ctrl *c = xcalloc(1, sizeof *c);
    c->b = b;
    c->serial = ++b->ctrl_serial;
    c->epoch = epoch;
    c->epoch_zkv = epoch_zkv;
    b->ctrl = c;
    kc_read_brokers(c);
    kc_read_topics(c);
    kc_read_deletes(c);
    return c;
}

void kc_free(kafka_ctrl *c)
{
    if (!c) return;
    for (int i = 0; i < c->ntopics; i++) {
        free(c->topics[i]->name);
        free(c->topics[i]->st);
        free(c->topics[i]->del_sent);
        free(c->topics[i]->del_done);
        kc_reassign_free(c->topics[i]);
        free(c->topics[i]);
    }
    free(c->topics);
    for (int i = 0; i < c->nlive; i++) kc_channel_clear(&c->live[i]);
    free(c->live);
    free(c->seen);
    free(c->um);
    free(c->shut);
    free(c);
}
