/* zk_zab: ZooKeeper Atomic Broadcast between a leader and its followers.
 * Discovery: followers send their accepted epoch (FOLLOWERINFO); once a
 * quorum has, the leader proposes max + 1 (LEADERINFO) and waits for a
 * quorum of ACKEPOCH. Synchronization: each follower gets DIFF, TRUNC or
 * SNAP, then NEWLEADER; once a quorum acked NEWLEADER the leader's history
 * is committed and UPTODATE starts service. Broadcast: PROPOSAL, ACK from a
 * quorum (the leader included), COMMIT in zxid order. ACK and COMMIT are
 * cumulative; a follower that sees a gap abandons the leader and re-syncs
 * through a new election instead of guessing. */
#include "zk_int.h"
#include "util.h"

#include <string.h>

static uint64_t tick_us(const zk_server *z) { return (uint64_t)z->cfg.tick_ms * 1000; }

/* Starts a connection message: conn id and sequence number first. */
static wbuf *begin(zk_server *z, uint64_t conn, uint32_t seq)
{
    wbuf_reset(&z->out);
    w_u64(&z->out, conn);
    w_u32(&z->out, seq);
    return &z->out;
}

static void send_out(zk_server *z, int sid, uint32_t type)
{
    sim_send(z->s, z->node, z->peer[sid], type, z->out.data, z->out.len);
}

static wbuf *to_learner(zk_server *z, int sid)
{
    return begin(z, z->lh[sid].conn, z->lh[sid].tx++);
}

static wbuf *to_leader(zk_server *z)
{
    return begin(z, z->fconn, z->ftx++);
}

static void bye(zk_server *z, int sid, uint64_t conn)
{
    begin(z, conn, 0);
    send_out(z, sid, ZM_BYE);
}

static void drop_learner(zk_server *z, int sid)
{
    if (z->lh[sid].state != LH_NONE) bye(z, sid, z->lh[sid].conn);
    memset(&z->lh[sid], 0, sizeof z->lh[sid]);
}

/* LearnerHandler.synced: heard from within syncLimit ticks of the
 * leader's own tick count, which stands still while the leader is paused
 * (so a leader waking from a long pause still counts its followers as
 * synced until their connections are found closed). */
static bool learner_synced(const zk_server *z, const zk_learner *h)
{
    return z->half_ticks - h->heard_tick <= 2 * (uint64_t)z->cfg.sync_limit;
}

int zk_synced_followers(const zk_server *z)
{
    int count = 0;
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state == LH_SYNCED && learner_synced(z, &z->lh[sid]))
            count++;
    return count;
}

static int count_state(const zk_server *z, zk_lh_state at_least)
{
    int count = 1;              /* the leader itself */
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state >= at_least) count++;
    return count;
}

/* ------------------------------------------------------------ leader */

static void send_leaderinfo(zk_server *z, int sid)
{
    wbuf *w = to_learner(z, sid);
    w_u32(w, z->new_epoch);
    send_out(z, sid, ZM_LEADERINFO);
}

/* Discovery: a quorum of FOLLOWERINFO fixes the new epoch. */
static void check_epoch_quorum(zk_server *z)
{
    if (z->new_epoch || count_state(z, LH_INFO) < z->quorum) return;
    uint32_t max = z->accepted_epoch;
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state >= LH_INFO && z->lh[sid].accepted_epoch > max)
            max = z->lh[sid].accepted_epoch;
    z->new_epoch = max + 1;
    z->accepted_epoch = z->new_epoch;           /* durable */
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state == LH_INFO) send_leaderinfo(z, sid);
}

static void w_entries(wbuf *w, const zk_server *z, size_t from)
{
    w_u32(w, (uint32_t)(z->nlog - from));
    for (size_t i = from; i < z->nlog; i++) {
        w_u64(w, z->log[i].zxid);
        w_bytes(w, z->log[i].txn, z->log[i].len);
    }
}

