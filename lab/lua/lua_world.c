/* lua_world: the `lab` functions that build the world, run it, break it
 * and report on it: lab.cluster, now, run, run_until, the faults,
 * lab.ensemble, lab.say and lab.check. Sessions live in lua_zk.c. */
#include "lua_int.h"
#include "util.h"
#include "ko.h"

#include <math.h>
#include <string.h>

/* Every module that adds functions to `lab`, in order. */
static const lab_module_fn lab_modules[] = {
    lab_zk_open,
    lab_kafka_open,
    lab_teach_open,
    lab_msgs_open,
    lab_addbroker_open,
    lab_kraft_open,
    lab_plot_open,
};

/* --- lab.cluster --- */

/* An optional integer field of the table at idx, already checked. */
static lua_Integer int_field(lua_State *L, int idx, const char *key, lua_Integer def)
{
    lua_getfield(L, idx, key);
    lua_Integer v = lua_isnil(L, -1) ? def : lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* The ensemble's settings under ZooKeeper's own names, and where each goes
 * in zk_config (every one a uint32_t): zk_keys[i] lands at zk_offs[i]. */
static const lab_key zk_keys[] = {
    LAB_INT("tickTime", 1, 600000),
    LAB_INT("initLimit", 1, 1000),
    LAB_INT("syncLimit", 1, 1000),
    LAB_INT("finalizeWait", 0, 600000),
    LAB_INT("maxNotificationInterval", 1, 3600000),
    LAB_INT("minSessionTimeout", 0, 86400000),
    LAB_INT("maxSessionTimeout", 0, 86400000),
    LAB_INT("snapCount", 2, 100000000),
    LAB_INT("readonlymode", 0, 1),      /* the readonlymode.enabled property */
    LAB_END,
};

static const size_t zk_offs[] = {
    offsetof(zk_config, tick_ms), offsetof(zk_config, init_limit),
    offsetof(zk_config, sync_limit), offsetof(zk_config, finalize_wait_ms),
    offsetof(zk_config, max_notify_ms), offsetof(zk_config, min_session_ms),
    offsetof(zk_config, max_session_ms), offsetof(zk_config, snap_count),
    offsetof(zk_config, readonly_mode),
};

_Static_assert(QL_ARRAY_LEN(zk_offs) + 1 == QL_ARRAY_LEN(zk_keys),
               "every ZooKeeper setting has its place in zk_config");

/* KRaft's quorum.* settings (QuorumConfig) and where each goes in
 * raft_config (every one a uint32_t), as zk_keys and zk_offs. */
static const lab_key raft_keys[] = {
    LAB_INT("quorum.election.timeout.ms", 1, 600000),
    LAB_INT("quorum.election.backoff.max.ms", 1, 600000),
    LAB_INT("quorum.fetch.timeout.ms", 1, 600000),
    LAB_INT("quorum.request.timeout.ms", 1, 600000),
    LAB_INT("quorum.retry.backoff.ms", 0, 600000),
    LAB_END,
};

static const size_t raft_offs[] = {
    offsetof(raft_config, election_timeout_ms), offsetof(raft_config, election_backoff_max_ms),
    offsetof(raft_config, fetch_timeout_ms), offsetof(raft_config, request_timeout_ms),
    offsetof(raft_config, retry_backoff_ms),
};

_Static_assert(QL_ARRAY_LEN(raft_offs) + 1 == QL_ARRAY_LEN(raft_keys),
               "every quorum.* setting has its place in raft_config");

/* KRaft's snapshot settings (KafkaConfig's metadata.*: SnapshotGenerator
 * and KafkaMetadataLog read them), int64_t fields of raft_config; the
 * controllers and the brokers' observers take them alike. */
static const lab_key snap_keys[] = {
    LAB_INT("metadata.log.max.record.bytes.between.snapshots", 1, INT64_MAX),
    LAB_INT("metadata.log.max.snapshot.interval.ms", 0, INT64_MAX),
    LAB_INT("metadata.max.retention.bytes", -1, INT64_MAX),
    LAB_INT("metadata.max.retention.ms", -1, INT64_MAX),
    LAB_END,
};

static const size_t snap_offs[] = {
    offsetof(raft_config, snapshot_max_new_record_bytes),
    offsetof(raft_config, snapshot_max_interval_ms),
    offsetof(raft_config, max_retention_bytes), offsetof(raft_config, max_retention_ms),
};

_Static_assert(QL_ARRAY_LEN(snap_offs) + 1 == QL_ARRAY_LEN(snap_keys),
               "every metadata.* snapshot setting has its place in raft_config");

/* lab.cluster's config: the ensemble's settings, Kafka's broker ones and
 * the KRaft quorum's. */
static const lab_keys cluster_config_keys = {
    "lab.cluster config", "setting",
    { zk_keys, lab_kafka_broker_keys, raft_keys, snap_keys },
};

static const char *const mode_choices[] = { "zookeeper", "kraft", NULL };

static const lab_key cluster_key_list[] = {
    LAB_ENUM("mode", mode_choices),
    LAB_INT("controllers", 1, RAFT_VOTERS_MAX),
    LAB_INT("zookeepers", 1, CLUSTER_ZK_MAX),
    LAB_INT("brokers", 0, 100000),
    LAB_INT("seed", LUA_MININTEGER, LUA_MAXINTEGER),
    LAB_TABLE("config", &cluster_config_keys),
    LAB_TABLE("racks", NULL),
    LAB_TABLE("broker_ids", NULL),
    LAB_INT("memory_mb", 1, 1 << 20),   /* lowers the heap budget (--mem-max) */
    LAB_END,
};

static const lab_keys cluster_keys = { "lab.cluster", "field", { cluster_key_list } };

static void read_zk_config(lua_State *L, int idx, zk_config *z)
{
    for (size_t i = 0; i < QL_ARRAY_LEN(zk_offs); i++) {
        uint32_t *f = (uint32_t *)((char *)z + zk_offs[i]);
        *f = (uint32_t)int_field(L, idx, zk_keys[i].name, *f);
    }
}

static void read_raft_config(lua_State *L, int idx, raft_config *r)
{
    for (size_t i = 0; i < QL_ARRAY_LEN(raft_offs); i++) {
        uint32_t *f = (uint32_t *)((char *)r + raft_offs[i]);
        *f = (uint32_t)int_field(L, idx, raft_keys[i].name, *f);
    }
    for (size_t i = 0; i < QL_ARRAY_LEN(snap_offs); i++) {
        int64_t *f = (int64_t *)((char *)r + snap_offs[i]);
        *f = (int64_t)int_field(L, idx, snap_keys[i].name, *f);
    }
}

/* Settings that mean something in one mode only: the other mode's world
 * would ignore them, so naming one there is a mistake to report, not to
 * pass over (a learner setting zookeeper.session.timeout.ms in a KRaft
 * world expects it to change how fast a broker is fenced). */
static const char *const zk_only[] = {
    "zookeepers", "zookeeper.session.timeout.ms", "zookeeper.max.in.flight.requests", NULL,
};
static const char *const kraft_only[] = {
    "controllers", "broker.heartbeat.interval.ms", "broker.session.timeout.ms", NULL,
};

static bool is_zk_only(const char *name)
{
    for (size_t i = 0; zk_keys[i].name; i++)
        if (strcmp(name, zk_keys[i].name) == 0) return true;
    for (size_t i = 0; zk_only[i]; i++)
        if (strcmp(name, zk_only[i]) == 0) return true;
    return false;
}

static bool is_kraft_only(const char *name)
{
    for (size_t i = 0; raft_keys[i].name; i++)
        if (strcmp(name, raft_keys[i].name) == 0) return true;
    for (size_t i = 0; snap_keys[i].name; i++)
        if (strcmp(name, snap_keys[i].name) == 0) return true;
    for (size_t i = 0; kraft_only[i]; i++)
        if (strcmp(name, kraft_only[i]) == 0) return true;
    return false;
}

/* The first key of the table at idx (in a fixed order: the lists') that
 * belongs to the other mode, NULL none. */
static const char *other_mode_key(lua_State *L, int idx, bool kraft, bool *in_config)
{
    const lab_key *lists[] = { cluster_key_list, zk_keys, lab_kafka_broker_keys,
                               raft_keys, snap_keys };
    lua_getfield(L, idx, "config");
    int conf = lua_istable(L, -1) ? lua_gettop(L) : 0;
    const char *hit = NULL;
    for (size_t l = 0; l < QL_ARRAY_LEN(lists) && !hit; l++)
        for (const lab_key *k = lists[l]; k->name && !hit; k++) {
            if (!(kraft ? is_zk_only(k->name) : is_kraft_only(k->name))) continue;
            int where = l == 0 ? idx : conf;
            if (!where) continue;
            lua_getfield(L, where, k->name);
            if (!lua_isnil(L, -1)) hit = k->name, *in_config = l > 0;
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    return hit;
}

static void check_mode_keys(lua_State *L, int idx, const lab_keys *keys, bool kraft)
{
    bool conf = false;
    const char *k = other_mode_key(L, idx, kraft, &conf);
    if (!k) return;
    const char *what = lua_pushfstring(L, "%s%s", keys->what, conf ? " config" : "");
    if (kraft && strcmp(k, "zookeeper.session.timeout.ms") == 0)
        luaL_error(L, "%s: zookeeper.session.timeout.ms is a ZooKeeper-mode setting; in "
                   "mode = \"kraft\" the controller fences a broker after "
                   "broker.session.timeout.ms (9000)", what);
    if (kraft)
        luaL_error(L, "%s: %s is for ZooKeeper mode; this world is mode = \"kraft\" "
                   "(it has controllers, no ensemble)", what, k);
    luaL_error(L, "%s: %s is for KRaft mode: add mode = \"kraft\" (this world is "
               "ZooKeeper mode)", what, k);
}

/* The world the table at idx describes (checked against lab.cluster's
 * fields, `what` naming it in errors). */
static void config_from(lua_State *L, int idx, const lab_keys *keys, cluster_config *cfg)
{
    lab_lua *ctx = lab_ctx(L);
    lab_check_table(L, idx, keys);
    cluster_config_defaults(cfg);
    cfg->zookeepers = (int)int_field(L, idx, "zookeepers", 3);
    lua_getfield(L, idx, "mode");
    const char *mode = lua_tostring(L, -1);
    if (mode && strcmp(mode, "kraft") == 0) cfg->mode = CLUSTER_KRAFT;
    lua_pop(L, 1);
    check_mode_keys(L, idx, keys, cfg->mode == CLUSTER_KRAFT);
    cfg->controllers = (int)int_field(L, idx, "controllers", 3);
    cfg->brokers = (int)int_field(L, idx, "brokers", 0);
    cfg->seed = (uint64_t)int_field(L, idx, "seed", 1);
    if (ctx->o.seed_set) cfg->seed = ctx->o.seed;   /* --seed wins */
    lua_getfield(L, idx, "config");
    if (!lua_isnil(L, -1)) read_zk_config(L, lua_gettop(L), &cfg->zk);
    if (!lua_isnil(L, -1)) read_raft_config(L, lua_gettop(L), &cfg->raft);
    lua_pop(L, 1);
    lab_kafka_cluster_opts(L, idx, cfg);
    size_t cap = lab_world_mem_cap(ctx);
    size_t want = (size_t)int_field(L, idx, "memory_mb", 0) << 20;
    ctx->world_mem_max = want && want < cap ? want : cap;
}

/* The old world's step is over: its predictions are read on it, and the
 * screen keeps it until the learner has seen it. */
static void world_ends(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    if (!ctx->world) return;
    if (ctx->swapped) luaL_error(L, "a new world cannot be built inside lab.on");
    lab_settle_predictions(L);
    if (ctx->o.out.new_world) ctx->o.out.new_world(ctx->o.out.u);
}

static int l_cluster(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    if (lua_isnoneornil(L, 1)) lua_newtable(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    cluster_config cfg;
    config_from(L, 1, &cluster_keys, &cfg);
    char err[160];
    world_ends(L);
    if (lab_world_replace(ctx, &cfg, err, sizeof err))
        return luaL_error(L, "lab.cluster: %s", err);
    return 0;
}

/* --- lab.compare: two worlds side by side --- */

static const lab_keys compare_left_keys = { "lab.compare left", "field", { cluster_key_list } };
static const lab_keys compare_right_keys = { "lab.compare right", "field", { cluster_key_list } };

static const lab_key compare_key_list[] = {
    LAB_TABLE("left", &compare_left_keys),
    LAB_TABLE("right", &compare_right_keys),
    LAB_TABLE("labels", NULL),          /* { left text, right text } */
    LAB_END,
};

static const lab_keys compare_keys = { "lab.compare", "field", { compare_key_list } };

/* Label i (1 left, 2 right) of labels = { ..., ... }: text or {en, ko}. */
static void read_label(lua_State *L, int labels, int i, char *out, size_t cap,
                       const char *def)
{
    out[0] = '\0';
    if (labels) {
        lua_geti(L, labels, i);
        int top = lua_gettop(L);
        if (!lua_isnil(L, top)) {
            const char *t = lab_localized(L, top, NULL);
            if (t) snprintf(out, cap, "%s", t);
        }
        lua_settop(L, top - 1);
    }
    if (!out[0]) snprintf(out, cap, "%s", def);
}

static int l_compare(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &compare_keys);
    cluster_config cfg[2];
    static const char *const side[] = { "left", "right" };
    for (int i = 0; i < 2; i++) {
        lua_getfield(L, 1, side[i]);
        if (lua_isnil(L, 2))
            return luaL_error(L, "lab.compare needs both left = { ... } and right = { ... }");
        config_from(L, 2, i ? &compare_right_keys : &compare_left_keys, &cfg[i]);
        lua_pop(L, 1);
    }
    lua_getfield(L, 1, "labels");
    int labels = lua_istable(L, 2) ? 2 : 0;
    char lab[2][64];
    read_label(L, labels, 1, lab[0], sizeof lab[0], "left");
    read_label(L, labels, 2, lab[1], sizeof lab[1], "right");
    char err[160];
    world_ends(L);
    if (lab_world_replace(ctx, &cfg[0], err, sizeof err))
        return luaL_error(L, "lab.compare left: %s", err);
    if (lab_world_twin(ctx, &cfg[1], err, sizeof err))
        return luaL_error(L, "lab.compare right: %s", err);
    memcpy(ctx->labels, lab, sizeof lab);
    return 0;
}

/* lab.on("left" | "right", fn): fn runs with that world current (what
 * lab.ensemble, lab.leader, lab.partition... read); its results are
 * returned. Faults inside still reach both worlds. */
static int l_on(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    static const char *const sides[] = { "left", "right", NULL };
    int side = luaL_checkoption(L, 1, NULL, sides);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    if (!ctx->twin) return luaL_error(L, "lab.on: no lab.compare{} worlds to choose from");
    if (ctx->swapped) return luaL_error(L, "lab.on cannot be nested");
    lua_settop(L, 2);
    bool swap = side == 1;
    if (swap) {
        cluster *w = ctx->world;
        ctx->world = ctx->twin;
        ctx->twin = w;
        ctx->swapped = true;
    }
    int base = lua_gettop(L) - 1;
    int rc = lua_pcall(L, 0, LUA_MULTRET, 0);
    if (ctx->swapped) {         /* (a world_free inside already swapped back) */
        cluster *w = ctx->world;
        ctx->world = ctx->twin;
        ctx->twin = w;
        ctx->swapped = false;
    }
    if (rc != LUA_OK) return lua_error(L);
    return lua_gettop(L) - base;
}

/* --- time --- */

static int l_now(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    lua_Integer ms = ctx->world ? (lua_Integer)(sim_now_us(cluster_sim(ctx->world)) / 1000) : 0;
    lua_pushinteger(L, ms);
    return 1;
}

/* A duration argument in ms (fractions allowed) as microseconds. */
static uint64_t check_ms(lua_State *L, int arg)
{
    lua_Number ms = luaL_checknumber(L, arg);
    luaL_argcheck(L, ms >= 0 && ms <= (lua_Number)LAB_SIM_MAX_MS, arg,
                  "milliseconds must be from 0 to a week");
    return (uint64_t)(ms * 1000 + 0.5);
}

static int l_run(lua_State *L)
{
    uint64_t d = check_ms(L, 1);
    sim *s = cluster_sim(lab_world(L));
    lab_advance(L, sim_now_us(s) + d, NULL, NULL);
    return 0;
}

static bool call_cond(lua_State *L, void *u)
{
    (void)u;
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    bool r = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return r;
}

static int l_run_until(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    uint64_t d = check_ms(L, 2);
    lua_settop(L, 2);
    sim *s = cluster_sim(lab_world(L));
    lua_pushboolean(L, lab_advance(L, sim_now_us(s) + d, call_cond, NULL));
    return 1;
}

/* --- faults --- */

static int l_kill(lua_State *L)
{
    cluster_kill(lab_world(L), lab_check_node(L, 1));
    return 0;
}

static int l_restart(lua_State *L)
{
    cluster_restart(lab_world(L), lab_check_node(L, 1));
    return 0;
}

static int l_pause(lua_State *L)
{
    int node = lab_check_node(L, 1);
    uint64_t us = lua_isnoneornil(L, 2) ? 0 : check_ms(L, 2);
    luaL_argcheck(L, lua_isnoneornil(L, 2) || us > 0, 2, "a pause lasts more than 0 ms");
    cluster_pause(lab_world(L), node, us);
    return 0;
}

static int l_resume(lua_State *L)
{
    cluster_resume(lab_world(L), lab_check_node(L, 1));
    return 0;
}

static int l_isolate(lua_State *L)
{
    cluster_isolate(lab_world(L), lab_check_node(L, 1));
    return 0;
}

/* Reads a list of nodes (argument arg) into out; returns how many. */
static int node_list(lua_State *L, int arg, int *out, int cap)
{
    luaL_checktype(L, arg, LUA_TTABLE);
    lua_Integer n = luaL_len(L, arg);
    luaL_argcheck(L, n >= 1 && n <= cap, arg, "a list of 1 or more nodes expected");
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, arg, i);
        out[i - 1] = lab_node_value(L, -1, arg);
        lua_pop(L, 1);
    }
    return (int)n;
}

