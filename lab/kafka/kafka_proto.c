/* kafka_proto: error names, partition state encodings and the small JSON
 * readers for the znodes Kafka writes. */
#include "kafka_proto.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const msg_names[KMSG_END - KMSG_METADATA] = {
    "Metadata", "MetadataResp", "Produce", "ProduceResp", "Fetch",
    "FetchResp", "OffsetsForLeaderEpoch", "OffsetsForLeaderEpochResp",
    "LeaderAndIsr", "UpdateMetadata", "StopReplica", "LeaderAndIsrResp",
    "AlterIsr", "AlterIsrResp", "ControlledShutdown",
    "ControlledShutdownResp", "Admin", "AdminResp", "ListOffsets",
    "ListOffsetsResp", "UpdateMetadataResp", "StopReplicaResp",
};

uint32_t kafka_ctrl_resp_of(uint32_t request)
{
    switch (request) {
    case KMSG_LEADER_AND_ISR: return KMSG_LEADER_AND_ISR_RESP;
    case KMSG_UPDATE_METADATA: return KMSG_UPDATE_METADATA_RESP;
    case KMSG_STOP_REPLICA: return KMSG_STOP_REPLICA_RESP;
    default: return 0;
    }
}

bool kafka_is_ctrl_resp(uint32_t kind)
{
    return kind == KMSG_LEADER_AND_ISR_RESP || kind == KMSG_UPDATE_METADATA_RESP ||
           kind == KMSG_STOP_REPLICA_RESP;
}

/* --- what the message view shows of a request: its main fields, read
 * back from the bytes as the receiver reads them (kafka_client_send.c,
 * kafka_replica.c, kafka_ctrl.c, kafka_ctrl_elect.c write them) --- */

/* " +N" when a request names more partitions than the first. */
static const char *more(uint32_t n, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (n > 1) snprintf(buf, cap, " +%u", n - 1);
    return buf;
}

/* Produce: corr, acks, timeout, batches of (topic, partition, bytes,
 * records): the first batch's partition and record count, and acks. */
static void produce_text(rbuf *r, char *out, size_t cap)
{
    r_u64(r);
    int acks = (int8_t)r_u8(r);
    r_u32(r);
    uint32_t n = r_u32(r);
    char topic[48], m[16];
    r_str(r, topic, sizeof topic);
    uint32_t p = r_u32(r);
    r_u32(r);
    uint32_t recs = r_u32(r);
    if (r->bad) return;
    snprintf(out, cap, "%s-%u %u rec%s%s acks=%s", topic, p, recs, recs == 1 ? "" : "s",
             more(n, m, sizeof m), acks < 0 ? "all" : acks ? "1" : "0");
}

/* Fetch, from a follower (its id) or a consumer (-1): corr, replica,
 * max wait, then (topic, partition, leader epoch, fetch offset, max). */
/* Decimal digits of v at the end of buf[24]; returns their start. */
static char *dec(uint64_t v, char *end)
{
    do *--end = (char)('0' + v % 10); while (v /= 10);
    return end;
}

static char *put(char *at, const char *s, size_t n)
{
    memcpy(at, s, n);
    return at + n;
}

/* "topic-p from off +more", as snprintf with "%s-%u from %lld%s" and
 * more() writes it (cut at cap - 1 bytes alike), without a format
 * parsed: every follower fetch sent names one, two million of them in
 * the 300-broker scale run. */
static void fetch_text(rbuf *r, char *out, size_t cap)
{
    r_u64(r);
    r_u32(r);
    r_u32(r);
    uint32_t n = r_u32(r);
    char topic[48];
    r_str(r, topic, sizeof topic);
    uint32_t p = r_u32(r);
    r_u32(r);
    int64_t off = r_i64(r);
    if (r->bad || n == 0 || cap == 0) return;
    char line[48 + 4 * 24], num[24], *at = put(line, topic, strlen(topic));
    *at++ = '-';
    char *d = dec(p, num + sizeof num);
    at = put(at, d, (size_t)(num + sizeof num - d));
    at = put(at, " from ", 6);
    if (off < 0) *at++ = '-';
    d = dec(off < 0 ? 0 - (uint64_t)off : (uint64_t)off, num + sizeof num);
    at = put(at, d, (size_t)(num + sizeof num - d));
    if (n > 1) {
        at = put(at, " +", 2);
        d = dec(n - 1, num + sizeof num);
        at = put(at, d, (size_t)(num + sizeof num - d));
    }
    size_t len = (size_t)(at - line);
    if (len > cap - 1) len = cap - 1;
    memcpy(out, line, len);
    out[len] = '\0';
}

