/* kafka_accum: the producer's partitioner and record accumulator, as
 * Kafka 2.8's clients have them: DefaultPartitioner (murmur2 of the key),
 * StickyPartitionCache (KIP-480) for keyless records, record sizes as the
 * v2 record format counts them, and the batches per partition of
 * RecordAccumulator. No network here: kafka_client drains the batches. */
#ifndef QL_KAFKA_ACCUM_H
#define QL_KAFKA_ACCUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rng.h"

enum {
    KAFKA_BATCH_OVERHEAD = 61,          /* DefaultRecordBatch.RECORD_BATCH_OVERHEAD */
    KAFKA_RECORD_OVERHEAD_MAX = 21,     /* DefaultRecord.MAX_RECORD_OVERHEAD */
};

/* Utils.murmur2 (seed 0x9747b28c), as a signed 32-bit value. */
int32_t kafka_murmur2(const void *data, size_t len);
/* DefaultPartitioner for a keyed record: toPositive(murmur2(key)) % n. */
int kafka_key_partition(const char *key, size_t len, int nparts);

/* Sizes in bytes; key_len < 0 is a null key (value is never null here).
 * kafka_record_size: DefaultRecord.sizeInBytes with timestamp delta 0.
 * kafka_record_upper_bound: AbstractRecords.estimateSizeInBytesUpperBound,
 * a batch holding this record alone: what max.request.size is checked
 * against (KafkaProducer.ensureValidRecordSize). */
int64_t kafka_record_size(int offset_delta, int64_t key_len, int64_t value_len);
int64_t kafka_record_upper_bound(int64_t key_len, int64_t value_len);

/* StickyPartitionCache.nextPartition: the new sticky partition after a
 * batch was made for prev (old: the sticky one now, -1 none). A change
 * happens only when old is -1 or old == prev; then, among partitions with
 * a leader (avail), a random one other than old, the only one when there
 * is one, any partition when none has a leader. Returns the sticky
 * partition after the call. */
int kafka_sticky_next(rng *r, const bool *avail, int nparts, int old, int prev);

/* A batch: records (indices of the caller's) for one partition. */
typedef struct kbatch {
    int p;
    int *rec;                   /* record indices, in append order */
    int n, cap;
    int64_t bytes;              /* estimated size: header + records */
    int64_t limit;              /* max(batch.size, first record's bound) */
    uint64_t created_us;
    uint64_t attempt_us;        /* last drain; created_us before the first */
    int attempts;               /* drains so far */
    bool closed;                /* no more appends (full, or drained once) */
} kbatch;

typedef struct kacc kacc;

kacc *kacc_new(int nparts, int64_t batch_size);
void kacc_free(kacc *a);                        /* its queued batches too */
int kacc_nparts(const kacc *a);

/* RecordAccumulator.append for record rec of key_len/value_len bytes.
 * Returns 1 when it went into the partition's open batch, 2 when a new
 * batch was made for it, 0 when none was open and abort_on_new asked to
 * let the partitioner choose again first. */
int kacc_append(kacc *a, int p, int rec, int64_t key_len, int64_t value_len,
                uint64_t now_us, bool abort_on_new);

/* The partition's queue: its oldest batch (NULL if none), how many. */
kbatch *kacc_first(const kacc *a, int p);
int kacc_queued(const kacc *a, int p);
/* Takes the oldest batch out (drained or expired); the caller owns it. */
kbatch *kacc_pop(kacc *a, int p);
/* A batch back at the head of its queue, for a retry (reenqueue). */
void kacc_push_front(kacc *a, kbatch *b);
/* A rejected batch of several records back as batches of batch.size
 * (RecordAccumulator.splitAndReenqueue); frees big. Needs each record's
 * key and value length: len_of(u, rec, &key_len, &value_len). */
void kacc_split(kacc *a, kbatch *big,
                void (*len_of)(void *u, int rec, int64_t *k, int64_t *v),
                void *u);
void kbatch_free(kbatch *b);

#endif
