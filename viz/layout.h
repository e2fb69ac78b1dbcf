/* layout: a snapshot and a view in, a frame of cells out. Pure: it reads
 * nothing else and touches no terminal, so what each line of the screen
 * says for a given world is what the unit tests check. The screen is a
 * header line, panels (ensemble, znode tree, events; the lesson panel
 * when a lesson runs; the placement grid and clients once brokers exist),
 * a status or command line and a footer of keys. */
#ifndef QL_VIZ_LAYOUT_H
#define QL_VIZ_LAYOUT_H

#include "frame.h"
#include "snap.h"
#include "view.h"

#define VIZ_MIN_W 80            /* below this the screen says it is too small */
#define VIZ_MIN_H 24

typedef struct viz_rect {
    int x, y, w, h;             /* top-left corner and size, in cells */
} viz_rect;

/* Where each panel goes for a screen of v->w x v->h. */
typedef struct viz_places {
    viz_rect header, ensemble, clients, plots, tree, grid, timers, events,
             lesson, msgs, status, footer;
    bool too_small;
} viz_places;

void viz_layout_places(const viz_snap *s, const viz_view *v, viz_places *p);
/* Resizes f to the view and draws everything into it. */
void viz_layout(const viz_snap *s, const viz_view *v, viz_frame *f);
/* The header, status line, footer and overlays (help, error panel) of
 * s, over whatever panels are drawn. */
void viz_layout_chrome(const viz_snap *s, const viz_view *v, viz_frame *f);
/* How many pages the help overlay of s's world takes on a w x h screen
 * (1 when it fits; Space turns them). */
int viz_layout_help_pages(const viz_snap *s, int w, int h);

/* Two worlds side by side (compare.c, lab.compare): the lesson panel
 * across the top, then a half per world with its name, ensemble,
 * placement grid, countdowns and event log; l's header and keys. Below
 * VIZ_CMP_MIN_W x VIZ_CMP_MIN_H one world alone, the left one or with
 * v->cmp_right the right one (under l's header and lesson panel), and a
 * line that says which and that w shows the other. */
#define VIZ_CMP_MIN_W 100
#define VIZ_CMP_MIN_H 30
void viz_layout_compare(const viz_snap *l, const viz_snap *r, const char *llabel,
                        const char *rlabel, const viz_view *v, viz_frame *f);
/* Adds to l's selectable nodes those only r has (after l's servers), so
 * keys reach a node of the right world alone (ctl2 beside zk2); they
 * carry node -1 in l. */
void viz_compare_nodes(viz_snap *l, const viz_snap *r);
/* Partition rows each half's grid shows (for viz_snap_grid). */
int viz_compare_grid_rows(const viz_snap *l, const viz_snap *r, const viz_view *v);
/* After viz_snap_take of both worlds: r's nodes joined to l's
 * (viz_compare_nodes), each grid's visible rows, each history sampled
 * (lh for l, rh for r: l->hist and r->hist then point at them) and v's
 * scroll kept in bounds. Below VIZ_CMP_MIN_W x VIZ_CMP_MIN_H one world
 * is shown, the left or, with v->cmp_right (w), the right. */
struct viz_hist;
void viz_compare_take(viz_snap *l, viz_snap *r, cluster *lw, cluster *rw, struct viz_hist *lh,
                      struct viz_hist *rh, viz_view *v);
/* Keeps the tree cursor inside the tree and on screen (call after a new
 * snapshot or a key). */
void viz_layout_fix_scroll(const viz_snap *s, viz_view *v);

/* Panels (panels.c), each drawn into its rectangle. */
/* KRaft mode (quorum.c): the controller quorum, and the metadata log's
 * latest records, where the ensemble and the znode tree stand. */
void viz_panel_quorum(const viz_snap *s, const viz_view *v, viz_frame *f, viz_rect r);
/* The rows the ensemble (KRaft: quorum) panel wants: its title, a row per
 * server, the quorum line, and in KRaft mode the legend of end, hw, lag. */
int viz_ensemble_rows(const viz_snap *s);
void viz_panel_mlog(const viz_snap *s, viz_frame *f, viz_rect r);
void viz_panel_ensemble(const viz_snap *s, const viz_view *v, viz_frame *f,
                        viz_rect r);
void viz_panel_tree(const viz_snap *s, const viz_view *v, viz_frame *f,
                    viz_rect r);
void viz_panel_events(const viz_snap *s, viz_frame *f, viz_rect r);
void viz_panel_lesson(const viz_snap *s, viz_frame *f, viz_rect r);
/* The placement grid (grid.c); only drawn when the world has brokers. */
void viz_panel_grid(const viz_snap *s, const viz_view *v, viz_frame *f,
                    viz_rect r);
