/*
 * Bad input gets a typed error and writes NOTHING (DBSIZE unchanged), one
 * test per rule, both through the C API (client-side checks) and through raw
 * FCALLs (the server's own validation, for callers that bypass the C core).
 */
#include <math.h>

#include "itest.h"

/* ------------------------------------------------------------ raw create */

typedef struct create_args {
    const char *eid, *ns, *lane, *kind, *priority;
    const char *payload;
    size_t payload_len;
    const char *policy, *caps, *delay_until, *delay_ms, *deadline, *idem, *idem_ttl, *tags;
    const char *key; /* KEYS[1]; NULL = ff:e:<eid> */
} create_args;

static create_args defaults(const char *lane, char *eid_buf)
{
    create_args a;
    memset(&a, 0, sizeof a);
    FFT_EQ_INT(ff__eid_mint(ff__lane_partition(lane, 0, ff_client_partitions(C)), eid_buf), 0);
    a.eid = eid_buf;
    a.ns = "default";
    a.lane = lane;
    a.kind = "k";
    a.priority = "0";
    a.payload = "";
    a.policy = a.caps = a.delay_until = a.delay_ms = a.deadline = a.idem = a.idem_ttl = a.tags = "";
    return a;
}

static ff_op *raw_create(const create_args *a)
{
    char key[128];
    if (a->key)
        snprintf(key, sizeof key, "%s", a->key);
    else
        snprintf(key, sizeof key, "ff:e:%s", a->eid);
    const char *argv[] = {"FCALL",  "ff_create", "1",          key,         a->eid,      a->ns,    a->lane, a->kind,
                          a->priority, a->payload, a->policy, a->caps, a->delay_until, a->delay_ms, a->deadline,
                          a->idem,  a->idem_ttl,  a->tags};
    size_t lens[sizeof argv / sizeof argv[0]];
    for (size_t i = 0; i < sizeof argv / sizeof argv[0]; i++) lens[i] = strlen(argv[i]);
    lens[9] = a->payload_len;
    return it_rawv(C, (int32_t)(sizeof argv / sizeof argv[0]), argv, lens);
}

/* The raw create fails with token (and detail containing `detail` if not
 * NULL); nothing is written. */
static void raw_create_rejected(const create_args *a, const char *token, const char *detail)
{
    int64_t n = it_dbsize(C);
    ff_op *op = raw_create(a);
    it_expect_envelope_error(op, token);
    if (detail) {
        char b[512];
        it_reply_str(op, 2, b, sizeof b);
        FFT_CHECK_MSG(strstr(b, detail) != NULL, "detail \"%s\" does not mention \"%s\"", b, detail);
    }
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), n);
}

static void raw_create_ok(const create_args *a)
{
    ff_op *op = raw_create(a);
    FFT_OK(ff_op_status(op));
    char b[64];
    it_reply_str(op, 1, b, sizeof b);
    FFT_EQ_STR(b, "OK");
    ff_op_free(op);
}

/* The C create fails with want (returned by the call or by the op); nothing
 * written. */
static void api_create_rejected(const ff_exec_spec *s, int want)
{
    int64_t n = it_dbsize(C);
    ff_op *op = NULL;
    int rc = ff_execution_create(C, s, NULL, NULL, &op);
    if (rc == FF_OK) {
        FFT_CHECK(ff_op_wait(op, IT_WAIT_MS) != FF_EAGAIN);
        rc = ff_op_status(op);
        ff_op_free(op);
    } else {
        FFT_CHECK(op == NULL);
    }
    FFT_EQ_STATUS(rc, want);
    FFT_EQ_INT(it_dbsize(C), n);
}

/* -------------------------------------------------------------- ids */

