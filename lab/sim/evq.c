/* evq: 8-ary min-heaps over a slot table with a free list. Ids carry a
 * generation so a stale id never cancels a reused slot. Heap entries hold
 * their own (time, seq) key, so ordering never chases a slot pointer: the
 * queue is the simulator's hottest loop (see tests/bench/bench_sim.c).
 * An entry is 16 bytes and each heap is placed so that the eight children
 * of a node fill one aligned pair of cache lines, which the memory
 * fetches together.
 *
 * Time is cut in bands of BAND_US. Only the events before the current
 * band's end sit in the near heap; those of the next NBANDS bands wait
 * unordered in a ring of buckets (a push is an append), later ones in the
 * far heap. When the near heap runs dry the next band's bucket, and what
 * of the far heap falls in that band, become the near heap. With 300
 * brokers a quarter million events are pending, nearly all of them a
 * fetch parked for 500 ms or a request timeout 30 s away: a heap of them
 * all was six levels deep, a miss per level on every pop; the near heap
 * holds a millisecond's events and stays in cache. The order is the same
 * total order (time, then push sequence) whichever structure an event
 * waits in: only the cost moves. */
#include "evq.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t at_us;     /* fire time */
    evq_fn fn;          /* callback */
    void *ctx;          /* callback context */
    uint64_t arg;       /* callback argument */
    uint32_t gen;       /* bumped each time the slot is reused */
    bool live;          /* in the heap and not cancelled */
    bool used;          /* in the heap (maybe cancelled) */
    uint32_t next_free; /* free-list link */
} slot;

typedef struct hent {
    uint64_t at_us;     /* fire time */
    uint64_t order;     /* seq << 32 | slot: ties break by seq, which is
                           unique, so the slot bits never decide */
} hent;

#define SEQ_MAX UINT32_MAX
#define HEAD 7          /* entries before heap[0]: heap[1..8] start a line pair */
#define BAND_BITS 10
#define BAND_US (1ull << BAND_BITS)     /* about a millisecond */
#define NBANDS 1024                     /* the ring: about a second */
#define BUCKET_KEEP 1024                /* entries a consumed bucket keeps room for */
#define NEAR_KEEP 16384                 /* and the near heap, once empty */

typedef struct hheap {
    hent *mem;          /* the allocation, 128-byte aligned */
    hent *e;            /* mem + HEAD: heap-ordered entries */
    uint32_t n, cap;
} hheap;

typedef struct bucket {
    hent *e;            /* one band's entries, unordered */
    uint32_t n, cap;
} bucket;

struct evq {
    slot *slots;        /* slot table */
    uint32_t nslots;    /* slots allocated */
    uint32_t free_head; /* first free slot, or UINT32_MAX */
    hheap near;         /* every entry before band_end */
    bucket *ring;       /* NBANDS buckets: entries in [band_end, band_end +
                           NBANDS * BAND_US), by (at_us / BAND_US) % NBANDS */
    uint64_t nring;     /* entries in the ring */
    hheap far;          /* entries past the ring's reach when pushed */
    uint64_t band_end;  /* a multiple of BAND_US */
    size_t live;        /* live events */
    uint32_t seq;       /* next sequence number (renumbered before it
                           wraps: see renumber) */
};

#define NO_SLOT UINT32_MAX

evq *evq_new(void)
{
    evq *q = xcalloc(1, sizeof *q);
    q->free_head = NO_SLOT;
    q->ring = xcalloc(NBANDS, sizeof *q->ring);
    return q;
}

void evq_free(evq *q)
{
    if (!q) return;
    free(q->slots);
    free(q->near.mem);
    free(q->far.mem);
    for (int i = 0; i < NBANDS; i++) free(q->ring[i].e);
    free(q->ring);
    free(q);
}

static inline bool before(const hent *x, const hent *y)
{
    if (x->at_us != y->at_us) return x->at_us < y->at_us;
    return x->order < y->order;
}

static inline uint32_t slot_of(const hent *e) { return (uint32_t)e->order; }

#define ARITY 8     /* shallow; children share an aligned pair of lines */

