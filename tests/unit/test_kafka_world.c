/* The Kafka world through its C API (what the fuzzer and the dashboard
 * use): the convergence checker sees a lagging replica and a healed
 * cluster, a clean stop ends at once (traced as an exit, not a crash),
 * snapshots and the audit, brokers' leader and replica counts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster.h"
#include "kafka_world.h"

static cluster *cl;
static kafka_world *kw;
static sim *s;

static void run_ms(uint64_t ms) { sim_run_until(s, sim_now_us(s) + ms * 1000); }

static bool wait_idle(kafka_client *c, uint64_t ms)
{
    uint64_t end = sim_now_us(s) + ms * 1000;
    while (kafka_client_busy(c) && sim_now_us(s) < end) run_ms(10);
    return !kafka_client_busy(c);
}

static int setup(void **state)
{
    (void)state;
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.seed = 21;
    cfg.brokers = 3;
    char err[128];
    cl = cluster_new(&cfg, err, sizeof err);
    assert_non_null(cl);
    s = cluster_sim(cl);
    kw = cluster_kafka(cl);
    for (int i = 0; i < 300; i++) {     /* all three registered */
        int id = kafka_world_controller(kw);
        kafka_broker *c = id >= 0 ? kafka_world_by_id(kw, id) : NULL;
        if (c && kafka_broker_ctrl_sees(c, 101) && kafka_broker_ctrl_sees(c, 102) &&
            kafka_broker_ctrl_sees(c, 103)) break;
        run_ms(100);
    }
    kafka_client *a = kafka_world_admin(kw);
    assert_true(kafka_client_admin(a, 1, "w", 2, 3, 2, -1));
    assert_true(wait_idle(a, 30000));
    assert_int_equal(kafka_client_admin_result(a), KERR_NONE);
    run_ms(2000);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cluster_free(cl);
    return 0;
}

static void test_kafka_world_converge_sees_lag_and_heal(void **state)
{
    (void)state;
    char why[256];
    assert_int_equal(kafka_world_diverged(kw, why, sizeof why), 0);
    char (*names)[KAFKA_TOPIC_NAME_MAX];
    assert_int_equal(kafka_world_topics(kw, &names), 1);
    assert_string_equal(names[0], "w");
    free(names);
    kafka_pstate st;
    int np;
    assert_true(kafka_world_pstate(kw, "w", 0, &st, &np));
    assert_int_equal(np, 2);
    int follower = st.replicas[0] == st.leader ? st.replicas[1] : st.replicas[0];
    int fnode = kafka_broker_node(kafka_world_by_id(kw, follower));
    int lnode = kafka_broker_node(kafka_world_by_id(kw, st.leader));
    cluster_link(cl, fnode, lnode, 1000000, 0, 0);      /* it cannot fetch */
    run_ms(1000);
    kafka_client_config cc;
    kafka_client_config_defaults(&cc);
    cc.acks = 1;
    int boot[] = { 101, 102, 103 };
    kafka_client *p = kafka_world_client(kw, "p1", boot, 3, &cc);
    assert_non_null(p);
    assert_true(kafka_client_send(p, "w", 0, NULL, NULL, 5));
    assert_true(wait_idle(p, 30000));
    kafka_send_result r;
    kafka_client_send_result(p, &r);
    assert_int_equal(r.acked, 5);
    assert_true(kafka_world_diverged(kw, why, sizeof why) > 0);
    assert_non_null(strstr(why, "w-0"));
    cluster_heal(cl);
    assert_true(kafka_world_converge(kw, 60000));
    assert_int_equal(kafka_world_violations(kw), 0);
    kafka_audit a;
    kafka_world_audit(kw, &a);
    assert_int_equal(a.acked, 5);
    assert_int_equal(a.lost, 0);
    kafka_audit_free(&a);
}

