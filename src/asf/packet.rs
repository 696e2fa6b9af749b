//! The packetizer: fills fixed-size data packets with payloads.
//!
//! Every packet has the same layout: error-correction bytes `82 00 00`, Length Type
//! Flags `0x11` (multiple payloads, WORD padding length), Property Flags `0x5D`, the
//! padding length, send time, duration, a payload-flags byte (`0x80 | n`, WORD payload
//! lengths), then payloads of 17 header bytes each (8 bytes of replicated data: object
//! size and presentation time), then zero padding. Media objects larger than the room
//! left are fragmented across packets; objects marked `keep_whole` (encoded audio, which
//! a decoder needs whole) are not split into a packet that already holds payloads;
//! uncompressed audio may be split like video.
//!
//! **Compressed payloads.** Small objects (1..=255 bytes, no payload extensions) of one
//! stream that follow each other in a packet share one payload with replicated data
//! length 1: the offset field holds the first object's presentation time, the one
//! replicated byte the presentation-time delta, the data is `{BYTE length; bytes}` per
//! object (ASF spec 7.3.2.2; FFmpeg, GStreamer and VLC read them). A payload starts as
//! an ordinary one; the second object of the same stream turns it into a compressed one
//! in place. Object `j` of a compressed payload is read back at `first + j × delta` ms
//! (delta ≥ 1: the first object's duration, whole ms): objects join only while that is
//! exact (encoded streams) or at most [`MAX_TIME_ERROR_MS`] (uncompressed audio and
//! video, [`ObjectInfo::time_slack_ms`]) before their own presentation time (never after it, so
//! times never run backwards), with consecutive object numbers and the same key bit.
//! Objects shorter than 1 ms therefore stay in ordinary payloads. The cost per object drops from 17 header bytes
//! to one length byte.
//!
//! Completed packets accumulate in one output buffer, with each packet's send time,
//! duration and key-frame starts beside it ([`PacketInfo`]); runs of up to about 256 KiB are
//! moved out as [`PacketRun`]s ([`Packetizer::take_runs`]) for the sinks. Each payload
//! byte is copied once, from the sample into that buffer.
//!
//! Geometry is checked when the packetizer is made ([`Packetizer::new`],
//! [`check_geometry`]): a packet size the format cannot use is an error, never clamped.

use crate::error::Result;
use crate::sink::protocol::{PacketInfo, PacketRun, RunPool};
use crate::{bail, err};
use std::sync::Arc;

/// Bytes before the first payload: EC (3) + flags (2) + padding (2) + send (4) + duration (2) + payload flags (1).
pub const PACKET_HEADER_LEN: usize = 14;
/// Bytes of one payload's header in a multiple-payload packet (with 8 bytes of replicated data).
pub const PAYLOAD_HEADER_LEN: usize = 17;
/// Most payloads one packet can hold (6-bit count).
pub const MAX_PAYLOADS: u8 = 63;
/// Smallest packet size accepted.
pub const MIN_PACKET_SIZE: u32 = 100;
/// Largest packet size accepted (fits the MMSH 16-bit framing with its 8-byte header).
pub const MAX_PACKET_SIZE: u32 = 65_527;
/// Bytes before the first sub-payload of a compressed payload: stream, object number,
/// presentation time (DWORD), replicated data length (1), time delta, WORD length.
pub const COMPRESSED_HEADER_LEN: usize = 10;
/// Largest object a compressed payload can hold (one length byte).
pub const MAX_COMPRESSED_OBJECT: usize = 255;
/// How far (ms) a compressed payload's reconstructed presentation time
/// (`first + j × delta`) may lie before the object's own, for streams that allow it
/// ([`ObjectInfo::time_slack_ms`]; uncompressed audio and video).
pub const MAX_TIME_ERROR_MS: u32 = 4;
/// Most payload extension bytes one payload can carry (replicated data length is a byte; 8 are taken).
pub(crate) const MAX_EXTENSION_LEN: usize = 247;

/// Check that `packet_size` is one the packetizer can use.
pub fn check_packet_size(packet_size: u32) -> Result<()> {
    if packet_size < MIN_PACKET_SIZE {
        bail!(MaxPacketSizeTooSmall, "the packet size {packet_size} is smaller than the {MIN_PACKET_SIZE} bytes an ASF data packet needs");
    }
    if packet_size > MAX_PACKET_SIZE {
        bail!(
            InvalidProfile,
            "the packet size {packet_size} is larger than the {MAX_PACKET_SIZE} bytes this writer (and MMSH framing) allows"
        );
    }
    Ok(())
}

