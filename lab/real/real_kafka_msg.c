/* real_kafka_msg: a real client's Kafka requests as the lab's own messages
 * to its broker (the ones lab/kafka's producers, consumers and admin
 * client send), and
 * the broker's answers as the responses a 2.8 broker writes. ApiVersions
 * too travels the link (as a small Metadata request), so a cut link or a
 * paused broker stalls a new connection as it would a real one. */
#include "real_kafka_int.h"
#include "kafka_world.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FETCH_RECORDS_MAX 2000  /* records asked per partition and fetch */

/* The code Errors.java has for a lab error. */
static int16_t code_of(kerr e)
{
    switch (e) {
    case KERR_NONE: return 0;
    case KERR_OFFSET_OUT_OF_RANGE: return 1;
    case KERR_UNKNOWN_TOPIC_OR_PARTITION: return 3;
    case KERR_LEADER_NOT_AVAILABLE: return 5;
    case KERR_NOT_LEADER_OR_FOLLOWER: return 6;
    case KERR_REQUEST_TIMED_OUT: return 7;
    case KERR_BROKER_NOT_AVAILABLE: return 8;
    case KERR_MESSAGE_TOO_LARGE: return 10;
    case KERR_NOT_ENOUGH_REPLICAS: return 19;
    case KERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND: return 20;
    case KERR_INVALID_TOPIC: return 17;
    case KERR_TOPIC_ALREADY_EXISTS: return 36;
    case KERR_INVALID_PARTITIONS: return 37;
    case KERR_INVALID_REPLICATION_FACTOR: return 38;
    case KERR_INVALID_REPLICA_ASSIGNMENT: return 39;
    case KERR_NOT_CONTROLLER: return 41;
    case KERR_FENCED_LEADER_EPOCH: return 74;
    case KERR_UNKNOWN_LEADER_EPOCH: return 75;
    default: return KW_UNKNOWN_SERVER_ERROR;
    }
}

static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* ------------------------------------------------- to the broker */

static wbuf *begin(real_khub *h, kconn *c)
{
    wbuf_reset(&h->msg);
    c->cur.lab_corr = ++h->pool[c->pool].corr;
    w_u64(&h->msg, c->cur.lab_corr);
    return &h->msg;
}

static void send_lab(real_khub *h, kconn *c, uint32_t type, const wbuf *w)
{
    sim_send(h->s, c->node, c->server, type, w->data, w->len);
    c->cur.left++;
}

static void trace_req(real_khub *h, kconn *c, const char *what)
{
    copy_cut(c->last, sizeof c->last, what);
    trace_emit(sim_trace(h->s), TR_NOTE, c->node, c->server, (uint64_t)c->cur.corr, 0,
               "%s (real Kafka client %s): %s", sim_node_name(h->s, c->node), c->peer, what);
}

/* The parts of the request, copied (the frame goes once it is read); a
 * name the lab cannot hold is answered UNKNOWN_TOPIC_OR_PARTITION here. */
static void copy_parts(kconn *c, const kw_req *q)
{
    c->cur.nparts = q->nparts;
    c->cur.parts = xcalloc((size_t)q->nparts + 1, sizeof *c->cur.parts);
    for (int i = 0; i < q->nparts; i++) {
        kcpart *pt = &c->cur.parts[i];
        pt->p = q->parts[i].partition;
        pt->offset = q->parts[i].offset;
        pt->max_bytes = q->parts[i].max_bytes;
        if (!kw_str_copy(q->parts[i].topic, pt->topic, sizeof pt->topic)) {
            pt->topic[0] = 0;
            pt->local = true;
            pt->err = KW_UNKNOWN_TOPIC_OR_PARTITION;
        }
    }
}

static void ask_metadata(real_khub *h, kconn *c, const kw_req *q)
{
    wbuf *w = begin(h, c);
    if (c->cur.kind == KC_APIV || (!q->all_topics && q->ntopics == 0)) {
        /* the lab's Metadata with no names means all: ask for one that
         * cannot exist and leave it out of the answer */
        c->cur.no_topics = true;
        w_u32(w, 1);
        w_str(w, "");
    } else if (q->all_topics) {
        w_u32(w, 0);
    } else {
        w_u32(w, (uint32_t)q->ntopics);
        for (int i = 0; i < q->ntopics; i++) {
            char name[128];
            if (!kw_str_copy(q->topics[i], name, sizeof name)) name[0] = 0;
            w_str(w, name);
        }
    }
    send_lab(h, c, KMSG_METADATA, w);
}

