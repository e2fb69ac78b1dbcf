/* zk_client: the ZooKeeper client library as ClientCnxn behaves: one
 * session, one server at a time from the connect string (shuffled first,
 * as StaticHostProvider does), pings after a third of the timeout idle,
 * gives up on a server after two thirds of it silent, reconnects to the
 * next server after a random pause of up to a second (and one more second
 * after a full pass over the list), re-registers its watches there
 * (setWatches), and reports CONNECTIONLOSS and SESSIONEXPIRED as the real
 * library does. */
#include "zk_client.h"
#include "zk_proto.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct zkc_req {
    uint32_t xid;
    uint8_t op;
    bool sent;
    bool watch;
    bool permit;                /* holds one of max_inflight's permits */
    zerr fail;                  /* ZOK, or the error to report at once */
    uint64_t deadline_us;       /* unsent: CONNECTIONLOSS after this */
    zk_done_fn done;
    void *ctx;
    wbuf msg;                   /* xid, op, arguments */
    char path[ZPATH_MAX];
} zkc_req;

typedef struct zkc_paths { char **v; int n, cap; } zkc_paths;

struct zk_client {
    sim *s;
    int host;
    int *servers, n;
    uint64_t want_ms;           /* requested session timeout */
    zk_client_state st;
    int cur;                    /* index in servers (shuffled at start) */
    int last_idx;               /* StaticHostProvider.lastIndex: the
                                 * server last connected to */
    bool primed;                /* a server answered once: ClientCnxn's
                                 * isFirstConnect is over */
    int server;                 /* node connected or connecting to, -1 */
    bool awaiting;              /* CONNECT sent, no answer yet */
    uint64_t conn;
    uint32_t slot, gen, tx, rx;
    int64_t session;
    uint64_t timeout_ms;        /* negotiated (requested before) */
    uint64_t last_zxid;         /* highest zxid seen */
    uint64_t attempt_deadline_us, retry_at_us;
    uint64_t last_send_us, last_recv_us;
    uint64_t timer, timer_at;
    zkc_req *reqs;              /* pending requests, oldest first: a
                                 * window into reqs_base */
    zkc_req *reqs_base;         /* the allocation */
    int nreqs, capreqs;         /* capreqs counts from reqs_base */
    int nunsent, nfail;         /* of them not sent, and with fail set:
                                 * reschedule walks the table only when
                                 * some wait unsent (a controller keeps
                                 * 100,000s of sent requests pending) */
    uint32_t next_xid;
    int max_inflight;           /* permits, 0: no limit (see
                                 * zk_client_set_max_inflight) */
    int inflight;               /* requests holding a permit */
    zkc_req *gate;              /* waiting for a permit, oldest first
                                 * from gate[gate_head] */
    int gate_head, ngate, capgate;
    zkc_paths wdata, wexist, wchild;   /* watches to re-register */
    zk_watch_fn wfn; void *wctx;
    zk_state_fn sfn; void *sctx;
    wbuf out;
};

const char *zk_client_state_name(zk_client_state s)
{
    switch (s) {
    case ZKC_CONNECTING: return "CONNECTING";
    case ZKC_CONNECTED: return "CONNECTED";
    case ZKC_EXPIRED: return "EXPIRED";
    case ZKC_CLOSED: return "CLOSED";
    }
    return "?";
}

static uint64_t now_us(const zk_client *c) { return sim_now_us(c->s); }
static uint64_t read_timeout_us(const zk_client *c) { return c->timeout_ms * 2000 / 3; }

/* --- watch registry --- */

static void paths_add(zkc_paths *p, const char *path)
{
    for (int i = 0; i < p->n; i++) if (strcmp(p->v[i], path) == 0) return;
    VEC_GROW(p->v, p->n, p->cap);
    p->v[p->n++] = xstrdup(path);
}

