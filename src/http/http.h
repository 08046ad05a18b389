/*
 * `ffctl serve` internals: the request and response a route sees, the
 * route table, and the helpers every route file shares. Routes reach the
 * deployment ONLY through <flowfabric.h> on the one shared ff_client (every
 * ff_* call is thread-safe per client.h, so MHD's pool threads each start
 * their op and ff_op_wait() it).
 */
#ifndef FF_HTTP_H
#define FF_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <flowfabric.h>
#include <jansson.h>

#define FFH_MAX_PARAMS 3

typedef struct ffh_server ffh_server;

typedef struct ffh_req {
    ffh_server *srv;
    ff_client *c;
    void *conn;                            /* struct MHD_Connection * */
    const char *method;
    const char *params[FFH_MAX_PARAMS];    /* the {} captures of the pattern, %-decoded */
    const char *body;                      /* NUL-terminated copy; body_len excludes the NUL */
    size_t body_len;
    int64_t op_timeout_ms;
} ffh_req;

typedef struct ffh_resp {
    int http;           /* HTTP status */
    char *body;         /* malloc'd (handed to MHD, which free()s it) */
    size_t len;
    const char *ctype;  /* static */
    int is_error;       /* the body is an error document (keeps metrics honest) */
} ffh_resp;

typedef void (*ffh_handler)(ffh_req *r, ffh_resp *out);

typedef struct ffh_route {
    const char *method;
    const char *pattern;  /* "/api/v1/executions/{}/cancel": each {} one path segment */
    ffh_handler fn;
    size_t max_body;      /* 0: the server's default for non-submit routes */
    int public_route;     /* 1: no bearer token needed (/healthz, /metrics, the approval form) */
} ffh_route;

/* The route tables of each file; server.c concatenates them. */
extern const ffh_route ffh_routes_exec[];
extern const size_t ffh_routes_exec_n;
extern const ffh_route ffh_routes_lists[];
extern const size_t ffh_routes_lists_n;
extern const ffh_route ffh_routes_signal[];
extern const size_t ffh_routes_signal_n;
extern const ffh_route ffh_routes_obs[];
extern const size_t ffh_routes_obs_n;

/* ------------------------------------------------------------ responses */

/* A JSON document (stolen) as the response. */
void ffh_json(ffh_resp *out, int http, json_t *doc);
/* Raw bytes (copied). */
void ffh_bytes(ffh_resp *out, int http, const char *ctype, const void *data, size_t len);
/* The error document {"error":{"status","code","message"}} for a library
 * status; the HTTP code comes from the one group table (errors.c). */
void ffh_error(ffh_resp *out, int status, const char *code, const char *message);
/* An error that is the server's own (bad JSON, unknown route, 413, 401):
 * explicit HTTP code, status name and code. */
void ffh_error_http(ffh_resp *out, int http, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The HTTP code for a library status (the group table). */
int ffh_http_for_status(int status);

/* Finish an op started in future mode: @p st is what the start returned.
 * Waits at most r->op_timeout_ms. FF_OK: the op succeeded (caller reads and
 * frees *op). Otherwise the error response is written (504 on our own wait
 * timeout, the group table for the rest), *op freed and set to NULL. */
int ffh_wait(ffh_req *r, ffh_resp *out, int st, ff_op **op);
/* ffh_wait, then answer with the op's JSON document as it is. */
void ffh_op_json(ffh_req *r, ffh_resp *out, int st, ff_op **op, int http);

/* -------------------------------------------------------------- input */

/* Parse the body as a JSON object; an empty body is {} when @p empty_ok.
 * NULL with a 400 written when it is not one. */
json_t *ffh_body_object(ffh_req *r, ffh_resp *out, int empty_ok);
/* 1 when every key of @p obj is in the NULL-terminated @p allowed; else a
 * 400 naming the first unknown field is written and 0 returned. */
int ffh_only_fields(ffh_resp *out, json_t *obj, const char *const *allowed);
/* Optional typed members: 1 ok (absent leaves *v), 0 with a 400 written. */
int ffh_opt_str(ffh_resp *out, json_t *obj, const char *key, const char **v);
int ffh_opt_i64(ffh_resp *out, json_t *obj, const char *key, int64_t *v);
/* A query argument (NULL when absent). */
const char *ffh_query(ffh_req *r, const char *key);
/* "count" query argument in 1..1000 (default @p def); 0 with a 400 written. */
int ffh_query_count(ffh_req *r, ffh_resp *out, uint32_t def, uint32_t *count);
/* Standard base64 decode (padding required); malloc'd, -1 when malformed. */
int ffh_base64_decode(const char *in, size_t inlen, unsigned char **out, size_t *outlen);

/* -------------------------------------------------------------- metrics */

void ffh_metrics_init(size_t nroutes);
/* One finished request: route index (nroutes = unmatched), HTTP status, ms. */
void ffh_metrics_observe(size_t route, int http, double ms);
/* The route table as server.c assembled it (for metric labels). */
size_t ffh_route_count(void);
const ffh_route *ffh_route_at(size_t i);

#endif
