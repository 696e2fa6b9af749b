//! `wmwrite`: write ASF files with wmwriter from the command line.
//!
//! Subcommands: `demo` (synthesized A/V), `wav` (WAV → PCM or encoded WMA), `y4m`
//! (YUV4MPEG2 → uncompressed or encoded WMV, optionally with a WAV), `prx` (emit a profile), `info` (walk an ASF
//! header), `index` (add the index to an ASF file in place), `profiles` (system
//! profiles and codec formats). Exit codes: 0 success, 1 failure, 2 usage error, 130
//! interrupted.

mod error;
mod index;
mod info;
mod output;
mod profiles;
mod progress;
mod prx;
mod serve;
mod wav;
mod write;
mod y4m;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::error::{CliError, Result};
use crate::write::{PatternSource, Source, ToneSource, WavSource, Y4mSource};

const EXAMPLES: &str = "\
Examples:
  wmwrite demo out.wmv                        10 s tone + moving test pattern (A/V)
  wmwrite demo out.wma                        10 s tone only
  wmwrite wav in.wav out.wma --title \"Song\"   a WAV file as a PCM stream
  wmwrite y4m in.y4m --audio in.wav out.wmv   raw video (+ audio) from YUV4MPEG2
  wmwrite y4m in.y4m out.wmv --codec wmv2     WMV8 video (also --profile V80_256Video)
  wmwrite prx out.prx --audio 44100:2:16 --video 320x240@25
  wmwrite info out.wmv --json                 the header objects, streams and tags
  wmwrite index clip.wmv                      add the seek index to an ASF file, in place

Errors print as `wmwrite: error: <what> (<HRESULT name>)`, warnings as `wmwrite: warning: ...`.
Exit status: 0 success (also when a reader closes stdout early, as `| head`), 1 failure,
2 usage error, 130 interrupted (SIGINT/SIGTERM/SIGHUP).
Outputs are written under a temporary name beside the target and renamed into place when
complete: a failed or interrupted run leaves the previous file (if any) as it was, and an
output that is one of the inputs (same path, hard or symbolic link) is refused.
`wmwrite index` changes its FILE in place (as the SDK's indexer does); a failed or
interrupted run leaves it byte-identical.
A progress bar appears on stderr for jobs longer than a second, unless stderr is not a
terminal or WMWRITE_NO_PROGRESS is set.";

#[derive(Parser, Debug)]
#[command(
    name = "wmwrite",
    version,
    about = "Write ASF (WMA/WMV) files with wmwriter, emit PRX profiles, inspect ASF headers",
    after_help = EXAMPLES,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Write a synthesized demo: a stereo tone (44.1 kHz 16-bit PCM) and, unless the
    /// output ends in .wma, a moving I420 320x240 25 fps test pattern.
    #[command(after_help = "\
Examples:
  wmwrite demo out.wmv                 10 s of A/V: audio stream 1, video stream 2
  wmwrite demo out.wma                 10 s of audio only (chosen by the .wma extension)
  wmwrite demo clip.wmv --duration 2.5 --title \"Test\" --author \"Me\"")]
    Demo(DemoArgs),
    /// Write a WAV file (integer PCM, any channels/rate, WAVE_FORMAT_EXTENSIBLE too) as a
    /// PCM stream in ~100 ms samples (the samples are stored bit-exact), or encoded
    /// (--codec, or --profile for a system profile's audio stream).
    #[command(after_help = "\
