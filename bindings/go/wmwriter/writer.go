package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
// HRESULT wmgo_write_sample(WMWriter *w, uint32_t input, uint64_t t, uint32_t flags, const void *data, uint32_t len);
// HRESULT wmgo_write_stream_sample(WMWriter *w, uint16_t stream, uint64_t t, uint64_t duration, uint32_t flags, const void *data, uint32_t len);
import "C"

import (
	"fmt"
	"runtime"
	"time"
	"unsafe"
)

// Writer writes ASF files: .wma/.wmv (IWMWriter, WMWriter). The order of calls is the
// SDK's: SetProfile, SetOutputFilename (or AddSink), BeginWriting, WriteSample for
// each input in time order, EndWriting. After EndWriting the writer can write another
// file.
//
// A Writer holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Releasing the last reference of a writer that is still writing ends the
// file first, so it is complete; but finalizers need not run before a program exits,
// so call EndWriting (which also reports errors) rather than rely on one. Methods are safe for concurrent use: several
// goroutines may write different inputs of one writer at once. After Close they fail
// with ErrClosed.
type Writer struct {
	h  ref[*C.WMWriter]
	pv *postView // shared by the wrappers of one writer (Clone)
}

func newWriter(p *C.WMWriter, pv *postView) *Writer {
	if pv == nil {
		pv = &postView{}
	}
	pv.refs.Add(1)
	w := &Writer{pv: pv}
	w.h.init(p, "Writer", func(p *C.WMWriter) { C.wm_writer_release(p) })
	runtime.SetFinalizer(w, (*Writer).Close)
	return w
}

// NewWriter creates a writer (WMCreateWriter).
func NewWriter() (*Writer, error) {
	var p *C.WMWriter
	if err := check("wm_create_writer", func() C.HRESULT { return C.wm_create_writer(&p) }); err != nil {
		return nil, err
	}
	return newWriter(p, nil), nil
}

// Close releases the writer's reference (wm_writer_release); if it was the last one
// and a file is still being written, the library ends the file first. Close waits for
// calls in flight on this wrapper. Calling it again does nothing. It always returns
// nil: call EndWriting to see whether the file was finished without error.
func (w *Writer) Close() error {
	if w.h.close() {
		runtime.SetFinalizer(w, nil)
		w.pv.release()
	}
	return nil
}

// Clone returns a second wrapper holding its own reference to the same writer
// (wm_writer_add_ref).
func (w *Writer) Clone() (*Writer, error) {
	var out *Writer
	err := w.h.with("wm_writer_add_ref", func(p *C.WMWriter) error {
		C.wm_writer_add_ref(p)
		out = newWriter(p, w.pv)
		return nil
	})
	runtime.KeepAlive(w)
	return out, err
}

// time100ns converts a sample time to the SDK's 100 ns units (truncating).
func time100ns(op string, t time.Duration) (C.uint64_t, error) {
	if t < 0 {
		return 0, invalidArg(op, fmt.Sprintf("negative time %v", t))
	}
	return C.uint64_t(t / 100), nil
}

// SetProfile makes the writer use profile p (IWMWriter::SetProfile); the writer keeps a
// snapshot. One input is made per connection name, in stream order.
// NS_E_INVALID_REQUEST while writing; NS_E_INVALIDPROFILE, NS_E_INVALID_STREAM,
// ASF_E_STREAMNUMBERINUSE for a profile it cannot write; E_INVALIDARG for nil.
func (w *Writer) SetProfile(p *Profile) error {
	err := withProfile(p, "wm_writer_set_profile", func(pp *C.WMProfile) error {
		return w.h.call("wm_writer_set_profile", func(wp *C.WMWriter) C.HRESULT { return C.wm_writer_set_profile(wp, pp) })
	})
	runtime.KeepAlive(w)
	return err
}

// SetProfileByID uses a system profile by GUID, e.g. WMProfile_V80_256Video
// (IWMWriter::SetProfileByID); E_INVALIDARG for an unknown ID.
func (w *Writer) SetProfileByID(id GUID) error {
	cid := cGUID(id)
	err := w.h.call("wm_writer_set_profile_by_id", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_set_profile_by_id(p, &cid) })
	runtime.KeepAlive(w)
	return err
}

