//! The old test-only reader's interface, kept for the writer's unit tests: a thin
//! wrapper over the library's reader ([`crate::reader`]), which is the one ASF reader.
//! New code uses `crate::reader` directly.

use crate::guid::Guid;
use crate::reader;

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

/// Parse consecutive packets of `packet_size` bytes into media objects.
pub fn parse_packets(data: &[u8], packet_size: usize) -> Result<Vec<MediaObject>, String> {
    let packets = reader::parse_packets(data, packet_size).map_err(|e| e.0)?;
    let objects = reader::media_objects(&packets, data).map_err(|e| e.0)?;
    Ok(objects
        .into_iter()
        .map(|o| MediaObject {
            stream: o.stream,
            object_number: o.object_number as u8,
            presentation_ms: o.presentation_ms,
            key: o.key,
            data: o.data,
        })
        .collect())
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

/// The objects in `b[start..end]`, by their sizes.
pub fn children(b: &[u8], start: usize, end: usize) -> Result<Vec<ObjectRef>, String> {
    let mut v = Vec::new();
    let mut off = start;
    while off < end {
        let mut c = reader::Cur::at(b, off);
        let (Some(id), Some(size)) = (c.guid(), c.u64()) else { return Err(format!("truncated object at {off}")) };
        let size = size as usize;
        if size < 24 || off.saturating_add(size) > end {
            return Err(format!("object at {off} has bad size {size}"));
        }
        v.push(ObjectRef { id, offset: off, size });
        off += size;
    }
    Ok(v)
}
