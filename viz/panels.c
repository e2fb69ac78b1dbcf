/* panels: the ensemble, znode tree, event log and lesson panels, each
 * drawn from the snapshot into its rectangle of the frame. */
#include "layout.h"
#include "text.h"
#include "words.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void viz_panel_title(viz_frame *f, viz_rect r, const char *title)
{
    viz_frame_fill(f, r.y, r.x, r.x + r.w, VR_TITLE);
    viz_frame_put(f, r.y, r.x + 1, r.x + r.w, VR_TITLE, title);
}

int viz_panel_put_fit(viz_frame *f, int row, int col, int end, viz_role role,
                      const char *lang, const char *const *forms, int n)
{
    int k = 0;
    while (k + 1 < n && text_width(viz_tr(lang, forms[k])) > end - col) k++;
    return viz_frame_put(f, row, col, end, role, viz_tr(lang, forms[k]));
}

void viz_quorum_line(const viz_snap *s, char *out, size_t cap, viz_role *role)
{
    const ensemble_info *e = &s->ens;
    const char *lang = s->lang;
    /* the quorum is the ensemble's majority (a size, not a count of the
     * servers up): the line says both, so "2 of 3" cannot be misread */
    if (e->serving && e->leader_sid && s->zk_leader_cut) {
        snprintf(out, cap, viz_tr(lang, "leader zk%d cut off from a quorum: no write can commit"),
                 e->leader_sid);
        *role = VR_BAD;
    } else if (e->serving && e->leader_sid) {
        snprintf(out, cap, viz_tr(lang, "quorum %d of %d · %d up · serving"),
                 e->quorum, e->size, e->up);
        *role = VR_GOOD;
    } else if (e->up < e->quorum) {
        snprintf(out, cap, viz_tr(lang, "NO QUORUM: %d of %d up, %d needed"),
                 e->up, e->size, e->quorum);
        *role = VR_BAD;
    } else {
        snprintf(out, cap, viz_tr(lang, "NO LEADER: electing, %d of %d up, %d needed"),
                 e->up, e->size, e->quorum);
        *role = VR_LOOKING;
    }
}

/* The same without the words a narrow panel cannot hold: the counts
 * stay whole ("NO LEADER: 2/3 up, 2 needed"). */
static void quorum_short(const viz_snap *s, char *out, size_t cap)
{
    const ensemble_info *e = &s->ens;
    const char *lang = s->lang;
    if (e->serving && e->leader_sid && s->zk_leader_cut)
        snprintf(out, cap, viz_tr(lang, "leader zk%d cut off: no commit"), e->leader_sid);
    else if (e->serving && e->leader_sid)
        snprintf(out, cap, viz_tr(lang, "quorum %d/%d · %d up · serving"), e->quorum, e->size, e->up);
    else
        snprintf(out, cap, viz_tr(lang, e->up < e->quorum ? "NO QUORUM: %d/%d up, %d needed"
                                                          : "NO LEADER: %d/%d up, %d needed"),
                 e->up, e->size, e->quorum);
}

static viz_role state_role(zk_state st)
{
    switch (st) {
    case ZK_LEADING: return VR_LEADER;
    case ZK_FOLLOWING: return VR_FOLLOWER;
    case ZK_LOOKING: return VR_LOOKING;
    default: return VR_DOWN;
    }
}

static bool node_selected(const viz_snap *s, const viz_view *v, int node)
{
    return v->focus == VF_NODES && v->sel >= 0 && v->sel < s->nnodes &&
           s->nodes[v->sel].node == node;
}

/* A server's reach mark: alone, on a side of a split, or some link cut.
 * False when it has none. */
static bool reach_mark(const viz_snap *s, int i, char *out, size_t cap)
{
    if (s->zk_isolated[i]) snprintf(out, cap, "isolated");
    else if (s->zk_side[i]) snprintf(out, cap, viz_tr(s->lang, "side %c"), s->zk_side[i]);
    else if (s->zk_cut[i]) snprintf(out, cap, "split");
    else return false;
    return true;
}

/* Columns the marks after the zxid take. */
static int mark_width(const viz_snap *s, int i, bool paused)
{
    char mark[24];
    int w = paused ? 7 : 0;
    if (reach_mark(s, i, mark, sizeof mark)) w += 1 + text_width(mark);
    return w;
}

/* A LOOKING server's vote in the longest form that fits in room columns
 * (a cut zxid would read as another number): the vote, the logged zxid
 * it carries and the round, then shorter, down to the vote alone. */
