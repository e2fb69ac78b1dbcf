/* trace: ring buffer, listeners and renderers for the event trace. */
#include "trace.h"
#include "util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LISTENERS 8

typedef struct listener {
    trace_listener fn;  /* callback */
    void *ctx;          /* its context */
    uint32_t kinds;     /* TRACE_KIND bits it is given */
} listener;

struct trace {
    trace_event *ring;          /* circular buffer */
    size_t cap;                 /* ring capacity */
    size_t head;                /* index of the oldest event */
    size_t count;               /* events held */
    uint64_t total;             /* events emitted so far */
    const uint64_t *now_us;     /* the simulation clock */
    trace_namer node_name;      /* node index -> name */
    trace_namer msg_name;       /* message type -> name */
    void *namer_ctx;            /* context for both namers */
    FILE *jsonl;                /* JSON Lines sink, or NULL */
    listener listeners[MAX_LISTENERS];
    int nlisteners;
    uint32_t wanted;            /* the kinds any listener is given */
};

static const char *const kind_names[TR_KIND_COUNT] = {
    [TR_SEND] = "send", [TR_DELIVER] = "deliver", [TR_DROP] = "drop",
    [TR_ROLE] = "role", [TR_VOTE] = "vote", [TR_ELECTION] = "election",
    [TR_PROPOSE] = "propose", [TR_COMMIT] = "commit", [TR_APPLY] = "apply",
    [TR_SYNC] = "sync", [TR_SESSION_NEW] = "session_new",
    [TR_SESSION_EXPIRE] = "session_expire",
    [TR_SESSION_CLOSE] = "session_close", [TR_WATCH] = "watch",
    [TR_FAULT] = "fault", [TR_CONTROLLER] = "controller",
    [TR_LEADER] = "leader", [TR_ISR] = "isr", [TR_PRODUCE] = "produce",
    [TR_LOSS] = "loss", [TR_CLIENT] = "client", [TR_NOTE] = "note",
    [TR_CHECK] = "check", [TR_VIOLATION] = "violation",
};

const char *trace_kind_name(trace_kind k)
{
    return (unsigned)k < TR_KIND_COUNT ? kind_names[k] : "?";
}

trace *trace_new(size_t ring_capacity)
{
    QL_ASSERT(ring_capacity > 0);
    trace *t = xcalloc(1, sizeof *t);
    t->ring = xcalloc(ring_capacity, sizeof *t->ring);
    t->cap = ring_capacity;
    return t;
}

void trace_free(trace *t)
{
    if (!t) return;
    free(t->ring);
    free(t);
}

void trace_set_clock(trace *t, const uint64_t *now_us) { t->now_us = now_us; }

void trace_set_namers(trace *t, trace_namer node_name, trace_namer msg_name,
                      void *ctx)
{
    t->node_name = node_name;
    t->msg_name = msg_name;
    t->namer_ctx = ctx;
}

void trace_set_jsonl(trace *t, FILE *f) { t->jsonl = f; }
FILE *trace_jsonl(const trace *t) { return t->jsonl; }

bool trace_listen_kinds(trace *t, uint32_t kinds, trace_listener fn, void *ctx)
{
    if (t->nlisteners == MAX_LISTENERS) return false;
    t->listeners[t->nlisteners++] = (listener){ fn, ctx, kinds };
    t->wanted |= kinds;
    return true;
}

bool trace_listen(trace *t, trace_listener fn, void *ctx)
{
    return trace_listen_kinds(t, TRACE_ALL_KINDS, fn, ctx);
}

void trace_unlisten(trace *t, trace_listener fn, void *ctx)
{
    for (int i = 0; i < t->nlisteners; i++) {
        if (t->listeners[i].fn == fn && t->listeners[i].ctx == ctx) {
            memmove(&t->listeners[i], &t->listeners[i + 1],
                    (size_t)(t->nlisteners - i - 1) * sizeof(listener));
            t->nlisteners--;
            break;
        }
    }
    t->wanted = 0;
    for (int i = 0; i < t->nlisteners; i++) t->wanted |= t->listeners[i].kinds;
}