Examples:
  wmwrite wav in.wav out.wma
  wmwrite wav in.wav out.wma --title \"Song\" --author \"Band\"
  wmwrite wav in.wav out.wma --codec wmav2 --bitrate 64k
  wmwrite wav in.wav out.wma --profile V80_128StereoAudio   (a system profile's audio stream)
  ffmpeg -i out.wma -f s16le - | cmp - <(ffmpeg -i in.wav -f s16le -)   # same samples")]
    Wav(WavArgs),
    /// Write a YUV4MPEG2 file as uncompressed video (4:2:0 → I420, 4:2:2 → YUY2, every
    /// frame a key frame) or encoded (--codec, --profile), optionally with a WAV file's
    /// audio interleaved by time.
    #[command(after_help = "\
Examples:
  ffmpeg -f lavfi -i testsrc=size=160x120:rate=25 -t 2 -pix_fmt yuv420p x.y4m
  wmwrite y4m x.y4m out.wmv
  wmwrite y4m x.y4m --audio x.wav out.wmv --title \"Test\"
  wmwrite y4m x.y4m out.wmv --codec wmv2 --bitrate 500k
  wmwrite y4m x.y4m --audio x.wav out.wmv --codec wmv2 --audio-codec wmav2 --audio-bitrate 64k
  wmwrite y4m x.y4m --audio x.wav out.wmv --profile V80_256Video
  wmwrite y4m interlaced.y4m out.wmv --codec wmv2 --deinterlace

Encoding needs libavcodec (loaded at run time); without it the run fails before writing
anything with NS_E_VIDEO_CODEC_NOT_INSTALLED. A --profile whose streams do not match the
inputs (an audio stream without --audio, an audio input for a video-only profile) fails
with NS_E_INVALIDPROFILE.")]
    Y4m(Y4mArgs),
    /// Write a PRX profile (the XML of IWMProfileManager::SaveProfile) for PCM audio
    /// and/or video of the given shape.
    #[command(after_help = "\
Examples:
  wmwrite prx av.prx --audio 44100:2:16 --video 320x240@25
  wmwrite prx ntsc.prx --video 720x480@30000/1001:YUY2
  wmwrite prx wmv3.prx --video 640x480@29.97:WMV3 --video-bitrate 800000   (passthrough)
  wmwrite prx - --audio 48000:6:24                                          (to stdout)")]
    Prx(PrxArgs),
    /// Show an ASF file's header: every header object (and the Header Extension's
    /// children), streams, tags, duration, preroll, packets, flags and index objects.
    #[command(after_help = "\
Examples:
  wmwrite info out.wmv
  wmwrite info out.wmv --json | jq .streams
  wmwrite info out.wmv --packets             also parse every data packet")]
    Info(InfoArgs),
    /// Add the index to an ASF file in place (IWMIndexer's default): a Simple Index
    /// Object per video stream (1 s interval: the packet of the key frame at or before
    /// each second), an old index replaced, File Properties' size and seekable flag
    /// updated. Files written with auto-indexing off, or by other muxers (ffmpeg -f asf).
    #[command(after_help = "\
Examples:
  wmwrite index clip.wmv                      then: ffmpeg -ss 2 -i clip.wmv ... seeks by the index
  wmwrite index clip.wmv --frames 10          also a frame-number index, every 10th frame
  ffmpeg -i in.mp4 -c:v wmv2 -f asf x.asf && wmwrite index x.asf

Exit status: 0 indexed, 1 failure (the file is left byte-identical: NS_E_FILE_NOT_FOUND,
NS_E_INVALID_DATA not an ASF file with fixed-size packets, NS_E_FILE_WRITE, ...), 2 usage
error, 130 interrupted (the file is left byte-identical).")]
    Index(IndexArgs),
    /// List the SDK's system profiles (versions 4.0, 7.0, 8.0: ID, GUID, name, streams)
    /// and the codec formats this machine can encode; or print one profile as PRX.
    #[command(after_help = "\
Examples:
  wmwrite profiles                        every system profile and codec format
  wmwrite profiles --sdk-version 8        the 27 version-8.0 profiles
  wmwrite profiles --codecs               only the codec formats
  wmwrite profiles --prx V80_256Video     one system profile as PRX XML
  wmwrite profiles --json")]
    Profiles(ProfilesArgs),
    /// Broadcast a WAV or Y4M file (or, without INPUT, a tone + test pattern) live in
    /// real time through the network sink (HTTP / MMSH server); prints the URL.
    #[command(after_help = "\
Examples:
  wmwrite serve in.wav --port 8080          then: ffmpeg -i mmsh://127.0.0.1:8080/ -c copy out.asf
  wmwrite serve --loop                      the test source, forever
  wmwrite serve x.y4m --max-clients 50 --bind 0.0.0.0")]
    Serve(ServeArgs),
    /// Repair a truncated ASF file (a writer killed mid-write, a copy cut short) into a
    /// new file: the header and every whole data packet, with sizes, counts and
    /// durations that describe them; a torn last packet is dropped; no index. IN is
    /// never written; OUT may not be IN (by any name: device and inode are compared).
    #[command(after_help = "\
Examples:
  wmwrite repair killed.wmv fixed.wmv
  wmwrite repair killed.wmv fixed.wmv --json")]
    Repair(RepairArgs),
}

