/* kafka_client: the client's metadata cache, its request bookkeeping and
 * the three operations. A 100 ms tick drives retries while an operation
 * runs (retry.backoff.ms); requests time out after request.timeout.ms, or
 * the connection setup timeout for a broker never reached. The producer
 * is Kafka's: records go into batches (kafka_accum) once metadata is
 * known, and a sender drains them per broker (Sender.sendProducerData). */
#include "kafka_client.h"
#include "kafka_accum.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OP_NONE, OP_SEND, OP_READ, OP_ADMIN };
/* a record: waiting for metadata, in a batch (queued or in flight), done */
enum { R_NEW, R_BATCHED, R_ACKED, R_FAILED };

typedef struct crec {
    uint64_t rid;
    char *key, *value;          /* value NULL: too large, never copied */
    int64_t key_len, value_len; /* key_len -1: no key */
    int p;                      /* its partition once appended, else -1 */
    int state;
    int64_t offset;
    kerr err;
} crec;

typedef struct cmeta {
    char *name;
    kerr err;                   /* of the topic in the last metadata */
    int nparts;
    kafka_pstate *st;
    int sticky;                 /* StickyPartitionCache's partition, -1 */
} cmeta;

typedef struct cpos {           /* consumer: position in a partition */
    char *topic;
    int p;
    int64_t offset;
} cpos;

typedef struct creq {
    uint64_t corr;
    int node;
    uint64_t sent_us, timeout_us;
    int p;                      /* fetch: partition */
    bool meta;                  /* a Metadata request */
    bool list;                  /* a ListOffsets request */
    kbatch **batches;           /* produce: its batches, NULL once expired */
    int nbatches;
} creq;

struct kafka_client {
    sim *s;
    int node;
    kafka_client_config cfg;
    kafka_hooks hooks;          /* the world's observers (the ledger) */
    int *boot;
    int nboot, boot_next;
    klive *live;                /* brokers metadata named */
    int nlive, live_next;
    int ctrl_id;
    bool *connected;            /* per node */
    cmeta *meta;
    int nmeta, capmeta;
    bool meta_stale;
    uint64_t meta_at_us;        /* last metadata answer */
    uint64_t meta_after_us;     /* backoff before the next refresh */
    uint64_t retry_after_us;    /* retry.backoff.ms after an error */
    creq *reqs;
    int nreqs, capreqs;
    uint64_t corr, seq;
    int op;                     /* OP_* running, OP_NONE when idle */
    uint64_t op_start_us, op_deadline_us;
    char topic[128];
    crec *recs;
    int nrecs;
    int want_p;                 /* send: partition asked for, -1 none */
    kacc *acc;                  /* send: the batches, once metadata came */
    int drain_index;            /* RecordAccumulator.drainIndex */
    uint64_t wakes_us[8];       /* wake-ups set and not yet fired */
    int nwakes;
    int retried[KERR_COUNT];    /* this send: records answered with each
                                   retriable error on the way */
    char fail_msg[400];         /* the first failure's words, "" none */
    long produce_reqs, meta_reqs, batches_made; /* in total, for p:stats */
    kerr last_err;
    /* read */
    int rp, rmax;
    int64_t roffset;            /* -1: the position, still to be found */
    cpos *pos;                  /* positions, by first read */
    int npos, cappos;
    kerr rerr;
    crec *out;
    int nout;
    /* admin */
    int aop, aparts, arf, amin_isr, aunclean;
    kerr aerr;
    bool tick_on;
    uint64_t gen;
    int last_node;              /* broker node of the newest request, -1 */
    long acked_total, failed_total; /* records of finished sends */
};

void kafka_client_config_defaults(kafka_client_config *c)
{
    *c = (kafka_client_config){ .acks = 1, .delivery_timeout_ms = 120000,
                                .request_timeout_ms = 30000, .retry_backoff_ms = 100,
                                .max_block_ms = 60000, .connect_timeout_ms = 10000,
                                .batch_size = 16384, .linger_ms = 0,
                                .max_in_flight = 5, .max_request_size = 1048576 };
}

bool kafka_client_config_check(const kafka_client_config *c, char *why, size_t cap)
{
    /* KafkaProducer.configureDeliveryTimeout: a batch must be able to
     * linger and then wait one request timeout before it expires */
    if ((uint64_t)c->delivery_timeout_ms < (uint64_t)c->linger_ms + c->request_timeout_ms) {
        snprintf(why, cap, "delivery.timeout.ms (%u) should be equal to or larger than "
                 "linger.ms + request.timeout.ms (%u + %u)", c->delivery_timeout_ms,
                 c->linger_ms, c->request_timeout_ms);
        return false;
    }
    if (c->max_in_flight < 1) {
        snprintf(why, cap, "max.in.flight.requests.per.connection must be at least 1");
        return false;
    }
    return true;
}

static uint64_t now(const kafka_client *c) { return sim_now_us(c->s); }

static cmeta *meta_of(kafka_client *c, const char *topic)
{
    for (int i = 0; i < c->nmeta; i++)
        if (strcmp(c->meta[i].name, topic) == 0) return &c->meta[i];
    return NULL;
}

static int node_of(const kafka_client *c, int id)
{
    for (int i = 0; i < c->nlive; i++)
        if (c->live[i].id == id) return c->live[i].node;
    return -1;
}