/* The length of s[0..n) without a trailing incomplete UTF-8 sequence, so
 * a cut made for room never leaves half a character (a Korean narration
 * truncated mid-character would make the JSON Lines file invalid UTF-8). */
static size_t utf8_whole(const char *s, size_t n)
{
    size_t i = n, back = 0;
    while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        back++;
    }
    if (i == 0) return n;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (want == 1) return n;            /* ASCII or stray byte: keep */
    return back + 1 >= want ? n : i - 1;
}

/* Claims the next ring slot, overwriting the oldest when full. */
static trace_event *claim(trace *t)
{
    size_t idx;
    /* no division: this runs for every message sent and delivered */
    if (t->count < t->cap) {
        idx = t->head + t->count;
        if (idx >= t->cap) idx -= t->cap;
        t->count++;
    } else {
        idx = t->head;
        if (++t->head == t->cap) t->head = 0;
    }
    trace_event *ev = &t->ring[idx];
    ev->seq = t->total++;
    ev->at_us = t->now_us ? *t->now_us : 0;
    return ev;
}

static void publish(trace *t, const trace_event *ev)
{
    if (t->jsonl) {
        /* room for the fixed fields and every text and name escaped */
        char line[2048];
        trace_render_json(t, ev, line, sizeof line);
        fputs(line, t->jsonl);
        fputc('\n', t->jsonl);
    }
    /* the common case, a message no listener looks at: skip the copy */
    if (!(t->wanted & TRACE_KIND(ev->kind))) return;
    /* listeners may emit events themselves; a copy keeps ev stable. Most
     * events (every message) have no text: copy its first byte only */
    trace_event copy;
    if (ev->text[0]) {
        copy = *ev;
    } else {
        memcpy(&copy, ev, offsetof(trace_event, text));
        copy.text[0] = '\0';
    }
    for (int i = 0; i < t->nlisteners; i++)
        if (t->listeners[i].kinds & TRACE_KIND(copy.kind))
            t->listeners[i].fn(t->listeners[i].ctx, &copy);
}

static uint64_t vemit(trace *t, trace_kind kind, int code, int node, int peer,
                     uint64_t a, uint64_t b, const char *fmt, va_list ap)
{
    trace_event *ev = claim(t);
    ev->kind = kind;
    ev->code = code;
    ev->node = node;
    ev->peer = peer;
    ev->msg_type = 0;
    ev->a = a;
    ev->b = b;
    ev->text[0] = '\0';
    if (fmt) {
        int len = vsnprintf(ev->text, sizeof ev->text, fmt, ap);
        if (len >= (int)sizeof ev->text) {
            size_t keep = utf8_whole(ev->text, sizeof ev->text - 1);
            ev->text[keep] = '\0';
        }
    }
    uint64_t seq = ev->seq;
    publish(t, ev);
    return seq;
}

uint64_t trace_emit(trace *t, trace_kind kind, int node, int peer,
                    uint64_t a, uint64_t b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uint64_t seq = vemit(t, kind, 0, node, peer, a, b, fmt, ap);
    va_end(ap);
    return seq;
}

uint64_t trace_emit_code(trace *t, trace_kind kind, int code, int node,
                         int peer, uint64_t a, uint64_t b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    uint64_t seq = vemit(t, kind, code, node, peer, a, b, fmt, ap);
    va_end(ap);
    return seq;
}

uint64_t trace_msg(trace *t, trace_kind kind, int from, int to,
                   uint32_t msg_type, uint32_t len)
{
    return trace_msg_of(t, kind, from, to, msg_type, len, 0);
}

uint64_t trace_msg_send(trace *t, int from, int to, uint32_t msg_type,
                        uint32_t len, uint64_t detail, int code, const char *text)
{
    trace_event *ev = claim(t);
    ev->kind = TR_SEND;
    ev->node = from;
    ev->peer = to;
    ev->msg_type = msg_type;
    ev->code = code;
    ev->a = len;
    ev->b = detail;
    ev->text[0] = '\0';
    if (text && text[0]) {
        size_t n = strlen(text);
        if (n >= sizeof ev->text) n = utf8_whole(text, sizeof ev->text - 1);
        memcpy(ev->text, text, n);
        ev->text[n] = '\0';
    }
    uint64_t seq = ev->seq;
    publish(t, ev);
    return seq;
}

