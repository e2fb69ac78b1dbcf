/* cluster_timers: the deadlines the world's own timers will act on unless
 * something is heard first (a session expiring, a leader losing its
 * quorum, a follower giving up on its leader, a follower leaving an ISR),
 * gathered from the nodes' read-only accessors, named as a learner names
 * things, soonest first. What the dashboard counts down. */
#include "cluster.h"
#include "kafka_broker.h"
#include "kafka_world.h"
#include "raft_quorum.h"
#include "kctl_ctrl.h"
#include "kctl_hb.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZK_DEADLINES_MAX 64     /* per server: sessions of a lab-sized world */
#define ISR_DEADLINES_MAX 256   /* per broker */

static int add(cluster_timer *out, int n, int cap, const cluster_timer *t)
{
    if (n < cap) {
        out[n] = *t;
        return n + 1;
    }
    /* full: keep the soonest */
    int late = 0;
    for (int i = 1; i < n; i++) if (out[i].at_us > out[late].at_us) late = i;
    if (t->at_us < out[late].at_us) out[late] = *t;
    return n;
}

/* The broker whose session this is, -1 for none (a stand-alone client). */
static int session_owner(cluster *c, int64_t session)
{
    kafka_world *kw = cluster_kafka(c);
    for (int i = 0; i < kafka_world_count(kw); i++) {
        kafka_broker *b = kafka_world_broker(kw, i);
        if (kafka_broker_session(b) == session) return kafka_broker_id(b);
    }
    return -1;
}

static int zk_timers(cluster *c, uint64_t now, cluster_timer *out, int n, int cap)
{
    static const cluster_timer_kind kinds[] = {
        [ZKD_SESSION_EXPIRE] = CT_SESSION_EXPIRE,
        [ZKD_LEADER_QUORUM] = CT_LEADER_QUORUM,
        [ZKD_LEADER_SILENT] = CT_LEADER_SILENT,
    };
    zk_deadline d[ZK_DEADLINES_MAX];
    for (int sid = 1; sid <= cluster_zk_count(c); sid++) {
        zk_server *z = cluster_zk(c, sid);
        zk_server_info si;
        zk_server_info_get(z, &si);
        int nd = zk_server_deadlines(z, d, ZK_DEADLINES_MAX);
        for (int i = 0; i < nd; i++) {
            if (now - d[i].since_us <= d[i].quiet_us || now > d[i].at_us) continue;
            cluster_timer t = { .kind = kinds[d[i].kind], .node = zk_server_node(z),
                                .sid = sid, .session = d[i].session, .subject = -1,
                                .since_us = d[i].since_us, .at_us = d[i].at_us, .count = 1 };
            if (t.kind == CT_SESSION_EXPIRE) t.subject = session_owner(c, d[i].session);
            if (t.kind == CT_LEADER_SILENT) t.subject = si.leader_sid;
            n = add(out, n, cap, &t);
        }
    }
    return n;
}

/* One line per follower and leader: its soonest partition, and how many. */
static int isr_timers(cluster *c, uint64_t now, cluster_timer *out, int n, int cap)
{
    kafka_world *kw = cluster_kafka(c);
    kafka_isr_deadline *d = xmalloc(ISR_DEADLINES_MAX * sizeof *d);
    for (int i = 0; i < kafka_world_count(kw); i++) {
        kafka_broker *b = kafka_world_broker(kw, i);
        int nd = kafka_broker_isr_deadlines(b, d, ISR_DEADLINES_MAX);
        for (int j = 0; j < nd; j++) {
            if (now - d[j].since_us <= d[j].quiet_us || now > d[j].at_us) continue;
            int k = 0;
            while (k < n && !(out[k].kind == CT_ISR_LEAVE && out[k].node == kafka_broker_node(b)
                              && out[k].subject == d[j].follower)) k++;
            if (k < n) {
                out[k].count++;
                if (d[j].at_us >= out[k].at_us) continue;
            }
            cluster_timer t = { .kind = CT_ISR_LEAVE, .node = kafka_broker_node(b),
                                .subject = d[j].follower, .p = d[j].p, .count = 1,
                                .since_us = d[j].since_us, .at_us = d[j].at_us };
            snprintf(t.topic, sizeof t.topic, "%s", d[j].topic);
            if (k < n) {
                t.count = out[k].count;
                out[k] = t;
            } else {
                n = add(out, n, cap, &t);
            }
        }
    }
    free(d);
    return n;
}

/* A healthy follower's fetch is answered within quorum.fetch.max.wait
 * (500 ms, the leader holds it when nothing is new), and a leader hears a
 * majority as often: only a silence longer than this counts down. */
#define RAFT_QUIET_US 1000000u