static void paths_del(zkc_paths *p, const char *path)
{
    for (int i = 0; i < p->n; i++) {
        if (strcmp(p->v[i], path) != 0) continue;
        free(p->v[i]);
        p->v[i] = p->v[--p->n];
        return;
    }
}

static void paths_clear(zkc_paths *p)
{
    for (int i = 0; i < p->n; i++) free(p->v[i]);
    p->n = 0;
}

/* --- timer --- */

static void timer_fire(void *self, uint64_t arg);

static void arm_at(zk_client *c, uint64_t at)
{
    if (c->timer && c->timer_at <= at) return;
    if (c->timer) sim_cancel(c->s, c->timer);
    uint64_t now = now_us(c);
    c->timer_at = at > now ? at : now;
    /* the host's node owns the timer and its self is the host, so the
     * client travels in arg */
    c->timer = sim_timer(c->s, c->host, c->timer_at - now, timer_fire,
                         (uint64_t)(uintptr_t)c);
}

static void reschedule(zk_client *c)
{
    if (c->st == ZKC_EXPIRED || c->st == ZKC_CLOSED) {
        if (c->nfail) arm_at(c, now_us(c));
        return;
    }
    uint64_t at = UINT64_MAX;
#define EARLIER(t) do { if ((t) < at) at = (t); } while (0)
    if (c->retry_at_us) EARLIER(c->retry_at_us);
    if (c->awaiting) EARLIER(c->attempt_deadline_us);
    if (c->st == ZKC_CONNECTED) {
        EARLIER(c->last_recv_us + read_timeout_us(c));
        EARLIER(c->last_send_us + read_timeout_us(c) / 2);
    }
    if (c->nfail) EARLIER(now_us(c));
    for (int i = 0; c->nunsent > 0 && i < c->nreqs; i++)
        if (!c->reqs[i].fail && !c->reqs[i].sent) EARLIER(c->reqs[i].deadline_us);
#undef EARLIER
    if (at != UINT64_MAX) arm_at(c, at);
}

/* --- sending --- */

static wbuf *begin(zk_client *c)
{
    wbuf_reset(&c->out);
    w_u64(&c->out, c->conn);
    w_u32(&c->out, c->slot);
    w_u32(&c->out, c->gen);
    w_u32(&c->out, c->tx++);
    return &c->out;
}

static void send_out(zk_client *c, uint32_t type)
{
    sim_send(c->s, c->host, c->server, type, c->out.data, c->out.len);
    c->last_send_us = now_us(c);
}

static void send_req(zk_client *c, zkc_req *q)
{
    wbuf *w = begin(c);
    zk_w_raw(w, q->msg.data, q->msg.len);
    send_out(c, ZC_REQUEST);
    if (!q->sent) c->nunsent--;
    q->sent = true;
}

/* Marks q to fail at once with err (reported by the next timer). */
static void set_fail(zk_client *c, zkc_req *q, zerr err)
{
    if (!q->fail) c->nfail++;
    q->fail = err;
}

/* Removes request i and reports its outcome. The callback may call the
 * client again, so nothing of the table is held across it. */
static void pump(zk_client *c);

static void finish(zk_client *c, int i, const zk_result *r)
{
    zkc_req q = c->reqs[i];
    c->nunsent -= !q.sent;
    c->nfail -= q.fail != ZOK;
    c->inflight -= q.permit;
    /* replies come in order, so the oldest usually goes: slide the window
     * instead of moving thousands of pending requests each time */
    if (i == 0)
        c->reqs++;
    else
        memmove(&c->reqs[i], &c->reqs[i + 1],
                (size_t)(c->nreqs - i - 1) * sizeof *c->reqs);
    c->nreqs--;
    wbuf_free(&q.msg);
    if (q.done) q.done(q.ctx, r);
    pump(c);
}

static void fail_where(zk_client *c, bool (*pick)(const zkc_req *, uint64_t),
                       uint64_t now, zerr err)
{
    for (int i = 0; i < c->nreqs;) {
        if (!pick(&c->reqs[i], now)) { i++; continue; }
        zk_result r = { .err = c->reqs[i].fail ? c->reqs[i].fail : err };
        finish(c, i, &r);
        i = 0;                  /* the table may have changed */
    }
}

