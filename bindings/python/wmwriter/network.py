"""The network sink (``IWMWriterNetworkSink`` + ``IWMClientConnections``/``2``): a live
HTTP / MMSH server that players pull the stream from while the writer writes it::

    net = wmwriter.NetworkSink()
    port = net.open(0)                 # any free port on 127.0.0.1
    print(net.host_url)                # http://127.0.0.1:PORT/
    writer.add_sink(net)               # beside the writer's file, if any
"""

from __future__ import annotations

import ctypes
from typing import List, NamedTuple

from . import _ffi
from ._base import get_scalar, get_string, utf8
from ._errors import call, check
from .sinks import Sink


class Client(NamedTuple):
    """One connected client (``WM_CLIENT_PROPERTIES`` + ``GetClientInfo``)."""

    address: str
    port: int
    user_agent: str
    ip_address: int  # WM_CLIENT_PROPERTIES.dwIPAddress (127.0.0.1 = 0x7F000001)


class NetworkSink(Sink):
    """``WMCreateWriterNetworkSink``: closed, 5 clients at most, HTTP, 127.0.0.1."""

    def __init__(self) -> None:
        h = self._out()
        call(_ffi.wm_create_writer_network_sink, ctypes.byref(h))
        self.__dict__["_handle"] = h

    def set_bind_address(self, address: str) -> None:
        """The IP address ``open`` listens on ("0.0.0.0" for every interface)."""
        call(_ffi.wm_writer_network_sink_set_bind_address, self, utf8(address, "address"))

    def open(self, port: int = 0) -> int:
        """Listen on ``port`` (0 = any free port); returns the port used."""
        p = ctypes.c_uint32(port)
        call(_ffi.wm_writer_network_sink_open, self, ctypes.byref(p))
        return p.value

    @property
    def host_url(self) -> str:
        """The URL clients use (``GetHostURL``)."""
        return get_string(_ffi.wm_writer_network_sink_get_host_url, self, length_type=ctypes.c_uint32)

    @property
    def maximum_clients(self) -> int:
        return get_scalar(_ffi.wm_writer_network_sink_get_maximum_clients, ctypes.c_uint32, self)

    @maximum_clients.setter
    def maximum_clients(self, n: int) -> None:
        call(_ffi.wm_writer_network_sink_set_maximum_clients, self, n)

    @property
    def network_protocol(self) -> int:
        return get_scalar(_ffi.wm_writer_network_sink_get_network_protocol, ctypes.c_uint32, self)

    @network_protocol.setter
    def network_protocol(self, protocol: int) -> None:
        call(_ffi.wm_writer_network_sink_set_network_protocol, self, protocol)

    @property
    def buffer_size(self) -> int:
        """Bytes a client may fall behind before it is disconnected."""
        return get_scalar(_ffi.wm_writer_network_sink_get_buffer_size, ctypes.c_uint32, self)

    @buffer_size.setter
    def buffer_size(self, n: int) -> None:
        call(_ffi.wm_writer_network_sink_set_buffer_size, self, n)

    def disconnect(self) -> None:
        """Drop every client, keep listening."""
        call(_ffi.wm_writer_network_sink_disconnect, self)

    def close_server(self) -> None:
        """Drop every client and release the port (``IWMWriterNetworkSink::Close``)."""
        call(_ffi.wm_writer_network_sink_close, self)

    @property
    def client_count(self) -> int:
        return get_scalar(_ffi.wm_writer_network_sink_get_client_count, ctypes.c_uint32, self)

    def client(self, index: int) -> Client:
        props = _ffi.WM_CLIENT_PROPERTIES()
        call(_ffi.wm_writer_network_sink_get_client_properties, self, index, ctypes.byref(props))
        lens = [ctypes.c_uint32(0) for _ in range(3)]
        call(_ffi.wm_writer_network_sink_get_client_info, self, index, None, ctypes.byref(lens[0]),
             None, ctypes.byref(lens[1]), None, ctypes.byref(lens[2]))
        bufs = [ctypes.create_string_buffer(max(n.value, 1)) for n in lens]
        check(_ffi.wm_writer_network_sink_get_client_info(self, index, bufs[0], ctypes.byref(lens[0]), bufs[1],
                                                          ctypes.byref(lens[1]), bufs[2], ctypes.byref(lens[2])),
              "wm_writer_network_sink_get_client_info")
        return Client(bufs[0].value.decode(), int(bufs[1].value), bufs[2].value.decode("utf-8", "replace"),
                      props.dwIPAddress)

    @property
    def clients(self) -> List[Client]:
        return [self.client(i) for i in range(self.client_count)]


class PushSink(Sink):
    """``WMCreateWriterPushSink``: pushes the live stream to a publishing point on a
    Windows Media server (HTTP POST, MS-WMHTTP)::

        push = wmwriter.PushSink()
        push.connect("http://server:8080/point", template_url=None, auto_destroy=True)
        writer.add_sink(push)
    """

    def __init__(self) -> None:
        h = self._out()
        call(_ffi.wm_create_writer_push_sink, ctypes.byref(h))
        self.__dict__["_handle"] = h

    def connect(self, url: str, template_url: "str | None" = None, auto_destroy: bool = False) -> None:
        """``IWMWriterPushSink::Connect``: the PushSetup request; NS_E_INVALID_NAME for a
        bad URL, E_FAIL when the server cannot be reached or refuses."""
        t = None if template_url is None else utf8(template_url, "template_url")
        call(_ffi.wm_writer_push_sink_connect, self, utf8(url, "url"), t, 1 if auto_destroy else 0)

    def disconnect(self) -> None:
        """``IWMWriterPushSink::Disconnect``: close the connection."""
        call(_ffi.wm_writer_push_sink_disconnect, self)

    def end_session(self) -> None:
        """``IWMWriterPushSink::EndSession``: end a stream still being pushed."""
        call(_ffi.wm_writer_push_sink_end_session, self)
