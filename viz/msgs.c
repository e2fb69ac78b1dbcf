/* msgs: messages of the trace, paired and filtered for the message view. */
#include "msgs.h"
#include "kafka_proto.h"
#include "raft.h"
#include "util.h"
#include "zk_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One ring per layer, pings in a ring of their own: Kafka's fetches
 * (many a second) must not push the last election or write out of view. */
#define BUCKETS 7               /* unknown, zab, election, session, kafka, kraft, pings */

typedef struct ring {
    viz_msg *m;         /* the newest cap messages */
    int head, n;        /* oldest at head */
} ring;

struct viz_msgs {
    ring b[BUCKETS];
    int cap;            /* per ring */
};

void viz_msg_filter_default(viz_msg_filter *f)
{
    memset(f, 0, sizeof *f);
    f->layers = VIZ_ML_ALL;
}

static bool named(const viz_msg_filter *f, int node)
{
    for (int i = 0; i < f->nnodes; i++)
        if (f->nodes[i] == node) return true;
    return false;
}

bool viz_msg_filter_pass(const viz_msg_filter *f, const viz_msg *m)
{
    if (!(f->layers & m->layer)) return false;
    if (m->ping && !f->pings) return false;
    if (f->nnodes == 0) return true;
    if (f->nnodes == 1) return named(f, m->from) || named(f, m->to);
    return named(f, m->from) && named(f, m->to);
}

bool viz_msg_filter_toggle_node(viz_msg_filter *f, int node)
{
    for (int i = 0; i < f->nnodes; i++) {
        if (f->nodes[i] == node) {
            f->nodes[i] = f->nodes[--f->nnodes];
            return true;
        }
    }
    if (f->nnodes == VIZ_MSG_NODES_MAX) return false;
    f->nodes[f->nnodes++] = node;
    return true;
}

unsigned viz_msg_layer(uint32_t type, bool *ping)
{
    *ping = type == ZM_PING || type == ZC_PING || type == ZC_PONG;
    if (type == ZM_NOTIFICATION) return VIZ_ML_ELECTION;
    /* REQUEST, REVALIDATE and SYNC ride the quorum connection too */
    if (type > ZM_NOTIFICATION && type < ZM_SERVER_END) return VIZ_ML_ZAB;
    if (type >= ZC_CONNECT && type < ZC_END) return VIZ_ML_SESSION;
    if (type >= KMSG_METADATA && type < KMSG_END) return VIZ_ML_KAFKA;
    if (type >= RM_VOTE && type < RM_END) return VIZ_ML_KRAFT;
    return 0;
}

viz_msgs *viz_msgs_new(int capacity)
{
    viz_msgs *m = xcalloc(1, sizeof *m);
    m->cap = capacity > 0 ? capacity : 1;
    for (int i = 0; i < BUCKETS; i++)
        m->b[i].m = xcalloc((size_t)m->cap, sizeof *m->b[i].m);
    return m;
}

void viz_msgs_free(viz_msgs *m)
{
    if (!m) return;
    for (int i = 0; i < BUCKETS; i++) free(m->b[i].m);
    free(m);
}

void viz_msgs_clear(viz_msgs *m)
{
    for (int i = 0; i < BUCKETS; i++) m->b[i].head = m->b[i].n = 0;
}

static viz_msg *at(const viz_msgs *m, const ring *r, int i)
{
    return &r->m[(r->head + i) % m->cap];
}

static int bucket(unsigned layer, bool ping)
{
    if (ping) return BUCKETS - 1;
    for (int i = 0; i < BUCKETS - 2; i++)
        if (layer == 1u << i) return 1 + i;
    return 0;
}

static void copy_name(char *dst, size_t cap, const char *name, int id)
{
    if (name) snprintf(dst, cap, "%s", name);
    else snprintf(dst, cap, "#%d", id);
}

