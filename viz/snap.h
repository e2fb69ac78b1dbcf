/* snap: everything one frame shows, copied out of the world. The layout
 * reads only this, so tests build a snapshot by hand and check what the
 * screen would say; viz_snap_take fills one from a live cluster through
 * its read-only calls (cluster_ensemble, a walk of a server's tree). */
#ifndef QL_VIZ_SNAP_H
#define QL_VIZ_SNAP_H

#include <stdbool.h>
#include <stdint.h>
#include "cluster.h"
#include "events.h"
#include "view.h"

#define VIZ_NODES_MAX 64        /* selectable nodes shown */
#define VIZ_TREE_MAX 4096       /* visible tree rows copied at most */

typedef struct viz_node {
    int node;                   /* sim node index */
    char name[16];              /* "zk1", "101" */
    node_kind kind;             /* NODE_ZK or NODE_BROKER */
    node_status status;         /* up, down, paused */
    bool isolated;              /* some link of it is cut */
} viz_node;

typedef struct viz_tree_row {
    char path[ZPATH_MAX];       /* full path */
    int depth;                  /* 0 for "/" */
    int nchildren;              /* children it has (shown or not) */
    bool open;                  /* children shown */
    int64_t eph_owner;          /* session of an ephemeral znode, else 0 */
    char data[64];              /* start of the data, printable */
} viz_tree_row;

typedef struct viz_snap {
    /* header */
    const char *mode;           /* "sandbox", "lesson" */
    char title[96];             /* lesson title, may be empty */
    uint64_t now_us;            /* simulated time */
    uint64_t seed;
    double speed;               /* simulated seconds per wall second */
    bool running;               /* false while paused by the learner */
    /* ensemble */
    ensemble_info ens;
    bool zk_isolated[CLUSTER_ZK_MAX];
    /* selectable nodes, ensemble first */
    viz_node nodes[VIZ_NODES_MAX];
    int nnodes;
    /* znode tree of one server, only the rows its folds leave visible */
    int tree_sid;               /* whose tree, 0 for none up */
    viz_tree_row *tree;         /* owned, grown as needed */
    int ntree, tree_cap;
    bool tree_cut;              /* more rows than VIZ_TREE_MAX */
    /* event log, borrowed (may be NULL) */
    const viz_events *events;
    /* lesson panel: empty outside lessons */
    char lesson[512];
} viz_snap;

void viz_snap_init(viz_snap *s);
void viz_snap_free(viz_snap *s);        /* frees the tree rows */
/* Fills s from the world c; tree folds come from v. Header fields other
 * than time and seed are the caller's. */
void viz_snap_take(viz_snap *s, cluster *c, const viz_view *v);
/* Adds a tree row (for viz_snap_take and for tests). */
viz_tree_row *viz_snap_tree_add(viz_snap *s, const char *path, int depth);
/* Index of the node named name, -1 when none. */
int viz_snap_find(const viz_snap *s, const char *name);

#endif
