//! Tests of the writer → muxer → sink path added with the muxer room: geometry checked at
//! begin_writing, files opened last, sinks outside the writer, encoded streams.

use proptest::prelude::*;

use super::*;
use crate::asf::reader;
use crate::error::ErrorKind;
use crate::guid::sdk;
use crate::profile::{DataUnitExtension, MediaType, StreamConfigData};
use crate::sink::{MemorySink, Packet};

fn pcm_stream(n: u16) -> StreamConfigData {
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, n);
    let mt = MediaType::pcm(1, 8000, 16);
    s.bitrate = 128_000;
    s.media_type = Some(mt);
    s.connection_name = format!("Audio{n}");
    s
}

fn ext(id: u32, size: u16) -> DataUnitExtension {
    DataUnitExtension { system_id: Guid::new(id, 1, 2, [3; 8]), data_size: size, info: Vec::new() }
}

fn profile_with(packet_size: u32, exts: &[u16]) -> ProfileData {
    let mut p = ProfileData::new(0x90000);
    let mut s = pcm_stream(1);
    for (i, size) in exts.iter().enumerate() {
        s.add_data_unit_extension(ext(i as u32 + 1, *size));
    }
    p.add_stream(s).unwrap();
    p.max_packet_size = packet_size;
    p
}

fn buffer(bytes: &[u8]) -> Arc<SampleBuffer> {
    let b = Arc::new(SampleBuffer::new(bytes.len() as u32).unwrap());
    b.copy_from(bytes).unwrap();
    b
}

