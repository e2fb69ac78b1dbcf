/* raft_log: the replicated log of a Raft node: records with the leader
 * epoch they were written in, and the epoch lookups that Fetch's
 * divergence check needs (ReplicatedLog, KafkaMetadataLog, the leader
 * epoch cache). Epochs never decrease along the log, so lookups are a
 * binary search. */
#include "raft_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int64_t held(const raft_log *l) { return l->n - l->start; }

void rlog_free(raft_log *l)
{
    for (int64_t i = 0; i < held(l); i++) free(l->recs[i].data);
    free(l->recs);
    memset(l, 0, sizeof *l);
}

void rlog_append(raft_log *l, int32_t epoch, bool control, const uint8_t *d, size_t len)
{
    QL_ASSERT(epoch >= rlog_last_epoch(l));
    int64_t i = held(l);
    VEC_GROW(l->recs, i, l->cap);
    raft_rec *rec = &l->recs[i];
    l->n++;
    rec->epoch = epoch;
    rec->control = control;
    rec->more = false;
    rec->len = (uint32_t)len;
    rec->data = NULL;
    if (len) {
        rec->data = xmalloc(len);
        memcpy(rec->data, d, len);
    }
}

void rlog_truncate(raft_log *l, int64_t end)
{
    if (end < l->start) end = l->start;
    for (int64_t o = end; o < l->n; o++) free(rlog_rec(l, o)->data);
    if (end < l->n) l->n = end;
}

int32_t rlog_last_epoch(const raft_log *l)
{
    return held(l) ? rlog_rec(l, l->n - 1)->epoch : l->start_epoch;
}

void rlog_advance_start(raft_log *l, raft_oe at)
{
    QL_ASSERT(at.offset >= l->start && at.offset <= l->n);
    int64_t drop = at.offset - l->start;
    for (int64_t i = 0; i < drop; i++) free(l->recs[i].data);
    memmove(l->recs, l->recs + drop, sizeof *l->recs * (size_t)(held(l) - drop));
    l->start = at.offset;
    l->start_epoch = at.epoch;
}

void rlog_start_at(raft_log *l, raft_oe at)
{
    rlog_truncate(l, l->start);
    l->start = l->n = at.offset;
    l->start_epoch = at.epoch;
}

uint64_t rlog_bytes(const raft_log *l)
{
    uint64_t b = 0;
    for (int64_t i = 0; i < held(l); i++) b += l->recs[i].len;
    return b;
}

/* The first offset whose epoch is above e (the log's end when none). */
static int64_t first_above(const raft_log *l, int32_t e)
{
    int64_t lo = l->start, hi = l->n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (rlog_rec(l, mid)->epoch > e) hi = mid; else lo = mid + 1;
    }
    return lo;
}

raft_oe rlog_end_for_epoch(const raft_log *l, int32_t e)
{
    int32_t last = rlog_last_epoch(l);
    if (e >= last) {
        /* the latest epoch ends at the log's end; an epoch above every
         * one the log holds is unknown to it (KafkaMetadataLog answers
         * with the log's end and its last epoch) */
        return (raft_oe){ l->n, e == last ? e : last };
    }
    int64_t higher = first_above(l, e);
    if (higher == 0) return (raft_oe){ 0, e };  /* below every epoch held */
    /* every record held is of a later epoch: e's end is the log start,
     * whose epoch is the snapshot's there (KafkaMetadataLog.endOffsetForEpoch
     * answers with the earliest snapshot's id) */
    if (higher == l->start) return (raft_oe){ l->start, l->start_epoch };
    return (raft_oe){ higher, rlog_rec(l, higher - 1)->epoch };
}

bool rlog_valid_fetch(const raft_log *l, int64_t offset, int32_t epoch, raft_oe *div)
{
    if (offset == 0 && l->start == 0) return true;  /* an empty log agrees */
    raft_oe end = rlog_end_for_epoch(l, epoch);
    if (end.epoch != epoch || end.offset < offset) {
        *div = end;
        return false;
    }
    return true;
}

void rlog_truncate_to(raft_log *l, raft_oe div)
{
    raft_oe own = rlog_end_for_epoch(l, div.epoch);
    rlog_truncate(l, own.offset < div.offset ? own.offset : div.offset);
}
