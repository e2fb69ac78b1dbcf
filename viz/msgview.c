/* msgview: draws the message view, a sequence diagram: a column per node,
 * a row per message, an arrow from sender to receiver, newest at the
 * bottom, or, scrolled back (PgUp), the page that ends at the row
 * v->msgs_anchor names, held there as new rows come. The rows come from
 * the model (msgs.c); this file only places them. A message in flight
 * is a dashed line without a head; a delivered one is solid with a head
 * at the receiver; a dropped one ends in a cross and is drawn in the
 * error role, so monochrome still tells them apart. */
#include "layout.h"
#include "msgs.h"
#include "text.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

#define PREFIX_W 8              /* "  12.345" send time */
#define LANE_MIN_W 9            /* columns per node at least */
#define LANES_MAX 16
#define ROWS_MAX 2048           /* rows scrolled through: the model keeps
                                   VIZ_MSGS_KEPT a layer */

typedef struct lanes {
    int node[LANES_MAX];        /* node index of each column, ascending */
    char name[LANES_MAX][12];
    int x[LANES_MAX];           /* screen column of its line */
    int n;
} lanes;

static int lane_of(const lanes *l, int node)
{
    for (int i = 0; i < l->n; i++)
        if (l->node[i] == node) return i;
    return -1;
}

static void lane_add(lanes *l, int node, const char *name, int max)
{
    if (lane_of(l, node) >= 0 || l->n >= max) return;
    int i = l->n++;
    /* kept in node order, so columns do not move as traffic changes */
    while (i > 0 && l->node[i - 1] > node) {
        l->node[i] = l->node[i - 1];
        memcpy(l->name[i], l->name[i - 1], sizeof l->name[i]);
        i--;
    }
    l->node[i] = node;
    snprintf(l->name[i], sizeof l->name[i], "%s", name);
}

/* Whether the snapshot has node down. */
static bool node_down(const viz_snap *s, int node)
{
    for (int i = 0; i < s->nnodes; i++)
        if (s->nodes[i].node == node) return s->nodes[i].status == NODE_DOWN;
    return false;
}

/* Columns: the nodes of the rows (newest first) as many as fit, then
 * each server, controller or broker that is down (the filter's nodes
 * only, when it names some): a dead node keeps its column whether or
 * not others still send to it (a dead controller kept one, a dead
 * broker lost it). Shown in node order so that, while every node fits,
 * columns do not move as traffic changes. */
static void lanes_make(const viz_snap *s, const viz_msg_filter *mf,
                       const viz_msg *const *rows, int n, viz_rect r, lanes *l)
{
    memset(l, 0, sizeof *l);
    int max = (r.w - PREFIX_W) / LANE_MIN_W;
    if (max > LANES_MAX) max = LANES_MAX;
    for (int i = n - 1; i >= 0 && l->n < max; i--) {
        lane_add(l, rows[i]->from, rows[i]->from_name, max);
        lane_add(l, rows[i]->to, rows[i]->to_name, max);
    }
    if (l->n == 0) return;
    for (int i = 0; i < s->nnodes && l->n < max; i++) {
        const viz_node *vn = &s->nodes[i];
        bool chosen = mf->nnodes == 0;
        for (int k = 0; k < mf->nnodes; k++) chosen |= mf->nodes[k] == vn->node;
        if (vn->status == NODE_DOWN && chosen) lane_add(l, vn->node, vn->name, max);
    }
    int w = (r.w - PREFIX_W) / l->n;
    for (int i = 0; i < l->n; i++) l->x[i] = r.x + PREFIX_W + w * i + w / 2;
}

static void put_center(viz_frame *f, int row, int x, int end, viz_role role,
                       const char *s)
{
    int at = x - text_width(s) / 2;
    viz_frame_put(f, row, at, end, role, s);
}

static int lo_hi(int a, int b, int hi) { return (a < b) == !hi ? a : b; }

/* The message's name: on its arrow when it fits there (leaving both
 * ends' cells and a space), else past the arrow's right end, else before
 * its left end, else on the arrow cut short. */
