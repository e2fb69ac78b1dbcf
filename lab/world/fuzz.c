/* fuzz: one seed's run (boot, safety phase with the drawn faults, heal,
 * liveness phase, final audits) and the loop over seeds. The checkers of
 * the ensemble (zk_check) and of the brokers (kafka_check) are on in every
 * world cluster_new builds; this file listens for their violations and
 * adds the checks that need the whole run's view. */
#include "fuzz_int.h"
#include "util.h"
#include "zk_server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000ull
#define BOOT_BOUND_MS 60000ull      /* a fault-free boot takes far less */
#define STEP_MS 250ull              /* how often conditions are polled */

/* --- listening to the trace --- */

static void on_trace(void *ctx, const trace_event *ev)
{
    fz_run *r = ctx;
    if (ev->kind == TR_VIOLATION) {
        if (!r->violation[0])
            snprintf(r->violation, sizeof r->violation, "%s", ev->text);
    } else if (ev->kind == TR_SESSION_NEW && ev->peer >= 0) {
        for (int i = 0; i < r->nsess; i++)
            if (r->sess[i].id == (int64_t)ev->a) return;
        VEC_GROW(r->sess, r->nsess, r->capsess);
        r->sess[r->nsess++] = (fz_session){
            .id = (int64_t)ev->a, .host = ev->peer,
            .incarnation = sim_node_incarnation(r->s, ev->peer),
        };
    } else if (ev->kind == TR_SESSION_CLOSE) {
        for (int i = 0; i < r->nsess; i++)
            if (r->sess[i].id == (int64_t)ev->a) r->sess[i].closed = true;
    }
}

/* A session that can never be used again: closed, or its process died
 * (a restarted process opens a new session). */
static bool session_dead(fz_run *r, const fz_session *x)
{
    return x->closed || sim_node_status(r->s, x->host) == NODE_DOWN ||
           sim_node_incarnation(r->s, x->host) != x->incarnation;
}

/* Runs until t_us; false when the run must end (a failure or violation). */
static bool run_to(fz_run *r, uint64_t t_us)
{
    sim_run_until(r->s, t_us);
    if (r->violation[0]) fz_fail(r, "invariant violated: %s", r->violation);
    return !r->res->failed;
}

bool fz_wait_for(fz_run *r, uint64_t bound_ms, fz_cond_fn cond, char *why, size_t cap)
{
    uint64_t end = sim_now_us(r->s) + bound_ms * MS;
    for (;;) {
        if (cond(r, why, cap)) return true;
        if (sim_now_us(r->s) >= end) return false;
        if (!run_to(r, sim_now_us(r->s) + STEP_MS * MS)) return false;
    }
}

/* --- the workload clock and the faults --- */

static void tick_ev(void *ctx, uint64_t arg)
{
    fz_run *r = ctx;
    if (!r->working) return;
    fz_work_tick(r);
    sim_at(r->s, rng_range(&r->wr, 50, 300) * MS, tick_ev, r, 0);
}

static void restart_ev(void *ctx, uint64_t i)
{
    fz_run *r = ctx;
    if (r->healed || sim_node_status(r->s, r->nodes[i]) != NODE_DOWN) return;
    cluster_restart(r->c, r->nodes[i]);
}

/* A clean stop is over (the world kills a broker whose stop outlives its
 * bound): the restart the fault drew comes that much later. */
static void stop_over(void *ctx, cluster *c, int node, bool clean)
{
    fz_run *r = ctx;
    (void)c;
    (void)clean;
    for (int i = 0; i < r->nnodes; i++)
        if (r->nodes[i] == node && r->stop_restart_ms[i] && !r->healed)
            sim_at(r->s, (uint64_t)r->stop_restart_ms[i] * MS, restart_ev, r,
                   (uint64_t)i);
}

