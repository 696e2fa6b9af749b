"""The writer (``IWMWriter``, ``IWMWriterAdvanced``, ``IWMHeaderInfo``) and its inputs."""

from __future__ import annotations

import ctypes
import operator
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from . import _ffi
from ._base import RefCounted, get_out_object, get_scalar, get_string, utf8
from ._errors import WMError, call, check
from .buffer import Buffer, readable
from .guids import to_uuid, to_wmguid
from .media import MediaType
from .metadata import Metadata, decode, encode
from .profile import Profile
from .sinks import CallbackSink, PathLike, Sink, fs_path

InputRef = Union[int, str]
#: ``on_sample(stream, time, duration, flags, data)`` of :meth:`Writer.set_post_view_callback`.
PostViewCallback = Callable[[int, int, int, int, bytes], object]
#: ``allocate(stream, size) -> Buffer | None`` of :meth:`Writer.set_post_view_callback`.
PostViewAllocator = Callable[[int, int], Optional[Buffer]]


class InputProps(RefCounted):
    """An input's format (``IWMInputMediaProps``): a media type plus the connection name."""

    _handle_type = _ffi.WMInputMediaProps
    _add_ref_fn = _ffi.wm_input_media_props_add_ref
    _release_fn = _ffi.wm_input_media_props_release

    @property
    def connection_name(self) -> str:
        """The input's connection name (the streams' connection name)."""
        return get_string(_ffi.wm_input_media_props_get_connection_name, self)

    @property
    def group_name(self) -> str:
        """The group name (always '' as the SDK documents)."""
        return get_string(_ffi.wm_input_media_props_get_group_name, self)

    @property
    def type(self) -> Any:
        """The major type (a :class:`uuid.UUID`)."""
        g = _ffi.WMGuid()
        call(_ffi.wm_input_media_props_get_type, self, ctypes.byref(g))
        return to_uuid(g)

    @property
    def media_type(self) -> MediaType:
        """The format the caller delivers (a copy)."""
        return MediaType._query(_ffi.wm_input_media_props_get_media_type, self._as_parameter_)

    @media_type.setter
    def media_type(self, value: MediaType) -> None:
        mt, keep = value._to_c()
        call(_ffi.wm_input_media_props_set_media_type, self, ctypes.byref(mt))
        del keep


def _null_sample_fn() -> Any:
    return ctypes.cast(None, _ffi.WMPostViewSampleCallback)


def _null_allocate_fn() -> Any:
    return ctypes.cast(None, _ffi.WMPostViewAllocateCallback)


def _time(t: int) -> int:
    """Check a time in 100-ns units (ctypes would silently wrap a negative one)."""
    t = operator.index(t)
    if not 0 <= t < 1 << 64:
        raise ValueError(f"time must be 0 <= t < 2**64 (100-ns units), not {t}")
    return t


def _flags(keyframe: bool, discontinuity: bool, flags: Optional[int]) -> int:
    f = 0 if flags is None else flags
    if keyframe:
        f |= _ffi.WM_SF_CLEANPOINT
    if discontinuity:
        f |= _ffi.WM_SF_DISCONTINUITY
    return f


