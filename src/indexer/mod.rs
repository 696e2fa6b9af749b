//! The indexer (`IWMIndexer` / `IWMIndexer2`, pure Rust): adds the index objects to an
//! existing ASF file — one this library wrote with auto-indexing off, or another
//! muxer's — so that players can seek in it.
//!
//! What it writes (the SDK's default, a temporal index): one Simple Index Object per
//! video stream (or per configured stream), in ascending stream order, with the time
//! interval [`DEFAULT_INTERVAL`] (1 s, the interval this library's writer uses) or the
//! configured one; entry `i` is the packet holding the start of the last key frame
//! (clean point) at or before time `i × interval` on the presentation timeline
//! (preroll included) and the number of packets that frame spans; the object's
//! Maximum Packet Count is the largest of those. The File Properties Object then gets
//! the new file size and the seekable flag (set when every video stream has an index).
//!
//! Frame-number indexes (`IWMIndexer2::Configure` with `WMT_IT_FRAME_NUMBERS`): a
//! Media Object Index Object after the Simple Indexes (one block; entry `i` is media
//! object `i × interval` of the stream: the offset, from the first data packet, of the
//! packet holding it or the key frame at or before it), and its Media Object Index
//! Parameters Object in the Header Extension (one is added when the file has none).
//! The stream keeps a temporal Simple Index as well (players seek by time with it).
//! Time-code indexes (`WMT_IT_TIMECODE`, one stream): a Timecode Index Object (entries
//! = the SMPTE time codes of the stream's `WM_SampleExtensionGUID_Timecode` payload
//! extensions, every `interval`-th one, a block per time-code range) and its Timecode
//! Index Parameters Object; a stream without time codes is refused (`InvalidRequest`).
//!
//! Re-indexing: as the SDK documents ("the old index is discarded"), every index object
//! already after the Data Object (Simple Index, Index, Media Object Index, Timecode
//! Index) and every Media Object Index Parameters Object is replaced; other objects
//! after the data are kept, in order, before the new indexes.
//!
//! Safety of the user's file: the packets are only read (cancellation is checked
//! between packets, and nothing is written before the scan is complete). When the
//! header keeps its length (the temporal index), the file is changed in place: the
//! bytes after the Data Object and the header are remembered, the new tail is written
//! and synced, the header is written last and synced; if any write fails, the
//! remembered bytes are written back and the file is truncated to its original length,
//! so it is byte-identical to what it was. When the header changes length (a Media
//! Object Index Parameters Object added or removed), the new file is written beside the
//! old one, synced, given its permissions and renamed over it: the old file is never
//! written, and a failure removes the new one.
#![forbid(unsafe_code)]

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

pub use crate::asf::index::DEFAULT_INTERVAL;
use crate::asf::index::{
    media_object_index_bytes, media_object_index_parameters_bytes, timecode_index_bytes, timecode_index_parameters_bytes,
    MediaObjectIndexStream, SimpleIndexBuilder,
};

/// The frame-number index interval when none is configured: every 10th frame.
pub const DEFAULT_FRAME_INTERVAL: u32 = 10;
use crate::error::{Error, ErrorKind, Result};
use crate::reader::{self, AsfFile};
use crate::{bail, err};

/// `WMT_INDEXER_TYPE`: what an index maps from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexerType {
    /// `WMT_IT_PRESENTATION_TIME` (0): time → packet (a Simple Index Object).
    PresentationTime,
    /// `WMT_IT_FRAME_NUMBERS` (1): frame number → packet.
    FrameNumbers,
    /// `WMT_IT_TIMECODE` (2): SMPTE time code → packet.
    Timecode,
}

/// `WMT_INDEX_TYPE`: which object an entry points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexType {
    /// `WMT_IT_NEAREST_DATA_UNIT` (1): the packet.
    NearestDataUnit,
    /// `WMT_IT_NEAREST_OBJECT` (2): any media object (sample).
    NearestObject,
    /// `WMT_IT_NEAREST_CLEAN_POINT` (3, the default): the key frame.
    NearestCleanPoint,
}

