"""Buffer: lengths, the buffer protocol over the sample memory, views outliving close()."""

from __future__ import annotations

import array
import gc
import sys

import pytest

import wmwriter
from wmwriter import WMError
from wmwriter.buffer import readable



def test_lengths():
    with wmwriter.Buffer(64) as b:
        assert (b.length, b.max_length) == (0, 64)
        b.length = 10
        assert b.length == 10
        with pytest.raises(WMError) as e:
            b.length = 65
        assert e.value.name == "E_INVALIDARG"
        assert b.address != 0


def test_view_is_the_sample_memory():
    b = wmwriter.Buffer(8)
    v = b.view
    assert isinstance(v, memoryview) and v.format == "B" and len(v) == 8 and not v.readonly
    v[:4] = b"abcd"
    b.length = 4
    assert b.tobytes() == b"abcd"
    assert b.view[:4].tobytes() == b"abcd"  # a second view sees the same bytes


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 688 (__buffer__) needs Python 3.12")
def test_memoryview_of_buffer():
    b = wmwriter.Buffer(4)
    memoryview(b)[:] = b"wxyz"
    b.length = 4
    assert bytes(b)[:4] == b"wxyz"


def test_views_keep_the_memory_alive_after_close():
    b = wmwriter.Buffer(1 << 16)
    v = b.view
    base = b._refcount()
    b.close()
    v[-1] = 7  # still valid: the view holds its own reference
    assert v[-1] == 7
    del v
    gc.collect()
    assert base == 2  # the wrapper's and the view's


def test_write_data_and_tobytes():
    b = wmwriter.Buffer(10)
    b.write_data(b"hello")
    assert b.length == 5 and b.tobytes() == b"hello"
    b.write_data(bytearray(b"XY"), offset=5)
    assert b.tobytes() == b"helloXY"
    b.write_data(array.array("h", [1, 2]))
    assert b.tobytes() == b"\x01\x00\x02\x00"
    with pytest.raises(ValueError, match="do not fit"):
        b.write_data(b"x" * 11)
    with pytest.raises(BufferError):
        b.write_data(memoryview(b"abcdef")[::2])
    with pytest.raises(TypeError):
        b.write_data(12)


def test_readable_gives_the_objects_own_memory():
    import ctypes

    data = bytearray(b"0123456789")
    with readable(data) as (addr, n):
        assert n == 10
        assert addr == ctypes.addressof((ctypes.c_char * 10).from_buffer(data))
    mv = memoryview(data)[2:6]
    with readable(mv) as (addr2, n2):
        assert (n2, ctypes.string_at(addr2, n2)) == (4, b"2345")
    frozen = b"immutable"
    with readable(memoryview(frozen)) as (addr3, n3):  # read-only exporters work too
        assert ctypes.string_at(addr3, n3) == frozen
    with readable(b"") as (_, n4):
        assert n4 == 0


def test_numpy_arrays():
    numpy = pytest.importorskip("numpy")
    b = wmwriter.Buffer(16)
    arr = numpy.frombuffer(b.view, dtype=numpy.int16)  # zero-copy fill
    arr[:] = numpy.arange(8)
    b.length = 16
    assert numpy.array_equal(numpy.frombuffer(b.tobytes(), numpy.int16), numpy.arange(8))
    b.write_data(numpy.full((2, 2), 7, numpy.int32))
    assert b.tobytes() == numpy.full(4, 7, numpy.int32).tobytes()
    with pytest.raises(BufferError):
        b.write_data(numpy.zeros((4, 4), numpy.uint8)[:, ::2])  # not C-contiguous
    with pytest.raises(BufferError):
        b.write_data(numpy.zeros((4, 4), numpy.uint8).T)
