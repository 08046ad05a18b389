#!/usr/bin/env bash
# End-to-end test of `ffctl quota` and `ffctl group` against a real server:
# usage errors, the idempotent create, describe (table and --json), list,
# submit --group, a pause that parks one group while another runs (through
# `ffctl worker --max-tasks 1`), and resume returning the parked work.
#
#   test_ffctl_quotas.sh FFCTL [URL]
#
# Fresh lanes; no timing assertions (every pause is ended by `group resume`).
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_quotas.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-qu.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_quotas.sh "${2:-}"
STRICT_EXPECT=1

L="qu-$$-$RANDOM"
Q="q-$$-$RANDOM"

# ------------------------------------------------------------ usage
expect 2 "quota without a subcommand" quota
expect 2 "unknown quota subcommand" quota nope
expect 0 "quota --help" quota --help
has 'create LANE QUOTA_ID' "help lists create"
expect 2 "group without a subcommand" group
expect 0 "group --help" group --help
has 'pause LANE GROUP' "help lists pause"
expect 2 "create without a quota id" quota create "$L" --concurrency 1
expect 2 "create without any limit" quota create "$L" "$Q"
expect 2 "create with a rate but no window" quota create "$L" "$Q" --rate 5
expect 2 "create with a window over a day" quota create "$L" "$Q" --rate 5 --window-ms 86400001
expect 2 "create with a bad concurrency" quota create "$L" "$Q" --concurrency lots
expect 2 "create with a bad id" quota create "$L" 'bad id!' --concurrency 1
expect 2 "describe without a lane" quota describe
expect 2 "pause without --until or --for" group pause "$L" g
expect 2 "pause with both" group pause "$L" g --until 5 --for 5
expect 2 "pause with a bad group" group pause "$L" "$(printf 'g\001')" --for 60
expect 2 "resume without a group" group resume "$L"
expect 2 "submit with a bad group" submit --kind k --lane "$L" --group "$(printf 'g\001')"
expect 1 "pause in the past" group pause "$L" g --until 5
err_has '^error: FF_INVALID_INPUT: ' "a pause end in the past: typed server error"

# ------------------------------------------------------------ create / describe / list
expect 0 "describe a lane without a policy" quota describe "$L"
has '^quota +\(none\)$' "no policy"
expect 0 "create" quota create "$L" "$Q" --rate 10 --window-ms 60000 --concurrency 1
has "^$L  quota $Q created$" "create says created"
has '^rate 10 per 60000 ms, concurrency 1 \(per group\)$' "create prints the limits"
expect 0 "create again, other limits" quota create "$L" "$Q" --concurrency 5
has "existed, limits kept \(the stored limits differ" "a repeat keeps the stored limits"
expect 0 "create --json" quota create "$L" "$Q" --concurrency 1 --rate 10 --window-ms 60000 --json
has '"outcome":"existing"' "create --json: outcome"
has '"same":true' "create --json: same"
expect 1 "another policy id on the lane" quota create "$L" "$Q-other" --concurrency 1
err_has '^error: FF_QUOTA_ATTACH_CONFLICT: ' "attach conflict: typed error"
expect 0 "list" quota list
has "^$L$" "list shows the lane"
expect 0 "list --json" quota list --json
has '"lanes":\[.*"'"$L"'".*\]' "list --json"

# ------------------------------------------------------------ pause / resume with a worker
expect 0 "submit in group a" submit --kind k --lane "$L" --group a -q
EA=$OUT
expect 0 "submit in group b" submit --kind k --lane "$L" --group b -q
EB=$OUT
expect 0 "pause group a" group pause "$L" a --for 3600
has "^$L/a  paused until " "pause prints its end"
expect 0 "pause --json" group pause "$L" a --for 60 --json
has '"paused_until":[0-9]+' "pause --json; the longer pause is kept"
expect 0 "a worker runs one task" worker --lane "$L" --exec true --max-tasks 1 --no-engine -q
expect 0 "b ran" describe "$EB" --field public_state
has '^completed$' "group b is not held by a's pause"
expect 0 "a is parked" describe "$EA" --field public_state
has '^rate_limited$' "group a waits, parked"
expect 0 "describe" quota describe "$L"
has '^concurrency +1$' "describe: the limit"
has '^  a +0 +0 +1 +[0-9]' "describe: a has one parked and a pause end"
has '^  b +0 +1 +0 +-$' "describe: b used the window once"
expect 0 "describe --json" quota describe "$L" --json
has '"group":"a","holders":0,"window_used":0,"parked":1' "describe --json: group a"
expect 0 "resume a" group resume "$L" a
has "^$L/a  resumed$" "resume"
expect 0 "resume again" group resume "$L" a --json
has '"was_paused":false' "a second resume: was not paused"
expect 0 "the worker runs a now" worker --lane "$L" --exec true --max-tasks 1 --no-engine -q
expect 0 "a ran" describe "$EA" --field public_state
has '^completed$' "resume returned a's work"

finish
