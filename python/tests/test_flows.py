"""Flows from Python (docs/flows.md, docs/python.md#flows), against the real
server: every call of the surface, its typed refusals, and the dependency
behaviour seen through a Worker and through the low-level claim API."""

import asyncio
import uuid

import pytest

from flowfabric import errors


def _claim_one(client, lane):
    claims = client.claim([lane], lease_ttl=30)
    assert len(claims) == 1, claims
    return claims[0]


def _flow(client, lane, **kw):
    return client.create_flow(lane=lane, **kw)


def test_create_is_idempotent_and_returns_the_stored_limits(client, lane):
    fid = _flow(client, lane, max_members=5, max_incoming=3)
    assert fid.startswith("{fp:") and not fid.existed
    assert (fid.max_members, fid.max_incoming) == (5, 3)
    again = client.create_flow(fid, lane=lane, max_members=50)
    assert again == fid and again.existed and (again.max_members, again.max_incoming) == (5, 3)
    f = client.describe_flow(fid)
    assert (f.flow_id, f.state, f.lane, f.max_members, f.max_incoming_edges) == (fid, "open", lane, 5, 3)


def test_create_refuses_bad_limits_before_sending(client, lane):
    with pytest.raises(errors.InvalidArgument):
        client.create_flow(lane=lane, max_members=0)
    with pytest.raises(errors.InvalidArgument):
        client.create_flow(lane=lane, max_incoming=1001)
    with pytest.raises(TypeError):
        client.create_flow(42)


def test_submit_into_a_flow_and_add_an_existing_execution(client, lane):
    fid = _flow(client, lane)
    a = client.submit("a", b"x", lane=lane, flow=fid)
    assert client.flow_of(a) == fid
    loose = client.submit("b", b"y", lane=lane)
    assert client.flow_of(loose) is None
    if loose.split("}")[0].split(":")[1] == fid.split("}")[0].split(":")[1]:
        assert client.add_to_flow(fid, loose) == "added"
        assert client.add_to_flow(fid, loose) == "already_member"
        assert client.flow_of(loose) == fid
    else:
        with pytest.raises(errors.PartitionMismatch):
            client.add_to_flow(fid, loose)
    f = client.describe_flow(fid)
    assert a in [m.execution_id for m in f.members] and f.member_state(a) == "waiting"
    unknown = fid[:fid.index("}") + 2] + str(uuid.uuid4())  # same partition, no such flow
    with pytest.raises(errors.FlowNotFound):
        client.submit("a", b"", lane=lane, flow=unknown)


def test_add_edge_refusals_are_typed_and_write_nothing(client, lane):
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    b = client.submit("b", lane=lane, flow=fid)
    rev = client.describe_flow(fid).revision
    edge = client.add_edge(fid, a, b, expected_revision=rev)
    assert (edge.upstream, edge.downstream, edge.state) == (a, b, "pending")
    with pytest.raises(errors.StaleGraphRevision):
        client.add_edge(fid, b, a, expected_revision=rev)
    with pytest.raises(errors.CycleDetected):
        client.add_edge(fid, b, a)
    with pytest.raises(errors.SelfReferencingEdge):
        client.add_edge(fid, a, a)
    with pytest.raises(errors.DependencyAlreadyExists):
        client.add_edge(fid, a, b)
    outsider = client.submit("c", lane=lane)
    with pytest.raises((errors.ExecutionNotInFlow, errors.PartitionMismatch)):
        client.add_edge(fid, a, outsider)
    f = client.describe_flow(fid)
    assert f.edge_count == 1 and f.revision == rev + 1
    with pytest.raises(TypeError):
        client.add_edge(fid, a, b, pass_data=1)


def test_a_chain_runs_in_order_through_a_worker(ff, client, lane):
    fid = _flow(client, lane)
    ids = [client.submit(k, lane=lane, flow=fid) for k in ("one", "two", "three")]
    client.add_edge(fid, ids[0], ids[1])
    client.add_edge(fid, ids[1], ids[2])
    assert client.state(ids[1]) == "waiting_children"
    order = []
    w = ff.Worker(client, lanes=[lane])

    @w.task()
    def run(task):
        order.append(task.kind)
        return task.kind.encode()
    w.run(max_tasks=3, idle_timeout=60)
    assert order == ["one", "two", "three"]
    assert client.wait(ids[2], timeout=30) == b"three"
    f = client.describe_flow(fid)
    assert f.state == "completed" and f.counts.completed == 3 and f.terminal


