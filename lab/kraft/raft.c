/* raft: the states of a KRaft node (QuorumState and its EpochStates) and
 * its poll loop (KafkaRaftClient.poll*): one timer per node wakes it at
 * the earliest deadline of its state, as the real client's poll returns
 * how long it may sleep. */
#include "raft_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define US(ms) ((uint64_t)(ms) * 1000u)
/* KafkaRaftClient.RETRY_BACKOFF_BASE_MS: the unit of the election backoff */
#define ELECTION_BACKOFF_BASE_MS 100u

void raft_config_defaults(raft_config *c)
{
    *c = (raft_config){
        .election_timeout_ms = 1000, .election_backoff_max_ms = 1000,
        .fetch_timeout_ms = 2000, .request_timeout_ms = 2000,
        .retry_backoff_ms = 20, .fetch_max_wait_ms = 500,
        .shutdown_timeout_ms = 5000,
        .snapshot_max_new_record_bytes = 20 * 1024 * 1024,
        .snapshot_max_interval_ms = 60 * 60 * 1000,
        .max_retention_bytes = 100 * 1024 * 1024,
        .max_retention_ms = 7LL * 24 * 60 * 60 * 1000,
        .fetch_snapshot_max_bytes = 8 * 1024 * 1024,
    };
}

const char *raft_state_name(raft_state st)
{
    static const char *const names[] = {
        "Down", "Unattached", "Voted", "Candidate", "Leader", "Resigned", "Follower",
    };
    return (unsigned)st < QL_ARRAY_LEN(names) ? names[st] : "?";
}

uint64_t raft_now_us(const raft *r) { return sim_now_us(r->s); }

int raft_voter_index(const raft *r, int node_id)
{
    for (int i = 0; i < r->nvoters; i++)
        if (r->voter_ids[i] == node_id) return i;
    return -1;
}

int raft_majority(const raft *r) { return r->nvoters / 2 + 1; }

raft *raft_new(sim *s, int node, int node_id, const int *voter_ids,
               const int *voter_nodes, int nvoters, const raft_config *cfg)
{
    QL_ASSERT(nvoters >= 1 && nvoters <= RAFT_VOTERS_MAX);
    raft *r = xcalloc(1, sizeof *r);
    r->s = s;
    r->node = node;
    r->node_id = node_id;
    if (cfg) r->cfg = *cfg; else raft_config_defaults(&r->cfg);
    r->nvoters = nvoters;
    memcpy(r->voter_ids, voter_ids, sizeof(int) * (size_t)nvoters);
    memcpy(r->voter_nodes, voter_nodes, sizeof(int) * (size_t)nvoters);
    r->self = raft_voter_index(r, node_id);
    r->q_leader = r->q_voted = -1;
    r->hw = -1;
    raft_name_msgs(s);
    return r;
}

void raft_free(raft *r)
{
    if (!r) return;
    rlog_free(&r->log);
    raft_snap_stop_fetching(r);
    raft_snap_free_all(r);
    free(r->reps);
    free(r->parked);
    free(r);
}

void raft_set_app(raft *r, const raft_app *app, void *ctx)
{
    r->app = app ? *app : (raft_app){ 0 };
    r->app_ctx = ctx;
}

/* QuorumState.randomElectionTimeoutMs: the timeout plus a uniform draw
 * below it, so [1000, 2000) ms by default. */
static uint64_t random_election_us(raft *r)
{
    uint32_t t = r->cfg.election_timeout_ms;
    if (!t) return 0;
    return US(t + rng_below(sim_node_rng(r->s, r->node), t));
}

/* KafkaRaftClient.binaryExponentialElectionBackoffMs */
uint32_t raft_backoff_ms(raft *r, int retries)
{
    QL_ASSERT(retries > 0);
    int shift = retries - 1 < 20 ? retries - 1 : 20;
    uint64_t b = ELECTION_BACKOFF_BASE_MS *
                 rng_below(sim_node_rng(r->s, r->node), 2ull << shift);
    return b < r->cfg.election_backoff_max_ms ? (uint32_t)b : r->cfg.election_backoff_max_ms;
}

/* --- telling the layer above --- */

