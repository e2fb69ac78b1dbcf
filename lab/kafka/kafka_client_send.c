/* kafka_client_send: the producer as Kafka 2.8's. Records wait for the
 * topic's metadata (KafkaProducer.waitOnMetadata), are given a partition
 * (DefaultPartitioner) and appended to batches (kafka_accum); a sender
 * (Sender.sendProducerData) expires old batches and drains the ready ones
 * per broker, one Produce request each, and completes or retries them by
 * the answer (Sender.completeBatch). */
#include "kafka_client_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
             (unsigned long long)((kcl_now(c) - b->created_us) / 1000));
    trace_emit(sim_trace(c->s), TR_PRODUCE, c->node, -1, KERR_TIMEOUT, 0, "%s: %s",
               sim_node_name(c->s, c->node), msg);
    fail_batch(c, b, KERR_TIMEOUT, msg);
}

static bool expired(const kafka_client *c, const kbatch *b)
{
    return kcl_now(c) - b->created_us >= (uint64_t)c->cfg.delivery_timeout_ms * 1000;
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
    if (next != UINT64_MAX) kcl_wake_at(c, next + (uint64_t)c->cfg.delivery_timeout_ms * 1000);
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
    b->attempt_us = kcl_now(c);
    kacc_push_front(c->acc, b);
    kcl_wake_at(c, kcl_now(c) + (uint64_t)c->cfg.retry_backoff_ms * 1000);
}

/* A request that got no answer: its batches go back (or expire). */
void kcl_req_lost(kafka_client *c, int i, kerr err)
{
    creq *q = &c->reqs[i];
    for (int k = 0; k < q->nbatches; k++)
        if (q->batches[k]) complete_batch(c, q->batches[k], err, -1, false);
    q->nbatches = 0;
}

static int leader_node(const kafka_client *c, const cmeta *m, int p)
{
    if (p >= m->nparts || m->st[p].leader < 0) return -1;
    return kcl_node_of(c, m->st[p].leader);
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
        int got = kacc_append(c->acc, p, i, r->key_len, r->value_len, kcl_now(c), true);
        if (got == 0) {         /* a new batch: the sticky partition moves */
            m->sticky = kafka_sticky_next(sim_node_rng(c->s, c->node), avail,
                                          m->nparts, m->sticky, p);
            p = choose(c, m, r, avail);
            got = kacc_append(c->acc, p, i, r->key_len, r->value_len, kcl_now(c), false);
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
    /* metadata.max.age.ms: Kafka's sender thread refreshes metadata that
     * old even while nothing is sent; this client runs only during an
     * operation, so a send first tries that refresh once (if it fails,
     * the old metadata serves, as it would have) */
    uint64_t age_us = (uint64_t)c->cfg.metadata_max_age_ms * 1000;
    bool tried = c->meta_asked_us >= c->op_start_us && !kcl_meta_inflight(c);
    if (c->meta_at_us && c->meta_at_us < c->op_start_us &&
        c->op_start_us - c->meta_at_us >= age_us && !tried) {
        c->meta_stale = true;
        kcl_request_metadata(c);
        return false;
    }
    if (m && m->nparts > 0 && c->want_p < m->nparts) {
        append_all(c, m);
        return true;
    }
    if (kcl_now(c) >= c->op_start_us + (uint64_t)c->cfg.max_block_ms * 1000) {
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
    kcl_request_metadata(c);
    kcl_wake_at(c, c->op_start_us + (uint64_t)c->cfg.max_block_ms * 1000);
    return false;
}

/* --- sending: Sender.sendProducerData --- */

static bool backing_off(const kafka_client *c, const kbatch *b)
{
    return b->attempts > 0 && kcl_now(c) - b->attempt_us < (uint64_t)c->cfg.retry_backoff_ms * 1000;
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
        if ((full || kcl_now(c) - b->attempt_us >= wait_us) && !off) {
            if (n < cap) nodes[n++] = node;
        } else {
            kcl_wake_at(c, b->attempt_us + wait_us);
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
    creq *q = kcl_req_add(c, node, false, -1);
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
        kcl_req_drop(c, c->nreqs - 1);
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

void kcl_pump_send(kafka_client *c)
{
    cmeta *m = kcl_meta_of(c, c->topic);
    if (!c->acc && !wait_metadata(c, m)) {
        if (!send_waiting(c)) kcl_finish(c);
        return;
    }
    expire_all(c);
    if (kcl_now(c) - c->meta_at_us >= (uint64_t)c->cfg.metadata_max_age_ms * 1000)
        c->meta_stale = true;           /* metadata.max.age.ms, while sending */
    /* the Sender loops while it finds a node ready and able to take
     * another request (max.in.flight.requests.per.connection) */
    for (bool sent = m != NULL; sent;) {
        int nodes[64];
        int n = ready_nodes(c, m, nodes, 64);
        sent = false;
        for (int i = 0; i < n; i++)      /* NetworkClient.ready: not in reconnect backoff */
            if (!kcl_blacked_out(c, nodes[i]) &&
                kcl_inflight_to(c, nodes[i]) < c->cfg.max_in_flight)
                sent |= drain_node(c, m, nodes[i]);
    }
    if (!send_waiting(c)) { kcl_finish(c); return; }
    if (c->meta_stale) kcl_request_metadata(c);
}

/* One answer for the whole request: per partition its error and base
 * offset. A batch that expired meanwhile is gone from the request. */
void kcl_on_produce_resp(kafka_client *c, int i, rbuf *r)
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
    kcl_req_lost(c, i, KERR_NETWORK_EXCEPTION);     /* none unanswered, normally */
    kcl_req_drop(c, i);
}

bool kafka_client_send(kafka_client *c, const char *topic, int p,
                       const char *key, const char *value, int n)
{
    if (c->op != OP_NONE || n < 1) return false;
    kcl_begin(c, OP_SEND, topic, c->cfg.delivery_timeout_ms);
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
    kcl_pump(c);
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

