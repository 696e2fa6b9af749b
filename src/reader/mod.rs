//! The library's ASF reader: a tolerant, bounded walk of an ASF file's structure
//! (Header Object and its children, the Header Extension's children, the Data Object,
//! the objects after it) and of its data packets (payloads, replicated data, payload
//! extensions, media objects reassembled), plus the Simple Index.
//!
//! Used by `wmwrite info`, the tests and the fuzzer. It never panics on hostile input:
//! every read is bounds-checked, every size is capped, and whatever does not follow the
//! format becomes a [`AsfFile::warnings`] entry or a [`ReadError`]. It shares no code with
//! the writer's byte layout (`asf/`), so it can check it.
#![forbid(unsafe_code)]

mod packets;

use std::fmt;
use std::io::{Read, Seek, SeekFrom};

use crate::guid::Guid;

pub use packets::{media_objects, packet_info, parse_packet, parse_packets, MediaObject, Packet, Payload};

/// Header Objects larger than this are not read whole (a damaged size field).
const MAX_HEADER: u64 = 256 << 20;
/// Objects after the Data Object larger than this are listed but not parsed.
const MAX_TRAILING_BODY: u64 = 64 << 20;

/// A file that cannot be read as ASF at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

const GUID_NAMES: &[(&str, &str)] = &[
    ("75B22630-668E-11CF-A6D9-00AA0062CE6C", "Header"),
    ("75B22636-668E-11CF-A6D9-00AA0062CE6C", "Data"),
    ("33000890-E5B1-11CF-89F4-00A0C90349CB", "Simple Index"),
    ("D6E229D3-35DA-11D1-9034-00A0C90349BE", "Index"),
    ("FEB103F8-12AD-4C64-840F-2A1D2F7AD48C", "Media Object Index"),
    ("3CB73FD0-0C4A-4803-953D-EDF7B6228F0C", "Timecode Index"),
    ("8CABDCA1-A947-11CF-8EE4-00C00C205365", "File Properties"),
    ("B7DC0791-A9B7-11CF-8EE6-00C00C205365", "Stream Properties"),
    ("5FBF03B5-A92E-11CF-8EE3-00C00C205365", "Header Extension"),
    ("86D15240-311D-11D0-A3A4-00A0C90348F6", "Codec List"),
    ("1EFB1A30-0B62-11D0-A39B-00A0C90348F6", "Script Command"),
    ("F487CD01-A951-11CF-8EE6-00C00C205365", "Marker"),
    ("D6E229DC-35DA-11D1-9034-00A0C90349BE", "Bitrate Mutual Exclusion"),
    ("75B22635-668E-11CF-A6D9-00AA0062CE6C", "Error Correction"),
    ("75B22633-668E-11CF-A6D9-00AA0062CE6C", "Content Description"),
    ("D2D0A440-E307-11D2-97F0-00A0C95EA850", "Extended Content Description"),
    ("2211B3FA-BD23-11D2-B4B7-00A0C955FC6E", "Content Branding"),
    ("7BF875CE-468D-11D1-8D82-006097C9A2B2", "Stream Bitrate Properties"),
    ("2211B3FB-BD23-11D2-B4B7-00A0C955FC6E", "Content Encryption"),
    ("298AE614-2622-4C17-B935-DAE07EE9289C", "Extended Content Encryption"),
    ("2211B3FC-BD23-11D2-B4B7-00A0C955FC6E", "Digital Signature"),
    ("1806D474-CADF-4509-A4BA-9AABCB96AAE8", "Padding"),
    ("14E6A5CB-C672-4332-8399-A96952065B5A", "Extended Stream Properties"),
    ("A08649CF-4775-4670-8A16-6E35357566CD", "Advanced Mutual Exclusion"),
    ("D1465A40-5A79-4338-B71B-E36B8FD6C249", "Group Mutual Exclusion"),
    ("D4FED15B-88D3-454F-81F0-ED5C45999E24", "Stream Prioritization"),
    ("A69609E6-517B-11D2-B6AF-00C04FD908E9", "Bandwidth Sharing"),
    ("7C4346A9-EFE0-4BFC-B229-393EDE415C85", "Language List"),
    ("C5F8CBEA-5BAF-4877-8467-AA8C44FA4CCA", "Metadata"),
    ("44231C94-9498-49D1-A141-1D134E457054", "Metadata Library"),
    ("D6E229DF-35DA-11D1-9034-00A0C90349BE", "Index Parameters"),
    ("6B203BAD-3F11-48E4-ACA8-D7613DE2CFA7", "Media Object Index Parameters"),
    ("F55E496D-9797-4B5D-8C8B-604DFE9BFB24", "Timecode Index Parameters"),
    ("26F18B5D-4584-47EC-9F5F-0E651F0452C9", "Compatibility"),
    ("43058533-6981-49E6-9B74-AD12CB86D58C", "Advanced Content Encryption"),
    ("06C6908B-2EB6-48B4-837F-10ACF333E352", "wmwriter Mutual Exclusion Names"),
];

const STREAM_TYPES: &[(&str, &str)] = &[
    ("F8699E40-5B4D-11CF-A8FD-00805F5C442B", "audio"),
    ("BC19EFC0-5B4D-11CF-A8FD-00805F5C442B", "video"),
    ("59DACFC0-59E6-11D0-A3AC-00A0C90348F6", "command"),
    ("B61BE100-5B4E-11CF-A8FD-00805F5C442B", "jfif"),
    ("35907DE0-E415-11CF-A917-00805F5C442B", "degradable_jpeg"),
    ("91BD222C-F21C-497A-8B6D-5AA86BFC0185", "file_transfer"),
    ("3AFB65E2-47EF-40F2-AC2C-70A90D71D343", "binary"),
];

/// The name of an ASF object GUID ("File Properties"), if known.
pub fn object_name(g: &Guid) -> Option<&'static str> {
    lookup(GUID_NAMES, g)
}

