//! The built-in WMA v2 (format tag 0x0161) / v1 (0x0160) encoder.
//!
//! Stage B ("parity"): the algorithm class of FFmpeg's encoder. One block size per frame
//! (sine window + MDCT), VLC-coded flat exponents, run/level coefficient coding with the
//! format's tables, M/S stereo always on, one global gain per frame found by a search so
//! that every frame fits `block_align` exactly (CBR, one frame per packet, codec data
//! flags2 = 0x0001). Bit reservoir, variable block length and psychoacoustics are stage C.
//!
//! Timing: a WMA decoder's output lags its input by one frame, and FFmpeg's decoder drops
//! the first two frames of output. The encoder therefore primes the stream with one frame
//! of silence, so that FFmpeg's decoded output starts exactly at input sample 0, and the
//! flush pads with silence until the last input sample has been output. Unit `t` carries
//! time `t0 + (t - 2)·frame` (the time of the first sample it decodes to), clamped to `t0`
//! for the two priming units (their output is dropped by decoders).
#![forbid(unsafe_code)]

mod params;
#[allow(clippy::unreadable_literal)]
mod tables;

use std::sync::Arc;

use rustdct::mdct::Mdct;

use crate::codec::{Backend, EncodedUnit, Encoder, EncoderConfig, RawInput};
use crate::error::Result;
use crate::guid::Guid;
use crate::profile::media::{MediaType, WaveFormatEx};
use crate::{bail, Time100ns};

pub use params::Params;

/// WAVE format tag of WMA v1 ("Windows Media Audio", DivX audio).
pub const TAG_WMAV1: u16 = 0x0160;
/// WAVE format tag of WMA v2 (WMA 7/8/9 Standard).
pub const TAG_WMAV2: u16 = 0x0161;

/// The built-in WMA v1/v2 backend.
#[derive(Debug, Default)]
pub struct BuiltinWma;

/// The backend instance registered in [`crate::codec::backends`].
pub static BACKEND: BuiltinWma = BuiltinWma;

impl Backend for BuiltinWma {
    fn name(&self) -> &'static str {
        "builtin-wma"
    }

    fn supports(&self, subtype: &Guid) -> bool {
        *subtype == Guid::fourcc(u32::from(TAG_WMAV2)) || *subtype == Guid::fourcc(u32::from(TAG_WMAV1))
    }

    fn open(&self, cfg: &EncoderConfig) -> Result<Box<dyn Encoder>> {
        let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
        let wfx = target
            .wave_format()
            .ok_or_else(|| crate::err!(InvalidStream, "stream {}: the WMA media type has no valid WAVEFORMATEX", cfg.stream.number))?;
        let version = match wfx.format_tag {
            TAG_WMAV2 => 2,
            TAG_WMAV1 => 1,
            t => bail!(InvalidStream, "stream {}: format tag 0x{t:04X} is not WMA v1/v2", cfg.stream.number),
        };
        let bit_rate = if wfx.avg_bytes_per_sec > 0 { wfx.avg_bytes_per_sec * 8 } else { cfg.stream.bitrate };
        Ok(Box::new(WmaEncoder::new(version, wfx.channels, wfx.samples_per_sec, bit_rate)?))
    }
}

/// MSB-first bit writer into a reused buffer, or a pure bit counter.
trait BitSink {
    fn put(&mut self, n: u32, v: u32);
    fn bits(&self) -> usize;
    fn align(&mut self) {
        let r = self.bits() % 8;
        if r != 0 {
            self.put(8 - r as u32, 0);
        }
    }
}

struct Counter(usize);

impl BitSink for Counter {
    #[inline]
    fn put(&mut self, n: u32, _v: u32) {
        self.0 += n as usize;
    }
    fn bits(&self) -> usize {
        self.0
    }
}

struct Writer<'a> {
    buf: &'a mut Vec<u8>,
    acc: u64,
    nacc: u32,
    total: usize,
}

impl<'a> Writer<'a> {
    fn new(buf: &'a mut Vec<u8>) -> Self {
        buf.clear();
        Writer { buf, acc: 0, nacc: 0, total: 0 }
    }
    fn finish(mut self) {
        self.align();
        debug_assert_eq!(self.nacc, 0);
    }
}

impl BitSink for Writer<'_> {
    #[inline]
    fn put(&mut self, n: u32, v: u32) {
        debug_assert!(n <= 32 && (n == 32 || u64::from(v) < (1u64 << n)));
        self.acc = (self.acc << n) | u64::from(v);
        self.nacc += n;
        self.total += n as usize;
        while self.nacc >= 8 {
            self.nacc -= 8;
            self.buf.push((self.acc >> self.nacc) as u8);
        }
        self.acc &= (1u64 << self.nacc) - 1;
    }
    fn bits(&self) -> usize {
        self.total
    }
}

