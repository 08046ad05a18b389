#include "client/reply.h"

#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>

#include "flowfabric/client.h"

static int map_type(int t) {
    switch (t) {
    case REDIS_REPLY_STRING: return FF_REPLY_STRING;
    case REDIS_REPLY_INTEGER: return FF_REPLY_INTEGER;
    case REDIS_REPLY_ARRAY: return FF_REPLY_ARRAY;
    case REDIS_REPLY_STATUS: return FF_REPLY_STATUS;
    case REDIS_REPLY_ERROR: return FF_REPLY_ERROR;
    default: return FF_REPLY_NIL;
    }
}

ff_rv *ff__rv_from_hiredis(const redisReply *r) {
    ff_rv *v = calloc(1, sizeof *v);
    if (v == NULL) return NULL;
    v->type = map_type(r->type);
    v->integer = r->integer;
    if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_ERROR) {
        v->str = malloc(r->len + 1);
        if (v->str == NULL) goto oom;
        if (r->len) memcpy(v->str, r->str, r->len);
        v->str[r->len] = '\0';
        v->len = r->len;
    } else if (r->type == REDIS_REPLY_ARRAY && r->elements > 0) {
        v->elem = calloc(r->elements, sizeof *v->elem);
        if (v->elem == NULL) goto oom;
        v->n = r->elements;
        for (size_t i = 0; i < r->elements; i++) {
            v->elem[i] = ff__rv_from_hiredis(r->element[i]);
            if (v->elem[i] == NULL) goto oom;
        }
    }
    return v;
oom:
    ff__rv_free(v);
    return NULL;
}

void ff__rv_free(ff_rv *v) {
    if (v == NULL) return;
    for (size_t i = 0; i < v->n; i++) ff__rv_free(v->elem[i]);
    free(v->elem);
    free(v->str);
    free(v);
}

int ff__rv_is_str(const ff_rv *v) {
    return v != NULL && (v->type == FF_REPLY_STRING || v->type == FF_REPLY_STATUS);
}

const ff_rv *ff__rv_at(const ff_rv *v, size_t i) {
    if (v == NULL || v->type != FF_REPLY_ARRAY || i >= v->n) return NULL;
    return v->elem[i];
}

int ff__rv_i64(const ff_rv *v, int64_t *out) {
    if (v == NULL) return -1;
    if (v->type == FF_REPLY_INTEGER) {
        *out = v->integer;
        return 0;
    }
    if (!ff__rv_is_str(v) || v->len == 0 || v->len > 20) return -1;
    char *end = NULL;
    long long x = strtoll(v->str, &end, 10);
    if (end == NULL || *end != '\0') return -1;
    *out = (int64_t)x;
    return 0;
}
