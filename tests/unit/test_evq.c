/* Unit tests for the event queue: (time, sequence) order, cancellation by
 * marking, generation-checked ids across slot reuse, and a randomized
 * comparison against a reference sort. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "evq.h"
#include "rng.h"

/* Callback stand-ins: the tests pop events and inspect them rather than
 * call them, except where a callback's behaviour is the point. */
static void fn_a(void *ctx, uint64_t arg) { (void)ctx; (void)arg; }

static evq *setup_q(void) { return evq_new(); }

static void test_evq_orders_by_time_then_sequence(void **state)
{
    (void)state;
    evq *q = setup_q();
    evq_push(q, 30, fn_a, NULL, 1);
    evq_push(q, 10, fn_a, NULL, 2);
    evq_push(q, 20, fn_a, NULL, 3);
    evq_push(q, 10, fn_a, NULL, 4);    /* same time as arg 2, later seq */
    evq_push(q, 10, fn_a, NULL, 5);
    evq_push(q, 0, fn_a, NULL, 6);
    const uint64_t want_arg[] = { 6, 2, 4, 5, 3, 1 };
    const uint64_t want_at[] = { 0, 10, 10, 10, 20, 30 };
    assert_int_equal(evq_len(q), 6);
    for (size_t i = 0; i < 6; i++) {
        evq_event ev;
        assert_true(evq_pop(q, &ev));
        assert_int_equal(ev.arg, want_arg[i]);
        assert_int_equal(ev.at_us, want_at[i]);
        assert_ptr_equal(ev.fn, fn_a);
    }
    evq_event ev;
    assert_false(evq_pop(q, &ev));
    assert_int_equal(evq_len(q), 0);
    evq_free(q);
}

static void test_evq_ids_nonzero_and_distinct(void **state)
{
    (void)state;
    evq *q = setup_q();
    evq_id a = evq_push(q, 5, fn_a, NULL, 0);
    evq_id b = evq_push(q, 5, fn_a, NULL, 0);
    assert_true(a != 0 && b != 0);
    assert_true(a != b);
    evq_event ev;
    assert_true(evq_pop(q, &ev));
    assert_int_equal(ev.id, a);        /* the popped event names its id */
    evq_free(q);
}

static void test_evq_cancel_skips_event(void **state)
{
    (void)state;
    evq *q = setup_q();
    evq_id a = evq_push(q, 10, fn_a, NULL, 1);
    evq_id b = evq_push(q, 5, fn_a, NULL, 2);
    evq_push(q, 20, fn_a, NULL, 3);
    assert_true(evq_pending(q, b));
    assert_true(evq_cancel(q, b));     /* cancel the earliest */
    assert_false(evq_pending(q, b));
    assert_false(evq_cancel(q, b));    /* twice is not an error, just false */
    assert_int_equal(evq_len(q), 2);
    uint64_t t;
    assert_true(evq_peek_time(q, &t));
    assert_int_equal(t, 10);           /* the cancelled one is not the top */
    evq_event ev;
    assert_true(evq_pop(q, &ev));
    assert_int_equal(ev.arg, 1);
    assert_int_equal(ev.id, a);
    assert_true(evq_pop(q, &ev));
    assert_int_equal(ev.arg, 3);
    assert_false(evq_pop(q, &ev));
    assert_false(evq_peek_time(q, &t));
    evq_free(q);
}

static void test_evq_cancel_fired_or_unknown_is_false(void **state)
{
    (void)state;
    evq *q = setup_q();
    evq_id a = evq_push(q, 1, fn_a, NULL, 0);
    evq_event ev;
    assert_true(evq_pop(q, &ev));
    assert_false(evq_pending(q, a));
    assert_false(evq_cancel(q, a));    /* already ran */
    assert_false(evq_cancel(q, 0));    /* never valid */
    assert_false(evq_cancel(q, 0xdead00000077ULL)); /* never existed */
    assert_int_equal(evq_len(q), 0);
    evq_free(q);
}

