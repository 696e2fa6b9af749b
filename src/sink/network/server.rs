//! The accept thread and the per-connection threads of the network sink.
#![forbid(unsafe_code)]

use std::io::{self, BufWriter, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::mmsh::{self, BadRequest, Request};
use super::{lock, Client, ClientInfo, Item, Joined, Listening, Mode, Shared, CONNECTION_STACK, WAIT_SLICE};

/// Largest request head accepted (request line + headers), bytes.
pub const MAX_REQUEST: usize = 16 << 10;
/// Connections open at once beyond the streaming clients (requests still arriving,
/// Describe requests); more are refused with 503 at once.
const EXTRA_CONNECTIONS: usize = 16;
/// How often idle threads look at the stop flag.
const POLL: Duration = Duration::from_millis(20);

pub(super) fn open(shared: &Arc<Shared>, addr: SocketAddr) -> io::Result<Listening> {
    let listener = TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let bound = listener.local_addr()?;
    shared.stop.store(false, Ordering::SeqCst);
    let sh = Arc::clone(shared);
    let thread =
        std::thread::Builder::new().name("wm-net-accept".into()).stack_size(CONNECTION_STACK).spawn(move || accept_loop(&sh, &listener))?;
    Ok(Listening { port: bound.port(), addr: bound, thread: Some(thread) })
}

/// Stop accepting, drop every client and join every server thread.
pub(super) fn close(shared: &Arc<Shared>) {
    let l = lock(&shared.listening).take();
    shared.stop.store(true, Ordering::SeqCst);
    if let Some(mut l) = l {
        if let Some(t) = l.thread.take() {
            let _ = t.join();
        }
    }
    shared.disconnect_all("the network sink was closed");
    let threads = std::mem::take(&mut lock(&shared.conns).threads);
    for t in threads {
        let _ = t.join();
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((sock, peer)) => accept(shared, sock, peer),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

fn accept(shared: &Arc<Shared>, sock: TcpStream, peer: SocketAddr) {
    let _ = sock.set_nonblocking(false);
    let max = lock(&shared.config).max_clients as usize + EXTRA_CONNECTIONS;
    let mut conns = lock(&shared.conns);
    conns.threads.retain(|t| !t.is_finished());
    if conns.socks.len() >= max {
        drop(conns);
        shared.count_refused();
        let _ = sock.set_write_timeout(Some(Duration::from_millis(200)));
        respond(&sock, 503, "Service Unavailable", "too many connections");
        return;
    }
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    let Ok(clone) = sock.try_clone() else { return };
    conns.socks.insert(id, clone);
    let sh = Arc::clone(shared);
    let spawned = std::thread::Builder::new().name(format!("wm-net-{id}")).stack_size(CONNECTION_STACK).spawn(move || {
        connection(&sh, id, sock, peer);
        lock(&sh.conns).socks.remove(&id);
    });
    match spawned {
        Ok(t) => conns.threads.push(t),
        Err(_) => {
            if let Some(s) = conns.socks.remove(&id) {
                let _ = s.shutdown(Shutdown::Both);
            }
        }
    }
}

/// Send a short error (or empty) response and close.
fn respond(mut sock: &TcpStream, code: u16, reason: &str, body: &str) {
    let body = format!("{code} {reason}: {body}\n");
    let allow = if code == 405 || code == 501 { "Allow: GET, HEAD\r\n" } else { "" };
    let retry = if code == 503 { "Retry-After: 5\r\n" } else { "" };
    let msg = format!(
        "HTTP/1.0 {code} {reason}\r\nServer: wmwriter\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n{allow}{retry}Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = sock.write_all(msg.as_bytes());
    let _ = sock.flush();
    let _ = sock.shutdown(Shutdown::Write);
    // Read what the client still sends (briefly) so the close does not reset the response.
    let _ = sock.set_read_timeout(Some(Duration::from_millis(50)));
    let mut sink = [0u8; 1024];
    for _ in 0..4 {
        match sock.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

enum HeadError {
    TooLarge,
    Timeout,
    Closed,
}

/// Read up to the blank line that ends the request head, within `timeout` overall.
fn read_head(shared: &Shared, mut sock: &TcpStream, timeout: Duration) -> Result<Vec<u8>, HeadError> {
    let deadline = Instant::now() + timeout;
    let _ = sock.set_read_timeout(Some(POLL.max(Duration::from_millis(50))));
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Err(HeadError::Closed);
        }
        if let Some(end) = head_end(&buf) {
            buf.truncate(end);
            return Ok(buf);
        }
        if buf.len() > MAX_REQUEST {
            return Err(HeadError::TooLarge);
        }
        if Instant::now() >= deadline {
            return Err(HeadError::Timeout);
        }
        match sock.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted) => {}
            Err(_) => return Err(HeadError::Closed),
        }
    }
}

fn head_end(b: &[u8]) -> Option<usize> {
    let crlf = b.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
    let lf = b.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn connection(shared: &Arc<Shared>, id: u64, sock: TcpStream, peer: SocketAddr) {
    let cfg = lock(&shared.config).clone();
    let _ = sock.set_nodelay(true);
    let _ = sock.set_write_timeout(Some(cfg.write_timeout));
    let head = match read_head(shared, &sock, cfg.request_timeout) {
        Ok(h) => h,
        Err(HeadError::TooLarge) => {
            shared.count_refused();
            return respond(&sock, 431, "Request Header Fields Too Large", &format!("the request head is over {MAX_REQUEST} bytes"));
        }
        Err(HeadError::Timeout) => {
            shared.count_refused();
            return respond(&sock, 408, "Request Timeout", "the request did not arrive in time");
        }
        Err(HeadError::Closed) => return,
    };
    let req = match Request::parse(&head) {
        Ok(r) => r,
        Err(BadRequest::Malformed) => {
            shared.count_refused();
            return respond(&sock, 400, "Bad Request", "not an HTTP request");
        }
        Err(BadRequest::Version) => {
            shared.count_refused();
            return respond(&sock, 505, "HTTP Version Not Supported", "use HTTP/1.0 or HTTP/1.1");
        }
    };
    match req.method.as_str() {
        "GET" | "HEAD" => {}
        "POST" | "PUT" | "DELETE" | "OPTIONS" | "PATCH" => {
            shared.count_refused();
            return respond(&sock, 405, "Method Not Allowed", "this server only sends the stream (GET)");
        }
        _ => {
            shared.count_refused();
            return respond(&sock, 501, "Not Implemented", "unknown method");
        }
    }
    if req.path != "/" {
        shared.count_refused();
        return respond(&sock, 404, "Not Found", "the stream is at /");
    }
    let mmsh = req.is_mmsh();
    if req.method == "HEAD" {
        let ct = if mmsh { "application/x-mms-framed" } else { "video/x-ms-asf" };
        let mut s = &sock;
        let _ = write!(s, "HTTP/1.0 200 OK\r\nServer: Cougar/9.01.01.3814 (wmwriter)\r\nContent-Type: {ct}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n");
        let _ = sock.shutdown(Shutdown::Both);
        return;
    }
    let mode = match (mmsh, req.is_play()) {
        (true, true) => Mode::Play,
        (true, false) => Mode::Describe,
        (false, _) => Mode::Plain { chunked: req.minor == 1 },
    };
    let Ok(own) = sock.try_clone() else { return };
    let info = ClientInfo { id, address: peer, user_agent: req.user_agent.clone(), mmsh };
    let client = match shared.join(info, mode, own) {
        Joined::Ok(c) => c,
        Joined::Full(max) => {
            shared.count_refused();
            return respond(&sock, 503, "Service Unavailable", &format!("the server is full ({max} clients)"));
        }
    };
    let why = stream(shared, &client, &sock);
    let _ = sock.shutdown(Shutdown::Both);
    shared.leave(&client, why);
}

/// Write the client's queue to its socket until the end of the stream, a write error
/// or a drop. Returns why it ended.
fn stream(shared: &Shared, client: &Client, sock: &TcpStream) -> String {
    let mut out = BufWriter::with_capacity(64 << 10, sock);
    let mut started = false;
    let mut client_id = 0u64;
    loop {
        let (batch, own) = match next_batch(shared, client) {
            Ok(b) => b,
            Err(why) => return why,
        };
        let bytes: usize = if own { batch.iter().map(Item::len).sum() } else { 0 };
        let mut end = false;
        let r = (|| -> io::Result<()> {
            for it in &batch {
                match it {
                    Item::Header(h) => {
                        if !started {
                            started = true;
                            client_id = client.info.id;
                            write_head(&mut out, client.mode, h.framed.len(), client_id)?;
                        }
                        match client.mode {
                            Mode::Plain { chunked } => body(&mut out, chunked, &h.raw)?,
                            _ => out.write_all(&h.framed)?,
                        }
                        if client.mode == Mode::Describe {
                            end = true;
                            break;
                        }
                    }
                    Item::Packet(p) => match client.mode {
                        Mode::Plain { chunked } => body(&mut out, chunked, &p[mmsh::DATA_FRAME_LEN..])?,
                        _ => out.write_all(p)?,
                    },
                    Item::End => {
                        match client.mode {
                            Mode::Play => out.write_all(&mmsh::END_CHUNK)?,
                            Mode::Plain { chunked: true } if started => out.write_all(b"0\r\n\r\n")?,
                            _ => {}
                        }
                        end = true;
                        break;
                    }
                }
            }
            out.flush()
        })();
        client.lock().bytes -= bytes;
        if let Err(e) = r {
            return format!("write failed: {e}");
        }
        if end {
            return "end of stream".into();
        }
    }
}

/// The next items for `client`: its own (header and backlog, `true`), else up to 256
/// from its position in the ring, waiting for the writer when it has sent everything.
/// `Err` says why the client ends (dropped, closed, fell out of the ring).
fn next_batch(shared: &Shared, client: &Client) -> Result<(Vec<Item>, bool), String> {
    loop {
        {
            let mut q = client.lock();
            if let Some(why) = &q.dropped {
                return Err(why.clone());
            }
            if !q.items.is_empty() {
                let n = q.items.len().min(256);
                return Ok((q.items.drain(..n).collect(), true));
            }
        }
        if shared.stop.load(Ordering::SeqCst) {
            return Err("the network sink was closed".into());
        }
        let ring = lock(&shared.ring);
        let at = client.next.load(Ordering::Acquire);
        let Some(behind) = ring.behind(at) else {
            let why = format!("fell behind by more than the buffer ({} bytes)", ring.limit);
            drop(ring);
            if client.kill(why.clone()) {
                lock(&shared.stats).clients_dropped_slow += 1;
            }
            return Err(why);
        };
        if at < ring.end() {
            let from = (at - ring.base) as usize;
            let n = (ring.items.len() - from).min(256);
            let items: Vec<Item> = ring.items.range(from..from + n).map(|(_, it)| it.clone()).collect();
            client.next.store(at + n as u64, Ordering::Release);
            drop(ring);
            // Pass the wake-up on to two more (see `Shared::wake`): a tree, log2(clients) deep.
            shared.wake();
            shared.wake();
            let mut q = client.lock();
            q.peak = q.peak.max(q.bytes + behind as usize);
            return Ok((items, false));
        }
        // Counted under the ring lock, so the writer's append after this sees it.
        shared.ring_waiting.fetch_add(1, Ordering::SeqCst);
        drop(shared.ring_cv.wait_timeout(ring, WAIT_SLICE).unwrap_or_else(std::sync::PoisonError::into_inner));
        shared.ring_waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

fn write_head(out: &mut impl Write, mode: Mode, header_len: usize, id: u64) -> io::Result<()> {
    const SERVER: &str = "Server: Cougar/9.01.01.3814 (wmwriter)\r\n";
    match mode {
        Mode::Describe => write!(
            out,
            "HTTP/1.0 200 OK\r\n{SERVER}Content-Type: application/vnd.ms.wms-hdr.asfv1\r\nContent-Length: {header_len}\r\nPragma: no-cache,client-id={id}\r\nPragma: features=\"broadcast\"\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
        ),
        Mode::Play => write!(
            out,
            "HTTP/1.0 200 OK\r\n{SERVER}Content-Type: application/x-mms-framed\r\nPragma: no-cache,client-id={id}\r\nPragma: features=\"broadcast\"\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
        ),
        Mode::Plain { chunked: true } => {
            write!(out, "HTTP/1.1 200 OK\r\n{SERVER}Content-Type: video/x-ms-asf\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n")
        }
        Mode::Plain { chunked: false } => write!(out, "HTTP/1.0 200 OK\r\n{SERVER}Content-Type: video/x-ms-asf\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"),
    }
}

fn body(out: &mut impl Write, chunked: bool, data: &[u8]) -> io::Result<()> {
    if chunked {
        write!(out, "{:x}\r\n", data.len())?;
        out.write_all(data)?;
        out.write_all(b"\r\n")
    } else {
        out.write_all(data)
    }
}
