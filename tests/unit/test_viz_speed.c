/* speed: the steps of + and -, and the pacer: slow motion from the trace
 * events that start a moment (a server going LOOKING, an election
 * settled, a sync from the leader, a session expiry, a controller or a
 * partition leader change) until the moment's hold has passed; none for
 * a server's own start-up load; slow just before a countdown's deadline;
 * fast through a long wait at a pace fixed when it began; nothing when
 * the learner turned it off, already runs slower, or runs faster than
 * the default speed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "app.h"
#include "speed.h"

static trace_event ev(trace_kind kind, int code, uint64_t at_us)
{
    trace_event e = { .kind = kind, .code = code, .at_us = at_us };
    return e;
}

static void test_viz_speed_steps(void **state)
{
    (void)state;
    assert_true(viz_speed_step(10, 1) == 20);
    assert_true(viz_speed_step(10, -1) == 5);
    assert_true(viz_speed_step(1000, 1) == 1000);
}

static void test_viz_speed_election_is_slow_then_not(void **state)
{
    (void)state;
    viz_pacer p = { 0 };
    viz_pace r = viz_pacer_pace(&p, 10, 5000000, 0, NULL);
    assert_true(r.pace == 10 && r.why == NULL);
    trace_event e = ev(TR_ROLE, TROLE_LOOKING, 5000000);
    viz_pacer_event(&p, &e);
    assert_true(viz_pacer_began(&p));
    assert_false(viz_pacer_began(&p));      /* once */
    r = viz_pacer_pace(&p, 10, 5100000, 0, NULL);
    assert_true(r.pace == VIZ_PACE_SLOW && r.slow);
    assert_string_equal(r.why, "election");
    assert_true(r.until_us == 6000000);
    /* the election settles: the moment goes on a while after it */
    e = ev(TR_ELECTION, 0, 5300000);
    viz_pacer_event(&p, &e);
    assert_false(viz_pacer_began(&p));      /* the same moment */
    r = viz_pacer_pace(&p, 10, 5950000, 0, NULL);
    assert_true(r.pace == VIZ_PACE_SLOW);
    r = viz_pacer_pace(&p, 10, 6000001, 0, NULL);
    assert_true(r.pace == 10 && r.why == NULL);
}

/* A lesson's lab.slow takes the pace: the election's hold from before
 * it does not come back once it ends (lesson 6's header said "slow
 * motion 0.5x: election" after its slow-motion write, with no election
 * on); an event after it starts a moment again. */
static void test_viz_speed_lesson_slow_ends_earlier_moments(void **state)
{
    (void)state;
    viz_pacer p = { 0 };
    trace_event e = ev(TR_ELECTION, 0, 200000);
    viz_pacer_event(&p, &e);
    e = ev(TR_ROLE, TROLE_FOLLOWING, 206000);
    viz_pacer_event(&p, &e);
    assert_true(viz_pacer_pace(&p, 10, 212000, 0, NULL).slow);
    viz_pacer_yield(&p, 212000);                /* lab.slow 180 ms from here */
    assert_false(viz_pacer_began(&p));
    viz_pace r = viz_pacer_pace(&p, 10, 392000, 0, NULL);
    assert_true(r.pace == 10 && r.why == NULL && !r.slow);
    e = ev(TR_ROLE, TROLE_LOOKING, 500000);
    viz_pacer_event(&p, &e);
    r = viz_pacer_pace(&p, 10, 500000, 0, NULL);
    assert_true(r.slow);
    assert_string_equal(r.why, "election");
}

/* A minority tries elections again and again with no outcome: slow
 * motion stops after STRETCH_MAX_US (6 s) of them; a won election, or the
 * same moment after a quiet 5 s, slows the screen again. */
static void test_viz_speed_endless_elections_stop_slowing(void **state)
{
    (void)state;
    viz_pacer p = { 0 };
    uint64_t t = 1000000;
    for (; t < 8000000; t += 500000) {         /* a candidate every 0.5 s */
        trace_event e = ev(TR_ROLE, TROLE_LOOKING, t);
        viz_pacer_event(&p, &e);
    }
    /* the last to slow it came at 7 s and holds 1 s */
    assert_true(viz_pacer_pace(&p, 10, 7900000, 0, NULL).slow);
    assert_true(viz_pacer_pace(&p, 10, 8000001, 0, NULL).why == NULL);
    for (; t < 20000000; t += 500000) {        /* on and on: stays fast */
        trace_event e = ev(TR_ROLE, TROLE_LOOKING, t);
        viz_pacer_event(&p, &e);
        assert_true(viz_pacer_pace(&p, 10, t + 1, 0, NULL).why == NULL);
    }
    trace_event won = ev(TR_ELECTION, 0, t);   /* an outcome: slow again */
    viz_pacer_event(&p, &won);
    viz_pace r = viz_pacer_pace(&p, 10, t + 100000, 0, NULL);
    assert_true(r.slow);
    assert_string_equal(r.why, "election");
    viz_pacer q = { 0 };                       /* quiet, then again: slow */
    trace_event a = ev(TR_ROLE, TROLE_LOOKING, 1000000);
    viz_pacer_event(&q, &a);
    trace_event b = ev(TR_ROLE, TROLE_LOOKING, 60000000);
    viz_pacer_event(&q, &b);
    assert_true(viz_pacer_pace(&q, 10, 60100000, 0, NULL).slow);
}

