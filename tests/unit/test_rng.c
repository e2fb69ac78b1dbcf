/* Unit tests for the seeded PRNG: reproducibility, bounds, uniformity
 * (checked with integer arithmetic only), integer-ratio chances and the
 * independence of forked streams. Seeds are fixed, so each check is
 * deterministic: a broken generator fails it every time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "rng.h"

static void test_rng_same_seed_same_stream(void **state)
{
    (void)state;
    rng a, b;
    rng_seed(&a, 12345);
    rng_seed(&b, 12345);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(rng_next(&a), rng_next(&b));
}

static void test_rng_different_seeds_differ(void **state)
{
    (void)state;
    /* neighbouring seeds, including 0, must give unrelated streams */
    for (uint64_t seed = 0; seed < 16; seed++) {
        rng a, b;
        rng_seed(&a, seed);
        rng_seed(&b, seed + 1);
        int same = 0;
        for (int i = 0; i < 64; i++)
            same += rng_next(&a) == rng_next(&b);
        assert_int_equal(same, 0);
    }
}

/* Seed 0 must not leave the state all zero (xoshiro would then emit
 * zeros for ever). */
static void test_rng_seed_zero_not_stuck(void **state)
{
    (void)state;
    rng a;
    rng_seed(&a, 0);
    assert_true((a.s[0] | a.s[1] | a.s[2] | a.s[3]) != 0);
    uint64_t prev = rng_next(&a);
    int zeros = prev == 0, repeats = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = rng_next(&a);
        zeros += x == 0;
        repeats += x == prev;
        prev = x;
    }
    assert_int_equal(zeros, 0);
    assert_int_equal(repeats, 0);
}

/* Chi-square over 16 buckets, computed in integers: sum (o-e)^2 / e must
 * stay under 40 (15 degrees of freedom; p < 0.001 is about 37.7). */
static void chi_square_below(rng *r, uint64_t n, int buckets, int draws)
{
    uint64_t counts[64] = { 0 };
    assert_true(buckets <= 64);
    for (int i = 0; i < draws; i++) {
        uint64_t x = rng_below(r, n);
        assert_true(x < n);
        counts[x % (uint64_t)buckets]++;
    }
    int64_t e = draws / buckets;
    int64_t sum = 0;
    for (int b = 0; b < buckets; b++) {
        int64_t d = (int64_t)counts[b] - e;
        sum += d * d;
    }
    /* sum/e < 40  <=>  sum < 40 e */
    assert_true(sum < 40 * e);
}

static void test_rng_below_bounds_and_uniformity(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 99);
    chi_square_below(&r, 16, 16, 160000);
    chi_square_below(&r, 16 * 1000003ULL, 16, 160000);
    for (uint64_t n = 1; n < 50; n++)
        for (int i = 0; i < 200; i++)
            assert_true(rng_below(&r, n) < n);
    assert_int_equal(rng_below(&r, 1), 0);
}

/* With n = 3/4 of 2^64, a plain modulo would make [0, 2^62) twice as
 * likely as the rest (a half instead of a third): rejection prevents it. */
static void test_rng_below_unbiased_for_huge_n(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 5);
    const uint64_t n = 0xC000000000000000ULL;
    int low = 0, draws = 30000;
    for (int i = 0; i < draws; i++) {
        uint64_t x = rng_below(&r, n);
        assert_true(x < n);
        low += x < (1ULL << 62);
    }
    /* expected 10000; biased would be 15000; allow 5 sigma (~410) */
    assert_in_range(low, 9500, 10500);
}

static void test_rng_range_inclusive(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 3);
    bool seen_lo = false, seen_hi = false;
    for (int i = 0; i < 2000; i++) {
        uint64_t x = rng_range(&r, 500, 504);
        assert_in_range(x, 500, 504);
        seen_lo |= x == 500;
        seen_hi |= x == 504;
    }
    assert_true(seen_lo && seen_hi);
    assert_int_equal(rng_range(&r, 7, 7), 7);
    /* the full range is allowed and must not trap */
    uint64_t a = rng_range(&r, 0, UINT64_MAX), b = rng_range(&r, 0, UINT64_MAX);
    assert_true(a != b);
}

static void test_rng_chance_extremes(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 8);
    for (int i = 0; i < 10000; i++) {
        assert_false(rng_chance(&r, 0, 1000000));
        assert_true(rng_chance(&r, 1000000, 1000000));
        assert_true(rng_chance(&r, 7, 3));     /* num >= den: always */
        assert_false(rng_chance(&r, 0, 1));
    }
}

static void test_rng_chance_ratio(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 11);
    int hits = 0, draws = 100000;
    for (int i = 0; i < draws; i++)
        hits += rng_chance(&r, 250000, 1000000);
    /* expected 25000, sigma ~137: allow about 5 sigma */
    assert_in_range(hits, 24300, 25700);
    hits = 0;
    for (int i = 0; i < draws; i++)
        hits += rng_chance(&r, 1, 1000);
    assert_in_range(hits, 50, 150);            /* expected 100 */
}

static void test_rng_fork_independent(void **state)
{
    (void)state;
    rng p1, p2;
    rng_seed(&p1, 77);
    rng_seed(&p2, 77);
    rng c1 = rng_fork(&p1);
    rng c2 = rng_fork(&p2);
    /* forking is deterministic */
    for (int i = 0; i < 100; i++)
        assert_int_equal(rng_next(&c1), rng_next(&c2));
    /* drawing from a child leaves the parent's stream alone */
    for (int i = 0; i < 100; i++)
        assert_int_equal(rng_next(&p1), rng_next(&p2));
    /* two forks and the parent all give different streams */
    rng a = rng_fork(&p1), b = rng_fork(&p1);
    int same_ab = 0, same_ap = 0;
    for (int i = 0; i < 64; i++) {
        uint64_t xa = rng_next(&a), xb = rng_next(&b), xp = rng_next(&p1);
        same_ab += xa == xb;
        same_ap += xa == xp;
    }
    assert_int_equal(same_ab, 0);
    assert_int_equal(same_ap, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_same_seed_same_stream),
        cmocka_unit_test(test_rng_different_seeds_differ),
        cmocka_unit_test(test_rng_seed_zero_not_stuck),
        cmocka_unit_test(test_rng_below_bounds_and_uniformity),
        cmocka_unit_test(test_rng_below_unbiased_for_huge_n),
        cmocka_unit_test(test_rng_range_inclusive),
        cmocka_unit_test(test_rng_chance_extremes),
        cmocka_unit_test(test_rng_chance_ratio),
        cmocka_unit_test(test_rng_fork_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
