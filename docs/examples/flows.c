/*
 * FlowFabric flows from C, the program behind the examples of docs/flows.md
 * (every C block there is a piece of this file, checked by ctest
 * example.flows_doc, and ctest example.flows runs it):
 *
 *   1. a whole DAG in one call: build -> (test-a | test-b, any_of) -> deploy
 *   2. the same DAG staged call by call (create, members, group, edges)
 *   3. a claim loop that works a lane: each ending resolves its edges in the
 *      same server call; deploy reads the test result that reached it
 *   4. a parent that spawns a child flow and waits for it without holding a
 *      worker, then reads its children's results
 *   5. the completion feed read from a cursor, and ff_flow_wait
 *
 * Build (from the repository root, after the library is built):
 *   cc -std=c11 -Wall -Wextra -Werror -Iinclude docs/examples/flows.c build/libflowfabric.so
 * Connects with NULL options: $FF_URL, else the embedded private server.
 * Exit status: 0 when every flow ended as described, 1 otherwise.
 */
#define _POSIX_C_SOURCE 200809L /* getpid */

#include <flowfabric.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char ci[64]; /* this run's lane: "ci-<pid>" */

/* Wait for the op the starting call put in *opp (read only now: C does not
 * order the evaluation of arguments) and return it; NULL (and a message)
 * when the call or the op failed. */
static ff_op *done(const char *what, int st, ff_op **opp) {
    ff_op *op = st == FF_OK ? *opp : NULL;
    if (st == FF_OK) st = ff_op_wait(op, -1);
    if (st == FF_OK) return op;
    fprintf(stderr, "flows: %s: %s %s\n", what, ff_status_name(st), op ? ff_op_errmsg(op) : "");
    ff_op_free(op);
    return NULL;
}

/* build -> (test-a | test-b, any one is enough) -> deploy, in one call */
static int submit_ci(ff_client *c, char *deploy_id, size_t cap) {
    ff_flow_spec *f = NULL;
    uint32_t idx[4];
    const char *kinds[] = {"build", "test", "test", "deploy"};
    if (ff_flow_spec_new(&f, NULL, ci, 0, 0) != FF_OK) return -1;
    for (int i = 0; i < 4; i++) {
        ff_exec_spec *s = NULL;
        ff_exec_spec_new(&s, kinds[i]);
        ff_exec_spec_set_lane(s, ci);
        ff_flow_spec_add_member(f, s, &idx[i]);
        ff_exec_spec_free(s); /* the flow spec keeps a copy */
    }
    ff_flow_spec_add_edge(f, idx[0], idx[1], 0);
    ff_flow_spec_add_edge(f, idx[0], idx[2], 0);
    ff_flow_spec_add_edge(f, idx[1], idx[3], FF_FLOW_EDGE_DATA);
    ff_flow_spec_add_edge(f, idx[2], idx[3], FF_FLOW_EDGE_DATA);
    ff_flow_spec_set_group(f, idx[3], "any_of", 1, "cancel_remaining");

    ff_op *op = NULL;
    if (ff_flow_submit(c, f, NULL, NULL, &op) != FF_OK) {
        ff_flow_spec_free(f);
        return -1;
    }
    ff_flow_spec_free(f); /* everything was copied into the call */
    int st = ff_op_wait(op, -1);
    if (st == FF_OK) {
        snprintf(deploy_id, cap, "%s", ff_op_item(op, idx[3] * FF_ITEMS_FLOW_SUBMIT_STRIDE + FF_ITEMS_FLOW_SUBMIT_EID));
        printf("flow %s, deploy is %s\n", ff_op_text(op), deploy_id);
    }
    ff_op_free(op);
    return st == FF_OK ? 0 : -1;
}

/* The same DAG, one call per step (each refusal is typed and writes nothing) */
static int stage_ci(ff_client *c, char *flow, size_t cap) {
    ff_op *op = NULL;
    char build[80], ta[80], tb[80], deploy[80];
    if (ff_flow_create(c, NULL, ci, 0, 0, NULL, NULL, &op) != FF_OK) return -1;
    ff_op_wait(op, -1);
    snprintf(flow, cap, "%s", ff_op_text(op));
    ff_op_free(op);

    char *ids[] = {build, ta, tb, deploy};
    const char *kinds[] = {"build", "test", "test", "deploy"};
    for (int i = 0; i < 4; i++) {
        ff_exec_spec *s = NULL;
        ff_exec_spec_new(&s, kinds[i]);
        ff_exec_spec_set_lane(s, ci);
        ff_exec_spec_set_flow(s, flow); /* minted on the flow's partition */
        ff_execution_create(c, s, NULL, NULL, &op);
        ff_op_wait(op, -1);
        snprintf(ids[i], 80, "%s", ff_op_execution_id(op));
        ff_op_free(op);
        ff_exec_spec_free(s);
    }
    ff_flow_set_group(c, flow, deploy, "any_of", 1, "cancel_remaining", NULL, NULL, &op);
    ff_op_wait(op, -1);
    ff_op_free(op);
    const char *edges[][2] = {{build, ta}, {build, tb}, {ta, deploy}, {tb, deploy}};
    for (int i = 0; i < 4; i++) {
        ff_flow_add_edge(c, flow, edges[i][0], edges[i][1], -1, FF_FLOW_EDGE_DATA, NULL, NULL, &op);
        ff_op_wait(op, -1);
        ff_op_free(op);
    }
    /* workers on the lane now run build, then both tests; the first test
     * to pass releases deploy and cancels the other */
    return 0;
}

