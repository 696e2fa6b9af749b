//! Per-stream facts the writer derives from a stream configuration: its role in the
//! interleave, sample checks and durations, input formats, and its header entry.
#![forbid(unsafe_code)]

use crate::asf::header::{CodecEntry, HeaderStream, StreamKind};
use crate::guid::{sdk, Guid};
use crate::profile::media::frame_bytes;
use crate::profile::{MediaType, StreamConfigData};
use crate::Time100ns;

/// How a stream takes part in the interleave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamRole {
    /// Continuous audio: every object is a clean point; not split into used packets.
    Audio,
    /// Continuous video: key frames marked by `WM_SF_CLEANPOINT`; indexed.
    Video,
    /// Intermittent (script, image, text, file transfer): never waited for.
    Sparse,
}

/// What the writer needs to know about one stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamPlan {
    /// Stream number.
    pub number: u16,
    /// Role.
    pub role: StreamRole,
    /// Audio block align (0 when unknown / not audio).
    pub block_align: u16,
    /// Audio bytes per second (0 when unknown).
    pub avg_bytes_per_sec: u32,
    /// Whether samples are uncompressed PCM (size must be whole blocks).
    pub pcm: bool,
    /// Uncompressed video: exact frame size in bytes.
    pub frame_size: Option<usize>,
    /// Video: average time per frame (100 ns), 0 if unknown.
    pub avg_time_per_frame: Time100ns,
    /// Declared data-unit extensions: (ID, size; 0xFFFF = variable).
    pub extensions: Vec<(Guid, u16)>,
}

/// FOURCCs / subtypes of uncompressed video the writer stores as they are.
const RAW_VIDEO: [Guid; 16] = [
    sdk::WMMEDIASUBTYPE_RGB1,
    sdk::WMMEDIASUBTYPE_RGB4,
    sdk::WMMEDIASUBTYPE_RGB8,
    sdk::WMMEDIASUBTYPE_RGB565,
    sdk::WMMEDIASUBTYPE_RGB555,
    sdk::WMMEDIASUBTYPE_RGB24,
    sdk::WMMEDIASUBTYPE_RGB32,
    sdk::WMMEDIASUBTYPE_I420,
    sdk::WMMEDIASUBTYPE_IYUV,
    sdk::WMMEDIASUBTYPE_YV12,
    sdk::WMMEDIASUBTYPE_YUY2,
    sdk::WMMEDIASUBTYPE_UYVY,
    sdk::WMMEDIASUBTYPE_YVYU,
    sdk::WMMEDIASUBTYPE_P422,
    sdk::WMMEDIASUBTYPE_YVU9,
    Guid::fourcc(0x3231564E), // NV12
];

fn fourcc_str(v: u32) -> String {
    let b = v.to_le_bytes();
    if b.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
        String::from_utf8_lossy(&b).trim_end().to_string()
    } else {
        format!("0x{v:08X}")
    }
}

/// Whether the stream's media type is uncompressed video the writer can store as is.
pub fn is_raw_video(mt: &MediaType) -> bool {
    mt.major_type == sdk::WMMEDIATYPE_VIDEO && RAW_VIDEO.contains(&mt.subtype)
}

/// Whether the stream carries compressed data the writer cannot produce itself
/// (no codecs here): such an input must be set to passthrough.
pub fn is_passthrough_only(s: &StreamConfigData) -> bool {
    let Some(mt) = &s.media_type else {
        return false;
    };
    if mt.major_type == sdk::WMMEDIATYPE_AUDIO {
        return !mt.wave_format().is_some_and(|w| w.is_pcm());
    }
    if mt.major_type == sdk::WMMEDIATYPE_VIDEO {
        return !is_raw_video(mt);
    }
    false
}

/// The input format an input starts with (SDK: the codec's default input format).
pub fn default_input_format(s: &StreamConfigData) -> Option<MediaType> {
    input_formats(s).into_iter().next()
}

