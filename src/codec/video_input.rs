//! The video front of an encoding pipeline: the caller's raw frames → tight I420 at the
//! stream's size, with the input settings that act on frames (`wm_writer_set_input_setting`):
//!
//! - `DeinterlaceMode` = `WM_DM_DEINTERLACE_NORMAL` (1): each frame is deinterlaced at
//!   the input's size, before any scaling: the top field (even rows) is kept, and a row
//!   of the bottom field is replaced by the mean of the top-field rows above and below it
//!   wherever it is *combed* (it lies outside both neighbours by more than
//!   [`COMB_THRESHOLD`] and a row of its own field two lines away is closer to it), so
//!   still detail keeps its full height and moving edges lose the comb. Changes between 0
//!   and 1 while writing apply from the next frame on.
//! - `DeinterlaceMode` = `WM_DM_DEINTERLACE_HALFSIZE` (2): the top field alone, every
//!   pair of columns averaged: a frame of half the input's width and height, which must
//!   be the stream's size (`InvalidRequest` otherwise).
//! - `FixedFrameRate` = FALSE: the codec may drop frames: a frame that falls in the same
//!   slot of the stream's frame interval (`AvgTimePerFrame`, by rounding) as the last
//!   frame kept is dropped, so a 30 fps input of a 15 fps stream encodes every other
//!   frame. Unset or TRUE: every frame is encoded (libavcodec's encoders drop none).
//!
//! The other modes (half size at double rate, inverse telecine) are refused by the
//! writer (`NS_E_INVALID_REQUEST`) before they get here.
#![forbid(unsafe_code)]

use super::convert_video::VideoConverter;
use super::EncoderConfig;
use crate::error::Result;
use crate::guid::{sdk, Guid};
use crate::profile::media::{MediaType, VideoInfo};
use crate::Time100ns;

/// `WM_DM_NOTINTERLACED`.
pub(crate) const WM_DM_NOTINTERLACED: u32 = 0;
/// `WM_DM_DEINTERLACE_NORMAL`.
pub(crate) const WM_DM_DEINTERLACE_NORMAL: u32 = 1;
/// `WM_DM_DEINTERLACE_HALFSIZE`.
pub(crate) const WM_DM_DEINTERLACE_HALFSIZE: u32 = 2;
/// `WM_DM_DEINTERLACE_HALFSIZEDOUBLERATE`.
pub(crate) const WM_DM_DEINTERLACE_HALFSIZEDOUBLERATE: u32 = 3;
/// `WM_DM_DEINTERLACE_INVERSETELECINE`.
pub(crate) const WM_DM_DEINTERLACE_INVERSETELECINE: u32 = 4;
/// `WM_DM_DEINTERLACE_VERTICALHALFSIZEDOUBLERATE`.
pub(crate) const WM_DM_DEINTERLACE_VERTICALHALFSIZEDOUBLERATE: u32 = 5;

/// How far (in 8-bit levels) a bottom-field pixel must lie outside both of its top-field
/// neighbours to count as combed.
pub(crate) const COMB_THRESHOLD: i32 = 6;

/// Whether a `DeinterlaceMode` of `mode` fits an input of `w`×`h` encoded at `dw`×`dh`:
/// `Err(reason)` when it cannot be applied.
pub fn check_deinterlace(mode: u32, w: usize, h: usize, dw: usize, dh: usize) -> std::result::Result<(), String> {
    match mode {
        WM_DM_NOTINTERLACED | WM_DM_DEINTERLACE_NORMAL => Ok(()),
        WM_DM_DEINTERLACE_HALFSIZE if (dw, dh) == (w / 2, h / 2) => Ok(()),
        WM_DM_DEINTERLACE_HALFSIZE => Err(format!(
            "WM_DM_DEINTERLACE_HALFSIZE makes {}x{} frames of the {w}x{h} input, but the stream is {dw}x{dh} (set the stream's size to half the input's)",
            w / 2,
            h / 2
        )),
        WM_DM_DEINTERLACE_HALFSIZEDOUBLERATE | WM_DM_DEINTERLACE_VERTICALHALFSIZEDOUBLERATE => {
            Err("the double-rate deinterlace modes are not implemented (WM_DM_DEINTERLACE_NORMAL and _HALFSIZE are)".into())
        }
        WM_DM_DEINTERLACE_INVERSETELECINE => Err("inverse telecine is not implemented".into()),
        m => Err(format!("{m} is not a WM_DM_* deinterlace mode (0..5)")),
    }
}

