#!/usr/bin/env bash
# End-to-end test of `ffctl flow ...` (create, describe, list, edges, edge,
# group, cancel, graph) and `ffctl submit --flow` against a real server.
# Flows are built with ffctl itself; `ffctl worker --max-tasks 1` completes
# a root member so edges have states other than pending.
#
#   test_ffctl_flows.sh FFCTL [URL]
#
# URL as in test_ffctl.sh ($FF_URL, else $FF_TEST_URL_FILE). Fresh lanes per
# flow, so the server may hold other data (the list checks look for their own
# ids only). When Graphviz `dot` is installed the --dot output is also
# checked by it; the structural checks run either way.
set -euo pipefail

FFCTL=${1:?usage: test_ffctl_flows.sh FFCTL [URL]}

TMP=$(mktemp -d /tmp/ffctl-flow.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
resolve_url test_ffctl_flows.sh "${2:-}"
STRICT_EXPECT=1

TAG="$$-$RANDOM"
# member FLOW LANE KIND: submit one member, print its id
member() { "$FFCTL" submit -q --kind "$3" --lane "$2" --flow "$1"; }
# short ID: the id suffix graph uses (8 characters unless two members clash,
# and a longer suffix still ends with these 8)
short() { printf '%s' "${1: -8}"; }
# line_of PATTERN: the number of the first stdout line matching, else 0
line_of() { local n; n=$(grep -En -- "$1" <<<"$OUT" | head -n1 | cut -d: -f1); echo "${n:-0}"; }
# re TEXT: TEXT as an extended regex matching itself (ids carry braces)
re() { sed 's/[][{}().*+?^$|\\]/\\&/g' <<<"$1"; }
# json_ok: the last stdout is one JSON document
json_ok() {
    if python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$OUT" 2>/dev/null; then ok "$1"; else not_ok "$1 (not JSON)"; fi
}

# ------------------------------------------------------------------ usage
expect 0 "flow --help" flow --help
for sub in create describe list edges edge group cancel graph follow; do
    has "^  $sub " "flow --help lists $sub"
done
expect 0 "help flow" help flow
has 'graph ID' "help flow is the flow help"
expect 2 "flow without a subcommand" flow
err_has 'missing subcommand' "says the subcommand is missing"
expect 2 "unknown subcommand" flow frobnicate
err_has "unknown subcommand 'frobnicate'" "names the unknown subcommand"
expect 0 "flow create --help" flow create --help
has '--max-incoming N' "create help lists its options"
expect 0 "flow describe --help" flow describe --help
has '--json' "describe help lists --json"
expect 0 "flow list --help" flow list --help
has '--cursor C' "list help lists --cursor"
expect 0 "flow edges --help" flow edges --help
has '--direction in.out' "edges help lists --direction"
expect 0 "flow edge --help" flow edge --help
has '--revision N' "edge help lists --revision"
expect 0 "flow group --help" flow group --help
has '--on-satisfied S' "group help lists --on-satisfied"
expect 0 "flow cancel --help" flow cancel --help
has 'cancel_pending' "cancel help lists the policies"
expect 0 "flow graph --help" flow graph --help
has '--dot' "graph help lists --dot"
expect 2 "describe without an id" flow describe
expect 2 "describe with two ids" flow describe a b
expect 2 "list without --partition or --all" flow list
expect 2 "list --all with --cursor" flow list --all --cursor x
expect 2 "list --limit out of range" flow list --all --limit 0
expect 2 "edges without the execution" flow edges only-the-flow
expect 2 "edges --direction sideways" flow edges f e --direction sideways
expect 2 "edge needs three ids" flow edge f up
expect 2 "group without --policy" flow group f d
expect 2 "create --max-members out of range" flow create --max-members 10001
expect 2 "graph --dot --json" flow graph f --dot --json
expect 2 "submit --flow with a malformed id" submit --kind k --flow nope

# ---------------------------------------------------------------- bad ids
expect 1 "describe a malformed flow id" flow describe nope
err_has '^error: FF_EINVAL: .*nope' "typed error naming the id"
expect 1 "graph a malformed flow id" flow graph '{fp:1}:not-a-uuid'
expect 1 "cancel a malformed flow id" flow cancel nope --policy cancel_all
expect 1 "edges of a malformed flow id" flow edges nope nope
MISSING='{fp:3}:01a00000-0000-7000-8000-000000000000'
expect 1 "describe an unknown flow" flow describe "$MISSING"
err_has '^error: FF_FLOW_NOT_FOUND' "FF_FLOW_NOT_FOUND"
expect 1 "submit into an unknown flow" submit --kind k --flow "$MISSING"
err_has 'FF_FLOW_NOT_FOUND|FF_PARTITION_MISMATCH' "submit --flow refuses an unknown flow"

# ----------------------------------------------------------------- create
LD="flow-diamond-$TAG"
expect 0 "create" flow create --lane "$LD" --max-members 50
has '^\{fp:[0-9]+\}:[0-9a-f-]{36}  created$' "prints the new id and 'created'"
FID=${OUT%% *}
expect 0 "create the same id again" flow create --id "$FID" --max-members 7
has "^$(re "$FID")  existed" "the repeat says it existed"
expect 0 "create --json repeat" flow create --id "$FID" --json
has '"existed":true' "json: existed"
has '"max_members":50' "json: the stored limit, not the repeat's"
json_ok "create --json is JSON"

# ------------------------------------------ diamond a->b, a->c, b->d, c->d
A=$(member "$FID" "$LD" a)
B=$(member "$FID" "$LD" b)
C=$(member "$FID" "$LD" c)
D=$(member "$FID" "$LD" d)
[ -n "$A" ] && [ -n "$D" ] && ok "submit --flow made four members" || not_ok "submit --flow"
expect 0 "group d any_of" flow group "$FID" "$D" --policy any_of --on-satisfied cancel_remaining
has '^set$' "group says set"
expect 0 "edge a->b" flow edge "$FID" "$A" "$B"
has '^[0-9a-f-]{36}  pending  revision [0-9]+$' "edge prints id, state, revision"
REV=${OUT##* }
expect 1 "edge with a stale revision" flow edge "$FID" "$A" "$C" --revision $((REV - 1))
err_has 'FF_STALE_GRAPH_REVISION' "stale revision refused"
expect 0 "edge a->c with data at the current revision" flow edge "$FID" "$A" "$C" --data --revision "$REV"
expect 0 "edge b->d" flow edge "$FID" "$B" "$D"
expect 0 "edge c->d --json" flow edge "$FID" "$C" "$D" --json
has '"state":"pending"' "json edge state"
json_ok "edge --json is JSON"
expect 1 "edge d->a closes a cycle" flow edge "$FID" "$D" "$A"
err_has 'FF_CYCLE_DETECTED' "cycle refused"
expect 1 "group after the first edge" flow group "$FID" "$B" --policy any_of --on-satisfied let_run
err_has 'FF_EDGE_GROUP_POLICY_FIXED' "group fixed once an edge is staged"

# --------------------------------------------------------------- describe
expect 0 "describe" flow describe "$FID"
has '^state +open$' "state open"
has '^revision +[0-9]+$' "revision"
has '^limits +max_members 50, max_incoming_edges 100$' "limits"
has '^counts +members 4, ' "counts"
has '^edge_count +4$' "edge count"
has "^  $(re "$D") +waiting_children$" "member table: d waits for its children"
has "$(re "$A") +$(re "$C") +pending +yes$" "edge table: a->c pending, passes data"
has "^  $(re "$D") +any_of +1 +2 +cancel_remaining +0 +0 +pending$" "group table: d any_of 1 of 2"
expect 0 "describe --json" flow describe "$FID" --json
json_ok "describe --json is JSON"
has "\"flow_id\":\"$(re "$FID")\"" "json has the flow id"
has '"policy":"any_of"' "json has the group"

# ------------------------------------------------------------------ edges
expect 0 "edges of a, out" flow edges "$FID" "$A" --direction out
lacks 'in (edges' "one direction is not labelled"
has "$(re "$B") +pending" "a->b listed"
has "$(re "$C") +pending" "a->c listed"
expect 0 "edges of a, in" flow edges "$FID" "$A" --direction in
has '^\(none\)$' "a has no incoming edge"
expect 0 "edges of d, both" flow edges "$FID" "$D"
has '^in \(edges into it\)' "both: 'in' labelled"
has '^out \(edges out of it\)' "both: 'out' labelled"
[ "$(grep -c -- "$D" <<<"$OUT")" -eq 2 ] && ok "d has two incoming edges" || not_ok "d's incoming edges"
expect 0 "edges --json" flow edges "$FID" "$D" --json
json_ok "edges --json is JSON"
has '"in":\[\{.*\}\],"out":\[\]' "json in and out"

# ------------------------------------------------------------------ graph
expect 0 "graph" flow graph "$FID"
has "^0 +$(re "$A") +waiting +-$" "a is layer 0 with no upstream"
has "^1 +$(re "$B") +waiting_children +<- [0-9a-f-]*$(short "$A")\(pending\)$" "b is layer 1 <- a"
has "^1 +$(re "$C") +waiting_children +<- [0-9a-f-]*$(short "$A")\(pending, data\)$" \
    "c is layer 1 <- a, data"
has "^2 +$(re "$D") +waiting_children .*<- [0-9a-f-]*$(short "$B")\(pending\)" "d is layer 2 <- b"
has "^2 .*<- [0-9a-f-]*$(short "$C")\(pending\).*\[any_of \(cancel_remaining, pending\)\]$" "d <- c, any_of group"
LA=$(line_of "$A +waiting +-$") LD2=$(line_of "^2 ")
[ "$LA" -gt 0 ] && [ "$LD2" -gt "$LA" ] && ok "layers in order" || not_ok "layer order ($LA, $LD2)"

expect 0 "graph --dot" flow graph "$FID" --dot
has "^digraph \"$(re "$FID")\" \{$" "dot: a digraph named after the flow"
[ "$(tail -n1 <<<"$OUT")" = "}" ] && ok "dot: closed" || not_ok "dot: last line"
[ "$(grep -c -- '\[label=' <<<"$OUT")" -eq 4 ] && ok "dot: four nodes" || not_ok "dot: node count"
[ "$(grep -c -- ' -> ' <<<"$OUT")" -eq 4 ] && ok "dot: four edges" || not_ok "dot: edge count"
has "^  \"$(re "$A")\" -> \"$(re "$C")\" .*style=\"dashed\".*label=\"data\"" \
    "dot: a->c pending (dashed), labelled data"
has "label=\"$(short "$D")\\\\nwaiting_children\\\\nany_of" "dot: d labelled short id, state, group"
if command -v dot >/dev/null 2>&1; then
    if dot -Tcanon <<<"$OUT" >/dev/null 2>"$TMP/dot.err"; then ok "dot accepts the digraph"; else
        not_ok "dot: $(cat "$TMP/dot.err")"; fi
else
    echo "# dot not installed: Graphviz validation skipped"
fi
expect 0 "graph --json" flow graph "$FID" --json
json_ok "graph --json is JSON"
has '"layer":2,"upstreams":\[\{' "json: d's layer and upstreams"

# A worker completes a (the only eligible member of the lane); b and c are
# released, their edges from a satisfied.
expect 0 "worker completes one member" worker --lane "$LD" --max-tasks 1 -q --exec cat
[ "$(field "$A" public_state)" = completed ] && ok "a completed" || not_ok "a is $(field "$A" public_state)"
expect 0 "graph after a completed" flow graph "$FID"
has "^0 +$(re "$A") +completed" "graph shows a completed"
has "^1 +$(re "$B") +waiting +<- [0-9a-f-]*$(short "$A")\(satisfied\)$" "b released, edge satisfied"
expect 0 "graph --dot after a completed" flow graph "$FID" --dot
has "\"$(re "$A")\" \[label=\"[0-9a-f-]+\\\\ncompleted\", style=\"filled\", fillcolor=\"palegreen\"\]" \
    "dot: completed node filled green"
has "\"$(re "$A")\" -> .*color=\"darkgreen\", style=\"solid\"" "dot: satisfied edge solid green"

# cancel_pending: the members that never ran (b, c, d) are cancelled; a stays
expect 2 "cancel without --policy" flow cancel "$FID"
err_has '--policy is required' "the policy is never defaulted"
[ "$(field "$B" public_state)" = waiting ] && ok "refusal changed nothing" || not_ok "b is $(field "$B" public_state)"
expect 1 "cancel with an unknown policy" flow cancel "$FID" --policy everything
err_has 'FF_INVALID_FLOW_POLICY' "unknown policy refused by the server"
expect 0 "cancel_pending" flow cancel "$FID" --policy cancel_pending --reason "test $TAG"
has '^cancelled \(policy cancel_pending\): 3 members cancelled$' "three members cancelled"
lacks "$A" "the completed member is not among them"
has "^$(re "$D")$" "d listed"
expect 0 "graph after cancel_pending" flow graph "$FID"
has '  cancelled  revision' "flow cancelled"
has "^0 +$(re "$A") +completed" "a still completed"
has "^2 +$(re "$D") +cancelled .*\(impossible\)" "d cancelled, its edges impossible"
expect 1 "a cancelled flow takes no member" submit --kind k --lane "$LD" --flow "$FID"

# ----------------------------------------- cancel_all (and the repeat), quorum
LC="flow-chain-$TAG"
expect 0 "create chain flow" flow create --lane "$LC"
F2=${OUT%% *}
X=$(member "$F2" "$LC" x)
Y=$(member "$F2" "$LC" y)
Z=$(member "$F2" "$LC" z)
expect 0 "group z quorum 2" flow group "$F2" "$Z" --policy quorum --k 2 --on-satisfied let_run
expect 0 "edge x->z" flow edge "$F2" "$X" "$Z"
expect 0 "edge y->z" flow edge "$F2" "$Y" "$Z"
expect 0 "graph shows the quorum" flow graph "$F2"
has '\[quorum 2 of 2 \(let_run, pending\)\]$' "quorum group in the graph"
expect 0 "cancel_all" flow cancel "$F2" --policy cancel_all --json
json_ok "cancel --json is JSON"
has '"policy":"cancel_all","repeat":false,"cancelled":\["' "json: policy, not a repeat"
[ "$(grep -o '"cancelled":\[.*\]' <<<"$OUT" | grep -o '"{fp:' | wc -l)" -eq 3 ] && ok "all three members cancelled" || not_ok "cancel_all count"
expect 0 "graph after cancel_all" flow graph "$F2"
[ "$(grep -Ec '^[0-9]+ +\{fp:[0-9]+\}:[0-9a-f-]+ +cancelled ' <<<"$OUT")" -eq 3 ] && ok "graph: every member cancelled" ||
    not_ok "graph states after cancel_all"
has "<- [0-9a-f-]*$(short "$X")\(impossible\)" "graph: edges impossible"
expect 0 "graph --dot after cancel_all" flow graph "$F2" --dot
has 'color="red3", style="dotted"' "dot: impossible edge dotted red"
has 'fillcolor="gray75"' "dot: cancelled nodes gray"
expect 0 "cancel_all again" flow cancel "$F2" --policy cancel_all
has '^already cancelled \(policy cancel_all\): nothing changed$' "the repeat changes nothing"

# ---------------------------------------------------------------- flow_only
LO="flow-only-$TAG"
expect 0 "create flow_only flow" flow create --lane "$LO"
F3=${OUT%% *}
M=$(member "$F3" "$LO" m)
expect 0 "cancel flow_only" flow cancel "$F3" --policy flow_only
has '^cancelled \(policy flow_only\): 0 members cancelled$' "flow_only cancels no member"
[ "$(field "$M" public_state)" = waiting ] && ok "the member is untouched" || not_ok "m is $(field "$M" public_state)"
expect 0 "describe after flow_only" flow describe "$F3"
has '^state +cancelled$' "the flow is cancelled"
# --wait: m never runs (no worker), so it is still not ended when the wait ends
expect 1 "cancel --wait names what still runs" flow cancel "$F3" --policy cancel_all --wait 1
has "^still running: $(re "$M")$" "the member still running is named"
err_has 'FF_ETIMEDOUT.*1 member .*still running after 1 s \(partially cancelled\)' "the timeout is the error"
expect 1 "cancel --wait --json" flow cancel "$F3" --policy cancel_all --wait 1 --json
json_ok "cancel --wait --json is JSON"
has "\"partially_cancelled\":\[\"$(re "$M")\"\]" "json: partially_cancelled"
expect 0 "cancel --wait on a settled flow" flow cancel "$F2" --policy cancel_all --wait 5
expect 2 "cancel --wait 0" flow cancel "$F2" --policy cancel_all --wait 0

# ------------------------------------------------------------------ follow
# F2 (cancel_all above) settled: its three endings and its settling are in
# the feed of its partition, and --flow stops at the settling
expect 0 "follow one flow from the oldest entry" flow follow --flow "$F2" --cursor ""
[ "$(grep -Ec "^[0-9]+-[0-9]+  $(re "$F2")  member  \{fp:[0-9]+\}:[0-9a-f-]+  cancelled$" <<<"$OUT")" -eq 3 ] &&
    ok "follow: three members cancelled" || not_ok "follow member lines: $OUT"
has "^[0-9]+-[0-9]+  $(re "$F2")  flow    -  cancelled$" "follow: the flow settled, cancelled"
expect 0 "follow --json" flow follow --flow "$F2" --cursor "" --json
if python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <<<"$OUT" 2>/dev/null &&
    [ "$(wc -l <<<"$OUT")" -eq 4 ]; then ok "follow --json: four JSON lines"; else not_ok "follow --json: $OUT"; fi
P2=$(sed -E 's/^\{fp:([0-9]+)\}.*/\1/' <<<"$F2")
expect 0 "follow a partition from now, idle" flow follow --partition "$P2" --idle 1
expect 2 "follow needs a partition or a flow" flow follow
expect 2 "follow with both" flow follow --partition 0 --flow "$F2"
expect 1 "follow a bad cursor" flow follow --partition 0 --cursor nope

# ------------------------------------------------------------------- list
# Three flows of one lane share its partition: page through it one id at a
# time and meet all three; other flows on the partition may come between.
LL="flow-list-$TAG"
IDS=()
for i in 1 2 3; do
    "$FFCTL" flow create --lane "$LL" >"$TMP/c"
    IDS+=("$(cut -d' ' -f1 "$TMP/c")")
done
PART=$(sed -E 's/^\{fp:([0-9]+)\}.*/\1/' <<<"${IDS[0]}")
expect 0 "list one page of the partition" flow list --partition "$PART" --limit 1
[ "$(wc -l <<<"$OUT")" -eq 1 ] && ok "one id per page" || not_ok "page size"
err_has '^more: repeat with --cursor ' "the paging hint goes to stderr"
SEEN="" CUR="" PAGES=0
while [ "$PAGES" -lt 10000 ]; do
    run flow list --partition "$PART" --limit 1 --cursor "$CUR" --json
    [ "$RC" -eq 0 ] || break
    SEEN+=$(grep -Eo '"flow_ids":\[[^]]*\]' <<<"$OUT")
    CUR=$(sed -E 's/.*"cursor":"([^"]*)".*/\1/' <<<"$OUT")
    PAGES=$((PAGES + 1))
    [ -n "$CUR" ] || break
done
[ "$RC" -eq 0 ] && [ -z "$CUR" ] && ok "the cursor walk ends (cursor \"\")" || not_ok "cursor walk"
n=0
for id in "${IDS[@]}"; do grep -Fq -- "\"$id\"" <<<"$SEEN" && n=$((n + 1)); done
[ "$n" -eq 3 ] && ok "the cursor walk met all three flows" || not_ok "cursor walk met $n of 3"
expect 0 "list --all" flow list --all --limit 2
n=0
for id in "${IDS[@]}" "$FID" "$F2" "$F3"; do grep -Fxq -- "$id" <<<"$OUT" && n=$((n + 1)); done
[ "$n" -eq 6 ] && ok "--all lists every flow of this test" || not_ok "--all met $n of 6"
expect 0 "list --all --json" flow list --all --json
json_ok "list --all --json is JSON"
expect 1 "list a partition that does not exist" flow list --partition 16383

finish
