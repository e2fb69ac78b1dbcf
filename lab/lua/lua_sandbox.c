/* lua_sandbox: the Lua state scripts run in. Chosen libraries only (all of
 * them with --trust), text chunks only, a heap limit, a count hook against
 * endless loops that let no simulated time pass, a math.random drawn from
 * the run's seed, and a pairs() that walks keys in a fixed order (Lua
 * seeds its string hashes from the clock and addresses, so raw next()
 * order differs between runs). */
#include "lua_int.h"
#include "util.h"

#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void count_hook(lua_State *L, lua_Debug *ar);

/* The heap limit. A refused allocation raises LUA_ERRMEM, which carries
 * no file:line (Lua calls no message handler for it), so past the limit
 * an allocation still succeeds, within a margin of an eighth, and the hook
 * raises the error at the script's line on its next instruction. Beyond
 * the margin (one huge request) the allocation is refused. */
static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    lab_lua *ctx = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        ctx->mem -= old;
        return NULL;
    }
    size_t want = ctx->mem - old + nsize;
    if (nsize > old && want > ctx->mem_max) {
        if (!ctx->L || want > ctx->mem_max + ctx->mem_max / 8) return NULL;
        if (!ctx->mem_over) {
            ctx->mem_over = true;
            lua_sethook(ctx->L, count_hook, LUA_MASKCOUNT, 1);
        }
    }
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    ctx->mem = ctx->mem - old + nsize;
    return p;
}

static int l_panic(lua_State *L)
{
    const char *msg = lua_tostring(L, -1);
    fprintf(stderr, "quorumlab: unprotected Lua error: %s\n", msg ? msg : "?");
    abort();
}

/* Endless loops: every LAB_HOOK_COUNT instructions, has simulated time
 * moved? A script that only computes for a long while is stopped. */
static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    lab_lua *ctx = lab_ctx(L);
    if (ctx->mem_over) {
        lua_sethook(L, count_hook, LUA_MASKCOUNT, LAB_HOOK_COUNT);
        lua_gc(L, LUA_GCCOLLECT);       /* garbage alone is no runaway */
        bool over = ctx->mem > ctx->mem_max;
        if (over) {
            luaL_where(L, 0);
            lua_pushfstring(L, "not enough memory (the script's limit is %d MB)",
                            (int)(ctx->mem_max >> 20));
            lua_concat(L, 2);
        }
        ctx->mem_over = false;          /* after the message's own allocations */
        if (over) lua_error(L);
        return;
    }
    uint64_t now = ctx->world ? sim_now_us(cluster_sim(ctx->world)) : 0;
    if (now != ctx->hook_us || ctx->gen != ctx->hook_gen) {
        ctx->hook_us = now;
        ctx->hook_gen = ctx->gen;
        ctx->hook_idle = 0;
        return;
    }
    if (++ctx->hook_idle < LAB_HOOK_IDLE_MAX) return;
    ctx->hook_idle = 0;
    luaL_where(L, 0);           /* level 0 in a hook: the looping function */
    lua_pushfstring(L, "the script ran %d million instructions with no "
                       "simulated time passing (an endless loop? call lab.run)",
                    LAB_HOOK_IDLE_MAX * (LAB_HOOK_COUNT / 1000000));
    lua_concat(L, 2);
    lua_error(L);
}

int lab_msgh(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg) {
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            return 1;
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* --- replacements --- */

/* math.random as Lua's, but drawn from the run's seed. */
static int l_random(lua_State *L)
{
    rng *r = &lab_ctx(L)->rnd;
    lua_Integer lo, up;
    switch (lua_gettop(L)) {
    case 0:
        lua_pushnumber(L, (lua_Number)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0));
        return 1;
    case 1:
        lo = 1;
        up = luaL_checkinteger(L, 1);
        if (up == 0) {              /* math.random(0): all 64 bits */
            lua_pushinteger(L, (lua_Integer)rng_next(r));
            return 1;
        }
        break;
    case 2:
        lo = luaL_checkinteger(L, 1);
        up = luaL_checkinteger(L, 2);
        break;
    default:
        return luaL_error(L, "wrong number of arguments");
    }
    luaL_argcheck(L, lo <= up, lua_gettop(L), "interval is empty");
    uint64_t span = (uint64_t)up - (uint64_t)lo;
    uint64_t v = span == UINT64_MAX ? rng_next(r) : rng_below(r, span + 1);
    lua_pushinteger(L, (lua_Integer)((uint64_t)lo + v));
    return 1;
}

static int l_randomseed(lua_State *L)
{
    lua_Integer n = luaL_optinteger(L, 1, (lua_Integer)lab_ctx(L)->seed);
    rng_seed(&lab_ctx(L)->rnd, (uint64_t)n);
    return 0;
}

/* load(chunk [, name [, mode [, env]]]) with mode forced to text. */
static int l_load_text(lua_State *L)
{
    int nargs = lua_gettop(L) >= 4 ? 4 : 3;  /* env only when given */
    lua_settop(L, nargs);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushliteral(L, "t");
    if (nargs == 4) lua_pushvalue(L, 4);
    lua_call(L, nargs, LUA_MULTRET);
    return lua_gettop(L) - nargs;
}

