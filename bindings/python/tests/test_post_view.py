"""IWMWriterPostView (post view of a PCM stream) and INSSBuffer2/3/4 properties."""

from __future__ import annotations

import struct

import pytest

import wmwriter
from wmwriter import Buffer, MediaType, WMError, guids

CHUNK = 4 * 4410  # 100 ms of 16-bit stereo 44.1 kHz
N = 10


def pcm_chunks():
    """N distinct chunks (a ramp), so a lost, repeated or reordered byte shows."""
    out = []
    for i in range(N):
        out.append(bytes((i * 7 + k * 13) & 0xFF for k in range(CHUNK)))
    return out


def write_all(w, chunks):
    with w:
        for i, c in enumerate(chunks):
            w.write("Audio", i * 1_000_000, c)


def test_post_view_of_pcm_is_the_input_with_its_times(writer):
    got = []
    writer.set_post_view_callback(lambda s, t, d, f, data: got.append((s, t, d, f, data)))
    assert writer.receive_post_view_samples(1) is False
    writer.set_receive_post_view_samples(1, True)
    assert writer.receive_post_view_samples(1) is True
    chunks = pcm_chunks()
    write_all(writer, chunks)
    assert writer.post_view_error is None
    assert [g[0] for g in got] == [1] * N
    assert [g[1] for g in got] == [i * 1_000_000 for i in range(N)]
    assert [g[2] for g in got] == [1_000_000] * N  # 4410 frames at 44.1 kHz
    assert all(g[3] & wmwriter.WM_SF_CLEANPOINT for g in got)
    assert b"".join(g[4] for g in got) == b"".join(chunks)
    assert [g[4] for g in got] == chunks

    # Receive off: nothing.
    got.clear()
    writer.set_receive_post_view_samples(1, False)
    write_all(writer, chunks)
    assert got == []

    # Callback removed: receiving is harmless.
    writer.set_receive_post_view_samples(1, True)
    writer.set_post_view_callback(None)
    write_all(writer, chunks)
    assert got == []


def test_post_view_formats_and_props(writer):
    formats = writer.post_view_formats(1)
    assert [f.media_type for f in formats] == [MediaType.pcm(2, 44100, 16)]
    props = writer.post_view_props(1)
    assert props.media_type == MediaType.pcm(2, 44100, 16)
    writer.set_post_view_props(1, formats[0])
    writer.set_post_view_props(1, None)
    writer.begin()
    with pytest.raises(WMError) as e:
        writer.set_post_view_props(1, formats[0])
    assert e.value.name == "NS_E_INVALID_REQUEST"
    writer.end()


def test_allocate_for_post_view(writer):
    allocated = []
    got = []

    def allocate(stream, size):
        b = Buffer(size)
        allocated.append((stream, size))
        return b

    writer.set_post_view_callback(lambda s, t, d, f, data: got.append((t, data)), allocate)
    writer.set_receive_post_view_samples(1, True)
    assert writer.allocate_for_post_view(1) is False
    writer.set_allocate_for_post_view(1, True)
    assert writer.allocate_for_post_view(1) is True
    chunks = pcm_chunks()
    write_all(writer, chunks)
    assert writer.post_view_error is None
    assert allocated == [(1, CHUNK)] * N
    assert [g[1] for g in got] == chunks

    # An allocator that gives nothing: no samples, no error in the writer.
    got.clear()
    writer.set_post_view_callback(lambda s, t, d, f, data: got.append(data), lambda s, n: None)
    write_all(writer, chunks)
    assert got == []


def test_post_view_callback_exception_is_kept(writer):
    def boom(*args):
        raise RuntimeError("boom")

    writer.set_post_view_callback(boom)
    writer.set_receive_post_view_samples(1, True)
    write_all(writer, pcm_chunks())  # the writer goes on
    assert isinstance(writer.post_view_error, RuntimeError)


