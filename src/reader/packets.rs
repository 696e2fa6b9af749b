//! Data packets: the packet header (error correction, length type and property flags,
//! packet length, sequence, padding, send time, duration), each payload (stream, key
//! bit, media object number, offset, replicated data, payload extension bytes,
//! compressed payloads) and the media objects reassembled from fragments. Every read is
//! bounds-checked; inconsistencies are [`ReadError`]s naming the packet.

use std::collections::HashMap;
use std::ops::Range;

use super::ReadError;

/// One payload of a data packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// Stream number (1..127).
    pub stream: u8,
    /// Key frame bit.
    pub key: bool,
    /// Media object number (8, 16 or 32 bits as written).
    pub object_number: u32,
    /// Offset into the media object (or, for a compressed payload, its presentation time).
    pub offset: u32,
    /// The replicated data (object size and presentation time, then the payload
    /// extension bytes), or for a compressed payload the one presentation time delta byte.
    pub replicated: Vec<u8>,
    /// Media object size from the replicated data (0 for compressed payloads).
    pub object_size: u32,
    /// Presentation time (ms, preroll included).
    pub pt_ms: u32,
    /// A compressed payload (replicated data length 1): the sub-payloads' data ranges.
    pub compressed: Option<Vec<Range<usize>>>,
    /// The payload's bytes: a range into the slice given to [`parse_packets`].
    pub data: Range<usize>,
}

impl Payload {
    /// The payload extension bytes (replicated data after the first 8).
    pub fn extension(&self) -> &[u8] {
        if self.compressed.is_some() {
            &[]
        } else {
            self.replicated.get(8..).unwrap_or(&[])
        }
    }
}

/// One data packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    /// Packet index.
    pub index: usize,
    /// The error correction bytes (empty when absent).
    pub error_correction: Vec<u8>,
    pub length_type_flags: u8,
    pub property_flags: u8,
    /// The explicit packet length (0 when absent).
    pub packet_length: u32,
    pub sequence: u32,
    pub padding: u32,
    pub send_ms: u32,
    pub duration_ms: u16,
    /// Multiple-payload flags byte (None for a single-payload packet).
    pub payload_flags: Option<u8>,
    pub payloads: Vec<Payload>,
}

fn field(b: &[u8], off: &mut usize, len_type: u8, pi: usize, what: &str) -> Result<u32, ReadError> {
    let n = [0usize, 1, 2, 4][(len_type & 3) as usize];
    let s = off
        .checked_add(n)
        .and_then(|end| b.get(*off..end))
        .ok_or_else(|| ReadError(format!("packet {pi}: the {what} field runs past the packet")))?;
    *off += n;
    Ok(match n {
        0 => 0,
        1 => s[0] as u32,
        2 => u16::from_le_bytes([s[0], s[1]]) as u32,
        _ => u32::from_le_bytes([s[0], s[1], s[2], s[3]]),
    })
}

fn byte(b: &[u8], off: &mut usize, pi: usize, what: &str) -> Result<u8, ReadError> {
    let v = *b.get(*off).ok_or_else(|| ReadError(format!("packet {pi}: the {what} runs past the packet")))?;
    *off += 1;
    Ok(v)
}

