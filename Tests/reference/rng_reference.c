/* Known-answer vectors for SpectralKD's generator, from the authors' reference algorithms:
 * splitmix64.c (Sebastiano Vigna, 2015) and xoshiro256starstar.c (David Blackman and Sebastiano
 * Vigna, 2018), both public domain (prng.di.unimi.it), transcribed here without change to their
 * arithmetic. The xoshiro state is filled from the seed by four splitmix64 calls, as the authors
 * recommend and as Xoshiro256StarStar(seed:) does.
 *
 *   cc -O2 -o /tmp/rng_reference Tests/reference/rng_reference.c && /tmp/rng_reference
 *
 * prints the lines of Tests/reference/rng_vectors.txt; `make test` checks they still match. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t x; /* splitmix64 state */
static uint64_t splitmix64_next(void) {
    uint64_t z = (x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}

static inline uint64_t rotl(const uint64_t v, int k) { return (v << k) | (v >> (64 - k)); }
static uint64_t s[4];
static uint64_t xoshiro_next(void) {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

int main(void) {
    const uint64_t seeds[] = {0, 1, 42, 20261123, 0xFFFFFFFFFFFFFFFFull};
    for (int i = 0; i < 5; i++) {
        x = seeds[i];
        printf("splitmix64 %" PRIu64, seeds[i]);
        for (int k = 0; k < 4; k++) printf(" %" PRIu64, splitmix64_next());
        printf("\n");
        x = seeds[i];
        for (int k = 0; k < 4; k++) s[k] = splitmix64_next();
        printf("xoshiro256starstar %" PRIu64, seeds[i]);
        for (int k = 0; k < 6; k++) printf(" %" PRIu64, xoshiro_next());
        printf("\n");
    }
    return 0;
}