static void test_kafka_world_converge_timeout_is_a_violation(void **state)
{
    (void)state;
    kafka_pstate st;
    int np;
    assert_true(kafka_world_pstate(kw, "w", 1, &st, &np));
    kafka_broker *b = kafka_world_by_id(kw, st.leader);
    cluster_pause(cl, kafka_broker_node(b), 0);     /* paused: never heals */
    assert_false(kafka_world_converge(kw, 5000));
    assert_int_equal(kafka_world_violations(kw), 1);
    assert_true(sim_halted(s));
}

static void test_kafka_world_clean_stop_is_quick(void **state)
{
    (void)state;
    int id = kafka_world_controller(kw);
    kafka_broker *b = kafka_world_by_id(kw, id);
    uint64_t t0 = sim_now_us(s);
    kafka_broker_stop(b);
    while (!kafka_broker_stop_done(b) && sim_now_us(s) - t0 < 60000000) run_ms(1);
    assert_true(kafka_broker_stop_done(b));
    assert_true(sim_now_us(s) - t0 < 1000000);  /* controller stopping itself */
    cluster_kill(cl, kafka_broker_node(b));
    run_ms(2000);
    int next = kafka_world_controller(kw);
    assert_true(next >= 0 && next != id);        /* /controller went at once */
    for (int p = 0; p < 2; p++) {
        kafka_pstate st;
        int np;
        assert_true(kafka_world_pstate(kw, "w", p, &st, &np));
        assert_true(st.leader >= 0 && st.leader != id);
        for (int i = 0; i < st.nisr; i++) assert_int_not_equal(st.isr[i], id);
    }
}

/* Each broker's leader and replica counts (kept as roles change) against
 * its replicas of topic w, read one by one. */
static void assert_counts_agree(int nparts)
{
    for (int i = 0; i < kafka_world_count(kw); i++) {
        kafka_broker *b = kafka_world_broker(kw, i);
        kafka_broker_info bi;
        kafka_broker_info_get(b, &bi);
        int held = 0, led = 0;
        for (int p = 0; p < nparts; p++) {
            kafka_replica_info ri;
            if (!kafka_broker_replica(b, "w", p, &ri)) continue;
            held++;
            led += ri.leader && bi.up;
        }
        assert_int_equal(bi.replicas, held);
        assert_int_equal(bi.leaders, led);
    }
}

static void test_kafka_world_broker_counts_follow_roles(void **state)
{
    (void)state;
    assert_counts_agree(2);
    kafka_pstate st;
    int np;
    assert_true(kafka_world_pstate(kw, "w", 0, &st, &np));
    int old = st.leader;
    kafka_broker *b = kafka_world_by_id(kw, old);
    kafka_broker_info bi;
    kafka_broker_info_get(b, &bi);
    assert_true(bi.leaders >= 1);
    cluster_kill(cl, kafka_broker_node(b));
    assert_counts_agree(2);                 /* down: leads nothing */
    run_ms(30000);                          /* its session expires: re-elected */
    assert_true(kafka_world_pstate(kw, "w", 0, &st, &np));
    assert_true(st.leader >= 0 && st.leader != old);
    assert_counts_agree(2);
    cluster_restart(cl, kafka_broker_node(b));
    run_ms(10000);                          /* back as a follower */
    assert_counts_agree(2);
    kafka_client *a = kafka_world_admin(kw);
    assert_true(kafka_client_admin(a, 2, "w", 0, 0, 0, -1));
    assert_true(wait_idle(a, 30000));
    run_ms(5000);                           /* replicas stopped and deleted */
    for (int i = 0; i < kafka_world_count(kw); i++) {
        kafka_broker_info_get(kafka_world_broker(kw, i), &bi);
        assert_int_equal(bi.replicas, 0);
        assert_int_equal(bi.leaders, 0);
    }
}

/* A crashed controller is no broker's controller at once, but /controller
 * names it until its ZooKeeper session expires (KafkaController's
 * ControllerChangeHandler fires only on the znode's deletion): the
 * dashboard's "ctrl=N?" reads this, not "no ctrl". */
