/* kafka_broker_kraft: a broker in KRaft mode (process.roles=broker). The
 * same broker, with its metadata from the __cluster_metadata log instead
 * of ZooKeeper and the controller's LeaderAndIsr/UpdateMetadata: it
 * fetches the log as a Raft observer and applies it to its image
 * (BrokerMetadataListener), then publishes what changed to its metadata
 * cache and replicas (BrokerMetadataPublisher); it registers with the
 * active controller and heartbeats every broker.heartbeat.interval.ms
 * (BrokerLifecycleManager); AlterIsr goes to the active controller, and a
 * client's CreateTopics is forwarded there (KIP-590). */
#include "kafka_int.h"
#include "kctl_ctrl.h"
#include "kctl_proto.h"
#include "kmeta_image.h"
#include "raft.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KBK_FWD_MAX 32          /* admin requests forwarded at once */
/* BrokerServer: the forwarding channel gives up on a request after
 * retryTimeoutMs 60000, however often it was sent again */
#define KBK_FWD_RETRY_MS 60000

/* A request forwarded to the controller (NodeToControllerQueueItem): sent
 * to the active controller the Raft client knows, sent again to the one
 * it knows then after a disconnect, a NOT_CONTROLLER answer or the
 * request timeout (NodeToControllerRequestThread.handleResponse). */
typedef struct kbk_fwd {
    int client;                 /* node that asked, -1 free */
    uint64_t client_corr;       /* its request id */
    uint64_t corr;              /* ours to the controller, of the last send */
    int to;                     /* controller node it awaits, -1 queued */
    uint64_t created_us;        /* when the client's request came */
    uint64_t sent_us;
    uint8_t *req;               /* the request after its id (owned) */
    size_t len;
} kbk_fwd;

struct kbk {
    raft *r;                    /* observer of __cluster_metadata */
    kmeta_image *img;           /* the log applied so far */
    int nctl;
    int ctl_ids[RAFT_VOTERS_MAX], ctl_nodes[RAFT_VOTERS_MAX];
    kmeta_uuid incarnation;     /* drawn at each process start */
    int64_t epoch;              /* broker epoch, -1 before registration */
    bool fenced;                /* as the last heartbeat answer said */
    bool running;               /* unfenced once (BrokerState.RUNNING) */
    bool cs_answered;           /* a controlled shutdown heartbeat was
                                   answered "not yet" */
    bool publish_due;           /* a publish timer is set */
    bool catching_up;           /* nothing published since the start yet */
    uint64_t tick_timer;
    uint64_t corr;
    uint64_t corr_at_stop;      /* voids an earlier stop's timeout */
    kbk_fwd fwd[KBK_FWD_MAX];
    rng ctrl_pick;              /* Metadata's controller id: a stream of its
                                   own, so answering draws nothing from the
                                   node's (the observer's fetch targets) */
};

static int ctl_node_of(const kbk *k, int id)
{
    for (int i = 0; i < k->nctl; i++)
        if (k->ctl_ids[i] == id) return k->ctl_nodes[i];
    return -1;
}

/* --- publishing the image (BrokerMetadataPublisher) --- */

/* The live list a Metadata answer carries: registered, unfenced brokers. */
static void publish_brokers(kafka_broker *b, const kmeta_image *img)
{
    free(b->live);
    b->live = NULL;
    b->nlive = b->caplive = 0;
    for (int i = 0; i < kmeta_image_nbrokers(img); i++) {
        const kmeta_broker *kb = kmeta_image_broker_at(img, i);
        if (kb->fenced) continue;
        char name[16];
        snprintf(name, sizeof name, "%d", kb->id);
        VEC_GROW(b->live, b->nlive, b->caplive);
        klive *l = &b->live[b->nlive++];
        memset(l, 0, sizeof *l);
        l->id = kb->id;
        l->node = sim_find_node(b->s, name);
        snprintf(l->rack, sizeof l->rack, "%.23s", kb->rack);
    }
    kb_live_reindex(b);
}

static int conf_int(const kmeta_image *img, const char *topic, const char *key,
                    int dflt)
{
    const char *v = kmeta_image_topic_config(img, topic, key);
    return v ? atoi(v) : dflt;
}

/* ReplicaManager.applyLocalFollowersDelta: in controlled shutdown a
 * follower whose partition has no leader, or whose ISR no longer holds
 * this broker, stops fetching (it would only ask to rejoin the ISR of a
 * broker that is leaving). */
