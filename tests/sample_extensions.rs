//! Payload extensions (`IWMStreamConfig2::AddDataUnitExtension` + `INSSBuffer3::SetProperty`)
//! end to end: an MJPEG passthrough video stream declares the SDK's timecode (14-byte
//! `WMT_TIMECODE_EXTENSION_DATA`) and pixel-aspect-ratio (2 bytes: x, y) extensions,
//! every frame carries its own values, the library's reader gives them back per sample
//! from the payloads' replicated data, and FFmpeg still demuxes and decodes every frame.

mod common;

use common::*;
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::{DataUnitExtension, MediaType, ProfileData, StreamConfigData};
use wmwriter::reader;
use wmwriter::writer::{Writer, SF_CLEANPOINT};

const FRAMES: usize = 50;
const FPS: u64 = 25;
const SEC: u64 = 10_000_000;

/// `WMT_TIMECODE_EXTENSION_DATA` (packed, 14 bytes): wRange, dwTimecode (0xhhmmssff),
/// dwUserbits, dwAmFlags.
fn timecode(f: usize) -> Vec<u8> {
    let bcd = |v: usize| ((v / 10) << 4 | (v % 10)) as u32;
    let (secs, frame) = (f / FPS as usize, f % FPS as usize);
    let tc = 0x0100_0000 | bcd(secs) << 8 | bcd(frame);
    let mut v = Vec::new();
    v.extend_from_slice(&(f as u16 % 3).to_le_bytes()); // wRange
    v.extend_from_slice(&tc.to_le_bytes());
    v.extend_from_slice(&(0xAB00_0000u32 | f as u32).to_le_bytes()); // dwUserbits
    v.extend_from_slice(&(f as u32 * 7).to_le_bytes()); // dwAmFlags
    assert_eq!(v.len(), 14);
    v
}

/// Pixel aspect ratio (x, y): a different pair per frame.
fn aspect(f: usize) -> Vec<u8> {
    vec![1 + (f % 11) as u8, 1 + (f % 5) as u8]
}

fn mjpeg_type(w: i32, h: i32) -> MediaType {
    // VIDEOINFOHEADER: rcSource, rcTarget, dwBitRate, dwBitErrorRate, AvgTimePerFrame,
    // then BITMAPINFOHEADER with biCompression 'MJPG'.
    let mut vih = Vec::new();
    for v in [0i32, 0, w, h, 0, 0, w, h] {
        vih.extend_from_slice(&v.to_le_bytes());
    }
    vih.extend_from_slice(&2_000_000u32.to_le_bytes());
    vih.extend_from_slice(&0u32.to_le_bytes());
    vih.extend_from_slice(&((SEC / FPS) as i64).to_le_bytes());
    vih.extend_from_slice(&40u32.to_le_bytes());
    vih.extend_from_slice(&w.to_le_bytes());
    vih.extend_from_slice(&h.to_le_bytes());
    vih.extend_from_slice(&1u16.to_le_bytes());
    vih.extend_from_slice(&24u16.to_le_bytes());
    vih.extend_from_slice(b"MJPG");
    vih.extend_from_slice(&((w * h * 3) as u32).to_le_bytes());
    vih.extend_from_slice(&[0u8; 16]);
    MediaType {
        major_type: sdk::WMMEDIATYPE_VIDEO,
        subtype: Guid::fourcc(u32::from_le_bytes(*b"MJPG")),
        temporal_compression: false,
        format_type: sdk::WMFORMAT_VIDEOINFO,
        format: vih,
        ..MediaType::default()
    }
}