static void fire_leader(raft *r)
{
    /* never while resigned: the leader is still this node, but its
     * listener may not have caught up and any write would fail
     * (KafkaRaftClient.pollListeners skips the resigned state) */
    if (!r->app.leader || r->state == RAFT_RESIGNED) return;
    int leader = r->q_leader;
    /* a new leader is announced to its own app only once everything
     * before its epoch is applied (KafkaRaftClient.maybeFireLeaderChange
     * waits for the listener to reach the epoch start offset) */
    if (r->state == RAFT_LEADER && r->next_apply < r->epoch_start) leader = -1;
    if (leader == r->fired_leader && r->q_epoch == r->fired_epoch) return;
    if (leader == -1 && r->fired_leader == -1) return;
    r->fired_leader = leader;
    r->fired_epoch = r->q_epoch;
    r->app.leader(r->app_ctx, r->q_epoch, leader);
}

void raft_apply_committed(raft *r)
{
    raft_snap_maybe_load(r);
    int64_t from = r->next_apply;
    uint64_t bytes = 0;
    while (r->up && r->next_apply < r->hw && r->next_apply < r->log.n) {
        int64_t off = r->next_apply++;
        const raft_rec *rec = rlog_rec(&r->log, off);
        bytes += rec->len;
        r->digest = wire_digest(rec->data, rec->len,
                                r->digest * 31u + (uint64_t)rec->epoch * 2u + rec->control);
        if (!rec->control && r->app.commit)
            r->app.commit(r->app_ctx, off, rec->epoch, rec->data, rec->len);
    }
    if (r->next_apply > from) {
        trace_emit_code(sim_trace(r->s), TR_COMMIT, RAFT_TR_COMMIT, r->node, -1,
                        (uint64_t)r->next_apply, r->digest, NULL);
        raft_snap_applied(r, bytes);
    }
    fire_leader(r);
}

void raft_update_hw(raft *r, int64_t hw)
{
    if (hw <= r->hw) return;
    r->hw = hw;
    raft_apply_committed(r);
}

/* --- transitions (QuorumState.transitionTo*) --- */

/* Leaving a state: what only it held goes. */
static void leave_state(raft *r)
{
    r->nreps = 0;
    r->backing_off = false;
    memset(r->granted, 0, sizeof r->granted);
    memset(r->rejected, 0, sizeof r->rejected);
    memset(r->acked, 0, sizeof r->acked);
    memset(r->fetched, 0, sizeof r->fetched);
    raft_snap_stop_fetching(r);     /* a download is FollowerState's */
    /* resetConnections: responses to requests of the old state are dropped */
    for (int i = 0; i < r->nvoters; i++) r->conn[i].inflight = false;
}

static void set_election(raft *r, int32_t epoch, int leader, int voted)
{
    r->q_epoch = epoch;
    r->q_leader = leader;
    r->q_voted = voted;
}

/* A state entered: traced, and a purgatory the node no longer serves
 * answers its fetches (transitionToResigned, onBecomeFollower). */
static void entered(raft *r)
{
    if (r->state != RAFT_LEADER) raft_fail_parked(r);
    static const int roles[] = {
        [RAFT_DOWN] = TROLE_NONE, [RAFT_UNATTACHED] = TROLE_LOOKING,
        [RAFT_VOTED] = TROLE_LOOKING, [RAFT_CANDIDATE] = TROLE_LOOKING,
        [RAFT_LEADER] = TROLE_LEADING, [RAFT_RESIGNED] = TROLE_LOOKING,
        [RAFT_FOLLOWER] = TROLE_FOLLOWING,
    };
    trace_emit_code(sim_trace(r->s), TR_ROLE, roles[r->state], r->node,
                    r->q_leader >= 0 && r->q_leader != r->node_id ?
                        r->voter_nodes[raft_voter_index(r, r->q_leader)] : -1,
                    (uint64_t)r->q_epoch, 0, "%s epoch %d", raft_state_name(r->state),
                    (int)r->q_epoch);
}