/// The most payload extension bytes a payload can carry in `packet_size`-byte packets
/// (a payload must hold its header and at least one byte of data).
pub fn max_extension_len(packet_size: u32) -> usize {
    (packet_size as usize).saturating_sub(PACKET_HEADER_LEN + PAYLOAD_HEADER_LEN + 1).min(MAX_EXTENSION_LEN)
}

/// Check that a payload with `ext_len` bytes of extension data fits `packet_size`-byte
/// packets; `stream` names the stream in the message.
pub fn check_geometry(packet_size: u32, stream: u16, ext_len: usize) -> Result<()> {
    check_packet_size(packet_size)?;
    if ext_len > MAX_EXTENSION_LEN {
        bail!(
            DataUnitExtensionTooLarge,
            "stream {stream}'s data-unit extensions take {ext_len} bytes per payload; at most {MAX_EXTENSION_LEN} fit the replicated data"
        );
    }
    if ext_len > max_extension_len(packet_size) {
        bail!(
            MaxPacketSizeTooSmall,
            "the packet size {packet_size} is too small for stream {stream}: its {}-byte payload header ({} bytes of data-unit extensions) and the {PACKET_HEADER_LEN}-byte packet header leave no room for data; use packets of at least {} bytes",
            PAYLOAD_HEADER_LEN + ext_len,
            ext_len,
            PACKET_HEADER_LEN + PAYLOAD_HEADER_LEN + ext_len + 1
        );
    }
    Ok(())
}

/// Append one data-unit extension value to a payload's extension bytes: a
/// variable-size one (`declared` 0xFFFF) as a 16-bit length + the value, a fixed-size
/// one as the value padded with zeros to `declared` bytes. The caller has checked that
/// the value fits.
pub fn put_extension_value(out: &mut Vec<u8>, declared: u16, value: &[u8]) {
    if declared == 0xFFFF {
        out.extend_from_slice(&(value.len() as u16).to_le_bytes());
        out.extend_from_slice(value);
    } else {
        out.extend_from_slice(value);
        out.resize(out.len() + (declared as usize).saturating_sub(value.len()), 0);
    }
}

/// One media object to packetize.
#[derive(Clone, Copy, Debug)]
pub struct ObjectInfo<'a> {
    /// Stream number 1..127.
    pub stream: u8,
    /// Media object number (per stream, wraps at 256).
    pub object_number: u8,
    /// Presentation time in ms, preroll included.
    pub presentation_ms: u32,
    /// Earliest send time in ms (no preroll); normally `presentation_ms - preroll`.
    pub send_ms: u32,
    /// Key frame / clean point: sets the key bit on every fragment.
    pub key: bool,
    /// Do not split this object into a packet that already holds payloads (encoded audio).
    pub keep_whole: bool,
    /// Duration in ms (rounded down; 0 when unknown or shorter than 1 ms): the
    /// presentation-time delta a compressed payload starting with this object uses.
    pub duration_ms: u32,
    /// How far (ms, at most [`MAX_TIME_ERROR_MS`]) before its own presentation time a
    /// compressed payload may put this object: 0 (exact) for encoded streams, whose
    /// time stamps a remuxer or decoder keeps; more for uncompressed audio and video,
    /// whose times follow from byte counts.
    pub time_slack_ms: u32,
    /// Payload extension data (the stream's declared data-unit extensions, in order),
    /// appended to the 8 bytes of replicated data of every fragment; at most 247 bytes.
    pub ext: &'a [u8],
}

/// Where an object landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// Packet index of the first fragment.
    pub first_packet: u64,
    /// Packet index of the last fragment.
    pub last_packet: u64,
}

/// The last payload of the open packet, while more objects could join it.
#[derive(Clone, Copy, Debug)]
struct LastPayload {
    /// Offset of its stream-number byte in `out`.
    at: usize,
    stream: u8,
    key: bool,
    /// Object number of its first object.
    object_number: u8,
    /// Presentation time of its first object.
    first_pt: u32,
    /// Presentation time of its last object.
    last_pt: u32,
    /// Duration of its first object (ms).
    duration_ms: u32,
    /// Objects in it.
    count: u32,
    /// Time delta once compressed.
    delta: Option<u8>,
}

#[derive(Debug)]
struct OpenPacket {
    /// Offset of the packet in `out`.
    start: usize,
    payloads: u8,
    send_ms: u32,
    first_pt: u32,
    last_pt: u32,
    key_starts: u128,
    continues: bool,
    end_ms: u32,
    key_pt: Option<u32>,
    /// The last payload, when it is a whole small object or a compressed payload.
    last: Option<LastPayload>,
}

