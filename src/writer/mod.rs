//! The writer (`IWMWriter` + `IWMWriterAdvanced`): a state machine
//! Empty → Configured → Writing → Configured that validates every call, turns samples
//! into media objects, and drives interleaver → packetizer → sink.
#![forbid(unsafe_code)]

mod advanced;
mod header_info;
pub mod metadata;
mod post_view;
mod preprocess;
mod streams;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::buffer::{BufferPool, SampleBuffer};
use crate::codec::{self, EncodedUnit, EncoderConfig};
use crate::error::{Error, Result};
use crate::guid::Guid;
use crate::mux::{AsfMuxer, MediaObject, MuxConfig, MuxStream, Payload};
use crate::profile::{InputPropsData, MediaType, ProfileData, StreamConfigData};
use crate::sink::{FanOut, PacketSink, SinkEvent, WriterSink};
use crate::{bail, err, Time100ns, TICKS_PER_MS};
pub use metadata::{AttrType, AttrValue, Attribute, Metadata};
pub use post_view::PostViewSample;
pub use streams::{StreamPlan, StreamRole};

/// `WM_SF_CLEANPOINT`: the sample is a key frame.
pub const SF_CLEANPOINT: u32 = 0x1;
/// `WM_SF_DISCONTINUITY`: the first sample after a gap.
pub const SF_DISCONTINUITY: u32 = 0x2;
/// `WM_SF_DATALOSS`: ignored by the writer.
pub const SF_DATALOSS: u32 = 0x4;
/// Default sync tolerance (ms).
pub const DEFAULT_SYNC_TOLERANCE_MS: u32 = 3000;

/// The writer's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// No profile yet.
    Empty,
    /// A profile is set; not writing.
    Configured,
    /// Between `begin_writing` and `end_writing`.
    Writing,
}

/// One writer input: the streams sharing a connection name.
#[derive(Clone, Debug)]
struct Input {
    connection_name: String,
    /// Indices into the profile's streams.
    streams: Vec<usize>,
    /// The format the caller delivers; `None` = compressed passthrough
    /// (`set_input_props(NULL)`, samples come through `write_stream_sample`).
    format: Option<MediaType>,
    /// Preprocessing passes (`set_num_preprocessing_passes`): 0 or 1.
    passes: u32,
}

/// Per-stream input state while writing (checks and statistics; the muxer keeps the rest).
#[derive(Debug)]
struct StreamRun {
    /// How samples of this stream are checked and timed (for an encoded stream: the
    /// raw input format).
    plan: StreamPlan,
    last_time: Option<Time100ns>,
    /// Samples and bytes accepted by write_sample / write_stream_sample (statistics).
    accepted_samples: u64,
    accepted_bytes: u64,
    /// The encoder of a compressed stream written with raw samples.
    encoder: Option<Box<dyn StreamEncoder>>,
    /// The post-view decoder of a compressed stream whose post view is on.
    decoder: Option<post_view::PostDecoder>,
    /// A stream of an input with a preprocessing pass: `encoder` is set when it ends.
    preprocess: Option<preprocess::Preprocess>,
}

/// What `end_writing` produced (for logs and tests).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Bytes in the file.
    pub file_size: u64,
    /// Data packets.
    pub packets: u64,
    /// Packet size.
    pub packet_size: u32,
    /// Play duration (100 ns, incl. preroll).
    pub play_duration: u64,
    /// Preroll (ms).
    pub preroll_ms: u64,
    /// Media objects written.
    pub objects: u64,
    /// Whether the file is seekable (indexed where needed, seekable sink).
    pub seekable: bool,
    /// Video frames written.
    pub video_frames: u64,
}

/// An open writing session.
#[derive(Debug)]
struct Session {
    muxer: AsfMuxer,
    runs: Vec<StreamRun>,
    preroll_ms: u32,
    tolerance: Time100ns,
    /// The latest sample time accepted (`GetWriterTime`).
    newest_time: Time100ns,
    /// A live source (`SetLiveSource`): when the first sample came and its time, so a
    /// sample too far ahead of the wall clock is refused (`NS_E_TOO_MUCH_DATA`).
    live: Option<LiveClock>,
}

/// The wall clock of a live session: `started` is when the sample at `first` came.
#[derive(Debug, Clone, Copy)]
enum LiveClock {
    /// No sample yet.
    Waiting,
    /// The first sample's arrival and time.
    Running { started: Instant, first: Time100ns },
}

/// A stream encoder as the writer drives it ([`codec::Pipeline`] in the library; a
/// fake one in tests).
pub(crate) trait StreamEncoder: Send + std::fmt::Debug {
    /// The media type the header carries.
    fn output_type(&self) -> &MediaType;
    /// One raw sample in the input's format.
    fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()>;
    /// End of stream.
    fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()>;
    /// After `finish` of an analysis-pass encoder: its statistics.
    fn take_pass_stats(&mut self) -> Option<String> {
        None
    }
    /// An input setting changed while writing (`set_input_setting`).
    fn setting(&mut self, _name: &str, _value: &str) -> Result<()> {
        Ok(())
    }
}

impl StreamEncoder for codec::Pipeline {
    fn output_type(&self) -> &MediaType {
        codec::Pipeline::output_type(self)
    }
    fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        codec::Pipeline::push(self, data, time, out)
    }
    fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        codec::Pipeline::finish(self, out)
    }
    fn take_pass_stats(&mut self) -> Option<String> {
        codec::Pipeline::take_pass_stats(self)
    }
    fn setting(&mut self, name: &str, value: &str) -> Result<()> {
        codec::Pipeline::setting(self, name, value)
    }
}

