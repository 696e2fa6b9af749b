//! Rate-dependent stream parameters of WMA v1/v2 (frame length, band layout, noise-coding
//! decision, coefficient table choice). Every rule here is a property of the bitstream the
//! decoder derives from the WAVEFORMATEX alone, so encoder and decoder must agree exactly.
#![forbid(unsafe_code)]

use super::tables;

/// The 25 critical-band edges in Hz (FFmpeg `wma_freqs.c`, `ff_wma_critical_freqs`).
const CRITICAL_FREQS: [u32; 25] = [
    100, 200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000, 2320, 2700, 3150, 3700, 4400, 5300, 6400, 7700, 9500, 12000,
    15500, 24500,
];

/// One coefficient run/level VLC with its derived lookup: code index of (level, run) is
/// `first[level - 1] + run` when `run < runs[level - 1]`; index 0 is the escape, 1 the EOB.
#[derive(Debug)]
pub struct CoefTable {
    pub codes: &'static [u32],
    pub bits: &'static [u8],
    /// Runs per level (`levels{k}`), trailing zeros dropped.
    pub runs: &'static [u16],
    /// First code index of each level.
    pub first: Vec<u16>,
}

impl CoefTable {
    fn new(k: usize) -> CoefTable {
        let (codes, bits, runs): (&'static [u32], &'static [u8], &'static [u16]) = match k {
            0 => (&tables::COEF0_CODES, &tables::COEF0_BITS, &tables::LEVELS0),
            1 => (&tables::COEF1_CODES, &tables::COEF1_BITS, &tables::LEVELS1),
            2 => (&tables::COEF2_CODES, &tables::COEF2_BITS, &tables::LEVELS2),
            3 => (&tables::COEF3_CODES, &tables::COEF3_BITS, &tables::LEVELS3),
            4 => (&tables::COEF4_CODES, &tables::COEF4_BITS, &tables::LEVELS4),
            _ => (&tables::COEF5_CODES, &tables::COEF5_BITS, &tables::LEVELS5),
        };
        let mut first = Vec::with_capacity(runs.len());
        let mut i = 2u16;
        for &r in runs {
            first.push(i);
            i += r;
        }
        CoefTable { codes, bits, runs, first }
    }

    /// The code index for a (run, |level|) pair, or `None` when it needs the escape.
    #[inline]
    pub fn index(&self, run: u32, level: u32) -> Option<usize> {
        let l = level as usize;
        if l == 0 || l > self.runs.len() || run >= u32::from(self.runs[l - 1]) {
            return None;
        }
        Some(usize::from(self.first[l - 1]) + run as usize)
    }
}

/// Everything the encoder and the decoder derive from (version, rate, channels, bit rate).
#[derive(Debug)]
pub struct Params {
    pub version: u8,
    pub channels: usize,
    pub rate: u32,
    pub bit_rate: u32,
    pub frame_len_bits: u32,
    /// Samples per frame (= MDCT block length: one block size only).
    pub frame_len: usize,
    /// Exponent band widths, summing to `frame_len`.
    pub bands: Vec<usize>,
    pub coefs_start: usize,
    pub coefs_end: usize,
    pub use_noise_coding: bool,
    /// Number of high bands (one "coded as noise" flag each) when noise coding is on.
    pub high_bands: usize,
    /// `byte_offset_bits` of the superframe header (stage C).
    pub byte_offset_bits: u32,
    /// Coefficient tables: [0] for L / M, [1] for the S channel of M/S stereo.
    pub coef: [CoefTable; 2],
    /// CBR packet size in bytes: `bit_rate · frame_len / (8 · rate)`.
    pub block_align: usize,
}

/// The frame length rule (`frame_len_bits`) for WMA v1/v2.
pub fn frame_len_bits(rate: u32, version: u8) -> u32 {
    if rate <= 16000 {
        9
    } else if rate <= 22050 || (rate <= 32000 && version == 1) {
        10
    } else {
        11
    }
}

