//! Writing an ASF file from sample sources through the wmwriter Rust API: one stream
//! per source, samples delivered in time order across sources (audio first on ties).

use std::path::{Path, PathBuf};

use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::{AttrValue, WriteSummary, Writer, SF_CLEANPOINT};

use wmwriter::codec::convert::AudioConverter;
use wmwriter::codec::convert_video::VideoConverter;
use wmwriter::profile::system::SystemProfileDef;

use crate::error::{hresult_name, CliError, Result};
use crate::output::{self, OutputFile};
use crate::progress::Progress;
use crate::wav::WavReader;
use crate::y4m::{Layout, Y4mReader};

/// `WMT_VER_9_0`.
const WMT_VER_9_0: u32 = 0x0009_0000;

/// One stream's samples.
pub trait Source {
    /// The stream's major type (`WMMEDIATYPE_Audio` / `_Video`).
    fn major_type(&self) -> wmwriter::guid::Guid;
    /// The stream's media type (for an encoded stream: the compressed target).
    fn media_type(&self) -> MediaType;
    /// The raw format `next` delivers (the media type, unless the stream is encoded).
    fn input_type(&self) -> MediaType {
        self.media_type()
    }
    /// Input settings (`set_input_setting`) for the stream's input.
    fn input_settings(&self) -> Vec<(&'static str, AttrValue)> {
        Vec::new()
    }
    /// Bits per second.
    fn bitrate(&self) -> u32;
    /// A one-line description ("PCM 44100 Hz 2 ch 16-bit").
    fn describe(&self) -> String;
    /// Expected length (100 ns), for progress.
    fn duration_hint(&self) -> u64;
    /// Length of what was delivered so far (100 ns): the end of the last sample.
    fn written(&self) -> u64;
    /// Put the next sample into `buf`; returns its time (100 ns) and `WM_SF_*` flags, or
    /// `None` after the last one.
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<(u64, u32)>>;
}

/// What was written.
#[derive(Debug)]
pub struct Report {
    /// The output file.
    pub path: PathBuf,
    /// The writer's summary.
    pub summary: WriteSummary,
    /// One line per stream.
    pub streams: Vec<String>,
}

impl Report {
    /// Print the human summary to stdout.
    pub fn print(&self) -> Result<()> {
        let s = &self.summary;
        let duration = s.play_duration.saturating_sub(s.preroll_ms * 10_000) as f64 / 1e7;
        let mut t = format!("wrote {}\n", self.path.display());
        t += &format!("  size:     {} bytes\n", s.file_size);
        t += &format!("  streams:  {}\n", self.streams.len());
        for (i, d) in self.streams.iter().enumerate() {
            t += &format!("    #{}: {d}\n", i + 1);
        }
        t += &format!("  duration: {duration:.3} s (preroll {} ms)\n", s.preroll_ms);
        t += &format!("  packets:  {} x {} bytes\n", s.packets, s.packet_size);
        output::print(&t)
    }
}

/// Packet size and frames per sample for a PCM stream of `block_align`-byte frames at
/// `rate` Hz written alone, so that the container costs at most ~1 %: every sample fills
/// a whole number of packets exactly (one payload of `packet - 31` bytes each: 14 bytes
/// of packet header and a 17-byte payload header), so no packet is padded but the last,
/// and packets are 4000..=16384 bytes (about 50 ms of data each, at most 31 / 4000 =
/// 0.8 % overhead; small enough that the padded last packet costs little). Samples last
/// about 100 ms (at least one packet).
pub fn pcm_geometry(block_align: u16, rate: u32) -> (u32, u32) {
    let b = block_align.max(1) as u64;
    let bytes_per_sec = rate as u64 * b;
    let target = (bytes_per_sec / 20).clamp(4000, 16_384).max(b + 31);
    let per_packet = ((target - 31) / b).max(1); // frames
    let packet = (per_packet * b + 31).min(65_527); // the largest ASF packet the writer accepts
    let per_sample = (rate as u64 / 10).max(1);
    let packets = ((per_sample + per_packet / 2) / per_packet).max(1);
    (packet as u32, (packets * per_packet).min(u32::MAX as u64) as u32)
}

/// `y4m --audio`: the audio and the video should last the same; a difference of more
/// than a frame is a warning (the file holds both in full), or an error with `--strict`.
pub fn check_av_lengths(audio: &WavSource, video: &Y4mReader, strict: bool) -> Result<()> {
    let a = audio.duration_hint();
    let v = video.header.frame_time(video.frames_estimate);
    let frame = video.header.frame_time(1);
    if a.abs_diff(v) <= frame {
        return Ok(());
    }
    let (longer, shorter) = if a > v { ("audio", "video") } else { ("video", "audio") };
    let what = format!("the {longer} lasts {:.3} s but the {shorter} {:.3} s", a.max(v) as f64 / 1e7, a.min(v) as f64 / 1e7);
    if strict {
        return Err(CliError::new("NS_E_INVALID_DATA", format!("{what} (--strict); nothing was written")));
    }
    output::warn(&format!(
        "{what}; writing both in full: the file plays {:.3} s and the {shorter} ends at {:.3} s (--strict makes this an error)",
        a.max(v) as f64 / 1e7,
        a.min(v) as f64 / 1e7
    ));
    Ok(())
}

