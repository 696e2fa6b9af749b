//! One frame (one tile of all channels) of WMA Lossless, coded the way FFmpeg's
//! `libavcodec/wmalosslessdec.c` reads it, with the decoder's adaptive filters run
//! forwards in exactly its integer arithmetic (wrapping 32-bit sums, 16-bit
//! coefficients, its clipping, rounding and update-speed rules), so that the decoder
//! rebuilds every sample bit for bit.
//!
//! Decoder order per tile: residues → cascaded CDLMS (per channel, last filter first) →
//! MCLMS → inter-channel decorrelation (stereo) → AC filter → output. The encoder runs
//! it backwards: AC filter → decorrelation → MCLMS → CDLMS filter 0, 1, … → residues.
#![forbid(unsafe_code)]

use super::bits::BitWriter;

#[inline]
fn sign(x: i32) -> i32 {
    (x > 0) as i32 - (x < 0) as i32
}

/// ceil(log2(x)) for x ≥ 2 (FFmpeg's `av_ceil_log2`).
#[inline]
fn ceil_log2(x: u32) -> u32 {
    31 - ((x - 1) << 1).leading_zeros()
}

/// Bits needed to send a value in 0..n (the decoder's `cbits` rule: ceil(log2(n))).
fn cbits(n: u32) -> u32 {
    if n <= 1 {
        0
    } else {
        ceil_log2(n)
    }
}

/// The filter set chosen at a seekable tile (it holds until the next one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// AC filter: (scaling, coefficients 1..=2^scaling), order = len (1..=16).
    pub ac: Option<(u32, Vec<i16>)>,
    /// Stereo mid/side-like decorrelation.
    pub decorr: bool,
    /// MCLMS: (order 2..=32 even, scaling 0..=15).
    pub mclms: Option<(usize, u32)>,
    /// Cascaded CDLMS filters per channel: (order multiple of 8 up to 256, scaling 0..=15);
    /// the first is applied first by the encoder. At least one.
    pub cdlms: Vec<(usize, u32)>,
    /// `movave_scaling` (0..=7) of the adaptive Rice parameter.
    pub movave: u32,
}

#[derive(Clone, Debug)]
struct Cdlms {
    order: usize,
    scaling: u32,
    coefs: Vec<i16>,
    /// History for 24-bit streams (the decoder's int32 path).
    prev: Vec<i32>,
    /// History for 16-bit streams (the decoder's int16 path; the values are clipped to
    /// 16 bits either way, this only makes the dot product cheaper).
    prev16: Vec<i16>,
    updates: Vec<i16>,
    recent: usize,
}

impl Cdlms {
    fn new(order: usize, scaling: u32, bits: u32) -> Self {
        let (p32, p16) = if bits > 16 { (2 * order, 0) } else { (0, 2 * order) };
        Cdlms {
            order,
            scaling,
            coefs: vec![0; order],
            prev: vec![0; p32],
            prev16: vec![0; p16],
            updates: vec![0; 2 * order],
            recent: order,
        }
    }

    /// One sample forward: returns the residue the decoder will read for `input`.
    #[inline]
    fn forward(&mut self, input: i32, speed: i32, range: i32) -> i32 {
        let r = self.recent;
        let o = self.order;
        let mut dot: i32 = 0;
        if self.prev16.is_empty() {
            for (c, p) in self.coefs.iter().zip(&self.prev[r..r + o]) {
                dot = dot.wrapping_add((*c as i32).wrapping_mul(*p));
            }
        } else {
            for (c, p) in self.coefs.iter().zip(&self.prev16[r..r + o]) {
                dot = dot.wrapping_add(*c as i32 * *p as i32);
            }
        }
        let pred = (((1i32 << self.scaling) >> 1).wrapping_add(dot)) >> self.scaling;
        let residue = input.wrapping_sub(pred);
        let mul = sign(residue);
        if mul != 0 {
            let upd = &self.updates[r..r + o];
            if mul > 0 {
                for (c, u) in self.coefs.iter_mut().zip(upd) {
                    *c = c.wrapping_add(*u);
                }
            } else {
                for (c, u) in self.coefs.iter_mut().zip(upd) {
                    *c = c.wrapping_sub(*u);
                }
            }
        }
        // lms_update
        let mut recent = self.recent;
        if recent > 0 {
            recent -= 1;
        } else {
            if self.prev16.is_empty() {
                self.prev.copy_within(0..o, o);
            } else {
                self.prev16.copy_within(0..o, o);
            }
            self.updates.copy_within(0..o, o);
            recent = o - 1;
        }
        let clipped = input.clamp(-range, range - 1);
        if self.prev16.is_empty() {
            self.prev[recent] = clipped;
        } else {
            self.prev16[recent] = clipped as i16;
        }
        self.updates[recent] = (sign(input) * speed) as i16;
        self.updates[recent + (o >> 4)] >>= 2;
        self.updates[recent + (o >> 3)] >>= 1;
        self.recent = recent;
        // The decoder zeroes updates[recent + order ..]; everything past it already is.
        if recent + o < 2 * o {
            self.updates[recent + o] = 0;
        }
        residue
    }
}

