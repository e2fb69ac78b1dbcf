/* lua_kmeta: what the Lua API reads of KRaft mode's metadata:
 * lab.metadata_log(n), the last n committed records of __cluster_metadata
 * in Kafka's names (lab.quorum, the Raft side, is in lua_kraft.c). */
#include "lua_int.h"
#include "kctl_ctrl.h"
#include "raft_quorum.h"

/* The controller whose committed log reaches furthest among the running
 * ones (every controller holds the log; the active one is ahead). */
static kctl_ctrl *log_holder(cluster *c)
{
    raft_quorum *q = cluster_quorum(c);
    kctl_ctrl *best = NULL;
    for (int i = 0; q && i < raft_quorum_size(q); i++) {
        kctl_ctrl *k = cluster_ctl(c, i);
        if (sim_node_status(cluster_sim(c), raft_quorum_nodes(q)[i]) == NODE_DOWN) continue;
        if (!best || kctl_ctrl_committed(k) > kctl_ctrl_committed(best)) best = k;
    }
    return best;
}

/* lab.metadata_log(n): { { offset = 12, name = "FenceBrokerRecord",
 * text = "FenceBrokerRecord(id=101, epoch=3)" }, ... }, oldest first;
 * n defaults to 10. Control records (LeaderChangeMessage) are Raft's and
 * not listed. */
int lab_l_metadata_log(lua_State *L)
{
    cluster *c = lab_world(L);
    lua_Integer n = luaL_optinteger(L, 1, 10);
    luaL_argcheck(L, n >= 0 && n <= 100000, 1, "0 to 100000 records");
    if (!cluster_quorum(c))
        return luaL_error(L, "lab.metadata_log: a KRaft world has it: "
                          "lab.cluster{ mode = \"kraft\" }");
    kctl_ctrl *k = log_holder(c);
    lua_newtable(L);
    if (!k) return 1;
    /* walk back from the end for n records, then list them in order */
    int64_t off = kctl_ctrl_committed(k), from = off + 1;
    kmeta_rec rec;
    for (lua_Integer got = 0; off >= 0 && got < n; off--)
        if (kctl_ctrl_record(k, off, &rec)) {
            from = off;
            got++;
        }
    int i = 0;
    for (off = from; off <= kctl_ctrl_committed(k); off++) {
        if (!kctl_ctrl_record(k, off, &rec)) continue;
        char text[512];
        kmeta_rec_describe(&rec, text, sizeof text);
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, off);
        lua_setfield(L, -2, "offset");
        lua_pushstring(L, kmeta_type_name(rec.type));
        lua_setfield(L, -2, "name");
        lua_pushstring(L, text);
        lua_setfield(L, -2, "text");
        lua_rawseti(L, -2, ++i);
    }
    return 1;
}