static void looking_words(const viz_snap *s, const zk_server_info *si, int room,
                          char *out, size_t cap)
{
    static const char *const forms[] = {
        "votes zk%d (logged zxid 0x%" PRIx64 ", round %" PRIu64 ")",
        "votes zk%d (zxid 0x%" PRIx64 ", round %" PRIu64 ")",
        "votes zk%d 0x%" PRIx64 " r%" PRIu64,
    };
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        snprintf(out, cap, viz_tr(s->lang, forms[k]), si->vote_sid, si->vote_zxid,
                 si->election_round);
        if (text_width(out) <= room) return;
    }
    snprintf(out, cap, viz_tr(s->lang, "votes zk%d r%" PRIu64), si->vote_sid,
             si->election_round);
}

void viz_panel_ensemble(const viz_snap *s, const viz_view *v, viz_frame *f,
                        viz_rect r)
{
    const ensemble_info *e = &s->ens;
    int end = r.x + r.w;
    bool wide = r.w >= 46;
    char title[64];
    snprintf(title, sizeof title, viz_tr(s->lang, "ENSEMBLE  %d servers, quorum %d"),
             e->size, e->quorum);
    viz_panel_title(f, r, title);
    int row = r.y + 1;
    for (int i = 0; i < e->size && row < r.y + r.h - 1; i++, row++) {
        const zk_server_info *si = &e->servers[i];
        bool sel = node_selected(s, v, si->node);
        int col = r.x;
        char name[16];
        snprintf(name, sizeof name, "zk%d", si->sid);
        col = viz_frame_put(f, row, col, end, sel ? VR_SELECT : VR_NORMAL,
                            sel ? ">" : " ");
        col = viz_frame_putf(f, row, col, end, sel ? VR_SELECT : VR_NORMAL,
                             wide ? "%-5s" : "%-4s", name);
        col = viz_frame_putf(f, row, col + 1, end, state_role(si->state),
                             "%-9s", zk_state_name(si->state));
        col++;
        if (si->state == ZK_LOOKING) {
            char vote[96];
            looking_words(s, si, end - mark_width(s, i, si->paused) - col, vote, sizeof vote);
            col = viz_frame_put(f, row, col, end, VR_LOOKING, vote);
        } else if (si->state != ZK_DOWN &&
                   (si->zab == ZAB_DISCOVERY || si->zab == ZAB_SYNCHRONIZATION)) {
            /* chosen but not yet synced with its leader: its epoch is
             * still the old one, so the phase is what it has to say */
            char z[64];
            snprintf(z, sizeof z, viz_tr(s->lang, "ZAB %s: not serving yet"),
                     zk_zab_state_name(si->zab));
            int room = end - mark_width(s, i, si->paused);
            if (!wide || col + text_width(z) > room)
                snprintf(z, sizeof z, "ZAB %s", zk_zab_state_name(si->zab));
            if (col + text_width(z) > room) snprintf(z, sizeof z, "%s", zk_zab_state_name(si->zab));
            if (col + text_width(z) > room) snprintf(z, sizeof z, "%s", viz_tr(s->lang, "syncing"));
            col = viz_frame_put(f, row, col, end, VR_LOOKING, z);
        } else if (si->state != ZK_DOWN) {
            /* the marks below must stay whole: the zxid shortens first */
            int room = end - mark_width(s, i, si->paused);
            char ez[64];
            snprintf(ez, sizeof ez, "epoch %-3u zxid 0x%" PRIx64, si->epoch, si->last_zxid);
            if (!wide || col + (int)strlen(ez) > room)
                snprintf(ez, sizeof ez, "e%-2u 0x%" PRIx64, si->epoch, si->last_zxid);
            /* a cut zxid would read as another number: drop it instead */
            if (col + (int)strlen(ez) > room) snprintf(ez, sizeof ez, "e%u", si->epoch);
            col = viz_frame_put(f, row, col, end, VR_NORMAL, ez);
        }
        if (si->paused) col = viz_frame_put(f, row, col + 1, end, VR_PAUSED, "paused");
        char mark[24];
        if (reach_mark(s, i, mark, sizeof mark))
            viz_frame_put(f, row, col + 1, end, VR_ISOLATED, mark);
    }
    char q[96];
    viz_role qr;
    viz_quorum_line(s, q, sizeof q, &qr);
    if (text_width(q) > end - (r.x + 1)) quorum_short(s, q, sizeof q);
    if (row < r.y + r.h) viz_frame_put(f, row, r.x + 1, end, qr, q);
}

