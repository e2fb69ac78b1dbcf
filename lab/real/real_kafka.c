/* real_kafka: a real Kafka client's TCP connection as a simulated client
 * node. The node speaks the lab's Kafka messages (kafka_proto.h) to the one
 * broker whose port the client connected to, which answers it as it
 * answers the lab's own producers and consumers; this file translates
 * frames into those messages and the answers back (real_kafka_msg.c), one
 * request at a time per connection, as a broker serves them. Anything a
 * client sends that is not Kafka closes that connection only, with a line
 * in the trace. */
#include "real_kafka_int.h"
#include "kafka_world.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN_MAX (4 + KW_FRAME_MAX + 4)   /* one whole frame and a size */

kconn *rk_get(const real_khub *h, int id)
{
    return id >= 0 && id < h->nc && h->c[id].st != KS_FREE ? &h->c[id] : NULL;
}

void rk_note(real_khub *h, kconn *c, const char *fmt, const char *what)
{
    trace_emit(sim_trace(h->s), TR_CLIENT, c->node, c->server, 0, 0, fmt, c->peer, what);
}

static void cur_clear(real_khub *h, kconn *c)
{
    if (c->cur.timer) sim_cancel(h->s, c->cur.timer);
    free(c->cur.parts);
    wbuf_free(&c->cur.msg);
    c->cur = (kcur){ 0 };
}

void rk_finish(real_khub *h, kconn *c, real_end how, const char *why)
{
    if (c->st == KS_DONE) return;
    cur_clear(h, c);
    c->st = KS_DONE;
    c->end = how;
    if (why) rk_note(h, c, "real Kafka client %s: connection closed: %s", why);
}

void rk_out_room(real_khub *h, kconn *c)
{
    /* a client that does not read: close it rather than hold its answers */
    if (c->st != KS_DONE && c->out.len - c->out_pos > REAL_OUT_MAX)
        rk_finish(h, c, REAL_RESET, "the client does not read its answers");
}

/* The request is answered: the next one may be read. */
void rk_done(real_khub *h, kconn *c)
{
    cur_clear(h, c);
    rk_out_room(h, c);
    if (!c->parsing) rk_parse(h, c);
}

/* ------------------------------------------------- the simulated node */

static kconn *self_conn(void *self)
{
    rkself *me = self;
    if (!me->h) return NULL;
    int id = me->h->pool[me->pool].conn;
    return id >= 0 ? rk_get(me->h, id) : NULL;
}

static void node_recv(void *self, int from, uint32_t type, const uint8_t *d, size_t n)
{
    kconn *c = self_conn(self);
    if (c && from == c->server && c->st == KS_OPEN) rk_lab_answer(((rkself *)self)->h, c, type, d, n);
}

static void node_reset(void *self, int peer)
{
    kconn *c = self_conn(self);
    if (c && peer == c->server)
        rk_finish(((rkself *)self)->h, c, REAL_RESET, "its broker's connection was reset");
}

static void node_crash(void *self)
{
    kconn *c = self_conn(self);
    if (c) {
        c->cur.timer = 0;                   /* died with the node */
        rk_finish(((rkself *)self)->h, c, REAL_RESET, "its client node was killed");
    }
}

static void node_start(void *self) { (void)self; }
static void node_destroy(void *self) { free(self); }

static const node_ops kreal_ops = {
    .start = node_start, .crash = node_crash, .recv = node_recv,
    .reset = node_reset, .destroy = node_destroy,
};

/* A node for a new connection: a free one that is up, else a new one. */
static int pool_take(real_khub *h)
{
    for (int i = 0; i < h->npool; i++)
        if (h->pool[i].conn < 0 && sim_node_status(h->s, h->pool[i].node) == NODE_UP)
            return i;
    char name[24];
    snprintf(name, sizeof name, "kreal%d", h->npool + 1);
    rkself *me = xcalloc(1, sizeof *me);
    me->h = h;
    me->pool = h->npool;
    int node = sim_add_node(h->s, name, NODE_CLIENT, &kreal_ops, me);
    if (node < 0) { free(me); return -1; }
    VEC_GROW(h->pool, h->npool, h->cappool);
    h->selves = xrealloc(h->selves, (size_t)h->cappool * sizeof *h->selves);
    h->selves[h->npool] = me;
    h->pool[h->npool] = (rknode){ .node = node, .conn = -1 };
    sim_start_node(h->s, node);
    return h->npool++;
}

