/* kmeta_rec: KRaft metadata records, their defaults, bytes and text.
 * Field names and defaults follow Kafka's metadata JSON schemas. */
#include "kmeta_rec.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

void kmeta_rec_init(kmeta_rec *r, kmeta_type type)
{
    memset(r, 0, sizeof *r);
    r->type = type;
    r->fenced = true;                           /* "default": "true" */
    r->partition = -1;
    r->leader_epoch = -1;
    r->partition_epoch = -1;
    bool change = type == KMETA_PARTITION_CHANGE;
    r->leader = change ? KMETA_NO_LEADER_CHANGE : KMETA_NO_LEADER;
    r->leader_recovery = change ? -1 : 0;
    int n = change ? -1 : 0;                    /* null: "did not change" */
    r->replicas.n = r->isr.n = r->removing.n = r->adding.n = n;
}

const char *kmeta_type_name(int type)
{
    switch (type) {
    case KMETA_REGISTER_BROKER: return "RegisterBrokerRecord";
    case KMETA_UNREGISTER_BROKER: return "UnregisterBrokerRecord";
    case KMETA_TOPIC: return "TopicRecord";
    case KMETA_PARTITION: return "PartitionRecord";
    case KMETA_CONFIG: return "ConfigRecord";
    case KMETA_PARTITION_CHANGE: return "PartitionChangeRecord";
    case KMETA_FENCE_BROKER: return "FenceBrokerRecord";
    case KMETA_UNFENCE_BROKER: return "UnfenceBrokerRecord";
    case KMETA_REMOVE_TOPIC: return "RemoveTopicRecord";
    case KMETA_BROKER_REG_CHANGE: return "BrokerRegistrationChangeRecord";
    default: return "UnknownRecord";
    }
}

bool kmeta_ids_has(const kmeta_ids *l, int id)
{
    for (int i = 0; i < l->n; i++)
        if (l->id[i] == id) return true;
    return false;
}

void kmeta_ids_set(kmeta_ids *l, const int *ids, int n)
{
    QL_ASSERT(n <= KMETA_MAX_REPLICAS);
    l->n = n;
    for (int i = 0; i < n; i++) l->id[i] = ids[i];
}

bool kmeta_ids_equal(const kmeta_ids *a, const kmeta_ids *b)
{
    if (a->n != b->n) return false;
    for (int i = 0; i < a->n; i++)
        if (a->id[i] != b->id[i]) return false;
    return true;
}

static void w_ids(wbuf *w, const kmeta_ids *l)
{
    w_u32(w, (uint32_t)l->n);
    for (int i = 0; i < l->n; i++) w_u32(w, (uint32_t)l->id[i]);
}

static void r_ids(rbuf *r, kmeta_ids *l)
{
    int n = (int32_t)r_u32(r);
    if (n > KMETA_MAX_REPLICAS || n < -1) {
        r->bad = true;
        return;
    }
    l->n = n;
    for (int i = 0; i < n; i++) l->id[i] = (int32_t)r_u32(r);
}

static void w_uuid(wbuf *w, kmeta_uuid u)
{
    w_u64(w, u.hi);
    w_u64(w, u.lo);
}

static kmeta_uuid r_uuid(rbuf *r)
{
    kmeta_uuid u;
    u.hi = r_u64(r);
    u.lo = r_u64(r);
    return u;
}

/* The partition fields PartitionRecord and PartitionChangeRecord share. */
static void w_part(wbuf *w, const kmeta_rec *r)
{
    w_uuid(w, r->topic_id);
    w_u32(w, (uint32_t)r->partition);
    w_ids(w, &r->replicas);
    w_ids(w, &r->isr);
    w_ids(w, &r->removing);
    w_ids(w, &r->adding);
    w_u32(w, (uint32_t)r->leader);
    w_u32(w, (uint32_t)r->leader_epoch);
    w_u32(w, (uint32_t)r->partition_epoch);
    w_u8(w, (uint8_t)r->leader_recovery);
}

