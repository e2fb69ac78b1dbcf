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

/* Text a user typed, quoted into an error message: at most QL_QUOTE_MAX
 * bytes of it (cut on a UTF-8 boundary), then "... (N bytes)" when it was
 * longer, so a 10,000-character argument does not flood the screen. Writes
 * into out (cap bytes, always terminated) and returns out. Every error text
 * that quotes user input goes through it. */
#define QL_QUOTE_MAX 60
char *ql_quote(char *out, size_t cap, const char *s, size_t len);
/* Room ql_quote needs for any input. */
#define QL_QUOTE_CAP (QL_QUOTE_MAX + 32)

/* The optimal-string-alignment distance between a and b (insertions,
 * deletions, substitutions and swaps of neighbours, each 1), or max + 1
 * when it is more than max: the "did you mean" of unknown names. */
int ql_edit_distance(const char *a, const char *b, int max);
/* Whether cand is near enough to word to suggest it: a distance of 1 for
 * names of up to 4 characters, else up to a third of cand's length; or
 * word is cand cut short (3 characters at least). */
bool ql_near(const char *word, const char *cand);
/* The nearest of the candidates offered to ql_nearest_try, for a "did you
 * mean": start with { NULL, 0 }, offer each; best stays NULL when none is
 * near enough. */
typedef struct ql_nearest {
    const char *best;           /* the nearest candidate so far, or NULL */
    int dist;                   /* its distance */
} ql_nearest;
void ql_nearest_try(ql_nearest *n, const char *word, const char *cand);

/* Bytes of memory the process holds now (its resident set; under ASan
 * the sanitizer's count of live heap bytes), 0 when unknown: the world's
 * memory budget reads it. The one reading of the machine's state in lab/:
 * it decides only whether a run stops at its budget, never what a run
 * does below it. */
size_t ql_mem_bytes(void);

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