/// Write `sources` (stream numbers 1.. in order) to `path` with the given header tags
/// and packet size (`None`: the writer's default). `inputs` are the files the sources
/// read: `path` must not be one of them. The file is written under a temporary name
/// beside `path` and renamed onto it when complete; on failure only that temporary file
/// is removed.
///
/// With `profile` (a system profile), the streams are the profile's: each source feeds
/// the profile's stream of its type (the video at the source's frame rate), converted
/// to the input format the writer asks for (resampled, remixed, scaled).
pub fn write_file(
    path: &Path,
    inputs: &[&Path],
    sources: Vec<Box<dyn Source>>,
    tags: &[(&str, String)],
    packet_size: Option<u32>,
    profile: Option<&'static SystemProfileDef>,
) -> Result<Report> {
    let (profile_data, mut sources, labels) = match profile {
        None => (own_profile(&sources, packet_size)?, sources, None),
        Some(def) => {
            let (p, labels) = fit_profile(def, &sources, inputs)?;
            (p, sources, Some(labels))
        }
    };
    check_encoders(&profile_data)?;
    let mut writer = Writer::new();
    writer.set_profile(&profile_data)?;
    let slots = match &labels {
        None => {
            // The writer's input of each source, found by connection name.
            let mut slots = vec![u32::MAX; sources.len()];
            for n in 0..writer.input_count()? {
                let props = writer.input_props(n)?;
                if let Some(k) = (0..sources.len()).position(|k| props.connection_name == connection_name(&*sources[k], k)) {
                    slots[k] = n;
                }
            }
            slots
        }
        Some(_) => profile_inputs(&writer, &sources)?,
    };
    if let Some(k) = slots.iter().position(|&i| i == u32::MAX) {
        return Err(CliError::new("E_UNEXPECTED", format!("the writer has no input for stream {}", k + 1)));
    }
    // Each source in the format its input takes: video of an encoded stream as it is
    // when the writer takes it (it converts and scales itself, after deinterlacing),
    // anything else converted here to the input's default format.
    let mut adapted: Vec<Box<dyn Source>> = Vec::with_capacity(sources.len());
    for (k, src) in sources.drain(..).enumerate() {
        let mut want = writer.input_props(slots[k])?.media_type;
        let have = src.input_type();
        if have.video_info().is_some() && !same_raw(&have, &want) && writer.set_input_props(slots[k], Some(&have)).is_ok() {
            want = have;
        }
        for (name, value) in src.input_settings() {
            writer
                .set_input_setting(slots[k], name, value)
                .map_err(|e| CliError::from(e).context(format!("{} (input setting {name})", src.describe())))?;
        }
        let label = labels.as_ref().map(|l| l[k].clone());
        adapted.push(Adapted::wrap(src, &want, label)?);
    }
    let mut sources = adapted;
    for (name, value) in tags {
        if !value.is_empty() {
            writer.set_attribute(0, name, AttrValue::String(value.clone()))?;
        }
    }
    let out = OutputFile::prepare(path, inputs)?;
    let temp = out.temp().to_str().ok_or_else(|| CliError::new("NS_E_INVALID_NAME", format!("{} is not a UTF-8 path", path.display())))?;
    writer.set_output_filename(temp)?;
    writer.begin_writing().map_err(|e| begin_error(e, path))?;
    let result = pump(&mut writer, &mut sources, &slots);
    let end = writer.end_writing();
    if let Err(e) = result.and(end.map_err(CliError::from)) {
        drop(out);
        return Err(e.context(format!("writing {} (nothing was written: the partial file was removed)", path.display())));
    }
    let summary = writer.last_summary().cloned().ok_or_else(|| CliError::new("E_UNEXPECTED", "the writer gave no summary"))?;
    drop(writer);
    out.commit()?;
    let streams = sources.iter().map(|s| format!("{}, {:.3} s", s.describe(), s.written() as f64 / 1e7)).collect();
    Ok(Report { path: path.to_path_buf(), summary, streams })
}

fn connection_name(src: &dyn Source, k: usize) -> String {
    let kind = if src.major_type() == sdk::WMMEDIATYPE_AUDIO { "Audio" } else { "Video" };
    format!("{kind}{}", k + 1)
}

/// The profile of one stream per source, as the sources describe them.
fn own_profile(sources: &[Box<dyn Source>], packet_size: Option<u32>) -> Result<ProfileData> {
    let mut profile = ProfileData::new(WMT_VER_9_0);
    profile.name = "wmwrite".into();
    if let Some(p) = packet_size {
        profile.max_packet_size = p;
    }
    for (i, src) in sources.iter().enumerate() {
        let mut s = StreamConfigData::new(src.major_type(), i as u16 + 1);
        let kind = if src.major_type() == sdk::WMMEDIATYPE_AUDIO { "Audio" } else { "Video" };
        s.name = format!("{kind} Stream");
        s.connection_name = connection_name(&**src, i);
        s.bitrate = src.bitrate();
        s.media_type = Some(src.media_type());
        profile.add_stream(s)?;
    }
    Ok(profile)
}

