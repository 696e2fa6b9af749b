//! The rest of `IWMWriterAdvanced` 1–3: live source, writer time, statistics, and the
//! named input settings of `IWMWriterAdvanced2`.
#![forbid(unsafe_code)]

use super::metadata::{AttrType, AttrValue};
use super::{State, Writer};
use crate::error::Result;
use crate::{bail, Time100ns, TICKS_PER_MS};

/// `WM_WRITER_STATISTICS` as plain data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Samples accepted.
    pub sample_count: u64,
    /// Bytes accepted.
    pub byte_count: u64,
    /// Samples dropped (always 0: the writer never drops).
    pub dropped_sample_count: u64,
    /// Bytes dropped (always 0).
    pub dropped_byte_count: u64,
    /// Bit rate over the samples so far (bit/s).
    pub current_bitrate: u32,
    /// Same as `current_bitrate`.
    pub average_bitrate: u32,
    /// The profile's bit rate (bit/s).
    pub expected_bitrate: u32,
    /// Samples per second so far.
    pub current_sample_rate: u32,
    /// Same as `current_sample_rate`.
    pub average_sample_rate: u32,
    /// Expected samples per second (video: frame rate; audio: 0 = unknown).
    pub expected_sample_rate: u32,
}

/// Settings `SetInputSetting` accepts, with their types; the bool says whether it may
/// change while writing.
const INPUT_SETTINGS: [(&str, AttrType, bool); 7] = [
    ("DeinterlaceMode", AttrType::Dword, true),
    ("InitialPatternForInverseTelecine", AttrType::Dword, true),
    ("InterlacedCoding", AttrType::Bool, true),
    ("JPEGCompressionQuality", AttrType::Dword, true),
    ("FixedFrameRate", AttrType::Bool, false),
    ("WatermarkCLSID", AttrType::Guid, false),
    ("WatermarkConfig", AttrType::String, false),
];

impl Writer {
    /// `SetLiveSource`.
    pub fn set_live_source(&mut self, live: bool) {
        self.live_source = live;
    }

    /// `IsRealTime`: whether the writer works in real time: a live source
    /// (`SetLiveSource`), or a sink that is real time (a network sink), as the SDK's
    /// writer asks each sink's `IWMWriterSink::IsRealTime`.
    pub fn is_real_time(&self) -> bool {
        self.live_source || self.sinks.iter().any(|s| s.is_real_time())
    }

    /// `GetWriterTime`: the latest sample time accepted in this session (100 ns).
    pub fn writer_time(&self) -> Time100ns {
        self.session.as_ref().map_or(0, |s| s.newest_time)
    }

    /// `GetStatistics` for stream `stream` (0 = the whole file).
    pub fn statistics(&self, stream: u16) -> Result<Statistics> {
        let Some(s) = &self.session else { return Ok(Statistics::default()) };
        let runs: Vec<_> = s.runs.iter().filter(|r| stream == 0 || r.plan.number == stream).collect();
        if runs.is_empty() {
            bail!(InvalidArg, "get_statistics: the profile has no stream {stream}");
        }
        let secs = (s.newest_time.max(TICKS_PER_MS) as f64) / 1e7;
        let samples: u64 = runs.iter().map(|r| r.accepted_samples).sum();
        let bytes: u64 = runs.iter().map(|r| r.accepted_bytes).sum();
        let expected: u64 = s.muxer.header().streams.iter().filter(|h| stream == 0 || h.number == stream).map(|h| h.bitrate as u64).sum();
        let fps: u64 = runs.iter().filter(|r| r.plan.avg_time_per_frame > 0).map(|r| 10_000_000 / r.plan.avg_time_per_frame).sum();
        let rate = ((samples as f64) / secs).round().min(u32::MAX as f64) as u32;
        let bitrate = ((bytes as f64 * 8.0) / secs).round().min(u32::MAX as f64) as u32;
        Ok(Statistics {
            sample_count: samples,
            byte_count: bytes,
            dropped_sample_count: 0,
            dropped_byte_count: 0,
            current_bitrate: bitrate,
            average_bitrate: bitrate,
            expected_bitrate: expected.min(u32::MAX as u64) as u32,
            current_sample_rate: rate,
            average_sample_rate: rate,
            expected_sample_rate: fps as u32,
        })
    }

