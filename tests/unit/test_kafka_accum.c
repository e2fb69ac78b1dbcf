/* Unit tests for the producer's partitioner and accumulator: murmur2 on
 * Kafka's own vectors (UtilsTest.testMurmur2), DefaultPartitioner's
 * keyed choice, StickyPartitionCache.nextPartition's rule, record sizes
 * as the v2 format counts them, and batches filling up to batch.size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "kafka_accum.h"

static void test_kafka_accum_murmur2_kafka_vectors(void **state)
{
    (void)state;
    static const struct { const char *s; int32_t h; } v[] = {
        { "21", -973932308 },
        { "foobar", -790332482 },
        { "a-little-bit-long-string", -985981536 },
        { "a-little-bit-longer-string", -1486304829 },
        { "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971 },
        { "abc", 479470107 },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_int_equal(kafka_murmur2(v[i].s, strlen(v[i].s)), v[i].h);
}

static void test_kafka_accum_key_partition_is_positive_modulo(void **state)
{
    (void)state;
    /* murmur2("21") is negative: toPositive masks the sign bit, it does
     * not negate (Utils.toPositive) */
    uint32_t pos = (uint32_t)-973932308 & 0x7fffffffu;
    for (int n = 1; n <= 12; n++)
        assert_int_equal(kafka_key_partition("21", 2, n), (int)(pos % (uint32_t)n));
    assert_int_equal(kafka_key_partition("b", 1, 3), 2);    /* the example */
}

static void test_kafka_accum_sticky_next_rule(void **state)
{
    (void)state;
    rng r;
    rng_seed(&r, 7);
    bool all[4] = { true, true, true, true };
    for (int i = 0; i < 200; i++) {
        int p = kafka_sticky_next(&r, all, 4, 2, 2);
        assert_true(p >= 0 && p < 4 && p != 2);             /* never the one just used */
    }
    assert_int_equal(kafka_sticky_next(&r, all, 4, 3, 1), 3);   /* moved already: kept */
    bool one[4] = { false, false, true, false };
    assert_int_equal(kafka_sticky_next(&r, one, 4, 2, 2), 2);   /* the only one */
    assert_int_equal(kafka_sticky_next(&r, one, 4, -1, -1), 2);
    bool two[4] = { true, false, false, true };
    for (int i = 0; i < 50; i++)
        assert_int_equal(kafka_sticky_next(&r, two, 4, 0, 0), 3);  /* leaders only */
    bool none[4] = { false, false, false, false };
    int p = kafka_sticky_next(&r, none, 4, 1, 1);
    assert_true(p >= 0 && p < 4);                           /* any, at random */
}

static void test_kafka_accum_record_sizes(void **state)
{
    (void)state;
    /* body: attributes 1, offset delta 1, timestamp delta 1, null key 1,
     * value length 1 + 2 bytes, header count 1 = 8; plus its length 1 */
    assert_int_equal(kafka_record_size(0, -1, 2), 9);
    assert_int_equal(kafka_record_size(64, -1, 2), 10);    /* varint 64 takes 2 */
    /* the bound max.request.size is checked against: 61 + 21 + fields */
    assert_int_equal(kafka_record_upper_bound(-1, 2), 61 + 21 + 1 + 3 + 1);
    assert_int_equal(kafka_record_upper_bound(3, 100 * 1024 * 1024),
                     61 + 21 + 4 + 4 + 100 * 1024 * 1024 + 1);
}

static void test_kafka_accum_batches_fill_to_batch_size(void **state)
{
    (void)state;
    kacc *a = kacc_new(2, 16384);
    /* the first append makes nothing while the partitioner may move */
    assert_int_equal(kacc_append(a, 0, 0, -1, 100, 0, true), 0);
    assert_int_equal(kacc_append(a, 0, 0, -1, 100, 0, false), 2);
    int n = 1;
    while (kacc_append(a, 0, n, -1, 100, 0, true) == 1) n++;
    /* 61 + records of 109 bytes (110 from offset delta 64: zig-zag
     * varints) reach 16277; the 149th would pass 16384 */
    assert_int_equal(n, 148);
    assert_int_equal(kacc_first(a, 0)->bytes, 16277);
    kbatch *b = kacc_first(a, 0);
    assert_true(b->closed);
    assert_int_equal(kacc_queued(a, 0), 1);
    assert_int_equal(kacc_append(a, 0, n, -1, 100, 0, false), 2);
    assert_int_equal(kacc_queued(a, 0), 2);
    assert_null(kacc_first(a, 1));
    kbatch_free(kacc_pop(a, 0));
    kacc_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_accum_murmur2_kafka_vectors),
        cmocka_unit_test(test_kafka_accum_key_partition_is_positive_modulo),
        cmocka_unit_test(test_kafka_accum_sticky_next_rule),
        cmocka_unit_test(test_kafka_accum_record_sizes),
        cmocka_unit_test(test_kafka_accum_batches_fill_to_batch_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
