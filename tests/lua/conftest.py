"""pytest fixtures: a real redis-server on a free loopback port in a temp dir,
the flowfabric library built by lua/build.sh (or $FF_LUA_PAYLOAD) and loaded
with FUNCTION LOAD REPLACE, and a per-test flushed client whose teardown
checks the index invariant over the whole dataset.

Run with an interpreter that has `redis` and `pytest` (Debian:
/usr/bin/python3 with python3-redis, python3-pytest). $FF_REDIS_SERVER picks
the server binary (default: redis-server on PATH)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ffhelpers import FF, check_invariants  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = os.environ.get("FF_REDIS_SERVER") or shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lib_path(tmp_path_factory):
    """The payload under test: $FF_LUA_PAYLOAD (set by the CMake test driver to
    the payload it embeds) or a fresh lua/build.sh output."""
    given = os.environ.get("FF_LUA_PAYLOAD")
    if given:
        p = Path(given)
        assert p.is_file(), "FF_LUA_PAYLOAD=%s does not exist" % given
        return p
    out = tmp_path_factory.mktemp("build") / "flowfabric.lua"
    subprocess.run([str(ROOT / "lua" / "build.sh"), str(out)], check=True)
    return out


@pytest.fixture(scope="session")
def lib_payload(lib_path):
    return lib_path.read_bytes()


@pytest.fixture(scope="session")
def server(tmp_path_factory, lib_payload):
    d = tmp_path_factory.mktemp("redis")
    last_err = None
    for _attempt in range(5):
        port = _free_port()
        log = open(d / ("redis-%d.log" % port), "wb")
        proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(d)],
            stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 10
        up = False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                client.ping()
                up = True
                break
            except redis.ConnectionError as e:
                last_err = e
                time.sleep(0.05)
        if up:
            break
        proc.kill()
        proc.wait()
        log.close()
    else:
        raise RuntimeError("could not start redis-server: %r" % (last_err,))
    client.execute_command("FUNCTION", "LOAD", "REPLACE", lib_payload)
    client.close()
    try:
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def r(server):
    c = redis.Redis(host="127.0.0.1", port=server)
    c.flushall()
    yield c
    try:
        check_invariants(c)
    finally:
        c.close()


@pytest.fixture
def ff(r):
    return FF(r, part=0)
