//! Codec enumeration (`IWMCodecInfo`, `IWMCodecInfo2`, `IWMCodecInfo3` on the profile
//! manager): which codecs and which formats of each a program can pick, as ready stream
//! configurations.
//!
//! The tables are the SDK's kind — for WMA a list of bit rate × sample rate × channels,
//! for each video codec a few frame sizes and bit rates — but their rows are **this
//! project's choice**: the SDK computes its list from the installed codec DMOs, and no
//! public source lists them. A codec is offered only when [`crate::codec::can_encode`]
//! says an encoder for its subtype is available now ([`Availability::current`]); the
//! functions that take an [`Availability`] let tests check the tables whatever backends
//! exist.
//!
//! WMA formats are built like the SDK's (see [`wma_format`]): 8-frame superframes with a
//! bit reservoir, for example 64 kbit/s 44.1 kHz stereo = nAvgBytesPerSec 8000,
//! nBlockAlign 2973, codec data `008800000F0036080000`.
#![forbid(unsafe_code)]

use super::media::{MediaType, WaveFormatEx};
use super::StreamConfigData;
use crate::error::Result;
use crate::guid::{sdk, Guid};
use crate::{bail, err};

/// `g_wszVBREnabled`: BOOL, enumerate VBR formats (codec enumeration setting; format prop).
pub const VBR_ENABLED: &str = "_VBRENABLED";
/// `g_wszNumPasses`: DWORD, encoding passes the formats are for (1 or 2).
pub const NUM_PASSES: &str = "_PASSESUSED";
/// `g_wszVBRQuality`: DWORD 0..100 (format prop of quality-based VBR formats).
pub const VBR_QUALITY: &str = "_VBRQUALITY";
/// `g_wszIsVBRSupported`: BOOL (codec prop).
pub const IS_VBR_SUPPORTED: &str = "_ISVBRSUPPORTED";
/// `g_wszComplexityMax`: DWORD (codec prop, video).
pub const COMPLEXITY_MAX: &str = "_COMPLEXITYEXMAX";
/// `g_wszComplexityOffline`: DWORD (codec prop, video).
pub const COMPLEXITY_OFFLINE: &str = "_COMPLEXITYEXOFFLINE";
/// `g_wszComplexityLive`: DWORD (codec prop, video).
pub const COMPLEXITY_LIVE: &str = "_COMPLEXITYEXLIVE";

/// `WMT_TYPE_DWORD`.
pub(crate) const TYPE_DWORD: u32 = 0;
/// `WMT_TYPE_BOOL`.
pub(crate) const TYPE_BOOL: u32 = 3;

/// One codec the enumeration can offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodecDef {
    /// The stream subtype (`WMMEDIASUBTYPE_*`).
    pub subtype: Guid,
    /// Major type (`WMMEDIATYPE_Audio` / `_Video`).
    pub major: Guid,
    /// `GetCodecName`.
    pub name: &'static str,
    /// Whether the codec has VBR formats (`_ISVBRSUPPORTED`).
    pub vbr: bool,
    /// Whether it only has VBR formats (WMA Lossless).
    pub vbr_only: bool,
}