static void stop_in_shutdown(kafka_broker *b, ktopic *t, int p, const kmeta_part *mp)
{
    if (!b->stopping || mp->leader == b->id) return;
    if (mp->leader >= 0 && kmeta_ids_has(&mp->isr, b->id)) return;
    kreplica *rep = kb_topic_rep(t, p);
    if (rep) kr_stop(b, rep);
}

/* A replica here that the partition's replicas no longer name (a
 * reassignment removed it): stopped and its log deleted, as the
 * publisher's local deletes (ReplicaManager.stopPartitions, delete). */
static void drop_unassigned(kafka_broker *b, ktopic *t, int p)
{
    kreplica *rep = kb_topic_rep(t, p);
    if (!rep) return;
    kr_stop(b, rep);
    kb_replica_drop(t, p);
    b->rep_gen++;
}

/* Partition.makeLeader / makeFollower as ReplicaManager.applyDelta calls
 * them (Kafka 3.7), where ZooKeeper mode takes a LeaderAndIsr
 * (kb_partition_state): a state of an older partition epoch than the
 * replica's is skipped; one of the leader epoch it already leads or
 * follows in (isNewLeaderEpoch false: an ISR change, a reassignment step)
 * updates the assignment and ISR only (updateAssignmentAndIsr), so a
 * leader keeps its followers' state and its epoch's start and may move
 * its high watermark, and a follower goes on fetching; a new leader epoch
 * makes it lead or follow anew. */
static void apply_partition(kafka_broker *b, ktopic *t, int p, const kafka_pstate *st)
{
    t->meta[p] = kmeta_set(t->meta[p], st);
    kreplica *rep = kb_replica_make(t, p);
    bool live = rep->leader || rep->follower;
    if (live && st->zk_version < rep->st.zk_version) return;   /* stale */
    bool same = live && st->leader_epoch == rep->st.leader_epoch;
    rep->st = *st;
    if (same) kr_update_assignment(b, rep);
    else if (st->leader == b->id) kr_become_leader(b, rep);
    else kr_become_follower(b, rep);
}

static void publish_topic(kafka_broker *b, const kmeta_image *img,
                          const kmeta_topic *mt)
{
    ktopic *t = kb_topic_make(b, mt->name, mt->id.hi ^ mt->id.lo, mt->nparts);
    t->min_isr = conf_int(img, mt->name, "min.insync.replicas", b->cfg.min_isr);
    const char *u = kmeta_image_topic_config(img, mt->name,
                                             "unclean.leader.election.enable");
    t->unclean = u ? strcmp(u, "true") == 0 : b->cfg.unclean;
    for (int p = 0; p < mt->nparts; p++) {
        const kmeta_part *mp = &mt->parts[p];
        if (mp->replicas.n <= 0) continue;
        kafka_pstate st;
        kctl_pstate_of(mp, &st);
        const kafka_pstate *old = kmeta_get(t->meta[p]);
        if (old->nrep && old->zk_version == st.zk_version &&
            old->leader_epoch == st.leader_epoch)
            continue;                           /* published already */
        if (kmeta_ids_has(&mp->replicas, b->id)) {
            apply_partition(b, t, p, &st);
            stop_in_shutdown(b, t, p, mp);
        } else {
            t->meta[p] = kmeta_set(t->meta[p], &st);
            drop_unassigned(b, t, p);
        }
    }
}

/* A topic gone from the image (RemoveTopicRecord): its replicas here stop
 * and are deleted, its metadata goes (ReplicaManager.stopPartitions with
 * delete, as the publisher does for deleted topics). */
static void publish_deletions(kafka_broker *b, const kmeta_image *img)
{
    for (int i = 0; i < b->ntopics; i++) {
        ktopic *t = b->topics[i];
        const kmeta_topic *mt = kmeta_image_topic(img, t->name);
        if (t->deleted || (mt && (mt->id.hi ^ mt->id.lo) == t->id)) continue;
        while (t->held > 0) {
            kreplica *rep = t->lr[0];
            kr_stop(b, rep);
            kb_replica_drop(t, rep->p);
        }
        for (int p = 0; p < t->nparts; p++)
            t->meta[p] = kmeta_set(t->meta[p], &(kafka_pstate){ 0 });
        t->deleted = true;
        b->rep_gen++;
    }
}

