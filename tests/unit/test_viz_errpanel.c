/* Unit tests for the script error panel and the lesson panel around it:
 * the whole "file:line: message" wrapped inside the screen (at 120x40
 * and at 80x24), in Korean, the keys it names and the keys that act while
 * it is up, the tally that does not claim success, and check lines that
 * wrap instead of being cut. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "layout.h"
#include "text.h"

typedef struct fixture {
    viz_snap snap;
    viz_view view;
    viz_frame *frame;
    viz_events *events;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    viz_snap_init(&f->snap);
    f->snap.ens.size = 3;
    f->snap.ens.quorum = 2;
    f->events = viz_events_new(16);
    f->snap.events = f->events;
    f->snap.mode = "lesson";
    snprintf(f->snap.title, sizeof f->snap.title, "bad.lua");
    viz_view_init(&f->view, 120, 40);
    f->frame = viz_frame_new(120, 40);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    viz_frame_free(f->frame);
    viz_view_free(&f->view);
    viz_snap_free(&f->snap);
    viz_events_free(f->events);
    free(f);
    return 0;
}

static void dump(const viz_frame *fr)
{
    for (int r = 0; r < viz_frame_h(fr); r++) {
        char line[1024];
        viz_frame_row_text(fr, r, line, sizeof line);
        print_message("%2d|%s|\n", r, line);
    }
}

static int row_of(const viz_frame *fr, const char *needle)
{
    int row;
    if (!viz_frame_find(fr, needle, &row)) {
        dump(fr);
        fail_msg("no row says '%s'", needle);
    }
    return row;
}

/* The panel's text from the row under its title to its first blank row,
 * lines joined by one space: what a learner reads, wrapped or not. */
static void panel_message(const viz_frame *fr, int title_row, char *out, size_t cap)
{
    out[0] = '\0';
    for (int r = title_row + 1; r < viz_frame_h(fr); r++) {
        char line[1024];
        viz_frame_row_text(fr, r, line, sizeof line);
        char *p = line;
        while (*p == ' ') p++;
        size_t n = strlen(p);
        while (n > 0 && p[n - 1] == ' ') p[--n] = '\0';
        if (!n) break;
        /* nothing in the panel's rows is from the panels under it */
        assert_int_equal(line[0], ' ');
        assert_int_equal(line[1], ' ');
        assert_true(text_width(line) <= viz_frame_w(fr));
        if (out[0]) strncat(out, " ", cap - strlen(out) - 1);
        strncat(out, p, cap - strlen(out) - 1);
    }
}

static const char *long_error =
    "lessons/very/deep/folder/with/a/long/name/06_unclean_leader_election.lua:42: "
    "bad argument #1 to 'create_topic' (partitions must be 1 to 10000, got 1000000000: "
    "a topic that large would not fit in the lab)";

static void test_viz_errpanel_wraps_the_whole_message(void **state)
{
    fixture *f = *state;
    viz_view_error(&f->view, true, long_error);
    viz_layout(&f->snap, &f->view, f->frame);
    int t = row_of(f->frame, "SCRIPT ERROR");
    char msg[2048];
    panel_message(f->frame, t, msg, sizeof msg);
    assert_string_equal(msg, long_error);
    /* it sits above the status line and footer, which stay */
    assert_true(t > 0);
    row_of(f->frame, "The world is left as it was");
    row_of(f->frame, "Esc closes this panel and keeps playing with the world as it is");
    row_of(f->frame, "b goes back a step (replays from the seed)   q quits");
    int foot = row_of(f->frame, "? help");
    assert_int_equal(foot, 39);
}

