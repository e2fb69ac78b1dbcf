/* kafka_client: the client's metadata cache, its request bookkeeping,
 * the consumer's and admin's operations and the node itself (the
 * producer's is in kafka_client_send.c). A 100 ms tick drives retries
 * while an operation runs (retry.backoff.ms); requests time out after
 * request.timeout.ms, or the connection setup timeout for a broker never
 * reached. */
#include "kafka_client_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kafka_client_config_defaults(kafka_client_config *c)
{
    *c = (kafka_client_config){ .acks = 1, .delivery_timeout_ms = 120000,
                                .request_timeout_ms = 30000, .retry_backoff_ms = 100,
                                .max_block_ms = 60000, .connect_timeout_ms = 10000,
                                .batch_size = 16384, .linger_ms = 0,
                                .max_in_flight = 5, .max_request_size = 1048576,
                                .metadata_max_age_ms = 300000,
                                .reconnect_backoff_ms = 50,
                                .reconnect_backoff_max_ms = 1000 };
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

cmeta *kcl_meta_of(kafka_client *c, const char *topic)
{
    for (int i = 0; i < c->nmeta; i++)
        if (strcmp(c->meta[i].name, topic) == 0) return &c->meta[i];
    return NULL;
}

int kcl_node_of(const kafka_client *c, int id)
{
    for (int i = 0; i < c->nlive; i++)
        if (c->live[i].id == id) return c->live[i].node;
    return -1;
}

bool kcl_meta_inflight(const kafka_client *c)
{
    for (int i = 0; i < c->nreqs; i++)
        if (c->reqs[i].meta) return true;
    return false;
}

creq *kcl_req_add(kafka_client *c, int node, bool meta, int p)
{
    VEC_GROW(c->reqs, c->nreqs, c->capreqs);
    creq *r = &c->reqs[c->nreqs++];
    c->last_node = node;
    uint64_t t = c->connected[node] ? c->cfg.request_timeout_ms : c->cfg.connect_timeout_ms;
    *r = (creq){ ++c->corr, node, kcl_now(c), t * 1000, p, meta, false, NULL, 0 };
    c->meta_reqs += meta;
    return r;
}

/* Drops request i; its batches must have been handed on already. */
void kcl_req_drop(kafka_client *c, int i)
{
    free(c->reqs[i].batches);
    c->reqs[i] = c->reqs[--c->nreqs];
}

int kcl_inflight_to(const kafka_client *c, int node)
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

/* A connection to node failed (reset, refused, or not set up in time):
 * ClusterConnectionStates.disconnected blacks the node out for
 * reconnect.backoff.ms * 2^failures, capped at reconnect.backoff.max.ms,
 * with +/-20% jitter (ExponentialBackoff), before it is tried again. */
void kcl_conn_failed(kafka_client *c, int node)
{
    if (node < 0 || node >= SIM_NODE_MAX) return;
    double term = c->cfg.reconnect_backoff_ms;
    uint32_t i = 0;
    for (; i < c->conn_failures[node] && term * 2 <= c->cfg.reconnect_backoff_max_ms; i++)
        term *= 2;
    if (i < c->conn_failures[node] && term < c->cfg.reconnect_backoff_max_ms)
        term = c->cfg.reconnect_backoff_max_ms;     /* the fractional last step */
    uint64_t jitter = rng_range(&c->backoff_rng, 800, 1200);    /* per mille */
    c->blackout_us[node] = kcl_now(c) + (uint64_t)(term * (double)jitter);
    c->conn_failures[node]++;
}

bool kcl_blacked_out(const kafka_client *c, int node)
{
    return node >= 0 && node < SIM_NODE_MAX && kcl_now(c) < c->blackout_us[node];
}

/* NetworkClient.leastLoadedNode: the next candidate in turn that is not
 * in reconnect backoff (bootstrap brokers until metadata named brokers);
 * -1 when every one is. */
static int metadata_node(kafka_client *c)
{
    int n = c->nlive ? c->nlive : c->nboot;
    for (int k = 0; k < n; k++) {
        int node = c->nlive ? c->live[c->live_next++ % c->nlive].node
                            : c->boot[c->boot_next++ % c->nboot];
        if (!kcl_blacked_out(c, node)) return node;
    }
    return -1;
}

/* Metadata (DefaultMetadataUpdater.maybeUpdate): one request at a time,
 * none before retry.backoff.ms has passed since the last answer or
 * failure (Metadata.timeToNextUpdate), and none while every broker it
 * could ask is in reconnect backoff: it waits for the first to leave it. */
void kcl_request_metadata(kafka_client *c)
{
    if (kcl_meta_inflight(c) || kcl_now(c) < c->meta_after_us) return;
    int node = metadata_node(c);
    if (node < 0) {
        uint64_t first = UINT64_MAX;
        int n = c->nlive ? c->nlive : c->nboot;
        for (int k = 0; k < n; k++) {
            int b = c->nlive ? c->live[k].node : c->boot[k];
            if (c->blackout_us[b] < first) first = c->blackout_us[b];
        }
        kcl_wake_at(c, first);
        return;
    }
    creq *r = kcl_req_add(c, node, true, -1);
    c->meta_asked_us = kcl_now(c);
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
        cmeta *m = kcl_meta_of(c, name);
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
    c->meta_at_us = kcl_now(c);
    /* metadata at most once per retry.backoff.ms */
    c->meta_after_us = kcl_now(c) + (uint64_t)c->cfg.retry_backoff_ms * 1000;
    (void)from;
}

void kcl_refresh_later(kafka_client *c)
{
    c->meta_stale = true;
    c->meta_after_us = kcl_now(c) + (uint64_t)c->cfg.retry_backoff_ms * 1000;
    c->retry_after_us = c->meta_after_us;
}

/* --- operations --- */

void kcl_finish(kafka_client *c)
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
void kcl_wake_at(kafka_client *c, uint64_t t)
{
    /* one set at or before t will pump, and whatever still waits asks
     * again then: so timers never pile up for the same moment */
    if (t <= kcl_now(c)) return;
    for (int i = 0; i < c->nwakes; i++)
        if (c->wakes_us[i] <= t) return;
    if (c->nwakes == (int)QL_ARRAY_LEN(c->wakes_us)) c->nwakes--;  /* all later: */
    c->wakes_us[c->nwakes++] = t;          /* forgetting one costs a pump */
    sim_timer(c->s, c->node, t - kcl_now(c), wake, c->gen);
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
    creq *q = kcl_req_add(c, node, false, c->rp);
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
    kcl_req_drop(c, i);
    kerr err = (kerr)r_u8(r);
    int64_t offset = r_i64(r);
    if (err) {
        c->last_err = err;
        if (kerr_retriable(err)) {
            kcl_refresh_later(c);
        } else {
            c->rerr = err;
            kcl_finish(c);
        }
        return;
    }
    pos_set(c, c->topic, c->rp, offset);
    c->roffset = offset;
}

static void pump_read(kafka_client *c)
{
    if (c->nreqs && !kcl_meta_inflight(c)) return;      /* a fetch is out */
    if (kcl_now(c) >= c->op_deadline_us) {
        c->rerr = c->last_err ? c->last_err : KERR_TIMEOUT;
        kcl_finish(c);
        return;
    }
    cmeta *m = kcl_meta_of(c, c->topic);
    if (c->meta_at_us >= c->op_start_us && (!m || m->err == KERR_UNKNOWN_TOPIC_OR_PARTITION)) {
        c->rerr = KERR_UNKNOWN_TOPIC_OR_PARTITION;  /* fresh metadata: none */
        kcl_finish(c);
        return;
    }
    if (!m || m->nparts == 0 || c->meta_stale) {
        kcl_request_metadata(c);
        return;
    }
    if (c->rp < 0 || c->rp >= m->nparts) {
        c->rerr = KERR_UNKNOWN_TOPIC_OR_PARTITION;
        kcl_finish(c);
        return;
    }
    int node = m->st[c->rp].leader >= 0 ? kcl_node_of(c, m->st[c->rp].leader) : -1;
    if (kcl_now(c) < c->retry_after_us) return;
    if (node < 0) {
        c->last_err = KERR_LEADER_NOT_AVAILABLE;
        kcl_refresh_later(c);
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
    creq *q = kcl_req_add(c, node, false, c->rp);
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
    if (kcl_now(c) >= c->op_deadline_us) {
        c->aerr = c->last_err ? c->last_err : KERR_TIMEOUT;
        kcl_finish(c);
        return;
    }
    int node = c->ctrl_id >= 0 ? kcl_node_of(c, c->ctrl_id) : -1;
    if (node < 0 || c->meta_stale || !c->nlive) {
        kcl_request_metadata(c);
        return;
    }
    if (kcl_now(c) < c->retry_after_us) return;
    creq *q = kcl_req_add(c, node, false, -1);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, q->corr);
    w_u8(&w, (uint8_t)c->aop);
    w_str(&w, c->topic);
    w_u32(&w, (uint32_t)c->aparts);
    w_u32(&w, (uint32_t)c->arf);
    w_u32(&w, (uint32_t)c->amin_isr);
    w_u32(&w, (uint32_t)c->aunclean);
    w_u32(&w, (uint32_t)c->nareps);
    for (int i = 0; i < c->nareps; i++) w_u32(&w, (uint32_t)c->areps[i]);
    sim_send(c->s, c->node, node, KMSG_ADMIN, w.data, w.len);
    wbuf_free(&w);
}

static void tick(void *self, uint64_t gen);

/* The connection to node is gone (reset, or closed by us when a produce
 * timed out): every request on it fails with NETWORK_EXCEPTION, the
 * producer's batches go back, and metadata is asked again after
 * retry.backoff.ms (NetworkClient.processDisconnection). */
static void disconnect(kafka_client *c, int node)
{
    if (node >= 0 && node < SIM_NODE_MAX) c->connected[node] = false;
    kcl_conn_failed(c, node);
    for (int i = 0; i < c->nreqs;) {
        if (c->reqs[i].node != node) { i++; continue; }
        c->last_err = KERR_NETWORK_EXCEPTION;
        kcl_refresh_later(c);
        c->meta_stale = true;
        kcl_req_lost(c, i, KERR_NETWORK_EXCEPTION);
        kcl_req_drop(c, i);
    }
}

void kcl_pump(kafka_client *c)
{
    /* request timeouts */
    for (int i = 0; i < c->nreqs;) {
        creq *q = &c->reqs[i];
        if (kcl_now(c) < q->sent_us + q->timeout_us) { i++; continue; }
        if (!c->connected[q->node] && q->meta)
            trace_emit(sim_trace(c->s), TR_CLIENT, c->node, q->node, 0, 0,
                       "%s: no answer from %s within %u ms",
                       sim_node_name(c->s, c->node), sim_node_name(c->s, q->node),
                       c->cfg.connect_timeout_ms);
        if (q->batches) {       /* NetworkClient.handleTimedOutRequests */
            disconnect(c, q->node);
            i = 0;
            continue;
        }
        c->last_err = q->meta ? KERR_TIMEOUT : KERR_REQUEST_TIMED_OUT;
        if (!q->meta) kcl_refresh_later(c);
        else c->meta_after_us = kcl_now(c) + (uint64_t)c->cfg.retry_backoff_ms * 1000;
        if (!c->connected[q->node]) kcl_conn_failed(c, q->node);  /* setup timed out */
        kcl_req_drop(c, i);
    }
    switch (c->op) {
    case OP_SEND: kcl_pump_send(c); break;
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
    kcl_pump(c);
}

static void wake(void *self, uint64_t gen)
{
    kafka_client *c = self;
    if (gen != c->gen) return;
    for (int i = 0; i < c->nwakes;)         /* the ones due have fired */
        if (c->wakes_us[i] <= kcl_now(c)) c->wakes_us[i] = c->wakes_us[--c->nwakes];
        else i++;
    kcl_pump(c);
}

static void on_fetch_resp(kafka_client *c, int i, rbuf *r)
{
    kcl_req_drop(c, i);
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
            kcl_refresh_later(c);
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
        if (!err) {
            pos_set(c, c->topic, c->rp, c->roffset + nrec);
            c->read_total += nrec;
        }
    }
    kcl_finish(c);
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
    c->conn_failures[from] = 0;         /* ClusterConnectionStates.ready */
    if (type == KMSG_METADATA_RESP) {
        kcl_req_drop(c, i);
        on_metadata(c, from, &r);
    } else if (type == KMSG_PRODUCE_RESP && c->op == OP_SEND) {
        kcl_on_produce_resp(c, i, &r);
    } else if (type == KMSG_FETCH_RESP && c->op == OP_READ) {
        on_fetch_resp(c, i, &r);
    } else if (type == KMSG_LIST_OFFSETS_RESP && c->op == OP_READ) {
        on_list_offsets_resp(c, i, &r);
    } else if (type == KMSG_ADMIN_RESP && c->op == OP_ADMIN) {
        kcl_req_drop(c, i);
        kerr e = (kerr)r_u8(&r);
        if (e == KERR_NOT_CONTROLLER) {
            c->last_err = e;
            kcl_refresh_later(c);
        } else {
            c->aerr = e;
            kcl_finish(c);
        }
    } else {
        kcl_req_drop(c, i);
    }
    kcl_pump(c);
}

/* A broker crashed: its connection resets; requests to it fail now. */
static void on_reset(void *self, int peer)
{
    kafka_client *c = self;
    disconnect(c, peer);
    kcl_pump(c);
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
    free(c->conn_failures);
    free(c->blackout_us);
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
    c->conn_failures = xcalloc(SIM_NODE_MAX, sizeof *c->conn_failures);
    c->blackout_us = xcalloc(SIM_NODE_MAX, sizeof *c->blackout_us);
    /* its own stream, so the jitter leaves the node's (sticky
     * partitions) as it was */
    rng_seed(&c->backoff_rng, wire_digest(name, strlen(name), 0x6261636bu));
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

void kcl_begin(kafka_client *c, int op, const char *topic, uint64_t timeout_ms)
{
    clear_op(c);
    c->op = op;
    snprintf(c->topic, sizeof c->topic, "%s", topic ? topic : "");
    c->op_start_us = kcl_now(c);
    c->op_deadline_us = kcl_now(c) + timeout_ms * 1000;
}

bool kafka_client_read(kafka_client *c, const char *topic, int p,
                       int64_t offset, int max)
{
    if (c->op != OP_NONE) return false;
    kcl_begin(c, OP_READ, topic, c->cfg.request_timeout_ms);
    c->rp = p;
    c->roffset = offset;
    c->rmax = max;
    c->rerr = KERR_NONE;
    c->meta_stale = true;
    kcl_pump(c);
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

static bool admin_begin(kafka_client *c, int op, const char *topic, int parts,
                        int rf, int min_isr, int unclean)
{
    if (c->op != OP_NONE) return false;
    kcl_begin(c, OP_ADMIN, topic, c->cfg.request_timeout_ms);
    c->aop = op;
    c->aparts = parts;
    c->arf = rf;
    c->amin_isr = min_isr;
    c->aunclean = unclean;
    c->nareps = 0;
    c->aerr = KERR_NONE;
    c->meta_stale = true;
    return true;
}

bool kafka_client_admin(kafka_client *c, int op, const char *topic, int parts,
                        int rf, int min_isr, int unclean)
{
    if (!admin_begin(c, op, topic, parts, rf, min_isr, unclean)) return false;
    kcl_pump(c);
    return true;
}

bool kafka_client_reassign(kafka_client *c, const char *topic, int p,
                           const int *replicas, int n)
{
    bool cancel = !replicas && n == 0;
    if (n < 0 || n > KAFKA_RF_MAX || !admin_begin(c, 4, topic, p, 0, 0, -1))
        return false;
    c->nareps = cancel ? -1 : n;        /* -1: a null list on the wire */
    for (int i = 0; i < n; i++) c->areps[i] = replicas[i];
    kcl_pump(c);
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
        .failed = c->failed_total, .read = c->read_total, .last_err = c->last_err,
        .topic = c->topic, .acks = c->cfg.acks,
        .sends = c->op == OP_SEND || c->acked_total || c->failed_total,
        .reads = c->op == OP_READ || c->read_total,
        .delivery_timeout_ms = c->cfg.delivery_timeout_ms,
        .partition = c->want_p, .keyed = c->nrecs > 0 && c->recs && c->recs[0].key_len >= 0,
    };
}

int kafka_client_leader_of(const kafka_client *c, const char *topic, int p)
{
    for (int i = 0; i < c->nmeta; i++)
        if (strcmp(c->meta[i].name, topic) == 0)
            return p >= 0 && p < c->meta[i].nparts ? c->meta[i].st[p].leader : -1;
    return -1;
}
