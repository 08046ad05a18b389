"""python -m flowfabric worker MODULE:ATTR [--url] [--lanes] [--concurrency] ..."""

from __future__ import annotations

import subprocess
import textwrap

import pytest

from conftest import PYTHON


def _cli(args, cwd, env, timeout=90):
    return subprocess.run([PYTHON, "-m", "flowfabric", "worker", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def app(tmp_path):
    (tmp_path / "cliapp.py").write_text(textwrap.dedent("""
        import flowfabric as ff

        def send(task):
            return b"sent " + task.payload

        def resize(task):
            return b"resized"

        handlers = {"email.send": send, "image.resize": resize}
        not_a_worker = 42

        def factory():
            return handlers

        def broken_factory():
            raise RuntimeError("no config")
    """))
    (tmp_path / "cliboom.py").write_text("import os\n\nundefined_name + 1\n")
    (tmp_path / "cliworker.py").write_text(textwrap.dedent("""
        import flowfabric as ff
        client = ff.connect()
        worker = ff.Worker(client, lanes=["never-used"], concurrency=1, poll_interval=0.2)

        @worker.task("k")
        def k(task):
            return b"by the module's worker"
    """))
    return tmp_path


def test_handlers_with_lanes_concurrency_and_url(ff, client, app, subprocess_env, server_url, lane):
    a, b = lane + "-a", lane + "-b"
    ids = [client.submit("email.send", b"ada", lane=a), client.submit("image.resize", b"", lane=b)]
    env = dict(subprocess_env)
    env.pop("FF_URL")  # the URL comes from --url only
    r = _cli(["cliapp:handlers", "--lanes", f"{a},{b}", "--concurrency", "8", "--url", server_url,
              "--max-tasks", "2", "--idle-timeout", "30"], app, env)
    assert r.returncode == 0, r.stderr
    assert client.result(ids[0]) == b"sent ada" and client.result(ids[1]) == b"resized"
    start = [ln for ln in r.stderr.splitlines() if "worker on" in ln]
    assert start and "flowfabric.worker" in start[0] and f"lanes={a},{b}" in start[0]
    assert "concurrency=8" in start[0] and server_url in start[0]
    assert "WARNING" not in r.stderr and "Traceback" not in r.stderr


def test_factory_handler_function_and_worker_override(ff, client, app, subprocess_env, lane):
    ids = [client.submit("email.send", b"bob", lane=lane)]
    r = _cli(["cliapp:factory", "--lanes", lane, "--max-tasks", "1", "--idle-timeout", "30"], app, subprocess_env)
    assert r.returncode == 0, r.stderr
    ids.append(client.submit("anything", b"x", lane=lane))
    r = _cli(["cliapp:resize", "--lanes", lane, "--max-tasks", "1", "--idle-timeout", "30"], app, subprocess_env)
    assert r.returncode == 0, r.stderr  # a plain handler function handles every kind
    ids.append(client.submit("k", b"", lane=lane))
    r = _cli(["cliworker:worker", "--lanes", lane, "--concurrency", "3", "--max-tasks", "1", "--idle-timeout", "30"],
             app, subprocess_env)
    assert r.returncode == 0, r.stderr
    assert "concurrency=3" in r.stderr and f"lanes={lane}" in r.stderr
    assert [client.result(e) for e in ids] == [b"sent bob", b"resized", b"by the module's worker"]


@pytest.mark.parametrize("target, expect", [
    ("cliapp", "expected MODULE:ATTR"),
    ("no_such_module_xyz:worker", "no module named 'no_such_module_xyz'"),
    ("cliapp:nope", "'cliapp' has no attribute 'nope'"),
    ("cliapp:not_a_worker", "cliapp:not_a_worker is a int"),
    ("cliapp:broken_factory", "cliapp:broken_factory() failed: RuntimeError: no config (cliapp.py, line"),
    ("cliboom:worker", "importing 'cliboom' failed: NameError: name 'undefined_name' is not defined "
                       "(cliboom.py, line 3)"),
])
def test_bad_target_is_one_line(app, subprocess_env, target, expect):
    r = _cli([target], app, subprocess_env)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("flowfabric worker: "), r.stderr
    assert expect in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_bad_options_and_unreachable_server_are_one_line(app, subprocess_env):
    for args in (["cliapp:handlers", "--concurrency", "0"], ["cliapp:handlers", "--lanes", "\x7f"],
                 ["cliapp:handlers", "--url", "redis://127.0.0.1:1"], ["cliapp:handlers", "--url", "bogus://x"]):
        r = _cli(args, app, subprocess_env)
        assert r.returncode == 2 and r.stderr.count("\n") == 1, (args, r.stderr)
        assert r.stderr.startswith("flowfabric worker: ") and "Traceback" not in r.stderr


def test_debug_level_adds_the_traceback(app, subprocess_env):
    r = _cli(["cliboom:worker", "--log-level", "DEBUG"], app, subprocess_env)
    assert r.returncode == 2 and "Traceback" in r.stderr and "NameError" in r.stderr
    assert r.stderr.rstrip().splitlines()[-1].startswith("flowfabric worker: importing 'cliboom' failed")
