/* meta_check: a KRaft broker's applied metadata is a prefix of the
 * committed metadata log. A broker builds its image by applying the
 * records its observer fetched (BrokerMetadataListener); whatever it holds
 * must be exactly what applying the committed log's first records, up to
 * the broker's offset, gives, and that offset must be committed. Checked
 * apart from the broker's code: the image is rebuilt here from the log. */
#ifndef QL_META_CHECK_H
#define QL_META_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmeta_image.h"

/* One record of the committed log (a controller's Raft log, raft_entry):
 * false when the log does not hold that offset. */
typedef bool (*meta_entry_fn)(void *ctx, int64_t offset, bool *control,
                              const uint8_t **data, size_t *len);

typedef enum meta_verdict {
    META_OK = 0,
    META_DIVERGED,              /* a violation: why says how */
    META_UNCHECKED,             /* the log no longer holds the records */
} meta_verdict;

/* Whether `applied` (offset kmeta_image_offset) is the image of the
 * committed log's records [0, offset]: committed is the log's committed
 * length (high watermark); entry reads the records. */
meta_verdict meta_check_prefix(const kmeta_image *applied, int64_t committed,
                               meta_entry_fn entry, void *ctx, char *why, size_t cap);

/* The same for n images at once (a world's brokers), replaying the log
 * once: the first that fails goes to *bad (its index in imgs). */
#define META_CHECK_MAX 64
meta_verdict meta_check_prefixes(const kmeta_image *const *imgs, int n, int64_t committed,
                                 meta_entry_fn entry, void *ctx, int *bad, char *why,
                                 size_t cap);

/* Two images hold the same metadata (brokers, topics, partitions, topic
 * configs) at the same offset; false with the first difference in why. */
bool meta_check_same(const kmeta_image *a, const kmeta_image *b, char *why, size_t cap);
/* The same brokers, topics, partitions and configs, whatever offsets the
 * images were applied to (one loaded from a snapshot sits at the
 * snapshot's last offset, which may be a control record). */
bool meta_check_same_state(const kmeta_image *a, const kmeta_image *b, char *why, size_t cap);

#endif
