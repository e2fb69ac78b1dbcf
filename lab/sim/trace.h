/* trace: the typed event trace of a run. Every notable thing that happens
 * (messages, role changes, elections, commits, sessions, watches, faults,
 * Kafka leadership and ISR changes, narration, checks) is one event. Events
 * go into a ring buffer (for the dashboard and for failure reports), to
 * listeners (the headless printer, the invariant checkers), and, with
 * --trace FILE, to a JSON Lines file. The same seed and script give a
 * byte-identical JSON Lines file. */
#ifndef QL_TRACE_H
#define QL_TRACE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum trace_kind {
    TR_SEND,            /* message sent: node -> peer, msg_type; b and
                         * code: what it carries (sim_msg_detail_fn) */
    TR_DELIVER,         /* message delivered: b = its send's seq */
    TR_DROP,            /* message dropped (cut link, drop ratio, dead
                         * node): b = its send's seq */
    TR_ROLE,            /* a node's role changed: code = trace_role,
                         * a = epoch, text = role in words */
    TR_VOTE,            /* election vote: a = proposed leader, b = zxid */
    TR_ELECTION,        /* an election settled: a = epoch, peer = leader */
    TR_PROPOSE,         /* ZAB proposal: a = zxid */
    TR_COMMIT,          /* ZAB commit decided by the leader: a = zxid, b = digest */
    TR_APPLY,           /* a server applied a txn: a = zxid, b = digest */
    TR_SYNC,            /* a server's tree set: code = trace_sync, text =
                         * its name (LOAD, DIFF, TRUNC, SNAP), a = zxid */
    TR_SESSION_NEW,     /* a = session id */
    TR_SESSION_EXPIRE,  /* a = session id */
    TR_SESSION_CLOSE,   /* a = session id */
    TR_WATCH,           /* watch fired: a = session id, text = event + path */
    TR_FAULT,           /* fault injected: text says which */
    TR_CONTROLLER,      /* Kafka: a broker became controller: a = epoch */
    TR_LEADER,          /* Kafka: partition leader change: a = leader epoch */
    TR_ISR,             /* Kafka: ISR change */
    TR_PRODUCE,         /* Kafka: write acknowledged (a = 0) or failed
                         * (a = the error code) */
    TR_LOSS,            /* Kafka: an acknowledged write was lost, or
                         * (code TLOSS_AT_RISK) is being truncated away on
                         * one replica */
    TR_CLIENT,          /* client-side notable event (failover, metadata) */
    TR_NOTE,            /* narration and informational lines */
    TR_CHECK,           /* lab.check result: a = 1 pass, 0 fail */
    TR_VIOLATION,       /* an invariant checker caught a violation */
    TR_KIND_COUNT
} trace_kind;

/* A server's role, the code of a TR_ROLE event (readers such as the
 * dashboard go by it, never by the text). */
typedef enum trace_role {
    TROLE_NONE = 0,
    TROLE_LOOKING,
    TROLE_FOLLOWING,
    TROLE_LEADING,
} trace_role;

/* How a server's tree was set, the code of a TR_SYNC event. */
typedef enum trace_sync {
    TSYNC_LOAD = 1,             /* at start, from its own snapshot and log */
    TSYNC_DIFF,                 /* from the leader: the missing txns */
    TSYNC_TRUNC,                /* from the leader: its log cut back first */
    TSYNC_SNAP,                 /* from the leader: a whole snapshot */
} trace_sync;

/* The code of a TR_LOSS event. */
typedef enum trace_loss {
    TLOSS_LOST = 0,             /* gone from the leader's log (the audit) */
    TLOSS_AT_RISK,              /* dropped by one replica's truncation */
} trace_loss;

/* The code of a TR_NOTE event. */
typedef enum trace_note {
    TNOTE_INFO = 0,             /* a line for the dashboard's log */
    TNOTE_STATE,                /* a state change a headless run prints as
                                   it happens too (a KRaft broker fenced or
                                   unfenced, as ZooKeeper mode's session
                                   expiry prints) */
} trace_note;