typedef struct recs_ctx { wbuf *w; const kcpart *pt; uint32_t n; } recs_ctx;

/* A record as the lab keeps it: key and value as text, cut at a zero byte. */
static void w_text(wbuf *w, const uint8_t *p, int32_t len)
{
    if (!p || len <= 0) { w_u32(w, 0); return; }
    const uint8_t *z = memchr(p, 0, (size_t)len);
    w_bytes(w, p, z ? (size_t)(z - p) : (size_t)len);
}

static void one_record(void *ctx, const kw_record *r)
{
    recs_ctx *x = ctx;
    w_u64(x->w, x->pt->rid0 + x->n++);
    w_text(x->w, r->key, r->key_len);
    w_text(x->w, r->value, r->value_len);
}

static void answer_produce_local(real_khub *h, kconn *c);
static void on_offset(real_khub *h, kconn *c, uint64_t corr, rbuf *r);

static void ask_produce(real_khub *h, kconn *c, const kw_req *q)
{
    c->cur.acks = q->acks;
    rknode *pn = &h->pool[c->pool];
    wbuf *w = begin(h, c);
    w_u8(w, (uint8_t)(int8_t)q->acks);
    w_u32(w, q->timeout_ms > 0 ? (uint32_t)q->timeout_ms : 0);
    size_t count_at = w->len;
    w_u32(w, 0);
    uint32_t sent = 0, records = 0;
    for (int i = 0; i < q->nparts; i++) {
        kcpart *pt = &c->cur.parts[i];
        if (q->acks != 0 && q->acks != 1 && q->acks != -1) {
            pt->local = true;
            pt->err = 21;                       /* INVALID_REQUIRED_ACKS */
        }
        if (pt->local) continue;
        int32_t n;
        int16_t err = kw_batches_read(q->parts[i].records, q->parts[i].nrecords > 0
                                      ? (size_t)q->parts[i].nrecords : 0, NULL, NULL, &n);
        if (err) { pt->local = true; pt->err = err; continue; }
        pt->n = n;
        pt->rid0 = ((uint64_t)c->node << 40) | (pn->seq + 1);
        pn->seq += (uint64_t)n;
        w_str(w, pt->topic);
        w_u32(w, (uint32_t)pt->p);
        w_u32(w, (uint32_t)q->parts[i].nrecords);
        w_u32(w, (uint32_t)n);
        recs_ctx x = { w, pt, 0 };
        kw_batches_read(q->parts[i].records, (size_t)q->parts[i].nrecords, one_record, &x, &n);
        sent++;
        records += (uint32_t)n;
    }
    wire_put32(w->data + count_at, sent);
    char what[192];
    snprintf(what, sizeof what, "Produce %s-%d, %u records", c->cur.nparts ? c->cur.parts[0].topic
             : "", c->cur.nparts ? c->cur.parts[0].p : 0, records);
    trace_req(h, c, what);
    if (sent) send_lab(h, c, KMSG_PRODUCE, w);
    if (q->acks == 0) { rk_done(h, c); return; }   /* acks=0: no answer at all */
    if (!sent) answer_produce_local(h, c);
}

static void ask_fetch(real_khub *h, kconn *c, const kw_req *q)
{
    c->cur.max_wait_ms = q->max_wait_ms;
    c->cur.start_us = sim_now_us(h->s);
    wbuf *w = begin(h, c);
    w_u32(w, (uint32_t)-1);                     /* a consumer, not a replica */
    w_u32(w, 0);
    w_u32(w, (uint32_t)q->nparts);
    for (int i = 0; i < q->nparts; i++) {
        const kcpart *pt = &c->cur.parts[i];
        int32_t want = pt->max_bytes / 16 + 1;
        w_str(w, pt->topic);
        w_u32(w, (uint32_t)pt->p);
        w_u32(w, (uint32_t)-1);                 /* any leader epoch */
        w_i64(w, pt->offset);
        w_u32(w, (uint32_t)(want < FETCH_RECORDS_MAX && want > 0 ? want : FETCH_RECORDS_MAX));
    }
    wbuf_reset(&c->cur.msg);
    w_raw(&c->cur.msg, w->data, w->len);
    send_lab(h, c, KMSG_FETCH, w);
}

