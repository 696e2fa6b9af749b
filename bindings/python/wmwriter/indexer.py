"""The indexer (``IWMIndexer`` / ``IWMIndexer2``): add the seek index to an ASF file.

    ix = wmwriter.Indexer()
    ix.start("clip.wmv", on_status)      # asynchronous, as in the SDK
    hr = ix.wait()                       # S_OK, E_ABORT (cancelled) or the failure

``on_status(status, hr, value)`` runs on the indexer's thread: ``WMT_STARTED``,
``WMT_INDEX_PROGRESS`` (value = percent), ``WMT_CLOSED`` (``hr`` says how it ended).
:meth:`Indexer.index` does all of it and raises :class:`WMError` on failure.
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable, Optional

from . import _ffi
from ._base import RefCounted
from ._errors import WMError, call, check, last_error_message
from .sinks import PathLike, fs_path

StatusCallback = Callable[[int, int, Optional[int]], object]


class Indexer(RefCounted):
    """An indexer object (``WMCreateIndexer``)."""

    _handle_type = _ffi.WMIndexer
    _add_ref_fn = _ffi.wm_indexer_add_ref
    _release_fn = _ffi.wm_indexer_release

    def __init__(self) -> None:
        h = self._out()
        call(_ffi.wm_create_indexer, ctypes.byref(h))
        self.__dict__["_handle"] = h
        self.__dict__["_callback"] = None

    def configure(self, stream: int = 0, indexer_type: int = _ffi.WMT_IT_PRESENTATION_TIME,
                  interval: Optional[int] = None, index_type: Optional[int] = None) -> None:
        """``IWMIndexer2::Configure``: interval in ms (temporal) or frames (frame numbers;
        None = default) or time codes (``WMT_IT_TIMECODE``), index type (None =
        ``WMT_IT_NEAREST_CLEAN_POINT``)."""
        iv = ctypes.c_uint32(interval) if interval is not None else None
        it = ctypes.c_uint32(index_type) if index_type is not None else None
        call(_ffi.wm_indexer_configure, self, stream, indexer_type,
             ctypes.cast(ctypes.byref(iv), ctypes.c_void_p) if iv is not None else None,
             ctypes.cast(ctypes.byref(it), ctypes.c_void_p) if it is not None else None)

    def start(self, path: PathLike, on_status: Optional[StatusCallback] = None) -> None:
        """``IWMIndexer::StartIndexing``: returns at once; ``on_status`` runs on the
        indexer's thread (exceptions in it are ignored)."""

        def tramp(_ctx: Any, status: int, hr: int, _type: int, value: Any, size: int) -> None:
            v = None
            if value and size == 4:
                v = int.from_bytes(bytes(value[i] for i in range(4)), "little")
            if on_status is not None:
                try:
                    on_status(status, hr, v)
                except Exception:  # a Python error must not cross the C thread
                    pass

        cb = _ffi.WMStatusCallback(tramp)
        self.__dict__["_callback"] = cb  # alive until the next start (or close)
        call(_ffi.wm_indexer_start_indexing, self, fs_path(path), cb, None)

    def cancel(self) -> None:
        """``IWMIndexer::Cancel``: the run ends with ``WMT_CLOSED`` / ``E_ABORT``, file unchanged."""
        call(_ffi.wm_indexer_cancel, self)

    def wait(self, timeout_ms: int = 0xFFFFFFFF) -> int:
        """Wait for the run to end (non-SDK ``wm_indexer_wait``); its HRESULT, not raised."""
        return int(_ffi.wm_indexer_wait(self, timeout_ms))

    def index(self, path: PathLike, on_progress: Optional[Callable[[int], object]] = None) -> None:
        """Index ``path`` and wait; raises :class:`WMError` if it failed or was cancelled."""

        def on_status(status: int, hr: int, value: Optional[int]) -> None:
            if status == _ffi.WMT_INDEX_PROGRESS and on_progress is not None and value is not None:
                on_progress(value)

        self.start(path, on_status)
        hr = self.wait()
        if hr < 0:
            raise WMError(hr, last_error_message(), "wm_indexer_start_indexing")
        check(hr, "wm_indexer_wait")
