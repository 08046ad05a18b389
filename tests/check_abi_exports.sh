#!/usr/bin/env bash
# ABI symbol checks on libflowfabric.so (DESIGN §3 rule 7).
#   check_abi_exports.sh exports  LIB        only ff_* symbols are exported
#                                            (internal ff__* never)
#   check_abi_exports.sh declared LIB CDEF   every function declared in the cdef
#                                            (= the public header) is exported,
#                                            and nothing undeclared is
#   check_abi_exports.sh nodelete LIB        the library is marked NODELETE: a
#                                            host that unloads it at exit (ruby-ffi,
#                                            LuaJIT) must not unmap code that the
#                                            I/O threads of an unclosed client run
# Env: NM (default nm).
set -euo pipefail

NM=${NM:-nm}
mode=${1:-}
lib=${2:-}
[ -f "$lib" ] || { echo "usage: $0 exports|declared|nodelete LIB [CDEF]" >&2; exit 2; }

# name of every defined dynamic symbol, version suffix stripped, minus the
# linker-provided markers some toolchains add.
exported() {
    "$NM" -D --defined-only "$lib" | awk 'NF >= 2 { print $NF }' | sed 's/@.*//' |
        grep -Ev '^(_init|_fini|_edata|_end|__bss_start|_DYNAMIC|_GLOBAL_OFFSET_TABLE_)$' | sort -u
}

case "$mode" in
nodelete)
    READELF=${READELF:-readelf}
    dyn=$("$READELF" -d "$lib")
    if ! grep -E 'FLAGS_1' <<<"$dyn" | grep -q NODELETE; then
        echo "$lib is not linked with -z nodelete (DF_1_NODELETE missing from its dynamic section)"
        exit 1
    fi
    echo "ok: $lib stays mapped once loaded (NODELETE)"
    ;;
exports)
    syms=$(exported)
    bad=$(printf '%s\n' "$syms" | grep -Ev '^ff_' | grep -v '^$' || true)
    internal=$(printf '%s\n' "$syms" | grep -E '^ff__' || true)
    if [ -n "$bad$internal" ]; then
        echo "libflowfabric.so exports symbols outside the public ff_* API:"
        printf '%s\n' $bad $internal | sed 's/^/  /'
        echo "(mark internals static or leave them hidden; only FF_API ff_* are public)"
        exit 1
    fi
    echo "ok: $(printf '%s\n' "$syms" | grep -c '^ff_') ff_* symbols exported, nothing else"
    ;;
declared)
    cdef=${3:-}
    [ -f "$cdef" ] || { echo "usage: $0 declared LIB CDEF" >&2; exit 2; }
    # function declarations: an ff_ identifier directly followed by '('
    # (function-pointer typedefs look like '(*ff_x_cb)(' and do not match)
    declared=$(grep -oE '\bff_[a-z0-9_]+[[:space:]]*\(' "$cdef" | sed 's/[[:space:](]//g' | sort -u)
    syms=$(exported | grep '^ff_' || true)
    missing=$(comm -23 <(printf '%s\n' "$declared") <(printf '%s\n' "$syms"))
    extra=$(comm -13 <(printf '%s\n' "$declared") <(printf '%s\n' "$syms"))
    rc=0
    if [ -n "$missing" ]; then
        echo "declared in include/ but not exported by libflowfabric.so ($(printf '%s\n' "$missing" | wc -l)):"
        printf '%s\n' "$missing" | sed 's/^/  /'
        rc=1
    fi
    if [ -n "$extra" ]; then
        echo "exported by libflowfabric.so but not declared in include/ ($(printf '%s\n' "$extra" | wc -l)):"
        printf '%s\n' "$extra" | sed 's/^/  /'
        rc=1
    fi
    [ $rc -eq 0 ] && echo "ok: all $(printf '%s\n' "$declared" | wc -l) declared functions exported, nothing more"
    exit $rc
    ;;
*)
    echo "usage: $0 exports|declared LIB [CDEF]" >&2
    exit 2
    ;;
esac
