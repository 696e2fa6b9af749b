//! `wmwrite info`: an independent, tolerant walk of an ASF file's Header Object (and
//! the top-level objects after the Data Object) for humans and scripts. It reads only
//! the header, the Data Object's fixed part and the index objects: never the packets.
//! Anything malformed becomes a warning; only a file that is not ASF at all fails.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use wmwriter::guid::Guid;

use crate::error::{bad_input, read_error, Result};
use crate::json::{obj, Json};

/// Header objects larger than this are not read whole (a damaged size field).
const MAX_HEADER: u64 = 256 << 20;

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

fn lookup(table: &[(&str, &'static str)], g: &Guid) -> Option<&'static str> {
    let s = g.to_string();
    table.iter().find(|(k, _)| *k == s).map(|(_, v)| *v)
}

/// Bounded little-endian reads over a byte slice; every read is checked.
#[derive(Clone, Copy)]
struct Cur<'a> {
    b: &'a [u8],
    o: usize,
}

impl<'a> Cur<'a> {
    fn new(b: &'a [u8]) -> Self {
        Cur { b, o: 0 }
    }
    fn at(b: &'a [u8], o: usize) -> Self {
        Cur { b, o }
    }
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.o..self.o.checked_add(n)?)?;
        self.o += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.bytes(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Option<u64> {
        self.bytes(8).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    fn guid(&mut self) -> Option<Guid> {
        self.bytes(16).map(|b| Guid::from_bytes(b.try_into().expect("16 bytes")))
    }
    fn wstr(&mut self, bytes: usize) -> Option<String> {
        self.bytes(bytes).map(utf16)
    }
}

/// UTF-16LE to a string, without trailing NULs.
fn utf16(b: &[u8]) -> String {
    let mut units: Vec<u16> = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    while units.last() == Some(&0) {
        units.pop();
    }
    String::from_utf16_lossy(&units)
}

/// One object in the file.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone, Default)]
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
#[derive(Debug, Clone)]
pub enum Format {
    Audio { tag: u16, channels: u16, rate: u32, avg_bytes_per_sec: u32, block_align: u16, bits: u16 },
    Video { width: i32, height: i32, bit_count: u16, compression: u32, size_image: u32 },
    Other,
}

/// One Stream Properties Object.
#[derive(Debug, Clone)]
pub struct Stream {
    pub number: u16,
    pub kind: String,
    pub type_guid: Guid,
    pub encrypted: bool,
    pub format: Format,
    /// From the Extended Stream Properties Object.
    pub avg_time_per_frame: Option<u64>,
    pub bitrate: Option<u32>,
    /// Found inside an Extended Stream Properties Object (hidden from old readers).
    pub hidden: bool,
}

/// A metadata value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Bin(usize),
    Bool(bool),
    Num(u64),
    Guid(Guid),
}

/// One tag / attribute.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub value: Value,
    /// "content_description", "extended_content_description", "metadata", "metadata_library".
    pub source: &'static str,
    pub stream: u16,
    pub language: u16,
}

/// A Codec List entry.
#[derive(Debug, Clone)]
pub struct Codec {
    pub kind: &'static str,
    pub name: String,
    pub description: String,
}

/// Everything `info` found.
#[derive(Debug, Default)]
pub struct Info {
    pub path: String,
    pub file_size: u64,
    pub header_size: u64,
    pub header_count: u32,
    pub objects: Vec<Object>,
    pub props: Option<FileProps>,
    pub streams: Vec<Stream>,
    pub tags: Vec<Tag>,
    pub codecs: Vec<Codec>,
    pub languages: Vec<String>,
    pub markers: u32,
    pub scripts: u16,
    pub data: Option<Object>,
    pub data_packets: Option<u64>,
    pub index_objects: Vec<Object>,
    pub warnings: Vec<String>,
    /// (stream, average time per frame, data bit rate) from Extended Stream Properties.
    esp: Vec<(u16, u64, u32)>,
}

fn audio_codec(tag: u16) -> &'static str {
    match tag {
        0x0001 => "PCM",
        0x0003 => "IEEE float",
        0x000A | 0x000B => "WMA Voice",
        0x0050 => "MPEG audio",
        0x0055 => "MP3",
        0x0160 => "WMA v1",
        0x0161 => "WMA v2 (7/8/9)",
        0x0162 => "WMA 9 Pro",
        0x0163 => "WMA 9 Lossless",
        0x00FF | 0x1610 | 0xA106 => "AAC",
        0x2000 => "AC-3",
        0xFFFE => "extensible",
        _ => "unknown",
    }
}

