//! Raw video input → tight I420 at the target size.
//!
//! I420/IYUV at the target size pass through untouched and YV12 only swaps its chroma
//! planes. Every other layout (YUY2, UYVY, NV12, RGB24, RGB32, RGB555, RGB565, bottom-up
//! DIBs, any size change) goes through libswscale, loaded by the same dlopen loader as
//! libavcodec. Why libswscale and not a crate: it is the only candidate that covers every
//! input the SDK accepts *and* scaling in one SIMD-optimised call (yuvutils-rs and
//! dcv-color-primitives have no RGB555/565 and no scaler; fast_image_resize has no YUV),
//! and it is present wherever the encoder is, since video is only encoded by libavcodec.
//! Measured on this machine (bench/README.md, "Codec pipeline"): RGB24 640×480 → I420
//! takes well under a millisecond per frame.
#![forbid(unsafe_code)]

use super::lavc::{abi::pix, Plane, Scaler};
use crate::error::Result;
use crate::guid::{sdk, Guid};
use crate::profile::media::{frame_bytes, raw_video_layout, VideoInfo};

/// `NV12` (not among the SDK's named constants).
pub const SUBTYPE_NV12: Guid = Guid::fourcc(u32::from_le_bytes(*b"NV12"));

/// Whether [`VideoConverter`] takes raw video of `subtype`.
pub fn converts(subtype: &Guid) -> bool {
    [
        sdk::WMMEDIASUBTYPE_I420,
        sdk::WMMEDIASUBTYPE_IYUV,
        sdk::WMMEDIASUBTYPE_YV12,
        SUBTYPE_NV12,
        sdk::WMMEDIASUBTYPE_YUY2,
        sdk::WMMEDIASUBTYPE_UYVY,
        sdk::WMMEDIASUBTYPE_RGB24,
        sdk::WMMEDIASUBTYPE_RGB32,
        sdk::WMMEDIASUBTYPE_RGB555,
        sdk::WMMEDIASUBTYPE_RGB565,
    ]
    .contains(subtype)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    I420,
    Yv12,
    Nv12,
    Packed { bpp: usize, fmt: i32 },
}

/// One raw input format converted to I420 at the target size.
#[derive(Debug)]
pub struct VideoConverter {
    layout: Layout,
    subtype: Guid,
    w: usize,
    h: usize,
    /// RGB rows stored bottom-up (positive biHeight).
    bottom_up: bool,
    dw: usize,
    dh: usize,
    in_bytes: usize,
    scaler: Option<Scaler>,
    tmp: Vec<u8>,
}

impl VideoConverter {
    /// A converter for input `subtype` described by `vi` to `dw`×`dh` I420.
    pub fn new(subtype: Guid, vi: &VideoInfo, dw: usize, dh: usize) -> Result<VideoConverter> {
        let (compression, bits) = raw_video_layout(subtype).unwrap_or((vi.compression, vi.bit_count));
        let (w, h) = (vi.width.unsigned_abs() as usize, vi.height.unsigned_abs() as usize);
        let in_bytes = frame_bytes(compression, bits, w as i32, h as i32).unwrap_or(0);
        let layout = match subtype {
            s if s == sdk::WMMEDIASUBTYPE_I420 || s == sdk::WMMEDIASUBTYPE_IYUV => Layout::I420,
            s if s == sdk::WMMEDIASUBTYPE_YV12 => Layout::Yv12,
            s if s == SUBTYPE_NV12 => Layout::Nv12,
            s if s == sdk::WMMEDIASUBTYPE_YUY2 => Layout::Packed { bpp: 2, fmt: pix::YUYV422 },
            s if s == sdk::WMMEDIASUBTYPE_UYVY => Layout::Packed { bpp: 2, fmt: pix::UYVY422 },
            s if s == sdk::WMMEDIASUBTYPE_RGB24 => Layout::Packed { bpp: 3, fmt: pix::BGR24 },
            s if s == sdk::WMMEDIASUBTYPE_RGB32 => Layout::Packed { bpp: 4, fmt: pix::BGRA },
            s if s == sdk::WMMEDIASUBTYPE_RGB555 => Layout::Packed { bpp: 2, fmt: pix::RGB555LE },
            s if s == sdk::WMMEDIASUBTYPE_RGB565 => Layout::Packed { bpp: 2, fmt: pix::RGB565LE },
            _ => crate::bail!(
                InvalidInputFormat,
                "raw video subtype {subtype} cannot be encoded (I420, IYUV, YV12, YUY2, UYVY, NV12, RGB24, RGB32, RGB555, RGB565 can)"
            ),
        };
        if w == 0 || h == 0 || in_bytes == 0 {
            crate::bail!(InvalidInputFormat, "raw video input of {}x{} has no frame size", vi.width, vi.height);
        }
        let rgb = matches!(layout, Layout::Packed { bpp, .. } if bpp != 2)
            || subtype == sdk::WMMEDIASUBTYPE_RGB555
            || subtype == sdk::WMMEDIASUBTYPE_RGB565;
        let bottom_up = rgb && vi.height > 0;
        let direct = matches!(layout, Layout::I420 | Layout::Yv12) && (w, h) == (dw, dh) && w % 2 == 0 && h % 2 == 0;
        let scaler =
            if direct {
                None
            } else {
                let fmt = match layout {
                    Layout::I420 | Layout::Yv12 => pix::YUV420P,
                    Layout::Nv12 => pix::NV12,
                    Layout::Packed { fmt, .. } => fmt,
                };
                Some(Scaler::new(fmt, w, h, dw, dh).map_err(|e| {
                    crate::err!(VideoCodecNotInstalled, "converting {subtype} {w}x{h} to I420 {dw}x{dh} needs libswscale: {e}")
                })?)
            };
        Ok(VideoConverter { layout, subtype, w, h, bottom_up, dw, dh, in_bytes, scaler, tmp: Vec::new() })
    }

