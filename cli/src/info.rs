//! `wmwrite info`: the structure of an ASF file as the library's reader
//! ([`wmwriter::reader`]) finds it (header objects, the Header Extension's children,
//! streams, tags, the Data Object and the index objects; never the packets), for humans
//! and as JSON. Anything malformed becomes a warning; only a file that is not ASF at all
//! fails.

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde_json::{json, Value as Json};
use wmwriter::reader::{self, filetime_iso, AsfFile, Format, Object, Stream, Tag, Value};

use crate::error::{bad_input, read_error, Result};

/// Everything `info` found: the reader's result and the file's name.
#[derive(Debug)]
pub struct Info {
    /// The path as given.
    pub path: String,
    /// The reader's result.
    pub file: AsfFile,
    /// With `--packets`: what the packet walk found.
    pub packets: Option<PacketCheck>,
}

/// The result of parsing every data packet.
#[derive(Debug, Default)]
pub struct PacketCheck {
    /// Packets parsed.
    pub packets: u64,
    /// Payloads in them.
    pub payloads: u64,
    /// Media objects per stream (first fragments and compressed sub-payloads).
    pub objects: std::collections::BTreeMap<u8, u64>,
    /// The first problem, if any.
    pub error: Option<String>,
}

impl Info {
    /// Parse every data packet with the reader, one packet at a time.
    pub fn check_packets(&mut self, path: &Path) -> Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        let mut c = PacketCheck::default();
        let (Some((start, len)), Some(ps)) = (self.file.packet_range(), self.file.packet_size()) else {
            c.error = Some("no Data Object or packet size".into());
            self.packets = Some(c);
            return Ok(());
        };
        let ps = ps as usize;
        let mut f = BufReader::new(File::open(path).map_err(|e| read_error(path, e))?);
        f.seek(SeekFrom::Start(start)).map_err(|e| read_error(path, e))?;
        let mut buf = vec![0u8; ps.max(1)];
        let n = if ps == 0 { 0 } else { len / ps as u64 };
        for i in 0..n {
            if let Err(e) = f.read_exact(&mut buf) {
                c.error = Some(format!("packet {i}: {e}"));
                break;
            }
            match reader::parse_packet(&buf, i as usize, 0) {
                Ok(p) => {
                    c.packets += 1;
                    c.payloads += p.payloads.len() as u64;
                    for pl in &p.payloads {
                        let k = pl.compressed.as_ref().map_or(u64::from(pl.offset == 0), |s| s.len() as u64);
                        *c.objects.entry(pl.stream).or_default() += k;
                    }
                }
                Err(e) => {
                    c.error = Some(e.0);
                    break;
                }
            }
        }
        if ps > 0 && len % ps as u64 != 0 && c.error.is_none() {
            c.error = Some(format!("the packets' {len} bytes are not whole {ps}-byte packets"));
        }
        self.packets = Some(c);
        Ok(())
    }
}

impl std::ops::Deref for Info {
    type Target = AsfFile;
    fn deref(&self) -> &AsfFile {
        &self.file
    }
}

/// Read and walk `path`.
pub fn inspect(path: &Path) -> Result<Info> {
    if path.is_dir() {
        return Err(bad_input(path, "is a directory, not an ASF file"));
    }
    let f = File::open(path).map_err(|e| read_error(path, e))?;
    let file = reader::read_from(&mut BufReader::new(f)).map_err(|e| bad_input(path, e))?;
    Ok(Info { path: path.display().to_string(), file, packets: None })
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
        Value::Bin(b) => format!("<{} bytes>", b.len()),
        Value::Bool(b) => b.to_string(),
        Value::Num(n) => n.to_string(),
        Value::Guid(g) => format!("{{{g}}}"),
    }
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::Str(s) => json!(s),
        Value::Bin(b) => json!(format!("<{} bytes>", b.len())),
        Value::Bool(b) => json!(b),
        Value::Num(n) => json!(n),
        Value::Guid(g) => json!(format!("{{{g}}}")),
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
    let mut f = serde_json::Map::new();
    f.insert("name".into(), json!(o.name));
    f.insert("guid".into(), json!(format!("{{{}}}", o.guid)));
    f.insert("offset".into(), json!(o.offset));
    f.insert("size".into(), json!(o.size));
    if let Some(n) = &o.note {
        f.insert("note".into(), json!(n));
    }
    if o.name == "Header Extension" {
        f.insert("children".into(), Json::Array(o.children.iter().map(object_json).collect()));
    }
    Json::Object(f)
}

