/* Unit tests for the dashboard's layout: for a given world (a snapshot
 * built by hand), what the screen says: state words, the quorum line,
 * votes, the tree folds, the event log, the header, the footer, the help
 * overlay and the too-small message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "hist.h"
#include "lua_plot.h"
#include "text.h"
#include "words.h"

typedef struct fixture {
    viz_snap snap;
    viz_view view;
    viz_frame *frame;
    viz_events *events;
} fixture;

/* A 3-server ensemble: zk3 leads epoch 1, the others follow. */
static void three_servers(viz_snap *s)
{
    ensemble_info *e = &s->ens;
    e->size = 3;
    e->quorum = 2;
    e->up = 3;
    e->leader_sid = 3;
    e->epoch = 1;
    e->serving = true;
    for (int i = 0; i < 3; i++) {
        zk_server_info *si = &e->servers[i];
        si->sid = i + 1;
        si->node = i;
        si->state = i == 2 ? ZK_LEADING : ZK_FOLLOWING;
        si->epoch = 1;
        si->leader_sid = 3;
        si->last_zxid = ZXID(1, 4);
        si->serving = true;
        viz_node *n = &s->nodes[i];
        n->node = i;
        snprintf(n->name, sizeof n->name, "zk%d", i + 1);
        n->kind = NODE_ZK;
        n->status = NODE_UP;
    }
    s->nnodes = 3;
    e->servers[2].synced_followers = 2;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    viz_snap_init(&f->snap);
    three_servers(&f->snap);
    f->snap.seed = 7;
    f->snap.now_us = 12345000;
    f->events = viz_events_new(16);
    f->snap.events = f->events;
    viz_view_init(&f->view, 120, 40);
    f->frame = viz_frame_new(120, 40);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    viz_frame_free(f->frame);
    viz_view_free(&f->view);
    viz_snap_free(&f->snap);
    viz_events_free(f->events);
    free(f);
    return 0;
}

/* The text of the first row containing needle, or fails. */
/* Display columns of line up to at (both in the same string). */
static int text_width_prefix(const char *line, const char *at)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%.*s", (int)(at - line), line);
    return text_width(buf);
}

static void row_with(const viz_frame *fr, const char *needle, char *out, size_t cap)
{
    int row;
    if (!viz_frame_find(fr, needle, &row)) {
        for (int r = 0; r < viz_frame_h(fr); r++) {
            char line[1024];
            viz_frame_row_text(fr, r, line, sizeof line);
            print_message("%2d|%s|\n", r, line);
        }
        fail_msg("no row says '%s'", needle);
    }
    viz_frame_row_text(fr, row, out, cap);
}

static void test_viz_layout_ensemble_states(void **state)
{
    fixture *f = *state;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "zk3", line, sizeof line);
    assert_non_null(strstr(line, "LEADING"));
    assert_non_null(strstr(line, "epoch 1"));
    assert_non_null(strstr(line, "zxid 0x100000004"));
    row_with(f->frame, "zk1", line, sizeof line);
    assert_non_null(strstr(line, "FOLLOWING"));
    assert_non_null(strstr(line, ">zk1"));     /* selected by default */
    row_with(f->frame, "quorum 2 of 3 · 3 up · serving", line, sizeof line);
}

static void test_viz_layout_quorum_lost(void **state)
{
    fixture *f = *state;
    ensemble_info *e = &f->snap.ens;
    e->servers[2].state = ZK_DOWN;
    e->servers[1].state = ZK_DOWN;
    e->servers[0].state = ZK_LOOKING;
    e->servers[0].vote_sid = 1;
    e->servers[0].election_round = 2;
    e->up = 1;
    e->serving = false;
    e->leader_sid = 0;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "NO QUORUM: 1 of 3 up, 2 needed", line, sizeof line);
    row_with(f->frame, "zk2", line, sizeof line);
    assert_non_null(strstr(line, "DOWN"));
    row_with(f->frame, "zk1", line, sizeof line);
    assert_non_null(strstr(line, "LOOKING"));
    assert_non_null(strstr(line, "votes zk1"));
    assert_non_null(strstr(line, "round 2"));
}

static void test_viz_layout_electing_with_quorum_up(void **state)
{
    fixture *f = *state;
    ensemble_info *e = &f->snap.ens;
    for (int i = 0; i < 3; i++) e->servers[i].state = ZK_LOOKING;
    e->serving = false;
    e->leader_sid = 0;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "NO LEADER: electing, 3 of 3 up, 2 needed", line, sizeof line);
}

static void test_viz_layout_quorum_size_and_servers_up(void **state)
{
    fixture *f = *state;
    /* 5 servers: the leader, two followers, one paused, one down */
    ensemble_info *e = &f->snap.ens;
    e->size = 5;
    e->quorum = 3;
    e->up = 4;
    for (int i = 3; i < 5; i++) {
        e->servers[i] = e->servers[0];
        e->servers[i].sid = i + 1;
    }
    e->servers[3].paused = true;
    e->servers[4].state = ZK_DOWN;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    /* the quorum is a size (3 of 5); the servers up are counted apart */
    row_with(f->frame, "quorum 3 of 5 · 4 up · serving", line, sizeof line);
    row_with(f->frame, "zk4", line, sizeof line);
    assert_non_null(strstr(line, "paused"));
}

static void test_viz_layout_isolated_mark(void **state)
{
    fixture *f = *state;
    f->snap.zk_isolated[1] = true;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "zk2", line, sizeof line);
    assert_non_null(strstr(line, "isolated"));
    row_with(f->frame, "zk1", line, sizeof line);
    assert_null(strstr(line, "isolated"));
    f->snap.zk_cut[0] = true;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "zk1", line, sizeof line);
    assert_non_null(strstr(line, "split"));
}

static void test_viz_layout_header(void **state)
{
    fixture *f = *state;
    f->snap.running = false;
    f->snap.speed = 20;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    viz_frame_row_text(f->frame, 0, line, sizeof line);
    assert_non_null(strstr(line, "sandbox"));
    assert_non_null(strstr(line, "t=12.345s"));
    assert_non_null(strstr(line, "speed 20x"));
    assert_non_null(strstr(line, "PAUSED"));
    assert_non_null(strstr(line, "seed 7"));
}

