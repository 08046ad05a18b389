"""Fixtures: a real redis-server and clients on it.

Server: $FF_TEST_URL if set, else the URL in $FF_TEST_URL_FILE (the ctest
fixture's server) if it answers, else a private redis-server started for this
session with tests/support/redis-test-server.sh (stopped at the end).

The package under test is whatever ``import flowfabric`` finds: the installed
one in the venv (``make test``) or ``python/`` via PYTHONPATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
SERVER_SCRIPT = Path(os.environ.get("FF_TEST_SERVER_SCRIPT") or REPO / "tests" / "support" / "redis-test-server.sh")

# A developer's FF_URL must not leak into tests that expect "no URL".
os.environ.pop("FF_URL", None)


def _answers(url: str) -> bool:
    u = urlparse(url)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", u.port or 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    url = os.environ.get("FF_TEST_URL")
    if url:
        yield url
        return
    url_file = os.environ.get("FF_TEST_URL_FILE")
    if url_file and os.path.isfile(url_file):
        url = Path(url_file).read_text().strip()
        if url and _answers(url):
            yield url
            return
    d = tempfile.mkdtemp(prefix="ffpy-redis-")
    try:
        out = subprocess.run(["bash", str(SERVER_SCRIPT), "start", d], check=True, capture_output=True, text=True)
        yield out.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop", d], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def ff():
    import flowfabric
    return flowfabric


@pytest.fixture(scope="session")
def client(ff, server_url):
    c = ff.connect(server_url)
    yield c
    c.close()


@pytest.fixture
def lane() -> str:
    """A fresh lane per test, so tests never see each other's work."""
    return "pytest-" + uuid.uuid4().hex[:12]


@pytest.fixture
def subprocess_env(server_url):
    """Environment for child Python processes: same package, same library."""
    import flowfabric
    env = dict(os.environ)
    env["FF_URL"] = server_url
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # the same package as this process, installed or in-tree, whatever the cwd
    env["PYTHONPATH"] = os.pathsep.join([str(Path(flowfabric.__file__).parents[1])] +
                                        [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


PYTHON = sys.executable
