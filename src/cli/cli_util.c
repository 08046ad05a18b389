/* Error reporting, connecting, time and small output helpers for ffctl. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_util.h"

/* ---------------------------------------------------------------- errors */

int cli_error(int status, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "error: %s: %s\n", ff_status_name(status), msg[0] ? msg : ff_strerror(status));
    return CLI_EOP;
}

int cli_wait(int start_st, ff_op **opp, const char *what) {
    /* Read *opp only now: callers pass the starting call inline, and C does
     * not order the evaluation of arguments. */
    ff_op *op = *opp;
    if (start_st != FF_OK) {
        /* Rejected before anything was sent: the library's sentence says what
         * was wrong with which argument. */
        const char *detail = ff_error_detail(start_st);
        cli_error(start_st, "%s (%s)", detail[0] ? detail : ff_strerror(start_st), what);
        return start_st;
    }
    int st = ff_op_wait(op, -1);
    if (st != FF_OK) {
        /* Server errors carry "<token>: details"; client-side failures
         * (timeout, connection lost) may carry only the status. */
        const char *detail = ff_op_errmsg(op);
        cli_error(st, "%s (%s)", detail[0] ? detail : ff_strerror(st), what);
    }
    return st;
}

/* ------------------------------------------------------------ connecting */

int cli_connect(const cli_ctx *ctx, ff_client **out) {
    *out = NULL;
    ff_client_opts *o = NULL;
    int st = ff_client_opts_new(&o);
    if (st == FF_OK && ctx->url) st = ff_client_opts_set_url(o, ctx->url);
    if (st == FF_OK && ctx->data_dir) st = ff_client_opts_set_data_dir(o, ctx->data_dir);
    if (st != FF_OK) {
        ff_client_opts_free(o);
        return cli_error(st, "bad client options");
    }
    /* 0: adopt whatever partition count the deployment already has, so an
     * operator tool never refuses a server booted with another count. */
    ff_client_opts_set_partitions(o, 0);
    char err[512] = "";
    st = ff_client_new(out, o, err, sizeof err);
    ff_client_opts_free(o);
    if (st != FF_OK) return cli_error(st, "cannot connect: %s", err[0] ? err : ff_strerror(st));
    return CLI_OK;
}

const char *cli_given_url(const cli_ctx *ctx) {
    if (ctx->url && ctx->url[0]) return ctx->url;
    const char *env = getenv("FF_URL");
    return env && env[0] ? env : NULL;
}

int cli_url_has_secret(const char *url) {
    if (url == NULL) return 0;
    size_t cap = strlen(url) + 8;
    char *shown = malloc(cap);
    if (shown == NULL) return 1; /* cannot tell: treat it as secret */
    int secret = ff_url_redact(url, shown, cap) != FF_OK || strcmp(shown, url) != 0;
    free(shown);
    return secret;
}

/* ------------------------------------------------------------------ time */

const char *cli_iso8601(int64_t unix_ms, char *buf, size_t cap) {
    if (unix_ms <= 0) {
        snprintf(buf, cap, "-");
        return buf;
    }
    time_t secs = (time_t)(unix_ms / 1000);
    struct tm tm;
    if (gmtime_r(&secs, &tm) == NULL) {
        snprintf(buf, cap, "%lld", (long long)unix_ms);
        return buf;
    }
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(unix_ms % 1000));
    return buf;
}

int64_t cli_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t cli_mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cli_sleep_ms(int64_t ms) {
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* ---------------------------------------------------------------- output */

void cli_json_string(FILE *f, const char *s, size_t len) {
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

int cli_is_utf8(const void *data, size_t len) {
    const unsigned char *p = data;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        uint32_t cp;
        if (c == 0) return 0;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (p[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* Reject overlong forms, surrogates and values past U+10FFFF. */
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

void cli_base64(FILE *f, const void *data, size_t n) {
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        fputc(tbl[(v >> 18) & 63], f);
        fputc(tbl[(v >> 12) & 63], f);
        fputc(i + 1 < n ? tbl[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < n ? tbl[v & 63] : '=', f);
    }
}

void cli_json_str(const char *s) { cli_json_string(stdout, s ? s : "", s ? strlen(s) : 0); }

