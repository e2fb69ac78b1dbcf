/* sim: nodes, node-owned timers, message delivery and process faults on top
 * of the event queue and the link model. */
#include "sim.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef enum deferred_kind { D_TIMER, D_MSG, D_RESET } deferred_kind;

typedef struct msg_rec {
    sim *s;                 /* the world, for the trampoline */
    int from, to;           /* endpoints */
    uint32_t type;          /* protocol message type */
    uint64_t to_inc;        /* receiver's incarnation at send time */
    uint64_t from_inc;      /* sender's incarnation at send time */
    size_t len;             /* payload bytes, body included */
    size_t hlen;            /* bytes in data: all of them without a body */
    sim_blob *body;         /* shared rest of the payload, or NULL */
    uint64_t sent_seq;      /* seq of its TR_SEND, for the delivery's trace */
    uint8_t data[];         /* payload (its head when there is a body) */
} msg_rec;

struct sim_blob {
    size_t refs;            /* messages and owners holding it */
    size_t len;
    void *memo;             /* a receiver's decoding of data, or NULL */
    void (*memo_free)(void *memo);
    uint8_t data[];
};

sim_blob *sim_blob_new(const void *data, size_t len)
{
    sim_blob *b = xmalloc(sizeof *b + len);
    b->refs = 1;
    b->len = len;
    b->memo = NULL;
    b->memo_free = NULL;
    if (len) memcpy(b->data, data, len);
    return b;
}

sim_blob *sim_blob_ref(sim_blob *b)
{
    b->refs++;
    return b;
}

void sim_blob_unref(sim_blob *b)
{
    if (!b || --b->refs) return;
    if (b->memo_free) b->memo_free(b->memo);
    free(b);
}

size_t sim_blob_len(const sim_blob *b) { return b->len; }
const uint8_t *sim_blob_data(const sim_blob *b) { return b->data; }

void *sim_blob_memo(const sim_blob *b, void (*memo_free)(void *))
{
    return b->memo_free == memo_free ? b->memo : NULL;
}

void sim_blob_set_memo(sim_blob *b, void *memo, void (*memo_free)(void *))
{
    if (b->memo_free) b->memo_free(b->memo);
    b->memo = memo;
    b->memo_free = memo_free;
}

/* Messages up to this many payload bytes (nearly all: requests, fetches,
 * ZooKeeper traffic) use recycled records instead of malloc and free. */
#define MSG_SMALL 256

typedef struct deferred {
    deferred_kind kind;     /* what waits */
    uint64_t arg;           /* timer handle, or reset peer */
    msg_rec *msg;           /* for D_MSG */
} deferred;

typedef struct node {
    char name[32];          /* "zk1", "101", "c3" */
    node_kind kind;         /* what it is */
    node_status status;     /* up, down, paused */
    const node_ops *ops;    /* its callbacks */
    void *self;             /* its object */
    rng r;                  /* its own random stream */
    uint64_t incarnation;   /* bumped at each crash */
    uint64_t resume_id;     /* world event that ends a timed pause */
    deferred *waiting;      /* what arrived while paused, in order */
    size_t nwaiting, capwaiting;
} node;

typedef enum timer_state { T_FREE, T_ARMED, T_DEFERRED } timer_state;

typedef struct timer_rec {
    int owner;              /* node that owns it */
    uint64_t incarnation;   /* owner's incarnation when armed */
    sim_timer_fn fn;        /* callback */
    uint64_t arg;           /* its argument */
    evq_id ev;              /* queue event while armed */
    uint32_t gen;           /* bumped at reuse: stale ids do nothing */
    timer_state state;      /* free, armed, or waiting for a resume */
    uint32_t next_free;     /* free-list link */
} timer_rec;

typedef struct msg_name {
    uint32_t type;
    const char *name;
} msg_name;

