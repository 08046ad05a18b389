/* Owned copies of server replies (hiredis frees its replies after the
 * callback returns; ops outlive that). */
#ifndef FF_CLIENT_REPLY_H
#define FF_CLIENT_REPLY_H

#include <stddef.h>
#include <stdint.h>

typedef struct ff_rv {
    int type; /* FF_REPLY_* */
    int64_t integer;
    char *str; /* NUL-terminated copy; may contain NULs (use len) */
    size_t len;
    size_t n;
    struct ff_rv **elem;
} ff_rv;

struct redisReply;

ff_rv *ff__rv_from_hiredis(const struct redisReply *r);
void ff__rv_free(ff_rv *v);

/* Helpers for parsing function replies. */
int ff__rv_is_str(const ff_rv *v);
/* Element i as a string (bulk/status), or NULL. */
const ff_rv *ff__rv_at(const ff_rv *v, size_t i);
int ff__rv_i64(const ff_rv *v, int64_t *out);

#endif
