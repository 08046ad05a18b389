/*
 * The embedded server from a program's point of view: one stderr line when
 * the program starts it (none when it is reused), and a client whose
 * embedded server died (SIGKILL) restarts it on reconnect, so its next op
 * succeeds on the same data. Each test uses a data dir of its own under
 * /tmp and stops the server it started by the pid in redis.pid.
 */
#include <fcntl.h>
#include <signal.h>

#include "itest.h"
#include "private_server.h"

static char g_dir[64];
static char g_err_path[96];

static pid_t server_pid(void)
{
    char path[128], line[32];
    snprintf(path, sizeof path, "%s/redis.pid", g_dir);
    it__read_line(path, line, sizeof line);
    return (pid_t)atoi(line);
}

static void stop_embedded(void)
{
    pid_t pid = server_pid();
    if (pid > 0) {
        kill(pid, SIGTERM);
        for (int i = 0; i < 200 && kill(pid, 0) == 0; i++) fft_sleep_ms(25);
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", g_dir, g_err_path);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

/* A fresh data dir, and this process's stderr captured in a file. */
static void setup(void)
{
    unsetenv("FF_URL");
    unsetenv("FF_HOME");
    snprintf(g_dir, sizeof g_dir, "/tmp/ff-emb-XXXXXX");
    FFT_CHECK(mkdtemp(g_dir) != NULL);
    atexit(stop_embedded);
    snprintf(g_err_path, sizeof g_err_path, "%s.stderr", g_dir);
    int fd = open(g_err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FFT_CHECK(fd >= 0);
    fflush(stderr);
    FFT_CHECK(dup2(fd, 2) == 2);
    close(fd);
}

/* Occurrences of @p what in the captured stderr. */
static int stderr_count(const char *what)
{
    fflush(stderr);
    FILE *f = fopen(g_err_path, "r");
    FFT_CHECK(f != NULL);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, what)) n++;
    fclose(f);
    return n;
}

static ff_client *embedded_client(void)
{
    ff_client_opts *o = NULL;
    FFT_OK(ff_client_opts_new(&o));
    FFT_OK(ff_client_opts_set_data_dir(o, g_dir));
    ff_client *c = NULL;
    char err[512] = "";
    int st = ff_client_new(&c, o, err, sizeof err);
    ff_client_opts_free(o);
    FFT_CHECK_MSG(st == FF_OK, "embedded client: %s (%s)", ff_status_name(st), err);
    return c;
}

static void test_started_line_once(void)
{
    setup();
    ff_client *a = embedded_client();
    char want[320];
    snprintf(want, sizeof want, "flowfabric: started the embedded redis-server at %s (socket %s/redis.sock)",
             g_dir, g_dir);
    FFT_EQ_INT(stderr_count(want), 1);
    FFT_EQ_INT(stderr_count("`ffctl dev down --data-dir "), 1);
    ff_client *b = embedded_client(); /* reuse: nothing printed */
    FFT_EQ_INT(stderr_count("embedded redis-server"), 1);
    char url[128];
    snprintf(url, sizeof url, "unix://%s/redis.sock", g_dir);
    FFT_EQ_STR(ff_client_url(a), url);
    FFT_EQ_STR(ff_client_url(b), url);
    ff_client_free(b);
    ff_client_free(a);
    /* the server outlives the programs that started it */
    FFT_OK(ff_dev_server_status(g_dir, NULL, 0));
}

static void test_restart_after_kill(void)
{
    setup();
    ff_client *c = embedded_client();
    ff_client *other = embedded_client(); /* a second owner races to restart */
    /* every write durable, so SIGKILL loses nothing acknowledged */
    ff_op *op = it_raw(c, "CONFIG", "SET", "appendfsync", "always", NULL);
    FFT_OK(ff_op_status(op));
    ff_op_free(op);
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "emb-restart");
    it_create(c, lane, 0, eid);
    pid_t old = server_pid();
    FFT_CHECK(old > 0);
    uint64_t connects = ff_client_connect_count(c);
    FFT_EQ_INT(kill(old, SIGKILL), 0);
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    while (ff_client_connected(c)) {
        FFT_CHECK_MSG(fft_now_ms() < until, "client did not notice its server died");
        fft_sleep_ms(10);
    }
    /* the next op waits for the restart and succeeds */
    it_state(c, eid, "waiting", ST_WAITING_FIRST);
    FFT_CHECK(ff_client_connect_count(c) > connects);
    pid_t now = server_pid();
    FFT_CHECK_MSG(now > 0 && now != old, "server pid %d after the restart (was %d)", (int)now, (int)old);
    it_state(other, eid, "waiting", ST_WAITING_FIRST);
    FFT_EQ_INT(stderr_count("flowfabric: restarted the embedded redis-server at "), 1);
    ff_claim *cl = it_claim_expect(other, lane, eid);
    IT_EXPECT(ff_lease_complete(other, cl, NULL, 0, NULL, NULL, OUT), FF_OK);
    ff_claim_free(cl);
    ff_client_free(other);
    ff_client_free(c);
}

int main(void)
{
    IT_RUN(test_started_line_once);
    IT_RUN(test_restart_after_kill);
    return it_summary(__FILE__);
}
