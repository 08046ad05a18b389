/*
 * ff_client: connection to the Valkey/Redis server, the I/O thread, and the
 * ff_op operation objects every call returns.
 *
 * THREADING
 *   Each client owns one I/O thread (libuv loop + hiredis). Every ff_* call
 *   that takes an ff_client may be made from ANY thread. User callbacks never
 *   run on the I/O thread unless the client was created with inline dispatch:
 *   they are queued and run by ff_client_dispatch() on the thread that calls
 *   it (make ff_client_fd() readable -> call ff_client_dispatch()).
 *
 * THE COMPLETION CONTRACT (every operation function)
 *   int ff_xxx(ff_client *c, ...args..., ff_op_cb cb, void *ud, ff_op **out);
 *   Exactly one of cb / out must be non-NULL.
 *   - Callback mode (cb != NULL, out == NULL): if the call returns non-FF_OK
 *     the callback NEVER fires; if it returns FF_OK the callback fires EXACTLY
 *     ONCE, never from inside the initiating call, with the ff_op borrowed for
 *     the duration of the callback (the library frees it afterwards).
 *   - Future mode (cb == NULL, out != NULL): *out receives an ff_op owned by
 *     the caller; ff_op_wait() blocks until it completes (from any thread, no
 *     dispatch needed); read the results, then ff_op_free() it. Freeing a
 *     pending op detaches it: it completes silently and is reclaimed.
 *   - Pull mode (a client created with ff_client_opts_set_pull(o, 1); cb ==
 *     NULL, out == NULL): the call returns FF_OK or an error as above; on
 *     FF_OK the op, once complete, is handed out EXACTLY ONCE by
 *     ff_client_next() / ff_client_next_wait() and is then owned by the
 *     caller (read it, ff_op_free() it); ff_op_userdata() gives back @p ud to
 *     tell ops apart. On a client without pull mode, cb == out == NULL is
 *     FF_EINVAL as before; calls documented as fire-and-forget when both are
 *     NULL (the task finishing calls) stay fire-and-forget. Callback and future mode keep working on a pull
 *     client.
 *   Every op completes: with its result, a server error, FF_ETIMEDOUT (per-call
 *   deadline), FF_EIO (connection lost while in flight), FF_EAUTH (the server
 *   refused the client's credentials or permissions; after a reconnect was
 *   refused, ops fail with it at once until a reconnect succeeds) or
 *   FF_ECANCELED (client freed).
 *
 * OWNERSHIP
 *   Strings passed in are copied; nothing is retained after a call returns.
 *   Pointers returned by ff_op_* accessors are borrowed from the op and valid
 *   until it is freed (callback mode: until the callback returns).
 */
#ifndef FLOWFABRIC_CLIENT_H
#define FLOWFABRIC_CLIENT_H

#include "common.h"

FF_EXTERN_C_BEGIN

typedef struct ff_client ff_client;
typedef struct ff_client_opts ff_client_opts;
typedef struct ff_op ff_op;
typedef struct ff_claim ff_claim;

/** Completion callback; @p op is borrowed until the callback returns. */
typedef void (*ff_op_cb)(ff_op *op, void *ud);

/* ---------------------------------------------------------------- options */

/** New option set with defaults. Free with ff_client_opts_free(). */
FF_API int ff_client_opts_new(ff_client_opts **out);
/** NULL-safe. */
FF_API void ff_client_opts_free(ff_client_opts *o);
/** Server URL: redis://[user:pass@]host:port[/db] (IPv6: redis://[::1]:6379;
 *  reserved characters of the user name and password %-escaped; the legacy
 *  redis://:pass@host and redis://pass@host name the default user), or
 *  unix:///path/to.sock[?db=N]. NULL or "" (default): the FF_URL environment
 *  variable, else the embedded private redis-server of the data directory.
 *  A malformed URL makes ff_client_new fail with FF_EINVAL naming the part. */
FF_API int ff_client_opts_set_url(ff_client_opts *o, const char *url);
/** Directory of the embedded server. Default: $FF_HOME, else the nearest
 *  .flowfabric/ directory from the current one upward (as git finds .git),
 *  else the per-user $XDG_DATA_HOME/flowfabric or ~/.local/share/flowfabric. */
FF_API int ff_client_opts_set_data_dir(ff_client_opts *o, const char *dir);
/** 1: run callbacks directly on the I/O thread (C users only; callbacks must
 *  not block). 0 (default): callbacks are queued for ff_client_dispatch(). */
