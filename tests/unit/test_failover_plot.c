/* lua_plot: the failover chart lab.failover_plot draws. Bars stand where
 * a log axis puts their partition count, the tallest fills the chart and
 * the others are in proportion, each topped by its seconds; the legend
 * tells the bench's bars from the ones measured now; no line starts with
 * a space (the lesson panel trims them, which would shift a row), and the
 * chart fits the lesson panel's 1024 bytes in both languages. The bench's
 * data file is the one docs/failover.md quotes. Run from the repository
 * root (tests/run.sh does). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lua_plot.h"

static const fo_point pts[] = {
    { 3, 18.3, 7.3, true },
    { 1000, 19.5, 12.4, false },
    { 10000, 25.0, 12.4, false },
    { 100000, 82.6, 10.9, false },
};

/* Line i (from 0) of text into out. */
static void line_of(const char *text, int i, char *out, size_t cap)
{
    const char *p = text;
    while (i-- > 0 && (p = strchr(p, '\n'))) p++;
    assert_non_null(p);
    size_t n = strcspn(p, "\n");
    snprintf(out, cap, "%.*s", (int)n, p);
}

/* The display column of byte offset off in a line of 1-column characters. */
static int column(const char *line, const char *at)
{
    int c = 0;
    for (const char *p = line; p < at; p++) if (((unsigned char)*p & 0xC0) != 0x80) c++;
    return c;
}

static void test_failover_plot_bars_and_axis(void **state)
{
    (void)state;
    char out[1024], l[512];
    int n = fo_chart(pts, 4, "en", out, sizeof out);
    assert_true(n > 0 && n < 1000);
    /* title, 6 rows of bars, the axis, the legend */
    line_of(out, 1, l, sizeof l);
    assert_non_null(strstr(l, "82.6"));       /* the tallest's label on top */
    char axis[512];
    line_of(out, 7, axis, sizeof axis);
    const char *k1 = strstr(axis, "1k"), *k10 = strstr(axis, "10k"),
               *k100 = strstr(axis, "100k"), *three = strstr(axis, "3");
    assert_non_null(k1);
    assert_non_null(k10);
    assert_non_null(k100);
    assert_non_null(three);
    /* log scale: a decade is as wide from 1k to 10k as from 10k to 100k */
    assert_int_equal(column(axis, k10) - column(axis, k1), column(axis, k100) - column(axis, k10));
    assert_true(column(axis, three) < column(axis, k1));
    /* the 100k ZooKeeper bar fills every bar row below its label; the
     * 1k one (19.5 s of 82.6) is about a row high */
    int c100 = column(axis, k100), c1 = column(axis, k1);
    for (int r = 2; r <= 6; r++) {
        line_of(out, r, l, sizeof l);
        const char *p = l;
        for (int c = 0; c < c100 && *p; p++) if (((unsigned char)*p & 0xC0) != 0x80) c++;
        assert_memory_equal(p, "█", strlen("█"));
    }
    line_of(out, 4, l, sizeof l);           /* 9 eighths: a row and ▁ */
    assert_non_null(strstr(l, "19.5"));       /* just above its bar */
    line_of(out, 5, l, sizeof l);
    assert_non_null(strstr(l, "▁▁▁"));
    line_of(out, 3, l, sizeof l);
    assert_null(strstr(l, "19.5"));
    (void)c1;
    /* the live bars are striped (a gap down the middle), the bench's
     * solid; the legend says which */
    assert_non_null(strstr(out, "█ █"));
    line_of(out, 8, l, sizeof l);
    assert_non_null(strstr(l, "x axis: partitions (log scale);"));
    line_of(out, 9, l, sizeof l);
    assert_non_null(strstr(l, "make bench"));
    assert_non_null(strstr(l, "measured in this lesson now"));
    for (int i = 0; i <= 9; i++) {
        line_of(out, i, l, sizeof l);
        assert_true(l[0] != ' ' && l[0] != '\0');
    }
}

static void test_failover_plot_korean_and_bench_only(void **state)
{
    (void)state;
    char out[1024];
    assert_true(fo_chart(pts, 4, "ko", out, sizeof out) > 0);
    assert_non_null(strstr(out, "파티션"));
    assert_non_null(strstr(out, "지금 잰 값"));
    assert_true(fo_chart(pts + 1, 3, "en", out, sizeof out) > 0);
    assert_null(strstr(out, "measured in this lesson"));
    assert_null(strstr(out, "█ █"));
    /* 0 s: its label on the axis row, no bar (it drew a row) */
    fo_point zero[] = { { 3, 18.0, 0, true } };
    assert_true(fo_chart(zero, 1, "en", out, sizeof out) > 0);
    char l[512];
    line_of(out, 6, l, sizeof l);
    assert_non_null(strstr(l, "█ █  0.0"));
    line_of(out, 5, l, sizeof l);
    assert_null(strstr(l, "0.0"));
    assert_int_equal(fo_chart(pts, 0, "en", out, sizeof out), -1);
    assert_int_equal(fo_chart(pts, 4, "en", out, 100), -1);   /* does not fit */
}

/* The glyph at display column col of a line of 1-column characters
 * ("" past its end). */
