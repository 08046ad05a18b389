#include "core/validate.h"

#include <string.h>

static int bytes_in_range(const char *s, size_t min_len, size_t max_len, unsigned lo, unsigned hi) {
    if (s == NULL) return 0;
    size_t n = strlen(s);
    if (n < min_len || n > max_len) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c < lo || c > hi) return 0;
    }
    return 1;
}

int ff__valid_lane(const char *s) { return bytes_in_range(s, 1, 64, 0x20, 0x7e); }

int ff__valid_namespace(const char *s) { return bytes_in_range(s, 1, 128, 0x20, 0x7e); }

int ff__valid_kind(const char *s) {
    if (s == NULL) return 0;
    size_t n = strlen(s);
    if (n < 1 || n > 256) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) return 0;
    }
    return 1;
}

int ff__valid_capability(const char *s) {
    if (s == NULL || s[0] == '\0') return 0;
    for (const char *p = s; *p; p++) {
        unsigned c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f || c == ',') return 0;
    }
    return 1;
}

int ff__valid_text(const char *s, size_t max) { return s != NULL && strlen(s) <= max; }
