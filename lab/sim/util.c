/* util: allocation wrappers and the assert handler. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
    fprintf(stderr, "quorumlab: out of memory (%zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom(n);
    return p;
}

void *xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p) oom(count * n);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);
    memcpy(p, s, n);
    return p;
}

void ql_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr, "%s:%d: assertion failed: %s\n", file, line, expr);
    abort();
}

char *ql_quote(char *out, size_t cap, const char *s, size_t len)
{
    if (len <= QL_QUOTE_MAX) {
        snprintf(out, cap, "%.*s", (int)len, s);
        return out;
    }
    size_t n = QL_QUOTE_MAX;
    /* back off to the first byte of a UTF-8 sequence */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    snprintf(out, cap, "%.*s... (%zu bytes)", (int)n, s, len);
    return out;
}

#define DIST_LEN_MAX 64     /* longer names are never "near" anything */

int ql_edit_distance(const char *a, const char *b, int max)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > DIST_LEN_MAX || lb > DIST_LEN_MAX) return max + 1;
    if ((la > lb ? la - lb : lb - la) > (size_t)max) return max + 1;
    /* three rows of the dynamic programme: i-2, i-1, i */
    int rows[3][DIST_LEN_MAX + 1];
    int *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int d = prev[j] + 1;
            if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
            if (prev[j - 1] + cost < d) d = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        int *t = pp; pp = prev; prev = cur; cur = t;
    }
    return prev[lb] > max ? max + 1 : prev[lb];
}

bool ql_near(const char *word, const char *cand)
{
    size_t n = strlen(cand), nw = strlen(word);
    /* a name cut short ("delay" for "delay_ms") */
    if (nw >= 3 && nw < n && strncmp(word, cand, nw) == 0) return true;
    int max = n <= 4 ? 1 : (int)(n / 3 > 2 ? n / 3 : 2);
    return ql_edit_distance(word, cand, max) <= max;
}

void ql_nearest_try(ql_nearest *n, const char *word, const char *cand)
{
    if (!ql_near(word, cand)) return;
    int d = ql_edit_distance(word, cand, 64);
    if (!n->best || d < n->dist) { n->best = cand; n->dist = d; }
}

#if defined(__SANITIZE_ADDRESS__)
/* ASan's shadow and quarantine make the resident size meaningless: its
 * allocator's own count of live bytes stands in. The runtime has it, but
 * GCC ships no header for it (<sanitizer/allocator_interface.h> is
 * clang's, absent on a Debian with only gcc): declared here. */
size_t __sanitizer_get_current_allocated_bytes(void);
size_t ql_mem_bytes(void)
{
    return __sanitizer_get_current_allocated_bytes();
}
#else
#include <fcntl.h>
#include <unistd.h>
/* The resident set from /proc/self/statm: one small read, cheap enough
 * for the run loop (mallinfo2 walks every free chunk: 0.26 s with a
 * million of them). */
size_t ql_mem_bytes(void)
{
    int fd = open("/proc/self/statm", O_RDONLY);
    if (fd < 0) return 0;
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return 0;
    buf[n] = '\0';
    unsigned long long size, resident;
    if (sscanf(buf, "%llu %llu", &size, &resident) != 2) return 0;
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}
#endif
