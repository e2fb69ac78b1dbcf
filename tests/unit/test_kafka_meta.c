/* Unit tests for the interned metadata-cache states: equal states share
 * one handle, a slot set again keeps its value apart from the others'
 * (a broker's cache stays its own), only the used replica and ISR slots
 * count, and released states go. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "kafka_meta.h"

static kafka_pstate state(int leader, int epoch)
{
    kafka_pstate st;
    memset(&st, 0x5a, sizeof st);   /* garbage past nrep and nisr */
    st.leader = leader;
    st.leader_epoch = epoch;
    st.controller_epoch = 1;
    st.zk_version = epoch;
    st.nrep = 3;
    st.nisr = 2;
    for (int i = 0; i < 3; i++) st.replicas[i] = 101 + i;
    st.isr[0] = leader;
    st.isr[1] = 103;
    return st;
}

static void test_kafka_meta_equal_states_share_a_handle(void **state_)
{
    (void)state_;
    kafka_pstate a = state(101, 4), b = state(101, 4);
    memset(&b.replicas[3], 0, sizeof b.replicas - 3 * sizeof b.replicas[0]);
    kmeta x = kmeta_set(0, &a), y = kmeta_set(0, &b);
    assert_int_not_equal(x, 0);
    assert_int_equal(x, y);             /* unused slots do not count */
    assert_int_equal(kmeta_get(x)->leader, 101);
    assert_int_equal(kmeta_get(x)->nrep, 3);
    assert_int_equal(kmeta_get(x)->replicas[2], 103);
    assert_int_equal(kmeta_get(x)->replicas[3], 0);
    kmeta_release(x);
    assert_int_equal(kmeta_get(y)->leader_epoch, 4);    /* y still holds it */
    kmeta_release(y);
}

static void test_kafka_meta_a_slot_set_again_is_its_own(void **state_)
{
    (void)state_;
    kafka_pstate a = state(101, 4), b = state(102, 5);
    kmeta one = kmeta_set(0, &a), two = kmeta_set(0, &a);
    two = kmeta_set(two, &b);           /* one broker learns the new leader */
    assert_int_equal(kmeta_get(one)->leader, 101);
    assert_int_equal(kmeta_get(two)->leader, 102);
    assert_int_equal(kmeta_set(two, &b), two);          /* unchanged: same */
    two = kmeta_set(two, &(kafka_pstate){ 0 });         /* forgotten */
    assert_int_equal(two, 0);
    assert_int_equal(kmeta_get(two)->nrep, 0);
    kmeta_release(one);
    kmeta_release(0);
}

static void test_kafka_meta_many_states(void **state_)
{
    (void)state_;
    enum { N = 5000 };
    static kmeta h[N];
    for (int i = 0; i < N; i++) {
        kafka_pstate st = state(101 + i % 3, i);
        h[i] = kmeta_set(0, &st);
    }
    for (int i = 0; i < N; i += 2) kmeta_release(h[i]);  /* reused later */
    for (int i = 0; i < N; i += 2) {
        kafka_pstate st = state(101, N + i);
        h[i] = kmeta_set(0, &st);
    }
    for (int i = 0; i < N; i++) {
        assert_int_equal(kmeta_get(h[i])->leader_epoch, i % 2 ? i : N + i);
        kmeta_release(h[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_meta_equal_states_share_a_handle),
        cmocka_unit_test(test_kafka_meta_a_slot_set_again_is_its_own),
        cmocka_unit_test(test_kafka_meta_many_states),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
