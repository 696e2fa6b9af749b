package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// StreamConfig is one stream of a profile (IWMStreamConfig, WMStreamConfig): its own
// copy of the data. Profile.CreateNewStream, Stream and StreamByNumber hand them out;
// Profile.AddStream / ReconfigStream copy one back into the profile.
//
// It holds one reference; Close drops it (idempotent; a finalizer does it if you
// forget). Methods are safe for concurrent use, and fail with ErrClosed after Close.
type StreamConfig struct {
	h ref[*C.WMStreamConfig]
}

func newStreamConfig(p *C.WMStreamConfig) *StreamConfig {
	sc := &StreamConfig{}
	sc.h.init(p, "StreamConfig", func(p *C.WMStreamConfig) { C.wm_stream_config_release(p) })
	runtime.SetFinalizer(sc, (*StreamConfig).Close)
	return sc
}

// withStreamConfig runs f with sc's handle, or NULL for a nil sc.
func withStreamConfig(sc *StreamConfig, op string, f func(p *C.WMStreamConfig) error) error {
	if sc == nil {
		return f(nil)
	}
	err := sc.h.with(op, f)
	runtime.KeepAlive(sc)
	return err
}

// Close releases the reference (wm_stream_config_release). Calling it again does
// nothing. It always returns nil.
func (sc *StreamConfig) Close() error {
	if sc.h.close() {
		runtime.SetFinalizer(sc, nil)
	}
	return nil
}

// Clone returns a second wrapper holding its own reference to the same object
// (wm_stream_config_add_ref).
func (sc *StreamConfig) Clone() (*StreamConfig, error) {
	var out *StreamConfig
	err := sc.h.with("wm_stream_config_add_ref", func(p *C.WMStreamConfig) error {
		C.wm_stream_config_add_ref(p)
		out = newStreamConfig(p)
		return nil
	})
	runtime.KeepAlive(sc)
	return out, err
}

// StreamType is the stream's major type, a WMMEDIATYPE_* GUID
// (IWMStreamConfig::GetStreamType).
func (sc *StreamConfig) StreamType() (GUID, error) {
	var g C.WMGuid
	err := sc.h.call("wm_stream_config_get_stream_type", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_get_stream_type(p, &g)
	})
	runtime.KeepAlive(sc)
	return goGUID(&g), err
}

// StreamNumber is the stream number, 1..63 (IWMStreamConfig::GetStreamNumber).
func (sc *StreamConfig) StreamNumber() (uint16, error) {
	var v C.uint16_t
	err := sc.h.call("wm_stream_config_get_stream_number", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_get_stream_number(p, &v)
	})
	runtime.KeepAlive(sc)
	return uint16(v), err
}

// SetStreamNumber sets the stream number, 1..63 (IWMStreamConfig::SetStreamNumber).
func (sc *StreamConfig) SetStreamNumber(number uint16) error {
	err := sc.h.call("wm_stream_config_set_stream_number", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_stream_number(p, C.uint16_t(number))
	})
	runtime.KeepAlive(sc)
	return err
}

// Bitrate is the bit rate in bits per second (IWMStreamConfig::GetBitrate).
func (sc *StreamConfig) Bitrate() (uint32, error) {
	var v C.uint32_t
	err := sc.h.call("wm_stream_config_get_bitrate", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_get_bitrate(p, &v)
	})
	runtime.KeepAlive(sc)
	return uint32(v), err
}

// SetBitrate sets the bit rate in bits per second (IWMStreamConfig::SetBitrate).
func (sc *StreamConfig) SetBitrate(bitsPerSecond uint32) error {
	err := sc.h.call("wm_stream_config_set_bitrate", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_bitrate(p, C.uint32_t(bitsPerSecond))
	})
	runtime.KeepAlive(sc)
	return err
}

// BufferWindow is the buffer window in milliseconds; 0xFFFFFFFF lets the writer
// choose (IWMStreamConfig::GetBufferWindow).
func (sc *StreamConfig) BufferWindow() (uint32, error) {
	var v C.uint32_t
	err := sc.h.call("wm_stream_config_get_buffer_window", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_get_buffer_window(p, &v)
	})
	runtime.KeepAlive(sc)
	return uint32(v), err
}

// SetBufferWindow sets the buffer window in milliseconds
// (IWMStreamConfig::SetBufferWindow).
func (sc *StreamConfig) SetBufferWindow(ms uint32) error {
	err := sc.h.call("wm_stream_config_set_buffer_window", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_buffer_window(p, C.uint32_t(ms))
	})
	runtime.KeepAlive(sc)
	return err
}

