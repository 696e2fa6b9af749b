//! The built-in WMA Lossless encoder (format tag 0x0163), pure Rust.
//!
//! The only public description of the bitstream is FFmpeg's decoder
//! (`libavcodec/wmalosslessdec.c`); this encoder writes what that decoder reads, and
//! runs the decoder's adaptive filters forwards in its exact integer arithmetic (see
//! [`tile`]), so decode(encode(x)) == x.
//!
//! Stream layout chosen here:
//! - one tile per frame (`decode_flags` bits 3..5 = 0), frames of 2048 samples at
//!   44.1/48 kHz and 4096 at 96 kHz (fewer when a raw frame would not fit the length field),
//!   length-prefixed frames (0x40) and the "V3 RTM" update-speed rule (0x100);
//! - fixed-size packets of `nBlockAlign` bytes (a header of 6 + log2(frame size) bits,
//!   then a continuous stream of frames crossing packets); the last packet is cut right
//!   after the last frame, which is padded to a byte boundary;
//! - a seekable tile (filters reset, a new filter set) every [`SEGMENT_FRAMES`] frames and
//!   on the last frame; each segment tries every candidate filter set and keeps the
//!   smallest; each tile falls back to raw PCM when that is smaller.
//!
//! Every ASF media object (unit) holds whole packets and starts at the first sample of
//! the first frame the decoder finishes in it, so decoded output lines up with the input
//! (the decoder has no start delay; the last frame's end-skip field trims the padding).
#![forbid(unsafe_code)]

mod bits;
mod tile;

use bits::BitWriter;
pub use tile::Config;
use tile::{Params, Scratch, State, TileJob};

use super::{Backend, EncodedUnit, Encoder, EncoderConfig, RawInput};
use crate::error::Result;
use crate::guid::Guid;
use crate::profile::media::{MediaType, WaveFormatEx};
use crate::Time100ns;

/// WAVE format tag of WMA 9 Lossless.
pub const FORMAT_TAG: u16 = 0x0163;

/// Frames between seekable tiles.
pub const SEGMENT_FRAMES: usize = 16;

/// The backend.
#[derive(Debug)]
pub struct WmaLosslessBackend;

/// The one instance `codec::backends()` lists.
pub static BACKEND: WmaLosslessBackend = WmaLosslessBackend;

impl Backend for WmaLosslessBackend {
    fn name(&self) -> &'static str {
        "builtin-wmalossless"
    }

    fn supports(&self, subtype: &Guid) -> bool {
        *subtype == crate::guid::sdk::WMMEDIASUBTYPE_WMAUDIO_LOSSLESS
    }

    fn open(&self, cfg: &EncoderConfig) -> Result<Box<dyn Encoder>> {
        let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
        let w = target.wave_format().ok_or_else(|| {
            crate::err!(InvalidStream, "stream {}: a WMA Lossless stream needs a WAVEFORMATEX media type", cfg.stream.number)
        })?;
        Ok(Box::new(WmaLosslessEncoder::new(&w, target, cfg.stream.bitrate)?))
    }
}

/// The default channel mask for `n` channels (WAVEFORMATEXTENSIBLE speaker bits).
fn default_mask(n: u16) -> u32 {
    match n {
        1 => 0x4,
        2 => 0x3,
        3 => 0x7,
        4 => 0x33,
        5 => 0x37,
        6 => 0x3F,
        7 => 0x13F,
        8 => 0x63F,
        _ => 0,
    }
}

/// The filter sets each segment tries (the first usually wins; the second is a cheap
/// fallback for noise-like material). Chosen with `wmalossless_bench tune` on the
/// bench signals; see the README section "WMA Lossless encoder".
pub fn candidates(nch: usize, bits: u32) -> Vec<Config> {
    let _ = bits;
    let stereo = nch == 2;
    let mclms = if nch <= 2 { (16, 12) } else { (4, 12) };
    vec![
        Config { ac: Some((6, vec![63])), decorr: stereo, mclms: Some(mclms), cdlms: vec![(32, 11), (16, 11)], movave: 4 },
        Config { ac: Some((5, vec![31])), decorr: stereo, mclms: None, cdlms: vec![(16, 11)], movave: 4 },
    ]
}

