//! An MSB-first bit writer (the order FFmpeg's `get_bits` reads).
#![forbid(unsafe_code)]

/// Bits appended most significant first; `len` counts bits.
#[derive(Clone, Debug, Default)]
pub struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    acc_bits: u32,
    len: usize,
}

impl BitWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of bits written.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Append the low `n` bits of `v` (n ≤ 32).
    #[inline]
    pub fn put(&mut self, n: u32, v: u32) {
        debug_assert!(n <= 32);
        if n == 0 {
            return;
        }
        let v = (v as u64) & ((1u64 << n) - 1);
        self.acc = (self.acc << n) | v;
        self.acc_bits += n;
        self.len += n as usize;
        while self.acc_bits >= 8 {
            self.acc_bits -= 8;
            self.bytes.push((self.acc >> self.acc_bits) as u8);
        }
        self.acc &= (1u64 << self.acc_bits) - 1;
    }

    /// Append `n` one bits.
    pub fn ones(&mut self, mut n: u32) {
        while n >= 32 {
            self.put(32, u32::MAX);
            n -= 32;
        }
        self.put(n, (1u32 << n).wrapping_sub(1));
    }

    /// Append a signed value in `n` bits (two's complement).
    pub fn put_signed(&mut self, n: u32, v: i32) {
        self.put(n, v as u32);
    }

    /// The bit at position `i`.
    fn bit(&self, i: usize) -> u32 {
        let byte = i / 8;
        if byte < self.bytes.len() {
            ((self.bytes[byte] >> (7 - (i % 8))) & 1) as u32
        } else {
            let pos = i - self.bytes.len() * 8;
            ((self.acc >> (self.acc_bits as usize - 1 - pos)) & 1) as u32
        }
    }

    /// Append bits `from..to` of `other`.
    pub fn append_range(&mut self, other: &BitWriter, from: usize, to: usize) {
        let mut i = from;
        // Whole bytes when both are byte aligned.
        while i < to && (i % 8 != 0 || self.acc_bits != 0) {
            self.put(1, other.bit(i));
            i += 1;
        }
        while i + 8 <= to && i / 8 < other.bytes.len() {
            if self.acc_bits == 0 {
                self.bytes.push(other.bytes[i / 8]);
                self.len += 8;
            } else {
                self.put(8, other.bytes[i / 8] as u32);
            }
            i += 8;
        }
        while i < to {
            let n = (to - i).min(8) as u32;
            let mut v = 0;
            for k in 0..n {
                v = (v << 1) | other.bit(i + k as usize);
            }
            self.put(n, v);
            i += n as usize;
        }
    }

    /// The bytes, the last one padded with zero bits.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = self.bytes.clone();
        if self.acc_bits > 0 {
            b.push((self.acc << (8 - self.acc_bits)) as u8);
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_msb_first_and_copies_ranges() {
        let mut w = BitWriter::new();
        w.put(3, 0b101);
        w.put(13, 0x1FFF);
        w.put(4, 0b0011);
        assert_eq!(w.len(), 20);
        assert_eq!(w.to_bytes(), vec![0b1011_1111, 0xFF, 0b0011_0000]);
        let mut c = BitWriter::new();
        c.put(1, 0);
        c.append_range(&w, 2, 20);
        let mut e = BitWriter::new();
        e.put(1, 0);
        e.put(1, 1);
        e.put(13, 0x1FFF);
        e.put(4, 0b0011);
        assert_eq!(c.to_bytes(), e.to_bytes());
        assert_eq!(c.len(), 19);
    }
}
