/* theme: the dashboard's colours, one table of named roles. Layout code
 * speaks only in roles; this module turns them into curses attributes,
 * in colour when the terminal has it and NO_COLOR is unset, else in a
 * monochrome fallback (bold, reverse, underline, dim) that still tells
 * the roles apart. */
#ifndef QL_VIZ_THEME_H
#define QL_VIZ_THEME_H

#include <stdbool.h>

typedef enum viz_role {
    VR_NORMAL,
    VR_DIM,         /* secondary text */
    VR_TITLE,       /* panel title bars */
    VR_HEADER,      /* the top line */
    VR_SELECT,      /* the selected node or tree row */
    VR_LEADER,      /* LEADING, partition leader */
    VR_FOLLOWER,    /* FOLLOWING, in-sync follower */
    VR_LOOKING,     /* LOOKING, electing */
    VR_DOWN,        /* DOWN, offline */
    VR_PAUSED,      /* frozen process */
    VR_ISOLATED,    /* cut off by the network */
    VR_GOOD,        /* quorum, serving */
    VR_BAD,         /* no quorum, errors, offline partition */
    VR_WARN,        /* under-replicated, out of sync */
    VR_KEY,         /* key names in the footer and help */
    VR_CMD,         /* the command line */
    VR_COUNT
} viz_role;

/* Decides colour or monochrome (call after initscr). NO_COLOR set, or a
 * terminal without colours, gives monochrome. */
void theme_init(void);
/* The curses attribute for a role (an attr_t, as int to keep curses out
 * of this header). */
int theme_attr(viz_role r);

#endif
