/* raft_fsnap: FetchSnapshot (KIP-630), both sides, as KafkaRaftClient
 * 3.7 runs it: a follower or observer whose Fetch was answered with a
 * SnapshotId asks the leader for the snapshot's bytes from the position
 * it holds (handleFetchSnapshotRequest answers a slice of at most the
 * asked bytes), and once it holds them all the snapshot is frozen and the
 * log starts again at its end (handleFetchSnapshotResponse). */
#include "raft_int.h"
#include "util.h"

#include <string.h>

#define US(ms) ((uint64_t)(ms) * 1000u)

void raft_send_fetch_snapshot(raft *r, int v)
{
    wbuf w;
    raft_begin_request(r, v, &w);
    w_u32(&w, (uint32_t)r->node_id);
    w_u32(&w, (uint32_t)r->q_epoch);
    w_i64(&w, r->fetch_id.offset);
    w_u32(&w, (uint32_t)r->fetch_id.epoch);
    w_i64(&w, (int64_t)r->fetch_buf.len);      /* position: the bytes held */
    w_u32(&w, r->cfg.fetch_snapshot_max_bytes);
    raft_send_to(r, r->voter_nodes[v], RM_FETCH_SNAPSHOT, &w);
}

/* The answer's body after the common head: snapshot id, size, position,
 * bytes (none on an error). */
static void answer(raft *r, int from, uint32_t corr, int err, const raft_snap *sn,
                   int64_t position, size_t n)
{
    wbuf w;
    raft_begin_response(r, &w, corr, err);
    w_i64(&w, sn ? sn->id.offset : -1);
    w_u32(&w, (uint32_t)(sn ? sn->id.epoch : -1));
    w_i64(&w, sn ? (int64_t)sn->len : -1);
    w_i64(&w, position);
    w_bytes(&w, sn ? sn->data + position : NULL, sn ? n : 0);
    raft_send_to(r, from, RM_FETCH_SNAPSHOT_RESP, &w);
}

void raft_on_fetch_snapshot(raft *r, int from, rbuf *in)
{
    uint32_t corr = r_u32(in);
    int replica = (int)r_u32(in);
    int32_t epoch = (int32_t)r_u32(in);
    raft_oe id;
    id.offset = r_i64(in);
    id.epoch = (int32_t)r_u32(in);
    int64_t position = r_i64(in);
    uint32_t max = r_u32(in);
    if (in->bad) return;
    int err = raft_validate_leader_only(r, epoch);
    const raft_snap *sn = err == RERR_NONE ? raft_snap_find(r, id) : NULL;
    if (err == RERR_NONE && !sn) err = RERR_SNAPSHOT_NOT_FOUND;
    if (err == RERR_NONE && (position < 0 || position >= (int64_t)sn->len))
        err = RERR_POSITION_OUT_OF_RANGE;
    if (err != RERR_NONE) {
        answer(r, from, corr, err, NULL, position, 0);
        return;
    }
    size_t n = sn->len - (size_t)position;
    if (max && n > max) n = max;
    raft_note_fetch(r, replica);               /* updateCheckQuorumForFollowingVoter */
    answer(r, from, corr, RERR_NONE, sn, position, n);
}

bool raft_fetch_snapshot_response(raft *r, rbuf *in, int err)
{
    raft_oe id;
    id.offset = r_i64(in);
    id.epoch = (int32_t)r_u32(in);
    int64_t size = r_i64(in);
    int64_t position = r_i64(in);
    const uint8_t *d;
    size_t n = r_bytes(in, &d);
    if (in->bad || r->state != RAFT_FOLLOWER) return false;
    if (err == RERR_SNAPSHOT_NOT_FOUND || (err == RERR_NONE && (id.offset < 0 || id.epoch < 0))) {
        /* the leader deleted it meanwhile: start over with a Fetch */
        raft_snap_stop_fetching(r);
        r->fetch_at_us = raft_now_us(r) + US(r->cfg.fetch_timeout_ms);
        return true;
    }
    if (err != RERR_NONE) return false;
    /* not the download under way (Kafka throws): ignored */
    if (!r->fetching || id.offset != r->fetch_id.offset || id.epoch != r->fetch_id.epoch ||
        position != (int64_t)r->fetch_buf.len)
        return false;
    w_raw(&r->fetch_buf, d, n);
    if ((int64_t)r->fetch_buf.len >= size) raft_snap_downloaded(r);
    r->fetch_at_us = raft_now_us(r) + US(r->cfg.fetch_timeout_ms);
    return true;
}
