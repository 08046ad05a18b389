/*
 * The libmicrohttpd daemon: listen, route, body limits, bearer auth, the
 * access log. MHD runs its own small thread pool; each request runs its
 * route on the pool thread, which blocks on ff_op_wait (bounded) -- the
 * shared ff_client is thread-safe (client.h), so no lock is needed here.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "http/http.h"
#include "http/server.h"

struct ffh_server {
    struct MHD_Daemon *d;
    ff_client *c;
    char *token;
    size_t token_len;
    size_t max_body_submit, max_body;
    int64_t op_timeout_ms;
    uint16_t port;
};

/* ------------------------------------------------------------ routes */

#define MAX_ROUTES 64
static const ffh_route *routes[MAX_ROUTES];
static size_t nroutes;

size_t ffh_route_count(void) { return nroutes; }
const ffh_route *ffh_route_at(size_t i) { return i < nroutes ? routes[i] : NULL; }

static void add_routes(const ffh_route *t, size_t n) {
    for (size_t i = 0; i < n && nroutes < MAX_ROUTES; i++) routes[nroutes++] = &t[i];
}

static void build_table(void) {
    if (nroutes) return;
    add_routes(ffh_routes_exec, ffh_routes_exec_n);
    add_routes(ffh_routes_lists, ffh_routes_lists_n);
    add_routes(ffh_routes_signal, ffh_routes_signal_n);
    add_routes(ffh_routes_obs, ffh_routes_obs_n);
    ffh_metrics_init(nroutes);
}

/* Match @p path against @p pattern segment by segment; the {} segments are
 * copied into caps (one buffer, NUL-separated). */
static int match(const char *pattern, const char *path, char *caps, size_t capslen, const char **params) {
    size_t np = 0, off = 0;
    while (*pattern && *path) {
        if (*pattern != '/' || *path != '/') return 0;
        pattern++, path++;
        const char *pe = strchr(pattern, '/'), *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pattern) : strlen(pattern);
        size_t sl = se ? (size_t)(se - path) : strlen(path);
        if (pl == 2 && pattern[0] == '{' && pattern[1] == '}') {
            if (sl == 0 || np == FFH_MAX_PARAMS || off + sl + 1 > capslen) return 0;
            memcpy(caps + off, path, sl);
            caps[off + sl] = '\0';
            params[np++] = caps + off;
            off += sl + 1;
        } else if (pl != sl || memcmp(pattern, path, sl) != 0) {
            return 0;
        }
        pattern += pl, path += sl;
    }
    return *pattern == '\0' && *path == '\0';
}

/* ------------------------------------------------------------ requests */

typedef struct conn_state {
    struct timespec t0;
    size_t route;         /* nroutes: none */
    const char *pattern;  /* for the log and the metrics */
    const char *params[FFH_MAX_PARAMS];
    char caps[1024];
    char *body;
    size_t len, cap, limit;
    int too_big;
    int done;             /* a response was queued */
} conn_state;

static double ms_since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, conn_state *cs, const char *method, ffh_resp *r) {
    if (!r->body) ffh_error_http(r, 500, FF_ENOMEM, "internal", "out of memory");
    struct MHD_Response *resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype ? r->ctype : "application/json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->http == 401) MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)r->http, resp);
    MHD_destroy_response(resp);
    cs->done = 1;
    double ms = ms_since(&cs->t0);
    ffh_metrics_observe(cs->route, r->http, ms);
    /* The route pattern, never the path or query: ids are fine, but the
     * approval link carries its token in the query. */
    fprintf(stderr, "http: %s %s %d %.1fms\n", method, cs->pattern, r->http, ms);
    return ok;
}

/* Constant-time in the token's content: every byte of the longer of the
 * two is looked at whatever the first mismatch. */
