/* Unit tests for meta_check: a KRaft broker's applied metadata must be a
 * prefix of the committed metadata log (issue 12; the broker's image is
 * what BrokerMetadataListener built by applying the records it fetched,
 * MetadataDelta/MetadataImage). A broker image that holds a record the
 * committed log does not (a diverging fence), one that applied past the
 * high watermark, and one that lost a record are violations; an image
 * rebuilt from the committed log's first records passes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "meta_check.h"

#define NLOG 7

static const kmeta_uuid TOPIC_ID = { 0x1111, 0x2222 };

/* The committed log: encoded records, offset 1 a control record (the
 * LeaderChangeMessage a new leader writes). */
typedef struct fake_log {
    wbuf rec[NLOG];
    bool control[NLOG];
    int64_t start;              /* first offset held (a trimmed log) */
} fake_log;

static bool entry(void *ctx, int64_t o, bool *control, const uint8_t **d, size_t *n)
{
    fake_log *l = ctx;
    if (o < l->start || o >= NLOG) return false;
    *control = l->control[o];
    *d = l->rec[o].data;
    *n = l->rec[o].len;
    return true;
}

static kmeta_rec reg(int id)
{
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_REGISTER_BROKER);
    r.broker_id = id;
    r.broker_epoch = id - 101;
    r.incarnation = (kmeta_uuid){ 7, (uint64_t)id };
    return r;
}

static kmeta_rec fence(kmeta_type t, int id)
{
    kmeta_rec r;
    kmeta_rec_init(&r, t);
    r.broker_id = id;
    r.broker_epoch = id - 101;
    return r;
}

static kmeta_rec topic(void)
{
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_TOPIC);
    strcpy(r.topic, "t");
    r.topic_id = TOPIC_ID;
    return r;
}

static kmeta_rec part(int leader)
{
    static const int rep[] = { 101, 102 };
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_PARTITION);
    r.topic_id = TOPIC_ID;
    r.partition = 0;
    kmeta_ids_set(&r.replicas, rep, 2);
    kmeta_ids_set(&r.isr, rep, 2);
    r.leader = leader;
    return r;
}

/* 0 reg 101, 1 control, 2 reg 102, 3 unfence 101, 4 unfence 102,
 * 5 topic t, 6 partition t-0 led by 101 */
static kmeta_rec log_rec(int o)
{
    switch (o) {
    case 0: return reg(101);
    case 2: return reg(102);
    case 3: return fence(KMETA_UNFENCE_BROKER, 101);
    case 4: return fence(KMETA_UNFENCE_BROKER, 102);
    case 5: return topic();
    default: return part(101);
    }
}

static void make_log(fake_log *l)
{
    memset(l, 0, sizeof *l);
    for (int o = 0; o < NLOG; o++) {
        wbuf_init(&l->rec[o]);
        l->control[o] = o == 1;
        kmeta_rec r = log_rec(o);
        if (o == 1) w_u8(&l->rec[o], 0xff);     /* not a metadata record */
        else kmeta_rec_encode(&r, &l->rec[o]);
    }
}

static void free_log(fake_log *l)
{
    for (int o = 0; o < NLOG; o++) wbuf_free(&l->rec[o]);
}

static void put(kmeta_image *img, kmeta_rec r, int64_t o)
{
    char err[128] = "";
    if (!kmeta_image_apply(img, &r, o, err, sizeof err))
        fail_msg("apply at %lld: %s", (long long)o, err);
}

/* What a broker that applied the log's records [0, upto] holds. */
static kmeta_image *broker_image(int upto)
{
    kmeta_image *img = kmeta_image_new();
    for (int o = 0; o <= upto; o++)
        if (o != 1) put(img, log_rec(o), o);
    return img;
}

static void test_meta_check_prefix_passes(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    char why[256] = "";
    for (int upto = 0; upto < NLOG; upto++) {
        kmeta_image *img = broker_image(upto);
        assert_int_equal(meta_check_prefix(img, NLOG, entry, &l, why, sizeof why), META_OK);
        kmeta_image_free(img);
    }
    kmeta_image *none = kmeta_image_new();      /* nothing applied yet */
    assert_int_equal(meta_check_prefix(none, 0, entry, &l, why, sizeof why), META_OK);
    kmeta_image_free(none);
    free_log(&l);
}

/* The broker applied a FenceBrokerRecord where the committed log holds an
 * UnfenceBrokerRecord: its image is not the log's. */
static void test_meta_check_diverging_record(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    kmeta_image *img = broker_image(2);
    put(img, fence(KMETA_FENCE_BROKER, 101), 3);
    char why[256] = "";
    assert_int_equal(meta_check_prefix(img, NLOG, entry, &l, why, sizeof why), META_DIVERGED);
    assert_non_null(strstr(why, "not the committed log's image at offset 3"));
    assert_non_null(strstr(why, "broker 101's registration differs"));
    kmeta_image_free(img);
    free_log(&l);
}

/* A partition led by another broker than the log says. */
static void test_meta_check_diverging_partition(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    kmeta_image *img = broker_image(5);
    put(img, part(102), 6);
    char why[256] = "";
    assert_int_equal(meta_check_prefix(img, NLOG, entry, &l, why, sizeof why), META_DIVERGED);
    assert_non_null(strstr(why, "t-0: replicas, ISR, leader or epochs differ (leader 102"));
    kmeta_image_free(img);
    free_log(&l);
}