static void sift_up(hheap *h, uint32_t i)
{
    hent e = h->e[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!before(&e, &h->e[parent])) break;
        h->e[i] = h->e[parent];
        i = parent;
    }
    h->e[i] = e;
}

static void sift_down(hheap *h, uint32_t i)
{
    hent e = h->e[i];
    for (;;) {
        uint32_t first = ARITY * i + 1;
        if (first >= h->n) break;
        uint32_t last = first + ARITY < h->n ? first + ARITY : h->n;
        uint32_t best = first;
        for (uint32_t c = first + 1; c < last; c++)
            if (before(&h->e[c], &h->e[best])) best = c;
        if (!before(&h->e[best], &e)) break;
        h->e[i] = h->e[best];
        i = best;
    }
    h->e[i] = e;
}

static void heap_grow(hheap *h, uint32_t need)
{
    uint32_t cap = h->cap ? h->cap : 64;
    while (cap < need) cap *= 2;
    if (cap == h->cap) return;
    size_t bytes = ((size_t)cap + HEAD) * sizeof(hent);
    hent *mem = aligned_alloc(128, (bytes + 127) / 128 * 128);
    QL_ASSERT(mem != NULL);
    if (h->n) memcpy(mem + HEAD, h->e, (size_t)h->n * sizeof(hent));
    free(h->mem);
    h->mem = mem;
    h->e = mem + HEAD;
    h->cap = cap;
}

static void heap_push(hheap *h, hent e)
{
    if (h->n == h->cap) heap_grow(h, h->n + 1);
    h->e[h->n++] = e;
    sift_up(h, h->n - 1);
}

static void heap_pop(hheap *h)
{
    h->n--;
    if (h->n > 0) {
        h->e[0] = h->e[h->n];
        sift_down(h, 0);
    }
}

static void heapify(hheap *h)
{
    for (uint32_t k = h->n / ARITY + 1; k-- > 0;)
        if (k < h->n) sift_down(h, k);
}

static uint32_t slot_alloc(evq *q)
{
    if (q->free_head != NO_SLOT) {
        uint32_t i = q->free_head;
        q->free_head = q->slots[i].next_free;
        return i;
    }
    QL_ASSERT(q->nslots < NO_SLOT - 1);
    uint32_t cap = q->nslots ? q->nslots * 2 : 64;
    q->slots = xrealloc(q->slots, (size_t)cap * sizeof *q->slots);
    for (uint32_t i = q->nslots; i < cap; i++) {
        q->slots[i] = (slot){ .next_free = i + 1 < cap ? i + 1 : NO_SLOT };
    }
    q->free_head = q->nslots;
    q->nslots = cap;
    return slot_alloc(q);
}

static void slot_release(evq *q, uint32_t i)
{
    slot *s = &q->slots[i];
    s->used = s->live = false;
    s->gen++;
    s->next_free = q->free_head;
    q->free_head = i;
}

static evq_id make_id(uint32_t slot_i, uint32_t gen)
{
    /* +1 so that id 0 never names a real event */
    return ((uint64_t)gen << 32) | (uint64_t)(slot_i + 1);
}

static slot *lookup(const evq *q, evq_id id)
{
    uint32_t i = (uint32_t)(id & 0xffffffffu);
    if (i == 0 || i > q->nslots) return NULL;
    slot *s = &q->slots[i - 1];
    if (s->gen != (uint32_t)(id >> 32) || !s->live) return NULL;
    return s;
}

/* Where an entry waits: the near heap before band_end, the ring within
 * its reach, the far heap beyond. */
static void place(evq *q, hent e)
{
    if (e.at_us < q->band_end) {
        heap_push(&q->near, e);
    } else if (e.at_us - q->band_end < (uint64_t)NBANDS * BAND_US) {
        bucket *k = &q->ring[(e.at_us >> BAND_BITS) % NBANDS];
        VEC_GROW(k->e, k->n, k->cap);
        k->e[k->n++] = e;
        q->nring++;
    } else {
        heap_push(&q->far, e);
    }
}

