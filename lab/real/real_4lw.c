/* real_4lw: the four-letter words a 3.8 server answers on its client port
 * (FourLetterCommands; the Command classes in
 * org.apache.zookeeper.server.command): srvr, stat, ruok, mntr, conf,
 * cons and isro, with the fields a real server prints, from the lab server's own
 * state. The lab answers as a server with 4lw.commands.whitelist=* does
 * (scripts/real-zk-ensemble.sh runs the real one that way). */
#include "real_int.h"
#include "ztree.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ZK_VERSION "3.8.0-quorumlab, built on quorumlab (a simulated server)"
#define NOT_SERVING "This ZooKeeper instance is not currently serving requests\n"

static const char *const words[] = { "srvr", "stat", "ruok", "mntr", "conf", "cons", "isro" };

bool real_4lw_known(const uint8_t p[4])
{
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (memcmp(p, words[i], 4) == 0) return true;
    return false;
}

static void put(wbuf *o, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0) w_raw(o, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static const char *mode(const zk_server_info *i)
{
    /* ReadOnlyZooKeeperServer.getState: "read-only" */
    return i->state == ZK_LEADING ? "leader" : i->state == ZK_FOLLOWING ? "follower"
         : i->readonly ? "read-only" : "looking";
}

static void latency(const real_hub *h, int sid, uint64_t *mn, double *avg, uint64_t *mx)
{
    const rlat *l = sid >= 0 && sid < 32 ? &h->lat[sid] : NULL;
    *mn = l && l->n ? l->min_ms : 0;
    *mx = l && l->n ? l->max_ms : 0;
    *avg = l && l->n ? (double)l->sum_ms / (double)l->n : 0.0;
}

static int outstanding(const real_hub *h, int sid)
{
    int n = 0;
    for (int i = 0; i < h->nc; i++)
        if (h->c[i].st != RS_FREE && h->c[i].sid == sid) n += h->c[i].nq - h->c[i].qh;
    return n;
}

static bool count_eph(void *ctx, const char *path, const char *name, int depth,
                      const zstat *st, const uint8_t *data, size_t len)
{
    if (st->ephemeral_owner) ++*(int *)ctx;
    return true;
}

/* The lines srvr and stat share after the version (and stat's clients). */
static void server_lines(real_hub *h, int sid, const zk_server_info *i, wbuf *o)
{
    uint64_t mn, mx;
    double avg;
    latency(h, sid, &mn, &avg, &mx);
    zk_server *z = cluster_zk(h->w, sid);
    put(o, "Latency min/avg/max: %llu/%.1f/%llu\n", (unsigned long long)mn, avg,
        (unsigned long long)mx);
    put(o, "Received: %llu\n", (unsigned long long)i->packets_received);
    put(o, "Sent: %llu\n", (unsigned long long)i->packets_sent);
    put(o, "Connections: %d\n", i->connections + 1);    /* this one too */
    put(o, "Outstanding: %d\n", outstanding(h, sid));
    put(o, "Zxid: 0x%llx\n", (unsigned long long)i->last_zxid);
    put(o, "Mode: %s\n", mode(i));
    put(o, "Node count: %zu\n", ztree_count(zk_server_tree(z)));
    if (i->state == ZK_LEADING)         /* Leader.getProposalStats, bytes */
        put(o, "Proposal sizes last/min/max: %lld/%lld/%lld\n", (long long)i->proposal_last,
            (long long)i->proposal_min, (long long)i->proposal_max);
}

/* One connection as `cons` and `stat` list it (ServerCnxn.dumpConnectionInfo). */
static void conn_line(real_hub *h, const rconn *c, bool brief, wbuf *o)
{
    uint64_t now_ms = sim_now_us(h->s) / 1000;
    put(o, " /%s[%d](queued=%d,recved=%llu,sent=%llu", c->peer, c->st == RS_OPEN ? 1 : 0,
        c->nq - c->qh, (unsigned long long)c->recved, (unsigned long long)c->sent);
    if (!brief && c->session) {
        put(o, ",sid=0x%llx,lop=%s,est=%llu,to=%d,lcxid=0x%x,lzxid=0x%llx",
            (unsigned long long)c->session, c->last[0] ? c->last : "NA",
            (unsigned long long)(c->est_us / 1000), c->timeout_ms, (unsigned)c->last_xid,
            (unsigned long long)c->last_zxid);
        (void)now_ms;
    }
    put(o, ")\n");
}

static void clients(real_hub *h, int sid, const rconn *self, bool brief, wbuf *o)
{
    for (int k = 0; k < h->nc; k++) {
        const rconn *c = &h->c[k];
        if (c->st == RS_FREE || c->sid != sid || c == self) continue;
        conn_line(h, c, brief, o);
    }
    conn_line(h, self, brief, o);
    put(o, "\n");
}

static void mntr(real_hub *h, int sid, const zk_server_info *i, const ensemble_info *e, wbuf *o)
{
    uint64_t mn, mx;
    double avg;
    latency(h, sid, &mn, &avg, &mx);
    zk_server *z = cluster_zk(h->w, sid);
    int eph = 0;
    ztree_walk(zk_server_tree(z), count_eph, &eph);
    put(o, "zk_version\t%s\n", ZK_VERSION);
    put(o, "zk_server_state\t%s\n", mode(i));
    put(o, "zk_peer_state\t%s - broadcast\n", i->state == ZK_LEADING ? "leading" : "following");
    put(o, "zk_ephemerals_count\t%d\n", eph);
    put(o, "zk_num_alive_connections\t%d\n", i->connections + 1);
    put(o, "zk_avg_latency\t%.1f\n", avg);
    put(o, "zk_min_latency\t%llu\n", (unsigned long long)mn);
    put(o, "zk_max_latency\t%llu\n", (unsigned long long)mx);
    put(o, "zk_outstanding_requests\t%d\n", outstanding(h, sid));
    put(o, "zk_znode_count\t%zu\n", ztree_count(zk_server_tree(z)));
    put(o, "zk_watch_count\t%d\n", i->watches);
    put(o, "zk_packets_sent\t%llu\n", (unsigned long long)i->packets_sent);
    put(o, "zk_packets_received\t%llu\n", (unsigned long long)i->packets_received);
    put(o, "zk_global_sessions\t%d\n", i->sessions);
    put(o, "zk_quorum_size\t%d\n", e->size);
    if (i->state == ZK_LEADING) {
        put(o, "zk_synced_followers\t%d\n", i->synced_followers);
        put(o, "zk_synced_non_voting_followers\t0\n");
        put(o, "zk_synced_observers\t0\n");
        put(o, "zk_pending_syncs\t0\n");
    }
}

static void conf(real_hub *h, int sid, wbuf *o)
{
    const zk_config *c = zk_server_config(cluster_zk(h->w, sid));
    uint32_t mn = c->min_session_ms ? c->min_session_ms : 2 * c->tick_ms;
    uint32_t mx = c->max_session_ms ? c->max_session_ms : 20 * c->tick_ms;
    put(o, "clientPort=%d\n", sid >= 0 && sid < 32 ? h->ports[sid] : 0);
    put(o, "secureClientPort=-1\n");
    put(o, "tickTime=%u\n", c->tick_ms);
    put(o, "maxClientCnxns=%d\n", REAL_CONNS_PER_SERVER);
    put(o, "minSessionTimeout=%u\n", mn);
    put(o, "maxSessionTimeout=%u\n", mx);
    put(o, "clientPortListenBacklog=-1\n");
    put(o, "serverId=%d\n", sid);
    put(o, "initLimit=%u\n", c->init_limit);
    put(o, "syncLimit=%u\n", c->sync_limit);
    put(o, "electionAlg=3\n");
    put(o, "peerType=0\n");
    put(o, "membership: \n");
    for (int k = 1; k <= cluster_zk_count(h->w); k++)
        put(o, "server.%d=zk%d (simulated: no quorum port):participant\n", k, k);
    put(o, "version=0\n");
}

void real_4lw_answer(real_hub *h, int sid, const uint8_t p[4], const rconn *self, wbuf *o)
{
    ensemble_info e;
    cluster_ensemble(h->w, &e);
    const zk_server_info *i = &e.servers[sid - 1];
    if (memcmp(p, "ruok", 4) == 0) { put(o, "imok"); return; }
    if (memcmp(p, "conf", 4) == 0) { conf(h, sid, o); return; }
    if (memcmp(p, "isro", 4) == 0) {
        /* IsroCommand: what clients ask to find a read-write server */
        put(o, i->serving ? "rw" : i->readonly ? "ro" : "null");
        return;
    }
    if (!i->serving && !i->readonly) { put(o, NOT_SERVING); return; }
    if (memcmp(p, "srvr", 4) == 0) {
        put(o, "Zookeeper version: %s\n", ZK_VERSION);
        server_lines(h, sid, i, o);
    } else if (memcmp(p, "stat", 4) == 0) {
        put(o, "Zookeeper version: %s\n", ZK_VERSION);
        put(o, "Clients:\n");
        clients(h, sid, self, true, o);
        server_lines(h, sid, i, o);
    } else if (memcmp(p, "cons", 4) == 0) {
        clients(h, sid, self, false, o);
    } else {
        mntr(h, sid, i, &e, o);
    }
}
