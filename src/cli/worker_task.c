/* One thread per task: run the command, then complete or fail the task. */
#define _GNU_SOURCE /* pipe2, close_range, sigabbrev_np */
#include "cli/worker_task.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_util.h"
#include "cli/proc_run.h"

#define TASK_STACK (512u * 1024)

typedef struct job {
    wt_ctx *w;
    ff_task *t;
    int64_t t0;
} job;

void wt_init(wt_ctx *w, const char *command, int quiet, int verbose, size_t max_result, uint64_t max_tasks) {
    memset(w, 0, sizeof *w);
    w->max_tasks = max_tasks;
    w->command = command;
    w->quiet = quiet;
    w->verbose = verbose;
    w->max_result = max_result;
    atomic_store(&w->last_activity_ms, cli_mono_ms());
}

static int job_should_stop(void *ud) { return ff_task_lost(((job *)ud)->t) != 0; }

/* A frame per stderr line, fire and forget (in order, before the finishing
 * call); a line "::summary {json}" is a summary merge patch instead. A frame
 * the stream refuses (lease lost, too long, a bad patch) is dropped: the
 * command's outcome is what counts. */
#define SUMMARY_PREFIX "::summary "

static void stream_line(job *j, const char *line, size_t len) {
    size_t pl = strlen(SUMMARY_PREFIX);
    if (len > pl && memcmp(line, SUMMARY_PREFIX, pl) == 0) {
        /* a merge patch for the attempt's summary document */
        char *patch = strndup(line + pl, len - pl);
        if (patch) (void)ff_task_summary(j->t, patch, NULL, NULL, NULL);
        free(patch);
        return;
    }
    ff_frame *f = NULL;
    if (ff_frame_new(&f) != FF_OK) return;
    if (ff_frame_set_type(f, "stderr") == FF_OK && ff_frame_set_payload(f, line, len) == FF_OK)
        (void)ff_task_emit(j->t, f, NULL, NULL, NULL);
    ff_frame_free(f);
}

static void job_err_line(const char *line, size_t len, void *ud) {
    job *j = ud;
    if (!j->w->no_logs) stream_line(j, line, len);
    if (j->w->verbose)
        fprintf(stderr, "ffctl worker: %s | %.*s\n", ff_claim_execution_id(ff_task_claim(j->t)), (int)len, line);
}

/* Reasons are stored and shown as text: keep them printable UTF-8. */
static void sanitize(char *s) {
    int utf8 = cli_is_utf8(s, strlen(s));
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) *p = ' ';
        else if (*p >= 0x80 && !utf8) *p = '?';
    }
}

static const char *signame(int sig) {
    const char *d = sigabbrev_np(sig);
    return d ? d : "?";
}

/* Decide the finishing call from the command's outcome. Returns the start
 * status; *op the future op (NULL when nothing was sent). */
static int finish(job *j, int spawned, const proc_result *r, char *what, size_t cap, ff_op **op) {
    ff_task *t = j->t;
    char reason[PROC_ERR_LINE_MAX + 64], cat[32];
    if (ff_task_lost(t)) {
        if (ff_task_lost(t) == FF_ECANCELED)
            snprintf(what, cap, "lost: released at shutdown%s", r->stopped ? ", command stopped" : "");
        else
            snprintf(what, cap, "lost (%s)%s", ff_status_name(ff_task_lost(t)), r->stopped ? ": command stopped" : "");
        return ff_task_release(t, NULL, NULL, op);
    }
    if (!spawned) {
        snprintf(reason, sizeof reason, "cannot start /bin/sh: %s", strerror(r->spawn_errno));
        snprintf(cat, sizeof cat, "spawn_error");
    } else if (r->out_overflow) {
        snprintf(reason, sizeof reason, "stdout exceeded the %zu-byte result limit", j->w->max_result);
        snprintf(cat, sizeof cat, "result_too_large");
    } else if (r->exited && r->exit_code == 0) {
        snprintf(what, cap, "completed (%zu bytes)", r->out_len);
        return ff_task_complete(t, r->out ? r->out : "", r->out_len, NULL, NULL, op);
    } else if (r->exited) {
        if (r->err_line[0])
            snprintf(reason, sizeof reason, "%s", r->err_line);
        else
            snprintf(reason, sizeof reason, "exit %d", r->exit_code);
        snprintf(cat, sizeof cat, "exit_%d", r->exit_code);
    } else {
        snprintf(reason, sizeof reason, "signal %d (SIG%s)%s%s", r->signo, signame(r->signo),
                 r->err_line[0] ? ": " : "", r->err_line);
        snprintf(cat, sizeof cat, "signal");
    }
    sanitize(reason);
    snprintf(what, cap, "failed %s: %s", cat, reason);
    return ff_task_fail(t, reason, cat, NULL, NULL, op);
}

