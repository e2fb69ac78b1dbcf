/* real_zk: a real client's TCP connection as a simulated client node. The
 * node speaks the lab's client protocol to the one server whose port the
 * client connected to (zk_serve.c answers it as it answers every simulated
 * client); this file translates jute packets into that protocol and the
 * answers back, in the client's order. Anything a client sends that is not
 * ZooKeeper closes that connection only, with a line in the trace. */
#include "real_int.h"
#include "zk_proto.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN_MAX (4 + ZJ_MAXBUFFER + 4)   /* one whole packet and a prefix */

static rconn *get(const real_hub *h, int id)
{
    return id >= 0 && id < h->nc && h->c[id].st != RS_FREE ? &h->c[id] : NULL;
}

static void note(real_hub *h, rconn *c, const char *fmt, const char *what)
{
    trace_emit(sim_trace(h->s), TR_CLIENT, c->node, c->server, (uint64_t)c->session, 0,
               fmt, c->peer, what);
}

/* Ends the connection: REAL_CLOSE writes what is pending first. */
static void finish(real_hub *h, rconn *c, real_end how, const char *why)
{
    if (c->st == RS_DONE) return;
    if (c->timer) sim_cancel(h->s, c->timer);
    if (c->wait_timer) sim_cancel(h->s, c->wait_timer);
    c->timer = c->wait_timer = 0;
    c->st = RS_DONE;
    c->end = how;
    if (why) note(h, c, "real client %s: connection closed: %s", why);
}

/* ------------------------------------------------- to the lab's server */

static wbuf *begin(real_hub *h, rconn *c)
{
    wbuf_reset(&h->msg);
    w_u64(&h->msg, c->conn);
    w_u32(&h->msg, c->slot);
    w_u32(&h->msg, c->gen);
    w_u32(&h->msg, c->tx++);
    return &h->msg;
}

static void send_lab(real_hub *h, rconn *c, uint32_t type)
{
    sim_send(h->s, c->node, c->server, type, h->msg.data, h->msg.len);
}

/* ------------------------------------------------- to the real client */

static void out_room(real_hub *h, rconn *c)
{
    /* a client that does not read: close it rather than hold its answers */
    if (c->out.len - c->out_pos > REAL_OUT_MAX)
        finish(h, c, REAL_RESET, "the client does not read its answers");
}

static void reply_header_only(real_hub *h, rconn *c, int32_t xid, int64_t zxid, int32_t err)
{
    size_t at = zj_begin(&c->out);
    zj_w_reply_header(&c->out, xid, zxid, err);
    zj_end(&c->out, at);
    c->sent++;
}

static rc_wait *push_wait(rconn *c, int32_t xid, int32_t type, uint32_t lab_xid, uint64_t now)
{
    VEC_GROW(c->q, c->nq, c->capq);
    rc_wait *w = &c->q[c->nq++];
    *w = (rc_wait){ .xid = xid, .type = type, .lab_xid = lab_xid, .sent_us = now };
    return w;
}

static void pop_wait(rconn *c)
{
    if (++c->qh == c->nq) c->qh = c->nq = 0;
}

/* Answers the requests the lab does not serve once all before them are. */
static void flush_local(real_hub *h, rconn *c)
{
    while (c->qh < c->nq && c->q[c->qh].local) {
        rc_wait *w = &c->q[c->qh];
        reply_header_only(h, c, w->xid, c->last_zxid, w->local_err);
        pop_wait(c);
    }
}

static void count_latency(real_hub *h, rconn *c, uint64_t sent_us)
{
    if (c->sid < 0 || c->sid >= 32) return;
    rlat *l = &h->lat[c->sid];
    uint64_t ms = (sim_now_us(h->s) - sent_us) / 1000;
    if (l->n == 0 || ms < l->min_ms) l->min_ms = ms;
    if (ms > l->max_ms) l->max_ms = ms;
    l->n++;
    l->sum_ms += ms;
}

static void parse(real_hub *h, rconn *c);

/* A four-letter word to a paused server waits, as the frozen process
 * answers nothing; looked at again every 100 ms of simulated time. */
static void word_retry(void *self, uint64_t arg)
{
    rself *me = self;
    if (!me->h || me->h->pool[me->pool].conn != (int)arg) return;
    rconn *c = get(me->h, (int)arg);
    if (!c) return;
    c->wait_timer = 0;
    parse(me->h, c);
}

