/* The fuzzer's own tests: what a seed draws is fixed by the seed and
 * covers the stated ranges, a run is deterministic and exercises its
 * checkers, and the ledger audit bites under unsafe settings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "fuzz_int.h"

static void test_draw_fixed_by_seed(void **state)
{
    (void)state;
    fz_settings a, b, c;
    fz_draw(77, false, &a);
    fz_draw(77, false, &b);
    fz_draw(78, false, &c);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(memcmp(&a, &c, sizeof a) != 0);
}

/* Over many seeds every size in 1..7 and 1..9 and every fault kind shows
 * up, and nothing falls outside its range. */
static void test_draw_ranges(void **state)
{
    (void)state;
    bool zk[8] = { 0 }, br[10] = { 0 }, kinds[FZ_KIND_COUNT] = { 0 };
    bool unclean = false, safe = false;
    for (uint64_t seed = 1; seed <= 2000; seed++) {
        fz_settings st;
        fz_draw(seed, false, &st);
        assert_in_range(st.zookeepers, 1, 7);
        assert_in_range(st.brokers, 1, 9);
        zk[st.zookeepers] = br[st.brokers] = true;
        for (int i = 0; i < st.ntopics; i++) {
            const fz_topic *t = &st.topics[i];
            assert_in_range(t->rf, 1, st.brokers);
            assert_in_range(t->min_isr, 1, t->rf);
            unclean |= t->unclean;
            safe |= !t->unclean && t->min_isr >= 2;
        }
        for (int i = 0; i < st.nfaults; i++) {
            kinds[st.faults[i].kind] = true;
            assert_true(st.faults[i].at_ms < st.safety_ms);
            if (i) assert_true(st.faults[i].at_ms >= st.faults[i - 1].at_ms);
        }
    }
    for (int i = 1; i <= 7; i++) assert_true(zk[i]);
    for (int i = 1; i <= 9; i++) assert_true(br[i]);
    for (int k = 0; k < FZ_KIND_COUNT; k++) assert_true(kinds[k]);
    assert_true(unclean && safe);
}

static void test_unsafe_draw(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 200; seed++) {
        fz_settings st;
        fz_draw(seed, true, &st);
        for (int i = 0; i < st.ntopics; i++) {
            assert_int_equal(st.topics[i].min_isr, 1);
            assert_true(st.topics[i].unclean);
        }
        for (int i = 0; i < st.nproducers; i++) assert_int_equal(st.acks[i], -1);
    }
}

static void test_run_deterministic(void **state)
{
    (void)state;
    fuzz_result a, b;
    fuzz_seed(42, false, &a);
    fuzz_seed(42, false, &b);
    assert_memory_equal(&a, &b, sizeof a);
    assert_true(a.zk_writes > 0);
    assert_true(a.acked > 0);
    assert_true(a.sim_ms > 0);
    assert_non_null(strstr(a.settings, "zookeepers"));
}

/* The checkers had something to check: over a few seeds, watched reads,
 * faults and acknowledged records all occur. */
static void test_runs_exercise_checkers(void **state)
{
    (void)state;
    uint64_t reads = 0, faults = 0, acked = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        fuzz_result r;
        fuzz_seed(seed, false, &r);
        reads += r.watch_reads;
        faults += r.faults;
        acked += r.acked;
    }
    assert_true(reads > 0 && faults > 0 && acked > 0);
}

/* A broker joins the running world in about one seed of three
 * (lab.add_broker): the run passes every checker and its liveness phase
 * demands the controller counts the new broker (BrokerChangeHandler);
 * the other draws of a seed are as before. */
static void test_runs_with_a_broker_joining(void **state)
{
    (void)state;
    int drawn = 0;
    uint64_t joined = 0;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        fz_settings st;
        fz_draw(seed, false, &st);
        if (!st.join) continue;
        drawn++;
        fuzz_result r;
        fuzz_seed(seed, false, &r);
        assert_false(r.failed);
        assert_non_null(strstr(r.settings, "a broker joins"));
        joined += r.joins;
    }
    assert_true(drawn >= 5);
    assert_int_equal(joined, (uint64_t)drawn);
}

/* Unclean election on and min.insync.replicas=1 (acks=all): the audit
 * finds a lost acknowledged record within 400 seeds. */
static void test_unsafe_settings_lose_acked_records(void **state)
{
    (void)state;
    uint64_t found = 0;
    for (uint64_t seed = 1; seed <= 400 && !found; seed++) {
        fuzz_result r;
        fuzz_seed(seed, true, &r);
        if (r.failed && strstr(r.why, "acknowledged record lost")) {
            assert_true(r.lost > 0);
            found = seed;
        }
    }
    print_message("first loss under unsafe settings: seed %llu\n",
                  (unsigned long long)found);
    assert_true(found > 0);
}

/* The KRaft run of a seed (fuzz_kraft.c): deterministic, and over a few
 * seeds its faults force many elections (KafkaRaftClient's Vote rounds)
 * while records keep being committed; every seed passes raft_check and
 * the liveness phase. */
static void test_kraft_runs(void **state)
{
    (void)state;
    fuzz_result a, b;
    uint64_t elections = 0, committed = 0;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        memset(&a, 0, sizeof a);
        fuzz_kraft_seed(seed, NULL, &a);
        if (a.failed) fail_msg("seed %llu: %s", (unsigned long long)seed, a.why);
        elections += a.kraft_elections;
        committed += a.kraft_committed;
    }
    assert_true(elections > 60);        /* at least two a seed */
    assert_true(committed > 1000);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    fuzz_kraft_seed(264, NULL, &a);
    fuzz_kraft_seed(264, NULL, &b);
    /* 264: a stale candidate's Votes kept pushing every other voter's
     * election back until transitionToUnattached kept the deadline */
    assert_false(a.failed);
    assert_int_equal(a.kraft_elections, b.kraft_elections);
    assert_int_equal(a.kraft_committed, b.kraft_committed);
    assert_int_equal(a.sim_ms, b.sim_ms);
    assert_string_equal(a.settings, b.settings);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw_fixed_by_seed),
        cmocka_unit_test(test_draw_ranges),
        cmocka_unit_test(test_unsafe_draw),
        cmocka_unit_test(test_run_deterministic),
        cmocka_unit_test(test_runs_exercise_checkers),
        cmocka_unit_test(test_runs_with_a_broker_joining),
        cmocka_unit_test(test_unsafe_settings_lose_acked_records),
        cmocka_unit_test(test_kraft_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
