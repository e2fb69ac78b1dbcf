/* zk_serve: what an ensemble server does for clients. Connections (only a
 * serving server accepts one), sessions (created and closed through ZAB,
 * expired only by the leader, touched by followers through the leader's
 * pings), requests (reads from the local tree, writes through the leader,
 * each answered in the client's order once applied here) and one-shot
 * watches fired as transactions are applied. */
#include "zk_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- connections */

static wbuf *to_client(zk_server *z, zk_conn *c)
{
    wbuf_reset(&z->out);
    w_u64(&z->out, c->id);
    w_u32(&z->out, c->tx++);
    return &z->out;
}

static void send_client(zk_server *z, zk_conn *c, uint32_t type)
{
    z->pkts_out++;
    sim_send(z->s, z->node, c->client, type, z->out.data, z->out.len);
}

static void refuse_as(zk_server *z, int client, uint64_t conn_id, zk_refusal why)
{
    wbuf_reset(&z->out);
    w_u64(&z->out, conn_id);
    if (why != ZR_NONE) w_u8(&z->out, (uint8_t)why);
    sim_send(z->s, z->node, client, ZC_CLOSE_CONN, z->out.data, z->out.len);
}

static void refuse(zk_server *z, int client, uint64_t conn_id)
{
    refuse_as(z, client, conn_id, ZR_NONE);
}

static zk_conn *conn_get(zk_server *z, uint32_t slot, uint32_t gen)
{
    if (slot >= (uint32_t)z->nconns) return NULL;
    zk_conn *c = &z->conns[slot];
    return c->state != CN_FREE && c->gen == gen ? c : NULL;
}

static void unwatch_conn(zk_server *z, uint32_t slot);

static void conn_free(zk_server *z, zk_conn *c, bool tell)
{
    if (c->state == CN_FREE) return;
    if (tell) refuse(z, c->client, c->id);
    for (int i = c->qhead; i < c->nq; i++) wbuf_free(&c->q[i].reply);
    free(c->q);
    unwatch_conn(z, (uint32_t)(c - z->conns));
    uint32_t gen = c->gen + 1;
    *c = (zk_conn){ .state = CN_FREE, .gen = gen };
}

static zk_conn *conn_alloc(zk_server *z)
{
    for (int i = 0; i < z->nconns; i++)
        if (z->conns[i].state == CN_FREE) return &z->conns[i];
    VEC_GROW(z->conns, z->nconns, z->capconns);
    zk_conn *c = &z->conns[z->nconns++];
    *c = (zk_conn){ .state = CN_FREE };
    return c;
}

void zk_serve_close_all(zk_server *z)
{
    for (int i = 0; i < z->nconns; i++) conn_free(z, &z->conns[i], true);
}

void zk_serve_reset(zk_server *z, int node)
{
    for (int i = 0; i < z->nconns; i++)
        if (z->conns[i].state != CN_FREE && z->conns[i].client == node)
            conn_free(z, &z->conns[i], false);
}

void zk_serve_free(zk_server *z)
{
    for (int i = 0; i < z->nconns; i++) conn_free(z, &z->conns[i], false);
    z->nconns = 0;
    for (int i = 0; i < z->nwatches; i++) free(z->watches[i].path);
    z->nwatches = 0;
    z->free_watch = -1;
    for (int b = 0; b < z->nbuckets; b++) z->wbucket[b] = -1;
}

/* ----------------------------------------------------------- watches */

static void rehash(zk_server *z)
{
    int nb = z->nbuckets ? z->nbuckets * 2 : 64;
    z->wbucket = xrealloc(z->wbucket, (size_t)nb * sizeof *z->wbucket);
    z->nbuckets = nb;
    for (int b = 0; b < nb; b++) z->wbucket[b] = -1;
    for (int i = 0; i < z->nwatches; i++) {
        zk_watch *w = &z->watches[i];
        if (!w->path) continue;
        int b = (int)(w->hash & (uint64_t)(nb - 1));
        w->next = z->wbucket[b];
        z->wbucket[b] = i;
    }
}

