/* snap: everything one frame shows, copied out of the world. The layout
 * reads only this, so tests build a snapshot by hand and check what the
 * screen would say; viz_snap_take fills one from a live cluster through
 * its read-only calls (cluster_ensemble, a walk of a server's tree). */
#ifndef QL_VIZ_SNAP_H
#define QL_VIZ_SNAP_H

#include <stdbool.h>
#include <stdint.h>
#include "cluster.h"
#include "events.h"
#include "view.h"

#define VIZ_NODES_MAX 160       /* selectable nodes: servers, then brokers */
#define VIZ_MLOG_MAX 32         /* KRaft: metadata log records shown */
#define VIZ_TREE_MAX 4096       /* visible tree rows copied at most */
#define VIZ_CHECKS_MAX 6        /* check lights of one lesson step */
#define VIZ_TIMERS_MAX 8        /* countdowns of world timers copied at most */

typedef struct viz_node {
    int node;                   /* sim node index */
    char name[16];              /* "zk1", "101" */
    node_kind kind;             /* NODE_ZK or NODE_BROKER */
    node_status status;         /* up, down, paused */
    bool isolated;              /* reaches no other node of its kind */
} viz_node;

/* One record of the KRaft metadata log, as its panel shows it. */
typedef struct viz_mlog_row {
    int64_t offset;
    int32_t epoch;
    bool control;               /* a LeaderChangeMessage */
    uint32_t len;
    char rec[96];               /* the record in Kafka's words, "" unknown */
    char brief[256];            /* its key fields (mlog.h), for narrow rows */
} viz_mlog_row;

typedef struct viz_tree_row {
    char path[ZPATH_MAX];       /* full path */
    int depth;                  /* 0 for "/" */
    int nchildren;              /* children it has (shown or not) */
    bool open;                  /* children shown */
    int64_t eph_owner;          /* session of an ephemeral znode, else 0 */
    char data[64];              /* start of the data, printable */
    bool data_cut;              /* the data goes on past that start */
} viz_tree_row;

/* The znode the learner opened: its whole value and its stat, read from
 * the same server as the tree. */
typedef struct viz_znode {
    char path[ZPATH_MAX];       /* "" when none is open */
    bool found;                 /* false once the znode is gone */
    zstat st;                   /* as ZooKeeper's Stat has it */
    uint8_t *data;              /* owned, the whole value */
    size_t len;
} viz_znode;

#define VIZ_BROKERS_MAX 128     /* broker columns at most */
#define VIZ_RF_MAX 8            /* replicas per partition shown */

/* One broker as its column head shows it. */
typedef struct viz_broker {
    int id;                     /* 101, 102, ... */
    int node;                   /* sim node index */
    node_status status;         /* up, down, paused */
    bool isolated;              /* reaches no server or broker */
    char side;                  /* 'A', 'B', ... during a split, else 0 */
    bool controller;            /* the active controller */
    int leaders, replicas;      /* partitions it leads, replicas it holds */
} viz_broker;

/* What a broker is for one partition: a grid cell. */
typedef enum viz_replica {
    VZ_NONE,                    /* holds no replica */
    VZ_LEADER,                  /* the partition's leader */
    VZ_INSYNC,                  /* follower in the ISR */
    VZ_OUTOFSYNC,               /* assigned replica outside the ISR */
} viz_replica;

#define VIZ_TOPICS_MAX 64       /* topics the grid lists */
#define VIZ_CLIENTS_MAX 8       /* clients the clients panel lists */
#define VIZ_BELIEF_MAX 8        /* partitions per client: believed vs actual */

/* A topic and where its partitions start among the grid's rows. */
typedef struct viz_topic {
    char name[48];
    int nparts;
    int first_row;              /* its partition 0's row */
    bool deleting;              /* marked for deletion (/admin/delete_topics) */
} viz_topic;

