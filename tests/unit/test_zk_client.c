/* Sessions and requests end to end: a client node against an ensemble. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>

#include "zk_testlib.h"
#include "zk_proto.h"     /* ZC_CONNECT, to count connection attempts */
#include "net.h"

typedef struct outcome {
    int calls;
    zerr err;
    char path[ZPATH_MAX];
    char data[64];
    zstat stat;
    int nchildren;
} outcome;

static void done(void *ctx, const zk_result *r)
{
    outcome *o = ctx;
    o->calls++;
    o->err = r->err;
    o->path[0] = o->data[0] = 0;
    if (r->path) snprintf(o->path, sizeof o->path, "%s", r->path);
    if (r->data) snprintf(o->data, sizeof o->data, "%.*s", (int)r->len, (const char *)r->data);
    o->stat = r->stat;
    o->nchildren = r->nchildren;
}

typedef struct watches { int n; zevent last; char path[ZPATH_MAX]; } watches;

static void on_watch(void *ctx, zevent ev, const char *path)
{
    watches *w = ctx;
    w->n++;
    w->last = ev;
    snprintf(w->path, sizeof w->path, "%s", path);
}

/* Runs until o got an answer (max 20 s). */
static void wait_for(zk_world *w, outcome *o, int calls)
{
    for (int i = 0; i < 2000 && o->calls < calls; i++) zw_run_ms(w, 10);
    assert_int_equal(o->calls, calls);
}

static zk_client *client(zk_world *w, const char *name, const int *sids, int n,
                         uint64_t timeout_ms)
{
    int nodes[16];
    for (int i = 0; i < n; i++) nodes[i] = w->nodes[sids[i] - 1];
    zk_client *c = zk_client_node_new(w->s, name, nodes, n, timeout_ms);
    for (int i = 0; i < 500 && zk_client_state_get(c) != ZKC_CONNECTED; i++)
        zw_run_ms(w, 10);
    assert_int_equal(zk_client_state_get(c), ZKC_CONNECTED);
    return c;
}

/* Requests a client's sends of ZC_REQUEST to its server, from the trace. */
static int requests_sent(zk_world *w, int node)
{
    trace *t = sim_trace(w->s);
    int n = 0;
    for (size_t i = 0; i < trace_count(t); i++) {
        const trace_event *ev = trace_get(t, i);
        n += ev->kind == TR_SEND && ev->node == node && ev->msg_type == ZC_REQUEST;
    }
    return n;
}

typedef struct order { int next, bad; } order;

static void in_order(void *ctx, const zk_result *r)
{
    order *o = ctx;
    /* the reads name /q0, /q1, ... in the order they were asked */
    char want[16];
    snprintf(want, sizeof want, "%d", o->next++);
    if (r->err != ZOK || (int)r->len != (int)strlen(want) ||
        memcmp(r->data, want, r->len) != 0) o->bad++;
}

/* Kafka's ZooKeeperClient.handleRequests: at most
 * zookeeper.max.in.flight.requests out, the rest wait for a permit
 * (an answer), in the order asked; a waiting request is not sent at all. */
static void test_zk_client_max_inflight(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 5, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    zk_client *c = client(&w, "k", (int[]){ 1 }, 1, 30000);
    int node = sim_find_node(w.s, "k");
    outcome o = {0};
    for (int i = 0; i < 12; i++) {
        char path[16], data[16];
        snprintf(path, sizeof path, "/q%d", i);
        snprintf(data, sizeof data, "%d", i);
        zk_create(c, path, (const uint8_t *)data, strlen(data), 0, done, &o);
    }
    wait_for(&w, &o, 12);
    zk_client_set_max_inflight(c, 3);
    int before = requests_sent(&w, node);
    order ord = {0};
    for (int i = 0; i < 12; i++) {
        char path[16];
        snprintf(path, sizeof path, "/q%d", i);
        zk_get(c, path, false, in_order, &ord);
    }
    assert_int_equal(requests_sent(&w, node) - before, 3);
    assert_int_equal(zk_client_waiting(c), 9);
    for (int i = 0; i < 2000 && ord.next < 12; i++) zw_run_ms(&w, 1);
    assert_int_equal(ord.next, 12);
    assert_int_equal(ord.bad, 0);
    assert_int_equal(requests_sent(&w, node) - before, 12);
    assert_int_equal(zk_client_waiting(c), 0);
    zw_free(&w);
}