// SetOutputFilename makes the writer write to this file, created at BeginWriting
// (IWMWriter::SetOutputFilename). E_INVALIDARG for an empty name.
func (w *Writer) SetOutputFilename(name string) error {
	cs, err := cString("wm_writer_set_output_filename", "file name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = w.h.call("wm_writer_set_output_filename", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_set_output_filename(p, cs) })
	runtime.KeepAlive(w)
	return err
}

// InputCount is the number of inputs (IWMWriter::GetInputCount);
// NS_E_NOT_CONFIGURED before SetProfile.
func (w *Writer) InputCount() (int, error) {
	var n C.uint32_t
	err := w.h.call("wm_writer_get_input_count", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_input_count(p, &n) })
	runtime.KeepAlive(w)
	return int(n), err
}

// InputProps is a copy of input's current format (IWMWriter::GetInputProps).
func (w *Writer) InputProps(input uint32) (*InputMediaProps, error) {
	var out *C.WMInputMediaProps
	err := w.h.call("wm_writer_get_input_props", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_input_props(p, C.uint32_t(input), &out)
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return newInputMediaProps(out), nil
}

// SetInputProps sets the format the caller delivers on input; it must be one of the
// input's formats (IWMWriter::SetInputProps). A nil props selects compressed
// passthrough: samples then go through WriteStreamSample (before BeginWriting only).
func (w *Writer) SetInputProps(input uint32, props *InputMediaProps) error {
	f := func(ip *C.WMInputMediaProps) error {
		return w.h.call("wm_writer_set_input_props", func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_set_input_props(p, C.uint32_t(input), ip)
		})
	}
	var err error
	if props == nil {
		err = f(nil)
	} else {
		err = props.h.with("wm_writer_set_input_props", f)
	}
	runtime.KeepAlive(props)
	runtime.KeepAlive(w)
	return err
}

// InputFormatCount is how many formats input accepts (IWMWriter::GetInputFormatCount).
func (w *Writer) InputFormatCount(input uint32) (int, error) {
	var n C.uint32_t
	err := w.h.call("wm_writer_get_input_format_count", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_input_format_count(p, C.uint32_t(input), &n)
	})
	runtime.KeepAlive(w)
	return int(n), err
}

// InputFormat is format number format of input (IWMWriter::GetInputFormat).
func (w *Writer) InputFormat(input, format uint32) (*InputMediaProps, error) {
	var out *C.WMInputMediaProps
	err := w.h.call("wm_writer_get_input_format", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_input_format(p, C.uint32_t(input), C.uint32_t(format), &out)
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return newInputMediaProps(out), nil
}

// InputByName is the number of the input whose connection name is name (the streams
// AddAudioStream/AddVideoStream add are "Audio<n>"/"Video<n>"); E_INVALIDARG if none.
func (w *Writer) InputByName(name string) (uint32, error) {
	n, err := w.InputCount()
	if err != nil {
		return 0, err
	}
	for i := 0; i < n; i++ {
		props, err := w.InputProps(uint32(i))
		if err != nil {
			return 0, err
		}
		got, err := props.ConnectionName()
		props.Close()
		if err != nil {
			return 0, err
		}
		if got == name {
			return uint32(i), nil
		}
	}
	return 0, invalidArg("Writer.InputByName", fmt.Sprintf("no input is called %q", name))
}

// BeginWriting creates the output and writes the header (IWMWriter::BeginWriting).
// NS_E_NOT_CONFIGURED without a profile or output, NS_E_INVALID_REQUEST if already
// writing, NS_E_FILE_OPEN_FAILED, NS_E_AUDIO_CODEC_NOT_INSTALLED /
// NS_E_VIDEO_CODEC_NOT_INSTALLED for a compressed stream not in passthrough (the
// library has no encoders).
func (w *Writer) BeginWriting() error {
	err := w.h.call("wm_writer_begin_writing", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_begin_writing(p) })
	runtime.KeepAlive(w)
	return err
}

