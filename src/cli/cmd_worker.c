/*
 * `ffctl worker`: a polyglot worker. Every claimed execution runs
 * `/bin/sh -c CMD` (payload on stdin, result from stdout; worker_task.h has
 * the outcome mapping) on a thread of its own, while ff_worker keeps the
 * leases renewed and claims more as slots free up. SIGINT / SIGTERM stop it
 * gracefully; a second signal stops it at once.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_cmds.h"
#include "cli/cli_signal.h"
#include "cli/worker_task.h"

#define MAX_KINDS 64
#define DEFAULT_MAX_RESULT (64u * 1024 * 1024)

typedef struct worker_args {
    const char *exec;
    const char *kinds[MAX_KINDS];
    size_t nkinds;
    int64_t concurrency, ttl_ms, poll_ms, max_tasks, idle_exit_ms;
    int no_engine, quiet, verbose, no_logs;
    const char *worker_id;
} worker_args;

static int parse(cli_iter *it, worker_args *a, ff_worker_opts *o) {
    const char *v = NULL;
    while (cli_next(it)) {
        if (cli_opt(it, "exec", &a->exec)) continue;
        if (cli_opt(it, "lane", &v)) {
            if (ff_worker_opts_add_lane(o, v) != FF_OK) cli_bad(it, "--lane: invalid lane '%s'", v);
            continue;
        }
        if (cli_opt(it, "cap", &v)) {
            if (ff_worker_opts_add_capability(o, v) != FF_OK) cli_bad(it, "--cap: invalid capability '%s'", v);
            continue;
        }
        if (cli_opt(it, "kind", &v)) {
            if (a->nkinds >= MAX_KINDS)
                cli_bad(it, "--kind: at most %d kinds", MAX_KINDS);
            else if (v[0] == '\0')
                cli_bad(it, "--kind: empty kind");
            else
                a->kinds[a->nkinds++] = v;
            continue;
        }
        if (cli_opt(it, "worker-id", &v)) {
            if (ff_worker_opts_set_worker_id(o, v) != FF_OK) cli_bad(it, "--worker-id: invalid id '%s'", v);
            continue;
        }
        if (cli_opt(it, "concurrency", &v)) {
            cli_parse_i64(it, "--concurrency", v, 1, 4096, &a->concurrency);
            continue;
        }
        if (cli_opt(it, "lease-ttl-ms", &v)) {
            cli_parse_i64(it, "--lease-ttl-ms", v, 1000, 3600000, &a->ttl_ms);
            continue;
        }
        if (cli_opt(it, "poll-ms", &v)) {
            cli_parse_i64(it, "--poll-ms", v, 100, 60000, &a->poll_ms);
            continue;
        }
        if (cli_opt(it, "max-tasks", &v)) {
            cli_parse_i64(it, "--max-tasks", v, 1, INT64_MAX, &a->max_tasks);
            continue;
        }
        if (cli_opt(it, "idle-exit-ms", &v)) {
            cli_parse_i64(it, "--idle-exit-ms", v, 1, INT64_MAX, &a->idle_exit_ms);
            continue;
        }
        if (cli_flag(it, "no-engine")) {
            a->no_engine = 1;
            continue;
        }
        if (cli_flag(it, "no-logs")) {
            a->no_logs = 1;
            continue;
        }
        if (cli_flag(it, "quiet") || strcmp(it->arg, "-q") == 0) {
            a->quiet = 1;
            continue;
        }
        if (cli_flag(it, "verbose") || strcmp(it->arg, "-v") == 0) {
            a->verbose = 1;
            continue;
        }
        cli_unknown(it);
    }
    if (!it->ctx->help && !it->err[0] && (a->exec == NULL || a->exec[0] == '\0'))
        cli_bad(it, "--exec CMD is required");
    return cli_end(it);
}

/* Make sure 0/1/2 are open, so no pipe or socket of ours lands there. */
static void guard_std_fds(void) {
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) < 0) {
            int n = open("/dev/null", O_RDWR);
            if (n >= 0 && n != fd) close(n);
        }
    }
}

static void print_summary(const cli_ctx *ctx, const worker_args *a, wt_ctx *w, ff_worker *wk) {
    if (!a->quiet)
        fprintf(stderr,
                "ffctl worker: stopped: %" PRIu64 " completed, %" PRIu64 " failed, %" PRIu64 " lost, %" PRIu64
                " errors\n",
                atomic_load(&w->completed), atomic_load(&w->failed), atomic_load(&w->lost), atomic_load(&w->errors));
    if (ctx->json) {
        char *stats = NULL;
        ff_worker_stats_json(wk, &stats);
        printf("{\"completed\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"lost\":%" PRIu64 ",\"errors\":%" PRIu64
               ",\"worker\":%s}\n",
               atomic_load(&w->completed), atomic_load(&w->failed), atomic_load(&w->lost), atomic_load(&w->errors),
               stats ? stats : "{}");
        ff_free(stats);
    }
}

