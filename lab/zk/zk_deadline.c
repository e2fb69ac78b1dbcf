/* zk_deadline: when a server's own timers will act if nothing is heard
 * first: a leader expiring a session (SessionTrackerImpl), a leader giving
 * up for lack of synced followers (Leader.lead's syncLimit check), a
 * follower giving up on a silent leader (the Learner's socket read
 * timeout). Read-only: the same arithmetic the timers do, run forward,
 * so the dashboard's countdowns are the lab's real deadlines. */
#include "zk_int.h"

static uint64_t tick_us(const zk_server *z) { return (uint64_t)z->cfg.tick_ms * 1000; }

static uint64_t half_us(const zk_server *z)
{
    uint64_t h = (uint64_t)z->cfg.tick_ms * 500;
    return h ? h : 1;
}

static int put(zk_deadline *out, int n, int cap, zk_deadline d)
{
    if (n < cap) out[n] = d;
    return n + 1;
}

/* Sessions the leader would expire: each at the first half-tick at or
 * after its expiry (the expiry itself rounded up to a tick, as
 * ExpiryQueue's buckets do). A healthy client pings after a third of its
 * timeout idle, and a follower passes the touch on at the leader's next
 * ping (half a tick): only a session silent longer than that is shown. */
static int sessions(const zk_server *z, zk_deadline *out, int n, int cap)
{
    for (int i = 0; i < z->nsess; i++) {
        const zk_session *s = &z->sess[i];
        if (s->closing) continue;
        uint64_t at = z->tick_due_us;
        if (s->expire_at_us > at)
            at += (s->expire_at_us - at + half_us(z) - 1) / half_us(z) * half_us(z);
        n = put(out, n, cap, (zk_deadline){
            .kind = ZKD_SESSION_EXPIRE, .session = s->id, .since_us = s->touched_us,
            .quiet_us = (uint64_t)s->timeout_ms * 1000 / 3 + half_us(z), .at_us = at });
    }
    return n;
}

/* Leader.lead: on every other half-tick the leader counts followers
 * heard within syncLimit of its own ticks, fewer than a quorum with
 * itself and it stops leading; after the count, every half-tick, it drops
 * a follower whose socket read timed out (silent for syncLimit). Run
 * those checks forward as if nobody were heard from now on. */
static int quorum(const zk_server *z, zk_deadline *out, int n, int cap)
{
    uint64_t sync_us = (uint64_t)z->cfg.sync_limit * tick_us(z);
    uint64_t h = z->half_ticks, at = z->tick_due_us, last = 0;
    bool dropped[ZK_SID_MAX + 1] = { false };
    for (int sid = 1; sid <= z->n; sid++)
        if (z->lh[sid].state == LH_SYNCED && z->lh[sid].heard_us > last)
            last = z->lh[sid].heard_us;
    for (int k = 0; k <= 2 * (int)z->cfg.sync_limit + 3; k++, at += half_us(z)) {
        h++;
        int synced = 0;
        for (int sid = 1; sid <= z->n; sid++) {
            const zk_learner *l = &z->lh[sid];
            synced += l->state == LH_SYNCED && !dropped[sid] &&
                      h - l->heard_tick <= 2 * (uint64_t)z->cfg.sync_limit;
        }
        /* the last follower heard is the one whose silence decides */
        if (h % 2 == 0 && 1 + synced < z->quorum)
            return put(out, n, cap, (zk_deadline){
                .kind = ZKD_LEADER_QUORUM, .since_us = last ? last : z->phase_start_us,
                .quiet_us = tick_us(z), .at_us = at });
        for (int sid = 1; sid <= z->n; sid++)
            if (z->lh[sid].state != LH_NONE && at - z->lh[sid].heard_us > sync_us)
                dropped[sid] = true;
    }
    return n;
}

int zk_server_deadlines(const zk_server *z, zk_deadline *out, int cap)
{
    if (!z->up || sim_node_status(z->s, z->node) != NODE_UP) return 0;
    int n = 0;
    if (z->state == ZK_LEADING && z->phase == PH_BROADCAST) {
        n = quorum(z, out, n, cap);
        n = sessions(z, out, n, cap);
    } else if (z->state == ZK_FOLLOWING && z->phase == PH_BROADCAST) {
        /* the read timeout fires at syncLimit exactly (zk_zab.c) */
        n = put(out, n, cap, (zk_deadline){
            .kind = ZKD_LEADER_SILENT, .since_us = z->leader_heard_us,
            .quiet_us = tick_us(z),
            .at_us = z->leader_heard_us + (uint64_t)z->cfg.sync_limit * tick_us(z) });
    }
    return n < cap ? n : cap;
}
