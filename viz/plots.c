/* plots: the clients panel (each producer and consumer, its bootstrap
 * list, the broker it last talked to, its counts, and the leaders it
 * believes beside the real ones) and the plots panel (throughput and
 * error sparklines, a leader timeline per partition). */
#include "layout.h"
#include "hist.h"
#include "text.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

void viz_panel_clients(const viz_snap *s, viz_frame *f, viz_rect r)
{
    const char *L = s->lang;
    viz_panel_title(f, r, viz_tr(L, "CLIENTS  believed leaders / real ones"));
    int end = r.x + r.w;
    for (int i = 0; i < s->nclients && i < r.h - 1; i++) {
        const viz_client *c = &s->clients[i];
        int row = r.y + 1 + i;
        viz_role role = c->status == NODE_DOWN ? VR_DOWN : VR_NORMAL;
        int col = viz_frame_putf(f, row, r.x + 1, end, role, "%-3s", c->name);
        col = viz_frame_putf(f, row, col + 1, end, VR_NORMAL, "->%-4s", c->talks);
        col = viz_frame_putf(f, row, col + 1, end, VR_GOOD, "ok %ld", c->acked);
        col = viz_frame_putf(f, row, col + 1, end, c->failed ? VR_BAD : VR_DIM,
                             "fail %ld", c->failed);
        /* per partition: the believed leader's last digit, red when wrong,
         * then the real ones */
        if (c->nbelief > 0) col = viz_frame_put(f, row, col + 1, end, VR_DIM, "[");
        for (int p = 0; p < c->nbelief; p++) {
            int b = c->believed[p], a = c->actual[p];
            char d[4];
            if (b < 0) snprintf(d, sizeof d, "?");
            else snprintf(d, sizeof d, "%d", b % 10);
            col = viz_frame_put(f, row, col, end, b == a ? VR_GOOD : VR_BAD, d);
        }
        if (c->nbelief > 0) {
            col = viz_frame_put(f, row, col, end, VR_DIM, "/");
            for (int p = 0; p < c->nbelief; p++) {
                char d[4];
                if (c->actual[p] < 0) snprintf(d, sizeof d, "-");
                else snprintf(d, sizeof d, "%d", c->actual[p] % 10);
                col = viz_frame_put(f, row, col, end, VR_NORMAL, d);
            }
            col = viz_frame_put(f, row, col, end, VR_DIM, "]");
        }
        viz_frame_putf(f, row, col + 1, end, VR_DIM, "boot %s", c->boot);
    }
    if (s->nclients == 0 && r.h > 1)
        viz_frame_put(f, r.y + 1, r.x + 1, end, VR_DIM,
                      viz_tr(L, "no producer or consumer yet (:produce orders 100)"));
}

/* A sparkline of the last `cols` seconds of series, scaled to its peak. */
static void spark(viz_frame *f, int row, int col, int end, const viz_hist *h,
                  const long *series, uint64_t now_sec, viz_role role)
{
    int cols = end - col;
    if (cols <= 0 || !h) return;
    long peak = 0;
    for (int i = 0; i < cols; i++) {
        if ((uint64_t)i > now_sec) break;
        long v = viz_hist_at(h, series, now_sec - (uint64_t)i);
        if (v > peak) peak = v;
    }
    for (int i = 0; i < cols; i++) {
        uint64_t back = (uint64_t)(cols - 1 - i);
        long v = back <= now_sec ? viz_hist_at(h, series, now_sec - back) : 0;
        int level = peak > 0 ? (int)((v * 8 + peak - 1) / peak) : 0;
        if (v > 0 && level == 0) level = 1;
        viz_frame_put(f, row, col + i, end, role, bars[level > 8 ? 8 : level]);
    }
}

void viz_panel_plots(const viz_snap *s, viz_frame *f, viz_rect r)
{
    const char *L = s->lang;
    const viz_hist *h = s->hist;
    viz_panel_title(f, r, viz_tr(L, "PLOTS  one column a second, newest right"));
    int end = r.x + r.w - 1;
    int x0 = r.x + 12;
    uint64_t now = s->now_us / 1000000u;
    if (r.h < 2 || !h) return;
    long last = viz_hist_at(h, h->acked, now > 0 ? now - 1 : 0);
    viz_frame_putf(f, r.y + 1, r.x + 1, x0, VR_DIM, "%s %ld/s", viz_tr(L, "acks"), last);
    spark(f, r.y + 1, x0, end, h, h->acked, now, VR_GOOD);
    if (r.h < 3) return;
    long errs = viz_hist_at(h, h->errors, now > 0 ? now - 1 : 0);
    viz_frame_putf(f, r.y + 2, r.x + 1, x0, VR_DIM, "%s %ld/s", viz_tr(L, "errors"), errs);
    spark(f, r.y + 2, x0, end, h, h->errors, now, VR_BAD);
    /* leader timeline: each column shows the leader's last digit */
    for (int row = 0; row < h->ntl && r.y + 3 + row < r.y + r.h; row++) {
        int y = r.y + 3 + row;
        char label[24];
        int ti = -1;
        for (int t = 0; t < s->ntopics; t++)
            if (row >= s->topics[t].first_row &&
                row < s->topics[t].first_row + s->topics[t].nparts) ti = t;
        if (ti < 0) break;
        snprintf(label, sizeof label, "%.8s-%d", s->topics[ti].name,
                 row - s->topics[ti].first_row);
        viz_frame_put(f, y, r.x + 1, x0 - 1, VR_DIM, label);
        int cols = end - x0;
        for (int i = 0; i < cols; i++) {
            uint64_t back = (uint64_t)(cols - 1 - i);
            if (back > now) continue;
            bool moved;
            int id = viz_hist_leader(h, row, now - back, &moved);
            if (id == -2) continue;
            char d[4];
            if (id < 0) snprintf(d, sizeof d, "x");
            else snprintf(d, sizeof d, "%d", id % 10);
            viz_frame_put(f, y, x0 + i, end, id < 0 ? VR_BAD : moved ? VR_WARN
                          : VR_LEADER, d);
        }
    }
}
