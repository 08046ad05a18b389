#!/usr/bin/env bash
# End-to-end test of `ffctl lane` against a real server: usage errors, the
# idempotent create (listed before any execution), list (table and --json),
# a pause that holds a lane's work while a worker on two lanes runs the
# other one, describe naming the operator, and resume releasing the work.
#
#   test_ffctl_lanes.sh FFCTL [URL]
#
# Fresh lanes; no timing assertions (every pause is ended by `lane resume`).
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_lanes.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-ln.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_lanes.sh "${2:-}"
STRICT_EXPECT=1

L="ln-$$-$RANDOM"
FREE="$L-free"

# ------------------------------------------------------------ usage
expect 2 "lane without a subcommand" lane
expect 2 "unknown lane subcommand" lane nope
expect 0 "lane --help" lane --help
has 'pause LANE \[--reason TEXT\]' "help lists pause"
expect 2 "create without a lane" lane create
expect 2 "pause with a bad lane" lane pause "$(printf 'a\001b')"
expect 2 "pause with a reason over 1024 bytes" lane pause "$L" --reason "$(head -c 1025 /dev/zero | tr '\0' r)"
expect 2 "list takes no lane" lane list "$L"

# ------------------------------------------------------------ create / list
expect 0 "create" lane create "$L"
has "^$L  configured$" "create says configured"
expect 0 "create again --json" lane create "$L" --json
has '"created":false' "a repeat is not a second creation"
expect 0 "list" lane list
has '^LANE +CONFIGURED +PAUSED +PAUSED_AT +REASON$' "list header"
has "^$L +[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+ +no +- +-$" "the configured lane, before any execution"
expect 0 "lanes (names) lists it too" lanes
has "^$L\$" "ffctl lanes"

# ------------------------------------------------------------ pause / resume with a worker
expect 0 "submit to the lane" submit --kind k --lane "$L" -q
HELD=$OUT
expect 0 "submit to the free lane" submit --kind k --lane "$FREE" -q
RUN=$OUT
expect 0 "pause" lane pause "$L" --reason "db migration"
has "^$L  paused$" "pause says paused"
expect 0 "pause again --json" lane pause "$L" --reason other --json
has '"paused":false' "the first pause is kept"
expect 0 "list --json" lane list --json
has '"lane":"'"$L"'","configured":true,"configured_at":[0-9]+,"paused":true,"paused_at":[0-9]+,"reason":"db migration"' "list --json: the pause"
expect 0 "a worker on both lanes runs one task" worker --lane "$L" --lane "$FREE" --exec true --max-tasks 1 --no-engine -q
expect 0 "the free lane's work ran" describe "$RUN" --field public_state
has '^completed$' "the free lane is not held"
expect 0 "the paused lane's work waits" describe "$HELD" --field public_state
has '^waiting$' "held work is waiting"
expect 0 "describe names the operator" describe "$HELD" --json
has '"eligibility_state": ?"blocked_by_operator"' "describe: blocked_by_operator"
has '"blocking_reason": ?"paused_by_operator"' "describe: paused_by_operator"
expect 0 "resume" lane resume "$L"
has "^$L  resumed$" "resume"
expect 0 "resume again --json" lane resume "$L" --json
has '"was_paused":false' "a second resume: was not paused"
expect 0 "the worker runs it now" worker --lane "$L" --exec true --max-tasks 1 --no-engine -q
expect 0 "it ran" describe "$HELD" --field public_state
has '^completed$' "resume released the work"

finish
