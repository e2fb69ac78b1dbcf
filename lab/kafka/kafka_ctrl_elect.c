/* kafka_ctrl_elect: partition state writes (conditional on the
 * /controller_epoch version and the state's own version) and the
 * elections that make them: offline partitions, controlled shutdown,
 * preferred replica and the automatic rebalance, and AlterIsr. */
#include "kafka_ctrl_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kc_state_path(char *out, size_t cap, const char *topic, int p)
{
    snprintf(out, cap, "/brokers/topics/%s/partitions/%d/state", topic, p);
}

/* The conditional write of st, made against state version zkv. */
static void write_state_at(kafka_ctrl *c, int ti, int p, const kafka_pstate *st,
                           int32_t zkv, int from, uint64_t corr)
{
    char path[ZPATH_MAX], json[256];
    ctopic *t = c->topics[ti];
    kc_state_path(path, sizeof path, t->name, p);
    kafka_state_json(st, json, sizeof json);
    zop ops[2] = {
        { .type = ZOP_CHECK, .path = "/controller_epoch", .version = c->epoch_zkv },
        { .type = ZOP_SET, .path = path, .data = (const uint8_t *)json,
          .len = strlen(json), .version = zkv },
    };
    kop *op = kc_op(c, C_STATE_SET);
    op->str = xstrdup(t->name);
    op->a = p;
    op->c = ti;
    op->st = *st;
    op->st.zk_version = zkv;
    op->from = from;
    op->corr = corr;
    c->writes++;
    zk_multi(c->b->zk, ops, 2, kc_zdone, op);
}

void kc_write_state(kafka_ctrl *c, int ti, int p, const kafka_pstate *st,
                        int from, uint64_t corr)
{
    write_state_at(c, ti, p, st, c->topics[ti]->st[p].zk_version, from, corr);
}

void kc_elect_write(kafka_ctrl *c, int ti, int p, const kafka_choice *ch,
                        bool bump, int from, uint64_t corr)
{
    kafka_pstate st = c->topics[ti]->st[p];
    st.leader = ch->leader;
    st.nisr = (uint8_t)ch->nisr;
    for (int i = 0; i < ch->nisr; i++) st.isr[i] = ch->isr[i];
    if (bump) st.leader_epoch++;
    st.controller_epoch = c->epoch;
    if (ch->unclean)
        trace_emit(sim_trace(c->b->s), TR_NOTE, c->b->node, -1, 0, 0,
                   "unclean leader election: %s-%d goes to %d, which was not "
                   "in the ISR", c->topics[ti]->name, p, ch->leader);
    kc_write_state(c, ti, p, &st, from, corr);
}

static void reread_state(kafka_ctrl *c, int ti, int p)
{
    char path[ZPATH_MAX];
    kc_state_path(path, sizeof path, c->topics[ti]->name, p);
    kop *op = kc_op(c, C_STATE_REREAD);
    op->c = ti;
    op->a = p;
    c->writes++;                /* batches wait for the truth */
    zk_get(c->b->zk, path, false, kc_zdone, op);
}

static void emit_isr(kafka_ctrl *c, const ctopic *t, int p, const kafka_pstate *st)
{
    char isr[64];
    int n = 0;
    isr[0] = 0;
    for (int i = 0; i < st->nisr && n < (int)sizeof isr - 8; i++)
        n += snprintf(isr + n, sizeof isr - (size_t)n, "%s%d", i ? "," : "", st->isr[i]);
    trace_emit(sim_trace(c->b->s), TR_ISR, c->b->node, -1, (uint64_t)st->leader_epoch,
               (uint64_t)st->nisr, "%s-%d leader %d epoch %d isr [%s]", t->name, p,
               st->leader, st->leader_epoch, isr);
}

static void alter_reply(kafka_ctrl *c, int to, uint64_t corr, kerr err,
                        const ctopic *t, int p)
{
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, (uint8_t)err);
    w_u32(&w, 0);
    w_str(&w, t->name);
    w_u32(&w, (uint32_t)p);
    kafka_pstate_write(&w, &t->st[p]);
    kb_send(c->b, to, KMSG_ALTER_ISR_RESP, &w);
    wbuf_free(&w);
}

/* After brokers died or joined: elects offline partitions and takes dead
 * brokers out of ISRs. One pass over all partitions per event. */
/* One partition after brokers died, joined or it was re-read: elects a
 * leader if it has none that is registered, moves it off a broker in
 * controlled shutdown, takes dead brokers out of its ISR. */