static void test_viz_layout_tree_folds(void **state)
{
    fixture *f = *state;
    f->snap.tree_sid = 3;
    viz_tree_row *r = viz_snap_tree_add(&f->snap, "/", 0);
    r->nchildren = 2; r->open = true;
    r = viz_snap_tree_add(&f->snap, "/brokers", 1);
    r->nchildren = 1; r->open = true;
    r = viz_snap_tree_add(&f->snap, "/brokers/topics", 2);
    r->nchildren = 5; r->open = false;
    r = viz_snap_tree_add(&f->snap, "/controller", 1);
    r->eph_owner = 0x1000000000001LL;
    snprintf(r->data, sizeof r->data, "{\"brokerid\":101}");
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "zk3's tree", line, sizeof line);
    row_with(f->frame, "+ topics (5)", line, sizeof line);
    row_with(f->frame, "- brokers", line, sizeof line);
    row_with(f->frame, "controller", line, sizeof line);
    assert_non_null(strstr(line, "[eph 0x1000000000001]"));
    assert_non_null(strstr(line, "{\"brokerid\":101}"));
    /* deep and narrow (80 columns, brokers beside): an owner that does not
     * fit whole shows its ends, never a cut id ("[eph 0x3000000000000") */
    f->snap.ntree = 0;
    r = viz_snap_tree_add(&f->snap, "/", 0);
    r->nchildren = 1; r->open = true;
    r = viz_snap_tree_add(&f->snap, "/brokers", 1);
    r->nchildren = 1; r->open = true;
    r = viz_snap_tree_add(&f->snap, "/brokers/ids", 2);
    r->nchildren = 1; r->open = true;
    r = viz_snap_tree_add(&f->snap, "/brokers/ids/101-east-rack", 3);
    r->eph_owner = (int64_t)0x300000000000001LL;
    r = viz_snap_tree_add(&f->snap, "/brokers/ids/a-much-longer-name-101", 3);
    r->eph_owner = (int64_t)0x300000000000001LL;
    /* data cut at a whole token and ended in "…", never inside a number
     * (lesson 14's '"timestamp":"25' for 258...) */
    r = viz_snap_tree_add(&f->snap, "/ctl", 1);
    snprintf(r->data, sizeof r->data, "{\"version\":1,\"brokerid\":103,\"timestamp\":\"258\"}");
    r = viz_snap_tree_add(&f->snap, "/seq", 1);
    snprintf(r->data, sizeof r->data, "{\"n\":1234567,\"m\":1}");
    r->data_cut = true;     /* the snapshot kept only the data's start */
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "101-east-rack", line, sizeof line);
    assert_non_null(strstr(line, "[eph 0x3\u202601]"));
    row_with(f->frame, "a-much-longer-name-101", line, sizeof line);
    assert_non_null(strstr(line, "[eph]"));
    assert_null(strstr(line, "[eph 0x"));
    viz_places p;
    viz_layout_places(&f->snap, &f->view, &p);
    int row;
    assert_true(viz_frame_find(f->frame, "  ctl {", &row));
    char cell[1024] = "";
    for (int c = p.tree.x; c < p.tree.x + p.tree.w; c++)
        strcat(cell, viz_frame_cell(f->frame, row, c)->ch);
    char *dots = strstr(cell, "\u2026");
    if (!dots) fail_msg("no ellipsis: '%s'", cell);
    assert_non_null(strchr(",:{[", dots[-1]));
    assert_null(strstr(cell, "\"25"));
    assert_non_null(strstr(cell, "{\"version\":1,"));
    /* the snapshot's own cut, the row wide enough: still a token and "…" */
    f->view.w = 200;
    f->view.h = 40;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "seq {", line, sizeof line);
    assert_non_null(strstr(line, "{\"n\":1234567,\"m\":\u2026"));
    row_with(f->frame, "ctl {", line, sizeof line);
    assert_non_null(strstr(line, "\"timestamp\":\"258\"}"));
    assert_null(strstr(line, "\u2026"));
}

static void test_viz_layout_fold_defaults_and_toggle(void **state)
{
    fixture *f = *state;
    assert_true(viz_view_open(&f->view, "/brokers", 1));
    assert_false(viz_view_open(&f->view, "/brokers/topics/orders", 3));
    viz_view_toggle(&f->view, "/brokers/topics/orders");
    assert_true(viz_view_open(&f->view, "/brokers/topics/orders", 3));
    viz_view_toggle(&f->view, "/brokers");
    assert_false(viz_view_open(&f->view, "/brokers", 1));
    viz_view_toggle(&f->view, "/brokers/topics/orders");
    assert_false(viz_view_open(&f->view, "/brokers/topics/orders", 3));
}

static void test_viz_layout_event_log(void **state)
{
    fixture *f = *state;
    viz_events_add(f->events, 1500000, VR_LEADER, "zk3 is now LEADING (epoch 1)");
    for (int i = 0; i < 3; i++)
        viz_events_add(f->events, 2000000 + i, VR_WARN, "session 0x10 expired");
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "zk3 is now LEADING (epoch 1)", line, sizeof line);
    assert_non_null(strstr(line, "1.500s"));
    row_with(f->frame, "session 0x10 expired", line, sizeof line);
    assert_non_null(strstr(line, "(3 times)"));     /* in words, not "x3" */
    for (int i = 0; i < 3; i++)
        viz_events_add(f->events, 3000000 + i, VR_LEADER,
                       "elected: zk3, zxid 0x100000005");
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "elected: zk3", line, sizeof line);
    assert_non_null(strstr(line, "(by 3 servers)"));
    assert_int_equal(viz_events_count(f->events), 3);
}

static void test_viz_layout_event_ring_keeps_newest(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 40; i++) {
        char t[32];
        snprintf(t, sizeof t, "line %d", i);
        viz_events_add(f->events, (uint64_t)i, VR_NORMAL, t);
    }
    assert_int_equal(viz_events_count(f->events), 16);
    assert_string_equal(viz_events_get(f->events, 0)->text, "line 24");
    assert_string_equal(viz_events_get(f->events, 15)->text, "line 39");
}

static void test_viz_layout_too_small(void **state)
{
    fixture *f = *state;
    f->view.w = 79;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "terminal too small: 79x24, need 80x24", line, sizeof line);
    assert_false(viz_frame_find(f->frame, "ENSEMBLE", NULL));
    /* absurdly small terminals do not crash */
    for (int w = 1; w < 12; w++) {
        f->view.w = w;
        f->view.h = w / 2;
        viz_layout(&f->snap, &f->view, f->frame);
    }
}

/* Small but not absurd terminals read the whole message, wrapped; in
 * Korean too. */
static void test_viz_layout_too_small_wraps(void **state)
{
    fixture *f = *state;
    f->view.w = 20;
    f->view.h = 5;
    viz_layout(&f->snap, &f->view, f->frame);
    assert_true(viz_frame_find(f->frame, "terminal too small:", NULL));
    assert_true(viz_frame_find(f->frame, "20x5, need 80x24", NULL));
    assert_true(viz_frame_find(f->frame, "q quits", NULL));
    f->snap.lang = "ko";
    f->view.w = 40;
    f->view.h = 10;
    viz_layout(&f->snap, &f->view, f->frame);
    assert_true(viz_frame_find(f->frame, "터미널이 너무 작습니다", NULL));
    /* a particle attaches to its word (issue 9): "q로", never "q 로" */
    assert_true(viz_frame_find(f->frame, "q로 종료", NULL));
}

/* 80x24 cannot hold the full help: the compact form, in two pages
 * since the answer and message-view keys joined it (one page cut its
 * last lines), still shows every key and command, how to turn the page
 * and how to close it. */
static void test_viz_layout_help_fits_80x24(void **state)
{
    fixture *f = *state;
    f->view.w = 80;
    f->view.h = 24;
    f->view.help = true;
    assert_int_equal(viz_layout_help_pages(&f->snap, 80, 24), 2);
    viz_layout(&f->snap, &f->view, f->frame);
    assert_true(viz_frame_find(f->frame, "page 1/2, Space: next page; any other key closes", NULL));
    assert_true(viz_frame_find(f->frame, "crash the selected node", NULL));
    f->view.help_page = 1;
    viz_layout(&f->snap, &f->view, f->frame);
    assert_true(viz_frame_find(f->frame, ":speed 20   :step   :lua <expression or statement>", NULL));
}

/* Every line of the help is on some page and none is cut (the f line
 * ended "(enter folds; on a leaf, or v: it" at 120 columns, "값 보기 크"
 * at 80 in Korean); the answer keys 1-9 and the message view's keys
 * are there. */
