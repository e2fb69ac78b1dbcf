/* kafka_log: one replica's log of one partition. Each record keeps the
 * leader epoch it was written in; a leader-epoch cache maps each epoch to
 * its start offset, so a follower can truncate by leader epoch after a
 * leader change (KIP-101 / KIP-279) instead of to its high watermark. */
#ifndef QL_KAFKA_LOG_H
#define QL_KAFKA_LOG_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct kafka_record {
    int32_t leader_epoch;   /* epoch of the leader that appended it */
    uint64_t rid;           /* writer's record id (for the audit), 0: none */
    char *key;              /* owned, may be NULL */
    char *value;            /* owned, may be NULL */
} kafka_record;

typedef struct kafka_log kafka_log;

kafka_log *kafka_log_new(void);
void kafka_log_free(kafka_log *l);          /* NULL is a no-op */

/* A log placed in its owner's memory (a broker keeps it next to the
 * replica fields every fetch reads: one cache miss less per partition).
 * mem: KAFKA_LOG_BYTES, 8-byte aligned. kafka_log_fini frees what the
 * log holds, not mem. */
#define KAFKA_LOG_BYTES 48
kafka_log *kafka_log_init_in(void *mem);
void kafka_log_fini(kafka_log *l);          /* NULL is a no-op */

/* Appends one record; returns its offset. key/value are copied. */
int64_t kafka_log_append(kafka_log *l, int32_t leader_epoch, uint64_t rid,
                         const char *key, const char *value);
int64_t kafka_log_leo(const kafka_log *l);  /* log end offset */
int64_t kafka_log_hw(const kafka_log *l);
/* Moves the high watermark; clamped to the LEO. Returns the new value. */
int64_t kafka_log_set_hw(kafka_log *l, int64_t hw);
/* The record at offset, NULL when out of range. */
const kafka_record *kafka_log_get(const kafka_log *l, int64_t offset);

/* Drops every record at or after offset (and their epoch cache entries);
 * the HW follows down. Returns how many records were dropped. */
int64_t kafka_log_truncate(kafka_log *l, int64_t offset);
void kafka_log_clear(kafka_log *l);

/* The latest epoch in the cache, -1 for an empty log. */
int32_t kafka_log_last_epoch(const kafka_log *l);
/* Start offset of epoch e in the cache, -1 when e is not there. */
int64_t kafka_log_epoch_start(const kafka_log *l, int32_t e);
/* Marks epoch e as starting at the LEO (a new leader does this before its
 * first append, so an empty epoch still answers OffsetsForLeaderEpoch). */
void kafka_log_begin_epoch(kafka_log *l, int32_t e);

/* The leader's answer to OffsetsForLeaderEpoch(e): the largest epoch it
 * knows that is <= e, and the end offset of that epoch (the start of the
 * next epoch, or the LEO for the latest). Both -1 when e is older than
 * everything in the cache. */
void kafka_log_end_for_epoch(const kafka_log *l, int32_t e,
                             int32_t *epoch_out, int64_t *end_out);
/* Where a follower truncates, given the leader's answer (epoch, end):
 * min(end, its own end offset for that epoch); its LEO when the leader
 * said undefined. */
int64_t kafka_log_truncation_point(const kafka_log *l, int32_t epoch,
                                   int64_t end);

#endif
