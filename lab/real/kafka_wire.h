/* kafka_wire: the Kafka protocol as kcat (librdkafka 2.0) speaks it to a
 * 2.8 broker, the smallest subset it needs: request headers, ApiVersions
 * v0..v3, Metadata v1, Produce v3 carrying RecordBatch v2, Fetch v4,
 * ListOffsets v1, CreateTopics v2 and DeleteTopics v1, and the answers. Pure functions over bytes: no sockets,
 * no world, so a test can feed them anything. Field order follows
 * apache/kafka's message JSONs (clients/src/main/resources/common/message)
 * and DefaultRecordBatch.java; big-endian, each frame behind an int32 size.
 * Every count and length read from the wire is checked against what is
 * left of the frame (and a lab limit) before anything is allocated. */
#ifndef QL_KAFKA_WIRE_H
#define QL_KAFKA_WIRE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "wire.h"

/* The lab's bound on one request (a real broker's socket.request.max.bytes
 * is 100 MiB; a Produce within message.max.bytes fits well under this). A
 * larger or negative size prefix closes the connection before anything is
 * allocated for it. */
#define KW_FRAME_MAX (4u << 20)
#define KW_PARTS_MAX 1024       /* partitions named in one request */
#define KW_TOPICS_MAX 1024      /* topics named in one Metadata request */

/* ApiKeys */
enum { KW_PRODUCE = 0, KW_FETCH = 1, KW_LIST_OFFSETS = 2, KW_METADATA = 3,
       KW_API_VERSIONS = 18, KW_CREATE_TOPICS = 19, KW_DELETE_TOPICS = 20 };

/* Errors.java codes the lab answers with */
enum {
    KW_NONE = 0, KW_OFFSET_OUT_OF_RANGE = 1, KW_CORRUPT_MESSAGE = 2,
    KW_UNKNOWN_TOPIC_OR_PARTITION = 3, KW_LEADER_NOT_AVAILABLE = 5,
    KW_NOT_LEADER_OR_FOLLOWER = 6, KW_REQUEST_TIMED_OUT = 7,
    KW_UNSUPPORTED_VERSION = 35, KW_INVALID_PARTITIONS = 37,
    KW_INVALID_REPLICATION_FACTOR = 38, KW_INVALID_REPLICA_ASSIGNMENT = 39,
    KW_INVALID_CONFIG = 40, KW_INVALID_REQUEST = 42,
    KW_UNSUPPORTED_COMPRESSION_TYPE = 76,
    KW_UNKNOWN_SERVER_ERROR = -1,
};

/* The versions the lab's brokers serve, per key (ApiVersions answers with
 * these). False for a key or version outside them. */
typedef struct kw_api { int16_t key, min, max; } kw_api;
extern const kw_api kw_apis[];
extern const int kw_napis;
bool kw_api_supported(int16_t key, int16_t version);
const char *kw_api_name(int16_t key);     /* "Produce", "api 77" in buf */

/* --- reading --- */

typedef struct kw_in {
    const uint8_t *p;       /* borrowed */
    size_t n, pos;
    bool bad;               /* ran past the end or met a bad length */
} kw_in;

kw_in kw_in_of(const uint8_t *p, size_t n);
int8_t kw_i8(kw_in *in);
int16_t kw_i16(kw_in *in);
int32_t kw_i32(kw_in *in);
int64_t kw_i64(kw_in *in);
int32_t kw_varint(kw_in *in);           /* zigzag, at most 5 bytes */
int64_t kw_varlong(kw_in *in);          /* zigzag, at most 10 bytes */
/* A string (int16 length) or bytes (int32): points *p into the input,
 * returns the length, -1 for null. */
int32_t kw_string(kw_in *in, const uint8_t **p);
int32_t kw_bytes(kw_in *in, const uint8_t **p);
/* An array's count: -1 for null; a count that cannot fit in what is left
 * (elem_min bytes each) or over max marks the input bad. */
int32_t kw_array(kw_in *in, size_t elem_min, int32_t max);

typedef enum kw_frame_st {
    KW_NEED_MORE,           /* not yet a whole frame */
    KW_FRAME,               /* a frame of *len bytes after the size */
    KW_BAD_LEN,             /* the size is negative, tiny or over max */
} kw_frame_st;
kw_frame_st kw_frame(const uint8_t *p, size_t n, size_t max, size_t *len);

/* RequestHeader v1 (v2, flexible, for ApiVersions v3: tagged fields
 * after the client id are skipped). */
typedef struct kw_header {
    int16_t key, version;
    int32_t corr;
    char client[64];        /* cut to fit */
    size_t body;            /* where the body starts in the frame */
} kw_header;
bool kw_header_decode(const uint8_t *p, size_t n, kw_header *h);

