#ifndef FLOWFABRIC_VERSION_H
#define FLOWFABRIC_VERSION_H

#include "common.h"

FF_EXTERN_C_BEGIN

#define FF_VERSION_MAJOR 0
#define FF_VERSION_MINOR 1
#define FF_VERSION_PATCH 0
/** major*10000 + minor*100 + patch */
#define FF_VERSION_NUMBER 100
/** Bumped on any incompatible ABI change; bindings refuse a library whose
 *  ff_abi_version() differs from the value their cdef was generated with. */
#define FF_ABI_VERSION 1

/** "0.1.0"; static storage. Thread-safe. */
FF_API const char *ff_version_string(void);
/** FF_VERSION_NUMBER of the loaded library. Thread-safe. */
FF_API int32_t ff_version_number(void);
/** FF_ABI_VERSION of the loaded library. Thread-safe. */
FF_API int32_t ff_abi_version(void);
/** Version string of the embedded server function library ("flowfabric"). */
FF_API const char *ff_lua_library_version(void);

FF_EXTERN_C_END

#endif
