/* layout: places the panels on the screen and draws the header, the
 * status or command line, the footer of keys and the help overlay. */
#include "layout.h"
#include "text.h"
#include "words.h"

#include <stdio.h>
#include <string.h>

static viz_rect rect(int x, int y, int w, int h)
{
    viz_rect r = { x, y, w < 0 ? 0 : w, h < 0 ? 0 : h };
    return r;
}

/* The message view: over the whole body, or as a panel taking the top
 * of the event log's place (all of it when the log would keep too few
 * rows to read). */
static void msgs_place(const viz_view *v, viz_places *p, int top, int H)
{
    if (v->msgs == VM_FULL) {
        p->msgs = rect(0, top, v->w, H);
    } else if (v->msgs == VM_PANEL) {
        viz_rect e = p->events;
        int mh = e.h < 12 ? e.h : e.h * 3 / 5;
        p->msgs = rect(e.x, e.y, e.w, mh);
        p->events = rect(e.x, e.y + mh, e.w, e.h - mh);
    }
}

void viz_layout_places(const viz_snap *s, const viz_view *v, viz_places *p)
{
    memset(p, 0, sizeof *p);
    int w = v->w, h = v->h;
    p->too_small = w < VIZ_MIN_W || h < VIZ_MIN_H;
    if (p->too_small) return;
    p->header = rect(0, 0, w, 1);
    p->status = rect(0, h - 2, w, 1);
    p->footer = rect(0, h - 1, w, 1);
    int top = 1, bottom = h - 2;            /* panel rows [top, bottom) */
    int H = bottom - top;
    bool kafka = s->nbrokers > 0;
    /* the grid wants the width once brokers exist */
    int lw = kafka ? w * 2 / 5 : w / 2;
    /* title, servers (KRaft: controllers), quorum line (KRaft: and the
     * legend of end, hw and lag) */
    int ens_h = viz_ensemble_rows(s);
    if (ens_h > H / 2) ens_h = H / 2;
    p->ensemble = rect(0, top, lw - 1, ens_h);
    /* left column below the ensemble: clients, plots, and the tree with
     * at least 4 rows; plots shrink first, then go, then the clients */
    int rest = H - ens_h;
    int ncl = viz_clients_rows(s, 4);
    /* without brokers the panel shows only for real clients (--listen) */
    int cl_h = kafka || ncl > 0 ? 1 + (ncl < 1 ? 1 : ncl > 6 ? 6 : ncl) : 0;
    /* the plots: title, acked, failed, the timeline's legend and rows */
    int pl_h = kafka ? 3 + (s->ntl > 0) + (s->ntl < 8 ? s->ntl : 8) : 0;
    while (pl_h > 3 && rest - cl_h - pl_h < 4) pl_h--;
    if (rest - cl_h - pl_h < 4) pl_h = 0;
    if (rest - cl_h - pl_h < 4) cl_h = 0;
    int y = top + ens_h;
    p->clients = rect(0, y, lw - 1, cl_h);
    y += cl_h;
    p->plots = rect(0, y, lw - 1, pl_h);
    y += pl_h;
    p->tree = rect(0, y, lw - 1, bottom - y);
    int rx = lw, rw = w - lw;
    int lesson_h = 0;
    if (s->lesson[0] || s->step > 0 || s->lesson_error) {
        lesson_h = H * 2 / 5;
        if (lesson_h < 7) lesson_h = 7;
    }
    p->lesson = rect(rx, top, rw, lesson_h);
    int grid_h = 0;
    if (kafka) {
        /* the grid wants its head (4 rows) and every partition, but leaves
         * the event log a third of the column */
        int avail = H - lesson_h;
        grid_h = 4 + s->parts_total;
        if (grid_h < 5) grid_h = 5;
        if (grid_h > avail * 2 / 3) grid_h = avail * 2 / 3;
    }
    p->grid = rect(rx, top + lesson_h, rw, grid_h);
    /* the countdowns under the grid, leaving the log a few rows */
    int ev_h = H - lesson_h - grid_h, tm_h = viz_timers_rows(s);
    if (tm_h > ev_h - 3) tm_h = ev_h - 3 > 0 ? ev_h - 3 : 0;
    p->timers = rect(rx, top + lesson_h + grid_h, rw, tm_h);
    p->events = rect(rx, top + lesson_h + grid_h + tm_h, rw, ev_h - tm_h);
    msgs_place(v, p, top, H);
}

