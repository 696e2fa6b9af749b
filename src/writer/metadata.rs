//! Header metadata (`IWMHeaderInfo` 1–3 on the writer): attributes, markers, script
//! commands and codec info, their SDK rules, and their ASF objects.
//!
//! Values are kept as the caller gave them (strings as Rust strings, numbers
//! little-endian). Placement follows the SDK: the five content-description strings
//! go in the Content Description Object; other file-level values in the Extended
//! Content Description Object; per-stream values in the Metadata Object; values with
//! a language, GUID values and values over 64 KiB in the Metadata Library Object.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use crate::asf::metadata as asf_meta;
use crate::error::Result;
use crate::guid::Guid;
use crate::{bail, err};

/// `WMT_ATTR_DATATYPE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrType {
    /// 4-byte unsigned.
    Dword = 0,
    /// String (UTF-8 here, UTF-16LE in the file).
    String = 1,
    /// Bytes.
    Binary = 2,
    /// 4-byte boolean.
    Bool = 3,
    /// 8-byte unsigned.
    Qword = 4,
    /// 2-byte unsigned.
    Word = 5,
    /// 16-byte GUID.
    Guid = 6,
}

impl AttrType {
    /// From the C value.
    pub fn from_u32(v: u32) -> Result<Self> {
        Ok(match v {
            0 => AttrType::Dword,
            1 => AttrType::String,
            2 => AttrType::Binary,
            3 => AttrType::Bool,
            4 => AttrType::Qword,
            5 => AttrType::Word,
            6 => AttrType::Guid,
            _ => bail!(InvalidArg, "{v} is not a WMT_ATTR_DATATYPE (0..6)"),
        })
    }

    fn fixed_len(self) -> Option<usize> {
        match self {
            AttrType::Dword | AttrType::Bool => Some(4),
            AttrType::Qword => Some(8),
            AttrType::Word => Some(2),
            AttrType::Guid => Some(16),
            AttrType::String | AttrType::Binary => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            AttrType::Dword => "WMT_TYPE_DWORD",
            AttrType::String => "WMT_TYPE_STRING",
            AttrType::Binary => "WMT_TYPE_BINARY",
            AttrType::Bool => "WMT_TYPE_BOOL",
            AttrType::Qword => "WMT_TYPE_QWORD",
            AttrType::Word => "WMT_TYPE_WORD",
            AttrType::Guid => "WMT_TYPE_GUID",
        }
    }
}

/// An attribute value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttrValue {
    /// A string.
    String(String),
    /// Any other type: the raw little-endian bytes (BOOL is 4 bytes, 0 or 1).
    Raw(AttrType, Vec<u8>),
}

impl std::fmt::Display for AttrValue {
    /// The value as text: a string as is, a number in decimal, a GUID or bytes in hex.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttrValue::String(s) => f.write_str(s),
            AttrValue::Raw(AttrType::Bool | AttrType::Dword, b) if b.len() == 4 => {
                write!(f, "{}", u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            }
            AttrValue::Raw(AttrType::Word, b) if b.len() == 2 => write!(f, "{}", u16::from_le_bytes([b[0], b[1]])),
            AttrValue::Raw(AttrType::Qword, b) if b.len() == 8 => {
                write!(f, "{}", u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            }
            AttrValue::Raw(AttrType::Guid, b) if b.len() == 16 => {
                write!(f, "{{{}}}", Guid::from_bytes(&b[..16].try_into().unwrap_or([0; 16])))
            }
            AttrValue::Raw(_, b) => b.iter().try_for_each(|x| write!(f, "{x:02x}")),
        }
    }
}

impl AttrValue {
    /// The type.
    pub fn ty(&self) -> AttrType {
        match self {
            AttrValue::String(_) => AttrType::String,
            AttrValue::Raw(t, _) => *t,
        }
    }

    /// The caller's representation: strings as UTF-8 + NUL, the rest as stored.
    pub fn caller_bytes(&self) -> Vec<u8> {
        match self {
            AttrValue::String(s) => {
                let mut v = s.as_bytes().to_vec();
                v.push(0);
                v
            }
            AttrValue::Raw(_, b) => b.clone(),
        }
    }

