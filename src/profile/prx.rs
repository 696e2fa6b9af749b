//! PRX profile XML (`IWMProfileManager::LoadProfileByData` / `SaveProfile`).
//!
//! Loading is tolerant: a byte-order mark, `<?xml ...?>`, comments, CRLF, either quote
//! style, any attribute order, element and attribute names in any case, unknown
//! elements (with everything inside them) and unknown attributes are all accepted.
//! It is strict about what it understands: malformed XML, numbers that do not parse or
//! do not fit, missing required attributes and impossible values (stream number 0 or
//! 64, the same number twice, more than 63 streams, groups naming absent streams) fail
//! with `NS_E_INVALIDPROFILE` and a message that names the line and the field.
//!
//! Saving writes one canonical form (LF line ends, two-space indentation, attributes in
//! the order of the reference table), so save → load → save is byte-identical and
//! load → save keeps every value the loader understood.
//!
//! Element and attribute names follow real `.prx` files. Where they carry no name for
//! something the profile object holds, this module adds one (saved only when needed):
//! `profile maxpacketsize`, `wmmediatype majortype` (when it differs from the stream's),
//! `bitmapinfoheader codecdata` (bytes after the 40-byte BITMAPINFOHEADER),
//! `<scriptformat scripttype=>` (WMFORMAT_Script), `<formatblock formattype= data=>`
//! (any other format block, or one the structured elements cannot reproduce byte for
//! byte), `<mutualexclusion type= name=>` with `<stream number=>` and `<record name=>`
//! children (IWMMutualExclusion2).
#![forbid(unsafe_code)]

use std::fmt::Write as _;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::groups::{BandwidthSharingData, MutexRecord, MutualExclusionData, PriorityRecord, StreamList, StreamPrioritizationData};
use super::media::VIDEOINFOHEADER_SIZE;
use super::{
    DataUnitExtension, MediaType, ProfileData, StreamConfigData, VbrSettings, WaveFormatEx, BUFFER_WINDOW_AUTO, MAX_DESCRIPTION_CHARS,
    MAX_NAME_CHARS, MAX_STREAMS, STORAGE_FORMAT_MP3, STORAGE_FORMAT_V1, WMT_VERSIONS,
};
use crate::error::{Error, ErrorKind, Result};
use crate::guid::{sdk, Guid};

/// Longest profile string `load` accepts, in characters (the SDK's limit).
pub const MAX_PRX_CHARS: usize = 153_600;
/// Deepest element nesting `load` accepts.
const MAX_DEPTH: usize = 32;

fn invalid(line: usize, msg: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::InvalidProfile, format!("line {line}: {msg}"))
}

// ------------------------------------------------------------------------------------
// A small element tree with line numbers.
// ------------------------------------------------------------------------------------

#[derive(Debug)]
struct Node {
    /// Lower-case element name.
    name: String,
    /// (lower-case name, unescaped value, line), in document order.
    attrs: Vec<(String, String, usize)>,
    children: Vec<Node>,
    line: usize,
}

/// Byte offset → line number, counting forward only.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        if pos < self.pos {
            return 1 + self.text.as_bytes()[..pos].iter().filter(|b| **b == b'\n').count();
        }
        self.line += self.text.as_bytes()[self.pos..pos].iter().filter(|b| **b == b'\n').count();
        self.pos = pos;
        self.line
    }
}

fn element(e: &BytesStart<'_>, line: usize) -> Result<Node> {
    let name = String::from_utf8_lossy(e.name().as_ref()).to_ascii_lowercase();
    let raw: &[u8] = e;
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| invalid(line, format!("<{name}>: malformed attribute: {x}")))?;
        // The attribute's own line: its key is a slice of the raw tag.
        let k = a.key.as_ref();
        let at = (k.as_ptr() as usize).checked_sub(raw.as_ptr() as usize).filter(|o| *o <= raw.len()).unwrap_or(0);
        let aline = line + raw[..at].iter().filter(|b| **b == b'\n').count();
        let key = String::from_utf8_lossy(k).to_ascii_lowercase();
        let value = a.unescape_value().map_err(|x| invalid(aline, format!("<{name}> attribute {key}: {x}")))?;
        if value.contains('\0') {
            return Err(invalid(aline, format!("<{name}> attribute {key}: contains a NUL character, which XML does not allow")));
        }
        attrs.push((key, value.into_owned(), aline));
    }
    Ok(Node { name, attrs, children: Vec::new(), line })
}

fn parse_tree(text: &str) -> Result<Node> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut lines = Lines { text, pos: 0, line: 1 };
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let start = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let line = lines.at(reader.error_position() as usize);
                return Err(invalid(line, format!("malformed XML: {e}")));
            }
        };
        let line = lines.at(start);
        match ev {
            Event::Start(e) | Event::Empty(e) if stack.is_empty() && root.is_some() => {
                let n = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(invalid(line, format!("malformed XML: a second root element <{n}> after </profile>")));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(invalid(line, format!("malformed XML: elements nest deeper than {MAX_DEPTH} levels")));
                }
                stack.push(element(&e, line)?);
            }
            Event::Empty(e) => {
                let node = element(&e, line)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::End(_) => {
                let Some(node) = stack.pop() else {
                    return Err(invalid(line, "malformed XML: an end tag without a start tag"));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => root = Some(node),
                }
            }
            Event::Text(t) if stack.is_empty() => {
                if let Some(i) = t.iter().position(|b| !b.is_ascii_whitespace()) {
                    let line = line + t[..i].iter().filter(|b| **b == b'\n').count();
                    return Err(invalid(line, "malformed XML: text outside the <profile> element"));
                }
            }
            Event::CData(_) if stack.is_empty() => {
                return Err(invalid(line, "malformed XML: CDATA outside the <profile> element"));
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(invalid(
                        lines.at(text.len()),
                        format!("malformed XML: <{}> (line {}) is not closed", open.name, open.line),
                    ));
                }
                return root.ok_or_else(|| invalid(lines.at(text.len()), "the document has no <profile> element"));
            }
            _ => {}
        }
    }
}

// ------------------------------------------------------------------------------------
// Attribute readers.
// ------------------------------------------------------------------------------------

fn parse_int(s: &str) -> Option<i128> {
    let t = s.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if t.is_empty() || t.len() > 30 {
        return None;
    }
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        if h.is_empty() || !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        i128::from_str_radix(h, 16).ok()?
    } else {
        if !t.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        t.parse::<i128>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let t = s.trim().as_bytes();
    if t.len() % 2 != 0 {
        return None;
    }
    let nib = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    t.chunks(2).map(|p| Some(nib(p[0])? << 4 | nib(p[1])?)).collect()
}

impl Node {
    fn attr(&self, key: &str) -> Option<&str> {
        let k = key.to_ascii_lowercase();
        self.attrs.iter().find(|(n, _, _)| *n == k).map(|(_, v, _)| v.as_str())
    }

    fn attr_line(&self, key: &str) -> usize {
        let k = key.to_ascii_lowercase();
        self.attrs.iter().find(|(n, _, _)| *n == k).map_or(self.line, |(_, _, l)| *l)
    }

    fn missing(&self, key: &str) -> Error {
        invalid(self.line, format!("<{}> is missing the required attribute {key}", self.name))
    }

    fn bad(&self, key: &str, value: &str, why: impl std::fmt::Display) -> Error {
        invalid(self.attr_line(key), format!("<{}> attribute {key}: \"{}\" {why}", self.name, value.escape_debug()))
    }

    /// An integer attribute in `min..=max`; `default` when absent (None = required).
    fn int(&self, key: &str, min: i128, max: i128, default: Option<i128>) -> Result<i128> {
        let Some(v) = self.attr(key) else {
            return default.ok_or_else(|| self.missing(key));
        };
        let n = parse_int(v).ok_or_else(|| self.bad(key, v, "is not a number"))?;
        if n < min || n > max {
            return Err(self.bad(key, v, format!("is outside {min}..{max}")));
        }
        Ok(n)
    }

