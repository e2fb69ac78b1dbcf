/* zk_jute and real_zk: the decoders of what real ZooKeeper clients send,
 * fed valid, truncated, random and hostile packets (run under ASan by make
 * test), and a real connection's life against a world: a ConnectRequest
 * answered with a session (ZooKeeperServer.finishSessionInit's 41-byte
 * ConnectResponse), a request answered in the client's order, and bad input
 * closing that connection only (NIOServerCnxn.readLength's "Len error"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "zk_jute.h"
#include "real_zk.h"
#include "cluster.h"
#include "rng.h"

static size_t connect_req_ro(wbuf *w, int64_t session, const uint8_t *pw, bool ro)
{
    size_t at = zj_begin(w);
    zj_w_int(w, 0);
    zj_w_long(w, 0);
    zj_w_int(w, 6000);
    zj_w_long(w, session);
    uint8_t zero[16] = {0};
    zj_w_buffer(w, pw ? pw : zero, 16);
    zj_w_bool(w, ro);                       /* canBeReadOnly */
    zj_end(w, at);
    return at;
}

static size_t connect_req(wbuf *w, int64_t session, const uint8_t *pw)
{
    return connect_req_ro(w, session, pw, false);
}

static void create_req(wbuf *w, int32_t xid, const char *path, int mode)
{
    size_t at = zj_begin(w);
    zj_w_int(w, xid);
    zj_w_int(w, ZJ_OP_CREATE);
    zj_w_string(w, path);
    zj_w_buffer(w, "v", 1);
    zj_w_int(w, 1);                         /* one ACL: world:anyone */
    zj_w_int(w, 31);
    zj_w_string(w, "world");
    zj_w_string(w, "anyone");
    zj_w_int(w, mode);
    zj_end(w, at);
}

static void test_zk_jute_create_decodes(void **state)
{
    wbuf w = {0};
    create_req(&w, 7, "/a", 3);
    size_t len;
    assert_int_equal(zj_frame(w.data, w.len, ZJ_MAXBUFFER, &len), ZJ_FRAME);
    zj_req *r = calloc(1, sizeof *r);
    assert_int_equal(zj_req_decode(w.data + 4, len, r), ZJ_OK);
    assert_int_equal(r->xid, 7);
    assert_int_equal(r->nops, 1);
    assert_string_equal(r->ops[0].path, "/a");
    assert_int_equal(r->ops[0].flags, ZF_EPHEMERAL | ZF_SEQUENTIAL);
    /* every cut short of the whole packet is malformed, never read past */
    for (size_t k = 0; k < len; k++) {
        uint8_t *cut = malloc(k ? k : 1);
        memcpy(cut, w.data + 4, k);
        assert_int_not_equal(zj_req_decode(cut, k, r), ZJ_OK);
        free(cut);
    }
    free(r);
    wbuf_free(&w);
}

static void test_zk_jute_lengths_checked_first(void **state)
{
    /* 2 GB, negative, just over jute.maxbuffer: refused from the prefix */
    uint8_t big[4] = { 0x7f, 0xff, 0xff, 0xff }, neg[4] = { 0xff, 0xff, 0xff, 0xfe };
    uint8_t over[4] = { 0x00, 0x10, 0x00, 0x00 }, half[3] = { 0, 0, 0 };
    size_t len;
    assert_int_equal(zj_frame(big, 4, ZJ_MAXBUFFER, &len), ZJ_BAD_LEN);
    assert_int_equal(zj_frame(neg, 4, ZJ_MAXBUFFER, &len), ZJ_BAD_LEN);
    assert_int_equal(zj_frame(over, 4, ZJ_MAXBUFFER, &len), ZJ_BAD_LEN);
    assert_int_equal(zj_frame(half, 3, ZJ_MAXBUFFER, &len), ZJ_NEED_MORE);
    /* a string length beyond the packet: malformed, not a huge read */
    wbuf w = {0};
    zj_w_int(&w, 1);
    zj_w_int(&w, ZJ_OP_GETDATA);
    zj_w_int(&w, 0x7ffffff0);
    zj_req *r = calloc(1, sizeof *r);
    assert_int_equal(zj_req_decode(w.data, w.len, r), ZJ_MALFORMED);
    /* setWatches claiming 2^31 paths ends at the packet's end */
    wbuf_reset(&w);
    zj_w_int(&w, -8);
    zj_w_int(&w, ZJ_OP_SETWATCHES);
    zj_w_long(&w, 0);
    zj_w_int(&w, 0x7fffffff);
    zj_w_string(&w, "/x");
    assert_int_equal(zj_req_decode(w.data, w.len, r), ZJ_OK);
    int list, n = 0;
    char path[ZPATH_MAX];
    while (zj_watch_next(r, &list, path, sizeof path)) n++;
    assert_int_equal(n, 1);
    free(r);
    wbuf_free(&w);
}

