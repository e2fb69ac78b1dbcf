/* kraft_takeover: a KRaft controller failover as the trace tells it, the
 * event bench_failover and the failover plot measure. The active
 * controller (the quorum's leader) and the broker leading a partition
 * crash at once. A standby takes over (TR_CONTROLLER from a controller
 * process, a = its Raft epoch: QuorumController's claim on becoming
 * leader) once it has waited quorum.fetch.timeout.ms and won the vote; it
 * gives every registered broker a fresh session on activation
 * (BrokerHeartbeatManager is new with the new active controller, each
 * broker touched then), so the dead broker is fenced and its partition
 * moves (the first TR_LEADER) broker.session.timeout.ms (9 s) after the
 * takeover, not after the crash. Before, the takeover was only a TR_NOTE,
 * invisible to readers of controller changes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "cluster.h"
#include "kafka_world.h"
#include "kctl_ctrl.h"

typedef struct watch {
    uint64_t ctrl_us, leader_us;
    int ctrl_node;
    uint64_t ctrl_epoch;
    char ctrl_text[sizeof ((trace_event *)0)->text];
} watch;

static void on_event(void *ctx, const trace_event *ev)
{
    watch *w = ctx;
    if (ev->kind == TR_CONTROLLER && !w->ctrl_us) {
        w->ctrl_us = ev->at_us;
        w->ctrl_node = ev->node;
        w->ctrl_epoch = ev->a;
        snprintf(w->ctrl_text, sizeof w->ctrl_text, "%s", ev->text);
    } else if (ev->kind == TR_LEADER && w->ctrl_us && !w->leader_us) {
        w->leader_us = ev->at_us;
    }
}

static int active_index(cluster *c)
{
    for (int i = 0; i < raft_quorum_size(cluster_quorum(c)); i++)
        if (kctl_ctrl_active(cluster_ctl(c, i))) return i;
    return -1;
}

static void test_kraft_takeover_traced_then_fence_after_session(void **state)
{
    (void)state;
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.zookeepers = 0;
    cfg.controllers = 3;
    cfg.brokers = 3;
    cfg.seed = 7;
    char err[128];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(c);
    sim *s = cluster_sim(c);
    kafka_world *w = cluster_kafka(c);
    sim_run_until(s, 10000000);
    kafka_client_admin(kafka_world_admin(w), 1, "t", 1, 3, 2, -1);
    sim_run_until(s, sim_now_us(s) + 5000000);
    kafka_pstate st;
    int np;
    assert_true(kafka_world_pstate(w, "t", 0, &st, &np));
    assert_true(st.leader > 0);
    int ai = active_index(c);
    assert_true(ai >= 0);
    raft_quorum_info qi;
    raft_quorum_info_get(cluster_quorum(c), &qi);
    int32_t epoch0 = qi.epoch;

    watch wt = { 0 };
    trace_listen(sim_trace(s), on_event, &wt);
    uint64_t crash_us = sim_now_us(s);
    cluster_kill(c, raft_quorum_nodes(cluster_quorum(c))[ai]);
    cluster_kill(c, kafka_broker_node(kafka_world_by_id(w, st.leader)));
    sim_run_until(s, crash_us + 30000000);
    trace_unlisten(sim_trace(s), on_event, &wt);

    /* a standby (not the dead one) took over, in a later epoch, after
     * the fetch timeout (2 s from its last fetch answer) */
    assert_true(wt.ctrl_us > 0);
    assert_int_not_equal(wt.ctrl_node, raft_quorum_nodes(cluster_quorum(c))[ai]);
    assert_true(raft_quorum_index(cluster_quorum(c), wt.ctrl_node) >= 0);
    assert_true(wt.ctrl_epoch > (uint64_t)epoch0);
    assert_non_null(strstr(wt.ctrl_text, "is the active controller"));
    assert_true(wt.ctrl_us - crash_us >= 1000000);
    assert_true(wt.ctrl_us - crash_us < 6000000);
    /* the partition moved a full session after the takeover: the fence
     * and its elections are one atomic batch, committed, then the
     * brokers learn the high watermark in their next Fetch answer, which
     * the leader holds up to MAX_FETCH_WAIT_MS (500 ms: KafkaRaftClient
     * completes a parked fetch with new records, not with a high
     * watermark move), so up to 9.0 + 0.5 s and a few round trips */
    assert_true(wt.leader_us > 0);
    assert_true(wt.leader_us - wt.ctrl_us >= 9000000);
    assert_true(wt.leader_us - wt.ctrl_us < 9600000);
    cluster_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kraft_takeover_traced_then_fence_after_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
