/* curses_wrap: includes curses.h for the dashboard. ncurses declares a
 * debugging function named `trace`, which collides with lab/sim/trace.h's
 * type; it is renamed here and never used. */
#ifndef QL_VIZ_CURSES_WRAP_H
#define QL_VIZ_CURSES_WRAP_H

#define trace viz_curses_trace_unused
#include <curses.h>
#undef trace

#endif