/* Synchronization of one follower whose last logged zxid is L, as
 * LearnerHandler.syncFollower chooses: an empty DIFF when L is our last;
 * TRUNC to our last when L is ahead of us; DIFF when L is in our recent
 * log (or is an epoch's zxid, counter 0, which no txn has); TRUNC then the
 * txns when L holds txns we do not have, but only when our next txn after
 * L is of L's epoch (queueCommittedProposals will not TRUNC across an
 * epoch); SNAP otherwise. "Recent" is the last ZK_DIFF_WINDOW txns
 * (committedLog), never past what the log still keeps (log_base). */
static void sync_learner(zk_server *z, int sid)
{
    zk_learner *h = &z->lh[sid];
    uint64_t L = h->last_zxid, last = zk_log_last(z);
    bool epoch_zxid = (L & 0xffffffffu) == 0;
    size_t window = z->nlog > ZK_DIFF_WINDOW ? z->nlog - ZK_DIFF_WINDOW : 0;
    uint64_t window_base = window ? z->log[window - 1].zxid : z->log_base;
    uint32_t type = ZM_SNAP;
    uint64_t cut = 0;
    size_t from = 0;
    if (z->nlog == 0) {
        /* an empty committedLog: syncFollower takes lastProcessedZxid as
         * its whole range, so a server joining a leader that serves a
         * fresh epoch without txns gets a SNAP at the epoch's zxid (a real
         * 3.8 ensemble: the follower that connected 0.5 s late got "a
         * snapshot from leader 0x100000000", the other a DIFF at 0x0) */
        uint64_t p = zk_processed_zxid(z);
        if (L == p) type = ZM_DIFF;
        else if (L > p && !epoch_zxid) type = ZM_TRUNC, cut = p;
    } else if (L == last) {
        type = ZM_DIFF, from = z->nlog;
    } else if (L > last && !epoch_zxid) {
        type = ZM_TRUNC, cut = last, from = z->nlog;
    } else if (L >= window_base && L < last &&
               (zk_log_find(z, L) >= 0 || L == z->log_base || epoch_zxid)) {
        type = ZM_DIFF, from = zk_log_after(z, L);
    } else if (L > window_base && L < last) {
        from = zk_log_after(z, L);
        cut = from ? z->log[from - 1].zxid : z->log_base;
        if (cut >= window_base && ZXID_EPOCH(z->log[from].zxid) == ZXID_EPOCH(L))
            type = ZM_TRUNC;
    }
    if (type == ZM_SNAP) {
        wbuf_reset(&z->body);
        zk_snap_write(z, &z->body);
        from = zk_log_after(z, z->applied_zxid);
    }
    wbuf *w = to_learner(z, sid);
    if (type == ZM_TRUNC) w_u64(w, cut);
    if (type == ZM_SNAP) {
        w_u64(w, zk_processed_zxid(z));     /* the snapshot's lastProcessedZxid */
        w_bytes(w, z->body.data, z->body.len);
    }
    w_entries(w, z, from);
    send_out(z, sid, type);
    w = to_learner(z, sid);
    w_u64(w, ZXID(z->current_epoch, 0));
    w_u64(w, z->commit_zxid);
    send_out(z, sid, ZM_NEWLEADER);
    h->state = LH_SYNCING;
    h->acked_zxid = 0;
}

static void send_uptodate(zk_server *z, int sid)
{
    wbuf *w = to_learner(z, sid);
    w_u64(w, z->commit_zxid);
    send_out(z, sid, ZM_UPTODATE);
    z->lh[sid].uptodate = true;
}

static void check_newleader_quorum(zk_server *z);

