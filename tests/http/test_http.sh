#!/usr/bin/env bash
# End-to-end test of `ffctl serve` against a real server, with curl: bearer
# auth, typed 400/404/405/409/413 errors, submit -> describe -> a worker
# (`ffctl worker`) completes it -> binary result bytes, priority, replay,
# cancel, lane pause/resume, paged listings, flows, signal ingress resuming
# a suspended execution, the approval form (token never logged or echoed
# after use), /healthz and /metrics. Every curl line of docs/http.md is one
# this script runs (checked at the end), so the page cannot rot.
#
#   test_http.sh FFCTL HELPER [URL]      (HELPER: tests/cli/suspend_helper.c)
#
# No timing assertions: waits are bounded polls for a condition.
set -euo pipefail

FFCTL=${1:?usage: test_http.sh FFCTL HELPER [URL]}
HELPER=${2:?usage: test_http.sh FFCTL HELPER [URL]}
FFCTL=$(realpath "$FFCTL")
HELPER=$(realpath "$HELPER")
SELF=$(realpath "$0")
HERE=$(cd "$(dirname "$0")" && pwd)
DOC="$HERE/../../docs/http.md"
OPS="$HERE/../../docs/operations.md"

TMP=$(mktemp -d /tmp/ffctl-http.XXXXXX)
SERVE_PID=""
ENGINE_PID=""
WORKER_PID=""
cleanup() {
    if [ -n "$WORKER_PID" ]; then kill "$WORKER_PID" 2>/dev/null || true; wait "$WORKER_PID" 2>/dev/null || true; fi
    if [ -n "$ENGINE_PID" ]; then kill "$ENGINE_PID" 2>/dev/null || true; wait "$ENGINE_PID" 2>/dev/null || true; fi
    if [ -n "$SERVE_PID" ]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=../cli/lib.sh
. "$HERE/../cli/lib.sh"
resolve_url test_http.sh "${3:-}"
cd "$TMP"

# ------------------------------------------------------------ usage
expect 0 "serve --help" serve --help
has 'token-file' "help names --token-file"
expect 2 "a missing token file" serve --token-file "$TMP/none"
: >"$TMP/empty"
expect 2 "an empty token file" serve --token-file "$TMP/empty"
expect 1 "a malformed --listen" serve --listen nonsense
err_has 'HOST:PORT' "names the expected form"
expect 1 "a host name is not an address" serve --listen localhost:0
"$FFCTL" serve --listen 0.0.0.0:0 >"$TMP/wide.out" 2>"$TMP/wide.err" &
WIDE=$!
wait_for 30 grep -q '^listening on port' "$TMP/wide.out" || true
kill -TERM "$WIDE"
wait "$WIDE" || true
if grep -q '^warning: .*non-loopback' "$TMP/wide.err"; then ok "a non-loopback address warns"; else not_ok "no warning: $(cat "$TMP/wide.err")"; fi

L="http-$$-$RANDOM"
TOKEN="tok-$RANDOM$RANDOM-do-not-log"
echo "$TOKEN" >"$TMP/token"
"$FFCTL" serve --listen 127.0.0.1:0 --token-file "$TMP/token" >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVE_PID=$!
if ! wait_for 30 grep -q '^listening on port [0-9]' "$TMP/serve.out"; then
    echo "not ok - serve did not start: $(cat "$TMP/serve.err")"
    exit 1
fi
PORT=$(sed -n 's/^listening on port //p' "$TMP/serve.out")
FF_HTTP=http://127.0.0.1:$PORT
ok "serve listens on port $PORT"

# doc WANT DESC CURL...: run the curl command; the body is in $OUT, the
# HTTP status in $RC; compare the status.
doc() {
    local want=$1 desc=$2
    shift 2
    rm -f "$TMP/out"
    set +e
    RC=$("$@" -o "$TMP/out" -w '%{http_code}' 2>"$TMP/err")
    set -e
    [ -f "$TMP/out" ] || : >"$TMP/out"
    OUT=$(cat "$TMP/out")
    if [ "$RC" = "$want" ]; then ok "$desc"; else not_ok "$desc (HTTP $RC, wanted $want)"; fi
}
jf() { jq -r "$1" <<<"$OUT"; }
# is VALUE WANT DESC
is() { if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3 (got '$1', wanted '$2')"; fi; }

# ------------------------------------------------------------ auth
doc 401 "no token: 401" curl -sg "$FF_HTTP/api/v1/lanes"
is "$(jf .error.code)" unauthorized "401 has the typed error body"
doc 401 "wrong token: 401" curl -sg -H "Authorization: Bearer nope" "$FF_HTTP/api/v1/lanes"
doc 401 "a prefix of the token: 401" curl -sg -H "Authorization: Bearer ${TOKEN%?}" "$FF_HTTP/api/v1/lanes"
doc 200 "lanes with the token" curl -sg -H "Authorization: Bearer $TOKEN" "$FF_HTTP/api/v1/lanes"
has '"lanes":\[' "lanes document"
A="Authorization: Bearer $TOKEN"

# ------------------------------------------------------------ errors
doc 404 "unknown route" curl -sg -H "$A" "$FF_HTTP/api/v1/nothing"
is "$(jf .error.code)" route_not_found "unknown route code"
doc 405 "wrong method" curl -sg -H "$A" -X DELETE "$FF_HTTP/api/v1/lanes"
doc 404 "unknown execution" curl -sg -H "$A" "$FF_HTTP/api/v1/executions/{fp:1}:00000000-0000-4000-8000-000000000000"
is "$(jf .error.status)" FF_EXECUTION_NOT_FOUND "typed not-found status"
is "$(jf .error.code)" execution_not_found "typed not-found code"
doc 404 "unknown flow" curl -sg -H "$A" "$FF_HTTP/api/v1/flows/{fp:1}:00000000-0000-4000-8000-000000000000"
is "$(jf .error.status)" FF_FLOW_NOT_FOUND "flow not found"
doc 400 "malformed execution id" curl -sg -H "$A" "$FF_HTTP/api/v1/executions/garbage"
is "$(jf .error.status)/$(jf .error.code)" FF_EINVAL/invalid_input "bad id: FF_EINVAL invalid_input"
doc 400 "body not JSON" curl -sg -H "$A" -X POST -d 'nope' "$FF_HTTP/api/v1/executions"
is "$(jf .error.code)" invalid_json "invalid_json"
doc 400 "unknown field" curl -sg -H "$A" -X POST -d '{"kind":"k","colour":1}' "$FF_HTTP/api/v1/executions"
has "unknown field 'colour'" "names the field"
doc 400 "missing kind" curl -sg -H "$A" -X POST -d '{"lane":"x"}' "$FF_HTTP/api/v1/executions"
doc 400 "bad lane" curl -sg -H "$A" -X POST -d '{"kind":"k","lane":"a\u0001b"}' "$FF_HTTP/api/v1/executions"
doc 400 "bad base64" curl -sg -H "$A" -X POST -d '{"kind":"k","payload_base64":"!!"}' "$FF_HTTP/api/v1/executions"
doc 400 "count out of range" curl -sg -H "$A" "$FF_HTTP/api/v1/lanes?count=0"
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' x >"$TMP/big"
doc 413 "submit body over 1 MiB" curl -sg -H "$A" -X POST --data-binary @"$TMP/big" "$FF_HTTP/api/v1/executions"
is "$(jf .error.code)" body_too_large "413 has a JSON error"
head -c $((64 * 1024 + 1)) /dev/zero | tr '\0' x >"$TMP/mid"
doc 413 "other routes: over 64 KiB" curl -sg -H "$A" -X POST --data-binary @"$TMP/mid" "$FF_HTTP/api/v1/lanes/$L/pause"

# ------------------------------------------------------------ executions
# Lane web is the docs' lane: nothing of an earlier run may wait there.
for id in $("$FFCTL" list --lane web --state waiting --limit 1000 --json | jq -r '.ids[]'); do
    "$FFCTL" cancel "$id" >/dev/null
done
doc 201 "submit (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST -d '{"kind":"email","lane":"web","payload":"hi","priority":5,"tags":{"team":"ops"}}' "$FF_HTTP/api/v1/executions"
EID=$(jf .execution_id)
is "$(jf .state)" waiting "submitted waiting"
doc 200 "describe (docs)" curl -sg -H "Authorization: Bearer $TOKEN" "$FF_HTTP/api/v1/executions/$EID"
is "$(jf .kind)/$(jf .lane)/$(jf .public_state)" email/web/waiting "the describe document"
doc 409 "result before completion (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -o result.bin "$FF_HTTP/api/v1/executions/$EID/result"
doc 200 "priority (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST -d '{"priority":9}' "$FF_HTTP/api/v1/executions/$EID/priority"
is "$(jf .old_priority)" 5 "answers the old priority"
doc 400 "priority must be an integer" curl -sg -H "$A" -X POST -d '{"priority":"high"}' "$FF_HTTP/api/v1/executions/$EID/priority"
doc 201 "idempotent submit" curl -sg -H "$A" -X POST -d '{"kind":"k","lane":"'"$L"'","idempotency_key":"once"}' "$FF_HTTP/api/v1/executions"
doc 200 "the repeat is 200 duplicate" curl -sg -H "$A" -X POST -d '{"kind":"k","lane":"'"$L"'","idempotency_key":"once"}' "$FF_HTTP/api/v1/executions"
is "$(jf .duplicate)" true "duplicate: true"
"$FFCTL" cancel "$(jf .execution_id)" >/dev/null

# A worker claims and completes it with bytes that hold a NUL.
expect 0 "ffctl worker completes it" worker --lane web --exec "printf 'a\\000b\\377'" --max-tasks 1 --no-engine -q
rm -f result.bin
doc 200 "result (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -o result.bin "$FF_HTTP/api/v1/executions/$EID/result"
printf 'a\000b\377' >"$TMP/want.bin"
if cmp -s result.bin "$TMP/want.bin"; then ok "result bytes are binary-safe"; else not_ok "result bytes: $(od -c result.bin | head -2)"; fi
curl -sg -H "$A" -D "$TMP/hdr" -o /dev/null "$FF_HTTP/api/v1/executions/$EID/result"
if grep -qi '^content-type: application/octet-stream' "$TMP/hdr"; then ok "result content type"; else not_ok "result headers: $(cat "$TMP/hdr")"; fi
doc 200 "replay (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST "$FF_HTTP/api/v1/executions/$EID/replay"
is "$(jf .outcome)" waiting "replayed: waiting"
doc 200 "cancel (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST -d '{"reason":"duplicate order"}' "$FF_HTTP/api/v1/executions/$EID/cancel"
is "$(jf .outcome)" cancelled "cancelled"
doc 409 "revoke without a lease (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST -d '{"reason":"stuck worker"}' "$FF_HTTP/api/v1/executions/$EID/revoke"
is "$(jf .error.status)" FF_EXECUTION_NOT_ACTIVE "revoke: typed state error"
doc 409 "priority of a terminal one" curl -sg -H "$A" -X POST -d '{"priority":1}' "$FF_HTTP/api/v1/executions/$EID/priority"
doc 201 "submit with payload_base64" curl -sg -H "$A" -X POST -d '{"kind":"k","lane":"'"$L"'","payload_base64":"AAEC/w=="}' "$FF_HTTP/api/v1/executions"
B64=$(jf .execution_id)
doc 200 "describe it" curl -sg -H "$A" "$FF_HTTP/api/v1/executions/$B64"

# Revoke a lease a running worker holds.
RID=$("$FFCTL" submit --kind k --lane "$L-r" -q)
"$FFCTL" worker --lane "$L-r" --exec 'sleep 60' --max-tasks 1 --no-engine -q >"$TMP/worker.out" 2>&1 &
WORKER_PID=$!
is_active() { [ "$(field "$RID" public_state)" = active ]; }
if wait_for 30 is_active; then ok "a worker holds the lease"; else not_ok "never active"; fi
doc 200 "revoke a held lease" curl -sg -H "$A" -X POST -d '{"reason":"test"}' "$FF_HTTP/api/v1/executions/$RID/revoke"
is "$(jf .outcome)" revoked "revoked"
has '"lease_id":"[^"]+"' "names the revoked lease"
doc 200 "cancel it" curl -sg -H "$A" -X POST "$FF_HTTP/api/v1/executions/$RID/cancel"
kill "$WORKER_PID" 2>/dev/null || true
wait "$WORKER_PID" 2>/dev/null || true
WORKER_PID=""

# ------------------------------------------------------------ lanes, listings
doc 200 "pause (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST -d '{"reason":"db migration"}' "$FF_HTTP/api/v1/lanes/web/pause"
is "$(jf .paused)" true "paused"
doc 200 "lanes show the pause" curl -sg -H "$A" "$FF_HTTP/api/v1/lanes?count=1000"
is "$(jq -r '.lanes[] | select(.lane == "web") | .reason' <<<"$OUT")" "db migration" "the reason is listed"
doc 200 "resume (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST "$FF_HTTP/api/v1/lanes/web/resume"
is "$(jf .was_paused)" true "resumed"
doc 200 "counts (docs)" curl -sg -H "Authorization: Bearer $TOKEN" "$FF_HTTP/api/v1/lanes/web/counts"
has '"cancelled":[1-9]' "counts document"
doc 200 "lane listing (docs)" curl -sg -H "Authorization: Bearer $TOKEN" "$FF_HTTP/api/v1/lanes/web/executions?state=waiting&count=2"
doc 200 "suspended (docs)" curl -sg -H "Authorization: Bearer $TOKEN" "$FF_HTTP/api/v1/suspended?count=10"
doc 200 "workers (docs)" curl -sg -H "Authorization: Bearer $TOKEN" "$FF_HTTP/api/v1/workers?lane=web"
has '"workers":\[' "workers document"

# Paging: 5 waiting on our lane (B64 and 4 more), read 2 at a time.
for i in 1 2 3 4; do
    curl -sg -H "$A" -X POST -d '{"kind":"k","lane":"'"$L"'"}' "$FF_HTTP/api/v1/executions" >/dev/null
done
seen=0 pages=0 cursor=""
while :; do
    doc 200 "listing page $((pages + 1))" curl -sg -H "$A" "$FF_HTTP/api/v1/lanes/$L/executions?state=waiting&count=2&cursor=$cursor"
    seen=$((seen + $(jq '.execution_ids | length' <<<"$OUT")))
    pages=$((pages + 1))
    cursor=$(jf '.next_cursor // ""')
    { [ -z "$cursor" ] || [ "$pages" -ge 10 ]; } && break
done
is "$seen" 5 "paging saw all 5"
[ "$pages" -ge 3 ] && ok "in pages of 2" || not_ok "only $pages pages"
doc 400 "a bad suspended cursor" curl -sg -H "$A" "$FF_HTTP/api/v1/suspended?cursor=zz"

# ------------------------------------------------------------ flows
FLOW=$("$FFCTL" flow create --lane "$L" | cut -d' ' -f1)
doc 200 "flow describe (docs)" curl -sg -H "Authorization: Bearer $TOKEN" "$FF_HTTP/api/v1/flows/$FLOW"
is "$(jf .flow_id)" "$FLOW" "the flow document"
doc 400 "flow cancel without a policy" curl -sg -H "$A" -X POST "$FF_HTTP/api/v1/flows/$FLOW/cancel"
is "$(jf .error.status)" FF_INVALID_FLOW_POLICY "typed policy error"
doc 200 "flow cancel (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST -d '{"policy":"cancel_all"}' "$FF_HTTP/api/v1/flows/$FLOW/cancel"
is "$(jf .policy)" cancel_all "policy in force"

# ------------------------------------------------------------ signals
# suspend LANE KEY: EID, WP, WPTOKEN of a fresh suspended execution.
suspend() {
    "$HELPER" "$URL" "$1" --timeout-ms 3600000 "$2" >"$TMP/susp"
    EID=$(head -n1 "$TMP/susp")
    read -r WP _ WPTOKEN < <(sed -n 2p "$TMP/susp")
}
suspend "$L-s" approval
is "$(field "$EID" public_state)" suspended "the helper suspended one"
doc 200 "suspended lists it" curl -sg -H "$A" "$FF_HTTP/api/v1/suspended?count=1000"
has "$EID" "in the suspended listing"
doc 403 "signal with a bad token" curl -sg -H "$A" -X POST -d '{"waitpoint_key":"approval","token":"k1:00","name":"approved"}' "$FF_HTTP/api/v1/executions/$EID/signals"
is "$(jf .error.status)" FF_INVALID_TOKEN "typed token error"
doc 400 "signal without a name" curl -sg -H "$A" -X POST -d '{"waitpoint_key":"approval","token":"x"}' "$FF_HTTP/api/v1/executions/$EID/signals"
doc 404 "signal to an unknown key" curl -sg -H "$A" -X POST -d '{"waitpoint_key":"nope","token":"x","name":"n"}' "$FF_HTTP/api/v1/executions/$EID/signals"
doc 200 "signal (docs)" curl -sg -H "Authorization: Bearer $TOKEN" -X POST -d '{"waitpoint_key":"approval","token":"'"$WPTOKEN"'","name":"approved","payload":"ok"}' "$FF_HTTP/api/v1/executions/$EID/signals"
is "$(jf .effect)" resume_condition_satisfied "the signal resumed it"
is "$(field "$EID" public_state)" waiting "resumed: waiting to be claimed"

# ------------------------------------------------------------ approval form
suspend "$L-s" approval
doc 200 "approval form (docs)" curl -sg "$FF_HTTP/approve/$EID/$WP?token=$WPTOKEN"
has '<form method="post"' "a form"
has 'name="decision" value="approve"' "with an approve button"
lacks '<script' "no JavaScript"
doc 400 "approval form without a token" curl -sg "$FF_HTTP/approve/$EID/$WP"
doc 403 "approval POST with a wrong token" curl -sg -X POST -d 'token=k1%3A00&decision=approve' "$FF_HTTP/approve/$EID/$WP"
is "$(field "$EID" public_state)" suspended "a wrong token changes nothing"
doc 200 "approval POST (docs)" curl -sg -X POST --data-urlencode "token=$WPTOKEN" -d decision=approve "$FF_HTTP/approve/$EID/$WP"
has 'resume_condition_satisfied' "the page names the effect"
lacks "$WPTOKEN" "the page after use does not echo the token"
is "$(field "$EID" public_state)" waiting "approved: resumed"

# ------------------------------------------------------------ health, metrics
"$FFCTL" engine -q >"$TMP/engine.out" 2>&1 &
ENGINE_PID=$!
if wait_for 60 curl -sgf -o /dev/null "$FF_HTTP/healthz"; then ok "healthz turns 200 with an engine"; else not_ok "healthz never 200"; fi
doc 200 "healthz (docs)" curl -sg "$FF_HTTP/healthz"
is "$(jf .status)/$(jf .library_loaded)" ok/true "healthz document"
doc 200 "metrics (docs)" curl -sg "$FF_HTTP/metrics"
nmet=0
for name in $(sed -n '/^## HTTP metrics/,/^## /p' "$OPS" | grep -oE '^\| `ff_[a-z_]+`' | tr -d '|` ' | sort -u); do
    nmet=$((nmet + 1))
    has "^$name(_bucket|_sum|_count)?[{ ]" "metrics has $name (operations.md)"
done
[ "$nmet" -ge 10 ] && ok "$nmet metric names documented" || not_ok "only $nmet metric names in operations.md"
has '^ff_lane_executions\{lane="web",state="cancelled"\} [1-9]' "per-lane counts"
has '^ff_http_requests_total\{route="/api/v1/executions/\{\}",method="GET",status="404"\} [1-9]' "requests by route and status"
has '^ff_http_request_duration_seconds_bucket\{route="/api/v1/executions",le="\+Inf"\} [1-9]' "latency histogram"

# ------------------------------------------------------------ logs, docs, stop
if grep -Fq "$TOKEN" "$TMP/serve.err" || grep -Fq "${WPTOKEN#*:}" "$TMP/serve.err" || grep -q '?' "$TMP/serve.err"; then
    not_ok "a token or a query string reached the log"
else
    ok "no token and no query string in the log"
fi
if grep -Eq '^http: GET /approve/\{\}/\{\} 200 [0-9.]+ms$' "$TMP/serve.err"; then ok "access log line"; else not_ok "access log: $(tail -3 "$TMP/serve.err")"; fi

ndoc=0
while IFS= read -r line; do
    ndoc=$((ndoc + 1))
    if grep -Fq -- "$line" "$SELF"; then ok "docs/http.md line $ndoc is tested"; else not_ok "docs/http.md: not run by the test: $line"; fi
done < <(grep -E '^curl ' "$DOC")
[ "$ndoc" -ge 20 ] && ok "$ndoc curl examples in docs/http.md" || not_ok "only $ndoc curl lines in docs/http.md"

kill -TERM "$SERVE_PID"
set +e
wait "$SERVE_PID"
RC=$?
set -e
SERVE_PID=""
is "$RC" 0 "SIGTERM stops serve with status 0"
[ "$RC" = 0 ] || grep -v '^http: ' "$TMP/serve.err" | head -60
finish
