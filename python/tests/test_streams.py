"""Output streams (docs/streams.md) from Python: append / read / tail /
summary on the client, follow() sync and async, and the worker's
task.log / emit / summary, against the real server."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

BINARY = b"\x00\xff\x00raw\xfe\x80"


def _claim_one(client, lane, **kw):
    """Claim the next execution of a lane (a retry is claimable once its
    backoff passed: poll for it, no timing asserted)."""
    end = time.monotonic() + 30
    while time.monotonic() < end:
        got = client.claim([lane], **kw)
        if got:
            return got[0]
        time.sleep(0.05)
    raise AssertionError("nothing became claimable")


def _running(client, lane, **kw):
    eid = client.submit("streamer", b"", lane=lane, **kw)
    return eid, _claim_one(client, lane)


def test_round_trip_every_field_and_binary_payload(ff, client, lane):
    eid, cl = _running(client, lane)
    done = client.append_frame(cl, "tokens", BINARY, mode="durable", encoding="raw", source="model-a",
                               correlation_id="req-7")
    assert isinstance(done, ff.FrameAppended)
    assert done.frame_count == 1 and done.entry_id and done.summary_version is None
    second = client.append_frame(cl, "log", "plain text")
    assert second.frame_count == 2
    page = client.read_stream(eid)
    assert isinstance(page, ff.StreamPage) and not page.closed and page.closed_reason == "" and page.closed_at == 0
    f, g = page.frames
    assert isinstance(f, ff.StreamFrame)
    assert (f.id, f.frame_type, f.payload, f.encoding, f.source, f.correlation_id, f.mode, f.attempt) == \
        (done.entry_id, "tokens", BINARY, "raw", "model-a", "req-7", "durable", 0)
    assert f.ts_ms == int(f.id.split("-")[0])
    assert (g.payload, g.text(), g.encoding, g.source, g.correlation_id) == (b"plain text", "plain text", "utf8",
                                                                            "worker", "")
    assert page.cursor == g.id
    assert client.complete(cl) == "completed"
    closed = client.read_stream(eid)
    assert closed.closed and closed.closed_reason == "attempt_success" and closed.closed_at > 0
    assert [x.id for x in closed.frames] == [f.id, g.id]  # the close marker is no frame


def test_limits_and_bad_input_write_nothing(ff, client, lane):
    eid, cl = _running(client, lane)
    with pytest.raises(ff.RetentionLimitExceeded):
        client.append_frame(cl, "big", b"x" * 65537)
    with pytest.raises(ff.InvalidFrameType):
        client.append_frame(cl, "no spaces", b"x")
    with pytest.raises(ff.InvalidArgument):
        client.append_frame(cl, "log", b"x", mode="sometimes")
    with pytest.raises(TypeError):
        client.append_frame(cl, "log", {"not": "bytes"})  # type: ignore[arg-type]
    with pytest.raises(ff.InvalidInput):
        client.append_frame(cl, "summary", b"[1, 2]", mode="summary")
    with pytest.raises(ff.PatchDepthExceeded):
        client.append_frame(cl, "summary", '{"a":' * 17 + "1" + "}" * 17, mode="summary")
    for bad in (0, 10001):
        with pytest.raises(ff.InvalidArgument):
            client.read_stream(eid, count=bad)
    with pytest.raises(ff.InvalidOffset):
        client.read_stream(eid, after="not-a-cursor")
    with pytest.raises(ff.ExecutionNotFound):
        client.read_stream("{fp:0}:00000000-0000-4000-8000-000000000000")
    page = client.read_stream(eid)
    assert page.frames == () and not page.closed
    assert client.append_frame(cl, "log", b"x" * 65536).frame_count == 1  # the limit itself is fine
    client.complete(cl)
    with pytest.raises(ff.StreamClosed):
        client.append_frame(cl, "log", b"late")


def test_summary_merge_patch_and_null_sentinel(ff, client, lane):
    eid, cl = _running(client, lane)
    empty = client.stream_summary(eid)
    assert isinstance(empty, ff.StreamSummary)
    assert (empty.document, empty.version, empty.created, empty.updated) == (None, 0, None, None)
    assert client.append_frame(cl, "summary", '{"a": 1, "b": {"c": 2, "keep": true}, "tags": [1]}',
                               mode="summary").summary_version == 1
    client.append_frame(cl, "summary", b'{"b": {"c": null, "d": "__ff_null__"}, "tags": ["x"], "a": null}',
                        mode="summary")
    s = client.stream_summary(eid)
    assert s.document == {"b": {"keep": True, "d": None}, "tags": ["x"]}
    assert s.version == 2 and s.created is not None and s.updated is not None and s.updated >= s.created
    # each patch is also a frame, in order with the others
    assert [(f.frame_type, f.mode) for f in client.read_stream(eid).frames] == [("summary", "summary")] * 2
    client.complete(cl)


def test_paging_without_overlap(client, lane):
    eid, cl = _running(client, lane)
    for i in range(7):
        client.append_frame(cl, "n", str(i))
    seen, cursor = [], ""
    while True:
        page = client.read_stream(eid, after=cursor, count=3)
        seen += [f.payload for f in page.frames]
        cursor = page.cursor
        if not page.more:
            break
    assert seen == [str(i).encode() for i in range(7)]
    upto = client.read_stream(eid, to=client.read_stream(eid, count=2).cursor)
    assert [f.payload for f in upto.frames] == [b"0", b"1"]
    client.complete(cl)


def test_durable_only_leaves_best_effort_out(client, lane):
    eid, cl = _running(client, lane)
    client.append_frame(cl, "delta", b"d", mode="best_effort")
    client.append_frame(cl, "log", b"kept")
    assert [f.mode for f in client.read_stream(eid).frames] == ["best_effort", "durable"]
    assert [f.payload for f in client.read_stream(eid, durable_only=True).frames] == [b"kept"]
    client.complete(cl)


def test_tail_wakes_on_append(client, lane):
    eid, cl = _running(client, lane)
    first = client.append_frame(cl, "log", b"before")
    assert client.tail_stream(eid, after=first.entry_id, block_ms=0).frames == ()  # a peek
    got = []
    t = threading.Thread(target=lambda: got.append(client.tail_stream(eid, after=first.entry_id, block_ms=600000)))
    t.start()
    client.append_frame(cl, "log", b"woke")
    t.join(120)
    assert not t.is_alive()
    assert [f.payload for f in got[0].frames] == [b"woke"]
    client.complete(cl)


def test_follow_across_a_retry_yields_both_attempts_and_ends(ff, client, lane):
    eid = client.submit("streamer", b"", lane=lane, retry=ff.Retry(max_retries=1, backoff="fixed", initial_ms=50))
    frames = []
    follower = threading.Thread(target=lambda: frames.extend(client.follow(eid, block_ms=200)))
    follower.start()
    cl = _claim_one(client, lane)
    client.append_frame(cl, "log", b"first try")
    assert client.fail(cl, "flaky", "transient")[0] == "retry_scheduled"
    cl = _claim_one(client, lane)
    assert cl.attempt_index == 1
    client.append_frame(cl, "log", b"second try")
    client.complete(cl)
    follower.join(120)
    assert not follower.is_alive()
    assert [(f.attempt, f.payload) for f in frames] == [(0, b"first try"), (1, b"second try")]
    # one attempt only, after the fact
    assert [f.payload for f in client.follow(eid, 0)] == [b"first try"]
    assert [f.payload for f in client.follow(eid, attempt=1)] == [b"second try"]
    assert client.read_stream(eid, 0).closed_reason == "attempt_failure"
    assert client.read_stream(eid, 2).closed_reason == "execution_ended"


def test_follow_of_an_execution_that_never_streamed_ends(client, lane):
    eid, cl = _running(client, lane)
    client.complete(cl)
    assert list(client.follow(eid, block_ms=100)) == []


def test_follow_ends_when_lease_expiry_closes_the_stream(ff, server_url, lane):
    with ff.connect(server_url) as c:
        eid = c.submit("streamer", b"", lane=lane)
        [cl] = c.claim([lane], lease_ttl=1)
        c.append_frame(cl, "log", b"then the worker died")
        with c.engine(tick=0.05):  # its sweep finds the lease expired and closes the stream
            frames = list(c.follow(eid, attempt=0, block_ms=200))
        assert [f.payload for f in frames] == [b"then the worker died"]
        assert c.read_stream(eid, 0).closed_reason == "lease_expired"
        with pytest.raises(ff.StaleOwnerCannotAppend):
            c.append_frame(cl, "log", b"too late")


def test_async_follow_tail_and_summary(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            eid = await c.submit("streamer", b"", lane=lane)
            [cl] = await c.claim([lane])
            first = await c.append_frame(cl, "log", BINARY)
            tail = asyncio.ensure_future(c.tail_stream(eid, after=first.entry_id, block_ms=600000))
            await asyncio.sleep(0)
            await c.append_frame(cl, "summary", '{"done": 1}', mode="summary")
            woke = await tail
            assert [f.frame_type for f in woke.frames] == ["summary"]
            assert (await c.stream_summary(eid)).document == {"done": 1}
            assert [f.payload for f in (await c.read_stream(eid)).frames][0] == BINARY
            follower = asyncio.ensure_future(_collect(c.follow(eid, block_ms=200)))
            await c.append_frame(cl, "log", b"last")
            await c.complete(cl)
            frames = await follower
            assert [f.frame_type for f in frames] == ["log", "summary", "log"]
            assert frames[-1].payload == b"last" and {f.attempt for f in frames} == {0}
    asyncio.run(asyncio.wait_for(main(), 120))


async def _collect(it):
    return [f async for f in it]


def test_task_log_emit_summary_through_a_worker(ff, client, lane):
    eid = client.submit("streamer", b"", lane=lane)
    w = ff.Worker(client, lanes=[lane])
    refused = []
    kept = []

    @w.task("streamer")
    def handler(task):
        task.log("starting")
        task.emit("tokens", BINARY, mode="best_effort", encoding="raw", source="llm", correlation_id="c1")
        task.summary({"step": 1, "note": "__ff_null__"})
        task.summary('{"step": 2}')
        for bad in (lambda: task.emit("bad type", b""), lambda: task.emit("t", b"x" * 65537),
                    lambda: task.summary("[1]"), lambda: task.summary("not json"),
                    lambda: task.emit("t", b"", mode="loud")):
            try:
                bad()
            except ff.InvalidInput as e:  # InvalidFrameType, InvalidArgument, ... (RetentionLimitExceeded below)
                refused.append(type(e).__name__)
            except ff.RetentionLimitExceeded as e:
                refused.append(type(e).__name__)
        task.log("done")
        kept.append(task)
        return b"ok"
    w.run(max_tasks=1)
    assert client.result(eid) == b"ok"
    assert refused == ["InvalidFrameType", "RetentionLimitExceeded", "InvalidInput", "InvalidInput",
                       "InvalidArgument"]
    frames = list(client.follow(eid))
    assert [(f.frame_type, f.mode) for f in frames] == [("log", "durable"), ("tokens", "best_effort"),
                                                        ("summary", "summary"), ("summary", "summary"),
                                                        ("log", "durable")]
    assert frames[0].text() == "starting" and frames[-1].text() == "done"
    assert (frames[1].payload, frames[1].encoding, frames[1].source, frames[1].correlation_id) == \
        (BINARY, "raw", "llm", "c1")
    s = client.stream_summary(eid)
    assert s.document == {"step": 2, "note": None} and s.version == 2
    with pytest.raises(ff.InvalidArgument):
        kept[0].log("after the end")  # the task finished