def test_any_of_cancels_the_remaining_upstreams(client, lane):
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    b = client.submit("b", lane=lane, flow=fid)
    c = client.submit("c", lane=lane, flow=fid)
    with pytest.raises(errors.InvalidArgument):
        client.set_group(fid, c, "some_of")
    with pytest.raises(errors.InvalidArgument):
        client.set_group(fid, c, "any_of", on_satisfied="keep")
    assert client.set_group(fid, c, "any_of", on_satisfied="cancel_remaining") == "set"
    assert client.set_group(fid, c, "any_of", on_satisfied="cancel_remaining") == "already_set"
    client.add_edge(fid, a, c)
    client.add_edge(fid, b, c)
    with pytest.raises(errors.EdgeGroupPolicyFixed):
        client.set_group(fid, c, "quorum", k=2)
    first = _claim_one(client, lane)
    assert first.execution_id in (a, b)
    client.complete(first, b"won")
    other = b if first.execution_id == a else a
    ex = client.describe(other)
    assert ex.public_state == "cancelled" and ex.cancellation.reason == "sibling_quorum_satisfied"
    assert _claim_one(client, lane).execution_id == c
    group = next(g for g in client.describe_flow(fid).groups if g.downstream == c)
    assert (group.policy, group.state, group.satisfied, group.on_satisfied) == \
        ("any_of", "satisfied", 1, "cancel_remaining")


def test_quorum_releases_after_k_successes_and_lets_the_rest_run(client, lane):
    fid = _flow(client, lane)
    ups = [client.submit("u", str(i), lane=lane, flow=fid) for i in range(3)]
    down = client.submit("d", lane=lane, flow=fid)
    with pytest.raises(errors.InvalidArgument):
        client.set_group(fid, down, "quorum")
    with pytest.raises(errors.InvalidArgument):
        client.set_group(fid, down, "all_of", k=2)
    assert client.set_group(fid, ups[0], "all_of") == "set"  # the default, stated
    client.set_group(fid, down, "quorum", k=2, on_satisfied="let_run")
    for u in ups:
        client.add_edge(fid, u, down)
    done = []
    for _ in range(2):
        cl = _claim_one(client, lane)
        assert cl.execution_id in ups
        client.complete(cl)
        done.append(cl.execution_id)
    rest = [u for u in ups if u not in done]
    assert client.state(rest[0]) == "waiting"
    assert {cl.execution_id for cl in client.claim([lane], batch=5)} == {rest[0], down}


def test_a_failed_upstream_skips_its_all_of_downstream(client, lane):
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid, retry=None)
    b = client.submit("b", lane=lane, flow=fid)
    client.add_edge(fid, a, b)
    cl = _claim_one(client, lane)
    client.fail(cl, "broken", retry=False)
    ex = client.describe(b)
    assert ex.public_state == "skipped"
    assert client.describe_edge(fid, client.list_edges(fid, a)[0].edge_id).state == "impossible"
    f = client.describe_flow(fid)
    assert f.state == "failed" and (f.counts.failed, f.counts.skipped) == (1, 1)


def test_parent_results_from_inside_a_worker_handler(ff, client, lane):
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    b = client.submit("b", lane=lane, flow=fid)
    c = client.submit("c", lane=lane, flow=fid)
    client.add_edge(fid, a, c, pass_data=True)
    client.add_edge(fid, b, c)
    seen = {}
    w = ff.Worker(client, lanes=[lane])

    @w.task("a")
    def ra(task):
        return b"from-a"

    @w.task("b")
    def rb(task):
        return b"from-b"

    @w.task("c")
    def rc(task):
        seen.update(task.parent_results())
        return b"ok"
    w.run(max_tasks=3, idle_timeout=60)
    assert seen == {a: b"from-a", b: None}
    assert client.parent_results(c) == {a: b"from-a", b: None}
    assert client.parent_results(a) == {}


def test_parent_results_in_an_async_handler(ff, client, lane):
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    c = client.submit("c", lane=lane, flow=fid)
    client.add_edge(fid, a, c, pass_data=True)
    seen = {}
    w = ff.Worker(client, lanes=[lane])

    @w.task("a")
    async def ra(task):
        return b"up"

    @w.task("c")
    async def rc(task):
        seen.update(await task.aparent_results())
    w.run(max_tasks=2, idle_timeout=60)
    assert seen == {a: b"up"}