/* ------------------------------------------------- replies from the server */

static void write_multi(wbuf *o, const rc_wait *w, zerr err, rbuf *r)
{
    uint32_t n = r_u32(r);
    for (uint32_t i = 0; i < n && i < w->nops && !r->bad; i++) {
        zop_result res;
        zk_r_result(r, &res);
        int32_t type = err != ZOK ? ZJ_OP_ERROR : w->mtypes[i];
        zj_w_int(o, type);
        zj_w_bool(o, false);
        zj_w_int(o, zj_err_code(res.err));
        if (type == ZJ_OP_ERROR) zj_w_int(o, zj_err_code(res.err));
        else if (type == ZJ_OP_CREATE) zj_w_string(o, res.path);
        else if (type == ZJ_OP_CREATE2) { zj_w_string(o, res.path); zj_w_stat(o, &res.stat); }
        else if (type == ZJ_OP_SETDATA) zj_w_stat(o, &res.stat);
    }
    zj_w_int(o, -1);
    zj_w_bool(o, true);
    zj_w_int(o, -1);
}

/* The body of a successful reply, as zookeeper.jute's *Response. */
static void write_body(wbuf *o, const rc_wait *w, rbuf *r)
{
    zstat st;
    const uint8_t *d;
    size_t len;
    char path[ZPATH_MAX];
    switch (w->type) {
    case ZJ_OP_CREATE: case ZJ_OP_CREATE2:
        r_str(r, path, sizeof path);
        zk_r_stat(r, &st);
        zj_w_string(o, path);
        if (w->type == ZJ_OP_CREATE2) zj_w_stat(o, &st);
        break;
    case ZJ_OP_EXISTS: case ZJ_OP_GETDATA:
        len = r_bytes(r, &d);
        zk_r_stat(r, &st);
        if (w->type == ZJ_OP_GETDATA) zj_w_buffer(o, d, (int32_t)len);
        zj_w_stat(o, &st);
        break;
    case ZJ_OP_SETDATA:
        zk_r_stat(r, &st);
        zj_w_stat(o, &st);
        break;
    case ZJ_OP_GETCHILDREN: case ZJ_OP_GETCHILDREN2: {
        uint32_t n = r_u32(r);
        if (n > r->len) { r->bad = true; n = 0; }
        zj_w_int(o, (int32_t)n);
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            r_str(r, path, sizeof path);
            zj_w_string(o, path);
        }
        zk_r_stat(r, &st);
        if (w->type == ZJ_OP_GETCHILDREN2) zj_w_stat(o, &st);
        break;
    }
    case ZJ_OP_SYNC:
        r_str(r, path, sizeof path);
        zj_w_string(o, path);
        break;
    default:                /* delete, closeSession: the header alone */
        break;
    }
}

static void on_reply(real_hub *h, rconn *c, rbuf *r)
{
    uint32_t xid = r_u32(r);
    int64_t zxid = (int64_t)r_u64(r);
    zerr err = (zerr)r_u32(r);
    if (r->bad || c->qh == c->nq || c->q[c->qh].lab_xid != xid) {
        finish(h, c, REAL_RESET, "an answer out of order");
        return;
    }
    rc_wait *w = &c->q[c->qh];
    c->last_zxid = zxid;
    size_t at = zj_begin(&c->out);
    /* a read-only server answers a multi NOTREADONLY with the header alone */
    bool multi = w->type == ZJ_OP_MULTI && err != ZNOTREADONLY;
    zj_w_reply_header(&c->out, w->xid, zxid, multi ? ZJ_ZOK : zj_err_code(err));
    if (multi) write_multi(&c->out, w, err, r);
    else if (err == ZOK) write_body(&c->out, w, r);
    zj_end(&c->out, at);
    c->sent++;
    count_latency(h, c, w->sent_us);
    pop_wait(c);
    flush_local(h, c);
}

static void on_pong(real_hub *h, rconn *c)
{
    if (c->qh == c->nq || c->q[c->qh].lab_xid != 0) {
        finish(h, c, REAL_RESET, "a pong out of order");
        return;
    }
    rc_wait *w = &c->q[c->qh];
    reply_header_only(h, c, w->xid, c->last_zxid, ZJ_ZOK);
    pop_wait(c);
    flush_local(h, c);
}

