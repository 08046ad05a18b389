#!/usr/bin/env bash
# End-to-end test of ffctl's long-running commands against a real server:
# `worker` (outcome mapping, environment, --max-tasks, --kind, graceful
# stop), `engine` (start, sweep, stop) and the health sections of `stats`.
#
#   test_ffctl_runtime.sh FFCTL [URL]
#
# URL as in test_ffctl.sh ($FF_URL, else $FF_TEST_URL_FILE). Fresh lane
# names, so the server may hold other data. No timing assertions: every
# wait is for a condition, bounded.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_runtime.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-rt.XXXXXX)
BG=()
cleanup() {
    for p in "${BG[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_runtime.sh "${2:-}"
submit() { "$FFCTL" submit -q "$@"; }
state_is() { [ "$(field "$1" public_state)" = "$2" ]; }

L="rt-$$-$RANDOM"

# ------------------------------------------------------------ worker: usage
expect 2 "worker without --exec" worker --lane "$L"
err_has 'exec CMD is required' "worker names the missing option"
expect 0 "worker --help" worker --help
has 'FF_EXECUTION_ID' "worker help documents the environment"
has 'exit_N' "worker help documents the exit code mapping"
expect 2 "worker --lease-ttl-ms out of range" worker --exec true --lease-ttl-ms 5

# ------------------------------------------------------------ worker: outcomes
OK_ID=$(submit --kind ok.kind --lane "$L" --payload hello)
BAD_ID=$(submit --kind bad.kind --lane "$L" --payload x)
SILENT_ID=$(submit --kind silent.kind --lane "$L" --payload x)
SIG_ID=$(submit --kind sig.kind --lane "$L" --payload x)
CMD='case "$FF_KIND" in
  bad.kind) echo "first line" >&2; echo "went wrong" >&2; exit 3;;
  silent.kind) exit 4;;
  sig.kind) kill -9 $$;;
esac
printf "%s|%s|%s|%s|" "$FF_EXECUTION_ID" "$FF_ATTEMPT" "$FF_KIND" "$FF_LANE"; cat'
expect 0 "worker runs until idle" worker --lane "$L" --concurrency 4 --idle-exit-ms 1500 --json --exec "$CMD"
has '"completed":1,"failed":3,"lost":0' "worker --json counts the outcomes"
err_has 'attempt 0 \(initial\): completed \([0-9]+ bytes\)' "a line per completion"
err_has 'failed exit_3: went wrong -> terminal_failed' "a line per failure"
expect 0 "result of the successful command" result "$OK_ID"
if [ "$OUT" = "$OK_ID|0|ok.kind|$L|hello" ]; then ok "stdout is the result; env and stdin reach the command"; else not_ok "result is '$OUT'"; fi
[ "$(field "$BAD_ID" failure.category)" = exit_3 ] && ok "exit 3 -> category exit_3" || not_ok "category of exit 3"
[ "$(field "$BAD_ID" failure.reason)" = "went wrong" ] && ok "reason = last stderr line" || not_ok "reason of exit 3"
[ "$(field "$SILENT_ID" failure.reason)" = "exit 4" ] && ok "no stderr -> reason 'exit 4'" || not_ok "reason of exit 4"
[ "$(field "$SIG_ID" failure.category)" = signal ] && ok "killed -> category signal" || not_ok "category of a signal"
[ "$(field "$SIG_ID" failure.reason)" = "signal 9 (SIGKILL)" ] && ok "signal reason" || not_ok "reason of a signal"

# ------------------------------------------------------------ worker: retry by category
RETRY_ID=$(submit --kind flaky --lane "$L" --retries 2 --backoff-ms 100 --retry-on exit_75)
expect 0 "worker with a retrying command" worker --lane "$L" --idle-exit-ms 1500 -q \
    --exec '[ "$FF_ATTEMPT" -ge 1 ] && { echo done; exit 0; }; echo "try later" >&2; exit 75'
