/* raft_int: the raft struct and the functions its files share (raft.c the
 * states and the poll loop, raft_handle.c the requests and responses,
 * raft_log.c the log, raft_msg.c the wire format). Not for other layers. */
#ifndef QL_RAFT_INT_H
#define QL_RAFT_INT_H
#include "raft.h"
#include "wire.h"

/* Errors codes on the wire, Kafka's names (raft_err_name). */
enum raft_err {
    RERR_NONE = 0,
    RERR_FENCED_LEADER_EPOCH,
    RERR_UNKNOWN_LEADER_EPOCH,
    RERR_NOT_LEADER_OR_FOLLOWER,
    RERR_INCONSISTENT_VOTER_SET,
    RERR_INVALID_REQUEST,
    RERR_BROKER_NOT_AVAILABLE,
    RERR_COUNT
};
const char *raft_err_name(int err);

/* One record of the log: a batch of one, in Kafka's terms. */
typedef struct raft_rec {
    int32_t epoch;              /* the leader epoch it was written in */
    bool control;               /* LeaderChangeMessage, not the app's */
    uint32_t len;
    uint8_t *data;              /* owned */
} raft_rec;

/* The log (ReplicatedLog), from offset 0: no snapshots yet. */
typedef struct raft_log {
    raft_rec *recs;
    int64_t n;                  /* log end offset */
    int64_t cap;
} raft_log;

typedef struct raft_oe {        /* OffsetAndEpoch */
    int64_t offset;
    int32_t epoch;
} raft_oe;

void rlog_free(raft_log *l);
void rlog_append(raft_log *l, int32_t epoch, bool control, const uint8_t *d, size_t len);
void rlog_truncate(raft_log *l, int64_t end);   /* keeps [0, end) */
int32_t rlog_last_epoch(const raft_log *l);     /* 0 when empty */
/* ReplicatedLog.endOffsetForEpoch: where epoch e ends in this log, with
 * the largest epoch <= e it holds (LeaderEpochFileCache.endOffsetFor). */
raft_oe rlog_end_for_epoch(const raft_log *l, int32_t e);
/* ReplicatedLog.validateOffsetAndEpoch: true when a fetch at offset
 * after epoch agrees with this log, else the diverging point in *div. */
bool rlog_valid_fetch(const raft_log *l, int64_t offset, int32_t epoch, raft_oe *div);
/* KafkaMetadataLog.truncateToEndOffset: cut back to where the leader's
 * diverging epoch ends, never past this log's own end of that epoch. */
void rlog_truncate_to(raft_log *l, raft_oe div);

/* RequestManager.ConnectionState, one per voter. */
typedef struct raft_conn {
    bool inflight;              /* awaiting a response */
    uint32_t corr;              /* its correlation id */
    uint64_t sent_us;
    uint64_t backoff_until_us;  /* BACKING_OFF until then */
    int fails;                  /* resets in a row: reconnect backoff */
} raft_conn;

/* LeaderState.ReplicaState, for voters and observers that fetch. */
typedef struct raft_rstate {
    int node_id;
    int64_t end_offset;         /* -1 before its first valid fetch */
    uint64_t last_fetch_us;
} raft_rstate;

/* A Fetch waiting in the leader's fetch purgatory (up to MAX_FETCH_WAIT_MS). */
typedef struct raft_parked {
    int from;                   /* sim node to answer */
    int replica_id;
    uint32_t corr;
    int64_t fetch_offset;
    int32_t last_epoch;
    uint64_t deadline_us;
} raft_parked;

struct raft {
    sim *s;
    int node;                   /* the sim node it lives on */
    int node_id;                /* node.id */
    raft_config cfg;
    int nvoters;
    int voter_ids[RAFT_VOTERS_MAX];
    int voter_nodes[RAFT_VOTERS_MAX];
    int self;                   /* own voter index, -1 for an observer */
    raft_app app;
    void *app_ctx;
    /* durable: the log and the quorum-state file (ElectionState) */
    raft_log log;
    int32_t q_epoch;
    int q_leader;               /* -1 none */
    int q_voted;                /* -1 none */
    /* volatile */
    bool up;
    raft_state state;
    int64_t hw;                 /* -1 unknown */
    int64_t next_apply;         /* next offset to hand to the app */
    uint64_t digest;            /* of the records [0, next_apply) */
    int fired_leader;           /* leader last told to the app (-2: never) */
    int32_t fired_epoch;
    uint64_t election_at_us;    /* Unattached, Voted, Candidate, Resigned */
    uint64_t fetch_at_us;       /* Follower: fetch timeout */
    int retries;                /* Candidate */
    bool backing_off;
    uint64_t backoff_until_us;
    bool granted[RAFT_VOTERS_MAX], rejected[RAFT_VOTERS_MAX];
    bool acked[RAFT_VOTERS_MAX];    /* Leader: BeginQuorumEpoch; Resigned: End */
    int64_t epoch_start;        /* Leader: its first offset in its epoch */
    raft_rstate *reps;          /* Leader: voters first, then observers */
    int nreps, capreps;
    bool fetched[RAFT_VOTERS_MAX];  /* Leader: check-quorum interval */
    uint64_t check_at_us;       /* Leader: resign when no majority by then */
    int succ[RAFT_VOTERS_MAX];  /* Resigned: preferred successors */
    int nsucc;
    raft_parked *parked;
    int nparked, capparked;
    raft_conn conn[RAFT_VOTERS_MAX];
    int fetch_target;           /* observer without leader: voter index asked */
    uint32_t corr_next;
    uint64_t timer_id;
    uint64_t timer_at_us;
    bool shutting;
    int32_t shutdown_epoch;
    uint64_t shutdown_at_us;
    raft_done_fn done;
    void *done_ctx;
};

/* raft.c */
int raft_voter_index(const raft *r, int node_id);   /* -1 when not a voter */
int raft_majority(const raft *r);
void raft_poll(raft *r);
void raft_to_unattached(raft *r, int32_t epoch);
void raft_to_voted(raft *r, int32_t epoch, int candidate);
void raft_to_follower(raft *r, int32_t epoch, int leader);
void raft_to_candidate(raft *r);
void raft_candidate_vote(raft *r, int v, bool granted);
void raft_maybe_transition(raft *r, int leader, int32_t epoch);
void raft_update_hw(raft *r, int64_t hw);
uint32_t raft_backoff_ms(raft *r, int retries);
uint64_t raft_now_us(const raft *r);

/* raft_handle.c */
void raft_handle(raft *r, int from, uint32_t type, rbuf *in);
void raft_send_vote(raft *r, int v);
void raft_send_begin(raft *r, int v);
void raft_send_end(raft *r, int v);
void raft_send_fetch(raft *r, int v);
void raft_leader_hw(raft *r);
void raft_complete_parked(raft *r, bool all);
void raft_fail_parked(raft *r);
bool raft_conn_ready(raft *r, int v);
uint64_t raft_conn_wake(const raft *r, int v);

#endif
