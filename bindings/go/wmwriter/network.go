package wmwriter

// #include <stdlib.h>
// #include "wmwriter.h"
import "C"

import (
	"runtime"
	"unsafe"
)

// NewNetworkSink creates a network sink (WMCreateWriterNetworkSink): a live HTTP /
// MMSH server that players pull the stream from while a writer writes it. It starts
// closed, with at most 5 clients, binding 127.0.0.1; call NetworkOpen, then
// Writer.AddSink.
func NewNetworkSink() (*Sink, error) {
	var p *C.WMWriterSink
	if err := check("wm_create_writer_network_sink", func() C.HRESULT { return C.wm_create_writer_network_sink(&p) }); err != nil {
		return nil, err
	}
	return newSink(p), nil
}

func (s *Sink) netCall(op string, f func(p *C.WMWriterSink) C.HRESULT) error {
	err := s.h.call(op, f)
	runtime.KeepAlive(s)
	return err
}

// SetBindAddress sets the IP address NetworkOpen listens on ("0.0.0.0" for every interface).
func (s *Sink) SetBindAddress(address string) error {
	cs, err := cString("wm_writer_network_sink_set_bind_address", "address", address)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	return s.netCall("wm_writer_network_sink_set_bind_address", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_network_sink_set_bind_address(p, cs)
	})
}

// NetworkOpen listens on port (0 = any free port) and returns the port used
// (IWMWriterNetworkSink::Open). NS_E_NETWORK_RESOURCE_FAILURE if the port is in use.
func (s *Sink) NetworkOpen(port uint32) (uint32, error) {
	v := C.uint32_t(port)
	err := s.netCall("wm_writer_network_sink_open", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_network_sink_open(p, &v) })
	return uint32(v), err
}

// NetworkClose drops every client and releases the port (IWMWriterNetworkSink::Close).
func (s *Sink) NetworkClose() error {
	return s.netCall("wm_writer_network_sink_close", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_network_sink_close(p) })
}

// Disconnect drops every client and keeps listening (IWMWriterNetworkSink::Disconnect).
func (s *Sink) Disconnect() error {
	return s.netCall("wm_writer_network_sink_disconnect", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_network_sink_disconnect(p) })
}

// HostURL is the URL clients use (IWMWriterNetworkSink::GetHostURL).
func (s *Sink) HostURL() (string, error) {
	var b []byte
	err := s.h.with("wm_writer_network_sink_get_host_url", func(p *C.WMWriterSink) (err error) {
		b, err = sizeQuery("wm_writer_network_sink_get_host_url", func(buf unsafe.Pointer, n *C.uint32_t) C.HRESULT {
			return C.wm_writer_network_sink_get_host_url(p, (*C.char)(buf), n)
		})
		return err
	})
	runtime.KeepAlive(s)
	return cStringBytes(b), err
}

func (s *Sink) netU32(op string, f func(p *C.WMWriterSink, v *C.uint32_t) C.HRESULT) (uint32, error) {
	var v C.uint32_t
	err := s.netCall(op, func(p *C.WMWriterSink) C.HRESULT { return f(p, &v) })
	return uint32(v), err
}

// SetMaximumClients sets how many clients are served at once, 0..50 (default 5).
func (s *Sink) SetMaximumClients(n uint32) error {
	return s.netCall("wm_writer_network_sink_set_maximum_clients", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_network_sink_set_maximum_clients(p, C.uint32_t(n))
	})
}

// MaximumClients is how many clients are served at once.
func (s *Sink) MaximumClients() (uint32, error) {
	return s.netU32("wm_writer_network_sink_get_maximum_clients", func(p *C.WMWriterSink, v *C.uint32_t) C.HRESULT {
		return C.wm_writer_network_sink_get_maximum_clients(p, v)
	})
}

// SetNetworkProtocol sets the protocol: only WMT_PROTOCOL_HTTP (0).
func (s *Sink) SetNetworkProtocol(protocol uint32) error {
	return s.netCall("wm_writer_network_sink_set_network_protocol", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_network_sink_set_network_protocol(p, C.uint32_t(protocol))
	})
}

// NetworkProtocol is the protocol (always HTTP, 0).
func (s *Sink) NetworkProtocol() (uint32, error) {
	return s.netU32("wm_writer_network_sink_get_network_protocol", func(p *C.WMWriterSink, v *C.uint32_t) C.HRESULT {
		return C.wm_writer_network_sink_get_network_protocol(p, v)
	})
}

// SetBufferSize sets the bytes a client may fall behind before it is disconnected.
func (s *Sink) SetBufferSize(n uint32) error {
	return s.netCall("wm_writer_network_sink_set_buffer_size", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_network_sink_set_buffer_size(p, C.uint32_t(n))
	})
}

