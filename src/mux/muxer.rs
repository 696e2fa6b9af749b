//! The ASF muxer: one object that owns the header build, the interleaving policy, the
//! packetizer, the simple-index builders, the marker offsets, the per-stream statistics
//! and the finalisation. The writer hands it media objects and takes the sink events it
//! queues ([`AsfMuxer::take_events`]).
//!
//! Geometry (packet size against each stream's payload header) is checked once, in
//! [`AsfMuxer::new`], with the SDK's `NS_E_MAX_PACKET_SIZE_TOO_SMALL`.
#![forbid(unsafe_code)]

use std::sync::Arc;

use super::Interleaver;
use crate::asf::header::{CodecEntry, FileProperties, Header, HeaderStream, FLAG_BROADCAST, FLAG_SEEKABLE};
use crate::asf::index::{SimpleIndexBuilder, DEFAULT_INTERVAL};
use crate::asf::packet::{check_geometry, ObjectInfo, Packetizer, PAYLOAD_HEADER_LEN};
use crate::buffer::SampleBuffer;
use crate::error::Result;
use crate::guid::Guid;
use crate::sink::protocol::{HeaderPatcher, PacketLog, SinkEvent};
use crate::{bail, err, Time100ns, TICKS_PER_MS};

/// One stream as the muxer sees it.
#[derive(Clone, Debug)]
pub struct MuxStream {
    /// The stream's header entry (format, bit rate, extensions, ...).
    pub header: HeaderStream,
    /// Encoded audio: an object is not split into a packet that already holds payloads
    /// (uncompressed audio is split where that fills packets).
    pub keep_whole: bool,
    /// How far (ms) before its own time a compressed payload may put an object (see
    /// [`ObjectInfo::time_slack_ms`]).
    pub time_slack_ms: u32,
    /// Video: key frames enter a Simple Index.
    pub indexed: bool,
    /// Continuous (audio / video): the interleaver waits for it; sparse streams are not waited for.
    pub continuous: bool,
    /// Payload extension bytes every payload carries (fixed-size extensions, plus 2 per
    /// variable-size one: the least it can take).
    pub extension_len: usize,
}

/// Everything [`AsfMuxer::new`] needs.
#[derive(Clone, Debug)]
pub struct MuxConfig {
    /// The streams, in profile order.
    pub streams: Vec<MuxStream>,
    /// Every data packet's size.
    pub packet_size: u32,
    /// Preroll, ms.
    pub preroll_ms: u32,
    /// Sum of the streams' bit rates (bit/s).
    pub total_bitrate: u64,
    /// File ID.
    pub file_id: Guid,
    /// FILETIME of creation.
    pub creation_date: u64,
    /// Language List.
    pub languages: Vec<String>,
    /// Header-level objects (metadata, markers, scripts) and Header Extension children
    /// as they are before any data is written (marker offsets 0).
    pub metadata_objects: (Vec<Vec<u8>>, Vec<Vec<u8>>),
    /// Codec List entries beyond the streams' own.
    pub extra_codecs: Vec<CodecEntry>,
    /// Header-level objects and Header Extension children from the profile's groups.
    pub profile_objects: (Vec<Vec<u8>>, Vec<Vec<u8>>),
    /// Marker times (100 ns, in order): the muxer finds each one's packet offset.
    pub marker_times: Vec<Time100ns>,
    /// Sync tolerance (100 ns): how long the interleaver waits for a quiet stream.
    pub tolerance: Time100ns,
}

/// The bytes of one media object.
#[derive(Debug)]
pub enum Payload {
    /// The first `length` bytes of a caller's sample buffer (marked queued; unmarked
    /// once copied into packets or dropped).
    Sample {
        /// The buffer.
        buffer: Arc<SampleBuffer>,
        /// Bytes used.
        length: usize,
    },
    /// Bytes the writer made (an encoder's output).
    Bytes(Vec<u8>),
}

impl Payload {
    fn len(&self) -> usize {
        match self {
            Payload::Sample { length, .. } => *length,
            Payload::Bytes(b) => b.len(),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Payload::Sample { buffer, length } => buffer.with_prefix(*length, f),
            Payload::Bytes(b) => f(b),
        }
    }

    fn release(&self) {
        if let Payload::Sample { buffer, .. } = self {
            buffer.unmark_queued();
        }
    }
}

/// One media object handed to the muxer.
#[derive(Debug)]
pub struct MediaObject {
    /// Presentation time (100 ns, no preroll).
    pub time: Time100ns,
    /// Duration (100 ns).
    pub duration: Time100ns,
    /// Key frame / clean point.
    pub key: bool,
    /// Payload extension bytes (the stream's declared data-unit extensions, in order).
    pub ext: Vec<u8>,
    /// The data.
    pub payload: Payload,
}