void raft_to_unattached(raft *r, int32_t epoch)
{
    QL_ASSERT(epoch >= r->q_epoch);
    /* a voter still waiting to stand keeps its deadline: a stale
     * candidate's Votes of ever higher epochs must not push every other
     * voter's election back forever (QuorumState.transitionToUnattached) */
    bool waiting = r->up && (r->state == RAFT_CANDIDATE || r->state == RAFT_VOTED ||
                             r->state == RAFT_UNATTACHED);
    uint64_t at = waiting ? r->election_at_us : raft_now_us(r) + random_election_us(r);
    leave_state(r);
    set_election(r, epoch, -1, -1);
    r->state = RAFT_UNATTACHED;
    r->election_at_us = at;
    entered(r);
    fire_leader(r);
}

void raft_to_voted(raft *r, int32_t epoch, int candidate)
{
    leave_state(r);
    set_election(r, epoch, -1, candidate);
    r->state = RAFT_VOTED;
    r->election_at_us = raft_now_us(r) + random_election_us(r);
    entered(r);
}

void raft_to_follower(raft *r, int32_t epoch, int leader)
{
    QL_ASSERT(leader != r->node_id);
    leave_state(r);
    set_election(r, epoch, leader, -1);
    r->state = RAFT_FOLLOWER;
    r->fetch_at_us = raft_now_us(r) + US(r->cfg.fetch_timeout_ms);
    entered(r);
    fire_leader(r);
}

static void become_leader(raft *r)
{
    int retries = r->retries;
    leave_state(r);
    r->retries = retries;
    set_election(r, r->q_epoch, r->node_id, r->node_id);
    r->state = RAFT_LEADER;
    r->epoch_start = r->log.n;
    r->nreps = 0;
    for (int i = 0; i < r->nvoters; i++) {
        VEC_GROW(r->reps, r->nreps, r->capreps);
        r->reps[r->nreps++] = (raft_rstate){ r->voter_ids[i], -1, 0 };
    }
    r->acked[r->self] = true;
    r->check_at_us = raft_now_us(r) + US(r->cfg.fetch_timeout_ms) * 3 / 2;
    /* onBecomeLeader: a LeaderChangeMessage at once, so the high
     * watermark can pass the previous epochs' records (it may only move
     * once a record of the leader's own epoch is committed) */
    rlog_append(&r->log, r->q_epoch, true, NULL, 0);
    r->reps[r->self].end_offset = r->log.n;
    entered(r);
    trace_emit(sim_trace(r->s), TR_ELECTION, r->node, r->node, (uint64_t)r->q_epoch,
               0, "KRaft leader %d epoch %d", r->node_id, (int)r->q_epoch);
    raft_leader_hw(r);          /* a quorum of one commits alone */
}

static bool vote_granted(const raft *r)
{
    int n = 0;
    for (int i = 0; i < r->nvoters; i++) n += r->granted[i];
    return n >= raft_majority(r);
}

void raft_to_candidate(raft *r)
{
    QL_ASSERT(r->self >= 0);
    int retries = r->state == RAFT_CANDIDATE ? r->retries + 1 : 1;
    leave_state(r);
    set_election(r, r->q_epoch + 1, -1, r->node_id);
    r->state = RAFT_CANDIDATE;
    r->retries = retries;
    r->granted[r->self] = true;
    r->election_at_us = raft_now_us(r) + random_election_us(r);
    entered(r);
    fire_leader(r);
    if (vote_granted(r)) become_leader(r);
}

void raft_candidate_vote(raft *r, int v, bool granted)
{
    if (granted) r->granted[v] = true; else r->rejected[v] = true;
    if (vote_granted(r)) { become_leader(r); return; }
    int rejected = 0;
    for (int i = 0; i < r->nvoters; i++) rejected += r->rejected[i];
    /* no majority left to win: straight to the random backoff, not
     * waiting out the election timeout (handleVoteResponse) */
    if (r->nvoters - rejected < raft_majority(r) && !r->backing_off) {
        r->backing_off = true;
        r->backoff_until_us = raft_now_us(r) + US(raft_backoff_ms(r, r->retries));
    }
}

