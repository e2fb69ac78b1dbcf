/* kmeta_rec: the records of KRaft's __cluster_metadata log, named and
 * numbered as Kafka names them (the JSON schemas in metadata/src/main/
 * resources/common/metadata, apiKey = the type below), with the fields the lab uses.
 * A record travels through the Raft log as opaque bytes (kmeta_rec_encode);
 * brokers and controllers decode and apply it to their image. */
#ifndef QL_KMETA_REC_H
#define QL_KMETA_REC_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

#include "wire.h"

/* The apiKey of each record in Kafka's JSON schema. */
typedef enum kmeta_type {
    KMETA_REGISTER_BROKER = 0,      /* RegisterBrokerRecord */
    KMETA_UNREGISTER_BROKER = 1,    /* UnregisterBrokerRecord */
    KMETA_TOPIC = 2,                /* TopicRecord */
    KMETA_PARTITION = 3,            /* PartitionRecord: full state */
    KMETA_CONFIG = 4,               /* ConfigRecord */
    KMETA_PARTITION_CHANGE = 5,     /* PartitionChangeRecord: a delta */
    KMETA_FENCE_BROKER = 7,         /* FenceBrokerRecord */
    KMETA_UNFENCE_BROKER = 8,       /* UnfenceBrokerRecord */
    KMETA_REMOVE_TOPIC = 9,         /* RemoveTopicRecord */
    KMETA_BROKER_REG_CHANGE = 17,   /* BrokerRegistrationChangeRecord */
} kmeta_type;

#define KMETA_MAX_REPLICAS 16
#define KMETA_TOPIC_MAX 250         /* Kafka's topic name limit is 249 */
#define KMETA_RACK_MAX 32
#define KMETA_CONF_MAX 48           /* a config key or value, with NUL */
#define KMETA_RESOURCE_TOPIC 2      /* ConfigResource.Type.TOPIC */
#define KMETA_NO_LEADER (-1)        /* PartitionRecord.Leader: none */
#define KMETA_NO_LEADER_CHANGE (-2) /* PartitionChangeRecord.Leader default */

/* Kafka's Uuid (TopicId, IncarnationId): 128 bits. */
typedef struct kmeta_uuid {
    uint64_t hi, lo;                /* most, least significant halves */
} kmeta_uuid;

/* A broker id list; n < 0 is a null list (PartitionChangeRecord: "did
 * not change"). */
typedef struct kmeta_ids {
    int n;                          /* entries, or -1 for null */
    int id[KMETA_MAX_REPLICAS];     /* broker ids, in order */
} kmeta_ids;

/* One record. Only the fields of its type are meaningful; the others keep
 * the schema's defaults (kmeta_rec_init). */
typedef struct kmeta_rec {
    kmeta_type type;
    int32_t broker_id;              /* BrokerId / Id */
    int64_t broker_epoch;           /* BrokerEpoch / Epoch */
    kmeta_uuid incarnation;         /* RegisterBrokerRecord.IncarnationId */
    char rack[KMETA_RACK_MAX];      /* RegisterBrokerRecord.Rack, "" = null */
    bool fenced;                    /* RegisterBrokerRecord.Fenced (true) */
    int8_t fencing_change;          /* BrokerRegistrationChangeRecord.Fenced:
                                       -1 unfence, 0 none, 1 fence */
    int8_t in_controlled_shutdown;  /* BrokerRegistrationChangeRecord.
                                       InControlledShutdown (version 1+,
                                       KIP-841): 0 none, 1 entered */
    char topic[KMETA_TOPIC_MAX];    /* TopicRecord.Name */
    kmeta_uuid topic_id;            /* TopicId */
    int32_t partition;              /* PartitionId */
    kmeta_ids replicas;             /* Replicas (null in a change: same) */
    kmeta_ids isr;                  /* Isr */
    kmeta_ids removing;             /* RemovingReplicas */
    kmeta_ids adding;               /* AddingReplicas */
    int32_t leader;                 /* Leader (-1 none, -2 no change) */
    int32_t leader_epoch;           /* PartitionRecord.LeaderEpoch */
    int32_t partition_epoch;        /* PartitionRecord.PartitionEpoch */
    int8_t leader_recovery;         /* LeaderRecoveryState: 0 recovered,
                                       1 recovering, -1 no change */
    int8_t resource_type;           /* ConfigRecord.ResourceType; its
                                       ResourceName is `topic` */
    char conf_name[KMETA_CONF_MAX]; /* ConfigRecord.Name */
    char conf_value[KMETA_CONF_MAX];/* ConfigRecord.Value, "" = null */
} kmeta_rec;

/* A record of `type` with the schema's defaults: lists empty in full
 * records and null in PartitionChangeRecord, Leader -1 or -2, Fenced
 * true, LeaderRecoveryState 0 or -1. */
void kmeta_rec_init(kmeta_rec *r, kmeta_type type);

/* "RegisterBrokerRecord", ...; "UnknownRecord" for another number. */
const char *kmeta_type_name(int type);

/* Bytes for the Raft log (the lab's own layout, not Kafka's wire bytes). */
void kmeta_rec_encode(const kmeta_rec *r, wbuf *w);
/* False on bytes that are not a whole record of a known type. */
bool kmeta_rec_decode(const uint8_t *p, size_t n, kmeta_rec *out);

/* One line in Kafka's toString style, e.g.
 * "PartitionChangeRecord(partitionId=0, topicId=..., isr=[102, 103],
 * leader=102)"; fields left at a change's "no change" default are left
 * out. Returns the length written (truncated to cap - 1). */
size_t kmeta_rec_describe(const kmeta_rec *r, char *buf, size_t cap);

/* Kafka prints a Uuid as 22 characters of URL-safe base64 without
 * padding; out must hold 23 bytes. */
void kmeta_uuid_str(kmeta_uuid u, char out[23]);

/* The list helpers the image and the controller share. */
bool kmeta_ids_has(const kmeta_ids *l, int id);
void kmeta_ids_set(kmeta_ids *l, const int *ids, int n);
bool kmeta_ids_equal(const kmeta_ids *a, const kmeta_ids *b);

#endif
