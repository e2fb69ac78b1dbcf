/* real_kafka_int: the inside of the real Kafka clients' hub, shared by
 * real_kafka.c (connections, nodes, the host API) and real_kafka_msg.c
 * (frames into the lab's Kafka messages and the answers back). */
#ifndef QL_REAL_KAFKA_INT_H
#define QL_REAL_KAFKA_INT_H

#include "real_kafka.h"
#include "kafka_wire.h"
#include "kafka_proto.h"
#include "sim.h"

typedef enum ks_state {
    KS_FREE,
    KS_OPEN,                /* requests flow */
    KS_DONE,                /* closing: nothing more is read or sent on */
} ks_state;

typedef enum kc_kind { KC_APIV, KC_META, KC_PRODUCE, KC_FETCH, KC_OFFSETS, KC_ADMIN } kc_kind;

/* One partition of the request being served, in request order. */
typedef struct kcpart {
    char topic[128];        /* KAFKA_TOPIC_NAME_MAX */
    int32_t p;
    int16_t err;            /* answered here (KW_*), or 0 */
    const char *why;        /* CreateTopics: the error message, or NULL */
    bool local;             /* not sent to the broker */
    int32_t n;              /* Produce: records; their ids rid0.. */
    uint64_t rid0;
    int64_t offset;         /* Fetch: from; ListOffsets: the answer */
    int32_t max_bytes;      /* Fetch */
} kcpart;

/* The request being served: a broker serves a connection's requests one
 * at a time (SocketServer mutes the channel until the answer is sent). */
typedef struct kcur {
    bool busy;
    kc_kind kind;
    int16_t version;
    int32_t corr;           /* the real client's */
    uint64_t lab_corr;      /* the first lab request's */
    int left;               /* lab answers still awaited */
    kcpart *parts;
    int nparts;
    int16_t acks;
    bool no_topics;         /* Metadata asked for none (an empty list) */
    int32_t max_wait_ms;    /* Fetch */
    uint64_t start_us;
    uint64_t timer;         /* Fetch: asks again at max_wait */
    bool retried;
    wbuf msg;               /* Fetch: the lab request, to ask again */
} kcur;

typedef struct kconn {
    ks_state st;
    real_end end;
    int broker;             /* broker id */
    int server;             /* its node */
    int node;               /* the simulated client node */
    int pool;
    char peer[48];
    char client[64];        /* client.id */
    wbuf in, out;
    size_t out_pos;
    uint64_t requests;
    char last[48];          /* for the clients panel */
    bool parsing;           /* inside rk_parse: rk_done must not re-enter */
    kcur cur;
} kconn;

typedef struct rknode {
    int node;
    int conn;               /* -1: free */
    uint64_t seq;           /* record ids: node << 40 | seq (the ledger's) */
    uint64_t corr;          /* the lab requests' correlation ids: per node,
                             * so a late answer to the node's previous
                             * connection matches nothing */
} rknode;

typedef struct rkself { real_khub *h; int pool; } rkself;

struct real_khub {
    cluster *w;
    sim *s;
    kconn *c;
    int nc, capc;
    rknode *pool;
    int npool, cappool;
    rkself **selves;        /* cleared at free: callbacks then do nothing */
    int *ports;             /* per broker index */
    int nports;
    wbuf msg;               /* scratch: one lab message */
    kw_req *req;            /* scratch: one decoded request */
};

/* real_kafka.c */
kconn *rk_get(const real_khub *h, int id);
void rk_note(real_khub *h, kconn *c, const char *fmt, const char *what);
void rk_finish(real_khub *h, kconn *c, real_end how, const char *why);
void rk_out_room(real_khub *h, kconn *c);
void rk_done(real_khub *h, kconn *c);
void rk_parse(real_khub *h, kconn *c);

/* real_kafka_msg.c */
/* One whole frame (without its size) from the client. */
void rk_request(real_khub *h, kconn *c, const uint8_t *p, size_t n);
/* A message from the broker to the connection's node. */
void rk_lab_answer(real_khub *h, kconn *c, uint32_t type, const uint8_t *d, size_t n);

#endif
