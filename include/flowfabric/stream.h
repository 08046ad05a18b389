/*
 * Output streams: what a running attempt says while it runs (log lines,
 * token deltas, progress events, partial results), readable live and
 * afterwards (server: lua/stream.lua; concepts, limits and close reasons:
 * docs/streams.md).
 *
 * Every attempt of an execution has its own stream (attempt indices count
 * from 0: a retry or a reclaim starts the next one's). Only the current
 * lease holder appends; the stream closes in the same atomic call as the
 * transition that ends its attempt (completion, failure, cancel, a
 * scheduled retry, lease expiry found by the engine, revoke, ...), with the
 * reason. Suspension does not close it: the resumed attempt appends to the
 * same stream. Every attempt's stream stays readable until the execution's
 * retention deletes it.
 *
 * Frame modes: "durable" (kept, trimmed to about 10000 frames),
 * "best_effort" (high-rate deltas: trimmed to about a minute of frames at
 * the observed rate, 64..16384, and expiring 5 minutes after the last
 * append while the stream has no durable frame) and "summary" (the payload
 * is a JSON merge patch, RFC 7396, applied to the attempt's one summary
 * document; a string leaf "__ff_null__" stores a real null; nesting depth
 * 16 at most: FF_PATCH_DEPTH_EXCEEDED).
 *
 * All operation functions follow the completion contract in client.h; every
 * call may be made from any thread; strings and bytes are copied before the
 * call returns.
 */
#ifndef FLOWFABRIC_STREAM_H
#define FLOWFABRIC_STREAM_H

#include "client.h"

FF_EXTERN_C_BEGIN

typedef struct ff_frame ff_frame;

/** ff_stream_read / ff_stream_tail flag: leave best_effort frames out
 *  (durable and summary frames only). */
#define FF_STREAM_DURABLE_ONLY 1u

/** Most frames one read or tail returns (count 1..FF_STREAM_READ_MAX). */
#define FF_STREAM_READ_MAX 10000

/** Longest block of one ff_stream_tail, in ms (a day). */
#define FF_STREAM_BLOCK_MAX_MS 86400000LL

/** A frame to append. Defaults: type "log", empty payload, encoding ""
 *  (stored as "utf8"), source "" (stored as "worker"), no correlation id,
 *  mode "durable". Free with ff_frame_free(). */
FF_API int ff_frame_new(ff_frame **out);
/** NULL-safe. */
FF_API void ff_frame_free(ff_frame *f);
/** 1..64 bytes of [A-Za-z0-9_.:-]; anything else: FF_INVALID_FRAME_TYPE. */
FF_API int ff_frame_set_type(ff_frame *f, const char *frame_type);
/** The frame's bytes (copied; binary-safe: NUL and 0xFF travel intact). */
FF_API int ff_frame_set_payload(ff_frame *f, const void *data, size_t len);
/** A label for the payload (<= 32 bytes of [A-Za-z0-9_.-]; "" = utf8). */
FF_API int ff_frame_set_encoding(ff_frame *f, const char *encoding);
/** Who wrote it (<= 128 bytes; "" = worker). */
FF_API int ff_frame_set_source(ff_frame *f, const char *source);
/** Ties frames to a request, a tool call, ... (<= 256 bytes; "" = none). */
FF_API int ff_frame_set_correlation_id(ff_frame *f, const char *correlation_id);
/** "durable", "best_effort" or "summary" (NULL = durable); else FF_EINVAL. */
FF_API int ff_frame_set_mode(ff_frame *f, const char *mode);

/** Append @p f to the stream of the attempt the claim holds. Refusals
 *  write nothing: FF_RETENTION_LIMIT_EXCEEDED (payload above the client's
 *  ff_client_opts_set_max_frame_bytes, default 64 KiB, checked before
 *  sending, and by the server again; or a summary document above 1 MiB),
 *  FF_STALE_OWNER_CANNOT_APPEND (the lease is gone: expired, revoked,
 *  superseded, or the execution is suspended / delayed), FF_STREAM_CLOSED
 *  (the attempt ended), FF_INVALID_FRAME_TYPE, FF_INVALID_INPUT (a summary
 *  payload that is not a JSON object), FF_PATCH_DEPTH_EXCEEDED.
 *  Result: ff_op_text() = the entry id ("ms-seq"), ff_op_int() = frames
 *  ever appended to the stream (trimming does not lower it), ff_op_item(op,
 *  0) = the summary version after a summary frame ("" otherwise).
 *  @yields text, int, items */
FF_API int ff_stream_append(ff_client *c, const ff_claim *cl, const ff_frame *f, ff_op_cb cb, void *ud,
                            ff_op **out);

