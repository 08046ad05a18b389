"""Child flows (Task.spawn_children / wait_children / children), the
completion feed (read_completions, follow_completions), wait_flow and
cancel_flow(wait=True) from Python, against the real server
(docs/flows.md, "Child flows" and "Following flows")."""

import asyncio

import pytest

from flowfabric import errors


def test_a_parent_spawns_waits_and_resumes_with_its_childrens_results(ff, client, lane):
    parent = client.submit("parent", b"{}", lane=lane)
    runs = []
    w = ff.Worker(client, lanes=[lane])

    @w.task("parent")
    def run_parent(task):
        runs.append((task.attempt_type, task.attempt_id))
        if task.attempt_type != "resumed":
            kids = task.spawn_children([{"kind": "child", "payload": b"1"}, {"kind": "child", "payload": b"2"}])
            assert len(kids.member_ids) == 2
            assert task.wait_children() == "suspended"
            return None  # ignored: the task is over until the children end
        got = sorted(c.result for c in task.children())
        return b"+".join(got)

    @w.task("child")
    def run_child(task):
        return b"child-" + task.payload

    w.run(max_tasks=4, idle_timeout=60)
    assert client.result(parent) == b"child-1+child-2"
    assert [r[0] for r in runs] == ["first", "resumed"] or runs[1][0] == "resumed"
    assert runs[0][1] == runs[1][1]  # the same attempt
    kids = client.children(parent)
    assert len(kids) == 2 and {c.state for c in kids} == {"completed"}
    f = client.describe_flow(kids[0].flow_id)
    assert f.parent == parent and f.state == "completed" and f.settled


def test_wait_children_without_children_is_refused_and_the_task_goes_on(ff, client, lane):
    eid = client.submit("lonely", lane=lane)
    seen = []
    w = ff.Worker(client, lanes=[lane])

    @w.task("lonely")
    def run(task):
        with pytest.raises(errors.NoChildren):
            task.wait_children()
        seen.append("went on")
        return b"done"
    w.run(max_tasks=1, idle_timeout=60)
    assert seen == ["went on"] and client.result(eid) == b"done"


def test_async_handler_awaits_children(ff, client, lane):
    parent = client.submit("parent", lane=lane)
    w = ff.Worker(client, lanes=[lane])

    @w.task("parent")
    async def run_parent(task):
        if task.attempt_type != "resumed":
            task.spawn_children([{"kind": "child"}])
            assert await task.await_children() == "suspended"
            return None
        kids = await task.achildren()
        return kids[0].result

    @w.task("child")
    async def run_child(task):
        return b"async-child"
    w.run(max_tasks=3, idle_timeout=60)
    assert client.result(parent) == b"async-child"


def test_spawning_needs_a_running_parent(client, lane):
    idle = client.submit("x", lane=lane)
    with pytest.raises(errors.ExecutionNotActive):
        client.submit_flow([{"kind": "c"}], parent=idle, lane=lane)
    with pytest.raises(errors.InvalidArgument):
        client.submit_flow([{"kind": "c"}], parent="not-an-id", lane=lane)


def test_follow_completions_from_a_stored_cursor(client, lane):
    sub = client.submit_flow([{"kind": "a"}, {"kind": "b"}], [(0, 1)], lane=lane)
    part = int(sub.flow_id.split(":")[1].split("}")[0])
    start = client.read_completions(part, "$").cursor
    for _ in range(2):
        (cl,) = client.claim([lane], lease_ttl=30)
        client.complete(cl, b"")
    mine = []
    for e in client.follow_completions(part, start, idle_timeout=0.5):
        if e.flow_id == sub.flow_id:
            mine.append((e.execution_id, e.outcome, e.kind))
        if e.kind == "flow" and e.flow_id == sub.flow_id:
            break
    a, b = sub.member_ids
    assert mine == [(a, "success", "member"), (b, "success", "member"), ("", "completed", "flow")]
    page = client.read_completions(part, start, count=1)
    assert len(page.entries) == 1 and page.cursor == page.entries[0].id and not page.gap
    with pytest.raises(errors.InvalidArgument):
        client.read_completions(part, "nope")


def test_follow_is_woken_by_the_next_ending(ff, client, lane, server_url):
    sub = client.submit_flow([{"kind": "a"}], lane=lane)
    part = int(sub.flow_id.split(":")[1].split("}")[0])
    start = client.read_completions(part, "$").cursor

    async def main():
        async with ff.AsyncClient(server_url) as ac:
            got = []

            async def follow():
                async for e in ac.follow_completions(part, start):
                    if e.flow_id == sub.flow_id:
                        got.append(e.outcome)
                        if e.kind == "flow":
                            return
            task = asyncio.ensure_future(follow())
            await asyncio.sleep(0.2)  # most likely waiting by now; correct either way
            (cl,) = client.claim([lane], lease_ttl=30)
            client.complete(cl, b"")
            await asyncio.wait_for(task, 60)
            assert got == ["success", "completed"]
    asyncio.run(main())


def test_wait_flow_and_cancel_with_wait(client, lane):
    sub = client.submit_flow([{"kind": "a"}, {"kind": "b"}], lane=lane)
    (running,) = client.claim([lane], lease_ttl=30)
    with pytest.raises(errors.Timeout):
        client.wait_flow(sub.flow_id, timeout=0.05)
    done = client.cancel_flow(sub.flow_id, "cancel_pending", wait=True, timeout=0.05)
    assert done.partially_cancelled == (running.execution_id,)
    assert len(done.cancelled) == 1
    client.complete(running, b"")
    f = client.wait_flow(sub.flow_id, timeout=60)
    assert f.state == "cancelled" and f.settled
    again = client.cancel_flow(sub.flow_id, "cancel_all", wait=True, timeout=60)
    assert again.repeat and again.partially_cancelled == ()
    with pytest.raises(errors.InvalidArgument):
        client.cancel_flow(sub.flow_id, "everything")
