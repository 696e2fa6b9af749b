//! A 10 s WMV2 + WMA2 source made by ffmpeg, as a profile and passthrough samples in
//! time order (shared by the network and VLC tests).
#![allow(dead_code)]

use super::common::*;
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::SF_CLEANPOINT;

const MS: u64 = 10_000;
const SEC: u64 = 10_000_000;

fn le16(v: u16) -> [u8; 2] {
    v.to_le_bytes()
}
fn le32(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// A 10 s WMV2 (key frame every 25 frames) + WMA2 source made by ffmpeg, as a profile
/// and passthrough samples in time order.
pub fn source(dir: &TempDir) -> (ProfileData, Vec<Sample>) {
    let src = dir.path("src.wmv");
    ffmpeg_clean(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x240:rate=25",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=44100",
        "-t",
        "10",
        "-c:v",
        "wmv2",
        "-g",
        "25",
        "-b:v",
        "400k",
        "-c:a",
        "wmav2",
        src.to_str().unwrap(),
    ]);
    let (streams, pkts) = ffprobe_packets(&src, true);
    let find = |ty: &str| streams.arr().iter().find(|s| s.get("codec_type").str() == Some(ty)).unwrap().clone();
    let (vs, aus) = (find("video"), find("audio"));
    let hex = |j: &json::Json| j.get("extradata").str().map(json::ffprobe_hexdump).unwrap_or_default();
    let tag = |j: &json::Json| u32::from_str_radix(j.get("codec_tag").str().unwrap().trim_start_matches("0x"), 16).unwrap();
    let src_bytes = std::fs::read(&src).unwrap();
    let h = asf::walk_header(&src_bytes);
    let wfx_src = &h.streams.iter().find(|s| s.stream_type == asf::audio_media()).unwrap().type_specific;
    let a_extra = hex(&aus);
    let mut wfx = Vec::new();
    wfx.extend_from_slice(&le16(tag(&aus) as u16));
    wfx.extend_from_slice(&le16(aus.get("channels").int().unwrap() as u16));
    wfx.extend_from_slice(&le32(aus.get("sample_rate").int().unwrap() as u32));
    let a_bitrate = aus.get("bit_rate").int().unwrap() as u32;
    wfx.extend_from_slice(&le32(a_bitrate / 8));
    wfx.extend_from_slice(&wfx_src[12..16]);
    wfx.extend_from_slice(&le16(a_extra.len() as u16));
    wfx.extend_from_slice(&a_extra);
    let audio_mt = MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(tag(&aus)),
        fixed_size_samples: false,
        temporal_compression: false,
        sample_size: 0,
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: wfx,
    };
    let v_extra = hex(&vs);
    let (w, hh) = (vs.get("width").int().unwrap() as i32, vs.get("height").int().unwrap() as i32);
    let frame_time = SEC / 25;
    let mut vih = Vec::new();
    for v in [0, 0, w, hh, 0, 0, w, hh] {
        vih.extend_from_slice(&v.to_le_bytes());
    }
    vih.extend_from_slice(&le32(400_000));
    vih.extend_from_slice(&le32(0));
    vih.extend_from_slice(&(frame_time as i64).to_le_bytes());
    vih.extend_from_slice(&le32(40 + v_extra.len() as u32));
    vih.extend_from_slice(&w.to_le_bytes());
    vih.extend_from_slice(&hh.to_le_bytes());
    vih.extend_from_slice(&le16(1));
    vih.extend_from_slice(&le16(24));
    vih.extend_from_slice(&le32(tag(&vs)));
    vih.extend_from_slice(&le32(0));
    vih.extend_from_slice(&[0u8; 16]);
    vih.extend_from_slice(&v_extra);
    let video_mt = MediaType {
        major_type: sdk::WMMEDIATYPE_VIDEO,
        subtype: Guid::fourcc(tag(&vs)),
        fixed_size_samples: false,
        temporal_compression: true,
        sample_size: 0,
        format_type: sdk::WMFORMAT_VIDEOINFO,
        format: vih,
    };
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(audio_mt);
    a.bitrate = a_bitrate;
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    v.media_type = Some(video_mt);
    v.bitrate = 400_000;
    v.connection_name = "Video".into();
    p.add_stream(v).unwrap();
    let mut order: Vec<(i64, usize)> = pkts.iter().enumerate().map(|(i, p)| (p.ts, i)).collect();
    order.sort();
    let samples = order
        .iter()
        .map(|(_, i)| {
            let p = &pkts[*i];
            let (stream, dur) = if p.codec_type == "audio" { (1, 0) } else { (2, frame_time) };
            Sample::Stream {
                stream,
                time: p.ts as u64 * MS,
                duration: p.duration.map(|d| d as u64 * MS).unwrap_or(dur),
                flags: if p.key { SF_CLEANPOINT } else { 0 },
                data: p.data.clone().unwrap(),
            }
        })
        .collect();
    (p, samples)
}
