/* mlog: the short form of a __cluster_metadata record, for the metadata
 * log panel's narrow rows. */
#ifndef QL_VIZ_MLOG_H
#define QL_VIZ_MLOG_H

#include <stddef.h>
#include "kmeta_image.h"
#include "kmeta_rec.h"

/* "PartitionChange orders-3 L104 isr 104,101", "FenceBroker 102",
 * "RegisterBroker 101 epoch 4 fenced": the record's key fields; topics by
 * their name in img (may be NULL: the start of the topic id). */
void viz_mlog_brief(const kmeta_rec *r, const kmeta_image *img, char *buf, size_t cap);
/* row cut to cols columns at a whole id or word, never mid-number: ids
 * of a list left out are counted ("isr 103,104+1"), other text left out
 * is an ellipsis ("replicas 101,102+2…"). A row that fits is copied. */
void viz_mlog_fit(const char *row, int cols, char *dst, size_t cap);

#endif
