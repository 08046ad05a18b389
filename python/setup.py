"""Build glue for the flowfabric package (metadata lives in pyproject.toml).

At build time this copies into the package:

* ``bindings/ff_cdef.h`` (generated from the C header) as
  ``flowfabric/ff_cdef.h`` -- the FFI declarations are never written by hand;
* ``libflowfabric.so`` as ``flowfabric/_lib/libflowfabric.so.0`` when the C
  library has been built (``$FF_BUNDLE_LIBRARY``, else
  ``$FF_BUILD_DIR/libflowfabric.so``, else ``<repo>/build/libflowfabric.so``);
  set ``FF_BUNDLE_LIBRARY=0`` to ship without it (the package then uses
  ``$FF_LIBRARY`` or the system library).

The version is the C library's (FF_VERSION_* in the cdef).
"""

import os
import re
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

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


def library_source():
    env = os.environ.get("FF_BUNDLE_LIBRARY")
    if env == "0":
        return None
    candidates = [env] if env else []
    if os.environ.get("FF_BUILD_DIR"):
        candidates.append(os.path.join(os.environ["FF_BUILD_DIR"], "libflowfabric.so"))
    candidates.append(os.path.join(ROOT, "build", "libflowfabric.so"))
    for path in candidates:
        if path and os.path.exists(path):
            return os.path.realpath(path)
    return None


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
        lib = library_source()
        if lib:
            os.makedirs(libdir)
            shutil.copy2(lib, os.path.join(libdir, "libflowfabric.so.0"))
            self.announce(f"flowfabric: bundling {lib}", level=2)
        else:
            self.announce("flowfabric: no built libflowfabric found; not bundling one", level=2)


class BinaryDistribution(Distribution):
    """A bundled .so makes the wheel platform-specific."""

    def has_ext_modules(self):
        return library_source() is not None


setup(version=version(), cmdclass={"build_py": BuildPy}, distclass=BinaryDistribution)
