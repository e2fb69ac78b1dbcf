/* Unit tests for KRaft's Raft (lab/kraft), each following the Kafka class
 * it names: the election (QuorumState.randomElectionTimeoutMs, CandidateState),
 * commitment (LeaderState.maybeUpdateHighWatermark), a leader crash
 * (FollowerState's fetch timeout), a partitioned leader resigning
 * (LeaderState.timeUntilCheckQuorumExpires), a clean shutdown
 * (KafkaRaftClient.shutdown, EndQuorumEpoch), follower truncation
 * (ReplicatedLog.validateOffsetAndEpoch, truncateToEndOffset) and an
 * observer that fetches but does not vote. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "raft_quorum.h"
#include "raft_int.h"

#define MS 1000ull

/* What a node's app saw: committed records (their first byte) in order. */
typedef struct seen {
    int n;
    int64_t offsets[256];
    uint8_t first[256];
    int leader_changes;
    int last_leader;
} seen;

static void app_commit(void *ctx, int64_t offset, int32_t epoch, const uint8_t *d, size_t len)
{
    (void)epoch;
    seen *s = ctx;
    assert_true(s->n < 256);
    assert_true(len >= 1);
    s->offsets[s->n] = offset;
    s->first[s->n++] = d[0];
}

static void app_leader(void *ctx, int32_t epoch, int leader)
{
    (void)epoch;
    seen *s = ctx;
    s->leader_changes++;
    s->last_leader = leader;
}

typedef struct world {
    sim *s;
    raft_quorum *q;
    seen apps[RAFT_VOTERS_MAX];
} world;

static world *world_new(int n, uint64_t seed)
{
    world *w = calloc(1, sizeof *w);
    w->s = sim_new(seed);
    w->q = raft_quorum_new(w->s, n, NULL);
    raft_app app = { .commit = app_commit, .leader = app_leader };
    for (int i = 0; i < n; i++) raft_set_app(raft_quorum_raft(w->q, i), &app, &w->apps[i]);
    raft_quorum_start(w->q);
    return w;
}

static void world_free(world *w)
{
    raft_quorum_free(w->q);
    sim_free(w->s);
    free(w);
}

static void run_ms(world *w, uint64_t ms) { sim_run_until(w->s, sim_now_us(w->s) + ms * MS); }

static int leader_index(world *w)
{
    raft_quorum_info qi;
    raft_quorum_info_get(w->q, &qi);
    return qi.leader_id - 1;
}

/* Runs until some voter leads; the time it took, in ms. */
static uint64_t until_leader(world *w, uint64_t max_ms)
{
    uint64_t t0 = sim_now_us(w->s);
    while (sim_now_us(w->s) - t0 < max_ms * MS) {
        if (leader_index(w) >= 0) return (sim_now_us(w->s) - t0) / MS;
        run_ms(w, 1);
    }
    fail_msg("no leader within %llu ms", (unsigned long long)max_ms);
    return 0;
}

static raft_info info(world *w, int i)
{
    raft_info ri;
    raft_info_get(raft_quorum_raft(w->q, i), &ri);
    return ri;
}

/* The election timeout is random in [1000, 2000) ms: nobody stands
 * before 1000 ms, and over many seeds the first leader appears all over
 * that range, with one leader and the others following it. */
static void test_raft_first_election_in_timeout_range(void **state)
{
    (void)state;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        world *w = world_new(3, seed);
        uint64_t t = until_leader(w, 5000);
        if (t < lo) lo = t;
        if (t > hi) hi = t;
        run_ms(w, 500);
        int l = leader_index(w);
        for (int i = 0; i < 3; i++) {
            raft_info ri = info(w, i);
            assert_int_equal(ri.epoch, info(w, l).epoch);
            assert_int_equal(ri.leader_id, l + 1);
            assert_int_equal(ri.state, i == l ? RAFT_LEADER : RAFT_FOLLOWER);
        }
        world_free(w);
    }
    assert_true(lo >= 1000);
    assert_true(lo < 1200 && hi > 1700 && hi < 2300);
}

