/* kmeta_image: committed metadata records applied in order (Kafka's
 * MetadataDelta / MetadataImage, ClusterControlManager.replay,
 * PartitionRegistration.merge). */
#include "kmeta_image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* One topic config (ConfigurationImage). */
typedef struct kmeta_conf {
    char resource[KMETA_TOPIC_MAX];     /* topic name */
    char key[KMETA_CONF_MAX];
    char value[KMETA_CONF_MAX];
} kmeta_conf;

struct kmeta_image {
    kmeta_conf *confs;          /* topic configs, in first-set order */
    int nconfs, capconfs;       /* used, allocated */
    kmeta_broker *brokers;      /* sorted by id */
    int nbrokers, capbrokers;   /* used, allocated */
    kmeta_topic *topics;        /* creation order */
    int ntopics, captopics;     /* used, allocated */
    int64_t offset;             /* last applied, -1 none */
};

kmeta_image *kmeta_image_new(void)
{
    kmeta_image *img = xcalloc(1, sizeof *img);
    img->offset = -1;
    return img;
}

void kmeta_image_free(kmeta_image *img)
{
    if (!img) return;
    for (int i = 0; i < img->ntopics; i++) free(img->topics[i].parts);
    free(img->topics);
    free(img->brokers);
    free(img->confs);
    free(img);
}

int64_t kmeta_image_offset(const kmeta_image *img) { return img->offset; }
int kmeta_image_nbrokers(const kmeta_image *img) { return img->nbrokers; }
int kmeta_image_ntopics(const kmeta_image *img) { return img->ntopics; }

const kmeta_broker *kmeta_image_broker_at(const kmeta_image *img, int i)
{
    return i >= 0 && i < img->nbrokers ? &img->brokers[i] : NULL;
}

/* Index of id, or where it would go (then *found is false). */
static int broker_slot(const kmeta_image *img, int id, bool *found)
{
    int lo = 0, hi = img->nbrokers;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (img->brokers[mid].id < id) lo = mid + 1;
        else hi = mid;
    }
    *found = lo < img->nbrokers && img->brokers[lo].id == id;
    return lo;
}

const kmeta_broker *kmeta_image_broker(const kmeta_image *img, int id)
{
    bool found;
    int i = broker_slot(img, id, &found);
    return found ? &img->brokers[i] : NULL;
}

const kmeta_topic *kmeta_image_topic_at(const kmeta_image *img, int i)
{
    return i >= 0 && i < img->ntopics ? &img->topics[i] : NULL;
}

const kmeta_topic *kmeta_image_topic(const kmeta_image *img, const char *name)
{
    for (int i = 0; i < img->ntopics; i++)
        if (strcmp(img->topics[i].name, name) == 0) return &img->topics[i];
    return NULL;
}

static int topic_index(const kmeta_image *img, kmeta_uuid id)
{
    for (int i = 0; i < img->ntopics; i++)
        if (img->topics[i].id.hi == id.hi && img->topics[i].id.lo == id.lo)
            return i;
    return -1;
}

const kmeta_topic *kmeta_image_topic_id(const kmeta_image *img, kmeta_uuid id)
{
    int i = topic_index(img, id);
    return i < 0 ? NULL : &img->topics[i];
}

/* A partition slot is known once a PartitionRecord filled it: a known
 * partition always has replicas. */
static kmeta_part *part_of(const kmeta_topic *t, int p)
{
    if (!t || p < 0 || p >= t->nparts || t->parts[p].replicas.n <= 0)
        return NULL;
    return &t->parts[p];
}

const kmeta_part *kmeta_image_part(const kmeta_image *img, const char *topic,
                                   int partition)
{
    return part_of(kmeta_image_topic(img, topic), partition);
}

static bool fail(char *err, size_t cap, const char *what, const kmeta_rec *r)
{
    if (err && cap)
        snprintf(err, cap, "%s: %s", kmeta_type_name(r->type), what);
    return false;
}

static bool apply_register(kmeta_image *img, const kmeta_rec *r, int64_t offset)
{
    bool found;
    int i = broker_slot(img, r->broker_id, &found);
    if (!found) {
        VEC_GROW(img->brokers, img->nbrokers, img->capbrokers);
        memmove(&img->brokers[i + 1], &img->brokers[i],
                (size_t)(img->nbrokers - i) * sizeof *img->brokers);
        img->nbrokers++;
    }
    kmeta_broker *b = &img->brokers[i];
    memset(b, 0, sizeof *b);
    b->id = r->broker_id;
    b->epoch = r->broker_epoch;
    b->reg_offset = offset;
    b->incarnation = r->incarnation;
    snprintf(b->rack, sizeof b->rack, "%s", r->rack);
    b->fenced = r->fenced;
    /* RegisterBrokerRecord.InControlledShutdown: false from a broker's
     * registration, as it stands in a snapshot's */
    b->in_controlled_shutdown = r->in_controlled_shutdown > 0;
    return true;
}