static bool pick_sent(const zkc_req *q, uint64_t now) { (void)now; return q->sent; }
static bool pick_all(const zkc_req *q, uint64_t now) { (void)q; (void)now; return true; }
static bool pick_failed(const zkc_req *q, uint64_t now) { (void)now; return q->fail != ZOK; }
static bool pick_late(const zkc_req *q, uint64_t now) { return !q->sent && q->deadline_us <= now; }

static void set_state(zk_client *c, zk_client_state st)
{
    if (c->st == st) return;
    c->st = st;
    trace_emit(sim_trace(c->s), TR_CLIENT, c->host, c->server, (uint64_t)c->session,
               st, "zk session 0x%llx %s", (unsigned long long)c->session,
               zk_client_state_name(st));
    if (c->sfn) c->sfn(c->sctx, st);
}

static void attempt(zk_client *c)
{
    c->retry_at_us = 0;
    c->server = c->servers[c->cur];
    c->conn = rng_next(sim_node_rng(c->s, c->host)) | 1;
    c->tx = c->rx = 0;
    c->awaiting = true;
    uint64_t to = (c->timeout_ms ? c->timeout_ms : c->want_ms) / (uint64_t)c->n;
    c->attempt_deadline_us = now_us(c) + to * 1000;
    wbuf_reset(&c->out);
    w_u64(&c->out, c->conn);
    w_i64(&c->out, c->session);
    w_u32(&c->out, (uint32_t)c->want_ms);
    w_u64(&c->out, c->last_zxid);
    send_out(c, ZC_CONNECT);
}

/* The pause before the next attempt: ClientCnxnSocketNIO.cleanup sleeps
 * 100 ms after every lost connection; StaticHostProvider.next(1000) sleeps
 * a second when it comes back round to the server it last connected to
 * (or to the first of the list, if none ever answered); and
 * ClientCnxn.startConnect sleeps up to a second more before every
 * connection but the first one that reached a server. (A real client
 * facing three refusing ports tried them 0.10 s apart, then 1.10 s.) */
static uint64_t reconnect_delay_us(zk_client *c)
{
    uint64_t us = 100000 + (c->cur == c->last_idx ? 1000000 : 0);
    if (c->primed) us += rng_below(sim_node_rng(c->s, c->host), 1000000);
    return us;
}

/* The connection is gone: fail what was sent, try the next server. */
static void lose(zk_client *c, bool tell)
{
    if (c->server < 0) return;
    if (tell) {
        begin(c);
        send_out(c, ZC_CLOSE_CONN);
    }
    /* a connection whose ConnectResponse never came was never had: say
     * so, rather than that it was lost */
    trace_emit(sim_trace(c->s), TR_CLIENT, c->host, c->server, (uint64_t)c->session,
               0, c->awaiting ? "zk client could not connect to %s" : "zk client lost %s",
               sim_node_name(c->s, c->server));
    c->server = -1;
    c->awaiting = false;
    c->cur = (c->cur + 1) % c->n;
    c->retry_at_us = now_us(c) + reconnect_delay_us(c) + 1;
    set_state(c, ZKC_CONNECTING);
    fail_where(c, pick_sent, 0, ZCONNECTIONLOSS);
    reschedule(c);
}

static void expire(zk_client *c)
{
    c->server = -1;
    c->awaiting = false;
    c->retry_at_us = 0;
    paths_clear(&c->wdata);
    paths_clear(&c->wexist);
    paths_clear(&c->wchild);
    set_state(c, ZKC_EXPIRED);
    fail_where(c, pick_all, 0, ZSESSIONEXPIRED);
}

