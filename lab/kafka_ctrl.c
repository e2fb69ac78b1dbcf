/* kafka_ctrl: the controller role inside a broker (KafkaController in
 * ZooKeeper mode). It watches /brokers/ids, /brokers/topics and
 * /admin/delete_topics, keeps every partition's state znode with
 * conditional writes guarded by the /controller_epoch version, elects
 * leaders (offline, unclean, controlled shutdown, preferred), and tells
 * brokers with LeaderAndIsr and UpdateMetadata batched per broker, one
 * request in flight per broker, resent until acknowledged. */
#include "kafka_int.h"
#include "kafka_assign.h"
#include "kafka_elect.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_BROKERS = KOP_CTRL_BASE, C_BROKER_GET, C_TOPICS, C_TOPIC_GET,
       C_TCONF_GET, C_STATE_GET, C_STATE_CREATE, C_STATE_SET, C_DELETES,
       C_ADMIN_CONF, C_ADMIN_TOPIC, C_ADMIN_DELETE, C_IGNORE };

typedef struct ctopic {
    char *name;
    uint64_t id;
    int nparts;
    kafka_pstate *st;           /* per partition; replicas from assignment */
    int min_isr;
    bool unclean;
    int pending;                /* state reads outstanding */
    bool loaded, deleted;
} ctopic;

typedef struct cmsg {
    uint32_t type;
    uint64_t corr;
    wbuf w;
} cmsg;

typedef struct cbroker {
    int id, node;
    char rack[24];
    int64_t epoch;              /* czxid of its registration */
    bool shutting;              /* controlled shutdown asked */
    cmsg *q;                    /* requests not yet acknowledged */
    int nq, capq;
    bool inflight;
    int *lai;                   /* pending LeaderAndIsr: (topic, p) pairs */
    int nlai, caplai;
    bool full_um;               /* owes it the whole metadata */
} cbroker;

typedef struct cwaiter {
    int from, broker_id;
    uint64_t corr;
} cwaiter;

struct kafka_ctrl {
    kafka_broker *b;
    uint64_t serial;
    int32_t epoch, epoch_zkv;
    ctopic **topics;
    int ntopics, captopics;
    cbroker *live;              /* sorted by id */
    int nlive, caplive;
    klive *seen;                /* broker list being read */
    int nseen, capseen, seen_pending;
    bool have_brokers, initialized;
    int topics_pending;         /* topic loads outstanding */
    int writes;                 /* state writes outstanding */
    int *um;                    /* pending UpdateMetadata (topic, p) pairs */
    int num, capum;
    bool um_live;               /* the live broker list changed */
    cwaiter *shut;              /* controlled shutdowns to answer */
    int nshut, capshut;
};

static void flush(kafka_ctrl *c);
static void elect_write(kafka_ctrl *c, int ti, int p, const kafka_choice *ch,
                        bool bump, int from, uint64_t corr);

int32_t kc_epoch(const kafka_ctrl *c) { return c->epoch; }

static kop *cop(kafka_ctrl *c, int kind)
{
    kop *op = kb_op(c->b, kind);
    op->serial = c->serial;
    op->from = -1;
    return op;
}

static void zdone(void *ctx, const zk_result *res)
{
    kc_zk_done(ctx, res);
}

static cbroker *live_find(kafka_ctrl *c, int id)
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

static bool alive(void *ctx, int id)
{
    cbroker *cb = live_find(ctx, id);
    return cb && !cb->shutting;
}

static bool registered(void *ctx, int id)
{
    return live_find(ctx, id) != NULL;
}

static int topic_index(kafka_ctrl *c, const char *name)
{
    for (int i = c->ntopics - 1; i >= 0; i--)
        if (!c->topics[i]->deleted && strcmp(c->topics[i]->name, name) == 0)
            return i;
    return -1;
}

/* --- the channel to brokers --- */

static void channel_send(kafka_ctrl *c, cbroker *cb);

static void channel_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    kafka_ctrl *c = b->ctrl;
    if (!c || c->serial != (arg >> 32)) return;
    cbroker *cb = live_find(c, (int)(arg & 0xffffffffu));
    if (cb && cb->inflight) {
        cb->inflight = false;       /* resend the head */
        channel_send(c, cb);
    }
}

static void channel_send(kafka_ctrl *c, cbroker *cb)
{
    if (cb->inflight || cb->nq == 0) return;
    cmsg *m = &cb->q[0];
    kb_send(c->b, cb->node, m->type, &m->w);
    cb->inflight = true;
    sim_timer(c->b->s, c->b->node, (uint64_t)c->b->cfg.controller_timeout_ms * 1000,
              channel_timer, (c->serial << 32) | (uint32_t)cb->id);
}