/// The settings value as a number (`"1"`), if set.
fn number(cfg: &EncoderConfig, name: &str) -> Option<u32> {
    cfg.setting(name).and_then(|v| v.trim().parse().ok())
}

/// Deinterlace one plane of `w`×`h` bytes in place: a bottom-field pixel is combed when it
/// lies outside both of its top-field neighbours (above and below) by more than
/// [`COMB_THRESHOLD`] and one of its own field's neighbours (two rows up or down) is
/// closer to it than that: a comb repeats down the field, a one-row line of a still
/// picture does not. Combed pixels become the mean of the top-field pixels above and below.
pub fn deinterlace_plane(p: &mut [u8], w: usize, h: usize) {
    // Decisions read the bottom field as it came (rows already replaced would hide the
    // comb of the rows after them).
    let orig: Vec<u8> = p.to_vec();
    for y in (1..h).step_by(2) {
        let above = (y - 1) * w;
        let below = if y + 1 < h { (y + 1) * w } else { above };
        let up2 = if y >= 3 { Some((y - 2) * w) } else { None };
        let down2 = if y + 2 < h { Some((y + 2) * w) } else { None };
        for x in 0..w {
            let (a, b) = (p[above + x] as i32, p[below + x] as i32);
            let v = p[y * w + x] as i32;
            let (lo, hi) = (a.min(b), a.max(b));
            let cross = if v < lo - COMB_THRESHOLD {
                lo - v
            } else if v > hi + COMB_THRESHOLD {
                v - hi
            } else {
                continue;
            };
            let same = [up2, down2].iter().flatten().map(|&r| (orig[r + x] as i32 - v).abs()).min().unwrap_or(0);
            if same < cross {
                p[y * w + x] = ((a + b + 1) / 2) as u8;
            }
        }
    }
}

/// The three planes of a tight I420 frame: (offset, width, height).
fn planes(w: usize, h: usize) -> [(usize, usize, usize); 3] {
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    [(0, w, h), (w * h, cw, ch), (w * h + cw * ch, cw, ch)]
}

/// Deinterlace a tight I420 frame of `w`×`h` in place (every plane: in interlaced 4:2:0
/// the chroma rows alternate between the fields too).
pub fn deinterlace_i420(frame: &mut [u8], w: usize, h: usize) {
    for (off, pw, ph) in planes(w, h) {
        deinterlace_plane(&mut frame[off..off + pw * ph], pw, ph);
    }
}

/// The top field of a tight I420 frame of `w`×`h`, every pair of columns averaged: tight
/// I420 of `w / 2`×`h / 2` in `out`.
pub fn half_size_field(frame: &[u8], w: usize, h: usize, out: &mut Vec<u8>) {
    let (dw, dh) = (w / 2, h / 2);
    out.clear();
    for ((off, pw, ph), (_, qw, qh)) in planes(w, h).into_iter().zip(planes(dw, dh)) {
        let p = &frame[off..off + pw * ph];
        for y in 0..qh {
            let row = &p[(2 * y).min(ph - 1) * pw..][..pw];
            for x in 0..qw {
                let (a, b) = (row[(2 * x).min(pw - 1)] as u16, row[(2 * x + 1).min(pw - 1)] as u16);
                out.push((a + b).div_ceil(2) as u8);
            }
        }
    }
}

/// Drops frames to the stream's frame rate (`FixedFrameRate` = FALSE).
#[derive(Debug)]
struct RateGate {
    frame_time: i64,
    t0: Option<Time100ns>,
    last_slot: Option<i64>,
}

impl RateGate {
    fn keep(&mut self, time: Time100ns) -> bool {
        let t0 = *self.t0.get_or_insert(time);
        let slot = (time.saturating_sub(t0) as i64 + self.frame_time / 2) / self.frame_time;
        if self.last_slot.is_some_and(|l| slot <= l) {
            return false;
        }
        self.last_slot = Some(slot);
        true
    }
}

/// Input → I420 at the input's size (for deinterlacing before scaling), then to the
/// stream's size when it differs.
#[derive(Debug)]
struct FieldPath {
    to_i420: VideoConverter,
    scale: Option<VideoConverter>,
}

/// The video front of a pipeline; see the module docs.
#[derive(Debug)]
pub struct VideoInput {
    subtype: Guid,
    vi: VideoInfo,
    w: usize,
    h: usize,
    dw: usize,
    dh: usize,
    /// Input → I420 at the stream's size (no deinterlacing).
    direct: VideoConverter,
    /// Built at the first deinterlaced frame.
    field: Option<FieldPath>,
    mode: u32,
    gate: Option<RateGate>,
    frame: Vec<u8>,
    tmp: Vec<u8>,
    /// Frames dropped by the rate gate.
    pub dropped: u64,
}

