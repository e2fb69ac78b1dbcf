/* kafka_accum: partitioner and record accumulator of Kafka 2.8's producer
 * (Utils.murmur2, DefaultPartitioner, StickyPartitionCache,
 * RecordAccumulator, MemoryRecordsBuilder.hasRoomFor). Batches live in a
 * queue per partition: appends go to the newest, drains take the oldest. */
#include "kafka_accum.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int32_t kafka_murmur2(const void *data, size_t len)
{
    /* unsigned arithmetic: Java's int wraps, C's signed overflow must not */
    const uint8_t *d = data;
    const uint32_t m = 0x5bd1e995u;
    uint32_t h = 0x9747b28cu ^ (uint32_t)len;
    size_t n4 = len / 4;
    for (size_t i = 0; i < n4; i++) {
        const uint8_t *q = d + i * 4;
        uint32_t k = q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    const uint8_t *t = d + (len & ~(size_t)3);
    switch (len % 4) {
    case 3: h ^= (uint32_t)t[2] << 16; /* fall through */
    case 2: h ^= (uint32_t)t[1] << 8;  /* fall through */
    case 1: h ^= t[0]; h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return (int32_t)h;
}

int kafka_key_partition(const char *key, size_t len, int nparts)
{
    uint32_t positive = (uint32_t)kafka_murmur2(key, len) & 0x7fffffffu;
    return (int)(positive % (uint32_t)nparts);
}

/* ByteUtils.sizeOfVarint / sizeOfVarlong: zig-zag, 7 bits a byte */
static int varint_size(int64_t v)
{
    uint64_t z = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    int n = 1;
    while (z >= 0x80) { z >>= 7; n++; }
    return n;
}

/* DefaultRecord.sizeOf: key, value (null: varint -1) and zero headers */
static int64_t fields_size(int64_t key_len, int64_t value_len)
{
    int64_t s = key_len < 0 ? varint_size(-1) : varint_size(key_len) + key_len;
    s += varint_size(value_len) + value_len;
    return s + varint_size(0);
}

int64_t kafka_record_size(int offset_delta, int64_t key_len, int64_t value_len)
{
    int64_t body = 1 + varint_size(offset_delta) + varint_size(0) +
                   fields_size(key_len, value_len);
    return body + varint_size(body);
}

int64_t kafka_record_upper_bound(int64_t key_len, int64_t value_len)
{
    return KAFKA_BATCH_OVERHEAD + KAFKA_RECORD_OVERHEAD_MAX +
           fields_size(key_len, value_len);
}

int kafka_sticky_next(rng *r, const bool *avail, int nparts, int old, int prev)
{
    if (old >= 0 && old != prev) return old;    /* another record moved it */
    int navail = 0;
    for (int p = 0; p < nparts; p++) navail += avail[p];
    if (navail == 0) return (int)rng_below(r, (uint64_t)nparts);
    int pick = -1;
    while (pick < 0 || pick == old) {
        /* the k-th available partition; with one available, that one
         * even if it is old (the loop would never end otherwise) */
        int k = navail == 1 ? 0 : (int)rng_below(r, (uint64_t)navail);
        for (int p = 0; p < nparts; p++)
            if (avail[p] && k-- == 0) { pick = p; break; }
        if (navail == 1) break;
    }
    return pick;
}

/* --- batches --- */

typedef struct kqueue {
    kbatch **b;                 /* oldest first */
    int n, cap;
} kqueue;

struct kacc {
    int nparts;
    int64_t batch_size;
    kqueue *q;                  /* per partition */
};

kacc *kacc_new(int nparts, int64_t batch_size)
{
    kacc *a = xcalloc(1, sizeof *a);
    a->nparts = nparts;
    a->batch_size = batch_size;
    a->q = xcalloc((size_t)nparts + 1, sizeof *a->q);
    return a;
}

void kbatch_free(kbatch *b)
{
    if (!b) return;
    free(b->rec);
    free(b);
}

void kacc_free(kacc *a)
{
    if (!a) return;
    for (int p = 0; p < a->nparts; p++) {
        for (int i = 0; i < a->q[p].n; i++) kbatch_free(a->q[p].b[i]);
        free(a->q[p].b);
    }
    free(a->q);
    free(a);
}

int kacc_nparts(const kacc *a) { return a->nparts; }

static void batch_add(kbatch *b, int rec, int64_t key_len, int64_t value_len)
{
    VEC_GROW(b->rec, b->n, b->cap);
    b->bytes += kafka_record_size(b->n, key_len, value_len);
    b->rec[b->n++] = rec;
    if (b->bytes >= b->limit) b->closed = true;     /* MemoryRecordsBuilder.isFull */
}

/* ProducerBatch.tryAppend: the newest batch, if it has room */
static bool try_append(kqueue *q, int rec, int64_t key_len, int64_t value_len)
{
    kbatch *last = q->n ? q->b[q->n - 1] : NULL;
    if (!last || last->closed) return false;
    if (last->bytes + kafka_record_size(last->n, key_len, value_len) > last->limit) {
        last->closed = true;
        return false;
    }
    batch_add(last, rec, key_len, value_len);
    return true;
}

static kbatch *batch_new(int p, int64_t limit, uint64_t now_us)
{
    kbatch *b = xcalloc(1, sizeof *b);
    b->p = p;
    b->bytes = KAFKA_BATCH_OVERHEAD;
    b->limit = limit;
    b->created_us = b->attempt_us = now_us;
    return b;
}

static void queue_push(kqueue *q, kbatch *b, bool front)
{
    VEC_GROW(q->b, q->n, q->cap);
    if (front) {
        memmove(q->b + 1, q->b, (size_t)q->n * sizeof *q->b);
        q->b[0] = b;
    } else {
        q->b[q->n] = b;
    }
    q->n++;
}

int kacc_append(kacc *a, int p, int rec, int64_t key_len, int64_t value_len,
                uint64_t now_us, bool abort_on_new)
{
    kqueue *q = &a->q[p];
    if (try_append(q, rec, key_len, value_len)) return 1;
    if (abort_on_new) return 0;
    int64_t bound = kafka_record_upper_bound(key_len, value_len);
    kbatch *b = batch_new(p, bound > a->batch_size ? bound : a->batch_size, now_us);
    batch_add(b, rec, key_len, value_len);
    queue_push(q, b, false);
    return 2;
}

kbatch *kacc_first(const kacc *a, int p)
{
    return a->q[p].n ? a->q[p].b[0] : NULL;
}

int kacc_queued(const kacc *a, int p) { return a->q[p].n; }

kbatch *kacc_pop(kacc *a, int p)
{
    kqueue *q = &a->q[p];
    if (!q->n) return NULL;
    kbatch *b = q->b[0];
    memmove(q->b, q->b + 1, (size_t)(q->n - 1) * sizeof *q->b);
    q->n--;
    return b;
}

void kacc_push_front(kacc *a, kbatch *b)
{
    b->closed = true;           /* a drained batch takes no more records */
    queue_push(&a->q[b->p], b, true);
}

void kacc_split(kacc *a, kbatch *big,
                void (*len_of)(void *u, int rec, int64_t *k, int64_t *v),
                void *u)
{
    /* made oldest first, then pushed to the front newest first, so they
     * go out in the records' order; they count as never tried */
    kbatch **parts = NULL;
    int n = 0, cap = 0;
    kbatch *cur = NULL;
    for (int i = 0; i < big->n; i++) {
        int64_t k, v;
        len_of(u, big->rec[i], &k, &v);
        if (cur && (cur->closed ||
                    cur->bytes + kafka_record_size(cur->n, k, v) > cur->limit))
            cur = NULL;
        if (!cur) {
            int64_t bound = kafka_record_upper_bound(k, v);
            cur = batch_new(big->p, bound > a->batch_size ? bound : a->batch_size,
                            big->created_us);
            VEC_GROW(parts, n, cap);
            parts[n++] = cur;
        }
        batch_add(cur, big->rec[i], k, v);
    }
    for (int i = n - 1; i >= 0; i--) kacc_push_front(a, parts[i]);
    free(parts);
    kbatch_free(big);
}
