/* lua_kafka: the Kafka part of the `lab` module: brokers, controller,
 * topics, partitions, clean stop, producers, consumers and the audit.
 * Blocking calls start one client operation and run the world until it
 * completes (lab_advance), so simulated time passes as it would. */
#include "lua_int.h"
#include "kafka_world.h"
#include "kctl_ctrl.h"
#include "raft_quorum.h"
#include "util.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KCLIENT_MT "quorumlab.kafka_client"
#define KAFKA_PARTITIONS_MAX 100000     /* per topic, a lab's bound */

typedef struct lclient {
    uint64_t gen;               /* world it belongs to */
    int node;                   /* its client process */
    const char *kind;           /* "producer" or "consumer" (static) */
} lclient;

static kafka_world *kw(lua_State *L)
{
    kafka_world *w = cluster_kafka(lab_world(L));
    if (!w) luaL_error(L, "this world has no brokers: lab.cluster{ brokers = N }");
    return w;
}

/* Broker settings under their server.properties names: what
 * kafka_config_set takes. Ranges are Kafka's validators where it has them
 * (min.insync.replicas at least 1) and what the lab's fields hold. */
const lab_key lab_kafka_broker_keys[] = {
    LAB_INT("zookeeper.session.timeout.ms", 1, INT32_MAX),
    LAB_INT("zookeeper.max.in.flight.requests", 1, INT32_MAX),
    LAB_INT("replica.lag.time.max.ms", 1, INT32_MAX),
    LAB_INT("replica.fetch.wait.max.ms", 0, INT32_MAX),
    LAB_INT("replica.fetch.backoff.ms", 0, INT32_MAX),
    LAB_INT("request.timeout.ms", 1, INT32_MAX),
    LAB_INT("controller.socket.timeout.ms", 1, INT32_MAX),
    LAB_INT("min.insync.replicas", 1, INT32_MAX),
    LAB_BOOL("unclean.leader.election.enable"),
    LAB_BOOL("auto.leader.rebalance.enable"),
    LAB_INT("leader.imbalance.check.interval.seconds", 1, UINT32_MAX / 1000),
    LAB_INT("leader.imbalance.per.broker.percentage", 0, 100),
    LAB_INT("message.max.bytes", 0, INT32_MAX),
    LAB_INT("controlled.shutdown.max.retries", 0, INT32_MAX),
    LAB_INT("controlled.shutdown.retry.backoff.ms", 0, INT32_MAX),
    LAB_INT("broker.heartbeat.interval.ms", 1, INT32_MAX),
    LAB_INT("broker.session.timeout.ms", 1, INT32_MAX),
    LAB_END,
};

static void read_broker_ids(lua_State *L, int idx, cluster_config *cfg)
{
    lab_check_list(L, idx, "lab.cluster broker_ids");
    int n = (int)luaL_len(L, idx);
    if (n > CLUSTER_BROKER_MAX)
        luaL_error(L, "lab.cluster: at most %d broker_ids, not %d", CLUSTER_BROKER_MAX, n);
    for (int i = 0; i < n; i++) {
        lua_geti(L, idx, i + 1);
        int ok;
        lua_Integer id = lua_tointegerx(L, -1, &ok);
        if (!ok || id < 0 || id > 32767)
            luaL_error(L, "lab.cluster: a broker id is 0 to 32767, not %s",
                       lab_quote_value(L, -1));
        cfg->broker_ids[i] = (int)id;
        lua_pop(L, 1);
    }
    if (cfg->brokers == 0) cfg->brokers = n;
}

static int broker_id(const cluster_config *cfg, int i)
{
    return cfg->broker_ids[i] ? cfg->broker_ids[i] : 101 + i;
}

/* racks = { [101] = "a", ... }: every key one of the cluster's brokers,
 * every value a rack name; the first offender in key order is named. */
static void read_racks(lua_State *L, int idx, cluster_config *cfg)
{
    for (int i = 0; i < cfg->brokers; i++) {
        lua_geti(L, idx, broker_id(cfg, i));
        if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "lab.cluster racks: the rack of %d must be a string, not %s",
                       broker_id(cfg, i), lab_quote_value(L, -1));
        if (lua_isstring(L, -1))
            snprintf(cfg->racks[i], sizeof cfg->racks[i], "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    int bad = lua_gettop(L) + 1;
    lua_pushnil(L);                     /* the smallest key that is no broker */
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        bool known = false;
        for (int i = 0; i < cfg->brokers && !known; i++)
            known = lua_isinteger(L, -1) && lua_tointeger(L, -1) == broker_id(cfg, i);
        if (!known && (lua_isnil(L, bad) || (lua_type(L, -1) == LUA_TNUMBER &&
                       (lua_type(L, bad) != LUA_TNUMBER || lua_compare(L, -1, bad, LUA_OPLT))))) {
            lua_pushvalue(L, -1);
            lua_replace(L, bad);
        }
    }
    if (!lua_isnil(L, bad) && cfg->brokers == 0)
        luaL_error(L, "lab.cluster racks: [%s] is not a broker: this cluster has none "
                   "(brokers = 3)", lab_quote_value(L, bad));
    if (!lua_isnil(L, bad))
        luaL_error(L, "lab.cluster racks: [%s] is not a broker of this cluster "
                   "(brokers %d..%d; racks = { [101] = \"a\" })", lab_quote_value(L, bad),
                   broker_id(cfg, 0), broker_id(cfg, cfg->brokers - 1));
    lua_pop(L, 1);
}

