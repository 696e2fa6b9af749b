//! `WMWriterSink` as a network sink: `IWMWriterNetworkSink` and
//! `IWMClientConnections` / `IWMClientConnections2`. A live HTTP / MMSH server that
//! players (Windows Media Player, FFmpeg's `mmsh://` and `http://`, VLC) pull the stream
//! from while the writer produces it. Attach it with `wm_writer_add_sink`.

use std::ffi::c_char;
use std::sync::Arc;

use super::boundary::call;
use super::handle::{borrow, into_handle, out};
use super::strings::{read_str, write_str};
use super::HRESULT;
use crate::error::ErrorKind::{InvalidArg, Pointer};
use crate::error::Result;
use crate::sink::network::NetworkSink;
use crate::sink::WriterSink;

/// `WM_CLIENT_PROPERTIES`: one client's address and port.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct WM_CLIENT_PROPERTIES {
    /// IPv4 address as a number (127.0.0.1 = 0x7F000001); 0 for an IPv6 client.
    pub dwIPAddress: u32,
    /// The client's TCP port.
    pub dwPort: u32,
}

/// The network sink behind a sink handle.
///
/// # Safety
/// `sink` is NULL or a live handle.
unsafe fn net(sink: *mut WriterSink) -> Result<NetworkSink> {
    // SAFETY: NULL or a live handle, per the caller.
    let s = unsafe { borrow(sink, "sink")? };
    s.as_network().ok_or_else(|| crate::err!(InvalidArg, "the sink is not a network sink (make one with wm_create_writer_network_sink)"))
}

/// Create a network sink (`WMCreateWriterNetworkSink`): closed, at most 5 clients,
/// HTTP, binding 127.0.0.1. Open it with `wm_writer_network_sink_open`, attach it with
/// `wm_writer_add_sink`. Releasing the last reference closes it.
///
/// Ownership: `*out` transfer full. On failure `*out` is NULL. Returns `S_OK`,
/// `E_POINTER` (out NULL).
#[no_mangle]
pub unsafe extern "C" fn wm_create_writer_network_sink(out_sink: *mut *mut WriterSink) -> HRESULT {
    call("wm_create_writer_network_sink", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(out_sink, "sink", Pointer)? };
        *o = std::ptr::null_mut();
        *o = into_handle(Arc::new(WriterSink::network(NetworkSink::new())));
        Ok(())
    })
}

/// The IP address `open` listens on, e.g. "0.0.0.0" for every interface or "::1"
/// (beyond the SDK, which listens on every interface; the default here is the loopback
/// address 127.0.0.1 so that nothing is exposed by accident). Only while closed.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (address NULL, not an IP
/// address, or not a network sink), `NS_E_INVALID_REQUEST` (open).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_set_bind_address(sink: *mut WriterSink, address: *const c_char) -> HRESULT {
    call("wm_writer_network_sink_set_bind_address", || {
        // SAFETY: NULL or a live handle.
        let n = unsafe { net(sink)? };
        // SAFETY: NULL or NUL-terminated.
        let a = unsafe { read_str(address, "the address")? };
        let ip = a.parse().map_err(|_| crate::err!(InvalidArg, "\"{a}\" is not an IPv4 or IPv6 address"))?;
        n.set_bind_address(ip)
    })
}

/// Listen for clients (`IWMWriterNetworkSink::Open`). `*port` in: the port, 0 = any
/// free port; out: the port used.
///
/// On failure `*port` is 0. Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG`
/// (port NULL or above 65535, not a network sink), `NS_E_INVALID_REQUEST` (already
/// open), `NS_E_NETWORK_RESOURCE_FAILURE` (the port is in use or cannot be bound).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_open(sink: *mut WriterSink, port: *mut u32) -> HRESULT {
    call("wm_writer_network_sink_open", || {
        // SAFETY: NULL or writable.
        let p = unsafe { out(port, "port", InvalidArg)? };
        let want = *p;
        *p = 0;
        // SAFETY: NULL or a live handle.
        let n = unsafe { net(sink)? };
        let want = u16::try_from(want).map_err(|_| crate::err!(InvalidArg, "port {want} is above 65535"))?;
        *p = n.open(want)? as u32;
        Ok(())
    })
}

