/* text: UTF-8 decoding and display widths for the dashboard. */
#include "text.h"

#include <string.h>
#include <wchar.h>

size_t text_decode(const char *s, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[0];
    size_t n;
    uint32_t min;
    if (c < 0x80) { *cp = c; return 1; }
    if ((c & 0xE0) == 0xC0) { n = 2; c &= 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { n = 3; c &= 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { n = 4; c &= 0x07; min = 0x10000; }
    else { *cp = 0xFFFD; return 1; }
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        c = (c << 6) | (u[i] & 0x3F);
    }
    /* overlong forms, surrogates and values past U+10FFFF are invalid */
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = c;
    return n;
}

size_t text_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF) return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* East Asian Wide and Fullwidth ranges, for when the locale's wcwidth
 * cannot answer (the C locale in tests). */
static const uint32_t wide_ranges[][2] = {
    { 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
    { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
    { 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
    { 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 },
    { 0x1F300, 0x1F64F }, { 0x1F900, 0x1F9FF }, { 0x20000, 0x3FFFD },
};

static int table_width(uint32_t cp)
{
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1160 && cp <= 0x11FF) ||
        cp == 0x200B)
        return 0;
    for (size_t i = 0; i < sizeof wide_ranges / sizeof wide_ranges[0]; i++)
        if (cp >= wide_ranges[i][0] && cp <= wide_ranges[i][1]) return 2;
    return 1;
}

int text_cp_printable(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFD) return 0;
    if (cp >= 0x80 && sizeof(wchar_t) >= 4 && wcwidth((wchar_t)cp) < 0) {
        /* the locale says unprintable; trust it only in a UTF-8 locale,
         * where it knows the character (the C locale knows none) */
        return wcwidth((wchar_t)0xAC00) == 2 ? 0 : 1;
    }
    return 1;
}

int text_cp_width(uint32_t cp)
{
    if (!text_cp_printable(cp)) return 1;
    if (cp < 0x80) return 1;
    int w = wcwidth((wchar_t)cp);
    if (w >= 0) return w > 2 ? 2 : w;
    return table_width(cp);
}

int text_width(const char *s)
{
    int w = 0;
    while (*s) {
        uint32_t cp;
        s += text_decode(s, &cp);
        w += text_cp_width(cp);
    }
    return w;
}

int text_fit(const char *s, int cols, char *out, size_t cap)
{
    int w = 0;
    size_t n = 0;
    if (cap == 0) return 0;
    while (*s) {
        uint32_t cp;
        size_t len = text_decode(s, &cp);
        int cw = text_cp_width(cp);
        if (w + cw > cols) break;
        if (!text_cp_printable(cp)) {
            if (n + 1 >= cap) break;
            out[n++] = '?';
        } else {
            if (n + len >= cap) break;
            memcpy(out + n, s, len);
            n += len;
        }
        w += cw;
        s += len;
    }
    out[n] = '\0';
    return w;
}

/* The dashboard's own non-ASCII symbols and their stand-ins. */
static const struct { uint32_t cp; const char *ascii; } ascii_table[] = {
    { 0x00B7, "-" },                                    /* · separators */
    { 0x2581, "_" }, { 0x2582, "." }, { 0x2583, "," }, { 0x2584, "-" },
    { 0x2585, "=" }, { 0x2586, "+" }, { 0x2587, "*" }, { 0x2588, "#" },
    { 0x25CF, "*" }, { 0x25CB, "o" }, { 0x2717, "x" }, { 0x2713, "v" },
    { 0x25B6, ">" },                                    /* ▶ a lesson task */
    { 0x2190, "<" }, { 0x2192, ">" }, { 0x2191, "^" }, { 0x2193, "v" },
    { 0x2500, "-" }, { 0x2502, "|" }, { 0x2026, "." }, { 0x2014, "-" },
    { 0x25B6, ">" }, { 0x25C0, "<" }, { 0x2504, "." },  /* message arrows */
    { 0x21BA, "@" },                                    /* ... to itself */
    { 0x00BB, ">" },                                    /* » a countdown */
};

const char *text_ascii(const char *glyph)
{
    static const char ascii[128][2] = {
#define A8(b) {b, 0}, {b + 1, 0}, {b + 2, 0}, {b + 3, 0}, \
              {b + 4, 0}, {b + 5, 0}, {b + 6, 0}, {b + 7, 0}
        A8(0), A8(8), A8(16), A8(24), A8(32), A8(40), A8(48), A8(56),
        A8(64), A8(72), A8(80), A8(88), A8(96), A8(104), A8(112), A8(120),
#undef A8
    };
    unsigned char c = (unsigned char)glyph[0];
    if (c == 0) return "?";                 /* a wide glyph's right half */
    if (c < 0x80) return c >= 0x20 && c != 0x7F ? ascii[c] : "?";
    uint32_t cp;
    text_decode(glyph, &cp);
    for (size_t i = 0; i < sizeof ascii_table / sizeof ascii_table[0]; i++)
        if (ascii_table[i].cp == cp) return ascii_table[i].ascii;
    return "?";
}

/* Whether the line at t (to its newline) is drawn with box-drawing or
 * block characters (U+2500..U+259F, UTF-8 E2 94..96): a chart's row. */
static bool chart_row(const char *t)
{
    for (const unsigned char *u = (const unsigned char *)t; *u && *u != '\n'; u++)
        if (u[0] == 0xE2 && u[1] >= 0x94 && u[1] <= 0x96) return true;
    return false;
}

bool text_next_line_cut(const char **p, int cols, char *out, size_t cap, bool *cut)
{
    const char *t = *p;
    while (*t == ' ') t++;
    if (!*t) {
        *p = t;
        out[0] = '\0';
        return false;
    }
    text_fit(t, cols, out, cap);
    size_t len = strlen(out);
    const char *nl = memchr(t, '\n', len);
    if (!nl && t[len] && t[len] != '\n' && chart_row(t) && cols > 1) {
        /* a chart's row broken at a space would move its columns: cut */
        text_fit(t, cols - 1, out, cap > 4 ? cap - 3 : 1);
        strcat(out, "…");
        while (*t && *t != '\n') t++;
        if (*t) t++;
        *p = t;
        if (cut) *cut = true;
        return true;
    }
    if (nl) {
        len = (size_t)(nl - t);
    } else if (t[len] && t[len] != ' ') {       /* break at the last space */
        const char *sp = NULL;
        for (size_t i = 0; i < len; i++) if (t[i] == ' ') sp = t + i;
        if (sp && sp > t) len = (size_t)(sp - t);
    }
    out[len] = '\0';
    t += len;
    if (*t == '\n') t++;
    else if (len == 0 && *t != ' ') t++;        /* no progress: skip a byte */
    *p = t;
    return true;
}

bool text_next_line(const char **p, int cols, char *out, size_t cap)
{
    return text_next_line_cut(p, cols, out, cap, NULL);
}

void text_copy_cut(char *out, size_t cap, const char *text)
{
    static const char more[] = "…";
    size_t n = 0, keep = cap - sizeof more;     /* room for "…" and '\0' */
    size_t cut = 0;                             /* the last character boundary */
    for (const char *p = text; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80) cut = n;
        size_t len = *p == '\t' ? 2 : 1;
        if (n + len > keep) {
            memcpy(out + cut, more, sizeof more);
            return;
        }
        if (*p == '\t') { out[n++] = ' '; out[n++] = ' '; }
        else out[n++] = *p;
    }
    out[n] = '\0';
}
