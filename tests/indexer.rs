//! Auto-indexing control (`wm_writer_file_sink_set_auto_indexing`) and the indexer
//! (`wmwriter::indexer`, IWMIndexer): a file written without an index gets one; after
//! it, independent readers (ffprobe, ffmpeg) read every packet, ffmpeg reads the index
//! entries and `ffmpeg -ss 2` lands on frame 50 of a 25 fps file. Also on a file made
//! by `ffmpeg -f asf`, and the file is byte-identical after a cancel or a failure.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::reader;
use wmwriter::sink::WriterSink;
use wmwriter::writer::{Writer, SF_CLEANPOINT};

const SEC: u64 = 10_000_000;
const FPS: u64 = 25;
const FRAMES: u64 = 150; // 6 s

/// A 6 s, 25 fps WMV2 file made by FFmpeg (key frame every 25): the source of the
/// frames our writer stores in passthrough, and the reference the decoded frames are
/// compared with.
struct Source {
    path: std::path::PathBuf,
    /// The stream's BITMAPINFOHEADER (+ WMV2 extradata).
    bih: Vec<u8>,
    /// (key, bytes) per frame in order.
    frames: Vec<(bool, Vec<u8>)>,
}

fn ffmpeg_source(dir: &TempDir, name: &str) -> Source {
    let path = dir.path(name);
    ffmpeg_clean(&["-f", "lavfi", "-i", "testsrc=s=64x48:r=25:d=6", "-c:v", "wmv2", "-g", "25", "-f", "asf", "-y", path.to_str().unwrap()]);
    let bytes = std::fs::read(&path).unwrap();
    let f = reader::read(&bytes).unwrap();
    let bih = f.streams[0].type_specific[11..].to_vec();
    let (start, len) = f.packet_range().unwrap();
    let data = &bytes[start as usize..(start + len) as usize];
    let packets = reader::parse_packets(data, f.packet_size().unwrap() as usize).unwrap();
    let frames: Vec<(bool, Vec<u8>)> = reader::media_objects(&packets, data).unwrap().into_iter().map(|o| (o.key, o.data)).collect();
    assert_eq!(frames.len() as u64, FRAMES);
    assert_eq!(frames.iter().filter(|f| f.0).count() as u64, FRAMES / 25, "FFmpeg made a key frame every 25");
    Source { path, bih, frames }
}

/// The source's frames through our writer (WMV2 passthrough) into `path`.
fn write_video(src: &Source, path: &Path, auto_index: bool) {
    write_video_with(src, path, auto_index, false)
}

/// `WMT_TIMECODE_EXTENSION_DATA` for frame `f`: range (changes at frame 100), time code
/// 0x01SSFFFF-style BCD (hh 01, ss, ff), user bits, flags.
fn timecode(f: usize) -> (u16, u32, Vec<u8>) {
    let bcd = |v: usize| ((v / 10) << 4 | (v % 10)) as u32;
    let range: u16 = if f < 100 { 0 } else { 1 };
    let tc = 0x0100_0000 | bcd(f / 25) << 8 | bcd(f % 25);
    let mut v = Vec::new();
    v.extend_from_slice(&range.to_le_bytes());
    v.extend_from_slice(&tc.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    (range, tc, v)
}

/// [`write_video`], optionally with a time code on every frame (payload extension).
fn write_video_with(src: &Source, path: &Path, auto_index: bool, timecodes: bool) {
    let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 64, 48, (SEC / FPS) as i64);
    mt.subtype = sdk::WMMEDIASUBTYPE_WMV2;
    mt.fixed_size_samples = false;
    mt.temporal_compression = true;
    mt.sample_size = 0;
    mt.format.truncate(48);
    mt.format.extend_from_slice(&src.bih);
    let mut p = ProfileData::new(0x0009_0000);
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
    v.media_type = Some(mt);
    v.bitrate = 200_000;
    v.connection_name = "Video".into();
    if timecodes {
        v.add_data_unit_extension(wmwriter::profile::DataUnitExtension {
            system_id: sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE,
            data_size: 14,
            info: vec![],
        });
    }
    p.add_stream(v).unwrap();
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    let sink = Arc::new(WriterSink::file(Some(path.to_path_buf())));
    sink.set_auto_indexing(auto_index).unwrap();
    assert_eq!(sink.auto_indexing(), auto_index);
    w.add_sink(sink.clone()).unwrap();
    w.set_input_props(0, None).unwrap();
    w.begin_writing().unwrap();
    assert!(sink.set_auto_indexing(true).is_err(), "auto-indexing cannot change while writing");
    for (i, (key, data)) in src.frames.iter().enumerate() {
        let b = w.allocate_sample(data.len() as u32).unwrap();
        b.copy_from(data).unwrap();
        if timecodes {
            b.set_property(sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE, &timecode(i).2).unwrap();
        }
        let flags = if *key { SF_CLEANPOINT } else { 0 };
        w.write_stream_sample(1, i as u64 * SEC / FPS, SEC / FPS, flags, &b).unwrap();
    }
    w.end_writing().unwrap();
    assert_eq!(sink.file_size(), std::fs::metadata(path).unwrap().len(), "get_file_size = the bytes in the file");
}