[ "$(field "$RETRY_ID" public_state)" = completed ] && ok "exit_75 is retried by a policy naming it" ||
    not_ok "retry on exit_75: $(field "$RETRY_ID" public_state)"
[ "$(field "$RETRY_ID" counters.total_attempts)" = 2 ] && ok "second attempt succeeded" || not_ok "attempts of the retry"

# ------------------------------------------------------------ worker: --max-tasks, --kind
L2="rt-max-$$-$RANDOM"
for i in 1 2 3; do submit --kind k --lane "$L2" --payload "$i" >/dev/null; done
expect 0 "worker --max-tasks 2" worker --lane "$L2" --max-tasks 2 -q --exec cat
"$FFCTL" stats >"$TMP/out"
if grep -Eq "^$L2 +1 +0 +0 +0 +2 " "$TMP/out"; then ok "--max-tasks stops after 2 (one left waiting)"; else
    RC=0; not_ok "--max-tasks"; fi
L3="rt-kind-$$-$RANDOM"
OTHER_ID=$(submit --kind other --lane "$L3")
MINE_ID=$(submit --kind mine --lane "$L3")
expect 0 "worker --kind mine" worker --lane "$L3" --kind mine --idle-exit-ms 1000 -q --exec cat
[ "$(field "$MINE_ID" public_state)" = completed ] && ok "--kind runs its kind" || not_ok "--kind: own kind"
[ "$(field "$OTHER_ID" failure.category)" = no_handler ] && ok "--kind fails other kinds with no_handler" ||
    not_ok "--kind: other kind"

# ------------------------------------------------------------ worker: graceful stop
L4="rt-stop-$$-$RANDOM"
STOP_ID=$(submit --kind k --lane "$L4" --payload slow)
"$FFCTL" worker --lane "$L4" --exec 'sleep 1; cat' >"$TMP/wout" 2>"$TMP/werr" &
WPID=$!
BG+=("$WPID")
if wait_for 20 state_is "$STOP_ID" active; then ok "worker claimed the slow task"; else not_ok "slow task never active"; fi
kill -TERM "$WPID"
set +e
wait "$WPID"
RC=$?
set -e
[ "$RC" -eq 0 ] && ok "SIGTERM: exit 0" || not_ok "SIGTERM exit status"
[ "$(field "$STOP_ID" public_state)" = completed ] && ok "SIGTERM lets the running task finish" ||
    not_ok "graceful stop: $(field "$STOP_ID" public_state)"
grep -q 'stopping (signal)' "$TMP/werr" && ok "worker says it is stopping" || not_ok "no stopping line"

# A second signal does not wait for the grace period (the lease TTL, 60 s
# here): the task is released at once and its command stopped.
L6="rt-stop2-$$-$RANDOM"
STOP2_ID=$(submit --kind k --lane "$L6" --payload slow)
"$FFCTL" worker --lane "$L6" --lease-ttl-ms 60000 --exec 'sleep 120' >"$TMP/wout" 2>"$TMP/werr" &
WPID=$!
BG+=("$WPID")
if wait_for 20 state_is "$STOP2_ID" active; then ok "worker claimed the long task"; else not_ok "long task never active"; fi
kill -TERM "$WPID"
wait_for 10 grep -q 'stopping (signal)' "$TMP/werr" || true
kill -TERM "$WPID"
gone() { ! kill -0 "$WPID" 2>/dev/null; }
if wait_for 30 gone; then ok "second signal: the worker exits without waiting out the grace period"; else
    not_ok "worker still running after a second signal"; kill -KILL "$WPID"; fi
set +e
wait "$WPID"
RC=$?
set -e
[ "$RC" -eq 0 ] && ok "second signal: exit 0" || not_ok "second signal exit status"
grep -q 'released at shutdown' "$TMP/werr" && ok "the task was released" || not_ok "no release line: $(cat "$TMP/werr")"
[ "$(field "$STOP2_ID" public_state)" != active ] && ok "the released execution is no longer active" ||
    not_ok "released execution still active"

