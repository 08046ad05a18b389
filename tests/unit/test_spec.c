/* Submission spec, claim options, client options and fence handles: setters
 * reject bad input with a typed status before any I/O. No server. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_support.h"

#define EID "{fp:3}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc"
#define U2 "1c5b4d3f-2a11-4b7c-8d4e-3f2a11bbccdd"
#define U3 "2d6c5e4a-3b22-4c8d-ae5f-4a3b22ccddee"

static char *fill(char *buf, size_t n, char c)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

static ff_exec_spec *spec(void)
{
    ff_exec_spec *s = NULL;
    FFT_OK(ff_exec_spec_new(&s, "kind"));
    FFT_CHECK(s != NULL);
    return s;
}

static void test_spec_new(void)
{
    ff_exec_spec *s = NULL;
    FFT_OK(ff_exec_spec_new(&s, NULL));
    FFT_CHECK(s != NULL);
    ff_exec_spec_free(s);
    s = (ff_exec_spec *)0x1;
    FFT_EQ_STATUS(ff_exec_spec_new(&s, "bad\x01kind"), FF_EINVAL);
    FFT_CHECK(s == NULL);
    s = (ff_exec_spec *)0x1;
    FFT_EQ_STATUS(ff_exec_spec_new(&s, ""), FF_EINVAL);
    FFT_CHECK(s == NULL);
    FFT_EQ_STATUS(ff_exec_spec_new(NULL, "k"), FF_EINVAL);
    ff_exec_spec_free(NULL); /* NULL-safe */
}

static void test_spec_lane(void)
{
    char b[100];
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_set_lane(s, "emails"));
    FFT_OK(ff_exec_spec_set_lane(s, fill(b, 64, 'l')));
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, fill(b, 65, 'l')), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, "a\x01"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, "a\nb"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, "a\x7f"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, "\xc3\xa9"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(NULL, "x"), FF_EINVAL);
    FFT_OK(ff_exec_spec_set_lane(s, "still usable"));
    ff_exec_spec_free(s);
}

