/* raft_handle: KRaft's four RPCs, both sides (KafkaRaftClient.handle*
 * Request and handle*Response), the leader's fetch purgatory and high
 * watermark, and the per-voter connections (RequestManager). */
#include "raft_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define US(ms) ((uint64_t)(ms) * 1000u)
#define FETCH_BYTES_MAX (1u << 20)  /* records per Fetch response, in bytes */


/* --- connections --- */

bool raft_conn_ready(raft *r, int v)
{
    raft_conn *c = &r->conn[v];
    uint64_t now = raft_now_us(r);
    if (c->inflight && now >= c->sent_us + US(r->cfg.request_timeout_ms))
        c->inflight = false;    /* timed out: the request may go again */
    return !c->inflight && now >= c->backoff_until_us;
}

uint64_t raft_conn_wake(const raft *r, int v)
{
    const raft_conn *c = &r->conn[v];
    if (c->inflight) return c->sent_us + US(r->cfg.request_timeout_ms);
    if (c->backoff_until_us > raft_now_us(r)) return c->backoff_until_us;
    return UINT64_MAX;
}

void raft_begin_request(raft *r, int v, wbuf *w)
{
    raft_conn *c = &r->conn[v];
    c->inflight = true;
    c->corr = ++r->corr_next;
    c->sent_us = raft_now_us(r);
    wbuf_init(w);
    w_u32(w, c->corr);
}

void raft_send_to(raft *r, int node, uint32_t type, wbuf *w)
{
    sim_send(r->s, r->node, node, type, w->data, w->len);
    wbuf_free(w);
}

/* A response's common head: correlation id, error, the responder's epoch
 * and the leader it knows. */
void raft_begin_response(raft *r, wbuf *w, uint32_t corr, int err)
{
    wbuf_init(w);
    w_u32(w, corr);
    w_u8(w, (uint8_t)err);
    w_u32(w, (uint32_t)r->q_epoch);
    w_u32(w, (uint32_t)r->q_leader);
}

/* --- requests --- */

void raft_send_vote(raft *r, int v)
{
    wbuf w;
    raft_begin_request(r, v, &w);
    w_u32(&w, (uint32_t)r->q_epoch);
    w_u32(&w, (uint32_t)r->node_id);
    w_u32(&w, (uint32_t)rlog_last_epoch(&r->log));
    w_i64(&w, r->log.n);
    raft_send_to(r, r->voter_nodes[v], RM_VOTE, &w);
}

void raft_send_begin(raft *r, int v)
{
    wbuf w;
    raft_begin_request(r, v, &w);
    w_u32(&w, (uint32_t)r->q_epoch);
    w_u32(&w, (uint32_t)r->node_id);
    raft_send_to(r, r->voter_nodes[v], RM_BEGIN_EPOCH, &w);
}

void raft_send_end(raft *r, int v)
{
    wbuf w;
    raft_begin_request(r, v, &w);
    w_u32(&w, (uint32_t)r->q_epoch);
    w_u32(&w, (uint32_t)r->node_id);
    w_u32(&w, (uint32_t)r->nsucc);
    for (int i = 0; i < r->nsucc; i++) w_u32(&w, (uint32_t)r->succ[i]);
    raft_send_to(r, r->voter_nodes[v], RM_END_EPOCH, &w);
}

void raft_send_fetch(raft *r, int v)
{
    if (r->fetching) {          /* a snapshot download goes on instead */
        raft_send_fetch_snapshot(r, v);
        return;
    }
    wbuf w;
    raft_begin_request(r, v, &w);
    w_u32(&w, (uint32_t)r->node_id);
    w_u32(&w, (uint32_t)r->q_epoch);
    w_i64(&w, r->log.n);
    w_u32(&w, (uint32_t)rlog_last_epoch(&r->log));
    w_u32(&w, r->cfg.fetch_max_wait_ms);
    raft_send_to(r, r->voter_nodes[v], RM_FETCH, &w);
}

/* --- validation (KafkaRaftClient.validate*Request) --- */

static int validate_voter_only(raft *r, int remote_id, int32_t epoch)
{
    if (epoch < r->q_epoch) return RERR_FENCED_LEADER_EPOCH;
    if (remote_id < 0) return RERR_INVALID_REQUEST;
    if (r->self < 0 || raft_voter_index(r, remote_id) < 0) return RERR_INCONSISTENT_VOTER_SET;
    return RERR_NONE;
}