/// Every format the input accepts: for an uncompressed stream its own format; for a
/// compressed one, what an encoder would take (PCM / I420 of the same shape), which
/// this library cannot encode (`begin_writing` says so).
pub fn input_formats(s: &StreamConfigData) -> Vec<MediaType> {
    let Some(mt) = &s.media_type else {
        return Vec::new();
    };
    if !is_passthrough_only(s) {
        return vec![mt.clone()];
    }
    if mt.major_type == sdk::WMMEDIATYPE_AUDIO {
        let w = mt.wave_format().unwrap_or_default();
        let bits = if w.bits_per_sample == 16 || w.bits_per_sample == 24 || w.bits_per_sample == 8 { w.bits_per_sample } else { 16 };
        return vec![MediaType::pcm(w.channels.max(1), w.samples_per_sec.max(8000), bits)];
    }
    if let Some(vi) = mt.video_info() {
        return vec![MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, vi.width, vi.height.saturating_abs(), vi.avg_time_per_frame)];
    }
    vec![mt.clone()]
}

/// Whether the encoder of compressed video stream `s` takes the raw video `mt` although
/// `input_formats` does not list it: the SDK's writer converts and resizes video inputs
/// (reference §7.13), and so does the codec layer (any raw subtype it converts, any
/// size: scaled to the stream's; `DeinterlaceMode` half size needs twice the size).
pub fn encoder_takes_video(s: &StreamConfigData, mt: &MediaType) -> bool {
    s.stream_type == sdk::WMMEDIATYPE_VIDEO
        && is_passthrough_only(s)
        && is_raw_video(mt)
        && crate::codec::convert_video::converts(&mt.subtype)
        && mt.video_info().is_some_and(|v| v.width > 0 && v.height != 0 && v.width <= 8192 && v.height.unsigned_abs() <= 8192)
}

/// Whether two media types describe the same input format.
pub fn same_format(a: &MediaType, b: &MediaType) -> bool {
    if a.major_type != b.major_type || a.subtype != b.subtype || a.format_type != b.format_type {
        return false;
    }
    if let (Some(x), Some(y)) = (a.wave_format(), b.wave_format()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.video_info(), b.video_info()) {
        return x.width == y.width
            && x.height.unsigned_abs() == y.height.unsigned_abs()
            && x.bit_count == y.bit_count
            && x.compression == y.compression;
    }
    a.format == b.format
}

/// A short human description of a media type.
pub fn describe(mt: &MediaType) -> String {
    if let Some(w) = mt.wave_format() {
        let what = if w.format_tag == 1 { "PCM".to_string() } else { audio_codec_name(w.format_tag) };
        return format!("{what} {} Hz {} ch {}-bit", w.samples_per_sec, w.channels, w.bits_per_sample);
    }
    if let Some(v) = mt.video_info() {
        return format!("video {}x{} {} {}-bit", v.width, v.height, fourcc_str(v.compression), v.bit_count);
    }
    format!("media type {{{}}}", mt.major_type)
}

fn audio_codec_name(tag: u16) -> String {
    match tag {
        0x0001 => "PCM".into(),
        0x0003 => "IEEE Float".into(),
        0x000A | 0x000B => "Windows Media Audio 9 Voice".into(),
        0x0050 => "MPEG Audio".into(),
        0x0055 => "MPEG Layer-3".into(),
        0x0160 => "Windows Media Audio V1".into(),
        0x0161 => "Windows Media Audio 9.2".into(),
        0x0162 => "Windows Media Audio 9.2 Professional".into(),
        0x0163 => "Windows Media Audio 9.2 Lossless".into(),
        0x00FF | 0x1610 | 0x4143 | 0xA106 => "AAC".into(),
        0x2000 => "AC-3".into(),
        0xFFFE => "PCM (extensible)".into(),
        t => format!("Audio format 0x{t:04X}"),
    }
}

