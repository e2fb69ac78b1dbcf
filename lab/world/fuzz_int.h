/* fuzz_int: what the fuzzer's files share: the drawn settings, the fault
 * schedule and the state of one run. Internal to fuzz*.c (and the fuzzer's unit test). */
#ifndef QL_FUZZ_INT_H
#define QL_FUZZ_INT_H

#include "fuzz.h"
#include "cluster.h"
#include "kafka_world.h"
#include "rng.h"

#define FZ_TOPICS_MAX 3
#define FZ_PRODUCERS_MAX 3
#define FZ_SESSIONS_MAX 4       /* ZooKeeper sessions alive at once */
#define FZ_CLIENTS_MAX 12       /* sessions over the run (replacements) */
#define FZ_FAULTS_MAX 24
#define FZ_WATCHED 3            /* shared znodes /fuzz/w0.. read with watches */
#define FZ_MOVES_MAX 2          /* partition reassignments in a run */

typedef struct fz_topic {
    char name[16];
    int parts, rf, min_isr;
    bool unclean;
} fz_topic;

typedef enum fz_kind {
    FZ_CRASH,                   /* a: node; b: restart after b ms (0: at heal) */
    FZ_STOP,                    /* a: broker node, clean stop; restart as crash */
    FZ_PAUSE,                   /* a: node, b: ms */
    FZ_ISOLATE,                 /* a: node */
    FZ_SPLIT,                   /* b: bit mask of the nodes on side 1 */
    FZ_CUT,                     /* a -> b cut one way */
    FZ_LINK,                    /* a -> b: drop ppm c, delay up to d ms */
    FZ_HEAL,                    /* every link back to default */
    FZ_CLIENT_KILL,             /* a: client slot; its session must expire */
    FZ_CLIENT_CLOSE,            /* a: client slot; closes its session */
    FZ_KIND_COUNT
} fz_kind;

typedef struct fz_fault {
    uint64_t at_ms;             /* from the start of the safety phase */
    fz_kind kind;
    int a, b;
    uint32_t c, d;
} fz_fault;

/* A partition reassignment (kafka-reassign-partitions) during the safety
 * phase: topic/partition to the brokers ids[] (indices of the brokers,
 * 0: 101), asked of the controller as the faults go on. */
typedef struct fz_move {
    uint64_t at_ms;             /* from the start of the safety phase */
    int topic, part, n;
    int ids[3];
} fz_move;

typedef struct fz_settings {
    int zookeepers, brokers;
    int controllers;            /* KRaft mode: the controller quorum, in
                                 * place of the ensemble (zookeepers 0) */
    uint32_t zk_session_ms;     /* the fuzzer's ZooKeeper clients */
    uint32_t broker_session_ms; /* zookeeper.session.timeout.ms */
    int ntopics;
    fz_topic topics[FZ_TOPICS_MAX];
    int nproducers;
    int acks[FZ_PRODUCERS_MAX]; /* -1, 1, or 0 (KRaft mode only) */
    int nsessions;              /* ZooKeeper sessions writing */
    uint64_t safety_ms;         /* length of the faulty phase */
    int nfaults;
    fz_fault faults[FZ_FAULTS_MAX];
    int nmoves;                 /* drawn from a stream of their own, so */
    fz_move moves[FZ_MOVES_MAX]; /* the other draws are as before */
    bool join;                  /* a broker joins the running world */
    uint64_t join_at_ms;        /* (lab.add_broker), from its own stream */
} fz_settings;

/* Draws every setting of a seed. Node numbers in faults are indices into
 * the fuzzed nodes: 0..zookeepers-1 the servers, then the brokers. */
void fz_draw(uint64_t seed, bool unsafe, fz_settings *st);
/* Whether the seed also runs a KRaft world with brokers (a share of the
 * seeds, from a stream of its own), and what that world draws: nodes
 * 0..controllers-1 the controllers, then the brokers; no ZooKeeper
 * sessions, no reassignments. */
bool fz_kraft_drawn(uint64_t seed);
void fz_draw_kraft(uint64_t seed, bool unsafe, fz_settings *st);
/* Appends the settings as readable lines to out. */
void fz_describe(const fz_settings *st, char *out, size_t cap);