/// The short name of a stream type GUID ("audio", "video", ...), if known.
pub fn stream_type_name(g: &Guid) -> Option<&'static str> {
    lookup(STREAM_TYPES, g)
}

fn lookup(table: &[(&str, &'static str)], g: &Guid) -> Option<&'static str> {
    let s = g.to_string();
    table.iter().find(|(k, _)| *k == s).map(|(_, v)| *v)
}

/// Bounded little-endian reads over a byte slice; every read is checked.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cur<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) o: usize,
}

impl<'a> Cur<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Cur { b, o: 0 }
    }
    pub(crate) fn at(b: &'a [u8], o: usize) -> Self {
        Cur { b, o }
    }
    pub(crate) fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.o..self.o.checked_add(n)?)?;
        self.o += n;
        Some(s)
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }
    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.bytes(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Some(u64::from_le_bytes(a))
    }
    pub(crate) fn guid(&mut self) -> Option<Guid> {
        let b = self.bytes(16)?;
        let mut a = [0u8; 16];
        a.copy_from_slice(b);
        Some(Guid::from_bytes(&a))
    }
    fn wstr(&mut self, bytes: usize) -> Option<String> {
        self.bytes(bytes).map(utf16)
    }
}

/// UTF-16LE to a string, without trailing NULs.
pub fn utf16(b: &[u8]) -> String {
    let mut units: Vec<u16> = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    while units.last() == Some(&0) {
        units.pop();
    }
    String::from_utf16_lossy(&units)
}

/// One object in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// Name ("File Properties"), or "unknown".
    pub name: String,
    /// Its GUID.
    pub guid: Guid,
    /// Byte offset in the file.
    pub offset: u64,
    /// Object size (including the 24-byte prefix).
    pub size: u64,
    /// Children (Header Extension).
    pub children: Vec<Object>,
    /// A short note (index entries, ...).
    pub note: Option<String>,
}

/// File Properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileProps {
    pub file_id: Guid,
    pub file_size: u64,
    pub creation_date: u64,
    pub data_packets: u64,
    pub play_duration: u64,
    pub send_duration: u64,
    pub preroll_ms: u64,
    pub flags: u32,
    pub min_packet_size: u32,
    pub max_packet_size: u32,
    pub max_bitrate: u32,
}

/// A stream's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// WAVEFORMATEX.
    Audio { tag: u16, channels: u16, rate: u32, avg_bytes_per_sec: u32, block_align: u16, bits: u16 },
    /// BITMAPINFOHEADER (of the video type-specific data).
    Video { width: i32, height: i32, bit_count: u16, compression: u32, size_image: u32 },
    /// Anything else.
    Other,
}

/// One Stream Properties Object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    pub number: u16,
    /// "audio", "video", ... or "unknown".
    pub kind: String,
    pub type_guid: Guid,
    pub error_correction: Guid,
    pub encrypted: bool,
    pub format: Format,
    /// The type-specific data.
    pub type_specific: Vec<u8>,
    /// The error-correction data.
    pub ec_data: Vec<u8>,
    /// From the Extended Stream Properties Object.
    pub avg_time_per_frame: Option<u64>,
    pub bitrate: Option<u32>,
    /// Found inside an Extended Stream Properties Object (hidden from old readers).
    pub hidden: bool,
}

/// The Extended Stream Properties fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtStreamProps {
    pub stream: u16,
    pub start_time: u64,
    pub end_time: u64,
    pub data_bitrate: u32,
    pub buffer_size_ms: u32,
    pub max_object_size: u32,
    pub flags: u32,
    pub language_index: u16,
    pub avg_time_per_frame: u64,
    /// Payload extension systems: (GUID, data size: 0xFFFF = variable).
    pub extension_systems: Vec<(Guid, u16)>,
}

impl ExtStreamProps {
    /// Split one payload's extension bytes (a [`MediaObject::extension`] or
    /// [`Payload::extension`]) into the values of the stream's declared payload extension
    /// systems, in declaration order: fixed-size systems take their size, variable-size
    /// ones (0xFFFF) a WORD length and then that many bytes (ASF 7.3.1). None when the
    /// bytes do not match the declaration exactly.
    pub fn split_extension(&self, ext: &[u8]) -> Option<Vec<(Guid, Vec<u8>)>> {
        let mut c = Cur::new(ext);
        let mut out = Vec::with_capacity(self.extension_systems.len());
        for (id, size) in &self.extension_systems {
            let n = if *size == 0xFFFF { c.u16()? as usize } else { *size as usize };
            out.push((*id, c.bytes(n)?.to_vec()));
        }
        (c.o == ext.len()).then_some(out)
    }
}

/// A metadata value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Str(String),
    Bin(Vec<u8>),
    Bool(bool),
    Num(u64),
    Guid(Guid),
}

/// One tag / attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub value: Value,
    /// "content_description", "extended_content_description", "metadata", "metadata_library".
    pub source: &'static str,
    pub stream: u16,
    pub language: u16,
}

/// A Codec List entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Codec {
    /// "video", "audio", "unknown".
    pub kind: &'static str,
    pub name: String,
    pub description: String,
    pub info: Vec<u8>,
}

/// A Bitrate, Advanced or Group Mutual Exclusion Object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MutualExclusion {
    /// "Bitrate Mutual Exclusion", "Advanced Mutual Exclusion" or "Group Mutual Exclusion".
    pub object: &'static str,
    /// Exclusion type (`ASF_Mutex_*`).
    pub exclusion_type: Guid,
    /// The streams (Bitrate / Advanced).
    pub streams: Vec<u16>,
    /// The records' streams (Group).
    pub records: Vec<Vec<u16>>,
    /// The exclusion's name (from wmwriter's names object; Advanced / Group only).
    pub name: String,
    /// The records' names (from wmwriter's names object).
    pub record_names: Vec<String>,
}

/// A Bandwidth Sharing Object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandwidthSharing {
    pub sharing_type: Guid,
    /// Data Bitrate, bits per second.
    pub bitrate: u32,
    /// Buffer Size, ms.
    pub buffer_ms: u32,
    pub streams: Vec<u16>,
}