/// The FOURCC text of a `biCompression` ("I420"; "RGB" for BI_RGB).
pub fn fourcc(v: u32) -> String {
    match v {
        0 => "RGB".into(),
        3 => "RGB (bitfields)".into(),
        _ => {
            let b = v.to_le_bytes();
            if b.iter().all(|c| c.is_ascii_graphic() || *c == b' ') {
                String::from_utf8_lossy(&b).trim_end().to_string()
            } else {
                format!("0x{v:08X}")
            }
        }
    }
}

impl Info {
    fn warn(&mut self, w: impl Into<String>) {
        self.warnings.push(w.into());
    }

    /// Duration without preroll (100 ns).
    pub fn duration(&self) -> Option<u64> {
        self.props.as_ref().map(|p| p.play_duration.saturating_sub(p.preroll_ms * 10_000))
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
}

/// Read and walk `path`.
pub fn inspect(path: &Path) -> Result<Info> {
    if path.is_dir() {
        return Err(bad_input(path, "is a directory, not an ASF file"));
    }
    let mut f = File::open(path).map_err(|e| read_error(path, e))?;
    let file_size = f.metadata().map_err(|e| read_error(path, e))?.len();
    let mut head = [0u8; 30];
    f.read_exact(&mut head).map_err(|_| bad_input(path, "not an ASF file (shorter than a Header Object)"))?;
    let mut c = Cur::new(&head);
    let guid = c.guid().expect("30 bytes");
    if lookup(GUID_NAMES, &guid) != Some("Header") {
        return Err(bad_input(path, "not an ASF file (it does not start with the ASF Header Object GUID)"));
    }
    let header_size = c.u64().expect("30 bytes");
    let header_count = c.u32().expect("30 bytes");
    let mut info = Info { path: path.display().to_string(), file_size, header_size, header_count, ..Default::default() };
    let readable = header_size.min(file_size).min(MAX_HEADER);
    if header_size > file_size {
        info.warn(format!("the Header Object says {header_size} bytes but the file has {file_size}"));
    }
    let mut header = vec![0u8; readable.saturating_sub(30) as usize];
    f.read_exact(&mut header).map_err(|e| read_error(path, e))?;
    info.objects = walk_children(&mut info, &header, 30);
    if info.objects.len() as u64 != header_count as u64 {
        info.warn(format!("the Header Object says {header_count} children but holds {}", info.objects.len()));
    }
    read_after_header(&mut info, &mut f);
    Ok(info)
}

/// Walk consecutive objects in `b` (which starts at file offset `base`), parsing the
/// ones `info` knows.
fn walk_children(info: &mut Info, b: &[u8], base: u64) -> Vec<Object> {
    let mut out = Vec::new();
    let mut o = 0usize;
    while o < b.len() {
        let mut c = Cur::at(b, o);
        let (Some(guid), Some(size)) = (c.guid(), c.u64()) else {
            info.warn(format!("{} stray bytes at offset {}", b.len() - o, base + o as u64));
            break;
        };
        if size < 24 || size > (b.len() - o) as u64 {
            info.warn(format!("object {{{guid}}} at offset {} has an impossible size {size}", base + o as u64));
            break;
        }
        let body = &b[o..o + size as usize];
        let name = lookup(GUID_NAMES, &guid).unwrap_or("unknown").to_string();
        let mut obj = Object { name: name.clone(), guid, offset: base + o as u64, size, children: Vec::new(), note: None };
        if parse_object(info, &name, body, base + o as u64, &mut obj).is_none() {
            info.warn(format!("{name} object at offset {} is malformed", obj.offset));
        }
        out.push(obj);
        o += size as usize;
    }
    out
}

fn parse_object(info: &mut Info, name: &str, b: &[u8], offset: u64, obj: &mut Object) -> Option<()> {
    let mut c = Cur::at(b, 24);
    match name {
        "File Properties" => {
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
        }
        "Stream Properties" => {
            let s = parse_stream(b)?;
            obj.note = Some(format!("stream {}", s.number));
            info.streams.push(s);
        }
        "Header Extension" => {
            c.bytes(18)?;
            let len = c.u32()? as usize;
            let data = c.bytes(len.min(b.len() - 46))?;
            if len != b.len() - 46 {
                info.warn(format!("Header Extension data size {len} differs from its object size {}", b.len()));
            }
            obj.children = walk_children(info, data, offset + 46);
        }
        "Extended Stream Properties" => {
            c.bytes(16)?; // start, end time
            let bitrate = c.u32()?;
            c.bytes(20)?;
            let _max_object = c.u32()?;
            let _flags = c.u32()?;
            let number = c.u16()?;
            let _lang = c.u16()?;
            let avg = c.u64()?;
            let names = c.u16()?;
            let systems = c.u16()?;
            for _ in 0..names {
                c.u16()?;
                let n = c.u16()? as usize;
                c.bytes(n)?;
            }
            for _ in 0..systems {
                c.bytes(18)?;
                let n = c.u32()? as usize;
                c.bytes(n)?;
            }
            if b.len() >= c.o + 24 {
                let mut e = Cur::at(b, c.o);
                if lookup(GUID_NAMES, &e.guid()?) == Some("Stream Properties") {
                    let mut s = parse_stream(&b[c.o..])?;
                    s.hidden = true;
                    info.streams.push(s);
                }
            }
            obj.note = Some(format!("stream {number}"));
            // Streams may come before or after their ESP: applied at the end.
            info.esp.push((number, avg, bitrate));
        }
        "Content Description" => {
            let lens: Vec<usize> = (0..5).map(|_| c.u16().map(|v| v as usize)).collect::<Option<_>>()?;
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
            obj.note = Some(format!("{n} records"));
        }
        "Language List" => {
            let n = c.u16()?;
            for _ in 0..n {
                let l = c.u8()? as usize;
                let s = c.wstr(l)?;
                info.languages.push(s);
            }
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
                c.bytes(il)?;
                let kind = match ty {
                    1 => "video",
                    2 => "audio",
                    _ => "unknown",
                };
                info.codecs.push(Codec { kind, name, description });
            }
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
        _ => {}
    }
    Some(())
}

fn value_of(ty: u16, v: &[u8], bool_len: usize) -> Value {
    let num = |v: &[u8]| v.iter().rev().fold(0u64, |acc, b| (acc << 8) | *b as u64);
    match ty {
        0 => Value::Str(utf16(v)),
        2 => Value::Bool(num(&v[..v.len().min(bool_len.max(v.len()))]) != 0),
        3..=5 if v.len() <= 8 => Value::Num(num(v)),
        6 if v.len() == 16 => Value::Guid(Guid::from_bytes(v.try_into().expect("16 bytes"))),
        _ => Value::Bin(v.len()),
    }
}

fn parse_stream(b: &[u8]) -> Option<Stream> {
    let mut c = Cur::at(b, 24);
    let type_guid = c.guid()?;
    let _ec = c.guid()?;
    let _offset = c.u64()?;
    let tsd = c.u32()? as usize;
    let _ecd = c.u32()?;
    let flags = c.u16()?;
    let _reserved = c.u32()?;
    let t = c.bytes(tsd)?;
    let kind = lookup(STREAM_TYPES, &type_guid).unwrap_or("unknown").to_string();
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
            Format::Video {
                width: bi.u32()? as i32,
                height: bi.u32()? as i32,
                bit_count: {
                    bi.u16()?;
                    bi.u16()?
                },
                compression: bi.u32()?,
                size_image: bi.u32()?,
            }
        }
        _ => Format::Other,
    };
    Some(Stream {
        number: flags & 0x7F,
        kind,
        type_guid,
        encrypted: flags & 0x8000 != 0,
        format,
        avg_time_per_frame: None,
        bitrate: None,
        hidden: false,
    })
}