static void on_connected(real_hub *h, rconn *c, rbuf *r)
{
    c->slot = r_u32(r);
    c->gen = r_u32(r);
    int64_t session = r_i64(r);
    uint32_t to = r_u32(r);
    c->last_zxid = (int64_t)r_u64(r);
    bool ro = r_u8(r) != 0;                 /* a read-only server answered */
    if (r->bad || c->st != RS_CONNECTING) return;
    uint8_t pw[16] = {0};
    if (to == 0) {
        /* ZooKeeperServer.finishSessionInit(valid = false): timeout 0,
         * session 0, a zero password, then the connection closes */
        zj_w_connect_resp(&c->out, 0, 0, pw, ro);
        c->sent++;
        finish(h, c, REAL_CLOSE, "session expired");
        return;
    }
    c->session = session;
    c->timeout_ms = (int32_t)to;
    c->est_us = sim_now_us(h->s);
    zj_session_passwd(session, pw);
    zj_w_connect_resp(&c->out, (int32_t)to, session, pw, ro);
    c->sent++;
    c->st = RS_OPEN;
    if (c->timer) sim_cancel(h->s, c->timer);
    c->timer = 0;
    char what[64];
    snprintf(what, sizeof what, "0x%llx, timeout %u ms%s", (unsigned long long)session, to,
             ro ? ", read-only" : "");
    note(h, c, "real client %s: session %s", what);
    parse(h, c);                            /* what it sent meanwhile */
}

static void on_watch(real_hub *h, rconn *c, rbuf *r)
{
    int ev = r_u8(r);
    char path[ZPATH_MAX];
    r_str(r, path, sizeof path);
    if (r->bad) return;
    zj_w_watch_event(&c->out, ev, path);
    c->sent++;
}

/* What the log says of a refused ConnectRequest: the real server's words. */
static const char *refusal(int why)
{
    switch (why) {
    case ZR_NOT_SERVING:
        return "the server refused it: not serving (no quorum: ZooKeeperServer not running)";
    case ZR_ZXID_AHEAD:
        return "the server refused it: the client has seen a newer zxid than the server";
    case ZR_NOT_READ_ONLY:
        return "Refusing session request for not-read-only client (a read-only server)";
    case ZR_GLOBAL_IN_RO:
        return "Refusing global session reconnection in RO mode";
    default:
        return "the server refused it";
    }
}

static void lab_recv(real_hub *h, rconn *c, int from, uint32_t type, const uint8_t *d, size_t n)
{
    if (from != c->server || c->st == RS_DONE || c->st == RS_NEW) return;
    rbuf r = rbuf_of(d, n);
    if (r_u64(&r) != c->conn || r.bad) return;      /* an older connection's */
    if (type == ZC_CLOSE_CONN) {
        finish(h, c, REAL_CLOSE, c->st == RS_CONNECTING ? refusal(r.pos < r.len ? r_u8(&r) : 0)
                                                        : "the server closed it");
        return;
    }
    if (r_u32(&r) != c->rx++) { finish(h, c, REAL_RESET, "the server's stream broke"); return; }
    switch (type) {
    case ZC_CONNECT_RESP: on_connected(h, c, &r); break;
    case ZC_REPLY: on_reply(h, c, &r); break;
    case ZC_PONG: on_pong(h, c); break;
    case ZC_WATCH_EVENT: on_watch(h, c, &r); break;
    default: break;
    }
    if (c->st != RS_DONE) out_room(h, c);
}

/* ------------------------------------------------- the simulated node */

static rconn *self_conn(void *self)
{
    rself *me = self;
    if (!me->h) return NULL;
    int id = me->h->pool[me->pool].conn;
    return id >= 0 ? get(me->h, id) : NULL;
}

static void node_recv(void *self, int from, uint32_t type, const uint8_t *d, size_t n)
{
    rconn *c = self_conn(self);
    if (c) lab_recv(((rself *)self)->h, c, from, type, d, n);
}

static void node_reset(void *self, int peer)
{
    rconn *c = self_conn(self);
    if (c && peer == c->server)
        finish(((rself *)self)->h, c, REAL_RESET, "its server's connection was reset");
}

static void node_crash(void *self)
{
    rconn *c = self_conn(self);
    if (c) {
        c->timer = c->wait_timer = 0;       /* died with the node */
        finish(((rself *)self)->h, c, REAL_RESET, "its client node was killed");
    }
}

static void node_start(void *self) { (void)self; }
static void node_destroy(void *self) { free(self); }

