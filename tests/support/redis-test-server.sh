#!/usr/bin/env bash
# A private redis-server for the tests, on a free loopback port, with its
# state in one directory.
#
#   redis-test-server.sh start   DIR  fresh server: wipes DIR's data, picks a free
#                                     port, starts, waits for PING; prints the URL
#   redis-test-server.sh stop    DIR  graceful shutdown (SIGTERM: AOF is flushed);
#                                     no-op when not running; data and port are kept
#   redis-test-server.sh kill    DIR  SIGKILL (crash simulation); data and port kept
#   redis-test-server.sh restart DIR  stop if running, then start again on the SAME
#                                     port and dir, keeping the data (AOF reload)
#   redis-test-server.sh status  DIR  exit 0 and print the URL when it answers PING
#   redis-test-server.sh url     DIR  print the URL recorded in DIR/url
#
# Files in DIR: url ("redis://127.0.0.1:PORT"), port, unix_url (when the socket
# path is short enough; "unix:///DIR/redis.sock"), server_bin (binary used),
# redis.pid, redis.log, appendonlydir/ (AOF).
#
# The binary is $FF_REDIS_SERVER, else redis-server, else valkey-server on PATH.
# The server runs with AOF on (appendfsync everysec; a crash test that needs
# every write durable can CONFIG SET appendfsync always), no RDB snapshots, and
# DEBUG allowed from loopback (DEBUG SLEEP is handy for deadline tests).
set -euo pipefail

PORT_MIN=${FF_TEST_PORT_MIN:-10000}  # below the Linux ephemeral range (32768+)
PORT_MAX=${FF_TEST_PORT_MAX:-32000}
READY_TIMEOUT=${FF_TEST_READY_TIMEOUT:-30}   # seconds (AOF reload can take a while)
STOP_TIMEOUT=${FF_TEST_STOP_TIMEOUT:-30}

die() { echo "redis-test-server: $*" >&2; exit 1; }

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)
PIDFILE=$DIR/redis.pid
LOG=$DIR/redis.log

server_bin() {
    if [ -n "${FF_REDIS_SERVER:-}" ]; then
        echo "$FF_REDIS_SERVER"
    elif [ -s "$DIR/server_bin" ] && [ -x "$(cat "$DIR/server_bin")" ]; then
        cat "$DIR/server_bin"
    elif command -v redis-server >/dev/null 2>&1; then
        command -v redis-server
    elif command -v valkey-server >/dev/null 2>&1; then
        command -v valkey-server
    else
        die "no redis-server found (install redis-server, or set FF_REDIS_SERVER)"
    fi
}

# PID of OUR server for DIR, or nothing. Guards against a stale pidfile whose
# pid now belongs to an unrelated process.
running_pid() {
    local pid
    [ -s "$PIDFILE" ] || return 0
    pid=$(cat "$PIDFILE" 2>/dev/null || true)
    case "$pid" in '' | *[!0-9]*) return 0 ;; esac
    if kill -0 "$pid" 2>/dev/null &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq '(redis|valkey)-server'; then
        echo "$pid"
    fi
}

# 0 when something on 127.0.0.1:$1 answers PING with +PONG (not while -LOADING).
ping_port() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'PING\r\n' >&3
        IFS= read -r -t 2 reply <&3 || exit 1
        case "$reply" in +PONG*) exit 0 ;; *) exit 1 ;; esac
    ) 2>/dev/null
}

# 0 when nothing accepts connections on the port.
port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# 0 once the process is gone. A zombie counts as gone: the daemonized server
# is reaped by init, which in some containers happens seconds later.
is_dead() {
    local state
    kill -0 "$1" 2>/dev/null || return 0
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1) || return 0
    [ -z "$state" ] || [ "$state" = Z ] || [ "$state" = X ]
}

wait_stopped() {
    local pid=$1 i
    for ((i = 0; i < STOP_TIMEOUT * 20; i++)); do
        is_dead "$pid" && return 0
        sleep 0.05
    done
    return 1
}