// WriteSample writes one uncompressed sample to input at time t
// (IWMWriter::WriteSample): data is copied once, into a sample buffer from the writer's
// pool, and may be reused as soon as WriteSample returns. flags: WM_SF_CLEANPOINT (key
// frame), WM_SF_DISCONTINUITY. PCM samples must be whole blocks.
//
// NS_E_INVALID_REQUEST before BeginWriting (or for a passthrough input), E_INVALIDARG
// for an unknown input or a time earlier than the input's last, NS_E_INVALID_DATA for
// an empty or malformed sample, NS_E_LATE_OPERATION when inputs drift apart more than
// the sync tolerance, NS_E_FILE_WRITE when the output failed.
func (w *Writer) WriteSample(input uint32, t time.Duration, data []byte, flags uint32) error {
	ts, err := time100ns("wm_writer_write_sample", t)
	if err != nil {
		return err
	}
	if uint64(len(data)) > 0xFFFFFFFF {
		return invalidArg("wm_writer_write_sample", "sample larger than 4 GiB")
	}
	err = w.h.call("wm_writer_write_sample", func(p *C.WMWriter) C.HRESULT {
		return C.wmgo_write_sample(p, C.uint32_t(input), ts, C.uint32_t(flags), bytesPtr(data), C.uint32_t(len(data)))
	})
	runtime.KeepAlive(data)
	runtime.KeepAlive(w)
	return err
}

// AllocateSample is a new sample buffer of size bytes from the writer's pool
// (IWMWriter::AllocateSample); fill it (Buffer.Fill or SetBytes), pass it to
// WriteBuffer, then Close it. NS_E_INVALID_REQUEST when not writing.
func (w *Writer) AllocateSample(size int) (*Buffer, error) {
	if size < 0 || uint64(size) > 0xFFFFFFFF {
		return nil, invalidArg("wm_writer_allocate_sample", "size out of range")
	}
	var out *C.WMBuffer
	err := w.h.call("wm_writer_allocate_sample", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_allocate_sample(p, C.uint32_t(size), &out)
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return newBuffer(out), nil
}

// WriteBuffer writes buf (its first Len bytes) to input at time t
// (IWMWriter::WriteSample) without copying it. The writer takes its own reference, so
// Close buf when this returns; do not change its bytes afterwards. A nil buf gives
// E_INVALIDARG. Errors as WriteSample.
func (w *Writer) WriteBuffer(input uint32, t time.Duration, flags uint32, buf *Buffer) error {
	ts, err := time100ns("wm_writer_write_sample", t)
	if err != nil {
		return err
	}
	f := func(b *C.WMBuffer) error {
		return w.h.call("wm_writer_write_sample", func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_write_sample(p, C.uint32_t(input), ts, C.uint32_t(flags), b)
		})
	}
	if buf == nil {
		err = f(nil)
	} else {
		err = buf.h.with("wm_writer_write_sample", f)
	}
	runtime.KeepAlive(buf)
	runtime.KeepAlive(w)
	return err
}

// WriteStreamSample writes one already-compressed sample to stream at time t
// (IWMWriterAdvanced::WriteStreamSample); the stream's input must be in passthrough
// (SetInputProps(input, nil) before BeginWriting). duration, when non-zero, counts
// toward the file's duration. data is copied once, as in WriteSample. Mark key frames
// with WM_SF_CLEANPOINT. Errors as WriteSample, E_INVALIDARG for an unknown stream.
func (w *Writer) WriteStreamSample(stream uint16, t, duration time.Duration, data []byte, flags uint32) error {
	ts, err := time100ns("wm_writer_write_stream_sample", t)
	if err != nil {
		return err
	}
	dur, err := time100ns("wm_writer_write_stream_sample", duration)
	if err != nil {
		return err
	}
	if uint64(len(data)) > 0xFFFFFFFF {
		return invalidArg("wm_writer_write_stream_sample", "sample larger than 4 GiB")
	}
	err = w.h.call("wm_writer_write_stream_sample", func(p *C.WMWriter) C.HRESULT {
		return C.wmgo_write_stream_sample(p, C.uint16_t(stream), ts, dur, C.uint32_t(flags), bytesPtr(data), C.uint32_t(len(data)))
	})
	runtime.KeepAlive(data)
	runtime.KeepAlive(w)
	return err
}

