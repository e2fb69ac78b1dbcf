/* ztree_path: the rules for znode paths, as ZooKeeper's PathUtils has
 * them: absolute, no empty, "." or ".." component, no trailing slash, and
 * no control, surrogate, private-use or special character. */
#include "ztree_node.h"

#include <string.h>

/* Decodes one UTF-8 code point; returns its byte length, 0 if malformed. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t k = s[0] < 0x80 ? 1 : s[0] >= 0xf0 && s[0] < 0xf5 ? 4
             : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    if (k == 0 || k > n) return 0;
    uint32_t c = k == 1 ? s[0] : s[0] & (0x7f >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xc0) != 0x80) return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if (c < min_cp[k] || c > 0x10ffff) return 0;
    *cp = c;
    return k;
}

/* ZooKeeper refuses controls, surrogates, private use and specials. It
 * tests Java chars, so a code point beyond the BMP (a surrogate pair
 * there) is refused too. */
static bool cp_ok(uint32_t c)
{
    return !(c <= 0x1f || (c >= 0x7f && c <= 0x9f) ||
             (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0);
}

bool zpath_ok(const char *p, size_t max_len)
{
    if (!p) return false;
    size_t n = strnlen(p, max_len + 1);
    if (n == 0 || n > max_len || p[0] != '/') return false;
    if (n == 1) return true;
    if (p[n - 1] == '/') return false;
    size_t start = 1;                       /* of the current component */
    for (size_t i = 1; i <= n;) {
        if (i == n || p[i] == '/') {
            size_t len = i - start;
            if (len == 0) return false;     /* "//" */
            if (p[start] == '.' && (len == 1 || (len == 2 && p[start + 1] == '.')))
                return false;               /* "." or ".." */
            start = ++i;
            continue;
        }
        unsigned char c = (unsigned char)p[i];
        if (c > 0x1f && c < 0x7f) {         /* printable ASCII: nearly all */
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_next((const unsigned char *)p + i, n - i, &cp);
        if (k == 0 || !cp_ok(cp)) return false;
        i += k;
    }
    return true;
}

bool ztree_valid_path(const char *path)
{
    return zpath_ok(path, ZPATH_MAX - 11);
}