/// Every codec this library knows, in enumeration order (audio, then video).
pub const CODECS: [CodecDef; 10] = [
    CodecDef {
        subtype: sdk::WMMEDIASUBTYPE_WMAUDIOV8,
        major: sdk::WMMEDIATYPE_AUDIO,
        name: "Windows Media Audio 8",
        vbr: true,
        vbr_only: false,
    },
    CodecDef { subtype: Guid::fourcc(0x0160), major: sdk::WMMEDIATYPE_AUDIO, name: "Windows Media Audio V1", vbr: false, vbr_only: false },
    CodecDef {
        subtype: sdk::WMMEDIASUBTYPE_WMAUDIO_LOSSLESS,
        major: sdk::WMMEDIATYPE_AUDIO,
        name: "Windows Media Audio 9.2 Lossless",
        vbr: true,
        vbr_only: true,
    },
    CodecDef { subtype: sdk::WMMEDIASUBTYPE_MP3, major: sdk::WMMEDIATYPE_AUDIO, name: "MPEG Layer-3", vbr: false, vbr_only: false },
    CodecDef {
        subtype: sdk::WMMEDIASUBTYPE_WMV2,
        major: sdk::WMMEDIATYPE_VIDEO,
        name: "Windows Media Video 8",
        vbr: true,
        vbr_only: false,
    },
    CodecDef {
        subtype: sdk::WMMEDIASUBTYPE_WMV1,
        major: sdk::WMMEDIATYPE_VIDEO,
        name: "Windows Media Video 7",
        vbr: true,
        vbr_only: false,
    },
    CodecDef {
        subtype: sdk::WMMEDIASUBTYPE_MP43,
        major: sdk::WMMEDIATYPE_VIDEO,
        name: "Microsoft MPEG-4 Video Codec V3",
        vbr: false,
        vbr_only: false,
    },
    CodecDef { subtype: sdk::WMMEDIASUBTYPE_MP4S, major: sdk::WMMEDIATYPE_VIDEO, name: "ISO MPEG-4 Video V1", vbr: false, vbr_only: false },
    CodecDef {
        subtype: Guid::fourcc(u32::from_le_bytes(*b"H264")),
        major: sdk::WMMEDIATYPE_VIDEO,
        name: "H.264 Video",
        vbr: false,
        vbr_only: false,
    },
    CodecDef {
        subtype: sdk::WMMEDIASUBTYPE_WMV3,
        major: sdk::WMMEDIATYPE_VIDEO,
        name: "Windows Media Video 9",
        vbr: true,
        vbr_only: false,
    },
];

/// Which subtypes can be encoded (a parameter so tests do not depend on the backends).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Availability(pub Vec<Guid>);

impl Availability {
    /// What [`crate::codec::can_encode`] says now, for every codec of [`CODECS`].
    pub fn current() -> Self {
        Availability(CODECS.iter().map(|c| c.subtype).filter(crate::codec::can_encode).collect())
    }

    /// Everything in [`CODECS`].
    pub fn all() -> Self {
        Availability(CODECS.iter().map(|c| c.subtype).collect())
    }

    fn has(&self, g: &Guid) -> bool {
        self.0.contains(g)
    }
}

/// The enumeration settings of one codec (`SetCodecEnumerationSetting`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumSetting {
    /// `_VBRENABLED`.
    pub vbr: bool,
    /// `_PASSESUSED` (1 or 2).
    pub passes: u32,
}

impl Default for EnumSetting {
    fn default() -> Self {
        EnumSetting { vbr: false, passes: 1 }
    }
}

/// The profile manager's enumeration settings, per codec subtype.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnumSettings(pub Vec<(Guid, EnumSetting)>);

impl EnumSettings {
    /// The setting of `subtype` (default: CBR, 1 pass).
    pub fn get(&self, subtype: &Guid) -> EnumSetting {
        self.0.iter().find(|(g, _)| g == subtype).map(|(_, s)| *s).unwrap_or_default()
    }

    fn slot(&mut self, subtype: Guid) -> &mut EnumSetting {
        if let Some(i) = self.0.iter().position(|(g, _)| *g == subtype) {
            return &mut self.0[i].1;
        }
        self.0.push((subtype, EnumSetting::default()));
        let last = self.0.len() - 1;
        &mut self.0[last].1
    }
}

/// A typed property value (`WMT_TYPE_DWORD` or `WMT_TYPE_BOOL`, 4 bytes little-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropValue {
    /// `WMT_ATTR_DATATYPE`.
    pub data_type: u32,
    /// The value.
    pub value: u32,
}

impl PropValue {
    fn dword(v: u32) -> Self {
        PropValue { data_type: TYPE_DWORD, value: v }
    }
    fn boolean(v: bool) -> Self {
        PropValue { data_type: TYPE_BOOL, value: v as u32 }
    }
    /// The 4 value bytes.
    pub fn bytes(&self) -> [u8; 4] {
        self.value.to_le_bytes()
    }
}

/// One enumerable format: the stream configuration and its description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodecFormat {
    /// A stream ready for `add_stream` (number 1, no connection name).
    pub stream: StreamConfigData,
    /// `GetCodecFormatDesc`.
    pub description: String,
}

