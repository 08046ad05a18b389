/*
 * FlowFabric worker example: the worker runtime (ff_worker) runs a handler
 * for every execution it claims. It claims into a fixed number of slots,
 * keeps the leases renewed on the client's I/O thread, and is woken up when
 * work arrives on its lane.
 *
 *   1. connect, then submit six executions on a private lane:
 *        4 x "thumbnail"  the handler completes them at once (fire and forget)
 *        1 x "report"     retry policy; the handler fails the first attempt as
 *                         "transient" and finishes the retry later, from a
 *                         thread of its own
 *        1 x "fax.send"   no handler is registered for it: the runtime fails
 *                         it with category "no_handler"
 *   2. create the worker (concurrency 4; it also runs an engine, the default)
 *      and register one handler per kind
 *   3. ff_worker_run() dispatches the handlers on this thread until seven
 *      finishing calls were acknowledged, then stops the worker gracefully
 *   4. describe every execution and check that it ended as expected
 *
 * Build (from the repository root, after the library is built):
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude docs/examples/worker.c \
 *      build/libflowfabric.a $(pkg-config --libs hiredis libuv jansson liburiparser) -lpthread -lm
 * Explained in docs/c-api.md ("A worker program").
 * Exit status: 0 on success, 1 with a message on stderr otherwise.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep, getpid */

#include <flowfabric.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { N_THUMBS = 4, N_JOBS = N_THUMBS + 2, N_FINISHING_CALLS = N_JOBS + 1 };

/* Shared by the handlers. They all run on the thread that dispatches
 * (ff_worker_run's), except finish_report, which only touches its task. */
struct app {
    int thumbnails;
    pthread_t report_thread;
    int report_thread_started;
};

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* "thumbnail": progress, then complete. Both calls are fire and forget (cb
 * and out NULL): the worker counts the outcome, nobody waits for it. */
static void on_thumbnail(ff_task *t, void *ud) {
    struct app *app = ud;
    const ff_claim *cl = ff_task_claim(t);
    size_t len = 0;
    const char *image = ff_claim_payload(cl, &len);
    char result[128];
    int n = snprintf(result, sizeof result, "thumbnail of %.*s", (int)len, image);
    ff_task_progress(t, 50, "scaled", NULL, NULL, NULL);
    printf("thumbnail: %s attempt %u (%s)\n", ff_claim_execution_id(cl), (unsigned)ff_claim_attempt_index(cl),
           ff_claim_attempt_type(cl));
    /* The one finishing call of this task; t must not be used afterwards. */
    int st = ff_task_complete(t, result, (size_t)n, NULL, NULL, NULL);
    if (st != FF_OK) fprintf(stderr, "worker: complete not sent: %s\n", ff_status_name(st));
    app->thumbnails++;
}

/* Callback of the failed first "report" attempt (callback mode: it runs
 * where callbacks are dispatched, here inside ff_worker_run). */
static void on_report_failed(ff_op *op, void *ud) {
    (void)ud;
    if (ff_op_status(op) == FF_OK)
        printf("report: first attempt failed -> %s (retry at %lld)\n", ff_op_text(op), (long long)ff_op_int(op));
    else
        fprintf(stderr, "worker: fail not recorded: %s\n", ff_op_errmsg(op));
}

/* The retry of "report" is finished from a thread of our own, in future
 * mode. Until this call the task holds its slot and its lease is renewed. */
static void *finish_report(void *arg) {
    ff_task *t = arg;
    sleep_ms(50); /* the work */
    ff_op *op = NULL;
    int st = ff_task_complete(t, "rows=42", 7, NULL, NULL, &op);
    if (st == FF_OK) st = ff_op_wait(op, -1);
    if (st == FF_OK)
        printf("report: retry completed from a thread of its own -> %s\n", ff_op_text(op));
    else
        fprintf(stderr, "worker: report completion failed: %s %s\n", ff_status_name(st), op ? ff_op_errmsg(op) : "");
    ff_op_free(op);
    return NULL;
}

static void on_report(ff_task *t, void *ud) {
    struct app *app = ud;
    const ff_claim *cl = ff_task_claim(t);
    printf("report: %s attempt %u (%s)\n", ff_claim_execution_id(cl), (unsigned)ff_claim_attempt_index(cl),
           ff_claim_attempt_type(cl));
    if (ff_claim_attempt_index(cl) == 0) {
        int st = ff_task_fail(t, "warehouse busy", "transient", on_report_failed, NULL, NULL);
        if (st != FF_OK) fprintf(stderr, "worker: fail not sent: %s\n", ff_status_name(st));
        return;
    }
    if (pthread_create(&app->report_thread, NULL, finish_report, t) == 0) {
        app->report_thread_started = 1;
    } else {
        /* No thread: give the execution back (the same attempt resumes). */
        ff_task_release(t, NULL, NULL, NULL);
    }
}

