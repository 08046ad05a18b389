"""``python -m flowfabric demo``: the Python half of ``make demo``.

Submits a scripted set of jobs from Python, processes them with a Python
worker (plain and ``async def`` handlers, a retry that succeeds, one that
gives up, an operator cancel, a priority jump), then checks that every job
ended as scripted -- exit status 1 if not, so the demo is also a smoke test.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import threading
import time
from dataclasses import dataclass
from typing import Dict, List, Optional

import flowfabric as ff


@dataclass
class Job:
    kind: str
    payload: object
    expect: str
    attempts: int
    priority: int = 0
    retry: Optional[ff.Retry] = None
    cancel: bool = False
    eid: str = ""


def _script() -> List[Job]:
    transient = ff.Retry(max_retries=3, backoff="fixed", initial_ms=200, categories=["transient"])
    return [
        Job("email.send", {"to": "alice@example.com", "subject": "Welcome"}, "completed", 1),
        Job("thumbnail.render", {"photo": "photo-1234.jpg", "size": 128}, "completed", 1),
        Job("flaky.fetch", {"url": "https://feeds.example/rss"}, "completed", 2, retry=transient),
        Job("invoice.charge", {"order": 981, "amount": "12.50"}, "failed", 2,
            retry=ff.Retry(max_retries=1, backoff="fixed", initial_ms=200, categories=["transient"])),
        Job("report.nightly", {"date": "yesterday"}, "cancelled", 0, cancel=True),
        Job("pager.alert", {"service": "checkout", "status": "down"}, "completed", 1, priority=100),
    ]


def _say(text: str = "") -> None:
    print(text, flush=True)


def build_worker(client: ff.Client, lane: str) -> ff.Worker:
    """The demo's handlers: what a Python worker module looks like."""
    worker = ff.Worker(client, lanes=[lane], concurrency=4, lease_ttl=10, poll_interval=0.2,
                       worker_id="python-demo")
    lock = threading.Lock()

    def note(task: ff.Task, text: str) -> None:
        with lock:
            _say(f"   {task.kind:<16} attempt {task.attempt} ({task.attempt_type:<7}) {text}")

    @worker.task("email.send")
    def send_email(task: ff.Task) -> bytes:          # plain def: runs in the thread pool
        msg = task.json()
        task.progress(50, "rendering")
        note(task, f"sending to {msg['to']}")
        return f"sent to {msg['to']}".encode()

    @worker.task("thumbnail.render")
    async def render(task: ff.Task) -> dict:         # async def: runs on the event loop
        job = task.json()
        await asyncio.sleep(0.05)
        note(task, f"rendered {job['photo']} at {job['size']}px")
        return {"thumbnail": f"{job['photo']}@{job['size']}", "bytes": 4198}

    @worker.task("flaky.fetch")
    def fetch(task: ff.Task) -> bytes:
        if task.attempt == 0:
            note(task, "upstream timed out -> fail (transient), the policy retries it")
            raise ff.TaskFailed("upstream timed out", category="transient")
        note(task, "fetched 42 items")
        return b"fetched 42 items"

    @worker.task("invoice.charge")
    def charge(task: ff.Task) -> bytes:
        note(task, "card processor unavailable -> fail (transient)")
        raise ff.TaskFailed("card processor unavailable", category="transient")

    @worker.task("pager.alert")
    def page(task: ff.Task) -> str:
        note(task, "paging the on-call engineer (priority 100: submitted last, runs first)")
        return "paged the on-call engineer"

    @worker.task("report.nightly")
    def report(task: ff.Task) -> None:  # never runs: cancelled before any worker sees it
        note(task, "UNEXPECTED: a cancelled job ran")

    return worker


def _outcome(client: ff.Client, ex: ff.Execution) -> str:
    if ex.public_state == "completed":
        return f"result {client.result(ex.execution_id).decode(errors='replace')!r}"
    if ex.failure is not None:
        return f"{ex.failure.category}: {ex.failure.reason}"
    if ex.cancellation is not None:
        return f"by {ex.cancellation.cancelled_by}: {ex.cancellation.reason}"
    return "-"