/// WMA v2 CBR formats (bit rate, sample rate, channels), highest first as the SDK lists
/// them. This project's table, WMA 8 era rates.
pub const WMA2_CBR: [(u32, u32, u16); 28] = [
    (192_000, 48_000, 2),
    (192_000, 44_100, 2),
    (160_000, 48_000, 2),
    (160_000, 44_100, 2),
    (128_000, 48_000, 2),
    (128_000, 44_100, 2),
    (96_000, 48_000, 2),
    (96_000, 44_100, 2),
    (80_000, 44_100, 2),
    (64_000, 48_000, 2),
    (64_000, 44_100, 2),
    (48_000, 44_100, 2),
    (48_000, 32_000, 2),
    (40_000, 32_000, 2),
    (32_000, 44_100, 2),
    (32_000, 32_000, 2),
    (32_000, 22_050, 2),
    (22_000, 22_050, 2),
    (20_000, 22_050, 2),
    (20_000, 22_050, 1),
    (16_000, 22_050, 1),
    (16_000, 16_000, 2),
    (16_000, 16_000, 1),
    (12_000, 16_000, 1),
    (10_000, 11_025, 1),
    (8_000, 8_000, 1),
    (6_000, 8_000, 1),
    (5_000, 8_000, 1),
];

/// WMA v2 quality-based VBR formats (quality, sample rate, channels): listed when
/// `_VBRENABLED` is set.
pub const WMA2_VBR: [(u32, u32, u16); 8] = [
    (98, 44_100, 2),
    (90, 44_100, 2),
    (75, 44_100, 2),
    (50, 44_100, 2),
    (25, 44_100, 2),
    (10, 44_100, 2),
    (90, 48_000, 2),
    (75, 48_000, 2),
];

/// WMA v1 formats (bit rate, sample rate, channels).
pub const WMA1_CBR: [(u32, u32, u16); 10] = [
    (160_000, 44_100, 2),
    (128_000, 44_100, 2),
    (96_000, 44_100, 2),
    (64_000, 44_100, 2),
    (48_000, 44_100, 2),
    (32_000, 32_000, 2),
    (32_000, 22_050, 2),
    (20_000, 22_050, 1),
    (16_000, 16_000, 1),
    (8_000, 8_000, 1),
];

/// WMA Lossless formats (sample rate, channels, bits): VBR quality 100, listed when
/// `_VBRENABLED` is set and 1 pass is asked for, as the SDK's.
pub const WMA_LOSSLESS: [(u32, u16, u16); 7] =
    [(96_000, 2, 24), (48_000, 6, 24), (48_000, 2, 24), (48_000, 2, 16), (44_100, 2, 24), (44_100, 2, 16), (44_100, 1, 16)];

/// MP3 formats (bit rate, sample rate, channels).
pub const MP3_CBR: [(u32, u32, u16); 5] =
    [(320_000, 44_100, 2), (192_000, 44_100, 2), (128_000, 44_100, 2), (96_000, 44_100, 2), (64_000, 44_100, 2)];

/// Video formats of every video codec (width, height, frames per second, bit rate).
pub const VIDEO_FORMATS: [(i32, i32, u32, u32); 4] =
    [(640, 480, 30, 1_000_000), (320, 240, 30, 500_000), (320, 240, 15, 250_000), (176, 144, 15, 56_000)];

/// WMA frame length (samples) at `rate`: 512 up to 16 kHz, 1024 up to 22.05 kHz, 2048 up
/// to 48 kHz, 4096 above (the WMA bitstream's rule).
pub fn wma_frame_len(rate: u32) -> u32 {
    match rate {
        0..=16_000 => 512,
        16_001..=22_050 => 1024,
        22_051..=48_000 => 2048,
        _ => 4096,
    }
}

/// A WMA v2 (0x0161) CBR WAVEFORMATEX in the SDK's style. Formula (this project's,
/// matching the SDK's published 64 kbit/s 44.1 kHz stereo format exactly):
/// - `nAvgBytesPerSec = bitrate / 8`;
/// - a superframe is 8 frames of [`wma_frame_len`] samples, and `nBlockAlign =
///   ceil(nAvgBytesPerSec × 8 × frame_len / rate)` (64k/44.1k: ceil(8000 × 16384 /
///   44100) = 2973);
/// - codec data (10 bytes, `WMAUDIO2WAVEFORMAT`): `dwSamplesPerBlock = 17 × frame_len`
///   (0x8800 at 44.1 kHz: the value every public SDK format shows, 17 × 512/1024/2048),
///   `wEncodeOptions = 0x000F` (exp VLC, bit reservoir, variable block length, noise
///   substitution), `dwSuperBlockAlign = round(nBlockAlign × 2102 / 2973)` (its meaning is
///   not published; scaled from the SDK's one public value, 2102; decoders ignore it).
pub fn wma_format(bitrate: u32, rate: u32, channels: u16) -> MediaType {
    let avg = bitrate / 8;
    let frame = wma_frame_len(rate) as u64;
    let block_align = (avg as u64 * 8 * frame).div_ceil(rate as u64).min(u16::MAX as u64) as u16;
    let super_align = ((block_align as u64 * 2102 + 2973 / 2) / 2973) as u32;
    let mut extra = Vec::with_capacity(10);
    extra.extend_from_slice(&(17 * frame as u32).to_le_bytes());
    extra.extend_from_slice(&0x000Fu16.to_le_bytes());
    extra.extend_from_slice(&super_align.to_le_bytes());
    compressed_audio(0x0161, rate, channels, 16, avg, block_align, extra)
}

