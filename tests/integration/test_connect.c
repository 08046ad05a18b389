/*
 * Reaching the server: a first connect to an address where nothing listens
 * fails at once with the errno text and the address (not after the connect
 * timeout); IPv6 literals and unix sockets work for the command connection
 * and for the worker's wake-up subscriber alike.
 */
#define _GNU_SOURCE /* memmem */
#include <sys/socket.h>

#include "itest.h"
#include "private_server.h"

/* ff_client_new(@p url) fails with FF_EIO and exactly @p want as its
 * sentence (errbuf and ff_error_detail). The connect timeout is an hour:
 * the errno sentence (not "could not connect within ...") shows the
 * failure was taken at once rather than waited out. */
static void expect_fast_failure(const char *url, const char *want)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, url));
    FFT_OK(ff_client_opts_set_connect_timeout_ms(o, 3600 * 1000));
    ff_client *c = (ff_client *)0x1;
    char err[512] = "";
    int st = ff_client_new(&c, o, err, sizeof err);
    ff_client_opts_free(o);
    FFT_CHECK(c == NULL);
    FFT_CHECK_MSG(st == FF_EIO, "%s: %s (%s), expected FF_EIO", url, ff_status_name(st), err);
    FFT_EQ_STR(err, want);
    FFT_EQ_STR(ff_error_detail(FF_EIO), want);
}

static void test_connection_refused(void)
{
    int port = it_dead_port();
    char url[128], want[128];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", port);
    snprintf(want, sizeof want, "connection refused (127.0.0.1:%d)", port);
    expect_fast_failure(url, want);
    snprintf(url, sizeof url, "redis://[::1]:%d", port);
    snprintf(want, sizeof want, "connection refused ([::1]:%d)", port);
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd >= 0) { /* only where the machine has IPv6 */
        close(fd);
        expect_fast_failure(url, want);
    }
}

static void test_no_such_socket(void)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ff-nosock-XXXXXX");
    FFT_CHECK(mkdtemp(dir) != NULL);
    char url[128], want[160];
    snprintf(url, sizeof url, "unix://%s/redis.sock", dir);
    snprintf(want, sizeof want, "no such file or directory (%s/redis.sock)", dir);
    expect_fast_failure(url, want);
    rmdir(dir);
}

static void complete_task(ff_task *t, void *ud)
{
    (void)ud;
    ff_task_complete(t, "done", 4, NULL, NULL, NULL);
}

/* The wake-up subscriber of a worker on @p c connects like the command
 * connection: CLIENT LIST shows a pub/sub client from @p addr_prefix, and a
 * submitted execution is claimed and completed. */
static void check_worker_subscriber(ff_client *c, ff_client *admin, const char *addr_prefix)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "conn-sub");
    ff_worker_opts *o = NULL;
    FFT_OK(ff_worker_opts_new(&o));
    FFT_OK(ff_worker_opts_add_lane(o, lane));
    FFT_OK(ff_worker_opts_set_engine(o, 0));
    FFT_OK(ff_worker_opts_set_poll_ms(o, 60000)); /* only a wake-up claims soon */
    ff_worker *w = NULL;
    FFT_OK(ff_worker_new(&w, c, o));
    ff_worker_opts_free(o);
    FFT_OK(ff_worker_on(w, NULL, complete_task, NULL));
    FFT_OK(ff_worker_start(w));
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    char needle[160];
    snprintf(needle, sizeof needle, "addr=%s", addr_prefix);
    for (;;) {
        ff_op *op = it_raw(admin, "CLIENT", "LIST", "TYPE", "pubsub", NULL);
        FFT_OK(ff_op_status(op));
        size_t len = 0;
        const char *list = ff_op_bytes(op, &len);
        int found = list && memmem(list, len, needle, strlen(needle)) != NULL;
        ff_op_free(op);
        if (found) break;
        FFT_CHECK_MSG(fft_now_ms() < until, "no pub/sub connection from %s", addr_prefix);
        fft_sleep_ms(20);
    }
    it_create(c, lane, 0, eid);
    FFT_OK(ff_worker_run(w, 1, IT_WAIT_MS / 2));
    it_state(c, eid, "completed", ST_COMPLETED);
    ff_worker_free(w);
}

static void test_ipv6(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd < 0) FFT_SKIP("no IPv6 on this machine");
    close(fd);
    const it_private *s = it_private_start();
    int rc;
    char err[512], url[128];
    ff_client *admin = it_connect_ok(s->url, 0);
    /* '-': skip the address quietly if the machine cannot bind it */
    ff_op *op = it_raw(admin, "CONFIG", "SET", "bind", "127.0.0.1 -::1", NULL);
    FFT_CHECK_MSG(ff_op_status(op) == FF_OK, "CONFIG SET bind: %s", ff_op_errmsg(op));
    ff_op_free(op);
    snprintf(url, sizeof url, "redis://[::1]:%d", s->port);
    ff_client *c = it_connect(url, 0, &rc, err, sizeof err);
    if (c == NULL && rc == FF_EIO) FFT_SKIP("cannot reach [::1]: %s", err);
    FFT_CHECK_MSG(c != NULL, "%s: %s (%s)", url, ff_status_name(rc), err);
    FFT_EQ_STR(ff_client_url(c), url);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "conn-v6");
    it_create(c, lane, 0, eid);
    ff_op *d = it_describe(admin, eid); /* the same server over IPv4 */
    ff_op_free(d);
    check_worker_subscriber(c, admin, "[::1]:");
    ff_client_free(c);
    ff_client_free(admin);
}

static void test_unix_worker(void)
{
    const it_private *s = it_private_start();
    if (s->unix_url[0] == '\0') FFT_SKIP("no unix socket for the private server (path too long)");
    ff_client *admin = it_connect_ok(s->url, 0);
    ff_client *c = it_connect_ok(s->unix_url, 0);
    check_worker_subscriber(c, admin, "/");
    ff_client_free(c);
    ff_client_free(admin);
}

int main(void)
{
    IT_RUN(test_connection_refused);
    IT_RUN(test_no_such_socket);
    IT_RUN(test_ipv6);
    IT_RUN(test_unix_worker);
    return it_summary(__FILE__);
}
