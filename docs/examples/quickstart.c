/*
 * FlowFabric quickstart: the whole life of two executions, from one process.
 *
 *   1. connect (NULL options: $FF_URL, else the embedded private server)
 *   2. submit two executions on a private lane; the second has a retry policy
 *   3. claim both with one batch claim
 *   4. complete the first; fail the second with a retryable category
 *   5. poll-claim the second again (its retry attempt) and complete it
 *   6. describe both, read a result, list the lane, count the lane
 *      (the count uses callback mode + ff_client_fd/ff_client_dispatch)
 *
 * Build (from the repository root, after the library is built):
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude docs/examples/quickstart.c \
 *      build/libflowfabric.a $(pkg-config --libs hiredis libuv jansson liburiparser) -lpthread -lm
 * Explained step by step in docs/c-api.md ("A complete program").
 * Exit status: 0 on success, 1 with a message on stderr otherwise.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep, poll, getpid */

#include <flowfabric.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what, int status, const ff_op *op) {
    fprintf(stderr, "quickstart: %s failed: %s (%s)%s%s\n", what, ff_status_name(status), ff_strerror(status),
            (op && ff_op_errmsg(op)[0]) ? ": " : "", op ? ff_op_errmsg(op) : "");
    return 1;
}

/* Future mode in one place: @p st is what the starting call returned, @p op
 * the op it produced. Waits for completion; on failure prints why, frees
 * the op and returns non-zero. On success the caller owns *op. */