static void add_watch(zk_server *z, zk_conn *c, const char *path, bool child)
{
    uint64_t h = wire_hash(path, strlen(path), 0);
    uint32_t slot = (uint32_t)(c - z->conns);
    if (z->nbuckets == 0 || z->nwatches > 2 * z->nbuckets) rehash(z);
    int b = (int)(h & (uint64_t)(z->nbuckets - 1));
    for (int i = z->wbucket[b]; i >= 0; i = z->watches[i].next) {
        zk_watch *w = &z->watches[i];
        if (w->hash == h && w->slot == slot && w->gen == c->gen &&
            w->child == child && strcmp(w->path, path) == 0)
            return;                     /* a watcher is set once per path */
    }
    int idx = z->free_watch;
    if (idx >= 0) {
        z->free_watch = z->watches[idx].next;
    } else {
        VEC_GROW(z->watches, z->nwatches, z->capwatches);
        idx = z->nwatches++;
    }
    z->watches[idx] = (zk_watch){ .hash = h, .path = xstrdup(path), .slot = slot,
                                  .gen = c->gen, .child = child,
                                  .next = z->wbucket[b] };
    z->wbucket[b] = idx;
}

static void release_watch(zk_server *z, int idx)
{
    free(z->watches[idx].path);
    z->watches[idx].path = NULL;
    z->watches[idx].next = z->free_watch;
    z->free_watch = idx;
}

/* Removes matching watches of one path (or of one connection when path is
 * NULL) and, for a path, delivers the event to each watcher once: a
 * deleted node's data and child watches of one connection make one
 * NodeDeleted (DataTree.deleteNode passes the first trigger's watchers to
 * the second, which skips them). */
static void take_watches(zk_server *z, const char *path, bool data, bool child,
                         zevent ev, uint32_t only_slot)
{
    uint64_t h = path ? wire_hash(path, strlen(path), 0) : 0;
    uint64_t seq = ++z->fire_seq;
    for (int b = 0; b < z->nbuckets; b++) {
        if (path && b != (int)(h & (uint64_t)(z->nbuckets - 1))) continue;
        int *link = &z->wbucket[b];
        while (*link >= 0) {
            int i = *link;
            zk_watch *w = &z->watches[i];
            bool hit = path ? (w->hash == h && (w->child ? child : data) &&
                               strcmp(w->path, path) == 0)
                            : w->slot == only_slot;
            if (!hit) { link = &w->next; continue; }
            *link = w->next;
            zk_conn *c = path ? conn_get(z, w->slot, w->gen) : NULL;
            if (c && c->state == CN_OPEN && c->fired != seq) {
                c->fired = seq;
                wbuf *o = to_client(z, c);
                w_u8(o, (uint8_t)ev);
                w_str(o, path);
                send_client(z, c, ZC_WATCH_EVENT);
                trace_emit(sim_trace(z->s), TR_WATCH, z->node, c->client,
                           (uint64_t)c->session, 0, "%s %s", zevent_name(ev), path);
            }
            release_watch(z, i);
        }
    }
}

static void unwatch_conn(zk_server *z, uint32_t slot)
{
    take_watches(z, NULL, false, false, 0, slot);
}

void zk_serve_watch_event(zk_server *z, zevent ev, const char *path)
{
    if (z->nbuckets == 0) return;
    switch (ev) {
    case ZEV_CREATED: case ZEV_DATA_CHANGED:
        take_watches(z, path, true, false, ev, 0);
        break;
    case ZEV_DELETED:
        take_watches(z, path, true, true, ev, 0);
        break;
    case ZEV_CHILDREN_CHANGED:
        take_watches(z, path, false, true, ev, 0);
        break;
    }
}

/* ZooKeeper's setWatches after a reconnect: whatever changed since the
 * client's last zxid fires at once, the rest is registered again. */
