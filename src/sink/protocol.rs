//! The typed sink protocol: what the muxer hands every sink. No sink parses ASF bytes;
//! everything a sink needs to know (packet size, send times, where key frames start) is
//! in the events. Slices borrow buffers the muxer holds for the duration of the call.
//!
//! Threading rule (for implementors): events are delivered outside the writer's lock, in
//! order, from one thread at a time; an implementation may block only as long as its own
//! I/O takes (a network sink queues per client and never blocks on a client).
#![forbid(unsafe_code)]

use std::fmt::Debug;
use std::io;

/// The file's beginning: Header Object + the Data Object's 50-byte prefix.
#[derive(Clone, Copy, Debug)]
pub struct HeaderEvent<'a> {
    /// As a seekable file begins (sizes and counts are patched by [`EndEvent::final_header`]).
    pub bytes: &'a [u8],
    /// The same header in the live layout (broadcast flag set, file size / packet count /
    /// durations unknown, no index expected): for sinks that stream (FIFOs, network).
    pub live_bytes: &'a [u8],
    /// Every data packet is exactly this many bytes.
    pub packet_size: u32,
    /// Preroll, ms.
    pub preroll_ms: u64,
}

/// One data packet.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    /// The packet, exactly `packet_size` bytes.
    pub bytes: &'a [u8],
    /// Send time, ms (non-decreasing from packet to packet).
    pub send_time_ms: u32,
    /// Duration, ms.
    pub duration_ms: u16,
    /// Bit `n` set: a key-frame media object of stream `n` (1..=127) starts in this packet.
    /// A late-joining client starts at a packet where each video stream's bit was set.
    pub key_starts: u128,
}

/// The end of the file.
#[derive(Clone, Copy, Debug)]
pub struct EndEvent<'a> {
    /// Objects after the Data Object (the indexes); written by sinks that can seek.
    pub trailer: &'a [u8],
    /// The header with final sizes, counts and durations, the same length as
    /// [`HeaderEvent::bytes`]; sinks that can seek rewrite the beginning with it.
    pub final_header: &'a [u8],
}

/// A destination for one ASF file (or stream).
pub trait PacketSink: Send + Debug {
    /// Whether the sink can go back and rewrite the header at the end.
    fn can_seek(&self) -> bool;
    /// The header: always first.
    fn on_header(&mut self, header: &HeaderEvent<'_>) -> io::Result<()>;
    /// A run of complete data packets, in order (ready for one vectored write).
    fn on_packets(&mut self, packets: &[Packet<'_>]) -> io::Result<()>;
    /// End of the session.
    fn on_end(&mut self, end: &EndEvent<'_>) -> io::Result<()>;
}

/// The per-packet facts of [`Packet`], held beside the bytes of a [`PacketRun`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketInfo {
    /// Send time, ms.
    pub send_time_ms: u32,
    /// Duration, ms.
    pub duration_ms: u16,
    /// See [`Packet::key_starts`].
    pub key_starts: u128,
    /// The first payload continues a media object begun in an earlier packet (a sink
    /// that leaves packets out starts and stops only where this is false, so every media
    /// object it writes is whole).
    pub continues: bool,
    /// The latest end (send time + duration, ms, no preroll) of the media objects with
    /// a payload in this packet.
    pub end_ms: u32,
    /// Presentation time (ms, preroll included) of the first key frame starting here
    /// (meaningful when `key_starts` is not 0).
    pub key_pt_ms: u32,
    /// Payloads in the packet.
    pub payloads: u8,
}

/// Builds a header (and index objects) for a file that holds only some of the session's
/// packets: a sink that writes segments (`IWMWriterFileSink2::Start` / `Stop`) or
/// rewrites the header while writing (a flush interval). The muxer provides it; the sink
/// never parses ASF bytes.
pub trait HeaderPatcher: Send + Sync + Debug {
    /// The header (Header Object + Data Object prefix, the same length as
    /// [`HeaderEvent::bytes`]) for a file of exactly the packets `log` describes (in
    /// file order) and, when `index`, the index objects to append after them (the header
    /// then says seekable where every indexed stream got an entry).
    fn patch(&self, log: &PacketLog, index: bool) -> (Vec<u8>, Vec<u8>);

    /// The [`PacketInfo::key_starts`] bits of the streams the index covers: the only
    /// key-frame starts a [`PacketLog`] has to keep.
    fn key_mask(&self) -> u128;
}

/// What a [`HeaderPatcher`] needs to know of the packets a file holds, in memory that
/// grows with the key frames of indexed streams, not with the packets: how many, the
/// latest end time, and each packet where a key frame of an indexed stream starts with
/// the last packet of its run (the packets after it whose first payload continues an
/// object).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PacketLog {
    count: u64,
    end_ms: u32,
    mask: u128,
    keys: Vec<KeyPacket>,
    /// The last packet of each run that holds a key start (`KeyPacket::run` indexes it).
    runs: Vec<u64>,
    /// Whether the run the last packet belongs to is the last one in `runs`.
    in_run: bool,
}

/// A packet where a key frame of an indexed stream starts (see [`PacketLog`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyPacket {
    /// Packet number in the file.
    pub packet: u64,
    /// [`PacketInfo::key_starts`], only the logged streams' bits.
    pub key_starts: u128,
    /// [`PacketInfo::key_pt_ms`].
    pub key_pt_ms: u32,
    run: usize,
}

impl PacketLog {
    /// An empty log keeping the key starts of the streams in `mask`.
    pub fn new(mask: u128) -> Self {
        PacketLog { mask, ..PacketLog::default() }
    }

