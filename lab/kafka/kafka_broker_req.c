/* kafka_broker_req: the requests a broker answers outside the data path:
 * LeaderAndIsr, UpdateMetadata and StopReplica from the controller (fenced
 * by controller epoch, each answered with its own response so the
 * controller's channel moves on)
 * and Metadata from clients, answered from its cache. */
#include "kafka_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* --- requests from the controller --- */

/* The answer to a controller request of kind `request`: its correlation
 * id and an error (LeaderAndIsrResponse, UpdateMetadataResponse or
 * StopReplicaResponse, as KafkaApis answers each). */
static void ctrl_answer(kafka_broker *b, int to, uint32_t request, uint64_t corr, kerr err)
{
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, (uint8_t)err);
    kb_send(b, to, kafka_ctrl_resp_of(request), &w);
    wbuf_free(&w);
}

/* Reads the controller header of a request of kind `request`; false (and
 * an answer) when fenced. */
static bool ctrl_header(kafka_broker *b, int from, uint32_t request, rbuf *r, uint64_t *corr)
{
    int ctrl_id = (int)r_u32(r);
    int32_t epoch = (int32_t)r_u32(r);
    *corr = r_u64(r);
    if (epoch < b->ctrl_epoch) {
        ctrl_answer(b, from, request, *corr, KERR_STALE_CONTROLLER_EPOCH);
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, from, (uint64_t)epoch, 0,
                   "%d rejects a request of stale controller epoch %d (now %d)",
                   b->id, epoch, b->ctrl_epoch);
        return false;
    }
    b->ctrl_epoch = epoch;
    b->ctrl_id = ctrl_id;
    b->ctrl_node = from;
    return true;
}

static void merge_live(kafka_broker *b, const klive *l, int n)
{
    int old = b->nlive;                 /* kb_live indexes these */
    for (int i = 0; i < n; i++) {
        bool known = kb_live(b, l[i].id) != NULL;
        for (int k = old; k < b->nlive && !known; k++) known = b->live[k].id == l[i].id;
        if (known) continue;
        VEC_GROW(b->live, b->nlive, b->caplive);
        b->live[b->nlive++] = l[i];
    }
    if (b->nlive != old) kb_live_reindex(b);
}

void kb_on_leader_and_isr(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr;
    if (!ctrl_header(b, from, KMSG_LEADER_AND_ISR, r, &corr)) return;
    klive *l;
    int nl = kafka_read_live(r, &l);
    merge_live(b, l, nl);
    free(l);
    uint32_t n = r_u32(r);
    char name[128];
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        r_str(r, name, sizeof name);
        uint64_t id = r_u64(r);
        int nparts = (int)r_u32(r);
        int min_isr = r_u8(r);
        bool unclean = r_u8(r);
        int p = (int)r_u32(r);
        kafka_pstate st;
        kafka_pstate_read(r, &st);
        if (r->bad || p < 0 || p >= nparts) break;
        ktopic *t = kb_topic_make(b, name, id, nparts);
        t->min_isr = min_isr;
        t->unclean = unclean;
        kb_partition_state(b, t, p, &st);
    }
    ctrl_answer(b, from, KMSG_LEADER_AND_ISR, corr, KERR_NONE);
}

/* A partition's state as a LeaderAndIsr gives it (ZooKeeper mode; KRaft
 * mode applies the metadata log with kafka_broker_kraft.c's
 * apply_partition): the metadata cache takes it, and a replica here leads
 * or follows as it says unless its leader epoch is older than the one it
 * has. */
void kb_partition_state(kafka_broker *b, ktopic *t, int p, const kafka_pstate *st)
{
    t->meta[p] = kmeta_set(t->meta[p], st);
    kreplica *rep = kb_replica_make(t, p);
    if (st->leader_epoch < rep->st.leader_epoch) return;   /* stale */
    bool same = st->leader_epoch == rep->st.leader_epoch &&
                (rep->leader || rep->follower);
    bool moved = st->nrep != rep->st.nrep ||
                 memcmp(st->replicas, rep->st.replicas, st->nrep * sizeof *st->replicas) != 0;
    rep->st = *st;
    if (same && moved) kr_update_assignment(b, rep);
    if (same) return;
    if (st->leader == b->id) kr_become_leader(b, rep);
    else kr_become_follower(b, rep);
}