/* A name in the frame: not NUL-terminated. */
typedef struct kw_str { const uint8_t *p; int32_t len; } kw_str;
/* Copies s into out (cap bytes), false when it does not fit or is null. */
bool kw_str_copy(kw_str s, char *out, size_t cap);

/* One partition of a request, in request order; topic is that of its
 * topic entry. */
typedef struct kw_part {
    kw_str topic;
    int32_t partition;
    int64_t offset;         /* Fetch: fetch_offset; ListOffsets: timestamp */
    int32_t max_bytes;      /* Fetch: partition_max_bytes */
    const uint8_t *records; /* Produce: the RecordBatch bytes */
    int32_t nrecords;       /* their length, -1: null */
} kw_part;

/* One topic of CreateTopics (DeleteTopics: the name alone). */
typedef struct kw_topic_op {
    kw_str name;
    int32_t partitions;
    int16_t replication;
    int32_t min_isr;        /* config min.insync.replicas, 0: the default */
    int32_t unclean;        /* unclean.leader.election.enable, -1: default */
    int16_t err;            /* refused as decoded (a manual assignment, a
                             * config the lab lacks), or 0 */
} kw_topic_op;

typedef struct kw_req {
    kw_header h;
    int16_t acks;           /* Produce */
    int32_t timeout_ms;     /* Produce */
    int32_t max_wait_ms;    /* Fetch */
    bool all_topics;        /* Metadata: topics null */
    int ntopics;            /* Metadata */
    kw_str topics[KW_TOPICS_MAX];
    int32_t admin_timeout_ms;   /* CreateTopics, DeleteTopics */
    bool validate_only;     /* CreateTopics */
    int nops;               /* CreateTopics, DeleteTopics */
    kw_topic_op ops[KW_TOPICS_MAX];
    int nparts;             /* Produce, Fetch, ListOffsets */
    kw_part parts[KW_PARTS_MAX];
} kw_req;

typedef enum kw_status {
    KW_OK,                  /* decoded */
    KW_MALFORMED,           /* bytes that are no such request: close */
    KW_UNSUPPORTED,         /* a key or version the lab does not serve */
    KW_TOO_MANY,            /* more topics or partitions than the limits */
} kw_status;
/* Decodes a whole frame (without its size). ApiVersions of any version
 * decodes (its body is not needed): the caller answers a version above 2
 * with UNSUPPORTED_VERSION. */
kw_status kw_req_decode(const uint8_t *p, size_t n, kw_req *r);

/* One record of a RecordBatch v2 (DefaultRecord): key and value point
 * into the batch; len -1 is null. */
typedef struct kw_record {
    const uint8_t *key, *value;
    int32_t key_len, value_len;
} kw_record;

/* Walks the batches of a Produce partition's records; calls fn per record
 * after the batch's checks pass. Returns KW_NONE, or the error the broker
 * answers for the partition: CORRUPT_MESSAGE for a bad length, magic, CRC
 * or record, UNSUPPORTED_COMPRESSION_TYPE for a compressed batch. fn runs
 * for the records of a batch only once the whole batch checked out. */
typedef void (*kw_record_fn)(void *ctx, const kw_record *rec);
int16_t kw_batches_read(const uint8_t *p, size_t n, kw_record_fn fn, void *ctx,
                        int32_t *count);

/* CRC-32C (Castagnoli), as DefaultRecordBatch computes it. */
uint32_t kw_crc32c(const uint8_t *p, size_t n);

/* --- writing (into a wbuf, big-endian) --- */

void kw_w_i8(wbuf *w, int8_t v);
void kw_w_i16(wbuf *w, int16_t v);
void kw_w_i32(wbuf *w, int32_t v);
void kw_w_i64(wbuf *w, int64_t v);
void kw_w_varint(wbuf *w, int64_t v);   /* zigzag */
void kw_w_string(wbuf *w, const char *s);               /* NULL: null */
void kw_w_string_n(wbuf *w, const uint8_t *p, int32_t len);
/* A response: begin writes room for the size and the correlation id,
 * end fills the size in. */
size_t kw_begin(wbuf *w, int32_t corr);
void kw_end(wbuf *w, size_t at);

/* ApiVersionsResponse: version 0 layout for v0 (and for the error answer
 * to v3), throttle_time_ms after the keys for v1 and v2. */
void kw_w_api_versions(wbuf *w, int16_t version, int16_t err);

/* One RecordBatch v2 of n records at base_offset, all of leader epoch
 * epoch, no timestamps (-1), no producer id; CRC-32C filled in. */
void kw_w_batch(wbuf *w, int64_t base_offset, int32_t epoch, const kw_record *recs, int n);

#endif
