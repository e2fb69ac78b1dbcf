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
void w_u8(wbuf *w, uint8_t v);
void w_u32(wbuf *w, uint32_t v);
void w_u64(wbuf *w, uint64_t v);
void w_i64(wbuf *w, int64_t v);
void w_bytes(wbuf *w, const void *p, size_t n);    /* u32 length + bytes */
void w_str(wbuf *w, const char *s);                /* NULL is written as "" */
void w_raw(wbuf *w, const void *p, size_t n);      /* n bytes, no length */

rbuf rbuf_of(const void *p, size_t n);
uint8_t r_u8(rbuf *r);
uint32_t r_u32(rbuf *r);
uint64_t r_u64(rbuf *r);
int64_t r_i64(rbuf *r);
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

#endif
