/* lua_lab: the Lua controller. It owns a sandboxed Lua state with the `lab`
 * module (global, and by require("lab")), runs scenario scripts against one
 * simulated world at a time, and reports narration, checks and notable
 * events through output hooks, so the headless runner and the dashboard
 * share everything but how lines are shown. */
#ifndef QL_LUA_LAB_H
#define QL_LUA_LAB_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "trace.h"
#include "cluster.h"

typedef struct lua_State lua_State;

#define LAB_CHOICES_MAX 9        /* a question's choices: keys 1-9 */

/* A question put to the learner by lab.predict or lab.ask. */
typedef struct lab_question {
    bool predict;               /* lab.predict (else lab.ask) */
    const char *text;           /* in the run's language */
    const char *choices[LAB_CHOICES_MAX];   /* numbered from 1 */
    int nchoices;               /* 0: the answer is a number */
    const char *unit;           /* that number's unit ("s"), or "" */
} lab_question;

/* What a learner's answer came to (lab_out.answer). */
typedef enum lab_reply {
    LAB_REPLY_STOP = -1,        /* the learner left: stop the script */
    LAB_REPLY_SCRIPT = 0,       /* nobody to ask: the script answers */
    LAB_REPLY_GIVEN = 1,        /* the learner answered (*out) */
    LAB_REPLY_SKIPPED = 2,      /* the learner passed (n) */
} lab_reply;

/* The message layers lab.messages{ layer = ... } names. */
#define LAB_LAYER_ZAB       1u  /* ensemble: sync and broadcast */
#define LAB_LAYER_ELECTION  2u  /* ensemble: election notifications */
#define LAB_LAYER_SESSION   4u  /* ZooKeeper clients and servers */
#define LAB_LAYER_KAFKA     8u  /* brokers, controller, Kafka clients */
#define LAB_LAYER_KRAFT    16u  /* KRaft: Vote, BeginQuorumEpoch, EndQuorumEpoch, Fetch */
#define LAB_MSGS_NODES_MAX  16

/* What lab.messages{} asks of a live view, checked already. */
typedef struct lab_msgs_req {
    int show;                   /* 1 open, 0 close, -1 as it is */
    bool full;                  /* open full-screen, not as a panel */
    unsigned layers;            /* LAB_LAYER_ bits; 0: as they are */
    int pings;                  /* 1 shown, 0 hidden, -1 as it is */
    bool set_nodes;             /* nodes given: only their messages */
    int nodes[LAB_MSGS_NODES_MAX];  /* node indexes; none: every node */
    int nnodes;
} lab_msgs_req;

/* Where the controller's words go. Every hook is optional; the headless
 * runner sets the first four, the dashboard all of them. Without the
 * learner's hooks (task, answer...) the lesson helpers act as they do
 * headless: the script solves its tasks and answers its questions. */
typedef struct lab_out {
    void (*say)(void *u, const char *text);             /* narration */
    void (*check)(void *u, bool ok, const char *msg);   /* lab.check */
    /* every trace event of the current world, as it happens */
    void (*event)(void *u, const trace *t, const trace_event *ev);
    /* the kinds event is given (TRACE_KIND bits); 0: every kind */
    uint32_t event_kinds;
    /* a line that starts no step: a task, a question, what came of it */
    void (*note)(void *u, const char *text);
    /* lab.cluster is about to replace a world that exists */
    void (*new_world)(void *u);
    /* lab.task: the learner's turn begins. Returns false when nobody can
     * act (the script then solves it); the world runs until done() holds
     * and solve_now() is asked on the way: true once the learner asked
     * the lesson to do it. task_end(by_learner) closes the turn. */
    bool (*task)(void *u, const char *text, const char *hint, int hint_after_s);
    bool (*solve_now)(void *u);
    /* done() answered no with a reason (what the learner did does not
     * count, and why): shown with the task; NULL takes it back */
    void (*task_why)(void *u, const char *why);
    void (*task_end)(void *u, bool by_learner);
    /* lab.predict and lab.ask: waits for the learner's answer */
    lab_reply (*answer)(void *u, const lab_question *q, double *out);
    /* what came of an answer: right (1), wrong (0) or not answered (-1) */
    void (*outcome)(void *u, const lab_question *q, int right, const char *line);
    /* lab.slow: the screen's pace divided by factor until simulated time
     * until_us (no effect headless) */
    void (*slow)(void *u, double factor, uint64_t until_us);
    /* lab.countdown: text (with one %s for the time left) counts down to
     * simulated time at_us, shown until the step ends */
    void (*countdown)(void *u, const char *text, uint64_t at_us);
    /* lab.messages{}: open, close or filter the message view */
    void (*messages)(void *u, const lab_msgs_req *req);
    void *u;                                            /* their context */
} lab_out;

/* Real clients over loopback (app/listen.c owns the sockets; lab/ never
 * touches one). Every hook is optional: without them lab.listen is an
 * error and nothing else changes. */
typedef struct lab_live {
    /* lab.listen{ zk_port, kafka_port, addr }: answers real clients for
     * world w from now on. False with a reason in err. */
    bool (*listen)(void *u, cluster *w, const char *addr, int zk_port,
                   int kafka_port, char *err, size_t cap);
    /* Headless: called before each stretch of simulated time up to
     * until_us (the next event or the script's instant); while listening
     * it keeps the world on the wall clock and moves the real clients'
     * bytes, moving the clock (no event) to the instant they came in.
     * Returns 0 to run to until_us, 1 when it fed something (the run loop
     * then looks again before running), -1 with err to stop the script. */
    int (*pace)(void *u, cluster *w, uint64_t until_us, char *err, size_t cap);
    /* World w is about to be freed: its real clients are cut off. */
    void (*drop)(void *u, cluster *w);
    void *u;
} lab_live;

