/* ff_url_redact: passwords never reach a log line. */
#include <stdio.h>
#include <string.h>

#include "flowfabric.h"
#include "test_support.h"

static void check(const char *in, const char *want) {
    char out[256];
    FFT_EQ_INT(ff_url_redact(in, out, sizeof out), FF_OK);
    FFT_EQ_STR(out, want);
}

int main(void) {
    check("redis://:Pw@127.0.0.1:6379", "redis://:***@127.0.0.1:6379");
    check("redis://alice:s3cr%40t@host:1/2", "redis://alice:***@host:1/2");
    check("redis://legacy@host", "redis://***@host");
    check("redis://host:6379/0", "redis://host:6379/0");
    check("redis://[::1]:6379", "redis://[::1]:6379");
    check("unix:///tmp/x.sock?db=1", "unix:///tmp/x.sock?db=1");
    check("redis://u:p@w@host", "redis://u:***@host");  /* the last '@' ends the userinfo */
    char small[8];
    FFT_EQ_INT(ff_url_redact("redis://:Pw@127.0.0.1:6379", small, sizeof small), FF_ETOOBIG);
    FFT_CHECK(strstr(small, "Pw") == NULL);
    FFT_EQ_INT(ff_url_redact(NULL, small, sizeof small), FF_EINVAL);
    printf("test_url_redact: all checks passed\n");
    return 0;
}
