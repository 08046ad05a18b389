"""No URL password ever appears in what the package shows: client.url,
repr(), exception messages, log lines of workers and of the command line.
Against a password-protected redis-server."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import PYTHON, SERVER_SCRIPT

SECRET = "s3cr3t-Pa55word"


@pytest.fixture(scope="module")
def protected(ff):
    """(host, port) of a private redis-server that requires SECRET."""
    d = tempfile.mkdtemp(prefix="ffpy-auth-")
    try:
        url = subprocess.run(["bash", str(SERVER_SCRIPT), "start", d], check=True, capture_output=True,
                             text=True).stdout.strip().splitlines()[-1]
        with ff.connect(url) as c:  # boots the deployment, then locks the door
            c.command("CONFIG", "SET", "requirepass", SECRET)
        u = urlparse(url)
        yield u.hostname, u.port
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop", d], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)


def _clean(text: str) -> None:
    assert SECRET not in text and "wrong-pw-1234" not in text, text


def test_client_url_and_repr(ff, protected):
    host, port = protected
    for url in (f"redis://:{SECRET}@{host}:{port}", f"redis://default:{SECRET}@{host}:{port}/0"):
        with ff.connect(url) as c:
            assert c.url.startswith("redis://") and "***" in c.url
            _clean(c.url)
            _clean(repr(c))
            assert c.command("PING") == b"PONG"
        _clean(repr(c))


def test_async_client_repr(ff, protected):
    import asyncio
    host, port = protected

    async def main():
        async with ff.AsyncClient(f"redis://:{SECRET}@{host}:{port}") as c:
            _clean(c.url)
            _clean(repr(c))
            assert await c.command("PING") == b"PONG"
    asyncio.run(main())


def test_connection_errors(ff, protected):
    host, port = protected
    cases = [
        (f"redis://default:wrong-pw-1234@{host}:{port}", ff.AuthError),   # refused by the server
        (f"redis://:wrong-pw-1234@{host}:{port}", ff.AuthError),
        (f"redis://u:wrong-pw-1234@{host}:notaport", ff.InvalidInput),  # rejected by the parser
        (f"redis://u:wrong-pw-1234@{host}:1", ff.TransportError),      # nothing listens
    ]
    for url, cls in cases:
        with pytest.raises(cls) as ei:
            ff.connect(url, connect_timeout=2)
        e = ei.value
        for text in (str(e), repr(e), e.detail, *map(str, e.args)):
            _clean(text)


def test_environment_url_errors(ff, protected, monkeypatch):
    host, port = protected
    monkeypatch.setenv("FF_URL", f"redis://u:wrong-pw-1234@{host}:badport")
    with pytest.raises(ff.InvalidInput) as ei:
        ff.connect()
    _clean(str(ei.value))


def test_worker_log_lines(ff, protected, lane, caplog):
    """Connection loss and reconnection are logged with the redacted URL."""
    host, port = protected
    with ff.connect(f"redis://:{SECRET}@{host}:{port}") as c:
        w = ff.Worker(c, [lane], poll_interval=0.2)
        w.register("k", lambda task: b"")
        c.submit("k", b"", lane=lane)
        with caplog.at_level(logging.INFO, logger="flowfabric"):
            w.run(max_tasks=1, idle_timeout=30)
            w._was_connected = False  # make the run loop's watcher report a (re)connection
            w._watch_connection()
        for rec in caplog.records:
            _clean(rec.getMessage())


def test_command_line_worker(ff, protected, tmp_path, subprocess_env):
    host, port = protected
    (tmp_path / "pwmod.py").write_text(textwrap.dedent("""
        def handle(task):
            return b"done"
    """))
    env = dict(subprocess_env)
    env.pop("FF_URL", None)
    url = f"redis://:{SECRET}@{host}:{port}"
    with ff.connect(url) as c:
        lane = "pw-" + str(port)
        c.submit("k", b"", lane=lane)
        r = subprocess.run([PYTHON, "-m", "flowfabric", "worker", "pwmod:handle", "--url", url, "--lanes", lane,
                            "--max-tasks", "1", "--idle-timeout", "30", "--log-level", "DEBUG"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        assert "redis://:***@" in r.stderr
        _clean(r.stdout + r.stderr)
        bad = subprocess.run([PYTHON, "-m", "flowfabric", "worker", "pwmod:handle", "--url",
                              f"redis://:wrong-pw-1234@{host}:{port}"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr
        _clean(bad.stdout + bad.stderr)


def test_redact_url_is_the_library_function(ff):
    assert ff.redact_url("redis://ada:pw@h:1/2") == "redis://ada:***@h:1/2"
    assert ff.redact_url("redis://h:1") == "redis://h:1"
    assert ff.redact_url("unix:///tmp/x.sock?db=1") == "unix:///tmp/x.sock?db=1"