/// A Simple Index Object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleIndex {
    pub offset: u64,
    pub file_id: Guid,
    /// Time between entries (100 ns).
    pub interval: u64,
    pub max_packet_count: u32,
    /// (packet number, packet count).
    pub entries: Vec<(u32, u16)>,
}

/// The Data Object's fixed part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataObject {
    pub offset: u64,
    /// The size field as written.
    pub size_field: u64,
    /// The size used (the field, or derived for broadcast / unfinished files).
    pub size: u64,
    pub file_id: Guid,
    pub total_packets: u64,
    pub reserved: u16,
}

/// A Media Object Index Object (frame-number index).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MediaObjectIndex {
    pub offset: u64,
    /// Index Entry Count Interval (media objects).
    pub interval: u32,
    /// (stream number, index type) per specifier.
    pub specifiers: Vec<(u16, u16)>,
    /// Per block: the block positions (one per specifier) and the rows (one offset per
    /// specifier).
    pub blocks: Vec<(Vec<u64>, Vec<Vec<u32>>)>,
}

/// One block of a Timecode Index Object: time-code range, block positions (one per
/// specifier), entries (time code, offsets).
pub type TimecodeBlock = (u16, Vec<u64>, Vec<(u32, Vec<u32>)>);

/// A Timecode Index Object.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TimecodeIndex {
    pub offset: u64,
    /// (stream number, index type) per specifier.
    pub specifiers: Vec<(u16, u16)>,
    /// Per block: time-code range, block positions, entries (time code, offsets).
    pub blocks: Vec<TimecodeBlock>,
}

/// Everything the reader found.
#[derive(Debug, Default, Clone)]
pub struct AsfFile {
    pub file_size: u64,
    pub header_size: u64,
    pub header_count: u32,
    /// The Header Object's two reserved bytes (1, 2).
    pub header_reserved: [u8; 2],
    pub objects: Vec<Object>,
    pub props: Option<FileProps>,
    pub streams: Vec<Stream>,
    pub ext_streams: Vec<ExtStreamProps>,
    pub tags: Vec<Tag>,
    pub codecs: Vec<Codec>,
    pub languages: Vec<String>,
    /// Bitrate (header level), Advanced and Group (Header Extension) Mutual Exclusion
    /// Objects, in file order.
    pub mutual_exclusions: Vec<MutualExclusion>,
    /// Stream Prioritization Object: (stream number, priority flags), highest first.
    pub stream_prioritization: Option<Vec<(u16, u16)>>,
    pub bandwidth_sharings: Vec<BandwidthSharing>,
    pub markers: u32,
    pub scripts: u16,
    pub data: Option<DataObject>,
    pub data_object: Option<Object>,
    pub index_objects: Vec<Object>,
    pub simple_indexes: Vec<SimpleIndex>,
    pub media_object_indexes: Vec<MediaObjectIndex>,
    /// Timecode Index Objects: per object, per block (range, entries (time code, offsets)),
    /// with the specifiers.
    pub timecode_indexes: Vec<TimecodeIndex>,
    /// Timecode Index Parameters Objects (Header Extension): (interval, specifiers).
    pub timecode_index_parameters: Vec<(u32, Vec<(u16, u16)>)>,
    /// Media Object Index Parameters Objects (Header Extension): (interval, specifiers).
    pub media_object_index_parameters: Vec<(u32, Vec<(u16, u16)>)>,
    /// What does not follow the format (sizes, counts), as sentences.
    pub warnings: Vec<String>,
}

impl AsfFile {
    fn warn(&mut self, w: impl Into<String>) {
        self.warnings.push(w.into());
    }

    /// Duration without preroll (100 ns).
    pub fn duration(&self) -> Option<u64> {
        self.props.as_ref().map(|p| p.play_duration.saturating_sub(p.preroll_ms.saturating_mul(10_000)))
    }

    /// File-level tags as (name, value), first occurrence of each name.
    pub fn file_tags(&self) -> Vec<(&str, &Value)> {
        let mut out: Vec<(&str, &Value)> = Vec::new();
        for t in self.tags.iter().filter(|t| t.stream == 0) {
            if !out.iter().any(|(n, _)| *n == t.name) {
                out.push((&t.name, &t.value));
            }
        }
        out
    }

    /// The stream with this number.
    pub fn stream(&self, number: u16) -> Option<&Stream> {
        self.streams.iter().find(|s| s.number == number)
    }

    /// Packet size (File Properties' maximum packet size).
    pub fn packet_size(&self) -> Option<u32> {
        self.props.as_ref().map(|p| p.max_packet_size)
    }

    /// The byte range of the data packets in the file: (start, length).
    pub fn packet_range(&self) -> Option<(u64, u64)> {
        let d = self.data.as_ref()?;
        Some((d.offset + 50, d.size.saturating_sub(50)))
    }
}

/// Read the structure of an ASF file held in memory.
pub fn read(bytes: &[u8]) -> Result<AsfFile, ReadError> {
    read_from(&mut std::io::Cursor::new(bytes))
}