struct sim {
    uint64_t seed;          /* the run's seed */
    uint64_t now_us;        /* virtual clock */
    uint64_t events;        /* events processed */
    bool halted;            /* sim_halt was called */
    evq *q;                 /* pending events */
    rng r;                  /* world stream */
    rng net_rng;            /* network's stream */
    net *net;               /* link model */
    trace *tr;              /* event trace */
    node *nodes;            /* node table */
    int nnodes, capnodes;
    timer_rec *timers;      /* timer pool */
    uint32_t ntimers;
    uint32_t timer_free;    /* free list head, or UINT32_MAX */
    msg_name *names;        /* message type names */
    sim_msg_detail_fn detail[4];    /* readers of what messages carry */
    int ndetail;
    int nnames, capnames;
    msg_rec *msg_free;      /* recycled small records, linked through data */
    const msg_rec *delivering;  /* the message its receiver reads now */
    uint8_t *whole;             /* where a shared message is put together
                                   for its receiver, kept from one to the
                                   next (an UpdateMetadata to 300 brokers
                                   took fresh pages 300 times) */
    size_t capwhole;
};

#define NO_TIMER UINT32_MAX

static const char *node_namer(void *ctx, int id)
{
    sim *s = ctx;
    return id >= 0 && id < s->nnodes ? s->nodes[id].name : NULL;
}

static const char *msg_namer(void *ctx, int id)
{
    return sim_msg_name(ctx, (uint32_t)id);
}

sim *sim_new(uint64_t seed)
{
    sim *s = xcalloc(1, sizeof *s);
    s->seed = seed;
    s->q = evq_new();
    rng_seed(&s->r, seed);
    s->net_rng = rng_fork(&s->r);
    /* a LAN: 0.5 to 2 ms one way */
    s->net = net_new((link_cfg){ .delay_lo_us = 500, .delay_hi_us = 2000 });
    s->tr = trace_new(8192);
    trace_set_clock(s->tr, &s->now_us);
    trace_set_namers(s->tr, node_namer, msg_namer, s);
    s->timer_free = NO_TIMER;
    return s;
}

static msg_rec *msg_alloc(sim *s, size_t len)
{
    if (len > MSG_SMALL) return xmalloc(sizeof(msg_rec) + len);
    msg_rec *m = s->msg_free;
    if (!m) return xmalloc(sizeof(msg_rec) + MSG_SMALL);
    memcpy(&s->msg_free, m->data, sizeof m);
    return m;
}

static void msg_release(sim *s, msg_rec *m)
{
    if (!m) return;
    sim_blob_unref(m->body);
    if (m->hlen > MSG_SMALL) {
        free(m);
        return;
    }
    memcpy(m->data, &s->msg_free, sizeof m);
    s->msg_free = m;
}

static void free_waiting(sim *s, node *n)
{
    for (size_t i = 0; i < n->nwaiting; i++)
        msg_release(s, n->waiting[i].msg);
    n->nwaiting = 0;
}

/* Frees pending message records still in the queue. */
static void drain_queue(sim *s);

void sim_free(sim *s)
{
    if (!s) return;
    drain_queue(s);
    for (int i = 0; i < s->nnodes; i++) {
        node *n = &s->nodes[i];
        free_waiting(s, n);
        free(n->waiting);
        if (n->ops->destroy) n->ops->destroy(n->self);
    }
    while (s->msg_free) {
        msg_rec *m = s->msg_free;
        memcpy(&s->msg_free, m->data, sizeof m);
        free(m);
    }
    free(s->whole);
    free(s->nodes);
    free(s->timers);
    free(s->names);
    evq_free(s->q);
    net_free(s->net);
    trace_free(s->tr);
    free(s);
}

uint64_t sim_seed(const sim *s) { return s->seed; }
uint64_t sim_now_us(const sim *s) { return s->now_us; }
trace *sim_trace(sim *s) { return s->tr; }
net *sim_net(sim *s) { return s->net; }
uint64_t sim_events_run(const sim *s) { return s->events; }

/* --- nodes --- */

static node *get(const sim *s, int id)
{
    QL_ASSERT(id >= 0 && id < s->nnodes);
    return &s->nodes[id];
}

