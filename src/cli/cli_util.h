/*
 * ffctl internals shared by every subcommand: the command table entry, the
 * argument iterator, error reporting, connecting, time formatting and
 * aligned tables. ffctl talks to the library ONLY through <flowfabric.h>;
 * nothing here may include a src/ private header.
 */
#ifndef FFCTL_CLI_UTIL_H
#define FFCTL_CLI_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <flowfabric.h>
#include <jansson.h>

/* Process exit codes (documented in `ffctl --help`). */
enum { CLI_OK = 0, CLI_EOP = 1, CLI_EUSAGE = 2 };

/* Options that every subcommand accepts, wherever they appear. */
typedef struct cli_ctx {
    const char *url;      /* --url; NULL: FF_URL, else the embedded server */
    const char *data_dir; /* --data-dir; NULL: the library's resolution (ffctl dev --help) */
    int json;             /* --json: machine-readable output */
    int help;             /* --help seen */
} cli_ctx;

typedef struct cli_cmd cli_cmd;
typedef int (*cli_run_fn)(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv);

struct cli_cmd {
    const char *name;
    cli_run_fn run;
    const char *synopsis; /* one line, without "ffctl " */
    const char *summary;  /* one line for the command list */
    const char *help;     /* option details for `ffctl CMD --help` (may be NULL) */
};

/* ------------------------------------------------------ argument iterator */

/* Walks a subcommand's argv. Global options (--url, --data-dir, --json,
 * --help) are consumed inside cli_next() so every command accepts them in
 * any position without listing them. Typical loop:
 *
 *   cli_iter it; cli_iter_init(&it, ctx, cmd, argc, argv);
 *   while (cli_next(&it)) {
 *       if (cli_opt(&it, "lane", &lane)) continue;
 *       if (cli_pos(&it, &id)) continue;
 *       cli_unknown(&it);
 *   }
 *   if ((rc = cli_end(&it)) >= 0) return rc;   // usage error or --help
 */
typedef struct cli_iter {
    cli_ctx *ctx;
    const cli_cmd *cmd;
    int argc;
    char **argv;
    int i;            /* index of the next argument */
    const char *arg;  /* the current argument */
    int only_pos;     /* after "--": everything is positional */
    char err[512];    /* first usage error, "" if none */
} cli_iter;

void cli_iter_init(cli_iter *it, cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv);
/* 1 while there is an argument to classify; 0 at the end or after an error. */
int cli_next(cli_iter *it);
/* "--name VALUE" or "--name=VALUE". A missing value records a usage error
 * (and still returns 1 with *val = "" so the caller's loop just continues). */
int cli_opt(cli_iter *it, const char *name, const char **val);
/* "--name" without value. */
int cli_flag(cli_iter *it, const char *name);
/* A positional argument ("-" and negative numbers count as positional). */
int cli_pos(cli_iter *it, const char **val);
/* Is the current argument the short flag "-<letter>"? */
int cli_short(cli_iter *it, char letter);
/* Record "unknown option" / "unexpected argument" for the current argument. */
void cli_unknown(cli_iter *it);
/* Record a usage error (printf-style); only the first one is kept. */
void cli_bad(cli_iter *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* After the loop: CLI_EUSAGE (error printed), CLI_OK (--help printed), or -1
 * to go on. */
int cli_end(cli_iter *it);

/* Number parsing for option values; on failure records a usage error naming
 * @p what and returns 0. */
int cli_parse_i64(cli_iter *it, const char *what, const char *s, int64_t lo, int64_t hi, int64_t *out);
int cli_parse_double(cli_iter *it, const char *what, const char *s, double lo, double hi, double *out);
/* "--name N" with N an integer in lo..hi into *out (cli_parse_i64 records a
 * bad value); 1 when this argument was that option. */
int cli_opt_i64(cli_iter *it, const char *name, int64_t lo, int64_t hi, int64_t *out);

/* Print a usage error for @p cmd outside an iterator; returns CLI_EUSAGE. */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Full help of one command on stdout. */
void cli_print_help(const cli_cmd *cmd);

/* --------------------------------------------------------------- errors */

/* "error: FF_NAME: detail" on stderr. Returns CLI_EOP. */
int cli_error(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Finish an operation started in future mode: @p start_st is what the
 * starting call returned and @p opp where it stored the op (read after the
 * call, so `cli_wait(ff_x(..., &op), &op, ...)` is safe). Waits, and on
 * failure prints "error: FF_NAME: <server detail> (<what>)". Returns the
 * final status. The op is still the caller's to free. */
int cli_wait(int start_st, ff_op **opp, const char *what);

/* ------------------------------------------------------------ connecting */

/* Connect per ctx (--url, else FF_URL, else the embedded server). Prints the
 * error and returns CLI_EOP on failure. */
int cli_connect(const cli_ctx *ctx, ff_client **out);
/* The server URL ffctl was given (--url, else $FF_URL; NULL: the embedded
 * server), as typed: with its password, for handing to a child process
 * through its environment only, never to print. */
const char *cli_given_url(const cli_ctx *ctx);
/* 1 when @p url carries a password (its redacted form differs). */
int cli_url_has_secret(const char *url);

/* ------------------------------------------------------------------ time */

/* ISO-8601 UTC with milliseconds ("2024-05-01T12:00:00.123Z"); "-" for 0. */
const char *cli_iso8601(int64_t unix_ms, char *buf, size_t cap);
/* Wall clock in unix ms, and a monotonic clock in ms (for timeouts). */
int64_t cli_now_ms(void);
int64_t cli_mono_ms(void);
void cli_sleep_ms(int64_t ms);

/* ---------------------------------------------------------------- output */

/* Write bytes as a JSON string literal (UTF-8 checked by the caller). */
void cli_json_string(FILE *f, const char *s, size_t len);
/* 1 when the bytes are valid UTF-8 without NUL. */
int cli_is_utf8(const void *data, size_t len);
/* Write @p n bytes as standard base64 (with padding). */
void cli_base64(FILE *f, const void *data, size_t n);
/* Write a C string (NULL = "") to stdout as a JSON string literal. */
void cli_json_str(const char *s);

/* ------------------------------------------------------- subcommands */

/* Wait for a started call: CLI_OK, CLI_EOP (error printed), or CLI_EUSAGE
 * when the library refused an argument before sending anything (a bad
 * lane, id or name is bad input, not a failed operation). */
int cli_call_done(const cli_cmd *cmd, int st, ff_op **op, const char *what);
/* Take the next positional argument into the first of @p slots still
 * NULL; 0 when the argument is not positional or every slot is full. */
int cli_positional(cli_iter *it, const char **slots[], size_t n);
/* Run the subcommand of @p cmd named by the first positional argument
 * among @p subs (named "<cmd> <sub>"), with the arguments after it. */
int cli_dispatch(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, const cli_cmd *const *subs, size_t n);
/* A listing of pages {list_key: [...], "next_cursor"} by @p page (a
 * ff_quota_list-shaped call, 1000 per page), every page read: the entries
 * into *out (a new array; the caller decrefs it). CLI_OK or the error
 * status of the first failing page (printed). */
typedef int (*cli_page_fn)(ff_client *c, const char *cursor, uint32_t count, ff_op_cb cb, void *ud, ff_op **out);
int cli_all_pages(const cli_cmd *cmd, ff_client *c, cli_page_fn page, const char *list_key, json_t **out);

#endif
