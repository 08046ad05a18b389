/* Server error tuples rendered as sentences (src/core/explain.c). */
#include <stdio.h>
#include <string.h>

#include "core/explain.h"
#include "flowfabric.h"
#include "test_support.h"

static const char *say(int st, const char *code, const char *d0, const char *d1, const char *d2, const char *d3) {
    static char out[512];
    char *det[4] = {(char *)d0, (char *)d1, (char *)d2, (char *)d3};
    size_t n = d3 ? 4 : d2 ? 3 : d1 ? 2 : d0 ? 1 : 0;
    ff__explain(st, code, det, n, out, sizeof out);
    return out;
}

int main(void) {
    FFT_EQ_STR(say(FF_EXECUTION_NOT_ACTIVE, "execution_not_active", "none", "0", "runnable", ""),
               "execution is not active: it is runnable (waiting), no lease");
    FFT_EQ_STR(say(FF_EXECUTION_NOT_ACTIVE, "execution_not_active", "cancelled", "3", "terminal", "a"),
               "execution is not active: it already ended as cancelled (lease epoch 3)");
    FFT_EQ_STR(say(FF_EXECUTION_NOT_ACTIVE, "execution_not_active", "none", "2", "suspended", "a"),
               "execution is not active: it is suspended (waiting for a signal), no lease");
    FFT_EQ_STR(say(FF_EXECUTION_NOT_TERMINAL, "execution_not_terminal", "active", NULL, NULL, NULL),
               "execution is not finished yet: it is active");
    FFT_EQ_STR(say(FF_EXECUTION_CANCELLED, "execution_cancelled", "not needed", "operator_override", NULL, NULL),
               "execution was cancelled by operator_override: not needed");
    FFT_EQ_STR(say(FF_EXECUTION_EXPIRED, "execution_expired", "execution_deadline", "timeout", NULL, NULL),
               "execution expired: execution_deadline (category timeout)");
    FFT_EQ_STR(say(FF_CORRUPT_RECORD, "corrupt_record", "ff:e:{fp:1}:x", "epoch", "x", NULL),
               "stored record is corrupt: field 'epoch' of ff:e:{fp:1}:x holds 'x' (repair or delete the key)");
    FFT_EQ_STR(say(FF_INVALID_INPUT, "invalid_input", "lane: 1..64 bytes 0x20..0x7E", NULL, NULL, NULL),
               "invalid input: lane: 1..64 bytes 0x20..0x7E");
    FFT_EQ_STR(say(FF_MAX_REPLAYS_EXHAUSTED, "max_replays_exhausted", "10", NULL, NULL, NULL),
               "replay limit reached (limit 10)");
    FFT_EQ_STR(say(FF_STALE_LEASE, "stale_lease", NULL, NULL, NULL, NULL),
               "lease fence does not match the current lease (superseded)");
    char tiny[8];
    ff__explain(FF_STALE_LEASE, "stale_lease", NULL, 0, tiny, sizeof tiny);
    FFT_EQ_INT((long long)strlen(tiny), 7);
    printf("test_explain: all checks passed\n");
    return 0;
}
