"""ProfileManager, Profile, StreamConfig, MediaType."""

from __future__ import annotations

import struct
import uuid

import pytest

import wmwriter
from wmwriter import MediaType, WMError, guids


def test_profile_manager():
    with wmwriter.ProfileManager() as pm:
        p = pm.create_empty_profile(wmwriter.WMT_VER_9_0)
        assert p.version == wmwriter.WMT_VER_9_0 and p.stream_count == 0
        assert pm.system_profile_count == 21  # version 4.0, the default (test_codecs.py: all)
        pm.system_profile_version = wmwriter.WMT_VER_8_0
        assert pm.system_profile_version == wmwriter.WMT_VER_8_0
        with pytest.raises(WMError) as e:
            pm.load_system_profile(27)
        assert e.value.name == "E_INVALIDARG"
        with pytest.raises(WMError) as e:
            pm.load_profile_by_id(guids.WMMEDIATYPE_Audio)
        assert e.value.name == "E_INVALIDARG"
        with pytest.raises(WMError) as e:
            pm.create_empty_profile(12345)
        assert e.value.name == "E_INVALIDARG"
        with pytest.raises(WMError) as e:
            pm.system_profile_version = 7
        assert e.value.name == "E_INVALIDARG"


def test_profile_properties():
    p = wmwriter.Profile(name="Mine", description="déjà vu ✓")
    assert p.name == "Mine"
    assert p.description == "déjà vu ✓"
    p.name = ""
    assert p.name == ""
    assert p.max_packet_size == 0
    p.max_packet_size = 1500
    assert p.max_packet_size == 1500
    with pytest.raises(WMError) as e:
        p.max_packet_size = 50
    assert e.value.name == "E_INVALIDARG"
    with pytest.raises(WMError) as e:
        p.name = "x" * 300
    assert e.value.name == "E_INVALIDARG"
    with pytest.raises(ValueError):
        p.name = "a\0b"
    assert len(p) == 0 and p.streams == []
    assert isinstance(p.profile_id, uuid.UUID)


def test_add_audio_stream():
    p = wmwriter.Profile()
    cfg = p.add_audio_stream(2, 44100, 16)
    assert cfg.number == 1
    assert cfg.stream_name == cfg.connection_name == "Audio"
    assert cfg.bitrate == 44100 * 4 * 8
    assert cfg.stream_type == guids.WMMEDIATYPE_Audio
    mt = cfg.media_type
    assert mt == MediaType.pcm(2, 44100, 16)
    assert mt.wave_format == {"format_tag": 1, "channels": 2, "sample_rate": 44100, "avg_bytes_per_sec": 176400,
                              "block_align": 4, "bits_per_sample": 16}
    assert mt.is_audio and not mt.is_video
    second = p.add_audio_stream(1, 8000, 8, number=5)
    assert second.number == 5 and second.connection_name == "Audio5"
    named = p.add_audio_stream(1, 22050, 16, name="Commentary")
    assert named.stream_name == "Commentary"
    assert [s.connection_name for s in p.streams] == ["Audio", "Audio5", "Commentary"]
    assert [s.number for s in p] == [1, 5, 2]


def test_add_video_stream():
    p = wmwriter.Profile()
    cfg = p.add_video_stream(64, 48, 25, "I420")
    mt = cfg.media_type
    assert mt.is_video and mt.subtype == guids.WMMEDIASUBTYPE_I420
    vi = mt.video_info
    assert (vi["width"], vi["height"], vi["bit_count"], vi["avg_time_per_frame"]) == (64, 48, 12, 400_000)
    assert mt.sample_size == wmwriter.frame_size("I420", 64, 48) == 64 * 48 * 3 // 2
    assert cfg.bitrate == mt.sample_size * 8 * 25
    rgb = p.add_video_stream(63, 10, 30, "RGB24")
    assert rgb.connection_name == "Video2"
    assert rgb.media_type.sample_size == (63 * 3 + 3) // 4 * 4 * 10  # DWORD-aligned rows
    assert rgb.media_type.video_info["height"] == 10  # bottom-up
    td = p.add_video_stream(8, 8, 10, "RGB32", top_down=True, name="TopDown")
    assert td.media_type.video_info["height"] == -8
    with pytest.raises(ValueError, match="subtype"):
        p.add_video_stream(8, 8, 10, "H264")


