"""NetworkSink: settings, a loopback client receiving the live stream, client info."""

from __future__ import annotations

import socket
import threading

import pytest

import wmwriter
from wmwriter import WMError


def test_network_sink_serves_a_client(writer):
    net = wmwriter.NetworkSink()
    assert net.maximum_clients == 5
    net.maximum_clients = 50
    assert net.maximum_clients == 50
    with pytest.raises(WMError) as e:
        net.maximum_clients = 51
    assert e.value.name == "NS_E_INVALID_REQUEST"
    assert net.network_protocol == 0
    net.buffer_size = 1 << 20
    assert net.buffer_size == 1 << 20
    port = net.open(0)
    assert net.host_url == f"http://127.0.0.1:{port}/"
    other = wmwriter.NetworkSink()
    with pytest.raises(WMError) as e:
        other.open(port)
    assert e.value.name == "NS_E_NETWORK_RESOURCE_FAILURE"

    got = bytearray()
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"GET / HTTP/1.0\r\nUser-Agent: pytest\r\n\r\n")

    def read():
        while True:
            b = s.recv(65536)
            if not b:
                return
            got.extend(b)

    t = threading.Thread(target=read)
    t.start()
    for _ in range(500):
        if net.client_count == 1:
            break
        threading.Event().wait(0.01)
    c = net.clients[0]
    assert (c.address, c.user_agent, c.ip_address) == ("127.0.0.1", "pytest", 0x7F000001)
    writer.add_sink(net)
    with writer:
        for i in range(10):
            writer.write("Audio", i * 100_000, b"\1\2\3\4" * 441)
    t.join(20)
    head, _, body = bytes(got).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200 OK") and b"video/x-ms-asf" in head
    assert body[:16] == bytes.fromhex("3026B2758E66CF11A6D900AA0062CE6C")
    net.close_server()
    assert net.client_count == 0