static int submit(ff_client *c, const char *lane, const char *kind, const char *payload, int retries, char *id,
                  size_t idcap) {
    ff_exec_spec *spec = NULL;
    ff_op *op = NULL;
    int st = ff_exec_spec_new(&spec, kind);
    if (st == FF_OK) st = ff_exec_spec_set_lane(spec, lane);
    if (st == FF_OK) st = ff_exec_spec_set_payload(spec, payload, strlen(payload));
    if (st == FF_OK && retries > 0) st = ff_exec_spec_set_retry(spec, retries, "fixed", 100, 0, 1.0, 0.0, "transient");
    if (st == FF_OK) st = ff_execution_create(c, spec, NULL, NULL, &op);
    if (st == FF_OK) st = ff_op_wait(op, -1);
    if (st == FF_OK) snprintf(id, idcap, "%s", ff_op_execution_id(op));
    else fprintf(stderr, "worker: submit %s failed: %s %s\n", kind, ff_status_name(st), op ? ff_op_errmsg(op) : "");
    ff_op_free(op);
    ff_exec_spec_free(spec);
    return st;
}

/* Describe @p id and compare its public state, attempt count and (when
 * @p category is not NULL) its failure category. */
static int check(ff_client *c, const char *id, const char *state, int64_t attempts, const char *category) {
    ff_op *op = NULL;
    int st = ff_execution_describe(c, id, NULL, NULL, &op);
    if (st == FF_OK) st = ff_op_wait(op, -1);
    const char *got = "", *cat = "";
    int64_t n = 0;
    if (st == FF_OK) {
        ff_op_json_str(op, "public_state", &got);
        ff_op_json_i64(op, "counters.total_attempts", &n);
        ff_op_json_str(op, "failure.category", &cat);
    }
    int ok = st == FF_OK && strcmp(got, state) == 0 && n == attempts && (category == NULL || strcmp(cat, category) == 0);
    printf("  %s: %s, %lld attempt(s)%s%s %s\n", id, got, (long long)n, cat[0] ? ", failure category " : "", cat,
           ok ? "ok" : "UNEXPECTED");
    ff_op_free(op);
    return ok ? 0 : 1;
}

int main(void) {
    char err[512], lane[64];
    char thumbs[N_THUMBS][128], report[128] = "", fax[128] = "";
    struct app app = {0};
    ff_client *c = NULL;
    ff_worker_opts *wo = NULL;
    ff_worker *w = NULL;
    int rc = 1;

    int st = ff_client_new(&c, NULL, err, sizeof err);
    if (st != FF_OK) {
        fprintf(stderr, "worker: cannot connect: %s: %s\n", ff_status_name(st), err);
        return 1;
    }
    snprintf(lane, sizeof lane, "worker-example-%ld-%ld", (long)time(NULL), (long)getpid());

    /* 1. Work for the worker. */
    for (int i = 0; i < N_THUMBS; i++) {
        char image[32];
        snprintf(image, sizeof image, "img-%d.png", i + 1);
        if (submit(c, lane, "thumbnail", image, 0, thumbs[i], sizeof thumbs[i]) != FF_OK) goto out;
    }
    if (submit(c, lane, "report", "month=2024-05", 1, report, sizeof report) != FF_OK) goto out;
    if (submit(c, lane, "fax.send", "+1 555 0100", 0, fax, sizeof fax) != FF_OK) goto out;
    printf("submitted %d executions on lane %s\n", N_JOBS, lane);

    /* 2. The worker. The options are copied by ff_worker_new. */
    if (ff_worker_opts_new(&wo) != FF_OK || ff_worker_opts_set_worker_id(wo, "example-worker") != FF_OK ||
        ff_worker_opts_add_lane(wo, lane) != FF_OK || ff_worker_opts_set_concurrency(wo, 4) != FF_OK ||
        ff_worker_opts_set_lease_ttl_ms(wo, 10000) != FF_OK) {
        fprintf(stderr, "worker: building worker options failed\n");
        goto out;
    }
    st = ff_worker_new(&w, c, wo);
    if (st == FF_OK) st = ff_worker_on(w, "thumbnail", on_thumbnail, &app);
    if (st == FF_OK) st = ff_worker_on(w, "report", on_report, &app);
    if (st != FF_OK) {
        fprintf(stderr, "worker: creating the worker failed: %s\n", ff_status_name(st));
        goto out;
    }

    /* 3. Start it and dispatch its handlers on this thread until seven
     *    finishing calls were acknowledged (4 thumbnails, the failed and the
     *    completed report attempt, the "no_handler" failure), or nothing
     *    happened for 20 s. It returns once the worker has stopped. */
    st = ff_worker_run(w, N_FINISHING_CALLS, 20000);
    if (app.report_thread_started) pthread_join(app.report_thread, NULL);
    if (st != FF_OK) {
        fprintf(stderr, "worker: ff_worker_run: %s\n", ff_status_name(st));
        goto out;
    }
    char *stats = NULL;
    if (ff_worker_stats_json(w, &stats) == FF_OK) printf("worker counters: %s\n", stats);
    ff_free(stats);

    /* 4. Check the outcome of every execution. */
    printf("final states:\n");
    int bad = 0;
    for (int i = 0; i < N_THUMBS; i++) bad += check(c, thumbs[i], "completed", 1, NULL);
    bad += check(c, report, "completed", 2, NULL);
    bad += check(c, fax, "failed", 1, "no_handler");
    if (app.thumbnails != N_THUMBS) {
        fprintf(stderr, "worker: %d thumbnail handler runs, expected %d\n", app.thumbnails, N_THUMBS);
        bad++;
    }
    if (bad == 0) {
        printf("worker example: ok\n");
        rc = 0;
    }

out:
    ff_worker_free(w); /* stops the worker and its engine; before ff_client_free */
    ff_worker_opts_free(wo);
    ff_client_free(c);
    return rc;
}
