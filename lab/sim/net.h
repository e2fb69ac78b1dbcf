/* net: the simulated network's link model. It decides, for each message,
 * whether it arrives and when; the simulator (sim.c) does the scheduling.
 * Links are directed, so one-way cuts are possible. Delivery on a link is
 * FIFO, as on a TCP connection: a message never overtakes an earlier one on
 * the same link, whatever delays are drawn. Drop ratios are integer parts
 * per million; no floats. */
#ifndef QL_NET_H
#define QL_NET_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "rng.h"

#define NET_PPM 1000000u    /* drop ratios are out of this */

typedef struct link_cfg {
    uint64_t delay_lo_us;   /* one-way delay drawn in [lo, hi] */
    uint64_t delay_hi_us;
    uint32_t drop_ppm;      /* chance a message is lost, per million */
    bool cut;               /* no message passes at all */
} link_cfg;

typedef enum net_verdict {
    NET_DELIVER,            /* arrives at *deliver_at_us */
    NET_DROP_CUT,           /* lost: the link is cut */
    NET_DROP_LOSS,          /* lost: the drop ratio struck */
} net_verdict;

typedef struct net net;

/* A network with no nodes; default links take `defaults`. */
net *net_new(link_cfg defaults);
void net_free(net *n);              /* net_free(NULL) is a no-op */

/* Adds a node; returns its index (0, 1, 2, ...). */
int net_add_node(net *n);
int net_node_count(const net *n);

link_cfg net_defaults(const net *n);
link_cfg net_link(const net *n, int from, int to);
void net_set_link(net *n, int from, int to, link_cfg cfg);
/* One-way cut (or uncut) of from -> to. */
void net_cut(net *n, int from, int to, bool cut);
/* Cuts every link to and from node, both ways. */
void net_isolate(net *n, int node);
/* group[i] is node i's side (negative: leave its links alone); links
 * between different sides are cut both ways. */
void net_split(net *n, const int *group, int count);
/* Every link back to the defaults: no cuts, no extra drop or delay. */
void net_heal(net *n);
/* True when from -> to is not cut. */
bool net_can_reach(const net *n, int from, int to);
/* True when a -> b and b -> a are both not cut. */
bool net_linked(const net *n, int a, int b);
/* True when some link of node is cut, to or from anyone: a partial cut
 * counts, so this is not "isolated" (see net_cut_off). */
bool net_any_cut(const net *n, int node);
/* What "isolated" means to a learner: node is linked both ways to none of
 * peers[0..npeers) (its ensemble, its quorum; node itself may be among
 * them and is skipped). A one-way link does not count, as no request and
 * answer pass it. False when there is no other peer: a lone server is
 * cut off from nobody. */
bool net_cut_off(const net *n, int node, const int *peers, int npeers);

/* A hint: asks memory for the word of the link from -> to, which
 * net_route reads first (one link of n x n, a miss per message at 300
 * brokers). Changes nothing; out-of-range nodes are ignored. */
void net_prefetch(const net *n, int from, int to);

/* Decides one message's fate; updates the link's FIFO horizon. */
net_verdict net_route(net *n, rng *r, int from, int to, uint64_t now_us,
                      uint64_t *deliver_at_us);

#endif