/// Frame layout constants for the flat exponent (every band the same value).
const FLAT_EXP: i32 = 36;

/// Scale from an MDCT coefficient of a full-scale (±1.0) signal to the decoder's
/// quantiser unit at total gain 0 (v2), found from FFmpeg's scaling conventions and
/// checked by the round-trip gain test.
const COEF_SCALE: f32 = 32768.0;

/// One WMA v1/v2 encoder (see the module docs).
pub struct WmaEncoder {
    p: Params,
    output: MediaType,
    mdct: Arc<dyn Mdct<f32>>,
    scratch: Vec<f32>,
    /// Per channel: the previous frame's samples (MDCT first half).
    prev: Vec<Vec<f32>>,
    /// Per channel: samples of the frame being filled.
    cur: Vec<Vec<f32>>,
    /// Per channel: MDCT coefficients in quantiser units at gain 0.
    coefs: Vec<Vec<f32>>,
    /// Per channel: quantised levels of the last trial.
    quant: Vec<Vec<i32>>,
    /// Samples (per channel) held in `cur`.
    fill: usize,
    /// Frames encoded so far (including the priming frame).
    frames: u64,
    /// Input samples (per channel) taken so far, priming silence excluded.
    taken: u64,
    t0: Option<Time100ns>,
    last_gain: u32,
    buf: Vec<u8>,
}

impl std::fmt::Debug for WmaEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WmaEncoder").field("params", &self.p).finish()
    }
}

impl WmaEncoder {
    /// An encoder for WMA `version` (1 or 2), `channels` (1–2), `rate` (≤ 48 kHz) at
    /// `bit_rate` bit/s (CBR, one frame per packet).
    pub fn new(version: u8, channels: u16, rate: u32, bit_rate: u32) -> Result<WmaEncoder> {
        let Some(p) = Params::new(version, channels as usize, rate, bit_rate) else {
            bail!(
                InvalidStream,
                "WMA v{version} cannot encode {channels} channel(s) at {rate} Hz and {bit_rate} bit/s (1-2 channels, at most 48000 Hz)"
            );
        };
        // The smallest frame: header, gain, noise flags, one-bit exponents and an EOB per channel.
        let min_align = (1 + p.channels * 2 + 7 * 4 + p.channels * (p.high_bands + p.bands.len() + 5 + 24)).div_ceil(8);
        if p.block_align < min_align || p.block_align > 16384 {
            bail!(
                InvalidStream,
                "WMA v{version}: {bit_rate} bit/s at {rate} Hz gives {} bytes per packet, outside {min_align}..=16384",
                p.block_align
            );
        }
        let n = p.frame_len;
        let mut planner = rustdct::DctPlanner::new();
        let mdct = planner.plan_mdct(n, rustdct::mdct::window_fn::mp3);
        let scratch = vec![0.0; mdct.get_scratch_len()];
        let extra = if version == 2 { vec![0, 0, 0, 0, 1, 0, 0, 0, 0, 0] } else { vec![0, 0, 1, 0] };
        let wfx = WaveFormatEx {
            format_tag: if version == 2 { TAG_WMAV2 } else { TAG_WMAV1 },
            channels,
            samples_per_sec: rate,
            avg_bytes_per_sec: bit_rate / 8,
            block_align: p.block_align as u16,
            bits_per_sample: 16,
            extra,
        };
        let output = MediaType {
            major_type: crate::guid::sdk::WMMEDIATYPE_AUDIO,
            subtype: Guid::fourcc(u32::from(wfx.format_tag)),
            fixed_size_samples: true,
            temporal_compression: false,
            sample_size: p.block_align as u32,
            format_type: crate::guid::sdk::WMFORMAT_WAVEFORMATEX,
            format: wfx.to_bytes(),
        };
        let ch = p.channels;
        Ok(WmaEncoder {
            output,
            mdct,
            scratch,
            prev: vec![vec![0.0; n]; ch],
            cur: vec![vec![0.0; n]; ch],
            coefs: vec![vec![0.0; n]; ch],
            quant: vec![vec![0; n]; ch],
            // The priming frame: one frame of silence before the first input sample.
            fill: n,
            frames: 0,
            taken: 0,
            t0: None,
            last_gain: 40,
            buf: Vec::with_capacity(p.block_align + 64),
            p,
        })
    }

