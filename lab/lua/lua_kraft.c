/* lua_kraft: lab.quorum(), the KRaft controller quorum as a learner reads
 * it (what kafka-metadata-quorum.sh describe --status and --replication
 * show): the leader, its epoch and high watermark, and each voter's
 * state, log end offset, lag behind the leader, log start offset and
 * latest snapshot. */
#include "lua_int.h"
#include "cluster.h"

#include <stdio.h>

static void push_voter(lua_State *L, cluster *w, const raft_voter_info *v)
{
    lua_createtable(L, 0, 12);
    set_str(L, "name", v->name);
    set_int(L, "id", v->r.node_id);
    set_str(L, "state", raft_state_name(v->r.state));
    set_int(L, "epoch", v->r.epoch);
    set_bool(L, "up", v->r.state != RAFT_DOWN);
    set_bool(L, "paused", v->paused);
    set_bool(L, "isolated", cluster_cut_off(w, v->r.node));
    if (v->r.leader_id >= 0) set_int(L, "leader_id", v->r.leader_id);
    if (v->r.voted_id >= 0) set_int(L, "voted_id", v->r.voted_id);
    set_int(L, "log_end_offset", v->r.log_end);
    set_int(L, "last_epoch", v->r.last_epoch);
    set_int(L, "high_watermark", v->r.high_watermark);
    if (v->lag >= 0) set_int(L, "lag", v->lag);
    /* snapshots (KIP-630): where the log now starts, the latest snapshot's
     * id (end offset and epoch, as its file is named), a download */
    set_int(L, "log_start_offset", v->r.log_start);
    set_int(L, "snapshots", v->r.nsnapshots);
    if (v->r.snapshot_end >= 0) {
        lua_createtable(L, 0, 2);
        set_int(L, "end_offset", v->r.snapshot_end);
        set_int(L, "epoch", v->r.snapshot_epoch);
        lua_setfield(L, -2, "snapshot");
    }
    set_bool(L, "fetching_snapshot", v->r.fetching_snapshot);
}

/* lab.quorum(): nil in a ZooKeeper-mode world. */
static int l_quorum(lua_State *L)
{
    cluster *w = lab_world(L);
    raft_quorum *q = cluster_quorum(w);
    if (!q) {
        lua_pushnil(L);
        return 1;
    }
    raft_quorum_info qi;
    raft_quorum_info_get(q, &qi);
    lua_createtable(L, 0, 8);
    if (qi.leader_id >= 0) {
        set_int(L, "leader_id", qi.leader_id);
        for (int i = 0; i < qi.size; i++)
            if (qi.voters[i].r.node_id == qi.leader_id) set_str(L, "leader", qi.voters[i].name);
    }
    set_int(L, "epoch", qi.epoch);
    set_int(L, "high_watermark", qi.high_watermark);
    set_int(L, "size", qi.size);
    set_int(L, "quorum", qi.size / 2 + 1);
    set_int(L, "up", qi.up);
    lua_createtable(L, qi.size, 0);
    for (int i = 0; i < qi.size; i++) {
        push_voter(L, w, &qi.voters[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "voters");
    return 1;
}

void lab_kraft_open(lua_State *L)
{
    lua_pushcfunction(L, l_quorum);
    lua_setfield(L, -2, "quorum");
    lua_pushcfunction(L, lab_l_metadata_image);
    lua_setfield(L, -2, "metadata_image");
}