static void test_viz_errpanel_at_80x24(void **state)
{
    fixture *f = *state;
    f->view.w = 80;
    f->view.h = 24;
    viz_view_error(&f->view, true, long_error);
    viz_layout(&f->snap, &f->view, f->frame);
    int t = row_of(f->frame, "SCRIPT ERROR");
    char msg[2048];
    panel_message(f->frame, t, msg, sizeof msg);
    assert_string_equal(msg, long_error);
    /* the notes wrap too: nothing cut at the edge */
    row_of(f->frame, "still act).");
    row_of(f->frame, "q quits");
    assert_int_equal(row_of(f->frame, "? help"), 23);
    /* a message longer than the screen holds: what fits, the notes stay */
    char huge[512];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    viz_view_error(&f->view, true, huge);
    viz_layout(&f->snap, &f->view, f->frame);
    row_of(f->frame, "SCRIPT ERROR");
    row_of(f->frame, "q quits");
    row_of(f->frame, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
}

static void test_viz_errpanel_korean(void **state)
{
    fixture *f = *state;
    f->snap.lang = "ko";
    f->view.w = 80;
    f->view.h = 24;
    viz_view_error(&f->view, false, "=:lua:1: 알 수 없는 노드 'zk9'");
    viz_layout(&f->snap, &f->view, f->frame);
    int t = row_of(f->frame, "스크립트 오류");
    char msg[2048];
    panel_message(f->frame, t, msg, sizeof msg);
    assert_string_equal(msg, "=:lua:1: 알 수 없는 노드 'zk9'");
    row_of(f->frame, "월드는 그대로 남아 계속 실행됩니다.");
    row_of(f->frame, "q 종료");
    /* a :lua error has no lesson to go back in */
    assert_false(viz_frame_find(f->frame, "b 이전 단계로", NULL));
    assert_false(viz_frame_find(f->frame, "SCRIPT ERROR", NULL));
}

static void test_viz_errpanel_keys(void **state)
{
    fixture *f = *state;
    viz_cmd cmd;
    viz_key esc = { false, 27, 0, 0 }, kk = { false, 'k', 0, 0 },
            b = { false, 'b', 0, 0 }, q = { false, 'q', 0, 0 };
    viz_view_error(&f->view, true, "x.lua:1: boom");
    /* a key the panel does not name does nothing while it is up */
    assert_int_equal(viz_keys_handle(&f->view, &f->snap, kk, &cmd), VK_REDRAW);
    assert_true(f->view.error_open);
    assert_int_equal(viz_keys_handle(&f->view, &f->snap, q, &cmd), VK_QUIT);
    assert_int_equal(viz_keys_handle(&f->view, &f->snap, b, &cmd), VK_CMD);
    assert_int_equal(cmd.kind, VC_BACK);
    assert_false(f->view.error_open);
    viz_view_error(&f->view, true, "x.lua:1: boom");
    assert_int_equal(viz_keys_handle(&f->view, &f->snap, esc, &cmd), VK_REDRAW);
    assert_false(f->view.error_open);
    viz_layout(&f->snap, &f->view, f->frame);
    assert_false(viz_frame_find(f->frame, "SCRIPT ERROR", NULL));
}

static void test_viz_errpanel_tally_and_wrapped_checks(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    f->view.w = 80;
    f->view.h = 24;
    snprintf(s->lesson, sizeof s->lesson, "A new client knows only a dead broker.");
    s->step = 4;
    s->nchecks = 2;
    snprintf(s->checks[0], sizeof s->checks[0], "p1 keeps producing");
    s->check_ok[0] = true;
    snprintf(s->checks[1], sizeof s->checks[1],
             "a new client with only a dead bootstrap broker cannot start");
    s->check_ok[1] = true;
    s->lesson_done = true;
    s->lesson_error = true;
    s->passed = 2;
    s->failed = 0;
    viz_layout(&f->snap, &f->view, f->frame);
    /* the tally wraps at 80 columns: every word shown */
    char line[1024];
    int t = row_of(f->frame, "stopped by an error after 2 passed, 0");
    viz_frame_row_text(f->frame, t + 1, line, sizeof line);
    assert_non_null(strstr(line, "  failed"));
    assert_false(viz_frame_find(f->frame, "lesson over", NULL));
    /* the long check wraps under its light, every word shown */
    int r = row_of(f->frame, "● a new client with only a dead");
    viz_frame_row_text(f->frame, r + 1, line, sizeof line);
    assert_non_null(strstr(line, "broker cannot start"));
    row_of(f->frame, "● p1 keeps producing");
    /* in Korean too */
    s->lang = "ko";
    viz_layout(&f->snap, &f->view, f->frame);
    row_of(f->frame, "오류로 중단: 그때까지 통과 2, 실패 0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_viz_errpanel_wraps_the_whole_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_errpanel_at_80x24, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_errpanel_korean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_errpanel_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_errpanel_tally_and_wrapped_checks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
