//! The network sink's server under many, slow and misbehaving clients, on loopback,
//! fed through its PacketSink interface with a synthetic stream (the server never
//! parses packets; the ffmpeg tests cover real ASF). Every wait is bounded.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wmwriter::sink::network::NetworkSink;
use wmwriter::sink::protocol::{EndEvent, HeaderEvent, Packet, PacketSink};

const PS: usize = 8192;

fn header() -> Vec<u8> {
    (0..1000u32).map(|i| (i * 7) as u8).collect()
}

fn packet(n: usize) -> Vec<u8> {
    (0..PS).map(|i| (i ^ n) as u8).collect()
}

fn start(net: &mut NetworkSink) {
    let h = header();
    net.on_header(&HeaderEvent { bytes: &h, live_bytes: &h, packet_size: PS as u32, preroll_ms: 0 }).unwrap();
}

/// CPU time of the calling thread so far (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`).
fn thread_cpu() -> Duration {
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut [i64; 2]) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3; // Linux
    let mut ts = [0i64; 2];
    // SAFETY: ts is a valid timespec (two 64-bit fields on 64-bit Linux).
    if unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts[0] as u64, ts[1] as u32)
}

/// Feed `n` packets in runs of 16; returns the time spent inside `on_packets` (wall
/// clock, and the feeding thread's CPU time).
fn feed(net: &mut NetworkSink, n: usize, pause: Duration) -> (Duration, Duration) {
    let all: Vec<Vec<u8>> = (0..16).map(packet).collect();
    let mut inside = Duration::ZERO;
    let mut cpu = Duration::ZERO;
    for run in 0..n / 16 {
        let pk: Vec<Packet<'_>> = all
            .iter()
            .enumerate()
            .map(|(i, b)| Packet { bytes: b, send_time_ms: (run * 16 + i) as u32, duration_ms: 1, key_starts: 0 })
            .collect();
        let (t, c) = (Instant::now(), thread_cpu());
        net.on_packets(&pk).unwrap();
        inside += t.elapsed();
        cpu += thread_cpu().saturating_sub(c);
        std::thread::sleep(pause);
    }
    (inside, cpu)
}

fn connect(port: u16, req: &str) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    s
}

/// Read to EOF; returns (response head, body length).
fn read_all(mut s: TcpStream) -> (String, usize) {
    let mut v = Vec::new();
    s.read_to_end(&mut v).unwrap();
    let end = v.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4).unwrap_or(v.len());
    (String::from_utf8_lossy(&v[..end]).into_owned(), v.len() - end)
}

const PLAIN: &str = "GET / HTTP/1.0\r\nUser-Agent: test\r\n\r\n";
const PLAY: &str = "GET / HTTP/1.0\r\nUser-Agent: NSPlayer/4.1.0.3856\r\nPragma: xPlayStrm=1\r\n\r\n";

