//! `IWMWriterPreprocess`: two-pass encoding of an input.
//!
//! After `set_profile`, an input whose every stream is encoded by an encoder that can run
//! an analysis pass (libavcodec's mpegvideo encoders: WMV1, WMV2, MP43, MPEG-4) reports
//! one preprocessing pass; audio, uncompressed and passthrough inputs report 0. With
//! `set_num_preprocessing_passes(n, 1)` before `begin_writing`:
//!
//! * `begin_writing` opens each of the input's encoders for the analysis pass; its
//!   output format (the same codec settings, so the same VIDEOINFOHEADER and codec
//!   data) is what the header carries;
//! * `begin_preprocessing_pass`, `preprocess_sample` for every sample,
//!   `end_preprocessing_pass` run that pass: nothing reaches the file, the encoder keeps
//!   its rate-control statistics (in memory);
//! * the end of the pass opens the final encoder with those statistics (it must give
//!   the format the header already has), and `write_sample` then takes the same
//!   samples again. Before that, `write_sample` on the input is refused with
//!   `NS_E_INVALID_NUM_PASSES`.
#![forbid(unsafe_code)]

use std::sync::Arc;

use super::{streams, StreamEncoder, Writer};
use crate::buffer::SampleBuffer;
use crate::codec::{EncodedUnit, EncoderConfig, Pass};
use crate::error::{Error, Result};
use crate::profile::{MediaType, StreamConfigData};
use crate::{bail, err, Time100ns};

/// Where an input's preprocessing pass is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PassState {
    /// Set up at `begin_writing`; not begun.
    Ready,
    /// Between `begin_preprocessing_pass` and `end_preprocessing_pass`.
    Running,
    /// Run: the stream's final encoder is in place.
    Done,
}

/// One encoded stream's two-pass state within a session.
#[derive(Debug)]
pub(super) struct Preprocess {
    pub(super) state: PassState,
    /// The analysis encoder (until the end of the pass).
    analysis: Option<Box<dyn StreamEncoder>>,
    /// The raw input format and the encoder settings, for the final encoder.
    input: MediaType,
    cfg: EncoderConfig,
    /// The format the header carries for this stream.
    header_type: MediaType,
    /// Samples the pass has seen.
    samples: u64,
}

impl Preprocess {
    /// The state of a stream whose analysis encoder `analysis` was opened from `input`
    /// with `cfg` (any pass: the final one is opened from the same settings).
    pub(super) fn new(analysis: Box<dyn StreamEncoder>, input: MediaType, cfg: EncoderConfig) -> Preprocess {
        let header_type = analysis.output_type().clone();
        Preprocess { state: PassState::Ready, analysis: Some(analysis), input, cfg, header_type, samples: 0 }
    }
}

impl Writer {
    /// The encoder settings of stream `s` of input `input`: the stream and the input's
    /// named settings (`set_input_setting`), for one pass.
    pub(super) fn encoder_config(&self, input: u32, s: &StreamConfigData) -> EncoderConfig {
        let settings =
            self.input_settings.iter().filter(|((n, _), _)| *n == input).map(|((_, name), v)| (name.clone(), v.to_string())).collect();
        EncoderConfig { stream: s.clone(), settings, pass: Pass::Single }
    }

    /// `IWMWriterPreprocess::GetMaxPreprocessingPasses`: 1 when every stream of input
    /// `n` is encoded by an encoder with an analysis pass, else 0 (passthrough,
    /// uncompressed streams, audio, encoders that run one pass).
    pub fn max_preprocessing_passes(&self, n: u32) -> Result<u32> {
        let what = "get_max_preprocessing_passes";
        let inp = self.input(what, n)?;
        let profile = self.configured(what)?;
        if inp.format.is_none() {
            return Ok(0);
        }
        let mut max = u32::MAX;
        for &idx in &inp.streams {
            let s = &profile.streams[idx];
            if !streams::is_passthrough_only(s) {
                return Ok(0);
            }
            let cfg = self.encoder_config(n, s);
            max = max.min((self.passes_query)(&cfg).map_err(|e| Error::new(e.kind, format!("{what}: {}", e.message)))?);
        }
        Ok(if max == u32::MAX { 0 } else { max })
    }

    /// `IWMWriterPreprocess::SetNumPreprocessingPasses` (before `begin_writing`).
    pub fn set_num_preprocessing_passes(&mut self, n: u32, passes: u32) -> Result<()> {
        let what = "set_num_preprocessing_passes";
        self.input(what, n)?;
        self.not_writing(what)?;
        let max = self.max_preprocessing_passes(n)?;
        if passes > max {
            bail!(
                InvalidNumPasses,
                "{what}: input {n} supports {max} preprocessing pass{} ({passes} asked); see get_max_preprocessing_passes",
                if max == 1 { "" } else { "es" }
            );
        }
        self.inputs[n as usize].passes = passes;
        Ok(())
    }

    /// The preprocessing passes set on input `n`.
    pub fn num_preprocessing_passes(&self, n: u32) -> Result<u32> {
        Ok(self.input("get_num_preprocessing_passes", n)?.passes)
    }

    /// The stream indices of input `n` with a preprocessing pass in this session, after
    /// the checks common to the pass calls.
    fn pass_streams(&self, what: &str, n: u32) -> Result<Vec<usize>> {
        self.writing(what)?;
        let inp = self.input(what, n)?;
        let session = self.session.as_ref().ok_or_else(|| err!(Unexpected, "{what}: no session"))?;
        let v: Vec<usize> = inp.streams.iter().copied().filter(|&i| session.runs[i].preprocess.is_some()).collect();
        if inp.passes == 0 || v.is_empty() {
            bail!(InvalidRequest, "{what}: input {n} has no preprocessing pass (call set_num_preprocessing_passes before begin_writing)");
        }
        Ok(v)
    }