static void test_zk_jute_random_bytes(void **state)
{
    rng g;
    rng_seed(&g, 13);
    zj_req *r = calloc(1, sizeof *r);
    for (int i = 0; i < 20000; i++) {
        size_t n = (size_t)rng_below(&g, 200);
        uint8_t *p = malloc(n ? n : 1);
        for (size_t k = 0; k < n; k++) p[k] = (uint8_t)rng_next(&g);
        if (n >= 8 && (i & 1)) {            /* a plausible header, random body */
            p[0] = p[1] = p[2] = 0;
            p[4] = p[5] = p[6] = 0;
            p[7] = (uint8_t)rng_below(&g, 16);
        }
        zj_connect c;
        zj_connect_decode(p, n, &c);
        if (zj_req_decode(p, n, r) == ZJ_OK && r->nwatch_lists) {
            int list;
            char path[ZPATH_MAX];
            while (zj_watch_next(r, &list, path, sizeof path)) {}
        }
        size_t len;
        zj_frame(p, n, ZJ_MAXBUFFER, &len);
        free(p);
    }
    free(r);
}

/* --- a connection against a world --- */

static cluster *world_of(int zookeepers, bool readonly_mode)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.zk.readonly_mode = readonly_mode;
    cfg.zookeepers = zookeepers;
    char err[128];
    cluster *w = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w);
    sim_run_until(cluster_sim(w), 3000000);     /* a leader is elected */
    return w;
}

static cluster *world(void) { return world_of(3, false); }

static void run(cluster *w, uint64_t ms)
{
    sim *s = cluster_sim(w);
    sim_run_until(s, sim_now_us(s) + ms * 1000);
}

static void test_real_zk_session_and_create(void **state)
{
    cluster *w = world();
    real_hub *h = real_hub_new(w);
    char why[128];
    int id = real_zk_accept(h, 1, "127.0.0.1:1", why, sizeof why);
    assert_true(id >= 0);
    wbuf in = {0};
    connect_req(&in, 0, NULL);
    create_req(&in, 1, "/e", 1);            /* pipelined behind the connect */
    assert_int_equal(real_zk_input(h, id, in.data, in.len), in.len);
    run(w, 200);
    const uint8_t *out;
    size_t n = real_zk_output(h, id, &out);
    assert_true(n >= 45);
    zj_in r = zj_in_of(out, n);
    assert_int_equal(zj_int(&r), 37);       /* ConnectResponse + readOnly: 41 bytes with the prefix */
    assert_int_equal(zj_int(&r), 0);
    assert_int_equal(zj_int(&r), 6000);
    int64_t session = zj_long(&r);
    assert_true(session != 0);
    const uint8_t *pw;
    assert_int_equal(zj_buffer(&r, &pw), 16);
    uint8_t want[16];
    zj_session_passwd(session, want);
    assert_memory_equal(pw, want, 16);
    zj_bool(&r);
    zj_int(&r);                             /* the create's reply */
    assert_int_equal(zj_int(&r), 1);        /* xid */
    zj_long(&r);
    assert_int_equal(zj_int(&r), 0);        /* err */
    const uint8_t *path;
    assert_int_equal(zj_buffer(&r, &path), 2);
    assert_memory_equal(path, "/e", 2);
    assert_int_equal(real_zk_end(h, id), REAL_OPEN);
    /* a wrong password on another connection: expired, as reopenSession */
    int id2 = real_zk_accept(h, 2, "127.0.0.1:2", why, sizeof why);
    wbuf_reset(&in);
    uint8_t bad[16] = {1};
    connect_req(&in, session, bad);
    real_zk_input(h, id2, in.data, in.len);
    n = real_zk_output(h, id2, &out);
    r = zj_in_of(out, n);
    zj_int(&r); zj_int(&r);
    assert_int_equal(zj_int(&r), 0);        /* timeout 0: expired */
    assert_int_equal(real_zk_end(h, id2), REAL_CLOSE);
    real_hub_free(h);
    cluster_free(w);
    wbuf_free(&in);
}

