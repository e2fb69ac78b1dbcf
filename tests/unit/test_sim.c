/* Unit tests for the simulator: node timers, message delivery, the process
 * faults (crash, restart, pause, resume), the resets a crash sends, the
 * trace it writes, and determinism by seed. A small recording node logs
 * every callback with the simulated time it ran at. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"
#include "wire.h"

/* --- a recording node --- */

typedef struct entry {
    char kind;              /* 's' start, 'c' crash, 'm' message, 't' timer, 'r' reset */
    int from;               /* sender or reset peer */
    uint64_t val;           /* message payload or timer arg */
    uint64_t at_us;         /* when it ran */
} entry;

typedef struct tnode {
    sim *s;                 /* its world */
    int id;                 /* its node index */
    entry log[512];         /* what happened to it, in order */
    int nlog;
    uint64_t crash_on_val;  /* crash itself when this payload arrives */
    uint64_t timer_on_start; /* arm a timer of this delay at start, 0: none */
} tnode;

static void note(tnode *n, char kind, int from, uint64_t val)
{
    assert_true(n->nlog < (int)(sizeof n->log / sizeof n->log[0]));
    n->log[n->nlog++] = (entry){ kind, from, val, sim_now_us(n->s) };
}

static void t_timer(void *self, uint64_t arg) { note(self, 't', -1, arg); }

static void t_start(void *self)
{
    tnode *n = self;
    note(n, 's', -1, sim_node_incarnation(n->s, n->id));
    if (n->timer_on_start) sim_timer(n->s, n->id, n->timer_on_start, t_timer, 99);
}

static void t_crash(void *self) { note(self, 'c', -1, 0); }

static void t_recv(void *self, int from, uint32_t type, const uint8_t *data,
                   size_t len)
{
    tnode *n = self;
    rbuf r = rbuf_of(data, len);
    uint64_t v = r_u64(&r);
    assert_false(r.bad);
    assert_int_equal(type, 7);
    note(n, 'm', from, v);
    if (n->crash_on_val && v == n->crash_on_val) sim_crash(n->s, n->id);
}

static void t_reset(void *self, int peer) { note(self, 'r', peer, 0); }

static const node_ops T_OPS = {
    .start = t_start, .crash = t_crash, .recv = t_recv, .reset = t_reset,
};

typedef struct world {
    sim *s;
    tnode nodes[8];
    int n;
} world;

/* A world of n recording nodes, all started, links fixed at 1 ms so the
 * tests can predict arrival times. */
static world *world_new(int n, uint64_t seed)
{
    world *w = calloc(1, sizeof *w);
    w->s = sim_new(seed);
    w->n = n;
    char name[16];
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "n%d", i);
        w->nodes[i].s = w->s;
        w->nodes[i].id = sim_add_node(w->s, name, NODE_CLIENT, &T_OPS, &w->nodes[i]);
        assert_int_equal(w->nodes[i].id, i);
    }
    net *nt = sim_net(w->s);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            net_set_link(nt, i, j, (link_cfg){ .delay_lo_us = 1000, .delay_hi_us = 1000 });
    for (int i = 0; i < n; i++)
        sim_start_node(w->s, i);
    return w;
}

static void world_free(world *w)
{
    sim_free(w->s);
    free(w);
}

static void send_val(sim *s, int from, int to, uint64_t v)
{
    wbuf b;
    wbuf_init(&b);
    w_u64(&b, v);
    sim_send(s, from, to, 7, b.data, b.len);
    wbuf_free(&b);
}

/* Counts log entries of one kind. */
static int count_kind(const tnode *n, char kind)
{
    int c = 0;
    for (int i = 0; i < n->nlog; i++) c += n->log[i].kind == kind;
    return c;
}

/* The i-th entry of a kind, or NULL. */
static const entry *nth(const tnode *n, char kind, int i)
{
    for (int k = 0; k < n->nlog; k++)
        if (n->log[k].kind == kind && i-- == 0) return &n->log[k];
    return NULL;
}

