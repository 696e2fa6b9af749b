//! `IWMWriterNetworkSink` + `IWMClientConnections(2)`: a live HTTP / MMSH (MS-WMSP)
//! server that players pull the stream from while the writer produces it.
//!
//! ## Threads (why plain threads, not an async runtime)
//! One accept thread plus one thread per connection, each with a small stack
//! ([`CONNECTION_STACK`]). At most 50 streaming clients (the SDK's limit) plus a few
//! connections still sending their request exist at once, so a thread each costs less
//! than a runtime's dependency tree, and blocking `write`s with timeouts stay simple.
//! The writer's side ([`PacketSink`] calls) never touches a socket and does not visit
//! the clients: it frames each packet once, appends it (`Arc`) to one broadcast ring
//! ([`Ring`]) and wakes the connection threads with one notification, so its cost per
//! packet does not grow with the number of clients. Each connection thread copies out
//! what it has not sent from its own position. The ring keeps the last buffer-size
//! bytes; a client whose position falls out of it (more than the buffer behind) is
//! disconnected (the SDK's behaviour); the others are not affected.
//!
//! ## Protocol
//! MMSH clients (a `NSPlayer` User-Agent or an `xClientGUID` Pragma): a Describe
//! request gets the live header in `$H` and the connection closes; a Play request
//! (`Pragma: xPlayStrm=1`) gets `$H`, a `$D` per data packet as produced and `$E` at the
//! end. Other HTTP clients get the plain ASF bytes as `video/x-ms-asf` (chunked for
//! HTTP/1.1). A client joining late starts at the packet where the last key frame of
//! every video stream had started (the sink keeps those packets, at most
//! [`MAX_JOIN_BACKLOG`] bytes).
//!
//! ## Status hook
//! [`NetworkSink::set_status_hook`] receives [`ClientEvent`]s (connected /
//! disconnected) on the connection's own thread, never on the writer's. The writer's
//! status callback will forward them as `WMT_CLIENT_CONNECT` (32) /
//! `WMT_CLIENT_DISCONNECT` (33) with a `WM_CLIENT_PROPERTIES` value
//! ([`ClientInfo::ipv4`], port).
#![forbid(unsafe_code)]

pub mod mmsh;
mod server;

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use super::protocol::{EndEvent, HeaderEvent, Packet, PacketSink};
use crate::error::Result;
use crate::{bail, err};

/// The SDK's default maximum number of clients.
pub const DEFAULT_MAX_CLIENTS: u32 = 5;
/// The SDK's largest maximum number of clients.
pub const MAX_CLIENTS_LIMIT: u32 = 50;
/// Default buffer, bytes: a client more than this far behind the writer is dropped.
pub const DEFAULT_BUFFER_SIZE: u32 = 2 << 20;
/// Smallest accepted buffer size, bytes.
pub const MIN_BUFFER_SIZE: u32 = 4096;
/// Most bytes kept for late joiners (from the last key frame on).
pub const MAX_JOIN_BACKLOG: usize = 16 << 20;
/// Stack of each connection thread.
pub const CONNECTION_STACK: usize = 128 << 10;
/// `WMT_NET_PROTOCOL`: HTTP, the only protocol (as in the SDK).
pub const PROTOCOL_HTTP: u32 = 0;

/// One connected client (`IWMClientConnections` / `2`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientInfo {
    /// Unique per sink, counting from 1.
    pub id: u64,
    /// The client's address and port.
    pub address: SocketAddr,
    /// Its `User-Agent` header (empty if none).
    pub user_agent: String,
    /// Whether it speaks MMSH (else plain HTTP).
    pub mmsh: bool,
}

impl ClientInfo {
    /// The IPv4 address as `WM_CLIENT_PROPERTIES::dwIPAddress` holds it (the address's
    /// numeric value, 127.0.0.1 = 0x7F000001; 0 for IPv6 peers).
    pub fn ipv4(&self) -> u32 {
        match self.address.ip() {
            IpAddr::V4(a) => u32::from(a),
            IpAddr::V6(a) => a.to_ipv4_mapped().map(u32::from).unwrap_or(0),
        }
    }
}

/// What happened to a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientEventKind {
    /// It was accepted as a streaming client (`WMT_CLIENT_CONNECT`).
    Connected,
    /// It is gone (`WMT_CLIENT_DISCONNECT`): why, in a sentence.
    Disconnected(String),
}

