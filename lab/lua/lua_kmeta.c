/* lua_kmeta: what the Lua API reads of KRaft mode's metadata:
 * lab.metadata_log(n), the last n committed records of __cluster_metadata
 * in Kafka's names (lab.quorum, the Raft side, is in lua_kraft.c). */
#include "lua_int.h"
#include "kctl_ctrl.h"
#include "raft_quorum.h"
#include "kafka_world.h"
#include "kafka_broker.h"

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

static int log_holder_index(cluster *c, const kctl_ctrl *k)
{
    raft_quorum *q = cluster_quorum(c);
    for (int i = 0; i < raft_quorum_size(q); i++)
        if (cluster_ctl(c, i) == k) return i;
    return 0;
}

/* lab.metadata_log(n): { { offset = 12, name = "FenceBrokerRecord",
 * text = "FenceBrokerRecord(id=101, epoch=3)" }, ... }, oldest first;
 * n defaults to 10. Control records (LeaderChangeMessage) are Raft's and
 * not listed. Its log_start_offset says where the log now starts (records
 * before it are in the snapshot, its `snapshot` = { end_offset, epoch }). */
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
    /* the log may start past a snapshot: records before it are gone */
    raft_info ri;
    raft_info_get(raft_quorum_raft(cluster_quorum(c), log_holder_index(c, k)), &ri);
    lua_pushinteger(L, ri.log_start);
    lua_setfield(L, -2, "log_start_offset");
    if (ri.snapshot_end >= 0) {
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, ri.snapshot_end);
        lua_setfield(L, -2, "end_offset");
        lua_pushinteger(L, ri.snapshot_epoch);
        lua_setfield(L, -2, "epoch");
        lua_setfield(L, -2, "snapshot");
    }
    /* walk back from the end for n records, then list them in order */
    int64_t off = kctl_ctrl_committed(k), from = off + 1;
    kmeta_rec rec;
    for (lua_Integer got = 0; off >= ri.log_start && got < n; off--)
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

/* The image a node holds: a controller's committed one, a broker's. */
static const kmeta_image *image_of(cluster *c, int node)
{
    raft_quorum *q = cluster_quorum(c);
    int i = raft_quorum_index(q, node);
    if (i >= 0) return kctl_ctrl_image(cluster_ctl(c, i));
    kafka_world *kw = cluster_kafka(c);
    for (int k = 0; k < kafka_world_count(kw); k++) {
        kafka_broker *b = kafka_world_broker(kw, k);
        if (kafka_broker_node(b) == node) return kafka_broker_kraft_image(b);
    }
    return NULL;
}

/* lab.metadata_image(node): { offset = 57, records = { "RegisterBrokerRecord(...)",
 * ... } }: the node's metadata image written as the records a snapshot
 * of it holds (brokers, then topics with their partitions, then topic
 * configs), and the offset of the last record it applied. */
int lab_l_metadata_image(lua_State *L)
{
    cluster *c = lab_world(L);
    int node = lab_check_node(L, 1);
    if (!cluster_quorum(c))
        return luaL_error(L, "lab.metadata_image: a KRaft world has it: "
                          "lab.cluster{ mode = \"kraft\" }");
    const kmeta_image *img = image_of(c, node);
    if (!img) return luaL_argerror(L, 1, "a controller or a broker");
    wbuf w;
    wbuf_init(&w);
    kmeta_image_write(img, &w);
    rbuf in = rbuf_of(w.data, w.len);
    uint32_t n = r_u32(&in);
    lua_createtable(L, 0, 2);
    lua_pushinteger(L, kmeta_image_offset(img));
    lua_setfield(L, -2, "offset");
    lua_createtable(L, (int)n, 0);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *d;
        size_t dl = r_bytes(&in, &d);
        kmeta_rec rec;
        char text[512];
        if (in.bad || !kmeta_rec_decode(d, dl, &rec)) break;
        kmeta_rec_describe(&rec, text, sizeof text);
        lua_pushstring(L, text);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    wbuf_free(&w);
    lua_setfield(L, -2, "records");
    return 1;
}