fn stream_json(s: &Stream) -> Json {
    let mut f = json!({
        "number": s.number,
        "type": s.kind,
        "type_guid": format!("{{{}}}", s.type_guid),
        "encrypted": s.encrypted,
        "hidden": s.hidden,
        "codec": stream_codec(s),
        "bitrate": s.bitrate,
    });
    let extra = match &s.format {
        Format::Audio { tag, channels, rate, avg_bytes_per_sec, block_align, bits } => json!({
            "format_tag": tag,
            "codec_name": audio_codec(*tag),
            "channels": channels,
            "sample_rate": rate,
            "bits_per_sample": bits,
            "block_align": block_align,
            "avg_bytes_per_sec": avg_bytes_per_sec,
        }),
        Format::Video { width, height, bit_count, compression, size_image } => json!({
            "fourcc": fourcc(*compression),
            "width": width,
            "height": height,
            "bit_count": bit_count,
            "size_image": size_image,
            "avg_time_per_frame_100ns": s.avg_time_per_frame,
        }),
        Format::Other => json!({}),
    };
    if let (Some(f), Json::Object(e)) = (f.as_object_mut(), extra) {
        f.extend(e);
    }
    f
}

/// The `--json` document.
pub fn to_json(info: &Info) -> Json {
    let props = info.props.as_ref().map(|p| {
        json!({
            "file_id": format!("{{{}}}", p.file_id),
            "file_size": p.file_size,
            "creation_date": filetime_iso(p.creation_date),
            "data_packets": p.data_packets,
            "play_duration_100ns": p.play_duration,
            "send_duration_100ns": p.send_duration,
            "preroll_ms": p.preroll_ms,
            "flags": p.flags,
            "flag_names": flag_names(p.flags),
            "min_packet_size": p.min_packet_size,
            "max_packet_size": p.max_packet_size,
            "max_bitrate": p.max_bitrate,
        })
    });
    let tags: serde_json::Map<String, Json> = info.file_tags().into_iter().map(|(n, v)| (n.to_string(), value_json(v))).collect();
    let attributes: Vec<Json> = info
        .tags
        .iter()
        .map(|t: &Tag| json!({"name": t.name, "value": value_json(&t.value), "stream": t.stream, "language": t.language, "object": t.source}))
        .collect();
    let codecs: Vec<Json> = info.codecs.iter().map(|c| json!({"type": c.kind, "name": c.name, "description": c.description})).collect();
    let mut doc = json!({
        "file": info.path,
        "file_size": info.file_size,
        "header_size": info.header_size,
        "header_object_count": info.header_count,
        "header_objects": info.objects.iter().map(object_json).collect::<Vec<_>>(),
        "duration": info.duration().map(|d| d as f64 / 1e7),
        "duration_100ns": info.duration(),
        "preroll_ms": info.props.as_ref().map(|p| p.preroll_ms),
        "packets": info.data.as_ref().map(|d| d.total_packets).or(info.props.as_ref().map(|p| p.data_packets)),
        "packet_size": info.props.as_ref().map(|p| p.max_packet_size),
        "flags": info.props.as_ref().map_or(vec![], |p| flag_names(p.flags)),
        "file_properties": props,
        "streams": info.streams.iter().map(stream_json).collect::<Vec<_>>(),
        "tags": tags,
        "attributes": attributes,
        "codecs": codecs,
        "languages": info.languages,
        "markers": info.markers,
        "script_commands": info.scripts,
        "data": info.data_object.as_ref().map(object_json),
        "index_objects": info.index_objects.iter().map(object_json).collect::<Vec<_>>(),
        "warnings": info.warnings,
    });
    if let (Some(c), Some(d)) = (&info.packets, doc.as_object_mut()) {
        let objects: serde_json::Map<String, Json> = c.objects.iter().map(|(s, n)| (s.to_string(), json!(n))).collect();
        d.insert("packet_check".into(), json!({"packets": c.packets, "payloads": c.payloads, "media_objects": objects, "error": c.error}));
    }
    doc
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
        let _ =
            writeln!(w, "  packets:     {} x {} bytes", info.data.as_ref().map_or(p.data_packets, |d| d.total_packets), p.max_packet_size);
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
    if let Some(d) = &info.data_object {
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
    if let Some(c) = &info.packets {
        let per: Vec<String> = c.objects.iter().map(|(s, n)| format!("stream {s}: {n}")).collect();
        let _ = writeln!(w, "packets parsed: {} ({} payloads; media objects: {})", c.packets, c.payloads, per.join(", "));
        if let Some(e) = &c.error {
            let _ = writeln!(w, "warning: data packets: {e}");
        }
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
