"""Each operation is defined once (flowfabric/_opdefs.py) and reaches both
clients through the generated _client_ops: same signature, same
documentation, sync on Client, a coroutine on AsyncClient."""

import asyncio
import inspect

import pytest

import flowfabric as ff
from flowfabric import _opdefs, _plan
from flowfabric import errors


def _public(cls):
    return {n: f for n, f in vars(cls).items() if callable(f) and not n.startswith("_")}


def test_every_operation_reaches_both_clients_unchanged():
    defs = _public(_opdefs.OpDefs)
    assert len(defs) >= 25
    for name, fn in defs.items():
        sync = getattr(ff.Client, name)
        asyn = getattr(ff.AsyncClient, name)
        assert not inspect.iscoroutinefunction(sync), name
        assert inspect.iscoroutinefunction(asyn), name
        want = inspect.signature(fn)
        for got in (inspect.signature(sync), inspect.signature(asyn)):
            assert list(got.parameters) == list(want.parameters), name
            assert [p.default for p in got.parameters.values()] == [p.default for p in want.parameters.values()]
        assert inspect.getdoc(sync) == inspect.getdoc(fn) == inspect.getdoc(asyn), name


def test_every_composition_reaches_both_clients_from_its_one_plan():
    plans = _public(_opdefs.Compositions)
    assert {"wait", "wait_ended", "wait_json", "result_json", "submit_json", "stats", "list_lane",
            "list_partition", "list_executions", "list_suspended"} <= set(plans)
    for name, fn in plans.items():
        sync = getattr(ff.Client, name)
        asyn = getattr(ff.AsyncClient, name)
        # the client classes inherit them from the generated module, never redefine them
        assert name not in vars(ff.Client) and name not in vars(ff.AsyncClient), name
        listing = "Steps[" in str(fn.__annotations__.get("return"))
        assert inspect.iscoroutinefunction(asyn) is not listing, name
        assert not inspect.iscoroutinefunction(sync), name
        want = inspect.signature(fn)
        for got in (inspect.signature(sync), inspect.signature(asyn)):
            assert list(got.parameters) == list(want.parameters), name
            assert [p.default for p in got.parameters.values()] == [p.default for p in want.parameters.values()]
        assert inspect.getdoc(sync) == inspect.getdoc(fn) == inspect.getdoc(asyn), name


class _Round:
    """A stand-in for one Op: the drivers only hand it to `run`."""

    def __init__(self, name):
        self.name = name


def _waiting_plan(log):
    # the shape of Compositions.wait: an error raised at the yield is the plan's to handle
    while True:
        try:
            return (yield _Round("round"))
        except errors.Timeout:
            log.append("retried")


def _run_timing_out_once():
    calls = []

    def run(op):
        calls.append(op.name)
        if len(calls) == 1:
            raise errors.make_error(_timeout_code(), "round over")
        return b"done"
    return run, calls


def _timeout_code():
    from flowfabric._ffi import lib
    return int(lib.FF_ETIMEDOUT)


def test_both_drivers_raise_an_operation_error_inside_the_plan():
    for mode in ("sync", "async"):
        log = []
        run, calls = _run_timing_out_once()
        if mode == "sync":
            got = _plan.drive_sync(run, _waiting_plan(log))
        else:
            async def arun(op):
                return run(op)
            got = asyncio.run(_plan.drive_async(arun, _waiting_plan(log)))
        assert got == b"done" and log == ["retried"] and calls == ["round", "round"], mode


def test_an_unhandled_operation_error_leaves_the_plan_to_the_caller():
    def plan():
        yield _Round("a")
        raise AssertionError("not reached")

    def run(op):
        raise errors.make_error(_timeout_code(), "gone")
    with pytest.raises(errors.Timeout):
        _plan.drive_sync(run, plan())


def test_listing_drivers_emit_items_and_run_a_list_of_ops_together():
    def plan():
        values = yield [_Round("x"), _Round("y")]
        for v in values:
            yield _opdefs.Emit(v)

    assert list(_plan.iter_sync(lambda op: op.name, plan)) == ["x", "y"]

    async def collect():
        running = []

        async def arun(op):
            running.append(op.name)
            await asyncio.sleep(0)
            return op.name.upper()
        return [v async for v in _plan.iter_async(arun, plan)], running
    items, running = asyncio.run(collect())
    assert items == ["X", "Y"] and running == ["x", "y"]


def test_the_start_functions_cover_every_c_operation():
    from flowfabric import _native
    from flowfabric._ffi import lib
    import json
    import pathlib
    api = json.loads((pathlib.Path(__file__).resolve().parents[2] / "bindings" / "api.json").read_text())
    ops = [f["name"] for f in api["functions"] if f["role"] == "op"]
    assert ops and all(callable(getattr(_native, n)) and hasattr(lib, n) for n in ops)


def test_every_exported_symbol_is_bound():
    """Every ff_* function the loaded library exports is callable from
    Python (the cffi declarations come from the generated ff_cdef.h)."""
    import subprocess
    from flowfabric import _ffi
    path = _ffi.LIBRARY_PATH
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    exported = [line.split()[-1] for line in out.splitlines() if line.split()[-1].startswith("ff_")]
    assert exported, f"nm found no ff_ symbol in {path}"
    missing = [name for name in exported if not hasattr(_ffi.lib, name)]
    assert missing == []