/* A stale id whose slot was reused must not cancel the new occupant. */
static void test_evq_stale_id_does_not_cancel_reused_slot(void **state)
{
    (void)state;
    evq *q = setup_q();
    evq_id old = evq_push(q, 1, fn_a, NULL, 1);
    evq_event ev;
    assert_true(evq_pop(q, &ev));
    evq_id fresh = evq_push(q, 2, fn_a, NULL, 2);  /* reuses the free slot */
    assert_int_equal(old & 0xffffffffu, fresh & 0xffffffffu); /* same slot */
    assert_true(old != fresh);                     /* another generation */
    assert_false(evq_cancel(q, old));
    assert_true(evq_pending(q, fresh));
    assert_int_equal(evq_len(q), 1);
    /* a cancelled then reused slot: the cancelled id stays dead too */
    assert_true(evq_cancel(q, fresh));
    assert_false(evq_pop(q, &ev));                 /* frees the slot */
    evq_id third = evq_push(q, 3, fn_a, NULL, 3);
    assert_false(evq_cancel(q, fresh));
    assert_true(evq_pending(q, third));
    assert_true(evq_pop(q, &ev));
    assert_int_equal(ev.arg, 3);
    evq_free(q);
}

/* Callback-style use: the running event cancels a later one and its own
 * (already popped) id; both calls must behave. */
typedef struct cb_ctx {
    evq *q;
    evq_id victim;      /* to cancel when the first event runs */
    evq_id self;        /* the running event's id */
    int ran[8];         /* args in the order they ran */
    int nran;
    bool cancel_victim, cancel_self;
} cb_ctx;

static void fn_canceller(void *ctx, uint64_t arg)
{
    cb_ctx *c = ctx;
    c->ran[c->nran++] = (int)arg;
    if (arg == 1) {
        c->cancel_victim = evq_cancel(c->q, c->victim);
        c->cancel_self = evq_cancel(c->q, c->self);
        evq_push(c->q, 15, fn_canceller, c, 4);    /* and schedule more */
    }
}

static void test_evq_cancel_from_callback(void **state)
{
    (void)state;
    cb_ctx c = { .q = setup_q() };
    c.self = evq_push(c.q, 10, fn_canceller, &c, 1);
    c.victim = evq_push(c.q, 20, fn_canceller, &c, 2);
    evq_push(c.q, 30, fn_canceller, &c, 3);
    evq_event ev;
    while (evq_pop(c.q, &ev))
        ev.fn(ev.ctx, ev.arg);
    assert_true(c.cancel_victim);
    assert_false(c.cancel_self);       /* it was running: not pending */
    assert_int_equal(c.nran, 3);
    assert_int_equal(c.ran[0], 1);
    assert_int_equal(c.ran[1], 4);
    assert_int_equal(c.ran[2], 3);
    evq_free(c.q);
}

/* Many slots freed and reused with interleaved cancels: every id handed
 * out stays unique while pending, and len tracks the live count. */
static void test_evq_slot_reuse_keeps_len(void **state)
{
    (void)state;
    evq *q = setup_q();
    evq_id ids[200];
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 200; i++)
            ids[i] = evq_push(q, (uint64_t)(round * 1000 + i), fn_a, NULL, (uint64_t)i);
        for (int i = 0; i < 200; i += 2)
            assert_true(evq_cancel(q, ids[i]));
        assert_int_equal(evq_len(q), 100);
        evq_event ev;
        int n = 0;
        while (evq_pop(q, &ev)) {
            assert_int_equal(ev.arg % 2, 1);   /* only odd ones survived */
            n++;
        }
        assert_int_equal(n, 100);
        for (int i = 0; i < 200; i++)
            assert_false(evq_pending(q, ids[i]));
    }
    evq_free(q);
}

typedef struct ref_ev {
    uint64_t at, seq;
    bool cancelled;
} ref_ev;