int sim_add_node(sim *s, const char *name, node_kind kind,
                 const node_ops *ops, void *self)
{
    QL_ASSERT(ops && ops->recv);
    if (s->nnodes >= SIM_NODE_MAX) return -1;
    VEC_GROW(s->nodes, s->nnodes, s->capnodes);
    int id = s->nnodes++;
    node *n = &s->nodes[id];
    *n = (node){ .kind = kind, .status = NODE_DOWN, .ops = ops, .self = self };
    snprintf(n->name, sizeof n->name, "%s", name);
    n->r = rng_fork(&s->r);
    int nid = net_add_node(s->net);
    QL_ASSERT(nid == id);
    return id;
}

void sim_start_node(sim *s, int id)
{
    node *n = get(s, id);
    if (n->status != NODE_DOWN) return;
    n->status = NODE_UP;
    if (n->ops->start) n->ops->start(n->self);
}

int sim_node_count(const sim *s) { return s->nnodes; }

int sim_find_node(const sim *s, const char *name)
{
    for (int i = 0; i < s->nnodes; i++)
        if (strcmp(s->nodes[i].name, name) == 0) return i;
    return -1;
}

const char *sim_node_name(const sim *s, int id) { return get(s, id)->name; }
node_kind sim_node_kind(const sim *s, int id) { return get(s, id)->kind; }
node_status sim_node_status(const sim *s, int id) { return get(s, id)->status; }
void *sim_node_self(const sim *s, int id) { return get(s, id)->self; }
const node_ops *sim_node_ops(const sim *s, int id) { return get(s, id)->ops; }
rng *sim_node_rng(sim *s, int id) { return &get(s, id)->r; }
uint64_t sim_node_incarnation(const sim *s, int id) { return get(s, id)->incarnation; }

/* Must what reaches n now wait in its backlog? While frozen, yes; and
 * after a resume until the backlog has been replayed, so that nothing
 * arriving at the resume instant overtakes what arrived earlier. */
static bool must_wait(const node *n)
{
    return n->status == NODE_PAUSED || n->nwaiting > 0;
}

static void defer(node *n, deferred d)
{
    VEC_GROW(n->waiting, n->nwaiting, n->capwaiting);
    n->waiting[n->nwaiting++] = d;
}

/* --- timers --- */

static uint64_t timer_handle(uint32_t idx, uint32_t gen)
{
    return ((uint64_t)gen << 32) | (uint64_t)(idx + 1);
}

static timer_rec *timer_lookup(sim *s, uint64_t handle)
{
    uint32_t idx = (uint32_t)(handle & 0xffffffffu);
    if (idx == 0 || idx > s->ntimers) return NULL;
    timer_rec *t = &s->timers[idx - 1];
    if (t->gen != (uint32_t)(handle >> 32) || t->state == T_FREE) return NULL;
    return t;
}

static void timer_release(sim *s, timer_rec *t)
{
    t->state = T_FREE;
    t->gen++;
    t->next_free = s->timer_free;
    s->timer_free = (uint32_t)(t - s->timers);
}

/* replay: called from the backlog, which runs even though it is not empty */
static void timer_run(sim *s, uint64_t handle, bool replay)
{
    timer_rec *t = timer_lookup(s, handle);
    if (!t) return;
    node *n = get(s, t->owner);
    if (n->incarnation != t->incarnation || n->status == NODE_DOWN) {
        timer_release(s, t);            /* its process died */
        return;
    }
    if (!replay && must_wait(n)) {
        t->state = T_DEFERRED;
        defer(n, (deferred){ D_TIMER, handle, NULL });
        return;
    }
    sim_timer_fn fn = t->fn;
    uint64_t arg = t->arg;
    timer_release(s, t);                /* before the call: it may re-arm */
    fn(n->self, arg);
}

static void timer_fire(void *ctx, uint64_t handle)
{
    timer_run(ctx, handle, false);
}

