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

    /// `SetInputSetting`.
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
        if name == "JPEGCompressionQuality" {
            if let AttrValue::Raw(_, b) = &value {
                let q = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                if !(1..=100).contains(&q) {
                    bail!(InvalidArg, "set_input_setting: JPEGCompressionQuality {q} is outside 1..100");
                }
            }
        }
        self.input_settings.insert((input, name.to_string()), value);
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
        w.set_input_setting(0, "FixedFrameRate", AttrValue::Raw(AttrType::Bool, vec![1, 0, 0, 0])).unwrap();
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
        w.set_input_setting(0, "DeinterlaceMode", AttrValue::Raw(AttrType::Dword, vec![1, 0, 0, 0])).unwrap();
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