static int token_ok(const ffh_server *s, const char *hdr) {
    static const char prefix[] = "Bearer ";
    if (!hdr || strncmp(hdr, prefix, sizeof prefix - 1) != 0) return 0;
    const char *got = hdr + sizeof prefix - 1;
    size_t gl = strlen(got), n = gl > s->token_len ? gl : s->token_len;
    unsigned char diff = (unsigned char)(gl != s->token_len);
    for (size_t i = 0; i < n; i++) {
        unsigned char a = i < gl ? (unsigned char)got[i] : 0;
        unsigned char b = i < s->token_len ? (unsigned char)s->token[i] : 0;
        diff |= a ^ b;
    }
    return diff == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
    (void)version;
    ffh_server *s = cls;
    conn_state *cs = *con_cls;
    ffh_resp r = {0};
    if (!cs) {
        cs = calloc(1, sizeof *cs);
        if (!cs) return MHD_NO;
        *con_cls = cs;
        clock_gettime(CLOCK_MONOTONIC, &cs->t0);
        cs->route = nroutes;
        cs->pattern = "(unmatched)";
        int path_known = 0;
        for (size_t i = 0; i < nroutes; i++) {
            const char *params[FFH_MAX_PARAMS] = {0};
            if (!match(routes[i]->pattern, url, cs->caps, sizeof cs->caps, params)) continue;
            path_known = 1;
            if (strcmp(routes[i]->method, method) != 0) continue;
            cs->route = i;
            cs->pattern = routes[i]->pattern;
            memcpy(cs->params, params, sizeof params);
            break;
        }
        if (cs->route == nroutes) {
            if (path_known)
                ffh_error_http(&r, 405, FF_EINVAL, "method_not_allowed", "%s is not allowed on this route", method);
            else
                ffh_error_http(&r, 404, FF_ENOTFOUND, "route_not_found", "no such route");
            return send_resp(conn, cs, method, &r);
        }
        const ffh_route *rt = routes[cs->route];
        if (s->token && !rt->public_route &&
            !token_ok(s, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))) {
            ffh_error_http(&r, 401, FF_UNAUTHORIZED, "unauthorized",
                           "this route needs the header Authorization: Bearer <token>");
            return send_resp(conn, cs, method, &r);
        }
        cs->limit = rt->max_body ? rt->max_body : s->max_body;
        if (rt->max_body == SIZE_MAX) cs->limit = s->max_body_submit;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > cs->limit) {
            ffh_error_http(&r, 413, FF_ETOOBIG, "body_too_large", "the body exceeds this route's limit of %zu bytes",
                           cs->limit);
            return send_resp(conn, cs, method, &r);
        }
        return MHD_YES;
    }
    if (cs->done) { /* answered at the first call: drop what the client still sends */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (cs->too_big || cs->len + n > cs->limit) {
            cs->too_big = 1;
            return MHD_YES;
        }
        if (cs->len + n + 1 > cs->cap) {
            size_t cap = cs->cap ? cs->cap : 4096;
            while (cap < cs->len + n + 1) cap *= 2;
            char *b = realloc(cs->body, cap);
            if (!b) return MHD_NO;
            cs->body = b;
            cs->cap = cap;
        }
        memcpy(cs->body + cs->len, upload_data, n);
        cs->len += n;
        return MHD_YES;
    }
    if (cs->too_big) {
        ffh_error_http(&r, 413, FF_ETOOBIG, "body_too_large", "the body exceeds this route's limit of %zu bytes",
                       cs->limit);
        return send_resp(conn, cs, method, &r);
    }
    if (cs->body) cs->body[cs->len] = '\0';
    ffh_req req = {.srv = s, .c = s->c, .conn = conn, .method = method, .body = cs->body ? cs->body : "",
                   .body_len = cs->len, .op_timeout_ms = s->op_timeout_ms};
    memcpy(req.params, cs->params, sizeof req.params);
    routes[cs->route]->fn(&req, &r);
    return send_resp(conn, cs, method, &r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode t) {
    (void)cls, (void)conn, (void)t;
    conn_state *cs = *con_cls;
    if (cs) free(cs->body);
    free(cs);
    *con_cls = NULL;
}

/* ------------------------------------------------------------ lifecycle */

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sl, int *loopback, char *err,
                        size_t errlen) {
    char host[256];
    const char *colon = strrchr(listen, ':');
    const char *h = listen;
    size_t hl = colon ? (size_t)(colon - listen) : 0;
    if (!colon || hl == 0 || hl >= sizeof host) {
        snprintf(err, errlen, "--listen wants HOST:PORT or [V6]:PORT, got '%s'", listen);
        return -1;
    }
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') h++, hl -= 2;
    memcpy(host, h, hl);
    host[hl] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535) {
        snprintf(err, errlen, "--listen: the port must be 0..65535, got '%s'", colon + 1);
        return -1;
    }
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_PASSIVE, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(host, NULL, &hints, &ai) != 0 || !ai) {
        snprintf(err, errlen, "--listen: '%s' is not a numeric IPv4 or IPv6 address", host);
        return -1;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *sl = ai->ai_addrlen;
    freeaddrinfo(ai);
    if (ss->ss_family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_port = htons((uint16_t)port);
        *loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_port = htons((uint16_t)port);
        *loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
    }
    return 0;
}

int ffh_server_start(ffh_server **out, ff_client *c, const ffh_config *cfg, int *loopback, char *err,
                     size_t errlen) {
    *out = NULL;
    build_table();
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    if (parse_listen(cfg->listen, &ss, &sl, loopback, err, errlen) != 0) return -1;
    ffh_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->c = c;
    if (cfg->token) {
        s->token = strdup(cfg->token);
        s->token_len = strlen(cfg->token);
    }
    s->max_body_submit = cfg->max_body_submit;
    s->max_body = cfg->max_body;
    s->op_timeout_ms = cfg->op_timeout_ms;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 4u,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
                            30u, MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errlen, "cannot listen on %s (address in use or not available)", cfg->listen);
        ffh_server_stop(s);
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    *out = s;
    return 0;
}

uint16_t ffh_server_port(const ffh_server *s) { return s->port; }

void ffh_server_stop(ffh_server *s) {
    if (!s) return;
    if (s->d) MHD_stop_daemon(s->d);
    if (s->token) {
        memset(s->token, 0, s->token_len);
        free(s->token);
    }
    free(s);
}
