"""Sample buffers (``INSSBuffer``) and zero-copy access to Python buffers."""

from __future__ import annotations

import ctypes
import sys
import uuid
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Optional, Tuple

from . import _ffi
from ._base import RefCounted, get_scalar
from ._errors import WMError, call, check
from .guids import GuidLike, to_uuid, to_wmguid

# ---------------------------------------------------------------------------------------
# Reading any C-contiguous Python buffer in place (bytes, bytearray, memoryview, numpy,
# array.array, mmap, ...) through the C buffer protocol: PyObject_GetBuffer gives the
# exporter's own memory address, so nothing is copied on the Python side.


class _PyBuffer(ctypes.Structure):
    """CPython's ``Py_buffer`` (stable layout since 3.3)."""

    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_PyBUF_C_CONTIGUOUS = 0x0020 | 0x0010 | 0x0008  # C_CONTIGUOUS | STRIDES | ND

_pythonapi: Any = getattr(ctypes, "pythonapi", None)
if _pythonapi is not None and sys.implementation.name == "cpython":
    _get_buffer = _pythonapi.PyObject_GetBuffer
    _get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
    _get_buffer.restype = ctypes.c_int
    _release_buffer = _pythonapi.PyBuffer_Release
    _release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]
    _release_buffer.restype = None
else:  # pragma: no cover - other interpreters
    _get_buffer = None


@contextmanager
def readable(data: Any) -> Iterator[Tuple[int, int]]:
    """``(address, nbytes)`` of ``data``'s memory, valid inside the ``with`` block.

    ``data`` is anything with the buffer protocol that is C-contiguous (``bytes``,
    ``bytearray``, ``memoryview``, numpy arrays, ``array.array``, ...). Nothing is copied.
    Raises :class:`BufferError` for non-contiguous data and :class:`TypeError` for
    objects without the buffer protocol.
    """
    if isinstance(data, Buffer):
        yield data.address, data.length
        return
    if _get_buffer is None:  # pragma: no cover - no C API: fall back to ctypes views
        mv = memoryview(data)
        if not mv.c_contiguous:
            raise BufferError("the data is not C-contiguous")
        mv = mv.cast("B")
        if mv.readonly:
            holder = ctypes.create_string_buffer(bytes(mv), len(mv))  # one extra copy
        else:
            holder = (ctypes.c_char * len(mv)).from_buffer(mv)
        yield ctypes.addressof(holder), len(mv)
        return
    view = _PyBuffer()
    try:
        _get_buffer(data, ctypes.byref(view), _PyBUF_C_CONTIGUOUS)
    except (BufferError, ValueError) as e:  # numpy says ValueError
        raise BufferError(f"the data must be C-contiguous ({e})") from None
    try:
        yield view.buf or 0, view.len
    finally:
        _release_buffer(ctypes.byref(view))


# ---------------------------------------------------------------------------------------


class _Memory:
    """Keeps a buffer's memory alive while views of it exist (owns one reference)."""

    __slots__ = ("handle", "__weakref__")

    def __init__(self, handle: Any) -> None:
        _ffi.wm_buffer_add_ref(handle)
        self.handle = handle

    def __del__(self) -> None:
        try:
            _ffi.wm_buffer_release(self.handle)
        except Exception:  # pragma: no cover - interpreter shutdown
            pass


