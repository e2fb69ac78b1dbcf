/* fuzz_work: the fuzzer's workload and the checks only a client can make.
 * ZooKeeper sessions write persistent sequential znodes (each one
 * acknowledged goes into a ledger that must survive), ephemeral ones
 * (which must go with their session), set the shared watched znodes and
 * read them with watches; producers send records (the broker ledger in
 * kafka_check records each acknowledged one). */
#include "fuzz_int.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OP_SETUP, OP_SEQ, OP_EPH, OP_SET, OP_GET, OP_CLOSE, OP_COUNT };

void fz_fail(fz_run *r, const char *fmt, ...)
{
    if (r->res->failed) return;
    r->res->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->res->why, sizeof r->res->why, fmt, ap);
    va_end(ap);
    sim_halt(r->s);
}

static const char *const setup_paths[] = { "/fuzz", "/fuzz/w0", "/fuzz/w1", "/fuzz/w2" };
#define SETUP_STEPS ((int)(sizeof setup_paths / sizeof setup_paths[0]))

static int watched_index(const char *path)
{
    for (int k = 0; k < FZ_WATCHED; k++)
        if (strcmp(path, setup_paths[k + 1]) == 0) return k;
    return -1;
}

static void on_watch(void *ctx, zevent ev, const char *path)
{
    fz_client *c = ctx;
    int k = watched_index(path);
    if (k >= 0 && (ev == ZEV_DATA_CHANGED || ev == ZEV_DELETED)) c->fired[k] = true;
}

static void on_state(void *ctx, zk_client_state st)
{
    fz_client *c = ctx;
    if (st == ZKC_EXPIRED || st == ZKC_CLOSED) c->gone = true;
}

/* A get with a watch: the check, then the watch is armed anew. */
static void got(fz_client *c, const zk_result *res)
{
    int k = c->target;
    if (res->err == ZNONODE) {
        if (c->armed[k] && !c->fired[k])
            fz_fail(c->run, "watch before data: %s read %s as gone before its "
                    "NodeDeleted event", sim_node_name(c->run->s, c->node),
                    setup_paths[k + 1]);
        c->armed[k] = false;
        return;
    }
    if (res->err != ZOK) return;
    if (c->armed[k]) {
        c->run->res->watch_reads++;
        if (res->stat.mzxid > c->mzxid[k] && !c->fired[k])
            fz_fail(c->run, "watch before data: %s read %s at mzxid 0x%llx "
                    "(changed since 0x%llx) before its NodeDataChanged event",
                    sim_node_name(c->run->s, c->node), setup_paths[k + 1],
                    (unsigned long long)res->stat.mzxid,
                    (unsigned long long)c->mzxid[k]);
    }
    c->armed[k] = true;
    c->fired[k] = false;
    c->mzxid[k] = res->stat.mzxid;
}

static void done(void *ctx, const zk_result *res)
{
    fz_client *c = ctx;
    fz_run *r = c->run;
    c->busy = false;
    if (res->err == ZSESSIONEXPIRED) c->gone = true;
    switch (c->op) {
    case OP_SETUP:
        if (res->err == ZOK || res->err == ZNODEEXISTS) {
            if (++c->target == SETUP_STEPS) {
                r->ready = true;
                c->setup = false;
            }
        }
        break;
    case OP_SEQ:
        if (res->err == ZOK) {
            VEC_GROW(r->ledger, r->nledger, r->capledger);
            r->ledger[r->nledger++] = xstrdup(res->path);
        }
        break;
    case OP_GET:
        got(c, res);
        break;
    case OP_CLOSE:
        c->gone = true;
        break;
    default:
        break;
    }
    if (res->err == ZOK && c->op != OP_GET && c->op != OP_CLOSE) r->res->zk_writes++;
}

fz_client *fz_client_add(fz_run *r)
{
    if (r->ncl >= FZ_CLIENTS_MAX) return NULL;
    int sids[CLUSTER_ZK_MAX], n = r->st.zookeepers;
    /* each session its own connect order, as real connect strings shuffle */
    for (int i = 0; i < n; i++) sids[i] = i + 1;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(&r->wr, (uint64_t)i + 1), t = sids[i];
        sids[i] = sids[j];
        sids[j] = t;
    }
    fz_client *c = &r->cl[r->ncl];
    memset(c, 0, sizeof *c);
    c->zc = cluster_zk_client(r->c, sids, n, r->st.zk_session_ms, &c->node);
    if (!c->zc) return NULL;
    r->ncl++;
    c->run = r;
    zk_client_on_watch(c->zc, on_watch, c);
    zk_client_on_state(c->zc, on_state, c);
    return c;
}

