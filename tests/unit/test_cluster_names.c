/* cluster_names: one resolver and one error text for the Lua API and the
 * dashboard. A node is named as the dashboard shows it; a bare number is
 * a broker id, never a server's number; the error says what exists. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cluster.h"

static cluster *make(int zookeepers, int brokers, const int *ids)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.zookeepers = zookeepers;
    cfg.brokers = brokers;
    for (int i = 0; ids && i < brokers; i++) cfg.broker_ids[i] = ids[i];
    char err[128];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(c);
    return c;
}

static void test_cluster_names_resolves_what_the_grid_shows(void **state)
{
    (void)state;
    cluster *c = make(3, 4, NULL);
    char err[160] = "";
    int zk3 = cluster_resolve(c, "zk3", NULL, err, sizeof err);
    assert_true(zk3 >= 0);
    assert_string_equal(sim_node_name(cluster_sim(c), zk3), "zk3");
    int b = cluster_resolve(c, "104", NULL, err, sizeof err);
    assert_true(b >= 0);
    assert_string_equal(sim_node_name(cluster_sim(c), b), "104");
    assert_string_equal(err, "");
    cluster_free(c);
}

static void test_cluster_names_unknown_says_what_exists(void **state)
{
    (void)state;
    cluster *c = make(3, 4, NULL);
    char err[160];
    assert_int_equal(cluster_resolve(c, "105", NULL, err, sizeof err), -1);
    assert_string_equal(err, "unknown node '105' (servers zk1..zk3, brokers 101..104)");
    /* "3" is not zk3: it would be broker 3 in a world with broker_ids */
    assert_int_equal(cluster_resolve(c, "3", NULL, err, sizeof err), -1);
    assert_string_equal(err, "unknown node '3' (servers zk1..zk3, brokers 101..104)");
    cluster_free(c);
}

static void test_cluster_names_without_brokers_and_one_server(void **state)
{
    (void)state;
    cluster *c = make(1, 0, NULL);
    char err[160];
    assert_int_equal(cluster_resolve(c, "zk2", NULL, err, sizeof err), -1);
    assert_string_equal(err, "unknown node 'zk2' (servers zk1, no brokers)");
    cluster_free(c);
}

static void test_cluster_names_small_broker_ids_are_brokers(void **state)
{
    (void)state;
    const int ids[] = { 3, 1, 7 };
    cluster *c = make(3, 3, ids);
    char err[160];
    int n = cluster_resolve(c, "3", NULL, err, sizeof err);
    assert_true(n >= 0);
    assert_int_equal(sim_node_kind(cluster_sim(c), n), NODE_BROKER);
    assert_int_equal(cluster_resolve(c, "2", NULL, err, sizeof err), -1);
    assert_string_equal(err, "unknown node '2' (servers zk1..zk3, brokers 3, 1, 7)");
    cluster_free(c);
}

static void test_cluster_names_long_id_list_is_cut(void **state)
{
    (void)state;
    int ids[40];
    for (int i = 0; i < 40; i++) ids[i] = 1000 + 2 * i;   /* not a run */
    cluster *c = make(3, 40, ids);
    char err[400];
    assert_int_equal(cluster_resolve(c, "5", NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "brokers 1000, 1002, "));
    assert_non_null(strstr(err, "...)"));
    assert_true(strlen(err) < 200);
    cluster_free(c);
}

static void test_cluster_names_words_translate(void **state)
{
    (void)state;
    cluster *c = make(3, 2, NULL);
    cluster_words w = { "no '%s' [%s]", "S=%s", "S=%s B=%s" };
    char err[160];
    assert_int_equal(cluster_resolve(c, "x", &w, err, sizeof err), -1);
    assert_string_equal(err, "no 'x' [S=zk1..zk3 B=101..102]");
    cluster_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_names_resolves_what_the_grid_shows),
        cmocka_unit_test(test_cluster_names_unknown_says_what_exists),
        cmocka_unit_test(test_cluster_names_without_brokers_and_one_server),
        cmocka_unit_test(test_cluster_names_small_broker_ids_are_brokers),
        cmocka_unit_test(test_cluster_names_long_id_list_is_cut),
        cmocka_unit_test(test_cluster_names_words_translate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
