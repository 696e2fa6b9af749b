//! Codecs: the room between the writer's inputs and the muxer.
//!
//! A compressed stream that is not written in passthrough gets a [`Pipeline`] at
//! `begin_writing`: it converts the caller's raw input (any PCM layout the SDK accepts, any
//! raw video subtype) to the canonical raw form of [`RawInput`], hands it to an
//! [`Encoder`] from the first [`Backend`] that can encode the stream's subtype, and returns
//! the compressed units (time, duration, key-frame flag) that the writer gives the muxer.
//!
//! Backends (one submodule each): `lavc` (libavcodec loaded with dlopen at first use),
//! `wma` (the built-in WMA v1/v2 encoder), `wmalossless` (the built-in WMA Lossless
//! encoder). A backend never knows about the writer, the muxer or ASF packets.
//!
//! Layering: writer → codec → (profile, error, guid). Nothing here calls back up.
//!
//! `unsafe` is denied here and forbidden in every submodule but `lavc`, which calls
//! libavcodec through libloading (each block carries a `// SAFETY:` note).
#![deny(unsafe_code)]

pub mod convert;
pub mod convert_video;
pub mod lavc;
pub mod video_input;
pub mod worker;

use crate::error::Result;
use crate::guid::Guid;
use crate::profile::media::MediaType;
use crate::profile::StreamConfigData;
use crate::Time100ns;

pub mod wma;
pub mod wmalossless;

/// What an encoder is asked to produce: the stream as the profile describes it, plus the
/// writer's input settings for this input (`wm_writer_set_input_setting`).
#[derive(Clone, Debug)]
pub struct EncoderConfig {
    /// The profile's stream: media type (the compressed target format), bit rate, buffer
    /// window, quality, key-frame spacing, VBR settings.
    pub stream: StreamConfigData,
    /// Named input settings (`wm_writer_set_input_setting`), e.g. ("encoder", "builtin").
    pub settings: Vec<(String, String)>,
    /// Which encoding pass this encoder runs (`IWMWriterPreprocess`).
    pub pass: Pass,
}

/// The encoding pass an encoder is opened for (two-pass encoding, `IWMWriterPreprocess`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Pass {
    /// One pass: the encoder's own rate control, as it goes.
    #[default]
    Single,
    /// The analysis (preprocessing) pass: the units are thrown away; the encoder keeps
    /// statistics, which [`Encoder::take_pass_stats`] hands out after `flush`.
    Analysis,
    /// The final pass, encoding with the statistics of an analysis pass over the same
    /// samples (the rate control then knows the whole sequence).
    Final(std::sync::Arc<str>),
}

impl EncoderConfig {
    /// The target media type (always present for an encoded stream).
    pub fn target(&self) -> Option<&MediaType> {
        self.stream.media_type.as_ref()
    }

