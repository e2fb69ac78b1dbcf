/* Unit tests for the KRaft controller's decisions: PartitionChangeBuilder
 * (election and ISR records), ClusterControlManager.registerBroker,
 * BrokerHeartbeatManager (2000 ms heartbeats, 9000 ms sessions),
 * ReplicationControlManager (processBrokerHeartbeat, handleBrokerFenced,
 * handleBrokerUnfenced, createTopic, alterPartition) and
 * StripedReplicaPlacer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kctl_rules.h"
#include "kctl_place.h"

#define MS 1000ULL

static const kctl_cfg CFG = { false, false, false, 0 };

/* Applies a batch at the image's next offsets. */
static void apply_all(kmeta_image *img, const kmeta_batch *b)
{
    for (int i = 0; i < b->n; i++) {
        char err[128] = "";
        if (!kmeta_image_apply(img, &b->r[i], kmeta_image_offset(img) + 1, err,
                               sizeof err))
            fail_msg("%s", err);
    }
}

/* Registers brokers 101..100+n and unfences each through a heartbeat
 * that has caught up. */
static kmeta_image *cluster(kctl_hb *hb, int n)
{
    kmeta_image *img = kmeta_image_new();
    for (int i = 0; i < n; i++) {
        kmeta_batch b;
        kmeta_batch_init(&b);
        kctl_reg_req req = { 101 + i, { 1, (uint64_t)i }, NULL };
        int64_t epoch;
        assert_int_equal(kctl_register(img, hb, &req, kmeta_image_offset(img) + 1,
                                       0, &b, &epoch), KCTL_OK);
        apply_all(img, &b);
        kmeta_batch_free(&b);
    }
    for (int i = 0; i < n; i++) {
        const kmeta_broker *br = kmeta_image_broker(img, 101 + i);
        kctl_hb_req hr = { 101 + i, br->epoch, kmeta_image_offset(img), false, false };
        kctl_hb_reply rep;
        kmeta_batch b;
        kmeta_batch_init(&b);
        assert_int_equal(kctl_heartbeat(img, hb, &CFG, &hr, 0, &b, &rep), KCTL_OK);
        apply_all(img, &b);
        kmeta_batch_free(&b);
    }
    return img;
}

static void make_topic(kmeta_image *img, const char *name, int parts, int rf)
{
    rng r;
    rng_seed(&r, 7);
    kmeta_batch b;
    kmeta_batch_init(&b);
    assert_int_equal(kctl_create_topic(img, &r, name, parts, rf, 0, -1, &b), KCTL_OK);
    apply_all(img, &b);
    kmeta_batch_free(&b);
}

static bool all_active(void *ctx, int id) { (void)ctx; (void)id; return true; }
static bool not_in(void *ctx, int id)
{
    const int *dead = ctx;      /* -1 terminated */
    for (int i = 0; dead[i] >= 0; i++)
        if (dead[i] == id) return false;
    return true;
}

static kmeta_part mkpart(const int *rep, int nrep, const int *isr, int nisr,
                         int leader)
{
    kmeta_part p;
    memset(&p, 0, sizeof p);
    kmeta_ids_set(&p.replicas, rep, nrep);
    kmeta_ids_set(&p.isr, isr, nisr);
    p.leader = leader;
    return p;
}

/* PartitionChangeBuilder.electAnyLeader: the first replica in assignment
 * order that is in the target ISR and acceptable, not the ISR's order. */
static void test_kctl_change_elects_first_replica_in_order(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 103, 101, 102 };
    kmeta_part p = mkpart(rep, 3, isr, 3, 101);
    const int dead[] = { 101, -1 };
    kmeta_ids target = { 2, { 103, 102 } };
    kmeta_rec r;
    assert_true(kctl_partition_change((kmeta_uuid){ 0, 1 }, 0, &p, &target,
                                      KCTL_ELECT_ONLINE, not_in, (void *)dead, &r));
    assert_int_equal(r.leader, 102);
    assert_int_equal(r.isr.n, 2);
    assert_int_equal(r.isr.id[0], 103);
}

/* The ISR is never emptied: with the lone member gone the partition goes
 * leaderless (-1) and the record leaves the ISR field null. */
static void test_kctl_change_lone_isr_member_stays(void **state)
{
    (void)state;
    const int rep[] = { 101, 102 }, isr[] = { 101 };
    kmeta_part p = mkpart(rep, 2, isr, 1, 101);
    const int dead[] = { 101, -1 };
    kmeta_ids target = { 0 };
    kmeta_rec r;
    assert_true(kctl_partition_change((kmeta_uuid){ 0, 1 }, 0, &p, &target,
                                      KCTL_ELECT_ONLINE, not_in, (void *)dead, &r));
    assert_int_equal(r.leader, -1);
    assert_int_equal(r.isr.n, -1);
}

/* PartitionChangeBuilder.triggerLeaderEpochBumpIfNeeded (Kafka 3.7): since
 * metadata.version 3.6-IV0 (KAFKA-15021) a follower leaving the ISR under
 * the same leader leaves the record's leader field unset, so the leader
 * epoch stays and only the partition epoch moves; a follower joining does
 * not bump it either; a replica leaving the replica list, or a new leader,
 * does. Nothing to change gives no record. */
