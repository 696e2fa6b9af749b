//! Raw audio input → the encoder's canonical form: interleaved left-justified `i32` at the
//! target's rate and channel count.
//!
//! Sample formats (8-bit unsigned, 16/24/32-bit signed, 32-bit float; WAVEFORMATEX or
//! WAVEFORMATEXTENSIBLE) are unpacked here: a shift per sample, no crate does it better.
//! Channel mixing uses a fixed matrix (below). Resampling uses `rubato` (a well-kept
//! FFT-based resampler, MIT/Apache-2.0); its output delay is trimmed so the output stays
//! sample-aligned with the input.
#![forbid(unsafe_code)]

use rubato::{FftFixedIn, Resampler};

use crate::error::Result;
use crate::profile::media::WaveFormatEx;

/// The input sample format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleFormat {
    /// 8-bit unsigned.
    U8,
    /// 16-bit signed.
    S16,
    /// 24-bit signed, packed in 3 bytes.
    S24,
    /// 32-bit signed.
    S32,
    /// 32-bit IEEE float.
    F32,
}

impl SampleFormat {
    /// The format of a PCM WAVEFORMATEX (tag 1, 3 or EXTENSIBLE).
    pub fn of(w: &WaveFormatEx) -> Result<SampleFormat> {
        let float = w.format_tag == 3 || (w.format_tag == 0xFFFE && w.extra.len() >= 22 && w.extra[6..8] == [3, 0]);
        let container = w.block_align.checked_div(w.channels).unwrap_or(0);
        Ok(match (float, container, w.bits_per_sample) {
            (true, 4, 32) => SampleFormat::F32,
            (false, 1, 1..=8) => SampleFormat::U8,
            (false, 2, 9..=16) | (false, 2, 0) => SampleFormat::S16,
            (false, 3, 17..=24) => SampleFormat::S24,
            (false, 4, 25..=32) | (false, 4, 17..=24) => SampleFormat::S32,
            _ => crate::bail!(
                InvalidInputFormat,
                "PCM input with tag {:#06x}, {} bits in {}-byte containers is not supported (8/16/24/32-bit integer or 32-bit float)",
                w.format_tag,
                w.bits_per_sample,
                container
            ),
        })
    }

    fn bytes(self) -> usize {
        match self {
            SampleFormat::U8 => 1,
            SampleFormat::S16 => 2,
            SampleFormat::S24 => 3,
            SampleFormat::S32 | SampleFormat::F32 => 4,
        }
    }
}

