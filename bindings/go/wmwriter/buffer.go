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