/// A status event for the application.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientEvent {
    /// Connected or disconnected.
    pub kind: ClientEventKind,
    /// Which client.
    pub client: ClientInfo,
}

/// The application's status hook.
pub type StatusHook = Arc<dyn Fn(&ClientEvent) + Send + Sync>;

/// Memory one client holds (bytes queued for it; packets are shared between clients,
/// so this is an upper bound on what it alone keeps alive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientMemory {
    /// Bytes queued or being written now.
    pub queued_bytes: usize,
    /// The most that were queued at once.
    pub peak_queued_bytes: usize,
    /// The limit; more and the client is dropped.
    pub limit_bytes: usize,
}

/// Counters over the sink's life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NetworkStats {
    /// Streaming clients accepted.
    pub clients_accepted: u64,
    /// Clients dropped because they fell behind by more than the buffer.
    pub clients_dropped_slow: u64,
    /// Requests refused with an HTTP error status (bad request, 503, …).
    pub requests_refused: u64,
    /// Data packets received from the writer.
    pub packets: u64,
}

#[derive(Debug, Clone)]
struct Config {
    max_clients: u32,
    buffer_size: u32,
    bind: IpAddr,
    request_timeout: Duration,
    write_timeout: Duration,
}

/// The header of the current session, framed for MMSH and plain.
#[derive(Debug)]
pub(crate) struct HeaderBytes {
    framed: Vec<u8>,
    raw: Vec<u8>,
}

#[derive(Debug, Clone)]
pub(crate) enum Item {
    Header(Arc<HeaderBytes>),
    /// A `$D` chunk; plain clients skip its first [`mmsh::DATA_FRAME_LEN`] bytes.
    Packet(Arc<Vec<u8>>),
    End,
}

