package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
// HRESULT wmgo_indexer_start(WMIndexer *ix, const char *url, uintptr_t handle);
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// Indexer adds the seek index to an existing ASF file (IWMIndexer / IWMIndexer2,
// WMCreateIndexer): a Simple Index Object per video stream, the old index replaced;
// a failure or Cancel leaves the file byte-identical.
//
// It holds one reference; Close drops it (idempotent; a finalizer does it too).
type Indexer struct {
	h ref[*C.WMIndexer]
}

// StatusFunc receives the indexer's status on the indexer's thread: WMT_STARTED,
// WMT_INDEX_PROGRESS (value = percent), WMT_CLOSED (hr: S_OK, E_ABORT or the
// failure). value is nil when the status carries none.
type StatusFunc func(status uint32, hr int32, value *uint32)

// NewIndexer creates an indexer (wm_create_indexer).
func NewIndexer() (*Indexer, error) {
	var p *C.WMIndexer
	if err := check("wm_create_indexer", func() C.HRESULT { return C.wm_create_indexer(&p) }); err != nil {
		return nil, err
	}
	ix := &Indexer{}
	ix.h.init(p, "Indexer", func(p *C.WMIndexer) { C.wm_indexer_release(p) })
	runtime.SetFinalizer(ix, (*Indexer).Close)
	return ix, nil
}

// Close releases the reference (wm_indexer_release; a run in progress goes on).
func (ix *Indexer) Close() error {
	if ix.h.close() {
		runtime.SetFinalizer(ix, nil)
	}
	return nil
}

// Clone returns a second wrapper with its own reference (wm_indexer_add_ref).
func (ix *Indexer) Clone() (*Indexer, error) {
	var out *Indexer
	err := ix.h.with("wm_indexer_add_ref", func(p *C.WMIndexer) error {
		C.wm_indexer_add_ref(p)
		out = &Indexer{}
		out.h.init(p, "Indexer", func(p *C.WMIndexer) { C.wm_indexer_release(p) })
		runtime.SetFinalizer(out, (*Indexer).Close)
		return nil
	})
	runtime.KeepAlive(ix)
	return out, err
}

// Configure sets the next run's index for stream (0 = every video stream)
// (IWMIndexer2::Configure): interval in ms (nil = default), index type (nil =
// WMT_IT_NEAREST_CLEAN_POINT); WMT_IT_PRESENTATION_TIME, WMT_IT_FRAME_NUMBERS or WMT_IT_TIMECODE.
func (ix *Indexer) Configure(stream uint16, indexerType uint32, interval, indexType *uint32) error {
	var iv, it unsafe.Pointer
	var ivv, itv *C.uint32_t
	if interval != nil {
		ivv = (*C.uint32_t)(C.malloc(4))
		*ivv = C.uint32_t(*interval)
		iv = unsafe.Pointer(ivv)
		defer C.free(iv)
	}
	if indexType != nil {
		itv = (*C.uint32_t)(C.malloc(4))
		*itv = C.uint32_t(*indexType)
		it = unsafe.Pointer(itv)
		defer C.free(it)
	}
	err := ix.h.call("wm_indexer_configure", func(p *C.WMIndexer) C.HRESULT {
		return C.wm_indexer_configure(p, C.uint16_t(stream), C.WMT_INDEXER_TYPE(indexerType), iv, it)
	})
	runtime.KeepAlive(ix)
	return err
}

// Start begins indexing path on the indexer's thread and returns at once
// (IWMIndexer::StartIndexing); f (may be nil) gets the status calls.
func (ix *Indexer) Start(path string, f StatusFunc) error {
	cs, err := cString("wm_indexer_start_indexing", "file name", path)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	handle := cgo.NewHandle(f)
	err = ix.h.call("wm_indexer_start_indexing", func(p *C.WMIndexer) C.HRESULT {
		return C.wmgo_indexer_start(p, cs, C.uintptr_t(handle))
	})
	if err != nil {
		handle.Delete()
	}
	runtime.KeepAlive(ix)
	return err
}

// Cancel stops the run (IWMIndexer::Cancel): WMT_CLOSED with E_ABORT, file unchanged.
func (ix *Indexer) Cancel() error {
	err := ix.h.call("wm_indexer_cancel", func(p *C.WMIndexer) C.HRESULT { return C.wm_indexer_cancel(p) })
	runtime.KeepAlive(ix)
	return err
}

// Wait waits up to timeoutMs (0xFFFFFFFF = forever) for the run to end and returns its
// HRESULT (non-SDK wm_indexer_wait): S_OK, E_ABORT, the failure, S_FALSE (never ran)
// or NS_E_BUSY (still running).
func (ix *Indexer) Wait(timeoutMs uint32) int32 {
	var hr int32 = E_POINTER
	_ = ix.h.with("wm_indexer_wait", func(p *C.WMIndexer) error {
		hr = int32(C.wm_indexer_wait(p, C.uint32_t(timeoutMs)))
		return nil
	})
	runtime.KeepAlive(ix)
	return hr
}

// Index indexes path and waits; progress (may be nil) gets the percents. An error
// (*Error) if the run failed or was cancelled.
func (ix *Indexer) Index(path string, progress func(percent uint32)) error {
	if err := ix.Start(path, func(status uint32, hr int32, value *uint32) {
		if status == WMT_INDEX_PROGRESS && value != nil && progress != nil {
			progress(*value)
		}
	}); err != nil {
		return err
	}
	_, err := checkHR("wm_indexer_wait", func() C.HRESULT {
		var hr C.HRESULT = C.HRESULT(E_POINTER)
		_ = ix.h.with("wm_indexer_wait", func(p *C.WMIndexer) error {
			hr = C.wm_indexer_wait(p, C.uint32_t(0xFFFFFFFF))
			return nil
		})
		return hr
	})
	runtime.KeepAlive(ix)
	return err
}

func indexerStatus(handle C.uintptr_t, status uint32, hr int32, value *C.uint8_t, size uint32) {
	h := cgo.Handle(handle)
	f, _ := h.Value().(StatusFunc)
	var v *uint32
	if value != nil && size == 4 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(value)), 4)
		x := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		v = &x
	}
	if f != nil {
		func() {
			defer func() { _ = recover() }()
			f(status, hr, v)
		}()
	}
	if status == WMT_CLOSED {
		h.Delete()
	}
}

// SetAutoIndexing says whether a file sink writes the index at the end
// (IWMWriterFileSink3::SetAutoIndexing; default true). Not while writing.
func (s *Sink) SetAutoIndexing(on bool) error {
	var v C.int32_t
	if on {
		v = 1
	}
	err := s.h.call("wm_writer_file_sink_set_auto_indexing", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_file_sink_set_auto_indexing(p, v)
	})
	runtime.KeepAlive(s)
	return err
}

// AutoIndexing reports IWMWriterFileSink3::GetAutoIndexing.
func (s *Sink) AutoIndexing() (bool, error) {
	var v C.int32_t
	err := s.h.call("wm_writer_file_sink_get_auto_indexing", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_file_sink_get_auto_indexing(p, &v)
	})
	runtime.KeepAlive(s)
	return v != 0, err
}