/* Discovery done: a quorum acknowledged the new epoch. */
static void check_epochack_quorum(zk_server *z)
{
    if (z->phase != PH_DISCOVERY || count_state(z, LH_EPOCH) < z->quorum) return;
    z->current_epoch = z->new_epoch;            /* durable */
    z->counter = 0;
    z->phase = PH_SYNC;
    trace_emit_code(sim_trace(z->s), TR_ROLE, TROLE_LEADING, z->node, -1,
                    z->current_epoch, zk_log_last(z), "LEADING epoch %u",
                    z->current_epoch);
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state == LH_EPOCH) sync_learner(z, sid);
    check_newleader_quorum(z);      /* a quorum of one is already there */
}

static void send_commit(zk_server *z, uint64_t zxid)
{
    for (int sid = 1; sid <= z->n; sid++) {
        if (z->lh[sid].state < LH_SYNCING) continue;
        w_u64(to_learner(z, sid), zxid);
        send_out(z, sid, ZM_COMMIT);
    }
}

/* Sync done: a quorum acked NEWLEADER, so the leader's whole history is
 * the committed prefix of the new epoch. */
static void check_newleader_quorum(zk_server *z)
{
    if (z->phase != PH_SYNC || count_state(z, LH_SYNCED) < z->quorum) return;
    trace *tr = sim_trace(z->s);
    for (size_t i = zk_log_after(z, z->commit_hint); i < z->nlog; i++)
        trace_emit(tr, TR_COMMIT, z->node, -1, z->log[i].zxid, z->log[i].digest,
                   "at NEWLEADER");
    z->commit_zxid = z->commit_hint = zk_log_last(z);
    zk_state_apply_upto(z, z->commit_zxid);
    z->phase = PH_BROADCAST;
    z->vote.epoch = z->current_epoch;
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state == LH_SYNCED) send_uptodate(z, sid);
    zk_sessions_restart_clocks(z);
    zk_set_serving(z, true);
}

/* Leader.processSync / sendSync: a follower's sync is answered once every
 * proposal made before it is committed, after those COMMITs on the same
 * connection, so the follower has applied them when the answer comes. */
static void sync_answer(zk_server *z, const zk_sync_wait *w)
{
    zk_learner *h = &z->lh[w->sid];
    if (h->state < LH_SYNCING || h->conn != w->conn) return;  /* gone */
    wbuf *o = to_learner(z, w->sid);
    w_u32(o, w->slot);
    w_u32(o, w->gen);
    w_u32(o, w->xid);
    send_out(z, w->sid, ZM_SYNC_RESP);
}

static void leader_on_sync(zk_server *z, int sid, rbuf *r)
{
    zk_sync_wait w = { .zxid = zk_log_last(z), .sid = sid, .conn = z->lh[sid].conn };
    w.slot = r_u32(r);
    w.gen = r_u32(r);
    w.xid = r_u32(r);
    if (r->bad || z->phase != PH_BROADCAST) return;
    if (w.zxid <= z->commit_zxid) {
        sync_answer(z, &w);
        return;
    }
    VEC_GROW(z->syncs, z->nsyncs, z->capsyncs);
    z->syncs[z->nsyncs++] = w;
}

static void flush_syncs(zk_server *z)
{
    int done = 0;
    while (done < z->nsyncs && z->syncs[done].zxid <= z->commit_zxid)
        sync_answer(z, &z->syncs[done++]);
    if (!done) return;
    memmove(z->syncs, z->syncs + done, (size_t)(z->nsyncs - done) * sizeof *z->syncs);
    z->nsyncs -= done;
}

static void try_commit(zk_server *z)
{
    size_t i = zk_log_after(z, z->commit_zxid);
    for (; i < z->nlog; i++) {
        uint64_t zxid = z->log[i].zxid;
        int acks = 1;
        for (int sid = 1; sid <= z->n; sid++)
            if (z->lh[sid].state >= LH_SYNCING && z->lh[sid].acked_zxid >= zxid)
                acks++;
        if (acks < z->quorum) break;
        z->commit_zxid = z->commit_hint = zxid;
        trace_emit(sim_trace(z->s), TR_COMMIT, z->node, -1, zxid,
                   z->log[i].digest, NULL);
        send_commit(z, zxid);
        zk_state_apply_upto(z, zxid);
    }
    flush_syncs(z);
}

