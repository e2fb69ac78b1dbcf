/* kctl_rules: what the QuorumController decides, as records (facts from
 * ClusterControlManager, ReplicationControlManager, PartitionChangeBuilder
 * and BrokerHeartbeatManager in apache/kafka 3.7). */
#include "kctl_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kctl_place.h"
#include "util.h"

const char *kctl_err_name(kctl_err e)
{
    static const char *const names[] = {
        "NONE", "STALE_BROKER_EPOCH", "BROKER_ID_NOT_REGISTERED",
        "DUPLICATE_BROKER_REGISTRATION", "TOPIC_ALREADY_EXISTS",
        "INVALID_REPLICATION_FACTOR", "INVALID_PARTITIONS",
        "UNKNOWN_TOPIC_OR_PARTITION", "FENCED_LEADER_EPOCH",
        "INVALID_UPDATE_VERSION", "INVALID_REQUEST", "INELIGIBLE_REPLICA",
        "NOT_CONTROLLER", "INVALID_REPLICA_ASSIGNMENT",
        "NO_REASSIGNMENT_IN_PROGRESS",
    };
    return (unsigned)e < sizeof names / sizeof *names ? names[e] : "UNKNOWN";
}

void kmeta_batch_init(kmeta_batch *b) { memset(b, 0, sizeof *b); }

void kmeta_batch_free(kmeta_batch *b)
{
    free(b->r);
    memset(b, 0, sizeof *b);
}

kmeta_rec *kmeta_batch_push(kmeta_batch *b, kmeta_type type)
{
    VEC_GROW(b->r, b->n, b->cap);
    kmeta_rec *r = &b->r[b->n++];
    kmeta_rec_init(r, type);
    return r;
}

bool kctl_is_active(const kmeta_image *img, int id)
{
    const kmeta_broker *b = kmeta_image_broker(img, id);
    return b && !b->fenced && !b->in_controlled_shutdown;
}

/* ---- PartitionChangeBuilder ------------------------------------------ */

typedef struct change {
    const kmeta_part *p;        /* the partition as it stands */
    kmeta_ids isr;              /* target ISR */
    kmeta_ids replicas;         /* target replicas */
    kmeta_ids removing, adding; /* target reassignment lists */
    kctl_accept_fn ok;          /* isAcceptableLeader */
    void *ctx;
} change;

static bool valid_leader(const change *c, int id)
{
    return kmeta_ids_has(&c->isr, id) && c->ok(c->ctx, id);
}

/* Returns the leader; *unclean when chosen outside the ISR. Candidates in
 * the order of the target replicas (electAnyLeader, electPreferredLeader). */
static int elect(const change *c, kctl_election e, bool *unclean)
{
    const kmeta_ids *rep = &c->replicas;
    *unclean = false;
    if (e == KCTL_ELECT_PREFERRED && rep->n > 0 && valid_leader(c, rep->id[0]))
        return rep->id[0];
    if (valid_leader(c, c->p->leader)) return c->p->leader;
    for (int i = 0; i < rep->n; i++)
        if (valid_leader(c, rep->id[i])) return rep->id[i];
    if (e == KCTL_ELECT_UNCLEAN)
        for (int i = 0; i < rep->n; i++)
            if (c->ok(c->ctx, rep->id[i])) {
                *unclean = true;
                return rep->id[i];
            }
    return KMETA_NO_LEADER;
}

/* Does a contain every member of b? */
static bool contains_all(const kmeta_ids *a, const kmeta_ids *b)
{
    for (int i = 0; i < b->n; i++)
        if (!kmeta_ids_has(a, b->id[i])) return false;
    return true;
}

/* a without the members of b, in a's order. */
static kmeta_ids without(const kmeta_ids *a, const kmeta_ids *b)
{
    kmeta_ids o = { 0 };
    for (int i = 0; i < a->n; i++)
        if (!kmeta_ids_has(b, a->id[i])) o.id[o.n++] = a->id[i];
    return o;
}

/* completeReassignmentIfNeeded (PartitionReassignmentReplicas.maybeComplete-
 * Reassignment): a reassignment is over once the ISR without the removing
 * replicas is not empty and holds every remaining target replica (Kafka
 * 3.8 and later, KAFKA-15665; 3.7 asked only for the adding ones): the
 * replicas and the ISR lose the removing ones, the lists empty. */