/// One encoded frame waiting for the packetizer.
struct Frame {
    bits: BitWriter,
    /// First sample and sample count it decodes to.
    span: Span,
}

/// A frame's first sample and sample count.
type Span = (u64, u32);
/// A finished packet and the frames a decoder finishes in it.
type Packet = (Vec<u8>, Vec<Span>);

/// Packs frames into fixed-size packets.
struct Packetizer {
    pbits: usize,
    log2fs: u32,
    seq: u32,
    cur: Option<(BitWriter, Vec<Span>)>,
    dummy: Option<Span>,
    done: Vec<Packet>,
    /// Filler bits at the start of the first packet (a test hook; decoders drop them).
    lead: usize,
    /// Test statistics: frames whose length field crossed a packet end, dummy bits.
    straddles: usize,
    dummies: usize,
    lens: Vec<usize>,
}

impl Packetizer {
    fn new(pbits: usize, log2fs: u32) -> Self {
        Packetizer { pbits, log2fs, seq: 0, cur: None, dummy: None, done: Vec::new(), lead: 0, straddles: 0, dummies: 0, lens: Vec::new() }
    }

    fn header_bits(&self) -> usize {
        6 + self.log2fs as usize
    }

    fn open(&mut self, prev_bits: usize) {
        let mut w = BitWriter::new();
        w.put(4, self.seq);
        self.seq = (self.seq + 1) & 15;
        w.put(1, 0); // seekable_frame_in_packet (unused by decoders we know)
        w.put(1, 0); // spliced
        let mut done = Vec::new();
        if let Some(span) = self.dummy.take() {
            // The previous frame ended exactly at the end of the last packet after
            // starting in an earlier one: a decoder finishes it only when this packet
            // says some bits belong to it, so one dummy bit does.
            debug_assert_eq!(prev_bits, 0);
            w.put(self.log2fs, 1);
            w.put(1, 0);
            done.push(span);
            self.dummies += 1;
        } else if self.lead > 0 {
            // Bits "of a previous frame" in the first packet: a decoder starting here
            // has no frame to add them to and drops them.
            w.put(self.log2fs, self.lead as u32);
            for _ in 0..self.lead {
                w.put(1, 0);
            }
            self.lead = 0;
        } else {
            w.put(self.log2fs, prev_bits as u32);
        }
        self.cur = Some((w, done));
    }

    fn close(&mut self) {
        if let Some((w, c)) = self.cur.take() {
            self.done.push((w.to_bytes(), c));
        }
    }

    fn full(&self) -> bool {
        self.cur.as_ref().map_or(true, |(w, _)| w.len() >= self.pbits)
    }

    /// Where a frame of `len` bits placed now would end, in bits from the start of
    /// the packet it ends in.
    fn end_after(&self, len: usize) -> usize {
        let mut used = match &self.cur {
            Some((w, _)) if w.len() < self.pbits => w.len(),
            _ => self.header_bits() + self.dummy.is_some() as usize + self.lead,
        };
        let mut left = len;
        loop {
            let room = self.pbits - used;
            if left <= room {
                return used + left;
            }
            left -= room;
            used = self.header_bits();
        }
    }

    fn place(&mut self, f: &Frame) {
        let total = f.bits.len();
        let mut pos = 0;
        self.lens.push(total);
        if self.full() {
            self.close();
            self.open(0);
        }
        if let Some((w, _)) = &self.cur {
            let room = self.pbits - w.len();
            if room <= self.log2fs as usize && total > room {
                self.straddles += 1;
            }
        }
        loop {
            let pbits = self.pbits;
            let (w, done) = self.cur.as_mut().expect("an open packet");
            let room = pbits - w.len();
            let left = total - pos;
            if left <= room {
                w.append_range(&f.bits, pos, total);
                if pos == 0 || left < room {
                    done.push(f.span);
                } else {
                    self.dummy = Some(f.span);
                }
                if self.full() {
                    self.close();
                }
                return;
            }
            w.append_range(&f.bits, pos, pos + room);
            pos += room;
            self.close();
            self.open(total - pos);
        }
    }

