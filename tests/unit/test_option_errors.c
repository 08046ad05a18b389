/* Every option setter that refuses a value says why (ff_error_detail), and a
 * refused value leaves the option as it was. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flowfabric.h"
#include "test_support.h"

/* The call fails with FF_EINVAL and its sentence contains @p needle. */
#define EXPECT_REFUSED(call, needle)                                                      \
    do {                                                                                  \
        int st_ = (call);                                                                 \
        FFT_EQ_STATUS(st_, FF_EINVAL);                                                    \
        FFT_CHECK_MSG(strstr(ff_error_detail(st_), (needle)) != NULL, "%s: detail '%s'", #call, \
                      ff_error_detail(st_));                                              \
    } while (0)

int main(void) {
    ff_engine_opts *eo = NULL;
    FFT_OK(ff_engine_opts_new(&eo));
    EXPECT_REFUSED(ff_engine_opts_set_tick_ms(eo, 0), "engine tick ms 0 out of range (expected 1..60000)");
    EXPECT_REFUSED(ff_engine_opts_set_tick_ms(eo, 60001), "expected 1..60000");
    EXPECT_REFUSED(ff_engine_opts_set_batch(eo, 1001), "engine batch 1001 out of range (expected 1..1000)");
    EXPECT_REFUSED(ff_engine_opts_set_retention_ms(eo, -1), "engine retention ms -1 out of range");
    EXPECT_REFUSED(ff_engine_opts_set_ownership_ttl_ms(eo, 99), "expected 100..600000");
    EXPECT_REFUSED(ff_engine_opts_set_engine_id(eo, ""), "engine id: expected 1..");
    EXPECT_REFUSED(ff_engine_opts_set_engine_id(eo, "a b"), "byte 0x20 at offset 1");
    EXPECT_REFUSED(ff_engine_opts_set_engine_id(eo, NULL), "engine id is NULL");
    EXPECT_REFUSED(ff_engine_opts_set_tick_ms(NULL, 5), "engine options is NULL");
    FFT_OK(ff_engine_opts_set_tick_ms(eo, 5));

    ff_client_opts *co = NULL;
    FFT_OK(ff_client_opts_new(&co));
    EXPECT_REFUSED(ff_client_opts_set_timeout_ms(co, 0), "timeout ms 0 out of range");
    EXPECT_REFUSED(ff_client_opts_set_connect_timeout_ms(co, -5), "connect timeout ms -5 out of range");
    EXPECT_REFUSED(ff_client_opts_set_max_payload_bytes(co, 0), "max payload bytes 0 out of range");
    EXPECT_REFUSED(ff_client_opts_set_partitions(co, 16385), "partitions 16385 out of range (expected 0..16384)");
    EXPECT_REFUSED(ff_client_opts_set_hmac_secret(co, "abc"), "32..1024 (got 3)");
    /* the shape is named, never the secret */
    int st = ff_client_opts_set_hmac_secret(co, "0123456789abcdef0123456789abcdefzz");
    FFT_EQ_STATUS(st, FF_EINVAL);
    FFT_CHECK(strstr(ff_error_detail(st), "offset 32") != NULL);
    FFT_CHECK(strstr(ff_error_detail(st), "0123456789") == NULL);
    EXPECT_REFUSED(ff_client_opts_set_url(NULL, "redis://x"), "client options is NULL");

    ff_worker_opts *wo = NULL;
    FFT_OK(ff_worker_opts_new(&wo));
    EXPECT_REFUSED(ff_worker_opts_set_concurrency(wo, 0), "worker concurrency 0 out of range (expected 1..4096)");
    EXPECT_REFUSED(ff_worker_opts_set_poll_ms(wo, 99), "worker poll ms 99 out of range");
    EXPECT_REFUSED(ff_worker_opts_set_lease_ttl_ms(wo, 10), "lease ttl ms 10 out of range");
    EXPECT_REFUSED(ff_worker_opts_set_engine_opts(wo, NULL), "engine options is NULL");
    EXPECT_REFUSED(ff_worker_opts_set_concurrency(NULL, 1), "worker options is NULL");
    EXPECT_REFUSED(ff_worker_new(NULL, NULL, wo), "worker out is NULL");

    ff_op *op = NULL;
    EXPECT_REFUSED(ff_client_next(NULL, &op), "ff_client_next: client is NULL");
    ff_task *task = NULL;
    EXPECT_REFUSED(ff_worker_next_task(NULL, &task, 0), "ff_worker_next_task: worker is NULL");

    ff_worker_opts_free(wo);
    ff_client_opts_free(co);
    ff_engine_opts_free(eo);
    printf("test_option_errors: all checks passed\n");
    return 0;
}
