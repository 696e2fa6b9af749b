"""Header attributes (``IWMHeaderInfo``) as a dict-like view, with type mapping."""

from __future__ import annotations

import ctypes
import struct
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, List, MutableMapping, NamedTuple, Tuple

from . import _ffi
from ._base import utf8
from ._errors import call, check

if TYPE_CHECKING:
    from .writer import Writer

_FIXED = {_ffi.WMT_TYPE_DWORD: 4, _ffi.WMT_TYPE_QWORD: 8, _ffi.WMT_TYPE_WORD: 2, _ffi.WMT_TYPE_BOOL: 4,
          _ffi.WMT_TYPE_GUID: 16}


class Typed(NamedTuple):
    """A value with an explicit ``WMT_TYPE_*``, e.g. ``Typed(7, WMT_TYPE_WORD)``."""

    value: Any
    type: int


@dataclass
class Picture:
    """Album art for ``WM/Picture`` (stored in the SDK's binary ``WM_PICTURE`` layout)."""

    mime_type: str
    data: bytes
    picture_type: int = 3  # front cover
    description: str = ""

    def to_bytes(self) -> bytes:
        """The SDK's layout: type (1 byte), data length (4), MIME and description
        (UTF-16LE, NUL-terminated), data."""
        wstr = lambda s: s.encode("utf-16-le") + b"\0\0"  # noqa: E731
        return (struct.pack("<BI", self.picture_type, len(self.data)) + wstr(self.mime_type)
                + wstr(self.description) + bytes(self.data))

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Picture":
        """Parse the SDK's layout; :class:`ValueError` if ``raw`` is not one."""
        raw = bytes(raw)
        if len(raw) < 9:
            raise ValueError("too short for a WM/Picture value")
        ptype, n = struct.unpack_from("<BI", raw)
        pos = 5
        strings = []
        for _ in range(2):
            end = pos
            while end + 2 <= len(raw) and raw[end:end + 2] != b"\0\0":
                end += 2
            if end + 2 > len(raw):
                raise ValueError("unterminated string in a WM/Picture value")
            strings.append(raw[pos:end].decode("utf-16-le"))
            pos = end + 2
        if pos + n != len(raw):
            raise ValueError(f"WM/Picture data length {n} does not match the {len(raw) - pos} bytes left")
        return cls(strings[0], raw[pos:], ptype, strings[1])


def encode(value: Any) -> Tuple[int, bytes]:
    """A Python value as (``WMT_TYPE_*``, the bytes the C API takes).

    ``str`` -> STRING (UTF-8 + NUL), ``bool`` -> BOOL, ``int`` -> DWORD when it fits in
    32 bits else QWORD, ``bytes``/``bytearray``/``memoryview`` -> BINARY, ``uuid.UUID`` ->
    GUID, :class:`Picture` -> BINARY, :class:`Typed` -> its type.
    """
    if isinstance(value, Typed):
        t, v = value.type, value.value
        if t == _ffi.WMT_TYPE_STRING:
            return t, utf8(v, "value") + b"\0"
        if t == _ffi.WMT_TYPE_BINARY:
            return t, bytes(v)
        if t == _ffi.WMT_TYPE_GUID:
            return t, uuid.UUID(str(v)).bytes_le
        if t in _FIXED:
            return t, int(v).to_bytes(_FIXED[t], "little")
        raise ValueError(f"unknown attribute type {t}")
    if isinstance(value, bool):
        return _ffi.WMT_TYPE_BOOL, int(value).to_bytes(4, "little")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"attribute integers are unsigned; got {value}")
        if value <= 0xFFFFFFFF:
            return _ffi.WMT_TYPE_DWORD, value.to_bytes(4, "little")
        if value <= 0xFFFFFFFFFFFFFFFF:
            return _ffi.WMT_TYPE_QWORD, value.to_bytes(8, "little")
        raise ValueError(f"{value} does not fit in a QWORD")
    if isinstance(value, str):
        return _ffi.WMT_TYPE_STRING, utf8(value, "value") + b"\0"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _ffi.WMT_TYPE_BINARY, bytes(value)
    if isinstance(value, uuid.UUID):
        return _ffi.WMT_TYPE_GUID, value.bytes_le
    if isinstance(value, Picture):
        return _ffi.WMT_TYPE_BINARY, value.to_bytes()
    raise TypeError(f"cannot store a {type(value).__name__} as an attribute (use str, int, bool, bytes, "
                    "uuid.UUID, Picture or Typed)")


