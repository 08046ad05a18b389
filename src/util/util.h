/* General helpers below every other layer: they know nothing of FlowFabric
 * (no ff_client, no status codes), so any file may use them. */
#ifndef FF_UTIL_UTIL_H
#define FF_UTIL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* ---- memory (util/mem.c) ---- */
/* A NUL-terminated copy of @p s (NULL copies as ""); NULL on OOM. */
char *ff__strdup(const char *s);
/* n bytes of @p p plus a NUL (binary-safe); NULL on OOM. */
char *ff__memdup(const void *p, size_t n);

/* ---- randomness (util/random.c) ---- */
/* Write 2*bytes random lowercase hex digits + NUL (bytes <= 64) from the
 * kernel's CSPRNG (all zeros if it cannot answer). */
void ff__random_hex(char *out, size_t bytes);

/* ---- time (util/time.c) ---- */
/* The CLOCK_REALTIME instant @p ms milliseconds from now, for
 * pthread_cond_timedwait (which measures against that clock by default). */
struct timespec ff__realtime_after_ms(int64_t ms);

#endif
