/* lua_int: what the Lua controller's files (lua_*.c) share and nothing
 * else includes: the controller's state, the world it drives, and the run
 * loop every blocking call goes through. */
#ifndef QL_LUA_INT_H
#define QL_LUA_INT_H

#include <lua.h>
#include <lauxlib.h>
#include "lua_lab.h"
#include "lua_args.h"
#include "rng.h"

#define LAB_MEM_DEFAULT   ((size_t)256 << 20)
#define LAB_WORLD_MEM_DEFAULT ((size_t)2048 << 20) /* the process heap's budget */
#define LAB_WORLD_MEM_EVERY 64          /* run-loop steps between looks at it, */
#define LAB_WORLD_MEM_SIM_US 25000      /* when this much simulated time passed */
#define LAB_WORLD_MEM_CALLS 16          /* lab_advance calls between looks, at most */
#define LAB_HOOK_COUNT    1000000       /* instructions between hook calls */
#define LAB_HOOK_IDLE_MAX 100           /* hook calls without time passing */
#define LAB_SIM_MAX_MS    (7ull * 24 * 3600 * 1000) /* a week, per world */

typedef struct lab_pending {
    int ref;                    /* the Lua function (registry) */
    zevent ev;                  /* what happened */
    char *path;                 /* where */
} lab_pending;

typedef enum lab_watch_kind { LAB_WATCH_DATA, LAB_WATCH_CHILD } lab_watch_kind;

typedef struct lab_watch {
    char *path;                 /* the watched znode */
    lab_watch_kind kind;        /* data or child watch */
    int ref;                    /* the Lua function (registry) */
} lab_watch;

typedef struct lab_sess {
    lab_lua *ctx;               /* the controller */
    zk_client *zc;              /* its client (the world frees it) */
    int node;                   /* its client process */
    lab_watch *w;               /* one-shot watches not fired yet */
    int nw, capw;
} lab_sess;

/* An asynchronous call the script waits for; the world owns it until it
 * completes and its results are read, so a late completion never writes
 * into freed memory. */
typedef struct lab_call {
    struct lab_call *next, *prev;
    bool done;
    zerr err;
    char *path;                 /* create: the created path */
    char *data;                 /* get */
    size_t len;
    zstat stat;
    char **children;            /* children: sorted names */
    int nchildren;
    zop_result *results;        /* multi: one per op */
    int nresults;
} lab_call;

struct lab_lua {
    lab_opts o;                 /* as given */
    const char *lang;           /* "en" or "ko" */
    lua_State *L;               /* the script's state */
    cluster *world;             /* NULL before lab.cluster */
    cluster *twin;              /* lab.compare's other world, else NULL;
                                 * runs in step with world, takes its faults */
    bool swapped;               /* inside lab.on("right"): world and twin
                                 * trade places while its function runs */
    char labels[2][64];         /* lab.compare's names of the two worlds */
    uint64_t gen;               /* bumped per world: stale handles notice */
    uint64_t seed;              /* the current world's seed */
    lab_sess **sess;            /* world-owned session records */
    int nsess, capsess;
    lab_call *calls;            /* world-owned calls in flight */
    lab_pending *pend;          /* watch callbacks waiting to run */
    size_t npend, cappend;
    int passed, failed;         /* lab.check tallies (+ violations) */
    bool violated;              /* an invariant checker fired */
    rng rnd;                    /* math.random */
    uint64_t hook_us;           /* sim time at the last hook call */
    uint64_t hook_gen;          /* world at the last hook call */
    int hook_idle;              /* hook calls without time passing */
    size_t mem, mem_max;        /* Lua heap use and limit */
    bool mem_over;              /* past the limit: the hook raises the error */
    size_t world_mem_max;       /* the current world's heap budget (bytes) */
    unsigned world_mem_steps;   /* run-loop steps since the last look */
    unsigned world_mem_calls;   /* lab_advance calls since the last look */
    uint64_t world_mem_at_us;   /* simulated time of the last look */
    bool own_emit;              /* emitting our own note: not forwarded */
    uint64_t faults;            /* faults traced in the first world so far
                                 * (TR_FAULT: the learner's keys and commands
                                 * among them) */
    lab_driver_fn driver;       /* paces lab_advance for the dashboard, or NULL */
    void *driver_u;
    bool driving;               /* inside the driver: no re-entry */
};

/* The controller behind any state or thread (it is the allocator's ud). */
lab_lua *lab_ctx(lua_State *L);
/* The current world, or a Lua error telling to call lab.cluster first. */
cluster *lab_world(lua_State *L);
/* lua_kmeta.c: lab.metadata_log, lab.metadata_image */
int lab_l_metadata_log(lua_State *L);
int lab_l_metadata_image(lua_State *L);
/* The node named by argument arg ("zk1" or 101); a Lua error if unknown. */
int lab_check_node(lua_State *L, int arg);
/* The same for the value at stack index idx, blaming argument arg. */
int lab_node_value(lua_State *L, int idx, int arg);

