/* zk_fle: fast leader election, as ZooKeeper's FastLeaderElection. A
 * LOOKING server proposes itself, adopts and re-broadcasts any better vote
 * (peer epoch, then last zxid, then sid), and settles once a quorum of the
 * votes of its round equals its proposal and finalizeWait brought nothing
 * better. Servers already FOLLOWING or LEADING answer a LOOKING server with
 * the vote they settled on, so a restarted server joins the leader there. */
#include "zk_int.h"
#include "util.h"

#include <string.h>

int zk_vote_cmp(const zk_vote *a, const zk_vote *b)
{
    if (a->epoch != b->epoch) return a->epoch > b->epoch ? 1 : -1;
    if (a->zxid != b->zxid) return a->zxid > b->zxid ? 1 : -1;
    if (a->sid != b->sid) return a->sid > b->sid ? 1 : -1;
    return 0;
}

/* Vote.equals: votes of servers out of election (FOLLOWING, LEADING)
 * match on leader and peer epoch only, since their zxids and rounds can
 * differ (a server that joined through out-of-election votes keeps the
 * vote it adopted; ZOOKEEPER-1805). */
static bool same_vote(const zk_vote *a, const zk_vote *b)
{
    if (a->state != ZK_LOOKING && b->state != ZK_LOOKING)
        return a->sid == b->sid && a->epoch == b->epoch;
    return a->sid == b->sid && a->zxid == b->zxid && a->epoch == b->epoch;
}

static void send_vote(zk_server *z, int to, const zk_vote *v, zk_state st)
{
    wbuf *w = &z->out;
    wbuf_reset(w);
    w_u32(w, (uint32_t)v->sid);
    w_u64(w, v->zxid);
    w_u64(w, v->round);
    w_u8(w, (uint8_t)st);
    w_u32(w, v->epoch);
    sim_send(z->s, z->node, z->peer[to], ZM_NOTIFICATION, w->data, w->len);
}

static void broadcast(zk_server *z)
{
    for (int sid = 1; sid <= z->n; sid++)
        if (sid != z->sid) send_vote(z, sid, &z->proposal, ZK_LOOKING);
}

static zk_vote self_vote(const zk_server *z)
{
    return (zk_vote){ .sid = z->sid, .zxid = zk_log_last(z),
                      .epoch = z->current_epoch, .round = z->round,
                      .state = ZK_LOOKING };
}

/* A vote; `was` is the candidate it replaces (NULL for a first vote).
 * When the new candidate's log is fresher (a newer epoch, or the same
 * epoch and a higher zxid: the first two tests of
 * FastLeaderElection.totalOrderPredicate), the event's code names the
 * candidate it beat and the text ends with that one's zxid, so a reader
 * can show both logs; a tie broken by the server id alone keeps code 0. */
static void trace_vote(zk_server *z, const zk_vote *was)
{
    const zk_vote *p = &z->proposal;
    bool fresher = was && was->sid != p->sid &&
                   (p->epoch > was->epoch || (p->epoch == was->epoch && p->zxid > was->zxid));
    if (fresher)
        trace_emit_code(sim_trace(z->s), TR_VOTE, was->sid, z->node, z->peer[p->sid],
                        (uint64_t)p->sid, p->zxid,
                        "votes zk%d (epoch %u, zxid 0x%llx, round %llu) over zk%d (zxid 0x%llx)",
                        p->sid, p->epoch, (unsigned long long)p->zxid,
                        (unsigned long long)z->round, was->sid,
                        (unsigned long long)was->zxid);
    else
        trace_emit(sim_trace(z->s), TR_VOTE, z->node, z->peer[p->sid],
                   (uint64_t)p->sid, p->zxid,
                   "votes zk%d (epoch %u, zxid 0x%llx, round %llu)",
                   p->sid, p->epoch, (unsigned long long)p->zxid,
                   (unsigned long long)z->round);
}

/* A quorum of `set` equals v. */
static bool term_predicate(const zk_server *z, const zk_vote *set,
                           const zk_vote *v)
{
    int count = 0;
    for (int sid = 1; sid <= z->n; sid++)
        if (set[sid].sid && same_vote(&set[sid], v)) count++;
    return count >= z->quorum;
}

/* Followers must have heard the leader itself say it leads. */
static bool check_leader(const zk_server *z, const zk_vote *set, int leader,
                         uint64_t round)
{
    if (leader == z->sid) return round == z->round;
    return set[leader].sid && set[leader].state == ZK_LEADING;
}

static void notify_fire(void *self, uint64_t arg);
static void finalize_fire(void *self, uint64_t arg);

static void arm_notify(zk_server *z)
{
    if (z->notify_timer) sim_cancel(z->s, z->notify_timer);
    z->notify_timer = sim_timer(z->s, z->node, (uint64_t)z->notify_ms * 1000,
                                notify_fire, 0);
}

