#!/usr/bin/env python3
"""Generate the Python package's operation layer (DESIGN §9).

    bindings/gen/gen_python_ops.py API_JSON OPDEFS_PY OUT_DIR

writes two committed modules into OUT_DIR (python/flowfabric):

* ``_native.py``, from bindings/api.json: one start function per C operation
  (every function whose role is "op"), ``ff_x(c, a, b)`` ->
  ``lambda cb, ud, out: lib.ff_x(c, a, b, cb, ud, out)``, so no hand-written
  Python repeats a C argument list;
* ``_client_ops.py``, from the ``OpDefs`` class of OPDEFS_PY (read with
  ``ast``, never imported): each public method there is the ONE definition of
  an operation (signature, docstring, argument checks, which C call and how
  its result is read, returned as an ``Op[T]``); this module exposes each one
  twice, as ``Client.<name>`` (runs it in future mode, returns ``T``) and as
  ``AsyncClient.<name>`` (a coroutine returning ``T``), the bases of the
  public ``flowfabric.Client`` and ``flowfabric.AsyncClient``; likewise each
  public method of ``Compositions`` (a plan of several operations, ``-> Plan[T]``
  or, for a listing, ``-> Steps[T]``) becomes ``Client.<name>`` returning ``T``
  (``Iterator[T]``) through the drivers of ``_plan.py``, and
  ``AsyncClient.<name>``, a coroutine returning ``T`` (an ``AsyncIterator[T]``).

tests/check_generated.sh runs this into a temporary directory and fails when a
committed module differs.
"""
import ast
import json
import os
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genfile  # noqa: E402

NATIVE_HEAD = '''\
# GENERATED from bindings/api.json by bindings/gen/gen_python_ops.py - do not edit (make generate).
"""Start functions of every C operation: ``name(args...)`` returns the
``start(cb, ud, out)`` that calls ``lib.name(args..., cb, ud, out)``. The
arguments must already be C-ready (bytes, ints, cdata)."""

from __future__ import annotations

from typing import Any, Callable

from ._ffi import lib

Start = Callable[[Any, Any, Any], int]
'''

OPS_HEAD = '''\
# GENERATED from python/flowfabric/_opdefs.py by bindings/gen/gen_python_ops.py - do not edit (make generate).
"""Every operation of ``_opdefs.OpDefs``, exposed sync (``Client``, the base of
``flowfabric.Client``) and async (``AsyncClient``, the base of
``flowfabric.AsyncClient``; the same names, so type checkers name the public
class in their messages). The definition, its checks and its documentation
live once, in ``_opdefs.py``."""

from __future__ import annotations

%(imports)s

T = TypeVar("T")


class _Runner:
    """What a client class supplies: its bound definitions and how to run one."""

    def _defs(self) -> OpDefs:
        raise NotImplementedError

    def _plans(self) -> Compositions:
        raise NotImplementedError

    def _run_sync(self, op: Op[T]) -> T:
        raise NotImplementedError

    async def _run_async(self, op: Op[T]) -> T:
        raise NotImplementedError
'''


class GenError(Exception):
    pass


def native(api):
    out = [NATIVE_HEAD]
    ops = [f for f in api["functions"] if f["role"] == "op"]
    out.append("#: What each C op yields (the @yields tags of include/flowfabric/*.h): the")
    out.append("#: first kind is the value an operation returns, the rest are other")
    out.append("#: accessors that carry part of the result (python/tests/test_opdefs.py")
    out.append("#: checks every OpDefs extractor against it).")
    out.append("YIELDS = {")
    for f in ops:
        kinds = [json.dumps(y["kind"]) for y in f["yields"]]
        out.append("    %s: (%s%s)," % (json.dumps(f["name"]), ", ".join(kinds), "," if len(kinds) == 1 else ""))
    out.append("}")
    out.append("")
    out.append("#: The item layout (FF_ITEMS_<X>_STRIDE / _<FIELD>) of the ops that name one.")
    out.append("ITEM_LAYOUTS = {")
    for f in ops:
        layout = next((y["layout"] for y in f["yields"] if "layout" in y), None)
        if layout:
            out.append("    %s: %s," % (json.dumps(f["name"]), json.dumps(layout)))
    out.append("}")
    for f in api["functions"]:
        if f["role"] != "op":
            continue
        params = [p["name"] for p in f["params"][:-3]]
        args = ", ".join(params)
        sig = ", ".join("%s: Any" % p for p in params)
        call = ", ".join(params + ["cb", "ud", "out"])
        out.append("\n\ndef %s(%s) -> Start:" % (f["name"], sig))
        if f["doc"]:
            out.append('    """%s"""' % textwrap.shorten(f["doc"].replace('"""', "'''"), 100, placeholder=" ..."))
        out.append("    return lambda cb, ud, out: lib.%s(%s)" % (f["name"], call))
        _ = args
    return "\n".join(out) + "\n"


def plan_type(fn):
    """Plan[T] / Steps[T] -> ("plan" | "steps", T as source text)."""
    ann = fn.returns
    if not (isinstance(ann, ast.Subscript) and isinstance(ann.value, ast.Name) and ann.value.id in ("Plan", "Steps")):
        raise GenError("Compositions.%s must be annotated '-> Plan[T]' or '-> Steps[T]'" % fn.name)
    return ann.value.id.lower(), ast.unparse(ann.slice)


def op_type(fn):
    """Op[T] -> T (as source text)."""
    ann = fn.returns
    if not (isinstance(ann, ast.Subscript) and isinstance(ann.value, ast.Name) and ann.value.id == "Op"):
        raise GenError("OpDefs.%s must be annotated '-> Op[T]'" % fn.name)
    return ast.unparse(ann.slice)