impl Item {
    fn len(&self) -> usize {
        match self {
            Item::Header(h) => h.framed.len(),
            Item::Packet(p) => p.len(),
            Item::End => 0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Describe,
    Play,
    Plain { chunked: bool },
}

/// A client's own items (what it gets on joining: the header and the late-join backlog)
/// and its state; the stream after that comes from the [`Ring`].
#[derive(Debug, Default)]
pub(crate) struct Queue {
    items: VecDeque<Item>,
    /// Bytes of `items` (queued plus being written).
    bytes: usize,
    /// Most bytes this client was behind (own items plus ring), when it last looked.
    peak: usize,
    /// Bytes behind the writer at which it is dropped (the buffer size).
    limit: usize,
    dropped: Option<String>,
}

/// The broadcast ring: every item of the stream in order, shared by all clients. The
/// writer appends; each connection thread reads from its own position
/// ([`Client::next`]). It keeps the last `limit` bytes (at least one item).
#[derive(Debug, Default)]
pub(crate) struct Ring {
    /// Position of `items[0]`.
    base: u64,
    /// Each item with the number of stream bytes appended before it.
    items: VecDeque<(u64, Item)>,
    /// Stream bytes appended so far.
    end_bytes: u64,
    limit: usize,
}

impl Ring {
    fn end(&self) -> u64 {
        self.base + self.items.len() as u64
    }

    /// Bytes from position `at` to the end (`None` once `at` has left the ring).
    fn behind(&self, at: u64) -> Option<u64> {
        if at < self.base {
            return None;
        }
        Some(self.items.get((at - self.base) as usize).map_or(0, |(before, _)| self.end_bytes - before))
    }

    fn push(&mut self, it: Item) {
        let n = it.len() as u64;
        self.items.push_back((self.end_bytes, it));
        self.end_bytes += n;
    }

    /// Drop the oldest items while more than `limit` bytes are kept; true if any went.
    fn trim(&mut self) -> bool {
        let mut trimmed = false;
        while self.items.len() > 1 && self.items.front().is_some_and(|f| self.end_bytes - f.0 > self.limit as u64) {
            self.items.pop_front();
            self.base += 1;
            trimmed = true;
        }
        trimmed
    }
}

#[derive(Debug)]
pub(crate) struct Client {
    info: ClientInfo,
    mode: Mode,
    sock: TcpStream,
    q: Mutex<Queue>,
    /// Its position in the [`Ring`]: the next item to send after its own items.
    next: AtomicU64,
}

impl Client {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.q.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queue the client's own `items` (on joining).
    fn push(&self, items: impl IntoIterator<Item = Item>) {
        let mut q = self.lock();
        for it in items {
            q.bytes += it.len();
            q.items.push_back(it);
        }
        q.peak = q.peak.max(q.bytes);
    }

    /// Drop the client now: free its queue and unblock its socket (its thread sees it
    /// within [`WAIT_SLICE`]). True if it was dropped by this call.
    fn kill(&self, why: String) -> bool {
        let mut q = self.lock();
        let now = q.dropped.is_none();
        if now {
            q.dropped = Some(why);
        }
        let queued: usize = q.items.drain(..).map(|i| i.len()).sum();
        q.bytes -= queued;
        drop(q);
        let _ = self.sock.shutdown(std::net::Shutdown::Both);
        now
    }

    fn memory(&self, ring: &Ring) -> ClientMemory {
        let behind = ring.behind(self.next.load(Ordering::Acquire)).unwrap_or(0) as usize;
        let q = self.lock();
        ClientMemory { queued_bytes: q.bytes + behind, peak_queued_bytes: q.peak.max(q.bytes + behind), limit_bytes: q.limit }
    }

    fn counted(&self) -> bool {
        self.mode != Mode::Describe
    }
}

/// The stream as the writer produced it so far, and the clients receiving it.
#[derive(Debug, Default)]
struct Stream {
    header: Option<Arc<HeaderBytes>>,
    next_packet: u64,
    /// Packets kept for late joiners: (number, `$D` chunk).
    backlog: VecDeque<(u64, Arc<Vec<u8>>)>,
    backlog_bytes: usize,
    /// Per stream number: the packet where its last key frame started.
    last_key: Vec<Option<u64>>,
    /// Video stream numbers (bit n), from the header.
    video: u128,
    clients: Vec<Arc<Client>>,
}

/// How long a connection thread waits for the ring before it looks at its own state.
pub(crate) const WAIT_SLICE: Duration = Duration::from_millis(250);

impl Stream {
    /// Where a late joiner starts: the earliest last-key packet of the video streams (or
    /// the next packet when there is no video).
    fn join_from(&self) -> u64 {
        if self.video == 0 {
            return self.next_packet;
        }
        let mut from = self.next_packet;
        for s in 1..128 {
            if self.video & (1u128 << s) != 0 {
                match self.last_key.get(s).copied().flatten() {
                    Some(k) => from = from.min(k),
                    None => return self.backlog.front().map_or(self.next_packet, |b| b.0),
                }
            }
        }
        from
    }
}

#[derive(Debug)]
pub(crate) struct Listening {
    port: u16,
    addr: SocketAddr,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Debug, Default)]
pub(crate) struct Conns {
    /// Every open connection's socket (to shut down at disconnect / close).
    socks: std::collections::HashMap<u64, TcpStream>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// State shared by the application's handle, the writer's calls and the server threads.
pub(crate) struct Shared {
    config: Mutex<Config>,
    stream: Mutex<Stream>,
    /// Locked after `stream` when both are needed.
    ring: Mutex<Ring>,
    ring_cv: Condvar,
    /// Connection threads waiting on `ring_cv` (the writer skips the wake-up when none is).
    ring_waiting: AtomicU64,
    hook: Mutex<Option<StatusHook>>,
    listening: Mutex<Option<Listening>>,
    conns: Mutex<Conns>,
    stop: AtomicBool,
    next_id: AtomicU64,
    stats: Mutex<NetworkStats>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Registration result.
pub(crate) enum Joined {
    Ok(Arc<Client>),
    Full(u32),
}

impl Shared {
    /// Wake the connection threads waiting for the ring: the writer wakes one, and each
    /// thread that finds new items wakes two more (`next_batch`), so the writer's cost
    /// does not grow with the number of clients; no system call at all when every
    /// thread is busy writing.
    pub(crate) fn wake(&self) {
        if self.ring_waiting.load(Ordering::SeqCst) > 0 {
            self.ring_cv.notify_one();
        }
    }

    fn emit(&self, kind: ClientEventKind, client: &ClientInfo) {
        let hook = lock(&self.hook).clone();
        if let Some(h) = hook {
            h(&ClientEvent { kind, client: client.clone() });
        }
    }