/* Dispatch handlers and watch for signals and the exit conditions until the
 * worker has stopped and every task thread is done. */
static void run_loop(const worker_args *a, ff_client *c, ff_worker *wk, wt_ctx *w) {
    struct pollfd pf[2] = {{ff_client_fd(c), POLLIN, 0}, {cli_signals_fd(), POLLIN, 0}};
    int stopping = 0, hurried = 0;
    for (;;) {
        poll(pf, 2, 100);
        ff_client_dispatch(c, 0);
        int sigs = cli_signals_count();
        const char *why = NULL;
        if (sigs >= 1 && !stopping) why = "signal";
        if (!why && !stopping && a->max_tasks > 0 && (int64_t)atomic_load(&w->started) >= a->max_tasks)
            why = "--max-tasks reached";
        if (!why && !stopping && a->idle_exit_ms > 0 && atomic_load(&w->running) == 0 &&
            atomic_load(&w->started) == atomic_load(&w->finished) &&
            cli_mono_ms() - atomic_load(&w->last_activity_ms) >= a->idle_exit_ms)
            why = "idle";
        if (why) {
            stopping = 1;
            int n = atomic_load(&w->running);
            if (!a->quiet)
                fprintf(stderr, "ffctl worker: stopping (%s): %d task(s) in flight get up to %" PRId64
                                " ms to finish%s\n",
                        why, n, a->ttl_ms, sigs >= 1 ? " (signal again to stop now)" : "");
            ff_worker_stop(wk, a->ttl_ms);
        }
        if (sigs >= 2 && !hurried) {
            hurried = 1;
            if (!a->quiet) fprintf(stderr, "ffctl worker: stopping now: in-flight tasks are released\n");
            ff_worker_stop(wk, 0);
        }
        if (stopping && ff_worker_stopped(wk) && atomic_load(&w->running) == 0) break;
    }
    ff_client_dispatch(c, 0);
}

static int run_worker(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv) {
    worker_args a = {.concurrency = 1, .ttl_ms = 30000, .poll_ms = 2000};
    ff_worker_opts *o = NULL;
    if (ff_worker_opts_new(&o) != FF_OK) return cli_error(FF_ENOMEM, "out of memory");
    ff_worker_opts_set_worker_id(o, "ffctl-worker");
    cli_iter it;
    cli_iter_init(&it, ctx, cmd, argc, argv);
    int rc = parse(&it, &a, o);
    if (rc >= 0) {
        ff_worker_opts_free(o);
        return rc;
    }
    ff_worker_opts_set_concurrency(o, (uint32_t)a.concurrency);
    ff_worker_opts_set_lease_ttl_ms(o, a.ttl_ms);
    ff_worker_opts_set_poll_ms(o, a.poll_ms);
    ff_worker_opts_set_engine(o, !a.no_engine);

    guard_std_fds();
    /* Before connecting: the client's I/O thread must not be the one left
     * with default SIGINT handling. */
    if (cli_signals_install() != 0) {
        ff_worker_opts_free(o);
        return cli_error(FF_ESYS, "cannot install signal handlers");
    }
    ff_client *c = NULL;
    if ((rc = cli_connect(ctx, &c)) != CLI_OK) {
        ff_worker_opts_free(o);
        return rc;
    }
    wt_ctx w;
    wt_init(&w, a.exec, a.quiet, a.verbose, DEFAULT_MAX_RESULT, (uint64_t)a.max_tasks);
    w.no_logs = a.no_logs;
    /* The command may talk to the same server, but never learns a password. */
    w.server_url = cli_url_has_secret(cli_given_url(ctx)) ? NULL : ff_client_url(c);
    ff_worker *wk = NULL;
    int st = ff_worker_new(&wk, c, o);
    ff_worker_opts_free(o);
    for (size_t i = 0; st == FF_OK && i < a.nkinds; i++) st = ff_worker_on(wk, a.kinds[i], wt_handler, &w);
    if (st == FF_OK && a.nkinds == 0) st = ff_worker_on(wk, NULL, wt_handler, &w);
    if (st == FF_OK) st = ff_worker_start(wk);
    if (st != FF_OK) {
        cli_error(st, "cannot start the worker");
        ff_worker_free(wk);
        ff_client_free(c);
        return CLI_EOP;
    }
    if (!a.quiet)
        fprintf(stderr, "ffctl worker: instance %s on %s, concurrency %" PRId64 ", lease TTL %" PRId64
                        " ms, engine %s; running: %s\n",
                ff_worker_instance_id(wk), ff_client_url(c), a.concurrency, a.ttl_ms, a.no_engine ? "off" : "on",
                a.exec);
    run_loop(&a, c, wk, &w);
    print_summary(ctx, &a, &w, wk);
    ff_worker_free(wk);
    ff_client_free(c);
    return CLI_OK;
}

