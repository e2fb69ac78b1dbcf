/* kctl_ctrl: QuorumController on a controller process: replays committed
 * records into its image (QuorumController.handleCommit), claims on
 * becoming the Raft leader (activate: a fresh BrokerHeartbeatManager that
 * gives every registered broker a full session), appends the records its
 * decisions produce and replays them at once, answers once they commit,
 * and on losing leadership goes back to the committed state (renounce). */
#include "kctl_ctrl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kctl_proto.h"
#include "util.h"

typedef struct kreply {
    int to;                     /* node to answer */
    uint32_t type;              /* the answer's message type */
    wbuf msg;                   /* its bytes */
    int64_t offset;             /* sent once this offset is committed */
} kreply;

struct kctl_ctrl {
    sim *s;
    raft_quorum *q;
    int idx;                    /* process in the quorum */
    int node, node_id;          /* sim node, node.id */
    raft *r;
    kctl_cfg cfg;
    kmeta_image *img;           /* committed (+ own uncommitted when active):
                                   what decisions read, as Kafka's does */
    kmeta_image *cimg;          /* committed only: what readers see */
    int64_t committed;          /* last committed offset applied */
    bool active;
    kctl_hb *hb;                /* active only */
    uint64_t fence_timer;       /* maybeFenceReplicas, 0 none */
    kreply *replies;            /* waiting for their records to commit */
    int nreplies, capreplies;
};

static uint64_t now_us(const kctl_ctrl *c) { return sim_now_us(c->s); }

/* A line in the trace and the event log, naming the controller: fmt
 * takes its name, then a and x. */
static void note(kctl_ctrl *c, const char *fmt, const char *a, int64_t x)
{
    trace_emit(sim_trace(c->s), TR_NOTE, c->node, -1, (uint64_t)x, 0, fmt,
               sim_node_name(c->s, c->node), a, (long long)x);
}

/* --- the image --- */

bool kctl_ctrl_record(const kctl_ctrl *c, int64_t offset, kmeta_rec *out)
{
    int32_t epoch;
    bool control;
    const uint8_t *d;
    size_t n;
    if (offset > c->committed ||
        !raft_entry(c->r, offset, &epoch, &control, &d, &n) || control)
        return false;
    return kmeta_rec_decode(d, n, out);
}

/* Back to the committed records alone (renounce, start): the committed
 * image is exactly those, whether they came from the log or a snapshot. */
static void rebuild(kctl_ctrl *c)
{
    kmeta_image_free(c->img);
    if (c->committed < 0) {                     /* a start: nothing applied */
        kmeta_image_free(c->cimg);
        c->cimg = kmeta_image_new();
    }
    c->img = kmeta_image_clone(c->cimg);
}

static void flush_replies(kctl_ctrl *c)
{
    int k = 0;
    for (int i = 0; i < c->nreplies; i++) {
        kreply *y = &c->replies[i];
        if (y->offset <= c->committed) {
            sim_send(c->s, c->node, y->to, y->type, y->msg.data, y->msg.len);
            wbuf_free(&y->msg);
        } else {
            c->replies[k++] = *y;
        }
    }
    c->nreplies = k;
}

static void drop_replies(kctl_ctrl *c)
{
    for (int i = 0; i < c->nreplies; i++) wbuf_free(&c->replies[i].msg);
    c->nreplies = 0;
}

static void on_commit(void *ctx, int64_t offset, int32_t epoch,
                      const uint8_t *data, size_t len)
{
    kctl_ctrl *c = ctx;
    c->committed = offset;
    kmeta_rec rec;
    char err[160];
    if (!kmeta_rec_decode(data, len, &rec)) {
        note(c, "%s: undecodable metadata record%s at %lld", "", offset);
    } else {
        if (offset > kmeta_image_offset(c->img) &&     /* not replayed yet */
            !kmeta_image_apply(c->img, &rec, offset, err, sizeof err))
            note(c, "%s: %s at %lld", err, offset);
        kmeta_image_apply(c->cimg, &rec, offset, NULL, 0);
    }
    flush_replies(c);
}

