/*
 * The worker runtime: claims executions from lanes into a fixed number of
 * concurrency slots, hands each to a handler, keeps its lease renewed, and
 * shuts down gracefully.
 *
 * THREADING
 *   Claiming, wake-ups and lease renewal run on the client's I/O thread, so
 *   leases stay renewed (every ttl/3) however long a handler keeps the host
 *   thread busy. Handlers are delivered like any callback: queued for
 *   ff_client_dispatch() on the host thread (or run on the I/O thread when
 *   the client uses inline dispatch; then they must not block). A handler may
 *   finish its task later and from any thread (thread pools, event loops):
 *   the task stays claimed until ff_task_complete / _fail / _cancel /
 *   _delay / _release is called exactly once.
 *
 * IDLE COST
 *   An idle worker blocks on a dedicated connection subscribed to its lanes'
 *   wake-up channels (published by the server when a lane goes from empty to
 *   non-empty), plus one fallback claim every poll interval (default 5 s),
 *   which only matters if a wake-up message is lost. The engine a worker
 *   runs by default (ff_worker_opts_set_engine) is a per-deployment cost on
 *   top: partitions are split between all running engines.
 *
 * PULL MODE (ff_worker_opts_set_pull)
 *   For hosts that cannot take callbacks (LuaJIT, loops that poll): claimed
 *   tasks of kinds without a registered handler are not failed as
 *   "no_handler" but handed out by ff_worker_next_task(), each exactly once.
 *   Claiming, wake-ups and lease renewal go on on the I/O thread exactly as
 *   in callback mode (a pulled task's lease is renewed until it is
 *   finished). The caller owns the pulled task until it makes one finishing
 *   call (ff_task_complete / _fail / _cancel / _delay / _release / _suspend);
 *   those calls work from any thread and in any completion mode (future
 *   mode with ff_op_wait needs no dispatch; with neither cb nor out they stay
 *   fire-and-forget, also on a pull client). On stop, as for a handler that
 *   is still running: after the grace period a task not finished is
 *   released (claimable again, same attempt) and marked lost; its finishing
 *   call is still owed and returns FF_ECANCELED without sending anything.
 *   Tasks released before anyone pulled them are dropped, never handed out.
 *
 * LOST TASKS
 *   When a renewal is refused (stale, expired, revoked lease, or execution no
 *   longer active) the task is marked lost: ff_task_lost() returns the status
 *   and its later complete/fail is not sent (it returns that status).
 */
#ifndef FLOWFABRIC_WORKER_H
#define FLOWFABRIC_WORKER_H

#include "client.h"
#include "engine.h"
#include "lease.h"
#include "signal.h"
#include "stream.h"
#include "budget.h"

FF_EXTERN_C_BEGIN

typedef struct ff_worker ff_worker;
typedef struct ff_worker_opts ff_worker_opts;
typedef struct ff_task ff_task;

/** Handler: runs once per claimed execution. @p task stays valid until one
 *  finishing call (complete/fail/cancel/delay/release) has been made on it. */
typedef void (*ff_task_handler)(ff_task *task, void *ud);

/** Defaults: worker id "worker", random instance id, lane "default",
 *  concurrency 1, lease TTL 30000 ms, poll 5000 ms, engine on. */
FF_API int ff_worker_opts_new(ff_worker_opts **out);
FF_API void ff_worker_opts_free(ff_worker_opts *o);
FF_API int ff_worker_opts_set_worker_id(ff_worker_opts *o, const char *worker_id);
FF_API int ff_worker_opts_set_instance_id(ff_worker_opts *o, const char *instance_id);
/** First call replaces the default lane; later calls add lanes. */
FF_API int ff_worker_opts_add_lane(ff_worker_opts *o, const char *lane);
FF_API int ff_worker_opts_add_capability(ff_worker_opts *o, const char *token);
/** 1 .. 4096 tasks in flight. */
FF_API int ff_worker_opts_set_concurrency(ff_worker_opts *o, uint32_t n);
/** 1000 .. 3600000 ms. */
FF_API int ff_worker_opts_set_lease_ttl_ms(ff_worker_opts *o, int64_t ms);
/** Fallback poll interval while idle, 100 .. 60000 ms. */
FF_API int ff_worker_opts_set_poll_ms(ff_worker_opts *o, int64_t ms);
/** 1: pull mode (see PULL MODE above). 0 (default): a kind without a
 *  handler (and no default handler) is failed with category "no_handler". */
FF_API int ff_worker_opts_set_pull(ff_worker_opts *o, int32_t on);
/** 1 (default): also run an engine (sweeps) on the worker's client. */
FF_API int ff_worker_opts_set_engine(ff_worker_opts *o, int32_t on);
/** Options of that engine (copied; default: the engine defaults). */
FF_API int ff_worker_opts_set_engine_opts(ff_worker_opts *o, const ff_engine_opts *eo);

