/* Unit tests of the dashboard against a live simulated world: the
 * snapshot taken from a real ensemble, commands carried out through the
 * cluster's fault API (never on node internals), and what the layout then
 * says: the leader, the quorum line, isolation marks, errors for unknown
 * nodes. Time is simulated; nothing sleeps. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "hist.h"
#include "ko.h"
#include "layout.h"
#include "mlog.h"
#include "ops.h"
#include "twin.h"
#include "kafka_world.h"

typedef struct world {
    cluster *c;
    viz_snap snap;
    viz_view view;
    viz_frame *frame;
} world;

static int setup(void **state)
{
    world *w = calloc(1, sizeof *w);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    viz_snap_init(&w->snap);
    viz_view_init(&w->view, 120, 40);
    w->frame = viz_frame_new(120, 40);
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    world *w = *state;
    viz_frame_free(w->frame);
    viz_view_free(&w->view);
    viz_snap_free(&w->snap);
    cluster_free(w->c);
    free(w);
    return 0;
}

static void run_s(world *w, int seconds)
{
    sim *s = cluster_sim(w->c);
    sim_run_until(s, sim_now_us(s) + (uint64_t)seconds * 1000000u);
    viz_snap_take(&w->snap, w->c, &w->view);
    viz_snap_grid(&w->snap, w->c, w->view.grid_top, viz_layout_grid_rows(&w->snap, &w->view));
    viz_layout(&w->snap, &w->view, w->frame);
}

static bool says(world *w, const char *text) { return viz_frame_find(w->frame, text, NULL); }

static int leader_sid(world *w) { return w->snap.ens.serving ? w->snap.ens.leader_sid : 0; }

static void act(world *w, const char *line, bool expect_ok, char *msg, size_t cap)
{
    viz_cmd cmd;
    char err[128];
    assert_true(viz_cmd_parse(line, &cmd, err, sizeof err));
    assert_int_equal(viz_act(w->c, &cmd, msg, cap), expect_ok);
}

static void test_viz_world_snapshot_of_a_live_ensemble(void **state)
{
    world *w = *state;
    run_s(w, 5);
    int l = leader_sid(w);
    assert_true(l >= 1 && l <= 3);
    assert_int_equal(w->snap.nnodes, 3);
    assert_string_equal(w->snap.nodes[0].name, "zk1");
    assert_true(says(w, "quorum 2 of 3 · 3 up · serving"));
    char line[1024], name[8];
    snprintf(name, sizeof name, " zk%d ", l);
    int row;
    assert_true(viz_frame_find(w->frame, name, &row));
    viz_frame_row_text(w->frame, row, line, sizeof line);
    assert_non_null(strstr(line, "LEADING"));
    assert_int_equal(w->snap.tree_sid, l);
    assert_true(w->snap.ntree >= 1);
    assert_string_equal(w->snap.tree[0].path, "/");
}

static void test_viz_world_kill_leader_then_quorum(void **state)
{
    world *w = *state;
    run_s(w, 5);
    int l = leader_sid(w);
    char cmdline[32], msg[160];
    snprintf(cmdline, sizeof cmdline, "kill zk%d", l);
    act(w, cmdline, true, msg, sizeof msg);
    snprintf(cmdline, sizeof cmdline, "crashed zk%d", l);
    assert_string_equal(msg, cmdline);
    run_s(w, 5);
    int l2 = leader_sid(w);
    assert_true(l2 != 0 && l2 != l);
    assert_int_equal(w->snap.ens.servers[l - 1].state, ZK_DOWN);
    assert_true(says(w, "quorum 2 of 3 · 2 up · serving"));
    /* one more down: no quorum */
    snprintf(cmdline, sizeof cmdline, "kill zk%d", l2);
    act(w, cmdline, true, msg, sizeof msg);
    run_s(w, 5);
    assert_true(says(w, "NO QUORUM: 1 of 3 up, 2 needed"));
    /* killing a dead server says so, and changes nothing */
    act(w, cmdline, false, msg, sizeof msg);
    assert_non_null(strstr(msg, "already down"));
    snprintf(cmdline, sizeof cmdline, "restart zk%d", l);
    act(w, cmdline, true, msg, sizeof msg);
    run_s(w, 10);
    assert_true(leader_sid(w) != 0);
}

static void test_viz_world_isolation_marks_only_the_cut_node(void **state)
{
    world *w = *state;
    run_s(w, 5);
    char msg[160];
    act(w, "isolate zk1", true, msg, sizeof msg);
    run_s(w, 1);
    assert_true(w->snap.zk_isolated[0]);
    assert_false(w->snap.zk_isolated[1]);
    assert_false(w->snap.zk_cut[1]);
    act(w, "heal", true, msg, sizeof msg);
    act(w, "split zk1 / zk2,zk3", true, msg, sizeof msg);
    run_s(w, 1);
    assert_true(w->snap.zk_isolated[0]);     /* alone on its side */
    act(w, "heal", true, msg, sizeof msg);
    run_s(w, 1);
    assert_false(w->snap.zk_isolated[0]);
}

/* The leader cut off goes on LEADING, and says it serves, until syncLimit
 * runs out (Leader.lead); the quorum line says meanwhile that nothing can
 * commit instead of "serving" (trial 6: ten seconds of "serving" while
 * zk2 reached nobody), then names the new leader's quorum. */