/* Counts trace events still in the ring matching kind (and node if >= 0). */
static int count_trace(sim *s, trace_kind kind, int node)
{
    trace *t = sim_trace(s);
    int c = 0;
    for (size_t i = 0; i < trace_count(t); i++) {
        const trace_event *ev = trace_get(t, i);
        if (ev->kind == kind && (node < 0 || ev->node == node)) c++;
    }
    return c;
}

/* --- timers --- */

static void test_sim_timers_fire_on_time(void **state)
{
    (void)state;
    world *w = world_new(1, 1);
    sim *s = w->s;
    sim_timer(s, 0, 300, t_timer, 3);
    sim_timer(s, 0, 100, t_timer, 1);
    uint64_t c = sim_timer(s, 0, 200, t_timer, 9);
    sim_timer(s, 0, 100, t_timer, 2);       /* same instant: scheduling order */
    assert_true(c != 0);
    assert_true(sim_cancel(s, c));
    assert_false(sim_cancel(s, c));
    assert_true(sim_run_until(s, 1000));
    assert_int_equal(sim_now_us(s), 1000);
    tnode *n = &w->nodes[0];
    assert_int_equal(count_kind(n, 't'), 3);
    assert_int_equal(nth(n, 't', 0)->val, 1);
    assert_int_equal(nth(n, 't', 0)->at_us, 100);
    assert_int_equal(nth(n, 't', 1)->val, 2);
    assert_int_equal(nth(n, 't', 1)->at_us, 100);
    assert_int_equal(nth(n, 't', 2)->val, 3);
    assert_int_equal(nth(n, 't', 2)->at_us, 300);
    world_free(w);
}

static void test_sim_cancel_after_fire_is_false(void **state)
{
    (void)state;
    world *w = world_new(1, 1);
    uint64_t id = sim_timer(w->s, 0, 10, t_timer, 1);
    sim_run_until(w->s, 20);
    assert_int_equal(count_kind(&w->nodes[0], 't'), 1);
    assert_false(sim_cancel(w->s, id));
    /* a new timer reusing the record is not cancelled by the old id */
    uint64_t id2 = sim_timer(w->s, 0, 10, t_timer, 2);
    assert_true(id2 != id);
    assert_false(sim_cancel(w->s, id));
    sim_run_until(w->s, 100);
    assert_int_equal(count_kind(&w->nodes[0], 't'), 2);
    world_free(w);
}

static void test_sim_timers_die_with_crash(void **state)
{
    (void)state;
    world *w = world_new(1, 1);
    sim *s = w->s;
    sim_timer(s, 0, 1000, t_timer, 1);
    sim_timer(s, 0, 5000, t_timer, 2);
    sim_run_until(s, 500);
    sim_crash(s, 0);
    assert_int_equal(sim_node_status(s, 0), NODE_DOWN);
    sim_run_until(s, 600);
    sim_restart(s, 0);                      /* back before either was due */
    assert_int_equal(sim_node_status(s, 0), NODE_UP);
    sim_run_until(s, 10000);
    assert_int_equal(count_kind(&w->nodes[0], 't'), 0);
    assert_int_equal(count_kind(&w->nodes[0], 'c'), 1);
    world_free(w);
}