    /// End of stream: the last packet, cut after its last bit.
    fn finish(&mut self) {
        self.close();
        if let Some(span) = self.dummy.take() {
            // Decoded by the decoder's end-of-stream drain.
            if let Some(last) = self.done.last_mut() {
                last.1.push(span);
            }
        }
    }
}

/// The WMA Lossless encoder.
pub struct WmaLosslessEncoder {
    p: Params,
    rate: u32,
    out_type: MediaType,
    buf: Vec<Vec<i32>>,
    st: State,
    sc: Scratch,
    pk: Packetizer,
    cands: Vec<Config>,
    /// Samples already put into frames.
    consumed: u64,
    base_time: Option<Time100ns>,
    /// Packets that finish no frame yet (merged into the next unit).
    pending: Vec<u8>,
    finished: bool,
}

impl std::fmt::Debug for WmaLosslessEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WmaLosslessEncoder").field("params", &self.p).field("consumed", &self.consumed).finish()
    }
}

impl WmaLosslessEncoder {
    /// An encoder for the target format `w` (channels, rate and wBitsPerSample are used;
    /// a channel mask in its extra data is kept).
    pub fn new(w: &WaveFormatEx, target: &MediaType, bitrate: u32) -> Result<Self> {
        let nch = w.channels as usize;
        if !(1..=8).contains(&nch) {
            crate::bail!(InvalidStream, "WMA Lossless supports 1 to 8 channels, not {}", w.channels);
        }
        let bits = w.bits_per_sample as u32;
        if bits != 16 && bits != 24 {
            crate::bail!(InvalidStream, "WMA Lossless encodes 16- or 24-bit samples, not wBitsPerSample {}", bits);
        }
        let rate = w.samples_per_sec;
        if !(8000..=192_000).contains(&rate) {
            crate::bail!(InvalidStream, "WMA Lossless sample rate {} Hz is out of range (8000..192000)", rate);
        }
        let mask = if w.extra.len() >= 6 { u32::from_le_bytes([w.extra[2], w.extra[3], w.extra[4], w.extra[5]]) } else { 0 };
        let mask = if mask != 0 && mask.count_ones() as usize == nch { mask } else { default_mask(w.channels) };
        // Frame length: the decoder's table for version 3, then shortened (flags 0x4 / 0x6)
        // until a raw frame fits the 19-bit length field of a 32 KiB block align.
        let base_bits: u32 = match rate {
            0..=16000 => 9,
            16001..=22050 => 10,
            22051..=48000 => 11,
            48001..=96000 => 12,
            _ => 13,
        };
        let slack = 4096usize;
        let mut flags: u16 = 0x40 | 0x100;
        let mut len_bits = base_bits;
        let raw_bits = |lb: u32| (1usize << lb) * nch * bits as usize + slack;
        if raw_bits(len_bits) >= 1 << 19 {
            flags |= 0x4;
            len_bits -= 1;
            if raw_bits(len_bits) >= 1 << 19 {
                flags = (flags & !0x6) | 0x6;
                len_bits -= 1;
            }
        }
        let spf = 1usize << len_bits;
        let mut ba_log = 11u32;
        while (1usize << (ba_log + 4)) <= raw_bits(len_bits) {
            ba_log += 1;
        }
        let block_align = 1u32 << ba_log;
        let p = Params { nch, bits, spf, log2_frame_size: ba_log + 4 };
        let mut extra = Vec::with_capacity(18);
        extra.extend_from_slice(&(bits as u16).to_le_bytes());
        extra.extend_from_slice(&mask.to_le_bytes());
        extra.extend_from_slice(&[0; 8]);
        extra.extend_from_slice(&flags.to_le_bytes());
        extra.extend_from_slice(&[0; 2]);
        let avg = if bitrate > 0 { bitrate / 8 } else { rate * nch as u32 * bits / 8 * 6 / 10 };
        let wfx = WaveFormatEx {
            format_tag: FORMAT_TAG,
            channels: w.channels,
            samples_per_sec: rate,
            avg_bytes_per_sec: avg,
            block_align: block_align as u16,
            bits_per_sample: bits as u16,
            extra,
        };
        let mut out_type = target.clone();
        out_type.subtype = Guid::fourcc(FORMAT_TAG as u32);
        out_type.format = wfx.to_bytes();
        out_type.sample_size = block_align;
        Ok(WmaLosslessEncoder {
            p,
            rate,
            out_type,
            buf: vec![Vec::new(); nch],
            st: State::new(nch, bits),
            sc: Scratch::default(),
            pk: Packetizer::new(block_align as usize * 8, ba_log + 4),
            cands: candidates(nch, bits),
            consumed: 0,
            base_time: None,
            pending: Vec::new(),
            finished: false,
        })
    }

