/* draw: copies a frame to the curses screen; the only file that draws.
 * Each run of cells with one role is one addstr, and curses sends only
 * what differs from the last frame. */
#ifndef QL_VIZ_DRAW_H
#define QL_VIZ_DRAW_H

#include <stdbool.h>
#include "frame.h"

/* Draws f into stdscr and refreshes. */
void viz_draw(const viz_frame *f);
/* With on, every glyph goes out as its ASCII stand-in (text_ascii): for a
 * locale that is not UTF-8, where curses would print other bytes as
 * ~-escapes. The frame and its widths stay as they are. */
void viz_draw_ascii(bool on);

#endif
