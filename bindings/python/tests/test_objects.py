"""Reference ownership (one reference per wrapper) and WMError, for every class."""

from __future__ import annotations

import copy
import gc
import pickle

import pytest

import wmwriter
from wmwriter import WMError, _ffi


def make_objects(tmp_path):
    """One live instance of every wrapper class."""
    profile = wmwriter.Profile()
    config = profile.add_audio_stream(2, 44100, 16)
    writer = wmwriter.Writer(profile, tmp_path / "o.wma")
    return {
        "ProfileManager": wmwriter.ProfileManager(),
        "Profile": profile,
        "StreamConfig": config,
        "Writer": writer,
        "InputProps": writer.input_props(0),
        "Buffer": wmwriter.Buffer(16),
        "FileSink": wmwriter.FileSink(),
        "CallbackSink": wmwriter.CallbackSink(lambda data: None),
    }


CLASSES = ["ProfileManager", "Profile", "StreamConfig", "Writer", "InputProps", "Buffer", "FileSink", "CallbackSink"]


@pytest.mark.parametrize("name", CLASSES)
def test_one_reference_per_wrapper_and_idempotent_close(tmp_path, name):
    obj = make_objects(tmp_path)[name]
    base = obj._refcount()
    assert base >= 1
    other = copy.copy(obj)  # add_ref
    assert other is not obj and other == obj and hash(other) == hash(obj)
    assert obj._refcount() == base + 1
    other.close()
    assert other.closed and not obj.closed
    assert obj._refcount() == base
    other.close()  # idempotent: no second release
    assert obj._refcount() == base
    third = obj.new_reference()
    del third
    gc.collect()
    assert obj._refcount() == base  # __del__ released it
    if name != "Writer":  # a Writer's `with` is a writing session (tested in test_writer.py)
        with obj.new_reference() as fourth:
            assert obj._refcount() == base + 1
        assert fourth.closed and obj._refcount() == base
    obj.close()
    obj.close()
    assert obj.closed
    assert "closed" in repr(obj)


@pytest.mark.parametrize("name", CLASSES)
def test_closed_objects_refuse_calls(tmp_path, name):
    obj = make_objects(tmp_path)[name]
    obj.close()
    with pytest.raises(ValueError, match="closed"):
        obj._as_parameter_
    with pytest.raises(ValueError, match="closed"):
        copy.copy(obj)


def test_no_deep_copy_or_pickle():
    p = wmwriter.Profile()
    with pytest.raises(TypeError):
        copy.deepcopy(p)
    with pytest.raises(TypeError):
        pickle.dumps(p)


def test_objects_outlive_their_creators(tmp_path):
    """Streams, buffers and inputs hold their own references."""
    profile = wmwriter.Profile()
    cfg = profile.add_audio_stream(1, 8000, 16)
    w = wmwriter.Writer(profile, tmp_path / "a.wma")
    props = w.input_props(0)
    profile.close()
    w.close()
    assert cfg.number == 1
    assert props.connection_name == "Audio"


def test_writer_release_finishes_an_open_session(tmp_path):
    profile = wmwriter.Profile()
    profile.add_audio_stream(1, 8000, 16)
    path = tmp_path / "unfinished.wma"
    w = wmwriter.Writer(profile, path)
    w.begin()
    w.write(0, 0, b"\0\0" * 800)
    w.close()  # the last reference: the library ends the session
    assert path.stat().st_size > 0


# -- WMError --------------------------------------------------------------------------------


def test_wmerror_carries_hresult_name_and_message(writer):
    with pytest.raises(WMError) as info:
        writer.allocate_sample(100)  # not writing
    e = info.value
    assert e.hresult == _ffi.NS_E_INVALID_REQUEST
    assert e.name == "NS_E_INVALID_REQUEST"
    assert e.message and e.message == wmwriter.last_error_message()
    assert e.function == "wm_writer_allocate_sample"
    assert "NS_E_INVALID_REQUEST (0xC00D002B)" in str(e) and e.message in str(e)
    assert isinstance(e, Exception)
    again = pickle.loads(pickle.dumps(e))
    assert (again.hresult, again.name, again.message) == (e.hresult, e.name, e.message)


def test_bad_input_number_is_invalidarg(writer):
    with writer:
        with pytest.raises(WMError) as info:
            writer.write(7, 0, b"\0" * 4)
    assert info.value.name == "E_INVALIDARG"
    assert info.value.hresult == wmwriter.E_INVALIDARG
    assert "7" in info.value.message


def test_unknown_connection_name(writer):
    with pytest.raises(KeyError, match="Audio"):
        writer.input_number("Video")


def test_hresult_names():
    assert wmwriter.hresult_name(0) == "S_OK"
    assert wmwriter.hresult_name(0xC00D002B) == "NS_E_INVALID_REQUEST"  # unsigned form accepted
    assert wmwriter.hresult_name(-12345) == "unknown HRESULT"


def test_error_messages_are_per_call(writer, tmp_path):
    with pytest.raises(WMError) as a:
        writer.end()
    assert a.value.name == "NS_E_INVALID_REQUEST"
    with pytest.raises(WMError) as b:
        wmwriter.Profile().stream_by_number(9)
    assert b.value.name == "NS_E_NO_STREAM"
    assert a.value.message != b.value.message
