/* real_kafka: a real Kafka client's connection against a world, as kcat's
 * librdkafka drives it: ApiVersions v3 answered UNSUPPORTED_VERSION in the
 * v0 layout (what a 2.8 broker's ApiVersionsRequest handling does for a
 * version it does not know), Produce v3 landing in the leader's log and
 * the ledger, Fetch v4 reading it back as a RecordBatch v2, and a hostile
 * frame or the broker's crash ending only that connection. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kafka_testlib.h"
#include "kafka_wire.h"
#include "real_kafka.h"

static int index_of(kt_world *w, int id)
{
    for (int i = 0; i < kafka_world_count(w->kw); i++)
        if (kafka_broker_id(kafka_world_broker(w->kw, i)) == id) return i;
    return -1;
}

static size_t header(wbuf *w, int16_t key, int16_t version, int32_t corr)
{
    size_t at = w->len;
    kw_w_i32(w, 0);
    kw_w_i16(w, key);
    kw_w_i16(w, version);
    kw_w_i32(w, corr);
    kw_w_string(w, "rdkafka");
    return at;
}

static void produce(wbuf *w, int32_t corr, const char *t, int p)
{
    kw_record recs[2] = { { NULL, (const uint8_t *)"one", -1, 3 },
                          { NULL, (const uint8_t *)"two", -1, 3 } };
    wbuf b;
    wbuf_init(&b);
    kw_w_batch(&b, 0, -1, recs, 2);
    size_t at = header(w, KW_PRODUCE, 3, corr);
    kw_w_string(w, NULL);
    kw_w_i16(w, -1);
    kw_w_i32(w, 5000);
    kw_w_i32(w, 1);
    kw_w_string(w, t);
    kw_w_i32(w, 1);
    kw_w_i32(w, p);
    kw_w_i32(w, (int32_t)b.len);
    w_raw(w, b.data, b.len);
    kw_end(w, at);
    wbuf_free(&b);
}

static void fetch(wbuf *w, int32_t corr, const char *t, int p, int64_t offset)
{
    size_t at = header(w, KW_FETCH, 4, corr);
    kw_w_i32(w, -1);
    kw_w_i32(w, 500);
    kw_w_i32(w, 1);
    kw_w_i32(w, 1 << 20);
    kw_w_i8(w, 0);
    kw_w_i32(w, 1);
    kw_w_string(w, t);
    kw_w_i32(w, 1);
    kw_w_i32(w, p);
    kw_w_i64(w, offset);
    kw_w_i32(w, 1 << 20);
    kw_end(w, at);
}

/* Takes the connection's output: one whole response frame. */
static kw_in answer(real_khub *h, int id, wbuf *keep)
{
    const uint8_t *p;
    size_t n = real_kafka_output(h, id, &p);
    wbuf_reset(keep);
    w_raw(keep, p, n);
    real_kafka_wrote(h, id, n);
    kw_in in = kw_in_of(keep->data, keep->len);
    assert_true(n >= 8);
    assert_int_equal(kw_i32(&in), (int32_t)n - 4);
    return in;
}

typedef struct seen { int n; char v[4][8]; } seen;

static void see(void *ctx, const kw_record *r)
{
    seen *s = ctx;
    if (s->n < 4 && r->value_len < 8) {
        memcpy(s->v[s->n], r->value, (size_t)r->value_len);
        s->v[s->n++][r->value_len] = 0;
    }
}