static void test_viz_world_leader_cut_off_cannot_commit(void **state)
{
    world *w = *state;
    run_s(w, 5);
    int l = leader_sid(w);
    char cmdline[32], msg[160], text[96];
    snprintf(cmdline, sizeof cmdline, "isolate zk%d", l);
    act(w, cmdline, true, msg, sizeof msg);
    run_s(w, 1);
    assert_int_equal(w->snap.ens.servers[l - 1].state, ZK_LEADING);
    assert_true(w->snap.zk_leader_cut);
    snprintf(text, sizeof text, "leader zk%d cut off from a quorum: no write can commit", l);
    assert_true(says(w, text));
    assert_false(says(w, "serving"));
    run_s(w, 20);
    assert_true(leader_sid(w) != l && leader_sid(w) != 0);
    assert_false(w->snap.zk_leader_cut);
    assert_true(says(w, "quorum 2 of 3 · 3 up · serving"));
    /* a follower cut off leaves the leader its quorum */
    act(w, "heal", true, msg, sizeof msg);
    run_s(w, 5);
    int l2 = leader_sid(w), f = l2 == 1 ? 2 : 1;
    snprintf(cmdline, sizeof cmdline, "isolate zk%d", f);
    act(w, cmdline, true, msg, sizeof msg);
    run_s(w, 1);
    assert_false(w->snap.zk_leader_cut);
    assert_true(says(w, "· serving"));
}

static void test_viz_world_pause_toggle_and_errors(void **state)
{
    world *w = *state;
    run_s(w, 5);
    char msg[160];
    viz_cmd cmd = { .kind = VC_PAUSE_TOGGLE, .nnames = 1 };
    snprintf(cmd.names[0], sizeof cmd.names[0], "zk2");
    assert_true(viz_act(w->c, &cmd, msg, sizeof msg));
    assert_int_equal(sim_node_status(cluster_sim(w->c), w->snap.nodes[1].node), NODE_PAUSED);
    run_s(w, 1);
    assert_true(w->snap.ens.servers[1].paused);
    assert_true(viz_act(w->c, &cmd, msg, sizeof msg));
    assert_int_equal(sim_node_status(cluster_sim(w->c), w->snap.nodes[1].node), NODE_UP);
    act(w, "kill zk9", false, msg, sizeof msg);
    assert_string_equal(msg, "unknown node 'zk9' (servers zk1..zk3, no brokers)");
    /* a bare number is a broker id, as in lab.kill(2): never zk2 */
    act(w, "kill 2", false, msg, sizeof msg);
    assert_string_equal(msg, "unknown node '2' (servers zk1..zk3, no brokers)");
    act(w, "kill zk2", true, msg, sizeof msg);
    assert_string_equal(msg, "crashed zk2");
    act(w, "split zk1 / zk1", false, msg, sizeof msg);
    assert_non_null(strstr(msg, "both sides"));
    act(w, "resume zk3", false, msg, sizeof msg);
    assert_non_null(strstr(msg, "not paused"));
}

/* Under --lang ko the status line says what a command did in Korean,
 * through the ops (whose messages they are) as the dashboard calls them. */
