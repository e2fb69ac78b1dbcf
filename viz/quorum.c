/* quorum: KRaft mode's two panels, where ZooKeeper mode draws the
 * ensemble and the znode tree: the controller quorum (each voter's Raft
 * state, epoch, log end offset, high watermark and lag behind the leader,
 * as kafka-metadata-quorum.sh describe --replication lists them) and the
 * latest records of the __cluster_metadata log. */
#include "layout.h"
#include "mlog.h"
#include "text.h"
#include "words.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static viz_role raft_role(raft_state st)
{
    switch (st) {
    case RAFT_LEADER: return VR_LEADER;
    case RAFT_FOLLOWER: return VR_FOLLOWER;
    case RAFT_DOWN: return VR_DOWN;
    default: return VR_LOOKING;     /* Unattached, Voted, Candidate, Resigned */
    }
}

static bool selected(const viz_snap *s, const viz_view *v, int node)
{
    return v->focus == VF_NODES && v->sel >= 0 && v->sel < s->nnodes &&
           s->nodes[v->sel].node == node;
}

/* Cut off by the network, as the snapshot found it. */
static bool isolated(const viz_snap *s, int node)
{
    for (int i = 0; i < s->nnodes; i++)
        if (s->nodes[i].node == node) return s->nodes[i].isolated;
    return false;
}

/* The numbers of a running voter in the longest form that fits. */
static void numbers(const raft_voter_info *vi, int room, char *out, size_t cap)
{
    const raft_info *r = &vi->r;
    char lag[32] = "";
    if (vi->lag >= 0) snprintf(lag, sizeof lag, " lag %" PRId64, vi->lag);
    char snap[48] = "";     /* its latest snapshot, where there is room */
    if (r->snapshot_end >= 0) snprintf(snap, sizeof snap, " snap %" PRId64, r->snapshot_end);
    snprintf(out, cap, "epoch %-3d end %-4" PRId64 " hw %-4" PRId64 "%s%s", (int)r->epoch,
             r->log_end, r->high_watermark, lag, snap);
    if (text_width(out) <= room) return;
    snprintf(out, cap, "epoch %-3d end %-4" PRId64 " hw %-4" PRId64 "%s", (int)r->epoch,
             r->log_end, r->high_watermark, lag);
    if (text_width(out) <= room) return;
    /* the words end and hw kept where they fit, before the snapshot goes */
    snprintf(out, cap, "epoch %d end %" PRId64 " hw %" PRId64 "%s%s", (int)r->epoch, r->log_end,
             r->high_watermark, lag, snap);
    if (text_width(out) <= room) return;
    snprintf(out, cap, "e%d %" PRId64 "/%" PRId64 "%s%s", (int)r->epoch, r->log_end,
             r->high_watermark, lag, snap);
    if (text_width(out) <= room) return;
    snprintf(out, cap, "epoch %d end %" PRId64 " hw %" PRId64 "%s", (int)r->epoch, r->log_end,
             r->high_watermark, lag);
    if (text_width(out) <= room) return;
    snprintf(out, cap, "e%d %" PRId64 "/%" PRId64 "%s", (int)r->epoch, r->log_end,
             r->high_watermark, lag);
    if (text_width(out) <= room) return;
    snprintf(out, cap, "e%d", (int)r->epoch);
}

/* The countdown of a voter's Raft timer (the fetch timeout, the
 * election timeout, the leader's quorum check) in the seconds the timers
 * under the grid use: "» 1.2 s", "» 1.2초", "" when none runs. */
static void countdown(const viz_snap *s, int node, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < s->ntimers; i++) {
        const cluster_timer *t = &s->timers[i];
        if (t->node != node || t->kind < CT_RAFT_FETCH || t->kind > CT_RAFT_CHECK ||
            t->at_us < s->now_us) continue;
        char in[20];
        viz_secs(s->lang, (double)(t->at_us - s->now_us) / 1e6, in, sizeof in);
        snprintf(out, cap, "» %s", in);
        return;
    }
}