static void to_resigned(raft *r)
{
    /* LeaderState.nonLeaderVotersByDescendingFetchOffset */
    int n = 0;
    int order[RAFT_VOTERS_MAX];
    for (int i = 0; i < r->nvoters; i++) if (i != r->self) order[n++] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && r->reps[order[j]].end_offset >
                                 r->reps[order[j - 1]].end_offset; j--) {
            int t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
        }
    leave_state(r);
    r->nsucc = n;
    for (int i = 0; i < n; i++) r->succ[i] = r->voter_ids[order[i]];
    r->acked[r->self] = true;
    r->state = RAFT_RESIGNED;
    r->election_at_us = raft_now_us(r) + random_election_us(r);
    entered(r);
    fire_leader(r);
}

void raft_maybe_transition(raft *r, int leader, int32_t epoch)
{
    if (epoch == r->q_epoch && leader >= 0 && r->q_leader >= 0)
        QL_ASSERT(leader == r->q_leader);   /* hasConsistentLeader */
    if (epoch > r->q_epoch) {
        if (leader >= 0 && leader != r->node_id) raft_to_follower(r, epoch, leader);
        else raft_to_unattached(r, epoch);
    } else if (leader >= 0 && r->q_leader < 0 && leader != r->node_id) {
        raft_to_follower(r, epoch, leader);
    }
}

/* --- start and crash --- */

/* QuorumState.initialize: the state a process starts in, from the
 * quorum-state file and the log. */
static void initialize(raft *r)
{
    int32_t log_epoch = rlog_last_epoch(&r->log);
    if (r->q_epoch < log_epoch) {
        raft_to_unattached(r, log_epoch);
    } else if (r->self >= 0 && r->q_leader == r->node_id) {
        /* a leader that restarts does not lead again in its old epoch */
        leave_state(r);
        r->nsucc = 0;
        r->state = RAFT_RESIGNED;
        r->election_at_us = raft_now_us(r) + random_election_us(r);
        entered(r);
    } else if (r->self >= 0 && r->q_voted == r->node_id) {
        leave_state(r);
        r->state = RAFT_CANDIDATE;
        r->retries = 1;
        r->granted[r->self] = true;
        r->election_at_us = raft_now_us(r) + random_election_us(r);
        entered(r);
    } else if (r->q_voted >= 0) {
        raft_to_voted(r, r->q_epoch, r->q_voted);
    } else if (r->q_leader >= 0) {
        raft_to_follower(r, r->q_epoch, r->q_leader);
    } else {
        raft_to_unattached(r, r->q_epoch);
    }
}

void raft_start(raft *r)
{
    r->up = true;
    r->hw = -1;
    r->next_apply = 0;
    r->digest = 0;
    r->fired_leader = -2;
    r->fired_epoch = -1;
    r->timer_id = 0;
    r->shutting = false;
    memset(r->conn, 0, sizeof r->conn);
    /* SnapshotGenerator and the log cleaner start with the process */
    r->snap_bytes = 0;
    r->snap_last_us = raft_now_us(r);
    r->clean_at_us = raft_now_us(r) + RAFT_CLEAN_INTERVAL_US;
    initialize(r);
    raft_poll(r);
}

void raft_crash(raft *r)
{
    r->up = false;
    leave_state(r);
    r->nparked = 0;
    r->state = RAFT_DOWN;
    r->timer_id = 0;
    r->hw = -1;
    r->shutting = false;
}

void raft_reset(raft *r, int peer_node)
{
    if (!r->up) return;
    for (int i = 0; i < r->nvoters; i++) {
        if (r->voter_nodes[i] != peer_node || !r->conn[i].inflight) continue;
        /* the request failed: NetworkClient backs off its reconnects,
         * reconnect.backoff.ms 50 doubling up to 1000 */
        raft_conn *c = &r->conn[i];
        c->inflight = false;
        uint64_t b = 50u << (c->fails < 5 ? c->fails : 5);
        c->fails++;
        c->backoff_until_us = raft_now_us(r) + US(b < 1000 ? b : 1000);
    }
    raft_poll(r);
}

bool raft_recv(raft *r, int from, uint32_t type, const uint8_t *data, size_t len)
{
    if (type < RM_VOTE || type >= RM_END) return false;
    if (!r->up) return true;
    rbuf in = rbuf_of(data, len);
    raft_handle(r, from, type, &in);
    raft_poll(r);
    return true;
}

