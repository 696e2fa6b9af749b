//! Media types (`WM_MEDIA_TYPE` as plain data) and the format blocks the writer reads.
#![forbid(unsafe_code)]

use crate::bail;
use crate::error::Result;
use crate::guid::{sdk, Guid};

/// A media type: `WM_MEDIA_TYPE` with an owned format block.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct MediaType {
    /// `majortype` (`WMMEDIATYPE_*`).
    pub major_type: Guid,
    /// `subtype` (`WMMEDIASUBTYPE_*`).
    pub subtype: Guid,
    /// `bFixedSizeSamples`.
    pub fixed_size_samples: bool,
    /// `bTemporalCompression`.
    pub temporal_compression: bool,
    /// `lSampleSize`.
    pub sample_size: u32,
    /// `formattype` (`WMFORMAT_*`).
    pub format_type: Guid,
    /// The format block (`pbFormat`, `cbFormat` bytes), in the SDK's byte layout.
    pub format: Vec<u8>,
}

impl MediaType {
    /// The WAVEFORMATEX in the format block, if this is a wave format.
    pub fn wave_format(&self) -> Option<WaveFormatEx> {
        if self.format_type != sdk::WMFORMAT_WAVEFORMATEX {
            return None;
        }
        WaveFormatEx::parse(&self.format)
    }

    /// The WMVIDEOINFOHEADER in the format block, if this is a video-info format.
    pub fn video_info(&self) -> Option<VideoInfo> {
        if self.format_type != sdk::WMFORMAT_VIDEOINFO {
            return None;
        }
        VideoInfo::parse(&self.format)
    }

    /// An uncompressed video media type (WMVIDEOINFOHEADER, positive height = the
    /// usual bottom-up RGB) for a subtype such as `WMMEDIASUBTYPE_RGB24` or `_I420`.
    /// Panics never; an unknown subtype gets biCompression = its FOURCC and 24 bits.
    pub fn raw_video(subtype: Guid, width: i32, height: i32, avg_time_per_frame: i64) -> MediaType {
        let (compression, bits) = raw_video_layout(subtype).unwrap_or((subtype.data1, 24));
        let size = frame_bytes(compression, bits, width, height).map_or(0, |n| n.min(u32::MAX as usize) as u32);
        let mut f = Vec::with_capacity(VIDEOINFOHEADER_SIZE);
        for v in [0, 0, width, height.saturating_abs(), 0, 0, width, height.saturating_abs()] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        let bitrate =
            if avg_time_per_frame > 0 { (size as u64 * 8 * 10_000_000 / avg_time_per_frame as u64).min(u32::MAX as u64) as u32 } else { 0 };
        f.extend_from_slice(&bitrate.to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&avg_time_per_frame.to_le_bytes());
        f.extend_from_slice(&40u32.to_le_bytes());
        f.extend_from_slice(&width.to_le_bytes());
        f.extend_from_slice(&height.to_le_bytes());
        f.extend_from_slice(&1u16.to_le_bytes());
        f.extend_from_slice(&bits.to_le_bytes());
        f.extend_from_slice(&compression.to_le_bytes());
        f.extend_from_slice(&size.to_le_bytes());
        f.extend_from_slice(&[0u8; 16]);
        MediaType {
            major_type: sdk::WMMEDIATYPE_VIDEO,
            subtype,
            fixed_size_samples: true,
            temporal_compression: false,
            sample_size: size,
            format_type: sdk::WMFORMAT_VIDEOINFO,
            format: f,
        }
    }

    /// A script-stream media type (`WMFORMAT_Script` with `WMSCRIPTTYPE_TwoStrings`).
    pub fn script() -> MediaType {
        MediaType {
            major_type: sdk::WMMEDIATYPE_SCRIPT,
            subtype: Guid::NULL,
            fixed_size_samples: false,
            temporal_compression: false,
            sample_size: 0,
            format_type: sdk::WMFORMAT_SCRIPT,
            format: sdk::WMSCRIPTTYPE_TWOSTRINGS.to_bytes().to_vec(),
        }
    }

