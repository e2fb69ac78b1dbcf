/* kafka_check: leader-per-epoch and controller-epoch checks from the
 * trace, the HW check from a hook, and the ledger with its audit. Tables
 * are open-addressing hashes keyed by 64-bit values, so checking costs
 * O(1) per event whatever the partition count. */
#include "kafka_check.h"
#include "kafka_proto.h"
#include "util.h"
#include "wire.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
    uint64_t key;               /* 0: empty */
    int64_t v1, v2;             /* per table */
} slot;

typedef struct table {
    slot *s;
    size_t cap, n;
} table;

typedef struct entry {
    char *topic;                /* interned in topics[] */
    int p;
    int64_t offset;
    uint64_t rid;
    int acks;
    bool reported;              /* TR_LOSS already emitted */
} entry;

struct kafka_check {
    sim *s;
    table leaders;              /* (pkey, epoch) -> broker node + 1 */
    table hws;                  /* pkey -> (epoch, hw) */
    int64_t ctrl_epoch;         /* highest controller epoch seen */
    entry *ledger;
    size_t nledger, capledger;
    char **topics;              /* interned topic names */
    int ntopics, captopics;
    size_t violations;          /* how many were reported */
};

static slot *tfind(table *t, uint64_t key, bool add)
{
    if (key == 0) key = 1;
    if (add && (t->n + 1) * 2 > t->cap) {
        table old = *t;
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->s = xcalloc(t->cap, sizeof *t->s);
        t->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.s[i].key) *tfind(t, old.s[i].key, true) = old.s[i];
        free(old.s);
    }
    if (!t->cap) return NULL;
    for (size_t i = key & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (t->s[i].key == key) return &t->s[i];
        if (!t->s[i].key) {
            if (!add) return NULL;
            t->s[i].key = key;
            t->n++;
            return &t->s[i];
        }
    }
}

static void violation(kafka_check *k, int node, const char *msg)
{
    k->violations++;
    trace_emit(sim_trace(k->s), TR_VIOLATION, node, -1, sim_seed(k->s), 0,
               "%s (seed %llu)", msg, (unsigned long long)sim_seed(k->s));
    sim_halt(k->s);
}

static void on_event(void *ctx, const trace_event *ev)
{
    kafka_check *k = ctx;
    /* ZooKeeper mode's controller epoch (/controller_epoch) never goes
     * back; a KRaft controller's claim names its Raft epoch, and a stale
     * leader may claim an older epoch after a newer one did elsewhere
     * (raft_check holds one leader per epoch there) */
    if (ev->kind == TR_CONTROLLER && ev->node >= 0 &&
        sim_node_kind(k->s, ev->node) == NODE_CONTROLLER) {
        return;
    } else if (ev->kind == TR_CONTROLLER) {
        if ((int64_t)ev->a <= k->ctrl_epoch) {
            char m[128];
            snprintf(m, sizeof m, "controller epoch went from %lld to %llu",
                     (long long)k->ctrl_epoch, (unsigned long long)ev->a);
            violation(k, ev->node, m);
        }
        k->ctrl_epoch = (int64_t)ev->a;
    } else if (ev->kind == TR_LEADER) {
        uint64_t key = wire_hash(&ev->a, sizeof ev->a, ev->b);
        slot *sl = tfind(&k->leaders, key, true);
        if (sl->v1 && sl->v1 != ev->node + 1) {
            char m[160];
            snprintf(m, sizeof m, "two leaders in one leader epoch: %.120s",
                     ev->text);
            violation(k, ev->node, m);
        }
        sl->v1 = ev->node + 1;
    }
}

kafka_check *kafka_check_new(sim *s)
{
    kafka_check *k = xcalloc(1, sizeof *k);
    k->s = s;
    k->ctrl_epoch = 0;
    trace_listen_kinds(sim_trace(s), TRACE_KIND(TR_CONTROLLER) | TRACE_KIND(TR_LEADER),
                       on_event, k);
    return k;
}

void kafka_check_free(kafka_check *k)
{
    if (!k) return;
    trace_unlisten(sim_trace(k->s), on_event, k);
    free(k->leaders.s);
    free(k->hws.s);
    free(k->ledger);
    for (int i = 0; i < k->ntopics; i++) free(k->topics[i]);
    free(k->topics);
    free(k);
}

static void on_hw(void *ctx, int node, const char *topic, uint64_t topic_id,
                  int p, int32_t epoch, int64_t hw)
{
    kafka_check *k = ctx;
    slot *sl = tfind(&k->hws, kafka_pkey(topic_id, p), true);
    if (sl->v1 == epoch + 1 && hw < sl->v2) {
        char m[160];
        snprintf(m, sizeof m, "%s-%d high watermark went back from %lld to "
                 "%lld in leader epoch %d", topic, p, (long long)sl->v2,
                 (long long)hw, epoch);
        violation(k, node, m);
    }
    if (sl->v1 <= epoch + 1) {
        sl->v1 = epoch + 1;
        sl->v2 = hw;
    }
}

static char *intern(kafka_check *k, const char *topic)
{
    for (int i = k->ntopics - 1; i >= 0; i--)
        if (strcmp(k->topics[i], topic) == 0) return k->topics[i];
    VEC_GROW(k->topics, k->ntopics, k->captopics);
    return k->topics[k->ntopics++] = xstrdup(topic);
}

static void on_acked(void *ctx, const char *topic, int p, int64_t offset,
                     uint64_t rid, int acks)
{
    kafka_check *k = ctx;
    VEC_GROW(k->ledger, k->nledger, k->capledger);
    k->ledger[k->nledger++] = (entry){ intern(k, topic), p, offset, rid, acks, false };
}

