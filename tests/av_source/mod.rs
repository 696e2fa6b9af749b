//! A 10 s WMV2 + WMA2 source made by ffmpeg, as a profile and passthrough samples in
//! time order (shared by the network and VLC tests), and the profile and samples that
//! pass any such file's packets through (`passthrough`, also used by the remux tests).
#![allow(dead_code)]

use super::common::*;
use std::path::Path;
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
/// A source file's streams as a profile and passthrough samples.
pub struct Passthrough {
    pub profile: ProfileData,
    pub samples: Vec<Sample>,
    /// The source's packets as ffprobe lists them, in file order.
    pub pkts: Vec<Pkt>,
    /// The video and audio codec private bytes.
    pub v_extra: Vec<u8>,
    pub a_extra: Vec<u8>,
    /// The video frame duration (100 ns).
    pub frame_time: u64,
}

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
    let p = passthrough(&src, "source");
    (p.profile, p.samples)
}

/// Rebuild a profile from what ffprobe reports of `src` (an ASF file with one audio and one
/// video stream) and its packets as passthrough samples in time order (file order breaks
/// ties), with what the tests compare against.
pub fn passthrough(src: &Path, name: &str) -> Passthrough {
    let src = src.to_path_buf();

    let (streams, pkts) = ffprobe_packets(&src, true);
    let vs = probe_stream(&streams, "video");
    let aus = probe_stream(&streams, "audio");
    let hex = |j: &Json| j.get("extradata").str().map(json::ffprobe_hexdump).unwrap_or_default();
    let tag = |j: &Json| u32::from_str_radix(j.get("codec_tag").str().unwrap().trim_start_matches("0x"), 16).unwrap();

    // Audio: WAVEFORMATEX with the codec's tag and private bytes. ffprobe 5.1 does not
    // print block_align / bits per sample; they come from the source's own
    // WAVEFORMATEX (our header walker) and are cross-checked where the codec fixes them.
    let src_bytes = std::fs::read(&src).unwrap();
    let src_header = asf::walk_header(&src_bytes);
    let src_audio = src_header.streams.iter().find(|s| s.stream_type == asf::audio_media()).expect("source audio stream");
    let src_wfx = &src_audio.type_specific;
    let block_align = u16::from_le_bytes([src_wfx[12], src_wfx[13]]);
    let bits = u16::from_le_bytes([src_wfx[14], src_wfx[15]]);
    let a_tag = tag(aus) as u16;
    let a_extra = hex(aus);
    let channels = aus.get("channels").int().unwrap() as u16;
    let rate = aus.get("sample_rate").int().unwrap() as u32;
    let a_bitrate = aus.get("bit_rate").int().unwrap() as u32;
    let mut wfx = Vec::new();
    wfx.extend_from_slice(&le16(a_tag));
    wfx.extend_from_slice(&le16(channels));
    wfx.extend_from_slice(&le32(rate));
    wfx.extend_from_slice(&le32(a_bitrate / 8));
    wfx.extend_from_slice(&le16(block_align));
    wfx.extend_from_slice(&le16(bits));
    wfx.extend_from_slice(&le16(a_extra.len() as u16));
    wfx.extend_from_slice(&a_extra);
    assert_eq!(&wfx[..2], &src_wfx[..2], "{name}: audio tag");
    assert_eq!(&wfx[18..], &src_wfx[18..], "{name}: ffprobe's extradata is the source's cbSize bytes");
    let audio_mt = MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(a_tag as u32),
        fixed_size_samples: false,
        temporal_compression: false,
        sample_size: 0,
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: wfx,
    };

    // Video: WMVIDEOINFOHEADER + BITMAPINFOHEADER with the FOURCC, then extradata.
    let v_extra = hex(vs);
    let (w, h): (i32, i32) = (vs.get("width").int().unwrap() as i32, vs.get("height").int().unwrap() as i32);
    let fps = vs.get("r_frame_rate").str().unwrap().to_string();
    let (num, den) = fps.split_once('/').map(|(a, b)| (a.parse::<u64>().unwrap(), b.parse::<u64>().unwrap())).unwrap();
    let frame_time = SEC * den / num;
    let mut vih = Vec::new();
    for v in [0, 0, w, h, 0, 0, w, h] {
        vih.extend_from_slice(&v.to_le_bytes());
    }
    vih.extend_from_slice(&le32(400_000));
    vih.extend_from_slice(&le32(0));
    vih.extend_from_slice(&(frame_time as i64).to_le_bytes());
    vih.extend_from_slice(&le32(40 + v_extra.len() as u32));
    vih.extend_from_slice(&w.to_le_bytes());
    vih.extend_from_slice(&h.to_le_bytes());
    vih.extend_from_slice(&le16(1));
    vih.extend_from_slice(&le16(24));
    vih.extend_from_slice(&le32(tag(vs)));
    vih.extend_from_slice(&le32(0));
    vih.extend_from_slice(&[0u8; 16]);
    assert_eq!(vih.len(), 88);
    vih.extend_from_slice(&v_extra);
    let video_mt = MediaType {
        major_type: sdk::WMMEDIATYPE_VIDEO,
        subtype: Guid::fourcc(tag(vs)),
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

    // Every source packet, merged in time order (file order breaks ties).
    let mut order: Vec<(i64, usize)> = pkts.iter().enumerate().map(|(i, p)| (p.ts, i)).collect();
    order.sort();
    let samples: Vec<Sample> = order
        .iter()
        .map(|(_, i)| {
            let p = &pkts[*i];
            assert!(p.ts >= 0, "{name}: negative source timestamp");
            let (stream, default_dur) = if p.codec_type == "audio" { (1, 0) } else { (2, frame_time) };
            Sample::Stream {
                stream,
                time: p.ts as u64 * MS,
                duration: p.duration.map(|d| d as u64 * MS).unwrap_or(default_dur),
                flags: if p.key { SF_CLEANPOINT } else { 0 },
                data: p.data.clone().expect("packet data"),
            }
        })
        .collect();
    Passthrough { profile: p, samples, pkts, v_extra, a_extra, frame_time }
}