/* Broker columns that fit in a grid panel this wide. */
int viz_grid_columns(int width);
/* Partition rows the grid panel shows (for snapshots of visible rows). */
int viz_layout_grid_rows(const viz_snap *s, const viz_view *v);
/* The quorum line alone ("quorum 2 of 3, serving", "NO QUORUM: ...",
 * "leader zk2 cut off from a quorum: ..."). */
void viz_quorum_line(const viz_snap *s, char *out, size_t cap, viz_role *role);
/* The clients and plots panels (plots.c); drawn once brokers exist. */
void viz_panel_clients(const viz_snap *s, viz_frame *f, viz_rect r);
/* Rows the first max_clients clients take: one each, two for one that
 * believes a wrong leader somewhere. */
int viz_clients_rows(const viz_snap *s, int max_clients);
void viz_panel_plots(const viz_snap *s, viz_frame *f, viz_rect r);
/* The selectable node drawn at screen cell (row, col), as an index into
 * s->nodes; -1 when that cell shows none (mouse clicks). */
int viz_layout_hit(const viz_snap *s, const viz_view *v, int row, int col);
/* The first broker column of a grid panel this wide when `sel` must be
 * visible (the columns scroll sideways with the selection). */
int viz_grid_first_col(const viz_snap *s, const viz_view *v, int width);
/* The broker (index into s->brokers) whose column covers screen column
 * col of grid panel r, -1 for none. */
int viz_grid_broker_at(const viz_snap *s, const viz_view *v, viz_rect r, int col);
/* Word-wraps p (at spaces, mid-word for a word wider than the room,
 * at each newline) into rows [row, last) from column x to end; returns
 * the row after the last one written. With f NULL it only counts. */
int viz_wrap(viz_frame *f, int row, int last, int x, int end, viz_role role,
             const char *p);
/* viz_wrap that says what it left out: a text with more than fits ends
 * its last row in "…" and sets *cut. */
int viz_wrap_cut(viz_frame *f, int row, int last, int x, int end, viz_role role,
                 const char *p, bool *cut);
/* The step reader (reader.c, key l in a lesson): the step's whole text,
 * its lights and the learner's turn, over the screen, scrolled by
 * v->reader_top rows; viz_reader_rows: how many rows it all takes. */
void viz_reader_draw(const viz_snap *s, const viz_view *v, viz_frame *f);
/* The learner's turn as the lesson panel shows it: the task and its
 * hint (or, under "not yet:", why what the learner did does not count),
 * or the question with its choices (on one line where they fit cols, else
 * one a line) or the number typed so far. */
void viz_lesson_turn_text(const viz_snap *s, int cols, char *out, size_t cap);
int viz_reader_rows(const viz_snap *s, int w, int h);
/* The script error panel (errpanel.c), over the bottom of the screen
 * while v->error_open: the whole message wrapped, that the world is left
 * as it was, and the keys that act now. */
void viz_panel_error(const viz_view *v, const char *lang, viz_frame *f);
/* The message view (msgview.c): a sequence diagram of s->msgs as
 * v->msgf filters it, as a panel or (v->msgs == VM_FULL) the screen. */
void viz_panel_msgs(const viz_snap *s, const viz_view *v, viz_frame *f,
                    viz_rect r);
/* Scrolls the message view drawn in r through the past messages it
 * keeps: a page older (PgUp) or newer (PgDn), to the oldest (Home) or
 * back to following the newest (End, or a page newer reaching them);
 * sets v->msgs_anchor. */
typedef enum viz_msgs_scroll_to {
    VMV_OLDER, VMV_NEWER, VMV_OLDEST, VMV_NEWEST,
} viz_msgs_scroll_to;
void viz_msgs_scroll(const viz_snap *s, viz_view *v, viz_rect r, viz_msgs_scroll_to to);
/* The countdowns of the world's timers (timers.c): one line each, the
 * soonest first, under the grid; rows they want; one line's words. */
void viz_panel_timers(const viz_snap *s, viz_frame *f, viz_rect r);
int viz_timers_rows(const viz_snap *s);
/* One countdown's words, the fullest form that fits width columns. */
void viz_timer_text(const viz_snap *s, const cluster_timer *t, int width, char *out,
                    size_t cap);
/* The opened znode (znode.c) over the panels while v->znode is set: its
 * stat as zkCli's stat names it and its whole value, wrapped. */
void viz_panel_znode(const viz_snap *s, const viz_view *v, viz_frame *f);
/* Lines the opened znode's value takes wrapped (to bound its scrolling). */
int viz_znode_lines(const viz_snap *s, const viz_view *v);
/* Panel title bar across r's first row. */
void viz_panel_title(viz_frame *f, viz_rect r, const char *title);
/* Puts the first of n forms (fullest first, English, each through
 * viz_tr) that fits in columns [col, end), else the last one clipped:
 * a hint shortens at a word, never mid-word. Returns the column after. */
int viz_panel_put_fit(viz_frame *f, int row, int col, int end, viz_role role,
                      const char *lang, const char *const *forms, int n);

#endif
