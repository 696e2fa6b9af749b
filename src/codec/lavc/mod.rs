//! The libavcodec backend: FFmpeg's encoders, loaded with dlopen at first use.
//!
//! | subtype | encoder |
//! |---|---|
//! | WMA v2 (0x0161) | `wmav2` |
//! | WMA v1 (0x0160) | `wmav1` |
//! | MP3 (0x0055) | `libmp3lame` |
//! | WMV2 / WMV1 | `wmv2` / `wmv1` |
//! | MP43 | `msmpeg4` |
//! | MP4S / M4S2 | `mpeg4` |
//! | H264 | `libx264` |
//!
//! Two-pass encoding (`IWMWriterPreprocess`): the video encoders but `libx264` are
//! FFmpeg's mpegvideo encoders, whose rate control takes `AV_CODEC_FLAG_PASS1` (the
//! `flags` AVOption `+pass1`: each frame's statistics line in `stats_out`) and
//! `AV_CODEC_FLAG_PASS2` (`+pass2`: the lines of the whole sequence in `stats_in`,
//! allocated by the caller and parsed at `avcodec_open2`). Neither field has an
//! AVOption; their offsets are in [`abi`].
//!
//! FFmpeg has no encoder for WMV3/VC-1, WMA Pro, WMA Lossless or WMA Voice: those
//! subtypes are not supported here. The library is never linked (see [`ffi`]); its
//! struct offsets come from a per-major table ([`abi`]) and everything else goes
//! through AVOptions. This is the one module of `codec` with `unsafe` code; every
//! block says why it is sound.
#![allow(unsafe_code)]

pub mod abi;
pub mod ffi;

use std::collections::VecDeque;
use std::ffi::{c_int, c_void};

mod decode;

pub use self::decode::open_decoder;
use self::ffi::{cs, lib, rd, wr, Lib};
use super::{Backend, EncodedUnit, Encoder, EncoderConfig, Pass, RawInput};
use crate::error::{Error, ErrorKind, Result};
use crate::guid::{sdk, Guid};
use crate::profile::media::{MediaType, VideoInfo, WaveFormatEx, VIDEOINFOHEADER_SIZE};
use crate::Time100ns;

/// `H264` FOURCC subtype (not among the SDK's named constants).
pub const SUBTYPE_H264: Guid = Guid::fourcc(u32::from_le_bytes(*b"H264"));
/// WMA v1 (tag 0x0160, "Windows Media Audio 7" in the SDK's codec list).
pub const SUBTYPE_WMAV1: Guid = Guid::fourcc(0x0160);

/// The backend object registered in [`super::backends`].
pub static BACKEND: LavcBackend = LavcBackend;

/// libavcodec as a [`Backend`].
#[derive(Debug)]
pub struct LavcBackend;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Wma,
    Mp3,
    Video,
}

/// The FFmpeg encoder for a subtype, and what kind of stream it makes.
fn encoder_for(subtype: &Guid) -> Option<(&'static str, Kind)> {
    let fcc = |s: &[u8; 4]| Guid::fourcc(u32::from_le_bytes(*s));
    Some(match *subtype {
        s if s == sdk::WMMEDIASUBTYPE_WMAUDIOV8 => ("wmav2", Kind::Wma),
        s if s == SUBTYPE_WMAV1 => ("wmav1", Kind::Wma),
        s if s == sdk::WMMEDIASUBTYPE_MP3 => ("libmp3lame", Kind::Mp3),
        s if s == sdk::WMMEDIASUBTYPE_WMV2 => ("wmv2", Kind::Video),
        s if s == sdk::WMMEDIASUBTYPE_WMV1 => ("wmv1", Kind::Video),
        s if s == sdk::WMMEDIASUBTYPE_MP43 || s == fcc(b"mp43") => ("msmpeg4", Kind::Video),
        s if s == sdk::WMMEDIASUBTYPE_MP4S || s == sdk::WMMEDIASUBTYPE_M4S2 => ("mpeg4", Kind::Video),
        s if s == SUBTYPE_H264 => ("libx264", Kind::Video),
        _ => return None,
    })
}

/// Whether an encoder takes the mpegvideo two-pass rate control (`+pass1` / `+pass2`
/// with `stats_out` / `stats_in`).
fn two_pass(encoder: &str) -> bool {
    matches!(encoder, "wmv1" | "wmv2" | "msmpeg4" | "mpeg4")
}

/// Why libavcodec cannot be used, if it cannot (the library is loaded on the first call).
pub fn load_error() -> Option<&'static str> {
    lib().err()
}

/// A description of the loaded library ("libavcodec 59.37.100 (libavcodec.so.59)").
pub fn describe() -> Option<String> {
    lib().ok().map(|l| format!("{l:?}"))
}

/// The libavcodec major loaded, if any.
pub fn loaded_major() -> Option<u32> {
    lib().ok().map(|l| l.version >> 16)
}

impl Backend for LavcBackend {
    fn name(&self) -> &'static str {
        "libavcodec"
    }

    fn supports(&self, subtype: &Guid) -> bool {
        match (encoder_for(subtype), lib()) {
            (Some((name, _)), Ok(l)) => l.has_encoder(name),
            _ => false,
        }
    }

    fn preprocessing_passes(&self, subtype: &Guid) -> u32 {
        match encoder_for(subtype) {
            Some((name, Kind::Video)) if two_pass(name) && self.supports(subtype) => 1,
            _ => 0,
        }
    }

    fn open(&self, cfg: &EncoderConfig) -> Result<Box<dyn Encoder>> {
        let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
        let video = target.major_type == sdk::WMMEDIATYPE_VIDEO;
        let missing = |msg: String| {
            let kind = if video { ErrorKind::VideoCodecNotInstalled } else { ErrorKind::AudioCodecNotInstalled };
            Error::new(kind, msg)
        };
        let Some((name, kind)) = encoder_for(&target.subtype) else {
            return Err(missing(format!(
                "stream {}: libavcodec has no encoder for subtype {}; passthrough (set_input_props(n, NULL) + write_stream_sample) still works",
                cfg.stream.number, target.subtype
            )));
        };
        let l = lib().map_err(|e| {
            missing(format!(
                "stream {}: the {name} encoder needs libavcodec: {e}; passthrough (set_input_props(n, NULL) + write_stream_sample) still works",
                cfg.stream.number
            ))
        })?;
        if !l.has_encoder(name) {
            return Err(missing(format!(
                "stream {}: {} has no {name} encoder; passthrough (set_input_props(n, NULL) + write_stream_sample) still works",
                cfg.stream.number, l.path
            )));
        }
        let enc = match LavcEncoder::open(l, name, kind, cfg, target) {
            // A final pass that libavcodec refused anyway ("2pass curve failed to
            // converge"): the same settings in one pass. Only from FFmpeg 8 on: before,
            // that refusal can free the rate control twice (see `pass2_refusal`).
            Err(e) if matches!(cfg.pass, Pass::Final(_)) && l.layout.lavc_major >= 62 => {
                let single = EncoderConfig { pass: Pass::Single, ..cfg.clone() };
                let mut enc = LavcEncoder::open(l, name, kind, &single, target)?;
                if let Pass::Final(stats) = &cfg.pass {
                    enc.pass_frames = Some((stats.matches(';').count(), 0));
                }
                enc.one_pass_because = Some(format!("libavcodec refused the statistics: {}", e.message));
                enc
            }
            r => r?,
        };
        Ok(Box::new(enc))
    }
}

