/* Snapshots and log purge: with a small snapCount a long run keeps a
 * bounded log, a restarted server rebuilds from its snapshot plus the log
 * after it, a follower behind what the leader keeps gets SNAP, one within
 * the DIFF window still gets DIFF, and the invariant checker agrees. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <string.h>

#include "zk_testlib.h"
#include "util.h"

enum { SNAP_COUNT = 50, DIFF_WINDOW = 500 };
/* What a log may hold: the DIFF window, at most snapCount txns since the
 * snapshot, and a few in flight. Without purge it holds every txn. */
#define LOG_BOUND (DIFF_WINDOW + SNAP_COUNT + 10)

typedef struct seen {
    int node;               /* only this node's events */
    int diff, trunc, snap, load;
    uint64_t load_zxid;     /* zxid of the last LOAD */
    int snapshots;          /* snapshot notes of any server */
    uint64_t snap_at[256];  /* their zxids */
} seen;

/* Whether some snapshot zxid was not taken by all n servers. */
static bool staggered(const seen *s, int n)
{
    for (int i = 0; i < s->snapshots; i++) {
        int same = 0;
        for (int j = 0; j < s->snapshots; j++) same += s->snap_at[j] == s->snap_at[i];
        if (same < n) return true;
    }
    return false;
}

static void watch_trace(void *ctx, const trace_event *ev)
{
    seen *s = ctx;
    if (ev->kind == TR_NOTE && ev->node >= 0 && !strncmp(ev->text, "snapshot at", 11))
        if (s->snapshots < (int)QL_ARRAY_LEN(s->snap_at))
            s->snap_at[s->snapshots++] = ev->a;
    if (ev->kind != TR_SYNC || ev->node != s->node) return;
    if (!strcmp(ev->text, "DIFF")) s->diff++;
    if (!strcmp(ev->text, "TRUNC")) s->trunc++;
    if (!strcmp(ev->text, "SNAP")) s->snap++;
    if (!strcmp(ev->text, "LOAD")) {
        s->load++;
        s->load_zxid = ev->a;
    }
}

typedef struct counter { int done, ok; } counter;

static void count(void *ctx, const zk_result *r)
{
    counter *c = ctx;
    c->done++;
    c->ok += r->err == ZOK;
}

static void small_snaps(zk_world *w, uint64_t seed)
{
    zk_config cfg;
    zk_config_defaults(&cfg);
    cfg.snap_count = SNAP_COUNT;
    zw_init(w, 3, seed, &cfg);
    assert_int_equal(zw_wait_leader(w, 3000), 3);
}

static zk_client *connect(zk_world *w, int sid)
{
    int node = w->nodes[sid - 1];
    zk_client *c = zk_client_node_new(w->s, "c", &node, 1, 6000);
    for (int i = 0; i < 300 && zk_client_state_get(c) != ZKC_CONNECTED; i++)
        zw_run_ms(w, 10);
    assert_int_equal(zk_client_state_get(c), ZKC_CONNECTED);
    return c;
}

static size_t max_log(zk_world *w)
{
    size_t m = 0;
    for (int sid = 1; sid <= w->n; sid++) {
        size_t n = zw_info(w, sid).log_entries;
        if (n > m) m = n;
    }
    return m;
}

/* Creates /n<from> .. /n<from+n-1>, 20 in flight at a time; returns the
 * largest log any server held while doing so. */
static size_t writes(zk_world *w, zk_client *c, int from, int n)
{
    char path[32];
    counter k = {0};
    size_t peak = 0;
    for (int i = 0; i < n; i += 20) {
        int batch = n - i < 20 ? n - i : 20;
        for (int j = 0; j < batch; j++) {
            snprintf(path, sizeof path, "/n%d", from + i + j);
            zk_create(c, path, NULL, 0, 0, count, &k);
        }
        for (int t = 0; t < 500 && k.done < i + batch; t++) zw_run_ms(w, 10);
        size_t m = max_log(w);
        if (m > peak) peak = m;
    }
    assert_int_equal(k.ok, n);
    return peak;
}

static void assert_same_tree(zk_world *w, int a, int b)
{
    assert_int_equal(ztree_digest(zk_server_tree(w->zk[a - 1])),
                     ztree_digest(zk_server_tree(w->zk[b - 1])));
}

/* 1,000 writes: every server snapshots, purges, and its log never holds
 * more than the DIFF window plus one snapshot interval. */
