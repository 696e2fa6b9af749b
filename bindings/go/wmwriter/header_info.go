package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"encoding/binary"
	"fmt"
	"runtime"
	"time"
	"unicode/utf16"
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
//	WMT_TYPE_GUID    GUID (the library accepts GUIDs in AddAttribute / ModifyAttribute only)
//	WMT_TYPE_BINARY  Picture, for WM/Picture (reads give []byte: see ParsePicture)

// attrValue is an encoded attribute value: Go bytes, or C memory (a WM_PICTURE).
type attrValue struct {
	typ   uint32
	b     []byte
	cmem  unsafe.Pointer
	n     int
	frees []unsafe.Pointer
}

func (v *attrValue) ptr() *C.uint8_t {
	if v.cmem != nil {
		return (*C.uint8_t)(v.cmem)
	}
	return (*C.uint8_t)(bytesPtr(v.b))
}

func (v *attrValue) free() {
	for _, p := range v.frees {
		C.free(p)
	}
	v.frees = nil
}

// withNamedValue encodes value (as encodeAttr does) and name for C, refuses a value of
// more than max bytes (more names what takes larger ones), and calls c with both: the
// one path of every call that takes a name and a typed value.
func withNamedValue(op, name string, value any, max uint64, more string, c func(cs *C.char, v *attrValue) error) error {
	v, err := encodeAttr(op, value)
	if err != nil {
		return err
	}
	defer v.free()
	if uint64(v.n) > max {
		return invalidArg(op, fmt.Sprintf("value of %d bytes: at most %d%s", v.n, max, more))
	}
	cs, err := cString(op, "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = c(cs, v)
	runtime.KeepAlive(v)
	return err
}

// encodeAttr turns a Go value into the type and bytes of the C API.
func encodeAttr(op string, value any) (*attrValue, error) {
	le := binary.LittleEndian
	switch v := value.(type) {
	case string:
		for i := 0; i < len(v); i++ {
			if v[i] == 0 {
				return nil, invalidArg(op, "string value contains a NUL byte")
			}
		}
		b := append([]byte(v), 0)
		return &attrValue{typ: WMT_TYPE_STRING, b: b, n: len(b)}, nil
	case []byte:
		return &attrValue{typ: WMT_TYPE_BINARY, b: v, n: len(v)}, nil
	case bool:
		b := make([]byte, 4)
		if v {
			b[0] = 1
		}
		return &attrValue{typ: WMT_TYPE_BOOL, b: b, n: 4}, nil
	case uint32:
		return &attrValue{typ: WMT_TYPE_DWORD, b: le.AppendUint32(nil, v), n: 4}, nil
	case uint64:
		return &attrValue{typ: WMT_TYPE_QWORD, b: le.AppendUint64(nil, v), n: 8}, nil
	case uint16:
		return &attrValue{typ: WMT_TYPE_WORD, b: le.AppendUint16(nil, v), n: 2}, nil
	case GUID:
		b := make([]byte, 16)
		le.PutUint32(b[0:], v.Data1)
		le.PutUint16(b[4:], v.Data2)
		le.PutUint16(b[6:], v.Data3)
		copy(b[8:], v.Data4[:])
		return &attrValue{typ: WMT_TYPE_GUID, b: b, n: 16}, nil
	case Picture:
		return v.encode(op)
	case *Picture:
		if v != nil {
			return v.encode(op)
		}
	}
	return nil, invalidArg(op, fmt.Sprintf("attribute value of type %T: use string, []byte, bool, uint16, uint32, uint64, GUID or Picture", value))
}

// Picture is album art for the WM/Picture attribute (WM_PICTURE): pass it to
// SetAttribute or AddAttribute. Reading WM/Picture gives the SDK's binary layout as
// []byte; ParsePicture decodes it.
type Picture struct {
	// MIMEType is e.g. "image/jpeg".
	MIMEType string
	// Type is the ID3 picture type (3 = front cover).
	Type byte
	// Description may be "".
	Description string
	// Data is the image file.
	Data []byte
}

// encode builds the C WM_PICTURE (and its strings and data) in C memory, which may not
// point into Go memory.
func (pic *Picture) encode(op string) (*attrValue, error) {
	if uint64(len(pic.Data)) > 0xFFFFFFFF {
		return nil, invalidArg(op, "picture larger than 4 GiB")
	}
	mime, err := cString(op, "MIME type", pic.MIMEType)
	if err != nil {
		return nil, err
	}
	desc, err := cString(op, "description", pic.Description)
	if err != nil {
		C.free(unsafe.Pointer(mime))
		return nil, err
	}
	v := &attrValue{typ: WMT_TYPE_BINARY, n: int(unsafe.Sizeof(C.WM_PICTURE{})),
		frees: []unsafe.Pointer{unsafe.Pointer(mime), unsafe.Pointer(desc)}}
	c := (*C.WM_PICTURE)(C.calloc(1, C.size_t(unsafe.Sizeof(C.WM_PICTURE{}))))
	v.frees = append(v.frees, unsafe.Pointer(c))
	c.pwszMIMEType = mime
	c.bPictureType = C.uint8_t(pic.Type)
	c.pwszDescription = desc
	c.dwDataLen = C.uint32_t(len(pic.Data))
	if len(pic.Data) > 0 {
		data := C.CBytes(pic.Data)
		v.frees = append(v.frees, data)
		c.pbData = (*C.uint8_t)(data)
	}
	v.cmem = unsafe.Pointer(c)
	return v, nil
}

// ParsePicture decodes the WM/Picture value Writer.Attribute returns: picture type,
// data length, MIME type and description (NUL-terminated UTF-16LE), data.
func ParsePicture(b []byte) (Picture, error) {
	bad := func(what string) (Picture, error) {
		return Picture{}, invalidArg("ParsePicture", "not a WM/Picture value: "+what)
	}
	if len(b) < 5 {
		return bad("shorter than 5 bytes")
	}
	pic := Picture{Type: b[0]}
	n := int(binary.LittleEndian.Uint32(b[1:]))
	rest := b[5:]
	utf16z := func() (string, bool) {
		var u []uint16
		for i := 0; i+1 < len(rest); i += 2 {
			c := binary.LittleEndian.Uint16(rest[i:])
			if c == 0 {
				rest = rest[i+2:]
				return string(utf16.Decode(u)), true
			}
			u = append(u, c)
		}
		return "", false
	}
	var ok bool
	if pic.MIMEType, ok = utf16z(); !ok {
		return bad("MIME type not terminated")
	}
	if pic.Description, ok = utf16z(); !ok {
		return bad("description not terminated")
	}
	if len(rest) != n {
		return bad(fmt.Sprintf("%d data bytes, the length says %d", len(rest), n))
	}
	pic.Data = append([]byte(nil), rest...)
	return pic, nil
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
// "Tone"). Value types are listed above (a Picture for WM/Picture); values are at
// most 65535 bytes (AddAttribute takes longer ones). Before BeginWriting only
// (NS_E_INVALID_REQUEST); NS_E_ATTRIBUTE_READ_ONLY for computed attributes such as
// Duration; E_INVALIDARG for a wrong type.
func (w *Writer) SetAttribute(stream uint16, name string, value any) error {
	const op = "wm_writer_set_attribute"
	err := withNamedValue(op, name, value, 0xFFFF, " (AddAttribute takes more)", func(cs *C.char, v *attrValue) error {
		return w.h.call(op, func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_set_attribute(p, C.uint16_t(stream), cs, C.WMT_ATTR_DATATYPE(v.typ), v.ptr(), C.uint16_t(v.n))
		})
	})
	runtime.KeepAlive(w)
	return err
}

// AddAttribute appends an attribute, duplicates allowed, and returns its index on
// stream (IWMHeaderInfo3::AddAttribute). language indexes the file's language list (0
// = "en-us", then the streams' languages). Values may exceed 64 KiB; GUID values are
// accepted here. Before BeginWriting only.
func (w *Writer) AddAttribute(stream uint16, name string, value any, language uint16) (int, error) {
	const op = "wm_writer_add_attribute"
	var index C.uint16_t
	err := withNamedValue(op, name, value, 0xFFFFFFFF, "", func(cs *C.char, v *attrValue) error {
		return w.h.call(op, func(p *C.WMWriter) C.HRESULT {
			return C.wm_writer_add_attribute(p, C.uint16_t(stream), cs, &index, C.WMT_ATTR_DATATYPE(v.typ), C.uint16_t(language), v.ptr(), C.uint32_t(v.n))
		})
	})
	runtime.KeepAlive(w)
	return int(index), err
}

// ModifyAttribute changes the value and language of attribute index on stream
// (IWMHeaderInfo3::ModifyAttribute).
func (w *Writer) ModifyAttribute(stream uint16, index int, value any, language uint16) error {
	const op = "wm_writer_modify_attribute"
	if index < 0 || index > 0xFFFF {
		return invalidArg(op, "index out of range")
	}
	v, err := encodeAttr(op, value)
	if err != nil {
		return err
	}
	defer v.free()
	if uint64(v.n) > 0xFFFFFFFF {
		return invalidArg(op, "value larger than 4 GiB")
	}
	err = w.h.call(op, func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_modify_attribute(p, C.uint16_t(stream), C.uint16_t(index), C.WMT_ATTR_DATATYPE(v.typ), C.uint16_t(language), v.ptr(), C.uint32_t(v.n))
	})
	runtime.KeepAlive(v)
	runtime.KeepAlive(w)
	return err
}

