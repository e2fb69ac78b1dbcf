/* cluster: one simulated world as a learner sees it: the ensemble servers
 * (zk1..zkN), later the brokers (101, 102, ...), and the clients, built
 * from one config and one seed. The Lua controller and the dashboard both
 * use it; they read snapshots and act only through its fault and admin
 * calls, never on node internals. */
#ifndef QL_CLUSTER_H
#define QL_CLUSTER_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "sim.h"
#include "zk_server.h"
#include "kafka_proto.h"
#include "zk_client.h"
#include "raft_quorum.h"

#define CLUSTER_ZK_MAX 15       /* ensemble servers at most */

#define CLUSTER_BROKER_MAX 512 /* brokers at most */
#define CLUSTER_CLIENT_MAX 256  /* stand-alone client processes at most */

/* ZooKeeper mode (Kafka 2.8: an ensemble, a controller broker) or KRaft
 * mode (a controller quorum replicating __cluster_metadata, no ZooKeeper). */
typedef enum cluster_mode {
    CLUSTER_ZOOKEEPER = 0,
    CLUSTER_KRAFT,
} cluster_mode;

typedef struct cluster_config {
    uint64_t seed;
    cluster_mode mode;
    int zookeepers;             /* 1 .. CLUSTER_ZK_MAX; none in KRaft mode */
    int controllers;            /* KRaft: 1 .. RAFT_VOTERS_MAX (ctl1..ctlN) */
    raft_config raft;           /* KRaft: the quorum.* settings */
    int brokers;                /* Kafka brokers, 0 .. CLUSTER_BROKER_MAX */
    int broker_ids[CLUSTER_BROKER_MAX]; /* 0: 101 + index */
    char racks[CLUSTER_BROKER_MAX][16]; /* "": no rack */
    kafka_config kafka;         /* broker settings */
    zk_config zk;
} cluster_config;

void cluster_config_defaults(cluster_config *c);   /* 3 servers, seed 1 */

typedef struct ensemble_info {
    int size;                   /* servers in the ensemble */
    int quorum;                 /* floor(size/2) + 1 */
    int up;                     /* processes running (not down) */
    int leader_sid;             /* 0 for none */
    uint32_t epoch;             /* the leader's epoch, else the highest seen */
    bool serving;               /* a leader with a quorum serves clients */
    zk_server_info servers[CLUSTER_ZK_MAX];
} ensemble_info;

typedef struct cluster cluster;

/* Builds and boots the world. Returns NULL and writes a reason into err
 * when the config is out of range. */
cluster *cluster_new(const cluster_config *cfg, char *err, size_t errcap);
void cluster_free(cluster *c);          /* NULL is a no-op */
sim *cluster_sim(cluster *c);

int cluster_zk_count(const cluster *c);
zk_server *cluster_zk(cluster *c, int sid);     /* 1-based */
const int *cluster_zk_nodes(const cluster *c);  /* node index per sid-1 */
void cluster_ensemble(cluster *c, ensemble_info *out);
/* Whether node is isolated as lab.ensemble(), lab.quorum() and the
 * dashboard say it: an ensemble server linked both ways to no other
 * server, a KRaft controller to no other controller (net_cut_off). A cut
 * that leaves it some peer is not isolation, however many links it cuts.
 * False for any other node. */
bool cluster_cut_off(cluster *c, int node);

/* The KRaft controller quorum (raft_quorum.h); NULL in ZooKeeper mode. */
struct raft_quorum *cluster_quorum(cluster *c);
/* The Kafka half (kafka_world.h); NULL when the world has no brokers. */
struct kafka_world *cluster_kafka(cluster *c);

/* KRaft mode: controller i's QuorumController (kctl_ctrl.h); NULL in
 * ZooKeeper mode. */
struct kctl_ctrl *cluster_ctl(cluster *c, int i);
/* KRaft mode: the index of the active controller, a running one whose
 * QuorumController is active (the highest Raft epoch if two still think
 * so: a deposed leader cut off from the rest has not heard yet); -1 for
 * none, and in ZooKeeper mode. */
int cluster_active_ctl(cluster *c);

/* A node by its name ("zk1", "101", "c2"); -1 when unknown. */
int cluster_find_node(const cluster *c, const char *name);

