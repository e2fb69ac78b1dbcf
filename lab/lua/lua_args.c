/* lua_args: one checker for every table the `lab` API reads (see
 * lua_args.h). Errors are raised with luaL_error, so they carry the
 * script's file:line and can be caught with pcall. Keys are reported in a
 * fixed order (Lua's own table order changes from run to run). */
#include "lua_args.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define LIST_SHOWN_MAX 8        /* list the known keys when no more */

static const lab_key *key_find(const lab_keys *k, const char *name)
{
    for (int l = 0; l < LAB_KEY_LISTS_MAX && k->lists[l]; l++)
        for (const lab_key *e = k->lists[l]; e->name; e++)
            if (strcmp(e->name, name) == 0) return e;
    return NULL;
}

static int key_count(const lab_keys *k)
{
    int n = 0;
    for (int l = 0; l < LAB_KEY_LISTS_MAX && k->lists[l]; l++)
        for (const lab_key *e = k->lists[l]; e->name; e++) n++;
    return n;
}

const char *lab_nearest_key(const lab_keys *k, const char *word)
{
    ql_nearest n = { NULL, 0 };
    for (int l = 0; l < LAB_KEY_LISTS_MAX && k->lists[l]; l++)
        for (const lab_key *e = k->lists[l]; e->name; e++) ql_nearest_try(&n, word, e->name);
    return n.best;
}

const char *lab_quote(lua_State *L, const char *s)
{
    char buf[QL_QUOTE_CAP];
    return lua_pushstring(L, ql_quote(buf, sizeof buf, s, strlen(s)));
}

const char *lab_quote_value(lua_State *L, int idx)
{
    char buf[QL_QUOTE_CAP];
    size_t len;
    switch (lua_type(L, idx)) {
    case LUA_TSTRING: {
        const char *s = lua_tolstring(L, idx, &len);
        return lua_pushfstring(L, "\"%s\"", ql_quote(buf, sizeof buf, s, len));
    }
    case LUA_TNUMBER:
        lua_pushvalue(L, idx);
        lua_pushstring(L, lua_tostring(L, -1));   /* converts the copy only */
        lua_remove(L, -2);
        return lua_tostring(L, -1);
    case LUA_TBOOLEAN:
        return lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
    case LUA_TNIL: case LUA_TNONE:
        return lua_pushstring(L, "nil");
    default:            /* never an address: it changes from run to run */
        return lua_pushfstring(L, "a %s", luaL_typename(L, idx));
    }
}

/* --- unknown keys --- */

static int key_rank(lua_State *L, int i)
{
    int t = lua_type(L, i);
    return t == LUA_TNUMBER ? 0 : t == LUA_TSTRING ? 1 : 2;
}

/* Whether the key at a sorts before the key at b: numbers, then strings,
 * then the rest (which never reach the message apart from their type). */
static bool key_before(lua_State *L, int a, int b)
{
    int ra = key_rank(L, a), rb = key_rank(L, b);
    if (ra != rb) return ra < rb;
    if (ra == 0) return lua_compare(L, a, b, LUA_OPLT);
    if (ra == 1) return strcmp(lua_tostring(L, a), lua_tostring(L, b)) < 0;
    return false;
}

static bool key_known(lua_State *L, int i, const lab_keys *k)
{
    return lua_type(L, i) == LUA_TSTRING && key_find(k, lua_tostring(L, i));
}

/* "a, b, c": every known name, pushed. */
static const char *known_list(lua_State *L, const lab_keys *k)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    bool first = true;
    for (int l = 0; l < LAB_KEY_LISTS_MAX && k->lists[l]; l++)
        for (const lab_key *e = k->lists[l]; e->name; e++) {
            if (!first) luaL_addstring(&b, ", ");
            luaL_addstring(&b, e->name);
            first = false;
        }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

static void unknown_key(lua_State *L, int key, const lab_keys *k)
{
    if (lua_type(L, key) != LUA_TSTRING) {
        const char *v = lab_quote_value(L, key);
        const lab_key *first = k->lists[0];
        luaL_error(L, "%s: unknown %s [%s] (%ss are named, as in %s = ...)",
                   k->what, k->noun, v, k->noun, first->name ? first->name : "name");
    }
    const char *word = lua_tostring(L, key);
    const char *near = lab_nearest_key(k, word);
    const char *q = lab_quote(L, word);
    if (near)
        luaL_error(L, "%s: unknown %s '%s' (did you mean '%s'?)", k->what, k->noun, q, near);
    if (key_count(k) <= LIST_SHOWN_MAX)
        luaL_error(L, "%s: unknown %s '%s' (known: %s)", k->what, k->noun, q,
                   known_list(L, k));
    luaL_error(L, "%s: unknown %s '%s'", k->what, k->noun, q);
}

/* The unknown key that sorts first, so the same script always gets the
 * same message whatever order lua_next walks in. */
