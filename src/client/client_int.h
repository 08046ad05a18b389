/* Private structures of the client layer, shared with the layers above it
 * (src/ops, src/engine, src/worker). Not API. Layering: this header and
 * every file in src/client know only src/util, src/core and the public
 * types; tests/check_layers.sh checks that nothing here reaches up. */
#ifndef FF_CLIENT_INT_H
#define FF_CLIENT_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <uv.h>

#include "client/reply.h"
#include "flowfabric/client.h"
#include "flowfabric/common.h"
#include "flowfabric/status.h"
#include "util/util.h"

struct redisAsyncContext;
struct ff__link;

/* One command of an op: argv of owned byte strings. */
typedef struct ff__cmd {
    int argc;
    int cap;
    char **argv;
    size_t *argvlen;
} ff__cmd;

/* Parses op->replies into the op's result fields; returns the final status,
 * or FF__CONTINUE after replacing the op's commands (ff__op_reset_cmds + new
 * ff__op_add_cmd calls) to run another round (multi-step ops: claim across
 * lanes, listings across shards). */
typedef int (*ff__op_finish_fn)(ff_op *op);
#define FF__CONTINUE 1
/* ... or FF__PAUSE after ff__op_reset_cmds: the op stays live (its deadline
 * still runs) with nothing in flight until its owner calls ff__op_resume
 * with the next round's commands (waits for an execution). */
#define FF__PAUSE 2

struct ff_op {
    ff_client *client; /* not valid after the op completed */
    atomic_int refs;

    /* request */
    ff__cmd *cmds;
    size_t ncmds;
    size_t cmds_cap;
    int build_failed;
    ff__op_finish_fn finish;
    void *ctx;
    void (*ctx_free)(void *);

    /* I/O-thread bookkeeping */
    uint32_t gen;          /* bumped when the op is re-sent; stale replies are ignored */
    int reloads;           /* re-sends after "function not found" */
    size_t replies_pending;
    ff_rv **replies;
    uint64_t deadline;     /* uv_now() ms */
    int64_t timeout_ms;    /* its own deadline (0: the client's timeout) */
    int retry_transport;   /* a lost connection resends the round instead of failing it */
    ff_op *live_prev, *live_next;
    int live;
    ff_op *qnext;

    /* runtime hooks (engine, worker) */
    int internal;                   /* deliver cb on the I/O thread, never queued */
    int allow_detached;             /* may be submitted with neither cb nor out */
    int pulled;                     /* pull mode: completes into ff_client_next's queue */
    int kind;                       /* FF_OP_KIND_* of the public call that made it (op_kind.c) */
    int caller_command;             /* ff_client_command: the caller's own command, not checked
                                     * against the server function table (src/proto) */
    void (*local_fn)(ff_client *, void *); /* run on the I/O thread instead of commands */
    void *local_arg;
    void (*on_io_done)(ff_op *);    /* I/O-thread hook run before delivery */
    void (*io_start)(ff_op *);      /* I/O thread: run instead of sending the commands (the op
                                       is live: it ends by deadline, cancel or its owner) */
    void *hook_arg;
    /* coalescing (client/io.c): ops submitted one after another with the
     * same batch_key and batch_merge are sent as ONE op that batch_merge
     * builds and starts (ff__io_start_now) on the I/O thread; it completes
     * each of them with its own result. batch_merge returns it, or NULL
     * when it could not (the ops are then sent one by one). NULL = never
     * coalesced. The key is owned. */
    char *batch_key;
    ff_op *(*batch_merge)(ff_op *const *ops, size_t n);

    /* completion */
    ff_op_cb cb;
    void *ud;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_int done;
    int status;

    /* results */
    char *errmsg;
    char *server_code;
    char **details;
    size_t ndetails;
    char *text;
    int64_t ival;
    char *bytes;
    size_t bytes_len;
    char *execution_id;
    char *json;
    json_t *json_root;
    char **items;
    size_t *item_lens; /* byte length of each item (items may hold NULs) */
    size_t nitems;
    char *cursor;
    ff_claim **claims;         /* owned; layout known to the ops layer only */
    size_t nclaims;
    void (*claim_free)(ff_claim *); /* set by whoever fills claims */
    ff_rv *raw;
};

enum ff__conn_state {
    FF_CONN_DOWN = 0,
    FF_CONN_CONNECTING,
    FF_CONN_HANDSHAKE,
    FF_CONN_READY,
    FF_CONN_RELOADING
};

struct ff_client_opts {
    char *url;
    char *data_dir;
    int inline_dispatch;
    int pull;
    int64_t timeout_ms;
    int64_t connect_timeout_ms;
    uint64_t max_payload;
    uint32_t partitions;
    int partitions_explicit;
    char *hmac_secret;
    uint32_t blocking_connections;
    uint32_t max_frame;
};