static void test_spec_namespace_kind(void)
{
    char b[300];
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_set_namespace(s, fill(b, 128, 'n')));
    FFT_EQ_STATUS(ff_exec_spec_set_namespace(s, fill(b, 129, 'n')), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_namespace(s, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_namespace(s, "a\tb"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_namespace(s, NULL), FF_EINVAL);
    FFT_OK(ff_exec_spec_set_kind(s, fill(b, 256, 'k')));
    FFT_EQ_STATUS(ff_exec_spec_set_kind(s, fill(b, 257, 'k')), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_kind(s, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_kind(s, "a\x1b"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_kind(s, NULL), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_spec_payload(void)
{
    ff_exec_spec *s = spec();
    const char bin[] = {'a', '\0', 'b', '\0'};
    FFT_OK(ff_exec_spec_set_payload(s, bin, sizeof bin));
    FFT_OK(ff_exec_spec_set_payload(s, NULL, 0));
    FFT_OK(ff_exec_spec_set_payload(s, "", 0));
    FFT_EQ_STATUS(ff_exec_spec_set_payload(s, NULL, 5), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_payload(NULL, "x", 1), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_spec_numbers(void)
{
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_set_priority(s, 0));
    FFT_OK(ff_exec_spec_set_priority(s, 9000));
    FFT_OK(ff_exec_spec_set_priority(s, -5));     /* clamped by the server */
    FFT_OK(ff_exec_spec_set_priority(s, 100000)); /* clamped by the server */
    FFT_OK(ff_exec_spec_set_delay_ms(s, 0));
    FFT_OK(ff_exec_spec_set_delay_ms(s, 1500));
    FFT_EQ_STATUS(ff_exec_spec_set_delay_ms(s, -1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_delay_ms(s, INT64_MIN), FF_EINVAL);
    FFT_OK(ff_exec_spec_set_delay_until_ms(s, 0));
    FFT_EQ_STATUS(ff_exec_spec_set_delay_until_ms(s, -1), FF_EINVAL);
    FFT_OK(ff_exec_spec_set_deadline_ms(s, 0));
    FFT_EQ_STATUS(ff_exec_spec_set_deadline_ms(s, -1000), FF_EINVAL);
    FFT_OK(ff_exec_spec_set_attempt_timeout_ms(s, 0));
    FFT_OK(ff_exec_spec_set_attempt_timeout_ms(s, 5000));
    FFT_EQ_STATUS(ff_exec_spec_set_attempt_timeout_ms(s, -1), FF_EINVAL);
    FFT_OK(ff_exec_spec_set_limits(s, -1, -1));
    FFT_OK(ff_exec_spec_set_limits(s, 0, 0));
    FFT_OK(ff_exec_spec_set_limits(s, 3, 2));
    FFT_EQ_STATUS(ff_exec_spec_set_limits(s, -2, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_limits(s, 0, -2), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_priority(NULL, 1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_delay_ms(NULL, 1), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_spec_capabilities(void)
{
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_add_capability(s, "gpu"));
    FFT_OK(ff_exec_spec_add_capability(s, "gpu")); /* duplicate is harmless */
    FFT_OK(ff_exec_spec_add_capability(s, "region:eu"));
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "a,b"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "a b"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, " gpu"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "gpu\n"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "g\x01"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "g\x7f"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, NULL), FF_EINVAL);
    ff_exec_spec_free(s);

    /* at most 256 distinct tokens */
    s = spec();
    char tok[32];
    for (int i = 0; i < 256; i++) {
        snprintf(tok, sizeof tok, "cap%03d", i);
        FFT_OK(ff_exec_spec_add_capability(s, tok));
    }
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "one-too-many"), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_spec_tags(void)
{
    char k[200], v[5000];
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_add_tag(s, "owner", "team-a"));
    FFT_OK(ff_exec_spec_add_tag(s, "owner", "team-b")); /* replace */
    FFT_OK(ff_exec_spec_add_tag(s, "empty", ""));
    FFT_OK(ff_exec_spec_add_tag(s, fill(k, 128, 'k'), fill(v, 4096, 'v')));
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, fill(k, 129, 'k'), "v"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, "k", fill(v, 4097, 'v')), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, "", "v"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, "a\nb", "v"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, "a\x7f", "v"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, NULL, "v"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, "k", NULL), FF_EINVAL);
    /* tag values are text: invalid UTF-8 is rejected */
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, "k", "\xff\xfe"), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_spec_policy_json(void)
{
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_set_policy_json(s, "{}"));
    FFT_OK(ff_exec_spec_set_policy_json(s, "{\"max_replay_count\":3}"));
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "{"), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, ""), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "not json"), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "[1,2]"), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "null"), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "42"), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "{\"a\":1,\"a\":2}"), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "{} trailing"), FF_INVALID_POLICY_JSON);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(NULL, "{}"), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_spec_retry(void)
{
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_set_retry(s, 3, "fixed", 50, 0, 1.0, 0.0, NULL));
    FFT_OK(ff_exec_spec_set_retry(s, 0, "fixed", 0, 0, 1.0, 0.0, ""));
    FFT_OK(ff_exec_spec_set_retry(s, 5, "exponential", 100, 10000, 2.0, 0.5, "transient,timeout"));
    FFT_OK(ff_exec_spec_set_retry(s, 5, "exponential", 100, 100, 1.0, 1.0, NULL));
    /* NaN / inf / out of range */
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 100, 1000, NAN, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 100, 1000, INFINITY, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 100, 1000, 2.0, NAN, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "fixed", 100, 0, NAN, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 100, 1000, 2.0, 1.5, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 100, 1000, 2.0, -0.1, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 100, 1000, 0.5, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 0, 1000, 2.0, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "exponential", 100, 99, 2.0, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "fixed", -1, 0, 1.0, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, -1, "fixed", 50, 0, 1.0, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "linear", 50, 0, 1.0, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "", 50, 0, 1.0, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, NULL, 50, 0, 1.0, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 3, "fixed", 50, 0, 1.0, 0.0, "a,,b"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(NULL, 3, "fixed", 50, 0, 1.0, 0.0, NULL), FF_EINVAL);
    /* still usable after rejections */
    FFT_OK(ff_exec_spec_set_retry(s, 1, "fixed", 10, 0, 1.0, 0.0, NULL));
    ff_exec_spec_free(s);
}