fn kind_name(major: &wmwriter::guid::Guid) -> &'static str {
    if *major == sdk::WMMEDIATYPE_AUDIO {
        "audio"
    } else if *major == sdk::WMMEDIATYPE_VIDEO {
        "video"
    } else {
        "other"
    }
}

/// A system profile for these sources: every stream of the profile must get a source of
/// its type and every source a stream (`NS_E_INVALIDPROFILE` otherwise). Video streams
/// take the video source's frame rate (the codec, size and bit rate stay the
/// profile's). Returns the profile and one description line per source.
fn fit_profile(def: &'static SystemProfileDef, sources: &[Box<dyn Source>], inputs: &[&Path]) -> Result<(ProfileData, Vec<String>)> {
    let mut p = def.build();
    let id = &def.ident["WMProfile_".len()..];
    let has = |major: &wmwriter::guid::Guid| p.streams.iter().any(|s| s.stream_type == *major);
    for (k, src) in sources.iter().enumerate() {
        let major = src.major_type();
        if !has(&major) {
            let file = inputs.get(k).map(|f| f.display().to_string()).unwrap_or_else(|| "the input".into());
            let kinds: Vec<&str> = p.streams.iter().map(|s| kind_name(&s.stream_type)).collect();
            return Err(CliError::new(
                "NS_E_INVALIDPROFILE",
                format!(
                    "profile {id} has no {} stream for {file} (its streams: {}); pick another profile (`wmwrite profiles`)",
                    kind_name(&major),
                    kinds.join(", ")
                ),
            ));
        }
    }
    for s in &p.streams {
        if !sources.iter().any(|src| src.major_type() == s.stream_type) {
            let hint = if s.stream_type == sdk::WMMEDIATYPE_AUDIO {
                "give a WAV file with --audio, or pick a video-only profile"
            } else {
                "write video with `wmwrite y4m`, or pick an audio-only profile"
            };
            return Err(CliError::new(
                "NS_E_INVALIDPROFILE",
                format!(
                    "profile {id} has {} {} stream (#{}) but no {} input was given: {hint}",
                    if s.stream_type == sdk::WMMEDIATYPE_AUDIO { "an" } else { "a" },
                    kind_name(&s.stream_type),
                    s.number,
                    kind_name(&s.stream_type)
                ),
            ));
        }
    }
    let frame = sources.iter().find_map(|s| s.input_type().video_info().map(|v| v.avg_time_per_frame)).filter(|&t| t > 0);
    if let Some(t) = frame {
        for s in &mut p.streams {
            if let Some(mt) = s.media_type.as_mut().filter(|m| m.video_info().is_some()) {
                // WMVIDEOINFOHEADER.AvgTimePerFrame (after two RECTs and two DWORDs).
                mt.format[40..48].copy_from_slice(&t.to_le_bytes());
            }
        }
    }
    let labels = sources
        .iter()
        .map(|src| {
            let to: Vec<String> =
                p.streams.iter().filter(|s| s.stream_type == src.major_type()).map(crate::profiles::stream_summary).collect();
            format!("{} → {id} {}", src.describe(), to.join(" | "))
        })
        .collect();
    Ok((p, labels))
}

/// The writer's input (by major type) for each source of a system profile.
fn profile_inputs(writer: &Writer, sources: &[Box<dyn Source>]) -> Result<Vec<u32>> {
    let mut slots = vec![u32::MAX; sources.len()];
    for n in 0..writer.input_count()? {
        let major = writer.input_props(n)?.media_type.major_type;
        if let Some(k) = (0..sources.len()).find(|&k| slots[k] == u32::MAX && sources[k].major_type() == major) {
            slots[k] = n;
        }
    }
    Ok(slots)
}

/// Every compressed stream of `p` must have an encoder here: otherwise
/// `NS_E_VIDEO_CODEC_NOT_INSTALLED` / `NS_E_AUDIO_CODEC_NOT_INSTALLED` naming the codec
/// and why (libavcodec's load error), before any file is touched.
fn check_encoders(p: &ProfileData) -> Result<()> {
    use wmwriter::profile::{codec_info, media::raw_video_layout};
    for s in &p.streams {
        let Some(mt) = &s.media_type else { continue };
        let audio = mt.major_type == sdk::WMMEDIATYPE_AUDIO;
        let compressed = if audio { !mt.wave_format().is_some_and(|w| w.is_pcm()) } else { raw_video_layout(mt.subtype).is_none() };
        if !compressed || wmwriter::codec::can_encode(&mt.subtype) {
            continue;
        }
        let name = codec_info::CODECS.iter().find(|c| c.subtype == mt.subtype).map_or("this codec", |c| c.name);
        let why = match wmwriter::codec::lavc::load_error() {
            Some(e) => format!(": {e}"),
            None => " (libavcodec is loaded but has no encoder for it)".to_string(),
        };
        let hr = if audio { "NS_E_AUDIO_CODEC_NOT_INSTALLED" } else { "NS_E_VIDEO_CODEC_NOT_INSTALLED" };
        return Err(CliError::new(
            hr,
            format!(
                "stream {} ({}) needs an encoder for {name} that this machine does not have{why}; nothing was written (`wmwrite profiles --codecs` lists what can be encoded here)",
                s.number,
                crate::profiles::stream_summary(s).split_once(' ').map_or("", |x| x.1)
            ),
        ));
    }
    Ok(())
}