def decode(attr_type: int, raw: bytes, name: str = "") -> Any:
    """The bytes the C API returns as a Python value (the inverse of :func:`encode`)."""
    if attr_type == _ffi.WMT_TYPE_STRING:
        return raw[:-1].decode("utf-8") if raw.endswith(b"\0") else raw.decode("utf-8")
    if attr_type == _ffi.WMT_TYPE_BOOL:
        return int.from_bytes(raw, "little") != 0
    if attr_type in (_ffi.WMT_TYPE_DWORD, _ffi.WMT_TYPE_QWORD, _ffi.WMT_TYPE_WORD):
        return int.from_bytes(raw, "little")
    if attr_type == _ffi.WMT_TYPE_GUID:
        return uuid.UUID(bytes_le=bytes(raw))
    if attr_type == _ffi.WMT_TYPE_BINARY and name == "WM/Picture":
        try:
            return Picture.from_bytes(raw)
        except (ValueError, struct.error):  # UnicodeDecodeError is a ValueError
            return bytes(raw)
    return bytes(raw)


def _value_pointer(name: bytes, raw: bytes) -> Tuple[Any, Any]:
    """A pointer to ``raw`` for the ``value`` parameter (and the object to keep alive).

    ``wm_writer_set_attribute`` / ``add_attribute`` take a ``WM/Picture`` value either in
    the SDK's binary layout or as a ``WM_PICTURE`` struct (with pointers), and tell them
    apart by length (``sizeof(WM_PICTURE)``) and pointer alignment (plus, since 47c62df,
    whether the bytes parse as the binary layout). 40 bytes that are not a valid layout
    are still read as a struct and their bytes followed as pointers (a crash), so the
    bindings always pass ``WM/Picture`` bytes at an odd address: never taken for a struct.
    """
    n = len(raw)
    holder = (ctypes.c_uint8 * (n + 1))()
    offset = 1 if name == b"WM/Picture" else 0
    ctypes.memmove(ctypes.addressof(holder) + offset, raw, n)
    ptr = ctypes.cast(ctypes.addressof(holder) + offset, ctypes.POINTER(ctypes.c_uint8))
    return ptr, holder


