/* kafka_produce: a Produce request's answer. A request names several
 * partitions (the producer drains its batches per broker); the broker
 * answers once, when every partition has its result: at once for acks=1
 * and errors, when the HW covers the records for acks=all, or at the
 * request's timeout (DelayedProduce in the produce purgatory). */
#include "kafka_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct kpres {
    char *topic;
    int p;
    kerr err;
    int64_t base;
    bool done;
} kpres;

struct kpend {
    uint64_t id;                /* ours: kwait.pend and the timer's arg */
    int from;                   /* client node */
    uint64_t corr;              /* its request */
    uint64_t timer;
    kpres *res;                 /* per partition, in request order */
    int n, left;
};

static int pend_find(const kafka_broker *b, uint64_t id)
{
    for (int i = 0; i < b->npend; i++)
        if (b->pend[i].id == id) return i;
    return -1;
}

static void pend_drop(kafka_broker *b, int i)
{
    kpend *q = &b->pend[i];
    for (int k = 0; k < q->n; k++) free(q->res[k].topic);
    free(q->res);
    memmove(q, q + 1, (size_t)(b->npend - i - 1) * sizeof *q);
    b->npend--;
}

static void pend_answer(kafka_broker *b, int i)
{
    kpend *q = &b->pend[i];
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, q->corr);
    w_u32(&w, (uint32_t)q->n);
    for (int k = 0; k < q->n; k++) {
        w_str(&w, q->res[k].topic);
        w_u32(&w, (uint32_t)q->res[k].p);
        w_u8(&w, (uint8_t)q->res[k].err);
        w_i64(&w, q->res[k].err ? -1 : q->res[k].base);
    }
    kb_send(b, q->from, KMSG_PRODUCE_RESP, &w);
    wbuf_free(&w);
    if (q->timer) sim_cancel(b->s, q->timer);
    pend_drop(b, i);
}

static void pend_timeout(void *self, uint64_t id)
{
    kafka_broker *b = self;
    int i = pend_find(b, id);
    if (i < 0) return;
    kpend *q = &b->pend[i];
    q->timer = 0;
    for (int k = 0; k < q->n; k++)
        if (!q->res[k].done) q->res[k] = (kpres){ q->res[k].topic, q->res[k].p,
                                                  KERR_REQUEST_TIMED_OUT, -1, true };
    pend_answer(b, i);
}

uint64_t kp_begin(kafka_broker *b, int from, uint64_t corr, int n)
{
    VEC_GROW(b->pend, b->npend, b->cappend);
    kpend *q = &b->pend[b->npend++];
    *q = (kpend){ ++b->corr, from, corr, 0, xcalloc((size_t)n + 1, sizeof *q->res), n, n };
    return q->id;
}

void kp_name(kafka_broker *b, uint64_t id, int slot, const char *topic, int p)
{
    int i = pend_find(b, id);
    if (i < 0 || slot >= b->pend[i].n) return;
    b->pend[i].res[slot].topic = xstrdup(topic);
    b->pend[i].res[slot].p = p;
}

void kp_fill(kafka_broker *b, uint64_t id, int slot, kerr err, int64_t base)
{
    int i = pend_find(b, id);
    if (i < 0 || slot >= b->pend[i].n || b->pend[i].res[slot].done) return;
    kpend *q = &b->pend[i];
    q->res[slot].err = err;
    q->res[slot].base = base;
    q->res[slot].done = true;
    if (--q->left == 0) pend_answer(b, i);
}

void kp_wait(kafka_broker *b, uint64_t id, uint32_t timeout_ms)
{
    int i = pend_find(b, id);           /* none: answered already */
    if (i >= 0)
        b->pend[i].timer = sim_timer(b->s, b->node, (uint64_t)timeout_ms * 1000,
                                     pend_timeout, id);
}

void kp_free_all(kafka_broker *b)
{
    while (b->npend) pend_drop(b, b->npend - 1);
}

void kp_destroy(kafka_broker *b)
{
    kp_free_all(b);
    free(b->pend);
    b->pend = NULL;
    b->cappend = 0;
}