static void r_part(rbuf *b, kmeta_rec *r)
{
    r->topic_id = r_uuid(b);
    r->partition = (int32_t)r_u32(b);
    r_ids(b, &r->replicas);
    r_ids(b, &r->isr);
    r_ids(b, &r->removing);
    r_ids(b, &r->adding);
    r->leader = (int32_t)r_u32(b);
    r->leader_epoch = (int32_t)r_u32(b);
    r->partition_epoch = (int32_t)r_u32(b);
    r->leader_recovery = (int8_t)r_u8(b);
}

void kmeta_rec_encode(const kmeta_rec *r, wbuf *w)
{
    w_u8(w, (uint8_t)r->type);
    switch (r->type) {
    case KMETA_REGISTER_BROKER:
        w_uuid(w, r->incarnation);
        w_str(w, r->rack);
        w_u8(w, r->fenced);
        /* fall through */
    case KMETA_UNREGISTER_BROKER:
    case KMETA_FENCE_BROKER:
    case KMETA_UNFENCE_BROKER:
    case KMETA_BROKER_REG_CHANGE:
        w_u32(w, (uint32_t)r->broker_id);
        w_i64(w, r->broker_epoch);
        w_u8(w, (uint8_t)r->fencing_change);
        w_u8(w, (uint8_t)r->in_controlled_shutdown);
        break;
    case KMETA_TOPIC:
        w_str(w, r->topic);
        /* fall through */
    case KMETA_REMOVE_TOPIC:
        w_uuid(w, r->topic_id);
        break;
    case KMETA_PARTITION:
    case KMETA_PARTITION_CHANGE:
        w_part(w, r);
        break;
    case KMETA_CONFIG:
        w_u8(w, (uint8_t)r->resource_type);
        w_str(w, r->topic);
        w_str(w, r->conf_name);
        w_str(w, r->conf_value);
        break;
    }
}

bool kmeta_rec_decode(const uint8_t *p, size_t n, kmeta_rec *out)
{
    rbuf b = rbuf_of(p, n);
    int type = r_u8(&b);
    if (b.bad || strcmp(kmeta_type_name(type), "UnknownRecord") == 0)
        return false;
    kmeta_rec_init(out, (kmeta_type)type);
    switch (out->type) {
    case KMETA_REGISTER_BROKER:
        out->incarnation = r_uuid(&b);
        r_str(&b, out->rack, sizeof out->rack);
        out->fenced = r_u8(&b) != 0;
        /* fall through */
    case KMETA_UNREGISTER_BROKER:
    case KMETA_FENCE_BROKER:
    case KMETA_UNFENCE_BROKER:
    case KMETA_BROKER_REG_CHANGE:
        out->broker_id = (int32_t)r_u32(&b);
        out->broker_epoch = r_i64(&b);
        out->fencing_change = (int8_t)r_u8(&b);
        out->in_controlled_shutdown = (int8_t)r_u8(&b);
        break;
    case KMETA_TOPIC:
        r_str(&b, out->topic, sizeof out->topic);
        /* fall through */
    case KMETA_REMOVE_TOPIC:
        out->topic_id = r_uuid(&b);
        break;
    case KMETA_PARTITION:
    case KMETA_PARTITION_CHANGE:
        r_part(&b, out);
        break;
    case KMETA_CONFIG:
        out->resource_type = (int8_t)r_u8(&b);
        r_str(&b, out->topic, sizeof out->topic);
        r_str(&b, out->conf_name, sizeof out->conf_name);
        r_str(&b, out->conf_value, sizeof out->conf_value);
        break;
    }
    return !b.bad && b.pos == b.len;
}

void kmeta_uuid_str(kmeta_uuid u, char out[23])
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint8_t bytes[18] = { 0 };                  /* 16 + room for the tail */
    for (int i = 0; i < 8; i++) {
        bytes[i] = (uint8_t)(u.hi >> (56 - 8 * i));
        bytes[8 + i] = (uint8_t)(u.lo >> (56 - 8 * i));
    }
    int o = 0;
    for (int i = 0; i < 18 && o < 22; i += 3) {
        uint32_t v = (uint32_t)bytes[i] << 16 | (uint32_t)bytes[i + 1] << 8 |
                     bytes[i + 2];
        for (int k = 0; k < 4 && o < 22; k++)
            out[o++] = abc[(v >> (18 - 6 * k)) & 63];
    }
    out[22] = '\0';
}