/// Fills fixed-size packets; see the module docs.
#[derive(Debug)]
pub struct Packetizer {
    packet_size: usize,
    out: Vec<u8>,
    info: Vec<PacketInfo>,
    ready: Vec<PacketRun>,
    pool: Arc<RunPool>,
    open: Option<OpenPacket>,
    packets: u64,
    last_send_ms: u32,
    flush_threshold: usize,
}

impl Packetizer {
    /// A packetizer for packets of `packet_size` bytes (100..=65527, else an error).
    pub fn new(packet_size: u32) -> Result<Self> {
        check_packet_size(packet_size)?;
        let packet_size = packet_size as usize;
        let flush_threshold = (256 << 10).max(packet_size * 4);
        Ok(Packetizer {
            packet_size,
            out: Vec::with_capacity(flush_threshold + packet_size),
            info: Vec::new(),
            ready: Vec::new(),
            pool: Arc::default(),
            open: None,
            packets: 0,
            last_send_ms: 0,
            flush_threshold,
        })
    }

    /// The packet size.
    pub fn packet_size(&self) -> usize {
        self.packet_size
    }

    /// Packets completed so far (handed on or waiting in the buffer).
    pub fn packet_count(&self) -> u64 {
        self.packets
    }

    /// Send time of the last closed packet, ms.
    pub fn last_send_ms(&self) -> u32 {
        self.last_send_ms
    }

    /// Add one media object. Complete packets collect in runs ([`Packetizer::take_runs`]).
    pub fn add_object(&mut self, info: &ObjectInfo<'_>, data: &[u8]) -> Result<Placement> {
        let size = data.len();
        let hdr = PAYLOAD_HEADER_LEN + info.ext.len();
        if info.ext.len() > max_extension_len(self.packet_size as u32) {
            return Err(err!(MaxPacketSizeTooSmall, "a {hdr}-byte payload header does not fit {}-byte packets", self.packet_size));
        }
        let small = (1..=MAX_COMPRESSED_OBJECT).contains(&size) && info.ext.is_empty();
        if small && self.try_join(info, data) {
            let p = self.packets;
            let open = self.open.as_ref().expect("packet is open");
            if self.packet_size - (self.out.len() - open.start) <= 2 {
                self.close();
            }
            return Ok(Placement { first_packet: p, last_packet: p });
        }
        let mut offset = 0usize;
        let mut first_packet = None;
        loop {
            if let Some(open) = &self.open {
                let free = self.packet_size - (self.out.len() - open.start);
                let remaining = size - offset;
                let too_far = info.presentation_ms.wrapping_sub(open.first_pt) > u16::MAX as u32 && info.presentation_ms > open.first_pt;
                let full = open.payloads >= MAX_PAYLOADS || free <= hdr || too_far;
                let must_not_split = info.keep_whole && offset == 0 && open.payloads > 0 && remaining + hdr > free;
                // Splitting a small object costs a second payload header in the next
                // packet and breaks the compressed run there: pad unless the room left
                // is worth more than that.
                let not_worth_splitting =
                    small && offset == 0 && open.payloads > 0 && remaining + hdr > free && free < 2 * hdr + COMPRESSED_HEADER_LEN;
                if full || must_not_split || not_worth_splitting {
                    self.close();
                    continue;
                }
            } else {
                self.open_packet();
            }
            let free = {
                let open = self.open.as_ref().expect("packet is open");
                self.packet_size - (self.out.len() - open.start)
            };
            let chunk = (size - offset).min(free - hdr);
            first_packet.get_or_insert(self.packets);
            let at = self.out.len();
            self.put_payload(info, size, offset, &data[offset..offset + chunk]);
            let open = self.open.as_mut().expect("packet is open");
            open.last = (small && chunk == size).then_some(LastPayload {
                at,
                stream: info.stream,
                key: info.key,
                object_number: info.object_number,
                first_pt: info.presentation_ms,
                last_pt: info.presentation_ms,
                duration_ms: info.duration_ms,
                count: 1,
                delta: None,
            });
            offset += chunk;
            if offset >= size {
                let last_packet = self.packets;
                let open = self.open.as_ref().expect("packet is open");
                if self.packet_size - (self.out.len() - open.start) <= PAYLOAD_HEADER_LEN {
                    self.close();
                }
                return Ok(Placement { first_packet: first_packet.unwrap_or(last_packet), last_packet });
            }
            self.close();
        }
    }

