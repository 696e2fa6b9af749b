//! An independent, minimal ASF walker written from the format reference (not from the
//! library): it checks that every object size and count is exact and returns the
//! fields the tests compare with what the readers report.

pub type GuidBytes = [u8; 16];

/// Text GUID → on-disk bytes (Data1..3 little-endian, Data4 as written).
pub fn guid(text: &str) -> GuidBytes {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    assert_eq!(hex.len(), 32, "bad GUID text {text}");
    let b: Vec<u8> = (0..16).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    [b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]]
}

pub fn header_object() -> GuidBytes {
    guid("75B22630-668E-11CF-A6D9-00AA0062CE6C")
}
pub fn data_object() -> GuidBytes {
    guid("75B22636-668E-11CF-A6D9-00AA0062CE6C")
}
pub fn simple_index_object() -> GuidBytes {
    guid("33000890-E5B1-11CF-89F4-00A0C90349CB")
}
pub fn index_object() -> GuidBytes {
    guid("D6E229D3-35DA-11D1-9034-00A0C90349BE")
}
pub fn file_properties() -> GuidBytes {
    guid("8CABDCA1-A947-11CF-8EE4-00C00C205365")
}
pub fn stream_properties() -> GuidBytes {
    guid("B7DC0791-A9B7-11CF-8EE6-00C00C205365")
}
pub fn header_extension() -> GuidBytes {
    guid("5FBF03B5-A92E-11CF-8EE3-00C00C205365")
}
pub fn codec_list() -> GuidBytes {
    guid("86D15240-311D-11D0-A3A4-00A0C90348F6")
}
pub fn content_description() -> GuidBytes {
    guid("75B22633-668E-11CF-A6D9-00AA0062CE6C")
}
pub fn ext_content_description() -> GuidBytes {
    guid("D2D0A440-E307-11D2-97F0-00A0C95EA850")
}
pub fn stream_bitrate_properties() -> GuidBytes {
    guid("7BF875CE-468D-11D1-8D82-006097C9A2B2")
}
pub fn padding_object() -> GuidBytes {
    guid("1806D474-CADF-4509-A4BA-9AABCB96AAE8")
}
pub fn ext_stream_properties() -> GuidBytes {
    guid("14E6A5CB-C672-4332-8399-A96952065B5A")
}
pub fn language_list() -> GuidBytes {
    guid("7C4346A9-EFE0-4BFC-B229-393EDE415C85")
}
pub fn metadata_object() -> GuidBytes {
    guid("C5F8CBEA-5BAF-4877-8467-AA8C44FA4CCA")
}
pub fn metadata_library() -> GuidBytes {
    guid("44231C94-9498-49D1-A141-1D134E457054")
}
pub fn reserved_1() -> GuidBytes {
    guid("ABD3D211-A9BA-11CF-8EE6-00C00C205365")
}
pub fn reserved_2() -> GuidBytes {
    guid("86D15241-311D-11D0-A3A4-00A0C90348F6")
}
pub fn audio_media() -> GuidBytes {
    guid("F8699E40-5B4D-11CF-A8FD-00805F5C442B")
}
pub fn video_media() -> GuidBytes {
    guid("BC19EFC0-5B4D-11CF-A8FD-00805F5C442B")
}
pub fn command_media() -> GuidBytes {
    guid("59DACFC0-59E6-11D0-A3AC-00A0C90348F6")
}
pub fn audio_spread() -> GuidBytes {
    guid("BFC3CD50-618F-11CF-8BB2-00AA00B4E220")
}
pub fn no_error_correction() -> GuidBytes {
    guid("20FB5700-5B55-11CF-A8FD-00805F5C442B")
}

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes(b[o..o + 2].try_into().unwrap())
}
fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().unwrap())
}
fn u64_at(b: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(b[o..o + 8].try_into().unwrap())
}
fn guid_at(b: &[u8], o: usize) -> GuidBytes {
    b[o..o + 16].try_into().unwrap()
}

/// One object found by walking sizes.
#[derive(Clone, Debug)]
pub struct Obj {
    pub id: GuidBytes,
    pub offset: usize,
    pub size: usize,
}