uint64_t sim_timer(sim *s, int owner, uint64_t delay_us, sim_timer_fn fn,
                   uint64_t arg)
{
    QL_ASSERT(fn != NULL);
    node *n = get(s, owner);
    if (s->timer_free == NO_TIMER) {
        uint32_t cap = s->ntimers ? s->ntimers * 2 : 64;
        s->timers = xrealloc(s->timers, (size_t)cap * sizeof *s->timers);
        for (uint32_t i = s->ntimers; i < cap; i++)
            s->timers[i] = (timer_rec){ .state = T_FREE,
                                        .next_free = i + 1 < cap ? i + 1 : s->timer_free };
        s->timer_free = s->ntimers;
        s->ntimers = cap;
    }
    uint32_t idx = s->timer_free;
    timer_rec *t = &s->timers[idx];
    s->timer_free = t->next_free;
    t->owner = owner;
    t->incarnation = n->incarnation;
    t->fn = fn;
    t->arg = arg;
    t->state = T_ARMED;
    uint64_t handle = timer_handle(idx, t->gen);
    t->ev = evq_push(s->q, s->now_us + delay_us, timer_fire, s, handle);
    return handle;
}

bool sim_cancel(sim *s, uint64_t handle)
{
    timer_rec *t = timer_lookup(s, handle);
    if (!t) return false;
    if (t->state == T_ARMED) evq_cancel(s->q, t->ev);
    /* a deferred entry finds the handle stale and is skipped */
    timer_release(s, t);
    return true;
}

uint64_t sim_at(sim *s, uint64_t delay_us, evq_fn fn, void *ctx, uint64_t arg)
{
    return evq_push(s->q, s->now_us + delay_us, fn, ctx, arg);
}


/* --- messages --- */

static void send_reset(sim *s, int from, int to, uint64_t to_inc);

static void deliver(sim *s, msg_rec *m, bool replay)
{
    node *n = get(s, m->to);
    if (n->status == NODE_DOWN || n->incarnation != m->to_inc) {
        trace_msg_of(s->tr, TR_DROP, m->from, m->to, m->type, (uint32_t)m->len,
                     m->sent_seq);
        /* the machine is up but the process (or that connection) is gone:
         * its operating system answers with a reset, as to a closed port */
        send_reset(s, m->to, m->from, m->from_inc);
        msg_release(s, m);
        return;
    }
    if (!replay && must_wait(n)) {
        defer(n, (deferred){ D_MSG, 0, m });
        return;
    }
    trace_msg_of(s->tr, TR_DELIVER, m->from, m->to, m->type, (uint32_t)m->len,
                 m->sent_seq);
    if (!m->body) {
        n->ops->recv(n->self, m->from, m->type, m->data, m->len);
    } else {
        /* whole only while the receiver reads it: one at a time (a
         * delivery inside a delivery gets a buffer of its own) */
        bool nested = s->delivering != NULL;
        if (!nested && s->capwhole < m->len) {
            free(s->whole);
            s->whole = xmalloc(m->len);
            s->capwhole = m->len;
        }
        uint8_t *whole = nested ? xmalloc(m->len) : s->whole;
        memcpy(whole, m->data, m->hlen);
        memcpy(whole + m->hlen, m->body->data, m->body->len);
        const msg_rec *outer = s->delivering;
        s->delivering = m;
        n->ops->recv(n->self, m->from, m->type, whole, m->len);
        s->delivering = outer;
        if (nested) free(whole);
    }
    msg_release(s, m);
}

static void msg_arrive(void *ctx, uint64_t arg)
{
    (void)arg;
    msg_rec *m = ctx;
    deliver(m->s, m, false);
}

static void drain_queue(sim *s)
{
    evq_event ev;
    while (evq_pop(s->q, &ev))
        if (ev.fn == msg_arrive) msg_release(s, ev.ctx);
}

/* The trace's send event with what the message carries. A shared send's
 * detail readers see its head and the start of its body in one piece
 * (an incremental UpdateMetadata keeps its partitions in the body). */