/// ffprobe: exact packet count and key frames, nothing printed; every frame decodes
/// without a warning.
fn check_packets(path: &Path) {
    let (_, pkts) = ffprobe_packets(path, false);
    assert_eq!(pkts.len() as u64, FRAMES, "ffprobe reads every packet");
    assert_eq!(pkts.iter().filter(|p| p.key).count() as u64, FRAMES / 25, "a key frame every 25");
    ffmpeg_clean(&["-i", path.to_str().unwrap(), "-f", "null", "-"]);
}

#[test]
fn auto_indexing_off_writes_no_index_and_clears_seekable() {
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("idx-auto");
    let src = ffmpeg_source(&dir, "src.asf");
    let (on, off) = (dir.path("on.wmv"), dir.path("off.wmv"));
    write_video(&src, &on, true);
    write_video(&src, &off, false);
    let (b_on, b_off) = (std::fs::read(&on).unwrap(), std::fs::read(&off).unwrap());
    let (r_on, r_off) = (reader::read(&b_on).unwrap(), reader::read(&b_off).unwrap());
    assert_eq!(r_on.simple_indexes.len(), 1, "default: one Simple Index Object for the video stream");
    assert!(r_off.index_objects.is_empty() && r_off.simple_indexes.is_empty(), "auto-indexing off: no index object");
    // The independent walker agrees: nothing after the Data Object.
    let l = asf::walk(&b_off);
    assert!(l.simple_indexes.is_empty(), "the walker finds no Simple Index");
    let (p_on, p_off) = (r_on.props.clone().unwrap(), r_off.props.clone().unwrap());
    assert_eq!(p_off.file_size, b_off.len() as u64, "File Properties' size is the file without an index");
    assert_eq!(p_on.file_size, b_on.len() as u64);
    assert_eq!(b_on.len() - b_off.len(), r_on.simple_indexes[0].entries.len() * 6 + 56);
    assert_eq!(p_on.flags & 2, 2, "indexed: seekable");
    assert_eq!(p_off.flags & 3, 0, "a video file without an index is not seekable (ASF spec), and not broadcast");
    assert_eq!(p_off.data_packets, p_on.data_packets);
    // The packets are the same bytes.
    let d = r_off.packet_range().unwrap();
    assert_eq!(b_off[d.0 as usize..], b_on[d.0 as usize..(d.0 + d.1) as usize]);
    check_packets(&off);
    check_packets(&on);
}