static void label(viz_frame *f, int row, viz_rect r, int lo, int hi, viz_role role,
                  const char *type, const char *detail)
{
    char whole[100];
    snprintf(whole, sizeof whole, "%s%s%s", type, detail[0] ? " " : "", detail);
    int end = r.x + r.w, tw = text_width(whole);
    /* on a short arrow the type alone, rather than the whole beside it */
    const char *name = tw + 6 > hi - lo && hi > lo && text_width(type) + 6 <= hi - lo &&
                       hi + 2 + tw > end && lo - 1 - tw < r.x + PREFIX_W ? type : whole;
    tw = text_width(name);
    if (tw + 6 <= hi - lo) {
        int at = lo + 2 + (hi - lo - 4 - tw) / 2;
        viz_frame_put(f, row, at - 1, end, role, " ");
        viz_frame_put(f, row, at + tw, end, role, " ");
        viz_frame_put(f, row, at, end, role, name);
    } else if (hi + 2 + tw <= end) {
        viz_frame_put(f, row, hi + 2, end, role, name);
    } else if (lo - 1 - tw >= r.x + PREFIX_W) {
        viz_frame_put(f, row, lo - 1 - tw, end, role, name);
    } else {
        /* on the arrow, cut at a word: a number cut short would read as
         * another number ("isr 101,10") */
        char fit[100];
        int room = hi - 1 - (lo + 2);
        if (text_fit(name, room, fit, sizeof fit) < tw) {
            char *sp = strrchr(fit, ' ');
            if (sp && (size_t)(sp - fit) >= strlen(type)) *sp = '\0';
        }
        viz_frame_put(f, row, lo + 2, hi - 1, role, fit);
    }
}

static void draw_row(viz_frame *f, int row, viz_rect r, const lanes *l,
                     const viz_msg *g)
{
    int end = r.x + r.w;
    for (int i = 0; i < l->n; i++)
        viz_frame_put(f, row, l->x[i], end, VR_DIM, "│");
    unsigned long long ms = (unsigned long long)(g->sent_us / 1000);
    viz_frame_putf(f, row, r.x, r.x + PREFIX_W, VR_DIM, "%4llu.%03llu",
                   ms / 1000, ms % 1000);
    int a = lane_of(l, g->from), b = lane_of(l, g->to);
    int x0 = l->x[a], x1 = l->x[b], dir = x1 > x0 ? 1 : -1;
    viz_role role = g->state == VMS_DROPPED ? VR_BAD :
                    g->state == VMS_FLIGHT ? VR_WARN : VR_NORMAL;
    if (a == b) {       /* to itself (a controller to its own broker) */
        viz_frame_put(f, row, x0 + 1, end, role,
                      g->state == VMS_DROPPED ? "✗" : "↺");
        label(f, row, r, x0 + 1, x0 + 1, role, g->type, g->detail);
        return;
    }
    const char *line = g->state == VMS_FLIGHT ? "┄" : "─";
    for (int x = x0 + dir; x != x1; x += dir)
        viz_frame_put(f, row, x, end, role, line);
    if (g->state == VMS_DELIVERED)
        viz_frame_put(f, row, x1 - dir, end, role, dir > 0 ? "▶" : "◀");
    else if (g->state == VMS_DROPPED)
        viz_frame_put(f, row, x1 - dir, end, role, "✗");
    label(f, row, r, lo_hi(x0, x1, 0), lo_hi(x0, x1, 1), role, g->type, g->detail);
}

/* Rows of messages the view in r has room for: less its title, the
 * lane names and, full screen, the keys' line. */
static int view_rows(const viz_view *v, viz_rect r)
{
    return r.h - 2 - (v->msgs == VM_FULL ? 1 : 0);
}

/* How many of the n rows (oldest first) end the page shown: all of them
 * when following the newest, else those up to the anchor's, at least a
 * page (the anchor's row may have left the model since). */
static int page_end(const viz_view *v, const viz_msg *const *rows, int n, int avail)
{
    if (!v->msgs_anchor) return n;
    int end = 0;
    while (end < n && rows[end]->id <= v->msgs_anchor) end++;
    int least = avail < n ? avail : n;
    return end < least ? least : end;
}