/* Snapshots of the metadata log hold the committed image as records
 * (SnapshotGenerator on every controller). */
static void on_snapshot_write(void *ctx, wbuf *out)
{
    kmeta_image_write(((kctl_ctrl *)ctx)->cimg, out);
}

/* A snapshot replaces the image (MetadataLoader.handleLoadSnapshot). */
static void on_snapshot_load(void *ctx, int64_t end_offset, const uint8_t *data, size_t len)
{
    kctl_ctrl *c = ctx;
    char err[160];
    kmeta_image *img = kmeta_image_read(data, len, end_offset, err, sizeof err);
    if (!img) {
        note(c, "%s: %s at %lld", err, end_offset);
        return;
    }
    kmeta_image_free(c->cimg);
    c->cimg = img;
    c->committed = end_offset - 1;
    rebuild(c);
    flush_replies(c);
}

/* --- active or standby --- */

const kctl_hb *kctl_ctrl_hb(const kctl_ctrl *c) { return c && c->active ? c->hb : NULL; }

static void fence_tick(void *self, uint64_t arg);

static uint32_t session_ms(const kctl_ctrl *c)
{
    return c->cfg.session_timeout_ms ? c->cfg.session_timeout_ms : KCTL_SESSION_TIMEOUT_MS;
}

static void arm_fence(kctl_ctrl *c)
{
    if (c->fence_timer) sim_cancel(c->s, c->fence_timer);
    c->fence_timer = 0;
    uint64_t at = kctl_hb_next_check_us(c->hb);
    if (at == UINT64_MAX) return;
    uint64_t now = now_us(c);
    c->fence_timer = sim_timer(c->s, c->node, at > now ? at - now : 0,
                               fence_tick, (uint64_t)(uintptr_t)c);
}

static void activate(kctl_ctrl *c, int32_t epoch)
{
    c->active = true;
    kctl_hb_free(c->hb);
    c->hb = kctl_hb_new((uint64_t)session_ms(c) * 1000);
    for (int i = 0; i < kmeta_image_nbrokers(c->img); i++) {
        const kmeta_broker *b = kmeta_image_broker_at(c->img, i);
        kctl_hb_touch(c->hb, b->id, b->fenced, now_us(c), -1);
    }
    arm_fence(c);
    /* TR_CONTROLLER as a ZooKeeper-mode controller's election is: readers
     * (bench_failover, the event log, kafka_check's epoch order) see the
     * takeover the same way in both modes; a = the Raft epoch */
    trace_emit(sim_trace(c->s), TR_CONTROLLER, c->node, -1, (uint64_t)epoch, 0,
               "%s is the active controller (epoch %lld)",
               sim_node_name(c->s, c->node), (long long)epoch);
}

static void renounce(kctl_ctrl *c)
{
    if (!c->active) return;
    c->active = false;
    kctl_hb_free(c->hb);
    c->hb = NULL;
    if (c->fence_timer) sim_cancel(c->s, c->fence_timer);
    c->fence_timer = 0;
    drop_replies(c);
    if (kmeta_image_offset(c->img) > c->committed) rebuild(c);
}

static void on_leader(void *ctx, int32_t epoch, int leader_id)
{
    kctl_ctrl *c = ctx;
    if (leader_id == c->node_id && !c->active) activate(c, epoch);
    else if (leader_id != c->node_id) renounce(c);
}

/* Appends the batch and replays it; the offset of its last record, -1
 * when this node is no longer the leader, committed when it is empty.
 * One atomic batch (QuorumController's scheduleAtomicAppend): a decision
 * such as an unfence with the leader elections it makes is committed or
 * lost whole, never an UnfenceBrokerRecord without its elections. */
