/* Server error replies as sentences a user understands. */
#ifndef FF_CORE_EXPLAIN_H
#define FF_CORE_EXPLAIN_H

#include <stddef.h>

/* Write the sentence for a server error (token @p code mapped to @p status,
 * with its @p n detail fields) into out. The structured details stay
 * available to callers separately; this only renders them. */
void ff__explain(int status, const char *code, char *const *details, size_t n, char *out, size_t cap);

#endif