    /// Parse the caller's bytes for `ty`: strings are NUL-terminated UTF-8 whose
    /// length counts the NUL; fixed types must have their exact size.
    pub fn from_caller(ty: AttrType, bytes: &[u8]) -> Result<Self> {
        if let Some(n) = ty.fixed_len() {
            if bytes.len() != n {
                bail!(InvalidArg, "a {} value is {n} bytes, not {}", ty.name(), bytes.len());
            }
        }
        Ok(match ty {
            AttrType::String => {
                let body = match bytes.iter().position(|&b| b == 0) {
                    Some(p) if p + 1 == bytes.len() => &bytes[..p],
                    Some(p) => bail!(
                        InvalidArg,
                        "the string value has a NUL at byte {p}; the length must count the bytes up to and including the terminating NUL"
                    ),
                    None if bytes.is_empty() => bail!(InvalidArg, "a string value needs at least its terminating NUL (length 1)"),
                    None => bail!(InvalidArg, "the string value is not NUL-terminated within its {} bytes", bytes.len()),
                };
                AttrValue::String(
                    std::str::from_utf8(body)
                        .map_err(|e| err!(InvalidArg, "the string value is not valid UTF-8 (at byte {})", e.valid_up_to()))?
                        .to_string(),
                )
            }
            AttrType::Bool => {
                let v = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                AttrValue::Raw(ty, ((v != 0) as u32).to_le_bytes().to_vec())
            }
            _ => AttrValue::Raw(ty, bytes.to_vec()),
        })
    }

    /// Bytes in the file: strings UTF-16LE + NUL; BOOL 4 bytes (or 2 in the Metadata
    /// objects, `bool_len`).
    fn file_bytes(&self, bool_len: usize) -> Vec<u8> {
        match self {
            AttrValue::String(s) => asf_meta::utf16z(s),
            AttrValue::Raw(AttrType::Bool, b) => b[..bool_len].to_vec(),
            AttrValue::Raw(_, b) => b.clone(),
        }
    }

    /// The value as the file stores it.
    fn file_value(&self, bool_len: usize) -> asf_meta::FileValue {
        asf_meta::FileValue { ty: self.file_type(), bytes: self.file_bytes(bool_len) }
    }

    /// The ASF data-type code.
    fn file_type(&self) -> u16 {
        match self.ty() {
            AttrType::String => 0,
            AttrType::Binary => 1,
            AttrType::Bool => 2,
            AttrType::Dword => 3,
            AttrType::Qword => 4,
            AttrType::Word => 5,
            AttrType::Guid => 6,
        }
    }
}

/// One attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Name.
    pub name: String,
    /// Language-list index (0 = default).
    pub language: u16,
    /// Value.
    pub value: AttrValue,
}

/// A marker (`AddMarker`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// Name.
    pub name: String,
    /// Presentation time, 100 ns (no preroll).
    pub time: u64,
}

/// A header script command (`AddScript`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Script {
    /// Command type ("URL", "TEXT", …).
    pub kind: String,
    /// Command.
    pub command: String,
    /// Presentation time, 100 ns (no preroll).
    pub time: u64,
}

/// Codec info added with `AddCodecInfo`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodecInfo {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// `WMT_CODEC_INFO_TYPE`: 0 audio, 1 video, 0xFFFFFFFF unknown.
    pub kind: u32,
    /// Codec bytes.
    pub info: Vec<u8>,
}

/// The five Content Description attributes, in the object's order.
pub const CONTENT_DESCRIPTION: [&str; 5] = ["Title", "Author", "Copyright", "Description", "Rating"];

/// Attributes the SDK computes ("coded"): read-only at file level.
pub const CODED: [&str; 24] = [
    "Duration",
    "Bitrate",
    "Seekable",
    "Stridable",
    "Broadcast",
    "Is_Protected",
    "Is_Trusted",
    "Signature_Name",
    "HasAudio",
    "HasImage",
    "HasScript",
    "HasVideo",
    "CurrentBitrate",
    "OptimalBitrate",
    "HasAttachedImages",
    "Can_Skip_Backward",
    "Can_Skip_Forward",
    "NumberOfFrames",
    "FileSize",
    "HasArbitraryDataStream",
    "HasFileTransferStream",
    "WM/ContainerFormat",
    "WM/StreamTypeInfo",
    "WM/ASFPacketCount",
];

/// Largest value an Extended Content Description / Metadata record holds.
const SMALL_VALUE_MAX: usize = 0xFFFF;