/// One `IWMIndexer2::Configure` call: an index for `stream` (0 = every video stream).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamIndex {
    /// Stream number, 0 = all (video) streams.
    pub stream: u16,
    /// What the index maps from.
    pub indexer_type: IndexerType,
    /// Interval: ms for a temporal index, frames for a frame index.
    pub interval: u32,
    /// What the entries point at.
    pub index_type: IndexType,
}

impl StreamIndex {
    /// The default temporal index for every video stream.
    pub fn default_temporal() -> StreamIndex {
        StreamIndex {
            stream: 0,
            indexer_type: IndexerType::PresentationTime,
            interval: (DEFAULT_INTERVAL / crate::TICKS_PER_MS) as u32,
            index_type: IndexType::NearestCleanPoint,
        }
    }
}

/// Where to make a failure happen (tests of the restore path only).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FailPoint {
    /// No injected failure.
    #[default]
    None,
    /// After the new tail was written, before the header patch.
    AfterTail,
    /// After the header was patched (the last step).
    AfterHeader,
}

/// How to index; `Default` = the SDK's default (a temporal index per video stream).
#[derive(Clone, Debug, Default)]
pub struct IndexConfig {
    /// The configured indexes; empty = [`StreamIndex::default_temporal`].
    pub streams: Vec<StreamIndex>,
    #[doc(hidden)]
    pub fail: FailPoint,
}

/// What indexing did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexSummary {
    /// Data packets scanned.
    pub packets: u64,
    /// The streams that got an index, ascending.
    pub indexed_streams: Vec<u16>,
    /// Index objects that were replaced.
    pub replaced: usize,
    /// The file's length before and after.
    pub old_len: u64,
    /// See `old_len`.
    pub new_len: u64,
    /// Whether the File Properties now say seekable.
    pub seekable: bool,
}

/// The objects an index may hold after the Data Object.
fn is_index_object(name: &str) -> bool {
    matches!(name, "Simple Index" | "Index" | "Media Object Index" | "Timecode Index")
}

/// One media object of an indexed stream: (presentation ms incl. preroll, first packet,
/// last packet, key).
/// The last field: the object's SMPTE time code (range, time code) from its
/// `WM_SampleExtensionGUID_Timecode` payload extension, for time-code-indexed streams.
type ObjectSpan = (u32, u64, u64, bool, Option<(u16, u32)>);

fn open_error(path: &Path, e: io::Error) -> Error {
    match e.kind() {
        io::ErrorKind::NotFound => err!(FileNotFound, "{} does not exist", path.display()),
        _ => err!(FileOpenFailed, "cannot open {} for reading and writing: {e}", path.display()),
    }
}

/// Open `path` for indexing (read + write, never created). A missing file is
/// `FileNotFound` (`NS_E_FILE_NOT_FOUND`).
pub fn open(path: &Path) -> Result<File> {
    let f = OpenOptions::new().read(true).write(true).open(path).map_err(|e| open_error(path, e))?;
    if !f.metadata().map(|m| m.is_file()).unwrap_or(false) {
        bail!(FileOpenFailed, "{} is not a regular file", path.display());
    }
    Ok(f)
}

/// Index the file at `path` (see the module docs). `progress` gets percents 0..=100,
/// each once, in order; `cancel` is checked between packets: a cancelled run returns
/// `Aborted` (`E_ABORT`) with the file untouched.
pub fn index_file(path: &Path, cfg: &IndexConfig, progress: &mut dyn FnMut(u32), cancel: &AtomicBool) -> Result<IndexSummary> {
    let mut f = open(path)?;
    index_open_file(&mut f, path, cfg, progress, cancel)
}

