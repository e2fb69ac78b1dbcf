/* A KRaft broker's Metadata answer names, as the controller, a random
 * alive (registered, unfenced) broker, as Kafka's does
 * (KafkaApis.handleTopicMetadataRequest: KRaftCachedControllerId ->
 * KRaftMetadataCache.getRandomAliveBrokerId; clients cannot reach the
 * controller quorum, KIP-590, and any broker forwards what is meant for
 * it). The lab's broker named itself before. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "kafka_testlib.h"
#include "kafka_proto.h"

/* Asks broker `id` for Metadata (all topics) from probe p; the controller
 * id of its answer. */
static int metadata_controller(kt_world *w, kt_probe *p, int id)
{
    wbuf b;
    wbuf_init(&b);
    w_u64(&b, 77);              /* correlation id */
    w_u32(&b, 0);               /* no names: every topic */
    int before = p->received;
    sim_send(w->s, p->node, kt_node(w, id), KMSG_METADATA, b.data, b.len);
    wbuf_free(&b);
    kt_run_ms(w, 50);
    assert_int_equal(p->received, before + 1);
    assert_int_equal(p->type, KMSG_METADATA_RESP);
    rbuf r = rbuf_of(p->data, p->len);
    assert_true(r_u64(&r) == 77);
    return (int)r_u32(&r);
}

static void test_kraft_metadata_controller_is_a_random_alive_broker(void **state)
{
    (void)state;
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.zookeepers = 0;
    cfg.controllers = 3;
    cfg.brokers = 3;
    cfg.seed = 4;
    char err[128];
    kt_world w;
    w.cl = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w.cl);
    w.s = cluster_sim(w.cl);
    w.kw = cluster_kafka(w.cl);
    kt_run_ms(&w, 10000);
    kt_probe p;
    kt_probe_init(&w, &p, "probe");
    bool named[3] = { false, false, false };
    for (int i = 0; i < 60; i++) {
        int c = metadata_controller(&w, &p, 101);
        /* a broker, never a controller's node.id (1..3) nor -1 */
        assert_true(c >= 101 && c <= 103);
        named[c - 101] = true;
    }
    /* random among the three: each one named at some point */
    assert_true(named[0] && named[1] && named[2]);
    /* a crashed broker is fenced after broker.session.timeout.ms and named
     * no more (getAliveBrokers leaves fenced ones out) */
    cluster_kill(w.cl, kt_node(&w, 103));
    kt_run_ms(&w, 15000);
    for (int i = 0; i < 40; i++) {
        int c = metadata_controller(&w, &p, 101);
        assert_true(c == 101 || c == 102);
    }
    cluster_free(w.cl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kraft_metadata_controller_is_a_random_alive_broker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
