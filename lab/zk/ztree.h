/* ztree: the znode tree, ZooKeeper's data model, as a deterministic state
 * machine. Every server holds one; transactions are applied to it in zxid
 * order, so all servers that apply the same history hold the same tree.
 * Writes are checked when applied (not before), so a failed conditional
 * write still consumes its zxid, as ZooKeeper's error transactions do.
 * Children are kept sorted by name, so every walk is deterministic. */
#ifndef QL_ZTREE_H
#define QL_ZTREE_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "wire.h"

typedef enum zerr {
    ZOK = 0,
    ZNONODE,
    ZNODEEXISTS,
    ZNOTEMPTY,
    ZBADVERSION,
    ZNOCHILDRENFOREPHEMERALS,
    ZBADARGUMENTS,          /* malformed path, bad flags */
    ZCONNECTIONLOSS,        /* client side: no server answered */
    ZSESSIONEXPIRED,        /* client side: the session is gone */
    ZOPERATIONTIMEOUT,      /* client side */
    ZRUNTIMEINCONSISTENCY,  /* multi: this op was not run because another failed */
    ZSESSIONMOVED,
    ZNOTREADONLY,           /* a write or sync to a read-only server */
    ZERR_COUNT
} zerr;

/* "NONODE", "BADVERSION", ... as the real client library names them. */
const char *zerr_name(zerr e);

typedef struct zstat {
    int64_t czxid;          /* zxid of the create */
    int64_t mzxid;          /* zxid of the last data change */
    int64_t pzxid;          /* zxid of the last child list change */
    int64_t ctime_ms;       /* simulated time of the create */
    int64_t mtime_ms;       /* simulated time of the last data change */
    int32_t version;        /* data changes */
    int32_t cversion;       /* child list changes */
    int64_t ephemeral_owner;/* session id, 0 for persistent */
    int32_t num_children;
    int32_t data_length;
} zstat;

#define ZF_EPHEMERAL  1u
#define ZF_SEQUENTIAL 2u

typedef enum zop_type { ZOP_CREATE, ZOP_DELETE, ZOP_SET, ZOP_CHECK } zop_type;

/* One operation of a (multi-)write. Strings and data are borrowed. */
typedef struct zop {
    zop_type type;
    const char *path;
    const uint8_t *data;    /* create and set */
    size_t len;
    int32_t version;        /* delete, set, check: -1 matches any */
    uint32_t flags;         /* create: ZF_EPHEMERAL | ZF_SEQUENTIAL */
} zop;

#define ZPATH_MAX 256
#define ZK_MULTI_MAX 64     /* ops in one multi at most */

typedef struct zop_result {
    zerr err;
    char path[ZPATH_MAX];   /* create: the name actually created */
    zstat stat;             /* create and set: the new stat */
} zop_result;

/* What changed, for firing watches: one call per change during apply. */
typedef enum zevent {
    ZEV_CREATED = 1,        /* NodeCreated */
    ZEV_DELETED,            /* NodeDeleted */
    ZEV_DATA_CHANGED,       /* NodeDataChanged */
    ZEV_CHILDREN_CHANGED,   /* NodeChildrenChanged */
} zevent;
const char *zevent_name(zevent e);      /* "NodeCreated", ... */
typedef void (*ztree_observer)(void *ctx, zevent ev, const char *path);

typedef struct ztree ztree;

ztree *ztree_new(void);                 /* holds only "/" */
void ztree_free(ztree *t);              /* ztree_free(NULL) is a no-op */
ztree *ztree_clone(const ztree *t);
/* Called for each change made by ztree_apply (not by failed ops). */
void ztree_set_observer(ztree *t, ztree_observer fn, void *ctx);

/* Applies ops atomically at zxid on behalf of session (0: none): all
 * succeed, or none changes anything. results[i] gets each op's outcome
 * (results may be NULL); when one fails, as in ZooKeeper's multi, the ops
 * before it get ZOK with an empty path and stat, it carries its error, and
 * those after it get ZRUNTIMEINCONSISTENCY. Returns ZOK or that error.
 * Ephemeral creates need a session (else ZBADARGUMENTS); stat.cversion
 * counts child creates plus deletes, the sequence suffix creates only. */
zerr ztree_apply(ztree *t, int64_t zxid, int64_t session, int64_t time_ms,
                 const zop *ops, int n, zop_result *results);

/* Reads. data points into the tree and is valid until the next apply. */
zerr ztree_get(const ztree *t, const char *path, const uint8_t **data,
               size_t *len, zstat *st);
bool ztree_exists(const ztree *t, const char *path);
/* Sorted child names; *names is a fresh array of fresh strings, freed with
 * ztree_free_names. */
zerr ztree_children(const ztree *t, const char *path, char ***names, int *n);
void ztree_free_names(char **names, int n);

/* Paths of the session's ephemeral znodes, sorted; freed as above. */
int ztree_ephemerals(const ztree *t, int64_t session, char ***paths);

/* Depth-first walk in sorted order (the root first, depth 0). The walk
 * stops when fn returns false. */
typedef bool (*ztree_visit)(void *ctx, const char *path, const char *name,
                            int depth, const zstat *st, const uint8_t *data,
                            size_t len);
void ztree_walk(const ztree *t, ztree_visit fn, void *ctx);

size_t ztree_count(const ztree *t);     /* znodes, the root included */
/* A digest of the whole content (paths, data, stats): equal trees give
 * equal digests. Kept up to date by every change, so reading it is O(1)
 * (a sum of per-znode hashes, as ZooKeeper's own tree digest). */
uint64_t ztree_digest(const ztree *t);

/* Snapshots, for ZAB's SNAP sync. Deserialize returns NULL on bad bytes. */
void ztree_serialize(const ztree *t, wbuf *w);
ztree *ztree_deserialize(rbuf *r);

/* Checks a client-supplied path: absolute, no trailing or double slash,
 * no "." or ".." parts, at most ZPATH_MAX - 11 bytes (room for a
 * sequence suffix). Reads, sets, deletes and checks take paths of
 * existing znodes, so they accept up to ZPATH_MAX - 1 bytes. */
bool ztree_valid_path(const char *path);

#endif
