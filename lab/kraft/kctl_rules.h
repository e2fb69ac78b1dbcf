/* kctl_rules: the KRaft QuorumController's decisions as pure functions:
 * given the committed metadata image (and the heartbeat soft state), the
 * records the active controller would append. Registration
 * (ClusterControlManager.registerBroker), heartbeats and fencing
 * (ReplicationControlManager.processBrokerHeartbeat, maybeFenceOneStale-
 * Broker, handleBrokerFenced/Unfenced), leader election and ISR changes
 * (PartitionChangeBuilder, alterPartition), topic creation (createTopic
 * with StripedReplicaPlacer). Nothing here appends: the caller does. */
#ifndef QL_KCTL_RULES_H
#define QL_KCTL_RULES_H

#include "kmeta_image.h"
#include "kctl_hb.h"
#include "rng.h"

typedef enum kctl_err {
    KCTL_OK = 0,
    KCTL_STALE_BROKER_EPOCH,
    KCTL_BROKER_ID_NOT_REGISTERED,
    KCTL_DUPLICATE_BROKER_REGISTRATION,
    KCTL_TOPIC_ALREADY_EXISTS,
    KCTL_INVALID_REPLICATION_FACTOR,
    KCTL_INVALID_PARTITIONS,
    KCTL_UNKNOWN_TOPIC_OR_PARTITION,
    KCTL_FENCED_LEADER_EPOCH,
    KCTL_INVALID_UPDATE_VERSION,
    KCTL_INVALID_REQUEST,
    KCTL_INELIGIBLE_REPLICA,
    KCTL_NOT_CONTROLLER,
    KCTL_INVALID_REPLICA_ASSIGNMENT,
    KCTL_NO_REASSIGNMENT_IN_PROGRESS,
} kctl_err;

/* Kafka's error name ("STALE_BROKER_EPOCH", ...), "NONE" for KCTL_OK. */
const char *kctl_err_name(kctl_err e);

/* Records to append, in order (one atomic batch in Kafka). */
typedef struct kmeta_batch {
    kmeta_rec *r;               /* records */
    int n, cap;                 /* used, allocated */
} kmeta_batch;

void kmeta_batch_init(kmeta_batch *b);
void kmeta_batch_free(kmeta_batch *b);
kmeta_rec *kmeta_batch_push(kmeta_batch *b, kmeta_type type);

/* What the controller's cluster is set to. */
typedef struct kctl_cfg {
    bool unclean;               /* unclean.leader.election.enable */
    bool reg_change_records;    /* metadata.version 3.3-IV2 and later write
                                   BrokerRegistrationChangeRecord instead
                                   of Fence/UnfenceBrokerRecord */
    bool cs_records;            /* 3.3-IV3 and later (KIP-841): a broker
                                   entering controlled shutdown gets a
                                   BrokerRegistrationChangeRecord with
                                   InControlledShutdown = 1 */
    uint32_t session_timeout_ms; /* broker.session.timeout.ms; 0 takes
                                   KCTL_SESSION_TIMEOUT_MS */
} kctl_cfg;

/* isActive: registered, not fenced and not in controlled shutdown as the
 * log says (ClusterControlManager.isActive). */
bool kctl_is_active(const kmeta_image *img, int id);

/* PartitionChangeBuilder. */
typedef enum kctl_election {
    KCTL_ELECT_PREFERRED,       /* replica 0 if it is in the ISR */
    KCTL_ELECT_ONLINE,          /* keep a valid leader, else the first
                                   replica in order, in the ISR, acceptable */
    KCTL_ELECT_UNCLEAN,         /* ONLINE, else the first acceptable
                                   replica: ISR = [it], RECOVERING */
} kctl_election;

typedef bool (*kctl_accept_fn)(void *ctx, int id);

/* The PartitionChangeRecord moving partition p (of topic_id) towards
 * target_isr (NULL: unchanged) with a leader elected as `e` says. An
 * empty target ISR leaves the ISR as it is (its last member stays). The
 * leader field is set when the leader changes (a leader epoch bump); an
 * ISR that only shrinks keeps the leader epoch (metadata.version 3.6-IV0
 * and later) and moves the partition epoch alone. Returns false when
 * nothing would change (no record). */
