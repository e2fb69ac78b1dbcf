/* plots: the clients panel (each producer and consumer, the broker it
 * last talked to, its counts, its bootstrap list where there is room,
 * and under it, only when it believes a wrong leader, which partitions
 * and what they really are) and the plots panel (throughput and
 * error sparklines, a leader timeline per partition). */
#include "layout.h"
#include "ko.h"
#include "hist.h"
#include "text.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

/* How many of c's partitions it believes led by a broker that does not
 * lead them: a client that knows no leader yet is not wrong, only new. */
static int stale_count(const viz_client *c)
{
    int n = 0;
    for (int p = 0; p < c->nbelief; p++)
        if (c->believed[p] >= 0 && c->believed[p] != c->actual[p]) n++;
    return n;
}

int viz_clients_rows(const viz_snap *s, int max_clients)
{
    int rows = 0;
    for (int i = 0; i < s->nclients && i < max_clients; i++)
        rows += 1 + s->clients[i].producer + (stale_count(&s->clients[i]) > 0);
    return rows;
}

/* A producer's second line: its failed and lost records when the first
 * line had no room for them, then the settings that decide what it sees (which
 * partition its records go to, how long a record may take), each only
 * when it fits whole. */
static void settings_line(const viz_client *c, const char *L, bool fail_shown,
                          bool lost_shown, viz_frame *f, int row, int col, int end)
{
    char fail[32], lost[32], part[48], dt[48];
    snprintf(fail, sizeof fail, viz_tr(L, "fail %ld"), c->failed);
    snprintf(lost, sizeof lost, viz_tr(L, "lost %ld"), c->lost);
    if (!fail_shown)
        col = viz_frame_put(f, row, col, end, c->failed ? VR_BAD : VR_DIM, fail) + 2;
    if (c->partition >= 0) snprintf(part, sizeof part, viz_tr(L, "partition %d"), c->partition);
    else snprintf(part, sizeof part, "%s", viz_tr(L, c->keyed ? "keyed: murmur2(key)"
                                                             : "no key: sticky"));
    snprintf(dt, sizeof dt, "delivery.timeout.ms=%u", (unsigned)c->delivery_timeout_ms);
    if (!lost_shown)
        col = viz_frame_put(f, row, col, end, c->lost ? VR_BAD : VR_DIM, lost) + 2;
    const char *rest[] = { part, dt };
    for (int i = 0; i < 2; i++) {
        if (col + text_width(rest[i]) > end) break;
        col = viz_frame_put(f, row, col, end, VR_DIM, rest[i]) + 2;
    }
}

/* One stale partition in words, long ("orders-1: thinks 104, is 102") or
 * short ("orders-1: 104, is 102"). */
static void stale_piece(const viz_client *c, int p, bool lng, const char *L,
                        char *out, size_t cap)
{
    char is[32];
    if (c->actual[p] >= 0) snprintf(is, sizeof is, "%d", c->actual[p]);
    else snprintf(is, sizeof is, "%s", viz_tr(L, "offline"));
    char raw[160];
    snprintf(raw, sizeof raw, viz_tr(L, lng ? "%s-%d: thinks %d, is %s" : "%s-%d: %d, is %s"),
             c->topic, p, c->believed[p], is);
    ko_resolve(raw, out, cap);      /* measured as it shows: "104로" */
}

/* The second line of a client whose beliefs are stale: every wrong
 * partition in the long form when they all fit, else as many as fit in
 * the short one and "+N" for the rest (the first always shows, cut at
 * the panel's edge if it must). */
static void stale_line(const viz_client *c, const char *L, viz_frame *f, int row,
                       int col, int end)
{
    int nstale = stale_count(c), shown = 0;
    char line[256] = "", piece[96];
    for (int lng = 1; lng >= 0; lng--) {
        line[0] = '\0';
        shown = 0;
        for (int p = 0; p < c->nbelief; p++) {
            if (c->believed[p] < 0 || c->believed[p] == c->actual[p]) continue;
            stale_piece(c, p, lng, L, piece, sizeof piece);
            char next[sizeof line + 2 + sizeof piece], more[16] = "";
            snprintf(next, sizeof next, "%s%s%s", line, shown ? "; " : "", piece);
            if (shown + 1 < nstale) snprintf(more, sizeof more, " +%d", nstale - shown - 1);
            if (shown > 0 && text_width(next) + text_width(more) > end - col) break;
            if (shown == 0 && lng && text_width(next) + text_width(more) > end - col) break;
            size_t n = strlen(next);    /* fits: its width was checked */
            if (n >= sizeof line) break;
            memcpy(line, next, n + 1);
            shown++;
        }
        if (shown == nstale) break;
    }
    if (shown < nstale) {
        size_t len = strlen(line);
        snprintf(line + len, sizeof line - len, " +%d", nstale - shown);
    }
    viz_frame_put(f, row, col, end, VR_BAD, line);
}