static void fault_ev(void *ctx, uint64_t idx)
{
    fz_run *r = ctx;
    const fz_fault *f = &r->st.faults[idx];
    if (r->healed) return;
    r->res->faults++;
    /* a and b name fuzzed nodes except where fz_kind says otherwise */
    bool nodes = f->kind != FZ_CLIENT_KILL && f->kind != FZ_CLIENT_CLOSE;
    int a = nodes ? r->nodes[f->a] : -1;
    int b = f->kind == FZ_CUT || f->kind == FZ_LINK ? r->nodes[f->b] : -1;
    switch (f->kind) {
    case FZ_CRASH:
        cluster_kill(r->c, a);
        if (f->b) sim_at(r->s, (uint64_t)f->b * MS, restart_ev, r, (uint64_t)f->a);
        break;
    case FZ_STOP:
        if (sim_node_status(r->s, a) != NODE_UP) break;
        r->stop_restart_ms[f->a] = (uint32_t)f->b;
        cluster_stop(r->c, a, stop_over, r, NULL, 0);    /* false: stopping */
        break;
    case FZ_PAUSE:
        cluster_pause(r->c, a, (uint64_t)f->b * MS);
        break;
    case FZ_ISOLATE:
        cluster_isolate(r->c, a);
        break;
    case FZ_SPLIT: {
        int s0[32], s1[32], n0 = 0, n1 = 0;
        for (int i = 0; i < r->nnodes; i++) {
            if ((f->b >> i) & 1) s1[n1++] = r->nodes[i];
            else s0[n0++] = r->nodes[i];
        }
        cluster_split(r->c, s0, n0, s1, n1);
        break;
    }
    case FZ_CUT:
        net_cut(sim_net(r->s), a, b, true);
        trace_emit(sim_trace(r->s), TR_FAULT, a, b, 0, 0, "cut %s -> %s",
                   sim_node_name(r->s, a), sim_node_name(r->s, b));
        break;
    case FZ_LINK:
        cluster_link(r->c, a, b, f->c, 0, (uint64_t)f->d * MS);
        break;
    case FZ_HEAL:
        cluster_heal(r->c);
        break;
    case FZ_CLIENT_KILL:
    case FZ_CLIENT_CLOSE:
        fz_client_fault(r, f->a, f->kind == FZ_CLIENT_KILL);
        break;
    default:
        break;
    }
}

/* A reassignment, asked as kafka-reassign-partitions would; skipped while
 * the admin client is busy. Its answer is not checked: a target on a
 * broker that is down is refused, as Kafka refuses it. */
static void move_ev(void *ctx, uint64_t idx)
{
    fz_run *r = ctx;
    const fz_move *m = &r->st.moves[idx];
    kafka_client *adm = kafka_world_admin(r->kw);
    if (r->healed || kafka_client_busy(adm)) return;
    int ids[3];
    for (int k = 0; k < m->n; k++)
        ids[k] = kafka_broker_id(kafka_world_broker(r->kw, m->ids[k]));
    kafka_client_reassign(adm, r->st.topics[m->topic].name, m->part, ids, m->n);
}

/* A broker joins the running world, as lab.add_broker: it is healed and
 * restarted like the others, and the liveness phase wants it registered
 * with the controller (faults drawn before it never name it). */
static void join_ev(void *ctx, uint64_t arg)
{
    fz_run *r = ctx;
    (void)arg;
    char err[160];
    if (r->healed || r->nnodes >= (int)QL_ARRAY_LEN(r->nodes)) return;
    int node = cluster_add_broker(r->c, cluster_next_broker_id(r->c), NULL, err, sizeof err);
    if (node < 0) {
        fz_fail(r, "a broker could not join: %s", err);
        return;
    }
    r->joined = node;
    r->nodes[r->nnodes++] = node;
    r->res->joins++;
}

/* Everything back: links, paused and downed processes (clients killed on
 * purpose stay dead: their sessions must expire). */
static void heal_all(fz_run *r)
{
    r->healed = true;
    r->working = false;
    cluster_heal(r->c);
    for (int i = 0; i < r->nnodes; i++) {
        node_status st = sim_node_status(r->s, r->nodes[i]);
        /* a broker still in its clean stop (paused or not) ends it by
         * exiting; restart it rather than let it go down after healing */
        if (cluster_stopping(r->c, r->nodes[i]) || st == NODE_DOWN)
            cluster_restart(r->c, r->nodes[i]);
        else if (st == NODE_PAUSED) cluster_resume(r->c, r->nodes[i]);
    }
}

