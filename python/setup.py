"""Build glue for the flowfabric package (metadata lives in pyproject.toml).

At build time this copies into the package:

* ``bindings/ff_cdef.h`` (generated from the C header) as
  ``flowfabric/ff_cdef.h`` -- the FFI declarations are never written by hand;
* ``libflowfabric.so`` as ``flowfabric/_lib/libflowfabric.so.0``: the file
  ``$FF_BUNDLE_LIBRARY``, else ``$FF_BUILD_DIR/libflowfabric.so``, else
  ``<repo>/build/libflowfabric.so``. Without one the build FAILS (a wheel
  without its native library would only fail later, at import); set
  ``FF_BUNDLE_LIBRARY=0`` to build a pure-Python package on purpose (it then
  loads ``$FF_LIBRARY`` or the system's ``libflowfabric.so.0``).

A wheel that bundles the library is tagged ``py3-none-<platform>``: cffi's ABI
mode loads the library with dlopen, so the wheel depends on the platform but
on no CPython ABI. The version is the C library's (FF_VERSION_* in the cdef).
"""

import os
import re
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:  # setuptools >= 70 ships bdist_wheel; before, the wheel package does
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover - depends on the setuptools version
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def cdef_source():
    for path in (os.path.join(ROOT, "bindings", "ff_cdef.h"), os.environ.get("FF_CDEF_PATH") or ""):
        if path and os.path.isfile(path):
            return path
    shipped = os.path.join(HERE, "flowfabric", "ff_cdef.h")
    if os.path.isfile(shipped):  # building from an unpacked sdist
        return shipped
    raise SystemExit("flowfabric: bindings/ff_cdef.h not found (build from the source tree or set FF_CDEF_PATH)")


def library_candidates():
    """Where the library to bundle may be, in order ([] when bundling is off)."""
    env = os.environ.get("FF_BUNDLE_LIBRARY")
    if env == "0":
        return []
    if env:
        return [env]
    if os.environ.get("FF_BUILD_DIR"):
        return [os.path.join(os.environ["FF_BUILD_DIR"], "libflowfabric.so")]
    return [os.path.join(ROOT, "build", "libflowfabric.so")]


def library_source():
    for path in library_candidates():
        if os.path.exists(path):
            return os.path.realpath(path)
    return None


def require_library():
    """The library to bundle; a clear error instead of a wheel without it."""
    lib = library_source()
    if lib is None and os.environ.get("FF_BUNDLE_LIBRARY") != "0":
        raise SystemExit(
            "flowfabric: cannot build the package: libflowfabric.so not found (looked for "
            + ", ".join(library_candidates()) + "). Build the C library first (make build, or "
            "cmake -S . -B build && cmake --build build), point FF_BUILD_DIR at its build directory or "
            "FF_BUNDLE_LIBRARY at the file, or set FF_BUNDLE_LIBRARY=0 to build a package without it "
            "that loads $FF_LIBRARY or the system libflowfabric.so.0.")
    return lib


def version():
    with open(cdef_source(), encoding="utf-8") as f:
        text = f.read()
    parts = [re.search(rf"^#define FF_VERSION_{k} (\d+)$", text, re.M) for k in ("MAJOR", "MINOR", "PATCH")]
    if not all(parts):
        raise SystemExit("flowfabric: FF_VERSION_* missing from the cdef")
    return ".".join(m.group(1) for m in parts)


class BuildPy(build_py):
    """build_py that adds the generated cdef and the bundled library."""

    def run(self):
        super().run()
        pkg = os.path.join(self.build_lib, "flowfabric")
        os.makedirs(pkg, exist_ok=True)
        shutil.copyfile(cdef_source(), os.path.join(pkg, "ff_cdef.h"))
        libdir = os.path.join(pkg, "_lib")
        shutil.rmtree(libdir, ignore_errors=True)
        lib = require_library()
        if lib:
            os.makedirs(libdir)
            shutil.copy2(lib, os.path.join(libdir, "libflowfabric.so.0"))
            self.announce(f"flowfabric: bundling {lib}", level=2)
        else:
            self.announce("flowfabric: FF_BUNDLE_LIBRARY=0: building without libflowfabric", level=2)


class BdistWheel(bdist_wheel):
    """py3-none-<platform>: no CPython ABI (cffi ABI mode), but the bundled
    library is a platform binary."""

    def finalize_options(self):
        super().finalize_options()
        # before anything is built: a missing library is the first thing said
        self.root_is_pure = require_library() is None

    def get_tag(self):
        python, abi, plat = super().get_tag()
        return ("py3", "none", plat) if not self.root_is_pure else (python, abi, plat)


class BinaryDistribution(Distribution):
    """A bundled .so makes the wheel platform-specific."""

    def has_ext_modules(self):
        return library_source() is not None


setup(version=version(), cmdclass={"build_py": BuildPy, "bdist_wheel": BdistWheel}, distclass=BinaryDistribution)
