/* Helpers for the broker, replica and controller tests: a cluster (the
 * ensemble and n brokers) driven through the simulated clock, topics made
 * by the admin client, and a probe node that talks to brokers in their
 * own wire format where a test must send what no real node would. */
#ifndef KAFKA_TESTLIB_H
#define KAFKA_TESTLIB_H

#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "kafka_world.h"
#include "util.h"

typedef struct kt_world {
    cluster *cl;
    kafka_world *kw;
    sim *s;
} kt_world;

static inline void kt_run_ms(kt_world *w, uint64_t ms)
{
    sim_run_until(w->s, sim_now_us(w->s) + ms * 1000);
}

static inline bool kt_wait_idle(kt_world *w, kafka_client *c, uint64_t ms)
{
    uint64_t end = sim_now_us(w->s) + ms * 1000;
    while (kafka_client_busy(c) && sim_now_us(w->s) < end) kt_run_ms(w, 10);
    return !kafka_client_busy(c);
}

static inline kafka_broker *kt_broker(kt_world *w, int id)
{
    return kafka_world_by_id(w->kw, id);
}

static inline int kt_node(kt_world *w, int id)
{
    return kafka_broker_node(kt_broker(w, id));
}

/* The controller's broker, NULL while there is none. */
static inline kafka_broker *kt_controller(kt_world *w)
{
    int id = kafka_world_controller(w->kw);
    return id >= 0 ? kt_broker(w, id) : NULL;
}

/* A cluster of n brokers (101..) whose controller has read every
 * registration, so topics can be placed on all of them. */
static inline void kt_init(kt_world *w, int n, uint64_t seed)
{
    cluster_config cfg;
    cluster_config_defaults(&cfg);
    cfg.seed = seed;
    cfg.brokers = n;
    char err[128];
    w->cl = cluster_new(&cfg, err, sizeof err);
    QL_ASSERT(w->cl);
    w->s = cluster_sim(w->cl);
    w->kw = cluster_kafka(w->cl);
    for (int i = 0; i < 600; i++) {
        kafka_broker *c = kt_controller(w);
        int seen = 0;
        for (int id = 101; c && id < 101 + n; id++) seen += kafka_broker_ctrl_sees(c, id);
        if (seen == n) return;
        kt_run_ms(w, 100);
    }
    QL_ASSERT(!"brokers never all registered");
}

static inline void kt_free(kt_world *w) { cluster_free(w->cl); }

/* Creates topic (parts, rf; min_isr 0 and unclean -1: defaults) and runs
 * until every partition has its leader; returns the admin's answer. */
static inline kerr kt_create(kt_world *w, const char *topic, int parts,
                             int rf, int min_isr, int unclean)
{
    kafka_client *a = kafka_world_admin(w->kw);
    if (!kafka_client_admin(a, 1, topic, parts, rf, min_isr, unclean) ||
        !kt_wait_idle(w, a, 30000))
        return KERR_TIMEOUT;
    kt_run_ms(w, 2000);         /* LeaderAndIsr reaches every replica */
    return kafka_client_admin_result(a);
}

static inline kafka_pstate kt_state(kt_world *w, const char *topic, int p)
{
    kafka_pstate st;
    int np;
    memset(&st, 0, sizeof st);
    bool ok = kafka_world_pstate(w->kw, topic, p, &st, &np);
    QL_ASSERT(ok);
    return st;
}

/* Broker id's replica of topic/p (QL_ASSERT that it holds one). */
static inline kafka_replica_info kt_replica(kt_world *w, int id,
                                            const char *topic, int p)
{
    kafka_replica_info ri;
    bool ok = kafka_broker_replica(kt_broker(w, id), topic, p, &ri);
    QL_ASSERT(ok);
    return ri;
}

/* Cuts the links between brokers a and b, both ways. */
static inline void kt_cut(kt_world *w, int a, int b)
{
    cluster_link(w->cl, kt_node(w, a), kt_node(w, b), 1000000, 0, 0);
    cluster_link(w->cl, kt_node(w, b), kt_node(w, a), 1000000, 0, 0);
}

/* A producer with acks (1 or -1) bootstrapping from broker boot_id, or
 * from every broker when boot_id is 0. */
