#!/usr/bin/env python3
"""Generate bindings/api.json: the one machine-readable description of the
public C API that every binding layer is generated from (DESIGN §9).

    bindings/gen/gen_api.py [--cdef FF_CDEF_H] OUT

Sources, both generated or written once:
  * bindings/ff_cdef.h (itself generated from include/) for the declarations:
    parsed with pycparser (Debian's python3-pycparser, which cffi uses too),
    never with regular expressions;
  * the doc comment (/** ... */) right above each FF_API declaration in
    include/flowfabric/**.h, for the prose and the structured tags:
        @blocking        the call may wait (I/O, a join): bindings release
                         their interpreter lock around it (ruby-ffi
                         blocking: true, Python's cffi releases the GIL anyway)
        @owns            a returned or out pointer belongs to the caller
                         (freed with the function the tag names, e.g.
                         "@owns ff_free")
        @yields KIND[, KIND...]
                         required on every op (and only there): which
                         ff_op_* accessors carry its result, the first one
                         being THE result a binding returns by default. KIND
                         is one of YIELD_KINDS below; "items" may name its
                         layout from items.h ("items FF_ITEMS_SUSPEND": the
                         FF_ITEMS_SUSPEND_STRIDE and _<FIELD> constants
                         must exist); "none" stands alone. In api.json:
                         "yields": [{"kind": K[, "layout": L]}, ...].

Every function is classified by shape, so bindings need no list of names:
  op           ends in (ff_op_cb cb, void *ud, ff_op **out): asynchronous,
               completes once (client.h's contract)
  constructor  int ff_x_new(ff_x **out, ...)
  destructor   void ff_x_free(ff_x *)
  call         anything else
--cdef reads another ff_cdef.h (the staleness check passes a fresh one).
"""
import json
import os
import re
import sys

from pycparser import c_ast, c_parser

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CDEF = os.path.join(ROOT, "bindings", "ff_cdef.h")
INCLUDE = os.path.join(ROOT, "include")

# The fixed-width names ff_cdef.h uses without including <stdint.h>; pycparser
# only has to know they are type names.
PRELUDE_TYPES = ("int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t",
                 "size_t", "uintptr_t", "intptr_t")
PRELUDE = "".join("typedef int %s;\n" % t for t in PRELUDE_TYPES)
PRELUDE_LINES = PRELUDE.count("\n")

DEFINE_RE = re.compile(r"^#define (FF_[A-Z0-9_]+) +(-?(?:0[xX][0-9a-fA-F]+|[0-9]+))[uUlL]*\s*$")
TAG_RE = re.compile(r"^@(\w+)\s*(.*)$")
KNOWN_TAGS = {"blocking", "owns", "yields"}
# Doxygen-style marks the prose already uses ("@p name"): not tags.
PROSE_MARKS = {"p", "c", "ref", "see", "note", "return", "param"}
# @yields KIND -> the ff_op_* accessors (client.h) that read it.
YIELD_KINDS = {
    "text": "ff_op_text",
    "int": "ff_op_int",
    "bytes": "ff_op_bytes",
    "json": "ff_op_json (and ff_op_json_str / _i64)",
    "execution_id": "ff_op_execution_id",
    "items": "ff_op_item_count / ff_op_item / ff_op_item_bytes",
    "cursor": "ff_op_cursor",
    "claims": "ff_op_claim_count / ff_op_take_claim",
    "reply": "ff_op_reply_type / _integer / _len / _element",
    "none": "nothing (the op's status is its whole result)",
}


class GenError(Exception):
    pass


def type_str(node):
    """The C spelling of a declaration's type, e.g. 'const char *'."""
    if isinstance(node, c_ast.TypeDecl):
        quals = " ".join(node.quals)
        base = type_str(node.type)
        return (quals + " " + base) if quals else base
    if isinstance(node, c_ast.PtrDecl):
        inner = type_str(node.type)
        quals = " ".join(node.quals)
        return inner + (" *" if not inner.endswith("*") else "*") + ((" " + quals) if quals else "")
    if isinstance(node, c_ast.IdentifierType):
        return " ".join(node.names)
    if isinstance(node, c_ast.Struct):
        return "struct " + node.name
    if isinstance(node, c_ast.Enum):
        return "enum " + node.name
    if isinstance(node, c_ast.FuncDecl):
        return type_str(node.type) + " (*)(" + ", ".join(type_str(p.type) for p in params_of(node)) + ")"
    raise GenError("unsupported type node %s" % type(node).__name__)


def params_of(func):
    if func.args is None:
        return []
    out = [p for p in func.args.params if not isinstance(p, c_ast.EllipsisParam)]
    if len(out) != len(func.args.params):
        raise GenError("varargs are not FFI-safe (DESIGN §3.5)")
    # "(void)" is no parameter at all
    if len(out) == 1 and type_str(out[0].type) == "void" and out[0].name is None:
        return []
    return out