    fn count_refused(&self) {
        lock(&self.stats).requests_refused += 1;
    }

    /// Add a client; it receives the current header and the late-join backlog.
    fn join(&self, info: ClientInfo, mode: Mode, sock: TcpStream) -> Joined {
        let cfg = lock(&self.config).clone();
        let mut st = lock(&self.stream);
        let client = Arc::new(Client { info, mode, sock, q: Mutex::new(Queue::default()), next: AtomicU64::new(0) });
        if client.counted() {
            let n = st.clients.iter().filter(|c| c.counted()).count() as u32;
            if n >= cfg.max_clients {
                return Joined::Full(cfg.max_clients);
            }
        }
        let mut items = Vec::new();
        if let Some(h) = &st.header {
            items.push(Item::Header(Arc::clone(h)));
            if mode == Mode::Describe {
                items.push(Item::End);
            } else {
                let from = st.join_from();
                for (n, p) in &st.backlog {
                    if *n >= from {
                        items.push(Item::Packet(Arc::clone(p)));
                    }
                }
            }
        }
        client.lock().limit = cfg.buffer_size as usize;
        client.push(items);
        // The ring from here on: what the writer appends after this (the stream lock
        // keeps `packets` / `header` / `end` out meanwhile).
        client.next.store(lock(&self.ring).end(), Ordering::Release);
        st.clients.push(Arc::clone(&client));
        drop(st);
        if client.counted() {
            lock(&self.stats).clients_accepted += 1;
            self.emit(ClientEventKind::Connected, &client.info);
        }
        Joined::Ok(client)
    }

    fn leave(&self, client: &Arc<Client>, why: String) {
        lock(&self.stream).clients.retain(|c| !Arc::ptr_eq(c, client));
        if client.counted() {
            self.emit(ClientEventKind::Disconnected(why), &client.info);
        }
    }

    fn disconnect_all(&self, why: &str) {
        let clients = lock(&self.stream).clients.clone();
        for c in clients {
            c.kill(why.to_string());
        }
        self.ring_cv.notify_all();
        for s in lock(&self.conns).socks.values() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Stops the server when the last application / writer handle goes away.
struct CloseOnDrop(Arc<Shared>);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        server::close(&self.0);
    }
}

/// The network sink (`IWMWriterNetworkSink`). Cheap to clone: clones share the server.
#[derive(Clone)]
pub struct NetworkSink {
    shared: Arc<Shared>,
    _owner: Arc<CloseOnDrop>,
}

impl fmt::Debug for NetworkSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetworkSink").field("port", &self.port()).field("clients", &self.client_count()).finish()
    }
}

impl Default for NetworkSink {
    fn default() -> Self {
        Self::new()
    }
}

impl NetworkSink {
    /// A closed sink with the SDK's defaults (`WMCreateWriterNetworkSink`).
    pub fn new() -> Self {
        let shared = Arc::new(Shared {
            config: Mutex::new(Config {
                max_clients: DEFAULT_MAX_CLIENTS,
                buffer_size: DEFAULT_BUFFER_SIZE,
                bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
                request_timeout: Duration::from_secs(10),
                write_timeout: Duration::from_secs(30),
            }),
            stream: Mutex::new(Stream::default()),
            ring: Mutex::new(Ring { limit: DEFAULT_BUFFER_SIZE as usize, ..Ring::default() }),
            ring_cv: Condvar::new(),
            ring_waiting: AtomicU64::new(0),
            hook: Mutex::new(None),
            listening: Mutex::new(None),
            conns: Mutex::new(Conns::default()),
            stop: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            stats: Mutex::new(NetworkStats::default()),
        });
        NetworkSink { _owner: Arc::new(CloseOnDrop(Arc::clone(&shared))), shared }
    }

    /// The address `open` binds (beyond the SDK; default 127.0.0.1). Only while closed.
    pub fn set_bind_address(&self, addr: IpAddr) -> Result<()> {
        if self.port().is_some() {
            bail!(InvalidRequest, "set_bind_address: the sink is open; close it first");
        }
        lock(&self.shared.config).bind = addr;
        Ok(())
    }

    /// The address `open` binds.
    pub fn bind_address(&self) -> IpAddr {
        lock(&self.shared.config).bind
    }