static wbuf *channel_msg(kafka_ctrl *c, cbroker *cb, uint32_t type)
{
    VEC_GROW(cb->q, cb->nq, cb->capq);
    cmsg *m = &cb->q[cb->nq++];
    m->type = type;
    m->corr = ++c->b->corr;
    wbuf_init(&m->w);
    w_u32(&m->w, (uint32_t)c->b->id);
    w_u32(&m->w, (uint32_t)c->epoch);
    w_u64(&m->w, m->corr);
    return &m->w;
}

static void channel_clear(cbroker *cb)
{
    for (int i = 0; i < cb->nq; i++) wbuf_free(&cb->q[i].w);
    free(cb->q);
    free(cb->lai);
    cb->q = NULL;
    cb->lai = NULL;
    cb->nq = cb->capq = cb->nlai = cb->caplai = 0;
    cb->inflight = false;
}

static void on_ack(kafka_ctrl *c, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    for (int i = 0; i < c->nlive; i++) {
        cbroker *cb = &c->live[i];
        if (cb->node != from || !cb->nq || cb->q[0].corr != corr) continue;
        wbuf_free(&cb->q[0].w);
        memmove(cb->q, cb->q + 1, (size_t)(cb->nq - 1) * sizeof *cb->q);
        cb->nq--;
        cb->inflight = false;
        channel_send(c, cb);
        return;
    }
}

/* --- batching --- */

static void queue_lai(kafka_ctrl *c, int ti, int p)
{
    const kafka_pstate *st = &c->topics[ti]->st[p];
    for (int i = 0; i < st->nrep; i++) {
        cbroker *cb = live_find(c, st->replicas[i]);
        if (!cb) continue;
        VEC_GROW(cb->lai, cb->nlai + 1, cb->caplai);
        cb->lai[cb->nlai++] = ti;
        cb->lai[cb->nlai++] = p;
    }
}

static void queue_um(kafka_ctrl *c, int ti, int p)
{
    VEC_GROW(c->um, c->num + 1, c->capum);
    c->um[c->num++] = ti;
    c->um[c->num++] = p;
}

