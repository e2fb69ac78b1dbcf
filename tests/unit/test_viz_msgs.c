/* Unit tests of the message view: its model (message events in, rows
 * out: a send paired with its delivery or drop by the send's seq even when
 * messages overtake each other, the filters by layer, node and pings, a
 * Kafka fetch flood that must not push ZAB traffic out), the sequence
 * diagram drawn from it at 120x40 and 80x24, in English and Korean, and a
 * live ensemble driven through lab.messages{} whose write shows PROPOSAL,
 * ACK and COMMIT between the leader and each follower (ZooKeeper's
 * Leader.propose, Follower.processPacket, Leader.processAck). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curses_wrap.h"
#include "kafka_proto.h"
#include "keys.h"
#include "layout.h"
#include "lua_lab.h"
#include "msgs.h"
#include "zk_proto.h"

static const char *const node_names[] = { "zk1", "zk2", "zk3", "101", "102" };

/* A trace event as the sim emits it (trace_msg_of). */
static trace_event msg_ev(uint64_t seq, uint64_t at_us, trace_kind kind, int from,
                          int to, uint32_t type, uint64_t send_seq)
{
    trace_event ev;
    memset(&ev, 0, sizeof ev);
    ev.seq = seq;
    ev.at_us = at_us;
    ev.kind = kind;
    ev.node = from;
    ev.peer = to;
    ev.msg_type = type;
    ev.b = send_seq;
    return ev;
}

static void offer(viz_msgs *m, trace_event ev, const char *type)
{
    viz_msgs_offer(m, &ev, node_names[ev.node], node_names[ev.peer], type);
}

static void test_viz_msgs_pairs_send_with_delivery_out_of_order(void **state)
{
    (void)state;
    viz_msgs *m = viz_msgs_new(16);
    /* zk3 proposes to zk1 and zk2; the second overtakes the first */
    offer(m, msg_ev(10, 100, TR_SEND, 2, 0, ZM_PROPOSAL, 0), "PROPOSAL");
    offer(m, msg_ev(11, 100, TR_SEND, 2, 1, ZM_PROPOSAL, 0), "PROPOSAL");
    offer(m, msg_ev(12, 300, TR_DELIVER, 2, 1, ZM_PROPOSAL, 11), "PROPOSAL");
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    const viz_msg *rows[8];
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 2);
    assert_int_equal(rows[0]->id, 10);          /* oldest first */
    assert_int_equal(rows[0]->state, VMS_FLIGHT);
    assert_int_equal(rows[1]->state, VMS_DELIVERED);
    assert_int_equal(rows[1]->end_us, 300);
    assert_string_equal(rows[1]->to_name, "zk2");
    assert_string_equal(rows[1]->type, "PROPOSAL");
    assert_int_equal(rows[1]->layer, VIZ_ML_ZAB);
    offer(m, msg_ev(13, 400, TR_DELIVER, 2, 0, ZM_PROPOSAL, 10), "PROPOSAL");
    viz_msgs_rows(m, &f, rows, 8);
    assert_int_equal(rows[0]->state, VMS_DELIVERED);
    assert_int_equal(rows[0]->end_us, 400);
    /* a second delivery of the same send changes nothing */
    offer(m, msg_ev(14, 500, TR_DROP, 2, 0, ZM_PROPOSAL, 10), "PROPOSAL");
    viz_msgs_rows(m, &f, rows, 8);
    assert_int_equal(rows[0]->state, VMS_DELIVERED);
    viz_msgs_free(m);
}

/* What a send carries (zk_proto.c's reader puts it in b and code): a
 * zxid for PROPOSAL, ACK, COMMIT, NEWLEADER, a vote for a NOTIFICATION,
 * nothing for the others. */
static void test_viz_msgs_details(void **state)
{
    (void)state;
    viz_msgs *m = viz_msgs_new(16);
    trace_event vote = msg_ev(1, 1, TR_SEND, 0, 1, ZM_NOTIFICATION, 0x100000000);
    vote.code = 3;
    offer(m, vote, "NOTIFICATION");
    offer(m, msg_ev(2, 2, TR_SEND, 2, 0, ZM_COMMIT, 0x200000007), "COMMIT");
    offer(m, msg_ev(3, 3, TR_SEND, 2, 0, ZM_UPTODATE, 0), "UPTODATE");
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    const viz_msg *rows[8];
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 3);
    assert_string_equal(rows[0]->detail, "zk3 0x100000000");
    assert_string_equal(rows[1]->detail, "0x200000007");
    assert_string_equal(rows[2]->detail, "");
    viz_msgs_free(m);
}

