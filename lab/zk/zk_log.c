/* zk_log: an ensemble server's durable state, its latest snapshot and
 * the transaction log after it, and the replicated state they produce:
 * the znode tree and the session table. Like ZooKeeper's
 * SyncRequestProcessor, a server snapshots after snapCount/2 + roll logged
 * txns and then drops the log the snapshot covers (purge), keeping only
 * the last ZK_DIFF_WINDOW txns that DIFF syncs read (commitLogCount), so
 * memory stays bounded however long it runs. A restarted server loads the
 * snapshot and replays the log after it, so its tree holds every logged
 * txn. */
#include "zk_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* --- the log --- */

void zk_log_append(zk_server *z, uint64_t zxid, const uint8_t *txn, size_t len)
{
    QL_ASSERT(zxid > zk_log_last(z));
    VEC_GROW(z->log, z->nlog, z->caplog);
    zk_entry *e = &z->log[z->nlog++];
    e->zxid = zxid;
    e->len = (uint32_t)len;
    e->txn = xmalloc(len ? len : 1);
    memcpy(e->txn, txn, len);
    e->digest = wire_digest(txn, len, zxid);
}

void zk_log_truncate(zk_server *z, uint64_t zxid)
{
    size_t keep = zk_log_after(z, zxid);
    for (size_t i = keep; i < z->nlog; i++) free(z->log[i].txn);
    z->nlog = keep;
}

void zk_log_clear(zk_server *z)
{
    for (size_t i = 0; i < z->nlog; i++) free(z->log[i].txn);
    z->nlog = 0;
}

uint64_t zk_log_last(const zk_server *z)
{
    return z->nlog ? z->log[z->nlog - 1].zxid : z->log_base;
}

size_t zk_log_after(const zk_server *z, uint64_t after)
{
    size_t lo = 0, hi = z->nlog;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (z->log[mid].zxid <= after) lo = mid + 1; else hi = mid;
    }
    return lo;
}

long zk_log_find(const zk_server *z, uint64_t zxid)
{
    size_t i = zk_log_after(z, zxid);
    return i > 0 && z->log[i - 1].zxid == zxid ? (long)(i - 1) : -1;
}

/* --- sessions --- */

static int session_pos(const zk_server *z, int64_t id)
{
    int lo = 0, hi = z->nsess;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (z->sess[mid].id < id) lo = mid + 1; else hi = mid;
    }
    return lo;
}

zk_session *zk_session_find(zk_server *z, int64_t id)
{
    int i = session_pos(z, id);
    return i < z->nsess && z->sess[i].id == id ? &z->sess[i] : NULL;
}

static void session_add(zk_server *z, int64_t id, uint32_t timeout_ms)
{
    int i = session_pos(z, id);
    if (i < z->nsess && z->sess[i].id == id) return;
    VEC_GROW(z->sess, z->nsess, z->capsess);
    memmove(&z->sess[i + 1], &z->sess[i], (size_t)(z->nsess - i) * sizeof *z->sess);
    z->nsess++;
    z->sess[i] = (zk_session){ .id = id, .timeout_ms = timeout_ms,
                               .expire_at_us = zk_now(z) + (uint64_t)timeout_ms * 1000,
                               .touched_us = zk_now(z) };
}

static void session_remove(zk_server *z, int64_t id)
{
    int i = session_pos(z, id);
    if (i >= z->nsess || z->sess[i].id != id) return;
    memmove(&z->sess[i], &z->sess[i + 1], (size_t)(z->nsess - i - 1) * sizeof *z->sess);
    z->nsess--;
}

/* --- the state machine --- */

static void observe(void *ctx, zevent ev, const char *path)
{
    zk_server *z = ctx;
    if (!z->replaying) zk_serve_watch_event(z, ev, path);
}

static void state_new(zk_server *z, ztree *t)
{
    ztree_free(z->tree);
    z->tree = t ? t : ztree_new();
    ztree_set_observer(z->tree, observe, z);
    z->nsess = 0;
    z->applied_zxid = 0;
}

void zk_state_free(zk_server *z)
{
    ztree_free(z->tree);
    z->tree = NULL;
    free(z->sess);
    z->sess = NULL;
    z->nsess = z->capsess = 0;
}

