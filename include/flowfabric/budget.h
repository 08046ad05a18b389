/*
 * Budgets: spend limits with named dimensions (tokens, cost_microusd,
 * wall_ms, ...), each with a hard and a soft limit, checked before any
 * usage is applied (server: lua/budget.lua; concepts, the cross-slot rules
 * and what is atomic: docs/budgets.md).
 *
 * A budget lives on its own partition family {b:M}: M is the CRC16 of the
 * budget id mod the deployment's partition count (ff_budget_partition), so
 * every key of one budget shares one slot, and one call on it is atomic.
 * Budget ids are 1..128 bytes of [A-Za-z0-9_.:-]; dimension names 1..64
 * bytes of [A-Za-z0-9_.-]; limits are integers >= 0, 0 = no limit.
 *
 * All operation functions follow the completion contract in client.h: an
 * error return means the callback never fires; FF_OK means it fires exactly
 * once, never from inside the call. Strings and arrays are copied before
 * the call returns. Server refusals carry their detail in ff_op_detail():
 * FF_BUDGET_NOT_FOUND, FF_INVALID_BUDGET_SCOPE, FF_EINVAL (invalid input,
 * the detail says which), FF_CORRUPT_RECORD (a stored limit, usage or
 * counter that cannot be read: the call writes nothing; details = key,
 * field, value).
 */
#ifndef FLOWFABRIC_BUDGET_H
#define FLOWFABRIC_BUDGET_H

#include "client.h"
#include "lease.h"

FF_EXTERN_C_BEGIN

/** A budget definition: scope, breach actions, reset interval and
 *  dimensions. Defaults: scope "global" with no id, on_hard and on_soft
 *  "notify", no periodic reset, no dimensions. */
typedef struct ff_budget_spec ff_budget_spec;

FF_API int ff_budget_spec_new(ff_budget_spec **out);
FF_API void ff_budget_spec_free(ff_budget_spec *s);
/** scope_type: "global", "tenant", "namespace", "lane", "flow" or
 *  "execution" (checked by the server: FF_INVALID_BUDGET_SCOPE);
 *  scope_id: NULL = "", at most 256 bytes. */
FF_API int ff_budget_spec_set_scope(ff_budget_spec *s, const char *scope_type, const char *scope_id);
/** on_hard: "block", "cancel_pending" or "notify"; on_soft: "notify" or
 *  "block" (NULL keeps the current value). They are stored and reported
 *  (ff_budget_describe); docs/budgets.md says which of them act today. */
FF_API int ff_budget_spec_set_actions(ff_budget_spec *s, const char *on_hard, const char *on_soft);
/** Reset every usage dimension to zero every @p ms (1 .. one year; 0 =
 *  never, the default). The engine performs due resets. */
FF_API int ff_budget_spec_set_reset_interval(ff_budget_spec *s, int64_t ms);
/** Add a dimension (at most 64 per spec, each name once) with its hard and
 *  soft limits (>= 0, 0 = none; a soft limit may not exceed a hard one). */
FF_API int ff_budget_spec_add_dimension(ff_budget_spec *s, const char *name, int64_t hard, int64_t soft);

/** The budget partition M of @p budget_id on this client's deployment:
 *  CRC16(budget_id) mod ff_client_partitions(c) (0 for a NULL argument). */
FF_API uint32_t ff_budget_partition(const ff_client *c, const char *budget_id);

/** Create a budget. Idempotent: creating an existing id keeps the stored
 *  definition (limits are changed only by ff_budget_update).
 *  Result: ff_op_text() = "created" or "existing"; ff_op_int() = 1 when the
 *  stored definition equals @p s (always 1 for "created"), 0 when the repeat
 *  asked for something else (which was NOT applied); ff_op_item(op, 0) = the
 *  next reset time (unix ms, "" = none).
 *  @yields text, int, items */
FF_API int ff_budget_create(ff_client *c, const char *budget_id, const ff_budget_spec *s, ff_op_cb cb, void *ud,
                            ff_op **out);