impl VideoInput {
    /// The front for raw `input` encoded as `cfg`'s stream (`dw`×`dh`).
    pub fn new(input: &MediaType, vi: &VideoInfo, cfg: &EncoderConfig, dw: usize, dh: usize) -> Result<VideoInput> {
        let (w, h) = (vi.width.unsigned_abs() as usize, vi.height.unsigned_abs() as usize);
        let mode = number(cfg, "DeinterlaceMode").unwrap_or(WM_DM_NOTINTERLACED);
        check_deinterlace(mode, w, h, dw, dh)
            .map_err(|e| crate::err!(InvalidRequest, "stream {}: DeinterlaceMode {mode}: {e}", cfg.stream.number))?;
        let frame_time = cfg.target().and_then(|t| t.video_info()).map_or(0, |v| v.avg_time_per_frame);
        let gate =
            (number(cfg, "FixedFrameRate") == Some(0) && frame_time > 0).then_some(RateGate { frame_time, t0: None, last_slot: None });
        let direct = VideoConverter::new(input.subtype, vi, dw, dh)?;
        let mut v = VideoInput {
            subtype: input.subtype,
            vi: vi.clone(),
            w,
            h,
            dw,
            dh,
            direct,
            field: None,
            mode,
            gate,
            frame: Vec::new(),
            tmp: Vec::new(),
            dropped: 0,
        };
        if mode != WM_DM_NOTINTERLACED {
            // Fail at begin_writing, not at the first frame, when a converter is missing.
            v.field_path()?;
        }
        Ok(v)
    }

