//! libavcodec decoders for the post view (`IWMWriterPostView`): the units the file
//! carries decoded again, as a player would, to interleaved PCM s16 (audio) or tight
//! I420 frames (video).
//!
//! The decoder gets the stream's header format: the WAVEFORMATEX's codec data goes in
//! through an `AVCodecParameters` (`extradata` at its stable offset, copied by
//! `avcodec_parameters_to_context`), rate / channels / bit rate through AVOptions, and
//! `block_align` (which has no AVOption) at the offset just before the `cutoff` AVOption's
//! field: `int block_align; int cutoff;` are neighbours in AVCodecContext in FFmpeg 4 to 8.
#![allow(unsafe_code)]

use std::collections::VecDeque;
use std::ffi::{c_int, c_void};

use super::abi;
use super::ffi::{cs, lib, rd, wr, Lib};
use crate::codec::{DecodedUnit, Decoder, EncodedUnit};
use crate::error::Result;
use crate::guid::sdk;
use crate::profile::media::MediaType;
use crate::Time100ns;

/// `AV_INPUT_BUFFER_PADDING_SIZE` (64 since FFmpeg 4).
const PADDING: usize = 64;
const SAMPLE_FMT_S16: c_int = 1;
const SAMPLE_FMT_FLT: c_int = 3;
const SAMPLE_FMT_S16P: c_int = 6;

/// The FFmpeg decoder for an encoded subtype (the encoders' subtypes, decoded).
fn decoder_for(subtype: &crate::guid::Guid) -> Option<&'static str> {
    let fcc = |s: &[u8; 4]| crate::guid::Guid::fourcc(u32::from_le_bytes(*s));
    Some(match *subtype {
        s if s == sdk::WMMEDIASUBTYPE_WMAUDIOV8 => "wmav2",
        s if s == super::SUBTYPE_WMAV1 => "wmav1",
        s if s == sdk::WMMEDIASUBTYPE_MP3 => "mp3float",
        s if s == sdk::WMMEDIASUBTYPE_WMV2 => "wmv2",
        s if s == sdk::WMMEDIASUBTYPE_WMV1 => "wmv1",
        s if s == sdk::WMMEDIASUBTYPE_MP43 || s == fcc(b"mp43") => "msmpeg4",
        s if s == sdk::WMMEDIASUBTYPE_MP4S || s == sdk::WMMEDIASUBTYPE_M4S2 => "mpeg4",
        _ => return None,
    })
}

/// A libavcodec decoder for `encoded` (post view), or `None` when libavcodec is absent
/// or has no decoder for it: WMA v1/v2 and MP3 to PCM s16; WMV1/2, MPEG-4 v3 and
/// MPEG-4 part 2 to I420.
pub fn open_decoder(encoded: &MediaType) -> Result<Option<Box<dyn Decoder>>> {
    let Some(name) = decoder_for(&encoded.subtype) else { return Ok(None) };
    let Ok(l) = lib() else { return Ok(None) };
    let n = cs(name);
    // SAFETY: n is a C string; the function only looks the name up.
    let codec = unsafe { (l.f.avcodec_find_decoder_by_name)(n.as_ptr()) };
    if codec.is_null() {
        return Ok(None);
    }
    if encoded.major_type == sdk::WMMEDIATYPE_VIDEO {
        return open_video(l, name, codec, encoded).map(|d| Some(Box::new(d) as Box<dyn Decoder>));
    }
    let wfx = encoded.wave_format().ok_or_else(|| crate::err!(InvalidStream, "the encoded audio format has no WAVEFORMATEX"))?;
    if wfx.channels == 0 || wfx.samples_per_sec == 0 {
        crate::bail!(InvalidStream, "the encoded audio format has {} channels at {} Hz", wfx.channels, wfx.samples_per_sec);
    }
    // SAFETY: codec is a live AVCodec; the context, packet and frame are owned by the
    // LavcDecoder below, whose Drop frees them.
    let (ctx, pkt, frame) = unsafe { ((l.f.avcodec_alloc_context3)(codec), (l.f.av_packet_alloc)(), (l.f.av_frame_alloc)()) };
    let d = LavcDecoder {
        l,
        ctx,
        pkt,
        frame,
        codec: name,
        channels: wfx.channels as usize,
        rate: wfx.samples_per_sec,
        t0: None,
        produced: 0,
        video: None,
    };
    if ctx.is_null() || pkt.is_null() || frame.is_null() {
        crate::bail!(OutOfMemory, "libavcodec {name}: could not allocate the decoder");
    }
    d.set_extradata(&wfx.extra)?;
    d.set_int("threads", 1)?;
    d.set_int("ar", wfx.samples_per_sec as i64)?;
    d.set_int("b", wfx.avg_bytes_per_sec as i64 * 8)?;
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
    if d.has_option("ch_layout") {
        d.set("ch_layout", layout)?;
    } else {
        d.set_int("ac", wfx.channels as i64)?;
    }
    d.set_block_align(wfx.block_align as c_int)?;
    // SAFETY: ctx and codec are live; no options dictionary is passed.
    let r = unsafe { (l.f.avcodec_open2)(ctx, codec, std::ptr::null_mut()) };
    if r < 0 {
        crate::bail!(InvalidStream, "libavcodec {name}: the decoder refused the stream's format: {}", l.err_text(r));
    }
    Ok(Some(Box::new(d)))
}

