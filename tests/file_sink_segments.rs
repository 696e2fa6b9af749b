//! `IWMWriterFileSink2::Start` / `Stop` / `IsStopped` (and `IWMWriterFileSink3`'s
//! control stream): one writer feeds a full file and a segmented one; the segmented file
//! holds exactly the media objects of the full one that lie in its segments, and
//! independent readers accept it (header counts, sizes, durations and index consistent
//! with what was written: our strict walker; ffprobe packet counts; ffmpeg decodes it
//! without a message; `-ss` lands on the right frame through the rebuilt index).

mod common;

use std::sync::Arc;

use common::*;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::sink::WriterSink;
use wmwriter::writer::{Writer, SF_CLEANPOINT};

const MS: u64 = 10_000;
const SEC: u64 = 10_000_000;
const W: i32 = 64;
const H: i32 = 48;
const FPS: u64 = 25;

/// Stream 1 = PCM 44.1 kHz stereo (100 ms objects), stream 2 = RGB24 64×48 at 25 fps.
fn profile() -> (ProfileData, usize) {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44100, 16));
    a.bitrate = 44100 * 4 * 8;
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    let mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_RGB24, W, H, (SEC / FPS) as i64);
    let frame_len = mt.sample_size as usize;
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    v.media_type = Some(mt);
    v.bitrate = (frame_len as u64 * 8 * FPS) as u32;
    v.connection_name = "Video".into();
    p.add_stream(v).unwrap();
    (p, frame_len)
}

/// Samples in time order: (time, input, data).
fn samples(secs: u64, frame_len: usize) -> Vec<(u64, u32, Vec<u8>)> {
    let mut all = Vec::new();
    for i in 0..secs * 10 {
        all.push((i * 100 * MS, 0, noise(i + 1, 4410 * 4)));
    }
    for f in 0..secs * FPS {
        all.push((f * SEC / FPS, 1, noise(10_000 + f, frame_len)));
    }
    all.sort_by_key(|s| (s.0, s.1));
    all
}

/// Write `samples` to a full file sink and to `seg`; `at(time, seg)` runs before each
/// sample is written (to call start/stop while writing).
fn write_both(dir: &TempDir, seg: &Arc<WriterSink>, secs: u64, mut at: impl FnMut(u64, &WriterSink)) -> std::path::PathBuf {
    let (p, frame_len) = profile();
    let full = dir.path("full.wmv");
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    w.set_output_filename(full.to_str().unwrap()).unwrap();
    w.add_sink(Arc::clone(seg)).unwrap();
    w.begin_writing().unwrap();
    for (t, input, data) in samples(secs, frame_len) {
        at(t, seg);
        let b = w.allocate_sample(data.len() as u32).unwrap();
        b.copy_from(&data).unwrap();
        w.write_sample(input, t, if input == 1 { SF_CLEANPOINT } else { 0 }, &b).unwrap();
    }
    w.end_writing().unwrap();
    full
}

fn decode_is_clean(path: &std::path::Path) {
    ffmpeg_clean(&["-guess_layout_max", "0", "-i", path.to_str().unwrap(), "-f", "null", "-"]);
}

/// ffprobe's per-stream packet counts (`-count_packets`), stream order.
fn counts(path: &std::path::Path) -> Vec<i64> {
    let j = ffprobe_json(path, &["-count_packets", "-show_streams"]);
    j.get("streams").arr().iter().map(|s| s.get("nb_read_packets").str().unwrap().parse().unwrap()).collect()
}