    /// A log of `packets`, in order.
    pub fn of(mask: u128, packets: &[PacketInfo]) -> Self {
        let mut log = PacketLog::new(mask);
        packets.iter().for_each(|p| log.push(p));
        log
    }

    /// Add the next packet of the file.
    pub fn push(&mut self, p: &PacketInfo) {
        let n = self.count;
        if !p.continues {
            self.in_run = false;
        }
        let starts = p.key_starts & self.mask;
        if starts != 0 {
            if !self.in_run {
                self.runs.push(n);
                self.in_run = true;
            }
            self.keys.push(KeyPacket { packet: n, key_starts: starts, key_pt_ms: p.key_pt_ms, run: self.runs.len() - 1 });
        }
        if self.in_run {
            if let Some(last) = self.runs.last_mut() {
                *last = n;
            }
        }
        self.count += 1;
        self.end_ms = self.end_ms.max(p.end_ms);
    }

    /// Packets logged.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Whether no packet is logged.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The latest [`PacketInfo::end_ms`].
    pub fn end_ms(&self) -> u32 {
        self.end_ms
    }

    /// The key-start packets, in order.
    pub fn keys(&self) -> &[KeyPacket] {
        &self.keys
    }

    /// The last packet of `k`'s run: the key frame starting there runs on at most that far.
    pub fn run_end(&self, k: &KeyPacket) -> u64 {
        self.runs[k.run]
    }
}

/// A run of complete packets as the muxer made them: one buffer (`info.len()` packets of
/// `packet_size` bytes each, back to back) plus each packet's facts. Owned, so it can
/// be handed to sinks after the writer's lock is released. When dropped, its buffer
/// goes back to the [`RunPool`] it came from (if any), so steady writing reuses a
/// couple of buffers instead of allocating (and page-faulting) new ones.
#[derive(Clone, Debug, Default)]
pub struct PacketRun {
    /// Bytes of one packet.
    pub packet_size: usize,
    /// The packets, back to back.
    pub bytes: Vec<u8>,
    /// One entry per packet.
    pub info: Vec<PacketInfo>,
    /// Where `bytes` returns when the run is dropped.
    pub pool: Option<std::sync::Arc<RunPool>>,
}

impl Drop for PacketRun {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            pool.put(std::mem::take(&mut self.bytes));
        }
    }
}

/// Spare run buffers (at most a few are kept).
#[derive(Debug, Default)]
pub struct RunPool {
    free: std::sync::Mutex<Vec<Vec<u8>>>,
}

impl RunPool {
    const KEEP: usize = 8;

