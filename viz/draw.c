/* draw: frame -> curses. */
#include "draw.h"
#include "text.h"
#include "util.h"

#include "curses_wrap.h"
#include <stdlib.h>
#include <string.h>

static bool ascii_only;

void viz_draw_ascii(bool on) { ascii_only = on; }

void viz_draw(const viz_frame *f)
{
    int w = viz_frame_w(f), h = viz_frame_h(f);
    int sh, sw;
    getmaxyx(stdscr, sh, sw);
    if (h > sh) h = sh;
    if (w > sw) w = sw;
    if (w < 0) w = 0;               /* getmaxyx gives -1 without a screen */
    size_t cap = (size_t)w * 4 + 1;
    char *buf = xmalloc(cap);
    for (int row = 0; row < h; row++) {
        int col = 0;
        while (col < w) {
            const viz_cell *c = viz_frame_cell(f, row, col);
            int role = c->role, start = col;
            size_t n = 0;
            while (col < w) {
                const viz_cell *x = viz_frame_cell(f, row, col);
                if (x->role != role) break;
                /* "" for a wide glyph's right half */
                const char *g = ascii_only ? text_ascii(x->ch) : x->ch;
                size_t len = strlen(g);
                memcpy(buf + n, g, len);
                n += len;
                col++;
            }
            buf[n] = '\0';
            attrset((attr_t)theme_attr((viz_role)role));
            /* the bottom-right cell makes addstr return ERR (no scroll):
             * harmless, the glyph is drawn */
            mvaddstr(row, start, buf);
        }
    }
    attrset(A_NORMAL);
    free(buf);
    wnoutrefresh(stdscr);
    doupdate();
}
