/* zk_server: an ensemble server's life: creation, process start (replay of
 * the durable log) and crash (loss of everything volatile), the role
 * changes between LOOKING, FOLLOWING and LEADING, the periodic tick, and
 * message dispatch to election (zk_fle.c), ZAB (zk_zab.c) and client
 * service (zk_serve.c). */
#include "zk_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void zk_config_defaults(zk_config *c)
{
    *c = (zk_config){ .tick_ms = 2000, .init_limit = 10, .sync_limit = 5,
                      .finalize_wait_ms = 200, .max_notify_ms = 60000,
                      .snap_count = 100000 };
}

const char *zk_state_name(zk_state s)
{
    switch (s) {
    case ZK_DOWN: return "DOWN";
    case ZK_LOOKING: return "LOOKING";
    case ZK_FOLLOWING: return "FOLLOWING";
    case ZK_LEADING: return "LEADING";
    }
    return "?";
}

const char *zk_zab_state_name(zk_zab_state s)
{
    switch (s) {
    case ZAB_ELECTION: return "ELECTION";
    case ZAB_DISCOVERY: return "DISCOVERY";
    case ZAB_SYNCHRONIZATION: return "SYNCHRONIZATION";
    case ZAB_BROADCAST: return "BROADCAST";
    }
    return "?";
}

static zk_zab_state zab_state(const zk_server *z, zk_state state)
{
    if (state != ZK_FOLLOWING && state != ZK_LEADING) return ZAB_ELECTION;
    switch (z->phase) {
    case PH_DISCOVERY: return ZAB_DISCOVERY;
    case PH_SYNC: return ZAB_SYNCHRONIZATION;
    case PH_BROADCAST: return ZAB_BROADCAST;
    case PH_NONE: break;
    }
    return ZAB_DISCOVERY;       /* chosen, not yet connected to its leader */
}

uint64_t zk_now(const zk_server *z) { return sim_now_us(z->s); }

uint64_t zk_processed_zxid(const zk_server *z)
{
    /* like lastProcessedZxid: Leader.lead sets the leader's to the new
     * epoch's zxid (counter 0) before its first txn; a follower synced by
     * DIFF keeps its own last zxid (0x0 on a fresh ensemble, as `srvr`
     * shows) until a txn commits */
    uint64_t nl = z->serving && z->state == ZK_LEADING ? ZXID(z->current_epoch, 0) : 0;
    return z->applied_zxid > nl ? z->applied_zxid : nl;
}

static void tick(void *self, uint64_t arg);

static void arm_tick(zk_server *z)
{
    uint64_t half_us = (uint64_t)z->cfg.tick_ms * 500;
    z->tick_timer = sim_timer(z->s, z->node, half_us ? half_us : 1, tick, 0);
    z->tick_due_us = zk_now(z) + (half_us ? half_us : 1);
}

static void tick(void *self, uint64_t arg)
{
    zk_server *z = self;
    arm_tick(z);
    zk_zab_tick(z);
    if (z->up) zk_serve_tick(z);
}

static void on_start(void *self)
{
    zk_server *z = self;
    z->up = true;
    z->pkts_in = z->pkts_out = 0;
    z->prop_last = z->prop_min = z->prop_max = -1;
    z->state = ZK_LOOKING;
    z->serving = false;
    z->phase = PH_NONE;
    z->round = 0;
    /* like SessionTrackerImpl: server id in the top byte, then start time */
    z->session_base = (int64_t)(((uint64_t)z->sid << 56) |
                                (((zk_now(z) / 1000) << 24) >> 8));
    z->sess_counter = 0;
    /* what a real server does at start: load the snapshot, replay the log */
    zk_state_reload(z, UINT64_MAX);
    z->commit_zxid = 0;
    z->sync_how = TSYNC_LOAD;
    trace_emit_code(sim_trace(z->s), TR_SYNC, TSYNC_LOAD, z->node, -1,
                    z->applied_zxid, 0, "LOAD");
    arm_tick(z);
    zk_become_looking(z, NULL);
}

