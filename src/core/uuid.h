#ifndef FF_CORE_UUID_H
#define FF_CORE_UUID_H

#define FF_UUID_STRLEN 36

/* Writes a random (v4) lowercase hyphenated uuid + NUL into out (37 bytes).
 * Returns 0, or -1 if the OS random source failed. Thread-safe. */
int ff__uuid_v4(char out[FF_UUID_STRLEN + 1]);

/* Writes a time-ordered (v7) uuid: 48-bit unix ms, then a 12-bit counter
 * that keeps ids minted by this process strictly increasing (as strings too)
 * even within one millisecond, then random bits. Execution ids use it so
 * executions created in the same millisecond keep submission order (the
 * eligible index breaks score ties by member). Thread-safe. */
int ff__uuid_v7(char out[FF_UUID_STRLEN + 1]);

/* 1 if s is exactly a lowercase hyphenated uuid (8-4-4-4-12 hex). */
int ff__uuid_valid(const char *s, size_t len);

#endif