static void ask_offsets(real_khub *h, kconn *c)
{
    char what[192];
    snprintf(what, sizeof what, "ListOffsets %s-%d", c->cur.nparts ? c->cur.parts[0].topic : "",
             c->cur.nparts ? c->cur.parts[0].p : 0);
    trace_req(h, c, what);
    if (c->cur.nparts == 0) {
        rbuf none = rbuf_of(NULL, 0);
        c->cur.left = 1;
        on_offset(h, c, 0, &none);
        return;
    }
    uint64_t first = h->pool[c->pool].corr + 1;
    for (int i = 0; i < c->cur.nparts; i++) {
        const kcpart *pt = &c->cur.parts[i];
        wbuf *w = begin(h, c);
        w_str(w, pt->topic);
        w_u32(w, (uint32_t)pt->p);
        /* the lab keeps no timestamps: a time is answered as the latest */
        w_i64(w, pt->offset == -2 ? -2 : -1);
        send_lab(h, c, KMSG_LIST_OFFSETS, w);
    }
    c->cur.lab_corr = first;
}

static void answer_admin(real_khub *h, kconn *c);

/* CreateTopics and DeleteTopics: one lab admin request per topic to the
 * attached broker; in ZooKeeper mode one that is not the controller
 * answers NOT_CONTROLLER and the client asks the controller (in 2.8 the
 * controller alone serves them); a KRaft broker forwards them to the
 * active controller (KIP-590). */
static void ask_admin(real_khub *h, kconn *c, const kw_req *q)
{
    bool create = q->h.key == KW_CREATE_TOPICS;
    char what[192];
    c->cur.nparts = q->nops;
    c->cur.parts = xcalloc((size_t)q->nops + 1, sizeof *c->cur.parts);
    uint64_t first = h->pool[c->pool].corr + 1;
    for (int i = 0; i < q->nops; i++) {
        const kw_topic_op *op = &q->ops[i];
        kcpart *pt = &c->cur.parts[i];
        h->pool[c->pool].corr++;
        if (!kw_str_copy(op->name, pt->topic, sizeof pt->topic)) {
            pt->local = true;
            pt->err = 17;                       /* INVALID_TOPIC_EXCEPTION */
            pt->why = "a topic name the lab cannot hold";
        } else if (op->err) {
            pt->local = true;
            pt->err = op->err;
            pt->why = op->err == KW_INVALID_REPLICA_ASSIGNMENT
                      ? "manual replica assignments are not served by the lab"
                      : "the lab keeps only min.insync.replicas and unclean.leader.election.enable";
        } else if (create && q->validate_only) {
            pt->local = true;
            pt->err = KW_INVALID_REQUEST;
            pt->why = "validate_only is not served by the lab";
        }
        if (pt->local) continue;
        wbuf *w = &h->msg;
        wbuf_reset(w);
        w_u64(w, first + (uint64_t)i);
        w_u8(w, create ? 1 : 2);
        w_str(w, pt->topic);
        w_u32(w, create ? (uint32_t)op->partitions : 0);
        w_u32(w, create ? (uint32_t)op->replication : 0);
        w_u32(w, create ? (uint32_t)op->min_isr : 0);
        w_u32(w, create ? (uint32_t)op->unclean : (uint32_t)-1);
        w_u32(w, 0);                            /* no replica list */
        send_lab(h, c, KMSG_ADMIN, w);
    }
    c->cur.lab_corr = first;
    snprintf(what, sizeof what, "%s %s%s", create ? "CreateTopics" : "DeleteTopics",
             q->nops ? c->cur.parts[0].topic : "", q->nops > 1 ? "..." : "");
    trace_req(h, c, what);
    if (c->cur.left == 0) answer_admin(h, c);
}

