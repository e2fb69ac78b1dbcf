/* raft: KRaft's replication of the __cluster_metadata log (KIP-595), as
 * org.apache.kafka.raft.KafkaRaftClient runs it: voters elect a leader with
 * Vote, the leader announces itself with BeginQuorumEpoch and resigns with
 * EndQuorumEpoch, followers and observers pull the log with Fetch, and the
 * leader advances the high watermark from the voters' fetch offsets.
 *
 * A raft is a part of a process, not a process: it lives on a sim node
 * owned by someone else (a controller process, raft_proc.h, or a broker as
 * an observer), which hands it the process's start, crash, reset and the
 * Raft messages. The records are opaque bytes to it; the layer above (the
 * metadata records, the QuorumController, the brokers' metadata cache)
 * appends them on the leader and applies them, once committed, in offset
 * order through raft_app. */
#ifndef QL_RAFT_H
#define QL_RAFT_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "sim.h"
#include "wire.h"

#define RAFT_VOTERS_MAX 9       /* controller.quorum.voters at most */

/* Message types on the simulated network (raft_msg.c names them). */
enum raft_msg {
    RM_VOTE = 0x4B01,           /* candidate -> voters */
    RM_VOTE_RESP,
    RM_BEGIN_EPOCH,             /* BeginQuorumEpoch: new leader -> voters */
    RM_BEGIN_EPOCH_RESP,
    RM_END_EPOCH,               /* EndQuorumEpoch: resigning leader -> voters */
    RM_END_EPOCH_RESP,
    RM_FETCH,                   /* follower or observer -> leader */
    RM_FETCH_RESP,
    RM_FETCH_SNAPSHOT,          /* FetchSnapshot: follower or observer -> leader */
    RM_FETCH_SNAPSHOT_RESP,
    RM_END
};

/* QuorumState's states (EpochState subclasses); RAFT_DOWN when the process
 * is not running. */
typedef enum raft_state {
    RAFT_DOWN = 0,
    RAFT_UNATTACHED,            /* UnattachedState: epoch known, no leader, no vote */
    RAFT_VOTED,                 /* VotedState: voted for a candidate this epoch */
    RAFT_CANDIDATE,             /* CandidateState */
    RAFT_LEADER,                /* LeaderState */
    RAFT_RESIGNED,              /* ResignedState: a leader that gave up its epoch */
    RAFT_FOLLOWER,              /* FollowerState (voters and observers) */
} raft_state;

const char *raft_state_name(raft_state st);    /* "Leader", "Follower", ... */

/* The code of the TR_COMMIT events a raft emits each time its high
 * watermark moves (ZooKeeper's are 0): a = the committed prefix's length
 * (the high watermark), b = a digest of that prefix, records and epochs,
 * so a checker can tell two nodes' committed logs apart. */
#define RAFT_TR_COMMIT 0x4B

/* The quorum.* settings (QuorumConfig), in ms, and the metadata.* ones
 * that govern snapshots of the log (KafkaConfig, read by KafkaMetadataLog
 * and SnapshotGenerator); raft_config_defaults gives Kafka's defaults. */
typedef struct raft_config {
    uint32_t election_timeout_ms;       /* quorum.election.timeout.ms: 1000 */
    uint32_t election_backoff_max_ms;   /* quorum.election.backoff.max.ms: 1000 */
    uint32_t fetch_timeout_ms;          /* quorum.fetch.timeout.ms: 2000 */
    uint32_t request_timeout_ms;        /* quorum.request.timeout.ms: 2000 */
    uint32_t retry_backoff_ms;          /* quorum.retry.backoff.ms: 20 */
    uint32_t fetch_max_wait_ms;         /* KafkaRaftClient.MAX_FETCH_WAIT_MS: 500 */
    uint32_t shutdown_timeout_ms;       /* RaftManager's client.shutdown(5000) */
    /* metadata.log.max.record.bytes.between.snapshots: 20 MiB; a
     * snapshot once the records applied since the last pass it */
    int64_t snapshot_max_new_record_bytes;
    /* metadata.log.max.snapshot.interval.ms: 1 h; or once this long
     * passed and a record was applied (0: never by time) */
    int64_t snapshot_max_interval_ms;
    /* metadata.max.retention.bytes: 100 MiB; while log + snapshots are
     * larger, the oldest snapshot goes and the log starts at the next
     * (-1: no limit) */
    int64_t max_retention_bytes;
    /* metadata.max.retention.ms: 7 days; a snapshot older than this goes
     * likewise (-1: no limit) */
    int64_t max_retention_ms;
    uint32_t fetch_snapshot_max_bytes;  /* per FetchSnapshot answer: 8 MiB
                                           (KafkaRaftClient.MAX_FETCH_SIZE_BYTES) */
} raft_config;

void raft_config_defaults(raft_config *c);

typedef struct raft raft;
/* Takes the metadata.* snapshot and retention settings of `from` (a
 * broker's observer takes the controllers'). */
void raft_snapshot_settings(raft *r, const raft_config *from);