#[derive(Clone, Debug)]
struct Mclms {
    order: usize,
    scaling: u32,
    coeffs: Vec<i16>,
    coeffs_cur: Vec<i16>,
    prev: Vec<i32>,
    updates: Vec<i32>,
    recent: usize,
}

#[derive(Clone, Debug)]
struct Chan {
    cdlms: Vec<Cdlms>,
    update_speed: i32,
    ave_sum: u32,
    ac_prev: [i32; 16],
}

/// The decoder's adaptive state, mirrored.
#[derive(Clone, Debug)]
pub struct State {
    nch: usize,
    bits: u32,
    chans: Vec<Chan>,
    mclms: Option<Mclms>,
    config: Option<Config>,
}

/// Stream-wide parameters.
#[derive(Clone, Copy, Debug)]
pub struct Params {
    pub nch: usize,
    pub bits: u32,
    pub spf: usize,
    pub log2_frame_size: u32,
}

impl State {
    pub fn new(nch: usize, bits: u32) -> Self {
        State {
            nch,
            bits,
            chans: (0..nch).map(|_| Chan { cdlms: Vec::new(), update_speed: 0, ave_sum: 0, ac_prev: [0; 16] }).collect(),
            mclms: None,
            config: None,
        }
    }

    /// A seekable tile: clear everything and take `cfg` (update speeds persist, as in
    /// the decoder).
    fn reset(&mut self, cfg: &Config) {
        let n = self.nch;
        let bits = self.bits;
        for c in &mut self.chans {
            c.cdlms = cfg.cdlms.iter().map(|&(o, s)| Cdlms::new(o, s, bits)).collect();
            c.ave_sum = 0;
            c.ac_prev = [0; 16];
        }
        self.mclms = cfg.mclms.map(|(order, scaling)| Mclms {
            order,
            scaling,
            coeffs: vec![0; order * n * n],
            coeffs_cur: vec![0; n * n],
            prev: vec![0; 2 * order * n],
            updates: vec![0; 2 * order * n],
            recent: order * n,
        });
        self.config = Some(cfg.clone());
    }
}

/// Extra bits a seekable tile can carry without changing the decoded result: the
/// CDLMS "send coefficients" option with all-zero coefficients. `Some(r)` asks for a
/// total that adds r mod 8 (r in 0..8) over the header without it.
fn write_cdlms(w: &mut BitWriter, cfg: &Config, nch: usize, pad: Option<u32>) {
    // (coefsend, bitsend) for channel 0 filter 0 to reach the residue.
    let mut first = (1u32, 2u32);
    let send = pad.is_some_and(|r| r != 0);
    if let Some(r) = pad.filter(|&r| r != 0) {
        // Added over not sending: per filter cbits(order) + cbits(scaling+1) + 1*2.
        let base: u32 = (nch as u32) * cfg.cdlms.iter().map(|&(o, s)| cbits(o as u32) + cbits(s + 1) + 2).sum::<u32>();
        let (o0, s0) = cfg.cdlms[0];
        let max_bs = (1u32 << cbits(s0 + 1)) + 1;
        let mut best: Option<(u32, u32)> = None;
        for cs in 1..=o0 as u32 {
            for bs in 2..=max_bs {
                let total = base - 2 + cs * bs;
                if total % 8 == r && best.map_or(true, |(a, b)| cs * bs < a * b) {
                    best = Some((cs, bs));
                }
            }
        }
        first = best.expect("a CDLMS filter with scaling >= 1 can pad to any residue");
    }
    w.put(1, send as u32);
    for ch in 0..nch {
        w.put(3, cfg.cdlms.len() as u32 - 1);
        for &(o, _) in &cfg.cdlms {
            w.put(7, (o / 8) as u32 - 1);
        }
        for &(_, s) in &cfg.cdlms {
            w.put(4, s);
        }
        if send {
            for (i, &(o, s)) in cfg.cdlms.iter().enumerate() {
                let (cs, bs) = if ch == 0 && i == 0 { first } else { (1, 2) };
                w.put(cbits(o as u32), cs - 1);
                w.put(cbits(s + 1), bs - 2);
                for _ in 0..cs {
                    w.put(bs, 0);
                }
            }
        }
    }
}

