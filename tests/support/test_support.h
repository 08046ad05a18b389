/*
 * Tiny test support for the C unit and integration tests (no framework).
 *
 * Every test is its own executable registered with ctest: exit 0 = pass,
 * anything else = fail, 77 = skipped (FFT_SKIP). A failing check prints
 * "file:line: message" to stderr and exits 1 immediately.
 *
 * SERVER (integration tests)
 *   ctest starts ONE private redis-server per build tree through a fixture
 *   (tests/support/redis-test-server.sh start <build>/test-server) and runs the
 *   integration tests one at a time against it. The URL is found like this:
 *     1. $FF_TEST_URL if set (point the tests at a server of your own; the
 *        stop/kill/restart helpers are then unavailable, see fft_server_managed);
 *     2. else the first line of the file $FF_TEST_URL_FILE (ctest sets it to
 *        <server dir>/url);
 *     3. else <server dir>/url, where <server dir> is $FF_TEST_SERVER_DIR or the
 *        build tree's test-server directory compiled in (so a test binary run
 *        by hand works while the fixture's server is up, or after
 *        `tests/support/redis-test-server.sh start build/test-server`).
 *   The server is shared: use fft_unique_name() for lanes / namespaces / keys
 *   so tests never see each other's data, or FLUSHALL through ff_client_command.
 */
#ifndef FF_TEST_SUPPORT_H
#define FF_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include <flowfabric.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ assertions */

/** Fail unless cond is true. */
#define FFT_CHECK(cond) \
    do { if (!(cond)) fft__fail(__FILE__, __LINE__, "check failed: %s", #cond); } while (0)
/** Fail unless cond is true, with a printf-style message. */
#define FFT_CHECK_MSG(cond, ...) \
    do { if (!(cond)) fft__fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)
/** Integers compared as long long; both sides evaluated once. */
#define FFT_EQ_INT(actual, expected) \
    fft__eq_int(__FILE__, __LINE__, #actual, (long long)(actual), (long long)(expected))
/** C strings compared with strcmp; NULL equals only NULL. */
#define FFT_EQ_STR(actual, expected) \
    fft__eq_str(__FILE__, __LINE__, #actual, (actual), (expected))
/** Byte ranges: equal length and content. */
#define FFT_EQ_MEM(actual, actual_len, expected, expected_len) \
    fft__eq_mem(__FILE__, __LINE__, #actual, (actual), (actual_len), (expected), (expected_len))
/** A status code, printed by name: FFT_EQ_STATUS(rc, FF_STALE_LEASE). */
#define FFT_EQ_STATUS(actual, expected) \
    fft__eq_status(__FILE__, __LINE__, #actual, (int)(actual), (int)(expected))
/** Shorthand for FFT_EQ_STATUS(expr, FF_OK). */
#define FFT_OK(expr) FFT_EQ_STATUS(expr, FF_OK)
/** Unconditional failure with a printf-style message. */
#define FFT_FAIL(...) fft__fail(__FILE__, __LINE__, __VA_ARGS__)
/** Mark the test skipped (exit 77, ctest SKIP_RETURN_CODE) with a reason. */
#define FFT_SKIP(...) fft__skip(__FILE__, __LINE__, __VA_ARGS__)

/* -------------------------------------------------------- test server */

/** URL of the test server ("redis://127.0.0.1:PORT"); see the top of this
 *  file. Never NULL: exits with a hint when no server is configured. The
 *  string is owned by the support code and stays valid. */
const char *fft_server_url(void);
/** "unix:///.../redis.sock" of the managed server, or NULL when it has no
 *  unix socket (path too long) or the server is not managed. */
const char *fft_server_unix_url(void);
/** TCP port of the server from its URL (exits when the URL has none). */
int fft_server_port(void);
/** Directory of the managed server (data, log, url files). */
const char *fft_server_dir(void);
/** Path of the redis-server binary the managed server runs. */
const char *fft_redis_server_bin(void);
/** 1 when the server is the fixture-managed one (stop/kill/restart work);
 *  0 when FF_TEST_URL points elsewhere. Tests that restart the server should
 *  FFT_SKIP when this is 0. */
int fft_server_managed(void);
/** Graceful shutdown (SIGTERM; AOF flushed). The port and data are kept. */
void fft_server_stop(void);
/** SIGKILL the server (crash simulation). Writes of the last second may be
 *  lost unless the test set appendfsync always. */
void fft_server_kill(void);
/** Stop if running, then start again on the SAME port and directory with the
 *  same data; returns once the server answers PING. Every helper here fails
 *  the test when the server script fails. */
void fft_server_restart(void);

/* ------------------------------------------------------------ clients */

/** Connected client for fft_server_url() (fails the test with the client's
 *  error text otherwise). Free with ff_client_free(). */
ff_client *fft_client_new(void);
/** Same with the caller's options; the URL is set to fft_server_url() (use
 *  ff_client_new directly to connect elsewhere). opts stay owned by the caller. */
ff_client *fft_client_new_opts(ff_client_opts *opts);

/* ------------------------------------------------------------ helpers */

/** Unique name for this run ("<prefix>-<pid>-<n>-<random>"), written to buf. */
void fft_unique_name(char *buf, size_t len, const char *prefix);
/** Monotonic milliseconds. */
int64_t fft_now_ms(void);
void fft_sleep_ms(int64_t ms);

/* ------------------------------------------------------ implementation */
#if defined(__GNUC__)
#define FFT__NORETURN __attribute__((noreturn))
#define FFT__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define FFT__NORETURN
#define FFT__PRINTF(f, a)
#endif
FFT__NORETURN FFT__PRINTF(3, 4) void fft__fail(const char *file, int line, const char *fmt, ...);
FFT__NORETURN FFT__PRINTF(3, 4) void fft__skip(const char *file, int line, const char *fmt, ...);
void fft__eq_int(const char *file, int line, const char *expr, long long actual, long long expected);
void fft__eq_str(const char *file, int line, const char *expr, const char *actual, const char *expected);
void fft__eq_mem(const char *file, int line, const char *expr, const void *actual, size_t actual_len,
                 const void *expected, size_t expected_len);
void fft__eq_status(const char *file, int line, const char *expr, int actual, int expected);

#ifdef __cplusplus
}
#endif

#endif