fn open_video(l: &'static Lib, name: &'static str, codec: *const c_void, encoded: &MediaType) -> Result<LavcDecoder> {
    let vi = encoded.video_info().ok_or_else(|| crate::err!(InvalidStream, "the encoded video format has no VIDEOINFOHEADER"))?;
    let (w, h) = (vi.width.unsigned_abs() as usize, vi.height.unsigned_abs() as usize);
    if w == 0 || h == 0 || w % 2 != 0 || h % 2 != 0 {
        crate::bail!(InvalidStream, "libavcodec {name}: the post view needs an even, non-zero frame size (got {w}x{h})");
    }
    // The codec data: whatever follows the VIDEOINFOHEADER (with its BITMAPINFOHEADER).
    let extra = encoded.format.get(crate::profile::media::VIDEOINFOHEADER_SIZE..).unwrap_or(&[]).to_vec();
    // SAFETY: as in open_decoder.
    let (ctx, pkt, frame) = unsafe { ((l.f.avcodec_alloc_context3)(codec), (l.f.av_packet_alloc)(), (l.f.av_frame_alloc)()) };
    let d = LavcDecoder {
        l,
        ctx,
        pkt,
        frame,
        codec: name,
        channels: 0,
        rate: 0,
        t0: None,
        produced: 0,
        video: Some(VideoOut { width: w, height: h, frame_time: vi.avg_time_per_frame.max(1) as u64, times: VecDeque::new() }),
    };
    if ctx.is_null() || pkt.is_null() || frame.is_null() {
        crate::bail!(OutOfMemory, "libavcodec {name}: could not allocate the decoder");
    }
    d.set_extradata(&extra)?;
    d.set_int("threads", 1)?;
    d.set("video_size", &format!("{w}x{h}"))?;
    // SAFETY: ctx and codec are live; no options dictionary is passed.
    let r = unsafe { (l.f.avcodec_open2)(ctx, codec, std::ptr::null_mut()) };
    if r < 0 {
        crate::bail!(InvalidStream, "libavcodec {name}: the decoder refused the stream's format: {}", l.err_text(r));
    }
    Ok(d)
}

/// What a video decoder needs to hand frames out.
struct VideoOut {
    width: usize,
    height: usize,
    frame_time: u64,
    /// (time, duration) of the units sent and not yet returned as frames (no B-frames:
    /// frames come out in the order the units went in).
    times: VecDeque<(Time100ns, Time100ns)>,
}

