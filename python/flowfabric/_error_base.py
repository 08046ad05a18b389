"""The base classes of the exception hierarchy (see :mod:`flowfabric.errors`)
and what the loaded library says about each status code."""

from __future__ import annotations

from typing import Dict, Optional, Sequence, Tuple


# What the loaded library says about each code (filled by _build at import).
_NAMES: Dict[int, str] = {}
_GROUPS: Dict[int, str] = {}
_TOKENS: Dict[int, str] = {}
_MESSAGES: Dict[int, str] = {}


class FlowFabricError(Exception):
    """Base class of every error raised by :mod:`flowfabric`.

    Attributes:
        code: the status code (negative int, e.g. -100 for FF_STALE_LEASE).
        name: symbolic name, e.g. ``"FF_STALE_LEASE"``.
        group: coarse family (``"lease"``, ``"invalid"``, ...).
        server_code: the server's error token (``"stale_lease"``), or ``""``
            when the failure was detected client-side.
        detail: the sentence explaining this failure (``str(error)``), from
            the library (``ff_op_errmsg``, ``ff_error_detail``) or the
            package; ``""`` when there was none beyond the code's text.
        details: the structured fields the server returned with the error
            (for ``execution_not_active``: terminal_outcome, lease_epoch,
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
            message = detail or _MESSAGES.get(code, "") or name
        elif not detail:
            detail = message
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
