/* compare: two worlds side by side (lab.compare). The lesson panel spans
 * the top; below it each half shows one world: its name, its ensemble,
 * its placement grid, its countdowns and its own event log, so a fault
 * that reached both (cluster_twin) is seen doing two different things.
 * The header, keys and status line are the left world's (one clock). The
 * message view (m) as a panel takes each half's log and shows that
 * world's own messages (ZAB beside Raft); in full screen it is the left
 * world's. */
#include "layout.h"
#include "hist.h"
#include "text.h"
#include "util.h"
#include "words.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct half {
    viz_rect name, ensemble, grid, timers, events;
} half;

static viz_rect rect(int x, int y, int w, int h)
{
    viz_rect r = { x, y, w < 0 ? 0 : w, h < 0 ? 0 : h };
    return r;
}

static int lesson_rows(const viz_snap *l, int H)
{
    if (!l->lesson[0] && l->step == 0 && !l->lesson_error) return 0;
    int h = H / 3;
    /* a step of many lines (lab.failover_plot's chart) gets its rows, the
     * frame, a check and the keys, up to half the screen */
    int lines = 1;
    for (const char *p = l->lesson; *p; p++) lines += *p == '\n';
    if (lines > 1 && lines + 5 > h) h = lines + 5 < H / 2 ? lines + 5 : H / 2;
    return h < 6 ? 6 : h;
}

/* One world's half: x..x+w, rows y..y+H; its ensemble (or quorum) panel
 * ens_h rows, the same in both halves so their grids stand side by side. */
static void place_half(const viz_snap *s, int x, int y, int w, int H, int ens_h, half *p)
{
    memset(p, 0, sizeof *p);
    p->name = rect(x, y, w, 1);
    if (ens_h > (H - 1) / 2) ens_h = (H - 1) / 2;
    p->ensemble = rect(x, y + 1, w, ens_h);
    int used = 1 + ens_h, left = H - used;
    int grid_h = 0;
    if (s->nbrokers > 0) {
        grid_h = 4 + s->parts_total;
        if (grid_h > left * 3 / 5) grid_h = left * 3 / 5;
        if (grid_h < 5 && left >= 9) grid_h = 5;
    }
    p->grid = rect(x, y + used, w, grid_h);
    used += grid_h;
    int tm_h = viz_timers_rows(s) < 2 ? viz_timers_rows(s) : 2;
    if (tm_h > H - used - 3) tm_h = H - used - 3 > 0 ? H - used - 3 : 0;
    p->timers = rect(x, y + used, w, tm_h);
    used += tm_h;
    p->events = rect(x, y + used, w, H - used);
}

static void places(const viz_snap *l, const viz_snap *r, const viz_view *v, viz_rect *lesson,
                   half *lh, half *rh)
{
    int top = 1, H = v->h - 3;
    int les = lesson_rows(l, H);
    *lesson = rect(0, top, v->w, les);
    int lw = v->w / 2;
    int ens_h = viz_ensemble_rows(l) > viz_ensemble_rows(r) ? viz_ensemble_rows(l)
                                                           : viz_ensemble_rows(r);
    place_half(l, 0, top + les, lw - 1, H - les, ens_h, lh);
    place_half(r, lw, top + les, v->w - lw, H - les, ens_h, rh);
}

int viz_compare_grid_rows(const viz_snap *l, const viz_snap *r, const viz_view *v)
{
    if (v->w < VIZ_CMP_MIN_W || v->h < VIZ_CMP_MIN_H)
        return viz_layout_grid_rows(v->cmp_right ? r : l, v);
    viz_rect les;
    half lh, rh;
    places(l, r, v, &les, &lh, &rh);
    int a = lh.grid.h - 4, b = rh.grid.h - 4;
    int n = a > b ? a : b;
    return n > 0 ? n : 0;
}

/* The right world's nodes the left lacks (ctl1..ctl3 beside zk1..zk3)
 * join the left snapshot's selectable nodes, after its servers, so Tab
 * reaches them; node -1 there, as no left panel shows them. */
