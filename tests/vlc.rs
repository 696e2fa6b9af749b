//! VLC's own ASF demuxer (Debian `vlc-bin` + `vlc-plugin-base`) reads what the writer
//! makes: a file, and the live stream the network sink serves over `mmsh://` and
//! `http://`. VLC refuses to run as root, so under root it runs as `nobody`.
//!
//! How "plays it" is measured: VLC demuxes with `--demux asf` (its log must say it
//! used the asf module and reached EOF, with no asf demux error) and remuxes what it
//! read with its stream output (`#std{mux=asf}`); ffprobe then lists the packets VLC
//! passed on. VLC's stream output drops a few packets at the very end of any input
//! (libavformat's own ASF file loses about as many) and interleaves with some timing
//! freedom, so per stream VLC's packets must be the file's, in order, all but a few at
//! the end, and as many as it passes on for libavformat's remux of the same packets.

mod av_source;
mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use av_source::source;
use common::*;
use wmwriter::sink::network::NetworkSink;
use wmwriter::sink::WriterSink;
use wmwriter::writer::Writer;

fn vlc_or_skip() -> bool {
    have_tools(&["cvlc", "ffprobe", "ffmpeg"])
}

fn is_root() -> bool {
    stdout_of("id", &["-u"]).trim() == "0"
}

/// A directory VLC (as `nobody`) can read and write.
fn shared_dir(name: &str) -> TempDir {
    let d = TempDir::new(name);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&d.0, std::fs::Permissions::from_mode(0o777)).unwrap();
    d
}

