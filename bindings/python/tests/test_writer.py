"""Writer: configuration, sessions, writing every kind of data, inputs, sinks, header info."""

from __future__ import annotations

import array
import io
import struct
import uuid

import pytest

import wmwriter
from wmwriter import MediaType, WMError, guids

SILENCE = b"\0" * 4 * 441  # 10 ms of 16-bit stereo 44.1 kHz


def asf_header_ok(path):
    data = path.read_bytes()
    assert data[:16] == bytes.fromhex("3026B2758E66CF11A6D900AA0062CE6C"), "not an ASF file"
    return data


def test_configuration(writer, tmp_path):
    assert writer.input_count == 1
    assert writer.input_number("Audio") == 0
    assert str(tmp_path / "out.wma") == writer.output_filename
    assert writer.sync_tolerance == 3000
    writer.sync_tolerance = 500
    assert writer.sync_tolerance == 500
    props = writer.input_props("Audio")
    assert props.connection_name == "Audio" and props.group_name == ""
    assert props.type == guids.WMMEDIATYPE_Audio
    assert props.media_type == MediaType.pcm(2, 44100, 16)
    assert [p.media_type for p in writer.input_formats(0)] == [MediaType.pcm(2, 44100, 16)]
    assert len(writer.inputs) == 1
    writer.set_input_props(0, props)
    writer.flush()
    assert "out.wma" in repr(writer)


def test_configuration_errors(tmp_path):
    w = wmwriter.Writer()
    with pytest.raises(WMError) as e:
        w.input_count
    assert e.value.name == "NS_E_NOT_CONFIGURED"
    with pytest.raises(WMError) as e:
        w.begin()
    assert e.value.name == "NS_E_NOT_CONFIGURED"
    with pytest.raises(WMError) as e:
        w.set_profile(wmwriter.Profile())  # no streams
    assert e.value.name == "NS_E_INVALIDPROFILE"
    with pytest.raises(WMError) as e:
        w.output_filename = ""
    assert e.value.name == "E_INVALIDARG"
    assert w.output_filename is None
    p = wmwriter.Profile()
    p.add_audio_stream(1, 8000, 16)
    w.set_profile(p)
    with pytest.raises(WMError) as e:
        w.input_props(3)
    assert e.value.name == "E_INVALIDARG"
    props = w.input_props(0)
    props.media_type = MediaType.pcm(2, 8000, 16)  # not a format this input accepts
    with pytest.raises(WMError) as e:
        w.set_input_props(0, props)
    assert e.value.name == "NS_E_INVALID_INPUT_FORMAT"
    w.output_filename = tmp_path / "no-such-dir" / "x.wma"
    with pytest.raises(WMError) as e:
        w.begin()
    assert e.value.name == "NS_E_FILE_OPEN_FAILED"


def test_session_state_machine(writer, tmp_path):
    with pytest.raises(WMError) as e:
        writer.allocate_sample(4)
    assert e.value.name == "NS_E_INVALID_REQUEST"
    with pytest.raises(WMError) as e:
        writer.write(0, 0, SILENCE)
    assert e.value.name == "NS_E_INVALID_REQUEST"
    writer.begin()
    assert writer.writing
    with pytest.raises(WMError) as e:
        writer.begin()
    assert e.value.name == "NS_E_INVALID_REQUEST"
    with pytest.raises(WMError) as e:
        writer.set_profile(wmwriter.Profile())
    assert e.value.name == "NS_E_INVALID_REQUEST"
    with pytest.raises(WMError) as e:
        writer.metadata["Title"] = "too late"
    assert e.value.name == "NS_E_INVALID_REQUEST"
    writer.write(0, 0, SILENCE)
    with pytest.raises(WMError) as e:
        writer.write(0, 0, b"\0" * 3)  # not whole PCM blocks
    assert e.value.name == "NS_E_INVALID_DATA"
    with pytest.raises(WMError) as e:
        writer.write(0, 0, b"")
    assert e.value.name == "NS_E_INVALID_DATA"
    writer.end()
    assert not writer.writing
    asf_header_ok(tmp_path / "out.wma")
    # The writer can write another file.
    writer.output_filename = tmp_path / "second.wma"
    with writer:
        writer.write(0, 0, SILENCE)
    asf_header_ok(tmp_path / "second.wma")