FF_API int ff_client_opts_set_inline_dispatch(ff_client_opts *o, int32_t on);
/** 1: pull mode -- ops started with neither a callback nor an out pointer
 *  are queued, once complete, for ff_client_next() (see the completion
 *  contract above). 0 (default): that combination is FF_EINVAL. */
FF_API int ff_client_opts_set_pull(ff_client_opts *o, int32_t on);
/** Default per-call deadline in ms (default 30000; must be > 0). */
FF_API int ff_client_opts_set_timeout_ms(ff_client_opts *o, int64_t ms);
/** Largest accepted payload/result in bytes (default 64 MiB). */
FF_API int ff_client_opts_set_max_payload_bytes(ff_client_opts *o, uint64_t bytes);
/** Partition count. A fresh deployment is booted with this count (default
 *  256). When it is set explicitly here (n > 0) or through $FF_PARTITIONS, a
 *  deployment whose stored count differs makes ff_client_new fail with
 *  FF_ECONFIG; when left at the default (or n = 0) the client adopts
 *  whatever count the deployment has stored. */
FF_API int ff_client_opts_set_partitions(ff_client_opts *o, uint32_t n);
/** Waitpoint signing secret (hex, 32..1024 digits) installed, as key id
 *  "k1", on partitions that have no key store yet (a fresh deployment).
 *  Default: $FF_HMAC_SECRET, else 32 random bytes. Existing key stores are
 *  never changed here; rotate with ff_secret_rotate. */
FF_API int ff_client_opts_set_hmac_secret(ff_client_opts *o, const char *hex);
/** Dedicated connections for blocking reads (ff_stream_tail), 1..1024
 *  (default 8): each blocked tail holds one; more tails at once wait in
 *  order for one to come free. Never the shared pipelined connection, so a
 *  tail never delays other calls. */
FF_API int ff_client_opts_set_blocking_connections(ff_client_opts *o, uint32_t n);
/** Largest stream frame payload in bytes, 1..1048576 (default 65536):
 *  ff_stream_append of a bigger frame fails with FF_RETENTION_LIMIT_EXCEEDED
 *  and writes nothing. */
FF_API int ff_client_opts_set_max_frame_bytes(ff_client_opts *o, uint32_t bytes);
/** Time to wait for the first connection + library load (default 10000 ms). */
FF_API int ff_client_opts_set_connect_timeout_ms(ff_client_opts *o, int64_t ms);

/* ----------------------------------------------------------------- client */

/** Connect (blocking until the server is reachable, the function library is
 *  loaded and the partition config is checked, or the connect timeout hits).
 *  @p opts may be NULL. On failure *out is NULL and, if @p errbuf is not NULL,
 *  a NUL-terminated explanation is written into it (at most errlen bytes);
 *  ff_error_detail() returns the same sentence. Nothing listening at the
 *  address fails at once (FF_EIO, "connection refused (127.0.0.1:6379)");
 *  a refused AUTH, a missing password or a missing ACL permission is
 *  FF_EAUTH with the server's words. With no URL it starts the embedded
 *  server if it is not running (one line on stderr says where) and restarts
 *  it later if it dies while this client runs.
 *  @blocking */
FF_API int ff_client_new(ff_client **out, const ff_client_opts *opts, char *errbuf, size_t errlen);
/** NULL-safe. Completes every pending op with FF_ECANCELED (callback-mode ops
 *  whose callbacks have not run yet are run on the calling thread before this
 *  returns, so every callback still fires exactly once), stops the I/O
 *  thread. Must not be called from a callback.
 *  @blocking */
FF_API void ff_client_free(ff_client *c);
/** A file descriptor that becomes readable when callbacks are queued. */
FF_API int ff_client_fd(const ff_client *c);
/** Run up to @p max queued callbacks (0 = all) on the calling thread.
 *  Returns the number run. Call from one thread at a time. */
FF_API int32_t ff_client_dispatch(ff_client *c, int32_t max);
/** Pull mode: the oldest completed pulled op. FF_OK with *op set (the caller
 *  owns it: read it with the ff_op_* accessors -- its status is
 *  ff_op_status(), which may be any failure -- then ff_op_free() it);
 *  FF_EAGAIN with *op = NULL when none is ready; FF_EINVAL when @p c is not
 *  a pull client. Never blocks. Any thread; concurrent callers each get
 *  different ops. Pulled ops never taken are freed by ff_client_free(). */