/* MetadataLoader.stillNeedToCatchUp: after a start nothing is published
 * until the log is applied up to the high watermark the leader gave: an
 * image half replayed lacks the topics of the other half, and the
 * publisher would stop and delete their replicas here as if the topics
 * were gone (their logs lost). */
static bool still_catching_up(kbk *k)
{
    if (!k->catching_up) return false;
    raft_info ri;
    raft_info_get(k->r, &ri);
    if (ri.high_watermark < 0 || ri.applied < ri.high_watermark) return true;
    k->catching_up = false;
    return false;
}

#define KBK_CATCH_UP_RETRY_US 100000    /* scheduleInitializeNewPublishers(100 ms) */

static void publish(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    (void)arg;
    kbk *k = b->kraft;
    if (still_catching_up(k)) {   /* look again; publish_due stays set */
        sim_timer(b->s, b->node, KBK_CATCH_UP_RETRY_US, publish, 0);
        return;
    }
    k->publish_due = false;
    publish_brokers(b, k->img);
    publish_deletions(b, k->img);
    for (int i = 0; i < kmeta_image_ntopics(k->img); i++)
        publish_topic(b, k->img, kmeta_image_topic_at(k->img, i));
}

static void on_commit(void *ctx, int64_t offset, int32_t epoch,
                      const uint8_t *data, size_t len)
{
    kafka_broker *b = ctx;
    kbk *k = b->kraft;
    kmeta_rec rec;
    char err[160] = "undecodable";
    if (!kmeta_rec_decode(data, len, &rec) ||
        !kmeta_image_apply(k->img, &rec, offset, err, sizeof err))
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, (uint64_t)offset, 0,
                   "%d: metadata record at %lld: %s", b->id, (long long)offset, err);
    /* one publish per batch of records, as the publisher runs per batch:
     * a restart's replay never publishes a stale intermediate state */
    if (!k->publish_due) {
        k->publish_due = true;
        sim_timer(b->s, b->node, 0, publish, 0);
    }
}

/* Brokers take snapshots too (BrokerServer runs a SnapshotGenerator):
 * of their image, as records. */
static void on_snapshot_write(void *ctx, wbuf *out)
{
    kafka_broker *b = ctx;
    kmeta_image_write(b->kraft->img, out);
}

/* A snapshot replaces the image, published as one batch. */
static void on_snapshot_load(void *ctx, int64_t end_offset, const uint8_t *data, size_t len)
{
    kafka_broker *b = ctx;
    kbk *k = b->kraft;
    char err[160] = "";
    kmeta_image *img = kmeta_image_read(data, len, end_offset, err, sizeof err);
    if (!img) {
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, (uint64_t)end_offset, 0,
                   "%d: metadata snapshot at %lld: %s", b->id, (long long)end_offset, err);
        return;
    }
    kmeta_image_free(k->img);
    k->img = img;
    if (!k->publish_due) {
        k->publish_due = true;
        sim_timer(b->s, b->node, 0, publish, 0);
    }
}

int kbk_broker_node(const kafka_broker *b, int id)
{
    if (!kmeta_image_broker(b->kraft->img, id)) return -1;
    char name[16];
    snprintf(name, sizeof name, "%d", id);
    return sim_find_node(b->s, name);
}

bool kbk_isr_eligible(const kafka_broker *b, int id)
{
    const kmeta_broker *kb = kmeta_image_broker(b->kraft->img, id);
    return kb && !kb->fenced && !kb->in_controlled_shutdown;
}

/* --- registration and heartbeats (BrokerLifecycleManager) --- */

static void send_registration(kafka_broker *b)
{
    kbk *k = b->kraft;
    if (b->ctrl_node < 0) return;
    kctl_reg_msg m = { 0 };
    m.corr = ++k->corr;
    m.broker_id = b->id;
    m.incarnation = k->incarnation;
    snprintf(m.rack, sizeof m.rack, "%s", b->rack);
    wbuf w;
    wbuf_init(&w);
    kctl_reg_write(&w, &m);
    kb_send(b, b->ctrl_node, KCTL_MSG_REGISTER, &w);
    wbuf_free(&w);
}

static void send_heartbeat(kafka_broker *b)
{
    kbk *k = b->kraft;
    if (b->ctrl_node < 0) return;
    kctl_hb_msg m = { 0 };
    m.corr = ++k->corr;
    m.broker_id = b->id;
    m.broker_epoch = k->epoch;
    m.metadata_offset = kmeta_image_offset(k->img);
    m.want_shutdown = b->stopping;
    wbuf w;
    wbuf_init(&w);
    kctl_hb_write(&w, &m);
    kb_send(b, b->ctrl_node, KCTL_MSG_HEARTBEAT, &w);
    wbuf_free(&w);
}

