/* act: carries out the learner's commands on the world, only through the
 * cluster's fault API (the same calls the Lua controller makes). */
#include "cmd.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

bool viz_cmd_is_world(viz_cmd_kind k)
{
    switch (k) {
    case VC_KILL: case VC_STOP: case VC_RESTART: case VC_PAUSE:
    case VC_RESUME: case VC_PAUSE_TOGGLE: case VC_ISOLATE: case VC_HEAL:
    case VC_SPLIT: case VC_TOPIC: case VC_PRODUCE: case VC_ADD_BROKER:
    case VC_DELETE_TOPIC:
    case VC_REASSIGN:
        return true;
    default:
        return false;
    }
}

/* A typed name, resolved as the Lua API resolves it (cluster_resolve),
 * with the message in the dashboard's language. */
static int resolve(cluster *c, const char *name, const char *lang, char *msg,
                   size_t cap)
{
    cluster_words w = {
        viz_tr(lang, CLUSTER_WORDS_UNKNOWN), viz_tr(lang, CLUSTER_WORDS_SERVERS),
        viz_tr(lang, CLUSTER_WORDS_BROKERS) };
    return cluster_resolve(c, name, &w, msg, cap);
}

/* Whether node is one the sides of a split are shown for: a server,
 * controller or broker (the ensemble panel and the grid). */
static bool has_side(const sim *s, int node)
{
    node_kind k = sim_node_kind(s, node);
    return k == NODE_ZK || k == NODE_CONTROLLER || k == NODE_BROKER;
}

/* The lowest such node index in list, or -1. */
static int lowest(const sim *s, const int *list, int n)
{
    int low = -1;
    for (int i = 0; i < n; i++)
        if (has_side(s, list[i]) && (low < 0 || list[i] < low)) low = list[i];
    return low;
}

/* What a split did. Naming only some nodes cuts only the links between
 * the two lists (cluster_split, as lab.split): the nodes left out stay
 * linked to both, which "split in two" hid (trial 6: zk2, zk3, 103 and
 * 104 linked to both sides, and no side shown). Then the sides are
 * named as the panels mark them, A the one with the lowest node index
 * (viz_reach's rule), with the rule said. */
static void split_message(const sim *s, const int *a, int na, const int *b, int nb,
                          const char *lang, char *msg, size_t cap)
{
    int named = 0;
    for (int i = 0; i < na; i++) named += has_side(s, a[i]);
    for (int i = 0; i < nb; i++) named += has_side(s, b[i]);
    int all = 0;
    for (int n = 0; n < sim_node_count(s); n++) all += has_side(s, n);
    if (named >= all) {
        snprintf(msg, cap, "%s", viz_tr(lang, "split the network in two (h heals)"));
        return;
    }
    int la = lowest(s, a, na), lb = lowest(s, b, nb);
    if (lb >= 0 && (la < 0 || lb < la)) {       /* A is the side of the lowest */
        const int *t = a; a = b; b = t;
        int tn = na; na = nb; nb = tn;
    }
    char sa[160] = "", sb[160] = "";
    for (int i = 0; i < na; i++)
        snprintf(sa + strlen(sa), sizeof sa - strlen(sa), "%s%s", i ? "," : "",
                 sim_node_name(s, a[i]));
    for (int i = 0; i < nb; i++)
        snprintf(sb + strlen(sb), sizeof sb - strlen(sb), "%s%s", i ? "," : "",
                 sim_node_name(s, b[i]));
    snprintf(msg, cap, viz_tr(lang, "only links between A (%s) and B (%s) are cut; the "
                              "others stay linked to both (h heals)"), sa, sb);
}

bool viz_act(cluster *c, const viz_cmd *cmd, char *msg, size_t cap)
{
    return viz_act_lang(c, cmd, NULL, msg, cap);
}

