/* kafka_wire: decoding what kcat sends a broker and encoding what a 2.8
 * broker answers. Every length and count is checked against what is left
 * of the frame before it is used, so a hostile length never reads or
 * allocates beyond the frame (which kw_frame already held to a limit). */
#include "kafka_wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The versions advertised: RecordBatch v2 needs Produce >= 3 and
 * Fetch >= 4 (librdkafka's MsgVer2 feature); all below the flexible
 * versions (Metadata 9, Produce 9, Fetch 12, ListOffsets 6). */
const kw_api kw_apis[] = {
    { KW_PRODUCE, 3, 3 }, { KW_FETCH, 4, 4 }, { KW_LIST_OFFSETS, 1, 1 },
    { KW_METADATA, 1, 1 }, { KW_API_VERSIONS, 0, 2 },
    { KW_CREATE_TOPICS, 2, 2 }, { KW_DELETE_TOPICS, 1, 1 },
};
const int kw_napis = (int)(sizeof kw_apis / sizeof kw_apis[0]);

bool kw_api_supported(int16_t key, int16_t version)
{
    for (int i = 0; i < kw_napis; i++)
        if (kw_apis[i].key == key) return version >= kw_apis[i].min && version <= kw_apis[i].max;
    return false;
}

const char *kw_api_name(int16_t key)
{
    switch (key) {
    case KW_PRODUCE: return "Produce";
    case KW_FETCH: return "Fetch";
    case KW_LIST_OFFSETS: return "ListOffsets";
    case KW_METADATA: return "Metadata";
    case KW_API_VERSIONS: return "ApiVersions";
    case KW_CREATE_TOPICS: return "CreateTopics";
    case KW_DELETE_TOPICS: return "DeleteTopics";
    default: return "an unknown API";
    }
}

/* ------------------------------------------------------------ reading */

kw_in kw_in_of(const uint8_t *p, size_t n) { return (kw_in){ .p = p, .n = n }; }

static const uint8_t *take(kw_in *in, size_t k)
{
    if (in->bad || in->n - in->pos < k) { in->bad = true; return NULL; }
    const uint8_t *at = in->p + in->pos;
    in->pos += k;
    return at;
}

static uint64_t be(const uint8_t *b, int k)
{
    uint64_t v = 0;
    for (int i = 0; i < k; i++) v = v << 8 | b[i];
    return v;
}

int8_t kw_i8(kw_in *in) { const uint8_t *b = take(in, 1); return b ? (int8_t)b[0] : 0; }
int16_t kw_i16(kw_in *in) { const uint8_t *b = take(in, 2); return b ? (int16_t)be(b, 2) : 0; }
int32_t kw_i32(kw_in *in) { const uint8_t *b = take(in, 4); return b ? (int32_t)be(b, 4) : 0; }
int64_t kw_i64(kw_in *in) { const uint8_t *b = take(in, 8); return b ? (int64_t)be(b, 8) : 0; }

/* ByteUtils.readUnsignedVarint/Varlong: 7 bits a byte, low first; more
 * bytes than the type holds is malformed. */
static uint64_t uvar(kw_in *in, int max_bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < max_bytes; i++) {
        const uint8_t *b = take(in, 1);
        if (!b) return 0;
        v |= (uint64_t)(*b & 0x7f) << (7 * i);
        if (!(*b & 0x80)) return v;
    }
    in->bad = true;
    return 0;
}

int32_t kw_varint(kw_in *in)
{
    uint32_t u = (uint32_t)uvar(in, 5);
    return (int32_t)((u >> 1) ^ (0u - (u & 1)));
}

int64_t kw_varlong(kw_in *in)
{
    uint64_t u = uvar(in, 10);
    return (int64_t)((u >> 1) ^ (0u - (u & 1)));
}