/* A znode's data on its tree row from col to end: whole where it fits,
 * else up to its last whole token (JSON's tokens end at , : { [ or a
 * space) and "…": a number cut short reads as another number
 * ('"timestamp":"25' for 258...), as a cut owner read as another
 * session. The snapshot's own cut of a long value ends so too. */
static void tree_data(viz_frame *f, int row, int col, int end, const viz_tree_row *t)
{
    if (end - col < 1) return;
    if (!t->data_cut && text_width(t->data) <= end - col) {
        viz_frame_put(f, row, col, end, VR_DIM, t->data);
        return;
    }
    char fit[sizeof t->data];
    text_fit(t->data, end - col - 1, fit, sizeof fit);
    size_t n = strlen(fit);
    while (n > 0 && !strchr(",:{[ ", fit[n - 1])) n--;
    fit[n] = '\0';
    viz_frame_putf(f, row, col, end, VR_DIM, "%s…", fit);
}

void viz_panel_tree(const viz_snap *s, const viz_view *v, viz_frame *f,
                    viz_rect r)
{
    char title[80];
    bool focus = v->focus == VF_TREE;
    if (s->tree_sid)
        snprintf(title, sizeof title, viz_tr(s->lang, "ZNODES  zk%d's tree%s"),
                 s->tree_sid, viz_tr(s->lang, focus ? "  (enter opens, f leaves)"
                                                    : "  (f to browse)"));
    else
        snprintf(title, sizeof title, "%s", viz_tr(s->lang, "ZNODES  no server up"));
    viz_panel_title(f, r, title);
    int end = r.x + r.w;
    int rows = r.h - 1;
    for (int i = 0; i < rows && v->tree_top + i < s->ntree; i++) {
        int idx = v->tree_top + i;
        const viz_tree_row *t = &s->tree[idx];
        int row = r.y + 1 + i;
        bool cur = focus && idx == v->tree_cursor;
        const char *name = t->depth == 0 ? "/" : strrchr(t->path, '/') + 1;
        const char *mark = t->nchildren == 0 ? " " : t->open ? "-" : "+";
        int col = r.x + 1 + 2 * (t->depth > 0 ? t->depth - 1 : 0);
        if (t->depth == 0) col = r.x + 1;
        col = viz_frame_putf(f, row, col, end, cur ? VR_SELECT : VR_NORMAL,
                             "%s %s", mark, name);
        if (!t->open && t->nchildren > 0)
            col = viz_frame_putf(f, row, col, end, VR_DIM, " (%d)", t->nchildren);
        if (t->eph_owner) {
            /* a cut owner would read as another session: where the whole
             * id does not fit, its ends, as the timers write a session */
            uint64_t o = (uint64_t)t->eph_owner;
            char eph[48];
            snprintf(eph, sizeof eph, "[eph 0x%" PRIx64 "]", o);
            if (col + 1 + text_width(eph) > end)
                snprintf(eph, sizeof eph, "[eph 0x%" PRIx64 "…%02" PRIx64 "]", o >> 56, o & 0xff);
            if (col + 1 + text_width(eph) > end) snprintf(eph, sizeof eph, "[eph]");
            col = viz_frame_put(f, row, col + 1, end, VR_WARN, eph);
        }
        if (t->data[0]) tree_data(f, row, col + 1, end, t);
    }
    if (s->tree_cut && rows > 0 && v->tree_top + rows >= s->ntree)
        viz_frame_put(f, r.y + r.h - 1, r.x + 1, end, VR_DIM, "(more not shown)");
}

/* What follows an event folded from identical lines: how many. */
static void repeat_text(const viz_snap *s, const viz_event *ev, char *out, size_t cap)
{
    out[0] = '\0';
    if (ev->repeat > 1)     /* identical lines folded: say what the count is */
        snprintf(out, cap, viz_tr(s->lang, viz_event_per_server(ev->text)
                                  ? "(by %d servers)" : "(%d times)"), ev->repeat);
}

/* Rows one event takes when its text wraps between x and end (a long
 * line is wrapped, never cut: a cut zxid would read as another number);
 * with f, draws it from row on. */