/// The C functions: default on, set/get, NULLs, not while writing, not on a callback sink.
#[test]
fn auto_indexing_ffi_contract() {
    use wmwriter::ffi::hresult::{E_INVALIDARG, E_POINTER, NS_E_INVALID_REQUEST, S_OK};
    use wmwriter::ffi::sink::*;
    unsafe {
        let mut s: *mut WriterSink = std::ptr::null_mut();
        assert_eq!(wm_create_writer_file_sink(&mut s), S_OK);
        let mut on = -1;
        assert_eq!(wm_writer_file_sink_get_auto_indexing(s, &mut on), S_OK);
        assert_eq!(on, 1, "default TRUE");
        assert_eq!(wm_writer_file_sink_set_auto_indexing(s, 0), S_OK);
        assert_eq!(wm_writer_file_sink_get_auto_indexing(s, &mut on), S_OK);
        assert_eq!(on, 0);
        assert_eq!(wm_writer_file_sink_get_auto_indexing(s, std::ptr::null_mut()), E_INVALIDARG);
        assert_eq!(wm_writer_file_sink_get_auto_indexing(std::ptr::null_mut(), &mut on), E_POINTER);
        assert_eq!(on, 0, "out-param 0 on failure");
        assert_eq!(wm_writer_file_sink_set_auto_indexing(std::ptr::null_mut(), 1), E_POINTER);
        unsafe extern "C" fn unit(_: *mut std::ffi::c_void, _: *const u8, _: u32) -> i32 {
            0
        }
        let cb = WMWriterSinkCallbacks {
            context: std::ptr::null_mut(),
            on_header: None,
            on_data_unit: Some(unit),
            on_end_writing: None,
            can_seek: 1,
            destroy: None,
        };
        let mut c: *mut WriterSink = std::ptr::null_mut();
        assert_eq!(wm_create_writer_callback_sink(&cb, &mut c), S_OK);
        assert_eq!(wm_writer_file_sink_set_auto_indexing(c, 0), NS_E_INVALID_REQUEST, "not a file sink");
        wm_writer_sink_release(c);
        wm_writer_sink_release(s);
    }
}

// ---------------------------------------------------------------------------------
// The indexer (wmwriter::indexer).

use std::sync::atomic::AtomicBool;
use wmwriter::error::ErrorKind;
use wmwriter::indexer::{self, FailPoint, IndexConfig};