static int32_t sized(kw_in *in, int32_t len, const uint8_t **p)
{
    *p = NULL;
    if (in->bad || len < 0) {
        if (len < -1) in->bad = true;           /* only -1 means null */
        return -1;
    }
    *p = take(in, (size_t)len);
    return *p ? len : -1;
}

int32_t kw_string(kw_in *in, const uint8_t **p) { return sized(in, kw_i16(in), p); }
int32_t kw_bytes(kw_in *in, const uint8_t **p) { return sized(in, kw_i32(in), p); }

int32_t kw_array(kw_in *in, size_t elem_min, int32_t max)
{
    int32_t n = kw_i32(in);
    if (in->bad || n == -1) return -1;
    if (n < 0 || n > max || (size_t)n * elem_min > in->n - in->pos) {
        in->bad = true;
        return -1;
    }
    return n;
}

kw_frame_st kw_frame(const uint8_t *p, size_t n, size_t max, size_t *len)
{
    if (n < 4) return KW_NEED_MORE;
    int32_t v = (int32_t)be(p, 4);
    /* the header alone is 10 bytes: anything shorter is no request */
    if (v < 10 || (size_t)v > max) return KW_BAD_LEN;
    *len = (size_t)v;
    return n - 4 >= (size_t)v ? KW_FRAME : KW_NEED_MORE;
}

bool kw_str_copy(kw_str s, char *out, size_t cap)
{
    if (s.len < 0 || (size_t)s.len >= cap) return false;
    memcpy(out, s.p, (size_t)s.len);
    out[s.len] = 0;
    return memchr(out, 0, (size_t)s.len) == NULL;
}

/* Tagged fields (KIP-482): a count, then tag, size and data each. */
static void skip_tags(kw_in *in)
{
    uint32_t n = (uint32_t)uvar(in, 5);
    for (uint32_t i = 0; i < n && !in->bad; i++) {
        uvar(in, 5);
        uint32_t size = (uint32_t)uvar(in, 5);
        take(in, size);
    }
}

bool kw_header_decode(const uint8_t *p, size_t n, kw_header *h)
{
    kw_in in = kw_in_of(p, n);
    *h = (kw_header){ 0 };
    h->key = kw_i16(&in);
    h->version = kw_i16(&in);
    h->corr = kw_i32(&in);
    const uint8_t *id;
    int32_t len = kw_string(&in, &id);
    if (len > 0) {
        size_t k = (size_t)len < sizeof h->client ? (size_t)len : sizeof h->client - 1;
        memcpy(h->client, id, k);
        for (size_t i = 0; i < k; i++)      /* it goes into the event log */
            if (h->client[i] < 32 || h->client[i] > 126) h->client[i] = '?';
    }
    if (h->key == KW_API_VERSIONS && h->version >= 3) skip_tags(&in);
    h->body = in.pos;
    return !in.bad;
}

static bool name_of(kw_in *in, kw_str *s)
{
    s->len = kw_string(in, &s->p);
    return !in->bad && s->len >= 0;
}

static kw_part *next_part(kw_req *r, kw_str topic)
{
    kw_part *pt = &r->parts[r->nparts++];
    *pt = (kw_part){ .topic = topic, .nrecords = -1 };
    return pt;
}

/* [topic string, [partition ...]]: per partition, fn reads the fields
 * after the partition index. */
static kw_status read_topics(kw_in *in, kw_req *r, size_t part_min,
                             void (*fn)(kw_in *, kw_part *))
{
    int32_t nt = kw_array(in, 6, KW_PARTS_MAX);
    if (in->bad || nt < 0) return KW_MALFORMED;
    for (int32_t t = 0; t < nt; t++) {
        kw_str name;
        if (!name_of(in, &name)) return KW_MALFORMED;
        int32_t np = kw_array(in, part_min, KW_PARTS_MAX);
        if (in->bad || np < 0) return KW_MALFORMED;
        if (r->nparts + np > KW_PARTS_MAX) return KW_TOO_MANY;
        for (int32_t k = 0; k < np && !in->bad; k++) {
            kw_part *pt = next_part(r, name);
            pt->partition = kw_i32(in);
            fn(in, pt);
        }
    }
    return in->bad ? KW_MALFORMED : KW_OK;
}