static void test_real_zk_bad_input_closes_one(void **state)
{
    cluster *w = world();
    real_hub *h = real_hub_new(w);
    char why[128];
    int good = real_zk_accept(h, 1, "127.0.0.1:1", why, sizeof why);
    int huge = real_zk_accept(h, 1, "127.0.0.1:2", why, sizeof why);
    int junk = real_zk_accept(h, 1, "127.0.0.1:3", why, sizeof why);
    uint8_t two_gb[8] = { 0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4 };
    real_zk_input(h, huge, two_gb, sizeof two_gb);
    assert_int_equal(real_zk_end(h, huge), REAL_CLOSE);
    uint8_t garbage[12] = { 0, 0, 0, 8, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4 };
    real_zk_input(h, junk, garbage, sizeof garbage);
    assert_int_equal(real_zk_end(h, junk), REAL_CLOSE);
    assert_int_equal(real_zk_end(h, good), REAL_OPEN);
    /* the limit per server, as maxClientCnxns */
    int got = 0;
    for (int i = 0; i < 70; i++) got += real_zk_accept(h, 2, "127.0.0.1:9", why, sizeof why) >= 0;
    assert_int_equal(got, REAL_CONNS_PER_SERVER);
    real_hub_free(h);
    cluster_free(w);
}

/* srvr on a frozen server (SIGSTOP, lab.pause) gets no answer until it
 * resumes: the process that would answer it runs nothing. */
static void test_real_zk_4lw_waits_for_paused_server(void **state)
{
    cluster *w = world();
    real_hub *h = real_hub_new(w);
    char why[128];
    int id = real_zk_accept(h, 2, "127.0.0.1:1", why, sizeof why);
    int node = cluster_zk_nodes(w)[1];
    cluster_pause(w, node, 0);
    real_zk_input(h, id, (const uint8_t *)"srvr", 4);
    run(w, 500);
    const uint8_t *out;
    assert_int_equal(real_zk_output(h, id, &out), 0);
    cluster_resume(w, node);
    run(w, 200);
    size_t n = real_zk_output(h, id, &out);
    assert_true(n > 20);
    assert_memory_equal(out, "Zookeeper version: ", 19);
    assert_int_equal(real_zk_end(h, id), REAL_CLOSE);
    real_hub_free(h);
    cluster_free(w);
}

/* What a real connection to server sid got: 0 bytes, or the
 * ConnectResponse's fields (timeout 0: expired). */
typedef struct got_conn {
    size_t n;
    int32_t timeout_ms;
    int64_t session;
    bool readonly;
    real_end end;
} got_conn;