/* The broker skipped a record (offset 3): same offset, another image. */
static void test_meta_check_skipped_record(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    kmeta_image *img = kmeta_image_new();
    put(img, log_rec(0), 0);
    put(img, log_rec(2), 2);
    put(img, log_rec(4), 4);
    char why[256] = "";
    assert_int_equal(meta_check_prefix(img, NLOG, entry, &l, why, sizeof why), META_DIVERGED);
    kmeta_image_free(img);
    free_log(&l);
}

/* A broker that loaded a snapshot ending just past the control record at
 * offset 1 is at offset 1 (MetadataProvenance.lastContainedOffset), a
 * control record a replay skips: the prefix check compares the state, the
 * offset being pinned by the replay itself. (It reported "applied up to
 * offset 1 against 0" once the fuzzer took snapshots.) */
static void test_meta_check_snapshot_at_control_record(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    kmeta_image *replayed = broker_image(0);
    wbuf w;
    wbuf_init(&w);
    kmeta_image_write(replayed, &w);
    char err[128] = "";
    kmeta_image *loaded = kmeta_image_read(w.data, w.len, 2, err, sizeof err);
    assert_non_null(loaded);
    assert_int_equal(kmeta_image_offset(loaded), 1);
    char why[256] = "";
    assert_int_equal(meta_check_prefix(loaded, NLOG, entry, &l, why, sizeof why), META_OK);
    assert_false(meta_check_same(loaded, replayed, why, sizeof why));
    assert_true(meta_check_same_state(loaded, replayed, why, sizeof why));
    kmeta_image_free(loaded);
    kmeta_image_free(replayed);
    wbuf_free(&w);
    free_log(&l);
}

/* Applied past the high watermark: a record not (yet) committed. */
static void test_meta_check_uncommitted(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    kmeta_image *img = broker_image(5);
    char why[256] = "";
    assert_int_equal(meta_check_prefix(img, 5, entry, &l, why, sizeof why), META_DIVERGED);
    assert_non_null(strstr(why, "applied offset 5 is not committed (high watermark 5)"));
    assert_int_equal(meta_check_prefix(img, 6, entry, &l, why, sizeof why), META_OK);
    kmeta_image_free(img);
    free_log(&l);
}

/* A log that no longer holds its first records cannot be replayed. */
static void test_meta_check_trimmed_log(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    l.start = 3;
    kmeta_image *img = broker_image(5);
    char why[256] = "";
    assert_int_equal(meta_check_prefix(img, NLOG, entry, &l, why, sizeof why), META_UNCHECKED);
    kmeta_image_free(img);
    free_log(&l);
}

/* Several brokers at once, replayed once: the diverging one is named
 * whatever the order they come in. */
static void test_meta_check_many(void **state)
{
    (void)state;
    fake_log l;
    make_log(&l);
    kmeta_image *good6 = broker_image(6), *good2 = broker_image(2), *bad = broker_image(3);
    put(bad, fence(KMETA_FENCE_BROKER, 102), 4);   /* the log unfences 102 there */
    const kmeta_image *imgs[] = { good6, bad, good2 };
    int which = -1;
    char why[256] = "";
    assert_int_equal(meta_check_prefixes(imgs, 2 + 1, NLOG, entry, &l, &which, why, sizeof why),
                     META_DIVERGED);
    assert_int_equal(which, 1);
    assert_non_null(strstr(why, "at offset 4"));
    const kmeta_image *fine[] = { good6, good2 };
    assert_int_equal(meta_check_prefixes(fine, 2, NLOG, entry, &l, &which, why, sizeof why),
                     META_OK);
    kmeta_image_free(good6);
    kmeta_image_free(good2);
    kmeta_image_free(bad);
    free_log(&l);
}

/* Two images compared: equal ones pass, and a config set in one only is
 * a difference. */
static void test_meta_check_same_configs(void **state)
{
    (void)state;
    kmeta_image *a = broker_image(6), *b = broker_image(5);
    char why[256] = "";
    assert_false(meta_check_same(a, b, why, sizeof why));
    assert_non_null(strstr(why, "applied up to offset 6 against 5"));
    kmeta_image_free(b);
    b = broker_image(6);
    assert_true(meta_check_same(a, b, why, sizeof why));
    kmeta_rec c;
    kmeta_rec_init(&c, KMETA_CONFIG);
    c.resource_type = KMETA_RESOURCE_TOPIC;
    strcpy(c.topic, "t");
    strcpy(c.conf_name, "min.insync.replicas");
    strcpy(c.conf_value, "2");
    put(a, c, 7);
    put(b, part(101), 7);
    assert_false(meta_check_same(a, b, why, sizeof why));
    kmeta_image_free(a);
    kmeta_image_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_check_prefix_passes),
        cmocka_unit_test(test_meta_check_diverging_record),
        cmocka_unit_test(test_meta_check_diverging_partition),
        cmocka_unit_test(test_meta_check_skipped_record),
        cmocka_unit_test(test_meta_check_uncommitted),
        cmocka_unit_test(test_meta_check_snapshot_at_control_record),
        cmocka_unit_test(test_meta_check_trimmed_log),
        cmocka_unit_test(test_meta_check_many),
        cmocka_unit_test(test_meta_check_same_configs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