def test_reads_describe_list_edges_and_flow_of(client, lane):
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    b = client.submit("b", lane=lane, flow=fid)
    edge = client.add_edge(fid, a, b, pass_data=True)
    [out] = client.list_edges(fid, a, "out")
    [into] = client.list_edges(fid, b, direction="in")
    assert out == into and (out.edge_id, out.upstream, out.downstream, out.state) == (edge.edge_id, a, b, "pending")
    assert client.list_edges(fid, a, "in") == []
    with pytest.raises(errors.InvalidArgument):
        client.list_edges(fid, a, "both")
    full = client.describe_edge(fid, edge.edge_id)
    assert full.data_passing and full.created_at and full.resolved_at is None and full.upstream == a
    with pytest.raises(errors.EdgeNotFound):
        client.describe_edge(fid, str(uuid.uuid4()))
    with pytest.raises(errors.InvalidArgument):
        client.describe_edge(fid, "not-an-edge-id")
    f = client.describe_flow(fid)
    assert f.partition == int(fid[4:fid.index("}")]) and f.counts.members == 2 and f.edge_count == 1
    assert [e.edge_id for e in f.edges] == [edge.edge_id] and f.created_at
    assert [(g.downstream, g.policy, g.n) for g in f.groups] == [(b, "all_of", 1)]
    assert fid in list(client.list_flows(f.partition, count=1))
    assert fid in list(client.list_flows())
    with pytest.raises(errors.FlowNotFound):
        client.describe_flow("{fp:0}:" + str(uuid.uuid4()))


def test_list_flows_follows_the_cursor(client, lane):
    first = _flow(client, lane)
    p = client.describe_flow(first).partition
    made = {first}
    while len(made) < 4:  # flows of the same partition as the first
        fid = _flow(client, lane)
        if client.describe_flow(fid).partition == p:
            made.add(fid)
    listed = list(client.list_flows(p, count=1))
    assert made <= set(listed) and len(listed) == len(set(listed)) and listed == sorted(listed)


def test_cancel_flow_each_policy(client, lane):
    with pytest.raises(errors.InvalidArgument):
        client.cancel_flow(_flow(client, lane), "cancel_some")
    with pytest.raises(TypeError):
        client.cancel_flow(_flow(client, lane))  # the policy is required

    # cancel_all: the running member too
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    b = client.submit("b", lane=lane, flow=fid)
    running = _claim_one(client, lane)
    got = client.cancel_flow(fid, "cancel_all", reason="stop")
    assert got.policy == "cancel_all" and not got.repeat and set(got.cancelled) == {a, b}
    with pytest.raises(errors.ExecutionNotActive):
        client.complete(running)
    again = client.cancel_flow(fid, "cancel_pending")
    assert again.repeat and again.policy == "cancel_all" and again.cancelled == ()
    assert client.describe_flow(fid).state == "cancelled"
    with pytest.raises(errors.FlowAlreadyTerminal):
        client.submit("late", lane=lane, flow=fid)

    # cancel_pending: the running member finishes
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    b = client.submit("b", lane=lane, flow=fid)
    running = _claim_one(client, lane)
    waiting = b if running.execution_id == a else a
    got = client.cancel_flow(fid, "cancel_pending")
    assert got.cancelled == (waiting,)
    assert client.complete(running) == "completed"
    assert client.state(waiting) == "cancelled"

    # flow_only: members untouched
    fid = _flow(client, lane)
    a = client.submit("a", lane=lane, flow=fid)
    got = client.cancel_flow(fid, "flow_only")
    assert got.cancelled == () and client.state(a) == "waiting"
    assert client.describe_flow(fid).state == "cancelled"
    client.cancel(a)


def test_the_builder_creates_submits_and_stages(ff, client, lane):
    with client.flow(lane=lane) as f:
        build = f.add("build", b"src")
        test = f.add("test", after=[build], pass_data=True)
        lint = f.add("lint", after=[build])
        deploy = f.add("deploy", after=[test, lint], policy="any_of", on_satisfied="let_run")
        assert not build.built and not f.built  # nothing is sent inside the block
        with pytest.raises(errors.InvalidArgument):
            _ = build.id
    assert f.built and f.id and all(n.id for n in (build, test, lint, deploy))
    flow = client.describe_flow(f.id)
    assert {m.execution_id for m in flow.members} == {build.id, test.id, lint.id, deploy.id}
    assert flow.edge_count == 4
    assert next(g for g in flow.groups if g.downstream == deploy.id).policy == "any_of"
    order = []
    w = ff.Worker(client, lanes=[lane])

    @w.task()
    def run(task):
        order.append(task.kind)
        if task.kind == "test":
            assert task.parent_results() == {build.id: b"built"}
        return b"built" if task.kind == "build" else b""
    w.run(max_tasks=4, idle_timeout=60)
    # deploy (any_of, let_run) waits for one of test/lint only; members created in the same
    # millisecond have no claim order among them
    assert order[0] == "build" and sorted(order) == ["build", "deploy", "lint", "test"]
    assert order.index("deploy") > min(order.index("test"), order.index("lint"))
    assert client.describe_flow(f.id).state == "completed"


