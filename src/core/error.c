/* Thread-local failure details: the C ABI returns bare status codes from
 * setters and starting calls, so the sentence explaining a failure is kept per
 * thread for the caller (and every binding) to read right after it. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "flowfabric/status.h"

#define DETAIL_MAX 512

static _Thread_local int t_status;
static _Thread_local char t_detail[DETAIL_MAX];

int ff__fail(int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t_detail, sizeof t_detail, fmt, ap);
    va_end(ap);
    t_status = status;
    return status;
}

const char *ff__quote(const char *s, char *buf, unsigned long cap) {
    if (cap < 16) {
        if (cap) buf[0] = '\0';
        return buf;
    }
    if (s == NULL) {
        snprintf(buf, cap, "<NULL>");
        return buf;
    }
    size_t o = 0, i = 0;
    buf[o++] = '\'';
    for (; s[i] && i < 64 && o + 6 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == '\'') {
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", ch);
        } else {
            buf[o++] = (char)ch;
        }
    }
    if (s[i] && o + 5 < cap) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '\'';
    buf[o] = '\0';
    return buf;
}

const char *ff_error_detail(int status) {
    if (status == FF_OK || status != t_status) return "";
    return t_detail;
}
