/*
 * ffctl: the FlowFabric operator CLI. This file only dispatches: global
 * options before the subcommand are folded into the context, and the
 * subcommand parses the rest (it also accepts the global options itself).
 *
 * Exit codes: 0 ok, 1 operation error ("error: FF_NAME: detail" on stderr),
 * 2 usage error.
 */
#include <string.h>

#include "cli/cli_cmds.h"

static const cli_cmd *const commands[] = {
    &cli_cmd_dev,    &cli_cmd_submit,   &cli_cmd_describe, &cli_cmd_result, &cli_cmd_list,
    &cli_cmd_lanes,  &cli_cmd_stats,    &cli_cmd_cancel,   &cli_cmd_replay, &cli_cmd_priority,
    &cli_cmd_revoke, &cli_cmd_claim_resumed, &cli_cmd_grant_claim, &cli_cmd_signal,   &cli_cmd_suspended, &cli_cmd_quarantined, &cli_cmd_waitpoints, &cli_cmd_waitpoint_token,
    &cli_cmd_secret, &cli_cmd_flow,     &cli_cmd_budget,   &cli_cmd_quota,    &cli_cmd_group,    &cli_cmd_lane,    &cli_cmd_logs,     &cli_cmd_summary,  &cli_cmd_worker,   &cli_cmd_workers,   &cli_cmd_engine,   &cli_cmd_serve,   &cli_cmd_demo,   &cli_cmd_version,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_main_help(FILE *f) {
    fprintf(f, "usage: ffctl [--url URL] [--data-dir DIR] [--json] COMMAND [ARGS...]\n\n"
           "Operator tool for FlowFabric, the durable job engine on Redis Functions.\n\n"
           "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++) fprintf(f, "  %-15s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\nGlobal options (accepted before or after the command):\n"
           "  --url URL       server: redis://[user:pass@]host:port[/db] or unix:///path.sock\n"
           "                  (default: $FF_URL, else the embedded server in the data dir)\n"
           "  --data-dir DIR  embedded server directory (default: $FF_HOME, else the nearest\n"
           "                  .flowfabric/ upward, else ~/.local/share/flowfabric; see 'ffctl dev')\n"
           "  --json          machine-readable output\n"
           "  --help, -h      help (also 'ffctl COMMAND --help')\n"
           "  --version       the same as 'ffctl version'\n\n"
           "Exit status: 0 ok, 1 operation failed (error: FF_NAME: detail), 2 usage error.\n");
}

static int run_version(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    while (cli_next(&it)) cli_unknown(&it);
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (ctx->json) {
        printf("{\"version\":\"%s\",\"abi\":%d,\"lua_library\":\"%s\"}\n", ff_version_string(),
               (int)ff_abi_version(), ff_lua_library_version());
    } else {
        printf("ffctl %s (ABI %d, server library %s)\n", ff_version_string(), (int)ff_abi_version(),
               ff_lua_library_version());
    }
    return CLI_OK;
}

const cli_cmd cli_cmd_version = {
    "version", run_version, "version", "Print the library and server-library versions.", NULL,
};

int main(int argc, char **argv) {
    cli_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    /* Global options before the command name; reuse the iterator so the
     * spelling rules (--opt=V, --opt V) are the same everywhere. */
    cli_iter it;
    cli_iter_init(&it, &ctx, NULL, argc - 1, argv + 1);
    const char *name = NULL;
    while (cli_next(&it)) {
        if (cli_pos(&it, &name)) break;
        if (cli_flag(&it, "version")) { /* `ffctl --version` is `ffctl version` */
            name = "version";
            break;
        }
        cli_unknown(&it);
    }
    if (it.err[0]) return cli_usage_error(NULL, "%s", it.err);
    if (name == NULL) {
        if (ctx.help) {
            print_main_help(stdout);
            return CLI_OK;
        }
        /* No command is a usage error: help goes to stderr, exit 2. */
        print_main_help(stderr);
        return CLI_EUSAGE;
    }
    if (strcmp(name, "help") == 0) {
        /* `ffctl help CMD` is the same as `ffctl CMD --help`. */
        if (it.i < it.argc) {
            for (size_t i = 0; i < NCOMMANDS; i++) {
                if (strcmp(commands[i]->name, it.argv[it.i]) == 0) {
                    cli_print_help(commands[i]);
                    return CLI_OK;
                }
            }
            return cli_usage_error(NULL, "unknown command '%s'", it.argv[it.i]);
        }
        print_main_help(stdout);
        return CLI_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i]->run(&ctx, commands[i], it.argc - it.i, it.argv + it.i);
    }
    return cli_usage_error(NULL, "unknown command '%s'", name);
}