def param_list(func, fname):
    result = []
    for i, p in enumerate(params_of(func)):
        if p.name is None:
            raise GenError("%s: parameter %d has no name (bindings need it)" % (fname, i + 1))
        result.append({"name": p.name, "type": type_str(p.type)})
    return result


def include_headers():
    """header path relative to include/ -> its text, for every public header."""
    out = {}
    for dirpath, _, files in os.walk(INCLUDE):
        for f in sorted(files):
            if f.endswith(".h"):
                path = os.path.join(dirpath, f)
                out[os.path.relpath(path, INCLUDE)] = open(path, encoding="utf-8").read()
    return out


def header_docs(headers):
    """name -> (header path relative to include/, doc text) for every FF_API declaration."""
    found = {}
    decl_re = re.compile(r"FF_API\b[^;(]*?\b(ff_\w+)\s*\(")
    for rel in sorted(headers):
        text = headers[rel]
        for m in decl_re.finditer(text):
            before = text[:m.start()].rstrip()
            doc = ""
            if before.endswith("*/"):
                start = before.rfind("/*")
                # only a comment that ends on the line right above belongs to it
                between = text[len(before):m.start()]
                if start >= 0 and before[start:start + 3] == "/**" and between.count("\n") <= 1:
                    doc = before[start + 3:-2]
            found[m.group(1)] = (rel, clean_doc(doc))
    return found


def clean_doc(doc):
    lines = []
    for line in doc.splitlines():
        line = line.strip()
        if line.startswith("*"):
            line = line[1:].strip()
        lines.append(line)
    return "\n".join(lines).strip()


def split_tags(name, doc):
    tags, prose = {}, []
    for line in doc.splitlines():
        m = TAG_RE.match(line)
        if m and m.group(1) in KNOWN_TAGS:
            tags[m.group(1)] = m.group(2).strip() or True
        elif m and m.group(1) not in PROSE_MARKS:
            raise GenError("%s: unknown doc tag @%s (known: %s)" % (name, m.group(1), ", ".join(sorted(KNOWN_TAGS))))
        else:
            prose.append(line)
    return " ".join(" ".join(prose).split()), tags


def parse_yields(name, value, layouts):
    """The value of an op's @yields tag -> [{"kind": K[, "layout": L]}, ...].
    layouts: the item layout prefixes that exist (FF_ITEMS_X for every
    FF_ITEMS_X_STRIDE constant)."""
    if value is True or not str(value).strip():
        raise GenError("%s: @yields needs a kind (one of %s)" % (name, ", ".join(sorted(YIELD_KINDS))))
    out, seen = [], set()
    for part in str(value).split(","):
        words = part.split()
        if not words:
            raise GenError("%s: @yields %s: an empty entry" % (name, value))
        kind, rest = words[0], words[1:]
        if kind not in YIELD_KINDS:
            raise GenError("%s: @yields: unknown kind %r (known: %s)" % (name, kind, ", ".join(sorted(YIELD_KINDS))))
        if kind in seen:
            raise GenError("%s: @yields: %s is named twice" % (name, kind))
        seen.add(kind)
        entry = {"kind": kind}
        if rest:
            if kind != "items" or len(rest) != 1:
                raise GenError("%s: @yields: only \"items\" takes a layout (\"items FF_ITEMS_X\"), got %r"
                               % (name, part.strip()))
            if rest[0] not in layouts:
                raise GenError("%s: @yields items %s: no such item layout (%s_STRIDE is not defined; known: %s)"
                               % (name, rest[0], rest[0], ", ".join(sorted(layouts)) or "none"))
            entry["layout"] = rest[0]
        out.append(entry)
    if "none" in seen and len(out) > 1:
        raise GenError("%s: @yields none stands alone" % name)
    return out


def item_layouts(constants, enums):
    names = [c["name"] for c in constants] + [m["name"] for e in enums for m in e["members"]]
    return {n[:-len("_STRIDE")] for n in names if n.startswith("FF_ITEMS_") and n.endswith("_STRIDE")}


def role_of(name, ret, params):
    types = [p["type"] for p in params]
    if types[-3:] == ["ff_op_cb", "void *", "ff_op **"]:
        return "op"
    if name.endswith("_new") and ret == "int" and types and types[0].endswith("**"):
        return "constructor"
    if name.endswith("_free") and ret == "void" and len(types) == 1:
        return "destructor"
    return "call"