    /// Put a small whole object into the open packet's last payload (making that a
    /// compressed payload when it is not yet one), if the rules allow; see the module docs.
    fn try_join(&mut self, info: &ObjectInfo<'_>, data: &[u8]) -> bool {
        let packet_size = self.packet_size;
        let Some(open) = self.open.as_mut() else { return false };
        let Some(last) = open.last else { return false };
        if last.stream != info.stream
            || last.key != info.key
            || last.object_number.wrapping_add(last.count as u8) != info.object_number
            || info.presentation_ms < last.last_pt
            || info.presentation_ms < open.first_pt
            || info.presentation_ms - open.first_pt > u16::MAX as u32
        {
            return false;
        }
        let delta = match last.delta {
            Some(d) => d as u32,
            None => last.duration_ms.min(info.presentation_ms - last.first_pt),
        };
        // A zero delta would give every object the same time: FFmpeg's audio time-stamp
        // smoothing then hands its encoder equal time stamps ("non monotonically
        // increasing dts") and GStreamer drops the time of all but the first.
        if delta == 0 || delta > u8::MAX as u32 {
            return false;
        }
        let predicted = last.first_pt as u64 + delta as u64 * last.count as u64;
        let slack = info.time_slack_ms.min(MAX_TIME_ERROR_MS) as u64;
        if predicted > info.presentation_ms as u64 || info.presentation_ms as u64 - predicted > slack {
            return false;
        }
        let free = packet_size - (self.out.len() - open.start);
        // Turning an ordinary payload into a compressed one frees 6 bytes.
        let gain = if last.delta.is_none() { PAYLOAD_HEADER_LEN - COMPRESSED_HEADER_LEN - 1 } else { 0 };
        if free + gain < 1 + data.len() {
            return false;
        }
        let out = &mut self.out;
        let at = last.at;
        if last.delta.is_none() {
            // [sn][mo][offset 4][8][size 4][pt 4][len 2][data] → [sn][mo][pt 4][1][delta][len 2][n][data]
            let n = out.len() - (at + PAYLOAD_HEADER_LEN);
            out[at + 2..at + 6].copy_from_slice(&last.first_pt.to_le_bytes());
            out[at + 6] = 1;
            out[at + 7] = delta as u8;
            out[at + 10] = n as u8;
            out.copy_within(at + PAYLOAD_HEADER_LEN..at + PAYLOAD_HEADER_LEN + n, at + COMPRESSED_HEADER_LEN + 1);
            out.truncate(at + COMPRESSED_HEADER_LEN + 1 + n);
        }
        out.push(data.len() as u8);
        out.extend_from_slice(data);
        let len = out.len() - (at + COMPRESSED_HEADER_LEN);
        out[at + 8..at + 10].copy_from_slice(&(len as u16).to_le_bytes());
        open.last = Some(LastPayload { last_pt: info.presentation_ms, count: last.count + 1, delta: Some(delta as u8), ..last });
        open.last_pt = open.last_pt.max(info.presentation_ms);
        open.send_ms = open.send_ms.min(info.send_ms);
        open.end_ms = open.end_ms.max(info.send_ms.saturating_add(info.duration_ms));
        if info.key {
            open.key_starts |= 1u128 << (info.stream & 0x7F);
            open.key_pt.get_or_insert(info.presentation_ms);
        }
        true
    }

    /// Close the open packet (if any) and make every complete packet a run.
    pub fn flush(&mut self) {
        if self.open.is_some() {
            self.finish_packet();
        }
        self.cut_run();
    }

