"""System profiles and codec enumeration through the Python binding (wmwriter.codecs)."""

from __future__ import annotations

import uuid

import pytest

import wmwriter
from wmwriter import codecs


def test_system_profile_counts_and_identity():
    pm = wmwriter.ProfileManager()
    assert pm.system_profile_version == wmwriter.WMT_VER_4_0
    assert pm.system_profile_count == 21
    counts = {v: len(codecs.system_profiles(v, pm)) for v in
              (wmwriter.WMT_VER_4_0, wmwriter.WMT_VER_7_0, wmwriter.WMT_VER_8_0, wmwriter.WMT_VER_9_0)}
    assert counts == {wmwriter.WMT_VER_4_0: 21, wmwriter.WMT_VER_7_0: 26, wmwriter.WMT_VER_8_0: 27, wmwriter.WMT_VER_9_0: 0}
    assert pm.system_profile_version == wmwriter.WMT_VER_4_0  # restored
    assert len(codecs.SYSTEM_PROFILE_IDS) == 74
    v8 = codecs.system_profiles(wmwriter.WMT_VER_8_0, pm)
    by_ident = {p.identifier: p for p in v8}
    p = by_ident["WMProfile_V80_256Video"]
    assert p.id == uuid.UUID("BBC75500-33D2-4466-B86B-122B201CC9AE")
    assert p.name == "Windows Media Video 8 for Local Area Network (256 Kbps)"
    assert p.stream_count == 2
    assert all(x.identifier.startswith("WMProfile_V80_") for x in v8)
    assert [x.index for x in v8] == list(range(27))


def test_load_by_identifier_and_guid_round_trip():
    pm = wmwriter.ProfileManager()
    for ident, g in codecs.SYSTEM_PROFILE_IDS.items():
        with codecs.load_system_profile(ident, pm) as p:
            assert p.profile_id == g
            xml = pm.save_profile(p)
            with pm.load_profile(xml) as q:
                assert q.name == p.name and q.description == p.description
                assert q.stream_count == p.stream_count
                assert q.profile_id == uuid.UUID(int=0)
                assert pm.save_profile(q) == xml
    with codecs.load_system_profile("v80_128stereoaudio") as p:
        s = p.streams[0]
        assert s.bitrate == 128000
        assert "Better than CD quality, 128 Kbps" in p.name
    with codecs.load_system_profile("V80_28856VideoMBR") as p:
        assert p.stream_count == 4
    with pytest.raises(wmwriter.WMError) as e:
        codecs.load_system_profile(uuid.UUID(int=1), pm)
    assert e.value.name == "E_INVALIDARG"


def test_codec_enumeration_matches_what_is_available():
    pm = wmwriter.ProfileManager()
    for kind in ("audio", "video"):
        found = codecs.codecs(kind, pm)
        assert len(found) == codecs.codec_count(kind, pm)
        for c in found:
            assert len(c.name) > 3
            assert isinstance(c.prop(codecs.IS_VBR_SUPPORTED), bool)
            assert c.get_setting(codecs.NUM_PASSES) == 1
            for f in c.formats():
                assert f.description
                assert f.stream.bitrate > 0
                f.stream.number = 1
                f.stream.connection_name = "In"
                with wmwriter.Profile() as prof:
                    prof.add_stream(f.stream)
                    assert prof.stream_count == 1
                f.stream.close()
    with pytest.raises(wmwriter.WMError) as e:
        codecs.codec_count(wmwriter.guids.WMMEDIATYPE_Script, pm)
    assert e.value.name == "E_INVALIDARG"
    n = codecs.codec_count("audio", pm)
    with pytest.raises(wmwriter.WMError):
        codecs.Codec(pm, codecs._major("audio"), n).name  # one past the end


def test_user_language_id_raw_ffi():
    import ctypes
    pm = wmwriter.ProfileManager()
    lang = ctypes.c_uint16(0)
    assert wmwriter._ffi.wm_profile_manager_get_user_language_id(pm, ctypes.byref(lang)) == 0
    assert lang.value == 0x409
