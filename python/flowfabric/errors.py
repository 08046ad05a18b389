"""The FlowFabric exception hierarchy.

Every failure the C library reports is a status code from ONE table
(``src/core/status.def``). At import time this module asks the loaded library
for every code (``ff_status_list``), its name, its group and its server token,
and builds one exception class per code, so the hierarchy can never drift from
the library::

    FlowFabricError                      every error raised by this package
    ├── InvalidInput (ValueError)        group "invalid": FF_EINVAL, FF_INVALID_INPUT, ...
    ├── NotFound (LookupError)           group "notfound": ExecutionNotFound, ...
    ├── Conflict                         group "conflict": LeaseConflict, ...
    ├── LeaseError                       group "lease": StaleLease, LeaseExpired, LeaseRevoked, ...
    ├── StateError                       group "state": ExecutionNotActive, ExecutionNotTerminal, ...
    ├── TransportError (ConnectionError) group "transport": IoError, ClosedError
    ├── Timeout (TimeoutError)           group "timeout": TimedoutError
    ├── LimitExceeded                    group "limit": ToobigError, MaxRetriesExhausted, ...
    ├── AuthError                        group "auth"
    ├── InternalError                    group "internal": ServerError, ProtoError, ...
    └── LibraryError (ImportError)       the shared library is missing or incompatible
        └── LibraryMismatch              ABI version differs from the package's

Class names of the codes are derived mechanically:

* codes the server returns are named after their server token:
  ``stale_lease`` → :class:`StaleLease`, ``execution_not_found`` →
  ``ExecutionNotFound``;
* client-side ``FF_E*`` codes drop the ``E`` and add ``Error``:
  ``FF_ETIMEDOUT`` → ``TimedoutError``, ``FF_ECLOSED`` → ``ClosedError``;
* a code whose derived name is its group's name is that group class
  (``FF_INVALID_INPUT`` is :class:`InvalidInput` itself).

Catch a group (``except ff.LeaseError``) or one code (``except
ff.StaleLease``); every instance carries ``code``, ``name``, ``group``,
``server_code``, ``detail`` and ``details``. :func:`error_class` maps a code
or a status name to its class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Type, Union


class FlowFabricError(Exception):
    """Base class of every error raised by :mod:`flowfabric`.

    Attributes:
        code: the status code (negative int, e.g. -100 for FF_STALE_LEASE).
        name: symbolic name, e.g. ``"FF_STALE_LEASE"``.
        group: coarse family (``"lease"``, ``"invalid"``, ...).
        server_code: the server's error token (``"stale_lease"``), or ``""``
            when the failure was detected client-side.
        detail: human-readable detail from the library (may be ``""``).
        details: the detail fields the server returned with the error (for
            ``execution_not_active``: terminal_outcome, lease_epoch,
            lifecycle_phase, attempt_id).
    """

    code: int = -1
    name: str = "FF_ERROR"
    group: str = "generic"
    server_code: str = ""
    detail: str = ""
    details: Tuple[str, ...] = ()

    def __init__(
        self,
        message: Optional[str] = None,
        *,
        code: Optional[int] = None,
        detail: str = "",
        server_code: str = "",
        details: Sequence[str] = (),
    ) -> None:
        cls = type(self)
        code = cls.code if code is None else code
        name = _NAMES.get(code, cls.name)
        if message is None:
            text = _MESSAGES.get(code, "")
            if detail and detail != text:
                text = f"{text} ({detail})" if text else detail
            message = f"{name}: {text}" if text else name
        super().__init__(message)
        # after Exception.__init__: ImportError.__init__ resets .name/.path
        self.code = code
        self.name = name
        self.group = _GROUPS.get(code, cls.group)
        self.detail = detail
        self.server_code = server_code or _TOKENS.get(code, "")
        self.details = tuple(details)

    @property
    def message(self) -> str:
        """The library's static English text for the code (ff_strerror)."""
        return _MESSAGES.get(self.code, "")


class LibraryError(FlowFabricError, ImportError):
    """libflowfabric cannot be found or loaded (raised by ``import flowfabric``)."""

    code = -14
    name = "FF_EVERSION"
    group = "internal"


class LibraryMismatch(LibraryError):
    """The loaded libflowfabric has another ABI version than the package's
    declarations. ``expected``/``found`` are the two versions, ``path`` the
    library."""

    def __init__(self, message: str, *, expected: int, found: Optional[int], path: str) -> None:
        super().__init__(message, code=-14)
        self.expected = expected
        self.found = found
        self.path = path


