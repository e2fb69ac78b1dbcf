/* kafka_replica: the broker's data path. As leader: Produce with acks 0,
 * 1 and all (the purgatory holds acks=all until the ISR has the records),
 * follower and consumer Fetch (a follower fetch with nothing to read waits
 * up to replica.fetch.wait.max.ms), the HW as the minimum LEO over the
 * ISR, and ISR shrink and expand through AlterIsr. As follower: one
 * fetcher per leader broker that first truncates by leader epoch
 * (OffsetsForLeaderEpoch), then fetches. */
#include "kafka_int.h"
#include "kafka_elect.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void fetcher_kick(kafka_broker *b, kfetcher *f);

static void wait_drop(kreplica *r, int i)
{
    r->waits[i] = r->waits[--r->nwaits];
}

/* Completes the waits the HW now covers (or all, with err). */
static void complete_waits(kafka_broker *b, kreplica *r, bool all, kerr err)
{
    int64_t hw = kafka_log_hw(r->log);
    for (int i = 0; i < r->nwaits;) {
        kwait *w = &r->waits[i];
        if (!all && w->end > hw) { i++; continue; }
        kerr e = err;
        if (!all && r->st.nisr < r->t->min_isr) e = KERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND;
        kwait done = *w;
        wait_drop(r, i);
        kp_fill(b, done.pend, done.slot, e, e ? -1 : done.base);
    }
}

static kfol *fol_of(kreplica *r, int id)
{
    for (int i = 0; i < r->nfol; i++)
        if (r->fol[i].id == id) return &r->fol[i];
    return NULL;
}

/* HW = minimum LEO over the ISR; it only moves forward. */
static void advance_hw(kafka_broker *b, kreplica *r)
{
    if (!r->leader) return;
    int64_t hw = kafka_log_leo(r->log);
    for (int i = 0; i < r->st.nisr; i++) {
        if (r->st.isr[i] == b->id) continue;
        kfol *f = fol_of(r, r->st.isr[i]);
        int64_t leo = f ? f->leo : 0;
        if (leo < hw) hw = leo < 0 ? 0 : leo;
    }
    if (hw <= kafka_log_hw(r->log)) return;
    kafka_log_set_hw(r->log, hw);
    if (b->hooks.hw)
        b->hooks.hw(b->hooks.ctx, b->node, r->t->name, r->t->id, r->p,
                    r->st.leader_epoch, hw);
    complete_waits(b, r, false, KERR_NONE);
}

/* --- fetchers (follower side) --- */

/* Where leader_id's fetcher is, or would go, in fetcher_by: a follower
 * of 300 leaders looked for one a LeaderAndIsr partition at a time */
static int *fetcher_slot(const kafka_broker *b, int leader_id)
{
    uint32_t mask = (uint32_t)b->capfetcher_by - 1;
    uint32_t i = ((uint32_t)leader_id * 2654435761u) & mask;
    while (b->fetcher_by[i] && b->fetchers[b->fetcher_by[i] - 1].leader_id != leader_id)
        i = (i + 1) & mask;
    return &b->fetcher_by[i];
}

static kfetcher *fetcher_find(kafka_broker *b, int leader_id)
{
    if (!b->capfetcher_by) return NULL;
    int at = *fetcher_slot(b, leader_id);
    return at ? &b->fetchers[at - 1] : NULL;
}

/* A new fetcher for leader_id, its place in fetcher_by noted */
static kfetcher *fetcher_new(kafka_broker *b, int leader_id)
{
    VEC_GROW(b->fetchers, b->nfetchers, b->capfetchers);
    kfetcher *f = &b->fetchers[b->nfetchers++];
    memset(f, 0, sizeof *f);
    f->leader_id = leader_id;
    if (2 * b->nfetchers > b->capfetcher_by) {
        free(b->fetcher_by);
        b->capfetcher_by = b->capfetcher_by ? 2 * b->capfetcher_by : 16;
        b->fetcher_by = xcalloc((size_t)b->capfetcher_by, sizeof *b->fetcher_by);
        for (int i = 0; i < b->nfetchers - 1; i++)
            *fetcher_slot(b, b->fetchers[i].leader_id) = i + 1;
    }
    *fetcher_slot(b, leader_id) = b->nfetchers;
    return f;
}

/* The fetcher an answer from node belongs to, NULL when stale. */
static kfetcher *fetcher_of(kafka_broker *b, int node, uint64_t corr)
{
    uint64_t i = corr & 0xffff;
    if (i >= (uint64_t)b->nfetchers) return NULL;
    kfetcher *f = &b->fetchers[i];
    /* its inline partitions with it, not one miss after another */
    __builtin_prefetch((const char *)f + 64);
    __builtin_prefetch((const char *)f + 128);
    __builtin_prefetch((const char *)f + 192);
    return f->leader_node == node && f->corr == corr ? f : NULL;
}

static void fetcher_remove(kafka_broker *b, kreplica *r)
{
    kfetcher *f = r->fetch_leader < 0 ? NULL : fetcher_find(b, r->fetch_leader);
    r->fetch_leader = -1;
    if (!f) return;
    kfpart *parts = kfetcher_parts(f);
    for (int j = 0; j < f->nparts; j++)
        if (parts[j].r == r) {
            parts[j] = parts[--f->nparts];
            return;
        }
}