static bool meta_inflight(const kafka_client *c)
{
    for (int i = 0; i < c->nreqs; i++)
        if (c->reqs[i].meta) return true;
    return false;
}

static creq *req_add(kafka_client *c, int node, bool meta, int p)
{
    VEC_GROW(c->reqs, c->nreqs, c->capreqs);
    creq *r = &c->reqs[c->nreqs++];
    c->last_node = node;
    uint64_t t = c->connected[node] ? c->cfg.request_timeout_ms : c->cfg.connect_timeout_ms;
    *r = (creq){ ++c->corr, node, now(c), t * 1000, p, meta, false, NULL, 0 };
    c->meta_reqs += meta;
    return r;
}

/* Drops request i; its batches must have been handed on already. */
static void req_drop(kafka_client *c, int i)
{
    free(c->reqs[i].batches);
    c->reqs[i] = c->reqs[--c->nreqs];
}

static int inflight_to(const kafka_client *c, int node)
{
    int n = 0;
    for (int i = 0; i < c->nreqs; i++) n += c->reqs[i].node == node;
    return n;
}

static int req_find(kafka_client *c, uint64_t corr)
{
    for (int i = 0; i < c->nreqs; i++)
        if (c->reqs[i].corr == corr) return i;
    return -1;
}

/* Metadata: bootstrap brokers in order until one answers, later only the
 * brokers metadata named. */
static void request_metadata(kafka_client *c)
{
    if (meta_inflight(c) || now(c) < c->meta_after_us) return;
    int node;
    if (c->nlive) {
        node = c->live[c->live_next++ % c->nlive].node;
    } else {
        node = c->boot[c->boot_next++ % c->nboot];
    }
    creq *r = req_add(c, node, true, -1);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, r->corr);
    w_u32(&w, 0);
    sim_send(c->s, c->node, node, KMSG_METADATA, w.data, w.len);
    wbuf_free(&w);
}

static void on_metadata(kafka_client *c, int from, rbuf *r)
{
    c->ctrl_id = (int)r_u32(r);
    klive *l;
    int n = kafka_read_live(r, &l);
    if (n > 0) {
        free(c->live);
        c->live = l;
        c->nlive = n;
    } else {
        free(l);
    }
    uint32_t nt = r_u32(r);
    char name[128];
    /* we ask for every topic: one missing from the answer is unknown */
    for (int i = 0; i < c->nmeta; i++) {
        free(c->meta[i].st);
        c->meta[i].st = NULL;
        c->meta[i].nparts = 0;
        c->meta[i].err = KERR_UNKNOWN_TOPIC_OR_PARTITION;
    }
    for (uint32_t i = 0; i < nt && !r->bad; i++) {
        r_str(r, name, sizeof name);
        kerr err = (kerr)r_u8(r);
        int np = (int)r_u32(r);
        cmeta *m = meta_of(c, name);
        if (!m) {
            VEC_GROW(c->meta, c->nmeta, c->capmeta);
            m = &c->meta[c->nmeta++];
            memset(m, 0, sizeof *m);
            m->name = xstrdup(name);
            m->sticky = -1;
        }
        free(m->st);
        m->st = NULL;
        m->err = err;
        m->nparts = err ? 0 : np;
        if (m->nparts) m->st = xcalloc((size_t)np, sizeof *m->st);
        for (int p = 0; p < m->nparts; p++) kafka_pstate_read(r, &m->st[p]);
        if (m->sticky >= m->nparts) m->sticky = -1;     /* made again, smaller */
    }
    c->meta_stale = false;
    c->meta_at_us = now(c);
    /* metadata at most once per retry.backoff.ms */
    c->meta_after_us = now(c) + (uint64_t)c->cfg.retry_backoff_ms * 1000;
    (void)from;
}

static void refresh_later(kafka_client *c)
{
    c->meta_stale = true;
    c->meta_after_us = now(c) + (uint64_t)c->cfg.retry_backoff_ms * 1000;
    c->retry_after_us = c->meta_after_us;
}

/* --- operations --- */

static void finish(kafka_client *c)
{
    if (c->op == OP_SEND)       /* totals for the dashboard's clients panel */
        for (int i = 0; i < c->nrecs; i++) {
            c->acked_total += c->recs[i].state == R_ACKED;
            c->failed_total += c->recs[i].state == R_FAILED;
        }
    kacc_free(c->acc);
    c->acc = NULL;
    c->op = OP_NONE;
}

static void wake(void *self, uint64_t gen);

/* A pump at t (linger end, backoff end, batch expiry), besides the tick. */
static void wake_at(kafka_client *c, uint64_t t)
{
    /* one set at or before t will pump, and whatever still waits asks
     * again then: so timers never pile up for the same moment */
    if (t <= now(c)) return;
    for (int i = 0; i < c->nwakes; i++)
        if (c->wakes_us[i] <= t) return;
    if (c->nwakes == (int)QL_ARRAY_LEN(c->wakes_us)) c->nwakes--;  /* all later: */
    c->wakes_us[c->nwakes++] = t;          /* forgetting one costs a pump */
    sim_timer(c->s, c->node, t - now(c), wake, c->gen);
}

static void fail_rec(kafka_client *c, crec *r, kerr e, const char *msg)
{
    r->state = R_FAILED;
    r->err = e;
    if (msg && !c->fail_msg[0]) snprintf(c->fail_msg, sizeof c->fail_msg, "%s", msg);
}

