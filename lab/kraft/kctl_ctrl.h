/* kctl_ctrl: the QuorumController on a KRaft controller process. Every
 * controller applies the committed metadata log to its image (a standby
 * already holds the whole state: KIP-500's point); the Raft leader is the
 * active controller: it answers brokers' registrations, heartbeats and
 * AlterPartition and clients' CreateTopics with records it appends, fences
 * brokers whose session ran out, and answers each request once its
 * records are committed. */
#ifndef QL_KCTL_CTRL_H
#define QL_KCTL_CTRL_H

#include "raft_quorum.h"
#include "kctl_rules.h"
#include "kafka_proto.h"      /* AlterIsr and admin requests' formats */

typedef struct kctl_ctrl kctl_ctrl;

/* Attaches a controller to process i of the quorum (its hooks and its
 * raft's app). Freed by kctl_ctrl_free, not by the sim. */
kctl_ctrl *kctl_ctrl_new(sim *s, raft_quorum *q, int i, const kctl_cfg *cfg);
void kctl_ctrl_free(kctl_ctrl *c);          /* NULL is fine */

/* The active controller: the Raft leader once it has applied the log up
 * to its epoch. */
bool kctl_ctrl_active(const kctl_ctrl *c);
/* The image of the committed records. (The active controller decides on
 * one that also holds the records it appended and are not committed yet,
 * as Kafka's does; readers see only what is committed.) */
const kmeta_image *kctl_ctrl_image(const kctl_ctrl *c);
/* The active controller's heartbeat state (BrokerHeartbeatManager), NULL
 * on one that is not active. Read-only, for the dashboard's countdowns. */
struct kctl_hb;
const struct kctl_hb *kctl_ctrl_hb(const kctl_ctrl *c);
/* Offset of the last committed record it applied, -1 none. */
int64_t kctl_ctrl_committed(const kctl_ctrl *c);

/* The committed record at offset (false: none there, or a control
 * record), decoded. */
bool kctl_ctrl_record(const kctl_ctrl *c, int64_t offset, kmeta_rec *out);

/* A partition's registration as the brokers' kafka_pstate: the partition
 * epoch stands where ZooKeeper mode has the state znode's version. */
void kctl_pstate_of(const kmeta_part *p, kafka_pstate *st);

#endif
