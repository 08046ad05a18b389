#!/usr/bin/env bash
# The public headers must compile cleanly as strict C99 and as C++, each one on
# its own (self-contained) and through the umbrella header, and the C++ view
# must give C linkage (unmangled ff_* references).
# Env: CC (default cc), CXX (default g++).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CC=${CC:-cc}
CXX=${CXX:-g++}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v "$CXX" >/dev/null 2>&1; then
    echo "no C++ compiler ($CXX); install g++ (build-essential)" >&2
    exit 1
fi

cflags=(-std=c99 -pedantic -Wall -Wextra -Werror -Wstrict-prototypes -Wundef -I "$root/include")
cxxflags=(-std=c++11 -pedantic -Wall -Wextra -Werror -Wundef -I "$root/include")

headers=(flowfabric.h)
while IFS= read -r h; do headers+=("flowfabric/$h"); done < <(cd "$root/include/flowfabric" && ls ./*.h | sed 's|^\./||')

fail=0
for h in "${headers[@]}"; do
    for variant in "" "-DFF_STATIC"; do
        printf '#include <%s>\n#include <%s>\nint fft_dummy;\n' "$h" "$h" >"$tmp/t.c"
        if ! "$CC" "${cflags[@]}" $variant -fsyntax-only -x c "$tmp/t.c"; then
            echo "FAIL: $h as C99 ${variant}" >&2
            fail=1
        fi
        if ! "$CXX" "${cxxflags[@]}" $variant -fsyntax-only -x c++ "$tmp/t.c"; then
            echo "FAIL: $h as C++ ${variant}" >&2
            fail=1
        fi
    done
done

# C linkage from C++: references to the API must be unmangled.
cat >"$tmp/link.cc" <<'CC'
#include <flowfabric.h>
int fft_use(void) { return (int)ff_abi_version() + (ff_strerror(FF_OK) != 0); }
CC
"$CXX" "${cxxflags[@]}" -c "$tmp/link.cc" -o "$tmp/link.o"
if ! nm "$tmp/link.o" | grep -Eq ' U ff_abi_version$'; then
    echo "FAIL: C++ sees ff_abi_version with C++ linkage (missing extern \"C\")" >&2
    nm "$tmp/link.o" >&2
    fail=1
fi

[ $fail -eq 0 ] && echo "ok: ${#headers[@]} headers compile as strict C99 and C++11"
exit $fail
