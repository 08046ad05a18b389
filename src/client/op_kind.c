/* ff_op_kind: which public operation made an op. The public entry points
 * open a scope (FF__OP_KIND); ops made while it is open carry its kind. Only
 * the outermost scope counts, so an operation built on another one (the
 * ff_task_* calls on the ff_lease_* ones) keeps its own kind. */
#include "client/client_int.h"

static _Thread_local int current_kind;

int ff__op_kind_enter(int kind) {
    if (current_kind != FF_OP_KIND_NONE) return 0;
    current_kind = kind;
    return 1;
}

void ff__op_kind_leave(int *entered) {
    if (*entered) current_kind = FF_OP_KIND_NONE;
}

int ff__op_kind_current(void) { return current_kind; }

int ff_op_kind(const ff_op *op) { return op ? op->kind : FF_OP_KIND_NONE; }
