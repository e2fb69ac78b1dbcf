/* Unit tests for KRaft's metadata records (the JSON schemas in Kafka's
 * metadata/src/main/resources/common/metadata) and the image built by
 * applying them in order (MetadataDelta, PartitionRegistration.merge,
 * ClusterControlManager.replay). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kmeta_image.h"

static const kmeta_uuid TOPIC_ID = { 0x1111, 0x2222 };

static kmeta_rec reg(int id, int64_t epoch)
{
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_REGISTER_BROKER);
    r.broker_id = id;
    r.broker_epoch = epoch;
    r.incarnation = (kmeta_uuid){ 7, (uint64_t)id };
    return r;
}

static kmeta_rec fence(kmeta_type t, int id, int64_t epoch)
{
    kmeta_rec r;
    kmeta_rec_init(&r, t);
    r.broker_id = id;
    r.broker_epoch = epoch;
    return r;
}

static kmeta_rec part(int p, const int *rep, int n, int leader)
{
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_PARTITION);
    r.topic_id = TOPIC_ID;
    r.partition = p;
    kmeta_ids_set(&r.replicas, rep, n);
    kmeta_ids_set(&r.isr, rep, n);
    r.leader = leader;
    r.leader_epoch = 0;
    r.partition_epoch = 0;
    return r;
}

static void apply_ok(kmeta_image *img, kmeta_rec r, int64_t off)
{
    char err[128] = "";
    bool ok = kmeta_image_apply(img, &r, off, err, sizeof err);
    if (!ok) fail_msg("apply at %lld: %s", (long long)off, err);
}

/* An image with brokers 101..103 (101 unfenced) and topic t, one
 * partition on [101, 102, 103] led by 101. */
static kmeta_image *sample(void)
{
    kmeta_image *img = kmeta_image_new();
    apply_ok(img, reg(101, 0), 0);
    apply_ok(img, reg(102, 1), 1);
    apply_ok(img, reg(103, 2), 2);
    apply_ok(img, fence(KMETA_UNFENCE_BROKER, 101, 0), 3);
    kmeta_rec t;
    kmeta_rec_init(&t, KMETA_TOPIC);
    strcpy(t.topic, "t");
    t.topic_id = TOPIC_ID;
    apply_ok(img, t, 4);
    const int rep[] = { 101, 102, 103 };
    apply_ok(img, part(0, rep, 3, 101), 5);
    return img;
}

static void test_kmeta_rec_defaults_follow_schema(void **state)
{
    (void)state;
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_REGISTER_BROKER);
    assert_true(r.fenced);                  /* "Fenced" default "true" */
    kmeta_rec_init(&r, KMETA_PARTITION_CHANGE);
    assert_int_equal(r.leader, -2);         /* "Leader" default "-2" */
    assert_int_equal(r.isr.n, -1);          /* "Isr" default null */
    assert_int_equal(r.replicas.n, -1);
    assert_int_equal(r.leader_recovery, -1);
    kmeta_rec_init(&r, KMETA_PARTITION);
    assert_int_equal(r.leader, -1);
    assert_int_equal(r.partition, -1);
    assert_int_equal(r.isr.n, 0);
    assert_string_equal(kmeta_type_name(KMETA_FENCE_BROKER), "FenceBrokerRecord");
    assert_int_equal(KMETA_FENCE_BROKER, 7);        /* FenceBrokerRecord apiKey */
    assert_int_equal(KMETA_PARTITION_CHANGE, 5);
    assert_int_equal(KMETA_BROKER_REG_CHANGE, 17);
}

static void roundtrip(const kmeta_rec *r)
{
    wbuf w;
    wbuf_init(&w);
    kmeta_rec_encode(r, &w);
    kmeta_rec back;
    assert_true(kmeta_rec_decode(w.data, w.len, &back));
    char a[512], b[512];
    kmeta_rec_describe(r, a, sizeof a);
    kmeta_rec_describe(&back, b, sizeof b);
    assert_string_equal(a, b);
    assert_false(kmeta_rec_decode(w.data, w.len - 1, &back));   /* cut short */
    w.data[0] = 99;                                             /* no such type */
    assert_false(kmeta_rec_decode(w.data, w.len, &back));
    wbuf_free(&w);
}

static void test_kmeta_rec_roundtrip(void **state)
{
    (void)state;
    kmeta_rec r = reg(102, 17);
    strcpy(r.rack, "a");
    roundtrip(&r);
    r = fence(KMETA_FENCE_BROKER, 102, 17);
    roundtrip(&r);
    const int rep[] = { 102, 103 };
    r = part(3, rep, 2, 102);
    roundtrip(&r);
    kmeta_rec_init(&r, KMETA_PARTITION_CHANGE);
    r.topic_id = TOPIC_ID;
    r.partition = 3;
    kmeta_ids_set(&r.isr, rep, 1);
    roundtrip(&r);
    kmeta_rec_init(&r, KMETA_TOPIC);
    strcpy(r.topic, "orders");
    roundtrip(&r);
    kmeta_rec_init(&r, KMETA_CONFIG);
    r.resource_type = KMETA_RESOURCE_TOPIC;
    strcpy(r.topic, "orders");
    strcpy(r.conf_name, "min.insync.replicas");
    strcpy(r.conf_value, "2");
    roundtrip(&r);
    char buf[256];
    kmeta_rec_describe(&r, buf, sizeof buf);
    assert_string_equal(buf, "ConfigRecord(resourceType=2, resourceName='orders', "
                        "name='min.insync.replicas', value='2')");
}

