/* kafka_int: what the broker's own files (kafka_broker*.c,
 * kafka_replica.c, kafka_ctrl*.c) share: the broker, its topics and
 * replicas, its ZooKeeper calls and the calls between those files.
 * Clients and the world go through kafka_broker.h instead. */
#ifndef QL_KAFKA_INT_H
#define QL_KAFKA_INT_H

#include "kafka_meta.h"
#include "kafka_broker.h"
#include "kafka_hooks.h"
#include "zk_client.h"
#include "wire.h"

typedef struct ktopic ktopic;
typedef struct kafka_ctrl kafka_ctrl;

/* A partition of a produce with acks=all waiting for the ISR (the
 * produce purgatory); its request's answer is a kpend (kafka_produce.c). */
typedef struct kwait {
    uint64_t pend;              /* the request's kpend id */
    int slot;                   /* this partition's place in it */
    int64_t base, end;          /* offsets [base, end) */
} kwait;

typedef struct kpend kpend;
typedef struct kbk kbk;

typedef struct kfol {
    int id;                     /* follower broker */
    int64_t leo;                /* its LEO as its fetches say */
    uint64_t caught_us;         /* last time it was caught up */
    uint64_t fetch_us;          /* its previous fetch */
    int64_t fetch_leo;          /* leader's LEO at that fetch */
} kfol;

enum { KF_IDLE, KF_TRUNCATE, KF_FETCH };   /* a fetcher's partition (kfpart) */

typedef struct kreplica {
    /* the fields every fetch reads come first: three cache lines per
     * partition and side (the scale run's fetch path is memory bound) */
    ktopic *t;                  /* owning topic */
    kafka_log *log;             /* survives crashes (disk) */
    int p;                      /* partition */
    bool leader;                /* role from the last LeaderAndIsr */
    bool follower;
    bool alter_pending;         /* an AlterIsr in flight */
    uint8_t capfol;             /* room in fol on the heap; 0: inline */
    int nfol;
    int fetch_leader;           /* follower: the leader whose fetcher holds
                                   it, -1 when none (fetcher_remove goes
                                   straight there) */
    kfol *fol;                  /* leader: per replica other than itself,
                                 * nfol of them; set by kr_become_leader,
                                 * after the struct (kreplica_fol_inline)
                                 * or on the heap for more (inline room
                                 * for KAFKA_RF_MAX made every replica
                                 * 512 bytes, 96 MB at 300 x 100,000) */
    _Alignas(8) unsigned char logmem[KAFKA_LOG_BYTES];  /* log's home */
    kafka_pstate st;            /* state from the last LeaderAndIsr/AlterIsr */
    kwait *waits;               /* acks=all produces */
    int nwaits, capwaits;
} kreplica;

/* A replica's allocation: its struct in whole cache lines, then room
 * for the follower records of a leader of up to KREPLICA_FOL_INLINE
 * followers (RF 4 and less: a miss after the replica's own on every
 * follower fetch was a fifth of the leader's side at 300 x 100,000;
 * 128 bytes a replica more, 38 MB there). */
enum { KREPLICA_FOL_INLINE = 3 };
#define KREPLICA_BYTES ((sizeof(kreplica) + 63) / 64 * 64)
#define KREPLICA_ALLOC (KREPLICA_BYTES + (KREPLICA_FOL_INLINE * sizeof(kfol) + 63) / 64 * 64)

static inline kfol *kreplica_fol_inline(kreplica *r)
{
    return (kfol *)((char *)r + KREPLICA_BYTES);
}

/* Asks for r's lines (every fetch reads them) ahead of use: a request's
 * replicas are scattered in memory, and misses issued together overlap
 * instead of costing one after another. A leader's side reads its
 * follower records too (lead: the two lines after the struct). */
static inline void kreplica_prefetch(const kreplica *r, bool lead)
{
    __builtin_prefetch(r);
    __builtin_prefetch((const char *)r + 64);
    __builtin_prefetch((const char *)r + 128);
    if (lead) {
        __builtin_prefetch((const char *)r + KREPLICA_BYTES);
        __builtin_prefetch((const char *)r + KREPLICA_BYTES + 64);
    }
}

enum { KTOPIC_NAME_INLINE = 40 };