/// [`index_file`] on a file already opened with [`open`].
pub fn index_open_file(
    f: &mut File,
    path: &Path,
    cfg: &IndexConfig,
    progress: &mut dyn FnMut(u32),
    cancel: &AtomicBool,
) -> Result<IndexSummary> {
    let rd = |e: io::Error| err!(FileRead, "cannot read {}: {e}", path.display());
    let info = reader::read_from(&mut BufReader::new(&mut *f)).map_err(|e| err!(InvalidData, "{}: {e}", path.display()))?;
    let plan = Plan::new(&info, cfg, path)?;
    progress(0);
    let mut last_pct = 0;
    let spans = scan(
        f,
        &info,
        &plan,
        &mut |p| {
            let pct = (p * 100 / plan.packets.max(1)).min(99) as u32;
            if pct > last_pct {
                last_pct = pct;
                progress(pct);
            }
        },
        cancel,
    )
    .map_err(|e| match e {
        ScanError::Io(e) => rd(e),
        ScanError::Other(e) => e,
    })?;
    if cancel.load(Ordering::Acquire) {
        bail!(Aborted, "indexing {} was cancelled; the file was not changed", path.display());
    }
    let props = info.props.as_ref().expect("checked by Plan::new");
    let last_pt = spans.iter().flat_map(|s| s.1.iter()).map(|o| o.0 as u64 * crate::TICKS_PER_MS).max().unwrap_or(0);
    let play_duration = props.play_duration.max(last_pt);
    let mut new_indexes = Vec::new();
    let mut indexed = Vec::new();
    let mut frame_streams: Vec<MediaObjectIndexStream> = Vec::new();
    let mut frame_interval = 0u32;
    let mut timecode_index: Option<Vec<u8>> = None;
    let mut timecode_params: Option<Vec<u8>> = None;
    let ps = plan.packet_size;
    for (si, objs) in &spans {
        if si.indexer_type == IndexerType::Timecode {
            let iv = si.interval.max(1) as usize;
            let first_key = objs.iter().find(|o| o.3).map(|o| o.1);
            let mut last_key: Option<u64> = None;
            let mut entries = Vec::new();
            let mut n = 0usize;
            for o in objs {
                if o.3 {
                    last_key = Some(o.1);
                }
                let Some((range, tc)) = o.4 else { continue };
                if n % iv == 0 {
                    let packet = match si.index_type {
                        IndexType::NearestCleanPoint => last_key.or(first_key).unwrap_or(o.1),
                        IndexType::NearestObject | IndexType::NearestDataUnit => o.1,
                    };
                    let off = packet * ps;
                    if off >= u32::MAX as u64 {
                        bail!(InvalidData, "{}: a time-code index of more than 4 GiB of packets is not supported", path.display());
                    }
                    entries.push((range, tc, off as u32));
                }
                n += 1;
            }
            let code = if si.index_type == IndexType::NearestCleanPoint { 3 } else { 2 };
            timecode_index = Some(timecode_index_bytes(si.stream, code, &entries));
            timecode_params = Some(timecode_index_parameters_bytes(si.interval.max(1), si.stream, code));
        }
        if si.indexer_type == IndexerType::FrameNumbers {
            // Entry r: media object r × interval; the packet of that object, or of the
            // last key frame at or before it (none yet: the first key frame).
            let iv = si.interval.max(1) as usize;
            let first_key = objs.iter().find(|o| o.3).map(|o| o.1);
            let mut last_key: Option<u64> = None;
            let mut offsets = Vec::new();
            for (k, o) in objs.iter().enumerate() {
                if o.3 {
                    last_key = Some(o.1);
                }
                if k % iv == 0 {
                    let packet = match si.index_type {
                        IndexType::NearestCleanPoint => last_key.or(first_key).unwrap_or(o.1),
                        IndexType::NearestObject | IndexType::NearestDataUnit => o.1,
                    };
                    let off = packet * ps;
                    if off >= u32::MAX as u64 {
                        bail!(InvalidData, "{}: a frame index of more than 4 GiB of packets is not supported", path.display());
                    }
                    offsets.push(off as u32);
                }
            }
            frame_interval = si.interval.max(1);
            let index_type = match si.index_type {
                IndexType::NearestDataUnit => 1,
                IndexType::NearestObject => 2,
                IndexType::NearestCleanPoint => 3,
            };
            frame_streams.push(MediaObjectIndexStream { stream: si.stream, index_type, offsets });
        }
        // A frame-indexed stream gets the temporal index too (key frames, the default
        // interval): players seek by time with the Simple Index only.
        let (clean_only, interval) = match si.indexer_type {
            IndexerType::FrameNumbers | IndexerType::Timecode => (true, DEFAULT_INTERVAL),
            _ => (si.index_type == IndexType::NearestCleanPoint, (si.interval.max(1) as u64) * crate::TICKS_PER_MS),
        };
        let mut b = SimpleIndexBuilder::new(si.stream);
        for (pt, first, last, key, _) in objs {
            if *key || !clean_only {
                b.add_key_frame(*pt, *first, *last);
            }
        }
        if b.is_empty() {
            continue;
        }
        new_indexes.extend_from_slice(&b.to_bytes(&props.file_id, interval, play_duration));
        indexed.push(si.stream);
    }
    if !frame_streams.is_empty() {
        new_indexes.extend_from_slice(&media_object_index_bytes(frame_interval, &frame_streams));
    }
    if let Some(t) = &timecode_index {
        new_indexes.extend_from_slice(t);
    }
    let mut params: Vec<Vec<u8>> = Vec::new();
    if !frame_streams.is_empty() {
        params.push(media_object_index_parameters_bytes(frame_interval, &frame_streams));
    }
    params.extend(timecode_params);
    let video: Vec<u16> = info.streams.iter().filter(|s| s.kind == "video").map(|s| s.number).collect();
    let seekable = video.iter().all(|v| indexed.contains(v));
    // The new tail: the non-index objects after the data, then the new indexes.
    let old_len = info.file_size;
    let data_end = plan.data_end;
    let mut old_tail = vec![0u8; (old_len - data_end) as usize];
    f.seek(SeekFrom::Start(data_end)).map_err(rd)?;
    f.read_exact(&mut old_tail).map_err(rd)?;
    let mut new_tail = Vec::new();
    let mut replaced = 0;
    for o in &info.index_objects {
        let (s, e) = ((o.offset - data_end) as usize, (o.offset - data_end + o.size) as usize);
        if is_index_object(&o.name) {
            replaced += 1;
        } else {
            new_tail.extend_from_slice(&old_tail[s..e]);
        }
    }
    new_tail.extend_from_slice(&new_indexes);
    // The header: File Properties' size and flags, and the Media Object Index
    // Parameters Object (replaced, added or removed) in the Header Extension.
    let header_len = info.header_size;
    let mut old_header = vec![0u8; header_len as usize];
    f.seek(SeekFrom::Start(0)).map_err(rd)?;
    f.read_exact(&mut old_header).map_err(rd)?;
    let data_len = data_end - header_len;
    let broadcast = props.flags & 1 != 0;
    let flags = if seekable { props.flags | 2 } else { props.flags & !2 };
    let mut new_header = rebuild_header(&old_header, &info, &params, path)?;
    let new_len = new_header.len() as u64 + data_len + new_tail.len() as u64;
    {
        let fp =
            find_object(&new_header, "File Properties").ok_or_else(|| err!(Unexpected, "the rebuilt header lost its File Properties"))?;
        if !broadcast {
            new_header[fp + 40..fp + 48].copy_from_slice(&new_len.to_le_bytes());
        }
        new_header[fp + 88..fp + 92].copy_from_slice(&flags.to_le_bytes());
    }
    if cancel.load(Ordering::Acquire) {
        bail!(Aborted, "indexing {} was cancelled; the file was not changed", path.display());
    }
    if new_header.len() as u64 == header_len {
        write_in_place(f, path, cfg.fail, &old_header, &new_header, &old_tail, &new_tail, data_end, old_len)?;
    } else {
        rewrite(f, path, cfg.fail, &new_header, header_len, data_end, &new_tail)?;
    }
    progress(100);
    indexed.extend(frame_streams.iter().map(|s| s.stream));
    indexed.sort_unstable();
    indexed.dedup();
    Ok(IndexSummary { packets: plan.packets, indexed_streams: indexed, replaced, old_len, new_len, seekable })
}

