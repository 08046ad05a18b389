/* ff_error_detail: the thread-local sentence of the last failure. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "flowfabric.h"
#include "test_support.h"

static void *other_thread(void *arg) {
    (void)arg;
    /* Nothing failed on this thread: no detail, whatever happened elsewhere. */
    return (void *)(strcmp(ff_error_detail(FF_EINVAL), "") == 0 ? (void *)1 : NULL);
}

int main(void) {
    FFT_EQ_INT(ff__fail(FF_EINVAL, "lane: %s", "bad"), FF_EINVAL);
    FFT_EQ_STR(ff_error_detail(FF_EINVAL), "lane: bad");
    /* another status than the recorded one: nothing stale is shown */
    FFT_EQ_STR(ff_error_detail(FF_ENOMEM), "");
    FFT_EQ_STR(ff_error_detail(FF_OK), "");
    pthread_t th;
    void *res = NULL;
    pthread_create(&th, NULL, other_thread, NULL);
    pthread_join(th, &res);
    FFT_CHECK(res != NULL);

    char q[80];
    FFT_EQ_STR(ff__quote("garbage", q, sizeof q), "'garbage'");
    FFT_EQ_STR(ff__quote(NULL, q, sizeof q), "<NULL>");
    FFT_EQ_STR(ff__quote("a\nb", q, sizeof q), "'a\\x0ab'");
    char longs[200];
    memset(longs, 'x', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    FFT_CHECK(strstr(ff__quote(longs, q, sizeof q), "...'") != NULL);

    /* A public call that fails records its sentence. */
    ff_op *op = NULL;
    int st = ff_execution_describe((ff_client *)1, "garbage", NULL, NULL, &op);
    FFT_EQ_INT(st, FF_EINVAL);
    FFT_EQ_STR(ff_error_detail(st), "not an execution id (expected {fp:N}:<uuid>): 'garbage'");
    printf("test_error_detail: all checks passed\n");
    return 0;
}