int raft_validate_leader_only(raft *r, int32_t epoch)
{
    if (epoch < r->q_epoch) return RERR_FENCED_LEADER_EPOCH;
    if (epoch > r->q_epoch) return RERR_UNKNOWN_LEADER_EPOCH;
    if (r->state != RAFT_LEADER) return RERR_NOT_LEADER_OR_FOLLOWER;
    return RERR_NONE;
}

/* --- Vote --- */

static void on_vote(raft *r, int from, rbuf *in)
{
    uint32_t corr = r_u32(in);
    int32_t cepoch = (int32_t)r_u32(in);
    int cand = (int)r_u32(in);
    int32_t last_epoch = (int32_t)r_u32(in);
    int64_t last_off = r_i64(in);
    if (in->bad) return;
    int err = RERR_NONE;
    bool granted = false;
    if (last_off < 0 || last_epoch < 0 || last_epoch >= cepoch) err = RERR_INVALID_REQUEST;
    else err = validate_voter_only(r, cand, cepoch);
    if (err == RERR_NONE) {
        if (cepoch > r->q_epoch) raft_to_unattached(r, cepoch);
        /* the candidate's log is at least as long as ours, by (epoch,
         * offset) order (OffsetAndEpoch.compareTo) */
        int32_t my_epoch = rlog_last_epoch(&r->log);
        bool up_to_date = last_epoch != my_epoch ? last_epoch > my_epoch : last_off >= r->log.n;
        if (r->state == RAFT_UNATTACHED) granted = up_to_date;
        else if (r->state == RAFT_VOTED) granted = r->q_voted == cand;
        if (granted && r->state == RAFT_UNATTACHED) raft_to_voted(r, cepoch, cand);
    }
    wbuf w;
    raft_begin_response(r, &w, corr, err);
    w_u8(&w, granted);
    raft_send_to(r, from, RM_VOTE_RESP, &w);
}

/* --- BeginQuorumEpoch and EndQuorumEpoch --- */

static void on_begin(raft *r, int from, rbuf *in)
{
    uint32_t corr = r_u32(in);
    int32_t epoch = (int32_t)r_u32(in);
    int leader = (int)r_u32(in);
    if (in->bad) return;
    int err = validate_voter_only(r, leader, epoch);
    if (err == RERR_NONE) raft_maybe_transition(r, leader, epoch);
    wbuf w;
    raft_begin_response(r, &w, corr, err);
    raft_send_to(r, from, RM_BEGIN_EPOCH_RESP, &w);
}

/* KafkaRaftClient.strictExponentialElectionBackoffMs: the most caught-up
 * successor stands at once, the next after a share of the backoff, ... */
static uint32_t successor_backoff_ms(raft *r, int position, int total)
{
    if (position <= 0) return 0;
    uint32_t base = r->cfg.election_backoff_max_ms >> (total - 1);
    uint64_t b = (uint64_t)base << (position - 1);
    return b < r->cfg.election_backoff_max_ms ? (uint32_t)b : r->cfg.election_backoff_max_ms;
}

static void on_end(raft *r, int from, rbuf *in)
{
    uint32_t corr = r_u32(in);
    int32_t epoch = (int32_t)r_u32(in);
    int leader = (int)r_u32(in);
    uint32_t n = r_u32(in);
    int succ[RAFT_VOTERS_MAX], position = -1;
    for (uint32_t i = 0; i < n && i < RAFT_VOTERS_MAX; i++) {
        succ[i] = (int)r_u32(in);
        if (succ[i] == r->node_id && position < 0) position = (int)i;
    }
    if (in->bad || n > RAFT_VOTERS_MAX) return;
    int err = validate_voter_only(r, leader, epoch);
    if (err == RERR_NONE) {
        raft_maybe_transition(r, leader, epoch);
        if (r->state == RAFT_FOLLOWER && r->q_leader == leader) {
            /* the follower stops waiting out its fetch timeout */
            r->fetch_at_us = raft_now_us(r) + US(successor_backoff_ms(r, position, (int)n));
        }
    }
    wbuf w;
    raft_begin_response(r, &w, corr, err);
    raft_send_to(r, from, RM_END_EPOCH_RESP, &w);
}

/* --- Fetch, the leader's side --- */

static raft_rstate *replica_state(raft *r, int id)
{
    for (int i = 0; i < r->nreps; i++) if (r->reps[i].node_id == id) return &r->reps[i];
    VEC_GROW(r->reps, r->nreps, r->capreps);
    r->reps[r->nreps] = (raft_rstate){ id, -1, 0 };
    return &r->reps[r->nreps++];
}

