/* The broker module (kafka_broker.c, kafka_broker_req.c) through a running
 * cluster and a probe that speaks the controller's wire format: requests
 * of an older controller epoch are refused (ReplicaManager.
 * becomeLeaderOrFollower answers STALE_CONTROLLER_EPOCH), a replica moves
 * only on a higher leader epoch, the log survives a crash as it does on
 * disk, and a broker's registration lives as long as its ZooKeeper
 * session (KafkaZkClient.registerBroker, an ephemeral znode). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kafka_testlib.h"

static kt_world w;
static kafka_pstate st;         /* w-0 after creation */
static kt_probe probe;

static int setup(void **state)
{
    (void)state;
    kt_init(&w, 3, 41);
    assert_int_equal(kt_create(&w, "w", 1, 3, 0, -1), KERR_NONE);
    st = kt_state(&w, "w", 0);
    kt_probe_init(&w, &probe, "probe");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kt_free(&w);
    return 0;
}

static int32_t ctrl_epoch(void)
{
    kafka_broker_info in;
    kafka_broker_info_get(kt_controller(&w), &in);
    assert_true(in.controller);
    return in.controller_epoch;
}

/* The error of the probe's last message, which must be the answer `kind`
 * (LeaderAndIsrResp, UpdateMetadataResp or StopReplicaResp). */
static kerr last_ack(uint32_t kind)
{
    assert_int_equal(probe.type, kind);
    rbuf r = rbuf_of(probe.data, probe.len);
    assert_int_equal(r_u64(&r), 4242);
    return (kerr)r_u8(&r);
}

static void test_kafka_broker_refuses_a_stale_controller_epoch(void **state)
{
    (void)state;
    int f = st.replicas[1];
    int32_t epoch = ctrl_epoch();
    kafka_pstate to_f = st;
    to_f.leader = f;
    to_f.leader_epoch = st.leader_epoch + 5;
    kt_send_lai(&w, &probe, f, 999, epoch - 1, "w", 0, 1, 0, &to_f);
    kt_run_ms(&w, 100);
    assert_int_equal(last_ack(KMSG_LEADER_AND_ISR_RESP), KERR_STALE_CONTROLLER_EPOCH);
    kafka_replica_info ri = kt_replica(&w, f, "w", 0);
    assert_false(ri.leader);
    assert_int_equal(ri.leader_epoch, st.leader_epoch);
    assert_true(kt_replica(&w, st.leader, "w", 0).leader);
    /* the same request from the current epoch is obeyed */
    kt_send_lai(&w, &probe, f, 999, epoch, "w", 0, 1, 0, &to_f);
    kt_run_ms(&w, 100);
    assert_int_equal(last_ack(KMSG_LEADER_AND_ISR_RESP), KERR_NONE);
    ri = kt_replica(&w, f, "w", 0);
    assert_true(ri.leader);
    assert_int_equal(ri.leader_epoch, st.leader_epoch + 5);
}

/* A controller request's header as kafka_ctrl.c writes it, then for a
 * StopReplica (no delete) one partition of a topic no broker has. */
static void send_ctrl(uint32_t type, int to_id, int32_t epoch)
{
    wbuf b;
    wbuf_init(&b);
    w_u32(&b, 999);
    w_u32(&b, (uint32_t)epoch);
    w_u64(&b, 4242);
    if (type == KMSG_STOP_REPLICA) {
        w_u8(&b, 0);
        w_u32(&b, 1);
        w_str(&b, "nothing");
        w_u32(&b, 0);
    }
    sim_send(w.s, probe.node, kt_node(&w, to_id), type, b.data, b.len);
    wbuf_free(&b);
    kt_run_ms(&w, 100);
}

/* Each controller request has its own answer, as KafkaApis answers them
 * (LeaderAndIsrResponse, UpdateMetadataResponse, StopReplicaResponse),
 * a refusal of a stale controller epoch included; there is no one
 * "ControllerAck". */
static void test_kafka_broker_answers_each_controller_request_in_kind(void **state)
{
    (void)state;
    int32_t epoch = ctrl_epoch();
    int f = st.replicas[1];
    send_ctrl(KMSG_UPDATE_METADATA, f, epoch - 1);
    assert_int_equal(last_ack(KMSG_UPDATE_METADATA_RESP), KERR_STALE_CONTROLLER_EPOCH);
    send_ctrl(KMSG_STOP_REPLICA, f, epoch - 1);
    assert_int_equal(last_ack(KMSG_STOP_REPLICA_RESP), KERR_STALE_CONTROLLER_EPOCH);
    send_ctrl(KMSG_STOP_REPLICA, f, epoch);
    assert_int_equal(last_ack(KMSG_STOP_REPLICA_RESP), KERR_NONE);
    send_ctrl(KMSG_LEADER_AND_ISR, f, epoch - 1);
    assert_int_equal(last_ack(KMSG_LEADER_AND_ISR_RESP), KERR_STALE_CONTROLLER_EPOCH);
}

