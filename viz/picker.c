/* picker: what `quorumlab` alone opens: the sandbox and the lessons of
 * the catalog (viz_lessons_find), each with its title. */
#include "app_int.h"
#include "draw.h"
#include "text.h"
#include "words.h"

#include "curses_wrap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PICK_MAX 32

typedef viz_lesson entry;      /* path "" for the sandbox */

/* A title that does not fit ends in "…", so it reads as cut. */
static void title_put(viz_frame *f, int row, int col, int end, viz_role role,
                      const char *title)
{
    if (col + text_width(title) <= end) {
        viz_frame_put(f, row, col, end, role, title);
        return;
    }
    char cut[200];
    text_fit(title, end - col - 1, cut, sizeof cut);
    col = viz_frame_put(f, row, col, end, role, cut);
    viz_frame_put(f, row, col, end, role, "…");
}

/* The sandbox's entry as the options make it: its mode, servers or
 * controllers, brokers, and the topic it makes once it has brokers. */
static void sandbox_label(const app *a, char *out, size_t cap)
{
    const viz_opts *o = &a->opts;
    if (o->kraft && o->brokers > 0)
        snprintf(out, cap, viz_tr(a->lang, "Sandbox: free play, KRaft (3 controllers, %d brokers, "
                                  "topic orders)"), o->brokers);
    else if (o->kraft)
        snprintf(out, cap, "%s", viz_tr(a->lang, "Sandbox: free play, KRaft (3 controllers, "
                                        "no brokers)"));
    else if (o->brokers > 0)
        snprintf(out, cap, viz_tr(a->lang, "Sandbox: free play (%d servers, %d brokers, "
                                  "topic orders)"), o->zookeepers, o->brokers);
    else
        snprintf(out, cap, viz_tr(a->lang, "Sandbox: free play (%d servers, no brokers)"),
                 o->zookeepers);
}

static void draw(app *a, const entry *e, int n, int sel)
{
    viz_frame *f = a->frame;
    viz_frame_resize(f, a->view.w, a->view.h);
    viz_rect r = { 0, 0, a->view.w, a->view.h };
    viz_panel_title(f, r, viz_tr(a->lang, "PICK A LESSON  (arrows, enter; q quits)"));
    int namew = 0;          /* titles line up after the longest name */
    for (int i = 0; i < n; i++)
        if (text_width(e[i].name) > namew) namew = text_width(e[i].name);
    for (int i = 0; i < n && i + 2 < a->view.h; i++) {
        viz_role role = i == sel ? VR_SELECT : VR_NORMAL;
        int end = a->view.w - 1;
        viz_frame_fill(f, i + 2, 1, end, role);
        int col = viz_frame_put(f, i + 2, 2, end, role, i == sel ? "> " : "  ");
        if (!e[i].path[0]) {
            char label[160];
            sandbox_label(a, label, sizeof label);
            title_put(f, i + 2, col, end, role, label);
            continue;
        }
        viz_frame_put(f, i + 2, col, end, role, e[i].name);
        title_put(f, i + 2, col + namew + 2, end, role, e[i].title);
    }
    /* a cut title of the chosen lesson shows whole under the list */
    int tx = 4 + namew + 2, below = n + 3;
    if (sel > 0 && tx + text_width(e[sel].title) > a->view.w - 1 && below < a->view.h)
        viz_frame_put(f, below, 4, a->view.w - 1, VR_DIM, e[sel].title);
    viz_draw(f);
}

const char *picker_run(app *a, const char *argv0)
{
    static entry e[PICK_MAX];
    e[0].path[0] = '\0';
    int n = 1 + viz_lessons_find(argv0, a->lang, e + 1, PICK_MAX - 1);
    int sel = n > 1 ? 1 : 0;    /* the first lesson */
    for (;;) {
        draw(a, e, n, sel);
        wint_t ch;
        timeout(-1);
        int r = get_wch(&ch);
        if (r == ERR && app_must_leave()) return NULL;  /* signal, or no tty */
        if (r == KEY_CODE_YES) {
            if (ch == KEY_UP) sel = (sel + n - 1) % n;
            else if (ch == KEY_DOWN) sel = (sel + 1) % n;
            else if (ch == KEY_ENTER) return e[sel].path;
            else if (ch == KEY_RESIZE) getmaxyx(stdscr, a->view.h, a->view.w);
        } else if (r == OK) {
            if (ch == 'q' || ch == 'Q' || ch == 27 || ch == 3) return NULL;  /* 3: C-c */
            if (ch == '\n' || ch == '\r' || ch == ' ') return e[sel].path;
            if (ch == 'k') sel = (sel + n - 1) % n;
            if (ch == 'j' || ch == '\t') sel = (sel + 1) % n;
            if (ch == 's') return "";
            if (ch >= L'0' && ch <= L'9' && (int)(ch - L'0') < n) sel = (int)(ch - L'0');
        }
    }
}
