#!/usr/bin/env bash
# End-to-end test of the ffctl CLI against a real server.
#
#   test_ffctl.sh FFCTL [URL]
#
# URL defaults to $FF_URL, else the contents of $FF_TEST_URL_FILE (the ctest
# redis fixture). Every subcommand is exercised on fresh lane names, so the
# server may hold other data. `ffctl dev` is tested on a private data dir
# (it starts and stops its own embedded redis-server).
set -euo pipefail

FFCTL=${1:?usage: test_ffctl.sh FFCTL [URL]}
[ -x "$FFCTL" ] || { echo "test_ffctl.sh: $FFCTL is not executable" >&2; exit 2; }

# Short path: the embedded server's unix socket must fit in sun_path.
TMP=$(mktemp -d /tmp/ffctl-test.XXXXXX)
DEVDIR=$TMP/dev
cleanup() {
    "$FFCTL" dev down --data-dir "$DEVDIR" >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

# shared harness; here `expect` also checks the error / usage text
STRICT_EXPECT=1
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl.sh "${2:-}"

LANE="clitest-$$-$RANDOM"
LANE2="clitest-other-$$-$RANDOM"

# ------------------------------------------------------------ basics
expect 0 "version" version
has '^ffctl [0-9]+\.[0-9]+\.[0-9]+' "version prints the library version"
expect 0 "--help" --help
has 'Commands:' "--help lists the commands"
expect 0 "describe --help" describe --help
has '^usage: ffctl describe' "describe --help shows its usage"
expect 0 "help submit" help submit
expect 2 "no command is a usage error" 
expect 2 "unknown command" frobnicate
expect 2 "unknown global option" --frob stats

# ------------------------------------------------------------ submit + describe
expect 0 "submit" submit --kind email.send --lane "$LANE" --payload "to=bob" --tag team=core --tag env=test \
    --cap smtp --priority 3 -q
ID=$OUT
if [[ "$ID" =~ ^\{fp:[0-9]+\}:[0-9a-f-]{36}$ ]]; then ok "submit -q prints one execution id"; else not_ok "submit -q prints one execution id"; fi

expect 0 "describe --json" describe "$ID" --json
has '"public_state": ?"waiting"' "describe --json shows waiting"
has '"execution_id": ?"\{fp:' "describe --json carries the id"
expect 0 "describe (human)" describe "$ID"
for dim in lifecycle_phase ownership_state eligibility_state blocking_reason terminal_outcome attempt_state public_state; do
    has "^  $dim +[a-z_]+" "describe shows $dim"
done
has '^tags +(env=test  team=core|team=core  env=test)' "describe shows the tags"
has '^capabilities +smtp' "describe shows the capabilities"
has '^payload +6 bytes' "describe shows the payload size"
has 'created_at +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z' "describe shows ISO-8601 UTC times"
expect 0 "describe --field" describe "$ID" --field state.attempt_state
has '^pending_first_attempt$' "describe --field prints one value"
expect 1 "describe --field of a missing path" describe "$ID" --field no.such.path

expect 0 "submit --json" submit --kind k --lane "$LANE" --json
has '^\{"execution_id":"\{fp:[0-9]+\}:[0-9a-f-]+","public_state":"waiting","duplicate":false\}$' "submit --json shape"
expect 0 "submit human output" submit --kind k --lane "$LANE"
has '^\{fp:[0-9]+\}:[0-9a-f-]+  waiting$' "submit prints id and public state"

expect 0 "submit --delay-ms" submit --kind later --lane "$LANE" --delay-ms 600000 -q
DELAYED=$OUT
expect 0 "describe delayed" describe "$DELAYED" --field public_state
has '^delayed$' "a delayed submit is delayed"

expect 0 "submit with an idempotency key" submit --kind k --lane "$LANE" --idempotency-key "key-$LANE" -q
IDEM=$OUT
expect 0 "repeat with the same idempotency key" submit --kind k --lane "$LANE" --idempotency-key "key-$LANE" --json
has "\"execution_id\":\"$(printf '%s' "$IDEM" | sed 's/[{}]/\\&/g')\".*\"duplicate\":true" "duplicate returns the first id"

head -c 1000 /dev/urandom >"$TMP/payload.bin"
expect 0 "submit --payload-file (binary)" submit --kind bin --lane "$LANE" --payload-file "$TMP/payload.bin" -q
BIN=$OUT
expect 0 "describe binary payload size" describe "$BIN" --field payload_size
has '^1000$' "binary payload arrives whole"
set +e
STDIN_ID=$(printf 'from stdin' | "$FFCTL" submit --kind s --lane "$LANE" --payload-stdin -q 2>"$TMP/err")
RC=$?
set -e
if [ "$RC" -eq 0 ] && [ "$("$FFCTL" describe "$STDIN_ID" --field payload_size)" = 10 ]; then
    ok "submit --payload-stdin"
else
    not_ok "submit --payload-stdin"
fi

expect 0 "submit with retry policy flags" submit --kind r --lane "$LANE2" --retries 2 --backoff exponential \
    --backoff-ms 100 --backoff-max-ms 1000 --retry-on transient --attempt-timeout-ms 5000 -q
RETRY=$OUT
expect 0 "describe policy" describe "$RETRY"
has '"max_retries":2' "retry flags land in the policy"
has '"attempt_timeout_ms":5000' "attempt timeout lands in the policy"

# ------------------------------------------------------------ bad input
expect 2 "submit without --kind" submit --lane "$LANE"
expect 2 "submit with an unknown option" submit --kind k --bogus
expect 2 "submit with a non-numeric priority" submit --kind k --priority high
expect 2 "submit with a bad tag" submit --kind k --tag novalue
expect 2 "submit with two payload sources" submit --kind k --payload a --payload-file "$TMP/payload.bin"
expect 2 "submit --backoff without --retries" submit --kind k --backoff fixed
expect 2 "submit with malformed policy JSON" submit --kind k --policy-json '{nope'
expect 1 "submit with a policy the server rejects" submit --kind k --lane "$LANE" \
    --policy-json '{"retry_policy":{"max_retries":"many"}}'
err_has '^error: FF_INVALID_POLICY_JSON: ' "server policy errors are named"
expect 1 "submit --payload-file of a missing file" submit --kind k --payload-file "$TMP/missing"
expect 2 "describe without an id" describe
expect 1 "describe a malformed id" describe not-an-id
err_has "^error: FF_EINVAL: not an execution id \\(expected \\{fp:N\\}:<uuid>\\): 'not-an-id'" "a malformed id is explained"
expect 1 "describe an unknown id" describe '{fp:0}:00000000-0000-4000-8000-000000000000'
err_has '^error: FF_EXECUTION_NOT_FOUND: ' "unknown id is FF_EXECUTION_NOT_FOUND"
expect 2 "list without --lane/--partition" list
expect 2 "list with a bad state" list --lane "$LANE" --state sleeping
expect 2 "list with a bad limit" list --lane "$LANE" --limit 0
expect 2 "list with a limit above the page cap" list --lane "$LANE" --limit 1001
expect 1 "list with a malformed cursor" list --lane "$LANE" --cursor garbage
err_has "cursor 'garbage' is not one this listing returned" "a malformed cursor is explained"
expect 1 "list with a cursor past the lane's shards" list --lane "$LANE" --cursor 999:0
expect 1 "list a partition that does not exist" list --partition 16000
expect 2 "priority without a value" priority "$ID"
expect 2 "priority out of range" priority "$ID" 9001
expect 2 "option missing its value" describe "$ID" --field

# ------------------------------------------------------------ result
expect 1 "result of a non-terminal execution" result "$ID"
err_has '^error: FF_EXECUTION_NOT_TERMINAL: ' "non-terminal result is FF_EXECUTION_NOT_TERMINAL"

# ------------------------------------------------------------ list
expect 0 "list --lane -q" list --lane "$LANE" -q
has "^$(printf '%s' "$ID" | sed 's/[{}]/\\&/g')\$" "list shows the submitted id"
expect 0 "list --lane (table)" list --lane "$LANE"
has '^EXECUTION +STATE +KIND +PRI +ATTEMPTS +CREATED$' "list prints a table header"
has 'email\.send +3 +0 ' "list rows carry kind, priority, attempts"
expect 0 "list --state delayed" list --lane "$LANE" --state delayed -q
has "^$(printf '%s' "$DELAYED" | sed 's/[{}]/\\&/g')\$" "list --state delayed shows the delayed one"
expect 0 "list --json paging" list --lane "$LANE" --limit 2 --json
has '^\{"ids":\["[^"]+","[^"]+"\],"cursor":"[^"]+"\}$' "a short page returns a cursor"
CURSOR=$(printf '%s' "$OUT" | sed 's/.*"cursor":"\([^"]*\)".*/\1/')
if [ "$CURSOR" != 0 ]; then ok "the cursor says there is more"; else not_ok "the cursor says there is more"; fi
expect 0 "list --cursor continues" list --lane "$LANE" --limit 1000 --cursor "$CURSOR" -q
N_REST=$(printf '%s\n' "$OUT" | grep -c . || true)
expect 0 "list everything" list --lane "$LANE" --limit 1000 -q
N_ALL=$(printf '%s\n' "$OUT" | grep -c . || true)
if [ $((N_REST + 2)) -eq "$N_ALL" ]; then ok "cursor paging covers the lane"; else not_ok "cursor paging covers the lane ($N_REST + 2 != $N_ALL)"; fi
PART=$("$FFCTL" describe "$ID" --field partition)
# The partition may hold other tests' executions: walk every page.
PCUR=0
PFOUND=0
PAGES=0
while :; do
    run list --partition "$PART" --limit 1000 --cursor "$PCUR" --json
    [ "$RC" -eq 0 ] || break
    PAGES=$((PAGES + 1))
    case "$OUT" in *"\"$ID\""*) PFOUND=1 ;; esac
    PCUR=$(printf '%s' "$OUT" | sed 's/.*"cursor":"\([^"]*\)".*/\1/')
    [ "$PCUR" != 0 ] && [ "$PAGES" -lt 10000 ] || break