static void changed(kafka_ctrl *c, int ti, int p)
{
    queue_lai(c, ti, p);
    queue_um(c, ti, p);
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

static void write_um_entry(wbuf *w, const ctopic *t, int p)
{
    w_str(w, t->name);
    w_u64(w, t->id);
    w_u32(w, (uint32_t)t->nparts);
    w_u32(w, (uint32_t)p);
    kafka_pstate_write(w, &t->st[p]);
}

static void reply_shutdowns(kafka_ctrl *c);

/* Sends what the batch holds: LeaderAndIsr per broker, then
 * UpdateMetadata to every live broker (the whole cache to new ones). */
static void flush(kafka_ctrl *c)
{
    if (c->writes > 0 || !c->initialized) return;
    klive *l;
    live_list(c, &l);
    for (int i = 0; i < c->nlive; i++) {
        cbroker *cb = &c->live[i];
        if (cb->full_um || c->num || c->um_live) {
            wbuf *w = channel_msg(c, cb, KMSG_UPDATE_METADATA);
            kafka_write_live(w, l, c->nlive);
            size_t at = w->len;
            uint32_t n = 0;
            w_u32(w, 0);
            if (cb->full_um) {
                for (int ti = 0; ti < c->ntopics; ti++) {
                    ctopic *t = c->topics[ti];
                    if (t->deleted || !t->loaded) continue;
                    for (int p = 0; p < t->nparts; p++, n++) write_um_entry(w, t, p);
                }
            } else {
                for (int k = 0; k < c->num; k += 2, n++)
                    write_um_entry(w, c->topics[c->um[k]], c->um[k + 1]);
            }
            memcpy(w->data + at, &n, 4);        /* little-endian host */
            cb->full_um = false;
        }
        if (cb->nlai) {
            wbuf *w = channel_msg(c, cb, KMSG_LEADER_AND_ISR);
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
        channel_send(c, cb);
    }
    free(l);
    c->num = 0;
    c->um_live = false;
    reply_shutdowns(c);
}

/* --- partition state writes --- */

static void state_path(char *out, size_t cap, const char *topic, int p)
{
    snprintf(out, cap, "/brokers/topics/%s/partitions/%d/state", topic, p);
}

static void write_state(kafka_ctrl *c, int ti, int p, const kafka_pstate *st,
                        int from, uint64_t corr)
{
    char path[ZPATH_MAX], json[256];
    ctopic *t = c->topics[ti];
    state_path(path, sizeof path, t->name, p);
    kafka_state_json(st, json, sizeof json);
    zop ops[2] = {
        { .type = ZOP_CHECK, .path = "/controller_epoch", .version = c->epoch_zkv },
        { .type = ZOP_SET, .path = path, .data = (const uint8_t *)json,
          .len = strlen(json), .version = t->st[p].zk_version },
    };
    kop *op = cop(c, C_STATE_SET);
    op->str = xstrdup(t->name);
    op->a = p;
    op->c = ti;
    op->st = *st;
    op->from = from;
    op->corr = corr;
    c->writes++;
    zk_multi(c->b->zk, ops, 2, zdone, op);
}

static void elect_write(kafka_ctrl *c, int ti, int p, const kafka_choice *ch,
                        bool bump, int from, uint64_t corr)
{
    kafka_pstate st = c->topics[ti]->st[p];
    st.leader = ch->leader;
    st.nisr = (uint8_t)ch->nisr;
    for (int i = 0; i < ch->nisr; i++) st.isr[i] = ch->isr[i];
    if (bump) st.leader_epoch++;
    st.controller_epoch = c->epoch;
    if (ch->unclean)
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "unclean leader election: %s-%d goes to %d, which was not "
                   "in the ISR", c->topics[ti]->name, p, ch->leader);
    write_state(c, ti, p, &st, from, corr);
}

static void emit_isr(kafka_ctrl *c, const ctopic *t, int p, const kafka_pstate *st)
{
    char isr[64];
    int n = 0;
    isr[0] = 0;
    for (int i = 0; i < st->nisr && n < (int)sizeof isr - 8; i++)
        n += snprintf(isr + n, sizeof isr - (size_t)n, "%s%d", i ? "," : "", st->isr[i]);
    trace_emit(sim_trace(c->b->s), TR_ISR, c->b->node, -1, (uint64_t)st->leader_epoch,
               (uint64_t)st->nisr, "%s-%d leader %d epoch %d isr [%s]", t->name, p,
               st->leader, st->leader_epoch, isr);
}

static void alter_reply(kafka_ctrl *c, int to, uint64_t corr, kerr err,
                        const ctopic *t, int p)
{
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, (uint8_t)err);
    w_u32(&w, 0);
    w_str(&w, t->name);
    w_u32(&w, (uint32_t)p);
    kafka_pstate_write(&w, &t->st[p]);
    kb_send(c->b, to, KMSG_ALTER_ISR_RESP, &w);
    wbuf_free(&w);
}

/* --- elections over many partitions --- */

/* After brokers died or joined: elects offline partitions and takes dead
 * brokers out of ISRs. One pass over all partitions per event. */
static void fix_partitions(kafka_ctrl *c, const int *dead, int ndead)
{
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded) continue;
        for (int p = 0; p < t->nparts; p++) {
            kafka_pstate *st = &t->st[p];
            kafka_choice ch;
            if (st->leader < 0 || !registered(c, st->leader)) {
                kafka_elect_offline(st->replicas, st->nrep, st->isr, st->nisr,
                                    t->unclean, registered, c, &ch);
                if (ch.leader >= 0 || st->leader >= 0) elect_write(c, ti, p, &ch, true, -1, 0);
                continue;
            }
            bool hit = false;
            for (int k = 0; k < ndead; k++) hit |= kafka_pstate_in_isr(st, dead[k]);
            if (!hit) continue;
            ch.leader = st->leader;
            ch.unclean = false;
            ch.nisr = 0;
            for (int i = 0; i < st->nisr; i++)
                if (registered(c, st->isr[i])) ch.isr[ch.nisr++] = st->isr[i];
            elect_write(c, ti, p, &ch, true, -1, 0);
        }
    }
}

static int leaders_of(kafka_ctrl *c, int id)
{
    int n = 0;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted) continue;
        for (int p = 0; p < t->nparts; p++) n += t->st[p].leader == id;
    }
    return n;
}

static void reply_shutdowns(kafka_ctrl *c)
{
    for (int i = 0; i < c->nshut; i++) {
        wbuf w;
        wbuf_init(&w);
        w_u64(&w, c->shut[i].corr);
        w_u8(&w, KERR_NONE);
        w_u32(&w, (uint32_t)leaders_of(c, c->shut[i].broker_id));
        kb_send(c->b, c->shut[i].from, KMSG_SHUTDOWN_RESP, &w);
        wbuf_free(&w);
    }
    c->nshut = 0;
}

/* StopReplica to one broker for (topic, partition) pairs; del also
 * deletes the logs (topic deletion). */
