/*
 * The arity check (src/proto/arity.c): an FCALL the library builds that does
 * not match the server function table (generated from the Lua header blocks)
 * fails its op with FF_EPROTO and a message naming the function, and nothing
 * of the op reaches the server (INFO commandstats counts no FCALL). The ops
 * are built through the internal API, the way every src/ops file builds its
 * commands, with a count the table refuses.
 */
#include <inttypes.h>

#include "itest.h"
#include "ops/ops_int.h"
#include "proto/arity.h"

/* calls=N of one command in INFO commandstats (0 when never called). */
static int64_t cmd_calls(const char *cmd) {
    ff_op *op = it_raw(C, "INFO", "commandstats", NULL);
    FFT_OK(ff_op_status(op));
    size_t len = 0;
    const char *text = ff_op_bytes(op, &len); /* a bulk reply reads as bytes (NUL-terminated) */
    FFT_CHECK(text != NULL);
    char pat[64];
    snprintf(pat, sizeof pat, "cmdstat_%s:calls=", cmd);
    const char *at = strstr(text, pat);
    int64_t n = at ? strtoll(at + strlen(pat), NULL, 10) : 0;
    ff_op_free(op);
    return n;
}

/* Submit an op of the given commands; returns it finished. */
static ff_op *run(ff_op *op) {
    ff_op *out = NULL;
    FFT_OK(ff__op_submit(op, NULL, NULL, &out));
    FFT_CHECK(ff_op_wait(out, IT_WAIT_MS) != FF_EAGAIN);
    return out;
}

static void expect_refused(ff_op *op, const char *needle) {
    int64_t before = cmd_calls("fcall") + cmd_calls("fcall_ro");
    ff_op *done = run(op);
    FFT_EQ_STATUS(ff_op_status(done), FF_EPROTO);
    const char *msg = ff_op_errmsg(done);
    FFT_CHECK(msg != NULL && strstr(msg, needle) != NULL);
    ff_op_free(done);
    FFT_EQ_INT(cmd_calls("fcall") + cmd_calls("fcall_ro"), before);
}

static void test_wrong_argument_count(void) {
    ff_op *op = ff__op_new(C, ff__finish_text);
    FFT_CHECK(op != NULL);
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_WAIT_MARK, FF_FN_WAIT_MARK_NKEYS);
    ff__cmd_str(op, cmd, "ff:e:{fp:0}:00000000-0000-4000-8000-000000000000");
    /* no ARGV: ff_wait_mark takes one */
    expect_refused(op, "ff_wait_mark: 0 arguments, the function takes 1");
}

static void test_wrong_key_count(void) {
    ff_op *op = ff__op_new(C, ff__finish_text);
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_LANES, 0);
    (void)cmd;
    expect_refused(op, "ff_lanes: 0 keys, the function takes 1");
}

static void test_unknown_function(void) {
    ff_op *op = ff__op_new(C, ff__finish_text);
    ff__op_fcall(op, "ff_no_such_function", 0);
    expect_refused(op, "not a function of the server library");
}

/* The whole op is refused when any one of its commands is wrong: the good
 * command before the bad one is not sent either. */
static void test_one_bad_command_sends_nothing(void) {
    ff_op *op = ff__op_new(C, ff__finish_text);
    ff__cmd *good = ff__op_fcall(op, FF_FN_LANES, FF_FN_LANES_NKEYS);
    ff__cmd_str(op, good, "ff:i:{fp:0}:lanes");
    ff__cmd *bad = ff__op_fcall(op, FF_FN_COUNTS, FF_FN_COUNTS_NKEYS);
    ff__cmd_str(op, bad, "ff:i:{fp:0}:lanes");
    ff__cmd_str(op, bad, "default");
    ff__cmd_str(op, bad, "extra");
    expect_refused(op, "ff_counts: 2 arguments, the function takes 1");
}

static void test_variadic_range(void) {
    char err[256];
    char *argv[3 + 1 + 520];
    size_t lens[3 + 1 + 520];
    argv[0] = "FCALL";
    argv[1] = FF_FN_CLAIM;
    argv[2] = FF_FN_CLAIM_NKEYS_STR;
    for (int i = 3; i < (int)(sizeof argv / sizeof argv[0]); i++) argv[i] = "x";
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) lens[i] = strlen(argv[i]);
    const ff__fn_spec *fn = ff__fn_find(FF_FN_CLAIM);
    FFT_CHECK(fn != NULL && fn->nargs_max > fn->nargs_min);
    /* key + min args passes, key + max args passes, one fewer / one more does not */
    FFT_EQ_INT(ff__arity_check(3 + 1 + fn->nargs_min, argv, lens, err, sizeof err), 0);
    FFT_EQ_INT(ff__arity_check(3 + 1 + fn->nargs_max, argv, lens, err, sizeof err), 0);
    FFT_EQ_INT(ff__arity_check(3 + 1 + fn->nargs_min - 1, argv, lens, err, sizeof err), -1);
    FFT_EQ_INT(ff__arity_check(3 + 1 + fn->nargs_max + 1, argv, lens, err, sizeof err), -1);
    /* FCALL_RO of a writing function is refused; other commands pass */
    argv[0] = "FCALL_RO";
    lens[0] = 8;
    FFT_EQ_INT(ff__arity_check(3 + 1 + fn->nargs_min, argv, lens, err, sizeof err), -1);
    FFT_CHECK(strstr(err, "writes") != NULL);
    argv[0] = "GET";
    lens[0] = 3;
    FFT_EQ_INT(ff__arity_check(2, argv, lens, err, sizeof err), 0);
}

/* A correct op built the same way goes through (the check is not in the way). */
static void test_right_counts_pass(void) {
    int64_t before = cmd_calls("fcall_ro") + cmd_calls("fcall");
    ff_op *op = ff__op_new(C, ff__finish_text);
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_LANES, FF_FN_LANES_NKEYS);
    ff__cmd_str(op, cmd, "ff:i:{fp:0}:lanes");
    ff_op *done = run(op);
    FFT_OK(ff_op_status(done));
    ff_op_free(done);
    FFT_CHECK(cmd_calls("fcall_ro") + cmd_calls("fcall") == before + 1);
}

int main(void) {
    IT_RUN(test_wrong_argument_count);
    IT_RUN(test_wrong_key_count);
    IT_RUN(test_unknown_function);
    IT_RUN(test_one_bad_command_sends_nothing);
    IT_RUN(test_variadic_range);
    IT_RUN(test_right_counts_pass);
    return it_summary("test_arity");
}