/// Every piece of header metadata the writer holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Attributes by stream number (0 = file level), in index order.
    pub attributes: BTreeMap<u16, Vec<Attribute>>,
    /// Markers in time order.
    pub markers: Vec<Marker>,
    /// Script commands in time order.
    pub scripts: Vec<Script>,
    /// Codec info from `AddCodecInfo`.
    pub codec_infos: Vec<CodecInfo>,
}

/// Type rules for well-known names.
fn check_known_type(name: &str, ty: AttrType) -> Result<()> {
    let expect: &[AttrType] = match name {
        n if CONTENT_DESCRIPTION.contains(&n) => &[AttrType::String],
        "WM/TrackNumber" => &[AttrType::String, AttrType::Dword],
        "WM/Picture" | "WM/UserWebURL" | "WM/Text" | "WM/Lyrics_Synchronised" | "WM/MCDI" => &[AttrType::Binary],
        "WM/AlbumTitle" | "WM/AlbumArtist" | "WM/Genre" | "WM/Year" | "WM/Composer" | "WM/Conductor" | "WM/Lyrics" | "WM/Publisher"
        | "WM/EncodedBy" | "WM/ToolName" | "WM/ToolVersion" | "WM/Writer" | "WM/Producer" | "WM/SubTitle" | "WM/Language" => {
            &[AttrType::String]
        }
        "WM/MediaClassPrimaryID" | "WM/MediaClassSecondaryID" | "WM/WMContentID" | "WM/WMCollectionID" | "WM/WMCollectionGroupID" => {
            &[AttrType::Guid]
        }
        "IsVBR" => &[AttrType::Bool],
        _ => return Ok(()),
    };
    if !expect.contains(&ty) {
        bail!(
            InvalidArg,
            "\"{name}\" must be of type {} (got {})",
            expect.iter().map(|t| t.name()).collect::<Vec<_>>().join(" or "),
            ty.name()
        );
    }
    Ok(())
}

impl Metadata {
    /// Check a name / stream / value for storing.
    pub fn check(&self, stream: u16, name: &str, value: &AttrValue) -> Result<()> {
        if name.is_empty() {
            bail!(InvalidArg, "the attribute name is empty");
        }
        if name.chars().count() > 1024 {
            bail!(InvalidArg, "the attribute name is longer than 1024 characters");
        }
        if (stream == 0 && CODED.contains(&name)) || name == "WM/StreamTypeInfo" {
            bail!(AttributeReadOnly, "\"{name}\" is computed by the writer and read-only");
        }
        check_known_type(name, value.ty())?;
        if let (true, AttrValue::Raw(AttrType::Binary, b)) = (name == "WM/Picture", value) {
            if !is_picture_layout(b) {
                bail!(InvalidArg, "the WM/Picture value is not a picture (BYTE type, DWORD length, NUL-terminated UTF-16LE MIME type and description, then the data; or pass a WM_PICTURE)");
            }
        }
        Ok(())
    }

