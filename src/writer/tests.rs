use super::*;
use crate::asf::header::FLAG_SEEKABLE;
use crate::asf::reader;
use crate::error::ErrorKind;
use crate::guid::sdk;
use crate::profile::{MediaType, StreamConfigData};
use crate::sink::{EndEvent, HeaderEvent, MemorySink, Packet};

fn pcm_profile(streams: &[(u16, u16, u32, u16)]) -> ProfileData {
    let mut p = ProfileData::new(0x90000);
    for &(n, ch, rate, bits) in streams {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, n);
        let mt = MediaType::pcm(ch, rate, bits);
        s.bitrate = mt.wave_format().unwrap().avg_bytes_per_sec * 8;
        s.media_type = Some(mt);
        s.connection_name = format!("Audio{n}");
        p.add_stream(s).unwrap();
    }
    p
}

fn mem_writer(p: &ProfileData) -> (Writer, MemorySink) {
    let mut w = Writer::new();
    w.set_profile(p).unwrap();
    let sink = MemorySink { seekable: true, ..Default::default() };
    w.set_sink(Box::new(sink.clone())).unwrap();
    (w, sink)
}

fn sample(w: &Writer, bytes: &[u8]) -> Arc<SampleBuffer> {
    let b = w.allocate_sample(bytes.len() as u32).unwrap();
    let p = b.data_ptr();
    // Fill through the same path C uses would need unsafe; use the safe helper instead.
    let _ = p;
    fill(&b, bytes);
    b
}

fn fill(b: &SampleBuffer, bytes: &[u8]) {
    b.set_length(bytes.len() as u32).unwrap();
    b.with_prefix_mut_for_tests(|d| d[..bytes.len()].copy_from_slice(bytes));
}

fn parse(file: &[u8]) -> (Vec<reader::ObjectRef>, Vec<reader::MediaObject>, u64) {
    let hsize = u64::from_le_bytes(file[16..24].try_into().unwrap()) as usize;
    let kids = reader::children(file, 30, hsize).unwrap();
    let fp = &file[kids[0].offset..];
    let packet_size = u32::from_le_bytes(fp[96..100].try_into().unwrap()) as usize;
    let packets = u64::from_le_bytes(file[hsize + 40..hsize + 48].try_into().unwrap());
    let data = &file[hsize + 50..hsize + 50 + packets as usize * packet_size];
    (kids, reader::parse_packets(data, packet_size).unwrap(), packets)
}

#[test]
fn state_machine_codes() {
    let mut w = Writer::new();
    assert_eq!(w.allocate_sample(10).unwrap_err().kind, ErrorKind::InvalidRequest);
    assert_eq!(w.input_count().unwrap_err().kind, ErrorKind::NotConfigured);
    assert_eq!(w.begin_writing().unwrap_err().kind, ErrorKind::NotConfigured);
    assert_eq!(w.end_writing().unwrap_err().kind, ErrorKind::InvalidRequest);
    w.set_profile(&pcm_profile(&[(1, 2, 44100, 16)])).unwrap();
    assert_eq!(w.input_count().unwrap(), 1);
    assert_eq!(w.begin_writing().unwrap_err().kind, ErrorKind::NotConfigured, "no output");
    assert_eq!(w.input_props(1).unwrap_err().kind, ErrorKind::InvalidArg);
    w.set_sink(Box::new(MemorySink::default())).unwrap();
    w.begin_writing().unwrap();
    assert_eq!(w.begin_writing().unwrap_err().kind, ErrorKind::InvalidRequest);
    assert_eq!(w.set_profile(&pcm_profile(&[(1, 2, 44100, 16)])).unwrap_err().kind, ErrorKind::InvalidRequest);
    assert_eq!(w.set_output_filename("x.wma").unwrap_err().kind, ErrorKind::InvalidRequest);
    assert_eq!(w.set_input_props(0, None).unwrap_err().kind, ErrorKind::InvalidRequest);
    let b = w.allocate_sample(4).unwrap();
    assert_eq!(w.write_sample(0, 0, 0, &b).unwrap_err().kind, ErrorKind::InvalidData, "empty sample");
    fill(&b, &[1, 2, 3]);
    assert_eq!(w.write_sample(0, 0, 0, &b).unwrap_err().kind, ErrorKind::InvalidData, "partial block");
    fill(&b, &[1, 2, 3, 4]);
    assert_eq!(w.write_sample(1, 0, 0, &b).unwrap_err().kind, ErrorKind::InvalidArg);
    w.write_sample(0, 0, 0, &b).unwrap();
    w.end_writing().unwrap();
    assert_eq!(w.state(), State::Configured);
}