static void test_viz_msgs_drops_at_send_and_at_arrival(void **state)
{
    (void)state;
    viz_msgs *m = viz_msgs_new(16);
    /* a cut link drops at send; a dead receiver at arrival */
    offer(m, msg_ev(1, 10, TR_SEND, 0, 2, ZM_ACK, 0), "ACK");
    offer(m, msg_ev(2, 10, TR_DROP, 0, 2, ZM_ACK, 1), "ACK");
    offer(m, msg_ev(3, 20, TR_SEND, 2, 1, ZM_COMMIT, 0), "COMMIT");
    offer(m, msg_ev(4, 90, TR_DROP, 2, 1, ZM_COMMIT, 3), "COMMIT");
    /* a delivery whose send the model never saw is ignored */
    offer(m, msg_ev(5, 95, TR_DELIVER, 1, 2, ZM_ACK, 77), "ACK");
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    const viz_msg *rows[8];
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 2);
    assert_int_equal(rows[0]->state, VMS_DROPPED);
    assert_int_equal(rows[1]->state, VMS_DROPPED);
    assert_int_equal(rows[1]->end_us, 90);
    viz_msgs_free(m);
}

static void test_viz_msgs_filters_layers_nodes_and_pings(void **state)
{
    (void)state;
    viz_msgs *m = viz_msgs_new(16);
    uint64_t seq = 1;
    offer(m, msg_ev(seq++, 1, TR_SEND, 0, 1, ZM_NOTIFICATION, 0), "NOTIFICATION");
    offer(m, msg_ev(seq++, 2, TR_SEND, 2, 0, ZM_PROPOSAL, 0), "PROPOSAL");
    offer(m, msg_ev(seq++, 3, TR_SEND, 2, 1, ZM_PING, 0), "PING");
    offer(m, msg_ev(seq++, 4, TR_SEND, 3, 1, ZC_PING, 0), "zk.ping");
    offer(m, msg_ev(seq++, 5, TR_SEND, 3, 2, ZC_REQUEST, 0), "zk.request");
    offer(m, msg_ev(seq++, 6, TR_SEND, 4, 3, KMSG_FETCH, 0), "Fetch");
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    const viz_msg *rows[8];
    /* pings hidden by default */
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 4);
    f.pings = true;
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 6);
    f.pings = false;
    f.layers = VIZ_ML_ZAB;
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 1);
    assert_string_equal(rows[0]->type, "PROPOSAL");
    f.layers = VIZ_ML_ELECTION | VIZ_ML_KAFKA;
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 2);
    assert_string_equal(rows[0]->type, "NOTIFICATION");
    assert_string_equal(rows[1]->type, "Fetch");
    f.layers = VIZ_ML_SESSION;
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 1);
    /* one node: either end; two nodes: the traffic between them */
    viz_msg_filter_default(&f);
    assert_true(viz_msg_filter_toggle_node(&f, 2));         /* zk3 */
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 2);     /* PROPOSAL, zk.request */
    assert_true(viz_msg_filter_toggle_node(&f, 0));         /* and zk1 */
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 1);
    assert_string_equal(rows[0]->type, "PROPOSAL");
    assert_true(viz_msg_filter_toggle_node(&f, 2));         /* zk3 off again */
    assert_int_equal(f.nnodes, 1);
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 2);     /* NOTIFICATION, PROPOSAL */
    /* max keeps the newest */
    viz_msg_filter_default(&f);
    assert_int_equal(viz_msgs_rows(m, &f, rows, 2), 2);
    assert_string_equal(rows[0]->type, "zk.request");
    assert_string_equal(rows[1]->type, "Fetch");
    viz_msgs_free(m);
}

static void test_viz_msgs_fetch_flood_keeps_zab(void **state)
{
    (void)state;
    viz_msgs *m = viz_msgs_new(8);
    offer(m, msg_ev(1, 1, TR_SEND, 2, 0, ZM_COMMIT, 0), "COMMIT");
    for (uint64_t i = 0; i < 100; i++)
        offer(m, msg_ev(2 + i, 2 + i, TR_SEND, 4, 3, KMSG_FETCH, 0), "Fetch");
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    f.layers = VIZ_ML_ZAB;
    const viz_msg *rows[8];
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 1);
    assert_string_equal(rows[0]->type, "COMMIT");
    /* merged in send order with the last 8 fetches */
    viz_msg_filter_default(&f);
    assert_int_equal(viz_msgs_rows(m, &f, rows, 8), 8);
    assert_int_equal(rows[0]->id, 94);
    assert_int_equal(rows[7]->id, 101);
    viz_msgs_free(m);
}