static void test_zk_client_crud(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 1, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    zk_client *c = client(&w, "c1", (int[]){ 1 }, 1, 100000);
    assert_int_equal(zk_client_timeout_ms(c), 40000);   /* clamped to 20 ticks */
    outcome o = {0};
    zk_create(c, "/a", (const uint8_t *)"x", 1, 0, done, &o);
    wait_for(&w, &o, 1);
    assert_int_equal(o.err, ZOK);
    assert_string_equal(o.path, "/a");
    zk_create(c, "/a", NULL, 0, 0, done, &o);
    wait_for(&w, &o, 2);
    assert_int_equal(o.err, ZNODEEXISTS);
    zk_set(c, "/a", (const uint8_t *)"yy", 2, 5, done, &o);
    wait_for(&w, &o, 3);
    assert_int_equal(o.err, ZBADVERSION);
    zk_set(c, "/a", (const uint8_t *)"yy", 2, 0, done, &o);
    zk_get(c, "/a", false, done, &o);   /* reads its own write */
    wait_for(&w, &o, 5);
    assert_string_equal(o.data, "yy");
    assert_int_equal(o.stat.version, 1);
    zk_create(c, "/a/s-", NULL, 0, ZF_SEQUENTIAL, done, &o);
    wait_for(&w, &o, 6);
    assert_string_equal(o.path, "/a/s-0000000000");
    zk_children(c, "/a", false, done, &o);
    wait_for(&w, &o, 7);
    assert_int_equal(o.nchildren, 1);
    zw_run_ms(&w, 100);
    /* every server holds the same tree */
    uint64_t d = ztree_digest(zk_server_tree(w.zk[0]));
    assert_int_equal(d, ztree_digest(zk_server_tree(w.zk[1])));
    assert_int_equal(d, ztree_digest(zk_server_tree(w.zk[2])));
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* A crashed client's session expires on the leader; its ephemeral goes
 * and another client's watch fires. */
static void test_zk_client_expiry_deletes_ephemerals(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 2, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    zk_client *a = client(&w, "a", (int[]){ 1 }, 1, 6000);
    zk_client *b = client(&w, "b", (int[]){ 2 }, 1, 6000);
    watches wb = {0};
    zk_client_on_watch(b, on_watch, &wb);
    outcome o = {0};
    zk_create(a, "/eph", NULL, 0, ZF_EPHEMERAL, done, &o);
    wait_for(&w, &o, 1);
    assert_int_equal(o.err, ZOK);
    zk_exists(b, "/eph", true, done, &o);
    wait_for(&w, &o, 2);
    assert_int_equal(o.err, ZOK);
    int anode = sim_find_node(w.s, "a");
    sim_crash(w.s, anode);
    zw_run_ms(&w, 4000);
    assert_true(ztree_exists(zk_server_tree(w.zk[1]), "/eph")); /* not yet */
    zw_run_ms(&w, 5000);
    assert_false(ztree_exists(zk_server_tree(w.zk[1]), "/eph"));
    assert_int_equal(wb.n, 1);
    assert_int_equal(wb.last, ZEV_DELETED);
    assert_string_equal(wb.path, "/eph");
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* The client's server dies: it fails over to the next one, keeps its
 * session, its pending call gets CONNECTIONLOSS, its watch survives. */
static void test_zk_client_failover(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 4, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    zk_client *c = client(&w, "c", (int[]){ 1, 2 }, 2, 6000);
    int64_t sess = zk_client_session(c);
    watches wc = {0};
    zk_client_on_watch(c, on_watch, &wc);
    outcome o = {0};
    zk_create(c, "/k", NULL, 0, 0, done, &o);
    wait_for(&w, &o, 1);
    zk_get(c, "/k", true, done, &o);
    wait_for(&w, &o, 2);
    /* the connect string was shuffled: crash whichever server it chose */
    int first = zk_client_server(c);
    int other = first == w.nodes[0] ? w.nodes[1] : w.nodes[0];
    sim_crash(w.s, first);
    for (int i = 0; i < 300 && zk_client_server(c) != other; i++) zw_run_ms(&w, 10);
    assert_int_equal(zk_client_server(c), other);
    assert_int_equal(zk_client_session(c), sess);
    zk_set(c, "/k", (const uint8_t *)"v", 1, -1, done, &o);
    wait_for(&w, &o, 3);
    assert_int_equal(o.err, ZOK);
    zw_run_ms(&w, 50);
    assert_int_equal(wc.n, 1);
    assert_int_equal(wc.last, ZEV_DATA_CHANGED);
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* Reconnecting after the session timeout: SESSIONEXPIRED. */
static void test_zk_client_expired_on_reconnect(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 6, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    zk_client *c = client(&w, "c", (int[]){ 1, 2 }, 2, 4000);
    int cn = sim_find_node(w.s, "c");
    sim_pause(w.s, cn, 10000000);
    zw_run_ms(&w, 12000);
    assert_int_equal(zk_client_state_get(c), ZKC_EXPIRED);
    outcome o = {0};
    zk_get(c, "/", false, done, &o);
    wait_for(&w, &o, 1);
    assert_int_equal(o.err, ZSESSIONEXPIRED);
    zw_free(&w);
}

/* Minority side: no service, clients get CONNECTIONLOSS. */
static void test_zk_client_no_quorum_no_service(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 8, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    sim_crash(w.s, w.nodes[2]);
    sim_crash(w.s, w.nodes[1]);
    zw_run_ms(&w, 1000);
    int nodes[1] = { w.nodes[0] };
    zk_client *c = zk_client_node_new(w.s, "c", nodes, 1, 6000);
    outcome o = {0};
    zk_get(c, "/", false, done, &o);
    wait_for(&w, &o, 1);
    assert_int_equal(o.err, ZCONNECTIONLOSS);
    assert_int_equal(zk_client_state_get(c), ZKC_CONNECTING);
    zw_free(&w);
}

/* FIDELITY's example: stop 5, 4; write on {1,2,3}; stop 1,2,3; start 4,
 * 5, 1: server 1 leads (fresher log), with epoch 4. */
static void test_zk_client_fresher_log_wins(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 5, 10, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 5);
    sim_crash(w.s, w.nodes[4]);
    assert_int_equal(zw_wait_leader(&w, 3000), 4);
    sim_crash(w.s, w.nodes[3]);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    zk_client *c = client(&w, "c", (int[]){ 1 }, 1, 6000);
    outcome o = {0};
    zk_create(c, "/w", NULL, 0, 0, done, &o);
    wait_for(&w, &o, 1);
    assert_int_equal(o.err, ZOK);
    zw_run_ms(&w, 100);
    for (int i = 0; i < 3; i++) sim_crash(w.s, w.nodes[i]);
    sim_restart(w.s, w.nodes[3]);
    sim_restart(w.s, w.nodes[4]);
    sim_restart(w.s, w.nodes[0]);
    assert_int_equal(zw_wait_leader(&w, 5000), 1);
    assert_int_equal(zw_info(&w, 1).epoch, 4);
    zw_run_ms(&w, 100);
    assert_true(ztree_exists(zk_server_tree(w.zk[4]), "/w"));
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

/* Connection attempts (ZC_CONNECT sent) of one client node, in order. */
typedef struct attempts { int node, n; uint64_t at_us[16]; int to[16]; } attempts;

static void count_connect(void *ctx, const trace_event *ev)
{
    attempts *a = ctx;
    if (ev->kind != TR_SEND || ev->msg_type != ZC_CONNECT || ev->node != a->node) return;
    if (a->n < 16) { a->at_us[a->n] = ev->at_us; a->to[a->n] = ev->peer; }
    a->n++;
}

/* StaticHostProvider: the connect string is shuffled, so 30 clients
 * given zk1,zk2,zk3 spread over the three (the old client always began
 * with zk1); and next(1000) sleeps a second when it comes back round to
 * the first server, while refused attempts before any server answered
 * (ClientCnxn's isFirstConnect) only wait ClientCnxnSocketNIO.cleanup's
 * 100 ms. A real 3.8 client against three closed ports: attempts 0.10 s
 * apart, 1.10 s between passes, in the same (shuffled) order. */
static void test_zk_client_static_host_provider(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 12, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    int on[3] = {0};
    for (int i = 0; i < 30; i++) {
        char name[8];
        snprintf(name, sizeof name, "c%d", i);
        zk_client *c = client(&w, name, (int[]){ 1, 2, 3 }, 3, 6000);
        for (int k = 0; k < 3; k++) on[k] += zk_client_server(c) == w.nodes[k];
    }
    for (int k = 0; k < 3; k++) assert_true(on[k] >= 4);     /* 10 each on average */

    for (int k = 0; k < 3; k++) sim_crash(w.s, w.nodes[k]);
    /* the new node's index: its first attempt is made as it starts */
    attempts a = { .node = sim_node_count(w.s) };
    trace_listen(sim_trace(w.s), count_connect, &a);
    int nodes[3] = { w.nodes[0], w.nodes[1], w.nodes[2] };
    zk_client_node_new(w.s, "down", nodes, 3, 6000);
    assert_int_equal(sim_find_node(w.s, "down"), a.node);
    zw_run_ms(&w, 3500);
    trace_unlisten(sim_trace(w.s), count_connect, &a);
    assert_true(a.n >= 6);
    /* one pass over the three: refused, 100 ms each, no random pause */
    for (int i = 1; i < 3; i++) {
        assert_true(a.at_us[i] - a.at_us[i - 1] >= 100000);
        assert_true(a.at_us[i] - a.at_us[i - 1] < 110000);
    }
    assert_true(a.to[0] != a.to[1] && a.to[1] != a.to[2] && a.to[0] != a.to[2]);
    /* back to the first: a second more, then the same order again */
    assert_true(a.at_us[3] - a.at_us[2] >= 1100000);
    assert_true(a.at_us[3] - a.at_us[2] < 1110000);
    assert_int_equal(a.to[3], a.to[0]);
    assert_int_equal(a.to[4], a.to[1]);
    zw_free(&w);
}

/* How many TR_CLIENT events of node say text. */
static int client_says(zk_world *w, int node, const char *text)
{
    trace *t = sim_trace(w->s);
    int n = 0;
    for (size_t i = 0; i < trace_count(t); i++) {
        const trace_event *ev = trace_get(t, i);
        n += ev->kind == TR_CLIENT && ev->node == node && strcmp(ev->text, text) == 0;
    }
    return n;
}

/* A connection attempt that never got its ConnectResponse (ClientCnxn's
 * "Opening socket connection" that failed) is not a lost connection: the
 * trace says "could not connect to zk1", and "lost" only for a server
 * the client was connected to. */
static void test_zk_client_never_connected_is_not_lost(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 3, 5, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 3);
    sim_crash(w.s, w.nodes[0]);
    zk_client *c = zk_client_node_new(w.s, "c", (int[]){ w.nodes[0] }, 1, 6000);
    int node = sim_find_node(w.s, "c");
    zw_run_ms(&w, 8000);
    assert_int_equal(zk_client_state_get(c), ZKC_CONNECTING);
    assert_true(client_says(&w, node, "zk client could not connect to zk1") >= 1);
    assert_int_equal(client_says(&w, node, "zk client lost zk1"), 0);
    /* connected to zk2, then zk2 crashes: that one was lost */
    zk_client *d = client(&w, "d", (int[]){ 2 }, 1, 6000);
    int dn = sim_find_node(w.s, "d");
    sim_crash(w.s, w.nodes[1]);
    zw_run_ms(&w, 100);
    assert_int_equal(client_says(&w, dn, "zk client lost zk2"), 1);
    (void)d;
    zw_free(&w);
}

/* Cuts client -> server as the server sends the client a ConnectResponse:
 * the setWatches the client sends on connecting is lost, and the
 * connection with it (no reply ever comes on it). */
typedef struct cut_on_connect { sim *s; int client, server; bool armed; } cut_on_connect;

static void cut_after_connect(void *ctx, const trace_event *ev)
{
    cut_on_connect *k = ctx;
    if (!k->armed || ev->kind != TR_SEND || ev->msg_type != ZC_CONNECT_RESP ||
        ev->node != k->server || ev->peer != k->client) return;
    net_cut(sim_net(k->s), k->client, k->server, true);
    k->armed = false;
}

static void run_until_state(zk_world *w, zk_client *c, zk_client_state st)
{
    for (int i = 0; i < 2000 && zk_client_state_get(c) != st; i++) zw_run_ms(w, 10);
    assert_int_equal(zk_client_state_get(c), st);
}

/* A child was added while the watcher was away; its first reconnection
 * broke before the setWatches arrived, with no reply on it. The second
 * setWatches still names the zxid of the watcher's last reply
 * (ClientCnxn.readResponse moves lastZxid only on a reply header; the
 * ConnectResponse carries no zxid), so the server fires the watch
 * (DataTree.setWatches). The old client took the server's zxid from the
 * ConnectResponse and the event was lost for good: fuzz seed 7509, where
 * the controller never learned that broker 103 had registered. */
static void test_zk_client_watch_survives_broken_reconnect(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 1, 14, NULL);
    assert_int_equal(zw_wait_leader(&w, 3000), 1);
    zk_client *c = client(&w, "c", (int[]){ 1 }, 1, 12000);
    zk_client *d = client(&w, "d", (int[]){ 1 }, 1, 12000);
    int cn = sim_find_node(w.s, "c"), zn = w.nodes[0];
    int64_t sess = zk_client_session(c);
    watches wc = {0};
    zk_client_on_watch(c, on_watch, &wc);
    outcome o = {0};
    zk_create(d, "/ids", NULL, 0, 0, done, &o);
    wait_for(&w, &o, 1);
    zk_children(c, "/ids", true, done, &o);
    wait_for(&w, &o, 2);
    assert_int_equal(o.err, ZOK);

    /* c away: the child is added meanwhile */
    net_cut(sim_net(w.s), cn, zn, true);
    net_cut(sim_net(w.s), zn, cn, true);
    run_until_state(&w, c, ZKC_CONNECTING);
    zk_create(d, "/ids/103", NULL, 0, 0, done, &o);
    wait_for(&w, &o, 3);
    assert_int_equal(o.err, ZOK);

    /* c reconnects, but that connection breaks before its setWatches */
    cut_on_connect k = { .s = w.s, .client = cn, .server = zn, .armed = true };
    trace_listen(sim_trace(w.s), cut_after_connect, &k);
    net_cut(sim_net(w.s), cn, zn, false);
    net_cut(sim_net(w.s), zn, cn, false);
    run_until_state(&w, c, ZKC_CONNECTED);
    assert_false(k.armed);
    run_until_state(&w, c, ZKC_CONNECTING);
    trace_unlisten(sim_trace(w.s), cut_after_connect, &k);
    assert_int_equal(wc.n, 0);

    /* the next connection's setWatches fires the missed event */
    net_cut(sim_net(w.s), cn, zn, false);
    run_until_state(&w, c, ZKC_CONNECTED);
    zw_run_ms(&w, 100);
    assert_int_equal(zk_client_session(c), sess);     /* the same session */
    assert_int_equal(wc.n, 1);
    assert_int_equal(wc.last, ZEV_CHILDREN_CHANGED);
    assert_string_equal(wc.path, "/ids");
    assert_int_equal(zk_checker_violations(w.chk), 0);
    zw_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zk_client_crud),
        cmocka_unit_test(test_zk_client_expiry_deletes_ephemerals),
        cmocka_unit_test(test_zk_client_failover),
        cmocka_unit_test(test_zk_client_expired_on_reconnect),
        cmocka_unit_test(test_zk_client_no_quorum_no_service),
        cmocka_unit_test(test_zk_client_fresher_log_wins),
        cmocka_unit_test(test_zk_client_static_host_provider),
        cmocka_unit_test(test_zk_client_never_connected_is_not_lost),
        cmocka_unit_test(test_zk_client_watch_survives_broken_reconnect),
        cmocka_unit_test(test_zk_client_max_inflight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