    /// A named input setting, if set.
    pub fn setting(&self, name: &str) -> Option<&str> {
        self.settings.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Raw input in the canonical form every encoder takes.
#[derive(Clone, Copy, Debug)]
pub enum RawInput<'a> {
    /// Interleaved PCM at the target's sample rate and channel count, each sample a
    /// left-justified `i32` (full scale is 2^31: a 16-bit sample `s` is `s << 16`).
    /// Lossy encoders use `x as f32 / 2^31`; lossless ones `x >> (32 - bits)`.
    Audio(&'a [i32]),
    /// One video frame as I420 (Y plane, then U, then V; tight rows) at the target's
    /// width × height, top row first.
    Video(&'a [u8]),
}

/// One compressed unit (an ASF media object).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedUnit {
    /// Presentation time (100 ns) such that a decoder's output lines up with the input:
    /// decoded audio sample k of this unit belongs at `time + k / rate`.
    pub time: Time100ns,
    /// Duration (100 ns).
    pub duration: Time100ns,
    /// A key frame / clean point (every audio unit is one).
    pub key_frame: bool,
    /// The compressed bytes.
    pub data: Vec<u8>,
}

/// One stream's encoder: raw input in, compressed units out.
pub trait Encoder: Send {
    /// The backend and codec, for messages ("libavcodec wmav2", "built-in WMA v2").
    fn name(&self) -> String;
    /// The media type the header carries: the encoder's real WAVEFORMATEX (block align,
    /// bytes per second, codec data) or VIDEOINFOHEADER/BITMAPINFOHEADER. Known from `open` on.
    fn output_type(&self) -> &MediaType;
    /// Encode one raw input sample presented at `time`; append finished units to `out`.
    fn encode(&mut self, input: RawInput<'_>, time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()>;
    /// End of stream: append everything still held (delay, tail padding) to `out`.
    fn flush(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()>;
    /// After `flush` of an encoder opened for [`Pass::Analysis`]: the statistics for
    /// the final pass (`None` from any other encoder).
    fn take_pass_stats(&mut self) -> Option<String> {
        None
    }
}

/// A source of encoders.
pub trait Backend: Sync {
    /// Short name: "libavcodec", "builtin-wma", "builtin-wmalossless".
    fn name(&self) -> &'static str;
    /// Whether this backend can encode `subtype` right now (for libavcodec: the library
    /// loads and has the encoder). Must be cheap after the first call.
    fn supports(&self, subtype: &Guid) -> bool;
    /// Open an encoder for `cfg`. Errors use `AudioCodecNotInstalled` /
    /// `VideoCodecNotInstalled` when the codec is missing, `InvalidStream` when the
    /// target format cannot be encoded as given.
    fn open(&self, cfg: &EncoderConfig) -> Result<Box<dyn Encoder>>;
    /// How many preprocessing (analysis) passes this backend's encoder of `subtype`
    /// can use before the final pass: 0 (one-pass only) unless it says otherwise.
    fn preprocessing_passes(&self, subtype: &Guid) -> u32 {
        let _ = subtype;
        0
    }
}

/// Every backend, in default preference order. Selection (`open`) keeps only the one
/// named by the `encoder` input setting or, for WMA v1/v2, `WMWRITER_WMA_ENCODER`
/// ("libavcodec", "builtin-wma", "builtin-wmalossless", or "builtin" for any built-in).
// One `push` line per backend, so each backend's branch adds a line of its own.
#[allow(clippy::vec_init_then_push)]
pub fn backends() -> Vec<&'static dyn Backend> {
    let mut v: Vec<&'static dyn Backend> = Vec::new();
    // libavcodec first: the built-in WMA encoder is at parity (stage B), not yet better,
    // so it serves WMA when libavcodec is absent or when it is asked for by name.
    v.push(&lavc::BACKEND);
    v.push(&wma::BACKEND);
    v.push(&wmalossless::BACKEND);
    v
}

/// Whether `subtype`'s encoder codes interlaced video (`InterlacedCoding`): libavcodec's
/// MPEG-4 Part 2 (`+ildct+ilme`) and H.264 (x264's interlaced mode) do; its WMV1, WMV2
/// and MS-MPEG-4 v3 encoders have no interlaced tools.
pub fn can_code_interlaced(subtype: &Guid) -> bool {
    use crate::guid::sdk;
    [sdk::WMMEDIASUBTYPE_MP4S, sdk::WMMEDIASUBTYPE_M4S2, lavc::SUBTYPE_H264].contains(subtype)
}

/// Whether any backend can encode `subtype` now.
pub fn can_encode(subtype: &Guid) -> bool {
    backends().iter().any(|b| b.supports(subtype))
}

/// The backends `cfg` may use, in preference order: every one, or those the `encoder`
/// input setting (or `WMWRITER_WMA_ENCODER` for WMA v1/v2) names. Also returns that name.
fn candidates(cfg: &EncoderConfig) -> Result<(Vec<&'static dyn Backend>, Option<String>)> {
    let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
    let wma = [crate::guid::sdk::WMMEDIASUBTYPE_WMAUDIOV8, lavc::SUBTYPE_WMAV1].contains(&target.subtype);
    let env = if wma { std::env::var("WMWRITER_WMA_ENCODER").ok().filter(|v| !v.is_empty()) } else { None };
    let wanted = cfg.setting("encoder").map(str::to_string).or(env);
    let mut list = backends();
    if let Some(w) = &wanted {
        // Only the backends the setting names: "libavcodec", "builtin-wma", or
        // "builtin" for any built-in one.
        let w = w.to_ascii_lowercase();
        list.retain(|b| b.name() == w || (w == "builtin" && b.name().starts_with("builtin")));
        if list.is_empty() {
            let names: Vec<&str> = backends().iter().map(|b| b.name()).collect();
            crate::bail!(InvalidArg, "stream {}: encoder \"{w}\" is not one of {}", cfg.stream.number, names.join(", "));
        }
    }
    Ok((list, wanted))
}

/// The preprocessing passes the encoder [`open`] would pick for `cfg` supports (0 when
/// no backend can encode the stream, or the one that would cannot run two passes).
pub fn max_preprocessing_passes(cfg: &EncoderConfig) -> Result<u32> {
    let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
    let (list, _) = candidates(cfg)?;
    Ok(list.iter().find(|b| b.supports(&target.subtype)).map_or(0, |b| b.preprocessing_passes(&target.subtype)))
}

/// Open an encoder for `cfg` from the first backend that supports its subtype.
pub fn open(cfg: &EncoderConfig) -> Result<Box<dyn Encoder>> {
    let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
    let (list, wanted) = candidates(cfg)?;
    if cfg.pass != Pass::Single {
        // Two passes need the one backend the single pass would use, and it must
        // support them.
        let Some(b) = list.iter().find(|b| b.supports(&target.subtype)) else {
            crate::bail!(
                InvalidNumPasses,
                "stream {}: no encoder of subtype {} is available for a preprocessing pass",
                cfg.stream.number,
                target.subtype
            );
        };
        if b.preprocessing_passes(&target.subtype) == 0 {
            crate::bail!(
                InvalidNumPasses,
                "stream {}: the {} encoder of subtype {} runs one pass only",
                cfg.stream.number,
                b.name(),
                target.subtype
            );
        }
        return b.open(cfg);
    }
    // The first backend that supports the subtype and accepts the format. One that
    // refuses this particular format (libavcodec's wmav2 needs ≥ 24 kbit/s at 22.05 kHz
    // stereo; the SDK's 20 kbit/s format is real) hands over to the next; when none
    // accepts it, the first refusal is the answer.
    let mut first_err = None;
    for b in &list {
        if b.supports(&target.subtype) {
            match b.open(cfg) {
                Ok(e) => return Ok(e),
                Err(e) => {
                    first_err.get_or_insert(e);
                }
            }
        }
    }
    if let Some(e) = first_err {
        return Err(e);
    }
    if let (Some(_), [b]) = (&wanted, list.as_slice()) {
        // The one backend asked for says why it cannot.
        return b.open(cfg);
    }
    let video = target.major_type == crate::guid::sdk::WMMEDIATYPE_VIDEO;
    let (kind, what) = if video {
        (crate::error::ErrorKind::VideoCodecNotInstalled, "video")
    } else {
        (crate::error::ErrorKind::AudioCodecNotInstalled, "audio")
    };
    Err(crate::error::Error::new(
        kind,
        format!(
            "stream {}: no {what} encoder is available for subtype {}{}; passthrough (set_input_props(n, NULL) + write_stream_sample) still works",
            cfg.stream.number,
            target.subtype,
            lavc::load_error().map(|e| format!(" ({e})")).unwrap_or_default()
        ),
    ))
}

/// The raw-input conversion in front of an encoder.
#[derive(Debug)]
enum Convert {
    Audio(Box<convert::AudioConverter>),
    Video(Box<video_input::VideoInput>),
}

/// Conversion + encoder: what runs on a stream's worker thread.
struct Chain {
    convert: Convert,
    encoder: Box<dyn Encoder>,
    pcm: Vec<i32>,
    first_time: Option<Time100ns>,
}

impl worker::Stage for Chain {
    fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        match &mut self.convert {
            Convert::Audio(c) => {
                self.pcm.clear();
                c.push(data, &mut self.pcm)?;
                // Audio units are timed from the first input sample on (a resampler's
                // first output may come a push later, but belongs at this time).
                let t0 = *self.first_time.get_or_insert(time);
                if self.pcm.is_empty() {
                    return Ok(());
                }
                self.encoder.encode(RawInput::Audio(&self.pcm), t0, out)
            }
            Convert::Video(v) => match v.frame(data, time)? {
                Some(frame) => self.encoder.encode(RawInput::Video(frame), time, out),
                None => Ok(()),
            },
        }
    }

    fn setting(&mut self, name: &str, value: &str) -> Result<()> {
        match (&mut self.convert, name) {
            (Convert::Video(v), "DeinterlaceMode") => {
                let mode = value.trim().parse().map_err(|_| crate::err!(InvalidArg, "DeinterlaceMode {value:?} is not a number"))?;
                v.set_mode(mode)
            }
            _ => Ok(()),
        }
    }

    fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        if let Convert::Audio(c) = &mut self.convert {
            self.pcm.clear();
            c.finish(&mut self.pcm)?;
            if !self.pcm.is_empty() {
                self.encoder.encode(RawInput::Audio(&self.pcm), self.first_time.unwrap_or(0), out)?;
            }
        }
        self.encoder.flush(out)
    }
}

enum Run {
    Inline(Box<Chain>),
    Threaded(worker::Worker),
}

/// One encoded stream as the writer drives it: converts the caller's input format to
/// [`RawInput`], encodes on a worker thread with a bounded queue (or inline, see
/// [`Pipeline::open_inline`]), returns units.
pub struct Pipeline {
    output: MediaType,
    name: String,
    run: Run,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").field("encoder", &self.name).finish()
    }
}