/// A `begin_writing` failure: a missing codec says which and what to do.
fn begin_error(e: wmwriter::error::Error, path: &Path) -> CliError {
    use wmwriter::error::ErrorKind;
    let mut c = CliError::from(e);
    if c.hresult == hresult_name(ErrorKind::VideoCodecNotInstalled) || c.hresult == hresult_name(ErrorKind::AudioCodecNotInstalled) {
        // The library's hint about passthrough is for API callers, not for this tool.
        if let Some(i) = c.message.find("; passthrough") {
            c.message.truncate(i);
        }
        c.message += " (`wmwrite profiles --codecs` lists the formats this machine can encode)";
    }
    c.context(format!("cannot write {} (nothing was written)", path.display()))
}

fn pump(writer: &mut Writer, sources: &mut [Box<dyn Source>], inputs: &[u32]) -> Result<()> {
    let total_ms = sources.iter().map(|s| s.duration_hint()).max().unwrap_or(0) / 10_000;
    let mut progress = Progress::new(total_ms, "writing");
    let mut bufs: Vec<Vec<u8>> = sources.iter().map(|_| Vec::new()).collect();
    let mut pending: Vec<Option<(u64, u32)>> = Vec::with_capacity(sources.len());
    for (s, b) in sources.iter_mut().zip(&mut bufs) {
        pending.push(s.next(b)?);
    }
    while let Some(k) = (0..sources.len()).filter(|&k| pending[k].is_some()).min_by_key(|&k| pending[k].map(|p| p.0)) {
        let (time, flags) = pending[k].expect("filtered");
        let data = &bufs[k];
        let buf = writer.allocate_sample(data.len() as u32)?;
        buf.copy_from(data)?;
        writer.write_sample(inputs[k], time, flags, &buf)?;
        progress.set(time / 10_000);
        pending[k] = sources[k].next(&mut bufs[k])?;
    }
    progress.finish();
    Ok(())
}

/// Samples of about this long (100 ns): 100 ms.
const AUDIO_CHUNK: u64 = 1_000_000;

fn pcm_describe(channels: u16, rate: u32, bits: u16) -> String {
    format!("audio: PCM {rate} Hz, {channels} ch, {bits}-bit")
}

/// PCM audio from a WAV file, in ~100 ms samples of whole frames.
pub struct WavSource {
    reader: WavReader,
    frames_done: u64,
    frames_per_sample: u32,
}

impl WavSource {
    /// Wrap an open WAV file; samples of `frames_per_sample` frames (0: about 100 ms).
    pub fn new(reader: WavReader, frames_per_sample: u32) -> Self {
        let f = reader.format;
        let frames_per_sample =
            if frames_per_sample == 0 { (f.sample_rate as u64 * AUDIO_CHUNK / 10_000_000).max(1) as u32 } else { frames_per_sample };
        WavSource { reader, frames_done: 0, frames_per_sample }
    }
}

impl Source for WavSource {
    fn major_type(&self) -> wmwriter::guid::Guid {
        sdk::WMMEDIATYPE_AUDIO
    }
    fn media_type(&self) -> MediaType {
        let f = self.reader.format;
        MediaType::pcm(f.channels, f.sample_rate, f.bits)
    }
    fn bitrate(&self) -> u32 {
        let f = self.reader.format;
        (f.sample_rate as u64 * f.block_align as u64 * 8).min(u32::MAX as u64) as u32
    }
    fn describe(&self) -> String {
        let f = self.reader.format;
        pcm_describe(f.channels, f.sample_rate, f.bits)
    }
    fn duration_hint(&self) -> u64 {
        let f = self.reader.format;
        let frames = self.reader.data_len / f.block_align as u64;
        (frames as u128 * 10_000_000 / f.sample_rate as u128) as u64
    }
    fn written(&self) -> u64 {
        (self.frames_done as u128 * 10_000_000 / self.reader.format.sample_rate as u128) as u64
    }
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<(u64, u32)>> {
        let f = self.reader.format;
        let n = self.reader.read_frames(self.frames_per_sample, buf)?;
        if n == 0 {
            return Ok(None);
        }
        let time = (self.frames_done as u128 * 10_000_000 / f.sample_rate as u128) as u64;
        self.frames_done += (n / f.block_align as usize) as u64;
        Ok(Some((time, 0)))
    }
}