static void test_kctl_change_isr_shrink_keeps_leader_epoch(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 101, 102, 103 };
    kmeta_part p = mkpart(rep, 3, isr, 3, 101);
    p.leader_epoch = 4;
    p.partition_epoch = 7;
    kmeta_ids shrink = { 2, { 101, 102 } };
    kmeta_rec r;
    assert_true(kctl_partition_change((kmeta_uuid){ 0, 1 }, 0, &p, &shrink,
                                      KCTL_ELECT_ONLINE, all_active, NULL, &r));
    assert_int_equal(r.leader, KMETA_NO_LEADER_CHANGE);
    assert_true(kmeta_ids_equal(&r.isr, &shrink));
    /* applied, as PartitionRegistration.merge does */
    kmeta_image *img = kmeta_image_new();
    kmeta_rec tr;
    kmeta_rec_init(&tr, KMETA_TOPIC);
    snprintf(tr.topic, sizeof tr.topic, "t");
    tr.topic_id = (kmeta_uuid){ 0, 1 };
    char err[128] = "";
    assert_true(kmeta_image_apply(img, &tr, 1, err, sizeof err));
    kmeta_rec pr;
    kmeta_rec_init(&pr, KMETA_PARTITION);
    pr.topic_id = tr.topic_id;
    pr.partition = 0;
    pr.replicas = p.replicas;
    pr.isr = p.isr;
    pr.leader = 101;
    pr.leader_epoch = 4;
    pr.partition_epoch = 7;
    assert_true(kmeta_image_apply(img, &pr, 2, err, sizeof err));
    assert_true(kmeta_image_apply(img, &r, 3, err, sizeof err));
    const kmeta_part *applied = kmeta_image_part(img, "t", 0);
    assert_int_equal(applied->leader, 101);
    assert_int_equal(applied->leader_epoch, 4);
    assert_int_equal(applied->partition_epoch, 8);
    assert_true(kmeta_ids_equal(&applied->isr, &shrink));
    kmeta_image_free(img);
    /* the leader itself leaving: a new leader, a new leader epoch */
    const int dead[] = { 101, -1 };
    kmeta_ids without_leader = { 2, { 102, 103 } };
    assert_true(kctl_partition_change((kmeta_uuid){ 0, 1 }, 0, &p, &without_leader,
                                      KCTL_ELECT_ONLINE, not_in, (void *)dead, &r));
    assert_int_equal(r.leader, 102);
    /* a replica leaving the replica list: the same leader set again */
    kmeta_ids two = { 2, { 101, 102 } };
    kctl_target t = { &two, &two, NULL, NULL, KCTL_ELECT_ONLINE, all_active, NULL };
    assert_true(kctl_partition_build((kmeta_uuid){ 0, 1 }, 0, &p, &t, &r));
    assert_int_equal(r.leader, 101);
    p = mkpart(rep, 3, isr, 2, 101);
    kmeta_ids grow = { 3, { 101, 102, 103 } };
    assert_true(kctl_partition_change((kmeta_uuid){ 0, 1 }, 0, &p, &grow,
                                      KCTL_ELECT_ONLINE, all_active, NULL, &r));
    assert_int_equal(r.leader, KMETA_NO_LEADER_CHANGE);
    assert_int_equal(r.isr.n, 3);
    assert_false(kctl_partition_change((kmeta_uuid){ 0, 1 }, 0, &p, NULL,
                                       KCTL_ELECT_ONLINE, all_active, NULL, &r));
}

/* handleBrokerFenced and handleBrokerInControlledShutdown take a follower
 * out of the ISR of a partition it does not lead: the same leader and
 * leader epoch, the next partition epoch (KAFKA-15021, 3.6-IV0 and later:
 * the bump came only with ZooKeeper-era metadata versions). */
static void test_kctl_fenced_follower_keeps_leader_epoch(void **state)
{
    (void)state;
    kctl_cfg cfg = { false, false, true, 0 };
    for (int cs = 0; cs < 2; cs++) {
        kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
        kmeta_image *img = cluster(hb, 3);
        make_topic(img, "t", 1, 3);
        const kmeta_part *p = kmeta_image_part(img, "t", 0);
        int leader = p->leader, epoch = p->leader_epoch, pepoch = p->partition_epoch;
        int gone = p->replicas.id[0] == leader ? p->replicas.id[1] : p->replicas.id[0];
        kmeta_batch b;
        kmeta_batch_init(&b);
        if (cs) kctl_broker_in_controlled_shutdown(img, &cfg, gone, &b);
        else kctl_broker_fenced(img, &cfg, gone, &b);
        apply_all(img, &b);
        kmeta_batch_free(&b);
        assert_false(kmeta_ids_has(&p->isr, gone));
        assert_int_equal(p->isr.n, 2);
        assert_int_equal(p->leader, leader);
        assert_int_equal(p->leader_epoch, epoch);
        assert_int_equal(p->partition_epoch, pepoch + 1);
        /* its leader still holds the leader epoch: an AlterPartition of
         * that epoch and the old partition epoch is refused as stale
         * (INVALID_UPDATE_VERSION), one of the new partition epoch goes */
        kmeta_ids isr = p->isr;
        kmeta_batch_init(&b);
        assert_int_equal(kctl_alter_partition(img, &cfg, leader, "t", 0, epoch, pepoch,
                                              &isr, &b), KCTL_INVALID_UPDATE_VERSION);
        assert_int_equal(kctl_alter_partition(img, &cfg, leader, "t", 0, epoch, pepoch + 1,
                                              &isr, &b), KCTL_OK);
        assert_int_equal(b.n, 0);               /* the ISR is that already */
        /* the leaving broker may not come back while fenced or in
         * controlled shutdown (isEligibleReplica) */
        isr.id[isr.n++] = gone;
        assert_int_equal(kctl_alter_partition(img, &cfg, leader, "t", 0, epoch, pepoch + 1,
                                              &isr, &b), KCTL_INELIGIBLE_REPLICA);
        kmeta_batch_free(&b);
        kmeta_image_free(img);
        kctl_hb_free(hb);
    }
}

/* Unclean election: the first acceptable replica outside the ISR leads
 * with ISR = [it] and LeaderRecoveryState RECOVERING (1). */
