/* fuzz_draw: what a seed draws (the world, the workload, the fault
 * schedule), all before the run starts, so a failure report can print the
 * whole schedule and the same seed always draws the same run. */
#include "fuzz_int.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[FZ_KIND_COUNT] = {
    "crash", "stop", "pause", "isolate", "split", "cut", "link", "heal",
    "kill-client", "close-client",
};

/* Faults weighted by how much protocol they exercise: process faults and
 * partitions most, client faults least. */
static fz_kind draw_kind(rng *r, int brokers)
{
    static const fz_kind bag[] = {
        FZ_CRASH, FZ_CRASH, FZ_CRASH, FZ_STOP, FZ_PAUSE, FZ_PAUSE, FZ_ISOLATE,
        FZ_ISOLATE, FZ_SPLIT, FZ_SPLIT, FZ_CUT, FZ_LINK, FZ_LINK, FZ_HEAL,
        FZ_CLIENT_KILL, FZ_CLIENT_CLOSE,
    };
    fz_kind k = bag[rng_below(r, sizeof bag / sizeof bag[0])];
    return k == FZ_STOP && brokers == 0 ? FZ_CRASH : k;
}

/* KRaft mode: no ZooKeeper sessions to fault; a clean stop of any node
 * (a controller's is KafkaRaftClient.shutdown, a broker's a controlled
 * shutdown through its heartbeats). */
static fz_kind draw_kind_kraft(rng *r)
{
    static const fz_kind bag[] = {
        FZ_CRASH, FZ_CRASH, FZ_CRASH, FZ_STOP, FZ_STOP, FZ_PAUSE, FZ_PAUSE, FZ_ISOLATE,
        FZ_ISOLATE, FZ_SPLIT, FZ_SPLIT, FZ_CUT, FZ_LINK, FZ_LINK, FZ_HEAL,
    };
    return bag[rng_below(r, sizeof bag / sizeof bag[0])];
}

static void draw_fault(rng *r, const fz_settings *st, fz_fault *f)
{
    int n = st->zookeepers + st->controllers + st->brokers;
    f->at_ms = rng_below(r, st->safety_ms);
    f->kind = st->controllers ? draw_kind_kraft(r) : draw_kind(r, st->brokers);
    f->a = (int)rng_below(r, (uint64_t)n);
    f->b = (int)rng_below(r, (uint64_t)n);
    f->c = f->d = 0;
    switch (f->kind) {
    case FZ_CRASH:
        f->b = rng_chance(r, 2, 3) ? (int)rng_range(r, 500, 20000) : 0;
        break;
    case FZ_STOP:
        if (!st->controllers)
            f->a = st->zookeepers + (int)rng_below(r, (uint64_t)st->brokers);
        f->b = rng_chance(r, 2, 3) ? (int)rng_range(r, 500, 20000) : 0;
        break;
    case FZ_PAUSE:
        f->b = (int)rng_range(r, 100, 30000);
        break;
    case FZ_SPLIT:
        f->b = (int)rng_range(r, 1, (1u << n) - 1);
        break;
    case FZ_CUT:
        if (f->b == f->a) f->b = (f->a + 1) % n;
        break;
    case FZ_LINK:
        if (f->b == f->a) f->b = (f->a + 1) % n;
        f->c = rng_chance(r, 1, 2) ? (uint32_t)rng_range(r, 1000, 500000) : 0;
        f->d = (uint32_t)rng_range(r, 1, 3000);
        break;
    case FZ_CLIENT_KILL:
    case FZ_CLIENT_CLOSE:
        f->a = (int)rng_below(r, (uint64_t)st->nsessions);
        break;
    default:
        break;
    }
}

/* Reassignments: a target of 1 to 3 distinct brokers (the replication
 * factor may change), at a random time of the safety phase. */
