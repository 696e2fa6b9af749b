//! Property test: random stream mixes, sample sizes (0..3× packet size) and time
//! patterns always parse back (test-helper reader) to the same media objects.

use proptest::prelude::*;

use super::*;
use crate::asf::reader;
use crate::error::ErrorKind;
use crate::guid::sdk;
use crate::profile::{MediaType, StreamConfigData, WaveFormatEx};
use crate::sink::MemorySink;

#[derive(Clone, Copy, Debug)]
enum Kind {
    Pcm,
    CompressedAudio,
    CompressedVideo,
    Script,
}

fn stream_config(kind: Kind, n: u16) -> StreamConfigData {
    let (t, mt) = match kind {
        Kind::Pcm => (sdk::WMMEDIATYPE_AUDIO, MediaType::pcm(1, 8000, 16)),
        Kind::CompressedAudio => {
            let w = WaveFormatEx {
                format_tag: 0x161,
                channels: 2,
                samples_per_sec: 44100,
                avg_bytes_per_sec: 16000,
                block_align: 743,
                bits_per_sample: 16,
                extra: vec![0; 10],
            };
            let mt = MediaType {
                major_type: sdk::WMMEDIATYPE_AUDIO,
                subtype: Guid::fourcc(0x161),
                fixed_size_samples: true,
                temporal_compression: false,
                sample_size: 743,
                format_type: sdk::WMFORMAT_WAVEFORMATEX,
                format: w.to_bytes(),
            };
            (sdk::WMMEDIATYPE_AUDIO, mt)
        }
        Kind::CompressedVideo => {
            let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_WMV2, 64, 48, 400_000);
            mt.subtype = sdk::WMMEDIASUBTYPE_WMV2;
            mt.temporal_compression = true;
            (sdk::WMMEDIATYPE_VIDEO, mt)
        }
        Kind::Script => (sdk::WMMEDIATYPE_SCRIPT, MediaType::script()),
    };
    let mut s = StreamConfigData::new(t, n);
    s.media_type = Some(mt);
    s.bitrate = 64_000;
    s.connection_name = format!("in{n}");
    s
}

fn kind_strategy() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Pcm), Just(Kind::CompressedAudio), Just(Kind::CompressedVideo), Just(Kind::Script)]
}

