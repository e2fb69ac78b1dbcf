/* cluster_twin: two worlds compared side by side (lab.compare) take every
 * fault alike, whoever acts (a script, a key, the command line): the node
 * of the same name in the twin is hit too, a node only one world has is
 * hit there alone, a split or a link maps by name, a clean stop stops the
 * twin's broker unheard, and freeing one world parts them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cluster.h"
#include "net.h"

static cluster *world(int zookeepers, int brokers, uint64_t seed)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.zookeepers = zookeepers;
    cfg.brokers = brokers;
    cfg.seed = seed;
    char err[128];
    cluster *c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(c);
    return c;
}

static node_status status(cluster *c, const char *name)
{
    return sim_node_status(cluster_sim(c), cluster_find_node(c, name));
}

static void test_cluster_twin_faults_by_name(void **state)
{
    (void)state;
    cluster *a = world(3, 2, 1), *b = world(5, 2, 2);
    cluster_twin(a, b);
    cluster_kill(a, cluster_find_node(a, "zk1"));
    assert_int_equal(status(a, "zk1"), NODE_DOWN);
    assert_int_equal(status(b, "zk1"), NODE_DOWN);
    /* from the other side too, and a node only b has: b alone */
    cluster_pause(b, cluster_find_node(b, "zk5"), 0);
    assert_int_equal(status(b, "zk5"), NODE_PAUSED);
    cluster_pause(b, cluster_find_node(b, "102"), 0);
    assert_int_equal(status(a, "102"), NODE_PAUSED);
    cluster_resume(a, cluster_find_node(a, "102"));
    assert_int_equal(status(b, "102"), NODE_UP);
    cluster_restart(a, cluster_find_node(a, "zk1"));
    assert_int_equal(status(b, "zk1"), NODE_UP);
    /* links map by name: zk2 -> zk3 is cut in both */
    cluster_isolate(a, cluster_find_node(a, "zk2"));
    net *nb = sim_net(cluster_sim(b));
    assert_true(net_link(nb, cluster_find_node(b, "zk2"), cluster_find_node(b, "zk3")).cut);
    cluster_heal(b);
    net *na = sim_net(cluster_sim(a));
    assert_false(net_link(na, cluster_find_node(a, "zk2"), cluster_find_node(a, "zk3")).cut);
    int sa[] = { cluster_find_node(a, "zk1") }, sb[] = { cluster_find_node(a, "zk2"),
                                                         cluster_find_node(a, "zk3") };
    cluster_split(a, sa, 1, sb, 2);
    assert_true(net_link(nb, cluster_find_node(b, "zk1"), cluster_find_node(b, "zk3")).cut);
    assert_false(net_link(nb, cluster_find_node(b, "zk1"), cluster_find_node(b, "zk4")).cut);
    cluster_free(a);
    /* parted: b acts alone, nothing dangles */
    cluster_kill(b, cluster_find_node(b, "zk4"));
    assert_int_equal(status(b, "zk4"), NODE_DOWN);
    cluster_free(b);
}

static void test_cluster_twin_clean_stop_in_both(void **state)
{
    (void)state;
    cluster *a = world(3, 3, 1), *b = world(3, 3, 1);
    cluster_twin(a, b);
    sim_run_until(cluster_sim(a), 10000000);
    sim_run_until(cluster_sim(b), 10000000);
    char err[96];
    assert_true(cluster_stop(a, cluster_find_node(a, "102"), NULL, NULL, err, sizeof err));
    assert_true(cluster_stopping(b, cluster_find_node(b, "102")));
    sim_run_until(cluster_sim(a), 15000000);
    sim_run_until(cluster_sim(b), 15000000);
    assert_int_equal(status(a, "102"), NODE_DOWN);
    assert_int_equal(status(b, "102"), NODE_DOWN);
    cluster_twin(a, NULL);
    cluster_kill(a, cluster_find_node(a, "101"));
    assert_int_equal(status(b, "101"), NODE_UP);
    cluster_free(a);
    cluster_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cluster_twin_faults_by_name),
        cmocka_unit_test(test_cluster_twin_clean_stop_in_both),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
