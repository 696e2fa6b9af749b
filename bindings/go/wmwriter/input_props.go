package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// InputMediaProps is a writer input's format (IWMInputMediaProps, WMInputMediaProps): a
// media type plus the input's connection name. Writer.InputProps and InputFormat hand
// out copies; Writer.SetInputProps selects one.
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type InputMediaProps struct {
	h ref[*C.WMInputMediaProps]
}

func newInputMediaProps(p *C.WMInputMediaProps) *InputMediaProps {
	ip := &InputMediaProps{}
	ip.h.init(p, "InputMediaProps", func(p *C.WMInputMediaProps) { C.wm_input_media_props_release(p) })
	runtime.SetFinalizer(ip, (*InputMediaProps).Close)
	return ip
}

// Close releases the reference (wm_input_media_props_release). Calling it again does
// nothing. It always returns nil.
func (ip *InputMediaProps) Close() error {
	if ip.h.close() {
		runtime.SetFinalizer(ip, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference to the same object
// (wm_input_media_props_add_ref).
func (ip *InputMediaProps) Clone() (*InputMediaProps, error) {
	var out *InputMediaProps
	err := ip.h.with("wm_input_media_props_add_ref", func(p *C.WMInputMediaProps) error {
		C.wm_input_media_props_add_ref(p)
		out = newInputMediaProps(p)
		return nil
	})
	runtime.KeepAlive(ip)
	return out, err
}

// Type is the major type, a WMMEDIATYPE_* GUID (IWMMediaProps::GetType).
func (ip *InputMediaProps) Type() (GUID, error) {
	var g C.WMGuid
	err := ip.h.call("wm_input_media_props_get_type", func(p *C.WMInputMediaProps) C.HRESULT {
		return C.wm_input_media_props_get_type(p, &g)
	})
	runtime.KeepAlive(ip)
	return goGUID(&g), err
}

// MediaType is a copy of the media type (IWMMediaProps::GetMediaType).
func (ip *InputMediaProps) MediaType() (*MediaType, error) {
	var mt *MediaType
	err := ip.h.with("wm_input_media_props_get_media_type", func(p *C.WMInputMediaProps) (err error) {
		mt, err = readMediaType("wm_input_media_props_get_media_type", func(m *C.WM_MEDIA_TYPE, n *C.uint32_t) C.HRESULT {
			return C.wm_input_media_props_get_media_type(p, m, n)
		})
		return err
	})
	runtime.KeepAlive(ip)
	return mt, err
}

// SetMediaType replaces the media type, a deep copy (IWMMediaProps::SetMediaType); the
// writer checks it at Writer.SetInputProps.
func (ip *InputMediaProps) SetMediaType(mt *MediaType) error {
	var cmt *C.WM_MEDIA_TYPE
	if mt != nil {
		cmt = mt.toC()
		defer C.free(unsafe.Pointer(cmt))
	}
	err := ip.h.call("wm_input_media_props_set_media_type", func(p *C.WMInputMediaProps) C.HRESULT {
		return C.wm_input_media_props_set_media_type(p, cmt)
	})
	runtime.KeepAlive(ip)
	return err
}

// ConnectionName is the input's connection name
// (IWMInputMediaProps::GetConnectionName).
func (ip *InputMediaProps) ConnectionName() (string, error) {
	var b []byte
	err := ip.h.with("wm_input_media_props_get_connection_name", func(p *C.WMInputMediaProps) (err error) {
		b, err = sizeQuery("wm_input_media_props_get_connection_name", func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_input_media_props_get_connection_name(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(ip)
	return cStringBytes(b), err
}

// GroupName is the input's group name: always "", as the SDK documents
// (IWMInputMediaProps::GetGroupName).
func (ip *InputMediaProps) GroupName() (string, error) {
	var b []byte
	err := ip.h.with("wm_input_media_props_get_group_name", func(p *C.WMInputMediaProps) (err error) {
		b, err = sizeQuery("wm_input_media_props_get_group_name", func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_input_media_props_get_group_name(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(ip)
	return cStringBytes(b), err
}
