//! The metadata objects of the ASF header as typed values: Content Description,
//! Extended Content Description, Marker, Script Command (header level), Metadata and
//! Metadata Library (Header Extension children), the WM/Picture value layout, and the
//! stream-group objects of the Header Extension: Language List, Advanced and Group
//! Mutual Exclusion, Stream Prioritization, Bandwidth Sharing (ASF specification 1.20
//! §4.6–§4.10) and wmwriter's own mutual-exclusion names object.
//! The writer decides what goes where; the bytes are written here.
#![forbid(unsafe_code)]

use super::{begin_object, end_object, guids, wstr_len, Put};

/// A value in the file's layout: its ASF data type (0 string, 1 binary, 2 BOOL,
/// 3 DWORD, 4 QWORD, 5 WORD, 6 GUID) and bytes (strings: UTF-16LE with NUL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileValue {
    /// ASF data type code.
    pub ty: u16,
    /// The bytes as stored.
    pub bytes: Vec<u8>,
}

/// `s` as UTF-16LE with a terminating NUL.
pub fn utf16z(s: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(wstr_len(s));
    v.wstr(s);
    v
}

/// Content Description Object: title, author, copyright, description, rating.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContentDescription {
    /// The five fields in file order; `None` = empty.
    pub fields: [Option<String>; 5],
}

impl ContentDescription {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::CONTENT_DESCRIPTION);
        for v in &self.fields {
            o.u16(v.as_deref().map_or(0, wstr_len) as u16);
        }
        for v in self.fields.iter().flatten() {
            o.wstr(v);
        }
        end_object(&mut o, s);
        o
    }
}

/// Extended Content Description Object: (name, value) descriptors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExtendedContentDescription {
    /// The descriptors, in order.
    pub descriptors: Vec<(String, FileValue)>,
}

impl ExtendedContentDescription {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::EXTENDED_CONTENT_DESCRIPTION);
        o.u16(self.descriptors.len() as u16);
        for (name, v) in &self.descriptors {
            o.u16(wstr_len(name) as u16);
            o.wstr(name);
            o.u16(v.ty);
            o.u16(v.bytes.len() as u16);
            o.extend_from_slice(&v.bytes);
        }
        end_object(&mut o, s);
        o
    }
}

/// One marker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerEntry {
    /// Byte offset of its packet from the first data packet.
    pub offset: u64,
    /// Presentation time, 100 ns, preroll included.
    pub presentation_time: u64,
    /// Send time, ms.
    pub send_time_ms: u32,
    /// Name (the marker description).
    pub name: String,
}

/// Marker Object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MarkerObject {
    /// The markers, in time order.
    pub markers: Vec<MarkerEntry>,
}

impl MarkerObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::MARKER);
        o.guid(&guids::RESERVED_4);
        o.u32(self.markers.len() as u32);
        o.u16(0);
        o.u16(0); // name length: no name
        for m in &self.markers {
            o.u64(m.offset);
            o.u64(m.presentation_time);
            let desc = wstr_len(&m.name);
            o.u16((4 + 4 + 4 + desc) as u16);
            o.u32(m.send_time_ms);
            o.u32(0);
            o.u32((desc / 2) as u32);
            o.wstr(&m.name);
        }
        end_object(&mut o, s);
        o
    }
}

/// One script command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptCommand {
    /// Presentation time, ms, preroll included.
    pub time_ms: u32,
    /// Command type ("URL", "TEXT", ...).
    pub kind: String,
    /// The command.
    pub command: String,
}

/// Script Command Object (the type list is made from the commands, in first-use order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScriptCommandObject {
    /// The commands, in time order.
    pub commands: Vec<ScriptCommand>,
}

