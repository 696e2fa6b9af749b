"""The reference-owning base class and small helpers shared by the wrappers."""

from __future__ import annotations

import ctypes
from typing import Any, Callable, ClassVar, Type, TypeVar

from . import _ffi
from ._errors import call, check

T = TypeVar("T", bound="RefCounted")


class RefCounted:
    """A Python wrapper owning exactly one reference to a wmwriter object.

    The reference is released by :meth:`close` (idempotent), by leaving a ``with``
    block, or by the garbage collector (``__del__``) as a safety net. ``copy.copy(obj)``
    (or :meth:`new_reference`) makes a second wrapper holding its own reference
    (``wm_*_add_ref``), so each wrapper can be closed independently.

    A wrapper can be passed straight to the raw ``_ffi`` functions (it has
    ``_as_parameter_``); a closed one raises :class:`ValueError` there.
    """

    _handle_type: ClassVar[Type[ctypes.Structure]]
    _add_ref_fn: ClassVar[Callable[[Any], int]]
    _release_fn: ClassVar[Callable[[Any], int]]

    @classmethod
    def _wrap(cls: Type[T], handle: Any, *, add_ref: bool = False) -> T:
        """Wrap a handle. The wrapper takes over one reference (a new one if ``add_ref``)."""
        if not handle:
            raise ValueError(f"{cls.__name__}: NULL handle")
        obj = cls.__new__(cls)
        if add_ref:
            cls._add_ref_fn(handle)
        obj.__dict__["_handle"] = handle
        return obj

    @classmethod
    def _out(cls) -> Any:
        """An empty handle to pass by reference as an out-param."""
        return ctypes.POINTER(cls._handle_type)()

    @property
    def _as_parameter_(self) -> Any:
        h = self.__dict__.get("_handle")
        if h is None:
            raise ValueError(f"operation on a closed {type(self).__name__}")
        return h

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has released this wrapper's reference."""
        return self.__dict__.get("_handle") is None

    def close(self) -> None:
        """Release this wrapper's reference. Calling it again does nothing."""
        h = self.__dict__.pop("_handle", None)  # atomic: two threads cannot both release
        if h is not None:
            type(self)._release_fn(h)

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: modules may already be gone
            pass

    def new_reference(self: T) -> T:
        """A second wrapper of the same object with its own reference (``add_ref``)."""
        h = self._as_parameter_
        new = type(self).__new__(type(self))
        new.__dict__.update({k: v for k, v in self.__dict__.items() if k != "_handle"})
        type(self)._add_ref_fn(h)
        new.__dict__["_handle"] = h
        return new

    __copy__ = new_reference

    def __deepcopy__(self, memo: Any) -> Any:
        raise TypeError(
            f"{type(self).__name__} wraps a shared library object; copy.copy() shares it (add_ref), "
            "there is no deep copy"
        )

    def __reduce__(self) -> Any:
        raise TypeError(f"cannot pickle {type(self).__name__}: it wraps a pointer")

    def _refcount(self) -> int:
        """The object's current reference count (diagnostic: add_ref + release)."""
        h = self._as_parameter_
        n = type(self)._add_ref_fn(h)
        type(self)._release_fn(h)
        return n - 1

    @property
    def handle_address(self) -> int:
        """The C handle's address (0 once closed); wrappers of one object compare equal."""
        h = self.__dict__.get("_handle")
        return ctypes.cast(h, ctypes.c_void_p).value or 0 if h is not None else 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RefCounted):
            return NotImplemented
        a = self.handle_address
        return type(self) is type(other) and a == other.handle_address and a != 0

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.handle_address))

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"0x{self.handle_address:x}"
        return f"<wmwriter.{type(self).__name__} {state}>"


def get_string(fn: Callable[..., int], *args: Any, length_type: Any = ctypes.c_uint16) -> str:
    """Read a UTF-8 string with the size-query protocol: ``fn(*args, buffer, &length)``."""
    n = length_type(0)
    call(fn, *args, None, ctypes.byref(n))
    for _ in range(8):  # the value may grow between the two calls (another thread)
        buf = ctypes.create_string_buffer(max(n.value, 1))
        hr = fn(*args, buf, ctypes.byref(n))
        if hr == _ffi.ASF_E_BUFFERTOOSMALL:
            continue
        check(hr, fn.__name__)
        return buf.value.decode("utf-8")
    check(hr, fn.__name__)
    return ""  # unreachable


def get_scalar(fn: Callable[..., int], ctype: Any, *args: Any) -> Any:
    """Call ``fn(*args, &out)`` and return ``out.value``."""
    out = ctype()
    call(fn, *args, ctypes.byref(out))
    return out.value


def utf8(s: str, what: str = "string") -> bytes:
    """Encode a ``str`` for a ``const char *`` parameter."""
    if not isinstance(s, str):
        raise TypeError(f"{what} must be str, not {type(s).__name__}")
    b = s.encode("utf-8")
    if b"\0" in b:
        raise ValueError(f"{what} contains a NUL character")
    return b


def get_out_object(cls: Type[T], fn: Callable[..., int], *args: Any) -> T:
    """Call ``fn(*args, &handle)`` and wrap the new reference it hands out."""
    h = cls._out()
    call(fn, *args, ctypes.byref(h))
    return cls._wrap(h)


__all__ = ["RefCounted", "get_string", "get_scalar", "utf8", "get_out_object"]