/* Fence, unfence, unregister and registration changes name the broker
 * epoch they are about; one for another epoch does not fit (Kafka's
 * replayRegistrationChange throws). */
static bool apply_broker_change(kmeta_image *img, const kmeta_rec *r,
                                char *err, size_t cap)
{
    bool found;
    int i = broker_slot(img, r->broker_id, &found);
    if (!found) return fail(err, cap, "no such broker", r);
    kmeta_broker *b = &img->brokers[i];
    if (b->epoch != r->broker_epoch)
        return fail(err, cap, "another broker epoch", r);
    switch (r->type) {
    case KMETA_FENCE_BROKER: b->fenced = true; break;
    case KMETA_UNFENCE_BROKER: b->fenced = false; break;
    case KMETA_BROKER_REG_CHANGE:
        if (r->fencing_change > 0) b->fenced = true;
        else if (r->fencing_change < 0) b->fenced = false;
        if (r->in_controlled_shutdown > 0) b->in_controlled_shutdown = true;
        break;
    default:                                    /* UnregisterBrokerRecord */
        memmove(&img->brokers[i], &img->brokers[i + 1],
                (size_t)(img->nbrokers - i - 1) * sizeof *img->brokers);
        img->nbrokers--;
        break;
    }
    return true;
}

static bool apply_topic(kmeta_image *img, const kmeta_rec *r, char *err,
                        size_t cap)
{
    if (kmeta_image_topic(img, r->topic) || topic_index(img, r->topic_id) >= 0)
        return fail(err, cap, "topic exists", r);
    VEC_GROW(img->topics, img->ntopics, img->captopics);
    kmeta_topic *t = &img->topics[img->ntopics++];
    memset(t, 0, sizeof *t);
    snprintf(t->name, sizeof t->name, "%s", r->topic);
    t->id = r->topic_id;
    return true;
}

static bool apply_remove_topic(kmeta_image *img, const kmeta_rec *r, char *err,
                               size_t cap)
{
    int i = topic_index(img, r->topic_id);
    if (i < 0) return fail(err, cap, "no such topic", r);
    for (int k = img->nconfs - 1; k >= 0; k--)     /* its configs go too */
        if (strcmp(img->confs[k].resource, img->topics[i].name) == 0) {
            memmove(&img->confs[k], &img->confs[k + 1],
                    (size_t)(img->nconfs - k - 1) * sizeof *img->confs);
            img->nconfs--;
        }
    free(img->topics[i].parts);
    memmove(&img->topics[i], &img->topics[i + 1],
            (size_t)(img->ntopics - i - 1) * sizeof *img->topics);
    img->ntopics--;
    return true;
}

static bool apply_partition(kmeta_image *img, const kmeta_rec *r, char *err,
                            size_t cap)
{
    int i = topic_index(img, r->topic_id);
    if (i < 0) return fail(err, cap, "no such topic", r);
    if (r->partition < 0 || r->replicas.n <= 0)
        return fail(err, cap, "no partition id or no replicas", r);
    kmeta_topic *t = &img->topics[i];
    if (r->partition >= t->nparts) {
        int n = r->partition + 1;
        if (n > t->cap) {
            t->cap = n > 2 * t->cap ? n : 2 * t->cap;
            t->parts = xrealloc(t->parts, (size_t)t->cap * sizeof *t->parts);
        }
        memset(&t->parts[t->nparts], 0,
               (size_t)(n - t->nparts) * sizeof *t->parts);
        t->nparts = n;
    }
    kmeta_part *p = &t->parts[r->partition];
    p->replicas = r->replicas;
    p->isr = r->isr;
    p->removing = r->removing;
    p->adding = r->adding;
    p->leader = r->leader;
    p->leader_epoch = r->leader_epoch;
    p->partition_epoch = r->partition_epoch;
    p->leader_recovery = r->leader_recovery;
    return true;
}

/* PartitionRegistration.merge: null lists keep the old ones; any leader
 * but -2 (even the same one) bumps the leader epoch; every change bumps
 * the partition epoch. */
