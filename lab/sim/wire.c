/* wire: byte encoding for messages and snapshots. */
#include "wire.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void wbuf_init(wbuf *w) { *w = (wbuf){0}; }
void wbuf_free(wbuf *w) { free(w->data); *w = (wbuf){0}; }
void wbuf_reset(wbuf *w) { w->len = 0; }

static void reserve(wbuf *w, size_t n)
{
    if (w->len + n <= w->cap) return;
    size_t cap = w->cap ? w->cap : 64;
    while (cap < w->len + n) cap *= 2;
    w->data = xrealloc(w->data, cap);
    w->cap = cap;
}

/* Fixed widths spelled out byte by byte: compilers make each one store
 * (or load, below) on little-endian machines and stay right elsewhere.
 * Every message is encoded and decoded through these. */
static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static inline void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

void w_u8(wbuf *w, uint8_t v)
{
    reserve(w, 1);
    w->data[w->len++] = v;
}

void w_u32(wbuf *w, uint32_t v)
{
    reserve(w, 4);
    put32(w->data + w->len, v);
    w->len += 4;
}

void w_u64(wbuf *w, uint64_t v)
{
    reserve(w, 8);
    put64(w->data + w->len, v);
    w->len += 8;
}

void w_i64(wbuf *w, int64_t v) { w_u64(w, (uint64_t)v); }

void w_raw(wbuf *w, const void *p, size_t n)
{
    reserve(w, n);
    if (n) memcpy(w->data + w->len, p, n);
    w->len += n;
}

void w_bytes(wbuf *w, const void *p, size_t n)
{
    QL_ASSERT(n <= UINT32_MAX);
    w_u32(w, (uint32_t)n);
    w_raw(w, p, n);
}

void w_str(wbuf *w, const char *s)
{
    s = s ? s : "";
    w_bytes(w, s, strlen(s));
}

rbuf rbuf_of(const void *p, size_t n)
{
    return (rbuf){ .data = p, .len = n };
}

static inline uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* False (and bad set) when fewer than n bytes are left. */
static inline bool have(rbuf *r, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = true;
        return false;
    }
    return true;
}

uint8_t r_u8(rbuf *r)
{
    return have(r, 1) ? r->data[r->pos++] : 0;
}

uint32_t r_u32(rbuf *r)
{
    if (!have(r, 4)) return 0;
    uint32_t v = get32(r->data + r->pos);
    r->pos += 4;
    return v;
}

uint64_t r_u64(rbuf *r)
{
    if (!have(r, 8)) return 0;
    uint64_t v = get32(r->data + r->pos) | (uint64_t)get32(r->data + r->pos + 4) << 32;
    r->pos += 8;
    return v;
}

int64_t r_i64(rbuf *r) { return (int64_t)r_u64(r); }

size_t r_bytes(rbuf *r, const uint8_t **p)
{
    size_t n = r_u32(r);
    if (r->bad || r->len - r->pos < n) {
        r->bad = true;
        *p = NULL;
        return 0;
    }
    *p = r->data + r->pos;
    r->pos += n;
    return n;
}

char *r_str_dup(rbuf *r)
{
    const uint8_t *p;
    size_t n = r_bytes(r, &p);
    char *s = xmalloc(n + 1);
    if (n) memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

void r_str(rbuf *r, char *out, size_t cap)
{
    const uint8_t *p;
    size_t n = r_bytes(r, &p);
    if (cap == 0) return;
    if (n > cap - 1) n = cap - 1;
    if (n) memcpy(out, p, n);
    out[n] = '\0';
}

uint64_t wire_hash(const void *p, size_t n, uint64_t seed)
{
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* A little-endian word from any address; compilers turn this into one
 * load on little-endian machines. */
static uint64_t le64(const uint8_t *b)
{
    return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
           (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 |
           (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
}

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

/* One multiply-rotate-multiply round per word (the shape of MurmurHash3's
 * block step), the length folded in so trailing zeros count, and a final
 * avalanche (splitmix64's) so every input bit reaches every output bit. */
uint64_t wire_digest(const void *p, size_t n, uint64_t seed)
{
    const uint64_t k1 = 0x87c37b91114253d5ULL, k2 = 0x4cf5ad432745937fULL;
    const uint8_t *b = p;
    uint64_t h = seed ^ 0xcbf29ce484222325ULL ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h ^= rotl(le64(b + i) * k1, 31) * k2;
        h = rotl(h, 27) * 5 + 0x52dce729;
    }
    uint64_t tail = 0;
    for (size_t j = 0; i + j < n; j++) tail |= (uint64_t)b[i + j] << (8 * j);
    h ^= rotl(tail * k2, 33) * k1;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}