// StreamName is the stream's name (IWMStreamConfig::GetStreamName).
func (sc *StreamConfig) StreamName() (string, error) {
	var b []byte
	err := sc.h.with("wm_stream_config_get_stream_name", func(p *C.WMStreamConfig) (err error) {
		b, err = sizeQuery("wm_stream_config_get_stream_name", func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_stream_config_get_stream_name(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(sc)
	return cStringBytes(b), err
}

// SetStreamName sets the stream's name (at most 256 characters)
// (IWMStreamConfig::SetStreamName).
func (sc *StreamConfig) SetStreamName(name string) error {
	cs, err := cString("wm_stream_config_set_stream_name", "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = sc.h.call("wm_stream_config_set_stream_name", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_stream_name(p, cs)
	})
	runtime.KeepAlive(sc)
	return err
}

// ConnectionName is the name of the writer input that feeds the stream
// (IWMStreamConfig::GetConnectionName).
func (sc *StreamConfig) ConnectionName() (string, error) {
	var b []byte
	err := sc.h.with("wm_stream_config_get_connection_name", func(p *C.WMStreamConfig) (err error) {
		b, err = sizeQuery("wm_stream_config_get_connection_name", func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_stream_config_get_connection_name(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(sc)
	return cStringBytes(b), err
}

// SetConnectionName sets it (at most 256 characters); streams sharing a connection
// name share one writer input (IWMStreamConfig::SetConnectionName).
func (sc *StreamConfig) SetConnectionName(name string) error {
	cs, err := cString("wm_stream_config_set_connection_name", "name", name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = sc.h.call("wm_stream_config_set_connection_name", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_connection_name(p, cs)
	})
	runtime.KeepAlive(sc)
	return err
}

// MediaType is a copy of the stream's media type (IWMMediaProps::GetMediaType);
// E_INVALIDARG if none is set yet.
func (sc *StreamConfig) MediaType() (*MediaType, error) {
	var mt *MediaType
	err := sc.h.with("wm_stream_config_get_media_type", func(p *C.WMStreamConfig) (err error) {
		mt, err = readMediaType("wm_stream_config_get_media_type", func(m *C.WM_MEDIA_TYPE, n *C.uint32_t) C.HRESULT {
			return C.wm_stream_config_get_media_type(p, m, n)
		})
		return err
	})
	runtime.KeepAlive(sc)
	return mt, err
}

// SetMediaType sets the stream's media type, a deep copy (IWMMediaProps::SetMediaType).
// E_INVALIDARG for an empty or over-1-MiB format block or a major type that is not
// the stream's. A nil mt passes NULL (E_INVALIDARG from the library).
func (sc *StreamConfig) SetMediaType(mt *MediaType) error {
	var cmt *C.WM_MEDIA_TYPE
	if mt != nil {
		cmt = mt.toC()
		defer C.free(unsafe.Pointer(cmt))
	}
	err := sc.h.call("wm_stream_config_set_media_type", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_media_type(p, cmt)
	})
	runtime.KeepAlive(sc)
	return err
}

// Type is the major type of the media type, the same as StreamType
// (IWMMediaProps::GetType).
func (sc *StreamConfig) Type() (GUID, error) {
	var g C.WMGuid
	err := sc.h.call("wm_stream_config_get_type", func(p *C.WMStreamConfig) C.HRESULT { return C.wm_stream_config_get_type(p, &g) })
	runtime.KeepAlive(sc)
	return goGUID(&g), err
}

// Language is the stream's RFC 1766 language tag, "" for none
// (IWMStreamConfig3::GetLanguage).
func (sc *StreamConfig) Language() (string, error) {
	var b []byte
	err := sc.h.with("wm_stream_config_get_language", func(p *C.WMStreamConfig) (err error) {
		b, err = sizeQuery("wm_stream_config_get_language", func(buf unsafe.Pointer, n *C.uint16_t) C.HRESULT {
			return C.wm_stream_config_get_language(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(sc)
	return cStringBytes(b), err
}

// SetLanguage sets the language tag, e.g. "en-us" ("" = none); the writer lists it in
// the file's language list (IWMStreamConfig3::SetLanguage).
func (sc *StreamConfig) SetLanguage(language string) error {
	cs, err := cString("wm_stream_config_set_language", "language", language)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	err = sc.h.call("wm_stream_config_set_language", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_language(p, cs)
	})
	runtime.KeepAlive(sc)
	return err
}

// Quality is the video quality setting, 0..100 (IWMVideoMediaProps::GetQuality).
func (sc *StreamConfig) Quality() (uint32, error) {
	var v C.uint32_t
	err := sc.h.call("wm_stream_config_get_quality", func(p *C.WMStreamConfig) C.HRESULT { return C.wm_stream_config_get_quality(p, &v) })
	runtime.KeepAlive(sc)
	return uint32(v), err
}

// SetQuality sets it, 0 (smoothest motion) to 100 (sharpest frames); kept for
// encoders and saved in PRX (IWMVideoMediaProps::SetQuality).
func (sc *StreamConfig) SetQuality(quality uint32) error {
	err := sc.h.call("wm_stream_config_set_quality", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_quality(p, C.uint32_t(quality))
	})
	runtime.KeepAlive(sc)
	return err
}

// MaxKeyFrameSpacing is the maximum time between key frames, 0 = the codec decides
// (IWMVideoMediaProps::GetMaxKeyFrameSpacing).
func (sc *StreamConfig) MaxKeyFrameSpacing() (time.Duration, error) {
	var v C.int64_t
	err := sc.h.call("wm_stream_config_get_max_key_frame_spacing", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_get_max_key_frame_spacing(p, &v)
	})
	runtime.KeepAlive(sc)
	return time.Duration(v) * 100, err
}

// SetMaxKeyFrameSpacing sets it (100 ns precision); E_INVALIDARG if negative
// (IWMVideoMediaProps::SetMaxKeyFrameSpacing).
func (sc *StreamConfig) SetMaxKeyFrameSpacing(d time.Duration) error {
	err := sc.h.call("wm_stream_config_set_max_key_frame_spacing", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_max_key_frame_spacing(p, C.int64_t(d/100))
	})
	runtime.KeepAlive(sc)
	return err
}

// TransportType is WMT_Transport_Type_Unreliable (the default) or
// WMT_Transport_Type_Reliable (IWMStreamConfig2::GetTransportType).
func (sc *StreamConfig) TransportType() (uint32, error) {
	var v C.uint32_t
	err := sc.h.call("wm_stream_config_get_transport_type", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_get_transport_type(p, &v)
	})
	runtime.KeepAlive(sc)
	return uint32(v), err
}

// SetTransportType sets it (IWMStreamConfig2::SetTransportType).
func (sc *StreamConfig) SetTransportType(transport uint32) error {
	err := sc.h.call("wm_stream_config_set_transport_type", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_set_transport_type(p, C.uint32_t(transport))
	})
	runtime.KeepAlive(sc)
	return err
}

// DataUnitExtension is a per-sample property a stream's samples may carry
// (IWMStreamConfig2 data unit extensions).
type DataUnitExtension struct {
	// SystemID identifies the extension system.
	SystemID GUID
	// DataSize is the property's size in bytes per sample; 0xFFFF = variable.
	DataSize uint16
	// Info is the extension system's info.
	Info []byte
}

// AddDataUnitExtension declares one; declaring a SystemID again replaces it
// (IWMStreamConfig2::AddDataUnitExtension).
func (sc *StreamConfig) AddDataUnitExtension(ext DataUnitExtension) error {
	const op = "wm_stream_config_add_data_unit_extension"
	if uint64(len(ext.Info)) > 0xFFFFFFFF {
		return invalidArg(op, "info larger than 4 GiB")
	}
	id := cGUID(ext.SystemID)
	err := sc.h.call(op, func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_add_data_unit_extension(p, &id, C.uint16_t(ext.DataSize), (*C.uint8_t)(bytesPtr(ext.Info)), C.uint32_t(len(ext.Info)))
	})
	runtime.KeepAlive(ext.Info)
	runtime.KeepAlive(sc)
	return err
}

// DataUnitExtensionCount is the number of declared data unit extensions
// (IWMStreamConfig2::GetDataUnitExtensionCount).
func (sc *StreamConfig) DataUnitExtensionCount() (int, error) {
	var n C.uint16_t
	err := sc.h.call("wm_stream_config_get_data_unit_extension_count", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_get_data_unit_extension_count(p, &n)
	})
	runtime.KeepAlive(sc)
	return int(n), err
}

// DataUnitExtension is declared extension index (IWMStreamConfig2::GetDataUnitExtension).
func (sc *StreamConfig) DataUnitExtension(index int) (DataUnitExtension, error) {
	const op = "wm_stream_config_get_data_unit_extension"
	var ext DataUnitExtension
	if index < 0 || index > 0xFFFF {
		return ext, invalidArg(op, "index out of range")
	}
	err := sc.h.with(op, func(p *C.WMStreamConfig) (err error) {
		var id C.WMGuid
		var size C.uint16_t
		ext.Info, err = sizeQuery(op, func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_stream_config_get_data_unit_extension(p, C.uint16_t(index), &id, &size, (*C.uint8_t)(buf), n)
		})
		ext.SystemID, ext.DataSize = goGUID(&id), uint16(size)
		return err
	})
	runtime.KeepAlive(sc)
	if ext.Info == nil {
		ext.Info = []byte{}
	}
	return ext, err
}

// RemoveAllDataUnitExtensions removes every declared data unit extension
// (IWMStreamConfig2::RemoveAllDataUnitExtensions).
func (sc *StreamConfig) RemoveAllDataUnitExtensions() error {
	err := sc.h.call("wm_stream_config_remove_all_data_unit_extensions", func(p *C.WMStreamConfig) C.HRESULT {
		return C.wm_stream_config_remove_all_data_unit_extensions(p)
	})
	runtime.KeepAlive(sc)
	return err
}