fn make_chain(input: &MediaType, cfg: &EncoderConfig) -> Result<Chain> {
    let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
    let convert = if target.major_type == crate::guid::sdk::WMMEDIATYPE_VIDEO {
        let vi = input
            .video_info()
            .ok_or_else(|| crate::err!(InvalidInputFormat, "stream {}: the video input has no VIDEOINFOHEADER", cfg.stream.number))?;
        let tv = target
            .video_info()
            .ok_or_else(|| crate::err!(InvalidStream, "stream {}: the video target has no VIDEOINFOHEADER", cfg.stream.number))?;
        let (dw, dh) = (tv.width.unsigned_abs() as usize, tv.height.unsigned_abs() as usize);
        let encoder = open(cfg)?;
        let c = video_input::VideoInput::new(input, &vi, cfg, dw, dh)?;
        return Ok(Chain { convert: Convert::Video(Box::new(c)), encoder, pcm: Vec::new(), first_time: None });
    } else {
        let wi = input.wave_format().filter(|w| w.is_pcm()).ok_or_else(|| {
            crate::err!(
                InvalidInputFormat,
                "stream {}: the audio input is not PCM (a WAVEFORMATEX with tag 1, 3 or EXTENSIBLE)",
                cfg.stream.number
            )
        })?;
        let tw = target
            .wave_format()
            .ok_or_else(|| crate::err!(InvalidStream, "stream {}: the audio target has no WAVEFORMATEX", cfg.stream.number))?;
        Convert::Audio(Box::new(convert::AudioConverter::new(&wi, tw.samples_per_sec, tw.channels as usize)?))
    };
    let encoder = open(cfg)?;
    Ok(Chain { convert, encoder, pcm: Vec::new(), first_time: None })
}

