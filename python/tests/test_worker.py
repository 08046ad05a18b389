"""The worker SDK on top of the C worker runtime."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import shutil
import signal
import subprocess
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import PYTHON


def test_issue_example(ff, server_url, lane, monkeypatch):
    monkeypatch.setenv("FF_URL", server_url)
    import flowfabric as ff
    with ff.connect() as client:                  # FF_URL or the embedded private server
        eid = client.submit("send_email", b"payload", lane=lane, priority=0,
                            retry=ff.Retry(max_retries=3, backoff="exponential",
                                           initial_ms=100, max_ms=5000),
                            idempotency_key=None, capabilities=(), tags=None)
        assert client.describe(eid).public_state == "waiting"
        worker = ff.Worker(client, lanes=[lane], concurrency=8)
        seen = []

        @worker.task("send_email")
        def send(task):
            seen.append((task.payload, task.attempt))
            task.progress(50, "halfway")
            return b"sent"
        worker.run(max_tasks=1)
        assert client.result(eid) == b"sent"
        assert seen == [(b"payload", 0)]
        assert worker.stats()["completed"] == 1


def test_handler_raising_retries_then_fails(ff, client, lane):
    eid = client.submit("flaky", b"", lane=lane, retry=ff.Retry(max_retries=2, backoff="fixed", initial_ms=50))
    w = ff.Worker(client, lanes=[lane], poll_interval=0.2)
    attempts = []

    @w.task("flaky")
    def flaky(task):
        attempts.append((task.attempt, task.attempt_type))
        raise ValueError(f"nope {task.attempt}")
    w.run(max_tasks=3, idle_timeout=60)
    ex = client.wait_ended(eid, timeout=30)
    assert ex.public_state == "failed"
    assert attempts == [(0, "initial"), (1, "retry"), (2, "retry")]
    assert (ex.counters.total_attempts, ex.counters.retry_count) == (3, 2)
    assert ex.failure.reason == "ValueError: nope 2" and ex.failure.category == "error"
    assert [a.state for a in ex.attempts] == ["ended_failure"] * 3


def test_task_failed_category_decides_retry(ff, client, lane):
    eid = client.submit("k", b"", lane=lane,
                        retry=ff.Retry(max_retries=5, backoff="fixed", initial_ms=10, categories=["transient"]))
    w = ff.Worker(client, lanes=[lane])

    @w.task("k")
    def k(task):
        raise ff.TaskFailed("card declined", category="permanent")
    w.run(max_tasks=1)
    ex = client.wait_ended(eid, timeout=30)
    assert ex.public_state == "failed" and ex.counters.total_attempts == 1
    assert (ex.failure.reason, ex.failure.category) == ("card declined", "permanent")


def test_task_attributes_and_return_values(ff, client, lane):
    ids = {
        "bytes": client.submit("bytes", b"\x00\x01", lane=lane, tags={"t": "1"}),
        "str": client.submit("str", "héllo", lane=lane),
        "none": client.submit("none", b"", lane=lane),
        "json": client.submit_json("json", {"n": 41}, lane=lane),
    }
    w = ff.Worker(client, lanes=[lane], concurrency=4, worker_id="attr-test", lease_ttl=7)
    info = {}

    @w.task("bytes")
    def b(task):
        info["task"] = (task.execution_id, task.kind, task.lane, task.namespace, task.attempt, task.attempt_type,
                        task.lease_epoch, task.lease_ttl_ms, bool(task.lease_id), bool(task.attempt_id),
                        task.worker_instance_id == w.instance_id_in_use, task.lost, task.client is client)
        task.progress(75, "almost")
        return task.payload + b"!"

    @w.task("str")
    def s(task):
        return task.payload.decode() + " wörld"

    @w.task("none")
    def n(task):
        return None

    @w.task("json")
    def j(task):
        return {"n": task.json()["n"] + 1}
    w.run(max_tasks=4, idle_timeout=60)
    assert info["task"] == (ids["bytes"], "bytes", lane, "default", 0, "initial", 1, 7000, True, True, True,
                            None, True)
    assert client.result(ids["bytes"]) == b"\x00\x01!"
    assert client.result(ids["str"]).decode() == "héllo wörld"
    assert client.result(ids["none"]) == b"" and client.describe(ids["none"]).has_result is False
    assert client.result_json(ids["json"]) == {"n": 42}
    ex = client.describe(ids["bytes"])
    assert ex.progress.percent == 75 and ex.progress.message == "almost"
    assert ex.attempts[0].worker_id == "attr-test"


def test_explicit_finishing_calls(ff, client, lane):
    ids = {k: client.submit(k, b"", lane=lane) for k in ("cancel", "delay", "release", "explicit", "twice")}
    w = ff.Worker(client, lanes=[lane], concurrency=5, poll_interval=0.2)
    log = []

    @w.task("cancel")
    def cancel(task):
        task.cancel("not today")

    @w.task("delay")
    def delay(task):
        if task.attempt_type == "initial":
            task.delay(0.1)
            log.append("delayed")
            return None
        log.append(("delay-resumed", task.attempt, task.attempt_type))
        return b"after delay"

    @w.task("release")
    def release(task):
        if task.attempt_type == "initial":
            task.release()
            return None
        log.append(("release-resumed", task.attempt_type))
        return b"after release"

    @w.task("explicit")
    def explicit(task):
        task.complete(b"explicit")
        return b"ignored"

    @w.task("twice")
    def twice(task):
        task.complete_json([1])
        try:
            task.fail("again")
        except ff.FlowFabricError as e:
            log.append(("twice", type(e).__name__))
        try:
            task.progress(1)
        except ff.FlowFabricError as e:
            log.append(("progress-after", type(e).__name__))
    w.run(max_tasks=7, idle_timeout=60)
    assert client.wait_ended(ids["cancel"], 10).cancellation.cancelled_by == "lease_holder"
    assert client.result(ids["delay"]) == b"after delay"
    assert ("delay-resumed", 0, "resumed") in log
    assert client.result(ids["release"]) == b"after release" and ("release-resumed", "resumed") in log
    assert client.result(ids["explicit"]) == b"explicit"
    assert client.result_json(ids["twice"]) == [1]
    assert ("twice", "InvalidArgument") in log and ("progress-after", "InvalidArgument") in log


def test_async_handlers_with_async_client(ff, server_url, lane):
    async def main():
        async with ff.AsyncClient(server_url) as c:
            ids = [await c.submit("a", str(i), lane=lane, retry=ff.Retry(max_retries=1, backoff="fixed",
                                                                            initial_ms=10)) for i in range(10)]
            sync_id = await c.submit("s", b"sync", lane=lane)
            w = ff.Worker(c, lanes=[lane], concurrency=4, poll_interval=0.2)
            loop_thread = threading.get_ident()
            threads = set()

            @w.task("a")
            async def a(task):
                threads.add(threading.get_ident())
                await asyncio.sleep(0.01)
                if task.payload == b"3" and task.attempt == 0:
                    raise RuntimeError("first try fails")
                task.progress(100)
                return task.payload * 2

            @w.task("s")
            def s(task):  # plain def next to async handlers: thread pool
                return threading.current_thread().name.encode()
            await w.arun(max_tasks=12, idle_timeout=60)
            assert threads == {loop_thread}
            results = [await c.result(e) for e in ids]
            assert results == [str(i).encode() * 2 for i in range(10)]
            assert (await c.describe(ids[3])).counters.total_attempts == 2
            assert (await c.result(sync_id)).startswith(b"flowfabric-worker")
    asyncio.run(asyncio.wait_for(main(), 120))


def test_async_handler_with_sync_run(ff, client, lane):
    eid = client.submit("a", b"x", lane=lane)
    w = ff.Worker(client, lanes=[lane])

    @w.task("a")
    async def a(task):
        await asyncio.sleep(0)
        return b"async via run()"
    w.run(max_tasks=1)
    assert client.result(eid) == b"async via run()"


def test_default_handler_and_unhandled_kinds(ff, client, lane):
    unhandled = client.submit("zzz", b"", lane=lane)
    handled = client.submit("a", b"", lane=lane)
    w = ff.Worker(client, lanes=[lane])

    @w.task("a")
    def a(task):
        return b"a"
    w.run(max_tasks=1, idle_timeout=60)
    assert client.result(handled) == b"a"
    ex = client.wait_ended(unhandled, timeout=30)
    assert ex.public_state == "failed" and ex.failure.category == "no_handler"

    other = client.submit("anything", b"", lane=lane)
    w2 = ff.Worker(client, lanes=[lane])

    @w2.task()
    def default(task):
        return ("default got " + task.kind).encode()
    w2.run(max_tasks=1, idle_timeout=60)
    assert client.result(other) == b"default got anything"


def test_capability_routing(ff, client, lane):
    gpu = client.submit("k", b"", lane=lane, capabilities=["gpu"])
    plain = client.submit("k", b"", lane=lane)
    cpu_worker = ff.Worker(client, lanes=[lane])
    got = []
    cpu_worker.register("k", lambda task: got.append(task.execution_id))
    cpu_worker.run(max_tasks=1, idle_timeout=60)
    assert got == [plain] and client.state(gpu) == "waiting"
    gpu_worker = ff.Worker(client, lanes=[lane], capabilities=["gpu", "cuda"])
    gpu_worker.register("k", lambda task: got.append(task.execution_id))
    gpu_worker.run(max_tasks=1, idle_timeout=60)
    assert got == [plain, gpu]


def test_idle_timeout_and_stop(ff, client, lane):
    w = ff.Worker(client, lanes=[lane], engine={"tick": 0.1, "engine_id": "py-worker-engine"})
    w.register("k", lambda t: None)
    w.run(idle_timeout=0.2)  # returns: nothing to do
    threading.Timer(0.2, w.stop).start()
    w.run()  # returns: stopped from another thread
    assert w.stats()["claimed"] == 0


def test_lost_lease_is_reported_to_the_handler(ff, client, lane):
    eid = client.submit("long", b"", lane=lane)
    w = ff.Worker(client, lanes=[lane], lease_ttl=1, poll_interval=0.2)
    seen = []

    @w.task("long")
    def long(task):
        if task.attempt == 0:
            task.client.revoke_lease(task.execution_id, reason="operator")
            end = time.monotonic() + 30
            while task.lost is None and time.monotonic() < end:
                time.sleep(0.02)
            seen.append(type(task.lost).__name__)
            try:
                task.complete(b"too late")
            except ff.LeaseError as e:
                seen.append(type(e).__name__)
            return None
        seen.append(task.attempt_type)
        return b"second attempt"
    w.run(max_tasks=2, idle_timeout=60)
    assert seen == ["LeaseRevoked", "LeaseRevoked", "reclaim"]
    assert client.result(eid) == b"second attempt"


def _gil_spinner(tmp_path: Path):
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    src = tmp_path / "spin.c"
    src.write_text(textwrap.dedent("""
        #include <time.h>
        /* Busy-loop for `seconds` of wall time: pure CPU, no syscalls that
           could let anything else run in this thread. */
        double spin(double seconds) {
            struct timespec a, b;
            clock_gettime(CLOCK_MONOTONIC, &a);
            volatile double x = 0;
            for (;;) {
                for (int i = 0; i < 100000; i++) x += i * 0.5;
                clock_gettime(CLOCK_MONOTONIC, &b);
                if ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9 >= seconds) return x;
            }
        }
    """))
    so = tmp_path / "libspin.so"
    subprocess.run([cc, "-O1", "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    spin = ctypes.PyDLL(str(so)).spin  # PyDLL: the GIL stays HELD during the call
    spin.argtypes, spin.restype = [ctypes.c_double], ctypes.c_double
    return spin


def test_gil_holding_handler_keeps_its_lease(ff, client, lane, tmp_path):
    spin = _gil_spinner(tmp_path)
    eid = client.submit("cpu", b"", lane=lane)
    w = ff.Worker(client, lanes=[lane], lease_ttl=1)  # 1 s lease, renewed every ~333 ms by the C I/O thread

    @w.task("cpu")
    def cpu(task):
        spin(3.5)  # holds the GIL for 3.5 lease TTLs
        return b"done"
    w.run(max_tasks=1, idle_timeout=60)
    ex = client.wait_ended(eid, timeout=30)
    assert ex.public_state == "completed" and client.result(eid) == b"done"
    assert ex.counters.total_attempts == 1 and ex.counters.reclaim_count == 0
    assert [a.state for a in ex.attempts] == ["ended_success"]
    st = w.stats()
    assert st["renewals"] >= 2 and st["lost"] == 0


def _worker_module(tmp_path: Path, name: str, body: str) -> None:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(body))


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"worker process exited early ({proc.returncode}):\n{out}")
        if time.monotonic() > end:
            raise AssertionError("the worker process never started the task")
        time.sleep(0.02)


def test_sigkill_of_a_worker_process_recovers_the_work(ff, client, lane, tmp_path, subprocess_env):
    _worker_module(tmp_path, "doomed_worker", """
        import os, time
        import flowfabric as ff
        client = ff.connect()
        worker = ff.Worker(client, lanes=[os.environ["LANE"]], lease_ttl=1, poll_interval=0.2,
                           instance_id="doomed")

        @worker.task("job")
        def job(task):
            open(os.environ["MARKER"], "w").write(task.execution_id)
            while True:
                time.sleep(1)
    """)
    marker = tmp_path / "started"
    env = dict(subprocess_env, LANE=lane, MARKER=str(marker))
    eid = client.submit("job", b"important", lane=lane)
    proc = subprocess.Popen([PYTHON, "-m", "flowfabric", "worker", "doomed_worker:worker"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(marker, proc)
        assert marker.read_text() == eid
        assert client.describe(eid).lease.worker_instance_id == "doomed"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL

    w = ff.Worker(client, lanes=[lane], poll_interval=0.2, instance_id="rescuer")
    got = []

    @w.task("job")
    def job(task):
        got.append((task.attempt_type, task.payload))
        return b"recovered"
    w.run(max_tasks=1, idle_timeout=60)
    assert got == [("reclaim", b"important")]
    ex = client.wait_ended(eid, timeout=30)
    assert ex.public_state == "completed" and client.result(eid) == b"recovered"
    assert [(a.type, a.state) for a in ex.attempts] == [("initial", "interrupted_reclaimed"),
                                                        ("reclaim", "ended_success")]
    assert ex.attempts[0].worker_instance_id == "doomed" and ex.attempts[1].worker_instance_id == "rescuer"


def test_sigterm_stops_gracefully(ff, client, lane, tmp_path, subprocess_env):
    _worker_module(tmp_path, "graceful_worker", """
        import os, time
        import flowfabric as ff

        def make():
            client = ff.connect()
            worker = ff.Worker(client, lanes=[os.environ["LANE"]], lease_ttl=5, poll_interval=0.2)

            @worker.task("job")
            def job(task):
                open(os.environ["MARKER"], "w").write("x")
                time.sleep(1.0)
                return b"finished after SIGTERM"
            return worker
    """)
    marker = tmp_path / "started"
    env = dict(subprocess_env, LANE=lane, MARKER=str(marker))
    first = client.submit("job", b"", lane=lane)
    second = client.submit("job", b"", lane=lane)
    proc = subprocess.Popen([PYTHON, "-m", "flowfabric", "worker", "graceful_worker:make"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(marker, proc)
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, out
    assert client.result(first) == b"finished after SIGTERM"
    assert client.state(second) == "waiting"  # no new claims once stopping


def test_worker_bad_inputs(ff, client, lane):
    with pytest.raises(TypeError):
        ff.Worker(object())
    with pytest.raises(TypeError):
        ff.Worker(client, lanes=lane)
    with pytest.raises(ff.InvalidInput):
        ff.Worker(client, lanes=[lane], concurrency=0)
    with pytest.raises(TypeError):
        ff.Worker(client, lanes=[lane], concurrency="4")  # type: ignore[arg-type]
    with pytest.raises(ff.InvalidInput):
        ff.Worker(client, lanes=[lane], lease_ttl=0.5)
    with pytest.raises(ff.InvalidInput):
        ff.Worker(client, lanes=[""])
    with pytest.raises(ff.InvalidInput):
        ff.Worker(client, lanes=[lane], engine={"tick": 61})
    with pytest.raises(TypeError):
        ff.Worker(client, lanes=[lane], engine={"bogus": 1})
    w = ff.Worker(client, lanes=[lane])
    with pytest.raises(ff.InvalidInput):
        w.run(max_tasks=1)  # no handlers
    with pytest.raises(TypeError):
        @w.task  # type: ignore[arg-type]
        def oops(task):
            return None
    w.register("k", lambda t: None)
    with pytest.raises(ValueError):
        w.run(max_tasks=0)
    with pytest.raises(TypeError):
        w.register("k", "not callable")  # type: ignore[arg-type]


def test_client_close_stops_a_running_worker(ff, server_url, lane):
    c = ff.connect(server_url)
    w = ff.Worker(c, lanes=[lane])
    w.register("k", lambda t: None)
    t = threading.Thread(target=w.run, kwargs={"handle_signals": False})
    t.start()
    time.sleep(0.2)
    c.close()
    t.join(30)
    assert not t.is_alive() and c.closed


def test_second_signal_releases_tasks_in_flight(ff, client, lane, tmp_path, subprocess_env):
    _worker_module(tmp_path, "stuck_worker", """
        import os, time
        import flowfabric as ff
        client = ff.connect()
        worker = ff.Worker(client, lanes=[os.environ["LANE"]], concurrency=2, lease_ttl=30, grace=600)

        @worker.task("job")
        def job(task):
            open(os.environ["MARKER"], "w").write("x")
            time.sleep(600)  # ignores the graceful stop
    """)
    marker = tmp_path / "started"
    env = dict(subprocess_env, LANE=lane, MARKER=str(marker))
    eid = client.submit("job", b"", lane=lane)
    proc = subprocess.Popen([PYTHON, "-m", "flowfabric", "worker", "stuck_worker:worker"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(marker, proc)
        proc.send_signal(signal.SIGTERM)   # graceful: would wait up to grace=600 s
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)   # immediate: release and exit
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 1, out
    assert "still running" in out
    # released: the same attempt resumes on another worker
    w = ff.Worker(client, lanes=[lane], poll_interval=0.2)
    got = []

    @w.task("job")
    def job(task):
        got.append((task.attempt, task.attempt_type))
        return b"resumed elsewhere"
    w.run(max_tasks=1, idle_timeout=60)
    assert got == [(0, "resumed")] and client.result(eid) == b"resumed elsewhere"


def _pool_threads():
    return [t for t in threading.enumerate() if t.name.startswith("flowfabric-worker")]


def _run_in_thread(w, hold=lambda: None):
    """Run ``w`` in a thread with a handler of kind "k" that calls ``hold()``;
    returns the thread once that handler has started."""
    started = threading.Event()

    @w.task("k")
    def k(task):
        started.set()
        hold()
    t = threading.Thread(target=w.run, kwargs={"handle_signals": False})
    t.start()
    assert started.wait(30)
    return t


def test_thread_pool_does_not_outlive_run(ff, client, lane):
    for i in range(3):
        client.submit("k", b"", lane=lane)
    w = ff.Worker(client, lanes=[lane], concurrency=3, poll_interval=0.2)
    seen = set()

    @w.task("k")
    def k(task):
        seen.add(threading.current_thread().name)
        time.sleep(0.05)
        return b""
    w.run(max_tasks=3, idle_timeout=30)
    assert seen and all(n.startswith("flowfabric-worker") for n in seen)  # handlers ran in the pool
    assert _pool_threads() == []
    client.submit("k", b"", lane=lane)  # a worker runs again, with a fresh pool
    w.run(max_tasks=1, idle_timeout=30)
    assert _pool_threads() == []


def test_worker_is_a_context_manager(ff, client, lane):
    """Leaving the with block stops a worker still running in another thread
    and leaves no thread of it behind."""
    client.submit("k", b"", lane=lane)
    with ff.Worker(client, lanes=[lane], concurrency=2, poll_interval=0.2) as w:
        t = _run_in_thread(w)
    t.join(30)
    assert not t.is_alive() and _pool_threads() == []
    assert not client.closed  # the client is the caller's


def test_client_close_leaves_no_worker_thread(ff, server_url, lane):
    c = ff.connect(server_url)
    c.submit("k", b"", lane=lane)
    w = ff.Worker(c, lanes=[lane], concurrency=4)
    t = _run_in_thread(w, lambda: time.sleep(0.3))
    c.close()
    t.join(30)
    for p in _pool_threads():
        p.join(30)  # the handler that was running ends; then its thread
    assert not t.is_alive() and _pool_threads() == []


def test_connection_loss_and_reconnect_are_logged(ff, server_url, lane, caplog):
    from urllib.parse import urlparse

    from exit_scenario import Proxy
    u = urlparse(server_url)
    proxy = Proxy((u.hostname, u.port))
    port = proxy.port
    c = ff.connect(f"redis://127.0.0.1:{port}")
    w = ff.Worker(c, lanes=[lane], poll_interval=0.2)
    w.register("k", lambda task: b"")
    t = threading.Thread(target=w.run, kwargs={"handle_signals": False})

    def wait_log(text, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if any(text in r.getMessage() for r in caplog.records):
                return
            time.sleep(0.05)
        raise AssertionError(f"no log line with {text!r}: {[r.getMessage() for r in caplog.records]}")
    with caplog.at_level(logging.INFO, logger="flowfabric"):
        t.start()
        try:
            time.sleep(0.3)
            proxy.close()
            wait_log("lost; reconnecting")
            proxy = Proxy((u.hostname, u.port), port=port)  # the server is back
            wait_log("reconnected to")
        finally:
            w.stop(immediate=True)
            t.join(30)
            c.close()
            proxy.close()
    lost = [r for r in caplog.records if "lost; reconnecting" in r.getMessage()]
    back = [r for r in caplog.records if "reconnected to" in r.getMessage()]
    assert lost[0].name == back[0].name == "flowfabric.worker"
    assert (lost[0].levelno, back[0].levelno) == (logging.WARNING, logging.INFO)
    assert f"redis://127.0.0.1:{port}" in lost[0].getMessage()


def test_release_at_shutdown_is_not_a_warning(ff, client, lane, caplog):
    """A graceful stop whose grace runs out releases the task; the handler's
    later result is not sent. That is the normal end of a shutdown: INFO."""
    eid = client.submit("slow", b"", lane=lane)
    # (the grace is enforced on the renewal tick, lease_ttl / 6)
    w = ff.Worker(client, lanes=[lane], concurrency=2, poll_interval=0.2, grace=0.2, lease_ttl=1)
    started = threading.Event()

    @w.task("slow")
    def slow(task):
        started.set()
        time.sleep(2.0)
        return b"too late"
    with caplog.at_level(logging.INFO, logger="flowfabric"):
        t = threading.Thread(target=w.run, kwargs={"handle_signals": False})
        t.start()
        assert started.wait(30)
        w.stop()  # graceful, grace 0.2 s < the handler's 2 s
        t.join(60)
    assert not t.is_alive()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("released at shutdown" in r.getMessage() for r in caplog.records)
    assert client.state(eid) == "waiting"  # given back: it runs again elsewhere


def test_task_failed_without_retry(ff, client, lane):
    """TaskFailed(retry=False) and task.fail(retry=False) end the execution
    although its policy has retries left; a plain TaskFailed retries."""
    retry = ff.Retry(max_retries=5, backoff="fixed", initial_ms=10)
    ids = {k: client.submit(k, b"", lane=lane, retry=retry) for k in ("raise", "call", "retried")}
    w = ff.Worker(client, lanes=[lane], concurrency=3)
    attempts = []

    @w.task("raise")
    def r(task):
        raise ff.TaskFailed("bad input", category="validation", retry=False)

    @w.task("call")
    def c(task):
        task.fail("gone for good", retry=False)

    @w.task("retried")
    def again(task):
        attempts.append(task.attempt)
        if task.attempt == 0:
            raise ff.TaskFailed("flaky")
        return b"second time"
    w.run(max_tasks=4, idle_timeout=30)
    for k in ("raise", "call"):
        ex = client.wait_ended(ids[k], timeout=30)
        assert ex.public_state == "failed" and ex.counters.total_attempts == 1, k
    assert client.describe(ids["raise"]).failure.category == "validation"
    assert client.result(ids["retried"]) == b"second time" and attempts == [0, 1]
    assert ff.TaskFailed("x").retry is True and ff.TaskFailed("x", retry=False).retry is False
    with pytest.raises(TypeError):
        ff.TaskFailed("x", retry=0)


def test_arun_pool_does_not_outlive_arun(ff, server_url, lane):
    """def handlers under arun() run in the pool; it ends with arun()."""
    seen = []

    async def main():
        async with ff.AsyncClient(server_url) as c:
            for _ in range(2):
                await c.submit("k", b"", lane=lane)
            w = ff.Worker(c, lanes=[lane], concurrency=2, poll_interval=0.2)

            @w.task("k")
            def k(task):
                seen.append(threading.current_thread().name)
                return b""
            await w.arun(max_tasks=2, idle_timeout=30, handle_signals=False)
            return _pool_threads()
    assert asyncio.run(main()) == []
    assert len(seen) == 2 and all(n.startswith("flowfabric-worker") for n in seen)


def test_inline_worker_has_no_pool(ff, client, lane):
    """concurrency=1 on a sync Client: handlers run on the run() thread; no
    pool thread is ever started."""
    client.submit("k", b"", lane=lane)
    w = ff.Worker(client, lanes=[lane], concurrency=1, poll_interval=0.2)
    seen = []

    @w.task("k")
    def k(task):
        seen.append((threading.current_thread() is threading.main_thread(), len(_pool_threads())))
        return b""
    w.run(max_tasks=1, idle_timeout=30)
    assert seen == [(True, 0)] and _pool_threads() == []


def test_immediate_stop_leaves_no_pool_thread_after_the_handler(ff, client, lane):
    """stop(immediate=True) returns from run() without waiting for a running
    handler; the pool was shut down, so its thread ends with that handler
    (it takes no new work) and nothing of the worker is left."""
    client.submit("k", b"", lane=lane)
    w = ff.Worker(client, lanes=[lane], concurrency=2, poll_interval=0.2)
    release = threading.Event()
    t = _run_in_thread(w, lambda: release.wait(30))
    w.stop(immediate=True)
    t.join(30)
    assert not t.is_alive()
    assert len(_pool_threads()) == 1  # the handler still runs (threads cannot be killed)
    release.set()
    for p in _pool_threads():
        p.join(30)
    assert _pool_threads() == []


def test_with_worker_runs_and_closes(ff, client, lane):
    """The documented form: run inside ``with``; close() after a finished
    run, or of a worker that never ran, does nothing; the worker can run
    again after it."""
    eid = client.submit("k", b"", lane=lane)
    with ff.Worker(client, lanes=[lane], concurrency=2, poll_interval=0.2) as w:
        w.register("k", lambda task: b"done")
        w.run(max_tasks=1, idle_timeout=30)
    assert client.result(eid) == b"done" and _pool_threads() == []
    w.close()
    with ff.Worker(client, lanes=[lane]):
        pass  # never ran
    again = client.submit("k", b"", lane=lane)
    w.run(max_tasks=1, idle_timeout=30)
    assert client.result(again) == b"done" and _pool_threads() == []