bool viz_act_lang(cluster *c, const viz_cmd *cmd, const char *lang, char *msg,
                  size_t cap)
{
    sim *s = cluster_sim(c);
    int node = -1;
    if (cmd->kind != VC_HEAL && cmd->kind != VC_SPLIT && cmd->kind != VC_ADD_BROKER &&
        cmd->kind != VC_TOPIC && cmd->kind != VC_PRODUCE &&
        cmd->kind != VC_DELETE_TOPIC && cmd->kind != VC_REASSIGN) {
        if (cmd->nnames < 1) { snprintf(msg, cap, "%s", viz_tr(lang, "select a node first")); return false; }
        node = resolve(c, cmd->names[0], lang, msg, cap);
        if (node < 0) return false;
    }
    const char *name = node >= 0 ? sim_node_name(s, node) : "";
    node_status st = node >= 0 ? sim_node_status(s, node) : NODE_UP;
    switch (cmd->kind) {
    case VC_KILL:
        if (st == NODE_DOWN) { snprintf(msg, cap, viz_tr(lang, "%s is already down"), name); return false; }
        cluster_kill(c, node);
        snprintf(msg, cap, viz_tr(lang, "crashed %s"), name);
        return true;
    case VC_STOP:
        if (st == NODE_DOWN) { snprintf(msg, cap, viz_tr(lang, "%s is already down"), name); return false; }
        /* an ensemble server that exits closes its connections just as a
         * crashed one has them reset: for it, a clean stop is a kill */
        cluster_kill(c, node);
        snprintf(msg, cap, viz_tr(lang, "stopped %s"), name);
        return true;
    case VC_RESTART:
        cluster_restart(c, node);
        snprintf(msg, cap, viz_tr(lang, "restarted %s"), name);
        return true;
    case VC_PAUSE:
        if (st != NODE_UP) { snprintf(msg, cap, viz_tr(lang, "%s is not running"), name); return false; }
        cluster_pause(c, node, 0);
        snprintf(msg, cap, viz_tr(lang, "paused %s (p or :resume %s to resume)"), name, name);
        return true;
    case VC_RESUME:
        if (st != NODE_PAUSED) { snprintf(msg, cap, viz_tr(lang, "%s is not paused"), name); return false; }
        cluster_resume(c, node);
        snprintf(msg, cap, viz_tr(lang, "resumed %s"), name);
        return true;
    case VC_PAUSE_TOGGLE: {
        viz_cmd alt = *cmd;
        alt.kind = st == NODE_PAUSED ? VC_RESUME : VC_PAUSE;
        return viz_act_lang(c, &alt, lang, msg, cap);
    }
    case VC_ISOLATE:
        cluster_isolate(c, node);
        snprintf(msg, cap, viz_tr(lang, "isolated %s (h heals)"), name);
        return true;
    case VC_HEAL:
        cluster_heal(c);
        snprintf(msg, cap, "%s", viz_tr(lang, "healed every link"));
        return true;
    case VC_SPLIT: {
        int a[VIZ_CMD_NAMES], b[VIZ_CMD_NAMES], na = 0, nb = 0;
        for (int i = 0; i < cmd->nnames; i++) {
            int n = resolve(c, cmd->names[i], lang, msg, cap);
            if (n < 0) return false;
            if (cmd->side[i]) b[nb++] = n; else a[na++] = n;
        }
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++)
                if (a[i] == b[j]) {
                    snprintf(msg, cap, viz_tr(lang, "%s is on both sides"), sim_node_name(s, a[i]));
                    return false;
                }
        cluster_split(c, a, na, b, nb);
        split_message(s, a, na, b, nb, lang, msg, cap);
        return true;
    }
    case VC_ADD_BROKER: {
        int id = cmd->n2 ? (int)cmd->n1 : cluster_next_broker_id(c);
        if (cluster_add_broker(c, id, cmd->text, msg, cap) < 0) return false;
        snprintf(msg, cap, viz_tr(lang, "added broker %d (no replicas until a new topic "
                                  "or a reassignment)"), id);
        return true;
    }
    case VC_TOPIC:
    case VC_PRODUCE:
    case VC_DELETE_TOPIC:
    case VC_REASSIGN:
        snprintf(msg, cap, "%s", viz_tr(lang, "not available yet: this world has no brokers"));
        return false;
    default:
        snprintf(msg, cap, "%s", viz_tr(lang, "not a command on the world"));
        return false;
    }
}