/* --- conditions --- */

static bool booted(fz_run *r, char *why, size_t cap)
{
    ensemble_info e;
    cluster_ensemble(r->c, &e);
    if (!e.serving) { snprintf(why, cap, "no serving ensemble leader"); return false; }
    if (!r->ready) { snprintf(why, cap, "the workload's znodes are not made"); return false; }
    for (int i = 0; i < kafka_world_count(r->kw); i++) {
        kafka_broker_info bi;
        kafka_broker_info_get(kafka_world_broker(r->kw, i), &bi);
        if (!bi.registered) { snprintf(why, cap, "broker %d not registered", bi.id); return false; }
    }
    if (kafka_world_controller(r->kw) < 0) { snprintf(why, cap, "no controller"); return false; }
    return true;
}

static bool admin_idle(fz_run *r, char *why, size_t cap)
{
    snprintf(why, cap, "the admin request is unanswered");
    return !kafka_client_busy(kafka_world_admin(r->kw));
}

static bool topics_led(fz_run *r, char *why, size_t cap)
{
    for (int t = 0; t < r->st.ntopics; t++)
        for (int p = 0; p < r->st.topics[t].parts; p++) {
            kafka_pstate ps;
            int n;
            if (!kafka_world_pstate(r->kw, r->st.topics[t].name, p, &ps, &n) ||
                ps.leader < 0) {
                snprintf(why, cap, "%s-%d has no leader", r->st.topics[t].name, p);
                return false;
            }
        }
    return true;
}

static void probe_done(void *ctx, const zk_result *res)
{
    fz_run *r = ctx;
    if (res->err == ZOK) r->res->zk_writes++;
    /* the probe reports through its own slot: see ensemble_live */
    r->cl[FZ_CLIENTS_MAX - 1].busy = false;
    r->cl[FZ_CLIENTS_MAX - 1].setup = res->err == ZOK;
}

/* The ensemble has a leader every server follows, and it serves a write
 * made after healing (the probe session). */
static bool ensemble_live(fz_run *r, char *why, size_t cap)
{
    ensemble_info e;
    cluster_ensemble(r->c, &e);
    if (!e.serving) { snprintf(why, cap, "no serving ensemble leader"); return false; }
    for (int i = 0; i < e.size; i++)
        if (e.servers[i].state != ZK_LEADING && e.servers[i].state != ZK_FOLLOWING) {
            snprintf(why, cap, "zk%d is %s", i + 1, zk_state_name(e.servers[i].state));
            return false;
        }
    fz_client *probe = &r->cl[FZ_CLIENTS_MAX - 1];
    if (probe->setup) return true;
    if (!probe->busy) {
        probe->busy = true;
        zk_create(probe->zc, "/fuzz/probe-", NULL, 0, ZF_SEQUENTIAL, probe_done, r);
    }
    snprintf(why, cap, "no write acknowledged since healing");
    return false;
}

bool fz_partitions_live(fz_run *r, char *why, size_t cap)
{
    /* KRaft: the active controller's image is the registry */
    if (r->kraft ? !kafka_world_kraft_active(r->kw) : kafka_world_controller(r->kw) < 0) {
        snprintf(why, cap, "no %scontroller", r->kraft ? "active " : "");
        return false;
    }
    for (int t = 0; t < r->st.ntopics; t++)
        for (int p = 0; p < r->st.topics[t].parts; p++) {
            const char *name = r->st.topics[t].name;
            kafka_pstate ps;
            int n;
            kafka_replica_info li, ri;
            if (!kafka_world_pstate(r->kw, name, p, &ps, &n) || ps.leader < 0) {
                snprintf(why, cap, "%s-%d has no leader (leader epoch %d, ISR of %d, "
                         "replicas %d..)", name, p, ps.leader_epoch, ps.nisr,
                         ps.nrep ? ps.replicas[0] : -1);
                return false;
            }
            kafka_broker *lb = kafka_world_by_id(r->kw, ps.leader);
            if (!lb || !kafka_broker_replica(lb, name, p, &li) || !li.leader) {
                snprintf(why, cap, "%s-%d: broker %d does not lead it yet", name, p, ps.leader);
                return false;
            }
            if (li.hw != li.leo) {
                snprintf(why, cap, "%s-%d: leader %d HW %lld below its log end %lld",
                         name, p, ps.leader, (long long)li.hw, (long long)li.leo);
                return false;
            }
            for (int k = 0; k < ps.nrep; k++) {
                kafka_broker *b = kafka_world_by_id(r->kw, ps.replicas[k]);
                if (!b || !kafka_broker_replica(b, name, p, &ri) || ri.leo != li.leo) {
                    snprintf(why, cap, "%s-%d: replica %d has not caught up with "
                             "leader %d (log end %lld)", name, p, ps.replicas[k],
                             ps.leader, (long long)li.leo);
                    return false;
                }
            }
        }
    return true;
}