void rk_request(real_khub *h, kconn *c, const uint8_t *p, size_t n)
{
    kw_req *q = h->req;
    kw_status st = kw_req_decode(p, n, q);
    char why[96];
    if (st == KW_MALFORMED) { rk_finish(h, c, REAL_CLOSE, "a request that does not decode"); return; }
    if (st == KW_UNSUPPORTED) {
        /* a real broker closes on a version it does not know */
        snprintf(why, sizeof why, "%s (key %d) v%d is not served by the lab",
                 kw_api_name(q->h.key), q->h.key, q->h.version);
        rk_finish(h, c, REAL_CLOSE, why);
        return;
    }
    if (st == KW_TOO_MANY) {
        snprintf(why, sizeof why, "more than %d partitions in one request", KW_PARTS_MAX);
        rk_finish(h, c, REAL_CLOSE, why);
        return;
    }
    if (q->h.client[0]) snprintf(c->client, sizeof c->client, "%s", q->h.client);
    c->cur = (kcur){ .busy = true, .version = q->h.version, .corr = q->h.corr };
    wbuf_init(&c->cur.msg);
    switch (q->h.key) {
    case KW_API_VERSIONS: c->cur.kind = KC_APIV; ask_metadata(h, c, q); break;
    case KW_METADATA:
        c->cur.kind = KC_META;
        trace_req(h, c, "Metadata");
        ask_metadata(h, c, q);
        break;
    case KW_PRODUCE: c->cur.kind = KC_PRODUCE; copy_parts(c, q); ask_produce(h, c, q); break;
    case KW_FETCH: c->cur.kind = KC_FETCH; copy_parts(c, q); ask_fetch(h, c, q); break;
    case KW_LIST_OFFSETS: c->cur.kind = KC_OFFSETS; copy_parts(c, q); ask_offsets(h, c); break;
    case KW_CREATE_TOPICS: case KW_DELETE_TOPICS:
        c->cur.kind = KC_ADMIN;
        ask_admin(h, c, q);
        break;
    }
}

/* ------------------------------------------------- to the real client */

/* Parts i.. with the same topic name: how many (a topic entry). */
static int same_topic(const kconn *c, int i)
{
    int k = i + 1;
    while (k < c->cur.nparts && strcmp(c->cur.parts[k].topic, c->cur.parts[i].topic) == 0) k++;
    return k - i;
}

static void answer_produce_local(real_khub *h, kconn *c)
{
    wbuf *o = &c->out;
    size_t at = kw_begin(o, c->cur.corr);
    int ntopics = 0;
    for (int i = 0; i < c->cur.nparts; i += same_topic(c, i)) ntopics++;
    kw_w_i32(o, ntopics);
    for (int i = 0; i < c->cur.nparts; i += same_topic(c, i)) {
        int k = same_topic(c, i);
        kw_w_string(o, c->cur.parts[i].topic);
        kw_w_i32(o, k);
        for (int j = i; j < i + k; j++) {
            const kcpart *pt = &c->cur.parts[j];
            kw_w_i32(o, pt->p);
            kw_w_i16(o, pt->err);
            kw_w_i64(o, pt->err ? -1 : pt->offset);
            kw_w_i64(o, -1);                    /* log_append_time: CreateTime */
        }
    }
    kw_w_i32(o, 0);                             /* throttle_time_ms */
    kw_end(o, at);
    rk_done(h, c);
}

/* The ledger hears of acknowledged records as it does from the lab's
 * producers, so lab.audit counts kcat's records too. */
static void on_produce(real_khub *h, kconn *c, rbuf *r)
{
    uint32_t n = r_u32(r);
    const kafka_hooks *hk = kafka_world_hooks(cluster_kafka(h->w));
    for (int i = 0; i < c->cur.nparts && n > 0 && !r->bad; i++) {
        kcpart *pt = &c->cur.parts[i];
        if (pt->local) continue;
        char topic[128];
        r_str(r, topic, sizeof topic);
        r_u32(r);
        kerr e = (kerr)r_u8(r);
        int64_t base = r_i64(r);
        n--;
        pt->err = code_of(e);
        pt->offset = base;
        if (!e && hk && hk->acked)
            for (int32_t k = 0; k < pt->n; k++)
                hk->acked(hk->ctx, pt->topic, pt->p, base + k, pt->rid0 + (uint64_t)k,
                          c->cur.acks);
    }
    answer_produce_local(h, c);
}