// BufferSize is the per-client buffer in bytes.
func (s *Sink) BufferSize() (uint32, error) {
	return s.netU32("wm_writer_network_sink_get_buffer_size", func(p *C.WMWriterSink, v *C.uint32_t) C.HRESULT {
		return C.wm_writer_network_sink_get_buffer_size(p, v)
	})
}

// ClientCount is the number of streaming clients connected (IWMClientConnections::GetClientCount).
func (s *Sink) ClientCount() (uint32, error) {
	return s.netU32("wm_writer_network_sink_get_client_count", func(p *C.WMWriterSink, v *C.uint32_t) C.HRESULT {
		return C.wm_writer_network_sink_get_client_count(p, v)
	})
}

// NetworkClient is one connected client.
type NetworkClient struct {
	IPAddress uint32 // WM_CLIENT_PROPERTIES.dwIPAddress (127.0.0.1 = 0x7F000001)
	Port      uint32
	Address   string
	UserAgent string
}

// Client returns client index (GetClientProperties + IWMClientConnections2::GetClientInfo).
func (s *Sink) Client(index uint32) (NetworkClient, error) {
	var c NetworkClient
	err := s.h.with("wm_writer_network_sink_get_client_info", func(p *C.WMWriterSink) error {
		var props C.WM_CLIENT_PROPERTIES
		if err := check("wm_writer_network_sink_get_client_properties", func() C.HRESULT {
			return C.wm_writer_network_sink_get_client_properties(p, C.uint32_t(index), &props)
		}); err != nil {
			return err
		}
		c.IPAddress, c.Port = uint32(props.dwIPAddress), uint32(props.dwPort)
		var al, pl, ul C.uint32_t
		if err := check("wm_writer_network_sink_get_client_info", func() C.HRESULT {
			return C.wm_writer_network_sink_get_client_info(p, C.uint32_t(index), nil, &al, nil, &pl, nil, &ul)
		}); err != nil {
			return err
		}
		a, pt, u := make([]byte, int(al)+1), make([]byte, int(pl)+1), make([]byte, int(ul)+1)
		al, pl, ul = C.uint32_t(len(a)), C.uint32_t(len(pt)), C.uint32_t(len(u))
		if err := check("wm_writer_network_sink_get_client_info", func() C.HRESULT {
			return C.wm_writer_network_sink_get_client_info(p, C.uint32_t(index), (*C.char)(unsafe.Pointer(&a[0])), &al,
				(*C.char)(unsafe.Pointer(&pt[0])), &pl, (*C.char)(unsafe.Pointer(&u[0])), &ul)
		}); err != nil {
			return err
		}
		c.Address, c.UserAgent = cStringBytes(a), cStringBytes(u)
		return nil
	})
	runtime.KeepAlive(s)
	return c, err
}

// NewPushSink creates a push sink (WMCreateWriterPushSink): it pushes the live stream
// to a publishing point on a Windows Media server over HTTP POST (MS-WMHTTP). Call
// PushConnect, then Writer.AddSink.
func NewPushSink() (*Sink, error) {
	var p *C.WMWriterSink
	if err := check("wm_create_writer_push_sink", func() C.HRESULT { return C.wm_create_writer_push_sink(&p) }); err != nil {
		return nil, err
	}
	return newSink(p), nil
}

// PushConnect connects to the publishing point url ("http://server[:port]/point";
// IWMWriterPushSink::Connect). templateURL may be "" (none); autoDestroy asks the
// server to remove the point when the push ends. NS_E_INVALID_NAME for a bad URL,
// E_FAIL when the server cannot be reached or refuses.
func (s *Sink) PushConnect(url, templateURL string, autoDestroy bool) error {
	cu, err := cString("wm_writer_push_sink_connect", "url", url)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cu))
	var ct *C.char
	if templateURL != "" {
		if ct, err = cString("wm_writer_push_sink_connect", "template URL", templateURL); err != nil {
			return err
		}
		defer C.free(unsafe.Pointer(ct))
	}
	ad := C.int32_t(0)
	if autoDestroy {
		ad = 1
	}
	return s.netCall("wm_writer_push_sink_connect", func(p *C.WMWriterSink) C.HRESULT {
		return C.wm_writer_push_sink_connect(p, cu, ct, ad)
	})
}

// PushDisconnect closes the connection to the server (IWMWriterPushSink::Disconnect).
func (s *Sink) PushDisconnect() error {
	return s.netCall("wm_writer_push_sink_disconnect", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_push_sink_disconnect(p) })
}

// PushEndSession ends a stream still being pushed (IWMWriterPushSink::EndSession).
func (s *Sink) PushEndSession() error {
	return s.netCall("wm_writer_push_sink_end_session", func(p *C.WMWriterSink) C.HRESULT { return C.wm_writer_push_sink_end_session(p) })
}
