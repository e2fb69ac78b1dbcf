/* zk_jute: ZooKeeper's client wire format as real clients speak it (jute,
 * big-endian, every packet behind an int32 length): the decoders for what a
 * client sends (ConnectRequest, RequestHeader and the request bodies the lab
 * serves) and the encoders for what a 3.8 server answers. Pure functions over
 * bytes: no sockets, no world, so a test can feed them anything. Field order
 * follows zookeeper.jute (release-3.8). */
#ifndef QL_ZK_JUTE_H
#define QL_ZK_JUTE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "wire.h"
#include "ztree.h"

/* jute.maxbuffer's default: a packet whose length prefix is above it (or
 * negative) closes the connection before anything is allocated for it
 * (NIOServerCnxn.readLength, "Len error"). */
#define ZJ_MAXBUFFER 0xfffff

/* OpCode (ZooDefs.OpCode) */
enum {
    ZJ_OP_NOTIFICATION = 0, ZJ_OP_CREATE = 1, ZJ_OP_DELETE = 2, ZJ_OP_EXISTS = 3,
    ZJ_OP_GETDATA = 4, ZJ_OP_SETDATA = 5, ZJ_OP_GETACL = 6, ZJ_OP_GETCHILDREN = 8,
    ZJ_OP_SYNC = 9, ZJ_OP_PING = 11, ZJ_OP_GETCHILDREN2 = 12, ZJ_OP_CHECK = 13,
    ZJ_OP_MULTI = 14, ZJ_OP_CREATE2 = 15, ZJ_OP_SETWATCHES = 101,
    ZJ_OP_SETWATCHES2 = 105, ZJ_OP_CLOSE = -11, ZJ_OP_ERROR = -1,
};

/* Special xids (ClientCnxn) */
#define ZJ_XID_NOTIFICATION (-1)
#define ZJ_XID_PING (-2)
#define ZJ_XID_SETWATCHES (-8)

/* KeeperException.Code values */
enum {
    ZJ_ZOK = 0, ZJ_ZRUNTIMEINCONSISTENCY = -2, ZJ_ZCONNECTIONLOSS = -4,
    ZJ_ZUNIMPLEMENTED = -6, ZJ_ZOPERATIONTIMEOUT = -7, ZJ_ZBADARGUMENTS = -8,
    ZJ_ZNONODE = -101, ZJ_ZBADVERSION = -103, ZJ_ZNOCHILDRENFOREPHEMERALS = -108,
    ZJ_ZNODEEXISTS = -110, ZJ_ZNOTEMPTY = -111, ZJ_ZSESSIONEXPIRED = -112,
    ZJ_ZSESSIONMOVED = -118, ZJ_ZNOTREADONLY = -119,
};

/* The real code of a lab error. */
int32_t zj_err_code(zerr e);

/* --- reading --- */

typedef struct zj_in {
    const uint8_t *p;       /* borrowed */
    size_t n, pos;
    bool bad;               /* ran past the end or met a bad length */
} zj_in;

zj_in zj_in_of(const uint8_t *p, size_t n);
int32_t zj_int(zj_in *in);
int64_t zj_long(zj_in *in);
bool zj_bool(zj_in *in);
/* A buffer or string: points *p into the input, returns its length, -1 for
 * null; a length beyond what is left marks the input bad. */
int32_t zj_buffer(zj_in *in, const uint8_t **p);

/* What the front of a connection's input holds. */
typedef enum zj_frame_st {
    ZJ_NEED_MORE,           /* not yet a whole packet */
    ZJ_FRAME,               /* a packet of *len bytes after the prefix */
    ZJ_BAD_LEN,             /* the prefix is negative or over the limit */
} zj_frame_st;
zj_frame_st zj_frame(const uint8_t *p, size_t n, size_t max, size_t *len);

/* ConnectRequest, and the readOnly flag newer clients append. */
typedef struct zj_connect {
    int32_t protocol;
    int64_t last_zxid;
    int32_t timeout_ms;
    int64_t session;
    uint8_t passwd[16];
    int32_t passwd_len;     /* as sent (-1: null); compared over 16 bytes */
    bool readonly;
} zj_connect;
bool zj_connect_decode(const uint8_t *p, size_t n, zj_connect *c);

/* One request. Paths are copied; data points into the packet. */
typedef struct zj_req {
    int32_t xid, type;
    char path[ZPATH_MAX];   /* reads, sync, single writes */
    bool watch;             /* exists, getData, getChildren(2) */
    int nops;               /* create, delete, setData, multi: the ops */
    zop ops[ZK_MULTI_MAX];
    char paths[ZK_MULTI_MAX][ZPATH_MAX];
    int64_t rel_zxid;       /* setWatches */
    zj_in watches;          /* setWatches: the path vectors, unread */
    int nwatch_lists;       /* 3 (setWatches) or 5 (setWatches2) */
    int wlist, wcur;        /* zj_watch_next: vectors begun, the current */
    int32_t wleft;          /* entries left in the current vector */
} zj_req;

typedef enum zj_status {
    ZJ_OK,                  /* decoded */
    ZJ_MALFORMED,           /* bytes that are no such request: close */
    ZJ_UNSUPPORTED,         /* an operation the lab does not serve */
    ZJ_BADARG,              /* well formed, but refused (path too long,
                             * a create mode the lab lacks) */
} zj_status;
zj_status zj_req_decode(const uint8_t *p, size_t n, zj_req *r);
/* The next path of setWatches' vectors: list gets 0 data, 1 exist, 2 child
 * (3, 4: setWatches2's persistent ones). False at the end or when bad. */
bool zj_watch_next(zj_req *r, int *list, char *path, size_t cap);

/* --- writing (into a wbuf, big-endian) --- */

void zj_w_int(wbuf *w, int32_t v);
void zj_w_long(wbuf *w, int64_t v);
void zj_w_bool(wbuf *w, bool v);
void zj_w_buffer(wbuf *w, const void *p, int32_t len);   /* -1: null */
void zj_w_string(wbuf *w, const char *s);
void zj_w_stat(wbuf *w, const zstat *st);
/* A packet: begin leaves room for the length, end fills it in. */
size_t zj_begin(wbuf *w);
void zj_end(wbuf *w, size_t at);
void zj_w_reply_header(wbuf *w, int32_t xid, int64_t zxid, int32_t err);
/* ConnectResponse + readOnly: 37 bytes, 41 with the length. */
void zj_w_connect_resp(wbuf *w, int32_t timeout_ms, int64_t session,
                       const uint8_t passwd[16], bool readonly);
/* A notification: ReplyHeader(-1, -1, 0) + WatcherEvent(type, state 3, path). */
void zj_w_watch_event(wbuf *w, int type, const char *path);

/* The 16-byte password a 3.8 server gives a session
 * (ZooKeeperServer.generatePasswd: java.util.Random seeded with the session
 * id ^ superSecret, nextBytes), so a client's reconnect is checked as a
 * real server checks it. */
void zj_session_passwd(int64_t session, uint8_t out[16]);

/* Request.isValid: an opcode a 3.8 server knows (auth and sasl are taken
 * before it looks). A request of any other type is answered UNIMPLEMENTED
 * and its connection closed (UnimplementedRequestProcessor). */
bool zj_op_known(int32_t type);

/* A request's name for logs ("create", "getChildren2", "op 77"). */
const char *zj_op_name(int32_t type, char *buf, size_t cap);

#endif
