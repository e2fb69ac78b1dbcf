/* kafka_broker: the broker process: its lifecycle, its registration and
 * controller election in ZooKeeper, the requests the controller sends
 * (LeaderAndIsr, UpdateMetadata, StopReplica, fenced by controller
 * epoch) and Metadata answers are in kafka_broker_req.c, the data path in
 * kafka_replica.c, the controller in kafka_ctrl*.c. */
#include "kafka_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CLOSE_WAIT_MS = 2000 };     /* how long a stop waits for the close */

enum { K_MKPATH = 1, K_REGISTER, K_REG_CHECK, K_CTRL_EXISTS, K_CTRL_GET,
       K_EPOCH_GET, K_EPOCH_MADE, K_ELECT, K_ELECT_CHECK, K_SHUT_CTRL, K_CLOSE };

static const char *const persistent_paths[] = {
    "/brokers", "/brokers/ids", "/brokers/topics", "/admin",
    "/admin/delete_topics", "/config", "/config/topics",
    "/isr_change_notification",
};

static void zk_done(void *ctx, const zk_result *res);
static void process_exit(kafka_broker *b);
static void register_self(kafka_broker *b);
static void check_controller(kafka_broker *b);
static void shutdown_to(kafka_broker *b, const zk_result *res);
static void shutdown_failed(kafka_broker *b);

uint64_t kb_now(const kafka_broker *b) { return sim_now_us(b->s); }

void kb_send(kafka_broker *b, int to, uint32_t type, const wbuf *w)
{
    sim_send(b->s, b->node, to, type, w->data, w->len);
}

/* --- topics and replicas --- */

static uint64_t topic_key(const char *name)
{
    return wire_digest(name, strlen(name), 0);
}

/* Every request names its topic: the digests sit in one array, so a
 * lookup reads one cache line instead of each topic and its name. */
ktopic *kb_topic(const kafka_broker *b, const char *name)
{
    uint64_t key = topic_key(name);
    for (int i = b->ntopics - 1; i >= 0; i--)
        if (b->tkeys[i] == key && !b->topics[i]->deleted &&
            strcmp(b->topics[i]->name, name) == 0)
            return b->topics[i];
    return NULL;
}

static void topic_free(ktopic *t)
{
    for (int k = 0; k < t->held; k++) kb_replica_free(t->lr[k]);
    for (int p = 0; p < t->nparts; p++) kmeta_release(t->meta[p]);
    free(t->lp);
    free(t->lr);
    free(t->meta);
    if (t->name != t->name_in) free(t->name);
    free(t);
}

ktopic *kb_topic_make(kafka_broker *b, const char *name, uint64_t id, int nparts)
{
    ktopic *t = kb_topic(b, name);
    if (t && (t->id == id || id == 0)) {
        if (nparts > t->nparts) {
            t->meta = xrealloc(t->meta, (size_t)nparts * sizeof *t->meta);
            memset(t->meta + t->nparts, 0, (size_t)(nparts - t->nparts) * sizeof *t->meta);
            t->nparts = nparts;
        }
        return t;
    }
    if (t) t->deleted = true;           /* deleted and made again */
    b->rep_gen++;
    t = xcalloc(1, sizeof *t);
    size_t len = strlen(name);
    if (len < sizeof t->name_in) t->name = memcpy(t->name_in, name, len + 1);
    else t->name = xstrdup(name);
    t->id = id;
    t->nparts = nparts;
    t->meta = xcalloc((size_t)nparts, sizeof *t->meta);
    t->min_isr = b->cfg.min_isr;
    t->unclean = b->cfg.unclean;
    if (b->ntopics >= b->captopics)
        b->tkeys = xrealloc(b->tkeys, (size_t)(b->captopics ? b->captopics * 2 : 8) *
                            sizeof *b->tkeys);
    VEC_GROW(b->topics, b->ntopics, b->captopics);
    b->tkeys[b->ntopics] = topic_key(name);
    b->topics[b->ntopics++] = t;
    return t;
}

kreplica *kb_replica(const kafka_broker *b, const char *topic, int p)
{
    ktopic *t = kb_topic(b, topic);
    return t ? kb_topic_rep(t, p) : NULL;
}

/* Where p is in t->lp, or where it would go. Replicas are made in
 * partition order (a LeaderAndIsr lists them so): appending is checked
 * first. */
