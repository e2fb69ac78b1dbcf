/* cluster_timers: the deadlines the dashboard counts down are the ones
 * the nodes' timers act on. Each case makes something go silent, reads
 * the deadline once it shows, runs the world, and checks that the event
 * happened exactly then: a paused broker's session expires when
 * SessionTrackerImpl's check reaches it, a leader whose followers went
 * quiet stops leading at its syncLimit check (Leader.lead, "Not
 * sufficient followers synced"), a follower cut from its leader goes
 * LOOKING at its read timeout (Learner, syncLimit x tickTime), and a
 * follower that stops fetching while records arrive is dropped from the
 * ISR at the leader's check (Partition.isFollowerOutOfSync), and a
 * follower whose fetch was lost in a cut gives it up request.timeout.ms
 * after it went out, healed or not (the replica fetcher). KRaft's
 * controller quorum: a follower whose leader crashed stands for election
 * when its fetch timer runs out (KafkaRaftClient.pollFollowerAsVoter,
 * quorum.fetch.timeout.ms), and the candidate's election timer then
 * counts down (CandidateState, quorum.election.timeout.ms); a crashed
 * broker is fenced by the active controller once its session runs out
 * (BrokerHeartbeatManager, broker.session.timeout.ms 9000 after its last
 * heartbeat). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kafka_testlib.h"
#include "kafka_client.h"
#include "kafka_proto.h"
#include "raft_quorum.h"
#include "kctl_ctrl.h"

/* The first event matching what a case waits for, and when. */
typedef struct seen {
    trace_kind kind;
    int node;                   /* -1: any */
    uint64_t a;                 /* TR_SESSION_EXPIRE: the session */
    uint32_t msg_type;          /* TR_SEND: the message */
    int code;                   /* TR_ROLE: the role */
    uint64_t at_us;             /* 0 until seen */
} seen;

static void on_event(void *ctx, const trace_event *ev)
{
    seen *w = ctx;
    if (w->at_us || ev->kind != w->kind || (w->node >= 0 && ev->node != w->node)) return;
    if (ev->kind == TR_SESSION_EXPIRE && ev->a != w->a) return;
    if (ev->kind == TR_SEND && ev->msg_type != w->msg_type) return;
    if (ev->kind == TR_ROLE && ev->code != w->code) return;
    w->at_us = ev->at_us;
}

/* The timer of this kind on node (-1: any), once it shows; runs the
 * world in 100 ms steps for at most limit_ms. */
static bool wait_timer(kt_world *w, cluster_timer_kind kind, int node, uint64_t limit_ms,
                       cluster_timer *out)
{
    cluster_timer t[32];
    for (uint64_t ms = 0; ms <= limit_ms; ms += 100) {
        int n = cluster_timers(w->cl, t, 32);
        for (int i = 0; i < n; i++)
            if (t[i].kind == kind && (node < 0 || t[i].node == node)) {
                *out = t[i];
                return true;
            }
        kt_run_ms(w, 100);
    }
    return false;
}

/* Runs until the event is seen, at most limit_ms, and returns its time. */
static uint64_t run_to(kt_world *w, seen *ev, uint64_t limit_ms)
{
    trace_listen(sim_trace(w->s), on_event, ev);
    uint64_t end = sim_now_us(w->s) + limit_ms * 1000;
    while (!ev->at_us && sim_now_us(w->s) < end) kt_run_ms(w, 10);
    trace_unlisten(sim_trace(w->s), on_event, ev);
    return ev->at_us;
}

static int leader_sid(kt_world *w)
{
    ensemble_info e;
    cluster_ensemble(w->cl, &e);
    return e.leader_sid;
}

/* An ensemble of three servers alone, run until it serves. */
static void ensemble(kt_world *w, uint64_t seed)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.seed = seed;
    char err[128];
    w->cl = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->cl);
    w->s = cluster_sim(w->cl);
    w->kw = NULL;
    kt_run_ms(w, 5000);
    assert_true(leader_sid(w) > 0);
}

static void test_cluster_timers_none_while_healthy(void **state)
{
    (void)state;
    kt_world w;
    kt_init(&w, 3, 7);
    cluster_timer t[8];
    for (int i = 0; i < 50; i++) {
        kt_run_ms(&w, 200);
        assert_int_equal(cluster_timers(w.cl, t, 8), 0);
    }
    kt_free(&w);
}

