/* frame: the cell grid the layout fills and draw.c copies to curses. */
#include "frame.h"
#include "ko.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct viz_frame {
    int w, h;           /* size in cells */
    viz_cell *cells;    /* w * h, row-major */
};

viz_frame *viz_frame_new(int w, int h)
{
    viz_frame *f = xcalloc(1, sizeof *f);
    viz_frame_resize(f, w, h);
    return f;
}

void viz_frame_free(viz_frame *f)
{
    if (!f) return;
    free(f->cells);
    free(f);
}

void viz_frame_resize(viz_frame *f, int w, int h)
{
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    if (w != f->w || h != f->h) {
        free(f->cells);
        f->cells = xcalloc((size_t)w * (size_t)h, sizeof *f->cells);
        f->w = w;
        f->h = h;
    }
    viz_frame_clear(f);
}

void viz_frame_clear(viz_frame *f)
{
    size_t n = (size_t)f->w * (size_t)f->h;
    for (size_t i = 0; i < n; i++) {
        f->cells[i].ch[0] = ' ';
        f->cells[i].ch[1] = '\0';
        f->cells[i].role = VR_NORMAL;
    }
}

int viz_frame_w(const viz_frame *f) { return f->w; }
int viz_frame_h(const viz_frame *f) { return f->h; }

const viz_cell *viz_frame_cell(const viz_frame *f, int row, int col)
{
    if (row < 0 || row >= f->h || col < 0 || col >= f->w) return NULL;
    return &f->cells[(size_t)row * (size_t)f->w + (size_t)col];
}

static viz_cell *cell(viz_frame *f, int row, int col)
{
    return &f->cells[(size_t)row * (size_t)f->w + (size_t)col];
}

/* Overwriting half of a wide glyph leaves the other half as a space. */
static void unwide(viz_frame *f, int row, int col)
{
    viz_cell *c = cell(f, row, col);
    if (c->ch[0] == '\0' && col > 0) {
        viz_cell *l = cell(f, row, col - 1);
        l->ch[0] = ' '; l->ch[1] = '\0';
    } else if (c->ch[0] != '\0' && col + 1 < f->w &&
               cell(f, row, col + 1)->ch[0] == '\0') {
        viz_cell *r = cell(f, row, col + 1);
        r->ch[0] = ' '; r->ch[1] = '\0';
    }
}

int viz_frame_put(viz_frame *f, int row, int col, int end, viz_role role,
                  const char *text)
{
    if (row < 0 || row >= f->h) return col;
    if (end > f->w) end = f->w;
    if (col < 0) col = 0;
    /* Korean particle markers ("%d을(를)") agree with the word before them
     * once the word is known: here, the last place every text passes */
    char agreed[1024];
    if (strstr(text, "(") && strlen(text) < sizeof agreed) {
        ko_resolve(text, agreed, sizeof agreed);
        text = agreed;
    }
    while (*text && col < end) {
        uint32_t cp;
        size_t len = text_decode(text, &cp);
        int cw = text_cp_width(cp);
        if (cw == 0) { text += len; continue; }  /* combining: dropped */
        viz_cell *c = cell(f, row, col);
        unwide(f, row, col);
        if (cw == 2 && col + 1 >= end) {
            c->ch[0] = ' '; c->ch[1] = '\0';
            c->role = (unsigned char)role;
            col++;
            break;
        }
        if (cp == '\t') {                   /* print() separates with tabs */
            c->ch[0] = ' '; c->ch[1] = '\0';
        } else if (!text_cp_printable(cp)) {
            c->ch[0] = '?'; c->ch[1] = '\0';
        } else {
            memcpy(c->ch, text, len);
            c->ch[len] = '\0';
        }
        c->role = (unsigned char)role;
        if (cw == 2) {
            unwide(f, row, col + 1);
            viz_cell *r = cell(f, row, col + 1);
            r->ch[0] = '\0';
            r->role = (unsigned char)role;
        }
        col += cw;
        text += len;
    }
    return col;
}

int viz_frame_putf(viz_frame *f, int row, int col, int end, viz_role role,
                   const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return viz_frame_put(f, row, col, end, role, buf);
}

void viz_frame_fill(viz_frame *f, int row, int col, int end, viz_role role)
{
    if (row < 0 || row >= f->h) return;
    if (end > f->w) end = f->w;
    if (col < 0) col = 0;
    for (int c = col; c < end; c++) {
        unwide(f, row, c);
        viz_cell *x = cell(f, row, c);
        x->ch[0] = ' '; x->ch[1] = '\0';
        x->role = (unsigned char)role;
    }
}

void viz_frame_row_text(const viz_frame *f, int row, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0) return;
    for (int c = 0; row >= 0 && row < f->h && c < f->w; c++) {
        const viz_cell *x = &f->cells[(size_t)row * (size_t)f->w + (size_t)c];
        size_t len = strlen(x->ch);
        if (n + len >= cap) break;
        memcpy(out + n, x->ch, len);
        n += len;
    }
    out[n] = '\0';
}

int viz_frame_find(const viz_frame *f, const char *needle, int *row_out)
{
    size_t cap = (size_t)f->w * 4 + 1;
    char *buf = xmalloc(cap);
    for (int r = 0; r < f->h; r++) {
        viz_frame_row_text(f, r, buf, cap);
        if (strstr(buf, needle)) {
            if (row_out) *row_out = r;
            free(buf);
            return 1;
        }
    }
    free(buf);
    return 0;
}