def main(url: Optional[str] = None, keep_server: bool = False) -> int:
    embedded = url is None and not os.environ.get("FF_URL")
    was_running = embedded and ff.dev_server_status() is not None
    rc = 1
    with ff.connect(url) as client:
        lane = f"pydemo-{os.getpid()}-{random.randrange(0x10000):04x}"
        _say(f"FlowFabric Python demo (package {ff.__version__}, libflowfabric {ff.library_version()})")
        where = (" (embedded, already running)" if was_running else " (embedded, started for the demo)") \
            if embedded else ""
        _say(f"   server  {client.url}{where}")
        _say(f"   lane    {lane}\n")

        jobs = _script()
        _say(f"1. Submit {len(jobs)} executions from Python")
        for j in jobs:
            j.eid = client.submit_json(j.kind, j.payload, lane=lane, priority=j.priority, retry=j.retry,
                                       tags={"demo": "python"})
            extra = f"  priority {j.priority}" if j.priority else ""
            if j.retry:
                extra = f"  retry up to {j.retry.max_retries}x on {','.join(j.retry.categories or ['*'])}"
            _say(f"   {j.kind:<16} {j.eid}  {client.state(j.eid)}{extra}")

        _say("\n2. The operator cancels the job nobody needs any more")
        for j in jobs:
            if j.cancel:
                _say(f"   {j.kind:<16} {client.cancel(j.eid, 'report superseded')}")

        expected_runs = sum(j.attempts for j in jobs)
        _say("\n3. A Python worker (concurrency 4, def + async def handlers) works the lane")
        t0 = time.monotonic()
        worker = build_worker(client, lane)
        worker.run(max_tasks=expected_runs, idle_timeout=20)
        stats = worker.stats()
        worker.close()
        _say(f"   {stats['handled']} handler runs in {time.monotonic() - t0:.1f} s "
             f"(claimed {stats['claimed']}, completed {stats['completed']}, failed {stats['failed']})")

        _say("\n4. Final state of every execution (read back from Python)")
        bad = 0
        rows = []
        for j in jobs:
            ex = client.wait_ended(j.eid, timeout=30)
            ok = ex.public_state == j.expect and ex.counters.total_attempts == j.attempts
            bad += not ok
            rows.append((j.kind, ex.public_state, str(ex.counters.total_attempts), _outcome(client, ex),
                         "ok" if ok else f"MISMATCH: want {j.expect} after {j.attempts} attempt(s)"))
        widths = [max(len(r[i]) for r in rows + [("KIND", "STATE", "ATTEMPTS", "OUTCOME", "")]) for i in range(5)]
        _say("   " + "  ".join(h.ljust(w) for h, w in zip(("KIND", "STATE", "ATTEMPTS", "OUTCOME", "CHECK"), widths)))
        for r in rows:
            _say("   " + "  ".join(c.ljust(w) for c, w in zip(r, widths)))

        counts = client.lane_counts(lane)
        _say(f"\n5. Lane counts: completed={counts.completed} failed={counts.failed} "
             f"cancelled={counts.cancelled} waiting={counts.waiting} delayed={counts.delayed} active={counts.active}")
        want: Dict[str, int] = {}
        for j in jobs:
            want[j.expect] = want.get(j.expect, 0) + 1
        for state, n in want.items():
            if getattr(counts, state) != n:
                _say(f"   MISMATCH: lane index {state} holds {getattr(counts, state)}, expected {n}")
                bad += 1
        rc = 0 if bad == 0 else 1
    if embedded and not was_running and not keep_server:
        ff.dev_server_down()
        _say("\n   stopped the embedded server the demo started (data kept)")
    _say("\nPython demo OK: every execution ended as scripted." if rc == 0
         else f"\nPython demo FAILED: {bad} check(s) did not match.")
    return rc


if __name__ == "__main__":
    sys.exit(main())