static void test_malformed_ids(void)
{
    int64_t n = it_dbsize(C);
    static const char *const bad[] = {"", "nope", "{fp:1}:0B4A3C2E-1F00-4A6B-9C3D-2E1F00AABBCC",
                                      "{fp:01}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc",
                                      "{fp:70000}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc",
                                      "{fp:1}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc-trailing"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ff_op *op = NULL;
        FFT_EQ_STATUS(ff_execution_describe(C, bad[i], NULL, NULL, &op), FF_EINVAL);
        FFT_EQ_STATUS(ff_execution_result(C, bad[i], NULL, NULL, &op), FF_EINVAL);
        FFT_EQ_STATUS(ff_execution_cancel(C, bad[i], NULL, NULL, NULL, &op), FF_EINVAL);
        FFT_EQ_STATUS(ff_execution_replay(C, bad[i], NULL, NULL, &op), FF_EINVAL);
        FFT_EQ_STATUS(ff_execution_change_priority(C, bad[i], 1, NULL, NULL, &op), FF_EINVAL);
        FFT_EQ_STATUS(ff_execution_revoke_lease(C, bad[i], NULL, NULL, NULL, NULL, &op), FF_EINVAL);
        FFT_CHECK(op == NULL);
    }
    FFT_EQ_STATUS(ff_execution_describe(C, NULL, NULL, NULL, &(ff_op *){NULL}), FF_EINVAL);
    FFT_EQ_INT(it_dbsize(C), n);
}

static void test_raw_malformed_ids(void)
{
    char lane[64], eid[FF_EID_MAX];
    it_lane(lane, sizeof lane, "va-rawid");
    create_args a = defaults(lane, eid);
    a.eid = "{fp:1}:NOT-A-UUID";
    raw_create_rejected(&a, "invalid_input", "execution_id");
    a.eid = "{fp:007}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc";
    raw_create_rejected(&a, "invalid_input", NULL);
    a.eid = "{fp:99999}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc";
    raw_create_rejected(&a, "invalid_input", NULL);
    /* KEYS[1] must be the execution's own core key */
    a = defaults(lane, eid);
    a.key = "ff:e:{fp:1}:0b4a3c2e-1f00-4a6b-9c3d-2e1f00aabbcc";
    raw_create_rejected(&a, "invalid_input", NULL);
    a.key = "something-else";
    raw_create_rejected(&a, "invalid_input", NULL);
}

static void test_execution_id_on_foreign_partition(void)
{
    /* "N must be the partition the lane maps to": an id on another partition
     * would create an execution no claim of its lane can ever see */
    char lane[64], eid[FF_EID_MAX];
    it_lane(lane, sizeof lane, "va-foreign");
    uint32_t parts = ff_client_partitions(C);
    uint32_t right = ff__lane_partition(lane, 0, parts);
    FFT_EQ_INT(ff__eid_mint((right + 1) % parts, eid), 0);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_execution_id(s, eid));
    api_create_rejected(s, FF_EINVAL);
    ff_exec_spec_free(s);
    /* and an id beyond the partition count */
    s = it_spec(lane);
    FFT_EQ_INT(ff__eid_mint(parts, eid), 0);
    FFT_OK(ff_exec_spec_set_execution_id(s, eid));
    api_create_rejected(s, FF_EINVAL);
    ff_exec_spec_free(s);
}

/* ------------------------------------------------------------ lanes etc */

static void test_lane_control_chars(void)
{
    char lane[64], eid[FF_EID_MAX];
    it_lane(lane, sizeof lane, "va-lanectl");
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, "bad\x01lane"), FF_EINVAL);
    ff_exec_spec_free(s);
    create_args a = defaults(lane, eid);
    a.lane = "bad\x01lane";
    raw_create_rejected(&a, "invalid_input", "lane");
    a.lane = "tab\tlane";
    raw_create_rejected(&a, "invalid_input", "lane");
    a.lane = "del\x7f";
    raw_create_rejected(&a, "invalid_input", "lane");
    a.lane = "caf\xc3\xa9";
    raw_create_rejected(&a, "invalid_input", "lane");
    a.lane = "";
    raw_create_rejected(&a, "invalid_input", "lane");
}

static void test_lane_too_long(void)
{
    char lane[64], eid[FF_EID_MAX], big[80];
    it_lane(lane, sizeof lane, "va-lanelen");
    memset(big, 'L', 65);
    big[65] = '\0';
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_exec_spec_set_lane(s, big), FF_EINVAL);
    ff_exec_spec_free(s);
    create_args a = defaults(lane, eid);
    a.lane = big;
    raw_create_rejected(&a, "invalid_input", "lane");
    /* 64 bytes is fine */
    big[64] = '\0';
    a = defaults(big, eid);
    raw_create_ok(&a);
}