static void test_viz_layout_help_whole(void **state)
{
    fixture *f = *state;
    const char *langs[] = { "en", "ko" };
    const int sizes[][2] = { { 120, 40 }, { 80, 24 } };
    const char *want[2][4] = {
        { "value)", "1-9           lesson question", "1-5 0         message view up",
          "every node" },
        { "값 보기)", "1-9           레슨 질문", "1-5 0         메시지 보기에서", "모든 노드" },
    };
    for (int l = 0; l < 2; l++) {
        for (int z = 0; z < 2; z++) {
            f->snap.lang = langs[l];
            f->view.w = sizes[z][0];
            f->view.h = sizes[z][1];
            f->view.help = true;
            int pages = viz_layout_help_pages(&f->snap, f->view.w, f->view.h);
            assert_true(pages >= 1 && pages <= 2);
            bool found[4] = { false };
            for (int pg = 0; pg < pages; pg++) {
                f->view.help_page = pg;
                viz_layout(&f->snap, &f->view, f->frame);
                for (int w = 0; w < 4; w++)
                    if (viz_frame_find(f->frame, want[l][w], NULL)) found[w] = true;
            }
            for (int w = 0; w < 4; w++) {
                if (!found[w]) fail_msg("%s %dx%d: no '%s'", langs[l], sizes[z][0], sizes[z][1],
                                        want[l][w]);
            }
        }
    }
    f->snap.lang = "en";
    assert_int_equal(viz_layout_help_pages(&f->snap, 120, 40), 1);
}

static void brokers_and_topic(viz_snap *s);

/* However narrow the footer, it says how to get help and how to quit. */
static void test_viz_layout_footer_keeps_help_and_quit(void **state)
{
    fixture *f = *state;
    const char *langs[] = { "en", "ko" };
    for (int i = 0; i < 2; i++) {
        f->snap.lang = langs[i];
        for (int step = 0; step < 2; step++) {
            f->snap.step = step * 3;
            f->view.w = 80;
            f->view.h = 24;
            viz_layout(&f->snap, &f->view, f->frame);
            char line[1024];
            viz_frame_row_text(f->frame, 23, line, sizeof line);
            assert_non_null(strstr(line, i ? "? 도움말 q 종료" : "? help q quit"));
            assert_non_null(strstr(line, i ? "k 죽이기" : "k crash"));
        }
    }
}

/* A server the election made a follower but not yet synced with its
 * leader shows its ZAB phase (QuorumPeer.ZabState), not "epoch 0" beside
 * a leader in epoch 1 (lesson 6 step 2 read like a bug); at 80 columns
 * the phase alone; Korean too. */
static void test_viz_layout_follower_not_synced_says_its_phase(void **state)
{
    fixture *f = *state;
    zk_server_info *zk2 = &f->snap.ens.servers[1];
    zk2->epoch = 0;
    zk2->last_zxid = 0;
    zk2->serving = false;
    zk2->zab = ZAB_DISCOVERY;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, " zk2 ", line, sizeof line);
    assert_non_null(strstr(line, "FOLLOWING ZAB DISCOVERY: not serving yet"));
    assert_null(strstr(line, "epoch 0"));
    row_with(f->frame, "FOLLOWING epoch 1", line, sizeof line);      /* zk1, synced */
    assert_non_null(strstr(line, "zk1"));
    zk2->zab = ZAB_SYNCHRONIZATION;
    f->snap.lang = "ko";
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, " zk2 ", line, sizeof line);
    assert_non_null(strstr(line, "ZAB SYNCHRONIZATION: 아직 서비스 전"));
    f->snap.lang = NULL;
    f->view.w = 80;
    f->view.h = 24;
    brokers_and_topic(&f->snap);        /* the grid leaves the ensemble 32 columns */
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, " zk2 ", line, sizeof line);
    assert_non_null(strstr(line, "FOLLOWING SYNCHRONIZATION"));
    assert_null(strstr(line, "e0"));
}

/* At 80 columns a zxid is shown whole or not at all: a cut one would
 * read as another number. */
static void test_viz_layout_zxid_never_cut(void **state)
{
    fixture *f = *state;
    f->view.w = 80;
    f->view.h = 24;
    brokers_and_topic(&f->snap);        /* the grid leaves the ensemble 32 columns */
    for (int i = 0; i < 3; i++) {
        f->snap.ens.servers[i].epoch = 12;
        f->snap.ens.servers[i].last_zxid = ZXID(12, 0x123456);
    }
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "zk2", line, sizeof line);
    if (strstr(line, "0xc"))
        assert_non_null(strstr(line, "0xc00123456 "));
    else
        assert_non_null(strstr(line, "e12"));
}

static void test_viz_layout_minimum_size_shows_everything(void **state)
{
    fixture *f = *state;
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "ENSEMBLE", line, sizeof line);
    row_with(f->frame, "EVENTS", line, sizeof line);
    row_with(f->frame, "quorum 2 of 3 · 3 up · serving", line, sizeof line);
    row_with(f->frame, "zk3", line, sizeof line);
    assert_non_null(strstr(line, "LEADING"));
    viz_frame_row_text(f->frame, 23, line, sizeof line);
    assert_non_null(strstr(line, "k crash"));
}

/* In Korean the help says every key in Korean and still fits 80x24:
 * each line whole, the key column unchanged. */
static void test_viz_layout_help_korean(void **state)
{
    fixture *f = *state;
    f->snap.lang = "ko";
    f->view.w = 80;
    f->view.h = 24;
    f->view.help = true;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "도움말  (1/2쪽, Space: 다음 쪽, 다른 키: 닫기)", line, sizeof line);
    row_with(f->frame, "k             선택한 노드를 크래시(비정상 종료)", line, sizeof line);
    row_with(f->frame, "화살표, Tab   노드 선택 (클릭도 됨); 그리드가 브로커 선택을 따라감",
             line, sizeof line);
    row_with(f->frame, "n b           레슨: 다음 단계, 이전 단계 (시드부터 다시 재생)",
             line, sizeof line);
    assert_false(viz_frame_find(f->frame, "crash the selected node", NULL));
    f->view.help_page = 1;      /* the commands: on the second page */
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "2/2쪽, Space: 다음 쪽, 다른 키: 닫기", line, sizeof line);
    row_with(f->frame, ":speed 20   :step   :lua <expression or statement>", line, sizeof line);
    f->view.help_page = 0;
    /* tall: headings in Korean */
    f->view.h = 40;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "명령", line, sizeof line);
    row_with(f->frame, "아무 키나 누르면 닫힙니다", line, sizeof line);
}

static void test_viz_layout_help_overlay(void **state)
{
    fixture *f = *state;
    f->view.help = true;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "crash the selected node", line, sizeof line);
    row_with(f->frame, ":kill zk3", line, sizeof line);
}

/* The help (?) and the step reader (l) stand on a cleared screen: what
 * the panels said beneath shows neither beside them nor above or below
 * (trial 6: '?' left 'a     eferred' at its sides, l 'The same   The
 * same three brokers…'); the header and the reader's status line stay. */
static void test_viz_layout_overlays_clear_beneath(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    snprintf(s->title, sizeof s->title, "14_kraft.lua");
    snprintf(s->lesson, sizeof s->lesson, "The same three brokers, twice.");
    s->step = 2;
    viz_view_status(&f->view, VR_NORMAL, "crashed zk1");
    int row;
    for (int w = 80; w <= 120; w += 40) {
        f->view.w = w;
        f->view.h = w == 80 ? 24 : 40;
        f->view.help = false;
        f->view.reader = false;
        viz_layout(s, &f->view, f->frame);
        assert_true(viz_frame_find(f->frame, "FOLLOWING", &row));
        assert_true(viz_frame_find(f->frame, "ENSEMBLE", &row));
        for (int k = 0; k < 2; k++) {
            f->view.help = k == 0;
            f->view.reader = k == 1;
            viz_layout(s, &f->view, f->frame);
            assert_true(viz_frame_find(f->frame, k == 0 ? "crash the selected node"
                                                        : "The same three brokers", &row));
            assert_false(viz_frame_find(f->frame, "FOLLOWING", &row));
            assert_false(viz_frame_find(f->frame, "ENSEMBLE", &row));
            assert_false(viz_frame_find(f->frame, "LEADING", &row));
            assert_true(viz_frame_find(f->frame, "seed 7", &row));
            assert_int_equal(row, 0);
            if (k == 1) {       /* (a tall help may take the status row) */
                assert_true(viz_frame_find(f->frame, "crashed zk1", &row));
                assert_int_equal(row, f->view.h - 2);
            }
        }
    }
}