/* The layer above. Every callback is optional. */
typedef struct raft_app {
    /* A committed record, in offset order, each once per process start
     * (after a restart the log is applied again from offset 0, as the
     * metadata layer rebuilds its state from the log). data is valid only
     * during the call. Control records (the LeaderChangeMessage a new
     * leader writes) are not passed. */
    void (*commit)(void *ctx, int64_t offset, int32_t epoch,
                   const uint8_t *data, size_t len);
    /* The leader this node knows changed: leader_id -1 when none is known
     * (an election is under way). Fires on the new leader itself too,
     * where raft_append starts to work. */
    void (*leader)(void *ctx, int32_t epoch, int leader_id);
    /* Snapshots (KIP-630). snapshot_write appends the app's state as of
     * every record it was given, as records (the content of a snapshot
     * the raft takes: SnapshotGenerator). snapshot_load replaces the
     * app's state by a snapshot's (RaftClient.Listener.handleLoadSnapshot):
     * the next commit is at end_offset. Without snapshot_write a
     * snapshot holds no app bytes. */
    void (*snapshot_write)(void *ctx, wbuf *out);
    void (*snapshot_load)(void *ctx, int64_t end_offset, const uint8_t *data,
                          size_t len);
} raft_app;

/* A voter when node_id is among voter_ids, else an observer. voter_nodes
 * are the sim nodes of the voters, in the order of voter_ids. The node is
 * the sim node this raft lives on; its owner forwards the calls below. */
raft *raft_new(sim *s, int node, int node_id, const int *voter_ids,
               const int *voter_nodes, int nvoters, const raft_config *cfg);
void raft_free(raft *r);                        /* NULL is a no-op */
void raft_set_app(raft *r, const raft_app *app, void *ctx);

/* The owning process's life: start (boot or restart: durable state, the
 * log and the quorum-state file, is read back), crash (volatile state
 * gone; the owner's timers are already void), a peer's connection reset. */
void raft_start(raft *r);
void raft_crash(raft *r);
void raft_reset(raft *r, int peer_node);
/* A message from the network: true when it was a Raft message (handled),
 * false when the owner should look at it. */
bool raft_recv(raft *r, int from, uint32_t type, const uint8_t *data, size_t len);

/* Appends a record on the leader: its offset, or -1 when this node is not
 * the leader (NOT_LEADER_OR_FOLLOWER). The data is copied. */
int64_t raft_append(raft *r, const uint8_t *data, size_t len);
/* Appends n records as one atomic batch (scheduleAtomicAppend): the
 * offset of the last, or -1 (nothing appended) when not the leader. A
 * Fetch answer never ends inside a batch, so a follower holds all of it
 * or none, and the batch commits or is truncated whole. */
int64_t raft_append_batch(raft *r, const uint8_t *const *data, const size_t *len, int n);

/* A clean shutdown (KafkaRaftClient.shutdown): a leader resigns and sends
 * EndQuorumEpoch with its preferred successors; the node then waits until
 * an election bumps the epoch, or shutdown_timeout_ms, and calls done.
 * A follower is done at once. */
typedef void (*raft_done_fn)(void *ctx, raft *r);
void raft_shutdown(raft *r, raft_done_fn done, void *ctx);

/* --- reading (for lab.quorum, the dashboard and the checkers) --- */
typedef struct raft_info {
    int node_id;                /* node.id */
    int node;                   /* sim node */
    bool voter;
    raft_state state;
    int32_t epoch;              /* current epoch */
    int leader_id;              /* -1 when unknown */
    int voted_id;               /* -1 when none this epoch */
    int64_t log_end;            /* log end offset */
    int32_t last_epoch;         /* epoch of the last record, 0 for none */
    int64_t high_watermark;     /* -1 when unknown */
    int64_t applied;            /* next offset for raft_app::commit */
    int64_t log_start;          /* log start offset: 0 until a snapshot
                                   let the records before it go */
    int64_t snapshot_end;       /* latest snapshot id: end offset, -1 none */
    int32_t snapshot_epoch;     /*   and the epoch of its last record */
    int nsnapshots;             /* snapshots held */
    bool fetching_snapshot;     /* downloading one with FetchSnapshot */
} raft_info;
void raft_info_get(const raft *r, raft_info *out);

/* The timer a running voter's state waits on (QuorumState's states each
 * hold one): a Follower's fetch timer (quorum.fetch.timeout.ms, reset by
 * each answered fetch), the election timer of Unattached, Voted, Candidate
 * and Resigned (quorum.election.timeout.ms, random), a Candidate's backoff
 * before it stands again, a Leader's check-quorum timer (1.5 x the fetch
 * timeout, reset once a majority fetched). *at_us: when it fires;
 * *since_us: when it was last reset (0 for the election timer, which no
 * message resets). RAFT_TIMER_NONE for an observer, a node that is down
 * or shutting down, or a single voter's leader. For the countdowns. */
typedef enum raft_timer {
    RAFT_TIMER_NONE,
    RAFT_TIMER_FETCH,
    RAFT_TIMER_ELECTION,
    RAFT_TIMER_BACKOFF,
    RAFT_TIMER_CHECK_QUORUM,
} raft_timer;
raft_timer raft_deadline(const raft *r, uint64_t *since_us, uint64_t *at_us);

/* The leader's view of a replica (LeaderState.ReplicaState): its last
 * fetch offset (-1 before its first fetch) and when it fetched. False
 * when this node is not leader or knows no such replica. */
bool raft_replica(const raft *r, int node_id, int64_t *end_offset,
                  uint64_t *last_fetch_us);

/* One record of the log; false when offset is outside it. *data stays
 * valid until the log changes. */
bool raft_entry(const raft *r, int64_t offset, int32_t *epoch, bool *control,
                const uint8_t **data, size_t *len);

/* Names the message types and their details in the trace (once per world). */
void raft_name_msgs(sim *s);

#endif