static uint64_t send_event(sim *s, int from, int to, uint32_t type, const void *head,
                           size_t head_len, const sim_blob *body)
{
    size_t len = head_len + (body ? body->len : 0);
    uint64_t detail = 0;
    int code = 0;
    char text[64] = "";
    uint8_t joined[512];
    const uint8_t *p = head;
    size_t plen = head_len;
    if (body && body->len && head_len < sizeof joined) {
        size_t more = body->len < sizeof joined - head_len ? body->len : sizeof joined - head_len;
        if (head_len) memcpy(joined, head, head_len);
        memcpy(joined + head_len, body->data, more);
        p = joined;
        plen = head_len + more;
    }
    for (int i = 0; i < s->ndetail; i++)
        if (s->detail[i](type, p, plen, &detail, &code, text, sizeof text)) break;
    return trace_msg_send(s->tr, from, to, type, (uint32_t)len, detail, code, text);
}

void sim_send_shared(sim *s, int from, int to, uint32_t type, const void *head,
                     size_t head_len, sim_blob *body)
{
    node *src = get(s, from);
    node *dst = get(s, to);
    if (src->status != NODE_UP) return;
    size_t len = head_len + (body ? body->len : 0);
    uint64_t sent = send_event(s, from, to, type, head, head_len, body);
    uint64_t at;
    if (net_route(s->net, &s->net_rng, from, to, s->now_us, &at) != NET_DELIVER) {
        trace_msg_of(s->tr, TR_DROP, from, to, type, (uint32_t)len, sent);
        return;
    }
    msg_rec *m = msg_alloc(s, head_len);
    *m = (msg_rec){ .s = s, .from = from, .to = to, .type = type,
                    .to_inc = dst->incarnation,
                    .from_inc = src->incarnation, .len = len,
                    .hlen = head_len, .sent_seq = sent, .body = body ? sim_blob_ref(body) : NULL };
    if (head_len) memcpy(m->data, head, head_len);
    evq_push(s->q, at, msg_arrive, m, 0);
}

sim_blob *sim_delivering_body(const sim *s, size_t *head_len)
{
    if (!s->delivering) return NULL;
    *head_len = s->delivering->hlen;
    return s->delivering->body;
}

void sim_send(sim *s, int from, int to, uint32_t type, const void *data,
              size_t len)
{
    sim_send_shared(s, from, to, type, data, len, NULL);
}

void sim_name_msgs(sim *s, uint32_t first, const char *const *names, int n)
{
    for (int i = 0; i < n; i++) {
        VEC_GROW(s->names, s->nnames, s->capnames);
        s->names[s->nnames++] = (msg_name){ first + (uint32_t)i, names[i] };
    }
}

void sim_detail_msgs(sim *s, sim_msg_detail_fn fn)
{
    QL_ASSERT(s->ndetail < (int)QL_ARRAY_LEN(s->detail));
    s->detail[s->ndetail++] = fn;
}

const char *sim_msg_name(const sim *s, uint32_t type)
{
    for (int i = 0; i < s->nnames; i++)
        if (s->names[i].type == type) return s->names[i].name;
    return NULL;
}

/* --- faults --- */

static void reset_arrive(void *ctx, uint64_t arg)
{
    sim *s = ctx;
    int to = (int)(arg & 0xffff), peer = (int)((arg >> 16) & 0xffff);
    uint32_t inc = (uint32_t)(arg >> 32);
    node *n = get(s, to);
    if (n->status == NODE_DOWN || (uint32_t)n->incarnation != inc) return;
    if (must_wait(n)) {
        defer(n, (deferred){ D_RESET, (uint64_t)peer, NULL });
        return;
    }
    if (n->ops->reset) n->ops->reset(n->self, peer);
}