#[test]
fn pcm_round_trip_and_final_header() {
    let p = pcm_profile(&[(1, 2, 44100, 16)]);
    let (mut w, sink) = mem_writer(&p);
    w.begin_writing().unwrap();
    let mut all = Vec::new();
    for i in 0..50u32 {
        let bytes: Vec<u8> = (0..4410 * 4).map(|k| (k as u32 * 31 + i) as u8).collect();
        let b = sample(&w, &bytes);
        w.write_sample(0, i as u64 * 1_000_000, 0, &b).unwrap();
        all.extend_from_slice(&bytes);
    }
    w.end_writing().unwrap();
    let file = sink.bytes.lock().unwrap().clone();
    let (kids, objs, packets) = parse(&file);
    assert_eq!(objs.len(), 50);
    assert_eq!(objs.iter().flat_map(|o| o.data.clone()).collect::<Vec<_>>(), all);
    assert!(objs.iter().all(|o| o.key && o.stream == 1));
    assert_eq!(objs[10].presentation_ms, 3000 + 1000);
    let fp = &file[kids[0].offset..kids[0].offset + 104];
    assert_eq!(u64::from_le_bytes(fp[40..48].try_into().unwrap()), file.len() as u64);
    assert_eq!(u64::from_le_bytes(fp[56..64].try_into().unwrap()), packets);
    assert_eq!(u64::from_le_bytes(fp[64..72].try_into().unwrap()), 30_000_000 + 50_000_000);
    assert_eq!(u64::from_le_bytes(fp[80..88].try_into().unwrap()), 3000);
    assert_eq!(u32::from_le_bytes(fp[88..92].try_into().unwrap()), FLAG_SEEKABLE);
    let s = w.last_summary().unwrap();
    assert_eq!(s.file_size, file.len() as u64);
}

#[test]
fn two_pcm_streams_interleave_by_time() {
    let p = pcm_profile(&[(1, 1, 8000, 16), (2, 2, 48000, 16)]);
    let (mut w, sink) = mem_writer(&p);
    assert_eq!(w.input_count().unwrap(), 2);
    w.begin_writing().unwrap();
    // Stream 1 ahead in 100 ms chunks, then stream 2 in 100 ms chunks.
    for i in 0..10u64 {
        let b = sample(&w, &vec![1u8; 1600]);
        w.write_sample(0, i * 1_000_000, 0, &b).unwrap();
    }
    for i in 0..10u64 {
        let b = sample(&w, &vec![2u8; 19200]);
        w.write_sample(1, i * 1_000_000, 0, &b).unwrap();
    }
    w.end_writing().unwrap();
    let file = sink.bytes.lock().unwrap().clone();
    let (_, objs, _) = parse(&file);
    assert_eq!(objs.len(), 20);
    let times: Vec<u32> = objs.iter().map(|o| o.presentation_ms).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "objects are in time order across streams");
}

#[test]
fn late_and_out_of_order_samples_are_refused_without_losing_data() {
    let p = pcm_profile(&[(1, 1, 8000, 16), (2, 1, 8000, 16)]);
    let (mut w, sink) = mem_writer(&p);
    w.set_sync_tolerance(1000);
    w.begin_writing().unwrap();
    for i in 0..40u64 {
        let b = sample(&w, &vec![1u8; 1600]);
        w.write_sample(0, i * 1_000_000, 0, &b).unwrap();
    }
    let b = sample(&w, &vec![2u8; 160]);
    assert_eq!(w.write_sample(1, 0, 0, &b).unwrap_err().kind, ErrorKind::LateOperation);
    let b = sample(&w, &vec![1u8; 160]);
    assert_eq!(w.write_sample(0, 0, 0, &b).unwrap_err().kind, ErrorKind::InvalidArg);
    w.end_writing().unwrap();
    let file = sink.bytes.lock().unwrap().clone();
    assert_eq!(parse(&file).1.len(), 40);
}