static void produce_part(kw_in *in, kw_part *pt) { pt->nrecords = kw_bytes(in, &pt->records); }

static void fetch_part(kw_in *in, kw_part *pt)
{
    pt->offset = kw_i64(in);
    pt->max_bytes = kw_i32(in);
}

static void offsets_part(kw_in *in, kw_part *pt) { pt->offset = kw_i64(in); }

static kw_status metadata_body(kw_in *in, kw_req *r)
{
    int32_t n = kw_array(in, 2, KW_TOPICS_MAX);
    if (in->bad) return KW_MALFORMED;
    r->all_topics = n < 0;
    for (int32_t i = 0; i < n; i++)
        if (!name_of(in, &r->topics[r->ntopics++])) return KW_MALFORMED;
    return KW_OK;
}

/* A config value as a number ("2", "true"); false for anything else. */
static bool config_int(kw_str v, int32_t *out)
{
    char buf[16];
    if (!kw_str_copy(v, buf, sizeof buf)) return false;
    if (strcmp(buf, "true") == 0) { *out = 1; return true; }
    if (strcmp(buf, "false") == 0) { *out = 0; return true; }
    char *end;
    long x = strtol(buf, &end, 10);
    if (!buf[0] || *end || x < 1 || x > 1000) return false;
    *out = (int32_t)x;
    return true;
}

/* CreatableTopicConfig: the two settings the lab keeps per topic */
static void topic_config(kw_topic_op *op, kw_str name, kw_str value)
{
    char key[40];
    int32_t v;
    if (!kw_str_copy(name, key, sizeof key) || !config_int(value, &v)) {
        op->err = KW_INVALID_CONFIG;
    } else if (strcmp(key, "min.insync.replicas") == 0) {
        op->min_isr = v;
    } else if (strcmp(key, "unclean.leader.election.enable") == 0 && v <= 1) {
        op->unclean = v;
    } else {
        op->err = KW_INVALID_CONFIG;
    }
}

/* CreateTopicsRequest v2: [name, num_partitions, replication_factor,
 * assignments [index, [broker]], configs [name, value]], timeout, validate_only */
static kw_status create_topics_body(kw_in *in, kw_req *r)
{
    int32_t n = kw_array(in, 16, KW_TOPICS_MAX);
    if (in->bad || n < 0) return KW_MALFORMED;
    for (int32_t i = 0; i < n; i++) {
        kw_topic_op *op = &r->ops[r->nops++];
        *op = (kw_topic_op){ .unclean = -1 };
        if (!name_of(in, &op->name)) return KW_MALFORMED;
        op->partitions = kw_i32(in);
        op->replication = kw_i16(in);
        int32_t na = kw_array(in, 8, KW_PARTS_MAX);
        for (int32_t k = 0; k < na && !in->bad; k++) {
            kw_i32(in);
            int32_t nb = kw_array(in, 4, KW_PARTS_MAX);
            for (int32_t j = 0; j < nb && !in->bad; j++) kw_i32(in);
        }
        if (na > 0) op->err = KW_INVALID_REPLICA_ASSIGNMENT;    /* not served */
        int32_t nc = kw_array(in, 4, KW_PARTS_MAX);
        for (int32_t k = 0; k < nc && !in->bad; k++) {
            kw_str key, val;
            key.len = kw_string(in, &key.p);
            val.len = kw_string(in, &val.p);
            if (!in->bad) topic_config(op, key, val);
        }
        if (in->bad) return KW_MALFORMED;
    }
    r->admin_timeout_ms = kw_i32(in);
    r->validate_only = kw_i8(in) != 0;
    return in->bad ? KW_MALFORMED : KW_OK;
}

