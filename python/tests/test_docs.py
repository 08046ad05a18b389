"""docs/python.md is executable: every ```python block runs.

Conventions in the guide:
  ```python               run in a fresh interpreter (cwd: one temp dir for the
                          whole guide, FF_URL: a private server emptied first)
  ```python file=NAME     written to NAME in that dir, not run (e.g. a module)
  ```python norun         shown only (fragments, error output)
  ```sh run               run with bash in that dir; `python` is this interpreter
  other ```sh blocks      shown only (install commands)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import REPO, SERVER_SCRIPT

DOC = REPO / "docs" / "python.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.S | re.M)


def blocks():
    text = DOC.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        info = m.group(1).split()
        line = text.count("\n", 0, m.start()) + 1
        out.append((info[0] if info else "", info[1:], m.group(2), line))
    return out


@pytest.fixture(scope="module")
def doc_env(ff):
    """A private server (so blocks may use lane "default" and be emptied
    between blocks), a work dir, and `python` on PATH."""
    d = tempfile.mkdtemp(prefix="ffpy-doc-redis-")
    work = tempfile.mkdtemp(prefix="ffpy-doc-")
    try:
        url = subprocess.run(["bash", str(SERVER_SCRIPT), "start", d], check=True, capture_output=True,
                             text=True).stdout.strip().splitlines()[-1]
        bindir = Path(work) / ".bin"
        bindir.mkdir()
        (bindir / "python").symlink_to(sys.executable)
        env = dict(os.environ)
        env.update(FF_URL=url, PYTHONDONTWRITEBYTECODE="1", PATH=f"{bindir}:{env.get('PATH', '')}",
                   FF_HOME=str(Path(work) / ".flowfabric"))
        env["PYTHONPATH"] = os.pathsep.join([str(Path(ff.__file__).parents[1])] +
                                            [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
        yield url, work, env
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop", d], capture_output=True)
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


def test_guide_has_runnable_examples():
    runnable = [b for b in blocks() if b[0] == "python" and not b[1]]
    assert len(runnable) >= 12


def test_guide_examples_run(ff, doc_env):
    url, work, env = doc_env
    ran = 0
    for lang, flags, code, line in blocks():
        where = f"docs/python.md:{line}"
        if lang == "python" and flags and flags[0].startswith("file="):
            (Path(work) / flags[0][5:]).write_text(code)
            continue
        if lang == "python" and not flags:
            cmd = [sys.executable, "-c", code]
        elif lang == "sh" and flags == ["run"]:
            cmd = ["bash", "-euo", "pipefail", "-c", code]
        else:
            continue
        with ff.connect(url) as c:
            c.command("FLUSHALL")  # keeps the function library; the next client re-boots the config
        r = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"{where} failed ({r.returncode}):\n{code}\n--- output:\n{r.stdout}{r.stderr}"
        ran += 1
    assert ran >= 13