static void *job_main(void *arg) {
    job *j = arg;
    wt_ctx *w = j->w;
    const ff_claim *cl = ff_task_claim(j->t);
    char eid[160], line_head[256];
    snprintf(eid, sizeof eid, "%s", ff_claim_execution_id(cl));
    snprintf(line_head, sizeof line_head, "%s attempt %u (%s)", eid, (unsigned)ff_claim_attempt_index(cl),
             ff_claim_attempt_type(cl));
    if (w->verbose && !w->quiet) fprintf(stderr, "ffctl worker: %s: started\n", line_head);

    /* What the command gets (worker_task.h): the task's variables, and
     * none of ffctl's secrets. */
    char v[9][512] = {{0}};
    snprintf(v[0], sizeof v[0], "FF_EXECUTION_ID=%s", eid);
    snprintf(v[1], sizeof v[1], "FF_ATTEMPT=%u", (unsigned)ff_claim_attempt_index(cl));
    snprintf(v[2], sizeof v[2], "FF_ATTEMPT_ID=%s", ff_claim_attempt_id(cl));
    snprintf(v[3], sizeof v[3], "FF_ATTEMPT_TYPE=%s", ff_claim_attempt_type(cl));
    snprintf(v[4], sizeof v[4], "FF_KIND=%s", ff_claim_kind(cl));
    snprintf(v[5], sizeof v[5], "FF_LANE=%s", ff_claim_lane(cl));
    snprintf(v[6], sizeof v[6], "FF_NAMESPACE=%s", ff_claim_namespace(cl));
    snprintf(v[7], sizeof v[7], "FF_WORKER_INSTANCE_ID=%s", ff_claim_worker_instance_id(cl));
    size_t nextra = 8;
    if (w->server_url && (size_t)snprintf(v[8], sizeof v[8], "FF_URL=%s", w->server_url) < sizeof v[8]) nextra = 9;
    const char *extra[9] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    static const char *const secrets[] = {"FF_HMAC_SECRET", "FF_URL"};
    char **env = proc_env_build(extra, nextra, secrets, 2);

    size_t plen = 0;
    const void *payload = ff_claim_payload(cl, &plen);
    proc_spec spec = {.command = w->command, .envp = env, .input = payload, .input_len = plen,
                      .max_out = w->max_result, .should_stop = job_should_stop, .on_err_line = job_err_line,
                      .ud = j};
    proc_result r;
    memset(&r, 0, sizeof r);
    int spawned = 0;
    if (env == NULL)
        r.spawn_errno = ENOMEM;
    else
        spawned = proc_run(&spec, &r) == 0;
    proc_env_free(env);

    char what[PROC_ERR_LINE_MAX + 256];
    ff_op *op = NULL;
    int st = finish(j, spawned, &r, what, sizeof what, &op);
    /* The task pointer is gone from here on (one finishing call made). */
    if (st == FF_OK && op) st = ff_op_wait(op, -1);
    double secs = (double)(cli_mono_ms() - j->t0) / 1000.0;
    int lost = 0;
    if (st == FF_STALE_LEASE || st == FF_LEASE_EXPIRED || st == FF_LEASE_REVOKED || st == FF_EXECUTION_NOT_ACTIVE ||
        st == FF_ECANCELED || strncmp(what, "lost", 4) == 0)
        lost = 1;
    if (strncmp(what, "lost", 4) == 0) {
        atomic_fetch_add(&w->lost, 1);
        if (!w->quiet) fprintf(stderr, "ffctl worker: %s: %s after %.1f s\n", line_head, what, secs);
    } else if (st != FF_OK) {
        atomic_fetch_add(lost ? &w->lost : &w->errors, 1);
        if (!w->quiet)
            fprintf(stderr, "ffctl worker: %s: %s, NOT recorded: %s%s%s (%.1f s)\n", line_head, what,
                    ff_status_name(st), op && ff_op_errmsg(op)[0] ? ": " : "", op ? ff_op_errmsg(op) : "", secs);
    } else {
        int ok = strncmp(what, "completed", 9) == 0;
        atomic_fetch_add(ok ? &w->completed : &w->failed, 1);
        if (!w->quiet) {
            const char *next = (!ok && op) ? ff_op_text(op) : "";
            fprintf(stderr, "ffctl worker: %s: %s%s%s (%.1f s)\n", line_head, what, next[0] ? " -> " : "", next,
                    secs);
        }
    }
    ff_op_free(op);
    proc_result_free(&r);
    free(j);
    atomic_fetch_add(&w->finished, 1);
    atomic_store(&w->last_activity_ms, cli_mono_ms());
    atomic_fetch_sub(&w->running, 1); /* last touch of w: the command may return now */
    return NULL;
}

void wt_handler(ff_task *t, void *ud) {
    wt_ctx *w = ud;
    if (w->max_tasks > 0 && atomic_fetch_add(&w->accepted, 1) >= w->max_tasks) {
        /* Claimed while the stop after --max-tasks was on its way: give it
         * back untouched (the next claim resumes the same attempt). */
        if (!w->quiet)
            fprintf(stderr, "ffctl worker: %s: released (--max-tasks reached)\n",
                    ff_claim_execution_id(ff_task_claim(t)));
        ff_task_release(t, NULL, NULL, NULL);
        return;
    }
    atomic_fetch_add(&w->started, 1);
    atomic_store(&w->last_activity_ms, cli_mono_ms());
    job *j = malloc(sizeof *j);
    pthread_attr_t attr;
    int ok = j != NULL && pthread_attr_init(&attr) == 0;
    if (ok) {
        j->w = w;
        j->t = t;
        j->t0 = cli_mono_ms();
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, TASK_STACK);
        atomic_fetch_add(&w->running, 1);
        pthread_t th;
        if (pthread_create(&th, &attr, job_main, j) != 0) {
            atomic_fetch_sub(&w->running, 1);
            ok = 0;
        }
        pthread_attr_destroy(&attr);
    }
    if (!ok) {
        /* Out of threads or memory: give the execution back for a worker
         * that has room, rather than failing it. */
        free(j);
        atomic_fetch_add(&w->finished, 1);
        atomic_fetch_add(&w->errors, 1);
        if (!w->quiet)
            fprintf(stderr, "ffctl worker: %s: released: cannot start a thread\n",
                    ff_claim_execution_id(ff_task_claim(t)));
        ff_task_release(t, NULL, NULL, NULL);
    }
}