/* No ephemeral znode of a dead session on the leader, nor on a server
 * that has applied as much as the leader. */
static bool ephemerals_gone(fz_run *r, char *why, size_t cap)
{
    ensemble_info e;
    cluster_ensemble(r->c, &e);
    if (!e.leader_sid) { snprintf(why, cap, "no leader"); return false; }
    uint64_t last = e.servers[e.leader_sid - 1].last_zxid;
    for (int i = 0; i < e.size; i++) {
        if (e.servers[i].last_zxid != last || e.servers[i].state == ZK_DOWN) continue;
        const ztree *t = zk_server_tree(cluster_zk(r->c, i + 1));
        for (int k = 0; k < r->nsess; k++) {
            if (!session_dead(r, &r->sess[k])) continue;
            char **paths;
            int n = ztree_ephemerals(t, r->sess[k].id, &paths);
            if (n > 0)
                snprintf(why, cap, "zk%d still holds %s of dead session 0x%llx (%s)",
                         i + 1, paths[0], (unsigned long long)r->sess[k].id,
                         sim_node_name(r->s, r->sess[k].host));
            ztree_free_names(paths, n);
            if (n > 0) return false;
        }
    }
    return true;
}

/* Every reassignment finished: the topic znodes name no adding or
 * removing replicas. */
static bool moves_done(fz_run *r, char *why, size_t cap)
{
    for (int t = 0; t < r->st.ntopics; t++)
        for (int p = 0; p < r->st.topics[t].parts; p++) {
            int add[KAFKA_RF_MAX], rem[KAFKA_RF_MAX], na, nr;
            if (kafka_world_moving(r->kw, r->st.topics[t].name, p, add, &na, rem, &nr)) {
                snprintf(why, cap, "%s-%d is still being reassigned (adding %d, removing %d)",
                         r->st.topics[t].name, p, na ? add[0] : -1, nr ? rem[0] : -1);
                return false;
            }
        }
    return true;
}

/* The broker that joined is up, registered and known to the controller
 * (KafkaController's BrokerChangeHandler read it). */
static bool joined_live(fz_run *r, char *why, size_t cap)
{
    if (r->joined < 0) return true;
    kafka_broker *b = kafka_world_by_node(r->kw, r->joined);
    int ctrl = kafka_world_controller(r->kw);
    kafka_broker *cb = ctrl >= 0 ? kafka_world_by_id(r->kw, ctrl) : NULL;
    kafka_broker_info bi;
    kafka_broker_info_get(b, &bi);
    if (bi.registered && cb && kafka_broker_ctrl_sees(cb, bi.id)) return true;
    snprintf(why, cap, "broker %d joined but the controller does not count it", bi.id);
    return false;
}

static bool live(fz_run *r, char *why, size_t cap)
{
    return ensemble_live(r, why, cap) && moves_done(r, why, cap) &&
           fz_partitions_live(r, why, cap) && ephemerals_gone(r, why, cap) &&
           joined_live(r, why, cap);
}

/* --- final audits --- */

