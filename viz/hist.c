/* hist: per-second counts and leader samples for the plots. */
#include "hist.h"
#include "snap.h"

#include <string.h>

void viz_hist_reset(viz_hist *h)
{
    memset(h, 0, sizeof *h);
    for (int r = 0; r < VIZ_TL_PARTS; r++)
        for (int i = 0; i < VIZ_HIST_N; i++) h->leader[r][i] = -1;
}

static bool kept(const viz_hist *h, uint64_t sec)
{
    return h->any && sec <= h->last_sec && h->last_sec - sec < VIZ_HIST_N;
}

/* Moves the newest second to sec, clearing the seconds in between (the
 * leaders carry over: no sample means no change). */
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
    int prev = (int)(h->last_sec % VIZ_HIST_N);
    for (uint64_t t = from + 1; t <= sec; t++) {
        int i = (int)(t % VIZ_HIST_N);
        h->acked[i] = h->failed[i] = 0;
        for (int r = 0; r < VIZ_TL_PARTS; r++) {
            h->leader[r][i] = h->leader[r][prev];
            h->moved[r][i] = false;
        }
    }
    h->last_sec = sec;
}

void viz_hist_sample(viz_hist *h, const viz_snap *s, const int *leaders,
                     int nleaders)
{
    uint64_t sec = s->now_us / 1000000u;
    if (h->any && sec < h->last_sec) viz_hist_reset(h);     /* a new world */
    bool first = !h->any;
    uint64_t from = h->last_sec;
    roll(h, sec);
    int i = (int)(sec % VIZ_HIST_N);
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
    if (nleaders > VIZ_TL_PARTS) nleaders = VIZ_TL_PARTS;
    h->ntl = nleaders;
    for (int r = 0; r < nleaders; r++) {
        if (h->leader[r][i] != leaders[r] && h->leader[r][i] != -1) h->moved[r][i] = true;
        if (h->leader[r][i] == -1 && leaders[r] != -1 && sec > 0 &&
            kept(h, sec - 1) && h->leader[r][(sec - 1) % VIZ_HIST_N] != -1)
            h->moved[r][i] = true;      /* back from offline */
        h->leader[r][i] = (int16_t)leaders[r];
    }
}

long viz_hist_at(const viz_hist *h, const long *series, uint64_t sec)
{
    return kept(h, sec) ? series[sec % VIZ_HIST_N] : 0;
}

int viz_hist_leader(const viz_hist *h, int row, uint64_t sec, bool *moved)
{
    *moved = false;
    if (row < 0 || row >= VIZ_TL_PARTS || !kept(h, sec)) return -2;
    *moved = h->moved[row][sec % VIZ_HIST_N];
    return h->leader[row][sec % VIZ_HIST_N];
}
