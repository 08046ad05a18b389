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


# ------------------------------------------------------------------ wheels

def _have_pip():
    return subprocess.run([PYTHON, "-m", "pip", "--version"], capture_output=True).returncode == 0


def _build_wheel(tmp_path, **env_extra):
    """pip wheel of a copy of python/ (the source tree stays untouched),
    offline like `make python`. Returns (process, wheel paths)."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "python", src, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__",
                                                                         "_lib", "ff_cdef.h", "tests"))
    env = dict(os.environ, FF_CDEF_PATH=str(REPO / "bindings" / "ff_cdef.h"), PIP_NO_INPUT="1")
    for k in ("FF_BUILD_DIR", "FF_BUNDLE_LIBRARY"):
        env.pop(k, None)
    env.update(env_extra)
    out = tmp_path / "wheels"
    r = subprocess.run([PYTHON, "-m", "pip", "wheel", "--no-index", "--no-build-isolation", "--no-deps",
                        "-w", str(out), str(src)], capture_output=True, text=True, env=env, timeout=300)
    return r, sorted(out.glob("*.whl")) if out.exists() else []


def _wheel_files(path):
    import zipfile
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        wheel = next(n for n in names if n.endswith(".dist-info/WHEEL"))
        return names, z.read(wheel).decode()


def _built_library():
    lib = Path(os.environ.get("FF_BUILD_DIR") or REPO / "build") / "libflowfabric.so"
    if not lib.exists():
        pytest.skip(f"{lib} is not built")
    return lib


@pytest.mark.skipif(not _have_pip(), reason="pip is not installed for this interpreter")
def test_wheel_without_the_library_fails_the_build(tmp_path):
    r, wheels = _build_wheel(tmp_path, FF_BUILD_DIR=str(tmp_path / "no-build"))
    assert r.returncode != 0 and wheels == []
    out = r.stdout + r.stderr
    assert "flowfabric: cannot build the package: libflowfabric.so not found" in out, out
    assert str(tmp_path / "no-build" / "libflowfabric.so") in out and "FF_BUNDLE_LIBRARY=0" in out


@pytest.mark.skipif(not _have_pip(), reason="pip is not installed for this interpreter")
def test_wheel_bundles_the_library_and_needs_no_cpython_abi(ff, tmp_path):
    lib = _built_library()
    r, wheels = _build_wheel(tmp_path, FF_BUNDLE_LIBRARY=str(lib))
    assert r.returncode == 0, r.stdout + r.stderr
    [whl] = wheels
    _, _, python_tag, abi_tag, platform_tag = whl.stem.split("-")  # name-version-py-abi-platform
    assert (python_tag, abi_tag) == ("py3", "none") and platform_tag.startswith("linux_"), whl.name
    names, meta = _wheel_files(whl)
    assert "flowfabric/_lib/libflowfabric.so.0" in names and "flowfabric/ff_cdef.h" in names
    assert "flowfabric/py.typed" in names
    assert "Root-Is-Purelib: false" in meta and f"Tag: py3-none-{platform_tag}" in meta
    # installed into a fresh environment, it runs on its own bundled library
    venv = tmp_path / "venv"
    subprocess.run([PYTHON, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--no-deps", str(whl)], check=True,
                   timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("FF_LIBRARY", "PYTHONPATH")}
    out = subprocess.run([str(venv / "bin" / "python"), "-c",
                          "import flowfabric as f; print(f.LIBRARY_PATH); print(f.library_version())"],
                         check=True, capture_output=True, text=True, env=env, cwd="/").stdout.split()
    assert out[0].startswith(str(venv)) and out[0].endswith("_lib/libflowfabric.so.0") and out[1] == ff.__version__


@pytest.mark.skipif(not _have_pip(), reason="pip is not installed for this interpreter")
def test_wheel_without_the_library_on_purpose_is_pure(tmp_path):
    r, wheels = _build_wheel(tmp_path, FF_BUNDLE_LIBRARY="0")
    assert r.returncode == 0, r.stdout + r.stderr
    [whl] = wheels
    assert whl.name.endswith("-py3-none-any.whl")
    names, meta = _wheel_files(whl)
    assert not any("_lib/" in n for n in names) and "Root-Is-Purelib: true" in meta


def test_docs_list_the_runtime_libraries_of_the_wheel():
    """docs/python.md names the Debian package of every library
    libflowfabric.so links (beyond libc)."""
    lib = _built_library()
    if shutil.which("ldd") is None or shutil.which("dpkg") is None:
        pytest.skip("needs ldd and dpkg")
    doc = (REPO / "docs" / "python.md").read_text(encoding="utf-8")
    needed = []
    for line in subprocess.run(["ldd", str(lib)], capture_output=True, text=True, check=True).stdout.splitlines():
        m = re.match(r"\s*(\S+) => (/\S+)", line)
        if not m or m.group(1).startswith(("libc.so", "libm.so", "libpthread.so", "libdl.so")):
            continue
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(m.group(2))], capture_output=True, text=True)
        if owner.returncode != 0:
            owner = subprocess.run(["dpkg", "-S", m.group(2)], capture_output=True, text=True)
        needed.append(owner.stdout.split(":")[0].strip())
    assert needed and all(needed), needed
    missing = [p for p in needed if f"`{p}`" not in doc]
    assert missing == [], f"docs/python.md does not list {missing}"