def test_post_view_bad_arguments(writer):
    w = wmwriter.Writer()
    with pytest.raises(WMError) as e:
        w.set_receive_post_view_samples(1, True)
    assert e.value.name == "NS_E_NOT_CONFIGURED" and e.value.hresult == wmwriter.NS_E_NOT_CONFIGURED
    w.close()
    for call in (lambda: writer.set_receive_post_view_samples(5, True),
                 lambda: writer.receive_post_view_samples(5),
                 lambda: writer.post_view_formats(9),
                 lambda: writer.post_view_props(3),
                 lambda: writer.allocate_for_post_view(6),
                 lambda: writer.set_allocate_for_post_view(6, True)):
        with pytest.raises(WMError) as e:
            call()
        assert e.value.name == "E_INVALIDARG"
        assert e.value.function.startswith("wm_writer_")
    other = writer.post_view_props(1)
    other.media_type = MediaType.pcm(1, 8000, 16)  # not a listed post-view format
    with pytest.raises(WMError) as e:
        writer.set_post_view_props(1, other)
    assert e.value.name == "NS_E_INVALID_INPUT_FORMAT"


# -- buffer properties --------------------------------------------------------------------


def test_sample_properties_round_trip():
    b = Buffer(16)
    assert b.sample_properties == b""
    for block in (b"\x01", bytes(range(64)), bytes(range(65)), bytes(255 - i % 256 for i in range(1000))):
        b.sample_properties = block
        assert b.sample_properties == block
    b.sample_properties = bytearray(b"abc")
    assert b.sample_properties == b"abc"
    b.sample_properties = b""
    assert b.sample_properties == b""
    # The raw call: a block longer than the room is ASF_E_BUFFERTOOSMALL, nothing copied.
    b.sample_properties = b"xyz"
    room = (wmwriter._ffi.ctypes.c_uint8 * 2)(9, 9)
    assert wmwriter._ffi.wm_buffer_get_sample_properties(b, 2, room) == wmwriter.ASF_E_BUFFERTOOSMALL
    assert list(room) == [9, 9]


def timecode(wm_timecode, range_=0, user_bits=0, amflags=0):
    """WMT_TIMECODE_EXTENSION_DATA: WORD wRange, DWORD dwTimecode, dwUserbits, dwAmFlags."""
    return struct.pack("<HIII", range_, wm_timecode, user_bits, amflags)


def test_buffer_properties_round_trip():
    b = Buffer(16)
    assert b.property_count == 0 and b.properties == {}
    tc = timecode(0x01020304)
    assert len(tc) == 14
    b.set_property(guids.WM_SampleExtensionGUID_Timecode, tc)
    b.set_property("WM_SampleExtensionGUID_PixelAspectRatio", bytes([4, 3]))
    assert b.get_property(guids.WM_SampleExtensionGUID_Timecode) == tc
    assert b.get_property(guids.WM_SampleExtensionGUID_PixelAspectRatio) == b"\x04\x03"
    assert b.property_count == 2
    assert b.property_by_index(0) == (guids.WM_SampleExtensionGUID_Timecode, tc)
    assert b.property_by_index(1) == (guids.WM_SampleExtensionGUID_PixelAspectRatio, b"\x04\x03")
    # Replacing keeps the order of first setting.
    b.set_property(guids.WM_SampleExtensionGUID_Timecode, timecode(7))
    assert list(b.properties.items()) == [
        (guids.WM_SampleExtensionGUID_Timecode, timecode(7)),
        (guids.WM_SampleExtensionGUID_PixelAspectRatio, b"\x04\x03"),
    ]
    # An empty value is a value.
    b.set_property(guids.WM_SampleExtensionGUID_UserDataInfo, b"")
    assert b.get_property(guids.WM_SampleExtensionGUID_UserDataInfo) == b""
    assert b.property_count == 3


def test_buffer_property_errors():
    b = Buffer(16)
    with pytest.raises(WMError) as e:
        b.get_property(guids.WM_SampleExtensionGUID_SampleDuration)
    assert e.value.name == "NS_E_UNSUPPORTED_PROPERTY"
    assert e.value.hresult == wmwriter.NS_E_UNSUPPORTED_PROPERTY
    assert e.value.function == "wm_buffer_get_property"
    with pytest.raises(WMError) as e:
        b.property_by_index(0)
    assert e.value.name == "E_INVALIDARG"
    with pytest.raises(ValueError):
        b.get_property("not a guid")
    assert wmwriter._ffi.wm_buffer_set_property(b, None, None, 0) == wmwriter.E_POINTER
    b.close()
    with pytest.raises(Exception, match="closed Buffer"):
        b.property_count