    /// Replace the filter sets each segment tries (for experiments and benches). Every
    /// set's first CDLMS filter needs scaling ≥ 1; 16-bit streams need CDLMS orders that
    /// are multiples of 16.
    pub fn set_candidates(&mut self, c: Vec<Config>) {
        assert!(!c.is_empty() && c.iter().all(|c| c.cdlms.first().is_some_and(|f| f.1 >= 1)));
        self.cands = c;
    }

    /// Test hook: start the first packet with `bits` filler bits (fewer than a packet's
    /// payload) that it declares as the end of a previous frame; decoders drop them. It
    /// moves every frame along the packets, so tests can steer frames onto packet ends.
    #[doc(hidden)]
    pub fn debug_lead_bits(&mut self, bits: usize) {
        assert!(self.pk.done.is_empty() && self.pk.cur.is_none() && bits < self.pk.pbits - self.pk.header_bits());
        self.pk.lead = bits;
    }

    /// Test hook: (frame bit lengths so far, frames whose length field crossed a packet
    /// end, dummy bits written after a continuation frame that ended on a packet end,
    /// packet payload bits).
    #[doc(hidden)]
    pub fn debug_layout(&self) -> (Vec<usize>, usize, usize, usize) {
        (self.pk.lens.clone(), self.pk.straddles, self.pk.dummies, self.pk.pbits - self.pk.header_bits())
    }

    /// Samples per frame.
    pub fn samples_per_frame(&self) -> usize {
        self.p.spf
    }

    fn raw_tile_bits(&self) -> usize {
        3 + self.p.nch * self.p.spf * self.p.bits as usize
    }

    /// Wrap a tile into a frame. `skip`: the end-skip count of the last frame;
    /// `start_pad`: also send a (zero, ignored by the decoder) start-skip field, which
    /// only moves where the frame ends.
    fn frame(&self, tile: &BitWriter, skip: Option<u32>, more: bool, start_pad: bool) -> BitWriter {
        let lb = self.p.log2_frame_size;
        let skip_bits = self.p.spf.trailing_zeros() + 1;
        let ext = if skip.is_some() || start_pad {
            3 + if skip.is_some() { skip_bits as usize } else { 0 } + if start_pad { skip_bits as usize } else { 0 }
        } else {
            1
        };
        let total = lb as usize + 1 + ext + tile.len() + 2;
        assert!(total < 1 << lb, "frame of {total} bits exceeds the {lb}-bit length field");
        let mut f = BitWriter::new();
        f.put(lb, total as u32);
        f.put(1, 1); // tile aligned
        if skip.is_some() || start_pad {
            f.put(1, 1);
            f.put(1, start_pad as u32);
            if start_pad {
                f.put(skip_bits, 0);
            }
            f.put(1, skip.is_some() as u32);
            if let Some(s) = skip {
                f.put(skip_bits, s);
            }
        } else {
            f.put(1, 0);
        }
        f.append_range(tile, 0, tile.len());
        f.put(1, 0);
        f.put(1, more as u32);
        f
    }

