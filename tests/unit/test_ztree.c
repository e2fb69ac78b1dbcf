/* Unit tests for the znode tree: every error code, stat bookkeeping as
 * ZooKeeper 3.8 does it, sequential naming, ephemerals, multi atomicity,
 * observer events, snapshots (round trip and damaged bytes), path rules,
 * walk order, and a tree of 50k znodes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "util.h"
#include "ztree.h"

/* ---- helpers ---- */

static zop op_create(const char *path, const char *data, uint32_t flags)
{
    return (zop){ .type = ZOP_CREATE, .path = path,
                  .data = (const uint8_t *)data, .len = data ? strlen(data) : 0,
                  .flags = flags };
}

static zop op_set(const char *path, const char *data, int32_t version)
{
    return (zop){ .type = ZOP_SET, .path = path, .data = (const uint8_t *)data,
                  .len = strlen(data), .version = version };
}

static zop op_delete(const char *path, int32_t version)
{
    return (zop){ .type = ZOP_DELETE, .path = path, .version = version };
}

static zop op_check(const char *path, int32_t version)
{
    return (zop){ .type = ZOP_CHECK, .path = path, .version = version };
}

/* One op at zxid (time = zxid * 10, session 0x51 for ephemerals). */
static zerr one(ztree *t, int64_t zxid, zop op, zop_result *res)
{
    zop_result tmp;
    return ztree_apply(t, zxid, 0x51, zxid * 10, &op, 1, res ? res : &tmp);
}

static zerr mk(ztree *t, int64_t zxid, const char *path, uint32_t flags)
{
    return one(t, zxid, op_create(path, "", flags), NULL);
}

static zstat stat_of(const ztree *t, const char *path)
{
    zstat st;
    assert_int_equal(ztree_get(t, path, NULL, NULL, &st), ZOK);
    return st;
}

static void assert_data(const ztree *t, const char *path, const char *want)
{
    const uint8_t *data;
    size_t len;
    assert_int_equal(ztree_get(t, path, &data, &len, NULL), ZOK);
    assert_int_equal(len, strlen(want));
    if (len) assert_memory_equal(data, want, len);
}

/* Records observer calls as "Event path" lines. */
typedef struct events {
    char lines[32][ZPATH_MAX + 32];
    int n;
} events;

static void record(void *ctx, zevent ev, const char *path)
{
    events *e = ctx;
    if (e->n < 32) snprintf(e->lines[e->n++], sizeof e->lines[0], "%s %s",
                            zevent_name(ev), path);
}

/* ---- names ---- */

static void test_ztree_names(void **state)
{
    static const char *want[ZERR_COUNT] = {
        "OK", "NONODE", "NODEEXISTS", "NOTEMPTY", "BADVERSION",
        "NOCHILDRENFOREPHEMERALS", "BADARGUMENTS", "CONNECTIONLOSS",
        "SESSIONEXPIRED", "OPERATIONTIMEOUT", "RUNTIMEINCONSISTENCY",
        "SESSIONMOVED", "NOTREADONLY" };
    for (int e = 0; e < ZERR_COUNT; e++)
        assert_string_equal(zerr_name((zerr)e), want[e]);
    assert_string_equal(zevent_name(ZEV_CREATED), "NodeCreated");
    assert_string_equal(zevent_name(ZEV_DELETED), "NodeDeleted");
    assert_string_equal(zevent_name(ZEV_DATA_CHANGED), "NodeDataChanged");
    assert_string_equal(zevent_name(ZEV_CHILDREN_CHANGED), "NodeChildrenChanged");
}

/* ---- stat ---- */

static void test_ztree_new_holds_only_root(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(ztree_count(t), 1);
    assert_true(ztree_exists(t, "/"));
    zstat st = stat_of(t, "/");
    assert_int_equal(st.num_children, 0);
    assert_int_equal(st.cversion, 0);
    char **names;
    int n;
    assert_int_equal(ztree_children(t, "/", &names, &n), ZOK);
    assert_int_equal(n, 0);
    ztree_free_names(names, n);
    ztree_free(t);
    ztree_free(NULL);
}

static void test_ztree_stat_after_create(void **state)
{
    ztree *t = ztree_new();
    zop_result res;
    assert_int_equal(one(t, 0x100000001, op_create("/app", "hello", 0), &res), ZOK);
    assert_string_equal(res.path, "/app");
    zstat st = stat_of(t, "/app");
    assert_memory_equal(&st, &res.stat, sizeof st);
    assert_int_equal(st.czxid, 0x100000001);
    assert_int_equal(st.mzxid, 0x100000001);
    assert_int_equal(st.pzxid, 0x100000001);
    assert_int_equal(st.ctime_ms, 0x100000001 * 10);
    assert_int_equal(st.mtime_ms, st.ctime_ms);
    assert_int_equal(st.version, 0);
    assert_int_equal(st.cversion, 0);
    assert_int_equal(st.ephemeral_owner, 0);
    assert_int_equal(st.num_children, 0);
    assert_int_equal(st.data_length, 5);
    assert_data(t, "/app", "hello");

    zstat root = stat_of(t, "/");
    assert_int_equal(root.cversion, 1);
    assert_int_equal(root.pzxid, 0x100000001);
    assert_int_equal(root.num_children, 1);
    assert_int_equal(root.mzxid, 0);            /* children are not data */
    assert_int_equal(root.version, 0);

    assert_int_equal(one(t, 0x100000002, op_create("/app/e", "", ZF_EPHEMERAL), NULL), ZOK);
    assert_int_equal(stat_of(t, "/app/e").ephemeral_owner, 0x51);
    assert_int_equal(ztree_count(t), 3);
    ztree_free(t);
}

