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
//! Completed packets accumulate in one output buffer and are handed to the caller's
//! `emit` function in large runs; each payload byte is copied once, from the sample
//! into that buffer.

use std::io;

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
}

/// Fills fixed-size packets; see the module docs.
#[derive(Debug)]
pub struct Packetizer {
    packet_size: usize,
    out: Vec<u8>,
    open: Option<OpenPacket>,
    packets: u64,
    last_send_ms: u32,
    flush_threshold: usize,
}

impl Packetizer {
    /// A packetizer for packets of `packet_size` bytes (100..=65527).
    pub fn new(packet_size: u32) -> Self {
        let packet_size = packet_size.clamp(MIN_PACKET_SIZE, MAX_PACKET_SIZE) as usize;
        let flush_threshold = (1 << 20).max(packet_size * 4);
        Packetizer {
            packet_size,
            out: Vec::with_capacity(flush_threshold + packet_size),
            open: None,
            packets: 0,
            last_send_ms: 0,
            flush_threshold,
        }
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

    /// Add one media object. `emit` receives runs of complete packets.
    pub fn add_object(
        &mut self,
        info: &ObjectInfo<'_>,
        data: &[u8],
        emit: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<Placement> {
        let size = data.len();
        let hdr = PAYLOAD_HEADER_LEN + info.ext.len();
        if info.ext.len() > 247 || PACKET_HEADER_LEN + hdr >= self.packet_size {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a {hdr}-byte payload header does not fit {}-byte packets", self.packet_size),
            ));
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
                    self.close(emit)?;
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
                    self.close(emit)?;
                }
                return Ok(Placement { first_packet: first_packet.unwrap_or(last_packet), last_packet });
            }
            self.close(emit)?;
        }
    }

    /// Close the open packet (if any) and hand every complete packet to `emit`.
    pub fn flush(&mut self, emit: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        if self.open.is_some() {
            self.finish_packet();
        }
        self.drain(emit)
    }

    fn open_packet(&mut self) {
        let start = self.out.len();
        self.out.extend_from_slice(&[0x82, 0x00, 0x00, 0x11, 0x5D, 0, 0, 0, 0, 0, 0, 0, 0, 0x80]);
        self.open = Some(OpenPacket { start, payloads: 0, send_ms: u32::MAX, first_pt: 0, last_pt: 0 });
    }

    fn put_payload(&mut self, info: &ObjectInfo<'_>, object_size: usize, offset: usize, chunk: &[u8]) {
        let open = self.open.as_mut().expect("packet is open");
        if open.payloads == 0 {
            open.first_pt = info.presentation_ms;
        }
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
        self.packets += 1;
    }

    fn close(&mut self, emit: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        self.finish_packet();
        if self.out.len() >= self.flush_threshold {
            self.drain(emit)?;
        }
        Ok(())
    }

    fn drain(&mut self, emit: &mut dyn FnMut(&[u8]) -> io::Result<()>) -> io::Result<()> {
        debug_assert!(self.open.is_none());
        if !self.out.is_empty() {
            let r = emit(&self.out);
            self.out.clear();
            r?;
        }
        Ok(())
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
            places.push(
                p.add_object(info, data, &mut |b| {
                    out.extend_from_slice(b);
                    Ok(())
                })
                .unwrap(),
            );
        }
        p.flush(&mut |b| {
            out.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        (out, places)
    }

    fn obj(stream: u8, n: u8, pt: u32, key: bool, keep_whole: bool) -> ObjectInfo<'static> {
        ObjectInfo { stream, object_number: n, presentation_ms: pt, send_ms: pt.saturating_sub(3000), key, keep_whole, ext: &[] }
    }

    #[test]
    fn two_small_payloads_in_one_packet() {
        let mut p = Packetizer::new(128);
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
        let mut p = Packetizer::new(200);
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
        let mut p = Packetizer::new(200);
        let (out, places) = collect(&mut p, &[(obj(1, 0, 3000, true, true), vec![1; 100]), (obj(1, 1, 3010, true, true), vec![2; 100])]);
        assert_eq!(out.len(), 400);
        assert_eq!(places[1].first_packet, 1);
        let objs = reader::parse_packets(&out, 200).unwrap();
        assert_eq!(objs.iter().map(|o| o.data.len()).collect::<Vec<_>>(), vec![100, 100]);
    }

    #[test]
    fn send_times_do_not_decrease_and_respect_payload_times() {
        let mut p = Packetizer::new(150);
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
        let mut p = Packetizer::new(120);
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
        let mut tiny = Packetizer::new(100);
        let big = [0u8; 80];
        let e = tiny.add_object(&ObjectInfo { ext: &big, ..info }, &data, &mut |_| Ok(())).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }

    fn collect_one(p: &mut Packetizer, info: &ObjectInfo<'_>, data: &[u8]) -> (Vec<u8>, Placement) {
        let mut out = Vec::new();
        let pl = p
            .add_object(info, data, &mut |b| {
                out.extend_from_slice(b);
                Ok(())
            })
            .unwrap();
        p.flush(&mut |b| {
            out.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        (out, pl)
    }

    #[test]
    fn at_most_63_payloads() {
        let mut p = Packetizer::new(65_000);
        let objs: Vec<_> = (0..100u32).map(|i| (obj(1, i as u8, 3000, true, false), vec![0u8; 1])).collect();
        let (out, _) = collect(&mut p, &objs);
        assert_eq!(out.len(), 2 * 65_000);
        assert_eq!(out[13], 0x80 | 63);
    }
}
