/* kafka_world: the Kafka half of a cluster: the brokers, the invariant
 * checker and ledger, and an admin client, built from the cluster config.
 * Readers (Lua, dashboard) get snapshots from here. */
#ifndef QL_KAFKA_WORLD_H
#define QL_KAFKA_WORLD_H

#include "kafka_broker.h"
#include "kafka_check.h"
#include "kafka_client.h"

typedef struct kafka_world kafka_world;

/* ids[i] (0: 101 + i) and racks[i] ("" : none) for n brokers. */
kafka_world *kafka_world_new(sim *s, int n, const int *ids,
                             const char (*racks)[16], const kafka_config *cfg,
                             const int *zk_nodes, int nzk);
void kafka_world_free(kafka_world *w);      /* NULL is a no-op */

int kafka_world_count(const kafka_world *w);
kafka_broker *kafka_world_broker(kafka_world *w, int i);
kafka_broker *kafka_world_by_id(kafka_world *w, int id);
kafka_broker *kafka_world_by_node(kafka_world *w, int node);
kafka_check *kafka_world_check(kafka_world *w);
kafka_client *kafka_world_admin(kafka_world *w);  /* made on first use */
/* The controller's broker id as the brokers say (the one acting as
 * controller with the highest epoch), -1 for none. */
int kafka_world_controller(kafka_world *w);
/* The partition's state as ZooKeeper holds it; false when unknown. */
bool kafka_world_pstate(kafka_world *w, const char *topic, int p,
                        kafka_pstate *out, int *nparts);
/* The committed log of topic/p (the leader's), for the audit. */
bool kafka_world_committed(void *w, const char *topic, int p,
                           const kafka_log **log, int64_t *hw);

#endif