/* The ISR as "101,102", cut to what fits. */
static void isr_list(const kafka_pstate *st, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < st->nisr && k + 12 < cap; i++)
        k += (size_t)snprintf(out + k, cap - k, "%s%d", i ? "," : "", st->isr[i]);
}

/* A partition's state: "orders-0 leader 101 epoch 2 isr 101,102". */
static void state_text(const char *topic, uint32_t p, const kafka_pstate *st,
                       const char *tail, char *out, size_t cap)
{
    char isr[40];
    isr_list(st, isr, sizeof isr);
    if (st->leader == KAFKA_LEADER_DELETE)
        snprintf(out, cap, "%s-%u deleting%s", topic, p, tail);
    else
        snprintf(out, cap, "%s-%u leader %d epoch %d isr %s%s", topic, p, st->leader,
                 st->leader_epoch, isr, tail);
}

/* The controller's requests start with its id, its epoch and corr. */
static void ctrl_head(rbuf *r) { r_u32(r); r_u32(r); r_u64(r); }

/* Skips the live brokers' list; returns how many there are. */
static uint32_t skip_live(rbuf *r)
{
    uint32_t n = r_u32(r);
    char rack[24];
    for (uint32_t i = 0; i < n && !r->bad; i++) { r_u32(r); r_u32(r); r_str(r, rack, sizeof rack); }
    return n;
}

/* LeaderAndIsr: live brokers, then per partition (topic, id, partitions,
 * min ISR, unclean, partition, state). */
static void lai_text(rbuf *r, char *out, size_t cap)
{
    ctrl_head(r);
    skip_live(r);
    uint32_t n = r_u32(r);
    char topic[48], m[16];
    r_str(r, topic, sizeof topic);
    r_u64(r); r_u32(r); r_u8(r); r_u8(r);
    uint32_t p = r_u32(r);
    kafka_pstate st;
    kafka_pstate_read(r, &st);
    if (r->bad || n == 0) return;
    state_text(topic, p, &st, more(n, m, sizeof m), out, cap);
}

/* UpdateMetadata: live brokers, then per partition (topic, id,
 * partitions, partition, state); a change of the live brokers alone
 * carries none. */
static void um_text(rbuf *r, char *out, size_t cap)
{
    ctrl_head(r);
    uint32_t live = skip_live(r);
    uint32_t n = r_u32(r);
    if (r->bad) return;
    if (n == 0) { snprintf(out, cap, "%u brokers live", live); return; }
    char topic[48], m[16];
    r_str(r, topic, sizeof topic);
    r_u64(r); r_u32(r);
    uint32_t p = r_u32(r);
    kafka_pstate st;
    kafka_pstate_read(r, &st);
    if (r->bad) return;
    state_text(topic, p, &st, more(n, m, sizeof m), out, cap);
}

/* AlterIsr: corr, broker, broker epoch, topic, partition, the state with
 * the ISR the leader asks for. */
static void alter_isr_text(rbuf *r, char *out, size_t cap)
{
    r_u64(r); r_u32(r); r_i64(r);
    char topic[48], isr[40];
    r_str(r, topic, sizeof topic);
    uint32_t p = r_u32(r);
    kafka_pstate st;
    kafka_pstate_read(r, &st);
    if (r->bad) return;
    isr_list(&st, isr, sizeof isr);
    snprintf(out, cap, "%s-%u isr %s epoch %d", topic, p, isr, st.leader_epoch);
}

/* StopReplica: delete or not, then (topic, partition) pairs. */
static void stop_text(rbuf *r, char *out, size_t cap)
{
    ctrl_head(r);
    bool del = r_u8(r);
    uint32_t n = r_u32(r);
    char topic[48], m[16];
    r_str(r, topic, sizeof topic);
    uint32_t p = r_u32(r);
    if (r->bad || n == 0) return;
    snprintf(out, cap, "%s-%u%s%s", topic, p, more(n, m, sizeof m), del ? " delete" : "");
}