/// The state of an audio stream.
#[derive(Debug)]
struct AudioState {
    channels: usize,
    rate: u32,
    frame_size: usize,
    /// Planar f32 samples waiting for a full frame.
    pending: Vec<Vec<f32>>,
    /// Samples of real input taken.
    taken: u64,
    /// Frames sent to the encoder (including the leading silence).
    frames_sent: i64,
    /// Units returned.
    units: u64,
    /// Time of the first input sample.
    t0: Option<Time100ns>,
}

#[derive(Debug)]
struct VideoState {
    width: usize,
    height: usize,
    frame_time: i64,
    /// The codec time base (one frame): numerator, denominator.
    time_base: (i64, i64),
    /// (pts, input time) of frames sent and not yet returned.
    times: VecDeque<(i64, Time100ns)>,
    last_pts: i64,
    t0: Option<Time100ns>,
}

impl VideoState {
    /// Frames per second as the rate control sees it (1 / time_base).
    fn fps(&self) -> f64 {
        self.time_base.1 as f64 / self.time_base.0.max(1) as f64
    }
}

#[derive(Debug)]
enum State {
    Audio(AudioState),
    Video(VideoState),
}

/// One open libavcodec encoder.
pub struct LavcEncoder {
    l: &'static Lib,
    ctx: *mut c_void,
    frame: *mut c_void,
    pkt: *mut c_void,
    codec: &'static str,
    kind: Kind,
    state: State,
    output: MediaType,
    flushed: bool,
    /// An analysis pass: the statistics lines of the frames encoded so far.
    pass_stats: Option<String>,
    /// A final pass: the NUL-terminated statistics `stats_in` points to (libavcodec
    /// reads and writes them at open; they stay ours and outlive the context).
    stats_in: Option<Box<[u8]>>,
    /// A final pass: the frames the statistics describe, and the frames sent so far.
    pass_frames: Option<(usize, usize)>,
    /// A final pass run with the one-pass rate control instead, and why.
    one_pass_because: Option<String>,
}

// SAFETY: the encoder's FFmpeg objects (context, frame, packet) are owned by this value
// alone and used only through `&mut self`; libavcodec contexts may be used from any
// thread as long as one thread at a time does (FFmpeg's documented threading rule).
unsafe impl Send for LavcEncoder {}

impl std::fmt::Debug for LavcEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LavcEncoder").field("codec", &self.codec).field("state", &self.state).finish()
    }
}