/* The client sits where the learner can reach it: its links to the
 * brokers start at the defaults, cut only to a broker that is cut off from
 * every other broker (so a split decides what it reaches). */
static void attach_links(real_khub *h, int node, int server)
{
    net *n = sim_net(h->s);
    kafka_world *kw = cluster_kafka(h->w);
    int nb = kafka_world_count(kw);
    bool alone = nb > 1;
    for (int i = 0; i < nb; i++) {
        int b = kafka_broker_node(kafka_world_broker(kw, i));
        net_set_link(n, node, b, net_defaults(n));
        net_set_link(n, b, node, net_defaults(n));
        if (b != server && !(net_link(n, server, b).cut && net_link(n, b, server).cut))
            alone = false;
    }
    if (alone) {
        net_cut(n, node, server, true);
        net_cut(n, server, node, true);
    }
}

/* ------------------------------------------------- the host API */

real_khub *real_khub_new(cluster *w)
{
    real_khub *h = xcalloc(1, sizeof *h);
    h->w = w;
    h->s = cluster_sim(w);
    h->req = xcalloc(1, sizeof *h->req);
    return h;
}

void real_khub_free(real_khub *h)
{
    if (!h) return;
    for (int i = 0; i < h->nc; i++) {
        kconn *c = &h->c[i];
        if (c->st == KS_FREE) continue;
        cur_clear(h, c);
        wbuf_free(&c->in);
        wbuf_free(&c->out);
    }
    for (int i = 0; i < h->npool; i++) h->selves[i]->h = NULL;
    free(h->selves);
    free(h->pool);
    free(h->c);
    free(h->req);
    free(h->ports);
    wbuf_free(&h->msg);
    free(h);
}

void real_khub_port(real_khub *h, int i, int port)
{
    if (i < 0 || i >= CLUSTER_BROKER_MAX) return;
    if (i >= h->nports) {
        h->ports = xrealloc(h->ports, (size_t)(i + 1) * sizeof *h->ports);
        for (int k = h->nports; k <= i; k++) h->ports[k] = 0;
        h->nports = i + 1;
    }
    h->ports[i] = port;
}

static int conns_on(const real_khub *h, int server)
{
    int n = 0;
    for (int i = 0; i < h->nc; i++)
        n += h->c[i].st != KS_FREE && h->c[i].st != KS_DONE && h->c[i].server == server;
    return n;
}

int real_kafka_accept(real_khub *h, int i, const char *peer, char *why, size_t cap)
{
    kafka_world *kw = cluster_kafka(h->w);
    if (!kw || i < 0 || i >= kafka_world_count(kw)) {
        snprintf(why, cap, "no broker at port index %d", i);
        return -1;
    }
    kafka_broker *b = kafka_world_broker(kw, i);
    int server = kafka_broker_node(b);
    if (sim_node_status(h->s, server) == NODE_DOWN) {
        /* no process listens: the kernel refuses the connection */
        snprintf(why, cap, "broker %d is down: connection refused", kafka_broker_id(b));
        return -1;
    }
    if (!kafka_broker_listening(b)) {
        /* a KRaft broker opens its listeners once first unfenced */
        snprintf(why, cap, "broker %d is starting (not yet unfenced): connection refused",
                 kafka_broker_id(b));
        return -1;
    }
    if (conns_on(h, server) >= REAL_CONNS_PER_SERVER) {
        snprintf(why, cap, "too many connections to broker %d (the lab's bound, %d)",
                 kafka_broker_id(b), REAL_CONNS_PER_SERVER);
        return -1;
    }
    int p = pool_take(h);
    if (p < 0) { snprintf(why, cap, "the world has no room for another node"); return -1; }
    int id = 0;
    while (id < h->nc && h->c[id].st != KS_FREE) id++;
    if (id == h->nc) {
        VEC_GROW(h->c, h->nc, h->capc);
        h->nc++;
    }
    kconn *c = &h->c[id];
    *c = (kconn){ .st = KS_OPEN, .broker = kafka_broker_id(b), .server = server,
                  .node = h->pool[p].node, .pool = p };
    snprintf(c->peer, sizeof c->peer, "%s", peer);
    h->pool[p].conn = id;
    attach_links(h, c->node, server);
    char what[32];
    snprintf(what, sizeof what, "broker %d", c->broker);
    rk_note(h, c, "real Kafka client %s: connected to %s", what);
    return id;
}