static bool msg_detail(uint32_t type, const uint8_t *head, size_t len,
                       uint64_t *detail, int *code, char *text, size_t cap)
{
    rbuf r = rbuf_of(head, len);
    switch (type) {
    case KMSG_PRODUCE: produce_text(&r, text, cap); break;
    case KMSG_FETCH: fetch_text(&r, text, cap); break;
    case KMSG_LEADER_AND_ISR: lai_text(&r, text, cap); break;
    case KMSG_UPDATE_METADATA: um_text(&r, text, cap); break;
    case KMSG_ALTER_ISR: alter_isr_text(&r, text, cap); break;
    case KMSG_STOP_REPLICA: stop_text(&r, text, cap); break;
    default: return false;
    }
    return text[0] != '\0';
}

void kafka_name_msgs(sim *s)
{
    if (sim_msg_name(s, KMSG_METADATA)) return;
    sim_name_msgs(s, KMSG_METADATA, msg_names, KMSG_END - KMSG_METADATA);
    sim_detail_msgs(s, msg_detail);
}

static const char *const err_names[KERR_COUNT] = {
    "NONE", "NOT_LEADER_OR_FOLLOWER", "LEADER_NOT_AVAILABLE",
    "UNKNOWN_TOPIC_OR_PARTITION", "NOT_ENOUGH_REPLICAS",
    "NOT_ENOUGH_REPLICAS_AFTER_APPEND", "REQUEST_TIMED_OUT",
    "NETWORK_EXCEPTION", "STALE_CONTROLLER_EPOCH", "FENCED_LEADER_EPOCH",
    "UNKNOWN_LEADER_EPOCH", "OFFSET_OUT_OF_RANGE", "TOPIC_ALREADY_EXISTS",
    "INVALID_REPLICATION_FACTOR", "INVALID_PARTITIONS",
    "INVALID_REPLICA_ASSIGNMENT", "NOT_CONTROLLER", "TIMEOUT",
    "BROKER_NOT_AVAILABLE", "ELECTION_NOT_NEEDED",
    "PREFERRED_LEADER_NOT_AVAILABLE", "INVALID_TOPIC_EXCEPTION",
    "MESSAGE_TOO_LARGE", "RECORD_TOO_LARGE",
    "UNKNOWN_SERVER_ERROR", "REASSIGNMENT_IN_PROGRESS",
    "NO_REASSIGNMENT_IN_PROGRESS",
};

const char *kerr_name(kerr e)
{
    return (unsigned)e < KERR_COUNT ? err_names[e] : "UNKNOWN_SERVER_ERROR";
}

bool kerr_retriable(kerr e)
{
    switch (e) {
    case KERR_NOT_LEADER_OR_FOLLOWER: case KERR_LEADER_NOT_AVAILABLE:
    case KERR_UNKNOWN_TOPIC_OR_PARTITION: case KERR_NOT_ENOUGH_REPLICAS:
    case KERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND: case KERR_REQUEST_TIMED_OUT:
    case KERR_NETWORK_EXCEPTION: case KERR_FENCED_LEADER_EPOCH:
    case KERR_UNKNOWN_LEADER_EPOCH: case KERR_NOT_CONTROLLER:
    case KERR_BROKER_NOT_AVAILABLE:
        return true;
    default:
        return false;
    }
}

void kafka_pstate_write(wbuf *w, const kafka_pstate *p)
{
    w_u32(w, (uint32_t)p->leader);
    w_u32(w, (uint32_t)p->leader_epoch);
    w_u32(w, (uint32_t)p->controller_epoch);
    w_u32(w, (uint32_t)p->zk_version);
    w_u8(w, p->nrep);
    for (int i = 0; i < p->nrep; i++) w_u32(w, (uint32_t)p->replicas[i]);
    w_u8(w, p->nisr);
    for (int i = 0; i < p->nisr; i++) w_u32(w, (uint32_t)p->isr[i]);
}

void kafka_pstate_read(rbuf *r, kafka_pstate *p)
{
    memset(p, 0, sizeof *p);
    p->leader = (int32_t)r_u32(r);
    p->leader_epoch = (int32_t)r_u32(r);
    p->controller_epoch = (int32_t)r_u32(r);
    p->zk_version = (int32_t)r_u32(r);
    p->nrep = r_u8(r);
    if (p->nrep > KAFKA_RF_MAX) { r->bad = true; p->nrep = 0; }
    for (int i = 0; i < p->nrep; i++) p->replicas[i] = (int32_t)r_u32(r);
    p->nisr = r_u8(r);
    if (p->nisr > KAFKA_RF_MAX) { r->bad = true; p->nisr = 0; }
    for (int i = 0; i < p->nisr; i++) p->isr[i] = (int32_t)r_u32(r);
}

