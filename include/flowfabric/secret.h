/*
 * The waitpoint signing key store: the per-partition secrets that mint and
 * verify waitpoint tokens (signal.h; server: lua/secret.lua).
 * All operation functions follow the completion contract in client.h.
 */
#ifndef FLOWFABRIC_SECRET_H
#define FLOWFABRIC_SECRET_H

#include "client.h"

FF_EXTERN_C_BEGIN

/** Rotate the waitpoint signing key on every partition: new_kid (1..20 of
 *  [A-Za-z0-9_.-]) with new_secret_hex (32..1024 hex digits; NULL = 32
 *  random bytes); tokens of the previous kid verify for grace_ms more.
 *  ff_op_text() = "rotated" or "noop" (same kid and secret already current).
 *  FF_ROTATION_CONFLICT when the kid exists with another secret.
 *  @yields text */
FF_API int ff_secret_rotate(ff_client *c, const char *new_kid, const char *new_secret_hex, int64_t grace_ms,
                            ff_op_cb cb, void *ud, ff_op **out);
/** Key ids: ff_op_json() = {"current_kid":..., "previous":[{"kid":...,
 *  "expires_at":ms}], "partitions":N, "partitions_disagreeing":n}.
 *  @yields json */
FF_API int ff_secret_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