static void timer_fire(void *self, uint64_t arg)
{
    (void)self;
    zk_client *c = (zk_client *)(uintptr_t)arg;
    c->timer = 0;
    uint64_t now = now_us(c);
    fail_where(c, pick_failed, now, ZOK);
    if (c->st == ZKC_EXPIRED || c->st == ZKC_CLOSED) return;
    if (c->retry_at_us && now >= c->retry_at_us && c->server < 0) {
        attempt(c);
    } else if (c->awaiting && now >= c->attempt_deadline_us) {
        lose(c, true);
    } else if (c->st == ZKC_CONNECTED) {
        if (now - c->last_recv_us >= read_timeout_us(c)) {
            lose(c, true);
        } else if (now - c->last_send_us >= read_timeout_us(c) / 2) {
            begin(c);
            send_out(c, ZC_PING);
        }
    }
    fail_where(c, pick_late, now, ZCONNECTIONLOSS);
    reschedule(c);
}

/* --- receiving --- */

static void send_set_watches(zk_client *c)
{
    if (!c->wdata.n && !c->wexist.n && !c->wchild.n) return;
    wbuf *w = begin(c);
    w_u64(w, c->last_zxid);
    zkc_paths *lists[3] = { &c->wdata, &c->wexist, &c->wchild };
    for (int k = 0; k < 3; k++) {
        w_u32(w, (uint32_t)lists[k]->n);
        for (int i = 0; i < lists[k]->n; i++) w_str(w, lists[k]->v[i]);
    }
    send_out(c, ZC_SET_WATCHES);
}

static void on_connected(zk_client *c, rbuf *r)
{
    uint32_t slot = r_u32(r), gen = r_u32(r);
    int64_t session = r_i64(r);
    uint32_t to = r_u32(r);
    (void)r_u64(r);             /* the server's zxid: see below */
    if (r->bad || !c->awaiting) return;
    c->awaiting = false;
    if (to == 0) { expire(c); return; }
    c->last_idx = c->cur;       /* StaticHostProvider.onConnected */
    c->slot = slot;
    c->gen = gen;
    c->session = session;
    c->timeout_ms = to;
    /* setWatches carries the last zxid this client saw in a reply
     * (ClientCnxn.readResponse: lastZxid moves only with a reply header's
     * zxid; the ConnectResponse has none). Taking the server's zxid here
     * hid every change made while the client was away once this
     * connection broke before its setWatches arrived: the next setWatches
     * named the newer zxid and those watch events never fired (fuzz seed
     * 7509: the controller never heard of a broker that registered then) */
    send_set_watches(c);
    for (int i = 0; i < c->nreqs; i++) if (!c->reqs[i].sent) send_req(c, &c->reqs[i]);
    set_state(c, ZKC_CONNECTED);
    reschedule(c);
}

static void note_watch(zk_client *c, const zkc_req *q, zerr err)
{
    if (!q->watch) return;
    if (err == ZOK) paths_add(q->op == ZKOP_CHILDREN ? &c->wchild : &c->wdata, q->path);
    else if (err == ZNONODE && q->op == ZKOP_EXISTS) paths_add(&c->wexist, q->path);
}

#define JUTE_REPLY_HEADER 16    /* ReplyHeader: xid, zxid, err */
#define JUTE_STAT 68            /* Stat: 6 longs (incl. pzxid), 5 ints */

/* The length a real server puts in front of this reply (jute encoding). */
static size_t reply_len(int op, const zk_result *res)
{
    size_t len = JUTE_REPLY_HEADER;
    if (op == ZKOP_GET) return len + 4 + res->len + JUTE_STAT;
    if (op != ZKOP_CHILDREN) return len;
    len += 4;
    for (int k = 0; k < res->nchildren; k++) len += 4 + strlen(res->children[k]);
    return len;
}

