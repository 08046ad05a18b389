/* The status table: every status has a name, group and message; values and
 * server tokens are unique and round-trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static const char *const k_groups[] = {"ok",        "invalid", "notfound", "conflict", "lease",    "state",
                                       "transport", "timeout", "limit",    "auth",     "internal", "generic"};

static int known_group(const char *g)
{
    for (size_t i = 0; i < sizeof k_groups / sizeof k_groups[0]; i++)
        if (strcmp(g, k_groups[i]) == 0) return 1;
    return 0;
}

static int32_t *all_statuses(size_t *n)
{
    size_t total = ff_status_list(NULL, 0);
    FFT_CHECK(total > 50);
    int32_t *v = calloc(total + 1, sizeof *v);
    FFT_CHECK(v != NULL);
    v[total] = 4242; /* guard */
    FFT_EQ_INT(ff_status_list(v, total), total);
    FFT_EQ_INT(v[total], 4242);
    *n = total;
    return v;
}

static void test_list_respects_cap(void)
{
    size_t total = ff_status_list(NULL, 0);
    int32_t buf[4] = {111, 111, 111, 111};
    FFT_EQ_INT(ff_status_list(buf, 3), total);
    FFT_EQ_INT(buf[3], 111);
    FFT_EQ_INT(buf[0], FF_OK);
    FFT_EQ_INT(ff_status_list(buf, 0), total);
}

static void test_every_status_described(void)
{
    size_t n;
    int32_t *v = all_statuses(&n);
    int saw_ok = 0;
    for (size_t i = 0; i < n; i++) {
        int s = v[i];
        const char *name = ff_status_name(s);
        const char *msg = ff_strerror(s);
        const char *group = ff_status_group(s);
        const char *tok = ff_status_server_token(s);
        FFT_CHECK(name && msg && group && tok);
        FFT_CHECK_MSG(strncmp(name, "FF_", 3) == 0 && strlen(name) > 3, "status %d: name %s", s, name);
        FFT_CHECK_MSG(strcmp(name, "FF_UNKNOWN") != 0, "status %d has no name", s);
        FFT_CHECK_MSG(msg[0] != '\0', "status %d (%s) has no message", s, name);
        FFT_CHECK_MSG(strcmp(msg, "unknown status") != 0, "status %d (%s) has no message", s, name);
        FFT_CHECK_MSG(known_group(group), "status %s: unknown group %s", name, group);
        if (s == FF_OK) {
            saw_ok = 1;
            FFT_EQ_STR(group, "ok");
        } else {
            FFT_CHECK_MSG(s < 0, "status %s = %d is not negative", name, s);
            FFT_CHECK_MSG(strcmp(group, "ok") != 0, "error %s in group ok", name);
        }
        /* tokens are snake_case */
        for (const char *p = tok; *p; p++)
            FFT_CHECK_MSG((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_',
                          "token of %s is not snake_case: %s", name, tok);
    }
    FFT_CHECK(saw_ok);
    free(v);
}

static void test_values_names_tokens_unique(void)
{
    size_t n;
    int32_t *v = all_statuses(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            FFT_CHECK_MSG(v[i] != v[j], "status value %d listed twice", v[i]);
            FFT_CHECK_MSG(strcmp(ff_status_name(v[i]), ff_status_name(v[j])) != 0, "name %s used twice",
                          ff_status_name(v[i]));
            const char *a = ff_status_server_token(v[i]), *b = ff_status_server_token(v[j]);
            if (a[0]) FFT_CHECK_MSG(strcmp(a, b) != 0, "server token %s used twice", a);
        }
    }
    free(v);
}

static void test_server_tokens_round_trip(void)
{
    size_t n, with_token = 0;
    int32_t *v = all_statuses(&n);
    for (size_t i = 0; i < n; i++) {
        const char *tok = ff_status_server_token(v[i]);
        if (tok[0] == '\0') continue;
        with_token++;
        FFT_CHECK_MSG(ff_status_from_server_token(tok) == v[i], "token %s maps to %d, not %d", tok,
                      ff_status_from_server_token(tok), v[i]);
    }
    FFT_CHECK(with_token > 40);
    free(v);
}