/* LeaderState.maybeUpdateHighWatermark: the offset a majority of voters
 * have (the leader counts), once it passes the epoch's start. */
void raft_leader_hw(raft *r)
{
    int64_t ends[RAFT_VOTERS_MAX];
    for (int i = 0; i < r->nvoters; i++) ends[i] = r->reps[i].end_offset;
    for (int i = 1; i < r->nvoters; i++)
        for (int j = i; j > 0 && ends[j] > ends[j - 1]; j--) {
            int64_t t = ends[j]; ends[j] = ends[j - 1]; ends[j - 1] = t;
        }
    int64_t hw = ends[r->nvoters / 2];
    /* the followers hear of it in their next Fetch response: the
     * purgatory is completed by new records, not by the high watermark
     * (onUpdateLeaderHighWatermark) */
    if (hw > r->epoch_start && hw > r->hw) raft_update_hw(r, hw);
}

/* LeaderState.updateCheckQuorumForFollowingVoter */
void raft_note_fetch(raft *r, int id)
{
    int v = raft_voter_index(r, id);
    if (v < 0 || v == r->self) return;
    r->fetched[v] = true;
    int n = 0;
    for (int i = 0; i < r->nvoters; i++) n += r->fetched[i];
    if (n >= r->nvoters / 2) {
        memset(r->fetched, 0, sizeof r->fetched);
        r->check_at_us = raft_now_us(r) + US(r->cfg.fetch_timeout_ms) * 3 / 2;
    }
}

/* How a fetch is served: as it arrives (it may wait in the purgatory),
 * when new records complete it, or when its wait ran out. */
enum { SERVE_NEW, SERVE_DATA, SERVE_EXPIRED };

/* Answers a fetch, or parks it when there is nothing to send yet and it
 * may wait (tryCompleteFetchRequest). An expired one is answered as it
 * was first found, without counting as another fetch of the replica. */
static void serve_fetch(raft *r, const raft_parked *f, int how)
{
    wbuf w;
    raft_oe div = { -1, -1 };
    int kind = raft_check_fetch(r, f->fetch_offset, f->last_epoch, &div);
    bool valid = kind == RFETCH_VALID;
    if (valid && how != SERVE_EXPIRED && f->replica_id != r->node_id) {
        raft_rstate *rs = replica_state(r, f->replica_id);
        rs->end_offset = f->fetch_offset;
        rs->last_fetch_us = raft_now_us(r);
        raft_note_fetch(r, f->replica_id);
        if (raft_voter_index(r, f->replica_id) >= 0) raft_leader_hw(r);
    }
    if (valid && how == SERVE_NEW && f->fetch_offset >= r->log.n && f->deadline_us > raft_now_us(r)) {
        VEC_GROW(r->parked, r->nparked, r->capparked);
        r->parked[r->nparked++] = *f;
        return;
    }
    raft_begin_response(r, &w, f->corr, RERR_NONE);
    /* LeaderState's high watermark is empty until a majority holds a
     * record of its epoch: the one it knew as a follower may be short of
     * what is committed, and an observer catching up to it would publish
     * half the metadata (FetchResponse.HighWatermark -1 until then) */
    w_i64(&w, r->hw > r->epoch_start ? r->hw : -1);
    bool diverging = kind == RFETCH_DIVERGING, snapshot = kind == RFETCH_SNAPSHOT;
    w_u32(&w, (uint32_t)(diverging ? div.epoch : -1));
    w_i64(&w, diverging ? div.offset : -1);
    w_i64(&w, snapshot ? div.offset : -1);     /* SnapshotId: fetch it instead */
    w_u32(&w, (uint32_t)(snapshot ? div.epoch : -1));
    int64_t from = f->fetch_offset, to = from;
    size_t bytes = 0;
    if (valid)
        while (to < r->log.n && (bytes < FETCH_BYTES_MAX || rlog_rec(&r->log, to - 1)->more))
            bytes += rlog_rec(&r->log, to++)->len + 16;     /* whole batches only */
    w_i64(&w, from);
    w_u32(&w, (uint32_t)(to - from));
    for (int64_t o = from; o < to; o++) {
        const raft_rec *rec = rlog_rec(&r->log, o);
        w_u32(&w, (uint32_t)rec->epoch);
        w_u8(&w, (uint8_t)(rec->control | rec->more << 1));
        w_bytes(&w, rec->data, rec->len);
    }
    raft_send_to(r, f->from, RM_FETCH_RESP, &w);
}