static void test_sim_restart_new_incarnation(void **state)
{
    (void)state;
    world *w = world_new(1, 1);
    sim *s = w->s;
    tnode *n = &w->nodes[0];
    n->timer_on_start = 50;
    uint64_t inc0 = sim_node_incarnation(s, 0);
    sim_run_until(s, 10);
    sim_restart(s, 0);                      /* crash + start while up */
    assert_int_equal(sim_node_incarnation(s, 0), inc0 + 1);
    sim_run_until(s, 20);
    sim_crash(s, 0);
    sim_crash(s, 0);                        /* already down: no-op */
    assert_int_equal(sim_node_incarnation(s, 0), inc0 + 2);
    sim_restart(s, 0);                      /* from down: just start */
    assert_int_equal(sim_node_incarnation(s, 0), inc0 + 2);
    sim_run_until(s, 1000);
    assert_int_equal(count_kind(n, 's'), 3);    /* first boot + 2 restarts */
    assert_int_equal(count_kind(n, 'c'), 2);
    assert_int_equal(nth(n, 's', 0)->val, inc0);
    assert_int_equal(nth(n, 's', 1)->val, inc0 + 1);
    assert_int_equal(nth(n, 's', 2)->val, inc0 + 2);
    /* only the last start's timer survived: 20 + 50 */
    assert_int_equal(count_kind(n, 't'), 1);
    assert_int_equal(nth(n, 't', 0)->at_us, 70);
    world_free(w);
}

/* --- messages --- */

static void test_sim_message_delivered_after_delay(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    send_val(w->s, 0, 1, 41);
    send_val(w->s, 0, 1, 42);
    sim_run_until(w->s, 5000);
    tnode *b = &w->nodes[1];
    assert_int_equal(count_kind(b, 'm'), 2);
    assert_int_equal(nth(b, 'm', 0)->val, 41);
    assert_int_equal(nth(b, 'm', 0)->from, 0);
    assert_int_equal(nth(b, 'm', 0)->at_us, 1000);
    assert_int_equal(nth(b, 'm', 1)->val, 42);
    world_free(w);
}

/* sim_send_shared: receivers read head then body as one message, the
 * body outlives the sender's reference until the last copy is delivered,
 * deferred (paused receiver) or dropped (crashed receiver). */
static void test_sim_shared_body_delivered_whole(void **state)
{
    (void)state;
    world *w = world_new(4, 1);
    sim *s = w->s;
    uint8_t whole[8 + 400];
    for (size_t i = 0; i < sizeof whole; i++) whole[i] = (uint8_t)(i * 7 + 1);
    wbuf b;
    wbuf_init(&b);
    w_raw(&b, whole, sizeof whole);
    rbuf r = rbuf_of(b.data, b.len);
    uint64_t v = r_u64(&r);
    sim_blob *body = sim_blob_new(whole + 3, sizeof whole - 3);
    assert_int_equal(sim_blob_len(body), sizeof whole - 3);
    sim_pause(s, 2, 3000);
    sim_crash(s, 3);
    for (int to = 1; to <= 3; to++) sim_send_shared(s, 0, to, 7, whole, 3, body);
    sim_blob_unref(body);                   /* the messages keep it */
    sim_run_until(s, 10000);
    assert_int_equal(count_kind(&w->nodes[1], 'm'), 1);
    assert_int_equal(nth(&w->nodes[1], 'm', 0)->val, v);
    assert_int_equal(nth(&w->nodes[1], 'm', 0)->at_us, 1000);
    assert_int_equal(count_kind(&w->nodes[2], 'm'), 1);
    assert_int_equal(nth(&w->nodes[2], 'm', 0)->val, v);
    assert_int_equal(nth(&w->nodes[2], 'm', 0)->at_us, 3000);
    assert_int_equal(count_kind(&w->nodes[3], 'm'), 0);
    wbuf_free(&b);
    world_free(w);
}

/* A body's memo (sim_blob_memo): the first receiver decodes and hangs
 * its decoding on the body, the next ones find it, it is freed with the
 * body; outside a recv of a shared send there is no body to find. */
static int memo_decodes, memo_frees, memo_seen;
static sim *memo_sim;

static void memo_free_fn(void *m) { memo_frees++; free(m); }