/// A WMA v1 (0x0160) WAVEFORMATEX: one frame per block (`nBlockAlign = ceil(bytes/s ×
/// frame_len / rate)`), codec data `wSamplesPerBlock = frame_len`, `wEncodeOptions =
/// 0x0001` (exp VLC). This project's choice.
pub fn wma1_format(bitrate: u32, rate: u32, channels: u16) -> MediaType {
    let avg = bitrate / 8;
    let frame = wma_frame_len(rate);
    let block_align = (avg as u64 * frame as u64).div_ceil(rate as u64) as u16;
    let mut extra = Vec::with_capacity(4);
    extra.extend_from_slice(&(frame as u16).to_le_bytes());
    extra.extend_from_slice(&0x0001u16.to_le_bytes());
    compressed_audio(0x0160, rate, channels, 16, avg, block_align, extra)
}

/// A WMA Lossless (0x0163) WAVEFORMATEX: 18 bytes of `WMAUDIO3WAVEFORMAT` codec data
/// (valid bits, channel mask, reserved, encode options 0x00E0); the nominal rate is half
/// the PCM rate (VBR quality 100) and a block is 4096 samples' worth. This project's choice.
pub fn wma_lossless_format(rate: u32, channels: u16, bits: u16) -> MediaType {
    let avg = rate * channels as u32 * (bits as u32 / 8) / 2;
    let block_align = (avg as u64 * 4096).div_ceil(rate as u64).min(u16::MAX as u64) as u16;
    let mask: u32 = if channels == 1 { 0x4 } else { 0x3 };
    let mut extra = Vec::with_capacity(18);
    extra.extend_from_slice(&bits.to_le_bytes());
    extra.extend_from_slice(&mask.to_le_bytes());
    extra.extend_from_slice(&[0; 8]);
    extra.extend_from_slice(&0x00E0u16.to_le_bytes());
    extra.extend_from_slice(&[0; 2]);
    compressed_audio(0x0163, rate, channels, bits, avg, block_align, extra)
}

/// An MP3 (0x0055) WAVEFORMATEX with the 12-byte `MPEGLAYER3WAVEFORMAT` tail.
pub fn mp3_format(bitrate: u32, rate: u32, channels: u16) -> MediaType {
    let avg = bitrate / 8;
    let block = (144 * bitrate / rate) as u16;
    let mut extra = Vec::with_capacity(12);
    extra.extend_from_slice(&1u16.to_le_bytes()); // MPEGLAYER3_ID_MPEG
    extra.extend_from_slice(&2u32.to_le_bytes()); // MPEGLAYER3_FLAG_PADDING_OFF
    extra.extend_from_slice(&block.to_le_bytes()); // nBlockSize
    extra.extend_from_slice(&1u16.to_le_bytes()); // nFramesPerBlock
    extra.extend_from_slice(&0u16.to_le_bytes()); // nCodecDelay
    compressed_audio(0x0055, rate, channels, 0, avg, 1, extra)
}

/// A voice-codec WAVEFORMATEX (ACELP.net 0x0130, WMA Voice 0x000A): no open encoder
/// exists, so only its shape matters; block = 4096 samples' worth, no codec data.
pub fn voice_format(tag: u16, bitrate: u32, rate: u32) -> MediaType {
    let avg = bitrate.div_ceil(8);
    let block_align = (avg as u64 * 4096).div_ceil(rate as u64) as u16;
    compressed_audio(tag, rate, 1, 16, avg, block_align, Vec::new())
}

