/* zk_client: the ZooKeeper client library, embedded in a host process (a
 * broker, or a stand-alone client node made by zk_client_node_new). It
 * holds one session: connects to a server of its (shuffled) connect string, pings when
 * idle for a third of the timeout, gives up on a silent server after two
 * thirds of it and tries the next, and reports CONNECTIONLOSS and
 * SESSIONEXPIRED as the real client does. Calls are asynchronous: each
 * completes later, in simulated time, through its callback. */
#ifndef QL_ZK_CLIENT_H
#define QL_ZK_CLIENT_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "ztree.h"

typedef enum zk_client_state {
    ZKC_CONNECTING,         /* looking for a server (also after a loss) */
    ZKC_CONNECTED,          /* session live on a serving server */
    ZKC_EXPIRED,            /* the ensemble expired the session: final */
    ZKC_CLOSED,             /* closed by the client: final */
} zk_client_state;

const char *zk_client_state_name(zk_client_state s);

/* The outcome of one call. Everything in it is valid only during the
 * callback: copy what you keep. */
typedef struct zk_result {
    zerr err;
    const char *path;       /* create: the created path */
    const uint8_t *data;    /* get */
    size_t len;
    zstat stat;             /* get, set, exists, create */
    char **children;        /* children: sorted names */
    int nchildren;
    const zop_result *results; /* multi: one per op */
    int nresults;
} zk_result;

typedef void (*zk_done_fn)(void *ctx, const zk_result *r);
/* A watch event (one-shot), delivered before the reply to any later call. */
typedef void (*zk_watch_fn)(void *ctx, zevent ev, const char *path);
/* A session state change. */
typedef void (*zk_state_fn)(void *ctx, zk_client_state st);

typedef struct zk_client zk_client;

/* A client hosted by sim node `host`. servers are sim node indices (the
 * connect string; each start shuffles it with the host's rng, as
 * StaticHostProvider does). timeout_ms is the requested session timeout;
 * the server negotiates it into [2, 20] x tickTime. */
zk_client *zk_client_new(sim *s, int host, const int *servers, int n,
                         uint64_t timeout_ms);
void zk_client_free(zk_client *c);      /* NULL is a no-op */

/* Host lifecycle: call from the host's start / crash / reset callbacks.
 * start opens a new session; crash forgets everything (no callback runs
 * after it; the session lives on in the ensemble until it expires). */
void zk_client_start(zk_client *c);
void zk_client_crash(zk_client *c);
void zk_client_reset(zk_client *c, int peer);
/* At most n requests out at once (0: no limit, the default); the rest
 * wait, in order, until answers come back. Not ZooKeeper's own client:
 * Kafka's ZooKeeperClient wraps it with a semaphore of
 * zookeeper.max.in.flight.requests (10), which the brokers set here. A
 * waiting request has no deadline yet; zk_close never waits. */
void zk_client_set_max_inflight(zk_client *c, int n);
int zk_client_waiting(const zk_client *c);     /* requests waiting */
/* Offers a message to the client; true when it was one of its own. */
bool zk_client_recv(zk_client *c, int from, uint32_t type,
                    const uint8_t *data, size_t len);

void zk_client_on_watch(zk_client *c, zk_watch_fn fn, void *ctx);
void zk_client_on_state(zk_client *c, zk_state_fn fn, void *ctx);

zk_client_state zk_client_state_get(const zk_client *c);
int64_t zk_client_session(const zk_client *c);      /* 0 before the first */
uint64_t zk_client_timeout_ms(const zk_client *c);   /* negotiated */
int zk_client_server(const zk_client *c);           /* node, -1 if none */

/* Operations. A call made while not connected waits for a connection up to
 * the request timeout (two thirds of the session timeout), then completes
 * with CONNECTIONLOSS; after expiry every call gets SESSIONEXPIRED. */
void zk_create(zk_client *c, const char *path, const uint8_t *data,
               size_t len, uint32_t flags, zk_done_fn done, void *ctx);
void zk_delete(zk_client *c, const char *path, int32_t version,
               zk_done_fn done, void *ctx);
void zk_set(zk_client *c, const char *path, const uint8_t *data, size_t len,
            int32_t version, zk_done_fn done, void *ctx);
/* watch: leave a data watch (NodeDataChanged, NodeDeleted). */
void zk_get(zk_client *c, const char *path, bool watch, zk_done_fn done,
            void *ctx);
/* exists watches even a missing node (NodeCreated). err NONODE if absent. */
void zk_exists(zk_client *c, const char *path, bool watch, zk_done_fn done,
               void *ctx);
/* watch: leave a child watch (NodeChildrenChanged, NodeDeleted). */
void zk_children(zk_client *c, const char *path, bool watch,
                 zk_done_fn done, void *ctx);
void zk_multi(zk_client *c, const zop *ops, int n, zk_done_fn done,
              void *ctx);
/* sync: completes once the server has applied every transaction the
 * leader had proposed when the sync reached it (a follower asks the
 * leader and waits for its answer); a read after it sees them. */
void zk_sync(zk_client *c, const char *path, zk_done_fn done, void *ctx);
/* Closes the session (its ephemeral znodes go at once). */
void zk_close(zk_client *c, zk_done_fn done, void *ctx);

/* A stand-alone client process (a sim node of kind NODE_CLIENT named
 * `name`) hosting one zk_client; the node is started at once. Returns NULL
 * when the world has no room for another node. The sim frees it. */
zk_client *zk_client_node_new(sim *s, const char *name, const int *servers,
                              int n, uint64_t timeout_ms);

#endif
