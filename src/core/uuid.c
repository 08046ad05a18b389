#include <stddef.h>

#include "core/uuid.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>

static int fill_random(unsigned char *b, size_t len) {
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(b + got, len - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        got += (size_t)n;
    }
    return 0;
}

static void format_uuid(const unsigned char b[16], char out[FF_UUID_STRLEN + 1]) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 0xf];
    }
    out[o] = '\0';
}

int ff__uuid_v4(char out[FF_UUID_STRLEN + 1]) {
    unsigned char b[16];
    if (fill_random(b, sizeof b) != 0) return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    format_uuid(b, out);
    return 0;
}

static pthread_mutex_t v7_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t v7_last_ms;
static uint32_t v7_counter;

int ff__uuid_v7(char out[FF_UUID_STRLEN + 1]) {
    unsigned char b[16];
    if (fill_random(b, sizeof b) != 0) return -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
    pthread_mutex_lock(&v7_mu);
    if (ms <= v7_last_ms) {
        /* Same (or an earlier, after a clock step) millisecond: count up;
         * borrow the next millisecond when the counter is exhausted. */
        ms = v7_last_ms;
        if (++v7_counter > 0xfff) {
            ms++;
            v7_counter = 0;
        }
    } else {
        v7_counter = 0;
    }
    v7_last_ms = ms;
    uint32_t counter = v7_counter;
    pthread_mutex_unlock(&v7_mu);
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)(ms >> (40 - 8 * i));
    b[6] = (unsigned char)(0x70 | ((counter >> 8) & 0x0f));
    b[7] = (unsigned char)(counter & 0xff);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    format_uuid(b, out);
    return 0;
}

int ff__uuid_valid(const char *s, size_t len) {
    if (len != FF_UUID_STRLEN) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return 0;
        }
    }
    return 1;
}