static void stop_replicas(kafka_ctrl *c, cbroker *cb, bool del, const int *pairs,
                          int npairs)
{
    if (npairs == 0) return;
    wbuf *w = channel_msg(c, cb, KMSG_STOP_REPLICA);
    w_u8(w, del);
    w_u32(w, (uint32_t)(npairs / 2));
    for (int k = 0; k < npairs; k += 2) {
        w_str(w, c->topics[pairs[k]]->name);
        w_u32(w, (uint32_t)pairs[k + 1]);
    }
    channel_send(c, cb);
}

/* Controlled shutdown (KafkaController.doControlledShutdown): partitions
 * the broker leads get a new leader from the ISR without it; those it
 * follows drop it from the ISR and it stops fetching them (StopReplica,
 * logs kept). The answer goes out once the state writes are done. */
void kc_shutdown_local(kafka_ctrl *c, int from, int broker_id)
{
    cbroker *cb = live_find(c, broker_id);
    if (cb) cb->shutting = true;
    int *followed = NULL, nf = 0, capf = 0;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded) continue;
        for (int p = 0; p < t->nparts; p++) {
            kafka_pstate *st = &t->st[p];
            if (!kafka_pstate_in_isr(st, broker_id) && st->leader != broker_id) continue;
            kafka_choice ch;
            if (st->leader == broker_id) {
                kafka_elect_shutdown(st->replicas, st->nrep, st->isr, st->nisr,
                                     broker_id, alive, c, &ch);
                if (ch.leader < 0) continue;    /* nobody to take it */
            } else {
                VEC_GROW(followed, nf + 1, capf);
                followed[nf++] = ti;
                followed[nf++] = p;
                if (st->nisr <= 1) continue;
                ch.leader = st->leader;
                ch.unclean = false;
                ch.nisr = 0;
                for (int i = 0; i < st->nisr; i++)
                    if (st->isr[i] != broker_id) ch.isr[ch.nisr++] = st->isr[i];
            }
            elect_write(c, ti, p, &ch, true, -1, 0);
        }
    }
    if (cb) stop_replicas(c, cb, false, followed, nf);
    free(followed);
    VEC_GROW(c->shut, c->nshut, c->capshut);
    c->shut[c->nshut++] = (cwaiter){ from, broker_id, 0 };
}

static int preferred(kafka_ctrl *c, int only_ti)
{
    int n = 0;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded || (only_ti >= 0 && ti != only_ti)) continue;
        for (int p = 0; p < t->nparts; p++) {
            kafka_pstate *st = &t->st[p];
            if (st->nrep == 0 || st->leader == st->replicas[0]) continue;
            kafka_choice ch;
            kafka_elect_preferred(st->replicas, st->nrep, st->isr, st->nisr,
                                  alive, c, &ch);
            if (ch.leader < 0) continue;
            elect_write(c, ti, p, &ch, true, -1, 0);
            n++;
        }
    }
    return n;
}

/* The automatic leader rebalance: a broker whose preferred partitions it
 * does not lead exceed the imbalance ratio gets them back. */
static void rebalance_timer(void *self, uint64_t serial)
{
    kafka_broker *b = self;
    kafka_ctrl *c = b->ctrl;
    if (!c || c->serial != serial) return;
    bool any = false;
    for (int i = 0; i < c->nlive && c->initialized; i++) {
        int pref = 0, off = 0;
        for (int ti = 0; ti < c->ntopics; ti++) {
            ctopic *t = c->topics[ti];
            if (t->deleted) continue;
            for (int p = 0; p < t->nparts; p++) {
                if (t->st[p].nrep == 0 || t->st[p].replicas[0] != c->live[i].id) continue;
                pref++;
                off += t->st[p].leader != c->live[i].id;
            }
        }
        if (pref && off * 100 > pref * b->cfg.imbalance_pct) any = true;
    }
    if (any) {
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                   "auto leader rebalance: moving leadership back to preferred replicas");
        preferred(c, -1);
        flush(c);
    }
    sim_timer(b->s, b->node, (uint64_t)b->cfg.rebalance_check_ms * 1000,
              rebalance_timer, serial);
}

/* --- brokers --- */

static void read_brokers(kafka_ctrl *c)
{
    zk_children(c->b->zk, "/brokers/ids", true, zdone, cop(c, C_BROKERS));
}

static int cmp_live(const void *x, const void *y)
{
    const cbroker *a = x, *b = y;
    return (a->id > b->id) - (a->id < b->id);
}