impl Drop for LavcEncoder {
    fn drop(&mut self) {
        // SAFETY: each pointer is NULL or owned by us; the free functions take NULL and
        // reset the pointer.
        unsafe {
            (self.l.f.av_frame_free)(&mut self.frame);
            (self.l.f.av_packet_free)(&mut self.pkt);
            if self.stats_in.is_some() && !self.ctx.is_null() {
                // stats_in is the caller's (libavcodec never frees it): unhook ours.
                wr::<*mut u8>(self.ctx, self.l.layout.ctx_stats_out + 8, std::ptr::null_mut());
            }
            (self.l.f.avcodec_free_context)(&mut self.ctx);
        }
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

impl LavcEncoder {
    fn set(&self, name: &str, value: &str) -> Result<()> {
        let (n, v) = (cs(name), cs(value));
        // SAFETY: ctx is a live AVCodecContext (an AVClass object); n and v are C strings.
        let r = unsafe { (self.l.f.av_opt_set)(self.ctx, n.as_ptr(), v.as_ptr(), abi::OPT_SEARCH_CHILDREN) };
        if r < 0 {
            crate::bail!(InvalidStream, "libavcodec {}: option {name}={value} was refused: {}", self.codec, self.l.err_text(r));
        }
        Ok(())
    }

    fn set_int(&self, name: &str, value: i64) -> Result<()> {
        let n = cs(name);
        // SAFETY: as in `set`.
        let r = unsafe { (self.l.f.av_opt_set_int)(self.ctx, n.as_ptr(), value, abi::OPT_SEARCH_CHILDREN) };
        if r < 0 {
            crate::bail!(InvalidStream, "libavcodec {}: option {name}={value} was refused: {}", self.codec, self.l.err_text(r));
        }
        Ok(())
    }

    fn has_option(&self, name: &str) -> bool {
        let n = cs(name);
        // SAFETY: ctx is a live AVClass object; n is a C string; nothing is written.
        !unsafe { (self.l.f.av_opt_find)(self.ctx, n.as_ptr(), std::ptr::null(), 0, 0) }.is_null()
    }

    /// `time_base` through its AVOption, or at its offset where a major has none.
    fn set_time_base(&self, num: i32, den: i32) -> Result<()> {
        if self.has_option("time_base") {
            return self.set("time_base", &format!("{num}/{den}"));
        }
        let Some(off) = self.l.layout.ctx_time_base else {
            crate::bail!(InvalidStream, "libavcodec {}: this library has no time_base option", self.codec);
        };
        // SAFETY: off is this major's `AVRational time_base` (two ints) in AVCodecContext.
        unsafe {
            wr::<i32>(self.ctx, off, num);
            wr::<i32>(self.ctx, off + 4, den);
        }
        Ok(())
    }

    fn get_int(&self, name: &str) -> Option<i64> {
        let n = cs(name);
        let mut v = 0i64;
        // SAFETY: as in `set`; v is a valid out-pointer.
        let r = unsafe { (self.l.f.av_opt_get_int)(self.ctx, n.as_ptr(), 0, &mut v) };
        (r >= 0).then_some(v)
    }

    /// A numeric option of the context or of the encoder's private options, as f64.
    fn get_f64(&self, name: &str) -> Option<f64> {
        let n = cs(name);
        let mut v = 0f64;
        // SAFETY: as in `set`; v is a valid out-pointer.
        let r = unsafe { (self.l.f.av_opt_get_double)(self.ctx, n.as_ptr(), abi::OPT_SEARCH_CHILDREN, &mut v) };
        (r >= 0).then_some(v)
    }

    /// Why libavcodec's two-pass rate control would refuse `stats` (`frames` frames) at
    /// `avcodec_open2`, if it would: the sequence needs more bits than the bit rate
    /// gives even at the coarsest quantiser (`init_pass2`'s "bitrate too low", which
    /// also covers its "requested bitrate is too low": the quantiser-independent bits).
    /// FFmpeg 4.x and 5.x (libavcodec/ratecontrol.c) free the rate-control expression a
    /// second time after that failure (`ff_rate_control_uninit` runs in `init_pass2`'s
    /// failure path and again in the encoder's cleanup) and the process aborts, so such
    /// statistics must never reach them. The sum is `init_pass2`'s at its smallest rate
    /// factor, where every frame's quantiser is its type's `lmax` (I frames:
    /// `lmax × |i_qfactor| + i_qoffset`, rounded): a frame's bits are
    /// `q × (itex + ptex + 1) / lmax + mv + misc`, and with no `minrate` the VBV check
    /// adds no stuffing to them. Measured
    /// on lavc 59 (wmv2, 20 noise frames, 3 s buffer): opened at need / available
    /// 0.9989, aborted at 1.0054; the 2 % margin covers rounding.
    fn pass2_refusal(&self, stats: &str, frames: usize) -> Option<String> {
        let State::Video(v) = &self.state else { return None };
        let bitrate = self.get_int("b").unwrap_or(0) as f64;
        let lmax = self.get_f64("lmax").unwrap_or(31.0 * 118.0).max(1.0);
        let lmin = self.get_f64("lmin").unwrap_or(2.0 * 118.0).max(1.0);
        let (iqf, iqo) = (self.get_f64("i_qfactor").unwrap_or(-0.8).abs(), self.get_f64("i_qoffset").unwrap_or(0.0));
        let lmax_i = ((lmax * iqf + iqo + 0.5).floor().max(1.0)).max((lmin * iqf + iqo + 0.5).floor().max(1.0));
        let field = |line: &str, key: &str| -> Option<f64> {
            line.split_whitespace().find_map(|kv| kv.strip_prefix(key).and_then(|x| x.strip_prefix(':'))).and_then(|x| x.parse().ok())
        };
        let mut need = 0.0;
        for line in stats.split(';').filter(|l| !l.trim().is_empty()) {
            let parsed = (|| {
                let q = field(line, "q")?;
                let tex = field(line, "itex")? + field(line, "ptex")?;
                let fixed = field(line, "mv")? + field(line, "misc")?;
                let qmax = if field(line, "type")? == 1.0 { lmax_i } else { lmax };
                Some(q * (tex + 1.0) / qmax + fixed)
            })();
            match parsed {
                Some(b) => need += b,
                None => return Some(format!("its statistics line {line:?} is not one libavcodec wrote")),
            }
        }
        let fps = v.fps();
        let available = bitrate * frames as f64 / fps;
        (need > 0.98 * available).then(|| {
            format!(
                "the sequence needs {:.0} bit/s at the coarsest quantiser, more than the stream's {bitrate:.0} bit/s",
                need * fps / frames as f64
            )
        })
    }

    fn open(l: &'static Lib, codec: &'static str, kind: Kind, cfg: &EncoderConfig, target: &MediaType) -> Result<LavcEncoder> {
        let n = cs(codec);
        // SAFETY: n is a C string; a NULL result is handled; the context, packet and
        // frame are owned by the LavcEncoder below, whose Drop frees them.
        let (codec_ptr, ctx, pkt, frame) = unsafe {
            let c = (l.f.avcodec_find_encoder_by_name)(n.as_ptr());
            if c.is_null() {
                crate::bail!(AudioCodecNotInstalled, "{} has no {codec} encoder", l.path);
            }
            (c, (l.f.avcodec_alloc_context3)(c), (l.f.av_packet_alloc)(), (l.f.av_frame_alloc)())
        };
        let state = match kind {
            Kind::Video => State::Video(VideoState {
                width: 0,
                height: 0,
                frame_time: 0,
                time_base: (1, 1),
                times: VecDeque::new(),
                last_pts: -1,
                t0: None,
            }),
            _ => State::Audio(AudioState {
                channels: 0,
                rate: 0,
                frame_size: 0,
                pending: Vec::new(),
                taken: 0,
                frames_sent: 0,
                units: 0,
                t0: None,
            }),
        };
        let mut e = LavcEncoder {
            l,
            ctx,
            frame,
            pkt,
            codec,
            kind,
            state,
            output: target.clone(),
            flushed: false,
            pass_stats: None,
            stats_in: None,
            pass_frames: None,
            one_pass_because: None,
        };
        if ctx.is_null() || pkt.is_null() || frame.is_null() {
            crate::bail!(OutOfMemory, "libavcodec {codec}: could not allocate the encoder context");
        }
        e.set_int("threads", 1)?;
        match kind {
            Kind::Video => e.configure_video(cfg, target)?,
            _ => e.configure_audio(cfg, target)?,
        }
        if cfg.pass != Pass::Single && !(kind == Kind::Video && two_pass(codec)) {
            crate::bail!(InvalidNumPasses, "stream {}: libavcodec {codec} encodes in one pass only", cfg.stream.number);
        }
        match &cfg.pass {
            Pass::Single => {}
            Pass::Analysis => {
                e.set("flags", "+pass1")?;
                e.pass_stats = Some(String::new());
            }
            Pass::Final(stats) => {
                let frames = stats.matches(';').count();
                if frames == 0 || stats.contains('\0') {
                    crate::bail!(
                        InvalidNumPasses,
                        "stream {}: the preprocessing pass saw no frames to encode the final pass with",
                        cfg.stream.number
                    );
                }
                e.pass_frames = Some((frames, 0));
                if let Some(why) = e.pass2_refusal(stats, frames) {
                    // The same settings in one pass: the same output format, and a
                    // rate control that overshoots at the coarsest quantiser as the
                    // one-pass encode would (the file stays valid).
                    e.one_pass_because = Some(why);
                    return e.finish_open(codec_ptr, cfg);
                }
                e.set("flags", "+pass2")?;
                let mut buf = Vec::with_capacity(stats.len() + 1);
                buf.extend_from_slice(stats.as_bytes());
                buf.push(0);
                let mut buf = buf.into_boxed_slice();
                // SAFETY: ctx_stats_out + 8 is this major's `char *stats_in` (see abi,
                // checked at load); the buffer is NUL-terminated, writable (the rate
                // control writes NULs into it while parsing) and owned by `e`, which
                // unhooks it before freeing the context.
                unsafe { wr::<*mut u8>(ctx, l.layout.ctx_stats_out + 8, buf.as_mut_ptr()) };
                e.stats_in = Some(buf);
            }
        }
        e.finish_open(codec_ptr, cfg)
    }

    /// `avcodec_open2` with the options set, then the output format.
    fn finish_open(mut self, codec_ptr: *const c_void, cfg: &EncoderConfig) -> Result<LavcEncoder> {
        // SAFETY: ctx and codec_ptr are live; no options dictionary is passed.
        let r = unsafe { (self.l.f.avcodec_open2)(self.ctx, codec_ptr, std::ptr::null_mut()) };
        if r < 0 {
            crate::bail!(
                InvalidStream,
                "stream {}: libavcodec {} refused the stream's format ({}): {}",
                cfg.stream.number,
                self.codec,
                self.describe_target(),
                self.l.err_text(r)
            );
        }
        match self.kind {
            Kind::Video => self.finish_video_open()?,
            _ => self.finish_audio_open()?,
        }
        Ok(self)
    }

    fn describe_target(&self) -> String {
        match &self.state {
            State::Audio(a) => format!("{} Hz, {} channels, {} bit/s", a.rate, a.channels, self.get_int("b").unwrap_or(0)),
            State::Video(v) => format!("{}x{}, {} bit/s", v.width, v.height, self.get_int("b").unwrap_or(0)),
        }
    }

    fn extradata(&self) -> Result<Vec<u8>> {
        // SAFETY: par is allocated, filled from the open context and freed here; the
        // extradata pointer/size pair is read at its stable offsets and copied out before
        // the free.
        unsafe {
            let mut par = (self.l.f.avcodec_parameters_alloc)();
            if par.is_null() {
                crate::bail!(OutOfMemory, "avcodec_parameters_alloc failed");
            }
            let r = (self.l.f.avcodec_parameters_from_context)(par, self.ctx);
            let p: *const u8 = rd(par, abi::PAR_EXTRADATA);
            let n: c_int = rd(par, abi::PAR_EXTRADATA_SIZE);
            let v = if r >= 0 && !p.is_null() && n > 0 { std::slice::from_raw_parts(p, n as usize).to_vec() } else { Vec::new() };
            (self.l.f.avcodec_parameters_free)(&mut par);
            Ok(v)
        }
    }

    fn configure_audio(&mut self, cfg: &EncoderConfig, target: &MediaType) -> Result<()> {
        let wfx = target
            .wave_format()
            .ok_or_else(|| crate::err!(InvalidStream, "stream {}: the audio target has no WAVEFORMATEX", cfg.stream.number))?;
        if wfx.channels == 0 || wfx.samples_per_sec == 0 {
            crate::bail!(
                InvalidStream,
                "stream {}: the target WAVEFORMATEX has {} channels at {} Hz",
                cfg.stream.number,
                wfx.channels,
                wfx.samples_per_sec
            );
        }
        let bitrate = if cfg.stream.bitrate > 0 { cfg.stream.bitrate as i64 } else { wfx.avg_bytes_per_sec as i64 * 8 };
        if let State::Audio(a) = &mut self.state {
            a.channels = wfx.channels as usize;
            a.rate = wfx.samples_per_sec;
        }
        self.set_int("b", bitrate)?;
        self.set_int("ar", wfx.samples_per_sec as i64)?;
        let layout = match wfx.channels {
            1 => "mono",
            2 => "stereo",
            3 => "2.1",
            4 => "quad",
            5 => "5.0",
            6 => "5.1",
            7 => "6.1",
            _ => "7.1",
        };
        if self.has_option("ch_layout") {
            self.set("ch_layout", layout)?;
        } else {
            // FFmpeg 4: channel count + mask.
            let mask = self.l.f.av_get_default_channel_layout.map(|f| {
                // SAFETY: a pure function of its integer argument.
                unsafe { f(wfx.channels as c_int) }
            });
            self.set_int("ac", wfx.channels as i64)?;
            self.set_int("channel_layout", mask.unwrap_or(0))?;
        }
        self.set_time_base(1, wfx.samples_per_sec as i32)?;
        // SAFETY: ctx_sample_fmt is the offset of the `enum AVSampleFormat sample_fmt`
        // field for this major (checked against the AVOption table at load).
        unsafe { wr::<c_int>(self.ctx, self.l.layout.ctx_sample_fmt, abi::SAMPLE_FMT_FLTP) };
        Ok(())
    }

    fn finish_audio_open(&mut self) -> Result<()> {
        let frame_size = self.get_int("frame_size").unwrap_or(0).max(0) as usize;
        let block_align = self.get_int("block_align").unwrap_or(0).max(0);
        let bitrate = self.get_int("b").unwrap_or(0);
        let extra = self.extradata()?;
        let State::Audio(a) = &mut self.state else { return Ok(()) };
        a.frame_size = if frame_size == 0 { 1152 } else { frame_size };
        a.pending = vec![Vec::with_capacity(a.frame_size * 2); a.channels];
        let tag = self.output.subtype.data1 as u16;
        let mut wfx = WaveFormatEx {
            format_tag: tag,
            channels: a.channels as u16,
            samples_per_sec: a.rate,
            avg_bytes_per_sec: (bitrate / 8) as u32,
            block_align: block_align as u16,
            bits_per_sample: 16,
            extra,
        };
        // WMA: nAvgBytesPerSec stays the encoder's bit rate / 8 exactly (not block_align ×
        // rate / frame_size): decoders derive the coded band (bits per sample thresholds
        // such as 1.16 in FFmpeg's ff_wma_init) from it, and at 32 kbit/s 22.05 kHz stereo
        // the derived 31 864 bit/s crossed a threshold the encoder's 32 000 did not, so
        // every frame failed to decode ("overflow in spectral RLE").
        if self.kind == Kind::Mp3 {
            // MPEGLAYER3WAVEFORMAT (mmreg.h): wID = MPEGLAYER3_ID_MPEG, fdwFlags =
            // MPEGLAYER3_FLAG_PADDING_OFF, nBlockSize = one frame, nFramesPerBlock = 1,
            // nCodecDelay = 1393 (the value Microsoft's encoder writes).
            let block = (144 * bitrate as u64).div_ceil(a.rate as u64) as u16;
            let mut x = Vec::new();
            x.extend_from_slice(&1u16.to_le_bytes());
            x.extend_from_slice(&2u32.to_le_bytes());
            x.extend_from_slice(&block.to_le_bytes());
            x.extend_from_slice(&1u16.to_le_bytes());
            x.extend_from_slice(&1393u16.to_le_bytes());
            wfx.extra = x;
            wfx.block_align = 1;
            wfx.bits_per_sample = 0;
        }
        self.output.format = wfx.to_bytes();
        self.output.format_type = sdk::WMFORMAT_WAVEFORMATEX;
        self.output.sample_size = wfx.block_align as u32;
        self.output.fixed_size_samples = self.kind == Kind::Wma;
        // The leading silence (see the crate README: FFmpeg's WMA decoder drops one
        // frame more than the encoder's declared delay, so one frame of zeros in front
        // makes the decoded output start with the first input sample).
        if self.kind == Kind::Wma {
            let n = a.frame_size;
            for p in &mut a.pending {
                p.resize(n, 0.0);
            }
        }
        Ok(())
    }

    fn configure_video(&mut self, cfg: &EncoderConfig, target: &MediaType) -> Result<()> {
        let vi = target
            .video_info()
            .ok_or_else(|| crate::err!(InvalidStream, "stream {}: the video target has no VIDEOINFOHEADER", cfg.stream.number))?;
        let (w, h) = (vi.width.unsigned_abs() as usize, vi.height.unsigned_abs() as usize);
        if w == 0 || h == 0 || w % 2 != 0 || h % 2 != 0 {
            crate::bail!(InvalidStream, "stream {}: libavcodec needs an even, non-zero frame size (got {}x{})", cfg.stream.number, w, h);
        }
        let frame_time = if vi.avg_time_per_frame > 0 { vi.avg_time_per_frame } else { 333_667 };
        let bitrate = if cfg.stream.bitrate > 0 { cfg.stream.bitrate as i64 } else { vi.bit_rate.max(100_000) as i64 };
        // time_base = one frame; MPEG-4 allows a denominator of at most 65535, so the
        // rate is expressed in thousandths (29.97 → 1000/29970 = 100/2997).
        let den = ((10_000_000_000i64 + frame_time / 2) / frame_time).clamp(1, 65_535_000);
        let g = gcd(1000, den);
        let (mut tn, mut td) = (1000 / g, den / g);
        while td > 65_535 {
            tn = (tn + 1) / 2;
            td /= 2;
        }
        self.set("video_size", &format!("{w}x{h}"))?;
        self.set("pixel_format", "yuv420p")?;
        self.set_time_base(tn as i32, td as i32)?;
        self.set_int("b", bitrate)?;
        self.set_int("bf", 0)?;
        let spacing = cfg.stream.max_key_frame_spacing;
        let gop = if spacing > 0 { (spacing / frame_time).clamp(1, 600) } else { 300 };
        self.set_int("g", gop)?;
        let bw = cfg.stream.buffer_window;
        if bw != u32::MAX && bw > 0 {
            let size = (bitrate * bw as i64 / 1000).clamp(8_192, i32::MAX as i64);
            // The SDK's leaky bucket: the stream's rate with a buffer of the window.
            self.set_int("bufsize", size)?;
            self.set_int("maxrate", bitrate)?;
        }
        if cfg.stream.vbr.enabled == Some(true) {
            if let Some(q) = cfg.stream.vbr.quality {
                // Quality-based VBR: a fixed quantiser from vbrquality (100 → qscale 2,
                // 0 → 31), as qmin = qmax (the rate control can pick no other). Not
                // `+qscale` with global_quality: the encoders take that quantiser from
                // each frame's `quality` field (ffmpeg's CLI copies it there), which
                // this backend does not set, so every quality gave the same file.
                let qs = 31 - (q.min(100) as i64 * 29 / 100);
                self.set_int("qmin", qs)?;
                self.set_int("qmax", qs)?;
            }
        } else if cfg.stream.quality > 0 {
            // The SDK's quality (smooth 0 … crisp 100) bounds the coarsest quantiser:
            // 100 → qmax 15, 0 → FFmpeg's default 31. This project's choice.
            self.set_int("qmax", 31 - (cfg.stream.quality.min(100) as i64 * 16 / 100))?;
        }
        if self.codec == "libx264" {
            let _ = self.set("preset", "veryfast");
        }
        // InterlacedCoding (wm_writer_set_input_setting): interlaced DCT (+ motion
        // estimation for MPEG-4; x264 reads +ildct as its interlaced mode), top field first.
        if cfg.setting("InterlacedCoding").is_some_and(|v| v.trim() != "0") {
            if !super::can_code_interlaced(&target.subtype) {
                crate::bail!(InvalidRequest, "stream {}: libavcodec {} has no interlaced coding", cfg.stream.number, self.codec);
            }
            self.set("flags", if self.codec == "libx264" { "+ildct" } else { "+ildct+ilme" })?;
            if self.has_option("field_order") {
                let _ = self.set("field_order", "tt");
            }
        }
        if let State::Video(v) = &mut self.state {
            v.width = w;
            v.height = h;
            v.frame_time = frame_time;
            v.time_base = (tn, td);
        }
        Ok(())
    }

    fn finish_video_open(&mut self) -> Result<()> {
        let extra = self.extradata()?;
        let State::Video(v) = &self.state else { return Ok(()) };
        let (w, h) = (v.width as i32, v.height as i32);
        let bitrate = self.get_int("b").unwrap_or(0) as u32;
        let fourcc = self.output.subtype.data1;
        let mut f = Vec::with_capacity(VIDEOINFOHEADER_SIZE + extra.len());
        for x in [0, 0, w, h, 0, 0, w, h] {
            f.extend_from_slice(&x.to_le_bytes());
        }
        f.extend_from_slice(&bitrate.to_le_bytes());
        f.extend_from_slice(&0u32.to_le_bytes());
        f.extend_from_slice(&v.frame_time.to_le_bytes());
        f.extend_from_slice(&(40 + extra.len() as u32).to_le_bytes());
        f.extend_from_slice(&w.to_le_bytes());
        f.extend_from_slice(&h.to_le_bytes());
        f.extend_from_slice(&1u16.to_le_bytes());
        f.extend_from_slice(&24u16.to_le_bytes());
        f.extend_from_slice(&fourcc.to_le_bytes());
        f.extend_from_slice(&((w * h * 3) as u32).to_le_bytes());
        f.extend_from_slice(&[0u8; 16]);
        f.extend_from_slice(&extra);
        debug_assert!(VideoInfo::parse(&f).is_some());
        self.output.format = f;
        self.output.format_type = sdk::WMFORMAT_VIDEOINFO;
        self.output.fixed_size_samples = false;
        self.output.temporal_compression = true;
        self.output.sample_size = 0;
        // The frame buffer, allocated once and made writable before each use.
        // SAFETY: frame is a fresh AVFrame; width/height/format sit in the stable prefix.
        let r = unsafe {
            wr::<c_int>(self.frame, abi::FRAME_WIDTH, w);
            wr::<c_int>(self.frame, abi::FRAME_HEIGHT, h);
            wr::<c_int>(self.frame, abi::FRAME_FORMAT, abi::pix::YUV420P);
            (self.l.f.av_frame_get_buffer)(self.frame, 0)
        };
        if r < 0 {
            crate::bail!(OutOfMemory, "libavcodec {}: av_frame_get_buffer failed: {}", self.codec, self.l.err_text(r));
        }
        Ok(())
    }

    /// Send `self.frame` (or NULL to drain) and collect every packet now ready.
    fn send(&mut self, drain: bool, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let fr = if drain { std::ptr::null() } else { self.frame.cast_const() };
        // SAFETY: ctx is open; fr is our frame (filled by the caller) or NULL to drain.
        let r = unsafe { (self.l.f.avcodec_send_frame)(self.ctx, fr) };
        if r < 0 && r != abi::AVERROR_EOF {
            crate::bail!(Fail, "libavcodec {}: avcodec_send_frame failed: {}", self.codec, self.l.err_text(r));
        }
        loop {
            // SAFETY: pkt is our AVPacket; after a successful receive its data/size/flags/
            // pts are read at their stable offsets and copied out before the unref.
            let (r, data, flags, pts) = unsafe {
                let r = (self.l.f.avcodec_receive_packet)(self.ctx, self.pkt);
                if r < 0 {
                    (r, Vec::new(), 0, 0)
                } else {
                    let p: *const u8 = rd(self.pkt, abi::PKT_DATA);
                    let n: c_int = rd(self.pkt, abi::PKT_SIZE);
                    let d = if p.is_null() || n <= 0 { Vec::new() } else { std::slice::from_raw_parts(p, n as usize).to_vec() };
                    let f: c_int = rd(self.pkt, abi::PKT_FLAGS);
                    let pts: i64 = rd(self.pkt, abi::PKT_PTS);
                    (self.l.f.av_packet_unref)(self.pkt);
                    (r, d, f, pts)
                }
            };
            if r == abi::EAGAIN || r == abi::AVERROR_EOF {
                return Ok(());
            }
            if r < 0 {
                crate::bail!(Fail, "libavcodec {}: avcodec_receive_packet failed: {}", self.codec, self.l.err_text(r));
            }
            if let Some(stats) = &mut self.pass_stats {
                // SAFETY: ctx_stats_out is this major's `char *stats_out` (see abi,
                // checked at load); with +pass1 an mpegvideo encoder keeps a 256-byte
                // NUL-terminated buffer there holding the line of the frame just encoded.
                let line = unsafe {
                    let p: *const std::ffi::c_char = rd(self.ctx, self.l.layout.ctx_stats_out);
                    if p.is_null() {
                        None
                    } else {
                        Some(std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned())
                    }
                };
                match line {
                    Some(l) if l.contains(';') => stats.push_str(&l),
                    _ => crate::bail!(Fail, "libavcodec {}: the preprocessing pass gave no statistics for a frame", self.codec),
                }
            }
            self.emit(data, flags & abi::PKT_FLAG_KEY != 0, pts, out);
        }
    }

    fn emit(&mut self, data: Vec<u8>, key: bool, pts: i64, out: &mut Vec<EncodedUnit>) {
        match &mut self.state {
            State::Audio(a) => {
                let n = a.frame_size as u64;
                let t0 = a.t0.unwrap_or(0);
                let (time, duration) = if self.kind == Kind::Wma {
                    // One packet per frame, in order: unit k covers frame k.
                    let t = t0 + a.units * n * 10_000_000 / a.rate as u64;
                    (t, (a.units + 1) * n * 10_000_000 / a.rate as u64 + t0 - t)
                } else {
                    // The encoder's own timestamps (samples), its delay included.
                    let p = pts.max(0) as u64;
                    (t0 + p * 10_000_000 / a.rate as u64, n * 10_000_000 / a.rate as u64)
                };
                a.units += 1;
                out.push(EncodedUnit { time, duration, key_frame: true, data });
            }
            State::Video(v) => {
                let mut time = None;
                while let Some(&(p, t)) = v.times.front() {
                    if p > pts && time.is_some() {
                        break;
                    }
                    v.times.pop_front();
                    time = Some(t);
                    if p >= pts {
                        break;
                    }
                }
                let time = time.unwrap_or_else(|| v.t0.unwrap_or(0) + (pts.max(0) * v.frame_time) as u64);
                out.push(EncodedUnit { time, duration: v.frame_time as u64, key_frame: key, data });
            }
        }
    }

    /// Send one full frame of planar samples from `pending` (the first `frame_size`).
    fn send_audio_frame(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let State::Audio(a) = &mut self.state else { return Ok(()) };
        let n = a.frame_size;
        let pts = a.frames_sent * n as i64;
        // SAFETY: frame is our AVFrame. Before the first use its format, nb_samples and
        // channel layout are set (at this major's offsets, verified at load) and
        // buffers allocated; av_frame_make_writable keeps the same layout, so each of the
        // `channels` planes in extended_data holds `n` f32 samples.
        unsafe {
            if a.frames_sent == 0 {
                wr::<c_int>(self.frame, abi::FRAME_FORMAT, abi::SAMPLE_FMT_FLTP);
                wr::<c_int>(self.frame, abi::FRAME_NB_SAMPLES, n as c_int);
                self.l
                    .set_frame_channels(self.frame, a.channels as c_int)
                    .map_err(|e| crate::err!(Fail, "libavcodec {}: {e}", self.codec))?;
                let r = (self.l.f.av_frame_get_buffer)(self.frame, 0);
                if r < 0 {
                    crate::bail!(OutOfMemory, "libavcodec {}: av_frame_get_buffer failed: {}", self.codec, self.l.err_text(r));
                }
            }
            let r = (self.l.f.av_frame_make_writable)(self.frame);
            if r < 0 {
                crate::bail!(OutOfMemory, "libavcodec {}: av_frame_make_writable failed: {}", self.codec, self.l.err_text(r));
            }
            let ext: *const *mut f32 = rd(self.frame, abi::FRAME_EXTENDED_DATA);
            for (c, p) in a.pending.iter().enumerate() {
                let dst = std::slice::from_raw_parts_mut(*ext.add(c), n);
                dst.copy_from_slice(&p[..n]);
            }
            wr::<i64>(self.frame, abi::FRAME_PTS, pts);
        }
        for p in &mut a.pending {
            p.drain(..n);
        }
        a.frames_sent += 1;
        self.send(false, out)
    }
}

impl Encoder for LavcEncoder {
    fn name(&self) -> String {
        match &self.one_pass_because {
            Some(why) => format!("libavcodec {} (final pass with the one-pass rate control: {why})", self.codec),
            None => format!("libavcodec {}", self.codec),
        }
    }

    fn output_type(&self) -> &MediaType {
        &self.output
    }

    fn encode(&mut self, input: RawInput<'_>, time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        if self.flushed {
            crate::bail!(InvalidRequest, "libavcodec {}: encode after flush", self.codec);
        }
        match (input, &mut self.state) {
            (RawInput::Audio(s), State::Audio(a)) => {
                let ch = a.channels;
                if s.len() % ch != 0 {
                    crate::bail!(InvalidData, "audio input of {} values is not a whole number of {ch}-channel frames", s.len());
                }
                a.t0.get_or_insert(time);
                const SCALE: f32 = 1.0 / 2_147_483_648.0;
                for (c, p) in a.pending.iter_mut().enumerate() {
                    p.extend(s.iter().skip(c).step_by(ch).map(|&x| x as f32 * SCALE));
                }
                a.taken += (s.len() / ch) as u64;
                while matches!(&self.state, State::Audio(a) if a.pending[0].len() >= a.frame_size) {
                    self.send_audio_frame(out)?;
                }
                Ok(())
            }
            (RawInput::Video(f), State::Video(v)) => {
                let (w, h) = (v.width, v.height);
                let (cw, chh) = (w / 2, h / 2);
                if f.len() != w * h + 2 * cw * chh {
                    crate::bail!(
                        InvalidData,
                        "video input of {} bytes is not one {w}x{h} I420 frame ({} bytes)",
                        f.len(),
                        w * h + 2 * cw * chh
                    );
                }
                if let Some((n, sent)) = &mut self.pass_frames {
                    if *sent >= *n {
                        crate::bail!(
                            InvalidRequest,
                            "libavcodec {}: the preprocessing pass saw {n} frames; the final pass cannot encode more than those",
                            self.codec
                        );
                    }
                    *sent += 1;
                }
                let t0 = *v.t0.get_or_insert(time);
                let ideal = ((time.saturating_sub(t0)) as i64 + v.frame_time / 2) / v.frame_time;
                let pts = ideal.max(v.last_pts + 1);
                v.last_pts = pts;
                v.times.push_back((pts, time));
                // SAFETY: frame holds a YUV420P buffer of w×h (allocated at open; made
                // writable here); plane p has `linesize[p]` ≥ its width bytes per row and
                // its height rows, so every row copy stays inside it.
                unsafe {
                    let r = (self.l.f.av_frame_make_writable)(self.frame);
                    if r < 0 {
                        crate::bail!(OutOfMemory, "libavcodec {}: av_frame_make_writable failed: {}", self.codec, self.l.err_text(r));
                    }
                    let mut src = 0usize;
                    for (p, (pw, ph)) in [(w, h), (cw, chh), (cw, chh)].into_iter().enumerate() {
                        let dst: *mut u8 = rd(self.frame, abi::FRAME_DATA + 8 * p);
                        let ls: c_int = rd(self.frame, abi::FRAME_LINESIZE + 4 * p);
                        for row in 0..ph {
                            let d = std::slice::from_raw_parts_mut(dst.add(row * ls as usize), pw);
                            d.copy_from_slice(&f[src..src + pw]);
                            src += pw;
                        }
                    }
                    wr::<i64>(self.frame, abi::FRAME_PTS, pts);
                }
                self.send(false, out)
            }
            _ => crate::bail!(InvalidData, "libavcodec {}: wrong kind of raw input for this stream", self.codec),
        }
    }

    fn flush(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        if self.flushed {
            return Ok(());
        }
        self.flushed = true;
        if let State::Audio(a) = &mut self.state {
            let n = a.frame_size;
            let fill = a.pending[0].len();
            if self.kind == Kind::Wma {
                // Silence to the end of the frame holding the last input sample. The one
                // frame of leading silence already covers the decoder's one-frame delay:
                // a further frame added nothing to the decoded tail (last 256 samples
                // 13.63 dB with it, 13.58 dB without, 48 kbit/s 22.05 kHz) and made the
                // file one frame longer than its input.
                let pad = (n - fill % n) % n;
                for p in &mut a.pending {
                    p.resize(fill + pad, 0.0);
                }
            } else if fill > 0 {
                for p in &mut a.pending {
                    p.resize(n, 0.0);
                }
            }
            while matches!(&self.state, State::Audio(a) if a.pending[0].len() >= a.frame_size) {
                self.send_audio_frame(out)?;
            }
        }
        self.send(true, out)
    }

    fn take_pass_stats(&mut self) -> Option<String> {
        if self.flushed {
            self.pass_stats.take()
        } else {
            None
        }
    }
}

/// A libswscale conversion between two fixed frame layouts (`SWS_BICUBIC`).
pub struct Scaler {
    ctx: *mut c_void,
    l: &'static Lib,
    src: (usize, usize, i32),
    dst: (usize, usize, i32),
}

// SAFETY: the SwsContext is owned by this value alone and used through `&mut self`.
unsafe impl Send for Scaler {}

impl std::fmt::Debug for Scaler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scaler").field("src", &self.src).field("dst", &self.dst).finish()
    }
}