def call_args(args):
    """The arguments that forward a signature's parameters unchanged."""
    parts = []
    positional = args.posonlyargs + args.args
    for a in positional[1:]:  # skip self
        parts.append(a.arg)
    if args.vararg:
        parts.append("*" + args.vararg.arg)
    for a in args.kwonlyargs:
        parts.append("%s=%s" % (a.arg, a.arg))
    if args.kwarg:
        parts.append("**" + args.kwarg.arg)
    return ", ".join(parts)


def signature(args):
    return ast.unparse(args)


def client_ops(opdefs_src, path):
    tree = ast.parse(opdefs_src, filename=path)
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "OpDefs"), None)
    if cls is None:
        raise GenError("%s: no class OpDefs" % path)
    defs = [n for n in cls.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]
    if not defs:
        raise GenError("%s: OpDefs defines no operation" % path)
    sync, asyn = ["\n\nclass Client(_Runner):", '    """The operations, run synchronously."""'], \
        ["\n\nclass AsyncClient(_Runner):", '    """The operations, as coroutines."""']
    for fn in defs:
        t = op_type(fn)
        sig = signature(fn.args)
        fwd = call_args(fn.args)
        body_doc = docstring(fn, "OpDefs")
        sync += ["", "    def %s(%s) -> %s:" % (fn.name, sig, t), body_doc,
                 "        return self._run_sync(self._defs().%s(%s))" % (fn.name, fwd)]
        asyn += ["", "    async def %s(%s) -> %s:" % (fn.name, sig, t), body_doc,
                 "        return await self._run_async(self._defs().%s(%s))" % (fn.name, fwd)]
    plans = public_methods(tree, "Compositions", path)
    for fn in plans:
        kind, t = plan_type(fn)
        sig = signature(fn.args)
        fwd = call_args(fn.args)
        body_doc = docstring(fn, "Compositions")
        call = "self._plans().%s(%s)" % (fn.name, fwd)
        if kind == "plan":
            sync += ["", "    def %s(%s) -> %s:" % (fn.name, sig, t), body_doc,
                     "        return drive_sync(self._run_sync, %s)" % call]
            asyn += ["", "    async def %s(%s) -> %s:" % (fn.name, sig, t), body_doc,
                     "        return await drive_async(self._run_async, %s)" % call]
        else:
            sync += ["", "    def %s(%s) -> Iterator[%s]:" % (fn.name, sig, t), body_doc,
                     "        return iter_sync(self._run_sync, lambda: %s)" % call]
            asyn += ["", "    def %s(%s) -> AsyncIterator[%s]:" % (fn.name, sig, t), body_doc,
                     "        return iter_async(self._run_async, lambda: %s)" % call]
    head = OPS_HEAD % {"imports": imports_for(tree, defs + plans)}
    return head + "\n".join(sync) + "\n" + "\n".join(asyn) + "\n"


def public_methods(tree, cls_name, path):
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls_name), None)
    if cls is None:
        raise GenError("%s: no class %s" % (path, cls_name))
    return [n for n in cls.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


def docstring(fn, cls_name):
    doc = ast.get_docstring(fn, clean=True)
    if not doc:
        raise GenError("%s.%s has no docstring (it is the public documentation)" % (cls_name, fn.name))
    if "\n" not in doc:
        return '        """%s"""' % doc
    return textwrap.indent('"""' + doc.replace('"""', "'''") + '\n"""', "        ")


def imports_for(tree, defs):
    """Import lines for every name the copied signatures use, from where
    _opdefs.py itself takes it (or from _opdefs for its own names)."""
    origin = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for a in node.names:
                origin[a.asname or a.name] = "." * node.level + (node.module or "")
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            origin[node.name] = "._opdefs"
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    origin[t.id] = "._opdefs"
    used = {"Op", "OpDefs", "Compositions", "TypeVar"}
    for fn in defs:
        for part in [fn.args, fn.returns]:
            for n in ast.walk(part):
                if isinstance(n, ast.Name):
                    used.add(n.id)
    used -= {"Plan", "Steps"}  # unwrapped: the generated methods return T, Iterator[T]
    by_module = {}
    for name in sorted(used):
        if name in dir(__builtins__) or name == "self":
            continue
        if name not in origin:
            raise GenError("OpDefs signatures use %r, which _opdefs.py neither defines nor imports" % name)
        by_module.setdefault(origin[name], []).append(name)
    by_module.setdefault("typing", []).extend(["AsyncIterator", "Iterator"])
    by_module["typing"] = sorted(set(by_module["typing"]))
    by_module.setdefault("._plan", []).extend(["drive_async", "drive_sync", "iter_async", "iter_sync"])
    lines = []
    for mod in sorted(by_module, key=lambda m: (m.startswith("."), m)):
        if mod.startswith(".") and lines and not lines[-1].startswith("from ."):
            lines.append("")
        lines.append("from %s import %s" % (mod, ", ".join(by_module[mod])))
    return "\n".join(lines) + "\n"


def main(argv):
    if len(argv) != 3:
        print("usage: gen_python_ops.py API_JSON OPDEFS_PY OUT_DIR", file=sys.stderr)
        return 2
    api = json.load(open(argv[0], encoding="utf-8"))
    try:
        ops = client_ops(open(argv[1], encoding="utf-8").read(), argv[1])
    except GenError as e:
        print("gen_python_ops.py: %s" % e, file=sys.stderr)
        return 1
    os.makedirs(argv[2], exist_ok=True)
    genfile.write(os.path.join(argv[2], "_native.py"), native(api))
    genfile.write(os.path.join(argv[2], "_client_ops.py"), ops)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