static void on_reply(zk_client *c, rbuf *r)
{
    uint32_t xid = r_u32(r);
    uint64_t zxid = r_u64(r);
    zk_result res = { .err = (zerr)r_u32(r) };
    int i = 0;
    while (i < c->nreqs && !(c->reqs[i].sent && c->reqs[i].xid == xid)) i++;
    if (r->bad || i == c->nreqs) return;
    if (zxid > c->last_zxid) c->last_zxid = zxid;
    zkc_req *q = &c->reqs[i];
    char path[ZPATH_MAX] = "";
    char **names = NULL;
    zop_result results[ZK_MULTI_MAX];
    bool more = r->pos < r->len;
    switch (q->op) {
    case ZKOP_GET: case ZKOP_EXISTS:
        res.len = r_bytes(r, &res.data);
        zk_r_stat(r, &res.stat);
        break;
    case ZKOP_CHILDREN:
        res.nchildren = (int)r_u32(r);
        if (res.nchildren > 0 && !r->bad && (size_t)res.nchildren <= r->len) {
            names = xcalloc((size_t)res.nchildren, sizeof *names);
            for (int k = 0; k < res.nchildren; k++) names[k] = r_str_dup(r);
        } else {
            res.nchildren = 0;
        }
        res.children = names;
        zk_r_stat(r, &res.stat);
        break;
    case ZKOP_CREATE:
        if (more) { r_str(r, path, sizeof path); zk_r_stat(r, &res.stat); res.path = path; }
        break;
    case ZKOP_SET:
        if (more) zk_r_stat(r, &res.stat);
        break;
    case ZKOP_SYNC:
        if (more) { r_str(r, path, sizeof path); res.path = path; }
        break;
    case ZKOP_MULTI:
        res.nresults = more ? (int)r_u32(r) : 0;
        if (res.nresults > ZK_MULTI_MAX) res.nresults = 0;
        for (int k = 0; k < res.nresults; k++) zk_r_result(r, &results[k]);
        res.results = results;
        break;
    default:
        break;
    }
    /* ClientCnxnSocket.readLength refuses a reply over the client's
     * jute.maxbuffer ("Packet len is out of range"): the connection drops
     * and every call waiting on it fails with CONNECTIONLOSS */
    size_t len = reply_len(q->op, &res);
    if (len > ZK_JUTE_MAXBUFFER) {
        if (names) ztree_free_names(names, res.nchildren);
        trace_emit(sim_trace(c->s), TR_CLIENT, c->host, c->server, (uint64_t)c->session,
                   0, "zk client: packet len %zu is out of range (jute.maxbuffer)", len);
        lose(c, true);
        return;
    }
    note_watch(c, q, res.err);
    bool closing = q->op == ZKOP_CLOSE;
    finish(c, i, &res);
    if (names) ztree_free_names(names, res.nchildren);
    if (closing && c->st == ZKC_CONNECTED) {
        c->server = -1;
        set_state(c, ZKC_CLOSED);
        fail_where(c, pick_all, 0, ZSESSIONEXPIRED);
    }
}

static void on_watch(zk_client *c, rbuf *r)
{
    zevent ev = (zevent)r_u8(r);
    char path[ZPATH_MAX];
    r_str(r, path, sizeof path);
    if (r->bad) return;
    if (ev != ZEV_CHILDREN_CHANGED) { paths_del(&c->wdata, path); paths_del(&c->wexist, path); }
    if (ev == ZEV_CHILDREN_CHANGED || ev == ZEV_DELETED) paths_del(&c->wchild, path);
    if (c->wfn) c->wfn(c->wctx, ev, path);
}

bool zk_client_recv(zk_client *c, int from, uint32_t type, const uint8_t *data,
                    size_t len)
{
    if (type < ZC_CONNECT || type >= ZC_END) return false;
    if (from != c->server || c->server < 0) return true;
    rbuf r = rbuf_of(data, len);
    if (r_u64(&r) != c->conn || r.bad) return true;
    c->primed = true;           /* the server's end answered */
    if (type == ZC_CLOSE_CONN) { lose(c, false); return true; }
    if (r_u32(&r) != c->rx++) { lose(c, true); return true; }  /* TCP broke */
    c->last_recv_us = now_us(c);
    switch (type) {
    case ZC_CONNECT_RESP: on_connected(c, &r); break;
    case ZC_REPLY: on_reply(c, &r); break;
    case ZC_WATCH_EVENT: on_watch(c, &r); break;
    default: break;
    }
    return true;
}

