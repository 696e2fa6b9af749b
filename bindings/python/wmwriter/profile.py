"""Profiles: ``ProfileManager``, ``Profile``, ``StreamConfig`` (IWMProfileManager, IWMProfile, IWMStreamConfig)."""

from __future__ import annotations

import ctypes
import uuid
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple, Union

from . import _ffi
from ._base import RefCounted, get_out_object, get_scalar, get_string, utf8
from ._errors import call
from .guids import GuidLike, to_uuid, to_wmguid
from .media import TICKS_PER_SECOND, MediaType
from .metadata import decode, encode

if TYPE_CHECKING:
    from .groups import BandwidthSharing, MutualExclusion, StreamPrioritization


class StreamConfig(RefCounted):
    """One stream's configuration (``IWMStreamConfig``): number, bit rate, names, media type.

    A profile hands out *copies*: editing a ``StreamConfig`` changes the profile only
    after :meth:`Profile.add_stream` (new stream) or :meth:`Profile.reconfig_stream`.
    """

    _handle_type = _ffi.WMStreamConfig
    _add_ref_fn = _ffi.wm_stream_config_add_ref
    _release_fn = _ffi.wm_stream_config_release

    @property
    def stream_type(self) -> uuid.UUID:
        """The major type (``guids.WMMEDIATYPE_*``)."""
        g = _ffi.WMGuid()
        call(_ffi.wm_stream_config_get_stream_type, self, ctypes.byref(g))
        return to_uuid(g)

    @property
    def number(self) -> int:
        """The stream number, 1..63."""
        return get_scalar(_ffi.wm_stream_config_get_stream_number, ctypes.c_uint16, self)

    @number.setter
    def number(self, value: int) -> None:
        call(_ffi.wm_stream_config_set_stream_number, self, value)

    @property
    def bitrate(self) -> int:
        """Bits per second."""
        return get_scalar(_ffi.wm_stream_config_get_bitrate, ctypes.c_uint32, self)

    @bitrate.setter
    def bitrate(self, value: int) -> None:
        call(_ffi.wm_stream_config_set_bitrate, self, value)

    @property
    def buffer_window(self) -> int:
        """The buffer window in ms (0xFFFFFFFF: the writer chooses)."""
        return get_scalar(_ffi.wm_stream_config_get_buffer_window, ctypes.c_uint32, self)

    @buffer_window.setter
    def buffer_window(self, value: int) -> None:
        call(_ffi.wm_stream_config_set_buffer_window, self, value)

    @property
    def stream_name(self) -> str:
        """The stream's name (UTF-8)."""
        return get_string(_ffi.wm_stream_config_get_stream_name, self)

    @stream_name.setter
    def stream_name(self, value: str) -> None:
        call(_ffi.wm_stream_config_set_stream_name, self, utf8(value, "stream_name"))

    @property
    def connection_name(self) -> str:
        """The connection name: streams with the same one share a writer input."""
        return get_string(_ffi.wm_stream_config_get_connection_name, self)

    @connection_name.setter
    def connection_name(self, value: str) -> None:
        call(_ffi.wm_stream_config_set_connection_name, self, utf8(value, "connection_name"))

    @property
    def media_type(self) -> MediaType:
        """The stream's media type (a copy; assign a new one to change it)."""
        return MediaType._query(_ffi.wm_stream_config_get_media_type, self._as_parameter_)

    @media_type.setter
    def media_type(self, value: MediaType) -> None:
        mt, keep = value._to_c()
        call(_ffi.wm_stream_config_set_media_type, self, ctypes.byref(mt))
        del keep

    @property
    def type(self) -> uuid.UUID:
        """The major type of the stream's media (``IWMMediaProps::GetType``)."""
        g = _ffi.WMGuid()
        call(_ffi.wm_stream_config_get_type, self, ctypes.byref(g))
        return to_uuid(g)

    @property
    def transport_type(self) -> int:
        """``WMT_Transport_Type_*`` (``IWMStreamConfig2``)."""
        return get_scalar(_ffi.wm_stream_config_get_transport_type, ctypes.c_uint32, self)

    @transport_type.setter
    def transport_type(self, value: int) -> None:
        call(_ffi.wm_stream_config_set_transport_type, self, value)

    @property
    def language(self) -> str:
        """The stream's RFC 1766 tag, '' = none (``IWMStreamConfig3``)."""
        return get_string(_ffi.wm_stream_config_get_language, self)

    @language.setter
    def language(self, value: str) -> None:
        call(_ffi.wm_stream_config_set_language, self, utf8(value, "language"))

    @property
    def max_key_frame_spacing(self) -> int:
        """Maximum key-frame spacing, 100 ns (``IWMVideoMediaProps``)."""
        return get_scalar(_ffi.wm_stream_config_get_max_key_frame_spacing, ctypes.c_int64, self)

    @max_key_frame_spacing.setter
    def max_key_frame_spacing(self, value: int) -> None:
        call(_ffi.wm_stream_config_set_max_key_frame_spacing, self, value)

    @property
    def quality(self) -> int:
        """Video quality 0..100 (``IWMVideoMediaProps``)."""
        return get_scalar(_ffi.wm_stream_config_get_quality, ctypes.c_uint32, self)

    @quality.setter
    def quality(self, value: int) -> None:
        call(_ffi.wm_stream_config_set_quality, self, value)

    # -- IWMStreamConfig2: data unit extensions ---------------------------------------------

    def add_data_unit_extension(self, system_id: GuidLike, data_size: int, info: bytes = b"") -> None:
        """Declare a per-sample property (``AddDataUnitExtension``), e.g.
        ``(guids.WM_SampleExtensionGUID_Timecode, 14)``; ``data_size`` 0xFFFF = variable.
        Samples carry its value through :meth:`Buffer.set_property`."""
        g = to_wmguid(system_id)
        raw = bytes(info)
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_stream_config_add_data_unit_extension, self, ctypes.byref(g), data_size,
             buf if raw else None, len(raw))

    @property
    def data_unit_extensions(self) -> List[Tuple[uuid.UUID, int, bytes]]:
        """The declared extensions as (system ID, data size, info)."""
        out = []
        for i in range(get_scalar(_ffi.wm_stream_config_get_data_unit_extension_count, ctypes.c_uint16, self)):
            g = _ffi.WMGuid()
            size = ctypes.c_uint16(0)
            n = ctypes.c_uint32(0)
            call(_ffi.wm_stream_config_get_data_unit_extension, self, i, ctypes.byref(g), ctypes.byref(size), None,
                 ctypes.byref(n))
            info = (ctypes.c_uint8 * max(n.value, 1))()
            call(_ffi.wm_stream_config_get_data_unit_extension, self, i, ctypes.byref(g), ctypes.byref(size), info,
                 ctypes.byref(n))
            out.append((to_uuid(g), size.value, bytes(info)[: n.value]))
        return out

    def remove_all_data_unit_extensions(self) -> None:
        """``RemoveAllDataUnitExtensions``."""
        call(_ffi.wm_stream_config_remove_all_data_unit_extensions, self)

    # -- IWMPropertyVault ------------------------------------------------------------------

    def set_property(self, name: str, value: Any) -> None:
        """``IWMPropertyVault::SetProperty``, e.g. ``("_VBRENABLED", True)``,
        ``("_VBRQUALITY", 90)``; values typed as for :class:`Metadata`."""
        t, raw = encode(value)
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_stream_config_set_property, self, utf8(name, "property name"), t, buf, len(raw))

    def get_property(self, name: str) -> Any:
        """``GetPropertyByName``; ``WMError`` ``NS_E_UNSUPPORTED_PROPERTY`` if not set."""
        cname = utf8(name, "property name")
        t = ctypes.c_uint32(0)
        n = ctypes.c_uint32(0)
        call(_ffi.wm_stream_config_get_property_by_name, self, cname, ctypes.byref(t), None, ctypes.byref(n))
        out = (ctypes.c_uint8 * max(n.value, 1))()
        call(_ffi.wm_stream_config_get_property_by_name, self, cname, ctypes.byref(t), out, ctypes.byref(n))
        return decode(t.value, bytes(out)[: n.value], name)

    @property
    def property_count(self) -> int:
        """``GetPropertyCount``."""
        return get_scalar(_ffi.wm_stream_config_get_property_count, ctypes.c_uint32, self)

    def property_by_index(self, index: int) -> Tuple[str, Any]:
        """Property ``index`` as (name, value) (``GetPropertyByIndex``)."""
        nl, t, n = ctypes.c_uint32(0), ctypes.c_uint32(0), ctypes.c_uint32(0)
        call(_ffi.wm_stream_config_get_property_by_index, self, index, None, ctypes.byref(nl), ctypes.byref(t),
             None, ctypes.byref(n))
        name = ctypes.create_string_buffer(max(nl.value, 1))
        out = (ctypes.c_uint8 * max(n.value, 1))()
        call(_ffi.wm_stream_config_get_property_by_index, self, index, name, ctypes.byref(nl), ctypes.byref(t),
             out, ctypes.byref(n))
        text = name.value.decode("utf-8")
        return text, decode(t.value, bytes(out)[: n.value], text)

    @property
    def properties(self) -> Dict[str, Any]:
        """Every property by name."""
        return dict(self.property_by_index(i) for i in range(self.property_count))

    def clear_properties(self) -> None:
        """``IWMPropertyVault::Clear``."""
        call(_ffi.wm_stream_config_clear, self)

    def copy_properties_from(self, other: "StreamConfig") -> None:
        """``IWMPropertyVault::CopyPropertiesFrom``."""
        call(_ffi.wm_stream_config_copy_properties_from, self, other)

    def __repr__(self) -> str:
        if self.closed:
            return "<wmwriter.StreamConfig closed>"
        return f"<wmwriter.StreamConfig #{self.number} {self.connection_name!r} {self.bitrate} bit/s>"