static int local_at(const ktopic *t, int p)
{
    int lo = 0, hi = t->held;
    if (hi > 0 && t->lp[hi - 1] < p) return hi;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (t->lp[mid] < p) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

kreplica *kb_topic_rep(const ktopic *t, int p)
{
    int i = local_at(t, p);
    return i < t->held && t->lp[i] == p ? t->lr[i] : NULL;
}

kreplica *kb_replica_make(ktopic *t, int p)
{
    int i = local_at(t, p);
    if (i < t->held && t->lp[i] == p) return t->lr[i];
    /* cache-line aligned: the fields a fetch reads share three lines,
     * a leader's follower records the next two */
    kreplica *r = aligned_alloc(64, KREPLICA_ALLOC);
    QL_ASSERT(r != NULL);
    memset(r, 0, KREPLICA_ALLOC);
    r->t = t;
    r->p = p;
    r->fetch_leader = -1;
    r->log = kafka_log_init_in(r->logmem);
    if (t->held == t->caplocal) {
        t->caplocal = t->caplocal ? t->caplocal * 2 : 8;
        t->lp = xrealloc(t->lp, (size_t)t->caplocal * sizeof *t->lp);
        t->lr = xrealloc(t->lr, (size_t)t->caplocal * sizeof *t->lr);
    }
    memmove(t->lp + i + 1, t->lp + i, (size_t)(t->held - i) * sizeof *t->lp);
    memmove(t->lr + i + 1, t->lr + i, (size_t)(t->held - i) * sizeof *t->lr);
    t->lp[i] = p;
    t->lr[i] = r;
    t->held++;
    return r;
}

void kb_replica_drop(ktopic *t, int p)
{
    int i = local_at(t, p);
    if (i >= t->held || t->lp[i] != p) return;
    kreplica *r = t->lr[i];
    kb_replica_lead(r, false);
    kb_replica_free(r);
    t->held--;
    memmove(t->lp + i, t->lp + i + 1, (size_t)(t->held - i) * sizeof *t->lp);
    memmove(t->lr + i, t->lr + i + 1, (size_t)(t->held - i) * sizeof *t->lr);
}

void kb_replica_lead(kreplica *r, bool lead)
{
    if (r->leader != lead) r->t->leading += lead ? 1 : -1;
    r->leader = lead;
}

void kb_replica_free(kreplica *r)
{
    if (!r) return;
    kafka_log_fini(r->log);
    free(r->waits);
    if (r->fol != kreplica_fol_inline(r)) free(r->fol);
    free(r);
}

/* Every fetch answer and produce wakes followers by id: with 300 brokers
 * a walk of the list was a few hundred compares each time. */
const klive *kb_live(const kafka_broker *b, int id)
{
    int lo = 0, hi = b->live_by ? b->nlive : 0;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (b->live[b->live_by[mid]].id < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < (b->live_by ? b->nlive : 0) && b->live[b->live_by[lo]].id == id
           ? &b->live[b->live_by[lo]] : NULL;
}

static const klive *sort_live;          /* cmp_live's list, during the sort */

static int cmp_live(const void *x, const void *y)
{
    int a = *(const int *)x, c = *(const int *)y;
    if (sort_live[a].id != sort_live[c].id) return sort_live[a].id < sort_live[c].id ? -1 : 1;
    return a < c ? -1 : a > c;
}

void kb_live_reindex(kafka_broker *b)
{
    free(b->live_by);
    b->live_by = NULL;
    if (b->nlive == 0) return;
    b->live_by = xmalloc((size_t)b->nlive * sizeof *b->live_by);
    bool sorted = true;                 /* the controller's list usually is */
    for (int i = 0; i < b->nlive; i++) {
        b->live_by[i] = i;
        sorted &= i == 0 || b->live[i - 1].id < b->live[i].id;
    }
    if (sorted) return;
    sort_live = b->live;
    qsort(b->live_by, (size_t)b->nlive, sizeof *b->live_by, cmp_live);
    sort_live = NULL;
}

/* --- ZooKeeper calls --- */

kop *kb_op(kafka_broker *b, int kind)
{
    kop *op = xcalloc(1, sizeof *op);
    op->b = b;
    op->kind = kind;
    op->gen = b->zk_gen;
    op->next = b->ops;
    if (b->ops) b->ops->prev = op;
    b->ops = op;
    return op;
}

void kb_op_done(kop *op)
{
    kafka_broker *b = op->b;
    if (op->prev) op->prev->next = op->next;
    else b->ops = op->next;
    if (op->next) op->next->prev = op->prev;
    free(op->str);
    free(op);
}

static void ops_free_all(kafka_broker *b)
{
    while (b->ops) kb_op_done(b->ops);
}

/* arg: the session generation << 8 | what to retry; a retry of an
 * earlier session (the client it would use is gone) is dropped. */
static void retry_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    uint64_t what = arg & 0xff;
    if ((arg >> 8) != b->zk_gen || b->stopping) return;
    if (what == K_REGISTER) register_self(b);
    else check_controller(b);
}

static void register_self(kafka_broker *b)
{
    char path[64], json[192];
    snprintf(path, sizeof path, "/brokers/ids/%d", b->id);
    int n = snprintf(json, sizeof json,
                     "{\"version\":4,\"host\":\"%d\",\"port\":9092,"
                     "\"endpoints\":[\"PLAINTEXT://%d:9092\"],\"jmx_port\":-1",
                     b->id, b->id);
    if (b->rack[0]) n += snprintf(json + n, sizeof json - (size_t)n,
                                  ",\"rack\":\"%s\"", b->rack);
    snprintf(json + n, sizeof json - (size_t)n, "}");
    zk_create(b->zk, path, (const uint8_t *)json, strlen(json), ZF_EPHEMERAL,
              zk_done, kb_op(b, K_REGISTER));
}

static void registered(kafka_broker *b, int64_t czxid)
{
    b->registered = true;
    b->registering = false;
    b->broker_epoch = czxid;
    check_controller(b);
}

static void check_controller(kafka_broker *b)
{
    zk_exists(b->zk, "/controller", true, zk_done, kb_op(b, K_CTRL_EXISTS));
}

static void try_elect(kafka_broker *b)
{
    zk_get(b->zk, "/controller_epoch", false, zk_done, kb_op(b, K_EPOCH_GET));
}

/* KafkaZkClient.maybeCreateControllerEpochZNode: /controller_epoch is
 * made holding 0 at version 0, and every election sets it conditionally,
 * so its version follows the epoch (epoch 1 at version 1). */
static void make_epoch(kafka_broker *b)
{
    zk_create(b->zk, "/controller_epoch", (const uint8_t *)"0", 1, 0, zk_done,
              kb_op(b, K_EPOCH_MADE));
}

static void elect(kafka_broker *b, const zk_result *res)
{
    char tmp[32] = { 0 };
    memcpy(tmp, res->data, res->len < 31 ? res->len : 31);
    long epoch = strtol(tmp, NULL, 10);
    char ctrl[96], ep[24];
    snprintf(ctrl, sizeof ctrl, "{\"version\":1,\"brokerid\":%d,\"timestamp\":\"%llu\"}",
             b->id, (unsigned long long)(kb_now(b) / 1000));
    snprintf(ep, sizeof ep, "%ld", epoch + 1);
    zop ops[2] = {
        { .type = ZOP_CREATE, .path = "/controller", .data = (const uint8_t *)ctrl,
          .len = strlen(ctrl), .flags = ZF_EPHEMERAL },
        { .type = ZOP_SET, .path = "/controller_epoch", .data = (const uint8_t *)ep,
          .len = strlen(ep), .version = res->stat.version },
    };
    kop *op = kb_op(b, K_ELECT);
    op->a = (int)epoch + 1;
    zk_multi(b->zk, ops, 2, zk_done, op);
}

static void became_controller(kafka_broker *b, int32_t epoch, int32_t zkv)
{
    b->ctrl_id = b->id;
    b->ctrl_node = b->node;
    if (epoch > b->ctrl_epoch) b->ctrl_epoch = epoch;
    trace_emit(sim_trace(b->s), TR_CONTROLLER, b->node, -1, (uint64_t)epoch, 0,
               "%d is the controller, epoch %d", b->id, epoch);
    b->ctrl = kc_new(b, epoch, zkv);
}

static void zk_done(void *ctx, const zk_result *res)
{
    kop *op = ctx;
    kafka_broker *b = op->b;
    if (op->kind >= KOP_CTRL_BASE) {
        kc_zk_done(op, res);
        return;
    }
    int kind = op->kind, a = op->a;
    uint64_t op_corr = op->corr;
    bool stale = op->gen != b->zk_gen;
    kb_op_done(op);
    if (stale) return;
    switch (kind) {
    case K_MKPATH:
        if (a) register_self(b);
        break;
    case K_REGISTER:
        if (res->err == ZOK) {
            registered(b, res->stat.czxid);
        } else if (res->err != ZSESSIONEXPIRED) {
            /* NODEEXISTS, or the answer lost with the connection: whose
             * is the znode? (KafkaZkClient.checkedEphemeralCreate) */
            char path[64];
            snprintf(path, sizeof path, "/brokers/ids/%d", b->id);
            zk_get(b->zk, path, false, zk_done, kb_op(b, K_REG_CHECK));
        }
        break;
    case K_REG_CHECK:
        if (res->err == ZOK && res->stat.ephemeral_owner == zk_client_session(b->zk)) {
            registered(b, res->stat.czxid);     /* our create went through */
        } else if (res->err != ZSESSIONEXPIRED) {
            /* an old session of ours still holds it (a fast restart): it
             * goes when that session expires. Kafka's broker would exit
             * here; the lab's waits and tries again. */
            if (res->err == ZOK)
                trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                           "%d: /brokers/ids/%d still held by an old session; "
                           "retrying", b->id, b->id);
            sim_timer(b->s, b->node, 2000000, retry_timer, b->zk_gen << 8 | K_REGISTER);
        }
        break;
    case K_CTRL_EXISTS:
        if (res->err == ZNONODE) try_elect(b);
        else if (res->err == ZOK)
            zk_get(b->zk, "/controller", true, zk_done, kb_op(b, K_CTRL_GET));
        else if (res->err != ZSESSIONEXPIRED)
            sim_timer(b->s, b->node, 1000000, retry_timer, b->zk_gen << 8 | K_CTRL_EXISTS);
        break;
    case K_CTRL_GET:
        if (res->err == ZOK) {
            long id = -1;
            kafka_json_int((const char *)res->data, res->len, "brokerid", &id);
            if (id != b->id && b->ctrl) {      /* we lost it */
                kc_free(b->ctrl);
                b->ctrl = NULL;
            }
            b->ctrl_id = (int)id;
            /* /controller is ours but we do not act: our election's
             * answer was lost with the connection, yet it went through
             * (KafkaZkClient.registerControllerAndIncrementControllerEpoch
             * checks the controller and its epoch then) */
            if (id == b->id && !b->ctrl &&
                res->stat.ephemeral_owner == zk_client_session(b->zk))
                zk_get(b->zk, "/controller_epoch", false, zk_done, kb_op(b, K_ELECT_CHECK));
        } else if (res->err == ZNONODE) {
            try_elect(b);
        } else if (res->err != ZSESSIONEXPIRED) {
            sim_timer(b->s, b->node, 1000000, retry_timer, b->zk_gen << 8 | K_CTRL_EXISTS);
        }
        break;
    case K_EPOCH_GET:
        if (res->err == ZOK) elect(b, res);
        else if (res->err == ZNONODE) make_epoch(b);
        else if (res->err != ZSESSIONEXPIRED)
            sim_timer(b->s, b->node, 1000000, retry_timer, b->zk_gen << 8 | K_CTRL_EXISTS);
        break;
    case K_ELECT_CHECK:
        if (res->err == ZOK && !b->ctrl && b->ctrl_id == b->id) {
            char tmp[32] = { 0 };
            memcpy(tmp, res->data, res->len < 31 ? res->len : 31);
            became_controller(b, (int32_t)strtol(tmp, NULL, 10), res->stat.version);
        } else if (res->err != ZOK && res->err != ZSESSIONEXPIRED) {
            check_controller(b);
        }
        break;
    case K_EPOCH_MADE:
        if (res->err == ZOK || res->err == ZNODEEXISTS) try_elect(b);
        else if (res->err != ZSESSIONEXPIRED)
            sim_timer(b->s, b->node, 1000000, retry_timer, b->zk_gen << 8 | K_CTRL_EXISTS);
        break;
    case K_ELECT:
        if (res->err == ZOK) {
            int32_t zkv = res->nresults > 1 ? res->results[1].stat.version : 0;
            became_controller(b, a, zkv);
        } else if (res->err != ZSESSIONEXPIRED) {
            check_controller(b);   /* someone else won, or epoch moved */
        }
        break;
    case K_SHUT_CTRL:
        if (op_corr == b->shut_corr && !b->stop_done) shutdown_to(b, res);
        break;
    case K_CLOSE:
        process_exit(b);
        break;
    }
}