static void cancel_finalize(zk_server *z)
{
    if (z->finalize_timer) sim_cancel(z->s, z->finalize_timer);
    z->finalize_timer = 0;
}

static void settle(zk_server *z, const zk_vote *v)
{
    z->vote = *v;
    z->vote.round = z->round;
    trace_emit(sim_trace(z->s), TR_ELECTION, z->node, z->peer[v->sid], v->epoch,
               v->zxid, "elected zk%d (round %llu)", v->sid,
               (unsigned long long)z->round);
    if (v->sid == z->sid) zk_become_leading(z);
    else zk_become_following(z, v->sid);
}

/* Our proposal has a quorum: wait finalizeWait for anything better. */
static void maybe_finalize(zk_server *z)
{
    if (!term_predicate(z, z->recv, &z->proposal)) {
        cancel_finalize(z);
        return;
    }
    if (!z->finalize_timer)
        z->finalize_timer = sim_timer(z->s, z->node,
                                      (uint64_t)z->cfg.finalize_wait_ms * 1000,
                                      finalize_fire, 0);
}

static void finalize_fire(void *self, uint64_t arg)
{
    zk_server *z = self;
    z->finalize_timer = 0;
    if (z->state == ZK_LOOKING && term_predicate(z, z->recv, &z->proposal))
        settle(z, &z->proposal);
}

static void notify_fire(void *self, uint64_t arg)
{
    zk_server *z = self;
    z->notify_timer = 0;
    if (z->state != ZK_LOOKING) return;
    broadcast(z);
    z->notify_ms = z->notify_ms * 2 < z->cfg.max_notify_ms
                       ? z->notify_ms * 2 : z->cfg.max_notify_ms;
    arm_notify(z);
}

void zk_fle_start(zk_server *z)
{
    cancel_finalize(z);
    z->round++;
    memset(z->recv, 0, sizeof z->recv);
    memset(z->ooe, 0, sizeof z->ooe);
    z->proposal = self_vote(z);
    z->recv[z->sid] = z->proposal;
    z->notify_ms = z->cfg.finalize_wait_ms ? z->cfg.finalize_wait_ms : 200;
    trace_vote(z, NULL);
    broadcast(z);
    arm_notify(z);
    maybe_finalize(z);
}

void zk_fle_stop(zk_server *z)
{
    cancel_finalize(z);
    if (z->notify_timer) sim_cancel(z->s, z->notify_timer);
    z->notify_timer = 0;
}

static void adopt(zk_server *z, const zk_vote *v)
{
    zk_vote was = z->proposal;
    z->proposal = *v;
    z->proposal.round = z->round;
    z->proposal.state = ZK_LOOKING;
    cancel_finalize(z);
    trace_vote(z, &was);
    broadcast(z);
}

static void from_looking(zk_server *z, int from, const zk_vote *n)
{
    if (n->round > z->round) {
        z->round = n->round;
        memset(z->recv, 0, sizeof z->recv);
        zk_vote mine = self_vote(z);
        adopt(z, zk_vote_cmp(n, &mine) > 0 ? n : &mine);
    } else if (n->round < z->round) {
        send_vote(z, from, &z->proposal, ZK_LOOKING);  /* it is behind */
        return;
    } else if (zk_vote_cmp(n, &z->proposal) > 0) {
        adopt(z, n);
    }
    z->recv[from] = *n;
    z->recv[z->sid] = z->proposal;
    maybe_finalize(z);
}

static void from_settled(zk_server *z, int from, const zk_vote *n)
{
    if (n->round == z->round) {
        z->recv[from] = *n;
        if (term_predicate(z, z->recv, n) &&
            check_leader(z, z->recv, n->sid, n->round)) {
            settle(z, n);
            return;
        }
    }
    /* the ensemble may have settled in an earlier or later round */
    z->ooe[from] = *n;
    if (term_predicate(z, z->ooe, n) && check_leader(z, z->ooe, n->sid, n->round)) {
        z->round = n->round;
        settle(z, n);
    }
}

void zk_fle_recv(zk_server *z, int from, rbuf *r)
{
    zk_vote n;
    n.sid = (int)r_u32(r);
    n.zxid = r_u64(r);
    n.round = r_u64(r);
    n.state = (zk_state)r_u8(r);
    n.epoch = r_u32(r);
    if (r->bad || n.sid < 1 || n.sid > z->n) return;
    if (z->state != ZK_LOOKING) {
        if (n.state == ZK_LOOKING) send_vote(z, from, &z->vote, z->state);
        return;
    }
    arm_notify(z);
    if (n.state == ZK_LOOKING) from_looking(z, from, &n);
    else from_settled(z, from, &n);
}
