/* ff_client: options, construction/teardown, completion delivery. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/util.h"
#include "client/client_int.h"
#include "core/error.h"
#include "core/validate.h"

#define DEFAULT_TIMEOUT_MS 30000
#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_MAX_PAYLOAD (64ull * 1024 * 1024)
#define DEFAULT_PARTITIONS 256
#define DEFAULT_BLOCKING_CONNECTIONS 8
#define DEFAULT_MAX_FRAME (64u * 1024)
#define MAX_FRAME_LIMIT (1024u * 1024) /* the server library's own cap */

/* ------------------------------------------------------------- options */

int ff_client_opts_new(ff_client_opts **out) {
    if (out == NULL) return FF_EINVAL;
    ff_client_opts *o = calloc(1, sizeof *o);
    if (o == NULL) return FF_ENOMEM;
    o->timeout_ms = DEFAULT_TIMEOUT_MS;
    o->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    o->max_payload = DEFAULT_MAX_PAYLOAD;
    o->partitions = DEFAULT_PARTITIONS;
    o->blocking_connections = DEFAULT_BLOCKING_CONNECTIONS;
    o->max_frame = DEFAULT_MAX_FRAME;
    *out = o;
    return FF_OK;
}

void ff_client_opts_free(ff_client_opts *o) {
    if (o == NULL) return;
    free(o->url);
    free(o->data_dir);
    free(o->hmac_secret);
    free(o);
}

static int replace_str(char **slot, const char *v) {
    char *d = NULL;
    if (v != NULL && v[0] != '\0') {
        d = ff__strdup(v);
        if (d == NULL) return FF_ENOMEM;
    }
    free(*slot);
    *slot = d;
    return FF_OK;
}

int ff_client_opts_set_url(ff_client_opts *o, const char *url) {
    return o ? replace_str(&o->url, url) : ff__check_ptr("client options", o);
}

int ff_client_opts_set_hmac_secret(ff_client_opts *o, const char *hex) {
    int st = o ? ff__check_ptr("hmac secret", hex) : ff__check_ptr("client options", o);
    if (st != FF_OK) return st;
    size_t n = strlen(hex);
    /* the secret itself never goes into an error sentence, only its shape */
    if (n < 32 || n > 1024 || n % 2)
        return ff__fail(FF_EINVAL, "hmac secret: expected an even number of hex digits, 32..1024 (got %zu)", n);
    for (const char *p = hex; *p; p++) {
        char ch = *p;
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return ff__fail(FF_EINVAL, "hmac secret: not a hex digit at offset %zu", (size_t)(p - hex));
    }
    return replace_str(&o->hmac_secret, hex);
}

int ff_client_opts_set_data_dir(ff_client_opts *o, const char *dir) {
    return o ? replace_str(&o->data_dir, dir) : ff__check_ptr("client options", o);
}

int ff_client_opts_set_inline_dispatch(ff_client_opts *o, int32_t on) {
    if (o == NULL) return ff__check_ptr("client options", o);
    o->inline_dispatch = on ? 1 : 0;
    return FF_OK;
}

int ff_client_opts_set_pull(ff_client_opts *o, int32_t on) {
    if (o == NULL) return ff__check_ptr("client options", o);
    o->pull = on ? 1 : 0;
    return FF_OK;
}

int ff_client_opts_set_timeout_ms(ff_client_opts *o, int64_t ms) {
    int st = o ? ff__check_range("timeout ms", ms, 1, 24LL * 3600 * 1000) : ff__check_ptr("client options", o);
    if (st != FF_OK) return st;
    o->timeout_ms = ms;
    return FF_OK;
}

int ff_client_opts_set_connect_timeout_ms(ff_client_opts *o, int64_t ms) {
    int st = o ? ff__check_range("connect timeout ms", ms, 1, 3600LL * 1000) : ff__check_ptr("client options", o);
    if (st != FF_OK) return st;
    o->connect_timeout_ms = ms;
    return FF_OK;
}

