/* Unit tests for the trace: the ring keeps the newest events, listeners see
 * every event (even ones emitted from a listener), JSON Lines output is
 * valid JSON and valid UTF-8 whatever the text holds, and the readable
 * rendering names nodes and messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trace.h"

/* --- a strict checker for the flat JSON objects the trace writes --- */

/* Checks one UTF-8 character at *p (advancing it); false when malformed. */
static bool utf8_char(const unsigned char **p)
{
    unsigned char c = **p;
    int more = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
             : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (more < 0 || (more == 1 && c < 0xC2)) return false;
    (*p)++;
    for (int i = 0; i < more; i++, (*p)++)
        if ((**p & 0xC0) != 0x80) return false;
    return true;
}

static bool json_string(const unsigned char **p)
{
    if (**p != '"') return false;
    (*p)++;
    for (;;) {
        unsigned char c = **p;
        if (c == '"') { (*p)++; return true; }
        if (c < 0x20) return false;         /* raw control char, or the end */
        if (c == '\\') {
            (*p)++;
            c = **p;
            if (c == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", (*p)[i]) || !(*p)[i]) return false;
                *p += 5;
            } else if (c && strchr("\"\\/bfnrt", c)) {
                (*p)++;
            } else {
                return false;
            }
            continue;
        }
        if (!utf8_char(p)) return false;
    }
}

static bool json_number(const unsigned char **p)
{
    const unsigned char *s = *p;
    if (**p == '-') (*p)++;
    while (**p >= '0' && **p <= '9') (*p)++;
    return *p > s && (*p)[-1] != '-';
}

/* A whole line: one object of string or unsigned-number values, nothing
 * after it. */
static bool json_flat_object(const char *line)
{
    const unsigned char *p = (const unsigned char *)line;
    if (*p++ != '{') return false;
    if (*p == '}') return p[1] == '\0';
    for (;;) {
        if (!json_string(&p) || *p++ != ':') return false;
        if (*p == '"' ? !json_string(&p) : !json_number(&p)) return false;
        if (*p == '}') return p[1] == '\0';
        if (*p++ != ',') return false;
    }
}

static void test_trace_json_checker_rejects_bad(void **state)
{
    (void)state;
    /* the checker itself must be able to fail, or the tests below prove
     * nothing */
    assert_true(json_flat_object("{\"a\":1,\"b\":\"x\\n\\u0001\"}"));
    assert_false(json_flat_object("{\"a\":1,\"b\":\"x\ny\"}"));
    assert_false(json_flat_object("{\"a\":1,\"b\":\"x\\q\"}"));
    assert_false(json_flat_object("{\"a\":1,\"b\":\"unterminated}"));
    assert_false(json_flat_object("{\"a\":1,\"b\":\"\xed\x95\"}"));   /* half a char */
    assert_false(json_flat_object("{\"a\":1"));
}

/* --- fixtures --- */

static const char *node_namer(void *ctx, int id)
{
    static const char *const names[] = { "zk1", "zk2", "c\"q" };
    (void)ctx;
    return id >= 0 && id < 3 ? names[id] : NULL;
}

static const char *msg_namer(void *ctx, int id)
{
    (void)ctx;
    return id == 5 ? "PING" : NULL;
}

/* --- ring --- */

static void test_trace_ring_wraps_keeping_newest(void **state)
{
    (void)state;
    trace *t = trace_new(4);
    for (int i = 0; i < 10; i++)
        assert_int_equal(trace_emit(t, TR_NOTE, -1, -1, (uint64_t)i, 0, "n%d", i), (uint64_t)i);
    assert_int_equal(trace_count(t), 4);
    assert_int_equal(trace_total(t), 10);
    for (size_t i = 0; i < 4; i++) {
        const trace_event *ev = trace_get(t, i);
        assert_non_null(ev);
        assert_int_equal(ev->seq, 6 + i);
        assert_int_equal(ev->a, 6 + i);
        char want[8];
        snprintf(want, sizeof want, "n%zu", 6 + i);
        assert_string_equal(ev->text, want);
    }
    assert_null(trace_get(t, 4));
    trace_free(t);
}

