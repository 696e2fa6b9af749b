//! WMA Lossless vs FLAC: size ratio and encode speed on four 10 s stereo 16-bit 44.1 kHz
//! signals (tonal, noisy, transient, silent-with-bursts). Run through
//! `bench/wmalossless.sh`; FLAC sizes come from `ffmpeg -c:a flac -compression_level 5/8`
//! on the same samples (the size of the .flac file; its header is a few hundred bytes).
use std::process::Command;
use std::time::Instant;

use wmwriter::codec::wmalossless::{Config, WmaLosslessEncoder};
use wmwriter::codec::{self, Encoder, EncoderConfig, RawInput};
use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::{MediaType, StreamConfigData, WaveFormatEx};

const RATE: u32 = 44_100;
const SECS: usize = 10;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

fn clip(v: f64) -> i32 {
    v.round().clamp(-32768.0, 32767.0) as i32
}

/// Interleaved stereo 16-bit samples.
pub fn signal(kind: &str) -> Vec<i32> {
    let n = RATE as usize * SECS;
    let mut r = Rng(0x1234_5678_9abc_def1);
    let mut out = Vec::with_capacity(2 * n);
    let pi2 = 2.0 * std::f64::consts::PI;
    let (mut lp0, mut lp1) = (0.0f64, 0.0f64);
    for i in 0..n {
        let t = i as f64 / RATE as f64;
        let (a, b) = match kind {
            "tonal" => {
                // A chord of harmonic tones with slow vibrato, a little noise.
                let vib = 1.0 + 0.003 * (pi2 * 5.0 * t).sin();
                let mut s = 0.0;
                for (f, g) in [(220.0, 1.0), (277.2, 0.7), (329.6, 0.6), (440.0, 0.4)] {
                    for h in 1..6 {
                        s += g / (h * h) as f64 * (pi2 * f * h as f64 * vib * t).sin();
                    }
                }
                let s = s * 5000.0;
                (s + 20.0 * r.next(), 0.8 * s + 1000.0 * (pi2 * 110.0 * t).sin() + 20.0 * r.next())
            }
            "noisy" => {
                // Low-passed noise (most of the energy low) plus a white floor.
                lp0 = 0.95 * lp0 + 0.05 * r.next();
                lp1 = 0.95 * lp1 + 0.05 * r.next();
                (40000.0 * lp0 + 800.0 * r.next(), 40000.0 * lp1 + 800.0 * r.next())
            }
            "transient" => {
                // Drum-like hits every 250 ms over a quiet bass line.
                let since = t % 0.25;
                let env = (-since * 40.0).exp();
                let hit = env * (12000.0 * r.next() + 8000.0 * (pi2 * 80.0 * since).sin());
                let bass = 3000.0 * (pi2 * 55.0 * t).sin();
                (hit + bass, 0.9 * hit - bass)
            }
            _ => {
                // Digital silence with a 200 ms burst (tone + noise) every 2 s.
                if t % 2.0 < 0.2 {
                    let s = 9000.0 * (pi2 * 1000.0 * t).sin() + 3000.0 * r.next();
                    (s, -s)
                } else {
                    (0.0, 0.0)
                }
            }
        };
        out.push(clip(a));
        out.push(clip(b));
    }
    out
}

/// CPU time this thread has run, in seconds (Linux schedstat), so that other load on a
/// shared machine does not count against the encoder.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(s.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

fn wmal_encode(x: &[i32]) -> (usize, f64) {
    let w = WaveFormatEx {
        format_tag: 0x163,
        channels: 2,
        samples_per_sec: RATE,
        avg_bytes_per_sec: 0,
        block_align: 0,
        bits_per_sample: 16,
        extra: Vec::new(),
    };
    let mt = MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(0x163),
        fixed_size_samples: true,
        temporal_compression: false,
        sample_size: 0,
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: w.to_bytes(),
    };
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    s.media_type = Some(mt);
    let left: Vec<i32> = x.iter().map(|&v| v << 16).collect();
    let start = Instant::now();
    let cpu0 = thread_cpu();
    let mut enc = codec::open(&EncoderConfig { stream: s, settings: Vec::new(), pass: Default::default() }).expect("encoder");
    let mut units = Vec::new();
    for c in left.chunks(2 * 4410) {
        enc.encode(RawInput::Audio(c), 0, &mut units).unwrap();
    }
    enc.flush(&mut units).unwrap();
    let secs = match (cpu0, thread_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => start.elapsed().as_secs_f64(),
    };
    (units.iter().map(|u| u.data.len()).sum(), secs)
}