/* Every broker.heartbeat.interval.ms: a heartbeat once registered, the
 * registration again until then. */
static void tick(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    (void)arg;
    kbk *k = b->kraft;
    if (k->epoch < 0) send_registration(b);
    else send_heartbeat(b);
    k->tick_timer = sim_timer(b->s, b->node, (uint64_t)b->cfg.heartbeat_ms * 1000,
                              tick, 0);
}

static void fwd_send_queued(kafka_broker *b);

/* RaftControllerNodeProvider: the controller is the Raft leader as the
 * observer knows it; queued forwards go there once it is known. */
static void on_leader(void *ctx, int32_t epoch, int leader_id)
{
    kafka_broker *b = ctx;
    (void)epoch;
    b->ctrl_node = leader_id >= 0 ? ctl_node_of(b->kraft, leader_id) : -1;
    if (b->ctrl_node >= 0 && b->kraft->epoch < 0) send_registration(b);
    if (b->ctrl_node >= 0) fwd_send_queued(b);
}

static void on_register_resp(kafka_broker *b, const uint8_t *d, size_t n)
{
    kbk *k = b->kraft;
    kctl_reg_msg m;
    if (!kctl_reg_read(d, n, &m) || m.err || k->epoch >= 0) return;
    k->epoch = m.broker_epoch;
    b->broker_epoch = m.broker_epoch;
    b->registered = true;
    trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, (uint64_t)m.broker_epoch, 0,
               "%d: registered with the controller, broker epoch %lld", b->id,
               (long long)m.broker_epoch);
    send_heartbeat(b);
}

static void on_heartbeat_resp(kafka_broker *b, const uint8_t *d, size_t n)
{
    kbk *k = b->kraft;
    kctl_hb_msg m;
    if (!kctl_hb_read(d, n, &m)) return;
    if (m.err == KCTL_STALE_BROKER_EPOCH || m.err == KCTL_BROKER_ID_NOT_REGISTERED) {
        /* the log holds a later registration of ours (an answer to an
         * earlier one came late): register again */
        k->epoch = -1;
        b->registered = false;
        send_registration(b);
        return;
    }
    if (m.err) return;
    k->fenced = m.fenced;
    if (!m.fenced) k->running = true;
    if (!b->stopping) return;
    if (m.shutdown_now) {
        trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
                   "%d: the controller grants the controlled shutdown", b->id);
        kb_stop_now(b);
        return;
    }
    /* PENDING_CONTROLLED_SHUTDOWN: the first "not yet" brings the next
     * heartbeat after 50 ms, later ones after the usual interval */
    if (!k->cs_answered) {
        k->cs_answered = true;
        sim_cancel(b->s, k->tick_timer);
        k->tick_timer = sim_timer(b->s, b->node, 50 * 1000, tick, 0);
    }
}

/* --- forwarding (KIP-590) --- */

static void fwd_answer(kafka_broker *b, int to, uint64_t corr, kerr err)
{
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, err);
    w_u32(&w, 0);
    kb_send(b, to, KMSG_ADMIN_RESP, &w);
    wbuf_free(&w);
}

static void fwd_free(kbk_fwd *f)
{
    free(f->req);
    f->req = NULL;
    f->client = -1;
}

static void fwd_tick(void *self, uint64_t arg);

/* generateRequests: every queued request goes to the controller known
 * now; one older than the retry timeout is answered REQUEST_TIMED_OUT. */
static void fwd_send_queued(kafka_broker *b)
{
    kbk *k = b->kraft;
    uint64_t now = kb_now(b);
    for (int i = 0; i < KBK_FWD_MAX; i++) {
        kbk_fwd *f = &k->fwd[i];
        if (f->client < 0 || f->to >= 0) continue;
        if (now - f->created_us >= (uint64_t)KBK_FWD_RETRY_MS * 1000) {
            fwd_answer(b, f->client, f->client_corr, KERR_REQUEST_TIMED_OUT);
            fwd_free(f);
            continue;
        }
        if (b->ctrl_node < 0) continue;
        f->corr = ++k->corr;
        f->to = b->ctrl_node;
        f->sent_us = now;
        wbuf w;
        wbuf_init(&w);
        w_u64(&w, f->corr);
        w_raw(&w, f->req, f->len);
        kb_send(b, f->to, KMSG_ADMIN, &w);
        wbuf_free(&w);
        sim_timer(b->s, b->node, (uint64_t)b->cfg.controller_timeout_ms * 1000, fwd_tick,
                  f->corr);
    }
}

