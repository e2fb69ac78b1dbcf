/* real_zk: real ZooKeeper clients inside a world. Each TCP connection a real
 * client opens to a server's port becomes a simulated client node ("real1",
 * "real2"...) attached to that server: its requests travel the simulated
 * links to the server's own session code (lab/zk/zk_serve.c) and the
 * answers come back as jute bytes for the socket. So a crash of the server
 * resets the real connection, a cut link or a pause makes the real client
 * time out, and the session is the ensemble's real session.
 *
 * Deterministic: no sockets here. The listening layer (app/listen.c) hands
 * in the bytes a client sent at the world's current simulated time and
 * takes the bytes to write; the same bytes at the same times give the same
 * run. Four-letter words are answered here too (real_4lw.c). */
#ifndef QL_REAL_ZK_H
#define QL_REAL_ZK_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "cluster.h"

/* Limits: each one closes only the connection that passes it. */
#define REAL_CONNS_PER_SERVER 60        /* maxClientCnxns' default */
#define REAL_OUT_MAX (4u << 20)         /* unread answers a client may hold */
#define REAL_OUTSTANDING_MAX 1000       /* globalOutstandingLimit: stop reading */
#define REAL_SESSIONLESS_MS 10000       /* zookeeper.nio.sessionlessCnxnTimeout */

/* What the socket layer must do with a connection. */
typedef enum real_end {
    REAL_OPEN,              /* keep going */
    REAL_CLOSE,             /* write what is pending, then close (FIN) */
    REAL_RESET,             /* close at once with a reset (the server died) */
} real_end;

typedef struct real_hub real_hub;

/* The real clients of world w (one hub per world; freed before the world). */
real_hub *real_hub_new(cluster *w);
void real_hub_free(real_hub *h);        /* NULL is a no-op */
cluster *real_hub_world(const real_hub *h);
/* The port server sid listens on (what `conf` reports as clientPort). */
void real_hub_port(real_hub *h, int sid, int port);

/* A connection accepted on server sid's port, from peer ("127.0.0.1:5000").
 * Returns its id (>= 0), or -1 when it is refused at once (too many from
 * there, as NIOServerCnxnFactory refuses them); why says so. */
int real_zk_accept(real_hub *h, int sid, const char *peer, char *why, size_t cap);
/* Bytes the client sent, at the world's current time. Returns how many were
 * taken: fewer when the connection holds REAL_OUTSTANDING_MAX requests (read
 * the rest later, as a throttled server stops reading). */
size_t real_zk_input(real_hub *h, int id, const uint8_t *p, size_t n);
/* The client closed its end, or the socket failed (why: "EOF", an errno text). */
void real_zk_closed(real_hub *h, int id, const char *why);
/* The bytes waiting to be written; real_zk_wrote consumes n of them. */
size_t real_zk_output(real_hub *h, int id, const uint8_t **p);
void real_zk_wrote(real_hub *h, int id, size_t n);
real_end real_zk_end(const real_hub *h, int id);
/* The socket is gone: the id is free again. */
void real_zk_release(real_hub *h, int id);

/* Connections open now (with or without a session). */
int real_zk_count(const real_hub *h);

/* For the dashboard's clients panel: connection i (0 <= i < cap of ids
 * in use), false when unused. */
typedef struct real_zk_info {
    int node;               /* the simulated client node */
    int sid;                /* the server it is attached to */
    char peer[48];          /* the real client's address */
    int64_t session;        /* 0 before the handshake */
    char last[48];          /* what it did last ("create /a") */
    uint64_t requests;      /* requests it sent */
} real_zk_info;
int real_zk_slots(const real_hub *h);
bool real_zk_info_get(const real_hub *h, int id, real_zk_info *out);

#endif