static void memo_recv(void *self, int from, uint32_t type, const uint8_t *data,
                      size_t len)
{
    (void)self; (void)from; (void)type; (void)len;
    size_t head = 0;
    sim_blob *body = sim_delivering_body(memo_sim, &head);
    if (!body) return;
    assert_int_equal(head, 3);
    assert_memory_equal(data + head, sim_blob_data(body), sim_blob_len(body));
    assert_null(sim_blob_memo(body, free));     /* another kind's memo: none */
    int *m = sim_blob_memo(body, memo_free_fn);
    if (!m) {
        memo_decodes++;
        m = malloc(sizeof *m);
        *m = data[head];
        sim_blob_set_memo(body, m, memo_free_fn);
    }
    assert_int_equal(*m, data[head]);
    memo_seen++;
}

static const node_ops MEMO_OPS = { .recv = memo_recv };

static void test_sim_shared_body_memo(void **state)
{
    (void)state;
    sim *s = memo_sim = sim_new(1);
    for (int i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof name, "m%d", i);
        sim_add_node(s, name, NODE_CLIENT, &MEMO_OPS, NULL);
        sim_start_node(s, i);
    }
    size_t head = 1;
    assert_null(sim_delivering_body(s, &head));
    uint8_t bytes[3 + 10] = { 1, 2, 3, 42 };
    sim_blob *body = sim_blob_new(bytes + 3, 10);
    for (int to = 1; to <= 3; to++) sim_send_shared(s, 0, to, 7, bytes, 3, body);
    sim_blob_unref(body);
    sim_run_until(s, 10000);
    assert_int_equal(memo_seen, 3);
    assert_int_equal(memo_decodes, 1);
    assert_int_equal(memo_frees, 1);           /* with the last message */
    sim_send(s, 0, 1, 7, bytes, sizeof bytes); /* no body: no memo */
    sim_run_until(s, 20000);
    assert_int_equal(memo_seen, 3);
    sim_free(s);
}

static void test_sim_messages_to_crashed_node_dropped(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    send_val(s, 0, 1, 1);                   /* in flight when 1 crashes */
    sim_crash(s, 1);
    send_val(s, 0, 1, 2);                   /* sent to a dead process */
    sim_run_until(s, 5000);
    assert_int_equal(count_kind(&w->nodes[1], 'm'), 0);
    assert_int_equal(count_trace(s, TR_DROP, 0), 2);
    assert_int_equal(count_trace(s, TR_DELIVER, -1), 0);
    world_free(w);
}

/* A message to a dead process is refused by its machine: the sender gets
 * a reset back after the round trip, unless the way back is cut. */
static void test_sim_message_to_dead_process_refused(void **state)
{
    (void)state;
    world *w = world_new(3, 1);
    sim *s = w->s;
    sim_crash(s, 1);
    sim_run_until(s, 5000);
    for (int i = 0; i < 3; i++) w->nodes[i].nlog = 0;
    send_val(s, 0, 1, 1);                   /* arrives at 6000 */
    net_cut(sim_net(s), 1, 2, true);        /* 2 will not hear back */
    send_val(s, 2, 1, 2);
    sim_run_until(s, 20000);
    assert_int_equal(count_kind(&w->nodes[0], 'r'), 1);
    assert_int_equal(nth(&w->nodes[0], 'r', 0)->from, 1);
    assert_int_equal(nth(&w->nodes[0], 'r', 0)->at_us, 7000);
    assert_int_equal(count_kind(&w->nodes[2], 'r'), 0);
    world_free(w);
}

/* A message sent to an earlier incarnation is not delivered to the new
 * one, as a TCP connection does not survive its process. */
static void test_sim_message_to_old_incarnation_dropped(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    send_val(s, 0, 1, 1);                   /* due at 1000 */
    sim_run_until(s, 100);
    sim_restart(s, 1);
    send_val(s, 0, 1, 2);                   /* to the new incarnation */
    sim_run_until(s, 5000);
    tnode *b = &w->nodes[1];
    assert_int_equal(count_kind(b, 'm'), 1);
    assert_int_equal(nth(b, 'm', 0)->val, 2);
    world_free(w);
}