/* The request timeout (controller.socket.timeout.ms): unanswered, it goes
 * back to the queue, first, for the controller known now. */
static void fwd_tick(void *self, uint64_t corr)
{
    kafka_broker *b = self;
    kbk *k = b->kraft;
    for (int i = 0; i < KBK_FWD_MAX; i++)
        if (k->fwd[i].client >= 0 && k->fwd[i].to >= 0 && k->fwd[i].corr == corr)
            k->fwd[i].to = -1;
    fwd_send_queued(b);
}

static void forward_admin(kafka_broker *b, int from, const uint8_t *d, size_t n)
{
    kbk *k = b->kraft;
    rbuf r = rbuf_of(d, n);
    uint64_t corr = r_u64(&r);
    kbk_fwd *f = NULL;
    for (int i = 0; i < KBK_FWD_MAX && !f; i++)
        if (k->fwd[i].client < 0) f = &k->fwd[i];
    if (r.bad || !f) {
        fwd_answer(b, from, corr, KERR_NOT_CONTROLLER);
        return;
    }
    *f = (kbk_fwd){ .client = from, .client_corr = corr, .to = -1,
                    .created_us = kb_now(b), .len = n - 8 };
    f->req = xmalloc(f->len ? f->len : 1);
    memcpy(f->req, d + 8, f->len);
    fwd_send_queued(b);
}

static void relay_admin(kafka_broker *b, const uint8_t *d, size_t n)
{
    kbk *k = b->kraft;
    rbuf r = rbuf_of(d, n);
    uint64_t corr = r_u64(&r);
    kerr err = (kerr)r_u8(&r);
    for (int i = 0; i < KBK_FWD_MAX; i++) {
        kbk_fwd *f = &k->fwd[i];
        if (f->client < 0 || f->to < 0 || f->corr != corr) continue;
        if (!r.bad && err == KERR_NOT_CONTROLLER) {
            /* a stale controller: queued again for the one the Raft
             * client names next (or now, if it already names another) */
            f->to = -1;
            fwd_send_queued(b);
            return;
        }
        wbuf w;
        wbuf_init(&w);
        w_u64(&w, f->client_corr);
        w_raw(&w, d + 8, n - 8);
        kb_send(b, f->client, KMSG_ADMIN_RESP, &w);
        wbuf_free(&w);
        fwd_free(f);
        return;
    }
}

/* A connection to peer was reset: what awaited its answer there is
 * queued again (response.wasDisconnected). */
static void fwd_disconnected(kafka_broker *b, int peer)
{
    kbk *k = b->kraft;
    bool any = false;
    for (int i = 0; i < KBK_FWD_MAX; i++)
        if (k->fwd[i].client >= 0 && k->fwd[i].to == peer) {
            k->fwd[i].to = -1;
            any = true;
        }
    if (any && b->ctrl_node != peer) fwd_send_queued(b);
}

/* --- the node's life --- */

bool kbk_recv(kafka_broker *b, int from, uint32_t type, const uint8_t *d, size_t n)
{
    kbk *k = b->kraft;
    if (raft_recv(k->r, from, type, d, n)) return true;
    switch (type) {
    case KCTL_MSG_REGISTER_RESP: on_register_resp(b, d, n); return true;
    case KCTL_MSG_HEARTBEAT_RESP: on_heartbeat_resp(b, d, n); return true;
    case KMSG_ADMIN: forward_admin(b, from, d, n); return true;
    case KMSG_ADMIN_RESP: relay_admin(b, d, n); return true;
    default: return false;
    }
}

void kbk_start(kafka_broker *b)
{
    kbk *k = b->kraft;
    kmeta_image_free(k->img);
    k->img = kmeta_image_new();
    k->epoch = -1;
    k->fenced = true;
    k->running = k->cs_answered = false;
    k->publish_due = false;
    k->catching_up = true;
    for (int i = 0; i < KBK_FWD_MAX; i++) fwd_free(&k->fwd[i]);
    rng *r = sim_node_rng(b->s, b->node);
    k->incarnation = (kmeta_uuid){ rng_next(r), rng_next(r) };
    b->ctrl_id = b->id;         /* any broker takes admin requests (forwarded) */
    b->ctrl_node = -1;
    raft_start(k->r);
    k->tick_timer = sim_timer(b->s, b->node, (uint64_t)b->cfg.heartbeat_ms * 1000,
                              tick, 0);
}

