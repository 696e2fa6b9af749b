"""Stream groups of a profile: mutual exclusion (``IWMMutualExclusion2``), bandwidth
sharing (``IWMBandwidthSharing``) and stream prioritization (``IWMStreamPrioritization``).

Get them from :class:`Profile` (``create_new_mutual_exclusion``, ``mutual_exclusions``,
...); like stream configs they are copies: edit, then ``add_*`` / ``set_*`` them back.
"""

from __future__ import annotations

import ctypes
import uuid
from typing import Any, List, Tuple

from . import _ffi
from ._base import RefCounted, get_scalar, get_string, utf8
from ._errors import call, check
from .guids import GuidLike, to_uuid, to_wmguid


def _stream_numbers(fn: Any, *args: Any) -> List[int]:
    """The size-query protocol of ``IWMStreamList::GetStreams``."""
    for _ in range(8):
        n = ctypes.c_uint16(0)
        call(fn, *args, None, ctypes.byref(n))
        arr = (ctypes.c_uint16 * max(n.value, 1))()
        hr = fn(*args, arr, ctypes.byref(n))
        if hr == _ffi.ASF_E_BUFFERTOOSMALL:
            continue
        check(hr, fn.__name__)
        return list(arr[: n.value])
    check(hr, fn.__name__)
    return []


class _StreamList(RefCounted):
    _get_type_fn: Any
    _set_type_fn: Any
    _get_streams_fn: Any
    _add_stream_fn: Any
    _remove_stream_fn: Any

    @property
    def type(self) -> uuid.UUID:
        """The group's type GUID (e.g. ``guids.CLSID_WMMUTEX_Language``)."""
        g = _ffi.WMGuid()
        call(type(self)._get_type_fn, self, ctypes.byref(g))
        return to_uuid(g)

    @type.setter
    def type(self, value: GuidLike) -> None:
        g = to_wmguid(value)
        call(type(self)._set_type_fn, self, ctypes.byref(g))

    @property
    def streams(self) -> List[int]:
        """The stream numbers in the group (``GetStreams``)."""
        return _stream_numbers(type(self)._get_streams_fn, self)

    def add_stream(self, number: int) -> None:
        """``AddStream``."""
        call(type(self)._add_stream_fn, self, number)

    def remove_stream(self, number: int) -> None:
        """``RemoveStream``."""
        call(type(self)._remove_stream_fn, self, number)


class MutualExclusion(_StreamList):
    """A mutual exclusion (``IWMMutualExclusion2``): of its streams, a player plays one
    (or one record's set)."""

    _handle_type = _ffi.WMMutualExclusion
    _add_ref_fn = _ffi.wm_mutual_exclusion_add_ref
    _release_fn = _ffi.wm_mutual_exclusion_release
    _get_type_fn = _ffi.wm_mutual_exclusion_get_type
    _set_type_fn = _ffi.wm_mutual_exclusion_set_type
    _get_streams_fn = _ffi.wm_mutual_exclusion_get_streams
    _add_stream_fn = _ffi.wm_mutual_exclusion_add_stream
    _remove_stream_fn = _ffi.wm_mutual_exclusion_remove_stream

    @property
    def name(self) -> str:
        """``GetName`` / ``SetName``."""
        return get_string(_ffi.wm_mutual_exclusion_get_name, self)

    @name.setter
    def name(self, value: str) -> None:
        call(_ffi.wm_mutual_exclusion_set_name, self, utf8(value, "name"))

    @property
    def record_count(self) -> int:
        """``GetRecordCount``."""
        return get_scalar(_ffi.wm_mutual_exclusion_get_record_count, ctypes.c_uint16, self)

    def add_record(self) -> int:
        """Append an empty, unnamed record (``AddRecord``) and return its index."""
        call(_ffi.wm_mutual_exclusion_add_record, self)
        return self.record_count - 1

    def remove_record(self, record: int) -> None:
        """``RemoveRecord``."""
        call(_ffi.wm_mutual_exclusion_remove_record, self, record)

    def record_name(self, record: int) -> str:
        """``GetRecordName``."""
        return get_string(_ffi.wm_mutual_exclusion_get_record_name, self, record)

    def set_record_name(self, record: int, name: str) -> None:
        """``SetRecordName``."""
        call(_ffi.wm_mutual_exclusion_set_record_name, self, record, utf8(name, "record name"))

    def record_streams(self, record: int) -> List[int]:
        """``GetStreamsForRecord``."""
        return _stream_numbers(_ffi.wm_mutual_exclusion_get_streams_for_record, self, record)

    def add_stream_for_record(self, record: int, number: int) -> None:
        """``AddStreamForRecord``."""
        call(_ffi.wm_mutual_exclusion_add_stream_for_record, self, record, number)

    def remove_stream_for_record(self, record: int, number: int) -> None:
        """``RemoveStreamForRecord``."""
        call(_ffi.wm_mutual_exclusion_remove_stream_for_record, self, record, number)