fn video_codec_name(compression: u32, bits: u16) -> String {
    match &compression.to_le_bytes() {
        [0, 0, 0, 0] => format!("Uncompressed RGB{bits}"),
        [3, 0, 0, 0] => format!("Uncompressed RGB{bits} (bitfields)"),
        b"WMV1" => "Windows Media Video 7".into(),
        b"WMV2" => "Windows Media Video 8".into(),
        b"WMV3" => "Windows Media Video 9".into(),
        b"WMVA" | b"WVC1" => "Windows Media Video 9 Advanced Profile".into(),
        b"MP43" => "Microsoft MPEG-4 Video Codec V3".into(),
        b"MP4S" | b"M4S2" | b"FMP4" | b"XVID" | b"DIVX" | b"DX50" => "MPEG-4 Video".into(),
        b"H264" | b"h264" | b"AVC1" | b"avc1" | b"X264" => "H.264".into(),
        b"MSS1" | b"MSS2" => "Windows Media Screen".into(),
        _ if frame_bytes(compression, bits, 1, 1).is_some() => {
            format!("Uncompressed {}", fourcc_str(compression))
        }
        _ => fourcc_str(compression),
    }
}

fn channels_text(n: u16) -> String {
    match n {
        1 => "mono".into(),
        2 => "stereo".into(),
        n => format!("{n} channel"),
    }
}

impl StreamPlan {
    /// The plan for one validated stream.
    pub fn new(s: &StreamConfigData) -> Self {
        let mt = s.media_type.clone().unwrap_or_default();
        let role = if s.stream_type == sdk::WMMEDIATYPE_AUDIO {
            StreamRole::Audio
        } else if s.stream_type == sdk::WMMEDIATYPE_VIDEO {
            StreamRole::Video
        } else {
            StreamRole::Sparse
        };
        let w = mt.wave_format();
        let v = mt.video_info();
        let frame_size =
            v.as_ref().filter(|_| is_raw_video(&mt)).and_then(|v| {
                frame_bytes(v.compression, v.bit_count, v.width, v.height).map(|computed| {
                    if v.size_image != 0 {
                        v.size_image as usize
                    } else {
                        computed
                    }
                })
            });
        StreamPlan {
            number: s.number,
            role,
            block_align: w.as_ref().map_or(0, |w| w.block_align),
            avg_bytes_per_sec: w.as_ref().map_or(0, |w| w.avg_bytes_per_sec),
            pcm: w.as_ref().is_some_and(|w| w.is_pcm()),
            frame_size,
            avg_time_per_frame: v.as_ref().map_or(0, |v| v.avg_time_per_frame.max(0) as u64),
            extensions: s.data_unit_extensions.iter().map(|e| (e.system_id, e.data_size)).collect(),
        }
    }

    /// Check a sample's size against the stream's format.
    pub fn check_sample(&self, len: usize) -> crate::error::Result<()> {
        if self.pcm && self.block_align > 0 && len % self.block_align as usize != 0 {
            return Err(crate::err!(
                InvalidData,
                "a {len}-byte sample for PCM stream {} is not a whole number of {}-byte blocks",
                self.number,
                self.block_align
            ));
        }
        if let Some(f) = self.frame_size {
            if len != f {
                return Err(crate::err!(
                    InvalidData,
                    "a {len}-byte sample for uncompressed video stream {} must be exactly one {f}-byte frame",
                    self.number
                ));
            }
        }
        if len >= 1 << 24 && self.role != StreamRole::Sparse {
            // FFmpeg rejects objects of 16 MiB and more.
            return Err(crate::err!(InvalidData, "a {len}-byte sample is larger than the 16 MiB media object limit readers accept"));
        }
        Ok(())
    }

