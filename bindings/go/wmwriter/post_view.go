package wmwriter

/*
#include "wmwriter.h"

extern HRESULT wmgoPostViewSample(uintptr_t ctx, uint16_t stream, uint64_t t, uint64_t duration,
                                  uint32_t flags, WMBuffer *sample);
extern HRESULT wmgoPostViewAllocate(uintptr_t ctx, uint16_t stream, uint32_t size, WMBuffer **out);

static HRESULT wmgo_pv_sample(void *ctx, uint16_t stream, uint64_t t, uint64_t duration,
                              uint32_t flags, WMBuffer *sample) {
	return wmgoPostViewSample((uintptr_t)ctx, stream, t, duration, flags, sample);
}
static HRESULT wmgo_pv_allocate(void *ctx, uint16_t stream, uint32_t size, WMBuffer **out) {
	return wmgoPostViewAllocate((uintptr_t)ctx, stream, size, out);
}
static HRESULT wmgo_set_post_view_callback(WMWriter *w, uintptr_t ctx, int sample, int allocate) {
	return wm_writer_set_post_view_callback(w, sample ? wmgo_pv_sample : NULL,
	                                        allocate ? wmgo_pv_allocate : NULL, (void *)ctx);
}
*/
import "C"

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// PostViewFunc receives one post-view sample (IWMWriterPostViewCallback::
// OnPostViewSample): the stream number, the sample's time and duration, its flags
// (WM_SF_CLEANPOINT, WM_SF_DISCONTINUITY) and its bytes. data is the library's memory,
// valid only during the call: copy what you keep.
type PostViewFunc func(stream uint16, t, duration time.Duration, flags uint32, data []byte)

// PostViewAllocFunc gives the writer a buffer of at least size bytes for a post-view
// sample of stream (IWMWriterPostViewCallback::AllocateForPostView), for streams with
// SetAllocateForPostView on. The writer takes its own reference: Close the Buffer when
// you no longer need it. A nil Buffer or an error drops that sample.
type PostViewAllocFunc func(stream uint16, size int) (*Buffer, error)

// postView holds a writer's post-view callbacks. The C context is id, a key of
// postViews (never a Go pointer); the entry lives until the last wrapper of the writer
// is closed, so a callback in flight never finds it gone.
type postView struct {
	refs     atomic.Int32 // open Writer wrappers sharing this
	mu       sync.RWMutex
	id       uintptr // 0 until SetPostViewCallback
	onSample PostViewFunc
	allocate PostViewAllocFunc
}

var (
	postViews   sync.Map // uintptr -> *postView
	postViewIDs atomic.Uintptr
)

func (pv *postView) release() {
	if pv.refs.Add(-1) != 0 {
		return
	}
	pv.mu.Lock()
	id := pv.id
	pv.id, pv.onSample, pv.allocate = 0, nil, nil
	pv.mu.Unlock()
	if id != 0 {
		postViews.Delete(id)
	}
}

// SetPostViewCallback makes the writer hand post-view samples, what a player of the
// file would see, to onSample (IWMWriterPostView::SetPostViewCallback), for the streams
// with SetReceivePostViewSamples on; allocate, if not nil, gives their buffers for the
// streams with SetAllocateForPostView on. Both run on the goroutine whose Writer call
// produced the sample (WriteSample, EndWriting, ...), outside the writer's lock: they
// may call the writer again, but must not Close it. A panic in them is recovered and
// drops the sample. nil for both stops delivery. The functions stay referenced until
// replaced or the last wrapper of the writer is closed.
func (w *Writer) SetPostViewCallback(onSample PostViewFunc, allocate PostViewAllocFunc) error {
	pv := w.pv
	if pv.refs.Load() == 0 {
		return closedError("wm_writer_set_post_view_callback", "Writer") // no entry for a closed writer
	}
	pv.mu.Lock()
	if pv.id == 0 && (onSample != nil || allocate != nil) {
		pv.id = postViewIDs.Add(1)
		postViews.Store(pv.id, pv)
	}
	pv.onSample, pv.allocate = onSample, allocate
	id := pv.id
	pv.mu.Unlock()
	var sample, alloc C.int
	if onSample != nil || allocate != nil {
		sample = 1 // also for allocate alone: the buffer is released after the call
	}
	if allocate != nil {
		alloc = 1
	}
	err := w.h.call("wm_writer_set_post_view_callback", func(p *C.WMWriter) C.HRESULT {
		return C.wmgo_set_post_view_callback(p, C.uintptr_t(id), sample, alloc)
	})
	runtime.KeepAlive(w)
	return err
}

// postViewSample runs the sample callback for the exported C entry point.
func postViewSample(ctx C.uintptr_t, stream C.uint16_t, t, duration C.uint64_t, flags C.uint32_t, sample *C.WMBuffer) (hr C.HRESULT) {
	v, ok := postViews.Load(uintptr(ctx))
	if !ok {
		return C.HRESULT(E_UNEXPECTED)
	}
	pv := v.(*postView)
	pv.mu.RLock()
	f := pv.onSample
	pv.mu.RUnlock()
	if f == nil {
		return C.HRESULT(S_OK)
	}
	var data *C.uint8_t
	var n C.uint32_t
	if C.wm_buffer_get_buffer_and_length(sample, &data, &n) < 0 {
		return C.HRESULT(E_FAIL)
	}
	b := []byte{}
	if n > 0 && data != nil {
		b = unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n))
	}
	defer func() {
		if r := recover(); r != nil { // must not unwind through the library's C frames
			hr = C.HRESULT(E_FAIL)
		}
	}()
	f(uint16(stream), time.Duration(t)*100, time.Duration(duration)*100, uint32(flags), b)
	return C.HRESULT(S_OK)
}