static void audit_znodes(fz_run *r)
{
    ensemble_info e;
    cluster_ensemble(r->c, &e);
    const ztree *t = zk_server_tree(cluster_zk(r->c, e.leader_sid));
    for (int i = 0; i < r->nledger; i++)
        if (!ztree_exists(t, r->ledger[i])) {
            fz_fail(r, "acknowledged znode lost: %s (created before healing, "
                    "missing from leader zk%d)", r->ledger[i], e.leader_sid);
            return;
        }
}

static const fz_topic *topic_of(const fz_run *r, const char *name)
{
    for (int i = 0; i < r->st.ntopics; i++)
        if (strcmp(r->st.topics[i].name, name) == 0) return &r->st.topics[i];
    return NULL;
}

/* Safe settings: acks=all, min.insync.replicas >= 2, unclean off. */
static void audit_records(fz_run *r)
{
    kafka_audit a;
    kafka_check_audit(kafka_world_check(r->kw), kafka_world_committed, r->kw, &a);
    r->res->acked += a.acked;        /* both modes' runs of a seed */
    const kafka_lost *first = NULL, *first_safe = NULL;
    for (size_t i = 0; i < a.nrecords; i++) {
        const kafka_lost *l = &a.records[i];
        if (l->unavailable) continue;
        const fz_topic *t = topic_of(r, l->topic);
        r->res->lost++;
        if (!first) first = l;
        if (l->acks < 0 && t && t->min_isr >= 2 && !t->unclean) {
            r->res->lost_safe++;
            if (!first_safe) first_safe = l;
        }
    }
    const kafka_lost *bad = r->unsafe ? first : first_safe;
    if (bad)
        fz_fail(r, "acknowledged record lost: %s-%d offset %lld (acks=%s; %llu "
                "of %zu acked records lost%s)", bad->topic, bad->p,
                (long long)bad->offset, bad->acks < 0 ? "all" : "1",
                (unsigned long long)(r->unsafe ? r->res->lost : r->res->lost_safe),
                a.acked, r->unsafe ? ", unsafe settings" : " under safe settings");
    else if (a.unavailable)
        fz_fail(r, "%zu acknowledged records in offline partitions after "
                "liveness held", a.unavailable);
    kafka_audit_free(&a);
}

/* --- one seed --- */

static void create_topics(fz_run *r, char *why, size_t cap)
{
    kafka_client *adm = kafka_world_admin(r->kw);
    for (int i = 0; i < r->st.ntopics && !r->res->failed; i++) {
        const fz_topic *t = &r->st.topics[i];
        /* the controller may not count every registered broker yet: a
         * replication factor above its count is retried a few times */
        for (int attempt = 0; attempt < 5 && !r->res->failed; attempt++) {
            kafka_client_admin(adm, 1, t->name, t->parts, t->rf, t->min_isr, t->unclean);
            if (!fz_wait_for(r, 30000, admin_idle, why, cap)) {
                fz_fail(r, "boot: creating %s: %s", t->name, why);
                break;
            }
            kerr e = kafka_client_admin_result(adm);
            if (e == KERR_NONE || (attempt > 0 && e == KERR_TOPIC_ALREADY_EXISTS)) break;
            if ((e != KERR_INVALID_REPLICATION_FACTOR && !kerr_retriable(e)) || attempt == 4)
                fz_fail(r, "boot: creating %s: %s", t->name, kerr_name(e));
            else
                run_to(r, sim_now_us(r->s) + 1000 * MS);
        }
    }
    if (!r->res->failed && !fz_wait_for(r, 30000, topics_led, why, cap))
        fz_fail(r, "boot: %s", why);
}

void fuzz_seed(uint64_t seed, bool unsafe, fuzz_result *out)
{
    fuzz_seed_trace(seed, unsafe, NULL, out);
}

/* The world of the drawn settings: an ensemble or a controller quorum,
 * then the brokers; r->nodes lists them in the order faults name them. */