#[derive(Args, Debug)]
struct RepairArgs {
    /// The damaged file.
    input: PathBuf,
    /// The repaired file to write.
    output: PathBuf,
    /// Print what was kept as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ProfilesArgs {
    /// Only the system profiles of this SDK version (4, 7 or 8; 9 has none).
    #[arg(long = "sdk-version", value_name = "N")]
    sdk_version: Option<u32>,
    /// Only the codec formats.
    #[arg(long)]
    codecs: bool,
    /// Print this system profile (e.g. V80_256Video) as PRX XML instead.
    #[arg(long, value_name = "ID")]
    prx: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// A .wav or .y4m file; without it, a tone and a moving test pattern.
    input: Option<PathBuf>,
    /// Port to listen on (0 = any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Most clients at once (0..50).
    #[arg(long, default_value_t = 5)]
    max_clients: u32,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Start again at the end, forever.
    #[arg(long = "loop")]
    repeat: bool,
    /// Stop after this many seconds (0 = at the end of the input).
    #[arg(long, default_value_t = 0.0, value_parser = parse_seconds)]
    seconds: f64,
}

/// Header tags (Content Description).
#[derive(Args, Debug, Default)]
struct Tags {
    /// Title tag.
    #[arg(long)]
    title: Option<String>,
    /// Author tag.
    #[arg(long)]
    author: Option<String>,
    /// Copyright tag.
    #[arg(long)]
    copyright: Option<String>,
    /// Description tag.
    #[arg(long)]
    description: Option<String>,
}

impl Tags {
    fn list(&self, default_title: &str, default_author: &str) -> Vec<(&'static str, String)> {
        vec![
            ("Title", self.title.clone().unwrap_or_else(|| default_title.to_string())),
            ("Author", self.author.clone().unwrap_or_else(|| default_author.to_string())),
            ("Copyright", self.copyright.clone().unwrap_or_default()),
            ("Description", self.description.clone().unwrap_or_default()),
        ]
    }
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// Output file; a .wma extension writes audio only.
    output: PathBuf,
    /// Length in seconds.
    #[arg(long, default_value_t = 10.0, value_parser = parse_seconds, allow_negative_numbers = true)]
    duration: f64,
    #[command(flatten)]
    tags: Tags,
}

#[derive(Args, Debug)]
struct WavArgs {
    /// Input WAV file.
    input: PathBuf,
    /// Output file (.wma by convention).
    output: PathBuf,
    /// Encode with this codec: pcm (the default: stored as it is), wmalossless (built in),
    /// wmav2 or wmav1 (libavcodec when installed, else the built-in WMA v2 encoder), mp3.
    #[arg(long, default_value = "pcm", value_parser = ["pcm", "wmalossless", "wmav2", "wmav1", "mp3"])]
    codec: String,
    /// Bit rate for lossy codecs, e.g. 128k, 64000 (default 128k).
    #[arg(long, value_parser = parse_bitrate)]
    bitrate: Option<u32>,
    /// Write with this system profile's audio stream instead (an audio-only one such as
    /// V80_128StereoAudio; `wmwrite profiles` lists them): its codec, bit rate, sample
    /// rate and channels; the WAV is resampled and remixed to fit.
    #[arg(long, value_name = "ID", conflicts_with_all = ["codec", "bitrate"])]
    profile: Option<String>,
    /// Fail (instead of warning) when the data chunk is shorter than its header says.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    tags: Tags,
}