#[test]
fn a_buffer_still_queued_is_refused() {
    let p = pcm_profile(&[(1, 1, 8000, 16), (2, 1, 8000, 16)]);
    let (mut w, _sink) = mem_writer(&p);
    w.begin_writing().unwrap();
    let b = sample(&w, &[0u8; 160]);
    w.write_sample(0, 0, 0, &b).unwrap();
    assert!(b.is_queued(), "waiting for stream 2");
    assert_eq!(w.write_sample(0, 100_000, 0, &b).unwrap_err().kind, ErrorKind::InvalidArg);
    w.end_writing().unwrap();
    assert!(!b.is_queued());
}

#[test]
fn writer_can_run_again() {
    let p = pcm_profile(&[(1, 2, 44100, 16)]);
    let (mut w, sink) = mem_writer(&p);
    for _ in 0..2 {
        w.set_sink(Box::new(sink.clone())).unwrap();
        sink.bytes.lock().unwrap().clear();
        w.begin_writing().unwrap();
        let b = sample(&w, &[7u8; 400]);
        w.write_sample(0, 0, 0, &b).unwrap();
        w.end_writing().unwrap();
        assert_eq!(parse(&sink.bytes.lock().unwrap()).1.len(), 1);
    }
}

#[test]
fn default_packet_sizes() {
    let mut pcm = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    pcm.media_type = Some(MediaType::pcm(2, 44_100, 16));
    let pcm = [StreamPlan::new(&pcm)];
    // Real time (live source or network sink): the SDK's sizes.
    assert_eq!(default_packet_size(64_000, &pcm, 3000, true), 800);
    assert_eq!(default_packet_size(300_000, &pcm, 3000, true), 1440);
    assert_eq!(default_packet_size(1_411_200, &pcm, 3000, true), 4608);
    assert_eq!(default_packet_size(46_000_000, &pcm, 3000, true), 16_384);
    // Uncompressed streams into a file: up to 1 s of data (rounded down to 512), at
    // most 16 KiB.
    assert_eq!(default_packet_size(64_000, &pcm, 3000, false), 7680);
    assert_eq!(default_packet_size(300_000, &pcm, 3000, false), 16_384);
    assert_eq!(default_packet_size(1_411_200, &pcm, 3000, false), 16_384);
    assert_eq!(default_packet_size(46_000_000, &pcm, 3000, false), 16_384);
    // At most a third of the preroll (600 ms: 200 ms of 8000 B/s), never below the SDK's size.
    assert_eq!(default_packet_size(64_000, &pcm, 600, false), 1536);
    assert_eq!(default_packet_size(64_000, &pcm, 0, false), 800);
    // Raw video too, with a script stream beside it; a script stream alone does not.
    let mut raw = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    raw.media_type = Some(MediaType::raw_video(sdk::WMMEDIASUBTYPE_YUY2, 64, 48, 400_000));
    let script = StreamConfigData::new(sdk::WMMEDIATYPE_SCRIPT, 3);
    let (raw, script) = (StreamPlan::new(&raw), StreamPlan::new(&script));
    assert_eq!(default_packet_size(64_000, &[raw.clone(), script.clone()], 3000, false), 7680);
    assert_eq!(default_packet_size(64_000, std::slice::from_ref(&script), 3000, false), 800);
    // A compressed stream keeps the SDK's sizes: encoded audio (kept whole) ...
    let mut wma = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    let mut mt = MediaType::pcm(2, 44_100, 16);
    mt.subtype = sdk::WMMEDIASUBTYPE_WMAUDIOV8;
    let mut wf = mt.wave_format().unwrap();
    wf.format_tag = 0x161;
    wf.block_align = 2973;
    mt.format = wf.to_bytes();
    wma.media_type = Some(mt);
    let wma = StreamPlan::new(&wma);
    assert!(!wma.pcm);
    assert_eq!(default_packet_size(128_000, std::slice::from_ref(&wma), 3000, false), 14 + 17 + 2973);
    assert_eq!(default_packet_size(1_411_200, &[pcm[0].clone(), wma], 3000, false), 4608);
    // ... and compressed video (its bit rate is a target).
    let mut wmv = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 64, 48, 400_000);
    mt.subtype = sdk::WMMEDIASUBTYPE_WMV2;
    wmv.media_type = Some(mt);
    let wmv = StreamPlan::new(&wmv);
    assert_eq!(wmv.frame_size, None);
    assert_eq!(default_packet_size(200_000, &[wmv, script], 3000, false), 1440);
}