static void set_watches(zk_server *z, zk_conn *c, rbuf *r)
{
    uint64_t rel = r_u64(r);
    for (int kind = 0; kind < 3 && !r->bad; kind++) {
        uint32_t n = r_u32(r);
        for (uint32_t i = 0; i < n && !r->bad; i++) {
            char path[ZPATH_MAX];
            r_str(r, path, sizeof path);
            zstat st;
            const uint8_t *d;
            size_t len;
            bool exists = ztree_get(z->tree, path, &d, &len, &st) == ZOK;
            zevent fire = 0;
            if (kind == 0)          /* data */
                fire = !exists ? ZEV_DELETED
                     : (uint64_t)st.mzxid > rel ? ZEV_DATA_CHANGED : 0;
            else if (kind == 1)     /* exist */
                fire = exists ? ZEV_CREATED : 0;
            else                    /* child */
                fire = !exists ? ZEV_DELETED
                     : (uint64_t)st.pzxid > rel ? ZEV_CHILDREN_CHANGED : 0;
            if (fire) {
                wbuf *o = to_client(z, c);
                w_u8(o, (uint8_t)fire);
                w_str(o, path);
                send_client(z, c, ZC_WATCH_EVENT);
                trace_emit(sim_trace(z->s), TR_WATCH, z->node, c->client,
                           (uint64_t)c->session, 0, "%s %s", zevent_name(fire), path);
            } else {
                add_watch(z, c, path, kind == 2);
            }
        }
    }
}

/* ---------------------------------------------------------- requests */

static void reply_head(zk_server *z, zk_conn *c, uint32_t xid, zerr err)
{
    wbuf *o = to_client(z, c);
    w_u32(o, xid);
    w_u64(o, zk_processed_zxid(z));
    w_u32(o, (uint32_t)err);
}

static void do_read(zk_server *z, zk_conn *c, const zk_pending *p)
{
    const uint8_t *data = NULL;
    size_t len = 0;
    zstat st = {0};
    if (p->op == ZKOP_CHILDREN) {
        char **names = NULL;
        int n = 0;
        zerr err = ztree_children(z->tree, p->path, &names, &n);
        if (err == ZOK) ztree_get(z->tree, p->path, &data, &len, &st);
        reply_head(z, c, p->xid, err);
        w_u32(&z->out, (uint32_t)n);
        for (int i = 0; i < n; i++) w_str(&z->out, names[i]);
        zk_w_stat(&z->out, &st);
        ztree_free_names(names, n);
        send_client(z, c, ZC_REPLY);
        if (err == ZOK && p->watch) add_watch(z, c, p->path, true);
        return;
    }
    zerr err = ztree_get(z->tree, p->path, &data, &len, &st);
    reply_head(z, c, p->xid, err);
    w_bytes(&z->out, p->op == ZKOP_GET ? data : NULL, p->op == ZKOP_GET ? len : 0);
    zk_w_stat(&z->out, &st);
    send_client(z, c, ZC_REPLY);
    /* exists leaves a watch even on a missing node (NodeCreated) */
    if (p->watch && (err == ZOK || p->op == ZKOP_EXISTS))
        add_watch(z, c, p->path, false);
}

/* Answers the queue's head up to the first write not yet committed.
 * Answered requests leave a window at the front, closed only when it is
 * at least as long as what remains (moving every pending request per
 * reply was quadratic with thousands in flight). */
static void run_queue(zk_server *z, zk_conn *c)
{
    int i = c->qhead;
    while (i < c->nq) {
        zk_pending *p = &c->q[i];
        if (p->write) {
            if (!p->done) break;
            wbuf *o = to_client(z, c);
            zk_w_raw(o, p->reply.data, p->reply.len);
            send_client(z, c, ZC_REPLY);
            wbuf_free(&p->reply);
        } else if (p->op == 0) {
            to_client(z, c);
            send_client(z, c, ZC_PONG);
        } else {
            do_read(z, c, p);
        }
        i++;
    }
    c->qhead = i;
    if (c->qhead == c->nq) {
        c->qhead = c->nq = 0;
    } else if (c->qhead >= c->nq - c->qhead) {
        memmove(c->q, c->q + c->qhead, (size_t)(c->nq - c->qhead) * sizeof *c->q);
        c->nq -= c->qhead;
        c->qhead = 0;
    }
}

static void write_body_header(zk_server *z, wbuf *w, zk_txn_type type,
                              int64_t session, zk_conn *c, uint32_t xid)
{
    zk_origin o = { .sid = (uint32_t)z->sid, .slot = (uint32_t)(c - z->conns),
                    .gen = c->gen, .xid = xid };
    wbuf_reset(w);
    w_u8(w, (uint8_t)type);
    w_i64(w, session);
    zk_w_origin(w, &o);
}