    /// The payload extension bytes of one sample: each declared extension in order, from
    /// the buffer's properties; missing fixed-size ones are zeros (SDK), a missing
    /// timecode is an error, a longer value than declared is refused.
    pub fn extension_bytes(&self, buffer: &crate::buffer::SampleBuffer) -> crate::error::Result<Vec<u8>> {
        use crate::error::ErrorKind;
        const TIMECODE: Guid = Guid::new(0x399595EC, 0x8667, 0x4E2D, [0x8F, 0xDB, 0x98, 0x81, 0x4C, 0xE7, 0x6C, 0x1E]);
        let mut out = Vec::new();
        for (id, size) in &self.extensions {
            let value = buffer.property(id);
            if value.is_none() && *id == TIMECODE {
                return Err(crate::error::Error::new(
                    ErrorKind::InvalidData,
                    format!(
                        "stream {} declares a timecode data-unit extension and the sample has none (set it with wm_buffer_set_property)",
                        self.number
                    ),
                ));
            }
            let value = value.unwrap_or_default();
            if *size == 0xFFFF {
                if value.len() > 0xFFFE {
                    return Err(crate::error::Error::new(
                        ErrorKind::DataUnitExtensionTooLarge,
                        format!("a {}-byte variable-size extension value is over 65534 bytes", value.len()),
                    ));
                }
            } else {
                if value.len() > *size as usize {
                    return Err(crate::error::Error::new(
                        ErrorKind::DataUnitExtensionTooLarge,
                        format!(
                            "the {}-byte value for extension {{{id}}} is larger than the {size} bytes stream {} declares",
                            value.len(),
                            self.number
                        ),
                    ));
                }
            }
            crate::asf::packet::put_extension_value(&mut out, *size, &value);
        }
        if out.len() > 247 {
            return Err(crate::error::Error::new(
                ErrorKind::DataUnitExtensionTooLarge,
                format!(
                    "stream {}'s data-unit extensions take {} bytes per payload; at most 247 fit the replicated data",
                    self.number,
                    out.len()
                ),
            ));
        }
        Ok(out)
    }

    /// The payload extension bytes every payload of this stream carries at least
    /// (fixed-size extensions in full, 2 length bytes per variable-size one).
    pub fn min_extension_len(&self) -> usize {
        self.extensions.iter().map(|(_, size)| if *size == 0xFFFF { 2 } else { *size as usize }).sum()
    }

    /// The duration of a sample of `len` bytes when the caller gives none.
    pub fn duration_of(&self, len: usize) -> Time100ns {
        match self.role {
            StreamRole::Audio if self.avg_bytes_per_sec > 0 => len as u64 * 10_000_000 / self.avg_bytes_per_sec as u64,
            StreamRole::Video => self.avg_time_per_frame,
            _ => 0,
        }
    }

    /// The stream's entry in the header.
    pub fn header_stream(&self, s: &StreamConfigData, language_index: u16) -> HeaderStream {
        let mt = s.media_type.clone().unwrap_or_default();
        let (kind, type_specific, audio_spread, codec) = match self.role {
            StreamRole::Audio => {
                let w = mt.wave_format().unwrap_or_default();
                let tsd = w.to_bytes();
                let spread = !matches!(w.format_tag, 0x0055 | 0x0050 | 0x00FF | 0x1610 | 0x4143 | 0xA106 | 0x2000);
                let desc = format!(
                    "{} kbps, {} kHz, {} {}-bit",
                    (w.avg_bytes_per_sec as u64 * 8).div_ceil(1000),
                    (w.samples_per_sec + 500) / 1000,
                    channels_text(w.channels),
                    w.bits_per_sample
                );
                let codec = CodecEntry {
                    kind: 2,
                    name: audio_codec_name(w.format_tag),
                    description: desc,
                    info: w.format_tag.to_le_bytes().to_vec(),
                };
                (StreamKind::Audio, tsd, spread.then_some(w.block_align), Some(codec))
            }
            StreamRole::Video => {
                let v = mt.video_info().unwrap_or_default();
                let tsd = crate::asf::header::video_type_specific(v.width.unsigned_abs(), v.height.unsigned_abs(), &v.bitmap_info);
                let codec = CodecEntry {
                    kind: 1,
                    name: video_codec_name(v.compression, v.bit_count),
                    description: format!("{}x{}", v.width, v.height.unsigned_abs()),
                    info: v.compression.to_le_bytes().to_vec(),
                };
                (StreamKind::Video, tsd, None, Some(codec))
            }
            StreamRole::Sparse => {
                if s.stream_type == sdk::WMMEDIATYPE_SCRIPT {
                    (StreamKind::Command, Vec::new(), None, None)
                } else {
                    let kind = if s.stream_type == sdk::WMMEDIATYPE_FILETRANSFER { StreamKind::FileTransfer } else { StreamKind::Binary };
                    let tsd = crate::asf::header::BinaryMediaType {
                        major_type: mt.major_type,
                        subtype: mt.subtype,
                        fixed_size_samples: mt.fixed_size_samples,
                        temporal_compression: mt.temporal_compression,
                        sample_size: mt.sample_size,
                        format_type: mt.format_type,
                        format: &mt.format,
                    }
                    .to_bytes();
                    (kind, tsd, None, None)
                }
            }
        };
        HeaderStream {
            number: s.number,
            kind,
            type_specific,
            audio_spread,
            bitrate: s.bitrate,
            buffer_window_ms: s.effective_buffer_window(),
            max_object_size: 0,
            avg_time_per_frame: self.avg_time_per_frame,
            language_index,
            reliable: s.reliable,
            codec,
            start_time_ms: 0,
            end_time_ms: 0,
            measured_bitrate: 0,
            payload_extensions: s.data_unit_extensions.iter().map(|e| (e.system_id, e.data_size, e.info.clone())).collect(),
        }
    }
}