    /// Whether input frames are already tight I420 of the target size (no conversion).
    pub fn is_passthrough(&self) -> bool {
        self.layout == Layout::I420 && self.scaler.is_none()
    }

    /// Bytes of one input frame.
    pub fn input_bytes(&self) -> usize {
        self.in_bytes
    }

    /// Convert one frame; `out` receives tight I420 of the target size.
    pub fn convert(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<()> {
        if data.len() < self.in_bytes {
            crate::bail!(
                InvalidData,
                "video sample of {} bytes is shorter than one {}x{} {} frame ({} bytes)",
                data.len(),
                self.w,
                self.h,
                self.subtype,
                self.in_bytes
            );
        }
        let (w, h) = (self.w, self.h);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let data = &data[..self.in_bytes];
        let Some(scaler) = self.scaler.as_mut() else {
            out.clear();
            match self.layout {
                Layout::Yv12 => {
                    out.extend_from_slice(&data[..w * h]);
                    out.extend_from_slice(&data[w * h + cw * ch..]);
                    out.extend_from_slice(&data[w * h..w * h + cw * ch]);
                }
                _ => out.extend_from_slice(data),
            }
            return Ok(());
        };
        let planes: Vec<Plane<'_>> = match self.layout {
            Layout::I420 | Layout::Yv12 => {
                let (y, rest) = data.split_at(w * h);
                let (a, b) = rest.split_at(cw * ch);
                let (u, v) = if self.layout == Layout::Yv12 { (b, a) } else { (a, b) };
                vec![
                    Plane { data: y, start: 0, stride: w as isize },
                    Plane { data: u, start: 0, stride: cw as isize },
                    Plane { data: v, start: 0, stride: cw as isize },
                ]
            }
            Layout::Nv12 => {
                let (y, uv) = data.split_at(w * h);
                vec![Plane { data: y, start: 0, stride: w as isize }, Plane { data: uv, start: 0, stride: (2 * cw) as isize }]
            }
            Layout::Packed { bpp, .. } => {
                // DIB rows are padded to 4 bytes (YUY2/UYVY rows are whole macropixels).
                let row = if matches!(self.layout, Layout::Packed { bpp: 2, fmt } if fmt == pix::YUYV422 || fmt == pix::UYVY422) {
                    cw * 4
                } else {
                    (w * bpp).div_ceil(4) * 4
                };
                if self.bottom_up {
                    vec![Plane { data, start: row * (h - 1), stride: -(row as isize) }]
                } else {
                    vec![Plane { data, start: 0, stride: row as isize }]
                }
            }
        };
        scaler.run(&planes, &mut self.tmp).map_err(|e| crate::err!(Fail, "video conversion failed: {e}"))?;
        std::mem::swap(out, &mut self.tmp);
        debug_assert_eq!(out.len(), self.dw * self.dh + 2 * self.dw.div_ceil(2) * self.dh.div_ceil(2));
        Ok(())
    }
}
