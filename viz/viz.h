/* viz: the ncurses dashboard, as the program sees it: one entry point.
 * app/main.c calls it (when it is linked in) for every run that is not
 * --headless, with the program's own arguments. */
#ifndef QL_VIZ_H
#define QL_VIZ_H

/* Runs the dashboard; returns the process exit status. */
int viz_main(int argc, char **argv);

#endif