static void fail_batch(kafka_client *c, kbatch *b, kerr e, const char *msg)
{
    for (int i = 0; i < b->n; i++) fail_rec(c, &c->recs[b->rec[i]], e, msg);
    kbatch_free(b);
}

/* Sender.failBatch for a batch past delivery.timeout.ms */
static void expire_batch(kafka_client *c, kbatch *b)
{
    char msg[400];
    snprintf(msg, sizeof msg, "Expiring %d record(s) for %s-%d:%llu ms has passed "
             "since batch creation", b->n, c->topic, b->p,
             (unsigned long long)((now(c) - b->created_us) / 1000));
    trace_emit(sim_trace(c->s), TR_PRODUCE, c->node, -1, KERR_TIMEOUT, 0, "%s: %s",
               sim_node_name(c->s, c->node), msg);
    fail_batch(c, b, KERR_TIMEOUT, msg);
}

static bool expired(const kafka_client *c, const kbatch *b)
{
    return now(c) - b->created_us >= (uint64_t)c->cfg.delivery_timeout_ms * 1000;
}

/* RecordAccumulator.expiredBatches and Sender.getExpiredInflightBatches */
static void expire_all(kafka_client *c)
{
    uint64_t next = UINT64_MAX;
    for (int p = 0; p < kacc_nparts(c->acc); p++) {
        kbatch *b;
        while ((b = kacc_first(c->acc, p)) && expired(c, b)) expire_batch(c, kacc_pop(c->acc, p));
        if (b && b->created_us < next) next = b->created_us;
    }
    for (int i = 0; i < c->nreqs; i++)
        for (int k = 0; k < c->reqs[i].nbatches; k++) {
            kbatch *b = c->reqs[i].batches[k];
            if (b && expired(c, b)) {
                expire_batch(c, b);
                c->reqs[i].batches[k] = NULL;   /* its answer will find none */
            } else if (b && b->created_us < next) {
                next = b->created_us;
            }
        }
    if (next != UINT64_MAX) wake_at(c, next + (uint64_t)c->cfg.delivery_timeout_ms * 1000);
}

/* InvalidMetadataException's subclasses: the errors that make the
 * producer refresh metadata (Sender.completeBatch); NOT_ENOUGH_REPLICAS
 * and the like are retried without a refresh. */
static bool invalid_metadata(kerr e)
{
    switch (e) {
    case KERR_NOT_LEADER_OR_FOLLOWER: case KERR_LEADER_NOT_AVAILABLE:
    case KERR_UNKNOWN_TOPIC_OR_PARTITION: case KERR_FENCED_LEADER_EPOCH:
    case KERR_NETWORK_EXCEPTION:
        return true;
    default:
        return false;
    }
}

static void rec_lens(void *u, int rec, int64_t *k, int64_t *v)
{
    const crec *r = &((kafka_client *)u)->recs[rec];
    *k = r->key_len;
    *v = r->value_len;
}

/* Sender.completeBatch. broker: the error came in a broker's answer (it
 * counts in `retried`), not from a disconnect or timeout. */
static void complete_batch(kafka_client *c, kbatch *b, kerr err, int64_t base,
                           bool broker)
{
    if (err == KERR_NONE) {
        for (int i = 0; i < b->n; i++) {
            crec *r = &c->recs[b->rec[i]];
            r->state = R_ACKED;
            r->err = KERR_NONE;
            r->offset = base < 0 ? -1 : base + i;
            if (base >= 0 && c->hooks.acked)     /* the world's ledger */
                c->hooks.acked(c->hooks.ctx, c->topic, b->p, r->offset, r->rid,
                               c->cfg.acks);
        }
        kbatch_free(b);
        return;
    }
    c->last_err = err;
    if (err == KERR_MESSAGE_TOO_LARGE && b->n > 1) {   /* split, send again */
        kacc_split(c->acc, b, rec_lens, c);
        return;
    }
    if (!kerr_retriable(err) || expired(c, b)) {
        fail_batch(c, b, err, NULL);
        return;
    }
    if (broker && err < KERR_COUNT) c->retried[err] += b->n;
    for (int i = 0; i < b->n; i++) c->recs[b->rec[i]].err = err;
    if (invalid_metadata(err) || !broker) c->meta_stale = true;
    b->attempts++;              /* ProducerBatch.reenqueued */
    b->attempt_us = now(c);
    kacc_push_front(c->acc, b);
    wake_at(c, now(c) + (uint64_t)c->cfg.retry_backoff_ms * 1000);
}

/* A request that got no answer: its batches go back (or expire). */
static void req_lost(kafka_client *c, int i, kerr err)
{
    creq *q = &c->reqs[i];
    for (int k = 0; k < q->nbatches; k++)
        if (q->batches[k]) complete_batch(c, q->batches[k], err, -1, false);
    q->nbatches = 0;
}

static int leader_node(const kafka_client *c, const cmeta *m, int p)
{
    if (p >= m->nparts || m->st[p].leader < 0) return -1;
    return node_of(c, m->st[p].leader);
}

/* --- appending: KafkaProducer.doSend for each record, in order --- */

static int choose(kafka_client *c, cmeta *m, const crec *r, const bool *avail)
{
    if (c->want_p >= 0) return c->want_p;
    if (r->key) return kafka_key_partition(r->key, (size_t)r->key_len, m->nparts);
    if (m->sticky < 0)
        m->sticky = kafka_sticky_next(sim_node_rng(c->s, c->node), avail, m->nparts, -1, -1);
    return m->sticky;
}

