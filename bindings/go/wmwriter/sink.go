package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
// HRESULT wmgo_create_callback_sink(uintptr_t handle, int32_t can_seek, WMWriterSink **out);
import "C"

import (
	"io"
	"runtime"
	"runtime/cgo"
	"sync"
	"unsafe"
)

// Sink is where a writer sends the file (IWMWriterSink, WMWriterSink): a file sink
// (NewFileSink) or one of your own (NewCallbackSink, NewIOSink). Attach it with
// Writer.AddSink; the writer and the Sink each hold a reference.
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type Sink struct {
	h ref[*C.WMWriterSink]
}

func newSink(p *C.WMWriterSink) *Sink {
	s := &Sink{}
	s.h.init(p, "Sink", func(p *C.WMWriterSink) { C.wm_writer_sink_release(p) })
	runtime.SetFinalizer(s, (*Sink).Close)
	return s
}

// NewFileSink creates a file sink (WMCreateWriterFileSink); give it a file with Open.
func NewFileSink() (*Sink, error) {
	var p *C.WMWriterSink
	if err := check("wm_create_writer_file_sink", func() C.HRESULT { return C.wm_create_writer_file_sink(&p) }); err != nil {
		return nil, err
	}
	return newSink(p), nil
}

// Close releases the reference (wm_writer_sink_release). Calling it again does nothing.
// It always returns nil.
func (s *Sink) Close() error {
	if s.h.close() {
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference to the same sink
// (wm_writer_sink_add_ref).
func (s *Sink) Clone() (*Sink, error) {
	var out *Sink
	err := s.h.with("wm_writer_sink_add_ref", func(p *C.WMWriterSink) error {
		C.wm_writer_sink_add_ref(p)
		out = newSink(p)
		return nil
	})
	runtime.KeepAlive(s)
	return out, err
}

// Open sets the file a file sink creates at the next BeginWriting
// (IWMWriterFileSink::Open); it is closed at EndWriting. NS_E_INVALID_REQUEST if this
// is not a file sink, or while writing.
func (s *Sink) Open(filename string) error {
	cs, err := cString("wm_writer_file_sink_open", "file name", filename)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = s.h.call("wm_writer_file_sink_open", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_open(p, cs) })
	runtime.KeepAlive(s)
	return err
}

// SinkHandler receives a file from a writer: the Go form of an application
// IWMWriterSink. Each method runs on the goroutine that called the Writer method
// causing it (BeginWriting, WriteSample, EndWriting, or the Close of the last
// reference) and must not call that writer. The slices are the library's memory, valid
// only during the call: copy what you keep. A returned error (or a panic, which is
// recovered) ends the writing session: the writer call fails with NS_E_FILE_WRITE.
type SinkHandler interface {
	// OnHeader receives the ASF header (Header Object and the start of the Data
	// Object) first. A seekable sink receives it again at the end, with the real
	// sizes and durations, to write over the first (same length).
	OnHeader(header []byte) error
	// OnDataUnit receives one ASF data packet.
	OnDataUnit(packet []byte) error
	// OnEndWriting receives the index objects to append after the packets (empty for
	// a sink that is not seekable).
	OnEndWriting(index []byte) error
}

// NewCallbackSink creates a sink that hands the file to h (an application
// IWMWriterSink). seekable says whether h can go back and rewrite the header: true
// gives a normal file with an index, false the streaming layout (broadcast flag, no
// index). h is referenced until the sink object is freed.
func NewCallbackSink(h SinkHandler, seekable bool) (*Sink, error) {
	if h == nil {
		return nil, invalidArg("wm_create_writer_callback_sink", "nil SinkHandler")
	}
	handle := cgo.NewHandle(&sinkState{h: h})
	var canSeek C.int32_t
	if seekable {
		canSeek = 1
	}
	var p *C.WMWriterSink
	err := check("wm_create_writer_callback_sink", func() C.HRESULT {
		return C.wmgo_create_callback_sink(C.uintptr_t(handle), canSeek, &p)
	})
	if err != nil {
		handle.Delete()
		return nil, err
	}
	return newSink(p), nil
}

// sinkState is what a callback sink's context handle points at.
type sinkState struct {
	mu sync.Mutex // the library may call from several threads; handlers see one at a time
	h  SinkHandler
}

// NewIOSink creates a sink writing the file to out. If out is an io.WriteSeeker (an
// *os.File, say) the sink is seekable: the final header is written over the first at
// the offset where the file started, and the index is appended. Otherwise the file has
// the streaming layout.
func NewIOSink(out io.Writer) (*Sink, error) {
	if out == nil {
		return nil, invalidArg("wm_create_writer_callback_sink", "nil io.Writer")
	}
	ws, seekable := out.(io.WriteSeeker)
	return NewCallbackSink(&ioSink{w: out, ws: ws, start: -1}, seekable)
}

type ioSink struct {
	w     io.Writer
	ws    io.WriteSeeker
	start int64 // offset of the first header, -1 before it
}

func (s *ioSink) OnHeader(header []byte) error {
	if s.ws == nil {
		_, err := s.w.Write(header)
		return err
	}
	if s.start < 0 {
		pos, err := s.ws.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		s.start = pos
		_, err = s.ws.Write(header)
		return err
	}
	end, err := s.ws.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := s.ws.Seek(s.start, io.SeekStart); err != nil {
		return err
	}
	if _, err := s.ws.Write(header); err != nil {
		return err
	}
	_, err = s.ws.Seek(end, io.SeekStart)
	return err
}

func (s *ioSink) OnDataUnit(packet []byte) error {
	_, err := s.w.Write(packet)
	return err
}

func (s *ioSink) OnEndWriting(index []byte) error {
	if len(index) == 0 {
		return nil
	}
	_, err := s.w.Write(index)
	return err
}

// sinkCall runs one handler method for the C callbacks (sink_export.go).
func sinkCall(handle C.uintptr_t, data *C.uint8_t, length C.uint32_t, which int) (hr C.HRESULT) {
	st, ok := cgo.Handle(handle).Value().(*sinkState)
	if !ok {
		return C.HRESULT(E_UNEXPECTED)
	}
	var b []byte
	if length > 0 && data != nil {
		b = unsafe.Slice((*byte)(unsafe.Pointer(data)), int(length))
	} else {
		b = []byte{}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	defer func() {
		// A panic must not unwind through the library's C frames: it becomes a
		// failing callback, which ends the session with NS_E_FILE_WRITE.
		if r := recover(); r != nil {
			hr = C.HRESULT(E_FAIL)
		}
	}()
	var err error
	switch which {
	case 0:
		err = st.h.OnHeader(b)
	case 1:
		err = st.h.OnDataUnit(b)
	default:
		err = st.h.OnEndWriting(b)
	}
	if err != nil {
		return C.HRESULT(E_FAIL)
	}
	return C.HRESULT(S_OK)
}

// Start makes a file sink write again from time t (100 ns) on
// (IWMWriterFileSink2::Start); NS_E_INVALID_REQUEST when t precedes the last stop time.
func (s *Sink) Start(t uint64) error {
	err := s.h.call("wm_writer_file_sink_start", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_start(p, C.uint64_t(t)) })
	runtime.KeepAlive(s)
	return err
}

// Stop makes a file sink leave out the packets from time t (100 ns) on, until a later
// Start (IWMWriterFileSink2::Stop); the file stays valid.
func (s *Sink) Stop(t uint64) error {
	err := s.h.call("wm_writer_file_sink_stop", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_stop(p, C.uint64_t(t)) })
	runtime.KeepAlive(s)
	return err
}