static void complete_reassignment(change *c)
{
    if (c->removing.n <= 0 && c->adding.n <= 0) return;
    kmeta_ids isr = without(&c->isr, &c->removing);
    kmeta_ids rep = without(&c->replicas, &c->removing);
    if (isr.n == 0 || rep.n == 0 || !contains_all(&isr, &rep)) return;
    c->isr = isr;
    c->replicas = rep;
    c->removing.n = c->adding.n = 0;
}

bool kctl_partition_build(kmeta_uuid topic_id, int partition, const kmeta_part *p,
                          const kctl_target *t, kmeta_rec *out)
{
    change c = { p, t->isr ? *t->isr : p->isr, t->replicas ? *t->replicas : p->replicas,
                 t->removing ? *t->removing : p->removing,
                 t->adding ? *t->adding : p->adding, t->ok, t->ctx };
    kmeta_rec_init(out, KMETA_PARTITION_CHANGE);
    out->topic_id = topic_id;
    out->partition = partition;
    complete_reassignment(&c);
    bool unclean;
    int leader = elect(&c, t->election, &unclean);
    if (leader != p->leader) {
        out->leader = leader;
        if (unclean) {
            /* the ISR is forced to the new leader alone: data may be lost */
            kmeta_ids_set(&out->isr, &leader, 1);
            if (p->leader_recovery != 1) out->leader_recovery = 1;
        }
    }
    /* triggerLeaderEpochBumpIfNeeded: a replica list that lost a member
     * bumps the leader epoch (the same leader set again); an ISR that lost
     * one does not, since metadata.version 3.6-IV0 (KAFKA-15021: only
     * older brokers needed the bump, isLeaderEpochBumpRequiredOnIsrShrink).
     * The partition epoch goes up with every record all the same. */
    if (out->leader == KMETA_NO_LEADER_CHANGE && !contains_all(&c.replicas, &p->replicas))
        out->leader = p->leader;
    if (out->isr.n < 0 && c.isr.n > 0 && !kmeta_ids_equal(&c.isr, &p->isr))
        out->isr = c.isr;
    /* setAssignmentChanges */
    if (c.replicas.n > 0 && !kmeta_ids_equal(&c.replicas, &p->replicas))
        out->replicas = c.replicas;
    if (!kmeta_ids_equal(&c.removing, &p->removing)) out->removing = c.removing;
    if (!kmeta_ids_equal(&c.adding, &p->adding)) out->adding = c.adding;
    return out->isr.n >= 0 || out->leader != KMETA_NO_LEADER_CHANGE ||
           out->leader_recovery >= 0 || out->replicas.n >= 0 ||
           out->removing.n >= 0 || out->adding.n >= 0;
}

bool kctl_partition_change(kmeta_uuid topic_id, int partition,
                           const kmeta_part *p, const kmeta_ids *target_isr,
                           kctl_election e, kctl_accept_fn ok, void *ctx,
                           kmeta_rec *out)
{
    kctl_target t = { target_isr, NULL, NULL, NULL, e, ok, ctx };
    return kctl_partition_build(topic_id, partition, p, &t, out);
}

/* ---- fencing and unfencing ------------------------------------------- */

/* generateLeaderAndIsrUpdates' isAcceptableLeader. */
typedef struct accept_ctx {
    const kmeta_image *img;
    int remove, add;            /* never / always acceptable, -1 none */
} accept_ctx;

static bool acceptable(void *ctx, int id)
{
    const accept_ctx *a = ctx;
    return id != a->remove && (id == a->add || kctl_is_active(a->img, id));
}

bool kctl_topic_unclean(const kmeta_image *img, const kctl_cfg *cfg,
                        const char *name)
{
    const char *v = kmeta_image_topic_config(img, name,
                                             "unclean.leader.election.enable");
    return v ? strcmp(v, "true") == 0 : cfg->unclean;
}