# Group classes: the vocabulary documented for ff_status_group(). A group the
# library reports but this table does not know yet gets "<Group>Error".
_GROUP_SPECS: Dict[str, Tuple[str, Tuple[type, ...], str]] = {
    "invalid": ("InvalidInput", (ValueError,), "Bad input: rejected before or by the server, nothing was written."),
    "notfound": ("NotFound", (LookupError,), "The addressed object (execution, waitpoint, ...) does not exist."),
    "conflict": ("Conflict", (), "The call conflicts with the object's current state or another actor."),
    "lease": ("LeaseError", (), "The lease fence was refused: stale, expired, revoked or missing."),
    "state": ("StateError", (), "The execution is not in a state that allows this call."),
    "transport": ("TransportError", (ConnectionError,), "The connection failed or the client is closed."),
    "timeout": ("Timeout", (TimeoutError,), "The per-call deadline passed."),
    "limit": ("LimitExceeded", (), "A size, count or rate limit was reached."),
    "auth": ("AuthError", (), "Authentication or authorisation failed."),
    "internal": ("InternalError", (), "Unexpected failure inside the library or the server."),
}

_NAMES: Dict[int, str] = {}
_GROUPS: Dict[int, str] = {}
_TOKENS: Dict[int, str] = {}
_MESSAGES: Dict[int, str] = {}
_BY_CODE: Dict[int, Type[FlowFabricError]] = {}
_BY_NAME: Dict[str, Type[FlowFabricError]] = {}
_GROUP_CLASSES: Dict[str, Type[FlowFabricError]] = {"generic": FlowFabricError}

__all__: List[str] = ["FlowFabricError", "LibraryError", "LibraryMismatch", "error_class", "raise_for"]


def _camel(token: str) -> str:
    return "".join(part[:1].upper() + part[1:].lower() for part in token.split("_") if part)


def class_name_for(name: str, token: str) -> str:
    """The class name of a status (see the module docstring)."""
    if token:
        return _camel(token)
    bare = name[3:] if name.startswith("FF_") else name
    if bare == "ERROR":
        return "FlowFabricError"
    if bare.startswith("E") and len(bare) > 1:
        return bare[1:].capitalize() + "Error"
    return _camel(bare)


def _group_class(group: str) -> Type[FlowFabricError]:
    cls = _GROUP_CLASSES.get(group)
    if cls is not None:
        return cls
    cname, bases, doc = _GROUP_SPECS.get(group, (_camel(group) + "Error", (), f"Errors of group {group!r}."))
    cls = type(cname, (FlowFabricError,) + bases, {"__doc__": doc, "group": group, "__module__": __name__})
    _GROUP_CLASSES[group] = cls
    globals()[cname] = cls
    __all__.append(cname)
    return cls


def _build(ffi: Any, lib: Any) -> None:
    """Generate the hierarchy from the loaded library's status table."""
    n = int(lib.ff_status_list(ffi.NULL, 0))
    buf = ffi.new("int32_t[]", max(n, 1))
    lib.ff_status_list(buf, n)

    def s(p: Any) -> str:
        return ffi.string(p).decode("utf-8", "replace") if p != ffi.NULL else ""

    for group in _GROUP_SPECS:
        _group_class(group)
    for i in range(n):
        code = int(buf[i])
        if code == 0:
            continue
        name, group = s(lib.ff_status_name(code)), s(lib.ff_status_group(code))
        token, message = s(lib.ff_status_server_token(code)), s(lib.ff_strerror(code))
        _NAMES[code], _GROUPS[code], _TOKENS[code], _MESSAGES[code] = name, group, token, message
        base = _group_class(group)
        cname = class_name_for(name, token)
        if cname == base.__name__ or cname == "FlowFabricError":
            cls = base if cname == base.__name__ else FlowFabricError
        elif cname in globals() and isinstance(globals()[cname], type) and issubclass(globals()[cname], base):
            cls = globals()[cname]  # two codes deriving the same name: share the class
        else:
            doc = f"{name} ({code}): {message}."
            if token:
                doc += f" Server token ``{token}``."
            cls = type(cname, (base,), {"__doc__": doc, "code": code, "name": name, "group": group,
                                        "__module__": __name__})
            globals()[cname] = cls
            __all__.append(cname)
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
    """An exception instance for a status code."""
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


if TYPE_CHECKING:  # the generated names, for static type checkers
    def __getattr__(name: str) -> Type[FlowFabricError]: ...