static void test_trace_ring_before_full(void **state)
{
    (void)state;
    trace *t = trace_new(8);
    assert_int_equal(trace_count(t), 0);
    assert_null(trace_get(t, 0));
    trace_msg(t, TR_SEND, 0, 1, 5, 33);
    trace_emit(t, TR_FAULT, 1, -1, 0, 0, NULL);
    assert_int_equal(trace_count(t), 2);
    const trace_event *ev = trace_get(t, 0);
    assert_int_equal(ev->kind, TR_SEND);
    assert_int_equal(ev->node, 0);
    assert_int_equal(ev->peer, 1);
    assert_int_equal(ev->msg_type, 5);
    assert_int_equal(ev->a, 33);
    ev = trace_get(t, 1);
    assert_int_equal(ev->kind, TR_FAULT);
    assert_string_equal(ev->text, "");      /* NULL format: empty text */
    assert_int_equal(ev->msg_type, 0);
    trace_free(t);
}

static void test_trace_clock_stamps_events(void **state)
{
    (void)state;
    trace *t = trace_new(8);
    trace_emit(t, TR_NOTE, -1, -1, 0, 0, "before");
    uint64_t now = 1234567;
    trace_set_clock(t, &now);
    trace_emit(t, TR_NOTE, -1, -1, 0, 0, "at");
    now = 2000000;
    trace_msg(t, TR_DROP, 0, 1, 5, 0);
    assert_int_equal(trace_get(t, 0)->at_us, 0);
    assert_int_equal(trace_get(t, 1)->at_us, 1234567);
    assert_int_equal(trace_get(t, 2)->at_us, 2000000);
    trace_free(t);
}

/* --- listeners --- */

typedef struct seen {
    trace *t;
    uint64_t seqs[32];
    trace_kind kinds[32];
    int n;
    char last_text[160];    /* text of the latest event seen */
    bool echo;              /* emit a note in reply to every fault */
} seen;

static void listen_fn(void *ctx, const trace_event *ev)
{
    seen *s = ctx;
    s->seqs[s->n] = ev->seq;
    s->kinds[s->n++] = ev->kind;
    snprintf(s->last_text, sizeof s->last_text, "%s", ev->text);
    if (s->echo && ev->kind == TR_FAULT)
        trace_emit(s->t, TR_NOTE, ev->node, -1, 0, 0, "echo of %s", ev->text);
}

static void test_trace_listeners_see_every_event(void **state)
{
    (void)state;
    trace *t = trace_new(2);                /* smaller than the traffic */
    seen a = { .t = t }, b = { .t = t };
    assert_true(trace_listen(t, listen_fn, &a));
    assert_true(trace_listen(t, listen_fn, &b));
    for (int i = 0; i < 5; i++) trace_msg(t, TR_SEND, 0, 1, 5, 1);
    trace_unlisten(t, listen_fn, &a);
    trace_emit(t, TR_NOTE, -1, -1, 0, 0, "x");
    assert_int_equal(a.n, 5);
    assert_int_equal(b.n, 6);
    for (int i = 0; i < 6; i++) assert_int_equal(b.seqs[i], (uint64_t)i);
    assert_int_equal(b.kinds[5], TR_NOTE);
    trace_unlisten(t, listen_fn, &a);       /* unknown now: harmless */
    trace_free(t);
}

/* A listener of some kinds sees those only, in order with the rest; once
 * the last listener of a kind leaves, nobody is given that kind. */
static void test_trace_listener_kinds(void **state)
{
    (void)state;
    trace *t = trace_new(8);
    seen msgs = { .t = t }, notes = { .t = t }, all = { .t = t };
    assert_true(trace_listen_kinds(t, TRACE_KIND(TR_SEND) | TRACE_KIND(TR_DELIVER),
                                   listen_fn, &msgs));
    assert_true(trace_listen_kinds(t, TRACE_KIND(TR_NOTE), listen_fn, &notes));
    trace_msg(t, TR_SEND, 0, 1, 5, 1);
    trace_emit(t, TR_NOTE, -1, -1, 0, 0, "a");
    trace_msg(t, TR_DELIVER, 1, 0, 5, 1);
    trace_emit(t, TR_FAULT, 2, -1, 0, 0, "crash");   /* nobody's kind */
    assert_int_equal(msgs.n, 2);
    assert_int_equal(msgs.kinds[0], TR_SEND);
    assert_int_equal(msgs.kinds[1], TR_DELIVER);
    assert_int_equal(msgs.seqs[1], 2);
    assert_int_equal(notes.n, 1);
    assert_int_equal(notes.seqs[0], 1);
    trace_unlisten(t, listen_fn, &msgs);
    trace_msg(t, TR_SEND, 0, 1, 5, 1);
    assert_int_equal(msgs.n, 2);                    /* gone */
    assert_true(trace_listen(t, listen_fn, &all));  /* every kind */
    trace_emit(t, TR_FAULT, 2, -1, 0, 0, "crash");
    trace_emit(t, TR_NOTE, -1, -1, 0, 0, "b");
    assert_int_equal(all.n, 2);
    assert_int_equal(all.kinds[0], TR_FAULT);
    assert_int_equal(notes.n, 2);
    assert_string_equal(notes.last_text, "b");
    assert_int_equal(trace_total(t), 7);            /* the ring holds all */
    trace_free(t);
}

