/*
 * Request input: the JSON body, typed optional members, query arguments and
 * base64. Every failure writes a 400 with a typed code, so bad input never
 * turns into a 500.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

json_t *ffh_body_object(ffh_req *r, ffh_resp *out, int empty_ok) {
    if (r->body_len == 0) {
        if (empty_ok) return json_object();
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "a JSON object body is required");
        return NULL;
    }
    json_error_t je;
    json_t *doc = json_loadb(r->body, r->body_len, 0, &je);
    if (!doc || !json_is_object(doc)) {
        json_decref(doc);
        ffh_error_http(out, 400, FF_EINVAL, "invalid_json", "the body is not a JSON object%s%s",
                       doc ? "" : ": ", doc ? "" : je.text);
        return NULL;
    }
    return doc;
}

int ffh_only_fields(ffh_resp *out, json_t *obj, const char *const *allowed) {
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) {
        int known = 0;
        for (size_t i = 0; allowed[i]; i++) known |= strcmp(allowed[i], k) == 0;
        if (!known) {
            ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "unknown field '%.100s'", k);
            return 0;
        }
    }
    return 1;
}

int ffh_opt_str(ffh_resp *out, json_t *obj, const char *key, const char **v) {
    json_t *m = json_object_get(obj, key);
    if (!m || json_is_null(m)) return 1;
    if (!json_is_string(m) || strlen(json_string_value(m)) != json_string_length(m)) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'%s' must be a string without NUL", key);
        return 0;
    }
    *v = json_string_value(m);
    return 1;
}

int ffh_opt_i64(ffh_resp *out, json_t *obj, const char *key, int64_t *v) {
    json_t *m = json_object_get(obj, key);
    if (!m || json_is_null(m)) return 1;
    if (!json_is_integer(m)) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "'%s' must be an integer", key);
        return 0;
    }
    *v = json_integer_value(m);
    return 1;
}

const char *ffh_query(ffh_req *r, const char *key) {
    return MHD_lookup_connection_value((struct MHD_Connection *)r->conn, MHD_GET_ARGUMENT_KIND, key);
}

int ffh_query_count(ffh_req *r, ffh_resp *out, uint32_t def, uint32_t *count) {
    const char *s = ffh_query(r, "count");
    *count = def;
    if (!s || !s[0]) return 1;
    char *end = NULL;
    long n = strtol(s, &end, 10);
    if (*end || n < 1 || n > 1000) {
        ffh_error_http(out, 400, FF_EINVAL, "invalid_input", "count must be an integer in 1..1000");
        return 0;
    }
    *count = (uint32_t)n;
    return 1;
}

static int b64_value(unsigned char ch) {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

int ffh_base64_decode(const char *in, size_t inlen, unsigned char **out, size_t *outlen) {
    if (inlen % 4) return -1;
    unsigned char *buf = malloc(inlen / 4 * 3 + 1);
    if (!buf) return -1;
    size_t o = 0;
    for (size_t i = 0; i < inlen; i += 4) {
        int v[4], pad = 0;
        for (int j = 0; j < 4; j++) {
            unsigned char ch = (unsigned char)in[i + j];
            if (ch == '=' && i + 4 == inlen && j >= 2) {
                v[j] = 0;
                pad++;
            } else if (pad || (v[j] = b64_value(ch)) < 0) {
                free(buf);
                return -1;
            }
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        buf[o++] = (unsigned char)(w >> 16);
        if (pad < 2) buf[o++] = (unsigned char)(w >> 8);
        if (pad < 1) buf[o++] = (unsigned char)w;
    }
    *out = buf;
    *outlen = o;
    return 0;
}
