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
mv "$tmp" "$out"
trap - EXIT INT TERM
