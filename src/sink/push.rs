//! The push sink (`IWMWriterPushSink`): the live stream pushed to a publishing point on
//! a Windows Media server over HTTP POST, as the Windows Media HTTP Push Distribution
//! Protocol ([MS-WMHTTP]) specifies.
//!
//! Facts used (MS-WMHTTP sections 2.2.2, 2.2.3, 3.1.4, 3.1.5):
//! - `connect` sends a **PushSetup** request: `POST /point` with `Content-Type:
//!   application/x-wms-pushsetup`, a `User-Agent`, a `Content-Length`, `Cookie:
//!   push-id=0`, and a body of `Template-URL: …` / `AutoDestroy: 1` lines. A 2xx reply
//!   from a server whose `Server` header carries the `Cougar` token sets the push id
//!   from `Set-Cookie: push-id=N`; anything else is an error (authentication is not
//!   supported: 401 / 407 fail with a clear message).
//! - The stream is a **PushStart** request on the same connection (a new one if the
//!   server closed it): `Content-Type: application/x-wms-pushstart`, `Cookie:
//!   push-id=N`, a `Content-Length` (Length-Remaining), then `$H` (the header, in the
//!   live layout), `$D` (one per data packet) and, at the end, `$E` chunks with the
//!   framing of [MS-WMSP] 2.2.3 (`0x24`, the type, a u16 length; the B flag is 0). The
//!   server does not wait for the body to reply; its reply comes when the request ends.
//! - Length-Remaining must hold at least three `$D` chunks; it is chosen here as the
//!   largest body below 2^31 − 1 bytes that is exactly the `$H` chunks plus whole `$D`
//!   chunks (every packet has the same size), so a request that runs out ends exactly
//!   on a chunk boundary and the next packets go in a new PushStart request (with the
//!   header again), as the spec describes for long sessions.
//!
//! Decisions (the SDK documentation is silent): the end of a writing session sends `$E`
//! (reason 0) and reads the server's reply; the sink stays connected (set up) so the
//! next session pushes again with the same push id. `end_session` ends a stream still
//! running the same way; `disconnect` closes the connection (a stream still running is
//! cut off) and forgets the push id, so `connect` is needed again.
#![forbid(unsafe_code)]

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::network::mmsh::{header_chunks, push_chunk, DATA_FRAME_LEN, END_CHUNK};
use super::protocol::{EndEvent, HeaderEvent, Packet, PacketSink};
use crate::error::Result;

/// The `User-Agent` the sink sends (the spec requires one; servers log it).
pub const USER_AGENT: &str = concat!("WMEncoder/9.0 (compatible; wmwriter/", env!("CARGO_PKG_VERSION"), ")");
/// How long a connect, a read of a reply or a blocked write may take.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest Length-Remaining (2^31 − 1, MS-WMHTTP 3.1.4.2.1).
const MAX_LENGTH_REMAINING: u64 = 2_147_483_647;

/// A publishing point URL, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushUrl {
    /// Host as written (name or address), for the `Host` header.
    pub host: String,
    /// TCP port (80 unless given).
    pub port: u16,
    /// The path: `/` followed by the publishing point's name.
    pub path: String,
}

impl PushUrl {
    /// Parse `http://server[:port]/point` (the SDK's form; port 80 by default).
    pub fn parse(url: &str) -> Result<PushUrl> {
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.get(..7).filter(|p| p.eq_ignore_ascii_case("http://")).map(|_| &url[7..]))
            .ok_or_else(|| crate::err!(InvalidName, "\"{url}\" is not an http:// publishing point URL (http://server[:port]/point)"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if path.len() <= 1 {
            crate::bail!(InvalidName, "\"{url}\" names no publishing point (http://server[:port]/point)");
        }
        if path.bytes().any(|b| b <= b' ' || b == 0x7F) {
            crate::bail!(InvalidName, "\"{url}\": the publishing point name has a space or control character");
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
                let port = p.parse::<u16>().ok().filter(|&p| p != 0);
                let port = port.ok_or_else(|| crate::err!(InvalidName, "\"{url}\": \"{p}\" is not a port number"))?;
                (h, port)
            }
            _ => (authority, 80),
        };
        if host.is_empty() || host.bytes().any(|b| b <= b' ' || b == b'@' || b == 0x7F) {
            crate::bail!(InvalidName, "\"{url}\" has no valid server name");
        }
        Ok(PushUrl { host: host.to_string(), port, path: path.to_string() })
    }

