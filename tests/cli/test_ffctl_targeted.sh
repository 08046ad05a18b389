#!/usr/bin/env bash
# End-to-end test of the targeted claims in ffctl: `grant-claim` leases one
# named execution to a named worker, `claim-resumed` resumes an interrupted
# attempt (given back through the server call with redis-cli: ffctl has no
# worker-side delay), both print the lease as JSON; usage errors and typed
# refusals (capability mismatch, a live lease, not a resumed execution).
#
#   test_ffctl_targeted.sh FFCTL [URL]
#
# Fresh lanes; no timing assertions.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_targeted.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-tc.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_targeted.sh "${2:-}"
STRICT_EXPECT=1

LA="tc-$$-$RANDOM"
HOSTPORT=${URL#redis://}
rcli() { redis-cli -h "${HOSTPORT%%:*}" -p "${HOSTPORT##*:}" "$@"; }
json_field() { sed -E 's/.*"'"$1"'":"?([^",}]*)"?.*/\1/' <<<"$OUT"; }

expect 0 "--help names both" --help
has 'claim-resumed' "help names claim-resumed"
has 'grant-claim' "help names grant-claim"
expect 0 "grant-claim --help" grant-claim --help
has 'grant-claim ID --worker W' "grant-claim usage line"
expect 2 "grant-claim without an id" grant-claim --worker w
expect 2 "grant-claim without --worker" grant-claim '{fp:0}:00000000-0000-4000-8000-000000000000'
expect 2 "claim-resumed with a bad --ttl" claim-resumed '{fp:0}:00000000-0000-4000-8000-000000000000' --worker w --ttl 0
expect 1 "grant-claim of an unknown execution" grant-claim '{fp:0}:00000000-0000-4000-8000-000000000000' --worker w
err_has 'FF_EXECUTION_NOT_FOUND' "not found"

# ------------------------------------------------------------ grant-claim
expect 0 "submit" submit --kind k --lane "$LA" -q
EID=$OUT
expect 1 "claim-resumed of a fresh execution" claim-resumed "$EID" --worker w1
err_has 'FF_NOT_A_RESUMED_EXECUTION' "fresh: not a resumed execution"
expect 0 "grant-claim" grant-claim "$EID" --worker w-ops --ttl 60000
has '^\{"execution_id":"'"$EID"'",.*"attempt_type":"initial",.*"worker_id":"w-ops",.*"attempt_index":0,"lease_epoch":1,.*"lease_ttl_ms":60000\}$' "the lease as JSON"
LID=$(json_field lease_id)
AID=$(json_field attempt_id)
expect 1 "grant-claim of a live lease" grant-claim "$EID" --worker w-other
err_has 'FF_LEASE_CONFLICT' "live lease: conflict"

# ---------------------------------------------------------- claim-resumed
# the worker gives its attempt back, due at once (ff_delay)
rcli FCALL ff_delay 1 "ff:e:$EID" "$EID" "$LID" 1 "$AID" 0 >/dev/null
expect 0 "claim-resumed" claim-resumed "$EID" --worker w-resume --json
has '"attempt_id":"'"$AID"'","attempt_type":"resumed",.*"attempt_index":0,"lease_epoch":2,' "same attempt, next epoch"

# ---------------------------------------------------------- capabilities
expect 0 "submit needing gpu" submit --kind k --lane "$LA" --cap gpu -q
GPU=$OUT
expect 1 "grant-claim without the capability" grant-claim "$GPU" --worker w-cpu --caps cpu
err_has 'FF_CAPABILITY_MISMATCH' "capability mismatch"
expect 0 "grant-claim with it" grant-claim "$GPU" --worker w-gpu --caps cpu,gpu
has '"execution_id":"'"$GPU"'"' "leased with --caps cpu,gpu"

finish
