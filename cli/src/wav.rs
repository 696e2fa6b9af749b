//! A RIFF WAVE reader: integer PCM (8/16/24/32-bit and any width that fills whole
//! bytes per sample), any channel count and rate, `WAVE_FORMAT_EXTENSIBLE` with the PCM
//! subformat; unknown chunks are skipped. The sample data is streamed, not loaded.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{bad_input, read_error, CliError, Result};

/// The PCM layout of a WAV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WavFormat {
    /// Channels.
    pub channels: u16,
    /// Frames per second.
    pub sample_rate: u32,
    /// Bits per sample (container size).
    pub bits: u16,
    /// Bytes per frame.
    pub block_align: u16,
}

/// An open WAV file positioned in its data chunk.
#[derive(Debug)]
pub struct WavReader {
    path: PathBuf,
    /// The format.
    pub format: WavFormat,
    /// Bytes of whole frames in the data chunk.
    pub data_len: u64,
    /// The data chunk's size as its header gives it (0 or 0xFFFFFFFF: streamed, unknown).
    pub declared_len: u64,
    remaining: u64,
    file: BufReader<File>,
}

const WAVE_FORMAT_PCM: u16 = 1;
const WAVE_FORMAT_IEEE_FLOAT: u16 = 3;
const WAVE_FORMAT_EXTENSIBLE: u16 = 0xFFFE;
/// KSDATAFORMAT_SUBTYPE_PCM without its first two bytes (`01 00`).
const PCM_SUBFORMAT_TAIL: [u8; 14] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b[o], b[o + 1]])
}

fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

/// Parse a `fmt ` chunk body.
pub fn parse_fmt(path: &Path, b: &[u8]) -> Result<WavFormat> {
    if b.len() < 16 {
        return Err(bad_input(path, format!("the fmt chunk is {} bytes, less than the 16 of a WAVEFORMAT", b.len())));
    }
    let mut tag = u16_at(b, 0);
    let channels = u16_at(b, 2);
    let sample_rate = u32_at(b, 4);
    let block_align = u16_at(b, 12);
    let bits = u16_at(b, 14);
    if tag == WAVE_FORMAT_EXTENSIBLE {
        if b.len() < 40 || u16_at(b, 16) < 22 {
            return Err(bad_input(path, "WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than its 40 bytes"));
        }
        let sub = &b[24..40];
        tag = u16_at(sub, 0);
        if sub[2..] != PCM_SUBFORMAT_TAIL {
            return Err(unsupported(path, "WAVE_FORMAT_EXTENSIBLE with a non-PCM subformat"));
        }
    }
    match tag {
        WAVE_FORMAT_PCM => {}
        WAVE_FORMAT_IEEE_FLOAT => {
            return Err(unsupported(
                path,
                "IEEE float samples (only integer PCM is supported; convert with `ffmpeg -i in.wav -c:a pcm_s16le out.wav`)",
            ))
        }
        t => return Err(unsupported(path, format!("audio format tag 0x{t:04X} (only PCM, tag 1, is supported)"))),
    }
    if channels == 0 || sample_rate == 0 || bits == 0 || bits > 32 {
        return Err(bad_input(path, format!("impossible PCM format: {channels} channels, {sample_rate} Hz, {bits} bits")));
    }
    let expect = channels as u32 * (bits as u32).div_ceil(8);
    if block_align as u32 != expect {
        return Err(bad_input(path, format!("nBlockAlign is {block_align} but {channels} channels of {bits} bits need {expect}")));
    }
    Ok(WavFormat { channels, sample_rate, bits, block_align })
}

fn unsupported(path: &Path, what: impl std::fmt::Display) -> CliError {
    CliError::new("NS_E_INVALID_INPUT_FORMAT", format!("{}: unsupported WAV: {what}", path.display()))
}