bool kctl_partition_change(kmeta_uuid topic_id, int partition,
                           const kmeta_part *p, const kmeta_ids *target_isr,
                           kctl_election e, kctl_accept_fn ok, void *ctx,
                           kmeta_rec *out);

/* The general PartitionChangeBuilder: each target NULL leaves that list
 * as it is. A reassignment in progress completes first when the target
 * ISR allows (complete_reassignment), the leader is elected among the
 * target replicas, a replica list that loses a member bumps the leader
 * epoch, and the record sets replicas, removingReplicas and
 * addingReplicas where they change. */
typedef struct kctl_target {
    const kmeta_ids *isr;       /* setTargetIsr */
    const kmeta_ids *replicas;  /* setTargetReplicas */
    const kmeta_ids *removing;  /* setTargetRemoving */
    const kmeta_ids *adding;    /* setTargetAdding */
    kctl_election election;
    kctl_accept_fn ok;          /* isAcceptableLeader */
    void *ctx;
} kctl_target;

bool kctl_partition_build(kmeta_uuid topic_id, int partition, const kmeta_part *p,
                          const kctl_target *t, kmeta_rec *out);

/* BrokerRegistrationRequest from broker id, process `incarnation`.
 * next_offset is where the record will land: it becomes the broker
 * epoch. A live session of another incarnation refuses
 * (DUPLICATE_BROKER_REGISTRATION). The broker starts fenced; the
 * heartbeat state starts at now_us. */
typedef struct kctl_reg_req {
    int broker_id;              /* broker.id */
    kmeta_uuid incarnation;     /* new per process start */
    const char *rack;           /* broker.rack or NULL */
} kctl_reg_req;

kctl_err kctl_register(const kmeta_image *img, kctl_hb *hb,
                       const kctl_reg_req *req, int64_t next_offset,
                       uint64_t now_us, kmeta_batch *out, int64_t *epoch_out);

/* BrokerHeartbeatRequest and its reply. */
typedef struct kctl_hb_req {
    int broker_id;
    int64_t broker_epoch;       /* from its registration */
    int64_t metadata_offset;    /* last metadata offset it applied */
    bool want_fence;            /* not ready to be unfenced */
    bool want_shutdown;         /* stopping */
} kctl_hb_req;

typedef struct kctl_hb_reply {
    bool caught_up;             /* reached its RegisterBrokerRecord */
    bool fenced;                /* fenced after this heartbeat */
    bool in_controlled_shutdown;/* CONTROLLED_SHUTDOWN after it: the caller
                                   gives the batch's end offset to
                                   kctl_hb_set_shutdown_offset */
    bool shutdown_now;          /* may stop (shouldShutDown) */
} kctl_hb_reply;

/* BrokerHeartbeatManager.calculateNextBrokerState and Replication-
 * ControlManager.processBrokerHeartbeat. FENCED: wantShutDown stops it
 * at once (fenced again); otherwise it is unfenced once it has applied
 * its own RegisterBrokerRecord and does not want fencing. UNFENCED:
 * wantFence fences it (and stops it with wantShutDown); wantShutDown
 * alone puts a broker that leads a partition in CONTROLLED_SHUTDOWN
 * (kctl_broker_in_controlled_shutdown), one that leads nothing stops
 * at once (fenced). CONTROLLED_SHUTDOWN: it may stop once it leads
 * nothing and every active broker has reported a metadata offset at or
 * past its controlled shutdown offset; then it is fenced. */
kctl_err kctl_heartbeat(const kmeta_image *img, kctl_hb *hb,
                        const kctl_cfg *cfg, const kctl_hb_req *req,
                        uint64_t now_us, kmeta_batch *out,
                        kctl_hb_reply *reply);

/* handleBrokerFenced: every partition with the broker in its ISR loses
 * it (a lone member stays) and gets a new leader if it led (first
 * replica in order, in the ISR, active, not this broker); then the
 * FenceBrokerRecord. */
void kctl_broker_fenced(const kmeta_image *img, const kctl_cfg *cfg, int id,
                        kmeta_batch *out);