class ProfileManager(RefCounted):
    """The profile manager (``IWMProfileManager``): creates, loads and saves profiles."""

    _handle_type = _ffi.WMProfileManager
    _add_ref_fn = _ffi.wm_profile_manager_add_ref
    _release_fn = _ffi.wm_profile_manager_release

    def __init__(self) -> None:
        h = self._out()
        call(_ffi.wm_create_profile_manager, ctypes.byref(h))
        self.__dict__["_handle"] = h

    @property
    def user_language_id(self) -> int:
        """``IWMProfileManagerLanguage::GetUserLanguageID`` (a Windows LANGID)."""
        return get_scalar(_ffi.wm_profile_manager_get_user_language_id, ctypes.c_uint16, self)

    @user_language_id.setter
    def user_language_id(self, value: int) -> None:
        call(_ffi.wm_profile_manager_set_user_language_id, self, value)

    def create_empty_profile(self, version: int = _ffi.WMT_VER_9_0) -> "Profile":
        """A new profile with no streams (``CreateEmptyProfile``)."""
        return get_out_object(Profile, _ffi.wm_profile_manager_create_empty_profile, self, version)

    def load_profile(self, prx: str) -> "Profile":
        """Parse PRX XML text into a new profile (``LoadProfileByData``)."""
        return get_out_object(Profile, _ffi.wm_profile_manager_load_profile_by_data, self, utf8(prx, "prx"))

    def save_profile(self, profile: "Profile") -> str:
        """The profile as PRX XML text (``SaveProfile``)."""
        return get_string(_ffi.wm_profile_manager_save_profile, self, profile, length_type=ctypes.c_uint32)

    def load_profile_by_id(self, profile_id: GuidLike) -> "Profile":
        """A system profile by ID (``LoadProfileByID``, any version); see :mod:`wmwriter.codecs`."""
        g = to_wmguid(profile_id)
        return get_out_object(Profile, _ffi.wm_profile_manager_load_profile_by_id, self, ctypes.byref(g))

    @property
    def system_profile_count(self) -> int:
        """The number of system profiles of :attr:`system_profile_version` (21/26/27; 0 for 9.0)."""
        return get_scalar(_ffi.wm_profile_manager_get_system_profile_count, ctypes.c_uint32, self)

    def load_system_profile(self, index: int) -> "Profile":
        """System profile ``index`` of :attr:`system_profile_version` (``LoadSystemProfile``)."""
        return get_out_object(Profile, _ffi.wm_profile_manager_load_system_profile, self, index)

    @property
    def system_profile_version(self) -> int:
        """The ``WMT_VER_*`` of the system profiles."""
        return get_scalar(_ffi.wm_profile_manager_get_system_profile_version, ctypes.c_uint32, self)

    @system_profile_version.setter
    def system_profile_version(self, value: int) -> None:
        call(_ffi.wm_profile_manager_set_system_profile_version, self, value)


