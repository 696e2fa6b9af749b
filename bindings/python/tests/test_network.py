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


def test_push_sink_pushes_to_a_publishing_point(writer):
    """A loopback receiver plays the MS-WMHTTP server: PushSetup answered with a
    Cougar server token and a push id, then PushStart carries $H, $D…, $E."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    port = srv.getsockname()[1]
    seen = {"setup": b"", "start": b"", "chunks": []}
    reply = (b"HTTP/1.1 204 No Content\r\nServer: Cougar/9.01.01.3814\r\n"
             b"Set-Cookie: push-id=99\r\nContent-Length: 0\r\n\r\n")

    def serve():
        c, _ = srv.accept()
        c.settimeout(20)
        f = c.makefile("rb")

        def head():
            lines = []
            while True:
                line = f.readline()
                if line in (b"\r\n", b""):
                    return b"".join(lines)
                lines.append(line)

        h = head()
        n = int(h.split(b"Content-Length:")[1].split(b"\r\n")[0])
        seen["setup"] = h + f.read(n)
        c.sendall(reply)
        seen["start"] = head()
        while True:
            fr = f.read(4)
            if len(fr) < 4:
                break
            n = fr[2] | (fr[3] << 8)
            f.read(n)
            seen["chunks"].append(chr(fr[1]))
            if fr[1] == ord("E"):
                c.sendall(reply)
                break
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    push = wmwriter.PushSink()
    with pytest.raises(WMError) as e:
        push.connect("mms://127.0.0.1/point")
    assert e.value.name == "NS_E_INVALID_NAME"
    push.connect(f"http://127.0.0.1:{port}/point", auto_destroy=True)
    writer.add_sink(push)
    with writer:
        for i in range(10):
            writer.write("Audio", i * 100_000, b"\1\2\3\4" * 441)
    t.join(20)
    push.end_session()
    push.disconnect()
    srv.close()
    assert b"application/x-wms-pushsetup" in seen["setup"] and b"AutoDestroy: 1\r\n" in seen["setup"]
    assert b"application/x-wms-pushstart" in seen["start"] and b"push-id=99" in seen["start"]
    chunks = "".join(seen["chunks"])
    assert chunks[0] == "H" and chunks[-1] == "E" and chunks.count("D") >= 1, chunks


def test_status_callbacks_on_writer_and_sinks(writer, tmp_path):
    """IWMRegisterCallback: the writer reports started/closed, a file sink the same, and
    a network sink its client (WM_CLIENT_PROPERTIES: 127.0.0.1 and the port)."""
    import struct

    got_w, got_f, got_n = [], [], []
    fw = lambda s, hr, v: got_w.append((s, hr))  # noqa: E731
    ff = lambda s, hr, v: got_f.append((s, hr))  # noqa: E731
    fn = lambda s, hr, v: got_n.append((s, v))  # noqa: E731
    writer.advise(fw)
    with pytest.raises(ValueError):
        writer.advise(fw)
    fs = wmwriter.FileSink(str(tmp_path / "status.asf"))
    fs.advise(ff)
    net = wmwriter.NetworkSink()
    port = net.open(0)
    net.advise(fn)
    writer.add_sink(fs)
    writer.add_sink(net)
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"GET / HTTP/1.0\r\nUser-Agent: pytest\r\n\r\n")
    mine = s.getsockname()[1]
    with writer:
        for i in range(5):
            writer.write("Audio", i * 100_000, b"\1\2\3\4" * 441)
    for _ in range(500):  # the sink's connection thread registers the client
        if any(st == wmwriter.WMT_CLIENT_CONNECT for st, _ in got_n):
            break
        threading.Event().wait(0.01)
    s.close()
    net.disconnect()  # IWMWriterNetworkSink::Disconnect drops the client
    for _ in range(500):
        if any(st == wmwriter.WMT_CLIENT_DISCONNECT for st, _ in got_n):
            break
        threading.Event().wait(0.01)
    assert got_w == [(wmwriter.WMT_STARTED, 0), (wmwriter.WMT_CLOSED, 0)]
    assert got_f == [(wmwriter.WMT_STARTED, 0), (wmwriter.WMT_CLOSED, 0)]
    conn = [v for st, v in got_n if st == wmwriter.WMT_CLIENT_CONNECT]
    assert conn and struct.unpack("=II", conn[0]) == (0x7F000001, mine)
    assert any(st == wmwriter.WMT_CLIENT_DISCONNECT for st, _ in got_n), got_n
    writer.unadvise(fw)
    with pytest.raises(ValueError):
        writer.unadvise(fw)
    fs.unadvise(ff)
    net.unadvise(fn)
    net.close_server()