static void fetcher_add(kafka_broker *b, kreplica *r, int leader_id)
{
    const klive *l = kb_live(b, leader_id);
    /* ZooKeeper mode: an alive leader only (getAliveBrokerNode); KRaft:
     * any leader the image registers, fenced or not: a follower that
     * learnt of its leader while that broker was fenced would otherwise
     * never fetch, the partition's epoch not moving again */
    int node = l ? l->node : b->kraft ? kbk_broker_node(b, leader_id) : -1;
    if (node < 0) return;
    kfetcher *f = fetcher_find(b, leader_id);
    if (!f) f = fetcher_new(b, leader_id);
    f->leader_node = node;
    int room = f->capparts ? f->capparts : KFETCH_INLINE;
    if (f->nparts == room) {
        kfpart *heap = xmalloc((size_t)room * 2 * sizeof *heap);
        memcpy(heap, kfetcher_parts(f), (size_t)f->nparts * sizeof *heap);
        free(f->heap);
        f->heap = heap;
        f->capparts = room * 2;
    }
    kfetcher_parts(f)[f->nparts++] = (kfpart){
        .r = r, .t = r->t, .p = r->p, .epoch = r->st.leader_epoch, .req_epoch = -1,
        .fetch_offset = kafka_log_leo(r->log), .hw_seen = kafka_log_hw(r->log),
        .fstate = KF_TRUNCATE };
    r->fetch_leader = leader_id;
    fetcher_kick(b, f);
}

/* AbstractFetcherThread.handlePartitionsWithErrors: a partition whose
 * answer was an error waits replica.fetch.backoff.ms on its own; the
 * fetcher goes on with the others (a stray replica whose leader answers
 * NOT_LEADER_OR_FOLLOWER forever must not hold them up). */
static void part_delay(kafka_broker *b, kfpart *fp)
{
    fp->delay_until_us = kb_now(b) + (uint64_t)b->cfg.fetch_backoff_ms * 1000;
}

static bool part_ready(const kfpart *fp, uint64_t now)
{
    return fp->delay_until_us <= now;
}

enum { FT_RTO = 1 << 16 };      /* fetch_timer arg: a timeout, not a backoff */

/* The request timeout is armed lazily: an answer leaves the timer in
 * place (a push and a cancel per fetch were a fifth of the scale run),
 * and when it fires for an answered request it moves to the deadline of
 * the request now out. A timeout still fires exactly request.timeout.ms
 * (plus the fetch wait) after the request that timed out was sent. */
static void fetch_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    kfetcher *f = fetcher_find(b, (int)(arg & 0xffff));
    if (!f) return;
    if (!(arg & FT_RTO)) {              /* backoff over */
        f->timer = 0;
        fetcher_kick(b, f);
        return;
    }
    f->rto = 0;
    if (!f->inflight) return;
    uint64_t now = kb_now(b);
    if (now < f->rto_at) {              /* an earlier request's deadline */
        f->rto = sim_timer(b->s, b->node, f->rto_at - now, fetch_timer,
                           FT_RTO | (uint64_t)f->leader_id);
        return;
    }
    f->inflight = false;                /* timed out */
    f->timer = sim_timer(b->s, b->node, (uint64_t)b->cfg.fetch_backoff_ms * 1000,
                         fetch_timer, (uint64_t)f->leader_id);
}

static void fetch_answered(kafka_broker *b, kfetcher *f)
{
    (void)b;
    f->inflight = false;
}

static void fetcher_backoff(kafka_broker *b, kfetcher *f)
{
    fetch_answered(b, f);
    if (f->timer) return;
    f->timer = sim_timer(b->s, b->node, (uint64_t)b->cfg.fetch_backoff_ms * 1000,
                         fetch_timer, (uint64_t)f->leader_id);
}

/* Every partition that could go out is delayed: wake when the first
 * delay ends (maybeFetch's await of the backoff, shortened to it). */
static void fetcher_wait(kafka_broker *b, kfetcher *f, uint64_t until_us)
{
    uint64_t now = kb_now(b);
    f->timer = sim_timer(b->s, b->node, until_us > now ? until_us - now : 0,
                         fetch_timer, (uint64_t)f->leader_id);
}

/* AbstractFetcherThread.doWork: maybeTruncate, then maybeFetch. The
 * partitions still truncating (and not delayed) go out first in an
 * OffsetsForLeaderEpoch; once none is left, the ready ones in a Fetch.
 * A delayed partition is in neither. Each partition sent notes the
 * leader epoch it was sent with, to match the answer against. */
