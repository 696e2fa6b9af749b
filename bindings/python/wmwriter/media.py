"""Media types (``WM_MEDIA_TYPE``) as a small dataclass, plus PCM and raw-video builders."""

from __future__ import annotations

import ctypes
import struct
import uuid
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Dict, Optional, Tuple, Union

from . import _ffi
from ._errors import call, check
from .guids import ALL as _GUIDS, name_of, to_uuid, to_wmguid

#: 100-ns units per second.
TICKS_PER_SECOND = 10_000_000

WAVE_FORMAT_PCM = 1
BI_RGB = 0
BI_BITFIELDS = 3
_WAVEFORMATEX = struct.Struct("<HHIIHHH")  # 18 bytes
# WMVIDEOINFOHEADER: rcSource, rcTarget, dwBitRate, dwBitErrorRate, AvgTimePerFrame,
# then BITMAPINFOHEADER (40 bytes): 88 bytes in all.
_VIDEOINFOHEADER = struct.Struct("<4i4iIIq" + "IiiHHIIiiII")


def _fourcc(s: str) -> int:
    return int.from_bytes(s.encode("ascii"), "little")


# subtype name -> (biCompression, biBitCount), as the library's raw_video_layout.
_RAW_VIDEO: Dict[str, Tuple[int, int]] = {
    "RGB24": (BI_RGB, 24),
    "RGB32": (BI_RGB, 32),
    "RGB555": (BI_RGB, 16),
    "RGB565": (BI_BITFIELDS, 16),
    "RGB8": (BI_RGB, 8),
    "I420": (_fourcc("I420"), 12),
    "IYUV": (_fourcc("IYUV"), 12),
    "YV12": (_fourcc("YV12"), 12),
    "YUY2": (_fourcc("YUY2"), 16),
    "UYVY": (_fourcc("UYVY"), 16),
    "YVYU": (_fourcc("YVYU"), 16),
    "P422": (_fourcc("P422"), 16),
    "YVU9": (_fourcc("YVU9"), 9),
}