/// Per stream: (gap to the previous sample in ms, size as a fraction of 3 packets, key).
fn samples_strategy() -> impl Strategy<Value = Vec<(u32, u32, bool)>> {
    prop::collection::vec((0u32..400, 0u32..=1000, any::<bool>()), 1..25)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn packets_parse_back_to_the_same_objects(
        kinds in prop::collection::vec(kind_strategy(), 1..5),
        samples in prop::collection::vec(samples_strategy(), 5),
        packet_size in 100u32..2000,
        jitter in prop::collection::vec(0u32..300, 200),
    ) {
        // A profile may hold one script stream; later ones become compressed audio.
        let mut kinds = kinds;
        for i in 1..kinds.len() {
            if matches!(kinds[i], Kind::Script) && kinds[..i].iter().any(|k| matches!(k, Kind::Script)) {
                kinds[i] = Kind::CompressedAudio;
            }
        }
        let mut p = ProfileData::new(0x90000);
        for (i, k) in kinds.iter().enumerate() {
            p.add_stream(stream_config(*k, i as u16 + 1)).unwrap();
        }
        p.max_packet_size = packet_size;
        let mut w = Writer::new();
        w.set_profile(&p).unwrap();
        for i in 0..kinds.len() {
            if !matches!(kinds[i], Kind::Pcm | Kind::Script) {
                w.set_input_props(i as u32, None).unwrap();
            }
        }
        let sink = MemorySink { seekable: true, ..Default::default() };
        w.set_sink(Box::new(sink.clone())).unwrap();
        w.begin_writing().unwrap();

        // Build every stream's samples, then write them in time order with jitter.
        let mut all = Vec::new(); // (write order key, stream index, time_ms, bytes, key)
        let mut j = jitter.iter().cycle();
        for (si, k) in kinds.iter().enumerate() {
            let mut t = 0u32;
            let mut order = 0u32;
            for (n, (gap, frac, key)) in samples[si].iter().enumerate() {
                t += gap;
                // Jitter the write order across streams, never within one.
                order = order.max(t + j.next().copied().unwrap_or(0));
                let mut size = (*frac as u64 * 3 * packet_size as u64 / 1000) as usize;
                if matches!(k, Kind::Pcm) { size &= !1; }
                let bytes: Vec<u8> = (0..size).map(|b| (b * 7 + n * 13 + si) as u8).collect();
                all.push((order, si, t, bytes, *key));
            }
        }
        all.sort_by_key(|x| (x.0, x.1));
        let mut expected: Vec<Vec<(u32, Vec<u8>, bool)>> = vec![Vec::new(); kinds.len()];
        for (_, si, t, bytes, key) in &all {
            let b = w.allocate_sample(bytes.len() as u32).unwrap();
            b.copy_from(bytes).unwrap();
            let time = *t as u64 * TICKS_PER_MS;
            let flags = if *key { SF_CLEANPOINT } else { 0 };
            let r = match kinds[*si] {
                Kind::Pcm | Kind::Script => w.write_sample(*si as u32, time, flags, &b),
                _ => w.write_stream_sample(*si as u16 + 1, time, 0, flags, &b),
            };
            if bytes.is_empty() {
                prop_assert_eq!(r.unwrap_err().kind, ErrorKind::InvalidData);
                continue;
            }
            r.unwrap();
            let key = !matches!(kinds[*si], Kind::CompressedVideo) || *key;
            expected[*si].push((*t + 3000, bytes.clone(), key));
        }
        w.end_writing().unwrap();

        let file = sink.bytes.lock().unwrap().clone();
        let hsize = u64::from_le_bytes(file[16..24].try_into().unwrap()) as usize;
        let kids = reader::children(&file, 30, hsize).unwrap();
        prop_assert_eq!(u32::from_le_bytes(file[24..28].try_into().unwrap()) as usize, kids.len());
        let fp = &file[kids[0].offset..];
        let ps = u32::from_le_bytes(fp[96..100].try_into().unwrap()) as usize;
        prop_assert_eq!(ps, packet_size as usize);
        let packets = u64::from_le_bytes(fp[56..64].try_into().unwrap()) as usize;
        let data = &file[hsize + 50..hsize + 50 + packets * ps];
        let mut last_send = 0;
        for pkt in data.chunks(ps) {
            let send = u32::from_le_bytes(pkt[7..11].try_into().unwrap());
            prop_assert!(send >= last_send);
            last_send = send;
        }
        let objs = reader::parse_packets(data, ps).unwrap();
        for (si, exp) in expected.iter().enumerate() {
            let got: Vec<(u32, Vec<u8>, bool)> = objs.iter().filter(|o| o.stream as usize == si + 1).map(|o| (o.presentation_ms, o.data.clone(), o.key)).collect();
            // Objects in a compressed payload come back at first + j × delta ms: at most
            // MAX_TIME_ERROR_MS early, never late.
            let slack = crate::asf::packet::MAX_TIME_ERROR_MS;
            prop_assert_eq!(got.len(), exp.len(), "stream {}", si + 1);
            for (g, e) in got.iter().zip(exp) {
                prop_assert!(g.0 <= e.0 && e.0 - g.0 <= slack, "stream {}: time {} for {}", si + 1, g.0, e.0);
            }
            let untimed = |v: &[(u32, Vec<u8>, bool)]| v.iter().map(|o| (o.1.clone(), o.2)).collect::<Vec<_>>();
            prop_assert_eq!(untimed(&got), untimed(exp), "stream {}", si + 1);
        }
        prop_assert_eq!(u64::from_le_bytes(fp[40..48].try_into().unwrap()) as usize, file.len());
    }
}