static void test_ztree_stat_after_set(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 5, "/a", 0), ZOK);
    zop_result res;
    assert_int_equal(one(t, 6, op_set("/a", "v1", -1), &res), ZOK);
    assert_int_equal(one(t, 7, op_set("/a", "version2", 1), &res), ZOK);
    zstat st = stat_of(t, "/a");
    assert_memory_equal(&st, &res.stat, sizeof st);
    assert_int_equal(st.version, 2);
    assert_int_equal(st.czxid, 5);
    assert_int_equal(st.ctime_ms, 50);
    assert_int_equal(st.mzxid, 7);
    assert_int_equal(st.mtime_ms, 70);
    assert_int_equal(st.pzxid, 5);               /* no child changes */
    assert_int_equal(st.data_length, 8);
    assert_data(t, "/a", "version2");
    assert_int_equal(res.path[0], '\0');          /* only creates name one */
    /* Emptying the data. */
    assert_int_equal(one(t, 8, op_set("/a", "", 2), NULL), ZOK);
    assert_data(t, "/a", "");
    ztree_free(t);
}

static void test_ztree_stat_after_delete(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 1, "/p", 0), ZOK);
    assert_int_equal(mk(t, 2, "/p/a", 0), ZOK);
    assert_int_equal(mk(t, 3, "/p/b", 0), ZOK);
    assert_int_equal(one(t, 4, op_delete("/p/a", 0), NULL), ZOK);
    assert_false(ztree_exists(t, "/p/a"));
    zstat st = stat_of(t, "/p");
    /* ZooKeeper serves cversion as creates + deletes. */
    assert_int_equal(st.cversion, 3);
    assert_int_equal(st.pzxid, 4);
    assert_int_equal(st.num_children, 1);
    assert_int_equal(st.mzxid, 1);
    assert_int_equal(st.version, 0);
    assert_int_equal(ztree_count(t), 3);
    ztree_free(t);
}

/* ---- errors ---- */

static void test_ztree_error_nonode(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 1, "/a/b", 0), ZNONODE);
    assert_int_equal(one(t, 2, op_set("/a", "x", -1), NULL), ZNONODE);
    assert_int_equal(one(t, 3, op_delete("/a", -1), NULL), ZNONODE);
    assert_int_equal(one(t, 4, op_check("/a", -1), NULL), ZNONODE);
    assert_int_equal(ztree_get(t, "/a", NULL, NULL, NULL), ZNONODE);
    char **names;
    int n;
    assert_int_equal(ztree_children(t, "/a", &names, &n), ZNONODE);
    assert_false(ztree_exists(t, "/a"));
    assert_int_equal(ztree_count(t), 1);
    ztree_free(t);
}

static void test_ztree_error_nodeexists(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 1, "/a", 0), ZOK);
    zstat before = stat_of(t, "/");
    assert_int_equal(mk(t, 2, "/a", 0), ZNODEEXISTS);
    assert_int_equal(mk(t, 3, "/a", ZF_EPHEMERAL), ZNODEEXISTS);
    assert_int_equal(mk(t, 4, "/", 0), ZNODEEXISTS);
    zstat after = stat_of(t, "/");
    assert_memory_equal(&before, &after, sizeof before);   /* nothing bumped */
    ztree_free(t);
}

static void test_ztree_error_notempty(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 1, "/a", 0), ZOK);
    assert_int_equal(mk(t, 2, "/a/b", 0), ZOK);
    assert_int_equal(one(t, 3, op_delete("/a", -1), NULL), ZNOTEMPTY);
    assert_true(ztree_exists(t, "/a/b"));
    assert_int_equal(one(t, 4, op_delete("/a/b", -1), NULL), ZOK);
    assert_int_equal(one(t, 5, op_delete("/a", -1), NULL), ZOK);
    assert_int_equal(ztree_count(t), 1);
    ztree_free(t);
}

static void test_ztree_error_badversion(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 1, "/a", 0), ZOK);
    assert_int_equal(one(t, 2, op_set("/a", "x", 1), NULL), ZBADVERSION);
    assert_int_equal(stat_of(t, "/a").version, 0);
    assert_int_equal(one(t, 3, op_check("/a", 3), NULL), ZBADVERSION);
    assert_int_equal(one(t, 4, op_check("/a", 0), NULL), ZOK);
    assert_int_equal(one(t, 5, op_set("/a", "x", 0), NULL), ZOK);
    assert_int_equal(one(t, 6, op_set("/a", "y", 0), NULL), ZBADVERSION);
    assert_int_equal(one(t, 7, op_delete("/a", 0), NULL), ZBADVERSION);
    assert_true(ztree_exists(t, "/a"));
    assert_data(t, "/a", "x");
    assert_int_equal(one(t, 8, op_check("/a", -1), NULL), ZOK);
    assert_int_equal(one(t, 9, op_delete("/a", 1), NULL), ZOK);
    assert_false(ztree_exists(t, "/a"));
    ztree_free(t);
}