void fz_work_start(fz_run *r)
{
    for (int i = 0; i < r->st.nsessions; i++) {
        fz_client *c = fz_client_add(r);
        if (c && i == 0) c->setup = true;
    }
}

static void start_producers(fz_run *r)
{
    int boot[16], n = kafka_world_count(r->kw);
    for (int i = 0; i < n; i++) boot[i] = kafka_broker_node(kafka_world_broker(r->kw, i));
    for (int i = 0; i < r->st.nproducers; i++) {
        kafka_client_config cfg;
        kafka_client_config_defaults(&cfg);
        cfg.acks = r->st.acks[i];
        cfg.delivery_timeout_ms = 20000;
        cfg.request_timeout_ms = 5000;
        cfg.max_block_ms = 10000;
        char name[16];
        snprintf(name, sizeof name, "p%d", i + 1);
        r->pr[i] = kafka_client_new(r->s, name, boot, n, &cfg,
                                    kafka_world_hooks(r->kw));
    }
}

static void client_call(fz_run *r, fz_client *c)
{
    char path[64], data[24];
    if (c->setup) {
        c->op = OP_SETUP;
        zk_create(c->zc, setup_paths[c->target], NULL, 0, 0, done, c);
        c->busy = true;
        return;
    }
    if (!r->ready) return;
    c->op = (int)rng_range(&r->wr, OP_SEQ, OP_GET);
    int k = (int)rng_below(&r->wr, FZ_WATCHED);
    snprintf(data, sizeof data, "%llu", (unsigned long long)rng_next(&r->wr));
    c->busy = true;
    switch (c->op) {
    case OP_SEQ:
        zk_create(c->zc, "/fuzz/s-", (const uint8_t *)data, strlen(data),
                  ZF_SEQUENTIAL, done, c);
        break;
    case OP_EPH:
        snprintf(path, sizeof path, "/fuzz/e-%s-", sim_node_name(r->s, c->node));
        zk_create(c->zc, path, NULL, 0, ZF_EPHEMERAL | ZF_SEQUENTIAL, done, c);
        break;
    case OP_SET:
        zk_set(c->zc, setup_paths[k + 1], (const uint8_t *)data, strlen(data),
               -1, done, c);
        break;
    default:
        c->target = k;
        zk_get(c->zc, setup_paths[k + 1], true, done, c);
        break;
    }
}

void fz_work_tick(fz_run *r)
{
    if (!r->pr[0] && r->kw && r->topics_ready) start_producers(r);
    int live = 0;
    for (int i = 0; i < r->ncl; i++) {
        fz_client *c = &r->cl[i];
        if (c->gone || sim_node_status(r->s, c->node) == NODE_DOWN) continue;
        live++;
        if (!c->busy) client_call(r, c);
    }
    /* sessions that ended are replaced, up to a budget per run */
    if (live < r->st.nsessions && r->ready) {
        fz_client *c = fz_client_add(r);
        (void)c;
    }
    for (int i = 0; i < r->st.nproducers && r->pr[i]; i++) {
        if (kafka_client_busy(r->pr[i])) continue;
        const fz_topic *t = &r->st.topics[rng_below(&r->wr, (uint64_t)r->st.ntopics)];
        kafka_client_send(r->pr[i], t->name, -1, NULL, NULL,
                          (int)rng_range(&r->wr, 1, 5));
    }
}

/* Client faults: a killed host never sends again (its session must
 * expire); a close ends the session at once. */
void fz_client_fault(fz_run *r, int slot, bool kill)
{
    /* the slot-th live session, counting from the oldest */
    for (int i = 0; i < r->ncl; i++) {
        fz_client *c = &r->cl[i];
        if (c->gone || c->setup || sim_node_status(r->s, c->node) == NODE_DOWN) continue;
        if (slot-- > 0) continue;
        if (kill) {
            cluster_kill(r->c, c->node);
            c->gone = true;
        } else if (!c->busy) {
            c->op = OP_CLOSE;
            c->busy = true;
            zk_close(c->zc, done, c);
        }
        return;
    }
}

void fz_work_free(fz_run *r)
{
    for (int i = 0; i < r->nledger; i++) free(r->ledger[i]);
    free(r->ledger);
    free(r->sess);
}
