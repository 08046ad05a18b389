/*
 * `ffctl engine`: run the engine sweeps (lease expiry, delayed / retry
 * promotion, timeouts, deadlines, retention) until SIGINT / SIGTERM. Any
 * number may run; they split the partitions between them.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_cmds.h"
#include "cli/cli_signal.h"

#define STATS_EVERY_MS 5000

typedef struct engine_args {
    int64_t tick_ms, retention_ms, ownership_ttl_ms, batch;
    const char *engine_id;
    int verbose, quiet;
} engine_args;

static int parse(cli_iter *it, engine_args *a) {
    const char *v = NULL;
    while (cli_next(it)) {
        if (cli_opt(it, "tick-ms", &v)) {
            cli_parse_i64(it, "--tick-ms", v, 1, 60000, &a->tick_ms);
            continue;
        }
        if (cli_opt(it, "retention-ms", &v)) {
            cli_parse_i64(it, "--retention-ms", v, 0, INT64_MAX / 2, &a->retention_ms);
            continue;
        }
        if (cli_opt(it, "ownership-ttl-ms", &v)) {
            cli_parse_i64(it, "--ownership-ttl-ms", v, 100, 600000, &a->ownership_ttl_ms);
            continue;
        }
        if (cli_opt(it, "batch", &v)) {
            cli_parse_i64(it, "--batch", v, 1, 1000, &a->batch);
            continue;
        }
        if (cli_opt(it, "engine-id", &a->engine_id)) continue;
        if (cli_flag(it, "verbose") || strcmp(it->arg, "-v") == 0) {
            a->verbose = 1;
            continue;
        }
        if (cli_flag(it, "quiet") || strcmp(it->arg, "-q") == 0) {
            a->quiet = 1;
            continue;
        }
        cli_unknown(it);
    }
    return cli_end(it);
}

static int build_opts(const engine_args *a, ff_engine_opts **out) {
    ff_engine_opts *o = NULL;
    int st = ff_engine_opts_new(&o);
    if (st == FF_OK && a->tick_ms) st = ff_engine_opts_set_tick_ms(o, a->tick_ms);
    if (st == FF_OK && a->retention_ms >= 0) st = ff_engine_opts_set_retention_ms(o, a->retention_ms);
    if (st == FF_OK && a->ownership_ttl_ms) st = ff_engine_opts_set_ownership_ttl_ms(o, a->ownership_ttl_ms);
    if (st == FF_OK && a->batch) st = ff_engine_opts_set_batch(o, (uint32_t)a->batch);
    if (st == FF_OK && a->engine_id) {
        st = ff_engine_opts_set_engine_id(o, a->engine_id);
        if (st != FF_OK) {
            ff_engine_opts_free(o);
            return cli_error(st, "--engine-id: 1..79 printable bytes without spaces");
        }
    }
    if (st != FF_OK) {
        ff_engine_opts_free(o);
        return cli_error(st, "bad engine options");
    }
    *out = o;
    return CLI_OK;
}

static void print_stats(const ff_engine *e, FILE *f, const char *prefix) {
    char *s = NULL;
    if (ff_engine_stats_json(e, &s) == FF_OK) fprintf(f, "%s%s\n", prefix, s);
    ff_free(s);
}

static int run_engine(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    engine_args a = {.retention_ms = -1};
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    int rc = parse(&it, &a);
    if (rc >= 0) return rc;
    ff_engine_opts *o = NULL;
    if ((rc = build_opts(&a, &o)) != CLI_OK) return rc;
    if (cli_signals_install() != 0) {
        ff_engine_opts_free(o);
        return cli_error(FF_ESYS, "cannot install signal handlers");
    }
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) {
        ff_engine_opts_free(o);
        return rc;
    }
    ff_engine *e = NULL;
    int st = ff_engine_start(&e, c, o);
    ff_engine_opts_free(o);
    if (st != FF_OK) {
        ff_client_free(c);
        return cli_error(st, "cannot start the engine");
    }
    if (!a.quiet)
        fprintf(stderr, "ffctl engine: %s sweeping %u partitions of %s (Ctrl-C to stop)\n", ff_engine_id(e),
                (unsigned)ff_client_partitions(c), ff_client_url(c));
    struct pollfd pf = {cli_signals_fd(), POLLIN, 0};
    int64_t next_stats = cli_mono_ms() + STATS_EVERY_MS;
    while (cli_signals_count() == 0) {
        poll(&pf, 1, 250);
        if (a.verbose && cli_mono_ms() >= next_stats) {
            print_stats(e, stderr, "ffctl engine: ");
            next_stats += STATS_EVERY_MS;
        }
    }
    /* Stopping leaves the registry (one round trip), so the other engines
     * take the partitions at their next heartbeat; a second signal ends the
     * process at once and its registration simply lapses. */
    cli_signals_default();
    if (!a.quiet) fprintf(stderr, "ffctl engine: stopping, leaving the engine registry\n");
    if (ctx->json)
        print_stats(e, stdout, "");
    else if (!a.quiet)
        print_stats(e, stderr, "ffctl engine: final ");
    ff_engine_stop(e);
    ff_client_free(c);
    return CLI_OK;
}

const cli_cmd cli_cmd_engine = {
    "engine",
    run_engine,
    "engine [--tick-ms N] [--retention-ms N] [--ownership-ttl-ms N] [--batch N]\n"
    "             [--engine-id ID] [-v|-q]",
    "Run the engine sweeps (timers, lease expiry, retention) until interrupted.",
    "Sweeps each of its partitions when something there falls due: expired\n"
    "leases become reclaimable, due delayed and retrying executions are\n"
    "promoted, attempt timeouts and deadlines expire executions, and terminal\n"
    "executions older than the retention are deleted. With nothing due it only\n"
    "beats its heartbeat. Several engines (and workers with their engine on)\n"
    "split the partitions between them by the live set of the engine registry.\n"
    "\n"
    "Options:\n"
    "  --tick-ms N           shortest interval between two sweeps of one\n"
    "                        partition (1..60000, default 10)\n"
    "  --retention-ms N      keep terminal executions this long (default 24 h)\n"
    "  --ownership-ttl-ms N  registry membership ttl (default 6000, heartbeat every\n"
    "                        third of it); a dead engine's partitions move on\n"
    "                        after about this long\n"
    "  --batch N             items per partition per sweep (1..1000, default 200)\n"
    "  --engine-id ID        id shown by 'ffctl stats' (default engine-<uuid>)\n"
    "  -v, --verbose         print the counters every 5 s (stderr)\n"
    "  -q, --quiet           print nothing but errors\n"
    "\n"
    "SIGINT/SIGTERM stop it and leave the registry (the others take over at their\n"
    "next heartbeat); a second signal\n"
    "kills it. --json prints the final counters as JSON on stdout.\n",
};