/* Closing a session deletes its ephemerals, one delete each, as the
 * real server does. */
static void close_session(zk_server *z, uint64_t zxid, int64_t id, int64_t time_ms)
{
    char **paths;
    int n = ztree_ephemerals(z->tree, id, &paths);
    for (int i = 0; i < n; i++) {
        zop del = { .type = ZOP_DELETE, .path = paths[i], .version = -1 };
        zop_result res;
        ztree_apply(z->tree, (int64_t)zxid, id, time_ms, &del, 1, &res);
    }
    ztree_free_names(paths, n);
    session_remove(z, id);
}

/* Decodes and applies one entry. live: trace it, fire watches, reply. */
static void apply_entry(zk_server *z, const zk_entry *e, bool live)
{
    rbuf r = rbuf_of(e->txn, e->len);
    zk_txn t = { .time_ms = r_u64(&r) };
    t.type = (zk_txn_type)r_u8(&r);
    t.session = r_i64(&r);
    zk_r_origin(&r, &t.origin);
    zerr err = ZOK;
    int nres = 0;
    switch (t.type) {
    case ZTXN_CREATE_SESSION:
        t.timeout_ms = r_u32(&r);
        if (!r.bad) session_add(z, t.session, t.timeout_ms);
        break;
    case ZTXN_CLOSE_SESSION:
        if (!r.bad) close_session(z, e->zxid, t.session, (int64_t)t.time_ms);
        break;
    case ZTXN_OPS:
        t.multi = r_u8(&r) != 0;
        nres = t.nops = zk_r_ops(&r, z->ops, z->paths, ZK_MULTI_MAX);
        if (r.bad || nres == 0) {
            err = ZBADARGUMENTS;
        } else if (!zk_session_find(z, t.session)) {
            err = ZSESSIONEXPIRED;  /* checked at apply: same on every server */
            for (int i = 0; i < nres; i++)
                z->res[i] = (zop_result){ .err = ZSESSIONEXPIRED };
        } else {
            err = ztree_apply(z->tree, (int64_t)e->zxid, t.session,
                              (int64_t)t.time_ms, z->ops, nres, z->res);
        }
        break;
    default:
        r.bad = true;
    }
    QL_ASSERT(!r.bad);      /* the log holds only what a leader encoded */
    z->applied_zxid = e->zxid;
    if (!live) return;
    trace_emit(sim_trace(z->s), TR_APPLY, z->node, -1, e->zxid, e->digest, NULL);
    zk_serve_applied(z, &t, e->zxid, err, z->res, nres);
}

void zk_state_apply_upto(zk_server *z, uint64_t upto)
{
    for (size_t i = zk_log_after(z, z->applied_zxid);
         i < z->nlog && z->log[i].zxid <= upto; i++)
        apply_entry(z, &z->log[i], true);
    zk_log_maybe_snap(z);
}

void zk_state_reload(zk_server *z, uint64_t upto)
{
    /* snapshots hold committed txns only, and nothing committed is ever
     * truncated, so a reload never has to go back past the snapshot */
    QL_ASSERT(z->snap_zxid <= upto);
    state_new(z, NULL);
    if (z->snap.len) {
        bool ok = zk_snap_load(z, z->snap.data, z->snap.len, z->snap_zxid);
        QL_ASSERT(ok);
    }
    z->replaying = true;
    for (size_t i = zk_log_after(z, z->applied_zxid);
         i < z->nlog && z->log[i].zxid <= upto; i++)
        apply_entry(z, &z->log[i], false);
    z->replaying = false;
}

/* A leader's TRUNC (Learner.syncWithLeader): ZKDatabase.truncateLog cuts
 * the txn log after the cut, reloads the latest snapshot and the log
 * after it, and the learner then sets lastProcessedZxid to the cut.
 * The snapshot may be labelled past the cut: a SNAP carries the leader's
 * lastProcessedZxid, an epoch's zxid (counter 0) when the leader has
 * committed nothing in its epoch yet (Leader.startZkServer sets it), so a
 * follower of a leader that then lost its quorum holds a snapshot at
 * 0x200000000 whose tree is the state of the last epoch-1 txn. A new
 * leader that never saw epoch 2 cuts it back to that txn: the tree is
 * already that state, so the snapshot is taken as being at the cut, as
 * the real learner's lastProcessedZxid is. */
