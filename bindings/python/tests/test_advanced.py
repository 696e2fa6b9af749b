"""IWMWriterAdvanced 1/2/3 (writer time, statistics, live source, input settings),
IWMWriterPreprocess, IWMWriterFileSink2/3, IWMWriterSink, IWMLanguageList, IWMPacketSize2,
IWMPropertyVault, IWMStreamConfig2/3 data-unit extensions reaching the file."""

from __future__ import annotations

import struct
import uuid

import pytest

import wmwriter
from wmwriter import Buffer, WMError, codecs, guids

CHUNK = 4 * 4410  # 100 ms of 16-bit stereo 44.1 kHz
FILE_PROPERTIES = bytes.fromhex("A1DCAB8C47A9CF118EE400C00C205365")
EXT_STREAM_PROPERTIES = bytes.fromhex("CBA5E61472C632438399A96952065B5A")


def test_writer_time_and_statistics(writer):
    assert writer.writer_time == 0
    assert writer.statistics()["qwSampleCount"] == 0
    with pytest.raises(WMError) as e:
        writer.statistics_ex()
    assert e.value.name == "NS_E_INVALID_REQUEST"
    writer.begin()
    with pytest.raises(WMError) as e:
        writer.statistics(7)
    assert e.value.name == "E_INVALIDARG"
    for i in range(5):
        writer.write(0, i * 1_000_000, bytes(CHUNK))
    assert writer.writer_time == 4_000_000
    st = writer.statistics()
    assert st["qwSampleCount"] == 5 and st["qwByteCount"] == 5 * CHUNK
    assert st["dwExpectedBitrate"] == 44100 * 4 * 8
    assert writer.statistics(1)["qwByteCount"] == 5 * CHUNK
    ex = writer.statistics_ex()
    assert ex["dwBitratePlusOverhead"] >= 44100 * 4 * 8
    assert ex["dwTotalSampleDropsInQueue"] == 0
    writer.end()
    writer.set_non_blocking()


def test_live_source_and_real_time(writer):
    assert writer.is_real_time is False
    writer.set_live_source(True)
    assert writer.is_real_time is True
    writer.set_live_source(False)
    assert writer.is_real_time is False


def test_input_settings(writer, tmp_path):
    # The audio input takes no video setting: refused, not stored.
    with pytest.raises(WMError) as e:
        writer.set_input_setting("Audio", "FixedFrameRate", True)
    assert e.value.name == "NS_E_INVALID_REQUEST"
    with pytest.raises(WMError) as e:
        writer.get_input_setting("Audio", "FixedFrameRate")
    assert e.value.name == "ASF_E_NOTFOUND"
    # V80_256Video: the WMV2 320x240 input ("Video").
    with codecs.load_system_profile("V80_256Video") as p:
        w = wmwriter.Writer(p, tmp_path / "v.wmv")
    try:
        w.set_input_setting("Video", "FixedFrameRate", True)
        assert w.get_input_setting("Video", "FixedFrameRate") is True
        w.set_input_setting("Video", "DeinterlaceMode", 1)
        assert w.get_input_setting("Video", "DeinterlaceMode") == 1
        # Half size needs a stream half the input's size; watermarks need DMOs.
        for name, value in (("DeinterlaceMode", 2), ("WatermarkConfig", "cfg"), ("InterlacedCoding", True)):
            with pytest.raises(WMError) as e:
                w.set_input_setting("Video", name, value)
            assert e.value.name == "NS_E_INVALID_REQUEST"
        assert w.get_input_setting("Video", "DeinterlaceMode") == 1
        for name, value in (("NoSuchSetting", 1), ("FixedFrameRate", "yes")):
            with pytest.raises(WMError) as e:
                w.set_input_setting("Video", name, value)
            assert e.value.name == "E_INVALIDARG"
        with pytest.raises(WMError) as e:
            w.set_input_setting(3, "FixedFrameRate", True)
        assert e.value.name == "E_INVALIDARG"
    finally:
        w.close()


def test_preprocessing_has_no_passes(writer):
    # An uncompressed input: no encoder, so no preprocessing pass (two-pass encoding
    # needs a libavcodec video input).
    assert writer.max_preprocessing_passes(0) == 0
    writer.set_num_preprocessing_passes(0, 0)
    with pytest.raises(WMError) as e:
        writer.set_num_preprocessing_passes(0, 1)
    assert e.value.name == "NS_E_INVALID_NUM_PASSES"
    for call in (lambda: writer.begin_preprocessing_pass(0),
                 lambda: writer.preprocess_sample(0, 0, Buffer(4)),
                 lambda: writer.end_preprocessing_pass(0)):
        with pytest.raises(WMError) as e:
            call()
        assert e.value.name == "NS_E_INVALID_REQUEST"
    with pytest.raises(WMError) as e:
        writer.max_preprocessing_passes(4)
    assert e.value.name == "E_INVALIDARG"