#[derive(Args, Debug)]
struct Y4mArgs {
    /// Input YUV4MPEG2 file.
    input: PathBuf,
    /// Output file (.wmv by convention).
    output: PathBuf,
    /// A WAV file to add as the audio stream.
    #[arg(long, value_name = "WAV")]
    audio: Option<PathBuf>,
    /// Encode the video with this codec: raw (the default: uncompressed I420/YUY2, every
    /// frame a key frame), wmv2 (Windows Media Video 8), wmv1 (7), msmpeg4v3 (MPEG-4 v3,
    /// MP43), mpeg4 (MP4S), h264; all through libavcodec, when it is installed.
    #[arg(long, default_value = "raw", value_parser = write::VIDEO_CODECS)]
    codec: String,
    /// Video bit rate for an encoded codec, e.g. 500k, 1M (default 1M).
    #[arg(long, value_parser = parse_bitrate)]
    bitrate: Option<u32>,
    /// Encode the --audio WAV with this codec (as `wmwrite wav --codec`): pcm (the
    /// default), wmalossless, wmav2, wmav1, mp3.
    #[arg(long, default_value = "pcm", requires = "audio", value_parser = ["pcm", "wmalossless", "wmav2", "wmav1", "mp3"])]
    audio_codec: String,
    /// Audio bit rate for a lossy --audio-codec (default 128k).
    #[arg(long, value_parser = parse_bitrate, requires = "audio")]
    audio_bitrate: Option<u32>,
    /// Write with this system profile's streams instead (e.g. V80_256Video; `wmwrite
    /// profiles` lists them): their codecs, bit rates and frame size (the video is
    /// scaled), at the input's frame rate; a profile with an audio stream needs --audio
    /// (resampled and remixed to fit), an audio-only one does not fit.
    #[arg(long, value_name = "ID", conflicts_with_all = ["codec", "bitrate", "audio_codec", "audio_bitrate"])]
    profile: Option<String>,
    /// Deinterlace the video before encoding (DeinterlaceMode = WM_DM_DEINTERLACE_NORMAL:
    /// lines combed by motion between the fields are interpolated from the top field);
    /// needs --codec or --profile.
    #[arg(long)]
    deinterlace: bool,
    /// Fail (instead of warning) when the audio and the video differ in length by more
    /// than a frame, or when the WAV's data chunk is shorter than its header says.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    tags: Tags,
}

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("streams").required(true).multiple(true).args(["audio", "video"]))]
struct PrxArgs {
    /// Output PRX file ("-" for stdout).
    output: PathBuf,
    /// A PCM audio stream: RATE:CHANNELS:BITS, e.g. 44100:2:16.
    #[arg(long, value_name = "RATE:CH:BITS", value_parser = prx::parse_audio)]
    audio: Option<prx::AudioSpec>,
    /// A video stream: WIDTHxHEIGHT@FPS[:FOURCC], FOURCC I420 (default), YUY2, UYVY,
    /// YV12, NV12, RGB24, ... or a compressed one such as WMV3 (written by passthrough).
    #[arg(long, value_name = "WxH@FPS[:FOURCC]", value_parser = prx::parse_video)]
    video: Option<prx::VideoSpec>,
    /// Bit rate of a compressed video stream (bit/s).
    #[arg(long, default_value_t = 500_000)]
    video_bitrate: u32,
    /// Profile name.
    #[arg(long, default_value = "wmwrite profile")]
    name: String,
}

#[derive(Args, Debug)]
struct IndexArgs {
    /// The ASF file (.asf, .wma, .wmv), changed in place.
    file: PathBuf,
    /// Also a frame-number index (Media Object Index Object, IWMIndexer2
    /// WMT_IT_FRAME_NUMBERS) every N frames of each video stream.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    frames: Option<u32>,
    /// Also a time-code index (Timecode Index Object, WMT_IT_TIMECODE) from the video
    /// stream's SMPTE time-code payload extensions (one index per stream: not with
    /// --frames).
    #[arg(long, conflicts_with = "frames")]
    timecode: bool,
}

#[derive(Args, Debug)]
struct InfoArgs {
    /// The ASF file (.asf, .wma, .wmv).
    file: PathBuf,
    /// Print JSON instead of the human summary.
    #[arg(long)]
    json: bool,
    /// Also parse every data packet (payloads, replicated data) and count the media
    /// objects per stream; a malformed packet is reported as a warning.
    #[arg(long)]
    packets: bool,
}

fn parse_seconds(s: &str) -> std::result::Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if v.is_nan() || v <= 0.0 {
        return Err(format!("the duration must be more than 0 seconds (got {s}); for example --duration 2.5"));
    }
    if v > 86_400.0 {
        return Err(format!("{s} s is more than the 86400 s (24 hours) a demo can last"));
    }
    Ok(v)
}

