/*
 * Suspension, waitpoints and HMAC-signed signals.
 *
 * A leased execution can suspend: it releases its lease and waits on one or
 * more waitpoints until a resume condition over the signals delivered to them
 * holds (or a timeout acts). Each waitpoint has a bearer token
 * "kid:hex(HMAC-SHA1(secret, waitpoint_id|waitpoint_key|created_ms))",
 * minted and verified by the server, safe to hand to untrusted parties (a
 * person approving, a webhook). A resumed execution is claimed again like
 * any other (normal claim or the worker runtime), continuing the SAME attempt
 * with a new lease epoch. All operation functions follow the completion
 * contract in client.h.
 *
 * RESUME CONDITION (JSON, depth <= 4):
 *   {"single":{"key":"<waitpoint key>","name":"<signal name, optional>"}}
 *   {"all_of":[<condition>, ...]}
 *   {"count":{"n":N,"kind":"distinct_waitpoints"|"distinct_signals"|
 *             "distinct_sources","keys":["<key>",...],"name":"<optional>"}}
 *   Every waitpoint key must be referenced. Default when none is set: any
 *   signal on the one waitpoint (a spec with several waitpoints must set one).
 */
#ifndef FLOWFABRIC_SIGNAL_H
#define FLOWFABRIC_SIGNAL_H

#include "client.h"
#include "lease.h"

FF_EXTERN_C_BEGIN

typedef struct ff_suspend_spec ff_suspend_spec;

/* ---------------------------------------------------------- suspend spec */

FF_API int ff_suspend_spec_new(ff_suspend_spec **out);
FF_API void ff_suspend_spec_free(ff_suspend_spec *s);
/** Add a fresh waitpoint with this key (1..256 bytes, no control bytes; its
 *  id is minted here, so a spec with fresh waitpoints suspends ONE
 *  execution: build a new spec for the next one). */
FF_API int ff_suspend_spec_add_waitpoint(ff_suspend_spec *s, const char *key);
/** Bind a pending waitpoint made earlier by ff_lease_create_waitpoint; the
 *  signals it buffered are evaluated at suspend time. */
FF_API int ff_suspend_spec_use_pending(ff_suspend_spec *s, const char *waitpoint_id);
/** Resume condition (see the header comment). Required when the spec has
 *  several waitpoints or a pending one (ff_lease_suspend: FF_EINVAL). */
FF_API int ff_suspend_spec_set_condition_json(ff_suspend_spec *s, const char *json);
/** Timeout after ms with behavior "fail" (default), "cancel", "expire",
 *  "auto_resume" or "escalate" (stays suspended, paused_by_operator). */
FF_API int ff_suspend_spec_set_timeout(ff_suspend_spec *s, int64_t ms, const char *behavior);
/** "waiting_for_signal" (default), "waiting_for_approval",
 *  "waiting_for_callback" or "waiting_for_tool_result". */
FF_API int ff_suspend_spec_set_reason(ff_suspend_spec *s, const char *reason);
/** Repeating a suspend with this key (and the same lease) replays the first
 *  outcome, tokens included, without a second effect. */
FF_API int ff_suspend_spec_set_idempotency_key(ff_suspend_spec *s, const char *key);

/* ------------------------------------------------------------ operations */

/** Suspend the claim's execution. Result: ff_op_text() = "suspended" (the
 *  lease is released; the claim handle is spent) or "already_satisfied"
 *  (signals buffered on pending waitpoints already satisfy the condition:
 *  the lease is KEPT and the worker continues); ff_op_int() = suspension
 *  number; items: 3 per waitpoint (id, key, token).
 *  @yields text, items FF_ITEMS_SUSPEND, int */
FF_API int ff_lease_suspend(ff_client *c, const ff_claim *cl, const ff_suspend_spec *s, ff_op_cb cb, void *ud,
                            ff_op **out);
