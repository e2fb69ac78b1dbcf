/* kafka_pindex: topic name -> parsed assignment, an open-addressing hash
 * table (FNV-1a of the name, linear probing) that only grows: names stay
 * once seen, their arrays go when the topic does. */
#include "kafka_pindex.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A partition's replicas being added or removed by a reassignment. */
typedef struct kmove {
    int p, n;
    int32_t ids[KAFKA_RF_MAX];
} kmove;

struct kafka_ptopic {
    char *name;                 /* the key, owned */
    bool known;                 /* parsed from some znode version */
    int64_t czxid, mzxid;       /* the znode version parsed */
    int32_t len;                /* its data length, a further guard */
    int nparts;                 /* entries in "partitions", -1 bad JSON */
    uint32_t *off;              /* ids of p: ids[off[p] .. off[p+1]) */
    int32_t *ids;               /* every partition's replicas, in order */
    kmove *adding, *removing;   /* "adding_replicas", "removing_replicas" as
                                   listed (the last of a partition wins) */
    int nadding, nremoving;
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
    free(t->adding);
    free(t->removing);
    t->off = NULL;
    t->ids = NULL;
    t->adding = t->removing = NULL;
    t->nadding = t->nremoving = 0;
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

typedef struct moves { kmove *v; int n, cap; } moves;

static void move_visit(void *ctx, int p, const int *ids, int n)
{
    moves *m = ctx;
    if (n > KAFKA_RF_MAX) return;
    VEC_GROW(m->v, m->n, m->cap);
    kmove *k = &m->v[m->n++];
    k->p = p;
    k->n = n;
    for (int i = 0; i < n; i++) k->ids[i] = ids[i];
}

static void parse_moves(kafka_ptopic *t, const char *json, size_t len)
{
    moves a = { 0 }, r = { 0 };
    kafka_json_assignment(json, len, "adding_replicas", move_visit, &a);
    kafka_json_assignment(json, len, "removing_replicas", move_visit, &r);
    t->adding = a.v;
    t->nadding = a.n;
    t->removing = r.v;
    t->nremoving = r.n;
}

static void parse(kafka_ptopic *t, const char *json, size_t len)
{
    clear(t);
    parse_moves(t, json, len);
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

/* The last entry for p in a move list, as a parse that overwrites would
 * leave it: its ids into out, their count (0 when p is not moving). */
static int move_of(const kmove *v, int n, int p, int *out)
{
    for (int i = n - 1; i >= 0; i--)
        if (v[i].p == p) {
            for (int k = 0; k < v[i].n; k++) out[k] = v[i].ids[k];
            return v[i].n;
        }
    return 0;
}

bool kafka_ptopic_moving(const kafka_ptopic *t, int p, int *adding, int *nadding,
                         int *removing, int *nremoving)
{
    *nadding = move_of(t->adding, t->nadding, p, adding);
    *nremoving = move_of(t->removing, t->nremoving, p, removing);
    return *nadding > 0 || *nremoving > 0;
}