static void fetch_error(raft *r, int from, uint32_t corr, int err)
{
    wbuf w;
    raft_begin_response(r, &w, corr, err);
    w_i64(&w, -1);
    w_u32(&w, (uint32_t)-1);
    w_i64(&w, -1);
    w_i64(&w, -1);
    w_u32(&w, (uint32_t)-1);
    w_i64(&w, 0);
    w_u32(&w, 0);
    raft_send_to(r, from, RM_FETCH_RESP, &w);
}

static void on_fetch(raft *r, int from, rbuf *in)
{
    raft_parked f = { .from = from };
    f.corr = r_u32(in);
    f.replica_id = (int)r_u32(in);
    int32_t epoch = (int32_t)r_u32(in);
    f.fetch_offset = r_i64(in);
    f.last_epoch = (int32_t)r_u32(in);
    uint32_t wait_ms = r_u32(in);
    if (in->bad) return;
    int err = raft_validate_leader_only(r, epoch);
    if (f.fetch_offset < 0 || f.last_epoch < 0 || f.last_epoch > epoch) err = RERR_INVALID_REQUEST;
    if (err != RERR_NONE) { fetch_error(r, from, f.corr, err); return; }
    f.deadline_us = raft_now_us(r) + US(wait_ms);
    f.deadline_us = wait_ms ? f.deadline_us : 0;
    serve_fetch(r, &f, SERVE_NEW);
}

void raft_complete_parked(raft *r, bool all)
{
    if (r->nparked == 0 || r->state != RAFT_LEADER) return;
    uint64_t now = raft_now_us(r);
    int n = r->nparked, kept = 0;
    raft_parked *due = xmalloc(sizeof *due * (size_t)n);
    int ndue = 0;
    for (int i = 0; i < n; i++) {
        if (all || r->parked[i].deadline_us <= now) due[ndue++] = r->parked[i];
        else r->parked[kept++] = r->parked[i];
    }
    r->nparked = kept;
    for (int i = 0; i < ndue; i++) serve_fetch(r, &due[i], all ? SERVE_DATA : SERVE_EXPIRED);
    free(due);
}

void raft_fail_parked(raft *r)
{
    int n = r->nparked;
    r->nparked = 0;
    for (int i = 0; i < n; i++)
        fetch_error(r, r->parked[i].from, r->parked[i].corr, RERR_NOT_LEADER_OR_FOLLOWER);
}

/* --- responses --- */

/* maybeHandleCommonResponse: -1 not handled here, 0 handled but to be
 * retried after a backoff, 1 handled. */
static int common_response(raft *r, int err, int leader, int32_t epoch)
{
    if (epoch < r->q_epoch || err == RERR_UNKNOWN_LEADER_EPOCH) return 1;
    if (epoch > r->q_epoch || err == RERR_FENCED_LEADER_EPOCH ||
        err == RERR_NOT_LEADER_OR_FOLLOWER) {
        raft_maybe_transition(r, leader, epoch);
        return 1;
    }
    if (leader >= 0 && r->q_leader < 0 && leader != r->node_id) {
        raft_to_follower(r, epoch, leader);
        return err == RERR_NONE ? -1 : 1;
    }
    if (err != RERR_NONE) return 0;
    return -1;
}

