#!/usr/bin/env python3
"""Generate the Ruby gem's FFI layer from the API description and the status
table (DESIGN §9): nothing in it is written by hand.

    bindings/gen/gen_ruby.py API_JSON STATUS_DEF NAMES_TXT OUT_DIR

writes OUT_DIR/native.rb (attach_function for every function of api.json,
its callbacks, enums and integer constants, ABI version) and
OUT_DIR/error_classes.rb (one exception class per status group and per
status, named as in every binding by bindings/gen/error_names.txt).
tests/check_generated.sh runs it into a temporary directory and fails when
the committed files differ.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genfile  # noqa: E402
import status_names  # noqa: E402

SCALARS = {
    "void": ":void", "int": ":int", "double": ":double", "size_t": ":size_t",
    "int8_t": ":int8", "int16_t": ":int16", "int32_t": ":int32", "int64_t": ":int64",
    "uint8_t": ":uint8", "uint16_t": ":uint16", "uint32_t": ":uint32", "uint64_t": ":uint64",
}


def ruby_type(ctype, callbacks, where):
    t = ctype.strip()
    if t in SCALARS:
        return SCALARS[t]
    if t in callbacks:
        return ":" + t
    # A C string argument: ruby-ffi copies a Ruby String with its NUL. Returned
    # `const char *` are borrowed from the library: read them as pointers and
    # copy with read_string, so an embedded length (bytes) is never lost.
    if t.endswith("*"):
        return ":pointer"
    raise SystemExit("gen_ruby.py: %s: no Ruby FFI type for %r" % (where, ctype))


def param_type(ctype, callbacks, where):
    if ctype.strip() == "const char *":
        return ":string"
    return ruby_type(ctype, callbacks, where)


def native(api):
    callbacks = {t["name"] for t in api["types"] if t["kind"] == "callback"}
    out = [
        "# GENERATED from bindings/api.json by bindings/gen/gen_ruby.py - do not edit (make generate).",
        "# frozen_string_literal: true",
        "",
        "require \"ffi\"",
        "",
        "module FlowFabric",
        "  # The C API as declared in include/flowfabric.h, one attach_function per",
        "  # function. Calls marked @blocking in the header release the GVL.",
        "  module Native",
        "    extend FFI::Library",
        "",
        "    ABI_VERSION = %d" % api["abi_version"],
        "    VERSION = %s" % json.dumps(api["version"]),
        "",
        "    ffi_lib FlowFabric::Loader.library_path",
        "    # The ABI first: binding every function of another ABI would fail on",
        "    # the first missing symbol with a message that names no version.",
        "    attach_function :ff_abi_version, [], :int32",
        "    FlowFabric::Loader.check_abi(ff_abi_version, ABI_VERSION)",
        "",
    ]
    for c in api["constants"]:
        out.append("    %s = %d" % (c["name"], c["value"]))
    out.append("")
    for e in api["enums"]:
        for m in e["members"]:
            out.append("    %s = %d" % (m["name"], m["value"]))
        out.append("")
    for t in api["types"]:
        if t["kind"] == "callback":
            params = ", ".join(ruby_type(p["type"], callbacks, t["name"]) for p in t["params"])
            out.append("    callback :%s, [%s], %s" % (t["name"], params,
                                                         ruby_type(t["returns"], callbacks, t["name"])))
    out.append("")
    for f in api["functions"]:
        if f["name"] == "ff_abi_version":
            continue  # bound above, before everything else
        params = ", ".join(param_type(p["type"], callbacks, f["name"]) for p in f["params"])
        ret = ruby_type(f["returns"], callbacks, f["name"])
        line = "    attach_function :%s, [%s], %s" % (f["name"], params, ret)
        if f["blocking"]:
            line += ", blocking: true"
        out.append(line)
    out += ["", "    FUNCTIONS = %%i[%s].freeze" % " ".join(f["name"] for f in api["functions"]), ""]
    out += ["    # What each C op yields (the @yields tags of include/flowfabric/*.h):",
            "    # the first kind is the value a call returns, the rest are other",
            "    # accessors that carry part of the result. Read with Result.of(name).",
            "    YIELDS = {"]
    for f in api["functions"]:
        if f["role"] == "op":
            out.append("      %s: %%i[%s]," % (f["name"], " ".join(y["kind"] for y in f["yields"])))
    out += ["    }.freeze", "", "    # The item layout (FF_ITEMS_<X>_STRIDE / _<FIELD>) of ops that name one.",
            "    ITEM_LAYOUTS = {"]
    for f in api["functions"]:
        layout = next((y["layout"] for y in f.get("yields", []) if "layout" in y), None)
        if layout:
            out.append("      %s: %s," % (f["name"], json.dumps(layout)))
    out += ["    }.freeze", "  end", "end", ""]
    return "\n".join(out)


def errors(status_def, names_txt):
    groups, statuses = status_names.load_names(names_txt)
    rows = status_names.rows(status_def)
    names = status_names.class_names(rows, groups, statuses)
    group_class = {g: n for g, (n, _) in groups.items()}
    out = [
        "# GENERATED from src/core/status.def and bindings/gen/error_names.txt by",
        "# bindings/gen/gen_ruby.py - do not edit (make generate).",
        "# frozen_string_literal: true",
        "",
        "module FlowFabric",
    ]
    base = group_class["generic"]
    for g, (n, desc) in groups.items():
        if n == base:
            continue
        out += ["  # %s" % desc, "  class %s < %s; GROUP = %s; end" % (n, base, json.dumps(g))]
    out.append("")
    for name, value, group, token, message in rows:
        cname = names[name]
        if cname in group_class.values():
            continue
        out += ["  # FF_%s (%d): %s" % (name, value, message),
                "  class %s < %s; end" % (cname, group_class[group])]
    out += ["", "  # status code -> exception class", "  ERROR_CLASSES = {"]
    for name, value, group, token, message in rows:
        out.append("    %d => %s," % (value, names[name]))
    out += ["  }.freeze", "", "  # status code -> (name, server token)", "  STATUS_NAMES = {"]
    for name, value, group, token, message in rows:
        out.append("    %d => [%s, %s]," % (value, json.dumps("FF_" + name), json.dumps(token)))
    out += ["  }.freeze", "end", ""]
    return "\n".join(out)


def main(argv):
    if len(argv) != 4:
        print("usage: gen_ruby.py API_JSON STATUS_DEF NAMES_TXT OUT_DIR", file=sys.stderr)
        return 2
    api = json.load(open(argv[0], encoding="utf-8"))
    os.makedirs(argv[3], exist_ok=True)
    for fname, text in (("native.rb", native(api)), ("error_classes.rb", errors(argv[1], argv[2]))):
        genfile.write(os.path.join(argv[3], fname), text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
