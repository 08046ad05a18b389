/*
 * Password-protected servers: every refusal of who we are (NOAUTH,
 * WRONGPASS, NOPERM) is FF_EAUTH with the server's words, at the first
 * connect and after a password changes under a connected client (the next
 * op fails with FF_EAUTH, not after its deadline, and the client recovers
 * once the password is right again). Each test runs its own redis-server
 * (private_server.h): passwords and ACL users must not leak into the shared
 * fixture.
 */
#include "itest.h"
#include "private_server.h"

#define PW "s3cret-Pw1"

/* Run a raw command on the admin client and expect it to succeed. */
static void admin_ok(ff_op *op)
{
    FFT_CHECK_MSG(ff_op_status(op) == FF_OK, "admin command: %s", ff_op_errmsg(op));
    ff_op_free(op);
}
#define admin(a, ...) admin_ok(it_raw((a), __VA_ARGS__))

/* The same for a NULL-terminated argv. */
static void admin_argv(ff_client *a, const char *const *argv)
{
    int32_t argc = 0;
    while (argv[argc]) argc++;
    admin_ok(it_rawv(a, argc, argv, NULL));
}

/* A private server with requirepass PW, and an admin client connected
 * before the password was set (it stays authenticated). */
static ff_client *protected_server(const it_private **out)
{
    const it_private *s = it_private_start();
    ff_client *a = it_connect_ok(s->url, 0);
    admin(a, "CONFIG", "SET", "requirepass", PW, NULL);
    *out = s;
    return a;
}

static void url_of(char *out, size_t cap, const char *userinfo, const it_private *s)
{
    snprintf(out, cap, "redis://%s%s127.0.0.1:%d", userinfo ? userinfo : "", userinfo ? "@" : "", s->port);
}

static void expect_refused(const char *url, const char *words, const char *secret)
{
    int rc;
    char err[512] = "";
    ff_client *c = it_connect(url, 0, &rc, err, sizeof err);
    FFT_CHECK_MSG(c == NULL, "%s: connected", url);
    FFT_CHECK_MSG(rc == FF_EAUTH, "%s: %s (%s), expected FF_EAUTH", url, ff_status_name(rc), err);
    FFT_CHECK_MSG(strstr(err, words) != NULL, "%s: message lacks the server's '%s': %s", url, words, err);
    FFT_CHECK_MSG(strstr(err, "FUNCTION LOAD") == NULL, "%s: auth refusal taken for a missing library: %s", url,
                  err);
    FFT_EQ_STR(ff_error_detail(FF_EAUTH), err);
    if (secret) FFT_CHECK_MSG(strstr(err, secret) == NULL, "%s: message shows the password: %s", url, err);
}

static void test_no_password(void)
{
    const it_private *s;
    ff_client *a = protected_server(&s);
    char url[256];
    url_of(url, sizeof url, NULL, s);
    expect_refused(url, "NOAUTH", NULL);
    ff_client_free(a);
}

static void test_wrong_password(void)
{
    const it_private *s;
    ff_client *a = protected_server(&s);
    char url[256];
    url_of(url, sizeof url, ":Wrong-Pw9", s);
    expect_refused(url, "WRONGPASS", "Wrong-Pw9");
    /* an ACL user with a wrong password, and an unknown user */
    admin(a, "ACL", "SETUSER", "alice", "on", ">alice-Pw", "~*", "&*", "+@all", NULL);
    url_of(url, sizeof url, "alice:bad-Pw7", s);
    expect_refused(url, "WRONGPASS", "bad-Pw7");
    url_of(url, sizeof url, "nobody:x-Pw5", s);
    expect_refused(url, "WRONGPASS", "x-Pw5");
    /* the right ones work */
    url_of(url, sizeof url, ":" PW, s);
    ff_client *c = it_connect_ok(url, 0);
    FFT_CHECK(strstr(ff_client_url(c), PW) == NULL);
    ff_client_free(c);
    url_of(url, sizeof url, "alice:alice-Pw", s);
    c = it_connect_ok(url, 0);
    ff_client_free(c);
    ff_client_free(a);
}

static void test_user_without_permission(void)
{
    /* a user that may not run functions: NOPERM during the handshake */
    const it_private *s;
    ff_client *a = protected_server(&s);
    admin(a, "ACL", "SETUSER", "reader", "on", ">reader-Pw", "~*", "+@read", "-fcall", "-function", NULL);
    char url[256];
    url_of(url, sizeof url, "reader:reader-Pw", s);
    expect_refused(url, "NOPERM", "reader-Pw");
    ff_client_free(a);
}

/* Wait (bounded) until @p c noticed its connection was killed. */
static void wait_disconnected(ff_client *c)
{
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    while (ff_client_connected(c)) {
        FFT_CHECK_MSG(fft_now_ms() < until, "client did not notice CLIENT KILL");
        fft_sleep_ms(10);
    }
}

/* The next op fails with FF_EAUTH carrying @p words; so does one submitted
 * after it, at once: both run with a 10-minute deadline and are waited for
 * at most IT_WAIT_MS, so sitting until the deadline fails the test. */
static void expect_op_refused(ff_client *c, const char *words)
{
    char eid[FF_EID_MAX];
    FFT_EQ_INT(ff__eid_mint(0, eid), 0);
    for (int i = 0; i < 2; i++) {
        ff_op *op = NULL;
        FFT_OK(ff_execution_describe(c, eid, NULL, NULL, &op));
        int st = ff_op_wait(op, IT_WAIT_MS);
        FFT_CHECK_MSG(st != FF_EAGAIN, "op %d waits for its deadline instead of failing", i);
        FFT_CHECK_MSG(st == FF_EAUTH, "op %d: %s (%s), expected FF_EAUTH", i, ff_status_name(st), ff_op_errmsg(op));
        FFT_CHECK_MSG(strstr(ff_op_errmsg(op), words) != NULL, "op %d: message lacks '%s': %s", i, words,
                      ff_op_errmsg(op));
        ff_op_free(op);
    }
}