/// Per-stream counters kept by the muxer.
#[derive(Clone, Debug, Default)]
pub struct StreamStats {
    /// Media objects written.
    pub objects: u64,
    /// Payload bytes written.
    pub bytes: u64,
    /// Largest object.
    pub max_object: u32,
    /// End of the latest object (time + duration), 100 ns.
    pub end_time: Time100ns,
}

/// What [`AsfMuxer::finish`] produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MuxSummary {
    /// Bytes in the file (a seekable one: with the index).
    pub file_size: u64,
    /// Data packets.
    pub packets: u64,
    /// Packet size.
    pub packet_size: u32,
    /// Play duration (100 ns, incl. preroll).
    pub play_duration: u64,
    /// Whether every indexed stream got an index and the sinks can seek.
    pub seekable: bool,
}

#[derive(Debug)]
struct StreamState {
    cfg: MuxStream,
    next_object: u8,
    stats: StreamStats,
    index: Option<SimpleIndexBuilder>,
}

/// The muxer; see the module docs.
#[derive(Debug)]
pub struct AsfMuxer {
    header: Header,
    header_len: usize,
    packetizer: Packetizer,
    interleaver: Interleaver<MediaObject>,
    streams: Vec<StreamState>,
    preroll_ms: u32,
    emitted_time: Time100ns,
    marker_times: Vec<Time100ns>,
    marker_offsets: Vec<u64>,
    events: Vec<SinkEvent>,
    /// Begin every media object on a packet boundary (a sink is about to cut the file).
    clean_cuts: bool,
}

impl AsfMuxer {
    /// Check the geometry, build the first header and queue it as the first event.
    pub fn new(cfg: MuxConfig) -> Result<AsfMuxer> {
        for s in &cfg.streams {
            check_geometry(cfg.packet_size, s.header.number, s.extension_len)?;
        }
        let packetizer = Packetizer::new(cfg.packet_size)?;
        let header = Header {
            props: FileProperties {
                file_id: cfg.file_id,
                file_size: 0,
                creation_date: cfg.creation_date,
                data_packets: 0,
                play_duration: 0,
                send_duration: 0,
                preroll_ms: cfg.preroll_ms as u64,
                flags: FLAG_BROADCAST,
                packet_size: cfg.packet_size,
                max_bitrate: cfg.total_bitrate.clamp(1, u32::MAX as u64) as u32,
            },
            streams: cfg.streams.iter().map(|s| s.header.clone()).collect(),
            languages: cfg.languages,
            extra_objects: cfg.metadata_objects.0,
            extension_objects: cfg.metadata_objects.1,
            extra_codecs: cfg.extra_codecs,
            profile_objects: cfg.profile_objects.0,
            profile_extension_objects: cfg.profile_objects.1,
        };
        let bytes = header.file_start();
        let header_len = header.to_bytes().len();
        let live_bytes = header.live_start();
        let indexed: Vec<u16> = cfg.streams.iter().filter(|s| s.indexed).map(|s| s.header.number).collect();
        let patcher = SubsetHeader::shared(&header, indexed, cfg.preroll_ms);
        let events = vec![SinkEvent::Header {
            bytes,
            live_bytes,
            packet_size: cfg.packet_size,
            preroll_ms: cfg.preroll_ms as u64,
            patcher: Some(patcher),
        }];
        let wait_for = cfg.streams.iter().map(|s| s.continuous).collect();
        let streams = cfg
            .streams
            .into_iter()
            .map(|s| StreamState {
                index: s.indexed.then(|| SimpleIndexBuilder::new(s.header.number)),
                cfg: s,
                next_object: 0,
                stats: StreamStats::default(),
            })
            .collect();
        Ok(AsfMuxer {
            clean_cuts: false,
            header,
            header_len,
            packetizer,
            interleaver: Interleaver::new(wait_for, cfg.tolerance.max(1)),
            streams,
            preroll_ms: cfg.preroll_ms,
            emitted_time: 0,
            marker_times: cfg.marker_times,
            marker_offsets: Vec::new(),
            events,
        })
    }

    /// The header as first written.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Begin every media object on a packet boundary from now on (`true`) — a sink waits
    /// to start or stop between whole objects — or pack objects densely (`false`).
    pub fn set_clean_cuts(&mut self, on: bool) {
        self.clean_cuts = on;
    }

    /// The latest presentation time already put into packets (100 ns).
    pub fn emitted_time(&self) -> Time100ns {
        self.emitted_time
    }