fn data_of(file: &[u8]) -> (usize, Vec<reader::MediaObject>) {
    let hsize = u64::from_le_bytes(file[16..24].try_into().unwrap()) as usize;
    let kids = reader::children(file, 30, hsize).unwrap();
    let fp = &file[kids[0].offset..];
    let packet_size = u32::from_le_bytes(fp[96..100].try_into().unwrap()) as usize;
    let packets = u64::from_le_bytes(file[hsize + 40..hsize + 48].try_into().unwrap()) as usize;
    let data = &file[hsize + 50..hsize + 50 + packets * packet_size];
    (packet_size, reader::parse_packets(data, packet_size).unwrap())
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wmwriter-core-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn an_extension_too_large_for_the_packet_fails_at_begin_writing_with_the_profile_code() {
    let dir = temp_dir("geometry");
    let path = dir.join("never.wma");
    let mut w = Writer::new();
    w.set_profile(&profile_with(100, &[80])).unwrap();
    w.set_output_filename(path.to_str().unwrap()).unwrap();
    let e = w.begin_writing().unwrap_err();
    assert_eq!(e.kind, ErrorKind::MaxPacketSizeTooSmall, "{e}");
    assert!(e.message.contains("packet size 100"), "{e}");
    assert_eq!(w.state(), State::Configured);
    assert!(!path.exists(), "no file is created for a profile that cannot be written");
    // 68 bytes of extensions still leave one byte of data per 100-byte packet.
    w.set_profile(&profile_with(100, &[68])).unwrap();
    w.set_output_filename(path.to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    w.write_sample(0, 0, 0, &buffer(&[1; 400])).unwrap();
    w.end_writing().unwrap();
    let file = std::fs::read(&path).unwrap();
    let (ps, objs) = data_of(&file);
    assert_eq!(ps, 100);
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0].data, vec![1; 400]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_packet_size_below_100_is_refused_not_clamped() {
    let mut w = Writer::new();
    w.set_profile(&profile_with(50, &[])).unwrap();
    w.set_sink(Box::new(MemorySink::default())).unwrap();
    let e = w.begin_writing().unwrap_err();
    assert_eq!(e.kind, ErrorKind::MaxPacketSizeTooSmall, "{e}");
    assert!(e.message.contains("50"), "{e}");
}

#[test]
fn an_existing_file_is_untouched_when_begin_writing_fails() {
    let dir = temp_dir("untouched");
    let precious = dir.join("precious.wma");
    std::fs::write(&precious, b"precious bytes").unwrap();
    // A profile that cannot be written.
    let mut w = Writer::new();
    w.set_profile(&profile_with(100, &[80])).unwrap();
    w.set_output_filename(precious.to_str().unwrap()).unwrap();
    assert!(w.begin_writing().is_err());
    assert_eq!(std::fs::read(&precious).unwrap(), b"precious bytes");
    // A second sink that cannot be created: the first (existing) file is neither
    // emptied nor removed, a new first file is removed again.
    let bad = Arc::new(WriterSink::file(Some(dir.join("no/such/dir/x.wma"))));
    w.set_profile(&profile_with(0, &[])).unwrap();
    w.add_sink(Arc::clone(&bad)).unwrap();
    let e = w.begin_writing().unwrap_err();
    assert_eq!(e.kind, ErrorKind::FileOpenFailed, "{e}");
    assert_eq!(std::fs::read(&precious).unwrap(), b"precious bytes");
    let fresh = dir.join("fresh.wma");
    w.set_output_filename(fresh.to_str().unwrap()).unwrap();
    assert!(w.begin_writing().is_err());
    assert!(!fresh.exists(), "a file begin_writing created is removed when it fails");
    std::fs::remove_dir_all(dir).ok();
}

/// A sink that counts what it gets and can fail its header.
#[derive(Debug, Clone, Default)]
struct Probe {
    log: Arc<std::sync::Mutex<Vec<String>>>,
    fail_header: bool,
}

impl PacketSink for Probe {
    fn can_seek(&self) -> bool {
        true
    }
    fn on_header(&mut self, h: &crate::sink::HeaderEvent<'_>) -> std::io::Result<()> {
        if self.fail_header {
            return Err(std::io::Error::other("header refused"));
        }
        let live = &h.live_bytes[30..];
        // File Properties: flags at 30 + 88 in the file, 88 in `live`.
        let flags = u32::from_le_bytes(live[88..92].try_into().unwrap());
        self.log.lock().unwrap().push(format!("header {} live-flags {flags} ps {}", h.bytes.len() == h.live_bytes.len(), h.packet_size));
        Ok(())
    }
    fn on_packets(&mut self, packets: &[Packet<'_>]) -> std::io::Result<()> {
        for p in packets {
            assert_eq!(p.send_time_ms, u32::from_le_bytes(p.bytes[7..11].try_into().unwrap()));
            self.log.lock().unwrap().push(format!("packet {} key {:x}", p.send_time_ms, p.key_starts));
        }
        Ok(())
    }
    fn on_end(&mut self, e: &crate::sink::EndEvent<'_>) -> std::io::Result<()> {
        self.log.lock().unwrap().push(format!("end {}", e.final_header.len()));
        Ok(())
    }
}

#[test]
fn deferred_delivery_hands_events_over_only_when_taken() {
    let mut w = Writer::new();
    w.set_profile(&profile_with(0, &[])).unwrap();
    let probe = Probe::default();
    w.set_sink(Box::new(probe.clone())).unwrap();
    w.set_deferred_delivery(true);
    w.begin_writing().unwrap();
    assert!(probe.log.lock().unwrap().is_empty(), "nothing is delivered inside the writer");
    w.take_delivery().unwrap().run().unwrap();
    // 128 kbit/s of PCM into a file sink that is not real time: 1 s of data a packet,
    // rounded down to 512 (16000 -> 15872).
    assert_eq!(probe.log.lock().unwrap().as_slice(), ["header true live-flags 1 ps 15872"]);
    for i in 0..10u64 {
        w.write_sample(0, i * 10_000_000, 0, &buffer(&vec![i as u8; 16000])).unwrap();
    }
    w.end_writing().unwrap();
    let before = probe.log.lock().unwrap().len();
    assert_eq!(before, 1);
    w.take_delivery().unwrap().run().unwrap();
    assert!(w.take_delivery().is_none());
    let log = probe.log.lock().unwrap();
    // 160000 bytes need at least 11 packets of 15872 - 31 bytes: header, packets, end.
    assert!(log.len() >= 13, "{} events", log.len());
    assert!(log.last().unwrap().starts_with("end "));
    assert!(
        log.iter().filter(|l| l.starts_with("packet")).all(|l| l.ends_with("key 2") || l.ends_with("key 0")),
        "stream 1 key starts: bit 1"
    );
}

#[test]
fn a_failed_header_ends_begin_writing() {
    let mut w = Writer::new();
    w.set_profile(&profile_with(0, &[])).unwrap();
    w.set_sink(Box::new(Probe { fail_header: true, ..Default::default() })).unwrap();
    let e = w.begin_writing().unwrap_err();
    assert_eq!(e.kind, ErrorKind::FileWrite);
    assert!(e.message.contains("header refused"), "{e}");
    assert_eq!(w.state(), State::Configured);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Packet size × extension sizes: begin_writing accepts exactly the profiles whose
    /// payload header (17 + extensions) leaves room for data after the 14-byte packet
    /// header, refuses the rest with NS_E_MAX_PACKET_SIZE_TOO_SMALL (or the 247-byte
    /// replicated-data limit), and what it accepts writes every object back intact.
    #[test]
    fn geometry_is_decided_at_begin_writing(packet_size in 60u32..400, exts in proptest::collection::vec(1u16..120, 0..4)) {
        let total: usize = exts.iter().map(|e| *e as usize).sum();
        let mut w = Writer::new();
        w.set_profile(&profile_with(packet_size, &exts)).unwrap();
        let sink = MemorySink { seekable: true, ..Default::default() };
        w.set_sink(Box::new(sink.clone())).unwrap();
        let fits = packet_size >= 100 && total <= 247 && 14 + 17 + total < packet_size as usize;
        match w.begin_writing() {
            Ok(()) => {
                prop_assert!(fits, "accepted {packet_size} with {total} extension bytes");
                for i in 0..3u64 {
                    w.write_sample(0, i * 1_000_000, 0, &buffer(&vec![i as u8 + 1; 600])).unwrap();
                }
                w.end_writing().unwrap();
                let file = sink.bytes.lock().unwrap().clone();
                let (ps, objs) = data_of(&file);
                prop_assert_eq!(ps, packet_size as usize);
                prop_assert_eq!(objs.len(), 3);
                for (i, o) in objs.iter().enumerate() {
                    prop_assert_eq!(&o.data, &vec![i as u8 + 1; 600]);
                }
            }
            Err(e) => {
                prop_assert!(!fits, "refused {packet_size} with {total} extension bytes: {e}");
                let want = if total > 247 && packet_size >= 100 { ErrorKind::DataUnitExtensionTooLarge } else { ErrorKind::MaxPacketSizeTooSmall };
                prop_assert_eq!(e.kind, want, "{}", e);
                prop_assert!(e.message.contains(&packet_size.to_string()) || total > 247, "{}", e);
                prop_assert!(sink.bytes.lock().unwrap().is_empty());
            }
        }
    }
}

/// A fake video encoder: one frame of delay like a real one, every third frame a key
/// frame, a 2-byte "compressed" unit per frame (frame index, first pixel).
#[derive(Debug)]
struct FakeVideo {
    out: MediaType,
    held: Option<(Time100ns, u8, u8)>,
    n: u8,
}

impl StreamEncoder for FakeVideo {
    fn output_type(&self) -> &MediaType {
        &self.out
    }
    fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        if let Some((t, n, px)) = self.held.take() {
            out.push(EncodedUnit { time: t, duration: 333_333, key_frame: n % 3 == 0, data: vec![n, px] });
        }
        self.held = Some((time, self.n, data[0]));
        self.n += 1;
        Ok(())
    }
    fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        if let Some((t, n, px)) = self.held.take() {
            out.push(EncodedUnit { time: t, duration: 333_333, key_frame: n % 3 == 0, data: vec![n, px] });
        }
        Ok(())
    }
}

fn fake_wmv2() -> MediaType {
    let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 64, 48, 333_333);
    mt.subtype = sdk::WMMEDIASUBTYPE_WMV2;
    mt.temporal_compression = true;
    // The "encoder's real" BITMAPINFOHEADER: compression WMV2 and a marker in biSizeImage.
    mt.format[62..64].copy_from_slice(&24u16.to_le_bytes());
    mt.format[64..68].copy_from_slice(b"WMV2");
    mt.format[68..72].copy_from_slice(&0xC0DECu32.to_le_bytes());
    mt
}