/// Bits of the seekable-tile header after the seekable flag.
fn write_seekable_header(w: &mut BitWriter, cfg: &Config, nch: usize, pad: Option<u32>) {
    w.put(1, 0); // arithmetic coding
    w.put(1, cfg.ac.is_some() as u32);
    w.put(1, cfg.decorr as u32);
    w.put(1, cfg.mclms.is_some() as u32);
    if let Some((scaling, coefs)) = &cfg.ac {
        w.put(4, coefs.len() as u32 - 1);
        w.put(4, *scaling);
        for &c in coefs {
            w.put(*scaling, c as u32 - 1);
        }
    }
    if let Some((order, scaling)) = cfg.mclms {
        w.put(4, (order / 2) as u32 - 1);
        w.put(4, scaling);
        w.put(1, 0); // no coefficients sent: they start at zero
    }
    write_cdlms(w, cfg, nch, pad);
    w.put(3, cfg.movave);
    w.put(8, 0); // quant_stepsize 1
}

/// Scratch buffers reused between tiles.
#[derive(Default)]
pub struct Scratch {
    d: Vec<Vec<i32>>,
}

/// What one tile should be.
pub struct TileJob<'a> {
    /// The tile's samples per channel (each `spf` long).
    pub x: &'a [Vec<i32>],
    /// `Some(cfg)`: a seekable tile that starts `cfg`.
    pub seekable: Option<&'a Config>,
    /// For a seekable tile: pad the header by this residue mod 8 (see `write_cdlms`).
    pub pad: Option<u32>,
}

