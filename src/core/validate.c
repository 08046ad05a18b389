#include "core/validate.h"

#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "core/error.h"
#include "core/ids.h"
#include "core/uuid.h"
#include "flowfabric/status.h"

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

/* jansson's string constructor validates UTF-8 strictly (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF); reusing it keeps
 * one validator for everything that becomes JSON or server text. */
int ff__valid_utf8(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            json_t *v = json_stringn(s, n);
            if (v == NULL) return 0;
            json_decref(v);
            return 1;
        }
    }
    return 1; /* ASCII */
}

static int no_ctrl(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) return 0;
    }
    return 1;
}

int ff__valid_lane(const char *s) { return bytes_in_range(s, 1, 64, 0x20, 0x7e); }

int ff__valid_namespace(const char *s) { return bytes_in_range(s, 1, 128, 0x20, 0x7e); }

int ff__valid_kind(const char *s) {
    if (s == NULL) return 0;
    size_t n = strlen(s);
    return n >= 1 && n <= 256 && no_ctrl(s, n) && ff__valid_utf8(s, n);
}

int ff__valid_capability(const char *s) {
    if (s == NULL || s[0] == '\0') return 0;
    for (const char *p = s; *p; p++) {
        unsigned c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f || c == ',') return 0;
    }
    return ff__valid_utf8(s, strlen(s));
}

int ff__valid_text(const char *s, size_t max) { return s != NULL && strlen(s) <= max; }

/* ------------------------------------------------------ explaining checks */

int ff__check_ptr(const char *what, const void *p) {
    return p ? FF_OK : ff__fail(FF_EINVAL, "%s is NULL", what);
}

int ff__check_lane(const char *what, const char *s) {
    char q[80];
    if (ff__valid_lane(s)) return FF_OK;
    return ff__fail(FF_EINVAL, "%s %s: expected 1..64 bytes of printable ASCII (0x20..0x7E)", what,
                    ff__quote(s, q, sizeof q));
}

int ff__check_namespace(const char *what, const char *s) {
    char q[80];
    if (ff__valid_namespace(s)) return FF_OK;
    return ff__fail(FF_EINVAL, "%s %s: expected 1..128 bytes of printable ASCII (0x20..0x7E)", what,
                    ff__quote(s, q, sizeof q));
}

int ff__check_kind(const char *what, const char *s) {
    return ff__check_name(what, s, 256);
}

int ff__check_capability(const char *what, const char *s) {
    char q[80];
    if (ff__valid_capability(s)) return FF_OK;
    return ff__fail(FF_EINVAL, "%s %s: expected a non-empty UTF-8 token without commas, spaces or control bytes",
                    what, ff__quote(s, q, sizeof q));
}

int ff__check_text(const char *what, const char *s, size_t max, int optional) {
    if (s == NULL) return optional ? FF_OK : ff__fail(FF_EINVAL, "%s is NULL", what);
    size_t n = strlen(s);
    if (n > max) return ff__fail(FF_EINVAL, "%s: %zu bytes, at most %zu allowed", what, n, max);
    return FF_OK;
}

int ff__check_name(const char *what, const char *s, size_t max) {
    char q[80];
    if (s == NULL) return ff__fail(FF_EINVAL, "%s is NULL", what);
    size_t n = strlen(s);
    if (n < 1 || n > max)
        return ff__fail(FF_EINVAL, "%s %s: %zu bytes, expected 1..%zu", what, ff__quote(s, q, sizeof q), n, max);
    if (!no_ctrl(s, n))
        return ff__fail(FF_EINVAL, "%s %s: control bytes are not allowed", what, ff__quote(s, q, sizeof q));
    if (!ff__valid_utf8(s, n))
        return ff__fail(FF_EINVAL, "%s %s: not valid UTF-8", what, ff__quote(s, q, sizeof q));
    return FF_OK;
}

int ff__check_range(const char *what, int64_t v, int64_t lo, int64_t hi) {
    if (v >= lo && v <= hi) return FF_OK;
    return ff__fail(FF_EINVAL, "%s %" PRId64 " out of range (expected %" PRId64 "..%" PRId64 ")", what, v, lo, hi);
}

int ff__check_eid(const char *what, const char *eid) {
    char q[80];
    if (eid != NULL && ff__eid_parse(eid, NULL) == 0) return FF_OK;
    return ff__fail(FF_EINVAL, "%s: not an execution id (expected {fp:N}:<uuid>): %s", what,
                    ff__quote(eid, q, sizeof q));
}

int ff__check_uuid(const char *what, const char *s) {
    char q[80];
    if (s != NULL && ff__uuid_valid(s, strlen(s))) return FF_OK;
    return ff__fail(FF_EINVAL, "%s: not a uuid (expected 8-4-4-4-12 lowercase hex): %s", what,
                    ff__quote(s, q, sizeof q));
}
