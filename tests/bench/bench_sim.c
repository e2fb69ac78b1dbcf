/* bench_sim: the raw simulator's speed, with no protocol on top. Nodes
 * exchange small messages and keep timers as real protocol nodes do, so
 * the figures show what the event queue, the link model, the trace and
 * message copying cost. Prints rows "label<TAB>value<TAB>unit" for
 * tests/bench.sh; a benchmark, never a pass/fail test. Wall-clock reading
 * is allowed here (tests/bench only), never in lab/.
 *   bench_sim [simulated_seconds]   (default 20) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

#include "bench_util.h"
#include "sim.h"
#include "wire.h"

enum { NODES = 50, MSG_PING = 1, MSG_PONG = 2 };

typedef struct bnode {
    sim *s;                 /* its world */
    int id;                 /* its node index */
    uint64_t tick_us;       /* its heartbeat period */
    uint64_t deadline;      /* a failure-detector style timer, re-armed */
    uint64_t seen;          /* messages received */
    wbuf out;               /* reused encoder */
} bnode;

static void send_to(bnode *b, int to, uint32_t type, uint64_t v)
{
    wbuf_reset(&b->out);
    w_u64(&b->out, v);
    w_u64(&b->out, sim_now_us(b->s));
    w_u32(&b->out, (uint32_t)b->id);
    sim_send(b->s, b->id, to, type, b->out.data, b->out.len);
}

static void on_deadline(void *self, uint64_t arg) { (void)self; (void)arg; }

/* Heartbeat: ping two random peers, re-arm; like a leader's PING round. */
static void on_tick(void *self, uint64_t arg)
{
    bnode *b = self;
    rng *r = sim_node_rng(b->s, b->id);
    for (int k = 0; k < 2; k++) {
        int to = (int)rng_below(r, NODES);
        if (to != b->id) send_to(b, to, MSG_PING, arg);
    }
    sim_timer(b->s, b->id, b->tick_us, on_tick, arg + 1);
}

static void b_start(void *self)
{
    bnode *b = self;
    rng *r = sim_node_rng(b->s, b->id);
    b->tick_us = rng_range(r, 9000, 11000);
    sim_timer(b->s, b->id, rng_range(r, 1, b->tick_us), on_tick, 0);
    b->deadline = sim_timer(b->s, b->id, 50000, on_deadline, 0);
}

static void b_recv(void *self, int from, uint32_t type, const uint8_t *data,
                   size_t len)
{
    bnode *b = self;
    rbuf r = rbuf_of(data, len);
    uint64_t v = r_u64(&r);
    b->seen++;
    /* any traffic pushes the deadline back: cancel + re-arm, the most
     * common timer pattern in the protocols */
    sim_cancel(b->s, b->deadline);
    b->deadline = sim_timer(b->s, b->id, 50000, on_deadline, 0);
    if (type == MSG_PING) send_to(b, from, MSG_PONG, v);
}

static void b_destroy(void *self) { wbuf_free(&((bnode *)self)->out); }

static const node_ops B_OPS = { .start = b_start, .recv = b_recv,
                                .destroy = b_destroy };

int main(int argc, char **argv)
{
    uint64_t sim_s = argc > 1 ? strtoull(argv[1], NULL, 10) : 20;
    if (sim_s == 0) sim_s = 1;
    sim *s = sim_new(1);
    bnode *nodes = calloc(NODES, sizeof *nodes);
    char name[16];
    for (int i = 0; i < NODES; i++) {
        nodes[i].s = s;
        snprintf(name, sizeof name, "n%d", i);
        nodes[i].id = sim_add_node(s, name, NODE_CLIENT, &B_OPS, &nodes[i]);
    }
    for (int i = 0; i < NODES; i++) sim_start_node(s, i);

    double t0 = wall_s();
    sim_run_until(s, sim_s * 1000000);
    double wall = wall_s() - t0;

    uint64_t events = sim_events_run(s);
    uint64_t msgs = 0;
    for (int i = 0; i < NODES; i++) msgs += nodes[i].seen;
    printf("# bench_sim: %d nodes, heartbeats every ~10 ms to 2 peers, replies,\n"
           "# a cancel-and-re-arm deadline per message, %llu simulated s\n",
           NODES, (unsigned long long)sim_s);
    row("simulated time", (double)sim_s, "s");
    row("wall time", wall, "s");
    row("events", (double)events, "");
    row("messages delivered", (double)msgs, "");
    row("trace events", (double)trace_total(sim_trace(s)), "");
    row("events per wall second", (double)events / wall, "ev/s");
    row("simulated s per wall s", (double)sim_s / wall, "x");
    row("peak RSS", (double)peak_rss_kb() / 1024.0, "MiB");
    sim_free(s);
    free(nodes);
    return 0;
}
