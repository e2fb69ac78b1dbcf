/* keys: key presses into view changes and commands. */
#include "keys.h"
#include "layout.h"
#include "text.h"
#include "words.h"

#include "curses_wrap.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

/* Drops the last UTF-8 character of the command being typed. */
static void cmd_backspace(viz_view *v)
{
    size_t n = strlen(v->cmd);
    while (n > 0 && ((unsigned char)v->cmd[n - 1] & 0xC0) == 0x80) n--;
    if (n > 0) n--;
    v->cmd[n] = '\0';
}

/* A key that is no answer: a hint saying how to answer, nothing done. */
static viz_key_result answer_hint(viz_view *v, const viz_snap *s)
{
    if (s->nchoices > 0)
        viz_view_status(v, VR_BAD, viz_tr(s->lang, "a question waits: press 1 to %d (n skips it)"),
                        s->nchoices);
    else
        viz_view_status(v, VR_BAD, "%s", viz_tr(s->lang, "a question waits: type the number "
                                                "alone (digits, '.'), then Enter; n skips it"));
    return VK_REDRAW;
}

/* While a question holds the world, a command that would change it (a
 * fault, a topic, time or its pace) is refused as its key is: the
 * question's premise must be what the learner answers about. */
static bool cmd_changes_world(viz_cmd_kind k)
{
    return viz_cmd_is_world(k) || k == VC_STEP || k == VC_RUN || k == VC_RUN_TOGGLE ||
           k == VC_SPEED || k == VC_FASTER || k == VC_SLOWER;
}

static viz_key_result cmdline_key(viz_view *v, const viz_snap *s, viz_key k, viz_cmd *out)
{
    const char *lang = s->lang;
    if (k.fn) {
        if (k.code == KEY_BACKSPACE) cmd_backspace(v);
        else if (k.code == KEY_ENTER) goto enter;
        return VK_REDRAW;
    }
    switch (k.code) {
    case KEY_ESC:
    case CTRL('c'):
    case CTRL('g'):
        v->cmd_active = false;
        v->cmd[0] = '\0';
        viz_view_status(v, VR_DIM, "%s", viz_tr(lang, "command cancelled"));
        return VK_REDRAW;
    case '\n': case '\r':
        goto enter;
    case 127: case CTRL('h'):
        if (!v->cmd[0]) { v->cmd_active = false; return VK_REDRAW; }
        cmd_backspace(v);
        return VK_REDRAW;
    case CTRL('u'):
        v->cmd[0] = '\0';
        return VK_REDRAW;
    default: {
        if (!text_cp_printable(k.code) && k.code != '\t') return VK_NONE;
        char enc[4];
        size_t len = text_encode(k.code == '\t' ? ' ' : k.code, enc);
        size_t n = strlen(v->cmd);
        if (len == 0 || n + len >= sizeof v->cmd) return VK_NONE;
        memcpy(v->cmd + n, enc, len);
        v->cmd[n + len] = '\0';
        return VK_REDRAW;
    }
    }
enter: {
        char err[200];
        v->cmd_active = false;
        if (!v->cmd[0]) return VK_REDRAW;
        bool ok = viz_cmd_parse_lang(v->cmd, lang, out, err, sizeof err);
        if (!ok) {
            viz_view_status(v, VR_BAD, ":%.60s  -> %s", v->cmd, err);
            v->cmd[0] = '\0';
            return VK_REDRAW;
        }
        v->cmd[0] = '\0';
        if (s->asking && cmd_changes_world(out->kind)) return answer_hint(v, s);
        return VK_CMD;
    }
}

/* Opens the znode under the tree cursor: its value and stat. */
static viz_key_result open_znode(viz_view *v, const viz_snap *s)
{
    if (v->tree_cursor < 0 || v->tree_cursor >= s->ntree) return VK_NONE;
    snprintf(v->znode, sizeof v->znode, "%s", s->tree[v->tree_cursor].path);
    v->znode_top = 0;
    return VK_REDRAW;
}

/* A znode's value is open: Esc, q or Enter go back to the tree, the
 * arrows and pages scroll a long value; other keys act as usual. */