/// The URL clients use, e.g. "http://127.0.0.1:8080/" (`GetHostURL`), UTF-8 with the
/// size-query protocol: `url` NULL → `*len` = bytes needed incl. NUL.
///
/// Returns `S_OK`, `E_POINTER` (sink NULL), `E_INVALIDARG` (len NULL),
/// `ASF_E_BUFFERTOOSMALL` (`*len` set to the size needed), `NS_E_INVALID_REQUEST` (not open).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_get_host_url(sink: *mut WriterSink, url: *mut c_char, len: *mut u32) -> HRESULT {
    call("wm_writer_network_sink_get_host_url", || {
        if len.is_null() {
            crate::bail!(InvalidArg, "the URL length pointer is NULL");
        }
        // SAFETY: NULL or a live handle.
        let u = unsafe { net(sink) }.and_then(|n| n.host_url());
        match u {
            // SAFETY: `url` is NULL or writable for `*len` bytes; `len` is writable.
            Ok(u) => unsafe { write_str(&u, url, len, "URL") },
            Err(e) => {
                // SAFETY: non-NULL and writable.
                unsafe { *len = 0 };
                Err(e)
            }
        }
    })
}

/// The most clients served at once, 0..=50 (`SetMaximumClients`; default 5). A client
/// beyond it gets HTTP 503.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (not a network sink),
/// `NS_E_INVALID_REQUEST` (more than 50).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_set_maximum_clients(sink: *mut WriterSink, max_clients: u32) -> HRESULT {
    // SAFETY: NULL or a live handle.
    call("wm_writer_network_sink_set_maximum_clients", || unsafe { net(sink) }?.set_maximum_clients(max_clients))
}

/// The most clients served at once (`GetMaximumClients`).
///
/// On failure `*max_clients` is 0. Returns `S_OK`, `E_POINTER` (sink NULL),
/// `E_INVALIDARG` (out NULL, not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_get_maximum_clients(sink: *mut WriterSink, max_clients: *mut u32) -> HRESULT {
    call("wm_writer_network_sink_get_maximum_clients", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(max_clients, "maximum clients", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { net(sink)? }.maximum_clients();
        Ok(())
    })
}

/// `WMT_NET_PROTOCOL`: HTTP.
pub const WMT_PROTOCOL_HTTP: u32 = 0;

/// The protocol (`SetNetworkProtocol`): only `WMT_PROTOCOL_HTTP` (0), as in the SDK.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (another protocol, not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_set_network_protocol(sink: *mut WriterSink, protocol: u32) -> HRESULT {
    // SAFETY: NULL or a live handle.
    call("wm_writer_network_sink_set_network_protocol", || unsafe { net(sink) }?.set_network_protocol(protocol))
}

/// The protocol (`GetNetworkProtocol`): `WMT_PROTOCOL_HTTP`.
///
/// On failure `*protocol` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL,
/// not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_get_network_protocol(sink: *mut WriterSink, protocol: *mut u32) -> HRESULT {
    call("wm_writer_network_sink_get_network_protocol", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(protocol, "protocol", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { net(sink)? }.network_protocol();
        Ok(())
    })
}

/// The per-client buffer in bytes (`SetBufferSize`; default 2 MiB, at least 4096): a
/// client that falls further behind is disconnected, the others go on. Applies to
/// clients that connect afterwards.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (below 4096, not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_set_buffer_size(sink: *mut WriterSink, bytes: u32) -> HRESULT {
    // SAFETY: NULL or a live handle.
    call("wm_writer_network_sink_set_buffer_size", || unsafe { net(sink) }?.set_buffer_size(bytes))
}

/// The per-client buffer in bytes (`GetBufferSize`).
///
/// On failure `*bytes` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL,
/// not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_get_buffer_size(sink: *mut WriterSink, bytes: *mut u32) -> HRESULT {
    call("wm_writer_network_sink_get_buffer_size", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(bytes, "buffer size", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { net(sink)? }.buffer_size();
        Ok(())
    })
}

