/* lua_zk: ZooKeeper sessions for scripts. lab.zk_session{...} starts a
 * client process and returns a handle whose methods are blocking versions
 * of the asynchronous client calls: each runs the world until its reply
 * arrives. Watch callbacks are queued by the client and run by the run
 * loop between events, never inside a sim callback. */
#include "lua_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define SESS_MT "lab.zk_session"
#define CALL_WAIT_MIN_US (60ull * 1000 * 1000)

/* The script's handle: the record belongs to the world, so a handle that
 * outlives its world only has to notice (gen) and refuse. */
typedef struct sess_ud {
    lab_sess *rec;
    uint64_t gen;
} sess_ud;

/* --- records owned by the world --- */

void lab_sess_free(lab_lua *ctx, lab_sess *s)
{
    for (int i = 0; i < s->nw; i++) {
        luaL_unref(ctx->L, LUA_REGISTRYINDEX, s->w[i].ref);
        free(s->w[i].path);
    }
    free(s->w);
    free(s);
}

static lab_call *call_new(lab_lua *ctx)
{
    lab_call *c = xcalloc(1, sizeof *c);
    c->next = ctx->calls;
    if (c->next) c->next->prev = c;
    ctx->calls = c;
    return c;
}

void lab_call_free(lab_lua *ctx, lab_call *c)
{
    if (c->prev) c->prev->next = c->next;
    else ctx->calls = c->next;
    if (c->next) c->next->prev = c->prev;
    free(c->path);
    free(c->data);
    for (int i = 0; i < c->nchildren; i++) free(c->children[i]);
    free(c->children);
    free(c->results);
    free(c);
}

/* Completion from the client, inside the simulation: copy and return. */
static void call_done(void *u, const zk_result *r)
{
    lab_call *c = u;
    c->done = true;
    c->err = r->err;
    c->stat = r->stat;
    if (r->path) c->path = xstrdup(r->path);
    if (r->data) {
        c->data = xmalloc(r->len + 1);
        memcpy(c->data, r->data, r->len);
        c->len = r->len;
    }
    if (r->nchildren > 0) {
        c->children = xmalloc((size_t)r->nchildren * sizeof *c->children);
        for (int i = 0; i < r->nchildren; i++) c->children[i] = xstrdup(r->children[i]);
        c->nchildren = r->nchildren;
    }
    if (r->nresults > 0) {
        c->results = xmalloc((size_t)r->nresults * sizeof *c->results);
        memcpy(c->results, r->results, (size_t)r->nresults * sizeof *c->results);
        c->nresults = r->nresults;
    }
}

static bool call_finished(lua_State *L, void *u)
{
    (void)L;
    return ((lab_call *)u)->done;
}

/* Runs the world until c completes and returns its error; OPERATIONTIMEOUT
 * when it never does (the world keeps c then, and frees it at the end). */
static zerr call_wait(lua_State *L, lab_sess *s, lab_call *c)
{
    sim *w = cluster_sim(lab_world(L));
    uint64_t bound = 2 * zk_client_timeout_ms(s->zc) * 1000;
    if (bound < CALL_WAIT_MIN_US) bound = CALL_WAIT_MIN_US;
    lab_advance(L, sim_now_us(w) + bound, call_finished, c);
    return c->done ? c->err : ZOPERATIONTIMEOUT;
}

/* Pushes nil and the error name, the failure convention of every method. */
static int call_fail(lua_State *L, lab_lua *ctx, lab_call *c, zerr e)
{
    if (c->done) lab_call_free(ctx, c);
    lua_pushnil(L);
    lua_pushstring(L, zerr_name(e));
    return 2;
}

/* --- watches --- */

static bool watch_matches(lab_watch_kind k, zevent ev)
{
    if (ev == ZEV_DELETED) return true;
    return k == LAB_WATCH_CHILD ? ev == ZEV_CHILDREN_CHANGED
                                : ev == ZEV_CREATED || ev == ZEV_DATA_CHANGED;
}