/* A KRaft world (ctl1..ctl3, no ensemble) as snap_quorum leaves it. */
static void kraft_controllers(viz_snap *s)
{
    s->kraft = true;
    s->ens = (ensemble_info){ 0 };
    s->quorum.size = 3;
    for (int i = 0; i < 3; i++) {
        snprintf(s->nodes[i].name, sizeof s->nodes[i].name, "ctl%d", i + 1);
        s->nodes[i].kind = NODE_CONTROLLER;
    }
}

/* A follower's fetch timer on its row of the controller quorum counts in
 * the language's seconds, as the timers under the grid do: "» 0.4 s",
 * "» 0.4초" in Korean (it read "» 0.4s" in both). */
static void test_viz_layout_quorum_countdown_seconds(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    kraft_controllers(s);
    for (int i = 0; i < 3; i++) {
        raft_voter_info *vi = &s->quorum.voters[i];
        snprintf(vi->name, sizeof vi->name, "ctl%d", i + 1);
        vi->r.node = s->nodes[i].node = i;
        vi->r.node_id = i + 1;
        vi->r.state = i == 0 ? RAFT_DOWN : RAFT_FOLLOWER;
        vi->r.epoch = 1;
        vi->r.snapshot_end = -1;
        vi->lag = -1;
    }
    s->quorum.leader_id = -1;
    s->quorum.up = 2;
    s->ntimers = 1;
    s->timers[0] = (cluster_timer){ .kind = CT_RAFT_FETCH, .node = 1,
                                    .at_us = s->now_us + 400000 };
    const char *langs[] = { "en", "ko" }, *cds[] = { "» 0.4 s", "» 0.4초" };
    for (int l = 0; l < 2; l++) {
        s->lang = langs[l];
        viz_layout(s, &f->view, f->frame);
        char line[1024];
        row_with(f->frame, " ctl2  Follower", line, sizeof line);
        assert_non_null(strstr(line, cds[l]));
        assert_null(strstr(line, "0.4s"));
    }
}

/* The metadata log at the widths the layouts give it (the left column,
 * two fifths of 80, 100, 120 and 160 columns): a PartitionChange row keeps
 * its partition, leader and whole ISR, continued on a row under its text
 * where one row is too narrow; nothing in the panel is cut ("…" or "+1").
 * At 120 columns "PartitionChange orders-1 L103" lost its ISR. */
static void test_viz_layout_mlog_keeps_isr(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    brokers_and_topic(s);
    kraft_controllers(s);
    s->quorum.leader_id = 1;
    s->quorum.up = 3;
    s->quorum.high_watermark = 29;
    for (int i = 0; i < 3; i++) {
        raft_voter_info *vi = &s->quorum.voters[i];
        snprintf(vi->name, sizeof vi->name, "ctl%d", i + 1);
        vi->r.node = i;
        vi->r.node_id = i + 1;
        vi->r.state = i == 0 ? RAFT_LEADER : RAFT_FOLLOWER;
        vi->r.epoch = 1;
        vi->r.log_end = vi->r.high_watermark = 29;
        vi->r.snapshot_end = -1;
    }
    s->nmlog = 0;
    for (int o = 10; o <= 28; o++) {
        viz_mlog_row *m = &s->mlog[s->nmlog++];
        *m = (viz_mlog_row){ .offset = o, .epoch = 1, .len = 60 };
        int p = o % 6, l = 101 + o % 4;
        snprintf(m->rec, sizeof m->rec, "PartitionChangeRecord(partitionId=%d, topicId=Zq3xQ2bT"
                 "Rn, isr=[%d, 104], leader=%d)", p, l, l);
        snprintf(m->brief, sizeof m->brief, "PartitionChange orders-%d L%d isr %d,104", p, l, l);
    }
    /* the newest: a new leader and three in sync, the widest */
    snprintf(s->mlog[s->nmlog - 1].brief, sizeof s->mlog[0].brief,
             "PartitionChange orders-1 L103 isr 103,104,101");
    int widths[][2] = { { 80, 24 }, { 100, 30 }, { 120, 40 }, { 160, 50 } };
    for (int w = 0; w < 4; w++) {
        f->view.w = widths[w][0];
        f->view.h = widths[w][1];
        viz_layout(s, &f->view, f->frame);
        viz_places pl;
        viz_layout_places(s, &f->view, &pl);
        assert_true(pl.tree.h >= 3);
        /* the panel's rows, its own columns only */
        char panel[64][256];
        int n = 0;
        for (int r = pl.tree.y + 1; r < pl.tree.y + pl.tree.h && n < 64; r++) {
            char line[1024];
            viz_frame_row_text(f->frame, r, line, sizeof line);
            snprintf(panel[n++], sizeof panel[0], "%.*s", pl.tree.w, line);
        }
        /* the newest record, its continued rows joined */
        char whole[512] = "";
        for (int k = 0; k < n; k++) {
            if (strstr(panel[k], "\u2026") || strstr(panel[k], "+1") || strstr(panel[k], "+2"))
                fail_msg("%dx%d: a cut row '%s'", widths[w][0], widths[w][1], panel[k]);
            if (strstr(panel[k], "28 e1 PartitionChange"))
                for (int c = k; c < n && (c == k || !strncmp(panel[c], "   ", 3)); c++)
                    strncat(whole, panel[c], sizeof whole - strlen(whole) - 1);
        }
        if (!strstr(whole, "orders-1") || !strstr(whole, "L103") ||
            !strstr(whole, "isr 103,104,101")) {
            for (int k = 0; k < n; k++) print_message("|%s|\n", panel[k]);
            fail_msg("%dx%d: the newest record's partition, leader or ISR is missing: '%s'",
                     widths[w][0], widths[w][1], whole);
        }
    }
    /* at 120 columns the older ones keep theirs too */
    f->view.w = 120;
    f->view.h = 40;
    viz_layout(s, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "27 e1 PartitionChange orders-3 L104", line, sizeof line);
    int row;
    assert_true(viz_frame_find(f->frame, "isr 104,104", &row));
}

/* In a KRaft world the help's examples name what exists there: its
 * controllers and brokers, never zk1 or zk3 (there is no ensemble), and
 * f says the metadata log stands where the znode tree would; without
 * brokers, no broker or topic commands. Short terminals still fit, and
 * every line is whole in the box. */
/* Whether any page of the help shows text (a short screen pages it). */
static bool help_has(fixture *f, const char *text)
{
    int pages = viz_layout_help_pages(&f->snap, f->view.w, f->view.h);
    bool found = false;
    for (int p = 0; p < pages && !found; p++) {
        f->view.help_page = p;
        viz_layout(&f->snap, &f->view, f->frame);
        found = viz_frame_find(f->frame, text, NULL);
    }
    f->view.help_page = 0;
    return found;
}