def test_the_builder_checks_its_declarations_and_sends_nothing_on_error(client, lane):
    other = client.flow(lane=lane)
    stray = other.add("x")
    with pytest.raises(RuntimeError):
        with client.flow(lane=lane) as f:
            a = f.add("a")
            with pytest.raises(errors.InvalidArgument):
                f.add("b", after=[stray])
            with pytest.raises(errors.InvalidArgument):
                f.add("b", after=[a], policy="most_of")
            with pytest.raises(errors.InvalidArgument):
                f.add("b", policy="any_of")
            raise RuntimeError("abandon")
    assert not f.built and not a.built and not stray.built


def test_async_flow_calls(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            fid = await c.create_flow(lane=lane)
            a = await c.submit("a", lane=lane, flow=fid)
            b = await c.submit("b", lane=lane, flow=fid)
            edge = await c.add_edge(fid, a, b)
            assert (await c.flow_of(b)) == fid
            assert [e.edge_id for e in await c.list_edges(fid, b, "in")] == [edge.edge_id]
            assert fid in [x async for x in c.list_flows()]
            with pytest.raises(errors.InvalidArgument):
                await c.cancel_flow(fid, "nope")
            async with c.flow(lane=lane) as f:
                x = f.add("x")
                f.add("y", after=[x])
            assert (await c.describe_flow(f.id)).edge_count == 1
            got = await c.cancel_flow(fid, "cancel_all")
            assert set(got.cancelled) == {a, b}
            await c.cancel_flow(f.id, "cancel_all")
    asyncio.run(asyncio.wait_for(main(), 120))


def test_submit_flow_blocks_downstream_members_from_birth(client, lane):
    done = client.submit_flow(
        [{"kind": "build"}, {"kind": "test", "payload": b"t"}, {"kind": "deploy"}],
        [(0, 1, True), (1, 2)], lane=lane)
    a, b, c = done.member_ids
    assert not done.existed and client.flow_of(b) == done.flow_id
    # only the head was ever claimable: the others were blocked in the same call
    assert [client.describe(x).public_state for x in (a, b, c)] == ["waiting", "waiting_children",
                                                                     "waiting_children"]
    cl = _claim_one(client, lane)
    assert cl.execution_id == a and client.claim([lane], lease_ttl=30) == []
    client.complete(cl, b"built")
    cl = _claim_one(client, lane)
    assert cl.execution_id == b
    assert client.parent_results(b) == {a: b"built"}
    client.complete(cl, b"")
    assert _claim_one(client, lane).execution_id == c


def test_submit_flow_groups_and_refusals(client, lane):
    done = client.submit_flow([{"kind": "x"}, {"kind": "y"}, {"kind": "join"}], [(0, 2), (1, 2)],
                              groups={2: {"policy": "any_of", "on_satisfied": "let_run"}}, lane=lane)
    f = client.describe_flow(done.flow_id)
    assert [g.policy for g in f.groups] == ["any_of"]
    fid = "{fp:%s}:%s" % (done.flow_id.split("}")[0][4:], uuid.uuid4())
    with pytest.raises(errors.CycleDetected):
        client.submit_flow([{"kind": "a"}, {"kind": "b"}], [(0, 1), (1, 0)], flow_id=fid, lane=lane)
    with pytest.raises(errors.FlowNotFound):  # the refusal wrote nothing
        client.describe_flow(fid)
    for bad in ([], [{"payload": b"no kind"}], [{"kind": "k", "idempotency_key": "i"}]):
        with pytest.raises(errors.InvalidArgument):
            client.submit_flow(bad, lane=lane)
    with pytest.raises(errors.InvalidArgument):
        client.submit_flow([{"kind": "a"}], [(0, 5)], lane=lane)
    with pytest.raises(errors.InvalidArgument):
        client.submit_flow([{"kind": "a"}, {"kind": "b"}], [(0, 1)], groups={1: {"policy": "most_of"}}, lane=lane)


def test_submit_flow_is_idempotent_by_flow_id(client, lane):
    body = ([{"kind": "a"}, {"kind": "b"}], [(0, 1)])
    first = client.submit_flow(*body, lane=lane)
    again = client.submit_flow(*body, flow_id=first.flow_id, lane=lane)
    assert again.existed and again.member_ids == first.member_ids
    with pytest.raises(errors.FlowSubmitConflict):
        client.submit_flow([{"kind": "a"}], flow_id=first.flow_id, lane=lane)
