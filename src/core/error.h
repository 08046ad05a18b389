/* The thread-local detail of the last failure of a call that returns a status
 * without an op (ff_error_detail in the public header). */
#ifndef FF_CORE_ERROR_H
#define FF_CORE_ERROR_H

/* Record @p status with a printf-style sentence for the calling thread and
 * return @p status, so a failing path reads `return ff__fail(FF_EINVAL, ...)`. */
int ff__fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Quote at most 64 bytes of @p s for a message ('abc', '<NULL>', control bytes
 * as \xNN, longer input cut with "..."); writes into buf and returns it. */
const char *ff__quote(const char *s, char *buf, unsigned long cap);

#endif