static void fix_partition(kafka_ctrl *c, int ti, int p, const int *dead, int ndead)
{
    ctopic *t = c->topics[ti];
    kafka_pstate *st = &t->st[p];
    kafka_choice ch;
    if (st->leader < 0 || !kc_registered(c, st->leader)) {
        kafka_elect_offline(st->replicas, st->nrep, st->isr, st->nisr,
                            t->unclean, kc_registered, c, &ch);
        if (ch.leader >= 0 || st->leader >= 0) kc_elect_write(c, ti, p, &ch, true, -1, 0);
        return;
    }
    if (!kc_alive(c, st->leader)) {         /* registered but shutting down */
        kafka_elect_shutdown(st->replicas, st->nrep, st->isr, st->nisr,
                             st->leader, kc_alive, c, &ch);
        if (ch.leader >= 0) kc_elect_write(c, ti, p, &ch, true, -1, 0);
        return;
    }
    /* replicas on brokers that are gone leave the ISR (OfflineReplica):
     * those of this event, and, for a controller that just took over,
     * those that died before it (ReplicaStateMachine.startup) */
    (void)dead;
    (void)ndead;
    ch.leader = st->leader;
    ch.unclean = false;
    ch.nisr = 0;
    for (int i = 0; i < st->nisr; i++)
        if (kc_registered(c, st->isr[i])) ch.isr[ch.nisr++] = st->isr[i];
    if (ch.nisr == st->nisr || ch.nisr == 0) return;
    kc_elect_write(c, ti, p, &ch, true, -1, 0);
}

void kc_fix_partition(kafka_ctrl *c, int ti, int p)
{
    ctopic *t = c->topics[ti];
    if (!t->deleted && t->loaded && !t->queued) fix_partition(c, ti, p, NULL, 0);
}

void kc_fix_partitions(kafka_ctrl *c, const int *dead, int ndead)
{
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        /* a topic being deleted gets no election (PartitionStateMachine
         * leaves topics queued for deletion alone) */
        if (t->deleted || !t->loaded || t->queued) continue;
        for (int p = 0; p < t->nparts; p++) fix_partition(c, ti, p, dead, ndead);
    }
}

/* The partitions a controlled shutdown still waits for
 * (ControllerContext.partitionLeadersOnBroker): those the broker leads,
 * single-replica partitions left out (nobody could take them over). */
static int leaders_of(kafka_ctrl *c, int id)
{
    int n = 0;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || t->queued) continue;
        for (int p = 0; p < t->nparts; p++)
            n += t->st[p].leader == id && t->st[p].nrep > 1;
    }
    return n;
}

void kc_reply_shutdowns(kafka_ctrl *c)
{
    for (int i = 0; i < c->nshut; i++) {
        wbuf w;
        wbuf_init(&w);
        w_u64(&w, c->shut[i].corr);
        w_u8(&w, KERR_NONE);
        w_u32(&w, (uint32_t)leaders_of(c, c->shut[i].broker_id));
        kb_send(c->b, c->shut[i].from, KMSG_SHUTDOWN_RESP, &w);
        wbuf_free(&w);
    }
    c->nshut = 0;
}

/* StopReplica to one broker for (topic, partition) pairs; del also
 * deletes the logs (topic deletion: the pairs are all of one topic). */
void kc_stop_replicas(kafka_ctrl *c, cbroker *cb, bool del, const int *pairs,
                          int npairs)
{
    if (npairs == 0) return;
    wbuf *w = kc_channel_msg(c, cb, KMSG_STOP_REPLICA);
    if (del) cb->q[cb->nq - 1].del_ti = pairs[0];  /* one topic's pairs */
    w_u8(w, del);
    w_u32(w, (uint32_t)(npairs / 2));
    for (int k = 0; k < npairs; k += 2) {
        w_str(w, c->topics[pairs[k]]->name);
        w_u32(w, (uint32_t)pairs[k + 1]);
    }
    kc_channel_send(c, cb);
}

/* Controlled shutdown (KafkaController.doControlledShutdown): only
 * partitions with more than one replica are acted on. Those the broker
 * leads get a new leader from the ISR without it; those it follows drop it
 * from the ISR and it stops fetching them (StopReplica, logs kept). The
 * answer goes out once the state writes are done. */