static kctl_election election_of(const kmeta_image *img, const kctl_cfg *cfg,
                                 const char *topic)
{
    return kctl_topic_unclean(img, cfg, topic) ? KCTL_ELECT_UNCLEAN
                                               : KCTL_ELECT_ONLINE;
}

/* Every partition with `remove` in its ISR (remove >= 0), or without a
 * leader (remove < 0): one change each, in image order. */
static void leader_and_isr_updates(const kmeta_image *img, const kctl_cfg *cfg,
                                   int remove, int add, kmeta_batch *out)
{
    accept_ctx a = { img, remove, add };
    for (int t = 0; t < kmeta_image_ntopics(img); t++) {
        const kmeta_topic *topic = kmeta_image_topic_at(img, t);
        for (int i = 0; i < topic->nparts; i++) {
            const kmeta_part *p = &topic->parts[i];
            if (p->replicas.n <= 0) continue;
            if (remove >= 0 ? !kmeta_ids_has(&p->isr, remove)
                            : p->leader != KMETA_NO_LEADER)
                continue;
            kmeta_ids isr = { 0 };
            for (int k = 0; k < p->isr.n; k++)
                if (p->isr.id[k] != remove) isr.id[isr.n++] = p->isr.id[k];
            kmeta_rec rec;
            if (kctl_partition_change(topic->id, i, p, &isr,
                                      election_of(img, cfg, topic->name),
                                      acceptable, &a, &rec))
                *kmeta_batch_push(out, KMETA_PARTITION_CHANGE) = rec;
        }
    }
}

static void push_fencing(const kctl_cfg *cfg, const kmeta_broker *b, bool fence,
                         kmeta_batch *out)
{
    kmeta_rec *r;
    if (cfg->reg_change_records) {
        r = kmeta_batch_push(out, KMETA_BROKER_REG_CHANGE);
        r->fencing_change = fence ? 1 : -1;
    } else {
        r = kmeta_batch_push(out, fence ? KMETA_FENCE_BROKER : KMETA_UNFENCE_BROKER);
    }
    r->broker_id = b->id;
    r->broker_epoch = b->epoch;
}

void kctl_broker_fenced(const kmeta_image *img, const kctl_cfg *cfg, int id,
                        kmeta_batch *out)
{
    const kmeta_broker *b = kmeta_image_broker(img, id);
    QL_ASSERT(b);
    leader_and_isr_updates(img, cfg, id, -1, out);
    push_fencing(cfg, b, true, out);
}

void kctl_broker_unfenced(const kmeta_image *img, const kctl_cfg *cfg, int id,
                          kmeta_batch *out)
{
    const kmeta_broker *b = kmeta_image_broker(img, id);
    QL_ASSERT(b);
    push_fencing(cfg, b, false, out);
    leader_and_isr_updates(img, cfg, -1, id, out);
}

int kctl_fence_stale(const kmeta_image *img, kctl_hb *hb, const kctl_cfg *cfg,
                     uint64_t now_us, kmeta_batch *out)
{
    int id = kctl_hb_stale(hb, now_us);
    if (id < 0) return -1;
    kctl_hb_fence(hb, id);
    const kmeta_broker *b = kmeta_image_broker(img, id);
    if (!b || b->fenced) return -1;             /* fenced in the log already */
    kctl_broker_fenced(img, cfg, id, out);
    return id;
}

/* ---- registration and heartbeats ------------------------------------- */

kctl_err kctl_register(const kmeta_image *img, kctl_hb *hb,
                       const kctl_reg_req *req, int64_t next_offset,
                       uint64_t now_us, kmeta_batch *out, int64_t *epoch_out)
{
    const kmeta_broker *old = kmeta_image_broker(img, req->broker_id);
    bool same = old && old->incarnation.hi == req->incarnation.hi &&
                old->incarnation.lo == req->incarnation.lo;
    if (old && !same) {
        if (kctl_hb_valid_session(hb, req->broker_id, now_us))
            return KCTL_DUPLICATE_BROKER_REGISTRATION;
        kctl_hb_remove(hb, req->broker_id);
    }
    kmeta_rec *r = kmeta_batch_push(out, KMETA_REGISTER_BROKER);
    r->broker_id = req->broker_id;
    r->incarnation = req->incarnation;
    r->broker_epoch = next_offset;
    snprintf(r->rack, sizeof r->rack, "%s", req->rack ? req->rack : "");
    r->fenced = true;
    /* register(): a new entry starts fenced; an old one keeps its time */
    if (!old || !same) kctl_hb_touch(hb, req->broker_id, true, now_us, -1);
    if (epoch_out) *epoch_out = next_offset;
    return KCTL_OK;
}

