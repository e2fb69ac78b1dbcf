/* Unit tests for leader choice (offline, unclean, preferred, controlled
 * shutdown) and the ISR shrink and expand rules. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kafka_elect.h"

static bool alive_set(void *ctx, int id)
{
    const int *dead = ctx;      /* -1 terminated */
    for (int i = 0; dead[i] >= 0; i++)
        if (dead[i] == id) return false;
    return true;
}

static void test_kafka_elect_offline_first_live_isr_in_order(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 103, 101, 102 };
    const int dead[] = { 101, -1 };
    kafka_choice c;
    kafka_elect_offline(rep, 3, isr, 3, false, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, 102);    /* assignment order, not ISR order */
    assert_false(c.unclean);
    assert_int_equal(c.nisr, 2);
    assert_int_equal(c.isr[0], 103);
    assert_int_equal(c.isr[1], 102);
}

static void test_kafka_elect_offline_none_stays_offline(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 101 };
    const int dead[] = { 101, -1 };
    kafka_choice c;
    kafka_elect_offline(rep, 3, isr, 1, false, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, -1);
    assert_int_equal(c.nisr, 1);        /* the last ISR member is kept */
    assert_int_equal(c.isr[0], 101);
}

/* Every ISR member dead at once: ReplicaStateMachine.doRemoveReplicasFromIsr
 * takes them out one broker at a time (ascending ids) and leaves a lone
 * member in place: the ISR is [103], not the whole dead set. */
static void test_kafka_elect_offline_isr_keeps_one_member(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 103, 101 };
    const int dead[] = { 101, 103, -1 };
    kafka_choice c;
    kafka_elect_offline(rep, 3, isr, 2, false, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, -1);
    assert_int_equal(c.nisr, 1);
    assert_int_equal(c.isr[0], 103);
}

static void test_kafka_elect_unclean_takes_first_live(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 101 };
    const int dead[] = { 101, -1 };
    kafka_choice c;
    kafka_elect_offline(rep, 3, isr, 1, true, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, 102);
    assert_true(c.unclean);
    assert_int_equal(c.nisr, 1);
    assert_int_equal(c.isr[0], 102);
}

static void test_kafka_elect_preferred_and_shutdown(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 102, 101 }, isr2[] = { 102 };
    const int dead[] = { -1 };
    kafka_choice c;
    kafka_elect_preferred(rep, 3, isr, 2, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, 101);
    kafka_elect_preferred(rep, 3, isr2, 1, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, -1);     /* preferred not in ISR */
    kafka_elect_shutdown(rep, 3, isr, 2, 101, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, 102);
    assert_int_equal(c.nisr, 1);
    assert_int_equal(c.isr[0], 102);
    kafka_elect_shutdown(rep, 3, isr2, 1, 102, alive_set, (void *)dead, &c);
    assert_int_equal(c.leader, -1);     /* nobody else in the ISR */
}

static void test_kafka_isr_shrink_and_expand(void **state)
{
    (void)state;
    const uint64_t lag = 30000000;
    /* behind the leader's LEO (7 of 9) */
    assert_false(kafka_isr_should_drop(7, 9, 40000000, 10000000, lag));   /* 30 s */
    assert_true(kafka_isr_should_drop(7, 9, 40000001, 10000000, lag));
    assert_false(kafka_isr_should_drop(7, 9, 5, 10, lag));
    /* Partition.isFollowerOutOfSync: a follower with the leader's LEO is
     * in sync however long it has not fetched (idle topic) */
    assert_false(kafka_isr_should_drop(9, 9, 400000000, 10000000, lag));
    /* a new leader knows no follower LEO yet (-1): time decides */
    assert_true(kafka_isr_should_drop(-1, 0, 40000001, 10000000, lag));
    assert_true(kafka_isr_can_join(10, 10, 8));
    assert_false(kafka_isr_can_join(9, 10, 8));     /* below the HW */
    assert_false(kafka_isr_can_join(10, 10, 11));   /* before the epoch start */
    /* caught up now */
    assert_int_equal(kafka_caught_up_time(50, 50, 900, 40, 500, 100), 900);
    /* reached what the leader had at its previous fetch */
    assert_int_equal(kafka_caught_up_time(45, 50, 900, 40, 500, 100), 500);
    /* still behind */
    assert_int_equal(kafka_caught_up_time(30, 50, 900, 40, 500, 100), 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_elect_offline_first_live_isr_in_order),
        cmocka_unit_test(test_kafka_elect_offline_none_stays_offline),
        cmocka_unit_test(test_kafka_elect_offline_isr_keeps_one_member),
        cmocka_unit_test(test_kafka_elect_unclean_takes_first_live),
        cmocka_unit_test(test_kafka_elect_preferred_and_shutdown),
        cmocka_unit_test(test_kafka_isr_shrink_and_expand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