static void test_cluster_timers_paused_broker_session_expires_then(void **state)
{
    (void)state;
    kt_world w;
    kt_init(&w, 3, 7);
    int64_t session = kafka_broker_session(kt_broker(&w, 103));
    assert_true(session != 0);
    cluster_pause(w.cl, kt_node(&w, 103), 0);
    cluster_timer t;
    assert_true(wait_timer(&w, CT_SESSION_EXPIRE, -1, 12000, &t));
    assert_int_equal(t.subject, 103);
    assert_true(t.session == session);
    assert_int_equal(t.node, cluster_zk_nodes(w.cl)[leader_sid(&w) - 1]);
    /* zookeeper.session.timeout.ms 18000 from its last ping */
    assert_true(t.at_us - t.since_us >= 18000000 && t.at_us - t.since_us <= 21000000);
    /* a countdown: the deadline holds still while the time runs */
    kt_run_ms(&w, 1500);
    cluster_timer again;
    assert_true(wait_timer(&w, CT_SESSION_EXPIRE, -1, 0, &again));
    assert_true(again.at_us == t.at_us);
    seen ev = { .kind = TR_SESSION_EXPIRE, .node = -1, .a = (uint64_t)session };
    assert_true(run_to(&w, &ev, 30000) == t.at_us);
    kt_free(&w);
}

static void test_cluster_timers_quiet_followers_leader_stops_then(void **state)
{
    (void)state;
    kt_world w;
    ensemble(&w, 3);
    int ls = leader_sid(&w);
    assert_true(ls > 0);
    for (int sid = 1; sid <= 3; sid++)
        if (sid != ls) cluster_pause(w.cl, cluster_zk_nodes(w.cl)[sid - 1], 0);
    int lnode = cluster_zk_nodes(w.cl)[ls - 1];
    cluster_timer t;
    assert_true(wait_timer(&w, CT_LEADER_QUORUM, lnode, 8000, &t));
    seen ev = { .kind = TR_ROLE, .node = lnode, .code = TROLE_LOOKING };
    assert_true(run_to(&w, &ev, 20000) == t.at_us);
    kt_free(&w);
}

static void test_cluster_timers_cut_follower_goes_looking_then(void **state)
{
    (void)state;
    kt_world w;
    ensemble(&w, 3);
    int ls = leader_sid(&w);
    int fs = ls == 1 ? 2 : 1;
    const int *nodes = cluster_zk_nodes(w.cl);
    cluster_link(w.cl, nodes[ls - 1], nodes[fs - 1], 1000000, 0, 0);
    cluster_timer t;
    assert_true(wait_timer(&w, CT_LEADER_SILENT, nodes[fs - 1], 8000, &t));
    assert_int_equal(t.subject, ls);
    /* syncLimit 5 x tickTime 2000 after the leader was last heard */
    assert_true(t.at_us - t.since_us == 10000000);
    seen ev = { .kind = TR_ROLE, .node = nodes[fs - 1], .code = TROLE_LOOKING };
    assert_true(run_to(&w, &ev, 20000) == t.at_us);
    kt_free(&w);
}

static void test_cluster_timers_lagging_follower_leaves_isr_then(void **state)
{
    (void)state;
    kt_world w;
    kt_init(&w, 3, 11);
    assert_int_equal(kt_create(&w, "orders", 1, 3, 0, -1), KERR_NONE);
    kafka_pstate st = kt_state(&w, "orders", 0);
    int leader = st.leader, follower = st.isr[0] == leader ? st.isr[1] : st.isr[0];
    kafka_client *p = kt_producer(&w, "p1", 1);
    kt_cut(&w, leader, follower);
    cluster_timer t;
    bool found = false;
    /* records keep arriving, so the cut follower falls behind */
    for (int i = 0; i < 40 && !found; i++) {
        if (!kafka_client_busy(p)) kafka_client_send(p, "orders", 0, NULL, NULL, 5);
        found = wait_timer(&w, CT_ISR_LEAVE, kt_node(&w, leader), 0, &t);
        if (!found) kt_run_ms(&w, 250);
    }
    assert_true(found);
    assert_int_equal(t.subject, follower);
    assert_string_equal(t.topic, "orders");
    assert_int_equal(t.count, 1);
    /* replica.lag.time.max.ms 30000 after it last caught up, at a check */
    assert_true(t.at_us - t.since_us > 30000000 && t.at_us - t.since_us <= 45000000);
    seen ev = { .kind = TR_SEND, .node = kt_node(&w, leader), .msg_type = KMSG_ALTER_ISR };
    trace_listen(sim_trace(w.s), on_event, &ev);
    while (!ev.at_us && sim_now_us(w.s) < t.at_us + 1000000) {
        if (!kafka_client_busy(p)) kafka_client_send(p, "orders", 0, NULL, NULL, 5);
        kt_run_ms(&w, 50);
    }
    trace_unlisten(sim_trace(w.s), on_event, &ev);
    assert_true(ev.at_us == t.at_us);
    kt_free(&w);
}