/* The broker list was read: works out who died and who joined. */
static void brokers_read(kafka_ctrl *c)
{
    int dead[SIM_NODE_MAX], ndead = 0, fresh[SIM_NODE_MAX], nfresh = 0;
    for (int i = 0; i < c->nlive; i++) {
        bool found = false;
        for (int k = 0; k < c->nseen; k++)
            found |= c->seen[k].id == c->live[i].id &&
                     (int64_t)(uint64_t)(unsigned)c->seen[k].node == c->live[i].node;
        (void)found;
    }
    /* seen[k].node carries the broker's node; the epoch is in rack's tail */
    cbroker *old = c->live;
    int nold = c->nlive;
    c->live = xcalloc((size_t)c->nseen + 1, sizeof *c->live);
    c->nlive = c->caplive = c->nseen;
    for (int k = 0; k < c->nseen; k++) {
        cbroker *prev = NULL;
        int64_t epoch;
        memcpy(&epoch, c->seen[k].rack + 16, sizeof epoch);
        for (int i = 0; i < nold; i++)
            if (old[i].id == c->seen[k].id && old[i].epoch == epoch) prev = &old[i];
        cbroker *cb = &c->live[k];
        if (prev) {
            *cb = *prev;
            prev->id = -1;          /* moved */
        } else {
            memset(cb, 0, sizeof *cb);
            cb->id = c->seen[k].id;
            cb->full_um = true;
            fresh[nfresh++] = cb->id;
        }
        cb->node = c->seen[k].node;
        cb->epoch = epoch;
        memcpy(cb->rack, c->seen[k].rack, 16);
        cb->rack[15] = 0;
    }
    for (int i = 0; i < nold; i++) {
        if (old[i].id < 0) continue;
        dead[ndead++] = old[i].id;
        channel_clear(&old[i]);
    }
    free(old);
    qsort(c->live, (size_t)c->nlive, sizeof *c->live, cmp_live);
    for (int k = 0; k < ndead; k++)
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "controller: broker %d is gone (its session ended)", dead[k]);
    c->um_live |= ndead || nfresh;
    if (!c->initialized) return;
    /* new brokers learn every partition they hold */
    for (int k = 0; k < nfresh; k++)
        for (int ti = 0; ti < c->ntopics; ti++) {
            ctopic *t = c->topics[ti];
            if (t->deleted || !t->loaded) continue;
            for (int p = 0; p < t->nparts; p++) {
                if (!kafka_pstate_has_replica(&t->st[p], fresh[k])) continue;
                cbroker *cb = live_find(c, fresh[k]);
                VEC_GROW(cb->lai, cb->nlai + 1, cb->caplai);
                cb->lai[cb->nlai++] = ti;
                cb->lai[cb->nlai++] = p;
            }
        }
    fix_partitions(c, dead, ndead);
    flush(c);
}

static void try_initialize(kafka_ctrl *c)
{
    if (c->initialized || !c->have_brokers || c->topics_pending > 0) return;
    c->initialized = true;
    for (int i = 0; i < c->nlive; i++) c->live[i].full_um = true;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded) continue;
        for (int p = 0; p < t->nparts; p++) queue_lai(c, ti, p);
    }
    fix_partitions(c, NULL, 0);
    flush(c);
    if (c->b->cfg.auto_rebalance)
        sim_timer(c->b->s, c->b->node, (uint64_t)c->b->cfg.rebalance_check_ms * 1000,
                  rebalance_timer, c->serial);
}

/* --- topics --- */

typedef struct assign_ctx {
    ctopic *t;
} assign_ctx;

static void assign_visit(void *ctx, int p, const int *ids, int n)
{
    ctopic *t = ((assign_ctx *)ctx)->t;
    if (p < 0 || p >= t->nparts) return;
    t->st[p].nrep = (uint8_t)n;
    for (int i = 0; i < n; i++) t->st[p].replicas[i] = ids[i];
}

static void read_topics(kafka_ctrl *c)
{
    zk_children(c->b->zk, "/brokers/topics", true, zdone, cop(c, C_TOPICS));
}

static void load_topic(kafka_ctrl *c, const char *name)
{
    char path[ZPATH_MAX];
    snprintf(path, sizeof path, "/brokers/topics/%s", name);
    kop *op = cop(c, C_TOPIC_GET);
    op->str = xstrdup(name);
    c->topics_pending++;
    zk_get(c->b->zk, path, false, zdone, op);
}

static void topic_loaded(kafka_ctrl *c, int ti)
{
    ctopic *t = c->topics[ti];
    t->loaded = true;
    c->topics_pending--;
    if (!c->initialized) {
        try_initialize(c);
        return;
    }
    for (int p = 0; p < t->nparts; p++) changed(c, ti, p);
    flush(c);
}