impl Drop for Scaler {
    fn drop(&mut self) {
        if let Some(s) = &self.l.sws {
            // SAFETY: ctx came from sws_getContext and is freed once.
            unsafe { (s.sws_free_context)(self.ctx) };
        }
    }
}

/// One plane of a frame: its bytes, and its stride (negative = rows bottom-up, the
/// slice then starting at the last row's first byte is handled by `start`).
#[derive(Debug)]
pub struct Plane<'a> {
    /// The plane's bytes.
    pub data: &'a [u8],
    /// Byte offset of the first (top) row within `data`.
    pub start: usize,
    /// Bytes from one row to the next (negative: the rows are stored bottom-up).
    pub stride: isize,
}

impl Scaler {
    /// A converter from `src_fmt` at `sw`×`sh` to I420 at `dw`×`dh`; `None` when
    /// libswscale is not available (the message says why).
    pub fn new(src_fmt: i32, sw: usize, sh: usize, dw: usize, dh: usize) -> std::result::Result<Scaler, String> {
        let l = lib().map_err(str::to_string)?;
        let s = l.sws.as_ref().ok_or_else(|| format!("libswscale {} was not found beside {}", l.layout.sws_major, l.path))?;
        // SAFETY: plain integer arguments; NULL filters and params are allowed.
        let ctx = unsafe {
            (s.sws_get_context)(
                sw as c_int,
                sh as c_int,
                src_fmt,
                dw as c_int,
                dh as c_int,
                abi::pix::YUV420P,
                abi::SWS_BICUBIC,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null(),
            )
        };
        if ctx.is_null() {
            return Err(format!("sws_getContext refused {sw}x{sh} format {src_fmt} → {dw}x{dh} yuv420p"));
        }
        Ok(Scaler { ctx, l, src: (sw, sh, src_fmt), dst: (dw, dh, abi::pix::YUV420P) })
    }

