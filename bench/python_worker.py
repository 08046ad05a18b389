#!/usr/bin/env python3
"""Python side of the FlowFabric benchmarks (system "flowfabric-python").

Same interface, semantics and JSON fields as bench/ff_bench.c and
bench/peers/bullmq/bench.mjs, so bench/run can treat it as one more system:

    python_worker.py URL process CONC N     seed N jobs, then time a Python Worker
                                            (no-op handler, concurrency CONC) draining them
    python_worker.py URL e2e CONC N         producer (AsyncClient, BENCH_SUBMIT_WINDOW submits
                                            in flight) and Python Worker at once
    python_worker.py URL overhead SAMPLES   per-call cost of the binding: a sync call round trip
                                            through libflowfabric vs hiredis alone (C) and a raw
                                            Python socket
    python_worker.py URL compare CONC N     process + BullMQ's Node worker (bench/peers/bullmq)
                                            at the same concurrency, one after the other, and
                                            the ratio

Knobs: BENCH_PY_HANDLER=sync|async (the handler style, default sync),
BENCH_PAYLOAD (4096), BENCH_SUBMIT_WINDOW (128), BENCH_PY_ENGINE=0|1 (run the
engine's sweeps in the worker, default 0 like flowfabric-c).
The package is imported from <repo>/python unless one is installed
(run it with .venv/bin/python to use the installed one).
WARNING: it writes to and FLUSHALLs (compare) the server: use a throw-away
redis-server. Benchmarks are not tests: nothing here is asserted.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
try:
    import flowfabric as ff
except ImportError:
    sys.path.insert(0, str(ROOT / "python"))
    import flowfabric as ff

SYSTEM = "flowfabric-python"
PAYLOAD = int(os.environ.get("BENCH_PAYLOAD") or 4096)
WINDOW = int(os.environ.get("BENCH_SUBMIT_WINDOW") or 128)
HANDLER = os.environ.get("BENCH_PY_HANDLER") or "sync"
ENGINE = os.environ.get("BENCH_PY_ENGINE", "0") == "1"
LANE = "bench"


def log(msg: str) -> None:
    print(f"python_worker: {msg}", file=sys.stderr, flush=True)


def snap(client: "ff.Client") -> Dict[str, float]:
    txt = client.command("INFO", "stats", "cpu").decode()
    vals = dict(line.split(":", 1) for line in txt.splitlines() if ":" in line)
    return {"cmds": float(vals.get("total_commands_processed", 0)),
            "cpu_us": (float(vals.get("used_cpu_user", 0)) + float(vals.get("used_cpu_sys", 0))) * 1e6}


def redis_version(client: "ff.Client") -> str:
    for line in client.command("INFO", "server").decode().splitlines():
        if line.startswith("redis_version:"):
            return line.split(":", 1)[1].strip()
    return ""


def pct(values: List[float], q: float) -> Optional[float]:
    if not values:
        return None
    s = sorted(values)
    rank = max(1, min(len(s), int(-(-q * len(s) // 1))))
    return round(s[rank - 1], 3)


def payload() -> bytes:
    # the first 8 bytes: the submitter's monotonic clock (ns), for latency
    return struct.pack("<Q", time.monotonic_ns()) + b"x" * max(0, PAYLOAD - 8)


def result_line(scenario: str, conc: int, jobs: int, elapsed_s: float, s0: Dict[str, float], s1: Dict[str, float],
                client_cpu_s: float, lat: Optional[List[float]], version: str, note: str, **extra: Any) -> str:
    d: Dict[str, Any] = {
        "scenario": scenario, "system": SYSTEM, "concurrency": conc, "jobs": jobs,
        "throughput_per_s": round(jobs / elapsed_s) if elapsed_s > 0 else None,
        "p50_ms": pct(lat, 0.50) if lat else None, "p95_ms": pct(lat, 0.95) if lat else None,
        "p99_ms": pct(lat, 0.99) if lat else None,
        "redis_cmds_per_job": round((s1["cmds"] - s0["cmds"] - 1) / jobs, 2),
        "redis_cpu_us_per_job": round((s1["cpu_us"] - s0["cpu_us"]) / jobs, 2),
        "client_cpu_us_per_job": round(client_cpu_s * 1e6 / jobs, 2),
        "elapsed_ms": round(elapsed_s * 1000, 1), "redis_version": version, "note": note,
        "payload_bytes": PAYLOAD, "handler": HANDLER, "python": sys.version.split()[0],
    }
    d.update(extra)
    return json.dumps(d, separators=(",", ":"))


def make_worker(client: "ff.Client", conc: int, lat: Optional[List[float]]) -> "ff.Worker":
    w = ff.Worker(client, lanes=[LANE], concurrency=conc, engine=ENGINE)
    if HANDLER == "async":
        async def noop_async(task: "ff.Task") -> None:
            if lat is not None:
                lat.append((time.monotonic_ns() - struct.unpack_from("<Q", task.payload)[0]) / 1e6)
        w.register("noop", noop_async)
    else:
        def noop(task: "ff.Task") -> None:
            if lat is not None:
                lat.append((time.monotonic_ns() - struct.unpack_from("<Q", task.payload)[0]) / 1e6)
        w.register("noop", noop)
    return w


async def produce(url: str, n: int) -> float:
    """Submit n jobs keeping WINDOW submits in flight; returns seconds."""
    t0 = time.monotonic()
    async with ff.AsyncClient(url) as ac:
        sem = asyncio.Semaphore(WINDOW)

        async def one() -> None:
            async with sem:
                await ac.submit("noop", payload(), lane=LANE)
        await asyncio.gather(*(one() for _ in range(n)))
    return time.monotonic() - t0


def run_process(url: str, conc: int, n: int) -> str:
    client = ff.connect(url)
    version = redis_version(client)
    seed_s = asyncio.run(produce(url, n))
    w = make_worker(client, conc, None)
    s0, c0, t0 = snap(client), time.process_time(), time.monotonic()
    w.run(max_tasks=n, handle_signals=False)
    elapsed, ccpu, s1 = time.monotonic() - t0, time.process_time() - c0, snap(client)
    w.close()
    client.close()
    return result_line("s1-process", conc, n, elapsed, s0, s1, ccpu, None, version,
                       f"flowfabric Python Worker ({HANDLER} no-op handler) on the C worker runtime, started after "
                       f"{n} jobs were submitted", seed_per_s=round(n / seed_s))


def run_e2e(url: str, conc: int, n: int) -> str:
    client = ff.connect(url)
    version = redis_version(client)
    lat: List[float] = []
    w = make_worker(client, conc, lat)
    s0, c0, t0 = snap(client), time.process_time(), time.monotonic()
    submit_s: List[float] = []
    prod = threading.Thread(target=lambda: submit_s.append(asyncio.run(produce(url, n))))
    prod.start()
    w.run(max_tasks=n, handle_signals=False)
    prod.join()
    elapsed, ccpu, s1 = time.monotonic() - t0, time.process_time() - c0, snap(client)
    w.close()
    client.close()
    return result_line("s1-e2e", conc, n, elapsed, s0, s1, ccpu, lat, version,
                       f"flowfabric Python Worker ({HANDLER} no-op handler) + AsyncClient producer ({WINDOW} in "
                       "flight) in one process; latency = submit start -> handler returned",
                       submit_window=WINDOW, submit_ms=round(submit_s[0] * 1000, 1) if submit_s else None)


HIREDIS_PING_C = r"""
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    if (argc < 4) return 2;
    int n = atoi(argv[3]);
    redisContext *c = redisConnect(argv[1], atoi(argv[2]));
    if (!c || c->err) { fprintf(stderr, "connect failed\n"); return 1; }
    double *v = malloc(sizeof(double) * n);
    for (int i = 0; i < n + 100; i++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        redisReply *r = redisCommand(c, "PING");
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (!r) return 1;
        freeReplyObject(r);
        if (i >= 100) v[i - 100] = (b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3;
    }
    qsort(v, n, sizeof(double), cmp);
    printf("%.3f %.3f\n", v[n / 2], v[(int)(n * 0.99)]);
    return 0;
}
"""


def hiredis_ping(host: str, port: int, n: int) -> Optional[List[float]]:
    exe = HERE / ".build" / "hiredis_ping"
    if not exe.exists():
        cc = shutil.which("cc") or shutil.which("gcc")
        if cc is None:
            return None
        exe.parent.mkdir(parents=True, exist_ok=True)
        src = exe.with_suffix(".c")
        src.write_text(HIREDIS_PING_C)
        libs = subprocess.run(["pkg-config", "--libs", "hiredis"], capture_output=True, text=True).stdout.split()
        if subprocess.run([cc, "-O2", "-o", str(exe), str(src)] + (libs or ["-lhiredis"])).returncode != 0:
            return None
    out = subprocess.run([str(exe), host, str(port), str(n)], capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


def timed(fn: Any, n: int) -> List[float]:
    for _ in range(100):
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - t) / 1000.0)
    return out


def run_overhead(url: str, n: int) -> str:
    from urllib.parse import urlparse
    u = urlparse(url)
    host, port = u.hostname or "127.0.0.1", u.port or 6379
    client = ff.connect(url)
    eid = client.submit("noop", b"x", lane=LANE + "-overhead")
    ff_ping = timed(lambda: client.command("PING"), n)
    ff_state = timed(lambda: client.state(eid), n)
    with socket.create_connection((host, port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def raw() -> None:
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            s.recv(64)
        py_sock = timed(raw, n)
    hi = hiredis_ping(host, port, n)
    client.close()
    p50 = statistics.median
    d = {
        "scenario": "binding-overhead", "system": SYSTEM, "samples": n,
        "ff_sync_ping_us_p50": round(p50(ff_ping), 2), "ff_sync_ping_us_p99": pct(ff_ping, 0.99),
        "ff_sync_state_us_p50": round(p50(ff_state), 2), "ff_sync_state_us_p99": pct(ff_state, 0.99),
        "python_socket_ping_us_p50": round(p50(py_sock), 2),
        "hiredis_ping_us_p50": hi[0] if hi else None, "hiredis_ping_us_p99": hi[1] if hi else None,
        "binding_overhead_us_p50": round(p50(ff_ping) - hi[0], 2) if hi else None,
        "python": sys.version.split()[0],
        "note": "sync round trips on an idle server: ff = Client.command('PING') / Client.state(id) "
                "(Python -> cffi -> libflowfabric I/O thread -> Redis -> ff_op_wait); hiredis = blocking "
                "redisCommand PING from C; overhead = ff PING - hiredis PING",
    }
    return json.dumps(d, separators=(",", ":"))


def run_compare(url: str, conc: int, n: int) -> List[str]:
    lines = []
    with ff.connect(url) as c:
        c.command("FLUSHALL")
    py = json.loads(run_process(url, conc, n))
    lines.append(json.dumps(py))
    node = shutil.which("node")
    bdir = HERE / "peers" / "bullmq"
    if node is None or not (bdir / "node_modules" / "bullmq").is_dir():
        log("node or bench/peers/bullmq/node_modules missing (npm install there): no BullMQ line")
        return lines
    with ff.connect(url) as c:
        c.command("FLUSHALL")
    out = subprocess.run([node, str(bdir / "bench.mjs"), url, "process", str(conc), str(n)], capture_output=True,
                         text=True, timeout=1200)
    if out.returncode != 0 or not out.stdout.strip():
        log(f"bullmq run failed: {out.stderr.strip()[:500]}")
        return lines
    bq = json.loads(out.stdout.strip().splitlines()[-1])
    lines.append(json.dumps(bq))
    ratio = py["throughput_per_s"] / bq["throughput_per_s"] if bq.get("throughput_per_s") else None
    lines.append(json.dumps({"scenario": "s1-process", "comparison": f"{SYSTEM} / bullmq", "concurrency": conc,
                             "jobs": n, "handler": HANDLER, "ratio": round(ratio, 3) if ratio else None}))
    return lines


def main(argv: List[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    url, scen, args = argv[1], argv[2], [int(a) for a in argv[3:]]
    if scen == "process" and len(args) == 2:
        print(run_process(url, *args), flush=True)
    elif scen == "e2e" and len(args) == 2:
        print(run_e2e(url, *args), flush=True)
    elif scen == "overhead" and len(args) == 1:
        print(run_overhead(url, args[0]), flush=True)
    elif scen == "compare" and len(args) == 2:
        for line in run_compare(url, *args):
            print(line, flush=True)
    elif scen in ("latency", "idle", "memory"):
        # bench/run runs every system through every scenario: say so instead of failing
        print(json.dumps({"scenario": {"latency": "latency-idle", "idle": "idle-worker",
                                       "memory": "memory-pending"}[scen], "system": SYSTEM,
                          "skipped": "not measured for the Python worker (same C runtime as flowfabric-c)"}))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