static void on_watch(void *ctx, zevent ev, const char *path)
{
    kafka_broker *b = ctx;
    if (strcmp(path, "/controller") == 0) {
        if (ev == ZEV_DELETED && b->ctrl) {
            kc_free(b->ctrl);
            b->ctrl = NULL;
        }
        if (!b->stopping) check_controller(b);
        return;
    }
    if (b->ctrl) kc_watch(b->ctrl, ev, path);
}

static void new_session(kafka_broker *b);

static void rebuild_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    new_session(b);
    zk_client_start(b->zk);
    /* a controlled shutdown's /controller read died with the session:
     * that attempt failed */
    if (b->stopping && !b->stop_done && b->shut_corr) shutdown_failed(b);
}

static void on_state(void *ctx, zk_client_state st)
{
    kafka_broker *b = ctx;
    if (st == ZKC_CONNECTED && !b->registered && !b->registering && !b->stopping) {
        b->registering = true;
        int n = (int)QL_ARRAY_LEN(persistent_paths);
        for (int i = 0; i < n; i++) {
            kop *op = kb_op(b, K_MKPATH);
            op->a = i == n - 1;
            zk_create(b->zk, persistent_paths[i], NULL, 0, 0, zk_done, op);
        }
    } else if (st == ZKC_EXPIRED) {
        /* the broker keeps serving as it was (Kafka does too); it resigns
         * the controller role and registers again with a new session */
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                   "%d: ZooKeeper session expired; re-registering", b->id);
        if (b->ctrl) {
            kc_free(b->ctrl);
            b->ctrl = NULL;
        }
        b->registered = false;
        sim_timer(b->s, b->node, 0, rebuild_timer, 0);
    }
}

