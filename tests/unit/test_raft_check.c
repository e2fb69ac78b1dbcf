/* Unit tests for raft_check, Raft's invariants over the trace: two
 * controllers leading one epoch, and two nodes whose committed prefixes of
 * one length differ, are violations (ElectionState: one leader per epoch;
 * the Raft log matching property KIP-595 keeps); a quorum run through a
 * crash and a partition raises none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "raft_check.h"
#include "raft_quorum.h"

#include <string.h>

static void nop_recv(void *self, int from, uint32_t type, const uint8_t *d, size_t len)
{
    (void)self; (void)from; (void)type; (void)d; (void)len;
}
static const node_ops nop_ops = { .recv = nop_recv };

static trace_event ev_of(trace_kind kind, int code, int node, uint64_t a, uint64_t b)
{
    return (trace_event){ .kind = kind, .code = code, .node = node, .peer = -1, .a = a, .b = b };
}

static void test_raft_check_two_leaders_one_epoch(void **state)
{
    (void)state;
    sim *s = sim_new(1);
    int n1 = sim_add_node(s, "ctl1", NODE_CONTROLLER, &nop_ops, NULL);
    int n2 = sim_add_node(s, "ctl2", NODE_CONTROLLER, &nop_ops, NULL);
    raft_checker *c = raft_checker_new(NULL);
    trace_event e = ev_of(TR_ROLE, TROLE_LEADING, n1, 3, 0);
    raft_checker_feed(c, &e);
    raft_checker_feed(c, &e);               /* the same leader again: fine */
    e.a = 4; e.node = n2;
    raft_checker_feed(c, &e);               /* another epoch: fine */
    assert_int_equal(raft_checker_violations(c), 0);
    raft_checker_free(c);
    c = raft_checker_new(s);
    e = ev_of(TR_ROLE, TROLE_LEADING, n1, 3, 0);
    raft_checker_feed(c, &e);
    e.node = n2;
    raft_checker_feed(c, &e);
    assert_int_equal(raft_checker_violations(c), 1);
    assert_non_null(strstr(raft_checker_first(c), "two leaders in epoch 3"));
    raft_checker_free(c);
    sim_free(s);
}

static void test_raft_check_diverging_commits(void **state)
{
    (void)state;
    sim *s = sim_new(1);
    int n1 = sim_add_node(s, "ctl1", NODE_CONTROLLER, &nop_ops, NULL);
    int n2 = sim_add_node(s, "101", NODE_BROKER, &nop_ops, NULL);
    raft_checker *c = raft_checker_new(s);
    trace_event e = ev_of(TR_COMMIT, RAFT_TR_COMMIT, n1, 5, 0xabc);
    raft_checker_feed(c, &e);
    e.node = n2;
    raft_checker_feed(c, &e);               /* the same prefix: fine */
    e = ev_of(TR_COMMIT, 0, n2, 7, 1);      /* ZooKeeper's commits are not Raft's */
    raft_checker_feed(c, &e);
    e = ev_of(TR_COMMIT, RAFT_TR_COMMIT, n1, 7, 0x111);
    raft_checker_feed(c, &e);
    assert_int_equal(raft_checker_violations(c), 0);
    e = ev_of(TR_COMMIT, RAFT_TR_COMMIT, n2, 7, 0x222);
    raft_checker_feed(c, &e);
    assert_int_equal(raft_checker_violations(c), 1);
    assert_non_null(strstr(raft_checker_first(c), "diverges"));
    raft_checker_free(c);
    sim_free(s);
}

/* A real quorum through a leader crash, a restart and a partition of the
 * new leader: many commits and elections, no violation, and the prefixes
 * were really compared (the controllers reported the same lengths). */
static void test_raft_check_quiet_on_a_real_quorum(void **state)
{
    (void)state;
    sim *s = sim_new(9);
    raft_checker *c = raft_checker_new(s);
    raft_quorum *q = raft_quorum_new(s, 3, NULL);
    raft_quorum_start(q);
    sim_run_until(s, 3000000);
    for (int round = 0; round < 4; round++) {
        raft_quorum_info qi;
        raft_quorum_info_get(q, &qi);
        assert_true(qi.leader_id > 0);
        int node = raft_quorum_nodes(q)[qi.leader_id - 1];
        uint8_t rec = (uint8_t)round;
        raft_append(raft_quorum_raft(q, qi.leader_id - 1), &rec, 1);
        if (round % 2) net_isolate(sim_net(s), node); else sim_crash(s, node);
        sim_run_until(s, sim_now_us(s) + 8000000);
        net_heal(sim_net(s));
        sim_restart(s, node);
        sim_run_until(s, sim_now_us(s) + 8000000);
    }
    assert_int_equal(raft_checker_violations(c), 0);
    raft_quorum_free(q);
    raft_checker_free(c);
    sim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raft_check_two_leaders_one_epoch),
        cmocka_unit_test(test_raft_check_diverging_commits),
        cmocka_unit_test(test_raft_check_quiet_on_a_real_quorum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
