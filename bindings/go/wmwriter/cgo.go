package wmwriter

/*
#include <stdlib.h>
#include <string.h>
#include "wmwriter.h"

// The C helpers of this package are defined here (non-static) and declared in the
// preamble of each file that calls them.

// One sample from caller memory: allocate a pool buffer, copy the bytes into it (the
// only copy on the Go side), write it, drop our reference. One cgo crossing per sample.
HRESULT wmgo_write_sample(WMWriter *w, uint32_t input, uint64_t t, uint32_t flags,
                                 const void *data, uint32_t len) {
	WMBuffer *buf = NULL;
	uint8_t *p = NULL;
	HRESULT hr = wm_writer_allocate_sample(w, len, &buf);
	if (hr < 0) return hr;
	hr = wm_buffer_get_buffer(buf, &p);
	if (hr >= 0) {
		if (len > 0) memcpy(p, data, len);
		hr = wm_buffer_set_length(buf, len);
	}
	if (hr >= 0) hr = wm_writer_write_sample(w, input, t, flags, buf);
	wm_buffer_release(buf);
	return hr;
}

// The same for an already-compressed sample of a passthrough stream.
HRESULT wmgo_write_stream_sample(WMWriter *w, uint16_t stream, uint64_t t, uint64_t duration,
                                        uint32_t flags, const void *data, uint32_t len) {
	WMBuffer *buf = NULL;
	uint8_t *p = NULL;
	HRESULT hr = wm_writer_allocate_sample(w, len, &buf);
	if (hr < 0) return hr;
	hr = wm_buffer_get_buffer(buf, &p);
	if (hr >= 0) {
		if (len > 0) memcpy(p, data, len);
		hr = wm_buffer_set_length(buf, len);
	}
	if (hr >= 0) hr = wm_writer_write_stream_sample(w, stream, t, 0, duration, flags, buf);
	wm_buffer_release(buf);
	return hr;
}

// Copy len bytes into a buffer and set its length.
HRESULT wmgo_buffer_set_bytes(WMBuffer *b, const void *data, uint32_t len) {
	uint32_t max = 0;
	uint8_t *p = NULL;
	HRESULT hr = wm_buffer_get_max_length(b, &max);
	if (hr < 0) return hr;
	if (len > max) return wm_buffer_set_length(b, len); // the library's own E_INVALIDARG + message
	hr = wm_buffer_get_buffer(b, &p);
	if (hr < 0) return hr;
	if (len > 0) memcpy(p, data, len);
	return wm_buffer_set_length(b, len);
}

// Go callback sinks (sink.go): the exported Go functions and C trampolines with the
// exact callback types.
extern HRESULT wmgoSinkHeader(uintptr_t handle, uint8_t *data, uint32_t length);
extern HRESULT wmgoSinkDataUnit(uintptr_t handle, uint8_t *data, uint32_t length);
extern HRESULT wmgoSinkEndWriting(uintptr_t handle, uint8_t *data, uint32_t length);
extern void wmgoSinkDestroy(uintptr_t handle);

static HRESULT wmgo_on_header(void *ctx, const uint8_t *data, uint32_t length) {
	return wmgoSinkHeader((uintptr_t)ctx, (uint8_t *)data, length);
}
static HRESULT wmgo_on_data_unit(void *ctx, const uint8_t *data, uint32_t length) {
	return wmgoSinkDataUnit((uintptr_t)ctx, (uint8_t *)data, length);
}
static HRESULT wmgo_on_end_writing(void *ctx, const uint8_t *data, uint32_t length) {
	return wmgoSinkEndWriting((uintptr_t)ctx, (uint8_t *)data, length);
}
static void wmgo_destroy(void *ctx) { wmgoSinkDestroy((uintptr_t)ctx); }

HRESULT wmgo_create_callback_sink(uintptr_t handle, int32_t can_seek, WMWriterSink **out) {
	WMWriterSinkCallbacks cb;
	memset(&cb, 0, sizeof cb);
	cb.context = (void *)handle;
	cb.on_header = wmgo_on_header;
	cb.on_data_unit = wmgo_on_data_unit;
	cb.on_end_writing = wmgo_on_end_writing;
	cb.can_seek = can_seek;
	cb.destroy = wmgo_destroy;
	return wm_create_writer_callback_sink(&cb, out);
}

// The indexer's status callback (indexer.go): a C trampoline with the exact type.
extern void wmgoIndexerStatus(uintptr_t handle, uint32_t status, int32_t hr, uint8_t *value, uint32_t size);

static void wmgo_on_status(void *ctx, WMT_STATUS status, HRESULT hr, WMT_ATTR_DATATYPE type, const uint8_t *value,
                           uint32_t size) {
	(void)type;
	wmgoIndexerStatus((uintptr_t)ctx, status, hr, (uint8_t *)value, size);
}

HRESULT wmgo_indexer_start(WMIndexer *ix, const char *url, uintptr_t handle) {
	return wm_indexer_start_indexing(ix, url, wmgo_on_status, (void *)handle);
}

// The writer's and sinks' status callbacks (status.go): one C trampoline; the context
// is the id of a Go function in status.go's table.
extern void wmgoStatus(uintptr_t id, uint32_t status, int32_t hr, uint8_t *value, uint32_t size);

static void wmgo_on_status_id(void *ctx, WMT_STATUS status, HRESULT hr, WMT_ATTR_DATATYPE type, const uint8_t *value,
                              uint32_t size) {
	(void)type;
	wmgoStatus((uintptr_t)ctx, status, hr, (uint8_t *)value, size);
}

HRESULT wmgo_writer_advise(WMWriter *w, uintptr_t id, int on) {
	return on ? wm_writer_advise(w, wmgo_on_status_id, (void *)id) : wm_writer_unadvise(w, wmgo_on_status_id, (void *)id);
}

// wm_writer_file_sink_on_data_unit_ex with every segment in one contiguous copy
// (sink.go): `data` holds the packet header (hdr_len bytes) and then whatever the
// payload and fragment segments point at, as offsets into it.
HRESULT wmgo_on_data_unit_ex(WMWriterSink *s, const uint8_t *data, uint32_t len, uint32_t hdr_len, uint32_t npay,
                             const uint32_t *pay_off, const uint32_t *pay_len, uint32_t nfrag, const uint32_t *frag_pay,
                             const uint32_t *frag_off, const uint32_t *frag_len) {
	WMBuffer *b = NULL;
	uint8_t *ptr = NULL;
	HRESULT hr = wm_writer_sink_allocate_data_unit(s, len ? len : 1, &b);
	if (hr != 0) return hr;
	wm_buffer_get_buffer(b, &ptr);
	if (len) memcpy(ptr, data, len);
	wm_buffer_set_length(b, len);
	WMT_BUFFER_SEGMENT *heads = calloc(npay ? npay : 1, sizeof *heads);
	WMT_PAYLOAD_FRAGMENT *frags = calloc(nfrag ? nfrag : 1, sizeof *frags);
	if (!heads || !frags) {
		free(heads);
		free(frags);
		wm_buffer_release(b);
		return (HRESULT)0x8007000E; // E_OUTOFMEMORY
	}
	for (uint32_t i = 0; i < npay; i++) {
		heads[i].pBuffer = b;
		heads[i].cbOffset = pay_off[i];
		heads[i].cbLength = pay_len[i];
	}
	for (uint32_t i = 0; i < nfrag; i++) {
		frags[i].dwPayloadIndex = frag_pay[i];
		frags[i].segmentData.pBuffer = b;
		frags[i].segmentData.cbOffset = frag_off[i];
		frags[i].segmentData.cbLength = frag_len[i];
	}
	WMT_FILESINK_DATA_UNIT u;
	memset(&u, 0, sizeof u);
	u.packetHeaderBuffer.pBuffer = b;
	u.packetHeaderBuffer.cbOffset = 0;
	u.packetHeaderBuffer.cbLength = hdr_len;
	u.cPayloads = npay;
	u.pPayloadHeaderBuffers = heads;
	u.cPayloadDataFragments = nfrag;
	u.pPayloadDataFragments = frags;
	hr = wm_writer_file_sink_on_data_unit_ex(s, &u);
	free(heads);
	free(frags);
	wm_buffer_release(b);
	return hr;
}

HRESULT wmgo_sink_advise(WMWriterSink *s, uintptr_t id, int on) {
	return on ? wm_writer_sink_advise(s, wmgo_on_status_id, (void *)id)
	          : wm_writer_sink_unadvise(s, wmgo_on_status_id, (void *)id);
}
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// ref guards the one C reference a wrapper holds (P is the C handle type, e.g.
// *C.WMWriter). Calls take the read lock for their whole duration, so any number of
// them run at once (the C objects are thread-safe) while close waits for them to
// finish before it releases the reference: a Close racing a call is never a use
// after free, the call either completes or sees the wrapper closed.
type ref[P comparable] struct {
	mu      sync.RWMutex
	ptr     P
	kind    string
	release func(P)
}

func (r *ref[P]) init(p P, kind string, release func(P)) {
	r.ptr, r.kind, r.release = p, kind, release
}

// with runs f with the live handle, or returns a closed-object error naming op.
func (r *ref[P]) with(op string, f func(p P) error) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var zero P
	if r.ptr == zero {
		return closedError(op, r.kind)
	}
	return f(r.ptr)
}

// call runs one C function on the live handle and turns a failing HRESULT into an
// *Error carrying this thread's last-error message.
func (r *ref[P]) call(op string, f func(p P) C.HRESULT) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var zero P
	if r.ptr == zero {
		return closedError(op, r.kind)
	}
	return check(op, func() C.HRESULT { return f(r.ptr) })
}

// close releases the reference once; later calls do nothing. It reports whether this
// call did the release.
func (r *ref[P]) close() bool {
	var zero P
	r.mu.Lock()
	p := r.ptr
	r.ptr = zero
	r.mu.Unlock()
	if p == zero {
		return false
	}
	r.release(p)
	return true
}

// check makes one C call and, if it fails, reads wm_get_last_error_message on the same
// OS thread (the message is thread-local), before the goroutine can move to another.
func check(op string, f func() C.HRESULT) error {
	_, err := checkHR(op, f)
	return err
}

// checkHR is check that also returns the HRESULT (for S_FALSE answers).
func checkHR(op string, f func() C.HRESULT) (int32, error) {
	runtime.LockOSThread()
	hr := f()
	if hr >= 0 {
		runtime.UnlockOSThread()
		return int32(hr), nil
	}
	msg := C.GoString(C.wm_get_last_error_message())
	runtime.UnlockOSThread()
	return int32(hr), &Error{HResult: int32(hr), Name: HResultName(int32(hr)), Message: msg, Op: op}
}

// HResultName is the symbolic name of an HRESULT ("NS_E_INVALID_REQUEST"), from the
// library (wm_hresult_name), or "unknown HRESULT".
func HResultName(hr int32) string {
	return C.GoString(C.wm_hresult_name(C.HRESULT(hr)))
}

// goGUID copies a C GUID.
func goGUID(g *C.WMGuid) GUID {
	out := GUID{Data1: uint32(g.Data1), Data2: uint16(g.Data2), Data3: uint16(g.Data3)}
	for i := range out.Data4 {
		out.Data4[i] = byte(g.Data4[i])
	}
	return out
}

// cGUID converts to the C layout.
func cGUID(g GUID) C.WMGuid {
	var out C.WMGuid
	out.Data1 = C.uint32_t(g.Data1)
	out.Data2 = C.uint16_t(g.Data2)
	out.Data3 = C.uint16_t(g.Data3)
	for i := range g.Data4 {
		out.Data4[i] = C.uint8_t(g.Data4[i])
	}
	return out
}

// cString is a C copy of s; free it with C.free. A NUL inside s is refused.
func cString(op, what, s string) (*C.char, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return nil, invalidArg(op, what+" contains a NUL byte")
		}
	}
	return C.CString(s), nil
}

// bytesPtr is the address of the first byte of b, or nil for an empty slice. Passing
// it to C is allowed by the cgo rules: a []byte holds no Go pointers, and C does not
// keep it past the call.
func bytesPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

// sizeQuery runs the SDK's size-query protocol: first with a NULL buffer to learn the
// size, then with a buffer of that size, retrying if the value grew in between.
// get receives the buffer (nil for the query) and a pointer to the size.
func sizeQuery[N C.uint16_t | C.uint32_t](op string, get func(buf unsafe.Pointer, n *N) C.HRESULT) ([]byte, error) {
	for tries := 0; ; tries++ {
		var n N
		if err := check(op, func() C.HRESULT { return get(nil, &n) }); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		buf := make([]byte, int(n))
		m := n
		err := check(op, func() C.HRESULT { return get(unsafe.Pointer(&buf[0]), &m) })
		if err != nil {
			if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
				continue // changed by another thread between the two calls
			}
			return nil, err
		}
		if int(m) < len(buf) {
			buf = buf[:int(m)]
		}
		return buf, nil
	}
}

// cStringBytes turns size-query bytes (UTF-8 with a NUL) into a string.
func cStringBytes(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