/* A read-only server's ReadOnlyRequestProcessor: a write or a sync is
 * answered NOTREADONLY at once (a bare ReplyHeader); a closeSession of its
 * local session is served, and the connection closes after the answer. */
static void ro_answer(zk_server *z, zk_conn *c, zk_pending *p)
{
    bool close = p->op == ZKOP_CLOSE;
    p->done = true;
    w_u32(&p->reply, p->xid);
    w_u64(&p->reply, zk_processed_zxid(z));
    w_u32(&p->reply, close ? ZOK : ZNOTREADONLY);
    VEC_GROW(c->q, c->nq, c->capq);
    c->q[c->nq++] = *p;
    run_queue(z, c);
    if (close) {
        trace_emit(sim_trace(z->s), TR_SESSION_CLOSE, z->node, c->client,
                   (uint64_t)c->session, 0, "session 0x%llx closed (read-only, local)",
                   (unsigned long long)c->session);
        conn_free(z, c, true);
    }
}

static void on_request(zk_server *z, zk_conn *c, rbuf *r)
{
    zk_pending p = { .xid = r_u32(r), .op = r_u8(r) };
    /* a sync waits in the queue like a write, for the leader's answer */
    p.write = zk_op_is_write(p.op) || p.op == ZKOP_SYNC;
    if (c->ro && p.write && !r->bad) { ro_answer(z, c, &p); return; }
    wbuf *body = &z->req;
    if (p.op == ZKOP_SYNC) {
        r_str(r, p.path, sizeof p.path);
        r_u8(r);
    } else if (p.op == ZKOP_CLOSE) {
        write_body_header(z, body, ZTXN_CLOSE_SESSION, c->session, c, p.xid);
    } else if (p.write) {
        int n = zk_r_ops(r, z->ops, z->paths, ZK_MULTI_MAX);
        /* NIOServerCnxn.readLength refuses a packet over jute.maxbuffer
         * before reading it: the connection closes, nothing is applied */
        size_t len = r->bad ? 0 : zk_request_len(p.op, z->ops, n);
        if (len > ZK_JUTE_MAXBUFFER) {
            trace_emit(sim_trace(z->s), TR_NOTE, z->node, c->client, len, 0,
                       "Len error: a request of %zu bytes is over jute.maxbuffer=%d: "
                       "closing the connection", len, ZK_JUTE_MAXBUFFER);
            conn_free(z, c, true);
            return;
        }
        write_body_header(z, body, ZTXN_OPS, c->session, c, p.xid);
        w_u8(body, p.op == ZKOP_MULTI);
        zk_w_ops(body, z->ops, n);
    } else {
        r_str(r, p.path, sizeof p.path);
        p.watch = r_u8(r) != 0;
    }
    if (r->bad) { conn_free(z, c, true); return; }
    if (p.op == 0) { conn_free(z, c, true); return; }  /* not a request */
    VEC_GROW(c->q, c->nq, c->capq);
    c->q[c->nq++] = p;
    if (p.op == ZKOP_SYNC) zk_sync_request(z, (uint32_t)(c - z->conns), c->gen, p.xid);
    else if (p.write) zk_submit(z, body->data, body->len);
    else run_queue(z, c);
}

void zk_serve_synced(zk_server *z, uint32_t slot, uint32_t gen, uint32_t xid)
{
    zk_conn *c = conn_get(z, slot, gen);
    if (!c || c->state != CN_OPEN) return;
    for (int i = c->qhead; i < c->nq; i++) {
        zk_pending *p = &c->q[i];
        if (p->op != ZKOP_SYNC || p->done || p->xid != xid) continue;
        p->done = true;
        wbuf_reset(&p->reply);
        w_u32(&p->reply, p->xid);
        w_u64(&p->reply, zk_processed_zxid(z));
        w_u32(&p->reply, ZOK);
        w_str(&p->reply, p->path);
        break;
    }
    run_queue(z, c);
}

/* A ping goes through the request pipeline like any request, and
 * FinalRequestProcessor answers a session's requests in order (the
 * CommitProcessor holds them behind the session's pending write): a
 * client whose write is stuck hears no pong either, and times out. */
