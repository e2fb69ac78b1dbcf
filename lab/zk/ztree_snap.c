/* ztree_snap: whole-tree views of the znode tree: walks, the digest
 * recomputed from scratch, clones, ephemeral listings and the snapshot bytes a leader sends
 * in a SNAP sync. Snapshots are checked as strictly as a network message:
 * any damage gives NULL, never a half-built tree. */
#include "ztree_node.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define SNAP_MAGIC 0x31545a51u      /* "QZT1" */
/* The fewest bytes one serialized znode can take: name and data lengths,
 * six 64-bit fields, version, creates and the child count. */
#define SNAP_NODE_MIN (4 + 4 + 6 * 8 + 4 + 4 + 4)

/* ---- walks ---- */

/* path holds the node's path (plen bytes, NUL-terminated, room for
 * ZPATH_MAX); children extend it in place. */
static bool walk_node(const znode *z, char *path, size_t plen, int depth,
                      ztree_visit fn, void *ctx)
{
    zstat st;
    znode_stat(z, &st);
    if (!fn(ctx, path, z->name, depth, &st, z->data, z->len)) return false;
    for (int i = 0; i < z->nkids; i++) {
        size_t base = plen == 1 ? 0 : plen;     /* the root is just "/" */
        size_t nlen = strlen(z->kids[i]->name);
        QL_ASSERT(base + 1 + nlen < ZPATH_MAX);
        path[base] = '/';
        memcpy(path + base + 1, z->kids[i]->name, nlen + 1);
        if (!walk_node(z->kids[i], path, base + 1 + nlen, depth + 1, fn, ctx))
            return false;
        path[plen] = '\0';
    }
    return true;
}

void ztree_walk(const ztree *t, ztree_visit fn, void *ctx)
{
    char path[ZPATH_MAX] = "/";
    walk_node(t->root, path, 1, 0, fn, ctx);
}

/* ---- digest ---- */

uint64_t znode_hash_all(const znode *z)
{
    uint64_t sum = znode_hash(z, true);
    for (int i = 0; i < z->nkids; i++) sum += znode_hash_all(z->kids[i]);
    return sum;
}

/* ---- clones ---- */

static znode *clone_node(const znode *z)
{
    znode *c = znode_new(z->name, strlen(z->name));
    uint8_t *data = z->len ? xmalloc(z->len) : NULL;
    if (z->len) memcpy(data, z->data, z->len);
    *c = *z;                    /* the fixed part: the name stays c's */
    c->data = data;
    c->parent = NULL;
    c->kids = NULL;
    c->keys = NULL;
    c->nkids = c->capkids = 0;
    znode_reserve(c, z->nkids);
    for (int i = 0; i < z->nkids; i++) znode_insert(c, clone_node(z->kids[i]), i);
    return c;
}

ztree *ztree_clone(const ztree *t)
{
    ztree *c = xcalloc(1, sizeof *c);
    c->root = clone_node(t->root);
    c->count = t->count;
    c->digest = t->digest;
    return c;   /* observers belong to the original's owner */
}

/* ---- ephemerals ---- */

typedef struct eph_list {
    int64_t session;
    char **paths;
    int n, cap;
} eph_list;

