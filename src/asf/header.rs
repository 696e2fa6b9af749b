//! The Header Object and the 50-byte Data Object prefix.
//!
//! [`Header::to_bytes`] is a pure function of its fields; every field that changes at
//! the end of writing (sizes, counts, durations, flags) has a fixed width, so the
//! header written at `begin_writing` and the one patched in at `end_writing` have the
//! same length.

use super::{begin_object, end_object, guids, wstr_len, Put};
use crate::guid::Guid;

/// File Properties flag: live / still being written.
pub const FLAG_BROADCAST: u32 = 0x1;
/// File Properties flag: seekable.
pub const FLAG_SEEKABLE: u32 = 0x2;
/// Size of the Data Object's fixed part.
pub const DATA_OBJECT_PREFIX_LEN: usize = 50;

/// What kind of ASF stream (decides the Stream Type GUID).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    /// ASF_Audio_Media.
    Audio,
    /// ASF_Video_Media.
    Video,
    /// ASF_Command_Media (script).
    Command,
    /// ASF_JFIF_Media (image).
    Jfif,
    /// ASF_Degradable_JPEG_Media.
    DegradableJpeg,
    /// ASF_File_Transfer_Media.
    FileTransfer,
    /// ASF_Binary_Media (text, web streams, anything else).
    Binary,
}

impl StreamKind {
    /// The Stream Type GUID.
    pub fn guid(self) -> Guid {
        match self {
            StreamKind::Audio => guids::AUDIO_MEDIA,
            StreamKind::Video => guids::VIDEO_MEDIA,
            StreamKind::Command => guids::COMMAND_MEDIA,
            StreamKind::Jfif => guids::JFIF_MEDIA,
            StreamKind::DegradableJpeg => guids::DEGRADABLE_JPEG_MEDIA,
            StreamKind::FileTransfer => guids::FILE_TRANSFER_MEDIA,
            StreamKind::Binary => guids::BINARY_MEDIA,
        }
    }
}

/// A Codec List entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodecEntry {
    /// 1 video, 2 audio, 0xFFFF unknown.
    pub kind: u16,
    /// Codec name.
    pub name: String,
    /// Codec description ("1411 kbps, 44 kHz, stereo 16-bit").
    pub description: String,
    /// Audio: the 2-byte format tag; video: the 4-byte FOURCC.
    pub info: Vec<u8>,
}

/// One stream as the header describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderStream {
    /// Stream number 1..127.
    pub number: u16,
    /// Stream type.
    pub kind: StreamKind,
    /// Type-specific data (WAVEFORMATEX; the video block; binary-media block; …).
    pub type_specific: Vec<u8>,
    /// Audio Spread block align (writes the 8-byte audio-spread data), or `None` for
    /// ASF_No_Error_Correction.
    pub audio_spread: Option<u16>,
    /// Average bit rate, bit/s.
    pub bitrate: u32,
    /// Buffer window, ms.
    pub buffer_window_ms: u32,
    /// Largest media object, bytes (0 = unknown).
    pub max_object_size: u32,
    /// Video: average time per frame, 100 ns (0 otherwise).
    pub avg_time_per_frame: u64,
    /// Index into the Language List (0 if there is none).
    pub language_index: u16,
    /// Reliable transport flag for the ESP.
    pub reliable: bool,
    /// Codec List entry (audio and video streams).
    pub codec: Option<CodecEntry>,
    /// ESP Start/End time, ms (0 = unspecified).
    pub start_time_ms: u64,
    /// ESP End time, ms (0 = unspecified).
    pub end_time_ms: u64,
    /// Bits/s measured incl. packet overhead, for Stream Bitrate Properties (0 = use `bitrate`).
    pub measured_bitrate: u32,
    /// Payload extension systems (data-unit extensions): ID, data size (0xFFFF =
    /// variable), system info.
    pub payload_extensions: Vec<(Guid, u16, Vec<u8>)>,
}