    fn u32(&self, key: &str, default: Option<u32>) -> Result<u32> {
        Ok(self.int(key, 0, u32::MAX as i128, default.map(i128::from))? as u32)
    }

    fn u16(&self, key: &str, default: Option<u16>) -> Result<u16> {
        Ok(self.int(key, 0, u16::MAX as i128, default.map(i128::from))? as u16)
    }

    fn i32(&self, key: &str, default: Option<i32>) -> Result<i32> {
        Ok(self.int(key, i32::MIN as i128, i32::MAX as i128, default.map(i128::from))? as i32)
    }

    fn i64(&self, key: &str, default: Option<i64>) -> Result<i64> {
        Ok(self.int(key, i64::MIN as i128, i64::MAX as i128, default.map(i128::from))? as i64)
    }

    /// A DWORD that may be written as -1 (= 0xFFFFFFFF), like `bufferwindow`.
    fn window(&self, key: &str, default: Option<u32>) -> Result<u32> {
        Ok(self.int(key, -1, u32::MAX as i128, default.map(i128::from))? as u32)
    }

    fn bool(&self, key: &str, default: Option<bool>) -> Result<bool> {
        let Some(v) = self.attr(key) else {
            return default.ok_or_else(|| self.missing(key));
        };
        match v.trim().to_ascii_lowercase().as_str() {
            "0" | "false" => Ok(false),
            "1" | "true" => Ok(true),
            _ => Err(self.bad(key, v, "is not 0 or 1")),
        }
    }

    fn guid(&self, key: &str, default: Option<Guid>) -> Result<Guid> {
        let Some(v) = self.attr(key) else {
            return default.ok_or_else(|| self.missing(key));
        };
        Guid::parse(v).ok_or_else(|| self.bad(key, v, "is not a GUID ({XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX})"))
    }

    fn hex(&self, key: &str, max: usize) -> Result<Vec<u8>> {
        let Some(v) = self.attr(key) else {
            return Ok(Vec::new());
        };
        let b =
            parse_hex(v).ok_or_else(|| self.bad(key, &v.chars().take(40).collect::<String>(), "is not an even number of hex digits"))?;
        if b.len() > max {
            return Err(invalid(self.attr_line(key), format!("<{}> attribute {key}: {} bytes is more than {max}", self.name, b.len())));
        }
        Ok(b)
    }

    fn text(&self, key: &str, max_chars: usize) -> Result<String> {
        let v = self.attr(key).unwrap_or("");
        let n = v.chars().count();
        if n > max_chars {
            return Err(invalid(self.attr_line(key), format!("<{}> attribute {key}: {n} characters is more than {max_chars}", self.name)));
        }
        Ok(v.to_string())
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// A `number` attribute naming a stream of the profile.
    fn stream_number(&self, streams: &[StreamConfigData]) -> Result<u16> {
        let n = self.int("number", 1, MAX_STREAMS as i128, None)? as u16;
        if !streams.iter().any(|s| s.number == n) {
            return Err(invalid(self.line, format!("<{}> attribute number: stream {n} is not in the profile", self.name)));
        }
        Ok(n)
    }
}

// ------------------------------------------------------------------------------------
// FOURCC text of biCompression.
// ------------------------------------------------------------------------------------

fn fourcc_text(v: u32) -> Option<String> {
    let b = v.to_le_bytes();
    let printable = b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b' ' || *c == b'_');
    (printable && !b.iter().all(|c| c.is_ascii_digit())).then(|| String::from_utf8_lossy(&b).into_owned())
}

fn parse_compression(node: &Node) -> Result<u32> {
    let Some(v) = node.attr("bicompression") else {
        return Ok(0);
    };
    if v.is_empty() {
        return Ok(0);
    }
    if v.len() == 4 && !v.bytes().all(|c| c.is_ascii_digit()) && v.is_ascii() {
        let b = v.as_bytes();
        return Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    }
    node.u32("bicompression", None)
        .map_err(|_| node.bad("bicompression", v, "is neither a FOURCC (four characters, e.g. WMV3) nor a number"))
}

// ------------------------------------------------------------------------------------
// The full WMVIDEOINFOHEADER.
// ------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct VideoHeader {
    rc_source: [i32; 4],
    rc_target: [i32; 4],
    bit_rate: u32,
    bit_error_rate: u32,
    avg_time_per_frame: i64,
    bi_size: u32,
    width: i32,
    height: i32,
    planes: u16,
    bit_count: u16,
    compression: u32,
    size_image: u32,
    x_pels: i32,
    y_pels: i32,
    clr_used: u32,
    clr_important: u32,
    extra: Vec<u8>,
}

impl VideoHeader {
    fn parse(b: &[u8]) -> Option<Self> {
        if b.len() < VIDEOINFOHEADER_SIZE {
            return None;
        }
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let i32_at = |o: usize| u32_at(o) as i32;
        let u16_at = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
        let mut t = [0u8; 8];
        t.copy_from_slice(&b[40..48]);
        Some(VideoHeader {
            rc_source: [i32_at(0), i32_at(4), i32_at(8), i32_at(12)],
            rc_target: [i32_at(16), i32_at(20), i32_at(24), i32_at(28)],
            bit_rate: u32_at(32),
            bit_error_rate: u32_at(36),
            avg_time_per_frame: i64::from_le_bytes(t),
            bi_size: u32_at(48),
            width: i32_at(52),
            height: i32_at(56),
            planes: u16_at(60),
            bit_count: u16_at(62),
            compression: u32_at(64),
            size_image: u32_at(68),
            x_pels: i32_at(72),
            y_pels: i32_at(76),
            clr_used: u32_at(80),
            clr_important: u32_at(84),
            extra: b[VIDEOINFOHEADER_SIZE..].to_vec(),
        })
    }