fn open_fake(input: &MediaType, cfg: &EncoderConfig) -> Result<Box<dyn StreamEncoder>> {
    assert_eq!(input.subtype, sdk::WMMEDIASUBTYPE_I420, "the input format reaches the encoder");
    assert_eq!(cfg.stream.number, 1);
    Ok(Box::new(FakeVideo { out: fake_wmv2(), held: None, n: 0 }))
}

fn wmv2_profile() -> ProfileData {
    let mut p = ProfileData::new(0x90000);
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
    let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, 64, 48, 333_333);
    mt.subtype = sdk::WMMEDIASUBTYPE_WMV2;
    mt.temporal_compression = true;
    mt.format[64..68].copy_from_slice(b"WMV2");
    s.media_type = Some(mt);
    s.bitrate = 300_000;
    s.connection_name = "Video".into();
    p.add_stream(s).unwrap();
    p
}

#[test]
fn without_an_encoder_begin_writing_returns_the_codec_error_and_creates_no_file() {
    let dir = temp_dir("nocodec");
    let path = dir.join("v.wmv");
    let mut w = Writer::new();
    // WMV3 (VC-1): no open encoder exists, with or without libavcodec.
    let mut p = wmv2_profile();
    let mt = p.streams[0].media_type.as_mut().unwrap();
    mt.subtype = sdk::WMMEDIASUBTYPE_WMV3;
    mt.format[64..68].copy_from_slice(b"WMV3");
    w.set_profile(&p).unwrap();
    w.set_output_filename(path.to_str().unwrap()).unwrap();
    let e = w.begin_writing().unwrap_err();
    assert_eq!(e.kind, ErrorKind::VideoCodecNotInstalled, "{e}");
    assert!(!path.exists());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn encoded_units_reach_the_file_with_their_times_key_flags_and_the_encoders_format() {
    let mut w = Writer::new();
    w.encoder_opener = open_fake;
    w.set_profile(&wmv2_profile()).unwrap();
    let sink = MemorySink { seekable: true, ..Default::default() };
    w.set_sink(Box::new(sink.clone())).unwrap();
    w.begin_writing().unwrap();
    let frame = 64 * 48 * 3 / 2;
    for i in 0..10u64 {
        let mut f = vec![0u8; frame];
        f[0] = 100 + i as u8;
        w.write_sample(0, i * 333_333, 0, &buffer(&f)).unwrap();
    }
    w.end_writing().unwrap();
    let file = sink.bytes.lock().unwrap().clone();
    let (_, objs) = data_of(&file);
    assert_eq!(objs.len(), 10, "every unit, the flushed last one included");
    let preroll = w.last_summary().unwrap().preroll_ms as u32;
    for (i, o) in objs.iter().enumerate() {
        assert_eq!(o.data, vec![i as u8, 100 + i as u8]);
        assert_eq!(o.presentation_ms, (i as u64 * 333_333 / 10_000) as u32 + preroll, "unit {i} keeps its input time");
        assert_eq!(o.key, i % 3 == 0, "unit {i} key flag");
    }
    assert_eq!(w.last_summary().unwrap().video_frames, 10);
    // The header carries the encoder's BITMAPINFOHEADER (biSizeImage marker), and the
    // key frames are in a Simple Index after the data.
    let hsize = u64::from_le_bytes(file[16..24].try_into().unwrap()) as usize;
    let marker = 0xC0DECu32.to_le_bytes();
    assert!(file[..hsize].windows(4).any(|x| x == marker), "the encoder's format is in the header");
    let index_guid = crate::asf::guids::SIMPLE_INDEX.to_bytes();
    let data_size = u64::from_le_bytes(file[hsize + 16..hsize + 24].try_into().unwrap()) as usize;
    assert_eq!(&file[hsize + data_size..hsize + data_size + 16], &index_guid);
}

/// A fake two-pass encoder: the analysis pass's "statistics" are the first pixel of
/// every frame; the final pass's unit for frame n is [n, its pixel, the pixel the
/// statistics had for frame n, frames in the statistics]; `other_format` makes the
/// final pass's output format differ from the analysis one's.
#[derive(Debug)]
struct FakeTwoPass {
    out: MediaType,
    pass: crate::codec::Pass,
    seen: Vec<u8>,
}

impl StreamEncoder for FakeTwoPass {
    fn output_type(&self) -> &MediaType {
        &self.out
    }
    fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let n = self.seen.len();
        self.seen.push(data[0]);
        let data = match &self.pass {
            crate::codec::Pass::Final(stats) => {
                let s: Vec<u8> = stats.split(';').filter(|x| !x.is_empty()).map(|x| x.parse().unwrap()).collect();
                vec![n as u8, data[0], s[n], s.len() as u8]
            }
            _ => vec![0xEE],
        };
        out.push(EncodedUnit { time, duration: 333_333, key_frame: n == 0, data });
        Ok(())
    }
    fn finish(&mut self, _: &mut Vec<EncodedUnit>) -> Result<()> {
        Ok(())
    }
    fn take_pass_stats(&mut self) -> Option<String> {
        (self.pass == crate::codec::Pass::Analysis).then(|| self.seen.iter().map(|p| format!("{p};")).collect())
    }
}