void viz_compare_nodes(viz_snap *l, const viz_snap *r)
{
    int at = l->kraft ? l->quorum.size : l->ens.size;
    if (at > l->nnodes) at = l->nnodes;
    for (int i = 0; i < r->nnodes && l->nnodes < VIZ_NODES_MAX; i++) {
        bool found = false;
        for (int j = 0; j < l->nnodes && !found; j++)
            found = strcmp(l->nodes[j].name, r->nodes[i].name) == 0;
        if (found) continue;
        memmove(&l->nodes[at + 1], &l->nodes[at], (size_t)(l->nnodes - at) * sizeof l->nodes[0]);
        l->nodes[at] = r->nodes[i];
        l->nodes[at++].node = -1;
        l->nnodes++;
    }
}

/* A frame's data of both worlds, after viz_snap_take of each: the right
 * world's nodes among the left's, each grid's visible rows, and each
 * world's history sampled (the leader timeline that the one-world view
 * of a small screen draws; the left's alone is not enough once w shows
 * the right). */
void viz_compare_take(viz_snap *l, viz_snap *r, cluster *lw, cluster *rw, viz_hist *lh,
                      viz_hist *rh, viz_view *v)
{
    viz_compare_nodes(l, r);
    int rows = viz_compare_grid_rows(l, r, v);
    viz_snap_grid(l, lw, v->grid_top, rows);
    viz_snap_grid(r, rw, v->grid_top, rows);
    viz_hist_sample(lh, l);
    viz_hist_sample(rh, r);
    l->hist = lh;
    r->hist = rh;
    viz_layout_fix_scroll(l, v);
}

/* The right world's node index of the left world's node (by name), or -1. */
static int right_node(const viz_snap *l, const viz_snap *r, int lnode)
{
    for (int j = 0; j < l->nnodes; j++) {
        if (l->nodes[j].node != lnode) continue;
        for (int i = 0; i < r->nnodes; i++)
            if (strcmp(r->nodes[i].name, l->nodes[j].name) == 0) return r->nodes[i].node;
    }
    return -1;
}

/* The right half's view: the node of the same name selected, if any, and
 * the message view's node filter (t) naming the same nodes there; nodes
 * the right world lacks (zk1) drop out of its filter. */
static viz_view right_view(const viz_snap *l, const viz_snap *r, const viz_view *v)
{
    viz_view rv = *v;
    rv.sel = -1;
    if (v->sel >= 0 && v->sel < l->nnodes)
        for (int i = 0; i < r->nnodes; i++)
            if (strcmp(r->nodes[i].name, l->nodes[v->sel].name) == 0) rv.sel = i;
    rv.msgf.nnodes = 0;
    for (int k = 0; k < v->msgf.nnodes; k++) {
        int n = right_node(l, r, v->msgf.nodes[k]);
        if (n >= 0) rv.msgf.nodes[rv.msgf.nnodes++] = n;
    }
    return rv;
}

static void draw_half(const viz_snap *s, const char *label, const viz_view *v, viz_frame *f,
                      const half *p)
{
    viz_panel_title(f, p->name, label);
    if (s->kraft) viz_panel_quorum(s, v, f, p->ensemble);
    else viz_panel_ensemble(s, v, f, p->ensemble);
    if (p->grid.h > 0) viz_panel_grid(s, v, f, p->grid);
    if (p->timers.h > 0) viz_panel_timers(s, f, p->timers);
    /* the message view (m) is each world's own: it takes the half's log */
    if (p->events.h > 0 && s->msgs && v->msgs == VM_PANEL) viz_panel_msgs(s, v, f, p->events);
    else if (p->events.h > 0) viz_panel_events(s, f, p->events);
}

/* The right world alone, in the one-world layout, under the left one's
 * header, lesson panel and status line (one clock, one lesson): a copy
 * of r that borrows those, and the view's selection mapped by name. */
