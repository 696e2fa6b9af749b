"""wmwriter: write ASF files (.wma/.wmv) from Python through the wmwriter C library.

A Pythonic layer over ``libwmwriter`` (a Rust reimplementation of the Windows Media
Format SDK writer, ``IWMWriter``)::

    import numpy as np
    import wmwriter

    profile = wmwriter.Profile()
    profile.add_audio_stream(channels=2, rate=44100, bits=16)
    writer = wmwriter.Writer(profile, "out.wma")
    writer.metadata["Title"] = "Silence"              # attributes: before writing
    pcm = np.zeros((44100, 2), dtype=np.int16)        # 1 s of silence
    with writer:                                      # begin_writing ... end_writing
        writer.write("Audio", 0, pcm)                 # input "Audio" at t = 0 (100-ns units)

Every failing call raises :class:`WMError` (``.hresult``, ``.name``, ``.message``).
Objects own one reference to their C object, released by ``close()``, ``with`` or the
garbage collector. The raw ctypes declarations of the whole header are in
:mod:`wmwriter._ffi` (constants are re-exported here: ``wmwriter.NS_E_INVALID_REQUEST``).

The library is found through ``$WMWRITER_LIBRARY``, the package directory, a
repository checkout's ``target/release``, then the system (see :mod:`wmwriter._loader`).
"""

from __future__ import annotations

from . import _ffi, guids
from ._errors import WMError, hresult_name, last_error_message
from ._loader import library_path as _library_path
from .buffer import Buffer
from .guids import as_uuid
from .indexer import Indexer
from .media import TICKS_PER_SECOND, MediaType, frame_size
from .metadata import Metadata, Picture, Typed
from .profile import Profile, ProfileManager, StreamConfig
from .sinks import CallbackSink, FileSink, Sink
from .network import NetworkSink, PushSink
from .writer import InputProps, Writer
from .groups import BandwidthSharing, MutualExclusion, StreamPrioritization

__version__ = "0.1.0"

#: The path (or name) the shared library was loaded from.
library_path = _library_path

# The header's #defines (HRESULTs, WMT_*, WM_SF_*, ...), generated into _ffi.
globals().update({name: getattr(_ffi, name) for name in _ffi.CONSTANTS})

__all__ = [
    "WMError", "hresult_name", "last_error_message",
    "Buffer", "MediaType", "frame_size", "TICKS_PER_SECOND",
    "Metadata", "Picture", "Typed",
    "Profile", "ProfileManager", "StreamConfig",
    "Sink", "FileSink", "CallbackSink", "NetworkSink", "PushSink",
    "Writer", "InputProps", "Indexer",
    "MutualExclusion", "BandwidthSharing", "StreamPrioritization",
    "guids", "as_uuid", "library_path",
    *_ffi.CONSTANTS,
]