// AttributeIndices are the indices of the attributes called name on stream; language
// nil means any language (IWMHeaderInfo3::GetAttributeIndices).
func (w *Writer) AttributeIndices(stream uint16, name string, language *uint16) ([]int, error) {
	const op = "wm_writer_get_attribute_indices"
	cs, err := cString(op, "name", name)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cs))
	var lang *C.uint16_t
	if language != nil {
		l := C.uint16_t(*language)
		lang = &l
	}
	var out []int
	err = w.h.with(op, func(p *C.WMWriter) error {
		for tries := 0; ; tries++ {
			var n C.uint16_t
			if err := check(op, func() C.HRESULT { return C.wm_writer_get_attribute_indices(p, C.uint16_t(stream), cs, lang, nil, &n) }); err != nil {
				return err
			}
			if n == 0 {
				out = []int{}
				return nil
			}
			idx := make([]C.uint16_t, int(n))
			err := check(op, func() C.HRESULT {
				return C.wm_writer_get_attribute_indices(p, C.uint16_t(stream), cs, lang, &idx[0], &n)
			})
			if err != nil {
				if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
					continue
				}
				return err
			}
			out = make([]int, int(n))
			for i := range out {
				out[i] = int(idx[i])
			}
			return nil
		}
	})
	runtime.KeepAlive(w)
	return out, err
}