    fn pass_state(&self, idx: &[usize]) -> PassState {
        let s = self.session.as_ref().and_then(|s| s.runs[idx[0]].preprocess.as_ref());
        s.map_or(PassState::Done, |p| p.state)
    }

    /// `IWMWriterPreprocess::BeginPreprocessingPass`.
    pub fn begin_preprocessing_pass(&mut self, n: u32) -> Result<()> {
        let what = "begin_preprocessing_pass";
        let idx = self.pass_streams(what, n)?;
        match self.pass_state(&idx) {
            PassState::Ready => {}
            PassState::Running => bail!(InvalidRequest, "{what}: input {n}'s preprocessing pass is already running"),
            PassState::Done => bail!(InvalidRequest, "{what}: input {n}'s preprocessing pass has been run (its encoder takes one)"),
        }
        let session = self.session.as_mut().ok_or_else(|| err!(Unexpected, "{what}: no session"))?;
        for i in idx {
            if let Some(p) = session.runs[i].preprocess.as_mut() {
                p.state = PassState::Running;
            }
        }
        Ok(())
    }

    /// `IWMWriterPreprocess::PreprocessSample`: one sample of input `n` (in the input's
    /// format, as for `write_sample`) for the running pass. `None` (a NULL buffer) is
    /// `InvalidArg` once the pass is running.
    pub fn preprocess_sample(&mut self, n: u32, time: Time100ns, flags: u32, buffer: Option<&Arc<SampleBuffer>>) -> Result<()> {
        let what = "preprocess_sample";
        let _ = flags;
        let idx = self.pass_streams(what, n)?;
        if self.pass_state(&idx) != PassState::Running {
            bail!(InvalidRequest, "{what}: input {n} has no preprocessing pass running (call begin_preprocessing_pass first)");
        }
        let buffer = buffer.ok_or_else(|| err!(InvalidArg, "{what}: the sample is NULL"))?;
        let length = buffer.length() as usize;
        if length == 0 {
            bail!(InvalidData, "{what}: the sample for input {n} is empty (set_length to the number of bytes written)");
        }
        let session = self.session.as_mut().ok_or_else(|| err!(Unexpected, "{what}: no session"))?;
        let mut units: Vec<EncodedUnit> = Vec::new();
        for i in idx {
            let p = session.runs[i].preprocess.as_mut().ok_or_else(|| err!(Unexpected, "{what}: no pass state"))?;
            let enc = p.analysis.as_mut().ok_or_else(|| err!(Unexpected, "{what}: the pass has no encoder"))?;
            buffer
                .with_prefix(length, |d| enc.push(d, time, &mut units))
                .map_err(|e| Error::new(e.kind, format!("{what}: {}", e.message)))?;
            // The analysis pass's units are not written.
            units.clear();
            p.samples += 1;
        }
        Ok(())
    }

    /// `IWMWriterPreprocess::EndPreprocessingPass`: the statistics are complete; each
    /// stream's final encoder is opened with them, and `write_sample` may follow.
    pub fn end_preprocessing_pass(&mut self, n: u32) -> Result<()> {
        let what = "end_preprocessing_pass";
        let idx = self.pass_streams(what, n)?;
        if self.pass_state(&idx) != PassState::Running {
            bail!(InvalidRequest, "{what}: input {n} has no preprocessing pass running (call begin_preprocessing_pass first)");
        }
        let opener = self.encoder_opener;
        let session = self.session.as_mut().ok_or_else(|| err!(Unexpected, "{what}: no session"))?;
        for i in idx {
            let run = &mut session.runs[i];
            let number = run.plan.number;
            let p = run.preprocess.as_mut().ok_or_else(|| err!(Unexpected, "{what}: no pass state"))?;
            let mut enc = p.analysis.take().ok_or_else(|| err!(Unexpected, "{what}: the pass has no encoder"))?;
            let mut units = Vec::new();
            enc.finish(&mut units).map_err(|e| Error::new(e.kind, format!("{what}: stream {number}: {}", e.message)))?;
            let stats = enc
                .take_pass_stats()
                .ok_or_else(|| err!(Fail, "{what}: stream {number}: the encoder kept no statistics from the preprocessing pass"))?;
            if p.samples == 0 {
                bail!(InvalidRequest, "{what}: input {n}'s preprocessing pass had no samples (call preprocess_sample for every sample)");
            }
            let cfg = EncoderConfig { pass: Pass::Final(stats.into()), ..p.cfg.clone() };
            let fin = opener(&p.input, &cfg).map_err(|e| Error::new(e.kind, format!("{what}: stream {number}: {}", e.message)))?;
            if *fin.output_type() != p.header_type {
                bail!(
                    Fail,
                    "{what}: stream {number}: the final pass's encoder gives another format than the header written at begin_writing"
                );
            }
            p.state = PassState::Done;
            run.encoder = Some(fin);
        }
        Ok(())
    }

    /// `write_sample` on input `n`: refused while a configured pass has not been run.
    pub(super) fn check_passes_run(&self, what: &str, n: u32) -> Result<()> {
        let Some(session) = self.session.as_ref() else { return Ok(()) };
        let Some(inp) = self.inputs.get(n as usize) else { return Ok(()) };
        let pending = inp.streams.iter().any(|&i| session.runs[i].preprocess.as_ref().is_some_and(|p| p.state != PassState::Done));
        if pending {
            bail!(
                InvalidNumPasses,
                "{what}: input {n} is set to {} preprocessing pass (set_num_preprocessing_passes) and it has not been run: call begin_preprocessing_pass, preprocess_sample for every sample and end_preprocessing_pass first",
                inp.passes
            );
        }
        Ok(())
    }
}
