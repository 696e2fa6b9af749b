//! Codec benchmark (see bench/README.md, "Codec pipeline"): the same input encoded by
//! the libavcodec backend's raw path (Encoder::encode with canonical RawInput, on the
//! caller's thread: libavcodec directly, no wmwriter conversion or queue) and through
//! wmwriter's codec::Pipeline (input conversion + worker thread).
//!
//! `bench_codec MODE` with MODE one of: wma-direct, wma-pipeline, wmv-direct,
//! wmv-pipeline, wmv-pipeline-buf, av-inline, av-pipeline. Prints one line: MODE seconds.

use std::time::Instant;

use wmwriter::buffer::SampleBuffer;
use wmwriter::codec::lavc::BACKEND;
use wmwriter::codec::{Backend, EncodedUnit, EncoderConfig, Pipeline, RawInput};
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::media::WaveFormatEx;
use wmwriter::profile::{MediaType, StreamConfigData};

const SEC: u64 = 10_000_000;
// `BENCH_CODEC_SHORT=1` (for valgrind): 5 s of audio, 25 frames.
fn short() -> bool {
    std::env::var_os("BENCH_CODEC_SHORT").is_some()
}
const W: usize = 640;
const H: usize = 480;

fn wma_cfg() -> EncoderConfig {
    let wfx = WaveFormatEx {
        format_tag: 0x161,
        channels: 2,
        samples_per_sec: 44100,
        avg_bytes_per_sec: 16000,
        block_align: 2973,
        bits_per_sample: 16,
        extra: vec![0; 10],
    };
    let mt = MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(0x161),
        fixed_size_samples: true,
        temporal_compression: false,
        sample_size: 2973,
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: wfx.to_bytes(),
    };
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    s.media_type = Some(mt);
    s.bitrate = 128_000;
    EncoderConfig { stream: s, settings: vec![], pass: Default::default() }
}

fn wmv_cfg() -> EncoderConfig {
    let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_WMV2, W as i32, H as i32, 400_000);
    mt.temporal_compression = true;
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    s.media_type = Some(mt);
    s.bitrate = 1_000_000;
    s.buffer_window = 3000;
    s.max_key_frame_spacing = (10 * SEC) as i64;
    EncoderConfig { stream: s, settings: vec![], pass: Default::default() }
}

fn audio_s16() -> Vec<u8> {
    let n = 44100 * if short() { 5 } else { 120 };
    let mut seed = 1u32;
    let mut v = Vec::with_capacity(n * 4);
    for k in 0..n {
        let t = k as f32 / 44100.0;
        for c in 0..2 {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = (seed >> 16) as f32 / 65536.0 - 0.5;
            let x = 0.3 * (2.0 * std::f32::consts::PI * (440.0 + 110.0 * c as f32) * t).sin() + 0.1 * noise;
            v.extend_from_slice(&((x * 32767.0) as i16).to_le_bytes());
        }
    }
    v
}