void zk_propose(zk_server *z, const uint8_t *body, size_t len)
{
    QL_ASSERT(z->state == ZK_LEADING && z->phase == PH_BROADCAST);
    uint64_t prev = zk_log_last(z);
    uint64_t zxid = ZXID(z->current_epoch, ++z->counter);
    wbuf_reset(&z->body);
    w_u64(&z->body, zk_now(z) / 1000);     /* the txn header's time */
    zk_w_raw(&z->body, body, len);
    zk_log_append(z, zxid, z->body.data, z->body.len);
    const zk_entry *e = &z->log[z->nlog - 1];
    /* ProposalStats.setLastBufferSize (Leader.propose): the serialized
     * txn's length, here the lab's own encoding of it */
    int64_t sz = (int64_t)e->len;
    z->prop_last = sz;
    if (z->prop_min < 0 || sz < z->prop_min) z->prop_min = sz;
    if (sz > z->prop_max) z->prop_max = sz;
    trace_emit(sim_trace(z->s), TR_PROPOSE, z->node, -1, zxid, e->digest, NULL);
    for (int sid = 1; sid <= z->n; sid++) {
        if (z->lh[sid].state < LH_SYNCING) continue;
        wbuf *w = to_learner(z, sid);
        w_u64(w, prev);
        w_u64(w, zxid);
        w_bytes(w, e->txn, e->len);
        send_out(z, sid, ZM_PROPOSAL);
    }
    try_commit(z);
}

static void leader_on_followerinfo(zk_server *z, int sid, uint64_t conn, rbuf *r)
{
    uint32_t acc = r_u32(r);
    if (r->bad) return;
    if (z->lh[sid].state != LH_NONE && z->state == ZK_LEADING)
        drop_learner(z, sid);               /* it reconnected */
    z->lh[sid] = (zk_learner){ .state = LH_INFO, .conn = conn, .rx = 1,
                               .accepted_epoch = acc, .heard_us = zk_now(z),
                               .heard_tick = z->half_ticks };
    if (z->state != ZK_LEADING) return;     /* LOOKING: kept for later */
    if (z->new_epoch) send_leaderinfo(z, sid);
    else check_epoch_quorum(z);
}

static void leader_recv(zk_server *z, int sid, uint32_t type, rbuf *r)
{
    zk_learner *h = &z->lh[sid];
    h->heard_us = zk_now(z);
    h->heard_tick = z->half_ticks;
    switch (type) {
    case ZM_ACKEPOCH:
        if (h->state != LH_INFO) return;
        h->current_epoch = r_u32(r);
        h->last_zxid = r_u64(r);
        if (z->phase == PH_DISCOVERY &&
            (h->current_epoch > z->current_epoch ||
             (h->current_epoch == z->current_epoch && h->last_zxid > zk_log_last(z)))) {
            zk_become_looking(z, "follower is ahead of the leader");
            return;
        }
        h->state = LH_EPOCH;
        if (z->phase == PH_DISCOVERY) check_epochack_quorum(z);
        else sync_learner(z, sid);
        break;
    case ZM_ACK: {
        uint64_t zxid = r_u64(r);
        if (zxid > h->acked_zxid) h->acked_zxid = zxid;
        if (h->state == LH_SYNCING && zxid >= ZXID(z->current_epoch, 0)) {
            h->state = LH_SYNCED;
            if (z->phase == PH_SYNC) check_newleader_quorum(z);
            else if (z->phase == PH_BROADCAST) send_uptodate(z, sid);
        }
        if (z->phase == PH_BROADCAST) try_commit(z);
        break;
    }
    case ZM_PING: {
        uint32_t n = r_u32(r);
        for (uint32_t i = 0; i < n && !r->bad; i++) zk_session_touch(z, r_i64(r));
        break;
    }
    case ZM_REQUEST: {
        const uint8_t *body;
        size_t len = r_bytes(r, &body);
        if (!r->bad && z->phase == PH_BROADCAST) zk_propose(z, body, len);
        break;
    }
    case ZM_SYNC:
        leader_on_sync(z, sid, r);
        break;
    case ZM_REVALIDATE: {
        int64_t session = r_i64(r);
        uint32_t slot = r_u32(r), gen = r_u32(r);
        zk_session *s = zk_session_find(z, session);
        bool valid = s && !s->closing;
        if (valid) zk_session_touch(z, session);
        wbuf *w = to_learner(z, sid);
        w_i64(w, session);
        w_u32(w, slot);
        w_u32(w, gen);
        w_u8(w, valid);
        w_u32(w, valid ? s->timeout_ms : 0);
        send_out(z, sid, ZM_REVALIDATE_RESP);
        break;
    }
    default:
        break;
    }
}