/// One open libavcodec decoder.
struct LavcDecoder {
    l: &'static Lib,
    ctx: *mut c_void,
    pkt: *mut c_void,
    frame: *mut c_void,
    codec: &'static str,
    channels: usize,
    rate: u32,
    /// Time of the first unit: decoded sample k is at `t0 + k / rate`.
    t0: Option<Time100ns>,
    /// Samples (per channel; video: frames) decoded so far.
    produced: u64,
    /// A video decoder's frame size and pending times.
    video: Option<VideoOut>,
}

// SAFETY: the FFmpeg objects are owned by this value alone and used only through
// `&mut self` (one thread at a time, FFmpeg's threading rule).
unsafe impl Send for LavcDecoder {}

impl Drop for LavcDecoder {
    fn drop(&mut self) {
        // SAFETY: each pointer is NULL or owned by us; the free functions take NULL.
        unsafe {
            (self.l.f.av_frame_free)(&mut self.frame);
            (self.l.f.av_packet_free)(&mut self.pkt);
            (self.l.f.avcodec_free_context)(&mut self.ctx);
        }
    }
}

impl LavcDecoder {
    fn set(&self, name: &str, value: &str) -> Result<()> {
        let (n, v) = (cs(name), cs(value));
        // SAFETY: ctx is a live AVCodecContext (an AVClass object); n and v are C strings.
        let r = unsafe { (self.l.f.av_opt_set)(self.ctx, n.as_ptr(), v.as_ptr(), abi::OPT_SEARCH_CHILDREN) };
        if r < 0 {
            crate::bail!(InvalidStream, "libavcodec {} decoder: option {name}={value} was refused: {}", self.codec, self.l.err_text(r));
        }
        Ok(())
    }

    fn set_int(&self, name: &str, value: i64) -> Result<()> {
        let n = cs(name);
        // SAFETY: as in `set`.
        let r = unsafe { (self.l.f.av_opt_set_int)(self.ctx, n.as_ptr(), value, abi::OPT_SEARCH_CHILDREN) };
        if r < 0 {
            crate::bail!(InvalidStream, "libavcodec {} decoder: option {name}={value} was refused: {}", self.codec, self.l.err_text(r));
        }
        Ok(())
    }

    fn option_offset(&self, name: &str) -> Option<usize> {
        let n = cs(name);
        // SAFETY: ctx is a live AVClass object; n is a C string; the AVOption's offset
        // field is read at its stable place.
        unsafe {
            let o = (self.l.f.av_opt_find)(self.ctx, n.as_ptr(), std::ptr::null(), 0, 0);
            (!o.is_null()).then(|| rd::<c_int>(o, abi::OPTION_OFFSET) as usize)
        }
    }

    fn has_option(&self, name: &str) -> bool {
        self.option_offset(name).is_some()
    }

    /// The codec data, through an AVCodecParameters (see the module docs).
    fn set_extradata(&self, extra: &[u8]) -> Result<()> {
        // SAFETY: par is allocated here and freed below (which frees the av_mallocz'd
        // extradata it owns); the extradata pointer/size are written at their stable
        // offsets; ctx is a live, unopened context.
        unsafe {
            let mut par = (self.l.f.avcodec_parameters_alloc)();
            if par.is_null() {
                crate::bail!(OutOfMemory, "avcodec_parameters_alloc failed");
            }
            if !extra.is_empty() {
                let buf = (self.l.f.av_mallocz)(extra.len() + PADDING).cast::<u8>();
                if buf.is_null() {
                    (self.l.f.avcodec_parameters_free)(&mut par);
                    crate::bail!(OutOfMemory, "av_mallocz failed");
                }
                std::ptr::copy_nonoverlapping(extra.as_ptr(), buf, extra.len());
                wr::<*mut u8>(par, abi::PAR_EXTRADATA, buf);
                wr::<c_int>(par, abi::PAR_EXTRADATA_SIZE, extra.len() as c_int);
            }
            let r = (self.l.f.avcodec_parameters_to_context)(self.ctx, par);
            (self.l.f.avcodec_parameters_free)(&mut par);
            if r < 0 {
                crate::bail!(InvalidStream, "libavcodec {}: avcodec_parameters_to_context failed: {}", self.codec, self.l.err_text(r));
            }
        }
        Ok(())
    }