/** Change the limits of the dimensions of @p s (at least one; a dimension
 *  with hard = soft = 0 loses its limits; other dimensions keep theirs).
 *  Scope, actions and interval of @p s are ignored.
 *  Result: ff_op_text() = "updated", ff_op_int() = dimensions that now
 *  have a limit.
 *  @yields text, int */
FF_API int ff_budget_update(ff_client *c, const char *budget_id, const ff_budget_spec *s, ff_op_cb cb, void *ud,
                            ff_op **out);

/** Report usage: @p n (1..64) deltas (>= 0) of the named dimensions, all
 *  applied or none. With a claim @p cl, the call first checks on the
 *  execution's slot that the claim still holds the current lease (a stale
 *  one fails with FF_STALE_LEASE, FF_LEASE_EXPIRED, FF_LEASE_REVOKED,
 *  FF_NO_ACTIVE_LEASE or FF_EXECUTION_NOT_ACTIVE, and nothing is reported),
 *  then reports and records the spend in the execution's ledger (for
 *  ff_budget_release). @p cl NULL: no lease check, no ledger (an operator
 *  or a non-execution spender). @p dedup_key (NULL/"" = none, <= 256
 *  bytes): a key seen in the last 24 h applies nothing.
 *  Result: ff_op_text() = "applied", "soft_breach" (all applied; the first
 *  dimension, in the order given, strictly above its soft limit),
 *  "hard_breach" (one delta would pass its hard limit: NOTHING applied) or
 *  "already_applied" (the dedup key); items 0..2 = the breached dimension,
 *  its usage (hard: before, nothing applied; soft: after) and the limit
 *  ("" unless a breach). A breach is a successful op (FF_OK).
 *  @yields text, items */
FF_API int ff_budget_report_usage(ff_client *c, const ff_claim *cl, const char *budget_id,
                                  const char *const *dimensions, const int64_t *deltas, size_t n,
                                  const char *dedup_key, ff_op_cb cb, void *ud, ff_op **out);

/** Give back exactly what @p execution_id recorded in this budget since
 *  its last reset (usage never below 0). Idempotent.
 *  Result: ff_op_text() = "released" or "noop" (nothing recorded, already
 *  released, or reset since); ff_op_int() = dimensions given back.
 *  @yields text, int */
FF_API int ff_budget_release(ff_client *c, const char *budget_id, const char *execution_id, ff_op_cb cb, void *ud,
                             ff_op **out);

/** Reset now: every usage dimension to 0, every ledger dropped, the reset
 *  counted and the next one scheduled (interval > 0).
 *  Result: ff_op_text() = the next reset time (unix ms, "" = none),
 *  ff_op_int() = resets so far.
 *  @yields text, int */
FF_API int ff_budget_reset(ff_client *c, const char *budget_id, ff_op_cb cb, void *ud, ff_op **out);

/** Describe a budget. Result: ff_op_json() = {"budget_id", "scope_type",
 *  "scope_id", "on_hard", "on_soft", "reset_interval_ms", "created_at",
 *  "next_reset_at" (0 = none), "reset_count", "breaches", "soft_breaches",
 *  "last_breach_at" (0 = none since the last reset), "last_breach_dim",
 *  "last_reset_at" (0 = never), "executions" (executions with spend
 *  recorded since the last reset), "dimensions": {name: {"hard", "soft",
 *  "usage"}}} (keys sorted).
 *  @yields json */
FF_API int ff_budget_describe(ff_client *c, const char *budget_id, ff_op_cb cb, void *ud, ff_op **out);

/** One page of the budget ids of budget partition @p partition (<
 *  ff_client_partitions), in byte order after the exclusive @p cursor
 *  (NULL/"" = from the start; pass the previous ff_op_cursor()), at most
 *  count (1..1000). Items: FF_ITEMS_LIST_BUDGETS_*; ff_op_cursor() = ""
 *  when the listing is complete.
 *  @yields items FF_ITEMS_LIST_BUDGETS, cursor */
FF_API int ff_budget_list(ff_client *c, uint32_t partition, const char *cursor, uint32_t count, ff_op_cb cb,
                          void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