impl Pipeline {
    /// A pipeline from raw `input` (the input's media type) to the stream in `cfg`,
    /// encoding on its own worker thread (`WMWRITER_ENCODER_THREADS=0` makes it inline).
    pub fn open(input: &MediaType, cfg: &EncoderConfig) -> Result<Pipeline> {
        let inline = std::env::var("WMWRITER_ENCODER_THREADS").map(|v| v == "0").unwrap_or(false);
        Self::open_with(input, cfg, !inline)
    }

    /// The same pipeline, encoding on the caller's thread.
    pub fn open_inline(input: &MediaType, cfg: &EncoderConfig) -> Result<Pipeline> {
        Self::open_with(input, cfg, false)
    }

    fn open_with(input: &MediaType, cfg: &EncoderConfig, threaded: bool) -> Result<Pipeline> {
        // An analysis pass runs on the caller's thread, so its statistics can be taken
        // from the encoder when it ends.
        let threaded = threaded && cfg.pass != Pass::Analysis;
        let chain = make_chain(input, cfg)?;
        let output = chain.encoder.output_type().clone();
        let name = chain.encoder.name();
        let run = if threaded {
            Run::Threaded(worker::Worker::start(format!("wmw-enc-{}", cfg.stream.number), chain)?)
        } else {
            Run::Inline(Box::new(chain))
        };
        Ok(Pipeline { output, name, run })
    }

    /// The media type the header carries for this stream.
    pub fn output_type(&self) -> &MediaType {
        &self.output
    }

    /// The encoder's name, for messages.
    pub fn encoder_name(&self) -> String {
        self.name.clone()
    }