static bool inside(viz_rect r, int row, int col)
{
    return row >= r.y && row < r.y + r.h && col >= r.x && col < r.x + r.w;
}

int viz_layout_hit(const viz_snap *s, const viz_view *v, int row, int col)
{
    viz_places p;
    viz_layout_places(s, v, &p);
    /* two worlds side by side: Tab and the arrows select */
    if (p.too_small || v->msgs == VM_FULL || v->compare) return -1;
    if (inside(p.ensemble, row, col)) {
        int i = row - p.ensemble.y - 1;     /* servers come first in nodes */
        int n = s->kraft ? s->quorum.size : s->ens.size;
        return i >= 0 && i < n && i < s->nnodes ? i : -1;
    }
    if (inside(p.grid, row, col) && row > p.grid.y && row < p.grid.y + 4) {
        int b = viz_grid_broker_at(s, v, p.grid, col);
        if (b < 0) return -1;
        for (int i = 0; i < s->nnodes; i++)
            if (s->nodes[i].node == s->brokers[b].node) return i;
    }
    return -1;
}

int viz_layout_grid_rows(const viz_snap *s, const viz_view *v)
{
    viz_places p;
    viz_layout_places(s, v, &p);
    return p.grid.h > 4 ? p.grid.h - 4 : 0;
}

void viz_layout_fix_scroll(const viz_snap *s, viz_view *v)
{
    viz_places p;
    viz_layout_places(s, v, &p);
    {
    int rows = p.tree.h - 1;
    if (rows < 1) rows = 1;
    if (v->tree_cursor >= s->ntree) v->tree_cursor = s->ntree - 1;
    if (v->tree_cursor < 0) v->tree_cursor = 0;
    if (v->tree_cursor < v->tree_top) v->tree_top = v->tree_cursor;
    if (v->tree_cursor >= v->tree_top + rows) v->tree_top = v->tree_cursor - rows + 1;
    if (v->tree_top > s->ntree - rows) v->tree_top = s->ntree - rows;
    if (v->tree_top < 0) v->tree_top = 0;
    }
    if (v->sel >= s->nnodes) v->sel = s->nnodes - 1;
    if (v->sel < 0) v->sel = 0;
    int rows = p.grid.h > 4 ? p.grid.h - 4 : 0;
    if (v->grid_top > s->parts_total - rows) v->grid_top = s->parts_total - rows;
    if (v->grid_top < 0) v->grid_top = 0;
}

/* The dashboard's own pace, between the seed and the title (which keeps
 * its place): "slow motion 0.5x: election", "fast 12x to session
 * expiry", shortened ("slow 0.5x: election", then "slow 0.5x") when the
 * words do not fit. */
static void pace_note(const viz_snap *s, viz_frame *f, int row, int col, int end)
{
    if (!s->pace_why) return;
    char pace[32], note[160];
    snprintf(pace, sizeof pace, s->pace >= 10 ? "%.0fx" : "%.2gx", s->pace);
    snprintf(note, sizeof note, viz_tr(s->lang, s->pace_slow ? "slow motion %s: %s"
                                                             : "fast %s to %s"),
             pace, viz_tr(s->lang, s->pace_why));
    if (col + text_width(note) > end)
        snprintf(note, sizeof note, viz_tr(s->lang, s->pace_slow ? "slow %s: %s" : "fast %s: %s"),
                 pace, viz_tr(s->lang, s->pace_why));
    if (col + text_width(note) > end)
        snprintf(note, sizeof note, viz_tr(s->lang, s->pace_slow ? "slow %s" : "fast %s"), pace);
    if (col + text_width(note) > end) return;
    viz_frame_put(f, row, col, end, s->pace_slow ? VR_WARN : VR_HEADER, note);
}