void kbk_crash(kafka_broker *b)
{
    kbk *k = b->kraft;
    raft_crash(k->r);
    k->epoch = -1;
    k->publish_due = false;
}

void kbk_reset(kafka_broker *b, int peer)
{
    raft_reset(b->kraft->r, peer);
    fwd_disconnected(b, peer);
}

/* BrokerServer.shutdown waits for the controller's grant at most 5
 * minutes (3.3 to 3.7: controlledShutdownFuture.get(5 min); 3.9: the
 * shutdown's deadline, 5 minutes by default), then stops anyway. */
static void cs_timeout(void *self, uint64_t arg)
{
    kafka_broker *b = self;
    if (!b->stopping || b->stop_done || arg != b->kraft->corr_at_stop) return;
    trace_emit(sim_trace(b->s), TR_NOTE, b->node, -1, 0, 0,
               "%d: timed out waiting for the controller to approve controlled "
               "shutdown; stopping anyway", b->id);
    kb_stop_now(b);
}

/* BrokerLifecycleManager.beginControlledShutdown: a RUNNING broker (one
 * that has been unfenced) enters PENDING_CONTROLLED_SHUTDOWN and sends a
 * heartbeat with wantShutDown at once; one that never got that far
 * shuts down at once. */
bool kbk_stop(kafka_broker *b)
{
    kbk *k = b->kraft;
    if (k->epoch < 0 || !k->running) return false;
    k->cs_answered = false;
    k->corr_at_stop = ++k->corr;
    sim_timer(b->s, b->node, (uint64_t)KBK_SHUTDOWN_WAIT_MS * 1000, cs_timeout,
              k->corr_at_stop);
    send_heartbeat(b);
    return true;
}


kbk *kbk_new(kafka_broker *b, const int *ctl_ids, const int *ctl_nodes, int n)
{
    kbk *k = xcalloc(1, sizeof *k);
    k->nctl = n < RAFT_VOTERS_MAX ? n : RAFT_VOTERS_MAX;
    memcpy(k->ctl_ids, ctl_ids, (size_t)k->nctl * sizeof *ctl_ids);
    memcpy(k->ctl_nodes, ctl_nodes, (size_t)k->nctl * sizeof *ctl_nodes);
    k->img = kmeta_image_new();
    k->epoch = -1;
    /* from the world's one seed, apart for each broker id */
    rng_seed(&k->ctrl_pick, sim_seed(b->s) ^ (0x9E3779B97F4A7C15ull * (uint64_t)(b->id + 1)));
    raft_config rc;
    raft_config_defaults(&rc);
    k->r = raft_new(b->s, b->node, b->id, k->ctl_ids, k->ctl_nodes, k->nctl, &rc);
    raft_app app = { on_commit, on_leader, on_snapshot_write, on_snapshot_load };
    raft_set_app(k->r, &app, b);
    kctl_name_msgs(b->s);
    return k;
}

const kmeta_image *kafka_broker_kraft_image(const kafka_broker *b)
{
    return b->kraft ? b->kraft->img : NULL;
}

void kafka_broker_kraft_snapshots(kafka_broker *b, const raft_config *rc)
{
    if (b->kraft && rc) raft_snapshot_settings(b->kraft->r, rc);
}

/* KRaftMetadataCache.getRandomAliveBrokerId: a KRaft broker's Metadata
 * answer names a random alive (registered, unfenced) broker as the
 * controller, never the controller quorum (clients cannot reach it,
 * KIP-590): the one named forwards what is meant for the controller. */
int kbk_metadata_controller(kafka_broker *b)
{
    if (b->nlive == 0) return -1;
    return b->live[rng_below(&b->kraft->ctrl_pick, (uint64_t)b->nlive)].id;
}

bool kbk_running(const kafka_broker *b) { return b->kraft->running; }

void kbk_free(kbk *k)
{
    if (!k) return;
    for (int i = 0; i < KBK_FWD_MAX; i++) free(k->fwd[i].req);
    raft_free(k->r);
    kmeta_image_free(k->img);
    free(k);
}