static void test_namespace_and_kind(void)
{
    char lane[64], eid[FF_EID_MAX], big[300];
    it_lane(lane, sizeof lane, "va-nskind");
    create_args a = defaults(lane, eid);
    a.ns = "";
    raw_create_rejected(&a, "invalid_input", "namespace");
    a.ns = "a\nb";
    raw_create_rejected(&a, "invalid_input", "namespace");
    memset(big, 'n', 129);
    big[129] = '\0';
    a.ns = big;
    raw_create_rejected(&a, "invalid_input", "namespace");
    a = defaults(lane, eid);
    a.kind = "";
    raw_create_rejected(&a, "invalid_input", "kind");
    a.kind = "k\x1b";
    raw_create_rejected(&a, "invalid_input", "kind");
    memset(big, 'k', 257);
    big[257] = '\0';
    a.kind = big;
    raw_create_rejected(&a, "invalid_input", "kind");
}

/* ----------------------------------------------------------- payloads */

static void test_oversized_payload(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "va-toobig");
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_max_payload_bytes(o, 1024));
    ff_client *small = fft_client_new_opts(o);
    ff_client_opts_free(o);
    static char buf[1025];
    memset(buf, 'p', sizeof buf);
    ff_exec_spec *s = it_spec(lane);
    FFT_OK(ff_exec_spec_set_payload(s, buf, 1025));
    int64_t n = it_dbsize(C);
    ff_op *op = NULL;
    FFT_EQ_STATUS(ff_execution_create(small, s, NULL, NULL, &op), FF_ETOOBIG);
    FFT_CHECK(op == NULL);
    FFT_EQ_INT(it_dbsize(C), n);
    /* exactly the limit is accepted */
    FFT_OK(ff_exec_spec_set_payload(s, buf, 1024));
    op = IT_OP(ff_execution_create(small, s, NULL, NULL, OUT));
    FFT_OK(ff_op_status(op));
    snprintf(eid, sizeof eid, "%s", ff_op_execution_id(op));
    ff_op_free(op);
    ff_exec_spec_free(s);
    /* results are bounded the same way */
    ff_claim *cl = it_claim_expect(small, lane, eid);
    n = it_dbsize(C);
    op = NULL;
    FFT_EQ_STATUS(ff_lease_complete(small, cl, buf, 1025, NULL, NULL, &op), FF_ETOOBIG);
    FFT_CHECK(op == NULL);
    FFT_EQ_INT(it_dbsize(C), n);
    it_state(C, eid, "active", ST_RUNNING);
    IT_EXPECT(ff_lease_complete(small, cl, buf, 1024, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_client_free(small);
}

/* --------------------------------------------------------------- policy */

static void test_policy_malformed_json(void)
{
    char lane[64], eid[FF_EID_MAX];
    it_lane(lane, sizeof lane, "va-poljson");
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_exec_spec_set_policy_json(s, "{\"retry_policy\":"), FF_INVALID_POLICY_JSON);
    ff_exec_spec_free(s);
    create_args a = defaults(lane, eid);
    a.policy = "{\"retry_policy\":";
    raw_create_rejected(&a, "invalid_policy_json", "malformed");
    a.policy = "[1,2,3]";
    raw_create_rejected(&a, "invalid_policy_json", NULL);
    a.policy = "\"str\"";
    raw_create_rejected(&a, "invalid_policy_json", NULL);
}

