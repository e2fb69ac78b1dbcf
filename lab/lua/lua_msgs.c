/* lua_msgs: lab.messages{}, how a lesson opens and filters the dashboard's
 * message view (headless there is no view: the arguments are still
 * checked, so a lesson's mistake shows in its headless test), and
 * lab.message_log(), the messages themselves as the trace holds them, so
 * a lesson can check the order the view showed. */
#include "lua_int.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const layer_names[] = {
    "zab", "election", "session", "kafka", "kraft", NULL,
};

static const lab_key messages_keys[] = {
    LAB_BOOL("show"),
    LAB_BOOL("full"),
    LAB_ANY("layer"),           /* one name or a list of names */
    LAB_ANY("nodes"),           /* a list of node names */
    LAB_BOOL("pings"),
    LAB_END,
};
static const lab_keys messages_table = {
    "lab.messages", "field", { messages_keys },
};

/* The bit of the layer name at idx, or a Lua error naming the choices. */
static unsigned layer_bit(lua_State *L, int idx)
{
    const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : NULL;
    for (int i = 0; s && layer_names[i]; i++)
        if (strcmp(s, layer_names[i]) == 0) return 1u << i;
    lab_quote_value(L, idx);
    return (unsigned)luaL_error(L, "lab.messages: layer %s is not one of "
                                "zab, election, session, kafka, kraft", lua_tostring(L, -1));
}

static unsigned read_layers(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE) return layer_bit(L, idx);
    lab_check_list(L, idx, "lab.messages layer");
    unsigned bits = 0;
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        bits |= layer_bit(L, -1);
        lua_pop(L, 1);
    }
    if (!bits) luaL_error(L, "lab.messages: layer lists no layer");
    return bits;
}

static void read_nodes(lua_State *L, int idx, lab_msgs_req *r)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "lab.messages: nodes is a list of node names, got %s",
                   luaL_typename(L, idx));
    lab_check_list(L, idx, "lab.messages nodes");
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    if (n > LAB_MSGS_NODES_MAX)
        luaL_error(L, "lab.messages: nodes names %d nodes, at most %d",
                   (int)n, LAB_MSGS_NODES_MAX);
    r->set_nodes = true;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        r->nodes[r->nnodes++] = lab_node_value(L, lua_gettop(L), 1);
        lua_pop(L, 1);
    }
}

static int opt_bool(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    int v = lua_isnil(L, -1) ? -1 : lab_to_bool(L, -1);
    lua_pop(L, 1);
    return v;
}

/* lab.messages{ show = true, full = false, layer = "zab",
 *               nodes = { "zk1", "zk3" }, pings = false } */
static int l_messages(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lab_check_table(L, 1, &messages_table);
    lab_msgs_req r = { .show = -1, .pings = -1 };
    r.show = opt_bool(L, 1, "show");
    r.full = opt_bool(L, 1, "full") == 1;
    if (r.full && r.show == -1) r.show = 1;
    r.pings = opt_bool(L, 1, "pings");
    lua_getfield(L, 1, "layer");
    if (!lua_isnil(L, -1)) r.layers = read_layers(L, lua_gettop(L));
    lua_pop(L, 1);
    lua_getfield(L, 1, "nodes");
    if (!lua_isnil(L, -1)) read_nodes(L, lua_gettop(L), &r);
    lua_pop(L, 1);
    lab_lua *ctx = lab_ctx(L);
    if (ctx->o.out.messages) ctx->o.out.messages(ctx->o.out.u, &r);
    return 0;
}

/* A node as scripts name it: a broker by its number, others by name. */
static void push_node(lua_State *L, sim *s, int node)
{
    const char *name = node >= 0 ? sim_node_name(s, node) : "-";
    const char *p = name;
    while (isdigit((unsigned char)*p)) p++;
    if (*name && !*p && p - name < 10) lua_pushinteger(L, strtol(name, NULL, 10));
    else lua_pushstring(L, name);
}

/* lab.message_log(since_ms): the messages of the first world sent at or
 * after since_ms that the trace still holds (its ring keeps the last
 * events, thousands of them), oldest first: { seq, at_ms, from, to, type,
 * detail, delivered_seq, delivered_ms } or dropped = true. seq orders
 * everything that happened, events of one instant included. */
static int l_message_log(lua_State *L)
{
    sim *s = cluster_sim(lab_world(L));
    lua_Number since_ms = luaL_optnumber(L, 1, 0);
    luaL_argcheck(L, since_ms >= 0, 1, "since_ms must be 0 or more");
    uint64_t since_us = (uint64_t)(since_ms * 1000);
    const trace *t = sim_trace(s);
    size_t n = trace_count(t);
    lua_newtable(L);                    /* the list */
    lua_newtable(L);                    /* send seq -> its entry */
    lua_Integer len = 0;
    for (size_t i = 0; i < n; i++) {
        const trace_event *ev = trace_get(t, i);
        if (ev->kind == TR_SEND && ev->at_us >= since_us) {
            lua_createtable(L, 0, 9);
            set_int(L, "seq", (lua_Integer)ev->seq);
            lua_pushnumber(L, (lua_Number)ev->at_us / 1000);
            lua_setfield(L, -2, "at_ms");
            push_node(L, s, ev->node);
            lua_setfield(L, -2, "from");
            push_node(L, s, ev->peer);
            lua_setfield(L, -2, "to");
            set_str(L, "type", sim_msg_name(s, ev->msg_type));
            set_int(L, "detail", (lua_Integer)ev->b);
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, (lua_Integer)ev->seq);
            lua_rawseti(L, -3, ++len);
        } else if (ev->kind == TR_DELIVER || ev->kind == TR_DROP) {
            if (lua_rawgeti(L, -1, (lua_Integer)ev->b) == LUA_TTABLE) {
                if (ev->kind == TR_DROP) {
                    set_bool(L, "dropped", true);
                } else {
                    set_int(L, "delivered_seq", (lua_Integer)ev->seq);
                    lua_pushnumber(L, (lua_Number)ev->at_us / 1000);
                    lua_setfield(L, -2, "delivered_ms");
                }
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return 1;
}

void lab_msgs_open(lua_State *L)
{
    lua_pushcfunction(L, l_messages);
    lua_setfield(L, -2, "messages");
    lua_pushcfunction(L, l_message_log);
    lua_setfield(L, -2, "message_log");
}