/* --- lifecycle --- */

zk_client *zk_client_new(sim *s, int host, const int *servers, int n,
                         uint64_t timeout_ms)
{
    QL_ASSERT(n > 0);
    zk_client *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->host = host;
    c->servers = xmalloc((size_t)n * sizeof *servers);
    memcpy(c->servers, servers, (size_t)n * sizeof *servers);
    c->n = n;
    c->want_ms = timeout_ms;
    c->server = -1;
    zk_proto_name_msgs(s);
    return c;
}

static void forget(zk_client *c)
{
    for (int i = 0; i < c->nreqs; i++) wbuf_free(&c->reqs[i].msg);
    c->nreqs = c->nunsent = c->nfail = 0;
    for (int i = 0; i < c->ngate; i++) wbuf_free(&c->gate[c->gate_head + i].msg);
    c->gate_head = c->ngate = c->inflight = 0;
    c->reqs = c->reqs_base;
    paths_clear(&c->wdata);
    paths_clear(&c->wexist);
    paths_clear(&c->wchild);
    c->timer = 0;
    c->server = -1;
    c->awaiting = false;
    c->retry_at_us = 0;
}

void zk_client_free(zk_client *c)
{
    if (!c) return;
    /* the host lives on (a broker renewing its session): its pending
     * timer must not fire into freed memory */
    if (c->timer) sim_cancel(c->s, c->timer);
    forget(c);
    free(c->reqs_base);
    free(c->gate);
    free(c->wdata.v);
    free(c->wexist.v);
    free(c->wchild.v);
    wbuf_free(&c->out);
    free(c->servers);
    free(c);
}

/* StaticHostProvider shuffles the connect string once, so clients given
 * the same string spread over the servers; the host's rng stream keeps it
 * deterministic. */
static void shuffle_servers(zk_client *c)
{
    rng *r = sim_node_rng(c->s, c->host);
    for (int i = c->n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint64_t)i + 1);
        int t = c->servers[i];
        c->servers[i] = c->servers[j];
        c->servers[j] = t;
    }
}

void zk_client_start(zk_client *c)
{
    forget(c);
    c->st = ZKC_CONNECTING;
    c->session = 0;
    c->timeout_ms = 0;
    c->last_zxid = 0;
    shuffle_servers(c);
    c->cur = 0;
    c->last_idx = 0;            /* next() sets it at the first attempt */
    c->primed = false;
    attempt(c);
    reschedule(c);
}

void zk_client_crash(zk_client *c)
{
    forget(c);              /* the host's timers died with it */
    c->st = ZKC_CONNECTING;
}

void zk_client_reset(zk_client *c, int peer)
{
    if (peer == c->server) lose(c, false);
}

void zk_client_on_watch(zk_client *c, zk_watch_fn fn, void *ctx) { c->wfn = fn; c->wctx = ctx; }
void zk_client_on_state(zk_client *c, zk_state_fn fn, void *ctx) { c->sfn = fn; c->sctx = ctx; }
zk_client_state zk_client_state_get(const zk_client *c) { return c->st; }
int64_t zk_client_session(const zk_client *c) { return c->session; }
uint64_t zk_client_timeout_ms(const zk_client *c) { return c->timeout_ms; }
int zk_client_server(const zk_client *c)
{
    return c->st == ZKC_CONNECTED ? c->server : -1;
}

/* --- operations --- */