    /// Convert `planes` (1 for packed formats, 2 for NV12) into `out` (tight I420 of the
    /// destination size; resized).
    pub fn run(&mut self, planes: &[Plane<'_>], out: &mut Vec<u8>) -> std::result::Result<(), String> {
        let Some(s) = &self.l.sws else { return Err("libswscale is not loaded".into()) };
        let (sw, sh, _) = self.src;
        let (dw, dh, _) = self.dst;
        let (cw, ch) = (dw.div_ceil(2), dh.div_ceil(2));
        out.resize(dw * dh + 2 * cw * ch, 0);
        let mut sp = [std::ptr::null::<u8>(); 4];
        let mut ss = [0 as c_int; 4];
        // What libswscale reads of each plane for this source format: (bytes per row,
        // rows). Anything else is refused before the call.
        let (scw, sch) = (sw.div_ceil(2), sh.div_ceil(2));
        let need: &[(usize, usize)] = match self.src.2 {
            abi::pix::YUV420P => &[(sw, sh), (scw, sch), (scw, sch)],
            abi::pix::NV12 => &[(sw, sh), (2 * scw, sch)],
            abi::pix::YUYV422 | abi::pix::UYVY422 => &[(4 * scw, sh)],
            abi::pix::BGR24 => &[(3 * sw, sh)],
            abi::pix::BGRA => &[(4 * sw, sh)],
            abi::pix::RGB555LE | abi::pix::RGB565LE => &[(2 * sw, sh)],
            f => return Err(format!("source pixel format {f} is not one this converter handles")),
        };
        if planes.len() != need.len() {
            return Err(format!("{} planes given, {} needed", planes.len(), need.len()));
        }
        for (i, (p, &(row_bytes, rows))) in planes.iter().zip(need).enumerate() {
            // Every row the conversion reads, first to last, must be inside the slice.
            let last_row = p.start as isize + p.stride * (rows as isize - 1);
            let fits = |o: isize| o >= 0 && (o as usize).checked_add(row_bytes).is_some_and(|e| e <= p.data.len());
            if p.stride.unsigned_abs() < row_bytes || !fits(p.start as isize) || !fits(last_row) {
                return Err(format!("plane {i} is too small for {sw}x{sh}"));
            }
            // SAFETY: start + row_bytes ≤ len, checked above.
            sp[i] = unsafe { p.data.as_ptr().add(p.start) };
            ss[i] = p.stride as c_int;
        }
        let (y, rest) = out.split_at_mut(dw * dh);
        let (u, v) = rest.split_at_mut(cw * ch);
        let dp = [y.as_mut_ptr(), u.as_mut_ptr(), v.as_mut_ptr(), std::ptr::null_mut()];
        let ds = [dw as c_int, cw as c_int, cw as c_int, 0];
        // SAFETY: each source plane's pointer/stride pair addresses all the rows of
        // `row_bytes` the format needs inside its slice (checked above; the rows are
        // evenly spaced, so first and last in bounds means all are), and the destination
        // planes are tight buffers of the destination size.
        let r = unsafe { (s.sws_scale)(self.ctx, sp.as_ptr(), ss.as_ptr(), 0, sh as c_int, dp.as_ptr(), ds.as_ptr()) };
        if r <= 0 {
            return Err(format!("sws_scale failed ({r})"));
        }
        Ok(())
    }
}