impl ScriptCommandObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut kinds: Vec<&str> = Vec::new();
        for sc in &self.commands {
            if !kinds.contains(&sc.kind.as_str()) {
                kinds.push(&sc.kind);
            }
        }
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::SCRIPT_COMMAND);
        o.guid(&guids::RESERVED_3);
        o.u16(self.commands.len() as u16);
        o.u16(kinds.len() as u16);
        for k in &kinds {
            o.u16((wstr_len(k) / 2) as u16);
            o.wstr(k);
        }
        for sc in &self.commands {
            o.u32(sc.time_ms);
            o.u16(kinds.iter().position(|k| *k == sc.kind).unwrap_or(0) as u16);
            o.u16((wstr_len(&sc.command) / 2) as u16);
            o.wstr(&sc.command);
        }
        end_object(&mut o, s);
        o
    }
}

/// One description record of a Metadata / Metadata Library Object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetadataRecord {
    /// Language List index (always 0 in a Metadata Object).
    pub language: u16,
    /// Stream number (0 = file).
    pub stream: u16,
    /// Name.
    pub name: String,
    /// Value (BOOL is 2 bytes in both objects).
    pub value: FileValue,
}

/// Metadata Object (`library` false) or Metadata Library Object (`library` true).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetadataObject {
    /// Which of the two.
    pub library: bool,
    /// The records.
    pub records: Vec<MetadataRecord>,
}

impl MetadataObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, if self.library { &guids::METADATA_LIBRARY } else { &guids::METADATA });
        o.u16(self.records.len() as u16);
        for r in &self.records {
            o.u16(if self.library { r.language } else { 0 });
            o.u16(r.stream);
            o.u16(wstr_len(&r.name) as u16);
            o.u16(r.value.ty);
            o.u32(r.value.bytes.len() as u32);
            o.wstr(&r.name);
            o.extend_from_slice(&r.value.bytes);
        }
        end_object(&mut o, s);
        o
    }
}

/// Whether `b` is a complete WM/Picture value in the file layout (see [`picture_bytes`]).
pub fn is_picture_layout(b: &[u8]) -> bool {
    fn wstr_end(b: &[u8], from: usize) -> Option<usize> {
        (from..b.len().saturating_sub(1)).step_by(2).find(|&i| b[i] == 0 && b[i + 1] == 0).map(|i| i + 2)
    }
    if b.len() < 9 {
        return false;
    }
    let data_len = u32::from_le_bytes([b[1], b[2], b[3], b[4]]) as usize;
    // Checked before the strings are scanned: a WM_PICTURE struct's first pointer makes
    // this huge, so its padding bytes are never read.
    if data_len + 9 > b.len() {
        return false;
    }
    let Some(mime_end) = wstr_end(b, 5) else { return false };
    let Some(desc_end) = wstr_end(b, mime_end) else { return false };
    desc_end + data_len == b.len()
}

/// Serialise a WM/Picture value in the file layout: BYTE picture type, DWORD data
/// length, MIME type and description as NUL-terminated UTF-16LE, then the data.
pub fn picture_bytes(mime: &str, picture_type: u8, description: &str, data: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(5 + wstr_len(mime) + wstr_len(description) + data.len());
    v.u8(picture_type);
    v.u32(data.len() as u32);
    v.wstr(mime);
    v.wstr(description);
    v.extend_from_slice(data);
    v
}

/// Language List Object (ASF §4.6, Header Extension): WORD Language ID Records Count,
/// then per record BYTE Language ID Length (bytes incl. the NUL) and the RFC 1766 tag
/// as UTF-16LE with its NUL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LanguageListObject {
    /// The tags, in index order.
    pub languages: Vec<String>,
}

impl LanguageListObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::LANGUAGE_LIST);
        o.u16(self.languages.len() as u16);
        for l in &self.languages {
            o.u8(wstr_len(l) as u8);
            o.wstr(l);
        }
        end_object(&mut o, s);
        o
    }
}

/// Advanced Mutual Exclusion Object (ASF §4.7, Header Extension): GUID Exclusion Type,
/// WORD Stream Numbers Count, WORD Stream Numbers[].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdvancedMutualExclusionObject {
    /// Exclusion type (`ASF_Mutex_*` = `CLSID_WMMUTEX_*`).
    pub exclusion_type: crate::guid::Guid,
    /// The mutually exclusive streams.
    pub streams: Vec<u16>,
}

impl AdvancedMutualExclusionObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::ADVANCED_MUTUAL_EXCLUSION);
        o.guid(&self.exclusion_type);
        o.u16(self.streams.len() as u16);
        self.streams.iter().for_each(|n| o.u16(*n));
        end_object(&mut o, s);
        o
    }
}

/// Group Mutual Exclusion Object (ASF §4.8, Header Extension): GUID Exclusion Type,
/// WORD Record Count, then per record WORD Stream Count and WORD Stream Numbers[]. A
/// player picks one record; `IWMMutualExclusion2` records map to these records, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupMutualExclusionObject {
    /// Exclusion type (`ASF_Mutex_*` = `CLSID_WMMUTEX_*`).
    pub exclusion_type: crate::guid::Guid,
    /// Each record's streams.
    pub records: Vec<Vec<u16>>,
}

impl GroupMutualExclusionObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::GROUP_MUTUAL_EXCLUSION);
        o.guid(&self.exclusion_type);
        o.u16(self.records.len() as u16);
        for r in &self.records {
            o.u16(r.len() as u16);
            r.iter().for_each(|n| o.u16(*n));
        }
        end_object(&mut o, s);
        o
    }
}

/// Stream Prioritization Object (ASF §4.9, Header Extension): WORD Priority Records
/// Count, then per record WORD Stream Number and WORD Priority Flags (bit 0 mandatory),
/// highest priority first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamPrioritizationObject {
    /// (stream number, mandatory), highest priority first.
    pub records: Vec<(u16, bool)>,
}

impl StreamPrioritizationObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::STREAM_PRIORITIZATION);
        o.u16(self.records.len() as u16);
        for (n, mandatory) in &self.records {
            o.u16(*n);
            o.u16(*mandatory as u16);
        }
        end_object(&mut o, s);
        o
    }
}

/// Bandwidth Sharing Object (ASF §4.10, Header Extension): GUID Sharing Type, DWORD Data
/// Bitrate, DWORD Buffer Size (ms), WORD Stream Numbers Count, WORD Stream Numbers[].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BandwidthSharingObject {
    /// `ASF_Bandwidth_Sharing_Exclusive` / `_Partial`.
    pub sharing_type: crate::guid::Guid,
    /// Shared bit rate, bits per second.
    pub bitrate: u32,
    /// Shared buffer, ms.
    pub buffer_ms: u32,
    /// The sharing streams.
    pub streams: Vec<u16>,
}

impl BandwidthSharingObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::BANDWIDTH_SHARING);
        o.guid(&self.sharing_type);
        o.u32(self.bitrate);
        o.u32(self.buffer_ms);
        o.u16(self.streams.len() as u16);
        self.streams.iter().for_each(|n| o.u16(*n));
        end_object(&mut o, s);
        o
    }
}

/// wmwriter's mutual-exclusion names object (GUID `guids::WMWRITER_MUTEX_NAMES`, a
/// Header Extension child; not in the ASF specification, whose exclusion objects have
/// no name fields). One entry per Advanced / Group Mutual Exclusion Object of the same
/// Header Extension, in the same order: WORD Entry Count, then per entry WORD Name
/// Length (bytes incl. NUL, 0 = no name), WCHAR Name, WORD Record Name Count, and per
/// record WORD Name Length, WCHAR Name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MutexNamesObject {
    /// (exclusion name, record names) per exclusion object.
    pub entries: Vec<(String, Vec<String>)>,
}

impl MutexNamesObject {
    /// The complete object.
    pub fn to_bytes(&self) -> Vec<u8> {
        fn name(o: &mut Vec<u8>, s: &str) {
            if s.is_empty() {
                o.u16(0);
            } else {
                o.u16(wstr_len(s) as u16);
                o.wstr(s);
            }
        }
        let mut o = Vec::new();
        let s = begin_object(&mut o, &guids::WMWRITER_MUTEX_NAMES);
        o.u16(self.entries.len() as u16);
        for (n, records) in &self.entries {
            name(&mut o, n);
            o.u16(records.len() as u16);
            records.iter().for_each(|r| name(&mut o, r));
        }
        end_object(&mut o, s);
        o
    }
}
