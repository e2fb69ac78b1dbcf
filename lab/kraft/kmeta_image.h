/* kmeta_image: the metadata image a KRaft node builds by applying the
 * committed records of __cluster_metadata in order, as Kafka's
 * MetadataDelta and MetadataImage do (ClusterImage: broker registrations;
 * TopicsImage: topics and PartitionRegistration). Controllers and brokers
 * each keep one; nothing else changes it. */
#ifndef QL_KMETA_IMAGE_H
#define QL_KMETA_IMAGE_H

#include "kmeta_rec.h"

typedef struct kmeta_image kmeta_image;

/* BrokerRegistration: what the log says about one broker. */
typedef struct kmeta_broker {
    int id;                         /* broker id */
    int64_t epoch;                  /* broker epoch: its RegisterBrokerRecord's offset */
    int64_t reg_offset;             /* offset of that record */
    kmeta_uuid incarnation;         /* the process that registered */
    char rack[KMETA_RACK_MAX];      /* "" = none */
    bool fenced;                    /* fenced brokers lead nothing */
    bool in_controlled_shutdown;    /* BrokerRegistration.inControlledShutdown
                                       (KIP-841): until it registers again */
} kmeta_broker;

/* PartitionRegistration. */
typedef struct kmeta_part {
    kmeta_ids replicas;             /* assignment, preferred leader first */
    kmeta_ids isr;                  /* in-sync replicas */
    kmeta_ids removing, adding;     /* reassignment in progress */
    int leader;                     /* broker id, -1 none */
    int leader_epoch;               /* bumped with every leader record */
    int partition_epoch;            /* bumped with every change */
    int8_t leader_recovery;         /* 0 recovered, 1 recovering */
} kmeta_part;

typedef struct kmeta_topic {
    char name[KMETA_TOPIC_MAX];     /* TopicRecord.Name */
    kmeta_uuid id;                  /* TopicRecord.TopicId */
    kmeta_part *parts;              /* by partition id */
    int nparts;                     /* partitions 0..nparts-1 known */
    int cap;                        /* allocated */
} kmeta_topic;

kmeta_image *kmeta_image_new(void);
void kmeta_image_free(kmeta_image *img);    /* NULL is fine */

/* Applies the record committed at `offset` (offsets must grow). Returns
 * false, with the reason in err, when the record does not fit the image
 * (a change to an unknown partition, a fence for another broker epoch):
 * MetadataDelta throws there; the image is left unchanged. */
bool kmeta_image_apply(kmeta_image *img, const kmeta_rec *r, int64_t offset,
                       char *err, size_t errcap);

/* The offset of the last record applied, -1 before any. */
int64_t kmeta_image_offset(const kmeta_image *img);

int kmeta_image_nbrokers(const kmeta_image *img);
/* Brokers sorted by id; i in [0, nbrokers). */
const kmeta_broker *kmeta_image_broker_at(const kmeta_image *img, int i);
const kmeta_broker *kmeta_image_broker(const kmeta_image *img, int id);

int kmeta_image_ntopics(const kmeta_image *img);
/* Topics in creation order. */
const kmeta_topic *kmeta_image_topic_at(const kmeta_image *img, int i);
const kmeta_topic *kmeta_image_topic(const kmeta_image *img, const char *name);
const kmeta_topic *kmeta_image_topic_id(const kmeta_image *img, kmeta_uuid id);
/* NULL when the topic or partition is unknown. */
const kmeta_part *kmeta_image_part(const kmeta_image *img, const char *topic,
                                   int partition);

/* A topic's config as ConfigRecords set it (ConfigurationImage): the
 * value of key for topic `name`, or NULL when not set (the broker's
 * default applies). Configs may precede their TopicRecord. */
const char *kmeta_image_topic_config(const kmeta_image *img, const char *name,
                                     const char *key);

/* The record that would recreate partition p of t as it stands (a
 * PartitionRecord), for tests and snapshots. */
void kmeta_part_record(const kmeta_topic *t, int p, kmeta_rec *out);

/* Snapshots (KIP-630): the image written as the records that recreate
 * it, as Kafka's MetadataImage.write does for a snapshot: a
 * RegisterBrokerRecord per broker (its epoch and fencing as they stand),
 * a TopicRecord and a PartitionRecord per partition, a ConfigRecord per
 * topic config. Appends to w (the lab's layout: a count, then each
 * record's bytes). */
void kmeta_image_write(const kmeta_image *img, wbuf *w);
/* The image such bytes recreate, as of the snapshot's end offset (the
 * next offset to apply: kmeta_image_offset gives end_offset - 1). NULL,
 * with the reason in err, on bytes that are not such records. The
 * caller owns the result. */
kmeta_image *kmeta_image_read(const uint8_t *p, size_t len, int64_t end_offset,
                              char *err, size_t errcap);
/* A deep copy (the caller owns it). */
kmeta_image *kmeta_image_clone(const kmeta_image *img);

#endif
