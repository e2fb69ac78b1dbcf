/* kafka_broker_kraft: how a KRaft broker's replicas take the controller's
 * ISR changes that keep the leader epoch (Kafka 3.6 and later,
 * KAFKA-15021). A fenced follower leaves the ISR under the same leader and
 * leader epoch: the leader does not lead anew (Partition.makeLeader with
 * isNewLeaderEpoch false). A follower in controlled shutdown, taken out
 * of ISRs it still fetches for, is never asked back by their leaders
 * (Partition.isReplicaIsrEligible): the old lab, bumping the leader
 * epoch, made the leader start its epoch over, and without the
 * eligibility check the leaders sent AlterIsr requests naming the
 * stopping broker, which the controller refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cluster.h"
#include "kafka_broker.h"
#include "kafka_proto.h"
#include "kafka_world.h"

static cluster *kraft_world(uint64_t seed, int partitions)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.zookeepers = 0;
    cfg.controllers = 3;
    cfg.brokers = 3;
    cfg.seed = seed;
    char err[128];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(c);
    sim *s = cluster_sim(c);
    sim_run_until(s, 10000000);
    kafka_client_admin(kafka_world_admin(cluster_kafka(c)), 1, "t", partitions, 3, 2, -1);
    sim_run_until(s, sim_now_us(s) + 5000000);
    return c;
}

static int node_of(cluster *c, int id)
{
    return kafka_broker_node(kafka_world_by_id(cluster_kafka(c), id));
}

/* ---- a fenced follower ---- */

typedef struct leads {
    int t0;                     /* TR_LEADER events for t-0 */
} leads;

static void count_leads(void *ctx, const trace_event *ev)
{
    leads *l = ctx;
    if (ev->kind == TR_LEADER && strncmp(ev->text, "t-0 leader ", 11) == 0) l->t0++;
}

static void test_kafka_broker_kraft_fenced_follower_keeps_leadership(void **state)
{
    (void)state;
    cluster *c = kraft_world(11, 1);
    sim *s = cluster_sim(c);
    kafka_world *w = cluster_kafka(c);
    kafka_pstate before, after;
    int np;
    assert_true(kafka_world_pstate(w, "t", 0, &before, &np));
    assert_true(before.leader > 0 && before.nisr == 3);
    int follower = before.replicas[0] == before.leader ? before.replicas[1]
                                                       : before.replicas[0];
    leads l = { 0 };
    trace_listen(sim_trace(s), count_leads, &l);
    cluster_kill(c, node_of(c, follower));
    sim_run_until(s, sim_now_us(s) + 15000000);
    trace_unlisten(sim_trace(s), count_leads, &l);
    assert_true(kafka_world_pstate(w, "t", 0, &after, &np));
    assert_false(kafka_pstate_in_isr(&after, follower));
    assert_int_equal(after.nisr, 2);
    assert_int_equal(after.leader, before.leader);
    assert_int_equal(after.leader_epoch, before.leader_epoch);
    assert_int_equal(after.zk_version, before.zk_version + 1);   /* partition epoch */
    /* the leader went on in its epoch: no new leadership traced */
    assert_int_equal(l.t0, 0);
    kafka_replica_info ri;
    assert_true(kafka_broker_replica(kafka_world_by_id(w, before.leader), "t", 0, &ri));
    assert_true(ri.leader);
    assert_int_equal(ri.leader_epoch, before.leader_epoch);
    cluster_free(c);
}

/* ---- a follower in controlled shutdown ---- */

typedef struct asks {
    int stopping;               /* broker id */
    int back;                   /* AlterIsr sends whose ISR names it */
} asks;

static bool isr_names(const char *text, int id)
{
    const char *p = strstr(text, " isr ");
    if (!p) return false;
    p += 5;
    char want[16];
    int n = snprintf(want, sizeof want, "%d", id);
    while (*p && *p != ' ') {
        if (strncmp(p, want, (size_t)n) == 0 && (p[n] == ',' || p[n] == ' ' || !p[n]))
            return true;
        while (*p && *p != ',' && *p != ' ') p++;
        if (*p == ',') p++;
    }
    return false;
}

static void count_asks(void *ctx, const trace_event *ev)
{
    asks *a = ctx;
    if (ev->kind == TR_SEND && ev->msg_type == KMSG_ALTER_ISR && isr_names(ev->text, a->stopping))
        a->back++;
}

static void test_kafka_broker_kraft_stopping_follower_not_asked_back(void **state)
{
    (void)state;
    cluster *c = kraft_world(5, 3);
    sim *s = cluster_sim(c);
    kafka_world *w = cluster_kafka(c);
    kafka_pstate st;
    int np;
    assert_true(kafka_world_pstate(w, "t", 0, &st, &np));
    asks a = { st.leader, 0 };
    int followed = 0;
    for (int p = 0; p < 3; p++) {
        assert_true(kafka_world_pstate(w, "t", p, &st, &np));
        if (st.leader != a.stopping && kafka_pstate_in_isr(&st, a.stopping)) followed++;
    }
    assert_int_equal(followed, 2);
    trace_listen(sim_trace(s), count_asks, &a);
    char err[128];
    assert_true(cluster_stop(c, node_of(c, a.stopping), NULL, NULL, err, sizeof err));
    sim_run_until(s, sim_now_us(s) + 12000000);
    trace_unlisten(sim_trace(s), count_asks, &a);
    assert_int_not_equal(sim_node_status(s, node_of(c, a.stopping)), NODE_UP);
    for (int p = 0; p < 3; p++) {
        assert_true(kafka_world_pstate(w, "t", p, &st, &np));
        assert_false(kafka_pstate_in_isr(&st, a.stopping));
    }
    assert_int_equal(a.back, 0);
    cluster_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_broker_kraft_fenced_follower_keeps_leadership),
        cmocka_unit_test(test_kafka_broker_kraft_stopping_follower_not_asked_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
