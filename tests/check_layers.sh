#!/usr/bin/env bash
# Layers without back-edges (DESIGN §2): util < core < client < ops < engine,
# worker. A lower layer never refers to a higher one:
#   (a) no object of src/client refers to a symbol defined by an object of
#       src/ops, src/engine or src/worker; no object of src/util to any symbol
#       defined by another part of the library (nm on the build's objects);
#   (b) no file of src/client includes a header of src/ops, src/engine or
#       src/worker (nor the umbrella flowfabric.h); src/util includes only
#       src/util headers;
#   (c) src/client/client_int.h does not include the umbrella flowfabric.h.
# Usage: check_layers.sh OBJDIR SRCDIR
#   OBJDIR: the object directory of flowfabric_objects, whose src/<layer>/
#           folders hold the *.o files; SRCDIR: the source tree's src/.
# Env: NM (default nm).
set -euo pipefail

NM=${NM:-nm}
obj=${1:-}
src=${2:-}
[ -d "$obj/client" ] && [ -d "$src/client" ] || { echo "usage: $0 OBJDIR SRCDIR" >&2; exit 2; }
fail=0

# "symbol<TAB>object" for every symbol the objects of the given layers define.
defined_in() {
    for layer in "$@"; do
        for o in "$obj/$layer"/*.o; do
            [ -e "$o" ] || continue
            "$NM" --defined-only "$o" | awk -v f="$layer/$(basename "$o")" \
                '$2 ~ /^[TDBRC]$/ { print $3 "\t" f }'
        done
    done | sort -k1,1
}

# "symbol<TAB>object" for every symbol the objects of a layer leave undefined.
undefined_in() {
    for o in "$obj/$1"/*.o; do
        "$NM" --undefined-only "$o" | awk -v f="$1/$(basename "$o")" '{ print $NF "\t" f }'
    done | sort -k1,1
}

# (a) symbols
back_edges() { # lower-layer upper-layers...
    local lower=$1
    shift
    join -t $'\t' <(undefined_in "$lower") <(defined_in "$@") |
        awk -F'\t' '{ printf "  %s uses %s (defined in %s)\n", $2, $1, $3 }'
}
edges=$(back_edges client ops engine worker)
if [ -n "$edges" ]; then
    echo "src/client refers to symbols of higher layers:"
    printf '%s\n' "$edges"
    fail=1
fi
edges=$(back_edges util core client ops engine worker)
if [ -n "$edges" ]; then
    echo "src/util refers to symbols of other layers:"
    printf '%s\n' "$edges"
    fail=1
fi

# (b) includes
inc=$(grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"((ops|engine|worker)/|flowfabric\.h")' \
      "$src"/client/*.c "$src"/client/*.h || true)
if [ -n "$inc" ]; then
    echo "src/client includes headers of higher layers (or the umbrella header):"
    printf '%s\n' "$inc" | sed 's/^/  /'
    fail=1
fi
inc=$(grep -HnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$src"/util/*.c "$src"/util/*.h |
      grep -vE '#[[:space:]]*include[[:space:]]*"util/' || true)
if [ -n "$inc" ]; then
    echo "src/util includes headers outside src/util:"
    printf '%s\n' "$inc" | sed 's/^/  /'
    fail=1
fi

# (c) the client's private header names what it needs, not everything
if grep -qE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]flowfabric\.h[>"]' "$src/client/client_int.h"; then
    echo "src/client/client_int.h includes the umbrella flowfabric.h"
    fail=1
fi

[ "$fail" = 0 ] && echo "layers: no back-edges"
exit "$fail"