static int l_split(lua_State *L)
{
    cluster *w = lab_world(L);
    int cap = sim_node_count(cluster_sim(w));
    int *a = lua_newuserdatauv(L, 2 * (size_t)cap * sizeof *a, 0);
    int *b = a + cap;
    int na = node_list(L, 1, a, cap), nb = node_list(L, 2, b, cap);
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++)
            if (a[i] == b[j])
                return luaL_error(L, "lab.split: %s is on both sides",
                                  sim_node_name(cluster_sim(w), a[i]));
    cluster_split(w, a, na, b, nb);
    return 0;
}

static int l_heal(lua_State *L)
{
    cluster_heal(lab_world(L));
    return 0;
}

static const lab_key listen_key_list[] = {
    LAB_INT("zk_port", 1, 65535),
    LAB_INT("kafka_port", 1, 65535),
    LAB_STR("addr"),
    LAB_END,
};

static const lab_keys listen_keys = { "lab.listen", "field", { listen_key_list } };

/* lab.listen{ zk_port = 2181, kafka_port = 9092, addr = "127.0.0.1" }:
 * real clients may connect to the ensemble's servers, zk1 on zk_port, zk2
 * on the next..., and to the brokers, the first on kafka_port... (in
 * KRaft mode to the brokers only) */
static int l_listen(lua_State *L)
{
    cluster *w = lab_world(L);
    lab_lua *ctx = lab_ctx(L);
    if (lua_isnoneornil(L, 1)) lua_newtable(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &listen_keys);
    lua_getfield(L, 1, "zk_port");
    /* as lab.cluster refuses the other mode's settings: a port for a
     * ZooKeeper a KRaft world does not have would silently do nothing */
    if (!lua_isnil(L, 2) && cluster_quorum(w))
        return luaL_error(L, "lab.listen: zk_port is ZooKeeper mode's: a KRaft world has no "
                             "ZooKeeper (real clients reach its brokers, on kafka_port)");
    int port = (int)luaL_optinteger(L, 2, 2181);
    lua_getfield(L, 1, "addr");
    const char *addr = luaL_optstring(L, 3, NULL);
    lua_getfield(L, 1, "kafka_port");
    int kport = (int)luaL_optinteger(L, 4, 9092);
    if (!ctx->o.live.listen)
        return luaL_error(L, "lab.listen: this run cannot listen (the headless runner "
                             "and the dashboard can; a unit test cannot)");
    char err[200];
    if (!ctx->o.live.listen(ctx->o.live.u, w, addr, port, kport, err, sizeof err))
        return luaL_error(L, "lab.listen: %s", err);
    return 0;
}

