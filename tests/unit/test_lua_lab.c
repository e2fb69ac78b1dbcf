/* Unit tests for the Lua controller as a host sees it (the headless runner
 * and the dashboard): narration picks the language, checks are tallied,
 * errors come back as "chunk:line: message" with a traceback, watch
 * callbacks run between events, and an invariant violation stops the
 * script as a failure (not an error) and reaches the event hook. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lua_lab.h"

typedef struct seen {
    char said[8][128];
    int nsaid;
    int ok, bad;
    int violations;             /* TR_VIOLATION events through the hook */
    int notes;                  /* TR_NOTE events through the hook */
} seen;

static void on_say(void *u, const char *text)
{
    seen *s = u;
    if (s->nsaid < 8) snprintf(s->said[s->nsaid++], sizeof s->said[0], "%s", text);
}

static void on_check(void *u, bool ok, const char *msg)
{
    seen *s = u;
    (void)msg;
    if (ok) s->ok++;
    else s->bad++;
}

static void on_event(void *u, const trace *t, const trace_event *ev)
{
    seen *s = u;
    (void)t;
    if (ev->kind == TR_VIOLATION) s->violations++;
    if (ev->kind == TR_NOTE) s->notes++;
}

static lab_lua *make(seen *s, const char *lang)
{
    memset(s, 0, sizeof *s);
    lab_opts o = { .lang = lang,
                   .out = { .say = on_say, .check = on_check, .event = on_event, .u = s } };
    return lab_lua_new(&o);
}

static lab_status run(lab_lua *l, const char *src, char *err, size_t cap)
{
    char tb[2048];
    return lab_lua_run_string(l, src, "=t", err, cap, tb, sizeof tb);
}

static void test_lua_lab_say_picks_language(void **state)
{
    (void)state;
    seen s;
    char err[256];
    lab_lua *l = make(&s, "ko");
    assert_int_equal(run(l, "lab.say{ en = 'hello', ko = '안녕' } lab.say{ en = 'only english' }"
                            " print('a', 1, nil)", err, sizeof err), LAB_OK);
    assert_int_equal(s.nsaid, 3);
    assert_string_equal(s.said[0], "안녕");
    assert_string_equal(s.said[1], "only english");
    assert_string_equal(s.said[2], "a\t1\tnil");
    assert_string_equal(lab_lua_lang(l), "ko");
    lab_lua_free(l);
}

static void test_lua_lab_checks_tally(void **state)
{
    (void)state;
    seen s;
    char err[256];
    lab_lua *l = make(&s, "en");
    assert_int_equal(run(l, "lab.check(true, 'a') lab.check(1, 'b') lab.check(false, 'c')"
                            " lab.check(nil, 'd')", err, sizeof err), LAB_FAILED);
    assert_int_equal(lab_lua_passed(l), 2);
    assert_int_equal(lab_lua_failed(l), 2);
    assert_int_equal(s.ok, 2);
    assert_int_equal(s.bad, 2);
    lab_lua_free(l);
}

static void test_lua_lab_error_has_line_and_traceback(void **state)
{
    (void)state;
    seen s;
    char err[256], tb[2048];
    lab_lua *l = make(&s, "en");
    lab_status st = lab_lua_run_string(l, "local x = 1\nlab.kill('zk1')\n", "=t",
                                       err, sizeof err, tb, sizeof tb);
    assert_int_equal(st, LAB_ERROR);
    assert_string_equal(err, "t:2: no world yet: call lab.cluster{ zookeepers = 3 } first");
    assert_non_null(strstr(tb, "stack traceback:"));
    /* the state survives an error: the next chunk runs */
    assert_int_equal(run(l, "lab.cluster{ zookeepers = 1 } lab.run(10)", err, sizeof err), LAB_OK);
    lab_lua_free(l);
}

static void test_lua_lab_world_replaced_and_seeded(void **state)
{
    (void)state;
    seen s;
    char err[256];
    lab_lua *l = make(&s, "en");
    assert_int_equal(run(l, "lab.cluster{ zookeepers = 3, seed = 99 }", err, sizeof err), LAB_OK);
    cluster *first = lab_lua_world(l);
    assert_non_null(first);
    assert_int_equal(lab_lua_seed(l), 99);
    assert_int_equal(run(l, "lab.cluster{ zookeepers = 5, seed = 7 }", err, sizeof err), LAB_OK);
    assert_int_equal(cluster_zk_count(lab_lua_world(l)), 5);
    assert_int_equal(lab_lua_seed(l), 7);
    /* a refused config keeps the old world */
    assert_int_equal(run(l, "lab.cluster{ zookeepers = 99 }", err, sizeof err), LAB_ERROR);
    assert_int_equal(cluster_zk_count(lab_lua_world(l)), 5);
    lab_lua_free(l);
}

/* lab.say lands in the trace as a note, yet is not echoed to the event
 * hook (the say hook already showed it). */