static void test_kctl_change_unclean(void **state)
{
    (void)state;
    const int rep[] = { 101, 102, 103 }, isr[] = { 101 };
    kmeta_part p = mkpart(rep, 3, isr, 1, 101);
    const int dead[] = { 101, -1 };
    kmeta_rec r;
    assert_true(kctl_partition_change((kmeta_uuid){ 0, 1 }, 0, &p, NULL,
                                      KCTL_ELECT_UNCLEAN, not_in, (void *)dead, &r));
    assert_int_equal(r.leader, 102);
    assert_int_equal(r.isr.n, 1);
    assert_int_equal(r.isr.id[0], 102);
    assert_int_equal(r.leader_recovery, 1);
}

/* registerBroker: the broker epoch is the offset its record will have;
 * it starts fenced; another incarnation is refused while the first one's
 * session is valid, and accepted once it has run out. */
static void test_kctl_register_epoch_fenced_duplicate(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 2);
    kmeta_batch b;
    kmeta_batch_init(&b);
    kctl_reg_req again = { 101, { 9, 9 }, NULL };
    int64_t epoch = -1;
    assert_int_equal(kctl_register(img, hb, &again, 40, 8000 * MS, &b, &epoch),
                     KCTL_DUPLICATE_BROKER_REGISTRATION);
    assert_int_equal(b.n, 0);
    assert_int_equal(kctl_register(img, hb, &again, 40, 9001 * MS, &b, &epoch),
                     KCTL_OK);
    assert_int_equal(epoch, 40);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.r[0].type, KMETA_REGISTER_BROKER);
    assert_int_equal(b.r[0].broker_epoch, 40);
    assert_true(b.r[0].fenced);
    kmeta_batch_free(&b);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* calculateNextBrokerState: a fenced broker is unfenced only once the
 * metadata offset it reports reaches its RegisterBrokerRecord's offset;
 * a heartbeat with an old broker epoch gets STALE_BROKER_EPOCH. */
static void test_kctl_heartbeat_unfences_when_caught_up(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = kmeta_image_new();
    kmeta_batch b;
    kmeta_batch_init(&b);
    kctl_reg_req req = { 101, { 1, 1 }, NULL };
    kmeta_image *pad = img;
    kmeta_rec noise;                            /* two records before it */
    kmeta_rec_init(&noise, KMETA_TOPIC);
    strcpy(noise.topic, "a");
    noise.topic_id = (kmeta_uuid){ 5, 5 };
    assert_true(kmeta_image_apply(pad, &noise, 0, NULL, 0));
    int64_t epoch;
    assert_int_equal(kctl_register(img, hb, &req, 1, 0, &b, &epoch), KCTL_OK);
    apply_all(img, &b);
    kmeta_batch_free(&b);
    kctl_hb_reply rep;
    kctl_hb_req hr = { 101, epoch, 0, false, false };   /* not there yet */
    assert_int_equal(kctl_heartbeat(img, hb, &CFG, &hr, 2000 * MS, &b, &rep), KCTL_OK);
    assert_int_equal(b.n, 0);
    assert_true(rep.fenced);
    assert_false(rep.caught_up);
    hr.metadata_offset = 1;
    assert_int_equal(kctl_heartbeat(img, hb, &CFG, &hr, 4000 * MS, &b, &rep), KCTL_OK);
    assert_false(rep.fenced);
    assert_true(rep.caught_up);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.r[0].type, KMETA_UNFENCE_BROKER);
    assert_int_equal(b.r[0].broker_epoch, epoch);
    kmeta_batch_free(&b);
    hr.broker_epoch = epoch - 1;
    assert_int_equal(kctl_heartbeat(img, hb, &CFG, &hr, 6000 * MS, &b, &rep),
                     KCTL_STALE_BROKER_EPOCH);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* One heartbeat of broker id at now_ms reporting the image's offset; the
 * batch is applied. */
static kctl_hb_reply beat(kmeta_image *img, kctl_hb *hb, const kctl_cfg *cfg,
                          int id, bool shutdown, uint64_t now_ms, kmeta_batch *b)
{
    kctl_hb_req hr = { id, kmeta_image_broker(img, id)->epoch,
                       kmeta_image_offset(img), false, shutdown };
    kctl_hb_reply rep;
    kmeta_batch_init(b);
    assert_int_equal(kctl_heartbeat(img, hb, cfg, &hr, now_ms * MS, b, &rep), KCTL_OK);
    apply_all(img, b);
    return rep;
}

/* BrokerHeartbeatManager.calculateNextBrokerState and ReplicationControl-
 * Manager.handleBrokerInControlledShutdown: an unfenced broker that
 * leads a partition and asks to shut down enters CONTROLLED_SHUTDOWN:
 * with metadata.version 3.3-IV3 a BrokerRegistrationChangeRecord
 * (InControlledShutdown = 1) first, then it leaves every ISR and its
 * leaderships move; not fenced. It may stop only once every active
 * broker reported an offset at or past the controlled shutdown offset
 * (lowestActiveOffset); then it is fenced. */