/* The process ends, for whatever reason `how` names in the trace. */
static void process_end(sim *s, int id, const char *how)
{
    node *n = get(s, id);
    if (n->status == NODE_DOWN) return;
    if (n->resume_id) evq_cancel(s->q, n->resume_id);
    n->resume_id = 0;
    n->status = NODE_DOWN;
    n->incarnation++;
    for (size_t i = 0; i < n->nwaiting; i++) {
        timer_rec *t = n->waiting[i].kind == D_TIMER
                           ? timer_lookup(s, n->waiting[i].arg) : NULL;
        if (t) timer_release(s, t);
    }
    free_waiting(s, n);
    trace_emit(s->tr, TR_FAULT, id, -1, 0, 0, how, n->name);
    if (n->ops->crash) n->ops->crash(n->self);
    /* its operating system closes its connections: peers hear at once */
    for (int i = 0; i < s->nnodes; i++)
        if (i != id) send_reset(s, id, i, s->nodes[i].incarnation);
}

void sim_crash(sim *s, int id) { process_end(s, id, "crash %s"); }
void sim_exit(sim *s, int id) { process_end(s, id, "exit %s (clean stop)"); }

/* A TCP reset from `from` reaching `to` (if the link lets it through and
 * `to` is still the incarnation that had the connection). */
static void send_reset(sim *s, int from, int to, uint64_t to_inc)
{
    node *p = get(s, to);
    uint64_t at;
    if (p->status == NODE_DOWN || p->incarnation != to_inc) return;
    if (net_route(s->net, &s->net_rng, from, to, s->now_us, &at) != NET_DELIVER)
        return;
    uint64_t arg = (uint64_t)to | ((uint64_t)from << 16) |
                   ((uint64_t)(uint32_t)to_inc << 32);
    evq_push(s->q, at, reset_arrive, s, arg);
}

void sim_restart(sim *s, int id)
{
    node *n = get(s, id);
    if (n->status != NODE_DOWN) sim_crash(s, id);
    trace_emit(s->tr, TR_FAULT, id, -1, 0, 0, "restart %s", n->name);
    sim_start_node(s, id);
}

static void pause_end(void *ctx, uint64_t arg)
{
    sim *s = ctx;
    node *n = get(s, (int)arg);
    n->resume_id = 0;
    sim_resume(s, (int)arg);
}

void sim_pause(sim *s, int id, uint64_t dur_us)
{
    node *n = get(s, id);
    if (n->status == NODE_DOWN) return;
    if (n->resume_id) evq_cancel(s->q, n->resume_id);
    n->resume_id = 0;
    n->status = NODE_PAUSED;
    trace_emit(s->tr, TR_FAULT, id, -1, dur_us / 1000, 0, "pause %s for %llu ms",
               n->name, (unsigned long long)(dur_us / 1000));
    if (dur_us) n->resume_id = evq_push(s->q, s->now_us + dur_us, pause_end, s, (uint64_t)id);
}

static void waiting_run(void *ctx, uint64_t arg);

void sim_resume(sim *s, int id)
{
    node *n = get(s, id);
    if (n->status != NODE_PAUSED) return;
    if (n->resume_id) evq_cancel(s->q, n->resume_id);
    n->resume_id = 0;
    n->status = NODE_UP;
    trace_emit(s->tr, TR_FAULT, id, -1, 0, 0, "resume %s", n->name);
    /* what piled up runs now, in arrival order, as fresh events */
    if (n->nwaiting)
        evq_push(s->q, s->now_us, waiting_run, s,
                 (uint64_t)id | (n->incarnation << 16));
}