/// The offset of the first top-level header object called `name` in `header`.
fn find_object(header: &[u8], name: &str) -> Option<usize> {
    let mut at = 30usize;
    while at + 24 <= header.len() {
        let g = crate::guid::Guid::from_bytes(&header[at..at + 16].try_into().ok()?);
        let size = u64::from_le_bytes(header[at + 16..at + 24].try_into().ok()?) as usize;
        if reader::object_name(&g) == Some(name) {
            return Some(at);
        }
        if size < 24 {
            return None;
        }
        at += size;
    }
    None
}

fn is_index_parameters(name: &str) -> bool {
    matches!(name, "Media Object Index Parameters" | "Timecode Index Parameters")
}

/// The header with every Media Object / Timecode Index Parameters Object removed from
/// the Header Extension and `params` appended there (a Header Extension is added when
/// the file has none). Everything else is copied as it is.
fn rebuild_header(old: &[u8], info: &AsfFile, params: &[Vec<u8>], path: &Path) -> Result<Vec<u8>> {
    let has_params = info.objects.iter().any(|o| o.children.iter().any(|c| is_index_parameters(&c.name)));
    if params.is_empty() && !has_params {
        return Ok(old.to_vec());
    }
    let params: Vec<u8> = params.concat();
    let params = (!params.is_empty()).then_some(params.as_slice());
    let mut out = old[..30].to_vec();
    let mut count = info.header_count;
    let mut placed = false;
    for o in &info.objects {
        let (s, e) = (o.offset as usize, (o.offset + o.size) as usize);
        if e > old.len() {
            bail!(InvalidData, "{}: a header object runs past the header", path.display());
        }
        if o.name != "Header Extension" || placed {
            out.extend_from_slice(&old[s..e]);
            continue;
        }
        placed = true;
        let mut children = Vec::new();
        for c in &o.children {
            if !is_index_parameters(&c.name) {
                children.extend_from_slice(&old[c.offset as usize..(c.offset + c.size) as usize]);
            }
        }
        if let Some(p) = params {
            children.extend_from_slice(p);
        }
        let he = out.len();
        out.extend_from_slice(&old[s..s + 42]);
        out.extend_from_slice(&(children.len() as u32).to_le_bytes());
        out.extend_from_slice(&children);
        let size = (46 + children.len()) as u64;
        out[he + 16..he + 24].copy_from_slice(&size.to_le_bytes());
    }
    if !placed {
        if let Some(p) = params {
            let start = out.len();
            out.extend_from_slice(&crate::asf::guids::HEADER_EXTENSION.to_bytes());
            out.extend_from_slice(&((46 + p.len()) as u64).to_le_bytes());
            out.extend_from_slice(&crate::asf::guids::RESERVED_1.to_bytes());
            out.extend_from_slice(&6u16.to_le_bytes());
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p);
            debug_assert_eq!(out.len() - start, 46 + p.len());
            count += 1;
        }
    }
    let len = out.len() as u64;
    out[16..24].copy_from_slice(&len.to_le_bytes());
    out[24..28].copy_from_slice(&count.to_le_bytes());
    Ok(out)
}