static void test_kctl_controlled_shutdown(void **state)
{
    (void)state;
    kctl_cfg cfg = { false, true, true, 0 };
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 3);
    make_topic(img, "t", 3, 3);
    int leaving = kmeta_image_part(img, "t", 0)->leader;
    for (int id = 101; id <= 103; id++)
        kctl_hb_touch(hb, id, false, 1000 * MS, kmeta_image_offset(img));
    kmeta_batch b;
    kctl_hb_reply rep = beat(img, hb, &cfg, leaving, true, 1000, &b);
    assert_true(rep.in_controlled_shutdown);
    assert_false(rep.shutdown_now);
    assert_false(rep.fenced);
    assert_int_equal(b.n, 4);                   /* the change, 3 partitions */
    assert_int_equal(b.r[0].type, KMETA_BROKER_REG_CHANGE);
    assert_int_equal(b.r[0].in_controlled_shutdown, 1);
    assert_int_equal(b.r[0].fencing_change, 0);
    char text[256];
    kmeta_rec_describe(&b.r[0], text, sizeof text);
    assert_non_null(strstr(text, "inControlledShutdown=1"));
    for (int i = 1; i < 4; i++) assert_int_equal(b.r[i].type, KMETA_PARTITION_CHANGE);
    kmeta_batch_free(&b);
    int64_t cs_offset = kmeta_image_offset(img);
    kctl_hb_set_shutdown_offset(hb, leaving, cs_offset);
    const kmeta_broker *kb = kmeta_image_broker(img, leaving);
    assert_true(kb->in_controlled_shutdown);
    assert_false(kb->fenced);
    assert_false(kctl_is_active(img, leaving));
    assert_false(kctl_has_leaderships(img, leaving));
    for (int p = 0; p < 3; p++) {
        const kmeta_part *pp = kmeta_image_part(img, "t", p);
        assert_false(kmeta_ids_has(&pp->isr, leaving));
        assert_int_not_equal(pp->leader, leaving);
    }
    /* the others last reported offsets before those records: not yet */
    rep = beat(img, hb, &cfg, leaving, true, 1050, &b);
    assert_true(rep.in_controlled_shutdown);
    assert_false(rep.shutdown_now);
    assert_int_equal(b.n, 0);
    kmeta_batch_free(&b);
    int other[2], k = 0;
    for (int id = 101; id <= 103; id++)
        if (id != leaving) other[k++] = id;
    beat(img, hb, &cfg, other[0], false, 2000, &b);
    kmeta_batch_free(&b);
    assert_true(kctl_hb_lowest_active_offset(hb) < cs_offset);
    rep = beat(img, hb, &cfg, leaving, true, 2050, &b);
    assert_false(rep.shutdown_now);
    kmeta_batch_free(&b);
    beat(img, hb, &cfg, other[1], false, 2100, &b);
    kmeta_batch_free(&b);
    assert_true(kctl_hb_lowest_active_offset(hb) >= cs_offset);
    rep = beat(img, hb, &cfg, leaving, true, 4050, &b);
    assert_true(rep.shutdown_now);
    assert_true(rep.fenced);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.r[0].type, KMETA_BROKER_REG_CHANGE);
    assert_int_equal(b.r[0].fencing_change, 1);
    kmeta_batch_free(&b);
    assert_true(kmeta_image_broker(img, leaving)->fenced);
    assert_false(kctl_hb_shutting_down(hb, leaving));
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* calculateNextBrokerState, UNFENCED: a broker that leads nothing is
 * granted the stop at once (fenced, SHUTDOWN_NOW); before 3.3-IV3 no
 * InControlledShutdown record is written and the log's registration
 * stays active while the soft state knows. */
static void test_kctl_shutdown_now_when_leading_nothing(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 3);
    make_topic(img, "t", 1, 2);
    const kmeta_part *p = kmeta_image_part(img, "t", 0);
    int idle = -1;
    for (int id = 101; id <= 103 && idle < 0; id++)
        if (!kmeta_ids_has(&p->replicas, id)) idle = id;
    kmeta_batch b;
    kctl_hb_reply rep = beat(img, hb, &CFG, idle, true, 1000, &b);
    assert_true(rep.shutdown_now);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.r[0].type, KMETA_FENCE_BROKER);
    kmeta_batch_free(&b);
    int lead = p->leader;
    rep = beat(img, hb, &CFG, lead, true, 1000, &b);
    assert_true(rep.in_controlled_shutdown);
    assert_int_equal(b.n, 1);                   /* the change alone */
    assert_int_equal(b.r[0].type, KMETA_PARTITION_CHANGE);
    kmeta_batch_free(&b);
    assert_false(kmeta_image_broker(img, lead)->in_controlled_shutdown);
    assert_int_not_equal(kmeta_image_part(img, "t", 0)->leader, lead);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* PartitionReassignmentReplicas: removing and adding are set differences
 * in ascending order (TreeSet); the replicas are the target, then the
 * removing ones. */
static void test_kctl_reassignment_replicas(void **state)
{
    (void)state;
    kmeta_ids cur = { 3, { 1, 2, 3 } }, tgt = { 3, { 4, 2, 3 } };
    kmeta_ids rep, add, rem;
    kctl_reassignment_replicas(&cur, &tgt, &rep, &add, &rem);
    kmeta_ids erep = { 4, { 4, 2, 3, 1 } }, eadd = { 1, { 4 } }, erem = { 1, { 1 } };
    assert_true(kmeta_ids_equal(&rep, &erep));
    assert_true(kmeta_ids_equal(&add, &eadd));
    assert_true(kmeta_ids_equal(&rem, &erem));
    kmeta_ids cur2 = { 3, { 3, 2, 1 } }, tgt2 = { 2, { 5, 4 } };
    kctl_reassignment_replicas(&cur2, &tgt2, &rep, &add, &rem);
    kmeta_ids erep2 = { 5, { 5, 4, 1, 2, 3 } }, eadd2 = { 2, { 4, 5 } },
              erem2 = { 3, { 1, 2, 3 } };
    assert_true(kmeta_ids_equal(&rep, &erep2));
    assert_true(kmeta_ids_equal(&add, &eadd2));
    assert_true(kmeta_ids_equal(&rem, &erem2));
}

/* ReplicationControlManager.alterPartitionReassignment: a reassignment
 * moving the leader's replica starts with one PartitionChangeRecord
 * (replicas = target + removing, addingReplicas, removingReplicas, no
 * leader epoch bump); the leader's AlterPartition that adds the new
 * replica to the ISR completes it (PartitionChangeBuilder.complete-
 * ReassignmentIfNeeded): replicas = target, the removed replica out of
 * the ISR, the leader moved to the first target replica in the ISR. A
 * cancel (cancelPartitionReassignment) reverts to the original replicas;
 * validateManualPartitionAssignment refuses bad lists. */