int64_t raft_append(raft *r, const uint8_t *data, size_t len)
{
    return raft_append_batch(r, &data, &len, 1);
}

int64_t raft_append_batch(raft *r, const uint8_t *const *data, const size_t *len, int n)
{
    if (!r->up || r->state != RAFT_LEADER || n < 1) return -1;
    for (int i = 0; i < n; i++) {
        rlog_append(&r->log, r->q_epoch, false, data[i], len[i]);
        rlog_rec(&r->log, r->log.n - 1)->more = i + 1 < n;
    }
    int64_t off = r->log.n - 1;
    r->reps[r->self].end_offset = r->log.n;
    raft_leader_hw(r);
    raft_complete_parked(r, true);  /* parked fetches see the new record */
    raft_poll(r);
    return off;
}

void raft_shutdown(raft *r, raft_done_fn done, void *ctx)
{
    /* only a leader has something to hand over; the others go at once
     * (a follower does in pollFollowerAsVoter; a candidate would wait for
     * its election, which this lab does not model) */
    if (!r->up || r->state != RAFT_LEADER) {
        if (done) done(ctx, r);
        return;
    }
    r->shutting = true;
    r->shutdown_epoch = r->q_epoch;
    r->shutdown_at_us = raft_now_us(r) + US(r->cfg.shutdown_timeout_ms);
    r->done = done;
    r->done_ctx = ctx;
    raft_poll(r);
}

/* --- reading --- */

void raft_info_get(const raft *r, raft_info *out)
{
    *out = (raft_info){
        .node_id = r->node_id, .node = r->node, .voter = r->self >= 0,
        .state = r->up ? r->state : RAFT_DOWN, .epoch = r->q_epoch,
        .leader_id = r->q_leader, .voted_id = r->q_voted,
        .log_end = r->log.n, .last_epoch = rlog_last_epoch(&r->log),
        .high_watermark = r->up ? r->hw : -1, .applied = r->next_apply,
        .log_start = r->log.start, .snapshot_end = -1, .snapshot_epoch = -1,
        .nsnapshots = r->nsnaps, .fetching_snapshot = r->fetching,
    };
    const raft_snap *sn = raft_snap_latest(r);
    if (sn) {
        out->snapshot_end = sn->id.offset;
        out->snapshot_epoch = sn->id.epoch;
    }
}

raft_timer raft_deadline(const raft *r, uint64_t *since_us, uint64_t *at_us)
{
    *since_us = *at_us = 0;
    if (!r->up || r->self < 0 || r->shutting) return RAFT_TIMER_NONE;
    switch (r->state) {
    case RAFT_FOLLOWER:
        *at_us = r->fetch_at_us;
        *since_us = r->fetch_at_us - US(r->cfg.fetch_timeout_ms);
        return RAFT_TIMER_FETCH;
    case RAFT_LEADER:
        if (r->nvoters < 2) return RAFT_TIMER_NONE;
        *at_us = r->check_at_us;
        *since_us = r->check_at_us - US(r->cfg.fetch_timeout_ms) * 3 / 2;
        return RAFT_TIMER_CHECK_QUORUM;
    case RAFT_CANDIDATE:
        if (r->backing_off) {
            *at_us = r->backoff_until_us;
            return RAFT_TIMER_BACKOFF;
        }
        *at_us = r->election_at_us;
        return RAFT_TIMER_ELECTION;
    case RAFT_UNATTACHED: case RAFT_VOTED: case RAFT_RESIGNED:
        *at_us = r->election_at_us;
        return RAFT_TIMER_ELECTION;
    default:
        return RAFT_TIMER_NONE;
    }
}

bool raft_replica(const raft *r, int node_id, int64_t *end_offset, uint64_t *last_fetch_us)
{
    if (!r->up || r->state != RAFT_LEADER) return false;
    for (int i = 0; i < r->nreps; i++) {
        if (r->reps[i].node_id != node_id) continue;
        if (end_offset) *end_offset = r->reps[i].end_offset;
        if (last_fetch_us) *last_fetch_us = r->reps[i].last_fetch_us;
        return true;
    }
    return false;
}