static void test_sim_send_from_down_node_ignored(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    sim_crash(s, 0);
    uint64_t before = trace_total(sim_trace(s));
    send_val(s, 0, 1, 5);
    assert_int_equal(trace_total(sim_trace(s)), before);    /* not even traced */
    sim_pause(s, 1, 0);
    send_val(s, 1, 0, 6);                   /* a frozen process sends nothing */
    sim_run_until(s, 5000);
    assert_int_equal(count_kind(&w->nodes[1], 'm'), 0);
    assert_int_equal(count_kind(&w->nodes[0], 'm'), 0);
    assert_int_equal(count_trace(s, TR_SEND, -1), 0);
    world_free(w);
}

/* --- crash resets --- */

static void test_sim_crash_resets_peers(void **state)
{
    (void)state;
    world *w = world_new(4, 1);
    sim *s = w->s;
    sim_crash(s, 3);                        /* down before 0 crashes */
    sim_run_until(s, 5000);
    for (int i = 0; i < 3; i++) {           /* each heard of 3's crash */
        assert_int_equal(count_kind(&w->nodes[i], 'r'), 1);
        assert_int_equal(nth(&w->nodes[i], 'r', 0)->from, 3);
        w->nodes[i].nlog = 0;
    }
    net_cut(sim_net(s), 0, 2, true);        /* 2 cannot hear of it */
    sim_crash(s, 0);
    sim_run_until(s, 10000);
    const entry *r1 = nth(&w->nodes[1], 'r', 0);
    assert_non_null(r1);
    assert_int_equal(r1->from, 0);
    assert_int_equal(r1->at_us, 6000);      /* after one link delay */
    assert_int_equal(count_kind(&w->nodes[1], 'r'), 1);
    assert_int_equal(count_kind(&w->nodes[2], 'r'), 0);
    assert_int_equal(count_kind(&w->nodes[3], 'r'), 0);
    assert_int_equal(count_kind(&w->nodes[0], 'r'), 0);
    world_free(w);
}

/* A reset aimed at a peer that restarted meanwhile is for its old
 * connections: the new incarnation never sees it. */
static void test_sim_reset_skips_restarted_peer(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    sim_crash(s, 0);                        /* reset due at 1000 */
    sim_run_until(s, 500);
    sim_restart(s, 1);
    sim_run_until(s, 5000);
    assert_int_equal(count_kind(&w->nodes[1], 'r'), 0);
    world_free(w);
}

/* --- pause --- */

static void test_sim_pause_defers_in_order(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    tnode *b = &w->nodes[1];
    sim_pause(s, 1, 10000);                 /* frozen 0 .. 10 ms */
    sim_timer(s, 1, 500, t_timer, 1);       /* due during the pause */
    send_val(s, 0, 1, 100);                 /* arrives at 1000 */
    sim_timer(s, 1, 1500, t_timer, 2);
    sim_run_until(s, 2000);
    send_val(s, 0, 1, 200);                 /* arrives at 3000 */
    sim_crash(s, 0);                        /* its reset arrives at 3000 too */
    sim_timer(s, 1, 20000, t_timer, 3);     /* due after the pause */
    sim_run_until(s, 9999);
    assert_int_equal(b->nlog, 1);           /* only its boot: nothing ran */
    assert_int_equal(sim_node_status(s, 1), NODE_PAUSED);
    sim_run_until(s, 30000);
    assert_int_equal(sim_node_status(s, 1), NODE_UP);
    /* start, then the backlog in arrival order at 10 ms, then the late timer */
    const char want_kind[] = { 's', 't', 'm', 't', 'm', 'r', 't' };
    const uint64_t want_at[] = { 0, 10000, 10000, 10000, 10000, 10000, 22000 };
    assert_int_equal(b->nlog, 7);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(b->log[i].kind, want_kind[i]);
        assert_int_equal(b->log[i].at_us, want_at[i]);
    }
    assert_int_equal(b->log[1].val, 1);
    assert_int_equal(b->log[2].val, 100);
    assert_int_equal(b->log[3].val, 2);
    assert_int_equal(b->log[4].val, 200);
    assert_int_equal(b->log[6].val, 3);
    world_free(w);
}