/// Drop every client and keep listening (`IWMWriterNetworkSink::Disconnect`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_disconnect(sink: *mut WriterSink) -> HRESULT {
    call("wm_writer_network_sink_disconnect", || {
        // SAFETY: NULL or a live handle.
        unsafe { net(sink)? }.disconnect();
        Ok(())
    })
}

/// Drop every client, release the port and wait until every server thread has ended
/// (`IWMWriterNetworkSink::Close`). The sink can be opened again.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (not a network sink),
/// `NS_E_INVALID_REQUEST` (not open).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_close(sink: *mut WriterSink) -> HRESULT {
    // SAFETY: NULL or a live handle.
    call("wm_writer_network_sink_close", || unsafe { net(sink) }?.close())
}

/// The number of streaming clients now connected (`IWMClientConnections::GetClientCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out NULL,
/// not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_get_client_count(sink: *mut WriterSink, count: *mut u32) -> HRESULT {
    call("wm_writer_network_sink_get_client_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { net(sink)? }.client_count();
        Ok(())
    })
}

/// Client `index`'s address and port (`IWMClientConnections::GetClientProperties`);
/// clients are in connection order.
///
/// On failure `*props` is zeroed. Returns `S_OK`, `E_POINTER` (sink NULL),
/// `E_INVALIDARG` (props NULL, index out of range, not a network sink).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_get_client_properties(
    sink: *mut WriterSink,
    index: u32,
    props: *mut WM_CLIENT_PROPERTIES,
) -> HRESULT {
    call("wm_writer_network_sink_get_client_properties", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(props, "properties", InvalidArg)? };
        *o = WM_CLIENT_PROPERTIES::default();
        // SAFETY: NULL or a live handle.
        let c = unsafe { net(sink)? }.client(index)?;
        *o = WM_CLIENT_PROPERTIES { dwIPAddress: c.ipv4(), dwPort: c.address.port() as u32 };
        Ok(())
    })
}

/// Client `index` as text (`IWMClientConnections2::GetClientInfo`): its address
/// ("127.0.0.1"), port ("54321") and User-Agent ("NSPlayer/4.1.0.3856"; the SDK's
/// third string is the DNS name, which this library does not look up). Each string
/// uses the size-query protocol (UTF-8, lengths in bytes incl. NUL); a NULL buffer
/// with its length pointer asks for the size; all three length pointers are required.
///
/// On failure the lengths not yet written are 0. Returns `S_OK`, `E_POINTER` (sink
/// NULL), `E_INVALIDARG` (a length NULL, index out of range, not a network sink),
/// `ASF_E_BUFFERTOOSMALL` (a buffer too small; every length holds the size needed).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_network_sink_get_client_info(
    sink: *mut WriterSink,
    index: u32,
    address: *mut c_char,
    address_len: *mut u32,
    port: *mut c_char,
    port_len: *mut u32,
    user_agent: *mut c_char,
    user_agent_len: *mut u32,
) -> HRESULT {
    call("wm_writer_network_sink_get_client_info", || {
        if address_len.is_null() || port_len.is_null() || user_agent_len.is_null() {
            crate::bail!(InvalidArg, "a length pointer is NULL (address, port and user agent lengths are all required)");
        }
        // SAFETY: NULL or a live handle.
        let c = unsafe { net(sink) }.and_then(|n| n.client(index));
        let c = match c {
            Ok(c) => c,
            Err(e) => {
                // SAFETY: all three are non-NULL and writable.
                unsafe {
                    *address_len = 0;
                    *port_len = 0;
                    *user_agent_len = 0;
                }
                return Err(e);
            }
        };
        // Write all three sizes first, so a too-small buffer still reports every size.
        // SAFETY: buffers NULL or writable for their lengths; lengths writable.
        let r = [
            unsafe { write_str(&c.address.ip().to_string(), address, address_len, "address") },
            unsafe { write_str(&c.address.port().to_string(), port, port_len, "port") },
            unsafe { write_str(&c.user_agent, user_agent, user_agent_len, "user agent") },
        ];
        r.into_iter().collect::<Result<Vec<()>>>().map(|_| ())
    })
}
