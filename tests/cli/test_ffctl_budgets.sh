#!/usr/bin/env bash
# End-to-end test of `ffctl budget` against a real server: every subcommand,
# the idempotent create, a soft and a hard breach (exit 3, nothing applied),
# dedup, a reset, a limit update, and the refusal of a corrupt limits record.
#
#   test_ffctl_budgets.sh FFCTL [URL]
#
# Fresh budget ids; no timing assertions.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_budgets.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-bu.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_budgets.sh "${2:-}"
STRICT_EXPECT=1

B="bu-$$-$RANDOM"

# ------------------------------------------------------------ usage
expect 2 "budget without a subcommand" budget
expect 2 "unknown subcommand" budget nope
expect 0 "budget --help" budget --help
has 'report ID --dim NAME=DELTA' "help lists report"
expect 2 "create without an id" budget create --dim a=1
expect 2 "create with a malformed --dim" budget create "$B" --dim tokens
expect 2 "create with a non-numeric limit" budget create "$B" --dim tokens=lots
expect 2 "create with soft > hard" budget create "$B" --dim tokens=10:20
expect 2 "create with a bad --on-hard" budget create "$B" --dim tokens=10 --on-hard explode
expect 2 "create with a bad id" budget create 'bad id!' --dim tokens=10
expect 2 "report without --dim" budget report "$B"
expect 2 "report with a soft part" budget report "$B" --dim tokens=1:2
expect 2 "report with a bad dimension name" budget report "$B" --dim 'to ken=1'
expect 2 "update without --dim" budget update "$B"
expect 2 "list without --partition or --all" budget list
expect 2 "release without an execution" budget release "$B"
expect 1 "describe an unknown budget" budget describe "$B"
err_has '^error: FF_BUDGET_NOT_FOUND: ' "unknown budget: typed error"
expect 1 "create with an unknown scope" budget create "$B" --dim tokens=10 --scope galaxy
err_has '^error: FF_INVALID_BUDGET_SCOPE: ' "bad scope: typed server error"

# ------------------------------------------------------------ create
expect 0 "create" budget create "$B" --dim tokens=100:50 --dim cost=1000 --on-hard notify --scope tenant --scope-id acme
has "^$B  created$" "create says created"
expect 0 "create again, same definition" budget create "$B" --dim tokens=100:50 --dim cost=1000 --on-hard notify \
    --scope tenant --scope-id acme
has "existed, limits kept \(the stored definition equals this one\)" "repeat: existed, limits kept, same"
expect 0 "create again, other limits" budget create "$B" --dim tokens=5
has "existed, limits kept \(the stored definition differs" "repeat with other limits: not applied"
expect 0 "create --json" budget create "$B" --dim tokens=5 --json
has '^\{"budget_id":"'"$B"'","result":"existing","same":false,"next_reset_at":null\}$' "create --json"

# ------------------------------------------------------------ describe / list
expect 0 "describe" budget describe "$B"
has '^scope +tenant acme$' "describe: scope"
has '^  tokens +0 +100 +50$' "describe: tokens row, the first create's limits"
has '^  cost +0 +1000 +-$' "describe: cost row, no soft limit"
PART=$(sed -n 's/^partition *//p' <<<"$OUT")
expect 0 "describe --json" budget describe "$B" --json
has '"dimensions":\{"cost":\{"hard":1000,"soft":0,"usage":0\},"tokens":\{"hard":100,"soft":50,"usage":0\}\}' \
    "describe --json: dimensions"
expect 0 "list --partition" budget list --partition "$PART"
has "^$B$" "list --partition shows the budget"
expect 0 "list --partition --json" budget list --partition "$PART" --limit 1000 --json
has '"budget_ids":\[.*"'"$B"'".*\],"cursor":""' "list --json"
expect 0 "list --all" budget list --all
has "^$B$" "list --all shows the budget"
expect 1 "list of a partition that does not exist" budget list --partition 16383
err_has '^error: FF_EINVAL: partition 16383 does not exist' "list: no such partition"

