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
    uint32_t zk_session_ms;     /* the fuzzer's ZooKeeper clients */
    uint32_t broker_session_ms; /* zookeeper.session.timeout.ms */
    int ntopics;
    fz_topic topics[FZ_TOPICS_MAX];
    int nproducers;
    int acks[FZ_PRODUCERS_MAX]; /* 1 or -1 */
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
    fuzz_result *res;
} fz_run;

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

#endif
