//! The structural checks of the reader tests, over the library's one ASF reader
//! (`wmwriter::reader`, which shares no code with the writer's byte layout): every
//! object size and count exact (the reader's warnings must be empty), the packet and
//! index rules the writer promises, and the fields the tests compare with what the
//! independent readers (ffprobe, GStreamer, mutagen, exiftool) report.

use wmwriter::reader::{self, AsfFile};

pub type GuidBytes = [u8; 16];

/// Text GUID → on-disk bytes (Data1..3 little-endian, Data4 as written).
pub fn guid(text: &str) -> GuidBytes {
    wmwriter::guid::Guid::parse(text).unwrap_or_else(|| panic!("bad GUID text {text}")).to_bytes()
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
    /// The Simple Index Objects, in file order.
    pub simple_indexes: Vec<reader::SimpleIndex>,
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
    pub fn check_simple_indexes(&self, _b: &[u8]) {
        let mut video: Vec<u16> = self.streams.iter().filter(|s| s.stream_type == video_media()).map(|s| s.number).collect();
        video.sort();
        if self.props.flags & 2 != 0 {
            assert_eq!(self.simple_indexes.len(), video.len(), "seekable: one Simple Index per video stream");
        }
        for (t, stream) in self.simple_indexes.iter().zip(&video) {
            let (interval, n) = (t.interval, t.entries.len() as u64);
            assert!(interval > 0, "Simple Index interval 0");
            assert!(
                n * interval >= self.props.play_duration,
                "Simple Index ({n} × {interval}) does not cover the play duration {}",
                self.props.play_duration
            );
            let keys = self.key_objects(*stream as u8);
            assert!(!keys.is_empty(), "indexed stream {stream} has no key frame");
            for (i, (pn, pc)) in t.entries.iter().enumerate() {
                let t_ms = (i as u64 * interval / 10_000) as u32;
                let k = keys.iter().rev().find(|k| k.0 <= t_ms).unwrap_or(&keys[0]);
                assert_eq!(
                    (*pn as usize, *pc as usize),
                    (k.1, k.2 - k.1 + 1),
                    "Simple Index of stream {stream}, entry {i} ({t_ms} ms): (packet, count)"
                );
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

fn obj(o: &reader::Object) -> Obj {
    Obj { id: o.guid.to_bytes(), offset: o.offset as usize, size: o.size as usize }
}

/// The reader's result for `b`; panics when the file is not ASF or the reader found
/// anything that does not follow the format.
fn read_strict(b: &[u8]) -> AsfFile {
    let f = reader::read(b).unwrap_or_else(|e| panic!("the reader rejects the file: {e}"));
    assert!(f.warnings.is_empty(), "the reader found problems: {:#?}", f.warnings);
    f
}

/// Walk the Header Object only (count and sizes exact, File Properties, Stream
/// Properties, Header Extension children); the data fields of the result are empty.
pub fn walk_header(b: &[u8]) -> Layout {
    assert!(b.len() >= 30 + 50, "file is only {} bytes", b.len());
    let f = reader::read(b).unwrap_or_else(|e| panic!("the reader rejects the file: {e}"));
    // A header-only buffer has no packets: only the header's own findings count.
    let header_warnings: Vec<&String> = f
        .warnings
        .iter()
        .filter(|w| !w.contains("File Properties says") && !w.contains("Data Object") && !w.contains("after the"))
        .collect();
    assert!(header_warnings.is_empty(), "the reader found problems in the header: {header_warnings:#?}");
    header_layout(&f)
}

fn header_layout(f: &AsfFile) -> Layout {
    assert_eq!(f.header_reserved, [1, 2], "Header Object reserved bytes");
    let header_size = f.header_size as usize;
    let children: Vec<Obj> = f.objects.iter().map(obj).collect();
    assert_eq!(f.header_count as usize, children.len(), "Number of Header Objects differs from the children found by size");
    let fp: Vec<&Obj> = children.iter().filter(|c| c.id == file_properties()).collect();
    assert_eq!(fp.len(), 1, "exactly one File Properties Object");
    let fpo = fp[0].offset;
    let p = f.props.clone().expect("File Properties");
    let props = FileProps {
        file_id: p.file_id.to_bytes(),
        file_size: p.file_size,
        creation_date: p.creation_date,
        data_packets: p.data_packets,
        play_duration: p.play_duration,
        send_duration: p.send_duration,
        preroll_ms: p.preroll_ms,
        flags: p.flags,
        min_packet: p.min_packet_size,
        max_packet: p.max_packet_size,
        max_bitrate: p.max_bitrate,
    };
    assert_eq!(props.min_packet, props.max_packet, "min packet size != max packet size");
    assert!(props.max_packet >= 100, "packet size {}", props.max_packet);
    assert_ne!(props.max_bitrate, 0, "Maximum Bitrate is 0");
    assert_eq!(props.flags & !3, 0, "reserved File Properties flag bits set");
    for c in children.iter().filter(|c| c.id == stream_properties()) {
        assert!(c.offset > fpo, "a Stream Properties Object precedes File Properties");
    }
    let mut streams: Vec<StreamProps> = Vec::new();
    for s in f.streams.iter().filter(|s| !s.hidden) {
        let sp = StreamProps {
            stream_type: s.type_guid.to_bytes(),
            ec_type: s.error_correction.to_bytes(),
            number: s.number,
            type_specific: s.type_specific.clone(),
            ec_data: s.ec_data.clone(),
        };
        let tsd = sp.type_specific.len();
        let le16 = |b: &[u8], o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
        if sp.stream_type == audio_media() {
            assert!(tsd >= 18, "audio type-specific data {tsd} < 18");
            assert_eq!(18 + le16(&sp.type_specific, 16) as usize, tsd, "WAVEFORMATEX cbSize does not match the length");
        } else if sp.stream_type == video_media() {
            assert!(tsd >= 51, "video type-specific data {tsd} < 51");
            let fds = le16(&sp.type_specific, 9) as usize;
            assert_eq!(11 + fds, tsd, "video Format Data Size does not match the length");
            assert_eq!(u32::from_le_bytes(sp.type_specific[11..15].try_into().unwrap()) as usize, fds, "biSize != Format Data Size");
        }
        if sp.ec_type == audio_spread() {
            assert_eq!(sp.ec_data.len(), 8, "audio spread data length");
            assert_eq!(sp.ec_data[0], 1, "audio spread span must be 1");
        } else {
            assert_eq!(sp.ec_type, no_error_correction(), "unknown error correction type");
            assert!(sp.ec_data.is_empty());
        }
        assert!(!streams.iter().any(|s| s.number == sp.number), "stream number {} twice", sp.number);
        streams.push(sp);
    }
    assert!(!streams.is_empty(), "no Stream Properties Object");
    let ext: Vec<&reader::Object> = f.objects.iter().filter(|c| c.name == "Header Extension").collect();
    assert_eq!(ext.len(), 1, "exactly one Header Extension Object");
    let extension_children: Vec<Obj> = ext[0].children.iter().map(obj).collect();
    Layout {
        header_size,
        header_count: f.header_count,
        children,
        esp: f
            .ext_streams
            .iter()
            .map(|e| ExtStreamProps {
                stream: e.stream,
                data_bitrate: e.data_bitrate,
                buffer_size_ms: e.buffer_size_ms,
                max_object_size: e.max_object_size,
                flags: e.flags,
                avg_time_per_frame: e.avg_time_per_frame,
                language_index: e.language_index,
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
        simple_indexes: Vec::new(),
    }
}

/// Walk the whole file: header children (count and sizes exact), Header Extension
/// children, Data Object, every data packet and payload, and trailing index objects up
/// to the exact end of the file. Panics with a description on any inconsistency.
pub fn walk(b: &[u8]) -> Layout {
    let f = read_strict(b);
    let mut l = header_layout(&f);
    let d = f.data.clone().expect("a Data Object follows the Header Object");
    assert_eq!(d.offset as usize, l.header_size, "the Data Object does not follow the Header Object");
    assert_eq!(d.file_id.to_bytes(), l.props.file_id, "Data Object File ID != File Properties File ID");
    assert_eq!(d.reserved, 0x0101, "Data Object reserved field");
    let ps = l.props.max_packet as usize;
    let broadcast = l.props.flags & 1 != 0;
    let data_object_size = d.size_field;
    let packet_bytes = if broadcast {
        // Live / non-seekable: no sizes known, the packets run to the end of the stream.
        assert_eq!(l.props.file_size, 0, "broadcast: File Size must be 0");
        assert_eq!(l.props.data_packets, 0, "broadcast: Data Packets Count must be 0");
        assert!(data_object_size == 50 || data_object_size == 0, "broadcast: Data Object size {data_object_size}");
        assert_eq!(d.total_packets, 0, "broadcast: Total Data Packets must be 0");
        let rest = b.len() - l.header_size - 50;
        assert_eq!(rest % ps, 0, "broadcast stream: {rest} bytes after the Data Object prefix are not whole {ps}-byte packets");
        rest
    } else {
        assert_eq!(l.props.file_size, b.len() as u64, "File Size field != real file size");
        assert_eq!(d.total_packets, l.props.data_packets, "Data Object packet count != File Properties count");
        assert_eq!(data_object_size, 50 + l.props.data_packets * ps as u64, "Data Object size != 50 + packets × packet size");
        for t in &f.index_objects {
            assert!(
                t.name == "Simple Index" || t.name == "Index" || t.name == "Media Object Index" || t.name == "Timecode Index",
                "unknown object after the Data Object"
            );
        }
        for t in &f.simple_indexes {
            assert_eq!(t.file_id.to_bytes(), l.props.file_id, "Simple Index File ID");
            let mut seen_max = 0;
            for (i, (pn, pc)) in t.entries.iter().enumerate() {
                assert!((*pn as u64) < l.props.data_packets, "Simple Index entry {i} points at packet {pn} ≥ {}", l.props.data_packets);
                assert!(*pc >= 1, "Simple Index entry {i} has packet count 0");
                seen_max = seen_max.max(*pc as u32);
            }
            assert_eq!(t.max_packet_count, seen_max, "Simple Index Maximum Packet Count");
        }
        data_object_size as usize - 50
    };
    let base = l.header_size + 50;
    let packets = reader::parse_packets(&b[base..base + packet_bytes], ps).unwrap_or_else(|e| panic!("data packets: {e}"));
    l.payloads = check_packets(&packets, base, ps, &l.streams, l.props.preroll_ms as u32);
    // An audio object split across packets starts a packet: a writer closes a packet
    // that already holds payloads rather than splitting audio (WMP; VLC/FFmpeg do too).
    for (i, p) in l.payloads.iter().enumerate() {
        // Uncompressed audio (WAVE_FORMAT_PCM, _IEEE_FLOAT, _EXTENSIBLE) may be split
        // like video: any run of its bytes decodes.
        let audio = l.streams.iter().any(|s| {
            let tag = s.type_specific.get(..2).map_or(0, |t| u16::from_le_bytes([t[0], t[1]]));
            s.number == p.stream as u16 && s.stream_type == audio_media() && !matches!(tag, 1 | 3 | 0xFFFE)
        });
        let split = p.offset == 0 && (p.data.end - p.data.start) < p.object_size as usize;
        if audio && split {
            assert!(i == 0 || l.payloads[i - 1].packet != p.packet, "packet {}: an audio object is split after other payloads", p.packet);
        }
    }
    l.data_object_size = data_object_size;
    l.data_total_packets = d.total_packets;
    l.packet_bytes = packet_bytes;
    l.trailing = f.index_objects.iter().map(obj).collect();
    l.simple_indexes = f.simple_indexes.clone();
    l
}

/// The packet rules of the writer over the reader's packets; payload data ranges become
/// absolute file offsets (`base` + …).
fn check_packets(packets: &[reader::Packet], base: usize, ps: usize, streams: &[StreamProps], preroll: u32) -> Vec<Payload> {
    let mut out = Vec::new();
    let mut last_send = 0u32;
    for pk in packets {
        let n = pk.index;
        if !pk.error_correction.is_empty() {
            assert_eq!(pk.error_correction, [0x82, 0, 0], "packet {n}: error-correction bytes are not 82 00 00");
        }
        assert!(pk.packet_length == 0 || pk.packet_length as usize == ps, "packet {n}: explicit length {} != {ps}", pk.packet_length);
        assert!(pk.send_ms >= last_send, "packet {n}: send time {} < previous {last_send}", pk.send_ms);
        last_send = pk.send_ms;
        if let Some(f) = pk.payload_flags {
            assert_eq!(f >> 6, 2, "packet {n}: payload length type is not WORD");
        }
        assert!(!pk.payloads.is_empty(), "packet {n}: no payloads");
        for (i, p) in pk.payloads.iter().enumerate() {
            assert!(streams.iter().any(|s| s.number == p.stream as u16), "packet {n}: payload for unknown stream {}", p.stream);
            assert!(
                p.replicated.len() >= 8 || (p.replicated.len() == 1 && p.compressed.is_some()),
                "packet {n} payload {i}: replicated data length {} (neither ≥ 8 nor a compressed payload's 1)",
                p.replicated.len()
            );
            assert!(!p.data.is_empty(), "packet {n} payload {i}: empty payload");
            if let Some(subs) = &p.compressed {
                // A compressed payload: whole objects at first + j × delta ms.
                let delta = p.replicated[0] as u32;
                assert!(!subs.is_empty(), "packet {n} payload {i}: a compressed payload without objects");
                for (j, r) in subs.iter().enumerate() {
                    assert!(!r.is_empty(), "packet {n} payload {i}: empty sub-payload {j}");
                    let pt = p.pt_ms + delta * j as u32;
                    assert!(pt >= preroll && pt >= pk.send_ms, "packet {n}: sub-payload PT {pt} below the preroll or the send time");
                    out.push(Payload {
                        packet: n,
                        stream: p.stream,
                        key: p.key,
                        object_number: (p.object_number + j as u32) & 0xFF,
                        offset: 0,
                        object_size: r.len() as u32,
                        pt_ms: pt,
                        data: base + r.start..base + r.end,
                    });
                }
                continue;
            }
            // PT includes the preroll (the first object has PT = preroll); the send time
            // must not be later than the PT of anything in the packet.
            assert!(p.pt_ms >= preroll, "packet {n}: payload PT {} below the preroll {preroll}", p.pt_ms);
            assert!(p.pt_ms >= pk.send_ms, "packet {n}: payload PT {} before the packet send time {}", p.pt_ms, pk.send_ms);
            out.push(Payload {
                packet: n,
                stream: p.stream,
                key: p.key,
                object_number: p.object_number,
                offset: p.offset,
                object_size: p.object_size,
                pt_ms: p.pt_ms,
                data: base + p.data.start..base + p.data.end,
            });
        }
    }
    out
}

/// UTF-16LE, NUL-terminated.
pub fn wstr(s: &str) -> Vec<u8> {
    s.encode_utf16().chain(std::iter::once(0)).flat_map(|u| u.to_le_bytes()).collect()
}
