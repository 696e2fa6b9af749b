//! The writer (`IWMWriter` + `IWMWriterAdvanced`): a state machine
//! Empty → Configured → Writing → Configured that validates every call, turns samples
//! into media objects, and drives interleaver → packetizer → sink.
#![forbid(unsafe_code)]

mod advanced;
mod header_info;
pub mod metadata;
mod streams;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::asf::header::{FileProperties, Header, FLAG_BROADCAST, FLAG_SEEKABLE};
use crate::asf::index::{SimpleIndexBuilder, DEFAULT_INTERVAL};
use crate::asf::packet::{ObjectInfo, Packetizer};
use crate::buffer::{BufferPool, SampleBuffer};
use crate::error::{Error, ErrorKind, Result};
use crate::guid::{sdk, Guid};
use crate::mux::Interleaver;
use crate::profile::{InputPropsData, MediaType, ProfileData};
use crate::sink::{FanOut, Sink, WriterSink};
use crate::{bail, err, Time100ns, TICKS_PER_MS};
pub use metadata::{AttrType, AttrValue, Attribute, Metadata};
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
}

/// A sample queued in the interleaver.
#[derive(Debug)]
struct Queued {
    /// Payload extension bytes (empty unless the stream declares data-unit extensions).
    ext: Vec<u8>,
    time: Time100ns,
    duration: Time100ns,
    key: bool,
    buffer: Arc<SampleBuffer>,
    length: usize,
}