static void header(const viz_snap *s, viz_frame *f, viz_rect r)
{
    viz_frame_fill(f, r.y, 0, r.w, VR_HEADER);
    unsigned long long ms = (unsigned long long)(s->now_us / 1000);
    char speed[32];
    if (s->speed >= 1) snprintf(speed, sizeof speed, "%gx", s->speed);
    else snprintf(speed, sizeof speed, "%.2gx", s->speed);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    int col = viz_frame_putf(f, r.y, 1, r.w, VR_HEADER,
                             viz_tr(s->lang, "quorumlab  %s  t=%llu.%03llus  speed %s  "),
                             viz_tr(s->lang, s->mode), ms / 1000, ms % 1000, speed);
#pragma GCC diagnostic pop
    col = viz_frame_put(f, r.y, col, r.w, s->running ? VR_HEADER : VR_BAD,
                        viz_tr(s->lang, s->running ? "RUNNING" : "PAUSED"));
    col = viz_frame_putf(f, r.y, col, r.w, VR_HEADER, "  seed %llu",
                         (unsigned long long)s->seed);
    int at = r.w + 1;           /* the note may end in the last column */
    if (s->title[0]) {
        at = r.w - text_width(s->title) - 1;
        if (at < col + 2) at = col + 2;
        viz_frame_put(f, r.y, at, r.w, VR_HEADER, s->title);
    }
    pace_note(s, f, r.y, col + 2, at - 1);
}

typedef struct key_hint {
    const char *key;    /* as typed */
    const char *what;   /* what it does */
} key_hint;

static const key_hint footer_keys[] = {
    { "Tab", "select" }, { "k", "crash" }, { "s", "stop" }, { "r", "restart" },
    { "p", "pause" }, { "i", "isolate" }, { "h", "heal" },
    { "space", "run/hold" }, { ".", "step" }, { "+/-", "speed" },
    { ":", "command" }, { "?", "help" }, { "q", "quit" },
};

static const key_hint lesson_keys[] = {
    { "n", "next" }, { "b", "back" },
};

static int hint_width(const key_hint *k, const char *lang)
{
    return text_width(k->key) + text_width(viz_tr(lang, k->what)) + 2;
}

/* Puts one hint if it fits before column limit; -1 when it does not. */
static int hint(viz_frame *f, viz_rect r, int col, int limit, const key_hint *k,
                const char *lang)
{
    if (col < 0 || col + hint_width(k, lang) > limit) return -1;
    col = viz_frame_put(f, r.y, col, r.w, VR_KEY, k->key);
    col = viz_frame_put(f, r.y, col + 1, r.w, VR_DIM, viz_tr(lang, k->what));
    return col + 1;
}

/* The keys in order of use; the last two (help and quit) always show:
 * room is kept for them, so an 80-column footer still says how to get
 * help and how to leave. */
static void footer(const viz_snap *s, viz_frame *f, viz_rect r)
{
    size_t n = sizeof footer_keys / sizeof footer_keys[0];
    int tail = hint_width(&footer_keys[n - 2], s->lang) + hint_width(&footer_keys[n - 1], s->lang);
    int col = 0;
    if (s->step > 0)
        for (size_t i = 0; i < sizeof lesson_keys / sizeof lesson_keys[0] && col >= 0; i++)
            col = hint(f, r, col, r.w - tail, &lesson_keys[i], s->lang);
    int last = col;
    for (size_t i = 0; i + 2 < n && col >= 0; i++) {
        col = hint(f, r, col, r.w - tail, &footer_keys[i], s->lang);
        if (col >= 0) last = col;
    }
    if (last < 0) last = 0;
    for (size_t i = n - 2; i < n && last >= 0; i++)
        last = hint(f, r, last, r.w, &footer_keys[i], s->lang);
}

static void status_line(const viz_view *v, viz_frame *f, viz_rect r)
{
    if (v->cmd_active) {
        /* the end of a long command stays in view, with the cursor */
        const char *p = v->cmd;
        while (text_width(p) > r.w - 3) {
            uint32_t cp;
            p += text_decode(p, &cp);
        }
        int col = viz_frame_put(f, r.y, 0, r.w, VR_CMD, ":");
        col = viz_frame_put(f, r.y, col, r.w, VR_CMD, p);
        viz_frame_fill(f, r.y, col, col + 1, VR_SELECT);
        return;
    }
    viz_frame_put(f, r.y, 0, r.w, v->status_role, v->status);
}