class BandwidthSharing(_StreamList):
    """A bandwidth sharing (``IWMBandwidthSharing``): its streams share one bit rate."""

    _handle_type = _ffi.WMBandwidthSharing
    _add_ref_fn = _ffi.wm_bandwidth_sharing_add_ref
    _release_fn = _ffi.wm_bandwidth_sharing_release
    _get_type_fn = _ffi.wm_bandwidth_sharing_get_type
    _set_type_fn = _ffi.wm_bandwidth_sharing_set_type
    _get_streams_fn = _ffi.wm_bandwidth_sharing_get_streams
    _add_stream_fn = _ffi.wm_bandwidth_sharing_add_stream
    _remove_stream_fn = _ffi.wm_bandwidth_sharing_remove_stream

    @property
    def bandwidth(self) -> Tuple[int, int]:
        """(bit rate in bit/s, buffer window in ms) (``GetBandwidth`` / ``SetBandwidth``)."""
        b, w = ctypes.c_uint32(0), ctypes.c_uint32(0)
        call(_ffi.wm_bandwidth_sharing_get_bandwidth, self, ctypes.byref(b), ctypes.byref(w))
        return b.value, w.value

    @bandwidth.setter
    def bandwidth(self, value: Tuple[int, int]) -> None:
        bitrate, window = value
        call(_ffi.wm_bandwidth_sharing_set_bandwidth, self, bitrate, window)


class StreamPrioritization(RefCounted):
    """A stream prioritization (``IWMStreamPrioritization``): stream numbers, highest
    priority first, each mandatory or not."""

    _handle_type = _ffi.WMStreamPrioritization
    _add_ref_fn = _ffi.wm_stream_prioritization_add_ref
    _release_fn = _ffi.wm_stream_prioritization_release

    @property
    def records(self) -> List[Tuple[int, bool]]:
        """[(stream number, mandatory)] (``GetPriorityRecords`` / ``SetPriorityRecords``)."""
        fn = _ffi.wm_stream_prioritization_get_priority_records
        for _ in range(8):
            n = ctypes.c_uint16(0)
            call(fn, self, None, ctypes.byref(n))
            arr = (_ffi.WM_STREAM_PRIORITY_RECORD * max(n.value, 1))()
            hr = fn(self, arr, ctypes.byref(n))
            if hr == _ffi.ASF_E_BUFFERTOOSMALL:
                continue
            check(hr, fn.__name__)
            return [(r.wStreamNumber, bool(r.fMandatory)) for r in arr[: n.value]]
        check(hr, fn.__name__)
        return []

    @records.setter
    def records(self, value: List[Tuple[int, bool]]) -> None:
        recs = list(value)
        arr = (_ffi.WM_STREAM_PRIORITY_RECORD * max(len(recs), 1))()
        for i, (number, mandatory) in enumerate(recs):
            arr[i].wStreamNumber = number
            arr[i].fMandatory = 1 if mandatory else 0
        call(_ffi.wm_stream_prioritization_set_priority_records, self, arr, len(recs))


__all__ = ["MutualExclusion", "BandwidthSharing", "StreamPrioritization"]