/// Raw video frames from a Y4M file, every one a key frame.
pub struct Y4mSource {
    reader: Y4mReader,
    index: u64,
    deinterlace: bool,
}

impl Y4mSource {
    /// Wrap an open Y4M file.
    pub fn new(reader: Y4mReader) -> Self {
        Y4mSource { reader, index: 0, deinterlace: false }
    }

    /// Ask the encoder to deinterlace (`DeinterlaceMode` = `WM_DM_DEINTERLACE_NORMAL`).
    pub fn deinterlaced(mut self, on: bool) -> Self {
        self.deinterlace = on;
        self
    }

    fn subtype(&self) -> wmwriter::guid::Guid {
        match self.reader.header.layout {
            Layout::I420 => sdk::WMMEDIASUBTYPE_I420,
            Layout::Yuy2 => sdk::WMMEDIASUBTYPE_YUY2,
        }
    }
}

/// 100-ns frame duration for a frame rate, rounded.
pub fn frame_duration(num: u32, den: u32) -> i64 {
    ((10_000_000u64 * den as u64 + num as u64 / 2) / num as u64) as i64
}

fn raw_bitrate(frame_bytes: usize, num: u32, den: u32) -> u32 {
    (frame_bytes as u128 * 8 * num as u128 / den as u128).min(u32::MAX as u128) as u32
}

impl Source for Y4mSource {
    fn major_type(&self) -> wmwriter::guid::Guid {
        sdk::WMMEDIATYPE_VIDEO
    }
    fn media_type(&self) -> MediaType {
        let h = &self.reader.header;
        MediaType::raw_video(self.subtype(), h.width as i32, h.height as i32, frame_duration(h.fps_num, h.fps_den))
    }
    fn bitrate(&self) -> u32 {
        let h = &self.reader.header;
        raw_bitrate(h.output_frame_bytes(), h.fps_num, h.fps_den)
    }
    fn describe(&self) -> String {
        let h = &self.reader.header;
        let fcc = if h.layout == Layout::I420 { "I420" } else { "YUY2" };
        format!("video: {fcc} {}x{} @ {}/{} fps (Y4M C{})", h.width, h.height, h.fps_num, h.fps_den, h.colorspace)
    }
    fn duration_hint(&self) -> u64 {
        self.reader.header.frame_time(self.reader.frames_estimate)
    }
    fn input_settings(&self) -> Vec<(&'static str, AttrValue)> {
        if !self.deinterlace {
            return Vec::new();
        }
        // WM_DM_DEINTERLACE_NORMAL.
        vec![("DeinterlaceMode", AttrValue::Raw(wmwriter::writer::AttrType::Dword, 1u32.to_le_bytes().to_vec()))]
    }
    fn written(&self) -> u64 {
        self.reader.header.frame_time(self.index)
    }
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<(u64, u32)>> {
        if !self.reader.next_frame(buf)? {
            return Ok(None);
        }
        let t = self.reader.header.frame_time(self.index);
        self.index += 1;
        Ok(Some((t, SF_CLEANPOINT)))
    }
}

/// A stereo tone in samples of a chosen length: 440 Hz left, 660 Hz right, 16-bit 44.1 kHz.
pub struct ToneSource {
    duration: u64,
    frames_done: u64,
    frames_per_sample: u32,
}

/// The demo tone's sample rate.
pub const TONE_RATE: u32 = 44_100;

impl ToneSource {
    /// A tone of `duration` (100 ns) in samples of `frames_per_sample` frames.
    pub fn new(duration: u64, frames_per_sample: u32) -> Self {
        ToneSource { duration, frames_done: 0, frames_per_sample: frames_per_sample.max(1) }
    }
}

impl Source for ToneSource {
    fn major_type(&self) -> wmwriter::guid::Guid {
        sdk::WMMEDIATYPE_AUDIO
    }
    fn media_type(&self) -> MediaType {
        MediaType::pcm(2, TONE_RATE, 16)
    }
    fn bitrate(&self) -> u32 {
        TONE_RATE * 4 * 8
    }
    fn describe(&self) -> String {
        pcm_describe(2, TONE_RATE, 16) + " (440 Hz left, 660 Hz right)"
    }
    fn duration_hint(&self) -> u64 {
        self.duration
    }
    fn written(&self) -> u64 {
        (self.frames_done as u128 * 10_000_000 / TONE_RATE as u128) as u64
    }
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<(u64, u32)>> {
        let total = (self.duration as u128 * TONE_RATE as u128 / 10_000_000) as u64;
        let frames = (self.frames_per_sample as u64).min(total.saturating_sub(self.frames_done));
        if frames == 0 {
            return Ok(None);
        }
        buf.clear();
        for k in 0..frames {
            let t = (self.frames_done + k) as f64 / TONE_RATE as f64;
            let tau = 2.0 * std::f64::consts::PI * t;
            // A short fade in/out at 1 Hz makes the tone audibly "move" in time.
            let env = 0.25 + 0.05 * (tau * 0.5).cos();
            let left = (env * (tau * 440.0).sin() * 32767.0) as i16;
            let right = (env * (tau * 660.0).sin() * 32767.0) as i16;
            buf.extend_from_slice(&left.to_le_bytes());
            buf.extend_from_slice(&right.to_le_bytes());
        }
        let time = (self.frames_done as u128 * 10_000_000 / TONE_RATE as u128) as u64;
        self.frames_done += frames;
        Ok(Some((time, 0)))
    }
}