static void fetcher_kick(kafka_broker *b, kfetcher *f)
{
    if (f->inflight || f->timer || f->nparts == 0 || b->stop_done) return;
    uint64_t now = kb_now(b), wake = UINT64_MAX;
    int ntrunc = 0, nfetch = 0;
    kfpart *parts = kfetcher_parts(f);
    for (int i = 0; i < f->nparts; i++) {
        const kfpart *fp = &parts[i];
        if (fp->fstate == KF_IDLE) continue;
        if (!part_ready(fp, now)) {
            if (fp->delay_until_us < wake) wake = fp->delay_until_us;
            continue;
        }
        ntrunc += fp->fstate == KF_TRUNCATE;
        nfetch += fp->fstate == KF_FETCH;
    }
    if (!ntrunc && !nfetch) {
        if (wake != UINT64_MAX) fetcher_wait(b, f, wake);
        return;
    }
    wbuf w = b->scratch;                /* no allocation per fetch */
    wbuf_reset(&w);
    /* the low 16 bits name the fetcher: answers find it at once */
    f->corr = (++b->corr << 16) | (uint64_t)(f - b->fetchers);
    w_u64(&w, f->corr);
    if (ntrunc) {
        w_u32(&w, (uint32_t)ntrunc);
        for (int i = 0; i < f->nparts; i++) {
            kfpart *fp = &parts[i];
            if (fp->fstate != KF_TRUNCATE || !part_ready(fp, now)) continue;
            fp->req_epoch = fp->epoch;
            w_str(&w, fp->t->name);
            w_u32(&w, (uint32_t)fp->p);
            w_u32(&w, (uint32_t)fp->epoch);
            w_u32(&w, (uint32_t)kafka_log_last_epoch(fp->r->log));
        }
        kb_send(b, f->leader_node, KMSG_EPOCH, &w);
    } else {
        w_u32(&w, (uint32_t)b->id);
        w_u32(&w, b->cfg.fetch_wait_ms);
        w_u32(&w, (uint32_t)nfetch);
        for (int i = 0; i < f->nparts; i++) {
            kfpart *fp = &parts[i];
            if (fp->fstate != KF_FETCH || !part_ready(fp, now)) continue;
            fp->req_epoch = fp->epoch;
            w_str(&w, fp->t->name);
            w_u32(&w, (uint32_t)fp->p);
            w_u32(&w, (uint32_t)fp->epoch);
            w_i64(&w, fp->fetch_offset);
            w_u32(&w, 1000);
        }
        kb_send(b, f->leader_node, KMSG_FETCH, &w);
    }
    b->scratch = w;
    f->inflight = true;
    uint64_t wait = ntrunc ? 0 : b->cfg.fetch_wait_ms;
    uint64_t timeout = ((uint64_t)b->cfg.request_timeout_ms + wait) * 1000;
    f->rto_at = now + timeout;
    f->sent_us = now;
    if (!f->rto)
        f->rto = sim_timer(b->s, b->node, timeout, fetch_timer,
                           FT_RTO | (uint64_t)f->leader_id);
}

/* A partition's error in an answer (maybeTruncateToEpochEndOffsets,
 * processFetchRequest): FENCED_LEADER_EPOCH for the epoch the partition
 * still has means the leader is newer, which only a LeaderAndIsr brings,
 * so the partition stops fetching until one comes (onPartitionFenced,
 * markPartitionFailed); any other error is retried after the
 * partition's own backoff. */
static void part_failed(kafka_broker *b, kfpart *fp, kerr err)
{
    if (err == KERR_FENCED_LEADER_EPOCH) fp->fstate = KF_IDLE;
    else part_delay(b, fp);
}

/* The fetcher's entry for an answer's (name, p), NULL when it has none
 * (removed meanwhile). An answer lists the partitions in the request's
 * order, which is the order of the entries that went out (in fstate and
 * ready when it was sent): *j walks them and spares the lookup, which
 * serves an entry that moved. */
static kfpart *fpart_of(kafka_broker *b, kfetcher *f, int *j, int fstate,
                        const char *name, int p)
{
    kfpart *parts = kfetcher_parts(f);
    while (*j < f->nparts && (parts[*j].fstate != fstate ||
                              !part_ready(&parts[*j], f->sent_us)))
        (*j)++;
    if (*j < f->nparts) {
        const kfpart *fp = &parts[*j];
        if (fp->p == p && !fp->t->deleted && strcmp(fp->t->name, name) == 0)
            return &parts[(*j)++];
    }
    kreplica *r = kb_replica(b, name, p);
    for (int i = 0; r && i < f->nparts; i++)
        if (parts[i].r == r) return &parts[i];
    return NULL;
}

/* Whether an answer may apply to fp, from the fetcher's own state: fp is
 * in the state the request was sent for, in the leader epoch it was sent
 * with (truncateToEpochEndOffsets drops the answers of a partition whose
 * epoch moved meanwhile: a LeaderAndIsr came, and the new epoch asks
 * again; a new epoch removes the entry and adds a new one). */
static bool answer_may_apply(const kfpart *fp, int fstate)
{
    return fp && fp->fstate == fstate && fp->epoch == fp->req_epoch;
}

/* And whether it does (given that it may): the replica itself still
 * follows the fetcher's leader in that epoch. Read only where the answer
 * changes something. */
static bool replica_follows(const kfpart *fp, const kfetcher *f)
{
    return fp->r->st.leader == f->leader_id && fp->r->st.leader_epoch == fp->req_epoch;
}

/* Reads past an answer's nrec records that are not taken. */
static void nrec_skip(rbuf *r, uint32_t nrec)
{
    for (uint32_t k = 0; k < nrec && !r->bad; k++) {
        r_u32(r);
        r_u64(r);
        const uint8_t *skip;
        r_bytes(r, &skip);          /* key */
        r_bytes(r, &skip);          /* value */
    }
}

void kr_on_epoch_resp(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    uint32_t n = r_u32(r);
    kfetcher *f = fetcher_of(b, from, corr);
    if (!f || !f->inflight) return;
    fetch_answered(b, f);
    char name[128];
    int j = 0;
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        r_str(r, name, sizeof name);
        int p = (int)r_u32(r);
        kerr err = (kerr)r_u8(r);
        int32_t epoch = (int32_t)r_u32(r);
        int64_t end = r_i64(r);
        kfpart *fp = fpart_of(b, f, &j, KF_TRUNCATE, name, p);
        if (r->bad || !answer_may_apply(fp, KF_TRUNCATE) || !replica_follows(fp, f)) continue;
        if (err) { part_failed(b, fp, err); continue; }
        kreplica *rep = fp->r;
        int64_t at = kafka_log_truncation_point(rep->log, epoch, end);
        int64_t leo = kafka_log_leo(rep->log);
        if (at < leo) {
            if (b->hooks.truncate)
                b->hooks.truncate(b->hooks.ctx, b->node, name, p, rep->log, at);
            kafka_log_truncate(rep->log, at);
            fp->fetch_offset = at;
            fp->hw_seen = kafka_log_hw(rep->log);
            trace_emit(sim_trace(b->s), TR_NOTE, b->node, from, (uint64_t)at,
                       (uint64_t)(leo - at), "%d truncates %s-%d to offset %lld "
                       "(%lld records dropped, leader epoch %d ends there)",
                       b->id, name, p, (long long)at, (long long)(leo - at), epoch);
        }
        fp->fstate = KF_FETCH;
    }
    fetcher_kick(b, f);
}