static bool apply_change(kmeta_image *img, const kmeta_rec *r, char *err,
                         size_t cap)
{
    int i = topic_index(img, r->topic_id);
    kmeta_part *p = part_of(i < 0 ? NULL : &img->topics[i], r->partition);
    if (!p) return fail(err, cap, "no such partition", r);
    if (r->replicas.n >= 0) p->replicas = r->replicas;
    if (r->isr.n >= 0) p->isr = r->isr;
    if (r->removing.n >= 0) p->removing = r->removing;
    if (r->adding.n >= 0) p->adding = r->adding;
    if (r->leader != KMETA_NO_LEADER_CHANGE) {
        p->leader = r->leader;
        p->leader_epoch++;
    }
    if (r->leader_recovery >= 0) p->leader_recovery = r->leader_recovery;
    p->partition_epoch++;
    return true;
}

static int conf_find(const kmeta_image *img, const char *res, const char *key)
{
    for (int i = 0; i < img->nconfs; i++)
        if (strcmp(img->confs[i].resource, res) == 0 &&
            strcmp(img->confs[i].key, key) == 0)
            return i;
    return -1;
}

const char *kmeta_image_topic_config(const kmeta_image *img, const char *name,
                                     const char *key)
{
    int i = conf_find(img, name, key);
    return i < 0 ? NULL : img->confs[i].value;
}

/* A null value deletes the key; only topic configs are kept. */
static bool apply_config(kmeta_image *img, const kmeta_rec *r)
{
    if (r->resource_type != KMETA_RESOURCE_TOPIC) return true;
    int i = conf_find(img, r->topic, r->conf_name);
    if (!r->conf_value[0]) {
        if (i >= 0) {
            memmove(&img->confs[i], &img->confs[i + 1],
                    (size_t)(img->nconfs - i - 1) * sizeof *img->confs);
            img->nconfs--;
        }
        return true;
    }
    if (i < 0) {
        VEC_GROW(img->confs, img->nconfs, img->capconfs);
        i = img->nconfs++;
        snprintf(img->confs[i].resource, sizeof img->confs[i].resource, "%s", r->topic);
        snprintf(img->confs[i].key, sizeof img->confs[i].key, "%s", r->conf_name);
    }
    snprintf(img->confs[i].value, sizeof img->confs[i].value, "%s", r->conf_value);
    return true;
}

/* One record into the image, whatever its offset (a snapshot's records
 * have none of their own). */
static bool apply_one(kmeta_image *img, const kmeta_rec *r, int64_t offset,
                      char *err, size_t errcap)
{
    bool ok;
    switch (r->type) {
    case KMETA_REGISTER_BROKER: ok = apply_register(img, r, offset); break;
    case KMETA_UNREGISTER_BROKER:
    case KMETA_FENCE_BROKER:
    case KMETA_UNFENCE_BROKER:
    case KMETA_BROKER_REG_CHANGE:
        ok = apply_broker_change(img, r, err, errcap);
        break;
    case KMETA_TOPIC: ok = apply_topic(img, r, err, errcap); break;
    case KMETA_REMOVE_TOPIC: ok = apply_remove_topic(img, r, err, errcap); break;
    case KMETA_PARTITION: ok = apply_partition(img, r, err, errcap); break;
    case KMETA_PARTITION_CHANGE: ok = apply_change(img, r, err, errcap); break;
    case KMETA_CONFIG: ok = apply_config(img, r); break;
    default: ok = fail(err, errcap, "unknown record type", r); break;
    }
    return ok;
}

bool kmeta_image_apply(kmeta_image *img, const kmeta_rec *r, int64_t offset,
                       char *err, size_t errcap)
{
    if (offset <= img->offset)
        return fail(err, errcap, "offset not after the last applied", r);
    bool ok = apply_one(img, r, offset, err, errcap);
    if (ok) img->offset = offset;
    return ok;
}

void kmeta_part_record(const kmeta_topic *t, int p, kmeta_rec *out)
{
    kmeta_rec_init(out, KMETA_PARTITION);
    const kmeta_part *s = &t->parts[p];
    out->topic_id = t->id;
    out->partition = p;
    out->replicas = s->replicas;
    out->isr = s->isr;
    out->removing = s->removing;
    out->adding = s->adding;
    out->leader = s->leader;
    out->leader_epoch = s->leader_epoch;
    out->partition_epoch = s->partition_epoch;
    out->leader_recovery = s->leader_recovery;
}

/* --- snapshots: the image as records (MetadataImage.write) --- */