impl WavReader {
    /// Open `path` and find its `fmt ` and `data` chunks.
    pub fn open(path: &Path) -> Result<Self> {
        let f = File::open(path).map_err(|e| read_error(path, e))?;
        let file_len = f.metadata().map_err(|e| read_error(path, e))?.len();
        let mut file = BufReader::new(f);
        let mut riff = [0u8; 12];
        file.read_exact(&mut riff).map_err(|_| bad_input(path, "not a WAV file (shorter than a RIFF header)"))?;
        if &riff[..4] != b"RIFF" || &riff[8..12] != b"WAVE" {
            let what = if &riff[..4] == b"RF64" { "RF64 WAV files are not supported" } else { "not a RIFF WAVE file" };
            return Err(bad_input(path, what));
        }
        let mut pos = 12u64;
        let mut format = None;
        loop {
            let mut ch = [0u8; 8];
            if file.read_exact(&mut ch).is_err() {
                return Err(bad_input(path, if format.is_none() { "no fmt chunk" } else { "no data chunk" }));
            }
            pos += 8;
            let size = u32_at(&ch, 4) as u64;
            match &ch[..4] {
                b"fmt " => {
                    if size > 4096 {
                        return Err(bad_input(path, format!("the fmt chunk is {size} bytes")));
                    }
                    let mut body = vec![0u8; size as usize];
                    file.read_exact(&mut body).map_err(|_| bad_input(path, "the fmt chunk is cut short"))?;
                    format = Some(parse_fmt(path, &body)?);
                    pos += size;
                    if size % 2 == 1 {
                        file.seek(SeekFrom::Current(1)).map_err(|e| read_error(path, e))?;
                        pos += 1;
                    }
                }
                b"data" => {
                    let format = format.ok_or_else(|| bad_input(path, "the data chunk comes before the fmt chunk"))?;
                    // Streamed WAVs carry 0 or 0xFFFFFFFF; a cut file is shorter than it says.
                    let available = file_len.saturating_sub(pos);
                    let size_field = size;
                    let size = if size == 0 || size == u32::MAX as u64 { available } else { size.min(available) };
                    let data_len = size - size % format.block_align as u64;
                    return Ok(WavReader {
                        path: path.to_path_buf(),
                        format,
                        data_len,
                        declared_len: size_field,
                        remaining: data_len,
                        file,
                    });
                }
                _ => {
                    let skip = size + size % 2;
                    file.seek(SeekFrom::Current(skip as i64)).map_err(|e| read_error(path, e))?;
                    pos += skip;
                }
            }
        }
    }

    /// A data chunk cut short (the file ends before the size its header gives): a
    /// warning that says what will be written, or with `strict` an error.
    pub fn check_length(&self, strict: bool) -> Result<()> {
        let d = self.declared_len;
        if d == 0 || d == u32::MAX as u64 || d < self.data_len + self.format.block_align as u64 {
            return Ok(());
        }
        let f = self.format;
        let secs = |bytes: u64| bytes / f.block_align as u64 * 10_000_000 / f.sample_rate as u64;
        let what = format!(
            "{}: the data chunk says {d} bytes ({:.3} s) but the file holds only {} bytes of it ({:.3} s): it is cut short",
            self.path.display(),
            secs(d) as f64 / 1e7,
            self.data_len,
            secs(self.data_len) as f64 / 1e7
        );
        if strict {
            return Err(CliError::new("NS_E_INVALID_DATA", format!("{what} (--strict); nothing was written")));
        }
        crate::output::warn(&format!(
            "{what}; writing the {:.3} s that are there (--strict makes this an error)",
            secs(self.data_len) as f64 / 1e7
        ));
        Ok(())
    }

    /// Read up to `frames` whole frames into `out` (replacing its contents); returns the
    /// bytes read, 0 at the end of the data.
    pub fn read_frames(&mut self, frames: u32, out: &mut Vec<u8>) -> Result<usize> {
        let want = (frames as u64 * self.format.block_align as u64).min(self.remaining) as usize;
        out.resize(want, 0);
        self.file.read_exact(out).map_err(|e| read_error(&self.path, e))?;
        self.remaining -= want as u64;
        Ok(want)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(tag: u16, ch: u16, rate: u32, bits: u16) -> Vec<u8> {
        let align = ch * bits.div_ceil(8);
        let mut v = Vec::new();
        v.extend_from_slice(&tag.to_le_bytes());
        v.extend_from_slice(&ch.to_le_bytes());
        v.extend_from_slice(&rate.to_le_bytes());
        v.extend_from_slice(&(rate * align as u32).to_le_bytes());
        v.extend_from_slice(&align.to_le_bytes());
        v.extend_from_slice(&bits.to_le_bytes());
        v
    }

    #[test]
    fn plain_and_extensible_pcm() {
        let p = Path::new("x.wav");
        let f = parse_fmt(p, &fmt(1, 2, 44100, 16)).unwrap();
        assert_eq!(f, WavFormat { channels: 2, sample_rate: 44100, bits: 16, block_align: 4 });
        let mut ext = fmt(0xFFFE, 6, 48000, 24);
        ext.extend_from_slice(&22u16.to_le_bytes());
        ext.extend_from_slice(&24u16.to_le_bytes());
        ext.extend_from_slice(&0x3Fu32.to_le_bytes());
        ext.extend_from_slice(&[1, 0]);
        ext.extend_from_slice(&PCM_SUBFORMAT_TAIL);
        assert_eq!(parse_fmt(p, &ext).unwrap().block_align, 18);
        ext[24] = 3;
        assert_eq!(parse_fmt(p, &ext).unwrap_err().hresult, "NS_E_INVALID_INPUT_FORMAT");
        assert_eq!(parse_fmt(p, &fmt(3, 2, 44100, 32)).unwrap_err().hresult, "NS_E_INVALID_INPUT_FORMAT");
        let mut bad = fmt(1, 2, 44100, 16);
        bad[12] = 3;
        assert_eq!(parse_fmt(p, &bad).unwrap_err().hresult, "NS_E_INVALID_DATA");
    }
}