fn is_wma(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("wma"))
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo(a) => {
            let duration = (a.duration * 1e7).round() as u64;
            let mut sources: Vec<Box<dyn Source>> = Vec::new();
            let mut packet_size = None;
            if is_wma(&a.output) {
                let (packet, frames) = write::pcm_geometry(4, write::TONE_RATE);
                packet_size = Some(packet);
                sources.push(Box::new(ToneSource::new(duration, frames)));
            } else {
                sources.push(Box::new(ToneSource::new(duration, write::TONE_RATE / 10)));
                sources.push(Box::new(PatternSource::new(320, 240, 25, duration)));
            }
            let tags = a.tags.list("wmwrite demo", "wmwriter");
            write::write_file(&a.output, &[], sources, &tags, packet_size, None)?.print()?;
        }
        Command::Wav(a) => {
            let reader = wav::WavReader::open(&a.input)?;
            reader.check_length(a.strict)?;
            if reader.data_len == 0 {
                return Err(error::bad_input(&a.input, "the data chunk holds no samples"));
            }
            let f = reader.format;
            let tags = a.tags.list("", "");
            if let Some(id) = &a.profile {
                let def = profiles::system_profile(id)?;
                let sources: Vec<Box<dyn Source>> = vec![Box::new(WavSource::new(reader, 0))];
                write::write_file(&a.output, &[&a.input], sources, &tags, None, Some(def))?.print()?;
            } else if a.codec == "pcm" {
                let (packet, frames) = write::pcm_geometry(f.block_align, f.sample_rate);
                let sources: Vec<Box<dyn Source>> = vec![Box::new(WavSource::new(reader, frames))];
                write::write_file(&a.output, &[&a.input], sources, &tags, Some(packet), None)?.print()?;
            } else {
                let source = write::Encoded::new(Box::new(WavSource::new(reader, 0)), &a.codec, a.bitrate.unwrap_or(128_000))?;
                write::write_file(&a.output, &[&a.input], vec![Box::new(source)], &tags, None, None)?.print()?;
            }
        }
        Command::Y4m(a) => {
            let profile = a.profile.as_deref().map(profiles::system_profile).transpose()?;
            let video = y4m::Y4mReader::open(&a.input)?;
            let mut sources: Vec<Box<dyn Source>> = Vec::new();
            // In stream order (audio first), as `write_file` numbers them.
            let mut inputs: Vec<&Path> = Vec::new();
            if let Some(w) = &a.audio {
                let reader = wav::WavReader::open(w)?;
                reader.check_length(a.strict)?;
                let audio = WavSource::new(reader, 0);
                write::check_av_lengths(&audio, &video, a.strict)?;
                if a.audio_codec == "pcm" || profile.is_some() {
                    sources.push(Box::new(audio));
                } else {
                    let bitrate = a.audio_bitrate.unwrap_or(128_000);
                    sources.push(Box::new(write::Encoded::new(Box::new(audio), &a.audio_codec, bitrate)?));
                }
                inputs.push(w);
            }
            let encoded = a.codec != "raw" || profile.is_some();
            if a.deinterlace && !encoded {
                return Err(CliError::new(
                    "E_INVALIDARG",
                    "--deinterlace acts on video the library encodes: give --codec (e.g. wmv2) or --profile",
                ));
            }
            if encoded && !a.deinterlace && matches!(video.header.interlacing.as_str(), "t" | "b" | "m") {
                output::warn(&format!(
                    "{} says its frames are interlaced (I{}); --deinterlace removes the comb before encoding",
                    a.input.display(),
                    video.header.interlacing
                ));
            }
            let video = Box::new(Y4mSource::new(video).deinterlaced(a.deinterlace));
            if a.codec == "raw" || profile.is_some() {
                sources.push(video);
            } else {
                sources.push(Box::new(write::Encoded::video(video, &a.codec, a.bitrate.unwrap_or(1_000_000))?));
            }
            inputs.push(&a.input);
            let tags = a.tags.list("", "");
            write::write_file(&a.output, &inputs, sources, &tags, None, profile)?.print()?;
        }
        Command::Prx(a) => {
            let profile = prx::build_profile(&a.name, a.audio, a.video.as_ref(), a.video_bitrate)?;
            prx::save(&profile, &a.output)?;
            if a.output.as_os_str() != "-" {
                output::print(&format!("wrote {} ({}: {})\n", a.output.display(), profile.name, profile.description))?;
            }
        }
        Command::Serve(a) => serve::serve(&serve::ServeOptions {
            input: a.input,
            port: a.port,
            max_clients: a.max_clients,
            bind: a.bind,
            repeat: a.repeat,
            seconds: a.seconds,
        })?,
        Command::Index(a) => index::index(&a.file, a.frames, a.timecode)?,
        Command::Repair(a) => {
            let out = output::OutputFile::prepare(&a.output, &[&a.input])?;
            let bytes = std::fs::read(&a.input)
                .map_err(|e| CliError::new("NS_E_FILE_NOT_FOUND", format!("cannot read {}: {e}", a.input.display())))?;
            let (fixed, r) = wmwriter::repair::repair(&bytes)
                .map_err(|e| CliError::new("NS_E_INVALID_DATA", format!("{} cannot be repaired: {}", a.input.display(), e.0)))?;
            std::fs::write(out.temp(), &fixed)
                .map_err(|e| CliError::new("NS_E_FILE_WRITE", format!("cannot write {}: {e}", a.output.display())))?;
            out.commit()?;
            let text = if a.json {
                format!(
                    "{{\"input_bytes\":{},\"output_bytes\":{},\"claimed_packets\":{},\"packets\":{},\"dropped_bytes\":{},\"packet_size\":{}}}\n",
                    r.input_bytes, r.output_bytes, r.claimed_packets, r.packets, r.dropped_bytes, r.packet_size
                )
            } else {
                format!(
                    "{}: {} packets of {} bytes kept (the header claimed {}), {} bytes dropped; wrote {} ({} bytes, no index)\n",
                    a.input.display(),
                    r.packets,
                    r.packet_size,
                    r.claimed_packets,
                    r.dropped_bytes,
                    a.output.display(),
                    r.output_bytes
                )
            };
            output::print(&text)?;
        }
        Command::Info(a) => {
            let mut info = info::inspect(&a.file)?;
            if a.packets {
                info.check_packets(&a.file)?;
            }
            if a.json {
                let text =
                    serde_json::to_string_pretty(&info::to_json(&info)).map_err(|e| CliError::new("E_UNEXPECTED", format!("JSON: {e}")))?;
                output::print(&format!("{text}\n"))?;
            } else {
                output::print(&info::to_text(&info))?;
            }
        }
        Command::Profiles(a) => match a.prx {
            Some(id) => output::print(&profiles::prx_of(&id)?)?,
            None => profiles::list(&profiles::Options {
                version: a.sdk_version,
                codecs: a.codecs || a.sdk_version.is_none(),
                profiles_too: !a.codecs,
                json: a.json,
            })?,
        },
    }
    Ok(())
}