/* An UpdateMetadata's changes as every broker reads them alike: the
 * live brokers, then per partition its topic and its interned state (a
 * handle the memo holds). The controller sends one body to every broker
 * (kc_flush); the first broker to read it decodes it and the others take
 * the decoding (sim_blob_memo): 300 brokers parsed and interned the same
 * 100,000 states each, a twentieth of the 300-broker scale run. */
typedef struct um_topic {
    char name[128];
    uint64_t id;
    int nparts;
} um_topic;

typedef struct um_part {
    int topic;                  /* in um_memo.topics */
    int p;
    bool del;                   /* leader KAFKA_LEADER_DELETE */
    kmeta h;                    /* the state (0 for a delete) */
} um_part;

typedef struct um_memo {
    klive *live;
    int nlive;
    um_topic *topics;
    int ntopics, captopics;
    um_part *parts;
    int nparts;
} um_memo;

static void um_memo_free(void *memo)
{
    um_memo *m = memo;
    for (int i = 0; i < m->nparts; i++) kmeta_release(m->parts[i].h);
    free(m->live);
    free(m->topics);
    free(m->parts);
    free(m);
}

/* Reads the changes as the loop of a broker reads them, stopping where
 * it stops (bytes run out, or a partition out of its topic's range). */
static um_memo *um_decode(rbuf *r)
{
    um_memo *m = xcalloc(1, sizeof *m);
    m->nlive = kafka_read_live(r, &m->live);
    uint32_t n = r_u32(r);
    if (!r->bad) m->parts = xmalloc((n < r->len ? n : r->len) * sizeof *m->parts + 1);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        um_topic t;
        r_str(r, t.name, sizeof t.name);
        t.id = r_u64(r);
        t.nparts = (int)r_u32(r);
        int p = (int)r_u32(r);
        kafka_pstate st;
        kafka_pstate_read(r, &st);
        if (r->bad || p < 0 || p >= t.nparts) break;
        um_topic *last = m->ntopics ? &m->topics[m->ntopics - 1] : NULL;
        if (!last || last->id != t.id || last->nparts != t.nparts ||
            strcmp(last->name, t.name) != 0) {
            VEC_GROW(m->topics, m->ntopics, m->captopics);
            m->topics[m->ntopics++] = t;
        }
        bool del = st.leader == KAFKA_LEADER_DELETE;
        m->parts[m->nparts++] = (um_part){ m->ntopics - 1, p, del,
                                           del ? 0 : kmeta_set(0, &st) };
    }
    return m;
}

/* The decoding of the body the broker reads now, made by the first
 * reader; NULL when the message has no shared body or r is not at its
 * start (then the broker reads the bytes itself). */
static const um_memo *um_memo_of(kafka_broker *b, const rbuf *r)
{
    size_t head;
    sim_blob *body = sim_delivering_body(b->s, &head);
    if (!body || r->bad || r->pos != head) return NULL;
    um_memo *m = sim_blob_memo(body, um_memo_free);
    if (!m) {
        rbuf br = rbuf_of(sim_blob_data(body), sim_blob_len(body));
        m = um_decode(&br);
        sim_blob_set_memo(body, m, um_memo_free);
    }
    return m;
}

static void um_apply(kafka_broker *b, const um_memo *m)
{
    free(b->live);
    b->live = xmalloc((size_t)(m->nlive ? m->nlive : 1) * sizeof *b->live);
    memcpy(b->live, m->live, (size_t)(m->nlive ? m->nlive : 1) * sizeof *b->live);
    b->nlive = b->caplive = m->nlive;
    kb_live_reindex(b);
    ktopic *t = NULL;
    int ti = -1;                /* the memo's topic t is, -1: none */
    for (int i = 0; i < m->nparts; i++) {
        const um_part *e = &m->parts[i];
        const um_topic *mt = &m->topics[e->topic];
        if (e->del) {
            ktopic *d = kb_topic(b, mt->name);
            if (d && !kb_topic_rep(d, e->p)) {
                if (d->held == 0) d->deleted = true;
                b->rep_gen++;
            }
            if (d) d->meta[e->p] = kmeta_adopt(d->meta[e->p], 0);
            ti = -1;            /* a topic may be gone now */
            continue;
        }
        /* kb_topic_make again with the same arguments returns the same */
        if (e->topic != ti) {
            t = kb_topic_make(b, mt->name, mt->id, mt->nparts);
            ti = e->topic;
        }
        t->meta[e->p] = kmeta_adopt(t->meta[e->p], e->h);
    }
}