def test_stream_config_properties_and_reconfig():
    p = wmwriter.Profile()
    cfg = p.add_audio_stream(1, 8000, 16)
    cfg.bitrate = 12345
    cfg.buffer_window = 2500
    cfg.stream_name = "Voice ✓"
    cfg.connection_name = "Mic"
    assert (cfg.bitrate, cfg.buffer_window, cfg.stream_name, cfg.connection_name) == (12345, 2500, "Voice ✓", "Mic")
    # The profile holds its own copy until reconfig_stream.
    assert p.stream(0).bitrate == 128000
    p.reconfig_stream(cfg)
    again = p.stream_by_number(1)
    assert (again.bitrate, again.buffer_window, again.stream_name, again.connection_name) == (
        12345, 2500, "Voice ✓", "Mic")
    cfg.number = 9
    with pytest.raises(WMError) as e:
        p.reconfig_stream(cfg)
    assert e.value.name == "NS_E_INVALID_STREAM"


def test_create_add_remove_streams():
    p = wmwriter.Profile()
    cfg = p.create_new_stream("WMMEDIATYPE_Audio")
    with pytest.raises(WMError) as e:
        p.add_stream(cfg)  # no media type yet
    assert e.value.name == "NS_E_INVALID_STREAM"
    cfg.media_type = MediaType.pcm(1, 16000, 16)
    cfg.bitrate = 256000
    p.add_stream(cfg)
    with pytest.raises(WMError) as e:
        p.add_stream(cfg)  # number in use
    assert e.value.name == "NS_E_INVALID_STREAM"
    p.add_audio_stream(1, 8000, 16)
    assert len(p) == 2
    p.remove_stream(cfg)
    assert [s.number for s in p.streams] == [2]
    p.remove_stream(2)
    assert len(p) == 0
    with pytest.raises(WMError) as e:
        p.remove_stream(2)
    assert e.value.name == "NS_E_NO_STREAM"
    with pytest.raises(WMError) as e:
        p.stream(0)
    assert e.value.name == "E_INVALIDARG"
    with pytest.raises(WMError) as e:
        p.create_new_stream(guids.WMFORMAT_VideoInfo)  # not a major type
    assert e.value.name == "E_INVALIDARG"


def test_media_type_major_type_must_match_the_stream():
    p = wmwriter.Profile()
    cfg = p.create_new_stream(guids.WMMEDIATYPE_Video)
    with pytest.raises(WMError) as e:
        cfg.media_type = MediaType.pcm(1, 8000, 16)
    assert e.value.name == "E_INVALIDARG"
    empty = MediaType(guids.WMMEDIATYPE_Video, guids.WMMEDIASUBTYPE_I420, guids.WMFORMAT_VideoInfo, b"")
    with pytest.raises(WMError) as e:
        cfg.media_type = empty
    assert e.value.name == "E_INVALIDARG"


def test_media_type_round_trips_every_field():
    p = wmwriter.Profile()
    cfg = p.create_new_stream(guids.WMMEDIATYPE_Video)
    mt = MediaType.raw_video(32, 16, 12.5, "YUY2")
    mt.temporal_compression = True
    mt.fixed_size_samples = False
    cfg.media_type = mt
    assert cfg.media_type == mt
    assert mt.video_info["avg_time_per_frame"] == 800_000
    assert struct.unpack_from("<I", mt.format, 64)[0] == int.from_bytes(b"YUY2", "little")  # biCompression


def test_prx_round_trip():
    p = wmwriter.Profile(name="PRX test")
    p.add_audio_stream(2, 48000, 16)
    p.add_video_stream(32, 32, 10, "RGB24")
    text = p.to_prx()
    assert text.lstrip().startswith("<profile")
    q = wmwriter.Profile.from_prx(text)
    assert q.name == "PRX test"
    assert [s.media_type for s in q.streams] == [s.media_type for s in p.streams]
    assert q.to_prx() == text
    with pytest.raises(WMError) as e:
        wmwriter.Profile.from_prx("<profile")
    assert e.value.name == "NS_E_INVALIDPROFILE" and e.value.message