static void new_session(kafka_broker *b)
{
    ops_free_all(b);
    zk_client_free(b->zk);
    b->zk_gen++;
    b->registering = false;
    b->zk = zk_client_new(b->s, b->node, b->zk_nodes, b->nzk,
                          b->cfg.session_timeout_ms);
    /* ZooKeeperClient's semaphore: a new controller reading 100,000
     * partition states waits on it (KafkaZkClient.getTopicPartitionStates) */
    zk_client_set_max_inflight(b->zk, (int)b->cfg.zk_max_inflight);
    zk_client_on_watch(b->zk, on_watch, b);
    zk_client_on_state(b->zk, on_state, b);
}

/* --- controlled shutdown --- */

/* KafkaServer.controlledShutdown: up to controlled.shutdown.max.retries
 * attempts in all; an attempt fails when no controller is known, when the
 * request times out, or when the answer leaves partitions to move, and
 * each failure is followed by controlled.shutdown.retry.backoff.ms. After
 * the last failure and its backoff the broker stops anyway. */
static void shutdown_next(void *self, uint64_t corr);

static void shutdown_failed(kafka_broker *b)
{
    b->shut_corr = ++b->corr;           /* voids the attempt's timeout */
    sim_timer(b->s, b->node, (uint64_t)b->cfg.shutdown_backoff_ms * 1000,
              shutdown_next, b->shut_corr);
}

