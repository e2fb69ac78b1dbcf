/* kafka_proto: what Kafka nodes share on the wire and in ZooKeeper: the
 * message types (0x300..), error names, the partition state and its
 * encodings (bytes for messages, JSON for znodes, as Kafka 2.8 writes
 * them), and the configuration names. */
#ifndef QL_KAFKA_PROTO_H
#define QL_KAFKA_PROTO_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "sim.h"
#include "wire.h"

#define KAFKA_RF_MAX 8          /* replicas per partition at most */

enum kafka_msg {
    KMSG_METADATA = 0x300,      /* client -> any broker */
    KMSG_METADATA_RESP,
    KMSG_PRODUCE,               /* client -> leader */
    KMSG_PRODUCE_RESP,
    KMSG_FETCH,                 /* follower or consumer -> leader */
    KMSG_FETCH_RESP,
    KMSG_EPOCH,                 /* OffsetsForLeaderEpoch: follower -> leader */
    KMSG_EPOCH_RESP,
    KMSG_LEADER_AND_ISR,        /* controller -> brokers */
    KMSG_UPDATE_METADATA,       /* controller -> brokers */
    KMSG_STOP_REPLICA,          /* controller -> brokers */
    KMSG_LEADER_AND_ISR_RESP,   /* broker -> controller (was ControllerAck) */
    KMSG_ALTER_ISR,             /* leader -> controller (KIP-497) */
    KMSG_ALTER_ISR_RESP,
    KMSG_SHUTDOWN,              /* ControlledShutdown: broker -> controller */
    KMSG_SHUTDOWN_RESP,
    KMSG_ADMIN,                 /* CreateTopics, DeleteTopics, ElectLeaders */
    KMSG_ADMIN_RESP,
    KMSG_LIST_OFFSETS,          /* consumer -> leader: earliest or latest */
    KMSG_LIST_OFFSETS_RESP,
    KMSG_UPDATE_METADATA_RESP,  /* broker -> controller */
    KMSG_STOP_REPLICA_RESP,     /* broker -> controller */
    KMSG_END
};

void kafka_name_msgs(sim *s);   /* registers the names for the trace */

/* The response a broker answers a controller request with, as KafkaApis'
 * handleLeaderAndIsrRequest, handleUpdateMetadataRequest and
 * handleStopReplicaRequest do (LeaderAndIsrResponse, ...); 0 for a kind
 * that is none of the three. */
uint32_t kafka_ctrl_resp_of(uint32_t request);
/* True for the three answers to the controller's requests. */
bool kafka_is_ctrl_resp(uint32_t kind);

typedef enum kerr {
    KERR_NONE = 0,
    KERR_NOT_LEADER_OR_FOLLOWER,
    KERR_LEADER_NOT_AVAILABLE,
    KERR_UNKNOWN_TOPIC_OR_PARTITION,
    KERR_NOT_ENOUGH_REPLICAS,
    KERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    KERR_REQUEST_TIMED_OUT,
    KERR_NETWORK_EXCEPTION,     /* disconnected */
    KERR_STALE_CONTROLLER_EPOCH,
    KERR_FENCED_LEADER_EPOCH,
    KERR_UNKNOWN_LEADER_EPOCH,
    KERR_OFFSET_OUT_OF_RANGE,
    KERR_TOPIC_ALREADY_EXISTS,
    KERR_INVALID_REPLICATION_FACTOR,
    KERR_INVALID_PARTITIONS,
    KERR_INVALID_REPLICA_ASSIGNMENT,   /* a reassignment's replica list */
    KERR_NOT_CONTROLLER,
    KERR_TIMEOUT,               /* client: TimeoutException */
    KERR_BROKER_NOT_AVAILABLE,
    KERR_ELECTION_NOT_NEEDED,
    KERR_PREFERRED_LEADER_NOT_AVAILABLE,
    KERR_INVALID_TOPIC,
    KERR_MESSAGE_TOO_LARGE,     /* broker: batch over message.max.bytes */
    KERR_RECORD_TOO_LARGE,      /* producer: record over max.request.size */
    KERR_UNKNOWN_SERVER_ERROR,  /* an exception Kafka has no code for */
    KERR_REASSIGNMENT_IN_PROGRESS,  /* the partition's reassignment is completing */
    KERR_NO_REASSIGNMENT_IN_PROGRESS,   /* a cancel with nothing to cancel */
    KERR_COUNT
} kerr;

const char *kerr_name(kerr e);
bool kerr_retriable(kerr e);

