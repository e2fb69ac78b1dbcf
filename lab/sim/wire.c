/* wire: byte encoding for messages and snapshots. */
#include "wire.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void wbuf_init(wbuf *w) { *w = (wbuf){0}; }
void wbuf_free(wbuf *w) { free(w->data); *w = (wbuf){0}; }
void wbuf_reset(wbuf *w) { w->len = 0; }

void wbuf_grow(wbuf *w, size_t n)
{
    size_t cap = w->cap ? w->cap : 64;
    while (cap < w->len + n) cap *= 2;
    w->data = xrealloc(w->data, cap);
    w->cap = cap;
}

static void reserve(wbuf *w, size_t n)
{
    if (w->len + n > w->cap) wbuf_grow(w, n);
}

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
