/* zk_server: a ZooKeeper-style ensemble server as a simulated node. It runs
 * fast leader election, ZAB (discovery, synchronization, broadcast), keeps
 * the znode tree and the session table, serves clients, and fires watches.
 * It behaves like ZooKeeper 3.8 wherever a learner could tell (see
 * shared/FIDELITY.md). Servers are named "zk1", "zk2", ... after their id. */
#ifndef QL_ZK_SERVER_H
#define QL_ZK_SERVER_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "ztree.h"

typedef struct zk_config {
    uint32_t tick_ms;           /* tickTime, 2000 */
    uint32_t init_limit;        /* initLimit in ticks, 10 */
    uint32_t sync_limit;        /* syncLimit in ticks, 5 */
    uint32_t finalize_wait_ms;  /* FLE finalizeWait, 200 */
    uint32_t max_notify_ms;     /* FLE notification timeout cap, 60000 */
    uint32_t min_session_ms;    /* 0: 2 x tick */
    uint32_t max_session_ms;    /* 0: 20 x tick */
    uint32_t snap_count;        /* snapCount, 100000: a server snapshots
                                 * after snapCount/2 + a per-server roll
                                 * below snapCount/2 logged txns, then
                                 * drops the log the snapshot covers
                                 * (except the DIFF window); minimum 2 */
    uint32_t readonly_mode;     /* 1: readonlymode.enabled (with local
                                 * sessions, as ReadOnlyModeTest runs it):
                                 * a server LOOKING for max(2 s, tickTime)
                                 * serves reads to clients that set
                                 * canBeReadOnly; 0 (the default): it
                                 * refuses every client */
} zk_config;

void zk_config_defaults(zk_config *c);

typedef enum zk_state {
    ZK_DOWN,                    /* process not running */
    ZK_LOOKING,
    ZK_FOLLOWING,
    ZK_LEADING,
} zk_state;

const char *zk_state_name(zk_state s);  /* "LOOKING", ..., "DOWN" */

/* QuorumPeer.ZabState (ZooKeeper 3.6+): where a server is in ZAB. The
 * election picks FOLLOWING or LEADING at once, but a follower reports
 * the new epoch and serves only after DISCOVERY (FOLLOWERINFO,
 * LEADERINFO, ACKEPOCH) and SYNCHRONIZATION (DIFF/TRUNC/SNAP, NEWLEADER,
 * UPTODATE) with its leader (Follower.followLeader, Leader.lead). */
typedef enum zk_zab_state {
    ZAB_ELECTION,               /* LOOKING, or down */
    ZAB_DISCOVERY,              /* the new epoch being agreed */
    ZAB_SYNCHRONIZATION,        /* followers being brought up to date */
    ZAB_BROADCAST,              /* proposals and commits: serving */
} zk_zab_state;

const char *zk_zab_state_name(zk_zab_state s);  /* "DISCOVERY", ... */

/* zxid = epoch << 32 | counter */
#define ZXID(epoch, counter) (((uint64_t)(epoch) << 32) | (uint32_t)(counter))
#define ZXID_EPOCH(z) ((uint32_t)((uint64_t)(z) >> 32))
#define ZXID_COUNTER(z) ((uint32_t)(z))

/* A read-only view of one server, for lab.ensemble() and the dashboard. */
typedef struct zk_server_info {
    int sid;                    /* 1, 2, 3, ... */
    int node;                   /* sim node index */
    zk_state state;             /* DOWN when the process is not up */
    bool paused;                /* the process is frozen */
    bool serving;               /* answers clients now */
    bool readonly;              /* LOOKING, answering read-only clients */
    uint64_t last_zxid;         /* last transaction in its log */
    uint32_t epoch;             /* current epoch: the new leader's only
                                   from its NEWLEADER on */
    zk_zab_state zab;           /* where it is in ZAB */
    int leader_sid;             /* whom it follows or itself; 0 for none */
    /* election, while LOOKING: what it currently proposes */
    int vote_sid;
    uint64_t vote_zxid;
    uint32_t vote_epoch;
    uint64_t election_round;    /* logical clock */
    int synced_followers;       /* leader: followers acked within syncLimit */
    int sessions;               /* sessions it knows of */
    int connections;            /* clients connected to it */
    /* durable state: what a restart loads */
    uint64_t snap_zxid;         /* latest snapshot is at this zxid, 0: none */
    size_t log_entries;         /* txns kept in its log (bounded) */
    /* what the four-letter words report (ServerStats) */
    uint64_t packets_received;  /* client packets since the process started */
    uint64_t packets_sent;
    int64_t proposal_last, proposal_min, proposal_max;   /* leader: bytes, -1 none */
    int watches;                /* watches set on it */
    int sync_how;               /* trace_sync: LOAD at start, then DIFF,
                                 * TRUNC or SNAP from its last leader; 0
                                 * before it ever started */
} zk_server_info;

typedef struct zk_server zk_server;

/* A deadline the server's own timers will act on unless it hears from
 * someone first: what the dashboard counts down. */
typedef enum zk_deadline_kind {
    ZKD_SESSION_EXPIRE,         /* leader: a session expires (SessionTrackerImpl) */
    ZKD_LEADER_QUORUM,          /* leader: too few followers synced, it stops
                                 * leading (syncLimit) */
    ZKD_LEADER_SILENT,          /* follower: its leader silent, it goes
                                 * LOOKING (syncLimit) */
} zk_deadline_kind;

typedef struct zk_deadline {
    zk_deadline_kind kind;
    int64_t session;            /* ZKD_SESSION_EXPIRE: which */
    uint64_t since_us;          /* the waited-for side was last heard then */
    uint64_t quiet_us;          /* the longest a healthy one stays silent */
    uint64_t at_us;             /* the timer acts then if nothing is heard */
} zk_deadline;

/* Creates server `sid` (1-based) of an ensemble whose servers are the sim
 * nodes peers[0..n-1] (peers[sid-1] is this one, added by this call, so
 * callers add servers in sid order: the node index is returned by
 * zk_server_node). The node starts DOWN; sim_start_node boots it. */
zk_server *zk_server_new(sim *s, int sid, int n, const zk_config *cfg);
/* After every server exists: tells each the node indices of its peers. */
void zk_server_set_peers(zk_server *z, const int *nodes, int n);
int zk_server_node(const zk_server *z);
void zk_server_info_get(const zk_server *z, zk_server_info *out);
/* The info's state (ZK_DOWN while down) and whether it serves, without
 * the counts zk_server_info_get walks connections and watches for: what
 * a reader choosing a server's tree asks on every lookup. */
zk_state zk_server_state(const zk_server *z, bool *serving);
/* Its settings (tickTime, session bounds...), read-only. */
const zk_config *zk_server_config(const zk_server *z);
/* The server's deadlines now (none while it is down or paused: its
 * timers wait), at most cap into out; returns how many. Read-only. */
int zk_server_deadlines(const zk_server *z, zk_deadline *out, int cap);
/* The server's current tree (committed state), read-only. */
const ztree *zk_server_tree(const zk_server *z);

#endif