    /// biSize as a PRX implies it: the codec data belongs to the BITMAPINFOHEADER for
    /// compressed formats; palettes and bit fields (BI_RGB, BI_BITFIELDS) follow it.
    fn implied_bi_size(compression: u32, extra: usize) -> u32 {
        if compression == 0 || compression == 3 {
            40
        } else {
            40 + extra as u32
        }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut f = Vec::with_capacity(VIDEOINFOHEADER_SIZE + self.extra.len());
        for v in self.rc_source.iter().chain(&self.rc_target) {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(&self.bit_rate.to_le_bytes());
        f.extend_from_slice(&self.bit_error_rate.to_le_bytes());
        f.extend_from_slice(&self.avg_time_per_frame.to_le_bytes());
        f.extend_from_slice(&self.bi_size.to_le_bytes());
        f.extend_from_slice(&self.width.to_le_bytes());
        f.extend_from_slice(&self.height.to_le_bytes());
        f.extend_from_slice(&self.planes.to_le_bytes());
        f.extend_from_slice(&self.bit_count.to_le_bytes());
        f.extend_from_slice(&self.compression.to_le_bytes());
        f.extend_from_slice(&self.size_image.to_le_bytes());
        f.extend_from_slice(&self.x_pels.to_le_bytes());
        f.extend_from_slice(&self.y_pels.to_le_bytes());
        f.extend_from_slice(&self.clr_used.to_le_bytes());
        f.extend_from_slice(&self.clr_important.to_le_bytes());
        f.extend_from_slice(&self.extra);
        f
    }
}

// ------------------------------------------------------------------------------------
// Load.
// ------------------------------------------------------------------------------------

/// Parse a PRX document into profile data. `E_INVALIDARG` for text over
/// [`MAX_PRX_CHARS`] characters; `NS_E_INVALIDPROFILE` (message: line and field) for
/// everything else that is wrong.
pub fn load(text: &str) -> Result<ProfileData> {
    let chars = text.chars().count();
    if chars > MAX_PRX_CHARS {
        return Err(Error::new(
            ErrorKind::InvalidArg,
            format!("the profile text has {chars} characters; at most {MAX_PRX_CHARS} are allowed"),
        ));
    }
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let text = text.trim_end_matches('\0');
    let root = parse_tree(text)?;
    if root.name != "profile" {
        return Err(invalid(root.line, format!("the root element is <{}>; a profile document starts with <profile>", root.name)));
    }
    read_profile(&root)
}

fn read_profile(root: &Node) -> Result<ProfileData> {
    let version = root.u32("version", None)?;
    if !WMT_VERSIONS.contains(&version) {
        return Err(root.bad(
            "version",
            root.attr("version").unwrap_or(""),
            "is not a WMT_VERSION (262144 = 4.0, 458752 = 7.0, 524288 = 8.0, 589824 = 9.0)",
        ));
    }
    let mut p = ProfileData::new(version);
    p.storage_format = root.u32("storageformat", Some(STORAGE_FORMAT_V1))?;
    if p.storage_format != STORAGE_FORMAT_MP3 && p.storage_format != STORAGE_FORMAT_V1 {
        return Err(root.bad("storageformat", root.attr("storageformat").unwrap_or(""), "is not 0 (MP3) or 1 (ASF)"));
    }
    p.name = root.text("name", MAX_NAME_CHARS)?;
    p.description = root.text("description", MAX_DESCRIPTION_CHARS)?;
    p.max_packet_size = root.u32("maxpacketsize", Some(0))?;
    if p.max_packet_size != 0 && !(100..=65_527).contains(&p.max_packet_size) {
        return Err(root.bad("maxpacketsize", root.attr("maxpacketsize").unwrap_or(""), "is outside 100..65527 (0 = writer chooses)"));
    }
    for sc in root.children("streamconfig") {
        if p.streams.len() >= MAX_STREAMS {
            return Err(invalid(sc.line, format!("<streamconfig>: the profile has more than {MAX_STREAMS} streams")));
        }
        let s = read_stream(sc)?;
        if p.streams.iter().any(|x| x.number == s.number) {
            return Err(invalid(sc.line, format!("<streamconfig> attribute streamnumber: stream {} is already in the profile", s.number)));
        }
        p.streams.push(s);
    }
    for node in root.children.iter().filter(|c| c.name == "mutualexclusion" || c.name == "mutex") {
        let mut m =
            MutualExclusionData { mutex_type: node.guid("type", None)?, name: node.text("name", MAX_NAME_CHARS)?, ..Default::default() };
        m.streams = read_stream_list(node, &p.streams)?;
        for r in node.children("record") {
            m.records.push(MutexRecord { name: r.text("name", MAX_NAME_CHARS)?, streams: read_stream_list(r, &p.streams)? });
        }
        p.mutual_exclusions.push(m);
    }
    for node in root.children("bandwidthsharing") {
        p.bandwidth_sharings.push(BandwidthSharingData {
            sharing_type: node.guid("type", None)?,
            bitrate: node.u32("bitrate", Some(0))?,
            buffer_window: node.window("bufferwindow", Some(0))?,
            streams: read_stream_list(node, &p.streams)?,
        });
    }
    if let Some(node) = root.child("streamprioritization") {
        let mut sp = StreamPrioritizationData::default();
        for st in node.children("stream") {
            let n = st.stream_number(&p.streams)?;
            if sp.records.iter().any(|r| r.number == n) {
                return Err(invalid(st.line, format!("<stream> attribute number: stream {n} is listed twice")));
            }
            sp.records.push(PriorityRecord { number: n, mandatory: st.bool("mandatory", Some(false))? });
        }
        p.stream_prioritization = Some(sp);
    }
    Ok(p)
}

fn read_stream_list(node: &Node, streams: &[StreamConfigData]) -> Result<StreamList> {
    let mut l = StreamList::default();
    for st in node.children("stream") {
        let n = st.stream_number(streams)?;
        if l.0.contains(&n) {
            return Err(invalid(st.line, format!("<stream> attribute number: stream {n} is listed twice in <{}>", node.name)));
        }
        l.0.push(n);
    }
    Ok(l)
}

fn read_stream(sc: &Node) -> Result<StreamConfigData> {
    let t = sc.guid("majortype", None)?;
    let number = sc.int("streamnumber", 1, MAX_STREAMS as i128, None)? as u16;
    let mut s = StreamConfigData::new(t, number);
    s.name = sc.text("streamname", MAX_NAME_CHARS)?;
    s.connection_name = sc.text("inputname", MAX_NAME_CHARS)?;
    s.bitrate = sc.u32("bitrate", Some(0))?;
    s.buffer_window = sc.window("bufferwindow", Some(s.buffer_window))?;
    s.reliable = sc.bool("reliabletransport", Some(false))?;
    s.decoder_complexity = sc.text("decodercomplexity", MAX_NAME_CHARS)?;
    s.language = sc.text("rfc1766langid", MAX_NAME_CHARS)?;
    s.vbr = VbrSettings {
        enabled: sc.attr("vbrenabled").map(|_| sc.bool("vbrenabled", None)).transpose()?,
        quality: sc.attr("vbrquality").map(|_| sc.int("vbrquality", 0, 100, None).map(|v| v as u32)).transpose()?,
        bitrate_max: sc.attr("bitratemax").map(|_| sc.u32("bitratemax", None)).transpose()?,
        buffer_window_max: sc.attr("bufferwindowmax").map(|_| sc.window("bufferwindowmax", None)).transpose()?,
    };
    if let Some(v) = sc.child("videomediaprops") {
        s.max_key_frame_spacing = v.i64("maxkeyframespacing", Some(0))?;
        s.quality = v.int("quality", 0, 100, Some(0))? as u32;
    }
    if let Some(m) = sc.child("wmmediatype") {
        s.media_type = Some(read_media_type(m, t)?);
    }
    for d in sc.children("dataunitextension") {
        let ext = DataUnitExtension {
            system_id: d.guid("extensionsystemid", None)?,
            data_size: d.u16("extensiondatasize", None)?,
            info: d.hex("extensionsysteminfo", u32::MAX as usize)?,
        };
        if s.data_unit_extensions.iter().any(|x| x.system_id == ext.system_id) {
            return Err(invalid(
                d.line,
                format!("<dataunitextension> attribute extensionsystemid: {{{}}} is declared twice", ext.system_id),
            ));
        }
        s.data_unit_extensions.push(ext);
    }
    Ok(s)
}

fn read_media_type(m: &Node, stream_type: Guid) -> Result<MediaType> {
    let mut mt = MediaType {
        major_type: m.guid("majortype", Some(stream_type))?,
        subtype: m.guid("subtype", None)?,
        fixed_size_samples: m.bool("bfixedsizesamples", Some(false))?,
        temporal_compression: m.bool("btemporalcompression", Some(false))?,
        sample_size: m.u32("lsamplesize", Some(0))?,
        format_type: Guid::NULL,
        format: Vec::new(),
    };
    if let Some(w) = m.child("waveformatex") {
        let wfx = WaveFormatEx {
            format_tag: w.u16("wFormatTag", None)?,
            channels: w.u16("nChannels", None)?,
            samples_per_sec: w.u32("nSamplesPerSec", None)?,
            avg_bytes_per_sec: w.u32("nAvgBytesPerSec", None)?,
            block_align: w.u16("nBlockAlign", None)?,
            bits_per_sample: w.u16("wBitsPerSample", None)?,
            extra: w.hex("codecdata", u16::MAX as usize)?,
        };
        mt.format_type = sdk::WMFORMAT_WAVEFORMATEX;
        mt.format = wfx.to_bytes();
    } else if let Some(v) = m.child("videoinfoheader") {
        let rect = |name: &str| -> Result<[i32; 4]> {
            match v.child(name) {
                None => Ok([0; 4]),
                Some(r) => Ok([r.i32("left", Some(0))?, r.i32("top", Some(0))?, r.i32("right", Some(0))?, r.i32("bottom", Some(0))?]),
            }
        };
        let b = v.child("bitmapinfoheader").ok_or_else(|| invalid(v.line, "<videoinfoheader> has no <bitmapinfoheader> child"))?;
        let compression = parse_compression(b)?;
        let extra = b.hex("codecdata", 1 << 20)?;
        let h = VideoHeader {
            rc_source: rect("rcsource")?,
            rc_target: rect("rctarget")?,
            bit_rate: v.u32("dwbitrate", Some(0))?,
            bit_error_rate: v.u32("dwbiterrorrate", Some(0))?,
            avg_time_per_frame: v.i64("avgtimeperframe", Some(0))?,
            bi_size: VideoHeader::implied_bi_size(compression, extra.len()),
            width: b.i32("biwidth", None)?,
            height: b.i32("biheight", None)?,
            planes: b.u16("biplanes", Some(1))?,
            bit_count: b.u16("bibitcount", Some(0))?,
            compression,
            size_image: b.u32("bisizeimage", Some(0))?,
            x_pels: b.i32("bixpelspermeter", Some(0))?,
            y_pels: b.i32("biypelspermeter", Some(0))?,
            clr_used: b.u32("biclrused", Some(0))?,
            clr_important: b.u32("biclrimportant", Some(0))?,
            extra,
        };
        mt.format_type = sdk::WMFORMAT_VIDEOINFO;
        mt.format = h.to_bytes();
    } else if let Some(sf) = m.child("scriptformat") {
        mt.format_type = sdk::WMFORMAT_SCRIPT;
        mt.format = sf.guid("scripttype", Some(sdk::WMSCRIPTTYPE_TWOSTRINGS))?.to_bytes().to_vec();
    } else if let Some(fb) = m.child("formatblock") {
        mt.format_type = fb.guid("formattype", None)?;
        mt.format = fb.hex("data", 1 << 20)?;
    }
    Ok(mt)
}

// ------------------------------------------------------------------------------------
// Save.
// ------------------------------------------------------------------------------------

/// Escape an attribute value: the five XML specials and every control character.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                let _ = write!(o, "&#{};", c as u32);
            }
            c => o.push(c),
        }
    }
    o
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02X}");
    }
    s
}