def test_context_manager_ends_the_file_even_on_error(writer, tmp_path):
    with pytest.raises(RuntimeError):
        with writer:
            writer.write(0, 0, SILENCE)
            raise RuntimeError("boom")
    assert not writer.writing
    assert not writer.closed  # `with writer` is a session, not ownership
    asf_header_ok(tmp_path / "out.wma")


def test_write_accepts_every_buffer_kind(writer, tmp_path):
    numpy = pytest.importorskip("numpy")
    block = 4 * 441
    kinds = [
        bytes(block),
        bytearray(block),
        memoryview(bytes(block)),
        memoryview(bytearray(block * 2))[block:],
        array.array("h", [0] * (block // 2)),
        numpy.zeros((441, 2), numpy.int16),
        numpy.zeros((441, 4), numpy.uint8)[:, :4],  # a contiguous view
    ]
    with writer:
        for i, data in enumerate(kinds):
            writer.write("Audio", i * 100_000, data)
        with pytest.raises(BufferError):
            writer.write(0, 10**7, numpy.zeros((441, 4), numpy.int16)[:, ::2])
        with pytest.raises(TypeError):
            writer.write(0, 10**7, "text is not bytes")
        with pytest.raises(ValueError, match="time"):
            writer.write(0, -1, bytes(block))
        with pytest.raises(TypeError):
            writer.write(0, 1.5, bytes(block))
        # A sample buffer from the writer is written without any copy.
        buf = writer.allocate_sample(block)
        numpy.frombuffer(buf.view, numpy.int16)[:] = 1
        buf.length = block
        writer.write(0, 10**7, buf)
        buf.close()
    asf_header_ok(tmp_path / "out.wma")


def test_write_sample_with_a_buffer(writer):
    with writer:
        buf = writer.allocate_sample(len(SILENCE))
        buf.write_data(SILENCE)
        writer.write_sample(0, 0, buf, wmwriter.WM_SF_CLEANPOINT)
        buf.close()
        writer.write(0, 50_000, SILENCE, discontinuity=True)
        with pytest.raises(WMError) as e:
            writer.write(0, 0, SILENCE)  # earlier than the input's previous sample
        assert e.value.name == "E_INVALIDARG"


def test_passthrough_write_stream_sample(tmp_path):
    """A compressed stream (here WMV3) takes already-encoded samples in passthrough mode."""
    mt = MediaType.raw_video(32, 32, 25, "I420")
    vih = bytearray(mt.format)
    struct.pack_into("<HI", vih, 62, 24, int.from_bytes(b"WMV3", "little"))  # biBitCount, biCompression
    p = wmwriter.Profile()
    cfg = p.create_new_stream(guids.WMMEDIATYPE_Video)
    cfg.media_type = MediaType(guids.WMMEDIATYPE_Video, guids.WMMEDIASUBTYPE_WMV3, guids.WMFORMAT_VideoInfo,
                               bytes(vih), False, True, 0)
    cfg.bitrate = 100_000
    cfg.connection_name = "Video"
    p.add_stream(cfg)
    w = wmwriter.Writer(p, tmp_path / "pass.wmv")
    with pytest.raises(WMError) as e:
        w.begin()  # no encoders in this library
    assert e.value.name == "NS_E_VIDEO_CODEC_NOT_INSTALLED"
    w.set_input_props("Video", None)
    with w:
        with pytest.raises(WMError) as e:
            w.write(0, 0, b"\1" * 100)  # passthrough inputs take write_stream_sample
        assert e.value.name == "NS_E_INVALID_REQUEST"
        for i in range(5):
            w.write_stream_sample(cfg.number, i * 400_000, bytes([i]) * 50, duration=400_000, keyframe=i == 0)
        with pytest.raises(WMError) as e:
            w.write_stream_sample(9, 10**7, b"x")
        assert e.value.name == "E_INVALIDARG"
    asf_header_ok(tmp_path / "pass.wmv")


# -- metadata -------------------------------------------------------------------------------


def test_metadata_mapping(writer):
    md = writer.metadata
    assert isinstance(md, wmwriter.Metadata)
    assert "Title" not in md
    md["Title"] = "Tïtle ✓"
    md["WM/TrackNumber"] = 7
    md["WM/Lyrics_Synchronised"] = b"\x01\x02"
    md["IsVBR"] = True
    md["Big"] = 1 << 40
    md["WM/Picture"] = wmwriter.Picture("image/png", b"\x89PNG....", description="cover")
    md["GUIDValue"] = uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert md["Title"] == "Tïtle ✓"
    assert md["WM/TrackNumber"] == 7
    assert md.get_typed("WM/TrackNumber").type == wmwriter.WMT_TYPE_DWORD
    assert md["WM/Lyrics_Synchronised"] == b"\x01\x02"
    assert md["IsVBR"] is True and md.get_typed("IsVBR").type == wmwriter.WMT_TYPE_BOOL
    assert md["Big"] == 1 << 40 and md.get_typed("Big").type == wmwriter.WMT_TYPE_QWORD
    assert md["WM/Picture"] == wmwriter.Picture("image/png", b"\x89PNG....", 3, "cover")
    assert md["GUIDValue"] == uuid.UUID("12345678-1234-5678-1234-567812345678")
    assert list(md) == ["Title", "WM/TrackNumber", "WM/Lyrics_Synchronised", "IsVBR", "Big", "WM/Picture",
                        "GUIDValue"]
    assert len(md) == 7
    md["Title"] = "Replaced"
    assert md["Title"] == "Replaced" and len(md) == 7
    md["Short"] = wmwriter.Typed(5, wmwriter.WMT_TYPE_WORD)
    assert md.get_typed("Short") == wmwriter.Typed(5, wmwriter.WMT_TYPE_WORD)
    del md["Short"]
    with pytest.raises(KeyError):
        md["Short"]
    with pytest.raises(KeyError):
        del md["Short"]
    md.update({"Author": "me", "Copyright": "(c)"})
    assert md.get("Author") == "me" and md.get("Nope", 1) == 1


def test_metadata_duplicates_and_large_values(writer):
    md = writer.metadata
    md.add("WM/Genre", "Jazz")
    md.add("WM/Genre", "Blues")
    assert md["WM/Genre"] == "Jazz"
    assert md.get_all("WM/Genre") == ["Jazz", "Blues"]
    assert md.items_with_duplicates() == [("WM/Genre", "Jazz"), ("WM/Genre", "Blues")]
    big = bytes(range(256)) * 300  # 76,800 bytes: more than SetAttribute's 16-bit length
    md["Blob"] = big
    assert md.get_all("Blob") == [big]
    assert md["Blob"] == big  # read through the 32-bit index API
    del md["WM/Genre"]
    assert md.get_all("WM/Genre") == []


def test_metadata_type_errors(writer):
    md = writer.metadata
    with pytest.raises(ValueError):
        md["Negative"] = -1
    with pytest.raises(ValueError):
        md["Huge"] = 1 << 64
    with pytest.raises(TypeError):
        md["Float"] = 1.5
    with pytest.raises(WMError) as e:
        md["Duration"] = 5  # computed at file level: read-only
    assert e.value.name == "NS_E_ATTRIBUTE_READ_ONLY"
    with pytest.raises(WMError) as e:
        md["IsVBR"] = "yes"  # a well-known name with the wrong type (BOOL)
    assert e.value.name == "E_INVALIDARG"


def test_stream_metadata_and_computed_attributes(writer, tmp_path):
    s1 = writer.stream_metadata(1)
    s1["WM/StreamLanguage"] = "fr"  # arbitrary per-stream attribute
    assert writer.stream_metadata(1)["WM/StreamLanguage"] == "fr"
    with pytest.raises(WMError) as e:
        writer.stream_metadata(9)["X"] = "y"
    assert e.value.name == "NS_E_INVALID_REQUEST"
    with writer:
        writer.write(0, 0, SILENCE * 100)  # 1 s
    assert writer.metadata["Duration"] == 10_000_000
    assert writer.metadata["HasAudio"] is True


def test_markers_and_scripts(writer, tmp_path):
    writer.add_marker("Chapter 1", 0)
    writer.add_marker("Chapter 2", 5_000_000)
    assert writer.markers == [("Chapter 1", 0), ("Chapter 2", 5_000_000)]
    writer.remove_marker(0)
    assert writer.markers == [("Chapter 2", 5_000_000)]
    writer.add_script("URL", "https://example.com/", 10_000)
    writer.add_script("TEXT", "hello", 20_000)
    assert writer.scripts == [("URL", "https://example.com/", 10_000), ("TEXT", "hello", 20_000)]
    writer.remove_script(1)
    assert len(writer.scripts) == 1
    with pytest.raises(WMError) as e:
        writer.add_script("", "x", 0)
    assert e.value.name == "E_INVALIDARG"
    with pytest.raises(WMError) as e:
        writer.remove_marker(5)
    assert e.value.name == "E_INVALIDARG"
    with writer:
        with pytest.raises(WMError) as e:
            writer.add_marker("late", 0)
        assert e.value.name == "NS_E_INVALID_REQUEST"
        writer.write(0, 0, SILENCE * 100)
    data = asf_header_ok(tmp_path / "out.wma")
    assert "Chapter 2".encode("utf-16-le") in data
    assert "https://example.com/".encode("utf-16-le") in data


# -- sinks ------------------------------------------------------------------------------------


def test_callback_sink_to_bytesio_equals_the_file(writer, tmp_path):
    out = io.BytesIO()
    sink = wmwriter.CallbackSink.to_file(out)
    writer.add_sink(sink)
    assert len(writer.sinks) == 2
    with writer:
        for i in range(20):
            writer.write(0, i * 100_000, SILENCE * 10)
    assert out.getvalue() == (tmp_path / "out.wma").read_bytes()
    assert writer.remove_sink(sink) is True
    assert writer.remove_sink(sink) is False  # S_FALSE: not attached


def test_streaming_callback_sink_and_file_sink(writer, tmp_path):
    chunks = []
    headers = []
    streaming = wmwriter.CallbackSink(chunks.append, headers.append, can_seek=False)
    file_sink = wmwriter.FileSink(tmp_path / "copy.wma")
    writer.add_sink(streaming)
    writer.add_sink(file_sink)
    with pytest.raises(WMError) as e:
        writer.add_sink(file_sink)  # already attached
    assert e.value.name == "E_INVALIDARG"
    with writer:
        writer.write(0, 0, SILENCE * 100)
    assert len(headers) == 1 and chunks
    assert (tmp_path / "copy.wma").read_bytes() == (tmp_path / "out.wma").read_bytes()
    streaming.close()
    file_sink.close()


def test_callback_exception_becomes_the_cause(writer):
    def fail(data: bytes) -> None:
        raise OSError("disk full")

    sink = wmwriter.CallbackSink(fail, lambda data: None)
    writer.add_sink(sink)
    with pytest.raises(WMError) as e:
        with writer:
            for i in range(100):
                writer.write(0, i * 100_000, SILENCE * 10)
    assert e.value.name == "NS_E_FILE_WRITE"
    assert isinstance(e.value.__cause__, OSError)


def test_picture_of_exactly_sizeof_wm_picture_bytes(writer):
    """Regression guard: the library may read a ``WM/Picture`` value of exactly
    ``sizeof(WM_PICTURE)`` (40) bytes at a pointer-aligned address as a ``WM_PICTURE``
    struct and follow its bytes as pointers (a crash). The bindings pass picture bytes
    at an odd address, so a 40-byte picture must round-trip and 40 bytes of junk must
    not crash."""
    pic = wmwriter.Picture("image/png", b"\x89PNG\r\n\x1a\n12345")
    assert len(pic.to_bytes()) == 40
    writer.metadata["WM/Picture"] = pic
    assert writer.metadata["WM/Picture"] == pic
    writer.metadata.add("WM/Picture", pic)
    assert writer.metadata.get_all("WM/Picture") == [pic, pic]
    junk = b"\x01" * 40  # not a valid picture layout: a struct to older/heuristic readers
    try:
        writer.metadata["WM/Picture"] = junk
    except WMError as e:
        assert e.name == "E_INVALIDARG"
    else:
        assert writer.metadata["WM/Picture"] == junk


@pytest.mark.parametrize("raw", [b"", b"\x03", b"\x03\x05\0\0\0a\0b\0", b"\x03\x01\0\0\0\0\0\0\0xx"])
def test_picture_from_bytes_rejects_bad_layouts(raw):
    with pytest.raises(ValueError):
        wmwriter.Picture.from_bytes(raw)