static void test_ztree_error_nochildrenforephemerals(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 1, "/e", ZF_EPHEMERAL), ZOK);
    assert_int_equal(mk(t, 2, "/e/kid", 0), ZNOCHILDRENFOREPHEMERALS);
    assert_int_equal(mk(t, 3, "/e/kid", ZF_EPHEMERAL | ZF_SEQUENTIAL),
                     ZNOCHILDRENFOREPHEMERALS);
    assert_int_equal(stat_of(t, "/e").num_children, 0);
    assert_int_equal(stat_of(t, "/e").cversion, 0);
    ztree_free(t);
}

static void test_ztree_error_badarguments(void **state)
{
    ztree *t = ztree_new();
    assert_int_equal(mk(t, 1, "/a", 0), ZOK);
    assert_int_equal(mk(t, 2, "a", 0), ZBADARGUMENTS);
    assert_int_equal(mk(t, 3, "/a/", 0), ZBADARGUMENTS);
    assert_int_equal(mk(t, 4, "/a//b", 0), ZBADARGUMENTS);
    assert_int_equal(mk(t, 5, "/a/./b", 0), ZBADARGUMENTS);
    assert_int_equal(mk(t, 6, "/a", 4), ZBADARGUMENTS);          /* flags */
    zop eph = op_create("/x", "", ZF_EPHEMERAL);
    zop_result res;
    assert_int_equal(ztree_apply(t, 7, 0, 70, &eph, 1, &res), ZBADARGUMENTS);
    assert_int_equal(res.err, ZBADARGUMENTS);
    assert_int_equal(one(t, 8, op_delete("/", -1), NULL), ZBADARGUMENTS);
    assert_int_equal(one(t, 9, op_set("/a/", "x", -1), NULL), ZBADARGUMENTS);
    assert_int_equal(one(t, 10, op_check("", -1), NULL), ZBADARGUMENTS);
    assert_int_equal(one(t, 11, op_delete("/a/..", -1), NULL), ZBADARGUMENTS);
    zop nul = { .type = ZOP_SET, .path = NULL };
    assert_int_equal(ztree_apply(t, 12, 1, 0, &nul, 1, &res), ZBADARGUMENTS);
    nul.type = ZOP_CREATE;
    assert_int_equal(ztree_apply(t, 13, 1, 0, &nul, 1, &res), ZBADARGUMENTS);
    assert_int_equal(ztree_get(t, "a", NULL, NULL, NULL), ZBADARGUMENTS);
    assert_int_equal(ztree_count(t), 2);
    ztree_free(t);
}

/* ---- sequential and ephemeral znodes ---- */

static void test_ztree_sequential_naming(void **state)
{
    ztree *t = ztree_new();
    zop_result res;
    assert_int_equal(mk(t, 1, "/q", 0), ZOK);
    assert_int_equal(one(t, 2, op_create("/q/n-", "", ZF_SEQUENTIAL), &res), ZOK);
    assert_string_equal(res.path, "/q/n-0000000000");
    assert_int_equal(one(t, 3, op_create("/q/n-", "", ZF_SEQUENTIAL), &res), ZOK);
    assert_string_equal(res.path, "/q/n-0000000001");
    /* The counter is the parent's, shared by every prefix and plain creates. */
    assert_int_equal(mk(t, 4, "/q/plain", 0), ZOK);
    assert_int_equal(one(t, 5, op_create("/q/other-", "", ZF_SEQUENTIAL), &res), ZOK);
    assert_string_equal(res.path, "/q/other-0000000003");
    /* Deletes do not move it back. */
    assert_int_equal(one(t, 6, op_delete("/q/other-0000000003", -1), NULL), ZOK);
    assert_int_equal(one(t, 7, op_create("/q/n-", "", ZF_SEQUENTIAL | ZF_EPHEMERAL), &res), ZOK);
    assert_string_equal(res.path, "/q/n-0000000004");
    assert_int_equal(stat_of(t, res.path).ephemeral_owner, 0x51);
    /* A prefix may end in '/', as ZooKeeper allows for sequentials. */
    assert_int_equal(one(t, 8, op_create("/q/", "", ZF_SEQUENTIAL), &res), ZOK);
    assert_string_equal(res.path, "/q/0000000005");
    assert_int_equal(one(t, 9, op_create("/", "", ZF_SEQUENTIAL), &res), ZOK);
    assert_string_equal(res.path, "/0000000001");
    /* A failed create does not consume a number. */
    assert_int_equal(mk(t, 10, "/q/n-0000000004/x", ZF_SEQUENTIAL), ZNOCHILDRENFOREPHEMERALS);
    assert_int_equal(one(t, 11, op_create("/q/n-", "", ZF_SEQUENTIAL), &res), ZOK);
    assert_string_equal(res.path, "/q/n-0000000006");
    char **names;
    int n;
    assert_int_equal(ztree_children(t, "/q", &names, &n), ZOK);
    const char *want[] = { "0000000005", "n-0000000000", "n-0000000001",
                           "n-0000000004", "n-0000000006", "plain" };
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++) assert_string_equal(names[i], want[i]);
    ztree_free_names(names, n);
    ztree_free(t);
}

