"""Loading of libflowfabric through cffi (ABI mode: no compiler needed).

The FFI declarations are NOT written here: they are the generated
``bindings/ff_cdef.h`` of the C tree, shipped inside the package as
``flowfabric/ff_cdef.h`` when it is built (see ``setup.py``).

Where the library comes from, first match wins:

1. ``$FF_LIBRARY`` (a path to ``libflowfabric.so``);
2. the copy bundled in the package (``flowfabric/_lib/libflowfabric.so.0``),
   made at build time when the C library had been built;
3. in a source checkout (package imported from ``<repo>/python``):
   ``<repo>/build/libflowfabric.so``;
4. the system library path (``libflowfabric.so.0``, e.g. after
   ``cmake --install build``).

The loaded library must report the ABI version the declarations were
generated with (``ff_abi_version() == FF_ABI_VERSION``); otherwise importing
:mod:`flowfabric` raises :class:`flowfabric.errors.LibraryMismatch`.
"""

from __future__ import annotations

import ctypes.util
import os
from typing import Any, List, Optional, Tuple

import cffi

from ._args import utf8
from .errors import LibraryError, LibraryMismatch

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))
_SRC_ROOT = os.path.dirname(os.path.dirname(_PKG_DIR))  # <repo> when run from <repo>/python

#: Name of the shipped copy of bindings/ff_cdef.h inside the package.
CDEF_NAME = "ff_cdef.h"


def _in_source_tree() -> bool:
    return os.path.isfile(os.path.join(_SRC_ROOT, "include", "flowfabric.h")) and os.path.isfile(
        os.path.join(_SRC_ROOT, "bindings", "ff_cdef.h")
    )


def find_cdef() -> str:
    """Path of the FFI declarations this package uses."""
    shipped = os.path.join(_PKG_DIR, CDEF_NAME)
    if os.path.isfile(shipped):
        return shipped
    if _in_source_tree():
        return os.path.join(_SRC_ROOT, "bindings", "ff_cdef.h")
    env = os.environ.get("FF_CDEF_PATH")
    if env and os.path.isfile(env):
        return env
    raise LibraryError(
        "flowfabric: the FFI declarations (ff_cdef.h) are missing from the package; "
        "reinstall it from the source tree (pip install ./python) or set FF_CDEF_PATH"
    )


def library_candidates() -> List[Tuple[str, str]]:
    """(origin, path-or-name) pairs tried in order, for diagnostics."""
    out: List[Tuple[str, str]] = []
    env = os.environ.get("FF_LIBRARY")
    if env:
        return [("$FF_LIBRARY", env)]
    libdir = os.path.join(_PKG_DIR, "_lib")
    if os.path.isdir(libdir):
        for name in sorted(os.listdir(libdir)):
            if name.startswith("libflowfabric.so"):
                out.append(("bundled", os.path.join(libdir, name)))
    if _in_source_tree():
        built = os.path.join(_SRC_ROOT, "build", "libflowfabric.so")
        if os.path.exists(built):
            out.append(("source tree", built))
    found = ctypes.util.find_library("flowfabric")
    for name in ([found] if found else []) + ["libflowfabric.so.0", "libflowfabric.so"]:
        if ("system", name) not in out:
            out.append(("system", name))
    return out


def _load() -> Tuple[cffi.FFI, Any, str, str]:
    cdef_path = find_cdef()
    with open(cdef_path, encoding="utf-8") as f:
        cdef = f.read()
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    errors = []
    for origin, path in library_candidates():
        if origin == "$FF_LIBRARY" and not os.path.exists(path):
            raise LibraryError(f"flowfabric: FF_LIBRARY={path!r} does not exist")
        try:
            # RTLD_NODELETE: the library stays mapped for the life of the
            # process. Its I/O threads keep running until every client is
            # freed, and cffi would dlclose it whenever the lib object is
            # collected (e.g. during interpreter shutdown): unmapping code a
            # thread still executes is a crash.
            lib = ffi.dlopen(path, ffi.RTLD_NOW | ffi.RTLD_NODELETE)
        except OSError as e:
            if origin == "$FF_LIBRARY":
                raise LibraryError(f"flowfabric: cannot load FF_LIBRARY={path!r}: {e}") from None
            errors.append(f"{origin} {path}: {e}")
            continue
        try:
            got = int(lib.ff_abi_version())
        except AttributeError:
            raise LibraryMismatch(
                f"flowfabric: {path} ({origin}) does not export ff_abi_version(); "
                "it is not a libflowfabric library",
                expected=int(lib.FF_ABI_VERSION),
                found=None,
                path=path,
            ) from None
        want = int(lib.FF_ABI_VERSION)
        if got != want:
            raise LibraryMismatch(
                f"flowfabric: ABI version mismatch: {path} ({origin}) has ABI {got}, "
                f"this package was generated for ABI {want} (FF_ABI_VERSION in {cdef_path}). "
                "Use a libflowfabric built from the same source tree as the package "
                "(rebuild and reinstall both, or point FF_LIBRARY at the right library).",
                expected=want,
                found=got,
                path=path,
            )
        return ffi, lib, path, cdef_path
    raise LibraryError(
        "flowfabric: libflowfabric not found. Build it (cmake -S . -B build && cmake --build build), "
        "set FF_LIBRARY=/path/to/libflowfabric.so, or reinstall the package after building.\n  tried: "
        + "\n  tried: ".join(errors)
    )


ffi, lib, LIBRARY_PATH, CDEF_PATH = _load()
NULL = ffi.NULL


def to_str(p: Any) -> str:
    """A borrowed C string as str ("" for NULL); undecodable bytes are kept
    with surrogateescape so nothing is lost."""
    if p == NULL:
        return ""
    return ffi.string(p).decode("utf-8", "surrogateescape")


def to_bytes_arg(s: Optional[str], what: str) -> Any:
    """A text argument as UTF-8 bytes for a `const char *` parameter; None ->
    NULL. Text that is not valid UTF-8 raises InvalidArgument (see _args)."""
    return NULL if s is None else utf8(s, what)
