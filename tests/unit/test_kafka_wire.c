/* kafka_wire: the decoders of what kcat sends a broker, fed valid,
 * truncated, random and hostile frames (run under ASan by make test):
 * RecordBatch v2 as DefaultRecordBatch lays it out (61-byte header,
 * CRC-32C from the attributes on, zigzag varint records), a Produce v3
 * request, and lengths checked before use. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "kafka_wire.h"
#include "rng.h"

static void test_kafka_wire_crc32c_vector(void **state)
{
    (void)state;
    /* the check value of CRC-32C (RFC 3720's iSCSI polynomial) */
    assert_int_equal(kw_crc32c((const uint8_t *)"123456789", 9), 0xE3069283u);
}

static kw_record text_rec(const char *k, const char *v)
{
    return (kw_record){ (const uint8_t *)k, (const uint8_t *)v,
                        k ? (int32_t)strlen(k) : -1, v ? (int32_t)strlen(v) : -1 };
}

typedef struct got { int n; char vals[8][16]; bool null_key[8]; } got;

static void collect(void *ctx, const kw_record *r)
{
    got *g = ctx;
    if (g->n >= 8) return;
    memcpy(g->vals[g->n], r->value, (size_t)r->value_len);
    g->vals[g->n][r->value_len] = 0;
    g->null_key[g->n] = r->key == NULL;
    g->n++;
}

static void test_kafka_wire_batch_round_trip(void **state)
{
    (void)state;
    kw_record recs[3] = { text_rec(NULL, "a"), text_rec("k", "bb"), text_rec(NULL, "") };
    wbuf w;
    wbuf_init(&w);
    kw_w_batch(&w, 40, 7, recs, 3);
    /* DefaultRecordBatch: magic at 16, leader epoch at 12, count at 57 */
    assert_int_equal(w.data[16], 2);
    assert_int_equal(w.data[15], 7);
    assert_int_equal(w.data[60], 3);
    got g = { 0 };
    int32_t n;
    assert_int_equal(kw_batches_read(w.data, w.len, collect, &g, &n), KW_NONE);
    assert_int_equal(n, 3);
    assert_string_equal(g.vals[1], "bb");
    assert_true(g.null_key[0]);
    assert_false(g.null_key[1]);
    /* a flipped byte after the CRC: CORRUPT_MESSAGE, nothing handed out */
    w.data[w.len - 3] ^= 1;
    g.n = 0;
    assert_int_equal(kw_batches_read(w.data, w.len, collect, &g, &n), KW_CORRUPT_MESSAGE);
    assert_int_equal(g.n, 0);
    w.data[w.len - 3] ^= 1;
    /* gzip in the attributes (the CRC recomputed): not served */
    w.data[22] = 1;
    uint32_t crc = kw_crc32c(w.data + 21, w.len - 21);
    for (int i = 0; i < 4; i++) w.data[17 + i] = (uint8_t)(crc >> (24 - 8 * i));
    assert_int_equal(kw_batches_read(w.data, w.len, collect, &g, &n),
                     KW_UNSUPPORTED_COMPRESSION_TYPE);
    wbuf_free(&w);
}

/* A Produce v3 frame (with its size) of one batch for topic t partition p. */
static void produce_frame(wbuf *w, const char *t, int p)
{
    kw_record recs[2] = { text_rec(NULL, "one"), text_rec(NULL, "two") };
    wbuf b;
    wbuf_init(&b);
    kw_w_batch(&b, 0, -1, recs, 2);
    size_t at = w->len;
    kw_w_i32(w, 0);
    kw_w_i16(w, KW_PRODUCE);
    kw_w_i16(w, 3);
    kw_w_i32(w, 99);
    kw_w_string(w, "rdkafka");
    kw_w_string(w, NULL);                       /* transactional_id */
    kw_w_i16(w, -1);
    kw_w_i32(w, 30000);
    kw_w_i32(w, 1);
    kw_w_string(w, t);
    kw_w_i32(w, 1);
    kw_w_i32(w, p);
    kw_w_i32(w, (int32_t)b.len);
    w_raw(w, b.data, b.len);
    kw_end(w, at);
    wbuf_free(&b);
}

