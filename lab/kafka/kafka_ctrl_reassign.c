/* kafka_ctrl_reassign: moving a partition's replicas, as Kafka 2.8's
 * controller does for kafka-reassign-partitions and the
 * AlterPartitionReassignments request (KIP-455,
 * KafkaController.onPartitionReassignment). With ORS the original
 * replicas and TRS the target ones:
 *   U  the topic znode gets RS = TRS + ORS, adding = TRS - ORS, removing
 *      = ORS - TRS (written first, so a new controller can resume);
 *   A  while TRS is not all in the ISR: the leader epoch is bumped and
 *      every replica of RS gets LeaderAndIsr, so the new ones start
 *      fetching; the leader adds them to the ISR (AlterIsr) once caught up;
 *   B  then RS = TRS in memory; a leader outside TRS (or down) gives way
 *      to the first live TRS replica in the ISR, else its epoch is bumped
 *      (LeaderAndIsr to TRS); the removed replicas leave the ISR, get
 *      StopReplica (then StopReplica with delete), and the topic znode
 *      gets RS = TRS with no adding or removing; UpdateMetadata to all.
 * Each step that writes waits for its write; a write that loses (someone
 * wrote the state first) is re-read and the step is tried again. */
#include "kafka_ctrl_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    RA_UPDATE,      /* U: the topic znode with RS being written */
    RA_BUMP,        /* A1: the leader epoch bump being written */
    RA_REBUMP,      /* A1 lost to another write: made again once re-read */
    RA_WAIT,        /* A: waiting for TRS to be in the ISR */
    RA_LEAD,        /* B3: the leader move (or epoch bump) being written */
    RA_MOVED,       /* B3 done: the removed replicas leave the ISR next */
    RA_SHRINK,      /* B4: the ISR without them being written */
    RA_FINISH,      /* B6: the topic znode with RS = TRS being written */
};

struct creassign {
    int target[KAFKA_RF_MAX], ntarget;  /* TRS, in the order asked */
    int origin[KAFKA_RF_MAX], norigin;  /* ORS */
    int phase;                          /* RA_* */
    int from;                           /* who asked, -1: resumed */
    uint64_t corr;
};

static bool has(const int *l, int n, int id)
{
    for (int i = 0; i < n; i++)
        if (l[i] == id) return true;
    return false;
}

static creassign *ra_of(const ctopic *t, int p)
{
    return t->ra && p >= 0 && p < t->nparts ? t->ra[p] : NULL;
}

bool kc_reassigning(const ctopic *t) { return t->nra > 0; }

void kc_reassign_free(ctopic *t)
{
    if (!t->ra) return;
    for (int p = 0; p < t->nparts; p++) free(t->ra[p]);
    free(t->ra);
    t->ra = NULL;
    t->nra = 0;
}

/* RS = TRS followed by the ORS replicas not in TRS (ReplicaAssignment.reassignTo). */
static int full_set(const creassign *r, int *out)
{
    int n = 0;
    for (int i = 0; i < r->ntarget; i++) out[n++] = r->target[i];
    for (int i = 0; i < r->norigin; i++)
        if (!has(r->target, r->ntarget, r->origin[i])) out[n++] = r->origin[i];
    return n;
}

/* a minus b, in a's order */
static int minus(const int *a, int na, const int *b, int nb, int *out)
{
    int n = 0;
    for (int i = 0; i < na; i++)
        if (!has(b, nb, a[i])) out[n++] = a[i];
    return n;
}

static void put_ids(char *json, size_t cap, int *jn, const int *ids, int n)
{
    *jn += snprintf(json + *jn, cap - (size_t)*jn, "[");
    for (int j = 0; j < n; j++)
        *jn += snprintf(json + *jn, cap - (size_t)*jn, "%s%d", j ? "," : "", ids[j]);
    *jn += snprintf(json + *jn, cap - (size_t)*jn, "]");
}

/* One of the topic znode's maps: "partitions" (what each partition's
 * assignment is), "adding_replicas" or "removing_replicas" (those being
 * reassigned, until B2 makes TRS their assignment). */
