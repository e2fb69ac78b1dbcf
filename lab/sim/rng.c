/* rng: xoshiro256** with splitmix64 seeding (public-domain algorithms by
 * Blackman and Vigna), chosen for speed and well-studied output. */
#include "rng.h"
#include "util.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t rng_below(rng *r, uint64_t n)
{
    QL_ASSERT(n > 0);
    /* reject the top sliver so every residue is equally likely */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
    uint64_t x;
    do {
        x = rng_next(r);
    } while (x >= limit);
    return x % n;
}

uint64_t rng_range(rng *r, uint64_t lo, uint64_t hi)
{
    QL_ASSERT(lo <= hi);
    if (lo == 0 && hi == UINT64_MAX)
        return rng_next(r);
    return lo + rng_below(r, hi - lo + 1);
}

bool rng_chance(rng *r, uint32_t num, uint32_t den)
{
    QL_ASSERT(den > 0);
    if (num == 0) return false;
    if (num >= den) return true;
    return rng_below(r, den) < num;
}

rng rng_fork(rng *r)
{
    rng child;
    rng_seed(&child, rng_next(r));
    return child;
}
