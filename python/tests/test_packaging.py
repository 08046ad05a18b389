"""The package and the C library: generated declarations, ABI check,
library lookup, versions."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from conftest import PYTHON, REPO


def test_shipped_declarations_equal_bindings_cdef(ff):
    shipped = Path(ff.CDEF_PATH).read_text(encoding="utf-8")
    assert shipped == (REPO / "bindings" / "ff_cdef.h").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which(os.environ.get("CC", "cc")) is None, reason="no C preprocessor")
def test_declarations_match_the_header(ff, tmp_path):
    """Regenerate the cdef from include/flowfabric.h: the package's copy must
    be exactly what the generator produces today (never hand-edited)."""
    out = tmp_path / "ff_cdef.h"
    subprocess.run(["bash", str(REPO / "bindings" / "gen" / "gen_cdef.sh"), str(out)], check=True)
    assert Path(ff.CDEF_PATH).read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_every_declared_function_is_exported(ff):
    from flowfabric._ffi import lib
    text = Path(ff.CDEF_PATH).read_text(encoding="utf-8")
    names = set(re.findall(r"\b(ff_[a-z0-9_]+)\s*\(", text))
    assert len(names) > 100
    missing = []
    for n in sorted(names):
        try:
            getattr(lib, n)
        except AttributeError:
            missing.append(n)
    assert missing == []


def test_versions(ff):
    assert ff.abi_version() == ff.ABI_VERSION
    assert ff.library_version() == ff.__version__
    assert ff.lua_library_version()
    assert ff.strerror(-100)
    assert ff.status_name(-100) == "FF_STALE_LEASE"


def test_version_command(ff):
    out = subprocess.run([PYTHON, "-m", "flowfabric", "version"], check=True, capture_output=True, text=True)
    assert f"ABI {ff.ABI_VERSION}" in out.stdout
    assert ff.__version__ in out.stdout


def _import_in_child(env_extra):
    code = textwrap.dedent("""
        import sys
        try:
            import flowfabric
        except ImportError as e:
            print("IMPORT-ERROR", type(e).__name__, getattr(e, "expected", None), getattr(e, "found", None))
            print(e)
            sys.exit(3)
        print("IMPORTED")
    """)
    import flowfabric
    env = dict(os.environ)
    env.update(env_extra)
    # the same package as this test process, whether installed or in-tree
    env["PYTHONPATH"] = os.pathsep.join([str(Path(flowfabric.__file__).parents[1])] +
                                        [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=env, cwd="/")


@pytest.mark.skipif(shutil.which("gcc") is None and shutil.which("cc") is None, reason="no C compiler")
def test_refuses_a_library_with_another_abi(ff, tmp_path):
    src = tmp_path / "fake.c"
    src.write_text("int ff_abi_version(void) { return 999; }\n"
                   "const char *ff_version_string(void) { return \"9.9.9\"; }\n")
    so = tmp_path / "libfake.so"
    subprocess.run([shutil.which("gcc") or "cc", "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    r = _import_in_child({"FF_LIBRARY": str(so)})
    assert r.returncode == 3, r.stdout + r.stderr
    first, message = r.stdout.splitlines()[0], r.stdout
    assert first == f"IMPORT-ERROR LibraryMismatch {ff.ABI_VERSION} 999"
    assert "ABI version mismatch" in message and "ABI 999" in message and str(so) in message


def test_refuses_a_library_that_is_not_flowfabric(tmp_path):
    so = tmp_path / "libempty.so"
    src = tmp_path / "empty.c"
    src.write_text("int not_flowfabric(void) { return 1; }\n")
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(so), str(src)], check=True)
    r = _import_in_child({"FF_LIBRARY": str(so)})
    assert r.returncode == 3
    assert "does not export ff_abi_version" in r.stdout


def test_missing_library_path_is_reported(tmp_path):
    r = _import_in_child({"FF_LIBRARY": str(tmp_path / "nope.so")})
    assert r.returncode == 3
    assert "IMPORT-ERROR LibraryError" in r.stdout and "does not exist" in r.stdout


def test_library_candidates_order(ff, monkeypatch):
    from flowfabric import _ffi
    monkeypatch.setenv("FF_LIBRARY", "/x/libflowfabric.so")
    assert _ffi.library_candidates() == [("$FF_LIBRARY", "/x/libflowfabric.so")]
    monkeypatch.delenv("FF_LIBRARY")
    origins = [o for o, _ in _ffi.library_candidates()]
    assert origins[-1] == "system"
    if "bundled" in origins:  # the installed package found first
        assert origins[0] == "bundled"


def test_package_is_typed(ff):
    assert (Path(ff.__file__).parent / "py.typed").exists()