# ff_op_* accessor -> the @yields kind it reads (include/flowfabric/common.h)
_ACCESSOR_KINDS = {
    "ff_op_text": "text", "ff_op_int": "int", "ff_op_bytes": "bytes",
    "ff_op_json": "json", "ff_op_json_str": "json", "ff_op_json_i64": "json",
    "ff_op_execution_id": "execution_id",
    "ff_op_item_count": "items", "ff_op_item": "items", "ff_op_item_bytes": "items",
    "ff_op_cursor": "cursor", "ff_op_claim_count": "claims", "ff_op_take_claim": "claims",
    "ff_op_reply_type": "reply", "ff_op_reply_integer": "reply", "ff_op_reply_len": "reply",
    "ff_op_reply_element": "reply",
}


class _Reads:
    """Which result kinds a piece of source reads: the lib.ff_op_* accessors
    it names, directly or through the helper functions it calls (followed
    into _core.py and _opdefs.py by name)."""

    def __init__(self, *modules):
        import ast
        self.ast = ast
        self.funcs = {}
        for m in modules:
            tree = ast.parse(open(m.__file__, encoding="utf-8").read())
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef):
                    self.funcs.setdefault(node.name, node)
        self.memo = {}

    def of(self, node, local=None, seen=None):
        ast = self.ast
        local = local or {}
        seen = set() if seen is None else seen
        kinds = set()
        for n in ast.walk(node):
            if isinstance(n, ast.Attribute) and n.attr in _ACCESSOR_KINDS:
                kinds.add(_ACCESSOR_KINDS[n.attr])
            elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                if n.id in local:
                    if n.id not in seen:
                        seen.add(n.id)
                        kinds |= self.of(local[n.id], local, seen)
                elif n.id in self.funcs and n.id not in self.memo:
                    self.memo[n.id] = set()  # recursion guard
                    self.memo[n.id] = self.of(self.funcs[n.id])
                    kinds |= self.memo[n.id]
                elif n.id in self.memo:
                    kinds |= self.memo[n.id]
        return kinds


def _op_definitions():
    """(method name, C op name, extractor node, local definitions) for each
    Op(start, extract) an OpDefs method returns."""
    import ast
    tree = ast.parse(open(_opdefs.__file__, encoding="utf-8").read())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "OpDefs")
    found = []
    for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
        local = {}
        for n in ast.walk(fn):
            if isinstance(n, ast.FunctionDef) and n is not fn:
                local[n.name] = n
            elif isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
                local[n.targets[0].id] = n.value
        for n in ast.walk(fn):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "Op":
                start, extract = n.args[0], n.args[1]
                starts = [c for c in ast.walk(start) if isinstance(c, ast.Call)]
                if isinstance(start, ast.Name):  # a wrapper: find the start it wraps
                    starts = [c for c in ast.walk(local[start.id]) if isinstance(c, ast.Call)]
                    for sub in ast.walk(local[start.id]):
                        if isinstance(sub, ast.Name) and sub.id in local and sub.id != start.id:
                            starts += [c for c in ast.walk(local[sub.id]) if isinstance(c, ast.Call)]
                names = [c.func.attr for c in starts if isinstance(c.func, ast.Attribute)
                         and isinstance(c.func.value, ast.Name) and c.func.value.id == "N"]
                assert len(names) == 1, (fn.name, names)
                found.append((fn.name, names[0], extract, local))
    return found


def test_every_extractor_reads_what_its_op_yields():
    """Each operation reads its result only through accessors its C op
    declares with @yields (the generated _native.YIELDS); one yielding
    "none" reads nothing, any other reads something."""
    from flowfabric import _core, _native
    reads = _Reads(_core, _opdefs)
    defs = _op_definitions()
    assert len(defs) >= 25
    for method, cname, extract, local in defs:
        declared = _native.YIELDS[cname]
        got = reads.of(extract, local)
        if declared == ("none",):
            assert got == set(), (method, cname, got)
            continue
        assert got, (method, cname, "reads no result accessor")
        assert got <= set(declared), (method, cname, sorted(got - set(declared)), declared)


def test_the_extractor_check_notices_a_wrong_reader():
    import ast
    from flowfabric import _core, _native
    node = ast.parse("lambda op: (x_json(op), x_text(op))").body[0].value
    got = _Reads(_core, _opdefs).of(node)
    assert got == {"json", "text"}
    assert not got <= set(_native.YIELDS["ff_execution_cancel"])  # cancel yields text only


def test_yields_cover_every_c_operation():
    from flowfabric import _native
    import json
    import pathlib
    api = json.loads((pathlib.Path(__file__).resolve().parents[2] / "bindings" / "api.json").read_text())
    for f in api["functions"]:
        if f["role"] == "op":
            assert _native.YIELDS[f["name"]] == tuple(y["kind"] for y in f["yields"]), f["name"]
            layout = next((y["layout"] for y in f["yields"] if "layout" in y), None)
            assert _native.ITEM_LAYOUTS.get(f["name"]) == layout, f["name"]
            if layout:
                from flowfabric._ffi import lib
                assert int(getattr(lib, layout + "_STRIDE")) > 0, layout