    fn list(&self, stream: u16) -> &[Attribute] {
        self.attributes.get(&stream).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `SetAttribute`: replace every attribute of that name on that stream with one
    /// value (or add it).
    pub fn set(&mut self, stream: u16, name: &str, value: AttrValue) -> Result<()> {
        self.check(stream, name, &value)?;
        let list = self.attributes.entry(stream).or_default();
        match list.iter().position(|a| a.name == name) {
            Some(i) => {
                list[i] = Attribute { name: name.to_string(), language: 0, value };
                let mut k = 0;
                list.retain(|a| {
                    k += 1;
                    k - 1 == i || a.name != name
                });
            }
            None => list.push(Attribute { name: name.to_string(), language: 0, value }),
        }
        Ok(())
    }

    /// `AddAttribute`: append (duplicates allowed); returns the index.
    pub fn add(&mut self, stream: u16, name: &str, language: u16, value: AttrValue) -> Result<u16> {
        self.check(stream, name, &value)?;
        let list = self.attributes.entry(stream).or_default();
        if list.len() >= u16::MAX as usize {
            bail!(InvalidArg, "stream {stream} already has the maximum number of attributes");
        }
        list.push(Attribute { name: name.to_string(), language, value });
        Ok((list.len() - 1) as u16)
    }

    /// `ModifyAttribute`.
    pub fn modify(&mut self, stream: u16, index: u16, language: u16, value: AttrValue) -> Result<()> {
        let name = self.get(stream, index)?.name.clone();
        self.check(stream, &name, &value)?;
        let a = &mut self.attributes.get_mut(&stream).expect("checked by get")[index as usize];
        a.language = language;
        a.value = value;
        Ok(())
    }

    /// `DeleteAttribute`.
    pub fn delete(&mut self, stream: u16, index: u16) -> Result<()> {
        self.get(stream, index)?;
        self.attributes.get_mut(&stream).expect("checked by get").remove(index as usize);
        Ok(())
    }

    /// The attribute at `index` on `stream`.
    pub fn get(&self, stream: u16, index: u16) -> Result<&Attribute> {
        let list = self.list(stream);
        list.get(index as usize)
            .ok_or_else(|| err!(InvalidArg, "stream {stream} has {} attribute(s); index {index} is out of range", list.len()))
    }

    /// Attribute count on `stream`.
    pub fn count(&self, stream: u16) -> u16 {
        self.list(stream).len() as u16
    }

    /// Indices of `name` on `stream` (optionally only with `language`).
    pub fn indices(&self, stream: u16, name: &str, language: Option<u16>) -> Vec<u16> {
        self.list(stream)
            .iter()
            .enumerate()
            .filter(|(_, a)| a.name == name && language.map_or(true, |l| a.language == l))
            .map(|(i, _)| i as u16)
            .collect()
    }

    /// First attribute named `name` on `stream`.
    pub fn by_name(&self, stream: u16, name: &str) -> Option<&Attribute> {
        self.list(stream).iter().find(|a| a.name == name)
    }

    /// Add a marker (kept in time order).
    pub fn add_marker(&mut self, name: &str, time: u64) -> Result<()> {
        if name.chars().count() > 5120 {
            bail!(InvalidArg, "the marker name is longer than 5120 characters");
        }
        let at = self.markers.partition_point(|m| m.time <= time);
        self.markers.insert(at, Marker { name: name.to_string(), time });
        Ok(())
    }

    /// Add a script command (kept in time order).
    pub fn add_script(&mut self, kind: &str, command: &str, time: u64) -> Result<()> {
        if kind.is_empty() || command.is_empty() {
            bail!(InvalidArg, "the script type and command must not be empty");
        }
        if kind.chars().count() > 1024 || command.chars().count() > 10240 {
            bail!(InvalidArg, "the script type is limited to 1024 characters and the command to 10240");
        }
        let at = self.scripts.partition_point(|s| s.time <= time);
        self.scripts.insert(at, Script { kind: kind.to_string(), command: command.to_string(), time });
        Ok(())
    }

    /// The Codec List entries added with `AddCodecInfo` (file type codes: 2 audio,
    /// 1 video, 0xFFFF unknown).
    pub fn codec_entries(&self) -> Vec<crate::asf::header::CodecEntry> {
        self.codec_infos
            .iter()
            .map(|c| crate::asf::header::CodecEntry {
                kind: match c.kind {
                    0 => 2,
                    1 => 1,
                    _ => 0xFFFF,
                },
                name: c.name.clone(),
                description: c.description.clone(),
                info: c.info.clone(),
            })
            .collect()
    }

    /// Where each attribute goes.
    fn placement(stream: u16, index_in_cd: bool, a: &Attribute) -> Place {
        let big = a.value.file_bytes(4).len() > SMALL_VALUE_MAX;
        if a.language != 0 || a.value.ty() == AttrType::Guid || big {
            Place::Library
        } else if stream != 0 {
            Place::Metadata
        } else if index_in_cd {
            Place::ContentDescription
        } else {
            Place::Extended
        }
    }

    /// The header-level objects (Content Description, Extended Content Description,
    /// Marker, Script Command) and the Header Extension children (Metadata,
    /// Metadata Library). `marker_offsets` gives each marker's byte offset from the
    /// first data packet (zeros before the data is written).
    pub fn objects(&self, preroll_ms: u64, marker_offsets: &[u64]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let mut cd = asf_meta::ContentDescription::default();
        let mut ecd = asf_meta::ExtendedContentDescription::default();
        let mut meta = asf_meta::MetadataObject { library: false, records: Vec::new() };
        let mut lib = asf_meta::MetadataObject { library: true, records: Vec::new() };
        for (&stream, list) in &self.attributes {
            for a in list {
                let cd_slot = CONTENT_DESCRIPTION.iter().position(|n| *n == a.name).filter(|&i| stream == 0 && cd.fields[i].is_none());
                match Metadata::placement(stream, cd_slot.is_some(), a) {
                    Place::ContentDescription => {
                        if let (Some(i), AttrValue::String(s)) = (cd_slot, &a.value) {
                            cd.fields[i] = Some(s.clone());
                        }
                    }
                    Place::Extended => ecd.descriptors.push((a.name.clone(), a.value.file_value(4))),
                    // BOOL is 2 bytes in both Metadata objects.
                    Place::Metadata => meta.records.push(asf_meta::MetadataRecord {
                        language: 0,
                        stream,
                        name: a.name.clone(),
                        value: a.value.file_value(2),
                    }),
                    Place::Library => lib.records.push(asf_meta::MetadataRecord {
                        language: a.language,
                        stream,
                        name: a.name.clone(),
                        value: a.value.file_value(2),
                    }),
                }
            }
        }
        let mut top = Vec::new();
        let mut ext = Vec::new();
        if cd.fields.iter().any(Option::is_some) {
            top.push(cd.to_bytes());
        }
        if !ecd.descriptors.is_empty() {
            top.push(ecd.to_bytes());
        }
        if !self.markers.is_empty() {
            let markers = self
                .markers
                .iter()
                .enumerate()
                .map(|(i, m)| asf_meta::MarkerEntry {
                    offset: marker_offsets.get(i).copied().unwrap_or(0),
                    presentation_time: m.time + preroll_ms * 10_000,
                    send_time_ms: (m.time / 10_000) as u32,
                    name: m.name.clone(),
                })
                .collect();
            top.push(asf_meta::MarkerObject { markers }.to_bytes());
        }
        if !self.scripts.is_empty() {
            let commands = self
                .scripts
                .iter()
                .map(|sc| asf_meta::ScriptCommand {
                    time_ms: (sc.time / 10_000 + preroll_ms) as u32,
                    kind: sc.kind.clone(),
                    command: sc.command.clone(),
                })
                .collect();
            top.push(asf_meta::ScriptCommandObject { commands }.to_bytes());
        }
        for o in [meta, lib] {
            if !o.records.is_empty() {
                ext.push(o.to_bytes());
            }
        }
        (top, ext)
    }
}

enum Place {
    ContentDescription,
    Extended,
    Metadata,
    Library,
}

pub use crate::asf::metadata::{is_picture_layout, picture_bytes};

/// `Guid` re-export used in docs.
pub type AttrGuid = Guid;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn strings_need_their_nul() {
        assert_eq!(AttrValue::from_caller(AttrType::String, b"abc\0").unwrap(), AttrValue::String("abc".into()));
        assert_eq!(AttrValue::from_caller(AttrType::String, b"abc").unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(AttrValue::from_caller(AttrType::String, b"a\0c\0").unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(AttrValue::from_caller(AttrType::Dword, &[1, 2, 3]).unwrap_err().kind, ErrorKind::InvalidArg);
    }

    #[test]
    fn set_replaces_add_appends_and_coded_is_read_only() {
        let mut m = Metadata::default();
        m.set(0, "Title", AttrValue::String("a".into())).unwrap();
        m.add(0, "Title", 0, AttrValue::String("b".into())).unwrap();
        assert_eq!(m.count(0), 2);
        m.set(0, "Title", AttrValue::String("c".into())).unwrap();
        assert_eq!(m.count(0), 1);
        assert_eq!(m.set(0, "Duration", AttrValue::Raw(AttrType::Qword, vec![0; 8])).unwrap_err().kind, ErrorKind::AttributeReadOnly);
        m.set(1, "Duration", AttrValue::Raw(AttrType::Qword, vec![0; 8])).unwrap();
        assert_eq!(m.set(0, "Title", AttrValue::Raw(AttrType::Dword, vec![0; 4])).unwrap_err().kind, ErrorKind::InvalidArg);
    }

    #[test]
    fn content_description_layout() {
        let mut m = Metadata::default();
        m.set(0, "Author", AttrValue::String("Me".into())).unwrap();
        let (top, ext) = m.objects(3000, &[]);
        assert!(ext.is_empty());
        let o = &top[0];
        assert_eq!(&o[..16], &crate::asf::guids::CONTENT_DESCRIPTION.to_bytes());
        assert_eq!(u64::from_le_bytes(o[16..24].try_into().unwrap()) as usize, o.len());
        assert_eq!(&o[24..34], &[0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&o[34..], &[b'M', 0, b'e', 0, 0, 0]);
    }
}
