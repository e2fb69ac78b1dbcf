/* Unit tests for the strict checking of the tables scripts pass to `lab`
 * (lua_args.c) and its helpers in util.c: the edit distance behind "did you
 * mean", which names are near enough to suggest, the error texts for an
 * unknown key and a bad value, and the cut of a long argument quoted in a
 * message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lualib.h>
#include "lua_args.h"
#include "util.h"

static void test_lua_args_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(ql_edit_distance("acks", "acks", 3), 0);
    assert_int_equal(ql_edit_distance("bootstrp", "bootstrap", 3), 1);     /* a letter left out */
    assert_int_equal(ql_edit_distance("acsk", "acks", 3), 1);              /* two swapped */
    assert_int_equal(ql_edit_distance("ticktime", "tickTime", 3), 1);
    assert_int_equal(ql_edit_distance("", "abc", 5), 3);
    assert_int_equal(ql_edit_distance("kitten", "sitting", 5), 3);
    /* past max it stops counting: max + 1 */
    assert_int_equal(ql_edit_distance("zookeepers", "seed", 2), 3);
    char longname[200];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(ql_edit_distance(longname, longname, 4), 5);          /* too long to compare */
}

static void test_lua_args_near(void **state)
{
    (void)state;
    assert_true(ql_near("min.insync.replica", "min.insync.replicas"));
    assert_true(ql_near("timeout", "timeout_ms"));
    assert_true(ql_near("kr", "ko"));
    assert_true(ql_near("delay", "delay_ms"));          /* cut short */
    assert_true(ql_near("replication", "replication_factor"));
    assert_false(ql_near("de", "delay_ms"));
    assert_false(ql_near("xy", "ko"));                  /* 2 edits on a 2-letter name */
    assert_false(ql_near("brokers", "seed"));
    assert_false(ql_near("retention.ms", "min.insync.replicas"));
}

static const char *const acks[] = { "0", "1", "-1", "all", NULL };
static const lab_key sub_list[] = { LAB_INT("min.insync.replicas", 1, 10), LAB_BOOL("flag"), LAB_END };
static const lab_keys sub_keys = { "t config", "setting", { sub_list } };
static const lab_key more_list[] = { LAB_STR("name"), LAB_END };
static const lab_key key_list[] = {
    LAB_ENUM("acks", acks), LAB_INT("partitions", 1, 100), LAB_NUM("drop", 0, 1),
    LAB_TABLE("config", &sub_keys), LAB_END,
};
static const lab_keys keys = { "lab.t", "field", { key_list, more_list } };

static void test_lua_args_nearest_key(void **state)
{
    (void)state;
    assert_string_equal(lab_nearest_key(&keys, "partition"), "partitions");
    assert_string_equal(lab_nearest_key(&keys, "nmae"), "name");      /* from the second list */
    assert_string_equal(lab_nearest_key(&keys, "ack"), "acks");
    assert_null(lab_nearest_key(&keys, "replication_factor"));
}

static int checked(lua_State *L)
{
    lab_check_table(L, 1, &keys);
    return 0;
}

/* Runs `t(<table>)` on line 1 of chunk "=s" and returns the error text. */
static const char *check(lua_State *L, const char *table)
{
    char src[512];
    snprintf(src, sizeof src, "t(%s)", table);
    lua_settop(L, 0);
    if (luaL_loadbuffer(L, src, strlen(src), "=s") != LUA_OK) return lua_tostring(L, -1);
    if (lua_pcall(L, 0, 0, 0) == LUA_OK) return NULL;
    return lua_tostring(L, -1);
}