    /// `AVCodecContext.block_align`: the int before `cutoff` (see the module docs),
    /// checked to lie after `sample_fmt`.
    fn set_block_align(&self, v: c_int) -> Result<()> {
        let off = self.option_offset("cutoff").and_then(|c| c.checked_sub(4)).filter(|o| *o > self.l.layout.ctx_sample_fmt);
        let Some(off) = off else {
            crate::bail!(InvalidStream, "libavcodec {}: cannot place block_align in this library's AVCodecContext", self.codec);
        };
        // SAFETY: off is `int block_align` in the live AVCodecContext (see above).
        unsafe { wr::<c_int>(self.ctx, off, v) };
        Ok(())
    }

    /// Take every video frame the decoder has ready, as tight I420.
    fn receive_video(&mut self, out: &mut Vec<DecodedUnit>) -> Result<()> {
        let Some(v) = self.video.as_mut() else { return Ok(()) };
        loop {
            // SAFETY: frame is our AVFrame; after a successful receive its width,
            // height, format, data[0..3] and linesize[0..3] are read at their stable
            // offsets; for YUV420P each plane has (height, or height/2) rows of at least
            // (width, or width/2) bytes `linesize` apart; copied out before the next receive.
            let (r, img) = unsafe {
                let r = (self.l.f.avcodec_receive_frame)(self.ctx, self.frame);
                if r < 0 {
                    (r, Vec::new())
                } else {
                    let fw = rd::<c_int>(self.frame, abi::FRAME_WIDTH).max(0) as usize;
                    let fh = rd::<c_int>(self.frame, abi::FRAME_HEIGHT).max(0) as usize;
                    let fmt = rd::<c_int>(self.frame, abi::FRAME_FORMAT);
                    if fmt != abi::pix::YUV420P || fw != v.width || fh != v.height {
                        crate::bail!(
                            Fail,
                            "libavcodec {}: the decoder gave a {fw}x{fh} frame of pixel format {fmt}, not {}x{} yuv420p",
                            self.codec,
                            v.width,
                            v.height
                        );
                    }
                    let mut img = Vec::with_capacity(fw * fh * 3 / 2);
                    for (plane, (pw, ph)) in [(fw, fh), (fw / 2, fh / 2), (fw / 2, fh / 2)].into_iter().enumerate() {
                        let base: *const u8 = rd(self.frame, abi::FRAME_DATA + plane * 8);
                        let stride = rd::<c_int>(self.frame, abi::FRAME_LINESIZE + plane * 4) as isize;
                        for row in 0..ph {
                            img.extend_from_slice(std::slice::from_raw_parts(base.offset(row as isize * stride), pw));
                        }
                    }
                    (r, img)
                }
            };
            if r == abi::EAGAIN || r == abi::AVERROR_EOF {
                return Ok(());
            }
            if r < 0 {
                crate::bail!(Fail, "libavcodec {}: avcodec_receive_frame failed: {}", self.codec, self.l.err_text(r));
            }
            let (time, duration) = v.times.pop_front().unwrap_or((self.t0.unwrap_or(0) + self.produced * v.frame_time, v.frame_time));
            self.produced += 1;
            out.push(DecodedUnit { time, duration, data: img });
        }
    }

