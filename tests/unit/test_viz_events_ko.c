/* Unit tests of the Korean event log for the broker and controller notes:
 * a topic marked for deletion is not said to be deleted (the controller
 * deletes it only once every replica confirmed), a halted deletion, a
 * controlled shutdown that gives up, a rebalance with its counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "events.h"

static const char *ko(const char *text)
{
    static char out[200];
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = TR_NOTE;
    ev.node = -1;
    ev.peer = -1;
    snprintf(ev.text, sizeof ev.text, "%s", text);
    out[0] = 0;
    if (!viz_event_words_ko(&ev, "", "", out, sizeof out)) return NULL;
    return out;
}

static void test_viz_events_ko_topic_deletion(void **state)
{
    (void)state;
    const char *s = ko("controller: topic gone marked for deletion");
    assert_non_null(s);
    assert_non_null(strstr(s, "삭제 표시"));
    s = ko("controller: deletion of topic gone halted: its replica on broker 102 is offline");
    assert_non_null(s);
    assert_non_null(strstr(s, "보류"));
    assert_non_null(strstr(s, "102"));
    s = ko("controller: topic gone deleted");
    assert_non_null(s);
    assert_null(strstr(s, "표시"));
}

static void test_viz_events_ko_shutdown_and_rebalance(void **state)
{
    (void)state;
    const char *s = ko("101: controlled shutdown failed 3 times; stopping anyway");
    assert_non_null(s);
    assert_non_null(strstr(s, "3번 실패"));
    s = ko("auto leader rebalance: 10 partition(s) back to preferred leader 101");
    assert_non_null(s);
    assert_non_null(strstr(s, "10개"));
    assert_non_null(strstr(s, "101"));
}

/* KRaft (issue 12): a broker's Raft role is an observer's (it fetches
 * __cluster_metadata without a vote, KafkaRaftClient), controllers are
 * ctlN in every line, a role's epoch is said once, the active
 * controller's line is in Korean. */
static const char *words(const char *lang, int kind, const char *node, const char *text,
                         uint64_t a)
{
    static char out[200];
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.node = -1;
    ev.peer = -1;
    ev.a = a;
    snprintf(ev.text, sizeof ev.text, "%s", text);
    out[0] = 0;
    viz_role role;
    bool ok = viz_event_words(&ev, node, "", lang, out, sizeof out, &role);
    return ok ? out : NULL;
}

static void test_viz_events_kraft_names(void **state)
{
    (void)state;
    const char *s = words("en", TR_ROLE, "101", "Follower epoch 1 @ctl3", 1);
    assert_non_null(s);
    assert_non_null(strstr(s, "101 is now an Observer epoch 1"));
    assert_null(strstr(s, "Follower"));
    s = words("en", TR_ROLE, "ctl2", "Follower epoch 1 @ctl3", 1);
    assert_non_null(strstr(s, "ctl2 is now Follower"));
    s = words("ko", TR_ROLE, "101", "Follower epoch 1 @ctl3", 1);
    assert_non_null(strstr(s, "Observer"));
    /* QuorumState keeps an observer in UnattachedState until it learns the
     * leader (transitionToUnattached: no election timeout for observers):
     * an Observer still, never a voter's "Unattached" */
    s = words("en", TR_ROLE, "101", "Unattached epoch 1", 1);
    assert_string_equal(s, "101 is now an Observer (Unattached: no leader yet) epoch 1");
    s = words("ko", TR_ROLE, "101", "Unattached epoch 1", 1);
    assert_non_null(strstr(s, "Observer"));
    s = words("en", TR_ROLE, "ctl2", "Unattached epoch 2", 1);
    assert_string_equal(s, "ctl2 is now Unattached epoch 2");
    s = words("ko", TR_ROLE, "ctl3", "Candidate epoch 1", 1);
    assert_non_null(s);
    assert_null(strstr(s, "에포크"));       /* was "epoch 1 (에포크 1)" */
    s = words("en", TR_NOTE, "ctl1", "KRaft leader 1 resigns: no fetch from a majority in 3000 ms", 2);
    assert_string_equal(s, "ctl1 resigns: no fetch from a majority in 3000 ms");
    s = words("ko", TR_NOTE, "ctl1", "KRaft leader 1 resigns: no fetch from a majority in 3000 ms", 2);
    assert_non_null(strstr(s, "ctl1 사임"));
    s = words("ko", TR_NOTE, "ctl3", "ctl3 is the active controller (epoch 1)", 0);
    assert_non_null(strstr(s, "활성 컨트롤러"));
    /* the takeover is a TR_CONTROLLER, as a ZooKeeper-mode controller's
     * election: a controller process, not a broker (it said "broker ctl3") */
    s = words("en", TR_CONTROLLER, "ctl3", "ctl3 is the active controller (epoch 2)", 2);
    assert_string_equal(s, "ctl3 is the active controller (epoch 2)");
    s = words("ko", TR_CONTROLLER, "ctl3", "ctl3 is the active controller (epoch 2)", 2);
    assert_non_null(strstr(s, "활성 컨트롤러"));
    assert_null(strstr(s, "브로커"));
    s = words("en", TR_CONTROLLER, "103", "103 is the controller, epoch 2", 2);
    assert_non_null(strstr(s, "broker 103 is the controller"));
}

/* A link set with :link (cluster_link's trace): Korean words around the
 * figures, not the English "drop ... delay" (trial 5 #15). */
static void test_viz_events_ko_link(void **state)
{
    (void)state;
    const char *s = words("ko", TR_FAULT, "101",
                          "link 101 -> 103 drop 100.00% delay 0.500-2.000 ms", 0);
    assert_non_null(s);
    assert_string_equal(s, "장애: 링크 101 → 103 설정: 손실 100.00%, 지연 0.500-2.000 ms");
}

/* lab.link{ nodes = ... } (cluster_link_all's one line) */
static void test_viz_events_ko_links_among(void **state)
{
    (void)state;
    const char *s = words("ko", TR_FAULT, "-",
                          "links among zk1, zk2, zk3, c1: drop 0.00% delay 20.000-20.000 ms", 0);
    assert_non_null(s);
    assert_string_equal(s, "장애: zk1, zk2, zk3, c1 사이의 모든 링크 설정: 손실 0.00%, 지연 20.000-20.000 ms");
    s = words("ko", TR_FAULT, "-", "links among zk1, zk2: drop 10.00%, delays unchanged", 0);
    assert_string_equal(s, "장애: zk1, zk2 사이의 모든 링크 설정: 손실 10.00%, 지연은 그대로");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_events_ko_topic_deletion),
        cmocka_unit_test(test_viz_events_ko_shutdown_and_rebalance),
        cmocka_unit_test(test_viz_events_kraft_names),
        cmocka_unit_test(test_viz_events_ko_link),
        cmocka_unit_test(test_viz_events_ko_links_among),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
