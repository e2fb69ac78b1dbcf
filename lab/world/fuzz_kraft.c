/* fuzz_kraft: the fuzzer's KRaft run of a seed: a controller quorum of 1
 * to 5 voters, a writer appending records on whichever controller leads
 * (as the QuorumController does), and a schedule of crashes, clean stops,
 * pauses, isolations, splits, one-way cuts and lossy links. Safety is
 * raft_check's (one leader per epoch, the committed log never diverges);
 * after healing, liveness: within FUZZ_LIVE_BOUND_S a leader commits a new
 * record and every voter holds the same log up to the same high watermark.
 * Its draws come from streams of its own, so the ZooKeeper-mode run of
 * the same seed is unchanged. */
#include "fuzz.h"
#include "cluster.h"
#include "raft_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000ull
#define KZ_FAULTS_MAX 12

typedef enum kz_kind { KZ_CRASH, KZ_STOP, KZ_PAUSE, KZ_ISOLATE, KZ_SPLIT,
                       KZ_CUT, KZ_LINK, KZ_HEAL, KZ_KIND_COUNT } kz_kind;

typedef struct kz_fault {
    uint64_t at_ms;
    kz_kind kind;
    int a, b;                   /* controllers (0-based); KZ_SPLIT: b = mask */
    uint32_t ms;                /* restart after, pause for; 0: at heal */
    uint32_t drop_ppm;
} kz_fault;

typedef struct kz_run {
    cluster *c;
    sim *s;
    raft_quorum *q;
    int n;
    uint64_t safety_ms;
    int nfaults;
    kz_fault faults[KZ_FAULTS_MAX];
    rng wr;                     /* the writer's choices */
    uint64_t counter;           /* records the writer made */
    bool writing;
    char violation[256];
    fuzz_result *res;
} kz_run;

static const char *const kind_names[KZ_KIND_COUNT] = {
    "crash", "stop", "pause", "isolate", "split", "cut", "link", "heal",
};

static void draw(kz_run *k, uint64_t seed)
{
    rng r;
    rng_seed(&r, seed ^ 0x4b52414654ull);   /* "KRAFT": a stream of its own */
    k->n = (int)rng_range(&r, 1, 5);
    k->safety_ms = rng_range(&r, 10000, 60000);
    k->nfaults = (int)rng_range(&r, 1, KZ_FAULTS_MAX);
    for (int i = 0; i < k->nfaults; i++) {
        kz_fault *f = &k->faults[i];
        f->at_ms = rng_below(&r, k->safety_ms);
        f->kind = (kz_kind)rng_below(&r, KZ_KIND_COUNT);
        f->a = (int)rng_below(&r, (uint64_t)k->n);
        f->b = (int)rng_below(&r, (uint64_t)k->n);
        if (f->kind == KZ_SPLIT) f->b = (int)rng_below(&r, 1ull << k->n);
        f->ms = rng_chance(&r, 1, 4) ? 0 : (uint32_t)rng_range(&r, 100, 8000);
        f->drop_ppm = (uint32_t)rng_range(&r, 0, NET_PPM / 2);
    }
}

static void describe(const kz_run *k, char *out, size_t cap)
{
    size_t len = strlen(out);
    len += (size_t)snprintf(out + len, len < cap ? cap - len : 0,
                            "  kraft: %d controllers, safety %llu ms, faults:", k->n,
                            (unsigned long long)k->safety_ms);
    for (int i = 0; i < k->nfaults && len < cap; i++) {
        const kz_fault *f = &k->faults[i];
        len += (size_t)snprintf(out + len, cap - len, " %s@%llu(ctl%d,%d,%u)",
                                kind_names[f->kind], (unsigned long long)f->at_ms,
                                f->a + 1, f->b, f->ms);
    }
    if (len < cap) snprintf(out + len, cap - len, "\n");
}

static void fail(kz_run *k, const char *fmt, const char *why)
{
    if (k->res->failed) return;
    k->res->failed = true;
    snprintf(k->res->why, sizeof k->res->why, fmt, why);
}

static int node_of(kz_run *k, int i) { return raft_quorum_nodes(k->q)[i]; }

/* --- the writer: the QuorumController's appends, on any leader --- */

