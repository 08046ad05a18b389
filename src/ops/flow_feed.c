/* The flow completion feed (lua/flow_feed.lua): one page of a partition's
 * stream of member endings and flow settlings, after a cursor. The waiting
 * read (ff_flow_feed_wait) is a wait op: src/ops/wait.c. */
#include <string.h>

#include "core/error.h"
#include "core/validate.h"
#include "ops/ops_int.h"

int ff__finish_flow_feed(ff_op *op) {
    ff_rv *const *f = NULL;
    size_t n = 0;
    int st = ff__fcall_result(op, op->replies[0], &f, &n);
    if (st != FF_OK) return st;
    if (n < FF_FN_FLOW_FEED_ITEMS_AT) return FF_EPROTO;
    op->cursor = ff__rv_strdup(f[FF_FN_FLOW_FEED_F_CURSOR]);
    if (op->cursor == NULL) return FF_ENOMEM;
    int64_t gap = 0;
    if (ff__rv_i64(f[FF_FN_FLOW_FEED_F_GAP], &gap) == 0) op->ival = gap;
    return ff__take_items(op, f, n, FF_FN_FLOW_FEED_ITEMS_AT);
}

/* "ms-seq" with digits only (the server checks it again). */
static int feed_cursor_ok(const char *s) {
    size_t i = 0, a = 0, b = 0;
    while (s[i] >= '0' && s[i] <= '9') i++, a++;
    if (s[i++] != '-') return 0;
    while (s[i] >= '0' && s[i] <= '9') i++, b++;
    return s[i] == '\0' && a >= 1 && a <= 16 && b >= 1 && b <= 16;
}

int ff__check_feed_read(ff_client *c, uint32_t partition, const char *cursor, uint32_t count) {
    int st = ff__check_page(c, partition, count);
    if (st != FF_OK) return st;
    if (cursor && cursor[0] && strcmp(cursor, "$") != 0 && !feed_cursor_ok(cursor)) {
        char q[80];
        return ff__fail(FF_EINVAL, "cursor %s: a feed entry id (ms-seq), \"\" or \"$\"", ff__quote(cursor, q, sizeof q));
    }
    return FF_OK;
}

int ff_flow_feed_read(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb, void *ud,
                      ff_op **out) {
    FF__OP_KIND(FF_OP_KIND_FLOW_FEED_READ);
    int st = ff__check_feed_read(c, partition, cursor, count);
    if (st != FF_OK) return st;
    ff_op *op = ff__op_new(c, ff__finish_flow_feed);
    if (op == NULL) return FF_ENOMEM;
    char key[64];
    ff__key_flow_feed(key, sizeof key, partition);
    ff__cmd *cmd = ff__op_fcall(op, FF_FN_FLOW_FEED, FF_FN_FLOW_FEED_NKEYS);
    ff__cmd_readonly(cmd);
    ff__cmd_str(op, cmd, key);
    ff__cmd_str(op, cmd, cursor ? cursor : "");
    ff__cmd_i64(op, cmd, count);
    return ff__op_submit(op, cb, ud, out);
}
