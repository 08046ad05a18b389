/*
 * The demo's fourth act: a CI pipeline as a flow, submitted whole in one
 * atomic call (ff_flow_submit):
 *
 *   build -+-> test-linux -+
 *          +-> test-macos -+-(any_of, cancel_remaining)-> deploy
 *          +-> lint -------------------------------------> publish-docs
 *
 * A claim loop works the lane: build passes its artifact to the tests (data
 * edges); the first test to pass satisfies deploy's any_of group, which
 * cancels the other test in the same server call; lint fails for good, so
 * publish-docs is skipped. The demo then replays the completion feed of the
 * flow's partition (every ending and the settling, durable) and draws the
 * graph as `ffctl flow graph` does. Every state is checked at the end.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_flow_graph.h"
#include "cli/cli_util.h"
#include "demo/demo.h"

#define ACT_TIMEOUT_MS 20000
#define LEASE_TTL_MS 10000

enum { BUILD, TEST_LINUX, TEST_MACOS, LINT, DEPLOY, DOCS, NMEMBERS };

static const struct {
    const char *kind, *expect;
} members[NMEMBERS] = {
    {"build", "completed"},  {"test-linux", "completed"}, {"test-macos", "cancelled"},
    {"lint", "failed"},      {"deploy", "completed"},     {"publish-docs", "skipped"},
};

typedef struct act {
    char lane[80], flow[128], ids[NMEMBERS][128];
} act;

static int submit(ff_client *c, act *a) {
    ff_flow_spec *s = NULL;
    int st = ff_flow_spec_new(&s, NULL, a->lane, 0, 0);
    for (int i = 0; st == FF_OK && i < NMEMBERS; i++) {
        ff_exec_spec *e = NULL;
        st = ff_exec_spec_new(&e, members[i].kind);
        if (st == FF_OK) st = ff_exec_spec_set_lane(e, a->lane);
        if (st == FF_OK) st = ff_flow_spec_add_member(s, e, NULL);
        ff_exec_spec_free(e);
    }
    static const uint32_t edges[][3] = {{BUILD, TEST_LINUX, FF_FLOW_EDGE_DATA},
                                        {BUILD, TEST_MACOS, FF_FLOW_EDGE_DATA},
                                        {BUILD, LINT, 0},
                                        {TEST_LINUX, DEPLOY, FF_FLOW_EDGE_DATA},
                                        {TEST_MACOS, DEPLOY, FF_FLOW_EDGE_DATA},
                                        {LINT, DOCS, 0}};
    for (size_t i = 0; st == FF_OK && i < sizeof edges / sizeof edges[0]; i++)
        st = ff_flow_spec_add_edge(s, edges[i][0], edges[i][1], edges[i][2]);
    if (st == FF_OK) st = ff_flow_spec_set_group(s, DEPLOY, "any_of", 1, "cancel_remaining");
    ff_op *op = NULL;
    if (st == FF_OK) st = ff_flow_submit(c, s, NULL, NULL, &op);
    ff_flow_spec_free(s);
    st = cli_wait(st, &op, "submit_flow");
    if (st == FF_OK) {
        snprintf(a->flow, sizeof a->flow, "%s", ff_op_text(op));
        for (int i = 0; i < NMEMBERS; i++) snprintf(a->ids[i], sizeof a->ids[i], "%s", ff_op_item(op, (size_t)i));
        printf("   flow %s: %d members and 6 edges in ONE atomic call\n", a->flow, NMEMBERS);
    }
    ff_op_free(op);
    return st;
}

static int member_of(const act *a, const char *eid) {
    for (int i = 0; i < NMEMBERS; i++)
        if (strcmp(a->ids[i], eid) == 0) return i;
    return -1;
}

/* What reached a member through its data edges, as "from <kind>: <bytes>". */
static void print_inputs(ff_client *c, const act *a, const char *eid) {
    ff_op *op = NULL;
    if (cli_wait(ff_execution_parent_results(c, eid, NULL, NULL, &op), &op, "parent results") == FF_OK) {
        for (size_t r = 0; r + FF_ITEMS_FLOW_PARENTS_STRIDE <= ff_op_item_count(op); r += FF_ITEMS_FLOW_PARENTS_STRIDE) {
            if (strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_PARENTS_HAS_RESULT), "1") != 0) continue;
            int up = member_of(a, ff_op_item(op, r + FF_ITEMS_FLOW_PARENTS_UPSTREAM));
            printf("        input from %s: %s\n", up >= 0 ? members[up].kind : "?",
                   ff_op_item(op, r + FF_ITEMS_FLOW_PARENTS_RESULT));
        }
    }
    ff_op_free(op);
}

