//! `IWMWriterFileSink3`: unbuffered I/O (`O_DIRECT`) gives the same bytes as buffered
//! I/O; `complete_operations` puts everything accepted on the disk (the staged tail
//! too); a FIFO falls back to buffered I/O and says why.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::sync::Arc;

use common::*;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::sink::WriterSink;
use wmwriter::writer::Writer;

const SEC: u64 = 10_000_000;

fn profile() -> ProfileData {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(wmwriter::guid::sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44100, 16));
    a.bitrate = 44100 * 4 * 8;
    p.add_stream(a).unwrap();
    p
}

/// 5 s of PCM to `full` (buffered, set_output_filename) and to each of `sinks`;
/// `mid` runs after 2.5 s.
fn write(full: &std::path::Path, sinks: &[Arc<WriterSink>], mut mid: impl FnMut()) {
    let mut w = Writer::new();
    w.set_profile(&profile()).unwrap();
    w.set_output_filename(full.to_str().unwrap()).unwrap();
    for s in sinks {
        w.add_sink(Arc::clone(s)).unwrap();
    }
    w.begin_writing().unwrap();
    for i in 0..50u64 {
        if i == 25 {
            mid();
        }
        let b = w.allocate_sample(4410 * 4).unwrap();
        b.copy_from(&noise(i + 1, 4410 * 4)).unwrap();
        w.write_sample(0, i * SEC / 10, 0, &b).unwrap();
    }
    w.end_writing().unwrap();
}

#[test]
fn unbuffered_files_equal_buffered_ones_and_complete_operations_reaches_the_disk() {
    let dir = TempDir::new("sink3");
    let full = dir.path("buffered.wma");
    let (u1, u2) = (dir.path("direct.wma"), dir.path("direct-small.wma"));
    let d1 = Arc::new(WriterSink::file(Some(u1.clone())));
    let d2 = Arc::new(WriterSink::file(Some(u2.clone())));
    d1.set_unbuffered_io(true, false).unwrap();
    d2.set_unbuffered_io(true, true).unwrap();
    assert_eq!(d1.unbuffered_io(), (true, None), "before the header: what was asked for");
    let (mut before, mut after, mut accepted, mut small) = (0u64, 0u64, 0u64, 0u64);
    write(&full, &[Arc::clone(&d1), Arc::clone(&d2)], || {
        assert_eq!(d1.unbuffered_io(), (true, None), "O_DIRECT in use on {}", u1.display());
        assert!(d1.set_unbuffered_io(false, false).is_err(), "refused once the header is written");
        before = std::fs::metadata(&u1).unwrap().len();
        small = std::fs::metadata(&u2).unwrap().len();
        d1.complete_operations().unwrap();
        after = std::fs::metadata(&u1).unwrap().len();
        accepted = d1.file_size();
    });
    eprintln!("unbuffered: on disk {before} bytes before complete_operations, {after} after; {accepted} accepted");
    eprintln!("64 KiB staging: {small} bytes on disk at that point");
    assert_eq!(before % 4096, 0, "before: only whole aligned blocks are on the disk");
    assert!(small > 0 && small % (64 << 10) == 0, "64 KiB staging writes whole 64 KiB blocks: {small}");
    assert!(before < accepted, "some bytes were staged");
    assert_eq!(after, accepted, "after complete_operations everything accepted is in the file");
    let a = std::fs::read(&full).unwrap();
    assert_eq!(std::fs::read(&u1).unwrap(), a, "O_DIRECT file = buffered file");
    assert_eq!(std::fs::read(&u2).unwrap(), a, "O_DIRECT (restricted memory) file = buffered file");
    walk_file(&u1);
    if have_tools(&["ffmpeg"]) {
        ffmpeg_clean(&["-guess_layout_max", "0", "-i", u1.to_str().unwrap(), "-f", "null", "-"]);
    }
    // Buffered sinks: complete_operations syncs and returns S_OK too; not writing: nothing to do.
    d1.complete_operations().unwrap();
}

#[test]
fn a_fifo_falls_back_to_buffered_io_and_says_why() {
    let dir = TempDir::new("sink3-fifo");
    let fifo = dir.path("pipe.wma");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let reader = {
        let f = fifo.clone();
        std::thread::spawn(move || std::fs::read(f).unwrap())
    };
    let s = Arc::new(WriterSink::file(Some(fifo.clone())));
    s.set_unbuffered_io(true, false).unwrap();
    let mut seen = None;
    write(&dir.path("full.wma"), &[Arc::clone(&s)], || seen = Some(s.unbuffered_io()));
    let (on, note) = seen.unwrap();
    assert!(!on, "a FIFO cannot be written with O_DIRECT");
    assert!(note.as_deref().unwrap_or("").contains("not a regular file"), "{note:?}");
    let got = reader.join().unwrap();
    assert!(got.len() > 100_000, "the FIFO got the stream ({} bytes)", got.len());
}

/// A flush interval with unbuffered I/O: mid-write the file on disk has a header that
/// counts exactly the packets flushed (the staged copy of the header is updated too, so
/// a later aligned write does not put the old one back), and the finished file is the
/// buffered one.
#[test]
fn flush_interval_with_unbuffered_io_keeps_the_flushed_header_on_disk() {
    let dir = TempDir::new("sink3-flush");
    let full = dir.path("buffered.wma");
    let (a, b) = (dir.path("flush-direct.wma"), dir.path("flush-buffered.wma"));
    let d = Arc::new(WriterSink::file(Some(a.clone())));
    let f = Arc::new(WriterSink::file(Some(b.clone())));
    d.set_unbuffered_io(true, true).unwrap();
    for s in [&d, &f] {
        s.set_flush_interval(200);
        assert_eq!(s.flush_interval(), 200);
    }
    let mut mid = Vec::new();
    write(&full, &[Arc::clone(&d), Arc::clone(&f)], || {
        for (s, p) in [(&d, &a), (&f, &b)] {
            let (packets, bytes) = s.flushed();
            let disk = std::fs::read(p).unwrap();
            let (_, r) = wmwriter::repair::repair(&disk).unwrap();
            mid.push((packets, bytes, r.claimed_packets, r.packets, disk.len()));
            assert!(packets > 0, "flushed by 2.5 s");
            assert_eq!(r.claimed_packets, packets, "{}: the header on disk counts the flushed packets", p.display());
            assert!(r.packets >= packets && disk.len() as u64 >= bytes);
        }
    });
    eprintln!("mid-write (flushed packets, bytes, header on disk says, whole packets on disk, file bytes): {mid:?}");
    let want = std::fs::read(&full).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), want);
    assert_eq!(std::fs::read(&b).unwrap(), want);
}
