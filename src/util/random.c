/* Random hex strings (see util.h): instance ids, generated signing keys. */
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>

#include "util/util.h"

void ff__random_hex(char *out, size_t bytes) {
    static const char hex[] = "0123456789abcdef";
    unsigned char b[64];
    if (bytes > sizeof b) bytes = sizeof b;
    if (getrandom(b, bytes, 0) != (ssize_t)bytes) memset(b, 0, sizeof b);
    for (size_t i = 0; i < bytes; i++) {
        out[2 * i] = hex[b[i] >> 4];
        out[2 * i + 1] = hex[b[i] & 15];
    }
    out[2 * bytes] = '\0';
}