// IsStopped says whether a stop took effect (IWMWriterFileSink2::IsStopped).
func (s *Sink) IsStopped() (bool, error) {
	var v C.int32_t
	err := s.h.call("wm_writer_file_sink_is_stopped", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_is_stopped(p, &v) })
	runtime.KeepAlive(s)
	return v != 0, err
}

// SetControlStream makes start and stop apply at stream's clean points
// (IWMWriterFileSink3::SetControlStream).
func (s *Sink) SetControlStream(stream uint16, control bool) error {
	var c C.int32_t
	if control {
		c = 1
	}
	err := s.h.call("wm_writer_file_sink_set_control_stream", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_file_sink_set_control_stream(p, C.uint16_t(stream), c)
	})
	runtime.KeepAlive(s)
	return err
}

// ControlStream says whether stream is a control stream.
func (s *Sink) ControlStream(stream uint16) (bool, error) {
	var v C.int32_t
	err := s.h.call("wm_writer_file_sink_get_control_stream", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_file_sink_get_control_stream(p, C.uint16_t(stream), &v)
	})
	runtime.KeepAlive(s)
	return v != 0, err
}

// SetUnbufferedIO writes the next file with O_DIRECT (IWMWriterFileSink3::SetUnbufferedIO).
func (s *Sink) SetUnbufferedIO(unbuffered, restrictMem bool) error {
	var u, r C.int32_t
	if unbuffered {
		u = 1
	}
	if restrictMem {
		r = 1
	}
	err := s.h.call("wm_writer_file_sink_set_unbuffered_io", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_file_sink_set_unbuffered_io(p, u, r)
	})
	runtime.KeepAlive(s)
	return err
}

// UnbufferedIO says whether the file is (or will be) written unbuffered
// (IWMWriterFileSink3::GetUnbufferedIO); false after a fallback to buffered I/O.
func (s *Sink) UnbufferedIO() (bool, error) {
	var v C.int32_t
	err := s.h.call("wm_writer_file_sink_get_unbuffered_io", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_get_unbuffered_io(p, &v) })
	runtime.KeepAlive(s)
	return v != 0, err
}

// CompleteOperations returns once everything the sink accepted is on the disk
// (IWMWriterFileSink3::CompleteOperations).
func (s *Sink) CompleteOperations() error {
	err := s.h.call("wm_writer_file_sink_complete_operations", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_complete_operations(p) })
	runtime.KeepAlive(s)
	return err
}

// SetFlushInterval rewrites the file's header every ms milliseconds of media time while
// writing (0 = never; beyond the SDK), so a killed writer leaves a repairable file.
func (s *Sink) SetFlushInterval(ms uint32) error {
	err := s.h.call("wm_writer_file_sink_set_flush_interval", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_file_sink_set_flush_interval(p, C.uint32_t(ms))
	})
	runtime.KeepAlive(s)
	return err
}

// FlushInterval is the interval SetFlushInterval set (ms, 0 = never).
func (s *Sink) FlushInterval() (uint32, error) {
	var v C.uint32_t
	err := s.h.call("wm_writer_file_sink_get_flush_interval", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_file_sink_get_flush_interval(p, &v) })
	runtime.KeepAlive(s)
	return uint32(v), err
}
