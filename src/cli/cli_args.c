/* Argument iteration for subcommands, plus usage/help printing. Options may
 * be interleaved with positionals (`ffctl describe ID --json` and
 * `ffctl --json describe ID` both work), which is what operators type. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"

void cli_iter_init(cli_iter *it, cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    memset(it, 0, sizeof *it);
    it->ctx = ctx;
    it->cmd = cmd;
    it->argc = argc;
    it->argv = argv;
}

void cli_bad(cli_iter *it, const char *fmt, ...) {
    if (it->err[0]) return; /* the first problem is the one worth reading */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->err, sizeof it->err, fmt, ap);
    va_end(ap);
    if (!it->err[0]) snprintf(it->err, sizeof it->err, "bad arguments");
}

/* Is the current argument "--name" or "--name=..."? Sets *eq to the '='. */
static int name_matches(const cli_iter *it, const char *name, const char **eq) {
    const char *a = it->arg;
    if (it->only_pos || a == NULL || strncmp(a, "--", 2) != 0) return 0;
    size_t n = strlen(name);
    if (strncmp(a + 2, name, n) != 0) return 0;
    if (a[2 + n] == '\0') {
        *eq = NULL;
        return 1;
    }
    if (a[2 + n] == '=') {
        *eq = a + 2 + n;
        return 1;
    }
    return 0;
}

int cli_opt(cli_iter *it, const char *name, const char **val) {
    const char *eq = NULL;
    if (!name_matches(it, name, &eq)) return 0;
    if (eq) {
        *val = eq + 1;
    } else if (it->i < it->argc) {
        *val = it->argv[it->i++];
    } else {
        *val = "";
        cli_bad(it, "option --%s needs a value", name);
    }
    return 1;
}

int cli_flag(cli_iter *it, const char *name) {
    const char *eq = NULL;
    if (!name_matches(it, name, &eq)) return 0;
    if (eq) cli_bad(it, "option --%s takes no value", name);
    return 1;
}

int cli_short(cli_iter *it, char letter) {
    const char *a = it->arg;
    return !it->only_pos && a && a[0] == '-' && a[1] == letter && a[2] == '\0';
}

static int looks_negative_number(const char *a) { return a[0] == '-' && a[1] >= '0' && a[1] <= '9'; }

int cli_pos(cli_iter *it, const char **val) {
    const char *a = it->arg;
    if (a == NULL) return 0;
    if (!it->only_pos && a[0] == '-' && a[1] != '\0' && !looks_negative_number(a)) return 0;
    *val = a;
    return 1;
}

void cli_unknown(cli_iter *it) {
    if (it->arg && it->arg[0] == '-' && !it->only_pos)
        cli_bad(it, "unknown option %s", it->arg);
    else
        cli_bad(it, "unexpected argument '%s'", it->arg ? it->arg : "");
}

int cli_next(cli_iter *it) {
    for (;;) {
        if (it->err[0] || it->i >= it->argc) {
            it->arg = NULL;
            return 0;
        }
        it->arg = it->argv[it->i++];
        if (!it->only_pos && strcmp(it->arg, "--") == 0) {
            it->only_pos = 1;
            continue;
        }
        const char *v = NULL;
        if (cli_opt(it, "url", &v)) {
            it->ctx->url = v;
            continue;
        }
        if (cli_opt(it, "data-dir", &v)) {
            it->ctx->data_dir = v;
            continue;
        }
        if (cli_flag(it, "json")) {
            it->ctx->json = 1;
            continue;
        }
        if (cli_flag(it, "help") || (!it->only_pos && strcmp(it->arg, "-h") == 0)) {
            it->ctx->help = 1;
            continue;
        }
        return 1;
    }
}

int cli_end(cli_iter *it) {
    /* --help wins over everything else: `ffctl submit --help` with no
     * --kind must print help, not complain. */
    if (it->ctx->help) {
        cli_print_help(it->cmd);
        return CLI_OK;
    }
    if (it->err[0]) return cli_usage_error(it->cmd, "%s", it->err);
    return -1;
}

int cli_opt_i64(cli_iter *it, const char *name, int64_t lo, int64_t hi, int64_t *out) {
    const char *v = NULL;
    if (!cli_opt(it, name, &v)) return 0;
    char what[80];
    snprintf(what, sizeof what, "--%s", name);
    cli_parse_i64(it, what, v, lo, hi, out);
    return 1;
}