static void shutdown_timeout(void *self, uint64_t corr)
{
    kafka_broker *b = self;
    if (b->stop_done || corr != b->shut_corr) return;
    shutdown_failed(b);
}

/* An attempt starts by reading /controller: KafkaServer asks ZooKeeper for
 * the controller each time rather than trusting what it last heard. */
static void send_shutdown(kafka_broker *b)
{
    b->shutdown_tries++;
    b->shut_corr = ++b->corr;
    kop *op = kb_op(b, K_SHUT_CTRL);
    op->corr = b->shut_corr;
    zk_get(b->zk, "/controller", false, zk_done, op);
}

static void shutdown_to(kafka_broker *b, const zk_result *res)
{
    long id = -1;
    char name[16];
    if (res->err == ZOK)
        kafka_json_int((const char *)res->data, res->len, "brokerid", &id);
    snprintf(name, sizeof name, "%ld", id);
    int node = id >= 0 ? sim_find_node(b->s, name) : -1;
    if (node < 0) {
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                   "%d: controlled shutdown: no controller registered", b->id);
        shutdown_failed(b);
        return;
    }
    b->ctrl_node = node;
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, b->shut_corr);
    w_u32(&w, (uint32_t)b->id);
    w_i64(&w, b->broker_epoch);
    kb_send(b, b->ctrl_node, KMSG_SHUTDOWN, &w);
    wbuf_free(&w);
    sim_timer(b->s, b->node, (uint64_t)b->cfg.request_timeout_ms * 1000,
              shutdown_timeout, b->shut_corr);
}