/// File Properties fields.
#[derive(Clone, Debug, Default)]
pub struct FileProps {
    pub file_id: GuidBytes,
    pub file_size: u64,
    pub creation_date: u64,
    pub data_packets: u64,
    pub play_duration: u64,
    pub send_duration: u64,
    pub preroll_ms: u64,
    pub flags: u32,
    pub min_packet: u32,
    pub max_packet: u32,
    pub max_bitrate: u32,
}

/// One Stream Properties object.
#[derive(Clone, Debug)]
pub struct StreamProps {
    pub stream_type: GuidBytes,
    pub ec_type: GuidBytes,
    pub number: u16,
    pub type_specific: Vec<u8>,
    pub ec_data: Vec<u8>,
}

/// The Extended Stream Properties fields the tests compare.
#[derive(Clone, Debug)]
pub struct ExtStreamProps {
    pub stream: u16,
    pub data_bitrate: u32,
    pub buffer_size_ms: u32,
    pub max_object_size: u32,
    pub flags: u32,
    pub avg_time_per_frame: u64,
    pub language_index: u16,
}

/// One payload of a data packet.
#[derive(Clone, Debug)]
pub struct Payload {
    pub packet: usize,
    pub stream: u8,
    pub key: bool,
    pub object_number: u32,
    pub offset: u32,
    pub object_size: u32,
    pub pt_ms: u32,
    pub data: std::ops::Range<usize>,
}

/// Everything [`walk`] found.
#[derive(Clone, Debug)]
pub struct Layout {
    pub header_size: usize,
    pub header_count: u32,
    pub children: Vec<Obj>,
    pub extension_children: Vec<Obj>,
    pub esp: Vec<ExtStreamProps>,
    pub props: FileProps,
    pub streams: Vec<StreamProps>,
    pub data_offset: usize,
    pub data_object_size: u64,
    pub data_total_packets: u64,
    /// Bytes of data packets actually present.
    pub packet_bytes: usize,
    pub trailing: Vec<Obj>,
    pub payloads: Vec<Payload>,
}

impl Layout {
    pub fn broadcast(&self) -> bool {
        self.props.flags & 1 != 0
    }
    pub fn stream(&self, number: u16) -> &StreamProps {
        self.streams.iter().find(|s| s.number == number).unwrap_or_else(|| panic!("no Stream Properties for stream {number}"))
    }
    /// Key-frame objects of `stream`: (pt ms, first packet, last packet), file order.
    pub fn key_objects(&self, stream: u8) -> Vec<(u32, usize, usize)> {
        let mut v: Vec<(u32, usize, usize)> = Vec::new();
        for p in self.payloads.iter().filter(|p| p.stream == stream && p.key) {
            if p.offset == 0 {
                v.push((p.pt_ms, p.packet, p.packet));
            } else if let Some(last) = v.last_mut() {
                last.2 = p.packet;
            }
        }
        v
    }

    /// Simple Index semantics (asf-format.md §5.1): one per video stream in ascending
    /// stream order; entry i (time i × interval on the presentation timeline, preroll
    /// included) = the packet where the last key frame at or before it starts (the
    /// first key frame before that) and the number of packets it spans; the entries
    /// cover the whole play duration.
    pub fn check_simple_indexes(&self, b: &[u8]) {
        let mut video: Vec<u16> = self.streams.iter().filter(|s| s.stream_type == video_media()).map(|s| s.number).collect();
        video.sort();
        let idx: Vec<&Obj> = self.trailing.iter().filter(|t| t.id == simple_index_object()).collect();
        if self.props.flags & 2 != 0 {
            assert_eq!(idx.len(), video.len(), "seekable: one Simple Index per video stream");
        }
        for (t, stream) in idx.iter().zip(&video) {
            let interval = u64_at(b, t.offset + 40);
            let n = u32_at(b, t.offset + 52) as u64;
            assert!(interval > 0, "Simple Index interval 0");
            assert!(
                n * interval >= self.props.play_duration,
                "Simple Index ({n} × {interval}) does not cover the play duration {}",
                self.props.play_duration
            );
            let keys = self.key_objects(*stream as u8);
            assert!(!keys.is_empty(), "indexed stream {stream} has no key frame");
            for i in 0..n {
                let t_ms = (i * interval / 10_000) as u32;
                let k = keys.iter().rev().find(|k| k.0 <= t_ms).unwrap_or(&keys[0]);
                let e = t.offset + 56 + 6 * i as usize;
                let (pn, pc) = (u32_at(b, e) as usize, u16_at(b, e + 4) as usize);
                assert_eq!((pn, pc), (k.1, k.2 - k.1 + 1), "Simple Index of stream {stream}, entry {i} ({t_ms} ms): (packet, count)");
            }
        }
    }

