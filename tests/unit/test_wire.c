/* Unit tests for the wire encoding: round trips of every type, the byte
 * layout (little-endian, length-prefixed), truncated or lying input setting
 * `bad` once and for all, and the content hash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wire.h"

static void test_wire_round_trip_integers(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    w_u8(&w, 0);
    w_u8(&w, 255);
    w_u32(&w, 0);
    w_u32(&w, UINT32_MAX);
    w_u32(&w, 0x01020304);
    w_u64(&w, UINT64_MAX);
    w_u64(&w, 0x0102030405060708ULL);
    w_i64(&w, INT64_MIN);
    w_i64(&w, -1);
    w_i64(&w, INT64_MAX);
    assert_int_equal(w.len, 2 + 3 * 4 + 2 * 8 + 3 * 8);
    rbuf r = rbuf_of(w.data, w.len);
    assert_int_equal(r_u8(&r), 0);
    assert_int_equal(r_u8(&r), 255);
    assert_int_equal(r_u32(&r), 0);
    assert_int_equal(r_u32(&r), UINT32_MAX);
    assert_int_equal(r_u32(&r), 0x01020304);
    assert_true(r_u64(&r) == UINT64_MAX);
    assert_true(r_u64(&r) == 0x0102030405060708ULL);
    assert_true(r_i64(&r) == INT64_MIN);
    assert_true(r_i64(&r) == -1);
    assert_true(r_i64(&r) == INT64_MAX);
    assert_false(r.bad);
    assert_int_equal(r.pos, r.len);
    wbuf_free(&w);
}

static void test_wire_little_endian_layout(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    w_u32(&w, 0x01020304);
    w_str(&w, "ab");
    const uint8_t want[] = { 4, 3, 2, 1, 2, 0, 0, 0, 'a', 'b' };
    assert_int_equal(w.len, sizeof want);
    assert_memory_equal(w.data, want, sizeof want);
    wbuf_free(&w);
}

static void test_wire_round_trip_bytes_and_strings(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    const uint8_t blob[] = { 0, 1, 0, 0xff, 0 };  /* zeros inside */
    w_bytes(&w, blob, sizeof blob);
    w_bytes(&w, NULL, 0);
    w_str(&w, "/app/leader");
    w_str(&w, NULL);                       /* written as "" */
    w_str(&w, "리더");
    rbuf r = rbuf_of(w.data, w.len);
    const uint8_t *p;
    assert_int_equal(r_bytes(&r, &p), sizeof blob);
    assert_memory_equal(p, blob, sizeof blob);
    assert_ptr_equal(p, w.data + 4);        /* no copy: points into the buffer */
    assert_int_equal(r_bytes(&r, &p), 0);
    char *s = r_str_dup(&r);
    assert_string_equal(s, "/app/leader");
    free(s);
    char out[32];
    r_str(&r, out, sizeof out);
    assert_string_equal(out, "");
    r_str(&r, out, sizeof out);
    assert_string_equal(out, "리더");
    assert_false(r.bad);
    assert_int_equal(r.pos, r.len);
    wbuf_free(&w);
}

static void test_wire_r_str_truncates_to_cap(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    w_str(&w, "abcdefgh");
    w_u8(&w, 42);
    rbuf r = rbuf_of(w.data, w.len);
    char out[4];
    r_str(&r, out, sizeof out);
    assert_string_equal(out, "abc");
    assert_int_equal(r_u8(&r), 42);         /* the rest was still consumed */
    assert_false(r.bad);
    wbuf_free(&w);
}

static void test_wire_truncated_read_sets_bad(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, 0x1122334455667788ULL);
    for (size_t cut = 0; cut < 8; cut++) {
        rbuf r = rbuf_of(w.data, cut);
        assert_true(r_u64(&r) == 0);
        assert_true(r.bad);
    }
    /* bad is sticky: later reads yield zero even when bytes remain */
    rbuf r = rbuf_of(w.data, 6);
    assert_int_equal(r_u32(&r), 0x55667788);
    assert_int_equal(r_u32(&r), 0);         /* only 2 bytes left */
    assert_true(r.bad);
    assert_int_equal(r_u8(&r), 0);
    assert_true(r.bad);
    wbuf_free(&w);
}

static void test_wire_lying_length_sets_bad(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    w_u32(&w, 1000);                        /* claims 1000 bytes follow */
    w_u8(&w, 'x');
    rbuf r = rbuf_of(w.data, w.len);
    const uint8_t *p = (const uint8_t *)"not null";
    assert_int_equal(r_bytes(&r, &p), 0);
    assert_null(p);
    assert_true(r.bad);
    rbuf r2 = rbuf_of(w.data, w.len);
    char *s = r_str_dup(&r2);               /* still a valid, empty string */
    assert_string_equal(s, "");
    assert_true(r2.bad);
    free(s);
    rbuf r3 = rbuf_of(w.data, w.len);
    char out[8] = "junk";
    r_str(&r3, out, sizeof out);
    assert_string_equal(out, "");
    assert_true(r3.bad);
    /* a length of UINT32_MAX must not wrap the bounds check */
    wbuf_reset(&w);
    w_u32(&w, UINT32_MAX);
    w_u32(&w, 7);
    rbuf r4 = rbuf_of(w.data, w.len);
    assert_int_equal(r_bytes(&r4, &p), 0);
    assert_true(r4.bad);
    wbuf_free(&w);
}