static void test_viz_layout_help_kraft(void **state)
{
    fixture *f = *state;
    kraft_controllers(&f->snap);
    brokers_and_topic(&f->snap);
    f->view.help = true;
    for (int h = 40; h >= 24; h -= 16) {
        f->view.h = h;
        assert_true(help_has(f, ":kill ctl3   :kill 102   :stop 102   :restart 102"));
        assert_true(help_has(f, ":pause ctl1   :resume ctl1   :isolate ctl2   :heal"));
        assert_true(help_has(f, ":split 101,ctl1 / 102,ctl2,ctl3"));
        assert_true(help_has(f, ":topic orders 6 3   :produce orders 100"));
        assert_true(help_has(f, ":add-broker 105   :speed 20"));
        assert_true(help_has(f, "f             KRaft has no znode tree: see the metadata log panel"));
        assert_false(help_has(f, "zk1"));
        assert_false(help_has(f, "zk3"));
        assert_false(help_has(f, "browse the znode tree"));
    }
    f->snap.nbrokers = 0;
    f->snap.ntopics = 0;
    f->view.h = 40;
    assert_true(help_has(f, ":kill ctl3   :restart ctl3   :pause ctl1"));
    assert_true(help_has(f, ":isolate ctl2   :split ctl1 / ctl2,ctl3   :heal"));
    assert_true(help_has(f, ":add-broker 101   :speed 20"));
    assert_false(help_has(f, ":topic"));
    assert_false(help_has(f, ":stop"));
    /* Korean: the key lines in Korean, the commands as typed */
    f->snap.lang = "ko";
    assert_true(help_has(f, "f             KRaft엔 znode 트리 없음: 메타데이터 로그 패널 참고"));
    assert_true(help_has(f, ":kill ctl3"));
}

static void test_viz_layout_command_line(void **state)
{
    fixture *f = *state;
    f->view.cmd_active = true;
    snprintf(f->view.cmd, sizeof f->view.cmd, "kill zk3");
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    viz_frame_row_text(f->frame, 38, line, sizeof line);
    assert_memory_equal(line, ":kill zk3", 9);
}

static void test_viz_layout_korean_is_double_width(void **state)
{
    fixture *f = *state;
    snprintf(f->snap.title, sizeof f->snap.title, "정족수");
    snprintf(f->snap.lesson, sizeof f->snap.lesson, "서버 세 대 중 두 대가 살아 있으면 정족수가 됩니다.");
    viz_layout(&f->snap, &f->view, f->frame);
    viz_places p;
    viz_layout_places(&f->snap, &f->view, &p);
    int row;
    assert_true(viz_frame_find(f->frame, "서버 세 대", &row));
    /* "서" takes two cells: its glyph, then an empty right half */
    const viz_cell *c = viz_frame_cell(f->frame, row, p.lesson.x + 1);
    assert_string_equal(c->ch, "서");
    assert_string_equal(viz_frame_cell(f->frame, row, p.lesson.x + 2)->ch, "");
    assert_string_equal(viz_frame_cell(f->frame, row, p.lesson.x + 3)->ch, "버");
    /* the title ends at the right edge, counted in columns */
    const viz_cell *last = viz_frame_cell(f->frame, 0, 120 - 3);
    assert_string_equal(last->ch, "수");
}

/* 4 brokers, one topic of 3 partitions: one healthy, one under-replicated,
 * one offline; 104 is down, 101 is the controller. */
static void brokers_and_topic(viz_snap *s)
{
    for (int i = 0; i < 4; i++) {
        viz_broker *b = &s->brokers[i];
        b->id = 101 + i;
        b->node = 10 + i;
        b->status = i == 3 ? NODE_DOWN : NODE_UP;
        b->leaders = i < 2 ? 1 : 0;
        b->replicas = 2;
    }
    s->brokers[0].controller = true;
    s->brokers[2].isolated = true;
    s->nbrokers = 4;
    viz_partition *p = viz_snap_part_add(s, "orders", 0);
    p->leader = 101; p->leader_epoch = 0; p->hw = 120;
    p->nreplicas = 3; p->replicas[0] = 101; p->replicas[1] = 102; p->replicas[2] = 103;
    p->nisr = 3; memcpy(p->isr, p->replicas, sizeof p->isr);
    p = viz_snap_part_add(s, "orders", 1);
    p->leader = 102; p->leader_epoch = 2; p->hw = 75;
    p->nreplicas = 3; p->replicas[0] = 102; p->replicas[1] = 103; p->replicas[2] = 104;
    p->nisr = 2; p->isr[0] = 102; p->isr[1] = 103;
    p = viz_snap_part_add(s, "orders", 2);
    p->leader = -1; p->leader_epoch = 5;
    p->nreplicas = 3; p->replicas[0] = 104; p->replicas[1] = 101; p->replicas[2] = 102;
    p->nisr = 1; p->isr[0] = 104;
}

/* The cell text of broker column c on the row saying label. */
static void grid_cells(const viz_frame *fr, const char *label, char *out, size_t cap)
{
    row_with(fr, label, out, cap);
}

static void test_viz_layout_grid_cells(void **state)
{
    fixture *f = *state;
    brokers_and_topic(&f->snap);
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "PLACEMENT  3 partitions  1 OFFLINE 1 under-replicated",
             line, sizeof line);
    row_with(f->frame, " broker ", line, sizeof line);
    assert_non_null(strstr(line, "101*"));      /* the controller mark */
    assert_null(strstr(line, "102*"));
    row_with(f->frame, "state", line, sizeof line);
    assert_non_null(strstr(line, "up   up   isol down"));
    grid_cells(f->frame, "orders-0", line, sizeof line);
    assert_non_null(strstr(line, "LEAD isr  isr  ."));
    assert_non_null(strstr(line, "0 120"));
    grid_cells(f->frame, "orders-1", line, sizeof line);
    assert_non_null(strstr(line, ".    LEAD isr  out"));
    assert_non_null(strstr(line, "under"));
    grid_cells(f->frame, "orders-2", line, sizeof line);
    assert_non_null(strstr(line, "OFFLINE"));
    assert_non_null(strstr(line, "5 -"));
}

static void test_viz_layout_grid_roles_stand_out(void **state)
{
    fixture *f = *state;
    brokers_and_topic(&f->snap);
    viz_layout(&f->snap, &f->view, f->frame);
    int row;
    assert_true(viz_frame_find(f->frame, "orders-2", &row));
    viz_places p;
    viz_layout_places(&f->snap, &f->view, &p);
    assert_int_equal(viz_frame_cell(f->frame, row, p.grid.x + 1)->role, VR_BAD);
    assert_true(viz_frame_find(f->frame, "orders-1", &row));
    assert_int_equal(viz_frame_cell(f->frame, row, p.grid.x + 1)->role, VR_WARN);
    assert_true(viz_frame_find(f->frame, "orders-0", &row));
    assert_int_equal(viz_frame_cell(f->frame, row, p.grid.x + 1)->role, VR_NORMAL);
    assert_int_equal(viz_replica_of(&f->snap.parts[1], 104), VZ_OUTOFSYNC);
    assert_int_equal(viz_replica_of(&f->snap.parts[1], 101), VZ_NONE);
    assert_int_equal(viz_replica_of(&f->snap.parts[1], 103), VZ_INSYNC);
}

static void test_viz_layout_grid_many_brokers_fit(void **state)
{
    fixture *f = *state;
    brokers_and_topic(&f->snap);
    for (int i = 4; i < 100; i++) {
        f->snap.brokers[i] = f->snap.brokers[1];
        f->snap.brokers[i].id = 101 + i;
        f->snap.brokers[i].controller = false;
    }
    f->snap.nbrokers = 100;
    f->snap.parts_total = 10000;
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    /* the columns say which brokers they show, and follow the selection */
    row_with(f->frame, "1-4/100", line, sizeof line);
    /* selecting broker 160 (a node) scrolls the columns to it */
    f->snap.nnodes = 1;
    f->snap.nodes[0].node = f->snap.brokers[59].node = 999;
    f->view.sel = 0;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "/100", line, sizeof line);
    assert_non_null(strstr(line, "58-61/100"));
    row_with(f->frame, "160", line, sizeof line);
    assert_true(viz_layout_grid_rows(&f->snap, &f->view) < 24);
    row_with(f->frame, "EVENTS", line, sizeof line);    /* the log keeps room */
}