static const node_ops real_ops = {
    .start = node_start, .crash = node_crash, .recv = node_recv,
    .reset = node_reset, .destroy = node_destroy,
};

/* A node for a new connection: a free one that is up, else a new one. */
static int pool_take(real_hub *h)
{
    for (int i = 0; i < h->npool; i++)
        if (h->pool[i].conn < 0 && sim_node_status(h->s, h->pool[i].node) == NODE_UP)
            return i;
    char name[24];
    snprintf(name, sizeof name, "real%d", h->npool + 1);
    rself *me = xcalloc(1, sizeof *me);
    me->h = h;
    me->pool = h->npool;
    int node = sim_add_node(h->s, name, NODE_CLIENT, &real_ops, me);
    if (node < 0) { free(me); return -1; }
    VEC_GROW(h->pool, h->npool, h->cappool);
    h->selves = xrealloc(h->selves, (size_t)h->cappool * sizeof *h->selves);
    h->selves[h->npool] = me;
    h->pool[h->npool] = (rnode){ .node = node, .conn = -1 };
    sim_start_node(h->s, node);
    return h->npool++;
}

/* The client sits where the learner can reach it: its links start at the
 * defaults, cut only to a server that is cut off from all the others. */
static void attach_links(real_hub *h, int node, int server)
{
    net *n = sim_net(h->s);
    const int *zk = cluster_zk_nodes(h->w);
    int nzk = cluster_zk_count(h->w);
    for (int i = 0; i < nzk; i++) {
        net_set_link(n, node, zk[i], net_defaults(n));
        net_set_link(n, zk[i], node, net_defaults(n));
    }
    bool alone = nzk > 1;
    for (int i = 0; i < nzk && alone; i++)
        if (zk[i] != server && !(net_link(n, server, zk[i]).cut && net_link(n, zk[i], server).cut))
            alone = false;
    if (alone) {
        net_cut(n, node, server, true);
        net_cut(n, server, node, true);
    }
}

/* ------------------------------------------------- the host API */

real_hub *real_hub_new(cluster *w)
{
    real_hub *h = xcalloc(1, sizeof *h);
    h->w = w;
    h->s = cluster_sim(w);
    zk_proto_name_msgs(h->s);
    return h;
}

void real_hub_free(real_hub *h)
{
    if (!h) return;
    for (int i = 0; i < h->nc; i++) {
        rconn *c = &h->c[i];
        if (c->st == RS_FREE) continue;
        if (c->timer) sim_cancel(h->s, c->timer);
        if (c->wait_timer) sim_cancel(h->s, c->wait_timer);
        wbuf_free(&c->in);
        wbuf_free(&c->out);
        free(c->q);
    }
    for (int i = 0; i < h->npool; i++) h->selves[i]->h = NULL;
    free(h->selves);
    free(h->pool);
    free(h->c);
    wbuf_free(&h->msg);
    free(h);
}

cluster *real_hub_world(const real_hub *h) { return h->w; }

void real_hub_port(real_hub *h, int sid, int port)
{
    if (sid >= 0 && sid < 32) h->ports[sid] = port;
}

static int conns_on(const real_hub *h, int sid)
{
    int n = 0;
    for (int i = 0; i < h->nc; i++)
        if (h->c[i].st != RS_FREE && h->c[i].sid == sid) n++;
    return n;
}

static void sessionless(void *self, uint64_t arg)
{
    rself *me = self;
    if (!me->h) return;
    rconn *c = get(me->h, (int)arg);
    if (!c || me->h->pool[me->pool].conn != (int)arg) return;
    c->timer = 0;
    if (c->st == RS_NEW || c->st == RS_CONNECTING)
        finish(me->h, c, REAL_CLOSE, "no session within 10 s (sessionlessCnxnTimeout)");
}

