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
//! Re-indexing: as the SDK documents ("the old index is discarded"), every index object
//! already after the Data Object (Simple Index, Index, Media Object Index, Timecode
//! Index) is replaced; other objects after the data are kept, in order, before the new
//! indexes.
//!
//! Safety of the user's file: the packets are only read (cancellation is checked
//! between packets, and nothing is written before the scan is complete); then the
//! bytes after the Data Object and the File Properties Object are remembered, the new
//! tail is written and synced, and the header fields are patched last and synced. If
//! any write fails, the remembered bytes are written back and the file is truncated to
//! its original length, so it is byte-identical to what it was.
#![forbid(unsafe_code)]

use std::fs::{File, OpenOptions};
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::asf::index::SimpleIndexBuilder;
pub use crate::asf::index::DEFAULT_INTERVAL;
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
type ObjectSpan = (u32, u64, u64, bool);

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
    for (si, objs) in &spans {
        let mut b = SimpleIndexBuilder::new(si.stream);
        for (pt, first, last, key) in objs {
            if *key || si.index_type != IndexType::NearestCleanPoint {
                b.add_key_frame(*pt, *first, *last);
            }
        }
        if b.is_empty() {
            continue;
        }
        let interval = (si.interval.max(1) as u64) * crate::TICKS_PER_MS;
        new_indexes.extend_from_slice(&b.to_bytes(&props.file_id, interval, play_duration));
        indexed.push(si.stream);
    }
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
    let new_len = data_end + new_tail.len() as u64;
    // File Properties: size at +40, flags at +88 (bit 1 broadcast, bit 2 seekable).
    let fp = plan.file_props_offset;
    let mut old_fp = [0u8; 104];
    f.seek(SeekFrom::Start(fp)).map_err(rd)?;
    f.read_exact(&mut old_fp).map_err(rd)?;
    let mut new_fp = old_fp;
    let broadcast = props.flags & 1 != 0;
    if !broadcast {
        new_fp[40..48].copy_from_slice(&new_len.to_le_bytes());
    }
    let flags = if seekable { props.flags | 2 } else { props.flags & !2 };
    new_fp[88..92].copy_from_slice(&flags.to_le_bytes());
    if cancel.load(Ordering::Acquire) {
        bail!(Aborted, "indexing {} was cancelled; the file was not changed", path.display());
    }
    let write = |f: &mut File| -> io::Result<()> {
        f.seek(SeekFrom::Start(data_end))?;
        f.write_all(&new_tail)?;
        f.set_len(new_len)?;
        f.sync_data()?;
        if cfg.fail == FailPoint::AfterTail {
            return Err(io::Error::other("injected failure after the tail"));
        }
        f.seek(SeekFrom::Start(fp))?;
        f.write_all(&new_fp)?;
        f.sync_data()?;
        if cfg.fail == FailPoint::AfterHeader {
            return Err(io::Error::other("injected failure after the header"));
        }
        Ok(())
    };
    if let Err(e) = write(f) {
        let restore = |f: &mut File| -> io::Result<()> {
            f.seek(SeekFrom::Start(fp))?;
            f.write_all(&old_fp)?;
            f.seek(SeekFrom::Start(data_end))?;
            f.write_all(&old_tail)?;
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
    progress(100);
    Ok(IndexSummary { packets: plan.packets, indexed_streams: indexed, replaced, old_len, new_len, seekable })
}

/// What to scan, checked before anything is read.
struct Plan {
    packets: u64,
    packet_size: u64,
    data_start: u64,
    data_end: u64,
    file_props_offset: u64,
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
            if c.indexer_type != IndexerType::PresentationTime {
                bail!(InvalidArg, "{:?} indexes (IWMIndexer2::Configure) are not supported; only WMT_IT_PRESENTATION_TIME", c.indexer_type);
            }
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
        Ok(Plan { packets, packet_size: ps, data_start: data.offset + 50, data_end, file_props_offset: fp.offset, streams })
    }
}

enum ScanError {
    Io(io::Error),
    Other(Error),
}

/// Read every packet once; collect each indexed stream's media objects.
fn scan(
    f: &mut File,
    _info: &AsfFile,
    plan: &Plan,
    progress: &mut dyn FnMut(u64),
    cancel: &AtomicBool,
) -> std::result::Result<Vec<(StreamIndex, Vec<ObjectSpan>)>, ScanError> {
    let mut out: Vec<(StreamIndex, Vec<ObjectSpan>)> = plan.streams.iter().map(|s| (*s, Vec::new())).collect();
    // Per stream: the object number of the object being assembled.
    let mut current: Vec<Option<u32>> = vec![None; out.len()];
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
                    spans.push((pl.pt_ms, pi, pi, pl.key));
                }
                current[k] = None;
            } else if pl.offset == 0 || current[k] != Some(pl.object_number) {
                spans.push((pl.pt_ms, pi, pi, pl.key));
                current[k] = Some(pl.object_number);
            } else if let Some(last) = spans.last_mut() {
                last.2 = pi;
            }
        }
        progress(pi + 1);
    }
    Ok(out)
}
