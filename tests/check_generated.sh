#!/usr/bin/env bash
# Fails when a committed generated file is stale:
#   include/flowfabric/status.h  <- bindings/gen/gen_status_h.py src/core/status.def
#   bindings/ff_cdef.h           <- bindings/gen/gen_cdef.sh (from include/flowfabric.h)
#   bindings/api.json            <- bindings/gen/gen_api.py (ff_cdef.h + the headers' doc tags)
#   bindings/ruby/lib/flowfabric/{native,error_classes}.rb <- bindings/gen/gen_ruby.py (api.json, status.def)
#   bindings/luajit/flowfabric/{cdef,errors,ops}.lua <- bindings/gen/gen_luajit.py (api.json, status.def)
#   python/flowfabric/{_native,_client_ops}.py <- bindings/gen/gen_python_ops.py (api.json, _opdefs.py)
#   docs/errors.md (status tables) <- bindings/gen/gen_errors_md.py src/core/status.def
#   python/flowfabric/_error_classes.py <- bindings/gen/gen_python_errors.py src/core/status.def
#                                          bindings/gen/error_names.txt
#   src/proto/functions.{h,c}, lua/README.md (function reference), include/flowfabric/items.h
#                                <- bindings/gen/gen_functions.py (header blocks of lua/<area>.lua)
#   src/proto/keys.{h,c}, lua/lib/20_keys.lua (key builders)
#                                <- bindings/gen/gen_keys.py bindings/gen/keys.def
# Fix with `make generate`, then commit the result.
# Env: PYTHON (default /usr/bin/python3 or python3), CC (default cc).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -z "${PYTHON:-}" ]; then
    if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

"$PYTHON" "$root/bindings/gen/gen_status_h.py" "$root/src/core/status.def" "$tmp/status.h"
bash "$root/bindings/gen/gen_cdef.sh" "$tmp/ff_cdef.h"
"$PYTHON" -B "$root/bindings/gen/gen_api.py" --cdef "$tmp/ff_cdef.h" "$tmp/api.json"
"$PYTHON" -B "$root/bindings/gen/gen_ruby.py" "$tmp/api.json" "$root/src/core/status.def" \
    "$root/bindings/gen/error_names.txt" "$tmp/ruby"
"$PYTHON" -B "$root/bindings/gen/gen_luajit.py" "$tmp/api.json" "$root/src/core/status.def" \
    "$root/bindings/gen/error_names.txt" "$tmp/luajit"
"$PYTHON" -B "$root/bindings/gen/gen_python_ops.py" "$tmp/api.json" "$root/python/flowfabric/_opdefs.py" "$tmp/py"
"$PYTHON" "$root/bindings/gen/gen_errors_md.py" "$root/src/core/status.def" "$root/docs/errors.md" "$tmp/errors.md"
"$PYTHON" -B "$root/bindings/gen/gen_python_errors.py" "$root/src/core/status.def" "$root/bindings/gen/error_names.txt" \
    "$tmp/_error_classes.py"
"$PYTHON" -B "$root/bindings/gen/gen_functions.py" "$root/lua" "$root/src/core/status.def" "$tmp/proto" \
    "$root/lua/README.md" "$tmp/README.md" "$tmp/items.h"
"$PYTHON" -B "$root/bindings/gen/gen_keys.py" "$root/bindings/gen/keys.def" "$root/lua/lib/20_keys.lua" \
    "$tmp/20_keys.lua" "$tmp/proto"

stale=0
compare() { # generated committed
    if [ ! -f "$root/$2" ]; then
        echo "MISSING: $2 (run: make generate)"
        stale=1
    elif ! diff -u "$root/$2" "$1" >"$tmp/diff"; then
        echo "STALE: $2 differs from what its generator produces (run: make generate):"
        head -n 60 "$tmp/diff"
        stale=1
    else
        echo "ok: $2"
    fi
}
compare "$tmp/status.h" include/flowfabric/status.h
compare "$tmp/ff_cdef.h" bindings/ff_cdef.h
compare "$tmp/api.json" bindings/api.json
compare "$tmp/ruby/native.rb" bindings/ruby/lib/flowfabric/native.rb
compare "$tmp/ruby/error_classes.rb" bindings/ruby/lib/flowfabric/error_classes.rb
compare "$tmp/luajit/cdef.lua" bindings/luajit/flowfabric/cdef.lua
compare "$tmp/luajit/errors.lua" bindings/luajit/flowfabric/errors.lua
compare "$tmp/luajit/ops.lua" bindings/luajit/flowfabric/ops.lua
compare "$tmp/py/_native.py" python/flowfabric/_native.py
compare "$tmp/py/_client_ops.py" python/flowfabric/_client_ops.py
compare "$tmp/errors.md" docs/errors.md
compare "$tmp/_error_classes.py" python/flowfabric/_error_classes.py
compare "$tmp/proto/functions.h" src/proto/functions.h
compare "$tmp/proto/functions.c" src/proto/functions.c
compare "$tmp/README.md" lua/README.md
compare "$tmp/items.h" include/flowfabric/items.h
compare "$tmp/proto/keys.h" src/proto/keys.h
compare "$tmp/proto/keys.c" src/proto/keys.c
compare "$tmp/20_keys.lua" lua/lib/20_keys.lua

if ! grep -q 'typedef enum ff_status' "$root/bindings/ff_cdef.h"; then
    echo "bindings/ff_cdef.h lacks the ff_status enum"
    stale=1
fi
exit $stale
