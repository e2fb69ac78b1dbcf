/* util: allocation wrappers that abort on failure, and an always-on assert.
 * Allocation failure is not an expected error in quorumlab: one wrapper
 * prints where it happened and aborts, so callers never check for NULL. */
#ifndef QL_UTIL_H
#define QL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void *xmalloc(size_t n);              /* never returns NULL */
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Programmer errors: always on, even in release builds. */
#define QL_ASSERT(c) \
    ((c) ? (void)0 : ql_assert_fail(#c, __FILE__, __LINE__))
void ql_assert_fail(const char *expr, const char *file, int line);

#define QL_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Growable array of anything: `vec_push(&v, &n, &cap, item)` style helper. */
#define VEC_GROW(ptr, len, cap)                                              \
    do {                                                                     \
        if ((len) >= (cap)) {                                                \
            (cap) = (cap) ? (cap) * 2 : 8;                                   \
            (ptr) = xrealloc((ptr), (size_t)(cap) * sizeof(*(ptr)));         \
        }                                                                    \
    } while (0)

#endif