    /// Whole media objects of one stream reassembled from payload fragments, in file
    /// order: (pt ms, key, bytes).
    pub fn objects(&self, file: &[u8], stream: u8) -> Vec<(u32, bool, Vec<u8>)> {
        let mut out: Vec<(u32, bool, Vec<u8>)> = Vec::new();
        let mut cur: Option<(u32, u32, bool, Vec<u8>, u32)> = None; // (mo, pt, key, bytes, size)
        for p in self.payloads.iter().filter(|p| p.stream == stream) {
            if p.offset == 0 {
                if let Some((mo, _, _, b, size)) = &cur {
                    panic!("stream {stream}: object {mo} ended after {} of {size} bytes", b.len());
                }
                cur = Some((p.object_number, p.pt_ms, p.key, Vec::new(), p.object_size));
            }
            let (mo, pt, key, bytes, size) = cur.as_mut().unwrap_or_else(|| panic!("stream {stream}: fragment without a start"));
            assert_eq!(*mo, p.object_number, "stream {stream}: fragment of another object");
            assert_eq!(*pt, p.pt_ms, "stream {stream}: fragments disagree on the presentation time");
            assert_eq!(*size, p.object_size, "stream {stream}: fragments disagree on the object size");
            assert_eq!(*key, p.key, "stream {stream}: key-frame bit differs between fragments of object {mo}");
            assert_eq!(bytes.len() as u32, p.offset, "stream {stream}: fragment offset gap");
            bytes.extend_from_slice(&file[p.data.clone()]);
            if bytes.len() as u32 == *size {
                let (_, pt, key, bytes, _) = cur.take().unwrap();
                out.push((pt, key, bytes));
            } else {
                assert!((bytes.len() as u32) < *size, "stream {stream}: object overflows its size");
            }
        }
        assert!(cur.is_none(), "stream {stream}: the last object is incomplete");
        out
    }
}

fn walk_children(b: &[u8], start: usize, end: usize, what: &str) -> Vec<Obj> {
    let mut v = Vec::new();
    let mut o = start;
    while o < end {
        assert!(o + 24 <= end, "{what}: {} stray bytes at {o} (not an object)", end - o);
        let size = u64_at(b, o + 16) as usize;
        assert!(size >= 24, "{what}: object at {o} has size {size} < 24");
        assert!(o + size <= end, "{what}: object at {o} (size {size}) runs past the end {end}");
        v.push(Obj { id: guid_at(b, o), offset: o, size });
        o += size;
    }
    assert_eq!(o, end, "{what}: children do not end exactly at the parent's end");
    v
}