/* After the password is right again the client reconnects by itself. */
static void expect_recovers(ff_client *c)
{
    char lane[64], eid[IT_EID];
    it_lane(lane, sizeof lane, "auth-back");
    int64_t until = fft_now_ms() + IT_WAIT_MS;
    for (;;) {
        ff_exec_spec *spec = it_spec(lane);
        ff_op *op = NULL;
        FFT_OK(ff_execution_create(c, spec, NULL, NULL, &op));
        ff_exec_spec_free(spec);
        int st = ff_op_wait(op, IT_WAIT_MS);
        if (st == FF_OK) snprintf(eid, sizeof eid, "%s", ff_op_execution_id(op));
        ff_op_free(op);
        if (st == FF_OK) break;
        FFT_CHECK_MSG(st == FF_EAUTH, "while recovering: %s", ff_status_name(st));
        FFT_CHECK_MSG(fft_now_ms() < until, "client did not recover after the password was restored");
        fft_sleep_ms(50);
    }
    it_state(c, eid, "waiting", ST_WAITING_FIRST);
}

/* @p c, connected, loses its connection when @p change is applied (the
 * credentials it has stop working) and @p kill cuts it: its next ops fail
 * with FF_EAUTH naming @p words; after @p restore it recovers. */
static void changed_under_client(ff_client *a, ff_client *c, const char *const *change, const char *const *kill,
                                 const char *words, const char *const *restore)
{
    admin_argv(a, change);
    admin_argv(a, kill);
    wait_disconnected(c);
    expect_op_refused(c, words);
    admin_argv(a, restore);
    expect_recovers(c);
}

static void test_requirepass_changed_under_client(void)
{
    const it_private *s;
    ff_client *a = protected_server(&s);
    char url[256];
    url_of(url, sizeof url, ":" PW, s);
    ff_client *c = it_connect_ok(url, 600000);
    static const char *const change[] = {"CONFIG", "SET", "requirepass", "other-Pw2", NULL};
    static const char *const kill[] = {"CLIENT", "KILL", "TYPE", "normal", NULL}; /* SKIPME yes: not the admin */
    static const char *const restore[] = {"CONFIG", "SET", "requirepass", PW, NULL};
    changed_under_client(a, c, change, kill, "WRONGPASS", restore);
    ff_client_free(c);
    ff_client_free(a);
}

static void test_password_set_under_unauthenticated_client(void)
{
    /* a client of an open server; the server then requires a password */
    const it_private *s = it_private_start();
    ff_client *a = it_connect_ok(s->url, 0);
    ff_client *c = it_connect_ok(s->url, 600000);
    static const char *const change[] = {"CONFIG", "SET", "requirepass", PW, NULL};
    static const char *const kill[] = {"CLIENT", "KILL", "TYPE", "normal", NULL};
    static const char *const restore[] = {"CONFIG", "SET", "requirepass", "", NULL};
    changed_under_client(a, c, change, kill, "NOAUTH", restore);
    ff_client_free(c);
    ff_client_free(a);
}

static void test_acl_password_changed_under_client(void)
{
    const it_private *s;
    ff_client *a = protected_server(&s);
    admin(a, "ACL", "SETUSER", "bob", "on", ">bob-Pw1", "~*", "&*", "+@all", NULL);
    char url[256];
    url_of(url, sizeof url, "bob:bob-Pw1", s);
    ff_client *c = it_connect_ok(url, 600000);
    static const char *const change[] = {"ACL", "SETUSER", "bob", "resetpass", ">bob-Pw2", NULL};
    static const char *const kill[] = {"CLIENT", "KILL", "USER", "bob", NULL};
    static const char *const restore[] = {"ACL", "SETUSER", "bob", "resetpass", ">bob-Pw1", NULL};
    changed_under_client(a, c, change, kill, "WRONGPASS", restore);
    ff_client_free(c);
    ff_client_free(a);
}

static void test_op_refused_by_acl(void)
{
    /* an op the user may not run, on a working connection */
    const it_private *s;
    ff_client *a = protected_server(&s);
    admin(a, "ACL", "SETUSER", "carol", "on", ">carol-Pw", "~*", "&*", "+@all", NULL);
    char url[256];
    url_of(url, sizeof url, "carol:carol-Pw", s);
    ff_client *c = it_connect_ok(url, 0);
    admin(a, "ACL", "SETUSER", "carol", "-debug", NULL);
    ff_op *op = it_raw(c, "DEBUG", "SLEEP", "0", NULL);
    FFT_EQ_STATUS(ff_op_status(op), FF_EAUTH);
    FFT_CHECK_MSG(strstr(ff_op_errmsg(op), "NOPERM") != NULL, "%s", ff_op_errmsg(op));
    ff_op_free(op);
    ff_client_free(c);
    ff_client_free(a);
}

int main(void)
{
    IT_RUN(test_no_password);
    IT_RUN(test_wrong_password);
    IT_RUN(test_user_without_permission);
    IT_RUN(test_requirepass_changed_under_client);
    IT_RUN(test_password_set_under_unauthenticated_client);
    IT_RUN(test_acl_password_changed_under_client);
    IT_RUN(test_op_refused_by_acl);
    return it_summary(__FILE__);
}