done
if [ "$RC" -eq 0 ] && [ "$PFOUND" -eq 1 ]; then ok "list --partition finds the id"; else not_ok "list --partition finds the id"; fi
expect 0 "list --partition (table)" list --partition "$PART" --limit 5
has '^EXECUTION +STATE +KIND' "list --partition prints a table"

# ------------------------------------------------------------ admin
expect 0 "priority" priority "$ID" 7
has ' priority 3 -> 7$' "priority prints old and new"
expect 1 "revoke without a lease" revoke "$ID" --reason test
err_has '^error: FF_EXECUTION_NOT_ACTIVE: ' "revoke of a waiting execution is FF_EXECUTION_NOT_ACTIVE"
expect 1 "replay of a non-terminal execution" replay "$ID"
err_has '^error: FF_EXECUTION_NOT_TERMINAL: ' "replay of a waiting execution is FF_EXECUTION_NOT_TERMINAL"
expect 0 "cancel" cancel "$ID" --reason "not needed"
has ' cancelled$' "cancel prints cancelled"
expect 0 "describe after cancel" describe "$ID" --json
has '"public_state": ?"cancelled"' "cancelled execution describes as cancelled"
expect 0 "cancel again (idempotent)" cancel "$ID" --reason "not needed" --json
has '"outcome":"cancelled"' "repeated cancel still reports cancelled"
expect 1 "result of a cancelled execution fails" result "$ID"
if [ -z "$OUT" ]; then ok "a cancelled execution prints no result"; else not_ok "a cancelled execution prints no result"; fi
if grep -q 'FF_EXECUTION_CANCELLED: execution was cancelled by operator_override: not needed' "$TMP/err"; then
    ok "result says how it ended"