int ff_client_opts_set_max_payload_bytes(ff_client_opts *o, uint64_t bytes) {
    /* Redis' default proto-max-bulk-len is 512 MiB; stay below it. */
    int st = o ? FF_OK : ff__check_ptr("client options", o);
    if (st == FF_OK && (bytes == 0 || bytes > 512ull * 1024 * 1024))
        st = ff__fail(FF_EINVAL, "max payload bytes %llu out of range (expected 1..%llu)", (unsigned long long)bytes,
                      512ull * 1024 * 1024);
    if (st != FF_OK) return st;
    o->max_payload = bytes;
    return FF_OK;
}

int ff_client_opts_set_blocking_connections(ff_client_opts *o, uint32_t n) {
    int st = o ? ff__check_range("blocking connections", n, 1, 1024) : ff__check_ptr("client options", o);
    if (st != FF_OK) return st;
    o->blocking_connections = n;
    return FF_OK;
}

int ff_client_opts_set_max_frame_bytes(ff_client_opts *o, uint32_t bytes) {
    int st = o ? ff__check_range("max frame bytes", bytes, 1, MAX_FRAME_LIMIT) : ff__check_ptr("client options", o);
    if (st != FF_OK) return st;
    o->max_frame = bytes;
    return FF_OK;
}

int ff_client_opts_set_partitions(ff_client_opts *o, uint32_t n) {
    int st = o ? ff__check_range("partitions", n, 0, 16384) : ff__check_ptr("client options", o);
    if (st != FF_OK) return st;
    o->partitions = n ? n : DEFAULT_PARTITIONS;
    o->partitions_explicit = n ? 1 : 0;
    return FF_OK;
}

/* -------------------------------------------------------------- client */

static void set_err(char *errbuf, size_t errlen, const char *msg) {
    if (errbuf && errlen) snprintf(errbuf, errlen, "%s", msg);
}

static void client_destroy(ff_client *c);

/* Every failing return of ff_client_new: the sentence goes to the errbuf and
 * to ff_error_detail alike. */
static int fail_new(ff_client *c, int st, char *errbuf, size_t errlen, const char *msg) {
    if (c) client_destroy(c);
    set_err(errbuf, errlen, msg);
    return ff__fail(st, "%s", msg);
}

static void client_destroy(ff_client *c) {
    ff__pull_destroy(c);
    pthread_cond_destroy(&c->pull_cv);
    if (c->pipe_r >= 0) close(c->pipe_r);
    if (c->pipe_w >= 0) close(c->pipe_w);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->ready_cv);
    free(c->url);
    free(c->host);
    free(c->unix_path);
    free(c->user);
    free(c->password);
    free(c->hmac_secret);
    free(c->embedded_dir);
    free(c);
}

static int run_callbacks(ff_client *c, int32_t max);