static viz_key_result znode_key(viz_view *v, const viz_snap *s, viz_key k)
{
    int step = 0;
    if (k.fn) {
        switch (k.code) {
        case KEY_UP: step = -1; break;
        case KEY_DOWN: step = 1; break;
        case KEY_PPAGE: step = -(v->h - 8); break;
        case KEY_NPAGE: step = v->h - 8; break;
        case KEY_HOME: v->znode_top = 0; return VK_REDRAW;
        case KEY_ENTER: v->znode[0] = '\0'; return VK_REDRAW;
        default: return VK_NONE;
        }
        int max = viz_znode_lines(s, v) - 1;
        v->znode_top += step;
        if (v->znode_top > max) v->znode_top = max;
        if (v->znode_top < 0) v->znode_top = 0;
        return VK_REDRAW;
    }
    switch (k.code) {
    case KEY_ESC: case 'q': case '\n': case '\r': case 'v':
        v->znode[0] = '\0';
        return VK_REDRAW;
    default:
        return VK_NONE;
    }
}

static viz_key_result tree_key(viz_view *v, const viz_snap *s, viz_key k)
{
    int step = 0;
    if (k.fn) {
        switch (k.code) {
        case KEY_UP: step = -1; break;
        case KEY_DOWN: step = 1; break;
        case KEY_PPAGE: step = -10; break;
        case KEY_NPAGE: step = 10; break;
        case KEY_HOME: v->tree_cursor = 0; return VK_REDRAW;
        case KEY_END: v->tree_cursor = s->ntree - 1; return VK_REDRAW;
        case KEY_ENTER: case KEY_RIGHT: case KEY_LEFT: goto fold;
        default: return VK_NONE;
        }
        v->tree_cursor += step;
        if (v->tree_cursor >= s->ntree) v->tree_cursor = s->ntree - 1;
        if (v->tree_cursor < 0) v->tree_cursor = 0;
        return VK_REDRAW;
    }
    if (k.code == 'v') return open_znode(v, s);
    if (k.code == '\n' || k.code == '\r' || k.code == 'o') goto fold;
    if (k.code == 'f' || k.code == KEY_ESC || k.code == '\t') {
        v->focus = VF_NODES;
        return VK_REDRAW;
    }
    return VK_NONE;
fold:
    /* Enter on a leaf has nothing to fold: it opens the value */
    if (v->tree_cursor >= 0 && v->tree_cursor < s->ntree &&
        s->tree[v->tree_cursor].nchildren == 0 && !(k.fn && k.code != KEY_ENTER))
        return open_znode(v, s);
    if (v->tree_cursor >= 0 && v->tree_cursor < s->ntree &&
        s->tree[v->tree_cursor].nchildren > 0)
        viz_view_toggle(v, s->tree[v->tree_cursor].path);
    return VK_REDRAW;
}

/* A command on the selected node. */
static viz_key_result on_node(viz_view *v, const viz_snap *s,
                              viz_cmd_kind kind, viz_cmd *out)
{
    if (v->sel < 0 || v->sel >= s->nnodes) {
        viz_view_status(v, VR_BAD, "no node selected");
        return VK_REDRAW;
    }
    memset(out, 0, sizeof *out);
    out->kind = kind;
    snprintf(out->names[0], sizeof out->names[0], "%s", s->nodes[v->sel].name);
    out->nnames = 1;
    return VK_CMD;
}

static viz_key_result simple(viz_cmd_kind kind, viz_cmd *out)
{
    memset(out, 0, sizeof *out);
    out->kind = kind;
    return VK_CMD;
}

/* The error panel is up: it says which keys act, and only those do
 * (so a learner reading it acts on nothing unseen). Esc or Enter closes
 * it, b and q keep their meaning, ? and : still open help and the
 * command line. */
static viz_key_result error_key(viz_view *v, viz_key k, viz_cmd *out)
{
    if (k.fn) return k.code == KEY_ENTER ? (v->error_open = false, VK_REDRAW) : VK_NONE;
    switch (k.code) {
    case KEY_ESC: case '\n': case '\r':
        v->error_open = false;
        return VK_REDRAW;
    case 'b':
        v->error_open = false;
        return simple(VC_BACK, out);
    case 'q': case CTRL('c'): case '?': case ':':
        return VK_NONE;     /* handled as usual */
    default:
        return VK_REDRAW;   /* swallowed: the panel stays */
    }
}