void kr_on_fetch_resp(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    uint32_t n = r_u32(r);
    kfetcher *f = fetcher_of(b, from, corr);
    if (!f || !f->inflight) return;
    fetch_answered(b, f);
    char name[128];
    int j = 0;                          /* parts as the request listed them */
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        r_str(r, name, sizeof name);
        int p = (int)r_u32(r);
        kerr err = (kerr)r_u8(r);
        int64_t hw = r_i64(r);
        uint32_t nrec = r_u32(r);
        kfpart *fp = fpart_of(b, f, &j, KF_FETCH, name, p);
        bool may = !r->bad && answer_may_apply(fp, KF_FETCH);
        /* nothing new, the high watermark as this fetcher last set it:
         * the answer changes nothing, and the replica is not read */
        if (may && !err && nrec == 0 && hw == fp->hw_seen) continue;
        bool mine = may && replica_follows(fp, f);
        if (mine && err) part_failed(b, fp, err);
        if (!mine || err) {
            nrec_skip(r, nrec);
            continue;
        }
        kreplica *rep = fp->r;
        /* only this fetcher changes a follower's log while it fetches */
        QL_ASSERT(kafka_log_leo(rep->log) == fp->fetch_offset &&
                  kafka_log_hw(rep->log) == fp->hw_seen);
        for (uint32_t k = 0; k < nrec && !r->bad; k++) {
            int32_t epoch = (int32_t)r_u32(r);
            uint64_t rid = r_u64(r);
            char *key = r_str_dup(r), *val = r_str_dup(r);
            kafka_log_append(rep->log, epoch, rid, key[0] ? key : NULL, val);
            free(key);
            free(val);
        }
        int64_t leo = kafka_log_leo(rep->log);
        fp->fetch_offset = leo;
        fp->hw_seen = kafka_log_set_hw(rep->log, hw < leo ? hw : leo);
    }
    fetcher_kick(b, f);
}

/* --- roles --- */

static void alter_isr(kafka_broker *b, kreplica *r, const int *isr, int nisr)
{
    if (r->alter_pending || b->ctrl_node < 0) return;
    kafka_pstate st = r->st;
    st.nisr = (uint8_t)nisr;
    memcpy(st.isr, isr, (size_t)nisr * sizeof *isr);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, ++b->corr);
    w_u32(&w, (uint32_t)b->id);
    w_i64(&w, b->broker_epoch);
    w_str(&w, r->t->name);
    w_u32(&w, (uint32_t)r->p);
    kafka_pstate_write(&w, &st);
    kb_send(b, b->ctrl_node, KMSG_ALTER_ISR, &w);
    wbuf_free(&w);
    r->alter_pending = true;
}

void kr_on_alter_resp(kafka_broker *b, rbuf *r)
{
    r_u64(r);
    kerr err = (kerr)r_u8(r);
    r_u32(r);
    char name[128];
    r_str(r, name, sizeof name);
    int p = (int)r_u32(r);
    kafka_pstate st;
    kafka_pstate_read(r, &st);
    kreplica *rep = kb_replica(b, name, p);
    if (!rep || r->bad) return;
    rep->alter_pending = false;
    /* an answer of an older partition epoch than the state already known
     * (KRaft: a controller's ISR change of the same leader epoch applied
     * from the log first) is ignored, as Partition.handleAlterIsrResponse
     * (2.8) and handleAlterPartitionUpdate (3.7) ignore one */
    if (err || st.leader_epoch != rep->st.leader_epoch || !rep->leader ||
        st.zk_version < rep->st.zk_version)
        return;
    rep->st = st;
    rep->t->meta[p] = kmeta_set(rep->t->meta[p], &st);
    advance_hw(b, rep);
}

/* Room in r->fol for a follower record per replica of r->st (its
 * contents are not kept): after the struct for a few, else the heap. */
static void fol_room(kreplica *r)
{
    kfol *in = kreplica_fol_inline(r);
    if (r->st.nrep - 1 <= KREPLICA_FOL_INLINE) {
        if (r->fol != in) free(r->fol);
        r->fol = in;
        r->capfol = 0;
    } else if (r->capfol < r->st.nrep) {
        if (r->fol == in) r->fol = NULL;
        r->fol = xrealloc(r->fol, (size_t)r->st.nrep * sizeof *r->fol);
        r->capfol = r->st.nrep;     /* at most KAFKA_RF_MAX */
    }
}

