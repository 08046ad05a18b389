/* `ffctl dev up|down|status`: the embedded private redis-server that clients
 * use when no server URL is configured. */
#include <string.h>

#include "cli/cli_util.h"

#define URL_CAP 1024

static void print_state(const cli_ctx *ctx, int running, const char *url) {
    if (ctx->json) {
        printf("{\"running\":%s,\"url\":", running ? "true" : "false");
        cli_json_string(stdout, url, strlen(url));
        printf("}\n");
    } else if (running) {
        printf("embedded server running at %s\n", url);
    } else {
        printf("embedded server not running (would listen at %s)\n", url);
    }
}

static int dev_up(const cli_ctx *ctx) {
    char url[URL_CAP] = "";
    int st = ff_dev_server_up(ctx->data_dir, url, sizeof url);
    /* On failure the library writes its explanation where the URL goes. */
    if (st != FF_OK) return cli_error(st, "%s", url[0] ? url : "could not start the embedded server");
    print_state(ctx, 1, url);
    return CLI_OK;
}

static int dev_status(const cli_ctx *ctx) {
    char url[URL_CAP] = "";
    int st = ff_dev_server_status(ctx->data_dir, url, sizeof url);
    if (st != FF_OK && st != FF_ENOTFOUND) return cli_error(st, "cannot inspect the embedded server directory");
    print_state(ctx, st == FF_OK, url);
    /* Scripts can test `ffctl dev status` directly, like `systemctl is-active`. */
    return st == FF_OK ? CLI_OK : CLI_EOP;
}

static int dev_down(const cli_ctx *ctx) {
    char url[URL_CAP] = "";
    ff_dev_server_status(ctx->data_dir, url, sizeof url);
    int st = ff_dev_server_down(ctx->data_dir);
    if (st != FF_OK && st != FF_ENOTFOUND) return cli_error(st, "could not stop the embedded server at %s", url);
    /* Stopping a stopped server is success: `down` is idempotent. */
    if (ctx->json) {
        printf("{\"stopped\":%s,\"url\":", st == FF_OK ? "true" : "false");
        cli_json_string(stdout, url, strlen(url));
        printf("}\n");
    } else {
        printf(st == FF_OK ? "embedded server stopped (%s)\n" : "embedded server was not running (%s)\n", url);
    }
    return CLI_OK;
}

static int run_dev(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    const char *action = NULL, *p = NULL;
    while (cli_next(&it)) {
        if (cli_pos(&it, &p)) {
            if (action == NULL)
                action = p;
            else
                cli_unknown(&it);
            continue;
        }
        cli_unknown(&it);
    }
    int rc = cli_end(&it);
    if (rc >= 0) return rc;
    if (action == NULL) return cli_usage_error(cmd, "missing action (up, down or status)");
    if (ctx->url) return cli_usage_error(cmd, "--url does not apply: dev manages the embedded server");
    if (strcmp(action, "up") == 0) return dev_up(ctx);
    if (strcmp(action, "down") == 0) return dev_down(ctx);
    if (strcmp(action, "status") == 0) return dev_status(ctx);
    return cli_usage_error(cmd, "unknown action '%s' (up, down or status)", action);
}

const cli_cmd cli_cmd_dev = {
    "dev",
    run_dev,
    "dev up|down|status [--data-dir DIR]",
    "Start, stop or inspect the embedded private redis-server.",
    "  up       start it (or find it running) and print its URL\n"
    "  down     shut it down (the AOF is kept; data survives)\n"
    "  status   print its URL; exit 0 if it answers, 1 if not\n"
    "\n"
    "The server keeps its data in DIR and listens on a unix socket there. DIR is\n"
    "--data-dir, else $FF_HOME, else the nearest .flowfabric/ directory from the\n"
    "current one upward (as git finds .git), else one per-user directory\n"
    "($XDG_DATA_HOME/flowfabric or ~/.local/share/flowfabric), so programs\n"
    "started in different folders meet on one server. Every ffctl command (and\n"
    "every client) uses it when neither --url nor $FF_URL is given, starting it\n"
    "on demand with one line on stderr; it keeps running until `ffctl dev down`.\n"
    "A client that started or found it restarts it if it dies, so stop the\n"
    "workers before `dev down`.\n",
};