/* A new partition: leader = first live replica, ISR = live replicas. */
static void init_partition(kafka_ctrl *c, int ti, int p)
{
    ctopic *t = c->topics[ti];
    kafka_pstate *st = &t->st[p];
    st->leader = -1;
    st->nisr = 0;
    for (int i = 0; i < st->nrep; i++)
        if (registered(c, st->replicas[i])) {
            if (st->leader < 0) st->leader = st->replicas[i];
            st->isr[st->nisr++] = st->replicas[i];
        }
    st->leader_epoch = 0;
    st->controller_epoch = c->epoch;
    st->zk_version = 0;
    char p1[ZPATH_MAX], p2[ZPATH_MAX], json[256];
    snprintf(p1, sizeof p1, "/brokers/topics/%s/partitions/%d", t->name, p);
    state_path(p2, sizeof p2, t->name, p);
    kafka_state_json(st, json, sizeof json);
    zop ops[3] = {
        { .type = ZOP_CHECK, .path = "/controller_epoch", .version = c->epoch_zkv },
        { .type = ZOP_CREATE, .path = p1 },
        { .type = ZOP_CREATE, .path = p2, .data = (const uint8_t *)json, .len = strlen(json) },
    };
    kop *op = cop(c, C_STATE_CREATE);
    op->c = ti;
    op->a = p;
    t->pending++;
    zk_multi(c->b->zk, ops, 3, zdone, op);
}

static void topic_got(kafka_ctrl *c, kop *op, const zk_result *res)
{
    if (res->err != ZOK) {
        c->topics_pending--;
        try_initialize(c);
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
    assign_ctx ac = { t };
    kafka_json_partitions(json, res->len, assign_visit, &ac);
    char id[40];
    t->id = kafka_json_str(json, res->len, "topic_id", id, sizeof id)
                ? strtoull(id, NULL, 16) : (uint64_t)res->stat.czxid;
    VEC_GROW(c->topics, c->ntopics, c->captopics);
    c->topics[c->ntopics++] = t;
    char path[ZPATH_MAX];
    snprintf(path, sizeof path, "/config/topics/%s", t->name);
    kop *o2 = cop(c, C_TCONF_GET);
    o2->c = c->ntopics - 1;
    zk_get(c->b->zk, path, false, zdone, o2);
}

static void tconf_got(kafka_ctrl *c, int ti, const zk_result *res)
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
    zk_create(c->b->zk, ppath, NULL, 0, 0, zdone, cop(c, C_IGNORE));
    for (int p = 0; p < t->nparts; p++) {
        char path[ZPATH_MAX];
        state_path(path, sizeof path, t->name, p);
        kop *op = cop(c, C_STATE_GET);
        op->c = ti;
        op->a = p;
        zk_get(c->b->zk, path, false, zdone, op);
    }
}

static void state_got(kafka_ctrl *c, int ti, int p, const zk_result *res)
{
    ctopic *t = c->topics[ti];
    kafka_pstate *st = &t->st[p];
    if (res->err == ZOK && kafka_state_parse((const char *)res->data, res->len, st)) {
        st->zk_version = res->stat.version;
    } else if (res->err == ZNONODE) {
        init_partition(c, ti, p);   /* its create counts in pending */
    }
    if (--t->pending == 0) topic_loaded(c, ti);
}

static void delete_topic(kafka_ctrl *c, const char *name)
{
    int ti = topic_index(c, name);
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
            stop_replicas(c, &c->live[i], true, pairs, np);
        }
        free(pairs);
        for (int p = 0; p < t->nparts; p++) {
            t->st[p].leader = KAFKA_LEADER_DELETE;
            queue_um(c, ti, p);
        }
        zop *ops = xcalloc((size_t)t->nparts * 2 + 4, sizeof *ops);
        char (*paths)[ZPATH_MAX] = xcalloc((size_t)t->nparts * 2 + 4, ZPATH_MAX);
        int n = 0;
        for (int p = 0; p < t->nparts; p++) {
            state_path(paths[n], ZPATH_MAX, t->name, p);
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
        zk_multi(c->b->zk, ops, n, zdone, cop(c, C_IGNORE));
        free(ops);
        free(paths);
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "controller: topic %s deleted", name);
        flush(c);
    }
    snprintf(path, sizeof path, "/admin/delete_topics/%s", name);
    zk_delete(c->b->zk, path, -1, zdone, cop(c, C_IGNORE));
}

/* --- ZooKeeper completions --- */

