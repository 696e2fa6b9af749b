//! The built-in WMA Lossless encoder, checked by independent readers: units wrapped
//! into ASF through the passthrough path, then ffprobe (codec, rate, channels, sample
//! format) and ffmpeg's `wmalossless` decoder (no warning, output == input bytes).
mod common;

use std::path::Path;

use common::*;
use proptest::prelude::*;
use wmwriter::codec::wmalossless::WmaLosslessEncoder;
use wmwriter::codec::{self, EncodedUnit, Encoder, EncoderConfig, RawInput};
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData, WaveFormatEx};
use wmwriter::writer::SF_CLEANPOINT;

fn target(ch: u16, rate: u32, bits: u16) -> MediaType {
    let w = WaveFormatEx {
        format_tag: 0x163,
        channels: ch,
        samples_per_sec: rate,
        avg_bytes_per_sec: 0,
        block_align: 0,
        bits_per_sample: bits,
        extra: Vec::new(),
    };
    MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(0x163),
        fixed_size_samples: true,
        temporal_compression: false,
        sample_size: 0,
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: w.to_bytes(),
    }
}

/// Encode interleaved native-width samples; returns the output type and the units.
fn encode(x: &[i32], ch: u16, rate: u32, bits: u16, chunk: usize) -> (MediaType, Vec<EncodedUnit>) {
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    s.media_type = Some(target(ch, rate, bits));
    let cfg = EncoderConfig { stream: s, settings: Vec::new(), pass: Default::default() };
    let mut enc = codec::open(&cfg).expect("open the WMA Lossless encoder");
    assert!(enc.name().contains("Lossless"));
    let shift = 32 - bits as u32;
    let left: Vec<i32> = x.iter().map(|&v| v << shift).collect();
    let mut units = Vec::new();
    let per = chunk * ch as usize;
    for (k, c) in left.chunks(per.max(ch as usize)).enumerate() {
        let t = (k * chunk) as u64 * 10_000_000 / rate as u64;
        enc.encode(RawInput::Audio(c), t, &mut units).unwrap();
    }
    enc.flush(&mut units).unwrap();
    (enc.output_type().clone(), units)
}

fn write_asf(path: &Path, mt: &MediaType, units: &[EncodedUnit]) {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(mt.clone());
    a.bitrate = mt.wave_format().unwrap().avg_bytes_per_sec * 8;
    a.connection_name = "Audio".into();
    p.add_stream(a).unwrap();
    let samples: Vec<Sample> = units
        .iter()
        .map(|u| Sample::Stream { stream: 1, time: u.time, duration: u.duration, flags: SF_CLEANPOINT, data: u.data.clone() })
        .collect();
    write_file(path, &p, &[0], &samples);
}

fn expected_bytes(x: &[i32], bits: u16) -> Vec<u8> {
    let mut v = Vec::with_capacity(x.len() * 4);
    for &s in x {
        if bits == 16 {
            v.extend_from_slice(&(s as i16).to_le_bytes());
        } else {
            v.extend_from_slice(&(s << 8).to_le_bytes());
        }
    }
    v
}

/// Encode with the encoder's packet-layout test hook: `lead` filler bits first.
/// (frame lengths, length-field straddles, dummy bits, packet payload bits).
type Layout = (Vec<usize>, usize, usize, usize);

fn encode_lead(x: &[i32], ch: u16, bits: u16, lead: usize) -> (MediaType, Vec<EncodedUnit>, Layout) {
    let t = target(ch, 44_100, bits);
    let mut enc = WmaLosslessEncoder::new(&t.wave_format().unwrap(), &t, 0).unwrap();
    enc.debug_lead_bits(lead);
    let left: Vec<i32> = x.iter().map(|&v| v << (32 - bits as u32)).collect();
    let mut units = Vec::new();
    enc.encode(RawInput::Audio(&left), 0, &mut units).unwrap();
    enc.flush(&mut units).unwrap();
    (enc.output_type().clone(), units, enc.debug_layout())
}

/// Encode, mux, probe, decode, compare. Returns the compressed size in bytes.
fn roundtrip(name: &str, x: &[i32], ch: u16, rate: u32, bits: u16, chunk: usize) -> usize {
    let (mt, units) = encode(x, ch, rate, bits, chunk);
    check(name, x, ch, rate, bits, &mt, &units)
}