uint64_t trace_msg_of(trace *t, trace_kind kind, int from, int to,
                      uint32_t msg_type, uint32_t len, uint64_t send_seq)
{
    trace_event *ev = claim(t);
    ev->kind = kind;
    ev->node = from;
    ev->peer = to;
    ev->msg_type = msg_type;
    ev->code = 0;
    ev->a = len;
    ev->b = send_seq;
    ev->text[0] = '\0';
    uint64_t seq = ev->seq;
    publish(t, ev);
    return seq;
}

size_t trace_count(const trace *t) { return t->count; }
uint64_t trace_total(const trace *t) { return t->total; }

const trace_event *trace_get(const trace *t, size_t i)
{
    if (i >= t->count) return NULL;
    return &t->ring[(t->head + i) % t->cap];
}

static const char *name_of(const trace *t, trace_namer fn, int id,
                           char *tmp, size_t cap)
{
    if (id < 0) return "-";
    const char *n = fn ? fn(t->namer_ctx, id) : NULL;
    if (n) return n;
    snprintf(tmp, cap, "#%d", id);
    return tmp;
}

void trace_render(const trace *t, const trace_event *ev, char *out, size_t cap)
{
    char a[16], b[16], m[16];
    const char *node = name_of(t, t->node_name, ev->node, a, sizeof a);
    const char *peer = name_of(t, t->node_name, ev->peer, b, sizeof b);
    unsigned long long ms = (unsigned long long)(ev->at_us / 1000);
    switch (ev->kind) {
    case TR_SEND: case TR_DELIVER: case TR_DROP:
        snprintf(out, cap, "%8llu.%03llus %-8s %s %s -> %s", ms / 1000, ms % 1000,
                 trace_kind_name(ev->kind),
                 name_of(t, t->msg_name, (int)ev->msg_type, m, sizeof m),
                 node, peer);
        break;
    default:
        snprintf(out, cap, "%8llu.%03llus %-8s %s%s%s", ms / 1000, ms % 1000,
                 node, ev->text[0] ? ev->text : trace_kind_name(ev->kind),
                 ev->peer >= 0 ? " @" : "", ev->peer >= 0 ? peer : "");
        break;
    }
}

/* Copies s into out as a JSON string body (escaped, no quotes). */
static size_t json_escape(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[n++] = '\\';
            out[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
        } else {
            out[n++] = (char)c;
        }
    }
    if (*s) n = utf8_whole(out, n);     /* out of room: whole characters */
    out[n] = '\0';
    return n;
}

/* A name for JSON: resolved, then escaped (names come from scripts). */
static const char *json_name(const trace *t, trace_namer fn, int id,
                             char *out, size_t cap)
{
    char tmp[16];
    json_escape(out, cap, name_of(t, fn, id, tmp, sizeof tmp));
    return out;
}

void trace_render_json(const trace *t, const trace_event *ev, char *out, size_t cap)
{
    /* escaping grows a byte to at most six */
    char a[200], b[200], m[200], text[6 * sizeof ev->text];
    json_escape(text, sizeof text, ev->text);
    snprintf(out, cap,
             "{\"seq\":%" PRIu64 ",\"t_us\":%" PRIu64 ",\"kind\":\"%s\","
             "\"node\":\"%s\",\"peer\":\"%s\",\"msg\":\"%s\","
             "\"a\":%" PRIu64 ",\"b\":%" PRIu64 ",\"text\":\"%s\"}",
             ev->seq, ev->at_us, trace_kind_name(ev->kind),
             json_name(t, t->node_name, ev->node, a, sizeof a),
             json_name(t, t->node_name, ev->peer, b, sizeof b),
             ev->msg_type ? json_name(t, t->msg_name, (int)ev->msg_type, m, sizeof m) : "",
             ev->a, ev->b, text);
}
