/* Topic creation places replicas on the live brokers of the controller's
 * metadata cache (ZkAdminManager.createTopics: metadataCache.getAliveBrokers),
 * which the controller's own UpdateMetadata keeps a step behind its
 * context: a broker the controller has read but not yet told itself about
 * is not placed on. The controller's messages to itself are held back
 * (a link from its node to itself) to open that step wide. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "cluster.h"
#include "kafka_world.h"
#include "zk_server.h"
#include "ztree.h"

static cluster *cl;
static kafka_world *kw;
static sim *s;

static void run_ms(uint64_t ms) { sim_run_until(s, sim_now_us(s) + ms * 1000); }

static bool registered_in_zk(int id)
{
    char path[32];
    snprintf(path, sizeof path, "/brokers/ids/%d", id);
    for (int sid = 1; sid <= cluster_zk_count(cl); sid++)
        if (ztree_exists(zk_server_tree(cluster_zk(cl, sid)), path)) return true;
    return false;
}

static kerr create(const char *name, int rf)
{
    kafka_client *a = kafka_world_admin(kw);
    assert_true(kafka_client_admin(a, 1, name, 1, rf, 0, -1));
    for (int i = 0; i < 300 && kafka_client_busy(a); i++) run_ms(10);
    assert_false(kafka_client_busy(a));
    return kafka_client_admin_result(a);
}

static void test_kafka_placement_uses_the_metadata_cache(void **state)
{
    (void)state;
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.seed = 41;
    cfg.zookeepers = 1;
    cfg.brokers = 3;
    char err[128];
    cl = cluster_new(&cfg, err, sizeof err);
    assert_non_null(cl);
    s = cluster_sim(cl);
    kw = cluster_kafka(cl);
    run_ms(5000);
    int ctrl = kafka_world_controller(kw);
    assert_true(ctrl >= 0);
    int other = ctrl == 103 ? 102 : 103;
    int other_node = kafka_broker_node(kafka_world_by_id(kw, other));
    int ctrl_node = kafka_broker_node(kafka_world_by_id(kw, ctrl));
    kafka_broker_stop(kafka_world_by_id(kw, other));
    for (int i = 0; i < 100 && !kafka_broker_stop_done(kafka_world_by_id(kw, other)); i++)
        run_ms(10);
    cluster_kill(cl, other_node);
    run_ms(2000);
    /* what the controller sends itself (its UpdateMetadata) takes 3 s */
    cluster_link(cl, ctrl_node, ctrl_node, 0, 3000000, 3000000);
    cluster_restart(cl, other_node);
    for (int i = 0; i < 500 && !registered_in_zk(other); i++) run_ms(1);
    assert_true(registered_in_zk(other));
    run_ms(300);                        /* the controller has read it */
    assert_int_equal(create("early", 3), KERR_INVALID_REPLICATION_FACTOR);
    cluster_heal(cl);
    run_ms(4000);
    assert_int_equal(create("later", 3), KERR_NONE);
    cluster_free(cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_placement_uses_the_metadata_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