fn compressed_audio(tag: u16, rate: u32, channels: u16, bits: u16, avg: u32, block_align: u16, extra: Vec<u8>) -> MediaType {
    let wfx = WaveFormatEx {
        format_tag: tag,
        channels,
        samples_per_sec: rate,
        avg_bytes_per_sec: avg,
        block_align,
        bits_per_sample: bits,
        extra,
    };
    MediaType {
        major_type: sdk::WMMEDIATYPE_AUDIO,
        subtype: Guid::fourcc(tag as u32),
        fixed_size_samples: true,
        temporal_compression: false,
        sample_size: block_align as u32,
        format_type: sdk::WMFORMAT_WAVEFORMATEX,
        format: wfx.to_bytes(),
    }
}

/// A compressed-video WMVIDEOINFOHEADER (source and target rectangles = the frame,
/// dwBitRate = `bitrate`, BITMAPINFOHEADER of 40 bytes with `biCompression` = the
/// subtype's FOURCC, 24 bits, biSizeImage 0).
pub fn video_format(subtype: Guid, width: i32, height: i32, avg_time_per_frame: i64, bitrate: u32) -> MediaType {
    let mut f = Vec::with_capacity(88);
    for v in [0, 0, width, height, 0, 0, width, height] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    f.extend_from_slice(&bitrate.to_le_bytes());
    f.extend_from_slice(&0u32.to_le_bytes());
    f.extend_from_slice(&avg_time_per_frame.to_le_bytes());
    f.extend_from_slice(&40u32.to_le_bytes());
    f.extend_from_slice(&width.to_le_bytes());
    f.extend_from_slice(&height.to_le_bytes());
    f.extend_from_slice(&1u16.to_le_bytes());
    f.extend_from_slice(&24u16.to_le_bytes());
    f.extend_from_slice(&subtype.data1.to_le_bytes());
    f.extend_from_slice(&[0u8; 20]);
    MediaType {
        major_type: sdk::WMMEDIATYPE_VIDEO,
        subtype,
        fixed_size_samples: false,
        temporal_compression: true,
        sample_size: 0,
        format_type: sdk::WMFORMAT_VIDEOINFO,
        format: f,
    }
}

/// `AvgTimePerFrame` (100 ns) for an integer frame rate.
pub fn frame_time(fps: u32) -> i64 {
    (10_000_000 / fps.max(1)) as i64
}

fn khz(rate: u32) -> u32 {
    (rate + 500) / 1000
}

fn chans(ch: u16) -> &'static str {
    if ch == 1 {
        "mono"
    } else {
        "stereo"
    }
}

fn audio_stream(mt: MediaType, bitrate: u32) -> StreamConfigData {
    let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    s.bitrate = bitrate;
    s.buffer_window = 3000;
    s.media_type = Some(mt);
    s
}

/// The codecs offered for `major` given `avail`, in enumeration order.
pub fn codecs(major: &Guid, avail: &Availability) -> Vec<&'static CodecDef> {
    CODECS.iter().filter(|c| c.major == *major && avail.has(&c.subtype)).collect()
}