void kr_become_leader(kafka_broker *b, kreplica *r)
{
    fetcher_remove(b, r);
    kb_replica_lead(r, true);
    r->follower = false;
    r->alter_pending = false;
    kafka_log_begin_epoch(r->log, r->st.leader_epoch);
    r->nfol = 0;
    fol_room(r);
    uint64_t now = kb_now(b);
    for (int i = 0; i < r->st.nrep; i++) {
        if (r->st.replicas[i] == b->id) continue;
        r->fol[r->nfol++] = (kfol){ r->st.replicas[i], -1, now, now, 0 };
    }
    /* b lets observers (the leader-per-epoch checker) tell partitions apart */
    trace_emit(sim_trace(b->s), TR_LEADER, b->node, -1,
               (uint64_t)r->st.leader_epoch, kafka_pkey(r->t->id, r->p),
               "%s-%d leader %d epoch %d", r->t->name, r->p, b->id,
               r->st.leader_epoch);
    advance_hw(b, r);
}

/* Partition.updateAssignmentAndIsr on a leader whose leader epoch stays
 * (KRaft: a reassignment adds replicas, or the controller shrinks the ISR,
 * without a bump): a follower state for every replica now assigned, the
 * known ones kept, and the high watermark moved if the ISR allows. */
void kr_update_assignment(kafka_broker *b, kreplica *r)
{
    if (!r->leader) return;
    kfol old[KAFKA_RF_MAX];
    int nold = r->nfol < KAFKA_RF_MAX ? r->nfol : KAFKA_RF_MAX;
    memcpy(old, r->fol, (size_t)nold * sizeof *old);
    fol_room(r);
    uint64_t now = kb_now(b);
    r->nfol = 0;
    for (int i = 0; i < r->st.nrep; i++) {
        int id = r->st.replicas[i];
        if (id == b->id) continue;
        kfol f = { id, -1, now, now, 0 };
        for (int k = 0; k < nold; k++)
            if (old[k].id == id) f = old[k];
        r->fol[r->nfol++] = f;
    }
    advance_hw(b, r);
}

void kr_stop(kafka_broker *b, kreplica *r)
{
    if (r->leader) complete_waits(b, r, true, KERR_NOT_LEADER_OR_FOLLOWER);
    fetcher_remove(b, r);
    kb_replica_lead(r, false);
    r->follower = false;
}

void kr_become_follower(kafka_broker *b, kreplica *r)
{
    kr_stop(b, r);
    r->follower = true;
    if (r->st.leader < 0) return;
    fetcher_add(b, r, r->st.leader);
}

/* --- leader side --- */

/* The replica a leader request names, or NULL with UNKNOWN_TOPIC_OR_PARTITION
 * (or, where the broker has no replica, NOT_LEADER_OR_FOLLOWER). */
static kreplica *lead_find(kafka_broker *b, const char *topic, int p, kerr *err)
{
    ktopic *t = kb_topic(b, topic);
    *err = KERR_NONE;
    if (!t || p < 0 || p >= t->nparts) {
        *err = KERR_UNKNOWN_TOPIC_OR_PARTITION;
        return NULL;
    }
    kreplica *r = kb_topic_rep(t, p);
    if (!r) *err = KERR_NOT_LEADER_OR_FOLLOWER;
    return r;
}

/* r, when it leads in epoch (-1: any), else NULL and the error. */
static kreplica *lead_verify(kreplica *r, int32_t epoch, kerr *err)
{
    *err = KERR_NONE;
    if (!r->leader) *err = KERR_NOT_LEADER_OR_FOLLOWER;
    else if (epoch >= 0 && epoch < r->st.leader_epoch) *err = KERR_FENCED_LEADER_EPOCH;
    else if (epoch > r->st.leader_epoch) *err = KERR_UNKNOWN_LEADER_EPOCH;
    return *err ? NULL : r;
}

static kreplica *lead_check(kafka_broker *b, const char *topic, int p,
                            int32_t epoch, kerr *err)
{
    kreplica *r = lead_find(b, topic, p, err);
    return r ? lead_verify(r, epoch, err) : NULL;
}

static void wake_followers(kafka_broker *b, kreplica *r);

/* One partition of a Produce request: its result goes to slot of the
 * request's answer, now or (acks=all) once the ISR has the records. */
static void produce_one(kafka_broker *b, uint64_t pend, int slot, int acks, rbuf *r)
{
    char topic[128];
    r_str(r, topic, sizeof topic);
    int p = (int)r_u32(r);
    uint32_t bytes = r_u32(r);
    uint32_t n = r_u32(r);
    kp_name(b, pend, slot, topic, p);
    kerr err;
    kreplica *rep = lead_check(b, topic, p, -1, &err);
    if (!err && acks == -1 && rep->st.nisr < rep->t->min_isr)
        err = KERR_NOT_ENOUGH_REPLICAS;
    /* Log.analyzeAndValidateRecords: a batch over message.max.bytes */
    if (!err && bytes > b->cfg.message_max_bytes) err = KERR_MESSAGE_TOO_LARGE;
    int64_t base = err ? -1 : kafka_log_leo(rep->log);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        uint64_t rid = r_u64(r);
        char *key = r_str_dup(r), *val = r_str_dup(r);
        if (!err) kafka_log_append(rep->log, rep->st.leader_epoch, rid, key[0] ? key : NULL, val);
        free(key);
        free(val);
    }
    if (err || acks != -1) {
        kp_fill(b, pend, slot, err, base);
    } else {
        VEC_GROW(rep->waits, rep->nwaits, rep->capwaits);
        rep->waits[rep->nwaits++] = (kwait){ pend, slot, base, kafka_log_leo(rep->log) };
    }
    if (!err) {
        wake_followers(b, rep);
        advance_hw(b, rep);
    }
}

/* Produce: the batches of several partitions, one answer (none for
 * acks=0). */
