/* twin: a learner's command on two worlds compared side by side. The
 * worlds are twins (cluster_twin), so a fault on one reaches the node of
 * the same name in the other; here they are parted for the command and
 * each world takes it by its own call instead, so each can be told what
 * it lacks: ZooKeeper mode has zk1..zkN where KRaft has ctl1..ctlN, and a
 * `k` on zk2 must say that the KRaft world had nothing to crash. */
#include "twin.h"
#include "ko.h"
#include "text.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

/* The kinds that name one node in names[0]. */
static bool names_one(viz_cmd_kind k)
{
    switch (k) {
    case VC_KILL: case VC_STOP: case VC_RESTART: case VC_PAUSE: case VC_RESUME:
    case VC_PAUSE_TOGGLE: case VC_ISOLATE:
        return true;
    default:
        return false;
    }
}

static bool has(cluster *c, const char *name) { return cluster_find_node(c, name) >= 0; }

/* cmd as world c can take it: a split keeps the nodes c has. Returns
 * false when c has nothing to do (the node, or a whole side, is not
 * there); *missing then names what it lacks. */
static bool for_world(cluster *c, const viz_cmd *cmd, viz_cmd *out, const char **missing)
{
    *out = *cmd;
    *missing = NULL;
    if (names_one(cmd->kind)) {
        if (cmd->nnames < 1 || has(c, cmd->names[0])) return true;
        *missing = cmd->names[0];
        return false;
    }
    if (cmd->kind != VC_SPLIT) return true;
    out->nnames = 0;
    int per_side[2] = { 0, 0 };
    for (int i = 0; i < cmd->nnames; i++) {
        if (!has(c, cmd->names[i])) {
            if (!*missing) *missing = cmd->names[i];
            continue;
        }
        memcpy(out->names[out->nnames], cmd->names[i], sizeof out->names[0]);
        out->side[out->nnames++] = cmd->side[i];
        per_side[cmd->side[i] ? 1 : 0]++;
    }
    return per_side[0] > 0 && per_side[1] > 0;
}

/* Neither world has the node: what each one has, in one line of at most
 * cols columns: in words, else the names alone ("zk1..zk3, 101..104"),
 * else that neither has it; never cut (its ")" went at 120 columns). */
static void unknown_both(const viz_twin_side side[2], const char *name, const char *lang,
                         int cols, viz_twin_result *r)
{
    const cluster_words forms[2] = {
        { viz_tr(lang, CLUSTER_WORDS_UNKNOWN), viz_tr(lang, CLUSTER_WORDS_SERVERS),
          viz_tr(lang, CLUSTER_WORDS_BROKERS) },
        { viz_tr(lang, CLUSTER_WORDS_UNKNOWN), "%s", "%s, %s" },
    };
    for (int k = 0; k < 2; k++) {
        char have[2][160];
        for (int i = 0; i < 2; i++) cluster_names(side[i].world, &forms[k], have[i], sizeof have[i]);
        snprintf(r->msg, sizeof r->msg, viz_tr(lang, "unknown node '%s' (%s: %s; %s: %s)"), name,
                 side[0].label, have[0], side[1].label, have[1]);
        if (text_width(r->msg) <= cols) return;
    }
    char raw[sizeof r->msg];
    snprintf(raw, sizeof raw, viz_tr(lang, "unknown node '%s' in either world"), name);
    ko_resolve(raw, r->msg, sizeof r->msg);
}

void viz_twin_act(const viz_twin_side side[2], const viz_cmd *cmd, const char *lang,
                  int cols, viz_twin_result *r)
{
    memset(r, 0, sizeof *r);
    char m[2][256] = { "", "" };
    bool acted[2], ok[2] = { false, false };
    const char *missing[2];
    viz_cmd c[2];
    for (int i = 0; i < 2; i++) acted[i] = for_world(side[i].world, cmd, &c[i], &missing[i]);
    if (!acted[0] && !acted[1] && names_one(cmd->kind)) {
        unknown_both(side, cmd->names[0], lang, cols, r);
        return;
    }
    /* parted while each takes its own call: a twin would hit the other again */
    cluster_twin(side[0].world, NULL);
    for (int i = 0; i < 2; i++)
        if (acted[i]) ok[i] = viz_ops_act(side[i].ops, side[i].world, &c[i], m[i], sizeof m[i]);
    cluster_twin(side[0].world, side[1].world);
    r->ok = ok[0] || ok[1];
    if (acted[0] && acted[1]) {
        if (strcmp(m[0], m[1]) == 0)
            snprintf(r->msg, sizeof r->msg, viz_tr(lang, "both worlds: %s"), m[0]);
        else
            snprintf(r->msg, sizeof r->msg, "%s: %s · %s: %s", side[0].label, m[0],
                     side[1].label, m[1]);
        return;
    }
    if (!acted[0] && !acted[1]) {       /* a split that cuts neither world */
        snprintf(r->msg, sizeof r->msg, "%s", viz_tr(lang, "split: in each world one side "
                 "names none of its nodes, so neither is split"));
        return;
    }
    int d = acted[0] ? 0 : 1, o = 1 - d;
    if (cmd->kind == VC_SPLIT) {
        snprintf(r->msg, sizeof r->msg, viz_tr(lang, "%s: %s only (%s: one side has none of "
                 "its nodes)"), m[d], side[d].label, side[o].label);
        snprintf(r->note[o], sizeof r->note[o], viz_tr(lang, "split in %s only: one side "
                 "names none of this world's nodes"), side[d].label);
        return;
    }
    snprintf(r->msg, sizeof r->msg, viz_tr(lang, "%s: %s only (%s has no %s)"), m[d],
             side[d].label, side[o].label, missing[o]);
    snprintf(r->note[o], sizeof r->note[o], viz_tr(lang, "%s: %s only (this world has no %s)"),
             m[d], side[d].label, missing[o]);
}
