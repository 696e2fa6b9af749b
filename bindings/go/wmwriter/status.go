package wmwriter

// #include "wmwriter.h"
// HRESULT wmgo_writer_advise(WMWriter *w, uintptr_t id, int on);
// HRESULT wmgo_sink_advise(WMWriterSink *s, uintptr_t id, int on);
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// StatusCallback receives a writer's or a sink's status (IWMStatusCallback::OnStatus):
// a WMT_* status (WMT_STARTED, WMT_CLOSED, WMT_ERROR, WMT_CLIENT_CONNECT,
// WMT_CLIENT_DISCONNECT, ...), its HRESULT, and the status's value (a copy; the
// WM_CLIENT_PROPERTIES bytes for client statuses), nil when it has none.
//
// Writer and sink session statuses come on the goroutine (thread) of the writer call
// that caused them; network client statuses on the sink's server threads. The callback
// may call the writer. A panic in it is recovered and dropped: it never reaches the
// library.
type StatusCallback func(status uint32, hr int32, value []byte)

// Advisement is one advised callback; pass it to Unadvise.
type Advisement struct {
	id uintptr
}

// The advised Go functions by id. The library may still be delivering a status on
// another thread while Unadvise runs; such a late call finds no entry and is dropped,
// so ids are never reused and no handle is freed under a running callback.
var status struct {
	sync.Mutex
	next uintptr
	fns  map[uintptr]StatusCallback
}

func addStatus(fn StatusCallback) uintptr {
	status.Lock()
	defer status.Unlock()
	if status.fns == nil {
		status.fns = map[uintptr]StatusCallback{}
	}
	status.next++
	status.fns[status.next] = fn
	return status.next
}

func dropStatus(id uintptr) {
	status.Lock()
	delete(status.fns, id)
	status.Unlock()
}

func deliverStatus(id uintptr, st uint32, hr int32, value *C.uint8_t, size uint32) {
	status.Lock()
	fn := status.fns[id]
	status.Unlock()
	if fn == nil {
		return
	}
	var v []byte
	if value != nil && size > 0 {
		v = C.GoBytes(unsafe.Pointer(value), C.int(size))
	}
	defer func() { _ = recover() }()
	fn(st, hr, v)
}

// Advise calls fn with the writer's statuses (IWMRegisterCallback::Advise,
// wm_writer_advise): WMT_STARTED at BeginWriting, WMT_CLOSED at EndWriting, WMT_ERROR
// with the failure's code when the output fails.
func (w *Writer) Advise(fn StatusCallback) (*Advisement, error) {
	if fn == nil {
		return nil, invalidArg("wm_writer_advise", "the status callback is nil")
	}
	id := addStatus(fn)
	err := w.h.call("wm_writer_advise", func(p *C.WMWriter) C.HRESULT { return C.wmgo_writer_advise(p, C.uintptr_t(id), 1) })
	runtime.KeepAlive(w)
	if err != nil {
		dropStatus(id)
		return nil, err
	}
	return &Advisement{id: id}, nil
}

// Unadvise stops the callback of a (IWMRegisterCallback::Unadvise, wm_writer_unadvise);
// E_INVALIDARG when a is not advised on this writer.
func (w *Writer) Unadvise(a *Advisement) error {
	if a == nil {
		return invalidArg("wm_writer_unadvise", "the advisement is nil")
	}
	err := w.h.call("wm_writer_unadvise", func(p *C.WMWriter) C.HRESULT { return C.wmgo_writer_advise(p, C.uintptr_t(a.id), 0) })
	runtime.KeepAlive(w)
	if err == nil {
		dropStatus(a.id)
	}
	return err
}

// Advise calls fn with the sink's statuses (wm_writer_sink_advise): WMT_STARTED and
// WMT_CLOSED per session, WMT_ERROR when writing fails, and for a network sink
// WMT_CLIENT_CONNECT / WMT_CLIENT_DISCONNECT with the client's WM_CLIENT_PROPERTIES.
func (s *Sink) Advise(fn StatusCallback) (*Advisement, error) {
	if fn == nil {
		return nil, invalidArg("wm_writer_sink_advise", "the status callback is nil")
	}
	id := addStatus(fn)
	err := s.h.call("wm_writer_sink_advise", func(p *C.WMWriterSink) C.HRESULT { return C.wmgo_sink_advise(p, C.uintptr_t(id), 1) })
	runtime.KeepAlive(s)
	if err != nil {
		dropStatus(id)
		return nil, err
	}
	return &Advisement{id: id}, nil
}

// Unadvise stops the callback of a on this sink (wm_writer_sink_unadvise).
func (s *Sink) Unadvise(a *Advisement) error {
	if a == nil {
		return invalidArg("wm_writer_sink_unadvise", "the advisement is nil")
	}
	err := s.h.call("wm_writer_sink_unadvise", func(p *C.WMWriterSink) C.HRESULT { return C.wmgo_sink_advise(p, C.uintptr_t(a.id), 0) })
	runtime.KeepAlive(s)
	if err == nil {
		dropStatus(a.id)
	}
	return err
}