static void write_brokers(real_khub *h, wbuf *o, rbuf *r)
{
    klive *live;
    int n = kafka_read_live(r, &live);
    kafka_world *kw = cluster_kafka(h->w);
    kw_w_i32(o, n);
    for (int i = 0; i < n; i++) {
        int port = 0;
        for (int k = 0; k < kafka_world_count(kw) && k < h->nports; k++)
            if (kafka_broker_id(kafka_world_broker(kw, k)) == live[i].id) port = h->ports[k];
        kw_w_i32(o, live[i].id);
        kw_w_string(o, "127.0.0.1");
        kw_w_i32(o, port);
        kw_w_string(o, live[i].rack[0] ? live[i].rack : NULL);
    }
    free(live);
}

static void w_ids(wbuf *o, const int32_t *ids, int n)
{
    kw_w_i32(o, n);
    for (int i = 0; i < n; i++) kw_w_i32(o, ids[i]);
}

/* MetadataResponse v1 from the broker's cache. */
static void on_metadata(real_khub *h, kconn *c, rbuf *r)
{
    int32_t ctrl = (int32_t)r_u32(r);
    wbuf *o = &c->out;
    size_t at = kw_begin(o, c->cur.corr);
    write_brokers(h, o, r);
    kw_w_i32(o, ctrl);
    uint32_t nt = r_u32(r);
    if (nt > r->len) nt = 0;
    kw_w_i32(o, c->cur.no_topics ? 0 : (int32_t)nt);
    for (uint32_t i = 0; i < nt && !r->bad && !c->cur.no_topics; i++) {
        char name[128];
        r_str(r, name, sizeof name);
        kerr e = (kerr)r_u8(r);
        uint32_t np = r_u32(r);
        if (np > r->len) { r->bad = true; np = 0; }
        kw_w_i16(o, code_of(e));
        kw_w_string(o, name);
        kw_w_i8(o, 0);                          /* is_internal */
        kw_w_i32(o, (int32_t)np);
        for (uint32_t p = 0; p < np && !r->bad; p++) {
            kafka_pstate st;
            kafka_pstate_read(r, &st);
            /* MetadataCache: a partition whose leader is gone answers
             * LEADER_NOT_AVAILABLE with leader -1 */
            kw_w_i16(o, st.leader < 0 ? KW_LEADER_NOT_AVAILABLE : 0);
            kw_w_i32(o, (int32_t)p);
            kw_w_i32(o, st.leader < 0 ? -1 : st.leader);
            w_ids(o, st.replicas, st.nrep);
            w_ids(o, st.isr, st.nisr);
        }
    }
    kw_end(o, at);
    rk_done(h, c);
}

static void on_api_versions(real_khub *h, kconn *c)
{
    size_t at = kw_begin(&c->out, c->cur.corr);
    /* a version above 2: UNSUPPORTED_VERSION in the v0 layout, with the
     * versions served, and librdkafka asks again at one of them */
    bool above = c->cur.version > 2;
    kw_w_api_versions(&c->out, above ? 0 : c->cur.version,
                      above ? KW_UNSUPPORTED_VERSION : KW_NONE);
    kw_end(&c->out, at);
    rk_done(h, c);
}

static void refetch(void *self, uint64_t arg)
{
    rkself *me = self;
    if (!me->h || me->h->pool[me->pool].conn != (int)arg) return;
    kconn *c = rk_get(me->h, (int)arg);
    if (!c || c->st != KS_OPEN || c->cur.kind != KC_FETCH || !c->cur.busy) return;
    c->cur.timer = 0;
    c->cur.lab_corr = ++me->h->pool[me->pool].corr;
    wbuf *m = &c->cur.msg;
    for (int i = 0; i < 8; i++) m->data[i] = (uint8_t)(c->cur.lab_corr >> (8 * i));
    send_lab(me->h, c, KMSG_FETCH, m);
}