int ff_client_new(ff_client **out, const ff_client_opts *opts, char *errbuf, size_t errlen) {
    if (out == NULL) return FF_EINVAL;
    *out = NULL;
    ff_client_opts defaults;
    memset(&defaults, 0, sizeof defaults);
    defaults.timeout_ms = DEFAULT_TIMEOUT_MS;
    defaults.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    defaults.max_payload = DEFAULT_MAX_PAYLOAD;
    defaults.partitions = DEFAULT_PARTITIONS;
    defaults.blocking_connections = DEFAULT_BLOCKING_CONNECTIONS;
    defaults.max_frame = DEFAULT_MAX_FRAME;
    if (opts == NULL) opts = &defaults;

    ff_client *c = calloc(1, sizeof *c);
    if (c == NULL) return FF_ENOMEM;
    c->pipe_r = c->pipe_w = -1;
    c->pull_r = c->pull_w = -1;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->ready_cv, NULL);
    pthread_cond_init(&c->pull_cv, NULL);
    c->inline_dispatch = opts->inline_dispatch;
    c->pull = opts->pull;
    c->timeout_ms = opts->timeout_ms;
    c->max_payload = opts->max_payload;
    c->max_frame = opts->max_frame;
    c->blocking_max = opts->blocking_connections;
    c->partitions_wanted = opts->partitions;
    c->partitions_explicit = opts->partitions_explicit;
    c->lane_shards_wanted = 1;
    /* Waitpoint signing secret for partitions that have none yet: given,
     * $FF_HMAC_SECRET, or 32 random bytes (a fresh deployment). */
    const char *sec = opts->hmac_secret;
    if (sec == NULL || sec[0] == '\0') sec = getenv("FF_HMAC_SECRET");
    if (sec && sec[0]) {
        c->hmac_secret = ff__strdup(sec);
    } else {
        char hex[65];
        ff__random_hex(hex, 32);
        c->hmac_secret = ff__strdup(hex);
    }
    const char *envp = getenv("FF_PARTITIONS");
    if (!c->partitions_explicit && envp && *envp) {
        unsigned long n = strtoul(envp, NULL, 10);
        if (n > 0 && n <= 16384) {
            c->partitions_wanted = (uint32_t)n;
            c->partitions_explicit = 1;
        }
    }

    /* Resolve the URL: explicit > FF_URL > embedded private server. */
    char msg[1024];
    const char *url = opts->url;
    if (url == NULL || url[0] == '\0') url = getenv("FF_URL");
    char embedded_url[PATH_MAX * 3 + 32], embedded_dir[PATH_MAX];
    if (url == NULL || url[0] == '\0') {
        int st = ff__embedded_ensure(opts->data_dir, "started", embedded_dir, sizeof embedded_dir, embedded_url,
                                     sizeof embedded_url, msg, sizeof msg);
        if (st != FF_OK) return fail_new(c, st, errbuf, errlen, msg);
        url = embedded_url;
        c->embedded_dir = ff__strdup(embedded_dir);
        if (c->embedded_dir == NULL) return fail_new(c, FF_ENOMEM, errbuf, errlen, "out of memory");
    }
    int st = ff__parse_url(c, url, msg, sizeof msg);
    if (st != FF_OK) return fail_new(c, st, errbuf, errlen, msg);

    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(msg, sizeof msg, "cannot create the completion pipe: %s", strerror(errno));
        return fail_new(c, FF_ESYS, errbuf, errlen, msg);
    }
    c->pipe_r = fds[0];
    c->pipe_w = fds[1];
    for (int i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }

    if (c->pull && ff__pull_init(c) != FF_OK) {
        snprintf(msg, sizeof msg, "cannot create the pull pipe: %s", strerror(errno));
        return fail_new(c, FF_ESYS, errbuf, errlen, msg);
    }

    st = ff__io_start(c);
    if (st != FF_OK) return fail_new(c, st, errbuf, errlen, "could not start the I/O thread");

    /* Wait for the first successful handshake (or a fatal answer). */
    struct timespec ts = ff__realtime_after_ms(opts->connect_timeout_ms);
    pthread_mutex_lock(&c->mu);
    while (c->ready_state == 0) {
        if (pthread_cond_timedwait(&c->ready_cv, &c->mu, &ts) == ETIMEDOUT) break;
    }
    int ready = c->ready_state;
    if (ready == 0) c->ready_state = FF_ETIMEDOUT; /* late successes no longer matter */
    char last[sizeof c->ready_err];
    snprintf(last, sizeof last, "%s", c->ready_err);
    pthread_mutex_unlock(&c->mu);
    if (ready != 1) {
        /* On a timeout, ready_err holds the last transient answer (e.g. the
         * server still loading its data), if there was one. */
        if (ready == 0)
            snprintf(msg, sizeof msg, "could not connect to %s within %lld ms%s%s", c->url,
                     (long long)opts->connect_timeout_ms, last[0] ? ": " : "", last);
        else
            snprintf(msg, sizeof msg, "%s", last);
        ff__io_stop(c);
        run_callbacks(c, 0);
        return fail_new(c, ready == 0 ? FF_EIO : ready, errbuf, errlen, msg);
    }
    *out = c;
    return FF_OK;
}

void ff_client_free(ff_client *c) {
    if (c == NULL) return;
    ff__io_stop(c);
    /* Every op completed (ECANCELED at worst); run the callbacks still queued
     * so each fires exactly once, on this (host) thread. */
    run_callbacks(c, 0);
    client_destroy(c);
}