void kr_on_produce(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    int acks = (int8_t)r_u8(r);
    uint32_t timeout_ms = r_u32(r);
    uint32_t n = r_u32(r);
    if (n > 100000) return;                     /* a lab's bound */
    uint64_t pend = acks == 0 ? 0 : kp_begin(b, from, corr, (int)n);  /* 0: none */
    for (uint32_t i = 0; i < n && !r->bad; i++) produce_one(b, pend, (int)i, acks, r);
    /* the timeout only for a request still waiting: a cancelled timer
     * would sit in the event queue for request.timeout.ms */
    if (pend) kp_wait(b, pend, timeout_ms);
}

static void follower_fetched(kafka_broker *b, kreplica *r, int id,
                             int64_t offset)
{
    kfol *f = fol_of(r, id);
    if (!f) return;
    uint64_t now = kb_now(b);
    int64_t leo = kafka_log_leo(r->log);
    f->caught_us = kafka_caught_up_time(offset, leo, now, f->fetch_leo,
                                        f->fetch_us, f->caught_us);
    f->fetch_us = now;
    f->fetch_leo = leo;
    f->leo = offset;
    if (!kafka_pstate_in_isr(&r->st, id) &&
        kafka_isr_can_join(offset, kafka_log_hw(r->log),
                           kafka_log_epoch_start(r->log, r->st.leader_epoch)) &&
        (!b->kraft || kbk_isr_eligible(b, id))) {
        int isr[KAFKA_RF_MAX];
        int n = r->st.nisr;
        memcpy(isr, r->st.isr, (size_t)n * sizeof *isr);
        if (n < KAFKA_RF_MAX) isr[n++] = id;
        alter_isr(b, r, isr, n);
    }
    advance_hw(b, r);
}

/* Parked fetches, one per follower node at most, found through
 * parked_at[node] in O(1); request buffers stay with the array's slots
 * and are reused. */
static kparked *parked_of(kafka_broker *b, int node)
{
    if (node < 0 || node >= b->nparked_at || b->parked_at[node] < 0) return NULL;
    return &b->parked[b->parked_at[node]];
}

static uint8_t *parked_bytes(kparked *pk)
{
    return pk->len <= sizeof pk->in ? pk->in : pk->buf;
}

static kparked *parked_add(kafka_broker *b, int node, const uint8_t *d, size_t len)
{
    if (node >= b->nparked_at) {
        int n = sim_node_count(b->s) > node ? sim_node_count(b->s) : node + 1;
        b->parked_at = xrealloc(b->parked_at, (size_t)n * sizeof *b->parked_at);
        for (int i = b->nparked_at; i < n; i++) b->parked_at[i] = -1;
        b->nparked_at = n;
    }
    if (b->nparked == b->capparked) {
        int cap = b->capparked ? b->capparked * 2 : 8;
        b->parked = xrealloc(b->parked, (size_t)cap * sizeof *b->parked);
        memset(b->parked + b->capparked, 0, (size_t)(cap - b->capparked) * sizeof *b->parked);
        b->capparked = cap;
    }
    kparked *pk = &b->parked[b->nparked];
    b->parked_at[node] = (int16_t)b->nparked++;
    if (len > sizeof pk->in && pk->cap < len) {
        pk->buf = xrealloc(pk->buf, len);
        pk->cap = len;
    }
    pk->len = len;
    memcpy(parked_bytes(pk), d, len);
    pk->from = node;
    return pk;
}

/* Removes pk (its timer already handled); its buffer moves to the first
 * free slot, where the next parked_add finds it. */
static void parked_drop(kafka_broker *b, kparked *pk)
{
    kparked gone = *pk, *last = &b->parked[--b->nparked];
    b->parked_at[gone.from] = -1;
    if (pk != last) {
        *pk = *last;
        b->parked_at[pk->from] = (int16_t)(pk - b->parked);
        *last = gone;
    }
}

static void fetch_serve(kafka_broker *b, int from, const uint8_t *d, size_t len,
                        bool parked);

static void parked_run(kafka_broker *b, int node)
{
    kparked *pk = parked_of(b, node);
    if (!pk) return;
    sim_cancel(b->s, pk->timer);
    parked_drop(b, pk);
    /* the dropped slot is past the end now: nothing parks while this
     * runs (a parked run never parks again), so its bytes stay put */
    kparked *slot = &b->parked[b->nparked];
    fetch_serve(b, node, parked_bytes(slot), slot->len, true);
}

static void parked_timer(void *self, uint64_t node)
{
    kafka_broker *b = self;
    kparked *pk = parked_of(b, (int)node);
    if (pk) pk->timer = 0;          /* it is this one, running now */
    parked_run(b, (int)node);
}

static void wake_followers(kafka_broker *b, kreplica *r)
{
    for (int i = 0; i < r->nfol && b->nparked; i++) {
        const klive *l = kb_live(b, r->fol[i].id);
        if (l) parked_run(b, l->node);
    }
}

/* The broker's hint (node_ops.prefetch): the next event but one is a
 * follower's fetch, a parked fetch's end, or a fetch answer. Asks for
 * the requester's resolution slot and parked entry, or the fetcher, so
 * that the event waits on its replicas alone. Reads only what the event
 * itself reads first, and writes nothing. */