static int64_t append(kctl_ctrl *c, const kmeta_batch *b)
{
    if (b->n == 0) return c->committed;
    wbuf *w = xcalloc((size_t)b->n, sizeof *w);
    const uint8_t **data = xcalloc((size_t)b->n, sizeof *data);
    size_t *len = xcalloc((size_t)b->n, sizeof *len);
    for (int i = 0; i < b->n; i++) {
        wbuf_init(&w[i]);
        kmeta_rec_encode(&b->r[i], &w[i]);
        data[i] = w[i].data;
        len[i] = w[i].len;
    }
    int64_t last = raft_append_batch(c->r, data, len, b->n);
    for (int i = 0; i < b->n; i++) {
        char err[160];
        int64_t off = last - (b->n - 1 - i);
        if (last >= 0 && !kmeta_image_apply(c->img, &b->r[i], off, err, sizeof err))
            note(c, "%s: %s at %lld", err, off);
        wbuf_free(&w[i]);
    }
    free(w);
    free(data);
    free(len);
    if (last < 0) renounce(c);
    return last;
}

/* Answers `to` once `offset` is committed (at once if it is). */
static void reply_at(kctl_ctrl *c, int to, uint32_t type, const wbuf *w,
                     int64_t offset)
{
    VEC_GROW(c->replies, c->nreplies, c->capreplies);
    kreply *y = &c->replies[c->nreplies++];
    y->to = to;
    y->type = type;
    wbuf_init(&y->msg);
    w_raw(&y->msg, w->data, w->len);
    y->offset = offset;
    flush_replies(c);
}

static void fence_tick(void *self, uint64_t arg)
{
    kctl_ctrl *c = (kctl_ctrl *)(uintptr_t)arg;
    (void)self;
    c->fence_timer = 0;
    if (!c->active) return;
    kmeta_batch b;
    kmeta_batch_init(&b);
    int id = kctl_fence_stale(c->img, c->hb, &c->cfg, now_us(c), &b);
    if (id >= 0) {
        char who[16];
        snprintf(who, sizeof who, "%d", id);
        trace_emit_code(sim_trace(c->s), TR_NOTE, TNOTE_STATE, c->node, -1, session_ms(c), 0,
                        "%s fences broker %s: its session timed out (no heartbeat for "
                        "more than %lu ms)", sim_node_name(c->s, c->node), who,
                        (unsigned long)session_ms(c));
        append(c, &b);
    }
    kmeta_batch_free(&b);
    if (c->active) arm_fence(c);
}

/* --- requests --- */

static void on_register(kctl_ctrl *c, int from, const uint8_t *d, size_t n)
{
    kctl_reg_msg m;
    if (!kctl_reg_read(d, n, &m)) return;
    kmeta_batch b;
    kmeta_batch_init(&b);
    int64_t at = c->committed;
    if (!c->active) {
        m.err = KCTL_NOT_CONTROLLER;
    } else {
        raft_info ri;
        raft_info_get(c->r, &ri);
        kctl_reg_req req = { m.broker_id, m.incarnation, m.rack[0] ? m.rack : NULL };
        m.err = (uint8_t)kctl_register(c->img, c->hb, &req, ri.log_end, now_us(c),
                                       &b, &m.broker_epoch);
        if (m.err == KCTL_OK) {
            at = append(c, &b);
            if (at < 0) m.err = KCTL_NOT_CONTROLLER;
            else if (at != m.broker_epoch) m.broker_epoch = at;
            if (c->active) arm_fence(c);
        }
    }
    kmeta_batch_free(&b);
    wbuf w;
    wbuf_init(&w);
    kctl_reg_write(&w, &m);
    if (m.err) sim_send(c->s, c->node, from, KCTL_MSG_REGISTER_RESP, w.data, w.len);
    else reply_at(c, from, KCTL_MSG_REGISTER_RESP, &w, at);
    wbuf_free(&w);
}

/* The fencing a heartbeat decided (the Fence/UnfenceBrokerRecord or
 * BrokerRegistrationChangeRecord it appended), said as the session
 * timeout's fence is: a line a headless run prints too. */