/* True when the function of ref is already queued at pend[from..]: the
 * client keeps a set of watchers per path and type (ZKWatchManager), and
 * materialize() gathers one event's watchers into a set, so a function set
 * twice on a path (or as data and child watch, for NodeDeleted) runs once
 * per event. Only raw comparisons: nothing runs Lua code here. */
static bool watcher_queued(lab_lua *ctx, size_t from, int ref)
{
    lua_State *L = ctx->L;
    bool dup = false;
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    for (size_t i = from; i < ctx->npend && !dup; i++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, ctx->pend[i].ref);
        dup = lua_rawequal(L, -1, -2);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return dup;
}

/* From the client, inside the simulation: queue each matching one-shot
 * watch for the run loop, in the order they were set, each function once. */
static void on_watch(void *u, zevent ev, const char *path)
{
    lab_sess *s = u;
    lab_lua *ctx = s->ctx;
    size_t from = ctx->npend;
    int keep = 0;
    for (int i = 0; i < s->nw; i++) {
        lab_watch w = s->w[i];
        if (strcmp(w.path, path) != 0 || !watch_matches(w.kind, ev)) {
            s->w[keep++] = w;
            continue;
        }
        if (watcher_queued(ctx, from, w.ref)) {
            luaL_unref(ctx->L, LUA_REGISTRYINDEX, w.ref);
            free(w.path);
            continue;
        }
        VEC_GROW(ctx->pend, ctx->npend, ctx->cappend);
        ctx->pend[ctx->npend++] = (lab_pending){ .ref = w.ref, .ev = ev, .path = w.path };
    }
    s->nw = keep;
}

static void watch_drop(lab_lua *ctx, lab_sess *s, int ref)
{
    for (int i = 0; i < s->nw; i++) {
        if (s->w[i].ref != ref) continue;
        luaL_unref(ctx->L, LUA_REGISTRYINDEX, ref);
        free(s->w[i].path);
        memmove(s->w + i, s->w + i + 1, (size_t)(s->nw - i - 1) * sizeof *s->w);
        s->nw--;
        return;
    }
}

/* --- the handle --- */

static lab_sess *check_sess(lua_State *L)
{
    sess_ud *u = luaL_checkudata(L, 1, SESS_MT);
    if (u->gen != lab_ctx(L)->gen || !lab_ctx(L)->world)
        luaL_error(L, "this session belongs to a world that is gone "
                      "(lab.cluster was called again)");
    return u->rec;
}

static const char *check_path(lua_State *L, int arg)
{
    const char *p = luaL_checkstring(L, arg);
    luaL_argcheck(L, ztree_valid_path(p), arg, lua_pushfstring(L,
        "'%s' is not a valid znode path (absolute, no trailing slash, at most %d bytes)",
        lab_quote(L, p), ZPATH_MAX - 11));
    return p;
}

static int32_t opt_version(lua_State *L, int arg)
{
    lua_Integer v = luaL_optinteger(L, arg, -1);
    luaL_argcheck(L, v >= -1 && v <= INT32_MAX, arg, "version must be -1 or more");
    return (int32_t)v;
}

static void push_stat(lua_State *L, const zstat *st)
{
    lua_createtable(L, 0, 10);
    static const struct { const char *k; size_t off; bool wide; } f[] = {
        { "czxid", offsetof(zstat, czxid), true },
        { "mzxid", offsetof(zstat, mzxid), true },
        { "pzxid", offsetof(zstat, pzxid), true },
        { "ctime", offsetof(zstat, ctime_ms), true },
        { "mtime", offsetof(zstat, mtime_ms), true },
        { "version", offsetof(zstat, version), false },
        { "cversion", offsetof(zstat, cversion), false },
        { "ephemeral_owner", offsetof(zstat, ephemeral_owner), true },
        { "num_children", offsetof(zstat, num_children), false },
        { "data_length", offsetof(zstat, data_length), false },
    };
    for (size_t i = 0; i < QL_ARRAY_LEN(f); i++) {
        const char *p = (const char *)st + f[i].off;
        lua_pushinteger(L, f[i].wide ? *(const int64_t *)p : *(const int32_t *)p);
        lua_setfield(L, -2, f[i].k);
    }
}