static void queue_ping(zk_server *z, zk_conn *c)
{
    VEC_GROW(c->q, c->nq, c->capq);
    c->q[c->nq++] = (zk_pending){ .op = 0 };
    run_queue(z, c);
}

static void encode_write_reply(wbuf *w, int op, const zop_result *res, int n)
{
    if (op == ZKOP_CREATE && n > 0) {
        w_str(w, res[0].path);
        zk_w_stat(w, &res[0].stat);
    } else if (op == ZKOP_SET && n > 0) {
        zk_w_stat(w, &res[0].stat);
    } else if (op == ZKOP_MULTI) {
        w_u32(w, (uint32_t)n);
        for (int i = 0; i < n; i++) zk_w_result(w, &res[i]);
    }
}

static void close_session_conns(zk_server *z, int64_t session)
{
    for (int i = 0; i < z->nconns; i++)
        if (z->conns[i].state != CN_FREE && z->conns[i].session == session)
            conn_free(z, &z->conns[i], true);
}

static void connect_reply(zk_server *z, zk_conn *c, bool expired)
{
    wbuf *o = to_client(z, c);
    w_u32(o, (uint32_t)(c - z->conns));
    w_u32(o, c->gen);
    w_i64(o, c->session);
    w_u32(o, expired ? 0 : c->timeout_ms);
    w_u64(o, zk_processed_zxid(z));
    w_u8(o, c->ro);                     /* ConnectResponse's readOnly */
    send_client(z, c, ZC_CONNECT_RESP);
}

void zk_serve_applied(zk_server *z, const zk_txn *t, uint64_t zxid,
                      zerr err, const zop_result *res, int nres)
{
    zk_conn *c = t->origin.sid == (uint32_t)z->sid
                     ? conn_get(z, t->origin.slot, t->origin.gen) : NULL;
    if (t->type == ZTXN_CREATE_SESSION) {
        if (!c || c->state != CN_HANDSHAKE || c->session != t->session) return;
        c->state = CN_OPEN;
        c->heard_us = zk_now(z);
        connect_reply(z, c, false);
        trace_emit(sim_trace(z->s), TR_SESSION_NEW, z->node, c->client,
                   (uint64_t)t->session, t->timeout_ms, "session 0x%llx timeout %u ms",
                   (unsigned long long)t->session, t->timeout_ms);
        return;
    }
    if (c && c->state == CN_OPEN) {
        for (int i = c->qhead; i < c->nq; i++) {
            zk_pending *p = &c->q[i];
            if (!p->write || p->done || p->xid != t->origin.xid) continue;
            p->done = true;
            wbuf_reset(&p->reply);
            w_u32(&p->reply, p->xid);
            w_u64(&p->reply, zxid);
            w_u32(&p->reply, (uint32_t)(p->op == ZKOP_MULTI ? err : nres ? res[0].err : err));
            encode_write_reply(&p->reply, p->op, res, nres);
            break;
        }
        run_queue(z, c);
    }
    if (t->type == ZTXN_CLOSE_SESSION) {
        if (c)
            trace_emit(sim_trace(z->s), TR_SESSION_CLOSE, z->node, c->client,
                       (uint64_t)t->session, 0, "session 0x%llx closed",
                       (unsigned long long)t->session);
        close_session_conns(z, t->session);
    }
}

/* ---------------------------------------------------------- sessions */

static uint64_t expiry_for(const zk_server *z, uint32_t timeout_ms)
{
    /* the leader checks in ticks, like SessionTrackerImpl's buckets */
    uint64_t tick = (uint64_t)z->cfg.tick_ms * 1000;
    uint64_t at = zk_now(z) + (uint64_t)timeout_ms * 1000;
    return tick ? (at / tick + 1) * tick : at;
}

void zk_session_touch(zk_server *z, int64_t id)
{
    zk_session *s = zk_session_find(z, id);
    if (s && !s->closing) {
        s->expire_at_us = expiry_for(z, s->timeout_ms);
        s->touched_us = zk_now(z);
    }
}

void zk_sessions_restart_clocks(zk_server *z)
{
    for (int i = 0; i < z->nsess; i++) {
        z->sess[i].expire_at_us = expiry_for(z, z->sess[i].timeout_ms);
        z->sess[i].touched_us = zk_now(z);
        z->sess[i].closing = false;
    }
}

