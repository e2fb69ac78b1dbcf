/* grid: the placement grid: a row per topic-partition, a column per
 * broker. Each cell says what that broker is for that partition (leader,
 * in-sync follower, out-of-sync follower, nothing); offline and
 * under-replicated rows stand out; each row ends with its leader epoch
 * and high watermark. Column heads: id, state, controller mark, counts.
 * Rows scroll (PgUp/PgDn); columns scroll sideways to keep the selected
 * broker in view. Only the rows on screen are in the snapshot. */
#include "layout.h"
#include "text.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

#define LABEL_W 11              /* "orders-12" */
#define CELL_W 5                /* "LEAD " */
#define TAIL_W 14               /* epoch and hw */

static const char *cell_word(viz_replica r)
{
    switch (r) {
    case VZ_LEADER: return "LEAD";
    case VZ_INSYNC: return "isr";
    case VZ_OUTOFSYNC: return "out";
    default: return ".";
    }
}

static viz_role cell_role(viz_replica r)
{
    switch (r) {
    case VZ_LEADER: return VR_LEADER;
    case VZ_INSYNC: return VR_FOLLOWER;
    case VZ_OUTOFSYNC: return VR_WARN;
    default: return VR_DIM;
    }
}

/* A broker's state word for its column head. */
static void head_state(const viz_broker *b, char *out, size_t cap, viz_role *role)
{
    if (b->status == NODE_DOWN) { snprintf(out, cap, "down"); *role = VR_DOWN; }
    else if (b->status == NODE_PAUSED) { snprintf(out, cap, "paus"); *role = VR_PAUSED; }
    else if (b->isolated) { snprintf(out, cap, "isol"); *role = VR_ISOLATED; }
    else if (b->side) { snprintf(out, cap, "up %c", b->side); *role = VR_ISOLATED; }
    else { snprintf(out, cap, "up"); *role = VR_GOOD; }
}

int viz_grid_columns(int width)
{
    int n = (width - LABEL_W - TAIL_W) / CELL_W;
    return n < 0 ? 0 : n;
}

/* The selected broker's index in s->brokers, -1 when a server or nothing
 * is selected. */
static int selected_broker(const viz_snap *s, const viz_view *v)
{
    if (v->focus != VF_NODES || v->sel < 0 || v->sel >= s->nnodes) return -1;
    for (int i = 0; i < s->nbrokers; i++)
        if (s->brokers[i].node == s->nodes[v->sel].node) return i;
    return -1;
}

int viz_grid_first_col(const viz_snap *s, const viz_view *v, int width)
{
    int ncols = viz_grid_columns(width);
    int sel = selected_broker(s, v);
    if (ncols <= 0 || s->nbrokers <= ncols || sel < 0) return 0;
    int first = sel - ncols / 2;
    if (first > s->nbrokers - ncols) first = s->nbrokers - ncols;
    return first < 0 ? 0 : first;
}

int viz_grid_broker_at(const viz_snap *s, const viz_view *v, viz_rect r, int col)
{
    int x0 = r.x + LABEL_W;
    if (col < x0) return -1;
    int c = (col - x0) / CELL_W;
    int ncols = viz_grid_columns(r.w);
    if (c >= ncols) return -1;
    int b = viz_grid_first_col(s, v, r.w) + c;
    return b < s->nbrokers ? b : -1;
}

static void title(const viz_snap *s, viz_frame *f, viz_rect r)
{
    const char *L = s->lang;
    int offline = 0, under = 0;
    for (int i = 0; i < s->nparts; i++) {
        if (s->parts[i].deleting) continue;     /* not an alarm: going away */
        offline += viz_part_offline(&s->parts[i]);
        under += !viz_part_offline(&s->parts[i]) && viz_part_under(&s->parts[i]);
    }
    char t[200];
    int n = snprintf(t, sizeof t, viz_tr(L, s->parts_total == 1 ? "PLACEMENT  %d partition"
                                                                 : "PLACEMENT  %d partitions"),
                     s->parts_total);
    if (s->nparts < s->parts_total && s->nparts > 0)
        n += snprintf(t + n, sizeof t - (size_t)n, viz_tr(L, "  rows %d-%d (PgUp/PgDn)"),
                      s->parts_first + 1, s->parts_first + s->nparts);
    viz_panel_title(f, r, t);
    /* the alarms stand out in their own colours on the title bar */
    int col = r.x + 3 + text_width(t);
    char a[64];
    if (offline) {
        snprintf(a, sizeof a, viz_tr(L, "%d OFFLINE"), offline);
        col = viz_frame_put(f, r.y, col, r.x + r.w, VR_BAD, a) + 1;
    }
    if (under) {
        snprintf(a, sizeof a, viz_tr(L, "%d under-replicated"), under);
        viz_frame_put(f, r.y, col, r.x + r.w, VR_WARN, a);
    }
}