static bool known_topic(kafka_ctrl *c, const char *name)
{
    return topic_index(c, name) >= 0;
}

void kc_zk_done(kop *op, const zk_result *res)
{
    kafka_broker *b = op->b;
    kafka_ctrl *c = b->ctrl;
    if (!c || c->serial != op->serial || op->gen != b->zk_gen) {
        kb_op_done(op);
        return;
    }
    switch (op->kind) {
    case C_BROKERS:
        if (res->err != ZOK) break;
        c->nseen = 0;
        c->seen_pending = res->nchildren;
        for (int i = 0; i < res->nchildren; i++) {
            char path[ZPATH_MAX];
            snprintf(path, sizeof path, "/brokers/ids/%s", res->children[i]);
            kop *o2 = cop(c, C_BROKER_GET);
            o2->a = atoi(res->children[i]);
            zk_get(b->zk, path, false, zdone, o2);
        }
        if (res->nchildren == 0) {
            c->have_brokers = true;
            brokers_read(c);
            try_initialize(c);
        }
        break;
    case C_BROKER_GET:
        if (res->err == ZOK) {
            VEC_GROW(c->seen, c->nseen, c->capseen);
            klive *l = &c->seen[c->nseen++];
            memset(l, 0, sizeof *l);
            l->id = op->a;
            char host[24] = "";
            kafka_json_str((const char *)res->data, res->len, "rack", l->rack, 16);
            kafka_json_str((const char *)res->data, res->len, "host", host, sizeof host);
            /* the host names the broker's node in the simulated network */
            char name[16];
            snprintf(name, sizeof name, "%d", op->a);
            l->node = sim_find_node(b->s, name);
            int64_t epoch = res->stat.czxid;
            memcpy(l->rack + 16, &epoch, sizeof epoch);
        }
        if (--c->seen_pending == 0) {
            c->have_brokers = true;
            brokers_read(c);
            try_initialize(c);
        }
        break;
    case C_TOPICS:
        if (res->err != ZOK) break;
        for (int i = 0; i < res->nchildren; i++)
            if (!known_topic(c, res->children[i])) load_topic(c, res->children[i]);
        try_initialize(c);
        break;
    case C_TOPIC_GET:
        topic_got(c, op, res);
        break;
    case C_TCONF_GET:
        tconf_got(c, op->c, res);
        break;
    case C_STATE_GET:
        state_got(c, op->c, op->a, res);
        break;
    case C_STATE_CREATE: {
        ctopic *t = c->topics[op->c];
        if (res->err == ZOK) queue_lai(c, op->c, op->a);
        if (--t->pending == 0) topic_loaded(c, op->c);
        break;
    }
    case C_STATE_SET: {
        c->writes--;
        ctopic *t = c->topics[op->c];
        kafka_pstate *st = &t->st[op->a];
        if (res->err == ZOK && !t->deleted) {
            uint8_t nisr_old = st->nisr;
            int32_t leader_old = st->leader;
            *st = op->st;
            st->zk_version = res->results[1].stat.version;
            if (leader_old != st->leader || nisr_old != st->nisr) emit_isr(c, t, op->a, st);
            changed(c, op->c, op->a);
            if (op->from >= 0) alter_reply(c, op->from, op->corr, KERR_NONE, t, op->a);
        } else if (op->from >= 0) {
            alter_reply(c, op->from, op->corr, KERR_FENCED_LEADER_EPOCH, t, op->a);
        }
        flush(c);
        break;
    }
    case C_DELETES:
        if (res->err != ZOK) break;
        for (int i = 0; i < res->nchildren; i++) delete_topic(c, res->children[i]);
        break;
    case C_ADMIN_CONF:
        break;
    case C_ADMIN_TOPIC:
    case C_ADMIN_DELETE: {
        wbuf w;
        wbuf_init(&w);
        w_u64(&w, op->corr);
        kerr e = res->err == ZOK ? KERR_NONE :
                 res->err == ZNODEEXISTS ? (op->kind == C_ADMIN_TOPIC ? KERR_TOPIC_ALREADY_EXISTS : KERR_NONE)
                                         : KERR_REQUEST_TIMED_OUT;
        w_u8(&w, (uint8_t)e);
        w_u32(&w, 0);
        kb_send(b, op->from, KMSG_ADMIN_RESP, &w);
        wbuf_free(&w);
        break;
    }
    default:
        break;
    }
    kb_op_done(op);
}