do_stop() {
    local pid
    pid=$(running_pid)
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_stopped "$pid"; then
            echo "redis-test-server: pid $pid ignored SIGTERM for ${STOP_TIMEOUT}s, killing" >&2
            kill -KILL "$pid" 2>/dev/null || true
            wait_stopped "$pid" || die "could not stop pid $pid"
        fi
    fi
    rm -f "$PIDFILE"
}

do_kill() {
    local pid
    pid=$(running_pid)
    if [ -n "$pid" ]; then
        kill -KILL "$pid" 2>/dev/null || true
        wait_stopped "$pid" || die "pid $pid survived SIGKILL"
    fi
    rm -f "$PIDFILE"
}

# launch PORT -> 0 ready, 1 port taken (caller may retry), 2 other failure
launch() {
    local port=$1 bin i pid
    local -a args
    bin=$(server_bin)
    args=(--port "$port" --bind 127.0.0.1 --save '' --appendonly yes
        --dir "$DIR" --daemonize yes --pidfile "$PIDFILE" --logfile "$LOG"
        --enable-debug-command local)
    # unix socket too when the path fits in sun_path (108 bytes incl. NUL)
    if [ ${#DIR} -le 90 ]; then
        args+=(--unixsocket "$DIR/redis.sock" --unixsocketperm 700)
    fi
    : >"$LOG"
    rm -f "$PIDFILE"
    if ! "$bin" "${args[@]}" >>"$LOG" 2>&1; then
        return 2
    fi
    for ((i = 0; i < READY_TIMEOUT * 10; i++)); do
        if ping_port "$port"; then
            pid=$(running_pid)
            # make sure the PONG came from our process, not a squatter
            if [ -n "$pid" ]; then
                echo "$bin" >"$DIR/server_bin"
                echo "$port" >"$DIR/port"
                echo "redis://127.0.0.1:$port" >"$DIR/url.tmp" && mv "$DIR/url.tmp" "$DIR/url"
                if [ ${#DIR} -le 90 ]; then
                    echo "unix://$DIR/redis.sock" >"$DIR/unix_url"
                else
                    rm -f "$DIR/unix_url"
                fi
                return 0
            fi
        fi
        if grep -qE 'Address already in use|Could not create server TCP listening socket' "$LOG"; then
            do_kill
            return 1
        fi
        # daemon gone without a pidfile after startup => it failed
        if [ "$i" -gt 20 ] && [ -z "$(running_pid)" ] && ! ping_port "$port"; then
            return 2
        fi
        sleep 0.1
    done
    do_kill
    return 2
}

fail_with_log() {
    echo "redis-test-server: $1; last lines of $LOG:" >&2
    tail -n 20 "$LOG" >&2 || true
    exit 1
}

do_start() {
    local attempt port rc
    do_stop
    rm -rf "$DIR/appendonlydir" "$DIR"/*.aof "$DIR/dump.rdb" "$DIR/url" "$DIR/port" \
        "$DIR/unix_url" "$DIR/redis.sock"
    for ((attempt = 0; attempt < 25; attempt++)); do
        port=$((PORT_MIN + (RANDOM * 32768 + RANDOM) % (PORT_MAX - PORT_MIN + 1)))
        port_free "$port" || continue
        rc=0
        launch "$port" || rc=$?
        case $rc in
            0) cat "$DIR/url"; return 0 ;;
            1) continue ;;
            *) fail_with_log "redis-server did not start on port $port" ;;
        esac
    done
    fail_with_log "no free port found after $attempt attempts"
}

do_restart() {
    local port rc=0
    [ -s "$DIR/port" ] || die "$DIR has no recorded port: use start first"
    port=$(cat "$DIR/port")
    do_stop
    launch "$port" || rc=$?
    [ $rc -eq 0 ] || fail_with_log "restart on port $port failed"
    cat "$DIR/url"
}

case "$cmd" in
    start) do_start ;;
    stop) do_stop ;;
    kill) do_kill ;;
    restart) do_restart ;;
    status)
        [ -s "$DIR/port" ] && [ -n "$(running_pid)" ] && ping_port "$(cat "$DIR/port")" || exit 1
        cat "$DIR/url"
        ;;
    url)
        [ -s "$DIR/url" ] || die "no server recorded in $DIR"
        cat "$DIR/url"
        ;;
    *) usage ;;
esac
