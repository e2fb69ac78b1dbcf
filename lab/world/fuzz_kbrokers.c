/* fuzz_kbrokers: the KRaft world with brokers a share of the seeds runs
 * (fuzz.c builds and drives it as it does the ZooKeeper world): its boot
 * and liveness conditions, and the audit of every broker's applied
 * metadata against the committed __cluster_metadata log (meta_check).
 * raft_check (one leader per epoch, committed logs never diverge) and
 * kafka_check (one leader per partition epoch, HW never back within an
 * epoch, the ledger) listen to every KRaft world cluster_new builds. */
#include "fuzz_int.h"
#include "kctl_ctrl.h"
#include "meta_check.h"
#include "raft.h"

#include <stdio.h>

/* Booted: a controller is active and every broker has registered and
 * been unfenced (it caught up with the log: BrokerHeartbeatManager). */
bool fz_kraft_booted(fz_run *r, char *why, size_t cap)
{
    if (!kafka_world_kraft_active(r->kw)) {
        snprintf(why, cap, "no active controller");
        return false;
    }
    for (int i = 0; i < kafka_world_count(r->kw); i++) {
        int id = kafka_broker_id(kafka_world_broker(r->kw, i));
        if (!kafka_world_kraft_unfenced(r->kw, id)) {
            snprintf(why, cap, "broker %d not registered and unfenced", id);
            return false;
        }
    }
    return true;
}

/* The quorum has a leader every voter follows in its epoch. */
static bool quorum_live(fz_run *r, raft_quorum_info *qi, char *why, size_t cap)
{
    raft_quorum_info_get(cluster_quorum(r->c), qi);
    if (qi->leader_id < 0) { snprintf(why, cap, "no controller leads the quorum"); return false; }
    for (int i = 0; i < qi->size; i++) {
        const raft_info *v = &qi->voters[i].r;
        if (v->state != RAFT_LEADER && (v->state != RAFT_FOLLOWER || v->leader_id != qi->leader_id ||
                                        v->epoch != qi->epoch)) {
            snprintf(why, cap, "ctl%d is %s in epoch %d, ctl%d leads epoch %d", v->node_id,
                     raft_state_name(v->state), (int)v->epoch, qi->leader_id, (int)qi->epoch);
            return false;
        }
    }
    return true;
}

/* The active controller's committed image, NULL when none is active. */
static const kmeta_image *active_image(fz_run *r)
{
    for (int i = 0; i < r->st.controllers; i++) {
        kctl_ctrl *c = cluster_ctl(r->c, i);
        if (sim_node_status(r->s, r->nodes[i]) == NODE_UP && kctl_ctrl_active(c))
            return kctl_ctrl_image(c);
    }
    return NULL;
}

/* Every broker (the one that joined too) registered, unfenced, and has
 * applied the log as far as the active controller. */
static bool brokers_live(fz_run *r, char *why, size_t cap)
{
    const kmeta_image *ci = active_image(r);
    if (!ci) { snprintf(why, cap, "no active controller"); return false; }
    for (int i = 0; i < kafka_world_count(r->kw); i++) {
        kafka_broker *b = kafka_world_broker(r->kw, i);
        int id = kafka_broker_id(b);
        const kmeta_image *bi = kafka_broker_kraft_image(b);
        if (!kafka_world_kraft_unfenced(r->kw, id)) {
            snprintf(why, cap, "broker %d is not registered and unfenced", id);
            return false;
        }
        /* behind with another state: records it has not applied (an
         * offset apart with the same state is a control record one side
         * holds as a snapshot's last offset) */
        char diff[8];
        if (kmeta_image_offset(bi) != kmeta_image_offset(ci) &&
            !meta_check_same_state(bi, ci, diff, sizeof diff)) {
            snprintf(why, cap, "broker %d applied the metadata log to offset %lld, the "
                     "active controller to %lld", id, (long long)kmeta_image_offset(bi),
                     (long long)kmeta_image_offset(ci));
            return false;
        }
    }
    return true;
}

bool fz_kraft_live(fz_run *r, char *why, size_t cap)
{
    raft_quorum_info qi;
    return quorum_live(r, &qi, why, cap) && brokers_live(r, why, cap) &&
           fz_partitions_live(r, why, cap);
}

static bool log_entry(void *ctx, int64_t o, bool *control, const uint8_t **d, size_t *n)
{
    return raft_entry(ctx, o, NULL, control, d, n);
}

/* One node's applied image against the leader's committed log (which pins
 * its offset), and a broker's (caught up: brokers_live) against the active
 * controller's state. */
static void check_image(fz_run *r, const char *who, const kmeta_image *img,
                        raft *leader, int64_t hw, const kmeta_image *active)
{
    char why[256];
    meta_verdict v = meta_check_prefix(img, hw, log_entry, leader, why, sizeof why);
    if (v == META_DIVERGED)
        fz_fail(r, "invariant violated: KRaft: %s's applied metadata is not a prefix of "
                "the committed log: %s", who, why);
    else if (active && !meta_check_same_state(img, active, why, sizeof why))
        fz_fail(r, "invariant violated: KRaft: %s's applied metadata differs from the "
                "active controller's: %s", who, why);
}

/* During the run: each running broker's image against the log of the
 * voter that knows the most of it committed (a voter's log below its own
 * high watermark is committed). A broker ahead of every voter's known
 * high watermark (they restarted and have not learnt it again) waits for
 * the next look. Every FZ_META_LOOK_MS while the faults go on. */
#define FZ_META_LOOK_MS 5000ull