static void test_kmeta_rec_describe_change_names_what_changed(void **state)
{
    (void)state;
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_PARTITION_CHANGE);
    r.partition = 0;
    r.topic_id = (kmeta_uuid){ 0, 1 };
    const int isr[] = { 102, 103 };
    kmeta_ids_set(&r.isr, isr, 2);
    r.leader = 102;
    char buf[256];
    kmeta_rec_describe(&r, buf, sizeof buf);
    assert_string_equal(buf, "PartitionChangeRecord(partitionId=0, topicId="
                        "AAAAAAAAAAAAAAAAAAAAAQ, isr=[102, 103], leader=102)");
    char small[8];
    assert_int_equal(kmeta_rec_describe(&r, small, sizeof small), 7);
    assert_string_equal(small, "Partiti");
}

static void test_kmeta_image_applies_in_order(void **state)
{
    (void)state;
    kmeta_image *img = sample();
    assert_int_equal(kmeta_image_offset(img), 5);
    assert_int_equal(kmeta_image_nbrokers(img), 3);
    assert_false(kmeta_image_broker(img, 101)->fenced);
    assert_true(kmeta_image_broker(img, 102)->fenced);  /* registered fenced */
    assert_int_equal(kmeta_image_broker(img, 102)->reg_offset, 1);
    const kmeta_part *p = kmeta_image_part(img, "t", 0);
    assert_non_null(p);
    assert_int_equal(p->leader, 101);
    assert_null(kmeta_image_part(img, "t", 1));
    assert_null(kmeta_image_part(img, "u", 0));
    kmeta_image_free(img);
}

/* PartitionRegistration.merge: a change naming a leader (even the same
 * one) bumps the leader epoch; every change bumps the partition epoch;
 * null lists keep the old ones. */
static void test_kmeta_image_change_merges_epochs(void **state)
{
    (void)state;
    kmeta_image *img = sample();
    kmeta_rec c;
    kmeta_rec_init(&c, KMETA_PARTITION_CHANGE);
    c.topic_id = TOPIC_ID;
    c.partition = 0;
    const int isr[] = { 101, 103 };
    kmeta_ids_set(&c.isr, isr, 2);
    apply_ok(img, c, 6);                    /* ISR only: same leader epoch */
    const kmeta_part *p = kmeta_image_part(img, "t", 0);
    assert_int_equal(p->leader_epoch, 0);
    assert_int_equal(p->partition_epoch, 1);
    assert_int_equal(p->isr.n, 2);
    assert_int_equal(p->replicas.n, 3);     /* null: unchanged */
    kmeta_rec_init(&c, KMETA_PARTITION_CHANGE);
    c.topic_id = TOPIC_ID;
    c.partition = 0;
    c.leader = 101;                         /* same leader: epoch bump */
    apply_ok(img, c, 7);
    assert_int_equal(p->leader_epoch, 1);
    assert_int_equal(p->partition_epoch, 2);
    c.leader = 103;
    apply_ok(img, c, 8);
    assert_int_equal(p->leader, 103);
    assert_int_equal(p->leader_epoch, 2);
    assert_int_equal(p->isr.n, 2);
    kmeta_image_free(img);
}

/* ClusterControlManager.replay refuses a fence for another broker epoch;
 * MetadataDelta refuses a change to a partition it does not know. */
static void test_kmeta_image_refuses_what_does_not_fit(void **state)
{
    (void)state;
    kmeta_image *img = sample();
    char err[128];
    kmeta_rec f = fence(KMETA_FENCE_BROKER, 101, 99);
    assert_false(kmeta_image_apply(img, &f, 6, err, sizeof err));
    assert_non_null(strstr(err, "epoch"));
    assert_false(kmeta_image_broker(img, 101)->fenced);
    f.broker_epoch = 0;
    assert_false(kmeta_image_apply(img, &f, 5, err, sizeof err));  /* old offset */
    assert_true(kmeta_image_apply(img, &f, 6, err, sizeof err));
    assert_true(kmeta_image_broker(img, 101)->fenced);
    kmeta_rec c;
    kmeta_rec_init(&c, KMETA_PARTITION_CHANGE);
    c.topic_id = TOPIC_ID;
    c.partition = 4;
    assert_false(kmeta_image_apply(img, &c, 7, err, sizeof err));
    assert_int_equal(kmeta_image_offset(img), 6);
    kmeta_image_free(img);
}