impl Params {
    /// Parameters for a stream; `None` when the format is outside WMA v1/v2's range.
    pub fn new(version: u8, channels: usize, rate: u32, bit_rate: u32) -> Option<Params> {
        if !(1..=2).contains(&version) || !(1..=2).contains(&channels) || !(1..=48000).contains(&rate) || bit_rate == 0 {
            return None;
        }
        let fbits = frame_len_bits(rate, version);
        let frame_len = 1usize << fbits;

        // The decoder computes these in single precision; so do we.
        let bps = bit_rate as f32 / (channels as u32 * rate) as f32;
        let byte_offset_bits = ((bps * frame_len as f32 / 8.0 + 0.5) as i64).max(1).ilog2() + 2;
        let bps1 = if channels == 2 { bps * 1.6 } else { bps };
        let rate1 = if version == 2 {
            match rate {
                r if r >= 44100 => 44100,
                r if r >= 22050 => 22050,
                r if r >= 16000 => 16000,
                r if r >= 11025 => 11025,
                r if r >= 8000 => 8000,
                r => r,
            }
        } else {
            rate
        };
        let mut noise = true;
        let mut high_freq = rate as f32 * 0.5;
        match rate1 {
            44100 => {
                if bps1 >= 0.61 {
                    noise = false
                } else {
                    high_freq *= 0.4
                }
            }
            22050 => {
                if bps1 >= 1.16 {
                    noise = false
                } else if bps1 >= 0.72 {
                    high_freq *= 0.7
                } else {
                    high_freq *= 0.6
                }
            }
            16000 => high_freq *= if bps > 0.5 { 0.5 } else { 0.3 },
            11025 => high_freq *= 0.7,
            8000 => {
                if bps <= 0.625 {
                    high_freq *= 0.5
                } else if bps > 0.75 {
                    noise = false
                } else {
                    high_freq *= 0.65
                }
            }
            _ => {
                high_freq *= if bps >= 0.8 {
                    0.75
                } else if bps >= 0.6 {
                    0.6
                } else {
                    0.5
                }
            }
        }

        // Exponent bands of the (only) block size. v2's hard-coded tables apply to the
        // shorter blocks of variable-length mode only, so the computed layout is used here.
        let block_len = frame_len;
        let mut bands = Vec::with_capacity(25);
        if version == 1 {
            let mut lpos = 0usize;
            for &a in &CRITICAL_FREQS {
                let pos = ((block_len * 2 * a as usize + (rate as usize >> 1)) / rate as usize).min(block_len);
                bands.push(pos - lpos);
                if pos >= block_len {
                    break;
                }
                lpos = pos;
            }
        } else {
            let mut lpos = 0usize;
            for &a in &CRITICAL_FREQS {
                let pos = (((block_len * 2 * a as usize + ((rate as usize) << 1)) / (4 * rate as usize)) << 2).min(block_len);
                if pos > lpos {
                    bands.push(pos - lpos);
                }
                if pos >= block_len {
                    break;
                }
                lpos = pos;
            }
        }
        let coefs_start = if version == 1 { 3 } else { 0 };
        let coefs_end = frame_len - frame_len * 9 / 100;
        let high_band_start = ((block_len as f32 * 2.0 * high_freq) / rate as f32 + 0.5) as usize;
        let mut high_bands = 0;
        let mut pos = 0usize;
        for &w in &bands {
            let start = pos.max(high_band_start);
            pos += w;
            let end = pos.min(coefs_end);
            if end > start {
                high_bands += 1;
            }
        }

        let mut table = 2;
        if rate >= 32000 {
            if bps1 < 0.72 {
                table = 0
            } else if bps1 < 1.16 {
                table = 1
            }
        }
        let block_align = (u64::from(bit_rate) * frame_len as u64 / (u64::from(rate) * 8)) as usize;
        Some(Params {
            version,
            channels,
            rate,
            bit_rate,
            frame_len_bits: fbits,
            frame_len,
            bands,
            coefs_start,
            coefs_end,
            use_noise_coding: noise,
            high_bands: if noise { high_bands } else { 0 },
            byte_offset_bits,
            coef: [CoefTable::new(2 * table), CoefTable::new(2 * table + 1)],
            block_align,
        })
    }
}

/// Escape width of a coefficient level for a total gain.
pub fn gain_to_bits(total_gain: u32) -> u32 {
    match total_gain {
        0..=14 => 13,
        15..=31 => 12,
        32..=39 => 11,
        40..=44 => 10,
        _ => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_vlc(codes: &[u32], bits: &[u8], n: usize) {
        assert_eq!(codes.len(), n);
        assert_eq!(bits.len(), n);
        // Kraft equality, exactly, in integer arithmetic.
        let max = *bits.iter().max().unwrap() as u32;
        let sum: u64 = bits.iter().map(|&b| 1u64 << (max - b as u32)).sum();
        assert_eq!(sum, 1u64 << max, "Kraft sum");
        // Every code fits its length and no code is a prefix of another.
        let mut v: Vec<(u64, u32)> = codes
            .iter()
            .zip(bits)
            .map(|(&c, &b)| {
                assert!(b >= 1 && (c as u64) < (1u64 << b));
                ((c as u64) << (max - b as u32), b as u32)
            })
            .collect();
        v.sort();
        for w in v.windows(2) {
            assert!(w[0].0 + (1u64 << (max - w[0].1)) <= w[1].0, "prefix-free");
        }
    }

    #[test]
    fn tables_are_complete_prefix_codes() {
        check_vlc(&tables::EXP_CODES, &tables::EXP_BITS, 121);
        let n = [666, 555, 1336, 1072, 476, 435];
        let mut total = 0;
        for (k, &n) in n.iter().enumerate() {
            let t = CoefTable::new(k);
            check_vlc(t.codes, t.bits, n);
            let runs: usize = t.runs.iter().map(|&r| r as usize).sum();
            assert_eq!(runs, n - 2, "levels{k}");
            total += n;
        }
        assert_eq!(total, 4540);
        let levels: usize = [tables::LEVELS0.len(), tables::LEVELS1.len(), tables::LEVELS2.len()].iter().sum::<usize>()
            + tables::LEVELS3.len()
            + tables::LEVELS4.len()
            + tables::LEVELS5.len();
        assert_eq!(levels, 730);
        // None of them is canonical: the codes are not derivable from the lengths.
        assert_eq!(tables::COEF0_CODES[..4], [0x258, 0x3d, 0x0, 0x5]);
    }

    #[test]
    fn params_match_known_values() {
        let p = Params::new(2, 2, 44100, 128_000).unwrap();
        assert_eq!((p.frame_len, p.block_align, p.coefs_end), (2048, 743, 1864));
        assert_eq!(p.bands.iter().sum::<usize>(), 2048);
        assert!(!p.use_noise_coding);
        assert_eq!(Params::new(2, 2, 44100, 64_000).unwrap().block_align, 371);
        assert_eq!(Params::new(2, 1, 22050, 32_000).unwrap().frame_len, 1024);
        assert_eq!(Params::new(2, 1, 8000, 32_000).unwrap().frame_len, 512);
        for rate in [8000, 11025, 16000, 22050, 32000, 44100, 48000] {
            for v in [1, 2] {
                let p = Params::new(v, 1, rate, 32000).unwrap();
                assert_eq!(p.bands.iter().sum::<usize>(), p.frame_len, "v{v} {rate}");
            }
        }
    }
}