/* Finish one claimed member the way the script says. */
static int work(ff_client *c, const act *a, ff_claim *cl) {
    int m = member_of(a, ff_claim_execution_id(cl));
    if (m < 0) return cli_error(FF_ERROR, "claimed %s, not a member of the demo flow", ff_claim_execution_id(cl));
    printf("   claimed %-13s", members[m].kind);
    ff_op *op = NULL;
    int st;
    if (m == LINT) {
        printf(" -> fails: 3 style errors (no retry)\n");
        st = ff_lease_fail_with(c, cl, "3 style errors", "lint", FF_FAIL_NO_RETRY, NULL, NULL, &op);
    } else {
        char result[96];
        snprintf(result, sizeof result, m == BUILD ? "artifact app-1.4.2.tar.gz" : "%s ok", members[m].kind);
        printf(" -> completes: %s\n", result);
        if (m != BUILD) print_inputs(c, a, a->ids[m]);
        st = ff_lease_complete(c, cl, result, strlen(result), NULL, NULL, &op);
    }
    st = cli_wait(st, &op, members[m].kind);
    ff_op_free(op);
    return st;
}

static int run_lane(ff_client *c, const act *a) {
    ff_claim_opts *o = NULL;
    int st = ff_claim_opts_new(&o);
    if (st == FF_OK) st = ff_claim_opts_set_worker_id(o, "demo-ci-runner");
    if (st == FF_OK) st = ff_claim_opts_add_lane(o, a->lane);
    if (st == FF_OK) st = ff_claim_opts_set_lease_ttl_ms(o, LEASE_TTL_MS);
    int64_t deadline = cli_mono_ms() + ACT_TIMEOUT_MS;
    while (st == FF_OK) {
        if (cli_mono_ms() > deadline) {
            st = cli_error(FF_ETIMEDOUT, "the pipeline did not settle within %d s", ACT_TIMEOUT_MS / 1000);
            break;
        }
        ff_op *op = NULL;
        st = cli_wait(ff_lease_claim(c, o, NULL, NULL, &op), &op, "claim");
        ff_claim *cl = NULL;
        size_t n = st == FF_OK ? ff_op_claim_count(op) : 0;
        if (n > 0 && ff_op_take_claim(op, 0, &cl) == FF_OK) {
            st = work(c, a, cl);
            ff_claim_free(cl);
        }
        ff_op_free(op);
        if (st != FF_OK || n > 0) continue;
        /* nothing claimable: done once the flow has settled */
        ff_op *w = NULL;
        st = ff_flow_wait(c, a->flow, 1000, NULL, NULL, &w);
        if (st == FF_OK) st = ff_op_wait(w, -1);
        if (st == FF_OK) printf("   the flow settled: %s\n", ff_op_text(w));
        ff_op_free(w);
        if (st == FF_OK) break;
        if (st == FF_ETIMEDOUT) st = FF_OK;
    }
    ff_claim_opts_free(o);
    return st;
}

/* The completion feed of the flow's partition after @p cursor, this flow's
 * entries only. */
static int replay_feed(ff_client *c, const act *a, uint32_t part, const char *cursor) {
    char cur[64];
    snprintf(cur, sizeof cur, "%s", cursor);
    for (int page = 0; page < 100; page++) {
        ff_op *op = NULL;
        int st = cli_wait(ff_flow_feed_read(c, part, cur, 100, NULL, NULL, &op), &op, "feed");
        size_t n = st == FF_OK ? ff_op_item_count(op) : 0;
        for (size_t r = 0; r < n; r += FF_ITEMS_FLOW_FEED_STRIDE) {
            if (strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_FEED_FLOW_ID), a->flow) != 0) continue;
            const char *eid = ff_op_item(op, r + FF_ITEMS_FLOW_FEED_EID);
            int m = eid[0] ? member_of(a, eid) : -1;
            printf("   %-20s %-13s %s\n", ff_op_item(op, r + FF_ITEMS_FLOW_FEED_ID),
                   eid[0] ? (m >= 0 ? members[m].kind : eid) : "(the flow)",
                   ff_op_item(op, r + FF_ITEMS_FLOW_FEED_OUTCOME));
        }
        if (st == FF_OK) snprintf(cur, sizeof cur, "%s", ff_op_cursor(op));
        ff_op_free(op);
        if (st != FF_OK) return st;
        if (n == 0) break;
    }
    return FF_OK;
}