size_t kafka_ledger_count(const kafka_check *k) { return k ? k->nledger : 0; }

static void on_truncate(void *ctx, int node, const char *topic, int p,
                        const kafka_log *log, int64_t from)
{
    kafka_check *k = ctx;
    if (from >= kafka_log_leo(log)) return;
    int shown = 0;
    for (size_t i = 0; i < k->nledger && shown < 5; i++) {
        entry *e = &k->ledger[i];
        if (e->p != p || e->offset < from || strcmp(e->topic, topic) != 0) continue;
        const kafka_record *r = kafka_log_get(log, e->offset);
        if (!r || r->rid != e->rid) continue;
        shown++;
        trace_emit_code(sim_trace(k->s), TR_LOSS, TLOSS_AT_RISK, node, -1,
                        (uint64_t)e->offset, e->rid, "%s-%d offset %lld "
                        "(acks=%s) truncated away on %s", topic, p,
                        (long long)e->offset, e->acks < 0 ? "all" : "1",
                        sim_node_name(k->s, node));
    }
}

kafka_hooks kafka_check_hooks(kafka_check *k)
{
    if (!k) return (kafka_hooks){ 0 };
    return (kafka_hooks){ .ctx = k, .hw = on_hw, .truncate = on_truncate,
                          .acked = on_acked };
}

/* Where a ledger entry's record is now. */
typedef enum fate { F_HELD, F_PENDING, F_LOST, F_UNAVAILABLE } fate;

/* online, log and hw: what kafka_committed_fn says of its partition */
static fate entry_fate(const entry *e, bool online, const kafka_log *log, int64_t hw)
{
    /* lost means gone from the leader's log. Right after a failover
     * the new leader's HW still lags (followers learn the HW on their
     * next fetch); a record in its log above the HW is pending, not
     * lost: a leader never truncates its own log, and a later audit
     * would see it vanish if an unclean election dropped it. */
    const kafka_record *r = online ? kafka_log_get(log, e->offset) : NULL;
    if (r && r->rid == e->rid) return e->offset >= hw ? F_PENDING : F_HELD;
    return online ? F_LOST : F_UNAVAILABLE;
}

size_t kafka_check_lost_by_node(const kafka_check *k, kafka_committed_fn fn, void *ctx,
                                long *counts, int n)
{
    /* partitions asked once each: a dashboard calls this often, and a
     * ledger of hours holds hundreds of thousands of records */
    struct { const char *topic; int p; bool online; const kafka_log *log; int64_t hw; } seen[32];
    int nseen = 0;
    size_t lost = 0;
    for (size_t i = 0; k && i < k->nledger; i++) {
        const entry *e = &k->ledger[i];
        int j = 0;
        while (j < nseen && (seen[j].topic != e->topic || seen[j].p != e->p)) j++;
        if (j == nseen) {
            if (nseen == 32) j = (int)(i % 32);
            else nseen++;
            seen[j].topic = e->topic;
            seen[j].p = e->p;
            seen[j].log = NULL;
            seen[j].hw = 0;
            seen[j].online = fn(ctx, e->topic, e->p, &seen[j].log, &seen[j].hw);
        }
        if (entry_fate(e, seen[j].online, seen[j].log, seen[j].hw) != F_LOST) continue;
        lost++;
        int node = (int)(e->rid >> 40);     /* kafka_client_send's record ids */
        if (node >= 0 && node < n) counts[node]++;
    }
    return lost;
}

void kafka_check_audit(kafka_check *k, kafka_committed_fn fn, void *ctx,
                       kafka_audit *out)
{
    memset(out, 0, sizeof *out);
    if (!k) return;
    out->acked = k->nledger;
    int traced = 0;
    for (size_t i = 0; i < k->nledger; i++) {
        entry *e = &k->ledger[i];
        const kafka_log *log = NULL;
        int64_t hw = 0;
        bool online = fn(ctx, e->topic, e->p, &log, &hw);     /* sets log, hw first */
        fate f = entry_fate(e, online, log, hw);
        if (f == F_HELD || f == F_PENDING) {
            out->pending += f == F_PENDING;
            continue;
        }
        if (online) out->lost++;
        else out->unavailable++;
        if (out->nrecords < 1000) {
            out->records = xrealloc(out->records, (out->nrecords + 1) * sizeof *out->records);
            kafka_lost *l = &out->records[out->nrecords++];
            memset(l, 0, sizeof *l);
            snprintf(l->topic, sizeof l->topic, "%s", e->topic);
            l->p = e->p;
            l->offset = e->offset;
            l->acks = e->acks;
            l->unavailable = !online;
        }
        if (online && !e->reported) {
            e->reported = true;
            if (traced++ < 20)
                trace_emit(sim_trace(k->s), TR_LOSS, -1, -1, (uint64_t)e->offset,
                           e->rid, "acknowledged record lost: %s-%d offset %lld "
                           "(acks=%s)", e->topic, e->p, (long long)e->offset,
                           e->acks < 0 ? "all" : "1");
        }
    }
    if (traced > 20)
        trace_emit(sim_trace(k->s), TR_LOSS, -1, -1, (uint64_t)out->lost, 0,
                   "%zu acknowledged records lost in all", out->lost);
}

void kafka_audit_free(kafka_audit *a)
{
    if (!a) return;
    free(a->records);
    a->records = NULL;
    a->nrecords = 0;
}

void kafka_check_violation(kafka_check *k, int node, const char *msg)
{
    violation(k, node, msg);
}

size_t kafka_check_violations(const kafka_check *k)
{
    return k ? k->violations : 0;
}