# ------------------------------------------------------------ report
expect 0 "report within the soft limit" budget report "$B" --dim tokens=50 --dim cost=10
has '^applied$' "equal to the soft limit is not a breach"
expect 0 "report past the soft limit" budget report "$B" --dim tokens=1 --dedup-key k1
has '^soft_breach  dimension tokens, current 51, limit 50$' "soft breach: dimension, current, limit"
expect 0 "the same dedup key" budget report "$B" --dim tokens=1 --dedup-key k1
has '^already_applied$' "dedup: already_applied"
expect 3 "report past the hard limit exits 3" budget report "$B" --dim cost=5 --dim tokens=50
has '^hard_breach  dimension tokens, current 51, limit 100 \(nothing applied\)$' "hard breach names the dimension"
expect 3 "hard breach --json" budget report "$B" --dim tokens=50 --json
has '"outcome":"hard_breach","dimension":"tokens","current":51,"limit":100' "hard breach --json"
expect 0 "describe after the breach" budget describe "$B" --json
has '"cost":\{"hard":1000,"soft":0,"usage":10\}' "a hard breach applied none of the deltas"
has '"breaches":2,' "breach counter"
expect 0 "reach the hard limit exactly" budget report "$B" --dim tokens=49 --json
has '"outcome":"soft_breach"' "exactly at the hard limit is allowed"

# ------------------------------------------------------------ reset / update / release
expect 0 "reset" budget reset "$B"
has "^$B  reset \(resets so far: 1; next reset: none\)$" "reset prints the count"
expect 0 "describe after reset" budget describe "$B"
has '^  tokens +0 +100 +50$' "reset: usage back to 0"
expect 0 "update the limits" budget update "$B" --dim tokens=10:0
has "^$B  updated \(2 dimensions with a limit\)$" "update"
expect 3 "the new limit applies" budget report "$B" --dim tokens=11
expect 0 "release of an execution without spend" budget release "$B" '{fp:0}:00000000-0000-4000-8000-000000000000'
has '^noop ' "release: noop"
expect 1 "reset of an unknown budget" budget reset "$B-none"
err_has '^error: FF_BUDGET_NOT_FOUND: ' "reset: typed error"

# ------------------------------------------------------------ interval
expect 0 "create with a reset interval" budget create "$B-h" --dim tokens=10 --reset-interval-ms 3600000 --json
has '"result":"created","same":true,"next_reset_at":[0-9]+\}$' "an interval schedules the next reset"

# ------------------------------------------------- attachment: submit, flows
MANY=()
for i in $(seq 0 16); do MANY+=(--budget "$B-m$i"); done
expect 2 "submit with 17 budgets" submit --kind k "${MANY[@]}"
expect 1 "submit with a malformed budget id" submit --kind k --budget 'bad id!'
err_has '^error: FF_INVALID_POLICY_JSON: .*budgets:bad_id' "the server refuses the id, typed"
expect 2 "submit with a budget given twice" submit --kind k --budget "$B-a" --budget "$B-a"
expect 2 "flow create with 17 budgets" flow create "${MANY[@]}"
expect 1 "flow create with a malformed budget id" flow create --budget 'bad id!'
err_has '^error: FF_EINVAL: budget id' "flow create: the library refuses the id, typed"
expect 0 "budgets to attach" budget create "$B-a" --dim tokens=10 --on-hard block
LA="bu-lane-$$-$RANDOM"
# --policy-json replaces the policy document: a --budget next to it still counts
expect 0 "submit --budget with --policy-json" submit --kind k --lane "$LA" --budget "$B-a" --policy-json '{"max_replay_count":1}' -q
E1=$OUT
expect 0 "describe shows the budget" describe "$E1"
has "^budgets +$B-a$" "describe: budgets line"
expect 0 "flow create --budget" flow create --lane "$LA" --budget "$B-a" --budget "$B-b"
FID=${OUT%% *}
expect 0 "flow describe shows its budgets" flow describe "$FID"
has "^budgets +$B-a,$B-b$" "flow describe: budgets line"
expect 0 "flow describe --json" flow describe "$FID" --json
has '"budgets":\["'"$B-a"'","'"$B-b"'"\]' "flow document: budgets"
expect 0 "a member with a budget of its own" submit --kind k --lane "$LA" --flow "$FID" --budget "$B-c" -q
E2=$OUT
expect 0 "describe the member" describe "$E2"
has "^budgets +$B-c,$B-a,$B-b$" "the member draws on its own budget, then the flow's"

# ------------------------------------------------------------ fail closed
HOSTPORT=${URL#redis://}
redis-cli -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" HSET "ff:b:{b:$PART}:$B:lim" h:tokens lots >/dev/null
expect 1 "report against a corrupt limits record" budget report "$B" --dim tokens=1
err_has '^error: FF_CORRUPT_RECORD: ' "corrupt limits: refused with a typed error"
redis-cli -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" HSET "ff:b:{b:$PART}:$B:lim" h:tokens 10 >/dev/null
expect 0 "describe after the repair" budget describe "$B" --json
has '"tokens":\{"hard":10,"soft":0,"usage":0\}' "the refused report applied nothing"

finish