/* A producer or consumer as the clients panel shows it. */
typedef struct viz_client {
    char name[16];              /* "p1" */
    node_status status;
    bool busy;                  /* an operation runs */
    long acked, failed;         /* records of finished sends */
    long read;                  /* records fetched (a consumer) */
    bool consumer;              /* fetches and sends nothing: "read N" */
    long lost;                  /* acknowledged, then gone from the
                                   leader's log (lab.audit's count) */
    uint32_t delivery_timeout_ms;   /* delivery.timeout.ms */
    int partition;              /* a partition its sends ask for, -1 none */
    bool keyed;                 /* its records have keys (murmur2) */
    int last_err;               /* kerr of the last broker error, 0 none */
    bool producer;              /* sends: its acks decide what "ok" means */
    int acks;                   /* 0, 1, -1 (all) */
    char boot[64];              /* bootstrap list, "101,102" */
    char talks[16];             /* broker it last sent to, "-" */
    char topic[48];             /* topic of its last operation */
    int believed[VIZ_BELIEF_MAX];   /* leader it believes per partition, -1 */
    int actual[VIZ_BELIEF_MAX];     /* the leader ZooKeeper says, -1 */
    int nbelief;
    char real[96];              /* a real client (--listen): its address and
                                 * what it did last; "" for the lab's own */
} viz_client;

/* One topic-partition as the controller's state in ZooKeeper has it. */
typedef struct viz_partition {
    char topic[48];
    int p;                      /* partition number */
    int leader;                 /* broker id, -1 when offline */
    int32_t leader_epoch;
    int64_t hw;                 /* the leader's high watermark, -1 unknown */
    int replicas[VIZ_RF_MAX], nreplicas;   /* assignment, preferred first */
    int isr[VIZ_RF_MAX], nisr;
    bool deleting;              /* its topic is marked for deletion */
} viz_partition;

typedef struct viz_snap {
    /* header */
    const char *mode;           /* "sandbox", "lesson" */
    char title[96];             /* lesson title, may be empty */
    uint64_t now_us;            /* simulated time */
    uint64_t seed;
    double speed;               /* simulated seconds per wall second */
    bool running;               /* false while paused by the learner */
    double pace;                /* the pace now, when pace_why says why */
    const char *pace_why;       /* the dashboard's own slow motion or fast
                                   wait ("election"), NULL: none */
    bool pace_slow;             /* slow motion, else fast */
    bool pace_off;              /* the learner turned that off (z) */
    /* ensemble */
    ensemble_info ens;
    bool zk_isolated[CLUSTER_ZK_MAX];   /* reaches no other server */
    bool zk_cut[CLUSTER_ZK_MAX];        /* some links to servers cut (a split) */
    char zk_side[CLUSTER_ZK_MAX];       /* 'A', 'B', ... during a split of
                                           servers and brokers, else 0 */
    bool zk_leader_cut;         /* the leader reaches fewer servers than a
                                   quorum (itself counted): nothing commits */
    /* KRaft mode: the controller quorum stands where the ensemble does,
     * the metadata log's latest records where the znode tree does */
    bool kraft;
    raft_quorum_info quorum;
    int nmlog;                  /* of mlog[], oldest first */
    int mlog_src;               /* the voter whose log they are */
    viz_mlog_row mlog[VIZ_MLOG_MAX];
    /* selectable nodes, ensemble (or controllers) first */
    viz_node nodes[VIZ_NODES_MAX];
    int nnodes;
    /* znode tree of one server, only the rows its folds leave visible */
    int tree_sid;               /* whose tree, 0 for none up */
    viz_tree_row *tree;         /* owned, grown as needed */
    int ntree, tree_cap;
    bool tree_cut;              /* more rows than VIZ_TREE_MAX */
    viz_znode znode;            /* the opened znode (v->znode) */
    /* brokers and the placement grid (empty before the brokers exist);
     * parts holds the visible rows only, from row parts_first of
     * parts_total */
    viz_broker brokers[VIZ_BROKERS_MAX];
    int nbrokers;
    viz_partition *parts;       /* owned */
    int nparts, parts_cap;
    int parts_first, parts_total;
    viz_topic topics[VIZ_TOPICS_MAX];
    int ntopics;
    int controller;             /* the active controller's id, -1 none */
    int controller_znode;       /* the id /controller names, -1 none */
    viz_client clients[VIZ_CLIENTS_MAX];
    int nclients;
    /* the world's timers that decide what happens next, soonest first
     * (cluster_timers): the countdowns */
    cluster_timer timers[VIZ_TIMERS_MAX];
    int ntimers;
    /* the audit's lost records per producer node, counted again once a
     * simulated second (the ledger holds every acknowledged record) */
    const void *lost_world;     /* the world counted, NULL none */
    uint64_t lost_sec;          /* the simulated second counted */
    long *lost_by_node;         /* owned, lost_nodes long */
    int lost_nodes;
    int tl_leader[16];          /* leaders of the first rows (timeline) */
    int ntl;
    /* throughput, errors and leader history, borrowed (may be NULL) */
    const struct viz_hist *hist;
    /* event log, borrowed (may be NULL) */
    const viz_events *events;
    const struct viz_msgs *msgs;    /* the message view's model, or NULL */
    /* lesson panel: empty outside lessons; lesson .. failed stay one block
     * (compare.c copies it to show the right world under it) */
    char lesson[1024];          /* the current step's text */
    int step;                   /* its number, from 1; 0: none yet */
    bool step_wait;             /* the lesson waits for n */
    bool lesson_done;           /* the script has ended */
    bool lesson_error;          /* ... stopped by an error (not a success) */
    char checks[VIZ_CHECKS_MAX][1024];  /* this step's checks, newest last (an
                                           answer's outcome carries its why) */
    bool check_ok[VIZ_CHECKS_MAX];
    bool check_note[VIZ_CHECKS_MAX];    /* a light that is no verdict (dim) */
    int nchecks;
    /* the learner's turn (lab.task, lab.predict, lab.ask) */
    char task[512];             /* the task waiting to be done, "" none */
    char hint[512];             /* its hint, once shown */
    char task_why[512];         /* why what the learner did does not count, "" */
    bool asking;                /* a question waits for keys 1-9 or a number */
    bool pred_pending;          /* a prediction's result comes at the step's end */
    char ask[512];              /* the question */
    char ask_choices[512];      /* "1 zk1\n2 zk2", one a line, or "" for a number */
    char ask_unit[16];          /* the number's unit */
    char typed[16];             /* the number typed so far */
    int nchoices;
    char countdown[600];        /* "session expires in 4.2 s", "" none */
    /* progress: steps (of the script's lab.say calls), tasks, predictions */
    int steps_total, tasks_done, tasks_total, pred_right, pred_total;
    int passed, failed;         /* the lesson's tallies so far */
    const char *lang;           /* "en" or "ko": the dashboard's words */
} viz_snap;

