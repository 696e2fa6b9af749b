"""Writing a 1 MiB sample costs at most one copy: from the caller's object straight into
the writer's sample buffer.

Method: ``tracemalloc`` traces every allocation made through Python's allocators
(``bytes``, ``bytearray``, ``memoryview`` exports, numpy data, ctypes objects...), but
not the library's own (Rust) allocations, such as the pooled sample buffer the one
copy lands in. So an intermediate Python copy of the sample (``bytes(data)``,
``data.tobytes()``, ``ctypes.create_string_buffer(data)``...) would show up as a
1 MiB peak. We warm up with one write (caches, the input map), reset the peak, write
one more 1 MiB sample and require the peak to grow by less than 64 KiB. A control
measurement proves the method sees a copy: ``bytes(bytearray(1 MiB))`` under the same
measurement peaks at >= 1 MiB.
"""

from __future__ import annotations

import array
import tracemalloc

import pytest

import wmwriter

MIB = 1 << 20
LIMIT = 64 * 1024
SIDE = 512  # RGB32 512x512 = exactly 1 MiB per frame


def peak_growth(fn) -> int:
    """Bytes of Python memory allocated at peak while ``fn`` runs, above what was live before."""
    tracemalloc.start()
    try:
        fn()  # warm-up
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


@pytest.fixture
def frame_writer(tmp_path):
    profile = wmwriter.Profile()
    cfg = profile.add_video_stream(SIDE, SIDE, 25, "RGB32")
    assert cfg.media_type.sample_size == MIB
    w = wmwriter.Writer(profile, tmp_path / "big.wmv")
    w.begin()
    t = [0]

    def write(data) -> None:
        w.write(0, t[0], data, keyframe=True)
        t[0] += 400_000

    yield write
    w.end()
    w.close()


def test_the_method_detects_a_copy():
    data = bytearray(MIB)
    assert peak_growth(lambda: bytes(data)) >= MIB


def make(kind: str):
    if kind == "bytes":
        return bytes(MIB)
    if kind == "bytearray":
        return bytearray(MIB)
    if kind == "memoryview":
        return memoryview(bytes(2 * MIB))[MIB:]
    if kind == "array":
        return array.array("I", bytes(MIB))
    np = pytest.importorskip("numpy")
    if kind == "numpy":
        return np.zeros((SIDE, SIDE, 4), np.uint8)
    if kind == "numpy-int32-view":
        return np.zeros((2 * SIDE, SIDE), np.int32)[SIDE:]  # a C-contiguous slice
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview", "array", "numpy", "numpy-int32-view"])
def test_writing_1mib_allocates_no_python_copy(frame_writer, kind):
    data = make(kind)
    grown = peak_growth(lambda: frame_writer(data))
    assert grown < LIMIT, f"writing a 1 MiB {kind} allocated {grown} bytes of Python memory"


def test_writing_a_filled_sample_buffer_copies_nothing(frame_writer, tmp_path):
    """The zero-copy path: fill the writer's own buffer in place, then write it."""
    np = pytest.importorskip("numpy")
    profile = wmwriter.Profile()
    profile.add_video_stream(SIDE, SIDE, 25, "RGB32")
    with wmwriter.Writer(profile, tmp_path / "zero.wmv") as w:
        t = [0]

        def fill_and_write() -> None:
            buf = w.allocate_sample(MIB)
            np.frombuffer(buf.view, np.uint8)[:] = 0x7F
            buf.length = MIB
            w.write(0, t[0], buf, keyframe=True)
            buf.close()
            t[0] += 400_000

        assert peak_growth(fill_and_write) < LIMIT
