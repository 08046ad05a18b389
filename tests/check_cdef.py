#!/usr/bin/env python3
"""cdef_parses: bindings/ff_cdef.h must load with cffi's ffi.cdef() as-is, and the
built library, dlopen()ed in ABI mode through it, must report the ABI version
the cdef was generated with, the matching version string, and a name for every
status code of the enum.

Usage: check_cdef.py CDEF LIBRARY
"""
import sys

import cffi


def main():
    cdef_path, lib_path = sys.argv[1], sys.argv[2]
    with open(cdef_path, encoding="utf-8") as f:
        src = f.read()
    ffi = cffi.FFI()
    ffi.cdef(src)
    lib = ffi.dlopen(lib_path)
    errors = []

    expected_abi = lib.FF_ABI_VERSION
    got_abi = lib.ff_abi_version()
    if got_abi != expected_abi:
        errors.append(f"ff_abi_version() = {got_abi}, cdef FF_ABI_VERSION = {expected_abi}")

    want = f"{lib.FF_VERSION_MAJOR}.{lib.FF_VERSION_MINOR}.{lib.FF_VERSION_PATCH}"
    got = ffi.string(lib.ff_version_string()).decode()
    if got != want:
        errors.append(f"ff_version_string() = {got!r}, cdef says {want!r}")
    if lib.ff_version_number() != lib.FF_VERSION_NUMBER:
        errors.append(f"ff_version_number() = {lib.ff_version_number()}, cdef FF_VERSION_NUMBER = {lib.FF_VERSION_NUMBER}")

    statuses = {k: v for k, v in ffi.typeof("ff_status").relements.items() if not k.endswith("_SENTINEL_")}
    if "FF_OK" not in statuses or "FF_STALE_LEASE" not in statuses:
        errors.append("ff_status enum incomplete in the cdef")
    for name, value in sorted(statuses.items(), key=lambda kv: -kv[1]):
        got_name = ffi.string(lib.ff_status_name(value)).decode()
        if got_name != name:
            errors.append(f"ff_status_name({value}) = {got_name!r}, expected {name!r}")
        if not ffi.string(lib.ff_strerror(value)):
            errors.append(f"ff_strerror({value}) is empty")

    if errors:
        print("cdef/library mismatch:\n  " + "\n  ".join(errors))
        return 1
    print(f"ok: cdef parses; ABI {got_abi}, version {got}, {len(statuses)} status codes named")
    return 0


if __name__ == "__main__":
    sys.exit(main())