    /// Hand one raw sample (in the input format) presented at `time`; append the units
    /// finished so far to `out` (with a worker they may belong to earlier samples).
    /// Blocks only while the worker's queue is full; an error of the worker surfaces
    /// here (or at `finish`).
    pub fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        use worker::Stage;
        match &mut self.run {
            Run::Inline(c) => c.push(data, time, out),
            Run::Threaded(w) => w.push(data, time, out),
        }
    }

    /// [`push`](Self::push) without the copy: the worker keeps a reference to the
    /// caller's buffer (its first `length()` bytes are the sample) until it has been
    /// encoded. The writer must not hand the buffer back for reuse before then (it holds
    /// its own `Arc` clone, as for every written sample).
    pub fn push_buffer(
        &mut self,
        buf: std::sync::Arc<crate::buffer::SampleBuffer>,
        time: Time100ns,
        out: &mut Vec<EncodedUnit>,
    ) -> Result<()> {
        use worker::Stage;
        match &mut self.run {
            Run::Inline(c) => buf.with_bytes(|d| c.push(d, time, out)),
            Run::Threaded(w) => w.push_buffer(buf, time, out),
        }
    }

    /// Change an input setting while writing (`DeinterlaceMode` 0 ↔ 1 is the one the
    /// pipeline acts on): applies from the next sample pushed on.
    pub fn setting(&mut self, name: &str, value: &str) -> Result<()> {
        use worker::Stage;
        match &mut self.run {
            Run::Inline(c) => c.setting(name, value),
            Run::Threaded(w) => w.setting(name, value),
        }
    }

    /// End of stream: append every remaining unit to `out`.
    pub fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        use worker::Stage;
        match &mut self.run {
            Run::Inline(c) => c.finish(out),
            Run::Threaded(w) => w.finish(out),
        }
    }

    /// After [`finish`](Self::finish) of a pipeline opened for [`Pass::Analysis`]: the
    /// encoder's statistics for the final pass.
    pub fn take_pass_stats(&mut self) -> Option<String> {
        match &mut self.run {
            Run::Inline(c) => c.encoder.take_pass_stats(),
            Run::Threaded(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_and_encoders_can_move_to_the_writer_s_threads() {
        fn send<T: Send>() {}
        send::<Pipeline>();
        send::<Box<dyn Encoder>>();
    }

    #[test]
    fn an_unknown_encoder_setting_is_refused() {
        let mut s = StreamConfigData::new(crate::guid::sdk::WMMEDIATYPE_AUDIO, 1);
        let mut mt = MediaType::pcm(2, 44100, 16);
        mt.subtype = crate::guid::sdk::WMMEDIASUBTYPE_WMAUDIOV8;
        s.media_type = Some(mt);
        let cfg = EncoderConfig { stream: s, settings: vec![("encoder".into(), "nonesuch".into())], pass: Pass::Single };
        let e = open(&cfg).err().unwrap();
        assert_eq!(e.kind, crate::error::ErrorKind::InvalidArg);
        assert!(e.message.contains("nonesuch") && e.message.contains("libavcodec"), "{}", e.message);
    }
}

/// One decoded unit (post view): raw samples in [`decoded_type`]'s format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodedUnit {
    /// Presentation time (100 ns).
    pub time: Time100ns,
    /// Duration (100 ns).
    pub duration: Time100ns,
    /// The raw bytes (interleaved PCM s16 for audio, I420 for video).
    pub data: Vec<u8>,
}

/// One stream's decoder (`IWMWriterPostView`): the encoded units the file carries in,
/// what a player would render out.
pub trait Decoder: Send {
    /// The backend and codec, for messages.
    fn name(&self) -> String;
    /// Decode one unit; append finished raw units to `out`.
    fn decode(&mut self, unit: &EncodedUnit, out: &mut Vec<DecodedUnit>) -> Result<()>;
    /// End of stream: append what the decoder still holds.
    fn flush(&mut self, out: &mut Vec<DecodedUnit>) -> Result<()>;
}

/// The raw format a decoder of `encoded` outputs: PCM s16 at the stream's rate and
/// channel count for audio, I420 of the same size for video; `None` for other types.
pub fn decoded_type(encoded: &MediaType) -> Option<MediaType> {
    use crate::guid::sdk;
    if encoded.major_type == sdk::WMMEDIATYPE_AUDIO {
        let w = encoded.wave_format()?;
        return Some(MediaType::pcm(w.channels.max(1), w.samples_per_sec.max(1), 16));
    }
    if encoded.major_type == sdk::WMMEDIATYPE_VIDEO {
        let vi = encoded.video_info()?;
        return Some(MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, vi.width, vi.height.saturating_abs(), vi.avg_time_per_frame));
    }
    None
}

/// Open a decoder for the encoded format `encoded` (the header's media type of stream
/// `number`). Errors: `AudioCodecNotInstalled` / `VideoCodecNotInstalled` when no
/// backend can decode it.
pub fn open_decoder(number: u16, encoded: &MediaType) -> Result<Box<dyn Decoder>> {
    if let Some(d) = lavc::open_decoder(encoded)? {
        return Ok(d);
    }
    let video = encoded.major_type == crate::guid::sdk::WMMEDIATYPE_VIDEO;
    let (kind, what) = if video {
        (crate::error::ErrorKind::VideoCodecNotInstalled, "video")
    } else {
        (crate::error::ErrorKind::AudioCodecNotInstalled, "audio")
    };
    Err(crate::error::Error::new(
        kind,
        format!(
            "stream {number}: no {what} decoder is available for subtype {} (post view decodes with libavcodec: WMA v1/v2, MP3, WMV1/2, MPEG-4){}",
            encoded.subtype,
            lavc::load_error().map(|e| format!(" ({e})")).unwrap_or_default()
        ),
    ))
}