int real_zk_accept(real_hub *h, int sid, const char *peer, char *why, size_t cap)
{
    if (sid < 1 || sid > cluster_zk_count(h->w)) {
        snprintf(why, cap, "no server zk%d", sid);
        return -1;
    }
    if (conns_on(h, sid) >= REAL_CONNS_PER_SERVER) {
        snprintf(why, cap, "Too many connections from %s - max is %d", peer,
                 REAL_CONNS_PER_SERVER);
        return -1;
    }
    int server = cluster_zk_nodes(h->w)[sid - 1];
    if (sim_node_status(h->s, server) == NODE_DOWN) {
        /* no process listens: the kernel refuses the connection */
        snprintf(why, cap, "zk%d is down: connection refused", sid);
        return -1;
    }
    int p = pool_take(h);
    if (p < 0) { snprintf(why, cap, "the world has no room for another node"); return -1; }
    int id = 0;
    while (id < h->nc && h->c[id].st != RS_FREE) id++;
    if (id == h->nc) {
        VEC_GROW(h->c, h->nc, h->capc);
        h->nc++;
    }
    rconn *c = &h->c[id];
    *c = (rconn){ .st = RS_NEW, .sid = sid, .server = cluster_zk_nodes(h->w)[sid - 1],
                  .node = h->pool[p].node, .pool = p };
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    h->pool[p].conn = id;
    attach_links(h, c->node, c->server);
    c->timer = sim_timer(h->s, c->node, (uint64_t)REAL_SESSIONLESS_MS * 1000, sessionless,
                         (uint64_t)id);
    char what[32];
    snprintf(what, sizeof what, "zk%d", sid);
    note(h, c, "real client %s: connected to %s", what);
    return id;
}

/* ------------------------------------------------- requests in */