/* A parent spawns a child flow and waits for it without holding a worker */
static int spawn_and_wait(ff_client *c, const ff_claim *parent) {
    ff_flow_spec *f = NULL;
    ff_flow_spec_new(&f, NULL, ci, 0, 0);
    ff_flow_spec_set_parent(f, ff_claim_execution_id(parent)); /* on its partition */
    for (int i = 0; i < 2; i++) {
        ff_exec_spec *s = NULL;
        ff_exec_spec_new(&s, "part");
        ff_exec_spec_set_lane(s, ci);
        ff_flow_spec_add_member(f, s, NULL);
        ff_exec_spec_free(s);
    }
    ff_op *op = NULL;
    int st = ff_flow_submit(c, f, NULL, NULL, &op);
    ff_flow_spec_free(f);
    if ((op = done("spawn", st, &op)) == NULL) return -1;
    ff_op_free(op);
    /* "suspended": the lease is released; the last child's ending resumes
     * the same attempt ("already_satisfied" if they had all ended) */
    if ((op = done("wait_children", ff_lease_wait_children(c, parent, 0, NULL, NULL, NULL, &op), &op)) == NULL)
        return -1;
    printf("parent %s: %s\n", ff_claim_execution_id(parent), ff_op_text(op));
    ff_op_free(op);
    return 0;
}

/* What reached @p eid through its data edges, printed. */
static void print_inputs(ff_client *c, const char *eid) {
    ff_op *op = NULL;
    if ((op = done("parent results", ff_execution_parent_results(c, eid, NULL, NULL, &op), &op)) == NULL) return;
    for (size_t r = 0; r < ff_op_item_count(op); r += FF_ITEMS_FLOW_PARENTS_STRIDE)
        if (strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_PARENTS_HAS_RESULT), "1") == 0)
            printf("  %s got \"%s\" from %s\n", eid, ff_op_item(op, r + FF_ITEMS_FLOW_PARENTS_RESULT),
                   ff_op_item(op, r + FF_ITEMS_FLOW_PARENTS_UPSTREAM));
    ff_op_free(op);
}

/* Claim and finish until nothing is claimable: a "report" spawns two
 * "part" children and waits; resumed, it completes with their results. */
static int work_lane(ff_client *c) {
    ff_claim_opts *o = NULL;
    ff_claim_opts_new(&o);
    ff_claim_opts_add_lane(o, ci);
    int rc = 0;
    for (int idle = 0; idle < 3 && rc == 0;) {
        ff_op *op = NULL;
        if ((op = done("claim", ff_lease_claim(c, o, NULL, NULL, &op), &op)) == NULL) {
            rc = -1;
            break;
        }
        ff_claim *cl = NULL;
        if (ff_op_claim_count(op) == 0 || ff_op_take_claim(op, 0, &cl) != FF_OK) {
            ff_op_free(op);
            idle++;
            continue;
        }
        ff_op_free(op);
        idle = 0;
        const char *kind = ff_claim_kind(cl), *eid = ff_claim_execution_id(cl);
        if (strcmp(kind, "report") == 0 && strcmp(ff_claim_attempt_type(cl), "resumed") != 0) {
            rc = spawn_and_wait(c, cl);
            ff_claim_free(cl);
            continue;
        }
        char result[256] = "";
        if (strcmp(kind, "report") == 0) {
            op = NULL;
            if ((op = done("children", ff_execution_children(c, eid, NULL, NULL, &op), &op)) != NULL) {
                size_t n = ff_op_item_count(op) / FF_ITEMS_FLOW_CHILDREN_STRIDE;
                snprintf(result, sizeof result, "%zu parts", n);
                ff_op_free(op);
            }
        } else {
            if (strcmp(kind, "deploy") == 0) print_inputs(c, eid);
            snprintf(result, sizeof result, "%s ok", kind);
        }
        op = NULL;
        if ((op = done(kind, ff_lease_complete(c, cl, result, strlen(result), NULL, NULL, &op), &op)) == NULL &&
            strcmp(kind, "test") != 0) /* a cancelled test's complete is refused: expected */
            rc = -1;
        ff_op_free(op);
        ff_claim_free(cl);
    }
    ff_claim_opts_free(o);
    return rc;
}

