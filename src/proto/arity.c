/* Checking FCALL commands against the generated server function table. */
#include "proto/arity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_spec(const void *key, const void *elem) {
    return strcmp((const char *)key, ((const ff__fn_spec *)elem)->name);
}

const ff__fn_spec *ff__fn_find(const char *name) {
    if (name == NULL) return NULL;
    return bsearch(name, ff__fn_table, ff__fn_count, sizeof ff__fn_table[0], cmp_spec);
}

static int is_word(const char *s, size_t len, const char *w) { return len == strlen(w) && memcmp(s, w, len) == 0; }

int ff__arity_check(int argc, char *const *argv, const size_t *argvlen, char *err, size_t cap) {
    if (argc < 1) return 0;
    int ro = is_word(argv[0], argvlen[0], "FCALL_RO");
    if (!ro && !is_word(argv[0], argvlen[0], "FCALL")) return 0;
    if (argc < 3) {
        snprintf(err, cap, "%s with %d arguments: expected a function name and a key count", ro ? "FCALL_RO" : "FCALL",
                 argc - 1);
        return -1;
    }
    /* argv strings are NUL-terminated copies (ff__cmd_arg) */
    const ff__fn_spec *fn = ff__fn_find(argv[1]);
    if (fn == NULL) {
        snprintf(err, cap, "FCALL of %.64s: not a function of the server library", argv[1]);
        return -1;
    }
    char *end = NULL;
    long nkeys = strtol(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || nkeys < 0 || nkeys > argc - 3) {
        snprintf(err, cap, "FCALL %s: key count '%.20s' is not a count of the arguments that follow", fn->name,
                 argv[2]);
        return -1;
    }
    int nargs = argc - 3 - (int)nkeys;
    if (nkeys != fn->nkeys) {
        snprintf(err, cap, "FCALL %s: %ld keys, the function takes %d", fn->name, nkeys, fn->nkeys);
        return -1;
    }
    if (nargs < fn->nargs_min || nargs > fn->nargs_max) {
        if (fn->nargs_min == fn->nargs_max)
            snprintf(err, cap, "FCALL %s: %d arguments, the function takes %d", fn->name, nargs, fn->nargs_min);
        else
            snprintf(err, cap, "FCALL %s: %d arguments, the function takes %d..%d", fn->name, nargs, fn->nargs_min,
                     fn->nargs_max);
        return -1;
    }
    if (ro && !fn->read_only) {
        snprintf(err, cap, "FCALL_RO %s: the function writes (call it with FCALL)", fn->name);
        return -1;
    }
    return 0;
}