static void test_real_kafka_produce_then_fetch(void **state)
{
    (void)state;
    kt_world w;
    kt_init(&w, 3, 5);
    assert_int_equal(kt_create(&w, "t", 1, 3, 2, -1), KERR_NONE);
    int leader = kt_state(&w, "t", 0).leader;
    real_khub *h = real_khub_new(w.cl);
    char why[128];
    int id = real_kafka_accept(h, index_of(&w, leader), "127.0.0.1:5000", why, sizeof why);
    assert_true(id >= 0);
    wbuf req, out;
    wbuf_init(&req);
    wbuf_init(&out);

    /* ApiVersions v3: error 35 in the v0 layout, after the link's round trip */
    size_t at = header(&req, KW_API_VERSIONS, 3, 1);
    kw_w_i8(&req, 0);                           /* no tagged fields */
    kw_end(&req, at);
    assert_int_equal(real_kafka_input(h, id, req.data, req.len), req.len);
    const uint8_t *p;
    assert_int_equal(real_kafka_output(h, id, &p), 0);
    kt_run_ms(&w, 100);
    kw_in in = answer(h, id, &out);
    assert_int_equal(kw_i32(&in), 1);
    assert_int_equal(kw_i16(&in), KW_UNSUPPORTED_VERSION);
    assert_int_equal(kw_i32(&in), kw_napis);

    /* Produce v3 with acks=all: answered once the ISR has the records */
    wbuf_reset(&req);
    produce(&req, 2, "t", 0);
    real_kafka_input(h, id, req.data, req.len);
    kt_run_ms(&w, 2000);
    in = answer(h, id, &out);
    assert_int_equal(kw_i32(&in), 2);
    assert_int_equal(kw_i32(&in), 1);           /* one topic */
    const uint8_t *s;
    assert_int_equal(kw_string(&in, &s), 1);
    assert_int_equal(kw_i32(&in), 1);
    assert_int_equal(kw_i32(&in), 0);           /* partition */
    assert_int_equal(kw_i16(&in), 0);           /* no error */
    assert_int_equal(kw_i64(&in), 0);           /* base offset */
    kafka_audit a;
    kafka_world_audit(w.kw, &a);
    assert_int_equal(a.acked, 2);
    assert_int_equal(a.lost, 0);
    kafka_audit_free(&a);

    /* Fetch v4 from 0: the two records in a RecordBatch v2 */
    wbuf_reset(&req);
    fetch(&req, 3, "t", 0, 0);
    real_kafka_input(h, id, req.data, req.len);
    kt_run_ms(&w, 100);
    in = answer(h, id, &out);
    assert_int_equal(kw_i32(&in), 3);
    kw_i32(&in);                                /* throttle */
    assert_int_equal(kw_i32(&in), 1);
    kw_string(&in, &s);
    assert_int_equal(kw_i32(&in), 1);
    assert_int_equal(kw_i32(&in), 0);
    assert_int_equal(kw_i16(&in), 0);
    assert_int_equal(kw_i64(&in), 2);           /* high watermark */
    kw_i64(&in);
    assert_int_equal(kw_i32(&in), 0);           /* aborted transactions */
    const uint8_t *recs;
    int32_t len = kw_bytes(&in, &recs);
    seen got = { 0 };
    int32_t n;
    assert_int_equal(kw_batches_read(recs, (size_t)len, see, &got, &n), KW_NONE);
    assert_int_equal(n, 2);
    assert_string_equal(got.v[1], "two");

    /* a 2 GB size on a second connection closes that one only */
    int bad = real_kafka_accept(h, index_of(&w, leader), "127.0.0.1:5001", why, sizeof why);
    const uint8_t huge[4] = { 0x7f, 0xff, 0xff, 0xff };
    real_kafka_input(h, bad, huge, 4);
    assert_int_equal(real_kafka_end(h, bad), REAL_CLOSE);
    assert_int_equal(real_kafka_end(h, id), REAL_OPEN);
    real_kafka_release(h, bad);

    /* the broker dies: its real connection is reset */
    cluster_kill(w.cl, kt_node(&w, leader));
    kt_run_ms(&w, 100);                         /* the reset crosses the link */
    assert_int_equal(real_kafka_end(h, id), REAL_RESET);
    real_kafka_release(h, id);
    wbuf_free(&req);
    wbuf_free(&out);
    real_khub_free(h);
    kt_free(&w);
}

/* CreateTopics v2 of one topic with one config; DeleteTopics v1 of one. */
static void create_topics(wbuf *w, int32_t corr, const char *t, const char *key, const char *val)
{
    size_t at = header(w, KW_CREATE_TOPICS, 2, corr);
    kw_w_i32(w, 1);
    kw_w_string(w, t);
    kw_w_i32(w, 2);                             /* partitions */
    kw_w_i16(w, 3);                             /* replication factor */
    kw_w_i32(w, 0);                             /* no assignments */
    kw_w_i32(w, 1);
    kw_w_string(w, key);
    kw_w_string(w, val);
    kw_w_i32(w, 10000);
    kw_w_i8(w, 0);
    kw_end(w, at);
}