static const char *const help_lines[] = {
    "KEYS",
    "arrows, Tab   select a node (or click it); the grid follows brokers",
    "k             crash the selected node",
    "s             stop it cleanly (a broker hands its leadership over)",
    "r             restart it",
    "p             pause it (again: resume)",
    "i             isolate it from the network",
    "h             heal every link",
    "space         pause or resume the simulation",
    ".             advance one event (when paused)",
    "+ - z         faster, slower; z: auto slow motion on/off",
    "f             browse the znode tree (enter folds; on a leaf, or v: its value)",
    "m             message view: panel, full screen, off",
    "1-5 0         message view up: 1 ZAB, 2 election, 3 session, 4 Kafka, 5 KRaft on/off; 0 all",
    "g t a         message view up: g pings on/off, t only the selected node (t again: off), a every node",
    "PgUp PgDn     scroll the placement grid (Home, End)",
    "PgUp PgDn     message view up: back through past messages, Home the oldest kept, End the newest (as a panel: while the grid has nothing to scroll)",
    "n b           lesson: next step, back a step (replays from the seed)",
    "l             lesson: the step's whole text and results (a cut one ends in …)",
    "1-9           lesson question: the choice's number; for a number, digits then Enter",
    "w             two worlds compared on a small screen: show the other one",
    ":             command line (below)",
    "q             quit",
    "",
    "COMMANDS",
    ":kill zk3   :kill 102   :stop 102   :restart 102",
    ":pause zk1   :resume zk1   :isolate zk2   :heal",
    ":split 101,zk1 / 102,103,zk2,zk3   :reassign orders 0 104,102,103",
    ":topic orders 6 3   :produce orders 100   :delete-topic orders",
    ":add-broker 105   :speed 20   :step   :lua <expression or statement>",
    "",
    "any key closes this help",
};

#define HELP_LINES (sizeof help_lines / sizeof help_lines[0])
#define HELP_CMD_W 192     /* three topic names fit */

/* A KRaft world's command examples, in place of the ZooKeeper-mode ones
 * (zk1 and zk3 do not exist there): its own controllers and brokers, and
 * only the commands that have something to act on (no topic or broker
 * commands without brokers). Returns how many lines it wrote. */
static int kraft_commands(const viz_snap *s, char out[5][HELP_CMD_W])
{
    const char *ctl[3] = { "ctl1", "ctl2", "ctl3" };
    int nc = 0;
    for (int i = 0; i < s->nnodes && nc < 3; i++)
        if (s->nodes[i].kind == NODE_CONTROLLER) ctl[nc++] = s->nodes[i].name;
    const char *c1 = ctl[0], *c2 = nc > 1 ? ctl[1] : ctl[0], *c3 = nc > 2 ? ctl[2] : c2;
    int nb = s->nbrokers, n = 0, next = 101;
    for (int i = 0; i < nb; i++) if (s->brokers[i].id >= next) next = s->brokers[i].id + 1;
    const char *topic = s->ntopics > 0 ? s->topics[0].name : "orders";
    if (nb == 0) {
        snprintf(out[n++], HELP_CMD_W, ":kill %s   :restart %s   :pause %s   :resume %s",
                 c3, c3, c1, c1);
        snprintf(out[n++], HELP_CMD_W, ":isolate %s   :split %s / %s,%s   :heal", c2, c1, c2, c3);
        snprintf(out[n++], HELP_CMD_W, ":add-broker %d   :speed 20   :step   :lua <expression or "
                 "statement>", next);
        return n;
    }
    int b1 = s->brokers[0].id, b2 = s->brokers[nb > 1 ? 1 : 0].id;
    snprintf(out[n++], HELP_CMD_W, ":kill %s   :kill %d   :stop %d   :restart %d", c3, b2, b2, b2);
    snprintf(out[n++], HELP_CMD_W, ":pause %s   :resume %s   :isolate %s   :heal", c1, c1, c2);
    snprintf(out[n++], HELP_CMD_W, ":split %d,%s / %d,%s,%s", b1, c1, b2, c2, c3);
    snprintf(out[n++], HELP_CMD_W, ":topic %s 6 3   :produce %s 100   :delete-topic %s",
             topic, topic, topic);
    snprintf(out[n++], HELP_CMD_W, ":add-broker %d   :speed 20   :step   :lua <expression or "
             "statement>", next);
    return n;
}

/* The help's lines for this world: in KRaft mode f's line and the
 * command examples say what exists there. */
