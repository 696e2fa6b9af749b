//! The packetizer: fills fixed-size data packets with payloads.
//!
//! Every packet has the same layout: error-correction bytes `82 00 00`, Length Type
//! Flags `0x11` (multiple payloads, WORD padding length), Property Flags `0x5D`, the
//! padding length, send time, duration, a payload-flags byte (`0x80 | n`, WORD payload
//! lengths), then payloads of 17 header bytes each (8 bytes of replicated data: object
//! size and presentation time), then zero padding. Media objects larger than the room
//! left are fragmented across packets; audio objects are not split into a packet that
//! already holds payloads.
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
    /// Do not split this object into a packet that already holds payloads (audio).
    pub keep_whole: bool,
    /// Duration in ms (for [`PacketInfo::end_ms`]).
    pub duration_ms: u32,
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
        let mut offset = 0usize;
        let mut first_packet = None;
        loop {
            if let Some(open) = &self.open {
                let free = self.packet_size - (self.out.len() - open.start);
                let remaining = size - offset;
                let too_far = info.presentation_ms.wrapping_sub(open.first_pt) > u16::MAX as u32 && info.presentation_ms > open.first_pt;
                let full = open.payloads >= MAX_PAYLOADS || free <= hdr || too_far;
                let must_not_split = info.keep_whole && offset == 0 && open.payloads > 0 && remaining + hdr > free;
                if full || must_not_split {
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
            self.put_payload(info, size, offset, &data[offset..offset + chunk]);
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
        assert_eq!(packets[1].key_starts, 0, "packet 1 holds its middle fragment and the delta frame's start");
        assert_eq!(runs[0].info.iter().map(|i| i.continues).collect::<Vec<_>>(), [false, true, true]);
        assert_eq!(runs[0].info[0].key_pt_ms, 3000);
        assert_eq!(runs[0].info.iter().map(|i| i.payloads).collect::<Vec<_>>(), [1, 2, 1]);
        for pk in &packets {
            assert_eq!(pk.bytes.len(), 200);
            assert_eq!(pk.send_time_ms, u32::from_le_bytes(pk.bytes[7..11].try_into().unwrap()));
            assert_eq!(pk.duration_ms, u16::from_le_bytes(pk.bytes[11..13].try_into().unwrap()));
        }
    }
}
