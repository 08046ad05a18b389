/*
 * The demo's fifth act: output streams. A worker thread claims a "report"
 * execution and, while it works, streams progress lines (durable frames),
 * token deltas (best_effort frames) and summary merge patches into its
 * attempt's stream, then completes. The demo meanwhile follows the stream
 * live with ff_stream_tail (a blocking read on a dedicated connection, so
 * the worker's appends on the shared one never wait for it) until the
 * completion closes it, then reads the summary document. Checked at the
 * end: every line arrived once and in order, the stream closed with
 * attempt_success, the summary holds the last patch.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_util.h"
#include "demo/demo.h"

#define ACT_TIMEOUT_MS 20000
#define PAGES 5
#define PACE_MS 150 /* between two pages: slow enough to watch */

typedef struct act {
    ff_client *c;
    char lane[80], eid[128];
    int worker_st;
} act;

static int append(ff_client *c, const ff_claim *cl, const char *type, const char *mode, const char *text) {
    ff_frame *f = NULL;
    int st = ff_frame_new(&f);
    if (st == FF_OK) st = ff_frame_set_type(f, type);
    if (st == FF_OK) st = ff_frame_set_mode(f, mode);
    if (st == FF_OK) st = ff_frame_set_payload(f, text, strlen(text));
    ff_op *op = NULL;
    if (st == FF_OK) st = ff_stream_append(c, cl, f, NULL, NULL, &op);
    ff_frame_free(f);
    st = cli_wait(st, &op, "append");
    ff_op_free(op);
    return st;
}

/* The worker: claim the report, stream as it "reads" each page, complete. */
static void *worker_main(void *arg) {
    act *a = arg;
    ff_claim_opts *o = NULL;
    int st = ff_claim_opts_new(&o);
    if (st == FF_OK) st = ff_claim_opts_set_worker_id(o, "demo-reporter");
    if (st == FF_OK) st = ff_claim_opts_add_lane(o, a->lane);
    ff_claim *cl = NULL;
    int64_t deadline = cli_mono_ms() + ACT_TIMEOUT_MS;
    while (st == FF_OK && cl == NULL && cli_mono_ms() < deadline) {
        ff_op *op = NULL;
        st = cli_wait(ff_lease_claim(a->c, o, NULL, NULL, &op), &op, "claim");
        if (st == FF_OK && ff_op_claim_count(op) > 0) st = ff_op_take_claim(op, 0, &cl);
        ff_op_free(op);
        if (st == FF_OK && cl == NULL) cli_sleep_ms(50);
    }
    ff_claim_opts_free(o);
    if (st == FF_OK && cl == NULL) st = cli_error(FF_ETIMEDOUT, "the report was never claimed");
    for (int p = 1; st == FF_OK && p <= PAGES; p++) {
        cli_sleep_ms(PACE_MS);
        char line[96], patch[96];
        snprintf(line, sizeof line, "read page %d/%d", p, PAGES);
        st = append(a->c, cl, "log", "durable", line);
        if (st == FF_OK) st = append(a->c, cl, "tokens", "best_effort", p % 2 ? "Revenue grew " : "12% in Q3. ");
        snprintf(patch, sizeof patch, "{\"pages_done\":%d,\"pages\":%d,\"stage\":\"%s\"}", p, PAGES,
                 p < PAGES ? "reading" : "done");
        if (st == FF_OK) st = append(a->c, cl, "summary", "summary", patch);
    }
    if (st == FF_OK) {
        const char *result = "report: revenue +12% in Q3";
        ff_op *op = NULL;
        st = cli_wait(ff_lease_complete(a->c, cl, result, strlen(result), NULL, NULL, &op), &op, "complete");
        ff_op_free(op);
    }
    ff_claim_free(cl);
    a->worker_st = st;
    return NULL;
}

static int submit(act *a) {
    ff_exec_spec *s = NULL;
    int st = ff_exec_spec_new(&s, "report");
    if (st == FF_OK) st = ff_exec_spec_set_lane(s, a->lane);
    ff_op *op = NULL;
    if (st == FF_OK) st = ff_execution_create(a->c, s, NULL, NULL, &op);
    ff_exec_spec_free(s);
    st = cli_wait(st, &op, "create");
    if (st == FF_OK) snprintf(a->eid, sizeof a->eid, "%s", ff_op_execution_id(op));
    ff_op_free(op);
    return st;
}