fn check_header_child(b: &[u8], c: &Obj) {
    let o = c.offset;
    let body = &b[o..o + c.size];
    if c.id == codec_list() {
        assert_eq!(guid_at(body, 24), reserved_2(), "Codec List reserved GUID");
        let n = u32_at(body, 40);
        let mut p = 44;
        for i in 0..n {
            assert!(p + 4 <= body.len(), "Codec List entry {i} past the end");
            p += 2;
            let name = u16_at(body, p) as usize * 2;
            p += 2 + name;
            let desc = u16_at(body, p) as usize * 2;
            p += 2 + desc;
            let info = u16_at(body, p) as usize;
            p += 2 + info;
            assert!(p <= body.len(), "Codec List entry {i} past the end");
        }
        assert_eq!(p, body.len(), "Codec List: entries do not fill the object exactly");
    } else if c.id == content_description() {
        let total: usize = (0..5).map(|i| u16_at(body, 24 + 2 * i) as usize).sum();
        assert_eq!(34 + total, c.size, "Content Description size");
    } else if c.id == ext_content_description() {
        let n = u16_at(body, 24);
        let mut p = 26;
        for _ in 0..n {
            let name = u16_at(body, p) as usize;
            assert!(name % 2 == 0, "ECD name length is odd");
            p += 2 + name + 2;
            let vlen = u16_at(body, p) as usize;
            p += 2 + vlen;
            assert!(p <= body.len(), "ECD past the end");
        }
        assert_eq!(p, body.len(), "Extended Content Description: descriptors do not fill the object");
    } else if c.id == stream_bitrate_properties() {
        let n = u16_at(body, 24) as usize;
        assert_eq!(26 + 6 * n, c.size, "Stream Bitrate Properties size");
    } else if c.id == file_properties() {
        assert_eq!(c.size, 104, "File Properties size");
    }
}

fn check_extension_child(b: &[u8], c: &Obj) {
    let body = &b[c.offset..c.offset + c.size];
    if c.id == ext_stream_properties() {
        assert!(c.size >= 88, "ESP too small");
        let names = u16_at(body, 84);
        let systems = u16_at(body, 86);
        let mut p = 88;
        for _ in 0..names {
            p += 2;
            let len = u16_at(body, p) as usize;
            p += 2 + len;
        }
        for _ in 0..systems {
            p += 16 + 2;
            let len = u32_at(body, p) as usize;
            p += 4 + len;
        }
        assert!(p <= body.len(), "ESP: names / extension systems run past the end");
        if p < body.len() {
            // Embedded Stream Properties Object.
            assert_eq!(guid_at(body, p), stream_properties(), "ESP: trailing bytes are not a Stream Properties Object");
            assert_eq!(u64_at(body, p + 16) as usize, body.len() - p, "ESP: embedded SPO size");
        }
    } else if c.id == language_list() {
        let n = u16_at(body, 24);
        let mut p = 26;
        for _ in 0..n {
            p += 1 + body[p] as usize;
        }
        assert_eq!(p, body.len(), "Language List size");
    } else if c.id == metadata_object() || c.id == metadata_library() {
        let n = u16_at(body, 24);
        let mut p = 26;
        for _ in 0..n {
            let name = u16_at(body, p + 4) as usize;
            let data = u32_at(body, p + 8) as usize;
            p += 12 + name + data;
            assert!(p <= body.len(), "metadata record past the end");
        }
        assert_eq!(p, body.len(), "Metadata object size");
    }
}

