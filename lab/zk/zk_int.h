/* zk_int: the inside of an ensemble server, shared by its parts:
 * zk_server.c (lifecycle, roles, ticks), zk_fle.c (fast leader election),
 * zk_zab.c (discovery, sync, broadcast), zk_log.c (durable log and the
 * replicated state), zk_serve.c (client connections, sessions, watches).
 * Outside them only their unit tests include it. */
#ifndef QL_ZK_INT_H
#define QL_ZK_INT_H

#include "zk_server.h"
#include "zk_proto.h"
#include "wire.h"

#define ZK_SID_MAX 31           /* sids 1..31 */
#define ZK_DIFF_WINDOW 500      /* ZooKeeper's commitLogCount: DIFF reach */

typedef struct zk_entry {
    uint64_t zxid;              /* its place in history */
    uint64_t digest;            /* wire_digest of the txn bytes */
    uint8_t *txn;               /* u64 time_ms + body, owned */
    uint32_t len;
} zk_entry;

typedef struct zk_vote {
    int sid;                    /* proposed leader, 0: none */
    uint64_t zxid;              /* its last logged zxid */
    uint32_t epoch;             /* its current epoch (peerEpoch) */
    uint64_t round;             /* election round (electionEpoch) */
    zk_state state;             /* sender's state */
} zk_vote;

typedef struct zk_session {
    int64_t id;
    uint32_t timeout_ms;
    uint64_t expire_at_us;      /* leader only: volatile */
    uint64_t touched_us;        /* leader only: last heard of (zk_deadline.c) */
    bool closing;               /* leader only: closeSession proposed */
} zk_session;

/* The leader's handler for one follower (ZooKeeper's LearnerHandler). */
typedef enum zk_lh_state {
    LH_NONE,                    /* no connection */
    LH_INFO,                    /* sent FOLLOWERINFO */
    LH_EPOCH,                   /* acked the new epoch, awaits sync */
    LH_SYNCING,                 /* sync sent; gets proposals and commits */
    LH_SYNCED,                  /* acked NEWLEADER */
} zk_lh_state;

typedef struct zk_learner {
    zk_lh_state state;
    uint64_t conn;              /* connection id (from FOLLOWERINFO) */
    uint32_t tx, rx;            /* sequence numbers */
    uint32_t accepted_epoch;    /* from FOLLOWERINFO */
    uint32_t current_epoch;     /* from ACKEPOCH */
    uint64_t last_zxid;         /* from ACKEPOCH */
    uint64_t acked_zxid;        /* cumulative ACK */
    uint64_t heard_us;          /* last message from it */
    uint64_t heard_tick;        /* the leader's half-tick count then */
    bool uptodate;              /* UPTODATE sent */
} zk_learner;

/* Leader: a follower's client sync waiting for the commit of the last
 * proposal made before it (Leader.pendingSyncs). */
typedef struct zk_sync_wait {
    uint64_t zxid;              /* answer once this is committed */
    int sid;                    /* the follower that asked */
    uint64_t conn;              /* on this connection to it */
    uint32_t slot, gen, xid;    /* its client connection and request */
} zk_sync_wait;

typedef enum zk_phase {
    PH_NONE,
    PH_DISCOVERY,               /* epoch being agreed */
    PH_SYNC,                    /* followers being synced */
    PH_BROADCAST,               /* serving */
} zk_phase;

typedef struct zk_pending {
    uint32_t xid;
    uint8_t op;                 /* a zk_opcode, or 0 for a ping */
    bool write, done;
    wbuf reply;                 /* encoded reply once known (writes) */
    char path[ZPATH_MAX];       /* reads: path; watch flag in `watch` */
    bool watch;
} zk_pending;

typedef enum zk_conn_state { CN_FREE, CN_HANDSHAKE, CN_OPEN } zk_conn_state;

typedef struct zk_conn {
    zk_conn_state state;
    uint32_t gen;               /* bumped at reuse */
    int client;                 /* client's sim node */
    uint64_t id;                /* client's connection id */
    uint32_t tx, rx;
    int64_t session;
    uint32_t timeout_ms;        /* negotiated */
    uint64_t heard_us;
    bool touched;               /* follower: report to the leader */
    bool ro;                    /* a read-only server's local session */
    uint64_t fired;             /* last watch trigger that notified it */
    zk_pending *q;              /* requests in arrival order */
    int qhead;                  /* q[0..qhead) are answered (a window) */
    int nq, capq;
} zk_conn;

