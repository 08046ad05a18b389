/*
 * The task side of `ffctl worker`: the ff_worker handler hands every claimed
 * execution to a thread of its own, which runs the command (proc_run.h),
 * maps its outcome to complete / fail, and prints one line per outcome.
 *
 * OUTCOME MAPPING (also in `ffctl worker --help`)
 *   exit 0                 complete; stdout is the result
 *   exit N (N > 0)         fail, category "exit_N", reason = the last
 *                          non-empty line of stderr, else "exit N"
 *   killed by signal S     fail, category "signal", reason "signal S (NAME)"
 *                          plus the last stderr line when there is one
 *   stdout > result limit  fail, category "result_too_large"
 *   cannot start /bin/sh   fail, category "spawn_error"
 *   lease lost / released  the command is stopped (SIGTERM, then SIGKILL)
 *                          and nothing is written: the execution belongs to
 *                          someone else now
 *
 * Each stderr line of the command is also appended, as it comes, to the
 * attempt's output stream (a durable frame of type "stderr"; `ffctl logs`
 * shows them), and a line "::summary {json}" is merged into the attempt's
 * summary document (`ffctl summary`), unless --no-logs.
 */
#ifndef FFCTL_WORKER_TASK_H
#define FFCTL_WORKER_TASK_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <flowfabric.h>

/*
 * THE COMMAND'S ENVIRONMENT (also in `ffctl worker --help`)
 *   ffctl's own environment, without the secrets the command has no use for
 *   (FF_HMAC_SECRET, and FF_URL when the server URL carries a password),
 *   plus FF_EXECUTION_ID, FF_ATTEMPT, FF_ATTEMPT_ID, FF_ATTEMPT_TYPE,
 *   FF_KIND, FF_LANE, FF_NAMESPACE, FF_WORKER_INSTANCE_ID and, when the
 *   server URL carries no password, FF_URL (the server ffctl uses).
 */
typedef struct wt_ctx {
    const char *command;
    const char *server_url; /* FF_URL for the command; NULL: none (it carries a password) */
    int quiet;       /* no per-task lines */
    int verbose;     /* also a line when a task starts, and the command's stderr */
    int no_logs;     /* do not stream the command's stderr lines to the attempt's output stream */
    size_t max_result;
    uint64_t max_tasks; /* 0: no limit; tasks claimed beyond it are released */
    atomic_int running; /* task threads alive */
    _Atomic uint64_t accepted; /* handler calls, including released extras */
    _Atomic uint64_t started, finished, completed, failed, lost, errors;
    _Atomic int64_t last_activity_ms; /* cli_mono_ms() of the last start / end */
} wt_ctx;

void wt_init(wt_ctx *w, const char *command, int quiet, int verbose, size_t max_result, uint64_t max_tasks);
/* ff_task_handler; ud is the wt_ctx. Never blocks. */
void wt_handler(ff_task *t, void *ud);

#endif