/// Same header length: write the tail, then the header (last), syncing each; on any
/// failure write the remembered bytes back and truncate to the old length.
#[allow(clippy::too_many_arguments)]
fn write_in_place(
    f: &mut File,
    path: &Path,
    fail: FailPoint,
    old_header: &[u8],
    new_header: &[u8],
    old_tail: &[u8],
    new_tail: &[u8],
    data_end: u64,
    old_len: u64,
) -> Result<()> {
    let new_len = data_end + new_tail.len() as u64;
    let write = |f: &mut File| -> io::Result<()> {
        f.seek(SeekFrom::Start(data_end))?;
        f.write_all(new_tail)?;
        f.set_len(new_len)?;
        f.sync_data()?;
        if fail == FailPoint::AfterTail {
            return Err(io::Error::other("injected failure after the tail"));
        }
        f.seek(SeekFrom::Start(0))?;
        f.write_all(new_header)?;
        f.sync_data()?;
        if fail == FailPoint::AfterHeader {
            return Err(io::Error::other("injected failure after the header"));
        }
        Ok(())
    };
    if let Err(e) = write(f) {
        let restore = |f: &mut File| -> io::Result<()> {
            f.seek(SeekFrom::Start(0))?;
            f.write_all(old_header)?;
            f.seek(SeekFrom::Start(data_end))?;
            f.write_all(old_tail)?;
            f.set_len(old_len)?;
            f.sync_all()
        };
        return Err(match restore(f) {
            Ok(()) => err!(FileWrite, "cannot write the index into {}: {e}; the file was restored as it was", path.display()),
            Err(r) => err!(
                FileWrite,
                "cannot write the index into {}: {e}; restoring the original bytes failed too ({r}): the file may be damaged",
                path.display()
            ),
        });
    }
    Ok(())
}