/// Opens the encoder of one stream: (input format, encoder config).
pub(crate) type EncoderOpener = fn(&MediaType, &EncoderConfig) -> Result<Box<dyn StreamEncoder>>;

fn open_pipeline(input: &MediaType, cfg: &EncoderConfig) -> Result<Box<dyn StreamEncoder>> {
    Ok(Box::new(codec::Pipeline::open(input, cfg)?))
}

/// Sink events queued by the writer, to be handed to the session's sinks after the
/// writer is released (see [`Writer::take_delivery`]).
#[derive(Debug)]
pub struct Delivery {
    fanout: FanOut,
    events: Vec<SinkEvent>,
    serial: u64,
    /// Close the sinks afterwards (a session that ended without an end event).
    stop_after: bool,
}

/// Which event of a [`Delivery`] failed.
#[derive(Debug)]
pub struct DeliveryError {
    error: std::io::Error,
    header: bool,
    end: bool,
    serial: u64,
}

impl Delivery {
    /// Hand every event to every sink, in order; stops at the first failure.
    pub fn run(self) -> std::result::Result<(), DeliveryError> {
        let mut result = Ok(());
        for ev in &self.events {
            if let Err(error) = self.fanout.deliver(ev) {
                let header = matches!(ev, SinkEvent::Header { .. });
                let end = matches!(ev, SinkEvent::End { .. });
                result = Err(DeliveryError { error, header, end, serial: self.serial });
                break;
            }
        }
        if self.stop_after || result.as_ref().is_err_and(|e| e.end) {
            self.fanout.stop();
        }
        result
    }
}