static void test_kafka_broker_moves_a_replica_only_on_a_higher_leader_epoch(void **state)
{
    (void)state;
    int f = st.replicas[1];
    int32_t epoch = ctrl_epoch();
    kafka_pstate to_f = st;
    to_f.leader = f;            /* same leader epoch: not a new leader */
    kt_send_lai(&w, &probe, f, 999, epoch, "w", 0, 1, 0, &to_f);
    kt_run_ms(&w, 100);
    kafka_replica_info ri = kt_replica(&w, f, "w", 0);
    assert_false(ri.leader);
    assert_int_equal(ri.leader_epoch, st.leader_epoch);
    to_f.leader_epoch = st.leader_epoch + 1;
    kt_send_lai(&w, &probe, f, 999, epoch, "w", 0, 1, 0, &to_f);
    kt_run_ms(&w, 100);
    ri = kt_replica(&w, f, "w", 0);
    assert_true(ri.leader);
    assert_int_equal(ri.leader_epoch, st.leader_epoch + 1);
    /* an older leader epoch arriving late changes nothing */
    kt_send_lai(&w, &probe, f, 999, epoch, "w", 0, 1, 0, &st);
    kt_run_ms(&w, 100);
    ri = kt_replica(&w, f, "w", 0);
    assert_true(ri.leader);
    assert_int_equal(ri.leader_epoch, st.leader_epoch + 1);
}

/* A crashed follower keeps its records (disk) and, back, fetches only
 * what it missed: nothing it had is truncated. */
static void test_kafka_broker_log_survives_a_crash(void **state)
{
    (void)state;
    int f = st.replicas[1];
    kafka_client *p = kt_producer(&w, "p1", -1);
    assert_true(kafka_client_send(p, "w", 0, NULL, NULL, 4));
    assert_true(kt_wait_idle(&w, p, 10000));
    assert_int_equal(kt_replica(&w, f, "w", 0).leo, 4);
    cluster_kill(w.cl, kt_node(&w, f));
    kafka_client *q = kt_producer(&w, "p2", 1);
    assert_true(kafka_client_send(q, "w", 0, NULL, NULL, 3));
    assert_true(kt_wait_idle(&w, q, 10000));
    kafka_replica_info down = kt_replica(&w, f, "w", 0);
    assert_int_equal(down.leo, 4);
    assert_false(down.leader);
    cluster_restart(w.cl, kt_node(&w, f));
    kt_run_ms(&w, 30000);
    kafka_replica_info back = kt_replica(&w, f, "w", 0);
    assert_int_equal(back.leo, 7);
    assert_true(kt_same_log(back.log, kt_replica(&w, st.leader, "w", 0).log));
    assert_int_equal(kt_events(&w, TR_NOTE, "truncates w-0"), 0);
}

/* The controller hears of a crashed broker only when its session expires
 * (zookeeper.session.timeout.ms 18 s), and again once it registers anew. */
static void test_kafka_broker_registration_lives_with_its_session(void **state)
{
    (void)state;
    int ctrl = kafka_world_controller(w.kw);
    int x = ctrl == 103 ? 102 : 103;
    cluster_kill(w.cl, kt_node(&w, x));
    kt_run_ms(&w, 10000);
    assert_true(kafka_broker_ctrl_sees(kt_controller(&w), x));
    kt_run_ms(&w, 15000);
    assert_false(kafka_broker_ctrl_sees(kt_controller(&w), x));
    cluster_restart(w.cl, kt_node(&w, x));
    kt_run_ms(&w, 5000);
    assert_true(kafka_broker_ctrl_sees(kt_controller(&w), x));
    kafka_broker_info in;
    kafka_broker_info_get(kt_broker(&w, x), &in);
    assert_true(in.registered);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kafka_broker_refuses_a_stale_controller_epoch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_broker_answers_each_controller_request_in_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_broker_moves_a_replica_only_on_a_higher_leader_epoch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_broker_log_survives_a_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_broker_registration_lives_with_its_session, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