static void test_snap_log_stays_bounded(void **st)
{
    (void)st;
    zk_world w;
    seen s = { .node = -1 };
    small_snaps(&w, 41);
    trace_listen(sim_trace(w.s), watch_trace, &s);
    zk_client *c = connect(&w, 1);
    size_t peak = writes(&w, c, 0, 1000);
    assert_true(peak <= LOG_BOUND);
    assert_true(s.snapshots >= 3 * (1000 / SNAP_COUNT));
    for (int sid = 1; sid <= 3; sid++) {
        zk_server_info in = zw_info(&w, sid);
        assert_true(in.snap_zxid > ZXID(1, 900));
        assert_true(in.log_entries <= LOG_BOUND);
    }
    /* the per-server roll keeps them from all snapshotting together */
    assert_true(staggered(&s, 3));
    assert_same_tree(&w, 1, 3);
    assert_same_tree(&w, 2, 3);
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* A follower crashes after 1,000 writes and restarts: its log no longer
 * holds the first txns, so /n0 can only come back from its snapshot; it
 * loads at its last logged txn and then needs only a DIFF. */
static void test_snap_restart_loads_snapshot_and_log_tail(void **st)
{
    (void)st;
    zk_world w;
    seen s = {0};
    small_snaps(&w, 42);
    zk_client *c = connect(&w, 2);
    writes(&w, c, 0, 1000);
    zk_server_info before = zw_info(&w, 1);
    assert_true(before.snap_zxid > 0);
    assert_true(before.log_entries < 1000);
    sim_crash(w.s, w.nodes[0]);
    s.node = w.nodes[0];
    trace_listen(sim_trace(w.s), watch_trace, &s);
    sim_restart(w.s, w.nodes[0]);
    assert_int_equal(s.load, 1);
    assert_int_equal(s.load_zxid, before.last_zxid);
    assert_true(ztree_exists(zk_server_tree(w.zk[0]), "/n0"));
    assert_true(ztree_exists(zk_server_tree(w.zk[0]), "/n999"));
    zw_run_ms(&w, 2000);
    assert_int_equal(s.diff, 1);
    assert_int_equal(s.snap + s.trunc, 0);
    writes(&w, c, 1000, 10);
    zw_run_ms(&w, 100);
    assert_same_tree(&w, 1, 3);
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* Down for 100 writes: still inside the window the leader keeps, DIFF.
 * Down for 1,000: behind everything the leader keeps, SNAP; and the
 * snapshot it got is durable: a second restart loads it and DIFFs. */
static void test_snap_lagging_follower_gets_snap(void **st)
{
    (void)st;
    zk_world w;
    seen s = {0};
    small_snaps(&w, 43);
    zk_client *c = connect(&w, 2);
    writes(&w, c, 0, 200);
    s.node = w.nodes[0];
    trace_listen(sim_trace(w.s), watch_trace, &s);

    sim_crash(w.s, w.nodes[0]);
    writes(&w, c, 200, 100);
    sim_restart(w.s, w.nodes[0]);
    zw_run_ms(&w, 2000);
    assert_int_equal(s.diff, 1);
    assert_int_equal(s.snap + s.trunc, 0);

    sim_crash(w.s, w.nodes[0]);
    writes(&w, c, 300, 1000);
    sim_restart(w.s, w.nodes[0]);
    zw_run_ms(&w, 2000);
    assert_int_equal(s.snap, 1);
    assert_int_equal(s.diff, 1);
    assert_same_tree(&w, 1, 3);
    assert_true(zw_info(&w, 1).log_entries <= LOG_BOUND);

    sim_crash(w.s, w.nodes[0]);
    sim_restart(w.s, w.nodes[0]);
    assert_true(ztree_exists(zk_server_tree(w.zk[0]), "/n0"));
    assert_true(ztree_exists(zk_server_tree(w.zk[0]), "/n1299"));
    zw_run_ms(&w, 2000);
    assert_int_equal(s.diff, 2);
    assert_int_equal(s.snap, 1);
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* The leader dies after 1,000 writes; the new leader's purged log still
 * syncs everyone, and the old leader returns from its own snapshot. */
static void test_snap_leader_change_after_purge(void **st)
{
    (void)st;
    zk_world w;
    small_snaps(&w, 44);
    zk_client *c = connect(&w, 1);
    writes(&w, c, 0, 1000);
    sim_crash(w.s, w.nodes[2]);
    int l = zw_wait_leader(&w, 5000);
    assert_true(l == 1 || l == 2);
    for (int i = 0; i < 300 && zk_client_state_get(c) != ZKC_CONNECTED; i++)
        zw_run_ms(&w, 10);
    writes(&w, c, 1000, 100);
    sim_restart(w.s, w.nodes[2]);
    zw_run_ms(&w, 3000);
    assert_same_tree(&w, 3, l);
    assert_true(ztree_exists(zk_server_tree(w.zk[2]), "/n1099"));
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* snapCount below ZooKeeper's minimum of 2 is raised to 2, not a crash
 * (the roll divides by snapCount/2). */
static void test_snap_count_minimum(void **st)
{
    (void)st;
    zk_world w;
    zk_config cfg;
    zk_config_defaults(&cfg);
    assert_int_equal(cfg.snap_count, 100000);
    cfg.snap_count = 0;
    zw_init(&w, 3, 45, &cfg);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    zk_client *c = connect(&w, 1);
    writes(&w, c, 0, 30);
    assert_true(zw_info(&w, 3).snap_zxid > ZXID(1, 25));
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snap_log_stays_bounded),
        cmocka_unit_test(test_snap_restart_loads_snapshot_and_log_tail),
        cmocka_unit_test(test_snap_lagging_follower_gets_snap),
        cmocka_unit_test(test_snap_leader_change_after_purge),
        cmocka_unit_test(test_snap_count_minimum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