void kctl_broker_in_controlled_shutdown(const kmeta_image *img,
                                        const kctl_cfg *cfg, int id,
                                        kmeta_batch *out)
{
    const kmeta_broker *b = kmeta_image_broker(img, id);
    QL_ASSERT(b);
    if (cfg->cs_records && !b->in_controlled_shutdown) {
        kmeta_rec *r = kmeta_batch_push(out, KMETA_BROKER_REG_CHANGE);
        r->broker_id = b->id;
        r->broker_epoch = b->epoch;
        r->fencing_change = 0;
        r->in_controlled_shutdown = 1;
    }
    leader_and_isr_updates(img, cfg, id, -1, out);
}

bool kctl_has_leaderships(const kmeta_image *img, int id)
{
    for (int t = 0; t < kmeta_image_ntopics(img); t++) {
        const kmeta_topic *topic = kmeta_image_topic_at(img, t);
        for (int i = 0; i < topic->nparts; i++)
            if (topic->parts[i].replicas.n > 0 && topic->parts[i].leader == id)
                return true;
    }
    return false;
}

typedef enum bstate { B_FENCED, B_UNFENCED, B_CONTROLLED_SHUTDOWN, B_SHUTDOWN_NOW } bstate;

/* calculateNextBrokerState */
static bstate next_state(const kmeta_image *img, const kctl_hb *hb, bstate cur,
                         const kctl_hb_req *req, bool caught_up)
{
    switch (cur) {
    case B_FENCED:
        if (req->want_shutdown) return B_SHUTDOWN_NOW;
        return !req->want_fence && caught_up ? B_UNFENCED : B_FENCED;
    case B_UNFENCED:
        if (req->want_fence) return req->want_shutdown ? B_SHUTDOWN_NOW : B_FENCED;
        if (req->want_shutdown)
            return kctl_has_leaderships(img, req->broker_id) ? B_CONTROLLED_SHUTDOWN
                                                             : B_SHUTDOWN_NOW;
        return B_UNFENCED;
    case B_CONTROLLED_SHUTDOWN:
        if (kctl_has_leaderships(img, req->broker_id)) return B_CONTROLLED_SHUTDOWN;
        /* every active broker has applied the records that moved its
         * leaderships: none will still send it fetches as its leader */
        return kctl_hb_shutdown_offset(hb, req->broker_id) <=
               kctl_hb_lowest_active_offset(hb) ? B_SHUTDOWN_NOW : B_CONTROLLED_SHUTDOWN;
    default:
        return B_SHUTDOWN_NOW;
    }
}

kctl_err kctl_heartbeat(const kmeta_image *img, kctl_hb *hb,
                        const kctl_cfg *cfg, const kctl_hb_req *req,
                        uint64_t now_us, kmeta_batch *out,
                        kctl_hb_reply *reply)
{
    const kmeta_broker *b = kmeta_image_broker(img, req->broker_id);
    if (!b) return KCTL_BROKER_ID_NOT_REGISTERED;
    if (b->epoch != req->broker_epoch) return KCTL_STALE_BROKER_EPOCH;
    bool caught_up = req->metadata_offset >= b->reg_offset;
    bstate cur = kctl_hb_shutting_down(hb, b->id) ? B_CONTROLLED_SHUTDOWN
               : b->fenced ? B_FENCED : B_UNFENCED;
    bstate next = next_state(img, hb, cur, req, caught_up);
    if (next != cur) {
        switch (next) {
        case B_UNFENCED: kctl_broker_unfenced(img, cfg, b->id, out); break;
        case B_CONTROLLED_SHUTDOWN:
            kctl_broker_in_controlled_shutdown(img, cfg, b->id, out);
            break;
        default:    /* FENCED, SHUTDOWN_NOW: even a fenced broker's stop
                       writes its fencing again, as handleBrokerFenced does */
            kctl_broker_fenced(img, cfg, b->id, out);
            break;
        }
    }
    bool fenced = next == B_FENCED || next == B_SHUTDOWN_NOW;
    kctl_hb_touch(hb, b->id, fenced, now_us, req->metadata_offset);
    reply->caught_up = caught_up;
    reply->fenced = fenced;
    reply->in_controlled_shutdown = next == B_CONTROLLED_SHUTDOWN;
    reply->shutdown_now = next == B_SHUTDOWN_NOW;
    return KCTL_OK;
}