static void exit_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    (void)arg;
    sim_exit(b->s, b->node);    /* the process ends: its sockets close */
}

/* The session is closed (or closing took too long): the process exits,
 * as KafkaServer's shutdown ends the JVM; never a zombie that holds no
 * session. From a timer, so nothing of ours is on the stack. */
static void process_exit(kafka_broker *b)
{
    if (b->stop_done) return;
    b->stop_done = true;
    sim_timer(b->s, b->node, 0, exit_timer, 0);
}

static void close_wait_timer(void *self, uint64_t arg)
{
    (void)arg;
    process_exit(self);
}

/* The end of a clean stop: replicas stop (no more fetching, waiting
 * produces answered), the controller role ends, and the session closes
 * at once, so the ensemble deletes our ephemerals (/brokers/ids/<id> and,
 * if we held it, /controller) without waiting for a timeout. */
static void close_session(kafka_broker *b)
{
    if (b->stop_done || b->shut_corr == 0) return;
    b->shut_corr = 0;           /* voids pending retries and answers */
    if (b->ctrl) {
        kc_free(b->ctrl);
        b->ctrl = NULL;
    }
    for (int i = 0; i < b->ntopics; i++)
        for (int k = 0; k < b->topics[i]->held; k++) kr_stop(b, b->topics[i]->lr[k]);
    trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
               "%d: controlled shutdown done; closing its ZooKeeper session", b->id);
    zk_close(b->zk, zk_done, kb_op(b, K_CLOSE));
    /* an ensemble out of reach never answers the close: stop anyway */
    sim_timer(b->s, b->node, CLOSE_WAIT_MS * 1000, close_wait_timer, 0);
}

static void shutdown_next(void *self, uint64_t corr)
{
    kafka_broker *b = self;
    if (b->stop_done || corr != b->shut_corr) return;
    if (b->shutdown_tries >= (int)b->cfg.shutdown_retries) {
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                   "%d: controlled shutdown failed %d times; stopping anyway",
                   b->id, b->shutdown_tries);
        close_session(b);
    } else {
        send_shutdown(b);
    }
}

static void on_shutdown_resp(kafka_broker *b, rbuf *r)
{
    uint64_t corr = r_u64(r);
    kerr err = (kerr)r_u8(r);
    uint32_t remaining = r_u32(r);
    if (r->bad || corr != b->shut_corr || b->stop_done) return;
    if (err == KERR_NONE && remaining == 0) close_session(b);
    else shutdown_failed(b);
}

/* KRaft mode: the controller granted the shutdown (BrokerHeartbeat's
 * shouldShutDown): replicas stop and the process exits. */
void kb_stop_now(kafka_broker *b)
{
    for (int i = 0; i < b->ntopics; i++)
        for (int k = 0; k < b->topics[i]->held; k++) kr_stop(b, b->topics[i]->lr[k]);
    process_exit(b);
}

void kafka_broker_stop(kafka_broker *b)
{
    if (!b->up || b->stopping) return;
    b->stopping = true;
    b->shutdown_tries = 0;
    if (b->kraft) {
        /* a heartbeat asks to shut down (wantShutDown); the controller
         * moves its leaderships (CONTROLLED_SHUTDOWN) and grants once the
         * other brokers have caught up with that */
        if (kbk_stop(b)) {
            trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                       "%d: controlled shutdown begins (heartbeat with wantShutDown)",
                       b->id);
        } else {
            trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                       "%d: never unfenced: no controlled shutdown, it stops at once",
                       b->id);
            kb_stop_now(b);
        }
        return;
    }
    trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
               "%d: controlled shutdown begins", b->id);
    send_shutdown(b);
}

bool kafka_broker_stop_done(const kafka_broker *b)
{
    return b->stop_done || !b->up;
}

/* KafkaServer.controlledShutdown: each attempt waits at most a request
 * timeout, then the backoff; the attempts, then the session's close. */