static void test_kctl_reassign_start_complete_cancel(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 4);
    make_topic(img, "t", 1, 3);
    const kmeta_part *p = kmeta_image_part(img, "t", 0);
    kmeta_ids orig = p->replicas;
    int l = p->leader, spare = -1;
    for (int id = 101; id <= 104; id++)
        if (!kmeta_ids_has(&orig, id)) spare = id;
    kmeta_ids target = { 0 };
    target.id[target.n++] = spare;
    for (int i = 0; i < 3; i++)
        if (orig.id[i] != l) target.id[target.n++] = orig.id[i];
    kmeta_batch b;
    kmeta_batch_init(&b);
    kmeta_ids twice = { 2, { spare, spare } }, ghost = { 2, { 101, 109 } }, empty = { 0 };
    assert_int_equal(kctl_reassign(img, &CFG, "t", 0, &twice, &b), KCTL_INVALID_REPLICA_ASSIGNMENT);
    assert_int_equal(kctl_reassign(img, &CFG, "t", 0, &ghost, &b), KCTL_INVALID_REPLICA_ASSIGNMENT);
    assert_int_equal(kctl_reassign(img, &CFG, "t", 0, &empty, &b), KCTL_INVALID_REPLICA_ASSIGNMENT);
    assert_int_equal(kctl_reassign(img, &CFG, "u", 0, &target, &b), KCTL_UNKNOWN_TOPIC_OR_PARTITION);
    assert_int_equal(kctl_reassign(img, &CFG, "t", 0, NULL, &b), KCTL_NO_REASSIGNMENT_IN_PROGRESS);
    assert_int_equal(b.n, 0);
    assert_int_equal(kctl_reassign(img, &CFG, "t", 0, &target, &b), KCTL_OK);
    assert_int_equal(b.n, 1);
    assert_int_equal(b.r[0].leader, KMETA_NO_LEADER_CHANGE);
    apply_all(img, &b);
    kmeta_batch_free(&b);
    assert_int_equal(p->replicas.n, 4);
    assert_int_equal(p->replicas.id[3], l);
    assert_true(p->adding.n == 1 && p->adding.id[0] == spare);
    assert_true(p->removing.n == 1 && p->removing.id[0] == l);
    assert_int_equal(p->leader_epoch, 0);
    /* the spare joins the ISR: the same change completes it */
    kmeta_ids isr = p->isr;
    isr.id[isr.n++] = spare;
    kmeta_batch_init(&b);
    assert_int_equal(kctl_alter_partition(img, &CFG, l, "t", 0, p->leader_epoch,
                                          p->partition_epoch, &isr, &b), KCTL_OK);
    assert_int_equal(b.n, 1);
    apply_all(img, &b);
    kmeta_batch_free(&b);
    assert_true(kmeta_ids_equal(&p->replicas, &target));
    assert_int_equal(p->adding.n, 0);
    assert_int_equal(p->removing.n, 0);
    assert_false(kmeta_ids_has(&p->isr, l));
    assert_int_equal(p->leader, spare);
    assert_int_equal(p->leader_epoch, 1);
    /* a cancel: the adding replica goes from the replicas and the ISR */
    kmeta_ids again = { 3, { l, target.id[1], target.id[2] } };
    kmeta_batch_init(&b);
    assert_int_equal(kctl_reassign(img, &CFG, "t", 0, &again, &b), KCTL_OK);
    apply_all(img, &b);
    kmeta_batch_free(&b);
    assert_true(p->adding.n == 1 && p->adding.id[0] == l);
    kmeta_batch_init(&b);
    assert_int_equal(kctl_reassign(img, &CFG, "t", 0, NULL, &b), KCTL_OK);
    apply_all(img, &b);
    kmeta_batch_free(&b);
    /* PartitionReassignmentRevert: the merged list without the adding
     * one, in its order (the removing spare last) */
    kmeta_ids reverted = { 3, { target.id[1], target.id[2], spare } };
    assert_true(kmeta_ids_equal(&p->replicas, &reverted));
    assert_int_equal(p->adding.n + p->removing.n, 0);
    assert_false(kmeta_ids_has(&p->isr, l));
    assert_int_equal(p->leader, spare);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* KAFKA-15665 (Kafka 3.8): a reassignment completes only once every
 * target replica is in the ISR, not only the adding ones: a target
 * replica that fell out of the ISR holds it back. */
static void test_kctl_reassign_waits_for_every_target_replica(void **state)
{
    (void)state;
    kmeta_part p = mkpart((int[]){ 4, 2, 3, 1 }, 4, (int[]){ 1, 2, 4 }, 3, 1);
    kmeta_ids_set(&p.adding, (int[]){ 4 }, 1);
    kmeta_ids_set(&p.removing, (int[]){ 1 }, 1);
    kctl_target t = { NULL, NULL, NULL, NULL, KCTL_ELECT_ONLINE, all_active, NULL };
    kmeta_rec r;
    assert_false(kctl_partition_build((kmeta_uuid){ 0, 1 }, 0, &p, &t, &r));
    kmeta_ids isr = { 4, { 1, 2, 4, 3 } };
    t.isr = &isr;
    assert_true(kctl_partition_build((kmeta_uuid){ 0, 1 }, 0, &p, &t, &r));
    kmeta_ids rep = { 3, { 4, 2, 3 } }, risr = { 3, { 2, 4, 3 } };
    assert_true(kmeta_ids_equal(&r.replicas, &rep));
    assert_true(kmeta_ids_equal(&r.isr, &risr));
    assert_int_equal(r.adding.n, 0);
    assert_int_equal(r.removing.n, 0);
    assert_int_equal(r.leader, 4);              /* 1 leaves: first target in ISR */
}