static void append_all(kafka_client *c, cmeta *m)
{
    bool *avail = xcalloc((size_t)m->nparts, sizeof *avail);
    for (int p = 0; p < m->nparts; p++) avail[p] = leader_node(c, m, p) >= 0;
    c->acc = kacc_new(m->nparts, c->cfg.batch_size);
    for (int i = 0; i < c->nrecs; i++) {
        crec *r = &c->recs[i];
        if (r->state != R_NEW) continue;
        int p = choose(c, m, r, avail);
        if (!r->value) {        /* KafkaProducer.ensureValidRecordSize */
            char msg[400];
            snprintf(msg, sizeof msg, "The message is %lld bytes when serialized which is "
                     "larger than %u, which is the value of the max.request.size "
                     "configuration.", (long long)kafka_record_upper_bound(r->key_len, r->value_len),
                     c->cfg.max_request_size);
            fail_rec(c, r, KERR_RECORD_TOO_LARGE, msg);
            continue;
        }
        int got = kacc_append(c->acc, p, i, r->key_len, r->value_len, now(c), true);
        if (got == 0) {         /* a new batch: the sticky partition moves */
            m->sticky = kafka_sticky_next(sim_node_rng(c->s, c->node), avail,
                                          m->nparts, m->sticky, p);
            p = choose(c, m, r, avail);
            got = kacc_append(c->acc, p, i, r->key_len, r->value_len, now(c), false);
        }
        c->batches_made += got == 2;
        r->p = p;
        r->state = R_BATCHED;
    }
    free(avail);
}

/* KafkaProducer.waitOnMetadata: the topic (and the partition asked for)
 * must be in metadata before anything is appended; else, after
 * max.block.ms, the send fails with a timeout. */
static bool wait_metadata(kafka_client *c, cmeta *m)
{
    if (m && m->nparts > 0 && c->want_p < m->nparts) {
        append_all(c, m);
        return true;
    }
    if (now(c) >= c->op_start_us + (uint64_t)c->cfg.max_block_ms * 1000) {
        char msg[400];
        if (m && m->nparts > 0)
            snprintf(msg, sizeof msg, "Partition %d of topic %s with partition count %d "
                     "is not present in metadata after %u ms.", c->want_p, c->topic,
                     m->nparts, c->cfg.max_block_ms);
        else
            snprintf(msg, sizeof msg, "Topic %s not present in metadata after %u ms.",
                     c->topic, c->cfg.max_block_ms);
        for (int i = 0; i < c->nrecs; i++) fail_rec(c, &c->recs[i], KERR_TIMEOUT, msg);
        return false;
    }
    request_metadata(c);
    wake_at(c, c->op_start_us + (uint64_t)c->cfg.max_block_ms * 1000);
    return false;
}

/* --- sending: Sender.sendProducerData --- */

static bool backing_off(const kafka_client *c, const kbatch *b)
{
    return b->attempts > 0 && now(c) - b->attempt_us < (uint64_t)c->cfg.retry_backoff_ms * 1000;
}

/* RecordAccumulator.ready: the leaders with a batch to send now. A
 * partition without a leader holds back its own batches only, and asks
 * for metadata (unknownLeaderTopics). */
static int ready_nodes(kafka_client *c, const cmeta *m, int *nodes, int cap)
{
    int n = 0;
    for (int p = 0; p < kacc_nparts(c->acc); p++) {
        kbatch *b = kacc_first(c->acc, p);
        if (!b) continue;
        int node = leader_node(c, m, p);
        if (node < 0) {
            c->meta_stale = true;
            c->last_err = KERR_LEADER_NOT_AVAILABLE;
            continue;
        }
        bool known = false;
        for (int k = 0; k < n && !known; k++) known = nodes[k] == node;
        if (known) continue;
        bool off = backing_off(c, b);
        uint64_t wait_us = (uint64_t)(off ? c->cfg.retry_backoff_ms : c->cfg.linger_ms) * 1000;
        bool full = kacc_queued(c->acc, p) > 1 || b->closed;
        if ((full || now(c) - b->attempt_us >= wait_us) && !off) {
            if (n < cap) nodes[n++] = node;
        } else {
            wake_at(c, b->attempt_us + wait_us);
        }
    }
    return n;
}

static void write_batch(wbuf *w, const kafka_client *c, const kbatch *b)
{
    w_str(w, c->topic);
    w_u32(w, (uint32_t)b->p);
    w_u32(w, (uint32_t)b->bytes);
    w_u32(w, (uint32_t)b->n);
    for (int i = 0; i < b->n; i++) {
        const crec *r = &c->recs[b->rec[i]];
        w_u64(w, r->rid);
        w_str(w, r->key);
        w_str(w, r->value);
    }
}

/* RecordAccumulator.drainBatchesForOneNode: the oldest batch of each
 * partition node leads, from a rotating start, up to max.request.size;
 * then one Produce request carries them all. */
