/* kafka_client: a Kafka client process (producer, consumer or admin tool)
 * as a sim node of kind NODE_CLIENT. It starts from a bootstrap list, asks
 * the first broker that answers for metadata, then only talks to brokers
 * that metadata named (as clients before 3.8 do), refreshes metadata on
 * invalid-metadata errors (NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE,
 * ...) or a disconnect, and retries after retry.backoff.ms until a batch
 * is delivery.timeout.ms old. One operation
 * runs at a time; the caller starts it and runs the world until
 * kafka_client_busy turns false. */
#ifndef QL_KAFKA_CLIENT_H
#define QL_KAFKA_CLIENT_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "kafka_proto.h"
#include "kafka_hooks.h"

typedef struct kafka_client kafka_client;

typedef struct kafka_client_config {
    int acks;                       /* 0, 1 or -1 (all); Kafka 2.8 default 1 */
    uint32_t delivery_timeout_ms;   /* 120000 */
    uint32_t request_timeout_ms;    /* 30000 */
    uint32_t retry_backoff_ms;      /* 100 */
    uint32_t max_block_ms;          /* 60000: waiting for metadata */
    uint32_t connect_timeout_ms;    /* socket.connection.setup.timeout.ms 10000 */
    uint32_t batch_size;            /* batch.size 16384 (bytes) */
    uint32_t linger_ms;             /* linger.ms 0 */
    int max_in_flight;              /* max.in.flight.requests.per.connection 5 */
    uint32_t max_request_size;      /* max.request.size 1048576 (bytes) */
    bool reset_earliest;            /* auto.offset.reset: "latest" (false) */
    uint32_t metadata_max_age_ms;   /* metadata.max.age.ms 300000 */
    uint32_t reconnect_backoff_ms;  /* reconnect.backoff.ms 50 */
    uint32_t reconnect_backoff_max_ms; /* reconnect.backoff.max.ms 1000 */
} kafka_client_config;

void kafka_client_config_defaults(kafka_client_config *c);
/* ProducerConfig's cross-checks (delivery.timeout.ms at least linger.ms +
 * request.timeout.ms): false with the reason in why. */
bool kafka_client_config_check(const kafka_client_config *c, char *why, size_t cap);

/* A client node named name, started at once. bootstrap are broker node
 * indices. hooks (copied) may be NULL. Returns NULL when the world is full. The sim frees it. */
kafka_client *kafka_client_new(sim *s, const char *name, const int *bootstrap,
                               int n, const kafka_client_config *cfg,
                               const kafka_hooks *hooks);
int kafka_client_node(const kafka_client *c);
bool kafka_client_busy(const kafka_client *c);

/* Producer: sends n records (key NULL: none; value NULL: generated) to
 * topic; p < 0 lets the partitioner choose (murmur2 of the key, else the
 * sticky partition). The records are appended once metadata names the
 * topic (or fail after max.block.ms), then batched and sent as Kafka's
 * producer does. Returns false when busy. */
bool kafka_client_send(kafka_client *c, const char *topic, int p,
                       const char *key, const char *value, int n);
typedef struct kafka_send_result {
    int acked, failed;
    int64_t first_offset;           /* of the first record, -1 if none */
    int first_partition;
    kerr first_err;                 /* of the first record */
    int errors[KERR_COUNT];         /* failed records per final error */
    int retried[KERR_COUNT];        /* per retriable error: how many times a
                                       broker answered a record with it (the
                                       record was then retried) */
    const char *message;            /* the first failure's words ("" none),
                                       valid until the next operation */
} kafka_send_result;
void kafka_client_send_result(const kafka_client *c, kafka_send_result *out);
/* The last send's records: its partition (-1: none chosen) and offset;
 * true when acknowledged. i < kafka_client_send_count. */
int kafka_client_send_count(const kafka_client *c);
bool kafka_client_send_record(const kafka_client *c, int i, int *p, int64_t *offset);
/* How long a send can take at most: max.block.ms + delivery.timeout.ms. */
uint64_t kafka_client_send_limit_ms(const kafka_client *c);

typedef struct kafka_client_stats {
    long produce_requests;          /* Produce requests sent, in total */
    long metadata_requests;         /* Metadata requests sent, in total */
    long batches;                   /* record batches made, in total */
} kafka_client_stats;
void kafka_client_stats_get(const kafka_client *c, kafka_client_stats *out);

/* Consumer: reads up to max records from offset (below the HW); offset
 * -1 reads from the consumer's position in topic/p, which a first read
 * sets by auto.offset.reset (ListOffsets: latest, the HW, or earliest).
 * A read moves the position past what it returned. */
bool kafka_client_read(kafka_client *c, const char *topic, int p,
                       int64_t offset, int max);
/* The outcome: err, and the records (valid until the next operation). */
kerr kafka_client_read_result(const kafka_client *c, int *n);
void kafka_client_read_record(const kafka_client *c, int i, int64_t *offset,
                              const char **key, const char **value);

/* Admin: op 1 create (parts, rf, min_isr 0: default, unclean -1:
 * default), 2 delete, 3 preferred leader election (topic "" for all). */
bool kafka_client_admin(kafka_client *c, int op, const char *topic, int parts,
                        int rf, int min_isr, int unclean);
/* AlterPartitionReassignments for topic/p: the target replicas, in order
 * (at most KAFKA_RF_MAX); the result is the controller's answer once the
 * reassignment started (kafka_client_admin_result). replicas NULL and n
 * 0: cancel the partition's reassignment (KIP-455's null replicas).
 * false: busy or a list too long. */
bool kafka_client_reassign(kafka_client *c, const char *topic, int p,
                           const int *replicas, int n);
kerr kafka_client_admin_result(const kafka_client *c);

/* Read-only views for the dashboard. kafka_client_at: the Kafka client
 * running as node, NULL when that node is something else. */
kafka_client *kafka_client_at(sim *s, int node);
typedef struct kafka_client_view {
    const int *boot;                /* bootstrap broker nodes */
    int nboot;
    int last_node;                  /* broker node last sent to, -1 none yet */
    bool busy;                      /* an operation runs */
    long acked, failed;             /* records of finished sends, in total */
    long read;                      /* records fetched, in total */
    bool reads;                     /* a consumer: fetching or has fetched */
    kerr last_err;                  /* the last error a broker answered */
    const char *topic;              /* of the running or last operation */
    int acks;                       /* its acks setting (0, 1, -1 all) */
    bool sends;                     /* a producer: sending or has sent */
    uint32_t delivery_timeout_ms;   /* delivery.timeout.ms */
    int partition;                  /* its last send's: a partition asked
                                       for, -1 for the partitioner's */
    bool keyed;                     /* its last send's records have a key
                                       (murmur2 of the key, else sticky) */
} kafka_client_view;
void kafka_client_view_get(const kafka_client *c, kafka_client_view *out);
/* The leader (broker id) its metadata names for topic/p; -1 when it knows
 * none. */
int kafka_client_leader_of(const kafka_client *c, const char *topic, int p);

#endif