static int finish(const char *what, int st, ff_op **op) {
    if (st != FF_OK) return fail(what, st, NULL); /* nothing was started */
    st = ff_op_wait(*op, -1);
    if (st != FF_OK) {
        fail(what, st, *op);
        ff_op_free(*op);
        *op = NULL;
        return 1;
    }
    return 0;
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Callback used for the lane counts: copies the JSON out of the borrowed op. */
struct counts_result {
    int done;
    int status;
    char json[512];
};

static void on_counts(ff_op *op, void *ud) {
    struct counts_result *r = ud;
    r->status = ff_op_status(op);
    snprintf(r->json, sizeof r->json, "%s", r->status == FF_OK ? ff_op_json(op) : ff_op_errmsg(op));
    r->done = 1;
}

int main(void) {
    char err[512];
    ff_client *c = NULL;
    ff_exec_spec *spec_a = NULL, *spec_b = NULL;
    ff_claim_opts *copts = NULL;
    ff_claim *claims[2] = {NULL, NULL};
    ff_claim *retry = NULL;
    ff_op *op = NULL;
    char id_a[128] = "", id_b[128] = "", lane[64];
    int rc = 1;

    /* 1. Connect. NULL options: $FF_URL if set, else the embedded server. */
    int st = ff_client_new(&c, NULL, err, sizeof err);
    if (st != FF_OK) {
        fprintf(stderr, "quickstart: cannot connect: %s: %s\n", ff_status_name(st), err);
        return 1;
    }
    printf("connected to %s (%u partitions, libflowfabric %s)\n", ff_client_url(c), ff_client_partitions(c),
           ff_version_string());

    /* A lane of our own, so nothing else on the server interferes. */
    snprintf(lane, sizeof lane, "quickstart-%ld-%ld", (long)time(NULL), (long)getpid());

    /* 2. Submit. A: plain. B: up to 2 retries, fixed 100 ms backoff, and
     *    only failures of category "transient" are retried. */
    if (ff_exec_spec_new(&spec_a, "email.send") != FF_OK || ff_exec_spec_set_lane(spec_a, lane) != FF_OK ||
        ff_exec_spec_set_payload(spec_a, "to=ada@example.org", 18) != FF_OK ||
        ff_exec_spec_set_priority(spec_a, 10) != FF_OK) {
        fprintf(stderr, "quickstart: building spec A failed\n");
        goto out;
    }
    if (ff_exec_spec_new(&spec_b, "report.build") != FF_OK || ff_exec_spec_set_lane(spec_b, lane) != FF_OK ||
        ff_exec_spec_set_payload(spec_b, "month=2024-05", 13) != FF_OK ||
        ff_exec_spec_set_retry(spec_b, 2, "fixed", 100, 0, 1.0, 0.0, "transient") != FF_OK) {
        fprintf(stderr, "quickstart: building spec B failed\n");
        goto out;
    }
    if (finish("submit A", ff_execution_create(c, spec_a, NULL, NULL, &op), &op)) goto out;
    snprintf(id_a, sizeof id_a, "%s", ff_op_execution_id(op));
    printf("submitted A %s -> %s\n", id_a, ff_op_text(op));
    ff_op_free(op);
    if (finish("submit B", ff_execution_create(c, spec_b, NULL, NULL, &op), &op)) goto out;
    snprintf(id_b, sizeof id_b, "%s", ff_op_execution_id(op));
    printf("submitted B %s -> %s\n", id_b, ff_op_text(op));
    ff_op_free(op);

    /* 3. Claim both in one call (higher priority first: A, then B). */
    if (ff_claim_opts_new(&copts) != FF_OK || ff_claim_opts_set_worker_id(copts, "quickstart-worker") != FF_OK ||
        ff_claim_opts_add_lane(copts, lane) != FF_OK || ff_claim_opts_set_batch(copts, 2) != FF_OK ||
        ff_claim_opts_set_lease_ttl_ms(copts, 10000) != FF_OK) {
        fprintf(stderr, "quickstart: building claim options failed\n");
        goto out;
    }
    if (finish("claim", ff_lease_claim(c, copts, NULL, NULL, &op), &op)) goto out;
    if (ff_op_claim_count(op) != 2) {
        fprintf(stderr, "quickstart: expected 2 claims, got %zu\n", ff_op_claim_count(op));
        ff_op_free(op);
        goto out;
    }
    for (size_t i = 0; i < 2; i++) ff_op_take_claim(op, i, &claims[i]);
    ff_op_free(op);
    for (size_t i = 0; i < 2; i++) {
        size_t len = 0;
        const void *payload = ff_claim_payload(claims[i], &len);
        printf("claimed %s kind=%s attempt=%u (%s) epoch=%llu payload=%.*s\n", ff_claim_execution_id(claims[i]),
               ff_claim_kind(claims[i]), ff_claim_attempt_index(claims[i]), ff_claim_attempt_type(claims[i]),
               (unsigned long long)ff_claim_lease_epoch(claims[i]), (int)len, (const char *)payload);
    }
    ff_claim *cl_a = strcmp(ff_claim_execution_id(claims[0]), id_a) == 0 ? claims[0] : claims[1];
    ff_claim *cl_b = cl_a == claims[0] ? claims[1] : claims[0];

    /* 4. Complete A; fail B with a retryable category. */
    if (finish("complete A", ff_lease_complete(c, cl_a, "queued:250", 10, NULL, NULL, &op), &op)) goto out;
    printf("A -> %s\n", ff_op_text(op));
    ff_op_free(op);
    if (finish("fail B", ff_lease_fail(c, cl_b, "upstream timed out", "transient", NULL, NULL, &op), &op)) goto out;
    if (strcmp(ff_op_text(op), "retry_scheduled") != 0) {
        fprintf(stderr, "quickstart: expected retry_scheduled, got %s\n", ff_op_text(op));
        ff_op_free(op);
        goto out;
    }
    printf("B -> %s (retry at %lld)\n", ff_op_text(op), (long long)ff_op_int(op));
    ff_op_free(op);

    /* 5. The retry becomes claimable after the 100 ms backoff: poll for it
     *    (a real worker would block on its lane instead), at most ~5 s. */
    if (ff_claim_opts_set_batch(copts, 1) != FF_OK) goto out;
    for (int i = 0; i < 100 && retry == NULL; i++) {
        if (finish("claim retry", ff_lease_claim(c, copts, NULL, NULL, &op), &op)) goto out;
        if (ff_op_claim_count(op) == 1) ff_op_take_claim(op, 0, &retry);
        ff_op_free(op);
        if (retry == NULL) sleep_ms(50);
    }
    if (retry == NULL || strcmp(ff_claim_execution_id(retry), id_b) != 0) {
        fprintf(stderr, "quickstart: the retry of B was not claimable within 5 s\n");
        goto out;
    }
    printf("claimed %s again: attempt=%u (%s) epoch=%llu\n", ff_claim_execution_id(retry),
           ff_claim_attempt_index(retry), ff_claim_attempt_type(retry),
           (unsigned long long)ff_claim_lease_epoch(retry));
    if (finish("complete B", ff_lease_complete(c, retry, "rows=42", 7, NULL, NULL, &op), &op)) goto out;
    ff_op_free(op);

    /* 6a. Describe: the snapshot is JSON; typed lookups by dotted path. */
    const char *ids[2] = {id_a, id_b};
    for (int i = 0; i < 2; i++) {
        if (finish("describe", ff_execution_describe(c, ids[i], NULL, NULL, &op), &op)) goto out;
        const char *public_state = "?", *last_type = "?";
        int64_t attempts = 0, retries = 0;
        ff_op_json_str(op, "public_state", &public_state);
        ff_op_json_i64(op, "counters.total_attempts", &attempts);
        ff_op_json_i64(op, "counters.retry_count", &retries);
        ff_op_json_str(op, "current_attempt.type", &last_type);
        printf("%s: public_state=%s attempts=%lld retries=%lld last attempt=%s\n", i == 0 ? "A" : "B",
               public_state, (long long)attempts, (long long)retries, last_type);
        int ok = strcmp(public_state, "completed") == 0;
        ff_op_free(op);
        if (!ok) {
            fprintf(stderr, "quickstart: %s is not completed\n", ids[i]);
            goto out;
        }
    }

    /* 6b. The result bytes of B. */
    if (finish("result", ff_execution_result(c, id_b, NULL, NULL, &op), &op)) goto out;
    size_t rlen = 0;
    const char *res = ff_op_bytes(op, &rlen);
    printf("result of B: %.*s\n", (int)rlen, res);
    ff_op_free(op);

    /* 6c. List the lane's completed executions, page by page. */
    char cursor[64] = "0";
    size_t listed = 0;
    do {
        if (finish("list lane", ff_execution_list_lane(c, lane, "completed", cursor, 100, NULL, NULL, &op), &op))
            goto out;
        for (size_t i = 0; i < ff_op_item_count(op); i++) printf("  completed: %s\n", ff_op_item(op, i));
        listed += ff_op_item_count(op);
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);
    } while (strcmp(cursor, "0") != 0 && cursor[0] != '\0');
    if (listed != 2) {
        fprintf(stderr, "quickstart: expected 2 completed executions on %s, listed %zu\n", lane, listed);
        goto out;
    }

    /* 6d. Callback mode: the callback runs on THIS thread, inside
     *     ff_client_dispatch(), once ff_client_fd() became readable. */
    struct counts_result counts = {0, FF_EAGAIN, ""};
    st = ff_lane_counts(c, lane, on_counts, &counts, NULL);
    if (st != FF_OK) {
        fail("lane counts", st, NULL);
        goto out;
    }
    while (!counts.done) {
        struct pollfd pfd = {ff_client_fd(c), POLLIN, 0};
        if (poll(&pfd, 1, 1000) > 0) ff_client_dispatch(c, 0);
    }
    if (counts.status != FF_OK) {
        fprintf(stderr, "quickstart: lane counts failed: %s\n", counts.json);
        goto out;
    }
    printf("lane counts: %s\n", counts.json);

    rc = 0;
    printf("quickstart: ok\n");
out:
    ff_claim_free(retry);
    ff_claim_free(claims[0]);
    ff_claim_free(claims[1]);
    ff_claim_opts_free(copts);
    ff_exec_spec_free(spec_a);
    ff_exec_spec_free(spec_b);
    ff_client_free(c);
    return rc;
}