void zk_lead_start(zk_server *z)
{
    z->phase = PH_DISCOVERY;
    z->phase_start_us = zk_now(z);
    z->new_epoch = 0;
    z->counter = 0;
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state == LH_INFO) {
            z->lh[sid].heard_us = zk_now(z);
            z->lh[sid].heard_tick = z->half_ticks;
        }
    check_epoch_quorum(z);
    check_epochack_quorum(z);       /* a quorum of one is already there */
}

/* ---------------------------------------------------------- follower */

static void refuse_stashed(zk_server *z)
{
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state != LH_NONE) drop_learner(z, sid);
}

void zk_follow_start(zk_server *z)
{
    refuse_stashed(z);
    z->fconn = rng_next(sim_node_rng(z->s, z->node)) | 1;
    z->ftx = z->frx = 0;
    z->phase = PH_DISCOVERY;
    z->phase_start_us = z->leader_heard_us = zk_now(z);
    wbuf *w = to_leader(z);
    w_u32(w, z->accepted_epoch);
    send_out(z, z->leader_sid, ZM_FOLLOWERINFO);
}

static void ack(zk_server *z, uint64_t zxid)
{
    w_u64(to_leader(z), zxid);
    send_out(z, z->leader_sid, ZM_ACK);
}

/* COMMIT and PING carry the leader's committed zxid. */
static bool advance_commit(zk_server *z, uint64_t zxid)
{
    if (zxid > zk_log_last(z)) {
        zk_become_looking(z, "commit of a txn it never received");
        return false;
    }
    if (zxid > z->commit_zxid) z->commit_zxid = zxid;
    if (z->commit_zxid > z->commit_hint) z->commit_hint = z->commit_zxid;
    if (z->phase == PH_BROADCAST) zk_state_apply_upto(z, z->commit_zxid);
    return true;
}

static void on_sync(zk_server *z, uint32_t type, rbuf *r)
{
    trace *tr = sim_trace(z->s);
    int leader = z->peer[z->leader_sid];
    if (type == ZM_TRUNC) {
        uint64_t t = r_u64(r);
        if (r->bad) return;
        zk_log_trunc_sync(z, t);
        z->sync_how = TSYNC_TRUNC;
        trace_emit_code(tr, TR_SYNC, TSYNC_TRUNC, z->node, leader, t, 0, "TRUNC");
    } else if (type == ZM_SNAP) {
        uint64_t zxid = r_u64(r);
        const uint8_t *p;
        size_t n = r_bytes(r, &p);
        if (r->bad) return;
        if (!zk_log_install_snap(z, p, n, zxid)) {
            zk_become_looking(z, "bad snapshot");
            return;
        }
        z->commit_zxid = zxid;
        z->sync_how = TSYNC_SNAP;
        trace_emit_code(tr, TR_SYNC, TSYNC_SNAP, z->node, leader, zxid, 0, "SNAP");
    } else {
        z->sync_how = TSYNC_DIFF;
        trace_emit_code(tr, TR_SYNC, TSYNC_DIFF, z->node, leader,
                        zk_log_last(z), 0, "DIFF");
    }
    uint32_t n = r_u32(r);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        uint64_t zxid = r_u64(r);
        const uint8_t *p;
        size_t len = r_bytes(r, &p);
        if (!r->bad && zxid > zk_log_last(z)) zk_log_append(z, zxid, p, len);
    }
}

