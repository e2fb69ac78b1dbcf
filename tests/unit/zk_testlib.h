/* Helpers for the ensemble tests: a world with N servers and clients. */
#ifndef ZK_TESTLIB_H
#define ZK_TESTLIB_H

#include "sim.h"
#include "zk_server.h"
#include "zk_client.h"
#include "zk_check.h"

typedef struct zk_world {
    sim *s;
    int n;
    zk_server *zk[16];
    int nodes[16];
    zk_checker *chk;
} zk_world;

static inline void zw_init(zk_world *w, int n, uint64_t seed, const zk_config *cfg)
{
    zk_config def;
    zk_config_defaults(&def);
    w->s = sim_new(seed);
    w->n = n;
    w->chk = zk_checker_new(w->s);
    for (int i = 0; i < n; i++) {
        w->zk[i] = zk_server_new(w->s, i + 1, n, cfg ? cfg : &def);
        w->nodes[i] = zk_server_node(w->zk[i]);
    }
    for (int i = 0; i < n; i++) zk_server_set_peers(w->zk[i], w->nodes, n);
    for (int i = 0; i < n; i++) sim_start_node(w->s, w->nodes[i]);
}

static inline void zw_free(zk_world *w)
{
    zk_checker_free(w->chk);
    sim_free(w->s);
}

static inline void zw_run_ms(zk_world *w, uint64_t ms)
{
    sim_run_until(w->s, sim_now_us(w->s) + ms * 1000);
}

/* The sid leading with a serving quorum, 0 for none. */
static inline int zw_leader(zk_world *w)
{
    for (int i = 0; i < w->n; i++) {
        zk_server_info in;
        zk_server_info_get(w->zk[i], &in);
        if (in.state == ZK_LEADING && in.serving) return in.sid;
    }
    return 0;
}

static inline zk_server_info zw_info(zk_world *w, int sid)
{
    zk_server_info in;
    zk_server_info_get(w->zk[sid - 1], &in);
    return in;
}

/* Runs until a leader serves (up to max_ms); returns its sid or 0. */
static inline int zw_wait_leader(zk_world *w, uint64_t max_ms)
{
    for (uint64_t t = 0; t < max_ms; t += 10) {
        int l = zw_leader(w);
        if (l) return l;
        zw_run_ms(w, 10);
    }
    return zw_leader(w);
}

static inline int zw_count_state(zk_world *w, zk_state st)
{
    int c = 0;
    for (int i = 1; i <= w->n; i++) c += zw_info(w, i).state == st;
    return c;
}

#endif