/** Create a pending waitpoint before suspending (signals sent to it are
 *  buffered). Items: id, key, token; ff_op_int() = expiry (unix ms).
 *  @yields items, int */
FF_API int ff_lease_create_waitpoint(ff_client *c, const ff_claim *cl, const char *key, int64_t expires_in_ms,
                                     ff_op_cb cb, void *ud, ff_op **out);
/** Signals that satisfied the claim's last suspension (after the resumed
 *  claim). Items: 6 per signal (signal id, name, source type, source
 *  identity, accepted_at ms, payload); payloads are binary: read them with
 *  ff_op_item_bytes().
 *  @yields items FF_ITEMS_OBSERVE_SIGNALS */
FF_API int ff_lease_observe_signals(ff_client *c, const ff_claim *cl, ff_op_cb cb, void *ud, ff_op **out);

/** Deliver a signal to a waitpoint with its token. source_type: e.g.
 *  "user", "webhook", "system" (1..64 bytes); source_identity (1..256):
 *  who sent it (distinct_sources counts these). idempotency_key may be
 *  NULL/"": a repeat with the same key returns the first signal's id with
 *  ff_op_int() == 1 and has no second effect. Result: item 0 = signal id,
 *  ff_op_text() = effect ("resume_condition_satisfied",
 *  "appended_to_waitpoint", "buffered_for_pending_waitpoint",
 *  "signal_ignored_matcher_failed", ...). Authentication comes first: a bad
 *  or foreign token is FF_INVALID_TOKEN whether or not the waitpoint exists;
 *  a rotated-out key past its grace is FF_TOKEN_EXPIRED.
 *  @yields text, items, int */
FF_API int ff_signal_deliver(ff_client *c, const char *execution_id, const char *waitpoint_id, const char *token,
                             const char *name, const char *source_type, const char *source_identity,
                             const void *payload, size_t len, const char *idempotency_key, ff_op_cb cb, void *ud,
                             ff_op **out);

/** Suspended executions of a partition, oldest first. Items: 4 per entry
 *  (execution id, suspended_at ms, blocking reason, timeout_at ms or "").
 *  Cursor paging as ff_execution_list_lane ("0" = done); count 1..1000.
 *  @yields items FF_ITEMS_LIST_SUSPENDED, cursor */
FF_API int ff_execution_list_suspended(ff_client *c, uint32_t partition, const char *cursor, uint32_t count,
                                       ff_op_cb cb, void *ud, ff_op **out);
/** Waitpoints of an execution, sanitized: FF_WAITPOINT_ITEMS items per
 *  waitpoint (id, key, state, kid, fingerprint (first 16 hex digits of the
 *  MAC), expires_at, signal names); never the raw token. The signal names
 *  are the ones its suspension's resume condition requires of it,
 *  comma-separated; "" when any signal counts or while it is a pending
 *  waitpoint not yet bound by a suspension. */
#define FF_WAITPOINT_ITEMS 7
#define FF_WAITPOINT_ITEM_ID 0
#define FF_WAITPOINT_ITEM_KEY 1
#define FF_WAITPOINT_ITEM_STATE 2
#define FF_WAITPOINT_ITEM_KID 3
#define FF_WAITPOINT_ITEM_FINGERPRINT 4
#define FF_WAITPOINT_ITEM_EXPIRES_AT 5
#define FF_WAITPOINT_ITEM_SIGNAL_NAMES 6
/** Waitpoints of an execution, FF_WAITPOINT_ITEMS items each (the layout
 *  above; items.h names the same fields FF_ITEMS_WAITPOINTS_*).
 *  @yields items FF_ITEMS_WAITPOINTS */
FF_API int ff_execution_waitpoints(ff_client *c, const char *execution_id, ff_op_cb cb, void *ud, ff_op **out);
/** Operator read of a waitpoint's raw token: ff_op_text().
 *  @yields text */
FF_API int ff_waitpoint_token(ff_client *c, const char *execution_id, const char *waitpoint_id, ff_op_cb cb,
                              void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