static void append_byte(world *w, int i, uint8_t b)
{
    assert_true(raft_append(raft_quorum_raft(w->q, i), &b, 1) >= 0);
}

/* Records appended on the leader are committed once a majority fetched
 * them and reach every voter's app in order; the LeaderChangeMessage at
 * the epoch's start is the log's but not the app's. A follower refuses
 * to append (NOT_LEADER_OR_FOLLOWER). */
static void test_raft_commit_reaches_every_voter(void **state)
{
    (void)state;
    world *w = world_new(3, 7);
    until_leader(w, 3000);
    int l = leader_index(w);
    assert_int_equal(raft_append(raft_quorum_raft(w->q, (l + 1) % 3), (const uint8_t *)"x", 1), -1);
    for (uint8_t b = 1; b <= 5; b++) append_byte(w, l, b);
    /* the followers learn the new high watermark in the Fetch response
     * after the one that moved it, which waits up to 500 ms in the
     * leader's purgatory when no record comes */
    run_ms(w, 700);
    for (int i = 0; i < 3; i++) {
        raft_info ri = info(w, i);
        assert_int_equal(ri.log_end, 6);
        assert_int_equal(ri.high_watermark, 6);
        assert_int_equal(w->apps[i].n, 5);
        for (int k = 0; k < 5; k++) {
            assert_int_equal(w->apps[i].first[k], k + 1);
            assert_int_equal(w->apps[i].offsets[k], k + 1);
        }
    }
    /* the new leader's app heard it leads once its epoch start committed */
    assert_int_equal(w->apps[l].last_leader, l + 1);
    world_free(w);
}

/* A crashed leader: the followers' fetch timeout (2000 ms) runs out, one
 * stands, and a leader of a higher epoch keeps every committed record. */
static void test_raft_leader_crash_new_epoch(void **state)
{
    (void)state;
    world *w = world_new(3, 11);
    until_leader(w, 3000);
    int l = leader_index(w);
    int32_t epoch = info(w, l).epoch;
    for (uint8_t b = 1; b <= 3; b++) append_byte(w, l, b);
    run_ms(w, 200);
    sim_crash(w->s, raft_quorum_nodes(w->q)[l]);
    run_ms(w, 1900);
    assert_true(leader_index(w) < 0);   /* not before the fetch timeout */
    uint64_t t = until_leader(w, 4000);
    assert_true(t < 2200);
    int nl = leader_index(w);
    assert_true(nl != l);
    assert_true(info(w, nl).epoch > epoch);
    append_byte(w, nl, 9);
    run_ms(w, 700);
    for (int i = 0; i < 3; i++) {
        if (i == l) continue;
        assert_int_equal(w->apps[i].n, 4);
        assert_int_equal(w->apps[i].first[3], 9);
    }
    /* the old leader restarts as Resigned-then-follower, and catches up
     * from offset 0 again */
    sim_restart(w->s, raft_quorum_nodes(w->q)[l]);
    run_ms(w, 3000);
    raft_info ri = info(w, l);
    assert_int_equal(ri.state, RAFT_FOLLOWER);
    assert_int_equal(ri.log_end, info(w, nl).log_end);
    world_free(w);
}

/* A leader cut off from the others keeps saying Leader until its check
 * quorum timer (1.5 x fetch timeout = 3000 ms) runs out, then resigns;
 * the others elect a leader of a higher epoch meanwhile. */