/// The header changes length (a Media Object Index Parameters Object added or
/// removed): the new file is written beside the old one (`.NAME.wmwriter-index-PID`),
/// synced, given the old file's permissions and renamed over it. The old file is never
/// written: on any failure it stays as it was and the new one is removed.
fn rewrite(f: &mut File, path: &Path, fail: FailPoint, new_header: &[u8], header_len: u64, data_end: u64, new_tail: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.wmwriter-index-{}", std::process::id()));
    let write = |f: &mut File| -> io::Result<()> {
        let mut out = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        out.write_all(new_header)?;
        f.seek(SeekFrom::Start(header_len))?;
        let copied = io::copy(&mut (&mut *f).take(data_end - header_len), &mut out)?;
        if copied != data_end - header_len {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the file ended inside the Data Object"));
        }
        out.write_all(new_tail)?;
        out.sync_all()?;
        if fail == FailPoint::AfterTail {
            return Err(io::Error::other("injected failure after the tail"));
        }
        std::fs::set_permissions(&tmp, f.metadata()?.permissions())?;
        if fail == FailPoint::AfterHeader {
            return Err(io::Error::other("injected failure before the rename"));
        }
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    };
    write(f).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err!(FileWrite, "cannot write the indexed file {}: {e}; the file was restored as it was (left untouched)", path.display())
    })
}

/// What to scan, checked before anything is read.
struct Plan {
    packets: u64,
    packet_size: u64,
    data_start: u64,
    data_end: u64,
    /// The resolved indexes, ascending stream number.
    streams: Vec<StreamIndex>,
}

impl Plan {
    fn new(info: &AsfFile, cfg: &IndexConfig, path: &Path) -> Result<Plan> {
        let p = path.display();
        let props = info.props.as_ref().ok_or_else(|| err!(InvalidData, "{p}: the header has no File Properties Object"))?;
        let data = info.data.as_ref().ok_or_else(|| err!(InvalidData, "{p}: no Data Object follows the header"))?;
        if props.min_packet_size != props.max_packet_size || props.max_packet_size == 0 {
            bail!(
                InvalidData,
                "{p}: the packets are not of one fixed size ({}..{} bytes); only fixed-size packets can be indexed",
                props.min_packet_size,
                props.max_packet_size
            );
        }
        let fp = info
            .objects
            .iter()
            .find(|o| o.name == "File Properties")
            .ok_or_else(|| err!(InvalidData, "{p}: the header has no File Properties Object"))?;
        if fp.size < 104 {
            bail!(InvalidData, "{p}: the File Properties Object is {} bytes, less than 104", fp.size);
        }
        let ps = props.max_packet_size as u64;
        let data_end = data.offset + data.size;
        if data_end > info.file_size {
            bail!(InvalidData, "{p}: the Data Object runs past the end of the file");
        }
        // Everything after the data must be whole objects (else the tail cannot be rebuilt).
        let mut at = data_end;
        for o in &info.index_objects {
            if o.offset != at {
                break;
            }
            at += o.size;
        }
        if at != info.file_size {
            bail!(InvalidData, "{p}: {} bytes after the Data Object are not whole ASF objects", info.file_size - at);
        }
        let packets = (data.size.saturating_sub(50)) / ps;
        let mut streams: Vec<StreamIndex> = Vec::new();
        let cfgs = if cfg.streams.is_empty() { vec![StreamIndex::default_temporal()] } else { cfg.streams.clone() };
        for c in cfgs {
            let targets: Vec<u16> = if c.stream == 0 {
                info.streams.iter().filter(|s| s.kind == "video").map(|s| s.number).collect()
            } else {
                if info.stream(c.stream).is_none() {
                    bail!(NoStream, "{p} has no stream {} (configured for the indexer)", c.stream);
                }
                vec![c.stream]
            };
            for t in targets {
                streams.retain(|s| s.stream != t);
                streams.push(StreamIndex { stream: t, ..c });
            }
        }
        streams.sort_by_key(|s| s.stream);
        let tc: Vec<u16> = streams.iter().filter(|s| s.indexer_type == IndexerType::Timecode).map(|s| s.stream).collect();
        if tc.len() > 1 {
            bail!(InvalidArg, "{p}: a time-code index for more than one stream ({tc:?}) is not supported; configure one stream");
        }
        for t in tc {
            let has = info
                .ext_streams
                .iter()
                .any(|e| e.stream == t && e.extension_systems.iter().any(|x| x.0 == crate::guid::sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE));
            if !has {
                bail!(
                    InvalidRequest,
                    "{p}: stream {t} carries no time codes (no WM_SampleExtensionGUID_Timecode payload extension), so it cannot get a time-code index"
                );
            }
        }
        Ok(Plan { packets, packet_size: ps, data_start: data.offset + 50, data_end, streams })
    }
}

