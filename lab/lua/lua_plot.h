/* lua_plot: lab.failover_plot, the controller failover time against the
 * partition count in both modes as a text chart a lesson says (a step's
 * text on screen, printed headless). Two sources, told apart on the
 * chart: the bench's figures (bench_failover, `make bench`, recorded in
 * a data file beside the lessons) and what the lesson measured now. */
#ifndef QL_LUA_PLOT_H
#define QL_LUA_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#define FO_POINTS_MAX 8
#define FO_COLS 76              /* the widest line: an 80-column terminal's
                                   step reader (l) shows the chart whole */

/* One partition count: each mode's seconds from the crash to the first
 * leader change, < 0 when not known; live: measured now, not the bench. */
typedef struct fo_point {
    int partitions;
    double zk_s, kraft_s;
    bool live;
} fo_point;

/* Renders the chart into out (lang "en" or "ko"): a title, the bars (per
 * partition count the ZooKeeper bar, then KRaft's, each topped by its
 * seconds), the log-scale axis with the counts on it, and what each kind
 * of bar is. No line starts with a space (the lesson panel trims them);
 * none is wider than FO_COLS columns (the legend takes as many lines).
 * Returns the length, or -1 when n is 0 or out is too small. */
int fo_chart(const fo_point *p, int n, const char *lang, char *out, size_t cap);

/* Reads the bench's figures: lines "partitions<TAB>zk_s<TAB>kraft_s",
 * '#' comments. Returns how many (at most cap), or -1 with why in err. */
int fo_read_bench(const char *path, fo_point *out, int cap, char *err, size_t errcap);

#endif
