/* mlog: the short form of a __cluster_metadata record, for the metadata
 * log panel's narrow rows. */
#ifndef QL_VIZ_MLOG_H
#define QL_VIZ_MLOG_H

#include <stddef.h>
#include "kmeta_image.h"
#include "kmeta_rec.h"

/* "PartitionChange orders-3 L104 isr 104,101", "FenceBroker 102",
 * "RegisterBroker 101 epoch 4 fenced", "BrokerRegistrationChange 103
 * enters controlled shutdown": the record's key fields, what a change
 * means in lang's words (NULL: English); topics by their name in img
 * (may be NULL: the start of the topic id). */
void viz_mlog_brief(const kmeta_rec *r, const kmeta_image *img, const char *lang, char *buf,
                    size_t cap);
/* row cut to cols columns at a whole id or word, never mid-number: ids
 * of a list left out are counted ("isr 103,104+1"), other text left out
 * is an ellipsis ("replicas 101,102+2…"). A row that fits is copied. */
void viz_mlog_fit(const char *row, int cols, char *dst, size_t cap);

#define VIZ_MLOG_PIECE 256      /* bytes of one piece of viz_mlog_wrap */

/* text split at field boundaries ("PartitionChange" | "orders-3" | "L104"
 * | "isr 104,101": a word keeps the numbers after it, "no leader" stays
 * whole) into at most max pieces, the first at most first_cols wide, the
 * others rest_cols; what the last piece cannot hold is cut as
 * viz_mlog_fit cuts. Returns how many pieces it wrote (1 for text that
 * fits first_cols, 0 for ""). */
int viz_mlog_wrap(const char *text, int first_cols, int rest_cols, int max,
                  char (*pieces)[VIZ_MLOG_PIECE]);

#endif