static void test_viz_speed_moments_named(void **state)
{
    (void)state;
    static const struct { trace_kind k; int code; const char *why; } m[] = {
        { TR_SYNC, TSYNC_DIFF, "sync with the leader" },
        { TR_SESSION_EXPIRE, 0, "session expiry" },
        { TR_CONTROLLER, 0, "controller election" },
        { TR_LEADER, 0, "partition leader change" },
        { TR_ISR, 0, "ISR change" },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        viz_pacer p = { 0 };
        trace_event e = ev(m[i].k, m[i].code, 1000000);
        viz_pacer_event(&p, &e);
        viz_pace r = viz_pacer_pace(&p, 10, 1000000, 0, NULL);
        assert_true(r.slow);
        assert_string_equal(r.why, m[i].why);
    }
    viz_pacer p = { 0 };
    trace_event e = ev(TR_SYNC, TSYNC_LOAD, 1000000);  /* a server starting */
    viz_pacer_event(&p, &e);
    e = ev(TR_SEND, 0, 1000000);
    viz_pacer_event(&p, &e);
    assert_false(viz_pacer_began(&p));
    assert_true(viz_pacer_pace(&p, 10, 1000000, 0, NULL).why == NULL);
}

static void test_viz_speed_off_or_already_slow(void **state)
{
    (void)state;
    viz_pacer p = { .off = true };
    trace_event e = ev(TR_ROLE, TROLE_LOOKING, 0);
    viz_pacer_event(&p, &e);
    assert_true(viz_pacer_pace(&p, 10, 100, 0, NULL).pace == 10);
    p.off = false;
    viz_pace r = viz_pacer_pace(&p, 0.25, 100, 0, NULL);
    assert_true(r.pace == 0.25 && r.why == NULL);
    /* above the default speed the learner asked to go fast */
    r = viz_pacer_pace(&p, 20, 100, 0, NULL);
    assert_true(r.pace == 20 && r.why == NULL);
    assert_true(viz_pacer_pace(&p, 10, 100, 0, NULL).slow);
}

static void test_viz_speed_wait_fast_then_slow_at_deadline(void **state)
{
    (void)state;
    viz_pacer p = { 0 };
    /* 12.5 s to a session expiry at 1x: fast, so it takes about 3 s */
    viz_pace r = viz_pacer_pace(&p, 1, 10000000, 22500000, "session expiry");
    assert_false(r.slow);
    assert_true(r.pace > 3.9 && r.pace < 4.1);
    assert_string_equal(r.why, "session expiry");
    assert_true(r.until_us == 22000000);
    /* the pace holds through the wait (one recomputed would never arrive) */
    viz_pace later = viz_pacer_pace(&p, 1, 20000000, 22500000, "session expiry");
    assert_true(later.pace == r.pace);
    /* just before the deadline: slow motion, until the deadline */
    r = viz_pacer_pace(&p, 1, 22100000, 22500000, "session expiry");
    assert_true(r.slow && r.pace == VIZ_PACE_SLOW);
    assert_true(r.until_us == 22500001);
    /* at 10x the same wait is short already: no faster */
    viz_pacer q = { 0 };
    assert_true(viz_pacer_pace(&q, 10, 10000000, 22500000, "session expiry").pace == 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_speed_steps),
        cmocka_unit_test(test_viz_speed_election_is_slow_then_not),
        cmocka_unit_test(test_viz_speed_lesson_slow_ends_earlier_moments),
        cmocka_unit_test(test_viz_speed_moments_named),
        cmocka_unit_test(test_viz_speed_endless_elections_stop_slowing),
        cmocka_unit_test(test_viz_speed_off_or_already_slow),
        cmocka_unit_test(test_viz_speed_wait_fast_then_slow_at_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