/* Keys that act on the world: while a question holds it they would
 * change what the question is about (a learner typing "18s" at a
 * prompt that ends in "s" stopped a broker), so they only say how to
 * answer. */
static bool acts_on_world(uint32_t c)
{
    return c > 0 && c < 128 && strchr("ksrpih .+=-_z", (int)c) != NULL;
}

/* A lesson's question waits: 1-9 pick a choice; for a number, digits
 * and '.' type it, Backspace erases, Esc clears, Enter answers. Once a
 * digit is typed every other printable key is part of no command; keys
 * that act on the world are refused while the question holds it. The
 * rest act as usual (n skips the question, b goes back, Tab, m, ? and q). */
static viz_key_result answer_key(viz_view *v, const viz_snap *s, viz_key k, viz_cmd *out)
{
    size_t n = strlen(v->typed);
    if (k.fn) {
        if (k.code == KEY_BACKSPACE && n > 0) { v->typed[n - 1] = '\0'; return VK_REDRAW; }
        if (k.code != KEY_ENTER) return VK_NONE;
        k.fn = false;
        k.code = '\r';
    }
    if (s->nchoices > 0) {
        if (k.code >= '1' && k.code <= '9') {
            simple(VC_ANSWER, out);
            out->speed = k.code - '0';
            return VK_CMD;
        }
        return acts_on_world(k.code) ? answer_hint(v, s) : VK_NONE;
    }
    if ((k.code >= '0' && k.code <= '9') || k.code == '.') {
        if (n + 1 < sizeof v->typed) { v->typed[n] = (char)k.code; v->typed[n + 1] = '\0'; }
        return VK_REDRAW;
    }
    if ((k.code == 127 || k.code == CTRL('h')) && n > 0) { v->typed[n - 1] = '\0'; return VK_REDRAW; }
    if (k.code == KEY_ESC && n > 0) { v->typed[0] = '\0'; return VK_REDRAW; }
    if (k.code != '\r' && k.code != '\n' && (acts_on_world(k.code) ||
        (n > 0 && k.code != CTRL('c') && k.code != ':' && k.code != '?')))
        return answer_hint(v, s);
    if ((k.code == '\r' || k.code == '\n') && n > 0) {
        char *end;
        double d = strtod(v->typed, &end);
        if (*end) { viz_view_status(v, VR_BAD, "not a number: %s", v->typed); return VK_REDRAW; }
        simple(VC_ANSWER, out);
        out->speed = d;
        v->typed[0] = '\0';
        return VK_CMD;
    }
    return VK_NONE;
}

/* PgUp, PgDn, Home and End scroll the message view through its past
 * messages full screen, and as a panel while the placement grid has
 * nothing to page (else they page the grid, as before). */
static viz_key_result msgs_scroll_key(viz_view *v, const viz_snap *s, viz_key k)
{
    if (v->msgs == VM_OFF) return VK_NONE;
    /* (two worlds' panels side by side: their messages are not one list) */
    if (v->msgs == VM_PANEL && (v->compare || viz_layout_grid_rows(s, v) < s->parts_total))
        return VK_NONE;
    viz_msgs_scroll_to to;
    switch (k.code) {
    case KEY_PPAGE: to = VMV_OLDER; break;
    case KEY_NPAGE: to = VMV_NEWER; break;
    case KEY_HOME: to = VMV_OLDEST; break;
    case KEY_END: to = VMV_NEWEST; break;
    default: return VK_NONE;
    }
    viz_places p;
    viz_layout_places(s, v, &p);
    if (p.msgs.h < 1) return VK_NONE;
    viz_msgs_scroll(s, v, p.msgs, to);
    return VK_REDRAW;
}

/* m cycles the message view (panel, full screen, off); while it is up,
 * digits pick its layers, g its pings, t and a its nodes. */