/* --- drawing --- */

typedef struct screen {
    viz_snap snap;
    viz_view view;
    viz_frame *frame;
    viz_msgs *msgs;
} screen;

static void screen_open(screen *s, int w, int h, const char *lang)
{
    memset(s, 0, sizeof *s);
    viz_snap_init(&s->snap);
    s->snap.ens.size = 3;
    s->snap.ens.quorum = 2;
    s->snap.mode = "sandbox";
    s->snap.lang = lang;
    s->msgs = viz_msgs_new(64);
    s->snap.msgs = s->msgs;
    viz_view_init(&s->view, w, h);
    s->frame = viz_frame_new(w, h);
    /* zk3 leads: a proposal to each follower, acks back, commits; the
     * commit to zk2 is lost on a cut link, the one to zk1 still flies */
    uint64_t q = 1;
    /* a send's b is the zxid it carries */
    offer(s->msgs, msg_ev(q++, 1000, TR_SEND, 2, 0, ZM_PROPOSAL, 0x100000002), "PROPOSAL");
    offer(s->msgs, msg_ev(q++, 1000, TR_SEND, 2, 1, ZM_PROPOSAL, 0x100000002), "PROPOSAL");
    offer(s->msgs, msg_ev(q++, 1300, TR_DELIVER, 2, 0, ZM_PROPOSAL, 1), "PROPOSAL");
    offer(s->msgs, msg_ev(q++, 1300, TR_SEND, 0, 2, ZM_ACK, 0), "ACK");
    offer(s->msgs, msg_ev(q++, 1400, TR_DELIVER, 2, 1, ZM_PROPOSAL, 2), "PROPOSAL");
    offer(s->msgs, msg_ev(q++, 1700, TR_DELIVER, 0, 2, ZM_ACK, 4), "ACK");
    offer(s->msgs, msg_ev(q++, 1700, TR_SEND, 2, 0, ZM_COMMIT, 0), "COMMIT");
    offer(s->msgs, msg_ev(q++, 1700, TR_SEND, 2, 1, ZM_COMMIT, 0), "COMMIT");
    offer(s->msgs, msg_ev(q++, 1700, TR_DROP, 2, 1, ZM_COMMIT, 8), "COMMIT");
    /* a node's message to itself (a controller to its own broker) */
    offer(s->msgs, msg_ev(q++, 1800, TR_SEND, 2, 2, KMSG_LEADER_AND_ISR, 0), "LeaderAndIsr");
    offer(s->msgs, msg_ev(q++, 1800, TR_DELIVER, 2, 2, KMSG_LEADER_AND_ISR, 10),
          "LeaderAndIsr");
}

static void screen_close(screen *s)
{
    viz_frame_free(s->frame);
    viz_view_free(&s->view);
    viz_snap_free(&s->snap);
    viz_msgs_free(s->msgs);
}

static void draw(screen *s) { viz_layout(&s->snap, &s->view, s->frame); }

static bool says(screen *s, const char *text, int *row)
{
    return viz_frame_find(s->frame, text, row);
}

static void row_text(screen *s, int row, char *out, size_t cap)
{
    viz_frame_row_text(s->frame, row, out, cap);
}

/* details: the zxids fit (full screen); a narrow panel keeps the names */
static void check_diagram(screen *s, bool details)
{
    char line[1024];
    int row;
    assert_true(says(s, "zk1", &row));
    /* the lanes: zk1, zk2, zk3 left to right on one row */
    row_text(s, row, line, sizeof line);
    char *a = strstr(line, "zk1"), *b = strstr(line, "zk2"), *c = strstr(line, "zk3");
    assert_true(a && b && c && a < b && b < c);
    /* zk3's proposal reached zk1: an arrow pointing left with its name */
    assert_true(says(s, "◀", &row));
    row_text(s, row, line, sizeof line);
    assert_non_null(strstr(line, details ? "PROPOSAL 0x100000002" : "PROPOSAL"));
    /* zk1's ack reached zk3: pointing right */
    assert_true(says(s, "ACK", &row));
    row_text(s, row, line, sizeof line);
    assert_non_null(strstr(line, "▶"));
    /* the lost commit is crossed out */
    assert_true(says(s, "✗", &row));
    row_text(s, row, line, sizeof line);
    assert_non_null(strstr(line, "COMMIT"));
    /* the commit to zk1 is still flying: a dashed line, no head */
    assert_true(says(s, "┄", &row));
    row_text(s, row, line, sizeof line);
    assert_non_null(strstr(line, "COMMIT"));
    assert_null(strstr(line, "◀"));
    /* to itself: a loop mark, and drawing it ends */
    assert_true(says(s, "↺", &row));
    row_text(s, row, line, sizeof line);
    if (!strstr(line, "LeaderAndIsr")) fail_msg("row: %s", line);
}

