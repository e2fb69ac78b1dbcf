/* raft_quorum: the controller processes on the simulated network. A
 * process hands Raft its messages and life events and passes the rest to
 * the QuorumController's hooks. */
#include "raft_quorum.h"
#include "raft_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct raft_proc {
    sim *s;
    int node;
    raft *r;
    raft_proc_hooks hooks;
    void *hooks_ctx;
    bool stopping;              /* a clean stop is under way */
} raft_proc;

struct raft_quorum {
    sim *s;
    int n;
    int ids[RAFT_VOTERS_MAX];
    int nodes[RAFT_VOTERS_MAX];
    raft_proc *procs[RAFT_VOTERS_MAX];
    raft_config cfg;            /* every controller's */
};

static void on_start(void *self)
{
    raft_proc *p = self;
    p->stopping = false;
    raft_start(p->r);
    if (p->hooks.start) p->hooks.start(p->hooks_ctx);
}

static void on_crash(void *self)
{
    raft_proc *p = self;
    p->stopping = false;
    raft_crash(p->r);
    if (p->hooks.crash) p->hooks.crash(p->hooks_ctx);
}

static void on_recv(void *self, int from, uint32_t type, const uint8_t *data, size_t len)
{
    raft_proc *p = self;
    if (raft_recv(p->r, from, type, data, len)) return;
    if (p->hooks.recv) p->hooks.recv(p->hooks_ctx, from, type, data, len);
}

static void on_reset(void *self, int peer)
{
    raft_proc *p = self;
    raft_reset(p->r, peer);
    if (p->hooks.reset) p->hooks.reset(p->hooks_ctx, peer);
}

static void on_destroy(void *self)
{
    raft_proc *p = self;
    raft_free(p->r);
    free(p);
}

static const node_ops proc_ops = {
    .start = on_start, .crash = on_crash, .recv = on_recv,
    .reset = on_reset, .destroy = on_destroy,
};

raft_quorum *raft_quorum_new(sim *s, int n, const raft_config *cfg)
{
    QL_ASSERT(n >= 1 && n <= RAFT_VOTERS_MAX);
    raft_quorum *q = xcalloc(1, sizeof *q);
    q->s = s;
    q->n = n;
    if (cfg) q->cfg = *cfg; else raft_config_defaults(&q->cfg);
    for (int i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, RAFT_QUORUM_NAME "%d", i + 1);
        raft_proc *p = xcalloc(1, sizeof *p);
        p->s = s;
        p->node = sim_add_node(s, name, NODE_CONTROLLER, &proc_ops, p);
        QL_ASSERT(p->node >= 0);
        q->ids[i] = i + 1;
        q->nodes[i] = p->node;
        q->procs[i] = p;
    }
    for (int i = 0; i < n; i++)
        q->procs[i]->r = raft_new(s, q->nodes[i], q->ids[i], q->ids, q->nodes, n, cfg);
    return q;
}

void raft_quorum_free(raft_quorum *q) { free(q); }

const raft_config *raft_quorum_config(const raft_quorum *q) { return &q->cfg; }

void raft_quorum_start(raft_quorum *q)
{
    for (int i = 0; i < q->n; i++) sim_start_node(q->s, q->nodes[i]);
}

int raft_quorum_size(const raft_quorum *q) { return q->n; }
const int *raft_quorum_ids(const raft_quorum *q) { return q->ids; }
const int *raft_quorum_nodes(const raft_quorum *q) { return q->nodes; }

raft *raft_quorum_raft(raft_quorum *q, int i)
{
    QL_ASSERT(i >= 0 && i < q->n);
    return q->procs[i]->r;
}

int raft_quorum_index(const raft_quorum *q, int node)
{
    for (int i = 0; i < q->n; i++) if (q->nodes[i] == node) return i;
    return -1;
}

void raft_quorum_set_hooks(raft_quorum *q, int i, const raft_proc_hooks *h, void *ctx)
{
    QL_ASSERT(i >= 0 && i < q->n);
    q->procs[i]->hooks = h ? *h : (raft_proc_hooks){ 0 };
    q->procs[i]->hooks_ctx = ctx;
}

static void stop_done(void *ctx, raft *r)
{
    raft_proc *p = ctx;
    (void)r;
    if (!p->stopping) return;
    p->stopping = false;
    sim_exit(p->s, p->node);
}

bool raft_quorum_stop(raft_quorum *q, int i)
{
    QL_ASSERT(i >= 0 && i < q->n);
    raft_proc *p = q->procs[i];
    if (sim_node_status(q->s, p->node) != NODE_UP || p->stopping) return false;
    p->stopping = true;
    trace_emit(sim_trace(q->s), TR_NOTE, p->node, -1, 0, 0,
               "controller %d shuts down cleanly", q->ids[i]);
    raft_shutdown(p->r, stop_done, p);
    return true;
}

void raft_quorum_info_get(const raft_quorum *q, raft_quorum_info *out)
{
    memset(out, 0, sizeof *out);
    out->size = q->n;
    out->leader_id = -1;
    out->high_watermark = -1;
    int lead = -1;
    for (int i = 0; i < q->n; i++) {
        raft_voter_info *v = &out->voters[i];
        raft_info_get(q->procs[i]->r, &v->r);
        snprintf(v->name, sizeof v->name, "%s", sim_node_name(q->s, q->nodes[i]));
        node_status st = sim_node_status(q->s, q->nodes[i]);
        v->paused = st == NODE_PAUSED;
        if (st != NODE_DOWN) out->up++;
        if (v->r.epoch > out->epoch) out->epoch = v->r.epoch;
        /* a deposed leader cut off from the rest may still think it leads
         * until its check-quorum timer runs out: the highest epoch wins */
        if (v->r.state == RAFT_LEADER && (lead < 0 || v->r.epoch > out->voters[lead].r.epoch))
            lead = i;
    }
    if (lead >= 0) {
        out->leader_id = out->voters[lead].r.node_id;
        out->epoch = out->voters[lead].r.epoch;
        out->high_watermark = out->voters[lead].r.high_watermark;
    }
    for (int i = 0; i < q->n; i++) {
        raft_voter_info *v = &out->voters[i];
        v->lag = lead < 0 ? -1 : out->voters[lead].r.log_end - v->r.log_end;
        if (lead >= 0 && v->lag < 0) v->lag = 0;  /* a longer, deposed log */
    }
}