static void draw_moves(uint64_t seed, fz_settings *st)
{
    rng r;
    rng_seed(&r, seed ^ 0x7265617373696e67ull);
    if (st->brokers < 2) return;
    st->nmoves = (int)rng_range(&r, 0, FZ_MOVES_MAX);
    for (int i = 0; i < st->nmoves; i++) {
        fz_move *m = &st->moves[i];
        m->at_ms = rng_below(&r, st->safety_ms);
        m->topic = (int)rng_below(&r, (uint64_t)st->ntopics);
        m->part = (int)rng_below(&r, (uint64_t)st->topics[m->topic].parts);
        m->n = (int)rng_range(&r, 1, st->brokers < 3 ? st->brokers : 3);
        int pool[9];
        for (int b = 0; b < st->brokers; b++) pool[b] = b;
        for (int k = 0; k < m->n; k++) {     /* a partial shuffle */
            int j = k + (int)rng_below(&r, (uint64_t)(st->brokers - k));
            int t = pool[k];
            pool[k] = pool[j];
            pool[j] = t;
            m->ids[k] = pool[k];
        }
    }
}

/* A broker joining at runtime, in one seed of three with brokers: a
 * stream of its own, so the other draws are as before. */
static void draw_join(uint64_t seed, fz_settings *st)
{
    rng r;
    rng_seed(&r, seed ^ 0x6a6f696e696e67ull);
    st->join = st->brokers > 0 && rng_chance(&r, 1, 3);
    st->join_at_ms = st->join ? rng_below(&r, st->safety_ms) : 0;
}

static void draw_topics(rng *r, bool unsafe, fz_settings *st)
{
    st->ntopics = (int)rng_range(r, 1, FZ_TOPICS_MAX);
    for (int i = 0; i < st->ntopics; i++) {
        fz_topic *t = &st->topics[i];
        snprintf(t->name, sizeof t->name, "t%d", i);
        t->parts = (int)rng_range(r, 1, 3);
        t->rf = (int)rng_range(r, 1, st->brokers < 3 ? st->brokers : 3);
        t->min_isr = (int)rng_range(r, 1, t->rf);
        t->unclean = rng_chance(r, 1, 4);
        if (unsafe) {
            t->min_isr = 1;
            t->unclean = true;
        }
    }
}

static void draw_faults(rng *r, fz_settings *st)
{
    st->nfaults = (int)rng_range(r, 0, 12);
    for (int i = 0; i < st->nfaults; i++) draw_fault(r, st, &st->faults[i]);
    /* in time order, ties kept in draw order (insertion sort is stable) */
    for (int i = 1; i < st->nfaults; i++)
        for (int j = i; j > 0 && st->faults[j].at_ms < st->faults[j - 1].at_ms; j--) {
            fz_fault t = st->faults[j];
            st->faults[j] = st->faults[j - 1];
            st->faults[j - 1] = t;
        }
}

void fz_draw(uint64_t seed, bool unsafe, fz_settings *st)
{
    memset(st, 0, sizeof *st);
    rng r;
    rng_seed(&r, seed);
    st->zookeepers = (int)rng_range(&r, 1, 7);
    st->brokers = (int)rng_range(&r, 1, 9);
    st->zk_session_ms = (uint32_t)rng_range(&r, 4000, 12000);
    st->broker_session_ms = (uint32_t)rng_range(&r, 6000, 18000);
    draw_topics(&r, unsafe, st);
    st->nproducers = (int)rng_range(&r, 1, FZ_PRODUCERS_MAX);
    for (int i = 0; i < st->nproducers; i++)
        st->acks[i] = rng_chance(&r, 2, 3) || unsafe ? -1 : 1;
    st->nsessions = (int)rng_range(&r, 1, FZ_SESSIONS_MAX);
    st->safety_ms = rng_range(&r, 10000, 40000);
    draw_faults(&r, st);
    draw_moves(seed, st);
    draw_join(seed, st);
}

/* One seed in FZ_KRAFT_SHARE runs the KRaft world with brokers too: the
 * share that keeps `make test`'s fuzz suite within half again its time
 * (measured: docs/HACKING.md). */
#define FZ_KRAFT_SHARE 2

bool fz_kraft_drawn(uint64_t seed)
{
    rng r;
    rng_seed(&r, seed ^ 0x6b62726f6b657273ull);     /* "kbrokers" */
    return rng_chance(&r, 1, FZ_KRAFT_SHARE);
}