    /// The stream parameters.
    pub fn params(&self) -> &Params {
        &self.p
    }

    fn unit_time(&self, t: u64) -> Time100ns {
        let t0 = self.t0.unwrap_or(0);
        let n = self.p.frame_len as u64;
        t0 + (t.saturating_sub(2) * n * 10_000_000) / u64::from(self.p.rate)
    }

    /// Transform the full frame in `cur` (with `prev`), encode it, append the unit.
    fn encode_frame(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let n = self.p.frame_len;
        let mut scale = COEF_SCALE;
        if self.p.version == 1 {
            scale /= ((n / 2) as f32).sqrt();
        }
        for ch in 0..self.p.channels {
            self.mdct.process_mdct_with_scratch(&self.prev[ch], &self.cur[ch], &mut self.coefs[ch], &mut self.scratch);
            for c in self.coefs[ch].iter_mut() {
                *c *= scale;
            }
            std::mem::swap(&mut self.prev[ch], &mut self.cur[ch]);
        }
        if self.p.channels == 2 {
            let (l, r) = self.coefs.split_at_mut(1);
            for (a, b) in l[0].iter_mut().zip(r[0].iter_mut()) {
                let (x, y) = (*a * 0.5, *b * 0.5);
                *a = x + y;
                *b = x - y;
            }
        }
        let gain = self.search_gain()?;
        self.last_gain = gain;
        self.quantise(gain);
        let mut buf = std::mem::take(&mut self.buf);
        let mut w = Writer::new(&mut buf);
        self.write_frame(&mut w, gain).map_err(|_| crate::err!(Fail, "WMA frame coding failed at gain {gain}"))?;
        w.finish();
        debug_assert!(buf.len() <= self.p.block_align);
        buf.resize(self.p.block_align, b'N');
        let mut data = Vec::with_capacity(self.p.block_align);
        data.extend_from_slice(&buf);
        self.buf = buf;
        let t = self.frames;
        self.frames += 1;
        out.push(EncodedUnit {
            time: self.unit_time(t),
            duration: (n as u64 * 10_000_000) / u64::from(self.p.rate),
            key_frame: true,
            data,
        });
        Ok(())
    }

    /// Quantise every coded coefficient at `gain`; false if one does not fit the decoder's
    /// 16-bit range.
    fn quantise(&mut self, gain: u32) -> bool {
        let inv = 10f32.powf(-(gain as f32) * 0.05);
        let (s, e) = (self.p.coefs_start, self.p.coefs_end);
        let mut ok = true;
        for ch in 0..self.p.channels {
            let q = &mut self.quant[ch][..e - s];
            for (q, &c) in q.iter_mut().zip(&self.coefs[ch][s..e]) {
                let t = (c * inv).round();
                ok &= t.abs() <= 32767.0;
                *q = t as i32;
            }
        }
        ok
    }

    /// The smallest total gain whose frame fits `block_align`.
    fn search_gain(&mut self) -> Result<u32> {
        let limit = self.p.block_align * 8;
        let fits = |enc: &mut Self, g: u32| -> bool {
            if !enc.quantise(g) {
                return false;
            }
            let mut c = Counter(0);
            enc.write_frame(&mut c, g).is_ok() && c.0.div_ceil(8) * 8 <= limit
        };
        // Bracket from the last frame's gain, then bisect.
        let (mut lo, mut hi) = (0u32, self.last_gain.max(1)); // lo: does not fit (or 0), hi: fits
        while !fits(self, hi) {
            lo = hi;
            hi *= 2;
            if hi > 4096 {
                bail!(Fail, "WMA: no gain makes the frame fit {} bytes", self.p.block_align);
            }
        }
        if lo == 0 {
            let mut step = 1;
            loop {
                let g = hi.saturating_sub(step);
                if g == 0 {
                    break;
                }
                if fits(self, g) {
                    hi = g;
                    step *= 2;
                } else {
                    lo = g;
                    break;
                }
            }
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if fits(self, mid) {
                hi = mid
            } else {
                lo = mid
            }
        }
        Ok(hi)
    }