static void test_ztree_ephemeral_listing(void **state)
{
    ztree *t = ztree_new();
    const char *persistent[] = { "/a", "/a/b", "/b" };
    for (int i = 0; i < 3; i++) assert_int_equal(mk(t, i + 1, persistent[i], 0), ZOK);
    /* Session 7's ephemerals, created out of order. */
    const char *mine[] = { "/b/z", "/a-b", "/a/b/c", "/a/x", "/e" };
    for (int i = 0; i < 5; i++) {
        zop op = op_create(mine[i], "", ZF_EPHEMERAL);
        zop_result res;
        assert_int_equal(ztree_apply(t, 10 + i, 7, 0, &op, 1, &res), ZOK);
    }
    zop other = op_create("/a/y", "", ZF_EPHEMERAL);
    zop_result res;
    assert_int_equal(ztree_apply(t, 20, 8, 0, &other, 1, &res), ZOK);

    char **paths;
    int n = ztree_ephemerals(t, 7, &paths);
    const char *sorted[] = { "/a-b", "/a/b/c", "/a/x", "/b/z", "/e" };
    assert_int_equal(n, 5);
    for (int i = 0; i < n; i++) assert_string_equal(paths[i], sorted[i]);
    ztree_free_names(paths, n);

    n = ztree_ephemerals(t, 8, &paths);
    assert_int_equal(n, 1);
    assert_string_equal(paths[0], "/a/y");
    ztree_free_names(paths, n);

    /* Another session may delete them (ZooKeeper checks ACLs, not owners). */
    assert_int_equal(one(t, 21, op_delete("/a/x", -1), NULL), ZOK);
    n = ztree_ephemerals(t, 7, &paths);
    assert_int_equal(n, 4);
    ztree_free_names(paths, n);
    assert_int_equal(ztree_ephemerals(t, 9, &paths), 0);
    ztree_free_names(paths, 0);
    assert_int_equal(ztree_ephemerals(t, 0, &paths), 0);   /* persistents */
    ztree_free_names(paths, 0);
    ztree_free(t);
}

/* ---- multi ---- */

static void test_ztree_multi_failure_changes_nothing(void **state)
{
    ztree *t = ztree_new();
    events ev = { .n = 0 };
    assert_int_equal(mk(t, 1, "/m", 0), ZOK);
    assert_int_equal(one(t, 2, op_set("/m", "orig", -1), NULL), ZOK);
    ztree_set_observer(t, record, &ev);
    uint64_t digest = ztree_digest(t);

    zop ops[3] = { op_create("/m/a", "x", 0), op_set("/m", "new", 5),
                   op_create("/m/b", "y", 0) };
    zop_result res[3];
    memset(res, 0x5a, sizeof res);
    assert_int_equal(ztree_apply(t, 3, 0x51, 30, ops, 3, res), ZBADVERSION);
    /* As ZooKeeper: OK before the failure, its error, then RUNTIMEINCONSISTENCY. */
    assert_int_equal(res[0].err, ZOK);
    assert_string_equal(res[0].path, "");            /* not created after all */
    assert_int_equal(res[1].err, ZBADVERSION);
    assert_int_equal(res[2].err, ZRUNTIMEINCONSISTENCY);
    assert_false(ztree_exists(t, "/m/a"));
    assert_false(ztree_exists(t, "/m/b"));
    assert_data(t, "/m", "orig");
    assert_int_equal(ztree_digest(t), digest);
    assert_int_equal(ztree_count(t), 2);
    assert_int_equal(ev.n, 0);

    /* A failure at the end takes back a create, a set, a delete and a
     * sequential create, the sequence counter included. */
    assert_int_equal(mk(t, 4, "/m/old", 0), ZOK);
    ev.n = 0;
    digest = ztree_digest(t);
    zop more[5] = { op_create("/m/s-", "", ZF_SEQUENTIAL), op_set("/m", "z", 1),
                    op_delete("/m/old", -1), op_create("/m/c", "", 0),
                    op_check("/m/old", -1) };
    zop_result res5[5];
    assert_int_equal(ztree_apply(t, 5, 0x51, 50, more, 5, res5), ZNONODE);
    for (int i = 0; i < 4; i++) assert_int_equal(res5[i].err, ZOK);
    assert_int_equal(res5[4].err, ZNONODE);
    assert_int_equal(ztree_digest(t), digest);
    assert_true(ztree_exists(t, "/m/old"));
    assert_int_equal(ev.n, 0);
    assert_int_equal(one(t, 6, op_create("/m/s-", "", ZF_SEQUENTIAL), &res5[0]), ZOK);
    assert_string_equal(res5[0].path, "/m/s-0000000001");   /* /m/old was #0 */

    /* A failing first op: everything after it is inconsistent. */
    zop first[3] = { op_delete("/nope", -1), op_create("/m/d", "", 0), op_check("/m", -1) };
    assert_int_equal(ztree_apply(t, 7, 0x51, 70, first, 3, res), ZNONODE);
    assert_int_equal(res[0].err, ZNONODE);
    assert_int_equal(res[1].err, ZRUNTIMEINCONSISTENCY);
    assert_int_equal(res[2].err, ZRUNTIMEINCONSISTENCY);
    ztree_free(t);
}