class Writer(RefCounted):
    """A writer (``WMCreateWriter``): a profile in, an ASF file out.

    ::

        profile = wmwriter.Profile()
        profile.add_audio_stream(2, 44100, 16)
        with wmwriter.Writer(profile, "out.wma") as w:    # begin_writing
            w.write(0, 0, pcm_bytes)                        # time in 100-ns units
        # end_writing: the file is complete

    ``with writer:`` calls :meth:`begin` and, at the end, :meth:`end` (also when the
    block raises, so what was written is a valid file). The writer stays usable (set a
    new :attr:`output_filename` and write another file); :meth:`close` (or the garbage
    collector) releases it.

    The library is thread-safe and ctypes releases the GIL during calls, so several
    threads may write to one writer; do not :meth:`close` a wrapper while another thread
    is still calling through it (use :meth:`new_reference` per thread instead).
    """

    _handle_type = _ffi.WMWriter
    _add_ref_fn = _ffi.wm_writer_add_ref
    _release_fn = _ffi.wm_writer_release

    def __init__(self, profile: Optional[Profile] = None, output_filename: Optional[PathLike] = None) -> None:
        h = self._out()
        call(_ffi.wm_create_writer, ctypes.byref(h))
        self.__dict__.update(_handle=h, _filename=None, _writing=False, _inputs=None, _callback_sinks=[])
        if profile is not None:
            self.set_profile(profile)
        if output_filename is not None:
            self.output_filename = output_filename

    # -- configuration --------------------------------------------------------------------

    def set_profile(self, profile: Profile) -> None:
        """Use this profile (a snapshot: later edits need another call)."""
        call(_ffi.wm_writer_set_profile, self, profile)
        self.__dict__["_inputs"] = None

    def set_profile_by_id(self, profile_id: Any) -> None:
        """Use a system profile by GUID (``SetProfileByID``), e.g.
        ``guids.WMProfile_V80_256Video``."""
        g = to_wmguid(profile_id)
        call(_ffi.wm_writer_set_profile_by_id, self, ctypes.byref(g))
        self.__dict__["_inputs"] = None

    @property
    def output_filename(self) -> Optional[str]:
        """The file written at the next :meth:`begin` (``SetOutputFilename``); None if unset."""
        return self.__dict__["_filename"]

    @output_filename.setter
    def output_filename(self, value: PathLike) -> None:
        call(_ffi.wm_writer_set_output_filename, self, fs_path(value))
        self.__dict__["_filename"] = str(value)

    @property
    def input_count(self) -> int:
        """The number of inputs (one per connection name of the profile)."""
        return get_scalar(_ffi.wm_writer_get_input_count, ctypes.c_uint32, self)

    def input_props(self, input: InputRef) -> InputProps:
        """A copy of an input's current format."""
        return get_out_object(InputProps, _ffi.wm_writer_get_input_props, self, self.input_number(input))

    @property
    def inputs(self) -> List[InputProps]:
        """The inputs' current formats, by input number."""
        return [self.input_props(i) for i in range(self.input_count)]

    def set_input_props(self, input: InputRef, props: Optional[InputProps]) -> None:
        """Set the format delivered on ``input``; ``None`` selects compressed passthrough
        (then write with :meth:`write_stream_sample`)."""
        call(_ffi.wm_writer_set_input_props, self, self.input_number(input), props)

    def input_formats(self, input: InputRef) -> List[InputProps]:
        """Every format ``input`` accepts."""
        n = self.input_number(input)
        count = get_scalar(_ffi.wm_writer_get_input_format_count, ctypes.c_uint32, self, n)
        return [get_out_object(InputProps, _ffi.wm_writer_get_input_format, self, n, k) for k in range(count)]

    def input_number(self, input: InputRef) -> int:
        """The input number of a connection name (ints are returned as they are)."""
        if isinstance(input, int):
            return input
        inputs: Optional[Dict[str, int]] = self.__dict__["_inputs"]
        if inputs is None:
            inputs = {}
            for i in range(self.input_count):
                with self.input_props(i) as p:
                    inputs[p.connection_name] = i
            self.__dict__["_inputs"] = inputs
        try:
            return inputs[input]
        except KeyError:
            raise KeyError(f"no input with connection name {input!r}; the inputs are {sorted(inputs)}") from None

    @property
    def sync_tolerance(self) -> int:
        """How far inputs may drift apart, in ms (default 3000)."""
        return get_scalar(_ffi.wm_writer_get_sync_tolerance, ctypes.c_uint32, self)

    @sync_tolerance.setter
    def sync_tolerance(self, value: int) -> None:
        call(_ffi.wm_writer_set_sync_tolerance, self, value)

    # -- sinks ------------------------------------------------------------------------------

    def add_sink(self, sink: Sink) -> None:
        """Also deliver the file to ``sink`` (the writer keeps its own reference)."""
        call(_ffi.wm_writer_add_sink, self, sink)
        if isinstance(sink, CallbackSink):  # to report its callbacks' exceptions
            self.__dict__["_callback_sinks"].append(sink)

    def remove_sink(self, sink: Sink) -> bool:
        """Detach ``sink``; False if it was not attached."""
        hr = call(_ffi.wm_writer_remove_sink, self, sink)
        cbs = self.__dict__["_callback_sinks"]
        cbs[:] = [s for s in cbs if s is not sink]
        return hr == _ffi.S_OK

    @property
    def sinks(self) -> List[Sink]:
        """The attached sinks (the ``output_filename`` one is first)."""
        n = get_scalar(_ffi.wm_writer_get_sink_count, ctypes.c_uint32, self)
        return [get_out_object(Sink, _ffi.wm_writer_get_sink, self, i) for i in range(n)]

    # -- the session --------------------------------------------------------------------------

    def _call(self, fn: Any, *args: Any) -> int:
        """Like ``call``, with a callback sink's exception as the error's cause."""
        try:
            return call(fn, self, *args)
        except WMError as e:
            for s in self.__dict__["_callback_sinks"]:
                if s.error is not None:
                    cause, s.__dict__["_state"].sink_error = s.error, None
                    raise e from cause
            raise

    @property
    def writing(self) -> bool:
        """True between :meth:`begin` and :meth:`end` (as tracked by this wrapper)."""
        return bool(self.__dict__.get("_writing"))

    def begin(self) -> None:
        """Start writing (``BeginWriting``): creates the file and writes the header."""
        self._call(_ffi.wm_writer_begin_writing)
        self.__dict__["_writing"] = True

    def end(self) -> None:
        """Finish the file (``EndWriting``): queued samples, index, final header."""
        self.__dict__["_writing"] = False
        self._call(_ffi.wm_writer_end_writing)

    def flush(self) -> None:
        """``IWMWriter::Flush`` (does nothing, as the SDK documents)."""
        call(_ffi.wm_writer_flush, self)

    def __enter__(self) -> "Writer":
        self.begin()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if not self.writing:
            return
        if exc_type is None:
            self.end()
        else:
            try:
                self.end()
            except WMError:
                pass  # the original exception is the one to see

    def allocate_sample(self, size: int) -> Buffer:
        """A new pooled sample buffer of ``size`` bytes (``AllocateSample``; only while writing).

        Fill :attr:`Buffer.view` in place and pass the buffer to :meth:`write` for a
        write with no copy at all.
        """
        return get_out_object(Buffer, _ffi.wm_writer_allocate_sample, self, size)

    def write(self, input: InputRef, time: int, data: Any, *, keyframe: bool = False,
              discontinuity: bool = False, flags: Optional[int] = None) -> None:
        """Write one uncompressed sample to ``input`` (number or connection name) at
        ``time`` (100-ns units).

        ``data`` is a :class:`Buffer` (written as it is: no copy) or any C-contiguous
        object with the buffer protocol: ``bytes``, ``bytearray``, ``memoryview``, numpy
        arrays, ``array.array``... Those are copied once, from their own memory straight
        into a buffer from :meth:`allocate_sample` (``ctypes.memmove``; no intermediate
        ``bytes``). ``keyframe`` sets ``WM_SF_CLEANPOINT``.
        """
        f = _flags(keyframe, discontinuity, flags)
        n = self.input_number(input)
        time = _time(time)
        if isinstance(data, Buffer):
            self._call(_ffi.wm_writer_write_sample, n, time, f, data)
            return
        buf = self._filled(data)
        try:
            self._call(_ffi.wm_writer_write_sample, n, time, f, buf)
        finally:
            _ffi.wm_buffer_release(buf)

    def write_sample(self, input: InputRef, time: int, sample: Buffer, flags: int = 0) -> None:
        """``IWMWriter::WriteSample`` with a buffer and raw ``WM_SF_*`` flags."""
        self._call(_ffi.wm_writer_write_sample, self.input_number(input), _time(time), flags, sample)

    def write_stream_sample(self, stream: int, time: int, data: Any, *, duration: int = 0,
                            keyframe: bool = False, discontinuity: bool = False, send_time_ms: int = 0,
                            flags: Optional[int] = None) -> None:
        """Write an already-compressed sample to stream number ``stream``
        (``WriteStreamSample``); its input must be in passthrough mode
        (``set_input_props(input, None)``). ``data`` as for :meth:`write`."""
        f = _flags(keyframe, discontinuity, flags)
        time = _time(time)
        if isinstance(data, Buffer):
            self._call(_ffi.wm_writer_write_stream_sample, stream, time, send_time_ms, duration, f, data)
            return
        buf = self._filled(data)
        try:
            self._call(_ffi.wm_writer_write_stream_sample, stream, time, send_time_ms, duration, f, buf)
        finally:
            _ffi.wm_buffer_release(buf)

    def _filled(self, data: Any) -> Any:
        """A raw buffer handle (one reference, caller releases) holding a copy of ``data``."""
        with readable(data) as (src, size):
            h = ctypes.POINTER(_ffi.WMBuffer)()
            self._call(_ffi.wm_writer_allocate_sample, size, ctypes.byref(h))
            try:
                if size:
                    dst = ctypes.POINTER(ctypes.c_uint8)()
                    call(_ffi.wm_buffer_get_buffer, h, ctypes.byref(dst))
                    ctypes.memmove(dst, src, size)  # the one copy
                call(_ffi.wm_buffer_set_length, h, size)
            except BaseException:
                _ffi.wm_buffer_release(h)
                raise
        return h

    # -- post view (IWMWriterPostView) ---------------------------------------------------------

    def advise(self, fn: Callable[[int, int, Optional[bytes]], object]) -> None:
        """``IWMRegisterCallback::Advise``: ``fn(status, hr, value)`` gets ``WMT_STARTED``
        after :meth:`begin`, ``WMT_CLOSED`` after :meth:`end` and ``WMT_ERROR`` when the
        output fails (see :mod:`wmwriter.status`)."""
        from . import status

        status.advise(self, _ffi.wm_writer_advise, fn)

    def unadvise(self, fn: Callable[[int, int, Optional[bytes]], object]) -> None:
        """``IWMRegisterCallback::Unadvise``."""
        from . import status

        status.unadvise(self, _ffi.wm_writer_unadvise, fn)

    def set_post_view_callback(self, on_sample: Optional[PostViewCallback],
                               allocate: Optional[PostViewAllocator] = None) -> None:
        """Receive the post-view samples (``SetPostViewCallback``): what a player of the
        file would see, for the streams with :meth:`set_receive_post_view_samples` on.

        ``on_sample(stream, time, duration, flags, data)`` gets the stream number, the
        time and duration in 100-ns units, the ``WM_SF_*`` flags and the sample's bytes
        (a copy). It runs on the thread that called the writer (inside :meth:`write`,
        :meth:`end`, ...), outside the writer's lock: it may call the writer again (write
        another input, say) but must not close it. ``allocate(stream, size)``, for
        streams with :meth:`set_allocate_for_post_view` on, returns a :class:`Buffer` of
        at least ``size`` bytes for the writer to fill (or None: that sample is not
        delivered). An exception in either is kept in :attr:`post_view_error` (the first
        one) and the sample is dropped. ``None`` for both stops delivery.
        """
        if on_sample is None and allocate is None:
            call(_ffi.wm_writer_set_post_view_callback, self, _null_sample_fn(), _null_allocate_fn(), None)
            self.__dict__["_post_view"] = None
            return
        state = self.__dict__

        def c_sample(_ctx: Any, stream: int, time: int, duration: int, flags: int, sample: Any) -> int:
            try:
                p = ctypes.POINTER(ctypes.c_uint8)()
                n = ctypes.c_uint32()
                check(_ffi.wm_buffer_get_buffer_and_length(sample, ctypes.byref(p), ctypes.byref(n)),
                      "wm_buffer_get_buffer_and_length")
                data = ctypes.string_at(p, n.value) if n.value else b""
                if on_sample is not None:
                    on_sample(stream, time, duration, flags, data)
            except BaseException as e:  # nothing may unwind through the library
                if state.get("post_view_error") is None:
                    state["post_view_error"] = e
                return _ffi.E_FAIL
            return _ffi.S_OK

        def c_allocate(_ctx: Any, stream: int, size: int, out: Any) -> int:
            try:
                buf = allocate(stream, size) if allocate is not None else None
                if buf is None:
                    return _ffi.E_OUTOFMEMORY
                if not isinstance(buf, Buffer):
                    raise TypeError(f"allocate must return a wmwriter.Buffer or None, not {type(buf).__name__}")
                h = buf._as_parameter_
                _ffi.wm_buffer_add_ref(h)  # transfer full: the writer releases it
                out[0] = h
            except BaseException as e:
                if state.get("post_view_error") is None:
                    state["post_view_error"] = e
                return _ffi.E_FAIL
            return _ffi.S_OK

        fns = (_ffi.WMPostViewSampleCallback(c_sample),
               _ffi.WMPostViewAllocateCallback(c_allocate) if allocate is not None else _null_allocate_fn())
        # Kept in the (shared) __dict__ while set: the library calls these pointers.
        old = state.get("_post_view")
        state["_post_view"] = fns
        try:
            call(_ffi.wm_writer_set_post_view_callback, self, fns[0], fns[1], None)
        except BaseException:
            state["_post_view"] = old
            raise
        state["post_view_error"] = None

    #: The first exception a post-view callback raised (None if none).
    post_view_error: Optional[BaseException] = None

    def set_receive_post_view_samples(self, stream: int, receive: bool) -> None:
        """Turn post view of stream number ``stream`` on or off (``SetReceivePostViewSamples``)."""
        call(_ffi.wm_writer_set_receive_post_view_samples, self, stream, 1 if receive else 0)

    def receive_post_view_samples(self, stream: int) -> bool:
        """Whether post view of stream ``stream`` is on (``GetReceivePostViewSamples``)."""
        return bool(get_scalar(_ffi.wm_writer_get_receive_post_view_samples, ctypes.c_int32, self, stream))

    def post_view_formats(self, stream: int) -> List[InputProps]:
        """The formats post view of ``stream`` can deliver (``GetPostViewFormatCount`` /
        ``GetPostViewFormat``)."""
        count = get_scalar(_ffi.wm_writer_get_post_view_format_count, ctypes.c_uint32, self, stream)
        return [get_out_object(InputProps, _ffi.wm_writer_get_post_view_format, self, stream, k)
                for k in range(count)]

    def post_view_props(self, stream: int) -> InputProps:
        """The format post-view samples of ``stream`` come in (``GetPostViewProps``)."""
        return get_out_object(InputProps, _ffi.wm_writer_get_post_view_props, self, stream)

    def set_post_view_props(self, stream: int, props: Optional[InputProps]) -> None:
        """Choose one of :meth:`post_view_formats` (``SetPostViewProps``); ``None`` is the
        default. Before :meth:`begin` only."""
        call(_ffi.wm_writer_set_post_view_props, self, stream, props)

    def set_allocate_for_post_view(self, stream: int, allocate: bool) -> None:
        """Whether the callback's ``allocate`` gives the post-view buffers of ``stream``
        (``SetAllocateForPostView``)."""
        call(_ffi.wm_writer_set_allocate_for_post_view, self, stream, 1 if allocate else 0)

    def allocate_for_post_view(self, stream: int) -> bool:
        """``GetAllocateForPostView``."""
        return bool(get_scalar(_ffi.wm_writer_get_allocate_for_post_view, ctypes.c_int32, self, stream))

    # -- IWMWriterAdvanced / 2 / 3, IWMWriterPreprocess ---------------------------------------

    @property
    def writer_time(self) -> int:
        """The latest sample time accepted in this session, 100 ns (``GetWriterTime``)."""
        return get_scalar(_ffi.wm_writer_get_writer_time, ctypes.c_uint64, self)

    @property
    def is_real_time(self) -> bool:
        """Whether the writer runs in real time (``IsRealTime``)."""
        return bool(get_scalar(_ffi.wm_writer_is_real_time, ctypes.c_int32, self))

    def set_live_source(self, live: bool) -> None:
        """Declare a live source (``SetLiveSource``); default False."""
        call(_ffi.wm_writer_set_live_source, self, 1 if live else 0)

    def set_non_blocking(self) -> None:
        """``IWMWriterAdvanced3::SetNonBlocking`` (this writer never blocks anyway)."""
        call(_ffi.wm_writer_set_non_blocking, self)

    def statistics(self, stream: int = 0) -> Dict[str, int]:
        """``GetStatistics`` of stream number ``stream`` (0: the whole file) as a dict of
        the ``WM_WRITER_STATISTICS`` fields (``qwSampleCount``, ``dwCurrentBitrate``, ...)."""
        st = _ffi.WM_WRITER_STATISTICS()
        call(_ffi.wm_writer_get_statistics, self, stream, ctypes.byref(st))
        return {name: getattr(st, name) for name, _ in st._fields_}

    def statistics_ex(self, stream: int = 0) -> Dict[str, int]:
        """``GetStatisticsEx`` as a dict of the ``WM_WRITER_STATISTICS_EX`` fields; only
        while writing."""
        st = _ffi.WM_WRITER_STATISTICS_EX()
        call(_ffi.wm_writer_get_statistics_ex, self, stream, ctypes.byref(st))
        return {name: getattr(st, name) for name, _ in st._fields_}

    def set_input_setting(self, input: InputRef, name: str, value: Any) -> None:
        """``IWMWriterAdvanced2::SetInputSetting``, e.g. ``("FixedFrameRate", True)`` or
        ``("DeinterlaceMode", 1)``; values typed as for :class:`Metadata`."""
        t, raw = encode(value)
        if len(raw) > 0xFFFF:
            raise ValueError("input setting values are at most 65535 bytes")
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_writer_set_input_setting, self, self.input_number(input), utf8(name, "setting name"),
             t, buf, len(raw))

    def get_input_setting(self, input: InputRef, name: str) -> Any:
        """``IWMWriterAdvanced2::GetInputSetting``; ``WMError`` ``ASF_E_NOTFOUND`` if never set."""
        n = self.input_number(input)
        cname = utf8(name, "setting name")
        t = _ffi.WMT_ATTR_DATATYPE(0)
        size = ctypes.c_uint16(0)
        call(_ffi.wm_writer_get_input_setting, self, n, cname, ctypes.byref(t), None, ctypes.byref(size))
        out = (ctypes.c_uint8 * max(size.value, 1))()
        call(_ffi.wm_writer_get_input_setting, self, n, cname, ctypes.byref(t), out, ctypes.byref(size))
        return decode(t.value, bytes(out)[: size.value], name)

    def max_preprocessing_passes(self, input: InputRef, flags: int = 0) -> int:
        """``IWMWriterPreprocess::GetMaxPreprocessingPasses``: 1 for an input encoded by libavcodec's
        WMV1/WMV2/MP43/MPEG-4 encoders (two-pass encoding), else 0."""
        return get_scalar(_ffi.wm_writer_get_max_preprocessing_passes, ctypes.c_uint32, self,
                          self.input_number(input), flags)

    def set_num_preprocessing_passes(self, input: InputRef, passes: int, flags: int = 0) -> None:
        """``SetNumPreprocessingPasses`` (before ``begin_writing``; at most ``max_preprocessing_passes``)."""
        call(_ffi.wm_writer_set_num_preprocessing_passes, self, self.input_number(input), flags, passes)

    def begin_preprocessing_pass(self, input: InputRef, flags: int = 0) -> None:
        """``BeginPreprocessingPass`` (after ``begin_writing``, on an input with a pass set)."""
        call(_ffi.wm_writer_begin_preprocessing_pass, self, self.input_number(input), flags)

    def preprocess_sample(self, input: InputRef, time: int, sample: Buffer, flags: int = 0) -> None:
        """``PreprocessSample``: every sample once, as ``write_sample`` will take it again."""
        call(_ffi.wm_writer_preprocess_sample, self, self.input_number(input), _time(time), flags, sample)

    def end_preprocessing_pass(self, input: InputRef, flags: int = 0) -> None:
        """``EndPreprocessingPass``: then ``write_sample`` the same samples."""
        call(_ffi.wm_writer_end_preprocessing_pass, self, self.input_number(input), flags)

    # -- IWMDRMWriter / 2 / 3: refused by design (no DRM system to bind to) ----------------
    # Each raises WMError NS_E_DRM_UNABLE_TO_INITIALIZE, as the library documents.

    def _drm_string(self, fn: Any) -> str:
        n = ctypes.c_uint32(0)
        call(fn, self, None, ctypes.byref(n))
        buf = ctypes.create_string_buffer(max(n.value, 1))
        call(fn, self, buf, ctypes.byref(n))
        return buf.value.decode("utf-8")

    def generate_key_id(self) -> str:
        """``IWMDRMWriter::GenerateKeyID`` (refused: ``NS_E_DRM_UNABLE_TO_INITIALIZE``)."""
        return self._drm_string(_ffi.wm_writer_generate_key_id)

    def generate_key_seed(self) -> str:
        """``IWMDRMWriter::GenerateKeySeed`` (refused: ``NS_E_DRM_UNABLE_TO_INITIALIZE``)."""
        return self._drm_string(_ffi.wm_writer_generate_key_seed)

    def generate_signing_key_pair(self) -> Tuple[str, str]:
        """``IWMDRMWriter::GenerateSigningKeyPair`` as (private, public) (refused)."""
        pl, ul = ctypes.c_uint32(0), ctypes.c_uint32(0)
        call(_ffi.wm_writer_generate_signing_key_pair, self, None, ctypes.byref(pl), None, ctypes.byref(ul))
        pb, ub = ctypes.create_string_buffer(max(pl.value, 1)), ctypes.create_string_buffer(max(ul.value, 1))
        call(_ffi.wm_writer_generate_signing_key_pair, self, pb, ctypes.byref(pl), ub, ctypes.byref(ul))
        return pb.value.decode("utf-8"), ub.value.decode("utf-8")

    def set_drm_attribute(self, stream: int, name: str, value: Any) -> None:
        """``IWMDRMWriter::SetDRMAttribute`` (refused: nothing is stored)."""
        t, raw = encode(value)
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_writer_set_drm_attribute, self, stream, utf8(name, "attribute name"), t, buf, len(raw))

    def set_protect_stream_samples(self, init: bytes) -> None:
        """``IWMDRMWriter3::SetProtectStreamSamples`` with a ``WMDRM_IMPORT_INIT_STRUCT`` (refused)."""
        raw = bytes(init)
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_writer_set_protect_stream_samples, self, buf, len(raw))

    def set_wmdrm_net_encryption(self, samples_encrypted: bool, key_id: bytes) -> None:
        """``IWMDRMWriter2::SetWMDRMNetEncryption`` (refused)."""
        raw = bytes(key_id)
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_writer_set_wmdrm_net_encryption, self, 1 if samples_encrypted else 0, buf, len(raw))

    # -- IWMHeaderInfo: by index, codec info ----------------------------------------------

    def attribute_count_ex(self, stream: int = 0) -> int:
        """``IWMHeaderInfo3::GetAttributeCountEx`` of ``stream`` (0 = the file)."""
        return get_scalar(_ffi.wm_writer_get_attribute_count_ex, ctypes.c_uint16, self, stream)

    def attribute_by_index(self, index: int, stream: int = 0) -> Tuple[str, Any]:
        """Attribute ``index`` of ``stream`` as (name, value) (``GetAttributeByIndex``)."""
        s = ctypes.c_uint16(stream)
        nl, vl = ctypes.c_uint16(0), ctypes.c_uint16(0)
        t = _ffi.WMT_ATTR_DATATYPE(0)
        call(_ffi.wm_writer_get_attribute_by_index, self, index, ctypes.byref(s), None, ctypes.byref(nl),
             ctypes.byref(t), None, ctypes.byref(vl))
        name = ctypes.create_string_buffer(max(nl.value, 1))
        value = (ctypes.c_uint8 * max(vl.value, 1))()
        call(_ffi.wm_writer_get_attribute_by_index, self, index, ctypes.byref(s), name, ctypes.byref(nl),
             ctypes.byref(t), value, ctypes.byref(vl))
        text = name.value.decode("utf-8")
        return text, decode(t.value, bytes(value)[: vl.value], text)

    def modify_attribute(self, stream: int, index: int, value: Any, language: int = 0) -> None:
        """Change attribute ``index`` of ``stream`` (``IWMHeaderInfo3::ModifyAttribute``)."""
        t, raw = encode(value)
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_writer_modify_attribute, self, stream, index, t, language, buf, len(raw))

    @property
    def codec_info(self) -> List[Tuple[str, str, int, bytes]]:
        """The codec entries as (name, description, ``WMT_CODECINFO_*``, codec bytes)
        (``IWMHeaderInfo2::GetCodecInfoCount`` / ``GetCodecInfo``)."""
        out = []
        for i in range(get_scalar(_ffi.wm_writer_get_codec_info_count, ctypes.c_uint32, self)):
            nl, dl, il = ctypes.c_uint16(0), ctypes.c_uint16(0), ctypes.c_uint16(0)
            t = _ffi.WMT_CODEC_INFO_TYPE(0)
            call(_ffi.wm_writer_get_codec_info, self, i, ctypes.byref(nl), None, ctypes.byref(dl), None,
                 ctypes.byref(t), ctypes.byref(il), None)
            nb, db = ctypes.create_string_buffer(max(nl.value, 1)), ctypes.create_string_buffer(max(dl.value, 1))
            ib = (ctypes.c_uint8 * max(il.value, 1))()
            call(_ffi.wm_writer_get_codec_info, self, i, ctypes.byref(nl), nb, ctypes.byref(dl), db,
                 ctypes.byref(t), ctypes.byref(il), ib)
            out.append((nb.value.decode("utf-8"), db.value.decode("utf-8"), t.value, bytes(ib)[: il.value]))
        return out

    def add_codec_info(self, name: str, description: str, codec_type: int, info: bytes = b"") -> None:
        """Add a codec entry (``IWMHeaderInfo3::AddCodecInfo``); before :meth:`begin`."""
        raw = bytes(info)
        if len(raw) > 0xFFFF:
            raise ValueError("codec info is at most 65535 bytes")
        buf = (ctypes.c_uint8 * max(len(raw), 1)).from_buffer_copy(raw.ljust(1, b"\0"))
        call(_ffi.wm_writer_add_codec_info, self, utf8(name, "codec name"), utf8(description, "description"),
             codec_type, len(raw), buf if raw else None)

    # -- header info ------------------------------------------------------------------------

    @property
    def metadata(self) -> Metadata:
        """The file-level attributes as a mutable mapping (see :class:`Metadata`)."""
        return Metadata(self, 0)

    def stream_metadata(self, stream: int) -> Metadata:
        """The attributes of stream number ``stream``."""
        return Metadata(self, stream)

    def add_marker(self, name: str, time: int) -> None:
        """Add a marker (chapter) at ``time`` (100 ns); before :meth:`begin` only."""
        call(_ffi.wm_writer_add_marker, self, utf8(name, "marker name"), _time(time))

    def remove_marker(self, index: int) -> None:
        """Remove marker ``index``."""
        call(_ffi.wm_writer_remove_marker, self, index)

    @property
    def markers(self) -> List[Tuple[str, int]]:
        """Every marker as (name, time in 100 ns)."""
        out = []
        for i in range(get_scalar(_ffi.wm_writer_get_marker_count, ctypes.c_uint16, self)):
            n = ctypes.c_uint16(0)
            t = ctypes.c_uint64()
            call(_ffi.wm_writer_get_marker, self, i, None, ctypes.byref(n), ctypes.byref(t))
            name = ctypes.create_string_buffer(max(n.value, 1))
            call(_ffi.wm_writer_get_marker, self, i, name, ctypes.byref(n), ctypes.byref(t))
            out.append((name.value.decode("utf-8"), t.value))
        return out

    def add_script(self, type: str, command: str, time: int) -> None:
        """Add a header script command (e.g. ``"URL"``, ``"TEXT"``) at ``time`` (100 ns)."""
        call(_ffi.wm_writer_add_script, self, utf8(type, "script type"), utf8(command, "command"), _time(time))

    def remove_script(self, index: int) -> None:
        """Remove script command ``index``."""
        call(_ffi.wm_writer_remove_script, self, index)

    @property
    def scripts(self) -> List[Tuple[str, str, int]]:
        """Every script command as (type, command, time in 100 ns)."""
        out = []
        for i in range(get_scalar(_ffi.wm_writer_get_script_count, ctypes.c_uint16, self)):
            tl, cl = ctypes.c_uint16(0), ctypes.c_uint16(0)
            t = ctypes.c_uint64()
            call(_ffi.wm_writer_get_script, self, i, None, ctypes.byref(tl), None, ctypes.byref(cl), ctypes.byref(t))
            tb, cb = ctypes.create_string_buffer(max(tl.value, 1)), ctypes.create_string_buffer(max(cl.value, 1))
            call(_ffi.wm_writer_get_script, self, i, tb, ctypes.byref(tl), cb, ctypes.byref(cl), ctypes.byref(t))
            out.append((tb.value.decode("utf-8"), cb.value.decode("utf-8"), t.value))
        return out

    def __repr__(self) -> str:
        if self.closed:
            return "<wmwriter.Writer closed>"
        return f"<wmwriter.Writer {self.output_filename!r}{' writing' if self.writing else ''}>"


__all__ = ["Writer", "InputProps"]
