/* Connection setup shared by every connection of a client (see conn.h). */
#include "client/conn.h"

#include <hiredis/async.h>
#include <string.h>

#include "client/uv_adapter.h"

redisAsyncContext *ff__conn_open(ff_client *c, void *data) {
    redisAsyncContext *ac =
        c->unix_path ? redisAsyncConnectUnix(c->unix_path) : redisAsyncConnect(c->host, c->port);
    if (ac == NULL || ac->err) {
        if (ac) redisAsyncFree(ac);
        return NULL;
    }
    ac->data = data;
    if (ff__uv_attach(ac, &c->loop) != REDIS_OK) {
        redisAsyncFree(ac);
        return NULL;
    }
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