static void write_ev(void *ctx, uint64_t arg)
{
    kz_run *k = ctx;
    (void)arg;
    if (!k->writing) return;
    for (int i = 0; i < k->n; i++) {
        uint8_t rec[8];
        uint64_t v = ++k->counter;
        for (int b = 0; b < 8; b++) rec[b] = (uint8_t)(v >> (8 * b));
        if (raft_append(raft_quorum_raft(k->q, i), rec, sizeof rec) >= 0) break;
    }
    sim_at(k->s, rng_range(&k->wr, 20, 400) * MS, write_ev, k, 0);
}

/* --- faults --- */

static void restart_ev(void *ctx, uint64_t i)
{
    kz_run *k = ctx;
    if (sim_node_status(k->s, node_of(k, (int)i)) == NODE_DOWN)
        cluster_restart(k->c, node_of(k, (int)i));
}

static void fault_ev(void *ctx, uint64_t fi)
{
    kz_run *k = ctx;
    const kz_fault *f = &k->faults[fi];
    int node = node_of(k, f->a);
    k->res->faults++;
    switch (f->kind) {
    case KZ_CRASH:
    case KZ_STOP:
        if (f->kind == KZ_CRASH) cluster_kill(k->c, node);
        else cluster_stop(k->c, node, NULL, NULL, NULL, 0);  /* false: not up */
        if (f->ms) sim_at(k->s, f->ms * MS + 6000 * MS * (f->kind == KZ_STOP),
                          restart_ev, k, (uint64_t)f->a);
        break;
    case KZ_PAUSE:
        cluster_pause(k->c, node, (f->ms ? f->ms : 3000) * MS);
        break;
    case KZ_ISOLATE:
        cluster_isolate(k->c, node);
        break;
    case KZ_SPLIT: {
        int a[RAFT_VOTERS_MAX], b[RAFT_VOTERS_MAX], na = 0, nb = 0;
        for (int i = 0; i < k->n; i++) {
            if (f->b >> i & 1) a[na++] = node_of(k, i); else b[nb++] = node_of(k, i);
        }
        if (na && nb) cluster_split(k->c, a, na, b, nb);
        break;
    }
    case KZ_CUT: {              /* one way: every message lost */
        link_cfg d = net_defaults(sim_net(k->s));
        if (f->a != f->b)
            cluster_link(k->c, node, node_of(k, f->b), NET_PPM, d.delay_lo_us, d.delay_hi_us);
        break;
    }
    case KZ_LINK:
        if (f->a != f->b)
            cluster_link(k->c, node, node_of(k, f->b), f->drop_ppm, 500, 500 + f->ms * 40ull);
        break;
    case KZ_HEAL:
        cluster_heal(k->c);
        break;
    default:
        break;
    }
}

static void on_trace(void *ctx, const trace_event *ev)
{
    kz_run *k = ctx;
    if (ev->kind == TR_VIOLATION && !k->violation[0])
        snprintf(k->violation, sizeof k->violation, "%s", ev->text);
    if (ev->kind == TR_ELECTION) k->res->kraft_elections++;
}

/* --- liveness --- */

/* A leader of the highest epoch whose new record is committed, and every
 * voter with the leader's log end and high watermark. */
static bool converged(kz_run *k, int64_t *probe, char *why, size_t cap)
{
    raft_quorum_info qi;
    raft_quorum_info_get(k->q, &qi);
    if (qi.leader_id < 0) { snprintf(why, cap, "no leader"); return false; }
    const raft_info *l = &qi.voters[qi.leader_id - 1].r;
    if (*probe < 0 || l->log_end <= *probe) {
        uint8_t rec[8] = { 0xff };
        *probe = raft_append(raft_quorum_raft(k->q, qi.leader_id - 1), rec, sizeof rec);
    }
    if (l->high_watermark <= *probe) {
        snprintf(why, cap, "ctl%d leads epoch %d, high watermark %lld not past %lld",
                 l->node_id, (int)l->epoch, (long long)l->high_watermark, (long long)*probe);
        return false;
    }
    for (int i = 0; i < qi.size; i++) {
        const raft_info *v = &qi.voters[i].r;
        if (v->log_end != l->log_end || v->high_watermark != l->high_watermark) {
            snprintf(why, cap, "ctl%d at %lld/%lld, leader ctl%d at %lld/%lld", v->node_id,
                     (long long)v->log_end, (long long)v->high_watermark, l->node_id,
                     (long long)l->log_end, (long long)l->high_watermark);
            return false;
        }
    }
    k->res->kraft_committed += (uint64_t)l->high_watermark;
    return true;
}