typedef struct zk_watch {
    uint64_t hash;              /* of the path */
    char *path;
    uint32_t slot, gen;         /* connection */
    bool child;                 /* child watch, else data watch */
    int next;                   /* bucket chain, -1 ends */
} zk_watch;

struct zk_server {
    sim *s;
    int sid, n, node, quorum;
    zk_config cfg;
    int peer[ZK_SID_MAX + 1];   /* sim node of each sid */
    /* --- durable: survives a crash --- */
    zk_entry *log;              /* txns, zxid order, contiguous history */
    size_t nlog, caplog;
    uint64_t log_base;          /* the log holds every txn after this one */
    wbuf snap;                  /* latest snapshot (taken or SNAP), or empty */
    uint64_t snap_zxid;         /* zxid the snapshot is at, >= log_base */
    uint32_t accepted_epoch;
    uint32_t current_epoch;
    uint64_t commit_hint;       /* highest zxid known committed (trace only) */
    /* --- volatile --- */
    bool up;
    zk_state state;
    int leader_sid;
    bool serving;
    bool ro;                    /* LOOKING, readonlymode: ReadOnlyZooKeeperServer runs */
    uint64_t ro_timer;          /* its start after the grace period */
    zk_phase phase;
    uint64_t phase_start_us;
    ztree *tree;
    zk_session *sess;           /* sorted by id */
    int nsess, capsess;
    uint64_t applied_zxid;      /* tree is at this zxid */
    int sync_how;               /* trace_sync: how the tree was last set */
    uint64_t commit_zxid;       /* highest known committed */
    uint64_t tick_timer;
    uint64_t tick_due_us;       /* when tick_timer fires (zk_deadline.c) */
    uint64_t half_ticks;        /* half-ticks run: the leader's clock for
                                 * its followers (Leader's self.tick) */
    uint32_t sess_counter;
    int64_t session_base;       /* session ids: sid << 56 | start time */
    bool replaying;             /* rebuilding: no watches, no replies */
    /* election */
    uint64_t round;
    zk_vote proposal;           /* LOOKING: what it proposes */
    zk_vote vote;               /* not LOOKING: what it settled on */
    zk_vote recv[ZK_SID_MAX + 1];   /* votes of this round */
    zk_vote ooe[ZK_SID_MAX + 1];    /* votes of servers out of election */
    uint32_t notify_ms;
    uint64_t notify_timer, finalize_timer;
    /* leader */
    zk_learner lh[ZK_SID_MAX + 1];
    uint32_t new_epoch;         /* 0 until a quorum sent FOLLOWERINFO */
    uint32_t counter;           /* zxid counter in this epoch */
    zk_sync_wait *syncs;        /* followers' syncs, zxid order */
    int nsyncs, capsyncs;
    /* follower */
    uint64_t fconn;
    uint32_t ftx, frx;
    uint64_t leader_heard_us;
    /* clients */
    zk_conn *conns;
    int nconns, capconns;
    zk_watch *watches;
    int nwatches, capwatches, free_watch;
    int *wbucket;
    int nbuckets;
    uint64_t fire_seq;          /* counts watch triggers */
    uint64_t pkts_in, pkts_out; /* client packets since start (ServerStats) */
    /* the leader's ProposalStats (a BufferStats): bytes of the last, the
     * smallest and the largest proposal since it began to lead; -1 none */
    int64_t prop_last, prop_min, prop_max;
    /* scratch, reused */
    wbuf out;
    wbuf body;                  /* txn being proposed, snapshot being sent */
    wbuf req;                   /* write body being submitted */
    zop ops[ZK_MULTI_MAX];
    char paths[ZK_MULTI_MAX][ZPATH_MAX];
    zop_result res[ZK_MULTI_MAX];
};

/* zk_server.c */
void zk_become_looking(zk_server *z, const char *why);
void zk_become_following(zk_server *z, int leader_sid);
void zk_become_leading(zk_server *z);
void zk_set_serving(zk_server *z, bool on);
/* Read-only mode (readonlymode.enabled): armed when LOOKING begins, the
 * read-only server stopped (its clients cut off) when LOOKING ends. */
void zk_ro_arm(zk_server *z);
void zk_ro_stop(zk_server *z);
uint64_t zk_now(const zk_server *z);
uint64_t zk_processed_zxid(const zk_server *z);