def strip_comments(text):
    """Blank out C comments, keeping line numbers for parse errors."""
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def describe(cdef_text, headers=None):
    """The API description of ff_cdef.h's text; headers: {path: text} of the
    documented headers (default: every header under include/)."""
    lines = strip_comments(cdef_text).splitlines()
    constants = []
    body = []
    for line in lines:
        m = DEFINE_RE.match(line)
        if m:
            constants.append({"name": m.group(1), "value": int(m.group(2), 0)})
            body.append("")  # keep line numbers for parse errors
        elif line.startswith("#"):
            raise GenError("ff_cdef.h: unexpected directive: %s" % line)
        else:
            body.append(line)
    try:
        ast = c_parser.CParser().parse(PRELUDE + "\n".join(body), filename="ff_cdef.h")
    except Exception as e:  # pycparser raises ParseError with file:line
        raise GenError("ff_cdef.h does not parse: %s (line numbers are offset by %d)" % (e, PRELUDE_LINES))
    docs = header_docs(include_headers() if headers is None else headers)
    enums, types, functions = [], [], []
    for node in ast.ext:
        if isinstance(node, c_ast.Typedef):
            if node.name in PRELUDE_TYPES:
                continue
            t = node.type
            if isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.Struct):
                types.append({"name": node.name, "kind": "opaque"})
            elif isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.Enum):
                enums.append({"name": node.name, "members": enum_members(t.type)})
            elif isinstance(t, c_ast.PtrDecl) and isinstance(t.type, c_ast.FuncDecl):
                fn = t.type
                types.append({"name": node.name, "kind": "callback", "returns": type_str(fn.type),
                              "params": param_list(fn, node.name)})
            elif isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.IdentifierType):
                types.append({"name": node.name, "kind": "alias", "of": type_str(t)})
            else:
                raise GenError("typedef %s: unsupported shape" % node.name)
        elif isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.FuncDecl):
            name = node.name
            fn = node.type
            ret = type_str(fn.type)
            params = param_list(fn, name)
            header, doc = docs.get(name, (None, ""))
            if header is None:
                raise GenError("%s is in ff_cdef.h but no FF_API declaration under include/ names it" % name)
            summary, tags = split_tags(name, doc)
            role = role_of(name, ret, params)
            if "yields" in tags and role != "op":
                raise GenError("%s: @yields is only for ops" % name)
            if role == "op" and "yields" not in tags:
                raise GenError("%s (%s) starts an op but its doc comment has no @yields tag (one of %s)"
                               % (name, header, ", ".join(sorted(YIELD_KINDS))))
            entry = {"name": name, "header": header, "role": role, "returns": ret, "params": params,
                     "blocking": bool(tags.get("blocking")), "doc": summary}
            if "owns" in tags:
                entry["owns"] = tags["owns"] if isinstance(tags["owns"], str) else "ff_free"
            if "yields" in tags:
                entry["yields"] = tags["yields"]  # checked below, once the layouts are known
            functions.append(entry)
        elif isinstance(node, c_ast.Decl) and isinstance(node.type, c_ast.Enum):
            enums.append({"name": node.type.name, "members": enum_members(node.type)})
        else:
            raise GenError("ff_cdef.h: unsupported top-level declaration %s" % type(node).__name__)
    layouts = item_layouts(constants, enums)
    for entry in functions:
        if "yields" in entry:
            entry["yields"] = parse_yields(entry["name"], entry["yields"], layouts)
    abi = next((c["value"] for c in constants if c["name"] == "FF_ABI_VERSION"), None)
    if abi is None:
        raise GenError("FF_ABI_VERSION not found in ff_cdef.h")
    ver = {c["name"]: c["value"] for c in constants if c["name"].startswith("FF_VERSION_")}
    return {
        "generated_by": "bindings/gen/gen_api.py from bindings/ff_cdef.h and include/ - do not edit",
        "abi_version": abi,
        "version": "%d.%d.%d" % (ver.get("FF_VERSION_MAJOR", 0), ver.get("FF_VERSION_MINOR", 0),
                                 ver.get("FF_VERSION_PATCH", 0)),
        "constants": constants,
        "enums": enums,
        "types": types,
        "functions": functions,
    }


def enum_members(enum):
    members, nxt = [], 0
    for e in enum.values.enumerators:
        if e.value is not None:
            nxt = const_value(e.value)
        members.append({"name": e.name, "value": nxt})
        nxt += 1
    return members


def const_value(node):
    if isinstance(node, c_ast.Constant):
        return int(node.value.rstrip("uUlL"), 0)
    if isinstance(node, c_ast.UnaryOp) and node.op == "-":
        return -const_value(node.expr)
    raise GenError("enum value is not an integer literal")


def main(argv):
    args, cdef = list(argv), CDEF
    if len(args) == 3 and args[0] == "--cdef":
        cdef = args[1]
        args = args[2:]
    if len(args) != 1:
        print("usage: gen_api.py [--cdef FF_CDEF_H] OUT", file=sys.stderr)
        return 2
    out = args[0]
    try:
        doc = describe(open(cdef, encoding="utf-8").read())
    except GenError as e:
        print("gen_api.py: %s" % e, file=sys.stderr)
        return 1
    text = json.dumps(doc, indent=1, sort_keys=False) + "\n"
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