static void on_crash(void *self)
{
    zk_server *z = self;
    z->up = false;
    z->state = ZK_DOWN;
    z->serving = false;
    z->phase = PH_NONE;
    z->leader_sid = 0;
    zk_serve_free(z);
    zk_state_free(z);
    z->tree = ztree_new();      /* an empty view until the restart */
    memset(z->lh, 0, sizeof z->lh);
    memset(z->recv, 0, sizeof z->recv);
    memset(z->ooe, 0, sizeof z->ooe);
    z->notify_timer = z->finalize_timer = z->tick_timer = 0;
    z->ro = false;
    z->ro_timer = 0;
}

static int sid_of(const zk_server *z, int node)
{
    for (int sid = 1; sid <= z->n; sid++)
        if (z->peer[sid] == node) return sid;
    return 0;
}

static void on_recv(void *self, int from, uint32_t type, const uint8_t *data,
                    size_t len)
{
    zk_server *z = self;
    rbuf r = rbuf_of(data, len);
    if (type >= ZC_CONNECT && type < ZC_END) {
        zk_serve_recv(z, from, type, &r);
        return;
    }
    int sid = sid_of(z, from);
    if (!sid || sid == z->sid) return;
    if (type == ZM_NOTIFICATION)
        zk_fle_recv(z, sid, &r);
    else if (type > ZM_NOTIFICATION && type < ZM_SERVER_END)
        zk_zab_recv(z, sid, type, &r);
}

static void on_reset(void *self, int peer)
{
    zk_server *z = self;
    int sid = sid_of(z, peer);
    if (sid) zk_zab_reset(z, sid);
    else zk_serve_reset(z, peer);
}

static void on_destroy(void *self)
{
    zk_server *z = self;
    zk_serve_free(z);
    zk_state_free(z);
    zk_log_clear(z);
    free(z->log);
    wbuf_free(&z->snap);
    wbuf_free(&z->out);
    wbuf_free(&z->body);
    wbuf_free(&z->req);
    free(z->conns);
    free(z->watches);
    free(z->wbucket);
    free(z->syncs);
    free(z);
}

static const node_ops zk_ops = {
    .start = on_start, .crash = on_crash, .recv = on_recv,
    .reset = on_reset, .destroy = on_destroy,
};

zk_server *zk_server_new(sim *s, int sid, int n, const zk_config *cfg)
{
    QL_ASSERT(sid >= 1 && sid <= n && n <= ZK_SID_MAX);
    zk_server *z = xcalloc(1, sizeof *z);
    z->s = s;
    z->sid = sid;
    z->n = n;
    z->quorum = n / 2 + 1;
    if (cfg) z->cfg = *cfg; else zk_config_defaults(&z->cfg);
    if (!z->cfg.min_session_ms) z->cfg.min_session_ms = 2 * z->cfg.tick_ms;
    if (!z->cfg.max_session_ms) z->cfg.max_session_ms = 20 * z->cfg.tick_ms;
    if (z->cfg.snap_count < 2) z->cfg.snap_count = 2;   /* as ZooKeeper */
    z->tree = ztree_new();
    z->free_watch = -1;
    char name[16];
    snprintf(name, sizeof name, "zk%d", sid);
    z->node = sim_add_node(s, name, NODE_ZK, &zk_ops, z);
    QL_ASSERT(z->node >= 0);
    z->peer[sid] = z->node;
    zk_proto_name_msgs(s);
    return z;
}

void zk_server_set_peers(zk_server *z, const int *nodes, int n)
{
    QL_ASSERT(n == z->n);
    for (int i = 0; i < n; i++) z->peer[i + 1] = nodes[i];
}

int zk_server_node(const zk_server *z) { return z->node; }
const ztree *zk_server_tree(const zk_server *z) { return z->tree; }

