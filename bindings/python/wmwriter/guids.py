"""The SDK's GUIDs as :class:`uuid.UUID` values, read from the library's exported globals.

Every ``extern const WMGuid NAME;`` of ``wmwriter.h`` is available here under the same
name (``guids.WMMEDIATYPE_Audio``, ``guids.WMMEDIASUBTYPE_I420``, ...). A ``WMGuid`` is
laid out like the Windows ``GUID``, i.e. the little-endian form of the UUID
(``uuid.UUID(bytes_le=...)``).
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, Union

from . import _ffi

GuidLike = Union[uuid.UUID, str, "_ffi.WMGuid"]


def to_uuid(g: "_ffi.WMGuid") -> uuid.UUID:
    """A ``WMGuid`` struct as a :class:`uuid.UUID`."""
    return uuid.UUID(bytes_le=bytes(g))


def to_wmguid(value: GuidLike) -> "_ffi.WMGuid":
    """A UUID (or its string, or a name of this module such as ``"WMMEDIATYPE_Audio"``) as a ``WMGuid``."""
    if isinstance(value, _ffi.WMGuid):
        return value
    return _ffi.WMGuid.from_buffer_copy(as_uuid(value).bytes_le)


def as_uuid(value: GuidLike) -> uuid.UUID:
    """Normalize a GUID given as UUID, ``WMGuid``, UUID string or exported name."""
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, _ffi.WMGuid):
        return to_uuid(value)
    if isinstance(value, str):
        if value in ALL:
            return ALL[value]
        return uuid.UUID(value)
    raise TypeError(f"expected a GUID (uuid.UUID, str or WMGuid), not {type(value).__name__}")


def name_of(value: GuidLike) -> str:
    """The exported name of a GUID (e.g. ``"WMMEDIASUBTYPE_PCM"``), or its string form."""
    u = as_uuid(value)
    for name, g in ALL.items():
        if g == u:
            return name
    return str(u)


#: Every exported GUID by name.
ALL: Dict[str, uuid.UUID] = {}
for _name in _ffi.GLOBALS:
    _value: Any = getattr(_ffi, _name)
    if isinstance(_value, _ffi.WMGuid):
        ALL[_name] = to_uuid(_value)
globals().update(ALL)

__all__ = ["to_uuid", "to_wmguid", "as_uuid", "name_of", "ALL", *ALL]
