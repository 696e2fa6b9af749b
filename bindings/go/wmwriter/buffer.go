package wmwriter

// #include "wmwriter.h"
// HRESULT wmgo_buffer_set_bytes(WMBuffer *b, const void *data, uint32_t len);
import "C"

import (
	"runtime"
	"unsafe"
)

// Buffer is a sample buffer (INSSBuffer, WMBuffer): MaxLen bytes of C memory and a used
// length. Writer.WriteSample makes and releases one per sample for you; use a Buffer
// to fill sample memory in place (Fill) and pass it with Writer.WriteBuffer, avoiding
// even the one copy WriteSample makes.
//
// A Buffer holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type Buffer struct {
	h ref[*C.WMBuffer]
}

func newBuffer(p *C.WMBuffer) *Buffer {
	b := &Buffer{}
	b.h.init(p, "Buffer", func(p *C.WMBuffer) { C.wm_buffer_release(p) })
	runtime.SetFinalizer(b, (*Buffer).Close)
	return b
}

// NewBuffer creates a stand-alone buffer of maxLen bytes with length 0
// (wm_create_buffer).
func NewBuffer(maxLen int) (*Buffer, error) {
	if maxLen < 0 || uint64(maxLen) > 0xFFFFFFFF {
		return nil, invalidArg("wm_create_buffer", "buffer size out of range")
	}
	var p *C.WMBuffer
	if err := check("wm_create_buffer", func() C.HRESULT { return C.wm_create_buffer(C.uint32_t(maxLen), &p) }); err != nil {
		return nil, err
	}
	return newBuffer(p), nil
}

