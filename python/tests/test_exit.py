"""A program may exit with clients and workers still open: the library stays
loaded while its threads run, and what is left open is stopped in order at
exit (workers and engines, then clients)."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

from conftest import PYTHON

HERE = Path(__file__).resolve().parent
SCENARIO = HERE / "exit_scenario.py"


def _run(code_or_args, env, cwd, timeout=120):
    args = code_or_args if isinstance(code_or_args, list) else ["-c", textwrap.dedent(code_or_args)]
    return subprocess.run([PYTHON, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_library_is_never_unmapped(subprocess_env, server_url, tmp_path):
    """cffi unmaps a dlopen'ed library when its lib object goes away (here:
    explicitly); with RTLD_NODELETE it stays mapped, and a client's I/O thread
    that keeps reconnecting (timers firing in library code) does not crash."""
    env = dict(subprocess_env, PYTHONPATH=f"{HERE}{os.pathsep}{subprocess_env['PYTHONPATH']}")
    r = _run(f"""
        import time
        import flowfabric as ff
        from flowfabric._ffi import ffi, lib, LIBRARY_PATH
        import exit_scenario
        proxy = exit_scenario.Proxy(({server_url.rsplit(':', 1)[0][8:]!r}, {server_url.rsplit(':', 1)[1]}))
        c = ff.connect(f"redis://127.0.0.1:{{proxy.port}}")
        proxy.close()                      # the client now reconnects, for ever
        ffi.dlclose(lib)                   # what interpreter shutdown may do
        time.sleep(1.0)                    # the I/O thread runs library code meanwhile
        maps = open("/proc/self/maps").read()
        print("MAPPED" if LIBRARY_PATH.rsplit("/", 1)[-1] in maps or "libflowfabric" in maps else "UNMAPPED")
    """, env, tmp_path)
    assert r.returncode == 0, (r.returncode, r.stderr)
    assert r.stdout.strip() == "MAPPED"


def test_open_clients_and_workers_are_closed_at_exit(subprocess_env, server_url, tmp_path):
    """Before the interpreter tears down, every client the program left
    open has been freed (no library thread left): checked from an atexit
    handler that runs after flowfabric's."""
    env = dict(subprocess_env, PYTHONPATH=f"{HERE}{os.pathsep}{subprocess_env['PYTHONPATH']}")
    r = _run(f"""
        import atexit, threading
        def check():   # registered first, so it runs last
            import flowfabric._core as core
            left = core.open_cores()
            print("OPEN:", len(left), "THREADS:", sorted(t.name for t in threading.enumerate()
                                                         if t.name.startswith("flowfabric")))
        atexit.register(check)
        import exit_scenario
        exit_scenario.scenario({server_url!r})
    """, env, tmp_path)
    assert r.returncode == 0, (r.returncode, r.stderr)
    assert r.stdout.strip() == "OPEN: 0 THREADS: []", r.stdout + r.stderr
    assert r.stderr == ""


def test_exits_cleanly_100_runs_in_a_row(subprocess_env, server_url, tmp_path):
    """The issue's program -- clients (sync and async, one reconnecting to a
    closed port) and workers left open -- exits cleanly 100 times in a row:
    status 0 and nothing printed. The runs are forked from one interpreter
    that imported flowfabric (each child still exits through the normal
    interpreter shutdown); 3 more run as fresh interpreters."""
    env = dict(subprocess_env, PYTHONPATH=f"{HERE}{os.pathsep}{subprocess_env['PYTHONPATH']}")
    r = _run([str(SCENARIO), server_url, "--runs", "100"], env, tmp_path, timeout=600)
    assert r.returncode == 0 and r.stdout.strip().endswith("100/100 runs exited cleanly"), r.stdout + r.stderr
    for _ in range(3):
        r = _run([str(SCENARIO), server_url], env, tmp_path)
        assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
