/* kafka_assign: replica placement at topic creation, Kafka's own formula
 * (AdminUtils in ZooKeeper mode): a random start index and shift, the
 * preferred leader first, rack-aware interleaving when every broker has a
 * rack. Pure: the caller draws the random numbers. */
#ifndef QL_KAFKA_ASSIGN_H
#define QL_KAFKA_ASSIGN_H

#include <stdint.h>

typedef enum kafka_assign_err {
    KASSIGN_OK = 0,
    KASSIGN_INVALID_REPLICATION_FACTOR, /* rf < 1 or rf > brokers */
    KASSIGN_INVALID_PARTITIONS,         /* partitions < 1 */
    KASSIGN_PARTIAL_RACKS,              /* some brokers have racks, some not:
                                           AdminOperationException, which the
                                           broker answers UNKNOWN_SERVER_ERROR */
} kafka_assign_err;

/* "INVALID_REPLICATION_FACTOR", ... as Kafka names the error codes. */
const char *kafka_assign_err_name(kafka_assign_err e);

/* Places rf replicas for each of `partitions` partitions on the n brokers
 * ids[] (any order; sorted inside). racks[i] is broker ids[i]'s rack, or
 * NULL; racks itself may be NULL. start and shift are the random draws in
 * [0, n) (Kafka draws them in [0, n) of the brokers list it uses).
 * out[p * rf + j] receives replica j of partition p (j = 0: preferred
 * leader). Returns KASSIGN_OK or the error; out is untouched on error. */
kafka_assign_err kafka_assign(const int *ids, const char *const *racks, int n,
                              int partitions, int rf, int start, int shift,
                              int *out);

#endif