/// A moving I420 test pattern: scrolling colour bars with a bouncing white square and a
/// frame counter bar along the bottom. Every frame is a key frame.
pub struct PatternSource {
    width: usize,
    height: usize,
    fps: u32,
    frames: u64,
    index: u64,
}

impl PatternSource {
    /// `width`x`height` (even) at `fps` for `duration` (100 ns).
    pub fn new(width: usize, height: usize, fps: u32, duration: u64) -> Self {
        let frames = (duration as u128 * fps as u128 / 10_000_000) as u64;
        PatternSource { width, height, fps, frames, index: 0 }
    }
}

/// BT.601 studio-range YUV of an RGB colour.
fn yuv(r: f64, g: f64, b: f64) -> [u8; 3] {
    let y = 16.0 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0;
    let u = 128.0 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255.0;
    let v = 128.0 + (112.0 * r - 93.786 * g - 18.214 * b) / 255.0;
    [y.round() as u8, u.round() as u8, v.round() as u8]
}

impl Source for PatternSource {
    fn major_type(&self) -> wmwriter::guid::Guid {
        sdk::WMMEDIATYPE_VIDEO
    }
    fn media_type(&self) -> MediaType {
        MediaType::raw_video(sdk::WMMEDIASUBTYPE_I420, self.width as i32, self.height as i32, frame_duration(self.fps, 1))
    }
    fn bitrate(&self) -> u32 {
        raw_bitrate(self.width * self.height * 3 / 2, self.fps, 1)
    }
    fn describe(&self) -> String {
        format!("video: I420 {}x{} @ {} fps (moving test pattern, every frame a key frame)", self.width, self.height, self.fps)
    }
    fn duration_hint(&self) -> u64 {
        self.frames * 10_000_000 / self.fps as u64
    }
    fn written(&self) -> u64 {
        self.index * 10_000_000 / self.fps as u64
    }
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<(u64, u32)>> {
        if self.index >= self.frames {
            return Ok(None);
        }
        let i = self.index as usize;
        let (w, h) = (self.width, self.height);
        let bars: Vec<[u8; 3]> = [
            (255.0, 255.0, 255.0),
            (255.0, 255.0, 0.0),
            (0.0, 255.0, 255.0),
            (0.0, 255.0, 0.0),
            (255.0, 0.0, 255.0),
            (255.0, 0.0, 0.0),
            (0.0, 0.0, 255.0),
            (16.0, 16.0, 16.0),
        ]
        .iter()
        .map(|&(r, g, b)| yuv(r, g, b))
        .collect();
        let white = yuv(255.0, 255.0, 255.0);
        let side = (h / 6).max(2) & !1;
        let bounce = |pos: usize, span: usize| if (pos / span) % 2 == 0 { pos % span } else { span - pos % span };
        let (sx, sy) = (bounce(i * 5, w - side), bounce(i * 3, h - side));
        let shift = i * 4;
        let counter_w = (i * w / self.frames.max(1) as usize).min(w);
        let pixel = |x: usize, y: usize| -> [u8; 3] {
            if (sx..sx + side).contains(&x) && (sy..sy + side).contains(&y) {
                white
            } else if y >= h - 8 {
                if x < counter_w {
                    white
                } else {
                    bars[7]
                }
            } else {
                bars[((x + shift) % w) * 8 / w]
            }
        };
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        buf.clear();
        buf.resize(w * h + 2 * cw * ch, 0);
        let (yp, rest) = buf.split_at_mut(w * h);
        let (up, vp) = rest.split_at_mut(cw * ch);
        for y in 0..h {
            for x in 0..w {
                yp[y * w + x] = pixel(x, y)[0];
            }
        }
        for y in 0..ch {
            for x in 0..cw {
                let p = pixel(2 * x, 2 * y);
                up[y * cw + x] = p[1];
                vp[y * cw + x] = p[2];
            }
        }
        let t = self.index * 10_000_000 / self.fps as u64;
        self.index += 1;
        Ok(Some((t, SF_CLEANPOINT)))
    }
}

/// A raw source whose stream is encoded: the profile names `codec`'s format at the
/// source's rate and channels (audio) or size and frame rate (video); the writer's codec
/// layer encodes the raw samples it is given.
pub struct Encoded {
    inner: Box<dyn Source>,
    media_type: MediaType,
    bitrate: u32,
    name: String,
}

