/* znode: one znode's whole value and its stat, over the panels, opened
 * from the tree browser (Enter on a leaf, v on any znode). The stat's
 * fields carry the names zkCli's stat prints, so what the learner reads
 * here reads the same in a real ZooKeeper; times are simulated time. */
#include "layout.h"
#include "text.h"
#include "words.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN 2                /* columns left and right of the text */

/* The value as text: printable ASCII and UTF-8 stay, other bytes show
 * as '.', a newline stays a line break. Caller frees. */
static char *printable(const uint8_t *data, size_t len)
{
    char *out = malloc(len + 1);
    if (!out) abort();
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = data[i];
        out[n++] = ch == '\n' || ch >= 0x20 ? (char)ch : '.';
    }
    out[n] = '\0';
    return out;
}

/* Cuts the next line of the value off *p: at a newline, else after the
 * last space or comma that fits (JSON, as Kafka writes it, has commas
 * and no spaces), else where the width ends. False when none is left. */
static bool value_line(const char **p, int cols, char *out, size_t cap)
{
    if (!**p) return false;
    const char *nl = strchr(*p, '\n');
    size_t upto = nl ? (size_t)(nl - *p) : strlen(*p);
    char *seg = malloc(upto + 1);
    if (!seg) abort();
    memcpy(seg, *p, upto);
    seg[upto] = '\0';
    text_fit(seg, cols, out, cap);
    size_t n = strlen(out);
    if (n < upto) {             /* more follows on this line: break nicely */
        size_t b = n;
        while (b > 0 && out[b - 1] != ',' && out[b - 1] != ' ') b--;
        if (b > 0) n = b;
        out[n] = '\0';
    }
    free(seg);
    if (n == 0 && upto > 0) {       /* no room even for one glyph: skip it */
        uint32_t cp;
        n = text_decode(*p, &cp);
    }
    *p += n;
    if (n == upto && nl) (*p)++;            /* past the newline */
    return true;
}

/* Lines of the value from line `from` on into rows [row, last); returns
 * the number of lines from there on (drawn or not). */
static int value_lines(viz_frame *f, int row, int last, int x, int end,
                       const char *text, int from)
{
    const char *p = text;
    char line[1024];
    int n = 0;
    while (value_line(&p, end - x, line, sizeof line)) {
        if (n >= from && f && row < last) viz_frame_put(f, row++, x, end, VR_NORMAL, line);
        n++;
    }
    return n - from;
}

/* Simulated milliseconds as "12.345s" (the header's clock). */
static void sim_time(int64_t ms, char *out, size_t cap)
{
    snprintf(out, cap, "t=%" PRId64 ".%03" PRId64 "s", ms / 1000, ms % 1000);
}

/* The stat, two fields a line where the width allows: returns the row
 * after it. */
static int stat_lines(const viz_znode *z, viz_frame *f, int row, int last,
                      int x, int end)
{
    const zstat *st = &z->st;
    char ct[32], mt[32], f_[12][64];
    sim_time(st->ctime_ms, ct, sizeof ct);
    sim_time(st->mtime_ms, mt, sizeof mt);
    int n = 0;
    snprintf(f_[n++], sizeof f_[0], "cZxid = 0x%" PRIx64, (uint64_t)st->czxid);
    snprintf(f_[n++], sizeof f_[0], "ctime = %s", ct);
    snprintf(f_[n++], sizeof f_[0], "mZxid = 0x%" PRIx64, (uint64_t)st->mzxid);
    snprintf(f_[n++], sizeof f_[0], "mtime = %s", mt);
    snprintf(f_[n++], sizeof f_[0], "pZxid = 0x%" PRIx64, (uint64_t)st->pzxid);
    snprintf(f_[n++], sizeof f_[0], "cversion = %d", st->cversion);
    snprintf(f_[n++], sizeof f_[0], "dataVersion = %d", st->version);
    snprintf(f_[n++], sizeof f_[0], "ephemeralOwner = 0x%" PRIx64, (uint64_t)st->ephemeral_owner);
    snprintf(f_[n++], sizeof f_[0], "dataLength = %d", st->data_length);
    snprintf(f_[n++], sizeof f_[0], "numChildren = %d", st->num_children);
    int colw = 28;
    int per = (end - x) / colw;
    if (per < 1) per = 1;
    if (per > 2) per = 2;
    for (int i = 0; i < n && row < last; row++)
        for (int c = 0; c < per && i < n; c++, i++)
            viz_frame_put(f, row, x + c * colw, end, VR_NORMAL, f_[i]);
    return row;
}

int viz_znode_lines(const viz_snap *s, const viz_view *v)
{
    if (!s->znode.found) return 0;
    char *text = printable(s->znode.data, s->znode.len);
    int n = value_lines(NULL, 0, 0, MARGIN, v->w - MARGIN, text, 0);
    free(text);
    return n;
}

void viz_panel_znode(const viz_snap *s, const viz_view *v, viz_frame *f)
{
    const viz_znode *z = &s->znode;
    int top = 1, last = v->h - 2, w = v->w;
    int x = MARGIN, end = w - MARGIN;
    for (int r = top; r < last; r++) viz_frame_fill(f, r, 0, w, VR_NORMAL);
    char t[400];
    snprintf(t, sizeof t, viz_tr(s->lang, "ZNODE  %s  zk%d's copy  (Esc or q goes back)"),
             z->path[0] ? z->path : v->znode, s->tree_sid);
    viz_rect title = { 0, top, w, 1 };
    viz_panel_title(f, title, t);
    int row = top + 1;
    if (!z->found) {
        viz_wrap(f, row, last, x, end, VR_BAD,
                 viz_tr(s->lang, "this znode no longer exists (deleted, or no server up)"));
        return;
    }
    row = stat_lines(z, f, row, last, x, end);
    if (row >= last) return;
    viz_frame_put(f, row++, x, end, VR_DIM,
                  z->len ? viz_tr(s->lang, "value:") : viz_tr(s->lang, "value: empty"));
    char *text = printable(z->data, z->len);
    /* from the first line not scrolled past (arrows, PgUp/PgDn scroll) */
    int rows = last - row;
    int need = value_lines(NULL, 0, 0, x, end, text, v->znode_top);
    if (need > rows) {
        value_lines(f, row, last - 1, x, end, text, v->znode_top);
        viz_frame_putf(f, last - 1, x, end, VR_DIM,
                       viz_tr(s->lang, "(%d more lines: Down or PgDn)"), need - (rows - 1));
    } else {
        value_lines(f, row, last, x, end, text, v->znode_top);
    }
    free(text);
}