static got_conn connect_to(cluster *w, real_hub *h, int sid, int64_t session, bool ro, int *idp)
{
    char why[128];
    int id = real_zk_accept(h, sid, "127.0.0.1:7", why, sizeof why);
    assert_true(id >= 0);
    wbuf in = {0};
    uint8_t pw[16];
    zj_session_passwd(session, pw);
    connect_req_ro(&in, session, session ? pw : NULL, ro);
    real_zk_input(h, id, in.data, in.len);
    wbuf_free(&in);
    run(w, 100);
    const uint8_t *out;
    got_conn g = { .n = real_zk_output(h, id, &out), .end = real_zk_end(h, id) };
    if (g.n >= 41) {
        zj_in r = zj_in_of(out, g.n);
        zj_int(&r); zj_int(&r);
        g.timeout_ms = zj_int(&r);
        g.session = zj_long(&r);
        const uint8_t *p;
        zj_buffer(&r, &p);
        g.readonly = zj_bool(&r);
    }
    if (idp) *idp = id;
    return g;
}

/* srvr's line of server sid: what follows "Proposal sizes last/min/max: " */
static void proposal_sizes(cluster *w, real_hub *h, int sid, char *out, size_t cap)
{
    char why[128];
    int id = real_zk_accept(h, sid, "127.0.0.1:2", why, sizeof why);
    assert_true(id >= 0);
    real_zk_input(h, id, (const uint8_t *)"srvr", 4);
    run(w, 100);
    const uint8_t *o;
    size_t n = real_zk_output(h, id, &o);
    char text[2048];
    snprintf(text, sizeof text, "%.*s", (int)n, (const char *)o);
    const char *p = strstr(text, "Proposal sizes last/min/max: ");
    assert_non_null(p);
    p += strlen("Proposal sizes last/min/max: ");
    snprintf(out, cap, "%.*s", (int)strcspn(p, "\n"), p);
}

/* srvr on the leader: Proposal sizes as ZooKeeper 3.8's ProposalStats (a
 * BufferStats that Leader.propose feeds each serialized txn's length):
 * -1/-1/-1 before any proposal, then the last, smallest and largest. */
static void test_real_zk_srvr_proposal_sizes(void **state)
{
    cluster *w = world();
    real_hub *h = real_hub_new(w);
    int leader = 0;
    for (int sid = 1; sid <= 3; sid++) {
        zk_server_info in;
        zk_server_info_get(cluster_zk(w, sid), &in);
        if (in.state == ZK_LEADING) leader = sid;
    }
    assert_true(leader > 0);
    char s[64];
    proposal_sizes(w, h, leader, s, sizeof s);
    assert_string_equal(s, "-1/-1/-1");
    int id;
    connect_to(w, h, leader, 0, false, &id);        /* createSession: a proposal */
    proposal_sizes(w, h, leader, s, sizeof s);
    long long last, mn, mx;
    assert_int_equal(sscanf(s, "%lld/%lld/%lld", &last, &mn, &mx), 3);
    assert_true(last > 0);
    assert_true(mn == last && mx == last);
    real_hub_free(h);
    cluster_free(w);
}

/* zk1 and zk2 of five cut off from the other three: a minority of two
 * (a server alone is cut off from the real clients too: real_zk.c) */
static void split_minority(cluster *w)
{
    const int *zk = cluster_zk_nodes(w);
    int a[2] = { zk[0], zk[1] }, b[3] = { zk[2], zk[3], zk[4] };
    cluster_split(w, a, 2, b, 3);
    run(w, 20000);      /* syncLimit: the silence noticed, then LOOKING */
}

static void word_to(cluster *w, real_hub *h, int sid, const char *word, char *out, size_t cap)
{
    char why[128];
    int id = real_zk_accept(h, sid, "127.0.0.1:8", why, sizeof why);
    real_zk_input(h, id, (const uint8_t *)word, 4);
    run(w, 100);
    const uint8_t *p;
    size_t n = real_zk_output(h, id, &p);
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

/* readonlymode.enabled unset (the default): a server without a quorum
 * runs no ZooKeeperServer, and refuses even a client that set
 * canBeReadOnly (QuorumPeer.run starts ReadOnlyZooKeeperServer only with
 * the property); isro answers "null" (IsroCommand). */
static void test_real_zk_minority_refuses_ro_client_by_default(void **state)
{
    cluster *w = world_of(5, false);
    real_hub *h = real_hub_new(w);
    split_minority(w);
    got_conn g = connect_to(w, h, 1, 0, true, NULL);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.end, REAL_CLOSE);
    char out[64];
    word_to(w, h, 1, "isro", out, sizeof out);
    assert_string_equal(out, "null");
    word_to(w, h, 3, "isro", out, sizeof out);
    assert_string_equal(out, "rw");
    /* the majority answers the same client, readOnly false in the reply */
    g = connect_to(w, h, 3, 0, true, NULL);
    assert_true(g.timeout_ms > 0);
    assert_false(g.readonly);
    real_hub_free(h);
    cluster_free(w);
}