static void build(fz_run *r, FILE *jsonl)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.seed = r->seed;
    cfg.brokers = r->st.brokers;
    if (r->kraft) {
        cfg.mode = CLUSTER_KRAFT;
        cfg.controllers = r->st.controllers;
        fuzz_kraft_small_snapshots(&cfg.raft, r->seed);
    } else {
        cfg.zookeepers = r->st.zookeepers;
        cfg.kafka.session_timeout_ms = r->st.broker_session_ms;
    }
    char why[256] = "";
    r->c = cluster_new(&cfg, why, sizeof why);
    QL_ASSERT(r->c);
    r->s = cluster_sim(r->c);
    r->kw = cluster_kafka(r->c);
    trace_listen(sim_trace(r->s), on_trace, r);
    if (jsonl) trace_set_jsonl(sim_trace(r->s), jsonl);
    if (r->kraft)
        for (int i = 0; i < cfg.controllers; i++)
            r->nodes[r->nnodes++] = raft_quorum_nodes(cluster_quorum(r->c))[i];
    for (int i = 0; i < cfg.zookeepers && !r->kraft; i++)
        r->nodes[r->nnodes++] = cluster_zk_nodes(r->c)[i];
    for (int i = 0; i < kafka_world_count(r->kw); i++)
        r->nodes[r->nnodes++] = kafka_broker_node(kafka_world_broker(r->kw, i));
}

/* The liveness phase of a ZooKeeper world: a fresh session probes the
 * ensemble after healing. */
static void zk_liveness(fz_run *r, char *why, size_t cap)
{
    fz_client *probe = &r->cl[FZ_CLIENTS_MAX - 1];
    if (r->ncl < FZ_CLIENTS_MAX) {
        int sids[CLUSTER_ZK_MAX];
        for (int i = 0; i < r->st.zookeepers; i++) sids[i] = i + 1;
        probe->zc = cluster_zk_client(r->c, sids, r->st.zookeepers, 10000, &probe->node);
        r->ncl = FZ_CLIENTS_MAX;    /* no replacements from here on */
    }
    if (!probe->zc)
        fz_fail(r, "no room for the liveness probe");
    else if (!fz_wait_for(r, FUZZ_LIVE_BOUND_S * 1000ull, live, why, cap))
        fz_fail(r, "liveness: %d s after healing: %s", FUZZ_LIVE_BOUND_S, why);
}

/* Boot, the safety phase with the faults, heal, liveness, the audits. */
static void run_seed(fz_run *r, FILE *jsonl)
{
    char why[256] = "";
    build(r, jsonl);
    fz_work_start(r);
    r->working = true;
    tick_ev(r, 0);
    if (!fz_wait_for(r, BOOT_BOUND_MS, r->kraft ? fz_kraft_booted : booted, why, sizeof why))
        fz_fail(r, "boot: within %llu s: %s", BOOT_BOUND_MS / 1000, why);
    if (!r->res->failed) create_topics(r, why, sizeof why);
    r->topics_ready = true;

    uint64_t t0 = sim_now_us(r->s);
    for (int i = 0; i < r->st.nfaults && !r->res->failed; i++)
        sim_at(r->s, r->st.faults[i].at_ms * MS, fault_ev, r, (uint64_t)i);
    for (int i = 0; i < r->st.nmoves && !r->res->failed; i++)
        sim_at(r->s, r->st.moves[i].at_ms * MS, move_ev, r, (uint64_t)i);
    if (r->st.join && !r->res->failed)
        sim_at(r->s, r->st.join_at_ms * MS, join_ev, r, 0);
    if (r->kraft && !r->res->failed) fz_kraft_watch_metadata(r);
    if (!r->res->failed && run_to(r, t0 + r->st.safety_ms * MS)) {
        heal_all(r);
        if (!r->kraft) zk_liveness(r, why, sizeof why);
        else if (!fz_wait_for(r, FUZZ_LIVE_BOUND_S * 1000ull, fz_kraft_live, why, sizeof why))
            fz_fail(r, "KRaft liveness: %d s after healing: %s", FUZZ_LIVE_BOUND_S, why);
    }
    if (!r->res->failed && !r->kraft) audit_znodes(r);
    if (!r->res->failed && r->kraft) fz_kraft_audit_metadata(r);
    if (!r->res->failed && r->kraft) fz_kraft_silent_controller(r);
    if (!r->res->failed) audit_records(r);
    r->res->sim_ms += sim_now_us(r->s) / MS;
    trace_unlisten(sim_trace(r->s), on_trace, r);
    cluster_free(r->c);
    fz_work_free(r);
}