static void test_ztree_multi_success(void **state)
{
    ztree *t = ztree_new();
    events ev = { .n = 0 };
    ztree_set_observer(t, record, &ev);
    /* Later ops see earlier ones: create a parent, its child, change and
     * remove them within one transaction. */
    zop ops[6] = { op_create("/a", "1", 0), op_create("/a/b", "", 0),
                   op_set("/a", "2", 0), op_check("/a", 1),
                   op_delete("/a/b", 0), op_create("/a/s", "", ZF_SEQUENTIAL) };
    zop_result res[6];
    assert_int_equal(ztree_apply(t, 9, 0x51, 90, ops, 6, res), ZOK);
    for (int i = 0; i < 6; i++) assert_int_equal(res[i].err, ZOK);
    assert_string_equal(res[0].path, "/a");
    assert_string_equal(res[1].path, "/a/b");
    assert_int_equal(res[2].stat.version, 1);
    assert_string_equal(res[5].path, "/a/s0000000001");
    assert_data(t, "/a", "2");
    zstat st = stat_of(t, "/a");
    assert_int_equal(st.cversion, 3);       /* two creates, one delete */
    assert_int_equal(st.czxid, 9);
    assert_int_equal(st.pzxid, 9);
    assert_int_equal(ztree_count(t), 3);
    const char *want[] = {
        "NodeCreated /a", "NodeChildrenChanged /",
        "NodeCreated /a/b", "NodeChildrenChanged /a",
        "NodeDataChanged /a",
        "NodeDeleted /a/b", "NodeChildrenChanged /a",
        "NodeCreated /a/s0000000001", "NodeChildrenChanged /a" };
    assert_int_equal(ev.n, 9);
    for (int i = 0; i < ev.n; i++) assert_string_equal(ev.lines[i], want[i]);
    /* An empty multi succeeds and changes nothing. */
    assert_int_equal(ztree_apply(t, 10, 0, 0, NULL, 0, NULL), ZOK);
    ztree_free(t);
}

static void test_ztree_observer_events(void **state)
{
    ztree *t = ztree_new();
    events ev = { .n = 0 };
    ztree_set_observer(t, record, &ev);
    assert_int_equal(mk(t, 1, "/x", 0), ZOK);
    assert_int_equal(mk(t, 2, "/x/y", 0), ZOK);
    assert_int_equal(one(t, 3, op_set("/x/y", "d", -1), NULL), ZOK);
    assert_int_equal(one(t, 4, op_delete("/x/y", -1), NULL), ZOK);
    /* Failed writes and checks report nothing. */
    assert_int_equal(mk(t, 5, "/x", 0), ZNODEEXISTS);
    assert_int_equal(one(t, 6, op_check("/x", -1), NULL), ZOK);
    assert_int_equal(one(t, 7, op_set("/x", "d", 3), NULL), ZBADVERSION);
    const char *want[] = {
        "NodeCreated /x", "NodeChildrenChanged /",
        "NodeCreated /x/y", "NodeChildrenChanged /x",
        "NodeDataChanged /x/y",
        "NodeDeleted /x/y", "NodeChildrenChanged /x" };
    assert_int_equal(ev.n, 7);
    for (int i = 0; i < ev.n; i++) assert_string_equal(ev.lines[i], want[i]);
    ztree_set_observer(t, NULL, NULL);
    assert_int_equal(mk(t, 8, "/z", 0), ZOK);
    assert_int_equal(ev.n, 7);
    ztree_free(t);
}

/* ---- snapshots ---- */

static ztree *sample_tree(void)
{
    ztree *t = ztree_new();
    assert_int_equal(one(t, 1, op_create("/brokers", "", 0), NULL), ZOK);
    assert_int_equal(mk(t, 2, "/brokers/ids", 0), ZOK);
    assert_int_equal(one(t, 3, op_create("/brokers/ids/101", "{\"host\":\"b1\"}", ZF_EPHEMERAL), NULL), ZOK);
    assert_int_equal(one(t, 4, op_create("/controller", "{\"brokerid\":101}", ZF_EPHEMERAL), NULL), ZOK);
    assert_int_equal(one(t, 5, op_create("/controller_epoch", "1", 0), NULL), ZOK);
    assert_int_equal(one(t, 6, op_set("/controller_epoch", "2", 0), NULL), ZOK);
    assert_int_equal(mk(t, 7, "/locks", 0), ZOK);
    assert_int_equal(mk(t, 8, "/locks/l-", ZF_SEQUENTIAL), ZOK);
    assert_int_equal(mk(t, 9, "/locks/l-", ZF_SEQUENTIAL), ZOK);
    assert_int_equal(one(t, 10, op_delete("/locks/l-0000000000", -1), NULL), ZOK);
    assert_int_equal(mk(t, 11, "/caf\xc3\xa9", 0), ZOK);
    return t;
}

