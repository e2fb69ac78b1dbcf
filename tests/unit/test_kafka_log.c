/* Unit tests for the replica log: LEO and HW, the leader-epoch cache, the
 * OffsetsForLeaderEpoch answer, and truncation by leader epoch (KIP-101)
 * keeping what truncation to the HW would have lost. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kafka_log.h"

static void fill(kafka_log *l, int32_t epoch, int n)
{
    for (int i = 0; i < n; i++) kafka_log_append(l, epoch, 0, NULL, "v");
}

static void test_kafka_log_leo_hw(void **state)
{
    (void)state;
    kafka_log *l = kafka_log_new();
    assert_int_equal(kafka_log_leo(l), 0);
    assert_int_equal(kafka_log_append(l, 0, 7, "k", "v"), 0);
    fill(l, 0, 2);
    assert_int_equal(kafka_log_leo(l), 3);
    assert_int_equal(kafka_log_set_hw(l, 10), 3);       /* clamped */
    assert_int_equal(kafka_log_get(l, 0)->rid, 7);
    assert_string_equal(kafka_log_get(l, 0)->key, "k");
    assert_null(kafka_log_get(l, 3));
    assert_int_equal(kafka_log_truncate(l, 1), 2);
    assert_int_equal(kafka_log_hw(l), 1);               /* follows down */
    kafka_log_free(l);
}

static void test_kafka_log_epoch_cache(void **state)
{
    (void)state;
    kafka_log *l = kafka_log_new();
    fill(l, 0, 3);          /* 0..2 */
    kafka_log_begin_epoch(l, 1);    /* epoch 1 wrote nothing */
    kafka_log_begin_epoch(l, 2);
    fill(l, 2, 2);          /* 3..4 */
    assert_int_equal(kafka_log_last_epoch(l), 2);
    assert_int_equal(kafka_log_epoch_start(l, 2), 3);
    assert_int_equal(kafka_log_epoch_start(l, 1), -1);  /* replaced */
    int32_t e; int64_t end;
    kafka_log_end_for_epoch(l, 0, &e, &end);
    assert_int_equal(e, 0);
    assert_int_equal(end, 3);
    kafka_log_end_for_epoch(l, 1, &e, &end);            /* unknown: epoch 0 */
    assert_int_equal(e, 0);
    assert_int_equal(end, 3);
    kafka_log_end_for_epoch(l, 5, &e, &end);            /* latest: LEO */
    assert_int_equal(e, 2);
    assert_int_equal(end, 5);
    kafka_log_free(l);
}

/* A follower whose last epoch is older than every epoch the leader knows
 * (the leader became leader of an empty log in epoch 2; the follower led
 * epoch 0 and wrote records nobody fetched): the leader answers that
 * epoch 0 ends where its first epoch starts, and the follower drops
 * everything (Kafka's LeaderEpochFileCache without a floor entry). */
static void test_kafka_log_truncation_epoch_older_than_leader(void **state)
{
    (void)state;
    kafka_log *leader = kafka_log_new(), *old = kafka_log_new();
    kafka_log_begin_epoch(old, 0);
    fill(old, 0, 5);
    kafka_log_begin_epoch(leader, 2);
    int32_t e; int64_t end;
    kafka_log_end_for_epoch(leader, kafka_log_last_epoch(old), &e, &end);
    assert_int_equal(e, 0);
    assert_int_equal(end, 0);
    assert_int_equal(kafka_log_truncation_point(old, e, end), 0);
    kafka_log_free(leader);
    kafka_log_free(old);
}

/* KIP-101's example: the follower has records of epoch 0 beyond its HW
 * that the new leader also has; truncating to its HW would drop them,
 * truncating by epoch keeps them. */
static void test_kafka_log_truncation_by_epoch_keeps_replicated(void **state)
{
    (void)state;
    kafka_log *leader = kafka_log_new(), *follower = kafka_log_new();
    fill(leader, 0, 4);
    fill(follower, 0, 4);
    kafka_log_set_hw(follower, 2);          /* HW lagged behind */
    kafka_log_begin_epoch(leader, 1);       /* leader took over */
    fill(leader, 1, 1);
    int32_t e; int64_t end;
    kafka_log_end_for_epoch(leader, kafka_log_last_epoch(follower), &e, &end);
    assert_int_equal(kafka_log_truncation_point(follower, e, end), 4);
    kafka_log_free(leader);
    kafka_log_free(follower);
}

/* The diverging case: the old leader appended records in epoch 1 that the
 * new leader (epoch 2) never saw; they go. */
static void test_kafka_log_truncation_by_epoch_drops_divergent(void **state)
{
    (void)state;
    kafka_log *old = kafka_log_new(), *nl = kafka_log_new();
    fill(old, 0, 2);
    fill(nl, 0, 2);
    fill(old, 1, 3);            /* acked by old leader alone: 2..4 */
    kafka_log_begin_epoch(nl, 2);
    fill(nl, 2, 1);             /* new leader writes offset 2 */
    int32_t e; int64_t end;
    kafka_log_end_for_epoch(nl, kafka_log_last_epoch(old), &e, &end);
    assert_int_equal(e, 0);
    assert_int_equal(end, 2);
    int64_t at = kafka_log_truncation_point(old, e, end);
    assert_int_equal(at, 2);
    assert_int_equal(kafka_log_truncate(old, at), 3);
    assert_int_equal(kafka_log_last_epoch(old), 0);
    kafka_log_free(old);
    kafka_log_free(nl);
}

static void test_kafka_log_truncation_follower_shorter(void **state)
{
    (void)state;
    kafka_log *leader = kafka_log_new(), *f = kafka_log_new();
    fill(leader, 3, 10);
    fill(f, 3, 4);
    int32_t e; int64_t end;
    kafka_log_end_for_epoch(leader, 3, &e, &end);
    assert_int_equal(kafka_log_truncation_point(f, e, end), 4);  /* keeps all */
    assert_int_equal(kafka_log_truncation_point(f, -1, -1), 4);
    kafka_log_free(leader);
    kafka_log_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_log_leo_hw),
        cmocka_unit_test(test_kafka_log_epoch_cache),
        cmocka_unit_test(test_kafka_log_truncation_epoch_older_than_leader),
        cmocka_unit_test(test_kafka_log_truncation_by_epoch_keeps_replicated),
        cmocka_unit_test(test_kafka_log_truncation_by_epoch_drops_divergent),
        cmocka_unit_test(test_kafka_log_truncation_follower_shorter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
