"""Writer sinks (``IWMWriterSink``): files, and Python callbacks / file objects."""

from __future__ import annotations

import ctypes
import itertools
import os
import threading
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Dict, Optional, Union

from . import _ffi
from ._base import RefCounted, get_out_object, get_scalar
from ._errors import call

if TYPE_CHECKING:
    from .buffer import Buffer

PathLike = Union[str, "os.PathLike[str]"]
DataCallback = Callable[[bytes], object]


def fs_path(path: PathLike) -> bytes:
    """A file name for the C API (``const char *``, UTF-8 on POSIX)."""
    p = os.fsencode(path)
    if b"\0" in p:
        raise ValueError("file name contains a NUL character")
    return p


class Sink(RefCounted):
    """A sink object (``IWMWriterSink``) that a :class:`Writer` delivers the file to."""

    _handle_type = _ffi.WMWriterSink
    _add_ref_fn = _ffi.wm_writer_sink_add_ref
    _release_fn = _ffi.wm_writer_sink_release

    #: An exception raised by a Python callback of this sink, if any.
    error: Optional[BaseException] = None

    @property
    def is_real_time(self) -> bool:
        """``IWMWriterSink::IsRealTime``: True for a network sink."""
        return bool(get_scalar(_ffi.wm_writer_sink_is_real_time, ctypes.c_int32, self))

    def advise(self, fn: "Callable[[int, int, Optional[bytes]], object]") -> None:
        """``IWMRegisterCallback::Advise`` on the sink: see :mod:`wmwriter.status`."""
        from . import status

        status.advise(self, _ffi.wm_writer_sink_advise, fn)

    def unadvise(self, fn: "Callable[[int, int, Optional[bytes]], object]") -> None:
        """``IWMRegisterCallback::Unadvise`` on the sink."""
        from . import status

        status.unadvise(self, _ffi.wm_writer_sink_unadvise, fn)

    def allocate_data_unit(self, size: int) -> "Buffer":
        """``IWMWriterSink::AllocateDataUnit``: a new buffer of ``size`` bytes (length 0)."""
        from .buffer import Buffer

        return get_out_object(Buffer, _ffi.wm_writer_sink_allocate_data_unit, self, size)


