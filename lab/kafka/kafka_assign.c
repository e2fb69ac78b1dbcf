/* kafka_assign: Kafka's replica assignment formula, plain and rack-aware.
 * The plain formula is FIDELITY's; the rack-aware one first interleaves
 * the brokers by rack and then skips a candidate whose rack (or broker) is
 * already used while unused ones remain, as AdminUtils does. */
#include "kafka_assign.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *kafka_assign_err_name(kafka_assign_err e)
{
    switch (e) {
    case KASSIGN_OK: return "NONE";
    case KASSIGN_INVALID_REPLICATION_FACTOR: return "INVALID_REPLICATION_FACTOR";
    case KASSIGN_INVALID_PARTITIONS: return "INVALID_PARTITIONS";
    case KASSIGN_PARTIAL_RACKS: return "UNKNOWN_SERVER_ERROR";
    }
    return "UNKNOWN";
}

typedef struct bro {
    int id;             /* broker id */
    const char *rack;   /* NULL when none */
} bro;

static int by_id(const void *a, const void *b)
{
    const bro *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int by_rack_then_id(const void *a, const void *b)
{
    const bro *x = a, *y = b;
    int c = strcmp(x->rack, y->rack);
    return c ? c : by_id(a, b);
}

/* The replica after the first, as AdminUtils.replicaIndex computes it. */
static int replica_index(int first, int shift, int j, int n)
{
    return (first + 1 + (shift + j) % (n - 1)) % n;
}

/* Brokers sorted by rack then id, taken one per rack in turn (racks in
 * name order); returns the number of racks. */
static int rack_alternate(bro *b, int n, bro *out)
{
    qsort(b, (size_t)n, sizeof *b, by_rack_then_id);
    int nracks = 0;
    int *first = xmalloc((size_t)n * sizeof *first);   /* rack start index */
    int *next = xmalloc((size_t)n * sizeof *next);     /* cursor per rack */
    int *end = xmalloc((size_t)n * sizeof *end);
    for (int i = 0; i < n; i++) {
        if (i == 0 || strcmp(b[i].rack, b[i - 1].rack) != 0) {
            first[nracks] = next[nracks] = i;
            nracks++;
        }
        end[nracks - 1] = i + 1;
    }
    int k = 0;
    for (int r = 0; k < n; r = (r + 1) % nracks)
        if (next[r] < end[r]) out[k++] = b[next[r]++];
    free(first);
    free(next);
    free(end);
    return nracks;
}

static bool rack_used(const bro *chosen, int m, const char *rack)
{
    for (int i = 0; i < m; i++)
        if (strcmp(chosen[i].rack, rack) == 0) return true;
    return false;
}

static int racks_used(const bro *chosen, int m)
{
    int c = 0;
    for (int i = 0; i < m; i++)
        if (!rack_used(chosen, i, chosen[i].rack)) c++;
    return c;
}

static bool broker_used(const bro *chosen, int m, int id)
{
    for (int i = 0; i < m; i++)
        if (chosen[i].id == id) return true;
    return false;
}

kafka_assign_err kafka_assign(const int *ids, const char *const *racks, int n,
                              int partitions, int rf, int start, int shift,
                              int *out)
{
    if (partitions < 1) return KASSIGN_INVALID_PARTITIONS;
    if (rf < 1 || rf > n) return KASSIGN_INVALID_REPLICATION_FACTOR;
    int with_rack = 0;
    for (int i = 0; racks && i < n; i++) with_rack += racks[i] != NULL;
    if (with_rack && with_rack != n) return KASSIGN_PARTIAL_RACKS;

    bro *b = xmalloc((size_t)n * sizeof *b);
    bro *list = xmalloc((size_t)n * sizeof *list);
    for (int i = 0; i < n; i++) b[i] = (bro){ ids[i], racks ? racks[i] : NULL };
    int nracks = 0;
    if (with_rack) {
        nracks = rack_alternate(b, n, list);
    } else {
        qsort(b, (size_t)n, sizeof *b, by_id);
        memcpy(list, b, (size_t)n * sizeof *b);
    }
    bro *chosen = xmalloc((size_t)rf * sizeof *chosen);
    for (int p = 0; p < partitions; p++) {
        if (p > 0 && p % n == 0) shift++;
        int first = (p + start) % n;
        int *row = out + (size_t)p * (size_t)rf;
        row[0] = list[first].id;
        chosen[0] = list[first];
        if (!with_rack) {
            for (int j = 0; j < rf - 1; j++)
                row[j + 1] = list[replica_index(first, shift, j, n)].id;
            continue;
        }
        /* rack-aware: the shift is scaled by the rack count, and a
         * candidate is skipped while its rack or broker is taken and some
         * other rack or broker is still free */
        int m = 1;
        for (int k = 0; m < rf; k++) {
            bro c = list[replica_index(first, shift * nracks, k, n)];
            bool rack_ok = !rack_used(chosen, m, c.rack) ||
                           racks_used(chosen, m) == nracks;
            bool broker_ok = !broker_used(chosen, m, c.id) || m == n;
            if (rack_ok && broker_ok) {
                chosen[m] = c;
                row[m++] = c.id;
            }
        }
    }
    free(chosen);
    free(list);
    free(b);
    return KASSIGN_OK;
}