static void heal_all(kz_run *k)
{
    cluster_heal(k->c);
    for (int i = 0; i < k->n; i++) {
        int node = node_of(k, i);
        if (sim_node_status(k->s, node) == NODE_PAUSED) cluster_resume(k->c, node);
        /* a clean stop still under way would end in an exit after the
         * heal: the process is started again instead */
        if (sim_node_status(k->s, node) == NODE_DOWN || cluster_stopping(k->c, node))
            cluster_restart(k->c, node);
    }
}

/* Every voter's log the same, record by record. */
/* One seed in three takes snapshots every few hundred bytes and lets the
 * log go past them (Kafka's defaults, 20 MiB, never snapshot in a fuzz
 * run): restarts load snapshots and laggards use FetchSnapshot under the
 * same faults. Chosen from the seed itself, not from the draw's stream,
 * so every other setting of a seed stays as it was. */
void fuzz_kraft_small_snapshots(raft_config *rc, uint64_t seed)
{
    if (seed % 3 != 0) return;
    rc->snapshot_max_new_record_bytes = 300;
    rc->max_retention_bytes = 1;
}

static void audit_logs(kz_run *k)
{
    raft *r0 = raft_quorum_raft(k->q, 0);
    for (int i = 1; i < k->n && !k->res->failed; i++) {
        raft *ri = raft_quorum_raft(k->q, i);
        /* records before either log's start live in a snapshot, whose
         * digest raft_check compares; the logs are compared from there */
        raft_info a, b;
        raft_info_get(r0, &a);
        raft_info_get(ri, &b);
        for (int64_t o = a.log_start > b.log_start ? a.log_start : b.log_start;; o++) {
            int32_t e0, ei;
            const uint8_t *d0, *di;
            size_t l0, li;
            bool h0 = raft_entry(r0, o, &e0, NULL, &d0, &l0);
            bool hi = raft_entry(ri, o, &ei, NULL, &di, &li);
            if (!h0 && !hi) break;
            if (h0 != hi || e0 != ei || l0 != li || (l0 && memcmp(d0, di, l0))) {
                char at[64];
                snprintf(at, sizeof at, "ctl1 and ctl%d differ at offset %lld", i + 1, (long long)o);
                fail(k, "audit: the logs after liveness: %s", at);
                break;
            }
        }
    }
}

void fuzz_kraft_seed(uint64_t seed, FILE *jsonl, fuzz_result *out)
{
    kz_run *k = xcalloc(1, sizeof *k);
    k->res = out;
    draw(k, seed);
    describe(k, out->settings, sizeof out->settings);
    rng_seed(&k->wr, seed ^ 0x6b72616674ull);
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.seed = seed;
    cfg.mode = CLUSTER_KRAFT;
    cfg.controllers = k->n;
    fuzz_kraft_small_snapshots(&cfg.raft, seed);
    char why[256] = "";
    k->c = cluster_new(&cfg, why, sizeof why);
    QL_ASSERT(k->c);
    k->s = cluster_sim(k->c);
    k->q = cluster_quorum(k->c);
    trace_listen(sim_trace(k->s), on_trace, k);
    if (jsonl) trace_set_jsonl(sim_trace(k->s), jsonl);
    k->writing = true;
    sim_at(k->s, 0, write_ev, k, 0);
    for (int i = 0; i < k->nfaults; i++)
        sim_at(k->s, 3000 * MS + k->faults[i].at_ms * MS, fault_ev, k, (uint64_t)i);
    sim_run_until(k->s, (3000 + k->safety_ms) * MS);
    if (k->violation[0]) fail(k, "invariant violated: %s", k->violation);
    k->writing = false;
    if (!k->res->failed) {
        heal_all(k);
        int64_t probe = -1;
        uint64_t end = sim_now_us(k->s) + FUZZ_LIVE_BOUND_S * 1000ull * MS;
        bool ok = false;
        while (!ok && !k->violation[0] && sim_now_us(k->s) < end) {
            sim_run_until(k->s, sim_now_us(k->s) + 100 * MS);
            ok = converged(k, &probe, why, sizeof why);
        }
        if (k->violation[0]) fail(k, "invariant violated: %s", k->violation);
        else if (!ok) fail(k, "KRaft liveness: 120 s after healing: %s", why);
    }
    if (!k->res->failed) audit_logs(k);
    out->sim_ms += sim_now_us(k->s) / MS;
    trace_unlisten(sim_trace(k->s), on_trace, k);
    cluster_free(k->c);
    free(k);
}