/// The profile's stream groups as header objects: (header level, Header Extension).
///
/// How `IWMMutualExclusion`/`2` maps to the ASF objects (ASF specification 1.20 §3.8,
/// §4.7, §4.8; the specification's exclusion objects have no name fields):
/// * an exclusion with neither a name nor records: a Bitrate Mutual Exclusion Object
///   (header level, its streams), as every SDK-era reader knows it;
/// * an exclusion with records: a Group Mutual Exclusion Object (Header Extension)
///   whose records are its records, in order; streams added to the exclusion itself
///   (not to a record) go into a Bitrate Mutual Exclusion Object as above;
/// * a named exclusion without records: an Advanced Mutual Exclusion Object (Header
///   Extension, its streams);
/// * the names of the exclusions written as Advanced / Group objects, and of their
///   records, go into one wmwriter mutual-exclusion names object after them, an entry
///   per Advanced / Group object in the same order (when any name is set).
///
/// Then the Stream Prioritization Object (§4.9) and a Bandwidth Sharing Object (§4.10)
/// per sharing.
pub fn group_objects(profile: &crate::profile::ProfileData) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    use crate::asf::header::bitrate_mutual_exclusion;
    use crate::asf::metadata::{
        AdvancedMutualExclusionObject, BandwidthSharingObject, GroupMutualExclusionObject, MutexNamesObject, StreamPrioritizationObject,
    };
    let mut top = Vec::new();
    let mut ext: Vec<Vec<u8>> = Vec::new();
    let mut names = MutexNamesObject::default();
    for m in &profile.mutual_exclusions {
        if !m.records.is_empty() {
            ext.push(
                GroupMutualExclusionObject {
                    exclusion_type: m.mutex_type,
                    records: m.records.iter().map(|r| r.streams.0.clone()).collect(),
                }
                .to_bytes(),
            );
            names.entries.push((m.name.clone(), m.records.iter().map(|r| r.name.clone()).collect()));
            if !m.streams.0.is_empty() {
                top.push(bitrate_mutual_exclusion(&m.mutex_type, &m.streams.0));
            }
        } else if !m.name.is_empty() {
            ext.push(AdvancedMutualExclusionObject { exclusion_type: m.mutex_type, streams: m.streams.0.clone() }.to_bytes());
            names.entries.push((m.name.clone(), Vec::new()));
        } else {
            top.push(bitrate_mutual_exclusion(&m.mutex_type, &m.streams.0));
        }
    }
    if names.entries.iter().any(|(n, r)| !n.is_empty() || r.iter().any(|x| !x.is_empty())) {
        ext.push(names.to_bytes());
    }
    if let Some(p) = &profile.stream_prioritization {
        ext.push(StreamPrioritizationObject { records: p.records.iter().map(|r| (r.number, r.mandatory)).collect() }.to_bytes());
    }
    for b in &profile.bandwidth_sharings {
        ext.push(
            BandwidthSharingObject {
                sharing_type: b.sharing_type,
                bitrate: b.bitrate,
                buffer_ms: b.buffer_window,
                streams: b.streams.0.clone(),
            }
            .to_bytes(),
        );
    }
    (top, ext)
}
