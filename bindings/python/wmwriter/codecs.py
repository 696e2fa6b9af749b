"""System profiles and codec enumeration (``IWMProfileManager`` system profiles,
``IWMCodecInfo`` / ``2`` / ``3``).

::

    import wmwriter
    from wmwriter import codecs

    for info in codecs.system_profiles(wmwriter.WMT_VER_8_0):
        print(info.identifier, info.name)
    profile = codecs.load_system_profile("V80_128StereoAudio")   # or a GUID
    for codec in codecs.codecs("audio"):                          # what can be encoded here
        for fmt in codec.formats():
            print(codec.name, fmt.description, fmt.stream.bitrate)

The system profiles are the SDK's 21 (4.0), 26 (7.0) and 27 (8.0) with their GUIDs and
names; their stream settings are the library's (the SDK's are not published). Codecs
are listed only when an encoder for them is available.
"""

from __future__ import annotations

import ctypes
import uuid
from dataclasses import dataclass
from typing import Any, List, Optional, Union

from . import _ffi
from ._base import get_out_object, get_scalar, get_string, utf8
from ._errors import call
from .guids import GuidLike, as_uuid, to_wmguid
from .profile import Profile, ProfileManager, StreamConfig

#: ``g_wszVBREnabled``: BOOL enumeration setting / format property.
VBR_ENABLED = "_VBRENABLED"
#: ``g_wszNumPasses``: DWORD enumeration setting / format property (1 or 2).
NUM_PASSES = "_PASSESUSED"
#: ``g_wszVBRQuality``: DWORD format property of VBR formats.
VBR_QUALITY = "_VBRQUALITY"
#: ``g_wszIsVBRSupported``: BOOL codec property.
IS_VBR_SUPPORTED = "_ISVBRSUPPORTED"

#: ``WMT_TYPE_DWORD`` / ``WMT_TYPE_BOOL``.
TYPE_DWORD = 0
TYPE_BOOL = 3

#: Every system-profile identifier (``WMProfile_V80_256Video``, ...) → its GUID.
SYSTEM_PROFILE_IDS = {
    name: uuid.UUID(bytes_le=bytes(getattr(_ffi, name)))
    for name in _ffi.GLOBALS
    if name.startswith("WMProfile_")
}

_MAJORS = {"audio": "WMMEDIATYPE_Audio", "video": "WMMEDIATYPE_Video"}

_default: Optional[ProfileManager] = None


def _pm(manager: Optional[ProfileManager]) -> ProfileManager:
    global _default
    if manager is not None:
        return manager
    if _default is None:
        _default = ProfileManager()
    return _default


@dataclass(frozen=True)
class SystemProfileInfo:
    """One system profile: ``identifier`` (``WMProfile_V80_256Video``), ``id``, ``version``
    (``WMT_VER_*``), ``index`` in its version's enumeration, ``name``, ``description``."""

    identifier: str
    id: uuid.UUID
    version: int
    index: int
    name: str
    description: str
    stream_count: int


def system_profile_id(name_or_id: GuidLike) -> uuid.UUID:
    """A system profile's GUID from its identifier (``"V80_256Video"`` or
    ``"WMProfile_V80_256Video"``, any case) or from a GUID."""
    if isinstance(name_or_id, str):
        want = name_or_id.strip().lower()
        for ident, g in SYSTEM_PROFILE_IDS.items():
            if want in (ident.lower(), ident[len("WMProfile_"):].lower()):
                return g
    return as_uuid(name_or_id)


def load_system_profile(name_or_id: GuidLike, manager: Optional[ProfileManager] = None) -> Profile:
    """Load a system profile by identifier or GUID (``LoadProfileByID``, any version)."""
    return _pm(manager).load_profile_by_id(system_profile_id(name_or_id))


def system_profiles(version: int = _ffi.WMT_VER_8_0, manager: Optional[ProfileManager] = None) -> List[SystemProfileInfo]:
    """The system profiles of ``version`` (``WMT_VER_4_0`` / ``7_0`` / ``8_0``; ``9_0`` has
    none) in enumeration order (``GetSystemProfileCount`` + ``LoadSystemProfile``). The
    manager's system-profile version is restored afterwards."""
    pm = _pm(manager)
    old = pm.system_profile_version
    by_guid = {g: n for n, g in SYSTEM_PROFILE_IDS.items()}
    out = []
    try:
        pm.system_profile_version = version
        for i in range(pm.system_profile_count):
            with pm.load_system_profile(i) as p:
                out.append(SystemProfileInfo(by_guid.get(p.profile_id, ""), p.profile_id, p.version, i, p.name,
                                             p.description, p.stream_count))
    finally:
        pm.system_profile_version = old
    return out


def _major(kind: Union[str, GuidLike]) -> "_ffi.WMGuid":
    if isinstance(kind, str) and kind.lower() in _MAJORS:
        kind = _MAJORS[kind.lower()]
    return to_wmguid(kind)


def _read_prop(fn: Any, *args: Any) -> Union[int, bool]:
    t = ctypes.c_uint32(0)
    value = ctypes.c_uint32(0)
    size = ctypes.c_uint32(4)
    call(fn, *args, ctypes.byref(t), ctypes.cast(ctypes.byref(value), ctypes.POINTER(ctypes.c_uint8)), ctypes.byref(size))
    return bool(value.value) if t.value == TYPE_BOOL else value.value