/* Learner's socket read timeout: a follower gives up on a leader silent
 * for syncLimit ticks exactly, not at its next tick (a real follower of a
 * SIGSTOPped leader: 9.4 s after the stop, its last ping 0.6 s before).
 * One timer per connection, pushed on lazily when it fires early. */
static void read_timeout(void *self, uint64_t conn)
{
    zk_server *z = self;
    if (z->state != ZK_FOLLOWING || z->fconn != conn || z->phase != PH_BROADCAST) return;
    uint64_t sync_us = (uint64_t)z->cfg.sync_limit * tick_us(z);
    uint64_t due = z->leader_heard_us + sync_us, now = zk_now(z);
    if (now >= due) {
        zk_become_looking(z, "leader silent");
        return;
    }
    sim_timer(z->s, z->node, due - now, read_timeout, conn);
}

/* Whether a proposal (zxid, after the leader's last logged txn prev)
 * follows a follower whose last zxid is last. A SNAP at an epoch's zxid
 * (counter 0: the leader's lastProcessedZxid before its first txn) leaves
 * the follower at a zxid no txn has, past the leader's prev: there
 * Learner.syncWithLeader's lastProcessedZxid is the SNAP's zxid and
 * Follower.processPacket expects lastQueued + 1, the epoch's first txn. */
static bool follows(uint64_t last, uint64_t prev, uint64_t zxid)
{
    if (zxid <= prev) return false;
    if (prev == last) return true;
    return ZXID_COUNTER(last) == 0 && prev < last && zxid == last + 1;
}

static void follower_recv(zk_server *z, uint32_t type, rbuf *r)
{
    z->leader_heard_us = zk_now(z);
    switch (type) {
    case ZM_LEADERINFO: {
        uint32_t e = r_u32(r);
        if (r->bad || z->phase != PH_DISCOVERY) return;
        if (e < z->accepted_epoch) {
            zk_become_looking(z, "leader proposed an older epoch");
            return;
        }
        z->accepted_epoch = e;                  /* durable */
        wbuf *w = to_leader(z);
        w_u32(w, z->current_epoch);
        w_u64(w, zk_log_last(z));
        send_out(z, z->leader_sid, ZM_ACKEPOCH);
        z->phase = PH_SYNC;
        break;
    }
    case ZM_DIFF: case ZM_TRUNC: case ZM_SNAP:
        on_sync(z, type, r);
        break;
    case ZM_NEWLEADER: {
        uint64_t zxid = r_u64(r), commit = r_u64(r);
        if (r->bad) return;
        z->current_epoch = ZXID_EPOCH(zxid);    /* durable */
        z->vote.epoch = z->current_epoch;
        if (commit > z->commit_zxid && commit <= zk_log_last(z)) z->commit_zxid = commit;
        trace_emit_code(sim_trace(z->s), TR_ROLE, TROLE_FOLLOWING, z->node,
                        z->peer[z->leader_sid], z->current_epoch,
                        zk_log_last(z), "FOLLOWING zk%d epoch %u",
                   z->leader_sid, z->current_epoch);
        uint64_t last = zk_log_last(z);
        ack(z, last > zxid ? last : zxid);
        break;
    }
    case ZM_UPTODATE: {
        uint64_t commit = r_u64(r);
        if (r->bad) return;
        z->phase = PH_BROADCAST;
        if (!advance_commit(z, commit)) return;
        zk_set_serving(z, true);
        sim_timer(z->s, z->node, (uint64_t)z->cfg.sync_limit * tick_us(z),
                  read_timeout, z->fconn);
        break;
    }
    case ZM_PROPOSAL: {
        uint64_t prev = r_u64(r), zxid = r_u64(r);
        const uint8_t *p;
        size_t len = r_bytes(r, &p);
        if (r->bad) return;
        if (!follows(zk_log_last(z), prev, zxid)) {
            zk_become_looking(z, "gap in the proposals");
            return;
        }
        zk_log_append(z, zxid, p, len);
        ack(z, zxid);
        break;
    }
    case ZM_COMMIT:
        advance_commit(z, r_u64(r));
        break;
    case ZM_PING: {
        if (!advance_commit(z, r_u64(r))) return;
        wbuf *w = to_leader(z);
        zk_sessions_write_touches(z, w);
        send_out(z, z->leader_sid, ZM_PING);
        break;
    }
    case ZM_SYNC_RESP: {
        uint32_t slot = r_u32(r), gen = r_u32(r), xid = r_u32(r);
        if (!r->bad) zk_serve_synced(z, slot, gen, xid);
        break;
    }
    case ZM_REVALIDATE_RESP: {
        int64_t session = r_i64(r);
        uint32_t slot = r_u32(r), gen = r_u32(r);
        bool valid = r_u8(r) != 0;
        uint32_t to = r_u32(r);
        if (!r->bad) zk_serve_revalidated(z, session, slot, gen, valid, to);
        break;
    }
    default:
        break;
    }
}