/// A profile with RGB24 video + PCM audio + script, for reader checks.
pub(crate) fn av_profile(w: i32, h: i32, fps: u32, subtype: Guid, bits: u16, fourcc: u32) -> ProfileData {
    let mut p = pcm_profile(&[(1, 2, 44100, 16)]);
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    let _ = (bits, fourcc);
    let mt = MediaType::raw_video(subtype, w, h, 10_000_000 / fps as i64);
    v.bitrate = mt.sample_size * 8 * fps;
    v.media_type = Some(mt);
    v.connection_name = "Video".into();
    p.add_stream(v).unwrap();
    p
}

#[test]
fn video_and_audio_to_file_for_manual_checks() {
    let Ok(dir) = std::env::var("WMWRITER_DUMP_DIR") else { return };
    let p = av_profile(320, 240, 25, sdk::WMMEDIASUBTYPE_RGB24, 24, 0);
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    w.set_output_filename(&format!("{dir}/av.wmv")).unwrap();
    w.begin_writing().unwrap();
    let frame = 320 * 240 * 3;
    for i in 0..50u64 {
        let t = i * 400_000;
        let v: Vec<u8> = (0..frame).map(|k| ((k as u64 + i * 7) % 251) as u8).collect();
        let b = sample(&w, &v);
        w.write_sample(1, t, SF_CLEANPOINT, &b).unwrap();
        if i % 5 == 0 {
            let a: Vec<u8> = (0..17640).map(|k| (k as u64 * 3 + i) as u8).collect();
            let b = sample(&w, &a);
            w.write_sample(0, (i / 5) * 2_000_000, 0, &b).unwrap();
        }
    }
    w.end_writing().unwrap();
}

#[test]
fn metadata_file_for_manual_checks() {
    let Ok(dir) = std::env::var("WMWRITER_DUMP_DIR") else { return };
    let mut p = pcm_profile(&[(1, 2, 44100, 16)]);
    p.streams[0].language = "de-de".into();
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    let s = |v: &str| AttrValue::String(v.into());
    w.set_attribute(0, "Title", s("Ünïcødé ✓ 日本")).unwrap();
    w.set_attribute(0, "Author", s("The Author")).unwrap();
    w.set_attribute(0, "Copyright", s("(c) 2026")).unwrap();
    w.set_attribute(0, "Description", s("A description")).unwrap();
    w.set_attribute(0, "Rating", s("PG")).unwrap();
    w.set_attribute(0, "WM/AlbumTitle", s("Album")).unwrap();
    w.set_attribute(0, "WM/AlbumArtist", s("Album Artist")).unwrap();
    w.set_attribute(0, "WM/Genre", s("Genre")).unwrap();
    w.set_attribute(0, "WM/Year", s("2026")).unwrap();
    w.set_attribute(0, "WM/TrackNumber", AttrValue::Raw(AttrType::Dword, 7u32.to_le_bytes().to_vec())).unwrap();
    w.add_attribute(0, "BigBlob", 0, AttrValue::Raw(AttrType::Binary, vec![0xAB; 100 * 1024])).unwrap();
    w.add_attribute(1, "StreamNote", 1, s("auf Deutsch")).unwrap();
    w.add_attribute(
        0,
        "WM/Picture",
        0,
        AttrValue::Raw(AttrType::Binary, metadata::picture_bytes("image/jpeg", 3, "cover", &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9])),
    )
    .unwrap();
    w.add_marker("Chapter 1", 0).unwrap();
    w.add_marker("Chapter 2", 5_000_000).unwrap();
    w.add_marker("Chapter 3", 10_000_000).unwrap();
    w.add_script("URL", "http://example.com/", 2_000_000).unwrap();
    w.add_script("TEXT", "hello", 4_000_000).unwrap();
    w.set_output_filename(&format!("{dir}/meta.wma")).unwrap();
    w.begin_writing().unwrap();
    for i in 0..20u64 {
        let b = sample(&w, &vec![(i * 3) as u8; 17640]);
        w.write_sample(0, i * 1_000_000, 0, &b).unwrap();
    }
    w.end_writing().unwrap();
    assert_eq!(w.attribute_by_name(0, "Duration").unwrap(), AttrValue::Raw(AttrType::Qword, 20_000_000u64.to_le_bytes().to_vec()));
}