/* Reads racks, broker_ids and the Kafka settings (names with dots) of
 * lab.cluster's table at idx into cfg; lab_check_table has checked the
 * settings' names and values. */
void lab_kafka_cluster_opts(lua_State *L, int idx, cluster_config *cfg)
{
    lua_getfield(L, idx, "broker_ids");
    if (lua_istable(L, -1)) read_broker_ids(L, lua_gettop(L), cfg);
    lua_pop(L, 1);
    lua_getfield(L, idx, "racks");
    if (lua_istable(L, -1)) read_racks(L, lua_gettop(L), cfg);
    lua_pop(L, 1);
    lua_getfield(L, idx, "config");
    if (lua_istable(L, -1)) {
        for (const lab_key *k = lab_kafka_broker_keys; k->name; k++) {
            lua_getfield(L, -1, k->name);
            char v[32];
            if (k->kind == LK_BOOL) snprintf(v, sizeof v, "%s", lab_to_bool(L, -1) ? "true" : "false");
            else snprintf(v, sizeof v, "%lld", (long long)lua_tointeger(L, -1));
            if (!lua_isnil(L, -1) && !kafka_config_set(&cfg->kafka, k->name, v))
                luaL_error(L, "lab.cluster config: %s = %s not taken", k->name, v);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

static void push_ids(lua_State *L, const int32_t *ids, int n)
{
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        lua_pushinteger(L, ids[i]);
        lua_rawseti(L, -2, i + 1);
    }
}

/* Registered as the cluster knows it: its znode is there and the
 * controller has read it, so topic creation can place replicas on it. */
static bool known_registered(kafka_world *w, kafka_broker *ctrl,
                             const kafka_broker_info *bi)
{
    if (kafka_world_is_kraft(w))        /* KRaft: unfenced in the log */
        return bi->up && kafka_world_kraft_unfenced(w, bi->id);
    return bi->registered && ctrl && kafka_broker_ctrl_sees(ctrl, bi->id);
}

static kafka_broker *controller_broker(kafka_world *w)
{
    int ctrl = kafka_world_controller(w);
    return ctrl >= 0 ? kafka_world_by_id(w, ctrl) : NULL;
}

typedef struct wait_ctx { kafka_world *w; int want; } wait_ctx;

/* Asked after every instant of a wait: it stops counting once the rest
 * cannot make up want (with 300 brokers a full count each time was most
 * of lab.wait_brokers' time). */
static bool enough_registered(lua_State *L, void *u)
{
    (void)L;
    wait_ctx *c = u;
    kafka_broker *cb = controller_broker(c->w);
    int n = 0, total = kafka_world_count(c->w);
    for (int i = 0; i < total && n < c->want; i++) {
        if (n + (total - i) < c->want) return false;
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(c->w, i), &bi);
        n += known_registered(c->w, cb, &bi);
    }
    return n >= c->want;
}

/* lab.wait_brokers([n [, timeout_ms]]): runs until n brokers (default:
 * all) are registered and known to the controller; true, or false on
 * timeout. Scripts call it before creating topics. */
static int l_wait_brokers(lua_State *L)
{
    kafka_world *w = kw(L);
    wait_ctx c = { w, (int)luaL_optinteger(L, 1, kafka_world_count(w)) };
    lua_Integer ms = luaL_optinteger(L, 2, 60000);
    luaL_argcheck(L, c.want >= 0 && c.want <= kafka_world_count(w), 1,
                  "more brokers than the cluster has");
    luaL_argcheck(L, ms >= 0 && ms <= 86400000, 2, "timeout out of range");
    if (!enough_registered(L, &c))
        lab_advance(L, sim_now_us(cluster_sim(lab_world(L))) + (uint64_t)ms * 1000,
                    enough_registered, &c);
    lua_pushboolean(L, enough_registered(L, &c));
    return 1;
}

static int l_brokers(lua_State *L)
{
    kafka_world *w = kw(L);
    int ctrl = kafka_world_controller(w);
    kafka_broker *cb = controller_broker(w);
    lua_createtable(L, kafka_world_count(w), 0);
    for (int i = 0; i < kafka_world_count(w); i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(w, i), &bi);
        lua_createtable(L, 0, 7);
        lua_pushinteger(L, bi.id); lua_setfield(L, -2, "id");
        lua_pushboolean(L, bi.up); lua_setfield(L, -2, "up");
        lua_pushboolean(L, known_registered(w, cb, &bi));
        lua_setfield(L, -2, "registered");
        lua_pushboolean(L, bi.id == ctrl); lua_setfield(L, -2, "controller");
        lua_pushinteger(L, bi.leaders); lua_setfield(L, -2, "leaders");
        lua_pushinteger(L, bi.replicas); lua_setfield(L, -2, "replicas");
        if (bi.rack) { lua_pushstring(L, bi.rack); lua_setfield(L, -2, "rack"); }
        /* KRaft: where its heartbeats go, the active controller as its
         * Raft client knows it (RaftControllerNodeProvider) */
        if (kafka_world_is_kraft(w) && bi.ctrl_node >= 0) {
            lua_pushstring(L, sim_node_name(cluster_sim(lab_world(L)), bi.ctrl_node));
            lua_setfield(L, -2, "active_controller");
        }
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* KRaft mode: the sim node of the active controller (cluster_active_ctl);
 * -1 for none. */
static int kraft_active_node(cluster *c)
{
    int i = cluster_active_ctl(c);
    return i < 0 ? -1 : raft_quorum_nodes(cluster_quorum(c))[i];
}

/* ZooKeeper mode: the broker id acting as controller. KRaft mode: the
 * active controller's name ("ctl2"), a process of its own, so that
 * lab.kill(lab.controller()) crashes the controller in either mode. */
static int l_controller(lua_State *L)
{
    cluster *c = lab_world(L);
    if (c && cluster_quorum(c)) {
        int node = kraft_active_node(c);
        if (node < 0) lua_pushnil(L);
        else lua_pushstring(L, sim_node_name(cluster_sim(c), node));
        return 1;
    }
    int id = kafka_world_controller(kw(L));
    if (id < 0) lua_pushnil(L);
    else lua_pushinteger(L, id);
    return 1;
}

static bool client_idle(lua_State *L, void *u)
{
    (void)L;
    return !kafka_client_busy(u);
}

static void wait_client(lua_State *L, kafka_client *c, uint64_t limit_ms)
{
    sim *s = cluster_sim(lab_world(L));
    if (kafka_client_busy(c))
        lab_advance(L, sim_now_us(s) + limit_ms * 1000, client_idle, c);
}

static int admin_result(lua_State *L, kafka_client *c)
{
    wait_client(L, c, 60000);
    kerr e = kafka_client_busy(c) ? KERR_TIMEOUT : kafka_client_admin_result(c);
    if (e == KERR_NONE) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushnil(L);
    lua_pushstring(L, kerr_name(e));
    return 2;
}

/* Topic-level overrides (kafka-topics --config), Kafka's names. */
static const lab_key topic_config_key_list[] = {
    LAB_INT("min.insync.replicas", 1, INT32_MAX),
    LAB_BOOL("unclean.leader.election.enable"),
    LAB_END,
};

static const lab_keys topic_config_keys = {
    "lab.create_topic config", "setting", { topic_config_key_list },
};

static const lab_key create_topic_key_list[] = {
    LAB_STR("name"),
    LAB_INT("partitions", 1, KAFKA_PARTITIONS_MAX),
    LAB_INT("replication_factor", 1, 32767),
    LAB_TABLE("config", &topic_config_keys),
    LAB_END,
};

static const lab_keys create_topic_keys = {
    "lab.create_topic", "field", { create_topic_key_list },
};

static int l_create_topic(lua_State *L)
{
    kafka_world *w = kw(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lab_check_table(L, 1, &create_topic_keys);
    lua_getfield(L, 1, "name");
    if (lua_isnil(L, -1))
        return luaL_error(L, "lab.create_topic: name is missing (name = \"orders\")");
    const char *name = lua_tostring(L, -1);
    lua_getfield(L, 1, "partitions");
    int parts = (int)luaL_optinteger(L, -1, 1);
    lua_getfield(L, 1, "replication_factor");
    int rf = (int)luaL_optinteger(L, -1, 1);
    int min_isr = 0, unclean = -1;
    lua_getfield(L, 1, "config");
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "min.insync.replicas");
        min_isr = (int)luaL_optinteger(L, -1, 0);
        lua_pop(L, 1);
        lua_getfield(L, -1, "unclean.leader.election.enable");
        if (!lua_isnil(L, -1)) unclean = lab_to_bool(L, -1);
        lua_pop(L, 1);
    }
    kafka_client *c = kafka_world_admin(w);
    wait_client(L, c, 60000);
    kafka_client_admin(c, 1, name, parts, rf, min_isr, unclean);
    int n = admin_result(L, c);
    if (n == 1) {   /* wait until every partition has its state (or 30 s) */
        sim *s = cluster_sim(lab_world(L));
        uint64_t end = sim_now_us(s) + 30000000;
        for (int p = 0; p < parts && sim_now_us(s) < end; p++) {
            kafka_pstate st;
            int np;
            while (sim_now_us(s) < end && (!kafka_world_pstate(w, name, p, &st, &np) ||
                                          st.leader_epoch < 0 || st.nisr == 0))
                lab_advance(L, sim_now_us(s) + 50000, NULL, NULL);
        }
        lab_advance(L, sim_now_us(s) + 200000, NULL, NULL);   /* LeaderAndIsr lands */
    }
    return n;
}

static int l_delete_topic(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    kafka_client *c = kafka_world_admin(kw(L));
    wait_client(L, c, 60000);
    kafka_client_admin(c, 2, name, 0, 0, 0, -1);
    return admin_result(L, c);
}

static int l_elect_leaders(lua_State *L)
{
    const char *name = luaL_optstring(L, 1, "");
    kafka_client *c = kafka_world_admin(kw(L));
    wait_client(L, c, 60000);
    kafka_client_admin(c, 3, name, 0, 0, 0, -1);
    return admin_result(L, c);
}

/* lab.reassign{ topic, partition, replicas = { ... } }: as
 * kafka-reassign-partitions --execute for one partition; true once the
 * controller started it (the move then runs as time runs). */
static const lab_key reassign_key_list[] = {
    LAB_STR("topic"),
    LAB_INT("partition", 0, KAFKA_PARTITIONS_MAX - 1),
    LAB_ANY("replicas"),
    LAB_BOOL("cancel"),
    LAB_END,
};

static const lab_keys reassign_keys = { "lab.reassign", "field", { reassign_key_list } };

static int l_reassign(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lab_check_table(L, 1, &reassign_keys);
    lua_getfield(L, 1, "topic");
    const char *topic = lua_tostring(L, -1);
    lua_getfield(L, 1, "partition");
    int p = (int)luaL_optinteger(L, -1, 0);
    lua_getfield(L, 1, "cancel");
    bool cancel = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, 1, "replicas");
    if (cancel) {           /* AlterPartitionReassignments with null replicas */
        if (!topic || !lua_isnil(L, -1))
            return luaL_error(L, "lab.reassign: a cancel names the topic and partition, "
                                 "no replicas");
        kafka_client *c = kafka_world_admin(kw(L));
        wait_client(L, c, 60000);
        kafka_client_reassign(c, topic, p, NULL, 0);
        return admin_result(L, c);
    }
    if (!topic || !lua_istable(L, -1))
        return luaL_error(L, "lab.reassign: topic and replicas are needed "
                             "(topic = \"orders\", partition = 0, replicas = { 104, 102, 103 })");
    int idx = lua_gettop(L);
    lab_check_list(L, idx, "lab.reassign replicas");
    int n = (int)luaL_len(L, idx), ids[KAFKA_RF_MAX];
    if (n < 1 || n > KAFKA_RF_MAX)
        return luaL_error(L, "lab.reassign: replicas lists 1 to %d brokers, not %d", KAFKA_RF_MAX, n);
    for (int i = 0; i < n; i++) {
        lua_rawgeti(L, idx, i + 1);
        if (!lua_isinteger(L, -1))
            return luaL_error(L, "lab.reassign: replicas are broker ids, not %s", luaL_typename(L, -1));
        ids[i] = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    kafka_client *c = kafka_world_admin(kw(L));
    wait_client(L, c, 60000);
    kafka_client_reassign(c, topic, p, ids, n);
    return admin_result(L, c);
}

/* Pushes partition p's table from what was read of it. */
static void push_pinfo(lua_State *L, kafka_world *w, const char *topic, int p,
                       const kafka_pinfo *pi)
{
    const kafka_pstate *st = &pi->st;
    lua_createtable(L, 0, 9);
    lua_pushinteger(L, p); lua_setfield(L, -2, "partition");
    if (st->leader >= 0) { lua_pushinteger(L, st->leader); lua_setfield(L, -2, "leader"); }
    lua_pushinteger(L, st->leader_epoch); lua_setfield(L, -2, "leader_epoch");
    push_ids(L, st->replicas, st->nrep); lua_setfield(L, -2, "replicas");
    push_ids(L, st->isr, st->nisr); lua_setfield(L, -2, "isr");
    lua_pushboolean(L, st->leader < 0); lua_setfield(L, -2, "offline");
    lua_pushboolean(L, pi->deleting); lua_setfield(L, -2, "deleting");
    lua_newtable(L);
    int64_t hw = 0;
    for (int i = 0; i < st->nrep; i++) {
        kafka_broker *b = kafka_world_by_id(w, st->replicas[i]);
        kafka_replica_info ri;
        if (!b || !kafka_broker_replica(b, topic, p, &ri)) continue;
        lua_pushinteger(L, ri.leo);
        lua_rawseti(L, -2, st->replicas[i]);
        if (st->replicas[i] == st->leader) hw = ri.hw;
    }
    lua_setfield(L, -2, "leo");
    lua_pushinteger(L, hw); lua_setfield(L, -2, "hw");
    push_ids(L, pi->adding, pi->nadding); lua_setfield(L, -2, "adding");
    push_ids(L, pi->removing, pi->nremoving); lua_setfield(L, -2, "removing");
}

static bool push_partition(lua_State *L, kafka_world *w, const char *topic, int p, int *nparts)
{
    kafka_pinfo pi;
    if (!kafka_world_pinfo(w, topic, p, &pi, nparts)) return false;
    push_pinfo(L, w, topic, p, &pi);
    return true;
}

static int l_partition(lua_State *L)
{
    const char *topic = luaL_checkstring(L, 1);
    lua_Integer p = luaL_checkinteger(L, 2);
    int n = 0;
    kafka_world *w = kw(L);
    kafka_pinfo pi;
    /* one read: for a partition number it fails with n > 0 when p is
     * out of range and with n <= 0 when there is no such topic */
    bool number = p >= 0 && p <= INT_MAX;
    bool in = number && kafka_world_pinfo(w, topic, (int)p, &pi, &n);
    if (!number) kafka_world_pinfo(w, topic, 0, &pi, &n);     /* n, for the error */
    /* a typo must not pass as "offline": unknown names are errors */
    if (!in && n <= 0)
        return luaL_error(L, "lab.partition: unknown topic '%s' (lab.topic(name) "
                          "is nil for a topic that does not exist)", lab_quote(L, topic));
    if (!in)
        return luaL_error(L, "lab.partition: topic '%s' has partitions 0..%d, not %I",
                          lab_quote(L, topic), n - 1, p);
    push_pinfo(L, w, topic, (int)p, &pi);
    return 1;
}

static int l_topic(lua_State *L)
{
    const char *topic = luaL_checkstring(L, 1);
    kafka_world *w = kw(L);
    int n = 0;
    lua_newtable(L);
    for (int p = 0; p == 0 || p < n; p++) {
        if (!push_partition(L, w, topic, p, &n)) {
            if (p == 0) { lua_pop(L, 1); lua_pushnil(L); return 1; }
            break;
        }
        lua_rawseti(L, -2, p + 1);
    }
    return 1;
}

/* Over when the process is down: it exits by itself once its controlled
 * shutdown is done, or the world kills it at the bound. */
static bool stopped(lua_State *L, void *u)
{
    cluster *cl = lab_world(L);
    int node = (int)(intptr_t)u;
    return sim_node_status(cluster_sim(cl), node) == NODE_DOWN ||
           !cluster_stopping(cl, node);
}

static int l_stop(lua_State *L)
{
    int node = lab_check_node(L, 1);
    cluster *cl = lab_world(L);
    sim *s = cluster_sim(cl);
    bool ctl = cluster_quorum(cl) && raft_quorum_index(cluster_quorum(cl), node) >= 0;
    kafka_broker *b = ctl ? NULL : kafka_world_by_node(kw(L), node);
    if (!b && !ctl) return luaL_error(L, "lab.stop: %s is not a broker (lab.kill crashes any node)",
                                      sim_node_name(s, node));
    if (sim_node_status(s, node) == NODE_DOWN) return 0;   /* as lab.kill */
    char err[96];
    /* already stopping (the dashboard's s): wait for that stop */
    if (!cluster_stopping(cl, node) && !cluster_stop(cl, node, NULL, NULL, err, sizeof err))
        return luaL_error(L, "lab.stop: %s", err);
    /* the world ends the stop by the bound; the slack covers its poll */
    uint64_t until = sim_now_us(s) + cluster_stop_bound_us(cl, node) + 1000000;
    lab_advance(L, until, stopped, (void *)(intptr_t)node);
    return 0;
}

/* --- producers and consumers --- */

static kafka_client *check_client(lua_State *L, int idx)
{
    lclient *lc = luaL_checkudata(L, idx, KCLIENT_MT);
    lab_lua *ctx = lab_ctx(L);
    if (lc->gen != ctx->gen || !ctx->world)
        luaL_error(L, "this client belongs to an earlier lab.cluster");
    return sim_node_self(cluster_sim(ctx->world), lc->node);
}

static const char *const acks_choices[] = { "0", "1", "-1", "all", NULL };
static const char *const reset_choices[] = { "latest", "earliest", NULL };

/* The producer's settings that are a uint32_t of kafka_client_config:
 * Kafka's names with '_' for '.' (delivery.timeout.ms is
 * delivery_timeout_ms); client_u32_keys[i] lands at client_u32_offs[i]. */
static const lab_key client_u32_keys[] = {
    LAB_INT("delivery_timeout_ms", 1, 86400000),
    LAB_INT("request_timeout_ms", 1, 86400000),
    LAB_INT("retry_backoff_ms", 1, 86400000),
    LAB_INT("max_block_ms", 0, 86400000),
    LAB_INT("batch_size", 0, 1 << 30),
    LAB_INT("linger_ms", 0, 86400000),
    LAB_INT("max_request_size", 1, 1 << 30),
    LAB_INT("metadata_max_age_ms", 0, 86400000),
    LAB_END,
};

static const size_t client_u32_offs[] = {
    offsetof(kafka_client_config, delivery_timeout_ms),
    offsetof(kafka_client_config, request_timeout_ms),
    offsetof(kafka_client_config, retry_backoff_ms),
    offsetof(kafka_client_config, max_block_ms),
    offsetof(kafka_client_config, batch_size),
    offsetof(kafka_client_config, linger_ms),
    offsetof(kafka_client_config, max_request_size),
    offsetof(kafka_client_config, metadata_max_age_ms),
};

_Static_assert(QL_ARRAY_LEN(client_u32_offs) + 1 == QL_ARRAY_LEN(client_u32_keys),
               "every client setting has its place in kafka_client_config");

/* lab.producer{}: the lines above, and these; a new setting is a line in
 * one of the lists (and its read in client_opts). */
static const lab_key producer_key_list[] = {
    LAB_TABLE("bootstrap", NULL),          /* nodes: lab_node_value checks them */
    LAB_ENUM("acks", acks_choices),
    LAB_INT("max_in_flight_requests_per_connection", 1, INT32_MAX),
    LAB_END,
};

/* lab.consumer{}: what its reads use. */
static const lab_key consumer_key_list[] = {
    LAB_TABLE("bootstrap", NULL),
    LAB_INT("request_timeout_ms", 1, 86400000),
    LAB_INT("retry_backoff_ms", 1, 86400000),
    LAB_ENUM("auto_offset_reset", reset_choices),   /* ConsumerConfig */
    LAB_END,
};

static const lab_keys producer_keys = {
    "lab.producer", "field", { producer_key_list, client_u32_keys },
};
static const lab_keys consumer_keys = { "lab.consumer", "field", { consumer_key_list } };

/* Reads the settings lab_check_table has checked (a consumer's table
 * holds only its few). */
static void client_opts(lua_State *L, kafka_client_config *cfg)
{
    lua_getfield(L, 1, "acks");
    if (!lua_isnil(L, -1)) {
        const char *a = lua_tostring(L, -1);
        cfg->acks = strcmp(a, "all") == 0 ? -1 : atoi(a);
    }
    lua_pop(L, 1);
    for (size_t i = 0; i < QL_ARRAY_LEN(client_u32_offs); i++) {
        lua_getfield(L, 1, client_u32_keys[i].name);
        if (!lua_isnil(L, -1))
            *(uint32_t *)((char *)cfg + client_u32_offs[i]) = (uint32_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_getfield(L, 1, "auto_offset_reset");
    cfg->reset_earliest = lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "earliest") == 0;
    lua_pop(L, 1);
    lua_getfield(L, 1, "max_in_flight_requests_per_connection");
    cfg->max_in_flight = (int)luaL_optinteger(L, -1, cfg->max_in_flight);
    lua_getfield(L, 1, "delivery_timeout_ms");
    bool delivery_set = !lua_isnil(L, -1);
    lua_pop(L, 2);
    /* KafkaProducer.configureDeliveryTimeout: too small is an error when
     * set, and the default grows to linger.ms + request.timeout.ms */
    uint64_t floor_ms = (uint64_t)cfg->linger_ms + cfg->request_timeout_ms;
    if (!delivery_set && cfg->delivery_timeout_ms < floor_ms)
        cfg->delivery_timeout_ms = floor_ms > 86400000 ? 86400000 : (uint32_t)floor_ms;
    char why[200];
    if (!kafka_client_config_check(cfg, why, sizeof why)) luaL_error(L, "%s", why);
}

static int new_client(lua_State *L, const char *prefix, const char *kind,
                      const lab_keys *keys)
{
    kafka_world *w = kw(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lab_check_table(L, 1, keys);
    int boot[64], n = 0;
    lua_getfield(L, 1, "bootstrap");
    if (lua_istable(L, -1)) {
        int list = lua_gettop(L);
        lab_check_list(L, list, lua_pushfstring(L, "%s bootstrap", keys->what));
        lua_pop(L, 1);
        for (int i = 1; i <= luaL_len(L, -1) && n < 64; i++) {
            lua_geti(L, -1, i);
            boot[n++] = lab_node_value(L, lua_gettop(L), 1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (n == 0)
        for (int i = 0; i < kafka_world_count(w) && n < 64; i++)
            boot[n++] = kafka_broker_node(kafka_world_broker(w, i));
    kafka_client_config cfg;
    kafka_client_config_defaults(&cfg);
    client_opts(L, &cfg);
    cluster *cl = lab_world(L);
    sim *s = cluster_sim(cl);
    char name[32];
    int k = 1;
    do snprintf(name, sizeof name, "%s%d", prefix, k++);
    while (sim_find_node(s, name) >= 0);
    kafka_client *c = kafka_client_new(s, name, boot, n, &cfg, kafka_world_hooks(w));
    if (!c) return luaL_error(L, "the world has no room for another client");
    lclient *lc = lua_newuserdatauv(L, sizeof *lc, 0);
    lc->gen = lab_ctx(L)->gen;
    lc->node = kafka_client_node(c);
    lc->kind = kind;
    luaL_setmetatable(L, KCLIENT_MT);
    return 1;
}

static int l_producer(lua_State *L) { return new_client(L, "p", "producer", &producer_keys); }
static int l_consumer(lua_State *L) { return new_client(L, "c", "consumer", &consumer_keys); }

/* print(p) shows "producer p1", as sessions show themselves, never an
 * address that changes from run to run. */
static int m_client_tostring(lua_State *L)
{
    lclient *lc = luaL_checkudata(L, 1, KCLIENT_MT);
    lab_lua *ctx = lab_ctx(L);
    if (lc->gen != ctx->gen || !ctx->world) {
        lua_pushfstring(L, "%s (gone with its world)", lc->kind);
        return 1;
    }
    lua_pushfstring(L, "%s %s", lc->kind, sim_node_name(cluster_sim(ctx->world), lc->node));
    return 1;
}

static int m_send(lua_State *L)
{
    kafka_client *c = check_client(L, 1);
    const char *topic = luaL_checkstring(L, 2);
    const char *key = luaL_optstring(L, 3, NULL);
    const char *value = luaL_optstring(L, 4, NULL);
    wait_client(L, c, kafka_client_send_limit_ms(c));
    kafka_client_send(c, topic, -1, key, value, 1);
    wait_client(L, c, kafka_client_send_limit_ms(c));
    kafka_send_result r;
    kafka_client_send_result(c, &r);
    if (r.acked) {
        lua_pushinteger(L, r.first_offset);
        lua_pushinteger(L, r.first_partition);
        return 2;
    }
    lua_pushnil(L);
    lua_pushstring(L, kerr_name(r.first_err ? r.first_err : KERR_TIMEOUT));
    if (!r.message[0]) return 2;
    lua_pushstring(L, r.message);       /* Kafka's words, e.g. "Expiring ..." */
    return 3;
}

/* send_many's `partitions` (acked = true) or `failed_partitions`:
 * records per partition */
static void push_partitions(lua_State *L, kafka_client *c, bool acked)
{
    lua_newtable(L);
    for (int i = 0; i < kafka_client_send_count(c); i++) {
        int p;
        int64_t off;
        if (kafka_client_send_record(c, i, &p, &off) != acked || p < 0) continue;
        lua_rawgeti(L, -1, p);
        lua_Integer n = lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_pushinteger(L, n + 1);
        lua_rawseti(L, -2, p);
    }
}

static int m_send_many(lua_State *L)
{
    kafka_client *c = check_client(L, 1);
    const char *topic = luaL_checkstring(L, 2);
    lua_Integer n = luaL_checkinteger(L, 3);
    luaL_argcheck(L, n >= 1 && n <= 1000000, 3, "1 to 1000000 records");
    lua_Integer part = luaL_optinteger(L, 4, -1);      /* -1: spread */
    luaL_argcheck(L, part >= -1 && part < 1000000, 4, "a partition number");
    const char *key = luaL_optstring(L, 5, NULL);
    wait_client(L, c, kafka_client_send_limit_ms(c));
    kafka_client_send(c, topic, (int)part, key, NULL, (int)n);
    wait_client(L, c, kafka_client_send_limit_ms(c));
    kafka_send_result r;
    kafka_client_send_result(c, &r);
    lua_createtable(L, 0, 6);
    push_partitions(L, c, true);
    lua_setfield(L, -2, "partitions");
    push_partitions(L, c, false);
    lua_setfield(L, -2, "failed_partitions");
    if (r.message[0]) { lua_pushstring(L, r.message); lua_setfield(L, -2, "message"); }
    lua_pushinteger(L, r.acked); lua_setfield(L, -2, "acked");
    lua_pushinteger(L, r.failed); lua_setfield(L, -2, "failed");
    lua_newtable(L);
    for (int e = 0; e < KERR_COUNT; e++)
        if (r.errors[e]) {
            lua_pushinteger(L, r.errors[e]);
            lua_setfield(L, -2, kerr_name((kerr)e));
        }
    lua_setfield(L, -2, "errors");
    /* retriable errors seen on the way (errors above are the final ones):
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND shows here, then the retry meets
     * NOT_ENOUGH_REPLICAS or succeeds */
    lua_newtable(L);
    for (int e = 0; e < KERR_COUNT; e++)
        if (r.retried[e]) {
            lua_pushinteger(L, r.retried[e]);
            lua_setfield(L, -2, kerr_name((kerr)e));
        }
    lua_setfield(L, -2, "retried");
    return 1;
}

/* p:stats(): what the client sent so far, to watch batching */
static int m_stats(lua_State *L)
{
    kafka_client_stats st;
    kafka_client_stats_get(check_client(L, 1), &st);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, st.produce_requests); lua_setfield(L, -2, "produce_requests");
    lua_pushinteger(L, st.metadata_requests); lua_setfield(L, -2, "metadata_requests");
    lua_pushinteger(L, st.batches); lua_setfield(L, -2, "batches");
    return 1;
}

static int m_read(lua_State *L)
{
    kafka_client *c = check_client(L, 1);
    const char *topic = luaL_checkstring(L, 2);
    int p = (int)luaL_checkinteger(L, 3);
    /* no offset: the consumer's position (auto.offset.reset at first) */
    int64_t from = luaL_optinteger(L, 4, -1);
    luaL_argcheck(L, from >= 0 || lua_isnoneornil(L, 4), 4, "an offset from 0");
    int max = (int)luaL_optinteger(L, 5, 100);
    wait_client(L, c, 300000);
    kafka_client_read(c, topic, p, from, max);
    wait_client(L, c, 300000);
    int n;
    kerr e = kafka_client_busy(c) ? KERR_TIMEOUT : kafka_client_read_result(c, &n);
    if (e) {
        lua_pushnil(L);
        lua_pushstring(L, kerr_name(e));
        return 2;
    }
    lua_createtable(L, n, 0);
    for (int i = 0; i < n; i++) {
        int64_t off;
        const char *k, *v;
        kafka_client_read_record(c, i, &off, &k, &v);
        lua_createtable(L, 0, 3);
        lua_pushinteger(L, off); lua_setfield(L, -2, "offset");
        if (k) { lua_pushstring(L, k); lua_setfield(L, -2, "key"); }
        lua_pushstring(L, v); lua_setfield(L, -2, "value");
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

static int l_audit(lua_State *L)
{
    kafka_world *w = kw(L);
    kafka_audit a;
    kafka_check_audit(kafka_world_check(w), kafka_world_committed, w, &a);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, (lua_Integer)a.acked); lua_setfield(L, -2, "acked");
    lua_pushinteger(L, (lua_Integer)a.lost); lua_setfield(L, -2, "lost");
    lua_pushinteger(L, (lua_Integer)a.unavailable); lua_setfield(L, -2, "unavailable");
    lua_pushinteger(L, (lua_Integer)a.pending); lua_setfield(L, -2, "pending");
    lua_createtable(L, (int)a.nrecords, 0);
    int k = 0;
    for (size_t i = 0; i < a.nrecords; i++) {
        if (a.records[i].unavailable) continue;
        lua_createtable(L, 0, 4);
        lua_pushstring(L, a.records[i].topic); lua_setfield(L, -2, "topic");
        lua_pushinteger(L, a.records[i].p); lua_setfield(L, -2, "partition");
        lua_pushinteger(L, a.records[i].offset); lua_setfield(L, -2, "offset");
        lua_pushstring(L, a.records[i].acks < 0 ? "all" : "1"); lua_setfield(L, -2, "acks");
        lua_rawseti(L, -2, ++k);
    }
    lua_setfield(L, -2, "lost_records");
    kafka_audit_free(&a);
    return 1;
}

typedef struct conv_wait {
    kafka_world *w;
    uint64_t next_us;           /* next look: the check reads every log */
} conv_wait;

static bool converged(lua_State *L, void *u)
{
    (void)L;
    conv_wait *cw = u;
    sim *s = kafka_world_sim(cw->w);
    if (sim_now_us(s) < cw->next_us) return false;
    cw->next_us = sim_now_us(s) + 100000;
    return kafka_world_diverged(cw->w, NULL, 0) == 0;
}

/* lab.converge(timeout_ms): runs until every partition converged (see
 * kafka_world_diverged); past the timeout it is an invariant violation. */
static int l_converge(lua_State *L)
{
    kafka_world *w = kw(L);
    lua_Integer ms = luaL_optinteger(L, 1, 60000);
    luaL_argcheck(L, ms >= 0 && ms <= 86400000, 1, "0 to 86400000 ms");
    sim *s = cluster_sim(lab_world(L));
    uint64_t t0 = sim_now_us(s);
    char why[256] = "";
    conv_wait cw = { w, t0 };
    if (lab_advance(L, t0 + (uint64_t)ms * 1000, converged, &cw) ||
        kafka_world_diverged(w, why, sizeof why) == 0) {
        lua_pushboolean(L, 1);
        lua_pushinteger(L, (lua_Integer)((sim_now_us(s) - t0) / 1000));
        return 2;
    }
    kafka_world_diverged(w, why, sizeof why);
    char m[320];
    snprintf(m, sizeof m, "replicas did not converge within %lld ms after the "
             "faults healed: %s", (long long)ms, why);
    kafka_check_violation(kafka_world_check(w), -1, m);
    lab_advance(L, sim_now_us(s), NULL, NULL);  /* reports the violation */
    lua_pushboolean(L, 0);
    return 1;
}

static const luaL_Reg client_methods[] = {
    { "send", m_send }, { "send_many", m_send_many }, { "read", m_read },
    { "stats", m_stats },
    { NULL, NULL },
};

static const luaL_Reg lab_kafka_fns[] = {
    { "brokers", l_brokers }, { "controller", l_controller },
    { "wait_brokers", l_wait_brokers },
    { "create_topic", l_create_topic }, { "delete_topic", l_delete_topic },
    { "elect_leaders", l_elect_leaders }, { "partition", l_partition },
    { "reassign", l_reassign },
    { "topic", l_topic }, { "stop", l_stop }, { "producer", l_producer },
    { "consumer", l_consumer }, { "audit", l_audit }, { "converge", l_converge },
    { "metadata_log", lab_l_metadata_log },
    { NULL, NULL },
};

void lab_kafka_open(lua_State *L)
{
    if (luaL_newmetatable(L, KCLIENT_MT)) {
        lua_newtable(L);
        luaL_setfuncs(L, client_methods, 0);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, m_client_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
    luaL_setfuncs(L, lab_kafka_fns, 0);
}
