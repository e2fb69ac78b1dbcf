/* kctl_place: KRaft's replica placement for new topics, the rules of
 * Kafka's StripedReplicaPlacer (metadata/.../placement): racks in sorted
 * order and brokers within a rack, each list sorted then started at a
 * random offset; partition k starts one rack further than partition k-1
 * ("striped"); unfenced brokers first, fenced ones only when a rack has no
 * unfenced left; the leader (first replica) never fenced; after as many
 * partitions as unfenced brokers, racks and brokers are shuffled. Not the
 * ZooKeeper-mode formula (kafka_assign.c). */
#ifndef QL_KCTL_PLACE_H
#define QL_KCTL_PLACE_H

#include <stdbool.h>

#include "rng.h"

/* A broker the placer may use (registered, not shutting down). */
typedef struct kctl_usable {
    int id;                 /* broker id */
    const char *rack;       /* NULL or "" = no rack */
    bool fenced;            /* placed only when no unfenced one is left */
} kctl_usable;

typedef enum kctl_place_err {
    KPLACE_OK = 0,
    KPLACE_INVALID_REPLICATION_FACTOR,  /* rf < 1, rf > brokers, or every
                                           broker fenced */
} kctl_place_err;

/* Places rf replicas for each of `partitions` partitions; out[p * rf + j]
 * is replica j of partition p (j = 0 the leader). Draws from r. On error
 * out is untouched. */
kctl_place_err kctl_place(rng *r, const kctl_usable *brokers, int n,
                          int partitions, int rf, int *out);

#endif