#[test]
fn timecode_and_pixel_aspect_ratio_read_back_per_sample_and_ffmpeg_decodes_every_frame() {
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    let dir = TempDir::new("sample-ext");
    let src = dir.path("src.avi");
    // The source only (FFmpeg's scaler warns that yuvj420p is deprecated; not our file).
    run(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-nostdin",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=25",
            "-frames:v",
            &FRAMES.to_string(),
            "-c:v",
            "mjpeg",
            "-pix_fmt",
            "yuvj420p",
            "-f",
            "avi",
            src.to_str().unwrap(),
        ],
    )
    .ok();
    let (_, pkts) = ffprobe_packets(&src, true);
    assert_eq!(pkts.len(), FRAMES, "MJPEG frames from ffmpeg");
    let frames: Vec<Vec<u8>> = pkts.into_iter().map(|p| p.data.unwrap()).collect();

    let mut p = ProfileData::new(0x0009_0000);
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
    v.media_type = Some(mjpeg_type(160, 120));
    v.bitrate = 2_000_000;
    v.connection_name = "Video".into();
    v.add_data_unit_extension(DataUnitExtension { system_id: sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE, data_size: 14, info: vec![] });
    v.add_data_unit_extension(DataUnitExtension { system_id: sdk::WM_SAMPLEEXTENSIONGUID_PIXELASPECTRATIO, data_size: 2, info: vec![] });
    p.add_stream(v).unwrap();

    let out = dir.path("ext.wmv");
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    w.set_output_filename(out.to_str().unwrap()).unwrap();
    w.set_input_props(0, None).unwrap();
    w.begin_writing().unwrap();
    for (f, data) in frames.iter().enumerate() {
        let b = w.allocate_sample(data.len() as u32).unwrap();
        b.copy_from(data).unwrap();
        b.set_property(sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE, &timecode(f)).unwrap();
        b.set_property(sdk::WM_SAMPLEEXTENSIONGUID_PIXELASPECTRATIO, &aspect(f)).unwrap();
        w.write_stream_sample(1, f as u64 * SEC / FPS, SEC / FPS, SF_CLEANPOINT, &b).unwrap();
    }
    w.end_writing().unwrap();

    // The library's reader: the Extended Stream Properties declare both systems, and
    // every media object carries its own frame's values.
    let bytes = std::fs::read(&out).unwrap();
    let f = reader::read(&bytes).unwrap();
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    let esp = f.ext_streams.iter().find(|e| e.stream == 1).expect("stream 1's Extended Stream Properties");
    assert_eq!(esp.extension_systems, vec![(sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE, 14), (sdk::WM_SAMPLEEXTENSIONGUID_PIXELASPECTRATIO, 2)]);
    let (start, len) = f.packet_range().unwrap();
    let data = &bytes[start as usize..(start + len) as usize];
    let packets = reader::parse_packets(data, f.packet_size().unwrap() as usize).unwrap();
    // Every payload (fragments included) repeats its object's extension bytes.
    let mut payloads = 0;
    for pk in &packets {
        for pl in &pk.payloads {
            assert_eq!(pl.extension().len(), 16, "packet {}: payload extension bytes", pk.index);
            payloads += 1;
        }
    }
    assert!(payloads >= FRAMES);
    let objects = reader::media_objects(&packets, data).unwrap();
    assert_eq!(objects.len(), FRAMES);
    for (i, o) in objects.iter().enumerate() {
        assert_eq!(o.data, frames[i], "frame {i}: bytes");
        assert_eq!(o.presentation_ms as u64, 3000 + i as u64 * 1000 / FPS, "frame {i}: time");
        let values = esp.split_extension(&o.extension).unwrap_or_else(|| panic!("frame {i}: extension bytes {:?}", o.extension));
        assert_eq!(values[0], (sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE, timecode(i)), "frame {i}: timecode");
        assert_eq!(values[1], (sdk::WM_SAMPLEEXTENSIONGUID_PIXELASPECTRATIO, aspect(i)), "frame {i}: pixel aspect ratio");
    }
    // The values really differ from frame to frame.
    assert_ne!(objects[1].extension, objects[2].extension);

    // FFmpeg: every frame demuxed with its bytes, every frame decoded, no message.
    let (streams, got) = ffprobe_packets(&out, true);
    assert_eq!(streams.arr()[0].get("codec_name").str(), Some("mjpeg"));
    assert_eq!(got.len(), FRAMES, "ffprobe packet count");
    for (i, g) in got.iter().enumerate() {
        assert!(g.data.as_ref() == Some(&frames[i]), "packet {i}: bytes");
    }
    ffmpeg_clean(&["-i", out.to_str().unwrap(), "-f", "null", "-"]);
    let j = ffprobe_json(&out, &["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"]);
    assert_eq!(j.get("streams").arr()[0].get("nb_read_frames").str(), Some(FRAMES.to_string().as_str()), "decoded frames");
}