static void put_rec(wbuf *w, const kmeta_rec *r, uint32_t *n)
{
    wbuf one;
    wbuf_init(&one);
    kmeta_rec_encode(r, &one);
    w_bytes(w, one.data, one.len);
    wbuf_free(&one);
    (*n)++;
}

/* Brokers (ClusterImage), then each topic with its partitions
 * (TopicsImage), then topic configs (ConfigurationsImage): the order in
 * which MetadataImage.write writes its parts, and one a replay accepts. */
void kmeta_image_write(const kmeta_image *img, wbuf *w)
{
    wbuf recs;
    wbuf_init(&recs);
    uint32_t n = 0;
    kmeta_rec r;
    for (int i = 0; i < img->nbrokers; i++) {
        const kmeta_broker *b = &img->brokers[i];
        kmeta_rec_init(&r, KMETA_REGISTER_BROKER);
        r.broker_id = b->id;
        r.broker_epoch = b->epoch;
        r.incarnation = b->incarnation;
        snprintf(r.rack, sizeof r.rack, "%s", b->rack);
        r.fenced = b->fenced;
        r.in_controlled_shutdown = b->in_controlled_shutdown;
        put_rec(&recs, &r, &n);
    }
    for (int i = 0; i < img->ntopics; i++) {
        const kmeta_topic *t = &img->topics[i];
        kmeta_rec_init(&r, KMETA_TOPIC);
        snprintf(r.topic, sizeof r.topic, "%s", t->name);
        r.topic_id = t->id;
        put_rec(&recs, &r, &n);
        for (int p = 0; p < t->nparts; p++) {
            if (!part_of(t, p)) continue;
            kmeta_part_record(t, p, &r);
            put_rec(&recs, &r, &n);
        }
    }
    for (int i = 0; i < img->nconfs; i++) {
        kmeta_rec_init(&r, KMETA_CONFIG);
        r.resource_type = KMETA_RESOURCE_TOPIC;
        snprintf(r.topic, sizeof r.topic, "%s", img->confs[i].resource);
        snprintf(r.conf_name, sizeof r.conf_name, "%s", img->confs[i].key);
        snprintf(r.conf_value, sizeof r.conf_value, "%s", img->confs[i].value);
        put_rec(&recs, &r, &n);
    }
    w_u32(w, n);
    w_raw(w, recs.data, recs.len);
    wbuf_free(&recs);
}

kmeta_image *kmeta_image_read(const uint8_t *p, size_t len, int64_t end_offset,
                              char *err, size_t errcap)
{
    rbuf in = rbuf_of(p, len);
    uint32_t n = r_u32(&in);
    kmeta_image *img = kmeta_image_new();
    bool ok = !in.bad;
    for (uint32_t i = 0; ok && i < n; i++) {
        const uint8_t *d;
        size_t dl = r_bytes(&in, &d);
        kmeta_rec r;
        ok = !in.bad && kmeta_rec_decode(d, dl, &r);
        if (!ok) break;
        /* a broker's epoch is the offset of its registration record,
         * which the snapshot no longer holds but the epoch names */
        ok = apply_one(img, &r, r.type == KMETA_REGISTER_BROKER ? r.broker_epoch : -1,
                       err, errcap);
        if (!ok) {
            kmeta_image_free(img);
            return NULL;
        }
    }
    if (!ok || in.pos != in.len) {
        if (err && errcap) snprintf(err, errcap, "snapshot: undecodable records");
        kmeta_image_free(img);
        return NULL;
    }
    img->offset = end_offset - 1;
    return img;
}

/* n elements of size sz copied into a new array (never NULL). */
static void *dup_array(const void *p, int n, size_t sz)
{
    void *d = xmalloc(sz * (size_t)(n > 0 ? n : 1));
    if (n > 0) memcpy(d, p, sz * (size_t)n);
    return d;
}

kmeta_image *kmeta_image_clone(const kmeta_image *img)
{
    kmeta_image *c = kmeta_image_new();
    *c = *img;
    c->confs = dup_array(img->confs, img->nconfs, sizeof *c->confs);
    c->capconfs = img->nconfs;
    c->brokers = dup_array(img->brokers, img->nbrokers, sizeof *c->brokers);
    c->capbrokers = img->nbrokers;
    c->topics = dup_array(img->topics, img->ntopics, sizeof *c->topics);
    c->captopics = img->ntopics;
    for (int i = 0; i < img->ntopics; i++) {
        kmeta_topic *t = &c->topics[i];
        t->parts = dup_array(img->topics[i].parts, t->nparts, sizeof *t->parts);
        t->cap = t->nparts;
    }
    return c;
}