void kr_prefetch(const kafka_broker *b, int from, uint32_t type, const uint8_t *head,
                 size_t len, sim_timer_fn fn, uint64_t arg)
{
    if (fn == parked_timer) {
        from = (int)arg;
        type = KMSG_FETCH;
        sim_prefetch_route(b->s, b->node, from);   /* its answer goes back */
    }
    if (type == KMSG_FETCH && from >= 0) {
        if (from < b->nfres) __builtin_prefetch(&b->fres[from]);
        if (from < b->nparked_at) __builtin_prefetch(&b->parked_at[from]);
        if (!fn && b->nparked < b->capparked)   /* where it would park */
            __builtin_prefetch(&b->parked[b->nparked]);
    } else if (type == KMSG_FETCH_RESP && len >= 8) {
        rbuf r = rbuf_of(head, len);
        uint64_t i = r_u64(&r) & 0xffff;
        if (i < (uint64_t)b->nfetchers) {
            const char *f = (const char *)&b->fetchers[i];
            __builtin_prefetch(f);
            __builtin_prefetch(f + 64);
            __builtin_prefetch(f + 128);
            __builtin_prefetch(f + 192);
        }
    }
}

void kr_on_fetch(kafka_broker *b, int from, const uint8_t *d, size_t len,
                 bool parked)
{
    QL_ASSERT(!parked);                 /* parked runs go through parked_run */
    fetch_serve(b, from, d, len, false);
}

/* fr's entries (in the entry itself for a few: computed, as b->fres
 * moves when it grows) */
static kreplica **fres_reps(kfres *fr)
{
    return fr->n > KFRES_INLINE ? fr->heap : fr->in;
}

/* node's resolution cache, sized for n partitions; NULL when n is not
 * a plausible count for a request of len bytes */
static kfres *fres_of(kafka_broker *b, int node, uint32_t n, size_t len)
{
    if (node < 0 || n > len) return NULL;
    if (node >= b->nfres) {
        int cnt = sim_node_count(b->s) > node ? sim_node_count(b->s) : node + 1;
        b->fres = xrealloc(b->fres, (size_t)cnt * sizeof *b->fres);
        memset(b->fres + b->nfres, 0, (size_t)(cnt - b->nfres) * sizeof *b->fres);
        b->nfres = cnt;
    }
    kfres *fr = &b->fres[node];
    if (fr->gen != b->rep_gen || fr->n != (int)n) {
        if (n > KFRES_INLINE && fr->cap < (int)n) {
            fr->heap = xrealloc(fr->heap, n * sizeof *fr->heap);
            fr->cap = (int)n;
        }
        fr->n = (int)n;
        memset(fres_reps(fr), 0, n * sizeof *fr->heap);
        fr->gen = b->rep_gen;
    }
    return fr;
}

/* The replica a request's (name, p) names, through the cache entry c;
 * the entry is refreshed by a lookup when it is empty or names another. */
static kreplica *fres_find(kafka_broker *b, kreplica **c, const char *name, int p,
                           kerr *err)
{
    kreplica *r = c ? *c : NULL;
    *err = KERR_NONE;
    if (r && r->p == p && !r->t->deleted && strcmp(r->t->name, name) == 0) return r;
    r = lead_find(b, name, p, err);
    if (c) *c = r;
    return r;
}

/* Serves a fetch (again, when parked: the request bytes are the parked
 * copy). The replicas are found through the requester's cache, their
 * first lines fetched ahead together: the scale run's fetch path waits
 * on memory, one miss per replica and side, and misses that overlap cost
 * about one. */
static void fetch_serve(kafka_broker *b, int from, const uint8_t *d, size_t len,
                        bool parked)
{
    rbuf r = rbuf_of(d, len);
    uint64_t corr = r_u64(&r);
    int replica_id = (int)r_u32(&r);
    uint32_t max_wait = r_u32(&r);
    uint32_t n = r_u32(&r);
    kfres *fr = fres_of(b, from, n, len);
    kreplica **reps = fr ? fres_reps(fr) : NULL;
    if (fr) {
        for (int i = 0; i < fr->n; i++)
            if (reps[i]) kreplica_prefetch(reps[i], true);
    }
    wbuf w = b->scratch;                /* no allocation per fetch */
    wbuf_reset(&w);
    w_u64(&w, corr);
    w_u32(&w, n);
    int nrec_total = 0;
    char name[128];
    for (uint32_t i = 0; i < n && !r.bad; i++) {
        r_str(&r, name, sizeof name);
        int p = (int)r_u32(&r);
        int32_t epoch = (int32_t)r_u32(&r);
        int64_t offset = r_i64(&r);
        uint32_t max = r_u32(&r);
        kerr err;
        kreplica *rep = fres_find(b, reps ? &reps[i] : NULL, name, p, &err);
        if (rep) rep = lead_verify(rep, epoch, &err);
        int64_t upto = 0;
        if (rep) {
            upto = replica_id >= 0 ? kafka_log_leo(rep->log) : kafka_log_hw(rep->log);
            if (offset > kafka_log_leo(rep->log) || offset < 0)
                err = KERR_OFFSET_OUT_OF_RANGE;
            /* a follower beyond our log end has not truncated yet: it is
             * neither caught up nor a candidate for the ISR. A parked
             * fetch's completion only reads: Kafka 2.8's
             * DelayedFetch.onComplete calls readFromLocalLog, and only
             * the request's first read (ReplicaManager.fetchMessages's
             * readFromLog) updates the follower's fetch state */
            else if (replica_id >= 0 && !parked)
                follower_fetched(b, rep, replica_id, offset);
        }
        w_str(&w, name);
        w_u32(&w, (uint32_t)p);
        w_u8(&w, (uint8_t)err);
        w_i64(&w, rep ? kafka_log_hw(rep->log) : -1);
        if (err || offset >= upto) {
            w_u32(&w, 0);
            continue;
        }
        int64_t end = offset + max < upto ? offset + max : upto;
        w_u32(&w, (uint32_t)(end - offset));
        for (int64_t o = offset; o < end; o++) {
            const kafka_record *rec = kafka_log_get(rep->log, o);
            w_u32(&w, (uint32_t)rec->leader_epoch);
            w_u64(&w, rec->rid);
            w_str(&w, rec->key);
            w_str(&w, rec->value);
        }
        nrec_total += (int)(end - offset);
    }
    if (!parked && nrec_total == 0 && max_wait > 0 && replica_id >= 0 &&
        !r.bad && !parked_of(b, from)) {
        kparked *np = parked_add(b, from, d, len);
        np->timer = sim_timer(b->s, b->node, (uint64_t)max_wait * 1000,
                              parked_timer, (uint64_t)from);
    } else {
        kb_send(b, from, KMSG_FETCH_RESP, &w);
    }
    b->scratch = w;
}