void viz_panel_clients(const viz_snap *s, viz_frame *f, viz_rect r)
{
    const char *L = s->lang;
    viz_panel_title(f, r, viz_tr(L, "CLIENTS  → broker it talks to"));
    int end = r.x + r.w;
    int namew = 2;          /* counts line up under each other */
    for (int i = 0; i < s->nclients; i++)
        if (text_width(s->clients[i].name) > namew) namew = text_width(s->clients[i].name);
    int row = r.y + 1;
    for (int i = 0; i < s->nclients && row < r.y + r.h; i++) {
        const viz_client *c = &s->clients[i];
        viz_role role = c->status == NODE_DOWN ? VR_DOWN : VR_NORMAL;
        int col = viz_frame_putf(f, row, r.x + 1, end, role, "%-*s", namew, c->name);
        if (c->real[0]) {       /* a real client: its server, address, last op */
            col = viz_frame_putf(f, row, col + 1, end, VR_NORMAL, "→%-4s", c->talks);
            viz_frame_put(f, row, col + 1, end, VR_DIM, c->real);
            row++;
            continue;
        }
        /* acks decides what "ok" means: the leader alone has it (1), the
         * ISR has it (all), or nobody answered (0) */
        char acks[16] = "";
        if (c->producer)
            snprintf(acks, sizeof acks, c->acks < 0 ? "acks=all" : "acks=%d", c->acks);
        char ok[32], fail[32];
        /* a consumer's count is what it read: "ok 0" said nothing */
        if (c->consumer) snprintf(ok, sizeof ok, viz_tr(L, "read %ld"), c->read);
        else snprintf(ok, sizeof ok, viz_tr(L, "ok %ld"), c->acked);
        snprintf(fail, sizeof fail, viz_tr(L, "fail %ld"), c->failed);
        /* one space between the counts when two would cut the fail count */
        int need = (acks[0] ? 1 + text_width(acks) : 0) + 6 + 1 + text_width(ok) + 2 +
                   text_width(fail);
        int gap = col + need <= end ? 2 : 1;
        if (acks[0]) col = viz_frame_put(f, row, col + 1, end, VR_WARN, acks);
        col = viz_frame_putf(f, row, col + 1, end, VR_NORMAL, "→%-4s", c->talks);
        col = viz_frame_put(f, row, col + gap - 1, end, VR_GOOD, ok);
        /* a count that would be cut goes to a producer's second line */
        bool fail_shown = !c->producer || col + gap + text_width(fail) <= end;
        if (fail_shown && !(c->consumer && c->failed == 0))
            col = viz_frame_put(f, row, col + gap, end, c->failed ? VR_BAD : VR_DIM, fail);
        /* lost: acknowledged, then gone (lab.audit) */
        char lost[32];
        snprintf(lost, sizeof lost, viz_tr(L, "lost %ld"), c->lost);
        bool lost_shown = c->producer && fail_shown && col + gap + text_width(lost) <= end;
        if (lost_shown)
            col = viz_frame_put(f, row, col + gap, end, c->lost ? VR_BAD : VR_DIM, lost);
        /* the bootstrap list only where it fits whole */
        char boot[96];
        snprintf(boot, sizeof boot, viz_tr(L, "boot %s"), c->boot);
        if (c->boot[0] && col + 2 + text_width(boot) <= end)
            viz_frame_put(f, row, col + 2, end, VR_DIM, boot);
        row++;
        if (c->producer && row < r.y + r.h)
            settings_line(c, L, fail_shown, lost_shown, f, row++, r.x + 3, end);
        if (stale_count(c) > 0 && row < r.y + r.h)
            stale_line(c, L, f, row++, r.x + 3, end);
    }
    if (s->nclients == 0 && r.h > 1) {
        /* the hint names a topic that exists, or says a topic comes
         * first, without naming one a lesson's task may not want */
        char hint[160];
        static const char *const no_topic[] = {
            "no producer or consumer yet (a topic first)",
            "no producer or consumer yet",
            "no clients yet",
        };
        if (s->ntopics > 0) {
            snprintf(hint, sizeof hint, viz_tr(L, "no producer or consumer yet (:produce %s 100)"),
                     s->topics[0].name);
            if (text_width(hint) > end - (r.x + 1))
                snprintf(hint, sizeof hint, "%s", viz_tr(L, "no producer or consumer yet"));
            viz_frame_put(f, r.y + 1, r.x + 1, end, VR_DIM, hint);
        } else {
            viz_panel_put_fit(f, r.y + 1, r.x + 1, end, VR_DIM, L, no_topic,
                              (int)(sizeof no_topic / sizeof no_topic[0]));
        }
    }
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

/* The timeline's legend: the longest form that fits. */
static void tl_legend(const viz_snap *s, viz_frame *f, int y, int x, int end)
{
    static const char *const forms[] = {
        "leader each second: its id's last digit, x none (offline), . no record",
        "leader/s: its id's last digit, x none, . no record",
        "leader: id's last digit, x none, . no record",
        "x no leader, . no record",
        "x none . no record",
    };
    viz_panel_put_fit(f, y, x, end, VR_DIM, s->lang, forms,
                      (int)(sizeof forms / sizeof forms[0]));
}

/* The leader timeline: a row per partition of the first grid rows, a
 * column per second, the leader's last digit (yellow the second it
 * changed), x no leader, . no record (before the partition existed, or
 * a stretch replayed after b); under a legend when there is room. */
static void timeline(const viz_snap *s, viz_frame *f, viz_rect r, int end, int x0)
{
    const viz_hist *h = s->hist;
    uint64_t now = s->now_us / 1000000u;
    int y = r.y + 3, bottom = r.y + r.h;
    if (s->ntl > 0 && bottom - y >= 2) tl_legend(s, f, y++, r.x + 1, end);
    for (int row = 0; row < s->ntl && y < bottom; row++, y++) {
        int ti = viz_snap_row_topic(s, row);
        if (ti < 0) break;
        const char *topic = s->topics[ti].name;
        int part = row - s->topics[ti].first_row;
        char label[24];
        snprintf(label, sizeof label, "%.8s-%d", topic, part);
        viz_frame_put(f, y, r.x + 1, x0 - 1, VR_DIM, label);
        int cols = end - x0;
        for (int i = 0; i < cols; i++) {
            uint64_t back = (uint64_t)(cols - 1 - i);
            if (back > now) continue;
            bool moved;
            int id = viz_hist_leader(h, topic, part, now - back, &moved);
            char d[4];
            if (id == VIZ_TL_NONE) snprintf(d, sizeof d, ".");
            else if (id < 0) snprintf(d, sizeof d, "x");
            else snprintf(d, sizeof d, "%d", id % 10);
            viz_frame_put(f, y, x0 + i, end, id == VIZ_TL_NONE ? VR_DIM : id < 0 ? VR_BAD
                          : moved ? VR_WARN : VR_LEADER, d);
        }
    }
}

void viz_panel_plots(const viz_snap *s, viz_frame *f, viz_rect r)
{
    const char *L = s->lang;
    const viz_hist *h = s->hist;
    /* the longest title that fits: a cut one loses its unit */
    static const char *const titles[] = {
        "PLOTS  clients' records/s, newest right", "PLOTS  records/s, newest right",
        "PLOTS  records/s",
    };
    const char *title = NULL;
    for (size_t k = 0; k < sizeof titles / sizeof titles[0] && !title; k++)
        if (text_width(viz_tr(L, titles[k])) <= r.w - 1) title = viz_tr(L, titles[k]);
    viz_panel_title(f, r, title ? title : viz_tr(L, titles[2]));
    int end = r.x + r.w - 1;
    int x0 = r.x + 14;
    uint64_t now = s->now_us / 1000000u;
    if (r.h < 2 || !h) return;
    long last = viz_hist_at(h, h->acked, now > 0 ? now - 1 : 0);
    viz_frame_putf(f, r.y + 1, r.x + 1, x0, VR_DIM, viz_tr(L, "acked %ld/s"), last);
    spark(f, r.y + 1, x0, end, h, h->acked, now, VR_GOOD);
    if (r.h < 3) return;
    long fails = viz_hist_at(h, h->failed, now > 0 ? now - 1 : 0);
    viz_frame_putf(f, r.y + 2, r.x + 1, x0, VR_DIM, viz_tr(L, "failed %ld/s"), fails);
    spark(f, r.y + 2, x0, end, h, h->failed, now, VR_BAD);
    timeline(s, f, r, end, x0);
}
