/* Partition split between live engines (see engine_int.h). */
#include "engine/engine_int.h"

#include <string.h>

/* splitmix64's finaliser: a cheap, well-mixing 64-bit permutation. */
static uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t id_hash(const char *id) {
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t weight(uint64_t idh, uint32_t partition) {
    return mix64(idh ^ mix64((uint64_t)partition + 1));
}

size_t ff__engine_owner(const char *const *ids, size_t n, uint32_t partition) {
    /* Highest weight wins; equal weights (a 2^-64 chance) go to the smaller id. */
    size_t best = n;
    uint64_t best_w = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t w = weight(id_hash(ids[i]), partition);
        if (best == n || w > best_w || (w == best_w && strcmp(ids[i], ids[best]) < 0)) {
            best = i;
            best_w = w;
        }
    }
    return best;
}
