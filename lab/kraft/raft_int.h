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
    RERR_SNAPSHOT_NOT_FOUND,
    RERR_POSITION_OUT_OF_RANGE,
    RERR_COUNT
};
const char *raft_err_name(int err);

/* One record of the log: a batch of one, in Kafka's terms. */
typedef struct raft_rec {
    int32_t epoch;              /* the leader epoch it was written in */
    bool control;               /* LeaderChangeMessage, not the app's */
    bool more;                  /* the next record is of the same atomic
                                 * batch: a Fetch never ends here */
    uint32_t len;
    uint8_t *data;              /* owned */
} raft_rec;

/* The log (ReplicatedLog): the records [start, n). The start moves up
 * only past a snapshot (KafkaMetadataLog.deleteBeforeSnapshot,
 * truncateToLatestSnapshot); start_epoch is that snapshot's epoch, the
 * log's last epoch while it holds no record (lastFetchedEpoch). */
typedef struct raft_log {
    raft_rec *recs;             /* recs[i] is offset start + i */
    int64_t start;              /* log start offset */
    int32_t start_epoch;
    int64_t n;                  /* log end offset */
    int64_t cap;                /* recs allocated */
} raft_log;

typedef struct raft_oe {        /* OffsetAndEpoch */
    int64_t offset;
    int32_t epoch;
} raft_oe;

static inline raft_rec *rlog_rec(const raft_log *l, int64_t off)
{
    return &l->recs[off - l->start];
}

void rlog_free(raft_log *l);
void rlog_append(raft_log *l, int32_t epoch, bool control, const uint8_t *d, size_t len);
void rlog_truncate(raft_log *l, int64_t end);   /* keeps [start, end) */
int32_t rlog_last_epoch(const raft_log *l);     /* 0 when never any */
/* ReplicatedLog.endOffsetForEpoch: where epoch e ends in this log, with
 * the largest epoch <= e it holds (LeaderEpochFileCache.endOffsetFor). */
raft_oe rlog_end_for_epoch(const raft_log *l, int32_t e);
/* The diverging half of ReplicatedLog.validateOffsetAndEpoch: true when
 * a fetch at offset after epoch agrees with this log, else the
 * diverging point in *div. */
bool rlog_valid_fetch(const raft_log *l, int64_t offset, int32_t epoch, raft_oe *div);
/* KafkaMetadataLog.truncateToEndOffset: cut back to where the leader's
 * diverging epoch ends, never past this log's own end of that epoch. */
void rlog_truncate_to(raft_log *l, raft_oe div);
/* The records before `at` go (maybeIncrementLogStartOffset); at <= n. */
void rlog_advance_start(raft_log *l, raft_oe at);
/* Every record goes; the log starts again at `at` (truncateFullyAndStartAt). */
void rlog_start_at(raft_log *l, raft_oe at);
uint64_t rlog_bytes(const raft_log *l);         /* the records' bytes */

/* A snapshot (RawSnapshotReader): its id, and its bytes: a header the
 * raft writes (the digest of the log prefix it replaces, for raft_check,
 * and the time it was taken), then the app's records. */
typedef struct raft_snap {
    raft_oe id;                 /* end offset, epoch of its last record */
    uint8_t *data;              /* owned */
    size_t len;
} raft_snap;

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
    /* durable: the snapshots, oldest first (KafkaMetadataLog.snapshots) */
    raft_snap *snaps;
    int nsnaps, capsnaps;
    /* volatile: SnapshotGenerator's counters, the cleaner's timer and a
     * download under way (FollowerState.fetchingSnapshot) */
    uint64_t snap_bytes;        /* bytesSinceLastSnapshot */
    uint64_t snap_last_us;      /* lastSnapshotTimeNs */
    uint64_t clean_at_us;       /* RaftMetadataLogCleanerManager */
    bool fetching;
    raft_oe fetch_id;           /* the snapshot being fetched */
    wbuf fetch_buf;             /* its bytes so far */
    raft_conn conn[RAFT_VOTERS_MAX];
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

void raft_apply_committed(raft *r);

/* RaftMetadataLogCleanerManager's period: KafkaRaftClient runs
 * log.maybeClean every 60 s */
#define RAFT_CLEAN_INTERVAL_US (60u * 1000u * 1000u)

/* raft_snap.c: taking, keeping, cleaning and loading snapshots */
enum { RFETCH_VALID, RFETCH_DIVERGING, RFETCH_SNAPSHOT };
/* KafkaRaftClient.handleFetchRequest's check (an empty fetcher gets the
 * latest snapshot) and ReplicatedLog.validateOffsetAndEpoch: RFETCH_*,
 * with the diverging point or the snapshot id in *out. */
int raft_check_fetch(const raft *r, int64_t offset, int32_t epoch, raft_oe *out);
const raft_snap *raft_snap_latest(const raft *r);     /* NULL: none */
const raft_snap *raft_snap_find(const raft *r, raft_oe id);
/* Keeps a snapshot (onSnapshotFrozen); the data is taken over. */
void raft_snap_store(raft *r, raft_oe id, uint8_t *data, size_t len);
void raft_snap_free_all(raft *r);
/* After records were applied: SnapshotGenerator.publishLogDelta. */
void raft_snap_applied(raft *r, uint64_t bytes);
/* Before records are applied: hands the app the latest snapshot when it
 * is at 0 or below the log start (updateListenersProgress). */
void raft_snap_maybe_load(raft *r);
/* The cleaner (maybeClean every 60 s): the time it next wants a look. */
uint64_t raft_snap_poll_clean(raft *r, uint64_t now);
/* A download finished: the log restarts at the snapshot. */
void raft_snap_downloaded(raft *r);
void raft_snap_stop_fetching(raft *r);

/* raft_fsnap.c: FetchSnapshot, both sides */
void raft_send_fetch_snapshot(raft *r, int v);
void raft_on_fetch_snapshot(raft *r, int from, rbuf *in);
bool raft_fetch_snapshot_response(raft *r, rbuf *in, int err);

/* raft_handle.c */
void raft_note_fetch(raft *r, int id);
/* A request's head to voter v (its connection now in flight), a
 * response's head, and sending either (w is freed). */
void raft_begin_request(raft *r, int v, wbuf *w);
void raft_begin_response(raft *r, wbuf *w, uint32_t corr, int err);
void raft_send_to(raft *r, int node, uint32_t type, wbuf *w);
int raft_validate_leader_only(raft *r, int32_t epoch);
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