else
    not_ok "result says how it ended"
fi
expect 0 "replay" replay "$ID"
has ' waiting$' "replay prints waiting"
expect 0 "describe after replay" describe "$ID" --json
has '"public_state": ?"waiting"' "replayed execution is waiting again"
has '"replay_count": ?1' "replay is counted"

# ------------------------------------------------------------ lanes, stats
expect 0 "lanes" lanes
has '^LANE$' "lanes prints a header"
has "^$LANE\$" "lanes contains the lane"
has "^$LANE2\$" "lanes contains the second lane"
expect 0 "lanes --json" lanes --json
has "\"$LANE\"" "lanes --json contains the lane"
expect 0 "stats" stats
has '^LANE +WAITING +DELAYED +ACTIVE +SUSPENDED +COMPLETED +FAILED +CANCELLED +EXPIRED +SKIPPED +BLOCKED +TOTAL$' "stats header"
# waiting: ID (replayed), the --json one, the human one, IDEM, BIN, STDIN_ID = 6; delayed 1
has "^$LANE +6 +1 +0 +0 +0 +0 +0 +0 +0 +0 +7\$" "stats counts the lane"
has "^$LANE2 +1 +0 " "stats counts the second lane"
expect 0 "stats --json" stats --json
has "\"$LANE\":\\{\"waiting\":6,\"delayed\":1" "stats --json counts the lane"

