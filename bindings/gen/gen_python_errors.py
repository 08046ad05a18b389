#!/usr/bin/env python3
"""Generate python/flowfabric/_error_classes.py, the exception classes of the
Python package.

Usage: gen_python_errors.py STATUS_DEF NAMES_TXT OUT_PY

One class per group (bindings/gen/error_names.txt) and one per status
(src/core/status.def), defined statically so type checkers and IDEs see
them; the package still reads the loaded library's table at import and adds
classes for codes a newer library defines. Earlier mechanical names of the
client-side classes (``InvalError``, ``IoError``, ...) stay as aliases.
The output is committed; tests/check_generated.sh runs this into a temporary
file and fails when the committed module differs.
"""
import os
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import status_names  # noqa: E402

HEADER = [
    "# GENERATED from src/core/status.def and bindings/gen/error_names.txt by",
    "# bindings/gen/gen_python_errors.py - do not edit (make generate).",
    '"""The exception classes of every status group and status code (see',
    ':mod:`flowfabric.errors`, which re-exports them)."""',
    "",
    "from __future__ import annotations",
    "",
    "from typing import Dict, List, Type",
    "",
    "from ._error_base import FlowFabricError",
    "",
    "__all__: List[str] = []",
    "",
]

#: Python builtin exception each group class also derives from, so callers
#: may catch the builtin (``except ValueError``).
BUILTIN_BASES = {"invalid": "ValueError", "notfound": "LookupError", "transport": "ConnectionError",
                 "timeout": "TimeoutError"}
BASE = "FlowFabricError"  # hand-written in errors.py


def legacy_name(name):
    """The name the package derived before the names table existed."""
    if name == "ERROR":
        return BASE
    if name.startswith("E") and len(name) > 1:
        return name[1:].capitalize() + "Error"
    return status_names.camel(name)


def docstring(text, indent="    "):
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = textwrap.wrap(text, 100 - len(indent) - 3)
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}'] + [indent + ln for ln in lines[1:]] + [f'{indent}"""']


def render(rows, groups, names):
    group_class = {g: n for g, (n, _) in groups.items()}
    out = list(HEADER)
    exported = []
    for g, (cname, desc) in groups.items():
        if cname == BASE:
            continue
        bases = BASE + (", " + BUILTIN_BASES[g] if g in BUILTIN_BASES else "")
        out += ["", f"class {cname}({bases}):"] + docstring(desc) + ["", f'    group = "{g}"', ""]
        exported.append(cname)
    out += ["", "#: The class of every group.", "_STATIC_GROUPS: Dict[str, Type[FlowFabricError]] = {"]
    out += [f'    "{g}": {n},' for g, n in group_class.items()]
    out += ["}", ""]
    by_code = []
    defined = set(group_class.values())
    for name, value, group, token, message in rows:
        cname = names[name]
        by_code.append((value, cname))
        if cname in defined:
            continue  # the group class itself
        defined.add(cname)
        doc = f"FF_{name} ({value}): {message}." + (f" Server token ``{token}``." if token else "")
        out += ["", f"class {cname}({group_class[group]}):"] + docstring(doc) + [
            "", f"    code = {value}", f'    name = "FF_{name}"', f'    group = "{group}"', ""]
        exported.append(cname)
    out += ["", "#: The class of every status of the table the package was generated from.",
            "_STATIC_CLASSES: Dict[int, Type[FlowFabricError]] = {"]
    out += [f"    {value}: {cname}," for value, cname in by_code]
    out += ["}", ""]
    aliases = []
    for name, value, group, token, message in rows:
        old = legacy_name(name)
        if not token and old != names[name] and old not in defined and old not in {a for a, _ in aliases}:
            aliases.append((old, names[name]))
    out += ["# Names of earlier versions, kept so existing `except` clauses still work."]
    out += [f"{old} = {new}" for old, new in aliases]
    out += ["", "__all__ += ["]
    out += [f'    "{n}",' for n in exported + [a for a, _ in aliases]]
    out += ["]", ""]
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[3])
    status_def, names_txt, out_path = sys.argv[1:4]
    rows = status_names.rows(status_def)
    groups, statuses = status_names.load_names(names_txt)
    names = status_names.class_names(rows, groups, statuses)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write("\n".join(render(rows, groups, names)))


if __name__ == "__main__":
    main()
