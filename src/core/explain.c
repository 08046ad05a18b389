/* Server error tuples ("execution_not_active: none 0 runnable") rendered as
 * sentences ("execution is not active: it is runnable (waiting), no lease").
 * One place, so every binding and ffctl show the same words; the raw
 * details stay on the op (ff_op_detail) for programs. */
#include "core/explain.h"

#include <stdio.h>
#include <string.h>

#include "flowfabric/status.h"

static const char *d(char *const *details, size_t n, size_t i) {
    return (i < n && details[i]) ? details[i] : "";
}

/* public state of a terminal outcome token */
static const char *outcome_word(const char *outcome) {
    static const char *const map[][2] = {{"success", "completed"}, {"failed", "failed"},
                                         {"cancelled", "cancelled"}, {"expired", "expired"},
                                         {"skipped", "skipped"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(outcome, map[i][0]) == 0) return map[i][1];
    return outcome[0] ? outcome : "finished";
}

static void not_active(char *const *det, size_t n, char *out, size_t cap) {
    const char *outcome = d(det, n, 0), *epoch = d(det, n, 1), *phase = d(det, n, 2);
    if (strcmp(phase, "terminal") == 0)
        snprintf(out, cap, "execution is not active: it already ended as %s (lease epoch %s)", outcome_word(outcome),
                 epoch[0] ? epoch : "0");
    else if (strcmp(phase, "suspended") == 0)
        snprintf(out, cap, "execution is not active: it is suspended (waiting for a signal), no lease");
    else if (strcmp(phase, "runnable") == 0 || strcmp(phase, "submitted") == 0)
        snprintf(out, cap, "execution is not active: it is %s (waiting), no lease", phase);
    else
        snprintf(out, cap, "execution is not active (phase %s)", phase[0] ? phase : "unknown");
}

static void joined(const char *head, char *const *det, size_t n, char *out, size_t cap) {
    size_t off = (size_t)snprintf(out, cap, "%s", head);
    for (size_t i = 0; i < n && off + 2 < cap; i++) {
        if (det[i] == NULL || det[i][0] == '\0') continue;
        off += (size_t)snprintf(out + off, cap - off, "%s%s", off == strlen(head) ? ": " : " ", det[i]);
    }
}

void ff__explain(int status, const char *code, char *const *det, size_t n, char *out, size_t cap) {
    if (cap == 0) return;
    const char *a = d(det, n, 0), *b = d(det, n, 1), *c = d(det, n, 2);
    switch (status) {
    case FF_EXECUTION_NOT_ACTIVE:
        not_active(det, n, out, cap);
        return;
    case FF_EXECUTION_NOT_TERMINAL:
        if (a[0]) {
            snprintf(out, cap, "execution is not finished yet: it is %s", a);
            return;
        }
        break;
    case FF_EXECUTION_FAILED:
    case FF_EXECUTION_EXPIRED:
    case FF_EXECUTION_SKIPPED:
        snprintf(out, cap, "%s%s%s%s%s%s", ff_strerror(status), a[0] ? ": " : "", a, b[0] ? " (category " : "", b,
                 b[0] ? ")" : "");
        return;
    case FF_EXECUTION_CANCELLED:
        snprintf(out, cap, "execution was cancelled%s%s%s%s", b[0] ? " by " : "", b, a[0] ? ": " : "", a);
        return;
    case FF_CORRUPT_RECORD:
        snprintf(out, cap, "stored record is corrupt: field '%s' of %s holds '%s' (repair or delete the key)", b, a,
                 c);
        return;
    case FF_MAX_RETRIES_EXHAUSTED:
    case FF_MAX_REPLAYS_EXHAUSTED:
    case FF_SIGNAL_LIMIT_EXCEEDED:
        if (a[0]) {
            snprintf(out, cap, "%s (limit %s)", ff_strerror(status), a);
            return;
        }
        break;
    case FF_CAPABILITY_MISMATCH:
        if (a[0]) {
            snprintf(out, cap, "worker lacks required capabilities (the execution requires: %s)", a);
            return;
        }
        break;
    default:
        break;
    }
    (void)code;
    joined(ff_strerror(status), det, n, out, cap);
}