/* print goes where narration goes (a terminal line, or the lesson panel). */
static int l_print(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    int n = lua_gettop(L);      /* before the buffer takes a stack slot */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    if (ctx->o.out.say) ctx->o.out.say(ctx->o.out.u, lua_tostring(L, -1));
    return 0;
}

static int l_require(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (strcmp(name, "lab") == 0 && lua_getfield(L, -1, "lab") == LUA_TTABLE)
        return 1;
    name = lab_quote(L, name);
    return luaL_error(L, "module '%s' is not available: scripts run sandboxed "
                         "(only require(\"lab\"); --trust lifts this)", name);
}

/* pairs() in a fixed key order: numbers, then strings, then booleans,
 * then the rest (tables and functions as keys keep next() order). A
 * __pairs metamethod is honoured as in Lua. */
static const char sorted_pairs_src[] =
    "local next, type, sort, rawget, getmetatable = next, type, table.sort, rawget, getmetatable\n"
    "local rank = { number = 1, string = 2, boolean = 3 }\n"
    "local function before(a, b)\n"
    "  local ra, rb = rank[type(a)] or 4, rank[type(b)] or 4\n"
    "  if ra ~= rb then return ra < rb end\n"
    "  if ra <= 2 then return a < b end\n"
    "  if ra == 3 then return b and not a end\n"
    "  return false\n"
    "end\n"
    "return function(t)\n"
    "  local mt = getmetatable(t)\n"
    "  if type(mt) == 'table' and mt.__pairs then return mt.__pairs(t) end\n"
    "  if type(t) ~= 'table' then\n"
    "    error(\"bad argument #1 to 'pairs' (table expected, got \" .. type(t) .. ')', 2)\n"
    "  end\n"
    "  local keys, n = {}, 0\n"
    "  for k in next, t do n = n + 1; keys[n] = k end\n"
    "  sort(keys, before)\n"
    "  local i = 0\n"
    "  return function()\n"
    "    while i < n do\n"
    "      i = i + 1\n"
    "      local k = keys[i]\n"
    "      local v = rawget(t, k)\n"
    "      if v ~= nil then return k, v end\n"
    "    end\n"
    "  end, t, nil\n"
    "end\n";

/* --- set-up, run protected --- */

static void open_sandboxed(lua_State *L)
{
    static const luaL_Reg libs[] = {
        { LUA_GNAME, luaopen_base }, { LUA_TABLIBNAME, luaopen_table },
        { LUA_STRLIBNAME, luaopen_string }, { LUA_MATHLIBNAME, luaopen_math },
        { LUA_UTF8LIBNAME, luaopen_utf8 }, { LUA_COLIBNAME, luaopen_coroutine },
    };
    for (size_t i = 0; i < QL_ARRAY_LEN(libs); i++) {
        luaL_requiref(L, libs[i].name, libs[i].func, 1);
        lua_pop(L, 1);
    }
    static const char *const denied[] = { "dofile", "loadfile" };
    for (size_t i = 0; i < QL_ARRAY_LEN(denied); i++) {
        lua_pushnil(L);
        lua_setglobal(L, denied[i]);
    }
    lua_getglobal(L, "load");
    lua_pushcclosure(L, l_load_text, 1);
    lua_setglobal(L, "load");
    lua_pushcfunction(L, l_require);
    lua_setglobal(L, "require");
}

static int setup(lua_State *L)
{
    lab_lua *ctx = lab_ctx(L);
    if (ctx->o.trust) luaL_openlibs(L);
    else open_sandboxed(L);
    luaL_requiref(L, "lab", lab_open, 1);   /* global, and require("lab") */
    lua_pop(L, 1);
    lua_pushcfunction(L, l_print);
    lua_setglobal(L, "print");
    lua_getglobal(L, LUA_MATHLIBNAME);
    lua_pushcfunction(L, l_random);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, l_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);
    if (luaL_loadbufferx(L, sorted_pairs_src, sizeof sorted_pairs_src - 1,
                         "=pairs", "t") != LUA_OK)
        return lua_error(L);
    lua_call(L, 0, 1);
    lua_setglobal(L, "pairs");
    return 0;
}

lua_State *lab_state_new(lab_lua *ctx)
{
    lua_State *L = lua_newstate(l_alloc, ctx);
    QL_ASSERT(L != NULL);
    ctx->L = L;
    lua_atpanic(L, l_panic);
    lua_pushcfunction(L, lab_msgh);
    lua_pushcfunction(L, setup);
    if (lua_pcall(L, 0, 0, 1) != LUA_OK) {
        fprintf(stderr, "quorumlab: cannot set up Lua: %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_settop(L, 0);
    lua_sethook(L, count_hook, LUA_MASKCOUNT, LAB_HOOK_COUNT);
    return L;
}