/* A live-looking Kafka half: two clients, one believing a stale leader. */
static void clients_and_history(fixture *f, viz_hist *h)
{
    brokers_and_topic(&f->snap);
    viz_snap *s = &f->snap;
    s->ntopics = 1;
    snprintf(s->topics[0].name, sizeof s->topics[0].name, "orders");
    s->topics[0].nparts = 3;
    s->nclients = 2;
    viz_client *c = &s->clients[0];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "p1");
    snprintf(c->boot, sizeof c->boot, "101,102");
    snprintf(c->talks, sizeof c->talks, "102");
    snprintf(c->topic, sizeof c->topic, "orders");
    c->acked = 1200;
    c->failed = 3;
    c->nbelief = 3;
    c->believed[0] = 101; c->actual[0] = 101;
    c->believed[1] = 104; c->actual[1] = 102;   /* stale */
    c->believed[2] = -1; c->actual[2] = -1;
    s->clients[1] = *c;
    snprintf(s->clients[1].name, sizeof s->clients[1].name, "p2");
    viz_hist_reset(h);
    int leaders[3] = { 101, 104, -1 };
    s->ntl = 3;
    for (int sec = 0; sec < 10; sec++) {
        s->now_us = (uint64_t)sec * 1000000u;
        s->clients[0].acked = 100L * sec;
        if (sec == 6) leaders[1] = 102;         /* a failover at 6 s */
        memcpy(s->tl_leader, leaders, sizeof leaders);
        viz_hist_sample(h, s);
    }
    s->clients[0].acked = 1200;
    s->hist = h;
}

/* 80 columns: one line per client with the broker it talks to and its
 * counts, and under a client that believes a wrong leader, which
 * partition and who really leads it; nothing cut. */
static void test_viz_layout_clients_panel(void **state)
{
    fixture *f = *state;
    viz_hist h;
    clients_and_history(f, &h);
    f->snap.clients[1].believed[1] = 102;       /* p2 knows the truth */
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "CLIENTS  → broker it talks to", line, sizeof line);
    int row, prow;
    assert_true(viz_frame_find(f->frame, " p1 →102  ok 1200  fail 3", &row));
    assert_null(strstr(line, "boot"));          /* no room at 80 columns */
    viz_frame_row_text(f->frame, row + 1, line, sizeof line);
    assert_non_null(strstr(line, "  orders-1: thinks 104, is 102 "));
    const char *at = strstr(line, "orders-1");
    assert_int_equal(viz_frame_cell(f->frame, row + 1, text_width_prefix(line, at))->role, VR_BAD);
    /* the fail count is red, p2 takes one line: the plots follow */
    assert_int_equal(viz_frame_cell(f->frame, row, 19)->role, VR_BAD);
    assert_true(viz_frame_find(f->frame, " p2 →102  ok 1200  fail 3", &prow));
    assert_int_equal(prow, row + 2);
    viz_frame_row_text(f->frame, prow + 1, line, sizeof line);
    assert_non_null(strstr(line, "PLOTS"));
    /* wide: the bootstrap list too */
    f->view.w = 180;
    f->view.h = 40;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, " p1 ", line, sizeof line);
    assert_non_null(strstr(line, "p1 →102  ok 1200  fail 3  boot 101,102"));
    /* a producer says its acks first: what its "ok" means */
    f->snap.clients[0].producer = true;
    f->snap.clients[0].acks = -1;
    f->snap.clients[1].producer = true;
    f->snap.clients[1].acks = 1;
    viz_layout(&f->snap, &f->view, f->frame);
    assert_true(viz_frame_find(f->frame, " p1 acks=all →102  ok 1200  fail 3", &row));
    assert_true(viz_frame_find(f->frame, " p2 acks=1 →102  ok 1200  fail 3", &row));
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    assert_true(viz_frame_find(f->frame, " p2 acks=1 →102 ok 1200 fail 3", &row));
}

/* Several wrong partitions: all in words when they fit, else short with
 * a count of the rest; a partition without a leader says offline; and in
 * Korean at 80 columns. */
static void test_viz_layout_clients_stale_forms(void **state)
{
    fixture *f = *state;
    viz_hist h;
    clients_and_history(f, &h);
    viz_client *c = &f->snap.clients[0];
    c->nbelief = 4;
    c->believed[0] = 103;                       /* 101 leads */
    c->believed[2] = 102;                       /* offline */
    c->believed[3] = 101; c->actual[3] = 101;
    f->view.w = 250;
    f->view.h = 40;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "orders-0: thinks 103, is 101; orders-1: thinks 104, is 102; "
             "orders-2: thinks 102, is offline", line, sizeof line);
    f->view.w = 180;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "  orders-0: 103, is 101; orders-1: 104, is 102 +1", line, sizeof line);
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "  orders-0: 103, is 101 +2", line, sizeof line);
    f->snap.lang = "ko";
    c->believed[0] = 101;
    c->believed[2] = -1;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "클라이언트  → 상대 브로커", line, sizeof line);
    row_with(f->frame, "p1 →102  성공 1200  실패 3", line, sizeof line);
    row_with(f->frame, "orders-1: 104로 앎, 실제 102", line, sizeof line);
}

static void test_viz_layout_plots_sparklines_and_timeline(void **state)
{
    fixture *f = *state;
    viz_hist h;
    clients_and_history(f, &h);
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "PLOTS", line, sizeof line);
    row_with(f->frame, "acked 100/s", line, sizeof line);
    assert_non_null(strstr(line, "█"));
    row_with(f->frame, "failed ", line, sizeof line);
    /* orders-1 moved from 104 to 102 at 6 s: the digits say so, the
     * change is marked; orders-2 is offline throughout */
    row_with(f->frame, "orders-1   ", line, sizeof line);
    assert_non_null(strstr(line, "4444442222"));
    row_with(f->frame, "orders-2   ", line, sizeof line);
    assert_non_null(strstr(line, "xxxxxxxxxx"));
    bool moved;
    assert_int_equal(viz_hist_leader(&h, "orders", 1, 6, &moved), 102);
    assert_true(moved);
    assert_int_equal(viz_hist_leader(&h, "orders", 1, 7, &moved), 102);
    assert_false(moved);
    assert_int_equal(viz_hist_at(&h, h.acked, 5), 100);
}

/* Runs the fixture's world on to second `to`, the topic "aaa" (two
 * partitions, led by 103 and 104) sorted before orders from second
 * `aaa_at` on, as /brokers/topics lists its children. */
static void grow_topic_aaa(viz_snap *s, viz_hist *h, int from, int to, int aaa_at)
{
    for (int sec = from; sec < to; sec++) {
        s->now_us = (uint64_t)sec * 1000000u;
        bool aaa = sec >= aaa_at;
        s->ntopics = aaa ? 2 : 1;
        if (aaa) {
            snprintf(s->topics[0].name, sizeof s->topics[0].name, "aaa");
            s->topics[0].nparts = 2;
            s->topics[0].first_row = 0;
            snprintf(s->topics[1].name, sizeof s->topics[1].name, "orders");
            s->topics[1].nparts = 3;
            s->topics[1].first_row = 2;
        }
        int rows[5] = { 103, 104, 101, 102, -1 }, off = aaa ? 0 : 2;
        s->ntl = 5 - off;
        memcpy(s->tl_leader, rows + off, (size_t)s->ntl * sizeof rows[0]);
        viz_hist_sample(h, s);
    }
}