/// Walk the Header Object only (count and sizes exact, File Properties, Stream
/// Properties, Header Extension children); the data fields of the result are empty.
pub fn walk_header(b: &[u8]) -> Layout {
    assert!(b.len() >= 30 + 50, "file is only {} bytes", b.len());
    assert_eq!(guid_at(b, 0), header_object(), "first 16 bytes are not the Header Object GUID");
    let header_size = u64_at(b, 16) as usize;
    let header_count = u32_at(b, 24);
    assert_eq!((b[28], b[29]), (1, 2), "Header Object reserved bytes");
    assert!(header_size + 50 <= b.len(), "header size {header_size} leaves no room for the Data Object");
    let children = walk_children(b, 30, header_size, "Header Object");
    assert_eq!(
        header_count as usize,
        children.len(),
        "Number of Header Objects ({header_count}) differs from the children found by size ({})",
        children.len()
    );
    let fp: Vec<&Obj> = children.iter().filter(|c| c.id == file_properties()).collect();
    assert_eq!(fp.len(), 1, "exactly one File Properties Object");
    let fpo = fp[0].offset;
    let props = FileProps {
        file_id: guid_at(b, fpo + 24),
        file_size: u64_at(b, fpo + 40),
        creation_date: u64_at(b, fpo + 48),
        data_packets: u64_at(b, fpo + 56),
        play_duration: u64_at(b, fpo + 64),
        send_duration: u64_at(b, fpo + 72),
        preroll_ms: u64_at(b, fpo + 80),
        flags: u32_at(b, fpo + 88),
        min_packet: u32_at(b, fpo + 92),
        max_packet: u32_at(b, fpo + 96),
        max_bitrate: u32_at(b, fpo + 100),
    };
    assert_eq!(props.min_packet, props.max_packet, "min packet size != max packet size");
    assert!(props.max_packet >= 100, "packet size {}", props.max_packet);
    assert_ne!(props.max_bitrate, 0, "Maximum Bitrate is 0");
    assert_eq!(props.flags & !3, 0, "reserved File Properties flag bits set");
    let mut streams = Vec::new();
    for c in &children {
        check_header_child(b, c);
        if c.id == stream_properties() {
            assert!(c.offset > fpo, "a Stream Properties Object precedes File Properties");
            let o = c.offset;
            let tsd = u32_at(b, o + 64) as usize;
            let ecd = u32_at(b, o + 68) as usize;
            assert_eq!(c.size, 78 + tsd + ecd, "Stream Properties size != 78 + type-specific + EC data");
            let flags = u16_at(b, o + 72);
            let sp = StreamProps {
                stream_type: guid_at(b, o + 24),
                ec_type: guid_at(b, o + 40),
                number: flags & 0x7F,
                type_specific: b[o + 78..o + 78 + tsd].to_vec(),
                ec_data: b[o + 78 + tsd..o + 78 + tsd + ecd].to_vec(),
            };
            if sp.stream_type == audio_media() {
                assert!(tsd >= 18, "audio type-specific data {tsd} < 18");
                assert_eq!(18 + u16_at(&sp.type_specific, 16) as usize, tsd, "WAVEFORMATEX cbSize does not match the length");
            } else if sp.stream_type == video_media() {
                assert!(tsd >= 51, "video type-specific data {tsd} < 51");
                let fds = u16_at(&sp.type_specific, 9) as usize;
                assert_eq!(11 + fds, tsd, "video Format Data Size does not match the length");
                assert_eq!(u32_at(&sp.type_specific, 11) as usize, fds, "biSize != Format Data Size");
            }
            if sp.ec_type == audio_spread() {
                assert_eq!(ecd, 8, "audio spread data length");
                assert_eq!(sp.ec_data[0], 1, "audio spread span must be 1");
            } else {
                assert_eq!(sp.ec_type, no_error_correction(), "unknown error correction type");
                assert_eq!(ecd, 0);
            }
            assert!(!streams.iter().any(|s: &StreamProps| s.number == sp.number), "stream number {} twice", sp.number);
            streams.push(sp);
        }
    }
    assert!(!streams.is_empty(), "no Stream Properties Object");
    let ext: Vec<&Obj> = children.iter().filter(|c| c.id == header_extension()).collect();
    assert_eq!(ext.len(), 1, "exactly one Header Extension Object");
    let e = ext[0];
    assert_eq!(guid_at(b, e.offset + 24), reserved_1(), "Header Extension reserved GUID");
    assert_eq!(u16_at(b, e.offset + 40), 6, "Header Extension reserved field 2");
    let ext_data = u32_at(b, e.offset + 42) as usize;
    assert_eq!(46 + ext_data, e.size, "Header Extension data size != object size − 46");
    let extension_children = walk_children(b, e.offset + 46, e.offset + e.size, "Header Extension");
    for c in &extension_children {
        check_extension_child(b, c);
    }

    Layout {
        header_size,
        header_count,
        children,
        esp: extension_children
            .iter()
            .filter(|c| c.id == ext_stream_properties())
            .map(|c| {
                let o = c.offset;
                ExtStreamProps {
                    stream: u16_at(b, o + 72),
                    data_bitrate: u32_at(b, o + 40),
                    buffer_size_ms: u32_at(b, o + 44),
                    max_object_size: u32_at(b, o + 64),
                    flags: u32_at(b, o + 68),
                    avg_time_per_frame: u64_at(b, o + 76),
                    language_index: u16_at(b, o + 74),
                }
            })
            .collect(),
        extension_children,
        props,
        streams,
        data_offset: header_size,
        data_object_size: 0,
        data_total_packets: 0,
        packet_bytes: 0,
        trailing: Vec::new(),
        payloads: Vec::new(),
    }
}

