/* Unit tests for replica assignment: FIDELITY's n=5 table, Kafka's own
 * rack-aware example, rack spread with fewer racks than replicas, and the
 * errors a learner sees (RF above the broker count, mixed racks). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <cmocka.h>

#include "kafka_assign.h"

static void test_kafka_assign_fidelity_table(void **state)
{
    (void)state;
    const int ids[] = { 104, 101, 105, 103, 102 };   /* sorted inside */
    int out[6 * 3];
    assert_int_equal(kafka_assign(ids, NULL, 5, 6, 3, 0, 0, out), KASSIGN_OK);
    const int want[6][3] = {
        { 101, 102, 103 }, { 102, 103, 104 }, { 103, 104, 105 },
        { 104, 105, 101 }, { 105, 101, 102 }, { 101, 103, 104 },
    };
    for (int p = 0; p < 6; p++)
        for (int j = 0; j < 3; j++) assert_int_equal(out[p * 3 + j], want[p][j]);
}

static void test_kafka_assign_start_and_shift_move_replicas(void **state)
{
    (void)state;
    const int ids[] = { 1, 2, 3, 4, 5 };
    int out[2 * 3];
    assert_int_equal(kafka_assign(ids, NULL, 5, 2, 3, 2, 1, out), KASSIGN_OK);
    /* p0: first = 2 -> broker 3; then (2+1+(1+0)%4)%5 = 4 -> 5, then 0 -> 1 */
    assert_int_equal(out[0], 3);
    assert_int_equal(out[1], 5);
    assert_int_equal(out[2], 1);
    assert_int_equal(out[3], 4);
}

static void test_kafka_assign_rack_aware_kafka_example(void **state)
{
    (void)state;
    const int ids[] = { 0, 1, 2, 3, 4, 5 };
    const char *racks[] = { "rack1", "rack3", "rack3", "rack2", "rack2", "rack1" };
    int out[7 * 3];
    assert_int_equal(kafka_assign(ids, racks, 6, 7, 3, 0, 0, out), KASSIGN_OK);
    const int want[7][3] = {
        { 0, 3, 1 }, { 3, 1, 5 }, { 1, 5, 4 }, { 5, 4, 2 },
        { 4, 2, 0 }, { 2, 0, 3 }, { 0, 4, 2 },
    };
    for (int p = 0; p < 7; p++)
        for (int j = 0; j < 3; j++) assert_int_equal(out[p * 3 + j], want[p][j]);
}

static void test_kafka_assign_rack_aware_spreads_two_racks(void **state)
{
    (void)state;
    const int ids[] = { 101, 102, 103, 104 };
    const char *racks[] = { "a", "a", "b", "b" };
    int out[8 * 3];
    for (int start = 0; start < 4; start++) {
        assert_int_equal(kafka_assign(ids, racks, 4, 8, 3, start, start, out),
                         KASSIGN_OK);
        for (int p = 0; p < 8; p++) {
            int *r = out + p * 3;
            bool a = false, b = false;
            for (int j = 0; j < 3; j++) {
                a |= r[j] <= 102;
                b |= r[j] >= 103;
                for (int k = 0; k < j; k++) assert_int_not_equal(r[j], r[k]);
            }
            assert_true(a && b);    /* both racks hold a replica */
        }
    }
}

static void test_kafka_assign_errors(void **state)
{
    (void)state;
    const int ids[] = { 101, 102, 103 };
    const char *mixed[] = { "a", NULL, "b" };
    int out[16];
    assert_int_equal(kafka_assign(ids, NULL, 3, 1, 4, 0, 0, out),
                     KASSIGN_INVALID_REPLICATION_FACTOR);
    assert_string_equal(kafka_assign_err_name(KASSIGN_INVALID_REPLICATION_FACTOR),
                        "INVALID_REPLICATION_FACTOR");
    assert_int_equal(kafka_assign(ids, NULL, 3, 1, 0, 0, 0, out),
                     KASSIGN_INVALID_REPLICATION_FACTOR);
    assert_int_equal(kafka_assign(ids, NULL, 3, 0, 1, 0, 0, out),
                     KASSIGN_INVALID_PARTITIONS);
    /* AdminUtils.assignReplicasToBrokers: "Not all brokers have rack
     * information", an AdminOperationException, not an ApiException: the
     * CreateTopics answer is UNKNOWN_SERVER_ERROR (Errors.forException) */
    assert_int_equal(kafka_assign(ids, mixed, 3, 1, 2, 0, 0, out),
                     KASSIGN_PARTIAL_RACKS);
    assert_string_equal(kafka_assign_err_name(KASSIGN_PARTIAL_RACKS),
                        "UNKNOWN_SERVER_ERROR");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_assign_fidelity_table),
        cmocka_unit_test(test_kafka_assign_start_and_shift_move_replicas),
        cmocka_unit_test(test_kafka_assign_rack_aware_kafka_example),
        cmocka_unit_test(test_kafka_assign_rack_aware_spreads_two_racks),
        cmocka_unit_test(test_kafka_assign_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