/// Type-Specific Data of a video stream: encoded image width and height, reserved
/// flags (2), format data size, then the BITMAPINFOHEADER (and what follows it).
pub fn video_type_specific(width: u32, height: u32, bitmap_info: &[u8]) -> Vec<u8> {
    let mut tsd = Vec::with_capacity(11 + bitmap_info.len());
    tsd.u32(width);
    tsd.u32(height);
    tsd.u8(2);
    tsd.u16(bitmap_info.len() as u16);
    tsd.extend_from_slice(bitmap_info);
    tsd
}

/// A DirectShow-style media type as the Binary Media stream's Type-Specific Data holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinaryMediaType<'a> {
    /// Major type.
    pub major_type: Guid,
    /// Subtype.
    pub subtype: Guid,
    /// Fixed-size samples.
    pub fixed_size_samples: bool,
    /// Temporal compression.
    pub temporal_compression: bool,
    /// Sample size.
    pub sample_size: u32,
    /// Format type.
    pub format_type: Guid,
    /// Format block.
    pub format: &'a [u8],
}

impl BinaryMediaType<'_> {
    /// The Type-Specific Data bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut tsd = Vec::with_capacity(64 + self.format.len());
        tsd.guid(&self.major_type);
        tsd.guid(&self.subtype);
        tsd.u32(self.fixed_size_samples as u32);
        tsd.u32(self.temporal_compression as u32);
        tsd.u32(self.sample_size);
        tsd.guid(&self.format_type);
        tsd.u32(self.format.len() as u32);
        tsd.extend_from_slice(self.format);
        tsd
    }
}

/// File Properties fields that change between the first and the final header.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FileProperties {
    /// File ID (also in the Data Object and the Simple Index).
    pub file_id: Guid,
    /// Whole file size in bytes (0 while writing / broadcast).
    pub file_size: u64,
    /// FILETIME of creation.
    pub creation_date: u64,
    /// Data packet count (0 while writing / broadcast).
    pub data_packets: u64,
    /// 100 ns, including preroll.
    pub play_duration: u64,
    /// 100 ns.
    pub send_duration: u64,
    /// ms.
    pub preroll_ms: u64,
    /// `FLAG_BROADCAST` | `FLAG_SEEKABLE`.
    pub flags: u32,
    /// Fixed packet size (min = max).
    pub packet_size: u32,
    /// Maximum bit rate, bit/s; never 0.
    pub max_bitrate: u32,
}

/// Everything the Header Object says.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Header {
    /// File Properties.
    pub props: FileProperties,
    /// Streams in profile order.
    pub streams: Vec<HeaderStream>,
    /// Language List (RFC 1766 tags); empty = no Language List Object.
    pub languages: Vec<String>,
    /// Extra header-level objects (complete, with GUID and size), e.g. metadata objects.
    pub extra_objects: Vec<Vec<u8>>,
    /// Extra Header Extension children (complete objects).
    pub extension_objects: Vec<Vec<u8>>,
    /// Codec List entries beyond the streams' own (`IWMHeaderInfo3::AddCodecInfo`).
    pub extra_codecs: Vec<CodecEntry>,
    /// Header-level objects from the profile (mutual exclusions).
    pub profile_objects: Vec<Vec<u8>>,
    /// Header Extension children from the profile (prioritization, bandwidth sharing).
    pub profile_extension_objects: Vec<Vec<u8>>,
}

impl Header {
    /// The complete Header Object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        let start = begin_object(&mut out, &guids::HEADER);
        out.u32(0); // object count, patched below
        out.u8(0x01);
        out.u8(0x02);
        let mut count = 0u32;

        self.file_properties(&mut out);
        count += 1;
        self.header_extension(&mut out);
        count += 1;
        for obj in self.extra_objects.iter().chain(&self.profile_objects) {
            out.extend_from_slice(obj);
            count += 1;
        }
        for s in &self.streams {
            stream_properties(&mut out, s);
            count += 1;
        }
        self.codec_list(&mut out);
        count += 1;
        self.stream_bitrate_properties(&mut out);
        count += 1;