static void test_ztree_serialize_round_trip(void **state)
{
    ztree *t = sample_tree();
    wbuf w;
    wbuf_init(&w);
    ztree_serialize(t, &w);
    rbuf r = rbuf_of(w.data, w.len);
    ztree *u = ztree_deserialize(&r);
    assert_non_null(u);
    assert_int_equal(r.pos, w.len);
    assert_int_equal(ztree_digest(u), ztree_digest(t));
    assert_int_equal(ztree_count(u), ztree_count(t));
    assert_data(u, "/controller", "{\"brokerid\":101}");
    zstat a = stat_of(t, "/locks"), b = stat_of(u, "/locks");
    assert_memory_equal(&a, &b, sizeof a);
    char **paths;
    int n = ztree_ephemerals(u, 0x51, &paths);
    assert_int_equal(n, 2);
    ztree_free_names(paths, n);
    /* The sequence counter survives: both trees name the next one alike. */
    zop_result ra, rb;
    assert_int_equal(one(t, 12, op_create("/locks/l-", "", ZF_SEQUENTIAL), &ra), ZOK);
    assert_int_equal(one(u, 12, op_create("/locks/l-", "", ZF_SEQUENTIAL), &rb), ZOK);
    assert_string_equal(ra.path, "/locks/l-0000000002");
    assert_string_equal(rb.path, ra.path);
    assert_int_equal(ztree_digest(u), ztree_digest(t));
    /* Serializing the copy gives the same bytes. */
    wbuf w2;
    wbuf_init(&w2);
    wbuf_reset(&w);
    ztree_serialize(t, &w);
    ztree_serialize(u, &w2);
    assert_int_equal(w.len, w2.len);
    assert_memory_equal(w.data, w2.data, w.len);
    wbuf_free(&w);
    wbuf_free(&w2);
    ztree_free(t);
    ztree_free(u);
}

static void test_ztree_deserialize_rejects_garbage(void **state)
{
    ztree *t = sample_tree();
    wbuf w;
    wbuf_init(&w);
    ztree_serialize(t, &w);
    uint8_t *buf = malloc(w.len);
    /* Every truncation. */
    for (size_t cut = 0; cut < w.len; cut++) {
        rbuf r = rbuf_of(w.data, cut);
        assert_null(ztree_deserialize(&r));
    }
    /* Every single flipped bit. */
    for (size_t i = 0; i < w.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(buf, w.data, w.len);
            buf[i] ^= (uint8_t)(1u << bit);
            rbuf r = rbuf_of(buf, w.len);
            ztree *u = ztree_deserialize(&r);
            if (u) fprintf(stderr, "accepted a flip at byte %zu bit %d\n", i, bit);
            assert_null(u);
        }
    }
    /* Random bytes, with and without a valid header. */
    rng g;
    rng_seed(&g, 42);
    for (int k = 0; k < 2000; k++) {
        size_t n = (size_t)rng_below(&g, w.len + 1);
        for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)rng_next(&g);
        if (k % 2 && n >= 12) memcpy(buf, w.data, 12);
        rbuf r = rbuf_of(buf, n);
        assert_null(ztree_deserialize(&r));
    }
    /* A huge child count must be refused, not allocated. */
    memcpy(buf, w.data, w.len);
    size_t nkids_at = 4 + 8 + 4 + 4 + 6 * 8 + 4 + 4;     /* the root's */
    memset(buf + nkids_at, 0xff, 4);
    rbuf r = rbuf_of(buf, w.len);
    assert_null(ztree_deserialize(&r));
    free(buf);
    wbuf_free(&w);
    ztree_free(t);
}

/* ---- paths ---- */

static void test_ztree_valid_path(void **state)
{
    const char *good[] = { "/", "/a", "/a/b", "/a.b", "/...", "/.a", "/a..",
                           "/zookeeper", "/caf\xc3\xa9", "/a b", "/\xe4\xb8\xad", "/a~" };
    const char *bad[] = { "", "a", "a/b", "/a/", "//", "/a//b", "/.", "/..",
                          "/a/.", "/a/../b", "/a\x01", "/a\x1f", "/a\x7f",
                          "/\xc2\x85",                /* C1 control */
                          "/\xf0\x9f\x98\x80",        /* beyond the BMP */
                          "/\xee\x80\x80",            /* private use */
                          "/\xef\xbf\xbf",            /* special */
                          "/\xc3", "/\xc0\xaf",       /* malformed UTF-8 */
                          "/\xed\xa0\x80" };          /* surrogate */
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(ztree_valid_path(good[i]));
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (ztree_valid_path(bad[i])) fail_msg("accepted %s", bad[i]);
    }
    assert_false(ztree_valid_path(NULL));
    /* At most ZPATH_MAX - 11 bytes, room left for a sequence suffix. */
    char p[ZPATH_MAX + 8];
    memset(p, 'x', sizeof p);
    p[0] = '/';
    p[ZPATH_MAX - 11] = '\0';
    assert_true(ztree_valid_path(p));
    p[ZPATH_MAX - 11] = 'x';
    p[ZPATH_MAX - 10] = '\0';
    assert_false(ztree_valid_path(p));
    /* The longest sequential create fits a result path. */
    ztree *t = ztree_new();
    p[ZPATH_MAX - 11] = '\0';
    zop_result res;
    assert_int_equal(one(t, 1, op_create(p, "", ZF_SEQUENTIAL), &res), ZOK);
    assert_int_equal(strlen(res.path), ZPATH_MAX - 1);
    assert_true(ztree_exists(t, res.path));    /* still reachable */
    assert_int_equal(ztree_count(t), 2);
    assert_int_equal(ztree_get(t, res.path, NULL, NULL, NULL), ZOK);
    wbuf w;
    wbuf_init(&w);
    ztree_serialize(t, &w);
    rbuf r = rbuf_of(w.data, w.len);
    ztree *u = ztree_deserialize(&r);
    assert_non_null(u);
    assert_int_equal(ztree_digest(u), ztree_digest(t));
    ztree_free(u);
    wbuf_free(&w);
    ztree_free(t);
}

/* ---- walks ---- */

typedef struct walk_log {
    char lines[16][ZPATH_MAX + 16];
    int n, stop_after;
} walk_log;