    fn field_path(&mut self) -> Result<&mut FieldPath> {
        if self.field.is_none() {
            let to_i420 = VideoConverter::new(self.subtype, &self.vi, self.w, self.h)?;
            let scale = if self.mode != WM_DM_DEINTERLACE_HALFSIZE && (self.w, self.h) != (self.dw, self.dh) {
                let i420 = MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, self.w as i32, self.h as i32, self.vi.avg_time_per_frame);
                let vi = i420.video_info().unwrap_or_default();
                Some(VideoConverter::new(sdk::WMMEDIASUBTYPE_I420, &vi, self.dw, self.dh)?)
            } else {
                None
            };
            self.field = Some(FieldPath { to_i420, scale });
        }
        Ok(self.field.as_mut().expect("built above"))
    }

    /// `DeinterlaceMode` while writing: 0 ↔ 1 only (half size changes the frame size).
    pub fn set_mode(&mut self, mode: u32) -> Result<()> {
        if mode == self.mode {
            return Ok(());
        }
        if mode > WM_DM_DEINTERLACE_NORMAL || self.mode > WM_DM_DEINTERLACE_NORMAL {
            crate::bail!(
                InvalidRequest,
                "DeinterlaceMode cannot change from {} to {mode} while writing (the frame size would change)",
                self.mode
            );
        }
        self.mode = mode;
        if mode != WM_DM_NOTINTERLACED {
            self.field_path()?;
        }
        Ok(())
    }

    /// Bytes of one input frame.
    pub fn input_bytes(&self) -> usize {
        self.direct.input_bytes()
    }

    /// The I420 frame to encode for the input sample `data` at `time`, or `None` when the
    /// frame is dropped (`FixedFrameRate` = FALSE).
    pub fn frame<'a>(&'a mut self, data: &'a [u8], time: Time100ns) -> Result<Option<&'a [u8]>> {
        let n = self.direct.input_bytes();
        if data.len() < n {
            crate::bail!(InvalidData, "video sample of {} bytes is shorter than one input frame ({n} bytes)", data.len());
        }
        if let Some(g) = &mut self.gate {
            if !g.keep(time) {
                self.dropped += 1;
                return Ok(None);
            }
        }
        if self.mode == WM_DM_NOTINTERLACED {
            if self.direct.is_passthrough() {
                return Ok(Some(&data[..n]));
            }
            self.direct.convert(data, &mut self.frame)?;
            return Ok(Some(&self.frame));
        }
        let (w, h, mode) = (self.w, self.h, self.mode);
        let mut tmp = std::mem::take(&mut self.tmp);
        let mut frame = std::mem::take(&mut self.frame);
        let r = (|| -> Result<()> {
            let path = self.field_path()?;
            path.to_i420.convert(data, &mut tmp)?;
            if mode == WM_DM_DEINTERLACE_HALFSIZE {
                half_size_field(&tmp, w, h, &mut frame);
                return Ok(());
            }
            deinterlace_i420(&mut tmp, w, h);
            match &mut path.scale {
                Some(s) => s.convert(&tmp, &mut frame),
                None => {
                    std::mem::swap(&mut frame, &mut tmp);
                    Ok(())
                }
            }
        })();
        self.tmp = tmp;
        self.frame = frame;
        r?;
        Ok(Some(&self.frame))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mean squared difference of vertically adjacent pixels of a plane.
    fn interline(p: &[u8], w: usize, h: usize) -> f64 {
        let mut s = 0.0;
        for y in 0..h - 1 {
            for x in 0..w {
                let d = p[y * w + x] as f64 - p[(y + 1) * w + x] as f64;
                s += d * d;
            }
        }
        s / ((h - 1) * w) as f64
    }

    /// Vertical bars (a sine across x), the bottom field shifted by `shift` pixels.
    fn combed(w: usize, h: usize, shift: usize) -> Vec<u8> {
        let mut f = vec![128u8; w * h + 2 * w.div_ceil(2) * h.div_ceil(2)];
        for y in 0..h {
            let s = if y % 2 == 1 { shift } else { 0 };
            for x in 0..w {
                f[y * w + x] = (128.0 + 100.0 * (((x + s) as f64) * std::f64::consts::TAU / 32.0).sin()) as u8;
            }
        }
        f
    }

    #[test]
    fn the_comb_goes_and_still_rows_stay() {
        let (w, h) = (64, 48);
        let mut f = combed(w, h, 8);
        let before = interline(&f[..w * h], w, h);
        deinterlace_i420(&mut f, w, h);
        let after = interline(&f[..w * h], w, h);
        assert!(before > 5000.0, "{before}");
        assert!(after < 2.0 * (COMB_THRESHOLD * COMB_THRESHOLD) as f64, "{after}");
        // A progressive frame (no shift) is left exactly as it was.
        let still = combed(w, h, 0);
        let mut g = still.clone();
        deinterlace_i420(&mut g, w, h);
        assert_eq!(g, still);
        // A one-row bright line of a still picture on the bottom field stays.
        let mut line = vec![16u8; w * h * 3 / 2];
        line[7 * w..8 * w].fill(235);
        let l0 = line.clone();
        deinterlace_i420(&mut line, w, h);
        assert_eq!(line, l0);
        // A one-row line of a still picture that is not an extremum stays too: a ramp.
        let mut ramp: Vec<u8> = (0..w * h).map(|i| (i / w * 4) as u8).collect();
        ramp.resize(w * h * 3 / 2, 128);
        let r0 = ramp.clone();
        deinterlace_i420(&mut ramp, w, h);
        assert_eq!(ramp, r0);
    }

    #[test]
    fn half_size_takes_the_top_field_and_averages_columns() {
        // 4x4: Y rows 0..3 with values row*10 + x; chroma 2x2.
        let mut f: Vec<u8> = (0..16).map(|i| ((i / 4) * 10 + i % 4) as u8).collect();
        f.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let mut out = Vec::new();
        half_size_field(&f, 4, 4, &mut out);
        // Y 2x2 from rows 0 and 2: (0+1)/2, (2+3)/2 → 1, 3; (20+21)/2, (22+23)/2 → 21, 23.
        // U 1x1 from U row 0: (1+2)/2 → 2; V: (5+6)/2 → 6.
        assert_eq!(out, [1, 3, 21, 23, 2, 6]);
    }

    #[test]
    fn modes_and_sizes() {
        assert!(check_deinterlace(1, 320, 240, 160, 120).is_ok());
        assert!(check_deinterlace(2, 320, 240, 160, 120).is_ok());
        assert!(check_deinterlace(2, 320, 240, 320, 240).unwrap_err().contains("160x120"));
        assert!(check_deinterlace(3, 320, 240, 160, 120).is_err());
        assert!(check_deinterlace(4, 320, 240, 320, 240).unwrap_err().contains("telecine"));
        assert!(check_deinterlace(6, 320, 240, 320, 240).is_err());
    }

    #[test]
    fn the_rate_gate_halves_30_fps_to_15() {
        let mut g = RateGate { frame_time: 666_667, t0: None, last_slot: None };
        let kept: Vec<bool> = (0..8u64).map(|i| g.keep(i * 333_333)).collect();
        assert_eq!(kept, [true, false, true, false, true, false, true, false]);
        let mut g = RateGate { frame_time: 400_000, t0: None, last_slot: None };
        assert!((0..25u64).all(|i| g.keep(1_000 + i * 400_000)), "a matching rate keeps every frame");
    }
}
