/* wire: a tiny byte encoder/decoder for simulated network messages.
 * Nodes exchange bytes, never pointers, so no node can touch another's
 * memory. Integers are little-endian fixed width; strings and blobs are
 * length-prefixed. A decoder that runs past the end sets `bad` and returns
 * zeros, so a malformed message is detected once, after decoding. */
#ifndef QL_WIRE_H
#define QL_WIRE_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef struct wbuf {
    uint8_t *data;  /* owned, grows as needed */
    size_t len;     /* bytes written */
    size_t cap;     /* bytes allocated */
} wbuf;

typedef struct rbuf {
    const uint8_t *data; /* borrowed */
    size_t len;          /* total bytes */
    size_t pos;          /* next byte to read */
    bool bad;            /* a read ran past the end */
} rbuf;

void wbuf_init(wbuf *w);
void wbuf_free(wbuf *w);
void wbuf_reset(wbuf *w);           /* len = 0, keeps the allocation */
void wbuf_grow(wbuf *w, size_t n);  /* room for n more bytes */
static inline void w_u8(wbuf *w, uint8_t v);
static inline void w_u32(wbuf *w, uint32_t v);
static inline void w_u64(wbuf *w, uint64_t v);
static inline void w_i64(wbuf *w, int64_t v);
void w_bytes(wbuf *w, const void *p, size_t n);    /* u32 length + bytes */
void w_str(wbuf *w, const char *s);                /* NULL is written as "" */
void w_raw(wbuf *w, const void *p, size_t n);      /* n bytes, no length */

rbuf rbuf_of(const void *p, size_t n);
static inline uint8_t r_u8(rbuf *r);
static inline uint32_t r_u32(rbuf *r);
static inline uint64_t r_u64(rbuf *r);
static inline int64_t r_i64(rbuf *r);
/* Points *p into the buffer (no copy); returns the length. */
size_t r_bytes(rbuf *r, const uint8_t **p);
/* Copies a string into a fresh allocation (caller frees). */
char *r_str_dup(rbuf *r);
/* Copies a string into out (truncated to cap-1, always terminated). */
void r_str(rbuf *r, char *out, size_t cap);

/* FNV-1a, for cheap content digests used by the checkers. */
uint64_t wire_hash(const void *p, size_t n, uint64_t seed);
/* A content digest about 8x faster than wire_hash on long inputs: it
 * reads 8 bytes at a time, as little-endian words whatever the platform,
 * so the same bytes give the same digest everywhere, at any alignment.
 * Not FNV; not cryptographic. For the digests kept on every txn and
 * znode. */
uint64_t wire_digest(const void *p, size_t n, uint64_t seed);

/* The fixed-width fields, inline: every field of every message goes
 * through them (out of line, r_u32 alone was a tenth of the 300-broker
 * scale run's instructions). Spelled out byte by byte: compilers make
 * each one load or store on little-endian machines and stay right
 * elsewhere. */
static inline void wire_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t wire_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline void w_u8(wbuf *w, uint8_t v)
{
    if (w->len + 1 > w->cap) wbuf_grow(w, 1);
    w->data[w->len++] = v;
}

static inline void w_u32(wbuf *w, uint32_t v)
{
    if (w->len + 4 > w->cap) wbuf_grow(w, 4);
    wire_put32(w->data + w->len, v);
    w->len += 4;
}

static inline void w_u64(wbuf *w, uint64_t v)
{
    if (w->len + 8 > w->cap) wbuf_grow(w, 8);
    wire_put32(w->data + w->len, (uint32_t)v);
    wire_put32(w->data + w->len + 4, (uint32_t)(v >> 32));
    w->len += 8;
}

static inline void w_i64(wbuf *w, int64_t v) { w_u64(w, (uint64_t)v); }

/* False (and bad set) when fewer than n bytes are left. */
static inline bool wire_have(rbuf *r, size_t n)
{
    if (r->bad || r->len - r->pos < n) {
        r->bad = true;
        return false;
    }
    return true;
}

static inline uint8_t r_u8(rbuf *r)
{
    return wire_have(r, 1) ? r->data[r->pos++] : 0;
}

static inline uint32_t r_u32(rbuf *r)
{
    if (!wire_have(r, 4)) return 0;
    uint32_t v = wire_get32(r->data + r->pos);
    r->pos += 4;
    return v;
}

static inline uint64_t r_u64(rbuf *r)
{
    if (!wire_have(r, 8)) return 0;
    uint64_t v = wire_get32(r->data + r->pos) |
                 (uint64_t)wire_get32(r->data + r->pos + 4) << 32;
    r->pos += 8;
    return v;
}

static inline int64_t r_i64(rbuf *r) { return (int64_t)r_u64(r); }

#endif