/// Run VLC on `input` (a path or URL): demux as ASF, remux what it read into `out`.
/// `live`: a network stream. Returns VLC's log.
fn vlc_remux(input: &str, out: &Path, live: bool) -> String {
    let sout = format!("#std{{access=file,mux=asf,dst={}}}", out.display());
    let args = ["-I", "dummy", "-vv", "--demux", "asf", "--play-and-exit", "--sout", &sout, input, "vlc://quit"];
    let quoted: Vec<String> = args.iter().map(|a| format!("'{}'", a.replace('\'', "'\\''"))).collect();
    let r = if is_root() {
        let cmd = format!("cvlc {}", quoted.join(" "));
        run_limited("su", &["nobody", "-s", "/bin/sh", "-c", &cmd], &[], Duration::from_secs(90))
    } else {
        run_limited("cvlc", &args, &[], Duration::from_secs(90))
    }
    .unwrap_or_else(|e| panic!("VLC on {input}: {e}"));
    let log = format!("{}{}", r.text(), r.stderr);
    assert!(log.contains("using demux module \"asf\""), "VLC did not use its asf demuxer on {input}:\n{}", tail(&log));
    assert!(log.contains("EOF reached"), "VLC did not reach the end of {input}:\n{}", tail(&log));
    let mut errors: Vec<&str> = log.lines().filter(|l| l.contains("asf demux error") || l.contains("asf demux warning")).collect();
    if live && errors.len() == 1 && errors[0].ends_with("asf demux warning: unexpected end of file") {
        // A live stream's header cannot say where the data ends (its length is not
        // known when it is sent), so VLC's demuxer meets the end of the stream as an
        // unexpected end of file (asfpacket.c, DemuxASFPacket). Once, at the end.
        errors.clear();
    }
    assert!(errors.is_empty(), "VLC's asf demuxer complained about {input}: {errors:?}");
    log
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// (stream, size) of every packet ffprobe lists, per stream in order.
fn packet_list(f: &Path) -> Vec<(String, usize)> {
    let (_, p) = ffprobe_packets(f, false);
    p.iter().map(|p| (p.codec_type.clone(), p.size)).collect()
}

fn sizes(l: &[(String, usize)], ty: &str) -> Vec<usize> {
    l.iter().filter(|p| p.0 == ty).map(|p| p.1).collect()
}

fn count(l: &[(String, usize)], ty: &str) -> usize {
    l.iter().filter(|p| p.0 == ty).count()
}

fn write_passthrough(path: &Path, dir: &TempDir) -> (usize, usize) {
    let (profile, samples) = source(dir);
    write_file(path, &profile, &[0, 1], &samples);
    let l = packet_list(path);
    (count(&l, "audio"), count(&l, "video"))
}

/// A file: VLC's asf demuxer passes on exactly the packets it passes on for
/// libavformat's remux of the same file, and nearly all of the file's packets.
#[test]
fn vlc_reads_a_written_file_as_it_reads_libavformats() {
    if !vlc_or_skip() {
        return;
    }
    let dir = shared_dir("vlc-file");
    let ours = dir.path("ours.wmv");
    let (na, nv) = write_passthrough(&ours, &dir);
    assert!(na > 200 && nv == 250, "{na} audio, {nv} video packets");
    let lavf = dir.path("lavf.asf");
    ffmpeg_clean(&["-guess_layout_max", "0", "-i", ours.to_str().unwrap(), "-map", "0", "-c", "copy", "-f", "asf", lavf.to_str().unwrap()]);
    let (o1, o2) = (dir.path("vlc-ours.asf"), dir.path("vlc-lavf.asf"));
    vlc_remux(ours.to_str().unwrap(), &o1, false);
    vlc_remux(lavf.to_str().unwrap(), &o2, false);
    let (a, b) = (packet_list(&o1), packet_list(&o2));
    let file_list = packet_list(&ours);
    // VLC's stream output interleaves and ends with some timing freedom: per stream,
    // what it passes on is the file's packets in order, all but a few at the end, for
    // our file as for libavformat's.
    for (label, got) in [("our file", &a), ("libavformat's file", &b)] {
        for (ty, slack) in [("audio", 8), ("video", 4)] {
            let (g, f) = (sizes(got, ty), sizes(&file_list, ty));
            assert!(g.len() + slack >= f.len() && g.len() <= f.len(), "VLC on {label}: {} of {} {ty} packets", g.len(), f.len());
            assert_eq!(g[..], f[..g.len()], "VLC on {label}: its {ty} packets are the file's, in order");
        }
    }
    let (va, vv) = (count(&a, "audio"), count(&a, "video"));
    let (la, lv) = (count(&b, "audio"), count(&b, "video"));
    assert!(va.abs_diff(la) <= 4 && vv.abs_diff(lv) <= 2, "VLC passed on {va}/{vv} of ours, {la}/{lv} of libavformat's");
    eprintln!("VLC: file {na}/{nv} (audio/video) packets; VLC passed on {va}/{vv} of ours in order, {la}/{lv} of libavformat's");
}

/// The network sink: VLC pulls the live stream over mmsh:// and http:// while the
/// writer writes it (a file sink beside it); both recordings pass on what VLC passes on
/// for the file sink's file.
#[test]
fn vlc_plays_the_network_sink_over_mmsh_and_http() {
    if !vlc_or_skip() {
        return;
    }
    let dir = shared_dir("vlc-net");
    let (profile, samples) = source(&dir);
    let net = NetworkSink::new();
    let port = net.open(0).unwrap();
    let file = dir.path("file.wmv");
    let mut w = Writer::new();
    w.set_profile(&profile).unwrap();
    w.set_output_filename(file.to_str().unwrap()).unwrap();
    w.add_sink(Arc::new(WriterSink::network(net.clone()))).unwrap();
    w.set_input_props(0, None).unwrap();
    w.set_input_props(1, None).unwrap();
    let outs: Vec<(String, PathBuf)> =
        ["mmsh", "http"].iter().map(|s| (format!("{s}://127.0.0.1:{port}/"), dir.path(&format!("vlc-{s}.asf")))).collect();
    let vlcs: Vec<_> = outs
        .iter()
        .map(|(u, o)| {
            let (u, o) = (u.clone(), o.clone());
            std::thread::spawn(move || vlc_remux(&u, &o, true))
        })
        .collect();
    // The header is out at begin_writing (an MMSH Describe needs it); the samples
    // follow once both VLCs are connected.
    w.begin_writing().unwrap();
    let t0 = Instant::now();
    while net.client_count() < 2 {
        assert!(t0.elapsed() < Duration::from_secs(30), "only {} VLC clients connected", net.client_count());
        std::thread::sleep(Duration::from_millis(20));
    }
    for s in &samples {
        let Sample::Stream { stream, time, duration, flags, data } = s else { unreachable!() };
        let b = w.allocate_sample(data.len() as u32).unwrap();
        b.copy_from(data).unwrap();
        w.write_stream_sample(*stream, *time, *duration, *flags, &b).unwrap();
    }
    w.end_writing().unwrap();
    for v in vlcs {
        v.join().expect("VLC run");
    }
    net.close().unwrap();
    let reference = dir.path("vlc-file.asf");
    vlc_remux(file.to_str().unwrap(), &reference, false);
    let want = packet_list(&reference);
    let file_list = packet_list(&file);
    for (u, o) in &outs {
        let got = packet_list(o);
        for ty in ["audio", "video"] {
            let (g, w, f) = (sizes(&got, ty), sizes(&want, ty), sizes(&file_list, ty));
            // VLC's stream output drops a packet or two at the end, a little more or
            // less depending on timing: the stream gives at least what the file gives,
            // every packet equal to the file's in order.
            assert!(
                g.len() >= w.len() && g.len() <= f.len(),
                "VLC from {u}: {} {ty} packets; from the file {}, the file has {}",
                g.len(),
                w.len(),
                f.len()
            );
            assert_eq!(g[..], f[..g.len()], "VLC from {u}: its {ty} packets are the file's, in order");
        }
    }
    eprintln!(
        "VLC over mmsh:// and http://: {} audio, {} video packets each, as from the file",
        count(&want, "audio"),
        count(&want, "video")
    );
}
