/* frame: one screenful as a grid of cells, each a glyph and a role. The
 * layout writes frames without touching the terminal, tests read them
 * back as text, and draw.c copies them to curses. A double-width glyph
 * fills its cell and marks the next one as its right half. */
#ifndef QL_VIZ_FRAME_H
#define QL_VIZ_FRAME_H

#include <stddef.h>
#include "theme.h"

typedef struct viz_cell {
    char ch[5];         /* UTF-8 glyph, NUL-terminated; "" for a right half */
    unsigned char role; /* viz_role */
} viz_cell;

typedef struct viz_frame viz_frame;

viz_frame *viz_frame_new(int w, int h);
void viz_frame_free(viz_frame *f);          /* NULL is a no-op */
/* Resizes (contents cleared). */
void viz_frame_resize(viz_frame *f, int w, int h);
void viz_frame_clear(viz_frame *f);         /* spaces, VR_NORMAL */
int viz_frame_w(const viz_frame *f);
int viz_frame_h(const viz_frame *f);
const viz_cell *viz_frame_cell(const viz_frame *f, int row, int col);

/* Writes text at (row, col), clipped to columns [col, end) and the frame.
 * A wide glyph that would straddle `end` becomes a space. Returns the
 * column after the last one written. Out-of-frame rows are ignored. */
int viz_frame_put(viz_frame *f, int row, int col, int end, viz_role role,
                  const char *text);
/* printf-style put. */
int viz_frame_putf(viz_frame *f, int row, int col, int end, viz_role role,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Fills columns [col, end) of a row with spaces in role. */
void viz_frame_fill(viz_frame *f, int row, int col, int end, viz_role role);
/* The row as plain UTF-8 (trailing spaces kept), for tests. */
void viz_frame_row_text(const viz_frame *f, int row, char *out, size_t cap);
/* True when some row contains needle. */
int viz_frame_find(const viz_frame *f, const char *needle, int *row_out);

#endif