/* The first of forms (longest first) whose words fit room, else the last. */
static void fitting(const viz_snap *s, const char *const *forms, size_t n, int room, char *out,
                    size_t cap)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(out, cap, "%s", viz_tr(s->lang, forms[i]));
        if (text_width(out) <= room) return;
    }
}

static const char *const waits[] = {
    "NO LEADER: followers wait out quorum.fetch.timeout.ms, then stand",
    "NO LEADER: followers wait out quorum.fetch.timeout.ms",
    "NO LEADER: waiting out quorum.fetch.timeout.ms",
};

/* With no running leader, some running voter still a Follower of the
 * lost one: the quorum is not electing yet. */
static bool waiting(const raft_quorum_info *q)
{
    for (int i = 0; i < q->size; i++)
        if (q->voters[i].r.state == RAFT_FOLLOWER) return true;
    return false;
}

int viz_ensemble_rows(const viz_snap *s)
{
    return s->kraft ? s->quorum.size + 3 : s->ens.size + 2;
}

/* What end, hw and lag mean (DescribeQuorum's LogEndOffset, the high
 * watermark, the leader's end minus the voter's), in the longest words
 * that fit the row. */
static void legend(const viz_snap *s, viz_frame *f, int row, int x, int end)
{
    static const char *const forms[] = {
        "end = log end offset · hw = high watermark · lag = behind the leader",
        "end = log end offset · hw = high watermark · lag = behind leader",
        "end=log end, hw=high watermark, lag=behind leader",
        "end=log end hw=high watermark lag=behind",
        "end=log end hw=high wm lag=behind",
        "hw = high watermark",
    };
    char t[160];
    fitting(s, forms, sizeof forms / sizeof forms[0], end - x, t, sizeof t);
    viz_frame_put(f, row, x, end, VR_DIM, t);
}

void viz_panel_quorum(const viz_snap *s, const viz_view *v, viz_frame *f, viz_rect r)
{
    const raft_quorum_info *q = &s->quorum;
    int end = r.x + r.w;
    /* the fullest title that fits: beside brokers at 80 columns the
     * panel is 31 wide ("CONTROLLER QUORUM  3 voters, quo" was cut) */
    static const char *const titles[] = {
        "CONTROLLER QUORUM  %d voters, quorum %d", "CONTROLLERS  %d voters, quorum %d",
        "CONTROLLERS  %d, quorum %d",
    };
    char title[80];
    for (size_t k = 0; k < sizeof titles / sizeof titles[0]; k++) {
        snprintf(title, sizeof title, viz_tr(s->lang, titles[k]), q->size, q->size / 2 + 1);
        if (text_width(title) <= r.w - 1) break;
    }
    viz_panel_title(f, r, title);
    int row = r.y + 1;
    for (int i = 0; i < q->size && row < r.y + r.h - 1; i++, row++) {
        const raft_voter_info *vi = &q->voters[i];
        bool sel = selected(s, v, vi->r.node);
        int col = viz_frame_put(f, row, r.x, end, sel ? VR_SELECT : VR_NORMAL, sel ? ">" : " ");
        col = viz_frame_putf(f, row, col, end, sel ? VR_SELECT : VR_NORMAL, "%-5s", vi->name);
        col = viz_frame_putf(f, row, col + 1, end, raft_role(vi->r.state), "%-10s",
                             raft_state_name(vi->r.state));
        char cd[32];
        countdown(s, vi->r.node, cd, sizeof cd);
        int marks = (vi->paused ? 7 : 0) + (isolated(s, vi->r.node) ? 9 : 0) +
                    (cd[0] ? text_width(cd) + 1 : 0);
        if (vi->r.state != RAFT_DOWN) {
            char nums[128];
            numbers(vi, end - marks - col - 1, nums, sizeof nums);
            col = viz_frame_put(f, row, col + 1, end, VR_NORMAL, nums);
        }
        if (cd[0]) col = viz_frame_put(f, row, col + 1, end, VR_WARN, cd);
        if (vi->paused) col = viz_frame_put(f, row, col + 1, end, VR_PAUSED, "paused");
        if (isolated(s, vi->r.node)) viz_frame_put(f, row, col + 1, end, VR_ISOLATED, "isolated");
    }
    if (row >= r.y + r.h) return;
    char line[160];
    int up = q->up, need = q->size / 2 + 1;
    if (q->leader_id >= 0)
        snprintf(line, sizeof line, viz_tr(s->lang, "active controller ctl%d · epoch %d · hw %" PRId64),
                 q->leader_id, (int)q->epoch, q->high_watermark);
    else if (waiting(q))
        /* FollowerState: no election before quorum.fetch.timeout.ms
         * passes without a fetch answered; until then nobody stands */
        fitting(s, waits, sizeof waits / sizeof waits[0], end - r.x - 1, line, sizeof line);
    else
        snprintf(line, sizeof line, viz_tr(s->lang, "NO LEADER: electing, %d of %d up, %d needed"),
                 up, q->size, need);
    viz_frame_put(f, row, r.x + 1, end, q->leader_id >= 0 ? VR_GOOD : VR_BAD, line);
    if (row + 1 < r.y + r.h) legend(s, f, row + 1, r.x + 1, end);
}