static void test_viz_msgs_full_screen_120x40_and_80x24(void **state)
{
    (void)state;
    int sizes[2][2] = { { 120, 40 }, { 80, 24 } };
    for (int i = 0; i < 2; i++) {
        screen s;
        screen_open(&s, sizes[i][0], sizes[i][1], "en");
        s.view.msgs = VM_FULL;
        draw(&s);
        bool details = true;
        assert_true(says(&s, "MESSAGES", NULL));
        assert_true(says(&s, "pings hidden", NULL));
        assert_true(says(&s, "g pings", NULL));
        assert_false(says(&s, "ENSEMBLE", NULL));   /* the view has the screen */
        check_diagram(&s, details);
        screen_close(&s);
    }
}

/* A dead node keeps its column, marked down, whether or not others still
 * send to it: in KRaft a dead controller kept its column (the others
 * still sent it Fetch and Vote) and a dead broker lost its own (nobody
 * sends to a broker). Here broker 102 is down and no message names it;
 * zk1..zk3 are up; a node filter that leaves 102 out leaves its column
 * out too. */
static void test_viz_msgs_dead_node_keeps_its_column(void **state)
{
    (void)state;
    screen s;
    screen_open(&s, 120, 40, "en");
    s.view.msgs = VM_FULL;
    for (int i = 0; i < 5; i++) {
        viz_node *vn = &s.snap.nodes[s.snap.nnodes++];
        vn->node = i;
        snprintf(vn->name, sizeof vn->name, "%s", node_names[i]);
        vn->kind = i < 3 ? NODE_ZK : NODE_BROKER;
        vn->status = i == 4 ? NODE_DOWN : NODE_UP;
    }
    draw(&s);
    char line[1024];
    int row;
    assert_true(says(&s, "102 down", &row));
    row_text(&s, row, line, sizeof line);
    char *a = strstr(line, "zk1"), *b = strstr(line, "zk3"), *c = strstr(line, "102 down");
    assert_true(a && b && c && a < b && b < c);
    assert_null(strstr(line, "zk1 down"));
    check_diagram(&s, true);                    /* the rows are as before */
    viz_msg_filter_toggle_node(&s.view.msgf, 0);
    viz_msg_filter_toggle_node(&s.view.msgf, 2);
    draw(&s);
    assert_false(says(&s, "102 down", NULL));
    screen_close(&s);
}

static void test_viz_msgs_panel_beside_the_ensemble(void **state)
{
    (void)state;
    int sizes[2][2] = { { 120, 40 }, { 80, 24 } };
    for (int i = 0; i < 2; i++) {
        screen s;
        screen_open(&s, sizes[i][0], sizes[i][1], "en");
        s.view.msgs = VM_PANEL;
        draw(&s);
        bool details = sizes[i][0] > 80;
        assert_true(says(&s, "ENSEMBLE", NULL));
        assert_true(says(&s, "MESSAGES", NULL));
        check_diagram(&s, details);
        screen_close(&s);
    }
}

