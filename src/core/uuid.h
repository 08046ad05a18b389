#ifndef FF_CORE_UUID_H
#define FF_CORE_UUID_H

#define FF_UUID_STRLEN 36

/* Writes a random (v4) lowercase hyphenated uuid + NUL into out (37 bytes).
 * Returns 0, or -1 if the OS random source failed. Thread-safe. */
int ff__uuid_v4(char out[FF_UUID_STRLEN + 1]);

/* 1 if s is exactly a lowercase hyphenated uuid (8-4-4-4-12 hex). */
int ff__uuid_valid(const char *s, size_t len);

#endif
