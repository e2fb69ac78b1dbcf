/* Unit tests for snapshots of KRaft's metadata log (KIP-630, Kafka 3.7),
 * each following the Kafka class it names: when one is taken
 * (SnapshotGenerator.publishLogDelta), how the log start moves past one
 * (KafkaMetadataLog.maybeClean, deleteBeforeSnapshot), which fetch is
 * answered with a snapshot id (ReplicatedLog.validateOffsetAndEpoch,
 * KafkaRaftClient.handleFetchRequest), FetchSnapshot in slices
 * (handleFetchSnapshotRequest/Response), and a restart that loads its own
 * latest snapshot instead of replaying the log from 0
 * (KafkaRaftClient.updateListenersProgress). Before snapshots the log
 * only grew and none of this happened. */
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

/* A tiny state machine: the sum and count of the records' first bytes.
 * Its snapshot is those two numbers. */
typedef struct app {
    uint64_t sum, count;
    int64_t next;               /* next offset expected */
    int loads;                  /* snapshots loaded */
    int64_t first_commit;       /* first offset committed since start, -1 */
} app;

static void app_commit(void *ctx, int64_t offset, int32_t epoch, const uint8_t *d, size_t len)
{
    (void)epoch;
    app *a = ctx;
    assert_true(len >= 1);
    assert_int_equal(offset >= a->next, true);
    if (a->first_commit < 0) a->first_commit = offset;
    a->sum += d[0];
    a->count++;
    a->next = offset + 1;
}

static void app_write(void *ctx, wbuf *out)
{
    app *a = ctx;
    w_u64(out, a->sum);
    w_u64(out, a->count);
}

static void app_load(void *ctx, int64_t end, const uint8_t *d, size_t len)
{
    app *a = ctx;
    rbuf in = rbuf_of(d, len);
    a->sum = r_u64(&in);
    a->count = r_u64(&in);
    assert_false(in.bad);
    a->next = end;
    a->loads++;
}

typedef struct world {
    sim *s;
    raft_quorum *q;
    app apps[3];
    int fetch_snapshots;        /* FetchSnapshot requests sent */
} world;

static void count_sends(void *ctx, const trace_event *ev)
{
    world *w = ctx;
    if (ev->kind == TR_SEND && ev->msg_type == RM_FETCH_SNAPSHOT) w->fetch_snapshots++;
}

/* Three voters with lesson-sized snapshot settings. */
static world *world_new(int64_t snap_bytes, int64_t retention_bytes, uint32_t slice)
{
    world *w = calloc(1, sizeof *w);
    w->s = sim_new(7);
    raft_config cfg;
    raft_config_defaults(&cfg);
    cfg.snapshot_max_new_record_bytes = snap_bytes;
    cfg.max_retention_bytes = retention_bytes;
    cfg.fetch_snapshot_max_bytes = slice;
    w->q = raft_quorum_new(w->s, 3, &cfg);
    raft_app a = { .commit = app_commit, .snapshot_write = app_write,
                   .snapshot_load = app_load };
    for (int i = 0; i < 3; i++) {
        w->apps[i].first_commit = -1;
        raft_set_app(raft_quorum_raft(w->q, i), &a, &w->apps[i]);
    }
    trace_listen(sim_trace(w->s), count_sends, w);
    raft_quorum_start(w->q);
    return w;
}

static void world_free(world *w)
{
    trace_unlisten(sim_trace(w->s), count_sends, w);
    raft_quorum_free(w->q);
    sim_free(w->s);
    free(w);
}

static void run_ms(world *w, uint64_t ms) { sim_run_until(w->s, sim_now_us(w->s) + ms * MS); }

static raft_info info(world *w, int i)
{
    raft_info ri;
    raft_info_get(raft_quorum_raft(w->q, i), &ri);
    return ri;
}