    /// `SetMaximumClients`: 0..=50 (SDK default 5). Lowering it does not drop clients
    /// already connected.
    pub fn set_maximum_clients(&self, n: u32) -> Result<()> {
        if n > MAX_CLIENTS_LIMIT {
            bail!(InvalidRequest, "set_maximum_clients: {n} is more than the SDK's limit of {MAX_CLIENTS_LIMIT}");
        }
        lock(&self.shared.config).max_clients = n;
        Ok(())
    }

    /// `GetMaximumClients`.
    pub fn maximum_clients(&self) -> u32 {
        lock(&self.shared.config).max_clients
    }

    /// `SetNetworkProtocol`: only HTTP.
    pub fn set_network_protocol(&self, protocol: u32) -> Result<()> {
        if protocol != PROTOCOL_HTTP {
            bail!(InvalidArg, "set_network_protocol: protocol {protocol} is not supported; HTTP ({PROTOCOL_HTTP}) is the only one");
        }
        Ok(())
    }

    /// `GetNetworkProtocol`: always HTTP.
    pub fn network_protocol(&self) -> u32 {
        PROTOCOL_HTTP
    }

    /// `SetBufferSize`: bytes a client may fall behind before it is dropped (one buffer
    /// shared by every client: it applies to all of them from the next packet on).
    pub fn set_buffer_size(&self, bytes: u32) -> Result<()> {
        if bytes < MIN_BUFFER_SIZE {
            bail!(InvalidArg, "set_buffer_size: {bytes} bytes is less than the smallest buffer, {MIN_BUFFER_SIZE} bytes");
        }
        lock(&self.shared.config).buffer_size = bytes;
        lock(&self.shared.ring).limit = bytes as usize;
        Ok(())
    }

    /// `GetBufferSize`.
    pub fn buffer_size(&self) -> u32 {
        lock(&self.shared.config).buffer_size
    }

    /// How long a client may take to send its request (slowloris guard; default 10 s)
    /// and to accept one write (default 30 s). Beyond the SDK; for servers and tests.
    pub fn set_timeouts(&self, request: Duration, write: Duration) {
        let mut c = lock(&self.shared.config);
        c.request_timeout = request.max(Duration::from_millis(10));
        c.write_timeout = write.max(Duration::from_millis(10));
    }

    /// The application's status hook (see the module docs); `None` removes it.
    pub fn set_status_hook(&self, hook: Option<StatusHook>) {
        *lock(&self.shared.hook) = hook;
    }

    /// `Open`: bind and listen on `port` (0 = any free port); returns the port.
    pub fn open(&self, port: u16) -> Result<u16> {
        let mut l = lock(&self.shared.listening);
        if let Some(x) = &*l {
            bail!(InvalidRequest, "open: the sink is already open on port {}; close it first", x.port);
        }
        let bind = self.bind_address();
        let listening = server::open(&self.shared, SocketAddr::new(bind, port)).map_err(|e| {
            if e.kind() == io::ErrorKind::AddrInUse {
                err!(NetworkResourceFailure, "open: port {port} on {bind} is already in use")
            } else {
                err!(NetworkResourceFailure, "open: cannot listen on {bind} port {port}: {e}")
            }
        })?;
        let p = listening.port;
        *l = Some(listening);
        Ok(p)
    }

    /// The port listened on, if open.
    pub fn port(&self) -> Option<u16> {
        lock(&self.shared.listening).as_ref().map(|l| l.port)
    }

    /// `GetHostURL`: `http://HOST:PORT/` (an IP for a specific bind address; the host
    /// name when bound to all interfaces).
    pub fn host_url(&self) -> Result<String> {
        let l = lock(&self.shared.listening);
        let Some(l) = &*l else { bail!(InvalidRequest, "get_host_url: the sink is not open (call open first)") };
        let host = match l.addr.ip() {
            ip if ip.is_unspecified() => std::fs::read_to_string("/proc/sys/kernel/hostname")
                .ok()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "localhost".into()),
            IpAddr::V6(a) => format!("[{a}]"),
            IpAddr::V4(a) => a.to_string(),
        };
        Ok(format!("http://{host}:{}/", l.port))
    }

    /// `Disconnect`: drop every client, keep listening.
    pub fn disconnect(&self) {
        self.shared.disconnect_all("disconnected by the application");
    }