/* handleBrokerInControlledShutdown: the BrokerRegistrationChangeRecord
 * (InControlledShutdown = 1, with cfg->cs_records, once), then every
 * partition with the broker in its ISR loses it and a leader it held
 * moves, as for a fenced broker; the broker is not fenced yet. */
void kctl_broker_in_controlled_shutdown(const kmeta_image *img,
                                        const kctl_cfg *cfg, int id,
                                        kmeta_batch *out);
/* BrokersToIsrs.hasLeaderships: does broker id lead a partition? */
bool kctl_has_leaderships(const kmeta_image *img, int id);

/* handleBrokerUnfenced: the UnfenceBrokerRecord, then a leader for every
 * partition without one, the broker itself acceptable. */
void kctl_broker_unfenced(const kmeta_image *img, const kctl_cfg *cfg, int id,
                          kmeta_batch *out);

/* maybeFenceOneStaleBroker: fences the one broker whose session ran out
 * longest ago; returns its id, or -1 with nothing to do. */
int kctl_fence_stale(const kmeta_image *img, kctl_hb *hb, const kctl_cfg *cfg,
                     uint64_t now_us, kmeta_batch *out);

/* createTopic: the topic's ConfigRecords (min_isr > 0:
 * min.insync.replicas; unclean >= 0: unclean.leader.election.enable),
 * then the TopicRecord and a PartitionRecord per partition, placed by
 * kctl_place over registered brokers; ISR = the replicas that are
 * active, leader = its first, epochs 0. */
kctl_err kctl_create_topic(const kmeta_image *img, rng *r, const char *name,
                           int partitions, int rf, int min_isr, int unclean,
                           kmeta_batch *out);

/* deleteTopics: a RemoveTopicRecord (its partitions and configs go with
 * it when applied); UNKNOWN_TOPIC_OR_PARTITION for no such topic. */
kctl_err kctl_delete_topic(const kmeta_image *img, const char *name,
                           kmeta_batch *out);

/* electLeaders, PREFERRED, for topic `name` (NULL: every topic): a
 * PartitionChangeRecord per partition whose first replica can lead (in
 * the ISR, active) and does not; *moved and *unavailable (no record
 * possible: PREFERRED_LEADER_NOT_AVAILABLE) count them. */
kctl_err kctl_elect_preferred(const kmeta_image *img, const char *name,
                              kmeta_batch *out, int *moved, int *unavailable);

/* Whether topic `name` elects uncleanly: its own config, else the
 * cluster's default. */
bool kctl_topic_unclean(const kmeta_image *img, const kctl_cfg *cfg,
                        const char *name);

/* AlterPartition from broker `from` (the leader) for topic/partition:
 * checks epochs and ISR as Kafka's validateAlterPartitionData, then the
 * PartitionChangeRecord (none when the ISR is already that). */
kctl_err kctl_alter_partition(const kmeta_image *img, const kctl_cfg *cfg,
                              int from, const char *topic, int partition,
                              int leader_epoch, int partition_epoch,
                              const kmeta_ids *new_isr, kmeta_batch *out);

/* PartitionReassignmentReplicas(current, target): removing = current
 * minus target and adding = target minus current, each ascending;
 * replicas = target then the removing ones. */
void kctl_reassignment_replicas(const kmeta_ids *current, const kmeta_ids *target,
                                kmeta_ids *replicas, kmeta_ids *adding,
                                kmeta_ids *removing);

/* alterPartitionReassignment for topic/partition: target = the new
 * replicas (changePartitionReassignment: INVALID_REPLICA_ASSIGNMENT for
 * an empty list, a broker twice or one not registered), or NULL to
 * cancel (cancelPartitionReassignment: NO_REASSIGNMENT_IN_PROGRESS).
 * Starting one writes the replicas (target + removing) with
 * addingReplicas and removingReplicas; it completes in a later change
 * (an AlterPartition) once the ISR holds every target replica: then the
 * replicas are the target, the removed ones leave the ISR and a leader
 * being removed gives way to the first target replica in the ISR. A
 * reassignment of a partition already being reassigned replaces it. */
kctl_err kctl_reassign(const kmeta_image *img, const kctl_cfg *cfg, const char *topic,
                       int partition, const kmeta_ids *target, kmeta_batch *out);

#endif
