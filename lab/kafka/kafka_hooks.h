/* kafka_hooks: what brokers and clients report to an observer that the
 * trace does not carry (too frequent to trace, or it needs the log itself).
 * lab/kafka only calls through this table; the world fills it in with its
 * invariant checkers (lab/world/kafka_check), so the checkers stay apart
 * from the code they check. A NULL table or a NULL entry: nobody listens. */
#ifndef QL_KAFKA_HOOKS_H
#define QL_KAFKA_HOOKS_H

#include <stdint.h>
#include "kafka_log.h"

typedef struct kafka_hooks {
    void *ctx;                  /* handed back to every hook */
    /* a leader's high watermark moved (broker node, leader epoch) */
    void (*hw)(void *ctx, int node, const char *topic, uint64_t topic_id,
               int p, int32_t epoch, int64_t hw);
    /* a replica is about to drop [from, log end) of log */
    void (*truncate)(void *ctx, int node, const char *topic, int p,
                     const kafka_log *log, int64_t from);
    /* a producer had a record acknowledged (acks 1 or -1) */
    void (*acked)(void *ctx, const char *topic, int p, int64_t offset,
                  uint64_t rid, int acks);
} kafka_hooks;

#endif