static void test_viz_world_korean_messages(void **state)
{
    world *w = *state;
    run_s(w, 5);
    char msg[200];
    viz_ops *o = viz_ops_new();
    viz_ops_set_lang(o, "ko");
    viz_cmd cmd;
    char err[128];
    assert_true(viz_cmd_parse("kill zk2", &cmd, err, sizeof err));
    assert_true(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
    assert_string_equal(msg, "zk2 크래시(비정상 종료)");
    assert_false(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
    assert_string_equal(msg, "zk2: 이미 내려가 있습니다");
    assert_true(viz_cmd_parse("kill 105", &cmd, err, sizeof err));
    assert_false(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
    /* the particle agrees with the name as it shows (viz_frame_put
     * resolves the marker): '105'라는, attached, no space */
    char shown[200];
    ko_resolve(msg, shown, sizeof shown);
    assert_string_equal(shown, "'105'라는 노드가 없습니다 (서버 zk1..zk3, 브로커 없음)");
    assert_true(viz_cmd_parse("topic orders 3 1", &cmd, err, sizeof err));
    assert_false(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
    assert_string_equal(msg, "이 월드에는 브로커가 없습니다");
    viz_ops_free(o);
}

/* A topic marked for deletion while a replica's broker is down stays
 * (TopicDeletionManager waits for it): the grid says "deleting" on its
 * rows instead of raising them as OFFLINE or under-replicated. */
static void test_viz_world_topic_marked_for_deletion(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 3;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    kafka_world *kw = cluster_kafka(w->c);
    kafka_client *a = kafka_world_admin(kw);
    assert_true(kafka_client_admin(a, 1, "doomed", 2, 3, 0, -1));
    run_s(w, 5);
    assert_int_equal(kafka_client_admin_result(a), KERR_NONE);
    int victim = kafka_world_controller(kw) == 101 ? 102 : 101;
    cluster_kill(w->c, kafka_broker_node(kafka_world_by_id(kw, victim)));
    run_s(w, 25);                       /* its session expires */
    assert_false(says(w, "deleting"));
    assert_true(kafka_client_admin(a, 2, "doomed", 0, 0, 0, -1));
    run_s(w, 10);
    assert_int_equal(kafka_client_admin_result(a), KERR_NONE);
    assert_true(w->snap.nparts == 2 && w->snap.parts[0].deleting);
    assert_true(says(w, "deleting"));
    assert_false(says(w, "OFFLINE"));
    assert_false(says(w, "under-replicated"));
}

/* A consumer's count is the records it read: lesson 12's new consumer
 * reads 30 records of logs-0, and its row said "ok 0  fail 0" (the
 * counts of sends it never makes); now "read 30". */
static void test_viz_world_consumer_counts_records_read(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 3;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    kafka_world *kw = cluster_kafka(w->c);
    kafka_client *a = kafka_world_admin(kw);
    assert_true(kafka_client_admin(a, 1, "logs", 1, 3, 0, -1));
    run_s(w, 5);
    assert_int_equal(kafka_client_admin_result(a), KERR_NONE);
    const int boot[] = { 101, 102, 103 };
    kafka_client_config ccfg;
    kafka_client_config_defaults(&ccfg);
    kafka_client *p = kafka_world_client(kw, "p1", boot, 3, &ccfg);
    assert_true(kafka_client_send(p, "logs", 0, NULL, NULL, 30));
    run_s(w, 5);
    kafka_client *c = kafka_world_client(kw, "c1", boot, 3, &ccfg);
    assert_true(kafka_client_read(c, "logs", 0, 0, 100));
    run_s(w, 5);
    int n = 0;
    assert_int_equal(kafka_client_read_result(c, &n), KERR_NONE);
    assert_int_equal(n, 30);
    kafka_client_view cv;
    kafka_client_view_get(c, &cv);
    assert_int_equal(cv.read, 30);
    assert_true(cv.reads);
    assert_true(says(w, " c1 →10"));
    char line[512];
    int row;
    assert_true(viz_frame_find(w->frame, " c1 →", &row));
    viz_frame_row_text(w->frame, row, line, sizeof line);
    assert_non_null(strstr(line, "read 30"));
    assert_null(strstr(line, "ok 0"));
    assert_true(viz_frame_find(w->frame, " p1 acks=", &row));
    viz_frame_row_text(w->frame, row, line, sizeof line);
    assert_non_null(strstr(line, "ok 30"));
}

/* Replaces w's world with a ZooKeeper-mode one of `brokers` brokers and
 * returns a KRaft one of as many (three controllers): the two worlds of
 * --compare and lesson 14. */
static cluster *two_worlds(world *w, int brokers)
{
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = brokers;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    cfg.mode = CLUSTER_KRAFT;
    cfg.zookeepers = 0;
    cfg.controllers = 3;
    cluster *k = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    assert_non_null(k);
    return k;
}

/* --compare: a node neither world has is said in a form that fits the
 * status line (its closing ")" was cut at 120 columns): the full words
 * where there is room, the names alone at 120, a short line below. */
static void test_viz_world_twin_unknown_node_fits(void **state)
{
    world *w = *state;
    cluster *k = two_worlds(w, 4);
    cluster_twin(w->c, k);
    viz_twin_side side[2] = { { w->c, NULL, "ZooKeeper mode" }, { k, NULL, "KRaft mode" } };
    viz_cmd cmd;
    char err[160];
    assert_true(viz_cmd_parse("kill zk9", &cmd, err, sizeof err));
    viz_twin_result r;
    viz_twin_act(side, &cmd, "en", 200, &r);
    assert_string_equal(r.msg, "unknown node 'zk9' (ZooKeeper mode: servers zk1..zk3, brokers "
                        "101..104; KRaft mode: servers ctl1..ctl3, brokers 101..104)");
    viz_twin_act(side, &cmd, "en", 119, &r);
    assert_string_equal(r.msg, "unknown node 'zk9' (ZooKeeper mode: zk1..zk3, 101..104; "
                        "KRaft mode: ctl1..ctl3, 101..104)");
    viz_twin_act(side, &cmd, "en", 60, &r);
    assert_string_equal(r.msg, "unknown node 'zk9' in either world");
    viz_twin_act(side, &cmd, "ko", 60, &r);
    assert_string_equal(r.msg, "'zk9'라는 노드는 어느 월드에도 없습니다");
    assert_false(r.ok);
    cluster_twin(w->c, NULL);
    cluster_free(k);
}

/* Runs both compared worlds a second, takes both snapshots and lays out
 * the frame as the dashboard does (viz_compare_take, viz_layout_compare). */
static void compare_second(world *w, cluster *k, viz_snap *r, viz_hist *lh, viz_hist *rh)
{
    sim *ls = cluster_sim(w->c), *rs = cluster_sim(k);
    sim_run_until(ls, sim_now_us(ls) + 1000000u);
    sim_run_until(rs, sim_now_us(ls));
    viz_snap_take(&w->snap, w->c, &w->view);
    viz_snap_take(r, k, &w->view);
    viz_compare_take(&w->snap, r, w->c, k, lh, rh, &w->view);
    viz_layout_compare(&w->snap, r, "ZooKeeper mode", "KRaft mode", &w->view, w->frame);
}

/* The frame's leader timeline row of topic-part (the plots panel's, at
 * the left edge) holds the leader's last digit second after second. */
static void timeline_has_leader(world *w, const char *label, int leader)
{
    char text[512], want[8] = { 0 };
    memset(want, '0' + leader % 10, 4);
    size_t n = strlen(label);
    for (int row = 0; row < viz_frame_h(w->frame); row++) {
        viz_frame_row_text(w->frame, row, text, sizeof text);
        if (text[0] != ' ' || strncmp(text + 1, label, n) != 0) continue;
        assert_non_null(strstr(text, want));
        return;
    }
    fail_msg("no timeline row %s", label);
}

/* Lesson 14 and --compare on a screen too small for both worlds (80x24):
 * the one-world view's leader timeline was all dots ("no record"), as
 * only the one-world path sampled the history; and w shows the right
 * world there, its own timeline recorded too, with a line saying which
 * world is shown and how to see the other (trial 6 #16). */
static void test_viz_world_compare_small_screen_timeline_and_flip(void **state)
{
    world *w = *state;
    cluster *k = two_worlds(w, 3);
    cluster *both[2] = { w->c, k };
    for (int i = 0; i < 2; i++) {
        sim_run_until(cluster_sim(both[i]), 5000000u);
        kafka_client *a = kafka_world_admin(cluster_kafka(both[i]));
        assert_true(kafka_client_admin(a, 1, "pay", 3, 3, 0, -1));
        sim_run_until(cluster_sim(both[i]), 8000000u);
        assert_int_equal(kafka_client_admin_result(a), KERR_NONE);
    }
    viz_view_free(&w->view);
    viz_view_init(&w->view, 80, 24);
    w->view.compare = true;
    viz_snap r;
    viz_snap_init(&r);
    viz_hist *lh = calloc(1, sizeof *lh), *rh = calloc(1, sizeof *rh);
    viz_hist_reset(lh);
    viz_hist_reset(rh);
    for (int i = 0; i < 6; i++) compare_second(w, k, &r, lh, rh);
    assert_true(says(w, "both worlds need 100x30: left (ZooKeeper mode) shown, w: right"));
    assert_true(says(w, "ENSEMBLE  3 servers"));
    assert_false(says(w, "CONTROLLERS"));
    assert_true(says(w, "x no leader, . no record"));
    assert_int_equal(w->snap.parts[0].p, 0);
    timeline_has_leader(w, "pay-0 ", w->snap.parts[0].leader);
    /* w: the right world in the one view, under the same header */
    w->view.cmp_right = true;
    for (int i = 0; i < 6; i++) compare_second(w, k, &r, lh, rh);
    assert_true(says(w, "both worlds need 100x30: right (KRaft mode) shown, w: left"));
    assert_true(says(w, "CONTROLLERS"));
    assert_false(says(w, "ENSEMBLE  3 servers"));
    assert_true(says(w, " quorumlab "));
    timeline_has_leader(w, "pay-0 ", r.parts[0].leader);
    w->snap.lang = "ko";
    viz_layout_compare(&w->snap, &r, "KRaft", "ZK", &w->view, w->frame);
    assert_true(says(w, "두 월드는 100x30 필요: 오른쪽(ZK) 표시, w: 왼쪽"));
    w->snap.lang = NULL;
    free(lh);
    free(rh);
    viz_snap_free(&r);
    cluster_free(k);
}

/* The column heads count what the grid's rows show: a topic created
 * while broker 101 is paused is led by 101 in ZooKeeper's partition
 * state (the controller wrote it; 101's session has not expired), while
 * 101 itself has not had the LeaderAndIsr: its head said 0/0 beside
 * rows saying LEAD under it (lesson 13, paused at a check). */
static void test_viz_world_head_counts_follow_the_grid(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 3;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    kafka_world *kw = cluster_kafka(w->c);
    kafka_client *a = kafka_world_admin(kw);
    /* not the controller, nor 101 (the admin's first bootstrap broker) */
    int id = kafka_world_controller(kw) == 103 ? 102 : 103;
    cluster_pause(w->c, kafka_broker_node(kafka_world_by_id(kw, id)), 0);
    assert_true(kafka_client_admin(a, 1, "t", 3, 3, 0, -1));
    run_s(w, 3);
    assert_false(kafka_client_busy(a));
    assert_int_equal(kafka_client_admin_result(a), KERR_NONE);
    assert_int_equal(w->snap.nparts, 3);
    kafka_broker_info bi;
    kafka_broker_info_get(kafka_world_by_id(kw, id), &bi);
    assert_int_equal(bi.leaders, 0);            /* it has heard nothing */
    for (int i = 0; i < w->snap.nbrokers; i++) {
        const viz_broker *b = &w->snap.brokers[i];
        int lead = 0, reps = 0;
        for (int p = 0; p < w->snap.nparts; p++) {
            lead += w->snap.parts[p].leader == b->id;
            reps += viz_replica_of(&w->snap.parts[p], b->id) != VZ_NONE;
        }
        assert_int_equal(b->leaders, lead);
        assert_int_equal(b->replicas, reps);
        if (b->id == id) {
            assert_int_equal(b->leaders, 1);     /* replica 0 of one partition */
            assert_int_equal(b->replicas, 3);
        }
    }
}

/* Cutting one broker off marks that broker alone: the others lose only
 * their link to it and still reach each other and the ensemble. A split
 * names each node's side. */
static void test_viz_world_isolated_broker_marked_alone(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 3;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    char msg[160];
    act(w, "isolate 101", true, msg, sizeof msg);
    run_s(w, 1);
    assert_int_equal(w->snap.nbrokers, 3);
    assert_true(w->snap.brokers[0].isolated);
    assert_false(w->snap.brokers[1].isolated);
    assert_false(w->snap.brokers[2].isolated);
    assert_int_equal(w->snap.brokers[1].side, 0);
    assert_false(w->snap.zk_isolated[0]);
    act(w, "heal", true, msg, sizeof msg);
    act(w, "split zk1,101 / zk2,zk3,102,103", true, msg, sizeof msg);
    run_s(w, 1);
    assert_false(w->snap.brokers[0].isolated);
    assert_int_equal(w->snap.brokers[0].side, 'A');
    assert_int_equal(w->snap.zk_side[0], 'A');
    assert_int_equal(w->snap.zk_side[1], 'B');
    assert_int_equal(w->snap.brokers[2].side, 'B');
    assert_true(says(w, "side B"));     /* zk1 reads "isolated": no server on its side */
    assert_true(says(w, "up B"));
}

/* A split that names only some nodes cuts only the links between its two
 * lists; the others stay linked to both (cluster_split). The status says
 * that rule, and the sides still show: the named nodes are A and B in the
 * grid and the ensemble panel, the others have no side (trial 6: ':split
 * 101,zk1 / 102' said "split the network in two" and showed no side). A
 * is the side of the lowest node, whichever list the learner typed first. */
static void test_viz_world_partial_split_says_its_rule_and_sides(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 4;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    char msg[256];
    for (int order = 0; order < 2; order++) {
        act(w, order ? "split 102 / 101,zk1" : "split 101,zk1 / 102", true, msg, sizeof msg);
        assert_string_equal(msg, "only links between A (101,zk1) and B (102) are cut; "
                            "the others stay linked to both (h heals)");
        run_s(w, 1);
        assert_int_equal(w->snap.brokers[0].side, 'A');
        assert_int_equal(w->snap.brokers[1].side, 'B');
        assert_int_equal(w->snap.brokers[2].side, 0);
        assert_int_equal(w->snap.brokers[3].side, 0);
        assert_int_equal(w->snap.zk_side[0], 'A');
        assert_int_equal(w->snap.zk_side[1], 0);
        assert_int_equal(w->snap.zk_side[2], 0);
        for (int i = 0; i < 4; i++) assert_false(w->snap.brokers[i].isolated);
        assert_true(says(w, "up A"));
        assert_true(says(w, "up B"));
        assert_true(says(w, "side A"));
        act(w, "heal", true, msg, sizeof msg);
        run_s(w, 1);
        assert_int_equal(w->snap.brokers[0].side, 0);
        assert_false(says(w, "up A"));
    }
    /* naming every node: two groups, as before */
    act(w, "split zk1,101 / zk2,zk3,102,103,104", true, msg, sizeof msg);
    assert_string_equal(msg, "split the network in two (h heals)");
    /* two cuts that are not one split of two sets get no sides */
    act(w, "heal", true, msg, sizeof msg);
    act(w, "split 101 / 102", true, msg, sizeof msg);
    act(w, "split 103 / zk1", true, msg, sizeof msg);
    run_s(w, 1);
    for (int i = 0; i < 4; i++) assert_int_equal(w->snap.brokers[i].side, 0);
    /* Korean */
    act(w, "heal", true, msg, sizeof msg);
    viz_cmd cmd;
    assert_true(viz_cmd_parse("split 101,zk1 / 102", &cmd, err, sizeof err));
    assert_true(viz_act_lang(w->c, &cmd, "ko", msg, sizeof msg));
    assert_non_null(strstr(msg, "A(101,zk1)와 B(102) 사이의 링크만 끊겼습니다"));
}

/* :add-broker starts a broker in the running world: the snapshot and the
 * placement grid grow a column for it at once, it registers, and it holds
 * no replica until a topic is made after it (KafkaController.
 * onBrokerStartup moves nothing onto a new broker). A world without
 * brokers gets its first this way; a taken id is refused. */
static void test_viz_world_add_broker_grows_the_grid(void **state)
{
    world *w = *state;
    run_s(w, 5);
    char msg[200];
    act(w, "add-broker", true, msg, sizeof msg);
    assert_string_equal(msg, "added broker 101 (no replicas until a new topic or a reassignment)");
    run_s(w, 5);
    assert_int_equal(w->snap.nbrokers, 1);
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 3;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    kafka_world *kw = cluster_kafka(w->c);
    kafka_client *a = kafka_world_admin(kw);
    assert_true(kafka_client_admin(a, 1, "old", 3, 3, 0, -1));
    run_s(w, 5);
    assert_int_equal(w->snap.nbrokers, 3);
    assert_false(says(w, "105"));
    act(w, "add-broker 105", true, msg, sizeof msg);
    run_s(w, 5);
    assert_int_equal(w->snap.nbrokers, 4);
    assert_int_equal(w->snap.brokers[3].id, 105);
    assert_int_equal(w->snap.brokers[3].status, NODE_UP);
    assert_int_equal(w->snap.brokers[3].replicas, 0);
    assert_true(says(w, "105"));            /* its column in the grid */
    act(w, "add-broker 105", false, msg, sizeof msg);
    assert_non_null(strstr(msg, "exists already"));
    assert_true(kafka_client_admin(a, 1, "new", 4, 2, 0, -1));
    run_s(w, 5);
    assert_int_equal(kafka_client_admin_result(a), KERR_NONE);
    assert_int_equal(w->snap.brokers[3].replicas, 2);
    /* its node is a node like the others: the command line names it */
    act(w, "kill 105", true, msg, sizeof msg);
    assert_string_equal(msg, "crashed 105");
}

/* :delete-topic asks the admin client's DeleteTopics: the status line
 * says it was marked, and once the controller has had every live replica
 * deleted the grid no longer shows the topic. */
static void test_viz_world_delete_topic_command(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 3;
    char err[160], msg[200];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    viz_ops *o = viz_ops_new();
    viz_cmd cmd;
    assert_true(viz_cmd_parse("topic gone 2 3", &cmd, err, sizeof err));
    assert_true(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
    assert_true(viz_ops_run_until(o, w->c, sim_now_us(cluster_sim(w->c)) + 5000000));
    run_s(w, 0);
    assert_int_equal(w->snap.nparts, 2);
    assert_true(viz_cmd_parse("delete-topic gone", &cmd, err, sizeof err));
    assert_true(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
    assert_string_equal(msg, "deleting topic gone");
    assert_true(viz_ops_run_until(o, w->c, sim_now_us(cluster_sim(w->c)) + 5000000));
    viz_role role;
    bool said = false;
    while (viz_ops_poll(o, msg, sizeof msg, &role))
        said = said || strstr(msg, "topic gone marked for deletion") != NULL;
    assert_true(said);
    run_s(w, 0);
    assert_int_equal(w->snap.nparts, 0);
    viz_ops_free(o);
}

/* :produce to a topic that does not exist fails as a Kafka 2.8 producer
 * does (KafkaProducer.waitOnMetadata): a TimeoutException after
 * max.block.ms, with its words, not the Metadata answers'
 * UNKNOWN_TOPIC_OR_PARTITION; lesson 3 calls it TIMEOUT too. */
static void test_viz_world_produce_unknown_topic_times_out(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.brokers = 3;
    char err[160], msg[320];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    for (int k = 0; k < 2; k++) {
        viz_ops *o = viz_ops_new();
        if (k) viz_ops_set_lang(o, "ko");
        viz_cmd cmd;
        assert_true(viz_cmd_parse("produce nope 10", &cmd, err, sizeof err));
        assert_true(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
        assert_true(viz_ops_run_until(o, w->c, sim_now_us(cluster_sim(w->c)) + 59000000));
        viz_role role;
        assert_false(viz_ops_poll(o, msg, sizeof msg, &role));    /* still blocked */
        assert_true(viz_ops_run_until(o, w->c, sim_now_us(cluster_sim(w->c)) + 3000000));
        assert_true(viz_ops_poll(o, msg, sizeof msg, &role));
        assert_string_equal(msg, k ? "p2 → nope: 확인 0, 실패 10: TIMEOUT: Topic nope "
                                     "not present in metadata after 60000 ms. "
                                     "(만들려면 :topic nope 6 3)"
                                   : "p2 to nope: 0 acknowledged, 10 failed: TIMEOUT: Topic nope "
                                     "not present in metadata after 60000 ms. (:topic nope 6 3)");
        assert_int_equal(role, VR_BAD);
        viz_ops_free(o);
    }
}

/* The KRaft sandbox (4 brokers) at 80x24: the quorum panel's title is
 * whole in a shorter form, in English and Korean, not cut mid-word. */
static void test_viz_world_kraft_title_fits_80(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.zookeepers = 0;
    cfg.controllers = 3;
    cfg.brokers = 4;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    viz_view_free(&w->view);
    viz_view_init(&w->view, 80, 24);
    run_s(w, 5);
    assert_true(says(w, " CONTROLLERS  3, quorum 2 "));
    w->snap.lang = "ko";
    viz_layout(&w->snap, &w->view, w->frame);
    assert_true(says(w, " 컨트롤러  투표자 3대, 쿼럼 2 "));
    w->snap.lang = NULL;
}

/* KRaft mode on screen (issue 12): the controller quorum where the
 * ensemble stands, each voter's Raft state (KafkaRaftClient's), the
 * active controller, the metadata log with the LeaderChangeMessage each
 * election writes; a :kill of the leader through the fault API and, after
 * the followers' 2000 ms fetch timeout, a new leader of a later epoch. */
static void test_viz_world_kraft_quorum_panel(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    char err[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    assert_true(w->snap.kraft);
    assert_int_equal(w->snap.nnodes, 3);
    assert_string_equal(w->snap.nodes[0].name, "ctl1");
    assert_true(says(w, "CONTROLLER QUORUM  3 voters, quorum 2"));
    assert_false(says(w, "ENSEMBLE"));
    int l = w->snap.quorum.leader_id;
    assert_true(l >= 1 && l <= 3);
    char text[96], line[1024];
    snprintf(text, sizeof text, "active controller ctl%d · epoch 1 · hw 1", l);
    assert_true(says(w, text));
    snprintf(text, sizeof text, " ctl%d ", l);
    int row;
    assert_true(viz_frame_find(w->frame, text, &row));
    viz_frame_row_text(w->frame, row, line, sizeof line);
    assert_non_null(strstr(line, "Leader"));
    assert_true(says(w, "METADATA LOG"));
    assert_true(says(w, "LeaderChangeMessage"));
    char cmdline[32], msg[160];
    snprintf(cmdline, sizeof cmdline, "kill ctl%d", l);
    act(w, cmdline, true, msg, sizeof msg);
    run_s(w, 1);
    /* 1 s after the kill the two are still Followers: nobody stands
     * before quorum.fetch.timeout.ms (2000 ms, FollowerState) passes
     * (this said 'electing' before, which was not true yet) */
    assert_true(says(w, "NO LEADER: followers wait out quorum.fetch.timeout.ms"));
    /* what end, hw and lag mean, under the quorum line */
    assert_true(says(w, "end=log end, hw=high watermark, lag=behind leader"));
    /* the followers' fetch timers count down (FollowerState's fetchTimer),
     * on their rows and in the countdowns, as ZooKeeper mode's syncLimit */
    snprintf(text, sizeof text, "gives up on leader ctl%d in ", l);
    assert_true(says(w, text));
    snprintf(text, sizeof text, " ctl%d ", l == 1 ? 2 : 1);
    assert_true(viz_frame_find(w->frame, text, &row));
    viz_frame_row_text(w->frame, row, line, sizeof line);
    assert_non_null(strstr(line, "Follower"));
    assert_non_null(strstr(line, "» "));
    run_s(w, 4);
    int l2 = w->snap.quorum.leader_id;
    assert_true(l2 >= 1 && l2 != l);
    /* epoch 2, or later when the two followers' fetch timeouts ran out
     * together and split the vote */
    assert_true(w->snap.quorum.epoch >= 2);
    assert_true(w->snap.nmlog >= 2);
    assert_int_equal(w->snap.mlog[w->snap.nmlog - 1].epoch, w->snap.quorum.epoch);
    assert_true(w->snap.mlog[w->snap.nmlog - 1].control);
    snprintf(text, sizeof text, " ctl%d ", l);
    assert_true(viz_frame_find(w->frame, text, &row));
    viz_frame_row_text(w->frame, row, line, sizeof line);
    assert_non_null(strstr(line, "Down"));
}

/* Whether controller ctlN is marked isolated (the quorum panel's mark). */
static bool ctl_isolated(world *w, int n)
{
    char name[16];
    snprintf(name, sizeof name, "ctl%d", n);
    for (int i = 0; i < w->snap.nnodes; i++)
        if (strcmp(w->snap.nodes[i].name, name) == 0) return w->snap.nodes[i].isolated;
    fail_msg("no node %s in the snapshot", name);
    return false;
}

/* KRaft mode: a controller is marked isolated when it reaches no other
 * controller, not when one of its links is cut; a broker whose side holds
 * a controller is not isolated either (it was, when only brokers were
 * looked at). */
static void test_viz_world_kraft_isolated_marks(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.zookeepers = 0;
    cfg.brokers = 3;
    char err[160], msg[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 5);
    act(w, "split ctl1 / ctl3", true, msg, sizeof msg);
    run_s(w, 1);
    for (int i = 1; i <= 3; i++) assert_false(ctl_isolated(w, i));
    act(w, "heal", true, msg, sizeof msg);
    act(w, "isolate ctl2", true, msg, sizeof msg);
    run_s(w, 1);
    assert_false(ctl_isolated(w, 1));
    assert_true(ctl_isolated(w, 2));
    assert_false(ctl_isolated(w, 3));
    assert_true(says(w, "isolated"));
    act(w, "heal", true, msg, sizeof msg);
    act(w, "split ctl3,101 / ctl1,ctl2,102,103", true, msg, sizeof msg);
    run_s(w, 1);
    assert_true(ctl_isolated(w, 3));
    assert_false(ctl_isolated(w, 1));
    assert_int_equal(w->snap.nbrokers, 3);
    assert_false(w->snap.brokers[0].isolated);
    /* sides named in listing order, controllers first: ctl1's is A */
    assert_int_equal(w->snap.brokers[0].side, 'B');
    assert_int_equal(w->snap.brokers[1].side, 'A');
    act(w, "heal", true, msg, sizeof msg);
    run_s(w, 1);
    for (int i = 1; i <= 3; i++) assert_false(ctl_isolated(w, i));
    assert_false(says(w, "isolated"));
}

/* KRaft snapshots on screen (KIP-630): with lesson-sized settings the
 * controllers write snapshots and the cleaner moves the log start past
 * the older one (KafkaMetadataLog.maybeClean); the quorum panel names
 * each voter's latest snapshot, the metadata log panel says where the log
 * now starts and lists nothing before it (it listed "record, 0 bytes"
 * rows for offsets the log no longer held). */
static void test_viz_world_kraft_snapshot_panels(void **state)
{
    world *w = *state;
    cluster_free(w->c);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.mode = CLUSTER_KRAFT;
    cfg.brokers = 3;
    cfg.raft.snapshot_max_new_record_bytes = 300;
    cfg.raft.max_retention_bytes = 1;
    char err[160], msg[160];
    w->c = cluster_new(&cfg, err, sizeof err);
    assert_non_null(w->c);
    run_s(w, 10);
    viz_ops *o = viz_ops_new();
    viz_cmd cmd;
    /* two topics, two batches of records, a snapshot after each */
    static const char *const topics[] = { "topic orders 6 3", "topic pay 6 3" };
    for (int i = 0; i < 2; i++) {
        assert_true(viz_cmd_parse(topics[i], &cmd, err, sizeof err));
        assert_true(viz_ops_act(o, w->c, &cmd, msg, sizeof msg));
        assert_true(viz_ops_run_until(o, w->c, sim_now_us(cluster_sim(w->c)) + 5000000));
    }
    viz_ops_free(o);
    run_s(w, 70);
    const raft_info *lead = NULL;
    for (int i = 0; i < w->snap.quorum.size; i++)
        if (w->snap.quorum.voters[i].r.node_id == w->snap.quorum.leader_id)
            lead = &w->snap.quorum.voters[i].r;
    assert_non_null(lead);
    assert_true(lead->log_start > 0);
    assert_int_equal(lead->log_start, lead->snapshot_end);
    char text[64];
    snprintf(text, sizeof text, "snap %lld", (long long)lead->snapshot_end);
    assert_true(says(w, text));
    snprintf(text, sizeof text, "%6lld  snapshot e%d: the log starts here",
             (long long)lead->log_start, (int)lead->snapshot_epoch);
    assert_true(says(w, text));
    assert_true(w->snap.nmlog == 0 || w->snap.mlog[0].offset >= lead->log_start);
    assert_false(says(w, "record, 0 bytes"));
}

/* A narrow metadata log panel shows a record's key fields, not Kafka's
 * toString cut mid-field: PartitionChangeRecord(partitionId=3, topicId=...,
 * isr=[104, 101], leader=104) as "PartitionChange orders-3 L104 isr
 * 104,101", the topic named from the image's TopicRecord. */
static void test_viz_world_mlog_brief(void **state)
{
    (void)state;
    kmeta_image *img = kmeta_image_new();
    kmeta_rec t;
    kmeta_rec_init(&t, KMETA_TOPIC);
    snprintf(t.topic, sizeof t.topic, "orders");
    t.topic_id = (kmeta_uuid){ 7, 9 };
    char err[96], out[64];
    assert_true(kmeta_image_apply(img, &t, 0, err, sizeof err));
    kmeta_rec c;
    kmeta_rec_init(&c, KMETA_PARTITION_CHANGE);
    c.topic_id = t.topic_id;
    c.partition = 3;
    c.leader = 104;
    c.isr = (kmeta_ids){ 2, { 104, 101 } };
    viz_mlog_brief(&c, img, NULL, out, sizeof out);
    assert_string_equal(out, "PartitionChange orders-3 L104 isr 104,101");
    c.leader = KMETA_NO_LEADER_CHANGE;        /* an ISR shrink alone */
    c.isr = (kmeta_ids){ 1, { 104 } };
    viz_mlog_brief(&c, img, NULL, out, sizeof out);
    assert_string_equal(out, "PartitionChange orders-3 isr 104");
    kmeta_rec f;
    kmeta_rec_init(&f, KMETA_FENCE_BROKER);
    f.broker_id = 102;
    viz_mlog_brief(&f, img, NULL, out, sizeof out);
    assert_string_equal(out, "FenceBroker 102");
    kmeta_rec p;
    kmeta_rec_init(&p, KMETA_PARTITION);
    p.topic_id = t.topic_id;
    p.partition = 0;
    p.leader = 103;
    p.replicas = p.isr = (kmeta_ids){ 3, { 103, 101, 102 } };
    viz_mlog_brief(&p, img, NULL, out, sizeof out);
    assert_string_equal(out, "Partition orders-0 L103 isr 103,101,102");
    kmeta_image_free(img);
}

/* A BrokerRegistrationChangeRecord says what it changes (Kafka 3.7's
 * fields: Fenced 1 or -1, InControlledShutdown 1), not only whose
 * registration it is ("BrokerRegistrationChange 103" said nothing), in
 * English and Korean. */
static void test_viz_world_mlog_brief_registration_change(void **state)
{
    (void)state;
    char out[96];
    kmeta_rec r;
    kmeta_rec_init(&r, KMETA_BROKER_REG_CHANGE);
    r.broker_id = 103;
    r.in_controlled_shutdown = 1;
    viz_mlog_brief(&r, NULL, NULL, out, sizeof out);
    assert_string_equal(out, "BrokerRegistrationChange 103 enters controlled shutdown");
    viz_mlog_brief(&r, NULL, "ko", out, sizeof out);
    assert_string_equal(out, "BrokerRegistrationChange 103 정상 종료(controlled shutdown) 시작");
    r.in_controlled_shutdown = 0;
    r.fencing_change = 1;
    viz_mlog_brief(&r, NULL, NULL, out, sizeof out);
    assert_string_equal(out, "BrokerRegistrationChange 103 fenced");
    viz_mlog_brief(&r, NULL, "ko", out, sizeof out);
    assert_string_equal(out, "BrokerRegistrationChange 103 펜싱됨");
    r.fencing_change = -1;
    viz_mlog_brief(&r, NULL, NULL, out, sizeof out);
    assert_string_equal(out, "BrokerRegistrationChange 103 unfenced");
    viz_mlog_brief(&r, NULL, "ko", out, sizeof out);
    assert_string_equal(out, "BrokerRegistrationChange 103 펜싱 풀림");
    r.fencing_change = 1;
    r.in_controlled_shutdown = 1;
    viz_mlog_brief(&r, NULL, NULL, out, sizeof out);
    assert_string_equal(out, "BrokerRegistrationChange 103 fenced, enters controlled shutdown");
}

/* A metadata log row too wide for its panel is cut at a whole id, the
 * ids left out counted, never mid-number ("isr 103,104,10" was read as
 * broker 10). */
static void test_viz_world_mlog_fit_whole_ids(void **state)
{
    (void)state;
    char out[128];
    const char *row = "  10 e1 Partition orders-0 L103 isr 103,104,105";
    viz_mlog_fit(row, 45, out, sizeof out);
    assert_string_equal(out, "  10 e1 Partition orders-0 L103 isr 103,104+1");
    viz_mlog_fit(row, 46, out, sizeof out);
    assert_string_equal(out, "  10 e1 Partition orders-0 L103 isr 103,104+1");
    viz_mlog_fit(row, 47, out, sizeof out);
    assert_string_equal(out, row);
    viz_mlog_fit(row, 44, out, sizeof out);
    assert_string_equal(out, "  10 e1 Partition orders-0 L103 isr 103+2");
    viz_mlog_fit(row, 40, out, sizeof out);
    assert_string_equal(out, "  10 e1 Partition orders-0 L103\u2026");
    /* the list's end cut off with text after it: counted, and an ellipsis */
    viz_mlog_fit("  17 e2 PartitionChange orders-0 L104 isr 104,101 replicas 101,104", 39,
                 out, sizeof out);
    assert_string_equal(out, "  17 e2 PartitionChange orders-0 L104\u2026");
    viz_mlog_fit("  17 e2 PartitionChange orders-0 L104 isr 104,101,102 replicas 9", 48,
                 out, sizeof out);
    assert_string_equal(out, "  17 e2 PartitionChange orders-0 L104 isr 104+2\u2026");
    viz_mlog_fit("  17 e2 PartitionChange orders-0 L104 isr 104,101", 40, out, sizeof out);
    assert_string_equal(out, "  17 e2 PartitionChange orders-0 L104\u2026");
}

/* A record's text continued on more rows breaks between fields, never
 * between a word and its number ("isr" | "104,101") nor inside "no
 * leader"; the last row still cuts at a whole id. */
static void test_viz_world_mlog_wrap_fields(void **state)
{
    (void)state;
    char p[3][VIZ_MLOG_PIECE];
    const char *text = "PartitionChange orders-3 L104 isr 104,101";
    assert_int_equal(viz_mlog_wrap(text, 60, 60, 3, p), 1);
    assert_string_equal(p[0], text);
    assert_int_equal(viz_mlog_wrap(text, 38, 38, 3, p), 2);
    assert_string_equal(p[0], "PartitionChange orders-3 L104");
    assert_string_equal(p[1], "isr 104,101");
    assert_int_equal(viz_mlog_wrap(text, 22, 25, 3, p), 2);
    assert_string_equal(p[0], "PartitionChange");
    assert_string_equal(p[1], "orders-3 L104 isr 104,101");
    assert_int_equal(viz_mlog_wrap("PartitionChange orders-3 no leader isr -", 27, 30, 3, p), 2);
    assert_string_equal(p[0], "PartitionChange orders-3");
    assert_string_equal(p[1], "no leader isr -");
    /* two rows at most: the second cut at a whole id, counted */
    assert_int_equal(viz_mlog_wrap("Partition orders-0 L103 isr 103,104,105", 20, 12, 2, p), 2);
    assert_string_equal(p[0], "Partition orders-0");
    assert_string_equal(p[1], "L103\u2026");
    assert_int_equal(viz_mlog_wrap("", 20, 20, 2, p), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_viz_world_snapshot_of_a_live_ensemble, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_kraft_quorum_panel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_kraft_isolated_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_kraft_snapshot_panels, setup, teardown),
        cmocka_unit_test(test_viz_world_mlog_brief),
        cmocka_unit_test(test_viz_world_mlog_brief_registration_change),
        cmocka_unit_test_setup_teardown(test_viz_world_kraft_title_fits_80, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_head_counts_follow_the_grid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_twin_unknown_node_fits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_consumer_counts_records_read, setup, teardown),
        cmocka_unit_test(test_viz_world_mlog_fit_whole_ids),
        cmocka_unit_test(test_viz_world_mlog_wrap_fields),
        cmocka_unit_test_setup_teardown(test_viz_world_kill_leader_then_quorum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_isolation_marks_only_the_cut_node, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_leader_cut_off_cannot_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_pause_toggle_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_korean_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_topic_marked_for_deletion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_isolated_broker_marked_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_partial_split_says_its_rule_and_sides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_add_broker_grows_the_grid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_compare_small_screen_timeline_and_flip, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_delete_topic_command, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_world_produce_unknown_topic_times_out, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