/// Read the structure of an ASF file: the header, the Data Object's fixed part and the
/// objects after the data (the packets are skipped; see [`parse_packets`]).
pub fn read_from<R: Read + Seek>(f: &mut R) -> Result<AsfFile, ReadError> {
    let io = |e: std::io::Error| ReadError(format!("cannot read the file: {e}"));
    let file_size = f.seek(SeekFrom::End(0)).map_err(io)?;
    f.seek(SeekFrom::Start(0)).map_err(io)?;
    let mut head = [0u8; 30];
    if file_size < 30 {
        return Err(ReadError(format!("not an ASF file: {file_size} bytes is shorter than a Header Object (30)")));
    }
    f.read_exact(&mut head).map_err(io)?;
    let mut c = Cur::new(&head);
    let (Some(guid), Some(header_size), Some(header_count)) = (c.guid(), c.u64(), c.u32()) else {
        return Err(ReadError("not an ASF file".into()));
    };
    if object_name(&guid) != Some("Header") {
        return Err(ReadError("not an ASF file (it does not start with the ASF Header Object GUID)".into()));
    }
    let mut info = AsfFile { file_size, header_size, header_count, header_reserved: [head[28], head[29]], ..Default::default() };
    if header_size < 30 {
        info.warn(format!("the Header Object says {header_size} bytes, less than its own 30"));
    }
    let readable = header_size.min(file_size).min(MAX_HEADER);
    if header_size > file_size {
        info.warn(format!("the Header Object says {header_size} bytes but the file has {file_size}"));
    }
    let mut header = vec![0u8; readable.saturating_sub(30) as usize];
    f.read_exact(&mut header).map_err(io)?;
    info.objects = walk_children(&mut info, &header, 30, "Header Object");
    if info.objects.len() as u64 != header_count as u64 {
        info.warn(format!("the Header Object says {header_count} children but holds {}", info.objects.len()));
    }
    read_after_header(&mut info, f);
    Ok(info)
}

/// Walk consecutive objects in `b` (which starts at file offset `base`), parsing the
/// ones the reader knows.
fn walk_children(info: &mut AsfFile, b: &[u8], base: u64, parent: &str) -> Vec<Object> {
    let mut out = Vec::new();
    let mut o = 0usize;
    while o < b.len() {
        let mut c = Cur::at(b, o);
        let (Some(guid), Some(size)) = (c.guid(), c.u64()) else {
            info.warn(format!("{parent}: {} stray bytes at offset {}", b.len() - o, base + o as u64));
            break;
        };
        if size < 24 || size > (b.len() - o) as u64 {
            info.warn(format!("object {{{guid}}} at offset {} has an impossible size {size}", base + o as u64));
            break;
        }
        let body = &b[o..o + size as usize];
        let name = object_name(&guid).unwrap_or("unknown").to_string();
        let mut obj = Object { name: name.clone(), guid, offset: base + o as u64, size, children: Vec::new(), note: None };
        if parse_object(info, &name, body, base + o as u64, &mut obj).is_none() {
            info.warn(format!("{name} object at offset {} is malformed", obj.offset));
        }
        out.push(obj);
        o += size as usize;
    }
    out
}

