#!/usr/bin/env bash
# Secrets stay secret: against a password-protected server (requirepass and
# an ACL user), no password appears in what ffctl prints (worker and engine
# start lines, errors, the demo) nor in the environment of the commands
# `ffctl worker --exec` runs, which get the documented task variables.
#
#   test_ffctl_secrets.sh FFCTL
#
# Runs a redis-server of its own (tests/support/redis-test-server.sh) in a
# temp dir and stops it, and every ffctl it starts, by pid.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_secrets.sh FFCTL}
[ -x "$FFCTL" ] || { echo "test_ffctl_secrets.sh: $FFCTL is not executable" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
SERVER_SCRIPT=$HERE/../support/redis-test-server.sh

TMP=$(mktemp -d /tmp/ffsec.XXXXXX)
BG_PIDS=()
cleanup() {
    local p
    for p in "${BG_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
    bash "$SERVER_SCRIPT" stop "$TMP/srv" >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

STRICT_EXPECT=1
# shellcheck source=lib.sh
. "$HERE/lib.sh"
unset FF_URL FF_HOME

PW='Sup3r-Secret-pw'
ACL_PW='Acl-Secret-pw'
HMAC=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
URL0=$(bash "$SERVER_SCRIPT" start "$TMP/srv")
PORT=${URL0##*:}
rcli() { redis-cli -p "$PORT" --no-auth-warning "$@"; }
rcli ACL SETUSER wkr on ">$ACL_PW" '~*' '&*' '+@all' >/dev/null
rcli CONFIG SET requirepass "$PW" >/dev/null
PW_URL="redis://:$PW@127.0.0.1:$PORT"
ACL_URL="redis://wkr:$ACL_PW@127.0.0.1:$PORT"

# no_secret FILE DESCRIPTION: neither password (nor the HMAC secret) in FILE.
no_secret() {
    if grep -Fq -e "$PW" -e "$ACL_PW" -e "$HMAC" "$1"; then
        not_ok "$2 (a secret appears)"
        sed 's/^/    | /' "$1" | head -20
    else
        ok "$2"
    fi
}
file_has() { if grep -Eq -- "$2" "$1"; then ok "$3"; else not_ok "$3 (no /$2/ in $1)"; sed 's/^/    | /' "$1" | head -20; fi; }
file_lacks() { if grep -Eq -- "$2" "$1"; then not_ok "$3 (/$2/ in $1)"; else ok "$3"; fi; }

# ------------------------------------------------------ connecting wrongly
expect 1 "no password" --url "redis://127.0.0.1:$PORT" lanes
err_has '^error: FF_EAUTH: .*NOAUTH' "no password: FF_EAUTH with the server's NOAUTH"
expect 1 "wrong password" --url "redis://:Wrong-Guess-pw@127.0.0.1:$PORT" lanes
err_has '^error: FF_EAUTH: .*WRONGPASS' "wrong password: FF_EAUTH with the server's WRONGPASS"
no_secret "$TMP/err" "the error does not show the password typed"
if grep -Fq 'Wrong-Guess-pw' "$TMP/err"; then not_ok "wrong password not echoed"; else ok "wrong password not echoed"; fi

# ---------------------------------------- worker: start line and child env
LANE=sec-$$-$RANDOM
expect 0 "submit with the password in --url" --url "$PW_URL" submit --kind sec.kind --lane "$LANE" --payload hi -q
EID=$OUT
export OUTDIR=$TMP FF_HMAC_SECRET=$HMAC
expect 0 "worker with the password in --url" --url "$PW_URL" worker --lane "$LANE" --max-tasks 1 --no-engine \
    --exec 'env > "$OUTDIR/env1"; cat'
cp "$TMP/err" "$TMP/werr1"
file_has "$TMP/werr1" "on redis://:\\*\\*\\*@127\\.0\\.0\\.1:$PORT," "worker start line shows the redacted URL"
no_secret "$TMP/werr1" "worker output holds no password"
no_secret "$TMP/env1" "the command's environment holds no password or HMAC secret"
file_lacks "$TMP/env1" '^FF_HMAC_SECRET=' "FF_HMAC_SECRET is not passed to the command"
file_lacks "$TMP/env1" '^FF_URL=' "no FF_URL for the command when the URL has a password"
file_has "$TMP/env1" "^FF_EXECUTION_ID=$(printf '%s' "$EID" | sed 's/[{}]/\\&/g')\$" "FF_EXECUTION_ID"
file_has "$TMP/env1" '^FF_ATTEMPT=0$' "FF_ATTEMPT"
file_has "$TMP/env1" '^FF_ATTEMPT_ID=[0-9a-f-]{36}$' "FF_ATTEMPT_ID"
file_has "$TMP/env1" '^FF_ATTEMPT_TYPE=initial$' "FF_ATTEMPT_TYPE"
file_has "$TMP/env1" '^FF_KIND=sec\.kind$' "FF_KIND"
file_has "$TMP/env1" "^FF_LANE=$LANE\$" "FF_LANE"
file_has "$TMP/env1" '^FF_NAMESPACE=' "FF_NAMESPACE"
file_has "$TMP/env1" '^FF_WORKER_INSTANCE_ID=.+' "FF_WORKER_INSTANCE_ID"
file_has "$TMP/env1" '^OUTDIR=' "the rest of ffctl's environment is kept"

# the ACL user's password in $FF_URL
expect 0 "submit (ACL user in FF_URL)" submit --url "$ACL_URL" --kind sec.kind --lane "$LANE" -q
export FF_URL=$ACL_URL
expect 0 "worker with an ACL user in FF_URL" worker --lane "$LANE" --max-tasks 1 --no-engine \
    --exec 'env > "$OUTDIR/env2"; cat'
cp "$TMP/err" "$TMP/werr2"
unset FF_URL
file_has "$TMP/werr2" "on redis://wkr:\\*\\*\\*@127\\.0\\.0\\.1:$PORT," "start line keeps the user, hides the password"
no_secret "$TMP/werr2" "worker output holds no ACL password"
no_secret "$TMP/env2" "the command's environment holds no ACL password"
file_lacks "$TMP/env2" '^FF_URL=' "FF_URL with a password is removed from the command's environment"

# -------------------------------------------------------- engine start line
"$FFCTL" --url "$PW_URL" engine >"$TMP/eout" 2>"$TMP/eerr" &
EPID=$!
BG_PIDS+=("$EPID")
for _ in $(seq 200); do grep -q 'sweeping' "$TMP/eerr" && break; sleep 0.05; done
kill -INT "$EPID" 2>/dev/null || true
wait "$EPID" || true
file_has "$TMP/eerr" "sweeping [0-9]+ partitions of redis://:\\*\\*\\*@127\\.0\\.0\\.1:$PORT" "engine start line shows the redacted URL"
no_secret "$TMP/eerr" "engine output holds no password"

# --------------------------------------------- the demo's worker process
expect 0 "demo on a password-protected server" --url "$PW_URL" demo
has '^demo OK' "demo succeeds (its separate worker process gets the password privately)"
no_secret "$TMP/out" "demo output holds no password"
no_secret "$TMP/err" "demo errors hold no password"

# ------------------------------------------- credential-free URL: passed on
rcli -a "$PW" --no-auth-warning CONFIG SET requirepass '' >/dev/null
expect 0 "submit without a password" --url "redis://127.0.0.1:$PORT" submit --kind k --lane "$LANE" -q
expect 0 "worker without a password" --url "redis://127.0.0.1:$PORT" worker --lane "$LANE" --max-tasks 1 \
    --no-engine --exec 'env > "$OUTDIR/env3"; cat'
file_has "$TMP/env3" "^FF_URL=redis://127\\.0\\.0\\.1:$PORT\$" "a URL without a password is handed on as FF_URL"
file_lacks "$TMP/env3" '^FF_HMAC_SECRET=' "FF_HMAC_SECRET never reaches the command"

finish