struct ktopic {
    char *name;                 /* name_in when it fits, else its own */
    bool deleted;
    /* the name beside it: every fetch answer compares it, and a name of
     * its own was one more miss per partition at 300 brokers */
    char name_in[KTOPIC_NAME_INLINE];
    uint64_t id;                /* topic id, tells re-created topics apart */
    int nparts;
    kmeta *meta;                /* metadata cache, interned (kafka_meta.h);
                                 * nrep 0: unknown */
    /* the local replicas, few of a big topic's partitions: a sorted list
     * instead of a slot per partition (300 brokers x 100,000 partitions
     * held 240 MB of NULL pointers, and a lookup missed the cache) */
    int *lp;                    /* their partitions, increasing */
    kreplica **lr;              /* their replicas, in the same order */
    int caplocal;
    int held, leading;          /* local replicas, and of them leaders: kept
                                 * as they change, so kafka_broker_info_get
                                 * sums topics instead of walking partitions */
    int min_isr;                /* topic config */
    bool unclean;
};

/* One partition of a fetcher: what AbstractFetcherThread keeps of it
 * (PartitionFetchState: its state, fetch offset, current leader epoch
 * and delay), kept here and not read from the replica: an idle follower
 * then builds its requests and reads its answers without touching its
 * replicas, which at 300 brokers x 100,000 partitions were a cache miss
 * per partition and exchange. The replica's log changes only through
 * this entry's fetcher (appends and truncations in its answers), which
 * updates fetch_offset and hw_seen as it changes it. */
typedef struct kfpart {
    kreplica *r;
    ktopic *t;                  /* r->t */
    int64_t fetch_offset;       /* the log end offset (r's LEO) */
    int64_t hw_seen;            /* r's high watermark as last set here */
    uint64_t delay_until_us;    /* an error's backoff, this partition
                                   alone (the state's delay); 0: none */
    int p;                      /* r->p */
    int32_t epoch;              /* r's leader epoch when it was added: a
                                   new one removes and adds it again */
    int32_t req_epoch;          /* the leader epoch the request out named it
                                   with; -1: in none yet */
    uint8_t fstate;             /* KF_* */
} kfpart;

enum { KFETCH_INLINE = 4 };

/* A replica fetcher: all partitions this broker follows from one leader.
 * A few partitions (a leader's spread over 300 brokers: two or three)
 * stay in the fetcher itself, read with it on every answer instead of a
 * miss of their own; more move to heap for good (kfetcher_parts). */
typedef struct kfetcher {
    int leader_id, leader_node;
    kfpart *heap;               /* the partitions once capparts > 0 */
    int nparts, capparts;
    bool inflight;              /* a request is out */
    uint64_t corr;              /* of the request out */
    uint64_t timer;             /* the backoff, 0: none */
    uint64_t rto;               /* timeout timer armed, 0: none; it may
                                   belong to an earlier request (lazy) */
    uint64_t rto_at;            /* the request out times out then */
    uint64_t sent_us;           /* when it went out: the partitions ready
                                   then are the ones it names */
    kfpart in[KFETCH_INLINE];   /* the partitions while capparts is 0 */
} kfetcher;

static inline kfpart *kfetcher_parts(kfetcher *f)
{
    return f->capparts ? f->heap : f->in;
}

/* A follower fetch the leader holds until data arrives or max wait. A
 * request of a few partitions (nearly all: a leader's partitions spread
 * over every follower) stays in the slot itself, which the parked array
 * holds together: no miss on a buffer of its own when it parks and when
 * it runs again. */
enum { KPARKED_INLINE = 104 };
typedef struct kparked {
    int from;                   /* follower node */
    size_t len, cap;            /* the request's bytes; cap: buf's room */
    uint8_t *buf;               /* a longer request's bytes (kept for reuse) */
    uint64_t timer;
    uint8_t in[KPARKED_INLINE]; /* a request of up to this many bytes */
} kparked;

enum { KFRES_INLINE = 5 };

/* What a fetcher's last request resolved to, kept per requesting node: a
 * follower asks for the same partitions again and again, so the next
 * request finds its replicas without a topic lookup or a miss in the
 * topic's replica array. Valid while gen == rep_gen; each entry is still
 * checked against the name and partition asked. */
typedef struct kfres {
    int n, cap;                 /* entries; cap: the heap array's room */
    uint64_t gen;
    kreplica **heap;            /* the entries when more than KFRES_INLINE */
    kreplica *in[KFRES_INLINE]; /* else here (the scale run's fetches name
                                   two or three partitions): one miss less
                                   before the replicas are asked for.
                                   NULL: none resolved */
} kfres;

/* A ZooKeeper call in flight: owned by the broker until it completes, so
 * a crash frees what the dropped callbacks would have. */
typedef struct kop {
    struct kop *next, *prev;
    kafka_broker *b;
    int kind;                   /* what the callback does */
    int a, c;                   /* small arguments */
    char *str;                  /* a name */
    uint64_t gen;               /* session generation it belongs to */
    uint64_t serial;            /* controller incarnation it belongs to */
    int from;                   /* who waits for the answer, -1: nobody */
    uint64_t corr;              /* their request */
    kafka_pstate st;            /* the state being written */
} kop;

