/* zk_proto: the bytes ensemble servers and clients exchange. Message type
 * numbers (named like ZooKeeper's quorum packets, so the trace reads like
 * a real server's log), transaction encoding, and the shared encoders for
 * operations, stats and results used by both zk_server and zk_client.
 *
 * Connections: ZooKeeper runs its quorum and client protocols over TCP, so
 * a lost packet means a broken connection, never a silent gap. Every
 * message on a leader-follower or client-server connection therefore
 * carries the connection id and a per-direction sequence number; a
 * receiver that sees a gap treats the connection as broken. Election
 * notifications are idempotent and resent, so they carry neither. */
#ifndef QL_ZK_PROTO_H
#define QL_ZK_PROTO_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "wire.h"
#include "ztree.h"

enum {
    /* server <-> server */
    ZM_NOTIFICATION = 0x5A01, /* FLE vote */
    ZM_FOLLOWERINFO,        /* follower -> leader: accepted epoch */
    ZM_LEADERINFO,          /* leader -> follower: proposed new epoch */
    ZM_ACKEPOCH,            /* follower -> leader: current epoch, last zxid */
    ZM_DIFF,                /* sync: the txns the follower lacks */
    ZM_TRUNC,               /* sync: truncate the log, then the txns */
    ZM_SNAP,                /* sync: a whole snapshot, then the txns */
    ZM_NEWLEADER,           /* end of sync: epoch zxid, committed zxid */
    ZM_UPTODATE,            /* a quorum is synced: start serving */
    ZM_PROPOSAL,            /* broadcast: prev zxid, zxid, txn */
    ZM_ACK,                 /* cumulative: logged everything up to zxid */
    ZM_COMMIT,              /* cumulative: committed everything up to zxid */
    ZM_PING,                /* leader -> follower and back (with touches) */
    ZM_REQUEST,             /* follower -> leader: a write to propose */
    ZM_REVALIDATE,          /* follower -> leader: is this session alive? */
    ZM_REVALIDATE_RESP,
    ZM_BYE,                 /* the connection is closed (FIN / refused) */
    ZM_SYNC,                /* follower -> leader: a client's sync */
    ZM_SYNC_RESP,           /* leader -> follower: flushed up to the sync */
    ZM_SERVER_END,
    /* client <-> server */
    ZC_CONNECT = 0x5A40,    /* session id, timeout, last zxid seen */
    ZC_CONNECT_RESP,
    ZC_REQUEST,
    ZC_REPLY,
    ZC_PING,
    ZC_PONG,
    ZC_WATCH_EVENT,
    ZC_SET_WATCHES,
    ZC_CLOSE_CONN,          /* either side closes the connection; a
                             * server's refusal of a ConnectRequest adds
                             * a zk_refusal byte */
    ZC_END,
};

/* Why a server refused a connection (ZooKeeperServer.processConnectRequest
 * and NIOServerCnxn), for the real client's line in the log. */
typedef enum zk_refusal {
    ZR_NONE,
    ZR_NOT_SERVING,         /* no quorum: no ZooKeeperServer runs */
    ZR_ZXID_AHEAD,          /* the client has seen a newer zxid */
    ZR_NOT_READ_ONLY,       /* a read-only server, a client without the flag */
    ZR_GLOBAL_IN_RO,        /* a read-only server, a session of the ensemble */
} zk_refusal;

/* Names the message types in the world's trace (once per world). */
void zk_proto_name_msgs(sim *s);

/* Client operation codes. */
typedef enum zk_opcode {
    ZKOP_GET = 1, ZKOP_EXISTS, ZKOP_CHILDREN,       /* reads */
    ZKOP_CREATE, ZKOP_DELETE, ZKOP_SET, ZKOP_MULTI, /* writes */
    ZKOP_CLOSE,                                     /* closeSession */
    ZKOP_SYNC,                                      /* sync(path) */
} zk_opcode;

/* Writes go through the leader as transactions; sync does not. */
static inline bool zk_op_is_write(int op) { return op >= ZKOP_CREATE && op <= ZKOP_CLOSE; }

/* Transaction bodies (the log holds: u64 time_ms, then the body). */
typedef enum zk_txn_type {
    ZTXN_CREATE_SESSION = 1,
    ZTXN_CLOSE_SESSION,
    ZTXN_OPS,
} zk_txn_type;

/* Where the reply to a transaction goes: the server the client is
 * connected to, its connection slot and generation, the client's xid. */
typedef struct zk_origin {
    uint32_t sid;           /* 0: no client waits (session expiry) */
    uint32_t slot, gen;     /* connection on that server */
    uint32_t xid;           /* 0: the connect handshake */
} zk_origin;

/* A decoded transaction; ops point into the decoded bytes or scratch. */
typedef struct zk_txn {
    uint64_t time_ms;
    zk_txn_type type;
    int64_t session;
    zk_origin origin;
    uint32_t timeout_ms;    /* create session */
    int nops;               /* ZTXN_OPS */
    bool multi;             /* reply with per-op results */
} zk_txn;

/* Appends n raw bytes (no length prefix). */
void zk_w_raw(wbuf *w, const void *p, size_t n);
void zk_w_origin(wbuf *w, const zk_origin *o);
void zk_r_origin(rbuf *r, zk_origin *o);
/* Ops: u32 count, then each op. Decoding points into the buffer; path
 * strings are copied into `paths` (n x ZPATH_MAX bytes). */
void zk_w_ops(wbuf *w, const zop *ops, int n);
int zk_r_ops(rbuf *r, zop *ops, char (*paths)[ZPATH_MAX], int cap);
void zk_w_stat(wbuf *w, const zstat *st);
void zk_r_stat(rbuf *r, zstat *st);
void zk_w_result(wbuf *w, const zop_result *res);
void zk_r_result(rbuf *r, zop_result *res);


/* jute.maxbuffer's default (BinaryInputArchive.maxBuffer, 0xfffff): a
 * server closes the connection of a client whose request packet is longer
 * (NIOServerCnxn.readLength: "Len error"), so the client sees
 * CONNECTIONLOSS, reconnects, and its session lives on. */
#define ZK_JUTE_MAXBUFFER 0xfffff

/* The length a real client puts in front of this write request (its
 * RequestHeader and jute-encoded body; create with the open ACL every lab
 * client uses), which servers compare with ZK_JUTE_MAXBUFFER. */
size_t zk_request_len(int op, const zop *ops, int n);

#endif
