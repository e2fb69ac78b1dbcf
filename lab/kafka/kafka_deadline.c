/* kafka_deadline: when a partition leader's ISR check will drop a
 * follower if nothing changes first (Partition.isFollowerOutOfSync: out of
 * sync once its log end differs from the leader's and it has not caught
 * up for replica.lag.time.max.ms, checked every half of that). Read-only:
 * the check's own arithmetic run forward, for the dashboard's countdowns. */
#include "kafka_int.h"
#include "kafka_elect.h"

#include "zk_client.h"

int64_t kafka_broker_session(const kafka_broker *b)
{
    return b->zk ? zk_client_session(b->zk) : 0;
}

/* The first ISR check at or after `from` that finds the follower out of
 * sync (the check needs now - lastCaughtUp > lag, strictly). */
static uint64_t first_check(const kafka_broker *b, uint64_t caught_us)
{
    uint64_t lag = (uint64_t)b->cfg.lag_max_ms * 1000, every = lag / 2 ? lag / 2 : 1;
    uint64_t at = b->isr_due_us;
    if (at <= caught_us + lag) at += ((caught_us + lag - at) / every + 1) * every;
    return at;
}

static int replica(const kafka_broker *b, const ktopic *t, const kreplica *r,
                   kafka_isr_deadline *out, int n, int cap)
{
    int64_t leo = kafka_log_leo(r->log);
    for (int k = 0; k < r->st.nisr; k++) {
        int id = r->st.isr[k];
        const kfol *f = NULL;
        for (int i = 0; i < r->nfol; i++)
            if (r->fol[i].id == id) f = &r->fol[i];
        /* an idle follower that has everything stays, however silent */
        if (!f || f->leo == leo) continue;
        if (n < cap)
            out[n] = (kafka_isr_deadline){
                .follower = id, .topic = t->name, .p = r->p, .since_us = f->caught_us,
                /* a healthy follower catches up within a fetch or two */
                .quiet_us = 3 * (uint64_t)b->cfg.fetch_wait_ms * 1000 + 500000,
                .at_us = first_check(b, f->caught_us) };
        n++;
    }
    return n;
}

int kafka_broker_isr_deadlines(const kafka_broker *b, kafka_isr_deadline *out, int cap)
{
    if (!b->up || sim_node_status(b->s, b->node) != NODE_UP || !b->isr_timer) return 0;
    int n = 0;
    for (int i = 0; i < b->ntopics; i++) {
        const ktopic *t = b->topics[i];
        if (t->deleted || !t->leading) continue;
        for (int k = 0; k < t->held; k++) {
            const kreplica *r = t->lr[k];
            if (r->leader) n = replica(b, t, r, out, n, cap);
        }
    }
    return n < cap ? n : cap;
}

int kafka_broker_fetch_deadline(const kafka_broker *b, kafka_fetch_deadline *out)
{
    if (!b->up || sim_node_status(b->s, b->node) != NODE_UP) return 0;
    uint64_t now = kb_now(b), quiet = (uint64_t)b->cfg.fetch_wait_ms * 1000 + 1000000;
    int n = 0;
    for (int i = 0; i < b->nfetchers; i++) {
        const kfetcher *f = &b->fetchers[i];
        if (!f->inflight || f->nparts == 0 || now - f->sent_us <= quiet || now > f->rto_at)
            continue;
        if (n++ == 0 || f->rto_at < out->at_us)
            *out = (kafka_fetch_deadline){ f->leader_id, f->sent_us, f->rto_at };
    }
    return n;
}
