#!/bin/sh
# Build the single `flowfabric` Redis Functions payload.
#   lua/build.sh OUT_FILE
# Concatenates the files listed in lua/manifest.txt (blank lines and '#'
# comments ignored, paths relative to lua/) and checks that the result starts
# with the `#!lua name=flowfabric` shebang and carries it exactly once.
set -eu

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUT_FILE" >&2
    exit 2
fi
out=$1
here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/manifest.txt"
shebang='#!lua name=flowfabric'

[ -f "$manifest" ] || { echo "build.sh: missing $manifest" >&2; exit 1; }

tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT INT TERM
: > "$tmp"
n=0
while IFS= read -r line || [ -n "$line" ]; do
    f=$(printf '%s' "$line" | sed -e 's/#.*$//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    [ -n "$f" ] || continue
    if [ ! -f "$here/$f" ]; then
        echo "build.sh: manifest entry not found: $f" >&2
        exit 1
    fi
    if [ "$n" -gt 0 ]; then
        printf '\n-- ==== %s ====\n' "$f" >> "$tmp"
    fi
    cat "$here/$f" >> "$tmp"
    # guarantee a newline between files
    [ -z "$(tail -c 1 "$here/$f")" ] || printf '\n' >> "$tmp"
    n=$((n + 1))
done < "$manifest"

[ "$n" -gt 0 ] || { echo "build.sh: manifest lists no files" >&2; exit 1; }
first=$(head -n 1 "$tmp")
if [ "$first" != "$shebang" ]; then
    echo "build.sh: first line must be '$shebang'" >&2
    exit 1
fi
count=$(grep -c '^#!lua' "$tmp" || true)
if [ "$count" -ne 1 ]; then
    echo "build.sh: expected exactly one '#!lua' shebang, found $count" >&2
    exit 1
fi
# The version the client compares at connect is the declared one plus a hash
# of the whole payload, so a server holding any other build of the library
# (same declared version, different code) is reloaded rather than trusted.
ver_re='^local FF_LIB_VERSION = "\([A-Za-z0-9.]*\)"$'
grep -q "$ver_re" "$tmp" || { echo "build.sh: no 'local FF_LIB_VERSION = \"N\"' line" >&2; exit 1; }
sum=$(sha256sum "$tmp" | cut -c1-12)
sed -i "s/$ver_re/local FF_LIB_VERSION = \"\1+$sum\"/" "$tmp"
mv "$tmp" "$out"
trap - EXIT INT TERM