/* The timeline follows partitions, not grid rows: a topic sorted before
 * orders appears at 10 s; its rows start their history then (". no
 * record" before), orders-0 keeps its own past and invents no leader
 * change, and the legend says what x and . mean. */
static void test_viz_layout_timeline_keyed_by_partition(void **state)
{
    fixture *f = *state;
    viz_hist h;
    clients_and_history(f, &h);
    grow_topic_aaa(&f->snap, &h, 10, 20, 10);
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "x none", line, sizeof line);
    assert_non_null(strstr(line, ". no record"));
    row_with(f->frame, "aaa-0   ", line, sizeof line);
    assert_non_null(strstr(line, "..........3333333333"));
    row_with(f->frame, "orders-0   ", line, sizeof line);
    assert_non_null(strstr(line, "11111111111111111111"));
    row_with(f->frame, "orders-1   ", line, sizeof line);
    assert_non_null(strstr(line, "44444422222222222222"));
    row_with(f->frame, "orders-2   ", line, sizeof line);
    assert_non_null(strstr(line, "xxxxxxxxxxxxxxxxxxxx"));
    bool moved;
    assert_int_equal(viz_hist_leader(&h, "orders", 0, 10, &moved), 101);
    assert_false(moved);
    assert_int_equal(viz_hist_leader(&h, "aaa", 0, 9, &moved), VIZ_TL_NONE);
    /* Korean: the legend too */
    f->snap.lang = "ko";
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "x 없음", line, sizeof line);
}

/* After b the world is built again and replayed from the seed with no
 * frames drawn: the replayed stretch has no record (.), not "offline". */
static void test_viz_layout_timeline_replay_no_record(void **state)
{
    fixture *f = *state;
    viz_hist h;
    clients_and_history(f, &h);
    viz_hist_reset(&h);                         /* a new world: b */
    grow_topic_aaa(&f->snap, &h, 40, 41, 0);    /* replayed up to 40 s */
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "orders-2   ", line, sizeof line);
    assert_non_null(strstr(line, "..........x"));
    assert_null(strstr(line, "xx"));
    row_with(f->frame, "orders-0   ", line, sizeof line);
    assert_non_null(strstr(line, "..........1"));
}

static void test_viz_layout_lesson_panel(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    snprintf(s->title, sizeof s->title, "05_odd_ensembles.lua");
    snprintf(s->lesson, sizeof s->lesson, "Crash one follower: two of three are still a majority.");
    s->step = 3;
    s->step_wait = true;
    s->nchecks = 2;
    snprintf(s->checks[0], sizeof s->checks[0], "quorum of 3 is 2");
    s->check_ok[0] = true;
    snprintf(s->checks[1], sizeof s->checks[1], "something wrong");
    s->check_ok[1] = false;
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "LESSON  05_odd_ensembles.lua  step 3", line, sizeof line);
    row_with(f->frame, "Crash one follower", line, sizeof line);
    row_with(f->frame, "● quorum of 3 is 2", line, sizeof line);
    int row;
    assert_true(viz_frame_find(f->frame, "✗ something wrong", &row));
    row_with(f->frame, "waiting: press n to go on", line, sizeof line);
    row_with(f->frame, "n next", line, sizeof line);     /* the footer */
    s->step_wait = false;
    s->lesson_done = true;
    s->passed = 5;
    s->failed = 1;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "lesson over: 5 passed, 1 failed (b goes back, q quits)", line, sizeof line);
    /* at 80x24 the panel is half as wide: the short forms, never cut */
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "lesson over: 5 passed, 1 failed", line, sizeof line);
    assert_null(strstr(line, "(b goes"));
    s->lesson_done = false;
    s->step_wait = true;
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "waiting: press n to go on", line, sizeof line);
    assert_null(strstr(line, "n: next"));
}

/* Lesson 14's failover chart (lab.failover_plot) at 80x24: in the lesson
 * panel, narrower than the chart, a row of bars is cut where the panel
 * ends ('…', and the panel says l reads it all), never broken at its
 * spaces into rows of stray figures ('82.6' alone under a '│'); the step
 * reader (l) shows every row of it whole, the axis and the legend on
 * their own rows (trial 6 #16). */
static void test_viz_layout_chart_step_at_80(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    const fo_point pts[] = {
        { 3, 18.0, 12.2, true },
        { 1000, 19.5, 12.9, false },
        { 10000, 25.0, 12.9, false },
        { 100000, 82.6, 12.9, false },
    };
    assert_true(fo_chart(pts, 4, "en", s->lesson, sizeof s->lesson) > 0);
    snprintf(s->title, sizeof s->title, "14_kraft.lua");
    s->step = 8;
    s->step_wait = true;
    f->view.w = 80;
    f->view.h = 24;
    viz_layout(s, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "l: read it all", line, sizeof line);
    const char *figures[] = { "82.6", "25.0", "19.5", "18.0", "12.9", "12.2" };
    for (int r = 0; r < viz_frame_h(f->frame); r++) {
        viz_frame_row_text(f->frame, r, line, sizeof line);
        for (size_t k = 0; k < sizeof figures / sizeof figures[0]; k++)
            if (strstr(line, figures[k]) && !strstr(line, "│"))
                fail_msg("row %d: %s stands apart from its chart: %s", r, figures[k], line);
    }
    assert_true(viz_frame_find(f->frame, "│", NULL));
    f->view.reader = true;
    viz_layout(s, &f->view, f->frame);
    row_with(f->frame, "└──────3──", line, sizeof line);
    assert_non_null(strstr(line, "──100k─────"));
    row_with(f->frame, "│      18.0", line, sizeof line);
    assert_non_null(strstr(line, "25.0      ███"));
    row_with(f->frame, "x axis: partitions (log scale);", line, sizeof line);
    row_with(f->frame, "███ make bench (5 brokers, simulated time); █ █ measured in this lesson now",
             line, sizeof line);
    assert_false(viz_frame_find(f->frame, "…", NULL));
}

/* Brokers, no topic (lesson 1 before its task `:topic orders 4 1`): the
 * hints name no topic of their own that could contradict a task, give
 * the command's form, are never cut mid-word (no unclosed "("), and are
 * Korean in Korean; at 120 and 80 columns. */
static void test_viz_layout_no_topic_hints(void **state)
{
    fixture *f = *state;
    brokers_and_topic(&f->snap);
    f->snap.nparts = f->snap.parts_total = 0;
    const char *langs[] = { "en", "ko" };
    int widths[][2] = { { 120, 40 }, { 80, 24 } };
    for (int l = 0; l < 2; l++)
        for (int w = 0; w < 2; w++) {
            f->snap.lang = langs[l];
            f->view.w = widths[w][0];
            f->view.h = widths[w][1];
            viz_layout(&f->snap, &f->view, f->frame);
            char line[1024];
            bool ko = l == 1;
            row_with(f->frame, ko ? "아직 토픽이 없습니다" : "no topic yet", line, sizeof line);
            if (w == 0)
                assert_non_null(strstr(line, ko ? ":topic 이름 파티션수 복제수"
                                              : ":topic NAME PARTITIONS RF"));
            row_with(f->frame, ko ? "아직 프로듀서나 컨슈머" : "no producer or consumer yet",
                     line, sizeof line);
            assert_null(strstr(line, "orders"));
            bool open = strchr(line, '(') != NULL;
            assert_true(!open || strchr(line, ')') != NULL);
        }
}

