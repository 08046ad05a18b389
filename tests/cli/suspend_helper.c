/*
 * Test helper for tests/cli/test_ffctl_signals.sh: ffctl has no way to
 * suspend (that is a worker's call), so this creates an execution on LANE,
 * claims it and suspends it on the given waitpoint keys (all_of when more
 * than one), then prints "EID" and one "WAITPOINT_ID KEY TOKEN" line per
 * waitpoint.
 *
 *   ffctl_suspend_helper URL LANE [--timeout-ms N] KEY...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flowfabric.h>

static int die(const char *what, int st, ff_op *op) {
    fprintf(stderr, "suspend_helper: %s: %s %s\n", what, ff_status_name(st), op ? ff_op_errmsg(op) : "");
    return 1;
}

static int wait_op(int st, ff_op *op) {
    if (st != FF_OK) return st;
    st = ff_op_wait(op, 30000);
    return st == FF_OK ? ff_op_status(op) : st;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: ffctl_suspend_helper URL LANE [--timeout-ms N] KEY...\n");
        return 2;
    }
    int first_key = 3;
    long long timeout = 0;
    if (strcmp(argv[3], "--timeout-ms") == 0 && argc >= 6) {
        timeout = atoll(argv[4]);
        first_key = 5;
    }
    ff_client_opts *co = NULL;
    ff_client *c = NULL;
    int st = ff_client_opts_new(&co);
    if (st == FF_OK) st = ff_client_opts_set_url(co, argv[1]);
    char err[256] = "";
    if (st == FF_OK) st = ff_client_new(&c, co, err, sizeof err);
    ff_client_opts_free(co);
    if (st != FF_OK) {
        fprintf(stderr, "suspend_helper: connect: %s %s\n", ff_status_name(st), err);
        return 1;
    }

    ff_exec_spec *es = NULL;
    ff_op *op = NULL;
    st = ff_exec_spec_new(&es, "approval.test");
    if (st == FF_OK) st = ff_exec_spec_set_lane(es, argv[2]);
    if (st == FF_OK) st = ff_execution_create(c, es, NULL, NULL, &op);
    st = wait_op(st, op);
    ff_exec_spec_free(es);
    if (st != FF_OK) return die("create", st, op);
    ff_op_free(op);
    op = NULL;

    ff_claim_opts *o = NULL;
    ff_claim *cl = NULL;
    st = ff_claim_opts_new(&o);
    if (st == FF_OK) st = ff_claim_opts_add_lane(o, argv[2]);
    if (st == FF_OK) st = ff_lease_claim(c, o, NULL, NULL, &op);
    st = wait_op(st, op);
    ff_claim_opts_free(o);
    if (st == FF_OK && ff_op_claim_count(op) == 1) st = ff_op_take_claim(op, 0, &cl);
    if (st != FF_OK || cl == NULL) return die("claim", st, op);
    ff_op_free(op);
    op = NULL;

    ff_suspend_spec *s = NULL;
    char cond[4096];
    size_t off = (size_t)snprintf(cond, sizeof cond, "{\"all_of\":[");
    st = ff_suspend_spec_new(&s);
    for (int i = first_key; st == FF_OK && i < argc; i++) {
        st = ff_suspend_spec_add_waitpoint(s, argv[i]);
        off += (size_t)snprintf(cond + off, sizeof cond - off, "%s{\"single\":{\"key\":\"%s\"}}",
                                i > first_key ? "," : "", argv[i]);
    }
    snprintf(cond + off, sizeof cond - off, "]}");
    if (st == FF_OK && argc - first_key > 1) st = ff_suspend_spec_set_condition_json(s, cond);
    if (st == FF_OK && timeout > 0) st = ff_suspend_spec_set_timeout(s, timeout, "fail");
    if (st == FF_OK) st = ff_lease_suspend(c, cl, s, NULL, NULL, &op);
    st = wait_op(st, op);
    ff_suspend_spec_free(s);
    if (st != FF_OK) return die("suspend", st, op);
    printf("%s\n", ff_claim_execution_id(cl));
    for (size_t i = 0; i + 2 < ff_op_item_count(op); i += 3)
        printf("%s %s %s\n", ff_op_item(op, i), ff_op_item(op, i + 1), ff_op_item(op, i + 2));
    ff_op_free(op);
    ff_claim_free(cl);
    ff_client_free(c);
    return 0;
}
