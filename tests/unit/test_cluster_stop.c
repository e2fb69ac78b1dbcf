/* cluster_stop: the one clean stop behind lab.stop, the dashboard's s and
 * :stop and the fuzzer. A running broker exits by itself (KafkaServer's
 * controlledShutdown, then the session closes); a paused one is killed
 * when its stop outlives the bound its own settings give; a restart
 * abandons the stop. */
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
static sim *s;
static int ends, end_node;
static bool end_clean;

static void run_ms(uint64_t ms) { sim_run_until(s, sim_now_us(s) + ms * 1000); }

static void on_end(void *ctx, cluster *c, int node, bool clean)
{
    assert_ptr_equal(ctx, &ends);
    assert_ptr_equal(c, cl);
    ends++;
    end_node = node;
    end_clean = clean;
}

/* A world of three servers and three brokers with request.timeout.ms as
 * given, run until every broker has registered. */
static void world(uint32_t request_timeout_ms)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.seed = 5;
    cfg.brokers = 3;
    cfg.kafka.request_timeout_ms = request_timeout_ms;
    char err[128];
    cl = cluster_new(&cfg, err, sizeof err);
    assert_non_null(cl);
    s = cluster_sim(cl);
    ends = 0;
    run_ms(10000);
}

static int teardown(void **state)
{
    (void)state;
    cluster_free(cl);
    return 0;
}

static int node_of(int id) { return kafka_broker_node(kafka_world_by_id(cluster_kafka(cl), id)); }

static void test_cluster_stop_running_broker_exits_by_itself(void **state)
{
    (void)state;
    world(30000);
    int n = node_of(102);
    char err[96];
    assert_true(cluster_stop(cl, n, on_end, &ends, err, sizeof err));
    assert_true(cluster_stopping(cl, n));
    assert_int_equal(cluster_stops(cl), 1);
    assert_false(cluster_stop(cl, n, on_end, &ends, err, sizeof err));
    assert_string_equal(err, "102 is already stopping");
    run_ms(3000);
    assert_int_equal(ends, 1);
    assert_int_equal(end_node, n);
    assert_true(end_clean);
    assert_false(cluster_stopping(cl, n));
    assert_int_equal(sim_node_status(s, n), NODE_DOWN);
    assert_false(cluster_stop(cl, n, on_end, &ends, err, sizeof err));
    assert_string_equal(err, "102 is already down");
}

static void test_cluster_stop_refuses_a_server(void **state)
{
    (void)state;
    world(30000);
    char err[96];
    assert_false(cluster_stop(cl, cluster_find_node(cl, "zk2"), NULL, NULL, err, sizeof err));
    assert_string_equal(err, "zk2 is not a broker");
}

/* A paused broker never finishes: killed once the bound has passed, and
 * not before. The bound follows request.timeout.ms (an attempt's wait). */
static void paused_stop_is_killed_at_the_bound(uint32_t request_timeout_ms)
{
    world(request_timeout_ms);
    int n = node_of(103);
    uint64_t bound = kafka_broker_stop_bound_us(kafka_world_by_id(cluster_kafka(cl), 103));
    cluster_pause(cl, n, 0);
    assert_true(cluster_stop(cl, n, on_end, &ends, NULL, 0));
    run_ms(bound / 1000 - 500);
    assert_int_equal(ends, 0);
    assert_int_equal(sim_node_status(s, n), NODE_PAUSED);
    run_ms(1000);
    assert_int_equal(ends, 1);
    assert_false(end_clean);
    assert_int_equal(sim_node_status(s, n), NODE_DOWN);
}

static void test_cluster_stop_paused_broker_killed_at_bound(void **state)
{
    (void)state;
    paused_stop_is_killed_at_the_bound(30000);
}

static void test_cluster_stop_bound_follows_request_timeout(void **state)
{
    (void)state;
    world(30000);
    uint64_t b30 = kafka_broker_stop_bound_us(kafka_world_by_id(cluster_kafka(cl), 101));
    cluster_free(cl);
    world(2000);
    uint64_t b2 = kafka_broker_stop_bound_us(kafka_world_by_id(cluster_kafka(cl), 101));
    assert_true(b2 < b30);
    cluster_free(cl);
    paused_stop_is_killed_at_the_bound(2000);
}

static void test_cluster_stop_restart_abandons_it(void **state)
{
    (void)state;
    world(30000);
    int n = node_of(101);
    uint64_t bound = kafka_broker_stop_bound_us(kafka_world_by_id(cluster_kafka(cl), 101));
    cluster_pause(cl, n, 0);
    assert_true(cluster_stop(cl, n, on_end, &ends, NULL, 0));
    cluster_restart(cl, n);
    assert_false(cluster_stopping(cl, n));
    run_ms(bound / 1000 + 1000);
    assert_int_equal(ends, 0);
    assert_int_equal(sim_node_status(s, n), NODE_UP);
}

static void test_cluster_stop_crash_ends_it_unclean(void **state)
{
    (void)state;
    world(30000);
    int n = node_of(101);
    cluster_pause(cl, n, 0);
    assert_true(cluster_stop(cl, n, on_end, &ends, NULL, 0));
    cluster_kill(cl, n);
    assert_int_equal(ends, 1);
    assert_false(end_clean);
    assert_false(cluster_stopping(cl, n));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_cluster_stop_running_broker_exits_by_itself, teardown),
        cmocka_unit_test_teardown(test_cluster_stop_refuses_a_server, teardown),
        cmocka_unit_test_teardown(test_cluster_stop_paused_broker_killed_at_bound, teardown),
        cmocka_unit_test_teardown(test_cluster_stop_bound_follows_request_timeout, teardown),
        cmocka_unit_test_teardown(test_cluster_stop_restart_abandons_it, teardown),
        cmocka_unit_test_teardown(test_cluster_stop_crash_ends_it_unclean, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
