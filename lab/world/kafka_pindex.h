/* kafka_pindex: the world's index of topic assignments, so a partition's
 * replicas are found in O(1) instead of parsing the topic's whole
 * /brokers/topics/<t> JSON on every lookup (a 10,000-partition topic is
 * 300 KB of JSON). An entry is keyed on the znode's identity (czxid,
 * mzxid, data length): it is parsed again only when the znode changed,
 * which a reader sees by reading the znode from the tree as before. */
#ifndef QL_KAFKA_PINDEX_H
#define QL_KAFKA_PINDEX_H

#include "kafka_proto.h"
#include "ztree.h"

typedef struct kafka_pindex kafka_pindex;
typedef struct kafka_ptopic kafka_ptopic;

kafka_pindex *kafka_pindex_new(void);
void kafka_pindex_free(kafka_pindex *x);    /* NULL is a no-op */

/* The entry of topic, brought up to date with its znode (data, len, st):
 * parsed once per version of the znode. Never NULL; owned by the index,
 * valid until the next call on the same topic. */
const kafka_ptopic *kafka_pindex_sync(kafka_pindex *x, const char *topic,
                                      const uint8_t *data, size_t len,
                                      const zstat *st);
/* The topic's znode is gone: frees its entry's arrays. */
void kafka_pindex_forget(kafka_pindex *x, const char *topic);

/* Entries in the "partitions" object (-1 for bad JSON), as
 * kafka_json_partitions counts them. */
int kafka_ptopic_count(const kafka_ptopic *t);
/* Partition p's replicas into out->replicas and out->nrep (0 replicas
 * when the object has no key p; the last key p wins, as a parse would). */
void kafka_ptopic_replicas(const kafka_ptopic *t, int p, kafka_pstate *out);
/* Partition p's replicas being added and removed (KIP-455's
 * "adding_replicas" and "removing_replicas"), each up to KAFKA_RF_MAX;
 * true when either list is not empty. */
bool kafka_ptopic_moving(const kafka_ptopic *t, int p, int *adding, int *nadding,
                         int *removing, int *nremoving);

#endif