static void test_policy_bad_shape(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "va-polshape");
    static const struct {
        const char *json, *detail;
    } bad[] = {
        {"{\"bogus\":1}", "unknown_field"},
        {"{\"retry_policy\":{\"max_retries\":-1}}", "max_retries"},
        {"{\"retry_policy\":{\"max_retries\":1.5}}", "max_retries"},
        {"{\"retry_policy\":{\"max_retries\":\"3\"}}", "max_retries"},
        {"{\"retry_policy\":{\"backoff\":{\"type\":\"linear\"}}}", "backoff"},
        {"{\"retry_policy\":{\"backoff\":{\"type\":\"fixed\",\"delay_ms\":-5}}}", "delay_ms"},
        {"{\"retry_policy\":{\"backoff\":{\"type\":\"exponential\",\"initial_delay_ms\":100,"
         "\"max_delay_ms\":50}}}",
         "max_delay_ms"},
        {"{\"retry_policy\":{\"backoff\":{\"type\":\"exponential\",\"initial_delay_ms\":100,"
         "\"max_delay_ms\":500,\"jitter\":2}}}",
         "jitter"},
        {"{\"retry_policy\":{\"retryable_categories\":\"transient\"}}", "retryable_categories"},
        {"{\"retry_policy\":{\"max_retries\":1,\"bogus\":1}}", "unknown_field"},
        {"{\"timeout_policy\":{\"attempt_timeout_ms\":0}}", "attempt_timeout_ms"},
        {"{\"max_replay_count\":-1}", "max_replay_count"},
        {"{\"max_reclaim_count\":1e400}", NULL},
        {"{\"priority\":1.5}", "priority"},
        {"{\"routing_requirements\":5}", "routing_requirements"},
        {"{\"retry_policy\":null}", NULL},
        {"{\"retry_policy\":[1]}", "retry_policy"},
        /* an EMPTY array is still not an object */
        {"{\"retry_policy\":[]}", "retry_policy"},
        {"{\"timeout_policy\":[]}", "timeout_policy"},
        {"{\"routing_requirements\":[]}", "routing_requirements"},
    };
    char problems[4096] = "";
    size_t off = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ff_exec_spec *s = it_spec(lane);
        int rc = ff_exec_spec_set_policy_json(s, bad[i].json);
        if (rc == FF_OK) {
            int64_t n = it_dbsize(C);
            ff_op *op = IT_OP(ff_execution_create(C, s, NULL, NULL, OUT));
            int st = ff_op_status(op);
            if (st != FF_INVALID_POLICY_JSON) {
                off += (size_t)snprintf(problems + off, sizeof problems - off, "\n  %s -> %s (%s)", bad[i].json,
                                        ff_status_name(st), ff_op_errmsg(op));
            } else {
                FFT_EQ_STR(ff_op_server_code(op), "invalid_policy_json");
                if (bad[i].detail)
                    FFT_CHECK_MSG(ff_op_detail_count(op) >= 1 && strstr(ff_op_detail(op, 0), bad[i].detail),
                                  "policy %s: detail \"%s\" lacks \"%s\"", bad[i].json, ff_op_detail(op, 0),
                                  bad[i].detail);
                FFT_EQ_INT(it_dbsize(C), n);
            }
            ff_op_free(op);
        } else {
            FFT_EQ_STATUS(rc, FF_INVALID_POLICY_JSON);
        }
        ff_exec_spec_free(s);
        if (off >= sizeof problems - 200) break;
    }
    FFT_CHECK_MSG(off == 0, "policies accepted although malformed:%s", problems);
}

/* ---------------------------------------------------------- capabilities */

static void test_bad_capability_tokens(void)
{
    char lane[64], eid[FF_EID_MAX];
    it_lane(lane, sizeof lane, "va-caps");
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "has,comma"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "has space"), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_add_capability(s, "ctl\x02"), FF_EINVAL);
    ff_exec_spec_free(s);
    /* raw CSV */
    create_args a = defaults(lane, eid);
    a.caps = "a,,b";
    raw_create_rejected(&a, "invalid_capabilities", "empty_token");
    a.caps = "a b";
    raw_create_rejected(&a, "invalid_capabilities", "control_or_whitespace");
    a.caps = ",";
    raw_create_rejected(&a, "invalid_capabilities", NULL);
    a.caps = "gpu\x7f";
    raw_create_rejected(&a, "invalid_capabilities", NULL);
    /* through the policy document (client accepts the JSON, server rejects) */
    static const char *const pol[] = {
        "{\"routing_requirements\":{\"required_capabilities\":[\"a b\"]}}",
        "{\"routing_requirements\":{\"required_capabilities\":[\"a,b\"]}}",
        "{\"routing_requirements\":{\"required_capabilities\":[\"\"]}}",
        "{\"routing_requirements\":{\"required_capabilities\":[7]}}",
        "{\"routing_requirements\":{\"required_capabilities\":\"gpu\"}}",
    };
    for (size_t i = 0; i < sizeof pol / sizeof pol[0]; i++) {
        s = it_spec(lane);
        FFT_OK(ff_exec_spec_set_policy_json(s, pol[i]));
        api_create_rejected(s, FF_INVALID_CAPABILITIES);
        ff_exec_spec_free(s);
    }
}

