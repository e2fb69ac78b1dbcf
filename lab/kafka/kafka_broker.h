/* kafka_broker: a Kafka 2.8 broker in ZooKeeper mode as a simulated node
 * (kind NODE_BROKER, named after its id, "101"). It embeds a ZooKeeper
 * client, registers /brokers/ids/<id>, competes for /controller, holds
 * replicas (logs survive a crash, as on disk), leads and follows
 * partitions as LeaderAndIsr says, and serves Metadata, Produce and Fetch.
 * While it is the controller it also runs kafka_ctrl. */
#ifndef QL_KAFKA_BROKER_H
#define QL_KAFKA_BROKER_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "kafka_proto.h"
#include "kafka_log.h"
#include "kafka_hooks.h"

typedef struct kafka_broker kafka_broker;

/* Adds the broker node (DOWN until sim_start_node). zk_nodes are the
 * ensemble's node indices (its connect string). rack may be NULL. hooks
 * (copied) may be NULL: nobody observes. The sim frees the broker. */
kafka_broker *kafka_broker_new(sim *s, int id, const char *rack,
                               const int *zk_nodes, int nzk,
                               const kafka_config *cfg, const kafka_hooks *hooks);
/* The same broker in KRaft mode (process.roles=broker): no ZooKeeper;
 * it fetches __cluster_metadata from the controllers ctl_ids (node.ids)
 * on ctl_nodes as a Raft observer, registers with the active controller
 * and heartbeats, and takes leaders and ISRs from the log. */
kafka_broker *kafka_broker_new_kraft(sim *s, int id, const char *rack,
                                     const int *ctl_ids, const int *ctl_nodes,
                                     int nctl, const kafka_config *cfg,
                                     const kafka_hooks *hooks);
/* The metadata.* snapshot settings its Raft observer takes from rc
 * (those of the controllers, raft_quorum_config); NULL: Kafka's. */
struct raft_config;
void kafka_broker_kraft_snapshots(kafka_broker *b, const struct raft_config *rc);
/* A KRaft broker's metadata image (what it applied of the log or loaded
 * from a snapshot); NULL in ZooKeeper mode. */
struct kmeta_image;
const struct kmeta_image *kafka_broker_kraft_image(const kafka_broker *b);
bool kafka_broker_kraft(const kafka_broker *b);
/* Whether its process takes client connections (its node being up): in
 * ZooKeeper mode from its start; in KRaft mode only once the controller
 * has unfenced it since its start, as BrokerServer.startup (Kafka 3.5 on)
 * waits for lifecycleManager.setReadyToUnfence() before
 * socketServer.enableRequestProcessing opens the listeners. */
bool kafka_broker_listening(const kafka_broker *b);
int kafka_broker_node(const kafka_broker *b);
int kafka_broker_id(const kafka_broker *b);

/* Starts a clean stop (controlled shutdown): leadership moves away, then
 * the session is closed and the process ends by itself (its node goes
 * DOWN, as a crash would look to peers). kafka_broker_stop_done says when
 * the stop is over. */
void kafka_broker_stop(kafka_broker *b);
bool kafka_broker_stop_done(const kafka_broker *b);
/* The longest a clean stop can take by the broker's own settings before
 * it exits by itself: controlled.shutdown.max.retries attempts, each a
 * request.timeout.ms wait then controlled.shutdown.retry.backoff.ms, then
 * the session's close (defaults: 3 x 35 s + 2 s). In KRaft mode the
 * wait for the controller's grant, 5 minutes (BrokerServer.shutdown).
 * A stop still running past it is stuck (a paused broker): whoever stops
 * it kills it. */
uint64_t kafka_broker_stop_bound_us(const kafka_broker *b);

typedef struct kafka_broker_info {
    int id;                     /* broker id */
    int node;                   /* sim node */
    bool up;                    /* process running (paused counts as up) */
    bool registered;            /* its /brokers/ids znode exists (as it knows) */
    bool controller;            /* it acts as the controller now */
    int32_t controller_epoch;   /* its controller epoch when controller */
    int leaders;                /* partitions it leads */
    int replicas;               /* replicas it holds */
    const char *rack;           /* NULL when none */
    int ctrl_node;              /* sim node it sends the controller's
                                   requests to, -1 none known (KRaft: the
                                   active controller its Raft client knows) */
} kafka_broker_info;

void kafka_broker_info_get(const kafka_broker *b, kafka_broker_info *out);
/* The controller epoch b acts in as ZooKeeper mode's controller, -1 when
 * it is not one or is down: kafka_broker_info's controller fields alone,
 * without counting its replicas (a wait asks it of every broker after
 * every instant). */
int32_t kafka_broker_controller_epoch(const kafka_broker *b);
/* Whether b acts as controller, counts broker id as live (it has read its
 * registration) and has it in its metadata cache: what topic creation
 * will place replicas on. */
bool kafka_broker_ctrl_sees(const kafka_broker *b, int id);

typedef struct kafka_replica_info {
    bool leader;                /* it leads this partition (as it believes) */
    int32_t leader_epoch;       /* the epoch it knows */
    int64_t leo, hw;
    const kafka_log *log;       /* read-only view */
} kafka_replica_info;

/* The broker's replica of topic/p; false when it holds none. */
bool kafka_broker_replica(const kafka_broker *b, const char *topic, int p,
                          kafka_replica_info *out);

/* A follower the leader's next ISR checks will drop unless it catches up
 * first (Partition.isFollowerOutOfSync). */
typedef struct kafka_isr_deadline {
    int follower;               /* broker id */
    const char *topic;          /* the broker's own, valid until it runs */
    int p;                      /* partition */
    uint64_t since_us;          /* the follower's lastCaughtUpTime */
    uint64_t quiet_us;          /* the longest a healthy follower lags */
    uint64_t at_us;             /* the check that drops it */
} kafka_isr_deadline;

/* Partitions b leads with a follower in the ISR behind its log end, at
 * most cap into out; returns how many. None while b is down or paused
 * (its timers wait). Read-only. */
int kafka_broker_isr_deadlines(const kafka_broker *b, kafka_isr_deadline *out, int cap);
/* A replica fetcher's request still unanswered after the longest a
 * healthy answer takes (the leader's replica.fetch.wait.max.ms and a
 * second): b gives it up at at_us, request.timeout.ms after it went out,
 * then sends again after replica.fetch.backoff.ms. */
typedef struct kafka_fetch_deadline {
    int leader;                 /* the leader's broker id */
    uint64_t since_us;          /* when the request went out */
    uint64_t at_us;             /* it is given up then */
} kafka_fetch_deadline;

/* The soonest of b's unanswered fetches into *out (untouched when none);
 * returns how many there are. None while b is down or paused. Read-only. */
int kafka_broker_fetch_deadline(const kafka_broker *b, kafka_fetch_deadline *out);
/* The id of b's current ZooKeeper session, 0 before it has one. */
int64_t kafka_broker_session(const kafka_broker *b);

#endif