static void note_fencing(kctl_ctrl *c, const kmeta_batch *b, const kctl_hb_req *req)
{
    for (int i = 0; i < b->n; i++) {
        const kmeta_rec *r = &b->r[i];
        int change = r->type == KMETA_FENCE_BROKER ? 1 : r->type == KMETA_UNFENCE_BROKER ? -1
                   : r->type == KMETA_BROKER_REG_CHANGE ? r->fencing_change : 0;
        if (change == 0) continue;
        const char *why = change < 0 ? "it has caught up with the metadata log"
                        : req->want_shutdown ? "it is shutting down"
                        : "it asked to be fenced";
        trace_emit_code(sim_trace(c->s), TR_NOTE, TNOTE_STATE, c->node, -1,
                        (uint64_t)r->broker_id, 0, "%s %s broker %d: %s",
                        sim_node_name(c->s, c->node), change < 0 ? "unfences" : "fences",
                        (int)r->broker_id, why);
    }
}

static void on_heartbeat(kctl_ctrl *c, int from, const uint8_t *d, size_t n)
{
    kctl_hb_msg m;
    if (!kctl_hb_read(d, n, &m)) return;
    kmeta_batch b;
    kmeta_batch_init(&b);
    int64_t at = c->committed;
    kctl_hb_reply rep = { 0 };
    if (!c->active) {
        m.err = KCTL_NOT_CONTROLLER;
    } else {
        kctl_hb_req req = { m.broker_id, m.broker_epoch, m.metadata_offset,
                            m.want_fence, m.want_shutdown };
        m.err = (uint8_t)kctl_heartbeat(c->img, c->hb, &c->cfg, &req, now_us(c),
                                        &b, &rep);
        m.caught_up = rep.caught_up;
        m.fenced = rep.fenced;
        m.shutdown_now = rep.shutdown_now;
        if (m.err == KCTL_OK && b.n) {
            at = append(c, &b);
            if (at < 0) m.err = KCTL_NOT_CONTROLLER;
            else note_fencing(c, &b, &req);
        }
        /* processBatchEndOffset: the offset its last record landed at (the
         * last written one with no record) is the controlled shutdown
         * offset, set the first time */
        if (m.err == KCTL_OK && rep.in_controlled_shutdown && c->active) {
            raft_info ri;
            raft_info_get(c->r, &ri);
            kctl_hb_set_shutdown_offset(c->hb, m.broker_id, b.n ? at : ri.log_end - 1);
        }
        if (c->active) arm_fence(c);
    }
    kmeta_batch_free(&b);
    wbuf w;
    wbuf_init(&w);
    kctl_hb_write(&w, &m);
    if (m.err) sim_send(c->s, c->node, from, KCTL_MSG_HEARTBEAT_RESP, w.data, w.len);
    else reply_at(c, from, KCTL_MSG_HEARTBEAT_RESP, &w, at);
    wbuf_free(&w);
}

static kerr kerr_of(kctl_err e)
{
    switch (e) {
    case KCTL_OK: return KERR_NONE;
    case KCTL_NOT_CONTROLLER: return KERR_NOT_CONTROLLER;
    case KCTL_FENCED_LEADER_EPOCH: return KERR_FENCED_LEADER_EPOCH;
    case KCTL_TOPIC_ALREADY_EXISTS: return KERR_TOPIC_ALREADY_EXISTS;
    case KCTL_INVALID_REPLICATION_FACTOR: return KERR_INVALID_REPLICATION_FACTOR;
    case KCTL_INVALID_PARTITIONS: return KERR_INVALID_PARTITIONS;
    case KCTL_UNKNOWN_TOPIC_OR_PARTITION: return KERR_UNKNOWN_TOPIC_OR_PARTITION;
    case KCTL_INVALID_REPLICA_ASSIGNMENT: return KERR_INVALID_REPLICA_ASSIGNMENT;
    case KCTL_NO_REASSIGNMENT_IN_PROGRESS: return KERR_NO_REASSIGNMENT_IN_PROGRESS;
    default: return KERR_UNKNOWN_SERVER_ERROR;
    }
}

void kctl_pstate_of(const kmeta_part *p, kafka_pstate *st)
{
    memset(st, 0, sizeof *st);
    st->leader = p->leader;
    st->leader_epoch = p->leader_epoch;
    st->zk_version = p->partition_epoch;
    st->nrep = (uint8_t)(p->replicas.n < KAFKA_RF_MAX ? p->replicas.n : KAFKA_RF_MAX);
    for (int i = 0; i < st->nrep; i++) st->replicas[i] = p->replicas.id[i];
    st->nisr = (uint8_t)(p->isr.n < KAFKA_RF_MAX ? p->isr.n : KAFKA_RF_MAX);
    for (int i = 0; i < st->nisr; i++) st->isr[i] = p->isr.id[i];
}