    /// The frame's bitstream at `gain` from `self.quant` (Err: a level too large for the
    /// escape width).
    fn write_frame<S: BitSink>(&self, s: &mut S, gain: u32) -> std::result::Result<(), ()> {
        let p = &self.p;
        let ch = p.channels;
        if ch == 2 {
            s.put(1, 1); // M/S stereo
        }
        for _ in 0..ch {
            s.put(1, 1); // channel coded
        }
        let mut v = gain - 1;
        while v >= 127 {
            s.put(7, 127);
            v -= 127;
        }
        s.put(7, v);
        let esc_bits = params::gain_to_bits(gain);
        if p.use_noise_coding {
            for _ in 0..ch {
                s.put(p.high_bands as u32, 0); // no band replaced by noise
            }
        }
        for _ in 0..ch {
            let mut last = if p.version == 1 {
                s.put(5, (FLAT_EXP - 10) as u32);
                FLAT_EXP
            } else {
                36
            };
            let skip = usize::from(p.version == 1);
            for _ in skip..p.bands.len() {
                let code = (FLAT_EXP - last + 60) as usize;
                s.put(u32::from(tables::EXP_BITS[code]), tables::EXP_CODES[code]);
                last = FLAT_EXP;
            }
        }
        let n = p.coefs_end - p.coefs_start;
        for c in 0..ch {
            let t = &p.coef[usize::from(c == 1 && ch == 2)];
            let mut run = 0u32;
            for &q in &self.quant[c][..n] {
                if q == 0 {
                    run += 1;
                    continue;
                }
                let a = q.unsigned_abs();
                match t.index(run, a) {
                    Some(i) => s.put(u32::from(t.bits[i]), t.codes[i]),
                    None => {
                        if a >= 1 << esc_bits {
                            return Err(());
                        }
                        s.put(u32::from(t.bits[0]), t.codes[0]);
                        s.put(esc_bits, a);
                        s.put(p.frame_len_bits, run);
                    }
                }
                s.put(1, u32::from(q < 0)); // 1 = negative in this MDCT's sign convention
                run = 0;
            }
            if run > 0 {
                s.put(u32::from(t.bits[1]), t.codes[1]);
            }
            if p.version == 1 && ch == 2 {
                s.align();
            }
        }
        Ok(())
    }
}

impl Encoder for WmaEncoder {
    fn name(&self) -> String {
        format!("built-in WMA v{}", self.p.version)
    }

    fn output_type(&self) -> &MediaType {
        &self.output
    }

    fn encode(&mut self, input: RawInput<'_>, time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let RawInput::Audio(pcm) = input else { bail!(InvalidData, "the WMA encoder takes audio input, not video") };
        let ch = self.p.channels;
        if pcm.len() % ch != 0 {
            bail!(InvalidData, "{} interleaved samples are not a whole number of {ch}-channel frames", pcm.len());
        }
        if self.t0.is_none() {
            self.t0 = Some(time);
        }
        const NORM: f32 = 1.0 / 2_147_483_648.0;
        let n = self.p.frame_len;
        let mut rest = pcm;
        while !rest.is_empty() {
            if self.fill == n {
                self.encode_frame(out)?;
                self.fill = 0;
            }
            let take = (n - self.fill).min(rest.len() / ch);
            for c in 0..ch {
                let dst = &mut self.cur[c][self.fill..self.fill + take];
                for (d, s) in dst.iter_mut().zip(rest[c..].iter().step_by(ch)) {
                    *d = *s as f32 * NORM;
                }
            }
            self.fill += take;
            self.taken += take as u64;
            rest = &rest[take * ch..];
        }
        Ok(())
    }

    fn flush(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let n = self.p.frame_len as u64;
        // Padded stream length: one priming frame + the input; frames must reach one frame past it.
        let total = n + self.taken;
        while self.frames * n < total + n {
            for c in 0..self.p.channels {
                self.cur[c][self.fill..].fill(0.0);
            }
            self.fill = self.p.frame_len;
            self.encode_frame(out)?;
            self.fill = 0;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packets_are_block_align_and_cover_the_input() {
        let mut e = WmaEncoder::new(2, 2, 44100, 128_000).unwrap();
        let pcm: Vec<i32> =
            (0..44100 * 2).map(|i| (((i / 2) as f32 * 997.0 * 2.0 * std::f32::consts::PI / 44100.0).sin() * 1.0e9) as i32).collect();
        let mut out = Vec::new();
        e.encode(RawInput::Audio(&pcm), 0, &mut out).unwrap();
        e.flush(&mut out).unwrap();
        // 2048 priming + 44100 samples, output must reach past it: ceil(46148/2048)+1 = 24 frames.
        assert_eq!(out.len(), 24);
        assert!(out.iter().all(|u| u.data.len() == 743 && u.key_frame));
        assert_eq!(out[2].time, 0);
        assert_eq!(out[3].time, 2048 * 10_000_000 / 44100);
    }
}