    /// `Close`: drop every client, stop listening and wait for every server thread to end.
    pub fn close(&self) -> Result<()> {
        if self.port().is_none() {
            bail!(InvalidRequest, "close: the sink is not open");
        }
        server::close(&self.shared);
        Ok(())
    }

    fn clients(&self) -> Vec<Arc<Client>> {
        lock(&self.shared.stream).clients.iter().filter(|c| c.counted() && c.lock().dropped.is_none()).cloned().collect()
    }

    /// `GetClientCount`: streaming clients now connected.
    pub fn client_count(&self) -> u32 {
        self.clients().len() as u32
    }

    /// `GetClientProperties` / `GetClientInfo`: client `index` (in connection order).
    pub fn client(&self, index: u32) -> Result<ClientInfo> {
        let c = self.clients();
        c.get(index as usize)
            .map(|c| c.info.clone())
            .ok_or_else(|| err!(InvalidArg, "get_client_properties: index {index} is out of range; {} client(s) are connected", c.len()))
    }

    /// Memory held for client `index`.
    pub fn client_memory(&self, index: u32) -> Result<ClientMemory> {
        let c = self.clients();
        let ring = lock(&self.shared.ring);
        c.get(index as usize)
            .map(|c| c.memory(&ring))
            .ok_or_else(|| err!(InvalidArg, "client_memory: index {index} is out of range; {} client(s) are connected", c.len()))
    }

    /// Bytes kept for late joiners now.
    pub fn backlog_bytes(&self) -> usize {
        lock(&self.shared.stream).backlog_bytes
    }

    /// Counters since the sink was made.
    pub fn stats(&self) -> NetworkStats {
        *lock(&self.shared.stats)
    }

    /// Server threads alive now (accept thread + connections).
    pub fn thread_count(&self) -> usize {
        let conns = lock(&self.shared.conns).threads.iter().filter(|t| !t.is_finished()).count();
        let acc = lock(&self.shared.listening).as_ref().and_then(|l| l.thread.as_ref()).is_some_and(|t| !t.is_finished());
        conns + acc as usize
    }

    // ----- the writer's side -----

    /// The header of a new session (the live layout goes to clients).
    pub fn header(&self, h: &HeaderEvent<'_>) {
        let raw = h.live_bytes.to_vec();
        let video = video_streams(&raw);
        let hb = Arc::new(HeaderBytes { framed: mmsh::header_chunks(&raw), raw });
        let mut st = lock(&self.shared.stream);
        let running = st.header.is_some();
        *st = Stream {
            header: Some(Arc::clone(&hb)),
            video,
            last_key: vec![None; 128],
            clients: std::mem::take(&mut st.clients),
            ..Stream::default()
        };
        // Clients of a session that did not end get its end; those waiting for a
        // session (and Describe requests) get this header next.
        let mut ring = lock(&self.shared.ring);
        if running {
            ring.push(Item::End);
        }
        ring.push(Item::Header(hb));
        ring.trim();
        drop(ring);
        drop(st);
        self.shared.wake();
    }