/* readonlymode.enabled: the minority server turns read-only after
 * max(2 s, tickTime) LOOKING (ReadOnlyZooKeeperServer): a canBeReadOnly
 * client gets a session with readOnly true in the ConnectResponse, its
 * reads are served and its writes answered NOTREADONLY (-119,
 * ReadOnlyRequestProcessor); a client without the flag is refused
 * (processConnectRequest: "not-read-only client"), and so is a session of
 * the ensemble (validateSession: "global session reconnection"). */
static void test_real_zk_readonly_mode(void **state)
{
    cluster *w = world_of(5, true);
    real_hub *h = real_hub_new(w);
    got_conn global = connect_to(w, h, 3, 0, false, NULL);
    assert_true(global.session != 0);
    split_minority(w);
    char out[64];
    word_to(w, h, 1, "isro", out, sizeof out);
    assert_string_equal(out, "ro");
    int id;
    got_conn g = connect_to(w, h, 1, 0, true, &id);
    assert_true(g.timeout_ms > 0);
    assert_true(g.session != 0);
    assert_true(g.readonly);
    assert_int_equal(g.end, REAL_OPEN);
    const uint8_t *o;
    real_zk_wrote(h, id, real_zk_output(h, id, &o));
    wbuf in = {0};
    create_req(&in, 1, "/x", 0);
    size_t at = zj_begin(&in);              /* exists / */
    zj_w_int(&in, 2);
    zj_w_int(&in, 3);
    zj_w_string(&in, "/");
    zj_w_bool(&in, false);
    zj_end(&in, at);
    real_zk_input(h, id, in.data, in.len);
    run(w, 100);
    size_t n = real_zk_output(h, id, &o);
    zj_in r = zj_in_of(o, n);
    assert_int_equal(zj_int(&r), 16);       /* the bare ReplyHeader */
    assert_int_equal(zj_int(&r), 1);
    zj_long(&r);
    assert_int_equal(zj_int(&r), -119);     /* NOTREADONLY */
    zj_int(&r);
    assert_int_equal(zj_int(&r), 2);
    zj_long(&r);
    assert_int_equal(zj_int(&r), 0);        /* the read is served */
    assert_false(r.bad);
    g = connect_to(w, h, 1, 0, false, NULL);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.end, REAL_CLOSE);
    g = connect_to(w, h, 1, global.session, true, NULL);
    assert_int_equal(g.n, 0);
    assert_int_equal(g.end, REAL_CLOSE);
    /* healed: the read-only server stops and closes its connections */
    cluster_heal(w);
    run(w, 10000);
    assert_int_equal(real_zk_end(h, id), REAL_CLOSE);
    word_to(w, h, 1, "isro", out, sizeof out);
    assert_string_equal(out, "rw");
    wbuf_free(&in);
    real_hub_free(h);
    cluster_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zk_jute_create_decodes),
        cmocka_unit_test(test_zk_jute_lengths_checked_first),
        cmocka_unit_test(test_zk_jute_random_bytes),
        cmocka_unit_test(test_real_zk_session_and_create),
        cmocka_unit_test(test_real_zk_bad_input_closes_one),
        cmocka_unit_test(test_real_zk_4lw_waits_for_paused_server),
        cmocka_unit_test(test_real_zk_srvr_proposal_sizes),
        cmocka_unit_test(test_real_zk_minority_refuses_ro_client_by_default),
        cmocka_unit_test(test_real_zk_readonly_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
