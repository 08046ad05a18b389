# Turn the concatenated server library payload into C source.
#   cmake -DIN=<build>/generated/flowfabric.lua -DOUT=<build>/generated/lua_lib.c -P embed_lua.cmake
# Defines what src/core/lua_lib.h declares (internal ff__ names, hidden by
# -fvisibility=hidden):
#   const char   ff__lua_library_source[];     payload bytes + a terminating NUL
#   const size_t ff__lua_library_source_len;   payload length, NUL excluded
#   const char   ff__lua_library_version[];    value of `local FF_LIB_VERSION = "..."`
# Bytes are emitted as a hex array, so any content (quotes, backslashes, NULs,
# non-ASCII) survives unchanged and no compiler string-length limit applies.
cmake_minimum_required(VERSION 3.20)

if(NOT DEFINED IN OR NOT DEFINED OUT)
  message(FATAL_ERROR "usage: cmake -DIN=payload.lua -DOUT=lua_lib.c -P embed_lua.cmake")
endif()
if(NOT EXISTS "${IN}")
  message(FATAL_ERROR "embed_lua: ${IN} does not exist (did lua/build.sh fail?)")
endif()

file(READ "${IN}" _text)
if(NOT _text MATCHES "^#!lua name=flowfabric[ \t\r\n]")
  message(FATAL_ERROR "embed_lua: ${IN} must start with '#!lua name=flowfabric'")
endif()
if(NOT _text MATCHES "local[ \t]+FF_LIB_VERSION[ \t]*=[ \t]*\"([^\"\n]+)\"")
  message(FATAL_ERROR "embed_lua: no `local FF_LIB_VERSION = \"...\"` in ${IN}")
endif()
set(_version "${CMAKE_MATCH_1}")
if(NOT _version MATCHES "^[A-Za-z0-9._+-]+$")
  message(FATAL_ERROR "embed_lua: FF_LIB_VERSION \"${_version}\" has unexpected characters")
endif()

file(READ "${IN}" _hex HEX)
string(LENGTH "${_hex}" _hexlen)
math(EXPR _len "${_hexlen} / 2")
# 16 bytes per line.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," _bytes "${_hex}")
string(REPEAT "0x[0-9a-f][0-9a-f]," 16 _row)
string(REGEX REPLACE "(${_row})" "\\1\n    " _bytes "${_bytes}")

set(_c "/* GENERATED at build time from lua/ by lua/build.sh + scripts/embed_lua.cmake - do not edit. */
#include \"core/lua_lib.h\"

const char ff__lua_library_version[] = \"${_version}\";
const size_t ff__lua_library_source_len = ${_len};
const char ff__lua_library_source[] = {
    ${_bytes}0x00
};
")

file(WRITE "${OUT}.tmp" "${_c}")
file(RENAME "${OUT}.tmp" "${OUT}")