/* Print the graph and check every member's state against the script. */
static int check(ff_client *c, const act *a) {
    ff_op *op = NULL;
    int st = cli_wait(ff_flow_describe(c, a->flow, NULL, NULL, &op), &op, "describe_flow");
    if (st != FF_OK) {
        ff_op_free(op);
        return st;
    }
    printf("   ");
    for (int i = 0; i < NMEMBERS; i++)
        printf("%s%s = ...%s", i ? ", " : "", members[i].kind, a->ids[i] + strlen(a->ids[i]) - 8);
    printf("\n");
    json_t *doc = json_loads(ff_op_json(op), 0, NULL);
    cli_flow_graph *g = doc ? cli_flow_graph_new(doc) : NULL;
    if (g) cli_flow_graph_text(g, stdout);
    cli_flow_graph_free(g);
    int bad = 0;
    json_t *ms = json_object_get(doc, "members");
    for (size_t i = 0; i < json_array_size(ms); i++) {
        json_t *m = json_array_get(ms, i);
        int k = member_of(a, json_string_value(json_object_get(m, "execution_id")));
        const char *got = json_string_value(json_object_get(m, "public_state"));
        if (k < 0 || !got || strcmp(got, members[k].expect) != 0) {
            cli_error(FF_ERROR, "%s ended %s, the script says %s", k >= 0 ? members[k].kind : "?", got ? got : "?",
                      k >= 0 ? members[k].expect : "?");
            bad = 1;
        }
    }
    const char *state = json_string_value(json_object_get(doc, "state"));
    printf("   flow state: %s (lint failed and publish-docs was skipped)\n", state ? state : "?");
    if (!state || strcmp(state, "failed") != 0) bad = 1;
    json_decref(doc);
    ff_op_free(op);
    return bad ? FF_ERROR : FF_OK;
}

int demo_flow(ff_client *c, int step) {
    act a;
    memset(&a, 0, sizeof a);
    snprintf(a.lane, sizeof a.lane, "demo-ci-%ld-%04x", (long)getpid(), (unsigned)(cli_now_ms() & 0xffff));
    printf("\nAct 4: a CI pipeline as a flow (lane %s)\n\n", a.lane);
    printf("   build -+-> test-linux -+\n"
           "          +-> test-macos -+-(any_of, cancel_remaining)-> deploy\n"
           "          +-> lint -------------------------------------> publish-docs\n\n");
    printf("%d. Submit the whole DAG\n", step);
    int st = submit(c, &a);
    if (st != FF_OK) return st;
    uint32_t part = 0;
    sscanf(a.flow, "{fp:%" SCNu32 "}", &part);
    ff_op *op = NULL;
    char start[64] = "";
    if ((st = cli_wait(ff_flow_feed_read(c, part, "$", 1, NULL, NULL, &op), &op, "feed")) == FF_OK)
        snprintf(start, sizeof start, "%s", ff_op_cursor(op));
    ff_op_free(op);
    if (st != FF_OK) return st;
    printf("\n%d. A runner claims what is ready; each ending resolves its edges in the same call\n", step + 1);
    if ((st = run_lane(c, &a)) != FF_OK) return st;
    printf("\n%d. The completion feed of partition %" PRIu32 " (durable: a follower resumes from its cursor)\n",
           step + 2, part);
    if ((st = replay_feed(c, &a, part, start)) != FF_OK) return st;
    printf("\n%d. The graph, as 'ffctl flow graph %s' draws it\n", step + 3, a.flow);
    return check(c, &a);
}