static bool fetch_response(raft *r, rbuf *in, int err)
{
    int64_t hw = r_i64(in);
    int32_t div_epoch = (int32_t)r_u32(in);
    int64_t div_end = r_i64(in);
    int64_t snap_end = r_i64(in);
    int32_t snap_epoch = (int32_t)r_u32(in);
    int64_t base = r_i64(in);
    uint32_t n = r_u32(in);
    if (in->bad || r->state != RAFT_FOLLOWER || err != RERR_NONE) return false;
    if (snap_end >= 0 && snap_epoch >= 0) {
        /* the leader cannot serve this offset from its log: fetch its
         * snapshot (setFetchingSnapshot), then the log after it */
        raft_snap_stop_fetching(r);
        r->fetch_id = (raft_oe){ snap_end, snap_epoch };
        if (raft_snap_find(r, r->fetch_id)) {
            /* held already (storeSnapshot would refuse a second copy):
             * the log is truncated to it straight away */
            const raft_snap *sn = raft_snap_find(r, r->fetch_id);
            r->fetching = true;
            wbuf_init(&r->fetch_buf);
            w_raw(&r->fetch_buf, sn->data, sn->len);
            raft_snap_downloaded(r);
        } else {
            r->fetching = true;
            wbuf_init(&r->fetch_buf);
        }
    } else if (div_epoch >= 0) {
        /* the leader's log diverges from ours: cut back to where they
         * agree and fetch again (never below the high watermark) */
        QL_ASSERT(r->hw < 0 || div_end >= r->hw);
        int64_t before = r->log.n;
        if (div_end < r->log.start) div_end = r->log.start;
        rlog_truncate_to(&r->log, (raft_oe){ div_end, div_epoch });
        trace_emit_code(sim_trace(r->s), TR_SYNC, TSYNC_TRUNC, r->node, -1,
                        (uint64_t)r->log.n, (uint64_t)before,
                        "TRUNC metadata log %lld -> %lld (diverging epoch %d)",
                        (long long)before, (long long)r->log.n, (int)div_epoch);
    } else if (base == r->log.n) {
        for (uint32_t i = 0; i < n; i++) {
            int32_t epoch = (int32_t)r_u32(in);
            uint8_t flags = r_u8(in);       /* control, more */
            const uint8_t *d;
            size_t len = r_bytes(in, &d);
            if (in->bad || epoch < rlog_last_epoch(&r->log)) break;
            rlog_append(&r->log, epoch, flags & 1, d, len);
            rlog_rec(&r->log, r->log.n - 1)->more = flags >> 1 & 1;
        }
        if (hw >= 0) raft_update_hw(r, hw < r->log.n ? hw : r->log.n);
    }
    r->fetch_at_us = raft_now_us(r) + US(r->cfg.fetch_timeout_ms);
    return true;
}

static void on_response(raft *r, int from, uint32_t type, rbuf *in)
{
    uint32_t corr = r_u32(in);
    int err = r_u8(in);
    int32_t epoch = (int32_t)r_u32(in);
    int leader = (int)r_u32(in);
    int v = -1;
    for (int i = 0; i < r->nvoters; i++) if (r->voter_nodes[i] == from) v = i;
    if (in->bad || v < 0) return;
    raft_conn *c = &r->conn[v];
    if (!c->inflight || c->corr != corr) return;   /* not the one awaited */
    c->inflight = false;
    c->fails = 0;
    raft_state was = r->state;
    int32_t was_epoch = r->q_epoch;
    int handled = common_response(r, err, leader, epoch);
    bool ok = handled == 1;
    if (handled < 0) {
        switch (type) {
        case RM_VOTE_RESP: {
            bool granted = r_u8(in);
            if (!in->bad && r->state == RAFT_CANDIDATE) raft_candidate_vote(r, v, granted);
            ok = true;
            break;
        }
        case RM_BEGIN_EPOCH_RESP:
            if (r->state == RAFT_LEADER) r->acked[v] = true;
            ok = true;
            break;
        case RM_END_EPOCH_RESP:
            if (r->state == RAFT_RESIGNED) r->acked[v] = true;
            ok = true;
            break;
        case RM_FETCH_RESP:
            ok = fetch_response(r, in, err);
            break;
        case RM_FETCH_SNAPSHOT_RESP:
            ok = raft_fetch_snapshot_response(r, in, err);
            break;
        }
    }
    /* a failed or refused request is retried after quorum.retry.backoff.ms;
     * not one whose answer moved the node to another state: the new state
     * starts with every connection ready (onBecomeFollower's
     * resetConnections), so an observer that just learnt the leader
     * fetches from it at once */
    bool moved = r->state != was || r->q_epoch != was_epoch;
    if (!moved && (!ok || err != RERR_NONE))
        c->backoff_until_us = raft_now_us(r) + US(r->cfg.retry_backoff_ms);
}

void raft_handle(raft *r, int from, uint32_t type, rbuf *in)
{
    switch (type) {
    case RM_VOTE: on_vote(r, from, in); break;
    case RM_BEGIN_EPOCH: on_begin(r, from, in); break;
    case RM_END_EPOCH: on_end(r, from, in); break;
    case RM_FETCH: on_fetch(r, from, in); break;
    case RM_FETCH_SNAPSHOT: raft_on_fetch_snapshot(r, from, in); break;
    default: on_response(r, from, type, in); break;
    }
}