/** Create a worker on @p c (not started). */
FF_API int ff_worker_new(ff_worker **out, ff_client *c, const ff_worker_opts *o);
/** Register the handler of an execution kind (NULL kind: the default for
 *  kinds without their own). Executions of a kind with no handler and no
 *  default are failed with category "no_handler". Before ff_worker_start. */
FF_API int ff_worker_on(ff_worker *w, const char *kind, ff_task_handler fn, void *ud);
/** Start claiming. */
FF_API int ff_worker_start(ff_worker *w);
/** Begin a graceful stop: no new claims; tasks in flight get @p grace_ms to
 *  finish, after which the rest are released (made claimable again at once,
 *  resuming the same attempt) and marked lost. Returns immediately. Calling
 *  it again with a shorter grace shortens the stop (grace 0: release now). */
FF_API int ff_worker_stop(ff_worker *w, int64_t grace_ms);
/** Pull mode: the next claimed task, waiting up to @p timeout_ms for one
 *  (0: do not wait; < 0: until a task comes or the worker stops). FF_OK with
 *  *task set (owned by the caller until its one finishing call);
 *  FF_EAGAIN (*task NULL) when none came in time; FF_ECLOSED once the worker
 *  has stopped and no task is left; FF_EINVAL when @p w is not in pull mode
 *  or on the client's I/O thread. Start the worker first. Any other thread;
 *  concurrent callers each get different tasks.
 *  @blocking */
FF_API int ff_worker_next_task(ff_worker *w, ff_task **task, int64_t timeout_ms);
/** Pull mode: a file descriptor that is readable while tasks wait to be
 *  pulled, and for good once the worker has stopped (ff_worker_next_task
 *  then answers FF_ECLOSED); poll it in an event loop, then call
 *  ff_worker_next_task with timeout 0. Level-triggered; owned by the worker
 *  (do not read or close it). -1 when @p w is NULL or not in pull mode. */
FF_API int ff_worker_next_fd(const ff_worker *w);
/** 1 once a stop has completed (every slot is free). */
FF_API int32_t ff_worker_stopped(const ff_worker *w);
/** Convenience host loop: dispatch callbacks on the calling thread until
 *  @p max_tasks tasks finished (0 = no limit), or no task was claimed for
 *  @p idle_timeout_ms (0 = no limit), or the worker stopped. Starts the
 *  worker if needed and stops it gracefully (grace = lease TTL) before
 *  returning. Returns FF_OK, or FF_EINVAL if called on the I/O thread.
 *  @blocking */
FF_API int ff_worker_run(ff_worker *w, uint64_t max_tasks, int64_t idle_timeout_ms);
/** Stops (grace 0) if still running, then frees. NULL-safe. Do not call on
 *  the I/O thread.
 *  @blocking */
FF_API void ff_worker_free(ff_worker *w);
/** Counters as JSON (claimed, completed, failed, cancelled, delayed,
 *  released, lost, renewals, renew_failures, wakeups, polls, finished,
 *  suspended, in_flight). Caller frees with ff_free(). */
FF_API int ff_worker_stats_json(const ff_worker *w, char **out);
FF_API const char *ff_worker_instance_id(const ff_worker *w);

/* ------------------------------------------------------------------ tasks */

/** The task's claim (fence, payload, kind...). Borrowed from the task. */
FF_API const ff_claim *ff_task_claim(const ff_task *t);
/** 0 while the lease is held, else the status that ended it. */
FF_API int ff_task_lost(const ff_task *t);
/** The worker's ud passed to ff_worker_on for this task's handler. */
FF_API void *ff_task_userdata(const ff_task *t);
/* Finishing calls: exactly one per task. cb/out follow the completion
 * contract, except that both may be NULL (fire and forget). After the call
 * returns the task pointer must not be used. A lost task's finishing call
 * is not sent and returns the loss status. Each one's result is that of the
 * ff_lease_* call of the same name (lease.h). */

/** Complete with result bytes: ff_op_text() = "completed".
 *  @yields text */
FF_API int ff_task_complete(ff_task *t, const void *result, size_t len, ff_op_cb cb, void *ud, ff_op **out);
/** Fail the attempt: ff_op_text() = "retry_scheduled" (ff_op_int() = retry
 *  time, unix ms) or "terminal_failed".
 *  @yields text, int */
FF_API int ff_task_fail(ff_task *t, const char *reason, const char *category, ff_op_cb cb, void *ud, ff_op **out);
/** ff_task_fail with flags (FF_FAIL_NO_RETRY: no retry whatever the policy).
 *  @yields text, int */
FF_API int ff_task_fail_with(ff_task *t, const char *reason, const char *category, uint32_t flags, ff_op_cb cb,
                             void *ud, ff_op **out);
/** Cancel the execution: ff_op_text() = "cancelled".
 *  @yields text */
FF_API int ff_task_cancel(ff_task *t, const char *reason, ff_op_cb cb, void *ud, ff_op **out);
/** Park the execution until delay_until_ms (server unix ms): ff_op_int() =
 *  that time.
 *  @yields int */
