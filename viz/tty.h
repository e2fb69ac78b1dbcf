/* tty: what the learner's terminal and locale can do, asked before curses
 * starts, so a terminal the dashboard cannot drive gets one clear line
 * instead of a blank or garbled screen. */
#ifndef QL_VIZ_TTY_H
#define QL_VIZ_TTY_H

#include <stdbool.h>
#include <stddef.h>

/* True when $TERM names a terminal whose description lets curses place
 * the cursor and clear the screen. Otherwise false with a one-line
 * reason in why (unset or unknown TERM, TERM=dumb, a printing terminal). */
bool viz_tty_usable(char *why, size_t cap);
/* setlocale(LC_ALL, "") for the dashboard. When the locale the
 * environment names is not installed (LANG=ko_KR.UTF-8 in a bare
 * container) but asks for UTF-8, the character type falls back to
 * C.UTF-8, so Korean still draws instead of the whole screen going
 * ASCII. */
void viz_tty_locale(void);
/* True when the current locale (after viz_tty_locale) encodes
 * text as UTF-8. Without it the dashboard draws ASCII only. */
bool viz_tty_utf8(void);
/* True when the terminal is gone (its pty closed: a killed tmux, a
 * closed window). Input then fails at once, forever; the dashboard must
 * leave instead of spinning. */
bool viz_tty_gone(void);

#endif
