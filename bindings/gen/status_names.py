"""The class name of every status, for the binding generators.

One rule for every language (documented in bindings/gen/error_names.txt):
a `status` row of the names table, else the server token in CamelCase. A
status whose name is a group's name is that group's class.

Import it from a generator next to this file::

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import status_names
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from gen_errors_md import parse  # noqa: E402  (the one status.def parser)


def load_names(path):
    """(groups, statuses) of the names table: groups is an ordered dict
    KEY -> (Name, description), statuses KEY -> Name."""
    groups, statuses = {}, {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 3)
            where = f"{path}:{n}"
            if parts[0] == "group" and len(parts) == 4:
                groups[parts[1]] = (parts[2], parts[3])
            elif parts[0] == "status" and len(parts) == 3:
                statuses[parts[1]] = parts[2]
            else:
                sys.exit(f"{where}: expected 'group KEY Name Description' or 'status KEY Name': {raw.rstrip()}")
            if not parts[2].isidentifier() or not parts[2][0].isupper():
                sys.exit(f"{where}: {parts[2]!r} is not a CamelCase name")
    return groups, statuses


def camel(token):
    return "".join(part[:1].upper() + part[1:].lower() for part in token.split("_") if part)


def rows(status_def):
    """Every status row of status.def except OK, in table order:
    (name, value, group, token, message)."""
    return [r for _, section in parse(status_def) for r in section if r[1] != 0]


def class_names(status_rows, groups, statuses):
    """status name -> class name, checked: every token-less status has a
    row, every named group exists, no status takes another group's name."""
    group_names = {g: n for g, (n, _) in groups.items()}
    out = {}
    for name, value, group, token, _ in status_rows:
        if group not in group_names:
            sys.exit(f"status.def: group {group!r} of FF_{name} has no 'group' row in error_names.txt")
        if name in statuses:
            cname = statuses[name]
        elif token:
            cname = camel(token)
        else:
            sys.exit(f"error_names.txt: FF_{name} ({value}) has no server token: add a 'status {name} Name' row")
        other = [g for g, n in group_names.items() if n == cname and g != group]
        if other:
            sys.exit(f"FF_{name}: class name {cname} is the name of group {other[0]!r}, not of its group {group!r}")
        out[name] = cname
    unknown = set(statuses) - {r[0] for r in status_rows}
    if unknown:
        sys.exit(f"error_names.txt: no such status: {', '.join(sorted(unknown))}")
    return out
