#!/usr/bin/env bash
# Where the embedded server lives, as users meet it: programs started in
# different folders of one project (or anywhere, for one user) find the same
# server, the way git finds .git.
#
#   test_ffctl_embedded.sh FFCTL
#
# Needs no fixture: every server it starts lives under a temp dir and is
# stopped at the end by the pid in its redis.pid.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_embedded.sh FFCTL}
[ -x "$FFCTL" ] || { echo "test_ffctl_embedded.sh: $FFCTL is not executable" >&2; exit 2; }
FFCTL=$(cd "$(dirname "$FFCTL")" && pwd)/$(basename "$FFCTL")

# Short path: the sockets must fit in sun_path.
TMP=$(mktemp -d /tmp/ffemb.XXXXXX)
TMP=$(cd "$TMP" && pwd -P)
REAL_HOME=$HOME
cleanup() {
    local pidfile pid
    for pidfile in $(find "$TMP" -name redis.pid 2>/dev/null); do
        pid=$(cat "$pidfile" 2>/dev/null || true)
        case "$pid" in '' | *[!0-9]*) continue ;; esac
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q redis-server; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        fi
    done
    cd /
    rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
unset FF_URL FF_HOME XDG_DATA_HOME
export HOME=$TMP/home
mkdir -p "$HOME"

started_lines() { printf '%s\n' "$ERR" | grep -c 'started the embedded redis-server' || true; }

# -------------------------------------------- discovery upward (like .git)
PROJ=$TMP/proj
mkdir -p "$PROJ/.flowfabric" "$PROJ/src/deep/er" "$PROJ/docs"
cd "$PROJ/src/deep/er"
expect 0 "submit from a subdirectory of a project" submit --kind k --lane emb --payload one -q
EID=$OUT
if [ "$(started_lines)" = 1 ]; then ok "one stderr line when the server is started"; else not_ok "one stderr line when the server is started"; fi
err_has "started the embedded redis-server at $PROJ/\\.flowfabric \\(socket $PROJ/\\.flowfabric/redis\\.sock\\); it keeps running: \`ffctl dev down\` stops it" \
    "the line names the discovered directory, the socket and how to stop it"
[ -S "$PROJ/.flowfabric/redis.sock" ] && ok "the socket is in the project's .flowfabric/" || not_ok "socket in .flowfabric/"
[ ! -e "$HOME/.local/share/flowfabric" ] && ok "no per-user directory was created" || not_ok "no per-user dir"

cd "$PROJ/docs"
expect 0 "describe from a sibling directory" describe "$EID" --field public_state
has '^waiting$' "a program started elsewhere in the project meets the same server"
if [ "$(started_lines)" = 0 ]; then ok "no stderr line when the server is reused"; else not_ok "no stderr line on reuse"; fi
cd "$PROJ/src"
expect 0 "dev status from a subdirectory" dev status
has "unix://$PROJ/\\.flowfabric/redis\\.sock" "dev status resolves the same directory"

# ------------------------------------------- per-user default, HOME and XDG
outside_project=1
d=$TMP
while [ "$d" != / ]; do
    d=$(dirname "$d")
    [ -d "$d/.flowfabric" ] && outside_project=0
done
if [ "$outside_project" = 1 ]; then
    mkdir -p "$TMP/a" "$TMP/b"
    cd "$TMP/a"
    expect 0 "submit outside any project" submit --kind k --lane emb --payload two -q
    EID2=$OUT
    err_has "started the embedded redis-server at $HOME/\\.local/share/flowfabric " \
        "outside a project the per-user directory (~/.local/share/flowfabric) is used"
    cd "$TMP/b"
    expect 0 "describe from another folder outside any project" describe "$EID2" --field public_state
    has '^waiting$' "producer and worker in different folders meet on the per-user server"
    if [ "$(started_lines)" = 0 ]; then ok "per-user server reused silently"; else not_ok "per-user server reused silently"; fi

    export XDG_DATA_HOME=$TMP/xdg
    expect 0 "submit with XDG_DATA_HOME" submit --kind k --lane emb -q
    err_has "started the embedded redis-server at $TMP/xdg/flowfabric " "\$XDG_DATA_HOME/flowfabric is the per-user directory"
    expect 0 "dev down (XDG)" dev down
    has "$TMP/xdg/flowfabric/redis\\.sock" "dev down resolves the XDG directory"
    unset XDG_DATA_HOME
else
    echo "skip - per-user default: a .flowfabric/ directory above $TMP would be found first"
fi

# ---------------------------------------------------------- FF_HOME wins
cd "$PROJ/src"
export FF_HOME=$TMP/ffhome
expect 0 "submit with FF_HOME inside a project" submit --kind k --lane emb -q
err_has "started the embedded redis-server at $TMP/ffhome " "FF_HOME overrides the discovered directory"
err_has "\`ffctl dev down --data-dir $TMP/ffhome\` stops it" "the stop hint names an explicit directory"
expect 0 "dev down (FF_HOME)" dev down
has "stopped \\(unix://$TMP/ffhome/redis\\.sock\\)" "dev down stops the FF_HOME server"
unset FF_HOME
expect 0 "--data-dir overrides too" --data-dir "$TMP/explicit" dev up
has "unix://$TMP/explicit/redis\\.sock" "dev up --data-dir"
expect 0 "dev down --data-dir" dev down --data-dir "$TMP/explicit"

# ----------------------------------------- dev down finds the project's
cd "$PROJ/src/deep"
expect 0 "dev down from a subdirectory" dev down
has "stopped \\(unix://$PROJ/\\.flowfabric/redis\\.sock\\)" "dev down stops the discovered server"

HOME=$REAL_HOME
finish