/* Follow attempt 0 until it closes; count what came. */
static int follow(act *a, int *lines, int *deltas, int *patches, int *in_order, char *reason, size_t cap) {
    char cursor[64] = "";
    int64_t deadline = cli_mono_ms() + ACT_TIMEOUT_MS;
    while (cli_mono_ms() < deadline) {
        ff_op *op = NULL;
        int st = cli_wait(ff_stream_tail(a->c, a->eid, 0, cursor, 1000, 100, 0, NULL, NULL, &op), &op, "tail");
        if (st != FF_OK) {
            ff_op_free(op);
            return st;
        }
        for (size_t r = 0; r < ff_op_item_count(op); r += FF_ITEMS_READ_STREAM_STRIDE) {
            const char *type = ff_op_item(op, r + FF_ITEMS_READ_STREAM_FRAME_TYPE);
            const char *text = ff_op_item(op, r + FF_ITEMS_READ_STREAM_PAYLOAD);
            if (strcmp(type, "log") == 0) {
                char want[64];
                snprintf(want, sizeof want, "read page %d/%d", *lines + 1, PAGES);
                if (strcmp(text, want) != 0) *in_order = 0;
                (*lines)++;
                printf("   [log]     %s\n", text);
            } else if (strcmp(type, "summary") == 0) {
                (*patches)++;
                printf("   [summary] %s\n", text);
            } else {
                (*deltas)++;
                printf("   [tokens]  %s\n", text);
            }
        }
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        snprintf(reason, cap, "%s", ff_op_text(op));
        ff_op_free(op);
        if (reason[0]) return FF_OK;
    }
    return cli_error(FF_ETIMEDOUT, "the stream did not close within %d s", ACT_TIMEOUT_MS / 1000);
}

static int report(act *a) {
    ff_op *op = NULL;
    int st = cli_wait(ff_stream_summary(a->c, a->eid, 0, NULL, NULL, &op), &op, "summary");
    int bad = st != FF_OK;
    if (st == FF_OK) {
        printf("   summary document (version %" PRId64 "): %s\n", ff_op_int(op), ff_op_text(op));
        int64_t done = 0;
        const char *stage = NULL;
        if (ff_op_int(op) != PAGES || ff_op_json_i64(op, "document.pages_done", &done) != FF_OK || done != PAGES ||
            ff_op_json_str(op, "document.stage", &stage) != FF_OK || strcmp(stage, "done") != 0)
            bad = 1;
    }
    ff_op_free(op);
    printf("   (the same from a shell: ffctl logs %s -f ; ffctl summary %s)\n", a->eid, a->eid);
    return bad ? FF_ERROR : FF_OK;
}

int demo_stream(ff_client *c, int step) {
    act a;
    memset(&a, 0, sizeof a);
    a.c = c;
    snprintf(a.lane, sizeof a.lane, "demo-stream-%ld-%04x", (long)getpid(), (unsigned)(cli_now_ms() & 0xffff));
    printf("\nAct 5: output streams (lane %s)\n\n", a.lane);
    printf("%d. Submit a \"report\" execution; a worker thread streams while it works\n", step);
    int st = submit(&a);
    if (st != FF_OK) return st;
    printf("   execution %s\n", a.eid);
    pthread_t th;
    if (pthread_create(&th, NULL, worker_main, &a) != 0) return cli_error(FF_ESYS, "cannot start the worker thread");
    printf("\n%d. Follow its stream live: log lines (durable), token deltas (best effort),\n"
           "   summary patches; the completion closes the stream in the same call\n",
           step + 1);
    int lines = 0, deltas = 0, patches = 0, in_order = 1;
    char reason[64] = "";
    st = follow(&a, &lines, &deltas, &patches, &in_order, reason, sizeof reason);
    pthread_join(th, NULL);
    if (st == FF_OK) st = a.worker_st;
    if (st != FF_OK) return st;
    printf("   stream closed: %s (%d lines, %d deltas, %d patches)\n", reason, lines, deltas, patches);
    int bad = strcmp(reason, "attempt_success") != 0 || lines != PAGES || deltas != PAGES || patches != PAGES ||
              !in_order;
    if (bad) cli_error(FF_ERROR, "the stream did not hold every frame once and in order");
    printf("\n%d. The summary the patches built (RFC 7396 merge, one document per attempt)\n", step + 2);
    int rst = report(&a);
    return bad ? FF_ERROR : rst;
}