/* DeleteTopicsRequest v1: [name], timeout */
static kw_status delete_topics_body(kw_in *in, kw_req *r)
{
    int32_t n = kw_array(in, 2, KW_TOPICS_MAX);
    if (in->bad || n < 0) return KW_MALFORMED;
    for (int32_t i = 0; i < n; i++) {
        kw_topic_op *op = &r->ops[r->nops++];
        *op = (kw_topic_op){ .unclean = -1 };
        if (!name_of(in, &op->name)) return KW_MALFORMED;
    }
    r->admin_timeout_ms = kw_i32(in);
    return in->bad ? KW_MALFORMED : KW_OK;
}

kw_status kw_req_decode(const uint8_t *p, size_t n, kw_req *r)
{
    r->nparts = r->ntopics = r->nops = 0;
    r->validate_only = false;
    r->all_topics = false;
    if (!kw_header_decode(p, n, &r->h)) return KW_MALFORMED;
    if (r->h.key == KW_API_VERSIONS) return KW_OK;     /* the body is not needed */
    if (!kw_api_supported(r->h.key, r->h.version)) return KW_UNSUPPORTED;
    kw_in in = kw_in_of(p, n);
    in.pos = r->h.body;
    kw_status st = KW_OK;
    const uint8_t *txn;
    switch (r->h.key) {
    case KW_METADATA:
        st = metadata_body(&in, r);
        break;
    case KW_PRODUCE:
        kw_string(&in, &txn);                   /* transactional_id */
        r->acks = kw_i16(&in);
        r->timeout_ms = kw_i32(&in);
        st = read_topics(&in, r, 8, produce_part);
        break;
    case KW_FETCH:
        kw_i32(&in);                            /* replica_id: -1 */
        r->max_wait_ms = kw_i32(&in);
        kw_i32(&in);                            /* min_bytes */
        kw_i32(&in);                            /* max_bytes */
        kw_i8(&in);                             /* isolation_level */
        st = read_topics(&in, r, 16, fetch_part);
        break;
    case KW_LIST_OFFSETS:
        kw_i32(&in);                            /* replica_id */
        st = read_topics(&in, r, 12, offsets_part);
        break;
    case KW_CREATE_TOPICS:
        st = create_topics_body(&in, r);
        break;
    case KW_DELETE_TOPICS:
        st = delete_topics_body(&in, r);
        break;
    }
    if (st == KW_OK && in.bad) st = KW_MALFORMED;
    return st;
}

/* ------------------------------------------------------------ RecordBatch v2 */

uint32_t kw_crc32c(const uint8_t *p, size_t n)
{
    /* reflected Castagnoli polynomial; the table is the same every run */
    static uint32_t table[256];
    static bool made;
    if (!made) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            table[i] = c;
        }
        made = true;
    }
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

#define BATCH_HEADER 61         /* DefaultRecordBatch.RECORD_BATCH_OVERHEAD */
#define CRC_FROM 21             /* ATTRIBUTES_OFFSET: the CRC covers the rest */
#define RECORD_MIN 7            /* a record's smallest encoding */

/* One DefaultRecord; false when it is malformed. */
static bool read_record(kw_in *in, kw_record *rec)
{
    int32_t len = kw_varint(in);
    if (in->bad || len < RECORD_MIN - 1 || (size_t)len > in->n - in->pos) return false;
    kw_in r = kw_in_of(in->p + in->pos, (size_t)len);
    in->pos += (size_t)len;
    kw_i8(&r);                                  /* attributes */
    kw_varlong(&r);                             /* timestampDelta */
    kw_varint(&r);                              /* offsetDelta */
    rec->key_len = kw_varint(&r);
    rec->key = NULL;
    if (rec->key_len >= 0) rec->key = take(&r, (size_t)rec->key_len);
    else if (rec->key_len < -1) return false;
    rec->value_len = kw_varint(&r);
    rec->value = NULL;
    if (rec->value_len >= 0) rec->value = take(&r, (size_t)rec->value_len);
    else if (rec->value_len < -1) return false;
    int32_t nh = kw_varint(&r);
    if (nh < 0 || (size_t)nh > r.n) return false;
    for (int32_t i = 0; i < nh && !r.bad; i++) {
        int32_t k = kw_varint(&r);
        if (k < 0) return false;
        take(&r, (size_t)k);
        int32_t v = kw_varint(&r);
        if (v < -1) return false;
        if (v > 0) take(&r, (size_t)v);
    }
    return !r.bad && r.pos == r.n;
}