def test_file_sink_close_early_size_duration_mode(writer, tmp_path):
    second = tmp_path / "second.wma"
    sink = wmwriter.FileSink(second)
    assert sink.mode == wmwriter.WMT_FM_SINGLE_BUFFERS | wmwriter.WMT_FM_FILESINK_DATA_UNITS | wmwriter.WMT_FM_FILESINK_UNBUFFERED
    assert sink.is_real_time is False
    assert sink.is_closed is False
    writer.add_sink(sink)
    writer.begin()
    for i in range(20):
        writer.write(0, i * 1_000_000, bytes(CHUNK))
    sink.close_file()
    assert sink.is_closed is True
    size = sink.file_size
    duration = sink.file_duration
    assert size == second.stat().st_size > 0
    for i in range(20, 40):
        writer.write(0, i * 1_000_000, bytes(CHUNK))
    writer.end()
    assert sink.file_size == size == second.stat().st_size  # nothing more after close
    assert (tmp_path / "out.wma").stat().st_size > 2 * (size - 8000)  # the writer went on
    assert 0 < duration <= 20_000_000


def test_sink_allocate_data_unit():
    sink = wmwriter.FileSink()
    b = sink.allocate_data_unit(1234)
    assert (b.max_length, b.length) == (1234, 0)


def test_languages_and_min_packet_size(tmp_path):
    p = wmwriter.Profile()
    p.add_audio_stream(2, 44100, 16).close()
    assert p.languages == []
    assert p.add_language("fr-fr") == 0
    assert p.add_language("de-DE") == 1
    assert p.add_language("FR-FR") == 0
    assert p.languages == ["fr-fr", "de-DE"]
    with pytest.raises(WMError) as e:
        p.add_language("not a tag!")
    assert e.value.name == "E_INVALIDARG"
    assert p.min_packet_size == 0
    p.min_packet_size = 3000
    assert p.min_packet_size == 3000
    out = tmp_path / "min.wma"
    with wmwriter.Writer(p, out) as w:
        for i in range(10):
            w.write(0, i * 1_000_000, bytes(CHUNK))
    data = out.read_bytes()
    fp = data.index(FILE_PROPERTIES)
    min_size, max_size = struct.unpack_from("<II", data, fp + 92)
    assert min_size == max_size >= 3000


def test_property_vault():
    p = wmwriter.Profile()
    sc = p.add_audio_stream(2, 44100, 16)
    assert sc.property_count == 0 and sc.properties == {}
    sc.set_property("_VBRENABLED", True)
    sc.set_property("_VBRQUALITY", 90)
    sc.set_property("Custom", "value")
    assert sc.get_property("_VBRQUALITY") == 90
    assert sc.properties == {"_VBRENABLED": True, "_VBRQUALITY": 90, "Custom": "value"}
    with pytest.raises(WMError) as e:
        sc.set_property("_VBRQUALITY", 101)
    assert e.value.name == "E_INVALIDARG"
    with pytest.raises(WMError) as e:
        sc.get_property("Missing")
    assert e.value.name == "NS_E_UNSUPPORTED_PROPERTY"
    other = p.create_new_stream(guids.WMMEDIATYPE_Audio)
    other.copy_properties_from(sc)
    assert other.properties == sc.properties
    sc.clear_properties()
    assert sc.property_count == 0
    with pytest.raises(WMError) as e:
        sc.property_by_index(0)
    assert e.value.name == "E_INVALIDARG"


def test_stream_config_extras():
    p = wmwriter.Profile()
    sc = p.add_audio_stream(2, 44100, 16)
    assert sc.type == guids.WMMEDIATYPE_Audio
    sc.language = "fr-fr"
    assert sc.language == "fr-fr"
    sc.transport_type = wmwriter.WMT_Transport_Type_Reliable
    assert sc.transport_type == wmwriter.WMT_Transport_Type_Reliable