FF_API int ff_client_next(ff_client *c, ff_op **op);
/** As ff_client_next(), but wait up to @p timeout_ms for one (< 0: no
 *  limit; 0: do not wait). FF_EAGAIN when none came in time. Any thread but
 *  the client's I/O thread (i.e. not from an inline-dispatch callback).
 *  @blocking */
FF_API int ff_client_next_wait(ff_client *c, ff_op **op, int64_t timeout_ms);
/** Pull mode: a file descriptor that is readable exactly while completed
 *  pulled ops wait (level-triggered: poll it, then ff_client_next() until
 *  FF_EAGAIN). Do not read or close it. -1 when @p c is not a pull client. */
FF_API int ff_client_next_fd(const ff_client *c);
/** Partition count of the deployment (from the server config). */
FF_API uint32_t ff_client_partitions(const ff_client *c);
/** The URL actually used (embedded server: unix://<socket>), with any
 *  password replaced by "***" (redis://user:***@host:port): safe to log.
 *  Borrowed. */
FF_API const char *ff_client_url(const ff_client *c);
/** Copy @p url into @p out (cap bytes) with its password replaced by "***"
 *  ("redis://user:***@host:port/db"; URLs without credentials unchanged).
 *  FF_ETOOBIG when it does not fit (out is then truncated, NUL-terminated). */
FF_API int ff_url_redact(const char *url, char *out, size_t cap);
/** 1 while the command connection is up and the library is loaded. */
FF_API int32_t ff_client_connected(const ff_client *c);
/** Number of times the client (re)established its connection. */
FF_API uint64_t ff_client_connect_count(const ff_client *c);
/** Send a raw command (argv of byte strings) on the shared connection. The
 *  reply is available through ff_op_reply_* accessors (a string or status
 *  reply also through ff_op_bytes). For tools and tests.
 *  @yields reply, bytes */
FF_API int ff_client_command(ff_client *c, int32_t argc, const char *const *argv,
                             const size_t *argvlen, ff_op_cb cb, void *ud, ff_op **out);

/* --------------------------------------------------------------------- op */

/** Block until @p op completes or @p timeout_ms elapses (< 0: no limit).
 *  Returns the op status, or FF_EAGAIN if it is still pending. Future-mode
 *  ops only; must not be called on the client's I/O thread.
 *  @blocking */
FF_API int ff_op_wait(ff_op *op, int64_t timeout_ms);
/** NULL-safe; see "Future mode" above. */
FF_API void ff_op_free(ff_op *op);
/** 1 when complete. */
FF_API int32_t ff_op_done(const ff_op *op);
/** Final status (FF_EAGAIN while pending). */
FF_API int ff_op_status(const ff_op *op);
/** The ud passed when the op was started. */
FF_API void *ff_op_userdata(const ff_op *op);
/** Detail text of a failure ("" when none). */
FF_API const char *ff_op_errmsg(const ff_op *op);
/** Server error token of a failure ("stale_lease"), "" when client-side. */
FF_API const char *ff_op_server_code(const ff_op *op);
/** Number of detail fields returned with a server error (e.g. the four of
 *  execution_not_active: terminal_outcome, lease_epoch, lifecycle_phase,
 *  attempt_id), and each field. */
FF_API size_t ff_op_detail_count(const ff_op *op);
FF_API const char *ff_op_detail(const ff_op *op, size_t i);

/** Which public operation an ff_op comes from (ff_op_kind), so code holding
 *  an op (a shared callback, a binding) knows which accessors apply. Values
 *  are explicit and append-only: a new operation gets the next number, none
 *  is ever renumbered or reused. */