void viz_panel_grid(const viz_snap *s, const viz_view *v, viz_frame *f,
                    viz_rect r)
{
    const char *L = s->lang;
    title(s, f, r);
    if (r.h < 5) return;
    int end = r.x + r.w;
    int ncols = viz_grid_columns(r.w);
    int first = viz_grid_first_col(s, v, r.w);
    if (ncols > s->nbrokers - first) ncols = s->nbrokers - first;
    int x0 = r.x + LABEL_W;
    int sel = selected_broker(s, v);
    /* three head rows: id (and controller mark), state, counts */
    viz_frame_put(f, r.y + 1, r.x + 1, x0, VR_DIM, viz_tr(L, "broker"));
    viz_frame_put(f, r.y + 2, r.x + 1, x0, VR_DIM, viz_tr(L, "state"));
    viz_frame_put(f, r.y + 3, r.x + 1, x0, VR_DIM, viz_tr(L, "lead/repl"));
    for (int c = 0; c < ncols; c++) {
        const viz_broker *b = &s->brokers[first + c];
        int x = x0 + c * CELL_W;
        bool on = first + c == sel;
        viz_frame_putf(f, r.y + 1, x, x + CELL_W, on ? VR_SELECT : VR_NORMAL,
                       "%d%s", b->id, b->controller ? "*" : "");
        char st[8];
        viz_role role;
        head_state(b, st, sizeof st, &role);
        viz_frame_put(f, r.y + 2, x, x + CELL_W, role, st);
        viz_frame_putf(f, r.y + 3, x, x + CELL_W, VR_DIM, "%d/%d",
                       b->leaders, b->replicas);
    }
    int xe = x0 + ncols * CELL_W;
    viz_frame_put(f, r.y + 1, xe, end, VR_DIM, viz_tr(L, "epoch  hw"));
    if (first > 0 || first + ncols < s->nbrokers)
        /* arrows say which way more brokers are (selecting one scrolls) */
        viz_frame_putf(f, r.y + 2, xe, end, VR_DIM, "%s%d-%d/%d%s", first > 0 ? "<" : "",
                       first + 1, first + ncols, s->nbrokers,
                       first + ncols < s->nbrokers ? ">" : "");
    if (s->kraft) {
        /* KRaft: no broker is the controller; the quorum's leader is */
        if (s->quorum.leader_id >= 0)
            viz_frame_putf(f, r.y + 3, xe, end, VR_DIM, "ctrl ctl%d", s->quorum.leader_id);
        else
            viz_frame_put(f, r.y + 3, xe, end, VR_BAD, "no ctrl");
    } else if (s->controller < 0 && s->controller_znode >= 0)
        /* the controller died but its /controller znode waits for its
         * session to expire: no other broker can take over before */
        viz_frame_putf(f, r.y + 3, xe, end, VR_BAD, "ctrl=%d?", s->controller_znode);
    else if (s->controller < 0)
        viz_frame_put(f, r.y + 3, xe, end, VR_BAD, "no ctrl");
    else
        viz_frame_put(f, r.y + 3, xe, end, VR_DIM, "*=ctrl");
    if (s->parts_total == 0) {
        /* the command's form, not a topic of its own: a lesson's task
         * names the one it wants */
        static const char *const forms[] = {
            "no topic yet: :topic NAME PARTITIONS RF", "no topic yet",
        };
        viz_panel_put_fit(f, r.y + 4, r.x + 1, end, VR_DIM, s->lang, forms, 2);
    }
    for (int i = 0; i < s->nparts && r.y + 4 + i < r.y + r.h; i++) {
        const viz_partition *p = &s->parts[i];
        int row = r.y + 4 + i;
        bool off = !p->deleting && viz_part_offline(p);
        bool und = !p->deleting && viz_part_under(p);
        viz_role label = p->deleting ? VR_DIM : off ? VR_BAD : und ? VR_WARN : VR_NORMAL;
        viz_frame_putf(f, row, r.x + 1, x0 - 1, label, "%s-%d", p->topic, p->p);
        for (int c = 0; c < ncols; c++) {
            viz_replica rep = viz_replica_of(p, s->brokers[first + c].id);
            int x = x0 + c * CELL_W;
            viz_frame_put(f, row, x, x + CELL_W, off && rep != VZ_NONE
                          ? VR_BAD : cell_role(rep), cell_word(rep));
        }
        int col = viz_frame_putf(f, row, xe, end, VR_NORMAL, "%3d ", p->leader_epoch);
        if (p->hw >= 0) col = viz_frame_putf(f, row, col, end, VR_NORMAL, "%-6lld", (long long)p->hw);
        else col = viz_frame_put(f, row, col, end, VR_DIM, "-     ");
        /* marked for deletion: it stays until every replica confirmed */
        if (p->deleting) viz_frame_put(f, row, col, end, VR_WARN, viz_tr(L, "deleting"));
        else if (off) viz_frame_put(f, row, col, end, VR_BAD, "OFFLINE");
        else if (und) viz_frame_put(f, row, col, end, VR_WARN, viz_tr(L, "under"));
    }
}