static int help_for(const viz_snap *s, const char *lines[HELP_LINES], char cmds[5][HELP_CMD_W])
{
    int n = 0, nk = s->kraft ? kraft_commands(s, cmds) : 0;
    bool in_cmds = false;
    for (size_t i = 0; i < HELP_LINES; i++) {
        const char *l = help_lines[i];
        if (s->kraft && l[0] == 'f' && l[1] == ' ')
            l = "f             KRaft has no znode tree: see the metadata log panel";
        if (s->kraft && l[0] == ':' && l[1] != ' ') {
            if (!in_cmds) for (int k = 0; k < nk; k++) lines[n++] = cmds[k];
            in_cmds = true;
            continue;
        }
        lines[n++] = l;
    }
    return n;
}

#define HELP_KEY_COLS 14        /* the key column: a wrapped line goes on after it */
#define HELP_ROWS_MAX 128

typedef struct help_row {
    char text[256 + HELP_KEY_COLS];
    bool heading;
} help_row;

/* The help box on a w x h screen. */
static viz_rect help_box(int w, int h, int nrows)
{
    int bw = 96 < w - 4 ? 96 : w - 4;
    int bh = nrows + 2 < h - 2 ? nrows + 2 : h - 2;
    return rect((w - bw) / 2, (h - bh) / 2, bw, bh);
}

/* The help as the box's rows: each line translated and wrapped to the
 * box, never cut (a key line goes on under its text, after the key
 * column). A terminal too short for every line (80x24 is) gets the
 * compact form: no blank lines or headings, the closing hint in the
 * title. Returns the number of rows. */
static int help_rows(const viz_snap *s, int w, int h, const char *lang, help_row *rows,
                     bool *compact)
{
    const char *lines[HELP_LINES];
    char cmds[5][HELP_CMD_W];
    int n = help_for(s, lines, cmds);
    int cols = help_box(w, h, 0).w - 3;
    *compact = false;
    for (int pass = 0; pass < 2; pass++) {
        int m = 0;
        for (int i = 0; i < n; i++) {
            bool hint = i == n - 1;
            bool head = strcmp(lines[i], "KEYS") == 0 || strcmp(lines[i], "COMMANDS") == 0;
            /* the commands start with ':', so they need no heading there */
            if (*compact && (!lines[i][0] || head || hint)) continue;
            const char *p = viz_tr(lang, lines[i]);
            bool key_line = strlen(p) > HELP_KEY_COLS && p[HELP_KEY_COLS - 1] == ' ' &&
                            p[HELP_KEY_COLS - 2] == ' ';
            int width = cols, indent = 0;
            char line[256];
            if (!*p && m < HELP_ROWS_MAX) rows[m++] = (help_row){ "", false };
            while (m < HELP_ROWS_MAX && text_next_line(&p, width, line, sizeof line)) {
                snprintf(rows[m].text, sizeof rows[m].text, "%*s%s", indent, "", line);
                rows[m++].heading = head;
                if (key_line) { indent = HELP_KEY_COLS; width = cols - indent; }
            }
        }
        if (*compact || m + 2 <= h - 2) return m;
        *compact = true;
    }
    return 0;
}

int viz_layout_help_pages(const viz_snap *s, int w, int h)
{
    static help_row rows[HELP_ROWS_MAX];
    bool compact;
    int m = help_rows(s, w, h, s->lang, rows, &compact);
    int per = help_box(w, h, m).h - 1;
    return per > 0 ? (m + per - 1) / per : 1;
}

/* The help overlay, page by page where the screen is too short for it
 * all (the title says how to see the rest). */
