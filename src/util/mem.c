/* Memory helpers (see util.h). */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

char *ff__strdup(const char *s) {
    if (s == NULL) s = "";
    return ff__memdup(s, strlen(s));
}

char *ff__memdup(const void *p, size_t n) {
    char *d = malloc(n + 1);
    if (d == NULL) return NULL;
    if (n) memcpy(d, p, n);
    d[n] = '\0';
    return d;
}