static bool drain_node(kafka_client *c, const cmeta *m, int node)
{
    int np = kacc_nparts(c->acc);
    kbatch **got = NULL;
    int n = 0, cap = 0;
    int64_t size = 0;
    int start = c->drain_index % np;
    for (int k = 0; k < np; k++) {
        int p = (start + k) % np;
        kbatch *b = kacc_first(c->acc, p);
        if (!b || leader_node(c, m, p) != node || backing_off(c, b)) continue;
        if (n && size + b->bytes > (int64_t)c->cfg.max_request_size) break;
        VEC_GROW(got, n, cap);
        got[n++] = kacc_pop(c->acc, p);
        b->closed = true;
        size += b->bytes;
        c->drain_index = p + 1;
    }
    if (!n) return false;
    creq *q = req_add(c, node, false, -1);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, q->corr);
    w_u8(&w, (uint8_t)(int8_t)c->cfg.acks);
    w_u32(&w, c->cfg.request_timeout_ms);
    w_u32(&w, (uint32_t)n);
    for (int i = 0; i < n; i++) write_batch(&w, c, got[i]);
    sim_send(c->s, c->node, node, KMSG_PRODUCE, w.data, w.len);
    wbuf_free(&w);
    c->produce_reqs++;
    if (c->cfg.acks == 0) {     /* no answer will come: done when sent */
        req_drop(c, c->nreqs - 1);
        for (int i = 0; i < n; i++) complete_batch(c, got[i], KERR_NONE, -1, true);
        free(got);
        return true;
    }
    q->batches = got;
    q->nbatches = n;
    return true;
}

static bool send_waiting(const kafka_client *c)
{
    for (int i = 0; i < c->nrecs; i++)
        if (c->recs[i].state == R_NEW || c->recs[i].state == R_BATCHED) return true;
    return false;
}

static void pump_send(kafka_client *c)
{
    cmeta *m = meta_of(c, c->topic);
    if (!c->acc && !wait_metadata(c, m)) {
        if (!send_waiting(c)) finish(c);
        return;
    }
    expire_all(c);
    /* the Sender loops while it finds a node ready and able to take
     * another request (max.in.flight.requests.per.connection) */
    for (bool sent = m != NULL; sent;) {
        int nodes[64];
        int n = ready_nodes(c, m, nodes, 64);
        sent = false;
        for (int i = 0; i < n; i++)
            if (inflight_to(c, nodes[i]) < c->cfg.max_in_flight)
                sent |= drain_node(c, m, nodes[i]);
    }
    if (!send_waiting(c)) { finish(c); return; }
    if (c->meta_stale) request_metadata(c);
}

static cpos *pos_of(kafka_client *c, const char *topic, int p)
{
    for (int i = 0; i < c->npos; i++)
        if (c->pos[i].p == p && strcmp(c->pos[i].topic, topic) == 0) return &c->pos[i];
    return NULL;
}

static void pos_set(kafka_client *c, const char *topic, int p, int64_t offset)
{
    cpos *q = pos_of(c, topic, p);
    if (!q) {
        VEC_GROW(c->pos, c->npos, c->cappos);
        q = &c->pos[c->npos++];
        *q = (cpos){ xstrdup(topic), p, 0 };
    }
    q->offset = offset;
}

/* No position yet: ListOffsets for auto.offset.reset (Fetcher's
 * resetOffsetsIfNeeded): -1 latest, -2 earliest. */
static void send_list_offsets(kafka_client *c, int node)
{
    creq *q = req_add(c, node, false, c->rp);
    q->list = true;
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, q->corr);
    w_str(&w, c->topic);
    w_u32(&w, (uint32_t)c->rp);
    w_i64(&w, c->cfg.reset_earliest ? -2 : -1);
    sim_send(c->s, c->node, node, KMSG_LIST_OFFSETS, w.data, w.len);
    wbuf_free(&w);
}

static void on_list_offsets_resp(kafka_client *c, int i, rbuf *r)
{
    req_drop(c, i);
    kerr err = (kerr)r_u8(r);
    int64_t offset = r_i64(r);
    if (err) {
        c->last_err = err;
        if (kerr_retriable(err)) {
            refresh_later(c);
        } else {
            c->rerr = err;
            finish(c);
        }
        return;
    }
    pos_set(c, c->topic, c->rp, offset);
    c->roffset = offset;
}

static void pump_read(kafka_client *c)
{
    if (c->nreqs && !meta_inflight(c)) return;      /* a fetch is out */
    if (now(c) >= c->op_deadline_us) {
        c->rerr = c->last_err ? c->last_err : KERR_TIMEOUT;
        finish(c);
        return;
    }
    cmeta *m = meta_of(c, c->topic);
    if (c->meta_at_us >= c->op_start_us && (!m || m->err == KERR_UNKNOWN_TOPIC_OR_PARTITION)) {
        c->rerr = KERR_UNKNOWN_TOPIC_OR_PARTITION;  /* fresh metadata: none */
        finish(c);
        return;
    }
    if (!m || m->nparts == 0 || c->meta_stale) {
        request_metadata(c);
        return;
    }
    if (c->rp < 0 || c->rp >= m->nparts) {
        c->rerr = KERR_UNKNOWN_TOPIC_OR_PARTITION;
        finish(c);
        return;
    }
    int node = m->st[c->rp].leader >= 0 ? node_of(c, m->st[c->rp].leader) : -1;
    if (now(c) < c->retry_after_us) return;
    if (node < 0) {
        c->last_err = KERR_LEADER_NOT_AVAILABLE;
        refresh_later(c);
        return;
    }
    if (c->roffset < 0) {
        cpos *at = pos_of(c, c->topic, c->rp);
        if (!at) {
            send_list_offsets(c, node);
            return;
        }
        c->roffset = at->offset;
    }
    creq *q = req_add(c, node, false, c->rp);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, q->corr);
    w_u32(&w, (uint32_t)-1);
    w_u32(&w, 0);
    w_u32(&w, 1);
    w_str(&w, c->topic);
    w_u32(&w, (uint32_t)c->rp);
    w_u32(&w, (uint32_t)-1);
    w_i64(&w, c->roffset);
    w_u32(&w, (uint32_t)c->rmax);
    sim_send(c->s, c->node, node, KMSG_FETCH, w.data, w.len);
    wbuf_free(&w);
}

