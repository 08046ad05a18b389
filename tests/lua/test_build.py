"""lua/build.sh output and library registration."""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

ALL_FUNCTIONS = {
    "ff_version", "ff_boot", "ff_create", "ff_claim", "ff_renew", "ff_progress", "ff_complete",
    "ff_fail", "ff_cancel", "ff_delay", "ff_wait_mark", "ff_change_priority", "ff_replay", "ff_revoke",
    "ff_describe", "ff_snapshot", "ff_result", "ff_list_partition", "ff_list_lane", "ff_lanes",
    "ff_counts", "ff_engine_sweep", "ff_engine_beat", "ff_engine_list", "ff_reclaim_grant",
    "ff_claim_reclaim", "ff_claim_resumed", "ff_grant_and_claim", "ff_suspend", "ff_create_waitpoint", "ff_signal", "ff_secret_init",
    "ff_secret_rotate", "ff_observe_signals", "ff_list_suspended", "ff_waitpoints",
    "ff_waitpoint_token", "ff_secret_list", "ff_list_quarantined", "ff_partition_stats",
    "ff_flow_create", "ff_flow_add_member", "ff_flow_set_group", "ff_flow_add_edge", "ff_flow_describe",
    "ff_flow_list", "ff_flow_edges", "ff_flow_edge", "ff_flow_of", "ff_flow_parents", "ff_flow_cancel", "ff_flow_submit",
    "ff_wait_children", "ff_flow_children", "ff_flow_feed", "ff_flow_wait_mark", "ff_flow_feed_mark",
    "ff_append_frame", "ff_append_frames", "ff_read_stream", "ff_read_summary",
    "ff_create_budget", "ff_update_budget_limits", "ff_report_usage", "ff_release_budget", "ff_reset_budget",
    "ff_budget_sweep", "ff_describe_budget", "ff_list_budgets", "ff_lease_current", "ff_budget_mark",
    "ff_budget_propagated",
    "ff_create_quota", "ff_describe_quota", "ff_list_quotas", "ff_pause_group", "ff_resume_group",
    "ff_rate_limited",
    "ff_worker_register", "ff_worker_dead", "ff_worker_list",
    "ff_lane_create", "ff_lane_pause", "ff_lane_resume", "ff_lane_page",
}
READ_ONLY = {"ff_version", "ff_engine_list", "ff_observe_signals", "ff_list_suspended",
             "ff_waitpoints", "ff_waitpoint_token", "ff_secret_list", "ff_describe", "ff_snapshot", "ff_result", "ff_list_partition", "ff_list_lane",
             "ff_lanes", "ff_counts", "ff_list_quarantined", "ff_partition_stats",
             "ff_flow_describe", "ff_flow_list", "ff_flow_edges", "ff_flow_edge", "ff_flow_of",
             "ff_flow_parents", "ff_flow_children", "ff_flow_feed", "ff_read_stream", "ff_read_summary",
             "ff_describe_budget", "ff_list_budgets", "ff_lease_current",
             "ff_describe_quota", "ff_list_quotas", "ff_worker_list", "ff_lane_page"}


def test_payload_shape(lib_path):
    text = lib_path.read_text()
    lines = text.split("\n")
    assert lines[0] == "#!lua name=flowfabric"
    assert sum(1 for l in lines if l.startswith("#!lua")) == 1
    assert re.search(r'^local FF_LIB_VERSION = "3\+[0-9a-f]{12}"$', text, re.M)


def test_payload_follows_manifest(lib_path):
    text = lib_path.read_text()
    entries = [l.strip() for l in (ROOT / "lua" / "manifest.txt").read_text().splitlines()
               if l.strip() and not l.strip().startswith("#")]
    assert entries[0] == "lib/00_head.lua"
    lib_entries = [e for e in entries if e.startswith("lib/")]
    assert entries[:len(lib_entries)] == lib_entries, "lib files must come first"
    assert sorted(lib_entries) == lib_entries
    assert sorted(lib_entries) == sorted("lib/" + p.name for p in (ROOT / "lua" / "lib").glob("*.lua"))
    pos = -1
    for e in entries:
        body = (ROOT / "lua" / e).read_text()
        # the first non-shebang line of each file appears, in manifest order
        probe = [l for l in body.splitlines() if l and not l.startswith("#!")][0]
        p = text.find(probe, pos + 1)
        assert p > pos, e
        pos = p


def test_build_usage_error(tmp_path):
    p = subprocess.run([str(ROOT / "lua" / "build.sh")], capture_output=True)
    assert p.returncode != 0


def test_version_and_registration(r):
    assert r.execute_command("FCALL", "ff_version", 0).startswith(b"3+")
    assert r.execute_command("FCALL_RO", "ff_version", 0).startswith(b"3+")
    libs = r.execute_command("FUNCTION", "LIST", "LIBRARYNAME", "flowfabric")
    assert len(libs) == 1
    lib = dict(zip(libs[0][::2], libs[0][1::2]))
    funcs = {}
    for f in lib[b"functions"]:
        d = dict(zip(f[::2], f[1::2]))
        funcs[d[b"name"].decode()] = {x.decode() for x in d[b"flags"]}
    assert set(funcs) == ALL_FUNCTIONS
    for name, flags in funcs.items():
        if name in READ_ONLY:
            assert flags == {"no-writes"}, name
        else:
            assert flags == set(), name


def test_write_functions_refused_by_fcall_ro(ff):
    eid, args = ff.create_args()
    with pytest.raises(Exception):
        ff.r.execute_command("FCALL_RO", "ff_create", 1, "ff:e:" + eid, *args)


def test_error_tokens_are_in_status_def():
    tokens = set()
    for line in (ROOT / "src" / "core" / "status.def").read_text().splitlines():
        m = re.match(r'\s*FF_STATUS\(\s*\w+\s*,\s*-?\d+\s*,\s*"\w*"\s*,\s*"(\w*)"', line)
        if m and m.group(1):
            tokens.add(m.group(1))
    assert "stale_lease" in tokens
    used = set()
    for p in list((ROOT / "lua").glob("*.lua")) + list((ROOT / "lua" / "lib").glob("*.lua")):
        src = p.read_text()
        used |= set(re.findall(r'U\.err\("(\w+)"', src))
        used |= set(re.findall(r'return \{ ?0, "(\w+)"', src))
    assert used and used <= tokens, used - tokens
