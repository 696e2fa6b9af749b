//! `wmwrite index FILE`: add the index objects to an ASF file in place (IWMIndexer's
//! default temporal index: a Simple Index Object per video stream), as the SDK's
//! indexer does. A failure or an interrupt (SIGINT/SIGTERM/SIGHUP) leaves the file
//! byte-identical (see `wmwriter::indexer`).

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use wmwriter::error::ErrorKind;
use wmwriter::indexer::{self, IndexConfig, IndexType, IndexerType, StreamIndex};

use crate::error::{CliError, Result};
use crate::output;
use crate::progress::Progress;

/// Index `path` (plus a frame-number index every `frames` frames, and a time-code
/// index, when asked); prints one line saying what was done.
pub fn index(path: &Path, frames: Option<u32>, timecode: bool) -> Result<()> {
    let cancel = Arc::new(AtomicBool::new(false));
    output::set_index_cancel(Some(cancel.clone()));
    let mut cfg = IndexConfig::default();
    let clean = IndexType::NearestCleanPoint;
    if let Some(n) = frames {
        cfg.streams.push(StreamIndex { stream: 0, indexer_type: IndexerType::FrameNumbers, interval: n, index_type: clean });
    }
    if timecode {
        cfg.streams.push(StreamIndex { stream: 0, indexer_type: IndexerType::Timecode, interval: 1, index_type: clean });
    }
    let mut bar = Progress::new(100, "indexing");
    let r = indexer::index_file(path, &cfg, &mut |p| bar.set(p as u64), &cancel);
    bar.finish();
    output::set_index_cancel(None);
    let s = match r {
        Ok(s) => s,
        Err(e) if e.kind == ErrorKind::Aborted => {
            return Err(CliError::new("E_ABORT", format!("interrupted; {} was left as it was", path.display())));
        }
        Err(e) => return Err(CliError::from(e).context(format!("indexing {}", path.display()))),
    };
    let what = if s.indexed_streams.is_empty() {
        "no video stream: no index needed".to_string()
    } else {
        let list: Vec<String> = s.indexed_streams.iter().map(u16::to_string).collect();
        format!("a Simple Index for stream {}", list.join(", "))
    };
    let replaced = if s.replaced > 0 { format!(" (replaced {} old index object(s))", s.replaced) } else { String::new() };
    output::print(&format!(
        "indexed {}: {} packets, {what}{replaced}; {} -> {} bytes{}\n",
        path.display(),
        s.packets,
        s.old_len,
        s.new_len,
        if s.seekable { ", seekable" } else { "" }
    ))
}
