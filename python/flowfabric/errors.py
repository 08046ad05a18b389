"""The FlowFabric exception hierarchy.

Every failure the C library reports is a status code from ONE table
(``src/core/status.def``). The classes below are generated from that table
and from the readable names of ``bindings/gen/error_names.txt`` (by
``bindings/gen/gen_python_errors.py``: ``make generate``), so type checkers
see them; at import the package reads the loaded library's table
(``ff_status_list``) for the names, groups, server tokens and texts, and adds
a class for any code a newer library defines::

    FlowFabricError                      every error raised by this package
    ├── InvalidInput (ValueError)        group "invalid": InvalidArgument, InvalidPolicyJson, ...
    ├── NotFound (LookupError)           group "notfound": ExecutionNotFound, ...
    ├── Conflict                         group "conflict": LeaseConflict, ...
    ├── LeaseError                       group "lease": StaleLease, LeaseExpired, LeaseRevoked, ...
    ├── StateError                       group "state": ExecutionNotActive, ExecutionNotTerminal, ...
    ├── TransportError (ConnectionError) group "transport": connection lost; ClientClosed
    ├── Timeout (TimeoutError)           group "timeout": the per-call deadline passed
    ├── LimitExceeded                    group "limit": InputTooLarge, MaxRetriesExhausted, ...
    ├── AuthError                        group "auth": AuthenticationFailed, InvalidToken, ...
    ├── InternalError                    group "internal": ServerError, ProtocolError, ...
    └── LibraryError (ImportError)       the shared library is missing or incompatible
        └── LibraryMismatch              ABI version differs from the package's

Class names: a status the server returns is named after its server token
(``stale_lease`` → :class:`StaleLease`); a client-side status has a name in
the names table (``FF_EINVAL`` → :class:`InvalidArgument`, ``FF_ECLOSED`` →
:class:`ClientClosed`); a status whose name is its group's is that group
class (``FF_EIO`` is :class:`TransportError`). The earlier mechanical names
(``InvalError``, ``IoError``, ``TimedoutError``, ...) remain as aliases.

Catch a group (``except ff.LeaseError``) or one code (``except
ff.StaleLease``). ``str(error)`` is a sentence saying what was wrong; every
instance also carries ``code``, ``name``, ``group``, ``server_code``,
``detail`` and ``details``. :func:`error_class` maps a code or a status name
to its class.
"""

from __future__ import annotations

from typing import Any, Dict, Sequence, Type, Union

from . import _error_classes
from ._error_base import _GROUPS, _MESSAGES, _NAMES, _TOKENS, FlowFabricError, LibraryError, LibraryMismatch
from ._error_classes import *  # noqa: F401,F403  (the generated classes)
from ._error_classes import _STATIC_CLASSES, _STATIC_GROUPS

__all__ = ["FlowFabricError", "LibraryError", "LibraryMismatch", "error_class", "raise_for"]
__all__ += _error_classes.__all__

# Tracebacks and pickles name the public module (flowfabric.errors.StaleLease).
for _cls in [FlowFabricError, LibraryError, LibraryMismatch, *_STATIC_GROUPS.values(), *_STATIC_CLASSES.values()]:
    _cls.__module__ = __name__

_BY_CODE: Dict[int, Type[FlowFabricError]] = {}
_BY_NAME: Dict[str, Type[FlowFabricError]] = {}
_GROUP_CLASSES: Dict[str, Type[FlowFabricError]] = dict(_STATIC_GROUPS)


def _camel(token: str) -> str:
    return "".join(part[:1].upper() + part[1:].lower() for part in token.split("_") if part)


def _dynamic_class(code: int, name: str, group: str, token: str, message: str) -> Type[FlowFabricError]:
    """A class for a code the generated table does not know (a newer
    library with the same ABI): named after its token, else its status name."""
    base = _GROUP_CLASSES.get(group)
    if base is None:
        base = type(_camel(group) + "Error", (FlowFabricError,),
                    {"__doc__": f"Errors of group {group!r}.", "group": group, "__module__": __name__})
        _GROUP_CLASSES[group] = base
    cname = _camel(token) if token else _camel(name[3:] if name.startswith("FF_") else name)
    existing = globals().get(cname)
    if isinstance(existing, type) and issubclass(existing, base):
        return existing
    doc = f"{name} ({code}): {message}." + (f" Server token ``{token}``." if token else "")
    cls = type(cname, (base,), {"__doc__": doc, "code": code, "name": name, "group": group,
                                "__module__": __name__})
    globals()[cname] = cls
    return cls


def _build(ffi: Any, lib: Any) -> None:
    """Read the loaded library's status table."""
    n = int(lib.ff_status_list(ffi.NULL, 0))
    buf = ffi.new("int32_t[]", max(n, 1))
    lib.ff_status_list(buf, n)

    def s(p: Any) -> str:
        return ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else ""

    for i in range(n):
        code = int(buf[i])
        if code == 0:
            continue
        name, group = s(lib.ff_status_name(code)), s(lib.ff_status_group(code))
        token, message = s(lib.ff_status_server_token(code)), s(lib.ff_strerror(code))
        _NAMES[code], _GROUPS[code], _TOKENS[code], _MESSAGES[code] = name, group, token, message
        cls = _STATIC_CLASSES.get(code) or _dynamic_class(code, name, group, token, message)
        _BY_CODE[code] = cls
        _BY_NAME[name] = cls


def error_class(status: Union[int, str]) -> Type[FlowFabricError]:
    """The exception class of a status code (``-100``) or name
    (``"FF_STALE_LEASE"`` or ``"STALE_LEASE"``). Unknown codes map to
    :class:`FlowFabricError`."""
    if isinstance(status, str):
        key = status if status.startswith("FF_") else "FF_" + status
        return _BY_NAME.get(key, FlowFabricError)
    return _BY_CODE.get(int(status), FlowFabricError)


def make_error(code: int, detail: str = "", server_code: str = "", details: Sequence[str] = ()) -> FlowFabricError:
    """An exception instance for a status code; ``detail`` is the sentence
    its message shows."""
    return error_class(code)(code=code, detail=detail, server_code=server_code, details=details)


def raise_for(code: int, detail: str = "") -> None:
    """Raise the exception of a non-zero status (no-op for FF_OK)."""
    if code != 0:
        raise make_error(code, detail)


def status_info(code: int) -> Dict[str, str]:
    """name, group, server token and message of a status code."""
    return {"name": _NAMES.get(code, "FF_UNKNOWN"), "group": _GROUPS.get(code, "generic"),
            "server_token": _TOKENS.get(code, ""), "message": _MESSAGES.get(code, "unknown status")}


def all_statuses() -> Dict[int, Type[FlowFabricError]]:
    """Every status code the library defines, with its class."""
    return dict(_BY_CODE)