/// The video codecs `wmwrite y4m --codec` offers, with their subtypes (all encoded by
/// libavcodec through the library's codec layer).
pub const VIDEO_CODECS: [&str; 6] = ["raw", "wmv2", "wmv1", "msmpeg4v3", "mpeg4", "h264"];

fn video_subtype(codec: &str) -> Option<wmwriter::guid::Guid> {
    Some(match codec {
        "wmv2" => sdk::WMMEDIASUBTYPE_WMV2,
        "wmv1" => sdk::WMMEDIASUBTYPE_WMV1,
        "msmpeg4v3" => sdk::WMMEDIASUBTYPE_MP43,
        "mpeg4" => sdk::WMMEDIASUBTYPE_MP4S,
        "h264" => wmwriter::codec::lavc::SUBTYPE_H264,
        _ => return None,
    })
}

impl Encoded {
    /// `codec`: "wmalossless", "wmav2", "wmav1" or "mp3"; `bitrate` for the lossy ones.
    pub fn new(inner: Box<dyn Source>, codec: &str, bitrate: u32) -> Result<Encoded> {
        use wmwriter::profile::codec_info;
        let wfx = inner.media_type().wave_format().ok_or_else(|| CliError::new("E_INVALIDARG", "only audio can be encoded"))?;
        let (rate, ch, bits) = (wfx.samples_per_sec, wfx.channels, wfx.bits_per_sample);
        let (media_type, bitrate) = match codec {
            "wmalossless" => {
                let mt = codec_info::wma_lossless_format(rate, ch, bits);
                let br = mt.wave_format().map_or(0, |w| w.avg_bytes_per_sec * 8);
                (mt, br)
            }
            "wmav2" => (codec_info::wma_format(bitrate, rate, ch), bitrate),
            "wmav1" => (codec_info::wma1_format(bitrate, rate, ch), bitrate),
            "mp3" => (codec_info::mp3_format(bitrate, rate, ch), bitrate),
            other => {
                return Err(CliError::new("E_INVALIDARG", format!("unknown codec {other}: use pcm, wmalossless, wmav2, wmav1 or mp3")))
            }
        };
        Ok(Encoded { inner, media_type, bitrate, name: codec.to_string() })
    }

    /// `codec`: one of [`VIDEO_CODECS`] but "raw", at `bitrate` bit/s, the source's size
    /// and frame rate.
    pub fn video(inner: Box<dyn Source>, codec: &str, bitrate: u32) -> Result<Encoded> {
        let vi = inner.media_type().video_info().ok_or_else(|| CliError::new("E_INVALIDARG", "only video can be encoded as video"))?;
        let subtype = video_subtype(codec)
            .ok_or_else(|| CliError::new("E_INVALIDARG", format!("unknown video codec {codec}: use {}", VIDEO_CODECS.join(", "))))?;
        let media_type =
            wmwriter::profile::codec_info::video_format(subtype, vi.width, vi.height.saturating_abs(), vi.avg_time_per_frame, bitrate);
        Ok(Encoded { inner, media_type, bitrate, name: codec.to_string() })
    }
}

impl Source for Encoded {
    fn major_type(&self) -> wmwriter::guid::Guid {
        self.inner.major_type()
    }
    fn media_type(&self) -> MediaType {
        self.media_type.clone()
    }
    fn input_type(&self) -> MediaType {
        self.inner.media_type()
    }
    fn input_settings(&self) -> Vec<(&'static str, AttrValue)> {
        self.inner.input_settings()
    }
    fn bitrate(&self) -> u32 {
        self.bitrate
    }
    fn describe(&self) -> String {
        format!("{} encoded as {} ({} kbit/s)", self.inner.describe(), self.name, self.bitrate / 1000)
    }
    fn duration_hint(&self) -> u64 {
        self.inner.duration_hint()
    }
    fn written(&self) -> u64 {
        self.inner.written()
    }
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<(u64, u32)>> {
        self.inner.next(buf)
    }
}

/// Whether raw format `have` is what an input of format `want` takes.
fn same_raw(have: &MediaType, want: &MediaType) -> bool {
    if let (Some(a), Some(b)) = (have.wave_format(), want.wave_format()) {
        return (a.channels, a.samples_per_sec, a.bits_per_sample) == (b.channels, b.samples_per_sec, b.bits_per_sample);
    }
    if let (Some(a), Some(b)) = (have.video_info(), want.video_info()) {
        return have.subtype == want.subtype && a.width == b.width && a.height.unsigned_abs() == b.height.unsigned_abs();
    }
    have == want
}

enum Conv {
    Audio { conv: Box<AudioConverter>, rate: u32, channels: usize, bits: u16 },
    Video(VideoConverter),
}