static void test_lua_lab_narration_traced_once(void **state)
{
    (void)state;
    seen s;
    char err[256];
    lab_lua *l = make(&s, "en");
    assert_int_equal(run(l, "lab.cluster{ zookeepers = 1 } lab.say('x')", err, sizeof err), LAB_OK);
    assert_int_equal(s.nsaid, 1);
    assert_int_equal(s.notes, 0);
    trace *t = sim_trace(cluster_sim(lab_lua_world(l)));
    const trace_event *last = trace_get(t, trace_count(t) - 1);
    assert_int_equal(last->kind, TR_NOTE);
    assert_string_equal(last->text, "x");
    lab_lua_free(l);
}

static void test_lua_lab_violation_is_a_failure(void **state)
{
    (void)state;
    seen s;
    char err[256];
    lab_lua *l = make(&s, "en");
    assert_int_equal(run(l, "lab.cluster{ zookeepers = 3, seed = 5 } lab.run(1000)", err, sizeof err),
                     LAB_OK);
    /* what a checker does: report and halt */
    sim *w = cluster_sim(lab_lua_world(l));
    trace_emit(sim_trace(w), TR_VIOLATION, -1, -1, 0, 0, "two leaders in epoch 1");
    sim_halt(w);
    assert_int_equal(s.violations, 1);
    assert_int_equal(run(l, "lab.check(true, 'before') lab.run(1000) lab.check(true, 'never')",
                         err, sizeof err), LAB_FAILED);
    assert_non_null(strstr(err, "invariant violated (seed 5)"));
    assert_true(lab_lua_violated(l));
    assert_int_equal(lab_lua_passed(l), 1);
    assert_int_equal(lab_lua_failed(l), 1);
    lab_lua_free(l);
}

/* A watch callback runs from the run loop and may itself block on calls. */
static void test_lua_lab_watch_runs_between_events(void **state)
{
    (void)state;
    seen s;
    char err[256];
    lab_lua *l = make(&s, "en");
    const char *src =
        "lab.cluster{ zookeepers = 3 }\n"
        "assert(lab.run_until(function() return lab.ensemble().serving end, 30000))\n"
        "local a, b = lab.zk_session{}, lab.zk_session{}\n"
        "local got\n"
        "b:watch('/k', function(ev, path) got = ev .. ' ' .. path .. ' ' .. b:get('/k') end)\n"
        "a:create('/k', 'v1')\n"
        "assert(lab.run_until(function() return got ~= nil end, 5000))\n"
        "lab.check(got == 'NodeCreated /k v1', got)\n";
    assert_int_equal(run(l, src, err, sizeof err), LAB_OK);
    assert_int_equal(s.ok, 1);
    lab_lua_free(l);
}

/* The dashboard's :lua shows a value as the lua prompt does: "1+1" is an
 * expression, a table is a line of fields in a stable order, nested tables
 * only their size; a statement still runs and shows nothing. */
static void test_lua_lab_eval_shows_values(void **state)
{
    (void)state;
    seen s;
    char err[256], out[256];
    lab_lua *l = make(&s, "en");
    assert_int_equal(lab_lua_eval(l, "1+1", "=:lua", out, sizeof out, err, sizeof err), LAB_OK);
    assert_string_equal(out, "2");
    assert_int_equal(lab_lua_eval(l, "x = 5", "=:lua", out, sizeof out, err, sizeof err), LAB_OK);
    assert_string_equal(out, "");
    assert_int_equal(lab_lua_eval(l, "x, 'a', nil", "=:lua", out, sizeof out, err, sizeof err), LAB_OK);
    assert_string_equal(out, "5, a, nil");
    assert_int_equal(lab_lua_eval(l, "{ lost = 0, acked = 3, recs = { {}, {} } }", "=:lua",
                                  out, sizeof out, err, sizeof err), LAB_OK);
    assert_string_equal(out, "{acked=3, lost=0, recs={2 entries}}");
    assert_int_equal(lab_lua_eval(l, "{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }", "=:lua",
                                  out, sizeof out, err, sizeof err), LAB_OK);
    assert_string_equal(out, "{1, 2, 3, 4, 5, 6, 7, 8, ... (10 in all)}");
    assert_int_equal(lab_lua_eval(l, "setmetatable({}, { __tostring = function() error('no') end })",
                                  "=:lua", out, sizeof out, err, sizeof err), LAB_OK);
    assert_non_null(strstr(out, "cannot be shown"));
    assert_int_equal(lab_lua_eval(l, "nosuch.x", "=:lua", out, sizeof out, err, sizeof err),
                     LAB_ERROR);
    assert_non_null(strstr(err, "nosuch"));
    /* a long value is cut, never overruns */
    char small[8];
    assert_int_equal(lab_lua_eval(l, "string.rep('z', 100)", "=:lua", small, sizeof small,
                                  err, sizeof err), LAB_OK);
    assert_string_equal(small, "zzzzzzz");
    lab_lua_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lua_lab_say_picks_language),
        cmocka_unit_test(test_lua_lab_checks_tally),
        cmocka_unit_test(test_lua_lab_error_has_line_and_traceback),
        cmocka_unit_test(test_lua_lab_world_replaced_and_seeded),
        cmocka_unit_test(test_lua_lab_narration_traced_once),
        cmocka_unit_test(test_lua_lab_violation_is_a_failure),
        cmocka_unit_test(test_lua_lab_watch_runs_between_events),
        cmocka_unit_test(test_lua_lab_eval_shows_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