/* Copies src into dst, cut to fit. */
static void copy_cut(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

static void remember(rconn *c, const zj_req *q)
{
    char buf[24], line[ZPATH_MAX + 32];
    snprintf(line, sizeof line, "%s %s", zj_op_name(q->type, buf, sizeof buf), q->path);
    copy_cut(c->last, sizeof c->last, line);
}

static void send_set_watches(real_hub *h, rconn *c, zj_req *q)
{
    /* the lab's setWatches has three lists; setWatches2's persistent
     * ones are not served (the lab has no persistent watches) */
    wbuf lists[3] = {{0}};
    uint32_t counts[3] = {0};
    int list;
    char path[ZPATH_MAX];
    while (zj_watch_next(q, &list, path, sizeof path))
        if (list < 3 && path[0]) { w_str(&lists[list], path); counts[list]++; }
    wbuf *w = begin(h, c);
    w_u64(w, (uint64_t)q->rel_zxid);
    for (int k = 0; k < 3; k++) {
        w_u32(w, counts[k]);
        w_raw(w, lists[k].data, lists[k].len);
        wbuf_free(&lists[k]);
    }
    send_lab(h, c, ZC_SET_WATCHES);
    /* its answer goes after the events it fires: a ping behind it */
    begin(h, c);
    send_lab(h, c, ZC_PING);
    push_wait(c, q->xid, q->type, 0, sim_now_us(h->s));
}

static int lab_op_of(int32_t type)
{
    switch (type) {
    case ZJ_OP_GETDATA: return ZKOP_GET;
    case ZJ_OP_EXISTS: return ZKOP_EXISTS;
    case ZJ_OP_GETCHILDREN: case ZJ_OP_GETCHILDREN2: return ZKOP_CHILDREN;
    case ZJ_OP_SYNC: return ZKOP_SYNC;
    case ZJ_OP_CREATE: case ZJ_OP_CREATE2: return ZKOP_CREATE;
    case ZJ_OP_DELETE: return ZKOP_DELETE;
    case ZJ_OP_SETDATA: return ZKOP_SET;
    case ZJ_OP_MULTI: return ZKOP_MULTI;
    case ZJ_OP_CLOSE: return ZKOP_CLOSE;
    default: return 0;
    }
}

static void on_request(real_hub *h, rconn *c, const uint8_t *p, size_t n)
{
    zj_req *q = &h->req;
    zj_status st = zj_req_decode(p, n, q);
    uint64_t now = sim_now_us(h->s);
    c->recved++;
    if (st == ZJ_MALFORMED) { finish(h, c, REAL_CLOSE, "a request that does not decode"); return; }
    c->last_xid = q->xid;
    if (q->type != ZJ_OP_PING) remember(c, q);
    if (st == ZJ_UNSUPPORTED && !zj_op_known(q->type)) {
        /* UnimplementedRequestProcessor: answered at once, then closed */
        reply_header_only(h, c, q->xid, c->last_zxid, ZJ_ZUNIMPLEMENTED);
        char why[64];
        snprintf(why, sizeof why, "a request of unknown type %d: UNIMPLEMENTED", (int)q->type);
        finish(h, c, REAL_CLOSE, why);
        return;
    }
    if (st != ZJ_OK) {
        /* answered here, in its turn: an op the lab does not serve gets
         * UNIMPLEMENTED, a path or create mode it cannot hold BADARGUMENTS */
        rc_wait *w = push_wait(c, q->xid, q->type, 0, now);
        w->local = true;
        w->local_err = st == ZJ_UNSUPPORTED ? ZJ_ZUNIMPLEMENTED : ZJ_ZBADARGUMENTS;
        char buf[24];
        if (st == ZJ_UNSUPPORTED)
            note(h, c, "real client %s: %s is not served by the lab: UNIMPLEMENTED",
                 zj_op_name(q->type, buf, sizeof buf));
        flush_local(h, c);
        return;
    }
    if (q->type == ZJ_OP_PING) {
        begin(h, c);
        send_lab(h, c, ZC_PING);
        push_wait(c, q->xid, q->type, 0, now);
        return;
    }
    if (q->type == ZJ_OP_SETWATCHES || q->type == ZJ_OP_SETWATCHES2) {
        send_set_watches(h, c, q);
        return;
    }
    int op = lab_op_of(q->type);
    uint32_t lab_xid = ++c->next_xid;
    wbuf *w = begin(h, c);
    w_u32(w, lab_xid);
    w_u8(w, (uint8_t)op);
    if (op == ZKOP_CLOSE) {
        /* no arguments */
    } else if (zk_op_is_write(op)) {
        zk_w_ops(w, q->ops, q->nops);
    } else {
        w_str(w, q->path);
        w_u8(w, q->watch);
    }
    send_lab(h, c, ZC_REQUEST);
    rc_wait *wt = push_wait(c, q->xid, q->type, lab_xid, now);
    if (q->type == ZJ_OP_MULTI) {
        wt->nops = (uint8_t)q->nops;
        for (int i = 0; i < q->nops; i++)
            wt->mtypes[i] = (int8_t)(q->ops[i].type == ZOP_CREATE ? ZJ_OP_CREATE
                                   : q->ops[i].type == ZOP_DELETE ? ZJ_OP_DELETE
                                   : q->ops[i].type == ZOP_SET ? ZJ_OP_SETDATA : ZJ_OP_CHECK);
    }
    char buf[24];
    trace_emit(sim_trace(h->s), TR_NOTE, c->node, c->server, (uint64_t)q->xid, 0,
               "%s (real client %s): %s %s", sim_node_name(h->s, c->node), c->peer,
               zj_op_name(q->type, buf, sizeof buf), q->path);
}

static void on_connect_req(real_hub *h, rconn *c, const uint8_t *p, size_t n)
{
    zj_connect cr;
    c->recved++;
    if (!zj_connect_decode(p, n, &cr)) {
        finish(h, c, REAL_CLOSE, "a ConnectRequest that does not decode");
        return;
    }
    if (cr.session != 0) {
        uint8_t pw[16];
        zj_session_passwd(cr.session, pw);
        if (cr.passwd_len != 16 || memcmp(pw, cr.passwd, 16) != 0) {
            /* ZooKeeperServer.reopenSession: a wrong password is an
             * expired session to the client */
            uint8_t zero[16] = {0};
            zj_w_connect_resp(&c->out, 0, 0, zero, false);
            c->sent++;
            finish(h, c, REAL_CLOSE, "wrong session password");
            return;
        }
    }
    c->conn = rng_next(sim_node_rng(h->s, c->node)) | 1;
    c->tx = c->rx = 0;
    c->session = cr.session;
    wbuf_reset(&h->msg);
    w_u64(&h->msg, c->conn);
    w_i64(&h->msg, cr.session);
    w_u32(&h->msg, cr.timeout_ms > 0 ? (uint32_t)cr.timeout_ms : 0);
    w_u64(&h->msg, (uint64_t)cr.last_zxid);
    w_u8(&h->msg, cr.readonly);             /* canBeReadOnly */
    send_lab(h, c, ZC_CONNECT);
    c->st = RS_CONNECTING;
}

/* Takes whole packets off the front of the input while the connection
 * may go on. */
static void parse(real_hub *h, rconn *c)
{
    size_t pos = 0;
    while (c->st == RS_NEW || c->st == RS_OPEN) {
        const uint8_t *p = c->in.data + pos;
        size_t left = c->in.len - pos, len;
        if (c->st == RS_NEW && left >= 4 && real_4lw_known(p)) {
            if (sim_node_status(h->s, c->server) == NODE_PAUSED) {
                if (!c->wait_timer)
                    c->wait_timer = sim_timer(h->s, c->node, 100000, word_retry,
                                              (uint64_t)(c - h->c));
                break;
            }
            real_4lw_answer(h, c->sid, p, c, &c->out);
            char cmd[5] = { (char)p[0], (char)p[1], (char)p[2], (char)p[3], 0 };
            finish(h, c, REAL_CLOSE, NULL);
            note(h, c, "real client %s: four-letter word %s", cmd);
            pos = c->in.len;
            break;
        }
        if (c->st == RS_OPEN && c->nq - c->qh >= REAL_OUTSTANDING_MAX) break;
        zj_frame_st fs = zj_frame(p, left, ZJ_MAXBUFFER, &len);
        if (fs == ZJ_NEED_MORE) break;
        if (fs == ZJ_BAD_LEN) {
            char why[80];
            snprintf(why, sizeof why, "Len error %d: over jute.maxbuffer=%d",
                     (int)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                           (uint32_t)p[2] << 8 | p[3]), ZJ_MAXBUFFER);
            finish(h, c, REAL_CLOSE, why);
            pos = c->in.len;
            break;
        }
        pos += 4 + len;
        if (c->st == RS_NEW) on_connect_req(h, c, p + 4, len);
        else on_request(h, c, p + 4, len);
        if (c->st != RS_DONE) out_room(h, c);
    }
    if (pos > 0) {
        memmove(c->in.data, c->in.data + pos, c->in.len - pos);
        c->in.len -= pos;
    }
}

