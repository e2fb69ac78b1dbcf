/* raft_snap: snapshots of the metadata log (KIP-630) as Kafka 3.7 takes,
 * keeps and cleans them. SnapshotGenerator decides when (the bytes or the
 * time since the last one), KafkaMetadataLog keeps them in id order and
 * moves the log start up to one once an older one may go (maybeClean,
 * deleteBeforeSnapshot), and KafkaRaftClient hands the latest to a
 * listener that starts from nothing or is below the log start, and
 * answers a Fetch it cannot serve from the log with the latest's id. */
#include "raft_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define US(ms) ((uint64_t)(ms) * 1000u)
#define SNAP_HEADER_BYTES 16    /* digest, time taken */

/* OffsetAndEpoch.compareTo: epoch first, then offset. */
static int oe_cmp(raft_oe a, raft_oe b)
{
    if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
    return a.offset < b.offset ? -1 : a.offset > b.offset;
}

/* Snapshots.filenameFromSnapshotId, for the trace: 20 digits of end
 * offset, 10 of epoch. */
static void snap_name(raft_oe id, char *out, size_t cap)
{
    snprintf(out, cap, "%020lld-%010d", (long long)id.offset, (int)id.epoch);
}

static void snap_header(const raft_snap *sn, uint64_t *digest, uint64_t *taken_us)
{
    rbuf in = rbuf_of(sn->data, sn->len);
    *digest = r_u64(&in);
    *taken_us = r_u64(&in);
}

const raft_snap *raft_snap_latest(const raft *r)
{
    return r->nsnaps ? &r->snaps[r->nsnaps - 1] : NULL;
}

const raft_snap *raft_snap_find(const raft *r, raft_oe id)
{
    for (int i = 0; i < r->nsnaps; i++)
        if (oe_cmp(r->snaps[i].id, id) == 0) return &r->snaps[i];
    return NULL;
}

void raft_snap_store(raft *r, raft_oe id, uint8_t *data, size_t len)
{
    if (raft_snap_find(r, id)) {                /* storeSnapshot: held already */
        free(data);
        return;
    }
    int i = r->nsnaps;
    VEC_GROW(r->snaps, r->nsnaps, r->capsnaps);
    while (i > 0 && oe_cmp(r->snaps[i - 1].id, id) > 0) {
        r->snaps[i] = r->snaps[i - 1];
        i--;
    }
    r->snaps[i] = (raft_snap){ id, data, len };
    r->nsnaps++;
}

/* forgetSnapshotsBefore: every snapshot below id goes. */
static void forget_before(raft *r, raft_oe id)
{
    int drop = 0;
    while (drop < r->nsnaps && oe_cmp(r->snaps[drop].id, id) < 0) free(r->snaps[drop++].data);
    memmove(r->snaps, r->snaps + drop, sizeof *r->snaps * (size_t)(r->nsnaps - drop));
    r->nsnaps -= drop;
}

void raft_snap_free_all(raft *r)
{
    for (int i = 0; i < r->nsnaps; i++) free(r->snaps[i].data);
    free(r->snaps);
    r->snaps = NULL;
    r->nsnaps = r->capsnaps = 0;
}

static void note(raft *r, raft_oe id, const char *what)
{
    char name[40];
    snap_name(id, name, sizeof name);
    trace_emit(sim_trace(r->s), TR_NOTE, r->node, -1, (uint64_t)id.offset, 0,
               "%s %s snapshot %s, log start offset %lld", sim_node_name(r->s, r->node),
               what, name, (long long)r->log.start);
}

void raft_snapshot_settings(raft *r, const raft_config *from)
{
    r->cfg.snapshot_max_new_record_bytes = from->snapshot_max_new_record_bytes;
    r->cfg.snapshot_max_interval_ms = from->snapshot_max_interval_ms;
    r->cfg.max_retention_bytes = from->max_retention_bytes;
    r->cfg.max_retention_ms = from->max_retention_ms;
    r->cfg.fetch_snapshot_max_bytes = from->fetch_snapshot_max_bytes;
}

/* --- taking one (SnapshotGenerator) --- */

/* createNewSnapshot at everything applied: the id is the next offset and
 * the epoch of the last record in it; none below the log start or held. */
static void take(raft *r)
{
    if (r->next_apply <= r->log.start) return;
    raft_oe id = { r->next_apply, rlog_rec(&r->log, r->next_apply - 1)->epoch };
    if (raft_snap_find(r, id)) return;
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, r->digest);
    w_u64(&w, raft_now_us(r));
    if (r->app.snapshot_write) r->app.snapshot_write(r->app_ctx, &w);
    raft_snap_store(r, id, w.data, w.len);     /* the bytes are the snapshot's now */
    note(r, id, "writes");
}

/* publishLogDelta: the bytes-based test first, then the time-based one;
 * either resets both counters (resetSnapshotCounters). */
void raft_snap_applied(raft *r, uint64_t bytes)
{
    uint64_t now = raft_now_us(r);
    r->snap_bytes += bytes;
    bool by_bytes = r->snap_bytes >= (uint64_t)r->cfg.snapshot_max_new_record_bytes;
    bool by_time = r->cfg.snapshot_max_interval_ms != 0 &&
                   now - r->snap_last_us >= US(r->cfg.snapshot_max_interval_ms);
    if (!by_bytes && !by_time) return;
    r->snap_bytes = 0;
    r->snap_last_us = now;
    take(r);
}

/* --- handing one to the app (updateListenersProgress) --- */