// Attribute is the first attribute called name on stream (0 = the file)
// (IWMHeaderInfo::GetAttributeByName; values over 64 KiB through
// GetAttributeIndices + GetAttributeByIndexEx). At file level the computed attributes can be
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
	if IsHResult(err, ASF_E_BUFFERTOOSMALL) {
		// A value over 64 KiB does not fit this call's 16-bit length: read the first
		// attribute of that name by index (32-bit length).
		idx, ierr := w.AttributeIndices(stream, name, nil)
		if ierr == nil && len(idx) > 0 {
			_, v, ierr := w.AttributeByIndex(stream, idx[0])
			return v, ierr
		}
	}
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
// (IWMHeaderInfo3::GetAttributeByIndexEx, so values over 64 KiB can be read).
// E_INVALIDARG if index is out of range.
func (w *Writer) AttributeByIndex(stream uint16, index int) (name string, value any, err error) {
	name, value, _, err = w.AttributeByIndexEx(stream, index)
	return name, value, err
}

// AttributeByIndexEx is AttributeByIndex with the attribute's language index
// (IWMHeaderInfo3::GetAttributeByIndexEx).
func (w *Writer) AttributeByIndexEx(stream uint16, index int) (name string, value any, language uint16, err error) {
	const op = "wm_writer_get_attribute_by_index_ex"
	if index < 0 || index > 0xFFFF {
		return "", nil, 0, invalidArg(op, "index out of range")
	}
	err = w.h.with(op, func(p *C.WMWriter) error {
		for tries := 0; ; tries++ {
			var typ C.WMT_ATTR_DATATYPE
			var lang C.uint16_t
			var nameLen C.uint16_t
			var valueLen C.uint32_t
			if err := check(op, func() C.HRESULT {
				return C.wm_writer_get_attribute_by_index_ex(p, C.uint16_t(stream), C.uint16_t(index), nil, &nameLen, &typ, &lang, nil, &valueLen)
			}); err != nil {
				return err
			}
			nb := make([]byte, int(nameLen)+1)
			vb := make([]byte, int(valueLen)+1)
			nameLen, valueLen = C.uint16_t(len(nb)-1), C.uint32_t(len(vb)-1)
			err := check(op, func() C.HRESULT {
				return C.wm_writer_get_attribute_by_index_ex(p, C.uint16_t(stream), C.uint16_t(index), (*C.char)(unsafe.Pointer(&nb[0])), &nameLen,
					&typ, &lang, (*C.uint8_t)(unsafe.Pointer(&vb[0])), &valueLen)
			})
			if err != nil {
				if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
					continue
				}
				return err
			}
			name = cStringBytes(nb[:int(nameLen)])
			value = decodeAttr(uint32(typ), vb[:int(valueLen)])
			language = uint16(lang)
			return nil
		}
	})
	runtime.KeepAlive(w)
	return name, value, language, err
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

