/* kafka_client: the client's metadata cache, its request bookkeeping and
 * the three operations. A 100 ms tick drives retries while an operation
 * runs (retry.backoff.ms); requests time out after request.timeout.ms, or
 * the connection setup timeout for a broker never reached. */
#include "kafka_client.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OP_NONE, OP_SEND, OP_READ, OP_ADMIN };
enum { R_PENDING, R_INFLIGHT, R_ACKED, R_FAILED };
enum { STICKY_BATCH = 10 };     /* keyless records per partition in a row */

typedef struct crec {
    uint64_t rid;
    char *key, *value;
    int p;
    bool fixed;                 /* p was asked for, not picked */
    int state;
    int64_t offset;
    kerr err;
} crec;

typedef struct cmeta {
    char *name;
    kerr err;                   /* of the topic in the last metadata */
    int nparts;
    kafka_pstate *st;
} cmeta;

typedef struct creq {
    uint64_t corr;
    int node;
    uint64_t sent_us, timeout_us;
    int p;                      /* produce: partition */
    bool meta;                  /* a Metadata request */
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
    int retried[KERR_COUNT];    /* this send: records answered with each
                                   retriable error on the way */
    int rr;                     /* sticky partitioner: records placed so far */
    kerr last_err;
    /* read */
    int rp, rmax;
    int64_t roffset;
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
                                .max_block_ms = 60000, .connect_timeout_ms = 10000 };
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
    *r = (creq){ ++c->corr, node, now(c), t * 1000, p, meta };
    return r;
}

static void req_drop(kafka_client *c, int i)
{
    c->reqs[i] = c->reqs[--c->nreqs];
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
        }
        free(m->st);
        m->st = NULL;
        m->err = err;
        m->nparts = err ? 0 : np;
        if (m->nparts) m->st = xcalloc((size_t)np, sizeof *m->st);
        for (int p = 0; p < m->nparts; p++) kafka_pstate_read(r, &m->st[p]);
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
    c->op = OP_NONE;
}

static void send_produce(kafka_client *c, int p, int leader_node)
{
    int n = 0;
    for (int i = 0; i < c->nrecs; i++)
        n += c->recs[i].p == p && c->recs[i].state == R_PENDING;
    if (n > 1000) n = 1000;
    creq *q = req_add(c, leader_node, false, p);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, q->corr);
    w_str(&w, c->topic);
    w_u32(&w, (uint32_t)p);
    w_u8(&w, (uint8_t)(int8_t)c->cfg.acks);
    w_u32(&w, c->cfg.request_timeout_ms);
    w_u32(&w, (uint32_t)n);
    int k = 0;
    for (int i = 0; i < c->nrecs && k < n; i++) {
        crec *r = &c->recs[i];
        if (r->p != p || r->state != R_PENDING) continue;
        w_u64(&w, r->rid);
        w_str(&w, r->key);
        w_str(&w, r->value);
        r->state = c->cfg.acks == 0 ? R_ACKED : R_INFLIGHT;
        k++;
    }
    sim_send(c->s, c->node, leader_node, KMSG_PRODUCE, w.data, w.len);
    wbuf_free(&w);
    if (c->cfg.acks == 0) req_drop(c, c->nreqs - 1);
}

static bool partition_busy(const kafka_client *c, int p)
{
    for (int i = 0; i < c->nreqs; i++)
        if (!c->reqs[i].meta && c->reqs[i].p == p) return true;
    return false;
}

static void fail_all(kafka_client *c, kerr e)
{
    for (int i = 0; i < c->nrecs; i++)
        if (c->recs[i].state == R_PENDING || c->recs[i].state == R_INFLIGHT) {
            c->recs[i].state = R_FAILED;
            c->recs[i].err = e;
        }
}

