"""Type checkers see the documented API: Debian's mypy (`apt-get install
mypy`, in scripts/bootstrap) passes ``--strict`` over every example of
docs/python.md and over a user program that uses the error classes, and it
does flag a wrong use (so the package's types are really read, not Any)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO
from test_docs import blocks

MYPY = shutil.which("mypy")

# A program of a user who catches errors by class and reads what the calls
# return; every name here is documented in docs/python.md.
USER_PROGRAM = '''
from typing import List, Optional

import flowfabric as ff
from flowfabric.errors import ExecutionNotActive


def finish(client: ff.Client, claim: ff.Claim) -> Optional[str]:
    try:
        return client.complete(claim, b"done")
    except ff.StaleLease as e:
        code: int = e.code
        token: str = e.server_code
        return f"{code} {token}"
    except ExecutionNotActive as e:
        details: tuple[str, ...] = e.details
        return details[0]
    except (ff.LeaseError, ff.TransportError, ff.Timeout, ff.InvalidInput, ff.NotFound) as e:
        return str(e)


def outcome(client: ff.Client, eid: str) -> str:
    try:
        return client.result(eid).decode()
    except (ff.ExecutionFailed, ff.ExecutionCancelled, ff.ExecutionExpired, ff.ExecutionSkipped) as e:
        return e.detail
    except ff.ExecutionNotTerminal:
        return "running"


def operator(client: ff.Client, eid: str) -> int:
    r: ff.LeaseRevocation = client.revoke_lease(eid, reason="stuck")
    lease_id: str = r.lease_id
    assert lease_id or not r.revoked
    return r.lease_epoch


def handler(task: ff.Task) -> bytes:
    if not task.payload:
        raise ff.TaskFailed("empty payload", category="validation", retry=False)
    return task.payload


def main() -> None:
    retry = ff.Retry(max_retries=3, non_retryable=["validation"])
    classes: List[type] = [ff.error_class(-100), ff.errors.ClientClosed, ff.InvalidArgument, ff.LibraryMismatch]
    with ff.connect() as client:
        eid: ff.ExecutionId = client.submit("k", b"x", retry=retry)
        with ff.Worker(client, lanes=["default"]) as worker:
            worker.register("k", handler)
            worker.run(max_tasks=1, idle_timeout=1, handle_signals=False)
        print(outcome(client, eid), classes, ff.__all__[:3])
'''

# Uses the type checker must refuse.
WRONG_PROGRAM = '''
import flowfabric as ff

with ff.connect() as client:
    client.submit(42)
    ff.NoSuchError
    n: int = client.revoke_lease("x").lease_id
'''


def _mypy(files, cwd):
    """mypy --strict on ``files`` against the package under test: the one
    installed in this interpreter's environment, or python/ of the tree."""
    import flowfabric
    if MYPY is None:  # a dependency (DESIGN §2), not an optional extra: no skip
        pytest.fail("mypy is not installed: apt-get install mypy (scripts/bootstrap installs it)")
    env = dict(os.environ)
    env.pop("MYPYPATH", None)
    cmd = [MYPY, "--strict", "--no-incremental", "--cache-dir", os.devnull, "--show-error-codes",
           "--python-executable", sys.executable]
    pkg_parent = Path(flowfabric.__file__).resolve().parents[1]
    if pkg_parent == (REPO / "python").resolve():  # source tree: not installed anywhere mypy looks
        env["MYPYPATH"] = str(pkg_parent)
        # as for an installed package, mypy judges the user's code, not the
        # package's insides (it does not report errors in site-packages)
        config = Path(cwd) / "mypy.ini"
        config.write_text("[mypy]\n[mypy-flowfabric.*]\nignore_errors = True\n")
        cmd += ["--config-file", str(config)]
    return subprocess.run(cmd + [str(f) for f in files], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def _doc_examples(tmp_path):
    files = []
    for lang, flags, code, line in blocks():
        if lang != "python" or (flags and flags[0] == "norun"):
            continue
        name = flags[0][5:] if flags else f"python_md_line_{line}.py"
        path = tmp_path / name
        path.write_text(code)
        files.append(path)
    return files


def test_mypy_strict_passes_on_the_guide_and_a_user_program(tmp_path):
    files = _doc_examples(tmp_path)
    assert len(files) >= 15
    user = tmp_path / "user_program.py"
    user.write_text(textwrap.dedent(USER_PROGRAM))
    r = _mypy(files + [user], tmp_path)
    # name the doc line of each complaint
    out = r.stdout.replace("python_md_line_", "docs/python.md:").replace(".py:", "+")
    assert r.returncode == 0, f"mypy --strict failed:\n{out}{r.stderr}"
    assert "Success: no issues found" in r.stdout


def test_mypy_flags_wrong_uses(tmp_path):
    wrong = tmp_path / "wrong.py"
    wrong.write_text(textwrap.dedent(WRONG_PROGRAM))
    r = _mypy([wrong], tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert 'wrong.py:5: error: Argument 1 to "submit" of "Client" has incompatible type "int"' in r.stdout
    assert 'wrong.py:6: error: Module has no attribute "NoSuchError"' in r.stdout
    assert "wrong.py:7: error: Incompatible types in assignment" in r.stdout
