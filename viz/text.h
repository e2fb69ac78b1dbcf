/* text: UTF-8 as the terminal shows it. Display width counts columns, not
 * bytes: Hangul and other East Asian wide characters take two, combining
 * marks none. The widths follow wcwidth in a UTF-8 locale (what ncursesw
 * itself uses), with a built-in table when the locale cannot tell, so the
 * layout and the screen agree. Invalid bytes and control characters show
 * as '?' so nothing a learner types can garble the screen. */
#ifndef QL_VIZ_TEXT_H
#define QL_VIZ_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s (s[0] != 0). Returns the bytes used (1..4);
 * an invalid sequence uses 1 byte and gives U+FFFD. */
size_t text_decode(const char *s, uint32_t *cp);
/* Encodes cp as UTF-8 into out (room for 4); returns the byte count, 0 for
 * a value that is not a code point. */
size_t text_encode(uint32_t cp, char *out);
/* Columns one code point takes: 0 (combining), 1 or 2. Controls and
 * unprintables count as 1: they are drawn as '?'. */
int text_cp_width(uint32_t cp);
/* True when the code point is drawn as itself (not replaced by '?'). */
int text_cp_printable(uint32_t cp);
/* Display columns of a whole string. */
int text_width(const char *s);
/* Copies the longest prefix of s that fits in cols columns into out (cap
 * bytes, always terminated), unprintables replaced by '?'. Returns the
 * columns used. */
int text_fit(const char *s, int cols, char *out, size_t cap);
/* Cuts the next line of at most cols columns off *p into out: at a
 * newline, else at the last space before a word that would be cut (mid-
 * word only when one word is wider than cols). Leading spaces are
 * skipped and *p moves past the line. False when no text is left. A
 * line drawn with box-drawing or block characters (a chart's row, such
 * as lab.failover_plot's) is never broken at a space, which would move
 * its columns: one too wide is cut, ending in "…". */
bool text_next_line(const char **p, int cols, char *out, size_t cap);
/* The same, *cut set to true when a chart's row was cut (cut may be
 * NULL; it is never set to false). */
bool text_next_line_cut(const char **p, int cols, char *out, size_t cap, bool *cut);
/* Copies text into out (cap bytes, at least 8) to be shown: a tab
 * (print's separator) becomes two spaces, not an unprintable '?'; a text
 * too long is cut between whole characters and ends in "…", never cut
 * silently. */
void text_copy_cut(char *out, size_t cap, const char *text);
/* The ASCII stand-in for one cell's glyph, for a terminal whose locale is
 * not UTF-8: ASCII stays itself, the dashboard's own symbols get a look-
 * alike (bars of a sparkline become rising ASCII marks, '·' a '-', '●' a
 * '*'), anything else one '?' per column (a wide glyph's right half, "",
 * gives the second). Never NULL, always one byte and one column. */
const char *text_ascii(const char *glyph);

#endif