static void test_raft_partitioned_leader_resigns(void **state)
{
    (void)state;
    world *w = world_new(3, 5);
    until_leader(w, 3000);
    run_ms(w, 100);
    int l = leader_index(w);
    int32_t epoch = info(w, l).epoch;
    net_isolate(sim_net(w->s), raft_quorum_nodes(w->q)[l]);
    run_ms(w, 2900);
    assert_int_equal(info(w, l).state, RAFT_LEADER);
    run_ms(w, 200);
    assert_int_equal(info(w, l).state, RAFT_RESIGNED);
    /* the two followers' fetch timeouts (not random) may run out together
     * and split the vote; the random backoff settles it */
    int others = 0;
    for (int k = 0; k < 3000 && !others; k++) {
        run_ms(w, 1);
        for (int i = 0; i < 3; i++)
            if (i != l && info(w, i).state == RAFT_LEADER) {
                others++;
                assert_true(info(w, i).epoch > epoch);
            }
    }
    assert_int_equal(others, 1);
    /* healed, it follows the new leader */
    net_heal(sim_net(w->s));
    run_ms(w, 3000);
    int nl = leader_index(w);
    assert_true(nl >= 0 && nl != l);
    assert_int_equal(info(w, l).state, RAFT_FOLLOWER);
    assert_int_equal(info(w, l).leader_id, nl + 1);
    world_free(w);
}

/* A clean stop of the leader: it resigns with EndQuorumEpoch naming its
 * most caught-up follower first, which stands at once, so a new leader
 * comes in well under the fetch timeout; then the process exits. */
static void test_raft_clean_shutdown_hands_over(void **state)
{
    (void)state;
    world *w = world_new(3, 13);
    until_leader(w, 3000);
    run_ms(w, 100);
    int l = leader_index(w);
    assert_true(raft_quorum_stop(w->q, l));
    uint64_t t = until_leader(w, 3000);
    if (leader_index(w) == l) fail_msg("still the old leader");
    assert_true(t < 300);
    run_ms(w, 200);
    assert_int_equal(sim_node_status(w->s, raft_quorum_nodes(w->q)[l]), NODE_DOWN);
    world_free(w);
}

/* The divergence check of a Fetch: the leader answers a follower whose
 * last epoch it does not hold with the diverging epoch and its end
 * offset, and the follower truncates to there. */
static void test_raft_log_divergence(void **state)
{
    (void)state;
    raft_log leader = { 0 }, follower = { 0 };
    /* leader: epochs 1 1 3 3 3; follower: 1 1 2 2 */
    int32_t le[] = { 1, 1, 3, 3, 3 }, fe[] = { 1, 1, 2, 2 };
    for (int i = 0; i < 5; i++) rlog_append(&leader, le[i], false, NULL, 0);
    for (int i = 0; i < 4; i++) rlog_append(&follower, fe[i], false, NULL, 0);
    raft_oe div;
    assert_true(rlog_valid_fetch(&leader, 2, 1, &div));
    assert_false(rlog_valid_fetch(&leader, 4, 2, &div));
    assert_int_equal(div.epoch, 1);
    assert_int_equal(div.offset, 2);
    rlog_truncate_to(&follower, div);
    assert_int_equal(follower.n, 2);
    assert_true(rlog_valid_fetch(&leader, follower.n, rlog_last_epoch(&follower), &div));
    /* past the end of the latest epoch */
    assert_false(rlog_valid_fetch(&leader, 7, 3, &div));
    assert_int_equal(div.offset, 5);
    assert_int_equal(div.epoch, 3);
    rlog_free(&leader);
    rlog_free(&follower);
}

/* An isolated leader keeps appending records nobody commits; after the
 * heal it follows the new leader and truncates them away, so every
 * voter's log is the same (and the apps never saw the lost records). */
