/*
 * FlowFabric common definitions.
 *
 * Contract notes for contributors (docs/abi.md has the full promise):
 *  - every declaration in include/ reduces mechanically to an FFI cdef
 *    (bindings/gen/gen_cdef.sh); only FF_API and FF_EXTERN_C_* may appear in
 *    declarations, and constants are enums or integer #defines;
 *  - signatures use only fixed-width integers, size_t, double, const char *,
 *    (const void *, size_t) byte ranges and opaque pointers;
 *  - the doc comment right above a declaration may end with tags, one per
 *    line, that bindings/gen/gen_api.py copies into bindings/api.json (an
 *    unknown tag, or an op without @yields, fails `make generate`):
 *      @blocking   the call may wait (I/O, a join): bindings release their
 *                  interpreter lock around it;
 *      @owns FREE  a returned or out pointer belongs to the caller, who
 *                  frees it with FREE (default ff_free);
 *      @yields KIND[, KIND...]  on every op (a call ending in ff_op_cb cb,
 *                  void *ud, ff_op **out), and only there: the ff_op_*
 *                  accessors that carry its result, the first one being the
 *                  value a binding returns. KIND is one of: text
 *                  (ff_op_text), int (ff_op_int), bytes (ff_op_bytes), json
 *                  (ff_op_json), execution_id (ff_op_execution_id), items
 *                  (ff_op_item*; "items FF_ITEMS_X" names its items.h
 *                  layout), cursor (ff_op_cursor), claims (ff_op_take_claim),
 *                  reply (ff_op_reply_*), none (the status is the result).
 */
#ifndef FLOWFABRIC_COMMON_H
#define FLOWFABRIC_COMMON_H

#ifndef FF_CDEF
#include <stddef.h>
#include <stdint.h>
#endif

#if defined(FF_CDEF)
#define FF_API
#elif defined(FF_STATIC)
#define FF_API
#elif defined(_WIN32)
#ifdef FF_BUILDING
#define FF_API __declspec(dllexport)
#else
#define FF_API __declspec(dllimport)
#endif
#else
#define FF_API __attribute__((visibility("default")))
#endif

#if defined(__cplusplus) && !defined(FF_CDEF)
#define FF_EXTERN_C_BEGIN extern "C" {
#define FF_EXTERN_C_END }
#else
#define FF_EXTERN_C_BEGIN
#define FF_EXTERN_C_END
#endif

#endif