static void test_known_mappings(void)
{
    static const struct {
        int st;
        const char *name, *tok;
    } rows[] = {
        {FF_STALE_LEASE, "FF_STALE_LEASE", "stale_lease"},
        {FF_LEASE_EXPIRED, "FF_LEASE_EXPIRED", "lease_expired"},
        {FF_LEASE_REVOKED, "FF_LEASE_REVOKED", "lease_revoked"},
        {FF_FENCE_REQUIRED, "FF_FENCE_REQUIRED", "fence_required"},
        {FF_PARTIAL_FENCE_TRIPLE, "FF_PARTIAL_FENCE_TRIPLE", "partial_fence_triple"},
        {FF_EXECUTION_NOT_ACTIVE, "FF_EXECUTION_NOT_ACTIVE", "execution_not_active"},
        {FF_EXECUTION_NOT_FOUND, "FF_EXECUTION_NOT_FOUND", "execution_not_found"},
        {FF_INVALID_INPUT, "FF_INVALID_INPUT", "invalid_input"},
        {FF_INVALID_CAPABILITIES, "FF_INVALID_CAPABILITIES", "invalid_capabilities"},
        {FF_INVALID_POLICY_JSON, "FF_INVALID_POLICY_JSON", "invalid_policy_json"},
        {FF_INVALID_TAG_KEY, "FF_INVALID_TAG_KEY", "invalid_tag_key"},
        {FF_EXECUTION_NOT_TERMINAL, "FF_EXECUTION_NOT_TERMINAL", "execution_not_terminal"},
        {FF_MAX_REPLAYS_EXHAUSTED, "FF_MAX_REPLAYS_EXHAUSTED", "max_replays_exhausted"},
        {FF_EXECUTION_NOT_ELIGIBLE, "FF_EXECUTION_NOT_ELIGIBLE", "execution_not_eligible"},
        {FF_MAX_RETRIES_EXHAUSTED, "FF_MAX_RETRIES_EXHAUSTED", "max_retries_exhausted"},
        {FF_NO_ACTIVE_LEASE, "FF_NO_ACTIVE_LEASE", "no_active_lease"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        FFT_EQ_STR(ff_status_name(rows[i].st), rows[i].name);
        FFT_EQ_STR(ff_status_server_token(rows[i].st), rows[i].tok);
        FFT_EQ_INT(ff_status_from_server_token(rows[i].tok), rows[i].st);
    }
    FFT_EQ_INT(FF_OK, 0);
    FFT_EQ_STR(ff_status_name(FF_OK), "FF_OK");
    FFT_EQ_STR(ff_status_name(FF_EINVAL), "FF_EINVAL");
    FFT_EQ_STR(ff_status_server_token(FF_EINVAL), "");
    FFT_EQ_STR(ff_status_server_token(FF_OK), "");
    FFT_EQ_STR(ff_status_group(FF_ETIMEDOUT), "timeout");
    FFT_EQ_STR(ff_status_group(FF_EIO), "transport");
    FFT_EQ_STR(ff_status_group(FF_STALE_LEASE), "lease");
}

static void test_unknown_values_and_tokens(void)
{
    static const int unknown[] = {1, 42, -22222, -9999, 12345, -50, -99, 2147483647, -2147483647 - 1};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        int s = unknown[i];
        FFT_CHECK(ff_strerror(s) != NULL);
        FFT_CHECK(ff_strerror(s)[0] != '\0');
        FFT_EQ_STR(ff_status_name(s), "FF_UNKNOWN");
        FFT_CHECK(ff_status_group(s) != NULL);
        FFT_EQ_STR(ff_status_server_token(s), "");
    }
    FFT_EQ_INT(ff_status_from_server_token("no_such_token"), FF_ESERVER);
    FFT_EQ_INT(ff_status_from_server_token("STALE_LEASE"), FF_ESERVER); /* case-sensitive */
    FFT_EQ_INT(ff_status_from_server_token("stale_lease "), FF_ESERVER);
    FFT_EQ_INT(ff_status_from_server_token(""), FF_ESERVER);
    FFT_EQ_INT(ff_status_from_server_token(NULL), FF_ESERVER);
    /* the sentinel is not a status */
    FFT_EQ_STR(ff_status_name(FF_STATUS_SENTINEL_), "FF_UNKNOWN");
}

int main(void)
{
    int n = 0;
#define RUN(fn) do { fn(); printf("ok - %s\n", #fn); n++; } while (0)
    RUN(test_list_respects_cap);
    RUN(test_every_status_described);
    RUN(test_values_names_tokens_unique);
    RUN(test_server_tokens_round_trip);
    RUN(test_known_mappings);
    RUN(test_unknown_values_and_tokens);
    printf("test_status: all %d tests passed\n", n);
    return 0;
}