/* The command line's heap budget (bytes): lab.cluster{ memory_mb } may
 * lower it for its world, never raise it. */
size_t lab_world_mem_cap(const lab_lua *ctx);
/* Raises "the world grew past its memory budget" when the process heap
 * holds more than the current budget. Looking costs three system calls, so
 * it looks at most every LAB_WORLD_MEM_SIM_US of simulated time: in the
 * run loop (call false) after LAB_WORLD_MEM_EVERY steps, at a lab_advance
 * call (call true) at once, or after LAB_WORLD_MEM_CALLS calls however
 * little time passed (a script that grows the world call by call). */
void lab_check_world_mem(lua_State *L, bool call);

/* Builds a world from cfg and makes it current, freeing the previous one.
 * Returns NULL, or err holding why the config was refused (the old world
 * then stays). */
const char *lab_world_replace(lab_lua *ctx, const cluster_config *cfg,
                              char *err, size_t cap);
/* Adds the second world of a comparison (lab.compare), after
 * lab_world_replace built the first: it runs in step with it and takes
 * its faults (cluster_twin). Returns NULL, or err with why not (the first
 * world then stays alone). */
const char *lab_world_twin(lab_lua *ctx, const cluster_config *cfg, char *err, size_t cap);
/* Emits a TR_NOTE or TR_CHECK of the script into the world's trace (for
 * --trace and the dashboard's log) without echoing it back to lab_out. */
void lab_emit_own(lab_lua *ctx, trace_kind kind, uint64_t a, const char *text);

/* Runs the world up to until_us (a Lua error past the run's time limit),
 * delivering watch callbacks between events. When stop is given it is
 * asked after every instant with events, and at the instant of a fault the
 * dashboard's learner injected, and the run ends early when it says true;
 * returns whether it did. Raises the violation error when an
 * invariant checker halted the world. */
typedef bool (*lab_stop_fn)(lua_State *L, void *u);
bool lab_advance(lua_State *L, uint64_t until_us, lab_stop_fn stop, void *u);

/* Session records and calls (lua_zk.c), freed with the world. */
void lab_sess_free(lab_lua *ctx, lab_sess *s);
void lab_call_free(lab_lua *ctx, lab_call *c);

/* lua_kafka.c: the Kafka functions, and lab.cluster's Kafka fields: its
 * broker settings (server.properties names) for lab.cluster's config. */
void lab_kafka_open(lua_State *L);
void lab_msgs_open(lua_State *L);    /* lua_msgs.c: lab.messages */
void lab_addbroker_open(lua_State *L);  /* lua_addbroker.c: lab.add_broker */
void lab_kraft_open(lua_State *L);      /* lua_kraft.c: lab.quorum */
void lab_plot_open(lua_State *L);       /* lua_plot.c: lab.failover_plot */
extern const lab_key lab_kafka_broker_keys[];
void lab_kafka_cluster_opts(lua_State *L, int idx, cluster_config *cfg);

/* The text at arg: a string (or number), or { en = ..., ko = ... } read
 * in the run's language (falling back to the other); def when absent (if
 * not NULL). The string stays on the stack. */
const char *lab_localized(lua_State *L, int arg, const char *def);
/* Records a check's outcome as lab.check does (tally, hooks, trace). */
void lab_record_check(lab_lua *ctx, bool ok, const char *msg);

/* lua_teach.c: settles the step's predictions (their truth() read now,
 * beside the answers): called when a step ends (lab.say), before
 * lab.cluster replaces the world and when the script ends. */
void lab_settle_predictions(lua_State *L);

/* lua_world.c: opens the `lab` module table with every module's
 * functions; leaves it on the stack. */
int lab_open(lua_State *L);

/* lua_sandbox.c: a new state whose allocator counts against the limit,
 * with the libraries the trust level allows, the runaway hook, a seeded
 * math.random, and require("lab"). */
lua_State *lab_state_new(lab_lua *ctx);
/* The message handler every protected call uses (adds a traceback). */
int lab_msgh(lua_State *L);

/* A value as one short line: scalars as tostring does, tables their
 * fields (nested tables by size). Call it protected: __tostring may raise. */
void lab_value_text(lua_State *L, int i, char *out, size_t cap);

/* The report tables' fields (lab.ensemble, lab.quorum, ...): t[k] = v on
 * the table at the top of the stack. */
static inline void set_str(lua_State *L, const char *k, const char *v)
{
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static inline void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

static inline void set_bool(lua_State *L, const char *k, bool v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, k);
}

#endif
