/* zk_check: ZAB's safety properties checked from the trace alone. It keeps
 * the committed history (zxid -> digest, from TR_COMMIT), the leader of
 * each epoch (from TR_ROLE events with code TROLE_LEADING) and, per server, the
 * last zxid its tree reflects (TR_APPLY, and TR_SYNC LOAD/TRUNC/SNAP that
 * rebuild a tree). Lookups are binary searches: commits arrive in zxid
 * order, so the history is appended, not sorted. */
#include "zk_check.h"
#include "check_report.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kv { uint64_t k, v; } kv;

typedef struct kvvec { kv *v; size_t n, cap; } kvvec;

struct zk_checker {
    sim *s;
    kvvec commits;          /* zxid -> digest */
    kvvec leaders;          /* epoch -> node */
    uint64_t *applied;      /* per node: last zxid its tree holds */
    int napplied;
    int violations;
    char first[200];
};

static size_t kv_lower(const kvvec *x, uint64_t k)
{
    size_t lo = 0, hi = x->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->v[mid].k < k) lo = mid + 1; else hi = mid;
    }
    return lo;
}

static kv *kv_find(const kvvec *x, uint64_t k)
{
    size_t i = kv_lower(x, k);
    return i < x->n && x->v[i].k == k ? &x->v[i] : NULL;
}

static void kv_put(kvvec *x, uint64_t k, uint64_t v)
{
    size_t i = kv_lower(x, k);
    VEC_GROW(x->v, x->n, x->cap);
    memmove(&x->v[i + 1], &x->v[i], (x->n - i) * sizeof *x->v);
    x->v[i] = (kv){ k, v };
    x->n++;
}

static void violation(zk_checker *c, int node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void violation(zk_checker *c, int node, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    check_report(c->s, node, &c->violations, c->first, sizeof c->first, msg);
}

static uint64_t *applied_of(zk_checker *c, int node)
{
    if (node < 0) return NULL;
    if (node >= c->napplied) {
        int n = node + 16;
        c->applied = xrealloc(c->applied, (size_t)n * sizeof *c->applied);
        memset(c->applied + c->napplied, 0, (size_t)(n - c->napplied) * sizeof *c->applied);
        c->napplied = n;
    }
    return &c->applied[node];
}

static void on_leader(zk_checker *c, const trace_event *ev)
{
    kv *l = kv_find(&c->leaders, ev->a);
    if (l && l->v != (uint64_t)ev->node)
        violation(c, ev->node, "two leaders in epoch %llu: node %llu and node %d",
                  (unsigned long long)ev->a, (unsigned long long)l->v, ev->node);
    else if (!l)
        kv_put(&c->leaders, ev->a, (uint64_t)ev->node);
    uint64_t max = c->commits.n ? c->commits.v[c->commits.n - 1].k : 0;
    if (ev->b < max)
        violation(c, ev->node, "leader of epoch %llu lacks committed zxid 0x%llx "
                  "(its last is 0x%llx)", (unsigned long long)ev->a,
                  (unsigned long long)max, (unsigned long long)ev->b);
}

static void on_commit(zk_checker *c, const trace_event *ev)
{
    kv *e = kv_find(&c->commits, ev->a);
    if (!e) {
        kv_put(&c->commits, ev->a, ev->b);
    } else if (e->v != ev->b) {
        violation(c, ev->node, "zxid 0x%llx committed twice with different txns",
                  (unsigned long long)ev->a);
    }
}

static void on_apply(zk_checker *c, const trace_event *ev)
{
    uint64_t *p = applied_of(c, ev->node);
    kv *e = kv_find(&c->commits, ev->a);
    if (!e) {
        violation(c, ev->node, "applied zxid 0x%llx that was never committed",
                  (unsigned long long)ev->a);
        return;
    }
    if (e->v != ev->b) {
        violation(c, ev->node, "applied zxid 0x%llx with a different txn than "
                  "the one committed", (unsigned long long)ev->a);
        return;
    }
    if (!p) return;
    if (ev->a <= *p) {
        violation(c, ev->node, "applied zxid 0x%llx after 0x%llx: out of order",
                  (unsigned long long)ev->a, (unsigned long long)*p);
        return;
    }
    size_t i = kv_lower(&c->commits, ev->a);   /* ev->a sits at i */
    if (i > 0 && c->commits.v[i - 1].k > *p)
        violation(c, ev->node, "applied zxid 0x%llx but skipped committed 0x%llx",
                  (unsigned long long)ev->a, (unsigned long long)c->commits.v[i - 1].k);
    *p = ev->a;
}

void zk_checker_feed(zk_checker *c, const trace_event *ev)
{
    switch (ev->kind) {
    case TR_ROLE:
        if (ev->code == TROLE_LEADING) on_leader(c, ev);
        break;
    case TR_COMMIT:
        if (ev->code == 0) on_commit(c, ev);    /* KRaft's are raft_check's */
        break;
    case TR_APPLY:
        on_apply(c, ev);
        break;
    case TR_SYNC:
        /* a tree rebuilt from a log or a snapshot stands at a */
        if (ev->code != TSYNC_DIFF) {
            uint64_t *p = applied_of(c, ev->node);
            /* TRUNC to a only rebuilds a tree that went past a: a tree
             * still behind it stays where it was (seed 437 of the fuzzer) */
            bool trunc = ev->code == TSYNC_TRUNC;
            if (p && (!trunc || *p > ev->a)) *p = ev->a;
        }
        break;
    default:
        break;
    }
}

static void listen(void *ctx, const trace_event *ev)
{
    zk_checker_feed(ctx, ev);
}

zk_checker *zk_checker_new(sim *s)
{
    zk_checker *c = xcalloc(1, sizeof *c);
    c->s = s;
    uint32_t kinds = TRACE_KIND(TR_ROLE) | TRACE_KIND(TR_COMMIT) |
                     TRACE_KIND(TR_APPLY) | TRACE_KIND(TR_SYNC);   /* zk_checker_feed's */
    if (s) QL_ASSERT(trace_listen_kinds(sim_trace(s), kinds, listen, c));
    return c;
}

void zk_checker_free(zk_checker *c)
{
    if (!c) return;
    if (c->s) trace_unlisten(sim_trace(c->s), listen, c);
    free(c->commits.v);
    free(c->leaders.v);
    free(c->applied);
    free(c);
}

int zk_checker_violations(const zk_checker *c) { return c->violations; }
const char *zk_checker_first(const zk_checker *c) { return c->first; }