static int event_rows(const viz_snap *s, const viz_event *ev, viz_frame *f,
                      int row, int x, int end)
{
    char rep[48], line[512];
    repeat_text(s, ev, rep, sizeof rep);
    const char *p = ev->text;
    int n = 0, col = x;
    while (text_next_line(&p, end - x, line, sizeof line)) {
        if (f) col = viz_frame_put(f, row + n, x, end, ev->role, line);
        else col = x + text_width(line);
        n++;
    }
    if (n == 0) n = 1;
    if (rep[0]) {
        bool fits = col + 1 + text_width(rep) <= end;
        if (!fits) { n++; col = x - 1; }
        if (f) viz_frame_put(f, row + n - 1, col + 1, end, VR_DIM, rep);
    }
    return n;
}

void viz_panel_events(const viz_snap *s, viz_frame *f, viz_rect r)
{
    viz_panel_title(f, r, viz_tr(s->lang, "EVENTS"));
    int rows = r.h - 1;
    int n = s->events ? viz_events_count(s->events) : 0;
    int end = r.x + r.w;
    int x = r.x + 1 + 11;       /* after "  12345.678s " */
    if (n == 0 && rows > 0)
        viz_frame_put(f, r.y + 1, r.x + 1, end, VR_DIM, viz_tr(s->lang, "nothing yet"));
    /* the newest events that fit whole */
    int first = n, used = 0;
    while (first > 0) {
        int h = event_rows(s, viz_events_get(s->events, first - 1), NULL, 0, x, end);
        if (used + h > rows) break;
        used += h;
        first--;
    }
    int row = r.y + 1;
    for (int i = first; i < n; i++) {
        const viz_event *ev = viz_events_get(s->events, i);
        unsigned long long ms = (unsigned long long)(ev->at_us / 1000);
        viz_frame_putf(f, row, r.x + 1, end, VR_DIM, "%5llu.%03llus", ms / 1000, ms % 1000);
        row += event_rows(s, ev, f, row, x, end);
    }
}

int viz_wrap(viz_frame *f, int row, int last, int x, int end, viz_role role,
             const char *p)
{
    char line[512];
    while (row < last && text_next_line(&p, end - x, line, sizeof line)) {
        if (f) viz_frame_put(f, row, x, end, role, line);
        row++;
    }
    return row;
}

/* Whether p has text left (more than spaces). */
static bool text_left(const char *p)
{
    while (*p == ' ' || *p == '\n') p++;
    return *p != '\0';
}

int viz_wrap_cut(viz_frame *f, int row, int last, int x, int end, viz_role role,
                 const char *p, bool *cut)
{
    char line[512];
    *cut = false;
    while (row < last && text_next_line_cut(&p, end - x, line, sizeof line, cut)) {
        size_t n = strlen(line);
        bool ends_cut = n >= strlen("…") && strcmp(line + n - strlen("…"), "…") == 0;
        if (row == last - 1 && text_left(p) && !ends_cut) {
            /* the last row: as much as fits before "…" */
            const char *q = line;
            char shorter[sizeof line - sizeof "…"];
            text_next_line(&q, end - x - 1, shorter, sizeof shorter);
            snprintf(line, sizeof line, "%s…", shorter);
            *cut = true;
        }
        if (f) viz_frame_put(f, row, x, end, role, line);
        row++;
    }
    if (row >= last && text_left(p)) *cut = true;
    return row;
}

/* The lesson panel's bottom line: the keys, or how the lesson ended.
 * The long form when it fits in room columns, else the words that matter
 * (the footer already lists n and b). */
static void lesson_keys_line(const viz_snap *s, int room, char *keys, size_t cap)
{
    const char *L = s->lang;
    keys[0] = '\0';
    if (s->lesson_done && s->lesson_error) {
        /* an error is no success: the tally says where the script stopped */
        snprintf(keys, cap, viz_tr(L, "stopped by an error after %d passed, %d failed"),
                 s->passed, s->failed);
    } else if (s->lesson_done) {
        snprintf(keys, cap, viz_tr(L, "lesson over: %d passed, %d failed (b goes back, q quits)"),
                 s->passed, s->failed);
        if (text_width(keys) > room)
            snprintf(keys, cap, viz_tr(L, "lesson over: %d passed, %d failed"),
                     s->passed, s->failed);
    } else if (s->asking) {
        if (s->nchoices) snprintf(keys, cap, viz_tr(L, "answer: press 1 to %d   n: skip"), s->nchoices);
        else snprintf(keys, cap, "%s", viz_tr(L, "answer: type a number, Enter   n: skip"));
    } else if (s->task[0]) {
        snprintf(keys, cap, "%s", viz_tr(L, "your turn: keys or : act   n: the lesson does it"));
        if (text_width(keys) > room) snprintf(keys, cap, "%s", viz_tr(L, "your turn (n: the lesson does it)"));
    } else if (s->step_wait) {
        snprintf(keys, cap, "%s   %s", viz_tr(L, "waiting: press n to go on"),
                 viz_tr(L, "n: next step   b: back a step"));
        if (text_width(keys) > room)
            snprintf(keys, cap, "%s", viz_tr(L, "waiting: press n to go on"));
    } else if (s->pred_pending) {
        /* n runs the step to its end, where the prediction's result
         * shows: it does not go past it */
        snprintf(keys, cap, "%s", viz_tr(L, "n: fast to the prediction's result   b: back a step"));
        if (text_width(keys) > room)
            snprintf(keys, cap, "%s", viz_tr(L, "n: fast to the result"));
    } else {
        snprintf(keys, cap, "%s", viz_tr(L, "n: next step   b: back a step"));
    }
}