static void pump_admin(kafka_client *c)
{
    if (c->nreqs) return;
    if (now(c) >= c->op_deadline_us) {
        c->aerr = c->last_err ? c->last_err : KERR_TIMEOUT;
        finish(c);
        return;
    }
    int node = c->ctrl_id >= 0 ? node_of(c, c->ctrl_id) : -1;
    if (node < 0 || c->meta_stale || !c->nlive) {
        request_metadata(c);
        return;
    }
    if (now(c) < c->retry_after_us) return;
    creq *q = req_add(c, node, false, -1);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, q->corr);
    w_u8(&w, (uint8_t)c->aop);
    w_str(&w, c->topic);
    w_u32(&w, (uint32_t)c->aparts);
    w_u32(&w, (uint32_t)c->arf);
    w_u32(&w, (uint32_t)c->amin_isr);
    w_u32(&w, (uint32_t)c->aunclean);
    sim_send(c->s, c->node, node, KMSG_ADMIN, w.data, w.len);
    wbuf_free(&w);
}

static void tick(void *self, uint64_t gen);

static void pump(kafka_client *c)
{
    /* request timeouts */
    for (int i = 0; i < c->nreqs;) {
        creq *q = &c->reqs[i];
        if (now(c) < q->sent_us + q->timeout_us) { i++; continue; }
        if (!c->connected[q->node] && q->meta)
            trace_emit(sim_trace(c->s), TR_CLIENT, c->node, q->node, 0, 0,
                       "%s: no answer from %s within %u ms",
                       sim_node_name(c->s, c->node), sim_node_name(c->s, q->node),
                       c->cfg.connect_timeout_ms);
        c->last_err = q->meta ? KERR_TIMEOUT : KERR_REQUEST_TIMED_OUT;
        if (!q->meta) refresh_later(c);
        if (q->batches) req_lost(c, i, KERR_REQUEST_TIMED_OUT);
        req_drop(c, i);
    }
    switch (c->op) {
    case OP_SEND: pump_send(c); break;
    case OP_READ: pump_read(c); break;
    case OP_ADMIN: pump_admin(c); break;
    default: break;
    }
    if (c->op != OP_NONE && !c->tick_on) {
        c->tick_on = true;
        sim_timer(c->s, c->node, (uint64_t)c->cfg.retry_backoff_ms * 1000, tick, c->gen);
    }
}

static void tick(void *self, uint64_t gen)
{
    kafka_client *c = self;
    if (gen != c->gen) return;
    c->tick_on = false;
    pump(c);
}

static void wake(void *self, uint64_t gen)
{
    kafka_client *c = self;
    if (gen != c->gen) return;
    for (int i = 0; i < c->nwakes;)         /* the ones due have fired */
        if (c->wakes_us[i] <= now(c)) c->wakes_us[i] = c->wakes_us[--c->nwakes];
        else i++;
    pump(c);
}

/* One answer for the whole request: per partition its error and base
 * offset. A batch that expired meanwhile is gone from the request. */
static void on_produce_resp(kafka_client *c, int i, rbuf *r)
{
    creq *q = &c->reqs[i];
    uint32_t n = r_u32(r);
    char topic[128];
    for (uint32_t k = 0; k < n && !r->bad; k++) {
        r_str(r, topic, sizeof topic);
        int p = (int)r_u32(r);
        kerr err = (kerr)r_u8(r);
        int64_t base = r_i64(r);
        for (int j = 0; j < q->nbatches; j++) {
            kbatch *b = q->batches[j];
            if (!b || b->p != p || strcmp(topic, c->topic) != 0) continue;
            q->batches[j] = NULL;
            complete_batch(c, b, err, base, true);
            break;
        }
    }
    req_lost(c, i, KERR_NETWORK_EXCEPTION);     /* none unanswered, normally */
    req_drop(c, i);
}

static void on_fetch_resp(kafka_client *c, int i, rbuf *r)
{
    req_drop(c, i);
    uint32_t n = r_u32(r);
    char topic[128];
    for (uint32_t k = 0; k < n && !r->bad; k++) {
        r_str(r, topic, sizeof topic);
        r_u32(r);
        kerr err = (kerr)r_u8(r);
        r_i64(r);
        uint32_t nrec = r_u32(r);
        if (err && kerr_retriable(err)) {
            c->last_err = err;
            refresh_later(c);
            return;
        }
        c->rerr = err;
        c->out = xcalloc(nrec + 1, sizeof *c->out);
        for (uint32_t j = 0; j < nrec && !r->bad; j++) {
            r_u32(r);
            c->out[j].rid = r_u64(r);
            c->out[j].key = r_str_dup(r);
            c->out[j].value = r_str_dup(r);
            c->out[j].offset = c->roffset + j;
        }
        c->nout = (int)nrec;
        if (!err) pos_set(c, c->topic, c->rp, c->roffset + nrec);
    }
    finish(c);
}

