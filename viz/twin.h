/* twin: a learner's command (a key or a ':' command) carried out on two
 * worlds compared side by side (--compare, lab.compare). Each world takes
 * it with its own names: a node only one world has (zk2 beside ctl2) is
 * hit there alone, and the other world's log says why nothing happened
 * in it; :topic and :produce go to both through each world's own ops. */
#ifndef QL_VIZ_TWIN_H
#define QL_VIZ_TWIN_H

#include <stdbool.h>
#include <stddef.h>
#include "cmd.h"
#include "ops.h"

/* One world of the two: its fault target, its ops and its name. */
typedef struct viz_twin_side {
    cluster *world;
    viz_ops *ops;
    const char *label;          /* "ZooKeeper mode": as its half's title */
} viz_twin_side;

/* What came of it. msg: the status line (both worlds' outcomes, or one
 * when they are alike); note[i]: a line for world i's event log when the
 * command did nothing there because it lacks a node named ("" none). */
typedef struct viz_twin_result {
    bool ok;                    /* it did something in at least one world */
    char msg[720];
    char note[2][400];
} viz_twin_result;

/* Carries out cmd (viz_cmd_is_world) on both worlds, each through its
 * ops (viz_ops_act). The worlds stay twins (cluster_twin) afterwards, but
 * are parted while it runs, so each world is hit once, by its own call.
 * lang: the messages' language (NULL English); cols: the status line's
 * width (a node neither world has is said in a form that fits). Never
 * fails hard: the reasons are in r. */
void viz_twin_act(const viz_twin_side side[2], const viz_cmd *cmd, const char *lang,
                  int cols, viz_twin_result *r);

#endif
