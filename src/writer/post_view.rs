//! `IWMWriterPostView`: the samples a player would see, per stream, while writing.
//!
//! For an uncompressed stream (PCM, raw video, script) the post-view sample is the
//! input sample itself, with its time. For a compressed stream (encoded from raw input,
//! or written in passthrough) it is each compressed unit decoded again by a
//! [`codec::Decoder`]; its format is [`codec::decoded_type`] (PCM s16 / I420).
//!
//! The writer only queues post-view samples; whoever drives it takes them with
//! [`Writer::take_post_view_samples`] and hands them to the application without holding
//! the writer (the C API does so after releasing its lock, like sink events).
#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};

use super::streams::{self, StreamRole};
use super::{State, Writer, SF_CLEANPOINT, SF_DISCONTINUITY};
use crate::codec::{self, DecodedUnit, EncodedUnit};
use crate::error::{Error, Result};
use crate::profile::{MediaType, StreamConfigData};
use crate::{bail, err, Time100ns};

/// One post-view sample (`IWMWriterPostViewCallback::OnPostViewSample`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostViewSample {
    /// Stream number.
    pub stream: u16,
    /// Presentation time (100 ns).
    pub time: Time100ns,
    /// Duration (100 ns).
    pub duration: Time100ns,
    /// `WM_SF_CLEANPOINT` / `WM_SF_DISCONTINUITY`.
    pub flags: u32,
    /// The raw bytes, in the stream's post-view format.
    pub data: Vec<u8>,
    /// Whether the application allocates the buffer (`SetAllocateForPostView`).
    pub allocate: bool,
}

/// The post-view settings, per stream number; `set_profile` clears them.
#[derive(Clone, Debug, Default)]
pub(super) struct PostViewSettings {
    receive: BTreeSet<u16>,
    allocate: BTreeSet<u16>,
    props: BTreeMap<u16, MediaType>,
}

/// A stream's decoder while writing.
pub(super) struct PostDecoder(pub(super) Box<dyn codec::Decoder>);

impl std::fmt::Debug for PostDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PostDecoder({})", self.0.name())
    }
}

fn flags_of(key: bool, input_flags: u32) -> u32 {
    (if key { SF_CLEANPOINT } else { 0 }) | (input_flags & SF_DISCONTINUITY)
}

impl Writer {
    fn post_view_stream(&self, what: &str, stream: u16) -> Result<(usize, &StreamConfigData)> {
        let profile = self.configured(what)?;
        profile
            .streams
            .iter()
            .enumerate()
            .find(|(_, s)| s.number == stream)
            .ok_or_else(|| err!(InvalidArg, "{what}: the profile has no stream {stream}"))
    }

    /// The connection name of stream `stream` (for post-view props objects).
    pub fn stream_connection_name(&self, stream: u16) -> Option<String> {
        self.profile.as_ref()?.streams.iter().find(|s| s.number == stream).map(|s| s.connection_name.clone())
    }

    /// Whether the post view of profile stream `idx` is decoded (a compressed stream).
    fn post_view_decodes(&self, idx: usize) -> bool {
        self.profile.as_ref().is_some_and(|p| streams::is_passthrough_only(&p.streams[idx]))
    }

    /// The formats the post view of stream `stream` can be delivered in
    /// (`IWMWriterPostView::GetPostViewFormat`): for an uncompressed stream its input's
    /// format, for a compressed one what the decoder outputs.
    pub fn post_view_formats(&self, stream: u16) -> Result<Vec<MediaType>> {
        let (idx, s) = self.post_view_stream("get_post_view_format", stream)?;
        let mt = s.media_type.clone().unwrap_or_default();
        if self.post_view_decodes(idx) {
            return Ok(codec::decoded_type(&mt).into_iter().collect());
        }
        let input = self.inputs.iter().find(|i| i.streams.contains(&idx)).and_then(|i| i.format.clone());
        Ok(vec![input.unwrap_or(mt)])
    }