static void on_recv(void *self, int from, uint32_t type, const uint8_t *data,
                    size_t len)
{
    kafka_client *c = self;
    rbuf r = rbuf_of(data, len);
    uint64_t corr = r_u64(&r);
    int i = req_find(c, corr);
    if (i < 0) return;
    c->connected[from] = true;
    if (type == KMSG_METADATA_RESP) {
        req_drop(c, i);
        on_metadata(c, from, &r);
    } else if (type == KMSG_PRODUCE_RESP && c->op == OP_SEND) {
        on_produce_resp(c, i, &r);
    } else if (type == KMSG_FETCH_RESP && c->op == OP_READ) {
        on_fetch_resp(c, i, &r);
    } else if (type == KMSG_LIST_OFFSETS_RESP && c->op == OP_READ) {
        on_list_offsets_resp(c, i, &r);
    } else if (type == KMSG_ADMIN_RESP && c->op == OP_ADMIN) {
        req_drop(c, i);
        kerr e = (kerr)r_u8(&r);
        if (e == KERR_NOT_CONTROLLER) {
            c->last_err = e;
            refresh_later(c);
        } else {
            c->aerr = e;
            finish(c);
        }
    } else {
        req_drop(c, i);
    }
    pump(c);
}

/* A broker crashed: its connection resets; requests to it fail now. */
static void on_reset(void *self, int peer)
{
    kafka_client *c = self;
    if (peer >= 0 && peer < SIM_NODE_MAX) c->connected[peer] = false;
    for (int i = 0; i < c->nreqs;) {
        if (c->reqs[i].node != peer) { i++; continue; }
        c->last_err = KERR_NETWORK_EXCEPTION;
        refresh_later(c);   /* metadata again after retry.backoff.ms */
        c->meta_stale = true;
        req_lost(c, i, KERR_NETWORK_EXCEPTION);
        req_drop(c, i);
    }
    pump(c);
}

/* Forgets every request and batch (a crash, or the end). */
static void drop_all_reqs(kafka_client *c)
{
    for (int i = 0; i < c->nreqs; i++) {
        for (int k = 0; k < c->reqs[i].nbatches; k++) kbatch_free(c->reqs[i].batches[k]);
        free(c->reqs[i].batches);
    }
    c->nreqs = 0;
    kacc_free(c->acc);
    c->acc = NULL;
}

static void clear_op(kafka_client *c)
{
    kacc_free(c->acc);
    c->acc = NULL;
    c->fail_msg[0] = 0;
    for (int i = 0; i < c->nrecs; i++) {
        free(c->recs[i].key);
        free(c->recs[i].value);
    }
    free(c->recs);
    c->recs = NULL;
    c->nrecs = 0;
    for (int i = 0; i < c->nout; i++) {
        free(c->out[i].key);
        free(c->out[i].value);
    }
    free(c->out);
    c->out = NULL;
    c->nout = 0;
    c->last_err = KERR_NONE;
}

static void on_destroy(void *self)
{
    kafka_client *c = self;
    drop_all_reqs(c);
    clear_op(c);
    for (int i = 0; i < c->nmeta; i++) {
        free(c->meta[i].name);
        free(c->meta[i].st);
    }
    free(c->meta);
    for (int i = 0; i < c->npos; i++) free(c->pos[i].topic);
    free(c->pos);
    free(c->live);
    free(c->reqs);
    free(c->boot);
    free(c->connected);
    free(c);
}

static void on_crash(void *self)
{
    kafka_client *c = self;
    drop_all_reqs(c);
    c->op = OP_NONE;
    c->tick_on = false;
    c->nwakes = 0;
    c->gen++;
}

static const node_ops client_ops = {
    .crash = on_crash, .recv = on_recv, .reset = on_reset, .destroy = on_destroy,
};

kafka_client *kafka_client_new(sim *s, const char *name, const int *bootstrap,
                               int n, const kafka_client_config *cfg,
                               const kafka_hooks *hooks)
{
    kafka_client *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->cfg = *cfg;
    if (hooks) c->hooks = *hooks;
    c->boot = xcalloc((size_t)n + 1, sizeof *c->boot);
    memcpy(c->boot, bootstrap, (size_t)n * sizeof *bootstrap);
    c->nboot = n;
    c->ctrl_id = -1;
    c->connected = xcalloc(SIM_NODE_MAX, sizeof *c->connected);
    kafka_name_msgs(s);
    c->last_node = -1;
    c->node = sim_add_node(s, name, NODE_CLIENT, &client_ops, c);
    if (c->node < 0) {
        on_destroy(c);
        return NULL;
    }
    sim_start_node(s, c->node);
    return c;
}

int kafka_client_node(const kafka_client *c) { return c->node; }
bool kafka_client_busy(const kafka_client *c) { return c->op != OP_NONE; }

static void begin(kafka_client *c, int op, const char *topic, uint64_t timeout_ms)
{
    clear_op(c);
    c->op = op;
    snprintf(c->topic, sizeof c->topic, "%s", topic ? topic : "");
    c->op_start_us = now(c);
    c->op_deadline_us = now(c) + timeout_ms * 1000;
}

