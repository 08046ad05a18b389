#include "flowfabric/version.h"

#include "core/lua_lib.h"

#define FF_STR2(x) #x
#define FF_STR(x) FF_STR2(x)

const char *ff_version_string(void) {
    return FF_STR(FF_VERSION_MAJOR) "." FF_STR(FF_VERSION_MINOR) "." FF_STR(FF_VERSION_PATCH);
}

int32_t ff_version_number(void) { return FF_VERSION_NUMBER; }

int32_t ff_abi_version(void) { return FF_ABI_VERSION; }

const char *ff_lua_library_version(void) { return ff__lua_library_version; }
