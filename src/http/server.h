/*
 * The HTTP server of `ffctl serve` (src/http/): start it on an address with
 * one shared ff_client, read back the bound port, stop it.
 */
#ifndef FF_HTTP_SERVER_H
#define FF_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <flowfabric.h>

typedef struct ffh_server ffh_server;

typedef struct ffh_config {
    const char *listen;      /* "HOST:PORT" or "[V6]:PORT"; port 0 = any free port */
    const char *token;       /* bearer token; NULL = no auth */
    size_t max_body_submit;  /* POST /executions */
    size_t max_body;         /* every other route */
    int64_t op_timeout_ms;   /* bound of each ff_op_wait */
    unsigned threads;        /* MHD pool size */
} ffh_config;

/* 0 and *out set, or -1 with a sentence in err. *loopback tells whether
 * the address is a loopback one (the caller warns otherwise). */
int ffh_server_start(ffh_server **out, ff_client *c, const ffh_config *cfg, int *loopback, char *err, size_t errlen);
/* The bound port (the OS's pick for port 0). */
uint16_t ffh_server_port(const ffh_server *s);
/* Stop accepting, finish the requests in flight, free. NULL-safe. */
void ffh_server_stop(ffh_server *s);

#endif
