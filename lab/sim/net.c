/* net: an n x n matrix of directed links, grown as nodes join. */
#include "net.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct link {
    link_cfg cfg;           /* current settings */
    uint64_t horizon_us;    /* last delivery time: FIFO floor */
} link;

struct net {
    link_cfg defaults;      /* settings of a healed link */
    link *links;            /* cap x cap, row = from */
    int count;              /* nodes */
    int cap;                /* matrix side */
};

net *net_new(link_cfg defaults)
{
    QL_ASSERT(defaults.delay_lo_us <= defaults.delay_hi_us);
    net *n = xcalloc(1, sizeof *n);
    n->defaults = defaults;
    return n;
}

void net_free(net *n)
{
    if (!n) return;
    free(n->links);
    free(n);
}

static link *at(const net *n, int from, int to)
{
    QL_ASSERT(from >= 0 && from < n->count && to >= 0 && to < n->count);
    return &n->links[(size_t)from * (size_t)n->cap + (size_t)to];
}

int net_add_node(net *n)
{
    if (n->count == n->cap) {
        int cap = n->cap ? n->cap * 2 : 16;
        link *links = xcalloc((size_t)cap * (size_t)cap, sizeof *links);
        for (int i = 0; i < n->count; i++)
            memcpy(&links[(size_t)i * (size_t)cap], &n->links[(size_t)i * (size_t)n->cap],
                   (size_t)n->count * sizeof *links);
        free(n->links);
        n->links = links;
        n->cap = cap;
    }
    int id = n->count++;
    for (int i = 0; i < n->count; i++) {
        *at(n, id, i) = (link){ .cfg = n->defaults };
        *at(n, i, id) = (link){ .cfg = n->defaults };
    }
    return id;
}

int net_node_count(const net *n) { return n->count; }
link_cfg net_defaults(const net *n) { return n->defaults; }
link_cfg net_link(const net *n, int from, int to) { return at(n, from, to)->cfg; }

void net_set_link(net *n, int from, int to, link_cfg cfg)
{
    QL_ASSERT(cfg.delay_lo_us <= cfg.delay_hi_us && cfg.drop_ppm <= NET_PPM);
    at(n, from, to)->cfg = cfg;
}

void net_cut(net *n, int from, int to, bool cut)
{
    at(n, from, to)->cfg.cut = cut;
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
        for (int j = 0; j < n->count; j++)
            at(n, i, j)->cfg = n->defaults;
}

bool net_can_reach(const net *n, int from, int to)
{
    return !at(n, from, to)->cfg.cut;
}

bool net_any_cut(const net *n, int node)
{
    for (int i = 0; i < n->count; i++)
        if (i != node && (at(n, node, i)->cfg.cut || at(n, i, node)->cfg.cut))
            return true;
    return false;
}

net_verdict net_route(net *n, rng *r, int from, int to, uint64_t now_us,
                      uint64_t *deliver_at_us)
{
    link *l = at(n, from, to);
    if (l->cfg.cut) return NET_DROP_CUT;
    if (rng_chance(r, l->cfg.drop_ppm, NET_PPM)) return NET_DROP_LOSS;
    uint64_t t = now_us + rng_range(r, l->cfg.delay_lo_us, l->cfg.delay_hi_us);
    if (t < l->horizon_us) t = l->horizon_us;   /* keep the link FIFO */
    l->horizon_us = t;
    *deliver_at_us = t;
    return NET_DELIVER;
}
