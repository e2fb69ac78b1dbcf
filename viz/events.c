/* events: trace events into words, and the ring the log panel shows. */
#include "events.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int viz_ev_observer(const char *node, const char *text)
{
    if (node[0] < '0' || node[0] > '9') return 0;
    if (strncmp(text, "Follower", 8) == 0) return 8;
    if (strncmp(text, "Unattached", 10) == 0) return 10;
    return 0;
}

static bool words_en(const trace_event *ev, const char *node,
                     const char *peer, char *out, size_t cap, viz_role *role)
{
    const char *n = node && strcmp(node, "-") ? node : "";
    const char *p = peer && strcmp(peer, "-") ? peer : "";
    const char *t = ev->text;
    unsigned long long a = (unsigned long long)ev->a;
    *role = VR_NORMAL;
    switch (ev->kind) {
    case TR_ROLE:
        *role = ev->code == TROLE_LEADING ? VR_LEADER
              : ev->code == TROLE_LOOKING ? VR_LOOKING : VR_FOLLOWER;
        /* a KRaft broker fetches the metadata log as a Raft observer
         * (KafkaRaftClient: not a voter), never a Follower of the quorum;
         * QuorumState holds it Unattached until it knows the leader */
        if (viz_ev_observer(n, t) == 10)
            snprintf(out, cap, "%s is now an Observer (Unattached: no leader yet)%s", n, t + 10);
        else if (viz_ev_observer(n, t))
            snprintf(out, cap, "%s is now an Observer%s%s%s", n, t + 8,
                     p[0] ? ", fetching from " : "", p);
        /* the text already says the role, and whom it follows */
        else if (strstr(t, "epoch")) snprintf(out, cap, "%s is now %s", n, t);
        else snprintf(out, cap, "%s is now %s (epoch %llu)", n, t[0] ? t : "?", a);
        return true;
    case TR_VOTE: {
        /* only a vote for a fresher log over the server's own candidate
         * (code: the one it beat); the other votes are too many */
        const char *over = strstr(t, " over zk");
        unsigned long long was_zxid;
        if (!ev->code || !over || sscanf(over, " over zk%*d (zxid 0x%llx)", &was_zxid) != 1)
            return false;
        *role = VR_LOOKING;
        snprintf(out, cap, "%s votes zk%llu (logged zxid 0x%llx) over zk%d (0x%llx)",
                 n, a, (unsigned long long)ev->b, ev->code, was_zxid);
        return true;
    }
    case TR_ELECTION:
        *role = VR_LEADER;
        /* every server settles on its own: same words, so they fold */
        /* the winner's logged zxid: the freshest log wins, ids only break ties */
        /* a KRaft controller wins an epoch, not a zxid (raft.c) */
        if (p[0] && strncmp(ev->text, "KRaft", 5) == 0)
            snprintf(out, cap, "elected: %s, epoch %llu", p, (unsigned long long)ev->a);
        else if (p[0]) snprintf(out, cap, "elected: %s, zxid 0x%llx", p,
                                (unsigned long long)ev->b);
        else snprintf(out, cap, "election over at %s", n);
        return true;
    case TR_SYNC:
        *role = VR_DIM;
        if (ev->code == TSYNC_LOAD)     /* at start, from its own disk */
            snprintf(out, cap, "%s loaded its snapshot and log", n);
        else
            snprintf(out, cap, "%s synced with the leader (%s)", n, t[0] ? t : "?");
        return true;
    case TR_SESSION_NEW:
        *role = VR_DIM;
        snprintf(out, cap, "session 0x%llx opened%s%s", a, n[0] ? " at " : "", n);
        return true;
    case TR_SESSION_EXPIRE:
        *role = VR_WARN;
        snprintf(out, cap, "session 0x%llx expired", a);
        return true;
    case TR_SESSION_CLOSE:
        *role = VR_DIM;
        snprintf(out, cap, "session 0x%llx closed", a);
        return true;
    case TR_WATCH:
        snprintf(out, cap, "watch fired: %s", t[0] ? t : "?");
        return true;
    case TR_FAULT: {
        *role = VR_BAD;
        /* a pause of 0 ms lasts until resumed */
        const char *forever = strstr(t, " for 0 ms");
        if (forever && forever[9] == '\0')
            snprintf(out, cap, "fault: %.*s until resumed", (int)(forever - t), t);
        else
            snprintf(out, cap, "fault: %s", t[0] ? t : n);
        return true;
    }
    case TR_CONTROLLER:
        *role = VR_LEADER;
        /* KRaft: the quorum's new leader, a controller process (ctlN) */
        if (strncmp(n, "ctl", 3) == 0)
            snprintf(out, cap, "%s is the active controller (epoch %llu)", n, a);
        else
            snprintf(out, cap, "broker %s is the controller (epoch %llu)", n, a);
        return true;
    case TR_LEADER:
        *role = VR_LEADER;
        snprintf(out, cap, "%s", t[0] ? t : "partition leader changed");
        return true;
    case TR_ISR:
        *role = VR_WARN;
        snprintf(out, cap, "%s", t[0] ? t : "ISR changed");
        return true;
    case TR_PRODUCE:
        *role = ev->a ? VR_BAD : VR_GOOD;
        snprintf(out, cap, "%s", t[0] ? t : "write acknowledged");
        return true;
    case TR_LOSS:
        *role = VR_BAD;
        /* the audit's texts say what was lost; a replica's truncation
         * names only the record */
        snprintf(out, cap, "%s%s", ev->code == TLOSS_AT_RISK ?
                 "acknowledged write lost: " : "", t);
        return true;
    case TR_CLIENT:
    case TR_NOTE: {
        int id;
        unsigned ms;
        /* controllers are ctlN everywhere a learner reads (raft.c says
         * the Raft node id) */
        if (sscanf(t, "KRaft leader %d resigns: no fetch from a majority in %u ms",
                   &id, &ms) == 2) {
            snprintf(out, cap, "ctl%d resigns: no fetch from a majority in %u ms", id, ms);
            return true;
        }
        /* a client's name goes first, unless its text starts with it */
        size_t nl = strlen(n);
        bool named = ev->kind == TR_CLIENT && n[0] &&
                     !(strncmp(t, n, nl) == 0 && t[nl] == ':');
        snprintf(out, cap, "%s%s%s", named ? n : "", named ? ": " : "", t);
        return true;
    }
    case TR_CHECK:
        *role = ev->a ? VR_GOOD : VR_BAD;
        snprintf(out, cap, "check %s: %s", ev->a ? "passed" : "FAILED", t);
        return true;
    case TR_VIOLATION:
        *role = VR_BAD;
        snprintf(out, cap, "VIOLATION: %s", t);
        return true;
    default:        /* messages, votes, proposals, commits: too many */
        return false;
    }
}

