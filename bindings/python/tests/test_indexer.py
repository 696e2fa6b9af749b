"""The indexer (IWMIndexer) and FileSink.auto_indexing from Python: an ffmpeg-made
WMV2 file with its index stripped gets a Simple Index; ffmpeg then seeks to frame 50;
a cancel leaves the file byte-identical."""

from __future__ import annotations

import shutil
import struct
import subprocess
import threading

import pytest

import wmwriter
from wmwriter import WMError

SIMPLE_INDEX = bytes.fromhex("9008003" "3b1e5cf1189f400a0c90349cb")


def _ffmpeg(*args: str) -> bytes:
    r = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", *args], capture_output=True, check=True)
    assert r.stderr == b"", r.stderr
    return r.stdout


@pytest.fixture
def stripped(tmp_path):
    if not shutil.which("ffmpeg"):
        pytest.skip("ffmpeg not installed")
    src = tmp_path / "src.asf"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=s=64x48:r=25:d=6", "-c:v", "wmv2", "-g", "25", "-f", "asf", "-y", str(src))
    b = src.read_bytes()
    hs = struct.unpack_from("<Q", b, 16)[0]
    data_end = hs + struct.unpack_from("<Q", b, hs + 16)[0]
    assert b[data_end:data_end + 16] == SIMPLE_INDEX  # ffmpeg's own index
    f = tmp_path / "stripped.asf"
    f.write_bytes(b[:data_end])
    return src, f, data_end


def _frame(*args: str) -> bytes:
    return _ffmpeg(*args, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-")


def test_index_then_ffmpeg_seeks_to_frame_50(stripped):
    src, f, data_end = stripped
    seen = []
    with wmwriter.Indexer() as ix:
        ix.index(f, seen.append)
    assert seen[0] == 0 and seen[-1] == 100 and seen == sorted(set(seen))
    b = f.read_bytes()
    assert b[data_end:data_end + 16] == SIMPLE_INDEX
    assert struct.unpack_from("<Q", b, data_end + 16)[0] == len(b) - data_end
    want = _frame("-i", str(src), "-vf", "select=eq(n\\,50)")
    assert want != _frame("-i", str(src), "-vf", "select=eq(n\\,49)")
    assert _frame("-ss", "2", "-i", str(f)) == want


def test_cancel_leaves_the_file_byte_identical(stripped):
    _, f, _ = stripped
    before = f.read_bytes()
    events = []
    done = threading.Event()
    ix = wmwriter.Indexer()

    def on_status(status, hr, value):
        events.append((status, hr))
        if status == wmwriter.WMT_STARTED:
            ix.cancel()
        if status == wmwriter.WMT_CLOSED:
            done.set()

    ix.start(f, on_status)
    assert ix.wait(60000) == wmwriter.E_ABORT
    assert done.is_set()
    assert events[0] == (wmwriter.WMT_STARTED, 0) and events[-1] == (wmwriter.WMT_CLOSED, wmwriter.E_ABORT)
    assert f.read_bytes() == before
    ix.close()


def test_errors_and_configure(tmp_path):
    ix = wmwriter.Indexer()
    with pytest.raises(WMError) as e:
        ix.start(tmp_path / "missing.wmv")
    assert e.value.name == "NS_E_FILE_NOT_FOUND"
    assert not (tmp_path / "missing.wmv").exists()
    ix.configure(0, wmwriter.WMT_IT_PRESENTATION_TIME, 500, wmwriter.WMT_IT_NEAREST_CLEAN_POINT)
    ix.configure(1, wmwriter.WMT_IT_FRAME_NUMBERS, 10)
    ix.configure(1, wmwriter.WMT_IT_TIMECODE)
    with pytest.raises(WMError) as e:
        ix.configure(1, 7)
    assert e.value.name == "E_INVALIDARG" and "WMT_INDEXER_TYPE" in e.value.message
    assert ix.wait(0) == wmwriter.S_FALSE
    ix.close()


def test_file_sink_auto_indexing():
    s = wmwriter.FileSink()
    assert s.auto_indexing is True
    s.auto_indexing = False
    assert s.auto_indexing is False
    s.close()
