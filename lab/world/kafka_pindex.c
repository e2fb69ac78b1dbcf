/* kafka_pindex: topic name -> parsed assignment, an open-addressing hash
 * table (FNV-1a of the name, linear probing) that only grows: names stay
 * once seen, their arrays go when the topic does. */
#include "kafka_pindex.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct kafka_ptopic {
    char *name;                 /* the key, owned */
    bool known;                 /* parsed from some znode version */
    int64_t czxid, mzxid;       /* the znode version parsed */
    int32_t len;                /* its data length, a further guard */
    int nparts;                 /* entries in "partitions", -1 bad JSON */
    uint32_t *off;              /* ids of p: ids[off[p] .. off[p+1]) */
    int32_t *ids;               /* every partition's replicas, in order */
};

struct kafka_pindex {
    kafka_ptopic **slot;        /* NULL: free */
    size_t cap, used;           /* cap a power of two, used < cap / 2 */
};

kafka_pindex *kafka_pindex_new(void)
{
    kafka_pindex *x = xcalloc(1, sizeof *x);
    x->cap = 16;
    x->slot = xcalloc(x->cap, sizeof *x->slot);
    return x;
}

static void clear(kafka_ptopic *t)
{
    free(t->off);
    free(t->ids);
    t->off = NULL;
    t->ids = NULL;
    t->known = false;
    t->nparts = -1;
}

void kafka_pindex_free(kafka_pindex *x)
{
    if (!x) return;
    for (size_t i = 0; i < x->cap; i++) {
        if (!x->slot[i]) continue;
        clear(x->slot[i]);
        free(x->slot[i]->name);
        free(x->slot[i]);
    }
    free(x->slot);
    free(x);
}

static size_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return (size_t)h;
}

/* The slot holding name, or the free slot where it would go. */
static size_t find(const kafka_pindex *x, const char *name)
{
    size_t i = hash(name) & (x->cap - 1);
    while (x->slot[i] && strcmp(x->slot[i]->name, name) != 0)
        i = (i + 1) & (x->cap - 1);
    return i;
}

static void grow(kafka_pindex *x)
{
    kafka_pindex old = *x;
    x->cap *= 2;
    x->slot = xcalloc(x->cap, sizeof *x->slot);
    for (size_t i = 0; i < old.cap; i++)
        if (old.slot[i]) x->slot[find(x, old.slot[i]->name)] = old.slot[i];
    free(old.slot);
}

static kafka_ptopic *entry(kafka_pindex *x, const char *name)
{
    size_t i = find(x, name);
    if (x->slot[i]) return x->slot[i];
    if ((x->used + 1) * 2 > x->cap) {
        grow(x);
        i = find(x, name);
    }
    kafka_ptopic *t = xcalloc(1, sizeof *t);
    t->name = xstrdup(name);
    t->nparts = -1;
    x->slot[i] = t;
    x->used++;
    return t;
}

/* First pass: each partition's replica count (by key, last one wins). */
static void count_visit(void *ctx, int p, const int *ids, int n)
{
    kafka_ptopic *t = ctx;
    if (p >= 0 && p < t->nparts) t->off[p + 1] = (uint32_t)n;
}

/* Second pass: the ids at their offsets; a repeated key overwrites. */
static void fill_visit(void *ctx, int p, const int *ids, int n)
{
    kafka_ptopic *t = ctx;
    if (p < 0 || p >= t->nparts || (uint32_t)n != t->off[p + 1] - t->off[p]) return;
    for (int i = 0; i < n; i++) t->ids[t->off[p] + (uint32_t)i] = ids[i];
}

static void parse(kafka_ptopic *t, const char *json, size_t len)
{
    clear(t);
    t->nparts = kafka_json_partitions(json, len, NULL, NULL);
    if (t->nparts <= 0) return;
    t->off = xcalloc((size_t)t->nparts + 1, sizeof *t->off);
    kafka_json_partitions(json, len, count_visit, t);
    for (int p = 0; p < t->nparts; p++) t->off[p + 1] += t->off[p];
    t->ids = xcalloc((size_t)t->off[t->nparts] + 1, sizeof *t->ids);
    kafka_json_partitions(json, len, fill_visit, t);
}

const kafka_ptopic *kafka_pindex_sync(kafka_pindex *x, const char *topic,
                                      const uint8_t *data, size_t len,
                                      const zstat *st)
{
    kafka_ptopic *t = entry(x, topic);
    if (t->known && t->czxid == st->czxid && t->mzxid == st->mzxid &&
        t->len == (int32_t)len)
        return t;
    parse(t, (const char *)data, len);
    t->known = true;
    t->czxid = st->czxid;
    t->mzxid = st->mzxid;
    t->len = (int32_t)len;
    return t;
}

void kafka_pindex_forget(kafka_pindex *x, const char *topic)
{
    size_t i = find(x, topic);
    if (x->slot[i]) clear(x->slot[i]);
}

int kafka_ptopic_count(const kafka_ptopic *t) { return t->nparts; }

void kafka_ptopic_replicas(const kafka_ptopic *t, int p, kafka_pstate *out)
{
    out->nrep = 0;
    if (p < 0 || p >= t->nparts) return;
    uint32_t n = t->off[p + 1] - t->off[p];
    out->nrep = (uint8_t)n;
    memcpy(out->replicas, t->ids + t->off[p], n * sizeof *t->ids);
}