    /// Data packets: queued for every client, kept for late joiners; never blocks.
    pub fn packets(&self, packets: &[Packet<'_>]) {
        let mut st = lock(&self.shared.stream);
        if st.header.is_none() {
            return;
        }
        let mut framed = Vec::with_capacity(packets.len());
        for p in packets {
            let n = st.next_packet;
            st.next_packet += 1;
            let chunk = Arc::new(mmsh::data_chunk(n as u32, p.bytes));
            let video = st.video;
            let mut k = p.key_starts & video;
            while k != 0 {
                let s = k.trailing_zeros() as usize;
                k &= k - 1;
                if let Some(slot) = st.last_key.get_mut(s) {
                    *slot = Some(n);
                }
            }
            st.backlog_bytes += chunk.len();
            st.backlog.push_back((n, Arc::clone(&chunk)));
            framed.push(chunk);
        }
        let from = st.join_from();
        while st.backlog.front().is_some_and(|b| b.0 < from) || st.backlog_bytes > MAX_JOIN_BACKLOG {
            if let Some((_, b)) = st.backlog.pop_front() {
                st.backlog_bytes -= b.len();
            }
        }
        // One append and one wake-up, whatever the number of clients.
        let mut ring = lock(&self.shared.ring);
        for chunk in framed {
            ring.push(Item::Packet(chunk));
        }
        if st.clients.is_empty() {
            // Nobody to send to: keep nothing (a client that joins later starts from
            // the late-join backlog and then the ring's end).
            ring.base = ring.end();
            ring.items.clear();
        }
        let left = ring.trim().then(|| (ring.base, ring.limit));
        drop(ring);
        self.shared.wake();
        // Once the ring is full, the clients whose position fell out of it are dropped
        // now (a client stalled in a write would notice only at its write timeout).
        let mut dropped = 0;
        if let Some((base, limit)) = left {
            for c in &st.clients {
                if c.mode != Mode::Describe
                    && c.next.load(Ordering::Acquire) < base
                    && c.kill(format!("fell behind by more than the buffer ({limit} bytes)"))
                {
                    dropped += 1;
                }
            }
        }
        drop(st);
        let mut s = lock(&self.shared.stats);
        s.packets += packets.len() as u64;
        s.clients_dropped_slow += dropped;
    }

    /// End of the session: clients get `$E` (MMSH) / the end of the body and close.
    pub fn end(&self) {
        let mut st = lock(&self.shared.stream);
        if st.header.is_some() {
            lock(&self.shared.ring).push(Item::End);
        }
        let clients = std::mem::take(&mut st.clients);
        *st = Stream { clients, ..Stream::default() };
        drop(st);
        self.shared.wake();
    }
}

impl PacketSink for NetworkSink {
    fn can_seek(&self) -> bool {
        false
    }
    fn on_header(&mut self, header: &HeaderEvent<'_>) -> io::Result<()> {
        self.header(header);
        Ok(())
    }
    fn on_packets(&mut self, packets: &[Packet<'_>]) -> io::Result<()> {
        self.packets(packets);
        Ok(())
    }
    fn on_end(&mut self, _end: &EndEvent<'_>) -> io::Result<()> {
        self.end();
        Ok(())
    }
}

// ----- header and packet facts (ASF, MS-ASF 3.2 / 3.4 / 5.2) -----

/// Stream Properties Object GUID B7DC0791-A9B7-11CF-8EE6-00C00C205365 (little-endian bytes).
const STREAM_PROPERTIES: [u8; 16] = [0x91, 0x07, 0xDC, 0xB7, 0xB7, 0xA9, 0xCF, 0x11, 0x8E, 0xE6, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];
/// ASF_Video_Media BC19EFC0-5B4D-11CF-A8FD-00805F5C442B.
const VIDEO_MEDIA: [u8; 16] = [0xC0, 0xEF, 0x19, 0xBC, 0x4D, 0x5B, 0xCF, 0x11, 0xA8, 0xFD, 0x00, 0x80, 0x5F, 0x5C, 0x44, 0x2B];
/// File Properties Object GUID 8CABDCA1-A947-11CF-8EE4-00C00C205365.
const FILE_PROPERTIES: [u8; 16] = [0xA1, 0xDC, 0xAB, 0x8C, 0x47, 0xA9, 0xCF, 0x11, 0x8E, 0xE4, 0x00, 0xC0, 0x0C, 0x20, 0x53, 0x65];

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// Video stream numbers (bit n) of the top-level Stream Properties Objects.
fn video_streams(header: &[u8]) -> u128 {
    let mut mask = 0u128;
    let mut at = 30;
    while let Some(size) = u64_at(header, at + 16) {
        let size = size as usize;
        if size < 24 || at + size > header.len() {
            break;
        }
        let obj = &header[at..at + size];
        if obj[..16] == STREAM_PROPERTIES && obj.get(24..40) == Some(&VIDEO_MEDIA[..]) {
            if let Some(f) = obj.get(72..74) {
                mask |= 1u128 << (u16::from_le_bytes([f[0], f[1]]) & 0x7F);
            }
        }
        at += size;
    }
    mask
}

/// The live layout of a header (Header Object + 50-byte Data Object prefix) whose first
/// child is File Properties: broadcast flag only, file size / packet count / durations
/// 0, Data Object size 50 with 0 packets. Returns it with the packet size and preroll.
pub fn live_layout(bytes: &[u8]) -> Option<(Vec<u8>, u32, u64)> {
    let fp = 30;
    if bytes.len() < fp + 104 + 50 || bytes[fp..fp + 16] != FILE_PROPERTIES {
        return None;
    }
    let mut v = bytes.to_vec();
    for field in [40, 56, 64, 72] {
        v[fp + field..fp + field + 8].fill(0);
    }
    v[fp + 88..fp + 92].copy_from_slice(&1u32.to_le_bytes());
    let d = v.len() - 50;
    v[d + 16..d + 24].copy_from_slice(&50u64.to_le_bytes());
    v[d + 40..d + 48].fill(0);
    let packet_size = u32::from_le_bytes(v[fp + 96..fp + 100].try_into().ok()?);
    let preroll = u64_at(&v, fp + 80)?;
    Some((v, packet_size, preroll))
}

/// Read a data packet of this writer's fixed layout (`82 00 00`, length type flags
/// `0x11`, property flags `0x5D`, WORD payload lengths) back into a [`Packet`]; other
/// layouts give send time 0 and no key starts.
pub fn parse_packet(p: &[u8]) -> Packet<'_> {
    let mut pk = Packet { bytes: p, send_time_ms: 0, duration_ms: 0, key_starts: 0 };
    if p.len() < 14 || p[0] != 0x82 || p[3] != 0x11 || p[4] != 0x5D {
        return pk;
    }
    pk.send_time_ms = u32::from_le_bytes([p[7], p[8], p[9], p[10]]);
    pk.duration_ms = u16::from_le_bytes([p[11], p[12]]);
    let n = p[13] & 0x3F;
    let mut at = 14;
    for _ in 0..n {
        let Some(h) = p.get(at..at + 7) else { break };
        let stream = h[0] & 0x7F;
        let key = h[0] & 0x80 != 0;
        let offset = u32::from_le_bytes([h[2], h[3], h[4], h[5]]);
        let rep = h[6] as usize;
        at += 7 + rep;
        let Some(l) = p.get(at..at + 2) else { break };
        at += 2 + u16::from_le_bytes([l[0], l[1]]) as usize;
        // A compressed payload (replicated data length 1) holds whole objects; its
        // offset field is a presentation time.
        if key && (offset == 0 || rep == 1) {
            pk.key_starts |= 1u128 << stream;
        }
    }
    pk
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_our_packet_layout() {
        // Two payloads: stream 2 key frame start, stream 1 continuation (offset 10).
        let mut p = vec![0x82, 0, 0, 0x11, 0x5D, 0, 0, 100, 0, 0, 0, 40, 0, 0x82];
        p.extend_from_slice(&[0x82, 0, 0, 0, 0, 0, 8]);
        p.extend_from_slice(&[0; 8]);
        p.extend_from_slice(&3u16.to_le_bytes());
        p.extend_from_slice(&[1, 2, 3]);
        p.extend_from_slice(&[0x81, 0, 10, 0, 0, 0, 8]);
        p.extend_from_slice(&[0; 8]);
        p.extend_from_slice(&1u16.to_le_bytes());
        p.push(9);
        let k = parse_packet(&p);
        assert_eq!((k.send_time_ms, k.duration_ms, k.key_starts), (100, 40, 1 << 2));
    }

    #[test]
    fn settings_follow_the_sdk() {
        let s = NetworkSink::new();
        assert_eq!((s.maximum_clients(), s.network_protocol(), s.port()), (5, 0, None));
        assert_eq!(s.set_maximum_clients(51).unwrap_err().kind, crate::error::ErrorKind::InvalidRequest);
        s.set_maximum_clients(50).unwrap();
        assert_eq!(s.set_network_protocol(1).unwrap_err().kind, crate::error::ErrorKind::InvalidArg);
        assert_eq!(s.host_url().unwrap_err().kind, crate::error::ErrorKind::InvalidRequest);
        assert_eq!(s.close().unwrap_err().kind, crate::error::ErrorKind::InvalidRequest);
        let port = s.open(0).unwrap();
        assert_eq!(s.host_url().unwrap(), format!("http://127.0.0.1:{port}/"));
        assert_eq!(s.open(0).unwrap_err().kind, crate::error::ErrorKind::InvalidRequest);
        let t = NetworkSink::new();
        assert_eq!(t.open(port).unwrap_err().kind, crate::error::ErrorKind::NetworkResourceFailure);
        s.close().unwrap();
        assert_eq!(s.thread_count(), 0);
    }
}
