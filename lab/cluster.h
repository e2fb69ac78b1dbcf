/* cluster: one simulated world as a learner sees it: the ensemble servers
 * (zk1..zkN), later the brokers (101, 102, ...), and the clients, built
 * from one config and one seed. The Lua controller and the dashboard both
 * use it; they read snapshots and act only through its fault and admin
 * calls, never on node internals. */
#ifndef QL_CLUSTER_H
#define QL_CLUSTER_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "sim.h"
#include "zk_server.h"

#define CLUSTER_ZK_MAX 15       /* ensemble servers at most */

typedef struct cluster_config {
    uint64_t seed;
    int zookeepers;             /* 1 .. CLUSTER_ZK_MAX */
    zk_config zk;
} cluster_config;

void cluster_config_defaults(cluster_config *c);   /* 3 servers, seed 1 */

typedef struct ensemble_info {
    int size;                   /* servers in the ensemble */
    int quorum;                 /* floor(size/2) + 1 */
    int up;                     /* processes running (not down) */
    int leader_sid;             /* 0 for none */
    uint32_t epoch;             /* the leader's epoch, else the highest seen */
    bool serving;               /* a leader with a quorum serves clients */
    zk_server_info servers[CLUSTER_ZK_MAX];
} ensemble_info;

typedef struct cluster cluster;

/* Builds and boots the world. Returns NULL and writes a reason into err
 * when the config is out of range. */
cluster *cluster_new(const cluster_config *cfg, char *err, size_t errcap);
void cluster_free(cluster *c);          /* NULL is a no-op */
sim *cluster_sim(cluster *c);
const cluster_config *cluster_cfg(const cluster *c);

int cluster_zk_count(const cluster *c);
zk_server *cluster_zk(cluster *c, int sid);     /* 1-based */
const int *cluster_zk_nodes(const cluster *c);  /* node index per sid-1 */
void cluster_ensemble(cluster *c, ensemble_info *out);

#endif