/// Walk the whole file: header children (count and sizes exact), Header Extension
/// children, Data Object, every data packet and payload, and trailing index objects up
/// to the exact end of the file. Panics with a description on any inconsistency.
pub fn walk(b: &[u8]) -> Layout {
    let h = walk_header(b);
    let Layout { header_size, header_count, children, extension_children, esp, props, streams, .. } = h;
    // Data Object.
    let d = header_size;
    assert_eq!(guid_at(b, d), data_object(), "the Data Object does not follow the Header Object");
    let data_object_size = u64_at(b, d + 16);
    assert_eq!(guid_at(b, d + 24), props.file_id, "Data Object File ID != File Properties File ID");
    let data_total_packets = u64_at(b, d + 40);
    assert_eq!(u16_at(b, d + 48), 0x0101, "Data Object reserved field");
    let ps = props.max_packet as usize;
    let broadcast = props.flags & 1 != 0;
    let (packet_bytes, trailing) = if broadcast {
        // Live / non-seekable: no sizes known, the packets run to the end of the stream.
        assert_eq!(props.file_size, 0, "broadcast: File Size must be 0");
        assert_eq!(props.data_packets, 0, "broadcast: Data Packets Count must be 0");
        assert!(data_object_size == 50 || data_object_size == 0, "broadcast: Data Object size {data_object_size}");
        assert_eq!(data_total_packets, 0, "broadcast: Total Data Packets must be 0");
        let rest = b.len() - d - 50;
        assert_eq!(rest % ps, 0, "broadcast stream: {rest} bytes after the Data Object prefix are not whole {ps}-byte packets");
        (rest, Vec::new())
    } else {
        assert_eq!(props.file_size, b.len() as u64, "File Size field != real file size");
        assert_eq!(data_total_packets, props.data_packets, "Data Object packet count != File Properties count");
        assert_eq!(data_object_size, 50 + props.data_packets * ps as u64, "Data Object size != 50 + packets × packet size");
        let end = d + data_object_size as usize;
        assert!(end <= b.len(), "Data Object runs past the end of the file");
        let trailing = walk_children(b, end, b.len(), "after the Data Object");
        for t in &trailing {
            assert!(t.id == simple_index_object() || t.id == index_object(), "unknown object after the Data Object");
            if t.id == simple_index_object() {
                let n = u32_at(b, t.offset + 52) as usize;
                assert_eq!(t.size, 56 + 6 * n, "Simple Index size != 56 + 6 × entries");
                assert_eq!(guid_at(b, t.offset + 24), props.file_id, "Simple Index File ID");
                let max_count = u32_at(b, t.offset + 48);
                let mut seen_max = 0;
                for i in 0..n {
                    let pn = u32_at(b, t.offset + 56 + 6 * i) as u64;
                    let pc = u16_at(b, t.offset + 60 + 6 * i) as u32;
                    assert!(pn < props.data_packets, "Simple Index entry {i} points at packet {pn} ≥ {}", props.data_packets);
                    assert!(pc >= 1, "Simple Index entry {i} has packet count 0");
                    seen_max = seen_max.max(pc);
                }
                assert_eq!(max_count, seen_max, "Simple Index Maximum Packet Count");
            }
        }
        (data_object_size as usize - 50, trailing)
    };
    let payloads = walk_packets(&b[d + 50..d + 50 + packet_bytes], d + 50, ps, &streams, props.preroll_ms as u32);
    // An audio object split across packets starts a packet: a writer closes a packet
    // that already holds payloads rather than splitting audio (WMP; VLC/FFmpeg do too).
    for (i, p) in payloads.iter().enumerate() {
        let audio = streams.iter().any(|s| s.number == p.stream as u16 && s.stream_type == audio_media());
        let split = p.offset == 0 && (p.data.end - p.data.start) < p.object_size as usize;
        if audio && split {
            assert!(i == 0 || payloads[i - 1].packet != p.packet, "packet {}: an audio object is split after other payloads", p.packet);
        }
    }
    Layout {
        header_size,
        header_count,
        children,
        extension_children,
        esp,
        props,
        streams,
        data_offset: d,
        data_object_size,
        data_total_packets,
        packet_bytes,
        trailing,
        payloads,
    }
}

