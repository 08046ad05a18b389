/* Operator-level deployment reads (include/flowfabric/sys/health.h). */
#include "flowfabric/sys/health.h"

#include <stdio.h>

#include "core/error.h"
#include "ops/ops_int.h"

/* Each reply: {OK, leases_held, leases_overdue, quarantined, suspended}. */
static int finish_health(ff_op *op) {
    static const char *const names[] = {"leases_held", "leases_overdue", "quarantined", "suspended"};
    int64_t sums[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < op->ncmds; i++) {
        ff_rv *const *f = NULL;
        size_t n = 0;
        int st = ff__fcall_result(op, op->replies[i], &f, &n);
        if (st != FF_OK) return st;
        if (n < FF_FN_PARTITION_STATS_NFIELDS) return FF_EPROTO;
        for (size_t k = 0; k < 4; k++) {
            int64_t v = 0;
            if (ff__rv_i64(f[k + FF_FN_PARTITION_STATS_F_LEASES_HELD], &v) != 0) return FF_EPROTO;
            sums[k] += v;
        }
    }
    json_t *o = json_object();
    json_object_set_new(o, "partitions", json_integer((json_int_t)op->ncmds));
    for (size_t k = 0; k < 4; k++) json_object_set_new(o, names[k], json_integer(sums[k]));
    return ff__op_set_json(op, o);
}

int ff_deployment_health(ff_client *c, ff_op_cb cb, void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_DEPLOYMENT_HEALTH);
    if (c == NULL) return ff__fail(FF_EINVAL, "client is NULL");
    ff_op *op = ff__op_new(c, finish_health);
    if (op == NULL) return FF_ENOMEM;
    uint32_t parts = atomic_load(&c->partitions);
    for (uint32_t p = 0; p < parts; p++) {
        char key[64];
        ff__key_lease_expiry(key, sizeof key, p);
        ff__cmd *cmd = ff__op_fcall(op, FF_FN_PARTITION_STATS, FF_FN_PARTITION_STATS_NKEYS);
        ff__cmd_readonly(cmd);
        ff__cmd_str(op, cmd, key);
    }
    return ff__op_submit(op, cb, ud, out);
}

int ff_execution_list_quarantined(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb,
                                  void *ud, ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_EXECUTION_LIST_QUARANTINED);
    return ff__partition_page(c, partition, "quarantine", FF_FN_LIST_QUARANTINED, cursor, count, cb, ud, out);
}