void kb_on_update_metadata(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr;
    if (!ctrl_header(b, from, KMSG_UPDATE_METADATA, r, &corr)) return;
    const um_memo *m = um_memo_of(b, r);
    if (m) {
        um_apply(b, m);
        ctrl_answer(b, from, KMSG_UPDATE_METADATA, corr, KERR_NONE);
        return;
    }
    free(b->live);
    b->nlive = b->caplive = kafka_read_live(r, &b->live);
    kb_live_reindex(b);
    uint32_t n = r_u32(r);
    char name[128];
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        r_str(r, name, sizeof name);
        uint64_t id = r_u64(r);
        int nparts = (int)r_u32(r);
        int p = (int)r_u32(r);
        kafka_pstate st;
        kafka_pstate_read(r, &st);
        if (r->bad || p < 0 || p >= nparts) break;
        if (st.leader == KAFKA_LEADER_DELETE) {
            ktopic *t = kb_topic(b, name);
            if (t && !kb_topic_rep(t, p)) {
                if (t->held == 0) t->deleted = true;
                b->rep_gen++;
            }
            if (t) t->meta[p] = kmeta_set(t->meta[p], &(kafka_pstate){ 0 });
            continue;
        }
        ktopic *t = kb_topic_make(b, name, id, nparts);
        t->meta[p] = kmeta_set(t->meta[p], &st);
    }
    ctrl_answer(b, from, KMSG_UPDATE_METADATA, corr, KERR_NONE);
}

void kb_on_stop_replica(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr;
    if (!ctrl_header(b, from, KMSG_STOP_REPLICA, r, &corr)) return;
    bool del = r_u8(r);
    uint32_t n = r_u32(r);
    char name[128];
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        r_str(r, name, sizeof name);
        int p = (int)r_u32(r);
        ktopic *t = kb_topic(b, name);
        kreplica *rep = t ? kb_topic_rep(t, p) : NULL;
        if (!rep) continue;
        kr_stop(b, rep);
        if (del) {
            kb_replica_drop(t, p);
            b->rep_gen++;
        }
    }
    ctrl_answer(b, from, KMSG_STOP_REPLICA, corr, KERR_NONE);
}

/* --- Metadata --- */

static bool meta_known(const ktopic *t)
{
    return !t->deleted && t->nparts > 0 && kmeta_get(t->meta[0])->nrep > 0;
}

static void write_topic_meta(wbuf *w, const ktopic *t)
{
    w_str(w, t->name);
    w_u8(w, KERR_NONE);
    w_u32(w, (uint32_t)t->nparts);
    for (int p = 0; p < t->nparts; p++) kafka_pstate_write(w, kmeta_get(t->meta[p]));
}

void kb_on_metadata(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    uint32_t n = r_u32(r);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u32(&w, (uint32_t)(b->kraft ? kbk_metadata_controller(b) : b->ctrl_id));
    kafka_write_live(&w, b->live, b->nlive);
    if (n == 0) {
        /* a topic being deleted (its metadata dropped, replicas maybe
         * still here) is not listed */
        int count = 0;
        for (int i = 0; i < b->ntopics; i++) count += meta_known(b->topics[i]);
        w_u32(&w, (uint32_t)count);
        for (int i = 0; i < b->ntopics; i++)
            if (meta_known(b->topics[i])) write_topic_meta(&w, b->topics[i]);
    } else {
        w_u32(&w, n);
        char name[128];
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            r_str(r, name, sizeof name);
            ktopic *t = kb_topic(b, name);
            if (t && meta_known(t)) {
                write_topic_meta(&w, t);
            } else {
                w_str(&w, name);
                w_u8(&w, KERR_UNKNOWN_TOPIC_OR_PARTITION);
                w_u32(&w, 0);
            }
        }
    }
    kb_send(b, from, KMSG_METADATA_RESP, &w);
    wbuf_free(&w);
}
