"""Checking and converting arguments before they reach a C parameter.

cffi raises builtin ``OverflowError`` / ``UnicodeEncodeError`` when a value
does not fit the C type; the public API promises :class:`InvalidArgument`
(an :class:`InvalidInput`, so a ``ValueError``) for any value of the right
Python type that is out of range or not valid text, and ``TypeError`` for a
wrong type. Every number and string the package hands to the library goes
through one of these functions.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Optional, Tuple, Union

from .errors import InvalidArgument

INT32: Tuple[int, int] = (-(2**31), 2**31 - 1)
UINT32: Tuple[int, int] = (0, 2**32 - 1)
INT64: Tuple[int, int] = (-(2**63), 2**63 - 1)
UINT64: Tuple[int, int] = (0, 2**64 - 1)

#: A duration: seconds (int/float) or a :class:`datetime.timedelta`.
Duration = Union[int, float, _dt.timedelta]
#: A point in time: a timezone-aware :class:`datetime.datetime` (naive ones
#: are taken as local time) or unix seconds (int/float).
When = Union[int, float, _dt.datetime]


def integer(v: object, what: str, lo: int, hi: int) -> int:
    """``v`` as an int in ``lo..hi`` (bool is not an int here)."""
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{what} must be an int, not {type(v).__name__}")
    if not lo <= v <= hi:
        raise InvalidArgument(f"{what} must be an integer from {lo} to {hi}; got {v}")
    return v


def _float(v: object, what: str, expected: str) -> float:
    """``v`` (an int or a float, not a bool) as a float; an int too large
    for a float is infinite, so the caller's range check words the error,
    never OverflowError."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"{what} must be {expected}, not {type(v).__name__}")
    try:
        return float(v)
    except OverflowError:
        return math.inf


def real(v: object, what: str) -> float:
    """``v`` as a finite float."""
    f = _float(v, what, "a number")
    if not math.isfinite(f):
        raise InvalidArgument(f"{what} must be a finite number; got {v!r}")
    return f


def _ms(seconds: float, what: str, unit: str) -> int:
    if not math.isfinite(seconds):
        raise InvalidArgument(f"{what} must be a finite number of {unit}; got {seconds!r}")
    if seconds < 0:
        raise InvalidArgument(f"{what} must not be negative; got {seconds!r}")
    if seconds * 1000 >= INT64[1]:
        raise InvalidArgument(f"{what} is too large: at most {INT64[1] // 1000} {unit}; got {seconds!r}")
    return int(round(seconds * 1000))


def duration_ms(d: Duration, what: str) -> int:
    """Milliseconds (0..INT64_MAX) of a duration: seconds or a timedelta."""
    if isinstance(d, _dt.timedelta):
        return _ms(d.total_seconds(), what, "seconds")
    return _ms(_float(d, what, "seconds (int/float) or a timedelta"), what, "seconds")


def unix_ms(t: When, what: str) -> int:
    """Unix milliseconds (0..INT64_MAX) of a point in time: a datetime or
    unix seconds."""
    if isinstance(t, _dt.datetime):
        try:
            sec = t.timestamp()
        except (OverflowError, OSError, ValueError) as e:
            raise InvalidArgument(f"{what} is not a representable point in time: {e}") from None
        if sec < 0:
            raise InvalidArgument(f"{what} must not be before 1970-01-01; got {t.isoformat()}")
        return _ms(sec, what, "unix seconds")
    return _ms(_float(t, what, "a datetime or unix seconds"), what, "unix seconds")


def utf8(s: Union[str, bytes, bytearray], what: str, *, nul: bool = False) -> bytes:
    """The UTF-8 bytes of a text argument: a str that can be encoded (no lone
    surrogates), or bytes that are valid UTF-8; no NUL character unless
    ``nul`` (payloads given as str)."""
    if isinstance(s, str):
        try:
            b = s.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidArgument(f"{what} is not valid text: {s[e.start:e.end]!r} at position {e.start} "
                                  f"cannot be encoded as UTF-8 ({e.reason})") from None
    elif isinstance(s, (bytes, bytearray)):
        b = bytes(s)
        try:
            b.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InvalidArgument(f"{what} is not valid UTF-8: byte {b[e.start:e.start + 1]!r} at "
                                  f"position {e.start} ({e.reason})") from None
    else:
        raise TypeError(f"{what} must be str, not {type(s).__name__}")
    if not nul and b"\0" in b:
        raise InvalidArgument(f"{what} must not contain NUL characters")
    return b


def optional_utf8(s: Optional[Union[str, bytes, bytearray]], what: str) -> Optional[bytes]:
    return None if s is None else utf8(s, what)