/// Per-stream state while writing.
#[derive(Debug)]
struct StreamRun {
    plan: StreamPlan,
    next_object: u8,
    last_time: Option<Time100ns>,
    end_time: Time100ns,
    max_object: u32,
    bytes: u64,
    objects: u64,
    index: Option<SimpleIndexBuilder>,
    /// Samples and bytes accepted by write_sample / write_stream_sample (statistics).
    accepted_samples: u64,
    accepted_bytes: u64,
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
    sink: Box<dyn Sink>,
    header: Header,
    header_len: usize,
    packetizer: Packetizer,
    interleaver: Interleaver<Queued>,
    runs: Vec<StreamRun>,
    preroll_ms: u32,
    tolerance: Time100ns,
    emitted_time: Time100ns,
    /// The latest sample time accepted (`GetWriterTime`).
    newest_time: Time100ns,
    /// Marker times (100 ns, in order) and the byte offsets of their packets.
    marker_times: Vec<Time100ns>,
    marker_offsets: Vec<u64>,
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
        let mut inputs: Vec<Input> = Vec::new();
        for (i, s) in profile.streams.iter().enumerate() {
            let existing =
                if s.connection_name.is_empty() { None } else { inputs.iter_mut().find(|x| x.connection_name == s.connection_name) };
            match existing {
                Some(inp) => inp.streams.push(i),
                None => inputs.push(Input { connection_name: s.connection_name.clone(), streams: vec![i], format: None }),
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
    pub fn set_sink(&mut self, sink: Box<dyn Sink>) -> Result<()> {
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
                if !formats.iter().any(|f| streams::same_format(f, mt)) {
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

    /// `IWMWriter::BeginWriting`.
    pub fn begin_writing(&mut self) -> Result<()> {
        if self.state == State::Writing {
            bail!(InvalidRequest, "begin_writing: already writing (call end_writing first)");
        }
        let profile = self.configured("begin_writing")?.clone();
        for (i, inp) in self.inputs.iter().enumerate() {
            let s = &profile.streams[inp.streams[0]];
            if inp.format.is_some() && streams::is_passthrough_only(s) {
                let (kind, code) = if s.stream_type == sdk::WMMEDIATYPE_VIDEO {
                    ("a video", ErrorKind::VideoCodecNotInstalled)
                } else {
                    ("an audio", ErrorKind::AudioCodecNotInstalled)
                };
                return Err(Error::new(
                    code,
                    format!(
                        "begin_writing: input {i} ({}) needs {kind} encoder for {}; this library has no codecs: call set_input_props({i}, NULL) and write compressed samples with write_stream_sample",
                        display_name(&inp.connection_name, s.number),
                        s.media_type.as_ref().map(streams::describe).unwrap_or_default()
                    ),
                ));
            }
        }
        if self.sinks.is_empty() {
            bail!(NotConfigured, "begin_writing: no output (call set_output_filename or add_sink first)");
        }
        for (i, s) in self.sinks.iter().enumerate() {
            if let Err(e) = s.start() {
                self.sinks[..i].iter().for_each(|s| s.stop());
                return Err(Error::new(e.kind, format!("begin_writing: {}", e.message)));
            }
        }
        let sink: Box<dyn Sink> = Box::new(FanOut { sinks: self.sinks.clone() });
        let plans: Vec<StreamPlan> = profile.streams.iter().map(StreamPlan::new).collect();
        let preroll_ms = profile.streams.iter().map(|s| s.effective_buffer_window()).max().unwrap_or(0);
        let total_bitrate: u64 = profile.streams.iter().map(|s| s.bitrate as u64).sum();
        let packet_size = if profile.max_packet_size != 0 { profile.max_packet_size } else { default_packet_size(total_bitrate, &plans) };
        let mut header = Header {
            props: FileProperties {
                file_id: new_file_id(),
                file_size: 0,
                creation_date: filetime_now(),
                data_packets: 0,
                play_duration: 0,
                send_duration: 0,
                preroll_ms: preroll_ms as u64,
                flags: FLAG_BROADCAST,
                packet_size,
                max_bitrate: total_bitrate.clamp(1, u32::MAX as u64) as u32,
            },
            streams: Vec::new(),
            languages: Vec::new(),
            extra_objects: Vec::new(),
            extension_objects: Vec::new(),
            extra_codecs: Vec::new(),
            profile_objects: Vec::new(),
            profile_extension_objects: Vec::new(),
        };
        header.languages = language_list(&profile);
        for (s, plan) in profile.streams.iter().zip(&plans) {
            let lang_index = header.languages.iter().position(|l| l.eq_ignore_ascii_case(&s.language)).unwrap_or(0);
            header.streams.push(plan.header_stream(s, lang_index as u16));
        }
        let (top, ext) = self.metadata.objects(preroll_ms as u64, &[]);
        header.extra_objects = top;
        header.extension_objects = ext;
        header.extra_codecs = self.metadata.codec_entries();
        let (group_top, group_ext) = group_objects(&profile);
        header.profile_objects = group_top;
        header.profile_extension_objects = group_ext;
        let mut first = header.to_bytes();
        let header_len = first.len();
        first.extend_from_slice(&header.data_object_prefix());
        let mut sink = sink;
        if let Err(e) = sink.header(&first) {
            self.sinks.iter().for_each(|s| s.stop());
            bail!(FileWrite, "begin_writing: writing the header failed: {e}");
        }
        let wait_for = plans.iter().map(|p| p.role != StreamRole::Sparse).collect();
        let runs = plans
            .into_iter()
            .map(|plan| StreamRun {
                index: (plan.role == StreamRole::Video).then(|| SimpleIndexBuilder::new(plan.number)),
                plan,
                next_object: 0,
                last_time: None,
                end_time: 0,
                max_object: 0,
                bytes: 0,
                objects: 0,
                accepted_samples: 0,
                accepted_bytes: 0,
            })
            .collect();
        let tolerance = self.sync_tolerance_ms as u64 * TICKS_PER_MS;
        self.session = Some(Session {
            sink,
            header,
            header_len,
            packetizer: Packetizer::new(packet_size),
            interleaver: Interleaver::new(wait_for, tolerance.max(1)),
            runs,
            preroll_ms,
            tolerance,
            emitted_time: 0,
            newest_time: 0,
            marker_times: self.metadata.markers.iter().map(|m| m.time).collect(),
            marker_offsets: Vec::new(),
        });
        self.failure = None;
        self.state = State::Writing;
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
        let idx = inp.streams[0];
        self.queue_sample("write_sample", idx, time, None, flags, buffer)
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
        let session = self.session.as_mut().ok_or_else(|| err!(Unexpected, "{what}: no session"))?;
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
        if time + session.tolerance < session.emitted_time {
            bail!(
                LateOperation,
                "{what}: sample at {} ms on stream {n} is more than the sync tolerance ({} ms) behind what is already written ({} ms); deliver the inputs closer together in time",
                time / TICKS_PER_MS,
                session.tolerance / TICKS_PER_MS,
                session.emitted_time / TICKS_PER_MS
            );
        }
        if time / TICKS_PER_MS + session.preroll_ms as u64 > u32::MAX as u64 {
            bail!(InvalidArg, "{what}: sample time {} ms is past the ASF limit of 2^32 ms", time / TICKS_PER_MS);
        }
        run.plan.check_sample(length).map_err(|e| err!(InvalidData, "{what}: {}", e))?;
        let duration = duration.filter(|d| *d > 0).unwrap_or_else(|| run.plan.duration_of(length));
        // Audio, script and uncompressed video objects are all clean points.
        let key = run.plan.role != StreamRole::Video || run.plan.frame_size.is_some() || flags & SF_CLEANPOINT != 0;
        let ext = if run.plan.extensions.is_empty() {
            Vec::new()
        } else {
            run.plan.extension_bytes(buffer).map_err(|(kind, msg)| Error::new(kind, format!("{what}: {msg}")))?
        };
        buffer.mark_queued().map_err(|e| err!(InvalidArg, "{what}: {}", e.message))?;
        let run = &mut session.runs[idx];
        run.last_time = Some(time);
        run.accepted_samples += 1;
        run.accepted_bytes += length as u64;
        session.newest_time = session.newest_time.max(time);
        session.interleaver.push(idx, time, Queued { ext, time, duration, key, buffer: Arc::clone(buffer), length });
        let r = self.pump(false);
        self.check_failure(what, r)
    }

    fn check_failure(&mut self, what: &str, r: Result<()>) -> Result<()> {
        if let Err(e) = &r {
            if e.kind == ErrorKind::FileWrite {
                self.failure = Some(e.clone());
                return Err(Error::new(e.kind, format!("{what}: {}", e.message)));
            }
        }
        r
    }

    /// Move whatever the interleaver releases into packets.
    fn pump(&mut self, all: bool) -> Result<()> {
        let Some(s) = self.session.as_mut() else {
            return Ok(());
        };
        loop {
            let next = if all { s.interleaver.pop_any() } else { s.interleaver.pop_ready() };
            let Some((idx, _, q)) = next else {
                return Ok(());
            };
            let result = emit_object(s, idx, &q);
            q.buffer.unmark_queued();
            result?;
        }
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
        self.session = None;
        self.sinks.iter().for_each(|s| s.stop());
        self.state = State::Configured;
        let failure = self.failure.take();
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
        self.pump(true)?;
        let s = self.session.as_mut().ok_or_else(|| err!(Unexpected, "end_writing: no session"))?;
        let mut sink_err = None;
        let sink = &mut s.sink;
        s.packetizer.flush(&mut |b| sink.packets(b)).unwrap_or_else(|e| sink_err = Some(e));
        if let Some(e) = sink_err {
            bail!(FileWrite, "end_writing: writing data packets failed: {e}");
        }
        let packets = s.packetizer.packet_count();
        let packet_size = s.packetizer.packet_size() as u64;
        let content_end = s.runs.iter().map(|r| r.end_time).max().unwrap_or(0);
        let play_duration = s.preroll_ms as u64 * TICKS_PER_MS + content_end;
        let seekable_sink = s.sink.can_seek();
        let mut trailer = Vec::new();
        let mut all_indexed = true;
        if seekable_sink {
            for r in &s.runs {
                if let Some(ix) = &r.index {
                    if ix.is_empty() {
                        all_indexed = false;
                    } else {
                        trailer.extend_from_slice(&ix.to_bytes(&s.header.props.file_id, DEFAULT_INTERVAL, play_duration));
                    }
                }
            }
        }
        let data_size = packets * packet_size;
        let file_size = s.header_len as u64 + 50 + data_size + trailer.len() as u64;
        let secs = content_end.max(1) as f64 / 1e7;
        let measured = ((data_size as f64 * 8.0) / secs).ceil() as u64;
        {
            let h = &mut s.header;
            let p = &mut h.props;
            if seekable_sink {
                p.file_size = file_size;
                p.data_packets = packets;
                p.play_duration = play_duration;
                p.send_duration = content_end;
                p.flags = if all_indexed { FLAG_SEEKABLE } else { 0 };
                p.max_bitrate = (p.max_bitrate as u64).max(measured).clamp(1, u32::MAX as u64) as u32;
            }
            for (hs, r) in h.streams.iter_mut().zip(&s.runs) {
                hs.max_object_size = r.max_object;
                let stream_secs = r.end_time.max(1) as f64 / 1e7;
                let overhead = r.objects * (crate::asf::packet::PAYLOAD_HEADER_LEN as u64);
                hs.measured_bitrate = (((r.bytes + overhead) as f64 * 8.0) / stream_secs).ceil().min(u32::MAX as f64) as u32;
            }
        }
        while s.marker_offsets.len() < s.marker_times.len() {
            s.marker_offsets.push(data_size);
        }
        let (top, ext) = self.metadata.objects(s.preroll_ms as u64, &s.marker_offsets);
        s.header.extra_objects = top;
        s.header.extension_objects = ext;
        let mut final_header = s.header.to_bytes();
        if final_header.len() != s.header_len {
            bail!(
                Unexpected,
                "end_writing: internal error: the final header is {} bytes, the first was {}",
                final_header.len(),
                s.header_len
            );
        }
        final_header.extend_from_slice(&s.header.data_object_prefix());
        s.sink.end(&trailer, &final_header).map_err(|e| err!(FileWrite, "end_writing: finishing the file failed: {e}"))?;
        self.last_summary = Some(WriteSummary {
            file_size,
            packets,
            packet_size: packet_size as u32,
            play_duration,
            preroll_ms: s.preroll_ms as u64,
            objects: s.runs.iter().map(|r| r.objects).sum(),
            seekable: seekable_sink && all_indexed,
            video_frames: s.runs.iter().filter(|r| r.plan.role == StreamRole::Video).map(|r| r.objects).sum(),
        });
        Ok(())
    }
}

/// Put one released object into packets.
fn emit_object(s: &mut Session, idx: usize, q: &Queued) -> Result<()> {
    let run = &mut s.runs[idx];
    let pt_ms = (q.time / TICKS_PER_MS) as u32 + s.preroll_ms;
    let info = ObjectInfo {
        stream: run.plan.number as u8,
        object_number: run.next_object,
        presentation_ms: pt_ms,
        send_ms: (q.time / TICKS_PER_MS) as u32,
        key: q.key,
        keep_whole: run.plan.role == StreamRole::Audio,
        ext: &q.ext,
    };
    let sink = &mut s.sink;
    let mut sink_err = None;
    let placement = q
        .buffer
        .with_prefix(q.length, |data| s.packetizer.add_object(&info, data, &mut |b| sink.packets(b)).map_err(|e| sink_err = Some(e)).ok());
    if let Some(e) = sink_err {
        bail!(FileWrite, "writing data packets failed: {e}");
    }
    let placement = placement.ok_or_else(|| err!(Unexpected, "packetizer failed"))?;
    run.next_object = run.next_object.wrapping_add(1);
    run.end_time = run.end_time.max(q.time + q.duration);
    run.max_object = run.max_object.max(q.length as u32);
    run.bytes += q.length as u64;
    run.objects += 1;
    if q.key {
        if let Some(ix) = &mut run.index {
            ix.add_key_frame(pt_ms, placement.first_packet, placement.last_packet);
        }
    }
    s.emitted_time = s.emitted_time.max(q.time);
    while s.marker_offsets.len() < s.marker_times.len() && s.marker_times[s.marker_offsets.len()] <= q.time {
        s.marker_offsets.push(placement.first_packet * s.packetizer.packet_size() as u64);
    }
    Ok(())
}

/// The profile's mutual exclusions, stream prioritization and bandwidth sharing as
/// header objects: (header level, Header Extension).
fn group_objects(profile: &ProfileData) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    use crate::asf::header::{bandwidth_sharing, bitrate_mutual_exclusion, stream_prioritization};
    let top = profile.mutual_exclusions.iter().map(|m| bitrate_mutual_exclusion(&m.mutex_type, &m.streams.0)).collect();
    let mut ext: Vec<Vec<u8>> = Vec::new();
    if let Some(p) = &profile.stream_prioritization {
        ext.push(stream_prioritization(&p.records.iter().map(|r| (r.number, r.mandatory)).collect::<Vec<_>>()));
    }
    for b in &profile.bandwidth_sharings {
        ext.push(bandwidth_sharing(&b.sharing_type, b.bitrate, b.buffer_window, &b.streams.0));
    }
    (top, ext)
}

/// The file's Language List: "en-us" first (index 0, the default), then every other
/// stream language in profile order. Attribute language indices refer to this list.
pub fn language_list(profile: &ProfileData) -> Vec<String> {
    let mut list = vec!["en-us".to_string()];
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

/// Packet size the writer picks when the profile sets none: about ten packets a second
/// for low bit rates (SDK rule), 1440 bytes up to 350 kbps, larger packets for
/// high-rate (uncompressed) content so each packet carries at least one audio block.
pub fn default_packet_size(total_bitrate: u64, plans: &[StreamPlan]) -> u32 {
    let bytes_per_sec = total_bitrate / 8;
    let mut size = if total_bitrate < 100_000 {
        (bytes_per_sec / 10).clamp(400, 1440) as u32
    } else if total_bitrate <= 350_000 {
        1440
    } else {
        // ~ 1/40 s of data per packet, rounded up to 512, at most 16 KiB.
        (((bytes_per_sec / 40) as u32).div_ceil(512) * 512).clamp(1440, 16_384)
    };
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
mod proptests;
#[cfg(test)]
mod tests;