def frame_size(subtype: str, width: int, height: int) -> int:
    """Bytes of one uncompressed frame (RGB rows padded to 4 bytes, as BI_RGB requires)."""
    compression, bits = _RAW_VIDEO[subtype]
    w, h = abs(width), abs(height)
    half = lambda v: (v + 1) // 2  # noqa: E731
    if compression in (BI_RGB, BI_BITFIELDS):
        return (w * bits + 31) // 32 * 4 * h
    if subtype in ("I420", "IYUV", "YV12"):
        return w * h + 2 * (half(w) * half(h))
    if subtype in ("YUY2", "UYVY", "YVYU"):
        return half(w) * 4 * h
    if subtype == "P422":
        return w * h + 2 * (half(w) * h)
    return w * h + 2 * (((w + 3) // 4) * ((h + 3) // 4))  # YVU9


def _frame_time(fps: Union[int, float, Fraction]) -> int:
    if fps <= 0:
        raise ValueError(f"fps must be positive, not {fps}")
    return round(Fraction(TICKS_PER_SECOND) / Fraction(fps))


@dataclass
class MediaType:
    """A ``WM_MEDIA_TYPE``: GUIDs as :class:`uuid.UUID`, the format block as ``bytes``."""

    major_type: uuid.UUID
    subtype: uuid.UUID
    format_type: uuid.UUID
    format: bytes = b""
    fixed_size_samples: bool = True
    temporal_compression: bool = False
    sample_size: int = 0

    # -- builders -------------------------------------------------------------------------

    @classmethod
    def pcm(cls, channels: int, sample_rate: int, bits: int = 16) -> "MediaType":
        """Uncompressed PCM audio (``WAVEFORMATEX``, format tag 1)."""
        block = channels * ((bits + 7) // 8)
        wfx = _WAVEFORMATEX.pack(WAVE_FORMAT_PCM, channels, sample_rate, sample_rate * block, block, bits, 0)
        return cls(_GUIDS["WMMEDIATYPE_Audio"], _GUIDS["WMMEDIASUBTYPE_PCM"], _GUIDS["WMFORMAT_WaveFormatEx"],
                   wfx, True, False, block)

    @classmethod
    def raw_video(cls, width: int, height: int, fps: Union[int, float, Fraction] = 25, subtype: str = "I420",
                  *, top_down: bool = False) -> "MediaType":
        """Uncompressed video (``WMVIDEOINFOHEADER``) of a subtype such as ``"I420"`` or ``"RGB24"``.

        RGB frames are bottom-up (the first row in memory is the bottom line), as
        ``BI_RGB`` with a positive ``biHeight`` means; ``top_down=True`` writes a negative
        ``biHeight`` instead. YUV layouts are always top-down.
        """
        if subtype not in _RAW_VIDEO:
            raise ValueError(f"unknown raw video subtype {subtype!r}; one of {', '.join(_RAW_VIDEO)}")
        if width <= 0 or height <= 0:
            raise ValueError(f"bad frame size {width}x{height}")
        compression, bits = _RAW_VIDEO[subtype]
        size = frame_size(subtype, width, height)
        avg = _frame_time(fps)
        bitrate = min(size * 8 * TICKS_PER_SECOND // avg, 0xFFFFFFFF)
        bi_height = -height if top_down else height
        vih = _VIDEOINFOHEADER.pack(0, 0, width, height, 0, 0, width, height, bitrate, 0, avg,
                                    40, width, bi_height, 1, bits, compression, size, 0, 0, 0, 0)
        return cls(_GUIDS["WMMEDIATYPE_Video"], _GUIDS[f"WMMEDIASUBTYPE_{subtype}"], _GUIDS["WMFORMAT_VideoInfo"],
                   vih, True, False, size)

    # -- views of the format block ----------------------------------------------------------

    @property
    def is_audio(self) -> bool:
        return self.major_type == _GUIDS["WMMEDIATYPE_Audio"]

    @property
    def is_video(self) -> bool:
        return self.major_type == _GUIDS["WMMEDIATYPE_Video"]

    @property
    def wave_format(self) -> Optional[Dict[str, int]]:
        """The WAVEFORMATEX fields (format_tag, channels, sample_rate, avg_bytes_per_sec,
        block_align, bits_per_sample), or None for other format types."""
        if self.format_type != _GUIDS["WMFORMAT_WaveFormatEx"] or len(self.format) < 16:
            return None
        tag, ch, rate, avg, block, bits = struct.unpack_from("<HHIIHH", self.format)
        return {"format_tag": tag, "channels": ch, "sample_rate": rate, "avg_bytes_per_sec": avg,
                "block_align": block, "bits_per_sample": bits}

    @property
    def video_info(self) -> Optional[Dict[str, int]]:
        """The WMVIDEOINFOHEADER fields the writer uses (bit_rate, avg_time_per_frame,
        width, height (negative = top-down), bit_count, compression, size_image), or None."""
        if self.format_type != _GUIDS["WMFORMAT_VideoInfo"] or len(self.format) < _VIDEOINFOHEADER.size:
            return None
        v = _VIDEOINFOHEADER.unpack_from(self.format)
        return {"bit_rate": v[8], "avg_time_per_frame": v[10], "width": v[12], "height": v[13],
                "bit_count": v[15], "compression": v[16], "size_image": v[17]}

    def __repr__(self) -> str:
        return (f"MediaType({name_of(self.major_type)}, {name_of(self.subtype)}, {name_of(self.format_type)}, "
                f"{len(self.format)}-byte format, sample_size={self.sample_size})")

    # -- C conversion ---------------------------------------------------------------------------

    def _to_c(self) -> Tuple["_ffi.WM_MEDIA_TYPE", Any]:
        """A ``WM_MEDIA_TYPE`` pointing at a copy of the format block (keep the 2nd item alive)."""
        fmt = (ctypes.c_uint8 * len(self.format)).from_buffer_copy(self.format) if self.format else None
        mt = _ffi.WM_MEDIA_TYPE(
            majortype=to_wmguid(self.major_type),
            subtype=to_wmguid(self.subtype),
            bFixedSizeSamples=int(bool(self.fixed_size_samples)),
            bTemporalCompression=int(bool(self.temporal_compression)),
            lSampleSize=self.sample_size,
            formattype=to_wmguid(self.format_type),
            pUnk=None,
            cbFormat=len(self.format),
            pbFormat=ctypes.cast(fmt, ctypes.POINTER(ctypes.c_uint8)) if fmt is not None else None,
        )
        return mt, fmt

    @classmethod
    def _from_c(cls, mt: "_ffi.WM_MEDIA_TYPE") -> "MediaType":
        fmt = ctypes.string_at(mt.pbFormat, mt.cbFormat) if mt.cbFormat and mt.pbFormat else b""
        return cls(to_uuid(mt.majortype), to_uuid(mt.subtype), to_uuid(mt.formattype), fmt,
                   bool(mt.bFixedSizeSamples), bool(mt.bTemporalCompression), mt.lSampleSize)

    @classmethod
    def _query(cls, fn: Callable[..., int], handle: Any) -> "MediaType":
        """Read a media type with the size-query protocol of ``*_get_media_type``."""
        size = ctypes.c_uint32(0)
        call(fn, handle, None, ctypes.byref(size))
        for _ in range(8):
            # Aligned for WM_MEDIA_TYPE: allocate 8-byte words.
            words = (ctypes.c_uint64 * ((size.value + 7) // 8 or 1))()
            mt = ctypes.cast(words, ctypes.POINTER(_ffi.WM_MEDIA_TYPE))
            hr = fn(handle, mt, ctypes.byref(size))
            if hr == _ffi.ASF_E_BUFFERTOOSMALL:
                continue
            check(hr, fn.__name__)
            return cls._from_c(mt.contents)
        check(hr, fn.__name__)
        raise AssertionError("unreachable")


__all__ = ["MediaType", "frame_size", "TICKS_PER_SECOND"]
