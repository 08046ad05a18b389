/* Test support pieces that call libflowfabric (kept apart from
 * test_support.c so a test that does not use them needs no client code). */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>

void fft__eq_status(const char *file, int line, const char *expr, int actual, int expected)
{
    if (actual != expected)
        fft__fail(file, line, "%s == %s (%d: %s), expected %s (%d)", expr, ff_status_name(actual), actual,
                  ff_strerror(actual), ff_status_name(expected), expected);
}

ff_client *fft_client_new_opts(ff_client_opts *opts)
{
    ff_client *c = NULL;
    char err[512] = "";
    int rc;

    FFT_OK(ff_client_opts_set_url(opts, fft_server_url()));
    rc = ff_client_new(&c, opts, err, sizeof err);
    if (rc != FF_OK || c == NULL)
        fft__fail(__FILE__, __LINE__, "ff_client_new(%s) = %s: %s", fft_server_url(), ff_status_name(rc), err);
    return c;
}

ff_client *fft_client_new(void)
{
    ff_client_opts *opts = NULL;
    ff_client *c;

    FFT_OK(ff_client_opts_new(&opts));
    c = fft_client_new_opts(opts);
    ff_client_opts_free(opts);
    return c;
}