bool viz_event_words(const trace_event *ev, const char *node, const char *peer,
                     const char *lang, char *out, size_t cap, viz_role *role)
{
    if (!words_en(ev, node, peer, out, cap, role)) return false;
    if (lang && strcmp(lang, "ko") == 0)
        viz_event_words_ko(ev, node && strcmp(node, "-") ? node : "",
                           peer && strcmp(peer, "-") ? peer : "", out, cap);
    return true;
}

struct viz_events {
    const char *lang;   /* of the lines offered */
    viz_event *ring;    /* circular */
    int cap;            /* ring size */
    int head;           /* oldest */
    int count;          /* held */
};

viz_events *viz_events_new(int capacity)
{
    QL_ASSERT(capacity > 0);
    viz_events *e = xcalloc(1, sizeof *e);
    e->ring = xcalloc((size_t)capacity, sizeof *e->ring);
    e->cap = capacity;
    return e;
}

void viz_events_free(viz_events *e)
{
    if (!e) return;
    free(e->ring);
    free(e);
}

void viz_events_set_lang(viz_events *e, const char *lang) { e->lang = lang; }

bool viz_event_per_server(const char *text)
{
    /* each server ends its own election: the same line once per server */
    return strncmp(text, "elected: ", 9) == 0 || strncmp(text, "선출: ", 8) == 0;
}

void viz_events_add(viz_events *e, uint64_t at_us, viz_role role,
                    const char *text)
{
    char buf[sizeof e->ring[0].text];
    text_copy_cut(buf, sizeof buf, text);
    text = buf;
    if (e->count > 0) {
        viz_event *last = &e->ring[(e->head + e->count - 1) % e->cap];
        if (last->role == role && strcmp(last->text, text) == 0) {
            last->repeat++;
            last->at_us = at_us;
            return;
        }
    }
    viz_event *slot;
    if (e->count < e->cap) {
        slot = &e->ring[(e->head + e->count) % e->cap];
        e->count++;
    } else {
        slot = &e->ring[e->head];
        e->head = (e->head + 1) % e->cap;
    }
    slot->at_us = at_us;
    slot->role = role;
    slot->repeat = 1;
    snprintf(slot->text, sizeof slot->text, "%s", text);
}

static const char *node_name(const sim *s, int id)
{
    if (!s || id < 0 || id >= sim_node_count(s)) return "";
    return sim_node_name(s, id);
}

void viz_events_offer(viz_events *e, const sim *s, const trace_event *ev)
{
    char words[160];
    viz_role role;
    if (viz_event_words(ev, node_name(s, ev->node), node_name(s, ev->peer), e->lang,
                        words, sizeof words, &role))
        viz_events_add(e, ev->at_us, role, words);
}

int viz_events_count(const viz_events *e) { return e->count; }

const viz_event *viz_events_get(const viz_events *e, int i)
{
    if (i < 0 || i >= e->count) return NULL;
    return &e->ring[(e->head + i) % e->cap];
}