/* BrokerHeartbeatManager.hasValidSession: last contact + 9000 ms >= now;
 * the broker heard from longest ago goes stale first. */
static void test_kctl_hb_session_runs_out_after_9000_ms(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kctl_hb_touch(hb, 102, false, 1000 * MS, 5);
    kctl_hb_touch(hb, 101, false, 2000 * MS, 5);
    kctl_hb_touch(hb, 103, true, 0, 5);         /* fenced: not watched */
    assert_int_equal(kctl_hb_stale(hb, 10000 * MS), -1);
    assert_true(kctl_hb_valid_session(hb, 102, 10000 * MS));
    assert_int_equal(kctl_hb_next_check_us(hb), 10000 * MS + 1);
    assert_int_equal(kctl_hb_stale(hb, 10000 * MS + 1), 102);
    kctl_hb_fence(hb, 102);
    assert_int_equal(kctl_hb_stale(hb, 10000 * MS + 1), -1);
    assert_int_equal(kctl_hb_stale(hb, 11000 * MS + 1), 101);
    assert_int_equal(KCTL_HEARTBEAT_INTERVAL_MS, 2000);
    kctl_hb_free(hb);
}

/* maybeFenceOneStaleBroker -> handleBrokerFenced: the stale broker leaves
 * every ISR, its partitions get the next replica in order as leader, and
 * the FenceBrokerRecord comes last. */
static void test_kctl_fence_stale_moves_leadership(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 3);
    make_topic(img, "t", 3, 3);
    for (int id = 101; id <= 103; id++)         /* all heartbeat at 8 s */
        kctl_hb_touch(hb, id, false, 8000 * MS, kmeta_image_offset(img));
    const kmeta_topic *t = kmeta_image_topic(img, "t");
    int victim = t->parts[0].leader;
    kctl_hb_touch(hb, victim, false, 1000 * MS, 0);   /* silent since 1 s */
    kmeta_batch b;
    kmeta_batch_init(&b);
    assert_int_equal(kctl_fence_stale(img, hb, &CFG, 10000 * MS, &b), -1);
    assert_int_equal(kctl_fence_stale(img, hb, &CFG, 10000 * MS + 1, &b), victim);
    assert_int_equal(b.n, 4);                   /* three partitions, then fence */
    assert_int_equal(b.r[3].type, KMETA_FENCE_BROKER);
    assert_int_equal(b.r[3].broker_id, victim);
    apply_all(img, &b);
    for (int p = 0; p < 3; p++) {
        const kmeta_part *pp = &t->parts[p];
        assert_false(kmeta_ids_has(&pp->isr, victim));
        assert_int_not_equal(pp->leader, victim);
        int expect = -1;                        /* first other replica */
        for (int i = 0; i < 3 && expect < 0; i++)
            if (pp->replicas.id[i] != victim) expect = pp->replicas.id[i];
        assert_int_equal(pp->leader, expect);
    }
    assert_true(kmeta_image_broker(img, victim)->fenced);
    kmeta_batch_free(&b);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* handleBrokerUnfenced: a partition left without a leader (its lone ISR
 * member fenced) gets that broker back as leader when it is unfenced;
 * metadata.version 3.3-IV2+ writes BrokerRegistrationChangeRecord. */
static void test_kctl_unfence_restores_leaderless(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 2);
    make_topic(img, "solo", 1, 1);
    const kmeta_part *p = kmeta_image_part(img, "solo", 0);
    int owner = p->leader;
    kctl_cfg cfg = { false, true, false, 0 };
    kmeta_batch b;
    kmeta_batch_init(&b);
    kctl_broker_fenced(img, &cfg, owner, &b);
    assert_int_equal(b.r[b.n - 1].type, KMETA_BROKER_REG_CHANGE);
    assert_int_equal(b.r[b.n - 1].fencing_change, 1);
    apply_all(img, &b);
    assert_int_equal(p->leader, -1);
    assert_int_equal(p->isr.n, 1);              /* the lone member stays */
    b.n = 0;
    kctl_broker_unfenced(img, &cfg, owner, &b);
    assert_int_equal(b.r[0].type, KMETA_BROKER_REG_CHANGE);
    assert_int_equal(b.r[0].fencing_change, -1);
    apply_all(img, &b);
    assert_int_equal(p->leader, owner);
    assert_int_equal(p->leader_epoch, 2);
    kmeta_batch_free(&b);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* createTopic: ISR = the placed replicas that are active, leader its
 * first; INVALID_REPLICATION_FACTOR past the registered brokers. */
static void test_kctl_create_topic(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 3);
    kmeta_batch b;
    kmeta_batch_init(&b);
    kctl_broker_fenced(img, &CFG, 103, &b);
    apply_all(img, &b);
    b.n = 0;
    rng r;
    rng_seed(&r, 3);
    assert_int_equal(kctl_create_topic(img, &r, "t", 4, 4, 0, -1, &b),
                     KCTL_INVALID_REPLICATION_FACTOR);
    assert_int_equal(kctl_create_topic(img, &r, "t", 4, 3, 0, -1, &b), KCTL_OK);
    assert_int_equal(b.n, 5);
    assert_int_equal(b.r[0].type, KMETA_TOPIC);
    for (int p = 1; p <= 4; p++) {
        assert_int_equal(b.r[p].isr.n, 2);      /* 103 is fenced */
        assert_false(kmeta_ids_has(&b.r[p].isr, 103));
        assert_int_equal(b.r[p].leader, b.r[p].isr.id[0]);
        assert_int_not_equal(b.r[p].replicas.id[0], 103);   /* never leads */
        assert_int_equal(b.r[p].leader_epoch, 0);
    }
    apply_all(img, &b);
    b.n = 0;
    assert_int_equal(kctl_create_topic(img, &r, "t", 1, 1, 0, -1, &b),
                     KCTL_TOPIC_ALREADY_EXISTS);
    kmeta_batch_free(&b);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* createTopic writes the topic's ConfigRecords before its TopicRecord
 * (ReplicationControlManager.createTopics); a topic's own
 * unclean.leader.election.enable decides its elections; RemoveTopicRecord
 * drops its configs. */
