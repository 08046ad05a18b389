/*
 * FlowFabric common definitions.
 *
 * Contract notes for contributors (docs/abi.md has the full promise):
 *  - every declaration in include/ reduces mechanically to an FFI cdef
 *    (bindings/gen/gen_cdef.sh); only FF_API and FF_EXTERN_C_* may appear in
 *    declarations, and constants are enums or integer #defines;
 *  - signatures use only fixed-width integers, size_t, double, const char *,
 *    (const void *, size_t) byte ranges and opaque pointers.
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
