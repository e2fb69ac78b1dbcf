/* lua_addbroker: lab.add_broker{ id = 105, rack = "a" }, a broker process
 * joining the running world, as an operator starts one more kafka-server
 * with a new broker.id. Apart from lua_kafka.c so the world's growth is
 * one small file. */
#include "lua_int.h"

static const lab_key add_keys[] = {
    LAB_INT("id", 0, 32767),
    LAB_STR("rack"),
    LAB_END,
};
static const lab_keys add_table = { "lab.add_broker", "field", { add_keys } };

/* lab.add_broker{ id, rack }: starts the broker and returns its id at
 * once; it registers as the world runs (lab.wait_brokers() waits for it). */
static int l_add_broker(lua_State *L)
{
    cluster *c = lab_world(L);
    if (lua_isnoneornil(L, 1)) lua_newtable(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lab_check_table(L, 1, &add_table);
    lua_getfield(L, 1, "id");
    int id = lua_isnil(L, -1) ? cluster_next_broker_id(c) : (int)lua_tointeger(L, -1);
    lua_getfield(L, 1, "rack");
    const char *rack = lua_tostring(L, -1);
    char err[160];
    if (cluster_add_broker(c, id, rack, err, sizeof err) < 0)
        return luaL_error(L, "lab.add_broker: %s", err);
    lua_pushinteger(L, id);
    return 1;
}

void lab_addbroker_open(lua_State *L)
{
    lua_pushcfunction(L, l_add_broker);
    lua_setfield(L, -2, "add_broker");
}