static void on_alter_isr(kctl_ctrl *c, int from, const uint8_t *d, size_t n)
{
    rbuf r = rbuf_of(d, n);
    uint64_t corr = r_u64(&r);
    int broker = (int)r_u32(&r);
    r_i64(&r);                                  /* broker epoch */
    char name[KMETA_TOPIC_MAX];
    r_str(&r, name, sizeof name);
    int p = (int)r_u32(&r);
    kafka_pstate st;
    kafka_pstate_read(&r, &st);
    if (r.bad) return;
    kmeta_batch b;
    kmeta_batch_init(&b);
    kctl_err e = KCTL_NOT_CONTROLLER;
    int64_t at = c->committed;
    if (c->active) {
        kmeta_ids isr = { 0 };
        kmeta_ids_set(&isr, st.isr, st.nisr);
        e = kctl_alter_partition(c->img, &c->cfg, broker, name, p, st.leader_epoch,
                                 st.zk_version, &isr, &b);
        if (e == KCTL_OK && b.n && (at = append(c, &b)) < 0) e = KCTL_NOT_CONTROLLER;
    }
    kmeta_batch_free(&b);
    const kmeta_part *part = kmeta_image_part(c->img, name, p);
    /* the ISR change completed a reassignment that moved the leadership
     * off the asker: the record stands and the answer is an error, so it
     * waits for the metadata (alterPartition: FENCED_LEADER_EPOCH to an
     * AlterPartition of version 1 or below, NEW_LEADER_ELECTED after) */
    if (e == KCTL_OK && part && part->leader != broker) e = KCTL_FENCED_LEADER_EPOCH;
    if (part) kctl_pstate_of(part, &st);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, (uint8_t)kerr_of(e));
    w_u32(&w, 0);
    w_str(&w, name);
    w_u32(&w, (uint32_t)p);
    kafka_pstate_write(&w, &st);
    reply_at(c, from, KMSG_ALTER_ISR_RESP, &w, at);
    wbuf_free(&w);
}

/* What an admin request (forwarded by a broker) asks of the controller:
 * CreateTopics (op 1), DeleteTopics (op 2), ElectLeaders PREFERRED (op
 * 3), AlterPartitionReassignments for one partition (op 4: `parts` is
 * the partition, ids the target replicas). */
static kerr admin_records(kctl_ctrl *c, int op, const char *name, int parts,
                          int rf, int min_isr, int unclean, const kmeta_ids *ids,
                          kmeta_batch *b)
{
    if (op == 4) {
        if (ids->n > KAFKA_RF_MAX) return KERR_INVALID_REPLICA_ASSIGNMENT;
        return kerr_of(kctl_reassign(c->img, &c->cfg, name, parts,
                                     ids->n < 0 ? NULL : ids, b));
    }
    if (op == 1) {
        if (!name[0] || strchr(name, '/')) return KERR_INVALID_TOPIC;
        return kerr_of(kctl_create_topic(c->img, sim_node_rng(c->s, c->node), name,
                                         parts, rf, min_isr, unclean, b));
    }
    if (op == 2) return kerr_of(kctl_delete_topic(c->img, name, b));
    if (op == 3) {
        int moved, unavailable;
        kctl_err e = kctl_elect_preferred(c->img, name[0] ? name : NULL, b, &moved,
                                          &unavailable);
        if (e) return kerr_of(e);
        return unavailable ? KERR_PREFERRED_LEADER_NOT_AVAILABLE
             : moved ? KERR_NONE : KERR_ELECTION_NOT_NEEDED;
    }
    return KERR_UNKNOWN_SERVER_ERROR;
}