void viz_msgs_scroll(const viz_snap *s, viz_view *v, viz_rect r, viz_msgs_scroll_to to)
{
    static const viz_msg *rows[ROWS_MAX];
    int n = s->msgs ? viz_msgs_rows(s->msgs, &v->msgf, rows, ROWS_MAX) : 0;
    int avail = view_rows(v, r), page = avail > 1 ? avail - 1 : 1;
    int end = page_end(v, rows, n, avail);
    switch (to) {
    case VMV_OLDER: end -= page; break;
    case VMV_NEWER: end += page; break;
    case VMV_OLDEST: end = 0; break;
    case VMV_NEWEST: end = n; break;
    }
    if (end < avail) end = avail;           /* a whole page at the oldest */
    if (end < 1) end = 1;
    v->msgs_anchor = end >= n ? 0 : rows[end - 1]->id;
}

static void title(const viz_view *v, const char *lang, int newer, viz_frame *f, viz_rect r)
{
    static const char *const names[] = { "zab", "election", "session", "kafka", "kraft" };
    char t[200];
    int n = snprintf(t, sizeof t, "%s ", viz_tr(lang, "MESSAGES"));
    if (newer > 0)          /* first: what a learner scrolled back must see */
        n += snprintf(t + n, sizeof t - (size_t)n, viz_tr(lang, " %d newer below (PgDn, End) "),
                      newer);
    for (int i = 0; i < 5 && n < (int)sizeof t; i++)
        if (v->msgf.layers & (1u << i))
            n += snprintf(t + n, sizeof t - (size_t)n, " %s", names[i]);
    if (n < (int)sizeof t)
        n += snprintf(t + n, sizeof t - (size_t)n, "  · %s",
                      viz_tr(lang, v->msgf.pings ? "pings shown" : "pings hidden"));
    if (v->msgf.nnodes && n < (int)sizeof t)
        snprintf(t + n, sizeof t - (size_t)n, "  · %s",
                 viz_tr(lang, "chosen nodes only"));
    viz_panel_title(f, r, t);
}

void viz_panel_msgs(const viz_snap *s, const viz_view *v, viz_frame *f,
                    viz_rect r)
{
    if (r.h < 1) return;
    const viz_msgs *m = s->msgs;
    static const viz_msg *rows[ROWS_MAX];
    int avail = view_rows(v, r);
    int n = m && avail >= 1 ? viz_msgs_rows(m, &v->msgf, rows, ROWS_MAX) : 0, k = 0;
    int end = page_end(v, rows, n, avail);
    title(v, s->lang, n - end, f, r);
    if (!m || avail < 1) return;
    if (v->msgs == VM_FULL)                     /* the filter keys' line */
        viz_frame_put(f, r.y + r.h - 1, r.x + 1, r.x + r.w, VR_DIM,
                      viz_tr(s->lang, "1-5 zab/election/session/kafka/kraft  0 all  "
                                      "g pings  t node  a all nodes  m close"));
    n = end;                                    /* the page ends here */
    lanes l;
    lanes_make(s, &v->msgf, rows, n, r, &l);
    if (l.n == 0) {
        viz_frame_put(f, r.y + 1, r.x + 1, r.x + r.w, VR_DIM,
                      viz_tr(s->lang, "no messages yet (pings hidden: g shows them)"));
        return;
    }
    for (int i = 0; i < l.n; i++) {
        bool down = node_down(s, l.node[i]);
        char head[24];
        snprintf(head, sizeof head, down ? "%s down" : "%s", l.name[i]);
        int w = l.n > 1 ? l.x[1] - l.x[0] - 1 : r.w;
        put_center(f, r.y + 1, l.x[i], r.x + r.w, down ? VR_DOWN : VR_KEY,
                   text_width(head) <= w ? head : l.name[i]);
    }
    /* the newest rows of the page whose both ends have a column */
    for (int i = 0; i < n; i++)
        if (lane_of(&l, rows[i]->from) >= 0 && lane_of(&l, rows[i]->to) >= 0)
            rows[k++] = rows[i];
    int first = k > avail ? k - avail : 0;
    for (int i = first; i < k; i++) draw_row(f, r.y + 2 + i - first, r, &l, rows[i]);
}
