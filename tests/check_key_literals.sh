#!/usr/bin/env bash
# Fails when a C file outside src/proto spells a FlowFabric key or channel
# name itself (a string literal starting with "ff:). Names come from the one
# list bindings/gen/keys.def through src/proto/keys.{h,c} (generated).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
hits=$(grep -rn --include='*.c' --include='*.h' '"ff:' src include | grep -v '^src/proto/' || true)
if [ -n "$hits" ]; then
    echo "key or channel literals outside src/proto (use the builders of src/proto/keys.h):"
    echo "$hits"
    exit 1
fi
echo "ok: no \"ff: literals outside src/proto"