static int ref_cmp(const void *a, const void *b)
{
    const ref_ev *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Random pushes (many equal times) with random cancels, popped in order,
 * compared with a reference sort by (time, push order). */
static void test_evq_random_matches_reference_sort(void **state)
{
    (void)state;
    enum { N = 20000 };
    rng r;
    rng_seed(&r, 42);
    evq *q = setup_q();
    ref_ev *ref = calloc(N, sizeof *ref);
    evq_id *ids = calloc(N, sizeof *ids);
    size_t live = 0;
    for (uint64_t i = 0; i < N; i++) {
        ref[i] = (ref_ev){ .at = rng_below(&r, 500), .seq = i };
        ids[i] = evq_push(q, ref[i].at, fn_a, NULL, i);
        live++;
    }
    for (int k = 0; k < N / 4; k++) {
        size_t i = (size_t)rng_below(&r, N);
        bool was = !ref[i].cancelled;
        assert_int_equal(evq_cancel(q, ids[i]), was);
        if (was) live--;
        ref[i].cancelled = true;
    }
    assert_int_equal(evq_len(q), live);
    qsort(ref, N, sizeof *ref, ref_cmp);
    size_t j = 0;
    evq_event ev;
    while (evq_pop(q, &ev)) {
        while (j < N && ref[j].cancelled) j++;
        assert_true(j < N);
        assert_int_equal(ev.arg, ref[j].seq);
        assert_int_equal(ev.at_us, ref[j].at);
        j++;
    }
    while (j < N && ref[j].cancelled) j++;
    assert_int_equal(j, N);
    free(ref);
    free(ids);
    evq_free(q);
}

/* Pops interleaved with pushes never go back in time for events pushed at
 * or after the last popped time (the simulator's usage). */
static void test_evq_interleaved_push_pop_monotonic(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 7);
    evq *q = setup_q();
    uint64_t now = 0;
    for (int i = 0; i < 64; i++)
        evq_push(q, rng_below(&r, 100), fn_a, NULL, 0);
    evq_event ev;
    int pops = 0;
    while (pops < 50000 && evq_pop(q, &ev)) {
        assert_true(ev.at_us >= now);
        now = ev.at_us;
        pops++;
        int k = (int)rng_below(&r, 3);     /* 0..2 new events per pop */
        for (int i = 0; i < k && pops < 40000; i++)
            evq_push(q, now + rng_below(&r, 50), fn_a, NULL, 0);
    }
    assert_true(pops > 1000);
    evq_free(q);
}

/* Cancelling most events (the re-armed timeout pattern) sweeps them out
 * early; order, length and ids must be unaffected by the sweep. */
static void test_evq_mass_cancel_keeps_order(void **state)
{
    (void)state;
    enum { N = 5000 };
    rng r;
    rng_seed(&r, 9);
    evq *q = setup_q();
    static evq_id ids[N];
    static uint64_t at[N];
    for (int i = 0; i < N; i++) {
        at[i] = rng_below(&r, 1000);
        ids[i] = evq_push(q, at[i], fn_a, NULL, (uint64_t)i);
    }
    for (int i = 0; i < N; i++)
        if (i % 10 != 3) assert_true(evq_cancel(q, ids[i]));
    assert_int_equal(evq_len(q), N / 10);
    for (int i = 0; i < N; i++)
        assert_int_equal(evq_pending(q, ids[i]), i % 10 == 3);
    /* freed slots are reused; the old ids must stay dead */
    evq_id extra = evq_push(q, 500, fn_a, NULL, N);
    for (int i = 0; i < N; i++)
        if (i % 10 != 3) assert_false(evq_cancel(q, ids[i]));
    assert_true(evq_pending(q, extra));
    evq_event ev;
    uint64_t last_at = 0, last_arg = 0;
    int n = 0;
    bool first = true;
    while (evq_pop(q, &ev)) {
        assert_true(ev.arg == N || ev.arg % 10 == 3);
        if (ev.arg < N) assert_int_equal(ev.at_us, at[ev.arg]);
        /* (time, push order): equal times come out in push order */
        assert_true(first || ev.at_us > last_at ||
                    (ev.at_us == last_at && ev.arg > last_arg));
        first = false;
        last_at = ev.at_us;
        last_arg = ev.arg;
        n++;
    }
    assert_int_equal(n, N / 10 + 1);
    evq_free(q);
}

/* Sequence numbers are 32 bits and renumbered before they wrap: events
 * at one instant still come out in push order across the wrap, and
 * earlier times first. */