static void test_lua_args_messages(void **state)
{
    (void)state;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_register(L, "t", checked);
    assert_null(check(L, "{ acks = 'all', partitions = 3, drop = 0.5, name = 'x', "
                         "config = { ['min.insync.replicas'] = 2, flag = 'true' } }"));
    assert_null(check(L, "{ acks = -1 }"));
    assert_string_equal(check(L, "{ partitons = 3 }"),
                        "s:1: lab.t: unknown field 'partitons' (did you mean 'partitions'?)");
    assert_string_equal(check(L, "{ config = { ['min.insync.replica'] = 2 } }"),
                        "s:1: t config: unknown setting 'min.insync.replica' "
                        "(did you mean 'min.insync.replicas'?)");
    /* nothing near: a short list is shown whole */
    assert_string_equal(check(L, "{ config = { zzzzzzzz = 1 } }"),
                        "s:1: t config: unknown setting 'zzzzzzzz' (known: min.insync.replicas, flag)");
    /* two typos: the first in sorted order, whatever order the table walks in */
    assert_string_equal(check(L, "{ zartitions = 1, bcks = 1, partitons = 3 }"),
                        "s:1: lab.t: unknown field 'bcks' (did you mean 'acks'?)");
    assert_string_equal(check(L, "{ acks = 'al' }"),
                        "s:1: lab.t: acks must be 0, 1, -1 or \"all\", not \"al\"");
    assert_string_equal(check(L, "{ acks = 2 }"),
                        "s:1: lab.t: acks must be 0, 1, -1 or \"all\", not 2");
    assert_string_equal(check(L, "{ partitions = 0 }"),
                        "s:1: lab.t: partitions must be 1 to 100, not 0");
    assert_string_equal(check(L, "{ partitions = 'many' }"),
                        "s:1: lab.t: partitions must be an integer from 1 to 100, not \"many\"");
    assert_string_equal(check(L, "{ drop = 1.5 }"),
                        "s:1: lab.t: drop must be a number from 0 to 1, not 1.5");
    assert_string_equal(check(L, "{ config = 3 }"),
                        "s:1: lab.t: config must be a table, not 3");
    assert_string_equal(check(L, "{ config = { flag = 'yes' } }"),
                        "s:1: t config: flag must be true or false, not \"yes\"");
    assert_string_equal(check(L, "{ 1 }"),
                        "s:1: lab.t: unknown field [1] (fields are named, as in acks = ...)");
    lua_close(L);
}

static void test_lua_args_long_value_cut(void **state)
{
    (void)state;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_register(L, "t", checked);
    const char *m = check(L, "{ [string.rep('x', 10000)] = 1 }");
    assert_non_null(m);
    assert_true(strlen(m) < 200);
    assert_non_null(strstr(m, "xxx... (10000 bytes)'"));
    m = check(L, "{ acks = string.rep('y', 10000) }");
    assert_true(strlen(m) < 200);
    assert_non_null(strstr(m, "yyy... (10000 bytes)\""));
    lua_close(L);
}

static void test_lua_args_quote_cuts_on_utf8(void **state)
{
    (void)state;
    char out[QL_QUOTE_CAP];
    assert_string_equal(ql_quote(out, sizeof out, "short", 5), "short");
    /* 59 ASCII bytes, then a 3-byte Hangul syllable across the cut */
    char s[128];
    memset(s, 'a', 59);
    strcpy(s + 59, "안녕하세요");
    ql_quote(out, sizeof out, s, strlen(s));
    char want[128];
    snprintf(want, sizeof want, "%.59s... (%zu bytes)", s, strlen(s));
    assert_string_equal(out, want);
}

/* The world's memory budget reads this: it must see the process. */
static void test_lua_args_mem_bytes_sees_the_process(void **state)
{
    (void)state;
    size_t before = ql_mem_bytes();
    assert_true(before > 0);
    size_t n = (size_t)64 << 20;
    char *p = xmalloc(n);
    memset(p, 1, n);                    /* resident, not only reserved */
    assert_true(ql_mem_bytes() >= before + n / 2);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lua_args_edit_distance),
        cmocka_unit_test(test_lua_args_near),
        cmocka_unit_test(test_lua_args_nearest_key),
        cmocka_unit_test(test_lua_args_messages),
        cmocka_unit_test(test_lua_args_long_value_cut),
        cmocka_unit_test(test_lua_args_quote_cuts_on_utf8),
        cmocka_unit_test(test_lua_args_mem_bytes_sees_the_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