static void test_kctl_create_topic_configs(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 2);
    rng r;
    rng_seed(&r, 5);
    kmeta_batch b;
    kmeta_batch_init(&b);
    assert_int_equal(kctl_create_topic(img, &r, "u", 1, 1, 2, 1, &b), KCTL_OK);
    assert_int_equal(b.r[0].type, KMETA_CONFIG);
    assert_string_equal(b.r[0].conf_name, "min.insync.replicas");
    assert_string_equal(b.r[0].conf_value, "2");
    assert_int_equal(b.r[1].type, KMETA_CONFIG);
    assert_int_equal(b.r[2].type, KMETA_TOPIC);
    apply_all(img, &b);
    assert_string_equal(kmeta_image_topic_config(img, "u", "min.insync.replicas"), "2");
    assert_true(kctl_topic_unclean(img, &CFG, "u"));
    int owner = kmeta_image_part(img, "u", 0)->leader;
    b.n = 0;
    kctl_broker_fenced(img, &CFG, owner, &b);
    apply_all(img, &b);
    /* rf 1: no other replica, so even unclean leaves it leaderless */
    assert_int_equal(kmeta_image_part(img, "u", 0)->leader, -1);
    b.n = 0;
    kmeta_rec *rm = kmeta_batch_push(&b, KMETA_REMOVE_TOPIC);
    rm->topic_id = kmeta_image_topic(img, "u")->id;
    apply_all(img, &b);
    assert_null(kmeta_image_topic_config(img, "u", "min.insync.replicas"));
    assert_false(kctl_topic_unclean(img, &CFG, "u"));
    kmeta_batch_free(&b);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* deleteTopics writes a RemoveTopicRecord; electLeaders(PREFERRED) moves
 * leadership back to the first replica once it is in the ISR and
 * unfenced, and counts a partition whose preferred replica is fenced as
 * not available (PREFERRED_LEADER_NOT_AVAILABLE). */
static void test_kctl_delete_and_preferred(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 3);
    make_topic(img, "t", 3, 3);
    const kmeta_topic *t = kmeta_image_topic(img, "t");
    int pref = t->parts[0].replicas.id[0];
    kmeta_batch b;
    kmeta_batch_init(&b);
    int moved, unavailable;
    assert_int_equal(kctl_elect_preferred(img, "t", &b, &moved, &unavailable), KCTL_OK);
    assert_int_equal(moved + unavailable, 0);       /* all preferred already */
    kctl_broker_fenced(img, &CFG, pref, &b);
    apply_all(img, &b);
    b.n = 0;
    assert_int_not_equal(t->parts[0].leader, pref);
    assert_int_equal(kctl_elect_preferred(img, "t", &b, &moved, &unavailable), KCTL_OK);
    assert_int_equal(moved, 0);
    assert_true(unavailable >= 1);                  /* fenced: cannot lead */
    b.n = 0;
    kctl_broker_unfenced(img, &CFG, pref, &b);      /* back, not in the ISR */
    apply_all(img, &b);
    b.n = 0;
    kmeta_ids isr = t->parts[0].isr;
    isr.id[isr.n++] = pref;
    assert_int_equal(kctl_alter_partition(img, &CFG, t->parts[0].leader, "t", 0,
                                          t->parts[0].leader_epoch,
                                          t->parts[0].partition_epoch, &isr, &b), KCTL_OK);
    apply_all(img, &b);
    b.n = 0;
    assert_int_equal(kctl_elect_preferred(img, NULL, &b, &moved, &unavailable), KCTL_OK);
    assert_true(moved >= 1);
    apply_all(img, &b);
    assert_int_equal(t->parts[0].leader, pref);
    b.n = 0;
    assert_int_equal(kctl_delete_topic(img, "nope", &b), KCTL_UNKNOWN_TOPIC_OR_PARTITION);
    assert_int_equal(kctl_delete_topic(img, "t", &b), KCTL_OK);
    assert_int_equal(b.r[0].type, KMETA_REMOVE_TOPIC);
    apply_all(img, &b);
    assert_null(kmeta_image_topic(img, "t"));
    kmeta_batch_free(&b);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* alterPartition: only the leader at the current epochs may change the
 * ISR, the leader stays in it, and fenced brokers cannot join. */