static void test_viz_msgs_korean_and_keys(void **state)
{
    (void)state;
    screen s;
    screen_open(&s, 80, 24, "ko");
    viz_cmd cmd;
    viz_key m = { false, 'm', 0, 0 };
    assert_int_equal(viz_keys_handle(&s.view, &s.snap, m, &cmd), VK_REDRAW);
    assert_int_equal(s.view.msgs, VM_PANEL);
    viz_keys_handle(&s.view, &s.snap, m, &cmd);
    assert_int_equal(s.view.msgs, VM_FULL);
    draw(&s);
    assert_true(says(&s, "메시지", NULL));
    assert_true(says(&s, "핑 숨김", NULL));
    assert_true(says(&s, "PROPOSAL", NULL));    /* protocol names stay */
    /* 1 hides ZAB: the LeaderAndIsr stays; 4 hides Kafka: nothing left */
    viz_key one = { false, '1', 0, 0 }, four = { false, '4', 0, 0 };
    viz_keys_handle(&s.view, &s.snap, one, &cmd);
    assert_int_equal(s.view.msgf.layers, VIZ_ML_ALL & ~VIZ_ML_ZAB);
    draw(&s);
    assert_false(says(&s, "PROPOSAL", NULL));
    assert_true(says(&s, "LeaderAndIsr", NULL));
    viz_keys_handle(&s.view, &s.snap, four, &cmd);
    draw(&s);
    assert_false(says(&s, "LeaderAndIsr", NULL));
    assert_true(says(&s, "아직 메시지 없음", NULL));
    viz_key g = { false, 'g', 0, 0 }, zero = { false, '0', 0, 0 };
    viz_keys_handle(&s.view, &s.snap, g, &cmd);
    viz_keys_handle(&s.view, &s.snap, zero, &cmd);
    assert_true(s.view.msgf.pings);
    assert_int_equal(s.view.msgf.layers, VIZ_ML_ALL);
    viz_keys_handle(&s.view, &s.snap, m, &cmd);
    assert_int_equal(s.view.msgs, VM_OFF);
    screen_close(&s);
}

static viz_key_result press_fn(screen *s, int code)
{
    viz_cmd cmd;
    viz_key k = { true, (uint32_t)code, 0, 0 };
    return viz_keys_handle(&s->view, &s->snap, k, &cmd);
}

/* A PROPOSAL from zk3 to zk1 carrying zxid 0x1000000NN, delivered. */
static void proposal(screen *s, uint64_t *q, int nn)
{
    uint64_t send = (*q)++;
    offer(s->msgs, msg_ev(send, 2000 + 10 * (uint64_t)nn, TR_SEND, 2, 0, ZM_PROPOSAL,
                          0x100000000 + (uint64_t)nn), "PROPOSAL");
    offer(s->msgs, msg_ev((*q)++, 2005 + 10 * (uint64_t)nn, TR_DELIVER, 2, 0, ZM_PROPOSAL,
                          send), "PROPOSAL");
}

/* Scrollback (trial 6 #7: a StopReplica the narration named had scrolled
 * away and PgUp did nothing): PgUp and PgDn page through the past
 * messages the view keeps, Home goes to the oldest, End back to the
 * newest; while scrolled back the view holds the rows it shows as new
 * ones come, and its title says how many newer ones are below. The
 * panel scrolls too when the placement grid has nothing to page. */
static void test_viz_msgs_scroll_back(void **state)
{
    (void)state;
    screen s;
    screen_open(&s, 80, 24, "en");
    uint64_t q = 100;
    for (int nn = 0x10; nn < 0x60; nn++) proposal(&s, &q, nn);
    s.view.msgs = VM_FULL;
    draw(&s);
    assert_true(says(&s, "0x10000005f", NULL));       /* the newest */
    assert_false(says(&s, "0x100000010", NULL));      /* long gone above */
    assert_false(says(&s, "newer below", NULL));
    /* a page back: the newest goes, older ones come */
    assert_int_equal(press_fn(&s, KEY_PPAGE), VK_REDRAW);
    draw(&s);
    assert_false(says(&s, "0x10000005f", NULL));
    assert_true(says(&s, "newer below", NULL));
    /* a page is the view's rows less one, which stays: at 80x24 18 rows,
     * 0x4e to 0x5f, so 0x3d to 0x4e */
    const char *older = "0x10000003d";
    assert_true(says(&s, older, NULL));
    assert_true(says(&s, "0x10000004e", NULL));
    assert_false(says(&s, "0x10000004f", NULL));
    assert_false(says(&s, "0x10000003c", NULL));
    /* new messages arrive: the rows shown stay */
    for (int nn = 0x60; nn < 0x64; nn++) proposal(&s, &q, nn);
    draw(&s);
    assert_true(says(&s, older, NULL));
    assert_false(says(&s, "0x100000063", NULL));
    /* Home: the oldest kept (the ring keeps 64 of ZAB's) */
    press_fn(&s, KEY_HOME);
    draw(&s);
    assert_true(says(&s, "0x100000024", NULL));
    assert_false(says(&s, "0x100000023", NULL));
    assert_false(says(&s, "0x100000050", NULL));
    /* PgDn pages forward, End is live again */
    press_fn(&s, KEY_NPAGE);
    draw(&s);
    assert_false(says(&s, "0x100000024", NULL));
    press_fn(&s, KEY_END);
    draw(&s);
    assert_true(says(&s, "0x100000063", NULL));
    assert_false(says(&s, "newer below", NULL));
    /* PgDn past the newest is live too: the next message shows */
    press_fn(&s, KEY_PPAGE);
    press_fn(&s, KEY_NPAGE);
    press_fn(&s, KEY_NPAGE);
    proposal(&s, &q, 0x64);
    draw(&s);
    assert_true(says(&s, "0x100000064", NULL));
    /* the panel (no brokers: no grid to page) scrolls as well */
    s.view.msgs = VM_PANEL;
    s.view.w = 120;
    s.view.h = 40;
    draw(&s);
    assert_true(says(&s, "0x100000064", NULL));
    press_fn(&s, KEY_PPAGE);
    draw(&s);
    assert_false(says(&s, "0x100000064", NULL));
    assert_true(says(&s, "newer below", NULL));
    /* closing the view leaves the scrollback: it opens on the newest */
    viz_cmd cmd;
    viz_key m = { false, 'm', 0, 0 };
    viz_keys_handle(&s.view, &s.snap, m, &cmd);
    viz_keys_handle(&s.view, &s.snap, m, &cmd);
    assert_int_equal(s.view.msgs, VM_OFF);
    viz_keys_handle(&s.view, &s.snap, m, &cmd);
    draw(&s);
    assert_true(says(&s, "0x100000064", NULL));
    /* the help names the keys */
    s.view.help = true;
    draw(&s);
    assert_true(says(&s, "past messages", NULL));
    screen_close(&s);
}

