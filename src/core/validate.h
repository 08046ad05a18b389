/* Client-side input checks. The server library re-validates everything; these
 * exist so bad input fails fast with FF_EINVAL before any I/O. */
#ifndef FF_CORE_VALIDATE_H
#define FF_CORE_VALIDATE_H

#include <stddef.h>

int ff__valid_lane(const char *s);       /* 1..64 bytes, 0x20..0x7E */
int ff__valid_namespace(const char *s);  /* 1..128 bytes, 0x20..0x7E */
int ff__valid_kind(const char *s);       /* 1..256 bytes, no control bytes */
int ff__valid_capability(const char *s); /* non-empty, no ',', no byte <= 0x20 or 0x7F */
int ff__valid_text(const char *s, size_t max); /* <= max bytes, no NUL inside (C strings) */

#endif