static void help_overlay(const viz_snap *s, viz_frame *f, int w, int h, int page)
{
    static help_row rows[HELP_ROWS_MAX];
    bool compact;
    const char *lang = s->lang;
    int m = help_rows(s, w, h, lang, rows, &compact);
    viz_rect b = help_box(w, h, m);
    int per = b.h - 1 > 0 ? b.h - 1 : 1;
    int pages = (m + per - 1) / per;
    if (page >= pages) page = pages - 1;
    if (page < 0) page = 0;
    for (int r = 0; r < b.h; r++) viz_frame_fill(f, b.y + r, b.x, b.x + b.w, VR_NORMAL);
    char title[200], more[120];
    snprintf(more, sizeof more, viz_tr(lang, "page %d/%d, Space: next page; any other key closes"),
             page + 1, pages);
    if (pages > 1)
        snprintf(title, sizeof title, viz_tr(lang, "HELP  (%s)"), more);
    else
        snprintf(title, sizeof title, viz_tr(lang, compact ? "HELP  (%s)" : "HELP"),
                 viz_tr(lang, "any key closes this help"));
    viz_panel_title(f, rect(b.x, b.y, b.w, 1), title);
    for (int i = 0; i < per && page * per + i < m; i++) {
        const help_row *r = &rows[page * per + i];
        viz_frame_put(f, b.y + 1 + i, b.x + 2, b.x + b.w - 1,
                      r->heading ? VR_KEY : VR_NORMAL, r->text);
    }
}

/* The message, word-wrapped and centred, so even a 20x5 terminal reads
 * it whole; "q quits" under it when there is room. */
static void too_small(const char *lang, const viz_view *v, viz_frame *f)
{
    char msg[128], lines[6][128];
    snprintf(msg, sizeof msg, viz_tr(lang, "terminal too small: %dx%d, need %dx%d"),
             v->w, v->h, VIZ_MIN_W, VIZ_MIN_H);
    int n = 0;
    const char *t = msg;
    while (n < 6 && n < v->h && text_next_line(&t, v->w, lines[n], sizeof lines[n])) {
        if (!lines[n][0]) break;            /* w too small even for one glyph */
        n++;
    }
    bool quits = n + 1 <= v->h;
    int row = (v->h - n - (quits ? 1 : 0)) / 2;
    for (int i = 0; i < n; i++) {
        int col = (v->w - text_width(lines[i])) / 2;
        viz_frame_put(f, row + i, col < 0 ? 0 : col, v->w, VR_BAD, lines[i]);
    }
    if (quits) {
        const char *q = viz_tr(lang, "q quits");
        int col = (v->w - text_width(q)) / 2;
        viz_frame_put(f, row + n, col < 0 ? 0 : col, v->w, VR_DIM, q);
    }
}

void viz_layout_chrome(const viz_snap *s, const viz_view *v, viz_frame *f)
{
    header(s, f, rect(0, 0, v->w, 1));
    status_line(v, f, rect(0, v->h - 2, v->w, 1));
    footer(s, f, rect(0, v->h - 1, v->w, 1));
    if (v->error_open) viz_panel_error(v, s->lang, f);
    /* the help and the reader stand on a cleared screen: the panels'
     * words beside or under a box read as part of it ('a     eferred') */
    if (v->reader || v->help)
        for (int r = 1; r < v->h - 2; r++) viz_frame_fill(f, r, 0, v->w, VR_NORMAL);
    if (v->reader) viz_reader_draw(s, v, f);
    if (v->help) help_overlay(s, f, v->w, v->h, v->help_page);
}

void viz_layout(const viz_snap *s, const viz_view *v, viz_frame *f)
{
    viz_frame_resize(f, v->w, v->h);
    viz_places p;
    viz_layout_places(s, v, &p);
    if (p.too_small) {
        too_small(s->lang, v, f);
        return;
    }
    if (v->msgs == VM_FULL) {
        viz_panel_msgs(s, v, f, p.msgs);
        viz_layout_chrome(s, v, f);
        return;
    }
    if (s->kraft) {
        viz_panel_quorum(s, v, f, p.ensemble);
        viz_panel_mlog(s, f, p.tree);
    } else {
        viz_panel_ensemble(s, v, f, p.ensemble);
        viz_panel_tree(s, v, f, p.tree);
    }
    if (p.lesson.h > 0) viz_panel_lesson(s, f, p.lesson);
    if (p.grid.h > 0) viz_panel_grid(s, v, f, p.grid);
    if (p.timers.h > 0) viz_panel_timers(s, f, p.timers);
    if (p.clients.h > 0) viz_panel_clients(s, f, p.clients);
    if (p.plots.h > 0) viz_panel_plots(s, f, p.plots);
    if (p.msgs.h > 0) viz_panel_msgs(s, v, f, p.msgs);
    if (p.events.h > 0) viz_panel_events(s, f, p.events);
    if (v->znode[0]) viz_panel_znode(s, v, f);
    viz_layout_chrome(s, v, f);
}