void zk_server_info_get(const zk_server *z, zk_server_info *out)
{
    node_status st = sim_node_status(z->s, z->node);
    uint64_t last = zk_log_last(z), processed = zk_processed_zxid(z);
    int conns = 0;
    for (int i = 0; i < z->nconns; i++) conns += z->conns[i].state != CN_FREE;
    int watches = 0;
    for (int i = 0; i < z->nwatches; i++) watches += z->watches[i].path != NULL;
    bool serving;
    zk_state state = zk_server_state(z, &serving);
    *out = (zk_server_info){
        .sid = z->sid, .node = z->node,
        .state = state,
        .paused = st == NODE_PAUSED,
        .serving = serving,
        .readonly = z->up && z->ro,
        .last_zxid = processed > last ? processed : last,
        .epoch = z->current_epoch,
        .zab = zab_state(z, state),
        .leader_sid = z->state == ZK_LEADING ? z->sid
                    : z->state == ZK_FOLLOWING ? z->leader_sid : 0,
        .vote_sid = z->proposal.sid, .vote_zxid = z->proposal.zxid,
        .vote_epoch = z->proposal.epoch, .election_round = z->round,
        .synced_followers = z->state == ZK_LEADING ? zk_synced_followers(z) : 0,
        .sessions = z->nsess, .connections = conns,
        .snap_zxid = z->snap_zxid, .log_entries = z->nlog,
        .packets_received = z->pkts_in, .packets_sent = z->pkts_out,
        .proposal_last = z->prop_last, .proposal_min = z->prop_min,
        .proposal_max = z->prop_max,
        .watches = watches,
        .sync_how = z->sync_how,
    };
}

zk_state zk_server_state(const zk_server *z, bool *serving)
{
    *serving = z->up && z->serving;
    return z->up ? z->state : ZK_DOWN;
}

const zk_config *zk_server_config(const zk_server *z) { return &z->cfg; }

/* --- roles --- */

void zk_set_serving(zk_server *z, bool on)
{
    if (z->serving == on) return;
    z->serving = on;
    if (!on) zk_serve_close_all(z);
}

void zk_become_looking(zk_server *z, const char *why)
{
    if (z->state != ZK_LOOKING || z->phase != PH_NONE) zk_zab_stop(z);
    zk_set_serving(z, false);
    z->state = ZK_LOOKING;
    z->leader_sid = 0;
    zk_ro_arm(z);
    trace_emit_code(sim_trace(z->s), TR_ROLE, TROLE_LOOKING, z->node, -1,
                    z->current_epoch, 0, "LOOKING%s%s", why ? ": " : "",
                    why ? why : "");
    zk_fle_start(z);
}

void zk_become_following(zk_server *z, int leader_sid)
{
    zk_fle_stop(z);
    zk_ro_stop(z);
    z->state = ZK_FOLLOWING;
    z->leader_sid = leader_sid;
    zk_follow_start(z);
}

void zk_become_leading(zk_server *z)
{
    zk_fle_stop(z);
    zk_ro_stop(z);
    z->state = ZK_LEADING;
    z->leader_sid = z->sid;
    /* a new Leader has fresh ProposalStats */
    z->prop_last = z->prop_min = z->prop_max = -1;
    zk_lead_start(z);
}

/* --- read-only mode (QuorumPeer.run's LOOKING case) --- */

static void ro_start(void *self, uint64_t arg)
{
    zk_server *z = self;
    (void)arg;
    z->ro_timer = 0;
    if (!z->up || z->state != ZK_LOOKING || z->ro) return;
    z->ro = true;
    trace_emit(sim_trace(z->s), TR_NOTE, z->node, -1, 0, 0,
               "Read-only server started: reads for clients that allow read-only mode");
}

void zk_ro_arm(zk_server *z)
{
    /* a grace period before it decides it is partitioned: max(2 s, tickTime) */
    if (!z->cfg.readonly_mode || z->ro || z->ro_timer) return;
    uint64_t ms = z->cfg.tick_ms > 2000 ? z->cfg.tick_ms : 2000;
    z->ro_timer = sim_timer(z->s, z->node, ms * 1000, ro_start, 0);
}

void zk_ro_stop(zk_server *z)
{
    if (z->ro_timer) sim_cancel(z->s, z->ro_timer);
    z->ro_timer = 0;
    if (!z->ro) return;
    z->ro = false;
    /* ReadOnlyZooKeeperServer.shutdown: closeAllConnections */
    zk_serve_close_all(z);
    trace_emit(sim_trace(z->s), TR_NOTE, z->node, -1, 0, 0,
               "Read-only server stopped: its clients' connections closed");
}