/* Every entry, near, ring and far, into one array (the caller frees it);
 * the structures are left empty. */
static hent *take_all(evq *q, uint32_t *n_out)
{
    size_t n = (size_t)q->near.n + q->nring + q->far.n;
    hent *all = xmalloc((n ? n : 1) * sizeof *all);
    size_t m = 0;
    /* an empty part may have no array yet: memcpy wants a pointer even
     * for 0 bytes (UBSan) */
    if (q->near.n) memcpy(all, q->near.e, (size_t)q->near.n * sizeof *all);
    m += q->near.n;
    if (q->far.n) memcpy(all + m, q->far.e, (size_t)q->far.n * sizeof *all);
    m += q->far.n;
    for (int i = 0; i < NBANDS; i++) {
        if (q->ring[i].n) memcpy(all + m, q->ring[i].e, (size_t)q->ring[i].n * sizeof *all);
        m += q->ring[i].n;
        q->ring[i].n = 0;
    }
    q->near.n = q->far.n = 0;
    q->nring = 0;
    *n_out = (uint32_t)m;
    return all;
}

static int cmp_hent(const void *a, const void *b)
{
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* Before seq wraps: the entries in pop order get seq 0, 1, ... , so every
 * later push still sorts after them and the pop order is what it would
 * have been with wider numbers. */
static void renumber(evq *q)
{
    uint32_t n;
    hent *all = take_all(q, &n);
    qsort(all, n, sizeof *all, cmp_hent);
    for (uint32_t k = 0; k < n; k++) {
        all[k].order = (uint64_t)k << 32 | slot_of(&all[k]);
        place(q, all[k]);
    }
    q->seq = n;
    free(all);
}

evq_id evq_push(evq *q, uint64_t at_us, evq_fn fn, void *ctx, uint64_t arg)
{
    QL_ASSERT(fn != NULL);
    uint32_t i = slot_alloc(q);
    slot *s = &q->slots[i];
    s->at_us = at_us;
    s->fn = fn;
    s->ctx = ctx;
    s->arg = arg;
    s->live = s->used = true;
    if (q->seq == SEQ_MAX) renumber(q);
    place(q, (hent){ at_us, (uint64_t)q->seq++ << 32 | i });
    q->live++;
    return make_id(i, s->gen);
}

/* Drops h's cancelled entries in place, keeping the others in order. */
static uint32_t sweep(evq *q, hent *e, uint32_t n)
{
    uint32_t m = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (q->slots[slot_of(&e[k])].live) e[m++] = e[k];
        else slot_release(q, slot_of(&e[k]));
    }
    return m;
}

/* Drops every cancelled entry where it waits; the heaps are made again.
 * Keys are unique (seq), so the pop order is the same as if they had
 * surfaced one by one. */
static void compact(evq *q)
{
    q->near.n = sweep(q, q->near.e, q->near.n);
    heapify(&q->near);
    q->far.n = sweep(q, q->far.e, q->far.n);
    heapify(&q->far);
    for (int i = 0; i < NBANDS && q->nring; i++) {
        bucket *k = &q->ring[i];
        if (!k->n) continue;
        uint32_t m = sweep(q, k->e, k->n);
        q->nring -= k->n - m;
        k->n = m;
    }
}

static size_t entries(const evq *q)
{
    return (size_t)q->near.n + q->nring + q->far.n;
}

bool evq_cancel(evq *q, evq_id id)
{
    slot *s = lookup(q, id);
    if (!s) return false;
    s->live = false;    /* stays where it waits; dropped when it surfaces */
    q->live--;
    /* timers re-armed at every message leave many dead entries that
     * would each cost a pop: sweep once they outnumber the live ones */
    size_t n = entries(q);
    if (n > 256 && n - q->live > q->live) compact(q);
    return true;
}

bool evq_pending(const evq *q, evq_id id)
{
    return lookup(q, id) != NULL;
}

/* The next band becomes the near heap: its bucket's live entries, and
 * the far heap's entries that fall before the new band end. With the
 * ring empty, band_end first jumps to the band of the far heap's top. */
