/* Test support: assertions, the managed test server, small helpers.
 * Nothing here calls libflowfabric (see test_support_ff.c), so tests of a
 * half-built library still link. */
#include "test_support.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef FFT_DEFAULT_SERVER_DIR
#define FFT_DEFAULT_SERVER_DIR "test-server"
#endif
#ifndef FFT_SERVER_SCRIPT
#define FFT_SERVER_SCRIPT "tests/support/redis-test-server.sh"
#endif

/* ------------------------------------------------------------ assertions */

static void vreport(const char *kind, const char *file, int line, const char *fmt, va_list ap)
{
    fflush(stdout);
    fprintf(stderr, "%s:%d: %s", file, line, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void fft__fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("FAIL: ", file, line, fmt, ap);
    va_end(ap);
    exit(1);
}

void fft__skip(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("SKIP: ", file, line, fmt, ap);
    va_end(ap);
    exit(77);
}

void fft__eq_int(const char *file, int line, const char *expr, long long actual, long long expected)
{
    if (actual != expected)
        fft__fail(file, line, "%s == %lld, expected %lld", expr, actual, expected);
}

void fft__eq_str(const char *file, int line, const char *expr, const char *actual, const char *expected)
{
    if (actual == NULL && expected == NULL)
        return;
    if (actual == NULL || expected == NULL || strcmp(actual, expected) != 0) {
        fft__fail(file, line, "%s == %s%s%s, expected %s%s%s", expr, actual ? "\"" : "",
                  actual ? actual : "NULL", actual ? "\"" : "", expected ? "\"" : "",
                  expected ? expected : "NULL", expected ? "\"" : "");
    }
}

static void print_bytes(const char *label, const unsigned char *p, size_t n)
{
    size_t i, shown = n < 64 ? n : 64;
    fprintf(stderr, "  %s (%zu bytes): ", label, n);
    for (i = 0; i < shown; i++)
        fprintf(stderr, (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') ? "%c" : "\\x%02x", p[i]);
    fprintf(stderr, "%s\n", n > shown ? "..." : "");
}

void fft__eq_mem(const char *file, int line, const char *expr, const void *actual, size_t actual_len,
                 const void *expected, size_t expected_len)
{
    if (actual_len == expected_len &&
        (actual_len == 0 || (actual != NULL && expected != NULL && memcmp(actual, expected, actual_len) == 0)))
        return;
    fflush(stdout);
    fprintf(stderr, "%s:%d: FAIL: bytes of %s differ\n", file, line, expr);
    if (actual)
        print_bytes("actual", actual, actual_len);
    else
        fprintf(stderr, "  actual: NULL\n");
    if (expected)
        print_bytes("expected", expected, expected_len);
    exit(1);
}

/* -------------------------------------------------------- test server */

static char g_url[512];
static char g_unix_url[512];
static char g_bin[1024];
static char g_path[1024];

/* First line of a file into buf; 0 on success. */
static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (!fgets(buf, (int)len, f)) {
        fclose(f);
        return -1;
    }
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf[0] ? 0 : -1;
}

int fft_server_managed(void)
{
    const char *u = getenv("FF_TEST_URL");
    return !(u && *u);
}

const char *fft_server_dir(void)
{
    const char *d = getenv("FF_TEST_SERVER_DIR");
    return (d && *d) ? d : FFT_DEFAULT_SERVER_DIR;
}

static const char *dir_file(const char *name)
{
    snprintf(g_path, sizeof g_path, "%s/%s", fft_server_dir(), name);
    return g_path;
}

const char *fft_server_url(void)
{
    const char *u = getenv("FF_TEST_URL");
    const char *file = getenv("FF_TEST_URL_FILE");
    if (u && *u) {
        snprintf(g_url, sizeof g_url, "%s", u);
        return g_url;
    }
    if (!(file && *file))
        file = dir_file("url");
    errno = 0;
    if (read_line(file, g_url, sizeof g_url) != 0) {
        fprintf(stderr,
                "test support: no test server URL in %s (%s).\n"
                "Run the test through ctest (it starts the server), or start one with\n"
                "  tests/support/redis-test-server.sh start %s\n"
                "or set FF_TEST_URL=redis://host:port\n",
                file, strerror(errno ? errno : ENOENT), fft_server_dir());
        exit(1);
    }
    return g_url;
}

const char *fft_server_unix_url(void)
{
    if (!fft_server_managed() || read_line(dir_file("unix_url"), g_unix_url, sizeof g_unix_url) != 0)
        return NULL;
    return g_unix_url;
}

int fft_server_port(void)
{
    const char *url = fft_server_url();
    const char *colon = strrchr(url, ':');
    long port;
    char *end;
    if (!colon || strncmp(url, "unix:", 5) == 0)
        fft__fail(__FILE__, __LINE__, "test server URL %s has no port", url);
    port = strtol(colon + 1, &end, 10);
    if (port <= 0 || port > 65535 || (*end != '\0' && *end != '/'))
        fft__fail(__FILE__, __LINE__, "test server URL %s has no valid port", url);
    return (int)port;
}

const char *fft_redis_server_bin(void)
{
    if (read_line(dir_file("server_bin"), g_bin, sizeof g_bin) != 0)
        snprintf(g_bin, sizeof g_bin, "%s", "redis-server");
    return g_bin;
}

static void run_script(const char *verb, const char *file, int line)
{
    const char *script = getenv("FF_TEST_SERVER_SCRIPT");
    pid_t pid;
    int status = 0;

    if (!fft_server_managed())
        fft__fail(file, line, "server %s: FF_TEST_URL is set, the server is not managed by the tests", verb);
    if (!(script && *script))
        script = FFT_SERVER_SCRIPT;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0)
        fft__fail(file, line, "fork: %s", strerror(errno));
    if (pid == 0) {
        execlp("bash", "bash", script, verb, fft_server_dir(), (char *)NULL);
        fprintf(stderr, "exec bash %s: %s\n", script, strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            fft__fail(file, line, "waitpid: %s", strerror(errno));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fft__fail(file, line, "redis-test-server.sh %s %s failed (status %d)", verb, fft_server_dir(), status);
}

void fft_server_stop(void) { run_script("stop", __FILE__, __LINE__); }
void fft_server_kill(void) { run_script("kill", __FILE__, __LINE__); }
void fft_server_restart(void) { run_script("restart", __FILE__, __LINE__); }

/* ------------------------------------------------------------ helpers */

int64_t fft_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fft_sleep_ms(int64_t ms)
{
    struct timespec ts;
    if (ms <= 0)
        return;
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

void fft_unique_name(char *buf, size_t len, const char *prefix)
{
    static unsigned counter;
    static unsigned salt;
    struct timespec ts;
    if (salt == 0) {
        clock_gettime(CLOCK_REALTIME, &ts);
        salt = (unsigned)(ts.tv_nsec ^ (ts.tv_sec << 10) ^ ((long)getpid() << 16)) | 1u;
    }
    snprintf(buf, len, "%s-%ld-%u-%08x", prefix ? prefix : "t", (long)getpid(), ++counter, salt);
}