struct ff_client {
    /* configuration (immutable after ff_client_new) */
    char *url;
    char *host;
    int port;
    char *unix_path;
    char *user;
    char *password;
    int db;
    int inline_dispatch;
    int64_t timeout_ms;
    uint64_t max_payload;
    uint32_t max_frame;    /* largest stream frame payload */
    uint32_t blocking_max; /* dedicated connections for blocking reads */
    uint32_t partitions_wanted;
    int partitions_explicit;
    uint32_t lane_shards_wanted;
    char *hmac_secret; /* installed on partitions without a key store */
    int hs_pending;    /* handshake replies outstanding (key store init) */

    /* learned from the server at boot */
    _Atomic uint32_t partitions;
    _Atomic uint32_t lane_shards;

    /* threads and queues */
    pthread_t thread;
    int thread_started;
    uv_loop_t loop;
    uv_async_t wake;
    uv_timer_t deadline_timer;
    pthread_mutex_t mu;       /* guards submit_*, done_*, stopping, ready_* */
    pthread_cond_t ready_cv;
    ff_op *submit_head, *submit_tail;
    ff_op *done_head, *done_tail;
    int pipe_r, pipe_w;
    /* pull mode (client/pull.c): completed ops for ff_client_next, guarded
     * by mu; pull_r is readable exactly while the queue is not empty */
    int pull;
    ff_op *pull_head, *pull_tail;
    pthread_cond_t pull_cv;
    int pull_r, pull_w;
    int stopping;
    int ready_state;          /* 0 pending, 1 ready, <0 fatal status */
    char ready_err[400];

    /* embedded server owned by this client (NULL: an external server): its
     * data dir, so a reconnect finding it dead restarts it */
    char *embedded_dir;

    /* I/O thread only */
    struct ff__link *link; /* the command connection (client/link.h) */
    int conn_state;
    /* The last reconnect's handshake was refused (FF_EAUTH, FF_EVERSION,
     * ...): ops waiting for the connection, and ops submitted until a
     * handshake succeeds again, fail at once with this status and message
     * instead of waiting out their deadline. 0 while none. */
    int down_status;
    char down_msg[300];
    int restart_embedded; /* connect failed: make sure the embedded server runs first */
    int ensuring;         /* an embedded-server restart is running on the thread pool */
    int handshake_step;
    int version_checked_after_load;
    ff_op *pending_head, *pending_tail; /* waiting for the connection */
    ff_op *live_head, *live_tail;       /* deadline order */
    struct ff__waits *waits;            /* ff_execution_wait registry, created on first use */
    struct ff__blocking *blocking;      /* blocking-command connections (client/blocking.h), on first use */

    atomic_int connected;
    _Atomic uint64_t connect_count;
    _Atomic uint64_t routed; /* commands routed by ff__route (a test hook) */
};

/* ---- op lifecycle (client/op.c) ---- */
ff_op *ff__op_new(ff_client *c, ff__op_finish_fn finish);
ff__cmd *ff__op_add_cmd(ff_op *op);
void ff__cmd_arg(ff_op *op, ff__cmd *cmd, const void *data, size_t len);
void ff__cmd_str(ff_op *op, ff__cmd *cmd, const char *s);
void ff__cmd_i64(ff_op *op, ff__cmd *cmd, int64_t v);
/* Which public operation an op comes from (src/client/op_kind.c): the
 * outermost public call in progress on this thread names the ops made
 * inside it (ff_task_complete's op is a task op, not a lease op). */
#define FF__OP_KIND(kind) \
    int ff__op_kind_scope __attribute__((cleanup(ff__op_kind_leave), unused)) = ff__op_kind_enter(kind)
int ff__op_kind_enter(int kind);
void ff__op_kind_leave(int *entered);
int ff__op_kind_current(void);

/* "FCALL name nkeys" */
ff__cmd *ff__op_fcall(ff_op *op, const char *fname, int nkeys);
/* Validate cb/out, then hand the op to the I/O thread. On error the op is
 * destroyed and the error returned (no callback). */
int ff__op_submit(ff_op *op, ff_op_cb cb, void *ud, ff_op **out);
/* Destroy an op that was never submitted. */
void ff__op_discard(ff_op *op);
/* Drop the op's commands and replies (inside a finish fn, before adding the
 * next round's commands). */