/// The formats of `codec` under `setting` (the SDK's kind of table; see the constants).
pub fn formats(codec: &CodecDef, setting: EnumSetting) -> Vec<CodecFormat> {
    let two_pass = setting.passes == 2;
    let pass_word = if two_pass { "2-pass" } else { "1-pass" };
    let mut out = Vec::new();
    let st = codec.subtype;
    if codec.major == sdk::WMMEDIATYPE_AUDIO {
        if st == sdk::WMMEDIASUBTYPE_WMAUDIOV8 {
            if setting.vbr {
                for (q, rate, ch) in WMA2_VBR {
                    // Quality VBR: the nominal rate the SDK shows for a quality level.
                    let nominal = 32_000 + q * 1_600;
                    let mut s = audio_stream(wma_format(nominal, rate, ch), nominal);
                    s.vbr.enabled = Some(true);
                    s.vbr.quality = Some(q);
                    let d = format!("VBR Quality {q}, {} kHz, {} {pass_word} VBR", khz(rate), chans(ch));
                    out.push(CodecFormat { stream: s, description: d });
                }
            } else {
                for (b, rate, ch) in WMA2_CBR {
                    let d = format!("{} kbps, {} kHz, {} {pass_word} CBR", b / 1000, khz(rate), chans(ch));
                    out.push(CodecFormat { stream: audio_stream(wma_format(b, rate, ch), b), description: d });
                }
            }
        } else if st == Guid::fourcc(0x0160) {
            if !setting.vbr && !two_pass {
                for (b, rate, ch) in WMA1_CBR {
                    let d = format!("{} kbps, {} kHz, {} CBR", b / 1000, khz(rate), chans(ch));
                    out.push(CodecFormat { stream: audio_stream(wma1_format(b, rate, ch), b), description: d });
                }
            }
        } else if st == sdk::WMMEDIASUBTYPE_WMAUDIO_LOSSLESS {
            if setting.vbr && !two_pass {
                for (rate, ch, bits) in WMA_LOSSLESS {
                    let mt = wma_lossless_format(rate, ch, bits);
                    let b = mt.wave_format().map(|w| w.avg_bytes_per_sec * 8).unwrap_or(0);
                    let mut s = audio_stream(mt, b);
                    s.vbr.enabled = Some(true);
                    s.vbr.quality = Some(100);
                    let d = format!("VBR Quality 100, {} kHz, {ch} channel {bits} bit 1-pass VBR", khz(rate));
                    out.push(CodecFormat { stream: s, description: d });
                }
            }
        } else if st == sdk::WMMEDIASUBTYPE_MP3 && !setting.vbr && !two_pass {
            for (b, rate, ch) in MP3_CBR {
                let d = format!("{} kbps, {} kHz, {} CBR", b / 1000, khz(rate), chans(ch));
                out.push(CodecFormat { stream: audio_stream(mp3_format(b, rate, ch), b), description: d });
            }
        }
    } else if codec.major == sdk::WMMEDIATYPE_VIDEO && (!setting.vbr || codec.vbr) {
        for (w, h, fps, b) in VIDEO_FORMATS {
            let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
            s.bitrate = b;
            s.buffer_window = 5000;
            s.max_key_frame_spacing = 80_000_000;
            s.quality = 75;
            s.media_type = Some(video_format(st, w, h, frame_time(fps), b));
            if setting.vbr {
                s.vbr.enabled = Some(true);
                s.vbr.quality = Some(75);
            }
            let mode = if setting.vbr { "VBR" } else { "CBR" };
            let d = format!("{w}x{h}, {fps} fps, {} kbps {pass_word} {mode}", b / 1000);
            out.push(CodecFormat { stream: s, description: d });
        }
    }
    out
}

fn check_major(major: &Guid) -> Result<()> {
    if *major != sdk::WMMEDIATYPE_AUDIO && *major != sdk::WMMEDIATYPE_VIDEO {
        bail!(InvalidArg, "{{{major}}} is not a codec type: use WMMEDIATYPE_Audio or WMMEDIATYPE_Video");
    }
    Ok(())
}

/// The codec at `index` for `major` (`E_INVALIDARG` when out of range).
pub fn codec(major: &Guid, index: u32, avail: &Availability) -> Result<&'static CodecDef> {
    check_major(major)?;
    let list = codecs(major, avail);
    let n = list.len();
    list.get(index as usize).copied().ok_or_else(|| {
        err!(InvalidArg, "codec index {index} is out of range: {n} codec{} of this type can encode here", if n == 1 { "" } else { "s" })
    })
}

/// The number of codecs of `major` (`GetCodecInfoCount`).
pub fn codec_count(major: &Guid, avail: &Availability) -> Result<u32> {
    check_major(major)?;
    Ok(codecs(major, avail).len() as u32)
}

/// The format at `format` of codec `index` (`GetCodecFormat` / `GetCodecFormatDesc`).
pub fn format(major: &Guid, index: u32, format: u32, avail: &Availability, settings: &EnumSettings) -> Result<CodecFormat> {
    let c = codec(major, index, avail)?;
    let all = formats(c, settings.get(&c.subtype));
    let n = all.len();
    all.into_iter().nth(format as usize).ok_or_else(|| {
        err!(
            InvalidArg,
            "format index {format} is out of range: {} has {n} format{} with the current enumeration settings",
            c.name,
            if n == 1 { "" } else { "s" }
        )
    })
}

/// `GetCodecProp`.
pub fn codec_prop(c: &CodecDef, name: &str) -> Result<PropValue> {
    let video = c.major == sdk::WMMEDIATYPE_VIDEO;
    Ok(match name {
        IS_VBR_SUPPORTED => PropValue::boolean(c.vbr),
        COMPLEXITY_MAX if video => PropValue::dword(4),
        COMPLEXITY_OFFLINE if video => PropValue::dword(4),
        COMPLEXITY_LIVE if video => PropValue::dword(2),
        _ => bail!(
            UnsupportedProperty,
            "codec property \"{name}\" is not supported by {} (use {IS_VBR_SUPPORTED}{})",
            c.name,
            if video { ", _COMPLEXITYEXMAX, _COMPLEXITYEXOFFLINE or _COMPLEXITYEXLIVE" } else { "" }
        ),
    })
}