static int leader(world *w)
{
    for (int t = 0; t < 5000; t++) {
        raft_quorum_info qi;
        raft_quorum_info_get(w->q, &qi);
        if (qi.leader_id > 0) return qi.leader_id - 1;
        run_ms(w, 1);
    }
    fail_msg("no leader");
    return -1;
}

/* n one-byte records on the leader, each committed before the next. */
static void append_n(world *w, int n)
{
    for (int k = 0; k < n; k++) {
        uint8_t b = (uint8_t)(k % 7 + 1);
        assert_true(raft_append(raft_quorum_raft(w->q, leader(w)), &b, 1) >= 0);
        run_ms(w, 20);
    }
    run_ms(w, 600);
}

/* SnapshotGenerator.publishLogDelta: a snapshot once the bytes applied
 * since the last pass the threshold, at the applied offset, with the
 * epoch of its last record; none before. */
static void test_raft_snap_taken_after_bytes(void **state)
{
    (void)state;
    world *w = world_new(10, -1, 1 << 20);
    int l = leader(w);
    append_n(w, 9);
    for (int i = 0; i < 3; i++) assert_int_equal(info(w, i).nsnapshots, 0);
    append_n(w, 1);
    for (int i = 0; i < 3; i++) {
        raft_info ri = info(w, i);
        assert_int_equal(ri.nsnapshots, 1);
        /* offset 0 is the LeaderChangeMessage, then ten records */
        assert_int_equal(ri.snapshot_end, 11);
        assert_int_equal(ri.snapshot_epoch, info(w, l).epoch);
        assert_int_equal(ri.log_start, 0);      /* nothing cleaned yet */
    }
    append_n(w, 10);
    assert_int_equal(info(w, l).nsnapshots, 2);
    assert_int_equal(info(w, l).snapshot_end, 21);
    world_free(w);
}

/* KafkaMetadataLog.maybeClean (every 60 s) and deleteBeforeSnapshot:
 * with two snapshots and the retention size passed, the older goes and
 * the log starts at the newer; the records before it are gone. With one
 * snapshot, or retention -1, the log keeps starting at 0. */
static void test_raft_snap_clean_moves_log_start(void **state)
{
    (void)state;
    world *w = world_new(10, 1, 1 << 20);
    int l = leader(w);
    append_n(w, 10);
    run_ms(w, 61000);
    assert_int_equal(info(w, l).log_start, 0);  /* one snapshot: never cleaned */
    append_n(w, 10);
    assert_int_equal(info(w, l).nsnapshots, 2);
    run_ms(w, 61000);
    for (int i = 0; i < 3; i++) {
        raft_info ri = info(w, i);
        assert_int_equal(ri.nsnapshots, 1);
        assert_int_equal(ri.log_start, 21);
        assert_int_equal(ri.log_start, ri.snapshot_end);
    }
    raft *r = raft_quorum_raft(w->q, l);
    assert_false(raft_entry(r, 20, NULL, NULL, NULL, NULL));
    assert_true(raft_entry(r, 21, NULL, NULL, NULL, NULL) || info(w, l).log_end == 21);
    world_free(w);

    w = world_new(10, -1, 1 << 20);             /* no retention limit */
    l = leader(w);
    append_n(w, 20);
    run_ms(w, 61000);
    assert_int_equal(info(w, l).nsnapshots, 2);
    assert_int_equal(info(w, l).log_start, 0);
    world_free(w);
}

/* ReplicatedLog.validateOffsetAndEpoch with KafkaRaftClient.handleFetchRequest's
 * empty-fetcher rule: a fetch at 0 gets the latest snapshot when there
 * is one; below the log start, or at it with another epoch, or with an
 * epoch below the oldest snapshot's, too; otherwise the log serves it or
 * names the divergence. */
