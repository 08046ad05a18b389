#!/usr/bin/env python3
"""Generate include/flowfabric/status.h from src/core/status.def (the one status table).

Usage: gen_status_h.py STATUS_DEF OUTPUT_H
The output is committed; tests/check_generated.sh fails when it is stale.
"""
import re
import sys

ROW = re.compile(r'^FF_STATUS\(\s*(\w+)\s*,\s*(-?\d+)\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*\)')


def rows(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line.strip())
            if m:
                out.append((m.group(1), int(m.group(2)), m.group(5)))
    names = [r[0] for r in out]
    values = [r[1] for r in out]
    if len(set(names)) != len(names) or len(set(values)) != len(values):
        sys.exit("status.def: duplicate name or value")
    return out


def main():
    src, dst = sys.argv[1], sys.argv[2]
    lines = [
        "/* GENERATED from src/core/status.def by bindings/gen/gen_status_h.py - do not edit. */",
        "#ifndef FLOWFABRIC_STATUS_H",
        "#define FLOWFABRIC_STATUS_H",
        "",
        '#include "common.h"',
        "",
        "FF_EXTERN_C_BEGIN",
        "",
        "/** Status codes. FF_OK is 0, every error is negative. Values are explicit,",
        " *  append-only and never reused (see docs/abi.md). */",
        "typedef enum ff_status {",
    ]
    for name, value, msg in rows(src):
        lines.append(f"    FF_{name} = {value}, /* {msg} */")
    lines += [
        "    FF_STATUS_SENTINEL_ = -9999 /* not a status; keeps the list comma-friendly */",
        "} ff_status;",
        "",
        "/** Static English text for a status; never NULL, never freed. Thread-safe. */",
        "FF_API const char *ff_strerror(int status);",
        "/** Symbolic name, e.g. \"FF_STALE_LEASE\"; \"FF_UNKNOWN\" for unknown values. Thread-safe. */",
        "FF_API const char *ff_status_name(int status);",
        "/** Coarse family (\"ok\", \"invalid\", \"notfound\", \"conflict\", \"lease\", \"state\",",
        " *  \"transport\", \"timeout\", \"limit\", \"auth\", \"internal\", \"generic\"). Thread-safe. */",
        "FF_API const char *ff_status_group(int status);",
        "/** Server error token for a status (\"stale_lease\"), or \"\" if client-side only. */",
        "FF_API const char *ff_status_server_token(int status);",
        "/** Map a server error token to its status; FF_ESERVER when unknown. */",
        "FF_API int ff_status_from_server_token(const char *token);",
        "/** Writes every defined status value into out (up to cap), returns the total count. */",
        "FF_API size_t ff_status_list(int32_t *out, size_t cap);",
        "/** Detail of the last failure on the calling thread of a call that returns a",
        " *  status without an op (option setters, spec builders, starting calls,",
        " *  ff_client_new): a sentence naming what was wrong and what was expected, e.g.",
        " *  \"not an execution id (expected {fp:N}:<uuid>): 'garbage'\". Returns \"\" when",
        " *  the last recorded failure on this thread had another status than @p status",
        " *  (so a stale text is never shown for a new failure). Borrowed: valid until the",
        " *  next failing call on this thread. Thread-safe (thread-local). */",
        "FF_API const char *ff_error_detail(int status);",
        "",
        "FF_EXTERN_C_END",
        "",
        "#endif",
        "",
    ]
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
