#!/usr/bin/env bash
# End-to-end test of `ffctl logs` and `ffctl summary` against a real server.
# Streams are written by `ffctl worker`, which appends each stderr line of
# its command to the attempt's output stream.
#
#   test_ffctl_streams.sh FFCTL [URL]
#
# Fresh lane names; no timing assertions (waits are for conditions, bounded).
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_streams.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-st.XXXXXX)
BG=()
cleanup() {
    for p in "${BG[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_streams.sh "${2:-}"
submit() { "$FFCTL" submit -q "$@"; }

L="st-$$-$RANDOM"

# ------------------------------------------------------------ usage
expect 2 "logs without an id" logs
err_has 'missing execution id' "logs names the missing id"
expect 2 "logs --attempt out of range" logs x --attempt -1
expect 0 "logs --help" logs --help
has 'follow' "logs help documents -f"
expect 1 "logs of a malformed id" logs nope
expect 1 "logs of an unknown execution" logs '{fp:0}:00000000-0000-4000-8000-000000000000'
err_has 'FF_EXECUTION_NOT_FOUND' "unknown execution: typed error"
expect 2 "summary without an id" summary

# ------------------------------------------------------------ logs of a finished execution
ID=$(submit --kind k --lane "$L" --payload x)
expect 0 "worker streams stderr lines" worker --lane "$L" --max-tasks 1 -q \
    --exec 'echo "step one" >&2; printf "bin\001ary\n" >&2; echo "step two" >&2; echo result'
expect 0 "logs ID" logs "$ID"
EXPECTED=$'step one\nbin\\x01ary\nstep two'
[ "$OUT" = "$EXPECTED" ] && ok "frames in order, control bytes escaped" || not_ok "logs output: '$OUT'"
err_has 'stream closed: attempt_success' "logs says why the stream closed"
expect 0 "logs --timestamps" logs "$ID" --timestamps
has '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z stderr step one$' "timestamp and type prefix"
expect 0 "logs --json" logs "$ID" --json
has '"attempt":0,"id":"[0-9]+-[0-9]+","type":"stderr","mode":"durable"' "json frame fields"
has '"payload":"step two"' "json payload"
expect 0 "logs -f of an ended execution returns" logs "$ID" -f
[ "$OUT" = "$EXPECTED" ] && ok "-f on a closed stream prints it and exits" || not_ok "-f output: '$OUT'"
expect 0 "logs --attempt 0" logs "$ID" --attempt 0
[ "$OUT" = "$EXPECTED" ] && ok "--attempt 0" || not_ok "--attempt 0: '$OUT'"
expect 0 "logs --attempt 5 (never ran)" logs "$ID" --attempt 5
[ -z "$OUT" ] && ok "an attempt that never ran has no frames" || not_ok "--attempt 5: '$OUT'"

# --no-logs writes no frame
NL_ID=$(submit --kind k --lane "$L" --payload x)
expect 0 "worker --no-logs" worker --lane "$L" --max-tasks 1 -q --no-logs --exec 'echo quiet >&2; echo r'
expect 0 "logs of a --no-logs run" logs "$NL_ID"
[ -z "$OUT" ] && ok "--no-logs: nothing streamed" || not_ok "--no-logs: '$OUT'"

# ------------------------------------------------------------ follow across a retry
R_ID=$(submit --kind k --lane "$L" --retries 1 --backoff-ms 100)
"$FFCTL" logs "$R_ID" -f >"$TMP/follow" 2>"$TMP/follow_err" &
FPID=$!
BG+=("$FPID")
expect 0 "worker with a failing first attempt" worker --lane "$L" --idle-exit-ms 1500 -q \
    --exec 'echo "try $FF_ATTEMPT" >&2; [ "$FF_ATTEMPT" -ge 1 ] && { echo ok; exit 0; }; exit 3'
gone() { ! kill -0 "$FPID" 2>/dev/null; }
if wait_for 30 gone; then ok "logs -f ends when the last attempt's stream closes"; else
    not_ok "logs -f still running"; kill -KILL "$FPID"; fi
set +e
wait "$FPID"
RC=$?
set -e
[ "$RC" -eq 0 ] && ok "logs -f exit 0" || not_ok "logs -f exit status"
[ "$(cat "$TMP/follow")" = $'try 0\ntry 1' ] && ok "-f prints both attempts' frames in order" ||
    not_ok "follow output: $(cat "$TMP/follow")"
grep -q '^# attempt 1$' "$TMP/follow_err" && ok "-f marks the next attempt" || not_ok "no attempt marker"
expect 0 "logs --attempt 1 only" logs "$R_ID" --attempt 1
[ "$OUT" = "try 1" ] && ok "--attempt 1" || not_ok "--attempt 1: '$OUT'"

# ------------------------------------------------------------ summary
expect 0 "summary of an execution without one" summary "$ID"
has '^no summary \(attempt 0\)$' "no summary"
expect 0 "summary --json" summary "$ID" --json
has '^\{"attempt":0,"created":null,"document":null,"updated":null,"version":0\}$' "summary --json without one"

S_ID=$(submit --kind k --lane "$L" --payload x)
expect 0 "worker writes a summary" worker --lane "$L" --max-tasks 1 -q \
    --exec 'echo "::summary {\"done\":1,\"stage\":{\"name\":\"a\"}}" >&2; echo "::summary {\"stage\":{\"name\":\"b\"}}" >&2; echo r'
expect 0 "summary ID" summary "$S_ID"
has '^\{"done":1,"stage":\{"name":"b"\}\}$' "the merged document"
has '^# attempt 0, version 2$' "attempt and version"
expect 0 "summary --json" summary "$S_ID" --json
has '"document":\{"done":1,"stage":\{"name":"b"\}\}' "summary --json document"
has '"version":2' "summary --json version"
expect 0 "logs shows the summary frames" logs "$S_ID" --durable-only
has '^\{"stage":\{"name":"b"\}\}$' "a summary frame is a frame too (its patch)"

finish