/* A record's row at a level of detail: 0 Kafka's whole toString, 1 its
 * key fields (a cut "PartitionChangeRecord(partitionId=3, topicId=Zq"
 * says nothing), 2 those with a shorter offset and epoch. The offset and
 * epoch go to head, what the record says to body. */
static void mlog_parts(const viz_snap *s, const viz_mlog_row *m, int level, char *head,
                       size_t head_cap, char *body, size_t body_cap)
{
    const char *what = m->control ? "LeaderChangeMessage" : level > 0 && m->brief[0] ? m->brief
                       : m->rec;
    if (!m->control && !m->rec[0]) {
        snprintf(head, head_cap, "%6" PRId64 "  ", m->offset);
        snprintf(body, body_cap, viz_tr(s->lang, "epoch %-3d record, %u bytes"), (int)m->epoch,
                 m->len);
        return;
    }
    if (level < 2) {
        snprintf(head, head_cap, "%6" PRId64 "  epoch %-3d ", m->offset, (int)m->epoch);
    } else {
        /* as wide as the newest offset: a column of spaces costs the text */
        int digits = 1;
        for (int64_t o = s->nmlog ? s->mlog[s->nmlog - 1].offset : 0; o >= 10; o /= 10) digits++;
        snprintf(head, head_cap, "%*" PRId64 " e%d ", digits, m->offset, (int)m->epoch);
    }
    snprintf(body, body_cap, "%s", what);
}

static void mlog_row(const viz_snap *s, const viz_mlog_row *m, int level, char *out,
                     size_t cap)
{
    char head[48], body[300];
    mlog_parts(s, m, level, head, sizeof head, body, sizeof body);
    snprintf(out, cap, "%s%s", head, body);
}

#define MLOG_ROWS_MAX 3         /* rows one record may take */

/* A record's rows in cols columns: one when it fits; at level 2 one that
 * does not continues at a field boundary on a row or two more, under its
 * text (or, where that takes a third row, under the epoch), so the
 * partition, leader and ISR stay whole ("PartitionChange orders-1 L103"
 * lost its ISR to the row's end at 120 columns). Returns the rows. */