static fz_run *run_new(uint64_t seed, bool unsafe, bool kraft, fuzz_result *out)
{
    fz_run *r = xcalloc(1, sizeof *r);
    r->seed = seed;
    r->unsafe = unsafe;
    r->kraft = kraft;
    r->res = out;
    r->joined = -1;
    if (kraft) fz_draw_kraft(seed, unsafe, &r->st);
    else fz_draw(seed, unsafe, &r->st);
    fz_describe(&r->st, out->settings, sizeof out->settings);
    rng_seed(&r->wr, seed ^ (kraft ? 0x6b776f726b6c6f61ull : 0x9e3779b97f4a7c15ull));
    return r;
}

void fuzz_seed_trace(uint64_t seed, bool unsafe, FILE *jsonl, fuzz_result *out)
{
    memset(out, 0, sizeof *out);
    fz_run *r = run_new(seed, unsafe, false, out);
    run_seed(r, jsonl);
    free(r);
}

void fuzz_kbrokers_seed(uint64_t seed, bool unsafe, FILE *jsonl, fuzz_result *out)
{
    fz_run *r = run_new(seed, unsafe, true, out);
    out->kraft_worlds++;
    run_seed(r, jsonl);
    free(r);
}

int fuzz_main(const fuzz_opts *o, const char *argv0)
{
    FILE *f = o->out ? o->out : stdout;
    uint64_t failed = 0, acked = 0, writes = 0, reads = 0, lost = 0, faults = 0;
    uint64_t n = 0, elections = 0, committed = 0, worlds = 0, looks = 0;
    fuzz_result *res = xmalloc(sizeof *res);
    for (; n < o->count; n++) {
        uint64_t seed = o->first_seed + n;
        fuzz_seed_trace(seed, o->unsafe, o->jsonl, res);
        if (!res->failed) {     /* then the seed's KRaft runs */
            memset(res->settings, 0, sizeof res->settings);
            fuzz_kraft_seed(seed, o->jsonl, res);
        }
        if (!res->failed && fz_kraft_drawn(seed))
            fuzz_kbrokers_seed(seed, o->unsafe, o->jsonl, res);
        elections += res->kraft_elections;
        committed += res->kraft_committed;
        worlds += res->kraft_worlds;
        looks += res->meta_looks;
        acked += res->acked;
        writes += res->zk_writes;
        reads += res->watch_reads;
        lost += res->lost;
        faults += res->faults;
        if (res->failed) {
            failed++;
            fprintf(f, "seed %llu FAILED: %s\n%s  replay: %s --fuzz 1 --seed %llu%s\n",
                    (unsigned long long)seed, res->why, res->settings, argv0,
                    (unsigned long long)seed, o->unsafe ? " --fuzz-unsafe" : "");
            if (!o->keep_going) { n++; break; }
        }
        if ((n + 1) % 1000 == 0)
            fprintf(f, "  %llu seeds, %llu failed\n", (unsigned long long)n + 1,
                    (unsigned long long)failed);
    }
    free(res);
    fprintf(f, "fuzz: %llu seeds from %llu%s: %llu failed; %llu faults, %llu zk "
            "writes, %llu watched reads checked, %llu acked records audited, "
            "%llu lost; KRaft: %llu elections, %llu records committed, %llu "
            "worlds with brokers, %llu looks at their metadata\n",
            (unsigned long long)n, (unsigned long long)o->first_seed,
            o->unsafe ? " (unsafe settings)" : "", (unsigned long long)failed,
            (unsigned long long)faults, (unsigned long long)writes,
            (unsigned long long)reads, (unsigned long long)acked,
            (unsigned long long)lost, (unsigned long long)elections,
            (unsigned long long)committed, (unsigned long long)worlds,
            (unsigned long long)looks);
    return failed ? 1 : 0;
}
