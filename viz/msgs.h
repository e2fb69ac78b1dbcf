/* msgs: the model behind the message view. Message events of the trace
 * (send, deliver, drop) go in; one record per message comes out, its send
 * paired with its delivery or drop by the send's seq, so a message is "in
 * flight" between the two. A filter (layers, nodes, pings) picks the rows a
 * view shows. Nothing here draws: msgview.c does. */
#ifndef QL_VIZ_MSGS_H
#define QL_VIZ_MSGS_H

#include <stdbool.h>
#include <stdint.h>
#include "lua_lab.h"
#include "trace.h"

/* Layers, the same bits as lab.messages{ layer = ... } (lua_lab.h). */
#define VIZ_ML_ZAB      LAB_LAYER_ZAB       /* sync and broadcast */
#define VIZ_ML_ELECTION LAB_LAYER_ELECTION  /* FLE notifications */
#define VIZ_ML_SESSION  LAB_LAYER_SESSION   /* client <-> server */
#define VIZ_ML_KAFKA    LAB_LAYER_KAFKA     /* brokers, controller, clients */
#define VIZ_ML_KRAFT    LAB_LAYER_KRAFT     /* the KRaft controller quorum's Raft */
#define VIZ_ML_ALL      (VIZ_ML_ZAB | VIZ_ML_ELECTION | VIZ_ML_SESSION | VIZ_ML_KAFKA | VIZ_ML_KRAFT)
#define VIZ_MSG_NODES_MAX 16                /* nodes a filter can name */

typedef enum viz_msg_state {
    VMS_FLIGHT,         /* sent, not yet delivered */
    VMS_DELIVERED,      /* reached its receiver */
    VMS_DROPPED,        /* lost: cut link, drop ratio, receiver down */
} viz_msg_state;

typedef struct viz_msg {
    uint64_t id;        /* seq of its TR_SEND */
    uint64_t sent_us;   /* simulated time of the send */
    uint64_t end_us;    /* of the delivery or drop; 0 in flight */
    int from, to;       /* node indexes */
    char from_name[12]; /* "zk3", "101", "p1" */
    char to_name[12];
    char type[28];      /* as the protocol names it: "PROPOSAL", "Fetch" */
    char detail[64];    /* what it carries: "0x100000002", "zk3 0x0" (a
                         * vote), "orders-0 5 recs acks=1", "" for none */
    unsigned layer;     /* one VIZ_ML_ bit, 0 for an unknown type */
    bool ping;          /* a liveness ping (hidden unless asked) */
    viz_msg_state state;
} viz_msg;

typedef struct viz_msg_filter {
    unsigned layers;    /* VIZ_ML_ bits shown */
    bool pings;         /* show pings too */
    int nodes[VIZ_MSG_NODES_MAX]; /* node indexes; none: every node */
    int nnodes;
} viz_msg_filter;

/* Every layer, every node, no pings: what the view starts with. */
void viz_msg_filter_default(viz_msg_filter *f);
/* Whether a message passes: its layer is on, it is not a hidden ping,
 * and, when the filter names nodes, both ends are named (one named node:
 * either end), so naming zk1 and zk3 shows the traffic between them. */
bool viz_msg_filter_pass(const viz_msg_filter *f, const viz_msg *m);
/* Adds node, or removes it when present (false when full). */
bool viz_msg_filter_toggle_node(viz_msg_filter *f, int node);

/* The layer of a message type and whether it is a ping. */
unsigned viz_msg_layer(uint32_t type, bool *ping);

typedef struct viz_msgs viz_msgs;

/* Keeps the newest capacity messages of each layer (and of pings). */
viz_msgs *viz_msgs_new(int capacity);
void viz_msgs_free(viz_msgs *m);         /* NULL is a no-op */
void viz_msgs_clear(viz_msgs *m);        /* a new world: forget the old */
/* Offers a trace event; all but message events are ignored. Names are
 * ev->node's, ev->peer's and ev->msg_type's (NULL: "#n"). A send's
 * detail (b, code) is shown for the ensemble's types that carry one,
 * its text for Kafka's. */
void viz_msgs_offer(viz_msgs *m, const trace_event *ev, const char *from,
                    const char *to, const char *type);
/* The newest rows passing f, oldest first, into out (up to max); returns
 * how many. */
int viz_msgs_rows(const viz_msgs *m, const viz_msg_filter *f,
                  const viz_msg **out, int max);

#endif
