"""``IWMRegisterCallback`` for writers and sinks: ``advise(fn)`` / ``unadvise(fn)``.

``fn(status, hr, value)`` gets a ``WMT_*`` status (``WMT_STARTED``, ``WMT_CLOSED``,
``WMT_ERROR``, ``WMT_CLIENT_CONNECT`` / ``WMT_CLIENT_DISCONNECT``), its HRESULT and the
status's value as bytes (``WM_CLIENT_PROPERTIES`` for client statuses) or None. Writer
and sink session statuses come on the thread of the writer call that caused them;
network client statuses on the sink's server threads. An exception in ``fn`` is kept in
the object's ``status_error`` (the first one); it never crosses into the library.
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable, Optional

from . import _ffi
from ._errors import call

StatusFn = Callable[[int, int, Optional[bytes]], object]


def _make(owner_dict: dict, fn: StatusFn) -> Any:
    def tramp(_ctx: Any, status: int, hr: int, _type: int, value: Any, size: int) -> None:
        try:
            data = ctypes.string_at(value, size) if value and size else None
            fn(status, hr, data)
        except BaseException as e:  # nothing may unwind through the library
            if owner_dict.get("status_error") is None:
                owner_dict["status_error"] = e

    return _ffi.WMStatusCallback(tramp)


def advise(obj: Any, advise_fn: Any, fn: StatusFn) -> None:
    d = obj.__dict__
    cbs = d.setdefault("_status_callbacks", {})
    if id(fn) in cbs:
        raise ValueError("this function is already advised")
    cb = _make(d, fn)
    call(advise_fn, obj, cb, None)
    cbs[id(fn)] = (fn, cb)  # alive until unadvised (and the object closed)


def unadvise(obj: Any, unadvise_fn: Any, fn: StatusFn) -> None:
    cbs = obj.__dict__.get("_status_callbacks", {})
    entry = cbs.get(id(fn))
    if entry is None:
        raise ValueError("this function is not advised")
    call(unadvise_fn, obj, entry[1], None)
    del cbs[id(fn)]