/// Frame `n` decoded from `src` (no seeking), raw yuv420p.
fn decoded_frame(src: &Path, n: u32) -> Vec<u8> {
    let sel = format!("select=eq(n\\,{n})");
    ffmpeg_clean(&["-i", src.to_str().unwrap(), "-vf", &sel, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"])
}

/// The first frame `ffmpeg -ss 2 -i f -frames:v 1` gives, raw yuv420p.
fn seek_frame(f: &Path, extra: &[&str]) -> Vec<u8> {
    let mut a = vec!["-ss", "2"];
    a.extend_from_slice(extra);
    a.extend_from_slice(&["-i", f.to_str().unwrap(), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]);
    ffmpeg_clean(&a)
}

/// The packet number (from ffprobe's byte positions) where video frame `n` starts.
fn packet_of_frame(f: &Path, n: usize) -> u64 {
    let j = ffprobe_json(f, &["-show_packets"]);
    let p = &j.get("packets").arr()[n];
    let pos: u64 = p.get("pos").str().map(|s| s.parse().unwrap()).or(p.get("pos").int().map(|v| v as u64)).unwrap();
    let l = asf::walk(&std::fs::read(f).unwrap());
    (pos - l.header_size as u64 - 50) / l.props.max_packet as u64
}

/// The Simple Index entries ffmpeg reads (its debug log): (packet, pts ms without preroll).
fn ffmpeg_index(f: &Path) -> Vec<(u64, i64)> {
    let r = run(
        "ffmpeg",
        &["-hide_banner", "-nostdin", "-v", "debug", "-ss", "2", "-i", f.to_str().unwrap(), "-frames:v", "1", "-f", "null", "-"],
    )
    .ok();
    r.stderr
        .lines()
        .filter_map(|l| {
            let i = l.find("pktnum:")?;
            let rest = &l[i + 7..];
            let pkt: u64 = rest.split(',').next()?.trim().parse().ok()?;
            let pts: i64 = rest.rsplit("pts:").next()?.trim().parse().ok()?;
            Some((pkt, pts))
        })
        .collect()
}

/// Everything the indexed file must show to independent readers.
fn check_indexed(f: &Path, src: &Source) {
    let bytes = std::fs::read(f).unwrap();
    let l = asf::walk(&bytes); // sizes, counts, index entries in range, max packet count
    l.check_simple_indexes(&bytes); // entries = last key frame at or before each time
    assert_eq!(l.simple_indexes.len(), 1, "one Simple Index Object for the one video stream");
    assert_eq!(l.props.file_size, bytes.len() as u64);
    assert_eq!(l.props.flags & 2, 2, "seekable after indexing");
    let ix = &l.simple_indexes[0];
    assert_eq!(ix.interval, indexer::DEFAULT_INTERVAL);
    check_packets(f);
    // ffmpeg reads the index: its last entry at or before 2 s (times without preroll)
    // points at the packet where the key frame at or before that time starts (a key
    // frame every second: frame 25 × whole seconds).
    let entries = ffmpeg_index(f);
    assert!(entries.len() >= 5, "ffmpeg read too few index entries from {}: {entries:?}", f.display());
    let at2 = entries.iter().rev().find(|e| e.1 <= 2000).unwrap_or_else(|| panic!("no entry at or before 2 s: {entries:?}"));
    let key = 25 * (at2.1.max(0) / 1000) as usize;
    assert_eq!(at2.0, packet_of_frame(f, key), "ffmpeg's index entry {at2:?} points at frame {key}'s packet: {entries:?}");
    for e in &entries {
        let key = 25 * (e.1.max(0) / 1000) as usize;
        assert_eq!(e.0, packet_of_frame(f, key), "entry {e:?} → frame {key}: {entries:?}");
    }
    // And seeking lands on frame 50, exactly the source's frame 50.
    let want = decoded_frame(&src.path, 50);
    assert!(want != decoded_frame(&src.path, 49), "frames 49 and 50 differ (the comparison can fail)");
    assert!(seek_frame(f, &[]) == want, "ffmpeg -ss 2 lands on frame 50 of {}", f.display());
    if at2.1 == 2000 {
        // (Our files: preroll 3000 ms, an entry exactly at 2 s.) Without accurate
        // seeking ffmpeg starts at the key frame that entry gives.
        assert!(seek_frame(f, &["-noaccurate_seek"]) == want, "-noaccurate_seek -ss 2 gives frame 50");
    }
}

fn no_cancel() -> AtomicBool {
    AtomicBool::new(false)
}

#[test]
fn indexing_our_file_written_without_index() {
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("idx-ours");
    let src = ffmpeg_source(&dir, "src.asf");
    let (on, off) = (dir.path("on.wmv"), dir.path("off.wmv"));
    write_video(&src, &on, true);
    write_video(&src, &off, false);
    let before = std::fs::read(&off).unwrap();
    let mut seen = Vec::new();
    let s = indexer::index_file(&off, &IndexConfig::default(), &mut |p| seen.push(p), &no_cancel()).unwrap();
    assert_eq!(seen.first(), Some(&0));
    assert_eq!(seen.last(), Some(&100));
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "progress rises: {seen:?}");
    assert_eq!(s.indexed_streams, vec![1]);
    assert_eq!(s.replaced, 0);
    assert!(s.seekable);
    assert_eq!(s.old_len, before.len() as u64);
    let after = std::fs::read(&off).unwrap();
    assert_eq!(s.new_len, after.len() as u64);
    // The same index the writer makes itself (the file IDs differ, the entries do not).
    let (a, b) = (reader::read(&after).unwrap(), reader::read(&std::fs::read(&on).unwrap()).unwrap());
    assert_eq!(a.simple_indexes[0].entries, b.simple_indexes[0].entries);
    assert_eq!(a.simple_indexes[0].interval, b.simple_indexes[0].interval);
    assert_eq!(a.simple_indexes[0].max_packet_count, b.simple_indexes[0].max_packet_count);
    assert_eq!(a.simple_indexes[0].file_id, a.props.as_ref().unwrap().file_id);
    // Nothing before the index changed except the two File Properties fields.
    let fp = a.objects.iter().find(|o| o.name == "File Properties").unwrap().offset as usize;
    let diff: Vec<usize> = (0..before.len()).filter(|&i| before[i] != after[i]).collect();
    assert!(diff.iter().all(|&i| (fp + 40..fp + 48).contains(&i) || (fp + 88..fp + 92).contains(&i)), "changed bytes {diff:?}");
    check_indexed(&off, &src);
    // Indexing again replaces the index: the same bytes.
    let s2 = indexer::index_file(&off, &IndexConfig::default(), &mut |_| {}, &no_cancel()).unwrap();
    assert_eq!(s2.replaced, 1);
    assert_eq!(std::fs::read(&off).unwrap(), after, "re-indexing gives the same file");
}

#[test]
fn indexing_an_ffmpeg_file_with_and_without_its_index() {
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("idx-ffmpeg");
    let src = ffmpeg_source(&dir, "src.asf");
    // As FFmpeg wrote it (with FFmpeg's own Simple Index): the old index is replaced.
    let with = dir.path("with.asf");
    std::fs::copy(&src.path, &with).unwrap();
    let orig = reader::read(&std::fs::read(&with).unwrap()).unwrap();
    assert_eq!(orig.simple_indexes.len(), 1, "FFmpeg writes a Simple Index");
    let s = indexer::index_file(&with, &IndexConfig::default(), &mut |_| {}, &no_cancel()).unwrap();
    assert_eq!(s.replaced, 1);
    check_indexed(&with, &src);
    // Stripped: cut at the end of the Data Object (FFmpeg's index gone, the header's
    // size now wrong); the indexer adds an index and corrects the size.
    let stripped = dir.path("stripped.asf");
    let b = std::fs::read(&src.path).unwrap();
    let d = orig.data.as_ref().unwrap();
    std::fs::write(&stripped, &b[..(d.offset + d.size) as usize]).unwrap();
    assert!(reader::read(&std::fs::read(&stripped).unwrap()).unwrap().index_objects.is_empty());
    let s = indexer::index_file(&stripped, &IndexConfig::default(), &mut |_| {}, &no_cancel()).unwrap();
    assert_eq!((s.replaced, s.indexed_streams.clone()), (0, vec![1]));
    check_indexed(&stripped, &src);
}

#[test]
fn cancel_and_failures_leave_the_file_byte_identical() {
    if !have_tools(&["ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("idx-cancel");
    let src = ffmpeg_source(&dir, "src.asf");
    for (name, auto) in [("off.wmv", false), ("on.wmv", true)] {
        let f = dir.path(name);
        write_video(&src, &f, auto);
        let before = std::fs::read(&f).unwrap();
        // Cancelled at 30 %.
        let cancel = AtomicBool::new(false);
        let mut last = 0;
        let e = indexer::index_file(
            &f,
            &IndexConfig::default(),
            &mut |p| {
                last = p;
                if p >= 30 {
                    cancel.store(true, std::sync::atomic::Ordering::Release);
                }
            },
            &cancel,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Aborted, "{e:?}");
        assert!((30..100).contains(&last), "cancelled mid-way ({last} %)");
        assert_eq!(std::fs::read(&f).unwrap(), before, "{name}: byte-identical after cancel");
        // A write failure after the tail, and after the header patch: restored.
        for fail in [FailPoint::AfterTail, FailPoint::AfterHeader] {
            let cfg = IndexConfig { fail, ..Default::default() };
            let e = indexer::index_file(&f, &cfg, &mut |_| {}, &no_cancel()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::FileWrite, "{e:?}");
            assert!(e.message.contains("restored"), "{}", e.message);
            assert_eq!(std::fs::read(&f).unwrap(), before, "{name}: byte-identical after {fail:?}");
        }
    }
    // Errors: a missing file, and a file that is not ASF (left as it was).
    let e = indexer::index_file(&dir.path("missing.wmv"), &IndexConfig::default(), &mut |_| {}, &no_cancel()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::FileNotFound);
    assert!(!dir.path("missing.wmv").exists(), "the indexer never creates a file");
    let junk = dir.path("junk.wmv");
    std::fs::write(&junk, noise(5, 5000)).unwrap();
    let e = indexer::index_file(&junk, &IndexConfig::default(), &mut |_| {}, &no_cancel()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidData);
    assert_eq!(std::fs::read(&junk).unwrap(), noise(5, 5000));
}

/// The C API on our own file written with auto-indexing off: the callback sequence,
/// then the same evidence (ffmpeg reads the index, -ss 2 lands on frame 50).
#[test]
fn c_api_indexes_our_file_written_without_index() {
    use std::sync::Mutex;
    use wmwriter::ffi::hresult::{E_ABORT, S_OK};
    use wmwriter::ffi::indexer::*;
    use wmwriter::ffi::status::*;
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    static EVENTS: Mutex<Vec<(u32, i32, Option<u32>)>> = Mutex::new(Vec::new());
    unsafe extern "C" fn cb(_: *mut std::ffi::c_void, st: u32, hr: i32, ty: u32, v: *const u8, n: u32) {
        assert_eq!(ty, 0, "WMT_TYPE_DWORD");
        let val = (!v.is_null() && n == 4).then(|| u32::from_le_bytes(unsafe { *(v as *const [u8; 4]) }));
        EVENTS.lock().unwrap().push((st, hr, val));
    }
    let dir = TempDir::new("idx-capi");
    let src = ffmpeg_source(&dir, "src.asf");
    let f = dir.path("off.wmv");
    write_video(&src, &f, false);
    assert!(reader::read(&std::fs::read(&f).unwrap()).unwrap().index_objects.is_empty());
    let path = std::ffi::CString::new(f.to_str().unwrap()).unwrap();
    unsafe {
        let mut ix: *mut WMIndexer = std::ptr::null_mut();
        assert_eq!(wm_create_indexer(&mut ix), S_OK);
        assert_eq!(wm_indexer_start_indexing(ix, path.as_ptr(), Some(cb), std::ptr::null_mut()), S_OK);
        assert_eq!(wm_indexer_wait(ix, 60_000), S_OK);
        let ev = std::mem::take(&mut *EVENTS.lock().unwrap());
        assert_eq!(ev.first(), Some(&(WMT_STARTED, S_OK, None)));
        assert_eq!(ev.last(), Some(&(WMT_CLOSED, S_OK, None)));
        let pct: Vec<u32> = ev[1..ev.len() - 1]
            .iter()
            .map(|e| {
                assert_eq!(e.0, WMT_INDEX_PROGRESS);
                e.2.unwrap()
            })
            .collect();
        assert_eq!(pct.first(), Some(&0));
        assert_eq!(pct.last(), Some(&100));
        assert!(pct.windows(2).all(|w| w[0] < w[1]), "{pct:?}");
        check_indexed(&f, &src);
        // Cancel from another thread while it runs: WMT_CLOSED E_ABORT or (if it was
        // already done) S_OK; either way the file is a valid indexed file, and after
        // E_ABORT byte-identical.
        let before = std::fs::read(&f).unwrap();
        assert_eq!(wm_indexer_start_indexing(ix, path.as_ptr(), Some(cb), std::ptr::null_mut()), S_OK);
        assert_eq!(wm_indexer_cancel(ix), S_OK);
        let hr = wm_indexer_wait(ix, 60_000);
        assert!(hr == E_ABORT || hr == S_OK, "{hr:#x}");
        assert_eq!(std::fs::read(&f).unwrap(), before, "re-indexing or cancelling gives the same bytes");
        assert_eq!(wm_indexer_release(ix), 0);
    }
}

/// IWMIndexer2::Configure(WMT_IT_FRAME_NUMBERS): a Media Object Index Object (read back
/// by our reader, entries checked against ffprobe's packet positions) with its Media
/// Object Index Parameters Object in the Header Extension (the header grows: the file is
/// rewritten and renamed); ffmpeg still reads and seeks the file; indexing again with
/// the default removes both (the same bytes as indexing the original); failures leave
/// the file byte-identical and no temporary file behind.
#[test]
fn frame_number_index() {
    use wmwriter::indexer::{IndexType, IndexerType, StreamIndex};
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("idx-frames");
    let src = ffmpeg_source(&dir, "src.asf");
    let off = dir.path("off.wmv");
    write_video(&src, &off, false);
    let original = std::fs::read(&off).unwrap();
    let default = dir.path("default.wmv");
    std::fs::copy(&off, &default).unwrap();
    indexer::index_file(&default, &IndexConfig::default(), &mut |_| {}, &no_cancel()).unwrap();
    for (index_type, code) in [(IndexType::NearestCleanPoint, 3u16), (IndexType::NearestObject, 2)] {
        let f = dir.path("frames.wmv");
        std::fs::write(&f, &original).unwrap();
        let cfg = IndexConfig {
            streams: vec![StreamIndex { stream: 0, indexer_type: IndexerType::FrameNumbers, interval: 10, index_type }],
            ..Default::default()
        };
        // Failures first: the original stays, no temporary file is left.
        for fail in [FailPoint::AfterTail, FailPoint::AfterHeader] {
            let e = indexer::index_file(&f, &IndexConfig { fail, ..cfg.clone() }, &mut |_| {}, &no_cancel()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::FileWrite, "{e:?}");
            assert_eq!(std::fs::read(&f).unwrap(), original, "byte-identical after {fail:?}");
            let names: Vec<String> =
                std::fs::read_dir(&dir.0).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            assert!(!names.iter().any(|n| n.contains("wmwriter-index")), "a temporary file was left: {names:?}");
        }
        let s = indexer::index_file(&f, &cfg, &mut |_| {}, &no_cancel()).unwrap();
        assert_eq!(s.indexed_streams, vec![1]);
        let bytes = std::fs::read(&f).unwrap();
        let r = reader::read(&bytes).unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.media_object_index_parameters, vec![(10, vec![(1, code)])], "parameters in the Header Extension");
        assert_eq!(r.media_object_indexes.len(), 1);
        let m = &r.media_object_indexes[0];
        assert_eq!((m.interval, m.specifiers.clone()), (10, vec![(1, code)]));
        assert_eq!(m.blocks.len(), 1);
        assert_eq!(m.blocks[0].0, vec![0], "block position: the first data packet");
        let rows = &m.blocks[0].1;
        assert_eq!(rows.len(), 15, "150 frames, every 10th");
        let ps = r.packet_size().unwrap() as u64;
        for (i, row) in rows.iter().enumerate() {
            let frame = 10 * i;
            let target = if code == 3 { 25 * (frame / 25) } else { frame };
            assert_eq!(row[0] as u64, packet_of_frame(&f, target) * ps, "entry {i} (frame {frame}) → the packet of frame {target}");
        }
        assert_eq!(r.simple_indexes.len(), 1, "the temporal index as well");
        check_indexed(&f, &src);
        // Indexing again with the default: the frame index and its parameters go.
        let s = indexer::index_file(&f, &IndexConfig::default(), &mut |_| {}, &no_cancel()).unwrap();
        assert_eq!(s.replaced, 2);
        assert!(std::fs::read(&f).unwrap() == std::fs::read(&default).unwrap(), "back to the default-indexed bytes");
    }
}

/// IWMIndexer2::Configure(WMT_IT_TIMECODE): a Timecode Index Object from the samples'
/// time codes (a block per range; entries → the key frame's packet), its parameters in
/// the Header Extension, read back by our reader; ffmpeg still seeks. A stream without
/// time codes is refused and left as it was.
#[test]
fn timecode_index() {
    use wmwriter::indexer::{IndexType, IndexerType, StreamIndex};
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("idx-tc");
    let src = ffmpeg_source(&dir, "src.asf");
    let cfg = IndexConfig {
        streams: vec![StreamIndex {
            stream: 1,
            indexer_type: IndexerType::Timecode,
            interval: 5,
            index_type: IndexType::NearestCleanPoint,
        }],
        ..Default::default()
    };
    // No time codes in the file: refused, untouched.
    let plain = dir.path("plain.wmv");
    write_video(&src, &plain, false);
    let before = std::fs::read(&plain).unwrap();
    let e = indexer::index_file(&plain, &cfg, &mut |_| {}, &no_cancel()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidRequest, "{e:?}");
    assert_eq!(std::fs::read(&plain).unwrap(), before);
    // With time codes.
    let f = dir.path("tc.wmv");
    write_video_with(&src, &f, false, true);
    indexer::index_file(&f, &cfg, &mut |_| {}, &no_cancel()).unwrap();
    let bytes = std::fs::read(&f).unwrap();
    let r = reader::read(&bytes).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.timecode_index_parameters, vec![(5, vec![(1, 3)])]);
    assert_eq!(r.timecode_indexes.len(), 1);
    let t = &r.timecode_indexes[0];
    assert_eq!(t.specifiers, vec![(1, 3)]);
    assert_eq!(t.blocks.len(), 2, "a block per time-code range");
    assert_eq!((t.blocks[0].0, t.blocks[0].2.len()), (0, 20), "frames 0..100, every 5th");
    assert_eq!((t.blocks[1].0, t.blocks[1].2.len()), (1, 10), "frames 100..150, every 5th");
    let ps = r.packet_size().unwrap() as u64;
    let all: Vec<&(u32, Vec<u32>)> = t.blocks.iter().flat_map(|b| b.2.iter()).collect();
    for (i, (tc, offs)) in all.iter().enumerate() {
        let frame = 5 * i;
        assert_eq!(*tc, timecode(frame).1, "entry {i}: frame {frame}'s time code");
        assert_eq!(offs[0] as u64, packet_of_frame(&f, 25 * (frame / 25)) * ps, "entry {i} → the key frame at or before frame {frame}");
    }
    assert_eq!(t.blocks[0].1, vec![0]);
    check_indexed(&f, &src);
}