bool kafka_pstate_in_isr(const kafka_pstate *p, int id)
{
    for (int i = 0; i < p->nisr; i++)
        if (p->isr[i] == id) return true;
    return false;
}

bool kafka_pstate_has_replica(const kafka_pstate *p, int id)
{
    for (int i = 0; i < p->nrep; i++)
        if (p->replicas[i] == id) return true;
    return false;
}

void kafka_state_json(const kafka_pstate *p, char *out, size_t cap)
{
    int n = snprintf(out, cap,
                     "{\"controller_epoch\":%d,\"leader\":%d,\"version\":1,"
                     "\"leader_epoch\":%d,\"isr\":[",
                     p->controller_epoch, p->leader, p->leader_epoch);
    for (int i = 0; i < p->nisr && n > 0 && (size_t)n < cap; i++)
        n += snprintf(out + n, cap - (size_t)n, "%s%d", i ? "," : "", p->isr[i]);
    if (n > 0 && (size_t)n < cap) snprintf(out + n, cap - (size_t)n, "]}");
}

/* Where the value of a top-level "key" starts, or NULL. Keys are found at
 * nesting depth 1 only, so a nested key of the same name is not taken. */
static const char *find_key(const char *j, size_t len, const char *key)
{
    size_t klen = strlen(key);
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = j[i];
        if (ch == '{' || ch == '[') depth++;
        else if (ch == '}' || ch == ']') depth--;
        else if (ch == '"') {
            size_t s = i + 1, e = s;
            while (e < len && j[e] != '"') e++;
            if (depth == 1 && e - s == klen && memcmp(j + s, key, klen) == 0 &&
                e + 1 < len && j[e + 1] == ':')
                return j + e + 2;
            i = e;
        }
    }
    return NULL;
}

bool kafka_json_int(const char *json, size_t len, const char *key, long *out)
{
    const char *v = find_key(json, len, key);
    if (!v) return false;
    char *end;
    *out = strtol(v, &end, 10);
    return end != v;
}

bool kafka_json_str(const char *json, size_t len, const char *key, char *out,
                    size_t cap)
{
    const char *v = find_key(json, len, key);
    if (!v || *v != '"' || cap == 0) return false;
    size_t n = 0;
    for (v++; v < json + len && *v != '"'; v++)
        if (n + 1 < cap) out[n++] = *v;
    out[n] = 0;
    return true;
}

/* Reads [a,b,c] at *pp; advances past it. Returns the count, -1 if bad. */
static int int_list(const char **pp, const char *end, int *ids, int cap)
{
    const char *p = *pp;
    if (p >= end || *p != '[') return -1;
    int n = 0;
    p++;
    while (p < end && *p != ']') {
        char *e;
        long v = strtol(p, &e, 10);
        if (e == p) return -1;
        if (n < cap) ids[n] = (int)v;
        n++;
        p = e;
        if (p < end && *p == ',') p++;
    }
    *pp = p + 1;
    return n > cap ? -1 : n;
}

bool kafka_state_parse(const char *json, size_t len, kafka_pstate *p)
{
    long l, e, c;
    if (!kafka_json_int(json, len, "leader", &l) ||
        !kafka_json_int(json, len, "leader_epoch", &e) ||
        !kafka_json_int(json, len, "controller_epoch", &c))
        return false;
    const char *v = find_key(json, len, "isr");
    if (!v) return false;
    int n = int_list(&v, json + len, p->isr, KAFKA_RF_MAX);
    if (n < 0) return false;
    p->leader = (int32_t)l;
    p->leader_epoch = (int32_t)e;
    p->controller_epoch = (int32_t)c;
    p->nisr = (uint8_t)n;
    return true;
}

int kafka_json_partitions(const char *json, size_t len,
                          kafka_assign_visit fn, void *ctx)
{
    return kafka_json_assignment(json, len, "partitions", fn, ctx);
}

int kafka_json_assignment(const char *json, size_t len, const char *key,
                          kafka_assign_visit fn, void *ctx)
{
    const char *p = find_key(json, len, key), *end = json + len;
    if (!p || *p != '{') return -1;
    int count = 0;
    p++;
    while (p < end && *p != '}') {
        if (*p != '"') return -1;
        int part = (int)strtol(p + 1, NULL, 10);
        p = strchr(p + 1, '"');
        if (!p || p + 2 >= end || p[1] != ':') return -1;
        p += 2;
        int ids[KAFKA_RF_MAX];
        int n = int_list(&p, end, ids, KAFKA_RF_MAX);
        if (n < 0) return -1;
        if (fn) fn(ctx, part, ids, n);
        count++;
        if (p < end && *p == ',') p++;
    }
    return count;
}