    /// `IWMWriterPostView::GetPostViewProps`: the format post-view samples of `stream`
    /// come in.
    pub fn post_view_props(&self, stream: u16) -> Result<MediaType> {
        self.post_view_stream("get_post_view_props", stream)?;
        if let Some(mt) = self.post_view.props.get(&stream) {
            return Ok(mt.clone());
        }
        self.post_view_formats(stream)?
            .into_iter()
            .next()
            .ok_or_else(|| err!(InvalidStream, "get_post_view_props: stream {stream} has no post-view format"))
    }

    /// `IWMWriterPostView::SetPostViewProps`: one of the formats `post_view_formats`
    /// lists; before `begin_writing` only. `None` goes back to the default.
    pub fn set_post_view_props(&mut self, stream: u16, props: Option<&MediaType>) -> Result<()> {
        self.post_view_stream("set_post_view_props", stream)?;
        self.not_writing("set_post_view_props")?;
        let Some(mt) = props else {
            self.post_view.props.remove(&stream);
            return Ok(());
        };
        let formats = self.post_view_formats(stream)?;
        if !formats.iter().any(|f| streams::same_format(f, mt)) {
            bail!(
                InvalidInputFormat,
                "set_post_view_props: stream {stream}'s post view cannot be {}; it can be {} (see get_post_view_format)",
                streams::describe(mt),
                formats.iter().map(streams::describe).collect::<Vec<_>>().join(", ")
            );
        }
        self.post_view.props.insert(stream, mt.clone());
        Ok(())
    }

    /// `IWMWriterPostView::SetReceivePostViewSamples`. For a compressed stream a decoder
    /// must exist: without one this returns `AudioCodecNotInstalled` /
    /// `VideoCodecNotInstalled` (and so does `begin_writing` if it cannot open one).
    /// While writing, turning it on opens the decoder at once.
    pub fn set_receive_post_view_samples(&mut self, stream: u16, on: bool) -> Result<()> {
        let (idx, s) = self.post_view_stream("set_receive_post_view_samples", stream)?;
        if !on {
            self.post_view.receive.remove(&stream);
            if let Some(sess) = &mut self.session {
                sess.runs[idx].decoder = None;
            }
            return Ok(());
        }
        if self.post_view_decodes(idx) {
            let mt = self.header_type(idx).unwrap_or_else(|| s.media_type.clone().unwrap_or_default());
            let dec = codec::open_decoder(stream, &mt)
                .map_err(|e| Error::new(e.kind, format!("set_receive_post_view_samples: {}", e.message)))?;
            match &mut self.session {
                Some(sess) if self.state == State::Writing => {
                    if sess.runs[idx].decoder.is_none() {
                        sess.runs[idx].decoder = Some(PostDecoder(dec));
                    }
                }
                _ => drop(dec),
            }
        }
        self.post_view.receive.insert(stream);
        Ok(())
    }

    /// The media type the file's header carries for profile stream `idx` while writing
    /// (the encoder's output type for an encoded stream).
    fn header_type(&self, idx: usize) -> Option<MediaType> {
        let run = &self.session.as_ref()?.runs[idx];
        run.encoder.as_ref().map(|e| e.output_type().clone())
    }

    /// `IWMWriterPostView::GetReceivePostViewSamples`.
    pub fn receive_post_view_samples(&self, stream: u16) -> Result<bool> {
        self.post_view_stream("get_receive_post_view_samples", stream)?;
        Ok(self.post_view.receive.contains(&stream))
    }

    /// `IWMWriterPostView::SetAllocateForPostView`: the application allocates the
    /// buffers of this stream's post-view samples.
    pub fn set_allocate_for_post_view(&mut self, stream: u16, on: bool) -> Result<()> {
        self.post_view_stream("set_allocate_for_post_view", stream)?;
        if on {
            self.post_view.allocate.insert(stream);
        } else {
            self.post_view.allocate.remove(&stream);
        }
        Ok(())
    }

