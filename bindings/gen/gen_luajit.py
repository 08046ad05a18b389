#!/usr/bin/env python3
"""Generate the LuaJIT module's FFI layer from the API description and the
status table (DESIGN §9): nothing in it is written by hand.

    bindings/gen/gen_luajit.py API_JSON STATUS_DEF NAMES_TXT OUT_DIR

writes OUT_DIR/cdef.lua (the ffi.cdef text of every type, constant and
function of api.json, plus the ABI version and the list of functions) and
OUT_DIR/errors.lua (status code -> name, class name, group, server token,
named as in every binding by bindings/gen/error_names.txt) and OUT_DIR/ops.lua
(every op's result kinds from the headers' @yields tags, which init.lua
reads its results with).
tests/check_generated.sh runs it into a temporary directory and fails when
the committed files differ.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genfile  # noqa: E402
import status_names  # noqa: E402


def decl(ctype, name):
    """'const char *' + 'x' -> 'const char *x'; 'int' + 'x' -> 'int x'."""
    return ctype + name if ctype.endswith("*") else ctype + " " + name


def cdef(api):
    lines = []
    # integer #defines become enum constants: ffi.cdef has no #define, and an
    # enum keeps them reachable as lib.FF_X like the functions
    lines.append("enum {")
    for c in api["constants"]:
        lines.append("  %s = %d," % (c["name"], c["value"]))
    lines.append("};")
    for t in api["types"]:
        if t["kind"] == "opaque":
            lines.append("typedef struct %s %s;" % (t["name"], t["name"]))
        elif t["kind"] == "alias":
            lines.append("typedef %s;" % decl(t["of"], t["name"]))
    for e in api["enums"]:
        lines.append("typedef enum %s {" % e["name"])
        for m in e["members"]:
            lines.append("  %s = %d," % (m["name"], m["value"]))
        lines.append("} %s;" % e["name"])
    for t in api["types"]:
        if t["kind"] == "callback":
            params = ", ".join(decl(p["type"], p["name"]) for p in t["params"]) or "void"
            lines.append("typedef %s (*%s)(%s);" % (t["returns"], t["name"], params))
    for f in api["functions"]:
        params = ", ".join(decl(p["type"], p["name"]) for p in f["params"]) or "void"
        lines.append("%s(%s);" % (decl(f["returns"], f["name"]), params))
    text = "\n".join(lines)
    if "]==]" in text:
        raise SystemExit("gen_luajit.py: the declarations contain the long-string terminator")
    out = [
        "-- GENERATED from bindings/api.json by bindings/gen/gen_luajit.py - do not edit (make generate).",
        "return {",
        "  abi_version = %d," % api["abi_version"],
        "  version = %s," % json.dumps(api["version"]),
        "  functions = {",
    ]
    out += ["    %s," % json.dumps(f["name"]) for f in api["functions"]]
    out += ["  },", "  cdef = [==[", text, "]==],", "}", ""]
    return "\n".join(out)


def ops(api):
    out = [
        "-- GENERATED from bindings/api.json by bindings/gen/gen_luajit.py - do not edit (make generate).",
        "-- What each C op yields (the @yields tags of include/flowfabric/*.h):",
        "-- ops[name][1] is the kind of the value a call returns (text, int, bytes,",
        "-- json, execution_id, items, cursor, claims, reply, none), further entries",
        "-- are other accessors that carry part of the result; layout names the",
        "-- item layout (FF_ITEMS_<X>_STRIDE / _<FIELD> in the cdef) when there is one.",
        "return {",
    ]
    for f in api["functions"]:
        if f["role"] != "op":
            continue
        kinds = ", ".join(json.dumps(y["kind"]) for y in f["yields"])
        layout = next((y["layout"] for y in f["yields"] if "layout" in y), None)
        extra = (", layout = %s" % json.dumps(layout)) if layout else ""
        out.append("  %s = { %s%s }," % (f["name"], kinds, extra))
    out += ["}", ""]
    return "\n".join(out)


def errors(status_def, names_txt):
    groups, statuses = status_names.load_names(names_txt)
    rows = status_names.rows(status_def)
    names = status_names.class_names(rows, groups, statuses)
    out = [
        "-- GENERATED from src/core/status.def and bindings/gen/error_names.txt by",
        "-- bindings/gen/gen_luajit.py - do not edit (make generate).",
        "return {",
        "  -- status group -> the class name of the group",
        "  groups = {",
    ]
    for g, (n, _) in groups.items():
        out.append("    %s = %s," % (g, json.dumps(n)))
    out += ["  },", "  -- status code -> { name, class (as in every binding), group, server token }",
            "  statuses = {"]
    for name, value, group, token, _ in rows:
        out.append("    [%d] = { name = %s, class = %s, group = %s, token = %s }," % (
            value, json.dumps("FF_" + name), json.dumps(names[name]), json.dumps(group), json.dumps(token)))
    out += ["  },", "}", ""]
    return "\n".join(out)


def main(argv):
    if len(argv) != 4:
        print("usage: gen_luajit.py API_JSON STATUS_DEF NAMES_TXT OUT_DIR", file=sys.stderr)
        return 2
    api = json.load(open(argv[0], encoding="utf-8"))
    os.makedirs(argv[3], exist_ok=True)
    for fname, text in (("cdef.lua", cdef(api)), ("errors.lua", errors(argv[1], argv[2])), ("ops.lua", ops(api))):
        genfile.write(os.path.join(argv[3], fname), text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