    /// Take every frame the decoder has ready.
    fn receive(&mut self, out: &mut Vec<DecodedUnit>) -> Result<()> {
        if self.video.is_some() {
            return self.receive_video(out);
        }
        loop {
            // SAFETY: frame is our AVFrame; after a successful receive its format,
            // nb_samples and extended_data are read at their stable offsets: planar
            // formats have `channels` planes of nb_samples, packed ones one plane of
            // nb_samples × channels; all copied out before the next receive.
            let (r, pcm) = unsafe {
                let r = (self.l.f.avcodec_receive_frame)(self.ctx, self.frame);
                if r < 0 {
                    (r, Vec::new())
                } else {
                    let n = rd::<c_int>(self.frame, abi::FRAME_NB_SAMPLES).max(0) as usize;
                    let fmt = rd::<c_int>(self.frame, abi::FRAME_FORMAT);
                    let ext: *const *const u8 = rd(self.frame, abi::FRAME_EXTENDED_DATA);
                    let ch = self.channels;
                    let mut pcm = Vec::with_capacity(n * ch * 2);
                    let s16 = |x: f32| (x * 32768.0).round().clamp(-32768.0, 32767.0) as i16;
                    for i in 0..n {
                        for c in 0..ch {
                            let v = match fmt {
                                abi::SAMPLE_FMT_FLTP => s16(*(*ext.add(c)).cast::<f32>().add(i)),
                                SAMPLE_FMT_FLT => s16(*(*ext).cast::<f32>().add(i * ch + c)),
                                SAMPLE_FMT_S16P => *(*ext.add(c)).cast::<i16>().add(i),
                                SAMPLE_FMT_S16 => *(*ext).cast::<i16>().add(i * ch + c),
                                _ => 0,
                            };
                            pcm.extend_from_slice(&v.to_le_bytes());
                        }
                    }
                    if ![abi::SAMPLE_FMT_FLTP, SAMPLE_FMT_FLT, SAMPLE_FMT_S16P, SAMPLE_FMT_S16].contains(&fmt) {
                        crate::bail!(Fail, "libavcodec {}: the decoder gave sample format {fmt}", self.codec);
                    }
                    (r, pcm)
                }
            };
            if r == abi::EAGAIN || r == abi::AVERROR_EOF {
                return Ok(());
            }
            if r < 0 {
                crate::bail!(Fail, "libavcodec {}: avcodec_receive_frame failed: {}", self.codec, self.l.err_text(r));
            }
            let n = (pcm.len() / (2 * self.channels)) as u64;
            if n == 0 {
                continue;
            }
            let t0 = self.t0.unwrap_or(0);
            let at = |k: u64| t0 + k * 10_000_000 / self.rate as u64;
            out.push(DecodedUnit { time: at(self.produced), duration: at(self.produced + n) - at(self.produced), data: pcm });
            self.produced += n;
        }
    }

    fn send(&mut self, data: Option<&[u8]>) -> Result<()> {
        let padded: Vec<u8>;
        // SAFETY: pkt is our AVPacket with no buffer of its own: its data/size point at
        // `padded` (PADDING zero bytes after the data, as FFmpeg asks) only for the
        // send, which copies non-refcounted data; then they are cleared. NULL drains.
        let r = unsafe {
            match data {
                Some(d) => {
                    padded = [d, &[0u8; PADDING][..]].concat();
                    wr::<*const u8>(self.pkt, abi::PKT_DATA, padded.as_ptr());
                    wr::<c_int>(self.pkt, abi::PKT_SIZE, d.len() as c_int);
                    let r = (self.l.f.avcodec_send_packet)(self.ctx, self.pkt);
                    wr::<*const u8>(self.pkt, abi::PKT_DATA, std::ptr::null());
                    wr::<c_int>(self.pkt, abi::PKT_SIZE, 0);
                    r
                }
                None => (self.l.f.avcodec_send_packet)(self.ctx, std::ptr::null()),
            }
        };
        if r < 0 && r != abi::AVERROR_EOF {
            crate::bail!(Fail, "libavcodec {}: avcodec_send_packet failed: {}", self.codec, self.l.err_text(r));
        }
        Ok(())
    }
}

impl Decoder for LavcDecoder {
    fn name(&self) -> String {
        format!("libavcodec {} decoder", self.codec)
    }

    fn decode(&mut self, unit: &EncodedUnit, out: &mut Vec<DecodedUnit>) -> Result<()> {
        self.t0.get_or_insert(unit.time);
        if let Some(v) = self.video.as_mut() {
            v.times.push_back((unit.time, if unit.duration > 0 { unit.duration } else { v.frame_time }));
        }
        self.send(Some(&unit.data))?;
        self.receive(out)
    }

    fn flush(&mut self, out: &mut Vec<DecodedUnit>) -> Result<()> {
        self.send(None)?;
        self.receive(out)
    }
}