static void test_kafka_world_controller_znode_outlives_the_crash(void **state)
{
    (void)state;
    int old = kafka_world_controller(kw);
    assert_true(old > 0);
    assert_int_equal(kafka_world_controller_znode(kw), old);
    cluster_kill(cl, kafka_broker_node(kafka_world_by_id(kw, old)));
    run_ms(100);
    assert_int_equal(kafka_world_controller(kw), -1);
    assert_int_equal(kafka_world_controller_znode(kw), old);
    run_ms(30000);                          /* past the 18 s session */
    int now = kafka_world_controller(kw);
    assert_true(now > 0 && now != old);
    assert_int_equal(kafka_world_controller_znode(kw), now);
}

/* kafka_world_pinfo (lab.partition's one look-up) says what the three
 * separate reads say: the state, the deletion mark, the moving lists;
 * an unknown topic and a partition out of range as kafka_world_pstate. */
static void test_kafka_world_pinfo_agrees(void **state)
{
    (void)state;
    for (int p = 0; p < 2; p++) {
        kafka_pinfo pi;
        kafka_pstate st;
        int n1, n2, add[KAFKA_RF_MAX], rem[KAFKA_RF_MAX], na, nr;
        assert_true(kafka_world_pinfo(kw, "w", p, &pi, &n1));
        assert_true(kafka_world_pstate(kw, "w", p, &st, &n2));
        assert_int_equal(n1, n2);
        assert_int_equal(pi.st.leader, st.leader);
        assert_int_equal(pi.st.leader_epoch, st.leader_epoch);
        assert_int_equal(pi.st.nrep, st.nrep);
        assert_int_equal(pi.st.nisr, st.nisr);
        assert_memory_equal(pi.st.replicas, st.replicas, sizeof st.replicas);
        assert_memory_equal(pi.st.isr, st.isr, sizeof st.isr);
        assert_int_equal(pi.deleting, kafka_world_deleting(kw, "w"));
        kafka_world_moving(kw, "w", p, add, &na, rem, &nr);
        assert_int_equal(pi.nadding, na);
        assert_int_equal(pi.nremoving, nr);
    }
    kafka_pinfo pi;
    int n = -5;
    assert_false(kafka_world_pinfo(kw, "w", 2, &pi, &n));
    assert_int_equal(n, 2);
    assert_false(kafka_world_pinfo(kw, "nope", 0, &pi, &n));
    assert_int_equal(n, 0);
}

/* How many TR_FAULT events in the ring say exactly `text`. */
static int faults_saying(const char *text)
{
    trace *t = sim_trace(s);
    int n = 0;
    for (size_t i = 0; i < trace_count(t); i++) {
        const trace_event *ev = trace_get(t, i);
        n += ev->kind == TR_FAULT && strcmp(ev->text, text) == 0;
    }
    return n;
}

static void test_kafka_world_clean_stop_ends_in_an_exit(void **state)
{
    (void)state;
    kafka_broker *b = kafka_world_by_id(kw, 102);
    kafka_broker_stop(b);
    uint64_t t0 = sim_now_us(s);
    while (sim_node_status(s, kafka_broker_node(b)) != NODE_DOWN &&
           sim_now_us(s) - t0 < 60000000)
        run_ms(1);
    assert_int_equal(sim_node_status(s, kafka_broker_node(b)), NODE_DOWN);
    assert_int_equal(faults_saying("exit 102 (clean stop)"), 1);
    assert_int_equal(faults_saying("crash 102"), 0);
    /* a crash is still a crash */
    cluster_kill(cl, kafka_broker_node(kafka_world_by_id(kw, 103)));
    assert_int_equal(faults_saying("crash 103"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kafka_world_converge_sees_lag_and_heal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_world_converge_timeout_is_a_violation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_world_clean_stop_is_quick, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_world_clean_stop_ends_in_an_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_world_broker_counts_follow_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_world_pinfo_agrees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kafka_world_controller_znode_outlives_the_crash, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
