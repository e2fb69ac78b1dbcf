/* raft_msg: the names of KRaft's messages and errors, and what each
 * message carries for the trace and the message view (the epochs and
 * offsets a learner follows an election and a fetch by). The layouts are
 * raft_handle.c's. */
#include "raft_int.h"
#include "util.h"

#include <stdio.h>

static const char *const msg_names[RM_END - RM_VOTE] = {
    "Vote", "VoteResp", "BeginQuorumEpoch", "BeginQuorumEpochResp",
    "EndQuorumEpoch", "EndQuorumEpochResp", "Fetch", "FetchResp",
    "FetchSnapshot", "FetchSnapshotResp",
};

const char *raft_err_name(int err)
{
    static const char *const names[RERR_COUNT] = {
        "NONE", "FENCED_LEADER_EPOCH", "UNKNOWN_LEADER_EPOCH",
        "NOT_LEADER_OR_FOLLOWER", "INCONSISTENT_VOTER_SET", "INVALID_REQUEST",
        "BROKER_NOT_AVAILABLE", "SNAPSHOT_NOT_FOUND", "POSITION_OUT_OF_RANGE",
    };
    return err >= 0 && err < RERR_COUNT ? names[err] : "?";
}

/* A response's head (correlation, error, epoch, leader) in words. */
static void response_text(rbuf *r, uint32_t type, char *out, size_t cap)
{
    r_u32(r);
    int err = r_u8(r);
    int32_t epoch = (int32_t)r_u32(r);
    int leader = (int)r_u32(r);
    if (r->bad) return;
    char tail[80] = "";
    if (type == RM_VOTE_RESP) {
        bool granted = r_u8(r);
        snprintf(tail, sizeof tail, " %s", granted ? "granted" : "rejected");
    } else if (type == RM_FETCH_RESP && err == RERR_NONE) {
        int64_t hw = r_i64(r);
        int32_t div_epoch = (int32_t)r_u32(r);
        int64_t div_end = r_i64(r);
        int64_t snap_end = r_i64(r);
        int32_t snap_epoch = (int32_t)r_u32(r);
        r_i64(r);
        uint32_t n = r_u32(r);
        if (snap_end >= 0)
            snprintf(tail, sizeof tail, " snapshot %lld epoch %d", (long long)snap_end,
                     (int)snap_epoch);
        else if (div_epoch >= 0)
            snprintf(tail, sizeof tail, " diverging epoch %d end %lld", (int)div_epoch,
                     (long long)div_end);
        else
            snprintf(tail, sizeof tail, " %u recs hw %lld", n, (long long)hw);
    } else if (type == RM_FETCH_SNAPSHOT_RESP && err == RERR_NONE) {
        int64_t end = r_i64(r);
        r_u32(r);
        int64_t size = r_i64(r);
        int64_t pos = r_i64(r);
        uint32_t n = r_u32(r);
        snprintf(tail, sizeof tail, " snapshot %lld bytes %lld-%lld of %lld", (long long)end,
                 (long long)pos, (long long)(pos + n), (long long)size);
    }
    if (err != RERR_NONE)
        snprintf(tail, sizeof tail, " %s", raft_err_name(err));
    /* voters are named ctlN as everywhere on screen */
    if (leader >= 0) snprintf(out, cap, "epoch %d leader ctl%d%s", (int)epoch, leader, tail);
    else snprintf(out, cap, "epoch %d no leader%s", (int)epoch, tail);
}

static bool msg_detail(uint32_t type, const uint8_t *head, size_t len,
                       uint64_t *detail, int *code, char *text, size_t cap)
{
    (void)code;
    if (type < RM_VOTE || type >= RM_END) return false;
    rbuf r = rbuf_of(head, len);
    if ((type - RM_VOTE) % 2 == 1) {
        response_text(&r, type, text, cap);
        return !r.bad;
    }
    r_u32(&r);                  /* correlation id */
    if (type == RM_FETCH) {
        int id = (int)r_u32(&r);
        int32_t epoch = (int32_t)r_u32(&r);
        int64_t off = r_i64(&r);
        int32_t last = (int32_t)r_u32(&r);
        if (r.bad) return false;
        *detail = (uint64_t)off;
        snprintf(text, cap, "__cluster_metadata-0 from %lld last epoch %d epoch %d (%d)",
                 (long long)off, (int)last, (int)epoch, id);
        return true;
    }
    if (type == RM_FETCH_SNAPSHOT) {
        int id = (int)r_u32(&r);
        int32_t epoch = (int32_t)r_u32(&r);
        int64_t end = r_i64(&r);
        int32_t sepoch = (int32_t)r_u32(&r);
        int64_t pos = r_i64(&r);
        if (r.bad) return false;
        *detail = (uint64_t)end;
        (void)id;
        (void)epoch;
        snprintf(text, cap, "__cluster_metadata-0 snapshot %lld e%d from byte %lld",
                 (long long)end, (int)sepoch, (long long)pos);
        return true;
    }
    int32_t epoch = (int32_t)r_u32(&r);
    int id = (int)r_u32(&r);
    if (type == RM_VOTE) {
        int32_t last_epoch = (int32_t)r_u32(&r);
        int64_t last_off = r_i64(&r);
        if (r.bad) return false;
        snprintf(text, cap, "epoch %d candidate ctl%d last epoch %d offset %lld",
                 (int)epoch, id, (int)last_epoch, (long long)last_off);
    } else {
        if (r.bad) return false;
        snprintf(text, cap, "epoch %d leader ctl%d", (int)epoch, id);
    }
    *detail = (uint64_t)epoch;
    return true;
}

void raft_name_msgs(sim *s)
{
    if (sim_msg_name(s, RM_VOTE)) return;
    sim_name_msgs(s, RM_VOTE, msg_names, RM_END - RM_VOTE);
    sim_detail_msgs(s, msg_detail);
}