static void test_viz_layout_korean_words(void **state)
{
    fixture *f = *state;
    f->snap.lang = "ko";
    brokers_and_topic(&f->snap);
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "쿼럼 2/3 · 3대 가동 · 서비스 중", line, sizeof line);
    row_with(f->frame, "파티션 배치  3개", line, sizeof line);
    /* the header: mode, time and speed in Korean words and units */
    row_with(f->frame, "quorumlab  샌드박스  t=", line, sizeof line);
    assert_non_null(strstr(line, "s  속도 "));
    char secs[16];
    assert_string_equal(viz_secs("ko", 30, secs, sizeof secs), "30.0초");
    assert_string_equal(viz_secs("en", 30, secs, sizeof secs), "30.0 s");
    row_with(f->frame, "이벤트", line, sizeof line);
    assert_string_equal(viz_tr("en", "EVENTS"), "EVENTS");
    assert_string_equal(viz_tr("ko", "not in the table"), "not in the table");
}

/* A number asked in Korean: the unit 초 attaches to what is typed
 * ("내 답: 12_초"), as Korean writes seconds; English names the unit
 * before the cursor ("your answer, in s: 12_"): "12_ s" invited typing
 * "18s", whose s stopped a broker (trial 5 #2). */
static void test_viz_layout_number_prompt_unit(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    snprintf(s->title, sizeof s->title, "09_sessions_failure_detection.lua");
    snprintf(s->lesson, sizeof s->lesson, "2. 크래시");
    s->step = 5;
    s->asking = true;
    s->nchoices = 0;
    snprintf(s->ask, sizeof s->ask, "크래시 후 몇 초 뒤에 새 리더가 생길까요?");
    snprintf(s->ask_unit, sizeof s->ask_unit, "초");
    snprintf(s->typed, sizeof s->typed, "12");
    s->lang = "ko";
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "내 답: 12_초", line, sizeof line);
    s->lang = "en";
    snprintf(s->ask_unit, sizeof s->ask_unit, "s");
    viz_layout(&f->snap, &f->view, f->frame);
    row_with(f->frame, "your answer, in s: 12_", line, sizeof line);
}

/* A task the learner did otherwise than asked (lesson 9: a crash where
 * a clean stop was asked): the reason is the task's state, labelled
 * "not yet:" ("미완료:"), never "hint:"; the hint waits while it shows
 * and comes back once it is taken back. */
static void test_viz_layout_task_why_not_a_hint(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    snprintf(s->title, sizeof s->title, "09_sessions_failure_detection.lua");
    snprintf(s->lesson, sizeof s->lesson, "1. A clean stop.");
    s->step = 4;
    snprintf(s->task, sizeof s->task, "Stop broker 102 cleanly: type :stop 102.");
    snprintf(s->hint, sizeof s->hint, "s is a clean stop; k would be a crash.");
    snprintf(s->task_why, sizeof s->task_why, "that was a crash (k); s stops cleanly");
    const char *langs[] = { "en", "ko" }, *labels[] = { "not yet: that was", "미완료: that was" };
    for (int l = 0; l < 2; l++) {
        s->lang = langs[l];
        viz_layout(&f->snap, &f->view, f->frame);
        char line[1024];
        row_with(f->frame, labels[l], line, sizeof line);
        int row;
        assert_false(viz_frame_find(f->frame, "s is a clean stop", &row));
        assert_false(viz_frame_find(f->frame, l ? "힌트: that" : "hint: that", &row));
    }
    s->lang = "en";
    s->task_why[0] = '\0';
    viz_layout(&f->snap, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, "hint: s is a clean stop", line, sizeof line);
}

/* A question's long choices (lesson 1 step 5): on one line they wrapped
 * mid-choice ("... to the others   2" / "101 told it ..."); one a line,
 * each starts its own row. At 80x24 the panel cannot hold all three: the
 * step reader (l) shows them whole. Short ones still share a line. */
static void test_viz_layout_choices_whole_at_80(void **state)
{
    fixture *f = *state;
    viz_snap *s = &f->snap;
    snprintf(s->title, sizeof s->title, "01_brokers.lua");
    snprintf(s->lesson, sizeof s->lesson, "p1 wrote to every leader.");
    s->step = 5;
    s->asking = true;
    s->nchoices = 3;
    snprintf(s->ask, sizeof s->ask, "p1 was given only broker 101. Why could it write to the others?");
    snprintf(s->ask_choices, sizeof s->ask_choices, "%s",
             "1 101 forwarded its records to the others\n"
             "2 101 told it every broker and leader; p1 then wrote to each\n"
             "3 ZooKeeper sent p1 the list");
    f->view.w = 100;
    f->view.h = 30;
    viz_layout(s, &f->view, f->frame);
    char line[1024];
    row_with(f->frame, " 1 101 forwarded its records to the others ", line, sizeof line);
    row_with(f->frame, " 2 101 told it every broker and leader;", line, sizeof line);
    row_with(f->frame, " 3 ZooKeeper sent p1 the list ", line, sizeof line);
    f->view.w = 80;
    f->view.h = 24;
    f->view.reader = true;
    viz_layout(s, &f->view, f->frame);
    row_with(f->frame, "3 ZooKeeper sent p1 the list", line, sizeof line);
    f->view.reader = false;
    snprintf(s->ask_choices, sizeof s->ask_choices, "1 none\n2 one\n3 two");
    f->view.w = 120;
    f->view.h = 40;
    viz_layout(s, &f->view, f->frame);
    row_with(f->frame, "1 none   2 one   3 two", line, sizeof line);
}

static void test_viz_layout_click_selects(void **state)
{
    fixture *f = *state;
    brokers_and_topic(&f->snap);
    /* nodes: three servers, then the brokers */
    f->snap.nnodes = 7;
    for (int i = 0; i < 3; i++) f->snap.nodes[i].node = i;
    for (int i = 0; i < 4; i++) f->snap.nodes[3 + i].node = f->snap.brokers[i].node;
    viz_layout(&f->snap, &f->view, f->frame);
    viz_places p;
    viz_layout_places(&f->snap, &f->view, &p);
    int row, col;
    assert_true(viz_frame_find(f->frame, "103", &row));
    char line[1024];
    viz_frame_row_text(f->frame, row, line, sizeof line);
    col = text_width_prefix(line, strstr(line, "103"));
    assert_int_equal(viz_layout_hit(&f->snap, &f->view, row, col), 5);
    assert_int_equal(viz_layout_hit(&f->snap, &f->view, p.ensemble.y + 2, 3), 1);
    assert_int_equal(viz_layout_hit(&f->snap, &f->view, p.events.y + 1, p.events.x + 3), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_viz_layout_ensemble_states, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_quorum_lost, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_electing_with_quorum_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_quorum_size_and_servers_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_isolated_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_tree_folds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_fold_defaults_and_toggle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_event_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_event_ring_keeps_newest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_too_small_wraps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_help_fits_80x24, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_zxid_never_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_follower_not_synced_says_its_phase, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_footer_keeps_help_and_quit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_minimum_size_shows_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_help_overlay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_overlays_clear_beneath, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_help_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_help_korean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_help_kraft, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_quorum_countdown_seconds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_mlog_keeps_isr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_command_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_korean_is_double_width, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_grid_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_grid_roles_stand_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_grid_many_brokers_fit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_clients_panel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_clients_stale_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_plots_sparklines_and_timeline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_timeline_keyed_by_partition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_timeline_replay_no_record, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_lesson_panel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_chart_step_at_80, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_no_topic_hints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_task_why_not_a_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_choices_whole_at_80, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_korean_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_number_prompt_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_viz_layout_click_selects, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
