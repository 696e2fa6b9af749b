"""``WMError`` and the HRESULT check every wrapper call goes through."""

from __future__ import annotations

from typing import Any, Callable, Optional

from . import _ffi


def hresult_name(hr: int) -> str:
    """The symbolic name of an HRESULT (``"NS_E_INVALID_REQUEST"``), from the library."""
    raw = _ffi.wm_hresult_name(_to_signed(hr))
    return raw.decode("utf-8", "replace") if raw else "unknown HRESULT"


def last_error_message() -> str:
    """The library's sentence about the last failing call on this thread ('' if none)."""
    raw = _ffi.wm_get_last_error_message()
    return raw.decode("utf-8", "replace") if raw else ""


def _to_signed(hr: int) -> int:
    hr &= 0xFFFFFFFF
    return hr - (1 << 32) if hr & 0x80000000 else hr


class WMError(Exception):
    """A wmwriter call failed.

    Attributes:
        hresult: the HRESULT, as a signed 32-bit int (compare with ``wmwriter.E_INVALIDARG`` etc.).
        name: its symbolic name, e.g. ``"NS_E_INVALID_REQUEST"`` (``wm_hresult_name``).
        message: what the library objected to (``wm_get_last_error_message``), may be ''.
        function: the C function that failed, e.g. ``"wm_writer_allocate_sample"``.
    """

    def __init__(self, hresult: int, message: str = "", function: str = "", name: Optional[str] = None) -> None:
        self.hresult: int = _to_signed(hresult)
        self.name: str = name if name is not None else hresult_name(self.hresult)
        self.message: str = message
        self.function: str = function
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.function}: " if self.function else ""
        text = f"{head}{self.name} (0x{self.hresult & 0xFFFFFFFF:08X})"
        return f"{text}: {self.message}" if self.message else text

    def __repr__(self) -> str:
        return f"WMError({self.name}, 0x{self.hresult & 0xFFFFFFFF:08X}, {self.message!r})"

    def __reduce__(self) -> Any:  # picklable (e.g. across multiprocessing)
        return (WMError, (self.hresult, self.message, self.function, self.name))


def check(hr: int, function: str) -> int:
    """Raise :class:`WMError` if ``hr`` is a failure; return it otherwise (S_OK / S_FALSE)."""
    if hr < 0:
        # Read the message at once: it belongs to this thread and lasts until its next failure.
        raise WMError(hr, last_error_message(), function)
    return hr


def call(fn: Callable[..., int], *args: Any) -> int:
    """Call a raw ``_ffi`` function returning an HRESULT and check it."""
    return check(fn(*args), fn.__name__)