static void put_map(const ctopic *t, int which, char *json, size_t cap, int *jn)
{
    static const char *const key[] = { "partitions", "adding_replicas", "removing_replicas" };
    *jn += snprintf(json + *jn, cap - (size_t)*jn, "%s\"%s\":{", which ? "," : "", key[which]);
    bool first = true;
    for (int p = 0; p < t->nparts; p++) {
        const creassign *r = ra_of(t, p);
        int ids[2 * KAFKA_RF_MAX], n;
        if (which == 0) {
            n = r && r->phase == RA_UPDATE ? full_set(r, ids) : t->st[p].nrep;
            if (!(r && r->phase == RA_UPDATE))
                for (int i = 0; i < n; i++) ids[i] = t->st[p].replicas[i];
        } else {
            if (!r || r->phase >= RA_LEAD) continue;
            n = which == 1 ? minus(r->target, r->ntarget, r->origin, r->norigin, ids)
                           : minus(r->origin, r->norigin, r->target, r->ntarget, ids);
        }
        *jn += snprintf(json + *jn, cap - (size_t)*jn, "%s\"%d\":", first ? "" : ",", p);
        put_ids(json, cap, jn, ids, n);
        first = false;
    }
    *jn += snprintf(json + *jn, cap - (size_t)*jn, "}");
}

/* The topic znode as the controller's context holds it
 * (KafkaController.updateReplicaAssignmentForPartition), written only
 * while this controller's epoch stands; p is the partition it is for.
 * Kafka writes it at any version; here the write is conditional on the
 * version last written, because the lab's ensemble does not refuse the
 * requests of a session that moved to another server (SESSIONMOVED): a
 * write whose answer was lost on a paused server could otherwise land
 * after the ones that followed it and bring back an older assignment. */
static void write_assignment(kafka_ctrl *c, int ti, int p)
{
    ctopic *t = c->topics[ti];
    size_t cap = (size_t)t->nparts * (size_t)(3 * KAFKA_RF_MAX * 12 + 48) + 256;
    char *json = xmalloc(cap);
    int jn = snprintf(json, cap, "{\"version\":3,\"topic_id\":\"%016llx\",",
                      (unsigned long long)t->id);
    for (int which = 0; which < 3; which++) put_map(t, which, json, cap, &jn);
    snprintf(json + jn, cap - (size_t)jn, "}");
    char path[ZPATH_MAX];
    snprintf(path, sizeof path, "/brokers/topics/%s", t->name);
    zop ops[2] = {
        { .type = ZOP_CHECK, .path = "/controller_epoch", .version = c->epoch_zkv },
        { .type = ZOP_SET, .path = path, .data = (const uint8_t *)json,
          .len = strlen(json), .version = t->zkv },
    };
    kop *op = kc_op(c, C_ASSIGN_SET);
    op->c = ti;
    op->a = p;
    zk_multi(c->b->zk, ops, 2, kc_zdone, op);
    free(json);
}

/* StopReplica (and, with del, a second one deleting the log) for (ti, p)
 * to broker cb. A LeaderAndIsr for it still waiting in the batch (the
 * batch goes when no state write is out, StopReplica at once) would
 * reach the broker after it and make the replica again: it is dropped. */
static void stop_replica(kafka_ctrl *c, cbroker *cb, int ti, int p, bool both)
{
    int k = 0;
    for (int i = 0; i < cb->nlai; i += 2)
        if (cb->lai[i] != ti || cb->lai[i + 1] != p) {
            cb->lai[k++] = cb->lai[i];
            cb->lai[k++] = cb->lai[i + 1];
        }
    cb->nlai = k;
    int pair[2] = { ti, p };
    if (both) kc_stop_replicas(c, cb, false, pair, 2);
    kc_stop_replicas(c, cb, true, pair, 2);
}

/* A state write of this reassignment: st with the leader epoch bumped. */
static void write_state(kafka_ctrl *c, int ti, int p, kafka_pstate *st)
{
    st->leader_epoch++;
    st->controller_epoch = c->epoch;
    kc_write_state(c, ti, p, st, KC_FROM_REASSIGN, 0);
}