fn flac_size(pcm: &std::path::Path, level: u32, dir: &std::path::Path) -> (usize, f64) {
    let out = dir.join(format!("l{level}.flac"));
    let start = Instant::now();
    let tfile = dir.join(format!("l{level}.time"));
    let timed = std::path::Path::new("/usr/bin/time").exists();
    let mut cmd = if timed {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%U %S", "-o"]).arg(&tfile).arg("ffmpeg");
        c
    } else {
        Command::new("ffmpeg")
    };
    let st = cmd
        .args(["-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "s16le", "-ar", "44100", "-ac", "2", "-i"])
        .arg(pcm)
        .args(["-c:a", "flac", "-compression_level", &level.to_string(), "-threads", "1"])
        .arg(&out)
        .status()
        .expect("run ffmpeg");
    let mut secs = start.elapsed().as_secs_f64();
    if let Ok(t) = std::fs::read_to_string(&tfile) {
        let v: Vec<f64> = t.lines().last().unwrap_or("").split_whitespace().filter_map(|x| x.parse().ok()).collect();
        if v.len() == 2 {
            secs = v[0] + v[1];
        }
    }
    assert!(st.success(), "ffmpeg flac failed");
    (std::fs::metadata(&out).unwrap().len() as usize, secs)
}

/// Encode with one fixed filter set (the `tune` mode).
fn wmal_with(x: &[i32], cfg: &Config) -> usize {
    let w = WaveFormatEx {
        format_tag: 0x163,
        channels: 2,
        samples_per_sec: RATE,
        avg_bytes_per_sec: 0,
        block_align: 0,
        bits_per_sample: 16,
        extra: Vec::new(),
    };
    let mt = MediaType { format: w.to_bytes(), ..MediaType::default() };
    let mut enc = WmaLosslessEncoder::new(&w, &mt, 0).unwrap();
    enc.set_candidates(vec![cfg.clone()]);
    let left: Vec<i32> = x.iter().map(|&v| v << 16).collect();
    let mut units = Vec::new();
    enc.encode(RawInput::Audio(&left), 0, &mut units).unwrap();
    enc.flush(&mut units).unwrap();
    units.iter().map(|u| u.data.len()).sum()
}

fn tune(spec: &str) {
    // spec: ac_scaling:ac_coef,...;decorr;mclms_order:scaling;o:s,o:s;movave  ('-' = off)
    let f: Vec<&str> = spec.split(';').collect();
    let ac = (f[0] != "-").then(|| {
        let v: Vec<u32> = f[0].split(':').map(|t| t.parse().unwrap()).collect();
        (v[0], v[1..].iter().map(|&c| c as i16).collect())
    });
    let mclms = (f[2] != "-").then(|| {
        let v: Vec<usize> = f[2].split(':').map(|t| t.parse().unwrap()).collect();
        (v[0], v[1] as u32)
    });
    let cdlms = f[3]
        .split(',')
        .map(|p| {
            let v: Vec<usize> = p.split(':').map(|t| t.parse().unwrap()).collect();
            (v[0], v[1] as u32)
        })
        .collect();
    let cfg = Config { ac, decorr: f[1] == "1", mclms, cdlms, movave: f[4].parse().unwrap() };
    print!("{spec:<40}");
    for kind in ["tonal", "noisy", "transient", "silent-with-bursts"] {
        let x = signal(kind);
        print!(" {:>9}", wmal_with(&x, &cfg));
    }
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() > 2 && args[1] == "tune" {
        for spec in &args[2..] {
            tune(spec);
        }
        return;
    }
    let dir = std::env::temp_dir().join(format!("wmal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    println!("10 s stereo 16-bit 44.1 kHz (1 764 000 PCM bytes); speed = seconds of audio per CPU second (one thread each)");
    println!(
        "{:<20} {:>10} {:>10} {:>10} {:>9} {:>9} {:>10} {:>10}",
        "signal", "WMAL B", "FLAC-5 B", "FLAC-8 B", "WMAL/F5", "WMAL/F8", "WMAL x RT", "FLAC5 x RT"
    );
    for kind in ["tonal", "noisy", "transient", "silent-with-bursts"] {
        let x = signal(kind);
        let pcm = dir.join("in.raw");
        let bytes: Vec<u8> = x.iter().flat_map(|&v| (v as i16).to_le_bytes()).collect();
        std::fs::write(&pcm, &bytes).unwrap();
        let (w, wt) = wmal_encode(&x);
        let (f5, f5t) = flac_size(&pcm, 5, &dir);
        let (f8, _) = flac_size(&pcm, 8, &dir);
        println!(
            "{:<20} {:>10} {:>10} {:>10} {:>9.3} {:>9.3} {:>10.1} {:>10.1}",
            kind,
            w,
            f5,
            f8,
            w as f64 / f5 as f64,
            w as f64 / f8 as f64,
            SECS as f64 / wt,
            SECS as f64 / f5t
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