void ff__op_reset_cmds(ff_op *op);
/* Reallocate the reply slots to match ncmds (I/O thread, after a reset). */
int ff__op_prepare_replies(ff_op *op);
void ff__op_ref(ff_op *op);
void ff__op_unref(ff_op *op);
void ff__op_set_error(ff_op *op, const char *fmt, ...);
/* Forget an error a finish fn decided to retry past (errmsg, server code,
 * details). */
void ff__op_clear_error(ff_op *op);

/* Parse a FCALL reply envelope. On {1,...} returns FF_OK and *fields points to
 * the element array starting at index 1 (the "OK"/"DUPLICATE" marker) with *n
 * elements. On {0,code,...} records code/detail on the op and returns the
 * mapped status. Anything else -> FF_EPROTO / FF_ESERVER. */
int ff__fcall_result(ff_op *op, const ff_rv *r, ff_rv *const **fields, size_t *n);
/* Record a server refusal (token @p code and its detail fields) on the op
 * as ff__fcall_result does for {0,code,...}; returns the mapped status. */
int ff__op_server_error(ff_op *op, const char *code, ff_rv *const *details, size_t nd);

/* Run fn(c, arg) on the I/O thread and wait for it (must not be called on
 * the I/O thread). Returns FF_OK or FF_ECLOSED. */
int ff__io_call(ff_client *c, void (*fn)(ff_client *, void *), void *arg);
/* On the I/O thread: 1 if the caller is the client's I/O thread. */
int ff__on_io_thread(const ff_client *c);
/* Submit an internal op (cb runs on the I/O thread) from the I/O thread
 * itself or any other thread. The op is owned by the library. */
int ff__op_submit_internal(ff_op *op, ff_op_cb cb, void *ud);

/* ---- I/O thread (client/io.c) ---- */
int ff__io_start(ff_client *c);
void ff__io_stop(ff_client *c);
void ff__io_enqueue(ff_client *c, ff_op *op);
/* Called on the I/O thread when an op finished (any status). */
void ff__op_complete(ff_op *op, int status);
/* I/O thread: send the commands of a paused (FF__PAUSE) or started
 * (io_start) op, now or once the connection is ready. */
void ff__op_resume(ff_op *op);
/* I/O thread: start an internal op made on the I/O thread now (live,
 * sent, or pending the connection, in order with what is sent next). Its
 * ff_op_cb runs on the I/O thread. FF_OK or FF_ENOMEM (op destroyed). */
int ff__io_start_now(ff_op *op, ff_op_cb cb, void *ud);

/* ---- completion delivery (client/client.c) ---- */
void ff__deliver(ff_client *c, ff_op *op);

/* ---- pull mode (client/pull.c) ---- */
/* Create the pull queue's pipe (ff_client_new of a pull client). */
int ff__pull_init(ff_client *c);
/* Any thread: queue a completed pulled op (its reference moves to the queue). */
void ff__pull_push(ff_client *c, ff_op *op);
/* Free the ops never pulled and the pipe (client teardown). */
void ff__pull_destroy(ff_client *c);

/* ---- connections (client/conn.c) ---- */
/* A new async connection to the client's server (TCP incl. IPv6 literals,
 * or its unix socket) attached to the client's loop, with ac->data = data.
 * NULL on an immediate failure, with "connection refused (host:port)" in err. */
struct redisAsyncContext *ff__conn_open(ff_client *c, void *data, char *err, size_t errlen);
/* The same sentence for a connection that failed later (on_connect). */
void ff__conn_failure(const ff_client *c, const struct redisAsyncContext *ac, char *err, size_t errlen);
/* "host:port", "[v6]:port" or the socket path. */
void ff__conn_addr(const ff_client *c, char *buf, size_t cap);
/* The AUTH command for the client's credentials; returns argc (0: none). */
int ff__conn_auth_argv(const ff_client *c, const char *argv[3], size_t lens[3]);
/* 1 for the server's refusals of who we are (NOAUTH, WRONGPASS, NOPERM). */
int ff__is_auth_error(const char *server_error);
/* The status of an error reply: FF_EAUTH for the refusals above, else FF_ESERVER. */
int ff__server_error_status(const char *server_error);

/* ---- URL / embedded server ---- */
int ff__parse_url(ff_client *c, const char *url, char *err, size_t errlen);
/* Resolve the embedded server's directory (explicit > $FF_HOME > the nearest
 * .flowfabric/ upward from the current directory > the per-user default),
 * make sure its redis-server runs, and write its URL. @p who names the
 * program for the one stderr line printed when this call starts the server
 * (NULL: print nothing). */
int ff__embedded_ensure(const char *data_dir, const char *who, char *dir_out, size_t dir_cap, char *url_out,
                        size_t url_cap, char *err, size_t errlen);

#endif
