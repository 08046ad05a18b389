#!/usr/bin/env bash
# End-to-end test of `ffctl workers` against a real server: usage errors,
# a worker registered on one partition (the server call, through redis-cli:
# ffctl registers nothing itself) listed with its lanes, capabilities and
# leases, the lane filter, and mark-dead.
#
#   test_ffctl_workers.sh FFCTL [URL]
#
# Fresh worker ids and lanes; no timing assertions.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_workers.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-wk.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_workers.sh "${2:-}"
STRICT_EXPECT=1

W="wk-$$-$RANDOM"
LA="wl-$$-$RANDOM"
HOSTPORT=${URL#redis://}
rcli() { redis-cli -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" "$@"; }

expect 0 "workers --help" workers --help
has 'mark-dead' "help names mark-dead"
expect 2 "mark-dead without an id" workers mark-dead
expect 2 "bad --limit" workers --limit 0
expect 0 "mark-dead of an unknown worker" workers mark-dead "$W"
has '^not registered$' "unknown worker: not registered"

rcli FCALL ff_worker_register 1 'ff:i:{fp:0}:workers' "$W" inst-1 gpu,cpu 4 60000 "$LA" >/dev/null
expect 0 "workers" workers
has "^$W +inst-1 +$LA +cpu,gpu +4 +0 " "the worker is listed with its lanes, caps and leases"
expect 0 "workers --lane" workers --lane "$LA"
has "^$W " "lane filter keeps it"
expect 0 "workers --lane other" workers --lane "$LA-other"
lacks "$W" "lane filter drops it"
expect 0 "workers --json" workers --json
has '"worker_id":"'"$W"'","instance_id":"inst-1","lanes":\["'"$LA"'"\],"capabilities":\["cpu","gpu"\]' "json document"
expect 0 "mark-dead" workers mark-dead "$W" --json
has '^\{"worker_id":"'"$W"'","removed":true\}$' "mark-dead --json"
expect 0 "workers after mark-dead" workers --lane "$LA"
lacks "$W" "gone after mark-dead"

finish