static void next_band(evq *q)
{
    if (q->nring == 0 && q->far.n && q->far.e[0].at_us >= q->band_end)
        q->band_end = q->far.e[0].at_us & ~(BAND_US - 1);
    bucket *k = &q->ring[(q->band_end >> BAND_BITS) % NBANDS];
    q->band_end += BAND_US;
    if (q->near.n == 0 && q->near.cap > NEAR_KEEP && k->n < q->near.cap / 4) {
        free(q->near.mem);      /* a burst's room, as for buckets */
        q->near = (hheap){ 0 };
    }
    if (k->n) {
        if (q->near.cap < q->near.n + k->n) heap_grow(&q->near, q->near.n + k->n);
        for (uint32_t i = 0; i < k->n; i++) {
            uint32_t si = slot_of(&k->e[i]);
            if (q->slots[si].live) q->near.e[q->near.n++] = k->e[i];
            else slot_release(q, si);
        }
        q->nring -= k->n;
        k->n = 0;
        /* a burst's room goes back: kept, every bucket would hold its
         * own peak (tens of MB at the scale run's creation) */
        if (k->cap > BUCKET_KEEP) {
            free(k->e);
            k->e = NULL;
            k->cap = 0;
        }
        heapify(&q->near);
    }
    while (q->far.n && q->far.e[0].at_us < q->band_end) {
        heap_push(&q->near, q->far.e[0]);
        heap_pop(&q->far);
    }
}

/* Drops cancelled events from the top and brings bands in until the
 * near heap's top, if any event is left, is the earliest live event. */
static void settle(evq *q)
{
    for (;;) {
        while (q->near.n > 0 && !q->slots[slot_of(&q->near.e[0])].live) {
            uint32_t i = slot_of(&q->near.e[0]);
            heap_pop(&q->near);
            slot_release(q, i);
        }
        if (q->near.n > 0 || (q->nring == 0 && q->far.n == 0)) return;
        next_band(q);
    }
}

bool evq_pop(evq *q, evq_event *out)
{
    settle(q);
    if (q->near.n == 0) return false;
    uint32_t i = slot_of(&q->near.e[0]);
    slot *s = &q->slots[i];
    *out = (evq_event){ s->at_us, s->fn, s->ctx, s->arg, make_id(i, s->gen) };
    heap_pop(&q->near);
    slot_release(q, i);
    q->live--;
    return true;
}

bool evq_peek_time(evq *q, uint64_t *at_us)
{
    settle(q);
    if (q->near.n == 0) return false;
    *at_us = q->near.e[0].at_us;
    return true;
}

size_t evq_len(const evq *q)
{
    return q->live;
}

void evq_seq_skip(evq *q, uint32_t seq)
{
    if (seq > q->seq) q->seq = seq;
}

/* The top's slot was asked for one pop ago (it was a child of the top
 * then), so its context pointer is at hand; the next top is one of the
 * eight children, whose entries share a pair of lines. */
bool evq_prefetch(const evq *q, evq_event *next)
{
    const hheap *h = &q->near;
    if (h->n == 0) return false;
    const slot *top = &q->slots[slot_of(&h->e[0])];
    __builtin_prefetch(top->ctx);
    uint32_t last = h->n < ARITY + 1 ? h->n : ARITY + 1;
    for (uint32_t k = 1; k < last; k++) __builtin_prefetch(&q->slots[slot_of(&h->e[k])]);
    *next = (evq_event){ top->at_us, top->fn, top->ctx, top->arg, 0 };
    return true;
}

bool evq_prefetch_second(const evq *q, evq_event *second)
{
    const hheap *h = &q->near;
    if (h->n < 2) return false;
    uint32_t last = h->n < ARITY + 1 ? h->n : ARITY + 1, best = 1;
    for (uint32_t k = 2; k < last; k++)
        if (before(&h->e[k], &h->e[best])) best = k;
    const slot *sl = &q->slots[slot_of(&h->e[best])];
    __builtin_prefetch(sl->ctx);
    *second = (evq_event){ sl->at_us, sl->fn, sl->ctx, sl->arg, 0 };
    return true;
}