/// The writer; see the module docs.
#[derive(Debug)]
pub struct Writer {
    state: State,
    profile: Option<ProfileData>,
    inputs: Vec<Input>,
    pool: BufferPool,
    session: Option<Session>,
    sync_tolerance_ms: u32,
    /// A sink failure that ended the session; reported by the next call.
    failure: Option<Error>,
    last_summary: Option<WriteSummary>,
    /// The sinks (`IWMWriterAdvanced::AddSink`); the one made by
    /// `set_output_filename` is first.
    sinks: Vec<Arc<WriterSink>>,
    /// The sink `set_output_filename` made, if any.
    filename_sink: Option<Arc<WriterSink>>,
    /// Header metadata (`IWMHeaderInfo`).
    metadata: Metadata,
    /// `SetLiveSource`.
    live_source: bool,
    /// Input settings (`IWMWriterAdvanced2::SetInputSetting`) per input number.
    input_settings: std::collections::BTreeMap<(u32, String), AttrValue>,
    /// Sink events not yet handed to the sinks.
    outbox: Vec<SinkEvent>,
    /// The sinks of the current (or last) session.
    fanout: FanOut,
    /// Counts sessions, so a late delivery failure is matched to its session.
    serial: u64,
    /// Whether the caller delivers the events itself ([`Writer::take_delivery`]); if not,
    /// every call delivers before it returns.
    deferred: bool,
    /// Close the sinks after delivering what is queued.
    stop_pending: bool,
    /// How encoders are opened (tests replace it).
    encoder_opener: EncoderOpener,
    /// How many preprocessing passes an encoder of a stream could run (tests replace it).
    passes_query: fn(&EncoderConfig) -> Result<u32>,
    /// `IWMWriterPostView` settings.
    post_view: post_view::PostViewSettings,
    /// Post-view samples not yet taken ([`Writer::take_post_view_samples`]).
    post_view_queue: Vec<PostViewSample>,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    /// A writer with no profile and no output.
    pub fn new() -> Self {
        Writer {
            state: State::Empty,
            profile: None,
            inputs: Vec::new(),
            pool: BufferPool::default(),
            session: None,
            sync_tolerance_ms: DEFAULT_SYNC_TOLERANCE_MS,
            failure: None,
            last_summary: None,
            sinks: Vec::new(),
            filename_sink: None,
            metadata: Metadata::default(),
            live_source: false,
            input_settings: Default::default(),
            outbox: Vec::new(),
            fanout: FanOut::default(),
            serial: 0,
            deferred: false,
            stop_pending: false,
            encoder_opener: open_pipeline,
            passes_query: codec::max_preprocessing_passes,
            post_view: Default::default(),
            post_view_queue: Vec::new(),
        }
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    fn not_writing(&self, what: &str) -> Result<()> {
        if self.state == State::Writing {
            bail!(InvalidRequest, "{what}: not allowed while writing (call end_writing first)");
        }
        Ok(())
    }

    fn configured(&self, what: &str) -> Result<&ProfileData> {
        self.profile.as_ref().ok_or_else(|| err!(NotConfigured, "{what}: no profile is set (call set_profile first)"))
    }

    fn input(&self, what: &str, n: u32) -> Result<&Input> {
        self.configured(what)?;
        self.inputs.get(n as usize).ok_or_else(|| {
            let c = self.inputs.len();
            err!(InvalidArg, "{what}: input {n} does not exist; the profile has {c} input{}", if c == 1 { "" } else { "s" })
        })
    }

    /// `IWMWriter::SetProfile`: validate and snapshot the profile; one input per
    /// connection name (streams with an empty name get an input each).
    pub fn set_profile(&mut self, profile: &ProfileData) -> Result<()> {
        self.not_writing("set_profile")?;
        profile.validate()?;
        if profile.storage_format != crate::profile::STORAGE_FORMAT_V1 {
            bail!(
                InvalidProfile,
                "set_profile: the profile's storage format is {} (MP3); the writer writes ASF files only (WMT_Storage_Format_V1)",
                profile.storage_format
            );
        }
        let mut inputs: Vec<Input> = Vec::new();
        for (i, s) in profile.streams.iter().enumerate() {
            let existing =
                if s.connection_name.is_empty() { None } else { inputs.iter_mut().find(|x| x.connection_name == s.connection_name) };
            match existing {
                Some(inp) => inp.streams.push(i),
                None => inputs.push(Input { connection_name: s.connection_name.clone(), streams: vec![i], format: None, passes: 0 }),
            }
        }
        for inp in &mut inputs {
            let s = &profile.streams[inp.streams[0]];
            inp.format = streams::default_input_format(s);
        }
        self.profile = Some(profile.clone());
        self.inputs = inputs;
        // The SDK removes previously set header attributes on SetProfile.
        self.metadata = Metadata::default();
        self.input_settings.clear();
        self.reset_post_view();
        self.state = State::Configured;
        Ok(())
    }

    /// `IWMWriter::SetProfileByID`: this library has no system profiles (the WM9
    /// behaviour), so every ID is unknown.
    pub fn set_profile_by_id(&mut self, id: &Guid) -> Result<()> {
        self.not_writing("set_profile_by_id")?;
        bail!(InvalidArg, "set_profile_by_id: no system profile has ID {{{id}}}; this library ships none (as the WM9 SDK), build one with create_empty_profile or load_profile_by_data")
    }

    /// `IWMWriter::SetOutputFilename`: a file sink, sink 0, created at `begin_writing`.
    pub fn set_output_filename(&mut self, path: &str) -> Result<()> {
        self.not_writing("set_output_filename")?;
        if path.is_empty() {
            bail!(InvalidArg, "set_output_filename: the file name is empty");
        }
        match &self.filename_sink {
            Some(s) => s.set_path(path.as_ref())?,
            None => {
                let s = Arc::new(WriterSink::file(Some(PathBuf::from(path))));
                self.sinks.insert(0, Arc::clone(&s));
                self.filename_sink = Some(s);
            }
        }
        Ok(())
    }

    /// Write to `sink` only (replacing every other sink) from the next session.
    pub fn set_sink(&mut self, sink: Box<dyn PacketSink>) -> Result<()> {
        self.not_writing("set_sink")?;
        self.filename_sink = None;
        self.sinks = vec![Arc::new(WriterSink::custom(sink))];
        Ok(())
    }

    /// `IWMWriterAdvanced::AddSink` (not while writing).
    pub fn add_sink(&mut self, sink: Arc<WriterSink>) -> Result<()> {
        self.not_writing("add_sink")?;
        if self.sinks.iter().any(|s| Arc::ptr_eq(s, &sink)) {
            bail!(InvalidArg, "add_sink: this sink is already attached to the writer");
        }
        self.sinks.push(sink);
        Ok(())
    }

    /// `IWMWriterAdvanced::RemoveSink`: `Ok(false)` when the sink was not attached.
    pub fn remove_sink(&mut self, sink: &Arc<WriterSink>) -> Result<bool> {
        self.not_writing("remove_sink")?;
        let before = self.sinks.len();
        self.sinks.retain(|s| !Arc::ptr_eq(s, sink));
        if self.filename_sink.as_ref().is_some_and(|f| Arc::ptr_eq(f, sink)) {
            self.filename_sink = None;
        }
        Ok(self.sinks.len() != before)
    }

    /// `IWMWriterAdvanced::GetSinkCount`.
    pub fn sink_count(&self) -> u32 {
        self.sinks.len() as u32
    }

    /// `IWMWriterAdvanced::GetSink`.
    pub fn sink(&self, index: u32) -> Result<Arc<WriterSink>> {
        let n = self.sinks.len();
        self.sinks
            .get(index as usize)
            .cloned()
            .ok_or_else(|| err!(InvalidArg, "get_sink: the writer has {n} sink(s); index {index} is out of range"))
    }

    /// `IWMWriter::GetInputCount`.
    pub fn input_count(&self) -> Result<u32> {
        self.configured("get_input_count")?;
        Ok(self.inputs.len() as u32)
    }

    /// `IWMWriter::GetInputProps`: the input's current format.
    pub fn input_props(&self, n: u32) -> Result<InputPropsData> {
        let inp = self.input("get_input_props", n)?;
        let profile = self.configured("get_input_props")?;
        let media_type = match &inp.format {
            Some(f) => f.clone(),
            None => profile.streams[inp.streams[0]].media_type.clone().unwrap_or_default(),
        };
        Ok(InputPropsData { media_type, connection_name: inp.connection_name.clone() })
    }

    fn input_formats(&self, what: &str, n: u32) -> Result<Vec<MediaType>> {
        let inp = self.input(what, n)?;
        let profile = self.configured(what)?;
        Ok(streams::input_formats(&profile.streams[inp.streams[0]]))
    }

    /// `IWMWriter::GetInputFormatCount`.
    pub fn input_format_count(&self, n: u32) -> Result<u32> {
        Ok(self.input_formats("get_input_format_count", n)?.len() as u32)
    }

    /// `IWMWriter::GetInputFormat`.
    pub fn input_format(&self, n: u32, format: u32) -> Result<InputPropsData> {
        let formats = self.input_formats("get_input_format", n)?;
        let inp = self.input("get_input_format", n)?;
        let count = formats.len();
        let media_type = formats.into_iter().nth(format as usize).ok_or_else(|| {
            err!(
                InvalidArg,
                "get_input_format: input {n} has {count} format{}; {format} is out of range",
                if count == 1 { "" } else { "s" }
            )
        })?;
        Ok(InputPropsData { media_type, connection_name: inp.connection_name.clone() })
    }

    /// `IWMWriter::SetInputProps`; `None` selects compressed passthrough (before
    /// `begin_writing` only).
    pub fn set_input_props(&mut self, n: u32, props: Option<&MediaType>) -> Result<()> {
        self.input("set_input_props", n)?;
        match props {
            None => {
                self.not_writing("set_input_props(NULL)")?;
                self.inputs[n as usize].format = None;
            }
            Some(mt) => {
                let formats = self.input_formats("set_input_props", n)?;
                let profile = self.configured("set_input_props")?;
                let converted = self.inputs[n as usize].streams.iter().all(|&i| streams::encoder_takes_video(&profile.streams[i], mt));
                if !converted && !formats.iter().any(|f| streams::same_format(f, mt)) {
                    bail!(
                        InvalidInputFormat,
                        "set_input_props: input {n} cannot take {} / {}; it accepts {} (see get_input_format)",
                        streams::describe(mt),
                        mt.subtype,
                        formats.iter().map(streams::describe).collect::<Vec<_>>().join(", ")
                    );
                }
                if self.state == State::Writing && self.inputs[n as usize].format.is_none() {
                    bail!(
                        InvalidRequest,
                        "set_input_props: input {n} was set to passthrough (NULL) for this session; that cannot change while writing"
                    );
                }
                self.inputs[n as usize].format = Some(mt.clone());
            }
        }
        Ok(())
    }

    /// `IWMWriterAdvanced::SetSyncTolerance` (ms).
    pub fn set_sync_tolerance(&mut self, ms: u32) {
        self.sync_tolerance_ms = ms;
    }

    /// `IWMWriterAdvanced::GetSyncTolerance` (ms).
    pub fn sync_tolerance(&self) -> u32 {
        self.sync_tolerance_ms
    }

    /// The summary of the last finished file.
    pub fn last_summary(&self) -> Option<&WriteSummary> {
        self.last_summary.as_ref()
    }

    /// `IWMWriter::BeginWriting`. Everything is checked and every encoder opened before
    /// any sink starts, so a failure leaves no file behind and never truncates one; if a
    /// sink fails to start, the files this call created are removed again.
    pub fn begin_writing(&mut self) -> Result<()> {
        self.begin_session()?;
        self.deliver_now("begin_writing")
    }

    fn begin_session(&mut self) -> Result<()> {
        if self.state == State::Writing {
            bail!(InvalidRequest, "begin_writing: already writing (call end_writing first)");
        }
        let profile = self.configured("begin_writing")?.clone();
        if self.sinks.is_empty() {
            bail!(NotConfigured, "begin_writing: no output (call set_output_filename or add_sink first)");
        }
        for s in &self.sinks {
            s.check_ready().map_err(|e| Error::new(e.kind, format!("begin_writing: {}", e.message)))?;
        }
        // Encoders first: their output formats go into the header.
        let mut encoders: Vec<Option<Box<dyn StreamEncoder>>> = profile.streams.iter().map(|_| None).collect();
        let mut preprocess: Vec<Option<preprocess::Preprocess>> = profile.streams.iter().map(|_| None).collect();
        let mut input_plans: Vec<Option<StreamPlan>> = profile.streams.iter().map(|_| None).collect();
        let mut header_configs = profile.streams.clone();
        for (i, inp) in self.inputs.iter().enumerate() {
            // Passes set before an input changed to passthrough (or uncompressed) no
            // longer fit it.
            let max = if inp.passes > 0 { self.max_preprocessing_passes(i as u32)? } else { 0 };
            if inp.passes > max {
                bail!(
                    InvalidNumPasses,
                    "begin_writing: input {i} is set to {} preprocessing pass(es) and its format now allows {max}",
                    inp.passes
                );
            }
            // Every stream of the input gets its own encoder: a multiple-bit-rate input
            // (several mutually exclusive streams under one connection name) is encoded
            // once per stream, each at its own bit rate and size, from the same samples.
            for &idx in &inp.streams {
                let s = &profile.streams[idx];
                let Some(format) = inp.format.as_ref().filter(|_| streams::is_passthrough_only(s)) else { continue };
                let mut cfg = self.encoder_config(i as u32, s);
                if inp.passes > 0 {
                    // The header carries the analysis encoder's format: the final one,
                    // opened from the same settings when the pass ends, must match it.
                    cfg.pass = codec::Pass::Analysis;
                }
                let enc = (self.encoder_opener)(format, &cfg).map_err(|e| {
                    Error::new(
                        e.kind,
                        format!("begin_writing: input {i} ({}): {}", display_name(&inp.connection_name, s.number), e.message),
                    )
                })?;
                header_configs[idx].media_type = Some(enc.output_type().clone());
                input_plans[idx] = Some(StreamPlan::new(&StreamConfigData { media_type: Some(format.clone()), ..s.clone() }));
                if inp.passes > 0 {
                    preprocess[idx] = Some(preprocess::Preprocess::new(enc, format.clone(), cfg));
                } else {
                    encoders[idx] = Some(enc);
                }
            }
        }
        let header_types: Vec<Option<MediaType>> = header_configs.iter().map(|s| s.media_type.clone()).collect();
        let decoders = self.open_post_view_decoders(&header_types)?;
        let plans: Vec<StreamPlan> = header_configs.iter().map(StreamPlan::new).collect();
        let preroll_ms = profile.streams.iter().map(|s| s.effective_buffer_window()).max().unwrap_or(0);
        let total_bitrate: u64 = profile.streams.iter().map(|s| s.bitrate as u64).sum();
        let packet_size = if profile.max_packet_size != 0 {
            profile.max_packet_size
        } else {
            // IWMPacketSize2::SetMinPacketSize: larger packets than the default.
            default_packet_size(total_bitrate, &plans, preroll_ms, self.is_real_time())
                .max(profile.min_packet_size.min(crate::asf::packet::MAX_PACKET_SIZE))
        };
        let languages = language_list(&profile);
        let mux_streams = header_configs
            .iter()
            .zip(&plans)
            .map(|(s, plan)| {
                let lang_index = languages.iter().position(|l| l.eq_ignore_ascii_case(&s.language)).unwrap_or(0);
                MuxStream {
                    header: plan.header_stream(s, lang_index as u16),
                    keep_whole: plan.role == StreamRole::Audio && !plan.pcm,
                    time_slack_ms: if plan.pcm || plan.frame_size.is_some() { crate::asf::packet::MAX_TIME_ERROR_MS } else { 0 },
                    indexed: plan.role == StreamRole::Video,
                    continuous: plan.role != StreamRole::Sparse,
                    extension_len: plan.min_extension_len(),
                }
            })
            .collect();
        let tolerance = self.sync_tolerance_ms as u64 * TICKS_PER_MS;
        let muxer = AsfMuxer::new(MuxConfig {
            streams: mux_streams,
            packet_size,
            preroll_ms,
            total_bitrate,
            file_id: new_file_id(),
            creation_date: filetime_now(),
            languages,
            metadata_objects: self.metadata.objects(preroll_ms as u64, &[]),
            extra_codecs: self.metadata.codec_entries(),
            profile_objects: group_objects(&profile),
            marker_times: self.metadata.markers.iter().map(|m| m.time).collect(),
            tolerance,
        })
        .map_err(|e| Error::new(e.kind, format!("begin_writing: {}", e.message)))?;
        // Everything is checked: now the sinks start (file sinks create their files).
        for (i, s) in self.sinks.iter().enumerate() {
            if let Err(e) = s.start() {
                self.sinks[..i].iter().for_each(|s| s.abort());
                return Err(Error::new(e.kind, format!("begin_writing: {}", e.message)));
            }
        }
        if let Err(e) = self.sinks.iter().try_for_each(|s| s.commit()) {
            self.sinks.iter().for_each(|s| s.abort());
            return Err(Error::new(e.kind, format!("begin_writing: {}", e.message)));
        }
        let mut decoders = decoders.into_iter();
        let runs = plans
            .into_iter()
            .zip(input_plans)
            .zip(encoders)
            .zip(preprocess)
            .map(|(((plan, input_plan), encoder), preprocess)| StreamRun {
                plan: input_plan.unwrap_or(plan),
                last_time: None,
                accepted_samples: 0,
                accepted_bytes: 0,
                encoder,
                decoder: decoders.next().flatten(),
                preprocess,
            })
            .collect();
        self.serial += 1;
        self.fanout = FanOut { sinks: self.sinks.clone() };
        let live = self.live_source.then_some(LiveClock::Waiting);
        self.session = Some(Session { muxer, runs, preroll_ms, tolerance, newest_time: 0, live });
        self.post_view_queue.clear();
        self.collect_events();
        self.failure = None;
        self.state = State::Writing;
        Ok(())
    }

    /// Move the muxer's events to the outbox.
    fn collect_events(&mut self) {
        if let Some(s) = &mut self.session {
            self.outbox.extend(s.muxer.take_events());
        }
    }

    /// Hand the events queued by earlier calls to the sinks yourself: from now on calls
    /// only queue them, and the caller takes them with [`Writer::take_delivery`], runs
    /// them without holding the writer ([`Delivery::run`]) and reports a failure with
    /// [`Writer::delivery_failed`]. The C API does this, so sinks run outside its lock.
    pub fn set_deferred_delivery(&mut self, deferred: bool) {
        self.deferred = deferred;
    }

    /// The events queued since the last call, with the sinks to give them to.
    pub fn take_delivery(&mut self) -> Option<Delivery> {
        if self.outbox.is_empty() && !self.stop_pending {
            return None;
        }
        let stop_after = std::mem::take(&mut self.stop_pending);
        // After the session, the last delivery takes the sinks along: the writer keeps
        // no extra reference to them.
        let fanout = if self.state == State::Writing { self.fanout.clone() } else { std::mem::take(&mut self.fanout) };
        Some(Delivery { fanout, events: std::mem::take(&mut self.outbox), serial: self.serial, stop_after })
    }

    /// A [`Delivery`] failed: a failed header ends the session as a failed
    /// `begin_writing` (files this session created are removed); a failed packet run
    /// ends the session with `NS_E_FILE_WRITE` (later calls report it); a failed end is
    /// reported as such. Returns the error for the call that delivered.
    pub fn delivery_failed(&mut self, what: &str, e: DeliveryError) -> Error {
        let current = e.serial == self.serial && self.state == State::Writing;
        if e.header {
            if current {
                self.session = None;
                self.outbox.clear();
                std::mem::take(&mut self.fanout).abort();
                self.state = State::Configured;
            }
            return err!(FileWrite, "{what}: writing the header failed: {}", e.error);
        }
        if e.end {
            return err!(FileWrite, "{what}: finishing the file failed: {}", e.error);
        }
        let error = err!(FileWrite, "writing data packets failed: {}", e.error);
        if current {
            self.outbox.clear();
            if let Some(s) = &mut self.session {
                s.muxer.abandon();
            }
            if self.failure.is_none() {
                self.failure = Some(error.clone());
            }
        }
        Error::new(error.kind, format!("{what}: {}", error.message))
    }

    /// Unless delivery is deferred: hand the queued events to the sinks now.
    fn deliver_now(&mut self, what: &str) -> Result<()> {
        if self.deferred {
            return Ok(());
        }
        while let Some(d) = self.take_delivery() {
            if let Err(e) = d.run() {
                return Err(self.delivery_failed(what, e));
            }
        }
        Ok(())
    }

    fn writing(&self, what: &str) -> Result<()> {
        if let Some(f) = &self.failure {
            return Err(Error::new(f.kind, format!("{what}: the session failed earlier: {}", f.message)));
        }
        if self.state != State::Writing {
            bail!(InvalidRequest, "{what}: the writer is not running (call begin_writing first)");
        }
        Ok(())
    }

    /// `IWMWriter::AllocateSample`: a pooled buffer of `size` bytes.
    pub fn allocate_sample(&self, size: u32) -> Result<Arc<SampleBuffer>> {
        self.writing("allocate_sample")?;
        self.pool.allocate(size)
    }

    /// `IWMWriter::WriteSample`: an uncompressed sample for input `input`.
    pub fn write_sample(&mut self, input: u32, time: Time100ns, flags: u32, buffer: &Arc<SampleBuffer>) -> Result<()> {
        self.writing("write_sample")?;
        let inp = self.input("write_sample", input)?;
        if inp.format.is_none() {
            bail!(InvalidRequest, "write_sample: input {input} takes compressed samples (set_input_props(NULL)); use write_stream_sample");
        }
        self.check_passes_run("write_sample", input)?;
        let idx = inp.streams[0];
        self.queue_sample("write_sample", idx, time, None, flags, buffer)?;
        // The other streams of a multiple-bit-rate input: each encoder takes a copy.
        for k in 1..self.inputs[input as usize].streams.len() {
            let idx = self.inputs[input as usize].streams[k];
            if self.session.as_ref().is_some_and(|s| s.runs[idx].encoder.is_some()) {
                self.queue_sample("write_sample", idx, time, None, flags, buffer)?;
            }
        }
        Ok(())
    }

    /// `IWMWriterAdvanced::WriteStreamSample`: an already-compressed sample for stream
    /// `stream_number` (its input must be in passthrough mode).
    pub fn write_stream_sample(
        &mut self,
        stream_number: u16,
        time: Time100ns,
        duration: Time100ns,
        flags: u32,
        buffer: &Arc<SampleBuffer>,
    ) -> Result<()> {
        self.writing("write_stream_sample")?;
        let profile = self.configured("write_stream_sample")?;
        let idx = profile
            .streams
            .iter()
            .position(|s| s.number == stream_number)
            .ok_or_else(|| err!(InvalidArg, "write_stream_sample: the profile has no stream {stream_number}"))?;
        let inp = self.inputs.iter().find(|i| i.streams.contains(&idx));
        if inp.is_some_and(|i| i.format.is_some()) {
            bail!(InvalidRequest, "write_stream_sample: stream {stream_number}'s input takes uncompressed samples; call set_input_props(input, NULL) before begin_writing to write compressed ones");
        }
        self.queue_sample("write_stream_sample", idx, time, Some(duration), flags, buffer)
    }

    fn queue_sample(
        &mut self,
        what: &str,
        idx: usize,
        time: Time100ns,
        duration: Option<Time100ns>,
        flags: u32,
        buffer: &Arc<SampleBuffer>,
    ) -> Result<()> {
        let clean_cuts = self.fanout.sinks.iter().any(|s| s.wants_clean_cuts());
        let session = self.session.as_mut().ok_or_else(|| err!(Unexpected, "{what}: no session"))?;
        session.muxer.set_clean_cuts(clean_cuts);
        let length = buffer.length() as usize;
        let run = &session.runs[idx];
        let n = run.plan.number;
        if length == 0 {
            bail!(InvalidData, "{what}: the sample for stream {n} is empty (set_length to the number of bytes written)");
        }
        if let Some(last) = run.last_time {
            if time < last && run.plan.role != StreamRole::Video {
                bail!(InvalidArg, "{what}: sample time {} ms on stream {n} is before the previous sample's {} ms; samples of a stream must come in time order", time / TICKS_PER_MS, last / TICKS_PER_MS);
            }
        }
        let emitted = session.muxer.emitted_time();
        if time + session.tolerance < emitted {
            bail!(
                LateOperation,
                "{what}: sample at {} ms on stream {n} is more than the sync tolerance ({} ms) behind what is already written ({} ms); deliver the inputs closer together in time",
                time / TICKS_PER_MS,
                session.tolerance / TICKS_PER_MS,
                emitted / TICKS_PER_MS
            );
        }
        if time / TICKS_PER_MS + session.preroll_ms as u64 > u32::MAX as u64 {
            bail!(InvalidArg, "{what}: sample time {} ms is past the ASF limit of 2^32 ms", time / TICKS_PER_MS);
        }
        // A live source delivers in real time: a sample more than the sync tolerance
        // ahead of the wall clock (measured from the first sample) is refused, as the
        // SDK's writer refuses a live source that delivers faster than real time.
        if let Some(LiveClock::Running { started, first }) = session.live {
            let wall = started.elapsed().as_nanos() as u64 / 100;
            let ahead = time.saturating_sub(first).saturating_sub(wall);
            if ahead > session.tolerance {
                bail!(
                    TooMuchData,
                    "{what}: the live source is {} ms ahead of real time on stream {n} (sample at {} ms, {} ms after the first sample; the sync tolerance is {} ms); deliver live samples as they happen, or call set_live_source(0) for a file source",
                    ahead / TICKS_PER_MS,
                    time / TICKS_PER_MS,
                    wall / TICKS_PER_MS,
                    session.tolerance / TICKS_PER_MS
                );
            }
        }
        run.plan.check_sample(length).map_err(|e| Error::new(e.kind, format!("{what}: {}", e.message)))?;
        let duration = duration.filter(|d| *d > 0).unwrap_or_else(|| run.plan.duration_of(length));
        // Audio, script and uncompressed video objects are all clean points.
        let key = run.plan.role != StreamRole::Video || run.plan.frame_size.is_some() || flags & SF_CLEANPOINT != 0;
        let ext = if run.plan.extensions.is_empty() {
            Vec::new()
        } else {
            run.plan.extension_bytes(buffer).map_err(|e| Error::new(e.kind, format!("{what}: {}", e.message)))?
        };
        let room = crate::asf::packet::max_extension_len(session.muxer.packet_size());
        if ext.len() > room {
            bail!(
                DataUnitExtensionTooLarge,
                "{what}: the sample's {}-byte data-unit extensions do not fit {}-byte packets (at most {room} bytes)",
                ext.len(),
                session.muxer.packet_size()
            );
        }
        let mut post_units = None;
        let result = if let Some(enc) = session.runs[idx].encoder.as_mut() {
            // An encoded stream: the encoder copies the sample; its units go to the muxer.
            let mut units = Vec::new();
            buffer
                .with_prefix(length, |data| enc.push(data, time, &mut units))
                .map_err(|e| Error::new(e.kind, format!("{what}: {}", e.message)))?;
            if session.runs[idx].decoder.is_some() {
                post_units = Some(units.clone());
            }
            mux_units(&mut session.muxer, idx, &ext, units)
        } else {
            buffer.mark_queued().map_err(|e| err!(InvalidArg, "{what}: {}", e.message))?;
            let payload = Payload::Sample { buffer: Arc::clone(buffer), length };
            session.muxer.push(idx, MediaObject { time, duration, key, ext, payload })
        };
        let encoded = session.runs[idx].encoder.is_some();
        let run = &mut session.runs[idx];
        run.last_time = Some(time);
        run.accepted_samples += 1;
        run.accepted_bytes += length as u64;
        session.newest_time = session.newest_time.max(time);
        if let Some(LiveClock::Waiting) = session.live {
            session.live = Some(LiveClock::Running { started: Instant::now(), first: time });
        }
        self.collect_events();
        result.map_err(|e| Error::new(e.kind, format!("{what}: {}", e.message)))?;
        // The post view: what a player of this file would see.
        let pv = match post_units {
            Some(units) => self.post_view_units(idx, &units, flags, false),
            None if !encoded => buffer.with_prefix(length, |data| self.post_view_sample(idx, time, duration, key, flags, data)),
            None => Ok(()),
        };
        pv.map_err(|e| Error::new(e.kind, format!("{what}: post view: {}", e.message)))?;
        self.deliver_now(what)
    }

    /// `IWMWriter::Flush`: always succeeds (the SDK removed its function).
    pub fn flush(&mut self) -> Result<()> {
        Ok(())
    }

    /// `IWMWriter::EndWriting`: write everything queued, the index, and the final header.
    pub fn end_writing(&mut self) -> Result<()> {
        if self.state != State::Writing {
            bail!(InvalidRequest, "end_writing: the writer is not running (call begin_writing first)");
        }
        let r = self.finish();
        self.collect_events();
        self.session = None;
        self.state = State::Configured;
        let failure = self.failure.take();
        if failure.is_some() || r.is_err() {
            // No end event: the files are closed as they are, after what is queued.
            self.outbox.retain(|e| !matches!(e, SinkEvent::End { .. }));
            self.stop_pending = true;
        }
        let delivered = self.deliver_now("end_writing");
        if failure.is_none() {
            delivered?;
        }
        match (r, failure) {
            (Err(e), _) => Err(e),
            (Ok(()), Some(f)) => Err(Error::new(f.kind, format!("end_writing: the session failed earlier: {}", f.message))),
            (Ok(()), None) => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<()> {
        if self.failure.is_some() {
            // Drop what is queued; the output is already incomplete.
            return Ok(());
        }
        let s = self.session.as_mut().ok_or_else(|| err!(Unexpected, "end_writing: no session"))?;
        let mut post = Vec::new();
        for (idx, run) in s.runs.iter_mut().enumerate() {
            if let Some(enc) = run.encoder.as_mut() {
                let mut units = Vec::new();
                enc.finish(&mut units).map_err(|e| Error::new(e.kind, format!("end_writing: {}", e.message)))?;
                if run.decoder.is_some() {
                    post.push((idx, units.clone()));
                }
                mux_units(&mut s.muxer, idx, &[], units).map_err(|e| Error::new(e.kind, format!("end_writing: {}", e.message)))?;
            } else if run.decoder.is_some() {
                post.push((idx, Vec::new()));
            }
        }
        for (idx, units) in post {
            self.post_view_units(idx, &units, 0, true).map_err(|e| Error::new(e.kind, format!("end_writing: post view: {}", e.message)))?;
        }
        let s = self.session.as_mut().ok_or_else(|| err!(Unexpected, "end_writing: no session"))?;
        let seekable_sink = self.fanout.can_seek();
        let metadata = &self.metadata;
        let preroll = s.preroll_ms as u64;
        let sum = s.muxer.finish(seekable_sink, |offsets| metadata.objects(preroll, offsets))?;
        let objects = |video: bool| -> u64 {
            s.runs
                .iter()
                .enumerate()
                .filter(|(_, r)| !video || r.plan.role == StreamRole::Video)
                .map(|(i, _)| s.muxer.stream_stats(i).objects)
                .sum()
        };
        self.last_summary = Some(WriteSummary {
            file_size: sum.file_size,
            packets: sum.packets,
            packet_size: sum.packet_size,
            play_duration: sum.play_duration,
            preroll_ms: s.preroll_ms as u64,
            objects: objects(false),
            seekable: sum.seekable,
            video_frames: objects(true),
        });
        Ok(())
    }
}

/// Hand an encoder's units for stream `idx` to the muxer (`ext`: the stream's
/// extension bytes, from the sample that produced them).
fn mux_units(muxer: &mut AsfMuxer, idx: usize, ext: &[u8], units: Vec<EncodedUnit>) -> Result<()> {
    for u in units {
        let obj = MediaObject { time: u.time, duration: u.duration, key: u.key_frame, ext: ext.to_vec(), payload: Payload::Bytes(u.data) };
        muxer.push(idx, obj)?;
    }
    Ok(())
}

/// The profile's mutual exclusions, stream prioritization and bandwidth sharing as
/// header objects: (header level, Header Extension). See [`streams::group_objects`].
fn group_objects(profile: &ProfileData) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    streams::group_objects(profile)
}

/// The file's Language List: the profile's `IWMLanguageList` languages in their order
/// when it has any, else "en-us" (index 0, the default); then every other stream
/// language in profile order. Attribute and stream language indices refer to this list.
pub fn language_list(profile: &ProfileData) -> Vec<String> {
    let mut list = if profile.languages.is_empty() { vec!["en-us".to_string()] } else { profile.languages.clone() };
    for s in &profile.streams {
        if !s.language.is_empty() && !list.iter().any(|l| l.eq_ignore_ascii_case(&s.language)) {
            list.push(s.language.clone());
        }
    }
    list
}

fn display_name(connection: &str, number: u16) -> String {
    if connection.is_empty() {
        format!("stream {number}")
    } else {
        format!("\"{connection}\", stream {number}")
    }
}

/// The longest stretch of media (ms) a default-size packet holds when the writer does
/// not work in real time (see [`default_packet_size`]).
pub const DENSE_PACKET_MS: u64 = 1000;
/// The largest default packet size.
pub const DENSE_PACKET_MAX: u32 = 16_384;

/// Packet size the writer picks when the profile sets none.
///
/// The SDK's rule, kept for **real-time** writing (`real_time`: a live source, or a
/// network or push sink, [`Writer::is_real_time`]; a packet waits until it is full,
/// so in real time its duration is latency) and for profiles with a **compressed** audio or video
/// stream (encoded audio objects are never split into a used packet, so a large packet
/// would pad out the rest; and a compressed stream's declared bit rate is a target, not
/// its data rate): about ten packets a second for low bit rates, 1440 bytes up to
/// 350 kbps, then about 1/40 s of data per packet (rounded up to 512, at most 16 KiB).
///
/// Otherwise — file and callback sinks fed from a non-live source, audio and video all
/// uncompressed (PCM, raw video; script streams may join), so the bit rate is the data
/// rate — packets are **dense**: up to [`DENSE_PACKET_MS`] of data and at most a third
/// of the preroll (`preroll_ms`; the leaky bucket of rate × buffer window then always
/// holds three packets, and a packet sent at its first object's time has arrived, at
/// the declared rate, two thirds of the preroll before that object is presented),
/// rounded down to 512, at most [`DENSE_PACKET_MAX`], never smaller than the SDK's
/// size. The 14-byte packet header
/// and the room lost where a packet ends (padding, or a second payload header for the
/// object split there) then weigh about 0.2–0.6 % instead of 1–3 %. The price falls on
/// objects shorter than 1 ms: they cannot share a compressed payload, at most 63
/// payloads fit a packet, and the rest of a large packet is padding.
///
/// In both cases a packet holds at least one whole audio block with its headers.
pub fn default_packet_size(total_bitrate: u64, plans: &[StreamPlan], preroll_ms: u32, real_time: bool) -> u32 {
    let bytes_per_sec = total_bitrate / 8;
    let mut size = if total_bitrate < 100_000 {
        (bytes_per_sec / 10).clamp(400, 1440) as u32
    } else if total_bitrate <= 350_000 {
        1440
    } else {
        // ~ 1/40 s of data per packet, rounded up to 512, at most 16 KiB.
        (((bytes_per_sec / 40) as u32).div_ceil(512) * 512).clamp(1440, 16_384)
    };
    let uncompressed = |p: &StreamPlan| match p.role {
        StreamRole::Audio => p.pcm,
        StreamRole::Video => p.frame_size.is_some(),
        StreamRole::Sparse => true,
    };
    let media = plans.iter().filter(|p| p.role != StreamRole::Sparse).count();
    if !real_time && media > 0 && plans.iter().all(uncompressed) {
        let ms = DENSE_PACKET_MS.min(preroll_ms as u64 / 3);
        let dense = (bytes_per_sec * ms / 1000).min(DENSE_PACKET_MAX as u64) as u32 / 512 * 512;
        size = size.max(dense);
    }
    let max_block = plans.iter().map(|p| p.block_align as u32).max().unwrap_or(0);
    let min_needed = 14 + 17 + max_block;
    if size < min_needed {
        size = min_needed.min(crate::asf::packet::MAX_PACKET_SIZE);
    }
    size
}

fn new_file_id() -> Guid {
    // A random (version 4) GUID. std's RandomState is seeded from the operating system's
    // randomness on every platform; two fresh ones give 128 bits.
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(i as u64);
        h.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0));
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[7] = (bytes[7] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    Guid::from_bytes(&bytes)
}

/// Now as a FILETIME (100 ns since 1601-01-01 UTC).
pub fn filetime_now() -> u64 {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    (d.as_secs() + 11_644_473_600) * 10_000_000 + d.subsec_nanos() as u64 / 100
}

#[cfg(test)]
mod mux_tests;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