static void test_kctl_alter_partition_checks(void **state)
{
    (void)state;
    kctl_hb *hb = kctl_hb_new(KCTL_SESSION_TIMEOUT_MS * MS);
    kmeta_image *img = cluster(hb, 3);
    make_topic(img, "t", 1, 3);
    const kmeta_part *p = kmeta_image_part(img, "t", 0);
    int l = p->leader, f = p->replicas.id[0] == l ? p->replicas.id[1] : p->replicas.id[0];
    kmeta_ids isr = { 2, { l, f } };
    kmeta_batch b;
    kmeta_batch_init(&b);
    assert_int_equal(kctl_alter_partition(img, &CFG, f, "t", 0, 0, 0, &isr, &b),
                     KCTL_INVALID_REQUEST);
    assert_int_equal(kctl_alter_partition(img, &CFG, l, "t", 0, 0, 1, &isr, &b),
                     KCTL_NOT_CONTROLLER);
    kmeta_ids without = { 1, { f } };
    assert_int_equal(kctl_alter_partition(img, &CFG, l, "t", 0, 0, 0, &without, &b),
                     KCTL_INVALID_REQUEST);
    assert_int_equal(kctl_alter_partition(img, &CFG, l, "t", 0, 0, 0, &isr, &b),
                     KCTL_OK);
    assert_int_equal(b.n, 1);
    apply_all(img, &b);
    assert_int_equal(p->leader_epoch, 0);       /* shrink: no leader epoch bump */
    assert_int_equal(p->partition_epoch, 1);
    assert_int_equal(kctl_alter_partition(img, &CFG, l, "t", 0, 0, 0, &isr, &b),
                     KCTL_INVALID_UPDATE_VERSION);
    assert_int_equal(kctl_alter_partition(img, &CFG, l, "t", 0, -1, 1, &isr, &b),
                     KCTL_FENCED_LEADER_EPOCH);
    b.n = 0;
    int third = -1;
    for (int i = 0; i < 3; i++)
        if (p->replicas.id[i] != l && p->replicas.id[i] != f) third = p->replicas.id[i];
    kctl_broker_fenced(img, &CFG, third, &b);
    apply_all(img, &b);
    kmeta_ids back = { 3, { l, f, third } };
    assert_int_equal(kctl_alter_partition(img, &CFG, l, "t", 0, 0, 1, &back, &b),
                     KCTL_INELIGIBLE_REPLICA);
    kmeta_batch_free(&b);
    kmeta_image_free(img);
    kctl_hb_free(hb);
}

/* StripedReplicaPlacer without racks: partition k+1 starts one broker
 * further along the sorted ring and its replicas are consecutive (the
 * ZooKeeper-mode formula spaces followers by a random shift instead);
 * after as many partitions as unfenced brokers every broker led once. */
static void test_kctl_place_striped_single_rack(void **state)
{
    (void)state;
    kctl_usable bs[] = { { 104, NULL, false }, { 101, NULL, false },
                         { 103, NULL, false }, { 102, NULL, false } };
    const int ring[] = { 101, 102, 103, 104 };
    for (uint64_t seed = 1; seed <= 20; seed++) {
        rng r;
        rng_seed(&r, seed);
        int out[4 * 3];
        assert_int_equal(kctl_place(&r, bs, 4, 4, 3, out), KPLACE_OK);
        int led[4] = { 0 };
        int start = -1;
        for (int k = 0; k < 4; k++)
            if (ring[k] == out[0]) start = k;
        for (int p = 0; p < 4; p++) {
            for (int j = 0; j < 3; j++)
                assert_int_equal(out[p * 3 + j], ring[(start + p + j) % 4]);
            led[out[p * 3] - 101]++;
        }
        for (int k = 0; k < 4; k++) assert_int_equal(led[k], 1);
    }
}

/* With racks: every partition spans as many racks as it can, and a
 * fenced broker is never the leader. */
static void test_kctl_place_racks_and_fenced(void **state)
{
    (void)state;
    kctl_usable bs[] = {
        { 101, "a", false }, { 102, "a", false }, { 103, "b", false },
        { 104, "b", true }, { 105, "c", false }, { 106, "c", false },
    };
    const char *rack_of[] = { "a", "a", "b", "b", "c", "c" };
    rng r;
    rng_seed(&r, 11);
    int out[12 * 3];
    assert_int_equal(kctl_place(&r, bs, 6, 12, 3, out), KPLACE_OK);
    for (int p = 0; p < 12; p++) {
        assert_int_not_equal(out[p * 3], 104);
        const char *seen[3];
        for (int j = 0; j < 3; j++) {
            seen[j] = rack_of[out[p * 3 + j] - 101];
            for (int k = 0; k < j; k++) assert_string_not_equal(seen[j], seen[k]);
        }
    }
    kctl_usable fenced[] = { { 101, NULL, true }, { 102, NULL, true } };
    assert_int_equal(kctl_place(&r, fenced, 2, 1, 1, out),
                     KPLACE_INVALID_REPLICATION_FACTOR);
    assert_int_equal(kctl_place(&r, bs, 6, 1, 7, out),
                     KPLACE_INVALID_REPLICATION_FACTOR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kctl_change_elects_first_replica_in_order),
        cmocka_unit_test(test_kctl_change_lone_isr_member_stays),
        cmocka_unit_test(test_kctl_change_isr_shrink_keeps_leader_epoch),
        cmocka_unit_test(test_kctl_fenced_follower_keeps_leader_epoch),
        cmocka_unit_test(test_kctl_change_unclean),
        cmocka_unit_test(test_kctl_register_epoch_fenced_duplicate),
        cmocka_unit_test(test_kctl_heartbeat_unfences_when_caught_up),
        cmocka_unit_test(test_kctl_hb_session_runs_out_after_9000_ms),
        cmocka_unit_test(test_kctl_controlled_shutdown),
        cmocka_unit_test(test_kctl_reassignment_replicas),
        cmocka_unit_test(test_kctl_reassign_start_complete_cancel),
        cmocka_unit_test(test_kctl_reassign_waits_for_every_target_replica),
        cmocka_unit_test(test_kctl_shutdown_now_when_leading_nothing),
        cmocka_unit_test(test_kctl_fence_stale_moves_leadership),
        cmocka_unit_test(test_kctl_unfence_restores_leaderless),
        cmocka_unit_test(test_kctl_create_topic),
        cmocka_unit_test(test_kctl_create_topic_configs),
        cmocka_unit_test(test_kctl_alter_partition_checks),
        cmocka_unit_test(test_kctl_delete_and_preferred),
        cmocka_unit_test(test_kctl_place_striped_single_rack),
        cmocka_unit_test(test_kctl_place_racks_and_fenced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