# ------------------------------------------------------------ demo + result
expect 0 "demo against the server" demo
has '^demo OK' "demo reports success"
has 'priority 100' "demo shows the priority job"
has 'retry scheduled' "demo shows a retry"
has 'no retries left' "demo shows a permanent failure"
has '^Act 4: a CI pipeline as a flow' "demo runs the flow act"
has '6 members and 6 edges in ONE atomic call' "the flow act submits the DAG in one call"
has '^   [0-9]+-[0-9]+ +test-macos +cancelled$' "any_of cancelled the other test (feed)"
has '^   [0-9]+-[0-9]+ +publish-docs +skipped$' "the failed lint skipped publish-docs (feed)"
has '^   [0-9]+-[0-9]+ +\(the flow\) +failed$' "the feed records the flow settling"
has '^Act 5: output streams' "demo runs the stream act"
has '^   stream closed: attempt_success \(5 lines, 5 deltas, 5 patches\)$' "the stream act follows every frame"
has '^   summary document \(version 5\): \{"pages_done":5' "the stream act reads the summary"
DEMO_LANE=$(printf '%s\n' "$OUT" | sed -n 's/^ *lane *\(demo-[^ ]*\).*/\1/p' | head -n1)
if [ -n "$DEMO_LANE" ]; then ok "demo names its lane"; else not_ok "demo names its lane"; fi
expect 0 "stats after demo" stats
has "^$DEMO_LANE +0 +0 +0 +0 +4 +1 +1 +0 +0 +0 +6\$" "demo lane: 4 completed, 1 failed, 1 cancelled"
expect 0 "list completed demo executions" list --lane "$DEMO_LANE" --state completed -q
FOUND=0
for eid in $OUT; do
    if [ "$("$FFCTL" result "$eid")" = "sent to alice@example.com" ]; then FOUND=1; fi
done
if [ "$FOUND" -eq 1 ]; then ok "result prints the raw result bytes"; else not_ok "result prints the raw result bytes"; fi
FIRST=$(printf '%s\n' "$OUT" | head -n1)
expect 0 "result --json" result "$FIRST" --json
has '^\{"execution_id":"[^"]+","size":[0-9]+,"result":"[^"]*"\}$' "result --json shape"
expect 0 "list failed demo execution" list --lane "$DEMO_LANE" --state failed -q
FAILED_ID=$OUT
expect 0 "describe the failed demo execution" describe "$FAILED_ID"
has '^failure +transient: card processor unavailable$' "describe shows the failure"
has '^  1  retry +ended_failure ' "describe lists the attempts"

# ------------------------------------------------------------ corrupt records
QLANE=cli-quarantine-$$
expect 0 "submit an execution to corrupt" submit --kind k --lane "$QLANE" -q
QID=$OUT
HOSTPORT=${URL#redis://}
redis-cli -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" HSET "ff:e:$QID" epoch x >/dev/null
expect 1 "describe a corrupt execution fails" describe "$QID"
if grep -q "FF_CORRUPT_RECORD: stored record is corrupt: field 'epoch' of ff:e:$QID holds 'x'" "$TMP/err"; then
    ok "describe names the corrupt key and field"
else
    not_ok "describe names the corrupt key and field"
fi
expect 0 "submit a healthy execution behind it" submit --kind k --lane "$QLANE" -q
expect 0 "a worker claims past the corrupt one" worker --lane "$QLANE" --exec true --max-tasks 1 --no-engine
expect 0 "quarantined lists it" quarantined
has "^$QID +[0-9]+ +epoch=x\$" "quarantined shows id and field"
expect 0 "stats shows the quarantine" stats
has '^QUARANTINED  [1-9][0-9]* executions' "stats counts quarantined executions"
expect 0 "stats --json" stats --json
has '"quarantined":[1-9]' "stats --json has quarantined"

# ------------------------------------------------------------ dev (embedded server)
mkdir -p "$DEVDIR"
expect 2 "dev without an action" dev --data-dir "$DEVDIR"
expect 2 "dev with --url" dev status --url "$URL" --data-dir "$DEVDIR"
run dev status --data-dir "$DEVDIR"
if [ "$RC" -eq 1 ] && printf '%s' "$OUT" | grep -q 'not running'; then ok "dev status: not running"; else not_ok "dev status: not running"; fi
expect 0 "dev up" dev up --data-dir "$DEVDIR"
has '^embedded server running at unix://' "dev up prints the URL"
expect 0 "dev status when up" dev status --data-dir "$DEVDIR" --json
has '^\{"running":true,"url":"unix://' "dev status --json"
DEV_URL=$(printf '%s' "$OUT" | sed 's/.*"url":"\([^"]*\)".*/\1/')
expect 0 "submit to the embedded server" --url "$DEV_URL" submit --kind k --lane dev -q
expect 0 "dev down" dev down --data-dir "$DEVDIR"
has 'stopped' "dev down stops it"
expect 0 "dev down again (idempotent)" dev down --data-dir "$DEVDIR"
has 'was not running' "second dev down says it was not running"
run dev status --data-dir "$DEVDIR"
if [ "$RC" -eq 1 ]; then ok "dev status after down"; else not_ok "dev status after down"; fi

finish
