/* ko: Korean particle agreement (see ko.h). */
#include "ko.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The final consonant of the reading: 0 none, 8 ㄹ (which takes 로, not
 * 으로), any other positive value some other batchim. */
enum { NONE = 0, RIEUL = 8, OTHER = 1 };

/* Decodes the UTF-8 character ending just before end (start <= end);
 * returns its code point and sets *at to its first byte. */
static uint32_t last_cp(const char *start, const char *end, const char **at)
{
    const char *p = end;
    if (p == start) { *at = p; return 0; }
    p--;
    while (p > start && ((unsigned char)*p & 0xC0) == 0x80) p--;
    *at = p;
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] < 0x80) return u[0];
    if ((u[0] & 0xE0) == 0xC0) return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    if ((u[0] & 0xF0) == 0xE0)
        return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
           (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
}

/* A number is read by its last nonzero digit, or by the unit its zeros
 * make: 10 십, 100 백, 1000 천, 10000 만, 10^8 억. */
static int digits_final(const char *start, const char *end)
{
    static const int digit[10] = { OTHER, RIEUL, NONE, OTHER, NONE,
                                   NONE, OTHER, RIEUL, RIEUL, NONE };
    if (end[-1] != '0') return digit[end[-1] - '0'];
    (void)start;
    return OTHER;   /* 영, 십 ㅂ, 백 ㄱ, 천 ㄴ, 만 ㄴ, 억 ㄱ: a batchim, never ㄹ */
}

/* Latin letters as they are spelled out: L (엘) and R (알) end in ㄹ,
 * M (엠) and N (엔) in another batchim, the rest in a vowel. */
static int latin_final(uint32_t c)
{
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c == 'l' || c == 'r') return RIEUL;
    if (c == 'm' || c == 'n') return OTHER;
    return NONE;
}

/* The final of the word ending at end, skipping closing punctuation
 * ("'zk1'", "(102)"); -1 when nothing readable comes before. */
static int word_final(const char *start, const char *end)
{
    const char *at;
    while (end > start) {
        uint32_t c = last_cp(start, end, &at);
        if (c >= 0xAC00 && c <= 0xD7A3) {
            int jong = (int)((c - 0xAC00) % 28);
            return jong == 0 ? NONE : jong == RIEUL ? RIEUL : OTHER;
        }
        if (c >= '0' && c <= '9') {
            const char *d = end;
            while (d > start && d[-1] >= '0' && d[-1] <= '9') d--;
            return digits_final(d, end);
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return latin_final(c);
        if (c == ')' || c == ']' || c == '"' || c == '\'' || c == '`' || c == '}') {
            end = at;
            continue;
        }
        return -1;
    }
    return -1;
}

typedef struct pform {
    const char *with;           /* after a batchim */
    const char *without;        /* after a vowel */
} pform;

static const pform forms[] = {
    { "이", "가" }, { "을", "를" }, { "은", "는" }, { "과", "와" },
    { "으로", "로" }, { "이라는", "라는" }, { "이다", "다" },
};

static const char *pick(const pform *f, int fin)
{
    if (fin < 0) return f->with;
    if (f == &forms[4]) return fin == NONE || fin == RIEUL ? f->without : f->with;
    return fin == NONE ? f->without : f->with;
}

const char *ko_particle(const char *word, const char *particle)
{
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (!strcmp(particle, forms[i].with) || !strcmp(particle, forms[i].without))
            return pick(&forms[i], word_final(word, word + strlen(word)));
    return particle;
}

typedef struct marker {
    const char *text;
    int form;
} marker;

static const marker markers[] = {
    { "이(가)", 0 }, { "가(이)", 0 }, { "을(를)", 1 }, { "를(을)", 1 },
    { "은(는)", 2 }, { "는(은)", 2 }, { "와(과)", 3 }, { "과(와)", 3 },
    { "(으)로", 4 }, { "(이)라는", 5 },
};

static const marker *marker_at(const char *p)
{
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
        if (!strncmp(p, markers[i].text, strlen(markers[i].text))) return &markers[i];
    return NULL;
}

size_t ko_resolve(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    if (!cap) return 0;
    for (const char *p = in; *p;) {
        const marker *m = marker_at(p);
        if (!m) {
            if (n + 1 < cap) out[n++] = *p;
            p++;
            continue;
        }
        /* the particle attaches: drop one space the text put before it */
        if (n > 0 && out[n - 1] == ' ' && n > 1 && out[n - 2] != ' ') n--;
        const char *f = pick(&forms[m->form], word_final(out, out + n));
        size_t fl = strlen(f);
        if (n + fl < cap) { memcpy(out + n, f, fl); n += fl; }
        p += strlen(m->text);
    }
    out[n] = '\0';
    return n;
}
