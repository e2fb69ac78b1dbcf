/* grid: the placement grid: a row per topic-partition, a column per
 * broker. Each cell says what that broker is for that partition (leader,
 * in-sync follower, out-of-sync follower, nothing); offline and
 * under-replicated rows stand out; each row ends with its leader epoch
 * and high watermark. Column heads: id, state, controller mark, counts. */
#include "layout.h"

#include <stdio.h>
#include <string.h>

#define LABEL_W 14              /* "orders-12" */
#define CELL_W 6                /* " LEAD " */

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
    else if (b->status == NODE_PAUSED) { snprintf(out, cap, "pause"); *role = VR_PAUSED; }
    else if (b->isolated) { snprintf(out, cap, "isol"); *role = VR_ISOLATED; }
    else { snprintf(out, cap, "up"); *role = VR_GOOD; }
}

/* How many broker columns fit beside the labels and the epoch/HW. */
int viz_grid_columns(int width)
{
    int n = (width - LABEL_W - 16) / CELL_W;
    return n < 0 ? 0 : n;
}

void viz_panel_grid(const viz_snap *s, const viz_view *v, viz_frame *f,
                    viz_rect r)
{
    int offline = 0, under = 0;
    for (int i = 0; i < s->nparts; i++) {
        offline += viz_part_offline(&s->parts[i]);
        under += !viz_part_offline(&s->parts[i]) && viz_part_under(&s->parts[i]);
    }
    char title[128];
    int n = snprintf(title, sizeof title, "PLACEMENT  %d partitions", s->parts_total);
    if (offline) n += snprintf(title + n, sizeof title - (size_t)n, "  %d OFFLINE", offline);
    if (under) snprintf(title + n, sizeof title - (size_t)n, "  %d under-replicated", under);
    viz_panel_title(f, r, title);
    if (r.h < 5) return;
    int end = r.x + r.w;
    int ncols = viz_grid_columns(r.w);
    if (ncols > s->nbrokers) ncols = s->nbrokers;
    int x0 = r.x + LABEL_W;
    /* three head rows: id (and controller mark), state, counts */
    viz_frame_put(f, r.y + 1, r.x + 1, x0, VR_DIM, "broker");
    viz_frame_put(f, r.y + 2, r.x + 1, x0, VR_DIM, "state");
    viz_frame_put(f, r.y + 3, r.x + 1, x0, VR_DIM, "lead/repl");
    for (int c = 0; c < ncols; c++) {
        const viz_broker *b = &s->brokers[c];
        int x = x0 + c * CELL_W;
        bool sel = v->focus == VF_NODES && v->sel >= 0 && v->sel < s->nnodes &&
                   s->nodes[v->sel].node == b->node;
        viz_frame_putf(f, r.y + 1, x, x + CELL_W, sel ? VR_SELECT : VR_NORMAL,
                       "%s%d%s", sel ? ">" : " ", b->id, b->controller ? "*" : "");
        char st[8];
        viz_role role;
        head_state(b, st, sizeof st, &role);
        viz_frame_put(f, r.y + 2, x + 1, x + CELL_W, role, st);
        viz_frame_putf(f, r.y + 3, x + 1, x + CELL_W, VR_DIM, "%d/%d",
                       b->leaders, b->replicas);
    }
    int xe = x0 + ncols * CELL_W;
    viz_frame_put(f, r.y + 1, xe + 1, end, VR_DIM, "epoch  hw");
    if (ncols < s->nbrokers)
        viz_frame_putf(f, r.y + 2, xe + 1, end, VR_DIM, "+%d more", s->nbrokers - ncols);
    for (int i = 0; i < s->nparts && r.y + 4 + i < r.y + r.h; i++) {
        const viz_partition *p = &s->parts[i];
        int row = r.y + 4 + i;
        bool off = viz_part_offline(p), und = viz_part_under(p);
        viz_role label = off ? VR_BAD : und ? VR_WARN : VR_NORMAL;
        viz_frame_putf(f, row, r.x + 1, x0 - 1, label, "%s-%d", p->topic, p->p);
        for (int c = 0; c < ncols; c++) {
            viz_replica rep = viz_replica_of(p, s->brokers[c].id);
            int x = x0 + c * CELL_W;
            viz_frame_put(f, row, x + 1, x + CELL_W, off && rep != VZ_NONE
                          ? VR_BAD : cell_role(rep), cell_word(rep));
        }
        int col = viz_frame_putf(f, row, xe + 1, end, VR_NORMAL, "%5d ", p->leader_epoch);
        if (p->hw >= 0) col = viz_frame_putf(f, row, col, end, VR_NORMAL, "%lld", (long long)p->hw);
        else col = viz_frame_put(f, row, col, end, VR_DIM, "-");
        if (off) viz_frame_put(f, row, col + 1, end, VR_BAD, "OFFLINE");
        else if (und) viz_frame_put(f, row, col + 1, end, VR_WARN, "under");
    }
}