static void look_ev(void *ctx, uint64_t arg)
{
    fz_run *r = ctx;
    (void)arg;
    if (r->healed || r->res->failed) return;
    raft_quorum *q = cluster_quorum(r->c);
    raft *best = NULL;
    int64_t hw = -1;
    for (int i = 0; i < r->st.controllers; i++) {
        raft_info ri;
        raft_info_get(raft_quorum_raft(q, i), &ri);
        if (ri.high_watermark > hw) {
            hw = ri.high_watermark;
            best = raft_quorum_raft(q, i);
        }
    }
    const kmeta_image *imgs[META_CHECK_MAX];
    int ids[META_CHECK_MAX], n = 0, bad;
    for (int i = 0; best && i < kafka_world_count(r->kw) && n < META_CHECK_MAX; i++) {
        kafka_broker *b = kafka_world_broker(r->kw, i);
        const kmeta_image *img = kafka_broker_kraft_image(b);
        if (sim_node_status(r->s, kafka_broker_node(b)) == NODE_DOWN ||
            kmeta_image_offset(img) >= hw)
            continue;
        ids[n] = kafka_broker_id(b);
        imgs[n++] = img;
    }
    char why[256];
    if (n && meta_check_prefixes(imgs, n, hw, log_entry, best, &bad, why, sizeof why) ==
                 META_DIVERGED)
        fz_fail(r, "invariant violated: KRaft: broker %d's applied metadata is not a "
                "prefix of the committed log: %s", ids[bad], why);
    r->res->meta_looks++;
    sim_at(r->s, FZ_META_LOOK_MS * 1000ull, look_ev, r, 0);
}

void fz_kraft_watch_metadata(fz_run *r)
{
    sim_at(r->s, FZ_META_LOOK_MS * 1000ull, look_ev, r, 0);
}

void fz_kraft_audit_metadata(fz_run *r)
{
    raft_quorum_info qi;
    char why[256];
    const kmeta_image *ci = active_image(r);
    if (!quorum_live(r, &qi, why, sizeof why) || !ci) {
        fz_fail(r, "audit: the quorum lost its leader after liveness held: %s", why);
        return;
    }
    raft *leader = raft_quorum_raft(cluster_quorum(r->c), qi.leader_id - 1);
    char who[32];
    for (int i = 0; i < kafka_world_count(r->kw) && !r->res->failed; i++) {
        kafka_broker *b = kafka_world_broker(r->kw, i);
        snprintf(who, sizeof who, "broker %d", kafka_broker_id(b));
        check_image(r, who, kafka_broker_kraft_image(b), leader, qi.high_watermark, ci);
    }
    for (int i = 0; i < r->st.controllers && !r->res->failed; i++) {
        snprintf(who, sizeof who, "ctl%d", i + 1);
        check_image(r, who, kctl_ctrl_image(cluster_ctl(r->c, i)), leader,
                    qi.high_watermark, NULL);
    }
}

/* A silent active controller (isolated or paused: no connection reset,
 * unlike a crash): the others elect a leader, and every broker, an
 * observer, must find it by itself (its Fetch times out, then it asks a
 * random voter: KafkaRaftClient.pollFollowerAsObserver,
 * maybeSendAnyVoterFetch) and heartbeat there (RaftControllerNodeProvider).
 * A bound, not "no broker fenced": a broker that draws the silent voter
 * try after try may be fenced in Kafka too. */
#define FZ_SILENT_BOUND_MS 30000ull

static bool brokers_follow_new(fz_run *r, char *why, size_t cap)
{
    int act = cluster_active_ctl(r->c);
    if (act < 0 || act == r->silent) {
        snprintf(why, cap, "no new active controller");
        return false;
    }
    int node = raft_quorum_nodes(cluster_quorum(r->c))[act];
    for (int i = 0; i < kafka_world_count(r->kw); i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(r->kw, i), &bi);
        if (bi.ctrl_node != node) {
            snprintf(why, cap, "broker %d sends to %s, ctl%d is active", bi.id,
                     bi.ctrl_node >= 0 ? sim_node_name(r->s, bi.ctrl_node) : "no controller",
                     act + 1);
            return false;
        }
    }
    return true;
}

void fz_kraft_silent_controller(fz_run *r)
{
    if (r->st.controllers < 3) return;          /* no majority without it */
    r->silent = cluster_active_ctl(r->c);
    if (r->silent < 0) return;
    rng g;
    rng_seed(&g, r->seed ^ 0x73696c656e74ull);  /* "silent": a stream of its own */
    bool pause = rng_chance(&g, 1, 2);
    int node = raft_quorum_nodes(cluster_quorum(r->c))[r->silent];
    if (pause) cluster_pause(r->c, node, 0);
    else cluster_isolate(r->c, node);
    char why[256];
    if (!fz_wait_for(r, FZ_SILENT_BOUND_MS, brokers_follow_new, why, sizeof why)) {
        fz_fail(r, "KRaft liveness: ctl%d %s, after %llu s: %s", r->silent + 1,
                pause ? "paused" : "isolated", FZ_SILENT_BOUND_MS / 1000, why);
        return;
    }
    if (pause) cluster_resume(r->c, node);
    else cluster_heal(r->c);
    if (!fz_wait_for(r, FUZZ_LIVE_BOUND_S * 1000ull, fz_kraft_live, why, sizeof why))
        fz_fail(r, "KRaft liveness: %d s after ctl%d came back: %s", FUZZ_LIVE_BOUND_S,
                r->silent + 1, why);
}