static void pump_send(kafka_client *c)
{
    cmeta *m = meta_of(c, c->topic);
    bool waiting = false;
    for (int i = 0; i < c->nrecs; i++)
        waiting |= c->recs[i].state == R_PENDING || c->recs[i].state == R_INFLIGHT;
    if (!waiting) { finish(c); return; }
    if (now(c) >= c->op_deadline_us) {
        fail_all(c, c->last_err ? c->last_err : KERR_TIMEOUT);
        c->nreqs = 0;
        finish(c);
        return;
    }
    if (!m || m->nparts == 0) {
        if (now(c) >= c->op_start_us + (uint64_t)c->cfg.max_block_ms * 1000) {
            fail_all(c, KERR_TIMEOUT);     /* "not present in metadata" */
            finish(c);
            return;
        }
        request_metadata(c);
        return;
    }
    for (int i = 0; i < c->nrecs; i++) {
        crec *r = &c->recs[i];
        if (r->p >= m->nparts && r->state == R_PENDING) {
            if (r->fixed) {         /* the partition asked for does not exist */
                r->state = R_FAILED;
                r->err = KERR_UNKNOWN_TOPIC_OR_PARTITION;
            } else {
                r->p = -1;          /* the topic shrank (made again): re-pick */
            }
        }
        /* keyless records: the sticky partitioner of Kafka 2.4+ (KIP-480)
         * fills one partition's batch, then moves on; a batch here is
         * STICKY_BATCH records */
        if (r->p < 0) r->p = (c->rr++ / STICKY_BATCH) % m->nparts;
    }
    for (int p = 0; p < m->nparts; p++) {
        bool any = false;
        for (int i = 0; i < c->nrecs && !any; i++)
            any = c->recs[i].p == p && c->recs[i].state == R_PENDING;
        if (!any || partition_busy(c, p) || now(c) < c->retry_after_us) continue;
        int node = m->st[p].leader >= 0 ? node_of(c, m->st[p].leader) : -1;
        if (node < 0) {
            c->last_err = KERR_LEADER_NOT_AVAILABLE;
            refresh_later(c);
            continue;
        }
        send_produce(c, p, node);
    }
    if (c->meta_stale) request_metadata(c);
    if (c->cfg.acks == 0) pump_send(c);
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
        for (int k = 0; k < c->nrecs; k++)
            if (c->recs[k].p == q->p && c->recs[k].state == R_INFLIGHT && !q->meta)
                c->recs[k].state = R_PENDING;
        c->last_err = q->meta ? KERR_TIMEOUT : KERR_REQUEST_TIMED_OUT;
        if (!q->meta) refresh_later(c);
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

static void on_produce_resp(kafka_client *c, int i, rbuf *r)
{
    char topic[128];
    r_str(r, topic, sizeof topic);
    int p = (int)r_u32(r);
    kerr err = (kerr)r_u8(r);
    int64_t base = r_i64(r);
    int k = 0;
    for (int j = 0; j < c->nrecs; j++) {
        crec *rec = &c->recs[j];
        if (rec->p != p || rec->state != R_INFLIGHT) continue;
        if (!err) {
            rec->state = R_ACKED;
            rec->offset = base + k++;
            if (c->hooks.acked)
                c->hooks.acked(c->hooks.ctx, topic, p, rec->offset, rec->rid,
                               c->cfg.acks);
        } else if (kerr_retriable(err)) {
            rec->state = R_PENDING;
            rec->err = err;
            if (err < KERR_COUNT) c->retried[err]++;
        } else {
            rec->state = R_FAILED;
            rec->err = err;
        }
    }
    if (err) {
        c->last_err = err;
        refresh_later(c);
    }
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
        for (int k = 0; k < c->nrecs; k++)
            if (c->recs[k].p == c->reqs[i].p && c->recs[k].state == R_INFLIGHT)
                c->recs[k].state = R_PENDING;
        c->last_err = KERR_NETWORK_EXCEPTION;
        refresh_later(c);
        req_drop(c, i);
    }
    pump(c);
}

static void clear_op(kafka_client *c)
{
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
    clear_op(c);
    for (int i = 0; i < c->nmeta; i++) {
        free(c->meta[i].name);
        free(c->meta[i].st);
    }
    free(c->meta);
    free(c->live);
    free(c->reqs);
    free(c->boot);
    free(c->connected);
    free(c);
}

static void on_crash(void *self)
{
    kafka_client *c = self;
    c->nreqs = 0;
    c->op = OP_NONE;
    c->tick_on = false;
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
    c->recs = xcalloc((size_t)n, sizeof *c->recs);
    c->nrecs = n;
    for (int i = 0; i < n; i++) {
        crec *r = &c->recs[i];
        char buf[48];
        r->rid = ((uint64_t)c->node << 40) | ++c->seq;
        r->p = p;
        r->fixed = p >= 0;
        r->offset = -1;
        snprintf(buf, sizeof buf, "v%llu", (unsigned long long)c->seq);
        r->key = key ? xstrdup(key) : NULL;
        r->value = xstrdup(value ? value : buf);
        if (key && p < 0) {
            cmeta *m = meta_of(c, topic);
            if (m && m->nparts) r->p = (int)(wire_hash(key, strlen(key), 0) % (uint64_t)m->nparts);
        }
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
