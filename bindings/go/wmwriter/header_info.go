package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"time"
	"unsafe"
)

// Attribute values are Go values of these types, by WMT_ATTR_DATATYPE:
//
//	WMT_TYPE_STRING  string (UTF-8 here, UTF-16LE in the file)
//	WMT_TYPE_BINARY  []byte
//	WMT_TYPE_BOOL    bool
//	WMT_TYPE_DWORD   uint32
//	WMT_TYPE_QWORD   uint64
//	WMT_TYPE_WORD    uint16
//	WMT_TYPE_GUID    GUID (read only: the library accepts GUIDs in AddAttribute alone)

// encodeAttr turns a Go value into the type and bytes of the C API.
func encodeAttr(op string, value any) (typ uint32, b []byte, err error) {
	switch v := value.(type) {
	case string:
		for i := 0; i < len(v); i++ {
			if v[i] == 0 {
				return 0, nil, invalidArg(op, "string value contains a NUL byte")
			}
		}
		return WMT_TYPE_STRING, append([]byte(v), 0), nil
	case []byte:
		return WMT_TYPE_BINARY, v, nil
	case bool:
		b = make([]byte, 4)
		if v {
			b[0] = 1
		}
		return WMT_TYPE_BOOL, b, nil
	case uint32:
		return WMT_TYPE_DWORD, binary.LittleEndian.AppendUint32(nil, v), nil
	case uint64:
		return WMT_TYPE_QWORD, binary.LittleEndian.AppendUint64(nil, v), nil
	case uint16:
		return WMT_TYPE_WORD, binary.LittleEndian.AppendUint16(nil, v), nil
	case GUID:
		b = make([]byte, 16)
		binary.LittleEndian.PutUint32(b[0:], v.Data1)
		binary.LittleEndian.PutUint16(b[4:], v.Data2)
		binary.LittleEndian.PutUint16(b[6:], v.Data3)
		copy(b[8:], v.Data4[:])
		return WMT_TYPE_GUID, b, nil
	}
	return 0, nil, invalidArg(op, fmt.Sprintf("attribute value of type %T: use string, []byte, bool, uint16, uint32 or uint64", value))
}

// decodeAttr turns the C API's type and bytes into a Go value.
func decodeAttr(typ uint32, b []byte) any {
	le := binary.LittleEndian
	switch typ {
	case WMT_TYPE_STRING:
		return cStringBytes(b)
	case WMT_TYPE_BOOL:
		return len(b) >= 4 && le.Uint32(b) != 0
	case WMT_TYPE_DWORD:
		if len(b) >= 4 {
			return le.Uint32(b)
		}
	case WMT_TYPE_QWORD:
		if len(b) >= 8 {
			return le.Uint64(b)
		}
	case WMT_TYPE_WORD:
		if len(b) >= 2 {
			return le.Uint16(b)
		}
	case WMT_TYPE_GUID:
		if len(b) >= 16 {
			g := GUID{Data1: le.Uint32(b), Data2: le.Uint16(b[4:]), Data3: le.Uint16(b[6:])}
			copy(g.Data4[:], b[8:16])
			return g
		}
	}
	if b == nil {
		b = []byte{}
	}
	return b
}

// SetAttribute sets attribute name on stream (0 = the file), replacing every attribute
// of that name there (IWMHeaderInfo::SetAttribute): e.g. SetAttribute(0, "Title",
// "Tone"). Value types are listed above; strings and binary values are at most 65535
// bytes. Before BeginWriting only (NS_E_INVALID_REQUEST); NS_E_ATTRIBUTE_READ_ONLY for
// computed attributes such as Duration; E_INVALIDARG for a wrong type.
func (w *Writer) SetAttribute(stream uint16, name string, value any) error {
	const op = "wm_writer_set_attribute"
	typ, b, err := encodeAttr(op, value)
	if err != nil {
		return err
	}
	if len(b) > 0xFFFF {
		return invalidArg(op, fmt.Sprintf("value of %d bytes: at most 65535", len(b)))
	}
	cs, err := cString(op, "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = w.h.call(op, func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_set_attribute(p, C.uint16_t(stream), cs, C.WMT_ATTR_DATATYPE(typ), (*C.uint8_t)(bytesPtr(b)), C.uint16_t(len(b)))
	})
	runtime.KeepAlive(b)
	runtime.KeepAlive(w)
	return err
}