/* One ZooKeeper session of the workload. Each client runs one call at a
 * time, so a reply and the watch events before it are easy to order. */
typedef struct fz_client {
    zk_client *zc;
    int node;
    bool busy;
    bool gone;                  /* killed, closed or expired: not used */
    bool setup;                 /* it creates /fuzz and the watched znodes */
    struct fz_run *run;
    int op;                     /* the call in flight */
    int target;                 /* watched znode of a get */
    /* watch-before-data: a get with a watch arms it at the mzxid it saw;
     * a later get that sees a newer mzxid (or no node) must come after
     * the watch event. */
    bool armed[FZ_WATCHED];
    bool fired[FZ_WATCHED];
    int64_t mzxid[FZ_WATCHED];
} fz_client;

typedef struct fz_session {
    int64_t id;
    int host;                   /* node whose process holds it */
    uint64_t incarnation;       /* of the host when it began */
    bool closed;
} fz_session;

typedef struct fz_run {
    uint64_t seed;
    bool unsafe;
    bool kraft;                 /* a KRaft world: controllers, no ensemble */
    fz_settings st;
    rng wr;                     /* the workload's choices */
    cluster *c;
    sim *s;
    kafka_world *kw;
    int nodes[32];              /* fuzzed node indices: servers, brokers */
    int nnodes;
    int joined;                 /* the node that joined, -1 before (or none) */
    uint32_t stop_restart_ms[32]; /* restart after a clean stop; 0: never */
    bool working;               /* the workload runs (safety phase) */
    bool healed;                /* the liveness phase began */
    bool topics_ready;          /* topics made: producers may start */
    bool ready;                 /* the watched znodes exist */
    fz_client cl[FZ_CLIENTS_MAX];
    int ncl;
    kafka_client *pr[FZ_PRODUCERS_MAX];
    char **ledger;              /* acknowledged persistent znodes */
    int nledger, capledger;
    fz_session *sess;
    int nsess, capsess;
    char violation[256];        /* first TR_VIOLATION text */
    int silent;                 /* KRaft: the controller made silent after
                                   the audits (fz_kraft_silent_controller) */
    fuzz_result *res;
} fz_run;

/* fuzz.c: what both modes' runs share. */
typedef bool (*fz_cond_fn)(fz_run *r, char *why, size_t cap);
/* Polls cond every 250 simulated ms until it holds (true) or bound_ms
 * passes or the run fails (false); its last reason goes to why. */
bool fz_wait_for(fz_run *r, uint64_t bound_ms, fz_cond_fn cond, char *why, size_t cap);
/* Every partition led by a serving leader whose HW is at its log end,
 * every replica caught up with it. */
bool fz_partitions_live(fz_run *r, char *why, size_t cap);

/* fuzz_kbrokers.c: the KRaft world's own conditions and audit. */
bool fz_kraft_booted(fz_run *r, char *why, size_t cap);
bool fz_kraft_live(fz_run *r, char *why, size_t cap);
/* Looks at the running brokers' applied metadata every few seconds of
 * the safety phase (meta_check against a voter's committed log). */
void fz_kraft_watch_metadata(fz_run *r);
/* Every broker's applied metadata against the committed log (meta_check). */
void fz_kraft_audit_metadata(fz_run *r);
/* After the audits: the active controller isolated or paused; the brokers
 * must find the new one, then the healed world be live again. */
void fz_kraft_silent_controller(fz_run *r);

/* fuzz_work.c: the workload and the client-side checks. */
void fz_work_start(fz_run *r);      /* sessions and producers */
void fz_work_tick(fz_run *r);       /* issues the next calls */
void fz_work_free(fz_run *r);
fz_client *fz_client_add(fz_run *r);
/* Kills (kill) or closes the slot-th live session. */
void fz_client_fault(fz_run *r, int slot, bool kill);
/* Fails the run with a message (the first one wins). */
void fz_fail(fz_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* fuzz_kraft.c: a seed's choice of lesson-sized snapshot settings (one
 * in three), for both KRaft runs of the seed. */
void fuzz_kraft_small_snapshots(raft_config *rc, uint64_t seed);

#endif