/* One batch at the front of in: checked whole, then its records handed to fn. */
static int16_t read_batch(kw_in *in, kw_record_fn fn, void *ctx, int32_t *count)
{
    const uint8_t *start = in->p + in->pos;
    kw_i64(in);                                 /* baseOffset: the broker assigns */
    int32_t len = kw_i32(in);
    if (in->bad || len < BATCH_HEADER - 12 || (size_t)len > in->n - in->pos)
        return KW_CORRUPT_MESSAGE;
    size_t total = 12 + (size_t)len;
    kw_in b = kw_in_of(start, total);
    b.pos = 12;
    in->pos += (size_t)len;
    kw_i32(&b);                                 /* partitionLeaderEpoch */
    if (kw_i8(&b) != 2) return KW_CORRUPT_MESSAGE;     /* magic */
    uint32_t crc = (uint32_t)kw_i32(&b);
    if (crc != kw_crc32c(start + CRC_FROM, total - CRC_FROM)) return KW_CORRUPT_MESSAGE;
    int16_t attr = kw_i16(&b);
    if (attr & 7) return KW_UNSUPPORTED_COMPRESSION_TYPE;
    kw_i32(&b); kw_i64(&b); kw_i64(&b);         /* lastOffsetDelta, timestamps */
    kw_i64(&b); kw_i16(&b); kw_i32(&b);         /* producer id, epoch, sequence */
    int32_t n = kw_i32(&b);
    if (n < 0 || (size_t)n > (total - BATCH_HEADER) / RECORD_MIN) return KW_CORRUPT_MESSAGE;
    size_t first = b.pos;
    kw_record rec;
    for (int32_t i = 0; i < n; i++)
        if (!read_record(&b, &rec)) return KW_CORRUPT_MESSAGE;
    if (b.pos != total) return KW_CORRUPT_MESSAGE;
    b.pos = first;
    for (int32_t i = 0; i < n; i++) {
        read_record(&b, &rec);
        if (fn) fn(ctx, &rec);
    }
    *count += n;
    return KW_NONE;
}

int16_t kw_batches_read(const uint8_t *p, size_t n, kw_record_fn fn, void *ctx,
                        int32_t *count)
{
    *count = 0;
    if (!p || n == 0) return KW_CORRUPT_MESSAGE;
    kw_in in = kw_in_of(p, n);
    /* each batch is checked whole before its records go out, so a corrupt
     * second batch cannot leave the first half-appended: check all first */
    int32_t seen = 0;
    while (in.pos < in.n) {
        int16_t err = read_batch(&in, NULL, NULL, &seen);
        if (err) return err;
    }
    in.pos = 0;
    while (in.pos < in.n) read_batch(&in, fn, ctx, count);
    return KW_NONE;
}

/* ------------------------------------------------------------ writing */

static void put_be(wbuf *w, uint64_t v, int k)
{
    for (int i = k - 1; i >= 0; i--) w_u8(w, (uint8_t)(v >> (8 * i)));
}

void kw_w_i8(wbuf *w, int8_t v) { w_u8(w, (uint8_t)v); }
void kw_w_i16(wbuf *w, int16_t v) { put_be(w, (uint16_t)v, 2); }
void kw_w_i32(wbuf *w, int32_t v) { put_be(w, (uint32_t)v, 4); }
void kw_w_i64(wbuf *w, int64_t v) { put_be(w, (uint64_t)v, 8); }