typedef enum ff_op_kind_id {
    FF_OP_KIND_NONE = 0, /**< an op the library made for itself (engine, worker internals) */
    FF_OP_KIND_CLIENT_COMMAND = 1, /**< ff_client_command */
    FF_OP_KIND_EXECUTION_CREATE = 2, /**< ff_execution_create */
    FF_OP_KIND_EXECUTION_DESCRIBE = 3, /**< ff_execution_describe */
    FF_OP_KIND_EXECUTION_RESULT = 4, /**< ff_execution_result */
    FF_OP_KIND_EXECUTION_WAIT = 5, /**< ff_execution_wait */
    FF_OP_KIND_EXECUTION_CANCEL = 6, /**< ff_execution_cancel */
    FF_OP_KIND_EXECUTION_REPLAY = 7, /**< ff_execution_replay */
    FF_OP_KIND_EXECUTION_CHANGE_PRIORITY = 8, /**< ff_execution_change_priority */
    FF_OP_KIND_EXECUTION_REVOKE_LEASE = 9, /**< ff_execution_revoke_lease */
    FF_OP_KIND_EXECUTION_RECLAIM_GRANT = 10, /**< ff_execution_reclaim_grant */
    FF_OP_KIND_EXECUTION_LIST = 11, /**< ff_execution_list */
    FF_OP_KIND_EXECUTION_LIST_LANE = 12, /**< ff_execution_list_lane */
    FF_OP_KIND_LANES_LIST = 13, /**< ff_lanes_list */
    FF_OP_KIND_LANE_COUNTS = 14, /**< ff_lane_counts */
    FF_OP_KIND_LEASE_CLAIM = 15, /**< ff_lease_claim */
    FF_OP_KIND_LEASE_CLAIM_RECLAIM = 16, /**< ff_lease_claim_reclaim */
    FF_OP_KIND_LEASE_RENEW = 17, /**< ff_lease_renew */
    FF_OP_KIND_LEASE_PROGRESS = 18, /**< ff_lease_progress */
    FF_OP_KIND_LEASE_COMPLETE = 19, /**< ff_lease_complete */
    FF_OP_KIND_LEASE_FAIL = 20, /**< ff_lease_fail */
    FF_OP_KIND_LEASE_FAIL_WITH = 21, /**< ff_lease_fail_with */
    FF_OP_KIND_LEASE_CANCEL = 22, /**< ff_lease_cancel */
    FF_OP_KIND_LEASE_DELAY = 23, /**< ff_lease_delay */
    FF_OP_KIND_LEASE_SUSPEND = 24, /**< ff_lease_suspend */
    FF_OP_KIND_LEASE_CREATE_WAITPOINT = 25, /**< ff_lease_create_waitpoint */
    FF_OP_KIND_LEASE_OBSERVE_SIGNALS = 26, /**< ff_lease_observe_signals */
    FF_OP_KIND_SIGNAL_DELIVER = 27, /**< ff_signal_deliver */
    FF_OP_KIND_EXECUTION_LIST_SUSPENDED = 28, /**< ff_execution_list_suspended */
    FF_OP_KIND_EXECUTION_WAITPOINTS = 29, /**< ff_execution_waitpoints */
    FF_OP_KIND_WAITPOINT_TOKEN = 30, /**< ff_waitpoint_token */
    FF_OP_KIND_SECRET_ROTATE = 31, /**< ff_secret_rotate */
    FF_OP_KIND_SECRET_LIST = 32, /**< ff_secret_list */
    FF_OP_KIND_DEPLOYMENT_HEALTH = 33, /**< ff_deployment_health */
    FF_OP_KIND_EXECUTION_LIST_QUARANTINED = 34, /**< ff_execution_list_quarantined */
    FF_OP_KIND_ENGINE_LIST = 35, /**< ff_engine_list */
    FF_OP_KIND_TASK_COMPLETE = 36, /**< ff_task_complete */
    FF_OP_KIND_TASK_FAIL = 37, /**< ff_task_fail */
    FF_OP_KIND_TASK_FAIL_WITH = 38, /**< ff_task_fail_with */
    FF_OP_KIND_TASK_CANCEL = 39, /**< ff_task_cancel */
    FF_OP_KIND_TASK_DELAY = 40, /**< ff_task_delay */
    FF_OP_KIND_TASK_RELEASE = 41, /**< ff_task_release */
    FF_OP_KIND_TASK_SUSPEND = 42, /**< ff_task_suspend */
    FF_OP_KIND_TASK_CREATE_WAITPOINT = 43, /**< ff_task_create_waitpoint */
    FF_OP_KIND_TASK_OBSERVE_SIGNALS = 44, /**< ff_task_observe_signals */
    FF_OP_KIND_TASK_PROGRESS = 45, /**< ff_task_progress */
    FF_OP_KIND_FLOW_CREATE = 46, /**< ff_flow_create */
    FF_OP_KIND_FLOW_ADD_MEMBER = 47, /**< ff_flow_add_member */
    FF_OP_KIND_FLOW_SET_GROUP = 48, /**< ff_flow_set_group */
    FF_OP_KIND_FLOW_ADD_EDGE = 49, /**< ff_flow_add_edge */
    FF_OP_KIND_FLOW_DESCRIBE = 50, /**< ff_flow_describe */
    FF_OP_KIND_FLOW_LIST = 51, /**< ff_flow_list */
    FF_OP_KIND_FLOW_LIST_EDGES = 52, /**< ff_flow_list_edges */
    FF_OP_KIND_FLOW_DESCRIBE_EDGE = 53, /**< ff_flow_describe_edge */
    FF_OP_KIND_EXECUTION_FLOW_ID = 54, /**< ff_execution_flow_id */
    FF_OP_KIND_EXECUTION_PARENT_RESULTS = 55, /**< ff_execution_parent_results */
    FF_OP_KIND_FLOW_CANCEL = 56, /**< ff_flow_cancel */
    FF_OP_KIND_FLOW_SUBMIT = 57, /**< ff_flow_submit */
    FF_OP_KIND_LEASE_WAIT_CHILDREN = 58, /**< ff_lease_wait_children */
    FF_OP_KIND_TASK_WAIT_CHILDREN = 59, /**< ff_task_wait_children */
    FF_OP_KIND_EXECUTION_CHILDREN = 60, /**< ff_execution_children */
    FF_OP_KIND_FLOW_FEED_READ = 61, /**< ff_flow_feed_read */
    FF_OP_KIND_FLOW_WAIT = 62, /**< ff_flow_wait */
    FF_OP_KIND_FLOW_FEED_WAIT = 63, /**< ff_flow_feed_wait */
    FF_OP_KIND_STREAM_APPEND = 64, /**< ff_stream_append */
    FF_OP_KIND_STREAM_READ = 65, /**< ff_stream_read */
    FF_OP_KIND_STREAM_TAIL = 66, /**< ff_stream_tail */
    FF_OP_KIND_STREAM_SUMMARY = 67, /**< ff_stream_summary */
    FF_OP_KIND_TASK_EMIT = 68, /**< ff_task_emit */
    FF_OP_KIND_TASK_LOG = 69, /**< ff_task_log */
    FF_OP_KIND_TASK_SUMMARY = 70, /**< ff_task_summary */
    FF_OP_KIND_BUDGET_CREATE = 71, /**< ff_budget_create */
    FF_OP_KIND_BUDGET_UPDATE = 72, /**< ff_budget_update */
    FF_OP_KIND_BUDGET_REPORT_USAGE = 73, /**< ff_budget_report_usage */
    FF_OP_KIND_BUDGET_RELEASE = 74, /**< ff_budget_release */
    FF_OP_KIND_BUDGET_RESET = 75, /**< ff_budget_reset */
    FF_OP_KIND_BUDGET_DESCRIBE = 76, /**< ff_budget_describe */
    FF_OP_KIND_BUDGET_LIST = 77, /**< ff_budget_list */
    FF_OP_KIND_STREAM_APPEND_MANY = 78, /**< ff_stream_append_many */
    FF_OP_KIND_FLOW_CREATE_WITH_BUDGETS = 79, /**< ff_flow_create_with_budgets */
    FF_OP_KIND_TASK_REPORT_USAGE = 80, /**< ff_task_report_usage */
    FF_OP_KIND_WORKER_REGISTER = 81, /**< ff_worker_register */
    FF_OP_KIND_WORKER_HEARTBEAT = 82, /**< ff_worker_heartbeat */
    FF_OP_KIND_WORKERS_LIST = 83, /**< ff_workers_list */
    FF_OP_KIND_WORKER_MARK_DEAD = 84, /**< ff_worker_mark_dead */
    FF_OP_KIND_LANE_CREATE = 85, /**< ff_lane_create */
    FF_OP_KIND_LANE_PAUSE = 86, /**< ff_lane_pause */
    FF_OP_KIND_LANE_RESUME = 87, /**< ff_lane_resume */
    FF_OP_KIND_LANES_PAGE = 88, /**< ff_lanes_page */
    FF_OP_KIND_CLAIM_RESUMED = 89, /**< ff_lease_claim_resumed */
    FF_OP_KIND_GRANT_AND_CLAIM = 90, /**< ff_lease_grant_and_claim */
    FF_OP_KIND_QUOTA_CREATE = 91, /**< ff_quota_create */
    FF_OP_KIND_QUOTA_DESCRIBE = 92, /**< ff_quota_describe */
    FF_OP_KIND_QUOTA_LIST = 93, /**< ff_quota_list */
    FF_OP_KIND_GROUP_PAUSE = 94, /**< ff_group_pause */
    FF_OP_KIND_GROUP_RESUME = 95, /**< ff_group_resume */
    FF_OP_KIND_LEASE_RATE_LIMITED = 96, /**< ff_lease_rate_limited */
    FF_OP_KIND_TASK_RATE_LIMITED = 97 /**< ff_task_rate_limited */
} ff_op_kind_id;
/** The FF_OP_KIND_* of @p op (FF_OP_KIND_NONE for NULL). Set when the op is
 *  made, so it may be read at any time, also while the op is pending. */