fn parse_object(info: &mut AsfFile, name: &str, b: &[u8], offset: u64, obj: &mut Object) -> Option<()> {
    let mut c = Cur::at(b, 24);
    match name {
        "File Properties" => {
            if info.props.is_some() {
                info.warn("more than one File Properties Object");
            }
            info.props = Some(FileProps {
                file_id: c.guid()?,
                file_size: c.u64()?,
                creation_date: c.u64()?,
                data_packets: c.u64()?,
                play_duration: c.u64()?,
                send_duration: c.u64()?,
                preroll_ms: c.u64()?,
                flags: c.u32()?,
                min_packet_size: c.u32()?,
                max_packet_size: c.u32()?,
                max_bitrate: c.u32()?,
            });
            if b.len() != 104 {
                info.warn(format!("File Properties Object is {} bytes, not 104", b.len()));
            }
        }
        "Stream Properties" => {
            let s = parse_stream(info, b)?;
            obj.note = Some(format!("stream {}", s.number));
            info.streams.push(s);
        }
        "Header Extension" => {
            let reserved = c.guid()?;
            let field = c.u16()?;
            if reserved.to_string() != "ABD3D211-A9BA-11CF-8EE6-00C00C205365" || field != 6 {
                info.warn(format!("Header Extension: reserved fields are {{{reserved}}} and {field}, not ASF_Reserved_1 and 6"));
            }
            let len = c.u32()? as usize;
            let avail = b.len().saturating_sub(46);
            let data = c.bytes(len.min(avail))?;
            if len != avail {
                info.warn(format!("Header Extension data size {len} differs from its object size {}", b.len()));
            }
            obj.children = walk_children(info, data, offset + 46, "Header Extension");
        }
        "Timecode Index Parameters" => {
            let interval = c.u32()?;
            let n = c.u16()?;
            let specs: Vec<(u16, u16)> = (0..n).map(|_| Some((c.u16()?, c.u16()?))).collect::<Option<_>>()?;
            obj.note = Some(format!("{n} specifiers, every {interval} objects"));
            info.timecode_index_parameters.push((interval, specs));
        }
        "Media Object Index Parameters" => {
            let interval = c.u32()?;
            let n = c.u16()?;
            let specs: Vec<(u16, u16)> = (0..n).map(|_| Some((c.u16()?, c.u16()?))).collect::<Option<_>>()?;
            obj.note = Some(format!("{n} specifiers, every {interval} objects"));
            info.media_object_index_parameters.push((interval, specs));
        }
        "Extended Stream Properties" => {
            let start_time = c.u64()?;
            let end_time = c.u64()?;
            let data_bitrate = c.u32()?;
            let buffer_size_ms = c.u32()?;
            c.bytes(16)?; // initial buffer fullness, alternate bitrate/buffer/fullness
            let max_object_size = c.u32()?;
            let flags = c.u32()?;
            let number = c.u16()?;
            let language_index = c.u16()?;
            let avg = c.u64()?;
            let names = c.u16()?;
            let systems = c.u16()?;
            for _ in 0..names {
                c.u16()?;
                let n = c.u16()? as usize;
                c.bytes(n)?;
            }
            let mut extension_systems = Vec::new();
            for _ in 0..systems {
                let g = c.guid()?;
                let size = c.u16()?;
                let n = c.u32()? as usize;
                c.bytes(n)?;
                extension_systems.push((g, size));
            }
            if b.len() >= c.o + 24 {
                let mut e = Cur::at(b, c.o);
                if object_name(&e.guid()?) == Some("Stream Properties") {
                    let embedded = &b[c.o..];
                    let declared = Cur::at(embedded, 16).u64()?;
                    if declared != embedded.len() as u64 {
                        info.warn(format!("the Stream Properties Object inside stream {number}'s Extended Stream Properties says {declared} bytes but has {}", embedded.len()));
                    }
                    let mut s = parse_stream(info, embedded)?;
                    s.hidden = true;
                    info.streams.push(s);
                } else {
                    info.warn(format!(
                        "stream {number}'s Extended Stream Properties ends with bytes that are not a Stream Properties Object"
                    ));
                }
            } else if b.len() > c.o {
                info.warn(format!("stream {number}'s Extended Stream Properties has {} stray bytes", b.len() - c.o));
            }
            obj.note = Some(format!("stream {number}"));
            info.ext_streams.push(ExtStreamProps {
                stream: number,
                start_time,
                end_time,
                data_bitrate,
                buffer_size_ms,
                max_object_size,
                flags,
                language_index,
                avg_time_per_frame: avg,
                extension_systems,
            });
        }
        "Content Description" => {
            let lens: Vec<usize> = (0..5).map(|_| c.u16().map(|v| v as usize)).collect::<Option<_>>()?;
            if 34 + lens.iter().sum::<usize>() != b.len() {
                info.warn(format!(
                    "Content Description Object: its lengths add up to {} bytes, not {}",
                    34 + lens.iter().sum::<usize>(),
                    b.len()
                ));
            }
            for (n, len) in ["Title", "Author", "Copyright", "Description", "Rating"].iter().zip(lens) {
                let s = c.wstr(len)?;
                if len > 0 {
                    info.tags.push(Tag {
                        name: n.to_string(),
                        value: Value::Str(s),
                        source: "content_description",
                        stream: 0,
                        language: 0,
                    });
                }
            }
        }
        "Extended Content Description" => {
            let n = c.u16()?;
            for _ in 0..n {
                let nl = c.u16()? as usize;
                let name = c.wstr(nl)?;
                let ty = c.u16()?;
                let vl = c.u16()? as usize;
                let v = c.bytes(vl)?;
                let value = value_of(ty, v, 4);
                info.tags.push(Tag { name, value, source: "extended_content_description", stream: 0, language: 0 });
            }
            check_filled(info, name, &c);
            obj.note = Some(format!("{n} descriptors"));
        }
        "Metadata" | "Metadata Library" => {
            let source = if name == "Metadata" { "metadata" } else { "metadata_library" };
            let n = c.u16()?;
            for _ in 0..n {
                let language = c.u16()?;
                let stream = c.u16()?;
                let nl = c.u16()? as usize;
                let ty = c.u16()?;
                let vl = c.u32()? as usize;
                let name = c.wstr(nl)?;
                let v = c.bytes(vl)?;
                info.tags.push(Tag { name, value: value_of(ty, v, 2), source, stream, language });
            }
            check_filled(info, name, &c);
            obj.note = Some(format!("{n} records"));
        }
        "Language List" => {
            let n = c.u16()?;
            for _ in 0..n {
                let l = c.u8()? as usize;
                let s = c.wstr(l)?;
                info.languages.push(s);
            }
            check_filled(info, name, &c);
            obj.note = Some(info.languages.join(", "));
        }
        "Codec List" => {
            c.bytes(16)?;
            let n = c.u32()?;
            for _ in 0..n {
                let ty = c.u16()?;
                let nl = c.u16()? as usize * 2;
                let name = c.wstr(nl)?;
                let dl = c.u16()? as usize * 2;
                let description = c.wstr(dl)?;
                let il = c.u16()? as usize;
                let info_bytes = c.bytes(il)?.to_vec();
                let kind = match ty {
                    1 => "video",
                    2 => "audio",
                    _ => "unknown",
                };
                info.codecs.push(Codec { kind, name, description, info: info_bytes });
            }
            check_filled(info, name, &c);
            obj.note = Some(format!("{n} entries"));
        }
        "Marker" => {
            c.bytes(16)?;
            info.markers = c.u32()?;
            obj.note = Some(format!("{} markers", info.markers));
        }
        "Script Command" => {
            c.bytes(16)?;
            info.scripts = c.u16()?;
            obj.note = Some(format!("{} commands", info.scripts));
        }
        "Bitrate Mutual Exclusion" | "Advanced Mutual Exclusion" => {
            let exclusion_type = c.guid()?;
            let n = c.u16()?;
            let streams = (0..n).map(|_| c.u16()).collect::<Option<Vec<u16>>>()?;
            check_filled(info, name, &c);
            obj.note = Some(format!("streams {streams:?}"));
            let object = if name.starts_with("Bitrate") { "Bitrate Mutual Exclusion" } else { "Advanced Mutual Exclusion" };
            info.mutual_exclusions.push(MutualExclusion {
                object,
                exclusion_type,
                streams,
                records: Vec::new(),
                name: String::new(),
                record_names: Vec::new(),
            });
        }
        "Group Mutual Exclusion" => {
            let exclusion_type = c.guid()?;
            let n = c.u16()?;
            let mut records = Vec::new();
            for _ in 0..n {
                let k = c.u16()?;
                records.push((0..k).map(|_| c.u16()).collect::<Option<Vec<u16>>>()?);
            }
            check_filled(info, name, &c);
            obj.note = Some(format!("records {records:?}"));
            info.mutual_exclusions.push(MutualExclusion {
                object: "Group Mutual Exclusion",
                exclusion_type,
                streams: Vec::new(),
                records,
                name: String::new(),
                record_names: Vec::new(),
            });
        }
        "wmwriter Mutual Exclusion Names" => {
            let n = c.u16()? as usize;
            let mut entries = Vec::new();
            for _ in 0..n {
                let l = c.u16()? as usize;
                let own = c.wstr(l)?;
                let k = c.u16()?;
                let records = (0..k).map(|_| c.u16().and_then(|l| c.wstr(l as usize))).collect::<Option<Vec<String>>>()?;
                entries.push((own, records));
            }
            check_filled(info, name, &c);
            let targets: Vec<&mut MutualExclusion> =
                info.mutual_exclusions.iter_mut().filter(|m| m.object != "Bitrate Mutual Exclusion").collect();
            if targets.len() != entries.len() {
                let w = format!(
                    "the mutual exclusion names object has {} entries for {} Advanced / Group Mutual Exclusion Objects before it",
                    entries.len(),
                    targets.len()
                );
                info.warn(w);
            } else {
                for (m, (own, records)) in targets.into_iter().zip(entries) {
                    m.name = own;
                    m.record_names = records;
                }
            }
        }
        "Stream Prioritization" => {
            let n = c.u16()?;
            let records = (0..n).map(|_| Some((c.u16()?, c.u16()?))).collect::<Option<Vec<_>>>()?;
            check_filled(info, name, &c);
            obj.note = Some(format!("{n} records"));
            if info.stream_prioritization.is_some() {
                info.warn("more than one Stream Prioritization Object");
            }
            info.stream_prioritization = Some(records);
        }
        "Bandwidth Sharing" => {
            let sharing_type = c.guid()?;
            let bitrate = c.u32()?;
            let buffer_ms = c.u32()?;
            let n = c.u16()?;
            let streams = (0..n).map(|_| c.u16()).collect::<Option<Vec<u16>>>()?;
            check_filled(info, name, &c);
            obj.note = Some(format!("{bitrate} bps, streams {streams:?}"));
            info.bandwidth_sharings.push(BandwidthSharing { sharing_type, bitrate, buffer_ms, streams });
        }
        "Stream Bitrate Properties" => {
            let n = c.u16()? as usize;
            if 26 + 6 * n != b.len() {
                info.warn(format!("Stream Bitrate Properties: {n} records need {} bytes, the object has {}", 26 + 6 * n, b.len()));
            }
        }
        _ => {}
    }
    Some(())
}

