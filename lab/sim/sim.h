/* sim: the deterministic simulated world. It owns virtual time, the event
 * queue, the seeded PRNG, the network, the trace and the table of nodes.
 * Nodes are protocol processes (ensemble servers, brokers, clients); they
 * talk only through sim_send and act only in their callbacks and timers.
 *
 * Process faults follow the real systems: a crash loses volatile state and
 * resets the crashed node's connections (peers hear of it at once, as from
 * a TCP RST); a pause freezes the process (its timers and incoming messages
 * wait until it resumes, nobody is told); isolation cuts links, so peers
 * learn only through their own timeouts. */
#ifndef QL_SIM_H
#define QL_SIM_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "evq.h"
#include "net.h"
#include "rng.h"
#include "trace.h"

typedef struct sim sim;

typedef enum node_kind {
    NODE_ZK,                /* ensemble server */
    NODE_BROKER,            /* Kafka broker */
    NODE_CLIENT,            /* any client: ZooKeeper session, producer, consumer */
    NODE_CONTROLLER,        /* KRaft controller (lab/kraft) */
} node_kind;

typedef enum node_status {
    NODE_UP,
    NODE_DOWN,              /* crashed or stopped */
    NODE_PAUSED,            /* frozen: alive but running nothing */
} node_status;

/* What the simulator calls on a node. `self` is the pointer given to
 * sim_add_node. Every callback is optional except recv. */
typedef struct node_ops {
    /* The process starts: first boot and every restart. Volatile state
     * must be rebuilt here from durable state. */
    void (*start)(void *self);
    /* The process dies now: drop volatile state, keep durable state. Any
     * timers are already void. */
    void (*crash)(void *self);
    /* A message arrived. data is valid only during the call. */
    void (*recv)(void *self, int from, uint32_t type, const uint8_t *data,
                 size_t len);
    /* A peer's connection was reset because the peer crashed. */
    void (*reset)(void *self, int peer);
    /* Frees the node object at sim_free. */
    void (*destroy)(void *self);
    /* Optional, a hint only: a message for the node is the next event but
     * one (head: its first bytes, len of them), or a timer of fn and arg
     * (data NULL). The node may ask memory for what it will read then
     * (__builtin_prefetch) and must change nothing: the scale run's
     * events wait on memory, and a miss asked for an event early costs
     * little. */
    void (*prefetch)(void *self, int from, uint32_t type, const uint8_t *head,
                     size_t len, void (*fn)(void *self, uint64_t arg), uint64_t arg);
} node_ops;

typedef void (*sim_timer_fn)(void *self, uint64_t arg);

#define SIM_NODE_MAX 1024   /* no more nodes than this in one world */

sim *sim_new(uint64_t seed);
void sim_free(sim *s);              /* sim_free(NULL) is a no-op; frees nodes */

uint64_t sim_seed(const sim *s);
uint64_t sim_now_us(const sim *s);
trace *sim_trace(sim *s);
net *sim_net(sim *s);
uint64_t sim_events_run(const sim *s);  /* events processed so far */

/* --- nodes --- */

/* Adds a node (status DOWN until sim_start_node). Returns its index, or -1
 * when SIM_NODE_MAX is reached. The name is copied. */
int sim_add_node(sim *s, const char *name, node_kind kind,
                 const node_ops *ops, void *self);
/* Starts a node that was added (calls ops->start). */
void sim_start_node(sim *s, int node);
int sim_node_count(const sim *s);
int sim_find_node(const sim *s, const char *name);  /* -1 when unknown */
const char *sim_node_name(const sim *s, int node);
node_kind sim_node_kind(const sim *s, int node);
node_status sim_node_status(const sim *s, int node);
void *sim_node_self(const sim *s, int node);
/* The node's callbacks: tells what object sim_node_self is. */
const node_ops *sim_node_ops(const sim *s, int node);
/* Each node draws from its own stream, so adding a node does not change
 * the draws of the others. */
rng *sim_node_rng(sim *s, int node);
/* A hint for a node's prefetch: a message from -> to is coming (see
 * net_prefetch). Changes nothing. */
void sim_prefetch_route(const sim *s, int from, int to);
/* Incremented at each crash; lets a node tell its own stale work apart. */
uint64_t sim_node_incarnation(const sim *s, int node);

/* --- timers (owned by a node) --- */

/* Calls fn(self, arg) after delay_us, unless the owner crashes first.
 * While the owner is paused it waits, and fires on resume. Returns an id
 * (never 0) for sim_cancel. */
