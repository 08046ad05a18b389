/* Server URL parsing (src/client/url.c): every accepted form maps onto the
 * right host / port / socket / credentials / db, and every malformed URL is
 * refused by ff_client_new with FF_EINVAL and a sentence naming the part,
 * before anything connects (no server needed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"
#include "flowfabric.h"
#include "test_support.h"

typedef struct want {
    const char *host, *unix_path, *user, *password;
    int port, db;
    const char *shown;
} want;

static void check_ok(const char *url, want w) {
    ff_client c;
    memset(&c, 0, sizeof c);
    char err[256] = "";
    int st = ff__parse_url(&c, url, err, sizeof err);
    FFT_CHECK_MSG(st == FF_OK, "%s: %s (%s)", url, ff_status_name(st), err);
    FFT_EQ_STR(c.host, w.host);
    FFT_EQ_STR(c.unix_path, w.unix_path);
    FFT_EQ_STR(c.user, w.user);
    FFT_EQ_STR(c.password, w.password);
    if (w.host) FFT_EQ_INT(c.port, w.port);
    FFT_EQ_INT(c.db, w.db);
    FFT_EQ_STR(c.url, w.shown ? w.shown : url);
    free(c.url);
    free(c.host);
    free(c.unix_path);
    free(c.user);
    free(c.password);
}

/* ff_client_new refuses @p url with @p status; the errbuf and
 * ff_error_detail carry the same sentence, which names @p part and never
 * holds @p secret. */
static void check_bad(const char *url, int status, const char *part, const char *secret) {
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, url));
    ff_client *c = (ff_client *)0x1;
    char err[512] = "";
    int st = ff_client_new(&c, o, err, sizeof err);
    ff_client_opts_free(o);
    FFT_CHECK_MSG(st == status, "%s: %s, expected %s (%s)", url, ff_status_name(st), ff_status_name(status), err);
    FFT_CHECK(c == NULL);
    FFT_CHECK_MSG(strstr(err, part) != NULL, "%s: message does not name '%s': %s", url, part, err);
    FFT_EQ_STR(ff_error_detail(status), err);
    if (secret) FFT_CHECK_MSG(strstr(err, secret) == NULL, "%s: message shows the password: %s", url, err);
}

int main(void) {
    check_ok("redis://127.0.0.1:6380", (want){.host = "127.0.0.1", .port = 6380});
    check_ok("redis://example.com", (want){.host = "example.com", .port = 6379});
    check_ok("redis://", (want){.host = "127.0.0.1", .port = 6379});
    check_ok("redis://h:7/3", (want){.host = "h", .port = 7, .db = 3});
    check_ok("redis://h:7/", (want){.host = "h", .port = 7});
    /* IPv6 literals: the brackets are URL syntax, not part of the address */
    check_ok("redis://[::1]:6379", (want){.host = "::1", .port = 6379});
    check_ok("redis://u:pw@[2001:db8::7]:1/2",
             (want){.host = "2001:db8::7", .port = 1, .db = 2, .user = "u", .password = "pw",
                    .shown = "redis://u:***@[2001:db8::7]:1/2"});
    /* credentials: ACL user, legacy forms, percent-escapes */
    check_ok("redis://alice:s3cr%3At%40%2Fpw@h:1",
             (want){.host = "h", .port = 1, .user = "alice", .password = "s3cr:t@/pw",
                    .shown = "redis://alice:***@h:1"});
    check_ok("redis://:Pw@h:2", (want){.host = "h", .port = 2, .password = "Pw", .shown = "redis://:***@h:2"});
    check_ok("redis://Pw@h:2", (want){.host = "h", .port = 2, .password = "Pw", .shown = "redis://***@h:2"});
    check_ok("redis://%61lice:p%25@h", (want){.host = "h", .port = 6379, .user = "alice", .password = "p%",
                                             .shown = "redis://%61lice:***@h"});
    /* unix sockets */
    check_ok("unix:///tmp/x.sock", (want){.unix_path = "/tmp/x.sock"});
    check_ok("unix:///tmp/x.sock?db=4", (want){.unix_path = "/tmp/x.sock", .db = 4});
    check_ok("unix:///tmp/my%20dir/x.sock", (want){.unix_path = "/tmp/my dir/x.sock"});

    /* bad percent-escapes, each named by its part; the password never shown */
    check_bad("redis://:%-1@127.0.0.1:1", FF_EINVAL, "password", "%-1");
    check_bad("redis://:% 1@127.0.0.1:1", FF_EINVAL, "password", "% 1");
    check_bad("redis://:ab%00cd@127.0.0.1:1", FF_EINVAL, "password", "ab%00cd");
    check_bad("redis://u:ab%00cd@127.0.0.1:1", FF_EINVAL, "password", "ab%00cd");
    check_bad("redis://al%zzce:pw@127.0.0.1:1", FF_EINVAL, "user name", NULL);
    check_bad("redis://al%00ce:pw@127.0.0.1:1", FF_EINVAL, "user name", NULL);
    check_bad("redis://ho%2st:1", FF_EINVAL, "host", NULL);
    check_bad("unix:///tmp/a%0", FF_EINVAL, "path", NULL);
    check_bad("unix:///tmp/a%00b", FF_EINVAL, "path", NULL);
    /* other malformed parts */
    check_bad("redis://127.0.0.1:70000", FF_EINVAL, "port", NULL);
    check_bad("redis://127.0.0.1:0", FF_EINVAL, "port", NULL);
    check_bad("redis://127.0.0.1:6x", FF_EINVAL, "port", NULL);
    check_bad("redis://127.0.0.1:", FF_EINVAL, "port", NULL);
    check_bad("redis://127.0.0.1:1/db", FF_EINVAL, "path", NULL);
    check_bad("redis://127.0.0.1:1/1/2", FF_EINVAL, "path", NULL);
    check_bad("redis://127.0.0.1:1?x=1", FF_EINVAL, "query", NULL);
    check_bad("redis://[::1:1", FF_EINVAL, "host", NULL);
    check_bad("unix://relative.sock", FF_EINVAL, "absolute path", NULL);
    check_bad("unix:///tmp/x.sock?db=x", FF_EINVAL, "database", NULL);
    check_bad("unix:///tmp/x.sock?foo=1", FF_EINVAL, "query", NULL);
    check_bad("http://localhost:1", FF_EINVAL, "unsupported URL", NULL);
    check_bad("nonsense", FF_EINVAL, "unsupported URL", NULL);
    check_bad("rediss://127.0.0.1:1", FF_EUNSUPPORTED, "TLS", NULL);
    printf("test_url_parse: all checks passed\n");
    return 0;
}
