/* kafka_client_int: what the client's files share (kafka_client.c:
 * metadata, requests, the consumer and admin operations, the node;
 * kafka_client_send.c: the producer, Kafka's RecordAccumulator and
 * Sender) and nothing else includes. */
#ifndef QL_KAFKA_CLIENT_INT_H
#define QL_KAFKA_CLIENT_INT_H

#include "kafka_client.h"
#include "kafka_accum.h"
#include "wire.h"

enum { OP_NONE, OP_SEND, OP_READ, OP_ADMIN };
/* a record: waiting for metadata, in a batch (queued or in flight), done */
enum { R_NEW, R_BATCHED, R_ACKED, R_FAILED };

typedef struct crec {
    uint64_t rid;
    char *key, *value;          /* value NULL: too large, never copied */
    int64_t key_len, value_len; /* key_len -1: no key */
    int p;                      /* its partition once appended, else -1 */
    int state;
    int64_t offset;
    kerr err;
} crec;

typedef struct cmeta {
    char *name;
    kerr err;                   /* of the topic in the last metadata */
    int nparts;
    kafka_pstate *st;
    int sticky;                 /* StickyPartitionCache's partition, -1 */
} cmeta;

typedef struct cpos {           /* consumer: position in a partition */
    char *topic;
    int p;
    int64_t offset;
} cpos;

typedef struct creq {
    uint64_t corr;
    int node;
    uint64_t sent_us, timeout_us;
    int p;                      /* fetch: partition */
    bool meta;                  /* a Metadata request */
    bool list;                  /* a ListOffsets request */
    kbatch **batches;           /* produce: its batches, NULL once expired */
    int nbatches;
} creq;

struct kafka_client {
    sim *s;
    int node;
    kafka_client_config cfg;
    kafka_hooks hooks;          /* the world's observers (the ledger) */
    int *boot;
    int nboot, boot_next;
    klive *live;                /* brokers metadata named */
    int nlive, live_next;
    int ctrl_id;
    bool *connected;            /* per node */
    uint32_t *conn_failures;    /* per node: failed connections in a row */
    uint64_t *blackout_us;      /* per node: no connection before this */
    rng backoff_rng;            /* the reconnect backoff's jitter */
    cmeta *meta;
    int nmeta, capmeta;
    bool meta_stale;
    uint64_t meta_at_us;        /* last metadata answer */
    uint64_t meta_asked_us;     /* last Metadata request sent */
    uint64_t meta_after_us;     /* backoff before the next refresh */
    uint64_t retry_after_us;    /* retry.backoff.ms after an error */
    creq *reqs;
    int nreqs, capreqs;
    uint64_t corr, seq;
    int op;                     /* OP_* running, OP_NONE when idle */
    uint64_t op_start_us, op_deadline_us;
    char topic[128];
    crec *recs;
    int nrecs;
    int want_p;                 /* send: partition asked for, -1 none */
    kacc *acc;                  /* send: the batches, once metadata came */
    int drain_index;            /* RecordAccumulator.drainIndex */
    uint64_t wakes_us[8];       /* wake-ups set and not yet fired */
    int nwakes;
    int retried[KERR_COUNT];    /* this send: records answered with each
                                   retriable error on the way */
    char fail_msg[400];         /* the first failure's words, "" none */
    long produce_reqs, meta_reqs, batches_made; /* in total, for p:stats */
    kerr last_err;
    /* read */
    int rp, rmax;
    int64_t roffset;            /* -1: the position, still to be found */
    cpos *pos;                  /* positions, by first read */
    int npos, cappos;
    kerr rerr;
    crec *out;
    int nout;
    /* admin */
    int aop, aparts, arf, amin_isr, aunclean;
    int areps[KAFKA_RF_MAX], nareps;    /* a reassignment's target replicas */
    kerr aerr;
    bool tick_on;
    uint64_t gen;
    int last_node;              /* broker node of the newest request, -1 */
    long acked_total, failed_total; /* records of finished sends */
    long read_total;            /* records fetched (a consumer's count) */
};

static inline uint64_t kcl_now(const kafka_client *c) { return sim_now_us(c->s); }

/* kafka_client.c */
cmeta *kcl_meta_of(kafka_client *c, const char *topic);
int kcl_node_of(const kafka_client *c, int id);  /* broker id -> node, -1 */
creq *kcl_req_add(kafka_client *c, int node, bool meta, int p);
void kcl_req_drop(kafka_client *c, int i);       /* its batches handed on */
int kcl_inflight_to(const kafka_client *c, int node);
void kcl_conn_failed(kafka_client *c, int node);  /* reconnect backoff */
bool kcl_blacked_out(const kafka_client *c, int node);
void kcl_request_metadata(kafka_client *c);      /* unless one is out or backing off */
bool kcl_meta_inflight(const kafka_client *c);
void kcl_refresh_later(kafka_client *c);         /* metadata after retry.backoff.ms */
void kcl_finish(kafka_client *c);                /* the operation is over */
void kcl_wake_at(kafka_client *c, uint64_t t);   /* a pump at t */
void kcl_begin(kafka_client *c, int op, const char *topic, uint64_t timeout_ms);
void kcl_pump(kafka_client *c);

/* kafka_client_send.c */
void kcl_pump_send(kafka_client *c);
void kcl_on_produce_resp(kafka_client *c, int i, rbuf *r);
void kcl_req_lost(kafka_client *c, int i, kerr err); /* no answer: batches back */

#endif