/// The Data Object's fixed part and the objects after it.
fn read_after_header(info: &mut Info, f: &mut File) {
    // Fold the Extended Stream Properties facts into the streams.
    for (number, avg, bitrate) in std::mem::take(&mut info.esp) {
        if let Some(s) = info.streams.iter_mut().find(|s| s.number == number) {
            s.avg_time_per_frame = Some(avg);
            s.bitrate = Some(bitrate);
        }
    }
    let data_at = info.header_size;
    let mut d = [0u8; 50];
    if f.seek(SeekFrom::Start(data_at)).is_err() || f.read_exact(&mut d).is_err() {
        info.warn(format!("no Data Object at offset {data_at} (the file ends)"));
        return;
    }
    let mut c = Cur::new(&d);
    let guid = c.guid().expect("50 bytes");
    if lookup(GUID_NAMES, &guid) != Some("Data") {
        info.warn(format!("offset {data_at} holds {{{guid}}}, not the Data Object"));
        return;
    }
    let mut size = c.u64().expect("50 bytes");
    let _file_id = c.guid();
    let packets = c.u64().expect("50 bytes");
    info.data_packets = Some(packets);
    let packet_size = info.props.as_ref().map_or(0, |p| p.max_packet_size) as u64;
    if size < 50 || data_at + size > info.file_size {
        // Broadcast / unfinished file: the packets run to the end, or to where the count says.
        let by_count = 50 + packets * packet_size;
        size = if packets > 0 && data_at + by_count <= info.file_size { by_count } else { info.file_size - data_at };
        info.warn(format!("the Data Object size is not usable; assuming {size} bytes"));
    }
    let note = format!("{packets} packets x {packet_size} bytes");
    info.data = Some(Object { name: "Data".into(), guid, offset: data_at, size, children: Vec::new(), note: Some(note) });
    let mut at = data_at + size;
    while at + 24 <= info.file_size {
        let mut p = [0u8; 56];
        let n = (info.file_size - at).min(56) as usize;
        if f.seek(SeekFrom::Start(at)).is_err() || f.read_exact(&mut p[..n]).is_err() {
            break;
        }
        let mut c = Cur::new(&p[..n]);
        let guid = c.guid().expect("24 bytes");
        let size = c.u64().expect("24 bytes");
        if size < 24 || at + size > info.file_size {
            info.warn(format!("object {{{guid}}} at offset {at} after the data has an impossible size {size}"));
            break;
        }
        let name = lookup(GUID_NAMES, &guid).unwrap_or("unknown").to_string();
        let note = match name.as_str() {
            "Simple Index" if n >= 56 => {
                let mut c = Cur::at(&p, 40);
                let interval = c.u64().unwrap_or(0);
                let _max = c.u32();
                let entries = c.u32().unwrap_or(0);
                Some(format!("{entries} entries every {} ms", interval / 10_000))
            }
            "Index" if n >= 34 => {
                let mut c = Cur::at(&p, 24);
                let interval = c.u32().unwrap_or(0);
                let specs = c.u16().unwrap_or(0);
                let blocks = c.u32().unwrap_or(0);
                Some(format!("{specs} specifiers, {blocks} blocks, every {interval} ms"))
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

/// FILETIME → "YYYY-MM-DDTHH:MM:SSZ" (None for 0).
pub fn filetime_iso(ft: u64) -> Option<String> {
    if ft == 0 {
        return None;
    }
    let secs = (ft / 10_000_000) as i64 - 11_644_473_600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (H. Hinnant).
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

fn flag_names(flags: u32) -> Vec<&'static str> {
    let mut v = Vec::new();
    if flags & 1 != 0 {
        v.push("broadcast");
    }
    if flags & 2 != 0 {
        v.push("seekable");
    }
    v
}

fn value_text(v: &Value) -> String {
    match v {
        Value::Str(s) => s.clone(),
        Value::Bin(n) => format!("<{n} bytes>"),
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => n.to_string(),
        Value::Guid(g) => format!("{{{g}}}"),
    }
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::Str(s) => s.as_str().into(),
        Value::Bin(n) => format!("<{n} bytes>").into(),
        Value::Bool(b) => (*b).into(),
        Value::Num(n) => (*n).into(),
        Value::Guid(g) => format!("{{{g}}}").into(),
    }
}

fn stream_codec(s: &Stream) -> String {
    match &s.format {
        Format::Audio { tag, channels, rate, bits, .. } => {
            format!("{} (0x{tag:04X}), {channels} ch, {rate} Hz, {bits}-bit", audio_codec(*tag))
        }
        Format::Video { width, height, bit_count, compression, .. } => {
            format!("{} {width}x{height}, {bit_count} bits/pixel", fourcc(*compression))
        }
        Format::Other => String::from("-"),
    }
}

fn object_json(o: &Object) -> Json {
    let mut f = vec![
        ("name", o.name.as_str().into()),
        ("guid", format!("{{{}}}", o.guid).into()),
        ("offset", o.offset.into()),
        ("size", o.size.into()),
    ];
    if let Some(n) = &o.note {
        f.push(("note", n.as_str().into()));
    }
    if o.name == "Header Extension" {
        f.push(("children", Json::Arr(o.children.iter().map(object_json).collect())));
    }
    obj(f)
}

/// The `--json` document.
pub fn to_json(info: &Info) -> Json {
    let props = info.props.as_ref().map(|p| {
        obj(vec![
            ("file_id", format!("{{{}}}", p.file_id).into()),
            ("file_size", p.file_size.into()),
            ("creation_date", filetime_iso(p.creation_date).into()),
            ("data_packets", p.data_packets.into()),
            ("play_duration_100ns", p.play_duration.into()),
            ("send_duration_100ns", p.send_duration.into()),
            ("preroll_ms", p.preroll_ms.into()),
            ("flags", p.flags.into()),
            ("flag_names", Json::Arr(flag_names(p.flags).into_iter().map(Into::into).collect())),
            ("min_packet_size", p.min_packet_size.into()),
            ("max_packet_size", p.max_packet_size.into()),
            ("max_bitrate", p.max_bitrate.into()),
        ])
    });
    let streams = info
        .streams
        .iter()
        .map(|s| {
            let mut f = vec![
                ("number", s.number.into()),
                ("type", s.kind.as_str().into()),
                ("type_guid", format!("{{{}}}", s.type_guid).into()),
                ("encrypted", s.encrypted.into()),
                ("hidden", s.hidden.into()),
                ("codec", stream_codec(s).into()),
                ("bitrate", s.bitrate.into()),
            ];
            match &s.format {
                Format::Audio { tag, channels, rate, avg_bytes_per_sec, block_align, bits } => {
                    f.push(("format_tag", (*tag).into()));
                    f.push(("codec_name", audio_codec(*tag).into()));
                    f.push(("channels", (*channels).into()));
                    f.push(("sample_rate", (*rate).into()));
                    f.push(("bits_per_sample", (*bits).into()));
                    f.push(("block_align", (*block_align).into()));
                    f.push(("avg_bytes_per_sec", (*avg_bytes_per_sec).into()));
                }
                Format::Video { width, height, bit_count, compression, size_image } => {
                    f.push(("fourcc", fourcc(*compression).into()));
                    f.push(("width", (*width).into()));
                    f.push(("height", (*height).into()));
                    f.push(("bit_count", (*bit_count).into()));
                    f.push(("size_image", (*size_image).into()));
                    f.push(("avg_time_per_frame_100ns", s.avg_time_per_frame.into()));
                }
                Format::Other => {}
            }
            obj(f)
        })
        .collect();
    let tags = Json::Obj(info.file_tags().into_iter().map(|(n, v)| (n.to_string(), value_json(v))).collect());
    let attributes = info
        .tags
        .iter()
        .map(|t| {
            obj(vec![
                ("name", t.name.as_str().into()),
                ("value", value_json(&t.value)),
                ("stream", t.stream.into()),
                ("language", t.language.into()),
                ("object", t.source.into()),
            ])
        })
        .collect();
    let codecs = info
        .codecs
        .iter()
        .map(|c| obj(vec![("type", c.kind.into()), ("name", c.name.as_str().into()), ("description", c.description.as_str().into())]))
        .collect();
    obj(vec![
        ("file", info.path.as_str().into()),
        ("file_size", info.file_size.into()),
        ("header_size", info.header_size.into()),
        ("header_object_count", info.header_count.into()),
        ("header_objects", Json::Arr(info.objects.iter().map(object_json).collect())),
        ("duration", info.duration().map(|d| d as f64 / 1e7).into()),
        ("duration_100ns", info.duration().into()),
        ("preroll_ms", info.props.as_ref().map(|p| p.preroll_ms).into()),
        ("packets", info.data_packets.or(info.props.as_ref().map(|p| p.data_packets)).into()),
        ("packet_size", info.props.as_ref().map(|p| p.max_packet_size).into()),
        ("flags", Json::Arr(info.props.as_ref().map_or(vec![], |p| flag_names(p.flags)).into_iter().map(Into::into).collect())),
        ("file_properties", props.into()),
        ("streams", Json::Arr(streams)),
        ("tags", tags),
        ("attributes", Json::Arr(attributes)),
        ("codecs", Json::Arr(codecs)),
        ("languages", Json::Arr(info.languages.iter().map(|l| l.as_str().into()).collect())),
        ("markers", info.markers.into()),
        ("script_commands", info.scripts.into()),
        ("data", info.data.as_ref().map(object_json).into()),
        ("index_objects", Json::Arr(info.index_objects.iter().map(object_json).collect())),
        ("warnings", Json::Arr(info.warnings.iter().map(|w| w.as_str().into()).collect())),
    ])
}

/// The human summary.
pub fn to_text(info: &Info) -> String {
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "{}: {} bytes", info.path, info.file_size);
    if let Some(d) = info.duration() {
        let p = info.props.as_ref().expect("duration needs props");
        let _ = writeln!(
            w,
            "  duration:    {:.3} s (play duration {:.3} s - preroll {} ms)",
            d as f64 / 1e7,
            p.play_duration as f64 / 1e7,
            p.preroll_ms
        );
        let flags = flag_names(p.flags);
        let _ = writeln!(w, "  flags:       {}", if flags.is_empty() { "none".to_string() } else { flags.join(", ") });
        let _ = writeln!(w, "  packets:     {} x {} bytes", info.data_packets.unwrap_or(p.data_packets), p.max_packet_size);
        let _ = writeln!(w, "  max bitrate: {} bit/s", p.max_bitrate);
        if let Some(c) = filetime_iso(p.creation_date) {
            let _ = writeln!(w, "  created:     {c}");
        }
        let _ = writeln!(w, "  file id:     {{{}}}", p.file_id);
    }
    let _ = writeln!(w, "header objects ({} bytes, {} children):", info.header_size, info.objects.len());
    for o in &info.objects {
        line(w, o, 1);
        for c in &o.children {
            line(w, c, 2);
        }
    }
    if let Some(d) = &info.data {
        let _ = writeln!(w, "data object:");
        line(w, d, 1);
    }
    if !info.index_objects.is_empty() {
        let _ = writeln!(w, "after the data:");
        for o in &info.index_objects {
            line(w, o, 1);
        }
    }
    let _ = writeln!(w, "streams ({}):", info.streams.len());
    for st in &info.streams {
        let mut extra = String::new();
        if let Some(a) = st.avg_time_per_frame.filter(|a| *a > 0) {
            let _ = write!(extra, ", {:.3} fps", 1e7 / a as f64);
        }
        if let Some(b) = st.bitrate {
            let _ = write!(extra, ", {b} bit/s");
        }
        if st.encrypted {
            extra.push_str(", encrypted");
        }
        if st.hidden {
            extra.push_str(", hidden");
        }
        let _ = writeln!(w, "  #{:<3} {:<6} {}{extra}", st.number, st.kind, stream_codec(st));
    }
    let tags: Vec<&Tag> = info.tags.iter().collect();
    if !tags.is_empty() {
        let _ = writeln!(w, "tags:");
        for t in tags {
            let at = if t.stream != 0 { format!(" [stream {}]", t.stream) } else { String::new() };
            let _ = writeln!(w, "  {}{at}: {}", t.name, value_text(&t.value));
        }
    }
    if !info.codecs.is_empty() {
        let _ = writeln!(w, "codecs:");
        for c in &info.codecs {
            let desc = if c.description.is_empty() { String::new() } else { format!(" ({})", c.description) };
            let _ = writeln!(w, "  {}: {}{desc}", c.kind, c.name);
        }
    }
    if !info.languages.is_empty() {
        let _ = writeln!(w, "languages: {}", info.languages.join(", "));
    }
    if info.markers > 0 || info.scripts > 0 {
        let _ = writeln!(w, "markers: {}, script commands: {}", info.markers, info.scripts);
    }
    for warning in &info.warnings {
        let _ = writeln!(w, "warning: {warning}");
    }
    s
}

fn line(w: &mut String, o: &Object, depth: usize) {
    let pad = "  ".repeat(depth);
    let note = o.note.as_ref().map(|n| format!("  ({n})")).unwrap_or_default();
    let name = if o.name == "unknown" { format!("{{{}}}", o.guid) } else { o.name.clone() };
    let width = 34usize.saturating_sub(pad.len());
    let _ = writeln!(w, "{pad}{name:<width$} {:>10} bytes @ {}{note}", o.size, o.offset);
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
        assert_eq!(value_of(1, &[1, 2, 3], 4), Value::Bin(3));
    }
}