/* A new slot at the end of the table, counted unsent. */
static zkc_req *table_add(zk_client *c)
{
    int off = (int)(c->reqs - c->reqs_base);
    /* close the gap only when it is at least as long as what it moves
     * (amortized O(1)); otherwise grow */
    if (off + c->nreqs >= c->capreqs && off > 0 && off >= c->nreqs) {
        memmove(c->reqs_base, c->reqs, (size_t)c->nreqs * sizeof *c->reqs);
        c->reqs = c->reqs_base;
        off = 0;
    }
    if (off + c->nreqs >= c->capreqs) {
        c->capreqs = c->capreqs ? c->capreqs * 2 : 8;
        c->reqs_base = xrealloc(c->reqs_base, (size_t)c->capreqs * sizeof *c->reqs);
        c->reqs = c->reqs_base + off;
    }
    zkc_req *q = &c->reqs[c->nreqs++];
    c->nunsent++;
    return q;
}

static zkc_req *new_req(zk_client *c, uint8_t op, zk_done_fn done, void *ctx)
{
    zkc_req *q = table_add(c);
    *q = (zkc_req){ .xid = ++c->next_xid, .op = op, .done = done, .ctx = ctx };
    w_u32(&q->msg, q->xid);
    w_u8(&q->msg, op);
    return q;
}

static void submit_now(zk_client *c, zkc_req *q)
{
    if (c->st == ZKC_EXPIRED || c->st == ZKC_CLOSED) set_fail(c, q, ZSESSIONEXPIRED);
    else if (c->st == ZKC_CONNECTED) send_req(c, q);
    else q->deadline_us = now_us(c) + (c->timeout_ms ? c->timeout_ms : c->want_ms) * 2000 / 3;
    reschedule(c);
}

/* The permits: Kafka's ZooKeeperClient.handleRequests takes one from a
 * semaphore of zookeeper.max.in.flight.requests before it hands a request
 * to the ZooKeeper client, and the answer's callback gives it back; a
 * caller with more requests waits for permits, in order. q, just made
 * (the table's last), goes out now or waits in the gate, where no
 * deadline runs: the caller blocks before ClientCnxn ever sees it. */
static void submit(zk_client *c, zkc_req *q)
{
    if (c->max_inflight > 0) {
        if (c->inflight >= c->max_inflight || c->ngate > 0) {
            QL_ASSERT(q == &c->reqs[c->nreqs - 1] && !q->sent && !q->fail);
            if (c->gate_head + c->ngate == c->capgate) {
                if (c->gate_head > 0) {         /* slide to the front */
                    memmove(c->gate, c->gate + c->gate_head, (size_t)c->ngate * sizeof *c->gate);
                    c->gate_head = 0;
                }
                if (c->ngate == c->capgate) {
                    c->capgate = c->capgate ? c->capgate * 2 : 16;
                    c->gate = xrealloc(c->gate, (size_t)c->capgate * sizeof *c->gate);
                }
            }
            c->gate[c->gate_head + c->ngate++] = *q;
            c->nreqs--;
            c->nunsent--;
            return;
        }
        c->inflight++;
        q->permit = true;
    }
    submit_now(c, q);
}

/* Permits given back: the oldest waiting requests go out. */
static void pump(zk_client *c)
{
    while (c->ngate > 0 && (c->max_inflight == 0 || c->inflight < c->max_inflight)) {
        zkc_req q = c->gate[c->gate_head++];
        if (--c->ngate == 0) c->gate_head = 0;
        zkc_req *t = table_add(c);
        *t = q;
        t->permit = true;
        c->inflight++;
        submit_now(c, t);
    }
}

void zk_client_set_max_inflight(zk_client *c, int n)
{
    c->max_inflight = n > 0 ? n : 0;
    pump(c);
}

int zk_client_waiting(const zk_client *c) { return c->ngate; }

static void write_op(zk_client *c, uint8_t opc, const zop *op, zk_done_fn done, void *ctx)
{
    zkc_req *q = new_req(c, opc, done, ctx);
    zk_w_ops(&q->msg, op, 1);
    submit(c, q);
}