/// A source converted to the input format the writer asks for: PCM resampled, remixed
/// and re-quantised (the library's converter), video to I420 at the stream's size
/// (libswscale through the library). A source already in that format is not wrapped.
pub struct Adapted {
    inner: Box<dyn Source>,
    conv: Option<Conv>,
    label: Option<String>,
    raw: Vec<u8>,
    pcm: Vec<i32>,
    frames_out: u64,
    ended: bool,
}

impl Adapted {
    /// `src` as input of format `want`; `label` replaces its description.
    pub fn wrap(src: Box<dyn Source>, want: &MediaType, label: Option<String>) -> Result<Box<dyn Source>> {
        let have = src.input_type();
        if same_raw(&have, want) {
            if label.is_none() {
                return Ok(src);
            }
            return Ok(Box::new(Adapted { inner: src, conv: None, label, raw: Vec::new(), pcm: Vec::new(), frames_out: 0, ended: false }));
        }
        let conv = if let (Some(h), Some(w)) = (have.wave_format(), want.wave_format().filter(|w| w.is_pcm())) {
            let conv = AudioConverter::new(&h, w.samples_per_sec, w.channels as usize)
                .map_err(|e| CliError::from(e).context("converting the audio to the stream's input format"))?;
            Conv::Audio { conv: Box::new(conv), rate: w.samples_per_sec, channels: w.channels as usize, bits: w.bits_per_sample }
        } else if let (Some(h), Some(w)) = (have.video_info(), want.video_info().filter(|_| want.subtype == sdk::WMMEDIASUBTYPE_I420)) {
            let conv = VideoConverter::new(have.subtype, &h, w.width.unsigned_abs() as usize, w.height.unsigned_abs() as usize)
                .map_err(|e| CliError::from(e).context(format!("converting the video to I420 {}x{}", w.width, w.height.unsigned_abs())))?;
            Conv::Video(conv)
        } else {
            return Err(CliError::new(
                "NS_E_INVALID_INPUT_FORMAT",
                format!("{} cannot be converted to the stream's input format", src.describe()),
            ));
        };
        Ok(Box::new(Adapted { inner: src, conv: Some(conv), label, raw: Vec::new(), pcm: Vec::new(), frames_out: 0, ended: false }))
    }
}

/// Left-justified i32 samples → little-endian PCM of `bits` (8 unsigned, 16, 24, 32).
fn pack_pcm(pcm: &[i32], bits: u16, out: &mut Vec<u8>) {
    out.clear();
    for &x in pcm {
        match bits {
            8 => out.push(((x >> 24) + 128) as u8),
            24 => out.extend_from_slice(&x.to_le_bytes()[1..]),
            32 => out.extend_from_slice(&x.to_le_bytes()),
            _ => out.extend_from_slice(&((x >> 16) as i16).to_le_bytes()),
        }
    }
}

impl Source for Adapted {
    fn major_type(&self) -> wmwriter::guid::Guid {
        self.inner.major_type()
    }
    fn media_type(&self) -> MediaType {
        self.inner.media_type()
    }
    fn bitrate(&self) -> u32 {
        self.inner.bitrate()
    }
    fn describe(&self) -> String {
        self.label.clone().unwrap_or_else(|| self.inner.describe())
    }
    fn duration_hint(&self) -> u64 {
        self.inner.duration_hint()
    }
    fn written(&self) -> u64 {
        match &self.conv {
            Some(Conv::Audio { rate, .. }) => (self.frames_out as u128 * 10_000_000 / *rate as u128) as u64,
            _ => self.inner.written(),
        }
    }
    fn next(&mut self, buf: &mut Vec<u8>) -> Result<Option<(u64, u32)>> {
        match &mut self.conv {
            None => self.inner.next(buf),
            Some(Conv::Video(c)) => {
                let Some(t) = self.inner.next(&mut self.raw)? else { return Ok(None) };
                c.convert(&self.raw, buf)?;
                Ok(Some(t))
            }
            Some(Conv::Audio { conv, rate, channels, bits }) => loop {
                if self.ended {
                    return Ok(None);
                }
                self.pcm.clear();
                if self.inner.next(&mut self.raw)?.is_some() {
                    conv.push(&self.raw, &mut self.pcm)?;
                } else {
                    conv.finish(&mut self.pcm)?;
                    self.ended = true;
                }
                let frames = (self.pcm.len() / *channels) as u64;
                if frames == 0 {
                    continue;
                }
                pack_pcm(&self.pcm, *bits, buf);
                let time = (self.frames_out as u128 * 10_000_000 / *rate as u128) as u64;
                self.frames_out += frames;
                return Ok(Some((time, 0)));
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcm_packing() {
        let mut out = Vec::new();
        pack_pcm(&[0x1234_5678, -0x8000_0000], 16, &mut out);
        assert_eq!(out, [0x34, 0x12, 0x00, 0x80]);
        pack_pcm(&[0x1234_5678], 24, &mut out);
        assert_eq!(out, [0x56, 0x34, 0x12]);
        pack_pcm(&[0, -0x8000_0000, 0x7F00_0000], 8, &mut out);
        assert_eq!(out, [128, 0, 255]);
    }
}