void kw_w_varint(wbuf *w, int64_t v)
{
    uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
    while (u >= 0x80) { w_u8(w, (uint8_t)(u | 0x80)); u >>= 7; }
    w_u8(w, (uint8_t)u);
}

void kw_w_string_n(wbuf *w, const uint8_t *p, int32_t len)
{
    if (!p || len < 0) { kw_w_i16(w, -1); return; }
    kw_w_i16(w, (int16_t)len);
    w_raw(w, p, (size_t)len);
}

void kw_w_string(wbuf *w, const char *s)
{
    kw_w_string_n(w, (const uint8_t *)s, s ? (int32_t)strlen(s) : -1);
}

size_t kw_begin(wbuf *w, int32_t corr)
{
    size_t at = w->len;
    kw_w_i32(w, 0);
    kw_w_i32(w, corr);
    return at;
}

void kw_end(wbuf *w, size_t at)
{
    uint32_t n = (uint32_t)(w->len - at - 4);
    for (int i = 0; i < 4; i++) w->data[at + (size_t)i] = (uint8_t)(n >> (24 - 8 * i));
}

void kw_w_api_versions(wbuf *w, int16_t version, int16_t err)
{
    kw_w_i16(w, err);
    kw_w_i32(w, kw_napis);
    for (int i = 0; i < kw_napis; i++) {
        kw_w_i16(w, kw_apis[i].key);
        kw_w_i16(w, kw_apis[i].min);
        kw_w_i16(w, kw_apis[i].max);
    }
    if (version >= 1 && version <= 2) kw_w_i32(w, 0);      /* throttle_time_ms */
}

static void w_varbytes(wbuf *w, const uint8_t *p, int32_t len)
{
    kw_w_varint(w, p ? len : -1);
    if (p && len > 0) w_raw(w, p, (size_t)len);
}

void kw_w_batch(wbuf *w, int64_t base_offset, int32_t epoch, const kw_record *recs, int n)
{
    size_t start = w->len;
    kw_w_i64(w, base_offset);
    kw_w_i32(w, 0);                             /* batchLength, below */
    kw_w_i32(w, epoch);
    kw_w_i8(w, 2);
    kw_w_i32(w, 0);                             /* crc, below */
    kw_w_i16(w, 0);                             /* no compression, CreateTime */
    kw_w_i32(w, n - 1);
    kw_w_i64(w, -1);                            /* the lab keeps no timestamps */
    kw_w_i64(w, -1);
    kw_w_i64(w, -1);                            /* no producer id */
    kw_w_i16(w, -1);
    kw_w_i32(w, -1);
    kw_w_i32(w, n);
    wbuf rec;
    wbuf_init(&rec);
    for (int i = 0; i < n; i++) {
        wbuf_reset(&rec);
        kw_w_i8(&rec, 0);
        kw_w_varint(&rec, 0);                   /* timestampDelta */
        kw_w_varint(&rec, i);                   /* offsetDelta */
        w_varbytes(&rec, recs[i].key, recs[i].key_len);
        w_varbytes(&rec, recs[i].value, recs[i].value_len);
        kw_w_varint(&rec, 0);                   /* no headers */
        kw_w_varint(w, (int64_t)rec.len);
        w_raw(w, rec.data, rec.len);
    }
    wbuf_free(&rec);
    uint32_t len = (uint32_t)(w->len - start - 12);
    for (int i = 0; i < 4; i++) w->data[start + 8 + (size_t)i] = (uint8_t)(len >> (24 - 8 * i));
    uint32_t crc = kw_crc32c(w->data + start + CRC_FROM, w->len - start - CRC_FROM);
    for (int i = 0; i < 4; i++) w->data[start + 17 + (size_t)i] = (uint8_t)(crc >> (24 - 8 * i));
}