// postViewAllocate runs the allocate callback for the exported C entry point.
func postViewAllocate(ctx C.uintptr_t, stream C.uint16_t, size C.uint32_t, out **C.WMBuffer) (hr C.HRESULT) {
	v, ok := postViews.Load(uintptr(ctx))
	if !ok || out == nil {
		return C.HRESULT(E_UNEXPECTED)
	}
	pv := v.(*postView)
	pv.mu.RLock()
	f := pv.allocate
	pv.mu.RUnlock()
	if f == nil {
		return C.HRESULT(E_UNEXPECTED)
	}
	defer func() {
		if r := recover(); r != nil {
			hr = C.HRESULT(E_FAIL)
		}
	}()
	buf, err := f(uint16(stream), int(size))
	if err != nil || buf == nil {
		return C.HRESULT(E_OUTOFMEMORY)
	}
	err = buf.h.with("wm_buffer_add_ref", func(p *C.WMBuffer) error {
		C.wm_buffer_add_ref(p) // transfer full: the writer releases it
		*out = p
		return nil
	})
	runtime.KeepAlive(buf)
	if err != nil {
		return C.HRESULT(E_POINTER)
	}
	return C.HRESULT(S_OK)
}

// SetReceivePostViewSamples turns post view of stream on or off
// (IWMWriterPostView::SetReceivePostViewSamples), from the next sample on.
// NS_E_NOT_CONFIGURED without a profile, E_INVALIDARG for an unknown stream,
// NS_E_AUDIO/VIDEO_CODEC_NOT_INSTALLED for an encoded stream without a decoder.
func (w *Writer) SetReceivePostViewSamples(stream uint16, receive bool) error {
	err := w.h.call("wm_writer_set_receive_post_view_samples", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_set_receive_post_view_samples(p, C.uint16_t(stream), cBool(receive))
	})
	runtime.KeepAlive(w)
	return err
}

// ReceivePostViewSamples reports whether post view of stream is on
// (IWMWriterPostView::GetReceivePostViewSamples).
func (w *Writer) ReceivePostViewSamples(stream uint16) (bool, error) {
	var on C.int32_t
	err := w.h.call("wm_writer_get_receive_post_view_samples", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_receive_post_view_samples(p, C.uint16_t(stream), &on)
	})
	runtime.KeepAlive(w)
	return on != 0, err
}

// PostViewFormatCount is the number of formats post view of stream can deliver
// (IWMWriterPostView::GetPostViewFormatCount).
func (w *Writer) PostViewFormatCount(stream uint16) (int, error) {
	var n C.uint32_t
	err := w.h.call("wm_writer_get_post_view_format_count", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_post_view_format_count(p, C.uint16_t(stream), &n)
	})
	runtime.KeepAlive(w)
	return int(n), err
}

// PostViewFormat is post-view format number format of stream
// (IWMWriterPostView::GetPostViewFormat); E_INVALIDARG out of range.
func (w *Writer) PostViewFormat(stream uint16, format uint32) (*InputMediaProps, error) {
	var out *C.WMInputMediaProps
	err := w.h.call("wm_writer_get_post_view_format", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_post_view_format(p, C.uint16_t(stream), C.uint32_t(format), &out)
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return newInputMediaProps(out), nil
}

// PostViewProps is the format post-view samples of stream come in
// (IWMWriterPostView::GetPostViewProps).
func (w *Writer) PostViewProps(stream uint16) (*InputMediaProps, error) {
	var out *C.WMInputMediaProps
	err := w.h.call("wm_writer_get_post_view_props", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_post_view_props(p, C.uint16_t(stream), &out)
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return newInputMediaProps(out), nil
}

// SetPostViewProps chooses one of stream's post-view formats
// (IWMWriterPostView::SetPostViewProps); nil goes back to the default. Before
// BeginWriting only (NS_E_INVALID_REQUEST), NS_E_INVALID_INPUT_FORMAT for a format
// that is not listed.
func (w *Writer) SetPostViewProps(stream uint16, props *InputMediaProps) error {
	f := func(ip *C.WMInputMediaProps) error {
		return w.h.call("wm_writer_set_post_view_props", func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_set_post_view_props(p, C.uint16_t(stream), ip)
		})
	}
	var err error
	if props == nil {
		err = f(nil)
	} else {
		err = props.h.with("wm_writer_set_post_view_props", f)
	}
	runtime.KeepAlive(props)
	runtime.KeepAlive(w)
	return err
}

// SetAllocateForPostView makes the PostViewAllocFunc give stream's post-view buffers
// (IWMWriterPostView::SetAllocateForPostView).
func (w *Writer) SetAllocateForPostView(stream uint16, allocate bool) error {
	err := w.h.call("wm_writer_set_allocate_for_post_view", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_set_allocate_for_post_view(p, C.uint16_t(stream), cBool(allocate))
	})
	runtime.KeepAlive(w)
	return err
}

// AllocateForPostView reports whether the application allocates stream's post-view
// buffers (IWMWriterPostView::GetAllocateForPostView).
func (w *Writer) AllocateForPostView(stream uint16) (bool, error) {
	var on C.int32_t
	err := w.h.call("wm_writer_get_allocate_for_post_view", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_allocate_for_post_view(p, C.uint16_t(stream), &on)
	})
	runtime.KeepAlive(w)
	return on != 0, err
}
