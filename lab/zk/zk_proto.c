/* zk_proto: encoders shared by ensemble servers and clients, and the
 * message names the trace shows. */
#include "zk_proto.h"
#include "util.h"

#include <string.h>

static const char *const server_names[] = {
    "NOTIFICATION", "FOLLOWERINFO", "LEADERINFO", "ACKEPOCH", "DIFF",
    "TRUNC", "SNAP", "NEWLEADER", "UPTODATE", "PROPOSAL", "ACK", "COMMIT",
    "PING", "REQUEST", "REVALIDATE", "REVALIDATE_RESP", "BYE", "SYNC",
    "SYNC_RESP",
};
static const char *const client_names[] = {
    "zk.connect", "zk.connect_resp", "zk.request", "zk.reply", "zk.ping",
    "zk.pong", "zk.watch_event", "zk.set_watches", "zk.close_conn",
};

/* For the trace (and the message view): the vote a NOTIFICATION carries
 * (zk_fle.c send_vote: sid, zxid) and the zxid of a PROPOSAL, ACK, COMMIT
 * or NEWLEADER (zk_zab.c: after the connection's id and sequence number). */
static bool msg_detail(uint32_t type, const uint8_t *head, size_t len,
                       uint64_t *detail, int *code, char *text, size_t text_cap)
{
    (void)text;
    (void)text_cap;
    rbuf r = { head, len, 0, false };
    if (type == ZM_NOTIFICATION) {
        *code = (int)r_u32(&r);
        *detail = r_u64(&r);
        return !r.bad;
    }
    if (type != ZM_PROPOSAL && type != ZM_ACK && type != ZM_COMMIT &&
        type != ZM_NEWLEADER)
        return false;
    r_u64(&r);                  /* connection */
    r_u32(&r);                  /* sequence number */
    if (type == ZM_PROPOSAL) r_u64(&r);     /* the previous zxid */
    *detail = r_u64(&r);
    return !r.bad;
}

void zk_proto_name_msgs(sim *s)
{
    if (sim_msg_name(s, ZM_NOTIFICATION)) return;
    sim_name_msgs(s, ZM_NOTIFICATION, server_names, (int)QL_ARRAY_LEN(server_names));
    sim_name_msgs(s, ZC_CONNECT, client_names, (int)QL_ARRAY_LEN(client_names));
    sim_detail_msgs(s, msg_detail);
}

void zk_w_raw(wbuf *w, const void *p, size_t n)
{
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 64;
        while (cap < w->len + n) cap *= 2;
        w->data = xrealloc(w->data, cap);
        w->cap = cap;
    }
    if (n) memcpy(w->data + w->len, p, n);
    w->len += n;
}

void zk_w_origin(wbuf *w, const zk_origin *o)
{
    w_u32(w, o->sid);
    w_u32(w, o->slot);
    w_u32(w, o->gen);
    w_u32(w, o->xid);
}

void zk_r_origin(rbuf *r, zk_origin *o)
{
    o->sid = r_u32(r);
    o->slot = r_u32(r);
    o->gen = r_u32(r);
    o->xid = r_u32(r);
}

void zk_w_ops(wbuf *w, const zop *ops, int n)
{
    w_u32(w, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        w_u8(w, (uint8_t)ops[i].type);
        w_str(w, ops[i].path);
        w_bytes(w, ops[i].data, ops[i].data ? ops[i].len : 0);
        w_u32(w, (uint32_t)ops[i].version);
        w_u32(w, ops[i].flags);
    }
}

/* Jute sizes: an int or a length prefix is 4 bytes, a bool 1. */
#define JUTE_INT 4
#define JUTE_HEADER (2 * JUTE_INT)          /* RequestHeader: xid, type */
#define JUTE_MULTI_HEADER (2 * JUTE_INT + 1) /* MultiHeader: type, done, err */
/* OPEN_ACL_UNSAFE: a vector of one ACL { perms, Id { "world", "anyone" } } */
#define JUTE_OPEN_ACL (JUTE_INT + JUTE_INT + (JUTE_INT + 5) + (JUTE_INT + 6))

/* One op's jute body (CreateRequest, SetDataRequest, DeleteRequest,
 * CheckVersionRequest), without a header. */
static size_t op_len(const zop *o)
{
    size_t path = JUTE_INT + strlen(o->path);
    size_t data = JUTE_INT + (o->data ? o->len : 0);
    switch (o->type) {
    case ZOP_CREATE: return path + data + JUTE_OPEN_ACL + JUTE_INT;  /* + flags */
    case ZOP_SET: return path + data + JUTE_INT;                      /* + version */
    default: return path + JUTE_INT;                                  /* + version */
    }
}

size_t zk_request_len(int op, const zop *ops, int n)
{
    size_t len = JUTE_HEADER;
    if (op != ZKOP_MULTI) return n > 0 ? len + op_len(&ops[0]) : len;
    for (int i = 0; i < n; i++) len += JUTE_MULTI_HEADER + op_len(&ops[i]);
    return len + JUTE_MULTI_HEADER;         /* the closing one: done = true */
}

int zk_r_ops(rbuf *r, zop *ops, char (*paths)[ZPATH_MAX], int cap)
{
    uint32_t n = r_u32(r);
    if (n > (uint32_t)cap) { r->bad = true; return 0; }
    for (uint32_t i = 0; i < n; i++) {
        ops[i].type = (zop_type)r_u8(r);
        r_str(r, paths[i], ZPATH_MAX);
        ops[i].path = paths[i];
        ops[i].len = r_bytes(r, &ops[i].data);
        ops[i].version = (int32_t)r_u32(r);
        ops[i].flags = r_u32(r);
    }
    return r->bad ? 0 : (int)n;
}

void zk_w_stat(wbuf *w, const zstat *st)
{
    w_i64(w, st->czxid);
    w_i64(w, st->mzxid);
    w_i64(w, st->pzxid);
    w_i64(w, st->ctime_ms);
    w_i64(w, st->mtime_ms);
    w_u32(w, (uint32_t)st->version);
    w_u32(w, (uint32_t)st->cversion);
    w_i64(w, st->ephemeral_owner);
    w_u32(w, (uint32_t)st->num_children);
    w_u32(w, (uint32_t)st->data_length);
}

void zk_r_stat(rbuf *r, zstat *st)
{
    st->czxid = r_i64(r);
    st->mzxid = r_i64(r);
    st->pzxid = r_i64(r);
    st->ctime_ms = r_i64(r);
    st->mtime_ms = r_i64(r);
    st->version = (int32_t)r_u32(r);
    st->cversion = (int32_t)r_u32(r);
    st->ephemeral_owner = r_i64(r);
    st->num_children = (int32_t)r_u32(r);
    st->data_length = (int32_t)r_u32(r);
}

void zk_w_result(wbuf *w, const zop_result *res)
{
    w_u32(w, (uint32_t)res->err);
    w_str(w, res->path);
    zk_w_stat(w, &res->stat);
}

void zk_r_result(rbuf *r, zop_result *res)
{
    res->err = (zerr)r_u32(r);
    r_str(r, res->path, sizeof res->path);
    zk_r_stat(r, &res->stat);
}