    /// Packet size.
    pub fn packet_size(&self) -> u32 {
        self.packetizer.packet_size() as u32
    }

    /// Packets made so far.
    pub fn packet_count(&self) -> u64 {
        self.packetizer.packet_count()
    }

    /// Counters of stream `idx` (profile order).
    pub fn stream_stats(&self, idx: usize) -> &StreamStats {
        &self.streams[idx].stats
    }

    /// Queue `obj` for stream `idx` and packetize whatever the interleaver releases.
    pub fn push(&mut self, idx: usize, obj: MediaObject) -> Result<()> {
        if idx >= self.streams.len() {
            obj.payload.release();
            bail!(Unexpected, "the muxer has no stream index {idx}");
        }
        self.interleaver.push(idx, obj.time, obj);
        self.pump(false)
    }

    /// The sink events queued so far (header, packet runs, end), in order.
    pub fn take_events(&mut self) -> Vec<SinkEvent> {
        self.packetizer.cut();
        self.events.extend(self.packetizer.take_runs().map(SinkEvent::Packets));
        std::mem::take(&mut self.events)
    }

    fn pump(&mut self, all: bool) -> Result<()> {
        loop {
            let next = if all { self.interleaver.pop_any() } else { self.interleaver.pop_ready() };
            let Some((idx, _, obj)) = next else { return Ok(()) };
            let r = self.emit(idx, &obj);
            obj.payload.release();
            r?;
        }
    }

    fn emit(&mut self, idx: usize, obj: &MediaObject) -> Result<()> {
        let st = &mut self.streams[idx];
        let pt_ms = (obj.time / TICKS_PER_MS) as u32 + self.preroll_ms;
        let info = ObjectInfo {
            stream: st.cfg.header.number as u8,
            object_number: st.next_object,
            presentation_ms: pt_ms,
            send_ms: (obj.time / TICKS_PER_MS) as u32,
            key: obj.key,
            keep_whole: st.cfg.keep_whole || self.clean_cuts,
            duration_ms: (obj.duration / TICKS_PER_MS).min(u32::MAX as u64) as u32,
            time_slack_ms: st.cfg.time_slack_ms,
            ext: &obj.ext,
        };
        let packetizer = &mut self.packetizer;
        let placement = obj.payload.with(|data| packetizer.add_object(&info, data))?;
        let len = obj.payload.len();
        st.next_object = st.next_object.wrapping_add(1);
        st.stats.end_time = st.stats.end_time.max(obj.time + obj.duration);
        st.stats.max_object = st.stats.max_object.max(len as u32);
        st.stats.bytes += len as u64;
        st.stats.objects += 1;
        if obj.key {
            if let Some(ix) = &mut st.index {
                ix.add_key_frame(pt_ms, placement.first_packet, placement.last_packet);
            }
        }
        self.emitted_time = self.emitted_time.max(obj.time);
        let packet_size = self.packetizer.packet_size() as u64;
        while self.marker_offsets.len() < self.marker_times.len() && self.marker_times[self.marker_offsets.len()] <= obj.time {
            self.marker_offsets.push(placement.first_packet * packet_size);
        }
        Ok(())
    }

    /// Drop every queued object (the session failed).
    pub fn abandon(&mut self) {
        while let Some((_, _, obj)) = self.interleaver.pop_any() {
            obj.payload.release();
        }
    }