static bool log_visit(void *ctx, const char *path, const char *name, int depth,
                      const zstat *st, const uint8_t *data, size_t len)
{
    walk_log *l = ctx;
    snprintf(l->lines[l->n++], sizeof l->lines[0], "%d %s %s %zu", depth,
             path, name, len);
    return l->n != l->stop_after;
}

static void test_ztree_walk_order(void **state)
{
    ztree *t = ztree_new();
    const char *paths[] = { "/b", "/a", "/a-b", "/a/z", "/a/c", "/a/c/d", "/B" };
    for (int i = 0; i < 7; i++) assert_int_equal(mk(t, i + 1, paths[i], 0), ZOK);
    assert_int_equal(one(t, 8, op_set("/a/c", "xyz", -1), NULL), ZOK);
    walk_log l = { .n = 0 };
    ztree_walk(t, log_visit, &l);
    const char *want[] = { "0 /  0", "1 /B B 0", "1 /a a 0", "2 /a/c c 3",
                           "3 /a/c/d d 0", "2 /a/z z 0", "1 /a-b a-b 0",
                           "1 /b b 0" };
    assert_int_equal(l.n, 8);
    for (int i = 0; i < 8; i++) assert_string_equal(l.lines[i], want[i]);
    /* The visitor can stop the walk. */
    walk_log s = { .n = 0, .stop_after = 3 };
    ztree_walk(t, log_visit, &s);
    assert_int_equal(s.n, 3);
    ztree_free(t);
}

/* ---- whole trees ---- */

static void test_ztree_clone_and_digest(void **state)
{
    ztree *t = sample_tree();
    ztree *c = ztree_clone(t);
    uint64_t d = ztree_digest(t);
    assert_int_equal(ztree_digest(c), d);
    assert_int_equal(ztree_count(c), ztree_count(t));
    /* The same history applied to a fresh tree gives the same digest. */
    ztree *again = sample_tree();
    assert_int_equal(ztree_digest(again), d);
    /* The copy is independent, and the digest sees data, stat and names. */
    assert_int_equal(one(t, 20, op_set("/locks", "", -1), NULL), ZOK);
    assert_int_not_equal(ztree_digest(t), d);        /* only version moved */
    assert_int_equal(ztree_digest(c), d);
    assert_int_equal(one(again, 20, op_set("/controller_epoch", "3", -1), NULL), ZOK);
    assert_int_not_equal(ztree_digest(again), d);
    assert_int_not_equal(ztree_digest(again), ztree_digest(t));
    assert_int_equal(mk(c, 21, "/new", 0), ZOK);
    assert_false(ztree_exists(t, "/new"));
    ztree_free(t);
    ztree_free(c);
    ztree_free(again);
}

/* A deserialized tree recomputes its digest from scratch and refuses the
 * snapshot when it differs, so this checks the digest kept up to date by
 * every change (and every rollback) of a random history. */
static void test_ztree_digest_tracks_random_history(void **state)
{
    static const char *paths[] = { "/a", "/b", "/a/x", "/a/y", "/b/x",
                                   "/a/x/1", "/q", "/q/s-" };
    ztree *t = ztree_new();
    rng g;
    rng_seed(&g, 2024);
    int ok = 0, failed = 0;
    for (int step = 1; step <= 3000; step++) {
        zop ops[3];
        int n = 1 + (int)rng_below(&g, 3);
        for (int i = 0; i < n; i++) {
            const char *p = paths[rng_below(&g, QL_ARRAY_LEN(paths))];
            int32_t v = (int32_t)rng_below(&g, 3) - 1;
            switch (rng_below(&g, 4)) {
            case 0: ops[i] = op_create(p, "c", (uint32_t)rng_below(&g, 4)); break;
            case 1: ops[i] = op_delete(p, v); break;
            case 2: ops[i] = op_set(p, step % 2 ? "odd" : "", v); break;
            default: ops[i] = op_check(p, v); break;
            }
        }
        zop_result res[3];
        zerr e = ztree_apply(t, step, 1 + (int64_t)rng_below(&g, 2), step, ops, n, res);
        if (e == ZOK) ok++;
        else failed++;
        if (step % 100 == 0) {
            wbuf w;
            wbuf_init(&w);
            ztree_serialize(t, &w);
            rbuf r = rbuf_of(w.data, w.len);
            ztree *u = ztree_deserialize(&r);
            assert_non_null(u);
            assert_int_equal(ztree_digest(u), ztree_digest(t));
            ztree_free(u);
            wbuf_free(&w);
        }
    }
    assert_true(ok > 300 && failed > 300);    /* both paths were exercised */
    ztree_free(t);
}