/* Replays a resumed node's backlog. Stops if the node is frozen again. */
static void waiting_run(void *ctx, uint64_t arg)
{
    sim *s = ctx;
    int id = (int)(arg & 0xffff);
    node *n = get(s, id);
    if (n->incarnation != (arg >> 16)) return;
    size_t i = 0;
    while (i < n->nwaiting && n->status == NODE_UP) {
        deferred d = n->waiting[i];
        /* consumed: a crash inside the callback must not free it again */
        n->waiting[i++].msg = NULL;
        /* a callback may add nodes and move the table: look it up again */
        switch (d.kind) {
        case D_TIMER: {
            timer_rec *t = timer_lookup(s, d.arg);
            if (t && t->state == T_DEFERRED) {
                t->state = T_ARMED;
                timer_run(s, d.arg, true);
            }
            break;
        }
        case D_MSG:
            deliver(s, d.msg, true);    /* frees it */
            break;
        case D_RESET:
            if (n->ops->reset) n->ops->reset(n->self, (int)d.arg);
            break;
        }
        n = get(s, id);
        if (n->incarnation != (arg >> 16)) return; /* it crashed meanwhile */
    }
    /* keep what did not run (paused again) */
    memmove(n->waiting, n->waiting + i, (n->nwaiting - i) * sizeof *n->waiting);
    n->nwaiting -= i;
}

bool sim_any_link_cut(sim *s, int id)
{
    return net_any_cut(s->net, id);
}

/* --- running --- */

/* While an event runs, the memory fetches what the next one reads
 * first: a message's payload starts on the record's second line, a
 * timer's record sits somewhere in the pool (each was a miss the next
 * event waited on, at 300 brokers). */
static void prefetch_next(sim *s, const evq_event *next)
{
    if (next->fn == msg_arrive) {
        __builtin_prefetch((const char *)next->ctx + 64);
    } else if (next->fn == timer_fire) {
        uint32_t idx = (uint32_t)(next->arg & 0xffffffffu);
        if (idx && idx <= s->ntimers) __builtin_prefetch(&s->timers[idx - 1]);
    }
}

void sim_prefetch_route(const sim *s, int from, int to)
{
    net_prefetch(s->net, from, to);
}

/* The event after the running one was the second in line a pop ago,
 * its record asked for then: its node is told what comes, to ask for
 * what that needs in turn (a fetch's replicas through the requester's
 * slot, an answer's fetcher), a level deeper than prefetch_next goes.
 * A message is most often answered, or followed by the next request:
 * the link back to its sender is asked for too. */
static void hint_node(sim *s, const evq_event *next)
{
    if (next->fn == msg_arrive) {
        const msg_rec *m = next->ctx;
        const node *n = &s->nodes[m->to];
        net_prefetch(s->net, m->to, m->from);
        if (n->ops->prefetch)
            n->ops->prefetch(n->self, m->from, m->type, m->data, m->hlen, NULL, 0);
    } else if (next->fn == timer_fire) {
        uint32_t idx = (uint32_t)(next->arg & 0xffffffffu);
        if (!idx || idx > s->ntimers) return;
        const timer_rec *t = &s->timers[idx - 1];
        if (t->state != T_ARMED || t->gen != (uint32_t)(next->arg >> 32)) return;
        const node *n = &s->nodes[t->owner];
        if (n->ops->prefetch) n->ops->prefetch(n->self, -1, 0, NULL, 0, t->fn, t->arg);
    }
}

bool sim_step(sim *s)
{
    evq_event ev, next, second;
    if (!evq_pop(s->q, &ev)) return false;
    QL_ASSERT(ev.at_us >= s->now_us);
    s->now_us = ev.at_us;
    s->events++;
    if (evq_prefetch(s->q, &next)) {
        prefetch_next(s, &next);
        hint_node(s, &next);
        if (evq_prefetch_second(s->q, &second)) prefetch_next(s, &second);
    }
    ev.fn(ev.ctx, ev.arg);
    return true;
}

bool sim_run_until(sim *s, uint64_t t_us)
{
    uint64_t next;
    while (!s->halted && evq_peek_time(s->q, &next) && next <= t_us)
        sim_step(s);
    if (s->halted) return false;
    if (t_us > s->now_us) s->now_us = t_us;
    return true;
}

void sim_halt(sim *s) { s->halted = true; }
bool sim_halted(const sim *s) { return s->halted; }
void sim_clear_halt(sim *s) { s->halted = false; }

bool sim_next_time(sim *s, uint64_t *t_us)
{
    return evq_peek_time(s->q, t_us);
}