fn window(v: u32) -> String {
    if v == BUFFER_WINDOW_AUTO {
        "-1".into()
    } else {
        v.to_string()
    }
}

fn b(v: bool) -> &'static str {
    if v {
        "1"
    } else {
        "0"
    }
}

/// One element being written: `open` with attributes, then children, then `close`.
struct Out {
    s: String,
}

impl Out {
    fn tag(&mut self, depth: usize, name: &str, attrs: &[(&str, String)], empty: bool) {
        for _ in 0..depth {
            self.s.push_str("  ");
        }
        self.s.push('<');
        self.s.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.s, " {k}=\"{}\"", esc(v));
        }
        self.s.push_str(if empty { "/>\n" } else { ">\n" });
    }

    fn close(&mut self, depth: usize, name: &str) {
        for _ in 0..depth {
            self.s.push_str("  ");
        }
        let _ = writeln!(self.s, "</{name}>");
    }
}

fn g(v: Guid) -> String {
    format!("{{{v}}}")
}

/// Serialize profile data as PRX XML (the canonical form; see the module docs).
pub fn save(p: &ProfileData) -> String {
    let mut o = Out { s: String::new() };
    let mut attrs = vec![
        ("version", p.version.to_string()),
        ("storageformat", p.storage_format.to_string()),
        ("name", p.name.clone()),
        ("description", p.description.clone()),
    ];
    if p.max_packet_size != 0 {
        attrs.push(("maxpacketsize", p.max_packet_size.to_string()));
    }
    let empty =
        p.streams.is_empty() && p.mutual_exclusions.is_empty() && p.bandwidth_sharings.is_empty() && p.stream_prioritization.is_none();
    o.tag(0, "profile", &attrs, empty);
    if empty {
        return o.s;
    }
    for s in &p.streams {
        save_stream(&mut o, s);
    }
    for m in &p.mutual_exclusions {
        let mut attrs = vec![("type", g(m.mutex_type))];
        if !m.name.is_empty() {
            attrs.push(("name", m.name.clone()));
        }
        let empty = m.streams.0.is_empty() && m.records.is_empty();
        o.tag(1, "mutualexclusion", &attrs, empty);
        if !empty {
            for n in &m.streams.0 {
                o.tag(2, "stream", &[("number", n.to_string())], true);
            }
            for r in &m.records {
                o.tag(2, "record", &[("name", r.name.clone())], r.streams.0.is_empty());
                if !r.streams.0.is_empty() {
                    for n in &r.streams.0 {
                        o.tag(3, "stream", &[("number", n.to_string())], true);
                    }
                    o.close(2, "record");
                }
            }
            o.close(1, "mutualexclusion");
        }
    }
    for bs in &p.bandwidth_sharings {
        let attrs = [("type", g(bs.sharing_type)), ("bitrate", bs.bitrate.to_string()), ("bufferwindow", window(bs.buffer_window))];
        o.tag(1, "bandwidthsharing", &attrs, bs.streams.0.is_empty());
        if !bs.streams.0.is_empty() {
            for n in &bs.streams.0 {
                o.tag(2, "stream", &[("number", n.to_string())], true);
            }
            o.close(1, "bandwidthsharing");
        }
    }
    if let Some(sp) = &p.stream_prioritization {
        o.tag(1, "streamprioritization", &[], sp.records.is_empty());
        if !sp.records.is_empty() {
            for r in &sp.records {
                o.tag(2, "stream", &[("number", r.number.to_string()), ("mandatory", b(r.mandatory).into())], true);
            }
            o.close(1, "streamprioritization");
        }
    }
    o.close(0, "profile");
    o.s
}

fn save_stream(o: &mut Out, s: &StreamConfigData) {
    let mut attrs = vec![
        ("majortype", g(s.stream_type)),
        ("streamnumber", s.number.to_string()),
        ("streamname", s.name.clone()),
        ("inputname", s.connection_name.clone()),
        ("bitrate", s.bitrate.to_string()),
        ("bufferwindow", window(s.buffer_window)),
        ("reliabletransport", b(s.reliable).into()),
        ("decodercomplexity", s.decoder_complexity.clone()),
        ("rfc1766langid", s.language.clone()),
    ];
    if let Some(v) = s.vbr.enabled {
        attrs.push(("vbrenabled", b(v).into()));
    }
    if let Some(v) = s.vbr.quality {
        attrs.push(("vbrquality", v.to_string()));
    }
    if let Some(v) = s.vbr.bitrate_max {
        attrs.push(("bitratemax", v.to_string()));
    }
    if let Some(v) = s.vbr.buffer_window_max {
        attrs.push(("bufferwindowmax", window(v)));
    }
    let video_props = s.stream_type == sdk::WMMEDIATYPE_VIDEO || s.max_key_frame_spacing != 0 || s.quality != 0;
    let empty = !video_props && s.media_type.is_none() && s.data_unit_extensions.is_empty();
    o.tag(1, "streamconfig", &attrs, empty);
    if empty {
        return;
    }
    if video_props {
        let a = [("maxkeyframespacing", s.max_key_frame_spacing.to_string()), ("quality", s.quality.to_string())];
        o.tag(2, "videomediaprops", &a, true);
    }
    if let Some(mt) = &s.media_type {
        save_media_type(o, mt, s.stream_type);
    }
    for d in &s.data_unit_extensions {
        let a =
            [("extensionsystemid", g(d.system_id)), ("extensiondatasize", d.data_size.to_string()), ("extensionsysteminfo", hex(&d.info))];
        o.tag(2, "dataunitextension", &a, true);
    }
    o.close(1, "streamconfig");
}