        out[start + 24..start + 28].copy_from_slice(&count.to_le_bytes());
        end_object(&mut out, start);
        out
    }

    /// Header Object + Data Object prefix: the bytes a file begins with.
    pub fn file_start(&self) -> Vec<u8> {
        let mut v = self.to_bytes();
        v.extend_from_slice(&self.data_object_prefix());
        v
    }

    /// [`Header::file_start`] in the live (broadcast) layout a stream is served with:
    /// broadcast flag set, seekable clear; file size, creation date, packet count, play
    /// and send durations 0; Data Object size 50 and 0 packets.
    pub fn live_start(&self) -> Vec<u8> {
        let mut h = self.clone();
        let p = &mut h.props;
        p.flags = FLAG_BROADCAST;
        p.file_size = 0;
        p.creation_date = 0;
        p.data_packets = 0;
        p.play_duration = 0;
        p.send_duration = 0;
        h.file_start()
    }

    /// The byte offset of the first data packet when the header is `header_len` bytes.
    pub fn first_packet_offset(header_len: usize) -> u64 {
        (header_len + DATA_OBJECT_PREFIX_LEN) as u64
    }

    /// The Data Object's 50-byte fixed part for `packets` packets.
    pub fn data_object_prefix(&self) -> [u8; DATA_OBJECT_PREFIX_LEN] {
        let p = &self.props;
        let broadcast = p.flags & FLAG_BROADCAST != 0;
        let size =
            if broadcast { DATA_OBJECT_PREFIX_LEN as u64 } else { DATA_OBJECT_PREFIX_LEN as u64 + p.data_packets * p.packet_size as u64 };
        let mut v = Vec::with_capacity(DATA_OBJECT_PREFIX_LEN);
        v.guid(&guids::DATA);
        v.u64(size);
        v.guid(&p.file_id);
        v.u64(if broadcast { 0 } else { p.data_packets });
        v.u8(1);
        v.u8(1);
        let mut a = [0u8; DATA_OBJECT_PREFIX_LEN];
        a.copy_from_slice(&v);
        a
    }

    fn file_properties(&self, out: &mut Vec<u8>) {
        let p = &self.props;
        let s = begin_object(out, &guids::FILE_PROPERTIES);
        out.guid(&p.file_id);
        out.u64(p.file_size);
        out.u64(p.creation_date);
        out.u64(p.data_packets);
        out.u64(p.play_duration);
        out.u64(p.send_duration);
        out.u64(p.preroll_ms);
        out.u32(p.flags);
        out.u32(p.packet_size);
        out.u32(p.packet_size);
        out.u32(p.max_bitrate.max(1));
        end_object(out, s);
    }

    fn header_extension(&self, out: &mut Vec<u8>) {
        let s = begin_object(out, &guids::HEADER_EXTENSION);
        out.guid(&guids::RESERVED_1);
        out.u16(6);
        out.u32(0); // data size, patched
        let data_start = out.len();
        for st in &self.streams {
            extended_stream_properties(out, st);
        }
        if !self.languages.is_empty() {
            let l = begin_object(out, &guids::LANGUAGE_LIST);
            out.u16(self.languages.len() as u16);
            for lang in &self.languages {
                out.u8(wstr_len(lang) as u8);
                out.wstr(lang);
            }
            end_object(out, l);
        }
        for obj in self.extension_objects.iter().chain(&self.profile_extension_objects) {
            out.extend_from_slice(obj);
        }
        let data_size = (out.len() - data_start) as u32;
        out[data_start - 4..data_start].copy_from_slice(&data_size.to_le_bytes());
        end_object(out, s);
    }

    fn codec_list(&self, out: &mut Vec<u8>) {
        let s = begin_object(out, &guids::CODEC_LIST);
        out.guid(&guids::RESERVED_2);
        let codecs: Vec<&CodecEntry> = self.streams.iter().filter_map(|s| s.codec.as_ref()).chain(&self.extra_codecs).collect();
        out.u32(codecs.len() as u32);
        for c in codecs {
            out.u16(c.kind);
            out.u16((wstr_len(&c.name) / 2) as u16);
            out.wstr(&c.name);
            out.u16((wstr_len(&c.description) / 2) as u16);
            out.wstr(&c.description);
            out.u16(c.info.len() as u16);
            out.extend_from_slice(&c.info);
        }
        end_object(out, s);
    }

    fn stream_bitrate_properties(&self, out: &mut Vec<u8>) {
        let s = begin_object(out, &guids::STREAM_BITRATE_PROPERTIES);
        out.u16(self.streams.len() as u16);
        for st in &self.streams {
            out.u16(st.number & 0x7F);
            out.u32(if st.measured_bitrate != 0 { st.measured_bitrate } else { st.bitrate });
        }
        end_object(out, s);
    }
}