void zk_sessions_expire_check(zk_server *z)
{
    uint64_t now = zk_now(z);
    int64_t *dead = NULL;
    int ndead = 0, cap = 0;
    for (int i = 0; i < z->nsess; i++) {
        zk_session *s = &z->sess[i];
        if (s->closing || s->expire_at_us > now) continue;
        s->closing = true;
        VEC_GROW(dead, ndead, cap);
        dead[ndead++] = s->id;
    }
    /* proposing may apply at once (one server) and change the table */
    for (int i = 0; i < ndead; i++) {
        trace_emit(sim_trace(z->s), TR_SESSION_EXPIRE, z->node, -1,
                   (uint64_t)dead[i], 0, "session 0x%llx expired",
                   (unsigned long long)dead[i]);
        wbuf *w = &z->req;
        wbuf_reset(w);
        w_u8(w, ZTXN_CLOSE_SESSION);
        w_i64(w, dead[i]);
        zk_w_origin(w, &(zk_origin){0});
        zk_propose(z, w->data, w->len);
    }
    free(dead);
}

void zk_sessions_write_touches(zk_server *z, wbuf *w)
{
    size_t at = w->len;
    uint32_t n = 0;
    w_u32(w, 0);
    for (int i = 0; i < z->nconns; i++) {
        zk_conn *c = &z->conns[i];
        if (c->state != CN_OPEN || !c->touched) continue;
        c->touched = false;
        w_i64(w, c->session);
        n++;
    }
    for (int k = 0; k < 4; k++) w->data[at + (size_t)k] = (uint8_t)(n >> (8 * k));
}

static void touch(zk_server *z, zk_conn *c)
{
    c->heard_us = zk_now(z);
    if (z->state == ZK_LEADING) zk_session_touch(z, c->session);
    else c->touched = true;
}

/* ------------------------------------------------------------- entry */

static uint32_t clamp_timeout(const zk_server *z, uint32_t want_ms)
{
    return want_ms < z->cfg.min_session_ms ? z->cfg.min_session_ms
         : want_ms > z->cfg.max_session_ms ? z->cfg.max_session_ms : want_ms;
}

static void refuse_why(zk_server *z, int from, uint64_t conn_id, zk_refusal code,
                       const char *why)
{
    trace_emit(sim_trace(z->s), TR_NOTE, z->node, from, 0, 0, "%s", why);
    refuse_as(z, from, conn_id, code);
}

/* A client that set canBeReadOnly, at a read-only server
 * (ZooKeeperServer.processConnectRequest as ReadOnlyZooKeeperServer runs
 * it): a new local session, or a refusal. */
static void connect_ro(zk_server *z, int from, uint64_t conn_id, int64_t session,
                       uint32_t want_ms, bool ro_client)
{
    if (!ro_client) {
        refuse_why(z, from, conn_id, ZR_NOT_READ_ONLY,
                   "Refusing session request for not-read-only client");
        return;
    }
    if (session != 0 && zk_session_find(z, session)) {
        /* validateSession: a global session cannot move to a minority */
        refuse_why(z, from, conn_id, ZR_GLOBAL_IN_RO,
                   "Refusing global session reconnection in RO mode");
        return;
    }
    zk_conn *old = NULL;
    for (int i = 0; i < z->nconns && session != 0; i++)
        if (z->conns[i].state == CN_OPEN && z->conns[i].ro && z->conns[i].session == session)
            old = &z->conns[i];
    if (old) conn_free(z, old, true);   /* its local session moves here */
    zk_conn *c = conn_alloc(z);
    uint32_t gen = c->gen;
    *c = (zk_conn){ .state = CN_OPEN, .gen = gen, .client = from, .id = conn_id,
                    .timeout_ms = clamp_timeout(z, want_ms), .heard_us = zk_now(z),
                    .ro = true };
    /* a local session unknown here (expired, or another server's): the
     * client is told it expired, as a touch of a missing session fails */
    bool expired = session != 0 && !old;
    c->session = session ? session : z->session_base + (int64_t)++z->sess_counter;
    connect_reply(z, c, expired);
    if (expired) { conn_free(z, c, false); return; }
    trace_emit(sim_trace(z->s), TR_SESSION_NEW, z->node, c->client, (uint64_t)c->session,
               c->timeout_ms, "session 0x%llx timeout %u ms (read-only, local)",
               (unsigned long long)c->session, c->timeout_ms);
}