static const lab_key link_key_list[] = {
    LAB_ANY("from"), LAB_ANY("to"),       /* nodes: lab_node_value checks */
    LAB_ANY("nodes"),                     /* or a list of them: all pairs */
    LAB_NUM("drop", 0, 1),
    LAB_ANY("delay_ms"),                     /* ms, or { lo, hi }: checked below */
    LAB_BOOL("both"),
    LAB_END,
};

static const lab_keys link_keys = { "lab.link", "field", { link_key_list } };

/* lab.link{ nodes = {...} }'s nodes, at stack index idx, into out (two
 * to 64, each once). */
static int link_nodes(lua_State *L, int idx, int *out, int cap)
{
    luaL_argcheck(L, lua_istable(L, idx), 1, "nodes must be a list of nodes, e.g. { \"zk1\", \"zk2\" }");
    lua_Integer n = luaL_len(L, idx);
    luaL_argcheck(L, n >= 2, 1, "nodes needs at least two nodes");
    luaL_argcheck(L, n <= cap, 1, "nodes lists more nodes than a world has");
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, idx, i);
        out[i - 1] = lab_node_value(L, lua_gettop(L), 1);
        lua_pop(L, 1);
        for (lua_Integer k = 1; k < i; k++)
            if (out[k - 1] == out[i - 1])
                return luaL_error(L, "lab.link: nodes names %s twice",
                                  sim_node_name(cluster_sim(lab_world(L)), out[i - 1]));
    }
    return (int)n;
}