static bool target_in_isr(const ctopic *t, int p, const creassign *r)
{
    for (int i = 0; i < r->ntarget; i++)
        if (!kafka_pstate_in_isr(&t->st[p], r->target[i])) return false;
    return true;
}

static void note(kafka_ctrl *c, const ctopic *t, int p, const char *what,
                 const int *ids, int n)
{
    char list[8 * KAFKA_RF_MAX * 2 + 4];
    int k = 0;
    list[0] = 0;
    for (int i = 0; i < n; i++)
        k += snprintf(list + k, sizeof list - (size_t)k, "%s%d", i ? "," : "", ids[i]);
    trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
               "controller: %s-%d %s [%s]", t->name, p, what, list);
}

/* B2 and B3: RS = TRS in memory; the leader stays (its epoch bumped)
 * when it is in TRS and alive, else the first live TRS replica in the
 * ISR leads (ReassignPartitionLeaderElectionStrategy). With none, the
 * reassignment waits for the next change of the partition. */
static void begin_complete(kafka_ctrl *c, int ti, int p, creassign *r)
{
    ctopic *t = c->topics[ti];
    kafka_pstate st = t->st[p];
    int leader = st.leader;
    if (leader < 0 || !has(r->target, r->ntarget, leader) || !kc_alive(c, leader)) {
        leader = -1;
        for (int i = 0; i < r->ntarget && leader < 0; i++)
            if (kc_alive(c, r->target[i]) && kafka_pstate_in_isr(&st, r->target[i]))
                leader = r->target[i];
        if (leader < 0) return;
    }
    t->st[p].nrep = (uint8_t)r->ntarget;
    memcpy(t->st[p].replicas, r->target, (size_t)r->ntarget * sizeof *r->target);
    st = t->st[p];
    st.leader = leader;
    r->phase = RA_LEAD;
    write_state(c, ti, p, &st);
}

/* Phase A or B after the assignment is in place (onPartitionReassignment
 * after updateCurrentReassignment). Replicas a supplanted reassignment
 * added and this one dropped leave the ISR first (U3: OfflineReplica), a
 * leader among them giving way to the first live replica of RS in the
 * ISR, in the same write as A1's epoch bump. */
static void proceed(kafka_ctrl *c, int ti, int p, creassign *r)
{
    ctopic *t = c->topics[ti];
    kafka_pstate st = t->st[p];
    int n = 0;
    for (int i = 0; i < st.nisr; i++)
        if (kafka_pstate_has_replica(&st, st.isr[i])) st.isr[n++] = st.isr[i];
    bool strays = n != st.nisr;
    st.nisr = (uint8_t)n;
    if (st.leader >= 0 && !kafka_pstate_has_replica(&st, st.leader)) {
        st.leader = -1;
        for (int i = 0; i < st.nrep && st.leader < 0; i++)
            if (kc_alive(c, st.replicas[i]) && kafka_pstate_in_isr(&st, st.replicas[i]))
                st.leader = st.replicas[i];
    }
    if (!strays && target_in_isr(t, p, r)) {
        begin_complete(c, ti, p, r);
        if (r->phase == RA_LEAD) return;
    }
    r->phase = RA_BUMP;
    write_state(c, ti, p, &st);
}

/* B4 to B6: the removed replicas leave the ISR (its own write, with its
 * own epoch), then StopReplica and StopReplica with delete to those on
 * live brokers, then the topic znode says RS = TRS. */
