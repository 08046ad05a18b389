#!/usr/bin/env python3
"""Where the Redis CPU of one execution's lifecycle goes, per server
function (docs/benchmarks.md "Profile").

Starts its own redis-server, loads the library (lua/build.sh), and runs N
executions through create -> claim -> complete phase by phase, each phase
pipelined (so round trips do not count), reading the server's own CPU
(INFO cpu, user+sys) before and after each phase: microseconds of Redis CPU
per call of each function. The same is measured for an empty FCALL (the
floor of calling any function of this library) and for the raw commands
a minimal queue needs (LPUSH + RPOPLPUSH + LREM), so the table shows what
is the library's own work.

    bench/profile_lifecycle.py [N] [PAYLOAD_BYTES] [BATCH]

Prints one JSON object per line. Not a test: nothing is asserted.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "lua"))
from ffhelpers import FF, core_key, lane_key, new_eid, new_uuid  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_us(r):
    i = r.info("cpu")
    return (i["used_cpu_user"] + i["used_cpu_sys"]) * 1e6


def phase(r, name, calls, n):
    """Run calls (a list of argument tuples for execute_command) pipelined
    in chunks; report Redis CPU per call."""
    before = cpu_us(r)
    t0 = time.perf_counter()
    replies = []
    for i in range(0, len(calls), 500):
        p = r.pipeline(transaction=False)
        for c in calls[i:i + 500]:
            p.execute_command(*c)
        replies += p.execute()
    wall = time.perf_counter() - t0
    used = cpu_us(r) - before
    print(json.dumps({"phase": name, "calls": len(calls), "redis_cpu_us_per_call": round(used / len(calls), 2),
                      "redis_cpu_us_per_job": round(used / n, 2), "wall_s": round(wall, 3)}), flush=True)
    return replies


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
    batch = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    d = tempfile.mkdtemp(prefix="ff-prof-")
    port = free_port()
    srv = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
                            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", d],
                           stdout=subprocess.DEVNULL)
    try:
        r = redis.Redis(port=port)
        for _ in range(100):
            try:
                r.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        lib = Path(d) / "ff.lua"
        subprocess.run([str(ROOT / "lua" / "build.sh"), str(lib)], check=True)
        r.execute_command("FUNCTION", "LOAD", "REPLACE", lib.read_bytes())
        ff = FF(r)
        ff.boot(1, 1)
        payload = "x" * size
        # the floor: an FCALL of the library that does nothing but answer
        phase(r, "fcall_floor(ff_version)", [("FCALL", "ff_version", 0)] * n, n)
        eids = []
        calls = []
        for _ in range(n):
            eid, args = ff.create_args(payload=payload)
            eids.append(eid)
            calls.append(("FCALL", "ff_create", 1, core_key(eid), *args))
        phase(r, "ff_create", calls, n)
        ekey = lane_key(ff.tag, "default", "eligible")
        calls = []
        for _ in range(0, n, batch):
            pairs = [x for _ in range(batch) for x in (new_uuid(), new_uuid())]
            calls.append(("FCALL", "ff_claim", 1, ekey, "default", "w1", "wi1", "", "30000", str(batch), *pairs))
        replies = phase(r, "ff_claim(batch=%d)" % batch, calls, n)
        claims = []
        for rep in replies:
            rep = [x.decode() if isinstance(x, bytes) else x for x in rep]
            k = int(rep[2])
            for i in range(k):
                c = rep[3 + 11 * i: 14 + 11 * i]
                claims.append((c[0], c[4], c[5], c[2]))
        calls = [("FCALL", "ff_complete", 1, core_key(e), e, lid, ep, aid, "") for e, lid, ep, aid in claims]
        phase(r, "ff_complete", calls, n)
        mem = r.info("memory")["used_memory"]
        # raw floor: a list queue with a processing list
        r.flushall()
        phase(r, "raw LPUSH", [("LPUSH", "q", payload)] * n, n)
        phase(r, "raw LMOVE", [("LMOVE", "q", "p", "RIGHT", "LEFT")] * n, n)
        phase(r, "raw LREM", [("LREM", "p", 1, payload)] * n, n)
        print(json.dumps({"completed_dataset_bytes": mem, "jobs": n, "payload": size}))
    finally:
        srv.terminate()
        srv.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
