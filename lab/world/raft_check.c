/* raft_check: the epoch -> leader table from TR_ROLE events of controller
 * nodes (code TROLE_LEADING), and the committed prefixes from TR_COMMIT
 * events with code RAFT_TR_COMMIT: prefix length -> digest, the first
 * node to commit a length setting it, every later one compared. Both are
 * sorted vectors searched by halves. */
#include "raft_check.h"
#include "check_report.h"
#include "raft.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rkv { uint64_t k, v; int node; } rkv;
typedef struct rkvvec { rkv *v; size_t n, cap; } rkvvec;

struct raft_checker {
    sim *s;
    rkvvec leaders;             /* epoch -> node */
    rkvvec prefixes;            /* committed length -> digest */
    int violations;
    char first[200];
};

static size_t lower(const rkvvec *x, uint64_t k)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->v[mid].k < k) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* The entry of k, added with v and node when there is none. */
static rkv *find_or_put(rkvvec *x, uint64_t k, uint64_t v, int node, bool *added)
{
    size_t i = lower(x, k);
    *added = !(i < x->n && x->v[i].k == k);
    if (*added) {
        VEC_GROW(x->v, x->n, x->cap);
        memmove(&x->v[i + 1], &x->v[i], (x->n - i) * sizeof *x->v);
        x->v[i] = (rkv){ k, v, node };
        x->n++;
    }
    return &x->v[i];
}

static void violation(raft_checker *c, int node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void violation(raft_checker *c, int node, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    check_report(c->s, node, &c->violations, c->first, sizeof c->first, msg);
}

static const char *name_of(raft_checker *c, int node)
{
    return c->s && node >= 0 ? sim_node_name(c->s, node) : "?";
}

static void on_leader(raft_checker *c, const trace_event *ev)
{
    bool added;
    rkv *e = find_or_put(&c->leaders, ev->a, 0, ev->node, &added);
    if (!added && e->node != ev->node)
        violation(c, ev->node, "KRaft: two leaders in epoch %llu: %s and %s",
                  (unsigned long long)ev->a, name_of(c, e->node), name_of(c, ev->node));
}

static void on_commit(raft_checker *c, const trace_event *ev)
{
    bool added;
    rkv *e = find_or_put(&c->prefixes, ev->a, ev->b, ev->node, &added);
    if (!added && e->v != ev->b)
        violation(c, ev->node, "KRaft: committed metadata log diverges: %s and %s "
                  "hold different records below offset %llu", name_of(c, e->node),
                  name_of(c, ev->node), (unsigned long long)ev->a);
}

void raft_checker_feed(raft_checker *c, const trace_event *ev)
{
    if (ev->kind == TR_ROLE && ev->code == TROLE_LEADING && ev->node >= 0 &&
        (!c->s || sim_node_kind(c->s, ev->node) == NODE_CONTROLLER))
        on_leader(c, ev);
    else if (ev->kind == TR_COMMIT && ev->code == RAFT_TR_COMMIT)
        on_commit(c, ev);
}

static void listen(void *ctx, const trace_event *ev) { raft_checker_feed(ctx, ev); }

raft_checker *raft_checker_new(sim *s)
{
    raft_checker *c = xcalloc(1, sizeof *c);
    c->s = s;
    uint32_t kinds = TRACE_KIND(TR_ROLE) | TRACE_KIND(TR_COMMIT);     /* raft_checker_feed's */
    if (s) QL_ASSERT(trace_listen_kinds(sim_trace(s), kinds, listen, c));
    return c;
}

void raft_checker_free(raft_checker *c)
{
    if (!c) return;
    if (c->s) trace_unlisten(sim_trace(c->s), listen, c);
    free(c->leaders.v);
    free(c->prefixes.v);
    free(c);
}

int raft_checker_violations(const raft_checker *c) { return c->violations; }
const char *raft_checker_first(const raft_checker *c) { return c->first; }