/* --- live: lab.messages{} and a real write --- */

typedef struct live {
    viz_msgs *msgs;
    lab_lua *lua;
    lab_msgs_req req;
    int nreq;
} live;

static void live_event(void *u, const trace *t, const trace_event *ev)
{
    (void)t;
    live *l = u;
    if (ev->kind != TR_SEND && ev->kind != TR_DELIVER && ev->kind != TR_DROP) return;
    cluster *w = lab_lua_world(l->lua);
    sim *s = cluster_sim(w);
    viz_msgs_offer(l->msgs, ev, sim_node_name(s, ev->node), sim_node_name(s, ev->peer),
                   sim_msg_name(s, ev->msg_type));
}

static void live_messages(void *u, const lab_msgs_req *r)
{
    live *l = u;
    l->req = *r;
    l->nreq++;
}

static lab_status run_lua(live *l, const char *src, char *err, size_t cap)
{
    return lab_lua_run_string(l->lua, src, "=test", err, cap, NULL, 0);
}

/* The number of delivered rows of type from -> to. */
static int carrying(const viz_msg **rows, int n, const char *type, const char *detail)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += strcmp(rows[i]->type, type) == 0 && strcmp(rows[i]->detail, detail) == 0;
    return k;
}

static int delivered(const viz_msg **rows, int n, const char *type, const char *from,
                     const char *to)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += rows[i]->state == VMS_DELIVERED && strcmp(rows[i]->type, type) == 0 &&
             strcmp(rows[i]->from_name, from) == 0 && strcmp(rows[i]->to_name, to) == 0;
    return k;
}

