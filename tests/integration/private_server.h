/*
 * A redis-server of a test's own, for tests that change what the shared
 * fixture server must keep (its password, its ACL users, its bind address).
 * Started with tests/support/redis-test-server.sh in a fresh temp dir, and
 * stopped (by the pid the script recorded) when the process exits, even when
 * a check fails. At most one per process: start it inside the test (the
 * IT_RUN child), so a failing test leaves no server behind for the next.
 */
#ifndef FF_PRIVATE_SERVER_H
#define FF_PRIVATE_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

typedef struct it_private {
    char dir[128];
    char url[128];      /* redis://127.0.0.1:PORT */
    char unix_url[256]; /* unix:///DIR/redis.sock ("" when the path is too long) */
    int port;
} it_private;

static it_private it__priv;

static inline const char *it__script(void)
{
    const char *s = getenv("FF_TEST_SERVER_SCRIPT");
    if (s == NULL || s[0] == '\0') FFT_SKIP("FF_TEST_SERVER_SCRIPT not set (run through ctest)");
    return s;
}

static inline void it__private_stop(void)
{
    if (it__priv.dir[0] == '\0') return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "bash '%s' stop '%s' >/dev/null 2>&1; rm -rf '%s'", it__script(), it__priv.dir,
             it__priv.dir);
    if (system(cmd) != 0) fprintf(stderr, "private server in %s: stop failed\n", it__priv.dir);
    it__priv.dir[0] = '\0';
}

static inline void it__read_line(const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL) return;
    if (fgets(out, (int)cap, f) == NULL) out[0] = '\0';
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
}

/* Start the process's private server; returns it. */
static inline const it_private *it_private_start(void)
{
    FFT_CHECK_MSG(it__priv.dir[0] == '\0', "one private server per process");
    snprintf(it__priv.dir, sizeof it__priv.dir, "/tmp/ff-priv-XXXXXX");
    FFT_CHECK(mkdtemp(it__priv.dir) != NULL);
    atexit(it__private_stop);
    char cmd[512], path[256];
    snprintf(cmd, sizeof cmd, "bash '%s' start '%s' >/dev/null", it__script(), it__priv.dir);
    FFT_CHECK_MSG(system(cmd) == 0, "could not start a private redis-server in %s", it__priv.dir);
    snprintf(path, sizeof path, "%s/url", it__priv.dir);
    it__read_line(path, it__priv.url, sizeof it__priv.url);
    snprintf(path, sizeof path, "%s/unix_url", it__priv.dir);
    it__read_line(path, it__priv.unix_url, sizeof it__priv.unix_url);
    const char *colon = strrchr(it__priv.url, ':');
    FFT_CHECK(colon != NULL);
    it__priv.port = atoi(colon + 1);
    return &it__priv;
}

/* A client for @p url, or NULL with *rc and err set (no check fails). */
static inline ff_client *it_connect(const char *url, int64_t timeout_ms, int *rc, char *err, size_t errlen)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_url(o, url));
    FFT_OK(ff_client_opts_set_connect_timeout_ms(o, 30000));
    if (timeout_ms > 0) FFT_OK(ff_client_opts_set_timeout_ms(o, timeout_ms));
    ff_client *c = (ff_client *)0x1;
    *rc = ff_client_new(&c, o, err, errlen);
    ff_client_opts_free(o);
    if (*rc != FF_OK) {
        FFT_CHECK(c == NULL);
        return NULL;
    }
    return c;
}

/* The same, failing the test when it cannot connect. */
static inline ff_client *it_connect_ok(const char *url, int64_t timeout_ms)
{
    int rc;
    char err[512] = "";
    ff_client *c = it_connect(url, timeout_ms, &rc, err, sizeof err);
    FFT_CHECK_MSG(c != NULL, "%s: %s (%s)", url, ff_status_name(rc), err);
    return c;
}

/* A TCP socket bound to a free loopback port (*port), listening (but never
 * accepting: a server that never answers) when @p listening. */
static inline int it_loopback_socket(int listening, int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    FFT_CHECK(fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    FFT_CHECK(bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
    if (listening) FFT_CHECK(listen(fd, 16) == 0);
    socklen_t sl = sizeof sa;
    FFT_CHECK(getsockname(fd, (struct sockaddr *)&sa, &sl) == 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

/* A loopback TCP port where nothing listens (bound, never listened, closed):
 * connections to it are refused. */
static inline int it_dead_port(void)
{
    int port = 0;
    close(it_loopback_socket(0, &port));
    return port;
}

#endif