FF_API int ff_op_kind(const ff_op *op);

/** Generic result accessors; what they hold is documented per operation. */
/** Textual outcome ("completed", "retry_scheduled", "waiting", ...), "" if none. */
FF_API const char *ff_op_text(const ff_op *op);
/** Numeric outcome (expiry, delay_until, old priority, ...), 0 if none. */
FF_API int64_t ff_op_int(const ff_op *op);
/** Byte result (result bytes, raw bulk replies). *len receives the length. */
FF_API const void *ff_op_bytes(const ff_op *op, size_t *len);
/** Execution id produced or addressed by the op ("" if none). */
FF_API const char *ff_op_execution_id(const ff_op *op);
/** JSON document result (describe, counts, stats); "" if none. */
FF_API const char *ff_op_json(const ff_op *op);
/** Typed lookups into the JSON result by dotted path ("state.public_state",
 *  "lease.epoch", "attempts.0.type"). Return FF_ENOTFOUND when the path is
 *  missing or null, FF_EINVAL on a type mismatch. *out is borrowed. */
FF_API int ff_op_json_str(const ff_op *op, const char *path, const char **out);
FF_API int ff_op_json_i64(const ff_op *op, const char *path, int64_t *out);
/** List results (ids, lanes): count, item i, and the paging cursor
 *  ("" or "0" when the listing is complete). */