/* The records of one partition of the lab's answer as RecordBatches (one
 * per run of a leader epoch), up to max bytes (at least one batch). */
static void write_records(wbuf *o, rbuf *r, int64_t offset, uint32_t n, int32_t max)
{
    wbuf b;
    wbuf_init(&b);
    kw_record *recs = xcalloc(n ? n : 1, sizeof *recs);
    int32_t epoch = 0;
    uint32_t run = 0;
    int64_t base = offset;
    for (uint32_t i = 0; i <= n && !r->bad; i++) {
        int32_t e = 0;
        const uint8_t *k = NULL, *v = NULL;
        size_t kl = 0, vl = 0;
        if (i < n) {
            e = (int32_t)r_u32(r);
            r_u64(r);
            kl = r_bytes(r, &k);
            vl = r_bytes(r, &v);
        }
        if (run && (i == n || e != epoch)) {
            if (b.len == 0 || (int64_t)b.len < max) kw_w_batch(&b, base, epoch, recs, (int)run);
            base += run;
            run = 0;
        }
        if (i == n) break;
        epoch = e;
        recs[run++] = (kw_record){ kl ? k : NULL, v, kl ? (int32_t)kl : -1, (int32_t)vl };
    }
    free(recs);
    kw_w_i32(o, (int32_t)b.len);
    w_raw(o, b.data, b.len);
    wbuf_free(&b);
}

/* FetchResponse v4; an empty answer waits for max_wait and asks once more
 * (DelayedFetch answers at max_wait when nothing arrived). */
static void on_fetch(real_khub *h, kconn *c, const uint8_t *d, size_t len)
{
    rbuf r = rbuf_of(d, len);
    r_u64(&r);
    uint32_t n = r_u32(&r);
    if (!c->cur.retried && c->cur.max_wait_ms > 0) {
        rbuf peek = r;
        bool any = false;
        for (uint32_t i = 0; i < n && !peek.bad && !any; i++) {
            const uint8_t *x;
            r_bytes(&peek, &x);
            r_u32(&peek);
            uint8_t e = r_u8(&peek);
            r_i64(&peek);
            uint32_t cnt = r_u32(&peek);
            any = e != 0 || cnt > 0;
            for (uint32_t k = 0; k < cnt && !peek.bad; k++) {
                r_u32(&peek); r_u64(&peek); r_bytes(&peek, &x); r_bytes(&peek, &x);
            }
        }
        if (!any && !peek.bad) {
            c->cur.retried = true;
            uint64_t at = c->cur.start_us + (uint64_t)c->cur.max_wait_ms * 1000;
            uint64_t now = sim_now_us(h->s);
            c->cur.timer = sim_timer(h->s, c->node, at > now ? at - now : 0, refetch,
                                     (uint64_t)(c - h->c));
            return;
        }
    }
    wbuf *o = &c->out;
    size_t at = kw_begin(o, c->cur.corr);
    kw_w_i32(o, 0);                             /* throttle_time_ms */
    int ntopics = 0;
    for (int i = 0; i < c->cur.nparts; i += same_topic(c, i)) ntopics++;
    kw_w_i32(o, ntopics);
    for (int i = 0; i < c->cur.nparts; i += same_topic(c, i)) {
        int k = same_topic(c, i);
        kw_w_string(o, c->cur.parts[i].topic);
        kw_w_i32(o, k);
        for (int j = i; j < i + k; j++) {
            const kcpart *pt = &c->cur.parts[j];
            char name[128];
            r_str(&r, name, sizeof name);
            r_u32(&r);
            kerr e = (kerr)r_u8(&r);
            int64_t hw = r_i64(&r);
            uint32_t cnt = r_u32(&r);
            if (cnt > r.len) { r.bad = true; cnt = 0; }
            kw_w_i32(o, pt->p);
            kw_w_i16(o, r.bad ? KW_UNKNOWN_SERVER_ERROR : code_of(e));
            kw_w_i64(o, hw);
            kw_w_i64(o, hw);                    /* last_stable_offset: no transactions */
            kw_w_i32(o, 0);                     /* aborted_transactions */
            write_records(o, &r, pt->offset, cnt, pt->max_bytes);
        }
    }
    kw_end(o, at);
    rk_done(h, c);
}

