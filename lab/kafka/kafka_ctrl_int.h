/* kafka_ctrl_int: what the controller's files share and nothing else
 * includes. kafka_ctrl.c: lifecycle, the channel to brokers, batching,
 * ZooKeeper completions; kafka_ctrl_load.c: reading brokers and topics;
 * kafka_ctrl_elect.c: state writes and elections (offline, controlled
 * shutdown, preferred, rebalance, AlterIsr); kafka_ctrl_admin.c: topic
 * creation and deletion; kafka_ctrl_reassign.c: partition reassignment. */
#ifndef QL_KAFKA_CTRL_INT_H
#define QL_KAFKA_CTRL_INT_H

#include "kafka_int.h"
#include "kafka_elect.h"

enum { C_BROKERS = KOP_CTRL_BASE, C_BROKER_GET, C_TOPICS, C_TOPIC_GET,
       C_TCONF_GET, C_STATE_GET, C_STATE_CREATE, C_STATE_SET, C_DELETES,
       C_ADMIN_CONF, C_ADMIN_TOPIC, C_ADMIN_DELETE, C_IGNORE,
       C_STATE_REREAD, C_DELETED, C_ASSIGN_SET, C_ASSIGN_VER };

/* A partition state write made by the reassignment (kop.from): its
 * outcome goes back to kafka_ctrl_reassign.c. */
#define KC_FROM_REASSIGN (-2)

typedef struct creassign creassign;     /* kafka_ctrl_reassign.c */

typedef struct ctopic {
    char *name;
    uint64_t id;                /* topic id */
    int nparts;
    kafka_pstate *st;           /* per partition; replicas from assignment */
    int min_isr;                /* topic config */
    bool unclean;
    int pending;                /* state reads outstanding */
    bool loaded, deleted;
    bool queued;                /* marked for deletion (/admin/delete_topics) */
    bool halted;                /* its deletion waits for an offline replica */
    uint8_t *del_sent;          /* per partition, bit i: replicas[i] was sent */
    uint8_t *del_done;          /*   StopReplica (delete) / acknowledged it */
    creassign **ra;             /* per partition, NULL: not being
                                   reassigned; NULL array: none ever */
    int nra;                    /* reassignments in progress */
    int32_t zkv;                /* the topic znode's version */
} ctopic;

typedef struct cmsg {
    uint32_t type;              /* KMSG_* */
    uint64_t corr;              /* the ack names it */
    int del_ti;                 /* StopReplica deleting this topic's
                                   replicas, -1: another request */
    wbuf w;                     /* the request, or its head when body */
    sim_blob *body;             /* the rest, shared by every broker's
                                   copy (UpdateMetadata), or NULL */
} cmsg;

typedef struct cbroker {
    int id, node;               /* broker id, its node (resolved host) */
    char rack[24];              /* "" when none */
    int64_t epoch;              /* czxid of its registration */
    bool shutting;              /* controlled shutdown asked */
    cmsg *q;                    /* requests not yet acknowledged */
    int nq, capq;
    bool inflight;              /* q[0] is out */
    int *lai;                   /* pending LeaderAndIsr: (topic, p) pairs */
    int nlai, caplai;
    bool full_um;               /* owes it the whole metadata */
} cbroker;

/* A registration read from /brokers/ids/<id>. */
typedef struct cseen {
    int id, node;               /* node -1: its host does not resolve */
    int64_t epoch;              /* czxid of the znode (the broker epoch) */
    char rack[24];
} cseen;

typedef struct cwaiter {
    int from, broker_id;        /* who asked, for whom */
    uint64_t corr;
} cwaiter;

struct kafka_ctrl {
    kafka_broker *b;            /* the broker we run in */
    uint64_t serial;            /* incarnation: stale callbacks check it */
    int32_t epoch, epoch_zkv;   /* controller epoch and its znode version */
    ctopic **topics;            /* load order; deleted ones stay, marked */
    int ntopics, captopics;
    cbroker *live;              /* sorted by id: the id -> broker map */
    int nlive, caplive;
    cseen *seen;                /* broker list being read */
    int nseen, capseen, seen_pending;
    int seen_gen;               /* the /brokers/ids listing being read */
    bool have_brokers, initialized;
    int topics_pending;         /* topic loads outstanding */
    int writes;                 /* state writes outstanding */
    int *um;                    /* pending UpdateMetadata (topic, p) pairs */
    int num, capum;
    bool um_live;               /* the live broker list changed */
    cwaiter *shut;              /* controlled shutdowns to answer */
    int nshut, capshut;
    bool deletes_deferred;      /* /admin/delete_topics read before every
                                   topic was loaded: read it again */
};

/* kafka_ctrl.c */
kop *kc_op(kafka_ctrl *c, int kind);
void kc_zdone(void *ctx, const zk_result *res);
cbroker *kc_live_find(kafka_ctrl *c, int id);       /* binary search */
bool kc_alive(void *ctx, int id);                   /* live, not shutting */
bool kc_registered(void *ctx, int id);              /* live */
int kc_topic_index(kafka_ctrl *c, const char *name);    /* -1: none */
bool kc_known_topic(kafka_ctrl *c, const char *name);
wbuf *kc_channel_msg(kafka_ctrl *c, cbroker *cb, uint32_t type);
void kc_channel_send(kafka_ctrl *c, cbroker *cb);
void kc_channel_clear(cbroker *cb);
void kc_queue_lai(kafka_ctrl *c, int ti, int p);
void kc_queue_um(kafka_ctrl *c, int ti, int p);
void kc_changed(kafka_ctrl *c, int ti, int p);      /* both of the above */
void kc_flush(kafka_ctrl *c);
/* A failed watched read (C_BROKERS, C_TOPICS, C_DELETES) is retried
 * unless the session ended or the node is gone. */