typedef struct lab_opts {
    uint64_t seed;              /* used when seed_set */
    bool seed_set;              /* --seed: overrides lab.cluster{seed} */
    const char *lang;           /* "en" or "ko"; NULL: from the locale */
    bool trust;                 /* open the full standard libraries */
    FILE *trace_jsonl;          /* --trace: every world's events, or NULL */
    size_t mem_limit;           /* bytes for the Lua heap; 0: 256 MB */
    size_t world_mem_max;       /* bytes the whole heap may reach; 0: 2 GB */
    lab_out out;
    lab_live live;              /* real clients (--listen), or all NULL */
} lab_opts;

/* Outcome of running a script. */
typedef enum lab_status {
    LAB_OK,                     /* ran to the end, no failed check */
    LAB_FAILED,                 /* a check failed or an invariant broke */
    LAB_ERROR,                  /* the script raised an error */
} lab_status;

typedef struct lab_lua lab_lua;

/* A fresh controller: Lua state, sandbox, no world yet. Never NULL. */
lab_lua *lab_lua_new(const lab_opts *o);
void lab_lua_free(lab_lua *l);          /* NULL is a no-op; frees the world */
/* As lab_lua_free, for a process about to exit: the world's memory is
 * left to the exit unless QUORUMLAB_FREE_AT_EXIT is set (leak checks) */
void lab_lua_exit(lab_lua *l);

/* Loads (as text only) and runs a script. On LAB_ERROR, err gets
 * "file:line: message" and trace (may be NULL) the Lua traceback. */
lab_status lab_lua_run_file(lab_lua *l, const char *path, char *err,
                            size_t errcap, char *tb, size_t tbcap);
/* Runs a chunk of source (the dashboard's :lua command). Same results. */
lab_status lab_lua_run_string(lab_lua *l, const char *src, const char *name,
                              char *err, size_t errcap, char *tb, size_t tbcap);
/* The dashboard's :lua: src is tried as an expression first (as the lua
 * prompt does), then as a statement; out gets its values on one line
 * ("2", "{acked=10, lost=0, ...}"), empty for a statement. Same results. */
lab_status lab_lua_eval(lab_lua *l, const char *src, const char *name,
                        char *out, size_t outcap, char *err, size_t errcap);

int lab_lua_passed(const lab_lua *l);
int lab_lua_failed(const lab_lua *l);   /* checks + invariant violations */
bool lab_lua_violated(const lab_lua *l);
cluster *lab_lua_world(lab_lua *l);     /* NULL before lab.cluster */
/* lab.compare's second world (shown on the right), NULL when the script
 * compares none; and each world's name (side 0 left, 1 right; "" none). */
cluster *lab_lua_twin(lab_lua *l);
const char *lab_lua_label(const lab_lua *l, int side);
uint64_t lab_lua_seed(const lab_lua *l);/* seed of the current world */
const char *lab_lua_lang(const lab_lua *l);

/* A driver paces the run loop for a live view (the dashboard). When one
 * is set, every blocking call calls it before each stretch of simulated
 * time, with the instant the world is about to run to; it may wait, draw
 * and act on the world through the fault API, then returns true to go on,
 * or false to stop the script (a Lua error, "stopped by the dashboard").
 * It is not called again while it runs. NULL (the default) runs at full
 * speed, as headless runs do. */
typedef bool (*lab_driver_fn)(void *u, uint64_t until_us);
void lab_lua_set_driver(lab_lua *l, lab_driver_fn fn, void *u);

/* The lang a bare run picks: "ko" when LC_ALL, LC_MESSAGES or LANG (the
 * first one set) starts with "ko", else "en". */
const char *lab_default_lang(void);

/* The headless runner (lua_runner.c): runs one script, printing narration,
 * check results and notable events with their simulated time to stdout,
 * errors to stderr, and "N passed, N failed" as the last line. Returns the
 * exit status: 0 all passed, 1 a check failed or an invariant broke, 2 the
 * script raised an error (or could not be read). */
typedef struct lab_run_args {
    const char *script;         /* the scenario file */
    const char *argv0;          /* for the replay command */
    uint64_t seed;              /* with seed_set: --seed */
    bool seed_set;
    const char *trace_path;     /* --trace FILE, or NULL */
    const char *lang;           /* --lang, or NULL for the locale's */
    bool trust;                 /* --trust */
    size_t world_mem_max;       /* --mem-max: the heap budget; 0: 2 GB */
    lab_live live;              /* --listen: real clients' hooks */
} lab_run_args;
int lab_headless(const lab_run_args *a);

/* Extension point: each module adds its functions to the `lab` table,
 * which is on top of the stack when it is called. lua_lab.c keeps the list
 * (the ensemble sessions now; brokers, producers and consumers later). */
typedef void (*lab_module_fn)(lua_State *L);
void lab_zk_open(lua_State *L);
void lab_teach_open(lua_State *L);     /* lab.task, lab.predict, lab.ask */

#endif
