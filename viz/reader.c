/* reader: the step reader, key l in a lesson. The lesson panel holds what
 * fits and ends the rest in "…"; here the step's whole text, its lights
 * and the learner's turn are over the screen, wrapped, never cut, and
 * scrolled with the arrows when even that is too short. */
#include "layout.h"
#include "text.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

typedef struct pen {
    viz_frame *f;               /* NULL: count only */
    int first, last;            /* the screen rows in view */
    int top;                    /* reader rows scrolled away above */
    int end;                    /* the column after the text */
    int n;                      /* reader rows so far */
} pen;

/* The reader's box on a w x h screen: between the header and the status
 * line. */
static viz_rect box(int w, int h)
{
    int bw = 100 < w ? 100 : w;
    return (viz_rect){ (w - bw) / 2, 1, bw, h - 3 };
}

/* One piece of text wrapped from column x, its mark (a light) before its
 * first row; only rows in view are drawn. */
static void piece(pen *p, int x, viz_role role, const char *text, const char *mark,
                  viz_role mrole)
{
    char line[512];
    const char *t = text;
    int start = p->n;
    while (text_next_line(&t, p->end - x, line, sizeof line)) {
        int row = p->first + p->n - p->top;
        if (p->f && row >= p->first && row < p->last) {
            viz_frame_put(p->f, row, x, p->end, role, line);
            if (mark && p->n == start) viz_frame_put(p->f, row, x - 2, x, mrole, mark);
        }
        p->n++;
    }
    if (p->n == start) p->n++;      /* an empty piece: a blank row */
}

/* Lays the reader out with p: the step's text, its lights, the turn. */
static void lay(const viz_snap *s, pen *p, int x)
{
    piece(p, x, VR_NORMAL, s->lesson, NULL, VR_NORMAL);
    if (s->nchecks) piece(p, x, VR_NORMAL, "", NULL, VR_NORMAL);
    for (int k = 0; k < s->nchecks; k++) {
        bool note = s->check_note[k], ok = s->check_ok[k];
        piece(p, x + 2, ok || note ? VR_NORMAL : VR_BAD, s->checks[k],
              note ? "·" : ok ? "●" : "✗", note ? VR_DIM : ok ? VR_GOOD : VR_BAD);
    }
    char turn[1200];
    viz_lesson_turn_text(s, p->end - x, turn, sizeof turn);
    if (turn[0]) {
        piece(p, x, VR_NORMAL, "", NULL, VR_NORMAL);
        piece(p, x, VR_KEY, turn, NULL, VR_NORMAL);
    }
}

int viz_reader_rows(const viz_snap *s, int w, int h)
{
    viz_rect b = box(w, h);
    pen p = { NULL, 0, 0, 0, b.x + b.w - 1, 0 };
    lay(s, &p, b.x + 2);
    return p.n;
}

void viz_reader_draw(const viz_snap *s, const viz_view *v, viz_frame *f)
{
    viz_rect b = box(v->w, v->h);
    if (b.h < 2 || b.w < 10) return;
    for (int r = 0; r < b.h; r++) viz_frame_fill(f, b.y + r, b.x, b.x + b.w, VR_NORMAL);
    int rows = viz_reader_rows(s, v->w, v->h), room = b.h - 1;
    int top = v->reader_top;
    if (top > rows - room) top = rows - room;
    if (top < 0) top = 0;
    char title[200], step[48];
    snprintf(step, sizeof step, viz_tr(s->lang, "step %d"), s->step);
    if (rows > room)
        snprintf(title, sizeof title, viz_tr(s->lang, "%s, whole  (arrows, PgUp PgDn scroll; "
                                                     "any other key closes)"), step);
    else
        snprintf(title, sizeof title, viz_tr(s->lang, "%s, whole  (any key closes)"), step);
    viz_panel_title(f, (viz_rect){ b.x, b.y, b.w, 1 }, title);
    pen p = { f, b.y + 1, b.y + b.h, top, b.x + b.w - 1, 0 };
    lay(s, &p, b.x + 2);
}
