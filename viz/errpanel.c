/* errpanel: the script error panel. A lesson script or a :lua statement
 * that fails (a syntax or runtime error, a wrong argument, an unknown
 * node, the instruction or memory limit, an absurd size) leaves the world
 * as it was and the dashboard running; the panel says so, with the whole
 * "file:line: message" wrapped to the screen, and which keys act now. It
 * spans the screen's width above the status line, so the ensemble and the
 * lesson's tally stay in view above it. */
#include "layout.h"
#include "text.h"
#include "words.h"

#include <stdio.h>

#define MARGIN 2                /* columns left and right of the text */

/* The lines under the message: what happened to the world, the keys. */
static const char *const lesson_notes[] = {
    "The world is left as it was and keeps running; the lesson script stopped here.",
    "Esc closes this panel and keeps playing with the world as it is (k, r, : still act).",
    "b goes back a step (replays from the seed)   q quits",
};
static const char *const lua_notes[] = {
    "The world is left as it was and keeps running.",
    "Esc closes this panel and keeps playing with the world as it is (k, r, : still act).",
    "q quits",
};
#define NOTES 3

void viz_panel_error(const viz_view *v, const char *lang, viz_frame *f)
{
    int w = v->w, x = MARGIN, end = w - MARGIN;
    const char *const *notes = v->error_lesson ? lesson_notes : lua_notes;
    /* rows: title, message, a blank, the notes, a blank; the panel may
     * cover everything between the header and the status line */
    int room = v->h - 3;
    int note_rows = 0;
    for (int i = 0; i < NOTES; i++)
        note_rows += viz_wrap(NULL, 0, room, x, end, VR_NORMAL, viz_tr(lang, notes[i]));
    int msg_rows = viz_wrap(NULL, 0, room, x, end, VR_BAD, v->error);
    int max_msg = room - 3 - note_rows;
    if (max_msg < 1) max_msg = 1;
    if (msg_rows > max_msg) msg_rows = max_msg;
    int h = 1 + msg_rows + 1 + note_rows + 1;
    if (h > room) h = room;
    int y = v->h - 2 - h;
    for (int r = 0; r < h; r++) viz_frame_fill(f, y + r, 0, w, VR_NORMAL);
    viz_rect title = { 0, y, w, 1 };
    char t[120];
    snprintf(t, sizeof t, "%s  (%s)", viz_tr(lang, "SCRIPT ERROR"),
             viz_tr(lang, "Esc closes"));
    viz_panel_title(f, title, t);
    int last = y + h;
    int row = viz_wrap(f, y + 1, y + 1 + msg_rows, x, end, VR_BAD, v->error);
    row++;
    for (int i = 0; i < NOTES && row < last; i++)
        row = viz_wrap(f, row, last, x, end, i == NOTES - 1 ? VR_KEY : VR_NORMAL,
                       viz_tr(lang, notes[i]));
}