static const lab_key create_flag_list[] = {
    LAB_BOOL("ephemeral"), LAB_BOOL("sequential"), LAB_END,
};
static const lab_keys create_flags = { "s:create flags", "flag", { create_flag_list } };

static const lab_key watch_opt_list[] = { LAB_BOOL("children"), LAB_END };
static const lab_keys watch_opts = { "s:watch options", "option", { watch_opt_list } };

static int m_create(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    size_t len = 0;
    const char *data = luaL_optlstring(L, 3, "", &len);
    uint32_t flags = 0;
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        lab_check_table(L, 4, &create_flags);
        lua_getfield(L, 4, "ephemeral");
        if (lab_to_bool(L, -1)) flags |= ZF_EPHEMERAL;
        lua_getfield(L, 4, "sequential");
        if (lab_to_bool(L, -1)) flags |= ZF_SEQUENTIAL;
    }
    lab_call *c = call_new(s->ctx);
    zk_create(s->zc, path, (const uint8_t *)data, len, flags, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    lua_pushstring(L, c->path ? c->path : path);
    lab_call_free(s->ctx, c);
    return 1;
}

static int m_get(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    lab_call *c = call_new(s->ctx);
    zk_get(s->zc, path, false, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    lua_pushlstring(L, c->data ? c->data : "", c->len);
    push_stat(L, &c->stat);
    lab_call_free(s->ctx, c);
    return 2;
}

static int m_exists(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    lab_call *c = call_new(s->ctx);
    zk_exists(s->zc, path, false, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    push_stat(L, &c->stat);
    lab_call_free(s->ctx, c);
    return 1;
}

static int m_set(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    size_t len;
    const char *data = luaL_checklstring(L, 3, &len);
    int32_t version = opt_version(L, 4);
    lab_call *c = call_new(s->ctx);
    zk_set(s->zc, path, (const uint8_t *)data, len, version, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    push_stat(L, &c->stat);
    lab_call_free(s->ctx, c);
    return 1;
}

static int m_delete(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    int32_t version = opt_version(L, 3);
    lab_call *c = call_new(s->ctx);
    zk_delete(s->zc, path, version, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    lab_call_free(s->ctx, c);
    lua_pushboolean(L, 1);
    return 1;
}

static int m_children(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    lab_call *c = call_new(s->ctx);
    zk_children(s->zc, path, false, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    lua_createtable(L, c->nchildren, 0);
    for (int i = 0; i < c->nchildren; i++) {
        lua_pushstring(L, c->children[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lab_call_free(s->ctx, c);
    return 1;
}

/* s:watch(path, fn [, { children = true }]): a one-shot watch. The entry
 * goes in before the request, so an event that arrives in the same instant
 * as the reply is not missed. */
static int m_watch(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    luaL_checktype(L, 3, LUA_TFUNCTION);
    bool child = false;
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        lab_check_table(L, 4, &watch_opts);
        lua_getfield(L, 4, "children");
        child = lab_to_bool(L, -1);
        lua_pop(L, 1);
    }
    lua_pushvalue(L, 3);
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    VEC_GROW(s->w, s->nw, s->capw);
    s->w[s->nw++] = (lab_watch){ .path = xstrdup(path),
                                 .kind = child ? LAB_WATCH_CHILD : LAB_WATCH_DATA,
                                 .ref = ref };
    lab_call *c = call_new(s->ctx);
    if (child) zk_children(s->zc, path, true, call_done, c);
    else zk_exists(s->zc, path, true, call_done, c);
    zerr e = call_wait(L, s, c);
    /* exists leaves a watch on a missing node too (NodeCreated) */
    if (e != ZOK && (child || e != ZNONODE)) {
        watch_drop(s->ctx, s, ref);
        return call_fail(L, s->ctx, c, e);
    }
    lab_call_free(s->ctx, c);
    lua_pushboolean(L, 1);
    return 1;
}

/* s:sync(path): a real sync; the answer comes once the server has
 * applied what the leader had proposed when the sync reached it. */
static int m_sync(lua_State *L)
{
    lab_sess *s = check_sess(L);
    const char *path = check_path(L, 2);
    lab_call *c = call_new(s->ctx);
    zk_sync(s->zc, path, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    lab_call_free(s->ctx, c);
    lua_pushboolean(L, 1);
    return 1;
}

static const char *const multi_op_names[] = { "create", "delete", "set", "check", NULL };
static const lab_key multi_op_list[] = {
    LAB_ENUM("op", multi_op_names), LAB_STR("path"), LAB_STR("data"),
    LAB_INT("version", -1, INT32_MAX), LAB_BOOL("ephemeral"), LAB_BOOL("sequential"),
    LAB_END,
};
static const lab_keys multi_op_keys = { "s:multi op", "field", { multi_op_list } };

/* One op of s:multi, from the table at stack index idx (argument 2's
 * entry i); strings stay on the script's table while zk_multi copies
 * them. */
static void multi_op(lua_State *L, int idx, int i, zop *op)
{
    static const char *const *names = multi_op_names;
    static const zop_type types[] = { ZOP_CREATE, ZOP_DELETE, ZOP_SET, ZOP_CHECK };
    if (!lua_istable(L, idx))
        luaL_error(L, "multi: op %d must be a table such as { op = \"create\", path = \"/a\" }", i);
    lab_check_table(L, idx, &multi_op_keys);
    lua_getfield(L, idx, "op");
    const char *name = lua_tostring(L, -1);
    int k = 0;
    while (name && names[k] && strcmp(names[k], name) != 0) k++;
    if (!name || !names[k])
        luaL_error(L, "multi: op %d: op must be \"create\", \"delete\", \"set\" or \"check\"", i);
    *op = (zop){ .type = types[k], .version = -1 };
    /* strings only: a number converted here would live on the stack
     * alone and could be collected before zk_multi copies it */
    if (lua_getfield(L, idx, "path") != LUA_TSTRING || !ztree_valid_path(lua_tostring(L, -1)))
        luaL_error(L, "multi: op %d: path must be a valid znode path", i);
    op->path = lua_tostring(L, -1);
    int t = lua_getfield(L, idx, "data");
    if (t != LUA_TNIL && t != LUA_TSTRING)
        luaL_error(L, "multi: op %d: data must be a string", i);
    op->data = (const uint8_t *)lua_tolstring(L, -1, &op->len);
    lua_getfield(L, idx, "version");
    lua_Integer v = luaL_optinteger(L, -1, -1);
    if (v < -1 || v > INT32_MAX) luaL_error(L, "multi: op %d: version must be -1 or more", i);
    op->version = (int32_t)v;
    lua_getfield(L, idx, "ephemeral");
    if (lab_to_bool(L, -1)) op->flags |= ZF_EPHEMERAL;
    lua_getfield(L, idx, "sequential");
    if (lab_to_bool(L, -1)) op->flags |= ZF_SEQUENTIAL;
    lua_pop(L, 6);          /* path and data stay referenced by the table */
}

/* The per-op results, as MultiResponse carries them: { err = "OK", path
 * = created path, stat = new stat } on success; { err = ... } each when
 * the multi failed (OK before the failed op, RUNTIMEINCONSISTENCY after). */
static void push_results(lua_State *L, const lab_call *c, const zop *ops)
{
    lua_createtable(L, c->nresults, 0);
    for (int i = 0; i < c->nresults; i++) {
        const zop_result *r = &c->results[i];
        lua_createtable(L, 0, 3);
        lua_pushstring(L, zerr_name(r->err));
        lua_setfield(L, -2, "err");
        if (c->err == ZOK && ops[i].type == ZOP_CREATE) {
            lua_pushstring(L, r->path);
            lua_setfield(L, -2, "path");
        }
        if (c->err == ZOK && (ops[i].type == ZOP_CREATE || ops[i].type == ZOP_SET)) {
            push_stat(L, &r->stat);
            lua_setfield(L, -2, "stat");
        }
        lua_rawseti(L, -2, i + 1);
    }
}

/* s:multi{ op, ... }: atomic; the results, or nil, the first error and
 * the results. */
static int m_multi(lua_State *L)
{
    lab_sess *s = check_sess(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    lab_check_list(L, 2, "s:multi");
    lua_Integer n = luaL_len(L, 2);
    luaL_argcheck(L, n >= 1 && n <= ZK_MULTI_MAX, 2,
                  lua_pushfstring(L, "multi takes 1 to %d ops", ZK_MULTI_MAX));
    zop ops[ZK_MULTI_MAX];
    for (int i = 0; i < (int)n; i++) {
        lua_geti(L, 2, i + 1);
        multi_op(L, lua_gettop(L), i + 1, &ops[i]);
        lua_pop(L, 1);
    }
    lab_call *c = call_new(s->ctx);
    zk_multi(s->zc, ops, (int)n, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK && c->nresults == 0) return call_fail(L, s->ctx, c, e);
    if (e == ZOK) {
        push_results(L, c, ops);
        lab_call_free(s->ctx, c);
        return 1;
    }
    lua_pushnil(L);
    lua_pushstring(L, zerr_name(e));
    push_results(L, c, ops);
    lab_call_free(s->ctx, c);
    return 3;
}

static int m_close(lua_State *L)
{
    lab_sess *s = check_sess(L);
    lab_call *c = call_new(s->ctx);
    zk_close(s->zc, call_done, c);
    zerr e = call_wait(L, s, c);
    if (e != ZOK) return call_fail(L, s->ctx, c, e);
    lab_call_free(s->ctx, c);
    lua_pushboolean(L, 1);
    return 1;
}

/* A to-be-closed handle going out of scope: the close is sent now and
 * completes as the world runs on (no waiting while a scope unwinds). */
static int m_autoclose(lua_State *L)
{
    sess_ud *u = luaL_checkudata(L, 1, SESS_MT);
    lab_lua *ctx = lab_ctx(L);
    if (u->gen != ctx->gen || !ctx->world) return 0;
    zk_client_state st = zk_client_state_get(u->rec->zc);
    if (st == ZKC_CLOSED || st == ZKC_EXPIRED) return 0;
    zk_close(u->rec->zc, call_done, call_new(ctx));
    return 0;
}

static int m_state(lua_State *L)
{
    lab_sess *s = check_sess(L);
    lua_pushstring(L, zk_client_state_name(zk_client_state_get(s->zc)));
    return 1;
}

static int m_id(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)zk_client_session(check_sess(L)->zc));
    return 1;
}

static int m_server(lua_State *L)
{
    lab_sess *s = check_sess(L);
    int node = zk_client_server(s->zc);
    if (node < 0) lua_pushnil(L);
    else lua_pushstring(L, sim_node_name(cluster_sim(lab_world(L)), node));
    return 1;
}

static int m_timeout(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)zk_client_timeout_ms(check_sess(L)->zc));
    return 1;
}

static int m_name(lua_State *L)
{
    lab_sess *s = check_sess(L);
    lua_pushstring(L, sim_node_name(cluster_sim(lab_world(L)), s->node));
    return 1;
}

static int m_tostring(lua_State *L)
{
    sess_ud *u = luaL_checkudata(L, 1, SESS_MT);
    lab_lua *ctx = lab_ctx(L);
    if (u->gen != ctx->gen || !ctx->world) {
        lua_pushliteral(L, "zk_session (gone with its world)");
        return 1;
    }
    lua_pushfstring(L, "zk_session %s (%s)",
                    sim_node_name(cluster_sim(ctx->world), u->rec->node),
                    zk_client_state_name(zk_client_state_get(u->rec->zc)));
    return 1;
}

/* --- lab.zk_session --- */

/* The ensemble server named at stack index idx, as its sid. */
static int server_sid(lua_State *L, cluster *w, int idx)
{
    int node = lab_node_value(L, idx, 1);
    const int *nodes = cluster_zk_nodes(w);
    for (int i = 0; i < cluster_zk_count(w); i++)
        if (nodes[i] == node) return i + 1;
    return luaL_argerror(L, 1, lua_pushfstring(L, "connect: %s is not an ensemble server",
                                               sim_node_name(cluster_sim(w), node)));
}

static const lab_key session_key_list[] = {
    LAB_TABLE("connect", NULL),         /* servers: server_sid checks them */
    LAB_INT("timeout_ms", 1, 86400000),
    LAB_END,
};
static const lab_keys session_keys = { "lab.zk_session", "field", { session_key_list } };

static int l_zk_session(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    cluster *w = lab_world(L);
    if (lua_isnoneornil(L, 1)) lua_newtable(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &session_keys);
    int sids[CLUSTER_ZK_MAX], n = 0;
    lua_getfield(L, 1, "connect");
    if (lua_isnil(L, 2)) {
        for (n = 0; n < cluster_zk_count(w); n++) sids[n] = n + 1;
    } else {
        lab_check_list(L, 2, "lab.zk_session connect");
        lua_Integer len = luaL_len(L, 2);
        luaL_argcheck(L, len >= 1 && len <= CLUSTER_ZK_MAX, 1,
                      "connect lists 1 or more ensemble servers");
        for (lua_Integer i = 1; i <= len; i++) {
            lua_geti(L, 2, i);
            sids[n++] = server_sid(L, w, -1);
            lua_pop(L, 1);
        }
    }
    lua_getfield(L, 1, "timeout_ms");
    lua_Integer timeout = luaL_optinteger(L, -1, 6000);
    sess_ud *u = lua_newuserdatauv(L, sizeof *u, 0);
    luaL_setmetatable(L, SESS_MT);
    int node;
    zk_client *zc = cluster_zk_client(w, sids, n, (uint64_t)timeout, &node);
    if (!zc) return luaL_error(L, "lab.zk_session: no room for another client (at most %d)",
                               CLUSTER_CLIENT_MAX);
    lab_sess *s = xcalloc(1, sizeof *s);
    s->ctx = ctx;
    s->zc = zc;
    s->node = node;
    VEC_GROW(ctx->sess, ctx->nsess, ctx->capsess);
    ctx->sess[ctx->nsess++] = s;
    zk_client_on_watch(zc, on_watch, s);
    u->rec = s;
    u->gen = ctx->gen;
    return 1;
}

static const luaL_Reg sess_methods[] = {
    { "create", m_create },
    { "get", m_get },
    { "exists", m_exists },
    { "set", m_set },
    { "delete", m_delete },
    { "children", m_children },
    { "watch", m_watch },
    { "multi", m_multi },
    { "sync", m_sync },
    { "close", m_close },
    { "state", m_state },
    { "id", m_id },
    { "server", m_server },
    { "timeout", m_timeout },
    { "name", m_name },
    { NULL, NULL },
};

void lab_zk_open(lua_State *L)
{
    /* the handle's metatable: methods, tostring, to-be-closed */
    luaL_newmetatable(L, SESS_MT);
    luaL_newlib(L, sess_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, m_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, m_autoclose);
    lua_setfield(L, -2, "__close");
    lua_pop(L, 1);
    lua_pushcfunction(L, l_zk_session);
    lua_setfield(L, -2, "zk_session");
}
