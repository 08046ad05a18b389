"""Each operation is defined once (flowfabric/_opdefs.py) and reaches both
clients through the generated _client_ops: same signature, same
documentation, sync on Client, a coroutine on AsyncClient."""

import inspect

import flowfabric as ff
from flowfabric import _opdefs


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
