/* view: what the learner has chosen to look at, apart from the world:
 * the selected node, which panel has the focus, the tree cursor and its
 * folds, the help overlay, the command line being typed and the last
 * status message. Keys change it; the layout reads it. */
#ifndef QL_VIZ_VIEW_H
#define QL_VIZ_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include "msgs.h"
#include "theme.h"

#define VIZ_CMD_MAX 256         /* bytes of a command line */
#define VIZ_FOLD_DEPTH 3        /* znodes this deep start folded */

typedef enum viz_focus {
    VF_NODES,                   /* arrows move between nodes */
    VF_TREE,                    /* arrows move in the znode tree */
} viz_focus;

typedef enum viz_msgs_mode {
    VM_OFF,                     /* the event log has its panel */
    VM_PANEL,                   /* the message panel above the event log */
    VM_FULL,                    /* the message view takes the screen */
} viz_msgs_mode;

typedef struct viz_view {
    int w, h;                   /* terminal size */
    int sel;                    /* selected node: index into the snapshot's nodes */
    viz_focus focus;            /* which panel the arrows move in */
    int tree_cursor;            /* row of the visible tree */
    int tree_top;               /* first tree row shown */
    int grid_top;               /* first placement row shown */
    bool help;                  /* the help overlay is up */
    int help_page;              /* and its page shown (a short screen has several) */
    bool reader;                /* the step reader is up (l in a lesson) */
    int reader_top;             /* and its rows scrolled away above */
    bool cmd_active;            /* typing a ':' command */
    char cmd[VIZ_CMD_MAX];      /* what has been typed, UTF-8 */
    char status[256];           /* last message, shown under the panels */
    char typed[16];             /* a number typed to answer a lesson's question */
    viz_role status_role;       /* VR_BAD for errors */
    /* the script error panel: a lesson script or a :lua statement failed */
    bool error_open;            /* the panel is up (Esc closes it) */
    bool error_lesson;          /* from a lesson (b goes back), not :lua */
    char error[512];            /* "file:line: message", whole */
    viz_msgs_mode msgs;         /* where the message view is (m cycles) */
    viz_msg_filter msgf;        /* which messages it shows */
    uint64_t msgs_anchor;       /* scrolled back: the id of the newest row
                                   shown (PgUp); 0 follows the newest */
    char znode[256];            /* the znode whose value and stat are open
                                   (Enter on a leaf, v on any), "" none */
    int znode_top;              /* first line of its value shown */
    char **toggled;             /* znode paths whose fold differs from the default */
    int ntoggled, toggled_cap;
    bool compare;               /* two worlds side by side (lab.compare):
                                   the one-world layout's places do not apply */
    bool cmp_right;             /* ... on a screen too small for both: the
                                   one shown is the right world (w flips) */
} viz_view;

void viz_view_init(viz_view *v, int w, int h);
void viz_view_free(viz_view *v);        /* frees the fold list */
/* Whether a znode's children are shown. */
bool viz_view_open(const viz_view *v, const char *path, int depth);
void viz_view_toggle(viz_view *v, const char *path);
void viz_view_status(viz_view *v, viz_role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Opens the error panel with msg ("file:line: message"); lesson says
 * whether a lesson script failed (b replays it) or a :lua statement. */
void viz_view_error(viz_view *v, bool lesson, const char *msg);

#endif