struct kafka_broker {
    sim *s;
    int node, id;
    char rack[24];              /* "" when none */
    kafka_config cfg;
    kafka_hooks hooks;          /* the world's observers (checkers) */
    int zk_nodes[16];
    int nzk;
    zk_client *zk;              /* this session's client */
    uint64_t zk_gen;            /* bumped per session */
    bool registered;
    bool registering;           /* a registration is under way: one per
                                   session, however often it reconnects */
    int64_t broker_epoch;       /* czxid of our registration */
    int ctrl_id;                /* known controller, -1 */
    int ctrl_node;
    int32_t ctrl_epoch;         /* highest controller epoch seen */
    kafka_ctrl *ctrl;           /* while this broker is the controller */
    uint64_t ctrl_serial;       /* bumped per controller incarnation */
    ktopic **topics;            /* insertion order, deterministic */
    uint64_t *tkeys;            /* digest of each topic's name, same order */
    int ntopics, captopics;
    klive *live;                /* live brokers from UpdateMetadata, in
                                   its order (Metadata answers keep it) */
    int nlive, caplive;
    int *live_by;               /* positions in live by (id, position):
                                   kb_live in O(log n); kb_live_reindex */
    kfetcher *fetchers;
    int nfetchers, capfetchers;
    int *fetcher_by;            /* open addressing by leader id: index in
                                   fetchers + 1, 0 empty; capfetcher_by a
                                   power of two, at most half full */
    int capfetcher_by;
    kparked *parked;
    int nparked, capparked;
    int16_t *parked_at;         /* by follower node: index in parked, -1 */
    int nparked_at;
    uint64_t rep_gen;           /* bumped when a (topic, partition) may name
                                   another replica or none: a replica freed,
                                   a topic made or deleted */
    kfres *fres;                /* by requesting node */
    int nfres;
    wbuf scratch;               /* reused to encode fetch traffic */
    kop *ops;                   /* ZooKeeper calls in flight */
    uint64_t corr;              /* next request id */
    uint64_t isr_timer;
    uint64_t isr_due_us;        /* when isr_timer fires (kafka_deadline.c) */
    bool up;
    bool stopping, stop_done;
    int shutdown_tries;         /* controlled shutdown attempts */
    uint64_t shut_corr;         /* our ControlledShutdown request out */
    kpend *pend;                /* Produce requests not answered yet */
    int npend, cappend;
    kbk *kraft;                 /* KRaft mode's half; NULL: ZooKeeper mode */
};

/* kafka_broker.c */
ktopic *kb_topic(const kafka_broker *b, const char *name);
ktopic *kb_topic_make(kafka_broker *b, const char *name, uint64_t id, int nparts);
kreplica *kb_replica(const kafka_broker *b, const char *topic, int p);
kreplica *kb_topic_rep(const ktopic *t, int p);  /* NULL: none here */
kreplica *kb_replica_make(ktopic *t, int p);    /* made empty if missing */
void kb_replica_drop(ktopic *t, int p);         /* frees it; none: no-op */
/* Sets r's leader role, keeping its topic's count of leaders. */
void kb_replica_lead(kreplica *r, bool lead);
void kb_replica_free(kreplica *r);              /* its log and waits too */
const klive *kb_live(const kafka_broker *b, int id);   /* the first with id */
void kb_live_reindex(kafka_broker *b);          /* after live changed */
kop *kb_op(kafka_broker *b, int kind);
void kb_op_done(kop *op);
uint64_t kb_now(const kafka_broker *b);
void kb_send(kafka_broker *b, int to, uint32_t type, const wbuf *w);

/* kafka_produce.c: one answer per Produce request. kp_begin makes it for
 * n partitions, kp_name names slot's partition, kp_fill gives its result
 * (the answer goes when the last slot is filled; unknown ids are ignored),
 * kp_wait starts the request timeout for slots still open. */
uint64_t kp_begin(kafka_broker *b, int from, uint64_t corr, int n);
void kp_name(kafka_broker *b, uint64_t id, int slot, const char *topic, int p);
void kp_fill(kafka_broker *b, uint64_t id, int slot, kerr err, int64_t base);
void kp_wait(kafka_broker *b, uint64_t id, uint32_t timeout_ms);
void kp_free_all(kafka_broker *b);              /* a crash: none answered */
void kp_destroy(kafka_broker *b);

/* kafka_broker.c: the end of a clean stop (replicas stopped, the
 * process exits) */