fn read_len(b: &[u8], p: &mut usize, ty: u8) -> u32 {
    let v = match ty & 3 {
        0 => 0,
        1 => b[*p] as u32,
        2 => u16_at(b, *p) as u32,
        _ => u32_at(b, *p),
    };
    *p += [0, 1, 2, 4][(ty & 3) as usize];
    v
}

/// Parse every packet; payload data ranges are absolute file offsets (`base` + …).
fn walk_packets(data: &[u8], base: usize, ps: usize, streams: &[StreamProps], preroll: u32) -> Vec<Payload> {
    let mut out = Vec::new();
    let mut last_send = 0u32;
    for (n, pk) in data.chunks(ps).enumerate() {
        let mut p = 0;
        if pk[0] & 0x80 != 0 {
            assert_eq!(&pk[..3], &[0x82, 0, 0], "packet {n}: error-correction bytes are not 82 00 00");
            p = 3;
        }
        let ltf = pk[p];
        let prop = pk[p + 1];
        p += 2;
        assert_eq!(ltf & 0x80, 0, "packet {n}: EC bit in length type flags");
        let packet_len = read_len(pk, &mut p, ltf >> 5);
        assert!(packet_len == 0 || packet_len as usize == ps, "packet {n}: explicit length {packet_len} != {ps}");
        let _seq = read_len(pk, &mut p, ltf >> 1);
        let padding = read_len(pk, &mut p, ltf >> 3) as usize;
        let send = u32_at(pk, p);
        p += 6;
        assert!(send >= last_send, "packet {n}: send time {send} < previous {last_send}");
        last_send = send;
        let end = ps - padding;
        assert!(p <= end, "packet {n}: padding {padding} overlaps the header");
        assert!(pk[end..].iter().all(|x| *x == 0), "packet {n}: padding bytes are not zero");
        let multiple = ltf & 1 != 0;
        let count = if multiple {
            let f = pk[p];
            p += 1;
            assert_eq!(f >> 6, 2, "packet {n}: payload length type is not WORD");
            (f & 0x3F) as usize
        } else {
            1
        };
        assert!(count >= 1, "packet {n}: no payloads");
        for i in 0..count {
            let sn = pk[p];
            p += 1;
            let stream = sn & 0x7F;
            assert!(streams.iter().any(|s| s.number == stream as u16), "packet {n}: payload for unknown stream {stream}");
            let mo = read_len(pk, &mut p, prop >> 4);
            let off = read_len(pk, &mut p, prop >> 2);
            let rl = read_len(pk, &mut p, prop) as usize;
            assert!(rl >= 8, "packet {n} payload {i}: replicated data length {rl} (< 8; compressed payloads are not expected)");
            let object_size = u32_at(pk, p);
            let pt = u32_at(pk, p + 4);
            p += rl;
            let len = if multiple {
                let l = u16_at(pk, p) as usize;
                p += 2;
                l
            } else {
                end - p
            };
            assert!(len >= 1, "packet {n} payload {i}: empty payload");
            assert!(p + len <= end, "packet {n} payload {i}: runs past the packet's used bytes");
            // PT includes the preroll (the first object has PT = preroll); the send time
            // must not be later than the PT of anything in the packet.
            assert!(pt >= preroll, "packet {n}: payload PT {pt} below the preroll {preroll}");
            assert!(pt >= send, "packet {n}: payload PT {pt} before the packet send time {send}");
            out.push(Payload {
                packet: n,
                stream,
                key: sn & 0x80 != 0,
                object_number: mo,
                offset: off,
                object_size,
                pt_ms: pt,
                data: base + n * ps + p..base + n * ps + p + len,
            });
            p += len;
        }
        assert_eq!(p, end, "packet {n}: payloads + padding do not fill the packet exactly");
    }
    out
}

/// UTF-16LE, NUL-terminated.
pub fn wstr(s: &str) -> Vec<u8> {
    s.encode_utf16().chain(std::iter::once(0)).flat_map(|u| u.to_le_bytes()).collect()
}