static void test_viz_msgs_live_write_through_lab_messages(void **state)
{
    (void)state;
    live l = { .msgs = viz_msgs_new(512) };
    lab_opts o = { .seed = 1, .seed_set = true, .lang = "en",
                   .out = { .event = live_event, .messages = live_messages, .u = &l } };
    l.lua = lab_lua_new(&o);
    char err[512];
    assert_int_equal(run_lua(&l,
        "lab.cluster{ zookeepers = 3 }\n"
        "lab.run(3000)\n"
        "leader = lab.ensemble().leader\n"
        "s = lab.zk_session{}\n"
        "s:create('/x', '1')\n"
        "lab.run(100)\n"
        "lab.messages{ show = true, layer = 'zab', nodes = { 'zk1', 'zk3' } }\n",
        err, sizeof err), LAB_OK);
    /* the request reached the view: zab only, zk1 and zk3 by index */
    assert_int_equal(l.nreq, 1);
    assert_int_equal(l.req.show, 1);
    assert_false(l.req.full);
    assert_int_equal(l.req.layers, LAB_LAYER_ZAB);
    assert_int_equal(l.req.pings, -1);
    assert_true(l.req.set_nodes);
    assert_int_equal(l.req.nnodes, 2);
    cluster *w = lab_lua_world(l.lua);
    assert_int_equal(l.req.nodes[0], cluster_find_node(w, "zk1"));
    assert_int_equal(l.req.nodes[1], cluster_find_node(w, "zk3"));
    /* the write: the leader's PROPOSAL reached both followers, their ACKs
     * came back, the COMMITs went out */
    int lead = -1;
    for (int i = 1; i <= 3; i++) {
        char src[64];
        snprintf(src, sizeof src, "assert(leader == 'zk%d')", i);
        if (run_lua(&l, src, err, sizeof err) == LAB_OK) lead = i;
    }
    assert_true(lead >= 1 && lead <= 3);
    char L[8];
    snprintf(L, sizeof L, "zk%d", lead % 10);
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    f.layers = VIZ_ML_ZAB;
    const viz_msg *rows[512];
    int n = viz_msgs_rows(l.msgs, &f, rows, 512);
    for (int i = 1; i <= 3; i++) {
        if (i == lead) continue;
        char F[8];
        snprintf(F, sizeof F, "zk%d", i % 10);
        /* two txns: createSession, then the create */
        assert_int_equal(delivered(rows, n, "PROPOSAL", L, F), 2);
        assert_int_equal(delivered(rows, n, "ACK", F, L) >= 2, 1);
        assert_int_equal(delivered(rows, n, "COMMIT", L, F), 2);
    }
    /* each carries its zxid, read from the payload by zk_proto.c: epoch 1,
     * counters 1 (createSession) and 2 (the create), one per follower */
    assert_int_equal(carrying(rows, n, "PROPOSAL", "0x100000001"), 2);
    assert_int_equal(carrying(rows, n, "PROPOSAL", "0x100000002"), 2);
    assert_int_equal(carrying(rows, n, "COMMIT", "0x100000002"), 2);
    assert_int_equal(carrying(rows, n, "ACK", "0x100000002"), 2);
    /* bad arguments are errors even with no view to show them */
    static const char *const bad[][2] = {
        { "lab.messages{ layer = 'zap' }", "layer \"zap\" is not one of" },
        { "lab.messages{ nodes = { 'zk9' } }", "unknown node 'zk9'" },
        { "lab.messages{ shwo = true }", "did you mean" },
        { "lab.messages{ layer = { 'zab', 'kafak' } }", "kafak" },
        { "lab.messages{ nodes = 'zk1' }", "list of node names" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(run_lua(&l, bad[i][0], err, sizeof err), LAB_ERROR);
        if (!strstr(err, bad[i][1])) fail_msg("%s: %s", bad[i][0], err);
    }
    assert_int_equal(l.nreq, 1);
    lab_lua_free(l.lua);
    viz_msgs_free(l.msgs);
}

static int carrying_prefix(const viz_msg **rows, int n, const char *type, const char *pre)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += strcmp(rows[i]->type, type) == 0 && strncmp(rows[i]->detail, pre, strlen(pre)) == 0;
    return k;
}

/* A KRaft quorum's first election through lab.messages{ layer = 'kraft' }:
 * the winner's Vote to each voter with its epoch and last offset
 * (KafkaRaftClient.buildVoteRequest), its BeginQuorumEpoch, then the
 * followers' Fetch from the offset they hold, all in the kraft layer and
 * none in the others. */
static void test_viz_msgs_live_kraft_election(void **state)
{
    (void)state;
    live l = { .msgs = viz_msgs_new(512) };
    lab_opts o = { .seed = 1, .seed_set = true, .lang = "en",
                   .out = { .event = live_event, .messages = live_messages, .u = &l } };
    l.lua = lab_lua_new(&o);
    char err[512];
    assert_int_equal(run_lua(&l,
        "lab.cluster{ mode = 'kraft', controllers = 3 }\n"
        "lab.run(3000)\n"
        "lab.messages{ show = true, layer = 'kraft' }\n", err, sizeof err), LAB_OK);
    assert_int_equal(l.req.layers, LAB_LAYER_KRAFT);
    int lead = -1;
    for (int i = 1; i <= 3; i++) {
        char src[64];
        snprintf(src, sizeof src, "assert(lab.quorum().leader == 'ctl%d')", i);
        if (run_lua(&l, src, err, sizeof err) == LAB_OK) lead = i;
    }
    assert_true(lead >= 1);
    char L[8];
    snprintf(L, sizeof L, "ctl%d", lead % 10);
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    f.layers = VIZ_ML_KRAFT;
    const viz_msg *rows[512];
    int n = viz_msgs_rows(l.msgs, &f, rows, 512);
    for (int i = 1; i <= 3; i++) {
        if (i == lead) continue;
        char F[8];
        snprintf(F, sizeof F, "ctl%d", i % 10);
        assert_int_equal(delivered(rows, n, "Vote", L, F), 1);
        assert_int_equal(delivered(rows, n, "BeginQuorumEpoch", L, F), 1);
        assert_true(delivered(rows, n, "Fetch", F, L) >= 2);
    }
    char vote[64];
    /* voters named ctlN, as the panels and events name them (issue 12) */
    snprintf(vote, sizeof vote, "epoch 1 candidate ctl%d last epoch 0 offset 0", lead);
    assert_int_equal(carrying(rows, n, "Vote", vote), 2);
    snprintf(vote, sizeof vote, "epoch 1 leader ctl%d", lead);
    assert_int_equal(carrying(rows, n, "BeginQuorumEpoch", vote), 2);
    assert_true(carrying_prefix(rows, n, "Fetch", "__cluster_metadata-0 from 1 last epoch 1") >= 2);
    f.layers = VIZ_ML_ALL & ~VIZ_ML_KRAFT;
    assert_int_equal(viz_msgs_rows(l.msgs, &f, rows, 512), 0);
    lab_lua_free(l.lua);
    viz_msgs_free(l.msgs);
}