# An operator revoke reports the lease it took away.
L7="rt-revoke-$$-$RANDOM"
REV_ID=$(submit --kind k --lane "$L7" --payload slow)
"$FFCTL" worker --lane "$L7" --lease-ttl-ms 60000 --exec 'sleep 120' >"$TMP/wout" 2>"$TMP/werr" &
WPID=$!
BG+=("$WPID")
if wait_for 20 state_is "$REV_ID" active; then ok "worker claimed the task to revoke"; else not_ok "task to revoke never active"; fi
LID=$(field "$REV_ID" lease.lease_id)
LEP=$(field "$REV_ID" lease.epoch)
expect 0 "revoke a held lease" revoke "$REV_ID" --reason test --json
has "^\{\"execution_id\":\"[^\"]+\",\"outcome\":\"revoked\",\"lease_id\":\"$LID\",\"lease_epoch\":$LEP\}$" \
    "revoke --json names the revoked lease and epoch"
expect 0 "revoke again" revoke "$REV_ID" --json
has '"outcome":"already_revoked"}$' "a second revoke has no lease to report"
kill -TERM "$WPID"; sleep 0.2; kill -TERM "$WPID" 2>/dev/null || true
wait "$WPID" 2>/dev/null || true

# ------------------------------------------------------------ engine + stats health
ENG="cli-eng-$$-$RANDOM"
L5="rt-eng-$$-$RANDOM"
DELAYED_ID=$(submit --kind k --lane "$L5" --delay-ms 300)
"$FFCTL" engine --engine-id "$ENG" --tick-ms 100 --json >"$TMP/eout" 2>"$TMP/eerr" &
EPID=$!
BG+=("$EPID")
if wait_for 20 state_is "$DELAYED_ID" waiting; then ok "the engine promotes a due delayed execution"; else
    not_ok "engine did not promote"; fi
listed() { local j; j=$("$FFCTL" stats --json 2>/dev/null) || true; grep -q "\"engine_id\":\"$ENG\"" <<<"$j"; }
if wait_for 20 listed; then ok "stats --json lists the live engine"; else not_ok "engine not listed"; fi
expect 0 "stats" stats
has '^LEASES +[0-9]+ held over [0-9]+ partitions, [0-9]+ overdue' "stats shows the lease totals"
has '^SWEEP HEALTH +[0-9]+ live engines?' "stats shows the sweep health"
has "^  $ENG +[0-9]+ +[0-9]+ +[0-9.]+ s ago" "stats has a row for the engine"
expect 0 "stats --json" stats --json
has '"leases":\{"held":[0-9]+,"overdue":[0-9]+,"partitions":[0-9]+\}' "stats --json leases"
has "\"engines\":\\[.*\"engine_id\":\"$ENG\",\"owned_partitions\":[0-9]+,\"heartbeat_expires_at\":[0-9]+,\"last_tick_age_ms\":[0-9]+,\"stats\":\\{" "stats --json engine entry"
has '"ownership":\{"partitions":[0-9]+,"owned":[0-9]+,"by_gone_engines":[0-9]+\}' "stats --json ownership"
kill -INT "$EPID"
set +e
wait "$EPID"
RC=$?
set -e
[ "$RC" -eq 0 ] && ok "engine: SIGINT -> exit 0" || not_ok "engine exit status"
expect 0 "stats --json after the stop" stats --json
lacks "\"engine_id\":\"$ENG\"" "a stopped engine leaves the registry"
grep -q "\"engine_id\":\"$ENG\".*\"promoted\":[1-9]" "$TMP/eout" && ok "engine --json prints its final counters" ||
    not_ok "engine final counters: $(cat "$TMP/eout")"
expect 2 "engine --tick-ms out of range" engine --tick-ms 0

finish