static bool eph_visit(void *ctx, const char *path, const char *name,
                      int depth, const zstat *st, const uint8_t *data,
                      size_t len)
{
    eph_list *l = ctx;
    if (st->ephemeral_owner != l->session || l->session == 0) return true;
    VEC_GROW(l->paths, l->n, l->cap);
    l->paths[l->n++] = xstrdup(path);
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ztree_ephemerals(const ztree *t, int64_t session, char ***paths)
{
    eph_list l = { .session = session };
    ztree_walk(t, eph_visit, &l);
    /* A walk is sorted per level; "/a-b" < "/a/b" needs a full sort. */
    if (l.n > 1) qsort(l.paths, (size_t)l.n, sizeof *l.paths, cmp_str);
    *paths = l.paths;
    return l.n;
}

/* ---- snapshots ---- */

static void write_node(wbuf *w, const znode *z)
{
    w_str(w, z->name);
    w_bytes(w, z->data, z->len);
    w_i64(w, z->czxid);
    w_i64(w, z->mzxid);
    w_i64(w, z->pzxid);
    w_i64(w, z->ctime_ms);
    w_i64(w, z->mtime_ms);
    w_i64(w, z->owner);
    w_u32(w, (uint32_t)z->version);
    w_u32(w, (uint32_t)z->creates);
    w_u32(w, (uint32_t)z->nkids);
    for (int i = 0; i < z->nkids; i++) write_node(w, z->kids[i]);
}

void ztree_serialize(const ztree *t, wbuf *w)
{
    w_u32(w, SNAP_MAGIC);
    w_u64(w, t->count);
    write_node(w, t->root);
    w_u64(w, ztree_digest(t));
}

/* Reads one znode and its subtree under the node at path (plen bytes);
 * NULL on any damage. The path-length bound also bounds the recursion. */
static znode *read_node(rbuf *r, char *path, size_t plen, uint64_t *count)
{
    const uint8_t *name, *data;
    size_t nlen = r_bytes(r, &name);
    if (r->bad) return NULL;
    size_t base = plen <= 1 ? 0 : plen;
    if (plen == 0) {
        if (nlen != 0) return NULL;             /* the root is nameless */
        memcpy(path, "/", 2);
    } else {
        if (nlen == 0 || base + 1 + nlen >= ZPATH_MAX) return NULL;
        path[base] = '/';
        memcpy(path + base + 1, name, nlen);
        path[base + 1 + nlen] = '\0';
        if (memchr(name, '/', nlen) || !zpath_ok(path, ZPATH_MAX - 1))
            return NULL;
    }
    size_t dlen = r_bytes(r, &data);
    if (r->bad || dlen > INT32_MAX) return NULL;
    znode *z = znode_new((const char *)name, nlen);
    z->data = dlen ? xmalloc(dlen) : NULL;
    if (dlen) memcpy(z->data, data, dlen);
    z->len = dlen;
    z->czxid = r_i64(r);
    z->mzxid = r_i64(r);
    z->pzxid = r_i64(r);
    z->ctime_ms = r_i64(r);
    z->mtime_ms = r_i64(r);
    z->owner = r_i64(r);
    z->version = (int32_t)r_u32(r);
    z->creates = (int32_t)r_u32(r);
    uint32_t nkids = r_u32(r);
    (*count)++;
    size_t mylen = plen == 0 ? 1 : base + 1 + nlen;
    /* A count the remaining bytes cannot hold is garbage: refuse it before
     * allocating for it. Ephemerals have no children, and every child
     * present was created once. */
    if (r->bad || nkids > (r->len - r->pos) / SNAP_NODE_MIN ||
        (nkids && z->owner) || z->creates < 0 || (uint32_t)z->creates < nkids) {
        znode_free(z);
        return NULL;
    }
    znode_reserve(z, (int)nkids);
    for (uint32_t i = 0; i < nkids; i++) {
        znode *kid = read_node(r, path, mylen, count);
        path[mylen] = '\0';
        /* Strictly sorted children: no duplicates, binary search works. */
        if (kid && i > 0 && strcmp(z->kids[i - 1]->name, kid->name) >= 0) {
            znode_free(kid);
            kid = NULL;
        }
        if (!kid) {
            znode_free(z);
            return NULL;
        }
        znode_insert(z, kid, z->nkids);
    }
    return z;
}

ztree *ztree_deserialize(rbuf *r)
{
    if (r_u32(r) != SNAP_MAGIC) return NULL;
    uint64_t want = r_u64(r), got = 0;
    if (r->bad) return NULL;
    char path[ZPATH_MAX];
    znode *root = read_node(r, path, 0, &got);
    if (!root) return NULL;
    ztree *t = xcalloc(1, sizeof *t);
    t->root = root;
    t->count = (size_t)got;
    /* The digest catches damage that still parses. */
    uint64_t digest = r_u64(r);
    t->digest = znode_hash_all(root);
    if (r->bad || got != want || digest != t->digest) {
        ztree_free(t);
        return NULL;
    }
    return t;
}