static void on_admin(kctl_ctrl *c, int from, const uint8_t *d, size_t n)
{
    rbuf r = rbuf_of(d, n);
    uint64_t corr = r_u64(&r);
    int op = r_u8(&r);
    char name[KMETA_TOPIC_MAX];
    r_str(&r, name, sizeof name);
    int parts = (int)r_u32(&r), rf = (int)r_u32(&r);
    int min_isr = (int)r_u32(&r), unclean = (int)(int32_t)r_u32(&r);
    kmeta_ids ids = { 0 };
    uint32_t nids = r_u32(&r);
    if (nids == UINT32_MAX) ids.n = -1;         /* null replicas: a cancel */
    for (uint32_t i = 0; i < nids && nids != UINT32_MAX && !r.bad; i++) {
        int id = (int)r_u32(&r);
        if (ids.n < KMETA_MAX_REPLICAS) ids.id[ids.n] = id;
        ids.n++;                    /* past the room: refused, not cut */
    }
    if (r.bad) return;
    kmeta_batch b;
    kmeta_batch_init(&b);
    kerr e = KERR_NOT_CONTROLLER;
    int64_t at = c->committed;
    if (c->active) {
        e = admin_records(c, op, name, parts, rf, min_isr, unclean, &ids, &b);
        /* a preferred election that moved some but not all still writes */
        if ((e == KERR_NONE || e == KERR_PREFERRED_LEADER_NOT_AVAILABLE) && b.n &&
            (at = append(c, &b)) < 0)
            e = KERR_NOT_CONTROLLER;
    }
    kmeta_batch_free(&b);
    wbuf w;
    wbuf_init(&w);
    w_u64(&w, corr);
    w_u8(&w, (uint8_t)e);
    w_u32(&w, 0);
    reply_at(c, from, KMSG_ADMIN_RESP, &w, at);
    wbuf_free(&w);
}

static void on_recv(void *ctx, int from, uint32_t type, const uint8_t *d, size_t n)
{
    kctl_ctrl *c = ctx;
    switch (type) {
    case KCTL_MSG_REGISTER: on_register(c, from, d, n); break;
    case KCTL_MSG_HEARTBEAT: on_heartbeat(c, from, d, n); break;
    case KMSG_ALTER_ISR: on_alter_isr(c, from, d, n); break;
    case KMSG_ADMIN: on_admin(c, from, d, n); break;
    default: break;
    }
}

/* A process start replays the log from offset 0 (the raft hands every
 * committed record again). */
static void on_start(void *ctx)
{
    kctl_ctrl *c = ctx;
    c->committed = -1;
    rebuild(c);
}

static void on_crash(void *ctx)
{
    kctl_ctrl *c = ctx;
    c->fence_timer = 0;                         /* void with the process */
    renounce(c);
    c->active = false;
    drop_replies(c);
}

kctl_ctrl *kctl_ctrl_new(sim *s, raft_quorum *q, int i, const kctl_cfg *cfg)
{
    kctl_ctrl *c = xcalloc(1, sizeof *c);
    c->s = s;
    c->q = q;
    c->idx = i;
    c->node = raft_quorum_nodes(q)[i];
    c->node_id = raft_quorum_ids(q)[i];
    c->r = raft_quorum_raft(q, i);
    c->cfg = *cfg;
    c->img = kmeta_image_new();
    c->cimg = kmeta_image_new();
    c->committed = -1;
    kctl_name_msgs(s);
    kafka_name_msgs(s);
    raft_app app = { on_commit, on_leader, on_snapshot_write, on_snapshot_load };
    raft_set_app(c->r, &app, c);
    raft_proc_hooks h = { on_start, on_crash, on_recv, NULL };
    raft_quorum_set_hooks(q, i, &h, c);
    return c;
}

void kctl_ctrl_free(kctl_ctrl *c)
{
    if (!c) return;
    drop_replies(c);
    free(c->replies);
    kctl_hb_free(c->hb);
    kmeta_image_free(c->img);
    kmeta_image_free(c->cimg);
    free(c);
}

bool kctl_ctrl_active(const kctl_ctrl *c) { return c->active; }
const kmeta_image *kctl_ctrl_image(const kctl_ctrl *c) { return c->cimg; }
int64_t kctl_ctrl_committed(const kctl_ctrl *c) { return c->committed; }
