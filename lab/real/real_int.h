/* real_int: the inside of the real-client hub, shared by real_zk.c (the
 * connections and their simulated client nodes) and real_4lw.c (the
 * four-letter words, which read the connections and the counters). */
#ifndef QL_REAL_INT_H
#define QL_REAL_INT_H

#include "real_zk.h"
#include "zk_jute.h"
#include "zk_server.h"
#include "sim.h"

typedef enum rc_state {
    RS_FREE,
    RS_NEW,                 /* accepted: no packet yet */
    RS_CONNECTING,          /* ConnectRequest sent on to the server */
    RS_OPEN,                /* a session: requests flow */
    RS_DONE,                /* closing: nothing more is read or sent on */
} rc_state;

/* A request sent on, waiting for its answer, in the client's order. */
typedef struct rc_wait {
    int32_t xid, type;      /* the real client's */
    uint32_t lab_xid;       /* what the server answers with; 0: a pong */
    int32_t local_err;      /* answered here (an op the lab lacks), or 0 */
    bool local;
    uint64_t sent_us;       /* for the latency figures */
    uint8_t nops;           /* multi: the ops' real types */
    int8_t mtypes[ZK_MULTI_MAX];
} rc_wait;

typedef struct rconn {
    rc_state st;
    real_end end;
    int sid, server;        /* attached server: its sid and node */
    int node;               /* the simulated client node */
    int pool;               /* its index in the hub's pool */
    char peer[48];
    wbuf in, out;           /* bounded by the limits in real_zk.h */
    size_t out_pos;         /* written so far */
    uint64_t conn;          /* the lab connection id */
    uint32_t slot, gen, tx, rx;
    int64_t session;
    int32_t timeout_ms;
    uint64_t est_us;        /* when the session was established here */
    rc_wait *q;
    int qh, nq, capq;       /* q[qh..nq) wait */
    uint32_t next_xid;
    uint64_t recved, sent;  /* packets, as `cons` shows them */
    int32_t last_xid;       /* lcxid */
    int64_t last_zxid;      /* lzxid */
    char last[48];          /* last operation, for the clients panel */
    uint64_t timer;         /* the sessionless timeout */
    uint64_t wait_timer;    /* a four-letter word waits for a paused server */
} rconn;

typedef struct rnode {
    int node;
    int conn;               /* -1: free */
} rnode;

typedef struct rself { real_hub *h; int pool; } rself;

typedef struct rlat { uint64_t n, sum_ms, min_ms, max_ms; } rlat;

struct real_hub {
    cluster *w;
    sim *s;
    rconn *c;
    int nc, capc;
    rnode *pool;
    int npool, cappool;
    rself **selves;         /* cleared at free: callbacks then do nothing */
    rlat lat[32];           /* per sid: real clients' request latency */
    int ports[32];          /* per sid: the port it listens on (conf) */
    wbuf msg;               /* scratch: one lab message */
    zj_req req;             /* scratch: one decoded request */
};

/* real_4lw.c */
bool real_4lw_known(const uint8_t p[4]);
/* Writes the answer of command p (4 bytes) on server sid to out. */
void real_4lw_answer(real_hub *h, int sid, const uint8_t p[4], const rconn *self, wbuf *out);

#endif
