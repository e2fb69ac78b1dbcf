/* net: an n x n matrix of directed links, grown as nodes join. A link is
 * one 8-byte word: its FIFO horizon and the index of its settings in a
 * table of the distinct settings in use (nearly every link has the
 * defaults). Every message reads its link, scattered over the matrix: at
 * 300 brokers a 32-byte link made an 8 MB matrix and a cache miss per
 * send; the words take 2 MB. */
#include "net.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define KIND_BITS 16
#define KIND_MAX ((1u << KIND_BITS) - 1)    /* distinct settings at most */
#define HORIZON_MAX (UINT64_MAX >> KIND_BITS) /* 2^48 us: 8.9 years */

struct net {
    link_cfg *kinds;        /* distinct settings; kinds[0] = defaults */
    int nkinds, capkinds;
    uint64_t *links;        /* cap x cap, row = from: horizon << 16 | kind */
    int count;              /* nodes */
    int cap;                /* matrix side */
};

net *net_new(link_cfg defaults)
{
    QL_ASSERT(defaults.delay_lo_us <= defaults.delay_hi_us);
    net *n = xcalloc(1, sizeof *n);
    VEC_GROW(n->kinds, n->nkinds, n->capkinds);
    n->kinds[n->nkinds++] = defaults;
    return n;
}

void net_free(net *n)
{
    if (!n) return;
    free(n->links);
    free(n->kinds);
    free(n);
}

static uint64_t *at(const net *n, int from, int to)
{
    QL_ASSERT(from >= 0 && from < n->count && to >= 0 && to < n->count);
    return &n->links[(size_t)from * (size_t)n->cap + (size_t)to];
}

static uint32_t kind_of(uint64_t w) { return (uint32_t)(w & KIND_MAX); }
static uint64_t horizon_of(uint64_t w) { return w >> KIND_BITS; }

static bool cfg_same(const link_cfg *a, const link_cfg *b)
{
    return a->delay_lo_us == b->delay_lo_us && a->delay_hi_us == b->delay_hi_us &&
           a->drop_ppm == b->drop_ppm && a->cut == b->cut;
}

/* Drops the settings no link uses any more, renumbering the rest in
 * their order (the defaults stay 0). */
static void kinds_compact(net *n)
{
    uint32_t *map = xcalloc((size_t)n->nkinds, sizeof *map);
    map[0] = 1;
    for (int i = 0; i < n->count; i++)
        for (int j = 0; j < n->count; j++) map[kind_of(*at(n, i, j))] = 1;
    int m = 0;
    for (int k = 0; k < n->nkinds; k++)
        if (map[k]) {
            n->kinds[m] = n->kinds[k];
            map[k] = (uint32_t)m++;
        }
    n->nkinds = m;
    for (int i = 0; i < n->count; i++)
        for (int j = 0; j < n->count; j++) {
            uint64_t *w = at(n, i, j);
            *w = horizon_of(*w) << KIND_BITS | map[kind_of(*w)];
        }
    free(map);
}

/* The index of cfg in the table, added when new. */
static uint32_t kind_intern(net *n, const link_cfg *cfg)
{
    for (int k = 0; k < n->nkinds; k++)
        if (cfg_same(&n->kinds[k], cfg)) return (uint32_t)k;
    if ((uint32_t)n->nkinds == KIND_MAX) kinds_compact(n);
    QL_ASSERT((uint32_t)n->nkinds < KIND_MAX);
    VEC_GROW(n->kinds, n->nkinds, n->capkinds);
    n->kinds[n->nkinds] = *cfg;
    return (uint32_t)n->nkinds++;
}

static void set_kind(net *n, int from, int to, uint32_t kind)
{
    uint64_t *w = at(n, from, to);
    *w = horizon_of(*w) << KIND_BITS | kind;
}