/* A small appender: every write stays inside buf and terminated. */
typedef struct outbuf {
    char *p;        /* the caller's buffer */
    size_t cap;     /* its size */
    size_t len;     /* used, without the terminator */
} outbuf;

static void put(outbuf *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(outbuf *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (k < 0) return;
    o->len += (size_t)k;
    if (o->len >= o->cap) o->len = o->cap - 1;
}

static void put_ids(outbuf *o, const char *name, const kmeta_ids *l)
{
    if (l->n < 0) return;                       /* null: no change */
    put(o, ", %s=[", name);
    for (int i = 0; i < l->n; i++) put(o, i ? ", %d" : "%d", l->id[i]);
    put(o, "]");
}

static void put_part(outbuf *o, const kmeta_rec *r)
{
    char id[23];
    kmeta_uuid_str(r->topic_id, id);
    put(o, "partitionId=%d, topicId=%s", r->partition, id);
    put_ids(o, "replicas", &r->replicas);
    put_ids(o, "isr", &r->isr);
    bool change = r->type == KMETA_PARTITION_CHANGE;
    if (!change || r->removing.n > 0) put_ids(o, "removingReplicas", &r->removing);
    if (!change || r->adding.n > 0) put_ids(o, "addingReplicas", &r->adding);
    if (!change || r->leader != KMETA_NO_LEADER_CHANGE)
        put(o, ", leader=%d", r->leader);
    if (!change)
        put(o, ", leaderEpoch=%d, partitionEpoch=%d", r->leader_epoch,
            r->partition_epoch);
    if (!change || r->leader_recovery >= 0)
        put(o, ", leaderRecoveryState=%d", r->leader_recovery);
}

size_t kmeta_rec_describe(const kmeta_rec *r, char *buf, size_t cap)
{
    outbuf o = { buf, cap, 0 };
    if (cap) buf[0] = '\0';
    char id[23];
    put(&o, "%s(", kmeta_type_name(r->type));
    switch (r->type) {
    case KMETA_REGISTER_BROKER:
        kmeta_uuid_str(r->incarnation, id);
        put(&o, "brokerId=%d, incarnationId=%s, brokerEpoch=%lld, rack=%s%s%s, "
            "fenced=%s", r->broker_id, id, (long long)r->broker_epoch,
            r->rack[0] ? "'" : "", r->rack[0] ? r->rack : "null",
            r->rack[0] ? "'" : "", r->fenced ? "true" : "false");
        break;
    case KMETA_UNREGISTER_BROKER:
        put(&o, "brokerId=%d, brokerEpoch=%lld", r->broker_id,
            (long long)r->broker_epoch);
        break;
    case KMETA_FENCE_BROKER:
    case KMETA_UNFENCE_BROKER:
        put(&o, "id=%d, epoch=%lld", r->broker_id, (long long)r->broker_epoch);
        break;
    case KMETA_BROKER_REG_CHANGE:
        put(&o, "brokerId=%d, brokerEpoch=%lld, fenced=%d", r->broker_id,
            (long long)r->broker_epoch, r->fencing_change);
        if (r->in_controlled_shutdown)
            put(&o, ", inControlledShutdown=%d", r->in_controlled_shutdown);
        break;
    case KMETA_TOPIC:
        kmeta_uuid_str(r->topic_id, id);
        put(&o, "name='%s', topicId=%s", r->topic, id);
        break;
    case KMETA_REMOVE_TOPIC:
        kmeta_uuid_str(r->topic_id, id);
        put(&o, "topicId=%s", id);
        break;
    case KMETA_PARTITION:
    case KMETA_PARTITION_CHANGE:
        put_part(&o, r);
        break;
    case KMETA_CONFIG:
        put(&o, "resourceType=%d, resourceName='%s', name='%s', value=%s%s%s",
            r->resource_type, r->topic, r->conf_name, r->conf_value[0] ? "'" : "",
            r->conf_value[0] ? r->conf_value : "null", r->conf_value[0] ? "'" : "");
        break;
    }
    put(&o, ")");
    return o.len;
}