@dataclass
class CodecFormat:
    """One format of a codec: its description and a :class:`StreamConfig` ready for
    :meth:`Profile.add_stream` (set ``number`` and ``connection_name``)."""

    index: int
    description: str
    stream: StreamConfig


class Codec:
    """One codec that can encode here (``IWMCodecInfo`` index ``index`` of ``major``)."""

    def __init__(self, manager: ProfileManager, major: "_ffi.WMGuid", index: int) -> None:
        self._pm = manager
        self._major = major
        self.index = index

    @property
    def name(self) -> str:
        """``GetCodecName``, e.g. ``"Windows Media Audio 8"``."""
        return get_string(_ffi.wm_profile_manager_get_codec_name, self._pm, ctypes.byref(self._major), self.index,
                          length_type=ctypes.c_uint32)

    @property
    def format_count(self) -> int:
        """``GetCodecFormatCount`` under the current enumeration settings."""
        return get_scalar(_ffi.wm_profile_manager_get_codec_format_count, ctypes.c_uint32, self._pm,
                          ctypes.byref(self._major), self.index)

    def format(self, index: int) -> CodecFormat:
        """``GetCodecFormatDesc``: the description and stream config of format ``index``."""
        args = (self._pm, ctypes.byref(self._major), self.index, index)
        n = ctypes.c_uint32(0)
        call(_ffi.wm_profile_manager_get_codec_format_desc, *args, None, None, ctypes.byref(n))
        buf = ctypes.create_string_buffer(max(n.value, 1))
        h = StreamConfig._out()
        call(_ffi.wm_profile_manager_get_codec_format_desc, *args, ctypes.byref(h), buf, ctypes.byref(n))
        return CodecFormat(index, buf.value.decode("utf-8"), StreamConfig._wrap(h))

    def format_config(self, index: int) -> StreamConfig:
        """``GetCodecFormat``: format ``index`` as a new stream config for
        :meth:`Profile.add_stream` (stream number 1, no connection name: set both)."""
        return get_out_object(StreamConfig, _ffi.wm_profile_manager_get_codec_format, self._pm,
                              ctypes.byref(self._major), self.index, index)

    def formats(self) -> List[CodecFormat]:
        """Every format under the current enumeration settings."""
        return [self.format(i) for i in range(self.format_count)]

    def prop(self, name: str) -> Union[int, bool]:
        """``GetCodecProp`` (``"_ISVBRSUPPORTED"``, video ``"_COMPLEXITYEXMAX"`` ...)."""
        return _read_prop(_ffi.wm_profile_manager_get_codec_prop, self._pm, ctypes.byref(self._major), self.index,
                          utf8(name, "name"))

    def format_prop(self, index: int, name: str) -> Union[int, bool]:
        """``GetCodecFormatProp`` (``"_VBRENABLED"``, ``"_PASSESUSED"``, ``"_VBRQUALITY"``)."""
        return _read_prop(_ffi.wm_profile_manager_get_codec_format_prop, self._pm, ctypes.byref(self._major), self.index,
                          index, utf8(name, "name"))

    def get_setting(self, name: str) -> Union[int, bool]:
        """``GetCodecEnumerationSetting`` (``"_VBRENABLED"``, ``"_PASSESUSED"``)."""
        return _read_prop(_ffi.wm_profile_manager_get_codec_enumeration_setting, self._pm, ctypes.byref(self._major),
                          self.index, utf8(name, "name"))

    def set_setting(self, name: str, value: Union[int, bool]) -> None:
        """``SetCodecEnumerationSetting``: a bool is sent as BOOL, an int as DWORD."""
        t = TYPE_BOOL if isinstance(value, bool) else TYPE_DWORD
        v = ctypes.c_uint32(int(value))
        call(_ffi.wm_profile_manager_set_codec_enumeration_setting, self._pm, ctypes.byref(self._major), self.index,
             utf8(name, "name"), t, ctypes.cast(ctypes.byref(v), ctypes.POINTER(ctypes.c_uint8)), 4)

    def __repr__(self) -> str:
        return f"<wmwriter.codecs.Codec {self.index}: {self.name!r}>"


def codec_count(kind: Union[str, GuidLike] = "audio", manager: Optional[ProfileManager] = None) -> int:
    """``GetCodecInfoCount``: codecs of ``"audio"`` or ``"video"`` (or a major-type GUID)
    that can encode here."""
    major = _major(kind)
    return get_scalar(_ffi.wm_profile_manager_get_codec_info_count, ctypes.c_uint32, _pm(manager), ctypes.byref(major))


def codecs(kind: Union[str, GuidLike] = "audio", manager: Optional[ProfileManager] = None) -> List[Codec]:
    """The codecs of ``kind`` that can encode here, in enumeration order."""
    pm = _pm(manager)
    major = _major(kind)
    return [Codec(pm, major, i) for i in range(codec_count(major, pm))]


__all__ = [
    "SystemProfileInfo", "SYSTEM_PROFILE_IDS", "system_profile_id", "load_system_profile", "system_profiles",
    "Codec", "CodecFormat", "codec_count", "codecs",
    "VBR_ENABLED", "NUM_PASSES", "VBR_QUALITY", "IS_VBR_SUPPORTED", "TYPE_DWORD", "TYPE_BOOL",
]
