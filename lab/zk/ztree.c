/* ztree: the znode tree and its write path. Writes follow ZooKeeper 3.8's
 * PrepRequestProcessor and DataTree: same checks in the same order, same
 * stat updates, and a multi that fails leaves the tree untouched (each
 * change is logged and undone in reverse order). */
#include "ztree_node.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const zerr_names[ZERR_COUNT] = {
    [ZOK] = "OK",
    [ZNONODE] = "NONODE",
    [ZNODEEXISTS] = "NODEEXISTS",
    [ZNOTEMPTY] = "NOTEMPTY",
    [ZBADVERSION] = "BADVERSION",
    [ZNOCHILDRENFOREPHEMERALS] = "NOCHILDRENFOREPHEMERALS",
    [ZBADARGUMENTS] = "BADARGUMENTS",
    [ZCONNECTIONLOSS] = "CONNECTIONLOSS",
    [ZSESSIONEXPIRED] = "SESSIONEXPIRED",
    [ZOPERATIONTIMEOUT] = "OPERATIONTIMEOUT",
    [ZRUNTIMEINCONSISTENCY] = "RUNTIMEINCONSISTENCY",
    [ZSESSIONMOVED] = "SESSIONMOVED",
    [ZNOTREADONLY] = "NOTREADONLY",
};

const char *zerr_name(zerr e)
{
    return (unsigned)e < ZERR_COUNT ? zerr_names[e] : "UNKNOWN";
}

const char *zevent_name(zevent e)
{
    switch (e) {
    case ZEV_CREATED: return "NodeCreated";
    case ZEV_DELETED: return "NodeDeleted";
    case ZEV_DATA_CHANGED: return "NodeDataChanged";
    case ZEV_CHILDREN_CHANGED: return "NodeChildrenChanged";
    }
    return "None";
}

/* Paths of existing znodes: a sequential suffix may take one up to
 * ZPATH_MAX - 1 bytes, and it must stay reachable. */
static bool node_path_ok(const char *path)
{
    return zpath_ok(path, ZPATH_MAX - 1);
}

/* ---- nodes ---- */

znode *znode_new(const char *name, size_t n)
{
    znode *z = xcalloc(1, sizeof *z + n + 1);
    memcpy(z->name, name, n);
    z->name[n] = '\0';
    return z;
}

void znode_free(znode *z)
{
    if (!z) return;
    for (int i = 0; i < z->nkids; i++) znode_free(z->kids[i]);
    free(z->kids);
    free(z->keys);
    free(z->data);
    free(z);
}

/* strcmp order between a name and the n bytes at s (no NUL among them). */
static int name_cmp(const char *name, const char *s, size_t n)
{
    int c = strncmp(name, s, n);
    return c ? c : name[n] != '\0';
}

uint64_t znode_key(const char *s, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < 8; i++) k = k << 8 | (i < n ? (unsigned char)s[i] : 0);
    return k;
}

/* The key decides unless the keys are equal and the names may go on
 * past 8 bytes; only then is the kid's name read. */
int znode_find(const znode *z, const char *s, size_t n)
{
    uint64_t key = znode_key(s, n);
    int lo = 0, hi = z->nkids;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        uint64_t k = z->keys[mid];
        int c = k < key ? -1 : k > key ? 1
              : n < 8 ? 0 : name_cmp(z->kids[mid]->name, s, n);
        if (c == 0) return mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return -lo - 1;
}

void znode_reserve(znode *z, int n)
{
    if (n <= z->capkids) return;
    z->kids = xrealloc(z->kids, (size_t)n * sizeof *z->kids);
    z->keys = xrealloc(z->keys, (size_t)n * sizeof *z->keys);
    z->capkids = n;
}

void znode_insert(znode *parent, znode *kid, int at)
{
    if (parent->nkids == parent->capkids)
        znode_reserve(parent, parent->capkids ? parent->capkids * 2 : 2);
    memmove(parent->kids + at + 1, parent->kids + at,
            (size_t)(parent->nkids - at) * sizeof *parent->kids);
    memmove(parent->keys + at + 1, parent->keys + at,
            (size_t)(parent->nkids - at) * sizeof *parent->keys);
    parent->kids[at] = kid;
    parent->keys[at] = znode_key(kid->name, strlen(kid->name));
    parent->nkids++;
    kid->parent = parent;
}

static void znode_unlink(znode *kid)
{
    znode *p = kid->parent;
    int at = znode_find(p, kid->name, strlen(kid->name));
    QL_ASSERT(at >= 0 && p->kids[at] == kid);
    memmove(p->kids + at, p->kids + at + 1,
            (size_t)(p->nkids - at - 1) * sizeof *p->kids);
    memmove(p->keys + at, p->keys + at + 1,
            (size_t)(p->nkids - at - 1) * sizeof *p->keys);
    p->nkids--;
}