static inline kafka_client *kt_producer_from(kt_world *w, const char *name,
                                             int acks, int boot_id)
{
    kafka_client_config cc;
    kafka_client_config_defaults(&cc);
    cc.acks = acks;
    int boot[16], n = kafka_world_count(w->kw);
    for (int i = 0; i < n && i < 16; i++)
        boot[i] = kafka_broker_id(kafka_world_broker(w->kw, i));
    if (boot_id) {
        boot[0] = boot_id;
        n = 1;
    }
    kafka_client *c = kafka_world_client(w->kw, name, boot, n < 16 ? n : 16, &cc);
    QL_ASSERT(c);
    return c;
}

static inline kafka_client *kt_producer(kt_world *w, const char *name, int acks)
{
    return kt_producer_from(w, name, acks, 0);
}

/* Whether two logs hold the same records (record ids) at every offset. */
static inline bool kt_same_log(const kafka_log *a, const kafka_log *b)
{
    if (kafka_log_leo(a) != kafka_log_leo(b)) return false;
    for (int64_t o = 0; o < kafka_log_leo(a); o++) {
        const kafka_record *x = kafka_log_get(a, o), *y = kafka_log_get(b, o);
        if (!x || !y || x->rid != y->rid) return false;
    }
    return true;
}

/* How many events of kind in the trace's ring contain text. */
static inline int kt_events(kt_world *w, trace_kind kind, const char *text)
{
    trace *t = sim_trace(w->s);
    int n = 0;
    for (size_t i = 0; i < trace_count(t); i++) {
        const trace_event *ev = trace_get(t, i);
        n += ev->kind == kind && (!text || strstr(ev->text, text));
    }
    return n;
}

/* A node that sends brokers what a test writes and keeps what they answer:
 * a controller of another epoch, say. */
typedef struct kt_probe {
    int node;
    uint32_t type;              /* of the last message received, 0: none */
    uint8_t data[512];          /* its first bytes */
    size_t len;
    int received;
} kt_probe;

static inline void kt_probe_recv(void *self, int from, uint32_t type,
                                 const uint8_t *data, size_t len)
{
    (void)from;
    kt_probe *p = self;
    p->type = type;
    p->len = len < sizeof p->data ? len : sizeof p->data;
    memcpy(p->data, data, p->len);
    p->received++;
}

static const node_ops kt_probe_ops = { .recv = kt_probe_recv };

static inline void kt_probe_init(kt_world *w, kt_probe *p, const char *name)
{
    memset(p, 0, sizeof *p);
    p->node = sim_add_node(w->s, name, NODE_CLIENT, &kt_probe_ops, p);
    QL_ASSERT(p->node >= 0);
    sim_start_node(w->s, p->node);
}

/* LeaderAndIsr for one partition as a controller (ctrl_id, ctrl_epoch)
 * sends it (kafka_ctrl.c's kc_flush), with every broker listed live. */
static inline void kt_send_lai(kt_world *w, kt_probe *p, int to_id, int ctrl_id,
                               int32_t ctrl_epoch, const char *topic,
                               uint64_t topic_id, int nparts, int part,
                               const kafka_pstate *st)
{
    klive live[16];
    int n = kafka_world_count(w->kw);
    memset(live, 0, sizeof live);
    for (int i = 0; i < n && i < 16; i++) {
        live[i].id = kafka_broker_id(kafka_world_broker(w->kw, i));
        live[i].node = kafka_broker_node(kafka_world_broker(w->kw, i));
    }
    wbuf b;
    wbuf_init(&b);
    w_u32(&b, (uint32_t)ctrl_id);
    w_u32(&b, (uint32_t)ctrl_epoch);
    w_u64(&b, 4242);            /* correlation id */
    kafka_write_live(&b, live, n < 16 ? n : 16);
    w_u32(&b, 1);
    w_str(&b, topic);
    w_u64(&b, topic_id);
    w_u32(&b, (uint32_t)nparts);
    w_u8(&b, 1);                /* min.insync.replicas */
    w_u8(&b, 0);                /* unclean */
    w_u32(&b, (uint32_t)part);
    kafka_pstate_write(&b, st);
    sim_send(w->s, p->node, kt_node(w, to_id), KMSG_LEADER_AND_ISR, b.data, b.len);
    wbuf_free(&b);
}

#endif
