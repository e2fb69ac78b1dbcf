/* rng: quorumlab's own seeded PRNG (xoshiro256**, seeded by splitmix64).
 * Every random choice in lab/ draws from one of these, so a run is fixed
 * by its seed. Probabilities are integer ratios, never floats. */
#ifndef QL_RNG_H
#define QL_RNG_H

#include <stdint.h>
#include <stdbool.h>

/* A value type on purpose: parts of the simulation each own one. */
typedef struct rng {
    uint64_t s[4]; /* generator state, never all zero */
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
/* Uniform in [0, n); n must be > 0. Unbiased (rejection sampling). */
uint64_t rng_below(rng *r, uint64_t n);
/* Uniform in [lo, hi] inclusive; lo <= hi. */
uint64_t rng_range(rng *r, uint64_t lo, uint64_t hi);
/* True with probability num/den (den > 0; num >= den is always true). */
bool rng_chance(rng *r, uint32_t num, uint32_t den);
/* A child generator seeded from this one: each part gets its own stream. */
rng rng_fork(rng *r);

#endif