int cli_parse_i64(cli_iter *it, const char *what, const char *s, int64_t lo, int64_t hi, int64_t *out) {
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (s[0] == '\0' || end == NULL || *end != '\0' || errno == ERANGE) {
        cli_bad(it, "%s: '%s' is not an integer", what, s);
        return 0;
    }
    if (v < lo || v > hi) {
        cli_bad(it, "%s: %lld is out of range (%lld..%lld)", what, v, (long long)lo, (long long)hi);
        return 0;
    }
    *out = (int64_t)v;
    return 1;
}

int cli_parse_double(cli_iter *it, const char *what, const char *s, double lo, double hi, double *out) {
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (s[0] == '\0' || end == NULL || *end != '\0' || errno == ERANGE || isnan(v)) {
        cli_bad(it, "%s: '%s' is not a number", what, s);
        return 0;
    }
    if (v < lo || v > hi) {
        cli_bad(it, "%s: %g is out of range (%g..%g)", what, v, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (cmd) {
        fprintf(stderr, "ffctl %s: %s\nusage: ffctl %s\n(see 'ffctl %s --help')\n", cmd->name, msg, cmd->synopsis,
                cmd->name);
    } else {
        fprintf(stderr, "ffctl: %s\nusage: ffctl [--url URL] [--data-dir DIR] [--json] COMMAND [ARGS...]\n"
                        "(see 'ffctl --help')\n",
                msg);
    }
    return CLI_EUSAGE;
}

void cli_print_help(const cli_cmd *cmd) {
    printf("usage: ffctl %s\n\n%s\n", cmd->synopsis, cmd->summary);
    if (cmd->help && cmd->help[0]) printf("\n%s", cmd->help);
    printf("\nGlobal options: --url URL, --data-dir DIR, --json, --help (see 'ffctl --help').\n");
}

int cli_call_done(const cli_cmd *cmd, int st, ff_op **op, const char *what) {
    if (st == FF_EINVAL) {
        const char *detail = ff_error_detail(st);
        return cli_usage_error(cmd, "%s", detail[0] ? detail : "invalid argument");
    }
    return cli_wait(st, op, what) == FF_OK ? CLI_OK : CLI_EOP;
}

int cli_positional(cli_iter *it, const char **slots[], size_t n) {
    for (size_t i = 0; i < n; i++)
        if (*slots[i] == NULL) {
            const char *p = NULL;
            if (!cli_pos(it, &p)) return 0;
            *slots[i] = p;
            return 1;
        }
    return 0;
}

int cli_dispatch(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, const cli_cmd *const *subs, size_t n) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *name = NULL;
    while (cli_next(&it)) {
        if (cli_pos(&it, &name)) break;
        cli_unknown(&it);
    }
    if (name == NULL) {
        int rc = cli_end(&it);
        return rc >= 0 ? rc : cli_usage_error(cmd, "missing subcommand");
    }
    size_t skip = strlen(cmd->name) + 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(subs[i]->name + skip, name) == 0) return subs[i]->run(ctx, subs[i], argc - it.i, argv + it.i);
    return cli_usage_error(cmd, "unknown subcommand '%s'", name);
}

int cli_all_pages(const cli_cmd *cmd, ff_client *c, cli_page_fn page, const char *list_key, json_t **out) {
    json_t *all = json_array();
    char *cursor = NULL;
    int rc = CLI_OK;
    do {
        ff_op *op = NULL;
        rc = cli_call_done(cmd, page(c, cursor, 1000, NULL, NULL, &op), &op, cmd->name);
        free(cursor);
        cursor = NULL;
        json_t *doc = rc == CLI_OK ? json_loads(ff_op_json(op), 0, NULL) : NULL;
        ff_op_free(op);
        if (rc != CLI_OK) break;
        if (doc == NULL) {
            rc = cli_error(FF_EPROTO, "a page of %s does not parse", cmd->name);
            break;
        }
        json_array_extend(all, json_object_get(doc, list_key));
        const char *next = json_string_value(json_object_get(doc, "next_cursor"));
        if (next && next[0]) cursor = strdup(next);
        json_decref(doc);
    } while (cursor);
    *out = all;
    return rc;
}
