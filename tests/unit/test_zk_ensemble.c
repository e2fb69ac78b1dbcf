/* Ensemble behaviour a learner sees, driven in C on a simulated world:
 * elections in ensembles of 1 to 7, who wins, epochs, failover, quorum
 * loss. The invariant checker watches every run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "zk_testlib.h"

static void no_violation(zk_world *w)
{
    if (zk_checker_violations(w->chk)) fail_msg("%s", zk_checker_first(w->chk));
}

static void elect_n(int n)
{
    zk_world w;
    zw_init(&w, n, 7, NULL);
    int l = zw_wait_leader(&w, 3000);
    assert_int_equal(l, n);             /* equal logs: the highest id leads */
    zw_run_ms(&w, 500);
    assert_int_equal(zw_count_state(&w, ZK_FOLLOWING), n - 1);
    zk_server_info in = zw_info(&w, l);
    assert_int_equal(in.epoch, 1);
    assert_int_equal(in.last_zxid, 0x100000000ull);
    no_violation(&w);
    zw_free(&w);
}

static void test_zk_ensemble_elect_1(void **st) { (void)st; elect_n(1); }
static void test_zk_ensemble_elect_3(void **st) { (void)st; elect_n(3); }
static void test_zk_ensemble_elect_4(void **st) { (void)st; elect_n(4); }
static void test_zk_ensemble_elect_5(void **st) { (void)st; elect_n(5); }
static void test_zk_ensemble_elect_7(void **st) { (void)st; elect_n(7); }

/* QuorumPeer.ZabState: a server the election made a follower goes
 * DISCOVERY, SYNCHRONIZATION, BROADCAST in that order (Follower.
 * followLeader); its epoch is still the old one until its leader's
 * NEWLEADER, and it serves only in BROADCAST. A leader goes the same way
 * (Leader.lead). The dashboard showed "FOLLOWING epoch 0" with nothing
 * saying why. */
static void test_zk_ensemble_zab_states_after_election(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 6, NULL);
    zk_zab_state was[3] = { ZAB_ELECTION, ZAB_ELECTION, ZAB_ELECTION };
    bool seen_discovery[3] = { false }, seen_sync[3] = { false };
    while (sim_now_us(w.s) < 2000000 && sim_step(w.s)) {
        for (int sid = 1; sid <= 3; sid++) {
            zk_server_info in = zw_info(&w, sid);
            if (in.state == ZK_LOOKING) assert_int_equal(in.zab, ZAB_ELECTION);
            if (in.state != ZK_FOLLOWING && in.state != ZK_LEADING) continue;
            assert_true(in.zab >= was[sid - 1]);        /* never back */
            assert_true(in.zab != ZAB_ELECTION);
            was[sid - 1] = in.zab;
            if (in.zab == ZAB_DISCOVERY) {
                seen_discovery[sid - 1] = true;
                assert_int_equal(in.epoch, 0);          /* the old epoch */
            }
            if (in.zab == ZAB_SYNCHRONIZATION) seen_sync[sid - 1] = true;
            if (in.state == ZK_FOLLOWING && in.serving) assert_int_equal(in.zab, ZAB_BROADCAST);
        }
    }
    for (int sid = 1; sid <= 3; sid++) {
        zk_server_info in = zw_info(&w, sid);
        assert_int_equal(in.zab, ZAB_BROADCAST);
        assert_int_equal(in.epoch, 1);
        assert_true(in.serving);
        assert_true(seen_discovery[sid - 1] && seen_sync[sid - 1]);
    }
    assert_string_equal(zk_zab_state_name(ZAB_SYNCHRONIZATION), "SYNCHRONIZATION");
    zw_free(&w);
}

/* Killing the leader: a new one serves within a second, in a new epoch. */
static void test_zk_ensemble_leader_crash(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 5, 3, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 5);
    uint32_t epoch = zw_info(&w, 5).epoch;
    for (int killed = 5; killed >= 4; killed--) {
        uint64_t t0 = sim_now_us(w.s);
        sim_crash(w.s, w.nodes[killed - 1]);
        int l = zw_wait_leader(&w, 5000);
        assert_int_equal(l, killed - 1);
        assert_true(sim_now_us(w.s) - t0 < 1000000);
        assert_int_equal(zw_info(&w, l).epoch, epoch + 1);
        epoch++;
    }
    /* a third failure of five leaves no quorum */
    sim_crash(w.s, w.nodes[2]);
    zw_run_ms(&w, 30000);
    assert_int_equal(zw_leader(&w), 0);
    assert_int_equal(zw_count_state(&w, ZK_LOOKING), 2);
    /* back to three: service resumes */
    sim_restart(w.s, w.nodes[4]);
    assert_true(zw_wait_leader(&w, 5000) != 0);
    no_violation(&w);
    zw_free(&w);
}

/* 4 servers tolerate one failure, like 3, but not two. */
static void test_zk_ensemble_four_tolerate_one(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 4, 5, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 4);
    sim_crash(w.s, w.nodes[3]);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    sim_crash(w.s, w.nodes[2]);
    zw_run_ms(&w, 30000);
    assert_int_equal(zw_leader(&w), 0);
    no_violation(&w);
    zw_free(&w);
}

/* Isolating the leader: the majority elects, the old leader steps down
 * after syncLimit ticks ("Not sufficient followers synced"). */
static void test_zk_ensemble_minority_partition(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 5, 9, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 5);
    int groups[16];
    for (int i = 0; i < sim_node_count(w.s); i++) groups[i] = 0;
    groups[w.nodes[4]] = 1;
    groups[w.nodes[3]] = 1;
    net_split(sim_net(w.s), groups, sim_node_count(w.s));
    zw_run_ms(&w, 2 * 5 * 2000 + 2000);
    assert_int_equal(zw_info(&w, 5).state, ZK_LOOKING);
    assert_false(zw_info(&w, 5).serving);
    assert_false(zw_info(&w, 4).serving);
    assert_int_equal(zw_leader(&w), 3);
    net_heal(sim_net(w.s));
    /* their notification interval grew while cut off (up to 60 s) */
    zw_run_ms(&w, 65000);
    assert_int_equal(zw_leader(&w), 3);
    assert_int_equal(zw_count_state(&w, ZK_FOLLOWING), 4);
    no_violation(&w);
    zw_free(&w);
}

/* A restarted follower rejoins the sitting leader (no new epoch). */
static void test_zk_ensemble_restart_joins_leader(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 11, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    sim_crash(w.s, w.nodes[0]);
    zw_run_ms(&w, 1000);
    sim_restart(w.s, w.nodes[0]);
    zw_run_ms(&w, 2000);
    assert_int_equal(zw_info(&w, 1).state, ZK_FOLLOWING);
    assert_int_equal(zw_info(&w, 1).leader_sid, 3);
    assert_int_equal(zw_info(&w, 3).epoch, 1);
    no_violation(&w);
    zw_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zk_ensemble_elect_1),
        cmocka_unit_test(test_zk_ensemble_elect_3),
        cmocka_unit_test(test_zk_ensemble_elect_4),
        cmocka_unit_test(test_zk_ensemble_elect_5),
        cmocka_unit_test(test_zk_ensemble_elect_7),
        cmocka_unit_test(test_zk_ensemble_zab_states_after_election),
        cmocka_unit_test(test_zk_ensemble_leader_crash),
        cmocka_unit_test(test_zk_ensemble_four_tolerate_one),
        cmocka_unit_test(test_zk_ensemble_minority_partition),
        cmocka_unit_test(test_zk_ensemble_restart_joins_leader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