const cli_cmd cli_cmd_worker = {
    "worker",
    run_worker,
    "worker --exec CMD [--lane L]... [--cap C]... [--kind K]... [--concurrency N]\n"
    "             [--lease-ttl-ms N] [--poll-ms N] [--worker-id ID] [--no-engine]\n"
    "             [--max-tasks N] [--idle-exit-ms N] [-q|-v]",
    "Run a worker that executes a shell command per execution (any language).",
    "Claims executions from the lanes and runs `/bin/sh -c CMD` for each one, on a\n"
    "thread of its own (up to --concurrency at once), while the lease is renewed\n"
    "every third of its TTL in the background.\n"
    "\n"
    "The command gets:\n"
    "  stdin                 the payload bytes, then EOF\n"
    "  FF_EXECUTION_ID       execution id\n"
    "  FF_ATTEMPT            attempt index (0 for the first attempt)\n"
    "  FF_ATTEMPT_ID         id of this attempt (an idempotency key for side effects)\n"
    "  FF_ATTEMPT_TYPE       initial | retry | reclaim | replay | resumed\n"
    "  FF_KIND, FF_LANE, FF_NAMESPACE\n"
    "  FF_WORKER_INSTANCE_ID this worker process's instance id\n"
    "  FF_URL                the server ffctl uses, only when its URL carries no\n"
    "                        password (otherwise FF_URL is removed)\n"
    "and ffctl's other environment variables except FF_HMAC_SECRET. It runs in a\n"
    "process group of its own (Ctrl-C reaches ffctl, not the command).\n"
    "\n"
    "Outcome:\n"
    "  exit 0             completed; stdout (up to 64 MiB) is the result\n"
    "  exit N             failed, category \"exit_N\", reason = the last non-empty\n"
    "                     line of stderr (else \"exit N\"). Retry policies match the\n"
    "                     category: e.g. --retry-on exit_75 at submit retries only\n"
    "                     EX_TEMPFAIL. sh itself exits 127 when the command is missing.\n"
    "  killed by signal   failed, category \"signal\", reason \"signal 9 (SIGKILL)\"\n"
    "  stdout too large   failed, category \"result_too_large\"\n"
    "  lease lost         (expired, revoked, or the execution was cancelled) the\n"
    "                     command is stopped (SIGTERM, SIGKILL 2 s later) and nothing\n"
    "                     is written\n"
    "One line per outcome goes to stderr (-q: none; -v: also task starts and the\n"
    "commands' stderr lines). Each stderr line of the command is also appended,\n"
    "as it comes, to the attempt's output stream (frame type \"stderr\"): follow\n"
    "it with `ffctl logs ID -f`. A stderr line \"::summary {JSON}\" is merged\n"
    "(RFC 7396) into the attempt's summary document instead (`ffctl summary ID`).\n"
    "--no-logs: neither.\n"
    "\n"
    "Options:\n"
    "  --lane L            lane to claim from (repeatable; default \"default\")\n"
    "  --cap C             capability this worker offers (repeatable)\n"
    "  --kind K            only handle kind K (repeatable). Executions of other kinds\n"
    "                      claimed from the lanes are FAILED with category\n"
    "                      \"no_handler\": route kinds to workers with lanes.\n"
    "  --concurrency N     tasks in flight (1..4096, default 1)\n"
    "  --lease-ttl-ms N    lease TTL (1000..3600000, default 30000); also the grace\n"
    "                      period of a graceful stop\n"
    "  --poll-ms N         fallback poll while idle (100..60000, default 2000; new work\n"
    "                      is pushed to idle workers, the poll only covers lost wake-ups)\n"
    "  --worker-id ID      worker id recorded on leases (default ffctl-worker)\n"
    "  --no-engine         do not also run the engine sweeps in this process\n"
    "  --max-tasks N       run N tasks, then stop (what was claimed beyond N is released)\n"
    "  --idle-exit-ms N    stop after N ms without any task\n"
    "  -q, --quiet         no per-task lines\n"
    "  -v, --verbose       also print task starts and the commands' stderr\n"
    "  --no-logs           do not stream the commands' stderr lines to the\n"
    "                      attempts' output streams (ffctl logs)\n"
    "\n"
    "SIGINT/SIGTERM: stop claiming, give running commands up to the lease TTL, then\n"
    "release what is left (it is resumed elsewhere). A second signal releases at once.\n"
    "--json prints the final counters as JSON on stdout. Exit status 0 after a stop.\n",
};