fn video_frame(i: usize) -> Vec<u8> {
    let mut f = vec![128u8; W * H * 3 / 2];
    for y in 0..H {
        for x in 0..W {
            f[y * W + x] = (((x + 3 * i) ^ (y + i)) & 0xFF) as u8;
        }
    }
    f
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_else(|| "wma-pipeline".into());
    let video_frames: usize = if short() { 25 } else { 500 }; // 20 s at 25 fps
    if let Some(e) = wmwriter::codec::lavc::load_error() {
        eprintln!("no libavcodec: {e}");
        std::process::exit(2);
    }
    let pcm = if mode.starts_with("wma") || mode.starts_with("av") { audio_s16() } else { Vec::new() };
    // 50 distinct frames, cycled (the input's memory stays small next to the encoder's).
    let ring: Vec<Vec<u8>> =
        if mode.starts_with("wmv") || mode.starts_with("av") { (0..50).map(video_frame).collect() } else { Vec::new() };
    let frames: Vec<&Vec<u8>> = if ring.is_empty() { Vec::new() } else { (0..video_frames).map(|i| &ring[i % ring.len()]).collect() };
    let chunk = 4410 * 4; // 100 ms
    let mut out: Vec<EncodedUnit> = Vec::new();
    let t = Instant::now();
    match mode.as_str() {
        "wma-direct" => {
            let mut e = BACKEND.open(&wma_cfg()).unwrap();
            let mut buf = Vec::new();
            for (i, c) in pcm.chunks(chunk).enumerate() {
                buf.clear();
                buf.extend(c.chunks_exact(2).map(|s| (i16::from_le_bytes([s[0], s[1]]) as i32) << 16));
                e.encode(RawInput::Audio(&buf), i as u64 * SEC / 10, &mut out).unwrap();
            }
            e.flush(&mut out).unwrap();
        }
        "wma-pipeline" => {
            let mut p = Pipeline::open(&MediaType::pcm(2, 44100, 16), &wma_cfg()).unwrap();
            for (i, c) in pcm.chunks(chunk).enumerate() {
                p.push(c, i as u64 * SEC / 10, &mut out).unwrap();
            }
            p.finish(&mut out).unwrap();
        }
        "wmv-direct" => {
            let mut e = BACKEND.open(&wmv_cfg()).unwrap();
            for (i, f) in frames.iter().enumerate() {
                e.encode(RawInput::Video(f), i as u64 * 400_000, &mut out).unwrap();
            }
            e.flush(&mut out).unwrap();
        }
        "wmv-pipeline" => {
            let input = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, W as i32, H as i32, 400_000);
            let mut p = Pipeline::open(&input, &wmv_cfg()).unwrap();
            for (i, f) in frames.iter().enumerate() {
                p.push(f, i as u64 * 400_000, &mut out).unwrap();
            }
            p.finish(&mut out).unwrap();
        }
        "wmv-pipeline-buf" => {
            // As the writer would: each sample is a SampleBuffer the worker reads in place.
            let bufs: Vec<std::sync::Arc<SampleBuffer>> = ring
                .iter()
                .map(|f| {
                    let b = std::sync::Arc::new(SampleBuffer::new(f.len() as u32).unwrap());
                    b.copy_from(f).unwrap();
                    b
                })
                .collect();
            let input = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, W as i32, H as i32, 400_000);
            let mut p = Pipeline::open(&input, &wmv_cfg()).unwrap();
            for i in 0..video_frames {
                p.push_buffer(bufs[i % bufs.len()].clone(), i as u64 * 400_000, &mut out).unwrap();
            }
            p.finish(&mut out).unwrap();
        }
        "av-inline" | "av-pipeline" => {
            let vin = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, W as i32, H as i32, 400_000);
            let ain = MediaType::pcm(2, 44100, 16);
            let (mut a, mut v) = if mode == "av-inline" {
                (Pipeline::open_inline(&ain, &wma_cfg()).unwrap(), Pipeline::open_inline(&vin, &wmv_cfg()).unwrap())
            } else {
                (Pipeline::open(&ain, &wma_cfg()).unwrap(), Pipeline::open(&vin, &wmv_cfg()).unwrap())
            };
            // 20 s of A/V, interleaved as a caller would write it: 100 ms audio, then its
            // 2.5 frames of video.
            let audio_chunks = video_frames / 25 * 10;
            let mut vi = 0;
            for (i, c) in pcm.chunks(chunk).take(audio_chunks).enumerate() {
                let t = i as u64 * SEC / 10;
                a.push(c, t, &mut out).unwrap();
                while vi < frames.len() && (vi as u64 * 400_000) < t + SEC / 10 {
                    v.push(frames[vi], vi as u64 * 400_000, &mut out).unwrap();
                    vi += 1;
                }
            }
            a.finish(&mut out).unwrap();
            v.finish(&mut out).unwrap();
        }
        m => {
            eprintln!("unknown mode {m}");
            std::process::exit(2);
        }
    }
    let secs = t.elapsed().as_secs_f64();
    let bytes: usize = out.iter().map(|u| u.data.len()).sum();
    println!("{mode} {secs:.3} s, {} units, {bytes} bytes", out.len());
}