/* A follower cut from its leader: the Fetch out when the cut came is
 * lost, and the fetcher waits for it until request.timeout.ms (30 s)
 * after it went out, past the leader's wait (replica.fetch.wait.max.ms,
 * 500 ms), then sends again after replica.fetch.backoff.ms (1 s): healed
 * before that, it still sends nothing (ReplicaFetcherBlockingSend's
 * NetworkClient, request.timeout.ms). */
static void test_cluster_timers_cut_follower_fetch_given_up_then(void **state)
{
    (void)state;
    kt_world w;
    kt_init(&w, 3, 11);
    assert_int_equal(kt_create(&w, "orders", 1, 3, 0, -1), KERR_NONE);
    kt_run_ms(&w, 2000);
    cluster_timer none[8];
    assert_int_equal(cluster_timers(w.cl, none, 8), 0);    /* fetches answered */
    kafka_pstate st = kt_state(&w, "orders", 0);
    int leader = st.leader, follower = st.isr[0] == leader ? st.isr[1] : st.isr[0];
    kt_cut(&w, leader, follower);
    cluster_timer t;
    assert_true(wait_timer(&w, CT_FETCH_GIVE_UP, kt_node(&w, follower), 4000, &t));
    assert_int_equal(t.sid, follower);
    assert_int_equal(t.subject, leader);
    assert_int_equal(t.count, 1);                           /* one leader to fetch from */
    assert_true(t.at_us - t.since_us == 30500000);
    sim_run_until(w.s, t.since_us + 5000000);
    cluster_heal(w.cl);                                     /* healed: still waits */
    seen ev = { .kind = TR_SEND, .node = kt_node(&w, follower), .msg_type = KMSG_FETCH };
    uint64_t sent = run_to(&w, &ev, 40000);
    assert_true(sent == t.at_us + 1000000);
    kt_free(&w);
}

/* A KRaft controller quorum of three alone, run until it has a leader;
 * the leader's index in the quorum. */
static int kraft_quorum(kt_world *w, uint64_t seed)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.controllers = 3;
    cfg.brokers = 0;
    cfg.seed = seed;
    char err[128];
    w->cl = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->cl);
    w->s = cluster_sim(w->cl);
    w->kw = NULL;
    kt_run_ms(w, 5000);
    raft_quorum_info qi;
    raft_quorum_info_get(cluster_quorum(w->cl), &qi);
    for (int i = 0; i < qi.size; i++)
        if (qi.voters[i].r.state == RAFT_LEADER) return i;
    fail_msg("no KRaft leader after 5 s");
    return -1;
}

static void test_cluster_timers_kraft_none_while_healthy(void **state)
{
    (void)state;
    kt_world w;
    kraft_quorum(&w, 5);
    cluster_timer t[8];
    for (int i = 0; i < 30; i++) {
        kt_run_ms(&w, 200);
        assert_int_equal(cluster_timers(w.cl, t, 8), 0);
    }
    kt_free(&w);
}

static void test_cluster_timers_kraft_follower_stands_then(void **state)
{
    (void)state;
    kt_world w;
    int li = kraft_quorum(&w, 5);
    raft_quorum *q = cluster_quorum(w.cl);
    cluster_kill(w.cl, raft_quorum_nodes(q)[li]);
    /* the follower whose timer runs out first (the other one may be
     * asked for its vote before its own runs out): the soonest one */
    cluster_timer t;
    assert_true(wait_timer(&w, CT_RAFT_FETCH, -1, 3000, &t));
    int fnode = t.node, fi = raft_quorum_index(q, fnode);
    assert_true(fi >= 0 && fi != li);
    assert_int_equal(t.sid, raft_quorum_ids(q)[fi]);
    assert_int_equal(t.subject, raft_quorum_ids(q)[li]);
    /* quorum.fetch.timeout.ms 2000 after its last fetch was answered */
    assert_true(t.at_us - t.since_us == 2000000);
    /* shown only once the silence is longer than a healthy one */
    assert_true(sim_now_us(w.s) - t.since_us > 1000000);
    /* the third one goes too: this one stands alone and cannot win */
    for (int i = 0; i < 3; i++)
        if (i != li && i != fi) cluster_kill(w.cl, raft_quorum_nodes(q)[i]);
    seen ev = { .kind = TR_ROLE, .node = fnode, .code = TROLE_LOOKING };
    assert_true(run_to(&w, &ev, 5000) == t.at_us);
    /* a Candidate now: its election timer runs, at most 2000 ms
     * (quorum.election.timeout.ms 1000 plus a random part below it) */
    cluster_timer e;
    assert_true(wait_timer(&w, CT_RAFT_ELECTION, fnode, 0, &e));
    assert_int_equal(e.subject, 1);
    assert_true(e.at_us > t.at_us && e.at_us <= t.at_us + 2000000);
    kt_free(&w);
}