bool raft_entry(const raft *r, int64_t offset, int32_t *epoch, bool *control,
                const uint8_t **data, size_t *len)
{
    if (offset < r->log.start || offset >= r->log.n) return false;
    const raft_rec *rec = rlog_rec(&r->log, offset);
    if (epoch) *epoch = rec->epoch;
    if (control) *control = rec->control;
    if (data) *data = rec->data;
    if (len) *len = rec->len;
    return true;
}

/* --- the poll loop --- */

static void on_timer(void *self, uint64_t arg);

static void schedule(raft *r, uint64_t at_us)
{
    if (at_us == UINT64_MAX) return;
    uint64_t now = raft_now_us(r);
    if (at_us < now) at_us = now;
    if (r->timer_id && r->timer_at_us == at_us) return;
    if (r->timer_id) sim_cancel(r->s, r->timer_id);
    r->timer_at_us = at_us;
    r->timer_id = sim_timer(r->s, r->node, at_us - now, on_timer, (uint64_t)(uintptr_t)r);
}

static void on_timer(void *self, uint64_t arg)
{
    (void)self;                 /* the owner's object; the raft is in arg */
    raft *r = (raft *)(uintptr_t)arg;
    r->timer_id = 0;
    raft_poll(r);
}

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* Sends to each voter in want[] whose connection is ready; the earliest
 * time one is worth another look. */
static uint64_t send_all(raft *r, const bool *want, void (*send)(raft *, int))
{
    uint64_t wake = UINT64_MAX;
    for (int i = 0; i < r->nvoters; i++) {
        if (i == r->self || !want[i]) continue;
        if (raft_conn_ready(r, i)) send(r, i);
        wake = min64(wake, raft_conn_wake(r, i));
    }
    return wake;
}

static uint64_t poll_leader(raft *r, uint64_t now)
{
    if (r->shutting || (r->nvoters > 1 && now >= r->check_at_us)) {
        if (!r->shutting)
            trace_emit(sim_trace(r->s), TR_NOTE, r->node, -1, (uint64_t)r->q_epoch, 0,
                       "KRaft leader %d resigns: no fetch from a majority in %u ms",
                       r->node_id, r->cfg.fetch_timeout_ms * 3 / 2);
        to_resigned(r);
        return now;
    }
    bool want[RAFT_VOTERS_MAX];
    for (int i = 0; i < r->nvoters; i++) want[i] = !r->acked[i];
    uint64_t wake = send_all(r, want, raft_send_begin);
    for (int i = 0; i < r->nparked; i++) wake = min64(wake, r->parked[i].deadline_us);
    if (r->nvoters > 1) wake = min64(wake, r->check_at_us);
    return wake;
}

static uint64_t poll_resigned(raft *r, uint64_t now)
{
    bool want[RAFT_VOTERS_MAX];
    for (int i = 0; i < r->nvoters; i++) want[i] = !r->acked[i];
    uint64_t wake = send_all(r, want, raft_send_end);
    if (r->shutting) return wake;
    if (now >= r->election_at_us) { raft_to_candidate(r); return now; }
    return min64(wake, r->election_at_us);
}

static uint64_t poll_candidate(raft *r, uint64_t now)
{
    if (r->backing_off) {
        if (now >= r->backoff_until_us) { raft_to_candidate(r); return now; }
        return r->backoff_until_us;
    }
    if (now >= r->election_at_us) {
        r->backing_off = true;
        r->backoff_until_us = now + US(raft_backoff_ms(r, r->retries));
        return r->backoff_until_us;
    }
    bool want[RAFT_VOTERS_MAX];
    for (int i = 0; i < r->nvoters; i++) want[i] = !r->granted[i] && !r->rejected[i];
    return min64(send_all(r, want, raft_send_vote), r->election_at_us);
}

/* RequestManager.findReadyVoter: from a random voter on, the last one
 * whose connection is ready; none while a request to one is still in
 * flight (the any-voter Fetch is one at a time). A voter whose request
 * timed out is ready again, so each try draws anew: a silent voter costs
 * one request timeout, not every later try. */
