/* Client-side input checks. The server library re-validates everything; these
 * exist so bad input fails fast with FF_EINVAL before any I/O. */
#ifndef FF_CORE_VALIDATE_H
#define FF_CORE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

int ff__valid_lane(const char *s);       /* 1..64 bytes, 0x20..0x7E */
int ff__valid_namespace(const char *s);  /* 1..128 bytes, 0x20..0x7E */
int ff__valid_kind(const char *s);       /* 1..256 bytes of UTF-8, no control bytes */
int ff__valid_capability(const char *s); /* non-empty UTF-8, no ',', no byte <= 0x20 or 0x7F */
int ff__valid_text(const char *s, size_t max); /* <= max bytes, no NUL inside (C strings) */
int ff__valid_utf8(const char *s, size_t n);

/* Explaining checks: FF_OK, or FF_EINVAL with a sentence for
 * ff_error_detail() naming @p what, the value and what was expected. */
int ff__check_ptr(const char *what, const void *p);
int ff__check_lane(const char *what, const char *s);
int ff__check_namespace(const char *what, const char *s);
int ff__check_kind(const char *what, const char *s);
int ff__check_capability(const char *what, const char *s);
/* NULL allowed when @p optional; at most max bytes */
int ff__check_text(const char *what, const char *s, size_t max, int optional);
/* 1..max bytes of UTF-8 without control bytes (keys, names, ids) */
int ff__check_name(const char *what, const char *s, size_t max);
int ff__check_range(const char *what, int64_t v, int64_t lo, int64_t hi);
int ff__check_eid(const char *what, const char *eid);
int ff__check_uuid(const char *what, const char *s);

#endif