    /// A PCM media type for the given layout.
    pub fn pcm(channels: u16, sample_rate: u32, bits: u16) -> MediaType {
        // Saturating: a validated profile never gets near the limits (see
        // StreamConfigData::validate), but no layout may panic here.
        let block_align = channels.saturating_mul(bits.div_ceil(8));
        let wfx = WaveFormatEx {
            format_tag: 1,
            channels,
            samples_per_sec: sample_rate,
            avg_bytes_per_sec: sample_rate.saturating_mul(block_align as u32),
            block_align,
            bits_per_sample: bits,
            extra: Vec::new(),
        };
        MediaType {
            major_type: sdk::WMMEDIATYPE_AUDIO,
            subtype: sdk::WMMEDIASUBTYPE_PCM,
            fixed_size_samples: true,
            temporal_compression: false,
            sample_size: block_align as u32,
            format_type: sdk::WMFORMAT_WAVEFORMATEX,
            format: wfx.to_bytes(),
        }
    }
}

/// WAVEFORMATEX (18 bytes + `cbSize` extra bytes).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct WaveFormatEx {
    /// `wFormatTag` (1 = PCM).
    pub format_tag: u16,
    /// `nChannels`.
    pub channels: u16,
    /// `nSamplesPerSec`.
    pub samples_per_sec: u32,
    /// `nAvgBytesPerSec`.
    pub avg_bytes_per_sec: u32,
    /// `nBlockAlign`.
    pub block_align: u16,
    /// `wBitsPerSample`.
    pub bits_per_sample: u16,
    /// The `cbSize` codec bytes.
    pub extra: Vec<u8>,
}

impl WaveFormatEx {
    /// Parse a format block; a 16-byte WAVEFORMAT (no cbSize) is accepted too.
    pub fn parse(b: &[u8]) -> Option<Self> {
        if b.len() < 16 {
            return None;
        }
        let u16_at = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let cb = if b.len() >= 18 { u16_at(16) as usize } else { 0 };
        let extra = if cb > 0 { b.get(18..18 + cb)?.to_vec() } else { Vec::new() };
        Some(WaveFormatEx {
            format_tag: u16_at(0),
            channels: u16_at(2),
            samples_per_sec: u32_at(4),
            avg_bytes_per_sec: u32_at(8),
            block_align: u16_at(12),
            bits_per_sample: u16_at(14),
            extra,
        })
    }

    /// The 18 + extra bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(18 + self.extra.len());
        v.extend_from_slice(&self.format_tag.to_le_bytes());
        v.extend_from_slice(&self.channels.to_le_bytes());
        v.extend_from_slice(&self.samples_per_sec.to_le_bytes());
        v.extend_from_slice(&self.avg_bytes_per_sec.to_le_bytes());
        v.extend_from_slice(&self.block_align.to_le_bytes());
        v.extend_from_slice(&self.bits_per_sample.to_le_bytes());
        v.extend_from_slice(&(self.extra.len() as u16).to_le_bytes());
        v.extend_from_slice(&self.extra);
        v
    }

    /// Whether this is uncompressed PCM (tag 1, or 0xFFFE extensible with a PCM subformat,
    /// or 3 IEEE float).
    pub fn is_pcm(&self) -> bool {
        matches!(self.format_tag, 1 | 3) || (self.format_tag == 0xFFFE && self.extra.len() >= 22 && self.extra[6..8] == [1, 0])
    }

    /// Check the PCM rules SetProfile applies (block align and byte rate consistent).
    pub fn validate_pcm(&self) -> Result<()> {
        if self.channels == 0 || self.samples_per_sec == 0 || self.bits_per_sample == 0 {
            bail!(
                InvalidStream,
                "PCM format needs non-zero channels, sample rate and bits per sample (got {} ch, {} Hz, {} bits)",
                self.channels,
                self.samples_per_sec,
                self.bits_per_sample
            );
        }
        let expect_align = self.channels as u32 * (self.bits_per_sample as u32).div_ceil(8);
        if self.block_align as u32 != expect_align {
            bail!(
                InvalidStream,
                "PCM nBlockAlign is {} but {} channels × {} bits needs {}",
                self.block_align,
                self.channels,
                self.bits_per_sample,
                expect_align
            );
        }
        let expect_rate = self.samples_per_sec as u64 * self.block_align as u64;
        if self.avg_bytes_per_sec as u64 != expect_rate {
            bail!(
                InvalidStream,
                "PCM nAvgBytesPerSec is {} but {} Hz × block align {} is {}",
                self.avg_bytes_per_sec,
                self.samples_per_sec,
                self.block_align,
                expect_rate
            );
        }
        Ok(())
    }
}