size_t real_zk_input(real_hub *h, int id, const uint8_t *p, size_t n)
{
    rconn *c = get(h, id);
    if (!c) return n;
    if (c->st == RS_DONE) return n;         /* closing: dropped */
    size_t room = IN_MAX - c->in.len;
    if (n > room) n = room;
    w_raw(&c->in, p, n);
    parse(h, c);
    return n;
}

void real_zk_closed(real_hub *h, int id, const char *why)
{
    rconn *c = get(h, id);
    if (!c || c->st == RS_DONE) return;
    if (c->st == RS_OPEN || c->st == RS_CONNECTING) {
        begin(h, c);
        send_lab(h, c, ZC_CLOSE_CONN);      /* the FIN travels the link */
    }
    bool cut = c->in.len > 0 && c->st != RS_DONE;
    char line[96];
    snprintf(line, sizeof line, "%s%s", why, cut ? ", in the middle of a packet" : "");
    finish(h, c, REAL_CLOSE, line);
}

size_t real_zk_output(real_hub *h, int id, const uint8_t **p)
{
    rconn *c = get(h, id);
    if (!c) { *p = NULL; return 0; }
    *p = c->out.data + c->out_pos;
    return c->out.len - c->out_pos;
}

void real_zk_wrote(real_hub *h, int id, size_t n)
{
    rconn *c = get(h, id);
    if (!c) return;
    c->out_pos += n;
    if (c->out_pos == c->out.len) {
        c->out_pos = 0;
        wbuf_reset(&c->out);
    }
}

real_end real_zk_end(const real_hub *h, int id)
{
    const rconn *c = get(h, id);
    return c ? c->end : REAL_RESET;
}

void real_zk_release(real_hub *h, int id)
{
    rconn *c = get(h, id);
    if (!c) return;
    if (c->st != RS_DONE) real_zk_closed(h, id, "the lab closed the socket");
    if (c->timer) sim_cancel(h->s, c->timer);
    if (c->wait_timer) sim_cancel(h->s, c->wait_timer);
    h->pool[c->pool].conn = -1;
    wbuf_free(&c->in);
    wbuf_free(&c->out);
    free(c->q);
    *c = (rconn){ .st = RS_FREE };
}

int real_zk_count(const real_hub *h)
{
    int n = 0;
    for (int i = 0; i < h->nc; i++) n += h->c[i].st != RS_FREE && h->c[i].st != RS_DONE;
    return n;
}

int real_zk_slots(const real_hub *h) { return h->nc; }

bool real_zk_info_get(const real_hub *h, int id, real_zk_info *out)
{
    const rconn *c = get(h, id);
    if (!c) return false;
    *out = (real_zk_info){ .node = c->node, .sid = c->sid, .session = c->session,
                           .requests = c->recved };
    snprintf(out->peer, sizeof out->peer, "%s", c->peer);
    snprintf(out->last, sizeof out->last, "%s", c->last);
    return true;
}