static void delete_topics(wbuf *w, int32_t corr, const char *t)
{
    size_t at = header(w, KW_DELETE_TOPICS, 1, corr);
    kw_w_i32(w, 1);
    kw_w_string(w, t);
    kw_w_i32(w, 10000);
    kw_end(w, at);
}

/* The error of the one topic of a CreateTopics/DeleteTopics answer. */
static int16_t admin_err(real_khub *h, int id, wbuf *out)
{
    kw_in in = answer(h, id, out);
    kw_i32(&in);                                /* correlation id */
    kw_i32(&in);                                /* throttle */
    assert_int_equal(kw_i32(&in), 1);
    const uint8_t *s;
    kw_string(&in, &s);
    return kw_i16(&in);
}

/* ControllerApis: CreateTopics and DeleteTopics go to the controller, any
 * other broker answers NOT_CONTROLLER (41); the controller creates the
 * topic with its config (AdminZkClient) and deletes it. */
static void test_real_kafka_create_delete_topics(void **state)
{
    (void)state;
    kt_world w;
    kt_init(&w, 3, 8);
    int ctrl = kafka_world_controller(w.kw);
    int other = ctrl == 101 ? 102 : 101;
    real_khub *h = real_khub_new(w.cl);
    char why[128];
    int id = real_kafka_accept(h, index_of(&w, ctrl), "127.0.0.1:5010", why, sizeof why);
    int no = real_kafka_accept(h, index_of(&w, other), "127.0.0.1:5011", why, sizeof why);
    wbuf req, out;
    wbuf_init(&req);
    wbuf_init(&out);
    create_topics(&req, 1, "made", "min.insync.replicas", "2");
    real_kafka_input(h, no, req.data, req.len);
    kt_run_ms(&w, 200);
    assert_int_equal(admin_err(h, no, &out), 41);
    real_kafka_input(h, id, req.data, req.len);
    kt_run_ms(&w, 3000);
    assert_int_equal(admin_err(h, id, &out), 0);
    int np;
    kafka_pstate st;
    assert_true(kafka_world_pstate(w.kw, "made", 1, &st, &np));
    assert_int_equal(np, 2);
    assert_int_equal(st.nrep, 3);
    real_kafka_input(h, id, req.data, req.len);     /* again */
    kt_run_ms(&w, 1000);
    assert_int_equal(admin_err(h, id, &out), 36);   /* TOPIC_ALREADY_EXISTS */
    wbuf_reset(&req);
    create_topics(&req, 2, "odd", "retention.ms", "1000");
    real_kafka_input(h, id, req.data, req.len);
    kt_run_ms(&w, 100);
    assert_int_equal(admin_err(h, id, &out), KW_INVALID_CONFIG);
    wbuf_reset(&req);
    delete_topics(&req, 3, "made");
    real_kafka_input(h, id, req.data, req.len);
    kt_run_ms(&w, 5000);
    assert_int_equal(admin_err(h, id, &out), 0);
    kt_run_ms(&w, 10000);
    assert_false(kafka_world_pstate(w.kw, "made", 0, &st, &np));
    wbuf_free(&req);
    wbuf_free(&out);
    real_khub_free(h);
    kt_free(&w);
}

static void test_real_kafka_unknown_api_closes(void **state)
{
    (void)state;
    kt_world w;
    kt_init(&w, 1, 6);
    real_khub *h = real_khub_new(w.cl);
    char why[128];
    int id = real_kafka_accept(h, 0, "127.0.0.1:5002", why, sizeof why);
    wbuf req;
    wbuf_init(&req);
    size_t at = header(&req, 77, 0, 9);         /* no such API key */
    kw_end(&req, at);
    real_kafka_input(h, id, req.data, req.len);
    assert_int_equal(real_kafka_end(h, id), REAL_CLOSE);
    /* a broker that is down refuses the connection */
    cluster_kill(w.cl, kafka_broker_node(kafka_world_broker(w.kw, 0)));
    assert_int_equal(real_kafka_accept(h, 0, "127.0.0.1:5003", why, sizeof why), -1);
    wbuf_free(&req);
    real_khub_free(h);
    kt_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_kafka_produce_then_fetch),
        cmocka_unit_test(test_real_kafka_create_delete_topics),
        cmocka_unit_test(test_real_kafka_unknown_api_closes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