typedef struct trace_event {
    uint64_t seq;       /* position in the run, from 0 */
    uint64_t at_us;     /* simulated time */
    trace_kind kind;    /* what happened */
    int node;           /* node it happened on, -1 for none */
    int peer;           /* other node involved, -1 for none */
    uint32_t msg_type;  /* for TR_SEND/DELIVER/DROP */
    int code;           /* kind-specific code (see trace_kind), else 0 */
    uint64_t a, b;      /* kind-specific numbers (see trace_kind) */
    char text[160];     /* human words, may be empty */
} trace_event;

typedef struct trace trace;

/* A listener sees every event as it is emitted. */
typedef void (*trace_listener)(void *ctx, const trace_event *ev);

/* Resolves a node index or message type to a name for rendering. */
typedef const char *(*trace_namer)(void *ctx, int id);

trace *trace_new(size_t ring_capacity);
void trace_free(trace *t);          /* trace_free(NULL) is a no-op */

void trace_set_clock(trace *t, const uint64_t *now_us); /* read on emit */
void trace_set_namers(trace *t, trace_namer node_name,
                      trace_namer msg_name, void *ctx);
/* Writes every later event to f as JSON Lines; f stays the caller's. */
void trace_set_jsonl(trace *t, FILE *f);
/* That file, or NULL: where others record beside the events (the real
 * clients' bytes, app/listen_rec.c). */
FILE *trace_jsonl(const trace *t);
/* Adds a listener of every kind; up to 8. Returns false when full. */
bool trace_listen(trace *t, trace_listener fn, void *ctx);
/* The bit of a kind in a listener's set */
#define TRACE_KIND(k) (1u << (k))
#define TRACE_ALL_KINDS ((1u << TR_KIND_COUNT) - 1)
/* Adds a listener of the kinds in the set only: a run sends and delivers
 * millions of messages, which most listeners never look at. */
bool trace_listen_kinds(trace *t, uint32_t kinds, trace_listener fn, void *ctx);
void trace_unlisten(trace *t, trace_listener fn, void *ctx);

/* Emits an event; text is printf-style and may be NULL. Returns its seq. */
uint64_t trace_emit(trace *t, trace_kind kind, int node, int peer,
                    uint64_t a, uint64_t b, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Emits an event with a kind-specific code (TR_ROLE: a trace_role). */
uint64_t trace_emit_code(trace *t, trace_kind kind, int code, int node,
                         int peer, uint64_t a, uint64_t b, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* Message events, kept cheap: no formatting unless rendered. a = the
 * payload's length. */
uint64_t trace_msg(trace *t, trace_kind kind, int from, int to,
                   uint32_t msg_type, uint32_t len);
/* The same with b = send_seq: a delivery or a drop names the TR_SEND it
 * ends (its seq), so a reader pairs them even when messages overtake. */
uint64_t trace_msg_of(trace *t, trace_kind kind, int from, int to,
                      uint32_t msg_type, uint32_t len, uint64_t send_seq);
/* A send with what the message carries: b = detail (a PROPOSAL's zxid,
 * a vote's zxid), code (a vote's leader), text (a Kafka request's main
 * fields, "orders-0 5 recs acks=1"; NULL or "" for none). */
uint64_t trace_msg_send(trace *t, int from, int to, uint32_t msg_type,
                        uint32_t len, uint64_t detail, int code, const char *text);

/* The ring: events still held, oldest first. */
size_t trace_count(const trace *t);
const trace_event *trace_get(const trace *t, size_t i); /* 0 = oldest held */
uint64_t trace_total(const trace *t);   /* events emitted in the run */

const char *trace_kind_name(trace_kind k);
/* Renders one readable line ("  12.345s zk2 LEADING epoch 1"). */
void trace_render(const trace *t, const trace_event *ev, char *out, size_t cap);
/* Renders one JSON object, no newline. */
void trace_render_json(const trace *t, const trace_event *ev, char *out, size_t cap);

#endif