static const char *glyph_at(const char *line, int col)
{
    int c = -1;
    for (const char *p = line; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80 && ++c == col) return p;
    return "";
}

/* The eighths a bar of the chart stands at column col: each row's block
 * there, counted from the bars' rows (lines 1 to 6). */
static int bar_eighths(const char *chart, int col)
{
    static const char *const e[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
    int n = 0;
    char l[512];
    for (int r = 1; r <= 6; r++) {
        line_of(chart, r, l, sizeof l);
        const char *g = glyph_at(l, col);
        for (int k = 0; k < 8; k++)
            if (strncmp(g, e[k], strlen(e[k])) == 0) n += k + 1;
    }
    return n;
}

/* A measured bar's height is in eighths of a row as a bench bar's: 10.9 s
 * stands lower than 12.9 s beside it (trial 6: the shaded bars were whole
 * rows, so 10.9 drew as tall as 17.5 and taller than the bench's 12.9). */
static void test_failover_plot_measured_bars_in_eighths(void **state)
{
    (void)state;
    const fo_point p[] = {
        { 3, 17.5, 10.9, true },
        { 1000, 19.5, 12.9, false },
    };
    char out[1024], l[512], axis[512];
    assert_true(fo_chart(p, 2, "en", out, sizeof out) > 0);
    line_of(out, 7, axis, sizeof axis);
    /* each count on the axis stands under its ZooKeeper bar; the KRaft
     * bar is 5 columns right (3 wide, a gap of 2) */
    int c3 = column(axis, strstr(axis, "3")), c1k = column(axis, strstr(axis, "1k"));
    /* 40 eighths for the tallest, 19.5 s: 17.5 -> 36, 10.9 -> 22, 12.9 -> 26 */
    assert_int_equal(bar_eighths(out, c1k), 40);
    assert_int_equal(bar_eighths(out, c3), 36);
    assert_int_equal(bar_eighths(out, c3 + 5), 22);
    assert_int_equal(bar_eighths(out, c1k + 5), 26);
    /* a measured bar is striped, a bench bar solid: the middle column */
    assert_int_equal(bar_eighths(out, c3 + 1), 0);
    assert_int_equal(bar_eighths(out, c3 + 6), 0);
    assert_int_equal(bar_eighths(out, c1k + 1), 40);
    /* a short axis keeps its unit; the legend goes on where it passes
     * FO_COLS */
    assert_non_null(strstr(axis, "───── partitions (log scale)"));
    line_of(out, 9, l, sizeof l);
    assert_non_null(strstr(l, "█ █ measured in this lesson now"));
    assert_non_null(strstr(l, "███ make bench"));
}

/* Columns a line takes on a terminal: Hangul two, the rest one. */
static int term_cols(const char *line)
{
    int c = 0;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
        if ((*p & 0xC0) == 0x80) continue;
        c += (*p >= 0xEA && *p <= 0xEC) || (*p == 0xED && p[1] < 0x9F) ? 2 : 1;
    }
    return c;
}

/* Every line within FO_COLS (76), in both languages, so the step reader
 * (l) of an 80-column terminal shows the chart whole: lesson 14's axis
 * with its unit was 85 columns and its legend 115, broken at its spaces
 * ("(log" / "scale)") at 80x24 (trial 6 #16). */
static void test_failover_plot_fits_80_columns(void **state)
{
    (void)state;
    const char *langs[] = { "en", "ko" };
    for (int k = 0; k < 2; k++) {
        char out[1024], l[512];
        int n = fo_chart(pts, 4, langs[k], out, sizeof out);
        assert_true(n > 0);
        int lines = 1;
        for (const char *p = out; *p; p++) lines += *p == '\n';
        assert_true(lines >= 10);
        for (int i = 0; i < lines; i++) {
            line_of(out, i, l, sizeof l);
            if (term_cols(l) > FO_COLS) fail_msg("%s line %d: %d columns: %s", langs[k], i,
                                                 term_cols(l), l);
        }
        assert_non_null(strstr(out, k ? "파티션 (로그 눈금)" : "partitions (log scale)"));
    }
}

static void test_failover_plot_bench_file(void **state)
{
    (void)state;
    fo_point p[FO_POINTS_MAX];
    char err[256];
    int n = fo_read_bench("lessons/failover_bench.tsv", p, FO_POINTS_MAX, err, sizeof err);
    assert_int_equal(n, 3);
    assert_int_equal(p[0].partitions, 1000);
    assert_int_equal(p[2].partitions, 100000);
    assert_true(p[2].zk_s > 60 && p[2].kraft_s < 15);     /* docs/failover.md */
    assert_false(p[0].live);
    assert_int_equal(fo_read_bench("no/such.tsv", p, FO_POINTS_MAX, err, sizeof err), -1);
    assert_non_null(strstr(err, "no/such.tsv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_failover_plot_bars_and_axis),
        cmocka_unit_test(test_failover_plot_korean_and_bench_only),
        cmocka_unit_test(test_failover_plot_measured_bars_in_eighths),
        cmocka_unit_test(test_failover_plot_bench_file),
        cmocka_unit_test(test_failover_plot_fits_80_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
