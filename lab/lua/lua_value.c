/* lua_value: a Lua value as one short line, for the dashboard's :lua
 * command ("2", "{acked=1990, lost=0, lost_records={}, ...}"). Tables show
 * their fields in a stable order (array part, then string keys sorted),
 * nested tables only their size: a value is read at a glance, never a
 * dump of hundreds of records. */
#include "lua_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALUE_FIELDS_MAX 64     /* string keys sorted at most */
#define VALUE_ITEMS_SHOWN 8     /* array items shown before "..." */

typedef struct vbuf {
    char *p;
    size_t cap, len;
} vbuf;

static void put(vbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + 1 >= b->cap) return;
    size_t room = b->cap - 1 - b->len;
    if (n > room) n = room;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static size_t entries(lua_State *L, int t)
{
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) { n++; lua_pop(L, 1); }
    return n;
}

static bool has_tostring(lua_State *L, int i)
{
    if (!luaL_getmetafield(L, i, "__tostring")) return false;
    lua_pop(L, 1);
    return true;
}

/* A scalar, or a table seen from outside: its size only. */
static void scalar(lua_State *L, int i, vbuf *b)
{
    if (lua_type(L, i) == LUA_TTABLE && !has_tostring(L, i)) {
        size_t n = entries(L, i);
        char s[48];
        if (n == 0) snprintf(s, sizeof s, "{}");
        else snprintf(s, sizeof s, "{%zu %s}", n, n == 1 ? "entry" : "entries");
        put(b, s);
        return;
    }
    put(b, luaL_tolstring(L, i, NULL));
    lua_pop(L, 1);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void table(lua_State *L, int t, vbuf *b)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, t);
    put(b, "{");
    for (lua_Integer k = 1; k <= n && k <= VALUE_ITEMS_SHOWN; k++) {
        if (k > 1) put(b, ", ");
        lua_rawgeti(L, t, k);
        scalar(L, lua_gettop(L), b);
        lua_pop(L, 1);
    }
    if (n > VALUE_ITEMS_SHOWN) {
        char s[48];
        snprintf(s, sizeof s, ", ... (%lld in all)", (long long)n);
        put(b, s);
    }
    const char *keys[VALUE_FIELDS_MAX];
    int nk = 0;
    size_t other = 0;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && nk < VALUE_FIELDS_MAX)
            keys[nk++] = lua_tostring(L, -1);     /* kept alive by the table */
        else if (!(lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 &&
                   lua_tointeger(L, -1) <= n))
            other++;
    }
    qsort(keys, (size_t)nk, sizeof keys[0], by_name);
    for (int i = 0; i < nk; i++) {
        if (n > 0 || i > 0) put(b, ", ");
        put(b, keys[i]);
        put(b, "=");
        lua_getfield(L, t, keys[i]);
        scalar(L, lua_gettop(L), b);
        lua_pop(L, 1);
    }
    if (other) {
        char s[48];
        snprintf(s, sizeof s, "%s... (%zu more)", n > 0 || nk > 0 ? ", " : "", other);
        put(b, s);
    }
    put(b, "}");
}

void lab_value_text(lua_State *L, int i, char *out, size_t cap)
{
    vbuf b = { out, cap, 0 };
    if (cap) out[0] = '\0';
    i = lua_absindex(L, i);
    if (lua_type(L, i) == LUA_TTABLE && !has_tostring(L, i)) table(L, i, &b);
    else scalar(L, i, &b);
}