/// An object whose records should fill it exactly.
fn check_filled(info: &mut AsfFile, name: &str, c: &Cur<'_>) {
    if c.o != c.b.len() {
        info.warn(format!("{name} Object: its records end at byte {} of {}", c.o, c.b.len()));
    }
}

fn value_of(ty: u16, v: &[u8], bool_len: usize) -> Value {
    let num = |v: &[u8]| v.iter().rev().fold(0u64, |acc, b| (acc << 8) | *b as u64);
    match ty {
        0 => Value::Str(utf16(v)),
        2 => Value::Bool(num(&v[..v.len().min(bool_len.max(v.len())).min(8)]) != 0),
        3..=5 if v.len() <= 8 => Value::Num(num(v)),
        6 if v.len() == 16 => Cur::new(v).guid().map_or(Value::Bin(v.to_vec()), Value::Guid),
        _ => Value::Bin(v.to_vec()),
    }
}

fn parse_stream(info: &mut AsfFile, b: &[u8]) -> Option<Stream> {
    let mut c = Cur::at(b, 24);
    let type_guid = c.guid()?;
    let error_correction = c.guid()?;
    let _offset = c.u64()?;
    let tsd = c.u32()? as usize;
    let ecd = c.u32()? as usize;
    let flags = c.u16()?;
    let _reserved = c.u32()?;
    let t = c.bytes(tsd)?;
    let ec_data = c.bytes(ecd)?.to_vec();
    let number = flags & 0x7F;
    if c.o != b.len() {
        info.warn(format!("stream {number}: Stream Properties Object is {} bytes, not 78 + {tsd} + {ecd}", b.len()));
    }
    let kind = stream_type_name(&type_guid).unwrap_or("unknown").to_string();
    let mut d = Cur::new(t);
    let format = match kind.as_str() {
        "audio" if t.len() >= 16 => Format::Audio {
            tag: d.u16()?,
            channels: d.u16()?,
            rate: d.u32()?,
            avg_bytes_per_sec: d.u32()?,
            block_align: d.u16()?,
            bits: d.u16()?,
        },
        "video" if t.len() >= 51 => {
            let mut bi = Cur::at(t, 11);
            bi.u32()?;
            let width = bi.u32()? as i32;
            let height = bi.u32()? as i32;
            bi.u16()?;
            let bit_count = bi.u16()?;
            Format::Video { width, height, bit_count, compression: bi.u32()?, size_image: bi.u32()? }
        }
        _ => Format::Other,
    };
    Some(Stream {
        number,
        kind,
        type_guid,
        error_correction,
        encrypted: flags & 0x8000 != 0,
        format,
        type_specific: t.to_vec(),
        ec_data,
        avg_time_per_frame: None,
        bitrate: None,
        hidden: false,
    })
}