/// Unpack raw bytes to left-justified i32 (full scale 2^31), appending to `out`.
pub fn unpack(fmt: SampleFormat, data: &[u8], out: &mut Vec<i32>) {
    let n = data.len() / fmt.bytes();
    out.reserve(n);
    match fmt {
        SampleFormat::U8 => out.extend(data.iter().map(|&b| ((b as i32) - 128) << 24)),
        SampleFormat::S16 => out.extend(data.chunks_exact(2).map(|c| (i16::from_le_bytes([c[0], c[1]]) as i32) << 16)),
        SampleFormat::S24 => out.extend(data.chunks_exact(3).map(|c| i32::from_le_bytes([0, c[0], c[1], c[2]]))),
        SampleFormat::S32 => out.extend(data.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
        SampleFormat::F32 => out.extend(data.chunks_exact(4).map(|c| {
            let x = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            let x = if x.is_finite() { x.clamp(-1.0, 1.0) } else { 0.0 };
            (x as f64 * 2_147_483_648.0).clamp(i32::MIN as f64, i32::MAX as f64) as i32
        })),
    }
}

/// Down/up-mix weights: `m[o][i]` is input channel i's weight in output channel o.
///
/// Channels are taken in WAVEFORMATEX default order (FL FR FC LFE BL BR SL SR). To
/// stereo: L = FL + ½√2·(FC + BL + SL), R likewise, LFE dropped (ITU-R BS.775's
/// downmix), normalised so a full-scale input cannot clip. To mono: the stereo
/// downmix's average. Up-mixing copies channels that exist (mono goes to both L and R)
/// and leaves the others silent.
pub fn mix_matrix(inp: usize, outp: usize) -> Vec<Vec<f32>> {
    const H: f32 = std::f32::consts::FRAC_1_SQRT_2;
    let mut m = vec![vec![0.0f32; inp]; outp];
    if inp == outp {
        for (o, row) in m.iter_mut().enumerate() {
            row[o] = 1.0;
        }
        return m;
    }
    if inp == 1 {
        for row in m.iter_mut().take(2) {
            row[0] = 1.0;
        }
        return m;
    }
    // Stereo fold of the input.
    let mut l = vec![0.0f32; inp];
    let mut r = vec![0.0f32; inp];
    for i in 0..inp {
        match i {
            0 => l[i] = 1.0,
            1 => r[i] = 1.0,
            2 => {
                l[i] = H;
                r[i] = H;
            }
            3 => {}
            _ if i % 2 == 0 => l[i] = H,
            _ => r[i] = H,
        }
    }
    let norm = l.iter().sum::<f32>().max(r.iter().sum::<f32>()).max(1.0);
    if outp == 1 {
        m[0] = l.iter().zip(&r).map(|(a, b)| (a + b) / (2.0 * norm)).collect();
        return m;
    }
    if outp == 2 {
        m[0] = l.iter().map(|a| a / norm).collect();
        m[1] = r.iter().map(|a| a / norm).collect();
        return m;
    }
    // More than two outputs: keep what exists; fold the rest into L/R.
    for (o, row) in m.iter_mut().enumerate() {
        if o < inp {
            row[o] = 1.0;
        }
    }
    if inp > outp {
        for i in outp..inp {
            m[0][i] = l[i] / norm;
            m[1][i] = r[i] / norm;
        }
    }
    m
}

/// PCM in any accepted layout → interleaved i32 at the target rate/channels.
pub struct AudioConverter {
    fmt: SampleFormat,
    in_ch: usize,
    out_ch: usize,
    mix: Option<Vec<Vec<f32>>>,
    resampler: Option<FftFixedIn<f32>>,
    /// Planar f32 waiting for a full resampler chunk.
    pending: Vec<Vec<f32>>,
    /// Output frames still to drop (the resampler's delay).
    skip: usize,
    /// Output frames owed (input frames × ratio), for the final partial chunk.
    in_frames: u64,
    out_frames: u64,
    ratio: (u64, u64),
    scratch: Vec<i32>,
    outbuf: Vec<Vec<f32>>,
}

impl std::fmt::Debug for AudioConverter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AudioConverter")
            .field("fmt", &self.fmt)
            .field("in_ch", &self.in_ch)
            .field("out_ch", &self.out_ch)
            .field("resample", &self.ratio)
            .finish()
    }
}

impl AudioConverter {
    /// A converter from the input's WAVEFORMATEX to `out_rate` Hz × `out_ch` channels.
    pub fn new(input: &WaveFormatEx, out_rate: u32, out_ch: usize) -> Result<AudioConverter> {
        let fmt = SampleFormat::of(input)?;
        let in_ch = input.channels as usize;
        if !(1..=8).contains(&in_ch) || !(1..=8).contains(&out_ch) {
            crate::bail!(InvalidInputFormat, "audio input has {in_ch} channels; 1 to 8 are supported");
        }
        let (ir, or) = (input.samples_per_sec as usize, out_rate as usize);
        if ir == 0 || or == 0 {
            crate::bail!(InvalidInputFormat, "audio input rate {ir} Hz or target rate {or} Hz is zero");
        }
        let resampler = if ir != or {
            Some(
                FftFixedIn::<f32>::new(ir, or, 1024, 2, out_ch)
                    .map_err(|e| crate::err!(InvalidInputFormat, "cannot resample {ir} Hz to {or} Hz: {e}"))?,
            )
        } else {
            None
        };
        let skip = resampler.as_ref().map(|r| r.output_delay()).unwrap_or(0);
        let outbuf = resampler.as_ref().map(|r| r.output_buffer_allocate(true)).unwrap_or_default();
        Ok(AudioConverter {
            fmt,
            in_ch,
            out_ch,
            mix: (in_ch != out_ch).then(|| mix_matrix(in_ch, out_ch)),
            resampler,
            pending: vec![Vec::new(); out_ch],
            skip,
            in_frames: 0,
            out_frames: 0,
            ratio: (ir as u64, or as u64),
            scratch: Vec::new(),
            outbuf,
        })
    }