    fn host_header(&self) -> String {
        if self.port == 80 {
            self.host.clone()
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    fn addrs(&self) -> Result<Vec<SocketAddr>> {
        let h = self.host.trim_start_matches('[').trim_end_matches(']');
        let v: Vec<SocketAddr> = (h, self.port)
            .to_socket_addrs()
            .map_err(|e| crate::err!(InvalidName, "cannot resolve the server name \"{}\": {e}", self.host))?
            .collect();
        if v.is_empty() {
            crate::bail!(InvalidName, "the server name \"{}\" has no address", self.host);
        }
        Ok(v)
    }
}

/// An HTTP reply: status and the headers the sink reads.
#[derive(Clone, Debug, Default)]
struct Reply {
    status: u16,
    server: String,
    push_id: Option<String>,
    close: bool,
}

/// Read one reply (status line, headers, and a `Content-Length` body, discarded).
fn read_reply(r: &mut BufReader<TcpStream>) -> io::Result<Reply> {
    let mut line = String::new();
    let mut reply = Reply::default();
    let mut first = true;
    let mut body = 0u64;
    loop {
        line.clear();
        if r.by_ref().take(8192).read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the server closed the connection without a reply"));
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if first {
            first = false;
            let mut it = l.split_whitespace();
            let (v, s) = (it.next().unwrap_or(""), it.next().unwrap_or(""));
            if !v.starts_with("HTTP/1.") {
                return Err(io::Error::new(io::ErrorKind::InvalidData, format!("not an HTTP reply: \"{}\"", l.escape_debug())));
            }
            reply.status = s.parse().map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("bad HTTP status line \"{l}\"")))?;
            reply.close = v == "HTTP/1.0";
            continue;
        }
        if l.is_empty() {
            break;
        }
        let Some((name, value)) = l.split_once(':') else { continue };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "server" => reply.server = value.to_string(),
            "content-length" => body = value.parse().unwrap_or(0),
            "connection" => reply.close = value.eq_ignore_ascii_case("close"),
            "set-cookie" => {
                for c in value.split(';') {
                    if let Some((k, v)) = c.trim().split_once('=') {
                        if k.trim().eq_ignore_ascii_case("push-id") {
                            reply.push_id = Some(v.trim().to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    io::copy(&mut r.by_ref().take(body.min(1 << 20)), &mut io::sink())?;
    Ok(reply)
}

/// The connection and the state of the stream being pushed.
#[derive(Debug, Default)]
struct Inner {
    url: Option<PushUrl>,
    /// From the PushSetup reply (`Set-Cookie: push-id=`).
    push_id: String,
    conn: Option<BufReader<TcpStream>>,
    /// A PushStart request is open: bytes of its body still allowed.
    remaining: Option<u64>,
    /// The `$H` chunks of the session (sent again at each new PushStart).
    header: Vec<u8>,
    packet_size: u32,
    packet_number: u32,
    scratch: Vec<u8>,
}

/// A push sink: clones share one connection (the sink object the application holds
/// and the writer's copy).
#[derive(Clone, Debug, Default)]
pub struct PushSink {
    inner: Arc<Mutex<Inner>>,
}

fn net_err(what: &str, e: io::Error) -> crate::error::Error {
    crate::err!(Fail, "push sink: {what}: {e}")
}

impl PushSink {
    /// A push sink, not connected.
    pub fn new() -> PushSink {
        PushSink::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `connect` succeeded (and no `disconnect` since).
    pub fn is_connected(&self) -> bool {
        self.lock().url.is_some()
    }

    /// The push id the server gave.
    pub fn push_id(&self) -> Option<String> {
        let g = self.lock();
        g.url.as_ref().map(|_| g.push_id.clone())
    }

    /// `IWMWriterPushSink::Connect`: the PushSetup request for `url`, with the optional
    /// template publishing point and the auto-destroy flag.
    pub fn connect(&self, url: &str, template_url: Option<&str>, auto_destroy: bool) -> Result<()> {
        let u = PushUrl::parse(url)?;
        let mut body = String::new();
        if let Some(t) = template_url.filter(|t| !t.is_empty()) {
            if t.bytes().any(|b| b < b' ' || b == 0x7F) {
                crate::bail!(InvalidName, "the template URL has a control character");
            }
            body.push_str(&format!("Template-URL: {t}\r\n"));
        }
        if auto_destroy {
            body.push_str("AutoDestroy: 1\r\n");
        }
        let mut g = self.lock();
        if g.remaining.is_some() {
            crate::bail!(InvalidRequest, "push sink: connect while a stream is being pushed (end the session first)");
        }
        g.conn = None;
        g.url = None;
        let stream = Self::open(&u)?;
        let mut conn = BufReader::new(stream);
        let req = format!(
            "POST {} HTTP/1.1\r\nContent-Type: application/x-wms-pushsetup\r\nUser-Agent: {USER_AGENT}\r\nHost: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nCookie: push-id=0\r\n\r\n{body}",
            u.path,
            u.host_header(),
            body.len()
        );
        conn.get_mut().write_all(req.as_bytes()).map_err(|e| net_err("sending the PushSetup request", e))?;
        let reply = read_reply(&mut conn).map_err(|e| net_err("reading the PushSetup reply", e))?;
        Self::check(&reply, "PushSetup")?;
        g.push_id = reply.push_id.unwrap_or_else(|| "0".into());
        g.conn = (!reply.close).then_some(conn);
        g.url = Some(u);
        Ok(())
    }

    fn open(u: &PushUrl) -> Result<TcpStream> {
        let mut last = None;
        for a in u.addrs()? {
            match TcpStream::connect_timeout(&a, IO_TIMEOUT) {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    s.set_read_timeout(Some(IO_TIMEOUT))
                        .and_then(|_| s.set_write_timeout(Some(IO_TIMEOUT)))
                        .map_err(|e| net_err("socket", e))?;
                    return Ok(s);
                }
                Err(e) => last = Some((a, e)),
            }
        }
        let (a, e) = last.expect("at least one address");
        Err(crate::err!(Fail, "push sink: cannot connect to {} ({a}): {e}", u.host_header()))
    }

    fn check(reply: &Reply, what: &str) -> Result<()> {
        match reply.status {
            200..=299 => {}
            401 | 407 => crate::bail!(
                Fail,
                "push sink: the server asks for authentication ({what}: HTTP {}), which this push sink does not support",
                reply.status
            ),
            s => crate::bail!(Fail, "push sink: the server refused the {what} request (HTTP {s})"),
        }
        if !reply.server.to_ascii_lowercase().contains("cougar") {
            crate::bail!(
                Fail,
                "push sink: the server (\"{}\") is not a Windows Media server: its Server header has no Cougar token (MS-WMHTTP 3.1.5)",
                reply.server
            );
        }
        Ok(())
    }

    /// `IWMWriterPushSink::Disconnect`: close the connection; a stream still running is
    /// cut off. `connect` is needed again.
    pub fn disconnect(&self) {
        let mut g = self.lock();
        if let Some(c) = g.conn.take() {
            let _ = c.get_ref().shutdown(std::net::Shutdown::Both);
        }
        g.url = None;
        g.remaining = None;
    }

    /// `IWMWriterPushSink::EndSession`: end a stream still being pushed (`$E`, then the
    /// server's reply); nothing to do when none is.
    pub fn end_session(&self) -> Result<()> {
        let mut g = self.lock();
        Self::finish(&mut g).map_err(|e| net_err("ending the session", e))
    }

    /// Start a PushStart request (on the open connection, or a new one) and send the
    /// header chunks.
    fn push_start(g: &mut Inner) -> io::Result<()> {
        let Some(u) = g.url.clone() else {
            return Err(io::Error::new(io::ErrorKind::NotConnected, "the push sink is not connected (wm_writer_push_sink_connect)"));
        };
        let chunk = DATA_FRAME_LEN as u64 + g.packet_size as u64;
        let h = g.header.len() as u64;
        let k = (MAX_LENGTH_REMAINING - h) / chunk.max(1);
        let length = h + k * chunk;
        let req = format!(
            "POST {} HTTP/1.1\r\nContent-Type: application/x-wms-pushstart\r\nUser-Agent: {USER_AGENT}\r\nHost: {}\r\nContent-Length: {length}\r\nCache-Control: no-cache\r\nCookie: push-id={}\r\n\r\n",
            u.path,
            u.host_header(),
            g.push_id
        );
        for attempt in 0..2 {
            if g.conn.is_none() {
                let s = Self::open(&u).map_err(|e| io::Error::other(e.message.clone()))?;
                g.conn = Some(BufReader::new(s));
            }
            let c = g.conn.as_mut().expect("connected").get_mut();
            match c.write_all(req.as_bytes()).and_then(|_| c.write_all(&g.header)) {
                Ok(()) => break,
                // The server may have closed the kept connection: once more on a new one.
                Err(_) if attempt == 0 => g.conn = None,
                Err(e) => return Err(e),
            }
        }
        g.remaining = Some(length - h);
        Ok(())
    }

    /// End the open PushStart request: `$E` when it has room, then the reply.
    fn finish(g: &mut Inner) -> io::Result<()> {
        let Some(rem) = g.remaining else { return Ok(()) };
        if rem < END_CHUNK.len() as u64 {
            // This request is full: the end goes in a request of its own.
            Self::end_request(g)?;
            Self::push_start(g)?;
        }
        g.remaining = None;
        let c = g.conn.as_mut().ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "no connection"))?;
        c.get_mut().write_all(&END_CHUNK)?;
        c.get_mut().flush()?;
        Self::await_reply(g)
    }

    /// A request body is complete (no `$E`): read the reply before the next request.
    fn end_request(g: &mut Inner) -> io::Result<()> {
        g.remaining = None;
        Self::await_reply(g)
    }

    fn await_reply(g: &mut Inner) -> io::Result<()> {
        let c = g.conn.as_mut().ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "no connection"))?;
        let reply = read_reply(c)?;
        if reply.close {
            g.conn = None;
        }
        Self::check(&reply, "PushStart").map_err(|e| io::Error::other(e.message.clone()))
    }

    /// A reply the server sent early (it refused the stream mid-way): an error.
    fn early_reply(g: &mut Inner) -> io::Result<()> {
        let Some(c) = g.conn.as_mut() else { return Ok(()) };
        let s = c.get_ref();
        s.set_nonblocking(true)?;
        let mut b = [0u8; 1];
        let peek = s.peek(&mut b);
        s.set_nonblocking(false)?;
        match peek {
            Ok(0) => Err(io::Error::new(io::ErrorKind::ConnectionAborted, "the server closed the connection")),
            Ok(_) => {
                let r = read_reply(c);
                g.conn = None;
                g.remaining = None;
                match r {
                    Ok(reply) => Err(io::Error::other(format!("the server ended the push (HTTP {})", reply.status))),
                    Err(e) => Err(e),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
            Err(e) => Err(e),
        }
    }
}

impl PacketSink for PushSink {
    fn can_seek(&self) -> bool {
        false
    }

    fn on_header(&mut self, header: &HeaderEvent<'_>) -> io::Result<()> {
        let mut g = self.lock();
        if g.remaining.is_some() {
            // A session that was never ended (the writer failed): end it first.
            let _ = Self::finish(&mut g);
        }
        g.header = header_chunks(header.live_bytes);
        g.packet_size = header.packet_size;
        g.packet_number = 0;
        Self::push_start(&mut g)
    }

    fn on_packets(&mut self, packets: &[Packet<'_>]) -> io::Result<()> {
        let mut g = self.lock();
        Self::early_reply(&mut g)?;
        let mut out = std::mem::take(&mut g.scratch);
        out.clear();
        let mut r = Ok(());
        for p in packets {
            let need = (DATA_FRAME_LEN + p.bytes.len()) as u64;
            if g.remaining.is_some_and(|rem| rem < need) {
                if let Some(c) = g.conn.as_mut() {
                    r = c.get_mut().write_all(&out);
                }
                out.clear();
                r = r.and_then(|_| Self::end_request(&mut g)).and_then(|_| Self::push_start(&mut g));
                if r.is_err() {
                    break;
                }
            }
            let n = g.packet_number;
            push_chunk(&mut out, b'D', n, 0, p.bytes);
            g.packet_number = n.wrapping_add(1);
            if let Some(rem) = g.remaining.as_mut() {
                *rem -= need;
            }
        }
        if r.is_ok() {
            r = match g.conn.as_mut() {
                Some(c) => c.get_mut().write_all(&out),
                None => Err(io::Error::new(io::ErrorKind::NotConnected, "the push sink is not connected")),
            };
        }
        g.scratch = out;
        r
    }

    fn on_end(&mut self, _end: &EndEvent<'_>) -> io::Result<()> {
        let mut g = self.lock();
        Self::finish(&mut g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = PushUrl::parse("http://MyServer/MyPublishingPoint").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("MyServer", 80, "/MyPublishingPoint"));
        let u = PushUrl::parse("HTTP://127.0.0.1:8080/live/a").unwrap();
        assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("127.0.0.1", 8080, "/live/a"));
        assert_eq!(u.host_header(), "127.0.0.1:8080");
        for bad in ["mms://x/y", "http://", "http:///p", "http://host", "http://host/", "http://h:0/p", "http://h:x/p", "http://h/a b", "x"]
        {
            let e = PushUrl::parse(bad).unwrap_err();
            assert_eq!(e.kind, crate::error::ErrorKind::InvalidName, "{bad}");
        }
    }

    #[test]
    fn replies() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let a = l.local_addr().unwrap();
        let t = std::thread::spawn(move || {
            let (mut s, _) = l.accept().unwrap();
            s.write_all(b"HTTP/1.1 204 No Content\r\nServer: Cougar/9.01.01.3814\r\nSet-Cookie: push-id=4124758405\r\nContent-Length: 3\r\n\r\nabcHTTP/1.0 401 Unauthorized\r\n\r\n").unwrap();
        });
        let mut r = BufReader::new(TcpStream::connect(a).unwrap());
        let x = read_reply(&mut r).unwrap();
        assert_eq!((x.status, x.push_id.as_deref(), x.close), (204, Some("4124758405"), false));
        assert!(PushSink::check(&x, "t").is_ok());
        let y = read_reply(&mut r).unwrap();
        assert_eq!((y.status, y.close), (401, true));
        assert!(PushSink::check(&y, "t").unwrap_err().message.contains("authentication"));
        t.join().unwrap();
    }
}