    /// One tile: coded (with `st` advanced) or raw when smaller.
    fn tile(&mut self, st: &mut State, x: &[Vec<i32>], seek: Option<&Config>, pad: Option<u32>) -> BitWriter {
        let before = st.clone();
        let mut w = BitWriter::new();
        tile::code_tile(&mut w, st, &TileJob { x, seekable: seek, pad }, &mut self.sc);
        let hdr = if seek.is_some() { 128 } else { 0 };
        if w.len() > self.raw_tile_bits() + hdr {
            *st = before;
            w = BitWriter::new();
            tile::raw_tile(&mut w, st, x, seek.map(|c| (c, pad)));
        }
        w
    }

    /// Encode whole frames `frames` (per frame, per channel `spf` samples) as one
    /// segment starting with a seekable tile, trying every candidate set.
    fn segment(&mut self, frames: &[Vec<Vec<i32>>]) {
        let mut best: Option<(usize, State, Vec<BitWriter>)> = None;
        let cands = self.cands.clone();
        for cfg in &cands {
            let mut st = self.st.clone();
            let mut tiles = Vec::with_capacity(frames.len());
            let mut total = 0;
            for (k, fr) in frames.iter().enumerate() {
                let t = self.tile(&mut st, fr, (k == 0).then_some(cfg), None);
                total += t.len();
                tiles.push(t);
                if best.as_ref().is_some_and(|b| total >= b.0) {
                    break;
                }
            }
            if tiles.len() == frames.len() && best.as_ref().map_or(true, |b| total < b.0) {
                best = Some((total, st, tiles));
            }
        }
        let (_, st, tiles) = best.expect("at least one candidate");
        self.st = st;
        for t in &tiles {
            let mut f = self.frame(t, None, true, false);
            if self.pk.end_after(f.len()) == self.pk.pbits {
                // A frame ending exactly at the end of its packet says "no more frames"
                // so that the decoder is done with the packet at once (its next call may
                // already bring the next packet).
                f = self.frame(t, None, false, false);
            }
            let span = (self.consumed, self.p.spf as u32);
            self.consumed += self.p.spf as u64;
            self.pk.place(&Frame { bits: f, span });
        }
    }

    /// The last frame (`n` real samples, padded): seekable, padded so that it ends on
    /// a byte boundary of its packet.
    fn last_frame(&mut self, x: &[Vec<i32>], n: usize) {
        let skip = (n < self.p.spf).then(|| (self.p.spf - n) as u32);
        let cands = self.cands.clone();
        let mut best: Option<(usize, Config)> = None;
        for cfg in &cands {
            let mut st = self.st.clone();
            let t = self.tile(&mut st, x, Some(cfg), None);
            if best.as_ref().map_or(true, |b| t.len() < b.0) {
                best = Some((t.len(), cfg.clone()));
            }
        }
        let cfg = best.expect("a candidate").1;
        for start_pad in [false, true] {
            for r in 0..8 {
                let mut st = self.st.clone();
                let t = self.tile(&mut st, x, Some(&cfg), Some(r));
                let f = self.frame(&t, skip, false, start_pad);
                if self.pk.end_after(f.len()) % 8 == 0 || (start_pad && r == 7) {
                    debug_assert_eq!(self.pk.end_after(f.len()) % 8, 0, "the last frame could not be byte aligned");
                    self.st = st;
                    let span = (self.consumed, n as u32);
                    self.consumed += n as u64;
                    self.pk.place(&Frame { bits: f, span });
                    return;
                }
            }
        }
    }

    fn time_of(&self, sample: u64) -> Time100ns {
        self.base_time.unwrap_or(0) + sample * 10_000_000 / self.rate as u64
    }

    /// Turn finished packets into units.
    fn drain(&mut self, out: &mut Vec<EncodedUnit>) {
        for (bytes, done) in std::mem::take(&mut self.pk.done) {
            self.pending.extend_from_slice(&bytes);
            if let (Some(first), Some(last)) = (done.first(), done.last()) {
                let t0 = self.time_of(first.0);
                let t1 = self.time_of(last.0 + last.1 as u64);
                out.push(EncodedUnit { time: t0, duration: t1 - t0, key_frame: true, data: std::mem::take(&mut self.pending) });
            }
        }
    }

