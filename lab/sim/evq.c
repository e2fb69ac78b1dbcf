/* evq: an 8-ary min-heap over a slot table with a free list. Ids carry a
 * generation so a stale id never cancels a reused slot. Heap entries hold
 * their own (time, seq) key, so ordering never chases a slot pointer: the
 * heap is the simulator's hottest loop (see tests/bench/bench_sim.c).
 * An entry is 16 bytes and the array is placed so that the eight children
 * of a node fill one aligned pair of cache lines, which the memory
 * fetches together: with 300 brokers the heap holds about a quarter
 * million events, and a sift down is six levels deep instead of nine
 * (4-ary), each level a miss once past the cached top. */
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

struct evq {
    slot *slots;        /* slot table */
    uint32_t nslots;    /* slots allocated */
    uint32_t free_head; /* first free slot, or UINT32_MAX */
    hent *mem;          /* the heap's allocation, 128-byte aligned */
    hent *heap;         /* mem + HEAD: heap-ordered entries */
    uint32_t nheap;     /* entries in the heap (live and cancelled) */
    uint32_t cap_heap;  /* heap capacity */
    size_t live;        /* live events */
    uint32_t seq;       /* next sequence number (renumbered before it
                           wraps: see renumber) */
};

#define NO_SLOT UINT32_MAX

evq *evq_new(void)
{
    evq *q = xcalloc(1, sizeof *q);
    q->free_head = NO_SLOT;
    return q;
}

void evq_free(evq *q)
{
    if (!q) return;
    free(q->slots);
    free(q->mem);
    free(q);
}

static inline bool before(const hent *x, const hent *y)
{
    if (x->at_us != y->at_us) return x->at_us < y->at_us;
    return x->order < y->order;
}

static inline uint32_t slot_of(const hent *e) { return (uint32_t)e->order; }

#define ARITY 8     /* shallow; children share an aligned pair of lines */

static void sift_up(evq *q, uint32_t i)
{
    hent e = q->heap[i];
    while (i > 0) {
        uint32_t parent = (i - 1) / ARITY;
        if (!before(&e, &q->heap[parent])) break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = e;
}

static void sift_down(evq *q, uint32_t i)
{
    hent e = q->heap[i];
    for (;;) {
        uint32_t first = ARITY * i + 1;
        if (first >= q->nheap) break;
        uint32_t last = first + ARITY < q->nheap ? first + ARITY : q->nheap;
        uint32_t best = first;
        for (uint32_t c = first + 1; c < last; c++)
            if (before(&q->heap[c], &q->heap[best])) best = c;
        if (!before(&q->heap[best], &e)) break;
        q->heap[i] = q->heap[best];
        i = best;
    }
    q->heap[i] = e;
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

static void heap_grow(evq *q)
{
    uint32_t cap = q->cap_heap ? q->cap_heap * 2 : 64;
    size_t bytes = ((size_t)cap + HEAD) * sizeof(hent);
    hent *mem = aligned_alloc(128, (bytes + 127) / 128 * 128);
    QL_ASSERT(mem != NULL);
    if (q->nheap) memcpy(mem + HEAD, q->heap, (size_t)q->nheap * sizeof(hent));
    free(q->mem);
    q->mem = mem;
    q->heap = mem + HEAD;
    q->cap_heap = cap;
}

static int cmp_hent(const void *a, const void *b)
{
    return before(a, b) ? -1 : before(b, a) ? 1 : 0;
}

/* Before seq wraps: the entries in pop order get seq 0, 1, ... (a sorted
 * array is a heap), so every later push still sorts after them and the
 * pop order is what it would have been with wider numbers. */
static void renumber(evq *q)
{
    qsort(q->heap, q->nheap, sizeof *q->heap, cmp_hent);
    for (uint32_t k = 0; k < q->nheap; k++)
        q->heap[k].order = (uint64_t)k << 32 | slot_of(&q->heap[k]);
    q->seq = q->nheap;
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
    if (q->nheap == q->cap_heap) heap_grow(q);
    if (q->seq == SEQ_MAX) renumber(q);
    q->heap[q->nheap++] = (hent){ at_us, (uint64_t)q->seq++ << 32 | i };
    sift_up(q, q->nheap - 1);
    q->live++;
    return make_id(i, s->gen);
}

/* Drops every cancelled entry and re-heapifies. Keys are unique (seq), so
 * the pop order is the same as if they had surfaced one by one. */
static void compact(evq *q)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < q->nheap; k++) {
        if (q->slots[slot_of(&q->heap[k])].live)
            q->heap[n++] = q->heap[k];
        else
            slot_release(q, slot_of(&q->heap[k]));
    }
    q->nheap = n;
    for (uint32_t k = n / ARITY + 1; k-- > 0;)
        if (k < n) sift_down(q, k);
}

bool evq_cancel(evq *q, evq_id id)
{
    slot *s = lookup(q, id);
    if (!s) return false;
    s->live = false;    /* stays in the heap; dropped when it surfaces */
    q->live--;
    /* timers re-armed at every message leave many dead entries that
     * would each cost a pop: sweep once they outnumber the live ones */
    if (q->nheap > 256 && q->nheap - q->live > q->live) compact(q);
    return true;
}

bool evq_pending(const evq *q, evq_id id)
{
    return lookup(q, id) != NULL;
}

static void pop_top(evq *q)
{
    q->nheap--;
    if (q->nheap > 0) {
        q->heap[0] = q->heap[q->nheap];
        sift_down(q, 0);
    }
}

/* Drops cancelled events from the top so the top, if any, is live. */
static void skip_dead(evq *q)
{
    while (q->nheap > 0 && !q->slots[slot_of(&q->heap[0])].live) {
        uint32_t i = slot_of(&q->heap[0]);
        pop_top(q);
        slot_release(q, i);
    }
}

bool evq_pop(evq *q, evq_event *out)
{
    skip_dead(q);
    if (q->nheap == 0) return false;
    uint32_t i = slot_of(&q->heap[0]);
    slot *s = &q->slots[i];
    *out = (evq_event){ s->at_us, s->fn, s->ctx, s->arg, make_id(i, s->gen) };
    pop_top(q);
    slot_release(q, i);
    q->live--;
    return true;
}

bool evq_peek_time(evq *q, uint64_t *at_us)
{
    skip_dead(q);
    if (q->nheap == 0) return false;
    *at_us = q->heap[0].at_us;
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
void evq_prefetch(const evq *q)
{
    if (q->nheap == 0) return;
    __builtin_prefetch(q->slots[slot_of(&q->heap[0])].ctx);
    uint32_t last = q->nheap < ARITY + 1 ? q->nheap : ARITY + 1;
    for (uint32_t k = 1; k < last; k++) __builtin_prefetch(&q->slots[slot_of(&q->heap[k])]);
}