static void test_evq_seq_wrap_keeps_push_order(void **state)
{
    (void)state;
    evq *q = setup_q();
    for (uint64_t i = 0; i < 4; i++) evq_push(q, 10, fn_a, NULL, i);
    evq_push(q, 5, fn_a, NULL, 100);
    evq_seq_skip(q, UINT32_MAX - 2);
    for (uint64_t i = 4; i < 12; i++) evq_push(q, i % 2 ? 10 : 20, fn_a, NULL, i);
    const uint64_t want[] = { 100, 0, 1, 2, 3, 5, 7, 9, 11, 4, 6, 8, 10 };
    evq_event ev;
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        assert_true(evq_pop(q, &ev));
        assert_int_equal(ev.arg, want[k]);
    }
    assert_false(evq_pop(q, &ev));
    evq_free(q);
}

/* The simulator's mix: replies a millisecond or two away, parked fetches
 * half a second away, request timeouts tens of seconds away, quiet gaps
 * longer than the ring of bands, cancels; each pop must be the earliest
 * live (time, push order) of a brute-force reference, whichever band,
 * bucket or far heap the event waited in. */
static void test_evq_bands_match_reference(void **state)
{
    (void)state;
    enum { MAX = 4000, STEPS = 30000 };
    typedef struct pend { uint64_t at, seq; evq_id id; bool gone; } pend;
    pend *p = calloc(MAX * 8, sizeof *p);
    size_t np = 0;
    rng r;
    rng_seed(&r, 2026);
    evq *q = setup_q();
    uint64_t now = 0, seq = 0;
    for (int step = 0; step < STEPS; step++) {
        int pushes = (int)rng_below(&r, 4);  /* the queue grows */
        for (int k = 0; k < pushes && np < MAX * 8; k++) {
            uint64_t d, c = rng_below(&r, 10);
            if (c < 5) d = rng_below(&r, 3000);
            else if (c < 8) d = 400000 + rng_below(&r, 200000);
            else if (c < 9) d = 20000000 + rng_below(&r, 20000000);
            else d = 0;
            p[np] = (pend){ now + d, seq, evq_push(q, now + d, fn_a, NULL, seq), false };
            seq++;
            np++;
        }
        if (np && rng_below(&r, 4) == 0) {
            size_t i = (size_t)rng_below(&r, np);
            assert_int_equal(evq_cancel(q, p[i].id), !p[i].gone);
            p[i].gone = true;
        }
        /* now and then most are cancelled: the sweep runs over the near
         * heap, the ring and the far heap */
        if (step % 5000 == 4999)
            for (size_t i = 0; i < np; i++)
                if (!p[i].gone && rng_below(&r, 10) < 9) {
                    assert_true(evq_cancel(q, p[i].id));
                    p[i].gone = true;
                }
        /* the reference: the earliest live (at, seq) */
        size_t best = np;
        for (size_t i = 0; i < np; i++)
            if (!p[i].gone && (best == np || p[i].at < p[best].at ||
                               (p[i].at == p[best].at && p[i].seq < p[best].seq)))
                best = i;
        evq_event ev;
        if (best == np) {
            assert_false(evq_pop(q, &ev));
            now += 3000000;                 /* a quiet gap past the ring */
            continue;
        }
        uint64_t t;
        assert_true(evq_peek_time(q, &t));
        assert_int_equal(t, p[best].at);
        assert_true(evq_pop(q, &ev));
        assert_int_equal(ev.arg, p[best].seq);
        assert_int_equal(ev.at_us, p[best].at);
        now = ev.at_us;
        p[best] = p[--np];
    }
    free(p);
    evq_free(q);
}

static void test_evq_free_null(void **state)
{
    (void)state;
    evq_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evq_orders_by_time_then_sequence),
        cmocka_unit_test(test_evq_ids_nonzero_and_distinct),
        cmocka_unit_test(test_evq_cancel_skips_event),
        cmocka_unit_test(test_evq_cancel_fired_or_unknown_is_false),
        cmocka_unit_test(test_evq_stale_id_does_not_cancel_reused_slot),
        cmocka_unit_test(test_evq_cancel_from_callback),
        cmocka_unit_test(test_evq_slot_reuse_keeps_len),
        cmocka_unit_test(test_evq_random_matches_reference_sort),
        cmocka_unit_test(test_evq_interleaved_push_pop_monotonic),
        cmocka_unit_test(test_evq_mass_cancel_keeps_order),
        cmocka_unit_test(test_evq_seq_wrap_keeps_push_order),
        cmocka_unit_test(test_evq_bands_match_reference),
        cmocka_unit_test(test_evq_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
