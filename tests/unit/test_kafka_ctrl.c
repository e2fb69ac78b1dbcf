/* The controller (kafka_ctrl*.c) through a running cluster: a partition
 * whose leader dies gets the first replica in assignment order that is
 * alive and in the ISR (PartitionLeaderElectionAlgorithms.
 * offlinePartitionLeaderElection), an out-of-sync replica only when
 * unclean.leader.election.enable says so, and a controller that lost its
 * session gives way to the next epoch (KafkaController.
 * onControllerResignation; brokers fence the old epoch). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kafka_testlib.h"

static kt_world w;

static int setup3(void **state)
{
    (void)state;
    kt_init(&w, 3, 51);
    return 0;
}

static int setup4(void **state)
{
    (void)state;
    kt_init(&w, 4, 52);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kt_free(&w);
    return 0;
}

/* Pauses broker id past its session timeout, so the controller takes it
 * out of every ISR, then lets it run again. */
static void lose_session(int id)
{
    cluster_pause(w.cl, kt_node(&w, id), 0);
    kt_run_ms(&w, 25000);
    cluster_resume(w.cl, kt_node(&w, id));
}

/* A partition of topic (nparts) none of whose first k replicas is the
 * controller: these tests fail brokers that are not the controller. (A
 * controller that fails over leaves a dead follower in the ISR, as
 * ZkReplicaStateMachine.startup does: another story.) */
static int pick(const char *topic, int nparts, int k)
{
    int ctrl = kafka_world_controller(w.kw);
    for (int p = 0; p < nparts; p++) {
        kafka_pstate st = kt_state(&w, topic, p);
        bool ok = true;
        for (int i = 0; i < k; i++) ok &= st.replicas[i] != ctrl;
        if (ok) return p;
    }
    fail_msg("every partition of %s has the controller among its first %d replicas",
             topic, k);
    return -1;
}

/* The ISR order differs from the assignment order once a replica has
 * left the ISR and come back (it rejoins at the end); the election still
 * goes by assignment order. */
static void test_kafka_ctrl_elects_first_live_isr_replica_in_assignment_order(void **state)
{
    (void)state;
    assert_int_equal(kt_create(&w, "w", 4, 3, 0, -1), KERR_NONE);
    int p = pick("w", 4, 2);
    kafka_pstate st = kt_state(&w, "w", p);
    int a = st.replicas[0], b = st.replicas[1], c = st.replicas[2];
    assert_int_equal(st.leader, a);
    lose_session(b);
    kt_run_ms(&w, 20000);       /* b registers again, catches up, rejoins */
    st = kt_state(&w, "w", p);
    assert_int_equal(st.leader, a);
    assert_int_equal(st.nisr, 3);
    assert_int_equal(st.isr[0], a);
    assert_int_equal(st.isr[1], c);
    assert_int_equal(st.isr[2], b);
    cluster_kill(w.cl, kt_node(&w, a));
    kt_run_ms(&w, 25000);       /* a's session expires */
    st = kt_state(&w, "w", p);
    assert_int_equal(st.leader, b);
    assert_true(kt_replica(&w, b, "w", p).leader);
    assert_int_equal(kafka_world_violations(w.kw), 0);
}

/* Leader a wrote records follower b never got (b was out of the ISR);
 * then a died. unclean=-1 (the default, false) or 1. Returns the
 * partition; *b_out gets b. */
static int leave_only_an_out_of_sync_replica(const char *topic, int unclean,
                                             int *b_out)
{
    assert_int_equal(kt_create(&w, topic, 4, 2, 0, unclean), KERR_NONE);
    int p = pick(topic, 4, 2);
    kafka_pstate st = kt_state(&w, topic, p);
    int a = st.leader, b = st.replicas[0] == a ? st.replicas[1] : st.replicas[0];
    cluster_pause(w.cl, kt_node(&w, b), 0);
    kt_run_ms(&w, 25000);
    st = kt_state(&w, topic, p);
    assert_int_equal(st.nisr, 1);
    assert_int_equal(st.isr[0], a);
    kafka_client *c = kt_producer_from(&w, "p1", 1, a);    /* b is frozen */
    assert_true(kafka_client_send(c, topic, p, NULL, NULL, 3));
    assert_true(kt_wait_idle(&w, c, 10000));
    cluster_kill(w.cl, kt_node(&w, a));
    cluster_resume(w.cl, kt_node(&w, b));
    kt_run_ms(&w, 30000);       /* b registers again; a's session expires */
    *b_out = b;
    return p;
}

static void test_kafka_ctrl_keeps_an_out_of_sync_replica_from_leading(void **state)
{
    (void)state;
    int b;
    int p = leave_only_an_out_of_sync_replica("c", -1, &b);
    kafka_pstate st = kt_state(&w, "c", p);
    assert_int_equal(st.leader, KAFKA_LEADER_NONE);     /* offline */
    assert_false(kt_replica(&w, b, "c", p).leader);
}

static void test_kafka_ctrl_unclean_election_elects_it_and_loses_records(void **state)
{
    (void)state;
    int b;
    int p = leave_only_an_out_of_sync_replica("u", 1, &b);
    kafka_pstate st = kt_state(&w, "u", p);
    assert_int_equal(st.leader, b);
    kafka_replica_info ri = kt_replica(&w, b, "u", p);
    assert_true(ri.leader);
    assert_int_equal(ri.leo, 0);        /* the 3 acknowledged records are gone */
    kafka_audit au;
    kafka_world_audit(w.kw, &au);
    assert_int_equal(au.lost, 3);
    kafka_audit_free(&au);
}

/* The controller is paused past its session: another broker takes over
 * with the next epoch. The old one, resumed, is controller no more, and
 * what happens next is decided under the new epoch. */
static void test_kafka_ctrl_stale_controller_gives_way(void **state)
{
    (void)state;
    assert_int_equal(kt_create(&w, "w", 3, 3, 0, -1), KERR_NONE);
    int old = kafka_world_controller(w.kw);
    kafka_broker_info in;
    kafka_broker_info_get(kt_broker(&w, old), &in);
    int32_t e = in.controller_epoch;
    lose_session(old);
    kt_run_ms(&w, 5000);
    int now = kafka_world_controller(w.kw);
    assert_true(now >= 0 && now != old);
    kafka_broker_info_get(kt_broker(&w, now), &in);
    assert_int_equal(in.controller_epoch, e + 1);
    kafka_broker_info_get(kt_broker(&w, old), &in);
    assert_false(in.controller);
    /* a leader dies: the new controller moves its partitions */
    int victim = old == 101 ? 102 : 101;
    if (victim == now) victim = 103;
    cluster_kill(w.cl, kt_node(&w, victim));
    kt_run_ms(&w, 25000);
    for (int p = 0; p < 3; p++) {
        kafka_pstate st = kt_state(&w, "w", p);
        assert_true(st.leader >= 0 && st.leader != victim);
        assert_true(st.controller_epoch <= e + 1);
        for (int i = 0; i < st.nisr; i++) assert_int_not_equal(st.isr[i], victim);
        if (st.leader_epoch > 0) assert_int_equal(st.controller_epoch, e + 1);
    }
    assert_int_equal(kafka_world_violations(w.kw), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kafka_ctrl_elects_first_live_isr_replica_in_assignment_order, setup4, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_ctrl_keeps_an_out_of_sync_replica_from_leading, setup3, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_ctrl_unclean_election_elects_it_and_loses_records, setup3, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_ctrl_stale_controller_gives_way, setup3, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