static void test_wire_reset_and_growth(void **state)
{
    (void)state;
    wbuf w;
    wbuf_init(&w);
    for (uint32_t i = 0; i < 10000; i++) w_u32(&w, i);
    assert_int_equal(w.len, 40000);
    assert_true(w.cap >= w.len);
    rbuf r = rbuf_of(w.data, w.len);
    for (uint32_t i = 0; i < 10000; i++) assert_int_equal(r_u32(&r), i);
    assert_false(r.bad);
    size_t cap = w.cap;
    uint8_t *data = w.data;
    wbuf_reset(&w);
    assert_int_equal(w.len, 0);
    assert_int_equal(w.cap, cap);           /* the allocation is kept */
    w_u8(&w, 9);
    assert_ptr_equal(w.data, data);
    assert_int_equal(w.data[0], 9);
    wbuf_free(&w);
    assert_null(w.data);
    assert_int_equal(w.len, 0);
    wbuf_free(&w);                          /* twice: harmless */
}

static void test_wire_hash_fnv1a(void **state)
{
    (void)state;
    /* published FNV-1a 64-bit test vectors */
    assert_true(wire_hash("", 0, 0) == 0xcbf29ce484222325ULL);
    assert_true(wire_hash("a", 1, 0) == 0xaf63dc4c8601ec8cULL);
    assert_true(wire_hash("foobar", 6, 0) == 0x85944171f73967e8ULL);
    /* the seed and every byte matter */
    assert_true(wire_hash("a", 1, 1) != wire_hash("a", 1, 0));
    assert_true(wire_hash("ab", 2, 0) != wire_hash("ba", 2, 0));
}

/* wire_digest is pinned to these values: a change of algorithm, or one
 * that reads words in the host's byte order, shows here first. */
static void test_wire_digest_pinned_values(void **state)
{
    (void)state;
    assert_true(wire_digest("", 0, 0) == 0xf52a15e9a9b5e89bULL);
    assert_true(wire_digest("a", 1, 0) == 0xe01028627a3af09dULL);
    assert_true(wire_digest("foobar", 6, 0) == 0x9123f8b48d0f0cccULL);
    assert_true(wire_digest("0123456789abcdef!", 17, 0) == 0x5da8e822ff28c89eULL);
    assert_true(wire_digest("foobar", 6, 42) == 0x5f4d9c53b056e1a2ULL);
}

/* Every bit of every byte, in whole words and in the tail, changes the
 * digest; so do the length (trailing zeros) and the seed. */
static void test_wire_digest_every_bit_matters(void **state)
{
    (void)state;
    uint8_t buf[40] = {0};
    for (size_t n = 1; n <= sizeof buf; n++) {
        uint64_t base = wire_digest(buf, n, 7);
        for (size_t i = 0; i < n; i++) {
            for (int bit = 0; bit < 8; bit++) {
                buf[i] ^= (uint8_t)(1u << bit);
                assert_true(wire_digest(buf, n, 7) != base);
                buf[i] ^= (uint8_t)(1u << bit);
            }
        }
        assert_true(wire_digest(buf, n - 1, 7) != base);
        assert_true(wire_digest(buf, n, 8) != base);
    }
}

/* The same bytes at any address give the same digest. */
static void test_wire_digest_alignment_independent(void **state)
{
    (void)state;
    uint8_t buf[64];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)(i * 37 + 11);
    uint8_t copy[80];
    for (size_t off = 0; off < 8; off++) {
        memcpy(copy + off, buf, 50);
        assert_true(wire_digest(copy + off, 50, 3) == wire_digest(buf, 50, 3));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire_round_trip_integers),
        cmocka_unit_test(test_wire_little_endian_layout),
        cmocka_unit_test(test_wire_round_trip_bytes_and_strings),
        cmocka_unit_test(test_wire_r_str_truncates_to_cap),
        cmocka_unit_test(test_wire_truncated_read_sets_bad),
        cmocka_unit_test(test_wire_lying_length_sets_bad),
        cmocka_unit_test(test_wire_reset_and_growth),
        cmocka_unit_test(test_wire_hash_fnv1a),
        cmocka_unit_test(test_wire_digest_pinned_values),
        cmocka_unit_test(test_wire_digest_every_bit_matters),
        cmocka_unit_test(test_wire_digest_alignment_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