/// "128k", "1M", "64000" → bits per second.
fn parse_bitrate(v: &str) -> std::result::Result<u32, String> {
    let (num, mul) = match v.strip_suffix(['k', 'K']) {
        Some(n) => (n, 1000.0),
        None => match v.strip_suffix(['m', 'M']) {
            Some(n) => (n, 1_000_000.0),
            None => (v, 1.0),
        },
    };
    let x: f64 = num.parse().map_err(|_| format!("{v:?} is not a bit rate (e.g. 128k, 64000)"))?;
    let bps = x * mul;
    if !(8000.0..=10_000_000.0).contains(&bps) {
        return Err(format!("{v} is outside 8k..10M bit/s"));
    }
    Ok(bps as u32)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        // Help and version exit 0, usage errors 2 (clap's convention); a closed stdout
        // or stderr is not worth a panic.
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    output::install_signal_cleanup();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_quiet() => ExitCode::SUCCESS,
        Err(CliError { message, hresult: "E_ABORT" }) => {
            let _ = writeln!(std::io::stderr(), "wmwrite: {message}");
            ExitCode::from(130)
        }
        Err(CliError { message, hresult }) => {
            let _ = writeln!(std::io::stderr(), "wmwrite: error: {message} ({hresult})");
            ExitCode::from(1)
        }
    }
}