static int mlog_rows(const viz_snap *s, const viz_mlog_row *m, int level, int cols,
                     char (*rows)[VIZ_MLOG_PIECE])
{
    char head[48], body[300], text[400];
    mlog_parts(s, m, level, head, sizeof head, body, sizeof body);
    snprintf(text, sizeof text, "%s%s", head, body);
    int hw = text_width(head);
    if (level < 2 || text_width(text) <= cols || hw >= cols) {
        viz_mlog_fit(text, cols, rows[0], VIZ_MLOG_PIECE);
        return 1;
    }
    char pieces[MLOG_ROWS_MAX][VIZ_MLOG_PIECE];
    int indent = hw;
    int n = viz_mlog_wrap(body, cols - hw, cols - indent, MLOG_ROWS_MAX, pieces);
    size_t offset_end = strspn(head, " ");
    offset_end += strspn(head + offset_end, "0123456789");
    int under_epoch = (int)offset_end + 1;
    if (n > 2 && under_epoch < hw) {
        char wider[MLOG_ROWS_MAX][VIZ_MLOG_PIECE];
        int k = viz_mlog_wrap(body, cols - hw, cols - under_epoch, MLOG_ROWS_MAX, wider);
        if (k < n) {
            n = k;
            indent = under_epoch;
            memcpy(pieces, wider, sizeof pieces);
        }
    }
    /* a piece fits its row, so it fits the row's bytes too */
    for (int i = 0; i < n; i++)
        snprintf(rows[i], VIZ_MLOG_PIECE, "%*s%.200s", i ? indent : 0, i ? "" : head, pieces[i]);
    return n;
}

/* The least cut level at which every row shown fits: one form for the
 * whole panel, so the columns stay in line. */
static int mlog_level(const viz_snap *s, int first, int room)
{
    char text[400];
    for (int level = 0; level < 2; level++) {
        bool fits = true;
        for (int i = first; i < s->nmlog && fits; i++) {
            mlog_row(s, &s->mlog[i], level, text, sizeof text);
            fits = text_width(text) <= room;
        }
        if (fits) return level;
    }
    return 2;
}

void viz_panel_mlog(const viz_snap *s, viz_frame *f, viz_rect r)
{
    viz_panel_title(f, r, viz_tr(s->lang, "METADATA LOG  __cluster_metadata, newest last"));
    int end = r.x + r.w, rows = r.h - 1, top = r.y + 1, cols = end - r.x - 1;
    /* past a snapshot the log starts later: its first row says where */
    const raft_info *src = &s->quorum.voters[s->mlog_src].r;
    if (src->log_start > 0 && src->snapshot_end >= 0 && rows > 1) {
        char text[96];
        snprintf(text, sizeof text, viz_tr(s->lang, "%6" PRId64 "  snapshot e%d: the log starts here"),
                 src->log_start, (int)src->snapshot_epoch);
        viz_frame_put(f, top++, r.x + 1, end, VR_DIM, text);
        rows--;
    }
    int first = s->nmlog > rows ? s->nmlog - rows : 0;
    int level = mlog_level(s, first, cols);
    /* rows that continue take room: the newest records that fit, the
     * newest always */
    char lines[MLOG_ROWS_MAX][VIZ_MLOG_PIECE];
    if (level == 2) {
        int used = 0;
        first = s->nmlog;
        while (first > 0) {
            int k = mlog_rows(s, &s->mlog[first - 1], level, cols, lines);
            if (used + k > rows && first < s->nmlog) break;
            used += k;
            first--;
        }
    }
    int row = top;
    for (int i = first; i < s->nmlog && row < top + rows; i++) {
        const int64_t hw = s->quorum.high_watermark;
        bool committed = hw >= 0 && s->mlog[i].offset < hw;
        int n = mlog_rows(s, &s->mlog[i], level, cols, lines);
        for (int k = 0; k < n && row < top + rows; k++)
            viz_frame_put(f, row++, r.x + 1, end, committed ? VR_NORMAL : VR_DIM, lines[k]);
    }
    if (s->nmlog == 0 && top == r.y + 1)
        viz_frame_put(f, top, r.x + 1, end, VR_DIM, viz_tr(s->lang, "nothing yet"));
}