    /// Bytes per input frame.
    pub fn frame_bytes(&self) -> usize {
        self.fmt.bytes() * self.in_ch
    }

    /// Convert `data` (whole input frames); append output samples to `out`.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<i32>) -> Result<()> {
        if data.len() % self.frame_bytes() != 0 {
            crate::bail!(InvalidData, "audio sample of {} bytes is not a whole number of {}-byte frames", data.len(), self.frame_bytes());
        }
        if self.mix.is_none() && self.resampler.is_none() {
            unpack(self.fmt, data, out);
            return Ok(());
        }
        self.scratch.clear();
        unpack(self.fmt, data, &mut self.scratch);
        let frames = self.scratch.len() / self.in_ch;
        self.in_frames += frames as u64;
        const S: f32 = 1.0 / 2_147_483_648.0;
        // Mix into planar f32.
        for (o, p) in self.pending.iter_mut().enumerate() {
            p.reserve(frames);
            match &self.mix {
                Some(m) => {
                    let row = &m[o];
                    p.extend(self.scratch.chunks_exact(self.in_ch).map(|f| f.iter().zip(row).map(|(&x, w)| x as f32 * S * w).sum::<f32>()));
                }
                None => p.extend(self.scratch.iter().skip(o).step_by(self.in_ch).map(|&x| x as f32 * S)),
            }
        }
        if self.resampler.is_none() {
            let n = self.pending[0].len();
            self.emit(n, out);
            return Ok(());
        }
        self.run_resampler(false, out)
    }

    /// End of input: flush the resampler's tail.
    pub fn finish(&mut self, out: &mut Vec<i32>) -> Result<()> {
        if self.resampler.is_some() {
            self.run_resampler(true, out)?;
        }
        Ok(())
    }

    fn emit_planar(&mut self, planes_len: usize, out: &mut Vec<i32>, from_outbuf: bool) {
        let src: &Vec<Vec<f32>> = if from_outbuf { &self.outbuf } else { &self.pending };
        let drop = self.skip.min(planes_len);
        self.skip -= drop;
        let owed = (self.in_frames * self.ratio.1 / self.ratio.0).saturating_sub(self.out_frames) as usize;
        let take = (planes_len - drop).min(if from_outbuf { owed } else { usize::MAX });
        out.reserve(take * self.out_ch);
        for k in drop..drop + take {
            for p in src.iter() {
                out.push((p[k].clamp(-1.0, 1.0) as f64 * 2_147_483_647.0) as i32);
            }
        }
        self.out_frames += take as u64;
    }

    fn emit(&mut self, n: usize, out: &mut Vec<i32>) {
        self.emit_planar(n, out, false);
        for p in &mut self.pending {
            p.drain(..n);
        }
    }

    fn run_resampler(&mut self, last: bool, out: &mut Vec<i32>) -> Result<()> {
        let Some(mut r) = self.resampler.take() else { return Ok(()) };
        let mut res = Ok(());
        let total = self.in_frames * self.ratio.1 / self.ratio.0;
        let mut tail_rounds = 0;
        loop {
            let need = r.input_frames_next();
            let have = self.pending[0].len();
            if have < need {
                // A partial chunk only at the end, until every owed frame is out.
                if !last || self.out_frames >= total || tail_rounds > 64 {
                    break;
                }
                tail_rounds += 1;
            }
            let take = have.min(need);
            let input: Vec<&[f32]> = self.pending.iter().map(|p| &p[..take]).collect();
            let done = if take == 0 {
                r.process_partial_into_buffer(None::<&[&[f32]]>, &mut self.outbuf, None)
            } else if take < need {
                r.process_partial_into_buffer(Some(&input), &mut self.outbuf, None)
            } else {
                r.process_into_buffer(&input, &mut self.outbuf, None)
            };
            match done {
                Ok((used, produced)) => {
                    for p in &mut self.pending {
                        p.drain(..used.min(take));
                    }
                    self.emit_planar(produced, out, true);
                    if take < need && produced == 0 {
                        break;
                    }
                }
                Err(e) => {
                    res = Err(crate::err!(Fail, "resampling failed: {e}"));
                    break;
                }
            }
        }
        self.resampler = Some(r);
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wfx(tag: u16, ch: u16, rate: u32, bits: u16, container: u16) -> WaveFormatEx {
        WaveFormatEx {
            format_tag: tag,
            channels: ch,
            samples_per_sec: rate,
            avg_bytes_per_sec: rate * (ch * container) as u32,
            block_align: ch * container,
            bits_per_sample: bits,
            extra: Vec::new(),
        }
    }

    #[test]
    fn unpack_formats() {
        let mut v = Vec::new();
        unpack(SampleFormat::U8, &[0, 128, 255], &mut v);
        assert_eq!(v, [i32::MIN, 0, 127 << 24]);
        v.clear();
        unpack(SampleFormat::S16, &(-2i16).to_le_bytes(), &mut v);
        assert_eq!(v, [-2 << 16]);
        v.clear();
        unpack(SampleFormat::S24, &[1, 2, 0x83], &mut v);
        assert_eq!(v, [i32::from_le_bytes([0, 1, 2, 0x83])]);
        v.clear();
        unpack(SampleFormat::F32, &[0.5f32.to_le_bytes(), (-1.0f32).to_le_bytes(), f32::NAN.to_le_bytes()].concat(), &mut v);
        assert_eq!(v, [1 << 30, i32::MIN, 0]);
        assert_eq!(SampleFormat::of(&wfx(3, 2, 48000, 32, 4)).unwrap(), SampleFormat::F32);
        assert_eq!(SampleFormat::of(&wfx(1, 2, 48000, 24, 3)).unwrap(), SampleFormat::S24);
        assert!(SampleFormat::of(&wfx(3, 2, 48000, 64, 8)).is_err());
    }

    #[test]
    fn downmix_51_to_stereo_does_not_clip_and_keeps_left_right() {
        let m = mix_matrix(6, 2);
        assert!(m[0][0] > 0.0 && m[0][1] == 0.0 && m[0][3] == 0.0);
        assert!(m.iter().all(|r| r.iter().sum::<f32>() <= 1.0 + 1e-6));
        let mono = mix_matrix(2, 1);
        assert_eq!(mono[0], vec![0.5, 0.5]);
    }

    #[test]
    fn passthrough_is_exact() {
        let mut c = AudioConverter::new(&wfx(1, 2, 44100, 16, 2), 44100, 2).unwrap();
        let mut out = Vec::new();
        c.push(&[1, 0, 2, 0, 3, 0, 4, 0], &mut out).unwrap();
        assert_eq!(out, [1 << 16, 2 << 16, 3 << 16, 4 << 16]);
        assert!(c.push(&[1, 0, 2], &mut out).is_err());
    }

    /// 48 kHz → 44.1 kHz: the length is exact and a sine keeps its phase (the
    /// resampler's delay is trimmed).
    #[test]
    fn resample_is_aligned_and_complete() {
        let (ir, or) = (48000u32, 44100u32);
        let n = 48000usize;
        let f = 1000.0f64;
        let mut bytes = Vec::new();
        for k in 0..n {
            let x = (0.5 * (2.0 * std::f64::consts::PI * f * k as f64 / ir as f64).sin() * 32767.0) as i16;
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        let mut c = AudioConverter::new(&wfx(1, 1, ir, 16, 2), or, 1).unwrap();
        let mut out = Vec::new();
        for chunk in bytes.chunks(2 * 1000) {
            c.push(chunk, &mut out).unwrap();
        }
        c.finish(&mut out).unwrap();
        assert_eq!(out.len(), 44100);
        let mut err = 0.0f64;
        let mut sig = 0.0f64;
        for (k, &y) in out.iter().enumerate().skip(2000).take(40000) {
            let want = 0.5 * (2.0 * std::f64::consts::PI * f * k as f64 / or as f64).sin();
            let got = y as f64 / 2_147_483_648.0;
            err += (want - got).powi(2);
            sig += want * want;
        }
        let snr = 10.0 * (sig / err).log10();
        assert!(snr > 60.0, "resampled sine SNR {snr:.1} dB");
    }
}