static void shrink_or_stop(kafka_ctrl *c, int ti, int p, creassign *r)
{
    ctopic *t = c->topics[ti];
    int ld = t->st[p].leader;
    if (ld < 0 || !has(r->target, r->ntarget, ld) || !kc_alive(c, ld)) {
        /* the new leader died as it was made (Kafka handles the broker's
         * death after the whole reassignment, this controller between
         * its writes): RS again, a leader elected from it, and the move
         * waits until TRS is in the ISR once more; nothing removed */
        int rs[2 * KAFKA_RF_MAX];
        t->st[p].nrep = (uint8_t)full_set(r, rs);
        memcpy(t->st[p].replicas, rs, t->st[p].nrep * sizeof *rs);
        r->phase = RA_WAIT;
        kc_fix_partition(c, ti, p);
        return;
    }
    int rr[KAFKA_RF_MAX];
    int nrr = minus(r->origin, r->norigin, r->target, r->ntarget, rr);
    kafka_pstate st = t->st[p];
    int n = 0;
    for (int i = 0; i < st.nisr; i++)       /* ISR within TRS */
        if (has(r->target, r->ntarget, st.isr[i])) st.isr[n++] = st.isr[i];
    if (n != st.nisr && n > 0) {
        st.nisr = (uint8_t)n;
        r->phase = RA_SHRINK;
        write_state(c, ti, p, &st);
        return;
    }
    for (int i = 0; i < nrr; i++) {
        cbroker *cb = kc_live_find(c, rr[i]);
        if (cb) stop_replica(c, cb, ti, p, true);
    }
    r->phase = RA_FINISH;
    write_assignment(c, ti, p);
}

void kc_reassign_state(kafka_ctrl *c, int ti, int p, bool mine, bool ok)
{
    ctopic *t = c->topics[ti];
    creassign *r = ra_of(t, p);
    if (!r || t->deleted) return;
    switch (r->phase) {
    case RA_BUMP:
        if (!mine) return;          /* ours is still out */
        /* without the bump the leader keeps its old replica set (a
         * LeaderAndIsr of the same epoch is ignored): the new replicas
         * would never join its ISR, so a lost bump is made again */
        r->phase = ok ? RA_WAIT : RA_REBUMP;
        if (ok && target_in_isr(t, p, r)) begin_complete(c, ti, p, r);
        return;
    case RA_REBUMP:
        if (ok) proceed(c, ti, p, r);
        return;
    case RA_WAIT:
        if (ok && target_in_isr(t, p, r)) begin_complete(c, ti, p, r);
        return;
    case RA_LEAD:
        if (!mine) return;
        if (ok) {
            r->phase = RA_MOVED;
            shrink_or_stop(c, ti, p, r);
        } else {                    /* lost: RS again, tried anew */
            int rs[2 * KAFKA_RF_MAX];
            t->st[p].nrep = (uint8_t)full_set(r, rs);
            memcpy(t->st[p].replicas, rs, t->st[p].nrep * sizeof *rs);
            r->phase = RA_WAIT;
        }
        return;
    case RA_MOVED:
        if (ok) shrink_or_stop(c, ti, p, r);
        return;
    case RA_SHRINK:
        if (!mine) return;
        r->phase = RA_MOVED;
        if (ok) shrink_or_stop(c, ti, p, r);
        return;
    default:
        return;
    }
}

static void done(kafka_ctrl *c, int ti, int p)
{
    ctopic *t = c->topics[ti];
    note(c, t, p, "reassignment complete: replicas", t->st[p].replicas, t->st[p].nrep);
    free(t->ra[p]);
    t->ra[p] = NULL;
    t->nra--;
    kc_queue_um(c, ti, p);          /* B8 */
    kc_resume_deletions(c);
}

void kc_reassign_assign_done(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    int ti = op->c, p = op->a;
    ctopic *t = c->topics[ti];
    creassign *r = ra_of(t, p);
    if (!r || t->deleted) return;
    if (res->err == ZCONNECTIONLOSS || res->err == ZBADVERSION) {
        /* retried until the session ends; at the version there now (a
         * lost write may have been applied after all) */
        kop *o = kc_op(c, C_ASSIGN_VER);
        o->c = ti;
        o->a = p;
        char path[ZPATH_MAX];
        snprintf(path, sizeof path, "/brokers/topics/%s", t->name);
        zk_exists(c->b->zk, path, false, kc_zdone, o);
        return;
    }
    if (res->err != ZOK) return;            /* session gone: a new controller resumes */
    t->zkv = res->results[1].stat.version;
    if (r->phase == RA_FINISH) {
        done(c, ti, p);
        kc_flush(c);
        return;
    }
    if (r->phase != RA_UPDATE) return;
    /* U2, U3: RS in memory; replicas a supplanted reassignment was adding
     * and this one does not want are stopped */
    kafka_pstate *st = &t->st[p];
    int rs[2 * KAFKA_RF_MAX], nrs = full_set(r, rs);
    for (int i = 0; i < st->nrep; i++) {
        cbroker *cb = has(rs, nrs, st->replicas[i]) ? NULL : kc_live_find(c, st->replicas[i]);
        if (cb) stop_replica(c, cb, ti, p, false);
    }
    st->nrep = (uint8_t)nrs;
    memcpy(st->replicas, rs, (size_t)nrs * sizeof *rs);
    note(c, t, p, "is being reassigned: replicas", rs, nrs);
    if (r->from >= 0) kc_admin_reply(c, r->from, r->corr, KERR_NONE);
    r->from = -1;
    proceed(c, ti, p, r);
    kc_flush(c);
}

