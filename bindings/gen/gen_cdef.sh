#!/usr/bin/env bash
# Generate bindings/ff_cdef.h: the public header reduced to plain C declarations
# that cffi (ffi.cdef), ruby-ffi generators and LuaJIT (ffi.cdef) accept.
#
# Usage: bindings/gen/gen_cdef.sh OUT        (CC overrides the preprocessor, default cc)
#
# The header is preprocessed with FF_CDEF defined (system #includes are guarded
# out, FF_API and FF_EXTERN_C_* expand to nothing). From the result we keep the
# declarations and the object-like `#define FF_<NAME> <integer literal>` lines;
# every other directive (include guards, __STDC_* macros, FF_CDEF/FF_API
# themselves, function-like or non-integer macros) is dropped.
# -nostdinc makes an unguarded system #include in the public headers a hard
# error instead of silently dragging libc into the cdef.
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUT" >&2
    exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

${CC:-cc} -E -P -dD -undef -nostdinc -DFF_CDEF -DFF_API= "$root/include/flowfabric.h" >"$tmp"

{
    echo "/* GENERATED from include/flowfabric.h by bindings/gen/gen_cdef.sh - do not edit."
    echo " * Plain declarations for FFI loaders (cffi ffi.cdef, LuaJIT ffi.cdef, ruby-ffi"
    echo " * generators). Regenerate with: bindings/gen/gen_cdef.sh bindings/ff_cdef.h */"
    echo
    # Keep: non-directive lines, and `#define FF_X <int>` (the integer literal forms
    # cffi's cdef parser accepts: optional '-', decimal/hex/octal, u/l suffixes).
    # Then: drop the single space an empty FF_API leaves at the start of a line,
    # strip trailing blanks, squeeze blank-line runs, drop leading blank lines.
    awk '
        /^[ \t]*#/ {
            if ($0 ~ /^#define FF_[A-Z0-9_]+ +-?(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*[ \t]*$/ \
                && $2 != "FF_CDEF")
                print
            next
        }
        { print }
    ' "$tmp" |
        sed -e 's/^ \([^ ]\)/\1/' -e 's/[[:space:]]*$//' |
        cat -s |
        sed -e '/./,$!d'
} >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