static int l_link(lua_State *L)
{
    cluster *w = lab_world(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &link_keys);
    lua_getfield(L, 1, "from");
    lua_getfield(L, 1, "to");
    lua_getfield(L, 1, "nodes");
    bool all = !lua_isnil(L, 4);
    int from = -1, to = -1, nodes[64], n = 0;
    if (all) {
        if (!lua_isnil(L, 2) || !lua_isnil(L, 3))
            return luaL_error(L, "lab.link: give either from and to (one link) or nodes "
                                 "(every link among them), not both");
        n = link_nodes(L, 4, nodes, (int)QL_ARRAY_LEN(nodes));
    } else {
        from = lab_node_value(L, 2, 1);
        to = lab_node_value(L, 3, 1);
        luaL_argcheck(L, from != to, 1, "from and to are the same node");
    }
    lua_settop(L, 1);
    lua_getfield(L, 1, "drop");
    lua_Number drop = luaL_optnumber(L, 2, 0);
    luaL_argcheck(L, drop >= 0 && drop <= 1, 1, "drop must be a ratio from 0 to 1");
    uint32_t ppm = (uint32_t)(drop * NET_PPM + 0.5);
    /* a delay not given stays as it was, each link's own */
    link_cfg cur = net_link(sim_net(cluster_sim(w)), all ? nodes[0] : from, all ? nodes[1] : to);
    uint64_t lo = cur.delay_lo_us, hi = cur.delay_hi_us;
    lua_getfield(L, 1, "delay_ms");
    bool set_delay = !lua_isnil(L, 3);
    if (lua_isnumber(L, 3)) {
        lo = hi = check_ms(L, 3);
    } else if (lua_istable(L, 3)) {
        lua_geti(L, 3, 1);
        lua_geti(L, 3, 2);
        lo = check_ms(L, 4);
        hi = check_ms(L, 5);
        luaL_argcheck(L, lo <= hi, 1, "delay_ms = { lo, hi } needs lo <= hi");
    } else if (!lua_isnil(L, 3)) {
        luaL_argerror(L, 1, "delay_ms must be a number or { lo, hi }");
    }
    lua_getfield(L, 1, "both");
    bool both = lab_to_bool(L, -1);
    if (all) {
        if (!lua_isnil(L, -1))
            return luaL_error(L, "lab.link: both is for from and to; nodes sets every link both ways");
        cluster_link_all(w, nodes, n, ppm, set_delay, lo, hi);
        return 0;
    }
    cluster_link(w, from, to, ppm, lo, hi);
    if (both) cluster_link(w, to, from, ppm, lo, hi);
    return 0;
}