/* The learner's turn under the step's text: the task and why what the
 * learner did does not count (else its hint), or the question with its
 * choices and the number typed so far. */
void viz_lesson_turn_text(const viz_snap *s, int cols, char *out, size_t cap)
{
    const char *L = s->lang;
    out[0] = '\0';
    /* the choices on one line where they fit it, else one a line: a
     * choice broken over two rows hid the last one at 80x24 */
    char choices[3 * sizeof s->ask_choices], one[3 * sizeof s->ask_choices];
    snprintf(choices, sizeof choices, "%s", s->ask_choices);
    size_t n1 = 0;
    for (const char *c = choices; *c && n1 + 4 < sizeof one; c++) {
        if (*c == '\n') { memcpy(one + n1, "   ", 3); n1 += 3; }
        else one[n1++] = *c;
    }
    one[n1] = '\0';
    if (text_width(one) <= cols) snprintf(choices, sizeof choices, "%s", one);
    if (s->task[0]) {
        int n = snprintf(out, cap, "▶ %s", s->task);
        /* the why is the task's state ("that was a crash"), no hint */
        const char *label = s->task_why[0] ? "not yet:" : "hint:";
        const char *line = s->task_why[0] ? s->task_why : s->hint;
        if (line[0] && n > 0 && (size_t)n < cap)
            snprintf(out + n, cap - (size_t)n, "\n%s %s", viz_tr(L, label), line);
    } else if (s->asking) {
        if (s->nchoices)
            snprintf(out, cap, "? %s\n%s", s->ask, choices);
        else if ((unsigned char)s->ask_unit[0] >= 0x80)
            /* a Korean unit (초) attaches to the number, as it is written */
            snprintf(out, cap, "? %s\n%s %s_%s", s->ask, viz_tr(L, "your answer:"),
                     s->typed, s->ask_unit);
        else if (s->ask_unit[0]) {
            /* a Latin unit before the cursor: "18_ s" invited typing "18s" */
            int n = snprintf(out, cap, "? %s\n", s->ask);
            if (n > 0 && (size_t)n < cap)
                snprintf(out + n, cap - (size_t)n, viz_tr(L, "your answer, in %s: %s_"),
                         s->ask_unit, s->typed);
        } else
            snprintf(out, cap, "? %s\n%s %s_", s->ask, viz_tr(L, "your answer:"), s->typed);
    }
    if (s->countdown[0]) {
        size_t n = strlen(out);
        snprintf(out + n, cap - n, "%s%s", n ? "\n" : "", s->countdown);
    }
}

/* The title: the lesson, its step of how many, and the learner's tally;
 * narrow, without the word LESSON, then without the lesson's name (the
 * header has it). */
static void lesson_title(const viz_snap *s, int room, char *title, size_t cap)
{
    const char *L = s->lang;
    char step[48] = "", tasks[48] = "", preds[64] = "";
    if (s->step && s->steps_total >= s->step)
        snprintf(step, sizeof step, viz_tr(L, "step %d/%d"), s->step, s->steps_total);
    else if (s->step)
        snprintf(step, sizeof step, viz_tr(L, "step %d"), s->step);
    if (s->tasks_total)
        snprintf(tasks, sizeof tasks, viz_tr(L, "  tasks %d/%d"), s->tasks_done, s->tasks_total);
    if (s->pred_total)
        snprintf(preds, sizeof preds, viz_tr(L, "  predicted %d/%d"), s->pred_right, s->pred_total);
    snprintf(title, cap, "%s  %s  %s%s%s", viz_tr(L, "LESSON"), s->title, step, tasks, preds);
    if (text_width(title) > room)
        snprintf(title, cap, "%s  %s%s%s", s->title, step, tasks, preds);
    if (text_width(title) > room)
        snprintf(title, cap, "%s  %s%s%s", viz_tr(L, "LESSON"), step, tasks, preds);
}

