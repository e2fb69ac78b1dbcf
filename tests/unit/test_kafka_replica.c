/* The replica module (kafka_replica.c) through a running cluster: the
 * leader's high watermark is the smallest log end among the ISR
 * (Partition.maybeIncrementLeaderHW), acks=all answers only once the ISR
 * has the records, and a follower whose log diverged truncates by leader
 * epoch (OffsetsForLeaderEpoch, AbstractFetcherThread.truncateToEpochEndOffsets)
 * rather than to its high watermark. Time is the simulated clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kafka_testlib.h"

static kt_world w;
static kafka_pstate st;        /* w-0 after creation */

static int setup(void **state)
{
    (void)state;
    kt_init(&w, 3, 31);
    assert_int_equal(kt_create(&w, "w", 1, 3, 0, -1), KERR_NONE);
    st = kt_state(&w, "w", 0);
    assert_int_equal(st.nisr, 3);
    assert_int_equal(st.leader, st.replicas[0]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    kt_free(&w);
    return 0;
}

/* A follower in the ISR that does not fetch (its process paused) holds
 * the HW back, however far the leader and the other follower are:
 * HW = min LEO over the ISR. */
static void test_kafka_replica_hw_is_min_leo_over_isr(void **state)
{
    (void)state;
    int leader = st.replicas[0], f1 = st.replicas[1], f2 = st.replicas[2];
    cluster_pause(w.cl, kt_node(&w, f2), 6000000);
    kafka_client *p = kt_producer_from(&w, "p1", 1, leader);
    assert_true(kafka_client_send(p, "w", 0, NULL, NULL, 5));
    assert_true(kt_wait_idle(&w, p, 3000));
    kt_run_ms(&w, 1000);        /* well inside replica.lag.time.max.ms */
    assert_int_equal(kt_state(&w, "w", 0).nisr, 3);
    kafka_replica_info l = kt_replica(&w, leader, "w", 0);
    assert_int_equal(l.leo, 5);
    assert_int_equal(kt_replica(&w, f1, "w", 0).leo, 5);
    assert_int_equal(kt_replica(&w, f2, "w", 0).leo, 0);
    assert_int_equal(l.hw, 0);  /* f2's log end */
    kt_run_ms(&w, 8000);        /* f2 resumed and fetched */
    assert_int_equal(kt_replica(&w, f2, "w", 0).leo, 5);
    assert_int_equal(kt_replica(&w, leader, "w", 0).hw, 5);
}

/* acks=all: the leader answers once every ISR member has the records. */
static void test_kafka_replica_acks_all_waits_for_the_isr(void **state)
{
    (void)state;
    int leader = st.replicas[0], f2 = st.replicas[2];
    cluster_pause(w.cl, kt_node(&w, f2), 6000000);
    kafka_client *p = kt_producer_from(&w, "p1", -1, leader);
    assert_true(kafka_client_send(p, "w", 0, NULL, NULL, 3));
    kt_run_ms(&w, 4000);
    assert_true(kafka_client_busy(p));          /* f2 is in the ISR, behind */
    assert_int_equal(kt_replica(&w, leader, "w", 0).leo, 3);
    assert_int_equal(kt_replica(&w, leader, "w", 0).hw, 0);
    assert_true(kt_wait_idle(&w, p, 10000));    /* f2 resumes at 6 s */
    kafka_send_result r;
    kafka_client_send_result(p, &r);
    assert_int_equal(r.acked, 3);
    assert_int_equal(r.failed, 0);
    assert_int_equal(kt_replica(&w, f2, "w", 0).leo, 3);
    assert_int_equal(kt_replica(&w, leader, "w", 0).hw, 3);
}

/* The old leader wrote records nobody else has (acks=1, followers cut
 * off), then crashed; the next leader wrote others at the same offsets.
 * Back as a follower it asks the leader where its last epoch ends and
 * drops its own records from there, keeping the ones the new leader has:
 * afterwards its log is the leader's, record for record. */
static void test_kafka_replica_follower_truncates_by_leader_epoch(void **state)
{
    (void)state;
    int old = st.replicas[0], f1 = st.replicas[1], f2 = st.replicas[2];
    kafka_client *p = kt_producer(&w, "p1", -1);
    assert_true(kafka_client_send(p, "w", 0, NULL, NULL, 2));   /* on all three */
    assert_true(kt_wait_idle(&w, p, 10000));
    kt_cut(&w, old, f1);
    kt_cut(&w, old, f2);
    kafka_client *q = kt_producer(&w, "p2", 1);
    assert_true(kafka_client_send(q, "w", 0, NULL, NULL, 4));   /* old only */
    assert_true(kt_wait_idle(&w, q, 10000));
    assert_int_equal(kt_replica(&w, old, "w", 0).leo, 6);
    cluster_kill(w.cl, kt_node(&w, old));
    cluster_heal(w.cl);
    kt_run_ms(&w, 25000);       /* its ZooKeeper session expires */
    kafka_pstate now = kt_state(&w, "w", 0);
    assert_int_equal(now.leader, f1);   /* first live ISR replica */
    assert_true(now.leader_epoch > st.leader_epoch);
    kafka_client *r = kt_producer(&w, "p3", -1);
    assert_true(kafka_client_send(r, "w", 0, NULL, NULL, 1));   /* offset 2 */
    assert_true(kt_wait_idle(&w, r, 10000));
    assert_int_equal(kt_replica(&w, f1, "w", 0).leo, 3);

    int before = kt_events(&w, TR_NOTE, "truncates w-0 to offset 2");
    cluster_restart(w.cl, kt_node(&w, old));
    kt_run_ms(&w, 30000);               /* registers, follows, catches up */
    assert_int_equal(kt_events(&w, TR_NOTE, "truncates w-0 to offset 2"), before + 1);
    kafka_replica_info o = kt_replica(&w, old, "w", 0), l = kt_replica(&w, f1, "w", 0);
    assert_false(o.leader);
    assert_int_equal(o.leo, 3);         /* 2 kept, 4 dropped, 1 fetched */
    assert_true(kt_same_log(o.log, l.log));
    assert_int_equal(kafka_log_get(o.log, 2)->leader_epoch, now.leader_epoch);
}

/* A follower restarts holding records above its own high watermark (a
 * third replica held the HW back); the leader has them all. Asking where
 * its epoch ends, it keeps them: truncating to its HW instead (Kafka
 * before KIP-101) would drop records the leader had acknowledged. */
static void test_kafka_replica_restarted_follower_keeps_records_above_its_hw(void **state)
{
    (void)state;
    int leader = st.replicas[0], a = st.replicas[1], b = st.replicas[2];
    cluster_pause(w.cl, kt_node(&w, b), 3000000);
    kafka_client *p = kt_producer_from(&w, "p1", 1, leader);
    assert_true(kafka_client_send(p, "w", 0, NULL, NULL, 4));
    assert_true(kt_wait_idle(&w, p, 2000));
    kt_run_ms(&w, 500);
    kafka_replica_info ra = kt_replica(&w, a, "w", 0);
    assert_int_equal(ra.leo, 4);
    assert_int_equal(ra.hw, 0);
    cluster_restart(w.cl, kt_node(&w, a));
    kt_run_ms(&w, 40000);       /* registers again, follows, catches up */
    ra = kt_replica(&w, a, "w", 0);
    assert_false(ra.leader);
    assert_int_equal(ra.leo, 4);
    assert_int_equal(kt_events(&w, TR_NOTE, "truncates w-0"), 0);
    assert_true(kt_same_log(ra.log, kt_replica(&w, leader, "w", 0).log));
    assert_int_equal(kt_replica(&w, leader, "w", 0).hw, 4);
}

/* A follower's partition that cannot finish truncating (its leader
 * answers OffsetsForLeaderEpoch with an error every time: here the
 * follower heard of a leader epoch the leader has not, UNKNOWN_LEADER_EPOCH;
 * in fuzz seed 13120 a stray replica whose StopReplica was lost, asking a
 * broker that no longer leads it) waits its replica.fetch.backoff.ms
 * alone, and the same fetcher fetches the follower's other partitions
 * from that leader meanwhile (AbstractFetcherThread.doWork: maybeTruncate,
 * then maybeFetch; handlePartitionsWithErrors delays only the partitions
 * in error). The old fetcher sent nothing but OffsetsForLeaderEpoch while
 * any partition truncated: the others never caught up. */
static void test_kafka_replica_truncating_partition_does_not_starve_others(void **state)
{
    (void)state;
    kt_world v;
    kt_init(&v, 2, 37);
    assert_int_equal(kt_create(&v, "s", 4, 2, 1, -1), KERR_NONE);
    /* two partitions with the same leader: one fetcher serves both */
    int a = -1, b = -1;
    for (int p = 0; p < 4 && b < 0; p++)
        for (int q = p + 1; q < 4 && b < 0; q++)
            if (kt_state(&v, "s", p).leader == kt_state(&v, "s", q).leader) { a = p; b = q; }
    assert_true(b >= 0);
    kafka_pstate sa = kt_state(&v, "s", a);
    int leader = sa.leader, f = sa.replicas[0] == leader ? sa.replicas[1] : sa.replicas[0];
    kafka_broker_info in;
    kafka_broker_info_get(kt_controller(&v), &in);
    kt_probe probe;
    kt_probe_init(&v, &probe, "probe");
    kafka_pstate ahead = sa;            /* an epoch the leader never got */
    ahead.leader_epoch = sa.leader_epoch + 3;
    kt_send_lai(&v, &probe, f, 999, in.controller_epoch, "s", 0, 4, a, &ahead);
    kt_run_ms(&v, 100);
    assert_int_equal(kt_replica(&v, f, "s", a).leader_epoch, sa.leader_epoch + 3);

    kafka_client *pr = kt_producer_from(&v, "p1", 1, leader);
    assert_true(kafka_client_send(pr, "s", a, NULL, NULL, 2));
    assert_true(kt_wait_idle(&v, pr, 2000));
    assert_true(kafka_client_send(pr, "s", b, NULL, NULL, 5));
    assert_true(kt_wait_idle(&v, pr, 2000));
    kt_run_ms(&v, 3000);
    assert_int_equal(kt_replica(&v, leader, "s", b).leo, 5);
    assert_int_equal(kt_replica(&v, f, "s", b).leo, 5);    /* fetched meanwhile */
    assert_int_equal(kt_replica(&v, f, "s", a).leo, 0);    /* still truncating */
    kt_free(&v);
}

/* What a leader saw last on its node when it asked to add a follower. */
typedef struct expand_watch {
    int leader_node;
    uint32_t last_type;         /* the last message delivered to the leader */
    int last_from;
    uint64_t last_us;
    int nisr;                   /* the ISR's size as last known */
    int expansions, on_fetch;
} expand_watch;

static void watch_expand(void *ctx, const trace_event *ev)
{
    expand_watch *x = ctx;
    if (ev->kind == TR_DELIVER && ev->peer == x->leader_node) {
        x->last_type = ev->msg_type;
        x->last_from = ev->node;
        x->last_us = ev->at_us;
    } else if (ev->kind == TR_SEND && ev->node == x->leader_node &&
               ev->msg_type == KMSG_ALTER_ISR) {
        const char *isr = strstr(ev->text, " isr ");
        int n = isr ? 1 : 0;
        for (const char *c = isr ? isr + 5 : ""; *c && *c != ' '; c++) n += *c == ',';
        if (n > x->nisr) {
            x->expansions++;
            x->on_fetch += x->last_type == KMSG_FETCH && x->last_us == ev->at_us;
        }
        x->nisr = n;
    }
}

/* A follower joins the ISR on a Fetch request's own read of the log, not
 * when a parked fetch completes: Kafka 2.8's DelayedFetch.onComplete calls
 * readFromLocalLog, which reads only, and the follower's fetch state
 * (Partition.updateFollowerFetchState, maybeExpandIsr) moves in
 * ReplicaManager.fetchMessages's first readFromLog. Two followers come
 * back at once: the second's catch-up read finds the first's AlterIsr in
 * flight (no second request while one is pending), and its fetch parks;
 * the old code asked for the second follower when that parked fetch
 * completed, a read that is not a fetch. */
static void test_kafka_replica_isr_joins_on_a_fetch_not_its_completion(void **state)
{
    (void)state;
    int leader = st.replicas[0], f1 = st.replicas[1], f2 = st.replicas[2];
    expand_watch x = { .leader_node = kt_node(&w, leader), .nisr = KAFKA_RF_MAX };
    trace_listen(sim_trace(w.s), watch_expand, &x);
    cluster_pause(w.cl, kt_node(&w, f1), 40000000);
    cluster_pause(w.cl, kt_node(&w, f2), 40000000);
    kafka_client *p = kt_producer_from(&w, "p1", 1, leader);
    assert_true(kafka_client_send(p, "w", 0, NULL, NULL, 4));
    assert_true(kt_wait_idle(&w, p, 3000));
    kt_run_ms(&w, 39000);
    /* their sessions expired: the controller took both out */
    assert_int_equal(kt_state(&w, "w", 0).nisr, 1);
    x.nisr = 1;
    kt_run_ms(&w, 20000);
    assert_int_equal(kt_state(&w, "w", 0).nisr, 3);    /* both back */
    trace_unlisten(sim_trace(w.s), watch_expand, &x);
    assert_true(x.expansions >= 2);
    assert_int_equal(x.on_fetch, x.expansions);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kafka_replica_hw_is_min_leo_over_isr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_replica_acks_all_waits_for_the_isr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_replica_follower_truncates_by_leader_epoch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_replica_restarted_follower_keeps_records_above_its_hw, setup, teardown),
        cmocka_unit_test(test_kafka_replica_truncating_partition_does_not_starve_others),
        cmocka_unit_test_setup_teardown(test_kafka_replica_isr_joins_on_a_fetch_not_its_completion, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
