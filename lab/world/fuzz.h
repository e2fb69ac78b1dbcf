/* fuzz: the seed-driven simulation fuzzer. Each seed draws a world (an
 * ensemble of 1 to 7 servers, 1 to 9 brokers, topics and their settings),
 * a workload (ZooKeeper sessions writing sequential and ephemeral znodes
 * and reading watched ones; producers) and a fault schedule, runs a safety
 * phase with the faults, heals everything and runs a liveness phase.
 * Every run is checked: the ensemble and broker invariant checkers (trace
 * listeners), and the fuzzer's own checks: watch events before data,
 * ephemeral znodes of dead sessions removed, no acknowledged znode lost,
 * no acknowledged record lost under safe settings (the ledger audit), and
 * liveness within FUZZ_LIVE_BOUND_S simulated seconds of healing. Each
 * seed then runs a KRaft controller quorum the same way (fuzz_kraft.c),
 * and a share of the seeds a KRaft world with brokers (fuzz_kbrokers.c). */
#ifndef QL_FUZZ_H
#define QL_FUZZ_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>

/* After healing, within this many simulated seconds: the ensemble has a
 * leader that serves a write, every partition has a leader and its
 * replicas converge, and no ephemeral znode of a dead session is left. */
#define FUZZ_LIVE_BOUND_S 120

typedef struct fuzz_result {
    bool failed;
    char why[512];              /* the first failure, "" when none */
    char settings[2048];        /* what the seed drew, one line per part */
    /* what the run exercised, to show the checks had something to see */
    uint64_t zk_writes;         /* acknowledged ZooKeeper writes */
    uint64_t watch_reads;       /* reads checked against watch events */
    uint64_t acked;             /* acknowledged records in the ledger */
    uint64_t lost;              /* acked records lost (any settings) */
    uint64_t lost_safe;         /* of those, under safe settings */
    uint64_t faults;            /* faults injected */
    uint64_t joins;             /* brokers that joined the running world */
    uint64_t sim_ms;            /* simulated time of the run */
    uint64_t kraft_elections;   /* KRaft run: leaders elected */
    uint64_t kraft_committed;   /* KRaft run: records committed at the end */
    uint64_t kraft_worlds;      /* KRaft worlds with brokers run */
    uint64_t meta_looks;        /* their brokers' metadata checked mid-run */
} fuzz_result;

/* Runs one seed. unsafe: every topic gets unclean election on and
 * min.insync.replicas=1, every producer acks=all, and any lost
 * acknowledged record is a failure (the mode that shows the audit bites:
 * acks=all is not enough without the other two settings). */
void fuzz_seed(uint64_t seed, bool unsafe, fuzz_result *out);
/* The KRaft run of a seed (fuzz_kraft.c): a controller quorum of 1 to 5
 * under faults, checked by raft_check, then healed: a leader must commit
 * and every voter converge within FUZZ_LIVE_BOUND_S. fuzz_main runs it
 * after each seed's ZooKeeper-mode run; its draws are its own. */
void fuzz_kraft_seed(uint64_t seed, FILE *jsonl, fuzz_result *out);
/* The KRaft world with brokers of a seed (fuzz_kbrokers.c), run by
 * fuzz_main for the share of seeds fz_kraft_drawn picks: controllers and
 * brokers under the same kinds of faults, producers with acks all, 1 and
 * 0; every kafka_check and raft_check invariant, the ledger audit, after
 * healing every partition led and every broker caught up, and each
 * broker's applied metadata the committed log's (meta_check). Adds to
 * out (the seed's ZooKeeper-mode run cleared it). */
void fuzz_kbrokers_seed(uint64_t seed, bool unsafe, FILE *jsonl, fuzz_result *out);
/* The same, writing every trace event of the run to jsonl (may be NULL). */
void fuzz_seed_trace(uint64_t seed, bool unsafe, FILE *jsonl, fuzz_result *out);

typedef struct fuzz_opts {
    uint64_t first_seed;
    uint64_t count;             /* seeds first_seed .. first_seed+count-1 */
    bool unsafe;
    bool keep_going;            /* run every seed even after a failure */
    FILE *out;                  /* progress and reports */
    FILE *jsonl;                /* every seed's trace events, or NULL */
} fuzz_opts;

/* Runs the seeds; on a failure prints the drawn settings and the command
 * that replays the seed. Returns the exit status: 0 when every seed
 * passed, 1 otherwise. */
int fuzz_main(const fuzz_opts *o, const char *argv0);

#endif