/* ListOffsetsResponse v1, once every partition has its answer. */
static void on_offset(real_khub *h, kconn *c, uint64_t corr, rbuf *r)
{
    if (c->cur.nparts > 0) {
        int i = (int)(corr - c->cur.lab_corr);
        if (corr < c->cur.lab_corr || i >= c->cur.nparts) return;
        kerr e = (kerr)r_u8(r);
        c->cur.parts[i].err = code_of(e);
        c->cur.parts[i].offset = e ? -1 : r_i64(r);
    }
    if (--c->cur.left > 0) return;
    wbuf *o = &c->out;
    size_t at = kw_begin(o, c->cur.corr);
    int ntopics = 0;
    for (int k = 0; k < c->cur.nparts; k += same_topic(c, k)) ntopics++;
    kw_w_i32(o, ntopics);
    for (int k = 0; k < c->cur.nparts; k += same_topic(c, k)) {
        int m = same_topic(c, k);
        kw_w_string(o, c->cur.parts[k].topic);
        kw_w_i32(o, m);
        for (int j = k; j < k + m; j++) {
            kw_w_i32(o, c->cur.parts[j].p);
            kw_w_i16(o, c->cur.parts[j].err);
            kw_w_i64(o, -1);                    /* timestamp */
            kw_w_i64(o, c->cur.parts[j].offset);
        }
    }
    kw_end(o, at);
    rk_done(h, c);
}

/* CreateTopicsResponse v2 (name, error, message) or DeleteTopicsResponse
 * v1 (name, error), after the throttle time. */
static void answer_admin(real_khub *h, kconn *c)
{
    wbuf *o = &c->out;
    size_t at = kw_begin(o, c->cur.corr);
    kw_w_i32(o, 0);                             /* throttle_time_ms */
    kw_w_i32(o, c->cur.nparts);
    for (int i = 0; i < c->cur.nparts; i++) {
        const kcpart *pt = &c->cur.parts[i];
        kw_w_string(o, pt->topic);
        kw_w_i16(o, pt->err);
        if (c->cur.version == 2) kw_w_string(o, pt->err ? pt->why : NULL);
    }
    kw_end(o, at);
    rk_done(h, c);
}

static void on_admin(real_khub *h, kconn *c, uint64_t corr, rbuf *r)
{
    if (corr < c->cur.lab_corr || corr - c->cur.lab_corr >= (uint64_t)c->cur.nparts) return;
    kcpart *pt = &c->cur.parts[corr - c->cur.lab_corr];
    if (pt->local || pt->offset) return;        /* answered already */
    pt->offset = 1;
    kerr e = (kerr)r_u8(r);
    pt->err = code_of(e);
    pt->why = e ? kerr_name(e) : NULL;
    if (--c->cur.left == 0) answer_admin(h, c);
}

void rk_lab_answer(real_khub *h, kconn *c, uint32_t type, const uint8_t *d, size_t n)
{
    if (!c->cur.busy) return;
    rbuf r = rbuf_of(d, n);
    uint64_t corr = r_u64(&r);
    if (r.bad) return;
    if (type == KMSG_LIST_OFFSETS_RESP && c->cur.kind == KC_OFFSETS) {
        on_offset(h, c, corr, &r);
        return;
    }
    if (type == KMSG_ADMIN_RESP && c->cur.kind == KC_ADMIN) {
        on_admin(h, c, corr, &r);
        return;
    }
    if (corr != c->cur.lab_corr) return;       /* an older request's */
    c->cur.left--;
    switch (type) {
    case KMSG_METADATA_RESP:
        if (c->cur.kind == KC_APIV) on_api_versions(h, c);
        else if (c->cur.kind == KC_META) on_metadata(h, c, &r);
        break;
    case KMSG_PRODUCE_RESP:
        if (c->cur.kind == KC_PRODUCE) on_produce(h, c, &r);
        break;
    case KMSG_FETCH_RESP:
        if (c->cur.kind == KC_FETCH) on_fetch(h, c, d, n);
        break;
    default:
        break;
    }
}