static void test_bad_worker_capabilities_raw(void)
{
    char lane[64], key[160], eid[IT_EID];
    it_lane(lane, sizeof lane, "va-wcaps");
    it_create(C, lane, 0, eid);
    uint32_t part = ff__lane_partition(lane, 0, ff_client_partitions(C));
    snprintf(key, sizeof key, "ff:i:{fp:%u}:%s:eligible", (unsigned)part, lane);
    int64_t n = it_dbsize(C);
    ff_op *op = it_raw(C, "FCALL", "ff_claim", "1", key, lane, "w", "wi", "bad cap", "30000", "1",
                       "00000000-0000-4000-8000-000000000010", "00000000-0000-4000-8000-000000000011", NULL);
    it_expect_envelope_error(op, "invalid_capabilities");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), n);
    it_state(C, eid, "waiting", ST_WAITING_FIRST);
}

/* ------------------------------------------------------------------ tags */

static void test_invalid_tag_key(void)
{
    char lane[64], eid[FF_EID_MAX];
    it_lane(lane, sizeof lane, "va-tags");
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_exec_spec_add_tag(s, "bad\x01key", "v"), FF_EINVAL);
    ff_exec_spec_free(s);
    create_args a = defaults(lane, eid);
    a.tags = "{\"bad\\u0001key\":\"v\"}";
    raw_create_rejected(&a, "invalid_tag_key", NULL);
    a.tags = "{\"\":\"v\"}";
    raw_create_rejected(&a, "invalid_tag_key", NULL);
    /* other tag problems are invalid_input */
    a.tags = "{\"k\":5}";
    raw_create_rejected(&a, "invalid_input", "tags");
    a.tags = "[\"k\"]";
    raw_create_rejected(&a, "invalid_input", "tags");
    a.tags = "{bad json";
    raw_create_rejected(&a, "invalid_input", "tags");
    FFT_EQ_INT(ff_status_from_server_token("invalid_tag_key"), FF_INVALID_TAG_KEY);
}

/* --------------------------------------------------------------- numbers */

static void test_negative_and_nan_numbers_api(void)
{
    char lane[64];
    it_lane(lane, sizeof lane, "va-numapi");
    int64_t n = it_dbsize(C);
    ff_exec_spec *s = it_spec(lane);
    FFT_EQ_STATUS(ff_exec_spec_set_delay_ms(s, -1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_delay_until_ms(s, -1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_deadline_ms(s, -1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_attempt_timeout_ms(s, -1), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 1, "exponential", 10, 100, NAN, 0.0, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, 1, "exponential", 10, 100, 2.0, NAN, NULL), FF_EINVAL);
    FFT_EQ_STATUS(ff_exec_spec_set_retry(s, -3, "fixed", 10, 0, 1.0, 0.0, NULL), FF_EINVAL);
    ff_exec_spec_free(s);
    ff_claim_opts *o = it_claim_opts(lane, 30000);
    FFT_EQ_STATUS(ff_claim_opts_set_lease_ttl_ms(o, -1), FF_EINVAL);
    ff_claim_opts_free(o);
    FFT_EQ_INT(it_dbsize(C), n);
}

static void test_raw_create_numbers(void)
{
    char lane[64], eid[FF_EID_MAX];
    it_lane(lane, sizeof lane, "va-numraw");
    static const char *const bad_int[] = {"abc", "1.5", "nan", "inf", "-inf", "1e3", "0x10", " 1", "+1", "--1",
                                          "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad_int / sizeof bad_int[0]; i++) {
        create_args a = defaults(lane, eid);
        a.priority = bad_int[i];
        raw_create_rejected(&a, "invalid_input", "priority");
        a = defaults(lane, eid);
        a.delay_until = bad_int[i];
        raw_create_rejected(&a, "invalid_input", "delay_until");
        a = defaults(lane, eid);
        a.delay_ms = bad_int[i];
        raw_create_rejected(&a, "invalid_input", "delay_ms");
        a = defaults(lane, eid);
        a.deadline = bad_int[i];
        raw_create_rejected(&a, "invalid_input", "deadline");
    }
    create_args a = defaults(lane, eid);
    a.delay_until = "-5";
    raw_create_rejected(&a, "invalid_input", "delay_until");
    a = defaults(lane, eid);
    a.delay_ms = "-1";
    raw_create_rejected(&a, "invalid_input", "delay_ms");
    a = defaults(lane, eid);
    a.deadline = "-1";
    raw_create_rejected(&a, "invalid_input", "deadline");
    a = defaults(lane, eid);
    a.idem = "k";
    a.idem_ttl = "-1";
    raw_create_rejected(&a, "invalid_input", NULL);
    /* wrong arity */
    char key[128];
    snprintf(key, sizeof key, "ff:e:%s", eid);
    int64_t n = it_dbsize(C);
    ff_op *op = it_raw(C, "FCALL", "ff_create", "1", key, eid, "default", lane, NULL);
    it_expect_envelope_error(op, "invalid_input");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), n);
}

