/* kctl_place: StripedReplicaPlacer's facts in C: a rack list with a
 * rotating offset, per rack a fenced and an unfenced broker list each
 * with its own rotating offset and an iteration epoch. */
#include "kctl_place.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* BrokerList: sorted ids, a start offset, how many taken this epoch. */
typedef struct blist {
    int *ids;           /* broker ids */
    int n;              /* how many */
    int index;          /* taken in the current iteration epoch */
    int offset;         /* added to index, modulo n */
    int epoch;          /* the iteration epoch last seen */
} blist;

typedef struct rack {
    const char *name;   /* "" for brokers without a rack */
    blist fenced, unfenced;
} rack;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void shuffle_ints(rng *r, int *v, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint64_t)i + 1);
        int t = v[i]; v[i] = v[j]; v[j] = t;
    }
}

/* A new epoch restarts the list one further along, so consecutive
 * partitions do not get the same brokers. */
static int blist_next(blist *l, int epoch)
{
    if (l->n == 0) return -1;
    if (l->epoch != epoch) {
        l->epoch = epoch;
        l->index = 0;
        l->offset = (l->offset + 1) % l->n;
    }
    if (l->index >= l->n) return -1;
    return l->ids[(l->index++ + l->offset) % l->n];
}

static int rack_next(rack *k, int epoch)
{
    int b = blist_next(&k->unfenced, epoch);
    return b >= 0 ? b : blist_next(&k->fenced, epoch);
}

typedef struct racklist {
    rack *racks;        /* in rack-name order, then shuffled */
    int n;              /* racks */
    int total, unfenced;/* broker counts */
    int epoch, offset;  /* iteration epoch; first rack of the next partition */
} racklist;

static const char *rack_name(const kctl_usable *b)
{
    return b->rack ? b->rack : "";
}

static int rack_find(racklist *rl, const char *name)
{
    for (int i = 0; i < rl->n; i++)
        if (strcmp(rl->racks[i].name, name) == 0) return i;
    return -1;
}

static int cmp_rack(const void *a, const void *b)
{
    return strcmp(((const rack *)a)->name, ((const rack *)b)->name);
}

static void racklist_build(racklist *rl, rng *r, const kctl_usable *bs, int n)
{
    memset(rl, 0, sizeof *rl);
    rl->racks = xcalloc((size_t)n + 1, sizeof *rl->racks);
    for (int i = 0; i < n; i++) {
        int k = rack_find(rl, rack_name(&bs[i]));
        if (k < 0) {
            k = rl->n++;
            rl->racks[k].name = rack_name(&bs[i]);
            rl->racks[k].fenced.ids = xcalloc((size_t)n, sizeof(int));
            rl->racks[k].unfenced.ids = xcalloc((size_t)n, sizeof(int));
        }
        blist *l = bs[i].fenced ? &rl->racks[k].fenced : &rl->racks[k].unfenced;
        l->ids[l->n++] = bs[i].id;
        rl->total++;
        rl->unfenced += !bs[i].fenced;
    }
    /* no rack (Java's empty Optional) sorts first, as "" does */
    qsort(rl->racks, (size_t)rl->n, sizeof *rl->racks, cmp_rack);
    for (int k = 0; k < rl->n; k++) {
        blist *two[2] = { &rl->racks[k].fenced, &rl->racks[k].unfenced };
        for (int j = 0; j < 2; j++) {
            qsort(two[j]->ids, (size_t)two[j]->n, sizeof(int), cmp_int);
            if (two[j]->n) two[j]->offset = (int)rng_below(r, (uint64_t)two[j]->n);
        }
    }
    rl->offset = rl->n ? (int)rng_below(r, (uint64_t)rl->n) : 0;
}

static void racklist_free(racklist *rl)
{
    for (int k = 0; k < rl->n; k++) {
        free(rl->racks[k].fenced.ids);
        free(rl->racks[k].unfenced.ids);
    }
    free(rl->racks);
}

static void racklist_shuffle(racklist *rl, rng *r)
{
    for (int i = rl->n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint64_t)i + 1);
        rack t = rl->racks[i]; rl->racks[i] = rl->racks[j]; rl->racks[j] = t;
    }
    for (int k = 0; k < rl->n; k++) {
        shuffle_ints(r, rl->racks[k].fenced.ids, rl->racks[k].fenced.n);
        shuffle_ints(r, rl->racks[k].unfenced.ids, rl->racks[k].unfenced.n);
    }
}

/* One partition: the leader from the first rack (from the offset on) with
 * an unfenced broker, then one replica per rack round the list from the
 * offset, skipping the leader's rack once. */
static void racklist_place(racklist *rl, rng *r, int rf, int *out)
{
    if (rl->epoch == rl->unfenced && rl->unfenced > 1) {
        racklist_shuffle(rl, r);
        rl->epoch = 0;
    }
    if (rl->offset == rl->n) rl->offset = 0;
    int first = rl->offset;
    for (;;) {
        int b = blist_next(&rl->racks[first].unfenced, rl->epoch);
        if (b >= 0) { out[0] = b; break; }
        if (++first == rl->n) first = 0;
    }
    int k = rl->offset;
    for (int j = 1; j < rf; j++) {
        int b = -1;
        do {
            if (k == first) first = -1;
            else b = rack_next(&rl->racks[k], rl->epoch);
            if (++k == rl->n) k = 0;
        } while (b < 0);
        out[j] = b;
    }
    rl->epoch++;
    rl->offset++;
}

kctl_place_err kctl_place(rng *r, const kctl_usable *brokers, int n,
                          int partitions, int rf, int *out)
{
    int unfenced = 0;
    for (int i = 0; i < n; i++) unfenced += !brokers[i].fenced;
    if (rf < 1 || rf > n || unfenced == 0 || partitions < 1)
        return KPLACE_INVALID_REPLICATION_FACTOR;
    racklist rl;
    racklist_build(&rl, r, brokers, n);
    for (int p = 0; p < partitions; p++)
        racklist_place(&rl, r, rf, out + (size_t)p * rf);
    racklist_free(&rl);
    return KPLACE_OK;
}