static void test_kafka_wire_produce_decodes(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    produce_frame(&w, "orders", 2);
    size_t len;
    assert_int_equal(kw_frame(w.data, w.len, KW_FRAME_MAX, &len), KW_FRAME);
    assert_int_equal(len, w.len - 4);
    kw_req *r = calloc(1, sizeof *r);
    assert_int_equal(kw_req_decode(w.data + 4, len, r), KW_OK);
    assert_int_equal(r->h.corr, 99);
    assert_string_equal(r->h.client, "rdkafka");
    assert_int_equal(r->acks, -1);
    assert_int_equal(r->nparts, 1);
    assert_int_equal(r->parts[0].partition, 2);
    char t[16];
    assert_true(kw_str_copy(r->parts[0].topic, t, sizeof t));
    assert_string_equal(t, "orders");
    got g = { 0 };
    int32_t n;
    assert_int_equal(kw_batches_read(r->parts[0].records, (size_t)r->parts[0].nrecords,
                                     collect, &g, &n), KW_NONE);
    assert_string_equal(g.vals[1], "two");
    /* every cut of the frame is malformed, never read past */
    for (size_t k = 0; k < len; k++) {
        uint8_t *cut = malloc(k ? k : 1);
        memcpy(cut, w.data + 4, k);
        kw_status st = kw_req_decode(cut, k, r);
        if (st == KW_OK && r->nparts == 1)
            assert_int_not_equal(kw_batches_read(r->parts[0].records,
                                                 (size_t)r->parts[0].nrecords, NULL, NULL, &n),
                                 KW_NONE);
        else
            assert_int_not_equal(st, KW_OK);
        free(cut);
    }
    free(r);
    wbuf_free(&w);
}

static void test_kafka_wire_lengths_checked_first(void **state)
{
    (void)state;
    size_t len;
    const uint8_t two_gb[8] = { 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0 };
    assert_int_equal(kw_frame(two_gb, 8, KW_FRAME_MAX, &len), KW_BAD_LEN);
    const uint8_t negative[4] = { 0xff, 0xff, 0xff, 0xfe };
    assert_int_equal(kw_frame(negative, 4, KW_FRAME_MAX, &len), KW_BAD_LEN);
    /* an array count of 2^31-1 in a tiny Metadata request: malformed */
    wbuf w;
    wbuf_init(&w);
    kw_w_i16(&w, KW_METADATA);
    kw_w_i16(&w, 1);
    kw_w_i32(&w, 1);
    kw_w_string(&w, "x");
    kw_w_i32(&w, 0x7fffffff);
    kw_req *r = calloc(1, sizeof *r);
    assert_int_equal(kw_req_decode(w.data, w.len, r), KW_MALFORMED);
    /* an unknown key, or Fetch v11: not served */
    w.data[1] = 77;
    assert_int_equal(kw_req_decode(w.data, w.len, r), KW_UNSUPPORTED);
    w.data[1] = KW_FETCH;
    w.data[3] = 11;
    assert_int_equal(kw_req_decode(w.data, w.len, r), KW_UNSUPPORTED);
    free(r);
    wbuf_free(&w);
}

static void test_kafka_wire_random_frames(void **state)
{
    (void)state;
    rng g;
    rng_seed(&g, 9092);
    kw_req *r = calloc(1, sizeof *r);
    for (int i = 0; i < 20000; i++) {
        size_t n = (size_t)rng_below(&g, 300);
        uint8_t *p = malloc(n ? n : 1);
        for (size_t k = 0; k < n; k++) p[k] = (uint8_t)rng_next(&g);
        if (n >= 10 && (i & 1)) {           /* a served key and version, random body */
            int a = (int)rng_below(&g, (uint64_t)kw_napis);
            p[0] = 0;
            p[1] = (uint8_t)kw_apis[a].key;
            p[2] = 0;
            p[3] = (uint8_t)kw_apis[a].max;
            p[8] = 0;
            p[9] = (uint8_t)rng_below(&g, 4);
        }
        if (kw_req_decode(p, n, r) == KW_OK)
            for (int k = 0; k < r->nparts; k++) {
                int32_t c;
                if (r->parts[k].nrecords > 0)
                    kw_batches_read(r->parts[k].records, (size_t)r->parts[k].nrecords,
                                    NULL, NULL, &c);
            }
        int32_t c;
        kw_batches_read(p, n, NULL, NULL, &c);
        size_t len;
        kw_frame(p, n, KW_FRAME_MAX, &len);
        free(p);
    }
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_wire_crc32c_vector),
        cmocka_unit_test(test_kafka_wire_batch_round_trip),
        cmocka_unit_test(test_kafka_wire_produce_decodes),
        cmocka_unit_test(test_kafka_wire_lengths_checked_first),
        cmocka_unit_test(test_kafka_wire_random_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