fn check(name: &str, x: &[i32], ch: u16, rate: u32, bits: u16, mt: &MediaType, units: &[EncodedUnit]) -> usize {
    let size: usize = units.iter().map(|u| u.data.len()).sum();
    let frames = x.len() / ch as usize;
    // Units line up: contiguous times starting at 0 and covering the input.
    let mut t = 0;
    for u in units {
        if u.duration > 0 {
            assert_eq!(u.time, t, "{name}: unit times are contiguous");
            t += u.duration;
        }
    }
    assert!(t.abs_diff(frames as u64 * 10_000_000 / rate as u64) <= 1, "{name}: units cover {t} of {frames} samples");
    let dir = TempDir::new(&format!("wmal-{name}"));
    let f = dir.path("f.wma");
    write_asf(&f, mt, units);
    let j = ffprobe_json(&f, &["-show_streams"]);
    let st = &j.get("streams").arr()[0];
    assert_eq!(st.get("codec_name").str(), Some("wmalossless"), "{name}: ffprobe codec");
    assert_eq!(st.get("sample_rate").str().map(|s| s.parse::<u32>().unwrap()), Some(rate), "{name}: rate");
    assert_eq!(st.get("channels").int(), Some(ch as i64), "{name}: channels");
    let fmt = if bits == 16 { "s16p" } else { "s32p" };
    assert_eq!(st.get("sample_fmt").str(), Some(fmt), "{name}: sample format");
    if bits == 24 {
        assert_eq!(st.get("bits_per_raw_sample").str(), Some("24"), "{name}: bits_per_raw_sample");
    }
    let out_fmt = if bits == 16 { "s16le" } else { "s32le" };
    let got = ffmpeg_clean(&["-guess_layout_max", "0", "-i", f.to_str().unwrap(), "-f", out_fmt, "-"]);
    let want = expected_bytes(x, bits);
    assert_eq!(got.len(), want.len(), "{name}: decoded length (bytes)");
    if let Some(i) = got.iter().zip(&want).position(|(a, b)| a != b) {
        panic!("{name}: decoded bytes differ from byte {i} (sample {})", i / if bits == 16 { 2 } else { 4 });
    }
    size
}

/// A deterministic test signal: a chord plus a little noise, per channel phase-shifted.
fn music(frames: usize, ch: usize, rate: u32, bits: u16, seed: u64) -> Vec<i32> {
    let amp = ((1i64 << (bits - 1)) as f64) * 0.3;
    let mut r = seed | 1;
    let mut out = Vec::with_capacity(frames * ch);
    for n in 0..frames {
        let t = n as f64 / rate as f64;
        for c in 0..ch {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            let noise = ((r >> 40) as f64 / (1u64 << 24) as f64 - 0.5) * amp * 0.01;
            let v = amp
                * (0.6 * (2.0 * std::f64::consts::PI * 440.0 * t + c as f64).sin()
                    + 0.3 * (2.0 * std::f64::consts::PI * 661.0 * t).sin()
                    + 0.1 * (2.0 * std::f64::consts::PI * 3000.0 * t + 0.5 * c as f64).sin())
                + noise;
            out.push(v.round() as i32);
        }
    }
    out
}

#[test]
fn stereo_16bit_44k_10s_exact() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let x = music(441_000, 2, 44_100, 16, 1);
    let size = roundtrip("s16-44k", &x, 2, 44_100, 16, 4410);
    assert!(size < x.len() * 2 * 7 / 10, "compressed {size} bytes of {} PCM bytes", x.len() * 2);
}

#[test]
fn stereo_24bit_48k_exact() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let x = music(48_000 * 3 + 17, 2, 48_000, 24, 2);
    roundtrip("s24-48k", &x, 2, 48_000, 24, 1000);
}

#[test]
fn mono_16bit_48k_exact() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let x = music(48_000 * 2 + 5, 1, 48_000, 16, 3);
    roundtrip("m16-48k", &x, 1, 48_000, 16, 777);
}

#[test]
fn stereo_96k_16_and_24bit_exact() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let x = music(96_000 * 2 + 1, 2, 96_000, 24, 4);
    roundtrip("s24-96k", &x, 2, 96_000, 24, 9600);
    let x = music(96_000 + 4095, 2, 96_000, 16, 5);
    roundtrip("s16-96k", &x, 2, 96_000, 16, 9600);
}

#[test]
fn six_channels_16_and_24bit_exact() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let x = music(44_100 * 2, 6, 44_100, 16, 6);
    roundtrip("6ch16", &x, 6, 44_100, 16, 4410);
    let x = music(96_000, 6, 96_000, 24, 7);
    roundtrip("6ch24-96k", &x, 6, 96_000, 24, 4800);
}

