/* kafka_check: the Kafka invariant checkers and the acknowledged-write
 * ledger. Controller epochs and leaders per epoch are watched through a
 * trace listener (TR_CONTROLLER, TR_LEADER); the leader's high watermark,
 * truncations and acknowledged records come through the hook table the
 * world installs in brokers and clients (kafka_hooks.h). A
 * violation emits TR_VIOLATION and halts the world. The ledger is the
 * run's history, like Jepsen's: every acked record with its acks setting;
 * the audit compares it with the committed logs. */
#ifndef QL_KAFKA_CHECK_H
#define QL_KAFKA_CHECK_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "kafka_log.h"
#include "kafka_hooks.h"

typedef struct kafka_check kafka_check;

kafka_check *kafka_check_new(sim *s);   /* listens to the world's trace */
void kafka_check_free(kafka_check *k);  /* NULL is a no-op */

/* The hooks to install in brokers and clients (ctx = k; NULL k: a table
 * that does nothing). hw checks a leader's high watermark never goes back
 * within a leader epoch; truncate reports acked records about to be
 * dropped as TR_LOSS candidates (the audit decides); acked adds to the
 * ledger. */
kafka_hooks kafka_check_hooks(kafka_check *k);

/* Reports a violation found elsewhere (the convergence check): emits
 * TR_VIOLATION with the seed and halts the world. */
void kafka_check_violation(kafka_check *k, int node, const char *msg);
/* Violations reported so far (a fuzzer's verdict). NULL: 0. */
size_t kafka_check_violations(const kafka_check *k);

/* The ledger's size (records acknowledged so far). */
size_t kafka_ledger_count(const kafka_check *k);

/* The committed log of topic/p (the current leader's, HW included), or
 * false when the partition is offline or gone. */
typedef bool (*kafka_committed_fn)(void *ctx, const char *topic, int p,
                                   const kafka_log **log, int64_t *hw);

typedef struct kafka_lost {
    char topic[64];
    int p;
    int64_t offset;
    int acks;                   /* 1 or -1 */
    bool unavailable;           /* partition offline, not proven lost */
} kafka_lost;

typedef struct kafka_audit {
    size_t acked;               /* ledger entries */
    size_t lost;                /* acked records gone from the leader's log */
    size_t unavailable;         /* in offline partitions */
    size_t pending;             /* in the leader's log, above its HW: a new
                                 * leader's HW catches up once its
                                 * followers fetch, so not lost */
    kafka_lost *records;        /* the first ones (at most 1000), owned */
    size_t nrecords;
} kafka_audit;

/* Audits the ledger; emits one TR_LOSS per newly found lost record (at
 * most 20 traced, then a summary). Free out with kafka_audit_free. */
void kafka_check_audit(kafka_check *k, kafka_committed_fn fn, void *ctx,
                       kafka_audit *out);
void kafka_audit_free(kafka_audit *a);
/* The audit's count of lost records (acknowledged, then gone from an
 * online leader's log) without tracing anything: for the dashboard's
 * clients panel. Adds each to counts[the node of the producer that sent
 * it] when that node is below n; returns the total. */
size_t kafka_check_lost_by_node(const kafka_check *k, kafka_committed_fn fn, void *ctx,
                                long *counts, int n);

#endif
