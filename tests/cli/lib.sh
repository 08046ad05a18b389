# Shared harness of the ffctl test scripts (sourced, not run).
#
# Before sourcing: FFCTL (the binary) and TMP (a scratch dir) are set.
# Optional: STRICT_EXPECT=1 makes `expect` also require, on exit 1, an
# "error: FF_NAME: detail" line and, on exit 2, usage text on stderr.

PASS=0
FAIL=0
RC=0
OUT=""
ERR=""

# resolve_url SCRIPT [URL]: the URL argument, else $FF_URL, else the file
# named by $FF_TEST_URL_FILE (the ctest redis fixture); set as URL and
# exported as FF_URL.
resolve_url() {
    local script=$1 url=${2:-${FF_URL:-}}
    if [ -z "$url" ] && [ -n "${FF_TEST_URL_FILE:-}" ] && [ -s "$FF_TEST_URL_FILE" ]; then
        url=$(cat "$FF_TEST_URL_FILE")
    fi
    [ -n "$url" ] || { echo "$script: no server URL (argument, FF_URL or FF_TEST_URL_FILE)" >&2; exit 2; }
    URL=$url
    export FF_URL=$url
}

# wait_for SECONDS CMD...: until CMD succeeds, bounded (polls every 0.1 s).
wait_for() {
    local limit=$(($1 * 10))
    shift
    for ((i = 0; i < limit; i++)); do
        if "$@"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# run ARGS...: run ffctl, keeping stdout in $OUT, stderr in $ERR, status in $RC.
run() {
    set +e
    "$FFCTL" "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    set -e
    OUT=$(cat "$TMP/out")
    ERR=$(cat "$TMP/err")
}

ok() {
    PASS=$((PASS + 1))
    echo "ok - $1"
}

not_ok() {
    FAIL=$((FAIL + 1))
    echo "not ok - $1"
    echo "    exit status: $RC"
    echo "    stdout: $(head -c 2000 "$TMP/out")"
    echo "    stderr: $(head -c 2000 "$TMP/err")"
}

# expect STATUS DESCRIPTION ARGS...: ffctl ARGS exits with STATUS.
expect() {
    local want=$1 desc=$2
    shift 2
    run "$@"
    if [ "$RC" -ne "$want" ]; then
        not_ok "$desc (wanted exit $want)"
        return 0
    fi
    if [ "${STRICT_EXPECT:-0}" = 1 ]; then
        if [ "$want" -eq 1 ] && ! grep -Eq '^error: FF_[A-Z_]+: .+' "$TMP/err"; then
            not_ok "$desc (no 'error: FF_NAME: detail' line)"
            return 0
        fi
        if [ "$want" -eq 2 ] && ! grep -q 'usage' "$TMP/err"; then
            not_ok "$desc (no usage text on stderr)"
            return 0
        fi
    fi
    ok "$desc"
}

# has / lacks PATTERN DESCRIPTION: the last run's stdout matches the
# extended regex / does not contain the fixed string.
# (a here-string, not a pipe: grep -q stops reading at the first match, and
# under pipefail the writer's SIGPIPE on a large output would read as "no match")
has() { if grep -Eq -- "$1" <<<"$OUT"; then ok "$2"; else not_ok "$2 (stdout lacks /$1/)"; fi; }
lacks() { if grep -Fq -- "$1" <<<"$OUT"; then not_ok "$2 (stdout has $1)"; else ok "$2"; fi; }

# err_has PATTERN DESCRIPTION: the last run's stderr matches.
err_has() { if grep -Eq -- "$1" <<<"$ERR"; then ok "$2"; else not_ok "$2 (stderr lacks /$1/)"; fi; }

# field EID PATH: one value of the execution's snapshot ("" if unavailable).
field() { "$FFCTL" describe "$1" --field "$2" 2>/dev/null || true; }

# finish: the standard closing line; the script's status is the verdict.
finish() {
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
}
