/* Unit tests for the world's assignment index: it answers as a parse of
 * the /brokers/topics/<t> JSON would (kafka_json_partitions, the format
 * Kafka's TopicZNode writes), follows the znode when it changes, and
 * drops a topic whose znode went. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kafka_pindex.h"

static const kafka_ptopic *sync_json(kafka_pindex *x, const char *topic,
                                     const char *json, int64_t mzxid)
{
    zstat st = { .czxid = 5, .mzxid = mzxid };
    return kafka_pindex_sync(x, topic, (const uint8_t *)json, strlen(json), &st);
}

static void test_kafka_pindex_answers_as_the_json_says(void **state)
{
    (void)state;
    kafka_pindex *x = kafka_pindex_new();
    const kafka_ptopic *t = sync_json(x, "orders",
        "{\"version\":2,\"partitions\":{\"0\":[101,102,103],\"1\":[102],\"2\":[]},"
        "\"adding_replicas\":{},\"removing_replicas\":{}}", 5);
    assert_int_equal(kafka_ptopic_count(t), 3);
    kafka_pstate st;
    kafka_ptopic_replicas(t, 0, &st);
    assert_int_equal(st.nrep, 3);
    assert_int_equal(st.replicas[0], 101);
    assert_int_equal(st.replicas[2], 103);
    kafka_ptopic_replicas(t, 1, &st);
    assert_int_equal(st.nrep, 1);
    assert_int_equal(st.replicas[0], 102);
    kafka_ptopic_replicas(t, 2, &st);
    assert_int_equal(st.nrep, 0);
    kafka_ptopic_replicas(t, 3, &st);          /* past the end: none */
    assert_int_equal(st.nrep, 0);
    kafka_pindex_free(x);
}

static void test_kafka_pindex_follows_the_znode(void **state)
{
    (void)state;
    kafka_pindex *x = kafka_pindex_new();
    const char *one = "{\"partitions\":{\"0\":[1,2]}}";
    const char *two = "{\"partitions\":{\"0\":[3,1],\"1\":[2,3]}}";
    kafka_pstate st;
    /* same version: the entry kept (the data is not read again) */
    sync_json(x, "t", one, 7);
    char same_len[64];
    memset(same_len, 'x', strlen(one));
    same_len[strlen(one)] = 0;
    const kafka_ptopic *t = sync_json(x, "t", same_len, 7);
    assert_int_equal(kafka_ptopic_count(t), 1);
    /* a new mzxid (partitions added): parsed again */
    t = sync_json(x, "t", two, 9);
    assert_int_equal(kafka_ptopic_count(t), 2);
    kafka_ptopic_replicas(t, 0, &st);
    assert_int_equal(st.replicas[0], 3);
    /* the topic deleted and made again: the znode's czxid differs */
    kafka_pindex_forget(x, "t");
    zstat z = { .czxid = 11, .mzxid = 11 };
    t = kafka_pindex_sync(x, "t", (const uint8_t *)one, strlen(one), &z);
    assert_int_equal(kafka_ptopic_count(t), 1);
    kafka_ptopic_replicas(t, 0, &st);
    assert_int_equal(st.replicas[0], 1);
    kafka_pindex_free(x);
}

static void test_kafka_pindex_bad_json_and_repeated_keys(void **state)
{
    (void)state;
    kafka_pindex *x = kafka_pindex_new();
    assert_int_equal(kafka_ptopic_count(sync_json(x, "bad", "{\"partitions\":[1]}", 1)), -1);
    /* a repeated key: the last one wins, as a parse into a map would */
    const kafka_ptopic *t = sync_json(x, "rep",
                                      "{\"partitions\":{\"0\":[1],\"1\":[2],\"0\":[4,5]}}", 1);
    assert_int_equal(kafka_ptopic_count(t), 3);
    kafka_pstate st;
    kafka_ptopic_replicas(t, 0, &st);
    assert_int_equal(st.nrep, 2);
    assert_int_equal(st.replicas[1], 5);
    kafka_pindex_free(x);
}

static void test_kafka_pindex_many_topics(void **state)
{
    (void)state;
    kafka_pindex *x = kafka_pindex_new();
    char name[16], json[64];
    for (int i = 0; i < 100; i++) {       /* grows past its first slots */
        snprintf(name, sizeof name, "t%d", i);
        snprintf(json, sizeof json, "{\"partitions\":{\"0\":[%d]}}", i);
        sync_json(x, name, json, 1);
    }
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "t%d", i);
        snprintf(json, sizeof json, "{\"partitions\":{\"0\":[%d]}}", i);
        kafka_pstate st;
        kafka_ptopic_replicas(sync_json(x, name, json, 1), 0, &st);
        assert_int_equal(st.replicas[0], i);
    }
    kafka_pindex_free(x);
    kafka_pindex_free(NULL);
}

/* A reassignment's "adding_replicas" and "removing_replicas" (KIP-455,
 * TopicZNode) are answered from the index as a parse would: a partition
 * not listed is not moving, a repeated key's last list wins, and a new
 * znode version is read again. */
static void test_kafka_pindex_moving_replicas(void **state)
{
    (void)state;
    kafka_pindex *x = kafka_pindex_new();
    const kafka_ptopic *t = sync_json(x, "orders",
        "{\"version\":2,\"partitions\":{\"0\":[101,102,104],\"1\":[102,103]},"
        "\"adding_replicas\":{\"0\":[105],\"0\":[104]},"
        "\"removing_replicas\":{\"0\":[103]}}", 5);
    int add[KAFKA_RF_MAX], rem[KAFKA_RF_MAX], na, nr;
    assert_true(kafka_ptopic_moving(t, 0, add, &na, rem, &nr));
    assert_int_equal(na, 1);
    assert_int_equal(add[0], 104);
    assert_int_equal(nr, 1);
    assert_int_equal(rem[0], 103);
    assert_false(kafka_ptopic_moving(t, 1, add, &na, rem, &nr));
    assert_int_equal(na + nr, 0);
    t = sync_json(x, "orders",
        "{\"version\":2,\"partitions\":{\"0\":[101,102,104],\"1\":[102,103]},"
        "\"adding_replicas\":{},\"removing_replicas\":{}}", 6);
    assert_false(kafka_ptopic_moving(t, 0, add, &na, rem, &nr));
    kafka_pindex_free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_pindex_answers_as_the_json_says),
        cmocka_unit_test(test_kafka_pindex_follows_the_znode),
        cmocka_unit_test(test_kafka_pindex_bad_json_and_repeated_keys),
        cmocka_unit_test(test_kafka_pindex_many_topics),
        cmocka_unit_test(test_kafka_pindex_moving_replicas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