/* Traffic arriving at the very instant the pause ends must queue behind
 * the backlog, or a link would stop being FIFO. */
static void test_sim_resume_keeps_fifo_at_boundary(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    tnode *b = &w->nodes[1];
    sim_pause(s, 1, 5000);
    send_val(s, 0, 1, 1);                   /* arrives at 1000: deferred */
    sim_run_until(s, 4000);
    send_val(s, 0, 1, 2);                   /* arrives at 5000, as it resumes */
    sim_timer(s, 1, 1000, t_timer, 3);      /* due at 5000 too */
    sim_run_until(s, 10000);
    assert_int_equal(count_kind(b, 'm'), 2);
    assert_int_equal(nth(b, 'm', 0)->val, 1);
    assert_int_equal(nth(b, 'm', 1)->val, 2);
    /* the timer was armed after message 2 was sent: it runs after it */
    assert_int_equal(b->log[b->nlog - 1].kind, 't');
    world_free(w);
}

static void test_sim_pause_until_resume(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    sim_pause(s, 1, 0);                     /* no end */
    send_val(s, 0, 1, 1);
    sim_run_until(s, 1000000);
    assert_int_equal(count_kind(&w->nodes[1], 'm'), 0);
    assert_int_equal(sim_node_status(s, 1), NODE_PAUSED);
    sim_resume(s, 1);
    sim_resume(s, 1);                       /* twice: harmless */
    sim_run_until(s, 1000001);
    assert_int_equal(count_kind(&w->nodes[1], 'm'), 1);
    assert_int_equal(nth(&w->nodes[1], 'm', 0)->at_us, 1000000);
    world_free(w);
}

static void test_sim_cancel_deferred_timer(void **state)
{
    (void)state;
    world *w = world_new(1, 1);
    sim *s = w->s;
    sim_pause(s, 0, 1000);
    uint64_t id = sim_timer(s, 0, 100, t_timer, 1);
    sim_timer(s, 0, 200, t_timer, 2);
    sim_run_until(s, 500);                  /* both are waiting now */
    assert_true(sim_cancel(s, id));
    assert_false(sim_cancel(s, id));
    sim_run_until(s, 2000);
    assert_int_equal(count_kind(&w->nodes[0], 't'), 1);
    assert_int_equal(nth(&w->nodes[0], 't', 0)->val, 2);
    world_free(w);
}

/* A crash during a pause loses the backlog: nothing of it runs after the
 * restart. */
static void test_sim_crash_while_paused_loses_backlog(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    sim_pause(s, 1, 5000);
    send_val(s, 0, 1, 1);
    sim_timer(s, 1, 100, t_timer, 1);
    sim_run_until(s, 2000);
    sim_crash(s, 1);
    sim_restart(s, 1);
    sim_run_until(s, 10000);
    assert_int_equal(count_kind(&w->nodes[1], 'm'), 0);
    assert_int_equal(count_kind(&w->nodes[1], 't'), 0);
    assert_int_equal(sim_node_status(s, 1), NODE_UP);
    world_free(w);
}

/* A node that crashes itself while its backlog is replayed (a fatal error,
 * or a script reacting to a watch) must stop the replay cleanly. */
static void test_sim_crash_during_backlog_replay(void **state)
{
    (void)state;
    world *w = world_new(2, 1);
    sim *s = w->s;
    tnode *b = &w->nodes[1];
    b->crash_on_val = 2;
    sim_pause(s, 1, 5000);
    for (uint64_t v = 1; v <= 4; v++)
        send_val(s, 0, 1, v);
    sim_run_until(s, 10000);
    assert_int_equal(sim_node_status(s, 1), NODE_DOWN);
    assert_int_equal(count_kind(b, 'm'), 2);    /* 1 and 2, then it died */
    assert_int_equal(count_kind(b, 'c'), 1);
    sim_restart(s, 1);
    send_val(s, 0, 1, 9);
    sim_run_until(s, 20000);
    assert_int_equal(count_kind(b, 'm'), 3);
    assert_int_equal(nth(b, 'm', 2)->val, 9);
    world_free(w);
}