    /// `GetStatisticsEx`: (bit rate including packet overhead, drops = 0); writing only.
    pub fn statistics_ex(&self, stream: u16) -> Result<u32> {
        if self.state != State::Writing {
            bail!(InvalidRequest, "get_statistics_ex: the writer is not running (call begin_writing first)");
        }
        let st = self.statistics(stream)?;
        let s = self.session.as_ref().map(|s| (s.muxer.packet_count(), s.muxer.packet_size() as u64, s.newest_time));
        Ok(match (stream, s) {
            (0, Some((packets, size, t))) if t > 0 => ((packets * size * 8) as f64 / (t as f64 / 1e7)).min(u32::MAX as f64) as u32,
            _ => st.average_bitrate,
        })
    }

    /// `SetInputSetting`. What each setting does here (the SDK's meanings are in the
    /// reference, §5.1; the effects are in the codec layer, `codec::video_input` and
    /// libavcodec's options):
    ///
    /// - `DeinterlaceMode` (video inputs of encoded streams): 0 none, 1
    ///   `WM_DM_DEINTERLACE_NORMAL` (comb-adaptive line interpolation before encoding;
    ///   0 ↔ 1 may change while writing, from the next sample on), 2
    ///   `WM_DM_DEINTERLACE_HALFSIZE` (the top field at half width and height: only when
    ///   every stream of the input is half the input's size; not while writing); 3, 4, 5
    ///   (double rate, inverse telecine) are not implemented: `InvalidRequest`; above 5:
    ///   `InvalidArg`.
    /// - `InterlacedCoding` TRUE: interlaced DCT and motion estimation (MPEG-4 Part 2
    ///   `+ildct+ilme`, H.264 interlaced); the WMV/MS-MPEG-4 encoders have none:
    ///   `InvalidRequest`. The encoders fix it when they open, so a change while writing
    ///   is `InvalidRequest` (the SDK allows one).
    /// - `FixedFrameRate` TRUE / unset: every frame is encoded; FALSE: frames faster than
    ///   the stream's frame rate are dropped (before `begin_writing` only).
    /// - `InitialPatternForInverseTelecine`, `JPEGCompressionQuality`, `WatermarkCLSID`,
    ///   `WatermarkConfig`: nothing here can act on them (no inverse telecine, no JPEG
    ///   encoder for image streams, no watermark DMOs): `InvalidRequest`, not stored.
    ///
    /// The video settings on an audio input or on an uncompressed stream (stored as
    /// delivered) are `InvalidRequest` too. A setting refused is not stored.
    pub fn set_input_setting(&mut self, input: u32, name: &str, value: AttrValue) -> Result<()> {
        self.input("set_input_setting", input)?;
        let Some((_, ty, while_writing)) = INPUT_SETTINGS.iter().find(|(n, _, _)| *n == name) else {
            bail!(InvalidArg, "set_input_setting: \"{name}\" is not an input setting ({})", INPUT_SETTINGS.map(|x| x.0).join(", "));
        };
        if value.ty() != *ty {
            bail!(InvalidArg, "set_input_setting: \"{name}\" takes a {ty:?} value, not {:?}", value.ty());
        }
        if self.state == State::Writing && !while_writing {
            bail!(InvalidRequest, "set_input_setting: \"{name}\" cannot change while writing");
        }
        let dword = match &value {
            AttrValue::Raw(AttrType::Dword | AttrType::Bool, b) if b.len() == 4 => Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            _ => None,
        };
        if name == "JPEGCompressionQuality" {
            let q = dword.unwrap_or(0);
            if !(1..=100).contains(&q) {
                bail!(InvalidArg, "set_input_setting: JPEGCompressionQuality {q} is outside 1..100");
            }
        }
        match name {
            "InitialPatternForInverseTelecine" => bail!(
                InvalidRequest,
                "set_input_setting: InitialPatternForInverseTelecine has no effect here: inverse telecine (WM_DM_DEINTERLACE_INVERSETELECINE) is not implemented"
            ),
            "JPEGCompressionQuality" => bail!(
                InvalidRequest,
                "set_input_setting: JPEGCompressionQuality has no effect here: no encoder makes JPEG images (image streams are written in passthrough only)"
            ),
            "WatermarkCLSID" | "WatermarkConfig" => bail!(
                InvalidRequest,
                "set_input_setting: {name} has no effect here: watermarks are DirectX Media Objects, which this platform does not have"
            ),
            _ => {}
        }
        self.check_video_setting(input, name, dword.unwrap_or(0))?;
        let old = self.input_settings.insert((input, name.to_string()), value);
        if self.state == State::Writing && name == "DeinterlaceMode" {
            let streams = self.inputs[input as usize].streams.clone();
            let text = dword.unwrap_or(0).to_string();
            let mut failed = None;
            if let Some(s) = self.session.as_mut() {
                for idx in streams {
                    if let Some(e) = s.runs.get_mut(idx).and_then(|r| r.encoder.as_mut()) {
                        if let Err(err) = e.setting(name, &text) {
                            failed.get_or_insert(err);
                        }
                    }
                }
            }
            if let Some(e) = failed {
                match old {
                    Some(v) => self.input_settings.insert((input, name.to_string()), v),
                    None => self.input_settings.remove(&(input, name.to_string())),
                };
                return Err(crate::error::Error::new(e.kind, format!("set_input_setting: {}", e.message)));
            }
        }
        Ok(())
    }