/* A listener may emit; the others still get the first event intact even
 * though the echo took its ring slot. */
static void test_trace_listener_may_emit(void **state)
{
    (void)state;
    trace *t = trace_new(1);                /* the echo overwrites the slot */
    seen a = { .t = t, .echo = true }, b = { .t = t };
    trace_listen(t, listen_fn, &a);
    trace_listen(t, listen_fn, &b);
    trace_emit(t, TR_FAULT, 2, -1, 0, 0, "crash zk3");
    assert_int_equal(a.n, 2);
    assert_int_equal(a.kinds[0], TR_FAULT);
    assert_int_equal(a.kinds[1], TR_NOTE);
    assert_int_equal(a.seqs[1], 1);
    assert_int_equal(b.n, 2);
    assert_int_equal(b.kinds[0], TR_NOTE);  /* emitted inside a's call */
    assert_int_equal(b.kinds[1], TR_FAULT); /* then the fault itself */
    assert_int_equal(b.seqs[1], 0);
    assert_string_equal(b.last_text, "crash zk3");
    assert_string_equal(trace_get(t, 0)->text, "echo of crash zk3");
    trace_free(t);
}

static void test_trace_listener_limit(void **state)
{
    (void)state;
    trace *t = trace_new(4);
    seen s[9] = { { 0 } };
    for (int i = 0; i < 8; i++) assert_true(trace_listen(t, listen_fn, &s[i]));
    assert_false(trace_listen(t, listen_fn, &s[8]));
    trace_emit(t, TR_NOTE, -1, -1, 0, 0, NULL);
    for (int i = 0; i < 8; i++) assert_int_equal(s[i].n, 1);
    assert_int_equal(s[8].n, 0);
    trace_free(t);
}

/* --- JSON Lines --- */

/* Emits events through a JSON Lines sink and checks every line. */
static int check_jsonl(trace *t, char *buf, size_t len)
{
    int lines = 0;
    char *save = NULL;
    (void)len;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!json_flat_object(line)) fail_msg("not valid JSON: %s", line);
        lines++;
    }
    return lines;
}

static void test_trace_jsonl_escapes_to_valid_json(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    trace *t = trace_new(16);
    trace_set_namers(t, node_namer, msg_namer, NULL);
    trace_set_jsonl(t, f);
    trace_emit(t, TR_NOTE, 0, 1, 1, 2, "quote \" backslash \\ newline \n tab \t bell \a end");
    trace_emit(t, TR_NOTE, 2, -1, 0, 0, "node name with a quote");
    trace_emit(t, TR_NOTE, -1, -1, 0, 0, "리더가 바뀌었습니다: zk3");
    trace_msg(t, TR_SEND, 0, 1, 5, 10);
    trace_msg(t, TR_SEND, 0, 7, 99, 10);    /* unnamed node and type */
    /* worst cases for room: text full of characters that escape to six
     * bytes, or to two, and Korean cut at the text limit */
    char ctl[200], quotes[200], ko[400];
    memset(ctl, 0x01, sizeof ctl - 1);
    ctl[sizeof ctl - 1] = '\0';
    memset(quotes, '"', sizeof quotes - 1);
    quotes[sizeof quotes - 1] = '\0';
    ko[0] = '\0';
    for (int i = 0; i < 100; i++) strcat(ko, "한");
    trace_emit(t, TR_NOTE, 0, -1, UINT64_MAX, UINT64_MAX, "%s", ctl);
    trace_emit(t, TR_NOTE, 2, 2, 0, 0, "%s", quotes);
    trace_emit(t, TR_NOTE, 0, -1, 0, 0, "%s", ko);
    trace_emit(t, TR_NOTE, 0, -1, 0, 0, "x%s", ko);
    trace_emit(t, TR_NOTE, 0, -1, 0, 0, "xy%s", ko);
    fclose(f);
    assert_int_equal(check_jsonl(t, buf, len), 10);
    /* the ring text itself never ends in half a character */
    for (size_t i = 7; i < 10; i++) {
        const char *txt = trace_get(t, i)->text;
        const unsigned char *p = (const unsigned char *)txt;
        while (*p) assert_true(utf8_char(&p));
        assert_true(strlen(txt) >= 150);    /* cut only as far as needed */
    }
    free(buf);
    trace_free(t);
}