/* --- reports --- */

static void push_server(lua_State *L, cluster *w, const zk_server_info *si)
{
    sim *s = cluster_sim(w);
    lua_createtable(L, 0, 12);
    set_str(L, "name", sim_node_name(s, si->node));
    set_int(L, "sid", si->sid);
    set_str(L, "state", zk_state_name(si->state));
    set_int(L, "zxid", (lua_Integer)si->last_zxid);
    set_int(L, "epoch", si->epoch);
    set_bool(L, "up", si->state != ZK_DOWN);
    set_bool(L, "paused", si->paused);
    set_bool(L, "isolated", cluster_cut_off(w, si->node));
    set_bool(L, "serving", si->serving);
    set_bool(L, "readonly", si->readonly);
    set_str(L, "zab", zk_zab_state_name(si->zab));
    if (si->leader_sid > 0) {
        char name[16];
        snprintf(name, sizeof name, "zk%d", si->leader_sid);
        set_str(L, "leader", name);
    }
    set_int(L, "sessions", si->sessions);
    set_int(L, "connections", si->connections);
    /* how its tree was last set: at start from its own disk, then by its
     * leader (LearnerHandler.syncFollower's choice) */
    static const char *const how[] = { [TSYNC_LOAD] = "LOAD", [TSYNC_DIFF] = "DIFF",
                                       [TSYNC_TRUNC] = "TRUNC", [TSYNC_SNAP] = "SNAP" };
    if (si->sync_how >= TSYNC_LOAD && si->sync_how <= TSYNC_SNAP)
        set_str(L, "sync", how[si->sync_how]);
}