/* The lesson panel: the step's text, the learner's turn, the check
 * lights, and the keys. */
/* The lesson panel under its title, above the keys line: the step's
 * text, the check lights, the learner's turn, then keys. With f NULL it
 * only lays out. Returns whether something did not fit (it then ends in
 * "…"). */
static bool lesson_body(const viz_snap *s, viz_frame *f, viz_rect r, const char *keys)
{
    int end = r.x + r.w - 1;
    /* the bottom rows: the keys or the tally, wrapped (two rows at most,
     * three with l's hint) */
    int krows = viz_wrap(NULL, 0, 3, r.x + 1, end, VR_DIM, keys);
    if (krows < 1) krows = 1;
    int last = r.y + r.h - krows;
    char turn[1200];
    viz_lesson_turn_text(s, end - (r.x + 1), turn, sizeof turn);
    int trows = turn[0] ? viz_wrap(NULL, 0, last - r.y - 2, r.x + 1, end, VR_KEY, turn) : 0;
    last -= trows;
    /* the newest checks that fit whole, each wrapped under its light,
     * leaving the step's text a row at least; while the learner acts (a
     * task, a question) the step's text says what about, so it keeps its
     * rows first and the earlier checks get what is left */
    int room_rows = last - r.y - 2, lights = 0, rows = 0;
    if (turn[0] && room_rows > 0) {
        int text_rows = viz_wrap(NULL, 0, room_rows + 1, r.x + 1, end, VR_NORMAL, s->lesson);
        if (text_rows > 1) room_rows -= text_rows - 1;
        if (room_rows < 0) room_rows = 0;
    }
    for (int k = s->nchecks - 1; k >= 0; k--) {
        int n = viz_wrap(NULL, 0, room_rows, r.x + 3, end, VR_NORMAL, s->checks[k]);
        if (n < 1) n = 1;
        if (rows + n > room_rows) break;
        rows += n;
        lights++;
    }
    bool cut = lights < s->nchecks, c;
    viz_wrap_cut(f, r.y + 1, last - rows, r.x + 1, end, VR_NORMAL, s->lesson, &c);
    cut |= c;
    int y = last - rows;
    for (int k = s->nchecks - lights; k < s->nchecks; k++) {
        bool note = s->check_note[k], ok = s->check_ok[k];
        if (f)
            viz_frame_put(f, y, r.x + 1, end, note ? VR_DIM : ok ? VR_GOOD : VR_BAD,
                          note ? "·" : ok ? "●" : "✗");
        int n = viz_wrap_cut(f, y, last, r.x + 3, end, ok || note ? VR_NORMAL : VR_BAD,
                             s->checks[k], &c);
        cut |= c;
        y = n > y ? n : y + 1;
    }
    if (trows) {
        viz_wrap_cut(f, last, last + trows, r.x + 1, end, VR_KEY, turn, &c);
        cut |= c;
    }
    last += trows;
    if (f)
        viz_wrap(f, last, last + krows, r.x + 1, end,
                 s->lesson_error ? VR_BAD : s->step_wait || s->asking || s->task[0] ? VR_KEY
                                                                                   : VR_DIM,
                 keys);
    return cut;
}

void viz_panel_lesson(const viz_snap *s, viz_frame *f, viz_rect r)
{
    char title[240];
    lesson_title(s, r.w - 2, title, sizeof title);
    viz_panel_title(f, r, title);
    char keys[240];
    lesson_keys_line(s, r.w - 2, keys, sizeof keys);
    /* what does not fit ends in "…", and the keys line says that l
     * opens it all (reader.c); the hint may take the keys a second row */
    if (lesson_body(s, NULL, r, keys)) {
        /* the keys' short form, if it has one, makes room for the hint on
         * the same row: a second row would cost the panel a light */
        const char *more = viz_tr(s->lang, "l: read it all");
        lesson_keys_line(s, r.w - 2 - 3 - text_width(more), keys, sizeof keys);
        size_t n = strlen(keys);
        bool fits = text_width(keys) + 3 + text_width(more) <= r.w - 2;
        snprintf(keys + n, sizeof keys - n, "%s%s", fits ? "   " : "\n", more);
    }
    lesson_body(s, f, r, keys);
}