void kc_reassign_version_got(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    int ti = op->c, p = op->a;
    ctopic *t = c->topics[ti];
    creassign *r = ra_of(t, p);
    if (!r || t->deleted || res->err == ZSESSIONEXPIRED || res->err == ZNONODE) return;
    if (res->err == ZOK) t->zkv = res->stat.version;
    if (r->phase == RA_UPDATE || r->phase == RA_FINISH) write_assignment(c, ti, p);
}

static kerr validate(kafka_ctrl *c, const kafka_pstate *st, const creassign *old,
                     const int *target, int n)
{
    if (n <= 0 || n > KAFKA_RF_MAX) return KERR_INVALID_REPLICA_ASSIGNMENT;
    for (int i = 0; i < n; i++) {
        if (target[i] < 0 || has(target, i, target[i])) return KERR_INVALID_REPLICA_ASSIGNMENT;
        /* new replicas must be on live brokers (validateReplicas) */
        bool origin = old ? has(old->origin, old->norigin, target[i])
                          : kafka_pstate_has_replica(st, target[i]);
        if (!origin && !kc_registered(c, target[i])) return KERR_INVALID_REPLICA_ASSIGNMENT;
    }
    return KERR_NONE;
}

void kc_reassign_request(kafka_ctrl *c, int from, uint64_t corr, const char *topic,
                         int p, const int *target, int ntarget)
{
    int ti = kc_topic_index(c, topic);
    if (ti < 0 || c->topics[ti]->queued || !c->topics[ti]->loaded ||
        p < 0 || p >= c->topics[ti]->nparts) {
        kc_admin_reply(c, from, corr, KERR_UNKNOWN_TOPIC_OR_PARTITION);
        return;
    }
    ctopic *t = c->topics[ti];
    creassign *old = ra_of(t, p);
    if (ntarget < 0) {
        /* KafkaController.handleAlterPartitionReassignments: null replicas
         * cancel, as a reassignment back to the original replicas
         * (ReplicaAssignment.revertReassignment) */
        if (!old) {
            kc_admin_reply(c, from, corr, KERR_NO_REASSIGNMENT_IN_PROGRESS);
            return;
        }
        target = old->origin;
        ntarget = old->norigin;
    }
    kerr e = validate(c, &t->st[p], old, target, ntarget);
    creassign next = { .ntarget = ntarget, .phase = RA_UPDATE, .from = from, .corr = corr };
    memcpy(next.target, target, (size_t)ntarget * sizeof *target);
    if (old) {                  /* supplants it: the origin stays */
        next.norigin = old->norigin;
        memcpy(next.origin, old->origin, sizeof next.origin);
    } else {
        next.norigin = t->st[p].nrep;
        memcpy(next.origin, t->st[p].replicas, sizeof next.origin);
    }
    int rs[2 * KAFKA_RF_MAX], nrs = full_set(&next, rs);
    if (e == KERR_NONE && nrs > KAFKA_RF_MAX) e = KERR_INVALID_REPLICA_ASSIGNMENT;
    /* the lab refuses a new target that would leave no in-sync replica
     * (every one of them added by the reassignment it supplants) */
    bool synced = false;
    for (int i = 0; i < t->st[p].nisr; i++) synced |= has(rs, nrs, t->st[p].isr[i]);
    if (e == KERR_NONE && t->st[p].nisr && !synced) e = KERR_INVALID_REPLICA_ASSIGNMENT;
    /* a reassignment past its leader move cannot be supplanted here */
    if (e == KERR_NONE && old && old->phase >= RA_LEAD) e = KERR_REASSIGNMENT_IN_PROGRESS;
    if (e != KERR_NONE) {
        kc_admin_reply(c, from, corr, e);
        return;
    }
    if (!t->ra) t->ra = xcalloc((size_t)t->nparts + 1, sizeof *t->ra);
    if (!old) {
        t->ra[p] = xmalloc(sizeof *t->ra[p]);
        t->nra++;
    }
    *t->ra[p] = next;
    write_assignment(c, ti, p);
}