void zk_log_trunc_sync(zk_server *z, uint64_t cut)
{
    zk_log_truncate(z, cut);
    if (z->snap_zxid > cut) {
        /* only an epoch's zxid holds no txn past what any leader keeps */
        QL_ASSERT(ZXID_COUNTER(z->snap_zxid) == 0 && z->nlog == 0);
        z->snap_zxid = z->log_base = cut;
    }
    if (z->applied_zxid > cut) zk_state_reload(z, cut);
    if (z->commit_zxid > cut) z->commit_zxid = cut;
}

/* --- snapshots --- */

void zk_snap_write(zk_server *z, wbuf *w)
{
    ztree_serialize(z->tree, w);
    w_u32(w, (uint32_t)z->nsess);
    for (int i = 0; i < z->nsess; i++) {
        w_i64(w, z->sess[i].id);
        w_u32(w, z->sess[i].timeout_ms);
    }
}

bool zk_snap_load(zk_server *z, const uint8_t *p, size_t n, uint64_t zxid)
{
    rbuf r = rbuf_of(p, n);
    ztree *t = ztree_deserialize(&r);
    if (!t) return false;
    state_new(z, t);
    uint32_t ns = r_u32(&r);
    for (uint32_t i = 0; i < ns && !r.bad; i++) {
        int64_t id = r_i64(&r);
        uint32_t to = r_u32(&r);
        session_add(z, id, to);
    }
    z->applied_zxid = zxid;
    return !r.bad;
}

/* --- snapshots and purge --- */

bool zk_log_install_snap(zk_server *z, const uint8_t *p, size_t n, uint64_t zxid)
{
    wbuf_reset(&z->snap);
    zk_w_raw(&z->snap, p, n);
    z->snap_zxid = z->log_base = zxid;
    zk_log_clear(z);
    return zk_snap_load(z, p, n, zxid);
}

/* The per-server roll below snapCount/2 that keeps an ensemble from
 * snapshotting all at once. ZooKeeper draws it from a Random; a digest of
 * the server id and the last snapshot's zxid varies as much between
 * servers and snapshots, and leaves the node's PRNG stream (elections,
 * connection ids) as it was. */
static uint32_t snap_roll(const zk_server *z)
{
    uint32_t half = z->cfg.snap_count / 2;
    return (uint32_t)(wire_digest(&z->snap_zxid, sizeof z->snap_zxid,
                                  (uint64_t)z->sid) % half);
}

/* Drops the txns the snapshot covers, but never the last ZK_DIFF_WINDOW:
 * the log then holds at most the window plus what came after the
 * snapshot. */
static void purge(zk_server *z)
{
    size_t covered = zk_log_after(z, z->snap_zxid);
    size_t keep_from = z->nlog > ZK_DIFF_WINDOW ? z->nlog - ZK_DIFF_WINDOW : 0;
    size_t drop = covered < keep_from ? covered : keep_from;
    if (!drop) return;
    z->log_base = z->log[drop - 1].zxid;
    for (size_t i = 0; i < drop; i++) free(z->log[i].txn);
    memmove(z->log, z->log + drop, (z->nlog - drop) * sizeof *z->log);
    z->nlog -= drop;
}

void zk_log_maybe_snap(zk_server *z)
{
    /* only committed state: a restart replay may have applied txns a
     * TRUNC will take back, and a reload starts from the snapshot */
    if (z->replaying || z->applied_zxid > z->commit_zxid ||
        z->applied_zxid <= z->snap_zxid)
        return;
    size_t logged = z->nlog - zk_log_after(z, z->snap_zxid);
    if (logged <= z->cfg.snap_count / 2 + snap_roll(z)) return;
    wbuf_reset(&z->snap);
    zk_snap_write(z, &z->snap);
    z->snap_zxid = z->applied_zxid;
    purge(z);
    trace_emit(sim_trace(z->s), TR_NOTE, z->node, -1, z->snap_zxid, z->nlog,
               "snapshot at 0x%llx (%zu bytes), log keeps %zu txns",
               (unsigned long long)z->snap_zxid, z->snap.len, z->nlog);
}
