/* cmd: one thing the learner asked for, from a key or from the ':'
 * command line. Keys and the command line both produce these, and one
 * place (act.c for the world, app.c for the pacing) carries them out, so
 * `k` and `:kill zk3` cannot drift apart. */
#ifndef QL_VIZ_CMD_H
#define QL_VIZ_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include "cluster.h"
#include "view.h"

#define VIZ_CMD_NAMES 32        /* nodes named in one command at most */

typedef enum viz_cmd_kind {
    VC_NONE,
    VC_QUIT,
    VC_HELP,
    VC_RUN_TOGGLE,              /* pause or resume the simulation */
    VC_RUN,                     /* resume */
    VC_HOLD,                    /* pause the simulation */
    VC_STEP,                    /* one event */
    VC_FASTER,
    VC_SLOWER,
    VC_SPEED,                   /* set speed */
    VC_PACE_TOGGLE,             /* z: the dashboard's own slow motion on/off */
    VC_KILL,                    /* crash names[0] */
    VC_STOP,                    /* stop names[0] cleanly */
    VC_RESTART,
    VC_PAUSE,                   /* freeze the process */
    VC_RESUME,
    VC_PAUSE_TOGGLE,            /* `p` on a node: pause, or resume if paused */
    VC_ISOLATE,
    VC_HEAL,
    VC_SPLIT,                   /* names by side[] 0 / 1 */
    VC_LUA,                     /* text is a Lua statement */
    VC_TOPIC,                   /* :topic name partitions rf */
    VC_PRODUCE,                 /* :produce topic count */
    VC_DELETE_TOPIC,            /* :delete-topic name: text */
    VC_ADD_BROKER,              /* :add-broker [id [rack]]: n1 id (0: next), text rack */
    VC_REASSIGN,                /* :reassign topic partition id,id,...
                                   (the ids in names[]) */
    VC_NEXT,                    /* n: next lesson step */
    VC_BACK,                    /* b: back a lesson step (replay from the seed) */
    VC_ANSWER,                  /* a lesson's question answered (in speed) */
} viz_cmd_kind;

typedef struct viz_cmd {
    viz_cmd_kind kind;
    char names[VIZ_CMD_NAMES][16];  /* node names, as typed */
    int side[VIZ_CMD_NAMES];        /* VC_SPLIT: 0 left of '/', 1 right */
    int nnames;
    double speed;                   /* VC_SPEED; VC_ANSWER: the answer */
    long n1, n2;                    /* VC_TOPIC partitions, rf; VC_PRODUCE
                                       count; VC_REASSIGN partition */
    char text[VIZ_CMD_MAX];         /* VC_LUA source, VC_TOPIC/PRODUCE topic */
} viz_cmd;

/* Parses a command line (without the ':'). Returns false with a message
 * for the learner in err on anything it does not understand. */
bool viz_cmd_parse(const char *line, viz_cmd *out, char *err, size_t errcap);
/* The same, its message in lang ("ko" or "en"; NULL: English). */
bool viz_cmd_parse_lang(const char *line, const char *lang, viz_cmd *out, char *err,
                        size_t errcap);

/* Carries out a command that acts on the world (kill, restart, pause,
 * isolate, heal, split...). Returns false with the reason in msg when it
 * cannot (unknown node, not available yet); on success msg says what was
 * done. Commands about pacing or the dashboard are not handled here. */
bool viz_act(cluster *c, const viz_cmd *cmd, char *msg, size_t cap);
/* The same, its message in lang ("ko" or "en"; NULL: English). */
bool viz_act_lang(cluster *c, const viz_cmd *cmd, const char *lang, char *msg,
                  size_t cap);
/* True for the kinds viz_act handles. */
bool viz_cmd_is_world(viz_cmd_kind k);

#endif