static void test_raw_lease_call_numbers(void)
{
    char lane[64], eid[IT_EID], key[128], epoch[32];
    it_lane(lane, sizeof lane, "va-leasenum");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    snprintf(key, sizeof key, "ff:e:%s", eid);
    snprintf(epoch, sizeof epoch, "%llu", (unsigned long long)ff_claim_lease_epoch(cl));
    const char *lid = ff_claim_lease_id(cl), *aid = ff_claim_attempt_id(cl);
    ff_op *d = it_describe(C, eid);
    char *before = strdup(ff_op_json(d));
    ff_op_free(d);
    int64_t n = it_dbsize(C);
    static const char *const bad_ttl[] = {"0", "-1", "abc", "1.5", "86400001"};
    for (size_t i = 0; i < sizeof bad_ttl / sizeof bad_ttl[0]; i++) {
        ff_op *op = it_raw(C, "FCALL", "ff_renew", "1", key, eid, lid, epoch, aid, bad_ttl[i], NULL);
        it_expect_envelope_error(op, "invalid_input");
        ff_op_free(op);
    }
    static const char *const bad_pct[] = {"101", "-1", "50.5", "x"};
    for (size_t i = 0; i < sizeof bad_pct / sizeof bad_pct[0]; i++) {
        ff_op *op = it_raw(C, "FCALL", "ff_progress", "1", key, eid, lid, epoch, aid, bad_pct[i], "", NULL);
        it_expect_envelope_error(op, "invalid_input");
        ff_op_free(op);
    }
    static const char *const bad_rand[] = {"nan", "-0.5", "1.5", "inf", "x"};
    for (size_t i = 0; i < sizeof bad_rand / sizeof bad_rand[0]; i++) {
        ff_op *op = it_raw(C, "FCALL", "ff_fail", "1", key, eid, lid, epoch, aid, "r", "c", bad_rand[i], NULL);
        it_expect_envelope_error(op, "invalid_input");
        ff_op_free(op);
    }
    static const char *const bad_delay[] = {"-1", "abc", "1.5"};
    for (size_t i = 0; i < sizeof bad_delay / sizeof bad_delay[0]; i++) {
        ff_op *op = it_raw(C, "FCALL", "ff_delay", "1", key, eid, lid, epoch, aid, bad_delay[i], NULL);
        it_expect_envelope_error(op, "invalid_input");
        ff_op_free(op);
    }
    /* unknown cancel source */
    ff_op *op = it_raw(C, "FCALL", "ff_cancel", "1", key, eid, "r", "someone", lid, epoch, aid, NULL);
    it_expect_envelope_error(op, "invalid_input");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), n);
    d = it_describe(C, eid);
    FFT_EQ_STR(ff_op_json(d), before);
    ff_op_free(d);
    free(before);
    it_state(C, eid, "active", ST_RUNNING);
    ff_claim_free(cl);
}

