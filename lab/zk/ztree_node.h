/* ztree_node: the znode tree's internals, shared by the ztree module's
 * files (ztree*.c: writes and reads, paths, walks, digests, snapshots).
 * Nothing outside the module includes this file. */
#ifndef QL_ZTREE_NODE_H
#define QL_ZTREE_NODE_H

#include "ztree.h"

typedef struct znode znode;
struct znode {
    znode *parent;          /* NULL for the root */
    znode **kids;           /* sorted by strcmp of name, for binary search */
    uint64_t *keys;         /* beside kids: each kid's znode_key, so a
                             * search reads one array instead of a kid and
                             * its name per step (a topic's 10,000
                             * partitions: 14 steps, three misses each) */
    int nkids;              /* children held */
    int capkids;            /* kids and keys allocated */
    uint8_t *data;          /* owned; NULL when len is 0 */
    size_t len;             /* data bytes */
    int64_t czxid;          /* as in zstat */
    int64_t mzxid;
    int64_t pzxid;
    int64_t ctime_ms;
    int64_t mtime_ms;
    int64_t owner;          /* session of an ephemeral, 0 for persistent */
    int32_t version;        /* data changes */
    int32_t creates;        /* children ever created: ZooKeeper's stored
                             * cversion, and the sequential counter */
    char name[];            /* last path component; "" for the root: in
                             * the node's own allocation, which a name of
                             * its own cost as much as keys adds */
};

struct ztree {
    znode *root;            /* "/", never deleted */
    size_t count;           /* znodes, the root included */
    uint64_t digest;        /* sum of znode_hash over all znodes, kept up
                             * to date by every change */
    ztree_observer obs;     /* told of each change of a successful apply */
    void *obs_ctx;
};

znode *znode_new(const char *name, size_t n);
void znode_free(znode *z);                      /* and its subtree */
/* The first 8 bytes of a name (s, n) as a big-endian number, zero
 * padded: keys in numeric order are names in strcmp order, and equal keys
 * of names shorter than 8 bytes are equal names. */
uint64_t znode_key(const char *s, size_t n);
/* Index of the child named (s, n), or -(insertion point) - 1. */
int znode_find(const znode *z, const char *s, size_t n);
/* Room for n children (kids and keys), for a caller that knows how many. */
void znode_reserve(znode *z, int n);
/* Puts kid at index at, which keeps the children sorted. */
void znode_insert(znode *parent, znode *kid, int at);
void znode_stat(const znode *z, zstat *st);
/* Writes the node's path into out (ZPATH_MAX bytes); returns its length. */
size_t znode_path(const znode *z, char *out);
/* The node's share of the tree digest: its path, stat and, when
 * with_data, its data. Order-free, as ZooKeeper's digest: a change
 * subtracts a node's old share and adds the new one. */
uint64_t znode_hash(const znode *z, bool with_data);
/* The digest recomputed from every node, for checking a snapshot. */
uint64_t znode_hash_all(const znode *z);
/* Checks structure, characters and length of a path, as ZooKeeper's
 * PathUtils does, allowing at most max_len bytes. */
bool zpath_ok(const char *path, size_t max_len);

#endif