/** Most frames of one ff_stream_append_many. */
#define FF_STREAM_APPEND_MAX 256

/** Append @p n frames (1..FF_STREAM_APPEND_MAX) in order in ONE call, for
 *  producers that have several at once (a burst of token deltas): one
 *  fence check and one write of the stream's bookkeeping for all of them.
 *  Each frame gets its own result, as if appended alone; a frame refused
 *  (too big, a bad summary patch, ...) does not stop the others. The call
 *  itself fails only when none can be appended (the lease is gone:
 *  FF_STALE_OWNER_CANNOT_APPEND, the attempt ended: FF_STREAM_CLOSED) or
 *  on bad arguments (FF_EINVAL: n out of range, a NULL frame). A frame over
 *  the client's max frame bytes fails the call before sending
 *  (FF_RETENTION_LIMIT_EXCEEDED), like ff_stream_append.
 *  Result: items FF_ITEMS_APPEND_FRAMES, 4 per frame in order: code ("ok"
 *  or the frame's error code), entry id (or the error's first detail),
 *  frames ever appended (or the second detail), summary version (or the
 *  third detail).
 *  @yields items FF_ITEMS_APPEND_FRAMES */
FF_API int ff_stream_append_many(ff_client *c, const ff_claim *cl, const ff_frame *const *frames, size_t n,
                                 ff_op_cb cb, void *ud, ff_op **out);

/** Frames of attempt @p attempt of @p eid after the exclusive cursor
 *  @p after (NULL/"" = the start) up to @p to inclusive (NULL/"" = the end),
 *  scanning at most @p count entries (1..FF_STREAM_READ_MAX; anything else
 *  is FF_EINVAL, never clamped). flags: FF_STREAM_DURABLE_ONLY or 0.
 *  Result: items FF_ITEMS_READ_STREAM (8 per frame: id, type, payload
 *  bytes, encoding, source, correlation id, time in ms, mode; read payloads
 *  with ff_op_item_bytes), ff_op_cursor() = the next page's @p after (the
 *  last entry scanned; @p after again when none), ff_op_text() = the close
 *  reason ("" while open), ff_op_int() = the close time (unix ms, 0 while
 *  open), ff_op_json() = {"closed", "closed_at", "closed_reason", "cursor",
 *  "more"} ("more": count entries were scanned, so there may be more). A
 *  stream never written reads empty: open while its attempt may still
 *  write, else closed with the reason the execution's state gives.
 *  FF_EXECUTION_NOT_FOUND for an unknown execution, FF_INVALID_OFFSET for a
 *  malformed cursor.
 *  @yields items FF_ITEMS_READ_STREAM, cursor, text, int, json */
FF_API int ff_stream_read(ff_client *c, const char *eid, uint32_t attempt, const char *after, const char *to,
                          uint32_t count, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);

/** Wait for frames after @p after (NULL/"" = the start): the result of
 *  ff_stream_read from @p after, as soon as there is a frame or the stream
 *  is closed, or after @p block_ms (0 = do not wait: a peek;
 *  0..FF_STREAM_BLOCK_MAX_MS) with no frame. The wait is a blocking XREAD
 *  on one of the client's dedicated connections
 *  (ff_client_opts_set_blocking_connections), never the shared one: other
 *  calls, appends included, go on meanwhile. The call's deadline is the
 *  client timeout plus @p block_ms. A wake by best_effort frames that
 *  FF_STREAM_DURABLE_ONLY leaves out returns no frame, with the cursor
 *  moved past them. The consumer loop: tail from the cursor until
 *  ff_op_text() is not "" (closed), then the frames of that last result
 *  are the stream's last. An attempt that ended without writing any frame
 *  is seen closed when the block ends.
 *  @yields items FF_ITEMS_READ_STREAM, cursor, text, int, json */
FF_API int ff_stream_tail(ff_client *c, const char *eid, uint32_t attempt, const char *after, int64_t block_ms,
                          uint32_t count, uint32_t flags, ff_op_cb cb, void *ud, ff_op **out);

/** The summary document of attempt @p attempt. Result: ff_op_text() = the
 *  JSON document ("" when no summary frame was appended), ff_op_int() = its
 *  version (patches applied, 0 when none), ff_op_json() = {"document": the
 *  document or null, "version", "created", "updated" (unix ms or null)}.
 *  @yields text, int, json */
FF_API int ff_stream_summary(ff_client *c, const char *eid, uint32_t attempt, ff_op_cb cb, void *ud, ff_op **out);

FF_EXTERN_C_END

#endif