/// Bytes of one uncompressed frame for a BITMAPINFOHEADER `biCompression` / `biBitCount`,
/// if the layout is known (RGB rows are padded to 4 bytes).
pub fn frame_bytes(compression: u32, bits: u16, width: i32, height: i32) -> Option<usize> {
    let w = width.unsigned_abs() as usize;
    let h = height.unsigned_abs() as usize;
    let plane = w.checked_mul(h)?;
    match &compression.to_le_bytes() {
        [0, 0, 0, 0] | [3, 0, 0, 0] => w.checked_mul(bits as usize)?.div_ceil(32).checked_mul(4)?.checked_mul(h),
        b"I420" | b"IYUV" | b"YV12" | b"NV12" => plane.checked_add(w.div_ceil(2).checked_mul(h.div_ceil(2))?.checked_mul(2)?),
        b"YUY2" | b"UYVY" | b"YVYU" => w.div_ceil(2).checked_mul(4)?.checked_mul(h),
        b"P422" => plane.checked_add(w.div_ceil(2).checked_mul(h)?.checked_mul(2)?),
        b"YVU9" => plane.checked_add(w.div_ceil(4).checked_mul(h.div_ceil(4))?.checked_mul(2)?),
        _ => None,
    }
}

/// (biCompression, biBitCount) of the uncompressed video subtypes.
pub fn raw_video_layout(subtype: Guid) -> Option<(u32, u16)> {
    let fcc = |s: &[u8; 4]| u32::from_le_bytes(*s);
    Some(match subtype {
        s if s == sdk::WMMEDIASUBTYPE_RGB24 => (0, 24),
        s if s == sdk::WMMEDIASUBTYPE_RGB32 => (0, 32),
        s if s == sdk::WMMEDIASUBTYPE_RGB555 => (0, 16),
        s if s == sdk::WMMEDIASUBTYPE_RGB565 => (3, 16),
        s if s == sdk::WMMEDIASUBTYPE_RGB8 => (0, 8),
        s if s == sdk::WMMEDIASUBTYPE_I420 => (fcc(b"I420"), 12),
        s if s == sdk::WMMEDIASUBTYPE_IYUV => (fcc(b"IYUV"), 12),
        s if s == sdk::WMMEDIASUBTYPE_YV12 => (fcc(b"YV12"), 12),
        s if s == sdk::WMMEDIASUBTYPE_YUY2 => (fcc(b"YUY2"), 16),
        s if s == sdk::WMMEDIASUBTYPE_UYVY => (fcc(b"UYVY"), 16),
        s if s == sdk::WMMEDIASUBTYPE_YVYU => (fcc(b"YVYU"), 16),
        s if s == sdk::WMMEDIASUBTYPE_P422 => (fcc(b"P422"), 16),
        s if s == sdk::WMMEDIASUBTYPE_YVU9 => (fcc(b"YVU9"), 9),
        _ => return None,
    })
}

/// The parts of WMVIDEOINFOHEADER + BITMAPINFOHEADER the writer needs.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct VideoInfo {
    /// `dwBitRate`.
    pub bit_rate: u32,
    /// `AvgTimePerFrame` (100 ns).
    pub avg_time_per_frame: i64,
    /// `biWidth`.
    pub width: i32,
    /// `biHeight` (negative = top-down).
    pub height: i32,
    /// `biBitCount`.
    pub bit_count: u16,
    /// `biCompression` (FOURCC or BI_RGB = 0 / BI_BITFIELDS = 3).
    pub compression: u32,
    /// `biSizeImage`.
    pub size_image: u32,
    /// The BITMAPINFOHEADER and whatever follows it (palette, bitfields, codec data).
    pub bitmap_info: Vec<u8>,
}

/// Size of WMVIDEOINFOHEADER up to and including its BITMAPINFOHEADER.
pub const VIDEOINFOHEADER_SIZE: usize = 88;

impl VideoInfo {
    /// Parse a WMVIDEOINFOHEADER format block (88 bytes or more).
    pub fn parse(b: &[u8]) -> Option<Self> {
        if b.len() < VIDEOINFOHEADER_SIZE {
            return None;
        }
        let u16_at = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let mut t = [0u8; 8];
        t.copy_from_slice(&b[40..48]);
        Some(VideoInfo {
            bit_rate: u32_at(32),
            avg_time_per_frame: i64::from_le_bytes(t),
            width: u32_at(48 + 4) as i32,
            height: u32_at(48 + 8) as i32,
            bit_count: u16_at(48 + 14),
            compression: u32_at(48 + 16),
            size_image: u32_at(48 + 20),
            bitmap_info: b[48..].to_vec(),
        })
    }
}
