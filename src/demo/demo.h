/* `ffctl demo` internals: the scripted jobs and the in-process worker. */
#ifndef FFCTL_DEMO_H
#define FFCTL_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include <flowfabric.h>

/* Fixed retry backoff of the demo's retrying jobs. */
#define DEMO_BACKOFF_MS 200

/* One scripted execution. What the worker does with each attempt is decided
 * by the job, not by chance, so every run ends the same way. */
typedef struct demo_job {
    const char *kind;
    const char *payload;
    int32_t priority;
    int32_t retries;         /* max_retries of a fixed-backoff policy; 0: none */
    uint32_t fail_attempts;  /* attempts with index < this fail as "transient" */
    const char *fail_reason; /* reason given when failing */
    const char *result;      /* result bytes when it succeeds */
    int operator_cancel;     /* the operator cancels it while it waits */
    const char *expect;      /* expected final public state */
    int64_t expect_attempts; /* expected total attempts */
    char id[128];            /* filled in by the submit step */
} demo_job;

/* Run a worker on @p lane until every job is terminal or @p deadline_mono_ms
 * (cli_mono_ms clock) passes. Prints each claim and outcome. Returns FF_OK
 * when all jobs are terminal, FF_ETIMEDOUT if time ran out, or the status of
 * an unexpected failure (already printed). */
int demo_work(ff_client *c, const char *lane, demo_job *jobs, size_t njobs, int64_t deadline_mono_ms);

/* 1 when @p public_state is terminal. */
int demo_is_terminal(const char *public_state);

/* Act 2 (demo_crash.c): a worker process killed mid-run and its work
 * reclaimed and finished by an in-process worker, next to normal work.
 * Steps are numbered from @p step. Bounded to about 20 s. Returns FF_OK
 * when every execution completed as expected (otherwise already printed). */
/* @p server_url: the URL to hand the worker process (with its password, if
 * any: it goes through the child's environment, never its argv). */
int demo_crash(ff_client *c, const char *server_url, int step);

/* Act 3 (demo_approval.c): an execution suspends on an "approval"
 * waitpoint, the demo prints the `ffctl signal` command with its token,
 * delivers the approval through the C API, and the same attempt resumes
 * and completes naming the approver. Steps are numbered from @p step.
 * Bounded to about 20 s. Returns FF_OK when it ended as scripted. */
int demo_approval(ff_client *c, int step);

/* Act 4 (demo_flow.c): a build -> test matrix -> deploy flow submitted in
 * one call, with an any_of that cancels the other test and a failing lint
 * that skips publish-docs; the completion feed replayed and the graph
 * drawn. Steps are numbered from @p step. Bounded to about 20 s. Returns
 * FF_OK when every member ended as scripted. */
int demo_flow(ff_client *c, int step);

/* Act 5 (demo_stream.c): a worker thread streams progress lines, token
 * deltas and summary patches while the demo follows the stream live until
 * the completion closes it, then reads the summary. Steps are numbered from
 * @p step. Bounded to about 20 s. Returns FF_OK when every frame arrived
 * once, in order, and the summary holds the last patch. */
int demo_stream(ff_client *c, int step);

#endif