fn wait_clients(net: &NetworkSink, n: u32) {
    let t0 = Instant::now();
    while net.client_count() != n {
        assert!(t0.elapsed() < Duration::from_secs(10), "{} clients, expected {n}", net.client_count());
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn fifty_clients_get_everything_51st_refused_stalled_one_dropped() {
    let packets = 2400; // 19.7 MB: more than the stalled client's buffer + the kernel's socket buffers
                        // Baseline: the same feed with no client.
    let mut idle = NetworkSink::new();
    idle.open(0).unwrap();
    start(&mut idle);
    let (t_idle, cpu_idle) = feed(&mut idle, packets, Duration::from_millis(5));
    idle.on_end(&EndEvent { trailer: &[], final_header: &[] }).unwrap();
    idle.close().unwrap();

    let mut net = NetworkSink::new();
    net.set_maximum_clients(50).unwrap();
    net.set_buffer_size(4 << 20).unwrap();
    let port = net.open(0).unwrap();
    // 49 reading clients (plain HTTP and MMSH) and one that never reads.
    let readers: Vec<_> = (0..49)
        .map(|i| {
            let s = connect(port, if i % 2 == 0 { PLAIN } else { PLAY });
            std::thread::spawn(move || read_all(s))
        })
        .collect();
    let stalled = connect(port, PLAY);
    wait_clients(&net, 50);
    let (head, body) = read_all(connect(port, PLAIN));
    assert!(head.starts_with("HTTP/1.0 503"), "51st client: {head}");
    assert!(body > 0);
    assert_eq!(net.client_count(), 50);
    // Requests are parsed per connection thread: the order of registration is not fixed.
    let infos: Vec<_> = (0..50).map(|i| net.client(i).unwrap()).collect();
    assert!(infos.iter().all(|c| c.ipv4() == 0x7F00_0001));
    assert_eq!(infos.iter().filter(|c| c.user_agent == "test").count(), 25);
    assert_eq!(infos.iter().filter(|c| c.user_agent == "NSPlayer/4.1.0.3856").count(), 25);

    start(&mut net);
    let t0 = Instant::now();
    let (t_50, cpu_50) = feed(&mut net, packets, Duration::from_millis(5));
    let wall = t0.elapsed();
    let mut peak = 0;
    for i in 0..net.client_count() {
        peak = peak.max(net.client_memory(i).unwrap().peak_queued_bytes);
    }
    net.on_end(&EndEvent { trailer: &[], final_header: &[] }).unwrap();
    let mut sizes = Vec::new();
    for (i, r) in readers.into_iter().enumerate() {
        let (head, body) = r.join().unwrap();
        assert!(head.starts_with("HTTP/1.0 200"), "client {i}: {head}");
        let want = if i % 2 == 0 { 1000 + packets * PS } else { 12 + 1000 + packets * (12 + PS) + 8 };
        assert_eq!(body, want, "client {i} ({}) got every byte", if i % 2 == 0 { "plain" } else { "mmsh" });
        sizes.push(body);
    }
    let st = net.stats();
    assert_eq!(st.clients_dropped_slow, 1, "the stalled client was dropped: {st:?}");
    assert!(peak <= (4 << 20) + PS + 2000, "peak queue {peak} bytes within the 4 MiB buffer");
    // The writer's own cost does not grow with the clients (one shared ring, one
    // wake-up per call): per-client queues cost about 9x here.
    assert!(
        cpu_50 <= cpu_idle * 4 + Duration::from_millis(10),
        "writer thread CPU in on_packets: {cpu_idle:?} with no client, {cpu_50:?} with 50"
    );
    drop(stalled);
    eprintln!(
        "{packets} packets of {PS} bytes: on_packets total {:?} with 0 clients, {:?} with 50 (writer thread CPU {:?} / {:?}; {:.1} MB/s of stream fed, wall {:?}); peak per-client queue {} KiB",
        t_idle,
        t_50,
        cpu_idle,
        cpu_50,
        (packets * PS) as f64 / t_50.as_secs_f64() / 1e6,
        wall,
        peak >> 10
    );
    net.close().unwrap();
    assert_eq!(net.thread_count(), 0, "no server thread after close");
    assert_eq!(net.client_count(), 0);
}

#[test]
fn bad_clients_get_a_status_and_do_not_disturb_a_good_one() {
    let mut net = NetworkSink::new();
    net.set_timeouts(Duration::from_millis(500), Duration::from_secs(5));
    let port = net.open(0).unwrap();
    let good = connect(port, PLAY);
    let good = std::thread::spawn(move || read_all(good));
    wait_clients(&net, 1);
    start(&mut net);
    feed(&mut net, 64, Duration::ZERO);

    let big = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    let table: Vec<(&str, String, &str)> = vec![
        ("garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\x7f\x03\x03\r\n\r\n".into(), "HTTP/1.0 400"),
        ("no version", "GET /\r\n\r\n".into(), "HTTP/1.0 400"),
        ("oversized", big, "HTTP/1.0 431"),
        ("HTTP/2", "GET / HTTP/2.0\r\n\r\n".into(), "HTTP/1.0 505"),
        ("POST", "POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc".into(), "HTTP/1.0 405"),
        ("PUT", "PUT / HTTP/1.1\r\n\r\n".into(), "HTTP/1.0 405"),
        ("unknown method", "BREW / HTTP/1.1\r\n\r\n".into(), "HTTP/1.0 501"),
        ("unknown path", "GET /other.asf HTTP/1.1\r\n\r\n".into(), "HTTP/1.0 404"),
        ("slowloris", "GET / HTTP/1.1\r\nX-Slow: ".into(), "HTTP/1.0 408"),
        ("HEAD", "HEAD / HTTP/1.1\r\n\r\n".into(), "HTTP/1.0 200"),
    ];
    for (what, req, want) in &table {
        let t = Instant::now();
        let (head, body) = read_all(connect(port, req));
        assert!(head.starts_with(want), "{what}: got {head:?}, want {want}");
        assert!(t.elapsed() < Duration::from_secs(3), "{what}: took {:?}", t.elapsed());
        if *what == "HEAD" {
            assert_eq!(body, 0, "HEAD has no body");
            assert!(head.contains("video/x-ms-asf"), "HEAD content type: {head}");
        }
    }
    // A client that connects and sends nothing is closed after the request timeout.
    let t = Instant::now();
    let (head, _) = read_all(TcpStream::connect(("127.0.0.1", port)).unwrap());
    assert!(head.starts_with("HTTP/1.0 408"), "silent client: {head}");
    assert!(t.elapsed() < Duration::from_secs(3));
    // The good client still gets everything.
    feed(&mut net, 64, Duration::ZERO);
    net.on_end(&EndEvent { trailer: &[], final_header: &[] }).unwrap();
    let (head, body) = good.join().unwrap();
    assert!(head.contains("application/x-mms-framed"), "{head}");
    assert_eq!(body, 12 + 1000 + 128 * (12 + PS) + 8, "the good client got every packet");
    assert_eq!(net.stats().requests_refused as usize, table.len() + 1 - 1, "refusals counted (HEAD is not one)");
    net.close().unwrap();
    assert_eq!(net.thread_count(), 0);
}

#[test]
fn disconnect_keeps_the_port_close_releases_it() {
    let mut net = NetworkSink::new();
    let port = net.open(0).unwrap();
    let c = connect(port, PLAIN);
    let r = std::thread::spawn(move || read_all(c));
    wait_clients(&net, 1);
    start(&mut net);
    net.disconnect();
    r.join().unwrap();
    wait_clients(&net, 0);
    // Still listening: a new client joins the running session.
    let c = connect(port, PLAIN);
    let r = std::thread::spawn(move || read_all(c));
    wait_clients(&net, 1);
    feed(&mut net, 16, Duration::ZERO);
    net.on_end(&EndEvent { trailer: &[], final_header: &[] }).unwrap();
    assert_eq!(r.join().unwrap().1, 1000 + 16 * PS);
    net.close().unwrap();
    assert_eq!(net.thread_count(), 0);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "port released after close");
    // Reopen on the same port works.
    assert_eq!(net.open(port).unwrap(), port);
    let hook_count = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let h = Arc::clone(&hook_count);
    net.set_status_hook(Some(Arc::new(move |_| {
        h.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    })));
    drop(connect(port, PLAIN));
    std::thread::sleep(Duration::from_millis(200));
    net.close().unwrap();
    assert_eq!(hook_count.load(std::sync::atomic::Ordering::SeqCst), 2, "connect + disconnect events");
}