/* ---- topics and ISR changes ------------------------------------------ */

static kmeta_uuid random_uuid(rng *r)
{
    kmeta_uuid u = { rng_next(r), rng_next(r) };
    /* version 4, IETF variant, as Uuid.randomUuid (java.util.UUID) */
    u.hi = (u.hi & ~0xf000ULL) | 0x4000ULL;
    u.lo = (u.lo & ~(3ULL << 62)) | (2ULL << 62);
    return u;
}

static void push_config(kmeta_batch *out, const char *topic, const char *key,
                        const char *value)
{
    kmeta_rec *c = kmeta_batch_push(out, KMETA_CONFIG);
    c->resource_type = KMETA_RESOURCE_TOPIC;
    snprintf(c->topic, sizeof c->topic, "%s", topic);
    snprintf(c->conf_name, sizeof c->conf_name, "%s", key);
    snprintf(c->conf_value, sizeof c->conf_value, "%s", value);
}

kctl_err kctl_create_topic(const kmeta_image *img, rng *r, const char *name,
                           int partitions, int rf, int min_isr, int unclean,
                           kmeta_batch *out)
{
    if (kmeta_image_topic(img, name)) return KCTL_TOPIC_ALREADY_EXISTS;
    if (rf < 1) return KCTL_INVALID_REPLICATION_FACTOR;
    if (partitions < 1) return KCTL_INVALID_PARTITIONS;
    if (rf > KMETA_MAX_REPLICAS) return KCTL_INVALID_REPLICATION_FACTOR;
    int n = kmeta_image_nbrokers(img);
    kctl_usable *us = xcalloc((size_t)n + 1, sizeof *us);
    for (int i = 0; i < n; i++) {
        const kmeta_broker *b = kmeta_image_broker_at(img, i);
        us[i] = (kctl_usable){ b->id, b->rack, b->fenced };
    }
    int *place = xcalloc((size_t)partitions * (size_t)rf, sizeof(int));
    kctl_place_err pe = kctl_place(r, us, n, partitions, rf, place);
    free(us);
    if (pe != KPLACE_OK) {
        free(place);
        return KCTL_INVALID_REPLICATION_FACTOR;
    }
    if (min_isr > 0) {
        char v[16];
        snprintf(v, sizeof v, "%d", min_isr);
        push_config(out, name, "min.insync.replicas", v);
    }
    if (unclean >= 0)
        push_config(out, name, "unclean.leader.election.enable",
                    unclean ? "true" : "false");
    kmeta_rec *t = kmeta_batch_push(out, KMETA_TOPIC);
    snprintf(t->topic, sizeof t->topic, "%s", name);
    t->topic_id = random_uuid(r);
    kmeta_uuid id = t->topic_id;
    for (int p = 0; p < partitions; p++) {
        kmeta_rec *pr = kmeta_batch_push(out, KMETA_PARTITION);
        pr->topic_id = id;
        pr->partition = p;
        kmeta_ids_set(&pr->replicas, place + (size_t)p * rf, rf);
        pr->isr.n = 0;
        for (int j = 0; j < rf; j++)
            if (kctl_is_active(img, pr->replicas.id[j]))
                pr->isr.id[pr->isr.n++] = pr->replicas.id[j];
        pr->leader = pr->isr.id[0];     /* the placer's leader is unfenced */
        pr->leader_epoch = 0;
        pr->partition_epoch = 0;
    }
    free(place);
    return KCTL_OK;
}

static bool accept_active(void *ctx, int id)
{
    return kctl_is_active(ctx, id);
}