static viz_key_result msgs_key(viz_view *v, const viz_snap *s, viz_key k)
{
    viz_msg_filter *f = &v->msgf;
    if (k.code == 'm') {
        v->msgs = v->msgs == VM_OFF ? VM_PANEL : v->msgs == VM_PANEL ? VM_FULL : VM_OFF;
        if (v->msgs == VM_OFF) v->msgs_anchor = 0;  /* it opens on the newest */
        return VK_REDRAW;
    }
    if (v->msgs == VM_OFF) return VK_NONE;
    switch (k.code) {
    case '1': case '2': case '3': case '4': case '5': {
        unsigned bit = 1u << (k.code - '1');
        if (f->layers != bit) f->layers ^= bit;     /* never none at all */
        return VK_REDRAW;
    }
    case '0': f->layers = VIZ_ML_ALL; return VK_REDRAW;
    case 'g': f->pings = !f->pings; return VK_REDRAW;
    case 't':
        /* (node -1: a node of the right world alone, whose messages the
         * left world's view never has) */
        if (v->sel >= 0 && v->sel < s->nnodes && s->nodes[v->sel].node >= 0)
            viz_msg_filter_toggle_node(f, s->nodes[v->sel].node);
        return VK_REDRAW;
    case 'a': f->nnodes = 0; return VK_REDRAW;
    case KEY_ESC:
        if (v->msgs != VM_FULL) return VK_NONE;
        v->msgs = VM_OFF;
        v->msgs_anchor = 0;
        return VK_REDRAW;
    default:
        return VK_NONE;
    }
}

/* w: two worlds compared on a screen too small for both, the one view
 * shows the other world; a screen that shows both has nothing to flip. */
static viz_key_result flip_world(viz_view *v, const viz_snap *s)
{
    if (!v->compare) return VK_NONE;
    if (v->w >= VIZ_CMP_MIN_W && v->h >= VIZ_CMP_MIN_H) {
        viz_view_status(v, VR_DIM, viz_tr(s->lang, "both worlds are shown side by side; w flips "
                                          "between them on a screen smaller than %dx%d"),
                        VIZ_CMP_MIN_W, VIZ_CMP_MIN_H);
        return VK_REDRAW;
    }
    v->cmp_right = !v->cmp_right;
    viz_view_status(v, VR_NORMAL, "%s",
                    viz_tr(s->lang, v->cmp_right ? "the right world is shown; w: the left one"
                                                 : "the left world is shown; w: the right one"));
    return VK_REDRAW;
}