#[test]
fn extremes_silence_and_full_scale_noise_exact() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    // Silence, then full-scale square waves and white noise (escape codes, raw tiles).
    let mut x = vec![0i32; 2 * 30_000];
    let mut r = 99u64;
    for n in 0..40_000 {
        for _ in 0..2 {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            let v = if n < 10_000 {
                if (n / 50) % 2 == 0 {
                    32767
                } else {
                    -32768
                }
            } else {
                (r >> 48) as u16 as i16 as i32
            };
            x.push(v);
        }
    }
    roundtrip("extremes16", &x, 2, 44_100, 16, 3000);
    let x24: Vec<i32> = x.iter().map(|&v| v * 256 + (v & 0xFF)).collect();
    roundtrip("extremes24", &x24, 2, 44_100, 24, 3000);
}

#[test]
fn short_inputs_exact() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    for (n, ch) in [(1usize, 2u16), (2047, 1), (2048, 2), (2049, 2), (4097, 1)] {
        let x = music(n, ch as usize, 44_100, 16, n as u64);
        roundtrip(&format!("short{n}x{ch}"), &x, ch, 44_100, 16, 1000);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn random_signals_decode_exactly(
        ch in 1u16..=2,
        bits in prop_oneof![Just(16u16), Just(24u16)],
        len in 1usize..40_000,
        kind in 0u8..4,
        seed in any::<u64>(),
        amp_bits in 1u32..=24,
    ) {
        if !have_tools(&["ffprobe", "ffmpeg"]) {
            return Ok(());
        }
        let amp_bits = amp_bits.min(bits as u32);
        let mut r = seed | 1;
        let mut x = Vec::with_capacity(len * ch as usize);
        let mut walk = 0i64;
        let lim = 1i64 << (bits - 1);
        for n in 0..len {
            for _ in 0..ch {
                r ^= r << 13;
                r ^= r >> 7;
                r ^= r << 17;
                let noise = (((r >> 11) as i64) >> (53 - amp_bits)) - (1i64 << (amp_bits - 1));
                let v = match kind {
                    0 => noise,
                    1 => { walk = (walk + noise / 16).clamp(-lim, lim - 1); walk }
                    2 => if (n / 300) % 3 == 0 { noise } else { 0 },
                    _ => ((n as f64 * 0.05).sin() * (lim as f64 - 1.0) * 0.9) as i64 + noise / 64,
                };
                x.push(v.clamp(-lim, lim - 1) as i32);
            }
        }
        roundtrip(&format!("prop{seed:x}"), &x, ch, 44_100, bits, 1 + (seed as usize % 5000));
    }
}

/// GStreamer (asfdemux + gst-libav's avdec_wmalossless) decodes the file to the input.
#[test]
fn gstreamer_decodes_exactly() {
    if !have_tools(&["gst-launch-1.0", "gst-inspect-1.0"]) {
        return;
    }
    if run("gst-inspect-1.0", &["avdec_wmalossless"]).code != Some(0) {
        assert!(!tools_required(), "avdec_wmalossless (gstreamer1.0-libav) is missing but WMWRITER_REQUIRE_TOOLS=1");
        println!("skipped: no avdec_wmalossless");
        return;
    }
    for (name, bits, fmt) in [("gst16", 16u16, "S16LE"), ("gst24", 24, "S32LE")] {
        let x = music(44_100 * 3 + 123, 2, 44_100, bits, 11);
        let (mt, units) = encode(&x, 2, 44_100, bits, 4410);
        let dir = TempDir::new(&format!("wmal-{name}"));
        let f = dir.path("f.wma");
        write_asf(&f, &mt, &units);
        let out = dir.path("out.raw");
        let args = [
            "-q".to_string(),
            "filesrc".into(),
            format!("location={}", f.display()),
            "!".into(),
            "asfdemux".into(),
            "!".into(),
            "avdec_wmalossless".into(),
            "!".into(),
            "audioconvert".into(),
            "!".into(),
            format!("audio/x-raw,format={fmt},layout=interleaved"),
            "!".into(),
            "filesink".into(),
            format!("location={}", out.display()),
        ];
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run("gst-launch-1.0", &a);
        assert_eq!(r.code, Some(0), "{name}: gst-launch failed:\n{}", r.stderr);
        let got = std::fs::read(&out).unwrap();
        let want = expected_bytes(&x, bits);
        assert_eq!(got.len(), want.len(), "{name}: GStreamer's decoded length");
        assert!(got == want, "{name}: GStreamer's decoded samples differ");
    }
}