#[test]
fn three_segments_make_one_valid_file_of_exactly_those_objects() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("segments");
    let seg_path = dir.path("seg.wmv");
    let seg = Arc::new(WriterSink::file(Some(seg_path.clone())));
    // Stop at 2 s before writing; start at 4 s, stop at 6 s and start at 8 s while writing.
    seg.stop_at(2 * SEC);
    let mut checked_stopped = false;
    let full = write_both(&dir, &seg, 10, |t, s| {
        if t == 3 * SEC && !checked_stopped {
            assert!(s.is_stopped(), "stopped after 2 s");
            checked_stopped = true;
            s.start_at(4 * SEC).unwrap();
            s.stop_at(6 * SEC);
            assert_eq!(s.start_at(5 * SEC).unwrap_err().kind, wmwriter::error::ErrorKind::InvalidRequest, "start before the last stop");
            s.start_at(8 * SEC).unwrap();
        }
        if t == SEC {
            assert!(!s.is_stopped());
        }
    });
    assert!(checked_stopped);

    // Structure: the strict walker checks header counts, sizes, Data Object, packets,
    // index entries against what is in the file.
    let (fb, fl) = walk_file(&full);
    let (sb, sl) = walk_file(&seg_path);
    assert_eq!(sl.props.file_size, sb.len() as u64);
    assert!(
        sl.props.data_packets > 0 && sl.props.data_packets < fl.props.data_packets,
        "{} of {}",
        sl.props.data_packets,
        fl.props.data_packets
    );
    assert_eq!(sl.props.flags & 2, 2, "seekable: the index was rebuilt");
    assert_eq!(sl.simple_indexes.len(), 1);
    assert_eq!(seg.file_size(), sb.len() as u64, "get_file_size = bytes on disk");
    assert_eq!(seg.packets_written(), sl.props.data_packets);
    eprintln!(
        "full: {} packets, {} bytes; segmented: {} packets, {} bytes",
        fl.props.data_packets,
        fb.len(),
        sl.props.data_packets,
        sb.len()
    );

    // Media objects (stream, pt, bytes) in each file, by the walker.
    let objects = |l: &common::asf::Layout, b: &[u8], stream: u8| l.objects(b, stream);
    for stream in [1u8, 2] {
        let f = objects(&fl, &fb, stream);
        let s = objects(&sl, &sb, stream);
        // Every object of the segmented file is the full file's object at that time.
        for (pt, key, data) in &s {
            let m = f.iter().find(|o| o.0 == *pt).unwrap_or_else(|| panic!("stream {stream}: pt {pt} not in the full file"));
            assert_eq!((m.1, &m.2), (*key, data), "stream {stream} pt {pt}");
        }
        let pre = fl.props.preroll_ms as u32;
        let inside = |ms: u32| ms < 2000 || (4000..6000).contains(&ms) || ms >= 8000;
        // Boundaries fall on the first whole packet at/after the time: a few tens of ms late at most.
        let near = |ms: u32| [2000u32, 4000, 6000, 8000].iter().any(|b| ms.abs_diff(*b) <= 150);
        for (pt, _, _) in &f {
            let ms = pt - pre;
            let present = s.iter().any(|o| o.0 == *pt);
            if !near(ms) {
                assert_eq!(present, inside(ms), "stream {stream}: object at {ms} ms present = {present}");
            }
        }
        eprintln!("stream {stream}: {} of {} objects in the segmented file", s.len(), f.len());
    }

    // ffprobe counts exactly the objects the walker found; ffmpeg decodes without a word.
    let want: Vec<i64> = [1u8, 2].iter().map(|s| objects(&sl, &sb, *s).len() as i64).collect();
    assert_eq!(counts(&seg_path), want, "ffprobe -count_packets");
    decode_is_clean(&seg_path);
    decode_is_clean(&full);

    // The rebuilt index: -ss 5 lands on frame 125 (5 s at 25 fps).
    let frame_len = (W * H * 3) as usize;
    let got = ffmpeg_clean(&[
        "-guess_layout_max",
        "0",
        "-ss",
        "5",
        "-i",
        seg_path.to_str().unwrap(),
        "-map",
        "0:v",
        "-frames:v",
        "1",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "bgr24",
        "-",
    ]);
    assert_eq!(got.len(), frame_len);
    let want = noise(10_000 + 125, frame_len);
    // Rows are stored bottom-up; compare as a set of rows.
    let mut a: Vec<&[u8]> = got.chunks(W as usize * 3).collect();
    let mut b: Vec<&[u8]> = want.chunks(W as usize * 3).collect();
    a.sort();
    b.sort();
    assert!(a == b, "ffmpeg -ss 5 did not return frame 125");

    // Duration: the header's play duration covers the last segment's end (10 s).
    let fmt = ffprobe_json(&seg_path, &["-show_format"]);
    let d = fmt.get("format").get("duration").float().unwrap();
    assert!((d - 10.0).abs() < 0.05, "duration {d}");
    assert!(!seg.is_stopped(), "the schedule is reset after end_writing");
}

#[test]
fn stopped_from_the_start_until_a_start_then_control_stream_video() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let dir = TempDir::new("segments-control");
    let seg_path = dir.path("seg.wmv");
    let seg = Arc::new(WriterSink::file(Some(seg_path.clone())));
    seg.set_control_stream(2, true).unwrap();
    assert!(seg.control_stream(2).unwrap());
    assert!(!seg.control_stream(1).unwrap());
    assert!(seg.set_control_stream(64, true).is_err());
    seg.stop_at(0);
    seg.start_at(3 * SEC).unwrap();
    let full = write_both(&dir, &seg, 6, |_, _| {});
    let (_fb, fl) = walk_file(&full);
    let (sb, sl) = walk_file(&seg_path);
    let pre = fl.props.preroll_ms as u32;
    let video = sl.objects(&sb, 2);
    let audio = sl.objects(&sb, 1);
    assert!(!video.is_empty() && !audio.is_empty());
    let first_video = video[0].0 - pre;
    // With video as the control stream the file starts on a video frame at or after 3 s.
    assert!((3000..=3400).contains(&first_video), "first video frame at {first_video} ms");
    assert_eq!((first_video % 40), 0);
    assert!(audio.iter().all(|o| o.0 - pre + 150 >= 3000), "no audio long before the start");
    assert_eq!(video.last().unwrap().0 - pre, 5960, "written to the end");
    let want: Vec<i64> = vec![audio.len() as i64, video.len() as i64];
    assert_eq!(counts(&seg_path), want);
    decode_is_clean(&seg_path);
    eprintln!("control stream: first video frame {first_video} ms, {} video / {} audio objects", video.len(), audio.len());
}