static void test_raw_claim_numbers(void)
{
    char lane[64], key[160], eid[IT_EID];
    it_lane(lane, sizeof lane, "va-claimnum");
    it_create(C, lane, 0, eid);
    uint32_t part = ff__lane_partition(lane, 0, ff_client_partitions(C));
    snprintf(key, sizeof key, "ff:i:{fp:%u}:%s:eligible", (unsigned)part, lane);
    const char *u1 = "00000000-0000-4000-8000-000000000020", *u2 = "00000000-0000-4000-8000-000000000021";
    int64_t n = it_dbsize(C);
    static const char *const bad_ttl[] = {"0", "-5", "x", "86400001"};
    for (size_t i = 0; i < sizeof bad_ttl / sizeof bad_ttl[0]; i++) {
        ff_op *op = it_raw(C, "FCALL", "ff_claim", "1", key, lane, "w", "wi", "", bad_ttl[i], "1", u1, u2, NULL);
        it_expect_envelope_error(op, "invalid_input");
        ff_op_free(op);
    }
    static const char *const bad_count[] = {"0", "257", "-1", "x"};
    for (size_t i = 0; i < sizeof bad_count / sizeof bad_count[0]; i++) {
        ff_op *op = it_raw(C, "FCALL", "ff_claim", "1", key, lane, "w", "wi", "", "30000", bad_count[i], u1, u2, NULL);
        it_expect_envelope_error(op, "invalid_input");
        ff_op_free(op);
    }
    /* max_count disagrees with the number of id pairs */
    ff_op *op = it_raw(C, "FCALL", "ff_claim", "1", key, lane, "w", "wi", "", "30000", "2", u1, u2, NULL);
    it_expect_envelope_error(op, "invalid_input");
    ff_op_free(op);
    /* ids must be uuids */
    op = it_raw(C, "FCALL", "ff_claim", "1", key, lane, "w", "wi", "", "30000", "1", "x", u2, NULL);
    it_expect_envelope_error(op, "invalid_input");
    ff_op_free(op);
    /* KEYS[1] must be the lane's eligible index */
    op = it_raw(C, "FCALL", "ff_claim", "1", "ff:i:{fp:1}:other:eligible", lane, "w", "wi", "", "30000", "1", u1, u2,
                NULL);
    it_expect_envelope_error(op, "invalid_input");
    ff_op_free(op);
    FFT_EQ_INT(it_dbsize(C), n);
    it_state(C, eid, "waiting", ST_WAITING_FIRST);
}

/* ------------------------------------------------------------ long text */

static void test_long_texts(void)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "va-text");
    it_create(C, lane, 0, eid);
    ff_claim *cl = it_claim_expect(C, lane, eid);
    static char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    int64_t n = it_dbsize(C);
    ff_op *op = NULL;
    big[1025] = '\0';
    FFT_EQ_STATUS(ff_lease_progress(C, cl, 1, big, NULL, NULL, &op), FF_EINVAL);
    big[1025] = 'x';
    big[4097] = '\0';
    FFT_EQ_STATUS(ff_lease_fail(C, cl, big, NULL, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_lease_cancel(C, cl, big, NULL, NULL, &op), FF_EINVAL);
    FFT_EQ_STATUS(ff_execution_cancel(C, eid, big, NULL, NULL, &op), FF_EINVAL);
    big[4097] = 'x';
    big[129] = '\0';
    FFT_EQ_STATUS(ff_lease_fail(C, cl, "r", big, NULL, NULL, &op), FF_EINVAL);
    FFT_CHECK(op == NULL);
    FFT_EQ_INT(it_dbsize(C), n);
    it_state(C, eid, "active", ST_RUNNING);
    ff_claim_free(cl);
}

int main(void)
{
    IT_RUN(test_malformed_ids);
    IT_RUN(test_raw_malformed_ids);
    IT_RUN(test_execution_id_on_foreign_partition);
    IT_RUN(test_lane_control_chars);
    IT_RUN(test_lane_too_long);
    IT_RUN(test_namespace_and_kind);
    IT_RUN(test_oversized_payload);
    IT_RUN(test_policy_malformed_json);
    IT_RUN(test_bad_capability_tokens);
    IT_RUN(test_bad_worker_capabilities_raw);
    IT_RUN(test_invalid_tag_key);
    IT_RUN(test_negative_and_nan_numbers_api);
    IT_RUN(test_raw_create_numbers);
    IT_RUN(test_raw_lease_call_numbers);
    IT_RUN(test_raw_claim_numbers);
    IT_RUN(test_long_texts);
    IT_RUN(test_policy_bad_shape);
    return it_summary("test_validation");
}