enum ScanError {
    Io(io::Error),
    Other(Error),
}

/// Read every packet once; collect each indexed stream's media objects.
fn scan(
    f: &mut File,
    info: &AsfFile,
    plan: &Plan,
    progress: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> std::result::Result<Vec<(StreamIndex, Vec<ObjectSpan>)>, ScanError> {
    let mut out: Vec<(StreamIndex, Vec<ObjectSpan>)> = plan.streams.iter().map(|s| (*s, Vec::new())).collect();
    // Per stream: the object number of the object being assembled.
    let mut current: Vec<Option<u32>> = vec![None; out.len()];
    // Per stream: its Extended Stream Properties when its time codes are wanted.
    let esp: Vec<Option<&reader::ExtStreamProps>> = out
        .iter()
        .map(|(s, _)| (s.indexer_type == IndexerType::Timecode).then(|| info.ext_streams.iter().find(|e| e.stream == s.stream)).flatten())
        .collect();
    let timecode = |k: usize, ext: &[u8]| -> Option<(u16, u32)> {
        let parts = esp[k]?.split_extension(ext)?;
        let v = parts.into_iter().find(|p| p.0 == crate::guid::sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE)?.1;
        (v.len() >= 6).then(|| (u16::from_le_bytes([v[0], v[1]]), u32::from_le_bytes([v[2], v[3], v[4], v[5]])))
    };
    f.seek(SeekFrom::Start(plan.data_start)).map_err(ScanError::Io)?;
    let mut r = BufReader::with_capacity(1 << 20, &mut *f);
    let mut pkt = vec![0u8; plan.packet_size as usize];
    for pi in 0..plan.packets {
        if cancel.load(Ordering::Acquire) {
            return Err(ScanError::Other(err!(Aborted, "indexing was cancelled; the file was not changed")));
        }
        r.read_exact(&mut pkt).map_err(ScanError::Io)?;
        let p = reader::parse_packet(&pkt, pi as usize, 0)
            .map_err(|e| ScanError::Other(Error::new(ErrorKind::InvalidData, format!("data packet {pi}: {e}"))))?;
        for pl in &p.payloads {
            let Some(k) = out.iter().position(|(s, _)| s.stream == pl.stream as u16) else { continue };
            let spans = &mut out[k].1;
            if let Some(subs) = &pl.compressed {
                // Every sub-payload is a whole object.
                for _ in subs {
                    spans.push((pl.pt_ms, pi, pi, pl.key, None));
                }
                current[k] = None;
            } else if pl.offset == 0 || current[k] != Some(pl.object_number) {
                let tc = timecode(k, pl.extension());
                spans.push((pl.pt_ms, pi, pi, pl.key, tc));
                current[k] = Some(pl.object_number);
            } else if let Some(last) = spans.last_mut() {
                last.2 = pi;
            }
        }
        progress(pi + 1);
    }
    Ok(out)
}