    /// Write everything queued, then queue the end: the indexes (when `seekable_sinks`)
    /// and the final header. `metadata_objects` rebuilds the metadata objects with the
    /// markers' real packet offsets (same lengths as before).
    pub fn finish(
        &mut self,
        seekable_sinks: bool,
        metadata_objects: impl FnOnce(&[u64]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>),
    ) -> Result<MuxSummary> {
        self.pump(true)?;
        self.packetizer.flush();
        let packets = self.packetizer.packet_count();
        let packet_size = self.packetizer.packet_size() as u64;
        let content_end = self.streams.iter().map(|s| s.stats.end_time).max().unwrap_or(0);
        let play_duration = self.preroll_ms as u64 * TICKS_PER_MS + content_end;
        let mut trailer = Vec::new();
        let mut all_indexed = true;
        if seekable_sinks {
            for s in &self.streams {
                if let Some(ix) = &s.index {
                    if ix.is_empty() {
                        all_indexed = false;
                    } else {
                        trailer.extend_from_slice(&ix.to_bytes(&self.header.props.file_id, DEFAULT_INTERVAL, play_duration));
                    }
                }
            }
        }
        let data_size = packets * packet_size;
        let file_size = Header::first_packet_offset(self.header_len) + data_size + trailer.len() as u64;
        let secs = content_end.max(1) as f64 / 1e7;
        let measured = ((data_size as f64 * 8.0) / secs).ceil() as u64;
        let h = &mut self.header;
        if seekable_sinks {
            let p = &mut h.props;
            p.file_size = file_size;
            p.data_packets = packets;
            p.play_duration = play_duration;
            p.send_duration = content_end;
            p.flags = if all_indexed { FLAG_SEEKABLE } else { 0 };
            p.max_bitrate = (p.max_bitrate as u64).max(measured).clamp(1, u32::MAX as u64) as u32;
        }
        for (hs, s) in h.streams.iter_mut().zip(&self.streams) {
            hs.max_object_size = s.stats.max_object;
            let stream_secs = s.stats.end_time.max(1) as f64 / 1e7;
            let overhead = s.stats.objects * (PAYLOAD_HEADER_LEN as u64);
            hs.measured_bitrate = (((s.stats.bytes + overhead) as f64 * 8.0) / stream_secs).ceil().min(u32::MAX as f64) as u32;
        }
        while self.marker_offsets.len() < self.marker_times.len() {
            self.marker_offsets.push(data_size);
        }
        let (top, ext) = metadata_objects(&self.marker_offsets);
        h.extra_objects = top;
        h.extension_objects = ext;
        let final_header = h.file_start();
        if final_header.len() != self.header_len + crate::asf::header::DATA_OBJECT_PREFIX_LEN {
            return Err(err!(
                Unexpected,
                "end_writing: internal error: the final header is {} bytes, the first was {}",
                final_header.len(),
                self.header_len + crate::asf::header::DATA_OBJECT_PREFIX_LEN
            ));
        }
        self.events.extend(self.packetizer.take_runs().map(SinkEvent::Packets));
        let indexed = self.streams.iter().filter(|s| s.index.is_some()).map(|s| s.cfg.header.number).collect();
        let patcher = Some(SubsetHeader::shared(h, indexed, self.preroll_ms));
        self.events.push(SinkEvent::End { trailer, final_header, patcher });
        Ok(MuxSummary { file_size, packets, packet_size: packet_size as u32, play_duration, seekable: seekable_sinks && all_indexed })
    }
}

/// Headers for a file that holds only some of the session's packets (a file sink's
/// start/stop segments, or its header rewritten while writing): the session's header
/// with that file's sizes, counts and durations, and Simple Index Objects rebuilt from
/// the packets' key-frame starts.
#[derive(Debug)]
struct SubsetHeader {
    header: Header,
    indexed: Vec<u16>,
    preroll_ms: u32,
}

impl SubsetHeader {
    fn shared(header: &Header, indexed: Vec<u16>, preroll_ms: u32) -> Arc<dyn HeaderPatcher> {
        Arc::new(SubsetHeader { header: header.clone(), indexed, preroll_ms })
    }
}

impl HeaderPatcher for SubsetHeader {
    fn patch(&self, packets: &PacketLog, index: bool) -> (Vec<u8>, Vec<u8>) {
        let mut h = self.header.clone();
        let packet_size = h.props.packet_size as u64;
        let content_end = packets.end_ms() as u64 * TICKS_PER_MS;
        let play_duration = self.preroll_ms as u64 * TICKS_PER_MS + content_end;
        let mut trailer = Vec::new();
        // Without an index the file is seekable only if no stream needed one (no video).
        let mut all_indexed = index || self.indexed.is_empty();
        if index {
            for &stream in &self.indexed {
                let mut ix = SimpleIndexBuilder::new(stream);
                let bit = 1u128 << (stream & 0x7F);
                for k in packets.keys().iter().filter(|k| k.key_starts & bit != 0) {
                    // The key frame runs on through the packets that continue it.
                    ix.add_key_frame(k.key_pt_ms, k.packet, packets.run_end(k));
                }
                if ix.is_empty() {
                    all_indexed = false;
                } else {
                    trailer.extend_from_slice(&ix.to_bytes(&h.props.file_id, DEFAULT_INTERVAL, play_duration));
                }
            }
        }
        let header_len = h.to_bytes().len();
        let p = &mut h.props;
        p.data_packets = packets.len();
        p.file_size = Header::first_packet_offset(header_len) + p.data_packets * packet_size + trailer.len() as u64;
        p.play_duration = play_duration;
        p.send_duration = content_end;
        p.flags = if all_indexed { FLAG_SEEKABLE } else { 0 };
        (h.file_start(), trailer)
    }

    fn key_mask(&self) -> u128 {
        self.indexed.iter().fold(0, |m, &s| m | 1u128 << (s & 0x7F))
    }
}

impl Drop for AsfMuxer {
    fn drop(&mut self) {
        self.abandon();
    }
}
