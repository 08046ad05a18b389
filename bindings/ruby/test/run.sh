#!/usr/bin/env bash
# The Ruby suite (minitest) against a real redis-server, then an offline
# `gem build`. Fails when no test ran. FF_LIBRARY: the libflowfabric to load.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$log" "$tmp"' EXIT

status=0
ruby -I"$here/lib" -I"$here/test" -e 'Dir[ARGV[0] + "/test_*.rb"].sort.each { |f| require f }' "$here/test" \
    2>&1 | tee "$log" || status=$?
summary=$(grep -E '^[0-9]+ runs, ' "$log" | tail -n 1 || true)
if [ -z "$summary" ] || [ "${summary%% *}" = 0 ]; then
    echo "ruby tests: no test ran" >&2
    exit 1
fi
[ "$status" -eq 0 ] || exit "$status"

# The gem builds offline from the checkout.
(cd "$here" && gem build flowfabric.gemspec -o "$tmp/flowfabric.gem" >/dev/null 2>"$log") || { cat "$log" >&2; exit 1; }
version=$(gem spec "$tmp/flowfabric.gem" version | sed -n 's/^version: //p')
[ -n "$version" ] || { echo "gem build: no version in the built gem" >&2; exit 1; }
echo "gem build: ok (flowfabric $version)"