// Attribute is the first attribute called name on stream (0 = the file)
// (IWMHeaderInfo::GetAttributeByName). At file level the computed attributes can be
// read too: Duration (uint64, 100 ns, of the last file written), Bitrate, Seekable,
// FileSize, .... ASF_E_NOTFOUND if there is none.
func (w *Writer) Attribute(stream uint16, name string) (any, error) {
	const op = "wm_writer_get_attribute_by_name"
	cs, err := cString(op, "name", name)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	var typ C.WMT_ATTR_DATATYPE
	var b []byte
	err = w.h.with(op, func(p *C.WMWriter) (err error) {
		b, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			s := C.uint16_t(stream)
			return C.wm_writer_get_attribute_by_name(p, &s, cs, &typ, (*C.uint8_t)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(w)
	if err != nil {
		return nil, err
	}
	return decodeAttr(uint32(typ), b), nil
}

// AttributeCount is the number of attributes on stream (0 = the file)
// (IWMHeaderInfo::GetAttributeCount).
func (w *Writer) AttributeCount(stream uint16) (int, error) {
	var n C.uint16_t
	err := w.h.call("wm_writer_get_attribute_count", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_get_attribute_count(p, C.uint16_t(stream), &n)
	})
	runtime.KeepAlive(w)
	return int(n), err
}

// AttributeByIndex is attribute index of stream (0 = the file): its name and value
// (IWMHeaderInfo::GetAttributeByIndex). E_INVALIDARG if index is out of range.
func (w *Writer) AttributeByIndex(stream uint16, index int) (name string, value any, err error) {
	const op = "wm_writer_get_attribute_by_index"
	if index < 0 || index > 0xFFFF {
		return "", nil, invalidArg(op, "index out of range")
	}
	err = w.h.with(op, func(p *C.WMWriter) error {
		for tries := 0; ; tries++ {
			s := C.uint16_t(stream)
			var typ C.WMT_ATTR_DATATYPE
			var nameLen, valueLen C.uint16_t
			if err := check(op, func() C.HRESULT {
				return C.wm_writer_get_attribute_by_index(p, C.uint16_t(index), &s, nil, &nameLen, &typ, nil, &valueLen)
			}); err != nil {
				return err
			}
			nb := make([]byte, int(nameLen)+1)
			vb := make([]byte, int(valueLen)+1)
			nameLen, valueLen = C.uint16_t(len(nb)-1), C.uint16_t(len(vb)-1)
			s = C.uint16_t(stream)
			err := check(op, func() C.HRESULT {
				return C.wm_writer_get_attribute_by_index(p, C.uint16_t(index), &s, (*C.char)(unsafe.Pointer(&nb[0])), &nameLen,
					&typ, (*C.uint8_t)(unsafe.Pointer(&vb[0])), &valueLen)
			})
			if err != nil {
				if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
					continue
				}
				return err
			}
			name = cStringBytes(nb[:int(nameLen)])
			value = decodeAttr(uint32(typ), vb[:int(valueLen)])
			return nil
		}
	})
	runtime.KeepAlive(w)
	return name, value, err
}

// DeleteAttribute deletes attribute index of stream; later indices move down
// (IWMHeaderInfo3::DeleteAttribute).
func (w *Writer) DeleteAttribute(stream uint16, index int) error {
	if index < 0 || index > 0xFFFF {
		return invalidArg("wm_writer_delete_attribute", "index out of range")
	}
	err := w.h.call("wm_writer_delete_attribute", func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_delete_attribute(p, C.uint16_t(stream), C.uint16_t(index))
	})
	runtime.KeepAlive(w)
	return err
}

// AddMarker adds a marker (chapter) called name at time t (IWMHeaderInfo::AddMarker);
// the file gets an ASF Marker Object. Before BeginWriting only.
func (w *Writer) AddMarker(name string, t time.Duration) error {
	const op = "wm_writer_add_marker"
	ts, err := time100ns(op, t)
	if err != nil {
		return err
	}
	cs, err := cString(op, "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = w.h.call(op, func(p *C.WMWriter) C.HRESULT { return C.wm_writer_add_marker(p, cs, ts) })
	runtime.KeepAlive(w)
	return err
}

// MarkerCount is the number of markers (IWMHeaderInfo::GetMarkerCount).
func (w *Writer) MarkerCount() (int, error) {
	var n C.uint16_t
	err := w.h.call("wm_writer_get_marker_count", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_marker_count(p, &n) })
	runtime.KeepAlive(w)
	return int(n), err
}