    /// An empty buffer with at least `capacity` bytes of room.
    pub fn get(&self, capacity: usize) -> Vec<u8> {
        let spare = self.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner).pop();
        match spare {
            Some(mut v) => {
                v.reserve(capacity);
                v
            }
            None => Vec::with_capacity(capacity),
        }
    }

    /// Give a buffer back.
    pub fn put(&self, mut v: Vec<u8>) {
        v.clear();
        let mut free = self.free.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if free.len() < Self::KEEP && v.capacity() > 0 {
            free.push(v);
        }
    }
}

impl PacketRun {
    /// The packets as protocol events (slices into `bytes`).
    pub fn packets(&self) -> Vec<Packet<'_>> {
        self.bytes
            .chunks_exact(self.packet_size.max(1))
            .zip(&self.info)
            .map(|(bytes, i)| Packet { bytes, send_time_ms: i.send_time_ms, duration_ms: i.duration_ms, key_starts: i.key_starts })
            .collect()
    }
}

/// One protocol event in owned form: what the writer queues under its lock and
/// delivers to every sink after releasing it.
#[derive(Clone, Debug)]
pub enum SinkEvent {
    /// See [`HeaderEvent`].
    Header {
        /// [`HeaderEvent::bytes`].
        bytes: Vec<u8>,
        /// [`HeaderEvent::live_bytes`].
        live_bytes: Vec<u8>,
        /// [`HeaderEvent::packet_size`].
        packet_size: u32,
        /// [`HeaderEvent::preroll_ms`].
        preroll_ms: u64,
        /// Makes headers for a file of a subset of the packets (see [`HeaderPatcher`]).
        patcher: Option<std::sync::Arc<dyn HeaderPatcher>>,
    },
    /// See [`Packet`].
    Packets(PacketRun),
    /// See [`EndEvent`].
    End {
        /// [`EndEvent::trailer`].
        trailer: Vec<u8>,
        /// [`EndEvent::final_header`].
        final_header: Vec<u8>,
        /// As in [`SinkEvent::Header`], with the session's final header facts.
        patcher: Option<std::sync::Arc<dyn HeaderPatcher>>,
    },
}

impl SinkEvent {
    /// Hand this event to `sink`.
    pub fn send_to(&self, sink: &mut dyn PacketSink) -> io::Result<()> {
        match self {
            SinkEvent::Header { bytes, live_bytes, packet_size, preroll_ms, .. } => {
                sink.on_header(&HeaderEvent { bytes, live_bytes, packet_size: *packet_size, preroll_ms: *preroll_ms })
            }
            SinkEvent::Packets(run) => sink.on_packets(&run.packets()),
            SinkEvent::End { trailer, final_header, .. } => sink.on_end(&EndEvent { trailer, final_header }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log's key packets and run ends against the direct computation over every
    /// packet (what the patcher did with the whole list): for each packet where a
    /// logged key frame starts, the last of the packets after it that continue.
    #[test]
    fn packet_log_matches_the_full_list() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..200 {
            let n = (round % 40) as usize;
            let packets: Vec<PacketInfo> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    PacketInfo {
                        continues: x & 3 != 0,
                        key_starts: (x >> 8 & 0b110) as u128,
                        key_pt_ms: i as u32 * 10,
                        end_ms: (x >> 20) as u32 % 1000,
                        ..PacketInfo::default()
                    }
                })
                .collect();
            let log = PacketLog::of(0b100, &packets);
            assert_eq!(log.len(), n as u64);
            assert_eq!(log.end_ms(), packets.iter().map(|p| p.end_ms).max().unwrap_or(0));
            let want: Vec<(u64, u64, u32)> = packets
                .iter()
                .enumerate()
                .filter(|(_, p)| p.key_starts & 0b100 != 0)
                .map(|(i, p)| {
                    let last = (i + 1..n).take_while(|&m| packets[m].continues).last().unwrap_or(i);
                    (i as u64, last as u64, p.key_pt_ms)
                })
                .collect();
            let got: Vec<(u64, u64, u32)> = log.keys().iter().map(|k| (k.packet, log.run_end(k), k.key_pt_ms)).collect();
            assert_eq!(got, want, "round {round}");
            assert!(log.keys().iter().all(|k| k.key_starts == 0b100), "only the logged stream's bit");
        }
    }
}
