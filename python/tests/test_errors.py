"""The exception hierarchy is generated from the library's status table, and
real failures map onto it."""

from __future__ import annotations

import threading
import time

import pytest

from conftest import REPO


def _statuses():
    from flowfabric._ffi import ffi, lib
    n = lib.ff_status_list(ffi.NULL, 0)
    buf = ffi.new("int32_t[]", n)
    lib.ff_status_list(buf, n)
    return [int(buf[i]) for i in range(n) if buf[i] != 0]


def test_one_class_per_status_from_the_table(ff):
    from flowfabric._ffi import ffi, lib
    codes = _statuses()
    assert len(codes) > 100
    # the cdef enum and the library's table agree
    enum = {v for k, v in ffi.typeof("ff_status").relements.items() if not k.endswith("_SENTINEL_") and v != 0}
    assert enum == set(codes)
    for code in codes:
        cls = ff.error_class(code)
        assert issubclass(cls, ff.FlowFabricError)
        name = ffi.string(lib.ff_status_name(code)).decode()
        group = ffi.string(lib.ff_status_group(code)).decode()
        assert ff.error_class(name) is cls
        e = cls(code=code)
        assert (e.code, e.name, e.group) == (code, name, group)
        assert e.message == ffi.string(lib.ff_strerror(code)).decode()
        assert str(e) == e.message  # no detail: the code's text
        if group != "generic":
            assert issubclass(cls, getattr(ff.errors, {
                "invalid": "InvalidInput", "notfound": "NotFound", "conflict": "Conflict", "lease": "LeaseError",
                "state": "StateError", "transport": "TransportError", "timeout": "Timeout",
                "limit": "LimitExceeded", "auth": "AuthError", "internal": "InternalError"}[group]))


def _names_table():
    groups, statuses = {}, {}
    for line in (REPO / "bindings" / "gen" / "error_names.txt").read_text().splitlines():
        parts = line.split(None, 3)
        if parts and parts[0] == "group":
            groups[parts[1]] = parts[2]
        elif parts and parts[0] == "status":
            statuses["FF_" + parts[1]] = parts[2]
    return groups, statuses


def test_client_side_statuses_have_readable_names(ff):
    """Names come from the one table bindings/gen/error_names.txt; the old
    mechanical names stay as aliases."""
    groups, statuses = _names_table()
    assert len(statuses) >= 20
    for name, cname in statuses.items():
        cls = ff.error_class(name)
        assert cls.__name__ == cname and getattr(ff, cname) is cls, name
    for group, cname in groups.items():
        assert getattr(ff, cname).group == group
    assert issubclass(ff.InvalidArgument, ff.InvalidInput) and ff.error_class("FF_EINVAL") is ff.InvalidArgument
    assert ff.error_class("FF_EIO") is ff.TransportError and ff.error_class("FF_ETIMEDOUT") is ff.Timeout
    assert issubclass(ff.ClientClosed, ff.TransportError) and issubclass(ff.InputTooLarge, ff.LimitExceeded)
    assert issubclass(ff.AuthenticationFailed, ff.AuthError)
    for old, new in (("InvalError", "InvalidArgument"), ("IoError", "TransportError"), ("TimedoutError", "Timeout"),
                     ("ClosedError", "ClientClosed"), ("ToobigError", "InputTooLarge"),
                     ("ProtoError", "ProtocolError"), ("SpawnError", "ServerSpawnFailed")):
        assert getattr(ff, old) is getattr(ff, new) and getattr(ff.errors, old) is getattr(ff, new)
    # names read as words: no mechanical "<Abbrev>Error" left among the primary names
    primary = {cls.__name__ for cls in ff.errors.all_statuses().values()}
    assert not {n for n in primary if n.endswith("Error") and n not in groups.values()
                and n not in ("ServerError", "ProtocolError", "FlowFabricError")}, primary


def test_classes_are_static_and_exported(ff):
    """Type checkers see every class: defined in a module (generated from the
    status table), listed in the package's __all__."""
    from flowfabric import _error_classes
    for code, cls in ff.errors.all_statuses().items():
        assert getattr(_error_classes, cls.__name__, None) is cls, cls
        assert cls.__name__ in ff.__all__ and cls.__name__ in ff.errors.__all__
        assert cls.__module__ == "flowfabric.errors"