static void check_unknown(lua_State *L, int idx, const lab_keys *k)
{
    int best = lua_gettop(L) + 1;
    lua_pushnil(L);                     /* the first unknown key so far */
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!key_known(L, -1, k) && (lua_isnil(L, best) || key_before(L, -1, best))) {
            lua_pushvalue(L, -1);
            lua_replace(L, best);
        }
    }
    if (!lua_isnil(L, best)) unknown_key(L, best, k);
    lua_pop(L, 1);
}

/* --- values --- */

/* Raises "what: key must be ALLOWED, not VALUE" for the value at v. */
static void bad_value(lua_State *L, const lab_keys *k, const lab_key *e,
                      int v, const char *allowed)
{
    const char *q = lab_quote_value(L, v);
    luaL_error(L, "%s: %s must be %s, not %s", k->what, e->name, allowed, q);
}

static bool is_numeral(const char *s)
{
    char *end;
    (void)strtol(s, &end, 10);
    return *s && !*end;
}

static bool enum_matches(lua_State *L, int v, const lab_key *e)
{
    const char *s;
    if (lua_type(L, v) == LUA_TSTRING) s = lua_pushstring(L, lua_tostring(L, v));
    else if (lua_isinteger(L, v)) s = lua_pushfstring(L, "%I", lua_tointeger(L, v));
    else return false;
    bool found = false;
    for (int i = 0; e->choices[i] && !found; i++) found = strcmp(s, e->choices[i]) == 0;
    lua_pop(L, 1);
    return found;
}

/* The choices as a learner reads them: 0, 1, -1 or "all". */
static const char *enum_allowed(lua_State *L, const lab_key *e)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 0; e->choices[i]; i++) {
        if (i > 0) luaL_addstring(&b, e->choices[i + 1] ? ", " : " or ");
        bool bare = is_numeral(e->choices[i]);
        if (!bare) luaL_addchar(&b, '"');
        luaL_addstring(&b, e->choices[i]);
        if (!bare) luaL_addchar(&b, '"');
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

static bool is_bool(lua_State *L, int v)
{
    if (lua_isboolean(L, v)) return true;
    if (lua_type(L, v) != LUA_TSTRING) return false;
    const char *s = lua_tostring(L, v);
    return strcmp(s, "true") == 0 || strcmp(s, "false") == 0;
}

bool lab_to_bool(lua_State *L, int idx)
{
    if (lua_type(L, idx) == LUA_TSTRING) return strcmp(lua_tostring(L, idx), "true") == 0;
    return lua_toboolean(L, idx);
}

/* Checks the value at v (the top) against e. */
static void check_value(lua_State *L, const lab_keys *k, const lab_key *e, int v)
{
    int ok = 1;
    switch (e->kind) {
    case LK_INT: {
        lua_Integer n = lua_tointegerx(L, v, &ok);
        if (ok && n >= e->lo && n <= e->hi) break;
        if (e->lo == LUA_MININTEGER && e->hi == LUA_MAXINTEGER)
            bad_value(L, k, e, v, "an integer");
        bad_value(L, k, e, v, lua_pushfstring(L, "%s%I to %I",
                  ok ? "" : "an integer from ", e->lo, e->hi));
        break;
    }
    case LK_NUM: {
        lua_Number n = lua_tonumberx(L, v, &ok);
        if (!ok || lua_type(L, v) != LUA_TNUMBER || n < (lua_Number)e->lo ||
            n > (lua_Number)e->hi)
            bad_value(L, k, e, v, lua_pushfstring(L, "a number from %I to %I",
                                                  e->lo, e->hi));
        break;
    }
    case LK_BOOL:
        if (!is_bool(L, v)) bad_value(L, k, e, v, "true or false");
        break;
    case LK_STR:
        if (!lua_isstring(L, v)) bad_value(L, k, e, v, "a string");
        break;
    case LK_ENUM:
        if (!enum_matches(L, v, e)) bad_value(L, k, e, v, enum_allowed(L, e));
        break;
    case LK_TABLE:
        if (!lua_istable(L, v)) bad_value(L, k, e, v, "a table");
        if (e->sub) lab_check_table(L, v, e->sub);
        break;
    case LK_ANY:
        break;
    }
}

void lab_check_table(lua_State *L, int idx, const lab_keys *k)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 8, NULL);
    check_unknown(L, idx, k);
    for (int l = 0; l < LAB_KEY_LISTS_MAX && k->lists[l]; l++)
        for (const lab_key *e = k->lists[l]; e->name; e++) {
            lua_getfield(L, idx, e->name);
            if (!lua_isnil(L, -1)) check_value(L, k, e, lua_gettop(L));
            lua_pop(L, 1);
        }
}

void lab_check_list(lua_State *L, int idx, const char *what)
{
    idx = lua_absindex(L, idx);
    lua_Integer n = luaL_len(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        lua_Integer i;
        int isint = lua_isinteger(L, -1);
        i = isint ? lua_tointeger(L, -1) : 0;
        if (!isint || i < 1 || i > n) {
            const char *v = lab_quote_value(L, -1);
            luaL_error(L, "%s: a list holds values only ({ a, b }), not [%s] = ...", what, v);
        }
    }
}