void kafka_config_defaults(kafka_config *c)
{
    *c = (kafka_config){
        .session_timeout_ms = 18000, .zk_max_inflight = 10, .lag_max_ms = 30000,
        .fetch_wait_ms = 500, .fetch_backoff_ms = 1000,
        .request_timeout_ms = 30000, .controller_timeout_ms = 30000,
        .min_isr = 1, .unclean = false, .auto_rebalance = true,
        .rebalance_check_ms = 300000, .imbalance_pct = 10,
        .message_max_bytes = 1048588,
        .shutdown_retries = 3, .shutdown_backoff_ms = 5000,
        .heartbeat_ms = 2000, .broker_session_ms = 9000,   /* KafkaConfig's */
    };
}

static bool parse_bool(const char *v, bool *out)
{
    if (strcmp(v, "true") == 0) { *out = true; return true; }
    if (strcmp(v, "false") == 0) { *out = false; return true; }
    return false;
}

static bool parse_u32(const char *v, uint32_t *out)
{
    char *e;
    long n = strtol(v, &e, 10);
    if (e == v || *e || n < 0) return false;
    *out = (uint32_t)n;
    return true;
}

bool kafka_config_set(kafka_config *c, const char *name, const char *v)
{
    uint32_t u;
    if (strcmp(name, "unclean.leader.election.enable") == 0) return parse_bool(v, &c->unclean);
    if (strcmp(name, "auto.leader.rebalance.enable") == 0) return parse_bool(v, &c->auto_rebalance);
    if (!parse_u32(v, &u)) return false;
    if (strcmp(name, "zookeeper.session.timeout.ms") == 0) c->session_timeout_ms = u;
    else if (strcmp(name, "zookeeper.max.in.flight.requests") == 0 && u >= 1) c->zk_max_inflight = u;
    else if (strcmp(name, "replica.lag.time.max.ms") == 0) c->lag_max_ms = u;
    else if (strcmp(name, "replica.fetch.wait.max.ms") == 0) c->fetch_wait_ms = u;
    else if (strcmp(name, "replica.fetch.backoff.ms") == 0) c->fetch_backoff_ms = u;
    else if (strcmp(name, "request.timeout.ms") == 0) c->request_timeout_ms = u;
    else if (strcmp(name, "controller.socket.timeout.ms") == 0) c->controller_timeout_ms = u;
    else if (strcmp(name, "min.insync.replicas") == 0) c->min_isr = (int)u;
    else if (strcmp(name, "leader.imbalance.check.interval.seconds") == 0) c->rebalance_check_ms = u * 1000;
    else if (strcmp(name, "leader.imbalance.per.broker.percentage") == 0) c->imbalance_pct = (int)u;
    else if (strcmp(name, "message.max.bytes") == 0) c->message_max_bytes = u;
    else if (strcmp(name, "controlled.shutdown.max.retries") == 0) c->shutdown_retries = u;
    else if (strcmp(name, "controlled.shutdown.retry.backoff.ms") == 0) c->shutdown_backoff_ms = u;
    else if (strcmp(name, "broker.heartbeat.interval.ms") == 0 && u >= 1) c->heartbeat_ms = u;
    else if (strcmp(name, "broker.session.timeout.ms") == 0 && u >= 1) c->broker_session_ms = u;
    else return false;
    return true;
}

uint64_t kafka_pkey(uint64_t topic_id, int p)
{
    uint32_t pp = (uint32_t)p;
    return wire_hash(&pp, sizeof pp, topic_id) | 1;
}

void kafka_write_live(wbuf *w, const klive *live, int n)
{
    w_u32(w, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        w_u32(w, (uint32_t)live[i].id);
        w_u32(w, (uint32_t)live[i].node);
        w_str(w, live[i].rack);
    }
}

int kafka_read_live(rbuf *r, klive **out)
{
    uint32_t n = r_u32(r);
    if (n > SIM_NODE_MAX) { r->bad = true; n = 0; }
    klive *l = xcalloc(n ? n : 1, sizeof *l);
    for (uint32_t i = 0; i < n; i++) {
        l[i].id = (int)r_u32(r);
        l[i].node = (int)r_u32(r);
        r_str(r, l[i].rack, sizeof l[i].rack);
    }
    *out = l;
    return (int)n;
}
