/* hist: per-second counts and leader samples for the plots. */
#include "hist.h"
#include "snap.h"

#include <stdio.h>
#include <string.h>

void viz_hist_reset(viz_hist *h)
{
    memset(h, 0, sizeof *h);
}

static bool kept(const viz_hist *h, uint64_t sec)
{
    return h->any && sec <= h->last_sec && h->last_sec - sec < VIZ_HIST_N;
}

/* Moves the newest second to sec, clearing the counts of the seconds in
 * between (the leaders are each partition's own: see record). */
static void roll(viz_hist *h, uint64_t sec)
{
    if (!h->any) {
        h->any = true;
        h->last_sec = sec;
        int i = (int)(sec % VIZ_HIST_N);
        h->acked[i] = h->failed[i] = 0;
        return;
    }
    if (sec <= h->last_sec) return;
    uint64_t from = sec - h->last_sec > VIZ_HIST_N ? sec - VIZ_HIST_N : h->last_sec;
    for (uint64_t t = from + 1; t <= sec; t++) {
        int i = (int)(t % VIZ_HIST_N);
        h->acked[i] = h->failed[i] = 0;
    }
    h->last_sec = sec;
}

/* The history of topic-part, a fresh one starting at sec when it has
 * none (in a free slot, else in place of the one sampled longest ago). */
static viz_tl *track(viz_hist *h, const char *topic, int part, uint64_t sec)
{
    viz_tl *spare = NULL;
    for (int k = 0; k < VIZ_TL_KEPT; k++) {
        viz_tl *t = &h->tl[k];
        if (t->topic[0] && t->part == part && strcmp(t->topic, topic) == 0) return t;
        if (!spare || (spare->topic[0] && (!t->topic[0] || t->seen_sample < spare->seen_sample)))
            spare = t;
    }
    snprintf(spare->topic, sizeof spare->topic, "%s", topic);
    spare->part = part;
    spare->since_sec = spare->seen_sec = sec;
    spare->seen_sample = h->samples;   /* no sample before: nothing to carry */
    for (int i = 0; i < VIZ_HIST_N; i++) {
        spare->leader[i] = VIZ_TL_NONE;
        spare->moved[i] = false;
    }
    return spare;
}

/* Records leader at second sec. Sampled by the sample before too, the
 * seconds in between carry its last leader (a frame may span seconds:
 * no sample means no change); missed by it, they stay without a record
 * (it was gone, or out of the first rows). */
static void record(viz_hist *h, viz_tl *t, uint64_t sec, int leader)
{
    bool carry = t->seen_sample == h->samples - 1;
    int16_t last = t->leader[t->seen_sec % VIZ_HIST_N];
    if (sec > t->seen_sec) {
        uint64_t from = sec - t->seen_sec > VIZ_HIST_N ? sec - VIZ_HIST_N : t->seen_sec;
        for (uint64_t s = from + 1; s <= sec; s++) {
            t->leader[s % VIZ_HIST_N] = carry ? last : VIZ_TL_NONE;
            t->moved[s % VIZ_HIST_N] = false;
        }
        t->seen_sec = sec;
    }
    int i = (int)(sec % VIZ_HIST_N);
    if (t->leader[i] != VIZ_TL_NONE && t->leader[i] != leader) t->moved[i] = true;
    t->leader[i] = (int16_t)leader;
    t->seen_sample = h->samples;
}

static void sample_leaders(viz_hist *h, const viz_snap *s, uint64_t sec)
{
    int n = s->ntl < VIZ_TL_PARTS ? s->ntl : VIZ_TL_PARTS;
    for (int row = 0; row < n; row++) {
        int ti = viz_snap_row_topic(s, row);
        if (ti < 0) continue;
        viz_tl *t = track(h, s->topics[ti].name, row - s->topics[ti].first_row, sec);
        record(h, t, sec, s->tl_leader[row] >= 0 ? s->tl_leader[row] : -1);
    }
}

void viz_hist_sample(viz_hist *h, const viz_snap *s)
{
    uint64_t sec = s->now_us / 1000000u;
    if (h->any && sec < h->last_sec) viz_hist_reset(h);     /* a new world */
    bool first = !h->any;
    uint64_t from = h->last_sec;
    roll(h, sec);
    long acked = 0, failed = 0;
    for (int c = 0; c < s->nclients; c++) {
        acked += s->clients[c].acked;
        failed += s->clients[c].failed;
    }
    /* a frame may cover several seconds (high speeds): spread what
     * happened since the last sample over them, so the line has no gaps */
    long da = acked >= h->seen_acked ? acked - h->seen_acked : 0;
    long df = failed >= h->seen_failed ? failed - h->seen_failed : 0;
    uint64_t span = first || sec <= from ? 1 : sec - from;
    if (span > VIZ_HIST_N) span = VIZ_HIST_N;
    for (uint64_t k = 0; k < span; k++) {
        int j = (int)((sec - k) % VIZ_HIST_N);
        long part_a = da / (long)span + ((long)k < da % (long)span);
        long part_f = df / (long)span + ((long)k < df % (long)span);
        h->acked[j] += part_a;
        h->failed[j] += part_f;
    }
    h->seen_acked = acked;
    h->seen_failed = failed;
    sample_leaders(h, s, sec);
    h->samples++;
}

long viz_hist_at(const viz_hist *h, const long *series, uint64_t sec)
{
    return kept(h, sec) ? series[sec % VIZ_HIST_N] : 0;
}

int viz_hist_leader(const viz_hist *h, const char *topic, int part, uint64_t sec,
                    bool *moved)
{
    *moved = false;
    if (!kept(h, sec)) return VIZ_TL_NONE;
    for (int k = 0; k < VIZ_TL_KEPT; k++) {
        const viz_tl *t = &h->tl[k];
        if (!t->topic[0] || t->part != part || strcmp(t->topic, topic) != 0) continue;
        if (sec < t->since_sec || sec > t->seen_sec || t->seen_sec - sec >= VIZ_HIST_N)
            return VIZ_TL_NONE;
        *moved = t->moved[sec % VIZ_HIST_N];
        return t->leader[sec % VIZ_HIST_N];
    }
    return VIZ_TL_NONE;
}