static int l_ensemble(lua_State *L)
{
    cluster *w = lab_world(L);
    if (cluster_quorum(w)) {            /* KRaft: no ensemble; lab.quorum() */
        lua_pushnil(L);
        return 1;
    }
    ensemble_info e;
    cluster_ensemble(w, &e);
    lua_createtable(L, 0, 8);
    if (e.leader_sid > 0) {
        char name[16];
        snprintf(name, sizeof name, "zk%d", e.leader_sid);
        set_str(L, "leader", name);
    }
    set_int(L, "epoch", e.epoch);
    set_int(L, "size", e.size);
    set_int(L, "quorum", e.quorum);
    set_int(L, "up", e.up);
    set_bool(L, "serving", e.serving);
    lua_createtable(L, e.size, 0);
    for (int i = 0; i < e.size; i++) {
        push_server(L, w, &e.servers[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "servers");
    return 1;
}

static int l_status(lua_State *L)
{
    int node = lab_check_node(L, 1);
    sim *s = cluster_sim(lab_world(L));
    static const char *const names[] = { "UP", "DOWN", "PAUSED" };
    lua_pushstring(L, names[sim_node_status(s, node)]);
    lua_pushboolean(L, sim_any_link_cut(s, node));
    return 2;
}

/* --- narration and checks --- */

static const lab_key text_key_list[] = {
    LAB_STR("en"), LAB_STR("ko"), LAB_END,
};

static const lab_keys text_keys = { "localized text", "language", { text_key_list } };

/* The text at stack index idx with its particle markers resolved ("102
 * 을(를)" becomes "102를": see ko.h), put in its place: the stack keeps
 * its depth, as callers count on. */
static const char *agreed(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    const char *text = lua_tostring(L, idx);
    if (!strchr(text, '(')) return text;
    size_t n = strlen(text);
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, n + 1);
    luaL_pushresultsize(&b, ko_resolve(text, p, n + 1));
    lua_replace(L, idx);
    return lua_tostring(L, idx);
}

/* The text at arg: a string (or number), or { en = ..., ko = ... } read in
 * the run's language, falling back to the other one. */
const char *lab_localized(lua_State *L, int arg, const char *def)
{
    lab_lua *ctx = lab_ctx(L);
    if (lua_isnoneornil(L, arg) && def) return def;
    if (lua_istable(L, arg)) {
        lab_check_table(L, arg, &text_keys);
        const char *other = strcmp(ctx->lang, "ko") == 0 ? "en" : "ko";
        lua_getfield(L, arg, ctx->lang);
        if (!lua_isstring(L, -1)) {
            lua_pop(L, 1);
            lua_getfield(L, arg, other);
        }
        luaL_argexpected(L, lua_isstring(L, -1), arg, "text, or { en = ..., ko = ... }");
        return agreed(L, -1);
    }
    luaL_checkstring(L, arg);
    return agreed(L, arg);
}

static int l_say(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    const char *text = lab_localized(L, 1, NULL);
    lab_settle_predictions(L);      /* the step that ends shows them */
    if (ctx->o.out.say) ctx->o.out.say(ctx->o.out.u, text);
    lab_emit_own(ctx, TR_NOTE, 0, text);
    return 0;
}

static int l_check(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    luaL_checkany(L, 1);
    bool ok = lua_toboolean(L, 1);
    const char *msg = lab_localized(L, 2, "check");
    lab_record_check(ctx, ok, msg);
    lua_pushboolean(L, ok);
    return 1;
}

void lab_record_check(lab_lua *ctx, bool ok, const char *msg)
{
    if (ok) ctx->passed++;
    else ctx->failed++;
    if (ctx->o.out.check) ctx->o.out.check(ctx->o.out.u, ok, msg);
    lab_emit_own(ctx, TR_CHECK, ok, msg);
}

static int l_lang(lua_State *L)
{
    lua_pushstring(L, lab_ctx(L)->lang);
    return 1;
}

static int l_seed(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)lab_ctx(L)->seed);
    return 1;
}

static const luaL_Reg lab_funcs[] = {
    { "cluster", l_cluster },
    { "compare", l_compare },
    { "on", l_on },
    { "now", l_now },
    { "run", l_run },
    { "run_until", l_run_until },
    { "kill", l_kill },
    { "restart", l_restart },
    { "pause", l_pause },
    { "resume", l_resume },
    { "isolate", l_isolate },
    { "split", l_split },
    { "heal", l_heal },
    { "link", l_link },
    { "listen", l_listen },
    { "ensemble", l_ensemble },
    { "status", l_status },
    { "say", l_say },
    { "check", l_check },
    { "lang", l_lang },
    { "seed", l_seed },
    { NULL, NULL },
};

int lab_open(lua_State *L)
{
    luaL_newlib(L, lab_funcs);
    for (size_t i = 0; i < QL_ARRAY_LEN(lab_modules); i++)
        lab_modules[i](L);
    return 1;
}