/* A KRaft world of 3 controllers and BROKERS brokers, no ensemble. */
static void kraft_world(kt_world *w, int brokers, uint64_t seed)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.zookeepers = 0;
    cfg.controllers = 3;
    cfg.brokers = brokers;
    cfg.seed = seed;
    char err[128];
    w->cl = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->cl);
    w->s = cluster_sim(w->cl);
    w->kw = cluster_kafka(w->cl);
}

static void test_cluster_timers_kraft_broker_fenced_then(void **state)
{
    (void)state;
    kt_world w;
    kraft_world(&w, 3, 6);
    kt_run_ms(&w, 10000);
    cluster_timer none[8];
    assert_int_equal(cluster_timers(w.cl, none, 8), 0);    /* heartbeats keep it quiet */
    assert_true(kafka_world_kraft_unfenced(w.kw, 103));
    cluster_kill(w.cl, kt_node(&w, 103));
    cluster_timer t;
    assert_true(wait_timer(&w, CT_BROKER_FENCE, -1, 4000, &t));
    assert_int_equal(t.subject, 103);
    assert_true(kctl_ctrl_active(cluster_ctl(w.cl, raft_quorum_index(cluster_quorum(w.cl), t.node))));
    /* stale strictly after broker.session.timeout.ms from its last heartbeat */
    assert_true(t.at_us - t.since_us == 9000001);
    sim_run_until(w.s, t.at_us - 1000);
    assert_true(kafka_world_kraft_unfenced(w.kw, 103));
    sim_run_until(w.s, t.at_us + 50000);                    /* FenceBrokerRecord committed */
    assert_false(kafka_world_kraft_unfenced(w.kw, 103));
    cluster_free(w.cl);
}

/* The active controller isolated: the other two elect a new one, the
 * brokers heartbeat to it. The deposed leader still holds its sessions
 * (it has not heard of the new epoch) and sees them go silent, but it
 * fences nobody: no countdown of its own shows, only the active one's
 * (for a broker that has not found it yet), and nobody is fenced. */
static void test_cluster_timers_kraft_only_active_controller_fences(void **state)
{
    (void)state;
    kt_world w;
    kraft_world(&w, 4, 1);
    kt_run_ms(&w, 6000);
    raft_quorum *q = cluster_quorum(w.cl);
    int old = cluster_active_ctl(w.cl);
    assert_true(old >= 0);
    cluster_isolate(w.cl, raft_quorum_nodes(q)[old]);
    int moved = 0;
    for (int ms = 0; ms < 20000; ms += 100) {
        kt_run_ms(&w, 100);
        int act = cluster_active_ctl(w.cl);
        moved += act >= 0 && act != old;
        cluster_timer t[32];
        int n = cluster_timers(w.cl, t, 32);
        for (int i = 0; i < n; i++) {
            if (t[i].kind != CT_BROKER_FENCE) continue;
            assert_int_equal(t[i].node, raft_quorum_nodes(q)[act]);
            assert_int_not_equal(act, old);
        }
    }
    assert_true(moved > 0);                     /* a new controller took over */
    for (int id = 101; id <= 104; id++) assert_true(kafka_world_kraft_unfenced(w.kw, id));
    cluster_free(w.cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_timers_kraft_none_while_healthy),
        cmocka_unit_test(test_cluster_timers_kraft_follower_stands_then),
        cmocka_unit_test(test_cluster_timers_kraft_broker_fenced_then),
        cmocka_unit_test(test_cluster_timers_kraft_only_active_controller_fences),
        cmocka_unit_test(test_cluster_timers_none_while_healthy),
        cmocka_unit_test(test_cluster_timers_cut_follower_fetch_given_up_then),
        cmocka_unit_test(test_cluster_timers_paused_broker_session_expires_then),
        cmocka_unit_test(test_cluster_timers_quiet_followers_leader_stops_then),
        cmocka_unit_test(test_cluster_timers_cut_follower_goes_looking_then),
        cmocka_unit_test(test_cluster_timers_lagging_follower_leaves_isr_then),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