void kc_watch(kafka_ctrl *c, zevent ev, const char *path)
{
    if (strcmp(path, "/brokers/ids") == 0) read_brokers(c);
    else if (strcmp(path, "/brokers/topics") == 0) read_topics(c);
    else if (strcmp(path, "/admin/delete_topics") == 0)
        zk_children(c->b->zk, "/admin/delete_topics", true, zdone, cop(c, C_DELETES));
}

/* --- requests to the controller --- */

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
    if (known_topic(c, name)) { admin_reply(c, from, corr, KERR_TOPIC_ALREADY_EXISTS); return; }
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
        zk_create(c->b->zk, path, (const uint8_t *)conf, strlen(conf), 0, zdone, cop(c, C_ADMIN_CONF));
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
        kop *op = cop(c, C_ADMIN_TOPIC);
        op->from = from;
        op->corr = corr;
        zk_create(c->b->zk, path, (const uint8_t *)json, strlen(json), 0, zdone, op);
        free(json);
    }
    free(out);
    free(ids);
    free(racks);
}

static void on_admin(kafka_ctrl *c, int from, rbuf *r)
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
        if (!known_topic(c, name)) { admin_reply(c, from, corr, KERR_UNKNOWN_TOPIC_OR_PARTITION); return; }
        char path[ZPATH_MAX];
        snprintf(path, sizeof path, "/admin/delete_topics/%s", name);
        kop *o = cop(c, C_ADMIN_DELETE);
        o->from = from;
        o->corr = corr;
        zk_create(c->b->zk, path, NULL, 0, 0, zdone, o);
    } else if (op == 3) {
        int ti = name[0] ? topic_index(c, name) : -1;
        if (name[0] && ti < 0) { admin_reply(c, from, corr, KERR_UNKNOWN_TOPIC_OR_PARTITION); return; }
        int n = preferred(c, ti);
        flush(c);
        admin_reply(c, from, corr, n ? KERR_NONE : KERR_ELECTION_NOT_NEEDED);
    }
}

static void on_alter_isr(kafka_ctrl *c, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    int id = (int)r_u32(r);
    int64_t bepoch = r_i64(r);
    char name[128];
    r_str(r, name, sizeof name);
    int p = (int)r_u32(r);
    kafka_pstate want;
    kafka_pstate_read(r, &want);
    int ti = topic_index(c, name);
    if (ti < 0 || p < 0 || p >= c->topics[ti]->nparts || r->bad) return;
    ctopic *t = c->topics[ti];
    cbroker *cb = live_find(c, id);
    kafka_pstate *st = &t->st[p];
    if (!cb || cb->epoch != bepoch || st->leader != id ||
        st->leader_epoch != want.leader_epoch || st->zk_version != want.zk_version) {
        alter_reply(c, from, corr, KERR_FENCED_LEADER_EPOCH, t, p);
        return;
    }
    for (int i = 0; i < want.nisr; i++) {
        cbroker *joining = kafka_pstate_in_isr(st, want.isr[i]) ? NULL
                                                                : live_find(c, want.isr[i]);
        if (joining && joining->shutting) {     /* it is on its way out */
            alter_reply(c, from, corr, KERR_NOT_LEADER_OR_FOLLOWER, t, p);
            return;
        }
    }
    kafka_pstate next = *st;
    next.nisr = want.nisr;
    memcpy(next.isr, want.isr, sizeof next.isr);
    next.controller_epoch = c->epoch;
    write_state(c, ti, p, &next, from, corr);
}

void kc_recv(kafka_ctrl *c, int from, uint32_t type, rbuf *r)
{
    switch (type) {
    case KMSG_CTRL_ACK: on_ack(c, from, r); break;
    case KMSG_ALTER_ISR: on_alter_isr(c, from, r); break;
    case KMSG_ADMIN: on_admin(c, from, r); break;
    case KMSG_SHUTDOWN: {
        uint64_t corr = r_u64(r);
        int id = (int)r_u32(r);
        kc_shutdown_local(c, from, id);
        c->shut[c->nshut - 1].corr = corr;
        flush(c);
        if (c->writes == 0 && !c->initialized) reply_shutdowns(c);
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
    read_brokers(c);
    read_topics(c);
    zk_children(b->zk, "/admin/delete_topics", true, zdone, cop(c, C_DELETES));
    return c;
}

void kc_free(kafka_ctrl *c)
{
    if (!c) return;
    for (int i = 0; i < c->ntopics; i++) {
        free(c->topics[i]->name);
        free(c->topics[i]->st);
        free(c->topics[i]);
    }
    free(c->topics);
    for (int i = 0; i < c->nlive; i++) channel_clear(&c->live[i]);
    free(c->live);
    free(c->seen);
    free(c->um);
    free(c->shut);
    free(c);
}