fn save_media_type(o: &mut Out, mt: &MediaType, stream_type: Guid) {
    let mut attrs = Vec::new();
    if mt.major_type != stream_type {
        attrs.push(("majortype", g(mt.major_type)));
    }
    attrs.extend([
        ("subtype", g(mt.subtype)),
        ("bfixedsizesamples", b(mt.fixed_size_samples).into()),
        ("btemporalcompression", b(mt.temporal_compression).into()),
        ("lsamplesize", mt.sample_size.to_string()),
    ]);
    let wave = (mt.format_type == sdk::WMFORMAT_WAVEFORMATEX)
        .then(|| WaveFormatEx::parse(&mt.format))
        .flatten()
        .filter(|w| w.to_bytes() == mt.format);
    let video = (mt.format_type == sdk::WMFORMAT_VIDEOINFO)
        .then(|| VideoHeader::parse(&mt.format))
        .flatten()
        .filter(|h| h.bi_size == VideoHeader::implied_bi_size(h.compression, h.extra.len()));
    let empty = mt.format_type == Guid::NULL && mt.format.is_empty();
    o.tag(2, "wmmediatype", &attrs, empty);
    if empty {
        return;
    }
    if let Some(w) = wave {
        let a = [
            ("wFormatTag", w.format_tag.to_string()),
            ("nChannels", w.channels.to_string()),
            ("nSamplesPerSec", w.samples_per_sec.to_string()),
            ("nAvgBytesPerSec", w.avg_bytes_per_sec.to_string()),
            ("nBlockAlign", w.block_align.to_string()),
            ("wBitsPerSample", w.bits_per_sample.to_string()),
            ("codecdata", hex(&w.extra)),
        ];
        o.tag(3, "waveformatex", &a, true);
    } else if let Some(h) = video {
        let a = [
            ("dwbitrate", h.bit_rate.to_string()),
            ("dwbiterrorrate", h.bit_error_rate.to_string()),
            ("avgtimeperframe", h.avg_time_per_frame.to_string()),
        ];
        o.tag(3, "videoinfoheader", &a, false);
        for (name, r) in [("rcsource", h.rc_source), ("rctarget", h.rc_target)] {
            let a = [("left", r[0].to_string()), ("top", r[1].to_string()), ("right", r[2].to_string()), ("bottom", r[3].to_string())];
            o.tag(4, name, &a, true);
        }
        let mut a = vec![
            ("biwidth", h.width.to_string()),
            ("biheight", h.height.to_string()),
            ("biplanes", h.planes.to_string()),
            ("bibitcount", h.bit_count.to_string()),
            ("bicompression", fourcc_text(h.compression).unwrap_or_else(|| h.compression.to_string())),
            ("bisizeimage", h.size_image.to_string()),
            ("bixpelspermeter", h.x_pels.to_string()),
            ("biypelspermeter", h.y_pels.to_string()),
            ("biclrused", h.clr_used.to_string()),
            ("biclrimportant", h.clr_important.to_string()),
        ];
        if !h.extra.is_empty() {
            a.push(("codecdata", hex(&h.extra)));
        }
        o.tag(4, "bitmapinfoheader", &a, true);
        o.close(3, "videoinfoheader");
    } else if mt.format_type == sdk::WMFORMAT_SCRIPT && mt.format.len() == 16 {
        let mut id = [0u8; 16];
        id.copy_from_slice(&mt.format);
        o.tag(3, "scriptformat", &[("scripttype", g(Guid::from_bytes(&id)))], true);
    } else {
        o.tag(3, "formatblock", &[("formattype", g(mt.format_type)), ("data", hex(&mt.format))], true);
    }
    o.close(2, "wmmediatype");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::groups::MutexRecord;
    use std::path::PathBuf;

    fn corpus() -> Vec<(String, String)> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("c_tests/data");
        let mut v: Vec<(String, String)> = std::fs::read_dir(&dir)
            .expect("c_tests/data exists")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "prx"))
            .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        v.sort();
        v
    }

    fn load_err(text: &str) -> Error {
        load(text).expect_err("the document must be refused")
    }

    fn assert_invalid(text: &str, line: usize, field: &str) {
        let e = load_err(text);
        assert_eq!(e.kind, ErrorKind::InvalidProfile, "{}", e.message);
        assert!(e.message.starts_with(&format!("line {line}:")), "expected line {line}: {}", e.message);
        assert!(e.message.contains(field), "expected {field:?} in: {}", e.message);
    }

    #[test]
    fn corpus_valid_documents_round_trip() {
        let mut valid = 0;
        for (name, text) in corpus().into_iter().filter(|(n, _)| !n.starts_with("broken_")) {
            let p1 = load(&text).unwrap_or_else(|e| panic!("{name}: {}", e.message));
            assert!(!p1.streams.is_empty(), "{name}");
            let s1 = save(&p1);
            let p2 = load(&s1).unwrap_or_else(|e| panic!("{name} (saved): {}\n{s1}", e.message));
            assert_eq!(p1, p2, "{name}: load → save → load changed a value");
            let s2 = save(&p2);
            assert_eq!(s1, s2, "{name}: save → load → save is not byte-identical");
            valid += 1;
        }
        assert!(valid >= 10, "only {valid} valid corpus documents");
    }

    #[test]
    fn corpus_broken_documents_fail_with_line_and_field() {
        let mut broken = 0;
        for (name, text) in corpus().into_iter().filter(|(n, _)| n.starts_with("broken_")) {
            let expect = text.lines().next().and_then(|l| l.strip_prefix("<!-- expect: line ")).and_then(|l| l.strip_suffix(" -->"));
            let expect = expect.unwrap_or_else(|| panic!("{name}: first line must be <!-- expect: line N field -->"));
            let (line, field) = expect.split_once(' ').unwrap();
            let e = load(&text).expect_err(&name);
            assert_eq!(e.kind, ErrorKind::InvalidProfile, "{name}: {}", e.message);
            assert!(e.message.starts_with(&format!("line {line}:")), "{name}: expected line {line}: {}", e.message);
            assert!(e.message.contains(field), "{name}: expected {field:?} in {}", e.message);
            broken += 1;
        }
        assert!(broken >= 3);
    }

    #[test]
    fn reference_example_values() {
        let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("c_tests/data/av_wma_wmv.prx")).unwrap();
        let p = load(&text).unwrap();
        assert_eq!(p.version, 0x90000);
        assert_eq!(p.name, "Example A/V");
        assert_eq!(p.streams.len(), 2);
        let a = &p.streams[0];
        assert_eq!(a.stream_type, sdk::WMMEDIATYPE_AUDIO);
        assert_eq!((a.number, a.bitrate, a.buffer_window), (1, 64000, 3000));
        assert_eq!((a.connection_name.as_str(), a.language.as_str()), ("Audio409", "en-us"));
        let w = a.media_type.as_ref().unwrap().wave_format().unwrap();
        assert_eq!((w.format_tag, w.channels, w.samples_per_sec, w.block_align), (0x161, 2, 44100, 2973));
        assert_eq!(w.extra, vec![0x00, 0x88, 0x00, 0x00, 0x0F, 0x00, 0x36, 0x08, 0x00, 0x00]);
        let v = &p.streams[1];
        assert_eq!((v.max_key_frame_spacing, v.quality, v.decoder_complexity.as_str()), (80_000_000, 75, "AU"));
        let mt = v.media_type.as_ref().unwrap();
        assert_eq!(mt.subtype, sdk::WMMEDIASUBTYPE_WMV3);
        assert!(mt.temporal_compression);
        let vi = mt.video_info().unwrap();
        assert_eq!(
            (vi.width, vi.height, vi.compression, vi.avg_time_per_frame, vi.bit_rate),
            (320, 240, u32::from_le_bytes(*b"WMV3"), 333_667, 500_000)
        );
        assert_eq!(mt.format[88..], [0x4F, 0xF1, 0x0A, 0x01]); // the WMV3 sequence header readers need
        let sp = p.stream_prioritization.as_ref().unwrap();
        assert_eq!(sp.records, vec![PriorityRecord { number: 1, mandatory: false }, PriorityRecord { number: 2, mandatory: false }]);
    }

    #[test]
    fn tolerant_document_values() {
        let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("c_tests/data/tolerant.prx")).unwrap();
        let p = load(&text).unwrap();
        assert_eq!(p.version, 0x80000);
        assert_eq!(p.name, "Tolerant & \"quoted\"");
        assert_eq!(p.description, "tabs\tand <angles>");
        let s = &p.streams[0];
        assert_eq!(s.number, 7);
        assert_eq!(
            s.vbr,
            VbrSettings { enabled: Some(false), quality: Some(90), bitrate_max: Some(1_411_200), buffer_window_max: Some(u32::MAX) }
        );
        assert_eq!(s.media_type.as_ref().unwrap().wave_format().unwrap().samples_per_sec, 44100);
        // The escapes survive a save.
        let saved = save(&p);
        assert!(saved.contains(r#"name="Tolerant &amp; &quot;quoted&quot;""#), "{saved}");
        assert!(saved.contains(r#"description="tabs&#9;and &lt;angles&gt;""#), "{saved}");
    }

    #[test]
    fn mbr_groups_are_read() {
        let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("c_tests/data/mbr_mutex.prx")).unwrap();
        let p = load(&text).unwrap();
        assert_eq!(p.mutual_exclusions.len(), 1);
        let m = &p.mutual_exclusions[0];
        assert_eq!(m.mutex_type, sdk::CLSID_WMMUTEX_BITRATE);
        assert_eq!(m.streams.0, vec![2, 3, 4]);
        assert_eq!(m.name, "Video bit rates");
        assert_eq!(
            m.records,
            vec![
                MutexRecord { name: "low".into(), streams: StreamList(vec![2]) },
                MutexRecord { name: "high".into(), streams: StreamList(vec![3, 4]) }
            ]
        );
        let b = &p.bandwidth_sharings[0];
        assert_eq!(
            (b.sharing_type, b.bitrate, b.buffer_window, b.streams.0.clone()),
            (sdk::CLSID_WMBANDWIDTHSHARING_EXCLUSIVE, 600_000, 5000, vec![2, 3, 4])
        );
        p.validate().unwrap();
    }

    /// A profile with every field set to something unusual survives save → load.
    #[test]
    fn every_value_survives() {
        let mut p = ProfileData::new(0x70000);
        p.name = "n\u{e4}me <&>\"' \n\r\t\u{1}".into();
        p.description = "d".repeat(1024);
        p.max_packet_size = 3000;
        p.storage_format = 0;
        let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 63);
        a.name = "x".repeat(256);
        a.connection_name = "in".into();
        a.bitrate = u32::MAX;
        a.buffer_window = BUFFER_WINDOW_AUTO;
        a.reliable = true;
        a.language = "fr-ca".into();
        a.decoder_complexity = "AP".into();
        a.max_key_frame_spacing = -5;
        a.quality = 100;
        a.vbr = VbrSettings { enabled: Some(true), quality: Some(0), bitrate_max: Some(7), buffer_window_max: Some(9) };
        a.media_type = Some(MediaType::pcm(6, 96000, 24));
        a.data_unit_extensions.push(DataUnitExtension { system_id: sdk::WMMEDIATYPE_TEXT, data_size: 0xFFFF, info: vec![0, 1, 0xFF] });
        p.streams.push(a);
        // A WAVEFORMAT (16 bytes) and a format block with trailing bytes: kept byte for byte.
        let mut b = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 2);
        let mut mt = MediaType::pcm(1, 8000, 8);
        mt.format.truncate(16);
        b.media_type = Some(mt);
        p.streams.push(b);
        let mut c = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 3);
        let mut mt = MediaType::pcm(1, 8000, 8);
        mt.format.extend_from_slice(&[1, 2, 3]);
        c.media_type = Some(mt);
        p.streams.push(c);
        // Video: palette after an RGB8 header; codec data after a WMV header; a biSize no rule explains.
        let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 4);
        let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_RGB8, 16, -16, 1);
        mt.format.extend(std::iter::repeat(7u8).take(1024));
        v.media_type = Some(mt);
        p.streams.push(v);
        let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 5);
        let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_WMV3, 64, 48, 333_333);
        mt.format[64..68].copy_from_slice(b"WMV3");
        mt.format[48..52].copy_from_slice(&44u32.to_le_bytes());
        mt.format.extend_from_slice(&[0xAA, 0xBB, 0xCC, 0xDD]);
        for (i, x) in mt.format[..32].iter_mut().enumerate() {
            *x = i as u8;
        }
        v.media_type = Some(mt);
        p.streams.push(v);
        let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 6);
        let mut mt = MediaType::raw_video(sdk::WMMEDIASUBTYPE_RGB24, 8, 8, 1);
        mt.format[48..52].copy_from_slice(&41u32.to_le_bytes());
        v.media_type = Some(mt);
        p.streams.push(v);
        // Script, an unknown format, no format, no media type at all.
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_SCRIPT, 7);
        s.media_type = Some(MediaType::script());
        p.streams.push(s);
        let mut f = StreamConfigData::new(sdk::WMMEDIATYPE_FILETRANSFER, 8);
        f.media_type = Some(MediaType {
            major_type: sdk::WMMEDIATYPE_FILETRANSFER,
            subtype: sdk::WMMEDIASUBTYPE_WEBSTREAM,
            format_type: sdk::WMFORMAT_WEBSTREAM,
            format: vec![8, 0, 0, 0, 1, 0, 0, 0],
            ..Default::default()
        });
        p.streams.push(f);
        let mut t = StreamConfigData::new(sdk::WMMEDIATYPE_TEXT, 9);
        t.media_type = Some(MediaType { major_type: sdk::WMMEDIATYPE_VIDEO, ..Default::default() });
        p.streams.push(t);
        p.streams.push(StreamConfigData::new(sdk::WMMEDIATYPE_IMAGE, 10));
        p.mutual_exclusions.push(MutualExclusionData { mutex_type: sdk::CLSID_WMMUTEX_LANGUAGE, ..Default::default() });
        p.mutual_exclusions.push(MutualExclusionData {
            mutex_type: sdk::CLSID_WMMUTEX_BITRATE,
            streams: StreamList(vec![2, 3]),
            name: "m".into(),
            records: vec![MutexRecord::default(), MutexRecord { name: "r".into(), streams: StreamList(vec![63]) }],
        });
        p.bandwidth_sharings.push(BandwidthSharingData {
            sharing_type: Guid::NULL,
            bitrate: 1,
            buffer_window: u32::MAX,
            streams: StreamList(vec![]),
        });
        p.bandwidth_sharings.push(BandwidthSharingData {
            sharing_type: sdk::CLSID_WMBANDWIDTHSHARING_PARTIAL,
            bitrate: 5,
            buffer_window: 6,
            streams: StreamList(vec![4, 5]),
        });
        p.stream_prioritization = Some(StreamPrioritizationData::default());
        let s1 = save(&p);
        let q = load(&s1).unwrap_or_else(|e| panic!("{}\n{s1}", e.message));
        assert_eq!(p, q, "{s1}");
        assert_eq!(save(&q), s1);
        // Characters XML 1.0 does not allow raw still survive.
        let mut w = ProfileData::new(0x90000);
        w.name = "\u{FFFE}\u{FFFF}\u{1F600}\u{7F}\u{85}\u{2028} lead and trail ".into();
        assert_eq!(load(&save(&w)).unwrap(), w);
        // A profile with nothing in it.
        let e = ProfileData::new(0x90000);
        assert_eq!(save(&e), "<profile version=\"589824\" storageformat=\"1\" name=\"\" description=\"\"/>\n");
        assert_eq!(load(&save(&e)).unwrap(), e);
    }

    #[test]
    fn every_error_names_line_and_field() {
        const A: &str = r#"majortype="{73647561-0000-0010-8000-00AA00389B71}""#;
        assert_invalid("<profile/>", 1, "version");
        assert_invalid("<profile version=\"5\"/>", 1, "version");
        assert_invalid("<profile version=\"589824\" storageformat=\"2\"/>", 1, "storageformat");
        assert_invalid("<profile version=\"589824\" maxpacketsize=\"50\"/>", 1, "maxpacketsize");
        assert_invalid("\n<profile version=\"589824\" name=\"", 2, "malformed XML");
        assert_invalid("<profile version=\"589824\">\n<streamconfig>\n</profile>", 3, "malformed XML");
        assert_invalid("<profile version=\"589824\">\n\n<streamconfig>", 3, "not closed");
        assert_invalid("<profile version=\"589824\" a=1/>", 1, "malformed");
        assert_invalid("<profile version=\"589824\" a=\"1\" a=\"2\"/>", 1, "malformed");
        assert_invalid("<profile version=\"589824\" name=\"&bogus;\"/>", 1, "name");
        assert_invalid("<profile version=\"589824\"\n name=\"a\0b\"/>", 2, "NUL");
        assert_invalid("<profile version=\"589824\" name=\"&#0;\"/>", 1, "name");
        // Attributes without white space between them (a fuzz find: this used to panic).
        assert_invalid("<profile version=\"589824\"name=\"x\"\nstorageformat=\"7\"/>", 2, "storageformat");
        assert_invalid("", 1, "no <profile>");
        assert_invalid("  \n <!-- c -->", 2, "no <profile>");
        assert_invalid("<profiles version=\"589824\"/>", 1, "root element");
        assert_invalid("<profile version=\"589824\"/>\n<profile version=\"589824\"/>", 2, "second root");
        assert_invalid("<profile version=\"589824\"/>\ntext", 2, "text outside");
        assert_invalid(&format!("<profile version=\"589824\" name=\"{}\"/>", "x".repeat(257)), 1, "name");
        assert_invalid(&format!("<profile version=\"589824\" description=\"{}\"/>", "x".repeat(1025)), 1, "description");
        let s = |body: &str| format!("<profile version=\"589824\">\n  {body}\n</profile>");
        assert_invalid(&s("<streamconfig streamnumber=\"1\"/>"), 2, "majortype");
        assert_invalid(&s("<streamconfig majortype=\"{1234}\" streamnumber=\"1\"/>"), 2, "majortype");
        assert_invalid(&s(&format!("<streamconfig {A}/>")), 2, "streamnumber");
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"x\"/>")), 2, "streamnumber");
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"1\" bitrate=\"-2\"/>")), 2, "bitrate");
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"1\" bitrate=\"4294967296\"/>")), 2, "bitrate");
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"1\" bufferwindow=\"-2\"/>")), 2, "bufferwindow");
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"1\" reliabletransport=\"2\"/>")), 2, "reliabletransport");
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"1\" vbrquality=\"101\"/>")), 2, "vbrquality");
        assert_invalid(
            &s(&format!("<streamconfig {A} streamnumber=\"1\">\n<videomediaprops quality=\"101\"/></streamconfig>")),
            3,
            "quality",
        );
        assert_invalid(
            &s(&format!("<streamconfig {A} streamnumber=\"1\">\n<videomediaprops maxkeyframespacing=\"1e9\"/></streamconfig>")),
            3,
            "maxkeyframespacing",
        );
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"1\">\n<wmmediatype/></streamconfig>")), 3, "subtype");
        let mt = |inner: &str| {
            s(&format!("<streamconfig {A} streamnumber=\"1\">\n<wmmediatype subtype=\"{{00000001-0000-0010-8000-00AA00389B71}}\">\n{inner}</wmmediatype></streamconfig>"))
        };
        let wfx =
            "wFormatTag=\"1\" nChannels=\"1\" nSamplesPerSec=\"8000\" nAvgBytesPerSec=\"8000\" nBlockAlign=\"1\" wBitsPerSample=\"8\"";
        assert_invalid(&mt(&format!("<waveformatex {wfx} codecdata=\"ABC\"/>")), 4, "codecdata");
        assert_invalid(&mt(&format!("<waveformatex {wfx} codecdata=\"ZZ\"/>")), 4, "codecdata");
        assert_invalid(&mt(&format!("<waveformatex {wfx} codecdata=\"{}\"/>", "00".repeat(65536))), 4, "codecdata");
        assert_invalid(&mt("<waveformatex nChannels=\"1\"/>"), 4, "wFormatTag");
        assert_invalid(&mt(&format!("<waveformatex {}/>", wfx.replace("nChannels=\"1\"", "nChannels=\"65536\""))), 4, "nChannels");
        assert_invalid(&mt("<videoinfoheader>\n</videoinfoheader>"), 4, "bitmapinfoheader");
        assert_invalid(&mt("<videoinfoheader>\n<bitmapinfoheader biheight=\"1\"/></videoinfoheader>"), 5, "biwidth");
        assert_invalid(
            &mt("<videoinfoheader>\n<bitmapinfoheader biwidth=\"1\" biheight=\"1\" bicompression=\"WMV33\"/></videoinfoheader>"),
            5,
            "bicompression",
        );
        assert_invalid(
            &mt("<videoinfoheader avgtimeperframe=\"x\">\n<bitmapinfoheader biwidth=\"1\" biheight=\"1\"/></videoinfoheader>"),
            4,
            "avgtimeperframe",
        );
        assert_invalid(
            &mt("<videoinfoheader>\n<rcsource left=\"2147483648\"/><bitmapinfoheader biwidth=\"1\" biheight=\"1\"/></videoinfoheader>"),
            5,
            "left",
        );
        assert_invalid(&mt("<formatblock data=\"00\"/>"), 4, "formattype");
        assert_invalid(&mt("<scriptformat scripttype=\"x\"/>"), 4, "scripttype");
        let due = |a: &str| s(&format!("<streamconfig {A} streamnumber=\"1\">\n<dataunitextension {a}/></streamconfig>"));
        assert_invalid(&due("extensiondatasize=\"2\""), 3, "extensionsystemid");
        assert_invalid(&due("extensionsystemid=\"{C6BD9450-867F-4907-83A3-C77921B733AD}\""), 3, "extensiondatasize");
        assert_invalid(
            &due("extensionsystemid=\"{C6BD9450-867F-4907-83A3-C77921B733AD}\" extensiondatasize=\"65536\""),
            3,
            "extensiondatasize",
        );
        assert_invalid(
            &due("extensionsystemid=\"{C6BD9450-867F-4907-83A3-C77921B733AD}\" extensiondatasize=\"2\" extensionsysteminfo=\"0\""),
            3,
            "extensionsysteminfo",
        );
        let two = "<dataunitextension extensionsystemid=\"{C6BD9450-867F-4907-83A3-C77921B733AD}\" extensiondatasize=\"2\"/>";
        assert_invalid(&s(&format!("<streamconfig {A} streamnumber=\"1\">{two}\n{two}</streamconfig>")), 3, "declared twice");
        let one = format!("<streamconfig {A} streamnumber=\"1\"/>");
        assert_invalid(
            &s(&format!("{one}\n<streamprioritization><stream number=\"1\"/>\n<stream number=\"1\"/></streamprioritization>")),
            4,
            "listed twice",
        );
        assert_invalid(
            &s(&format!("{one}\n<streamprioritization>\n<stream number=\"2\"/></streamprioritization>")),
            4,
            "not in the profile",
        );
        assert_invalid(&s(&format!("{one}\n<streamprioritization>\n<stream/></streamprioritization>")), 4, "number");
        assert_invalid(
            &s(&format!("{one}\n<streamprioritization>\n<stream number=\"1\" mandatory=\"yes\"/></streamprioritization>")),
            4,
            "mandatory",
        );
        assert_invalid(&s(&format!("{one}\n<bandwidthsharing>\n</bandwidthsharing>")), 3, "type");
        assert_invalid(
            &s(&format!("{one}\n<bandwidthsharing type=\"{{AF6060AA-5197-11D2-B6AF-00C04FD908E9}}\" bitrate=\"x\"/>")),
            3,
            "bitrate",
        );
        assert_invalid(
            &s(&format!(
                "{one}\n<bandwidthsharing type=\"{{AF6060AA-5197-11D2-B6AF-00C04FD908E9}}\">\n<stream number=\"64\"/></bandwidthsharing>"
            )),
            4,
            "number",
        );
        assert_invalid(&s(&format!("{one}\n<mutualexclusion>\n</mutualexclusion>")), 3, "type");
        let mx = "type=\"{D6E22A01-35DA-11D1-9034-00A0C90349BE}\"";
        assert_invalid(
            &s(&format!("{one}\n<mutualexclusion {mx}><stream number=\"1\"/>\n<stream number=\"1\"/></mutualexclusion>")),
            4,
            "listed twice",
        );
        assert_invalid(
            &s(&format!("{one}\n<mutualexclusion {mx}><record>\n<stream number=\"9\"/></record></mutualexclusion>")),
            4,
            "not in the profile",
        );
        let deep = format!("<profile version=\"589824\">{}{}</profile>", "<a>".repeat(40), "</a>".repeat(40));
        assert_invalid(&deep, 1, "deeper");
    }

    #[test]
    fn limits_and_encoding_details() {
        // Over 153,600 characters: E_INVALIDARG, like the SDK; exactly the limit is parsed.
        let base = "<profile version=\"589824\"/>";
        let pad = |n: usize| format!("{base}{}", " ".repeat(n - base.len()));
        let e = load_err(&pad(MAX_PRX_CHARS + 1));
        assert_eq!(e.kind, ErrorKind::InvalidArg, "{}", e.message);
        assert!(e.message.contains("153600"), "{}", e.message);
        load(&pad(MAX_PRX_CHARS)).unwrap();
        // Names count characters, not bytes.
        load(&format!("<profile version=\"589824\" name=\"{}\"/>", "\u{e9}".repeat(256))).unwrap();
        load(&format!("<profile version=\"589824\" name=\"{}\"/>", "\u{e9}".repeat(257))).unwrap_err();
        // BOM, trailing NULs, single quotes, hex numbers, case-insensitive GUIDs.
        let p = load("\u{FEFF}<profile version='0x90000' name='a'>\r\n<streamconfig majortype='{73647561-0000-0010-8000-00aa00389b71}' streamnumber=' 3 ' bufferwindow='4294967295'/></profile>\0\0").unwrap();
        assert_eq!(p.version, 0x90000);
        assert_eq!(p.streams[0].number, 3);
        assert_eq!(p.streams[0].buffer_window, BUFFER_WINDOW_AUTO);
        assert!(save(&p).contains("bufferwindow=\"-1\""));
        // Defaults for what a minimal document leaves out.
        assert_eq!(p.storage_format, 1);
        assert_eq!(p.streams[0].media_type, None);
        assert_eq!(p.streams[0].bitrate, 0);
        assert!(p.stream_prioritization.is_none());
    }

    #[test]
    fn fourcc_text_round_trips() {
        for v in [
            0u32,
            3,
            u32::from_le_bytes(*b"WMV3"),
            u32::from_le_bytes(*b"1234"),
            u32::from_le_bytes(*b"MP4 "),
            0x8000_0000,
            u32::from_le_bytes(*b"a\0b\0"),
        ] {
            let text = fourcc_text(v).unwrap_or_else(|| v.to_string());
            let node =
                Node { name: "bitmapinfoheader".into(), attrs: vec![("bicompression".into(), text.clone(), 1)], children: vec![], line: 1 };
            assert_eq!(parse_compression(&node).unwrap(), v, "{text}");
        }
    }
}