/// Parse one packet (`pkt`, exactly one packet's bytes) whose first byte is at `base` in
/// the caller's slice.
pub fn parse_packet(pkt: &[u8], pi: usize, base: usize) -> Result<Packet, ReadError> {
    let ps = pkt.len();
    let mut off = 0;
    let mut error_correction = Vec::new();
    let first = byte(pkt, &mut off, pi, "first byte")?;
    if first & 0x80 != 0 {
        if first & 0x10 != 0 {
            return Err(ReadError(format!("packet {pi}: opaque error correction data is not supported")));
        }
        let n = (first & 0x0F) as usize;
        error_correction.push(first);
        error_correction
            .extend_from_slice(pkt.get(1..1 + n).ok_or_else(|| ReadError(format!("packet {pi}: error correction data past the end")))?);
        off = 1 + n;
    } else {
        off = 0;
    }
    let ltf = byte(pkt, &mut off, pi, "length type flags")?;
    let pf = byte(pkt, &mut off, pi, "property flags")?;
    let packet_length = field(pkt, &mut off, ltf >> 5, pi, "packet length")?;
    let sequence = field(pkt, &mut off, ltf >> 1, pi, "sequence")?;
    let padding = field(pkt, &mut off, ltf >> 3, pi, "padding length")?;
    let send_ms = field(pkt, &mut off, 3, pi, "send time")?;
    let duration_ms = field(pkt, &mut off, 2, pi, "duration")? as u16;
    // With an explicit length shorter than the packet, the rest is padding too.
    let used_len = if packet_length != 0 && (packet_length as usize) < ps { packet_length as usize } else { ps };
    let end = used_len
        .checked_sub(padding as usize)
        .ok_or_else(|| ReadError(format!("packet {pi}: padding {padding} is larger than the packet")))?;
    if end < off {
        return Err(ReadError(format!("packet {pi}: padding {padding} overlaps the packet header")));
    }
    let multiple = ltf & 1 != 0;
    let (count, plt, payload_flags) = if multiple {
        let f = byte(pkt, &mut off, pi, "payload flags")?;
        ((f & 0x3F) as usize, f >> 6, Some(f))
    } else {
        (1, 0, None)
    };
    let mut payloads = Vec::with_capacity(count);
    for k in 0..count {
        let sn = byte(pkt, &mut off, pi, "stream number")?;
        let object_number = field(pkt, &mut off, pf >> 4, pi, "media object number")?;
        let offset = field(pkt, &mut off, pf >> 2, pi, "offset")?;
        let rl = field(pkt, &mut off, pf, pi, "replicated data length")? as usize;
        let replicated = off
            .checked_add(rl)
            .and_then(|e| pkt.get(off..e))
            .ok_or_else(|| ReadError(format!("packet {pi} payload {k}: {rl} bytes of replicated data run past the packet")))?
            .to_vec();
        off += rl;
        if rl != 1 && rl < 8 && rl != 0 {
            return Err(ReadError(format!(
                "packet {pi} payload {k}: replicated data length {rl} (less than the 8 bytes of size and time)"
            )));
        }
        let len = if multiple {
            field(pkt, &mut off, if plt == 0 { 2 } else { plt }, pi, "payload length")? as usize
        } else {
            end.saturating_sub(off)
        };
        let stop = off
            .checked_add(len)
            .filter(|e| *e <= end)
            .ok_or_else(|| ReadError(format!("packet {pi} payload {k}: length {len} runs past the packet's used bytes")))?;
        let (object_size, pt_ms, compressed) = if rl == 1 {
            let mut subs = Vec::new();
            let mut p = off;
            while p < stop {
                let n = pkt[p] as usize;
                p += 1;
                if p + n > stop {
                    return Err(ReadError(format!("packet {pi} payload {k}: a compressed sub-payload runs past the payload")));
                }
                subs.push(base + p..base + p + n);
                p += n;
            }
            (0, offset, Some(subs))
        } else if rl >= 8 {
            (
                u32::from_le_bytes([replicated[0], replicated[1], replicated[2], replicated[3]]),
                u32::from_le_bytes([replicated[4], replicated[5], replicated[6], replicated[7]]),
                None,
            )
        } else {
            (0, 0, None)
        };
        payloads.push(Payload {
            stream: sn & 0x7F,
            key: sn & 0x80 != 0,
            object_number,
            offset,
            replicated,
            object_size,
            pt_ms,
            compressed,
            data: base + off..base + stop,
        });
        off = stop;
    }
    if multiple && off != end {
        return Err(ReadError(format!("packet {pi}: payloads end at byte {off}, the padding starts at {end}")));
    }
    if pkt[end..].iter().any(|&b| b != 0) {
        return Err(ReadError(format!("packet {pi}: padding is not zero")));
    }
    Ok(Packet {
        index: pi,
        error_correction,
        length_type_flags: ltf,
        property_flags: pf,
        packet_length,
        sequence,
        padding,
        send_ms,
        duration_ms,
        payload_flags,
        payloads,
    })
}

/// Parse consecutive packets of `packet_size` bytes; payload data ranges index `data`.
pub fn parse_packets(data: &[u8], packet_size: usize) -> Result<Vec<Packet>, ReadError> {
    if packet_size == 0 {
        return Err(ReadError("the packet size is 0".into()));
    }
    if data.len() % packet_size != 0 {
        return Err(ReadError(format!("{} bytes is not a multiple of the packet size {packet_size}", data.len())));
    }
    data.chunks(packet_size).enumerate().map(|(i, p)| parse_packet(p, i, i * packet_size)).collect()
}

/// A media object reassembled from payloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaObject {
    /// Stream number.
    pub stream: u8,
    /// Media object number.
    pub object_number: u32,
    /// Presentation time (ms, preroll included).
    pub presentation_ms: u32,
    /// Key bit.
    pub key: bool,
    /// Payload extension bytes of the first fragment.
    pub extension: Vec<u8>,
    /// Packet of the first and of the last fragment.
    pub packets: (usize, usize),
    /// The bytes.
    pub data: Vec<u8>,
}