/// `GetCodecFormatProp`.
pub fn format_prop(f: &CodecFormat, setting: EnumSetting, name: &str) -> Result<PropValue> {
    Ok(match name {
        VBR_ENABLED => PropValue::boolean(f.stream.vbr.enabled.unwrap_or(false)),
        NUM_PASSES => PropValue::dword(setting.passes),
        VBR_QUALITY if f.stream.vbr.quality.is_some() => PropValue::dword(f.stream.vbr.quality.unwrap_or(0)),
        _ => bail!(
            UnsupportedProperty,
            "format property \"{name}\" is not supported (use {VBR_ENABLED}, {NUM_PASSES} or, for VBR formats, {VBR_QUALITY})"
        ),
    })
}

/// `SetCodecEnumerationSetting`: `_VBRENABLED` (BOOL, 4 bytes) or `_PASSESUSED` (DWORD 1 or 2).
pub fn set_setting(settings: &mut EnumSettings, c: &CodecDef, name: &str, data_type: u32, value: &[u8]) -> Result<()> {
    let v = match <[u8; 4]>::try_from(value) {
        Ok(b) => u32::from_le_bytes(b),
        Err(_) => bail!(
            InvalidArg,
            "the value of \"{name}\" is {} bytes; a {} is 4",
            value.len(),
            if data_type == TYPE_BOOL { "BOOL" } else { "DWORD" }
        ),
    };
    match name {
        VBR_ENABLED => {
            if data_type != TYPE_BOOL {
                bail!(InvalidArg, "{VBR_ENABLED} is a BOOL (WMT_TYPE_BOOL = 3), not type {data_type}");
            }
            if v != 0 && !c.vbr {
                bail!(UnsupportedProperty, "{} has no VBR formats ({IS_VBR_SUPPORTED} is false)", c.name);
            }
            settings.slot(c.subtype).vbr = v != 0;
        }
        NUM_PASSES => {
            if data_type != TYPE_DWORD {
                bail!(InvalidArg, "{NUM_PASSES} is a DWORD (WMT_TYPE_DWORD = 0), not type {data_type}");
            }
            if !(1..=2).contains(&v) {
                bail!(InvalidArg, "{NUM_PASSES} is {v}; codecs support 1 or 2 passes");
            }
            settings.slot(c.subtype).passes = v;
        }
        _ => bail!(UnsupportedProperty, "enumeration setting \"{name}\" is not supported (use {VBR_ENABLED} or {NUM_PASSES})"),
    }
    Ok(())
}