FF_API size_t ff_op_item_count(const ff_op *op);
FF_API const char *ff_op_item(const ff_op *op, size_t i);
/** Binary-safe item access (signal payloads). */
FF_API const void *ff_op_item_bytes(const ff_op *op, size_t i, size_t *len);
FF_API const char *ff_op_cursor(const ff_op *op);
/** Claims returned by ff_lease_claim: count, and take ownership of claim i
 *  (each claim can be taken once; later calls return FF_ENOTFOUND). */
FF_API size_t ff_op_claim_count(const ff_op *op);
FF_API int ff_op_take_claim(ff_op *op, size_t i, ff_claim **out);

/** Raw reply tree of ff_client_command (type is one of FF_REPLY_*). */
#define FF_REPLY_NIL 0
#define FF_REPLY_STRING 1
#define FF_REPLY_INTEGER 2
#define FF_REPLY_ARRAY 3
#define FF_REPLY_STATUS 4
#define FF_REPLY_ERROR 5
FF_API int32_t ff_op_reply_type(const ff_op *op);
FF_API int64_t ff_op_reply_integer(const ff_op *op);
FF_API size_t ff_op_reply_len(const ff_op *op);
/** Element i of an array reply as bytes (nested arrays are not exposed). */
FF_API const void *ff_op_reply_element(const ff_op *op, size_t i, size_t *len);

/* ------------------------------------------------- embedded dev server */

/** Start (or find running) the embedded private redis-server of @p data_dir
 *  (NULL: resolved as for ff_client_opts_set_data_dir) and write its URL into
 *  url_out (on failure: the explanation). Prints nothing.
 *  @blocking */
FF_API int ff_dev_server_up(const char *data_dir, char *url_out, size_t url_cap);
/** FF_OK and the URL when the embedded server answers, FF_ENOTFOUND if not.
 *  @blocking */
FF_API int ff_dev_server_status(const char *data_dir, char *url_out, size_t url_cap);
/** Stop the embedded server (SHUTDOWN, keeping the AOF). FF_ENOTFOUND if it
 *  was not running.
 *  @blocking */
FF_API int ff_dev_server_down(const char *data_dir);

/** Release memory the library allocated for the caller (never use free()). */
FF_API void ff_free(void *p);

FF_EXTERN_C_END

#endif