/* A broker that registers again (a restart) gets the new epoch, starts
 * fenced, and its BrokerRegistrationChangeRecord unfences it. */
static void test_kmeta_image_reregistration_replaces(void **state)
{
    (void)state;
    kmeta_image *img = sample();
    apply_ok(img, reg(101, 6), 6);
    assert_int_equal(kmeta_image_nbrokers(img), 3);
    assert_int_equal(kmeta_image_broker(img, 101)->epoch, 6);
    assert_true(kmeta_image_broker(img, 101)->fenced);
    kmeta_rec c = fence(KMETA_BROKER_REG_CHANGE, 101, 6);
    c.fencing_change = -1;
    apply_ok(img, c, 7);
    assert_false(kmeta_image_broker(img, 101)->fenced);
    apply_ok(img, fence(KMETA_UNREGISTER_BROKER, 101, 6), 8);
    assert_null(kmeta_image_broker(img, 101));
    kmeta_image_free(img);
}

/* MetadataImage.write for a snapshot: the image as records (a
 * RegisterBrokerRecord per broker with its epoch and fencing, a
 * TopicRecord, a PartitionRecord per partition with its epochs, a
 * ConfigRecord per topic config); reading them back gives the same
 * image at the snapshot's offset, with each broker's registration offset
 * its epoch, and a change applied after it works as on the original. */
static void test_kmeta_image_snapshot_roundtrip(void **state)
{
    (void)state;
    kmeta_image *img = sample();
    kmeta_rec c;
    kmeta_rec_init(&c, KMETA_PARTITION_CHANGE);
    c.topic_id = TOPIC_ID;
    c.partition = 0;
    c.leader = 102;
    apply_ok(img, c, 6);
    kmeta_rec cf;
    kmeta_rec_init(&cf, KMETA_CONFIG);
    cf.resource_type = KMETA_RESOURCE_TOPIC;
    strcpy(cf.topic, "t");
    strcpy(cf.conf_name, "min.insync.replicas");
    strcpy(cf.conf_value, "2");
    apply_ok(img, cf, 7);
    kmeta_rec cs = fence(KMETA_BROKER_REG_CHANGE, 103, 2);
    cs.in_controlled_shutdown = 1;
    apply_ok(img, cs, 8);
    wbuf w;
    wbuf_init(&w);
    kmeta_image_write(img, &w);
    char err[128] = "";
    kmeta_image *back = kmeta_image_read(w.data, w.len, 9, err, sizeof err);
    assert_non_null(back);
    assert_int_equal(kmeta_image_offset(back), 8);
    assert_true(kmeta_image_broker(back, 103)->in_controlled_shutdown);
    assert_false(kmeta_image_broker(back, 102)->in_controlled_shutdown);
    assert_int_equal(kmeta_image_nbrokers(back), 3);
    assert_false(kmeta_image_broker(back, 101)->fenced);
    assert_true(kmeta_image_broker(back, 102)->fenced);
    assert_int_equal(kmeta_image_broker(back, 103)->reg_offset, 2);
    const kmeta_part *p = kmeta_image_part(back, "t", 0);
    assert_non_null(p);
    assert_int_equal(p->leader, 102);
    assert_int_equal(p->leader_epoch, 1);
    assert_int_equal(p->partition_epoch, 1);
    assert_string_equal(kmeta_image_topic_config(back, "t", "min.insync.replicas"), "2");
    wbuf again;
    wbuf_init(&again);
    kmeta_image_write(back, &again);
    assert_int_equal(again.len, w.len);
    assert_memory_equal(again.data, w.data, w.len);
    /* 3 brokers, 1 topic, 1 partition, 1 config */
    rbuf in = rbuf_of(w.data, w.len);
    assert_int_equal(r_u32(&in), 6);
    c.leader = 103;
    apply_ok(back, c, 9);
    assert_int_equal(kmeta_image_part(back, "t", 0)->leader_epoch, 2);
    kmeta_image *copy = kmeta_image_clone(back);
    assert_int_equal(kmeta_image_offset(copy), 9);
    assert_int_equal(kmeta_image_part(copy, "t", 0)->leader, 103);
    assert_null(kmeta_image_read(w.data, w.len - 1, 9, err, sizeof err));
    kmeta_image_free(copy);
    wbuf_free(&again);
    wbuf_free(&w);
    kmeta_image_free(back);
    kmeta_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kmeta_rec_defaults_follow_schema),
        cmocka_unit_test(test_kmeta_rec_roundtrip),
        cmocka_unit_test(test_kmeta_rec_describe_change_names_what_changed),
        cmocka_unit_test(test_kmeta_image_applies_in_order),
        cmocka_unit_test(test_kmeta_image_change_merges_epochs),
        cmocka_unit_test(test_kmeta_image_refuses_what_does_not_fit),
        cmocka_unit_test(test_kmeta_image_reregistration_replaces),
        cmocka_unit_test(test_kmeta_image_snapshot_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
