/*
 * `ffctl serve`: the HTTP API (src/http/, docs/http.md) on one shared
 * client until SIGINT / SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_signal.h"
#include "http/server.h"

/* The token is the file's first line, without surrounding blanks. */
static int read_token(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    int big = !feof(f);
    fclose(f);
    if (big) return -2;
    buf[n] = '\0';
    char *nl = strpbrk(buf, "\r\n");
    if (nl) *nl = '\0';
    char *s = buf;
    while (*s == ' ' || *s == '\t') s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t')) l--;
    memmove(buf, s, l);
    buf[l] = '\0';
    return l ? 0 : -3;
}

static int run_serve(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    const char *listen = "127.0.0.1:8080", *token_file = NULL;
    int64_t max_body = 1 << 20, timeout = 15000, threads = 4;
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) {
        if (cli_opt(&it, "listen", &listen) || cli_opt(&it, "token-file", &token_file) ||
            cli_opt_i64(&it, "max-body", 1024, (int64_t)1 << 30, &max_body) ||
            cli_opt_i64(&it, "timeout-ms", 1, 600000, &timeout) || cli_opt_i64(&it, "threads", 1, 64, &threads))
            continue;
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    char token[4096];
    if (token_file) {
        int t = read_token(token_file, token, sizeof token);
        if (t == -1) return cli_usage_error(cmd, "--token-file %s: %s", token_file, strerror(errno));
        if (t == -2) return cli_usage_error(cmd, "--token-file %s: the token is longer than 4 KiB", token_file);
        if (t == -3) return cli_usage_error(cmd, "--token-file %s: the file holds no token", token_file);
    }
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) return rc;
    ffh_config cfg = {.listen = listen, .token = token_file ? token : NULL,
                      .max_body_submit = (size_t)max_body,
                      .max_body = (size_t)(max_body < 65536 ? max_body : 65536),
                      .op_timeout_ms = timeout, .threads = (unsigned)threads};
    ffh_server *s = NULL;
    int loopback = 1;
    char err[256];
    if (cli_signals_install() != 0 || ffh_server_start(&s, c, &cfg, &loopback, err, sizeof err) != 0) {
        memset(token, 0, sizeof token);
        ff_client_free(c);
        return cli_error(FF_EINVAL, "%s", err);
    }
    memset(token, 0, sizeof token);
    if (!loopback)
        fprintf(stderr, "warning: ffctl serve listens on a non-loopback address (%s)%s\n", listen,
                token_file ? "" : " without --token-file: anyone who can reach it controls the deployment");
    fprintf(stderr, "ffctl serve: %s; server %s\n", token_file ? "bearer token required" : "no auth",
            ff_client_url(c));
    /* The port on stdout, alone on its line, so scripts that let the OS pick
     * one (--listen 127.0.0.1:0) can read it. */
    printf("listening on port %u\n", (unsigned)ffh_server_port(s));
    fflush(stdout);
    struct pollfd p = {.fd = cli_signals_fd(), .events = POLLIN};
    while (cli_signals_count() == 0) {
        if (poll(&p, 1, -1) < 0 && errno != EINTR) break;
    }
    cli_signals_default();
    fprintf(stderr, "ffctl serve: stopping\n");
    ffh_server_stop(s);
    ff_client_free(c);
    return CLI_OK;
}

const cli_cmd cli_cmd_serve = {
    "serve",
    run_serve,
    "serve [--listen HOST:PORT] [--token-file F] [--max-body BYTES] [--timeout-ms N] [--threads N]",
    "Serve the HTTP API: executions, lanes, signals, approvals, /healthz, /metrics.",
    "  --listen HOST:PORT     address to bind (default 127.0.0.1:8080; [::1]:PORT for IPv6;\n"
    "                         port 0 lets the OS pick). A non-loopback address is allowed\n"
    "                         with a warning. The bound port is printed on stdout.\n"
    "  --token-file F         require 'Authorization: Bearer <first line of F>' on every\n"
    "                         route but /healthz, /metrics and the approval form\n"
    "  --max-body BYTES       body limit of POST /api/v1/executions (default 1 MiB); the\n"
    "                         other routes take at most 64 KiB (or BYTES when smaller)\n"
    "  --timeout-ms N         bound of each library call (default 15000; 504 past it)\n"
    "  --threads N            HTTP worker threads (default 4)\n"
    "\n"
    "One access-log line per request on stderr (method, route pattern, status, ms);\n"
    "SIGINT / SIGTERM stop it. Routes and examples: docs/http.md.\n",
};
