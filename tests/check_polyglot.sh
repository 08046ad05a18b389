#!/usr/bin/env bash
# The polyglot demos of `make demo` keep working: Ruby submits and a LuaJIT
# worker works (and the reverse), against a private redis-server.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$(mktemp -d)
trap 'bash "$root/tests/support/redis-test-server.sh" stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
export FF_URL
FF_URL=$(bash "$root/tests/support/redis-test-server.sh" start "$dir" | tail -n 1)
export LUA_PATH="$root/bindings/luajit/?.lua;$root/bindings/luajit/?/init.lua;;"
rb=$(ruby -I"$root/bindings/ruby/lib" "$root/bindings/ruby/examples/polyglot.rb")
lj=$(luajit "$root/bindings/luajit/examples/polyglot.lua")
printf '%s\n%s\n' "$rb" "$lj"
[ "$(grep -c "LuaJIT .* worked on '" <<<"$rb")" -eq 3 ] || { echo "FAIL: Ruby's executions were not all worked by LuaJIT"; exit 1; }
[ "$(grep -c "Ruby .* worked on '" <<<"$lj")" -eq 3 ] || { echo "FAIL: LuaJIT's executions were not all worked by Ruby"; exit 1; }
echo "ok: one engine, two runtimes, both ways"
