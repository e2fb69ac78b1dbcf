/* kafka_meta: interned partition states: a slab of entries (index 0
 * unused: the zero state), chained through a hash table on the state's
 * bytes, freed entries on a free list; all of it freed when the last
 * state is released. States are normalized (unused
 * replica and ISR slots and padding zeroed) so equal states compare equal
 * with memcmp. */
#include "kafka_meta.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    kafka_pstate st;            /* normalized */
    uint32_t refs;              /* 0: on the free list */
    uint32_t next;              /* hash chain, or the free list */
    uint32_t hash;
} entry;

static entry *slab;             /* slab[0] unused */
static uint32_t nslab = 1, capslab;
static uint32_t *bucket;        /* heads of chains, 0: empty */
static uint32_t nbucket;        /* a power of two */
static uint32_t live, freelist;
/* The entry the last kmeta_set gave. An UpdateMetadata lists partitions
 * in the order their states were first made (the first broker to read it
 * made them), so every other broker's next state is usually the next
 * entry: one look at it spares the hash and two cache misses in a table
 * of 100,000 states (a fifth of the 300-broker scale run). */
static uint32_t last;

static const kafka_pstate zero;

static void normalize(const kafka_pstate *in, kafka_pstate *out)
{
    memset(out, 0, sizeof *out);
    out->leader = in->leader;
    out->leader_epoch = in->leader_epoch;
    out->controller_epoch = in->controller_epoch;
    out->zk_version = in->zk_version;
    out->nrep = in->nrep <= KAFKA_RF_MAX ? in->nrep : KAFKA_RF_MAX;
    out->nisr = in->nisr <= KAFKA_RF_MAX ? in->nisr : KAFKA_RF_MAX;
    memcpy(out->replicas, in->replicas, out->nrep * sizeof *out->replicas);
    memcpy(out->isr, in->isr, out->nisr * sizeof *out->isr);
}

/* FNV-1a over 32-bit words: the struct is 4-byte aligned and sized */
static uint32_t hash_of(const kafka_pstate *st)
{
    _Static_assert(sizeof *st % 4 == 0, "kafka_pstate in whole words");
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < sizeof *st; i += 4) {
        uint32_t w;
        memcpy(&w, (const uint8_t *)st + i, 4);
        h = (h ^ w) * 1099511628211ull;
    }
    return (uint32_t)(h ^ (h >> 32));
}

static void rehash(void)
{
    uint32_t n = nbucket ? nbucket * 2 : 1024;
    free(bucket);
    bucket = xcalloc(n, sizeof *bucket);
    nbucket = n;
    for (uint32_t i = 1; i < nslab; i++) {
        if (!slab[i].refs) continue;
        uint32_t b = slab[i].hash & (n - 1);
        slab[i].next = bucket[b];
        bucket[b] = i;
    }
}

static uint32_t make(const kafka_pstate *st, uint32_t h)
{
    uint32_t i;
    if (freelist) {
        i = freelist;
        freelist = slab[i].next;
    } else {
        if (nslab >= capslab) {
            capslab = capslab ? capslab * 2 : 1024;
            slab = xrealloc(slab, (size_t)capslab * sizeof *slab);
        }
        i = nslab++;
    }
    slab[i] = (entry){ .st = *st, .refs = 1, .hash = h };
    if (++live > nbucket) rehash();     /* rehash links i too */
    else {
        uint32_t b = h & (nbucket - 1);
        slab[i].next = bucket[b];
        bucket[b] = i;
    }
    return i;
}

kmeta kmeta_set(kmeta old, const kafka_pstate *in)
{
    kafka_pstate st;
    normalize(in, &st);
    /* the same state again (an UpdateMetadata that changes nothing here) */
    if (old && memcmp(&slab[old].st, &st, sizeof st) == 0) return old;
    kmeta h = 0;
    if (memcmp(&st, &zero, sizeof st) != 0) {
        uint32_t next = last + 1;
        /* equal states share one entry: a live one equal to st is it */
        if (next < nslab && slab[next].refs &&
            memcmp(&slab[next].st, &st, sizeof st) == 0) {
            h = next;
            slab[h].refs++;
        } else {
            uint32_t hv = hash_of(&st);
            for (uint32_t i = nbucket ? bucket[hv & (nbucket - 1)] : 0; i; i = slab[i].next)
                if (slab[i].hash == hv && memcmp(&slab[i].st, &st, sizeof st) == 0) {
                    h = i;
                    break;
                }
            if (h) slab[h].refs++;
            else h = make(&st, hv);
        }
        last = h;
    }
    kmeta_release(old);
    return h;
}

kmeta kmeta_adopt(kmeta old, kmeta h)
{
    if (old == h) return old;
    if (h) {
        QL_ASSERT(h < nslab && slab[h].refs > 0);
        slab[h].refs++;
    }
    kmeta_release(old);
    return h;
}

void kmeta_release(kmeta h)
{
    if (!h) return;
    QL_ASSERT(h < nslab && slab[h].refs > 0);
    if (--slab[h].refs) return;
    uint32_t *pp = &bucket[slab[h].hash & (nbucket - 1)];
    while (*pp != h) pp = &slab[*pp].next;
    *pp = slab[h].next;
    slab[h].next = freelist;
    freelist = h;
    if (--live == 0) {          /* the last world gone: nothing held */
        free(slab);
        free(bucket);
        slab = NULL;
        bucket = NULL;
        nslab = 1;
        capslab = nbucket = freelist = last = 0;
    }
}

const kafka_pstate *kmeta_get(kmeta h)
{
    return h ? &slab[h].st : &zero;
}