/// The Data Object's fixed part and the objects after it.
fn read_after_header<R: Read + Seek>(info: &mut AsfFile, f: &mut R) {
    // Fold the Extended Stream Properties facts into the streams.
    for e in info.ext_streams.clone() {
        if let Some(s) = info.streams.iter_mut().find(|s| s.number == e.stream) {
            s.avg_time_per_frame = Some(e.avg_time_per_frame);
            s.bitrate = Some(e.data_bitrate);
        }
    }
    let data_at = info.header_size;
    let mut d = [0u8; 50];
    if f.seek(SeekFrom::Start(data_at)).is_err() || f.read_exact(&mut d).is_err() {
        info.warn(format!("no Data Object at offset {data_at} (the file ends)"));
        return;
    }
    let mut c = Cur::new(&d);
    let (Some(guid), Some(size_field), Some(file_id), Some(packets), Some(reserved)) = (c.guid(), c.u64(), c.guid(), c.u64(), c.u16())
    else {
        return;
    };
    if object_name(&guid) != Some("Data") {
        info.warn(format!("offset {data_at} holds {{{guid}}}, not the Data Object"));
        return;
    }
    let packet_size = info.props.as_ref().map_or(0, |p| p.max_packet_size) as u64;
    let mut size = size_field;
    let broadcast = info.props.as_ref().is_some_and(|p| p.flags & 1 != 0);
    if broadcast && size <= 50 && packets == 0 {
        // A live stream: sizes unknown (0 or 50), the packets run to the end.
        size = info.file_size - data_at;
    } else if size < 50 || data_at.saturating_add(size) > info.file_size {
        // Broadcast / unfinished file: the packets run to the end, or to where the count says.
        let by_count = packets.saturating_mul(packet_size).saturating_add(50);
        size = if packets > 0 && data_at.saturating_add(by_count) <= info.file_size { by_count } else { info.file_size - data_at };
        info.warn(format!("the Data Object size is not usable; assuming {size} bytes"));
    }
    let note = format!("{packets} packets x {packet_size} bytes");
    info.data = Some(DataObject { offset: data_at, size_field, size, file_id, total_packets: packets, reserved });
    info.data_object = Some(Object { name: "Data".into(), guid, offset: data_at, size, children: Vec::new(), note: Some(note) });
    let mut at = data_at + size;
    while at.saturating_add(24) <= info.file_size {
        let mut p = [0u8; 24];
        if f.seek(SeekFrom::Start(at)).is_err() || f.read_exact(&mut p).is_err() {
            break;
        }
        let mut c = Cur::new(&p);
        let (Some(guid), Some(size)) = (c.guid(), c.u64()) else { break };
        if size < 24 || at.saturating_add(size) > info.file_size {
            info.warn(format!("object {{{guid}}} at offset {at} after the data has an impossible size {size}"));
            break;
        }
        let name = object_name(&guid).unwrap_or("unknown").to_string();
        let mut body = Vec::new();
        if size <= MAX_TRAILING_BODY && matches!(name.as_str(), "Simple Index" | "Index" | "Media Object Index" | "Timecode Index") {
            body = vec![0u8; size as usize];
            if f.seek(SeekFrom::Start(at)).is_err() || f.read_exact(&mut body).is_err() {
                break;
            }
        }
        let note = match name.as_str() {
            "Simple Index" if body.len() >= 56 => {
                let mut c = Cur::at(&body, 24);
                let (file_id, interval, max, count) = (c.guid(), c.u64(), c.u32(), c.u32());
                let entries: Vec<(u32, u16)> = (0..count.unwrap_or(0)).map_while(|_| Some((c.u32()?, c.u16()?))).collect();
                let count = count.unwrap_or(0);
                if entries.len() as u64 != count as u64 || body.len() != 56 + 6 * entries.len() {
                    info.warn(format!("Simple Index at offset {at}: {count} entries do not fill its {} bytes", body.len()));
                }
                info.simple_indexes.push(SimpleIndex {
                    offset: at,
                    file_id: file_id.unwrap_or_default(),
                    interval: interval.unwrap_or(0),
                    max_packet_count: max.unwrap_or(0),
                    entries,
                });
                Some(format!("{count} entries every {} ms", interval.unwrap_or(0) / 10_000))
            }
            "Index" if body.len() >= 34 => {
                let mut c = Cur::at(&body, 24);
                let interval = c.u32().unwrap_or(0);
                let specs = c.u16().unwrap_or(0);
                let blocks = c.u32().unwrap_or(0);
                Some(format!("{specs} specifiers, {blocks} blocks, every {interval} ms"))
            }
            "Media Object Index" if body.len() >= 34 => {
                let m = parse_media_object_index(&body, at);
                if m.is_none() {
                    info.warn(format!("Media Object Index at offset {at}: its blocks do not fit its {} bytes", body.len()));
                }
                let m = m.unwrap_or_default();
                let note = format!("{} specifiers, {} blocks, every {} objects", m.specifiers.len(), m.blocks.len(), m.interval);
                info.media_object_indexes.push(m);
                Some(note)
            }
            "Timecode Index" if body.len() >= 34 => {
                let t = parse_timecode_index(&body, at);
                if t.is_none() {
                    info.warn(format!("Timecode Index at offset {at}: its blocks do not fit its {} bytes", body.len()));
                }
                let t = t.unwrap_or_default();
                let note = format!("{} specifiers, {} blocks", t.specifiers.len(), t.blocks.len());
                info.timecode_indexes.push(t);
                Some(note)
            }
            _ => None,
        };
        info.index_objects.push(Object { name, guid, offset: at, size, children: Vec::new(), note });
        at += size;
    }
    if at < info.file_size {
        info.warn(format!("{} trailing bytes after the last object", info.file_size - at));
    }
    if let Some(p) = &info.props {
        if p.flags & 1 == 0 && p.file_size != info.file_size {
            let w = format!("File Properties says {} bytes but the file has {}", p.file_size, info.file_size);
            info.warn(w);
        }
    }
}

fn parse_timecode_index(body: &[u8], at: u64) -> Option<TimecodeIndex> {
    let mut c = Cur::at(body, 24);
    let _reserved = c.u32()?;
    let n = c.u16()? as usize;
    let blocks = c.u32()?;
    let specifiers: Vec<(u16, u16)> = (0..n).map(|_| Some((c.u16()?, c.u16()?))).collect::<Option<_>>()?;
    let mut out = TimecodeIndex { offset: at, specifiers, blocks: Vec::new() };
    for _ in 0..blocks {
        let rows = c.u32()? as usize;
        let range = c.u16()?;
        if rows.saturating_mul(4).saturating_mul(n + 1) > body.len() {
            return None;
        }
        let pos: Vec<u64> = (0..n).map(|_| c.u64()).collect::<Option<_>>()?;
        let entries: Vec<(u32, Vec<u32>)> =
            (0..rows).map(|_| Some((c.u32()?, (0..n).map(|_| c.u32()).collect::<Option<Vec<u32>>>()?))).collect::<Option<_>>()?;
        out.blocks.push((range, pos, entries));
    }
    Some(out)
}