kctl_err kctl_delete_topic(const kmeta_image *img, const char *name,
                           kmeta_batch *out)
{
    const kmeta_topic *t = kmeta_image_topic(img, name);
    if (!t) return KCTL_UNKNOWN_TOPIC_OR_PARTITION;
    kmeta_batch_push(out, KMETA_REMOVE_TOPIC)->topic_id = t->id;
    return KCTL_OK;
}

static void preferred_topic(const kmeta_image *img, const kmeta_topic *t,
                            kmeta_batch *out, int *moved, int *unavailable)
{
    for (int p = 0; p < t->nparts; p++) {
        const kmeta_part *pp = &t->parts[p];
        if (pp->replicas.n <= 0 || pp->leader == pp->replicas.id[0]) continue;
        kmeta_rec rec;
        if (kctl_partition_change(t->id, p, pp, NULL, KCTL_ELECT_PREFERRED,
                                  accept_active, (void *)img, &rec)) {
            *kmeta_batch_push(out, KMETA_PARTITION_CHANGE) = rec;
            (*moved)++;
        } else {
            (*unavailable)++;
        }
    }
}

kctl_err kctl_elect_preferred(const kmeta_image *img, const char *name,
                              kmeta_batch *out, int *moved, int *unavailable)
{
    *moved = *unavailable = 0;
    if (name) {
        const kmeta_topic *t = kmeta_image_topic(img, name);
        if (!t) return KCTL_UNKNOWN_TOPIC_OR_PARTITION;
        preferred_topic(img, t, out, moved, unavailable);
        return KCTL_OK;
    }
    for (int i = 0; i < kmeta_image_ntopics(img); i++)
        preferred_topic(img, kmeta_image_topic_at(img, i), out, moved, unavailable);
    return KCTL_OK;
}

kctl_err kctl_alter_partition(const kmeta_image *img, const kctl_cfg *cfg,
                              int from, const char *topic, int partition,
                              int leader_epoch, int partition_epoch,
                              const kmeta_ids *new_isr, kmeta_batch *out)
{
    const kmeta_topic *t = kmeta_image_topic(img, topic);
    const kmeta_part *p = kmeta_image_part(img, topic, partition);
    if (!p) return KCTL_UNKNOWN_TOPIC_OR_PARTITION;
    if (leader_epoch > p->leader_epoch || partition_epoch > p->partition_epoch)
        return KCTL_NOT_CONTROLLER;
    if (leader_epoch < p->leader_epoch) return KCTL_FENCED_LEADER_EPOCH;
    if (from != p->leader) return KCTL_INVALID_REQUEST;
    if (partition_epoch < p->partition_epoch) return KCTL_INVALID_UPDATE_VERSION;
    if (new_isr->n < 1 || !contains_all(&p->replicas, new_isr) ||
        !kmeta_ids_has(new_isr, p->leader))
        return KCTL_INVALID_REQUEST;
    for (int i = 0; i < new_isr->n; i++)
        if (!kctl_is_active(img, new_isr->id[i])) return KCTL_INELIGIBLE_REPLICA;
    kmeta_rec rec;
    if (kctl_partition_change(t->id, partition, p, new_isr,
                              election_of(img, cfg, topic),
                              accept_active, (void *)img, &rec))
        *kmeta_batch_push(out, KMETA_PARTITION_CHANGE) = rec;
    return KCTL_OK;
}

/* ---- reassignment (KIP-455) ------------------------------------------ */

/* validateManualPartitionAssignment: not empty, every broker registered,
 * none twice. */
static bool valid_assignment(const kmeta_image *img, const kmeta_ids *target)
{
    if (target->n < 1 || target->n > KMETA_MAX_REPLICAS) return false;
    for (int i = 0; i < target->n; i++) {
        if (!kmeta_image_broker(img, target->id[i])) return false;
        for (int j = 0; j < i; j++)
            if (target->id[j] == target->id[i]) return false;
    }
    return true;
}

