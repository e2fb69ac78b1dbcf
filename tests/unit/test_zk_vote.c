/* Vote ordering (FastLeaderElection's totalOrderPredicate) and the
 * invariant checker biting on fabricated bad traces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "zk_int.h"
#include "zk_check.h"
#include "zk_testlib.h"

static zk_vote v(uint32_t epoch, uint64_t zxid, int sid)
{
    return (zk_vote){ .sid = sid, .zxid = zxid, .epoch = epoch };
}

static void test_zk_vote_epoch_first(void **st)
{
    (void)st;
    zk_vote a = v(3, 0x100000005, 1), b = v(2, 0x200000009, 5);
    assert_true(zk_vote_cmp(&a, &b) > 0);       /* epoch beats zxid and sid */
    assert_true(zk_vote_cmp(&b, &a) < 0);
}

static void test_zk_vote_zxid_then_sid(void **st)
{
    (void)st;
    zk_vote a = v(2, 0x200000002, 1), b = v(2, 0x200000001, 5);
    assert_true(zk_vote_cmp(&a, &b) > 0);       /* fresher log beats higher id */
    zk_vote c = v(2, 0x200000002, 3);
    assert_true(zk_vote_cmp(&c, &a) > 0);       /* equal logs: higher id */
    assert_int_equal(zk_vote_cmp(&c, &c), 0);
}

/* Hands zk1 a notification as if `from` had sent it. */
static void notify(zk_server *z, int from, int sid, uint64_t zxid, uint64_t round,
                   zk_state st, uint32_t epoch)
{
    wbuf w = {0};
    w_u32(&w, (uint32_t)sid);
    w_u64(&w, zxid);
    w_u64(&w, round);
    w_u8(&w, (uint8_t)st);
    w_u32(&w, epoch);
    rbuf r = rbuf_of(w.data, w.len);
    zk_fle_recv(z, from, &r);
    wbuf_free(&w);
}

/* Vote.equals: votes of servers out of election match on leader and peer
 * epoch alone. A follower that joined through out-of-election votes keeps
 * the vote it adopted (zxid 0, round 1 here) while the others report the
 * leader's zxid and round 3: a LOOKING server must still count the three
 * as a quorum for zk5 and follow it (comparing zxids too left it LOOKING
 * for good: fuzz seed 3734). */
static void test_zk_vote_out_of_election_match_on_epoch(void **st)
{
    (void)st;
    zk_world w;
    zw_init(&w, 5, 1, NULL);
    for (int i = 1; i < 5; i++) sim_crash(w.s, w.nodes[i]);
    zw_run_ms(&w, 10);
    zk_server *z = w.zk[0];
    assert_int_equal(zw_info(&w, 1).state, ZK_LOOKING);
    notify(z, 5, 5, 0x100000007, 3, ZK_LEADING, 2);
    notify(z, 4, 5, 0x100000007, 3, ZK_FOLLOWING, 2);
    assert_int_equal(zw_info(&w, 1).state, ZK_LOOKING);    /* 2 of 5 */
    notify(z, 3, 5, 0, 1, ZK_FOLLOWING, 2);
    assert_int_equal(zw_info(&w, 1).state, ZK_FOLLOWING);
    assert_int_equal(zw_info(&w, 1).leader_sid, 5);
    zw_free(&w);
}

static void ev(zk_checker *c, trace_kind k, int node, uint64_t a, uint64_t b,
               const char *text)
{
    trace_event e = { .kind = k, .node = node, .peer = -1, .a = a, .b = b };
    snprintf(e.text, sizeof e.text, "%s", text);
    zk_checker_feed(c, &e);
}

/* A server became leader, as zk_zab.c traces it. */
static void leading(zk_checker *c, int node, uint64_t epoch, uint64_t zxid)
{
    trace_event e = { .kind = TR_ROLE, .code = TROLE_LEADING, .node = node,
                      .peer = -1, .a = epoch, .b = zxid };
    snprintf(e.text, sizeof e.text, "LEADING epoch %llu", (unsigned long long)epoch);
    zk_checker_feed(c, &e);
}

static void test_zk_check_two_leaders_one_epoch(void **st)
{
    (void)st;
    sim *s = sim_new(42);
    zk_checker *c = zk_checker_new(s);
    leading(c, 0, 1, 0);
    leading(c, 0, 1, 0);     /* same leader: fine */
    assert_int_equal(zk_checker_violations(c), 0);
    leading(c, 1, 1, 0);
    assert_int_equal(zk_checker_violations(c), 1);
    assert_non_null(strstr(zk_checker_first(c), "two leaders in epoch 1"));
    assert_non_null(strstr(zk_checker_first(c), "seed 42"));
    assert_true(sim_halted(s));
    zk_checker_free(c);
    sim_free(s);
}

static void test_zk_check_digest_mismatch(void **st)
{
    (void)st;
    sim *s = sim_new(1);
    zk_checker *c = zk_checker_new(s);
    ev(c, TR_COMMIT, 0, 0x100000001, 111, "");
    ev(c, TR_APPLY, 0, 0x100000001, 111, "");
    ev(c, TR_APPLY, 1, 0x100000001, 222, "");        /* another txn, same zxid */
    assert_int_equal(zk_checker_violations(c), 1);
    ev(c, TR_COMMIT, 0, 0x100000001, 333, "");
    assert_int_equal(zk_checker_violations(c), 2);
    zk_checker_free(c);
    sim_free(s);
}

static void test_zk_check_lost_and_skipped(void **st)
{
    (void)st;
    sim *s = sim_new(1);
    zk_checker *c = zk_checker_new(s);
    ev(c, TR_COMMIT, 0, 0x100000001, 1, "");
    ev(c, TR_COMMIT, 0, 0x100000002, 2, "");
    ev(c, TR_APPLY, 1, 0x100000002, 2, "");          /* skipped ...01 */
    assert_int_equal(zk_checker_violations(c), 1);
    leading(c, 2, 2, 0x100000001);   /* lacks ...02 */
    assert_int_equal(zk_checker_violations(c), 2);
    ev(c, TR_APPLY, 3, 0x100000009, 9, "");          /* never committed */
    assert_int_equal(zk_checker_violations(c), 3);
    /* a good history raises nothing */
    trace_event load = { .kind = TR_SYNC, .code = TSYNC_LOAD, .node = 4, .peer = -1 };
    snprintf(load.text, sizeof load.text, "LOAD");
    zk_checker_feed(c, &load);
    ev(c, TR_APPLY, 4, 0x100000001, 1, "");
    ev(c, TR_APPLY, 4, 0x100000002, 2, "");
    leading(c, 4, 3, 0x100000002);
    assert_int_equal(zk_checker_violations(c), 3);
    zk_checker_free(c);
    sim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zk_vote_epoch_first),
        cmocka_unit_test(test_zk_vote_zxid_then_sid),
        cmocka_unit_test(test_zk_vote_out_of_election_match_on_epoch),
        cmocka_unit_test(test_zk_check_two_leaders_one_epoch),
        cmocka_unit_test(test_zk_check_digest_mismatch),
        cmocka_unit_test(test_zk_check_lost_and_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