_default_manager: Optional[ProfileManager] = None


def _manager() -> ProfileManager:
    global _default_manager
    if _default_manager is None:
        _default_manager = ProfileManager()
    return _default_manager


_AUTO = object()


class Profile(RefCounted):
    """A profile (``IWMProfile``): the streams a file will have.

    ``Profile()`` makes an empty ``WMT_VER_9_0`` profile; ``Profile.from_prx(text)``
    parses a ``.prx``. Add streams with :meth:`add_audio_stream`,
    :meth:`add_video_stream` or :meth:`add_stream`; :attr:`streams` returns copies.
    """

    _handle_type = _ffi.WMProfile
    _add_ref_fn = _ffi.wm_profile_add_ref
    _release_fn = _ffi.wm_profile_release

    def __init__(self, version: int = _ffi.WMT_VER_9_0, *, name: Optional[str] = None,
                 description: Optional[str] = None) -> None:
        h = self._out()
        call(_ffi.wm_profile_manager_create_empty_profile, _manager(), version, ctypes.byref(h))
        self.__dict__["_handle"] = h
        if name is not None:
            self.name = name
        if description is not None:
            self.description = description

    @classmethod
    def from_prx(cls, prx: str) -> "Profile":
        """Parse PRX XML text (``IWMProfileManager::LoadProfileByData``)."""
        return _manager().load_profile(prx)

    def to_prx(self) -> str:
        """This profile as PRX XML text (``IWMProfileManager::SaveProfile``)."""
        return _manager().save_profile(self)

    # -- properties -----------------------------------------------------------------------

    @property
    def version(self) -> int:
        """The ``WMT_VER_*`` version."""
        return get_scalar(_ffi.wm_profile_get_version, ctypes.c_uint32, self)

    @property
    def name(self) -> str:
        """The profile name."""
        return get_string(_ffi.wm_profile_get_name, self, length_type=ctypes.c_uint32)

    @name.setter
    def name(self, value: str) -> None:
        call(_ffi.wm_profile_set_name, self, utf8(value, "name"))

    @property
    def description(self) -> str:
        """The profile description."""
        return get_string(_ffi.wm_profile_get_description, self, length_type=ctypes.c_uint32)

    @description.setter
    def description(self, value: str) -> None:
        call(_ffi.wm_profile_set_description, self, utf8(value, "description"))

    @property
    def max_packet_size(self) -> int:
        """Data packet size in bytes (0: the writer chooses)."""
        return get_scalar(_ffi.wm_profile_get_max_packet_size, ctypes.c_uint32, self)

    @max_packet_size.setter
    def max_packet_size(self, value: int) -> None:
        call(_ffi.wm_profile_set_max_packet_size, self, value)

    @property
    def storage_format(self) -> int:
        """``IWMProfile3::GetStorageFormat`` (``WMT_Storage_Format_*``)."""
        return get_scalar(_ffi.wm_profile_get_storage_format, ctypes.c_uint32, self)

    @storage_format.setter
    def storage_format(self, value: int) -> None:
        call(_ffi.wm_profile_set_storage_format, self, value)

    def expected_packet_count(self, duration_ms: int) -> int:
        """``IWMProfile3::GetExpectedPacketCount`` for ``duration_ms`` of content."""
        return get_scalar(_ffi.wm_profile_get_expected_packet_count, ctypes.c_uint64, self, duration_ms)

    @property
    def min_packet_size(self) -> int:
        """The minimum data packet size in bytes, 0 = none (``IWMPacketSize2``)."""
        return get_scalar(_ffi.wm_profile_get_min_packet_size, ctypes.c_uint32, self)

    @min_packet_size.setter
    def min_packet_size(self, value: int) -> None:
        call(_ffi.wm_profile_set_min_packet_size, self, value)

    # -- stream groups (IWMProfile / IWMProfile3) ----------------------------------------

    def create_new_mutual_exclusion(self) -> "MutualExclusion":
        """A new, empty mutual exclusion (not in the profile until :meth:`add_mutual_exclusion`)."""
        from .groups import MutualExclusion

        return get_out_object(MutualExclusion, _ffi.wm_profile_create_new_mutual_exclusion, self)

    @property
    def mutual_exclusions(self) -> List["MutualExclusion"]:
        """Copies of the profile's mutual exclusions."""
        from .groups import MutualExclusion

        n = get_scalar(_ffi.wm_profile_get_mutual_exclusion_count, ctypes.c_uint32, self)
        return [get_out_object(MutualExclusion, _ffi.wm_profile_get_mutual_exclusion, self, i) for i in range(n)]

    def add_mutual_exclusion(self, mutex: "MutualExclusion") -> None:
        """``AddMutualExclusion`` (a snapshot)."""
        call(_ffi.wm_profile_add_mutual_exclusion, self, mutex)

    def remove_mutual_exclusion(self, mutex: "MutualExclusion") -> None:
        """``RemoveMutualExclusion``."""
        call(_ffi.wm_profile_remove_mutual_exclusion, self, mutex)

    def create_new_bandwidth_sharing(self) -> "BandwidthSharing":
        """A new, empty bandwidth sharing (not in the profile until :meth:`add_bandwidth_sharing`)."""
        from .groups import BandwidthSharing

        return get_out_object(BandwidthSharing, _ffi.wm_profile_create_new_bandwidth_sharing, self)

    @property
    def bandwidth_sharings(self) -> List["BandwidthSharing"]:
        """Copies of the profile's bandwidth sharings."""
        from .groups import BandwidthSharing

        n = get_scalar(_ffi.wm_profile_get_bandwidth_sharing_count, ctypes.c_uint32, self)
        return [get_out_object(BandwidthSharing, _ffi.wm_profile_get_bandwidth_sharing, self, i) for i in range(n)]

    def add_bandwidth_sharing(self, sharing: "BandwidthSharing") -> None:
        """``AddBandwidthSharing`` (a snapshot)."""
        call(_ffi.wm_profile_add_bandwidth_sharing, self, sharing)

    def remove_bandwidth_sharing(self, sharing: "BandwidthSharing") -> None:
        """``RemoveBandwidthSharing``."""
        call(_ffi.wm_profile_remove_bandwidth_sharing, self, sharing)

    def create_new_stream_prioritization(self) -> "StreamPrioritization":
        """A new, empty stream prioritization."""
        from .groups import StreamPrioritization

        return get_out_object(StreamPrioritization, _ffi.wm_profile_create_new_stream_prioritization, self)

    @property
    def stream_prioritization(self) -> Optional["StreamPrioritization"]:
        """A copy of the profile's stream prioritization, None if it has none; assign one
        (``SetStreamPrioritization``) or None (``RemoveStreamPrioritization``)."""
        from .groups import StreamPrioritization

        h = StreamPrioritization._out()
        call(_ffi.wm_profile_get_stream_prioritization, self, ctypes.byref(h))
        return StreamPrioritization._wrap(h) if h else None

    @stream_prioritization.setter
    def stream_prioritization(self, value: Optional["StreamPrioritization"]) -> None:
        if value is None:
            call(_ffi.wm_profile_remove_stream_prioritization, self)
        else:
            call(_ffi.wm_profile_set_stream_prioritization, self, value)

    # -- IWMLanguageList ------------------------------------------------------------------

    def add_language(self, tag: str) -> int:
        """Add an RFC 1766 tag (``"fr-fr"``) to the language list and return its index
        (``AddLanguageByRFC1766String``); a tag already there gives its index."""
        return get_scalar(_ffi.wm_profile_add_language_by_rfc1766_string, ctypes.c_uint16, self,
                          utf8(tag, "language"))

    @property
    def languages(self) -> List[str]:
        """The language list (``GetLanguageCount`` / ``GetLanguageDetails``)."""
        n = get_scalar(_ffi.wm_profile_get_language_count, ctypes.c_uint16, self)
        return [get_string(_ffi.wm_profile_get_language_details, self, i) for i in range(n)]

    # -- streams --------------------------------------------------------------------------

    @property
    def stream_count(self) -> int:
        """The number of streams."""
        return get_scalar(_ffi.wm_profile_get_stream_count, ctypes.c_uint32, self)

    def __len__(self) -> int:
        return self.stream_count

    def stream(self, index: int) -> StreamConfig:
        """A copy of the stream at ``index`` (0-based, profile order)."""
        return get_out_object(StreamConfig, _ffi.wm_profile_get_stream, self, index)

    def stream_by_number(self, number: int) -> StreamConfig:
        """A copy of the stream numbered ``number`` (``NS_E_NO_STREAM`` if none)."""
        return get_out_object(StreamConfig, _ffi.wm_profile_get_stream_by_number, self, number)

    @property
    def streams(self) -> List[StreamConfig]:
        """Copies of every stream, in profile order."""
        return [self.stream(i) for i in range(self.stream_count)]

    def __iter__(self) -> Iterator[StreamConfig]:
        return iter(self.streams)

    def create_new_stream(self, stream_type: GuidLike) -> StreamConfig:
        """A new stream config of ``stream_type`` (e.g. ``"WMMEDIATYPE_Audio"``) with a free number.

        It is not in the profile until :meth:`add_stream`.
        """
        g = to_wmguid(stream_type)
        return get_out_object(StreamConfig, _ffi.wm_profile_create_new_stream, self, ctypes.byref(g))

    def add_stream(self, config: StreamConfig) -> None:
        """Copy ``config`` into the profile as a new stream."""
        call(_ffi.wm_profile_add_stream, self, config)

    def reconfig_stream(self, config: StreamConfig) -> None:
        """Commit edits of a stream already in the profile (matched by number)."""
        call(_ffi.wm_profile_reconfig_stream, self, config)

    def remove_stream(self, stream: Union[StreamConfig, int]) -> None:
        """Remove a stream, given as its config or its number."""
        if isinstance(stream, StreamConfig):
            call(_ffi.wm_profile_remove_stream, self, stream)
        else:
            call(_ffi.wm_profile_remove_stream_by_number, self, stream)

    def _connection_names(self) -> List[str]:
        return [s.connection_name for s in self.streams]

    def _add(self, stream_type: str, media_type: MediaType, bitrate: int, number: Optional[int],
             name: object, default: str) -> StreamConfig:
        cfg = self.create_new_stream(stream_type)
        try:
            if number is not None:
                cfg.number = number
            if name is _AUTO:
                used = self._connection_names()
                name = default if default not in used else f"{default}{cfg.number}"
            cfg.media_type = media_type
            cfg.bitrate = bitrate
            cfg.stream_name = name  # type: ignore[assignment]
            cfg.connection_name = name  # type: ignore[assignment]
            self.add_stream(cfg)
        except BaseException:
            cfg.close()
            raise
        return cfg

    def add_audio_stream(self, channels: int, rate: int, bits: int = 16, number: Optional[int] = None,
                         name: Union[str, object] = _AUTO) -> StreamConfig:
        """Add an uncompressed PCM stream; returns (a copy of) its config.

        ``name`` is the stream and connection name (default ``"Audio"``, or
        ``"Audio<number>"`` if a stream already uses ``"Audio"``); ``number`` the stream
        number (default: the first free one). The bit rate is ``rate * block_align * 8``.
        """
        mt = MediaType.pcm(channels, rate, bits)
        return self._add("WMMEDIATYPE_Audio", mt, rate * mt.sample_size * 8, number, name, "Audio")

    def add_video_stream(self, width: int, height: int, fps: Union[int, float, Fraction] = 25,
                         subtype: str = "I420", number: Optional[int] = None,
                         name: Union[str, object] = _AUTO, *, top_down: bool = False) -> StreamConfig:
        """Add an uncompressed video stream (``subtype``: ``"I420"``, ``"RGB24"``, ``"YUY2"``, ...).

        Every frame is ``frame_size`` bytes (:func:`wmwriter.frame_size`); RGB frames are
        bottom-up unless ``top_down``. ``name`` defaults to ``"Video"`` (see
        :meth:`add_audio_stream`). The bit rate is ``frame_size * 8 * fps``.
        """
        mt = MediaType.raw_video(width, height, fps, subtype, top_down=top_down)
        avg = mt.video_info["avg_time_per_frame"]  # type: ignore[index]
        bitrate = min(mt.sample_size * 8 * TICKS_PER_SECOND // avg, 0xFFFFFFFF)
        return self._add("WMMEDIATYPE_Video", mt, bitrate, number, name, "Video")

    @property
    def profile_id(self) -> uuid.UUID:
        """The profile's ID (``IWMProfile3::GetProfileID``)."""
        g = _ffi.WMGuid()
        call(_ffi.wm_profile_get_profile_id, self, ctypes.byref(g))
        return to_uuid(g)

    def __repr__(self) -> str:
        if self.closed:
            return "<wmwriter.Profile closed>"
        return f"<wmwriter.Profile {self.name!r} {self.stream_count} stream(s)>"


__all__ = ["ProfileManager", "Profile", "StreamConfig"]