static void test_ztree_many_znodes(void **state)
{
    /* 50k znodes: 50 parents of 1000 children, created in shuffled order. */
    ztree *t = ztree_new();
    char path[64];
    int64_t zxid = 1;
    for (int p = 0; p < 50; p++) {
        snprintf(path, sizeof path, "/p%02d", p);
        assert_int_equal(mk(t, zxid++, path, 0), ZOK);
    }
    rng g;
    rng_seed(&g, 7);
    for (int i = 0; i < 50000; i++) {
        int k = (int)((uint64_t)i * 7919 % 50000);  /* a permutation */
        snprintf(path, sizeof path, "/p%02d/c%05d", k % 50, k);
        assert_int_equal(mk(t, zxid++, path, 0), ZOK);
    }
    assert_int_equal(ztree_count(t), 1 + 50 + 50000);
    for (int i = 0; i < 1000; i++) {
        int k = (int)rng_below(&g, 50000);
        snprintf(path, sizeof path, "/p%02d/c%05d", k % 50, k);
        assert_true(ztree_exists(t, path));
    }
    char **names;
    int n;
    assert_int_equal(ztree_children(t, "/p07", &names, &n), ZOK);
    assert_int_equal(n, 1000);
    for (int i = 1; i < n; i++) assert_true(strcmp(names[i - 1], names[i]) < 0);
    ztree_free_names(names, n);
    wbuf w;
    wbuf_init(&w);
    ztree_serialize(t, &w);
    rbuf r = rbuf_of(w.data, w.len);
    ztree *u = ztree_deserialize(&r);
    assert_non_null(u);
    assert_int_equal(ztree_digest(u), ztree_digest(t));
    ztree_free(u);
    wbuf_free(&w);
    ztree_free(t);
}

/* Children found by their 8-byte keys: names that share 8 bytes, are
 * one byte longer, end where another goes on, or hold bytes over 0x7f
 * (UTF-8) list in strcmp order, and each is found (and its prefixes
 * are not) in the tree, its clone and a snapshot round trip. */
static void test_ztree_children_by_key(void **state)
{
    static const char *const names[] = {
        "partitions", "partitionsX", "partition", "partitio", "partiti",
        "12345678", "123456789", "1234567", "12345678a", "1234567a",
        "a", "ab", "b", "0", "00", "9", "99", "999", "10", "100",
        "\xc3\xa9t\xc3\xa9", "\xc3\xa9", "~", "zzzzzzzzzzzz", "zzzzzzzz",
        "zzzzzzzzz", "-", "_", "Z",
    };
    enum { N = sizeof names / sizeof names[0] };
    ztree *t = ztree_new();
    char path[64];
    int64_t zxid = 1;
    assert_int_equal(mk(t, zxid++, "/k", 0), ZOK);
    for (int i = 0; i < N; i++) {
        snprintf(path, sizeof path, "/k/%s", names[i]);
        assert_int_equal(one(t, zxid++, op_create(path, names[i], 0), NULL), ZOK);
    }
    wbuf w;
    wbuf_init(&w);
    ztree_serialize(t, &w);
    rbuf r = rbuf_of(w.data, w.len);
    ztree *trees[3] = { t, ztree_clone(t), ztree_deserialize(&r) };
    assert_non_null(trees[2]);
    for (int k = 0; k < 3; k++) {
        char **got;
        int n;
        assert_int_equal(ztree_children(trees[k], "/k", &got, &n), ZOK);
        assert_int_equal(n, N);
        for (int i = 1; i < n; i++) assert_true(strcmp(got[i - 1], got[i]) < 0);
        ztree_free_names(got, n);
        for (int i = 0; i < N; i++) {
            snprintf(path, sizeof path, "/k/%s", names[i]);
            assert_data(trees[k], path, names[i]);
        }
        assert_false(ztree_exists(trees[k], "/k/partitionsXY"));
        assert_false(ztree_exists(trees[k], "/k/1234567800"));
        assert_false(ztree_exists(trees[k], "/k/part"));
        assert_false(ztree_exists(trees[k], "/k/zzzzzzzzzz"));
    }
    /* deleting keeps the rest findable */
    assert_int_equal(one(t, zxid++, op_delete("/k/12345678", -1), NULL), ZOK);
    assert_false(ztree_exists(t, "/k/12345678"));
    assert_true(ztree_exists(t, "/k/123456789"));
    assert_true(ztree_exists(t, "/k/1234567"));
    ztree_free(trees[1]);
    ztree_free(trees[2]);
    wbuf_free(&w);
    ztree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ztree_names),
        cmocka_unit_test(test_ztree_new_holds_only_root),
        cmocka_unit_test(test_ztree_stat_after_create),
        cmocka_unit_test(test_ztree_stat_after_set),
        cmocka_unit_test(test_ztree_stat_after_delete),
        cmocka_unit_test(test_ztree_error_nonode),
        cmocka_unit_test(test_ztree_error_nodeexists),
        cmocka_unit_test(test_ztree_error_notempty),
        cmocka_unit_test(test_ztree_error_badversion),
        cmocka_unit_test(test_ztree_error_nochildrenforephemerals),
        cmocka_unit_test(test_ztree_error_badarguments),
        cmocka_unit_test(test_ztree_sequential_naming),
        cmocka_unit_test(test_ztree_ephemeral_listing),
        cmocka_unit_test(test_ztree_multi_failure_changes_nothing),
        cmocka_unit_test(test_ztree_multi_success),
        cmocka_unit_test(test_ztree_observer_events),
        cmocka_unit_test(test_ztree_serialize_round_trip),
        cmocka_unit_test(test_ztree_deserialize_rejects_garbage),
        cmocka_unit_test(test_ztree_valid_path),
        cmocka_unit_test(test_ztree_walk_order),
        cmocka_unit_test(test_ztree_clone_and_digest),
        cmocka_unit_test(test_ztree_digest_tracks_random_history),
        cmocka_unit_test(test_ztree_many_znodes),
        cmocka_unit_test(test_ztree_children_by_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