/* Snapshots in the kraft layer (KIP-630): a broker added after the
 * controllers wrote a snapshot fetches from offset 0, the leader's
 * FetchResp names the snapshot instead of sending records
 * (KafkaRaftClient.handleFetchRequest), and the broker's FetchSnapshot
 * asks for its bytes from byte 0 (handleFetchSnapshotRequest). */
static void test_viz_msgs_live_kraft_fetch_snapshot(void **state)
{
    (void)state;
    live l = { .msgs = viz_msgs_new(4096) };
    lab_opts o = { .seed = 1, .seed_set = true, .lang = "en",
                   .out = { .event = live_event, .messages = live_messages, .u = &l } };
    l.lua = lab_lua_new(&o);
    char err[512];
    assert_int_equal(run_lua(&l,
        "lab.cluster{ mode = 'kraft', controllers = 3, brokers = 1, config = {\n"
        "  ['metadata.log.max.record.bytes.between.snapshots'] = 200 } }\n"
        "assert(lab.wait_brokers())\n"
        "lab.create_topic{ name = 't', partitions = 4, replication_factor = 1 }\n"
        "lab.run(1000)\n"
        "assert(lab.quorum().voters[1].snapshot)\n"
        "lab.add_broker{ id = 102 }\n"
        "lab.run(300)\n"
        "lab.messages{ show = true, layer = 'kraft' }\n", err, sizeof err), LAB_OK);
    viz_msg_filter f;
    viz_msg_filter_default(&f);
    f.layers = VIZ_ML_KRAFT;
    static const viz_msg *rows[4096];
    int n = viz_msgs_rows(l.msgs, &f, rows, 4096);
    int fs = 0, named = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(rows[i]->type, "FetchSnapshot") == 0 && strcmp(rows[i]->from_name, "102") == 0 &&
            strstr(rows[i]->detail, "from byte 0"))
            fs++;
        if (strcmp(rows[i]->type, "FetchResp") == 0 && strcmp(rows[i]->to_name, "102") == 0 &&
            strstr(rows[i]->detail, " snapshot "))
            named++;
    }
    assert_int_equal(fs, 1);
    assert_true(named >= 1);
    assert_true(carrying_prefix(rows, n, "FetchSnapshotResp", "epoch ") >= 1);
    lab_lua_free(l.lua);
    viz_msgs_free(l.msgs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_viz_msgs_pairs_send_with_delivery_out_of_order),
        cmocka_unit_test(test_viz_msgs_details),
        cmocka_unit_test(test_viz_msgs_drops_at_send_and_at_arrival),
        cmocka_unit_test(test_viz_msgs_filters_layers_nodes_and_pings),
        cmocka_unit_test(test_viz_msgs_fetch_flood_keeps_zab),
        cmocka_unit_test(test_viz_msgs_full_screen_120x40_and_80x24),
        cmocka_unit_test(test_viz_msgs_dead_node_keeps_its_column),
        cmocka_unit_test(test_viz_msgs_panel_beside_the_ensemble),
        cmocka_unit_test(test_viz_msgs_korean_and_keys),
        cmocka_unit_test(test_viz_msgs_scroll_back),
        cmocka_unit_test(test_viz_msgs_live_write_through_lab_messages),
        cmocka_unit_test(test_viz_msgs_live_kraft_election),
        cmocka_unit_test(test_viz_msgs_live_kraft_fetch_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