bool kafka_client_send(kafka_client *c, const char *topic, int p,
                       const char *key, const char *value, int n)
{
    if (c->op != OP_NONE || n < 1) return false;
    begin(c, OP_SEND, topic, c->cfg.delivery_timeout_ms);
    memset(c->retried, 0, sizeof c->retried);
    c->want_p = p < 0 ? -1 : p;
    c->recs = xcalloc((size_t)n, sizeof *c->recs);
    c->nrecs = n;
    int64_t key_len = key ? (int64_t)strlen(key) : -1;
    int64_t value_len = value ? (int64_t)strlen(value) : 0;
    /* too large for max.request.size (or buffer.memory, 32 MiB): it will
     * fail once metadata is known, so it is never copied */
    int64_t bound = kafka_record_upper_bound(key_len, value_len);
    bool too_large = bound > c->cfg.max_request_size || bound > 33554432;
    for (int i = 0; i < n; i++) {
        crec *r = &c->recs[i];
        char buf[48];
        r->rid = ((uint64_t)c->node << 40) | ++c->seq;
        r->p = -1;
        r->offset = -1;
        snprintf(buf, sizeof buf, "v%llu", (unsigned long long)c->seq);
        r->key = key ? xstrdup(key) : NULL;
        r->key_len = key_len;
        r->value_len = value ? value_len : (int64_t)strlen(buf);
        r->value = too_large ? NULL : xstrdup(value ? value : buf);
    }
    pump(c);
    return true;
}

void kafka_client_send_result(const kafka_client *c, kafka_send_result *out)
{
    memset(out, 0, sizeof *out);
    out->first_offset = -1;
    out->first_partition = c->nrecs ? c->recs[0].p : -1;
    out->first_err = c->nrecs ? c->recs[0].err : KERR_NONE;
    for (int i = 0; i < c->nrecs; i++) {
        if (c->recs[i].state == R_ACKED) {
            out->acked++;
        } else {
            out->failed++;
            out->errors[c->recs[i].err < KERR_COUNT ? c->recs[i].err : 0]++;
        }
    }
    memcpy(out->retried, c->retried, sizeof out->retried);
    if (c->nrecs) out->first_offset = c->recs[0].offset;
    if (c->nrecs && c->recs[0].state == R_ACKED) out->first_err = KERR_NONE;
    out->message = c->fail_msg;
}

int kafka_client_send_count(const kafka_client *c) { return c->nrecs; }

bool kafka_client_send_record(const kafka_client *c, int i, int *p,
                              int64_t *offset)
{
    *p = c->recs[i].p;
    *offset = c->recs[i].offset;
    return c->recs[i].state == R_ACKED;
}

void kafka_client_stats_get(const kafka_client *c, kafka_client_stats *out)
{
    *out = (kafka_client_stats){ .produce_requests = c->produce_reqs,
                                 .metadata_requests = c->meta_reqs,
                                 .batches = c->batches_made };
}

uint64_t kafka_client_send_limit_ms(const kafka_client *c)
{
    /* waitOnMetadata, then the delivery timeout of the last batch */
    return (uint64_t)c->cfg.max_block_ms + c->cfg.delivery_timeout_ms + 1000;
}

bool kafka_client_read(kafka_client *c, const char *topic, int p,
                       int64_t offset, int max)
{
    if (c->op != OP_NONE) return false;
    begin(c, OP_READ, topic, c->cfg.request_timeout_ms);
    c->rp = p;
    c->roffset = offset;
    c->rmax = max;
    c->rerr = KERR_NONE;
    c->meta_stale = true;
    pump(c);
    return true;
}

kerr kafka_client_read_result(const kafka_client *c, int *n)
{
    *n = c->nout;
    return c->rerr;
}

void kafka_client_read_record(const kafka_client *c, int i, int64_t *offset,
                              const char **key, const char **value)
{
    *offset = c->out[i].offset;
    *key = c->out[i].key && c->out[i].key[0] ? c->out[i].key : NULL;
    *value = c->out[i].value;
}

bool kafka_client_admin(kafka_client *c, int op, const char *topic, int parts,
                        int rf, int min_isr, int unclean)
{
    if (c->op != OP_NONE) return false;
    begin(c, OP_ADMIN, topic, c->cfg.request_timeout_ms);
    c->aop = op;
    c->aparts = parts;
    c->arf = rf;
    c->amin_isr = min_isr;
    c->aunclean = unclean;
    c->aerr = KERR_NONE;
    c->meta_stale = true;
    pump(c);
    return true;
}

kerr kafka_client_admin_result(const kafka_client *c) { return c->aerr; }

/* --- read-only views for the dashboard --- */

kafka_client *kafka_client_at(sim *s, int node)
{
    return sim_node_ops(s, node) == &client_ops ? sim_node_self(s, node) : NULL;
}

void kafka_client_view_get(const kafka_client *c, kafka_client_view *out)
{
    *out = (kafka_client_view){
        .boot = c->boot, .nboot = c->nboot, .last_node = c->last_node,
        .busy = c->op != OP_NONE, .acked = c->acked_total,
        .failed = c->failed_total, .last_err = c->last_err,
        .topic = c->topic,
    };
}

int kafka_client_leader_of(const kafka_client *c, const char *topic, int p)
{
    for (int i = 0; i < c->nmeta; i++)
        if (strcmp(c->meta[i].name, topic) == 0)
            return p >= 0 && p < c->meta[i].nparts ? c->meta[i].st[p].leader : -1;
    return -1;
}