uint64_t kafka_broker_stop_bound_us(const kafka_broker *b)
{
    if (b->kraft) return (uint64_t)KBK_SHUTDOWN_WAIT_MS * 1000;
    uint64_t attempt_ms = (uint64_t)b->cfg.request_timeout_ms + b->cfg.shutdown_backoff_ms;
    return ((uint64_t)b->cfg.shutdown_retries * attempt_ms + CLOSE_WAIT_MS) * 1000;
}

/* --- the node --- */

static void on_start(void *self)
{
    kafka_broker *b = self;
    b->up = true;
    b->registered = false;
    b->stopping = b->stop_done = false;
    b->shut_corr = 0;
    b->ctrl_id = -1;
    b->ctrl_node = -1;
    if (b->kraft) {
        kbk_start(b);
    } else {
        new_session(b);
        zk_client_start(b->zk);
    }
    b->isr_timer = sim_timer(b->s, b->node, (uint64_t)b->cfg.lag_max_ms * 500,
                             kr_isr_tick, 0);
    b->isr_due_us = kb_now(b) + (uint64_t)b->cfg.lag_max_ms * 500;
}

static void on_crash(void *self)
{
    kafka_broker *b = self;
    b->up = false;
    if (b->kraft) kbk_crash(b);
    else zk_client_crash(b->zk);
    ops_free_all(b);
    if (b->ctrl) {
        kc_free(b->ctrl);
        b->ctrl = NULL;
    }
    kr_crash(b);
    free(b->live);
    b->live = NULL;
    b->nlive = b->caplive = 0;
    kb_live_reindex(b);
    /* the metadata cache is memory; the logs are disk */
    for (int i = 0; i < b->ntopics; i++)
        for (int p = 0; p < b->topics[i]->nparts; p++) {
            kmeta_release(b->topics[i]->meta[p]);
            b->topics[i]->meta[p] = 0;
        }
    b->registered = false;
}

static void on_recv(void *self, int from, uint32_t type, const uint8_t *data,
                    size_t len)
{
    kafka_broker *b = self;
    if (b->kraft ? kbk_recv(b, from, type, data, len)
                 : zk_client_recv(b->zk, from, type, data, len))
        return;
    rbuf r = rbuf_of(data, len);
    switch (type) {
    case KMSG_METADATA: kb_on_metadata(b, from, &r); break;
    case KMSG_PRODUCE: kr_on_produce(b, from, &r); break;
    case KMSG_FETCH: kr_on_fetch(b, from, data, len, false); break;
    case KMSG_LIST_OFFSETS: kr_on_list_offsets(b, from, &r); break;
    case KMSG_FETCH_RESP: kr_on_fetch_resp(b, from, &r); break;
    case KMSG_EPOCH: kr_on_epoch(b, from, &r); break;
    case KMSG_EPOCH_RESP: kr_on_epoch_resp(b, from, &r); break;
    case KMSG_LEADER_AND_ISR: kb_on_leader_and_isr(b, from, &r); break;
    case KMSG_UPDATE_METADATA: kb_on_update_metadata(b, from, &r); break;
    case KMSG_STOP_REPLICA: kb_on_stop_replica(b, from, &r); break;
    case KMSG_ALTER_ISR_RESP: kr_on_alter_resp(b, &r); break;
    case KMSG_SHUTDOWN_RESP: on_shutdown_resp(b, &r); break;
    case KMSG_LEADER_AND_ISR_RESP: case KMSG_UPDATE_METADATA_RESP:
    case KMSG_STOP_REPLICA_RESP:
    case KMSG_ALTER_ISR: case KMSG_SHUTDOWN: case KMSG_ADMIN:
        if (b->ctrl) {
            kc_recv(b->ctrl, from, type, &r);
        } else if (!kafka_is_ctrl_resp(type)) {
            wbuf w;
            wbuf_init(&w);
            w_u64(&w, r_u64(&r));
            w_u8(&w, KERR_NOT_CONTROLLER);
            w_u32(&w, 0);
            kb_send(b, from, type == KMSG_ADMIN ? KMSG_ADMIN_RESP :
                    type == KMSG_SHUTDOWN ? KMSG_SHUTDOWN_RESP : KMSG_ALTER_ISR_RESP, &w);
            wbuf_free(&w);
        }
        break;
    default: break;
    }
}

static void on_reset(void *self, int peer)
{
    kafka_broker *b = self;
    if (b->kraft) kbk_reset(b, peer);
    else zk_client_reset(b->zk, peer);
    kr_reset(b, peer);
}

