/* kafka_world: the Kafka half of a cluster: the brokers, the invariant
 * checker and ledger, and an admin client, built from the cluster config.
 * Readers (Lua, the dashboard, the fuzzer) get snapshots from here: every
 * snapshot function only reads, allocates nothing unless it says so, and
 * may be called between any two events. */
#ifndef QL_KAFKA_WORLD_H
#define QL_KAFKA_WORLD_H

#include "kafka_broker.h"
#include "kafka_check.h"
#include "kafka_client.h"

#define KAFKA_TOPIC_NAME_MAX 128    /* with its NUL */

typedef struct kafka_world kafka_world;

/* ids[i] (0: 101 + i) and racks[i] ("" : none) for n brokers. */
kafka_world *kafka_world_new(sim *s, int n, const int *ids,
                             const char (*racks)[16], const kafka_config *cfg,
                             const int *zk_nodes, int nzk);
/* KRaft mode: brokers that take their metadata from the controller
 * quorum q (kctl_ctrl each, in q's order), and snapshots read from the
 * active controller's metadata image instead of ZooKeeper. */
struct raft_quorum;
struct kctl_ctrl;
kafka_world *kafka_world_new_kraft(sim *s, int n, const int *ids,
                                   const char (*racks)[16], const kafka_config *cfg,
                                   struct raft_quorum *q, struct kctl_ctrl **ctls);
void kafka_world_free(kafka_world *w);      /* NULL is a no-op */
bool kafka_world_is_kraft(const kafka_world *w);
/* KRaft mode: broker id is registered and unfenced in the committed
 * metadata log (what topic creation places replicas on). */
bool kafka_world_kraft_unfenced(kafka_world *w, int id);
/* KRaft mode: a running controller is active (it has applied the log up
 * to its epoch), so the metadata the world reports is the whole log. */
bool kafka_world_kraft_active(kafka_world *w);
/* A new broker joins the running world (lab.add_broker): a new process on
 * the network with the world's settings, started at once; it registers
 * /brokers/ids/<id> as any broker does at boot. It comes last in the
 * list. NULL when the simulation has no room for another node. The
 * caller checks the id is free. */
kafka_broker *kafka_world_add(kafka_world *w, int id, const char *rack);
sim *kafka_world_sim(const kafka_world *w);

/* --- brokers (snapshot each with kafka_broker_info_get) --- */
int kafka_world_count(const kafka_world *w);            /* NULL: 0 */
kafka_broker *kafka_world_broker(kafka_world *w, int i);    /* 0 <= i < count */
kafka_broker *kafka_world_by_id(kafka_world *w, int id);    /* NULL: none */
kafka_broker *kafka_world_by_node(kafka_world *w, int node);
/* The controller's broker id as the brokers say (the one acting as
 * controller with the highest epoch), -1 for none. */
int kafka_world_controller(kafka_world *w);
/* The broker id /controller names in ZooKeeper, -1 for none (or KRaft).
 * It outlives a crashed controller until its session expires. */
int kafka_world_controller_znode(kafka_world *w);

/* --- topics and partitions, as ZooKeeper holds them --- */
/* The topic names (sorted, those being deleted left out) into a fresh
 * array *out the caller frees; returns the count (0: *out may be NULL). */
int kafka_world_topics(kafka_world *w, char (**out)[KAFKA_TOPIC_NAME_MAX]);
/* The partition's state (replicas, leader -1 when offline, epoch, ISR)
 * and the topic's partition count; false when unknown. O(log n): the
 * state znode is read from the tree, the replicas from an index of the
 * topic's assignment parsed once per version of its znode. Per-replica
 * LEO and HW: kafka_broker_replica on each replica's broker. */
bool kafka_world_pstate(kafka_world *w, const char *topic, int p,
                        kafka_pstate *out, int *nparts);
/* True while the topic is marked for deletion (/admin/delete_topics/<t>
 * exists): its replicas are being deleted, its znodes still there. */
bool kafka_world_deleting(kafka_world *w, const char *topic);
/* The states of partitions first .. first+n-1 of topic into out[0..],
 * as kafka_world_pstate reads each. Returns how many were filled (fewer past
 * the end; 0 for an unknown topic); *nparts gets the topic's count. */
int kafka_world_pstates(kafka_world *w, const char *topic, int first, int n,
                        kafka_pstate *out, int *nparts);
/* A reassignment of topic/p in progress, as its topic znode says
 * (adding_replicas, removing_replicas; KAFKA_RF_MAX room each): true
 * while either is non-empty. Parses the znode: for a lesson or one row,
 * not for every partition of a large topic per frame. */
bool kafka_world_moving(kafka_world *w, const char *topic, int p, int *adding,
                        int *nadding, int *removing, int *nremoving);
/* Everything lab.partition shows of topic/p, from one look-up of the
 * registry and of the topic: its state as kafka_world_pstate, the
 * deletion mark as kafka_world_deleting, the replicas moving as
 * kafka_world_moving. False (and *nparts) as kafka_world_pstate. */
typedef struct kafka_pinfo {
    kafka_pstate st;
    bool deleting;
    int adding[KAFKA_RF_MAX], nadding;
    int removing[KAFKA_RF_MAX], nremoving;
} kafka_pinfo;
bool kafka_world_pinfo(kafka_world *w, const char *topic, int p,
                       kafka_pinfo *out, int *nparts);
/* The committed log of topic/p (the leader's), for the audit. */
bool kafka_world_committed(void *w, const char *topic, int p,
                           const kafka_log **log, int64_t *hw);

/* --- clients --- */
kafka_client *kafka_world_admin(kafka_world *w);  /* made on first use */
/* A producer/consumer process named name ("p1"), bootstrapping from the
 * given broker ids; it reports acks to the world's ledger. NULL when the
 * world has no room. Drive it with kafka_client.h. */
kafka_client *kafka_world_client(kafka_world *w, const char *name,
                                 const int *bootstrap_ids, int n,
                                 const kafka_client_config *cfg);

/* --- checkers --- */
kafka_check *kafka_world_check(kafka_world *w);
/* The checkers' hooks, for any client made outside the world. */
const kafka_hooks *kafka_world_hooks(const kafka_world *w);
/* Invariant violations reported so far (0 in a good run). */
size_t kafka_world_violations(const kafka_world *w);
/* Acked records no longer committed; free out with kafka_audit_free. */
void kafka_world_audit(kafka_world *w, kafka_audit *out);
/* Partitions that have not converged (no leader, a running replica
 * behind or different, not in the ISR, HW short of the log end); the
 * first reason goes to why (may be NULL). 0: converged. */
int kafka_world_diverged(kafka_world *w, char *why, size_t cap);
/* Runs the world up to limit_ms until it converges; on timeout reports a
 * violation (the run fails with its seed). Returns whether it converged. */
bool kafka_world_converge(kafka_world *w, uint64_t limit_ms);

#endif