/// A Bitrate Mutual Exclusion Object (header level): streams of which a player picks one.
pub fn bitrate_mutual_exclusion(exclusion_type: &Guid, streams: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(42 + 2 * streams.len());
    let s = begin_object(&mut out, &guids::BITRATE_MUTUAL_EXCLUSION);
    out.guid(exclusion_type);
    out.u16(streams.len() as u16);
    streams.iter().for_each(|n| out.u16(*n));
    end_object(&mut out, s);
    out
}

/// A Stream Prioritization Object (Header Extension): (stream, mandatory) in priority order.
pub fn stream_prioritization(records: &[(u16, bool)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(26 + 4 * records.len());
    let s = begin_object(&mut out, &guids::STREAM_PRIORITIZATION);
    out.u16(records.len() as u16);
    for (n, mandatory) in records {
        out.u16(*n);
        out.u16(*mandatory as u16);
    }
    end_object(&mut out, s);
    out
}

/// A Bandwidth Sharing Object (Header Extension).
pub fn bandwidth_sharing(sharing_type: &Guid, bitrate: u32, buffer_ms: u32, streams: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(50 + 2 * streams.len());
    let s = begin_object(&mut out, &guids::BANDWIDTH_SHARING);
    out.guid(sharing_type);
    out.u32(bitrate);
    out.u32(buffer_ms);
    out.u16(streams.len() as u16);
    streams.iter().for_each(|n| out.u16(*n));
    end_object(&mut out, s);
    out
}

fn stream_properties(out: &mut Vec<u8>, st: &HeaderStream) {
    let s = begin_object(out, &guids::STREAM_PROPERTIES);
    out.guid(&st.kind.guid());
    out.guid(if st.audio_spread.is_some() { &guids::AUDIO_SPREAD } else { &guids::NO_ERROR_CORRECTION });
    out.u64(0); // time offset
    out.u32(st.type_specific.len() as u32);
    out.u32(if st.audio_spread.is_some() { 8 } else { 0 });
    out.u16(st.number & 0x7F);
    out.u32(0);
    out.extend_from_slice(&st.type_specific);
    if let Some(align) = st.audio_spread {
        let align = align.max(1);
        out.u8(1); // span
        out.u16(align);
        out.u16(align);
        out.u16(1);
        out.u8(0);
    }
    end_object(out, s);
}

fn extended_stream_properties(out: &mut Vec<u8>, st: &HeaderStream) {
    let s = begin_object(out, &guids::EXTENDED_STREAM_PROPERTIES);
    out.u64(st.start_time_ms);
    out.u64(st.end_time_ms);
    out.u32(st.bitrate);
    out.u32(st.buffer_window_ms);
    out.u32(0);
    out.u32(st.bitrate);
    out.u32(st.buffer_window_ms);
    out.u32(0);
    out.u32(st.max_object_size);
    let mut flags = 0x2; // seekable
    if st.reliable {
        flags |= 0x1;
    }
    out.u32(flags);
    out.u16(st.number);
    out.u16(st.language_index);
    out.u64(st.avg_time_per_frame);
    out.u16(0); // stream name count
    out.u16(st.payload_extensions.len() as u16);
    for (id, size, info) in &st.payload_extensions {
        out.guid(id);
        out.u16(*size);
        out.u32(info.len() as u32);
        out.extend_from_slice(info);
    }
    end_object(out, s);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the ASF reference §8: header bytes for one PCM stream.
    #[test]
    fn worked_example_prefix_fields() {
        let h = Header {
            props: FileProperties {
                file_id: Guid::parse("00112233-4455-6677-8899-AABBCCDDEEFF").unwrap(),
                file_size: 462,
                creation_date: 133_485_408_000_000_000,
                data_packets: 1,
                play_duration: 30_001_814,
                send_duration: 1814,
                preroll_ms: 3000,
                flags: FLAG_SEEKABLE,
                packet_size: 128,
                max_bitrate: 1_411_200,
            },
            ..Default::default()
        };
        let b = h.to_bytes();
        // File Properties starts at 30 and is 104 bytes; compare with the reference dump.
        let fp = &b[30..134];
        let expect_hex = "a1dc ab8c47a9cf118ee400c00c2053656800 000000000000332211005544776688 99aabbccddeeffce0100000000000000c0 8976453cda0101000000000000009 6ca c9010000000016070000000000 00b80b 000000000000020000008000000080 00 0000808815 00";
        let expect: Vec<u8> = hex(expect_hex);
        assert_eq!(fp, &expect[..]);
        let d = h.data_object_prefix();
        assert_eq!(&d[16..24], &178u64.to_le_bytes());
        assert_eq!(&d[48..50], &[1, 1]);
    }

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
        (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn audio_stream_properties_match_reference() {
        let st = HeaderStream {
            number: 1,
            kind: StreamKind::Audio,
            type_specific: hex("0100 0200 44ac0000 10b10200 0400 1000 0000"),
            audio_spread: Some(4),
            bitrate: 1_411_200,
            buffer_window_ms: 3000,
            max_object_size: 0,
            avg_time_per_frame: 0,
            language_index: 0,
            reliable: false,
            codec: Some(CodecEntry { kind: 2, name: String::new(), description: String::new(), info: vec![1, 0] }),
            start_time_ms: 0,
            end_time_ms: 0,
            measured_bitrate: 0,
            payload_extensions: Vec::new(),
        };
        let mut out = Vec::new();
        stream_properties(&mut out, &st);
        let expect = hex("9107dcb7b7a9cf118ee600c00c205365 6800000000000000 409e69f84d5bcf11a8fd00805f5c442b
             50cdc3bf8f61cf118bb200aa00b4e220 0000000000000000 12000000 08000000 0100 00000000
             0100 0200 44ac0000 10b10200 0400 1000 0000 01 0400 0400 0100 00");
        assert_eq!(out, expect);
    }

    #[test]
    fn header_object_count_and_sizes_are_exact() {
        let mut h = Header::default();
        h.props.packet_size = 1000;
        let b = h.to_bytes();
        assert_eq!(u64::from_le_bytes(b[16..24].try_into().unwrap()) as usize, b.len());
        // FP, HE, Codec List, SBP
        assert_eq!(u32::from_le_bytes(b[24..28].try_into().unwrap()), 4);
        // walk children by size
        let mut off = 30;
        let mut n = 0;
        while off < b.len() {
            let size = u64::from_le_bytes(b[off + 16..off + 24].try_into().unwrap()) as usize;
            assert!(size >= 24);
            off += size;
            n += 1;
        }
        assert_eq!(off, b.len());
        assert_eq!(n, 4);
    }
}
