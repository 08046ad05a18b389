"""The header blocks of lua/<area>.lua (bindings/gen/gen_functions.py) agree
with what the loaded library registers, and with the checked-in arity table
src/proto/functions.c the client checks every FCALL against."""

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _gen():
    spec = importlib.util.spec_from_file_location("gen_functions", ROOT / "bindings" / "gen" / "gen_functions.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def blocks():
    gen = _gen()
    funcs = gen.scan(str(ROOT / "lua"), gen.server_tokens(str(ROOT / "src" / "core" / "status.def")))
    assert gen.problems == [], gen.problems
    return {f["name"]: f for f in funcs}


def registered(r):
    libs = r.execute_command("FUNCTION", "LIST", "LIBRARYNAME", "flowfabric")
    lib = dict(zip(libs[0][::2], libs[0][1::2]))
    out = {}
    for f in lib[b"functions"]:
        d = dict(zip(f[::2], f[1::2]))
        out[d[b"name"].decode()] = {x.decode() for x in d[b"flags"]}
    return out


def test_every_registered_function_has_a_block_with_its_mode(r, blocks):
    funcs = registered(r)
    assert set(funcs) == set(blocks)
    for name, flags in funcs.items():
        want = {"no-writes"} if blocks[name]["mode"] == "read-only" else set()
        assert flags == want, name


def test_arity_table_matches_the_blocks(blocks):
    text = (ROOT / "src" / "proto" / "functions.c").read_text()
    rows = re.findall(r'\{"(ff_[a-z_]+)", (\d+), (\d+), (\d+), ([01])\}', text)
    assert {row[0] for row in rows} == set(blocks)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows), "the table must stay sorted (bsearch)"
    for name, nkeys, lo, hi, ro in rows:
        b = blocks[name]
        assert int(nkeys) == len(b["keys"]), name
        fixed = len(b["args"])
        v = b["vararg"]
        assert (int(lo), int(hi)) == ((fixed + v[2], fixed + v[3]) if v else (fixed, fixed)), name
        assert int(ro) == (1 if b["mode"] == "read-only" else 0), name