/// Reassemble the media objects of `packets` (parsed from `data`), in the order their
/// first fragments appear. Fails when a fragment does not continue its object, an
/// object overflows its size, or one is left incomplete.
pub fn media_objects(packets: &[Packet], data: &[u8]) -> Result<Vec<MediaObject>, ReadError> {
    let mut done: Vec<MediaObject> = Vec::new();
    // per stream: (index in done, declared size)
    let mut partial: HashMap<u8, (usize, usize)> = HashMap::new();
    let bytes = |r: &Range<usize>| data.get(r.clone()).ok_or_else(|| ReadError("a payload range lies outside the data".into()));
    for pkt in packets {
        let pi = pkt.index;
        for (k, p) in pkt.payloads.iter().enumerate() {
            let stream = p.stream;
            if let Some(subs) = &p.compressed {
                if let Some((idx, want)) = partial.get(&stream) {
                    if done[*idx].data.len() != *want {
                        return Err(ReadError(format!(
                            "packet {pi}: stream {stream} starts a compressed payload before its last object ended"
                        )));
                    }
                }
                let delta = p.replicated.first().copied().unwrap_or(0) as u32;
                // Object numbers wrap at the width of their field (8, 16 or 32 bits).
                let mask = match (pkt.property_flags >> 4) & 3 {
                    1 => 0xFF,
                    2 => 0xFFFF,
                    _ => u32::MAX,
                };
                for (j, r) in subs.iter().enumerate() {
                    let d = bytes(r)?.to_vec();
                    done.push(MediaObject {
                        stream,
                        object_number: p.object_number.wrapping_add(j as u32) & mask,
                        presentation_ms: p.pt_ms.wrapping_add(delta.wrapping_mul(j as u32)),
                        key: p.key,
                        extension: Vec::new(),
                        packets: (pi, pi),
                        data: d,
                    });
                }
                continue;
            }
            let size = p.object_size as usize;
            if p.offset == 0 {
                if let Some((idx, want)) = partial.get(&stream) {
                    if done[*idx].data.len() != *want {
                        return Err(ReadError(format!("packet {pi}: stream {stream} starts a new object before the last one ended")));
                    }
                }
                done.push(MediaObject {
                    stream,
                    object_number: p.object_number,
                    presentation_ms: p.pt_ms,
                    key: p.key,
                    extension: p.extension().to_vec(),
                    packets: (pi, pi),
                    data: Vec::with_capacity(size.min(1 << 24)),
                });
                partial.insert(stream, (done.len() - 1, size));
            }
            let (idx, want) = *partial
                .get(&stream)
                .ok_or_else(|| ReadError(format!("packet {pi} payload {k}: a fragment of stream {stream} without a start")))?;
            let o = &mut done[idx];
            if o.data.len() != p.offset as usize
                || o.object_number != p.object_number
                || o.presentation_ms != p.pt_ms
                || o.key != p.key
                || want != size
            {
                return Err(ReadError(format!(
                    "packet {pi}: fragment of stream {stream} at offset {} does not continue object {}",
                    p.offset, o.object_number
                )));
            }
            o.data.extend_from_slice(bytes(&p.data)?);
            o.packets.1 = pi;
            if o.data.len() > size {
                return Err(ReadError(format!("packet {pi}: an object of stream {stream} is larger than its declared size {size}")));
            }
        }
    }
    let mut incomplete: Vec<u8> = partial.iter().filter(|(_, (idx, want))| done[*idx].data.len() != *want).map(|(s, _)| *s).collect();
    incomplete.sort();
    if let Some(s) = incomplete.first() {
        return Err(ReadError(format!("stream {s}: the last object is incomplete")));
    }
    Ok(done)
}

/// The sink-protocol facts of one data packet (`pkt`, one packet's bytes): send time,
/// duration, key-frame starts, whether it begins with a continued object. For a packet
/// an application hands a file sink itself (`IWMWriterFileSink3::OnDataUnitEx`).
pub fn packet_info(pkt: &[u8]) -> Result<crate::sink::PacketInfo, ReadError> {
    let p = parse_packet(pkt, 0, 0)?;
    let mut info = crate::sink::PacketInfo {
        send_time_ms: p.send_ms,
        duration_ms: p.duration_ms,
        continues: p.payloads.first().is_some_and(|f| f.compressed.is_none() && f.offset != 0),
        end_ms: p.send_ms.saturating_add(p.duration_ms as u32),
        payloads: p.payloads.len().min(255) as u8,
        ..Default::default()
    };
    for pl in &p.payloads {
        if pl.key && (pl.offset == 0 || pl.compressed.is_some()) {
            if info.key_starts == 0 {
                info.key_pt_ms = pl.pt_ms;
            }
            info.key_starts |= 1u128 << (pl.stream & 0x7F);
        }
    }
    Ok(info)
}