static void test_raft_snap_fetch_answer(void **state)
{
    (void)state;
    sim *s = sim_new(1);
    int ids[1] = { 1 }, nodes[1] = { 0 };
    raft *r = raft_new(s, 0, 1, ids, nodes, 1, NULL);
    raft_oe out;
    for (int i = 0; i < 10; i++) rlog_append(&r->log, i < 5 ? 1 : 3, false, NULL, 0);
    assert_int_equal(raft_check_fetch(r, 0, 0, &out), RFETCH_VALID);
    assert_int_equal(raft_check_fetch(r, 4, 1, &out), RFETCH_VALID);
    assert_int_equal(raft_check_fetch(r, 7, 2, &out), RFETCH_DIVERGING);
    assert_int_equal(out.offset, 5);
    assert_int_equal(out.epoch, 1);
    /* a snapshot at 8 (epoch 3): the log still starts at 0 */
    raft_snap_store(r, (raft_oe){ 8, 3 }, calloc(1, 16), 16);
    assert_int_equal(raft_check_fetch(r, 0, 0, &out), RFETCH_SNAPSHOT);
    assert_int_equal(out.offset, 8);
    assert_int_equal(out.epoch, 3);
    assert_int_equal(raft_check_fetch(r, 4, 1, &out), RFETCH_SNAPSHOT);  /* epoch 1 < 3 */
    assert_int_equal(raft_check_fetch(r, 6, 3, &out), RFETCH_VALID);
    /* the log moves up to it: below is served by the snapshot */
    rlog_advance_start(&r->log, (raft_oe){ 8, 3 });
    assert_int_equal(raft_check_fetch(r, 7, 3, &out), RFETCH_SNAPSHOT);
    assert_int_equal(raft_check_fetch(r, 8, 3, &out), RFETCH_VALID);
    assert_int_equal(raft_check_fetch(r, 10, 3, &out), RFETCH_VALID);
    assert_int_equal(rlog_last_epoch(&r->log), 3);
    raft_free(r);
    sim_free(s);
}

/* handleFetchSnapshotRequest/Response: a follower that was down while
 * the log start moved past its log end fetches, is answered with the
 * snapshot id, downloads it in slices of fetch_snapshot_max_bytes, its
 * log restarts at the snapshot's end, its app loads the snapshot and
 * then commits from there; it ends with the leader's state. */
static void test_raft_snap_fetch_snapshot_catches_up(void **state)
{
    (void)state;
    world *w = world_new(10, 1, 8);             /* 32-byte snapshots, 8 a slice */
    int l = leader(w);
    int f = (l + 1) % 3;
    append_n(w, 2);
    sim_crash(w->s, raft_quorum_nodes(w->q)[f]);
    append_n(w, 25);
    run_ms(w, 61000);
    int64_t start = info(w, l).log_start;
    assert_true(start > info(w, f).log_end);
    assert_int_equal(w->fetch_snapshots, 0);
    w->apps[f] = (app){ .first_commit = -1 };   /* the process starts empty */
    sim_start_node(w->s, raft_quorum_nodes(w->q)[f]);
    run_ms(w, 3000);
    raft_info ri = info(w, f);
    assert_int_equal(ri.log_start, start);
    assert_int_equal(ri.snapshot_end, start);
    assert_int_equal(ri.log_end, info(w, l).log_end);
    assert_false(ri.fetching_snapshot);
    assert_int_equal(w->fetch_snapshots, 4);    /* 32 bytes, 8 at a time */
    assert_int_equal(w->apps[f].loads, 1);
    assert_int_equal(w->apps[f].sum, w->apps[l].sum);
    assert_int_equal(w->apps[f].count, w->apps[l].count);
    assert_true(w->apps[f].first_commit < 0 || w->apps[f].first_commit >= start);
    world_free(w);
}

/* KafkaRaftClient.updateListenersProgress: a listener at offset 0 gets
 * the latest snapshot first when one exists, even while the log still
 * starts at 0, and then the records after it: a restart no longer
 * replays the log from 0. */