// CodecInfo is one entry of the file's Codec List (IWMHeaderInfo2::GetCodecInfo).
type CodecInfo struct {
	Name        string
	Description string
	// Type is WMT_CODECINFO_AUDIO, WMT_CODECINFO_VIDEO or WMT_CODECINFO_UNKNOWN.
	Type uint32
	// Info is the codec's bytes (for audio, the format tag).
	Info []byte
}

// CodecInfoCount is the number of codec entries: one per audio or video stream of the
// profile, plus those added with AddCodecInfo (IWMHeaderInfo2::GetCodecInfoCount).
func (w *Writer) CodecInfoCount() (int, error) {
	var n C.uint32_t
	err := w.h.call("wm_writer_get_codec_info_count", func(p *C.WMWriter) C.HRESULT { return C.wm_writer_get_codec_info_count(p, &n) })
	runtime.KeepAlive(w)
	return int(n), err
}

// CodecInfo is codec entry index (IWMHeaderInfo2::GetCodecInfo).
func (w *Writer) CodecInfo(index int) (CodecInfo, error) {
	const op = "wm_writer_get_codec_info"
	var ci CodecInfo
	if index < 0 || uint64(index) > 0xFFFFFFFF {
		return ci, invalidArg(op, "index out of range")
	}
	err := w.h.with(op, func(p *C.WMWriter) error {
		for tries := 0; ; tries++ {
			var nl, dl, il C.uint16_t
			var typ C.WMT_CODEC_INFO_TYPE
			if err := check(op, func() C.HRESULT {
				return C.wm_writer_get_codec_info(p, C.uint32_t(index), &nl, nil, &dl, nil, &typ, &il, nil)
			}); err != nil {
				return err
			}
			nb, db, ib := make([]byte, int(nl)+1), make([]byte, int(dl)+1), make([]byte, int(il)+1)
			nl, dl, il = C.uint16_t(len(nb)-1), C.uint16_t(len(db)-1), C.uint16_t(len(ib)-1)
			err := check(op, func() C.HRESULT {
				return C.wm_writer_get_codec_info(p, C.uint32_t(index), &nl, (*C.char)(unsafe.Pointer(&nb[0])), &dl,
					(*C.char)(unsafe.Pointer(&db[0])), &typ, &il, (*C.uint8_t)(unsafe.Pointer(&ib[0])))
			})
			if err != nil {
				if IsHResult(err, ASF_E_BUFFERTOOSMALL) && tries < 8 {
					continue
				}
				return err
			}
			ci = CodecInfo{Name: cStringBytes(nb[:int(nl)]), Description: cStringBytes(db[:int(dl)]), Type: uint32(typ),
				Info: append([]byte{}, ib[:int(il)]...)}
			return nil
		}
	})
	runtime.KeepAlive(w)
	return ci, err
}

// AddCodecInfo adds a codec entry (IWMHeaderInfo3::AddCodecInfo); before BeginWriting
// only. Info is at most 65535 bytes.
func (w *Writer) AddCodecInfo(ci CodecInfo) error {
	const op = "wm_writer_add_codec_info"
	if len(ci.Info) > 0xFFFF {
		return invalidArg(op, "codec info longer than 65535 bytes")
	}
	name, err := cString(op, "name", ci.Name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(name))
	desc, err := cString(op, "description", ci.Description)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(desc))
	err = w.h.call(op, func(p *C.WMWriter) C.HRESULT {
		return C.wm_writer_add_codec_info(p, name, desc, C.WMT_CODEC_INFO_TYPE(ci.Type), C.uint16_t(len(ci.Info)), (*C.uint8_t)(bytesPtr(ci.Info)))
	})
	runtime.KeepAlive(ci.Info)
	runtime.KeepAlive(w)
	return err
}