/* The controller quorum's voters: each one's running timer. */
static int raft_timers(cluster *c, uint64_t now, cluster_timer *out, int n, int cap)
{
    raft_quorum *q = cluster_quorum(c);
    if (!q) return n;
    for (int i = 0; i < raft_quorum_size(q); i++) {
        raft *r = raft_quorum_raft(q, i);
        raft_info ri;
        raft_info_get(r, &ri);
        uint64_t since, at;
        raft_timer k = raft_deadline(r, &since, &at);
        if (k == RAFT_TIMER_NONE || at < now) continue;
        if ((k == RAFT_TIMER_FETCH || k == RAFT_TIMER_CHECK_QUORUM) &&
            now - since <= RAFT_QUIET_US) continue;
        static const cluster_timer_kind kinds[] = {
            [RAFT_TIMER_FETCH] = CT_RAFT_FETCH, [RAFT_TIMER_ELECTION] = CT_RAFT_ELECTION,
            [RAFT_TIMER_BACKOFF] = CT_RAFT_BACKOFF, [RAFT_TIMER_CHECK_QUORUM] = CT_RAFT_CHECK };
        cluster_timer t = { .kind = kinds[k], .node = ri.node, .sid = ri.node_id,
                            .subject = -1, .since_us = since, .at_us = at, .count = 1 };
        if (k == RAFT_TIMER_FETCH) t.subject = ri.leader_id;
        if (k == RAFT_TIMER_ELECTION) t.subject = ri.state == RAFT_CANDIDATE;
        n = add(out, n, cap, &t);
    }
    return n;
}

/* A broker heartbeats every broker.heartbeat.interval.ms (2000): only a
 * longer silence counts down to its fencing. */
#define HEARTBEAT_QUIET_US ((uint64_t)KCTL_HEARTBEAT_INTERVAL_MS * 1000 + 500000)

/* The active controller's watch on the brokers' sessions: each broker
 * silent for longer than a heartbeat, and when it is fenced. Only the
 * active controller's (BrokerHeartbeatManager lives while its
 * QuorumController is active), and not while its Raft leader has
 * resigned: a deposed leader cut off from the quorum keeps its sessions
 * until it hears of the new epoch, but can fence nobody (its append
 * fails), and the brokers heartbeat to the new one. */
static int fence_timers(cluster *c, uint64_t now, cluster_timer *out, int n, int cap)
{
    raft_quorum *q = cluster_quorum(c);
    int i = cluster_active_ctl(c);
    if (i < 0) return n;
    raft_info ri;
    raft_info_get(raft_quorum_raft(q, i), &ri);
    int node = raft_quorum_nodes(q)[i];
    const kctl_hb *hb = sim_node_status(cluster_sim(c), node) == NODE_UP &&
                        ri.state == RAFT_LEADER ? kctl_ctrl_hb(cluster_ctl(c, i)) : NULL;
    int ids[64];
    uint64_t last[64];
    int nb = hb ? kctl_hb_sessions(hb, ids, last, 64) : 0;
    for (int j = 0; j < nb; j++) {
        /* stale once strictly past the session (kctl_hb_stale) */
        uint64_t at = last[j] + (uint64_t)KCTL_SESSION_TIMEOUT_MS * 1000 + 1;
        if (now - last[j] <= HEARTBEAT_QUIET_US || at < now) continue;
        cluster_timer t = { .kind = CT_BROKER_FENCE, .node = node,
                            .sid = raft_quorum_ids(q)[i], .subject = ids[j],
                            .since_us = last[j], .at_us = at, .count = 1 };
        n = add(out, n, cap, &t);
    }
    return n;
}

/* A follower whose fetch went unanswered (lost while it or its leader
 * was cut off) waits out the request's timeout before it asks again:
 * a healed broker stays out of step that long. One line a follower: its
 * soonest, and how many. */
static int fetch_timers(cluster *c, cluster_timer *out, int n, int cap)
{
    kafka_world *kw = cluster_kafka(c);
    for (int i = 0; i < kafka_world_count(kw); i++) {
        kafka_broker *b = kafka_world_broker(kw, i);
        kafka_fetch_deadline d = { 0 };
        int nd = kafka_broker_fetch_deadline(b, &d);
        if (nd == 0) continue;
        cluster_timer t = { .kind = CT_FETCH_GIVE_UP, .node = kafka_broker_node(b),
                            .sid = kafka_broker_id(b), .subject = d.leader,
                            .since_us = d.since_us, .at_us = d.at_us, .count = nd };
        n = add(out, n, cap, &t);
    }
    return n;
}

static int by_time(const void *a, const void *b)
{
    const cluster_timer *x = a, *y = b;
    if (x->at_us != y->at_us) return x->at_us < y->at_us ? -1 : 1;
    if (x->kind != y->kind) return (int)x->kind - (int)y->kind;
    if (x->node != y->node) return x->node - y->node;
    return x->session < y->session ? -1 : x->session > y->session;
}

int cluster_timers(cluster *c, cluster_timer *out, int cap)
{
    if (!c || cap <= 0) return 0;
    uint64_t now = sim_now_us(cluster_sim(c));
    int n = zk_timers(c, now, out, 0, cap);
    n = isr_timers(c, now, out, n, cap);
    n = raft_timers(c, now, out, n, cap);
    n = fence_timers(c, now, out, n, cap);
    n = fetch_timers(c, out, n, cap);
    qsort(out, (size_t)n, sizeof *out, by_time);
    return n;
}