/// `GetCodecEnumerationSetting`.
pub fn get_setting(settings: &EnumSettings, c: &CodecDef, name: &str) -> Result<PropValue> {
    let s = settings.get(&c.subtype);
    Ok(match name {
        VBR_ENABLED => PropValue::boolean(s.vbr),
        NUM_PASSES => PropValue::dword(s.passes),
        _ => bail!(UnsupportedProperty, "enumeration setting \"{name}\" is not supported (use {VBR_ENABLED} or {NUM_PASSES})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn sdk_example_format_is_exact() {
        let w = wma_format(64_000, 44_100, 2).wave_format().unwrap();
        assert_eq!(
            (w.format_tag, w.channels, w.samples_per_sec, w.avg_bytes_per_sec, w.block_align, w.bits_per_sample),
            (0x161, 2, 44100, 8000, 2973, 16)
        );
        assert_eq!(w.extra, vec![0x00, 0x88, 0x00, 0x00, 0x0F, 0x00, 0x36, 0x08, 0x00, 0x00]);
        // 128 kbit/s 44.1 kHz: ceil(16000 × 16384 / 44100) = 5945.
        assert_eq!(wma_format(128_000, 44_100, 2).wave_format().unwrap().block_align, 5945);
        // 22.05 kHz: 1024-sample frames, samples per block 17 × 1024 = 0x4400.
        let w = wma_format(20_000, 22_050, 1).wave_format().unwrap();
        assert_eq!(w.block_align, 929);
        assert_eq!(&w.extra[..4], &[0x00, 0x44, 0x00, 0x00]);
    }

    #[test]
    fn tables_follow_availability() {
        let none = Availability::default();
        assert_eq!(codec_count(&sdk::WMMEDIATYPE_AUDIO, &none).unwrap(), 0);
        assert_eq!(codec(&sdk::WMMEDIATYPE_AUDIO, 0, &none).unwrap_err().kind, ErrorKind::InvalidArg);
        let wma = Availability(vec![sdk::WMMEDIASUBTYPE_WMAUDIOV8, Guid::fourcc(0x160), sdk::WMMEDIASUBTYPE_WMAUDIO_LOSSLESS]);
        assert_eq!(codec_count(&sdk::WMMEDIATYPE_AUDIO, &wma).unwrap(), 3);
        assert_eq!(codec_count(&sdk::WMMEDIATYPE_VIDEO, &wma).unwrap(), 0);
        assert_eq!(codec(&sdk::WMMEDIATYPE_AUDIO, 2, &wma).unwrap().name, "Windows Media Audio 9.2 Lossless");
        let all = Availability::all();
        assert_eq!(codec_count(&sdk::WMMEDIATYPE_AUDIO, &all).unwrap(), 4);
        assert_eq!(codec_count(&sdk::WMMEDIATYPE_VIDEO, &all).unwrap(), 6);
        assert_eq!(codec_count(&sdk::WMMEDIATYPE_SCRIPT, &all).unwrap_err().kind, ErrorKind::InvalidArg);
    }

    #[test]
    fn formats_depend_on_settings_and_validate() {
        let all = Availability::all();
        let mut st = EnumSettings::default();
        let f = format(&sdk::WMMEDIATYPE_AUDIO, 0, 10, &all, &st).unwrap();
        assert_eq!(f.description, "64 kbps, 44 kHz, stereo 1-pass CBR");
        assert_eq!(f.stream.bitrate, 64_000);
        let c = codec(&sdk::WMMEDIATYPE_AUDIO, 0, &all).unwrap();
        assert_eq!(formats(c, st.get(&c.subtype)).len(), WMA2_CBR.len());
        set_setting(&mut st, c, VBR_ENABLED, TYPE_BOOL, &1u32.to_le_bytes()).unwrap();
        assert_eq!(formats(c, st.get(&c.subtype)).len(), WMA2_VBR.len());
        assert_eq!(get_setting(&st, c, VBR_ENABLED).unwrap(), PropValue { data_type: TYPE_BOOL, value: 1 });
        let lossless = codec(&sdk::WMMEDIATYPE_AUDIO, 2, &all).unwrap();
        assert_eq!(formats(lossless, st.get(&lossless.subtype)).len(), 0);
        set_setting(&mut st, lossless, VBR_ENABLED, TYPE_BOOL, &1u32.to_le_bytes()).unwrap();
        let lf = formats(lossless, st.get(&lossless.subtype));
        assert_eq!(lf.len(), WMA_LOSSLESS.len());
        assert_eq!(format_prop(&lf[0], st.get(&lossless.subtype), VBR_QUALITY).unwrap().value, 100);
        assert_eq!(set_setting(&mut st, c, NUM_PASSES, TYPE_DWORD, &3u32.to_le_bytes()).unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(set_setting(&mut st, c, "_BOGUS", TYPE_DWORD, &1u32.to_le_bytes()).unwrap_err().kind, ErrorKind::UnsupportedProperty);
        let v1 = codec(&sdk::WMMEDIATYPE_AUDIO, 1, &all).unwrap();
        assert_eq!(set_setting(&mut st, v1, VBR_ENABLED, TYPE_BOOL, &1u32.to_le_bytes()).unwrap_err().kind, ErrorKind::UnsupportedProperty);
        // Every format of every codec under every setting makes a valid profile stream.
        for c in &CODECS {
            for vbr in [false, true] {
                for passes in [1, 2] {
                    for f in formats(c, EnumSetting { vbr, passes }) {
                        f.stream.validate().unwrap_or_else(|e| panic!("{}: {}: {}", c.name, f.description, e.message));
                        assert!(f.stream.bitrate > 0);
                    }
                }
            }
        }
        assert!(codec_prop(c, IS_VBR_SUPPORTED).unwrap().value == 1);
        assert_eq!(codec_prop(c, COMPLEXITY_MAX).unwrap_err().kind, ErrorKind::UnsupportedProperty);
    }
}
