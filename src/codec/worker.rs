//! A stream's encoding stage on its own thread, fed through a bounded queue.
//!
//! `push` copies the caller's sample into the queue and returns at once unless the queue
//! is full (then it blocks: back-pressure, bounded memory). The worker converts and
//! encodes; finished units come back on a second channel and are handed out on the next
//! `push` or at `finish`. An error on the worker ends it and is returned by the next
//! `push` or by `finish`.
#![forbid(unsafe_code)]

use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender, TryRecvError};
use std::thread::JoinHandle;

use std::sync::Arc;

use super::EncodedUnit;
use crate::buffer::SampleBuffer;
use crate::error::{Error, Result};
use crate::Time100ns;

/// Samples queued ahead of the encoder before `push` blocks.
pub(crate) const QUEUE_DEPTH: usize = 8;

/// What runs on the worker: raw input in, units out.
pub trait Stage: Send + 'static {
    /// Convert and encode one raw sample.
    fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()>;
    /// End of stream.
    fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()>;
    /// An input setting changed (in order with the samples around it).
    fn setting(&mut self, _name: &str, _value: &str) -> Result<()> {
        Ok(())
    }
}

enum Msg {
    Data(Vec<u8>, Time100ns),
    Buffer(Arc<SampleBuffer>, Time100ns),
    Setting(String, String),
    Finish,
}

/// A running worker.
pub struct Worker {
    tx: Option<SyncSender<Msg>>,
    rx: Receiver<Result<Vec<EncodedUnit>>>,
    handle: Option<JoinHandle<()>>,
    /// The worker's error, kept so every later call reports it.
    failed: Option<Error>,
    /// Spare buffers returned by the worker for reuse.
    spare: Receiver<Vec<u8>>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("running", &self.handle.is_some()).field("failed", &self.failed).finish()
    }
}

impl Worker {
    /// Start `stage` on a new thread named `name`.
    pub fn start<S: Stage>(name: String, mut stage: S) -> Result<Worker> {
        let (tx, in_rx) = sync_channel::<Msg>(QUEUE_DEPTH);
        let (out_tx, rx) = channel::<Result<Vec<EncodedUnit>>>();
        let (spare_tx, spare) = channel::<Vec<u8>>();
        let handle = std::thread::Builder::new()
            .name(name)
            .spawn(move || {
                let mut out = Vec::new();
                for msg in in_rx {
                    match msg {
                        Msg::Data(d, t) => {
                            let r = stage.push(&d, t, &mut out);
                            let _ = spare_tx.send(d);
                            match r {
                                Ok(()) => {
                                    if !out.is_empty() && out_tx.send(Ok(std::mem::take(&mut out))).is_err() {
                                        return;
                                    }
                                }
                                Err(e) => {
                                    let _ = out_tx.send(Err(e));
                                    return;
                                }
                            }
                        }
                        Msg::Buffer(b, t) => {
                            let r = b.with_bytes(|d| stage.push(d, t, &mut out));
                            drop(b);
                            match r {
                                Ok(()) => {
                                    if !out.is_empty() && out_tx.send(Ok(std::mem::take(&mut out))).is_err() {
                                        return;
                                    }
                                }
                                Err(e) => {
                                    let _ = out_tx.send(Err(e));
                                    return;
                                }
                            }
                        }
                        Msg::Setting(name, value) => {
                            if let Err(e) = stage.setting(&name, &value) {
                                let _ = out_tx.send(Err(e));
                                return;
                            }
                        }
                        Msg::Finish => {
                            let r = stage.finish(&mut out).map(|()| std::mem::take(&mut out));
                            let _ = out_tx.send(r);
                            return;
                        }
                    }
                }
            })
            .map_err(|e| crate::err!(OutOfMemory, "cannot start an encoder thread: {e}"))?;
        Ok(Worker { tx: Some(tx), rx, handle: Some(handle), failed: None, spare })
    }

    fn take_ready(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        loop {
            match self.rx.try_recv() {
                Ok(Ok(mut units)) => out.append(&mut units),
                Ok(Err(e)) => {
                    self.failed = Some(e.clone());
                    return Err(e);
                }
                Err(TryRecvError::Empty) | Err(TryRecvError::Disconnected) => return Ok(()),
            }
        }
    }