    /// The runs of complete packets made so far, in order.
    pub fn take_runs(&mut self) -> std::vec::Drain<'_, PacketRun> {
        self.ready.drain(..)
    }

    fn open_packet(&mut self) {
        let start = self.out.len();
        self.out.extend_from_slice(&[0x82, 0x00, 0x00, 0x11, 0x5D, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]);
        self.open = Some(OpenPacket {
            start,
            payloads: 0,
            send_ms: u32::MAX,
            first_pt: 0,
            last_pt: 0,
            key_starts: 0,
            continues: false,
            end_ms: 0,
            key_pt: None,
            last: None,
        });
    }

    fn put_payload(&mut self, info: &ObjectInfo<'_>, object_size: usize, offset: usize, chunk: &[u8]) {
        let open = self.open.as_mut().expect("packet is open");
        if open.payloads == 0 {
            open.first_pt = info.presentation_ms;
            open.continues = offset != 0;
        }
        if info.key && offset == 0 {
            open.key_starts |= 1u128 << (info.stream & 0x7F);
            open.key_pt.get_or_insert(info.presentation_ms);
        }
        open.end_ms = open.end_ms.max(info.send_ms.saturating_add(info.duration_ms));
        open.last_pt = open.last_pt.max(info.presentation_ms);
        open.send_ms = open.send_ms.min(info.send_ms);
        open.payloads += 1;
        let out = &mut self.out;
        out.push(info.stream & 0x7F | if info.key { 0x80 } else { 0 });
        out.push(info.object_number);
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        out.push(8 + info.ext.len() as u8);
        out.extend_from_slice(&(object_size as u32).to_le_bytes());
        out.extend_from_slice(&info.presentation_ms.to_le_bytes());
        out.extend_from_slice(info.ext);
        out.extend_from_slice(&(chunk.len() as u16).to_le_bytes());
        out.extend_from_slice(chunk);
    }

    /// Fill in the open packet's header and padding.
    fn finish_packet(&mut self) {
        let Some(open) = self.open.take() else { return };
        let used = self.out.len() - open.start;
        let padding = self.packet_size - used;
        self.out.resize(open.start + self.packet_size, 0);
        let send = open.send_ms.max(self.last_send_ms);
        self.last_send_ms = send;
        let duration = open.last_pt.saturating_sub(open.first_pt).min(u16::MAX as u32) as u16;
        let h = &mut self.out[open.start..open.start + PACKET_HEADER_LEN];
        h[5..7].copy_from_slice(&(padding as u16).to_le_bytes());
        h[7..11].copy_from_slice(&send.to_le_bytes());
        h[11..13].copy_from_slice(&duration.to_le_bytes());
        h[13] = 0x80 | open.payloads;
        self.info.push(PacketInfo {
            send_time_ms: send,
            duration_ms: duration,
            key_starts: open.key_starts,
            continues: open.continues,
            end_ms: open.end_ms,
            key_pt_ms: open.key_pt.unwrap_or(0),
            payloads: open.payloads,
        });
        self.packets += 1;
    }

    fn close(&mut self) {
        self.finish_packet();
        if self.out.len() >= self.flush_threshold {
            self.cut_run();
        }
    }

    /// Move every complete packet into a run now (the open packet, if any, stays and
    /// keeps filling), so sinks get packets as they are made, not only in 1 MiB runs.
    pub fn cut(&mut self) {
        self.cut_run();
    }

    fn cut_run(&mut self) {
        let complete = self.open.as_ref().map_or(self.out.len(), |o| o.start);
        if complete == 0 {
            return;
        }
        let mut next = self.pool.get(self.flush_threshold + self.packet_size);
        next.extend_from_slice(&self.out[complete..]);
        self.out.truncate(complete);
        if let Some(o) = &mut self.open {
            o.start = 0;
            if let Some(l) = &mut o.last {
                l.at -= complete;
            }
        }
        let bytes = std::mem::replace(&mut self.out, next);
        let info = std::mem::take(&mut self.info);
        self.ready.push(PacketRun { packet_size: self.packet_size, bytes, info, pool: Some(Arc::clone(&self.pool)) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asf::reader;

    fn collect(p: &mut Packetizer, objs: &[(ObjectInfo<'static>, Vec<u8>)]) -> (Vec<u8>, Vec<Placement>) {
        let mut out = Vec::new();
        let mut places = Vec::new();
        for (info, data) in objs {
            places.push(p.add_object(info, data).unwrap());
        }
        p.flush();
        p.take_runs().for_each(|r| out.extend_from_slice(&r.bytes));
        (out, places)
    }

    fn obj(stream: u8, n: u8, pt: u32, key: bool, keep_whole: bool) -> ObjectInfo<'static> {
        ObjectInfo {
            stream,
            object_number: n,
            presentation_ms: pt,
            send_ms: pt.saturating_sub(3000),
            key,
            keep_whole,
            duration_ms: 0,
            time_slack_ms: 0,
            ext: &[],
        }
    }

    #[test]
    fn two_small_payloads_in_one_packet() {
        let mut p = Packetizer::new(128).unwrap();
        let a: Vec<u8> = (1..=16).collect();
        let b: Vec<u8> = (17..=32).collect();
        let (out, places) = collect(&mut p, &[(obj(1, 0, 3000, true, true), a.clone()), (obj(1, 1, 3000, true, true), b.clone())]);
        assert_eq!(out.len(), 128);
        assert_eq!(&out[..5], &[0x82, 0, 0, 0x11, 0x5D]);
        // padding = 128 - 14 - 2*(17+16) = 48
        assert_eq!(u16::from_le_bytes([out[5], out[6]]), 48);
        assert_eq!(out[13], 0x82);
        assert_eq!(&out[14..31], &[0x81, 0, 0, 0, 0, 0, 8, 16, 0, 0, 0, 0xB8, 0x0B, 0, 0, 16, 0]);
        assert_eq!(&out[31..47], &a[..]);
        assert_eq!(places, vec![Placement { first_packet: 0, last_packet: 0 }; 2]);
        let objs = reader::parse_packets(&out, 128).unwrap();
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[1].data, b);
    }

    #[test]
    fn large_object_is_fragmented_in_order() {
        let mut p = Packetizer::new(200).unwrap();
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let (out, places) = collect(&mut p, &[(obj(2, 5, 4000, false, false), data.clone())]);
        assert_eq!(out.len() % 200, 0);
        // 200 - 14 - 17 = 169 bytes per packet: 1000 / 169 → 6 packets
        assert_eq!(out.len() / 200, 6);
        assert_eq!(places[0], Placement { first_packet: 0, last_packet: 5 });
        let objs = reader::parse_packets(&out, 200).unwrap();
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].data, data);
        assert_eq!(objs[0].stream, 2);
        assert_eq!(objs[0].presentation_ms, 4000);
        assert!(!objs[0].key);
    }

    #[test]
    fn audio_is_not_split_into_a_used_packet() {
        let mut p = Packetizer::new(200).unwrap();
        let (out, places) = collect(&mut p, &[(obj(1, 0, 3000, true, true), vec![1; 100]), (obj(1, 1, 3010, true, true), vec![2; 100])]);
        assert_eq!(out.len(), 400);
        assert_eq!(places[1].first_packet, 1);
        let objs = reader::parse_packets(&out, 200).unwrap();
        assert_eq!(objs.iter().map(|o| o.data.len()).collect::<Vec<_>>(), vec![100, 100]);
    }

    #[test]
    fn send_times_do_not_decrease_and_respect_payload_times() {
        let mut p = Packetizer::new(150).unwrap();
        let objs: Vec<_> = (0..20u32).map(|i| (obj(1 + (i % 2) as u8, i as u8, 3000 + i * 40, true, false), vec![i as u8; 90])).collect();
        let (out, _) = collect(&mut p, &objs);
        let mut last = 0;
        for pkt in out.chunks(150) {
            let send = u32::from_le_bytes(pkt[7..11].try_into().unwrap());
            assert!(send >= last);
            last = send;
        }
        assert_eq!(reader::parse_packets(&out, 150).unwrap().len(), 20);
    }

    #[test]
    fn payload_extension_data_follows_the_replicated_data_of_every_fragment() {
        let mut p = Packetizer::new(120).unwrap();
        let ext = [9u8, 8, 7, 6, 5];
        let info = ObjectInfo { ext: &ext, ..obj(3, 1, 3040, true, false) };
        let data: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
        let (out, _) = collect_one(&mut p, &info, &data);
        // 120 - 14 - 22 = 84 bytes per fragment → 4 packets
        assert_eq!(out.len(), 4 * 120);
        for pkt in out.chunks(120) {
            assert_eq!(pkt[14 + 6], 13, "replicated data length 8 + 5");
            assert_eq!(&pkt[14 + 15..14 + 20], &ext);
        }
        let objs = reader::parse_packets(&out, 120).unwrap();
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].data, data);
        let mut tiny = Packetizer::new(100).unwrap();
        let big = [0u8; 80];
        let e = tiny.add_object(&ObjectInfo { ext: &big, ..info }, &data).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::MaxPacketSizeTooSmall);
        assert!(e.message.contains("100-byte packets"), "{}", e.message);
        let e = check_geometry(100, 3, 80).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::MaxPacketSizeTooSmall);
        assert!(e.message.contains("packet size 100"), "{}", e.message);
        check_geometry(100, 3, 68).unwrap();
        assert_eq!(check_geometry(100, 3, 69).unwrap_err().kind, crate::error::ErrorKind::MaxPacketSizeTooSmall);
    }

    fn collect_one(p: &mut Packetizer, info: &ObjectInfo<'_>, data: &[u8]) -> (Vec<u8>, Placement) {
        let mut out = Vec::new();
        let pl = p.add_object(info, data).unwrap();
        p.flush();
        p.take_runs().for_each(|r| out.extend_from_slice(&r.bytes));
        (out, pl)
    }

    fn small(n: u8, pt: u32, duration_ms: u32, slack: u32) -> ObjectInfo<'static> {
        ObjectInfo { duration_ms, time_slack_ms: slack, ..obj(1, n, pt, true, false) }
    }

    #[test]
    fn small_objects_share_a_compressed_payload() {
        let mut p = Packetizer::new(200).unwrap();
        let objs: Vec<_> = (0..5u8).map(|i| (small(i, 3000 + 10 * i as u32, 10, 0), vec![i + 1; 20])).collect();
        let (out, places) = collect(&mut p, &objs);
        assert_eq!(out.len(), 200);
        assert_eq!(out[13], 0x81, "one payload");
        // stream | MO 0 | PT 3000 | RL 1 | delta 10 | WORD 5 × 21 | 20 | data…
        assert_eq!(&out[14..25], &[0x81, 0, 0xB8, 0x0B, 0, 0, 1, 10, 105, 0, 20]);
        assert_eq!(&out[25..45], &[1u8; 20]);
        assert_eq!(out[45], 20);
        assert_eq!(u16::from_le_bytes([out[5], out[6]]) as usize, 200 - 14 - 10 - 105);
        assert!(places.iter().all(|pl| *pl == Placement { first_packet: 0, last_packet: 0 }));
        let got = reader::parse_packets(&out, 200).unwrap();
        assert_eq!(got.len(), 5);
        for (i, o) in got.iter().enumerate() {
            assert_eq!((o.object_number, o.presentation_ms, &o.data), (i as u8, 3000 + 10 * i as u32, &vec![i as u8 + 1; 20]));
            assert!(o.key);
        }
    }

    #[test]
    fn compressed_payloads_keep_times_within_the_slack_and_never_late() {
        // 1.5 ms objects: delta 1, so object j is read back j/2 ms early.
        let times: Vec<u32> = (0..40u32).map(|j| 3000 + j * 3 / 2).collect();
        for slack in [0, 2, MAX_TIME_ERROR_MS] {
            let mut p = Packetizer::new(4000).unwrap();
            let objs: Vec<_> = times.iter().enumerate().map(|(j, t)| (small(j as u8, *t, 1, slack), vec![j as u8; 10])).collect();
            let (out, _) = collect(&mut p, &objs);
            let got = reader::parse_packets(&out, 4000).unwrap();
            assert_eq!(got.len(), 40);
            for (o, t) in got.iter().zip(&times) {
                assert!(o.presentation_ms <= *t && t - o.presentation_ms <= slack, "slack {slack}: {} for {t}", o.presentation_ms);
            }
            let payloads = out[13] & 0x3F;
            assert!(if slack == 0 { payloads >= 20 } else { payloads < 20 }, "slack {slack}: {payloads} payloads");
        }
    }

    #[test]
    fn objects_without_a_whole_ms_duration_or_with_extensions_stay_ordinary() {
        let mut p = Packetizer::new(1000).unwrap();
        let objs: Vec<_> = (0..4u8).map(|i| (small(i, 3000, 0, MAX_TIME_ERROR_MS), vec![i; 30])).collect();
        let (out, _) = collect(&mut p, &objs);
        assert_eq!(out[13], 0x84, "four ordinary payloads (a zero delta would repeat one time)");
        let ext = [1u8, 2];
        let mut p = Packetizer::new(1000).unwrap();
        for i in 0..4u8 {
            p.add_object(&ObjectInfo { ext: &ext, ..small(i, 3000 + 10 * i as u32, 10, 0) }, &[i; 30]).unwrap();
        }
        p.flush();
        let out: Vec<u8> = p.take_runs().flat_map(|r| r.bytes.to_vec()).collect();
        assert_eq!(out[13], 0x84, "payload extensions need replicated data");
    }

    #[test]
    fn compressed_payload_survives_a_run_cut_and_a_full_packet() {
        let mut p = Packetizer::new(120).unwrap();
        let mut all = Vec::new();
        let mut out = Vec::new();
        for i in 0..60u8 {
            let d = vec![i; 15];
            p.add_object(&small(i, 3000 + 2 * i as u32, 2, 0), &d).unwrap();
            all.push(d);
            if i % 7 == 0 {
                p.cut();
                p.take_runs().for_each(|r| out.extend_from_slice(&r.bytes));
            }
        }
        p.flush();
        p.take_runs().for_each(|r| out.extend_from_slice(&r.bytes));
        let got = reader::parse_packets(&out, 120).unwrap();
        assert_eq!(got.iter().map(|o| o.data.clone()).collect::<Vec<_>>(), all);
        assert!(got.iter().enumerate().all(|(i, o)| o.presentation_ms == 3000 + 2 * i as u32));
        // 120 − 14 − 10 = 96 bytes: 6 objects of 16 per packet.
        assert_eq!(out.len(), 10 * 120);
    }

    #[test]
    fn uncompressed_audio_may_be_split_into_a_used_packet() {
        let mut p = Packetizer::new(200).unwrap();
        let (out, places) = collect(&mut p, &[(obj(1, 0, 3000, true, false), vec![1; 300]), (obj(1, 1, 3010, true, false), vec![2; 300])]);
        // first: 169 + 131; second: 200 − 14 − 17 − 131 − 17 = 21, then 169, then 110.
        assert_eq!(out.len(), 800);
        assert_eq!(places[1], Placement { first_packet: 1, last_packet: 3 });
        let objs = reader::parse_packets(&out, 200).unwrap();
        assert_eq!(objs.iter().map(|o| o.data.clone()).collect::<Vec<_>>(), vec![vec![1; 300], vec![2; 300]]);
        // A small object is not split for 38 bytes of room: that costs a second header.
        let mut p = Packetizer::new(200).unwrap();
        let (out, places) = collect(&mut p, &[(obj(1, 0, 3000, true, false), vec![1; 300]), (obj(1, 1, 3010, true, false), vec![2; 100])]);
        assert_eq!(out.len(), 600);
        assert_eq!(places[1], Placement { first_packet: 2, last_packet: 2 });
    }

    #[test]
    fn at_most_63_payloads() {
        let mut p = Packetizer::new(65_000).unwrap();
        let objs: Vec<_> = (0..100u32).map(|i| (obj(1, i as u8, 3000, true, false), vec![0u8; 1])).collect();
        let (out, _) = collect(&mut p, &objs);
        assert_eq!(out.len(), 2 * 65_000);
        assert_eq!(out[13], 0x80 | 63);
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn sizes_outside_the_range_are_errors_not_clamped() {
        assert_eq!(Packetizer::new(50).unwrap_err().kind, crate::error::ErrorKind::MaxPacketSizeTooSmall);
        assert!(Packetizer::new(50).unwrap_err().message.contains("50"));
        assert_eq!(Packetizer::new(70_000).unwrap_err().kind, crate::error::ErrorKind::InvalidProfile);
        assert_eq!(Packetizer::new(100).unwrap().packet_size(), 100);
    }

    #[test]
    fn runs_carry_send_times_durations_and_key_starts() {
        let mut p = Packetizer::new(200).unwrap();
        let key = ObjectInfo {
            stream: 2,
            object_number: 0,
            presentation_ms: 3000,
            send_ms: 0,
            key: true,
            keep_whole: false,
            duration_ms: 0,
            time_slack_ms: 0,
            ext: &[],
        };
        p.add_object(&key, &[7u8; 300]).unwrap();
        let delta = ObjectInfo { object_number: 1, presentation_ms: 3040, send_ms: 40, key: false, ..key };
        p.add_object(&delta, &[8u8; 100]).unwrap();
        p.flush();
        let runs: Vec<_> = p.take_runs().collect();
        assert_eq!(runs.len(), 1);
        let packets = runs[0].packets();
        assert_eq!(packets.len(), 3);
        assert_eq!(packets[0].key_starts, 1 << 2, "the key frame starts in packet 0");
        assert_eq!(packets[1].key_starts, 0, "packet 1 holds the key frame's last fragment");
        // The 100-byte delta frame is not split after the key frame's end (padding costs
        // less than a second payload header): packet 2 begins with it, whole.
        assert_eq!(runs[0].info.iter().map(|i| i.continues).collect::<Vec<_>>(), [false, true, false]);
        assert_eq!(runs[0].info[0].key_pt_ms, 3000);
        assert_eq!(runs[0].info.iter().map(|i| i.payloads).collect::<Vec<_>>(), [1, 1, 1]);
        for pk in &packets {
            assert_eq!(pk.bytes.len(), 200);
            assert_eq!(pk.send_time_ms, u32::from_le_bytes(pk.bytes[7..11].try_into().unwrap()));
            assert_eq!(pk.duration_ms, u16::from_le_bytes(pk.bytes[11..13].try_into().unwrap()));
        }
    }
}
