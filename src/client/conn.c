/* Opening sockets to the client's server, for the connection module
 * (link.c), so every connection reaches the same address the same way: TCP
 * host:port (names, IPv4, IPv6 literals) or a unix socket, with the same
 * credentials. */
#include <ctype.h>
#include <hiredis/async.h>
#include <stdio.h>
#include <string.h>

#include "client/client_int.h"
#include "client/uv_adapter.h"

void ff__conn_addr(const ff_client *c, char *buf, size_t cap) {
    if (c->unix_path)
        snprintf(buf, cap, "%s", c->unix_path);
    else if (strchr(c->host, ':'))
        snprintf(buf, cap, "[%s]:%d", c->host, c->port);
    else
        snprintf(buf, cap, "%s:%d", c->host, c->port);
}

/* "connection refused (127.0.0.1:1)": hiredis' errno text, lower-cased
 * like a sentence fragment, and the address. */
static void describe_failure(const ff_client *c, const char *why, char *err, size_t errlen) {
    char addr[300], text[200];
    ff__conn_addr(c, addr, sizeof addr);
    snprintf(text, sizeof text, "%s", why && why[0] ? why : "cannot connect");
    if (isupper((unsigned char)text[0]) && !isupper((unsigned char)text[1])) text[0] = (char)tolower(text[0]);
    snprintf(err, errlen, "%s (%s)", text, addr);
}

void ff__conn_failure(const ff_client *c, const redisAsyncContext *ac, char *err, size_t errlen) {
    describe_failure(c, ac ? ac->errstr : NULL, err, errlen);
}

redisAsyncContext *ff__conn_open(ff_client *c, void *data, char *err, size_t errlen) {
    redisAsyncContext *ac =
        c->unix_path ? redisAsyncConnectUnix(c->unix_path) : redisAsyncConnect(c->host, c->port);
    if (ac == NULL) {
        describe_failure(c, "out of memory", err, errlen);
        return NULL;
    }
    if (ac->err) {
        describe_failure(c, ac->errstr, err, errlen);
        redisAsyncFree(ac);
        return NULL;
    }
    if (ff__uv_attach(ac, &c->loop) != REDIS_OK) {
        describe_failure(c, "cannot watch the socket", err, errlen);
        redisAsyncFree(ac);
        return NULL;
    }
    ac->data = data;
    return ac;
}

int ff__conn_auth_argv(const ff_client *c, const char *argv[3], size_t lens[3]) {
    if (c->password == NULL) return 0;
    int n = 0;
    argv[n] = "AUTH";
    lens[n++] = 4;
    if (c->user) {
        argv[n] = c->user;
        lens[n++] = strlen(c->user);
    }
    argv[n] = c->password;
    lens[n++] = strlen(c->password);
    return n;
}

int ff__is_auth_error(const char *s) {
    return s && (strncmp(s, "NOAUTH", 6) == 0 || strncmp(s, "WRONGPASS", 9) == 0 || strncmp(s, "NOPERM", 6) == 0);
}

int ff__server_error_status(const char *s) { return ff__is_auth_error(s) ? FF_EAUTH : FF_ESERVER; }