static void layout_right(const viz_snap *l, const viz_snap *r, const viz_view *v, viz_frame *f)
{
    viz_snap *c = xmalloc(sizeof *c);
    *c = *r;                    /* shares r's owned rows: read only, not freed */
    c->mode = l->mode;
    memcpy(c->title, l->title, sizeof c->title);
    c->speed = l->speed;
    c->running = l->running;
    c->pace = l->pace;
    c->pace_why = l->pace_why;
    c->pace_slow = l->pace_slow;
    c->pace_off = l->pace_off;
    c->lang = l->lang;
    /* the lesson panel's fields, lesson .. failed, as snap.h keeps them */
    memcpy(c->lesson, l->lesson,
           offsetof(viz_snap, failed) + sizeof l->failed - offsetof(viz_snap, lesson));
    viz_view rv = right_view(l, r, v);
    viz_layout(c, &rv, f);
    free(c);
}

/* Below VIZ_CMP_MIN_W x VIZ_CMP_MIN_H: one world (v->cmp_right picks
 * which), and on the row above the status line which one and how to see
 * the other, in the fullest form that fits. */
static void layout_one(const viz_snap *l, const viz_snap *r, const char *llabel,
                       const char *rlabel, const viz_view *v, viz_frame *f)
{
    bool right = v->cmp_right && v->msgs != VM_FULL;
    if (right) layout_right(l, r, v, f);
    else viz_layout(l, v, f);
    if (v->w < VIZ_MIN_W || v->h < VIZ_MIN_H || v->msgs == VM_FULL) return;
    const char *shown = right ? rlabel : llabel, *other = right ? llabel : rlabel;
    char note[240];
    snprintf(note, sizeof note,
             viz_tr(l->lang, right ? "two worlds side by side need %dx%d (this is %dx%d): "
                                     "the right one (%s) is shown; w shows the left one (%s)"
                                   : "two worlds side by side need %dx%d (this is %dx%d): "
                                     "the left one (%s) is shown; w shows the right one (%s)"),
             VIZ_CMP_MIN_W, VIZ_CMP_MIN_H, v->w, v->h, shown, other);
    if (text_width(note) > v->w)
        snprintf(note, sizeof note,
                 viz_tr(l->lang, right ? "both worlds need %dx%d: right (%s) shown, w: left"
                                       : "both worlds need %dx%d: left (%s) shown, w: right"),
                 VIZ_CMP_MIN_W, VIZ_CMP_MIN_H, shown);
    if (text_width(note) > v->w)
        snprintf(note, sizeof note,
                 viz_tr(l->lang, right ? "both worlds need %dx%d: right shown, w: left"
                                       : "both worlds need %dx%d: left shown, w: right"),
                 VIZ_CMP_MIN_W, VIZ_CMP_MIN_H);
    viz_frame_fill(f, v->h - 3, 0, v->w, VR_WARN);
    viz_frame_put(f, v->h - 3, 0, v->w, VR_WARN, note);
}

void viz_layout_compare(const viz_snap *l, const viz_snap *r, const char *llabel,
                        const char *rlabel, const viz_view *v, viz_frame *f)
{
    viz_frame_resize(f, v->w, v->h);
    if (v->w < VIZ_CMP_MIN_W || v->h < VIZ_CMP_MIN_H || v->msgs == VM_FULL) {
        layout_one(l, r, llabel, rlabel, v, f);
        return;
    }
    viz_rect les;
    half lh, rh;
    places(l, r, v, &les, &lh, &rh);
    if (les.h > 0) viz_panel_lesson(l, f, les);
    char name[96];
    snprintf(name, sizeof name, viz_tr(l->lang, "LEFT  %s"), llabel);
    draw_half(l, name, v, f, &lh);
    viz_view rv = right_view(l, r, v);
    snprintf(name, sizeof name, viz_tr(l->lang, "RIGHT  %s"), rlabel);
    draw_half(r, name, &rv, f, &rh);
    viz_layout_chrome(l, v, f);
}