def test_named_classes_and_builtin_bases(ff):
    assert issubclass(ff.StaleLease, ff.LeaseError) and ff.StaleLease.code == -100
    assert issubclass(ff.LeaseExpired, ff.LeaseError) and issubclass(ff.LeaseRevoked, ff.LeaseError)
    assert issubclass(ff.ExecutionNotFound, ff.NotFound) and issubclass(ff.NotFound, LookupError)
    assert issubclass(ff.InvalidInput, ValueError) and ff.error_class("FF_INVALID_INPUT") is ff.InvalidInput
    assert ff.error_class("FF_EINVAL").__mro__[1] is ff.InvalidInput and ff.InvalidArgument.code == -2
    assert issubclass(ff.error_class("FF_ETIMEDOUT"), TimeoutError)
    assert issubclass(ff.error_class("FF_EIO"), ConnectionError)
    assert issubclass(ff.ExecutionNotActive, ff.StateError)
    assert issubclass(ff.LibraryMismatch, ImportError) and issubclass(ff.LibraryMismatch, ff.FlowFabricError)
    assert ff.error_class(-424242) is ff.FlowFabricError
    assert ff.error_class("STALE_LEASE") is ff.StaleLease


def test_error_carries_code_and_detail(ff):
    e = ff.errors.make_error(-105, "execution_not_active: cancelled 3 terminal abc", "execution_not_active",
                             ["cancelled", "3", "terminal", "abc"])
    assert isinstance(e, ff.ExecutionNotActive)
    assert (e.code, e.server_code, e.details) == (-105, "execution_not_active", ("cancelled", "3", "terminal", "abc"))
    assert "cancelled 3" in str(e) and e.detail.startswith("execution_not_active")


def test_unknown_execution_is_not_found(ff, client):
    with pytest.raises(ff.ExecutionNotFound) as ei:
        client.describe("{fp:3}:00000000-0000-4000-8000-000000000000")
    assert ei.value.code == -124 and ei.value.server_code == "execution_not_found"
    assert isinstance(ei.value, LookupError)


def test_malformed_id_is_invalid(ff, client):
    with pytest.raises(ff.InvalidInput) as ei:
        client.result("not-an-id")
    assert ei.value.name == "FF_EINVAL"
    # the sentence of the library (ff_error_detail), not a tuple or a code name
    assert "not-an-id" in str(ei.value) and str(ei.value) == ei.value.detail
    assert not str(ei.value).startswith("FF_")
    with pytest.raises(ValueError):
        client.cancel("{fp:x}:nope")


def test_result_before_the_end_is_a_state_error(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    with pytest.raises(ff.ExecutionNotTerminal) as ei:
        client.result(eid)
    assert isinstance(ei.value, ff.StateError)
    with pytest.raises(ff.ExecutionNotTerminal):
        client.replay(eid)


def test_lease_errors(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane], lease_ttl=30)
    # a forged fence: stale
    forged = ff.Claim.from_fence(cl.execution_id, cl.attempt_index, cl.attempt_id,
                                 "00000000-0000-4000-8000-000000000000", cl.lease_epoch)
    with pytest.raises(ff.StaleLease) as ei:
        client.complete(forged, b"no")
    assert ei.value.server_code == "stale_lease" and isinstance(ei.value, ff.LeaseError)
    # revoked by an operator
    assert client.revoke_lease(eid, reason="test") == "revoked"
    with pytest.raises(ff.LeaseRevoked):
        client.renew(cl)


def test_lease_expired(ff, client, lane):
    client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane], lease_ttl=1)
    time.sleep(1.3)
    with pytest.raises(ff.LeaseExpired):
        client.complete(cl, b"late")


def test_not_active_carries_details(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane])
    client.cancel(eid, "operator says no")
    with pytest.raises(ff.ExecutionNotActive) as ei:
        client.complete(cl, b"too late")
    e = ei.value
    assert len(e.details) == 4
    assert e.details[0] == "cancelled" and e.details[2] == "terminal" and e.details[3] == cl.attempt_id
    # the message is the library's text of the failure (ff_op_errmsg); the fields stay structured
    assert str(e) == e.detail and e.detail and not str(e).startswith("FF_")
    assert e.server_code == "execution_not_active"


def test_change_priority_of_finished_is_refused(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane])
    client.complete(cl, b"ok")
    with pytest.raises(ff.ExecutionNotEligible):
        client.change_priority(eid, 5)