void znode_stat(const znode *z, zstat *st)
{
    *st = (zstat){
        .czxid = z->czxid, .mzxid = z->mzxid, .pzxid = z->pzxid,
        .ctime_ms = z->ctime_ms, .mtime_ms = z->mtime_ms,
        .version = z->version,
        /* ZooKeeper stores only creates and serves creates + deletes:
         * every child no longer present was deleted once. */
        .cversion = (int32_t)(2u * (uint32_t)z->creates - (uint32_t)z->nkids),
        .ephemeral_owner = z->owner,
        .num_children = z->nkids,
        .data_length = (int32_t)z->len,
    };
}

size_t znode_path(const znode *z, char *out)
{
    const znode *chain[ZPATH_MAX / 2];      /* each level takes >= 2 bytes */
    int depth = 0;
    for (; z->parent; z = z->parent) {
        QL_ASSERT(depth < (int)QL_ARRAY_LEN(chain));
        chain[depth++] = z;
    }
    size_t len = 0;
    out[len++] = '/';
    for (int i = depth - 1; i >= 0; i--) {
        size_t k = strlen(chain[i]->name);
        QL_ASSERT(len + k < ZPATH_MAX);
        memcpy(out + len, chain[i]->name, k);
        len += k;
        if (i) out[len++] = '/';
    }
    out[len] = '\0';
    return len;
}