#[cfg(test)]
mod proptests {
    use super::*;
    use crate::profile::groups::MutexRecord;
    use proptest::prelude::*;

    fn text(max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<char>().prop_filter("XML has no NUL", |c| *c != '\0'), 0..max).prop_map(|v| v.into_iter().collect())
    }

    fn guid() -> impl Strategy<Value = Guid> {
        (any::<u32>(), any::<u16>(), any::<u16>(), any::<[u8; 8]>()).prop_map(|(a, b, c, d)| Guid::new(a, b, c, d))
    }

    fn media_type() -> impl Strategy<Value = Option<MediaType>> {
        let format = prop_oneof![
            Just((Guid::NULL, Vec::new())),
            (any::<[u16; 2]>(), any::<u32>(), proptest::collection::vec(any::<u8>(), 0..20)).prop_map(|(a, r, extra)| (
                sdk::WMFORMAT_WAVEFORMATEX,
                WaveFormatEx {
                    format_tag: a[0],
                    channels: a[1],
                    samples_per_sec: r,
                    avg_bytes_per_sec: r / 3,
                    block_align: a[1] / 2,
                    bits_per_sample: a[0] / 3,
                    extra
                }
                .to_bytes()
            )),
            (proptest::collection::vec(any::<u8>(), 88..120), any::<bool>()).prop_map(|(mut f, fix)| {
                if fix {
                    let extra = (f.len() - 88) as u32;
                    let c = u32::from_le_bytes([f[64], f[65], f[66], f[67]]);
                    f[48..52].copy_from_slice(&VideoHeader::implied_bi_size(c, extra as usize).to_le_bytes());
                }
                (sdk::WMFORMAT_VIDEOINFO, f)
            }),
            guid().prop_map(|g| (sdk::WMFORMAT_SCRIPT, g.to_bytes().to_vec())),
            (guid(), proptest::collection::vec(any::<u8>(), 0..40)),
        ];
        proptest::option::of((guid(), guid(), any::<[bool; 2]>(), any::<u32>(), format, any::<bool>()).prop_map(
            |(major, subtype, b, size, (ft, f), same)| MediaType {
                major_type: if same { sdk::WMMEDIATYPE_VIDEO } else { major },
                subtype,
                fixed_size_samples: b[0],
                temporal_compression: b[1],
                sample_size: size,
                format_type: ft,
                format: f,
            },
        ))
    }

    fn stream(n: u16) -> impl Strategy<Value = StreamConfigData> {
        (
            (text(8), text(8), text(8), text(8), any::<u32>(), any::<u32>(), any::<bool>()),
            (any::<i64>(), 0..=100u32, media_type()),
            (
                proptest::option::of(any::<bool>()),
                proptest::option::of(0..=100u32),
                proptest::option::of(any::<u32>()),
                proptest::option::of(any::<u32>()),
            ),
            proptest::collection::vec((guid(), any::<u16>(), proptest::collection::vec(any::<u8>(), 0..6)), 0..3),
        )
            .prop_map(move |((name, conn, lang, dc, bitrate, window, reliable), (spacing, quality, mt), vbr, exts)| {
                let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, n);
                s.name = name;
                s.connection_name = conn;
                s.language = lang;
                s.decoder_complexity = dc;
                s.bitrate = bitrate;
                s.buffer_window = window;
                s.reliable = reliable;
                s.max_key_frame_spacing = spacing;
                s.quality = quality;
                s.media_type = mt;
                s.vbr = VbrSettings { enabled: vbr.0, quality: vbr.1, bitrate_max: vbr.2, buffer_window_max: vbr.3 };
                for (id, size, info) in exts {
                    s.add_data_unit_extension(DataUnitExtension { system_id: id, data_size: size, info });
                }
                s
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn random_profiles_round_trip(
            name in text(20), desc in text(20), v in 0..4usize, sf in 0..2u32,
            streams in proptest::collection::vec(stream(1), 0..4),
            mtype in guid(), mname in text(6), rname in text(6), btype in guid(), brate in any::<u32>(), bwin in any::<u32>(),
            prio in proptest::option::of(any::<bool>()),
        ) {
            let mut p = ProfileData::new(WMT_VERSIONS[v]);
            p.name = name;
            p.description = desc;
            p.storage_format = sf;
            for (i, mut s) in streams.into_iter().enumerate() {
                s.number = (i * 17 % 63 + 1) as u16;
                p.streams.push(s);
            }
            let nums: Vec<u16> = p.streams.iter().map(|s| s.number).collect();
            p.mutual_exclusions.push(MutualExclusionData {
                mutex_type: mtype,
                streams: StreamList(nums.clone()),
                name: mname,
                records: vec![MutexRecord { name: rname, streams: StreamList(nums.iter().rev().copied().collect()) }],
            });
            p.bandwidth_sharings.push(BandwidthSharingData { sharing_type: btype, bitrate: brate, buffer_window: bwin, streams: StreamList(nums.clone()) });
            p.stream_prioritization = prio.map(|m| StreamPrioritizationData { records: nums.iter().map(|n| PriorityRecord { number: *n, mandatory: m }).collect() });
            let s1 = save(&p);
            let q = load(&s1).map_err(|e| TestCaseError::fail(format!("{}\n{s1}", e.message)))?;
            prop_assert_eq!(&p, &q);
            prop_assert_eq!(save(&q), s1);
        }
    }
}
