#!/usr/bin/env python3
"""Generate the key and channel builders from bindings/gen/keys.def.

Usage: gen_keys.py KEYS_DEF KEYS_LUA_IN KEYS_LUA_OUT OUT_DIR

  KEYS_LUA_OUT  KEYS_LUA_IN (lua/lib/20_keys.lua) with the region between
                "-- generated:keys begin" and "-- generated:keys end"
                rewritten: one K.<name> builder or constant per entry
  OUT_DIR/keys.h, OUT_DIR/keys.c
                ff__key_<name>() / ff__chan_<name>() builders (snprintf into
                a caller buffer; the length, or -1 when it does not fit),
                FF__KEY_<NAME> constants, and ff__<kind>_<name>_parse() for
                "<prefix>{T}" names (channel names the client subscribes to)

keys.def's header says what a line means. Fails loudly on a malformed line,
a duplicate name, or a pattern that names a parameter it does not declare.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from genfile import write  # noqa: E402

LINE = re.compile(r"^([a-z][a-z0-9_]*)\s+(-|[A-Za-z_][A-Za-z0-9_]*(?:,[A-Za-z_][A-Za-z0-9_]*)*)\s+(ff:\S+)$")
LUA_BEGIN = "-- generated:keys begin"
LUA_END = "-- generated:keys end"
PARTITION_TAG = "{fp:%u}"
BUDGET_TAG = "{b:%u}"


def parse(path):
    entries, names, problems = [], set(), []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            m = LINE.match(line)
            if not m:
                problems.append(f"{path}:{n}: expected NAME PARAMS PATTERN: {raw.rstrip()!r}")
                continue
            name, params, pattern = m.group(1), m.group(2), m.group(3)
            params = [] if params == "-" else params.split(",")
            used = re.findall(r"\{([A-Za-z_]+)\}", pattern)
            # {e} of ff:{e}:... is a literal hash tag, not a parameter
            used = [u for u in used if u != "e"]
            if sorted(used) != sorted(params) or len(set(params)) != len(params):
                problems.append(f"{path}:{n}: {name}: parameters {params} but the pattern uses {used}")
            if name in names:
                problems.append(f"{path}:{n}: {name} defined twice")
            names.add(name)
            entries.append((name, params, pattern))
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        sys.exit(f"gen_keys.py: {len(problems)} problem(s) in {path}")
    return entries


def pieces(pattern, params):
    """[(literal, None) | (None, param)] in order."""
    out, pos = [], 0
    for m in re.finditer(r"\{([A-Za-z_]+)\}", pattern):
        if m.group(1) not in params:
            continue
        if m.start() > pos:
            out.append((pattern[pos:m.start()], None))
        out.append((None, m.group(1)))
        pos = m.end()
    if pos < len(pattern):
        out.append((pattern[pos:], None))
    return out


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def gen_lua(entries):
    L = [LUA_BEGIN + " (bindings/gen/gen_keys.py from bindings/gen/keys.def; do not edit by hand)"]
    for name, params, pattern in entries:
        if not params:
            L.append(f"K.{name.upper()} = {lua_string(pattern)}")
            continue
        expr = " .. ".join(lua_string(lit) if lit is not None else p for lit, p in pieces(pattern, params))
        L.append(f"function K.{name}({', '.join(params)}) return {expr} end")
    L.append(LUA_END)
    return "\n".join(L)


def c_name(name):
    return ("ff__chan_" + name[5:]) if name.startswith("chan_") else ("ff__key_" + name)


def c_params(params):
    out = []
    for p in params:
        if p == "T":
            out.append("uint32_t part")
        elif p == "B":
            out.append("uint32_t bpart")
        else:
            out.append(f"const char *{p}")
    return out


def c_format(pattern, params):
    fmt, args = "", []
    for lit, p in pieces(pattern, params):
        if lit is not None:
            fmt += lit.replace("%", "%%")
        elif p == "T":
            fmt += PARTITION_TAG
            args.append("(unsigned)part")
        elif p == "B":
            fmt += BUDGET_TAG
            args.append("(unsigned)bpart")
        else:
            fmt += "%s"
            args.append(p)
    return fmt, args


def parseable(params, pattern):
    return (params == ["T"] and pattern.endswith("{T}")) or (params == ["B"] and pattern.endswith("{B}"))


def gen_h(entries):
    L = [
        "/* GENERATED from bindings/gen/keys.def by bindings/gen/gen_keys.py - do not edit.",
        " * The key and channel names of the server library, for the C side (the Lua",
        " * builders of lua/lib/20_keys.lua come from the same file). Builders write",
        " * the name into buf and return its length, or -1 when it does not fit in",
        " * cap bytes (buf then holds a truncated name). */",
        "#ifndef FF_PROTO_KEYS_H",
        "#define FF_PROTO_KEYS_H",
        "",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "",
    ]
    for name, params, pattern in entries:
        if not params:
            L.append(f'#define FF__KEY_{name.upper()} "{pattern}"')
    L.append("")
    for name, params, pattern in entries:
        if not params:
            continue
        L.append(f"/* {pattern} */")
        L.append(f"int {c_name(name)}(char *buf, size_t cap, {', '.join(c_params(params))});")
        if parseable(params, pattern):
            L.append(f"/* The partition of a name \"{pattern}\" (canonical decimal N, no tail):")
            L.append(" * 0 and *part, or -1 when name is not one. */")
            L.append(f"int {c_name(name)}_parse(const char *name, uint32_t *part);")
    L.append("")
    L.append("#endif")
    return "\n".join(L) + "\n"


def gen_c(entries):
    L = [
        "/* GENERATED from bindings/gen/keys.def by bindings/gen/gen_keys.py - do not edit. */",
        '#include "proto/keys.h"',
        "",
        "#include <stdio.h>",
        "#include <string.h>",
        "",
        "static int fits(int n, size_t cap) { return n >= 0 && (size_t)n < cap ? n : -1; }",
        "",
        "/* \"<prefix>{fp:N}\" (tag \"{fp:\") or \"<prefix>{b:N}\" (tag \"{b:\") -> N: canonical",
        " * decimal (no sign, no leading zero), fits uint32_t. */",
        "static int parse_tagged(const char *name, const char *prefix, const char *tag, uint32_t *part) {",
        "    size_t plen = strlen(prefix), tlen = strlen(tag);",
        "    if (name == NULL || strncmp(name, prefix, plen) != 0) return -1;",
        "    const char *s = name + plen;",
        "    if (strncmp(s, tag, tlen) != 0) return -1;",
        "    s += tlen;",
        "    if (*s < '0' || *s > '9' || (*s == '0' && s[1] != '}')) return -1;",
        "    uint64_t v = 0;",
        "    for (; *s >= '0' && *s <= '9'; s++) {",
        "        v = v * 10 + (uint64_t)(*s - '0');",
        "        if (v > UINT32_MAX) return -1;",
        "    }",
        "    if (s[0] != '}' || s[1] != '\\0') return -1;",
        "    *part = (uint32_t)v;",
        "    return 0;",
        "}",
        "",
    ]
    for name, params, pattern in entries:
        if not params:
            continue
        fmt, args = c_format(pattern, params)
        L.append(f"int {c_name(name)}(char *buf, size_t cap, {', '.join(c_params(params))}) {{")
        L.append(f'    return fits(snprintf(buf, cap, "{fmt}", {", ".join(args)}), cap);')
        L.append("}")
        L.append("")
        if parseable(params, pattern):
            prefix = pattern[: -len("{T}")]
            tag = "{fp:" if params == ["T"] else "{b:"
            L.append(f"int {c_name(name)}_parse(const char *name, uint32_t *part) {{")
            L.append(f'    return parse_tagged(name, "{prefix}", "{tag}", part);')
            L.append("}")
            L.append("")
    return "\n".join(L).rstrip() + "\n"


def main(argv):
    if len(argv) != 5:
        sys.exit("usage: gen_keys.py KEYS_DEF KEYS_LUA_IN KEYS_LUA_OUT OUT_DIR")
    entries = parse(argv[1])
    with open(argv[2], encoding="utf-8") as f:
        lua = f.read()
    b, e = lua.find(LUA_BEGIN), lua.find(LUA_END)
    if b < 0 or e < b:
        sys.exit(f"{argv[2]}: no '{LUA_BEGIN}' ... '{LUA_END}' region")
    os.makedirs(argv[4], exist_ok=True)
    write(argv[3], lua[:b] + gen_lua(entries) + lua[e + len(LUA_END):])
    write(os.path.join(argv[4], "keys.h"), gen_h(entries))
    write(os.path.join(argv[4], "keys.c"), gen_c(entries))


if __name__ == "__main__":
    main(sys.argv)