/// A sink that fails once `limit` bytes have been written (a full disk).
#[derive(Debug, Clone)]
struct FullDisk {
    written: Arc<std::sync::Mutex<Vec<u8>>>,
    limit: usize,
}

impl FullDisk {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let mut w = self.written.lock().unwrap();
        if w.len() + bytes.len() > self.limit {
            return Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "No space left on device"));
        }
        w.extend_from_slice(bytes);
        Ok(())
    }
}

impl PacketSink for FullDisk {
    fn can_seek(&self) -> bool {
        true
    }
    fn on_header(&mut self, h: &HeaderEvent<'_>) -> std::io::Result<()> {
        self.put(h.bytes)
    }
    fn on_packets(&mut self, packets: &[Packet<'_>]) -> std::io::Result<()> {
        packets.iter().try_for_each(|p| self.put(p.bytes))
    }
    fn on_end(&mut self, end: &EndEvent<'_>) -> std::io::Result<()> {
        self.put(end.trailer)
    }
}

#[test]
fn a_full_disk_fails_the_session_with_file_write_and_keeps_what_was_written() {
    let p = pcm_profile(&[(1, 2, 44100, 16)]);
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    let disk = FullDisk { written: Default::default(), limit: 3 << 20 };
    w.set_sink(Box::new(disk.clone())).unwrap();
    w.begin_writing().unwrap();
    let mut failed_at = None;
    for i in 0..100u64 {
        let b = sample(&w, &vec![1u8; 176_400]);
        match w.write_sample(0, i * 10_000_000, 0, &b) {
            Ok(()) => {}
            Err(e) => {
                assert_eq!(e.kind, ErrorKind::FileWrite, "{e}");
                assert!(e.message.contains("No space left"), "{e}");
                failed_at = Some(i);
                break;
            }
        }
    }
    let i = failed_at.expect("the disk fills up");
    assert!(i > 5);
    assert_eq!(w.allocate_sample(4).unwrap_err().kind, ErrorKind::FileWrite, "later calls report the failure");
    let b = Arc::new(SampleBuffer::new(4).unwrap());
    b.copy_from(&[1, 2, 3, 4]).unwrap();
    let e = w.write_sample(0, (i + 1) * 10_000_000, 0, &b).unwrap_err();
    assert_eq!(e.kind, ErrorKind::FileWrite, "later calls report the failure");
    assert_eq!(w.end_writing().unwrap_err().kind, ErrorKind::FileWrite);
    assert_eq!(w.state(), State::Configured);
    let written = disk.written.lock().unwrap();
    assert!(written.len() > 2 << 20, "what was written stays written ({} bytes)", written.len());
    assert_eq!(&written[..16], &crate::asf::guids::HEADER.to_bytes());
}

#[test]
fn profile_groups_become_header_objects() {
    use crate::profile::groups::{BandwidthSharingData, MutualExclusionData, PriorityRecord, StreamList, StreamPrioritizationData};
    let mut p = pcm_profile(&[(1, 1, 8000, 16), (2, 1, 8000, 16)]);
    p.streams[1].connection_name = "Audio1".into();
    p.mutual_exclusions.push(MutualExclusionData {
        mutex_type: sdk::CLSID_WMMUTEX_BITRATE,
        streams: StreamList(vec![1, 2]),
        ..Default::default()
    });
    p.stream_prioritization = Some(StreamPrioritizationData {
        records: vec![PriorityRecord { number: 2, mandatory: true }, PriorityRecord { number: 1, mandatory: false }],
    });
    p.bandwidth_sharings.push(BandwidthSharingData {
        sharing_type: sdk::CLSID_WMBANDWIDTHSHARING_EXCLUSIVE,
        bitrate: 128_000,
        buffer_window: 3000,
        streams: StreamList(vec![1, 2]),
    });
    let (mut w, sink) = mem_writer(&p);
    assert_eq!(w.input_count().unwrap(), 1, "one input per connection name");
    w.begin_writing().unwrap();
    let b = sample(&w, &[0u8; 1600]);
    w.write_sample(0, 0, 0, &b).unwrap();
    w.end_writing().unwrap();
    let file = sink.bytes.lock().unwrap().clone();
    if let Ok(dir) = std::env::var("WMWRITER_DUMP_DIR") {
        std::fs::write(format!("{dir}/groups.wma"), &file).unwrap();
    }
    let hsize = u64::from_le_bytes(file[16..24].try_into().unwrap()) as usize;
    let kids = reader::children(&file, 30, hsize).unwrap();
    assert_eq!(u32::from_le_bytes(file[24..28].try_into().unwrap()) as usize, kids.len());
    let mutex = kids.iter().find(|k| k.id == crate::asf::guids::BITRATE_MUTUAL_EXCLUSION).expect("mutex object");
    assert_eq!(&file[mutex.offset + 24..mutex.offset + 40], &sdk::CLSID_WMMUTEX_BITRATE.to_bytes());
    assert_eq!(&file[mutex.offset + 40..mutex.offset + 46], &[2, 0, 1, 0, 2, 0]);
    let he = kids.iter().find(|k| k.id == crate::asf::guids::HEADER_EXTENSION).unwrap();
    let ext = reader::children(&file, he.offset + 46, he.offset + he.size).unwrap();
    let prio = ext.iter().find(|k| k.id == crate::asf::guids::STREAM_PRIORITIZATION).expect("prioritization");
    assert_eq!(&file[prio.offset + 24..prio.offset + prio.size], &[2, 0, 2, 0, 1, 0, 1, 0, 0, 0]);
    let bw = ext.iter().find(|k| k.id == crate::asf::guids::BANDWIDTH_SHARING).expect("bandwidth sharing");
    assert_eq!(bw.size, 24 + 16 + 4 + 4 + 2 + 4);
}

#[test]
fn data_unit_extensions_are_declared_and_carried_in_every_payload() {
    use crate::profile::DataUnitExtension;
    let mut p = pcm_profile(&[(1, 2, 44100, 16)]);
    p.max_packet_size = 1000;
    p.streams[0].data_unit_extensions = vec![
        DataUnitExtension { system_id: sdk::WM_SAMPLEEXTENSIONGUID_SAMPLEDURATION, data_size: 2, info: vec![] },
        DataUnitExtension { system_id: sdk::WM_SAMPLEEXTENSIONGUID_FILENAME, data_size: 0xFFFF, info: vec![1, 2, 3] },
    ];
    let (mut w, sink) = mem_writer(&p);
    w.begin_writing().unwrap();
    let b = sample(&w, &[5u8; 4000]);
    b.set_property(sdk::WM_SAMPLEEXTENSIONGUID_SAMPLEDURATION, &[100, 0]).unwrap();
    b.set_property(sdk::WM_SAMPLEEXTENSIONGUID_FILENAME, b"a\0").unwrap();
    w.write_sample(0, 0, 0, &b).unwrap();
    let b = sample(&w, &[6u8; 400]); // no properties: fixed one written as zeros, variable as empty
    w.write_sample(0, 1_000_000, 0, &b).unwrap();
    let b = sample(&w, &[7u8; 4]);
    b.set_property(sdk::WM_SAMPLEEXTENSIONGUID_SAMPLEDURATION, &[1, 2, 3]).unwrap();
    assert_eq!(w.write_sample(0, 2_000_000, 0, &b).unwrap_err().kind, ErrorKind::DataUnitExtensionTooLarge);
    w.end_writing().unwrap();
    let file = sink.bytes.lock().unwrap().clone();
    if let Ok(dir) = std::env::var("WMWRITER_DUMP_DIR") {
        std::fs::write(format!("{dir}/ext.wma"), &file).unwrap();
    }
    let (_, objs, _) = parse(&file);
    assert_eq!(objs.len(), 2);
    assert_eq!(objs[0].data, vec![5u8; 4000]);
    // Every fragment of the first object carries [100, 0] + [2, 0, 'a', 0] after the 8 bytes.
    let needle = [0x81u8, 0, 0, 0, 0, 0, 8 + 6];
    let hits = file.windows(7).filter(|w| *w == needle).count();
    assert_eq!(hits, 1, "first fragment has replicated length 14");
    let pos = file.windows(7).position(|w| w == needle).unwrap();
    assert_eq!(&file[pos + 15..pos + 21], &[100, 0, 2, 0, b'a', 0]);
}

#[test]
fn file_ids_are_random_version_4_guids() {
    let a = new_file_id();
    let b = new_file_id();
    assert_ne!(a, b);
    assert_eq!(a.data3 >> 12, 4, "{a}");
    assert_eq!(a.data4[0] >> 6, 2, "{a}");
}