// Marker is marker index: its name and time (IWMHeaderInfo::GetMarker).
func (w *Writer) Marker(index int) (name string, t time.Duration, err error) {
	const op = "wm_writer_get_marker"
	if index < 0 || index > 0xFFFF {
		return "", 0, invalidArg(op, "index out of range")
	}
	var ts C.uint64_t
	var b []byte
	err = w.h.with(op, func(p *C.WMWriter) (err error) {
		b, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_writer_get_marker(p, C.uint16_t(index), (*C.char)(buf), n, &ts)
		})
		return err
	})
	runtime.KeepAlive(w)
	return cStringBytes(b), time.Duration(ts) * 100, err
}

// RemoveMarker removes marker index (IWMHeaderInfo::RemoveMarker).
func (w *Writer) RemoveMarker(index int) error {
	if index < 0 || index > 0xFFFF {
		return invalidArg("wm_writer_remove_marker", "index out of range")
	}
	err := w.h.call("wm_writer_remove_marker", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_remove_marker(p, C.uint16_t(index)) })
	runtime.KeepAlive(w)
	return err
}

// AddScript adds a header script command (IWMHeaderInfo::AddScript): a type such as
// "URL" or "TEXT", the command, and its time. Before BeginWriting only.
func (w *Writer) AddScript(scriptType, command string, t time.Duration) error {
	const op = "wm_writer_add_script"
	ts, err := time100ns(op, t)
	if err != nil {
		return err
	}
	ct, err := cString(op, "type", scriptType)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(ct))
	cc, err := cString(op, "command", command)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cc))
	err = w.h.call(op, func(p *C.WMWriter) C.HRESULT { return C.wm_writer_add_script(p, ct, cc, ts) })
	runtime.KeepAlive(w)
	return err
}

// ScriptCount is the number of header script commands (IWMHeaderInfo::GetScriptCount).
func (w *Writer) ScriptCount() (int, error) {
	var n C.uint16_t
	err := w.h.call("wm_writer_get_script_count", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_script_count(p, &n) })
	runtime.KeepAlive(w)
	return int(n), err
}

// Script is script command index: type, command and time (IWMHeaderInfo::GetScript).
func (w *Writer) Script(index int) (scriptType, command string, t time.Duration, err error) {
	const op = "wm_writer_get_script"
	if index < 0 || index > 0xFFFF {
		return "", "", 0, invalidArg(op, "index out of range")
	}
	err = w.h.with(op, func(p *C.WMWriter) error {
		for tries := 0; ; tries++ {
			var tl, cl C.uint16_t
			var ts C.uint64_t
			if err := check(op, func() C.HRESULT { return C.wm_writer_get_script(p, C.uint16_t(index), nil, &tl, nil, &cl, &ts) }); err != nil {
				return err
			}
			tb, cb := make([]byte, int(tl)+1), make([]byte, int(cl)+1)
			tl, cl = C.uint16_t(len(tb)-1), C.uint16_t(len(cb)-1)
			err := check(op, func() C.HRESULT {
				return C.wm_writer_get_script(p, C.uint16_t(index), (*C.char)(unsafe.Pointer(&tb[0])), &tl, (*C.char)(unsafe.Pointer(&cb[0])), &cl, &ts)
			})
			if err != nil {
				if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
					continue
				}
				return err
			}
			scriptType, command, t = cStringBytes(tb[:int(tl)]), cStringBytes(cb[:int(cl)]), time.Duration(ts)*100
			return nil
		}
	})
	runtime.KeepAlive(w)
	return scriptType, command, t, err
}

// RemoveScript removes script command index (IWMHeaderInfo::RemoveScript).
func (w *Writer) RemoveScript(index int) error {
	if index < 0 || index > 0xFFFF {
		return invalidArg("wm_writer_remove_script", "index out of range")
	}
	err := w.h.call("wm_writer_remove_script", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_remove_script(p, C.uint16_t(index)) })
	runtime.KeepAlive(w)
	return err
}