static viz_msg *add(viz_msgs *m, ring *r)
{
    viz_msg *g;
    if (r->n < m->cap) {
        g = at(m, r, r->n++);
    } else {
        g = at(m, r, 0);
        r->head = (r->head + 1) % m->cap;
    }
    memset(g, 0, sizeof *g);
    return g;
}

/* The message a delivery or drop ends: in flight ones are recent, so the
 * search runs from the newest back. */
static viz_msg *find(viz_msgs *m, uint64_t id, uint32_t type)
{
    bool ping;
    unsigned layer = viz_msg_layer(type, &ping);
    ring *r = &m->b[bucket(layer, ping)];
    for (int i = r->n - 1; i >= 0; i--) {
        viz_msg *g = at(m, r, i);
        if (g->id == id) return g->state == VMS_FLIGHT ? g : NULL;
        if (g->id < id) return NULL;    /* ids grow along a ring */
    }
    return NULL;
}

/* The words for what a send carries: a zxid, a vote (its leader's sid
 * in code, as "zk<sid>", and its zxid), or the words its protocol gave
 * (a Produce's "orders-0 5 recs acks=1"). */
static void detail_words(const trace_event *ev, char *out, size_t cap)
{
    unsigned long long zxid = (unsigned long long)ev->b;
    out[0] = '\0';
    switch (ev->msg_type) {
    case ZM_NOTIFICATION:
        snprintf(out, cap, "zk%d 0x%llx", ev->code, zxid);
        break;
    case ZM_PROPOSAL: case ZM_ACK: case ZM_COMMIT: case ZM_NEWLEADER:
        snprintf(out, cap, "0x%llx", zxid);
        break;
    default:        /* a Kafka request's words (kafka_proto.c) */
        snprintf(out, cap, "%.63s", ev->text);
        break;
    }
}

void viz_msgs_offer(viz_msgs *m, const trace_event *ev, const char *from,
                    const char *to, const char *type)
{
    if (ev->kind == TR_SEND) {
        bool ping;
        unsigned layer = viz_msg_layer(ev->msg_type, &ping);
        viz_msg *r = add(m, &m->b[bucket(layer, ping)]);
        r->id = ev->seq;
        r->sent_us = ev->at_us;
        r->from = ev->node;
        r->to = ev->peer;
        copy_name(r->from_name, sizeof r->from_name, from, ev->node);
        copy_name(r->to_name, sizeof r->to_name, to, ev->peer);
        copy_name(r->type, sizeof r->type, type, (int)ev->msg_type);
        detail_words(ev, r->detail, sizeof r->detail);
        r->layer = layer;
        r->ping = ping;
        r->state = VMS_FLIGHT;
        return;
    }
    if (ev->kind != TR_DELIVER && ev->kind != TR_DROP) return;
    /* a send older than the ring (or a trace without pairing) is gone */
    viz_msg *r = find(m, ev->b, ev->msg_type);
    if (!r) return;
    r->end_us = ev->at_us;
    r->state = ev->kind == TR_DELIVER ? VMS_DELIVERED : VMS_DROPPED;
}

int viz_msgs_rows(const viz_msgs *m, const viz_msg_filter *f,
                  const viz_msg **out, int max)
{
    /* a merge of the rings from their newest ends, newest id first, into
     * the tail of out; then shifted to the front */
    int pos[BUCKETS], k = 0;
    for (int i = 0; i < BUCKETS; i++) pos[i] = m->b[i].n - 1;
    while (k < max) {
        int best = -1;
        for (int i = 0; i < BUCKETS; i++)
            if (pos[i] >= 0 && (best < 0 ||
                at(m, &m->b[i], pos[i])->id > at(m, &m->b[best], pos[best])->id))
                best = i;
        if (best < 0) break;
        const viz_msg *g = at(m, &m->b[best], pos[best]--);
        if (viz_msg_filter_pass(f, g)) out[max - 1 - k++] = g;
    }
    if (k < max) memmove(out, out + (max - k), (size_t)k * sizeof *out);
    return k;
}