/* --- a new controller resumes (initializePartitionReassignments) --- */

typedef struct load_ctx {
    kafka_ctrl *c;
    int ti;
    bool removing;
} load_ctx;

static creassign *ra_make(ctopic *t, int p)
{
    if (!t->ra) t->ra = xcalloc((size_t)t->nparts + 1, sizeof *t->ra);
    if (!t->ra[p]) {
        t->ra[p] = xcalloc(1, sizeof *t->ra[p]);
        t->ra[p]->from = -1;
        t->ra[p]->phase = RA_WAIT;
        t->nra++;
    }
    return t->ra[p];
}

/* adding (AR) and removing (RR) lists, kept in the target and origin
 * slots until every list is read: TRS = RS - RR, ORS = RS - AR */
static void load_visit(void *ctx, int p, const int *ids, int n)
{
    load_ctx *l = ctx;
    ctopic *t = l->c->topics[l->ti];
    if (p < 0 || p >= t->nparts || n <= 0 || n > KAFKA_RF_MAX) return;
    creassign *r = ra_make(t, p);
    if (l->removing) {
        r->norigin = n;
        memcpy(r->origin, ids, (size_t)n * sizeof *ids);
    } else {
        r->ntarget = n;
        memcpy(r->target, ids, (size_t)n * sizeof *ids);
    }
}

void kc_reassign_load(kafka_ctrl *c, int ti, const char *json, size_t len)
{
    load_ctx l = { c, ti, false };
    kafka_json_assignment(json, len, "adding_replicas", load_visit, &l);
    l.removing = true;
    kafka_json_assignment(json, len, "removing_replicas", load_visit, &l);
    ctopic *t = c->topics[ti];
    for (int p = 0; p < t->nparts; p++) {
        creassign *r = ra_of(t, p);
        if (!r) continue;
        int ar[KAFKA_RF_MAX], rr[KAFKA_RF_MAX], nar = r->ntarget, nrr = r->norigin;
        memcpy(ar, r->target, sizeof ar);
        memcpy(rr, r->origin, sizeof rr);
        const kafka_pstate *st = &t->st[p];
        r->ntarget = minus(st->replicas, st->nrep, rr, nrr, r->target);
        r->norigin = minus(st->replicas, st->nrep, ar, nar, r->origin);
    }
}

/* KafkaController.onBrokerStartup: reassignments with a target replica
 * on a broker that (re)joined go on (maybeResumeReassignments). */
void kc_reassign_brokers(kafka_ctrl *c, const int *fresh, int nfresh)
{
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded || !t->nra) continue;
        for (int p = 0; p < t->nparts; p++) {
            creassign *r = ra_of(t, p);
            bool joined = false;
            for (int k = 0; r && k < nfresh; k++) joined |= has(r->target, r->ntarget, fresh[k]);
            if (joined && r->phase == RA_WAIT) proceed(c, ti, p, r);
        }
    }
}

void kc_reassign_resume(kafka_ctrl *c)
{
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded || !t->nra) continue;
        for (int p = 0; p < t->nparts; p++) {
            creassign *r = ra_of(t, p);
            if (r && r->phase == RA_WAIT && r->ntarget > 0) proceed(c, ti, p, r);
        }
    }
}