void kb_stop_now(kafka_broker *b);

/* kafka_broker_kraft.c: KRaft mode (the broker's node calls these in
 * place of its ZooKeeper client's). */
kbk *kbk_new(kafka_broker *b, const int *ctl_ids, const int *ctl_nodes, int n);
void kbk_free(kbk *k);                          /* NULL is a no-op */
/* The controller id a Metadata answer names: a random alive broker (-1
 * none), as KRaftMetadataCache.getRandomAliveBrokerId picks it. */
int kbk_metadata_controller(kafka_broker *b);
bool kbk_running(const kafka_broker *b);        /* unfenced once since its start */
void kbk_start(kafka_broker *b);
void kbk_crash(kafka_broker *b);
void kbk_reset(kafka_broker *b, int peer);
/* A clean stop begins (PENDING_CONTROLLED_SHUTDOWN); false when the
 * broker was never unfenced: it stops at once. */
bool kbk_stop(kafka_broker *b);
/* BrokerServer.shutdown's wait for the controller's grant: 5 minutes. */
#define KBK_SHUTDOWN_WAIT_MS 300000
/* A message of KRaft's (Raft, registration, heartbeats, forwarding);
 * false: the broker's own. */
bool kbk_recv(kafka_broker *b, int from, uint32_t type, const uint8_t *d, size_t n);
/* The node of broker id as the image registers it, fenced or not (a
 * follower fetches from its leader by the image's registration,
 * ReplicaManager.applyLocalFollowersDelta); -1 when not registered. */
int kbk_broker_node(const kafka_broker *b, int id);
/* Partition.isReplicaIsrEligible in KRaft mode (Kafka 3.3 and later,
 * KIP-841): a follower may join the ISR only if the image registers it
 * neither fenced nor in controlled shutdown, so a leader whose ISR the
 * controller shrank without a new leader epoch does not ask at once to
 * add back the broker that is leaving. */
bool kbk_isr_eligible(const kafka_broker *b, int id);

/* kafka_broker_req.c */
void kb_on_leader_and_isr(kafka_broker *b, int from, rbuf *r);
void kb_on_update_metadata(kafka_broker *b, int from, rbuf *r);
void kb_on_stop_replica(kafka_broker *b, int from, rbuf *r);
void kb_on_metadata(kafka_broker *b, int from, rbuf *r);
void kb_partition_state(kafka_broker *b, ktopic *t, int p, const kafka_pstate *st);

/* kafka_replica.c */
void kr_become_leader(kafka_broker *b, kreplica *r);
void kr_update_assignment(kafka_broker *b, kreplica *r); /* replicas or ISR changed, same epoch */
void kr_become_follower(kafka_broker *b, kreplica *r);
void kr_stop(kafka_broker *b, kreplica *r);     /* no role */
void kr_on_produce(kafka_broker *b, int from, rbuf *r);
void kr_on_fetch(kafka_broker *b, int from, const uint8_t *d, size_t n, bool parked);
void kr_prefetch(const kafka_broker *b, int from, uint32_t type, const uint8_t *head,
                 size_t len, sim_timer_fn fn, uint64_t arg);
void kr_on_fetch_resp(kafka_broker *b, int from, rbuf *r);
void kr_on_list_offsets(kafka_broker *b, int from, rbuf *r);
void kr_on_epoch(kafka_broker *b, int from, rbuf *r);
void kr_on_epoch_resp(kafka_broker *b, int from, rbuf *r);
void kr_on_alter_resp(kafka_broker *b, rbuf *r);
void kr_isr_tick(void *self, uint64_t arg);
void kr_crash(kafka_broker *b);                 /* forget volatile state */
void kr_destroy(kafka_broker *b);               /* kr_crash, then free */
void kr_reset(kafka_broker *b, int peer);

/* kafka_ctrl.c: the controller role, made when this broker wins. */
kafka_ctrl *kc_new(kafka_broker *b, int32_t epoch, int32_t epoch_zkv);
void kc_free(kafka_ctrl *c);
void kc_recv(kafka_ctrl *c, int from, uint32_t type, rbuf *r);
void kc_watch(kafka_ctrl *c, zevent ev, const char *path);
void kc_zk_done(kop *op, const zk_result *res);  /* ops of the controller */
void kc_shutdown_local(kafka_ctrl *c, int from, int broker_id);
int32_t kc_epoch(const kafka_ctrl *c);
bool kc_sees(kafka_ctrl *c, int broker_id);     /* in its live list */

#define KOP_CTRL_BASE 100       /* op kinds >= this belong to kafka_ctrl.c */

#endif
