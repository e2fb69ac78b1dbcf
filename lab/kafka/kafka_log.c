/* kafka_log: records in an array indexed by offset (no retention in the
 * lab), and the leader-epoch cache as a short array of (epoch, start). */
#include "kafka_log.h"
#include "util.h"

#include <stdlib.h>

typedef struct epoch_entry {
    int32_t epoch;          /* leader epoch */
    int64_t start;          /* first offset written in it */
} epoch_entry;

struct kafka_log {
    /* what every fetch reads first: with the log kept inside a replica
     * they share the replica's first cache line */
    int64_t n;              /* LEO */
    int64_t hw;             /* high watermark */
    kafka_record *rec;      /* rec[offset] */
    int64_t cap;
    epoch_entry *ep;        /* increasing epochs and starts */
    int nep, capep;
};

_Static_assert(sizeof(kafka_log) <= KAFKA_LOG_BYTES, "KAFKA_LOG_BYTES too small");

kafka_log *kafka_log_new(void)
{
    return xcalloc(1, sizeof(kafka_log));
}

kafka_log *kafka_log_init_in(void *mem)
{
    kafka_log *l = mem;
    *l = (kafka_log){ 0 };
    return l;
}

static void drop_record(kafka_record *r)
{
    free(r->key);
    free(r->value);
}

void kafka_log_fini(kafka_log *l)
{
    if (!l) return;
    kafka_log_clear(l);
    free(l->rec);
    free(l->ep);
}

void kafka_log_free(kafka_log *l)
{
    kafka_log_fini(l);
    free(l);
}

void kafka_log_begin_epoch(kafka_log *l, int32_t e)
{
    if (l->nep && l->ep[l->nep - 1].epoch >= e) return;
    if (l->nep && l->ep[l->nep - 1].start == l->n) {
        l->ep[l->nep - 1].epoch = e;    /* the older epoch wrote nothing */
        return;
    }
    VEC_GROW(l->ep, l->nep, l->capep);
    l->ep[l->nep++] = (epoch_entry){ e, l->n };
}

int64_t kafka_log_append(kafka_log *l, int32_t leader_epoch, uint64_t rid,
                         const char *key, const char *value)
{
    kafka_log_begin_epoch(l, leader_epoch);
    VEC_GROW(l->rec, l->n, l->cap);
    l->rec[l->n] = (kafka_record){ leader_epoch, rid,
                                   key ? xstrdup(key) : NULL,
                                   value ? xstrdup(value) : NULL };
    return l->n++;
}

int64_t kafka_log_leo(const kafka_log *l) { return l->n; }
int64_t kafka_log_hw(const kafka_log *l) { return l->hw; }

int64_t kafka_log_set_hw(kafka_log *l, int64_t hw)
{
    l->hw = hw < 0 ? 0 : hw > l->n ? l->n : hw;
    return l->hw;
}

const kafka_record *kafka_log_get(const kafka_log *l, int64_t offset)
{
    return offset >= 0 && offset < l->n ? &l->rec[offset] : NULL;
}

int64_t kafka_log_truncate(kafka_log *l, int64_t offset)
{
    if (offset < 0) offset = 0;
    if (offset >= l->n) return 0;
    int64_t dropped = l->n - offset;
    for (int64_t i = offset; i < l->n; i++) drop_record(&l->rec[i]);
    l->n = offset;
    if (l->hw > offset) l->hw = offset;
    while (l->nep && l->ep[l->nep - 1].start >= offset) l->nep--;
    return dropped;
}

void kafka_log_clear(kafka_log *l)
{
    kafka_log_truncate(l, 0);
    l->nep = 0;
}

int32_t kafka_log_last_epoch(const kafka_log *l)
{
    return l->nep ? l->ep[l->nep - 1].epoch : -1;
}

int64_t kafka_log_epoch_start(const kafka_log *l, int32_t e)
{
    for (int i = 0; i < l->nep; i++)
        if (l->ep[i].epoch == e) return l->ep[i].start;
    return -1;
}

void kafka_log_end_for_epoch(const kafka_log *l, int32_t e,
                             int32_t *epoch_out, int64_t *end_out)
{
    int i = l->nep - 1;
    while (i >= 0 && l->ep[i].epoch > e) i--;
    if (i < 0) {
        /* older than anything we have (LeaderEpochFileCache: no floor
         * entry): that epoch ends where our first epoch starts */
        *epoch_out = l->nep && e >= 0 ? e : -1;
        *end_out = l->nep && e >= 0 ? l->ep[0].start : -1;
        return;
    }
    *epoch_out = l->ep[i].epoch;
    *end_out = i + 1 < l->nep ? l->ep[i + 1].start : l->n;
}

int64_t kafka_log_truncation_point(const kafka_log *l, int32_t epoch,
                                   int64_t end)
{
    if (epoch < 0 || end < 0) return l->n;
    int32_t mine_epoch;
    int64_t mine_end;
    kafka_log_end_for_epoch(l, epoch, &mine_epoch, &mine_end);
    if (mine_end < 0) return 0;     /* it knows nothing that old: refetch */
    return mine_end < end ? mine_end : end;
}