static void on_destroy(void *self)
{
    kafka_broker *b = self;
    ops_free_all(b);
    kc_free(b->ctrl);
    kr_destroy(b);
    zk_client_free(b->zk);
    kbk_free(b->kraft);
    for (int i = 0; i < b->ntopics; i++) topic_free(b->topics[i]);
    free(b->topics);
    free(b->tkeys);
    free(b->live);
    free(b->live_by);
    free(b->fetchers);
    free(b->fetcher_by);
    free(b);
}

static void on_prefetch(void *self, int from, uint32_t type, const uint8_t *head,
                        size_t len, sim_timer_fn fn, uint64_t arg)
{
    kr_prefetch(self, from, type, head, len, fn, arg);
}

static const node_ops broker_ops = {
    .start = on_start, .crash = on_crash, .recv = on_recv,
    .reset = on_reset, .destroy = on_destroy, .prefetch = on_prefetch,
};

kafka_broker *kafka_broker_new(sim *s, int id, const char *rack,
                               const int *zk_nodes, int nzk,
                               const kafka_config *cfg, const kafka_hooks *hooks)
{
    kafka_broker *b = xcalloc(1, sizeof *b);
    char name[16];
    snprintf(name, sizeof name, "%d", id);
    b->s = s;
    b->id = id;
    b->cfg = *cfg;
    if (hooks) b->hooks = *hooks;
    b->ctrl_id = b->ctrl_node = -1;
    if (rack) snprintf(b->rack, sizeof b->rack, "%s", rack);
    b->nzk = nzk < 16 ? nzk : 16;
    memcpy(b->zk_nodes, zk_nodes, (size_t)b->nzk * sizeof *zk_nodes);
    kafka_name_msgs(s);
    b->node = sim_add_node(s, name, NODE_BROKER, &broker_ops, b);
    if (b->node < 0) {
        free(b);
        return NULL;
    }
    return b;
}

kafka_broker *kafka_broker_new_kraft(sim *s, int id, const char *rack,
                                     const int *ctl_ids, const int *ctl_nodes,
                                     int nctl, const kafka_config *cfg,
                                     const kafka_hooks *hooks)
{
    static const int no_zk[1] = { -1 };
    kafka_broker *b = kafka_broker_new(s, id, rack, no_zk, 0, cfg, hooks);
    if (b) b->kraft = kbk_new(b, ctl_ids, ctl_nodes, nctl);
    return b;
}

bool kafka_broker_kraft(const kafka_broker *b) { return b->kraft != NULL; }
bool kafka_broker_listening(const kafka_broker *b) { return !b->kraft || kbk_running(b); }

int kafka_broker_node(const kafka_broker *b) { return b->node; }
int kafka_broker_id(const kafka_broker *b) { return b->id; }

void kafka_broker_info_get(const kafka_broker *b, kafka_broker_info *out)
{
    memset(out, 0, sizeof *out);
    out->id = b->id;
    out->node = b->node;
    out->up = sim_node_status(b->s, b->node) != NODE_DOWN;
    out->registered = b->registered && out->up;
    out->controller = b->ctrl != NULL && out->up;
    out->controller_epoch = b->ctrl ? kc_epoch(b->ctrl) : 0;
    out->rack = b->rack[0] ? b->rack : NULL;
    out->ctrl_node = out->up ? b->ctrl_node : -1;
    for (int i = 0; i < b->ntopics; i++) {
        ktopic *t = b->topics[i];
        if (t->deleted) continue;
        out->replicas += t->held;
        out->leaders += out->up ? t->leading : 0;
    }
}

int32_t kafka_broker_controller_epoch(const kafka_broker *b)
{
    if (!b->ctrl || sim_node_status(b->s, b->node) == NODE_DOWN) return -1;
    return kc_epoch(b->ctrl);
}

bool kafka_broker_ctrl_sees(const kafka_broker *b, int id)
{
    return b->ctrl && b->up && kc_sees(b->ctrl, id) && kb_live(b, id);
}

bool kafka_broker_replica(const kafka_broker *b, const char *topic, int p,
                          kafka_replica_info *out)
{
    kreplica *r = kb_replica(b, topic, p);
    if (!r) return false;
    out->leader = r->leader;
    out->leader_epoch = r->st.leader_epoch;
    out->leo = kafka_log_leo(r->log);
    out->hw = kafka_log_hw(r->log);
    out->log = r->log;
    return true;
}