static void test_raft_snap_restart_loads_own_snapshot(void **state)
{
    (void)state;
    world *w = world_new(10, -1, 1 << 20);
    int l = leader(w);
    int f = (l + 2) % 3;
    append_n(w, 13);
    raft_info before = info(w, f);
    assert_int_equal(before.snapshot_end, 11);
    assert_int_equal(before.log_start, 0);
    uint64_t sum = w->apps[f].sum;
    sim_crash(w->s, raft_quorum_nodes(w->q)[f]);
    w->apps[f] = (app){ .first_commit = -1 };
    sim_start_node(w->s, raft_quorum_nodes(w->q)[f]);
    run_ms(w, 3000);
    assert_int_equal(w->apps[f].loads, 1);
    assert_int_equal(w->apps[f].first_commit, 11);  /* not 1: from the snapshot on */
    assert_int_equal(w->apps[f].sum, sum);
    assert_int_equal(w->fetch_snapshots, 0);        /* its own snapshot, not the leader's */
    world_free(w);
}

/* SnapshotGenerator.publishLogDelta's time-based test: with the bytes
 * far from the threshold, a snapshot once metadata.log.max.snapshot.
 * interval.ms passed since the process started (or the last snapshot),
 * at the next record applied; 0 turns it off. */
static void test_raft_snap_taken_after_interval(void **state)
{
    (void)state;
    for (int off = 0; off < 2; off++) {
        world *w = calloc(1, sizeof *w);
        w->s = sim_new(7);
        raft_config cfg;
        raft_config_defaults(&cfg);
        cfg.snapshot_max_interval_ms = off ? 0 : 10000;
        w->q = raft_quorum_new(w->s, 3, &cfg);
        raft_app a = { .commit = app_commit, .snapshot_write = app_write,
                       .snapshot_load = app_load };
        for (int i = 0; i < 3; i++) raft_set_app(raft_quorum_raft(w->q, i), &a, &w->apps[i]);
        trace_listen(sim_trace(w->s), count_sends, w);
        raft_quorum_start(w->q);
        int l = leader(w);
        append_n(w, 2);
        assert_int_equal(info(w, l).nsnapshots, 0);
        run_ms(w, 10000);
        assert_int_equal(info(w, l).nsnapshots, 0);     /* time alone takes none */
        append_n(w, 1);
        assert_int_equal(info(w, l).nsnapshots, off ? 0 : 1);
        if (!off) assert_int_equal(info(w, l).snapshot_end, info(w, l).log_end);
        world_free(w);
    }
}

/* KafkaMetadataLog.cleanSnapshotsRetentionMs: with no size limit, the
 * older snapshot goes (and the log starts at the newer) only once it is
 * older than metadata.max.retention.ms, at the cleaner's next turn. */
static void test_raft_snap_clean_by_age(void **state)
{
    (void)state;
    world *w = world_new(10, -1, 1 << 20);
    for (int i = 0; i < 3; i++)
        raft_quorum_raft(w->q, i)->cfg.max_retention_ms = 300000;
    int l = leader(w);
    append_n(w, 20);
    assert_int_equal(info(w, l).nsnapshots, 2);
    run_ms(w, 200000);
    assert_int_equal(info(w, l).log_start, 0);      /* not yet 5 minutes old */
    run_ms(w, 170000);
    assert_int_equal(info(w, l).nsnapshots, 1);
    assert_int_equal(info(w, l).log_start, 21);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_raft_snap_taken_after_bytes),
        cmocka_unit_test(test_raft_snap_taken_after_interval),
        cmocka_unit_test(test_raft_snap_clean_moves_log_start),
        cmocka_unit_test(test_raft_snap_clean_by_age),
        cmocka_unit_test(test_raft_snap_fetch_answer),
        cmocka_unit_test(test_raft_snap_fetch_snapshot_catches_up),
        cmocka_unit_test(test_raft_snap_restart_loads_own_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