FF_API int ff_task_delay(ff_task *t, int64_t delay_until_ms, ff_op_cb cb, void *ud, ff_op **out);
/** Give the execution back without failing it (resumes the same attempt
 *  elsewhere).
 *  @yields int */
FF_API int ff_task_release(ff_task *t, ff_op_cb cb, void *ud, ff_op **out);
/** The task hit a rate limit of the API it calls (an HTTP 429): pause its
 *  group until @p until_ms and give the attempt back without counting a
 *  failure (ff_lease_rate_limited, quota.h). A finishing call.
 *  @yields int, text */
FF_API int ff_task_rate_limited(ff_task *t, int64_t until_ms, ff_op_cb cb, void *ud, ff_op **out);
/** Suspend (signal.h). When the result is "suspended" this was the task's
 *  finishing call (the execution waits; a later claim resumes it, possibly
 *  on another worker). When it is "already_satisfied" (signals buffered on
 *  pending waitpoints already met the condition) the lease is kept and the
 *  task goes on: it still owes a finishing call, and may use the task again
 *  once this call completed. The same holds when the suspend is refused
 *  while the lease is intact (e.g. FF_INVALID_INPUT for a bad condition).
 *  cb or out is required.
 *  @yields text, items FF_ITEMS_SUSPEND, int */
FF_API int ff_task_suspend(ff_task *t, const ff_suspend_spec *s, ff_op_cb cb, void *ud, ff_op **out);
/** Wait for the child flows this task's execution spawned (flow.h,
 *  ff_lease_wait_children). Like ff_task_suspend: "suspended" spends the
 *  task (no finishing call; a later claim resumes the same attempt, and
 *  the handler runs again: read ff_execution_children there);
 *  "already_satisfied" (every child flow settled) keeps the lease and the
 *  task goes on. cb or out is required.
 *  @yields text, int */
FF_API int ff_task_wait_children(ff_task *t, int64_t timeout_ms, const char *behavior, ff_op_cb cb, void *ud,
                                 ff_op **out);
/** Non-finishing: create a pending waitpoint (signal.h).
 *  @yields items, int */
FF_API int ff_task_create_waitpoint(ff_task *t, const char *key, int64_t expires_in_ms, ff_op_cb cb, void *ud,
                                    ff_op **out);
/** Non-finishing: the signals that satisfied this attempt's last suspension
 *  (a resumed task reads why it was woken).
 *  @yields items FF_ITEMS_OBSERVE_SIGNALS */
FF_API int ff_task_observe_signals(ff_task *t, ff_op_cb cb, void *ud, ff_op **out);
/** Non-finishing: report progress.
 *  @yields none */
FF_API int ff_task_progress(ff_task *t, int32_t percent, const char *message, ff_op_cb cb, void *ud, ff_op **out);
/* Output stream calls (stream.h): non-finishing; cb/out follow the
 * completion contract, except that both may be NULL (fire and forget:
 * calls of one task reach the server in the order they were made). A lost
 * task's call is not sent and returns the loss status. Each result is
 * ff_stream_append's. */
/** Append @p f to this attempt's stream.
 *  @yields text, int, items */
FF_API int ff_task_emit(ff_task *t, const ff_frame *f, ff_op_cb cb, void *ud, ff_op **out);
/** Append a durable frame of type "log" holding @p text (UTF-8).
 *  @yields text, int, items */
FF_API int ff_task_log(ff_task *t, const char *text, ff_op_cb cb, void *ud, ff_op **out);
/** Merge the JSON object @p patch (RFC 7396) into this attempt's summary
 *  document: a frame of type "summary", mode "summary".
 *  @yields text, int, items */
FF_API int ff_task_summary(ff_task *t, const char *patch, ff_op_cb cb, void *ud, ff_op **out);

/** ff_task_budget_breached: no breach reported through this task, the
 *  worst was a soft one, or a hard one. */
#define FF_TASK_BUDGET_SOFT 1
#define FF_TASK_BUDGET_HARD 2
/** Non-finishing: ff_budget_report_usage (budget.h) under this task's
 *  claim (the lease is checked, the spend recorded for the execution).
 *  cb/out as the stream calls (both NULL: fire and forget). When the
 *  answer is "soft_breach" or "hard_breach" the task remembers it:
 *  ff_task_budget_breached() says so from the moment the call completed
 *  (also for a fire-and-forget call), so a handler learns of a breach
 *  without reading each answer.
 *  @yields text, items */
FF_API int ff_task_report_usage(ff_task *t, const char *budget_id, const char *const *dimensions,
                                const int64_t *deltas, size_t n, const char *dedup_key, ff_op_cb cb, void *ud,
                                ff_op **out);
/** 0, FF_TASK_BUDGET_SOFT or FF_TASK_BUDGET_HARD: the worst breach a
 *  completed ff_task_report_usage of this task answered. Any thread. */
FF_API int32_t ff_task_budget_breached(const ff_task *t);

FF_EXTERN_C_END

#endif