static void on_connect(zk_server *z, int from, rbuf *r)
{
    uint64_t conn_id = r_u64(r);
    int64_t session = r_i64(r);
    uint32_t want_ms = r_u32(r);
    uint64_t last_zxid = r_u64(r);
    if (r->bad) return;
    /* ConnectRequest's readOnly (canBeReadOnly), when the client sent it */
    bool ro_client = r->pos < r->len && r_u8(r) != 0;
    if (!z->serving && z->ro) {
        connect_ro(z, from, conn_id, session, want_ms, ro_client);
        return;
    }
    if (!z->serving) { refuse_as(z, from, conn_id, ZR_NOT_SERVING); return; }
    if (last_zxid > zk_processed_zxid(z)) {
        trace_emit(sim_trace(z->s), TR_NOTE, z->node, from, last_zxid,
                   zk_processed_zxid(z), "refusing a client that has seen zxid "
                   "0x%llx: our last is 0x%llx", (unsigned long long)last_zxid,
                   (unsigned long long)zk_processed_zxid(z));
        refuse_as(z, from, conn_id, ZR_ZXID_AHEAD);
        return;
    }
    uint32_t to = clamp_timeout(z, want_ms);
    zk_conn *c = conn_alloc(z);
    uint32_t gen = c->gen;
    *c = (zk_conn){ .state = CN_HANDSHAKE, .gen = gen, .client = from,
                    .id = conn_id, .timeout_ms = to, .heard_us = zk_now(z) };
    uint32_t slot = (uint32_t)(c - z->conns);
    if (session == 0) {
        c->session = z->session_base + (int64_t)++z->sess_counter;
        write_body_header(z, &z->req, ZTXN_CREATE_SESSION, c->session, c, 0);
        w_u32(&z->req, to);
        zk_submit(z, z->req.data, z->req.len);
    } else {
        c->session = session;
        zk_revalidate(z, session, slot, gen);
    }
}

void zk_serve_revalidated(zk_server *z, int64_t session, uint32_t slot,
                          uint32_t gen, bool valid, uint32_t timeout_ms)
{
    zk_conn *c = conn_get(z, slot, gen);
    if (!c || c->state != CN_HANDSHAKE || c->session != session) return;
    if (!valid) {
        connect_reply(z, c, true);      /* SESSIONEXPIRED */
        conn_free(z, c, false);
        return;
    }
    c->state = CN_OPEN;
    touch(z, c);
    connect_reply(z, c, false);
}

void zk_serve_recv(zk_server *z, int from, uint32_t type, rbuf *r)
{
    if (!z->up) return;
    if (type == ZC_CONNECT) { z->pkts_in++; on_connect(z, from, r); return; }
    uint64_t conn_id = r_u64(r);
    uint32_t slot = r_u32(r), gen = r_u32(r), seq = r_u32(r);
    zk_conn *c = conn_get(z, slot, gen);
    if (r->bad || !c || c->id != conn_id || c->client != from) return;
    if (type == ZC_CLOSE_CONN) { conn_free(z, c, false); return; }
    if (c->state != CN_OPEN) return;
    if (seq != c->rx) { conn_free(z, c, true); return; }  /* TCP broke */
    c->rx++;
    z->pkts_in++;
    touch(z, c);
    switch (type) {
    case ZC_REQUEST:
        on_request(z, c, r);
        break;
    case ZC_PING:
        queue_ping(z, c);
        break;
    case ZC_SET_WATCHES:
        set_watches(z, c, r);
        break;
    default:
        break;
    }
}

void zk_serve_tick(zk_server *z)
{
    uint64_t now = zk_now(z);
    for (int i = 0; i < z->nconns; i++) {
        zk_conn *c = &z->conns[i];
        if (c->state != CN_FREE && now - c->heard_us > (uint64_t)c->timeout_ms * 1000)
            conn_free(z, c, true);      /* the client went away */
    }
}