void zk_create(zk_client *c, const char *path, const uint8_t *data, size_t len,
               uint32_t flags, zk_done_fn done, void *ctx)
{
    zop op = { .type = ZOP_CREATE, .path = path, .data = data, .len = len,
               .version = -1, .flags = flags };
    write_op(c, ZKOP_CREATE, &op, done, ctx);
}

void zk_delete(zk_client *c, const char *path, int32_t version, zk_done_fn done,
               void *ctx)
{
    zop op = { .type = ZOP_DELETE, .path = path, .version = version };
    write_op(c, ZKOP_DELETE, &op, done, ctx);
}

void zk_set(zk_client *c, const char *path, const uint8_t *data, size_t len,
            int32_t version, zk_done_fn done, void *ctx)
{
    zop op = { .type = ZOP_SET, .path = path, .data = data, .len = len,
               .version = version };
    write_op(c, ZKOP_SET, &op, done, ctx);
}

void zk_multi(zk_client *c, const zop *ops, int n, zk_done_fn done, void *ctx)
{
    zkc_req *q = new_req(c, ZKOP_MULTI, done, ctx);
    if (n < 1 || n > ZK_MULTI_MAX) {
        set_fail(c, q, ZBADARGUMENTS);
        reschedule(c);
        return;
    }
    zk_w_ops(&q->msg, ops, n);
    submit(c, q);
}

static void read_op(zk_client *c, uint8_t opc, const char *path, bool watch,
                    zk_done_fn done, void *ctx)
{
    zkc_req *q = new_req(c, opc, done, ctx);
    snprintf(q->path, sizeof q->path, "%s", path ? path : "");
    q->watch = watch;
    w_str(&q->msg, q->path);
    w_u8(&q->msg, watch);
    submit(c, q);
}

void zk_get(zk_client *c, const char *path, bool watch, zk_done_fn done, void *ctx)
{
    read_op(c, ZKOP_GET, path, watch, done, ctx);
}

void zk_exists(zk_client *c, const char *path, bool watch, zk_done_fn done, void *ctx)
{
    read_op(c, ZKOP_EXISTS, path, watch, done, ctx);
}

void zk_children(zk_client *c, const char *path, bool watch, zk_done_fn done,
                 void *ctx)
{
    read_op(c, ZKOP_CHILDREN, path, watch, done, ctx);
}

void zk_sync(zk_client *c, const char *path, zk_done_fn done, void *ctx)
{
    read_op(c, ZKOP_SYNC, path, false, done, ctx);
}

void zk_close(zk_client *c, zk_done_fn done, void *ctx)
{
    zkc_req *q = new_req(c, ZKOP_CLOSE, done, ctx);
    submit_now(c, q);           /* ZooKeeper.close takes no permit */
}

/* --- a stand-alone client process --- */

typedef struct zkc_node { zk_client *c; } zkc_node;

static void node_start(void *self) { zk_client_start(((zkc_node *)self)->c); }
static void node_crash(void *self) { zk_client_crash(((zkc_node *)self)->c); }
static void node_reset(void *self, int peer) { zk_client_reset(((zkc_node *)self)->c, peer); }
static void node_recv(void *self, int from, uint32_t type, const uint8_t *d, size_t n)
{
    zk_client_recv(((zkc_node *)self)->c, from, type, d, n);
}
static void node_destroy(void *self)
{
    zk_client_free(((zkc_node *)self)->c);
    free(self);
}

static const node_ops client_ops = {
    .start = node_start, .crash = node_crash, .recv = node_recv,
    .reset = node_reset, .destroy = node_destroy,
};

zk_client *zk_client_node_new(sim *s, const char *name, const int *servers,
                              int n, uint64_t timeout_ms)
{
    zkc_node *h = xcalloc(1, sizeof *h);
    int node = sim_add_node(s, name, NODE_CLIENT, &client_ops, h);
    if (node < 0) { free(h); return NULL; }
    h->c = zk_client_new(s, node, servers, n, timeout_ms);
    sim_start_node(s, node);
    return h->c;
}