void raft_snap_maybe_load(raft *r)
{
    const raft_snap *sn = raft_snap_latest(r);
    if (!r->up || !sn || r->next_apply >= r->hw) return;
    if (r->next_apply != 0 && r->next_apply >= r->log.start) return;
    uint64_t digest, taken;
    snap_header(sn, &digest, &taken);
    if (r->app.snapshot_load)
        r->app.snapshot_load(r->app_ctx, sn->id.offset, sn->data + SNAP_HEADER_BYTES,
                             sn->len - SNAP_HEADER_BYTES);
    r->next_apply = sn->id.offset;
    r->digest = digest;
    trace_emit_code(sim_trace(r->s), TR_COMMIT, RAFT_TR_COMMIT, r->node, -1,
                    (uint64_t)r->next_apply, r->digest, NULL);
    note(r, sn->id, "loads");
    r->snap_bytes = 0;                          /* publishSnapshot */
    r->snap_last_us = raft_now_us(r);
}

/* --- the Fetch check --- */

int raft_check_fetch(const raft *r, int64_t offset, int32_t epoch, raft_oe *out)
{
    const raft_snap *latest = raft_snap_latest(r);
    /* an empty fetcher is better served by the snapshot than the log */
    if (offset == 0 && latest) {
        *out = latest->id;
        return RFETCH_SNAPSHOT;
    }
    if (latest) {
        raft_oe first = r->snaps[0].id;
        if (offset < r->log.start || (offset == r->log.start && epoch != first.epoch) ||
            epoch < first.epoch) {
            *out = latest->id;
            return RFETCH_SNAPSHOT;
        }
    }
    return rlog_valid_fetch(&r->log, offset, epoch, out) ? RFETCH_VALID : RFETCH_DIVERGING;
}

/* --- cleaning (KafkaMetadataLog.maybeClean) --- */

/* deleteBeforeSnapshot: the log starts at id, when id is held, above the
 * log start and not past the latest snapshot or the log's end. */
static bool delete_before(raft *r, raft_oe id)
{
    const raft_snap *latest = raft_snap_latest(r);
    if (!latest || !raft_snap_find(r, id) || r->log.start >= id.offset ||
        id.offset > latest->id.offset || id.offset > r->log.n)
        return false;
    rlog_advance_start(&r->log, id);
    forget_before(r, id);
    note(r, id, "deletes the log before");
    return true;
}

typedef bool (*clean_pred)(raft *r, const raft_snap *sn, uint64_t *left);

/* cleanSnapshots: the oldest snapshot goes, and the log moves to the
 * next, while the predicate holds; never the latest. */
static bool clean(raft *r, clean_pred pred, uint64_t *left)
{
    bool did = false;
    while (r->nsnaps >= 2 && pred(r, &r->snaps[0], left) && delete_before(r, r->snaps[1].id))
        did = true;
    return did;
}

/* cleanSnapshotsRetentionSize: log and snapshots above the limit. */
static bool over_size(raft *r, const raft_snap *sn, uint64_t *total_snaps)
{
    if (rlog_bytes(&r->log) + *total_snaps <= (uint64_t)r->cfg.max_retention_bytes) return false;
    *total_snaps -= sn->len;
    return true;
}

/* cleanSnapshotsRetentionMs: a snapshot older than the limit (its
 * header's time; Kafka reads its last record's append time). */
static bool too_old(raft *r, const raft_snap *sn, uint64_t *unused)
{
    (void)unused;
    uint64_t digest, taken;
    snap_header(sn, &digest, &taken);
    return raft_now_us(r) - taken > US(r->cfg.max_retention_ms);
}

uint64_t raft_snap_poll_clean(raft *r, uint64_t now)
{
    if (now >= r->clean_at_us) {
        if (r->nsnaps >= 2 && r->cfg.max_retention_bytes >= 0) {
            uint64_t total = 0;
            for (int i = 0; i < r->nsnaps; i++) total += r->snaps[i].len;
            clean(r, over_size, &total);
        }
        if (r->nsnaps >= 2 && r->cfg.max_retention_ms >= 0) clean(r, too_old, NULL);
        r->clean_at_us = now + RAFT_CLEAN_INTERVAL_US;
    }
    /* with one snapshot there is nothing to clean: no wake-up for it */
    return r->nsnaps >= 2 ? r->clean_at_us : UINT64_MAX;
}

/* --- a download (FollowerState.fetchingSnapshot) --- */

void raft_snap_stop_fetching(raft *r)
{
    if (r->fetching) wbuf_free(&r->fetch_buf);
    r->fetching = false;
}

/* The download is frozen into a snapshot and the log truncated to it
 * (truncateToLatestSnapshot: only when it is past the log's end), then
 * the high watermark is at least its end and the app loads it. */
void raft_snap_downloaded(raft *r)
{
    raft_oe id = r->fetch_id;
    uint8_t *data = r->fetch_buf.data;
    size_t len = r->fetch_buf.len;
    r->fetching = false;
    memset(&r->fetch_buf, 0, sizeof r->fetch_buf);
    if (len < SNAP_HEADER_BYTES) {              /* not one of ours: dropped */
        free(data);
        return;
    }
    raft_snap_store(r, id, data, len);
    const raft_snap *latest = raft_snap_latest(r);
    int32_t last = rlog_last_epoch(&r->log);
    if (!(latest->id.epoch > last || (latest->id.epoch == last && latest->id.offset > r->log.n))) {
        note(r, latest->id, "keeps (its log is past it)");
        return;
    }
    int64_t before = r->log.n;
    rlog_start_at(&r->log, latest->id);
    forget_before(r, latest->id);
    trace_emit_code(sim_trace(r->s), TR_SYNC, TSYNC_SNAP, r->node, -1,
                    (uint64_t)r->log.n, (uint64_t)before,
                    "SNAP metadata log %lld -> %lld (FetchSnapshot)",
                    (long long)before, (long long)r->log.n);
    if (r->hw < latest->id.offset) r->hw = latest->id.offset;
    raft_apply_committed(r);
}