def test_policy_errors(ff, client, lane):
    with pytest.raises(ff.InvalidInput):
        client.submit("k", b"x", lane=lane, policy="[1,2]")
    with pytest.raises(ff.InvalidPolicyJson) as ei:
        client.submit("k", b"x", lane=lane, policy={"retry_policy": {"max_retries": 1, "bogus": 1}})
    assert "bogus" in str(ei.value)


@pytest.mark.parametrize("threaded", [False, True])
def test_sentence_is_read_on_the_failing_thread(ff, client, threaded):
    """ff_error_detail is thread-local: a failure on another thread gets its
    own sentence."""
    out = []

    def bad():
        try:
            client.describe("not-an-id-" + str(threaded))
        except ff.InvalidInput as e:
            out.append(str(e))
    t = threading.Thread(target=bad) if threaded else None
    if t:
        t.start()
        t.join()
    else:
        bad()
    assert out and f"not-an-id-{threaded}" in out[0], out


def test_package_errors_are_sentences(ff, client, lane):
    with pytest.raises(ff.InvalidArgument) as ei:
        client.submit("k", lane=lane, priority=2**31)
    assert str(ei.value) == "priority must be an integer from -2147483648 to 2147483647; got 2147483648"
    assert ei.value.code == -2 and ei.value.name == "FF_EINVAL"
    e = ff.InvalidArgument("plain message")
    assert (str(e), e.detail, e.code) == ("plain message", "plain message", -2)


def _outcome_error(ff, client, eid):
    with pytest.raises(ff.StateError) as ei:
        client.result(eid)
    with pytest.raises(type(ei.value)) as again:
        client.result_json(eid)
    assert str(again.value) == str(ei.value)
    return ei.value


def _says_it_once(e, *words):
    """The library's sentence, with no part repeated (the package adds no
    prefix of its own, e.g. "execution was cancelled (execution was ...)")."""
    text = str(e)
    assert text == e.detail and not text.startswith("FF_") and "(FF_" not in text
    assert text.count(e.message) <= 1, text
    for w in words:
        assert text.count(w) == 1, (w, text)


def test_result_of_a_failed_execution(ff, client, lane):
    eid = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane])
    client.fail(cl, "card declined", "permanent")
    e = _outcome_error(ff, client, eid)
    assert type(e) is ff.ExecutionFailed and e.server_code == "execution_failed"
    assert e.details == ("card declined", "permanent")
    assert str(e) == "execution ended as failed: card declined (category permanent)"
    _says_it_once(e, "failed", "card declined", "permanent")


def test_result_of_a_cancelled_execution(ff, client, lane):
    by_operator = client.submit("k", b"x", lane=lane)
    client.cancel(by_operator, "not needed")
    e = _outcome_error(ff, client, by_operator)
    assert type(e) is ff.ExecutionCancelled and e.details == ("not needed", "operator_override")
    assert str(e) == "execution was cancelled by operator_override: not needed"
    _says_it_once(e, "cancel", "not needed")
    by_holder = client.submit("k", b"x", lane=lane)
    [cl] = client.claim([lane])
    client.cancel_lease(cl)  # no reason
    e = _outcome_error(ff, client, by_holder)
    assert e.details[1] == "lease_holder" and str(e) == "execution was cancelled by lease_holder"
    _says_it_once(e, "cancel")


def test_result_of_an_expired_execution(ff, server_url, lane):
    with ff.connect(server_url) as c:
        eid = c.submit("k", b"x", lane=lane, deadline=time.time() + 0.3)
        c.engine(tick=0.1)  # its sweep expires executions past their deadline
        ex = c.wait_ended(eid, timeout=60)
        assert ex.public_state == "expired"
        e = _outcome_error(ff, c, eid)
    assert type(e) is ff.ExecutionExpired and e.server_code == "execution_expired"
    assert str(e).startswith("execution expired")
    _says_it_once(e, "expired")


def test_async_result_raises_the_same_outcome_error(ff, server_url, lane):
    import asyncio

    async def main():
        async with ff.AsyncClient(server_url) as c:
            eid = await c.submit("k", b"x", lane=lane)
            await c.cancel(eid, "async says no")
            with pytest.raises(ff.ExecutionCancelled) as ei:
                await c.result(eid)
            return ei.value
    e = asyncio.run(main())
    assert str(e) == "execution was cancelled by operator_override: async says no"