fn open_two_pass(_: &MediaType, cfg: &EncoderConfig) -> Result<Box<dyn StreamEncoder>> {
    Ok(Box::new(FakeTwoPass { out: fake_wmv2(), pass: cfg.pass.clone(), seen: Vec::new() }))
}

fn open_two_pass_other_format(_: &MediaType, cfg: &EncoderConfig) -> Result<Box<dyn StreamEncoder>> {
    let mut out = fake_wmv2();
    if matches!(cfg.pass, crate::codec::Pass::Final(_)) {
        out.format[68..72].copy_from_slice(&0xBADu32.to_le_bytes());
    }
    Ok(Box::new(FakeTwoPass { out, pass: cfg.pass.clone(), seen: Vec::new() }))
}

#[test]
fn a_preprocessing_pass_feeds_its_statistics_to_the_final_encoder_and_writes_nothing() {
    let mut w = Writer::new();
    w.encoder_opener = open_two_pass;
    w.passes_query = |_| Ok(1);
    w.set_profile(&wmv2_profile()).unwrap();
    assert_eq!(w.max_preprocessing_passes(0).unwrap(), 1);
    assert_eq!(w.set_num_preprocessing_passes(0, 2).unwrap_err().kind, ErrorKind::InvalidNumPasses);
    w.set_num_preprocessing_passes(0, 1).unwrap();
    assert_eq!(w.num_preprocessing_passes(0).unwrap(), 1);
    let sink = MemorySink { seekable: true, ..Default::default() };
    w.set_sink(Box::new(sink.clone())).unwrap();
    w.begin_writing().unwrap();
    let frame = 64 * 48 * 3 / 2;
    let frames: Vec<Vec<u8>> = (0..6u8).map(|i| vec![10 + i; frame]).collect();
    assert_eq!(w.write_sample(0, 0, 0, &buffer(&frames[0])).unwrap_err().kind, ErrorKind::InvalidNumPasses);
    assert_eq!(w.preprocess_sample(0, 0, 0, Some(&buffer(&frames[0]))).unwrap_err().kind, ErrorKind::InvalidRequest);
    w.begin_preprocessing_pass(0).unwrap();
    for (i, f) in frames.iter().enumerate() {
        w.preprocess_sample(0, i as u64 * 333_333, 0, Some(&buffer(f))).unwrap();
    }
    assert_eq!(w.write_sample(0, 0, 0, &buffer(&frames[0])).unwrap_err().kind, ErrorKind::InvalidNumPasses);
    w.end_preprocessing_pass(0).unwrap();
    assert_eq!(w.begin_preprocessing_pass(0).unwrap_err().kind, ErrorKind::InvalidRequest);
    for (i, f) in frames.iter().enumerate() {
        w.write_sample(0, i as u64 * 333_333, 0, &buffer(f)).unwrap();
    }
    w.end_writing().unwrap();
    let file = sink.bytes.lock().unwrap().clone();
    let (_, objs) = data_of(&file);
    let want: Vec<Vec<u8>> = (0..6u8).map(|i| vec![i, 10 + i, 10 + i, 6]).collect();
    assert_eq!(objs.iter().map(|o| o.data.clone()).collect::<Vec<_>>(), want, "only the final pass's units, made with the statistics");
    let hsize = u64::from_le_bytes(file[16..24].try_into().unwrap()) as usize;
    assert!(file[..hsize].windows(4).any(|x| x == 0xC0DECu32.to_le_bytes()), "the analysis encoder's format is in the header");

    // A final encoder whose format is not the header's is refused.
    w.encoder_opener = open_two_pass_other_format;
    w.set_sink(Box::new(MemorySink { seekable: true, ..Default::default() })).unwrap();
    w.begin_writing().unwrap();
    assert_eq!(w.write_sample(0, 0, 0, &buffer(&frames[0])).unwrap_err().kind, ErrorKind::InvalidNumPasses, "each session runs the pass");
    w.begin_preprocessing_pass(0).unwrap();
    w.preprocess_sample(0, 0, 0, Some(&buffer(&frames[0]))).unwrap();
    let e = w.end_preprocessing_pass(0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Fail, "{e}");
    assert!(e.message.contains("header"), "{e}");
    w.end_writing().unwrap();

    // Passthrough: no pass; a pass set before makes begin_writing fail.
    w.set_input_props(0, None).unwrap();
    assert_eq!(w.max_preprocessing_passes(0).unwrap(), 0);
    w.set_sink(Box::new(MemorySink { seekable: true, ..Default::default() })).unwrap();
    assert_eq!(w.begin_writing().unwrap_err().kind, ErrorKind::InvalidNumPasses);
    w.set_profile(&wmv2_profile()).unwrap();
    assert_eq!(w.num_preprocessing_passes(0).unwrap(), 0, "set_profile clears the passes");
}
