/* lua_msgs: lab.messages{}, how a lesson opens and filters the dashboard's
 * message view. Headless there is no view: the arguments are still
 * checked, so a lesson's mistake shows in its headless test. */
#include "lua_int.h"
#include "util.h"

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

void lab_msgs_open(lua_State *L)
{
    lua_pushcfunction(L, l_messages);
    lua_setfield(L, -2, "messages");
}