class Buffer(RefCounted):
    """A sample buffer (``INSSBuffer``): ``max_length`` bytes, of which ``length`` are used.

    Fill it in place, without copies, through :attr:`view` (a writable ``memoryview``;
    also what ``memoryview(buffer)`` gives on Python 3.12+), e.g.
    ``numpy.frombuffer(buffer.view, numpy.int16)[:] = samples``, then set
    :attr:`length` and pass it to :meth:`Writer.write`. The views keep the memory
    alive even after :meth:`close`. Do not touch the bytes after writing the buffer:
    the writer reads them until they are in the file.
    """

    _handle_type = _ffi.WMBuffer
    _add_ref_fn = _ffi.wm_buffer_add_ref
    _release_fn = _ffi.wm_buffer_release

    def __init__(self, max_length: int) -> None:
        """A stand-alone buffer (``wm_create_buffer``); writers hand out pooled ones
        with :meth:`Writer.allocate_sample`."""
        h = self._out()
        call(_ffi.wm_create_buffer, max_length, ctypes.byref(h))
        self.__dict__["_handle"] = h

    @property
    def length(self) -> int:
        """The used length in bytes."""
        return get_scalar(_ffi.wm_buffer_get_length, ctypes.c_uint32, self)

    @length.setter
    def length(self, value: int) -> None:
        call(_ffi.wm_buffer_set_length, self, value)

    @property
    def max_length(self) -> int:
        """The capacity in bytes."""
        return get_scalar(_ffi.wm_buffer_get_max_length, ctypes.c_uint32, self)

    @property
    def address(self) -> int:
        """The address of the buffer's bytes (``wm_buffer_get_buffer``)."""
        p = ctypes.POINTER(ctypes.c_uint8)()
        call(_ffi.wm_buffer_get_buffer, self, ctypes.byref(p))
        return ctypes.cast(p, ctypes.c_void_p).value or 0

    @property
    def view(self) -> memoryview:
        """A writable ``memoryview`` (format ``'B'``) of all ``max_length`` bytes, in place."""
        arr = self.__dict__.get("_array")
        if arr is None:
            n = self.max_length
            arr = (ctypes.c_ubyte * n).from_address(self.address)
            arr._memory = _Memory(self._as_parameter_)  # type: ignore[attr-defined]  # views outlive close()
            self.__dict__["_array"] = arr
        return memoryview(arr).cast("B")

    def __buffer__(self, flags: int) -> memoryview:  # PEP 688 (Python 3.12+)
        return self.view

    def write_data(self, data: Any, offset: int = 0) -> None:
        """Copy ``data`` (any C-contiguous buffer) to byte ``offset`` and set
        ``length = offset + len(data)``: one copy, straight from ``data``'s memory."""
        with readable(data) as (src, n):
            if offset < 0 or offset + n > self.max_length:
                raise ValueError(f"{n} bytes at offset {offset} do not fit in {self.max_length}")
            if n:
                ctypes.memmove(self.address + offset, src, n)
        self.length = offset + n

    def tobytes(self) -> bytes:
        """The used bytes (a copy)."""
        p = ctypes.POINTER(ctypes.c_uint8)()
        n = ctypes.c_uint32()
        call(_ffi.wm_buffer_get_buffer_and_length, self, ctypes.byref(p), ctypes.byref(n))
        return ctypes.string_at(p, n.value) if n.value else b""

    # -- INSSBuffer2: sample properties ---------------------------------------------------

    @property
    def sample_properties(self) -> bytes:
        """The buffer's sample-properties block (``INSSBuffer2``; b'' if none).

        Set it to any bytes-like value (b'' clears it). It travels with the buffer only:
        per-sample data for the file goes in :meth:`set_property`.
        """
        # GetSampleProperties has no size query: the length is the smallest size that
        # is not ASF_E_BUFFERTOOSMALL (doubling, then bisection).
        def fits(n: int) -> Optional[bytes]:
            out = (ctypes.c_uint8 * max(n, 1))()
            hr = _ffi.wm_buffer_get_sample_properties(self, n, out if n else None)
            if hr == _ffi.ASF_E_BUFFERTOOSMALL:
                return None
            check(hr, "wm_buffer_get_sample_properties")
            return bytes(out)[:n]

        if fits(0) is not None:
            return b""
        lo, hi = 0, 64  # lo: too small, hi: candidate
        while fits(hi) is None:
            lo, hi = hi, hi * 2
            if hi > 1 << 32:
                raise WMError(_ffi.ASF_E_BUFFERTOOSMALL, "no size fits", "wm_buffer_get_sample_properties")
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if fits(mid) is None:
                lo = mid
            else:
                hi = mid
        data = fits(hi)
        assert data is not None
        return data

    @sample_properties.setter
    def sample_properties(self, value: Any) -> None:
        with readable(value) as (src, n):
            p = ctypes.cast(src, ctypes.POINTER(ctypes.c_uint8)) if n else None
            call(_ffi.wm_buffer_set_sample_properties, self, n, p)

    # -- INSSBuffer3/4: properties (the stream's data-unit extensions) -------------------

    def set_property(self, id: GuidLike, value: Any) -> None:
        """Attach a sample property (``INSSBuffer3::SetProperty``), e.g. the 14-byte
        ``guids.WM_SampleExtensionGUID_Timecode`` value; replaces one with the same ID.
        The stream must declare the extension for it to reach the file."""
        g = to_wmguid(id)
        with readable(value) as (src, n):
            p = ctypes.cast(src, ctypes.POINTER(ctypes.c_uint8)) if n else None
            call(_ffi.wm_buffer_set_property, self, ctypes.byref(g), p, n)

    def get_property(self, id: GuidLike) -> bytes:
        """A sample property's value (``INSSBuffer3::GetProperty``); ``WMError``
        ``NS_E_UNSUPPORTED_PROPERTY`` if it is not set."""
        g = to_wmguid(id)
        n = ctypes.c_uint32(0)
        call(_ffi.wm_buffer_get_property, self, ctypes.byref(g), None, ctypes.byref(n))
        out = (ctypes.c_uint8 * max(n.value, 1))()
        call(_ffi.wm_buffer_get_property, self, ctypes.byref(g), out, ctypes.byref(n))
        return bytes(out)[: n.value]

    @property
    def property_count(self) -> int:
        """How many properties are set (``INSSBuffer4::GetPropertyCount``)."""
        return get_scalar(_ffi.wm_buffer_get_property_count, ctypes.c_uint32, self)

    def property_by_index(self, index: int) -> Tuple[uuid.UUID, bytes]:
        """Property ``index`` as (ID, value), in the order first set
        (``INSSBuffer4::GetPropertyByIndex``)."""
        g = _ffi.WMGuid()
        n = ctypes.c_uint32(0)
        call(_ffi.wm_buffer_get_property_by_index, self, index, ctypes.byref(g), None, ctypes.byref(n))
        out = (ctypes.c_uint8 * max(n.value, 1))()
        call(_ffi.wm_buffer_get_property_by_index, self, index, ctypes.byref(g), out, ctypes.byref(n))
        return to_uuid(g), bytes(out)[: n.value]

    @property
    def properties(self) -> Dict[uuid.UUID, bytes]:
        """Every property by ID (in the order first set)."""
        return dict(self.property_by_index(i) for i in range(self.property_count))

    def close(self) -> None:
        self.__dict__.pop("_array", None)
        super().close()

    def __repr__(self) -> str:
        if self.closed:
            return "<wmwriter.Buffer closed>"
        return f"<wmwriter.Buffer {self.length}/{self.max_length} bytes>"


__all__ = ["Buffer", "readable"]
