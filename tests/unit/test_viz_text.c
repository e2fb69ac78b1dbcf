/* Unit tests for the dashboard's text handling: UTF-8 decoding, display
 * widths (Hangul takes two columns, in a UTF-8 locale and without one),
 * fitting to a column count, and the frame's treatment of wide glyphs
 * and garbage bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "frame.h"
#include "text.h"

static void test_viz_text_widths_c_locale(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C");
    assert_int_equal(text_width("zk1 LEADING"), 11);
    assert_int_equal(text_width("정족수"), 6);
    assert_int_equal(text_width("a\xff" "b"), 3);      /* a bad byte shows as '?' */
    assert_int_equal(text_width("e\xcc\x81"), 1);       /* e + combining acute */
}

static void test_viz_text_widths_utf8_locale(void **state)
{
    (void)state;
    if (!setlocale(LC_ALL, "C.UTF-8")) skip();
    assert_int_equal(text_width("정족수 2 of 3"), 13);
    assert_int_equal(text_width("日本"), 4);
    setlocale(LC_ALL, "C");
}

static void test_viz_text_decode_rejects_bad_sequences(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(text_decode("\xc0\xaf", &cp), 1);    /* overlong '/' */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(text_decode("\xed\xa0\x80", &cp), 1); /* surrogate */
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(text_decode("\xea\xb0\x80", &cp), 3); /* 가 */
    assert_int_equal(cp, 0xAC00);
    assert_int_equal(text_decode("\xe2\x82", &cp), 1);     /* cut short */
    char out[4];
    assert_int_equal(text_encode(0xAC00, out), 3);
    assert_memory_equal(out, "\xea\xb0\x80", 3);
    assert_int_equal(text_encode(0xD800, out), 0);
}

static void test_viz_text_fit_never_splits_a_glyph(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(text_fit("정족수", 5, out, sizeof out), 4);
    assert_string_equal(out, "정족");
    assert_int_equal(text_fit("ab\tc", 10, out, sizeof out), 4);
    assert_string_equal(out, "ab?c");
    assert_int_equal(text_fit("abcdef", 3, out, 3), 2);  /* the buffer limits */
    assert_string_equal(out, "ab");
}

static void test_viz_text_frame_wide_glyph_at_edge(void **state)
{
    (void)state;
    viz_frame *f = viz_frame_new(5, 1);
    /* "가나다" is 6 columns: the third glyph would straddle the edge */
    int end = viz_frame_put(f, 0, 0, 5, VR_NORMAL, "가나다");
    assert_int_equal(end, 5);
    char line[64];
    viz_frame_row_text(f, 0, line, sizeof line);
    assert_string_equal(line, "가나 ");
    /* overwriting the right half of a wide glyph blanks its left half */
    viz_frame_put(f, 0, 1, 5, VR_NORMAL, "x");
    viz_frame_row_text(f, 0, line, sizeof line);
    assert_string_equal(line, " x나 ");
    viz_frame_free(f);
}

static void test_viz_text_frame_garbage_is_safe(void **state)
{
    (void)state;
    viz_frame *f = viz_frame_new(20, 2);
    char junk[256];
    for (int i = 0; i < 255; i++) junk[i] = (char)(i + 1);
    junk[255] = '\0';
    viz_frame_put(f, 0, 0, 20, VR_NORMAL, junk);
    viz_frame_put(f, 5, 0, 20, VR_NORMAL, "off the frame");
    viz_frame_put(f, 1, -3, 99, VR_NORMAL, "\x1b[31mred");
    char line[128];
    viz_frame_row_text(f, 1, line, sizeof line);
    assert_memory_equal(line, "?[31mred", 8);         /* no escape reaches the terminal */
    for (int c = 0; c < 20; c++) {
        const char *ch = viz_frame_cell(f, 0, c)->ch;
        for (const char *p = ch; *p; p++) assert_true((unsigned char)*p >= 0x20);
    }
    viz_frame_free(f);
}

/* A non-UTF-8 locale: every glyph has a one-column ASCII stand-in, the
 * dashboard's own symbols look alike, and the sparkline's bars rise. */
static void test_viz_text_ascii_stand_ins(void **state)
{
    (void)state;
    assert_string_equal(text_ascii("a"), "a");
    assert_string_equal(text_ascii(" "), " ");
    assert_string_equal(text_ascii("~"), "~");
    assert_string_equal(text_ascii("\x1b"), "?");
    assert_string_equal(text_ascii("\x7f"), "?");
    assert_string_equal(text_ascii("·"), "-");
    assert_string_equal(text_ascii("●"), "*");
    assert_string_equal(text_ascii("✗"), "x");
    assert_string_equal(text_ascii("한"), "?");     /* and its right half: */
    assert_string_equal(text_ascii(""), "?");
    assert_string_equal(text_ascii("\xff"), "?");
    const char *bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
    for (int i = 0; i < 8; i++) {
        const char *a = text_ascii(bars[i]);
        assert_int_equal(strlen(a), 1);
        assert_true(a[0] > ' ' && a[0] < 0x7f);
        for (int j = 0; j < i; j++) assert_string_not_equal(a, text_ascii(bars[j]));
    }
}

/* Lines break at the last space, at newlines, and mid-word only when a
 * word alone is wider than the line; Korean counts two columns a glyph. */
static void test_viz_text_next_line_wraps_at_words(void **state)
{
    (void)state;
    char line[64];
    const char *p = "quorum lost: 1 of 3\nup  now";
    assert_true(text_next_line(&p, 10, line, sizeof line));
    assert_string_equal(line, "quorum");
    assert_true(text_next_line(&p, 10, line, sizeof line));
    assert_string_equal(line, "lost: 1 of");
    assert_true(text_next_line(&p, 10, line, sizeof line));
    assert_string_equal(line, "3");
    assert_true(text_next_line(&p, 10, line, sizeof line));
    assert_string_equal(line, "up  now");
    assert_false(text_next_line(&p, 10, line, sizeof line));
    p = "abcdefghijkl";
    assert_true(text_next_line(&p, 5, line, sizeof line));
    assert_string_equal(line, "abcde");
    p = "쿼럼 없음";
    assert_true(text_next_line(&p, 5, line, sizeof line));
    assert_string_equal(line, "쿼럼");
    assert_true(text_next_line(&p, 5, line, sizeof line));
    assert_string_equal(line, "없음");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_text_widths_c_locale),
        cmocka_unit_test(test_viz_text_widths_utf8_locale),
        cmocka_unit_test(test_viz_text_decode_rejects_bad_sequences),
        cmocka_unit_test(test_viz_text_fit_never_splits_a_glyph),
        cmocka_unit_test(test_viz_text_frame_wide_glyph_at_edge),
        cmocka_unit_test(test_viz_text_frame_garbage_is_safe),
        cmocka_unit_test(test_viz_text_ascii_stand_ins),
        cmocka_unit_test(test_viz_text_next_line_wraps_at_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