    /// `DeinterlaceMode`, `InterlacedCoding`, `FixedFrameRate` need a video input of
    /// encoded streams, and a value those streams can take.
    fn check_video_setting(&self, input: u32, name: &str, v: u32) -> Result<()> {
        use crate::codec::video_input;
        use crate::guid::sdk;
        let profile = self.configured("set_input_setting")?;
        let inp = &self.inputs[input as usize];
        let streams: Vec<&crate::profile::StreamConfigData> = inp.streams.iter().map(|&i| &profile.streams[i]).collect();
        if streams.iter().any(|s| s.stream_type != sdk::WMMEDIATYPE_VIDEO) {
            bail!(InvalidRequest, "set_input_setting: {name} applies to video; input {input} is not a video input");
        }
        if streams.iter().any(|s| !super::streams::is_passthrough_only(s)) {
            bail!(
                InvalidRequest,
                "set_input_setting: {name} acts on frames before they are encoded; input {input}'s stream is uncompressed video, stored as delivered"
            );
        }
        let writing = self.state == State::Writing;
        let current = |n: &str| match self.input_settings.get(&(input, n.to_string())) {
            Some(AttrValue::Raw(_, b)) if b.len() == 4 => u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            _ => 0,
        };
        match name {
            "DeinterlaceMode" => {
                let size = |mt: Option<&crate::profile::MediaType>| {
                    mt.and_then(|m| m.video_info())
                        .map_or((0, 0), |vi| (vi.width.unsigned_abs() as usize, vi.height.unsigned_abs() as usize))
                };
                let (w, h) = size(inp.format.as_ref());
                for s in &streams {
                    let (dw, dh) = size(s.media_type.as_ref());
                    if let Err(why) = video_input::check_deinterlace(v, w, h, dw, dh) {
                        let kind = if v > video_input::WM_DM_DEINTERLACE_VERTICALHALFSIZEDOUBLERATE {
                            crate::error::ErrorKind::InvalidArg
                        } else {
                            crate::error::ErrorKind::InvalidRequest
                        };
                        return Err(crate::error::Error::new(
                            kind,
                            format!("set_input_setting: DeinterlaceMode {v} on input {input} (stream {}): {why}", s.number),
                        ));
                    }
                }
                let was = current(name);
                if writing && v != was && v.max(was) > video_input::WM_DM_DEINTERLACE_NORMAL {
                    bail!(InvalidRequest, "set_input_setting: DeinterlaceMode cannot change from {was} to {v} while writing (half size changes the frame size; 0 and 1 may alternate)");
                }
            }
            "InterlacedCoding" => {
                if writing && (v != 0) != (current(name) != 0) {
                    bail!(InvalidRequest, "set_input_setting: InterlacedCoding cannot change while writing here (libavcodec's encoders fix it when they open at begin_writing)");
                }
                if v != 0 {
                    if let Some(s) =
                        streams.iter().find(|s| !s.media_type.as_ref().is_some_and(|m| crate::codec::can_code_interlaced(&m.subtype)))
                    {
                        bail!(
                            InvalidRequest,
                            "set_input_setting: InterlacedCoding: stream {}'s codec has no interlaced coding in libavcodec (MPEG-4 Part 2 and H.264 have; WMV1/2 and MS-MPEG-4 v3 do not)",
                            s.number
                        );
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// `GetInputSetting`.
    pub fn input_setting(&self, input: u32, name: &str) -> Result<AttrValue> {
        self.input("get_input_setting", input)?;
        match self.input_settings.get(&(input, name.to_string())) {
            Some(v) => Ok(v.clone()),
            None => bail!(NotFound, "get_input_setting: input {input} has no setting \"{name}\""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::guid::sdk;
    use crate::profile::{MediaType, ProfileData, StreamConfigData};
    use crate::sink::MemorySink;

    #[test]
    fn statistics_and_settings() {
        let mut p = ProfileData::new(0x90000);
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
        s.media_type = Some(MediaType::pcm(1, 8000, 16));
        s.bitrate = 128_000;
        p.add_stream(s).unwrap();
        let mut w = Writer::new();
        assert_eq!(
            w.set_input_setting(0, "FixedFrameRate", AttrValue::Raw(AttrType::Bool, vec![1, 0, 0, 0])).unwrap_err().kind,
            ErrorKind::NotConfigured
        );
        w.set_profile(&p).unwrap();
        // A video setting on an audio input has no effect: refused, not stored.
        assert_eq!(
            w.set_input_setting(0, "FixedFrameRate", AttrValue::Raw(AttrType::Bool, vec![1, 0, 0, 0])).unwrap_err().kind,
            ErrorKind::InvalidRequest
        );
        assert_eq!(w.input_setting(0, "FixedFrameRate").unwrap_err().kind, ErrorKind::NotFound);
        assert_eq!(
            w.set_input_setting(0, "Bogus", AttrValue::Raw(AttrType::Bool, vec![1, 0, 0, 0])).unwrap_err().kind,
            ErrorKind::InvalidArg
        );
        assert_eq!(
            w.set_input_setting(1, "FixedFrameRate", AttrValue::Raw(AttrType::Bool, vec![1, 0, 0, 0])).unwrap_err().kind,
            ErrorKind::InvalidArg
        );
        assert_eq!(w.input_setting(0, "DeinterlaceMode").unwrap_err().kind, ErrorKind::NotFound);
        w.set_sink(Box::new(MemorySink::default())).unwrap();
        assert_eq!(w.statistics_ex(0).unwrap_err().kind, ErrorKind::InvalidRequest);
        w.begin_writing().unwrap();
        assert_eq!(
            w.set_input_setting(0, "FixedFrameRate", AttrValue::Raw(AttrType::Bool, vec![0; 4])).unwrap_err().kind,
            ErrorKind::InvalidRequest
        );
        assert_eq!(
            w.set_input_setting(0, "DeinterlaceMode", AttrValue::Raw(AttrType::Dword, vec![1, 0, 0, 0])).unwrap_err().kind,
            ErrorKind::InvalidRequest
        );
        for i in 0..10u64 {
            let b = w.allocate_sample(1600).unwrap();
            b.copy_from(&[0u8; 1600]).unwrap();
            w.write_sample(0, i * 1_000_000, 0, &b).unwrap();
        }
        assert_eq!(w.writer_time(), 9_000_000);
        let st = w.statistics(0).unwrap();
        assert_eq!(st.sample_count, 10);
        assert_eq!(st.byte_count, 16_000);
        assert_eq!(st.expected_bitrate, 128_000);
        assert!(st.average_bitrate > 100_000, "{st:?}");
        assert_eq!(w.statistics(2).unwrap_err().kind, ErrorKind::InvalidArg);
        assert!(w.statistics_ex(0).unwrap() > 0);
        w.end_writing().unwrap();
    }
}