static int find_ready_voter(raft *r)
{
    int start = (int)rng_below(sim_node_rng(r->s, r->node), (uint64_t)r->nvoters);
    int found = -1;
    for (int i = 0; i < r->nvoters; i++) {
        int v = (start + i) % r->nvoters;
        if (raft_conn_ready(r, v)) found = v;
        else if (r->conn[v].inflight) return -1;
    }
    return found;
}

/* RequestManager.backoffBeforeAvailableVoter */
static uint64_t voter_wake(const raft *r)
{
    uint64_t wake = UINT64_MAX;
    for (int i = 0; i < r->nvoters; i++) wake = min64(wake, raft_conn_wake(r, i));
    return wake;
}

/* An observer that lost its leader, or never had one, asks any voter
 * (KafkaRaftClient.maybeSendAnyVoterFetch); the answer names the leader
 * and its epoch (maybeHandleCommonResponse). */
static uint64_t fetch_any(raft *r)
{
    int v = find_ready_voter(r);
    if (v < 0) return voter_wake(r);
    raft_send_fetch(r, v);
    return voter_wake(r);
}

/* pollFollowerAsVoter / pollFollowerAsObserver: a voter stands once the
 * fetch timeout passed; an observer never stands and asks any voter
 * instead, as it does before that when its request to the leader timed
 * out (that connection reset) or the leader's connection backs off. */
static uint64_t poll_follower(raft *r, uint64_t now)
{
    int v = raft_voter_index(r, r->q_leader);
    if (now >= r->fetch_at_us) {
        if (r->self >= 0) { raft_to_candidate(r); return now; }
        return fetch_any(r);
    }
    if (r->self < 0 && v >= 0) {
        raft_conn *c = &r->conn[v];
        if (c->inflight && now >= c->sent_us + US(r->cfg.request_timeout_ms)) {
            c->inflight = false;                        /* connection.reset() */
            return min64(fetch_any(r), r->fetch_at_us);
        }
        if (!c->inflight && now < c->backoff_until_us)  /* isBackingOff */
            return min64(fetch_any(r), r->fetch_at_us);
    }
    if (v >= 0 && raft_conn_ready(r, v)) raft_send_fetch(r, v);
    return min64(v >= 0 ? raft_conn_wake(r, v) : UINT64_MAX, r->fetch_at_us);
}

static uint64_t poll_waiting(raft *r, uint64_t now)
{
    if (r->self < 0) return fetch_any(r);   /* an observer never stands */
    if (r->shutting) return UINT64_MAX;
    if (now >= r->election_at_us) { raft_to_candidate(r); return now; }
    return r->election_at_us;
}

static void check_shutdown(raft *r, uint64_t now)
{
    if (!r->shutting) return;
    /* done once an election bumped the epoch, or at the timeout */
    if (r->q_epoch > r->shutdown_epoch || now >= r->shutdown_at_us) {
        r->shutting = false;
        raft_done_fn done = r->done;
        r->done = NULL;
        if (done) done(r->done_ctx, r);
    }
}

void raft_poll(raft *r)
{
    for (int rounds = 0; r->up && rounds < 8; rounds++) {
        uint64_t now = raft_now_us(r);
        check_shutdown(r, now);
        if (!r->up) return;
        raft_complete_parked(r, false);
        raft_state before = r->state;
        int32_t epoch = r->q_epoch;
        uint64_t wake;
        switch (r->state) {
        case RAFT_LEADER: wake = poll_leader(r, now); break;
        case RAFT_RESIGNED: wake = poll_resigned(r, now); break;
        case RAFT_CANDIDATE: wake = poll_candidate(r, now); break;
        case RAFT_FOLLOWER: wake = poll_follower(r, now); break;
        default: wake = poll_waiting(r, now); break;
        }
        if (r->state == before && r->q_epoch == epoch) {
            if (r->shutting) wake = min64(wake, r->shutdown_at_us);
            wake = min64(wake, raft_snap_poll_clean(r, now));
            schedule(r, wake);
            return;
        }
    }
    if (r->up) schedule(r, raft_now_us(r));   /* kept changing: look again at once */
}