static void test_trace_json_fields(void **state)
{
    (void)state;
    trace *t = trace_new(4);
    trace_set_namers(t, node_namer, msg_namer, NULL);
    uint64_t now = 1500;
    trace_set_clock(t, &now);
    trace_msg(t, TR_DELIVER, 0, 1, 5, 12);
    char out[1024];
    trace_render_json(t, trace_get(t, 0), out, sizeof out);
    assert_string_equal(out, "{\"seq\":0,\"t_us\":1500,\"kind\":\"deliver\","
                             "\"node\":\"zk1\",\"peer\":\"zk2\",\"msg\":\"PING\","
                             "\"a\":12,\"b\":0,\"text\":\"\"}");
    trace_emit(t, TR_ROLE, 2, -1, 3, 0, "LEADING");
    trace_render_json(t, trace_get(t, 1), out, sizeof out);
    assert_string_equal(out, "{\"seq\":1,\"t_us\":1500,\"kind\":\"role\","
                             "\"node\":\"c\\\"q\",\"peer\":\"-\",\"msg\":\"\","
                             "\"a\":3,\"b\":0,\"text\":\"LEADING\"}");
    trace_free(t);
}

/* --- rendering --- */

static void test_trace_render_lines(void **state)
{
    (void)state;
    trace *t = trace_new(8);
    trace_set_namers(t, node_namer, msg_namer, NULL);
    uint64_t now = 12345678;
    trace_set_clock(t, &now);
    trace_msg(t, TR_SEND, 0, 1, 5, 3);
    trace_emit(t, TR_ROLE, 1, -1, 2, 0, "LEADING epoch %d", 2);
    trace_emit(t, TR_ELECTION, 0, 1, 2, 0, NULL);
    trace_msg(t, TR_DROP, 1, 9, 77, 3);
    char out[256];
    trace_render(t, trace_get(t, 0), out, sizeof out);
    assert_string_equal(out, "      12.345s send     PING zk1 -> zk2");
    trace_render(t, trace_get(t, 1), out, sizeof out);
    assert_string_equal(out, "      12.345s zk2      LEADING epoch 2");
    trace_render(t, trace_get(t, 2), out, sizeof out);
    assert_string_equal(out, "      12.345s zk1      election @zk2");
    trace_render(t, trace_get(t, 3), out, sizeof out);
    assert_string_equal(out, "      12.345s drop     #77 zk2 -> #9");
    /* a small buffer truncates, never overflows */
    char tiny[8];
    trace_render(t, trace_get(t, 1), tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), 7);
    trace_free(t);
}

static void test_trace_kind_names(void **state)
{
    (void)state;
    for (int k = 0; k < TR_KIND_COUNT; k++) {
        const char *n = trace_kind_name((trace_kind)k);
        assert_non_null(n);
        assert_true(strlen(n) > 0 && strcmp(n, "?") != 0);
        for (int j = 0; j < k; j++)
            assert_true(strcmp(n, trace_kind_name((trace_kind)j)) != 0);
    }
    assert_string_equal(trace_kind_name(TR_KIND_COUNT), "?");
    assert_string_equal(trace_kind_name(TR_SESSION_EXPIRE), "session_expire");
}

static void test_trace_free_null(void **state)
{
    (void)state;
    trace_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace_json_checker_rejects_bad),
        cmocka_unit_test(test_trace_ring_wraps_keeping_newest),
        cmocka_unit_test(test_trace_ring_before_full),
        cmocka_unit_test(test_trace_clock_stamps_events),
        cmocka_unit_test(test_trace_listeners_see_every_event),
        cmocka_unit_test(test_trace_listener_kinds),
        cmocka_unit_test(test_trace_listener_may_emit),
        cmocka_unit_test(test_trace_listener_limit),
        cmocka_unit_test(test_trace_jsonl_escapes_to_valid_json),
        cmocka_unit_test(test_trace_json_fields),
        cmocka_unit_test(test_trace_render_lines),
        cmocka_unit_test(test_trace_kind_names),
        cmocka_unit_test(test_trace_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
