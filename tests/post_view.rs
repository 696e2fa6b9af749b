//! IWMWriterPostView on uncompressed streams (issue 18 item 2): the post-view sample is
//! the input sample itself, with its time, in the stream's own format; post view off
//! delivers nothing; the settings' error codes. The written file, decoded by ffmpeg,
//! carries the same bytes the post view delivered.

mod common;

use std::path::Path;

use common::*;
use wmwriter::error::ErrorKind;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::{PostViewSample, Writer};

const MS: u64 = 10_000;

/// Stream 1: PCM 44.1 kHz stereo 16-bit ("Audio"); stream 2: raw I420 64×48 at 10 fps ("Video").
fn profile() -> ProfileData {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44100, 16));
    a.bitrate = 44100 * 4 * 8;
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    v.media_type = Some(MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 64, 48, 1_000_000));
    v.bitrate = 64 * 48 * 12 * 10;
    v.connection_name = "Video".into();
    p.add_stream(v).unwrap();
    p
}

const CHUNK: usize = 4410 * 4; // 100 ms of audio
const FRAME: usize = 64 * 48 * 3 / 2;

/// Write 1 s: 10 audio chunks and 10 frames, interleaved by time; returns (audio, video)
/// input bytes and every post-view sample delivered.
fn write(w: &mut Writer, path: &Path) -> (Vec<u8>, Vec<u8>, Vec<PostViewSample>) {
    w.set_output_filename(path.to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    let (mut audio, mut video, mut post) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..10u64 {
        let a: Vec<u8> = (0..CHUNK).map(|k| ((k as u64 * 7 + i * 13) % 251) as u8).collect();
        let b = w.allocate_sample(CHUNK as u32).unwrap();
        b.copy_from(&a).unwrap();
        w.write_sample(0, i * 100 * MS, 0, &b).unwrap();
        audio.extend_from_slice(&a);
        let v: Vec<u8> = (0..FRAME).map(|k| ((k as u64 * 3 + i * 29) % 253) as u8).collect();
        let b = w.allocate_sample(FRAME as u32).unwrap();
        b.copy_from(&v).unwrap();
        w.write_sample(1, i * 100 * MS, 0, &b).unwrap();
        video.extend_from_slice(&v);
        post.extend(w.take_post_view_samples());
    }
    w.end_writing().unwrap();
    post.extend(w.take_post_view_samples());
    (audio, video, post)
}

#[test]
fn uncompressed_post_view_is_the_input() {
    let dir = TempDir::new("post-view");
    let mut w = Writer::new();
    w.set_profile(&profile()).unwrap();
    // The post-view formats: the stream's own.
    for (n, mt) in [(1u16, MediaType::pcm(2, 44100, 16)), (2, MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 64, 48, 1_000_000))] {
        let formats = w.post_view_formats(n).unwrap();
        assert_eq!(formats.len(), 1);
        assert_eq!(formats[0].subtype, mt.subtype);
        assert_eq!(formats[0].format, mt.format);
        assert_eq!(w.post_view_props(n).unwrap().format, mt.format);
        w.set_post_view_props(n, Some(&formats[0])).unwrap();
    }
    assert!(!w.receive_post_view_samples(1).unwrap());
    w.set_receive_post_view_samples(1, true).unwrap();
    w.set_receive_post_view_samples(2, true).unwrap();
    assert!(w.receive_post_view_samples(1).unwrap() && w.receive_post_view_samples(2).unwrap());
    let f = dir.path("pv.asf");
    let (audio, video, post) = write(&mut w, &f);

    let of = |n: u16| post.iter().filter(|s| s.stream == n).collect::<Vec<_>>();
    let (pa, pv) = (of(1), of(2));
    assert_eq!(pa.len(), 10);
    assert_eq!(pv.len(), 10);
    for (i, s) in pa.iter().enumerate() {
        assert_eq!(s.time, i as u64 * 100 * MS, "audio sample {i}");
        assert_eq!(s.duration, 100 * MS);
        assert_eq!(s.data, audio[i * CHUNK..(i + 1) * CHUNK]);
        assert!(!s.allocate);
    }
    for (i, s) in pv.iter().enumerate() {
        assert_eq!(s.time, i as u64 * 100 * MS, "frame {i}");
        assert_eq!(s.data, video[i * FRAME..(i + 1) * FRAME]);
        assert_eq!(s.flags & 1, 1, "raw frames are clean points");
    }
    let pa_bytes: Vec<u8> = pa.iter().flat_map(|s| s.data.iter().copied()).collect();
    assert_eq!(pa_bytes.len(), audio.len());

    // The file a player reads carries the bytes the post view showed.
    if have_tools(&["ffmpeg"]) {
        let fs = f.to_str().unwrap();
        let decoded = ffmpeg_clean(&["-v", "error", "-i", fs, "-map", "0:a", "-f", "s16le", "-"]);
        assert_eq!(decoded, pa_bytes, "ffmpeg's decoded audio == the post view");
    }

    // Off: nothing, for that stream only.
    w.set_receive_post_view_samples(1, false).unwrap();
    let (_, _, post) = write(&mut w, &dir.path("pv2.asf"));
    assert!(post.iter().all(|s| s.stream == 2), "stream 1 delivered post view while off");
    assert_eq!(post.len(), 10);
    w.set_receive_post_view_samples(2, false).unwrap();
    let (_, _, post) = write(&mut w, &dir.path("pv3.asf"));
    assert!(post.is_empty());
}

#[test]
fn post_view_settings_codes() {
    let mut w = Writer::new();
    assert_eq!(w.set_receive_post_view_samples(1, true).unwrap_err().kind, ErrorKind::NotConfigured);
    assert_eq!(w.post_view_props(1).unwrap_err().kind, ErrorKind::NotConfigured);
    w.set_profile(&profile()).unwrap();
    assert_eq!(w.set_receive_post_view_samples(3, true).unwrap_err().kind, ErrorKind::InvalidArg);
    assert_eq!(w.post_view_formats(9).unwrap_err().kind, ErrorKind::InvalidArg);
    assert_eq!(w.allocate_for_post_view(0).unwrap_err().kind, ErrorKind::InvalidArg);
    // Not a post-view format of stream 1.
    let e = w.set_post_view_props(1, Some(&MediaType::pcm(1, 8000, 16))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidInputFormat, "{}", e.message);
    assert!(!w.allocate_for_post_view(2).unwrap());
    w.set_allocate_for_post_view(2, true).unwrap();
    assert!(w.allocate_for_post_view(2).unwrap());
    w.set_receive_post_view_samples(2, true).unwrap();
    // Props only before begin_writing.
    let dir = TempDir::new("post-view-codes");
    w.set_output_filename(dir.path("a.asf").to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    let mt = w.post_view_props(1).unwrap();
    assert_eq!(w.set_post_view_props(1, Some(&mt)).unwrap_err().kind, ErrorKind::InvalidRequest);
    let b = w.allocate_sample(FRAME as u32).unwrap();
    b.copy_from(&vec![7u8; FRAME]).unwrap();
    w.write_sample(1, 0, 0, &b).unwrap();
    let post = w.take_post_view_samples();
    assert_eq!(post.len(), 1);
    assert!(post[0].allocate, "allocate-for-post-view travels with the sample");
    w.end_writing().unwrap();
    // set_profile clears the settings.
    w.set_profile(&profile()).unwrap();
    assert!(!w.receive_post_view_samples(2).unwrap() && !w.allocate_for_post_view(2).unwrap());
}
