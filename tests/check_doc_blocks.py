#!/usr/bin/env python3
"""Every ```c block of a doc page is a piece of the example program that
ctest compiles and runs, so the page cannot drift from code that works.

Usage: check_doc_blocks.py DOC.md PROGRAM.c
A block's leading #include lines must each be in the program; the rest of
the block must appear in it verbatim. Prints one line per block; exit 1 on
the first mismatch (naming the block's line and its first differing line).
"""
import re
import sys


def main(doc, program):
    text = open(doc, encoding="utf-8").read()
    src = open(program, encoding="utf-8").read()
    blocks = [(text.count("\n", 0, m.start()) + 2, m.group(1))
              for m in re.finditer(r"^```c\n(.*?)^```", text, re.S | re.M)]
    if not blocks:
        print(f"{doc}: no ```c block")
        return 1
    for line, body in blocks:
        lines = body.splitlines(keepends=True)
        while lines and lines[0].startswith("#include"):
            if lines[0] not in src:
                print(f"not ok - {doc}:{line}: {lines[0].strip()} is not in {program}")
                return 1
            lines.pop(0)
        while lines and not lines[0].strip():
            lines.pop(0)
        rest = "".join(lines)
        if rest not in src:
            # the longest leading part that matches, to name the first bad line
            good = 0
            while good < len(lines) and "".join(lines[:good + 1]) in src:
                good += 1
            bad = lines[good].rstrip() if good < len(lines) else ""
            print(f"not ok - {doc}:{line}: block not in {program}; first differing line {line + good}: {bad}")
            return 1
        print(f"ok - {doc}:{line}: {len(lines)} lines are in {program}")
    print(f"{len(blocks)} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]) if len(sys.argv) == 3 else (print(__doc__) or 2))