/* ListOffsets from a consumer: the earliest offset (-2: the log start,
 * 0 here, nothing is deleted) or the latest (-1: the HW, what a
 * read_uncommitted consumer may read up to). Leader only. */
void kr_on_list_offsets(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    char topic[128];
    r_str(r, topic, sizeof topic);
    int p = (int)r_u32(r);
    int64_t ts = r_i64(r);
    kerr err;
    kreplica *rep = lead_check(b, topic, p, -1, &err);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, (uint8_t)err);
    w_i64(&w, err ? -1 : ts == -2 ? 0 : kafka_log_hw(rep->log));
    kb_send(b, from, KMSG_LIST_OFFSETS_RESP, &w);
    wbuf_free(&w);
}

void kr_on_epoch(kafka_broker *b, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    uint32_t n = r_u32(r);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u32(&w, n);
    char name[128];
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        r_str(r, name, sizeof name);
        int p = (int)r_u32(r);
        int32_t cur = (int32_t)r_u32(r);
        int32_t want = (int32_t)r_u32(r);
        kerr err;
        kreplica *rep = lead_check(b, name, p, cur, &err);
        int32_t e = -1;
        int64_t end = -1;
        if (rep) kafka_log_end_for_epoch(rep->log, want, &e, &end);
        w_str(&w, name);
        w_u32(&w, (uint32_t)p);
        w_u8(&w, (uint8_t)err);
        w_u32(&w, (uint32_t)e);
        w_i64(&w, end);
    }
    kb_send(b, from, KMSG_EPOCH_RESP, &w);
    wbuf_free(&w);
}

/* The leader's periodic ISR check (every replica.lag.time.max.ms / 2). */
void kr_isr_tick(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    uint64_t now = kb_now(b), lag = (uint64_t)b->cfg.lag_max_ms * 1000;
    for (int i = 0; i < b->ntopics; i++) {
        ktopic *t = b->topics[i];
        for (int j = 0; j < t->held; j++) {
            kreplica *r = t->lr[j];
            if (!r->leader) continue;
            r->alter_pending = false;   /* a lost AlterIsr is retried */
            int isr[KAFKA_RF_MAX], n = 0;
            int64_t leo = kafka_log_leo(r->log);
            for (int k = 0; k < r->st.nisr; k++) {
                kfol *f = fol_of(r, r->st.isr[k]);
                if (f && kafka_isr_should_drop(f->leo, leo, now, f->caught_us, lag))
                    continue;
                isr[n++] = r->st.isr[k];
            }
            if (n < r->st.nisr) alter_isr(b, r, isr, n);
        }
    }
    b->isr_timer = sim_timer(b->s, b->node, lag / 2, kr_isr_tick, 0);
    b->isr_due_us = now + lag / 2;
}

void kr_crash(kafka_broker *b)
{
    for (int i = 0; i < b->ntopics; i++) {
        ktopic *t = b->topics[i];
        for (int k = 0; k < t->held; k++) {
            kreplica *r = t->lr[k];
            kb_replica_lead(r, false);
            r->follower = false;
            r->fetch_leader = -1;       /* the fetchers go below */
            r->nwaits = 0;
            r->alter_pending = false;
            memset(&r->st, 0, sizeof r->st);
            r->st.leader = -1;
            r->st.leader_epoch = -1;
        }
    }
    for (int i = 0; i < b->nfetchers; i++) free(b->fetchers[i].heap);
    b->nfetchers = 0;
    if (b->fetcher_by) memset(b->fetcher_by, 0, (size_t)b->capfetcher_by * sizeof *b->fetcher_by);
    for (int i = 0; i < b->nparked; i++) b->parked_at[b->parked[i].from] = -1;
    b->nparked = 0;
    kp_free_all(b);
}

void kr_destroy(kafka_broker *b)
{
    kr_crash(b);
    for (int i = 0; i < b->capparked; i++) free(b->parked[i].buf);
    for (int i = 0; i < b->nfres; i++) free(b->fres[i].heap);
    free(b->fres);
    b->fres = NULL;
    b->nfres = 0;
    free(b->parked);
    free(b->parked_at);
    b->parked = NULL;
    b->parked_at = NULL;
    b->nparked_at = b->capparked = 0;
    wbuf_free(&b->scratch);
    kp_destroy(b);
}

void kr_reset(kafka_broker *b, int peer)
{
    for (int i = 0; i < b->nfetchers; i++)
        if (b->fetchers[i].leader_node == peer && b->fetchers[i].inflight)
            fetcher_backoff(b, &b->fetchers[i]);
    kparked *pk = parked_of(b, peer);
    if (pk) {
        sim_cancel(b->s, pk->timer);
        parked_drop(b, pk);
    }
}