def test_timecode_extension_reaches_the_file(tmp_path):
    p = wmwriter.Profile()
    sc = p.add_audio_stream(2, 44100, 16)
    sc.add_data_unit_extension(guids.WM_SampleExtensionGUID_Timecode, 14)
    assert sc.data_unit_extensions == [(guids.WM_SampleExtensionGUID_Timecode, 14, b"")]
    p.reconfig_stream(sc)
    out = tmp_path / "tc.wma"
    timecodes = [struct.pack("<HIII", 0, 0x00010203 + i, 0, 0) for i in range(5)]
    with wmwriter.Writer(p, out) as w:
        for i, tc in enumerate(timecodes):
            b = w.allocate_sample(CHUNK)
            b.write_data(bytes(CHUNK))
            b.set_property(guids.WM_SampleExtensionGUID_Timecode, tc)
            w.write(0, i * 1_000_000, b)
            b.close()
        b = w.allocate_sample(CHUNK)
        b.write_data(bytes(CHUNK))
        b.set_property(guids.WM_SampleExtensionGUID_Timecode, bytes(15))  # longer than declared
        with pytest.raises(WMError) as e:
            w.write(0, 5_000_000, b)
        assert e.value.name == "NS_E_DATA_UNIT_EXTENSION_TOO_LARGE"
        b.close()
    data = out.read_bytes()
    # Declared in the Extended Stream Properties, carried in the payloads' replicated data.
    assert EXT_STREAM_PROPERTIES in data
    assert bytes(guids.WM_SampleExtensionGUID_Timecode.bytes_le) in data
    for tc in timecodes:
        assert tc in data
    sc.remove_all_data_unit_extensions()
    assert sc.data_unit_extensions == []


def test_drm_is_refused_by_design(writer):
    for call in (writer.generate_key_id, writer.generate_key_seed, writer.generate_signing_key_pair,
                 lambda: writer.set_drm_attribute(0, "DRM_LicenseAcqURL", "http://x"),
                 lambda: writer.set_protect_stream_samples(bytes(32)),
                 lambda: writer.set_wmdrm_net_encryption(True, bytes(16))):
        with pytest.raises(WMError) as e:
            call()
        assert e.value.name == "NS_E_DRM_UNABLE_TO_INITIALIZE"
        assert e.value.hresult == wmwriter.NS_E_DRM_UNABLE_TO_INITIALIZE


def test_header_info_by_index_and_codec_info(writer):
    writer.metadata["Title"] = "one"
    writer.metadata["Author"] = "me"
    n = writer.attribute_count_ex(0)
    names = dict(writer.attribute_by_index(i) for i in range(n))
    assert names["Title"] == "one" and names["Author"] == "me"
    index = [i for i in range(n) if writer.attribute_by_index(i)[0] == "Title"][0]
    writer.modify_attribute(0, index, "two")
    assert writer.metadata["Title"] == "two"
    with pytest.raises(WMError) as e:
        writer.attribute_by_index(n)
    assert e.value.name == "E_INVALIDARG"
    before = writer.codec_info
    writer.add_codec_info("My Codec", "v1", wmwriter.WMT_CODECINFO_AUDIO, b"\x01\x02")
    assert writer.codec_info == before + [("My Codec", "v1", wmwriter.WMT_CODECINFO_AUDIO, b"\x01\x02")]
    with pytest.raises(WMError) as e:
        writer.add_codec_info("x", "y", 7)
    assert e.value.name == "E_INVALIDARG"


def test_profile_by_id_storage_format_packets_and_user_language(tmp_path):
    w = wmwriter.Writer()
    w.set_profile_by_id(guids.WMProfile_V80_256Video)
    assert w.input_count == 2
    with pytest.raises(WMError) as e:
        w.set_profile_by_id(uuid_zero())
    assert e.value.name == "E_INVALIDARG"
    p = wmwriter.Profile()
    p.add_audio_stream(2, 44100, 16).close()
    assert p.storage_format == wmwriter.WMT_Storage_Format_V1
    assert p.expected_packet_count(10_000) > 0
    assert p.expected_packet_count(20_000) >= 2 * p.expected_packet_count(10_000) - 1
    pm = wmwriter.ProfileManager()
    pm.user_language_id = 0x040C
    assert pm.user_language_id == 0x040C


def uuid_zero():
    return uuid.UUID(int=0)


def test_codec_format_config():
    from wmwriter import codecs as c

    cs = c.codecs("audio")
    assert cs, "no audio codecs listed"
    sc = cs[0].format_config(0)
    assert sc.type == guids.WMMEDIATYPE_Audio
    assert sc.number == 1 and sc.bitrate > 0
    with pytest.raises(WMError) as e:
        cs[0].format_config(cs[0].format_count)
    assert e.value.name == "E_INVALIDARG"
