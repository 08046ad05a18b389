#!/usr/bin/env bash
# End-to-end test of ffctl's suspension commands against a real server:
# `signal`, `secret rotate|list`, `suspended`, `waitpoints`,
# `waitpoint-token`. Suspended executions come from HELPER
# (tests/cli/suspend_helper.c): ffctl itself never suspends.
#
#   test_ffctl_signals.sh FFCTL HELPER [URL]
#
# URL as in test_ffctl.sh ($FF_URL, else $FF_TEST_URL_FILE). Fresh lanes,
# so the server may hold other data. Key rotations use fresh kids with a
# long grace, so tokens other tests hold stay valid.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_signals.sh FFCTL HELPER [URL]}
HELPER=${2:?usage: test_ffctl_signals.sh FFCTL HELPER [URL]}

TMP=$(mktemp -d /tmp/ffctl-sig.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_signals.sh "${3:-}"

# suspend LANE [--timeout-ms N] KEY...: sets EID, WP[key], TOK[key]
declare -A WP TOK
suspend() {
    local lane=$1
    shift
    "$HELPER" "$URL" "$lane" "$@" >"$TMP/susp"
    EID=$(head -n1 "$TMP/susp")
    while read -r id key tok; do
        WP[$key]=$id
        TOK[$key]=$tok
    done < <(tail -n +2 "$TMP/susp")
}

L="sig-$$-$RANDOM"

# ------------------------------------------------------------------ usage
expect 0 "signal --help" signal --help
has 'FF_INVALID_TOKEN' "signal help names the auth failure"
expect 2 "signal without --token" signal some-id --waitpoint w --name n
err_has 'required' "signal names the missing options"
expect 2 "signal with two payload sources" signal x --waitpoint w --token t --name n --payload a --payload-file b
expect 2 "secret without a subcommand" secret
expect 2 "secret rotate without --kid" secret rotate
expect 2 "suspended --cursor without --partition" suspended --cursor 5
expect 2 "waitpoint-token needs two ids" waitpoint-token only-one

# ------------------------------------------------ suspend, list, signal
suspend "$L" --timeout-ms 3600000 approval
[ -n "$EID" ] && [ -n "${TOK[approval]}" ] && ok "helper suspended $EID" || not_ok "helper output: $(cat "$TMP/susp")"
[ "$(field "$EID" public_state)" = suspended ] && ok "execution is suspended" || not_ok "state $(field "$EID" public_state)"

PART=$(printf '%s' "$EID" | sed -E 's/^\{fp:([0-9]+)\}.*/\1/')
expect 0 "suspended --partition" suspended --partition "$PART"
has "$EID" "the partition listing shows it"
has 'waiting_for_signal' "with its blocking reason"
expect 0 "suspended --partition --json" suspended --partition "$PART" --limit 1000 --json
has "\"execution_id\":\"\\{fp:$PART\\}:[^\"]*\"" "json rows"
has '"cursor":"0"' "json cursor 0 when complete"
expect 0 "suspended (all partitions)" suspended --limit 1000
has "$EID" "the all-partition listing shows it"
expect 0 "suspended --json (all partitions)" suspended --limit 1000 --json
has '"truncated":(true|false)' "all-partition json says whether it is complete"
expect 1 "suspended --partition out of range" suspended --partition 16000

expect 0 "waitpoints" waitpoints "$EID"
has "${WP[approval]} +approval +active" "lists the waitpoint"
lacks "${TOK[approval]#*:}" "waitpoints never prints the token"
expect 0 "waitpoints --json" waitpoints "$EID" --json
has '"fingerprint":"[0-9a-f]{16}"' "json fingerprint"
lacks "${TOK[approval]#*:}" "waitpoints --json never prints the token"

expect 0 "waitpoint-token" waitpoint-token "$EID" "${WP[approval]}"
[ "$OUT" = "${TOK[approval]}" ] && ok "waitpoint-token prints the raw token" || not_ok "token $OUT"
expect 1 "waitpoint-token of a bad waitpoint id" waitpoint-token "$EID" not-a-uuid

BAD="${TOK[approval]%?}0"
[ "$BAD" = "${TOK[approval]}" ] && BAD="${TOK[approval]%?}1"
expect 1 "signal with a tampered token" signal "$EID" --waitpoint "${WP[approval]}" --token "$BAD" --name approved
err_has 'FF_INVALID_TOKEN' "tampered token: FF_INVALID_TOKEN"
[ "$(field "$EID" public_state)" = suspended ] && ok "still suspended" || not_ok "state after a bad signal"

expect 0 "signal --json" signal "$EID" --waitpoint "${WP[approval]}" --token "${TOK[approval]}" --name approved \
    --source alice --payload '{"ok":true}' --idempotency-key once --json
has '"effect":"resume_condition_satisfied"' "the signal resumes it"
has '"duplicate":false' "first delivery is not a duplicate"
SID=$(printf '%s' "$OUT" | sed -E 's/.*"signal_id":"([^"]*)".*/\1/')
expect 0 "same signal again (idempotency key)" signal "$EID" --waitpoint "${WP[approval]}" \
    --token "${TOK[approval]}" --name approved --idempotency-key once
has "^$SID +resume_condition_satisfied +\\(duplicate" "the repeat returns the first signal"
[ "$(field "$EID" public_state)" = waiting ] && ok "resumed: waiting for a worker" || not_ok "state after the signal"
expect 1 "signal without a key after resume" signal "$EID" --waitpoint "${WP[approval]}" \
    --token "${TOK[approval]}" --name approved
err_has 'FF_WAITPOINT_CLOSED' "the resumed waitpoint is closed"

# ------------------------------------------- two waitpoints, token on stdin
suspend "$L-b" first second
E2=$EID
printf '%s\n' "${TOK[first]}" >"$TMP/tok"
set +e
"$FFCTL" signal "$E2" --waitpoint "${WP[first]}" --token - --name go <"$TMP/tok" >"$TMP/out" 2>"$TMP/err"
RC=$?
set -e
OUT=$(cat "$TMP/out")
[ "$RC" -eq 0 ] && ok "signal --token - reads the token from stdin" || not_ok "signal --token -"
has 'appended_to_waitpoint' "first of two: appended"
expect 1 "a token for the other waitpoint" signal "$E2" --waitpoint "${WP[second]}" --token "${TOK[first]}" --name go
err_has 'FF_INVALID_TOKEN' "foreign waitpoint token: FF_INVALID_TOKEN"
printf 'bin\001\000ary' >"$TMP/payload"
set +e
"$FFCTL" waitpoint-token "$E2" "${WP[second]}" 2>"$TMP/err" |
    "$FFCTL" signal "$E2" --waitpoint "${WP[second]}" --token - --name go --source-type webhook \
        --payload-file "$TMP/payload" >"$TMP/out" 2>>"$TMP/err"
RC=$?
set -e
OUT=$(cat "$TMP/out")
[ "$RC" -eq 0 ] && ok "waitpoint-token | signal --token -" || not_ok "token pipe"
has 'resume_condition_satisfied' "second of two: satisfied"

# ----------------------------------------------------------------- secret
expect 0 "secret list" secret list
has '^current kid +[A-Za-z0-9_.-]+' "secret list shows the current kid"
OLD=$(printf '%s\n' "$OUT" | sed -nE 's/^current kid +([^ ]+).*/\1/p')
KID="c$$x$RANDOM"
KID=${KID:0:20}
HEX=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
expect 0 "secret rotate" secret rotate --kid "$KID" --secret-hex "$HEX" --grace-ms 3600000
has "rotated: new tokens are signed with $KID" "rotate says what happened"
lacks "$HEX" "rotate never prints the secret"
expect 0 "secret rotate again (same kid, same secret)" secret rotate --kid "$KID" --secret-hex "$HEX" --json
has '"outcome":"noop"' "the same rotation is a no-op"
expect 1 "secret rotate: same kid, other secret" secret rotate --kid "$KID"
err_has 'FF_ROTATION_CONFLICT' "conflicting secret: FF_ROTATION_CONFLICT"
expect 0 "secret list --json" secret list --json
has "\"current_kid\":\"$KID\"" "json: the new kid is current"
has "\"kid\":\"$OLD\"" "json: the old kid is in grace"
has '"partitions_disagreeing":0' "json: every partition agrees"
lacks "$HEX" "secret list never prints the secret"
expect 2 "secret rotate with a bad grace" secret rotate --kid x --grace-ms -1
suspend "$L-c" approval
case "${TOK[approval]}" in "$KID":*) ok "new tokens carry the new kid" ;; *) not_ok "token ${TOK[approval]}" ;; esac
expect 0 "signal with a new-kid token" signal "$EID" --waitpoint "${WP[approval]}" --token "${TOK[approval]}" \
    --name approved
has 'resume_condition_satisfied' "new-kid token verifies"

finish