fn parse_media_object_index(body: &[u8], at: u64) -> Option<MediaObjectIndex> {
    let mut c = Cur::at(body, 24);
    let interval = c.u32()?;
    let n = c.u16()? as usize;
    let blocks = c.u32()?;
    let specifiers: Vec<(u16, u16)> = (0..n).map(|_| Some((c.u16()?, c.u16()?))).collect::<Option<_>>()?;
    let mut out = MediaObjectIndex { offset: at, interval, specifiers, blocks: Vec::new() };
    for _ in 0..blocks {
        let rows = c.u32()? as usize;
        if rows.saturating_mul(4).saturating_mul(n) > body.len() {
            return None;
        }
        let pos: Vec<u64> = (0..n).map(|_| c.u64()).collect::<Option<_>>()?;
        let entries: Vec<Vec<u32>> = (0..rows).map(|_| (0..n).map(|_| c.u32()).collect::<Option<_>>()).collect::<Option<_>>()?;
        out.blocks.push((pos, entries));
    }
    Some(out)
}

/// Seconds from the FILETIME epoch (1601-01-01) to the Unix epoch (1970-01-01).
/// (Private: cbindgen would export a public constant into the C header.)
const FILETIME_UNIX_OFFSET_SECS: u64 = 11_644_473_600;

/// A time as a FILETIME (100 ns since 1601-01-01 UTC); times before 1970 give the epoch.
pub fn filetime_from_system_time(t: std::time::SystemTime) -> u64 {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    (d.as_secs() + FILETIME_UNIX_OFFSET_SECS) * 10_000_000 + d.subsec_nanos() as u64 / 100
}

/// A FILETIME (100 ns since 1601-01-01 UTC) as "YYYY-MM-DDTHH:MM:SSZ" (None for 0).
pub fn filetime_iso(ft: u64) -> Option<String> {
    if ft == 0 {
        return None;
    }
    let secs = (ft / 10_000_000) as i64 - FILETIME_UNIX_OFFSET_SECS as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes() {
        assert_eq!(filetime_iso(133_485_408_000_000_000).as_deref(), Some("2024-01-01T00:00:00Z"));
        assert_eq!(filetime_iso(0), None);
    }

    #[test]
    fn values() {
        assert_eq!(value_of(0, &[b'h', 0, b'i', 0, 0, 0], 4), Value::Str("hi".into()));
        assert_eq!(value_of(3, &[1, 2, 0, 0], 4), Value::Num(0x201));
        assert_eq!(value_of(2, &[1, 0], 2), Value::Bool(true));
        assert_eq!(value_of(1, &[1, 2, 3], 4), Value::Bin(vec![1, 2, 3]));
        assert_eq!(value_of(2, &[1; 12], 4), Value::Bool(true));
    }

    /// A file the writer wrote: structure, packets and media objects as written.
    #[test]
    fn reads_back_what_the_writer_wrote() {
        use crate::guid::sdk;
        use crate::profile::{MediaType, ProfileData, StreamConfigData};
        let mut p = ProfileData::new(0x90000);
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
        s.media_type = Some(MediaType::pcm(1, 8000, 16));
        s.bitrate = 128_000;
        s.connection_name = "Audio1".into();
        p.add_stream(s).unwrap();
        p.max_packet_size = 1000;
        let path = std::env::temp_dir().join(format!("wmwriter-reader-test-{}.wma", std::process::id()));
        let mut w = crate::writer::Writer::new();
        w.set_profile(&p).unwrap();
        w.set_output_filename(path.to_str().unwrap()).unwrap();
        w.begin_writing().unwrap();
        let chunks: Vec<Vec<u8>> = (0..10u8).map(|k| (0..1600).map(|i| (i as u8).wrapping_mul(k)).collect()).collect();
        for (k, c) in chunks.iter().enumerate() {
            let b = w.allocate_sample(c.len() as u32).unwrap();
            b.copy_from(c).unwrap();
            w.write_sample(0, k as u64 * 1_000_000, 0, &b).unwrap();
        }
        w.end_writing().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        let f = read(&bytes).unwrap();
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
        assert_eq!(f.file_size, bytes.len() as u64);
        assert_eq!(f.packet_size(), Some(1000));
        assert_eq!(f.streams.len(), 1);
        assert_eq!(
            f.streams[0].format,
            Format::Audio { tag: 1, channels: 1, rate: 8000, avg_bytes_per_sec: 16000, block_align: 2, bits: 16 }
        );
        let (start, len) = f.packet_range().unwrap();
        let data = &bytes[start as usize..(start + len) as usize];
        let packets = parse_packets(data, 1000).unwrap();
        assert_eq!(packets.len() as u64, f.props.as_ref().unwrap().data_packets);
        let objects = media_objects(&packets, data).unwrap();
        assert_eq!(objects.len(), 10);
        for (k, o) in objects.iter().enumerate() {
            assert_eq!(o.data, chunks[k]);
            assert_eq!(o.presentation_ms, 3000 + 100 * k as u32);
        }
        // Any byte changed in a packet header is noticed or harmless, never a panic.
        for i in 0..data.len().min(3000) {
            let mut d = data.to_vec();
            d[i] ^= 0x5A;
            if let Ok(p) = parse_packets(&d, 1000) {
                let _ = media_objects(&p, &d);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(mut bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2000), header in proptest::prelude::any::<bool>()) {
            if header && bytes.len() >= 30 {
                let h = Guid::parse("75B22630-668E-11CF-A6D9-00AA0062CE6C").unwrap().to_bytes();
                bytes[..16].copy_from_slice(&h);
            }
            let _ = read(&bytes);
            for ps in [1usize, 7, 100] {
                let whole = &bytes[..bytes.len() - bytes.len() % ps];
                if let Ok(p) = parse_packets(whole, ps) {
                    let _ = media_objects(&p, whole);
                }
            }
        }
    }

    #[test]
    fn hostile_inputs_are_errors_not_panics() {
        assert!(read(b"").is_err());
        assert!(read(&[0u8; 40]).is_err());
        let mut h = Guid::parse("75B22630-668E-11CF-A6D9-00AA0062CE6C").unwrap().to_bytes().to_vec();
        h.extend_from_slice(&u64::MAX.to_le_bytes());
        h.extend_from_slice(&[9, 0, 0, 0, 1, 2]);
        h.extend_from_slice(&[0xFF; 100]);
        let f = read(&h).unwrap();
        assert!(!f.warnings.is_empty());
    }
}