void viz_snap_init(viz_snap *s);
void viz_snap_free(viz_snap *s);        /* frees the tree rows */
/* Fills s from the world c, all but the grid's partition rows (see
 * viz_snap_grid); tree folds come from v. Header fields other than time
 * and seed are the caller's. */
void viz_snap_take(viz_snap *s, cluster *c, const viz_view *v);
/* The Kafka half (snap_kafka.c), taken by viz_snap_take: brokers (also
 * added to nodes), topics, the clients and the timeline's first rows. */
void viz_snap_kafka(viz_snap *s, cluster *c);
/* The grid's partition rows first .. first+nrows-1 (first clamped so the
 * rows stay within the partitions), after viz_snap_take: the caller says
 * how many rows the screen shows (viz_layout_grid_rows of this snapshot),
 * so a 10,000-partition topic costs the visible rows only. */
void viz_snap_grid(viz_snap *s, cluster *c, int first, int nrows);
/* Adds a tree row (for viz_snap_take and for tests). */
viz_tree_row *viz_snap_tree_add(viz_snap *s, const char *path, int depth);
/* Adds a partition row (for viz_snap_take and for tests). */
viz_partition *viz_snap_part_add(viz_snap *s, const char *topic, int p);
/* The topic (index in s->topics) whose partitions hold grid row `row`,
 * -1 none. */
int viz_snap_row_topic(const viz_snap *s, int row);
/* A broker's role for a partition, and whether the partition is offline
 * (no leader) or under-replicated (ISR smaller than the assignment). */
viz_replica viz_replica_of(const viz_partition *p, int broker_id);
bool viz_part_offline(const viz_partition *p);
bool viz_part_under(const viz_partition *p);

#endif