void kc_retry_read(kafka_ctrl *c, zerr err, int kind);
void kc_read_deletes(kafka_ctrl *c);

/* kafka_ctrl_load.c */
void kc_read_brokers(kafka_ctrl *c);
void kc_brokers_got(kafka_ctrl *c, const zk_result *res);
void kc_broker_got(kafka_ctrl *c, const kop *op, const zk_result *res);
void kc_read_topics(kafka_ctrl *c);
void kc_load_topic(kafka_ctrl *c, const char *name);
void kc_topic_got(kafka_ctrl *c, kop *op, const zk_result *res);
void kc_tconf_got(kafka_ctrl *c, int ti, const zk_result *res);
void kc_state_got(kafka_ctrl *c, int ti, int p, const zk_result *res);
void kc_state_created(kafka_ctrl *c, int ti, int p, const zk_result *res);
void kc_try_initialize(kafka_ctrl *c);

/* kafka_ctrl_elect.c */
void kc_state_path(char *out, size_t cap, const char *topic, int p);
void kc_write_state(kafka_ctrl *c, int ti, int p, const kafka_pstate *st,
                    int from, uint64_t corr);
void kc_elect_write(kafka_ctrl *c, int ti, int p, const kafka_choice *ch,
                    bool bump, int from, uint64_t corr);
void kc_state_set_done(kafka_ctrl *c, const kop *op, const zk_result *res);
void kc_state_reread_done(kafka_ctrl *c, const kop *op, const zk_result *res);
void kc_fix_partitions(kafka_ctrl *c, const int *dead, int ndead);
/* One partition: a leader elected if it has no registered one, dead
 * brokers out of its ISR. */
void kc_fix_partition(kafka_ctrl *c, int ti, int p);
void kc_reply_shutdowns(kafka_ctrl *c);
void kc_stop_replicas(kafka_ctrl *c, cbroker *cb, bool del, const int *pairs,
                      int npairs);
/* Preferred elections for partitions off their preferred leader (of topic
 * only_ti and preferred broker only_pref, -1: any); returns how many were
 * started, and counts in *unavailable (may be NULL) those whose preferred
 * replica is down or out of the ISR. */
int kc_preferred(kafka_ctrl *c, int only_ti, int only_pref, int *unavailable);
void kc_rebalance_timer(void *self, uint64_t serial);
void kc_on_alter_isr(kafka_ctrl *c, int from, rbuf *r);

/* kafka_ctrl_admin.c */
void kc_on_admin(kafka_ctrl *c, int from, rbuf *r);
void kc_admin_reply(kafka_ctrl *c, int to, uint64_t corr, kerr e);
void kc_admin_done(kafka_ctrl *c, const kop *op, const zk_result *res);
/* Topic deletion (TopicDeletionManager): a marked topic's replicas are
 * deleted by StopReplica; the topic's znodes go once every replica has
 * confirmed. A replica on a broker that is down (or shutting down) halts
 * the deletion until that broker is back. */
void kc_delete_topic(kafka_ctrl *c, const char *name);
void kc_resume_deletions(kafka_ctrl *c);
void kc_deletion_acked(kafka_ctrl *c, const cbroker *cb, int ti);
void kc_deletion_broker_gone(kafka_ctrl *c, int broker_id);
void kc_deleted_done(kafka_ctrl *c, const kop *op, const zk_result *res);

/* kafka_ctrl_reassign.c: partition reassignment as Kafka 2.8's
 * KafkaController.onPartitionReassignment does it (KIP-455). */
/* AlterPartitionReassignments for one partition: answered once the new
 * replica set (RS = TRS + ORS) is in the topic znode, or at once with
 * the error. */
void kc_reassign_request(kafka_ctrl *c, int from, uint64_t corr, const char *topic,
                         int p, const int *target, int ntarget);
/* A state write of (ti, p) came back (mine: made by the reassignment;
 * ok: adopted) or its state was re-read: the reassignment moves on. */
void kc_reassign_state(kafka_ctrl *c, int ti, int p, bool mine, bool ok);
void kc_reassign_assign_done(kafka_ctrl *c, const kop *op, const zk_result *res);
void kc_reassign_version_got(kafka_ctrl *c, const kop *op, const zk_result *res);
/* A loaded topic's znode: its adding/removing replicas, so a new
 * controller resumes what the old one left. */
void kc_reassign_load(kafka_ctrl *c, int ti, const char *json, size_t len);
void kc_reassign_resume(kafka_ctrl *c);     /* after initialization */
void kc_reassign_brokers(kafka_ctrl *c, const int *fresh, int nfresh);
bool kc_reassigning(const ctopic *t);       /* deletion waits for it */
void kc_reassign_free(ctopic *t);

#endif