/* a without b's members, ascending (calculateDifference: a TreeSet). */
static kmeta_ids sorted_diff(const kmeta_ids *a, const kmeta_ids *b)
{
    kmeta_ids o = without(a, b);
    for (int i = 1; i < o.n; i++)
        for (int j = i; j > 0 && o.id[j - 1] > o.id[j]; j--) {
            int x = o.id[j];
            o.id[j] = o.id[j - 1];
            o.id[j - 1] = x;
        }
    return o;
}

void kctl_reassignment_replicas(const kmeta_ids *current, const kmeta_ids *target,
                                kmeta_ids *replicas, kmeta_ids *adding,
                                kmeta_ids *removing)
{
    *removing = sorted_diff(current, target);
    *adding = sorted_diff(target, current);
    *replicas = *target;
    for (int i = 0; i < removing->n && replicas->n < KMETA_MAX_REPLICAS; i++)
        replicas->id[replicas->n++] = removing->id[i];
}

/* changePartitionReassignment: the record that starts (or replaces) a
 * reassignment; it may complete at once (nothing to add, or every target
 * replica already in the ISR). Lists left unset when empty, as Kafka's. */
static void change_reassignment(const kmeta_image *img, const kmeta_topic *t, int p,
                                const kmeta_ids *target, kmeta_batch *out)
{
    const kmeta_part *part = &t->parts[p];
    kmeta_ids replicas, adding, removing;
    kctl_reassignment_replicas(&part->replicas, target, &replicas, &adding, &removing);
    kctl_target tg = { NULL, NULL, NULL, NULL, KCTL_ELECT_ONLINE, accept_active,
                       (void *)img };
    if (!kmeta_ids_equal(&replicas, &part->replicas)) tg.replicas = &replicas;
    if (removing.n > 0) tg.removing = &removing;
    if (adding.n > 0) tg.adding = &adding;
    kmeta_rec rec;
    if (kctl_partition_build(t->id, p, part, &tg, &rec))
        *kmeta_batch_push(out, KMETA_PARTITION_CHANGE) = rec;
}

/* cancelPartitionReassignment with PartitionReassignmentRevert: the
 * replicas and ISR without the adding ones; an ISR left empty takes the
 * first remaining replica, an unclean election refused unless the topic
 * allows one. */
static kctl_err cancel_reassignment(const kmeta_image *img, const kctl_cfg *cfg,
                                    const kmeta_topic *t, int p, kmeta_batch *out)
{
    const kmeta_part *part = &t->parts[p];
    if (part->removing.n <= 0 && part->adding.n <= 0)
        return KCTL_NO_REASSIGNMENT_IN_PROGRESS;
    kmeta_ids replicas = without(&part->replicas, &part->adding);
    kmeta_ids isr = without(&part->isr, &part->adding);
    if (replicas.n == 0) return KCTL_INVALID_REPLICA_ASSIGNMENT;
    bool unclean = kctl_topic_unclean(img, cfg, t->name);
    if (isr.n == 0) {
        if (!unclean) return KCTL_INVALID_REPLICA_ASSIGNMENT;
        kmeta_ids_set(&isr, replicas.id, 1);
    }
    kmeta_ids none = { 0 };
    kctl_target tg = { &isr, &replicas, &none, &none,
                       unclean ? KCTL_ELECT_UNCLEAN : KCTL_ELECT_ONLINE,
                       accept_active, (void *)img };
    kmeta_rec rec;
    if (kctl_partition_build(t->id, p, part, &tg, &rec))
        *kmeta_batch_push(out, KMETA_PARTITION_CHANGE) = rec;
    return KCTL_OK;
}

kctl_err kctl_reassign(const kmeta_image *img, const kctl_cfg *cfg, const char *topic,
                       int partition, const kmeta_ids *target, kmeta_batch *out)
{
    const kmeta_topic *t = kmeta_image_topic(img, topic);
    if (!t || partition < 0 || partition >= t->nparts ||
        t->parts[partition].replicas.n <= 0)
        return KCTL_UNKNOWN_TOPIC_OR_PARTITION;
    if (!target) return cancel_reassignment(img, cfg, t, partition, out);
    if (!valid_assignment(img, target)) return KCTL_INVALID_REPLICA_ASSIGNMENT;
    change_reassignment(img, t, partition, target, out);
    return KCTL_OK;
}
