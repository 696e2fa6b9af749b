//! A small ASF reader used only by tests (never as evidence that a file is valid:
//! independent readers are). Parses data packets back into media objects and walks
//! the header's objects.

use crate::guid::Guid;

/// A media object reassembled from payloads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaObject {
    /// Stream number.
    pub stream: u8,
    /// Media object number.
    pub object_number: u8,
    /// Presentation time (ms, preroll included).
    pub presentation_ms: u32,
    /// Key bit.
    pub key: bool,
    /// The bytes.
    pub data: Vec<u8>,
}

fn rd(b: &[u8], off: &mut usize, len_type: u8) -> Result<u32, String> {
    let n = match len_type & 3 {
        0 => 0,
        1 => 1,
        2 => 2,
        _ => 4,
    };
    let s = b.get(*off..*off + n).ok_or("truncated field")?;
    *off += n;
    Ok(match n {
        0 => 0,
        1 => s[0] as u32,
        2 => u16::from_le_bytes([s[0], s[1]]) as u32,
        _ => u32::from_le_bytes([s[0], s[1], s[2], s[3]]),
    })
}

/// Parse consecutive packets of `packet_size` bytes into media objects, in the order
/// their first fragments appear. Fails on any inconsistency.
pub fn parse_packets(data: &[u8], packet_size: usize) -> Result<Vec<MediaObject>, String> {
    if data.len() % packet_size != 0 {
        return Err(format!("{} bytes is not a multiple of the packet size {packet_size}", data.len()));
    }
    let mut done: Vec<MediaObject> = Vec::new();
    // per stream: (index in done, bytes expected)
    let mut partial: std::collections::HashMap<u8, (usize, usize)> = Default::default();
    for (pi, pkt) in data.chunks(packet_size).enumerate() {
        let mut off = 0;
        if pkt[0] & 0x80 != 0 {
            if pkt[0] != 0x82 || pkt[1] != 0 || pkt[2] != 0 {
                return Err(format!("packet {pi}: EC bytes {:02x?}", &pkt[..3]));
            }
            off = 3;
        }
        let ltf = pkt[off];
        let pf = pkt[off + 1];
        off += 2;
        let _pkt_len = rd(pkt, &mut off, ltf >> 5)?;
        let _seq = rd(pkt, &mut off, ltf >> 1)?;
        let padding = rd(pkt, &mut off, ltf >> 3)? as usize;
        off += 6; // send time + duration
        let multiple = ltf & 1 != 0;
        let (count, plt) = if multiple {
            let f = pkt[off];
            off += 1;
            ((f & 0x3F) as usize, f >> 6)
        } else {
            (1, 0)
        };
        let end = packet_size - padding;
        for k in 0..count {
            let sn = *pkt.get(off).ok_or("truncated payload")?;
            off += 1;
            let mo = rd(pkt, &mut off, pf >> 4)? as u8;
            let offset = rd(pkt, &mut off, pf >> 2)? as usize;
            let rl = rd(pkt, &mut off, pf)? as usize;
            if rl < 8 {
                return Err(format!("packet {pi} payload {k}: replicated length {rl}"));
            }
            let rep = pkt.get(off..off + rl).ok_or("truncated replicated data")?;
            let size = u32::from_le_bytes(rep[0..4].try_into().unwrap_or_default()) as usize;
            let pt = u32::from_le_bytes(rep[4..8].try_into().unwrap_or_default());
            off += rl;
            let len = if multiple { rd(pkt, &mut off, plt)? as usize } else { end - off };
            let chunk = pkt.get(off..off + len).ok_or(format!("packet {pi} payload {k}: length {len} past the end"))?;
            off += len;
            let stream = sn & 0x7F;
            let key = sn & 0x80 != 0;
            if offset == 0 {
                if let Some((_, want)) = partial.get(&stream) {
                    if *want != 0 {
                        return Err(format!("packet {pi}: stream {stream} starts a new object before the last one ended"));
                    }
                }
                done.push(MediaObject { stream, object_number: mo, presentation_ms: pt, key, data: Vec::with_capacity(size) });
                partial.insert(stream, (done.len() - 1, size));
            }
            let (idx, _) = *partial.get(&stream).ok_or(format!("packet {pi}: fragment without a start"))?;
            let o = &mut done[idx];
            if o.data.len() != offset || o.object_number != mo || o.presentation_ms != pt || o.key != key {
                return Err(format!(
                    "packet {pi}: fragment of stream {stream} at offset {offset} does not continue object {}",
                    o.object_number
                ));
            }
            o.data.extend_from_slice(chunk);
            if o.data.len() > size {
                return Err(format!("packet {pi}: object larger than its declared size {size}"));
            }
            let left = size - o.data.len();
            partial.insert(stream, (idx, left));
        }
        if off > end {
            return Err(format!("packet {pi}: payloads overrun the padding"));
        }
        if pkt[end..].iter().any(|&b| b != 0) {
            return Err(format!("packet {pi}: padding is not zero"));
        }
    }
    if let Some((s, _)) = partial.iter().find(|(_, (_, left))| *left != 0) {
        return Err(format!("stream {s}: last object incomplete"));
    }
    Ok(done)
}

/// A top-level or header-level object: GUID, offset, size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRef {
    /// Object ID.
    pub id: Guid,
    /// Start offset.
    pub offset: usize,
    /// Object size (prefix included).
    pub size: usize,
}

/// The children of the object at `offset` whose body starts `skip` bytes in.
pub fn children(b: &[u8], start: usize, end: usize) -> Result<Vec<ObjectRef>, String> {
    let mut v = Vec::new();
    let mut off = start;
    while off < end {
        let id_bytes: [u8; 16] = b.get(off..off + 16).ok_or("truncated object id")?.try_into().map_err(|_| "id")?;
        let size = u64::from_le_bytes(b.get(off + 16..off + 24).ok_or("truncated size")?.try_into().map_err(|_| "size")?) as usize;
        if size < 24 || off + size > end {
            return Err(format!("object at {off} has bad size {size}"));
        }
        v.push(ObjectRef { id: Guid::from_bytes(&id_bytes), offset: off, size });
        off += size;
    }
    Ok(v)
}
