/* kafka_meta: the brokers' metadata caches hold partition states
 * interned. The controller sends the same UpdateMetadata to every broker,
 * so 300 brokers x 100,000 partitions would hold 30 million equal copies
 * (2.8 GB); each distinct state is stored once in the process, read-only,
 * and a cache slot holds a counted handle of 4 bytes. A broker still owns
 * its cache: a handle is a value, and setting one broker's slot never
 * changes what another's says. Content-addressed, so nothing depends on
 * allocation order. */
#ifndef QL_KAFKA_META_H
#define QL_KAFKA_META_H

#include <stdint.h>
#include "kafka_proto.h"

typedef uint32_t kmeta;     /* 0: the all-zero state (nrep 0: unknown) */

/* Releases old and returns a handle of st (only its first nrep replicas
 * and nisr ISR members count). Never fails. */
kmeta kmeta_set(kmeta old, const kafka_pstate *st);
/* Releases old and returns h, held once more: kmeta_set(old, st) for
 * the st h holds (equal states share one handle), without reading st. */
kmeta kmeta_adopt(kmeta old, kmeta h);
void kmeta_release(kmeta h);                /* 0 is a no-op */
/* The state behind h; valid until the next kmeta_set anywhere. */
const kafka_pstate *kmeta_get(kmeta h);

#endif