    /// `IWMWriterPostView::GetAllocateForPostView`.
    pub fn allocate_for_post_view(&self, stream: u16) -> Result<bool> {
        self.post_view_stream("get_allocate_for_post_view", stream)?;
        Ok(self.post_view.allocate.contains(&stream))
    }

    /// The post-view samples queued since the last call, in the order they were made.
    pub fn take_post_view_samples(&mut self) -> Vec<PostViewSample> {
        std::mem::take(&mut self.post_view_queue)
    }

    /// Open the decoders of the compressed streams whose post view is on (in
    /// `begin_writing`, once the encoders' output types are known).
    pub(super) fn open_post_view_decoders(&self, header_types: &[Option<MediaType>]) -> Result<Vec<Option<PostDecoder>>> {
        let Some(profile) = &self.profile else { return Ok(Vec::new()) };
        let mut out = Vec::new();
        for (idx, s) in profile.streams.iter().enumerate() {
            if !self.post_view.receive.contains(&s.number) || !streams::is_passthrough_only(s) {
                out.push(None);
                continue;
            }
            let mt = header_types[idx].clone().unwrap_or_default();
            let dec = codec::open_decoder(s.number, &mt).map_err(|e| Error::new(e.kind, format!("begin_writing: {}", e.message)))?;
            out.push(Some(PostDecoder(dec)));
        }
        Ok(out)
    }

    /// Queue the post view of a sample written as it is (uncompressed or passthrough).
    pub(super) fn post_view_sample(
        &mut self,
        idx: usize,
        time: Time100ns,
        duration: Time100ns,
        key: bool,
        flags: u32,
        data: &[u8],
    ) -> Result<()> {
        let Some(number) = self.receiving(idx) else { return Ok(()) };
        let allocate = self.post_view.allocate.contains(&number);
        let Some(sess) = self.session.as_mut() else { return Ok(()) };
        if let Some(dec) = sess.runs[idx].decoder.as_mut() {
            let unit = EncodedUnit { time, duration, key_frame: key, data: data.to_vec() };
            let mut out = Vec::new();
            dec.0.decode(&unit, &mut out)?;
            self.queue_decoded(number, allocate, flags, out);
            return Ok(());
        }
        if sess.runs[idx].plan.role == StreamRole::Sparse || !self.post_view_decodes(idx) {
            self.post_view_queue.push(PostViewSample {
                stream: number,
                time,
                duration,
                flags: flags_of(key, flags),
                data: data.to_vec(),
                allocate,
            });
        }
        Ok(())
    }

    /// Queue the post view of an encoder's units (decoded again); `finish`: the
    /// decoder's tail too.
    pub(super) fn post_view_units(&mut self, idx: usize, units: &[EncodedUnit], flags: u32, finish: bool) -> Result<()> {
        let Some(number) = self.receiving(idx) else { return Ok(()) };
        let allocate = self.post_view.allocate.contains(&number);
        let Some(sess) = self.session.as_mut() else { return Ok(()) };
        let Some(dec) = sess.runs[idx].decoder.as_mut() else { return Ok(()) };
        let mut out = Vec::new();
        for u in units {
            dec.0.decode(u, &mut out)?;
        }
        if finish {
            dec.0.flush(&mut out)?;
        }
        self.queue_decoded(number, allocate, flags, out);
        Ok(())
    }

    fn receiving(&self, idx: usize) -> Option<u16> {
        let number = self.profile.as_ref()?.streams[idx].number;
        self.post_view.receive.contains(&number).then_some(number)
    }

    fn queue_decoded(&mut self, stream: u16, allocate: bool, flags: u32, out: Vec<DecodedUnit>) {
        for d in out {
            let sample =
                PostViewSample { stream, time: d.time, duration: d.duration, flags: flags_of(true, flags), data: d.data, allocate };
            self.post_view_queue.push(sample);
        }
    }

    /// Clear the post-view settings (`set_profile`).
    pub(super) fn reset_post_view(&mut self) {
        self.post_view = PostViewSettings::default();
    }
}