/* Partition state as the controller keeps it and sends it. */
typedef struct kafka_pstate {
    int32_t leader;             /* broker id; -1 offline, -2 being deleted */
    int32_t leader_epoch;
    int32_t controller_epoch;   /* of the controller that wrote it */
    int32_t zk_version;         /* of the state znode */
    uint8_t nrep, nisr;
    int32_t replicas[KAFKA_RF_MAX];
    int32_t isr[KAFKA_RF_MAX];
} kafka_pstate;

#define KAFKA_LEADER_NONE (-1)
#define KAFKA_LEADER_DELETE (-2)

void kafka_pstate_write(wbuf *w, const kafka_pstate *p);
void kafka_pstate_read(rbuf *r, kafka_pstate *p);
bool kafka_pstate_in_isr(const kafka_pstate *p, int id);
bool kafka_pstate_has_replica(const kafka_pstate *p, int id);

/* A partition's identity in one 64-bit key (topic id and number, never 0):
 * the b of a TR_LEADER event, so observers can tell partitions apart. */
uint64_t kafka_pkey(uint64_t topic_id, int p);

/* A live broker as UpdateMetadata and Metadata responses carry it. */
typedef struct klive {
    int id, node;               /* broker id and its node */
    char rack[24];              /* "" when none */
} klive;

void kafka_write_live(wbuf *w, const klive *live, int n);
/* Reads a list written by kafka_write_live into *out (allocated, the
 * caller frees it, even when empty); returns the count. More than
 * SIM_NODE_MAX entries marks r bad and reads none. */
int kafka_read_live(rbuf *r, klive **out);

/* JSON of /brokers/topics/<t>/partitions/<p>/state (without replicas). */
void kafka_state_json(const kafka_pstate *p, char *out, size_t cap);
/* Parses it into leader, epochs and ISR; false on bad JSON. */
bool kafka_state_parse(const char *json, size_t len, kafka_pstate *p);

/* Tiny JSON readers for the znodes Kafka writes (not a general parser):
 * the value of a top-level key. */
bool kafka_json_int(const char *json, size_t len, const char *key, long *out);
bool kafka_json_str(const char *json, size_t len, const char *key, char *out,
                    size_t cap);
/* "partitions":{"0":[1,2],...} of /brokers/topics/<t>: calls fn per
 * partition; returns the number of partitions, -1 on bad JSON. */
typedef void (*kafka_assign_visit)(void *ctx, int p, const int *ids, int n);
int kafka_json_partitions(const char *json, size_t len,
                          kafka_assign_visit fn, void *ctx);
/* The same for another map of the topic znode ("adding_replicas",
 * "removing_replicas": a reassignment's, KIP-455); -1 when key is missing
 * or its JSON bad. */
int kafka_json_assignment(const char *json, size_t len, const char *key,
                          kafka_assign_visit fn, void *ctx);

/* Broker-wide settings (server.properties), times in ms. */
typedef struct kafka_config {
    uint32_t session_timeout_ms;    /* zookeeper.session.timeout.ms 18000 */
    uint32_t zk_max_inflight;       /* zookeeper.max.in.flight.requests 10
                                     * (KafkaConfig); 0, for benches only:
                                     * no limit */
    uint32_t lag_max_ms;            /* replica.lag.time.max.ms 30000 */
    uint32_t fetch_wait_ms;         /* replica.fetch.wait.max.ms 500 */
    uint32_t fetch_backoff_ms;      /* replica.fetch.backoff.ms 1000 */
    uint32_t request_timeout_ms;    /* request.timeout.ms 30000 */
    uint32_t controller_timeout_ms; /* controller.socket.timeout.ms 30000 */
    int min_isr;                    /* min.insync.replicas 1 */
    bool unclean;                   /* unclean.leader.election.enable false */
    bool auto_rebalance;            /* auto.leader.rebalance.enable true */
    uint32_t rebalance_check_ms;    /* leader.imbalance.check.interval 300 s */
    int imbalance_pct;              /* leader.imbalance.per.broker 10 */
    uint32_t message_max_bytes;     /* message.max.bytes 1048588: a batch */
    uint32_t shutdown_retries;      /* controlled.shutdown.max.retries 3 */
    uint32_t shutdown_backoff_ms;   /* controlled.shutdown.retry.backoff.ms 5000 */
    uint32_t heartbeat_ms;          /* KRaft: broker.heartbeat.interval.ms 2000 */
    uint32_t broker_session_ms;     /* KRaft: broker.session.timeout.ms 9000 */
} kafka_config;

void kafka_config_defaults(kafka_config *c);
/* Sets one setting by its Kafka name from a string value; false when the
 * name is unknown or the value bad. */
bool kafka_config_set(kafka_config *c, const char *name, const char *value);

#endif
