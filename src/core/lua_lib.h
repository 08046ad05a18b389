/* The server function library, embedded at build time (generated lua_lib.c). */
#ifndef FF_CORE_LUA_LIB_H
#define FF_CORE_LUA_LIB_H

#include <stddef.h>

extern const char ff__lua_library_source[];
extern const size_t ff__lua_library_source_len;
extern const char ff__lua_library_version[];

#endif