uint64_t sim_timer(sim *s, int owner, uint64_t delay_us, sim_timer_fn fn,
                   uint64_t arg);
/* Cancels a timer; false when it already fired or was cancelled. */
bool sim_cancel(sim *s, uint64_t timer_id);

/* A world event, owned by no node (fault schedules, controller wake-ups). */
uint64_t sim_at(sim *s, uint64_t delay_us, evq_fn fn, void *ctx, uint64_t arg);

/* --- messages --- */

/* Sends bytes from -> to through the network. The data is copied. A send
 * from a node that is not up is ignored (a dead process sends nothing). */
void sim_send(sim *s, int from, int to, uint32_t type, const void *data,
              size_t len);
/* A payload shared by several messages (the same UpdateMetadata to every
 * broker): immutable, counted, freed with its last reference, so a
 * request queued for 300 brokers and in flight to them is held once. */
typedef struct sim_blob sim_blob;
sim_blob *sim_blob_new(const void *data, size_t len);  /* copies; count 1 */
sim_blob *sim_blob_ref(sim_blob *b);                   /* count + 1 */
void sim_blob_unref(sim_blob *b);                      /* NULL is a no-op */
size_t sim_blob_len(const sim_blob *b);
const uint8_t *sim_blob_data(const sim_blob *b);
/* A receiver's decoding of a body, kept with it for the next receiver of
 * the same bytes (300 brokers read one UpdateMetadata: one parse instead
 * of 300) and freed with it by memo_free. Never part of what is sent:
 * a memo is what every receiver would compute from the bytes alike.
 * sim_blob_memo is NULL unless the memo was set with that memo_free. */
void *sim_blob_memo(const sim_blob *b, void (*memo_free)(void *));
void sim_blob_set_memo(sim_blob *b, void *memo, void (*memo_free)(void *));
/* While a node's recv reads a message sent with a body: that body, and
 * in *head_len where it starts in the bytes recv got; else NULL. */
sim_blob *sim_delivering_body(const sim *s, size_t *head_len);
/* sim_send of head followed by body's bytes: the receiver, the trace and
 * the network see one message of head_len + sim_blob_len(body) bytes, as
 * from sim_send; the head is copied, the body referenced, not copied. */
void sim_send_shared(sim *s, int from, int to, uint32_t type, const void *head,
                     size_t head_len, sim_blob *body);
/* What a message carries that is worth showing (a PROPOSAL's zxid, a
 * NOTIFICATION's vote, a Produce's partition and record count): reads
 * the payload's first head_len bytes (of a shared send, the head and the
 * start of the body) of a message of type; false when it knows no such
 * detail. Numbers go in detail and code, words (at most text_cap bytes,
 * untouched when it has none) in text. The trace's send event carries
 * them (b = detail, code, text). */
typedef bool (*sim_msg_detail_fn)(uint32_t type, const uint8_t *head, size_t head_len,
                                  uint64_t *detail, int *code, char *text, size_t text_cap);
/* Adds a reader of details (up to 4; a protocol's, for its types). */
void sim_detail_msgs(sim *s, sim_msg_detail_fn fn);
/* Names message types for the trace: types [first, first + n). */
void sim_name_msgs(sim *s, uint32_t first, const char *const *names, int n);
const char *sim_msg_name(const sim *s, uint32_t type);

/* --- faults (the fault API; every call is traced) --- */

void sim_crash(sim *s, int node);       /* no-op when already down */
/* The process exits by itself (the end of a clean stop): to the node and
 * its peers exactly a crash (state gone, connections closed at once),
 * traced as "exit N (clean stop)". No-op when already down. */
void sim_exit(sim *s, int node);
void sim_restart(sim *s, int node);     /* crash if needed, then start */
/* Freezes node for dur_us (0: until sim_resume). */
void sim_pause(sim *s, int node, uint64_t dur_us);
void sim_resume(sim *s, int node);
/* Some link to or from node is cut, even one of many (lab.status); not
 * "isolated", which is net_cut_off over the node's peers. */
bool sim_any_link_cut(sim *s, int node);

/* --- running --- */

/* Runs the next event. False when the queue is empty. */
bool sim_step(sim *s);
/* Runs every event up to and including t_us, then sets the clock to t_us.
 * Stops early (returning false) when sim_halt was called. */
bool sim_run_until(sim *s, uint64_t t_us);
/* Asks the running loop to stop after the current event. */
void sim_halt(sim *s);
bool sim_halted(const sim *s);
void sim_clear_halt(sim *s);
/* Time of the next event; false when none. */
bool sim_next_time(sim *s, uint64_t *t_us);

#endif