    /// Queue one sample (copied); append units finished so far to `out`.
    pub fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        self.take_ready(out)?;
        let mut buf = self.spare.try_recv().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(data);
        let Some(tx) = &self.tx else { return Err(crate::err!(InvalidRequest, "the encoder was already finished")) };
        if tx.send(Msg::Data(buf, time)).is_err() {
            // The worker ended: it has sent its error (or panicked).
            self.join_for_error()?;
        }
        self.take_ready(out)
    }

    /// Queue one sample buffer without copying it (the worker holds a reference until
    /// it has encoded it); append units finished so far to `out`.
    pub fn push_buffer(&mut self, buf: Arc<SampleBuffer>, time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
        self.take_ready(out)?;
        let Some(tx) = &self.tx else { return Err(crate::err!(InvalidRequest, "the encoder was already finished")) };
        if tx.send(Msg::Buffer(buf, time)).is_err() {
            self.join_for_error()?;
        }
        self.take_ready(out)
    }

    /// Queue a setting change, applied between the samples queued before and after.
    pub fn setting(&mut self, name: &str, value: &str) -> Result<()> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let Some(tx) = &self.tx else { return Err(crate::err!(InvalidRequest, "the encoder was already finished")) };
        if tx.send(Msg::Setting(name.to_string(), value.to_string())).is_err() {
            self.join_for_error()?;
        }
        Ok(())
    }

    /// Drain everything and stop the thread.
    pub fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
        self.take_ready(out)?;
        let Some(tx) = self.tx.take() else { return Ok(()) };
        let _ = tx.send(Msg::Finish);
        drop(tx);
        for r in self.rx.iter() {
            match r {
                Ok(mut units) => out.append(&mut units),
                Err(e) => {
                    self.failed = Some(e.clone());
                    self.join();
                    return Err(e);
                }
            }
        }
        self.join_for_error()
    }

    fn join(&mut self) -> bool {
        match self.handle.take() {
            Some(h) => h.join().is_ok(),
            None => true,
        }
    }

    fn join_for_error(&mut self) -> Result<()> {
        self.tx = None;
        let mut err = None;
        for r in self.rx.iter() {
            if let Err(e) = r {
                err = Some(e);
            }
        }
        let clean = self.join();
        if let Some(e) = err.or_else(|| (!clean).then(|| crate::err!(Unexpected, "the encoder thread panicked"))) {
            self.failed = Some(e.clone());
            return Err(e);
        }
        Ok(())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.tx = None;
        self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo {
        fail_at: Option<u64>,
    }

    impl Stage for Echo {
        fn push(&mut self, data: &[u8], time: Time100ns, out: &mut Vec<EncodedUnit>) -> Result<()> {
            if Some(time) == self.fail_at {
                crate::bail!(InvalidData, "sample at {time} refused");
            }
            out.push(EncodedUnit { time, duration: 1, key_frame: true, data: data.to_vec() });
            Ok(())
        }
        fn finish(&mut self, out: &mut Vec<EncodedUnit>) -> Result<()> {
            out.push(EncodedUnit { time: u64::MAX, duration: 0, key_frame: true, data: vec![] });
            Ok(())
        }
    }

    #[test]
    fn every_unit_comes_back_in_order() {
        let mut w = Worker::start("t".into(), Echo { fail_at: None }).unwrap();
        let mut out = Vec::new();
        for t in 0..100u64 {
            w.push(&[t as u8], t, &mut out).unwrap();
        }
        w.finish(&mut out).unwrap();
        assert_eq!(out.len(), 101);
        assert!(out.iter().take(100).enumerate().all(|(i, u)| u.time == i as u64 && u.data == [i as u8]));
    }

    #[test]
    fn an_error_surfaces_at_a_later_push_or_finish() {
        let mut w = Worker::start("t".into(), Echo { fail_at: Some(3) }).unwrap();
        let mut out = Vec::new();
        let mut failed = None;
        for t in 0..50u64 {
            if let Err(e) = w.push(&[0], t, &mut out) {
                failed = Some(e);
                break;
            }
        }
        let e = failed.or_else(|| w.finish(&mut out).err()).expect("the error is reported");
        assert!(e.message.contains("sample at 3 refused"), "{}", e.message);
        assert!(w.finish(&mut out).is_err());
    }
}