void fz_draw_kraft(uint64_t seed, bool unsafe, fz_settings *st)
{
    memset(st, 0, sizeof *st);
    rng r;
    rng_seed(&r, seed ^ 0x4b524146546b6272ull);     /* a stream of its own */
    st->controllers = (int)rng_range(&r, 1, 5);
    st->brokers = (int)rng_range(&r, 1, 6);
    draw_topics(&r, unsafe, st);
    st->nproducers = (int)rng_range(&r, 1, FZ_PRODUCERS_MAX);
    /* acks=all mostly, then 1, then 0 (never acknowledged: load only) */
    for (int i = 0; i < st->nproducers; i++)
        st->acks[i] = rng_chance(&r, 3, 5) || unsafe ? -1 : rng_chance(&r, 2, 3) ? 1 : 0;
    st->safety_ms = rng_range(&r, 10000, 40000);
    draw_faults(&r, st);
    st->join = rng_chance(&r, 1, 3);
    st->join_at_ms = st->join ? rng_below(&r, st->safety_ms) : 0;
}

/* "zk3" or "b2" (the second broker): the fuzzed node i by name. */
static void node_label(const fz_settings *st, int i, char *out, size_t cap)
{
    if (i < st->zookeepers) snprintf(out, cap, "zk%d", i + 1);
    else if (i < st->controllers) snprintf(out, cap, "ctl%d", i + 1);
    else snprintf(out, cap, "%d", 101 + i - st->zookeepers - st->controllers);
}

#define PUT(...) do { \
        size_t _l = strlen(out); \
        if (_l < cap) snprintf(out + _l, cap - _l, __VA_ARGS__); \
    } while (0)

void fz_describe(const fz_settings *st, char *out, size_t cap)
{
    out[0] = '\0';
    if (st->controllers)
        PUT("  world: KRaft, %d controllers, %d brokers\n", st->controllers, st->brokers);
    else
        PUT("  world: %d zookeepers, %d brokers, zk sessions %u ms, broker "
            "sessions %u ms\n", st->zookeepers, st->brokers, st->zk_session_ms,
            st->broker_session_ms);
    for (int i = 0; i < st->ntopics; i++) {
        const fz_topic *t = &st->topics[i];
        PUT("  topic %s: %d partitions, rf %d, min.insync.replicas %d, "
            "unclean %s\n", t->name, t->parts, t->rf, t->min_isr,
            t->unclean ? "on" : "off");
    }
    if (st->controllers) PUT("  workload: %d producers (acks", st->nproducers);
    else PUT("  workload: %d zk sessions, %d producers (acks", st->nsessions, st->nproducers);
    for (int i = 0; i < st->nproducers; i++)
        PUT(" %s", st->acks[i] < 0 ? "all" : st->acks[i] ? "1" : "0");
    PUT(")\n  faults (%d in a %llu ms safety phase):\n", st->nfaults,
        (unsigned long long)st->safety_ms);
    for (int i = 0; i < st->nfaults; i++) {
        const fz_fault *f = &st->faults[i];
        char a[16], b[16];
        node_label(st, f->a, a, sizeof a);
        node_label(st, f->b, b, sizeof b);
        PUT("    +%llu ms %s", (unsigned long long)f->at_ms, kind_names[f->kind]);
        switch (f->kind) {
        case FZ_CRASH: case FZ_STOP:
            if (f->b) PUT(" %s, restart after %d ms\n", a, f->b);
            else PUT(" %s until healed\n", a);
            break;
        case FZ_PAUSE: PUT(" %s for %d ms\n", a, f->b); break;
        case FZ_ISOLATE: PUT(" %s\n", a); break;
        case FZ_SPLIT: PUT(" side mask 0x%x\n", (unsigned)f->b); break;
        case FZ_CUT: PUT(" %s -> %s\n", a, b); break;
        case FZ_LINK:
            PUT(" %s -> %s drop %u ppm delay up to %u ms\n", a, b, f->c, f->d);
            break;
        case FZ_CLIENT_KILL: case FZ_CLIENT_CLOSE:
            PUT(" session slot %d\n", f->a);
            break;
        default: PUT("\n"); break;
        }
    }
    for (int i = 0; i < st->nmoves; i++) {
        const fz_move *m = &st->moves[i];
        PUT("    +%llu ms reassign %s-%d to", (unsigned long long)m->at_ms,
            st->topics[m->topic].name, m->part);
        for (int k = 0; k < m->n; k++) PUT("%s%d", k ? "," : " ", 101 + m->ids[k]);
        PUT("\n");
    }
    if (st->join)
        PUT("    +%llu ms a broker joins (the next id)\n", (unsigned long long)st->join_at_ms);
}