/* Takes whole frames off the front of the input while no request is
 * being served. */
void rk_parse(real_khub *h, kconn *c)
{
    size_t pos = 0;
    c->parsing = true;
    while (c->st == KS_OPEN && !c->cur.busy) {
        const uint8_t *p = c->in.data + pos;
        size_t left = c->in.len - pos, len;
        kw_frame_st fs = kw_frame(p, left, KW_FRAME_MAX, &len);
        if (fs == KW_NEED_MORE) break;
        if (fs == KW_BAD_LEN) {
            char why[96];
            snprintf(why, sizeof why, "a frame size of %d (the lab takes 10..%u bytes)",
                     (int)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
                           (uint32_t)p[2] << 8 | p[3]), KW_FRAME_MAX);
            rk_finish(h, c, REAL_CLOSE, why);
            break;
        }
        pos += 4 + len;
        c->requests++;
        rk_request(h, c, p + 4, len);
    }
    c->parsing = false;
    if (pos > 0 && c->st != KS_DONE) {
        memmove(c->in.data, c->in.data + pos, c->in.len - pos);
        c->in.len -= pos;
    }
}

size_t real_kafka_input(real_khub *h, int id, const uint8_t *p, size_t n)
{
    kconn *c = rk_get(h, id);
    if (!c || c->st == KS_DONE) return n;   /* closing: dropped */
    size_t room = IN_MAX - c->in.len;
    if (n > room) n = room;
    w_raw(&c->in, p, n);
    if (!c->cur.busy) rk_parse(h, c);
    return n;
}

void real_kafka_closed(real_khub *h, int id, const char *why)
{
    kconn *c = rk_get(h, id);
    if (!c || c->st == KS_DONE) return;
    char line[96];
    snprintf(line, sizeof line, "%s%s", why, c->in.len > 0 ? ", in the middle of a frame" : "");
    rk_finish(h, c, REAL_CLOSE, line);
}

size_t real_kafka_output(real_khub *h, int id, const uint8_t **p)
{
    kconn *c = rk_get(h, id);
    if (!c) { *p = NULL; return 0; }
    *p = c->out.data + c->out_pos;
    return c->out.len - c->out_pos;
}

void real_kafka_wrote(real_khub *h, int id, size_t n)
{
    kconn *c = rk_get(h, id);
    if (!c) return;
    c->out_pos += n;
    if (c->out_pos == c->out.len) {
        c->out_pos = 0;
        wbuf_reset(&c->out);
    }
}

real_end real_kafka_end(const real_khub *h, int id)
{
    const kconn *c = rk_get(h, id);
    return c ? c->end : REAL_RESET;
}

void real_kafka_release(real_khub *h, int id)
{
    kconn *c = rk_get(h, id);
    if (!c) return;
    if (c->st != KS_DONE) real_kafka_closed(h, id, "the lab closed the socket");
    cur_clear(h, c);
    h->pool[c->pool].conn = -1;
    wbuf_free(&c->in);
    wbuf_free(&c->out);
    *c = (kconn){ .st = KS_FREE };
}

int real_kafka_count(const real_khub *h)
{
    int n = 0;
    for (int i = 0; i < h->nc; i++) n += h->c[i].st == KS_OPEN;
    return n;
}

int real_kafka_slots(const real_khub *h) { return h->nc; }

bool real_kafka_info_get(const real_khub *h, int id, real_kafka_info *out)
{
    const kconn *c = rk_get(h, id);
    if (!c) return false;
    *out = (real_kafka_info){ .node = c->node, .broker = c->broker, .requests = c->requests };
    snprintf(out->peer, sizeof out->peer, "%s", c->peer);
    snprintf(out->client, sizeof out->client, "%s", c->client);
    snprintf(out->last, sizeof out->last, "%s", c->last);
    return true;
}