class FileSink(Sink):
    """A file sink (``WMCreateWriterFileSink`` + ``IWMWriterFileSink::Open``)."""

    def __init__(self, filename: Optional[PathLike] = None) -> None:
        h = self._out()
        call(_ffi.wm_create_writer_file_sink, ctypes.byref(h))
        self.__dict__["_handle"] = h
        if filename is not None:
            self.open(filename)

    def open(self, filename: PathLike) -> None:
        """Set the file created at the next ``begin_writing``."""
        call(_ffi.wm_writer_file_sink_open, self, fs_path(filename))

    @property
    def auto_indexing(self) -> bool:
        """``IWMWriterFileSink3::Get/SetAutoIndexing`` (default True): False writes no
        index (add it later with :class:`wmwriter.Indexer`). Not while writing."""
        v = ctypes.c_int32()
        call(_ffi.wm_writer_file_sink_get_auto_indexing, self, ctypes.byref(v))
        return bool(v.value)

    @auto_indexing.setter
    def auto_indexing(self, on: bool) -> None:
        call(_ffi.wm_writer_file_sink_set_auto_indexing, self, 1 if on else 0)

    def close_file(self) -> None:
        """Close the sink early (``IWMWriterFileSink2::Close``): the file keeps the
        streaming layout and receives nothing more this session; the writer goes on.
        (:meth:`close` releases the Python reference.)"""
        call(_ffi.wm_writer_file_sink_close, self)

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`close_file` closed it early (``IsClosed``)."""
        return bool(get_scalar(_ffi.wm_writer_file_sink_is_closed, ctypes.c_int32, self))

    @property
    def file_duration(self) -> int:
        """The time written so far, 100 ns (``GetFileDuration``)."""
        return get_scalar(_ffi.wm_writer_file_sink_get_file_duration, ctypes.c_uint64, self)

    @property
    def file_size(self) -> int:
        """Bytes received in the current (or last) session (``GetFileSize``)."""
        return get_scalar(_ffi.wm_writer_file_sink_get_file_size, ctypes.c_uint64, self)

    @property
    def mode(self) -> int:
        """The ``WMT_FM_*`` mode bits (``IWMWriterFileSink3::GetMode``)."""
        return get_scalar(_ffi.wm_writer_file_sink_get_mode, ctypes.c_uint32, self)


# -- callback sinks ------------------------------------------------------------------------
# One set of C trampolines for every callback sink; ``context`` is a key into _LIVE,
# which holds the Python callables until the library calls ``destroy``.


class _State:
    __slots__ = ("on_header", "on_data_unit", "on_end_writing", "sink_error")

    def __init__(self, on_header: Optional[DataCallback], on_data_unit: DataCallback,
                 on_end_writing: Optional[DataCallback]) -> None:
        self.on_header = on_header
        self.on_data_unit = on_data_unit
        self.on_end_writing = on_end_writing
        self.sink_error: Optional[BaseException] = None


_LIVE: Dict[int, _State] = {}
_keys = itertools.count(1)
_lock = threading.Lock()


def _dispatch(which: str, context: Optional[int], data: Any, length: int) -> int:
    state = _LIVE.get(context or 0)
    if state is None:
        return _ffi.E_UNEXPECTED
    fn = getattr(state, which)
    if fn is None:
        return _ffi.S_OK
    try:
        fn(ctypes.string_at(data, length) if length else b"")
    except BaseException as e:  # noqa: BLE001 - reported through the writer's WMError
        state.sink_error = e
        return _ffi.E_FAIL
    return _ffi.S_OK


@_ffi.WMWriterSinkCallbacks_on_header
def _on_header(context: Optional[int], data: Any, length: int) -> int:
    return _dispatch("on_header", context, data, length)


@_ffi.WMWriterSinkCallbacks_on_data_unit
def _on_data_unit(context: Optional[int], data: Any, length: int) -> int:
    return _dispatch("on_data_unit", context, data, length)


@_ffi.WMWriterSinkCallbacks_on_end_writing
def _on_end_writing(context: Optional[int], data: Any, length: int) -> int:
    return _dispatch("on_end_writing", context, data, length)


@_ffi.WMWriterSinkCallbacks_destroy
def _destroy(context: Optional[int]) -> None:
    with _lock:
        _LIVE.pop(context or 0, None)


class CallbackSink(Sink):
    """A sink calling Python functions with the file's bytes (an application ``IWMWriterSink``).

    ``on_header(data)`` gets the ASF header first; with ``can_seek`` it is called again
    at the end with the final header, to be written over the first. ``on_data_unit``
    gets each data packet, ``on_end_writing`` the index objects to append (nothing when
    not seekable). If a callback raises, the writer's call fails with
    ``NS_E_FILE_WRITE`` and the exception is its ``__cause__`` (and in :attr:`error`).
    """

    def __init__(self, on_data_unit: DataCallback, on_header: Optional[DataCallback] = None,
                 on_end_writing: Optional[DataCallback] = None, *, can_seek: bool = False) -> None:
        state = _State(on_header, on_data_unit, on_end_writing)
        with _lock:
            key = next(_keys)
            _LIVE[key] = state
        cb = _ffi.WMWriterSinkCallbacks(
            context=key, on_header=_on_header, on_data_unit=_on_data_unit, on_end_writing=_on_end_writing,
            can_seek=int(bool(can_seek)), destroy=_destroy,
        )
        h = self._out()
        try:
            call(_ffi.wm_create_writer_callback_sink, ctypes.byref(cb), ctypes.byref(h))
        except BaseException:
            with _lock:
                _LIVE.pop(key, None)
            raise
        self.__dict__["_handle"] = h
        self.__dict__["_state"] = state

    @property
    def error(self) -> Optional[BaseException]:  # type: ignore[override]
        """The exception a callback raised, if any."""
        return self.__dict__["_state"].sink_error

    @classmethod
    def to_file(cls, f: BinaryIO) -> "CallbackSink":
        """A sink writing to a binary file object (``io.BytesIO``, an open file, ...).

        Seekable objects get the final header written over the first one and the index
        appended, like a file sink; others get the streaming layout.
        """
        seekable = bool(getattr(f, "seekable", lambda: False)())
        start = f.tell() if seekable else 0
        headers = [0]

        def on_header(data: bytes) -> None:
            if headers[0] and seekable:
                pos = f.tell()
                f.seek(start)
                f.write(data)
                f.seek(pos)
            else:
                f.write(data)
            headers[0] += 1

        return cls(f.write, on_header, f.write, can_seek=seekable)


__all__ = ["Sink", "FileSink", "CallbackSink", "fs_path"]
