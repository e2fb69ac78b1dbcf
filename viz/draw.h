/* draw: copies a frame to the curses screen; the only file that draws.
 * Each run of cells with one role is one addstr, and curses sends only
 * what differs from the last frame. */
#ifndef QL_VIZ_DRAW_H
#define QL_VIZ_DRAW_H

#include "frame.h"

/* Draws f into stdscr and refreshes. */
void viz_draw(const viz_frame *f);

#endif