/* --- trace --- */

static void test_sim_trace_records_traffic_and_faults(void **state)
{
    (void)state;
    world *w = world_new(3, 1);
    sim *s = w->s;
    send_val(s, 0, 1, 1);
    net_cut(sim_net(s), 0, 2, true);
    send_val(s, 0, 2, 2);                   /* dropped: cut */
    sim_run_until(s, 5000);
    sim_pause(s, 1, 1000);
    sim_run_until(s, 10000);
    sim_crash(s, 2);
    sim_restart(s, 2);
    assert_int_equal(count_trace(s, TR_SEND, 0), 2);
    assert_int_equal(count_trace(s, TR_DELIVER, 0), 1);
    assert_int_equal(count_trace(s, TR_DROP, 0), 1);
    assert_int_equal(count_trace(s, TR_FAULT, 1), 2);   /* pause, resume */
    assert_int_equal(count_trace(s, TR_FAULT, 2), 2);   /* crash, restart */
    /* the deliver event names both ends and carries the payload size */
    trace *t = sim_trace(s);
    bool found = false;
    for (size_t i = 0; i < trace_count(t); i++) {
        const trace_event *ev = trace_get(t, i);
        if (ev->kind != TR_DELIVER) continue;
        assert_int_equal(ev->node, 0);
        assert_int_equal(ev->peer, 1);
        assert_int_equal(ev->msg_type, 7);
        assert_int_equal(ev->a, 8);
        assert_int_equal(ev->at_us, 1000);
        found = true;
    }
    assert_true(found);
    world_free(w);
}

/* --- determinism --- */

/* A busy world: every node pings random peers at random intervals over
 * lossy links, with crashes, restarts and pauses on the way. */
typedef struct busy {
    sim *s;
    int id;
    uint64_t sent;
} busy;

static void busy_tick(void *self, uint64_t arg)
{
    busy *b = self;
    rng *r = sim_node_rng(b->s, b->id);
    int n = sim_node_count(b->s);
    int to = (int)rng_below(r, (uint64_t)n);
    if (to != b->id) send_val(b->s, b->id, to, b->sent++);
    sim_timer(b->s, b->id, rng_range(r, 100, 3000), busy_tick, arg + 1);
}

static void busy_start(void *self)
{
    busy *b = self;
    sim_timer(b->s, b->id, rng_range(sim_node_rng(b->s, b->id), 1, 1000), busy_tick, 0);
}

static void busy_recv(void *self, int from, uint32_t type, const uint8_t *data,
                      size_t len)
{
    busy *b = self;
    if (rng_chance(sim_node_rng(b->s, b->id), 1, 3))
        send_val(b->s, b->id, from, b->sent++);
}

static const node_ops BUSY_OPS = { .start = busy_start, .recv = busy_recv };

typedef struct digest {
    const trace *t;
    uint64_t h;
    uint64_t n;
} digest;

static void digest_event(void *ctx, const trace_event *ev)
{
    digest *d = ctx;
    char line[1024];
    trace_render_json(d->t, ev, line, sizeof line);
    d->h = wire_hash(line, strlen(line), d->h);
    d->n++;
}

