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
#![forbid(unsafe_code)]

use crate::error::Result;
use crate::guid::Guid;
use crate::profile::media::MediaType;
use crate::profile::StreamConfigData;
use crate::Time100ns;

pub mod wma;

/// What an encoder is asked to produce: the stream as the profile describes it, plus the
/// writer's input settings for this input (`wm_writer_set_input_setting`).
#[derive(Clone, Debug)]
pub struct EncoderConfig {
    /// The profile's stream: media type (the compressed target format), bit rate, buffer
    /// window, quality, key-frame spacing, VBR settings.
    pub stream: StreamConfigData,
    /// Named input settings (`wm_writer_set_input_setting`), e.g. ("encoder", "builtin").
    pub settings: Vec<(String, String)>,
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
}

/// Every backend, in default preference order. Selection (`open`) may reorder them
/// from the `encoder` input setting or `WMWRITER_WMA_ENCODER`.
pub fn backends() -> Vec<&'static dyn Backend> {
    // Selection policy (built-in vs libavcodec order, overrides) is decided later.
    vec![&wma::BACKEND as &'static dyn Backend]
}

/// Whether any backend can encode `subtype` now.
pub fn can_encode(subtype: &Guid) -> bool {
    backends().iter().any(|b| b.supports(subtype))
}

/// Open an encoder for `cfg` from the first backend that supports its subtype.
pub fn open(cfg: &EncoderConfig) -> Result<Box<dyn Encoder>> {
    let target = cfg.target().ok_or_else(|| crate::err!(InvalidStream, "stream {} has no media type", cfg.stream.number))?;
    for b in backends() {
        if b.supports(&target.subtype) {
            return b.open(cfg);
        }
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
            "stream {}: no {what} encoder is available for subtype {}; passthrough (set_input_props(n, NULL) + write_stream_sample) still works",
            cfg.stream.number, target.subtype
        ),
    ))
}

/// One encoded stream as the writer drives it: converts the caller's input format to
/// [`RawInput`], encodes (possibly on a worker thread with a bounded queue), returns units.
pub struct Pipeline {
    encoder: Box<dyn Encoder>,
    input: MediaType,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").field("encoder", &self.encoder.name()).finish()
    }
}

impl Pipeline {
    /// A pipeline from raw `input` (the input's media type) to the stream in `cfg`.
    pub fn open(input: &MediaType, cfg: &EncoderConfig) -> Result<Pipeline> {
        let encoder = open(cfg)?;
        Ok(Pipeline { encoder, input: input.clone() })
    }

    /// The media type the header carries for this stream.
    pub fn output_type(&self) -> &MediaType {
        self.encoder.output_type()
    }

    /// The encoder's name, for messages.
    pub fn encoder_name(&self) -> String {
        self.encoder.name()
    }

    /// Hand one raw sample (in the input format) presented at `time`; append the units
    /// finished so far to `out` (with a worker they may belong to earlier samples).
    pub fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        let _ = (&self.input, data, time, out);
        Err(crate::err!(NotImpl, "input conversion is not written yet"))
    }

    /// End of stream: append every remaining unit to `out`.
    pub fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        self.encoder.flush(out)
    }
}