/* --- names as a learner types them (cluster_names.c): the Lua API and
 * the dashboard resolve nodes and word the error the same way. --- */

/* The words of the messages, as printf formats, so the dashboard can
 * translate them; NULL stands for these English ones. */
typedef struct cluster_words {
    const char *unknown;        /* name, what exists */
    const char *servers;        /* servers (a world without brokers) */
    const char *brokers;        /* servers, broker ids */
} cluster_words;
#define CLUSTER_WORDS_UNKNOWN "unknown node '%s' (%s)"
#define CLUSTER_WORDS_SERVERS "servers %s, no brokers"
#define CLUSTER_WORDS_BROKERS "servers %s, brokers %s"

/* What exists, for a message: "servers zk1..zk3, brokers 101..104". */
void cluster_names(cluster *c, const cluster_words *w, char *buf, size_t cap);
/* The node a learner named (exactly as the dashboard shows it: a bare
 * number is a broker id, never a server's number); -1 with "unknown node
 * '105' (servers zk1..zk3, brokers 101..104)" in err when none. */
int cluster_resolve(cluster *c, const char *name, const cluster_words *w,
                    char *err, size_t cap);

/* Told of each kill, restart, pause, resume, isolate, split and heal as
 * a line ("kill zk2", "pause zk1 0", "split zk1,zk2 zk3", "heal"): what
 * --trace records of a dashboard session, for --replay. NULL: none. */
typedef void (*cluster_fault_fn)(void *u, const char *line);
void cluster_on_fault(cluster *c, cluster_fault_fn fn, void *u);

/* --- the fault API: the Lua controller and the dashboard both act
 * through these, and every call is traced as a TR_FAULT event. --- */
void cluster_kill(cluster *c, int node);            /* crash; no-op if down */
void cluster_restart(cluster *c, int node);         /* crash if up, start */
void cluster_pause(cluster *c, int node, uint64_t dur_us); /* 0: until resume */
void cluster_resume(cluster *c, int node);
void cluster_isolate(cluster *c, int node);         /* cut both ways */
/* Cuts every link between a node of `a` and a node of `b`, both ways;
 * links of nodes in neither group are left alone. */
void cluster_split(cluster *c, const int *a, int na, const int *b, int nb);
void cluster_heal(cluster *c);                      /* every link default */
/* Sets the directed link from -> to: drop in parts per million, one-way
 * delay drawn in [lo, hi] microseconds. */
void cluster_link(cluster *c, int from, int to, uint32_t drop_ppm,
                  uint64_t delay_lo_us, uint64_t delay_hi_us);
/* Sets every link between two of the n nodes, both ways, alike: one
 * fault in the trace, "links among zk1, zk2, zk3: drop ... delay ...".
 * Without set_delay each link keeps its own delays. */
void cluster_link_all(cluster *c, const int *nodes, int n, uint32_t drop_ppm,
                      bool set_delay, uint64_t delay_lo_us, uint64_t delay_hi_us);

/* A new broker process joins the running world (lab.add_broker,
 * :add-broker): a node on the network with the cluster's Kafka settings,
 * started at once, traced as the fault "add broker 105". It registers its
 * ephemeral /brokers/ids/<id>, the controller's watch on /brokers/ids
 * fires, and it gets UpdateMetadata; it holds no replicas until a topic
 * is created or a reassignment puts some on it (KafkaController.
 * onBrokerStartup). A world without brokers gets its Kafka half here.
 * rack may be NULL or "". Returns the node, or -1 with the reason in err
 * (an id taken or out of range, no room). */
int cluster_add_broker(cluster *c, int id, const char *rack, char *err, size_t cap);
/* The id an added broker gets when none is given: one above the highest
 * in use (101 in a world without brokers). */
int cluster_next_broker_id(cluster *c);

/* Makes a and b twins (either may be NULL to part them): from then on
 * every fault above and every clean stop on one applies to the node of
 * the same name in the other too, if it has one. Two worlds compared side
 * by side (lab.compare) stay alike this way, whoever acts: a script, a
 * key, the command line. */
void cluster_twin(cluster *a, cluster *b);

/* --- the clean stop of a broker: lab.stop, the dashboard's s and :stop
 * and the fuzzer all stop brokers through these. --- */

/* Called from the world once a stop is over: the broker exited by itself
 * (clean) or was killed when its stop outlived the bound (not clean). */
