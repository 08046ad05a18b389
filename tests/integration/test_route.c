/*
 * Routing: every command the client sends on its command connection goes
 * through ff__route (client/route.c), the one place cluster routing will
 * choose a node. Checked against the server's own count: on a private server
 * (no other client), the FCALLs the server ran while ops of several paths
 * (create, describe, a multi-round claim, a raw command) were in flight
 * equal the commands routed, minus the one INFO that read the first count.
 */
#include <stdatomic.h>

#include "client/client_int.h"
#include "client/route.h"
#include "itest.h"
#include "private_server.h"

/* cmdstat_fcall + cmdstat_fcall_ro calls, from INFO commandstats. */
static long long server_fcalls(ff_client *c)
{
    ff_op *op = it_raw(c, "INFO", "commandstats", NULL);
    FFT_OK(ff_op_status(op));
    size_t len = 0;
    const char *text = ff_op_bytes(op, &len);
    FFT_CHECK(text != NULL);
    long long total = 0;
    static const char *const names[] = {"cmdstat_fcall:calls=", "cmdstat_fcall_ro:calls="};
    for (size_t i = 0; i < 2; i++) {
        const char *at = strstr(text, names[i]);
        if (at) total += strtoll(at + strlen(names[i]), NULL, 10);
    }
    ff_op_free(op);
    return total;
}

static void test_every_command_is_routed(void)
{
    const it_private *s = it_private_start();
    ff_client *c = it_connect_ok(s->url, 0);
    uint64_t r0 = atomic_load(&c->routed);
    long long f0 = server_fcalls(c);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "route");
    it_create(c, lane, 0, eid);
    ff_op_free(it_describe(c, eid));
    ff_claim *cl = it_claim_expect(c, lane, eid);
    ff_claim_free(cl);
    ff_op_free(it_raw(c, "PING", NULL));
    uint64_t r1 = atomic_load(&c->routed);
    long long f1 = server_fcalls(c);
    FFT_CHECK(f1 - f0 >= 3);
    /* r1 - r0 counts the first INFO, the PING and every FCALL in between. */
    FFT_EQ_INT((long long)(r1 - r0), f1 - f0 + 2);
    ff_client_free(c);
}

static void test_first_key(void)
{
    char *argv1[] = {"FCALL", "ff_x", "2", "ff:a", "ff:b", "v"};
    size_t lens1[] = {5, 4, 1, 4, 4, 1};
    ff__cmd cmd = {.argc = 6, .cap = 6, .argv = argv1, .argvlen = lens1};
    size_t len = 0;
    const char *k = ff__cmd_first_key(&cmd, &len);
    FFT_CHECK(k == argv1[3] && len == 4);
    char *argv2[] = {"FCALL", "ff_version", "0"};
    size_t lens2[] = {5, 10, 1};
    ff__cmd cmd2 = {.argc = 3, .cap = 3, .argv = argv2, .argvlen = lens2};
    FFT_CHECK(ff__cmd_first_key(&cmd2, &len) == NULL && len == 0);
    char *argv3[] = {"GET", "k"};
    size_t lens3[] = {3, 1};
    ff__cmd cmd3 = {.argc = 2, .cap = 2, .argv = argv3, .argvlen = lens3};
    FFT_CHECK(ff__cmd_first_key(&cmd3, &len) == argv3[1] && len == 1);
}

int main(void)
{
    IT_RUN(test_every_command_is_routed);
    IT_RUN(test_first_key);
    return it_summary(__FILE__);
}