// Flush does nothing and succeeds, as the SDK documents (IWMWriter::Flush).
func (w *Writer) Flush() error {
	err := w.h.call("wm_writer_flush", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_flush(p) })
	runtime.KeepAlive(w)
	return err
}

// EndWriting finishes the file: queued samples, the index, the final header; then
// closes it (IWMWriter::EndWriting). The writer can then write another file.
// NS_E_INVALID_REQUEST when not writing, NS_E_FILE_WRITE when the output failed.
func (w *Writer) EndWriting() error {
	err := w.h.call("wm_writer_end_writing", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_end_writing(p) })
	runtime.KeepAlive(w)
	return err
}

// SetSyncTolerance sets how far inputs may drift apart (default 3 s), from the next
// BeginWriting on (IWMWriterAdvanced::SetSyncTolerance). Milliseconds are kept.
func (w *Writer) SetSyncTolerance(d time.Duration) error {
	ms := d / time.Millisecond
	if ms < 0 || ms > 0xFFFFFFFF {
		return invalidArg("wm_writer_set_sync_tolerance", "tolerance out of range")
	}
	err := w.h.call("wm_writer_set_sync_tolerance", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_set_sync_tolerance(p, C.uint32_t(ms))
	})
	runtime.KeepAlive(w)
	return err
}

// SyncTolerance is the sync tolerance (IWMWriterAdvanced::GetSyncTolerance).
func (w *Writer) SyncTolerance() (time.Duration, error) {
	var ms C.uint32_t
	err := w.h.call("wm_writer_get_sync_tolerance", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_sync_tolerance(p, &ms) })
	runtime.KeepAlive(w)
	return time.Duration(ms) * time.Millisecond, err
}

// AddSink attaches a sink; the writer keeps its own reference, every attached sink
// receives the same file (IWMWriterAdvanced::AddSink). E_INVALIDARG if already
// attached, NS_E_INVALID_REQUEST while writing.
func (w *Writer) AddSink(s *Sink) error {
	f := func(sp *C.WMWriterSink) error {
		return w.h.call("wm_writer_add_sink", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_add_sink(p, sp) })
	}
	var err error
	if s == nil {
		err = f(nil)
	} else {
		err = s.h.with("wm_writer_add_sink", f)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(w)
	return err
}

// RemoveSink detaches a sink (IWMWriterAdvanced::RemoveSink); removed is false (S_FALSE)
// if it was not attached. NS_E_INVALID_REQUEST while writing.
func (w *Writer) RemoveSink(s *Sink) (removed bool, err error) {
	var hr int32
	f := func(sp *C.WMWriterSink) error {
		return w.h.with("wm_writer_remove_sink", func(p *C.WMWriter) (err error) {
			hr, err = checkHR("wm_writer_remove_sink", func() C.HRESULT { return C.wm_writer_remove_sink(p, sp) })
			return err
		})
	}
	if s == nil {
		err = f(nil)
	} else {
		err = s.h.with("wm_writer_remove_sink", f)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(w)
	return err == nil && hr == S_OK, err
}

// SinkCount is the number of attached sinks, including the one SetOutputFilename made
// (IWMWriterAdvanced::GetSinkCount).
func (w *Writer) SinkCount() (int, error) {
	var n C.uint32_t
	err := w.h.call("wm_writer_get_sink_count", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_sink_count(p, &n) })
	runtime.KeepAlive(w)
	return int(n), err
}

// Sink returns attached sink index (IWMWriterAdvanced::GetSink); the SetOutputFilename
// sink is 0. E_INVALIDARG if index is out of range.
func (w *Writer) Sink(index int) (*Sink, error) {
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return nil, invalidArg("wm_writer_get_sink", "index out of range")
	}
	var out *C.WMWriterSink
	err := w.h.call("wm_writer_get_sink", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_sink(p, C.uint32_t(index), &out)
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return newSink(out), nil
}