/* zk_fle.c */
void zk_fle_start(zk_server *z);
void zk_fle_stop(zk_server *z);
void zk_fle_recv(zk_server *z, int from_sid, rbuf *r);
/* Vote order: peer epoch, then zxid, then sid. >0 when a beats b. */
int zk_vote_cmp(const zk_vote *a, const zk_vote *b);

/* zk_log.c: the durable log and the replicated state */
void zk_log_append(zk_server *z, uint64_t zxid, const uint8_t *txn, size_t len);
void zk_log_truncate(zk_server *z, uint64_t zxid);    /* keep <= zxid */
void zk_log_clear(zk_server *z);
void zk_log_trunc_sync(zk_server *z, uint64_t cut);   /* a leader's TRUNC */
/* A SNAP sync: the snapshot replaces the log and the tree. False when
 * the snapshot does not decode (nothing else is then trusted). */
bool zk_log_install_snap(zk_server *z, const uint8_t *p, size_t n, uint64_t zxid);
/* After live applies: when enough txns were logged since the last
 * snapshot, snapshots the applied (committed) state and drops the log it
 * covers, keeping the last ZK_DIFF_WINDOW txns for DIFF syncs. */
void zk_log_maybe_snap(zk_server *z);
uint64_t zk_log_last(const zk_server *z);
/* Index of the entry with this zxid, or -1. */
long zk_log_find(const zk_server *z, uint64_t zxid);
/* Index of the first entry with zxid > after. */
size_t zk_log_after(const zk_server *z, uint64_t after);
/* Rebuilds the volatile state from the snapshot and the log up to
 * `upto` without tracing applies (process start, TRUNC). */
void zk_state_reload(zk_server *z, uint64_t upto);
/* Applies log entries (applied_zxid, upto] in order, tracing each. */
void zk_state_apply_upto(zk_server *z, uint64_t upto);
void zk_state_free(zk_server *z);
void zk_snap_write(zk_server *z, wbuf *w);          /* tree + sessions */
bool zk_snap_load(zk_server *z, const uint8_t *p, size_t n, uint64_t zxid);
zk_session *zk_session_find(zk_server *z, int64_t id);

/* zk_zab.c */
void zk_lead_start(zk_server *z);
void zk_follow_start(zk_server *z);
void zk_zab_stop(zk_server *z);
void zk_zab_recv(zk_server *z, int from_sid, uint32_t type, rbuf *r);
void zk_zab_tick(zk_server *z);
void zk_zab_reset(zk_server *z, int sid);
/* Leader: propose a body (txn without time) now. */
void zk_propose(zk_server *z, const uint8_t *body, size_t len);
/* Any serving server: send a write body towards the leader. */
void zk_submit(zk_server *z, const uint8_t *body, size_t len);
/* A client's sync(path) on this server: the leader answers it at once,
 * a follower asks the leader, which answers after flushing to it every
 * proposal made before the sync (Leader.processSync); then
 * zk_serve_synced. */
void zk_sync_request(zk_server *z, uint32_t slot, uint32_t gen, uint32_t xid);
/* Follower: ask the leader whether a session lives. */
void zk_revalidate(zk_server *z, int64_t session, uint32_t slot, uint32_t gen);
int zk_synced_followers(const zk_server *z);

/* zk_serve.c */
void zk_serve_recv(zk_server *z, int from, uint32_t type, rbuf *r);
void zk_serve_close_all(zk_server *z);
void zk_serve_reset(zk_server *z, int node);
void zk_serve_tick(zk_server *z);
void zk_serve_free(zk_server *z);
/* A txn was applied here: reply to its origin if it is ours. */
void zk_serve_applied(zk_server *z, const zk_txn *t, uint64_t zxid,
                      zerr err, const zop_result *res, int nres);
void zk_serve_synced(zk_server *z, uint32_t slot, uint32_t gen, uint32_t xid);
void zk_serve_revalidated(zk_server *z, int64_t session, uint32_t slot,
                          uint32_t gen, bool valid, uint32_t timeout_ms);
void zk_serve_watch_event(zk_server *z, zevent ev, const char *path);
/* Leader: session bookkeeping. */
void zk_session_touch(zk_server *z, int64_t id);
void zk_sessions_restart_clocks(zk_server *z);
void zk_sessions_expire_check(zk_server *z);
/* Follower: encodes touched sessions into w (count + ids). */
void zk_sessions_write_touches(zk_server *z, wbuf *w);

#endif
