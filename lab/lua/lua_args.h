/* lua_args: strict checking of the tables scripts pass to `lab` (the
 * fields of lab.cluster{}, lab.producer{}, ..., and every config table).
 * Each function declares the keys it knows in a lab_key list; one call
 * checks a table against it, so a typo never passes silently: an unknown
 * key is an error naming the nearest known one ("did you mean"), a bad
 * value one naming the key, the value and what is allowed.
 *
 * To add an option: add a line to the function's list (e.g. producer_keys
 * in lua_kafka.c) and read the value where the function reads the others;
 * the check, the error texts and the suggestions come with the line. */
#ifndef QL_LUA_ARGS_H
#define QL_LUA_ARGS_H

#include <stdbool.h>
#include <lua.h>
#include <lauxlib.h>

typedef enum lab_kind {
    LK_INT,         /* an integer in [lo, hi] (a numeric string too: Kafka's
                     * settings are strings in server.properties) */
    LK_NUM,         /* a number in [lo, hi] */
    LK_BOOL,        /* true or false (or "true"/"false") */
    LK_STR,         /* a string (or a number) */
    LK_ENUM,        /* one of choices; a number matches its decimal text */
    LK_TABLE,       /* a table; with sub, its keys are checked too */
    LK_ANY,         /* anything: the reader checks its shape */
} lab_kind;

typedef struct lab_keys lab_keys;

typedef struct lab_key {
    const char *name;           /* NULL ends a list */
    lab_kind kind;
    lua_Integer lo, hi;         /* LK_INT, LK_NUM: the allowed range */
    const char *const *choices; /* LK_ENUM: NULL-terminated */
    const lab_keys *sub;        /* LK_TABLE: its keys, or NULL */
} lab_key;

/* One line per key: LAB_INT("partitions", 1, 100000), LAB_BOOL("both"). */
#define LAB_INT(n, lo, hi)  { (n), LK_INT, (lo), (hi), NULL, NULL }
#define LAB_NUM(n, lo, hi)  { (n), LK_NUM, (lo), (hi), NULL, NULL }
#define LAB_BOOL(n)         { (n), LK_BOOL, 0, 0, NULL, NULL }
#define LAB_STR(n)          { (n), LK_STR, 0, 0, NULL, NULL }
#define LAB_ENUM(n, ch)     { (n), LK_ENUM, 0, 0, (ch), NULL }
#define LAB_TABLE(n, sub)   { (n), LK_TABLE, 0, 0, NULL, (sub) }
#define LAB_ANY(n)          { (n), LK_ANY, 0, 0, NULL, NULL }
#define LAB_END             { NULL, LK_ANY, 0, 0, NULL, NULL }

#define LAB_KEY_LISTS_MAX 4

/* What a table is, for the error texts, and the keys it may hold: up to
 * three lists, so a table can mix settings kept in two modules (the
 * ensemble's and Kafka's in lab.cluster's config). */
struct lab_keys {
    const char *what;           /* "lab.producer", "lab.cluster config" */
    const char *noun;           /* "field" or "setting" */
    const lab_key *lists[LAB_KEY_LISTS_MAX];  /* each ends with { NULL } */
};

/* Checks the table at idx against k: raises a Lua error (with the
 * caller's file:line) for the first unknown key in sorted order, then for
 * the first bad value in list order. Returns only when all is well. */
void lab_check_table(lua_State *L, int idx, const lab_keys *k);

/* Raises "what: every entry of a list is a value, not 'k = v'" unless the
 * table at idx holds only 1..n keys (bootstrap, connect, broker_ids). */
void lab_check_list(lua_State *L, int idx, const char *what);

/* A checked LK_BOOL value: true, or the string "true". */
bool lab_to_bool(lua_State *L, int idx);

/* The value at idx as an error text quotes it: a string in double quotes
 * cut by ql_quote, a number as it prints, other values by type name.
 * Pushes the text and returns it. */
const char *lab_quote_value(lua_State *L, int idx);
/* A string a user gave, cut by ql_quote (no quotes added); pushed. */
const char *lab_quote(lua_State *L, const char *s);

/* The name among the lists of k nearest to word, or NULL when none is
 * near enough to suggest. */
const char *lab_nearest_key(const lab_keys *k, const char *word);

#endif