static void test_spec_idempotency_and_id(void)
{
    char b[300];
    ff_exec_spec *s = spec();
    FFT_OK(ff_exec_spec_set_idempotency_key(s, "order-42", 0));
    FFT_OK(ff_exec_spec_set_idempotency_key(s, "order-42", 60000));
    FFT_OK(ff_exec_spec_set_idempotency_key(s, fill(b, 256, 'i'), 1));
    FFT_EQ_STATUS(ff_exec_spec_set_idempotency_key(s, fill(b, 257, 'i'), 1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_idempotency_key(s, "", 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_idempotency_key(s, NULL, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_idempotency_key(s, "k", -1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_idempotency_key(s, "k\n", 0), FF_EINVAL);

    FFT_OK(ff_exec_spec_set_execution_id(s, EID));
    FFT_EQ_STATUS(ff_exec_spec_set_execution_id(s, "{fp:3}:0B4A3C2E-1F00-4A6B-9C3D-2E1F00AABBCC"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_execution_id(s, "0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_execution_id(s, "{fp:70000}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_execution_id(s, EID "!"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_execution_id(s, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_execution_id(s, NULL), FF_EINVAL);
    ff_exec_spec_free(s);
}

static void test_claim_opts(void)
{
    char b[100];
    ff_claim_opts *o = NULL;
    FFT_OK(ff_claim_opts_new(&o));
    FFT_CHECK(o != NULL);
    FFT_EQ_STATUS(ff_claim_opts_new(NULL), FF_EINVAL);
    FFT_OK(ff_claim_opts_set_lease_ttl_ms(o, 1000));
    FFT_OK(ff_claim_opts_set_lease_ttl_ms(o, 3600000));
    FFT_EQ_STATUS(ff_claim_opts_set_lease_ttl_ms(o, 999), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_set_lease_ttl_ms(o, 3600001), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_set_lease_ttl_ms(o, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_set_lease_ttl_ms(o, -5), FF_EINVAL);
    FFT_OK(ff_claim_opts_set_batch(o, 1));
    FFT_OK(ff_claim_opts_set_batch(o, 256));
    FFT_EQ_STATUS(ff_claim_opts_set_batch(o, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_set_batch(o, 257), FF_EINVAL);
    FFT_OK(ff_claim_opts_add_lane(o, "a"));
    FFT_OK(ff_claim_opts_add_lane(o, fill(b, 64, 'l')));
    FFT_EQ_STATUS(ff_claim_opts_add_lane(o, fill(b, 65, 'l')), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_add_lane(o, "x\x01"), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_add_lane(o, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_add_lane(o, NULL), FF_EINVAL);
    FFT_OK(ff_claim_opts_add_capability(o, "gpu"));
    FFT_EQ_STATUS(ff_claim_opts_add_capability(o, "a,b"), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_add_capability(o, "a b"), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_add_capability(o, "\x01"), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_add_capability(o, ""), FF_EINVAL);
    FFT_OK(ff_claim_opts_set_worker_id(o, "worker-1"));
    FFT_EQ_STATUS(ff_claim_opts_set_worker_id(o, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_set_worker_id(o, "w\n"), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_set_worker_id(o, NULL), FF_EINVAL);
    FFT_OK(ff_claim_opts_set_worker_instance_id(o, "inst-1"));
    FFT_EQ_STATUS(ff_claim_opts_set_worker_instance_id(o, ""), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_opts_set_worker_instance_id(o, "i\x7f"), FF_EINVAL);
    ff_claim_opts_free(o);
    ff_claim_opts_free(NULL);

    /* at most 64 lanes */
    FFT_OK(ff_claim_opts_new(&o));
    for (int i = 0; i < 64; i++) {
        snprintf(b, sizeof b, "lane-%d", i);
        FFT_OK(ff_claim_opts_add_lane(o, b));
    }
    FFT_OK(ff_claim_opts_add_lane(o, "lane-0")); /* duplicate: no-op */
    FFT_EQ_STATUS(ff_claim_opts_add_lane(o, "lane-64"), FF_EINVAL);
    ff_claim_opts_free(o);
}

static void test_client_opts(void)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_EQ_STATUS(ff_client_opts_new(NULL), FF_EINVAL);
    FFT_OK(ff_client_opts_set_url(o, "redis://127.0.0.1:6379"));
    FFT_OK(ff_client_opts_set_url(o, NULL));
    FFT_OK(ff_client_opts_set_url(o, ""));
    FFT_OK(ff_client_opts_set_timeout_ms(o, 1));
    FFT_EQ_STATUS(ff_client_opts_set_timeout_ms(o, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_client_opts_set_timeout_ms(o, -1), FF_EINVAL);
    FFT_OK(ff_client_opts_set_connect_timeout_ms(o, 100));
    FFT_EQ_STATUS(ff_client_opts_set_connect_timeout_ms(o, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_client_opts_set_connect_timeout_ms(o, -10), FF_EINVAL);
    FFT_OK(ff_client_opts_set_max_payload_bytes(o, 1));
    FFT_EQ_STATUS(ff_client_opts_set_max_payload_bytes(o, 0), FF_EINVAL);
    FFT_OK(ff_client_opts_set_partitions(o, 0));
    FFT_OK(ff_client_opts_set_partitions(o, 16));
    FFT_EQ_STATUS(ff_client_opts_set_partitions(o, 1u << 31), FF_EINVAL);
    FFT_OK(ff_client_opts_set_inline_dispatch(o, 1));
    FFT_OK(ff_client_opts_set_inline_dispatch(o, 0));
    FFT_EQ_STATUS(ff_client_opts_set_url(NULL, "x"), FF_EINVAL);
    FFT_EQ_STATUS(ff_client_opts_set_timeout_ms(NULL, 5), FF_EINVAL);
    ff_client_opts_free(o);
    ff_client_opts_free(NULL);
}

static void test_bad_urls(void)
{
    static const char *const bad[] = {
        "http://127.0.0.1:6379", "127.0.0.1:6379", "redis://127.0.0.1:99999", "redis://127.0.0.1:0",
        "redis://127.0.0.1:abc", "redis://127.0.0.1:", "redis://127.0.0.1:6379/notadb", "unix://relative/path.sock",
        "unix://", "unix:///tmp/x.sock?foo=1", "rediss", "redis://user:p%zzss@127.0.0.1:6379",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ff_client_opts *o = NULL;
        ff_client *c = (ff_client *)0x1;
        char err[256] = "";
        FFT_OK(ff_client_opts_new(&o));
        FFT_OK(ff_client_opts_set_url(o, bad[i]));
        FFT_OK(ff_client_opts_set_connect_timeout_ms(o, 2000));
        int rc = ff_client_new(&c, o, err, sizeof err);
        FFT_CHECK_MSG(rc == FF_EINVAL, "URL \"%s\": ff_client_new = %s, expected FF_EINVAL", bad[i],
                      ff_status_name(rc));
        FFT_CHECK(c == NULL);
        FFT_CHECK_MSG(err[0] != '\0', "URL \"%s\": no error text", bad[i]);
        ff_client_opts_free(o);
    }
    FFT_EQ_STATUS(ff_client_new(NULL, NULL, NULL, 0), FF_EINVAL);
}

static void test_claim_from_fence(void)
{
    ff_claim *cl = NULL;
    FFT_OK(ff_claim_from_fence(&cl, EID, 2, U2, U3, 7, 5000));
    FFT_EQ_STR(ff_claim_execution_id(cl), EID);
    FFT_EQ_INT(ff_claim_attempt_index(cl), 2);
    FFT_EQ_STR(ff_claim_attempt_id(cl), U2);
    FFT_EQ_STR(ff_claim_lease_id(cl), U3);
    FFT_EQ_INT(ff_claim_lease_epoch(cl), 7);
    FFT_EQ_INT(ff_claim_lease_ttl_ms(cl), 5000);
    size_t len = 99;
    const void *p = ff_claim_payload(cl, &len);
    FFT_CHECK(p != NULL);
    FFT_EQ_INT(len, 0);
    FFT_EQ_STR(ff_claim_kind(cl), "");
    ff_claim_free(cl);

    cl = (ff_claim *)0x1;
    FFT_EQ_STATUS(ff_claim_from_fence(&cl, "bad", 0, U2, U3, 1, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_from_fence(&cl, EID, 0, "1C5B4D3F-2A11-4B7C-8D4E-3F2A11BBCCDD", U3, 1, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_from_fence(&cl, EID, 0, U2, "nope", 1, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_from_fence(&cl, EID, 0, NULL, U3, 1, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_from_fence(&cl, EID, 0, U2, NULL, 1, 0), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_from_fence(&cl, EID, 0, U2, U3, 1, -1), FF_EINVAL);
    FFT_EQ_STATUS(ff_claim_from_fence(NULL, EID, 0, U2, U3, 1, 0), FF_EINVAL);

    /* accessors are NULL-safe */
    FFT_EQ_STR(ff_claim_execution_id(NULL), "");
    FFT_EQ_STR(ff_claim_attempt_type(NULL), "");
    FFT_EQ_INT(ff_claim_lease_epoch(NULL), 0);
    len = 5;
    FFT_CHECK(ff_claim_payload(NULL, &len) != NULL);
    FFT_EQ_INT(len, 0);
    ff_claim_free(NULL);
}

static void test_null_client_and_op(void)
{
    ff_op *op = (ff_op *)0x1;
    ff_exec_spec *s = spec();
    ff_claim_opts *co = NULL;
    FFT_OK(ff_claim_opts_new(&co));
    FFT_EQ_STATUS(ff_execution_create(NULL, s, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_describe(NULL, EID, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_result(NULL, EID, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_cancel(NULL, EID, "r", NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_lease_claim(NULL, co, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_lanes_list(NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_client_command(NULL, 1, (const char *const[]){"PING"}, NULL, NULL, NULL, &op), FF_EINVAL);
    ff_claim_opts_free(co);
    ff_exec_spec_free(s);

    FFT_EQ_STATUS(ff_op_wait(NULL, 0), FF_EINVAL);
    FFT_EQ_INT(ff_op_done(NULL), 0);
    FFT_EQ_STR(ff_op_text(NULL), "");
    FFT_EQ_STR(ff_op_errmsg(NULL), "");
    FFT_EQ_STR(ff_op_server_code(NULL), "");
    FFT_EQ_STR(ff_op_json(NULL), "");
    FFT_EQ_STR(ff_op_execution_id(NULL), "");
    FFT_EQ_STR(ff_op_cursor(NULL), "");
    FFT_EQ_INT(ff_op_int(NULL), 0);
    FFT_EQ_INT(ff_op_item_count(NULL), 0);
    FFT_EQ_INT(ff_op_claim_count(NULL), 0);
    FFT_EQ_INT(ff_op_detail_count(NULL), 0);
    FFT_EQ_STR(ff_op_detail(NULL, 0), "");
    const char *str = NULL;
    int64_t i64 = 0;
    FFT_EQ_STATUS(ff_op_json_str(NULL, "a", &str), FF_ENOTFOUND);
    FFT_EQ_STATUS(ff_op_json_i64(NULL, "a", &i64), FF_ENOTFOUND);
    ff_op_free(NULL);
    ff_client_free(NULL);
    FFT_EQ_INT(ff_client_fd(NULL), -1);
    FFT_EQ_INT(ff_client_dispatch(NULL, 0), 0);
    FFT_EQ_INT(ff_client_connected(NULL), 0);
    FFT_EQ_INT(ff_client_connect_count(NULL), 0);
    FFT_EQ_INT(ff_client_partitions(NULL), 0);
    ff_free(NULL);
}

/* Every refusal of a setter names what was wrong and what was expected. */
static void expect_detail(int st, int want, const char *needle)
{
    FFT_EQ_STATUS(st, want);
    FFT_CHECK_MSG(strstr(ff_error_detail(st), needle) != NULL, "detail '%s' lacks '%s'", ff_error_detail(st),
                  needle);
}

static void test_setters_explain_refusals(void)
{
    ff_exec_spec *s = NULL;
    FFT_OK(ff_exec_spec_new(&s, "k"));
    expect_detail(ff_exec_spec_set_lane(s, "tab\there"), FF_EINVAL, "lane 'tab\\x09here': expected 1..64 bytes");
    expect_detail(ff_exec_spec_set_kind(s, "\xff\xfe"), FF_EINVAL, "not valid UTF-8");
    expect_detail(ff_exec_spec_set_namespace(s, ""), FF_EINVAL, "namespace '': expected 1..128");
    expect_detail(ff_exec_spec_add_capability(s, "a,b"), FF_EINVAL, "without commas");
    expect_detail(ff_exec_spec_add_tag(s, "k", "\xc3"), FF_EINVAL, "tag value of 'k': not valid UTF-8");
    expect_detail(ff_exec_spec_set_delay_ms(s, -5), FF_EINVAL, "delay_ms -5 out of range");
    expect_detail(ff_exec_spec_set_policy_json(s, "{"), FF_INVALID_POLICY_JSON, "policy: malformed JSON");
    expect_detail(ff_exec_spec_set_retry(s, 3, "linear", 1, 1, 1, 0, NULL), FF_EINVAL, "backoff linear");
    expect_detail(ff_exec_spec_set_retry(s, 20000, "fixed", 1, 1, 1, 0, NULL), FF_EINVAL, "max_retries 20000");
    expect_detail(ff_exec_spec_set_execution_id(s, "garbage"), FF_EINVAL, "expected {fp:N}:<uuid>): 'garbage'");
    expect_detail(ff_exec_spec_set_idempotency_key(s, "", 0), FF_EINVAL, "idempotency key");
    ff_exec_spec_free(s);
    ff_claim_opts *o = NULL;
    FFT_OK(ff_claim_opts_new(&o));
    expect_detail(ff_claim_opts_set_lease_ttl_ms(o, 5), FF_EINVAL, "lease ttl ms 5 out of range (expected 1000..3600000)");
    expect_detail(ff_claim_opts_set_batch(o, 0), FF_EINVAL, "claim batch 0");
    expect_detail(ff_claim_opts_set_worker_id(o, "w\n"), FF_EINVAL, "worker id");
    ff_claim_opts_free(o);
    ff_suspend_spec *ss = NULL;
    FFT_OK(ff_suspend_spec_new(&ss));
    expect_detail(ff_suspend_spec_set_timeout(ss, 10, "explode"), FF_EINVAL, "timeout behavior 'explode'");
    expect_detail(ff_suspend_spec_use_pending(ss, "x"), FF_EINVAL, "pending waitpoint id: not a uuid");
    ff_suspend_spec_free(ss);
    ff_claim *cl = NULL;
    expect_detail(ff_claim_from_fence(&cl, EID, 0, "nope", "nope", 1, 0), FF_EINVAL, "attempt id: not a uuid");
}

int main(void)
{
    int n = 0;
#define RUN(fn) do { fn(); printf("ok - %s\n", #fn); n++; } while (0)
    RUN(test_spec_new);
    RUN(test_spec_lane);
    RUN(test_spec_namespace_kind);
    RUN(test_spec_payload);
    RUN(test_spec_numbers);
    RUN(test_spec_capabilities);
    RUN(test_spec_tags);
    RUN(test_spec_policy_json);
    RUN(test_spec_retry);
    RUN(test_spec_idempotency_and_id);
    RUN(test_claim_opts);
    RUN(test_client_opts);
    RUN(test_bad_urls);
    RUN(test_claim_from_fence);
    RUN(test_null_client_and_op);
    RUN(test_setters_explain_refusals);
    printf("test_spec: all %d tests passed\n", n);
    return 0;
}