viz_key_result viz_keys_handle(viz_view *v, const viz_snap *s, viz_key k,
                               viz_cmd *out)
{
    if (k.fn && k.code == KEY_RESIZE) return VK_REDRAW;
    if (v->cmd_active) return cmdline_key(v, s, k, out);
    if (v->help) {          /* Space turns its pages, any other key closes it */
        bool turn = !k.fn ? k.code == ' ' : k.code == KEY_NPAGE || k.code == KEY_DOWN;
        if (turn && v->help_page + 1 < viz_layout_help_pages(s, v->w, v->h))
            v->help_page++;
        else
            v->help = false;
        return VK_REDRAW;
    }
    if (v->reader) {        /* arrows and pages scroll it, any other key closes it */
        int step = 0, page = v->h - 6 > 1 ? v->h - 6 : 1;
        if (k.fn && (k.code == KEY_UP || k.code == KEY_DOWN))
            step = k.code == KEY_UP ? -1 : 1;
        else if (k.fn && (k.code == KEY_PPAGE || k.code == KEY_NPAGE))
            step = k.code == KEY_PPAGE ? -page : page;
        else if (!k.fn && k.code == ' ')
            step = page;
        if (step) {
            int max = viz_reader_rows(s, v->w, v->h) - (v->h - 4);
            v->reader_top += step;
            if (v->reader_top > max) v->reader_top = max;
            if (v->reader_top < 0) v->reader_top = 0;
            return VK_REDRAW;
        }
        v->reader = false;
        /* a digit answers the question the reader shows whole (at 80x24
         * the panel may cut its last choice), as it would below */
        if (!s->asking || k.fn || k.code < '0' || k.code > '9') return VK_REDRAW;
    }
    if (v->error_open) {
        viz_key_result r = error_key(v, k, out);
        if (r != VK_NONE) return r;
    }
    if (s->asking) {
        viz_key_result r = answer_key(v, s, k, out);
        if (r != VK_NONE) return r;
    }
    if (v->znode[0]) {
        viz_key_result r = znode_key(v, s, k);
        if (r != VK_NONE) return r;
    }
    if (v->focus == VF_TREE) {
        viz_key_result r = tree_key(v, s, k);
        if (r != VK_NONE) return r;
    }
    {
        viz_key_result r = k.fn ? msgs_scroll_key(v, s, k) : msgs_key(v, s, k);
        if (r != VK_NONE) return r;
    }
    if (k.fn) {
        int n = s->nnodes > 0 ? s->nnodes : 1;
        int page = viz_layout_grid_rows(s, v);
        switch (k.code) {
        case KEY_MOUSE: {
            int i = viz_layout_hit(s, v, k.y, k.x);
            if (i < 0) return VK_NONE;
            v->sel = i;
            v->focus = VF_NODES;
            return VK_REDRAW;
        }
        case KEY_NPAGE: v->grid_top += page > 1 ? page - 1 : 1; return VK_REDRAW;
        case KEY_PPAGE: v->grid_top -= page > 1 ? page - 1 : 1; return VK_REDRAW;
        case KEY_HOME: v->grid_top = 0; return VK_REDRAW;
        case KEY_END: v->grid_top = s->parts_total; return VK_REDRAW;
        case KEY_LEFT: case KEY_UP: case KEY_BTAB:
            v->sel = (v->sel - 1 + n) % n;
            v->focus = VF_NODES;
            return VK_REDRAW;
        case KEY_RIGHT: case KEY_DOWN:
            v->sel = (v->sel + 1) % n;
            v->focus = VF_NODES;
            return VK_REDRAW;
        default:
            return VK_NONE;
        }
    }
    switch (k.code) {
    case '\t':
        v->sel = s->nnodes > 0 ? (v->sel + 1) % s->nnodes : 0;
        v->focus = VF_NODES;
        return VK_REDRAW;
    /* q alone: a capital Q also ends F1-F4 (ESC O P..S), and a learner's
     * stray or cut escape sequence must not quit the lab */
    case 'q': return VK_QUIT;
    case CTRL('c'): return VK_QUIT;    /* raw mode: C-c arrives as a key */
    case '?': v->help = true; v->help_page = 0; return VK_REDRAW;
    case ':':
        v->cmd_active = true;
        v->cmd[0] = '\0';
        return VK_REDRAW;
    case 'f':
        if (s->kraft) {         /* the panel there is a log, not a tree */
            viz_view_status(v, VR_DIM, "f browses the znode tree; KRaft has none: its "
                            "metadata is the __cluster_metadata log shown in its place");
            return VK_REDRAW;
        }
        v->focus = v->focus == VF_TREE ? VF_NODES : VF_TREE;
        return VK_REDRAW;
    case ' ': return simple(VC_RUN_TOGGLE, out);
    case '.': return simple(VC_STEP, out);
    case '+': case '=': return simple(VC_FASTER, out);
    case '-': case '_': return simple(VC_SLOWER, out);
    case 'z': return simple(VC_PACE_TOGGLE, out);
    case 'h': return simple(VC_HEAL, out);
    case 'l':               /* the step's whole text: the panel may cut it */
        if (s->step < 1) return VK_NONE;
        v->reader = true;
        v->reader_top = 0;
        return VK_REDRAW;
    case 'n': return simple(VC_NEXT, out);
    case 'b': return simple(VC_BACK, out);
    case 'w': return flip_world(v, s);
    case 'k': return on_node(v, s, VC_KILL, out);
    case 's': return on_node(v, s, VC_STOP, out);
    case 'r': return on_node(v, s, VC_RESTART, out);
    case 'p': return on_node(v, s, VC_PAUSE_TOGGLE, out);
    case 'i': return on_node(v, s, VC_ISOLATE, out);
    case KEY_ESC:
        if (v->status[0]) { v->status[0] = '\0'; return VK_REDRAW; }
        return VK_NONE;
    default:
        return VK_NONE;
    }
}