static void test_raft_follower_truncates_uncommitted(void **state)
{
    (void)state;
    world *w = world_new(3, 21);
    until_leader(w, 3000);
    int l = leader_index(w);
    append_byte(w, l, 1);
    run_ms(w, 200);
    net_isolate(sim_net(w->s), raft_quorum_nodes(w->q)[l]);
    append_byte(w, l, 66);
    append_byte(w, l, 67);
    int nl = -1;
    for (int k = 0; k < 6000 && nl < 0; k++) {
        run_ms(w, 1);
        for (int i = 0; i < 3; i++) if (i != l && info(w, i).state == RAFT_LEADER) nl = i;
    }
    assert_true(nl >= 0);
    append_byte(w, nl, 2);
    run_ms(w, 700);
    net_heal(sim_net(w->s));
    run_ms(w, 3000);
    int64_t end = info(w, nl).log_end;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(info(w, i).log_end, end);
        for (int64_t o = 0; o < end; o++) {
            int32_t e1, e2;
            raft_entry(raft_quorum_raft(w->q, i), o, &e1, NULL, NULL, NULL);
            raft_entry(raft_quorum_raft(w->q, nl), o, &e2, NULL, NULL, NULL);
            assert_int_equal(e1, e2);
        }
        for (int k = 0; k < w->apps[i].n; k++) assert_true(w->apps[i].first[k] < 60);
    }
    assert_int_equal(w->apps[l].n, 2);
    world_free(w);
}

/* An observer (a broker) on a node of its own: it learns the leader from
 * any voter, fetches committed records, and its fetches do not count
 * towards the high watermark. */
typedef struct obs_node { raft *r; } obs_node;
static void obs_start(void *self) { raft_start(((obs_node *)self)->r); }
static void obs_crash(void *self) { raft_crash(((obs_node *)self)->r); }
static void obs_recv(void *self, int from, uint32_t type, const uint8_t *d, size_t len)
{
    raft_recv(((obs_node *)self)->r, from, type, d, len);
}
static void obs_destroy(void *self) { raft_free(((obs_node *)self)->r); free(self); }
static const node_ops obs_ops = {
    .start = obs_start, .crash = obs_crash, .recv = obs_recv, .destroy = obs_destroy,
};

static void test_raft_observer_fetches_without_voting(void **state)
{
    (void)state;
    world *w = world_new(3, 3);
    obs_node *o = calloc(1, sizeof *o);
    int node = sim_add_node(w->s, "101", NODE_BROKER, &obs_ops, o);
    o->r = raft_new(w->s, node, 101, raft_quorum_ids(w->q), raft_quorum_nodes(w->q), 3, NULL);
    seen app = { 0 };
    raft_set_app(o->r, &(raft_app){ .commit = app_commit, .leader = app_leader }, &app);
    sim_start_node(w->s, node);
    until_leader(w, 3000);
    int l = leader_index(w);
    append_byte(w, l, 5);
    run_ms(w, 700);
    raft_info ri;
    raft_info_get(o->r, &ri);
    assert_false(ri.voter);
    assert_int_equal(ri.state, RAFT_FOLLOWER);
    assert_int_equal(ri.leader_id, l + 1);
    assert_int_equal(app.n, 1);
    assert_int_equal(app.first[0], 5);
    int64_t end;
    assert_true(raft_replica(raft_quorum_raft(w->q, l), 101, &end, NULL));
    /* with both other voters down the observer's fetches commit nothing */
    for (int i = 0; i < 3; i++) if (i != l) sim_crash(w->s, raft_quorum_nodes(w->q)[i]);
    int64_t hw = info(w, l).high_watermark;
    append_byte(w, l, 6);
    run_ms(w, 1000);
    raft_info_get(o->r, &ri);
    assert_int_equal(ri.log_end, hw + 1);
    assert_int_equal(info(w, l).high_watermark, hw);
    assert_int_equal(app.n, 1);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raft_first_election_in_timeout_range),
        cmocka_unit_test(test_raft_commit_reaches_every_voter),
        cmocka_unit_test(test_raft_leader_crash_new_epoch),
        cmocka_unit_test(test_raft_partitioned_leader_resigns),
        cmocka_unit_test(test_raft_clean_shutdown_hands_over),
        cmocka_unit_test(test_raft_log_divergence),
        cmocka_unit_test(test_raft_follower_truncates_uncommitted),
        cmocka_unit_test(test_raft_observer_fetches_without_voting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
