#!/usr/bin/env python3
"""Generate the C view of the server functions from their Lua header blocks.

Usage: gen_functions.py LUA_DIR STATUS_DEF OUT_DIR [README_IN README_OUT [ITEMS_H]]

Every function registered in LUA_DIR/*.lua (redis.register_function) carries
a block of `--- @tag` lines right above its `local function NAME(keys, args)`.
The block is the one description of the function's KEYS, ARGV, reply and
error codes; this script reads it and writes

  OUT_DIR/functions.h   name, key count, ARGV count, reply field and item
                        positions as macros (FF_FN_<NAME>...)
  OUT_DIR/functions.c   the arity table {name, nkeys, nargs_min, nargs_max,
                        read_only} the client checks every FCALL against
  ITEMS_H               (include/flowfabric/items.h, public) enum
                        ff_item_layout: stride and field positions of the
                        list results the public API hands out item by item
  README_OUT            README_IN with the region between
                        <!-- generated:functions begin --> and
                        <!-- generated:functions end --> rewritten

It fails (exit 1, one message per problem) on a missing or malformed block,
a block without a registration or the reverse, a mode that disagrees with the
registration's flags, or an error code unknown to STATUS_DEF.

Block grammar (one tag per line, in this order; TEXT is free prose):

  --- @function NAME
  --- @mode write | read-only          read-only <=> registered with flags = U.RO
  --- @summary TEXT
  --- @key NAME PATTERN [TEXT]         one per KEYS entry, in order
  --- @arg NAME TYPE [TEXT]            one per ARGV entry, in order
  --- @arg NAME... TYPE MIN..MAX [TEXT]  a variadic tail of MIN..MAX values (last)
  --- @envelope bare                   the reply is a bare value, no {1,"OK",...}
  --- @reply NAME[?] TYPE [TEXT]       reply fields after the status word; a
                                       trailing ? marks a field only some
                                       outcomes carry (only at the end)
  --- @item GROUP STRIDE               then a repeated group to the end of the
  --- @field NAME TYPE [TEXT]          reply: STRIDE @field lines
  --- @error CODE, CODE, ... | none    server error codes it can return

TYPE is one of: string int float uuid eid bytes json csv flag array.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genfile import write  # noqa: E402

TYPES = {"string", "int", "float", "uuid", "eid", "bytes", "json", "csv", "flag", "array"}
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
FUNC_DEF = re.compile(r"^local function (ff_[a-z0-9_]+)\(keys, args\)")
REG_PLAIN = re.compile(r'^redis\.register_function\("(ff_[a-z0-9_]+)", (ff_[a-z0-9_]+)\)\s*$')
REG_TABLE = re.compile(
    r'^redis\.register_function \{ function_name = "(ff_[a-z0-9_]+)", callback = (ff_[a-z0-9_]+)'
    r"(?:, flags = (?:U\.)?([A-Z_]+))? \}\s*$"
)
STATUS_ROW = re.compile(r'^FF_STATUS\(\s*\w+\s*,\s*-?\d+\s*,\s*"[^"]*"\s*,\s*"([^"]*)"')
BEGIN = "<!-- generated:functions begin"
END = "<!-- generated:functions end -->"

problems = []


def fail(where, msg):
    problems.append(f"{where}: {msg}")


def server_tokens(path):
    toks = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = STATUS_ROW.match(line.strip())
            if m and m.group(1):
                toks.add(m.group(1))
    if not toks:
        sys.exit(f"{path}: no server tokens found")
    return toks


def split_name_type(where, rest, what):
    parts = rest.split(None, 2)
    if len(parts) < 2:
        fail(where, f"@{what} needs NAME TYPE: {rest!r}")
        return None
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def parse_block(where, name, lines, tokens):
    """lines: the text after '--- ' of each block line. Returns a dict or None."""
    fn = {"name": name, "keys": [], "args": [], "vararg": None, "bare": False, "replies": [],
          "item": None, "errors": [], "summary": "", "mode": None}
    order = ["function", "mode", "summary", "key", "arg", "envelope", "reply", "item", "field", "error"]
    last = -1
    seen = set()
    for ln in lines:
        m = re.match(r"^@([a-z]+)(?:\s+(.*))?$", ln)
        if not m:
            fail(where, f"not a '--- @tag' line: {ln!r}")
            continue
        tag, rest = m.group(1), (m.group(2) or "").strip()
        if tag not in order:
            fail(where, f"unknown tag @{tag}")
            continue
        pos = order.index(tag)
        if pos < last and not (tag == "field" and last == order.index("field")):
            fail(where, f"@{tag} out of order (order: {' '.join('@' + t for t in order)})")
        last = pos
        if tag in ("function", "mode", "summary", "envelope", "item", "error") and tag in seen:
            fail(where, f"@{tag} given twice")
        seen.add(tag)
        if tag == "function":
            if rest != name:
                fail(where, f"@function {rest!r} above local function {name}")
        elif tag == "mode":
            if rest not in ("write", "read-only"):
                fail(where, f"@mode must be write or read-only, not {rest!r}")
            fn["mode"] = rest
        elif tag == "summary":
            fn["summary"] = rest
        elif tag == "key":
            parts = rest.split(None, 2)
            if len(parts) < 2 or not NAME.match(parts[0]) or not parts[1].startswith("ff:"):
                fail(where, f"@key needs NAME ff:PATTERN [TEXT]: {rest!r}")
                continue
            fn["keys"].append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))
        elif tag == "arg":
            nt = split_name_type(where, rest, "arg")
            if nt is None:
                continue
            an, at, text = nt
            if fn["vararg"] is not None:
                fail(where, "@arg after the variadic tail")
            if an.endswith("..."):
                rm = re.match(r"^(\d+)\.\.(\d+)(?:\s+(.*))?$", text)
                if not rm or int(rm.group(1)) > int(rm.group(2)):
                    fail(where, f"variadic @arg {an} needs MIN..MAX after its type")
                    continue
                an = an[:-3]
                fn["vararg"] = (an, at, int(rm.group(1)), int(rm.group(2)), rm.group(3) or "")
            else:
                fn["args"].append((an, at, text))
            if not NAME.match(an):
                fail(where, f"@arg name {an!r}")
            if at not in TYPES:
                fail(where, f"@arg {an}: unknown type {at!r} (one of {' '.join(sorted(TYPES))})")
        elif tag == "envelope":
            if rest != "bare":
                fail(where, f"@envelope must be 'bare', not {rest!r}")
            fn["bare"] = True
        elif tag == "reply":
            nt = split_name_type(where, rest, "reply")
            if nt is None:
                continue
            rn, rt, text = nt
            opt = rn.endswith("?")
            rn = rn.rstrip("?")
            if not NAME.match(rn) or rt not in TYPES:
                fail(where, f"@reply {rest!r}: bad name or type")
            if not opt and any(r[3] for r in fn["replies"]):
                fail(where, f"@reply {rn}: a required field after an optional one")
            fn["replies"].append((rn, rt, text, opt))
        elif tag == "item":
            im = re.match(r"^([a-z][a-z0-9_]*)\s+(\d+)$", rest)
            if not im or int(im.group(2)) < 1:
                fail(where, f"@item needs GROUP STRIDE: {rest!r}")
                continue
            if any(r[3] for r in fn["replies"]):
                fail(where, "@item after an optional @reply field")
            fn["item"] = (im.group(1), int(im.group(2)), [])
        elif tag == "field":
            if fn["item"] is None:
                fail(where, "@field without @item")
                continue
            nt = split_name_type(where, rest, "field")
            if nt is None:
                continue
            if not NAME.match(nt[0]) or nt[1] not in TYPES:
                fail(where, f"@field {rest!r}: bad name or type")
            fn["item"][2].append(nt)
        elif tag == "error":
            if rest != "none":
                for tok in [t.strip() for t in rest.split(",")]:
                    if tok not in tokens:
                        fail(where, f"@error {tok!r} is not a server token of status.def")
                    elif tok in fn["errors"]:
                        fail(where, f"@error {tok!r} listed twice")
                    else:
                        fn["errors"].append(tok)
    for req in ("function", "mode", "summary", "error"):
        if req not in seen:
            fail(where, f"missing @{req}")
    if fn["item"] and len(fn["item"][2]) != fn["item"][1]:
        fail(where, f"@item {fn['item'][0]} has stride {fn['item'][1]} but {len(fn['item'][2])} @field lines")
    names = [r[0] for r in fn["replies"]]
    if len(set(names)) != len(names):
        fail(where, "duplicate @reply name")
    if fn["bare"] and (fn["item"] or len(fn["replies"]) != 1):
        fail(where, "@envelope bare needs exactly one @reply and no @item")
    return fn


def scan(lua_dir, tokens):
    funcs, regs = {}, {}
    files = sorted(f for f in os.listdir(lua_dir) if f.endswith(".lua"))
    for fname in files:
        path = os.path.join(lua_dir, fname)
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            where = f"lua/{fname}:{i + 1}"
            m = REG_PLAIN.match(line)
            if m:
                regs[m.group(1)] = (m.group(2), False, where)
                continue
            m = REG_TABLE.match(line)
            if m:
                if m.group(3) not in (None, "RO"):
                    fail(where, f"flags = {m.group(3)}: only RO (no-writes) is understood")
                regs[m.group(1)] = (m.group(2), m.group(3) == "RO", where)
                continue
            if "register_function" in line and not line.lstrip().startswith("--"):
                fail(where, "a register_function call this generator cannot read (one call per line, as the others)")
            m = FUNC_DEF.match(line)
            if not m:
                continue
            name = m.group(1)
            j = i
            while j > 0 and lines[j - 1].startswith("--- "):
                j -= 1
            block = [ln[4:] for ln in lines[j:i]]
            if block:
                funcs[name] = (parse_block(where, name, block, tokens), where)
            else:
                funcs[name] = (None, where)
    out = []
    for name, (cb, ro, where) in sorted(regs.items()):
        if cb != name:
            fail(where, f"{name} registered with callback {cb}: the generator expects the same name")
        if cb not in funcs:
            fail(where, f"{name}: no 'local function {cb}(keys, args)' found")
            continue
        fn, fwhere = funcs[cb]
        if fn is None:
            fail(fwhere, f"{name} is registered but has no '--- @function' header block")
            continue
        if (fn["mode"] == "read-only") != ro:
            fail(fwhere, f"@mode {fn['mode']} but registered {'with' if ro else 'without'} flags = RO")
        fn["ro"] = ro
        out.append(fn)
    for name, (fn, fwhere) in funcs.items():
        if fn is not None and name not in regs:
            fail(fwhere, f"{name} has a header block but is not registered")
    return out


def macro(name):
    return "FF_FN_" + name[3:].upper()


def c_str(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def gen_header(funcs):
    L = [
        "/* GENERATED from the header blocks of lua/<area>.lua by bindings/gen/gen_functions.py - do not edit.",
        " * Regenerate with `make generate`. One block per server function:",
        " *   FF_FN_<F>            function name",
        " *   FF_FN_<F>_NKEYS      KEYS count (FF_FN_<F>_NKEYS_STR as the FCALL argument)",
        " *   FF_FN_<F>_NARGS      fixed ARGV count; FF_FN_<F>_VARARGS 1 when a variadic tail follows",
        " *   FF_FN_<F>_RO         1 when registered no-writes (callable with FCALL_RO)",
        " *   FF_FN_<F>_F_<FIELD>  position of a reply field in the array ff__fcall_result() hands",
        " *                        back (f[0] is the status word, so the first field is 1)",
        " *   FF_FN_<F>_NFIELDS    f entries always present (status word + required fields)",
        " *   FF_FN_<F>_ITEMS_AT   f position of the first repeated item, FF_FN_<F>_ITEM_STRIDE",
        " *                        its size and FF_FN_<F>_ITEM_<FIELD> the fields inside it */",
        "#ifndef FF_PROTO_FUNCTIONS_H",
        "#define FF_PROTO_FUNCTIONS_H",
        "",
        "#include <stddef.h>",
        "",
        "/* One row of the arity table (src/proto/functions.c). nargs_max = nargs_min",
        " * unless the function takes a variadic tail. */",
        "typedef struct ff__fn_spec {",
        "    const char *name;",
        "    int nkeys;",
        "    int nargs_min;",
        "    int nargs_max;",
        "    int read_only;",
        "} ff__fn_spec;",
        "",
        "extern const ff__fn_spec ff__fn_table[];",
        "extern const size_t ff__fn_count;",
        "",
    ]
    for fn in funcs:
        M = macro(fn["name"])
        L.append(f"/* {fn['name']}: {fn['summary']} */")
        L.append(f'#define {M} "{fn["name"]}"')
        L.append(f"#define {M}_NKEYS {len(fn['keys'])}")
        L.append(f'#define {M}_NKEYS_STR "{len(fn["keys"])}"')
        L.append(f"#define {M}_NARGS {len(fn['args'])}")
        L.append(f"#define {M}_VARARGS {1 if fn['vararg'] else 0}")
        L.append(f"#define {M}_RO {1 if fn['ro'] else 0}")
        if not fn["bare"]:
            for i, r in enumerate(fn["replies"]):
                L.append(f"#define {M}_F_{r[0].upper()} {i + 1}")
            L.append(f"#define {M}_NFIELDS {1 + sum(1 for r in fn['replies'] if not r[3])}")
        if fn["item"]:
            g, stride, fields = fn["item"]
            L.append(f"#define {M}_ITEMS_AT {1 + len(fn['replies'])}")
            L.append(f"#define {M}_ITEM_STRIDE {stride}")
            for i, f in enumerate(fields):
                L.append(f"#define {M}_ITEM_{f[0].upper()} {i}")
        L.append("")
    L.append("#endif")
    return "\n".join(L) + "\n"


def nargs_range(fn):
    lo = hi = len(fn["args"])
    if fn["vararg"]:
        lo += fn["vararg"][2]
        hi += fn["vararg"][3]
    return lo, hi


def gen_table(funcs):
    L = [
        "/* GENERATED from the header blocks of lua/<area>.lua by bindings/gen/gen_functions.py - do not edit. */",
        '#include "proto/functions.h"',
        "",
        "/* Sorted by name (ff__arity_check searches it). */",
        "const ff__fn_spec ff__fn_table[] = {",
    ]
    for fn in funcs:
        lo, hi = nargs_range(fn)
        L.append(f'    {{"{fn["name"]}", {len(fn["keys"])}, {lo}, {hi}, {1 if fn["ro"] else 0}}},')
    L.append("};")
    L.append("")
    L.append("const size_t ff__fn_count = sizeof ff__fn_table / sizeof ff__fn_table[0];")
    return "\n".join(L) + "\n"


def md(s):
    return s.replace("|", "\\|")


def gen_readme(funcs):
    L = [
        "<!-- generated:functions begin (bindings/gen/gen_functions.py from the header blocks of lua/*.lua; "
        "do not edit by hand) -->",
        "",
        "| function | mode | KEYS | ARGV | reply after `OK` |",
        "|---|---|---|---|---|",
    ]
    for fn in funcs:
        keys = ", ".join(f"`{k[1]}`" for k in fn["keys"]) or "—"
        args = [a[0] for a in fn["args"]]
        if fn["vararg"]:
            v = fn["vararg"]
            args.append(f"{v[0]}… ({v[2]}..{v[3]})")
        reply = [r[0] + ("?" if r[3] else "") for r in fn["replies"]]
        if fn["item"]:
            g, stride, fields = fn["item"]
            reply.append(f"({', '.join(f[0] for f in fields)})*")
        rtext = ", ".join(reply) or "—"
        if fn["bare"]:
            rtext = f"bare {rtext}"
        L.append(f"| `{fn['name']}` | {fn['mode']} | {keys} | {', '.join(args) or '—'} | {md(rtext)} |")
    L.append("")
    for fn in funcs:
        L.append(f"#### `{fn['name']}` ({fn['mode']})")
        L.append("")
        L.append(md(fn["summary"]))
        L.append("")
        for i, k in enumerate(fn["keys"]):
            L.append(f"* KEYS[{i + 1}] `{k[0]}` = `{k[1]}`" + (f": {md(k[2])}" if k[2] else ""))
        for i, a in enumerate(fn["args"]):
            L.append(f"* ARGV[{i + 1}] `{a[0]}` ({a[1]})" + (f": {md(a[2])}" if a[2] else ""))
        if fn["vararg"]:
            v = fn["vararg"]
            L.append(f"* ARGV[{len(fn['args']) + 1}..] `{v[0]}…` ({v[1]}, {v[2]}..{v[3]} values)"
                     + (f": {md(v[4])}" if v[4] else ""))
        for r in fn["replies"]:
            L.append(f"* reply `{r[0]}`{' (optional)' if r[3] else ''} ({r[1]})" + (f": {md(r[2])}" if r[2] else ""))
        if fn["item"]:
            g, stride, fields = fn["item"]
            L.append(f"* then `{g}` items of {stride}: " + ", ".join(f"`{f[0]}` ({f[1]})" for f in fields))
        L.append("* errors: " + (", ".join(f"`{e}`" for e in fn["errors"]) or "none"))
        L.append("")
    L.append(END)
    return "\n".join(L)


# Server functions whose repeated items the public API hands out one field
# per ff_op_item(), and the public operations that do.
PUBLIC_ITEMS = [
    ("ff_list_partition", "ff_execution_list"),
    ("ff_list_lane", "ff_execution_list_lane"),
    ("ff_lanes", "ff_lanes_list"),
    ("ff_list_suspended", "ff_execution_list_suspended"),
    ("ff_list_quarantined", "ff_execution_list_quarantined"),
    ("ff_waitpoints", "ff_execution_waitpoints"),
    ("ff_observe_signals", "ff_lease_observe_signals, ff_task_observe_signals"),
    ("ff_suspend", "ff_lease_suspend, ff_task_suspend"),
    ("ff_flow_list", "ff_flow_list"),
    ("ff_flow_edges", "ff_flow_list_edges"),
    ("ff_flow_parents", "ff_execution_parent_results"),
    ("ff_flow_cancel", "ff_flow_cancel"),
    ("ff_flow_submit", "ff_flow_submit"),
    ("ff_flow_children", "ff_execution_children"),
    ("ff_flow_feed", "ff_flow_feed_read"),
    ("ff_read_stream", "ff_stream_read, ff_stream_tail"),
    ("ff_append_frames", "ff_stream_append_many"),
    ("ff_list_budgets", "ff_budget_list"),
]


def gen_items_h(funcs):
    by_name = {f["name"]: f for f in funcs}
    L = [
        "/* GENERATED from the header blocks of lua/<area>.lua by bindings/gen/gen_functions.py - do not edit. */",
        "#ifndef FLOWFABRIC_ITEMS_H",
        "#define FLOWFABRIC_ITEMS_H",
        "",
        "/** Item layouts of the list results (ff_op_item_count / ff_op_item): a",
        " *  result of N records holds N * STRIDE items, record r's field F at",
        " *  ff_op_item(op, r * FF_ITEMS_<LIST>_STRIDE + FF_ITEMS_<LIST>_<F>).",
        " *  Append-only: a field is only ever added at the end of a record. */",
        "typedef enum ff_item_layout {",
    ]
    rows = []
    for fname, ops in PUBLIC_ITEMS:
        fn = by_name.get(fname)
        if fn is None or not fn["item"]:
            sys.exit(f"gen_functions.py: PUBLIC_ITEMS names {fname}, which has no @item")
        g, stride, fields = fn["item"]
        P = "FF_ITEMS_" + fname[3:].upper()
        rows.append(f"    /* {ops}: {g} records */")
        rows.append(f"    {P}_STRIDE = {stride},")
        for i, f in enumerate(fields):
            rows.append(f"    {P}_{f[0].upper()} = {i},")
    rows[-1] = rows[-1].rstrip(",")
    L += rows
    L += ["} ff_item_layout;", "", "#endif"]
    return "\n".join(L) + "\n"


def main(argv):
    if len(argv) not in (4, 6, 7):
        sys.exit(__doc__.split("\n\n")[1])
    lua_dir, status_def, out_dir = argv[1], argv[2], argv[3]
    funcs = scan(lua_dir, server_tokens(status_def))
    if not funcs and not problems:
        fail(lua_dir, "no registered functions found")
    readme = None
    if len(argv) >= 6:
        with open(argv[4], encoding="utf-8") as f:
            readme = f.read()
        b, e = readme.find(BEGIN), readme.find(END)
        if b < 0 or e < b:
            fail(argv[4], f"no '{BEGIN} ... -->' ... '{END}' region")
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        sys.exit(f"gen_functions.py: {len(problems)} problem(s) in the function header blocks")
    os.makedirs(out_dir, exist_ok=True)
    write(os.path.join(out_dir, "functions.h"), gen_header(funcs))
    write(os.path.join(out_dir, "functions.c"), gen_table(funcs))
    if len(argv) == 7:
        write(argv[6], gen_items_h(funcs))
    if readme is not None:
        b, e = readme.find(BEGIN), readme.find(END)
        write(argv[5], readme[:b] + gen_readme(funcs) + readme[e + len(END):])


if __name__ == "__main__":
    main(sys.argv)