/* splitmix64's finalizer: spreads each hash before shares are summed. */
static uint64_t fmix(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

uint64_t znode_hash(const znode *z, bool with_data)
{
    char path[ZPATH_MAX];
    size_t n = znode_path(z, path);
    /* Field by field, so struct padding never enters the hash. */
    int64_t f[] = { z->czxid, z->mzxid, z->pzxid, z->ctime_ms, z->mtime_ms,
                    z->owner, z->version, z->creates, z->nkids,
                    (int64_t)z->len };
    uint64_t h = wire_digest(path, n + 1, 0);
    uint64_t share = fmix(wire_digest(f, sizeof f, h));
    if (with_data) share += fmix(wire_digest(z->data, z->len, ~h));
    return share;
}

/* The node at the first n bytes of a well-formed path; n == 0 is "/". */
static znode *lookup_n(const ztree *t, const char *p, size_t n)
{
    znode *z = t->root;
    for (size_t i = 1; i < n;) {
        size_t j = i;
        while (j < n && p[j] != '/') j++;
        int k = znode_find(z, p + i, j - i);
        if (k < 0) return NULL;
        z = z->kids[k];
        i = j + 1;
    }
    return z;
}

static znode *lookup(const ztree *t, const char *path)
{
    return lookup_n(t, path, strlen(path));
}

/* ---- the tree ---- */

ztree *ztree_new(void)
{
    ztree *t = xcalloc(1, sizeof *t);
    t->root = znode_new("", 0);
    t->count = 1;
    t->digest = znode_hash(t->root, true);
    return t;
}

void ztree_free(ztree *t)
{
    if (!t) return;
    znode_free(t->root);
    free(t);
}

void ztree_set_observer(ztree *t, ztree_observer fn, void *ctx)
{
    t->obs = fn;
    t->obs_ctx = ctx;
}

size_t ztree_count(const ztree *t) { return t->count; }

uint64_t ztree_digest(const ztree *t) { return t->digest; }

/* ---- writes ---- */

/* One change made by a multi in progress, enough to take it back. */
typedef struct undo {
    zop_type type;
    znode *node;            /* created, deleted (kept until commit) or set */
    int64_t pzxid;          /* parent's, before a create or delete */
    int32_t creates;        /* parent's, before a create */
    uint8_t *data;          /* set: the old data, freed at commit */
    size_t len;
    int64_t mzxid, mtime_ms;
    int32_t version;
} undo;

typedef struct change {
    zevent ev;
    char *path;             /* owned */
} change;

/* The state of one ztree_apply. */
typedef struct txn {
    ztree *t;
    int64_t zxid, session, time_ms;
    uint64_t digest;        /* the tree's before the first change */
    undo *undo;
    int nundo, capundo;
    change *changes;
    int nchanges, capchanges;
} txn;

static void note(txn *x, zevent ev, const char *path, size_t n)
{
    VEC_GROW(x->changes, x->nchanges, x->capchanges);
    char *s = xmalloc(n + 1);
    memcpy(s, path, n);
    s[n] = '\0';
    x->changes[x->nchanges++] = (change){ ev, s };
}

/* The parent's path is everything before the last slash, "/" for top. */
static void note_parent(txn *x, const char *path)
{
    size_t n = (size_t)(strrchr(path, '/') - path);
    note(x, ZEV_CHILDREN_CHANGED, n ? path : "/", n ? n : 1);
}

static undo *push_undo(txn *x, zop_type type, znode *z)
{
    VEC_GROW(x->undo, x->nundo, x->capundo);
    undo *u = &x->undo[x->nundo++];
    *u = (undo){ .type = type, .node = z };
    return u;
}

static bool version_ok(const znode *z, int32_t want)
{
    return want == -1 || want == z->version;
}

static void set_data(znode *z, const uint8_t *data, size_t len)
{
    z->data = len ? xmalloc(len) : NULL;
    if (len) memcpy(z->data, data, len);
    z->len = len;
}

static zerr do_create(txn *x, const zop *op, zop_result *res)
{
    bool seq = op->flags & ZF_SEQUENTIAL;
    if (op->flags & ~(ZF_EPHEMERAL | ZF_SEQUENTIAL)) return ZBADARGUMENTS;
    /* An ephemeral needs an owner, or it would be persistent. */
    if ((op->flags & ZF_EPHEMERAL) && x->session == 0) return ZBADARGUMENTS;
    if (op->len > INT32_MAX) return ZBADARGUMENTS;
    char full[ZPATH_MAX];
    size_t n = op->path ? strnlen(op->path, ZPATH_MAX) : ZPATH_MAX;
    if (n > ZPATH_MAX - 11) return ZBADARGUMENTS;
    /* A sequential prefix may end in '/': ZooKeeper checks prefix + "1". */
    snprintf(full, sizeof full, "%s%s", op->path, seq ? "1" : "");
    if (!zpath_ok(full, ZPATH_MAX - 10)) return ZBADARGUMENTS;
    if (!seq && n == 1) return ZNODEEXISTS;        /* "/" */
    size_t slash = (size_t)(strrchr(op->path, '/') - op->path);
    znode *parent = lookup_n(x->t, op->path, slash);
    if (!parent) return ZNONODE;
    if (seq)
        snprintf(full, sizeof full, "%s%010d", op->path, (int)parent->creates);
    const char *name = full + slash + 1;
    int at = znode_find(parent, name, strlen(name));
    if (at >= 0) return ZNODEEXISTS;
    if (parent->owner) return ZNOCHILDRENFOREPHEMERALS;

    znode *z = znode_new(name, strlen(name));
    set_data(z, op->data, op->len);
    z->czxid = z->mzxid = z->pzxid = x->zxid;
    z->ctime_ms = z->mtime_ms = x->time_ms;
    z->owner = (op->flags & ZF_EPHEMERAL) ? x->session : 0;
    undo *u = push_undo(x, ZOP_CREATE, z);
    u->pzxid = parent->pzxid;
    u->creates = parent->creates;
    x->t->digest -= znode_hash(parent, false);
    parent->creates++;
    parent->pzxid = x->zxid;
    znode_insert(parent, z, -at - 1);
    x->t->digest += znode_hash(parent, false) + znode_hash(z, true);
    x->t->count++;
    note(x, ZEV_CREATED, full, strlen(full));
    note_parent(x, full);
    if (res) {
        snprintf(res->path, sizeof res->path, "%s", full);
        znode_stat(z, &res->stat);
    }
    return ZOK;
}

static zerr do_delete(txn *x, const zop *op)
{
    if (!node_path_ok(op->path)) return ZBADARGUMENTS;
    if (strcmp(op->path, "/") == 0) return ZBADARGUMENTS;
    znode *z = lookup(x->t, op->path);
    if (!z) return ZNONODE;
    if (!version_ok(z, op->version)) return ZBADVERSION;
    if (z->nkids) return ZNOTEMPTY;
    undo *u = push_undo(x, ZOP_DELETE, z);
    u->pzxid = z->parent->pzxid;
    x->t->digest -= znode_hash(z, true) + znode_hash(z->parent, false);
    znode_unlink(z);
    /* A delete changes no stored cversion: the served one derives it. */
    if (x->zxid > z->parent->pzxid) z->parent->pzxid = x->zxid;
    x->t->digest += znode_hash(z->parent, false);
    x->t->count--;
    note(x, ZEV_DELETED, op->path, strlen(op->path));
    note_parent(x, op->path);
    return ZOK;
}

static zerr do_set(txn *x, const zop *op, zop_result *res)
{
    if (!node_path_ok(op->path)) return ZBADARGUMENTS;
    if (op->len > INT32_MAX) return ZBADARGUMENTS;
    znode *z = lookup(x->t, op->path);
    if (!z) return ZNONODE;
    if (!version_ok(z, op->version)) return ZBADVERSION;
    undo *u = push_undo(x, ZOP_SET, z);
    u->data = z->data;
    u->len = z->len;
    u->mzxid = z->mzxid;
    u->mtime_ms = z->mtime_ms;
    u->version = z->version;
    x->t->digest -= znode_hash(z, true);
    set_data(z, op->data, op->len);
    z->version++;
    z->mzxid = x->zxid;
    z->mtime_ms = x->time_ms;
    x->t->digest += znode_hash(z, true);
    note(x, ZEV_DATA_CHANGED, op->path, strlen(op->path));
    if (res) znode_stat(z, &res->stat);
    return ZOK;
}

static zerr do_check(txn *x, const zop *op)
{
    if (!node_path_ok(op->path)) return ZBADARGUMENTS;
    znode *z = lookup(x->t, op->path);
    if (!z) return ZNONODE;
    return version_ok(z, op->version) ? ZOK : ZBADVERSION;
}

static zerr do_op(txn *x, const zop *op, zop_result *res)
{
    switch (op->type) {
    case ZOP_CREATE: return do_create(x, op, res);
    case ZOP_DELETE: return do_delete(x, op);
    case ZOP_SET: return do_set(x, op, res);
    case ZOP_CHECK: return do_check(x, op);
    }
    return ZBADARGUMENTS;
}

/* Takes back every logged change, newest first. */
static void rollback(txn *x)
{
    x->t->digest = x->digest;
    for (int i = x->nundo - 1; i >= 0; i--) {
        undo *u = &x->undo[i];
        znode *z = u->node;
        switch (u->type) {
        case ZOP_CREATE:
            z->parent->pzxid = u->pzxid;
            z->parent->creates = u->creates;
            znode_unlink(z);
            znode_free(z);
            x->t->count--;
            break;
        case ZOP_DELETE:
            z->parent->pzxid = u->pzxid;
            znode_insert(z->parent,
                         z, -znode_find(z->parent, z->name, strlen(z->name)) - 1);
            x->t->count++;
            break;
        case ZOP_SET:
            free(z->data);
            z->data = u->data;
            z->len = u->len;
            z->mzxid = u->mzxid;
            z->mtime_ms = u->mtime_ms;
            z->version = u->version;
            break;
        case ZOP_CHECK:
            break;
        }
    }
}

/* Frees what the committed changes left behind. */
static void commit(txn *x)
{
    for (int i = 0; i < x->nundo; i++) {
        undo *u = &x->undo[i];
        if (u->type == ZOP_DELETE) znode_free(u->node);
        else if (u->type == ZOP_SET) free(u->data);
    }
}

zerr ztree_apply(ztree *t, int64_t zxid, int64_t session, int64_t time_ms,
                 const zop *ops, int n, zop_result *results)
{
    QL_ASSERT(t && n >= 0 && (n == 0 || ops));
    txn x = { .t = t, .zxid = zxid, .session = session, .time_ms = time_ms,
              .digest = t->digest };
    zerr err = ZOK;
    int failed = n;
    for (int i = 0; i < n && err == ZOK; i++) {
        zop_result *res = results ? &results[i] : NULL;
        if (res) *res = (zop_result){ .err = ZOK };
        err = do_op(&x, &ops[i], res);
        if (err != ZOK) failed = i;
    }
    if (err != ZOK) {
        rollback(&x);
        /* As ZooKeeper's multi: ops before the failed one report OK with
         * no result, those after it RUNTIMEINCONSISTENCY. */
        for (int i = 0; results && i < n; i++)
            results[i] = (zop_result){
                .err = i < failed ? ZOK : i == failed ? err : ZRUNTIMEINCONSISTENCY };
    } else {
        commit(&x);
    }
    free(x.undo);
    for (int i = 0; i < x.nchanges; i++) {
        if (err == ZOK && t->obs)
            t->obs(t->obs_ctx, x.changes[i].ev, x.changes[i].path);
        free(x.changes[i].path);
    }
    free(x.changes);
    return err;
}

/* ---- reads ---- */

zerr ztree_get(const ztree *t, const char *path, const uint8_t **data,
               size_t *len, zstat *st)
{
    if (!node_path_ok(path)) return ZBADARGUMENTS;
    const znode *z = lookup(t, path);
    if (!z) return ZNONODE;
    if (data) *data = z->data;
    if (len) *len = z->len;
    if (st) znode_stat(z, st);
    return ZOK;
}

bool ztree_exists(const ztree *t, const char *path)
{
    return node_path_ok(path) && lookup(t, path) != NULL;
}

zerr ztree_children(const ztree *t, const char *path, char ***names, int *n)
{
    *names = NULL;
    *n = 0;
    if (!node_path_ok(path)) return ZBADARGUMENTS;
    const znode *z = lookup(t, path);
    if (!z) return ZNONODE;
    if (z->nkids) *names = xmalloc((size_t)z->nkids * sizeof **names);
    for (int i = 0; i < z->nkids; i++) (*names)[i] = xstrdup(z->kids[i]->name);
    *n = z->nkids;
    return ZOK;
}

void ztree_free_names(char **names, int n)
{
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}