typedef void (*cluster_stop_fn)(void *ctx, cluster *c, int node, bool clean);

/* Asks broker `node` to stop cleanly (controlled shutdown); the process
 * ends by itself when its stop is done. If it is still running after
 * kafka_broker_stop_bound_us (a paused broker never gets there), it is
 * killed. done (may be NULL) hears the outcome. A restart of the node
 * abandons the stop without calling done. Returns false, with the reason
 * in err, when node is not a running broker or is already stopping. */
bool cluster_stop(cluster *c, int node, cluster_stop_fn done, void *ctx,
                  char *err, size_t errcap);
bool cluster_stopping(const cluster *c, int node);
/* How long a stop of node may take before it is killed. A KRaft
 * controller's stop (raft_quorum_stop) is one too: a leader resigns with
 * EndQuorumEpoch and exits once the next epoch began. */
uint64_t cluster_stop_bound_us(cluster *c, int node);
int cluster_stops(const cluster *c);    /* stops under way */

/* --- timers that decide what happens next (cluster_timers.c) --- */

typedef enum cluster_timer_kind {
    CT_SESSION_EXPIRE,          /* the leader expires a silent session */
    CT_LEADER_QUORUM,           /* a leader stops leading (syncLimit) */
    CT_LEADER_SILENT,           /* a follower gives up on its leader (syncLimit) */
    CT_ISR_LEAVE,               /* a follower leaves an ISR
                                 * (replica.lag.time.max.ms) */
    /* KRaft's controller quorum (raft_deadline): sid is the voter's
     * node.id (ctl<sid>) */
    CT_RAFT_FETCH,              /* a follower stands for election, no fetch
                                 * answered (quorum.fetch.timeout.ms);
                                 * subject: its leader's id */
    CT_RAFT_ELECTION,           /* a voter stands (again) for election
                                 * (quorum.election.timeout.ms); subject:
                                 * 1 when it is a candidate already */
    CT_RAFT_BACKOFF,            /* a candidate that lost stands again */
    CT_RAFT_CHECK,              /* a leader resigns: no fetch from a majority
                                 * (1.5 x quorum.fetch.timeout.ms) */
    CT_BROKER_FENCE,            /* the active controller (sid: ctl<sid>) fences
                                 * broker `subject` (broker.session.timeout.ms,
                                 * BrokerHeartbeatManager) */
    CT_FETCH_GIVE_UP,           /* broker `sid` gives up its fetch from leader
                                 * `subject`, unanswered (request.timeout.ms:
                                 * a request lost while it was cut off) */
} cluster_timer_kind;

typedef struct cluster_timer {
    cluster_timer_kind kind;
    int node;                   /* whose timer: a server, or the leading broker */
    int sid;                    /* the server's id (ZooKeeper kinds);
                                 * CT_FETCH_GIVE_UP: the follower's broker id */
    int subject;                /* session: its broker's id, -1 other client;
                                 * CT_LEADER_SILENT: the leader's sid;
                                 * CT_ISR_LEAVE: the follower's broker id */
    int64_t session;            /* CT_SESSION_EXPIRE */
    char topic[48];             /* CT_ISR_LEAVE: the soonest partition */
    int p;
    int count;                  /* CT_ISR_LEAVE: partitions it leaves then or later;
                                 * CT_FETCH_GIVE_UP: fetches it gives up */
    uint64_t since_us;          /* the silence began (last heard, last caught up) */
    uint64_t at_us;             /* the timer acts then unless it hears first */
} cluster_timer;

/* The deadlines now running because something went silent longer than
 * it does when healthy (a paused client, a cut follower, a stopped
 * fetcher), soonest first, at most cap (the soonest kept). A deadline
 * is exact: the node's timer acts at at_us if nothing is heard before.
 * Read-only. */
int cluster_timers(cluster *c, cluster_timer *out, int cap);

/* A stand-alone ZooKeeper client process named "c1", "c2", ... connected
 * to the servers sids[0..n-1] (1-based) in that order; its node index goes
 * to *node. Returns NULL when the world has no room for another client.
 * The world frees it. */
zk_client *cluster_zk_client(cluster *c, const int *sids, int n,
                             uint64_t timeout_ms, int *node);

#endif
