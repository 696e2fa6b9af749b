//! The network sink on a real writer, pulled by independent clients: a 10 s WMV2 +
//! WMA2 stream is written in real time to a file sink and a network sink on the same
//! writer; FFmpeg's `mmsh://` and `http://` clients (and a client joining at 5 s) record
//! it, and ffprobe counts every stream's packets against the file sink's.

mod av_source;
mod common;

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use av_source::source;
use common::*;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::sink::network::{live_layout, parse_packet, ClientEvent, ClientEventKind, NetworkSink};
use wmwriter::sink::protocol::{EndEvent, HeaderEvent, PacketSink};
use wmwriter::sink::WriterSink;
use wmwriter::writer::Writer;

fn ffmpeg_pull(url: &str, out: &std::path::Path) -> Child {
    Command::new("ffmpeg")
        .args(["-nostdin", "-y", "-v", "error", "-rw_timeout", "20000000", "-i", url, "-c", "copy", "-f", "asf", out.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ffmpeg")
}

fn wait(mut c: Child, what: &str) {
    let start = Instant::now();
    loop {
        if let Some(st) = c.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            c.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            assert!(st.success(), "{what}: ffmpeg failed ({st}):\n{err}");
            return;
        }
        if start.elapsed() > Duration::from_secs(40) {
            let _ = c.kill();
            panic!("{what}: ffmpeg did not finish within 40 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Counts per stream of a recording.
fn counts(pkts: &[Pkt]) -> (usize, usize) {
    (pkts.iter().filter(|p| p.codec_type == "audio").count(), pkts.iter().filter(|p| p.codec_type == "video").count())
}

fn write_samples(w: &mut Writer, samples: &[Sample]) {
    for s in samples {
        let Sample::Stream { stream, time, duration, flags, data } = s else { unreachable!() };
        let b = w.allocate_sample(data.len() as u32).unwrap();
        b.copy_from(data).unwrap();
        w.write_stream_sample(*stream, *time, *duration, *flags, &b).unwrap();
    }
}

fn wait_clients(net: &NetworkSink, n: u32) {
    let t0 = Instant::now();
    while net.client_count() < n {
        assert!(t0.elapsed() < Duration::from_secs(10), "only {} of {n} clients connected", net.client_count());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The writer feeds a file sink and the network sink (through the byte-stream adapter);
/// ffmpeg's mmsh:// and http:// clients record the same packets as the file.
#[test]
fn writer_with_file_and_network_sinks_ffmpeg_mmsh_and_http_get_every_packet() {
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("network-ffmpeg");
    let (profile, samples) = source(&dir);
    let net = NetworkSink::new();
    let events: Arc<Mutex<Vec<ClientEvent>>> = Arc::default();
    let ev = Arc::clone(&events);
    net.set_status_hook(Some(Arc::new(move |e: &ClientEvent| ev.lock().unwrap().push(e.clone()))));
    let port = net.open(0).unwrap();
    assert_eq!(net.host_url().unwrap(), format!("http://127.0.0.1:{port}/"));

    let file = dir.path("file.wmv");
    let mut w = Writer::new();
    w.set_profile(&profile).unwrap();
    w.set_output_filename(file.to_str().unwrap()).unwrap();
    w.add_sink(Arc::new(WriterSink::network(net.clone()))).unwrap();
    w.set_input_props(0, None).unwrap();
    w.set_input_props(1, None).unwrap();
    // The plain client waits for the header; the MMSH client's Describe needs it, so
    // both are in before the first sample.
    let (o_mmsh, o_http) = (dir.path("mmsh.asf"), dir.path("http.asf"));
    let c_http = ffmpeg_pull(&format!("http://127.0.0.1:{port}/"), &o_http);
    let c_mmsh = ffmpeg_pull(&format!("mmsh://127.0.0.1:{port}/"), &o_mmsh);
    w.begin_writing().unwrap();
    wait_clients(&net, 2);
    write_samples(&mut w, &samples);
    w.end_writing().unwrap();
    wait(c_mmsh, "mmsh client");
    wait(c_http, "http client");

    let (_, fp) = ffprobe_packets(&file, false);
    let want = counts(&fp);
    assert!(want.0 > 200 && want.1 == 250, "file sink: {want:?} (audio, video) packets");
    for (o, what) in [(&o_mmsh, "mmsh"), (&o_http, "http")] {
        let (_, p) = ffprobe_packets(o, false);
        assert_eq!(counts(&p), want, "{what}: (audio, video) packet counts equal the file sink's");
    }
    net.close().unwrap();
    assert_eq!(net.thread_count(), 0, "no server thread after close");
    let ev = events.lock().unwrap();
    let connects = ev.iter().filter(|e| e.kind == ClientEventKind::Connected).count();
    let disconnects = ev.iter().filter(|e| matches!(e.kind, ClientEventKind::Disconnected(_))).count();
    assert_eq!((connects, disconnects), (2, 2), "status events: {ev:?}");
    assert!(ev.iter().any(|e| e.client.user_agent.starts_with("NSPlayer") && e.client.mmsh), "MMSH user agent recorded");
    assert!(ev.iter().any(|e| e.client.user_agent.starts_with("Lavf") && !e.client.mmsh), "http user agent recorded");
}

/// Real time: the file the writer made is split into its header and packets and fed to
/// the sink's PacketSink interface at the pace of the packets' send times (the writer
/// itself still hands packets over in 1 MiB runs); mmsh:// and http:// clients from the
/// start get every packet, a client joining at 5 s starts on a key frame.
#[test]
fn real_time_feed_late_joiner_starts_on_key_frame() {
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("network-realtime");
    let (profile, samples) = source(&dir);
    let file = dir.path("file.wmv");
    write_file(&file, &profile, &[0, 1], &samples);
    let bytes = std::fs::read(&file).unwrap();
    let header_len = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize + 50;
    let (live, packet_size, preroll) = live_layout(&bytes[..header_len]).unwrap();
    let ps = packet_size as usize;
    let count = u64::from_le_bytes(bytes[30 + 56..30 + 64].try_into().unwrap()) as usize;
    let packets: Vec<&[u8]> = bytes[header_len..header_len + count * ps].chunks(ps).collect();

    let mut net = NetworkSink::new();
    let port = net.open(0).unwrap();
    let (o_mmsh, o_http, o_late) = (dir.path("mmsh.asf"), dir.path("http.asf"), dir.path("late.asf"));
    let c_http = ffmpeg_pull(&format!("http://127.0.0.1:{port}/"), &o_http);
    let c_mmsh = ffmpeg_pull(&format!("mmsh://127.0.0.1:{port}/"), &o_mmsh);
    net.on_header(&HeaderEvent { bytes: &bytes[..header_len], live_bytes: &live, packet_size, preroll_ms: preroll }).unwrap();
    wait_clients(&net, 2);
    let start = Instant::now();
    let mut late = None;
    let mut slowest = Duration::ZERO;
    for p in &packets {
        let pk = parse_packet(p);
        let due = Duration::from_millis(pk.send_time_ms as u64);
        if let Some(d) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(d);
        }
        if late.is_none() && due >= Duration::from_secs(5) {
            late = Some(ffmpeg_pull(&format!("mmsh://127.0.0.1:{port}/"), &o_late));
        }
        let t = Instant::now();
        net.on_packets(&[pk]).unwrap();
        slowest = slowest.max(t.elapsed());
    }
    net.on_end(&EndEvent { trailer: &[], final_header: &[] }).unwrap();
    assert!(start.elapsed() >= Duration::from_secs(9), "fed in real time");
    assert!(slowest < Duration::from_millis(50), "on_packets took up to {slowest:?}");
    wait(c_mmsh, "mmsh client");
    wait(c_http, "http client");
    wait(late.expect("late client started"), "late mmsh client");

    let (_, fp) = ffprobe_packets(&file, false);
    let want = counts(&fp);
    for (o, what) in [(&o_mmsh, "mmsh"), (&o_http, "http")] {
        let (_, p) = ffprobe_packets(o, false);
        assert_eq!(counts(&p), want, "{what}: (audio, video) packet counts equal the file's");
    }
    let (_, lp) = ffprobe_packets(&o_late, false);
    let v: Vec<&Pkt> = lp.iter().filter(|p| p.codec_type == "video").collect();
    assert!(!v.is_empty(), "late client got video");
    assert!(v[0].key, "late client starts on a key frame");
    // ffmpeg rebases the recording to 0, so place it by count: the late client has the
    // last v.len() video packets of the file sink, and the first of those is a key frame
    // written at about 5 s (key frames every second).
    let fv: Vec<&Pkt> = fp.iter().filter(|p| p.codec_type == "video").collect();
    let idx = fv.len() - v.len();
    assert!(fv[idx].key, "the late client's first video packet is file packet {idx}, a key frame");
    let at = fv[idx].ts_time;
    assert!((3.0..=6.5).contains(&at), "late client joined at the key frame of {at} s");
    let sizes = |x: &[&Pkt]| x.iter().map(|p| p.size).collect::<Vec<_>>();
    assert_eq!(sizes(&v), sizes(&fv[idx..]), "late client's video packets are the file's from {at} s on");
    eprintln!("late joiner: starts at the key frame of {at:.3} s, {} video packets; file (audio, video) = {want:?}", v.len());

    net.close().unwrap();
    assert_eq!(net.thread_count(), 0, "no server thread after close");
}

/// What the push receiver got: the PushSetup request's headers and body, the PushStart
/// requests' headers, the header (`$H` payloads) and every `$D` packet, and whether the
/// stream ended with `$E`.
#[derive(Debug, Default)]
struct Pushed {
    setup: Vec<String>,
    setup_body: String,
    starts: Vec<Vec<String>>,
    header: Vec<u8>,
    packets: Vec<Vec<u8>>,
    locations: Vec<u32>,
    end_reason: Option<u32>,
}

const PUSH_ID: &str = "4124758405";

fn header_value<'a>(headers: &'a [String], name: &str) -> Option<&'a str> {
    headers.iter().find_map(|h| h.split_once(':').filter(|(n, _)| n.trim().eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()))
}

/// A test receiver that follows the server side of MS-WMHTTP: a PushSetup request
/// (`application/x-wms-pushsetup`) is answered 204 with a `Cougar` server token and a
/// push-id cookie; a PushStart request (`application/x-wms-pushstart`, that cookie) is
/// read chunk by chunk ($H, $D, $E framing of MS-WMSP 2.2.3, the B flag 0) and answered
/// 204 after `$E`. One connection; bounded by read timeouts.
fn push_receiver() -> (u16, std::thread::JoinHandle<Pushed>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let mut got = Pushed::default();
        let (s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut w = s.try_clone().unwrap();
        let mut r = BufReader::new(s);
        let reply = |w: &mut std::net::TcpStream| {
            let m = format!(
                "HTTP/1.1 204 No Content\r\nServer: Cougar/9.01.01.3814\r\nSet-Cookie: push-id={PUSH_ID}\r\nPragma: no-cache, timeout=60000\r\nContent-Length: 0\r\n\r\n"
            );
            w.write_all(m.as_bytes()).unwrap();
        };
        loop {
            let mut head = Vec::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap() == 0 {
                    return got; // the client closed the connection
                }
                let line = line.trim_end().to_string();
                if line.is_empty() {
                    break;
                }
                head.push(line);
            }
            assert!(head[0].starts_with("POST /live/point HTTP/1.1"), "request line {:?}", head[0]);
            let ct = header_value(&head, "Content-Type").unwrap_or("").to_string();
            assert!(header_value(&head, "User-Agent").is_some(), "a User-Agent (MS-WMHTTP 3.1.4.1.1)");
            let len: u64 = header_value(&head, "Content-Length").expect("Content-Length").parse().unwrap();
            if ct == "application/x-wms-pushsetup" {
                assert_eq!(header_value(&head, "Cookie"), Some("push-id=0"));
                let mut body = vec![0u8; len as usize];
                r.read_exact(&mut body).unwrap();
                got.setup_body = String::from_utf8(body).unwrap();
                got.setup = head;
                reply(&mut w);
                continue;
            }
            assert_eq!(ct, "application/x-wms-pushstart");
            assert_eq!(header_value(&head, "Cookie"), Some(format!("push-id={PUSH_ID}").as_str()));
            assert!(len <= 2_147_483_647, "Length-Remaining {len}");
            got.starts.push(head);
            let mut left = len;
            loop {
                let mut f = [0u8; 4];
                r.read_exact(&mut f).unwrap();
                assert_eq!(f[0], 0x24, "framing byte (B flag 0)");
                let n = u16::from_le_bytes([f[2], f[3]]) as usize;
                let mut p = vec![0u8; n];
                r.read_exact(&mut p).unwrap();
                left -= 4 + n as u64;
                match f[1] {
                    b'H' | b'D' => {
                        assert_eq!(u16::from_le_bytes([p[6], p[7]]) as usize, n, "MMS data packet size");
                        let loc = u32::from_le_bytes(p[..4].try_into().unwrap());
                        if f[1] == b'H' {
                            if loc == 0 {
                                got.header.clear();
                            }
                            got.header.extend_from_slice(&p[8..]);
                        } else {
                            got.locations.push(loc);
                            got.packets.push(p[8..].to_vec());
                        }
                    }
                    b'E' => {
                        assert_eq!(n, 4);
                        got.end_reason = Some(u32::from_le_bytes(p[..4].try_into().unwrap()));
                        reply(&mut w);
                        return got;
                    }
                    other => panic!("unexpected chunk type {other}"),
                }
                if left == 0 {
                    reply(&mut w);
                    break;
                }
            }
        }
    });
    (port, t)
}

/// Serve `bytes` over plain HTTP on loopback to whoever asks, until the returned flag
/// is set (the receiver "serves what it received" to ffmpeg).
fn serve_bytes(bytes: Vec<u8>) -> (u16, Arc<std::sync::atomic::AtomicBool>) {
    use std::io::{BufRead, BufReader, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    l.set_nonblocking(true).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let st = Arc::clone(&stop);
    std::thread::spawn(move || {
        let t0 = Instant::now();
        while !st.load(std::sync::atomic::Ordering::Relaxed) && t0.elapsed() < Duration::from_secs(120) {
            match l.accept() {
                Ok((s, _)) => {
                    s.set_nonblocking(false).unwrap();
                    let mut r = BufReader::new(s.try_clone().unwrap());
                    let mut line = String::new();
                    while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) && line != "\r\n" {
                        line.clear();
                    }
                    let mut s = s;
                    let head =
                        format!("HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n", bytes.len());
                    let _ = s.write_all(head.as_bytes()).and_then(|_| s.write_all(&bytes));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    (port, stop)
}

/// IWMWriterPushSink: the writer feeds a file sink and a push sink; the test receiver
/// (the server side of MS-WMHTTP) gets the PushSetup with AutoDestroy and the template,
/// then one PushStart stream with the header, every packet in order and `$E`; served
/// back over HTTP, ffprobe counts the same packets per stream as the file sink's and
/// ffmpeg decodes it without a message.
#[test]
fn push_sink_delivers_the_complete_stream_to_a_publishing_point() {
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    use wmwriter::sink::push::PushSink;
    let dir = TempDir::new("push-sink");
    let (profile, samples) = source(&dir);
    let (port, receiver) = push_receiver();
    let push = PushSink::new();
    push.connect(&format!("http://127.0.0.1:{port}/live/point"), Some("http://127.0.0.1/template"), true).unwrap();
    assert_eq!(push.push_id().as_deref(), Some(PUSH_ID));
    let file = dir.path("file.wmv");
    let mut w = Writer::new();
    w.set_profile(&profile).unwrap();
    w.set_output_filename(file.to_str().unwrap()).unwrap();
    let sink = Arc::new(WriterSink::push(push.clone()));
    assert!(sink.is_real_time(), "a push sink is real time");
    w.add_sink(sink).unwrap();
    w.set_input_props(0, None).unwrap();
    w.set_input_props(1, None).unwrap();
    w.begin_writing().unwrap();
    write_samples(&mut w, &samples);
    w.end_writing().unwrap();
    let got = receiver.join().unwrap();
    push.disconnect();

    assert!(got.setup_body.contains("AutoDestroy: 1\r\n"), "setup body {:?}", got.setup_body);
    assert!(got.setup_body.contains("Template-URL: http://127.0.0.1/template\r\n"), "setup body {:?}", got.setup_body);
    assert_eq!(got.starts.len(), 1, "one PushStart request");
    assert_eq!(got.end_reason, Some(0), "the stream ended with $E, reason 0");
    assert_eq!(got.locations, (0..got.packets.len() as u32).collect::<Vec<_>>(), "$D LocationId = packet number");
    let bytes = std::fs::read(&file).unwrap();
    let header_len = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize + 50;
    let count = u64::from_le_bytes(bytes[30 + 56..30 + 64].try_into().unwrap()) as usize;
    assert_eq!(got.packets.len(), count, "every data packet of the file sink was pushed");
    let ps = got.packets[0].len();
    assert!(got.packets.iter().zip(bytes[header_len..].chunks(ps)).all(|(a, b)| a == b), "pushed packets equal the file's");
    assert_eq!(got.header.len(), header_len, "the live header has the file header's length");

    let mut stream = got.header.clone();
    got.packets.iter().for_each(|p| stream.extend_from_slice(p));
    let (hport, stop) = serve_bytes(stream);
    let url = format!("http://127.0.0.1:{hport}/pushed.asf");
    let (_, fp) = ffprobe_packets(&file, false);
    let (_, pp) = ffprobe_packets(std::path::Path::new(&url), false);
    let want = counts(&fp);
    assert!(want.0 > 200 && want.1 == 250, "file sink: {want:?} (audio, video) packets");
    assert_eq!(counts(&pp), want, "pushed stream: (audio, video) packet counts equal the file sink's");
    // A live stream's header has no duration (the broadcast layout), so ffmpeg says it
    // estimates one; nothing else may be printed.
    let r =
        run("ffmpeg", &["-hide_banner", "-nostdin", "-v", "warning", "-guess_layout_max", "0", "-i", &url, "-map", "0", "-f", "null", "-"])
            .ok();
    let other: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty() && !l.contains("Estimating duration from bitrate")).collect();
    assert!(other.is_empty(), "ffmpeg printed: {other:?}");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    eprintln!("push sink: {} packets of {ps} bytes + {header_len}-byte header pushed; (audio, video) = {want:?}", got.packets.len());
}

/// The push sink's errors: a URL that is not http:// with a publishing point is
/// NS_E_INVALID_NAME; a server that is not listening, or one that is not a Windows Media
/// server (no Cougar token), fails connect with a message; an unconnected push sink is
/// refused by begin_writing and leaves no file.
#[test]
fn push_sink_refuses_bad_urls_and_servers() {
    use std::io::{Read, Write};
    use wmwriter::error::ErrorKind;
    use wmwriter::sink::push::PushSink;
    let p = PushSink::new();
    for bad in ["mms://127.0.0.1/p", "http://127.0.0.1", "http://127.0.0.1:99999/p", "http://no host/p"] {
        assert_eq!(p.connect(bad, None, false).unwrap_err().kind, ErrorKind::InvalidName, "{bad}");
    }
    // A port nobody listens on: found free on 127.0.0.1, used on 127.0.0.3 (the other
    // tests' servers, running in parallel, bind 127.0.0.1 and may take the same number).
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let e = p.connect(&format!("http://127.0.0.3:{free}/p"), None, false).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Fail);
    assert!(e.message.contains("cannot connect"), "{}", e.message);
    // A plain web server.
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let t = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        let mut b = [0u8; 4096];
        let _ = s.read(&mut b);
        s.write_all(b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n").unwrap();
    });
    let e = p.connect(&format!("http://127.0.0.1:{port}/p"), None, false).unwrap_err();
    t.join().unwrap();
    assert!(e.message.contains("not a Windows Media server"), "{}", e.message);
    assert!(!p.is_connected());

    let dir = TempDir::new("push-unconnected");
    let mut prof = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(1, 8000, 16));
    a.bitrate = 128_000;
    a.connection_name = "Audio".into();
    prof.add_stream(a).unwrap();
    let mut w = Writer::new();
    w.set_profile(&prof).unwrap();
    let f = dir.path("never.asf");
    w.set_output_filename(f.to_str().unwrap()).unwrap();
    w.add_sink(Arc::new(WriterSink::push(PushSink::new()))).unwrap();
    let e = w.begin_writing().unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotConfigured, "{}", e.message);
    assert!(e.message.contains("not connected"), "{}", e.message);
    assert!(!f.exists(), "no file is left by the refused begin_writing");
}