static digest run_busy(uint64_t seed)
{
    sim *s = sim_new(seed);
    busy nodes[6];
    char name[16];
    digest d = { .t = sim_trace(s) };
    trace_listen(sim_trace(s), digest_event, &d);
    for (int i = 0; i < 6; i++) {
        nodes[i] = (busy){ .s = s, .id = i };
        snprintf(name, sizeof name, "b%d", i);
        sim_add_node(s, name, NODE_CLIENT, &BUSY_OPS, &nodes[i]);
    }
    link_cfg lossy = { .delay_lo_us = 200, .delay_hi_us = 5000, .drop_ppm = 50000 };
    net_set_link(sim_net(s), 1, 2, lossy);
    for (int i = 0; i < 6; i++) sim_start_node(s, i);
    sim_run_until(s, 2000000);
    sim_crash(s, 3);
    sim_pause(s, 4, 700000);
    sim_run_until(s, 3000000);
    sim_restart(s, 3);
    net_isolate(sim_net(s), 5);
    sim_run_until(s, 5000000);
    net_heal(sim_net(s));
    sim_run_until(s, 6000000);
    sim_free(s);
    return d;
}

static void test_sim_same_seed_same_trace(void **state)
{
    (void)state;
    digest a = run_busy(2024), b = run_busy(2024), c = run_busy(2025);
    assert_true(a.n > 5000);                /* a real amount of traffic */
    assert_int_equal(a.n, b.n);
    assert_int_equal(a.h, b.h);
    assert_true(a.h != c.h);                /* the seed does matter */
}

static void test_sim_node_limit(void **state)
{
    (void)state;
    sim *s = sim_new(1);
    /* never started, so no callback needs an object */
    for (int i = 0; i < SIM_NODE_MAX; i++)
        assert_int_equal(sim_add_node(s, "x", NODE_CLIENT, &T_OPS, NULL), i);
    assert_int_equal(sim_add_node(s, "y", NODE_CLIENT, &T_OPS, NULL), -1);
    assert_int_equal(sim_node_count(s), SIM_NODE_MAX);
    sim_free(s);
}

static void test_sim_halt_stops_run(void **state)
{
    (void)state;
    world *w = world_new(1, 1);
    sim *s = w->s;
    sim_timer(s, 0, 10, t_timer, 1);
    sim_timer(s, 0, 20, t_timer, 2);
    assert_true(sim_step(s));
    sim_halt(s);
    assert_false(sim_run_until(s, 1000));
    assert_int_equal(count_kind(&w->nodes[0], 't'), 1);
    assert_int_equal(sim_now_us(s), 10);
    sim_clear_halt(s);
    assert_true(sim_run_until(s, 1000));
    assert_int_equal(count_kind(&w->nodes[0], 't'), 2);
    assert_int_equal(sim_now_us(s), 1000);
    assert_true(sim_events_run(s) >= 2);
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sim_timers_fire_on_time),
        cmocka_unit_test(test_sim_cancel_after_fire_is_false),
        cmocka_unit_test(test_sim_timers_die_with_crash),
        cmocka_unit_test(test_sim_restart_new_incarnation),
        cmocka_unit_test(test_sim_message_delivered_after_delay),
        cmocka_unit_test(test_sim_shared_body_delivered_whole),
        cmocka_unit_test(test_sim_shared_body_memo),
        cmocka_unit_test(test_sim_messages_to_crashed_node_dropped),
        cmocka_unit_test(test_sim_message_to_dead_process_refused),
        cmocka_unit_test(test_sim_message_to_old_incarnation_dropped),
        cmocka_unit_test(test_sim_send_from_down_node_ignored),
        cmocka_unit_test(test_sim_crash_resets_peers),
        cmocka_unit_test(test_sim_reset_skips_restarted_peer),
        cmocka_unit_test(test_sim_pause_defers_in_order),
        cmocka_unit_test(test_sim_resume_keeps_fifo_at_boundary),
        cmocka_unit_test(test_sim_pause_until_resume),
        cmocka_unit_test(test_sim_cancel_deferred_timer),
        cmocka_unit_test(test_sim_crash_while_paused_loses_backlog),
        cmocka_unit_test(test_sim_crash_during_backlog_replay),
        cmocka_unit_test(test_sim_trace_records_traffic_and_faults),
        cmocka_unit_test(test_sim_same_seed_same_trace),
        cmocka_unit_test(test_sim_node_limit),
        cmocka_unit_test(test_sim_halt_stops_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