    fn take_frames(&mut self, count: usize) -> Vec<Vec<Vec<i32>>> {
        let spf = self.p.spf;
        (0..count).map(|k| self.buf.iter().map(|c| c[k * spf..(k + 1) * spf].to_vec()).collect()).collect()
    }

    fn consume(&mut self, samples: usize) {
        for c in &mut self.buf {
            c.drain(..samples);
        }
    }
}

impl Encoder for WmaLosslessEncoder {
    fn name(&self) -> String {
        "built-in WMA Lossless".into()
    }

    fn output_type(&self) -> &MediaType {
        &self.out_type
    }

    fn encode(&mut self, input: RawInput<'_>, time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let RawInput::Audio(samples) = input else {
            crate::bail!(InvalidArg, "the WMA Lossless encoder takes audio, not video");
        };
        if self.finished {
            crate::bail!(InvalidArg, "the WMA Lossless encoder was already flushed");
        }
        let nch = self.p.nch;
        if samples.len() % nch != 0 {
            crate::bail!(InvalidArg, "{} samples are not a whole number of {}-channel frames", samples.len(), nch);
        }
        if self.base_time.is_none() {
            self.base_time = Some(time);
        }
        let shift = 32 - self.p.bits;
        for fr in samples.chunks_exact(nch) {
            for (c, &v) in fr.iter().enumerate() {
                self.buf[c].push(v >> shift);
            }
        }
        let seg = SEGMENT_FRAMES * self.p.spf;
        // Keep at least one sample back: the last frame is coded differently.
        while self.buf[0].len() > seg {
            let frames = self.take_frames(SEGMENT_FRAMES);
            self.consume(seg);
            self.segment(&frames);
        }
        self.drain(out);
        Ok(())
    }

    fn flush(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let spf = self.p.spf;
        let n = self.buf[0].len();
        if n > 0 {
            let whole = (n - 1) / spf;
            if whole > 0 {
                let frames = self.take_frames(whole);
                self.consume(whole * spf);
                self.segment(&frames);
            }
            let left = self.buf[0].len();
            let x: Vec<Vec<i32>> = self
                .buf
                .iter()
                .map(|c| {
                    let mut v = c.clone();
                    v.resize(spf, 0);
                    v
                })
                .collect();
            self.consume(left);
            self.last_frame(&x, left);
        }
        self.pk.finish();
        self.drain(out);
        if !self.pending.is_empty() {
            let t = self.time_of(self.consumed);
            out.push(EncodedUnit { time: t, duration: 0, key_frame: true, data: std::mem::take(&mut self.pending) });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_at(b: &[u8], from: usize, n: usize) -> u32 {
        (from..from + n).fold(0, |v, i| (v << 1) | ((b[i / 8] >> (7 - i % 8)) & 1) as u32)
    }

    fn frame_of(len: usize, id: u64) -> Frame {
        let mut bits = BitWriter::new();
        for i in 0..len {
            bits.put(1, (i % 3 == 0) as u32);
        }
        Frame { bits, span: (id, 1) }
    }

    #[test]
    fn packets_carry_prev_frame_bits_and_a_dummy_bit_after_an_exact_continuation_end() {
        // 64-byte packets, 10-bit length fields: header = 16 bits, 496 payload bits.
        let mut pk = Packetizer::new(512, 10);
        pk.place(&frame_of(400, 0)); // fits
        pk.place(&frame_of(96 + 496, 1)); // fills packet 0, then all of packet 1 exactly
        pk.place(&frame_of(50, 2));
        pk.finish();
        assert_eq!(pk.done.len(), 3);
        let (p0, d0) = &pk.done[0];
        assert_eq!((bits_at(p0, 0, 4), bits_at(p0, 6, 10)), (0, 0));
        assert_eq!(d0, &vec![(0, 1)]);
        let (p1, d1) = &pk.done[1];
        assert_eq!((bits_at(p1, 0, 4), bits_at(p1, 6, 10)), (1, 496), "packet 1 is all continuation");
        assert!(d1.is_empty(), "the decoder does not finish frame 1 in packet 1");
        let (p2, d2) = &pk.done[2];
        assert_eq!((bits_at(p2, 0, 4), bits_at(p2, 6, 10), bits_at(p2, 16, 1)), (2, 1, 0), "one dummy bit");
        assert_eq!(d2, &vec![(1, 1), (2, 1)]);
        assert_eq!(p2.len(), (16 + 1 + 50usize).div_ceil(8));
        // end_after agrees with placement.
        let pk2 = Packetizer::new(512, 10);
        assert_eq!(pk2.end_after(400), 416);
        assert_eq!(pk2.end_after(600), 16 + (600 - 496));
    }

    fn wfx(ch: u16, rate: u32, bits: u16) -> WaveFormatEx {
        WaveFormatEx {
            format_tag: FORMAT_TAG,
            channels: ch,
            samples_per_sec: rate,
            avg_bytes_per_sec: 0,
            block_align: 0,
            bits_per_sample: bits,
            extra: Vec::new(),
        }
    }

    fn mt() -> MediaType {
        MediaType { format_type: crate::guid::sdk::WMFORMAT_WAVEFORMATEX, ..MediaType::default() }
    }

    #[test]
    fn wave_format_extra_data() {
        let mt = mt();
        let e = WmaLosslessEncoder::new(&wfx(2, 44_100, 16), &mt, 0).unwrap();
        let w = e.output_type().wave_format().unwrap();
        assert_eq!((w.format_tag, w.channels, w.samples_per_sec, w.bits_per_sample), (0x163, 2, 44_100, 16));
        assert_eq!(w.extra.len(), 18);
        assert_eq!(u16::from_le_bytes([w.extra[0], w.extra[1]]), 16, "valid bits");
        assert_eq!(u32::from_le_bytes([w.extra[2], w.extra[3], w.extra[4], w.extra[5]]), 3, "channel mask");
        assert_eq!(u16::from_le_bytes([w.extra[14], w.extra[15]]), 0x140, "decode flags: length prefix + V3 RTM");
        assert_eq!(e.samples_per_frame(), 2048);
        assert!(w.block_align.is_power_of_two());
        // The 19-bit length field of the largest block align holds a raw frame.
        let e = WmaLosslessEncoder::new(&wfx(6, 96_000, 24), &mt, 0).unwrap();
        let w = e.output_type().wave_format().unwrap();
        assert_eq!(u16::from_le_bytes([w.extra[14], w.extra[15]]), 0x144, "one frame-length step down");
        assert_eq!(e.samples_per_frame(), 2048);
        assert_eq!(u32::from_le_bytes([w.extra[2], w.extra[3], w.extra[4], w.extra[5]]), 0x3F);
        assert_eq!(WmaLosslessEncoder::new(&wfx(2, 96_000, 24), &mt, 0).unwrap().samples_per_frame(), 4096);
        assert!(WmaLosslessEncoder::new(&wfx(2, 44_100, 20), &mt, 0).is_err());
        assert!(WmaLosslessEncoder::new(&wfx(9, 44_100, 16), &mt, 0).is_err());
        assert!(BACKEND.supports(&Guid::fourcc(0x163)));
        assert!(!BACKEND.supports(&Guid::fourcc(0x161)));
    }

    #[test]
    fn units_are_contiguous_from_the_first_input_time() {
        let mut e = WmaLosslessEncoder::new(&wfx(1, 44_100, 16), &mt(), 0).unwrap();
        let x: Vec<i32> = (0..100_000).map(|i| (((i as f64) * 0.01).sin() * 1e9) as i32).collect();
        let mut units = Vec::new();
        e.encode(RawInput::Audio(&x), 5_000_000, &mut units).unwrap();
        e.flush(&mut units).unwrap();
        assert!(units.len() > 2);
        assert_eq!(units[0].time, 5_000_000);
        for w in units.windows(2) {
            assert_eq!(w[0].time + w[0].duration, w[1].time);
        }
        let last = units.last().unwrap();
        assert_eq!(last.time + last.duration, 5_000_000 + 100_000 * 10_000_000 / 44_100);
        assert!(e.encode(RawInput::Audio(&x), 0, &mut units).is_err(), "no input after flush");
    }
}