class Metadata(MutableMapping[str, Any]):
    """The attributes of one stream (0 = the file) of a :class:`Writer`, as a mapping.

    ``m["Title"] = "x"`` replaces every attribute of that name (``SetAttribute``; values
    over 64 KiB, and GUIDs, go through ``AddAttribute``); ``m["Title"]`` reads the first
    one (``GetAttributeByName``, which also answers computed attributes such as
    ``Duration``); ``del m["Title"]`` removes them all; iteration gives each name once.
    :meth:`add` appends a duplicate, :meth:`get_all` returns every value of a name.
    Changes are only allowed before ``begin_writing``.
    """

    def __init__(self, writer: "Writer", stream: int = 0) -> None:
        self._writer = writer
        self._stream = stream

    @property
    def stream(self) -> int:
        """The stream number (0: file level)."""
        return self._stream

    # -- reading ----------------------------------------------------------------------------

    def _get_by_name(self, name: str) -> Tuple[int, bytes]:
        key = utf8(name, "attribute name")
        fn = _ffi.wm_writer_get_attribute_by_name
        stream = ctypes.c_uint16(self._stream)
        attr_type = _ffi.WMT_ATTR_DATATYPE()
        n = ctypes.c_uint16(0)
        hr = fn(self._writer, ctypes.byref(stream), key, ctypes.byref(attr_type), None, ctypes.byref(n))
        if hr == _ffi.ASF_E_NOTFOUND:
            raise KeyError(name)
        if hr == _ffi.ASF_E_BUFFERTOOSMALL and n.value == 0:
            # Over 64 KiB: GetAttributeByName's 16-bit length cannot say how big; the
            # 32-bit GetAttributeByIndexEx can.
            indices = self._indices(name)
            if indices:
                _, t, _, raw = self._by_index(indices[0])
                return t, raw
        check(hr, fn.__name__)
        buf = (ctypes.c_uint8 * max(n.value, 1))()
        stream = ctypes.c_uint16(self._stream)
        call(fn, self._writer, ctypes.byref(stream), key, ctypes.byref(attr_type), buf, ctypes.byref(n))
        return attr_type.value, bytes(buf[: n.value])

    def __getitem__(self, name: str) -> Any:
        t, raw = self._get_by_name(name)
        return decode(t, raw, name)

    def get_typed(self, name: str) -> Typed:
        """The first value of ``name`` with its ``WMT_TYPE_*``."""
        t, raw = self._get_by_name(name)
        return Typed(decode(t, raw, name), t)

    def _count(self) -> int:
        n = ctypes.c_uint16()
        call(_ffi.wm_writer_get_attribute_count, self._writer, self._stream, ctypes.byref(n))
        return n.value

    def _by_index(self, index: int) -> Tuple[str, int, int, bytes]:
        """(name, type, language, value) of attribute ``index`` (``GetAttributeByIndexEx``)."""
        fn = _ffi.wm_writer_get_attribute_by_index_ex
        name_len = ctypes.c_uint16(0)
        value_len = ctypes.c_uint32(0)
        attr_type = _ffi.WMT_ATTR_DATATYPE()
        lang = ctypes.c_uint16()
        call(fn, self._writer, self._stream, index, None, ctypes.byref(name_len), ctypes.byref(attr_type),
             ctypes.byref(lang), None, ctypes.byref(value_len))
        name = ctypes.create_string_buffer(max(name_len.value, 1))
        value = (ctypes.c_uint8 * max(value_len.value, 1))()
        call(fn, self._writer, self._stream, index, name, ctypes.byref(name_len), ctypes.byref(attr_type),
             ctypes.byref(lang), value, ctypes.byref(value_len))
        return name.value.decode("utf-8"), attr_type.value, lang.value, bytes(value[: value_len.value])

    def _indices(self, name: str) -> List[int]:
        fn = _ffi.wm_writer_get_attribute_indices
        key = utf8(name, "attribute name")
        count = ctypes.c_uint16(0)
        call(fn, self._writer, self._stream, key, None, None, ctypes.byref(count))
        if not count.value:
            return []
        arr = (ctypes.c_uint16 * count.value)()
        call(fn, self._writer, self._stream, key, None, arr, ctypes.byref(count))
        return list(arr[: count.value])

    def get_all(self, name: str) -> List[Any]:
        """Every value called ``name`` (duplicates made by :meth:`add`), in index order."""
        out = []
        for i in self._indices(name):
            _, t, _, raw = self._by_index(i)
            out.append(decode(t, raw, name))
        return out

    def items_with_duplicates(self) -> List[Tuple[str, Any]]:
        """Every (name, value) in index order, duplicates included."""
        out = []
        for i in range(self._count()):
            name, t, _, raw = self._by_index(i)
            out.append((name, decode(t, raw, name)))
        return out

    def __iter__(self) -> Iterator[str]:
        seen = set()
        for i in range(self._count()):
            name = self._by_index(i)[0]
            if name not in seen:
                seen.add(name)
                yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self._get_by_name(name)
        except KeyError:
            return False
        return True

    # -- writing ----------------------------------------------------------------------------

    def __setitem__(self, name: str, value: Any) -> None:
        t, raw = encode(value)
        key = utf8(name, "attribute name")
        if t == _ffi.WMT_TYPE_GUID or len(raw) > 0xFFFF:
            # SetAttribute takes no GUIDs and at most 64 KiB: replace by delete + add.
            for i in reversed(self._indices(name)):
                call(_ffi.wm_writer_delete_attribute, self._writer, self._stream, i)
            self.add(name, value)
            return
        ptr, keep = _value_pointer(key, raw)
        call(_ffi.wm_writer_set_attribute, self._writer, self._stream, key, t, ptr, len(raw))
        del keep

    def add(self, name: str, value: Any, language: int = 0) -> int:
        """Append an attribute even if the name exists (``AddAttribute``); returns its index."""
        t, raw = encode(value)
        key = utf8(name, "attribute name")
        ptr, keep = _value_pointer(key, raw)
        index = ctypes.c_uint16()
        call(_ffi.wm_writer_add_attribute, self._writer, self._stream, key, ctypes.byref(index), t, language,
             ptr, len(raw))
        del keep
        return index.value

    def __delitem__(self, name: str) -> None:
        indices = self._indices(name)
        if not indices:
            raise KeyError(name)
        for i in reversed(indices):
            call(_ffi.wm_writer_delete_attribute, self._writer, self._stream, i)

    def __repr__(self) -> str:
        try:
            return f"<wmwriter.Metadata stream {self._stream} {dict(self)!r}>"
        except Exception:  # e.g. while writing
            return f"<wmwriter.Metadata stream {self._stream}>"


__all__ = ["Metadata", "Typed", "Picture", "encode", "decode"]