/* -------------------------------------------------------------- both */

void zk_zab_recv(zk_server *z, int sid, uint32_t type, rbuf *r)
{
    uint64_t conn = r_u64(r);
    uint32_t seq = r_u32(r);
    if (r->bad) return;
    if (type == ZM_FOLLOWERINFO) {
        if (z->state == ZK_FOLLOWING) bye(z, sid, conn);    /* refused */
        else leader_on_followerinfo(z, sid, conn, r);
        return;
    }
    if (type == ZM_BYE) {
        if (z->state == ZK_FOLLOWING && sid == z->leader_sid && conn == z->fconn)
            zk_become_looking(z, "leader closed the connection");
        else if (z->lh[sid].state != LH_NONE && z->lh[sid].conn == conn)
            memset(&z->lh[sid], 0, sizeof z->lh[sid]);
        return;
    }
    if (z->state == ZK_LEADING) {
        zk_learner *h = &z->lh[sid];
        if (h->state == LH_NONE || h->conn != conn) {
            bye(z, sid, conn);          /* a closed socket answers RST */
            return;
        }
        if (seq != h->rx) {
            drop_learner(z, sid);       /* a lost packet breaks TCP */
            return;
        }
        h->rx++;
        leader_recv(z, sid, type, r);
    } else if (z->state == ZK_FOLLOWING && sid == z->leader_sid && conn == z->fconn) {
        if (seq != z->frx) {
            zk_become_looking(z, "connection to the leader broken");
            return;
        }
        z->frx++;
        follower_recv(z, type, r);
    } else {
        /* a connection this server has left (it went LOOKING, or follows
         * another leader): its socket is closed, so the sender hears a
         * reset, as an old leader resumed from a pause does when it
         * pings (its LearnerHandler then dies) */
        bye(z, sid, conn);
    }
}