/// Code one tile (coded, not raw) into `w`, advancing `st`. (Indexed loops on purpose:
/// they follow the decoder's own loops, which is what this must match.)
#[allow(clippy::needless_range_loop)]
pub fn code_tile(w: &mut BitWriter, st: &mut State, job: &TileJob, sc: &mut Scratch) {
    let nch = st.nch;
    let n = job.x[0].len();
    let bits = st.bits;
    let range = 1i32 << (bits - 1);
    w.put(1, job.seekable.is_some() as u32);
    if let Some(cfg) = job.seekable {
        st.reset(cfg);
        write_seekable_header(w, cfg, nch, job.pad);
    }
    let cfg = st.config.clone().expect("the first tile is seekable");
    sc.d.resize(nch, Vec::new());
    // AC filter forward.
    for ch in 0..nch {
        let x = &job.x[ch];
        let d = &mut sc.d[ch];
        d.clear();
        d.extend_from_slice(x);
        if let Some((scaling, coefs)) = &cfg.ac {
            let hist = &mut st.chans[ch].ac_prev;
            let order = coefs.len();
            for i in 0..n {
                let mut pred: i32 = 0;
                for (j, &c) in coefs.iter().enumerate() {
                    let v = if i > j { x[i - j - 1] } else { hist[j - i] };
                    pred = pred.wrapping_add((c as i32).wrapping_mul(v));
                }
                d[i] = x[i].wrapping_sub(pred >> scaling);
            }
            for j in (0..order).rev() {
                hist[j] = if n <= j { hist[j - n] } else { x[n - j - 1] };
            }
        }
    }
    // Inter-channel decorrelation (stereo only).
    if cfg.decorr && nch == 2 {
        let (a, b) = sc.d.split_at_mut(1);
        for (x0, x1) in a[0].iter_mut().zip(b[0].iter_mut()) {
            let s = x1.wrapping_sub(*x0);
            *x0 = x0.wrapping_add(s >> 1);
            *x1 = s;
        }
    }
    let coded: Vec<bool> = sc.d.iter().map(|d| d.iter().any(|&v| v != 0)).collect();
    // MCLMS forward (in place: d becomes e).
    if let Some(m) = st.mclms.as_mut() {
        let on = m.order * nch;
        let mut pred = vec![0i32; nch];
        let mut dv = vec![0i32; nch];
        for i in 0..n {
            for ch in 0..nch {
                dv[ch] = sc.d[ch][i];
            }
            for ch in 0..nch {
                pred[ch] = 0;
                if !coded[ch] {
                    continue;
                }
                let mut p: i32 = 0;
                let cf = &m.coeffs[on * ch..on * ch + on];
                for (c, v) in cf.iter().zip(&m.prev[m.recent..m.recent + on]) {
                    p = p.wrapping_add((*v).wrapping_mul(*c as i32));
                }
                for j in 0..ch {
                    p = p.wrapping_add(dv[j].wrapping_mul(m.coeffs_cur[j + nch * ch] as i32));
                }
                p = p.wrapping_add(((1u32 << m.scaling) >> 1) as i32);
                p >>= m.scaling;
                pred[ch] = p;
                sc.d[ch][i] = dv[ch].wrapping_sub(p);
            }
            // mclms_update
            for ch in 0..nch {
                let err = dv[ch].wrapping_sub(pred[ch]);
                if err > 0 {
                    for k in 0..on {
                        m.coeffs[k + ch * on] = m.coeffs[k + ch * on].wrapping_add(m.updates[m.recent + k] as i16);
                    }
                    for j in 0..ch {
                        m.coeffs_cur[ch * nch + j] = m.coeffs_cur[ch * nch + j].wrapping_add(sign(dv[j]) as i16);
                    }
                } else if err < 0 {
                    for k in 0..on {
                        m.coeffs[k + ch * on] = m.coeffs[k + ch * on].wrapping_sub(m.updates[m.recent + k] as i16);
                    }
                    for j in 0..ch {
                        m.coeffs_cur[ch * nch + j] = m.coeffs_cur[ch * nch + j].wrapping_sub(sign(dv[j]) as i16);
                    }
                }
            }
            for ch in (0..nch).rev() {
                m.recent -= 1;
                m.prev[m.recent] = dv[ch].clamp(-range, range - 1);
                m.updates[m.recent] = sign(dv[ch]);
            }
            if m.recent == 0 {
                m.prev.copy_within(0..on, on);
                m.updates.copy_within(0..on, on);
                m.recent = on;
            }
        }
    }
    // Channel flags, LPC off, no padding zeroes.
    w.put(1, 0); // not raw PCM
    for &c in &coded {
        w.put(1, c as u32);
    }
    w.put(1, 0); // do_lpc (bV3RTM)
    w.put(1, 0); // no padding zeroes
    let first_bits = bits + cfg.decorr as u32;
    for ch in 0..nch {
        if !coded[ch] {
            continue;
        }
        let chan = &mut st.chans[ch];
        // Update speed (bV3RTM variant: scales the live window).
        let target = if job.seekable.is_some() { 16 } else { 8 };
        if chan.update_speed != target {
            for f in chan.cdlms.iter_mut() {
                let r = f.recent;
                for u in &mut f.updates[r..r + f.order] {
                    *u = if target == 16 { u.wrapping_mul(2) } else { *u / 2 };
                }
            }
            chan.update_speed = target;
        }
        let speed = chan.update_speed;
        let e = &mut sc.d[ch];
        for v in e.iter_mut() {
            let mut r = *v;
            for f in chan.cdlms.iter_mut() {
                r = f.forward(r, speed, range);
            }
            *v = r;
        }
        // Residues.
        w.put(1, 0); // transient
        let m = cfg.movave;
        let mut start = 0;
        if job.seekable.is_some() {
            let mean = initial_mean(&e[1..], bits);
            w.put(bits, mean);
            chan.ave_sum = mean << (m + 1);
            w.put_signed(first_bits, e[0]);
            start = 1;
        }
        let mut ave_sum = chan.ave_sum;
        for &r in &e[start..] {
            let u = ((r << 1) ^ (r >> 31)) as u32;
            let ave_mean = (ave_sum.wrapping_add(1 << m)) >> (m + 1);
            let k = if ave_mean <= 1 { 0 } else { ceil_log2(ave_mean) };
            let q = if k >= 32 { 0 } else { u >> k };
            if q < 32 {
                w.ones(q);
                w.put(1, 0);
            } else {
                w.ones(32);
                w.put(1, 0);
                let v = q - 32;
                let nb = (32 - v.leading_zeros()).max(1);
                w.put(5, nb - 1);
                w.put(nb, v);
            }
            if k > 0 {
                w.put(k, u & ((1u64 << k) - 1) as u32);
            }
            ave_sum = u.wrapping_add(ave_sum).wrapping_sub(ave_sum >> m);
        }
        chan.ave_sum = ave_sum;
    }
}

/// A starting `ave_mean` (bits wide) for a seekable tile: half the mean zigzag residue.
fn initial_mean(e: &[i32], bits: u32) -> u32 {
    let take = e.len().min(32);
    if take == 0 {
        return 0;
    }
    let s: u64 = e[..take].iter().map(|&r| ((r << 1) ^ (r >> 31)) as u32 as u64).sum();
    ((s / take as u64 / 2) as u32).min((1u32 << bits) - 1)
}

/// Code one raw-PCM tile (the filters do not run, their state stays as it was).
pub fn raw_tile(w: &mut BitWriter, st: &mut State, x: &[Vec<i32>], seekable: Option<(&Config, Option<u32>)>) {
    let nch = st.nch;
    w.put(1, seekable.is_some() as u32);
    if let Some((cfg, pad)) = seekable {
        st.reset(cfg);
        write_seekable_header(w, cfg, nch, pad);
    }
    w.put(1, 1); // raw PCM
    w.put(1, 0); // no padding zeroes
    for ch in x.iter().take(nch) {
        for &v in ch {
            w.put_signed(st.bits, v);
        }
    }
}