void kc_shutdown_local(kafka_ctrl *c, int from, int broker_id)
{
    cbroker *cb = kc_live_find(c, broker_id);
    if (cb) cb->shutting = true;
    int *followed = NULL, nf = 0, capf = 0;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded || t->queued) continue;
        for (int p = 0; p < t->nparts; p++) {
            kafka_pstate *st = &t->st[p];
            if (st->nrep <= 1 || !kafka_pstate_has_replica(st, broker_id)) continue;
            kafka_choice ch;
            if (st->leader == broker_id) {
                kafka_elect_shutdown(st->replicas, st->nrep, st->isr, st->nisr,
                                     broker_id, kc_alive, c, &ch);
                if (ch.leader < 0) continue;    /* nobody to take it */
            } else {
                VEC_GROW(followed, nf + 1, capf);
                followed[nf++] = ti;
                followed[nf++] = p;
                if (st->nisr <= 1 || !kafka_pstate_in_isr(st, broker_id)) continue;
                ch.leader = st->leader;
                ch.unclean = false;
                ch.nisr = 0;
                for (int i = 0; i < st->nisr; i++)
                    if (st->isr[i] != broker_id) ch.isr[ch.nisr++] = st->isr[i];
            }
            kc_elect_write(c, ti, p, &ch, true, -1, 0);
        }
    }
    if (cb) kc_stop_replicas(c, cb, false, followed, nf);
    free(followed);
    VEC_GROW(c->shut, c->nshut, c->capshut);
    c->shut[c->nshut++] = (cwaiter){ from, broker_id, 0 };
}

int kc_preferred(kafka_ctrl *c, int only_ti, int only_pref, int *unavailable)
{
    int n = 0;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded || t->queued || (only_ti >= 0 && ti != only_ti))
            continue;
        for (int p = 0; p < t->nparts; p++) {
            kafka_pstate *st = &t->st[p];
            if (st->nrep == 0 || st->leader == st->replicas[0]) continue;
            if (only_pref >= 0 && st->replicas[0] != only_pref) continue;
            kafka_choice ch;
            kafka_elect_preferred(st->replicas, st->nrep, st->isr, st->nisr,
                                  kc_alive, c, &ch);
            if (ch.leader < 0) {            /* down or out of the ISR */
                if (unavailable) (*unavailable)++;
                continue;
            }
            kc_elect_write(c, ti, p, &ch, true, -1, 0);
            n++;
        }
    }
    return n;
}

/* Whether broker id is over the imbalance ratio: of the partitions whose
 * preferred replica it is, more than leader.imbalance.per.broker.percentage
 * are led by another broker. */
static bool over_ratio(kafka_ctrl *c, int id)
{
    int pref = 0, off = 0;
    for (int ti = 0; ti < c->ntopics; ti++) {
        ctopic *t = c->topics[ti];
        if (t->deleted || !t->loaded || t->queued) continue;
        for (int p = 0; p < t->nparts; p++) {
            if (t->st[p].nrep == 0 || t->st[p].replicas[0] != id) continue;
            pref++;
            off += t->st[p].leader != id;
        }
    }
    return pref && off * 100 > pref * c->b->cfg.imbalance_pct;
}

/* The automatic leader rebalance (KafkaController.checkAndTriggerAutoLeaderRebalance):
 * per broker over the imbalance ratio, the partitions whose preferred
 * replica it is go back to it; a broker under the ratio keeps its
 * partitions where they are. The first check runs 5 s after the
 * controller took over, then every leader.imbalance.check.interval.seconds. */
void kc_rebalance_timer(void *self, uint64_t serial)
{
    kafka_broker *b = self;
    kafka_ctrl *c = b->ctrl;
    if (!c || c->serial != serial) return;
    int moved = 0;
    for (int i = 0; i < c->nlive && c->initialized; i++) {
        if (!over_ratio(c, c->live[i].id)) continue;
        int n = kc_preferred(c, -1, c->live[i].id, NULL);
        if (n)
            trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, (uint64_t)n, 0,
                       "auto leader rebalance: %d partition(s) back to preferred "
                       "leader %d", n, c->live[i].id);
        moved += n;
    }
    if (moved) kc_flush(c);
    sim_timer(b->s, b->node, (uint64_t)b->cfg.rebalance_check_ms * 1000,
              kc_rebalance_timer, serial);
}

void kc_on_alter_isr(kafka_ctrl *c, int from, rbuf *r)
{
    uint64_t corr = r_u64(r);
    int id = (int)r_u32(r);
    int64_t bepoch = r_i64(r);
    char name[128];
    r_str(r, name, sizeof name);
    int p = (int)r_u32(r);
    kafka_pstate want;
    kafka_pstate_read(r, &want);
    int ti = kc_topic_index(c, name);
    if (ti < 0 || p < 0 || p >= c->topics[ti]->nparts || r->bad) return;
    ctopic *t = c->topics[ti];
    cbroker *cb = kc_live_find(c, id);
    kafka_pstate *st = &t->st[p];
    if (!cb || cb->epoch != bepoch || st->leader != id ||
        st->leader_epoch != want.leader_epoch || st->zk_version != want.zk_version) {
        alter_reply(c, from, corr, KERR_FENCED_LEADER_EPOCH, t, p);
        return;
    }
    for (int i = 0; i < want.nisr; i++) {
        cbroker *joining = kafka_pstate_in_isr(st, want.isr[i]) ? NULL
                                                                : kc_live_find(c, want.isr[i]);
        if (joining && joining->shutting) {     /* it is on its way out */
            alter_reply(c, from, corr, KERR_NOT_LEADER_OR_FOLLOWER, t, p);
            return;
        }
    }
    kafka_pstate next = *st;
    next.nisr = want.nisr;
    memcpy(next.isr, want.isr, sizeof next.isr);
    next.controller_epoch = c->epoch;
    kc_write_state(c, ti, p, &next, from, corr);
}