void zk_zab_tick(zk_server *z)
{
    if (!z->up) return;
    z->half_ticks++;
    uint64_t now = zk_now(z);
    uint64_t init_us = (uint64_t)z->cfg.init_limit * tick_us(z);
    uint64_t sync_us = (uint64_t)z->cfg.sync_limit * tick_us(z);
    if (z->state == ZK_LEADING) {
        if (z->phase != PH_BROADCAST) {
            if (now - z->phase_start_us > init_us)
                zk_become_looking(z, "no quorum of followers within initLimit");
            return;
        }
        /* Leader.lead checks the quorum on every other half-tick only
         * (tickSkip), counting in its own ticks: a leader resumed from a
         * pause leads on for 1 to 2 s, expiring sessions it can no longer
         * commit, while its LearnerHandlers find their sockets dead */
        if (z->half_ticks % 2 == 0 && 1 + zk_synced_followers(z) < z->quorum) {
            zk_become_looking(z, "Not sufficient followers synced");
            return;
        }
        for (int sid = 1; sid <= z->n; sid++) {
            zk_learner *h = &z->lh[sid];
            if (h->state == LH_NONE) continue;
            if (now - h->heard_us > sync_us) {
                drop_learner(z, sid);   /* its socket read timed out */
                continue;
            }
            if (h->state >= LH_SYNCING) {
                w_u64(to_learner(z, sid), z->commit_zxid);
                send_out(z, sid, ZM_PING);
            }
        }
        zk_sessions_expire_check(z);
    } else if (z->state == ZK_FOLLOWING) {
        uint64_t limit = z->phase == PH_BROADCAST ? sync_us : init_us;
        uint64_t since = z->phase == PH_BROADCAST ? z->leader_heard_us
                                                  : z->phase_start_us;
        if (now - since > limit) zk_become_looking(z, "leader silent");
    }
}

void zk_zab_reset(zk_server *z, int sid)
{
    if (z->state == ZK_FOLLOWING && sid == z->leader_sid)
        zk_become_looking(z, "connection to the leader reset");
    else if (z->state != ZK_FOLLOWING)
        memset(&z->lh[sid], 0, sizeof z->lh[sid]);
}

void zk_zab_stop(zk_server *z)
{
    if (z->state == ZK_LEADING) {
        for (int sid = 1; sid <= z->n; sid++) drop_learner(z, sid);
    } else if (z->state == ZK_FOLLOWING && z->phase != PH_NONE) {
        bye(z, z->leader_sid, z->fconn);
    }
    memset(z->lh, 0, sizeof z->lh);
    z->nsyncs = 0;
    z->phase = PH_NONE;
    z->fconn = 0;
}

void zk_submit(zk_server *z, const uint8_t *body, size_t len)
{
    if (!z->serving) return;
    if (z->state == ZK_LEADING) {
        zk_propose(z, body, len);
    } else if (z->state == ZK_FOLLOWING) {
        w_bytes(to_leader(z), body, len);
        send_out(z, z->leader_sid, ZM_REQUEST);
    }
}

void zk_sync_request(zk_server *z, uint32_t slot, uint32_t gen, uint32_t xid)
{
    /* on the leader a sync passes through ProposalRequestProcessor
     * untouched: it waits only behind its own session's requests */
    if (z->state == ZK_LEADING) {
        zk_serve_synced(z, slot, gen, xid);
    } else if (z->state == ZK_FOLLOWING) {
        wbuf *w = to_leader(z);
        w_u32(w, slot);
        w_u32(w, gen);
        w_u32(w, xid);
        send_out(z, z->leader_sid, ZM_SYNC);
    }
}

void zk_revalidate(zk_server *z, int64_t session, uint32_t slot, uint32_t gen)
{
    if (z->state == ZK_LEADING) {
        zk_session *s = zk_session_find(z, session);
        bool valid = s && !s->closing;
        if (valid) zk_session_touch(z, session);
        zk_serve_revalidated(z, session, slot, gen, valid, valid ? s->timeout_ms : 0);
    } else if (z->state == ZK_FOLLOWING) {
        wbuf *w = to_leader(z);
        w_i64(w, session);
        w_u32(w, slot);
        w_u32(w, gen);
        send_out(z, z->leader_sid, ZM_REVALIDATE);
    }
}