// Close releases the buffer's reference (wm_buffer_release); the memory is freed, or
// goes back to its writer's pool, when the last reference is gone. Calling Close again
// does nothing. It always returns nil.
func (b *Buffer) Close() error {
	if b.h.close() {
		runtime.SetFinalizer(b, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference (wm_buffer_add_ref).
func (b *Buffer) Clone() (*Buffer, error) {
	var out *Buffer
	err := b.h.with("wm_buffer_add_ref", func(p *C.WMBuffer) error {
		C.wm_buffer_add_ref(p)
		out = newBuffer(p)
		return nil
	})
	runtime.KeepAlive(b)
	return out, err
}

// Len is the used length in bytes (wm_buffer_get_length).
func (b *Buffer) Len() (int, error) {
	var n C.uint32_t
	err := b.h.call("wm_buffer_get_length", func(p *C.WMBuffer) C.HRESULT { return C.wm_buffer_get_length(p, &n) })
	runtime.KeepAlive(b)
	return int(n), err
}

// SetLen sets the used length (wm_buffer_set_length); E_INVALIDARG if n > MaxLen.
func (b *Buffer) SetLen(n int) error {
	if n < 0 || uint64(n) > 0xFFFFFFFF {
		return invalidArg("wm_buffer_set_length", "length out of range")
	}
	err := b.h.call("wm_buffer_set_length", func(p *C.WMBuffer) C.HRESULT { return C.wm_buffer_set_length(p, C.uint32_t(n)) })
	runtime.KeepAlive(b)
	return err
}

// MaxLen is the capacity in bytes (wm_buffer_get_max_length).
func (b *Buffer) MaxLen() (int, error) {
	var n C.uint32_t
	err := b.h.call("wm_buffer_get_max_length", func(p *C.WMBuffer) C.HRESULT { return C.wm_buffer_get_max_length(p, &n) })
	runtime.KeepAlive(b)
	return int(n), err
}

// SetBytes copies data into the buffer and sets the length to len(data); E_INVALIDARG
// if data is longer than MaxLen.
func (b *Buffer) SetBytes(data []byte) error {
	if uint64(len(data)) > 0xFFFFFFFF {
		return invalidArg("wm_buffer_set_length", "data longer than 4 GiB")
	}
	err := b.h.call("wm_buffer_set_length", func(p *C.WMBuffer) C.HRESULT {
		return C.wmgo_buffer_set_bytes(p, bytesPtr(data), C.uint32_t(len(data)))
	})
	runtime.KeepAlive(data)
	runtime.KeepAlive(b)
	return err
}

// Bytes returns a Go copy of the used bytes (wm_buffer_get_buffer_and_length).
func (b *Buffer) Bytes() ([]byte, error) {
	var out []byte
	err := b.h.with("wm_buffer_get_buffer_and_length", func(p *C.WMBuffer) error {
		var data *C.uint8_t
		var n C.uint32_t
		if err := check("wm_buffer_get_buffer_and_length", func() C.HRESULT { return C.wm_buffer_get_buffer_and_length(p, &data, &n) }); err != nil {
			return err
		}
		out = C.GoBytes(unsafe.Pointer(data), C.int(n))
		return nil
	})
	runtime.KeepAlive(b)
	return out, err
}

// Fill calls f with the buffer's whole memory (MaxLen bytes, wm_buffer_get_buffer) and
// then sets the length to the n f returns. The slice is C memory: f must not keep it,
// nor use it after returning; a Close from another goroutine waits until f has
// returned (so f itself must not Close b). If f returns an error the length is left
// as it was and Fill returns that error.
func (b *Buffer) Fill(f func(p []byte) (n int, err error)) error {
	err := b.h.with("wm_buffer_get_buffer", func(p *C.WMBuffer) error {
		var data *C.uint8_t
		var max C.uint32_t
		if err := check("wm_buffer_get_max_length", func() C.HRESULT { return C.wm_buffer_get_max_length(p, &max) }); err != nil {
			return err
		}
		if err := check("wm_buffer_get_buffer", func() C.HRESULT { return C.wm_buffer_get_buffer(p, &data) }); err != nil {
			return err
		}
		var mem []byte
		if max > 0 {
			mem = unsafe.Slice((*byte)(unsafe.Pointer(data)), int(max))
		}
		n, err := f(mem)
		if err != nil {
			return err
		}
		if n < 0 || n > int(max) {
			return invalidArg("wm_buffer_set_length", "Fill: length out of range")
		}
		return check("wm_buffer_set_length", func() C.HRESULT { return C.wm_buffer_set_length(p, C.uint32_t(n)) })
	})
	runtime.KeepAlive(b)
	return err
}

// SetSampleProperties stores a block of sample properties with the buffer
// (INSSBuffer2::SetSampleProperties), replacing an earlier one; an empty block clears
// it. It travels with the buffer only: per-sample data for the file goes in
// SetProperty.
func (b *Buffer) SetSampleProperties(props []byte) error {
	if uint64(len(props)) > 0xFFFFFFFF {
		return invalidArg("wm_buffer_set_sample_properties", "block longer than 4 GiB")
	}
	err := b.h.call("wm_buffer_set_sample_properties", func(p *C.WMBuffer) C.HRESULT {
		return C.wm_buffer_set_sample_properties(p, C.uint32_t(len(props)), (*C.uint8_t)(bytesPtr(props)))
	})
	runtime.KeepAlive(props)
	runtime.KeepAlive(b)
	return err
}

// SampleProperties returns a copy of the buffer's sample-properties block
// (INSSBuffer2::GetSampleProperties); nil if none. The C call has no size query, so
// the length is found as the smallest size that is not ASF_E_BUFFERTOOSMALL.
func (b *Buffer) SampleProperties() ([]byte, error) {
	var out []byte
	err := b.h.with("wm_buffer_get_sample_properties", func(p *C.WMBuffer) error {
		// fits copies into a buffer of n bytes: (bytes, true), or (nil, false) if the
		// block is longer.
		fits := func(n uint64) ([]byte, bool, error) {
			buf := make([]byte, n)
			hr, err := checkHR("wm_buffer_get_sample_properties", func() C.HRESULT {
				return C.wm_buffer_get_sample_properties(p, C.uint32_t(n), (*C.uint8_t)(bytesPtr(buf)))
			})
			if hr == ASF_E_BUFFERTOOSMALL {
				return nil, false, nil
			}
			if err != nil {
				return nil, false, err
			}
			return buf, true, nil
		}
		if _, ok, err := fits(0); err != nil || ok {
			return err
		}
		lo, hi := uint64(0), uint64(64) // lo too small, hi a candidate
		for {
			_, ok, err := fits(hi)
			if err != nil {
				return err
			}
			if ok {
				break
			}
			if hi > 0xFFFFFFFF {
				return &Error{HResult: ASF_E_BUFFERTOOSMALL, Name: "ASF_E_BUFFERTOOSMALL", Message: "no size fits", Op: "wm_buffer_get_sample_properties", local: true}
			}
			lo, hi = hi, hi*2
		}
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			_, ok, err := fits(mid)
			if err != nil {
				return err
			}
			if ok {
				hi = mid
			} else {
				lo = mid
			}
		}
		data, _, err := fits(hi)
		out = data
		return err
	})
	runtime.KeepAlive(b)
	return out, err
}

// SetProperty attaches a sample property (INSSBuffer3::SetProperty): the value of a
// data-unit extension the stream declares, e.g. the 14-byte
// WM_SampleExtensionGUID_Timecode or 2-byte WM_SampleExtensionGUID_PixelAspectRatio;
// it replaces one with the same ID. The writer puts it in every payload of the sample.
func (b *Buffer) SetProperty(id GUID, value []byte) error {
	if uint64(len(value)) > 0xFFFFFFFF {
		return invalidArg("wm_buffer_set_property", "value longer than 4 GiB")
	}
	cid := cGUID(id)
	err := b.h.call("wm_buffer_set_property", func(p *C.WMBuffer) C.HRESULT {
		return C.wm_buffer_set_property(p, &cid, (*C.uint8_t)(bytesPtr(value)), C.uint32_t(len(value)))
	})
	runtime.KeepAlive(value)
	runtime.KeepAlive(b)
	return err
}

// Property returns a copy of a sample property's value (INSSBuffer3::GetProperty);
// NS_E_UNSUPPORTED_PROPERTY if it is not set. An empty value is a non-nil empty slice.
func (b *Buffer) Property(id GUID) ([]byte, error) {
	cid := cGUID(id)
	var out []byte
	err := b.h.with("wm_buffer_get_property", func(p *C.WMBuffer) error {
		v, err := sizeQuery("wm_buffer_get_property", func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_buffer_get_property(p, &cid, (*C.uint8_t)(buf), n)
		})
		if v == nil && err == nil {
			v = []byte{}
		}
		out = v
		return err
	})
	runtime.KeepAlive(b)
	return out, err
}

// PropertyCount is the number of sample properties set (INSSBuffer4::GetPropertyCount).
func (b *Buffer) PropertyCount() (int, error) {
	var n C.uint32_t
	err := b.h.call("wm_buffer_get_property_count", func(p *C.WMBuffer) C.HRESULT { return C.wm_buffer_get_property_count(p, &n) })
	runtime.KeepAlive(b)
	return int(n), err
}

// PropertyByIndex returns property index, in the order they were first set, as its ID
// and a copy of its value (INSSBuffer4::GetPropertyByIndex); E_INVALIDARG out of range.
func (b *Buffer) PropertyByIndex(index int) (GUID, []byte, error) {
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return GUID{}, nil, invalidArg("wm_buffer_get_property_by_index", "index out of range")
	}
	var cid C.WMGuid
	var out []byte
	err := b.h.with("wm_buffer_get_property_by_index", func(p *C.WMBuffer) error {
		v, err := sizeQuery("wm_buffer_get_property_by_index", func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_buffer_get_property_by_index(p, C.uint32_t(index), &cid, (*C.uint8_t)(buf), n)
		})
		if v == nil && err == nil {
			v = []byte{}
		}
		out = v
		return err
	})
	runtime.KeepAlive(b)
	if err != nil {
		return GUID{}, nil, err
	}
	return goGUID(&cid), out, nil
}