int net_add_node(net *n)
{
    if (n->count == n->cap) {
        int cap = n->cap ? n->cap * 2 : 16;
        uint64_t *links = xcalloc((size_t)cap * (size_t)cap, sizeof *links);
        for (int i = 0; i < n->count; i++)
            memcpy(&links[(size_t)i * (size_t)cap], &n->links[(size_t)i * (size_t)n->cap],
                   (size_t)n->count * sizeof *links);
        free(n->links);
        n->links = links;
        n->cap = cap;
    }
    int id = n->count++;
    for (int i = 0; i < n->count; i++) {
        *at(n, id, i) = 0;          /* defaults, no horizon */
        *at(n, i, id) = 0;
    }
    return id;
}

int net_node_count(const net *n) { return n->count; }
link_cfg net_defaults(const net *n) { return n->kinds[0]; }
link_cfg net_link(const net *n, int from, int to)
{
    return n->kinds[kind_of(*at(n, from, to))];
}

void net_set_link(net *n, int from, int to, link_cfg cfg)
{
    QL_ASSERT(cfg.delay_lo_us <= cfg.delay_hi_us && cfg.drop_ppm <= NET_PPM);
    (void)at(n, from, to);          /* the bounds check before interning */
    set_kind(n, from, to, kind_intern(n, &cfg));
}

void net_cut(net *n, int from, int to, bool cut)
{
    link_cfg cfg = net_link(n, from, to);
    if (cfg.cut == cut) return;
    cfg.cut = cut;
    set_kind(n, from, to, kind_intern(n, &cfg));
}

void net_isolate(net *n, int node)
{
    for (int i = 0; i < n->count; i++) {
        if (i == node) continue;
        net_cut(n, node, i, true);
        net_cut(n, i, node, true);
    }
}

void net_split(net *n, const int *group, int count)
{
    QL_ASSERT(count <= n->count);
    for (int i = 0; i < count; i++)
        for (int j = 0; j < count; j++)
            if (group[i] >= 0 && group[j] >= 0 && group[i] != group[j])
                net_cut(n, i, j, true);
}

void net_heal(net *n)
{
    for (int i = 0; i < n->count; i++)
        for (int j = 0; j < n->count; j++) set_kind(n, i, j, 0);
    n->nkinds = 1;
}

bool net_can_reach(const net *n, int from, int to)
{
    return !net_link(n, from, to).cut;
}

bool net_linked(const net *n, int a, int b)
{
    return net_can_reach(n, a, b) && net_can_reach(n, b, a);
}

bool net_any_cut(const net *n, int node)
{
    for (int i = 0; i < n->count; i++)
        if (i != node && !net_linked(n, node, i)) return true;
    return false;
}

bool net_cut_off(const net *n, int node, const int *peers, int npeers)
{
    bool others = false;
    for (int i = 0; i < npeers; i++) {
        if (peers[i] == node) continue;
        if (net_linked(n, node, peers[i])) return false;
        others = true;
    }
    return others;
}

void net_prefetch(const net *n, int from, int to)
{
    if (from >= 0 && from < n->count && to >= 0 && to < n->count)
        __builtin_prefetch(&n->links[(size_t)from * (size_t)n->cap + (size_t)to]);
}

net_verdict net_route(net *n, rng *r, int from, int to, uint64_t now_us,
                      uint64_t *deliver_at_us)
{
    uint64_t *w = at(n, from, to);
    const link_cfg *cfg = &n->kinds[kind_of(*w)];
    if (cfg->cut) return NET_DROP_CUT;
    if (rng_chance(r, cfg->drop_ppm, NET_PPM)) return NET_DROP_LOSS;
    uint64_t t = now_us + rng_range(r, cfg->delay_lo_us, cfg->delay_hi_us);
    if (t < horizon_of(*w)) t = horizon_of(*w);     /* keep the link FIFO */
    QL_ASSERT(t <= HORIZON_MAX);
    *w = t << KIND_BITS | kind_of(*w);
    *deliver_at_us = t;
    return NET_DELIVER;
}