/// Frames steered onto packet ends (with the encoder's filler-bit hook): a frame whose
/// length field crosses a packet end, one that starts exactly at a packet start, and a
/// continuation frame ending exactly at a packet end (the dummy-bit case) all decode.
#[test]
fn frames_on_packet_boundaries_decode_exactly() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    for (name, x) in [
        ("tone", music(9000, 1, 44_100, 16, 21)),
        ("noise", {
            let mut r = 5u64;
            (0..9000)
                .map(|_| {
                    r ^= r << 13;
                    r ^= r >> 7;
                    r ^= r << 17;
                    (r >> 48) as u16 as i16 as i32
                })
                .collect::<Vec<i32>>()
        }),
    ] {
        let (_, _, (lens, _, _, pay)) = encode_lead(&x, 1, 16, 0);
        // Payload coordinates: frame k covers [a_k, a_k + len_k), a_0 = lead.
        let find = |pred: &dyn Fn(usize, usize, usize) -> bool| -> Option<usize> {
            (0..pay).find(|&lead| {
                let mut a = lead;
                lens[..lens.len() - 1].iter().enumerate().any(|(k, &l)| {
                    let hit = k > 0 && pred(a, l, pay);
                    a += l;
                    hit
                })
            })
        };
        let straddle = find(&|a, _, p| a % p != 0 && p - a % p <= 16);
        let at_start = find(&|a, _, p| a % p == 0);
        let dummy = find(&|a, l, p| a / p < (a + l - 1) / p && (a + l) % p == 0);
        let mut events = (0, 0);
        for (what, lead) in [("straddle", straddle), ("at-start", at_start), ("dummy", dummy)] {
            let Some(lead) = lead else { continue };
            let (mt, units, (_, s, d, _)) = encode_lead(&x, 1, 16, lead);
            events.0 += s;
            events.1 += d;
            check(&format!("{name}-{what}"), &x, 1, 44_100, 16, &mt, &units);
        }
        assert!(events.0 > 0, "{name}: no frame length field crossed a packet end");
        if name == "noise" {
            assert!(events.1 > 0, "{name}: no dummy bit was needed");
        }
    }
}

/// Size against FLAC level 5 on the same samples: smaller on a tonal signal, at most
/// 1.10× on noise (the bench has the full table).
#[test]
fn size_against_flac_level_5() {
    if !have_tools(&["ffmpeg"]) {
        return;
    }
    let mut r = 77u64;
    let mut lp = 0.0f64;
    let noise: Vec<i32> = (0..2 * 44_100 * 3)
        .map(|_| {
            r ^= r << 13;
            r ^= r >> 7;
            r ^= r << 17;
            let w = (r >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
            lp = 0.95 * lp + 0.05 * w;
            (40000.0 * lp + 800.0 * w).round().clamp(-32768.0, 32767.0) as i32
        })
        .collect();
    for (name, x, limit) in [("tonal", music(44_100 * 3, 2, 44_100, 16, 31), 1.0), ("noise", noise, 1.10)] {
        let (_, units) = encode(&x, 2, 44_100, 16, 4410);
        let ours: usize = units.iter().map(|u| u.data.len()).sum();
        let dir = TempDir::new(&format!("wmal-flac-{name}"));
        let pcm = dir.path("in.raw");
        std::fs::write(&pcm, x.iter().flat_map(|&v| (v as i16).to_le_bytes()).collect::<Vec<u8>>()).unwrap();
        let flac = dir.path("out.flac");
        run(
            "ffmpeg",
            &[
                "-hide_banner",
                "-nostdin",
                "-v",
                "error",
                "-f",
                "s16le",
                "-ar",
                "44100",
                "-ac",
                "2",
                "-i",
                pcm.to_str().unwrap(),
                "-c:a",
                "flac",
                "-compression_level",
                "5",
                flac.to_str().unwrap(),
            ],
        )
        .ok();
        let theirs = std::fs::metadata(&flac).unwrap().len() as f64;
        let ratio = ours as f64 / theirs;
        println!("{name}: WMA Lossless {ours} bytes, FLAC-5 {theirs} bytes, ratio {ratio:.3}");
        assert!(ratio < limit, "{name}: WMA Lossless is {ratio:.3}× FLAC level 5 (limit {limit})");
    }
}

/// The last frame is padded to end on a byte of its packet wherever it falls, also when
/// it ends right around a packet end (the encoder's debug assertion checks every lead;
/// ffmpeg decodes some of them).
#[test]
fn last_frame_alignment_near_packet_ends() {
    if !have_tools(&["ffprobe", "ffmpeg"]) {
        return;
    }
    let x = music(1500, 1, 44_100, 16, 41);
    let (_, _, (lens, _, _, pay)) = encode_lead(&x, 1, 16, 0);
    let l = lens[0];
    let from = pay.saturating_sub(l + 48);
    for lead in from..(from + 80).min(pay - 1) {
        let (mt, units, _) = encode_lead(&x, 1, 16, lead);
        if lead % 9 == 0 {
            check(&format!("align{lead}"), &x, 1, 44_100, 16, &mt, &units);
        }
    }
}