/* Every ending on the flow's partition after `cursor`, from the durable feed */
static void print_feed(ff_client *c, uint32_t partition, const char *cursor, const char *flow) {
    ff_op *op = NULL;
    if ((op = done("feed", ff_flow_feed_read(c, partition, cursor, 1000, NULL, NULL, &op), &op)) == NULL) return;
    for (size_t r = 0; r < ff_op_item_count(op); r += FF_ITEMS_FLOW_FEED_STRIDE) {
        if (strcmp(ff_op_item(op, r + FF_ITEMS_FLOW_FEED_FLOW_ID), flow) != 0) continue;
        printf("  %s %s %s\n", ff_op_item(op, r + FF_ITEMS_FLOW_FEED_KIND),
               ff_op_item(op, r + FF_ITEMS_FLOW_FEED_EID), ff_op_item(op, r + FF_ITEMS_FLOW_FEED_OUTCOME));
    }
    printf("  next cursor %s (store it to resume after a restart)\n", ff_op_cursor(op));
    ff_op_free(op);
}

static int flow_state(ff_client *c, const char *flow, const char *want) {
    ff_op *op = NULL;
    if ((op = done("flow wait", ff_flow_wait(c, flow, 10000, NULL, NULL, &op), &op)) == NULL) return -1;
    int ok = strcmp(ff_op_text(op), want) == 0;
    printf("flow %s settled: %s\n", flow, ff_op_text(op));
    ff_op_free(op);
    return ok ? 0 : -1;
}

int main(void) {
    snprintf(ci, sizeof ci, "ci-%ld", (long)getpid());
    ff_client *c = NULL;
    char err[256];
    if (ff_client_new(&c, NULL, err, sizeof err) != FF_OK) {
        fprintf(stderr, "flows: connect: %s\n", err);
        return 1;
    }
    char deploy[80], staged[80];
    int rc = submit_ci(c, deploy, sizeof deploy);
    uint32_t part = 0;
    sscanf(deploy, "{fp:%u}", &part);
    char cursor[64] = "";
    ff_op *op = NULL;
    if (rc == 0 && (op = done("feed", ff_flow_feed_read(c, part, "$", 1, NULL, NULL, &op), &op)) != NULL) {
        snprintf(cursor, sizeof cursor, "%s", ff_op_cursor(op));
        ff_op_free(op);
    }
    if (rc == 0) rc = stage_ci(c, staged, sizeof staged);
    op = NULL;
    ff_exec_spec *s = NULL;
    ff_exec_spec_new(&s, "report");
    ff_exec_spec_set_lane(s, ci);
    char report[80] = "";
    if (rc == 0 && (op = done("report", ff_execution_create(c, s, NULL, NULL, &op), &op)) == NULL) rc = -1;
    if (op) snprintf(report, sizeof report, "%s", ff_op_execution_id(op));
    ff_op_free(op);
    ff_exec_spec_free(s);
    if (rc == 0) rc = work_lane(c);
    op = NULL;
    if (rc == 0 && (op = done("report result", ff_execution_result(c, report, NULL, NULL, &op), &op)) != NULL) {
        size_t len = 0;
        const char *b = ff_op_bytes(op, &len);
        printf("report %s: %.*s\n", report, (int)len, b);
        if (len != 7 || memcmp(b, "2 parts", 7) != 0) rc = -1;
        ff_op_free(op);
    } else if (rc == 0) {
        rc = -1;
    }
    op = NULL;
    char flow[80] = "";
    if (rc == 0 && (op = done("flow of", ff_execution_flow_id(c, deploy, NULL, NULL, &op), &op)) != NULL) {
        snprintf(flow, sizeof flow, "%s", ff_op_text(op));
        ff_op_free(op);
    }
    if (rc == 0) rc = flow_state(c, flow, "completed");
    if (rc == 0) rc = flow_state(c, staged, "completed");
    if (rc == 0) {
        printf("the feed of partition %u for flow %s:\n", part, flow);
        print_feed(c, part, cursor, flow);
    }
    ff_client_free(c);
    printf(rc == 0 ? "flows: OK\n" : "flows: FAILED\n");
    return rc == 0 ? 0 : 1;
}