int ff_client_fd(const ff_client *c) { return c ? c->pipe_r : -1; }

uint32_t ff_client_partitions(const ff_client *c) { return c ? atomic_load(&((ff_client *)c)->partitions) : 0; }

const char *ff_client_url(const ff_client *c) { return c ? c->url : ""; }

int32_t ff_client_connected(const ff_client *c) { return c ? atomic_load(&((ff_client *)c)->connected) : 0; }

uint64_t ff_client_connect_count(const ff_client *c) {
    return c ? atomic_load(&((ff_client *)c)->connect_count) : 0;
}

/* ----------------------------------------------------------- delivery */

void ff__deliver(ff_client *c, ff_op *op) {
    if (op->pulled) {
        /* Pull mode: the caller's reference moves to the queue, and
         * ff_client_next hands it out once. */
        pthread_mutex_lock(&op->mu);
        atomic_store(&op->done, 1);
        pthread_mutex_unlock(&op->mu);
        ff__pull_push(c, op);
        return;
    }
    if (op->cb == NULL) {
        /* Future mode: wake waiters; the caller owns the op. */
        pthread_mutex_lock(&op->mu);
        atomic_store(&op->done, 1);
        pthread_cond_broadcast(&op->cv);
        pthread_mutex_unlock(&op->mu);
        return;
    }
    atomic_store(&op->done, 1);
    if (c->inline_dispatch || op->internal) {
        op->cb(op, op->ud);
        ff__op_unref(op);
        return;
    }
    /* The delivery reference taken at submit moves to the done queue and is
     * released after the callback ran. */
    pthread_mutex_lock(&c->mu);
    int was_empty = c->done_head == NULL;
    op->qnext = NULL;
    if (c->done_tail)
        c->done_tail->qnext = op;
    else
        c->done_head = op;
    c->done_tail = op;
    pthread_mutex_unlock(&c->mu);
    if (was_empty) {
        char b = 1;
        ssize_t w = write(c->pipe_w, &b, 1);
        (void)w; /* a full pipe already signals readability */
    }
}

static int run_callbacks(ff_client *c, int32_t max) {
    char drain[64];
    while (read(c->pipe_r, drain, sizeof drain) > 0) {
    }
    int32_t ran = 0;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        ff_op *op = c->done_head;
        if (op == NULL || (max > 0 && ran >= max)) {
            int more = op != NULL;
            pthread_mutex_unlock(&c->mu);
            if (more) {
                char b = 1;
                ssize_t w = write(c->pipe_w, &b, 1);
                (void)w;
            }
            break;
        }
        c->done_head = op->qnext;
        if (c->done_head == NULL) c->done_tail = NULL;
        pthread_mutex_unlock(&c->mu);
        op->qnext = NULL;
        op->cb(op, op->ud);
        ff__op_unref(op);
        ran++;
    }
    return ran;
}

int32_t ff_client_dispatch(ff_client *c, int32_t max) {
    if (c == NULL) return 0;
    return run_callbacks(c, max);
}

/* ------------------------------------------------------- raw commands */

static int finish_raw(ff_op *op) {
    op->raw = op->replies[0];
    op->replies[0] = NULL;
    if (op->raw && op->raw->type == FF_REPLY_ERROR) {
        ff__op_set_error(op, "%s", op->raw->str);
        return ff__server_error_status(op->raw->str);
    }
    return FF_OK;
}

int ff_client_command(ff_client *c, int32_t argc, const char *const *argv, const size_t *argvlen, ff_op_cb cb,
                      void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_CLIENT_COMMAND);
    if (c == NULL || argc <= 0 || argv == NULL) return FF_EINVAL;
    ff_op *op = ff__op_new(c, finish_raw);
    if (op == NULL) return FF_ENOMEM;
    op->caller_command = 1;
    ff__cmd *cmd = ff__op_add_cmd(op);
    for (int32_t i = 0; i < argc; i++) {
        ff__cmd_arg(op, cmd, argv[i], argvlen ? argvlen[i] : strlen(argv[i]));
    }
    return ff__op_submit(op, cb, ud, out);
}