/* A partition state write came back: adopt it and tell the brokers, or
 * answer the AlterIsr that asked for it with the refusal. */
void kc_state_set_done(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    c->writes--;
    ctopic *t = c->topics[op->c];
    kafka_pstate *st = &t->st[op->a];
    if (res->err == ZOK && !t->deleted) {
        uint8_t nisr_old = st->nisr;
        int32_t leader_old = st->leader;
        /* the state znode has no replicas: the assignment stays as it is
         * now (a reassignment may have changed it while this was out) */
        kafka_pstate got = op->st;
        got.nrep = st->nrep;
        memcpy(got.replicas, st->replicas, sizeof got.replicas);
        *st = got;
        st->zk_version = res->results[1].stat.version;
        if (leader_old != st->leader || nisr_old != st->nisr) emit_isr(c, t, op->a, st);
        kc_changed(c, op->c, op->a);
        if (op->from >= 0) alter_reply(c, op->from, op->corr, KERR_NONE, t, op->a);
        /* brokers may have registered or gone while the write was out
         * (the broker change was judged on the older state): a partition
         * left without a registered leader is elected again, as
         * PartitionStateMachine.triggerOnlinePartitionStateChange would
         * after the BrokerChange event that the real controller handles
         * only once this write is done */
        if (t->loaded && !t->queued && (st->leader < 0 || !kc_registered(c, st->leader)))
            fix_partition(c, op->c, op->a, NULL, 0);
        kc_reassign_state(c, op->c, op->a, op->from == KC_FROM_REASSIGN, true);
    } else if (res->err == ZCONNECTIONLOSS && !t->deleted) {
        /* KafkaZkClient.retryRequestsUntilConnected: the same conditional
         * write again once connected. Not a read instead: the lost write
         * may sit proposed but uncommitted on a leader that serves the
         * read from its older tree, and commit later (a re-elected leader
         * keeps its proposals); the retried write is ordered after it, so
         * it fails with BADVERSION and the re-read below sees the truth. */
        write_state_at(c, op->c, op->a, &op->st, op->st.zk_version, op->from, op->corr);
    } else {
        if (op->from >= 0)
            alter_reply(c, op->from, op->corr, KERR_FENCED_LEADER_EPOCH, t, op->a);
        kc_reassign_state(c, op->c, op->a, op->from == KC_FROM_REASSIGN, false);
        /* the write may have been applied with its answer lost (connection
         * loss), or someone wrote first (bad version): what ZooKeeper
         * holds is the truth; read it and decide again */
        if (!t->deleted) reread_state(c, op->c, op->a);
    }
    kc_flush(c);
}

static void reread_timer(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    kafka_ctrl *c = b->ctrl;
    if (!c || (arg >> 40) != (c->serial & 0xffffff)) return;
    int ti = (int)((arg >> 20) & 0xfffff), p = (int)(arg & 0xfffff);
    if (ti < c->ntopics && !c->topics[ti]->deleted && p < c->topics[ti]->nparts)
        reread_state(c, ti, p);
}

/* The re-read state came back: adopt it, tell the brokers, and fix the
 * partition (its leader may be gone or stopping by now). */
void kc_state_reread_done(kafka_ctrl *c, const kop *op, const zk_result *res)
{
    c->writes--;
    ctopic *t = c->topics[op->c];
    kafka_pstate *st = &t->st[op->a];
    if (t->deleted) {
        kc_flush(c);
        return;
    }
    if (res->err == ZOK) {
        kafka_pstate got = *st;
        if (kafka_state_parse((const char *)res->data, res->len, &got)) {
            got.zk_version = res->stat.version;
            *st = got;
            emit_isr(c, t, op->a, st);
            kc_changed(c, op->c, op->a);
            if (!t->queued) fix_partition(c, op->c, op->a, NULL, 0);
            kc_reassign_state(c, op->c, op->a, false, true);
        }
    } else if (res->err != ZNONODE) {      /* no session now: try again */
        uint64_t arg = (c->serial & 0xffffff) << 40 | (uint64_t)op->c << 20 | (uint64_t)op->a;
        sim_timer(c->b->s, c->b->node, 1000000, reread_timer, arg);
    }
    kc_flush(c);
}
