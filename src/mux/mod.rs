//! The muxer room: [`AsfMuxer`] (header, interleaving, packets, index, finalisation)
//! and its interleaver, which orders media objects across streams by presentation time.
//!
//! Each stream has a queue. An object is released when it is the earliest queued one
//! and every stream the interleaver waits for has something queued (so nothing
//! earlier can still arrive), or when the queued span exceeds the sync tolerance (a
//! stream has gone quiet; waiting longer would hold unbounded memory). Sparse
//! streams (script, image, …) are never waited for.
#![forbid(unsafe_code)]

mod muxer;

pub use muxer::{AsfMuxer, MediaObject, MuxConfig, MuxStream, MuxSummary, Payload, StreamStats};

use std::collections::VecDeque;

use crate::Time100ns;

#[derive(Debug)]
struct Pending<T> {
    time: Time100ns,
    seq: u64,
    item: T,
}

/// Orders items of several streams by time; see the module docs.
#[derive(Debug)]
pub struct Interleaver<T> {
    queues: Vec<VecDeque<Pending<T>>>,
    wait_for: Vec<bool>,
    tolerance: Time100ns,
    seq: u64,
    newest: Time100ns,
    queued: usize,
}

impl<T> Interleaver<T> {
    /// An interleaver for streams `0..wait_for.len()`; `wait_for[i]` says whether
    /// stream `i` is continuous (waited for) or sparse.
    pub fn new(wait_for: Vec<bool>, tolerance: Time100ns) -> Self {
        let queues = wait_for.iter().map(|_| VecDeque::new()).collect();
        Interleaver { queues, wait_for, tolerance, seq: 0, newest: 0, queued: 0 }
    }

    /// Queue an item of `stream` at `time`.
    pub fn push(&mut self, stream: usize, time: Time100ns, item: T) {
        self.seq += 1;
        self.newest = self.newest.max(time);
        self.queues[stream].push_back(Pending { time, seq: self.seq, item });
        self.queued += 1;
    }

    /// Items waiting.
    pub fn len(&self) -> usize {
        self.queued
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.queued == 0
    }

    /// Stop waiting for `stream` (it ended or is not used).
    pub fn stop_waiting(&mut self, stream: usize) {
        self.wait_for[stream] = false;
    }

    fn earliest(&self) -> Option<usize> {
        let mut best: Option<(Time100ns, u64, usize)> = None;
        for (i, q) in self.queues.iter().enumerate() {
            if let Some(p) = q.front() {
                if best.map_or(true, |(t, s, _)| (p.time, p.seq) < (t, s)) {
                    best = Some((p.time, p.seq, i));
                }
            }
        }
        best.map(|b| b.2)
    }

    /// The next item that is safe to emit now, if any.
    pub fn pop_ready(&mut self) -> Option<(usize, Time100ns, T)> {
        let i = self.earliest()?;
        let t = self.queues[i].front().map(|p| p.time)?;
        let all_present = self.wait_for.iter().zip(&self.queues).all(|(w, q)| !w || !q.is_empty());
        if !all_present && self.newest.saturating_sub(t) < self.tolerance {
            return None;
        }
        self.take(i)
    }

    /// The next item regardless of waiting (end of writing).
    pub fn pop_any(&mut self) -> Option<(usize, Time100ns, T)> {
        let i = self.earliest()?;
        self.take(i)
    }

    fn take(&mut self, i: usize) -> Option<(usize, Time100ns, T)> {
        let p = self.queues[i].pop_front()?;
        self.queued -= 1;
        Some((i, p.time, p.item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_for_all_streams_then_orders_by_time() {
        let mut il = Interleaver::new(vec![true, true], 30_000_000);
        il.push(0, 0, "a0");
        il.push(0, 10, "a1");
        assert!(il.pop_ready().is_none(), "stream 1 may still send something earlier");
        il.push(1, 5, "v0");
        assert_eq!(il.pop_ready().map(|x| x.2), Some("a0"));
        assert_eq!(il.pop_ready().map(|x| x.2), Some("v0"));
        assert!(il.pop_ready().is_none());
        assert_eq!(il.pop_any().map(|x| x.2), Some("a1"));
    }

    #[test]
    fn a_quiet_stream_is_waited_for_only_up_to_the_tolerance() {
        let mut il = Interleaver::new(vec![true, true], 100);
        il.push(0, 0, 0);
        il.push(0, 50, 1);
        assert!(il.pop_ready().is_none());
        il.push(0, 100, 2);
        assert_eq!(il.pop_ready().map(|x| x.2), Some(0));
        assert!(il.pop_ready().is_none());
    }

    #[test]
    fn sparse_streams_are_not_waited_for() {
        let mut il = Interleaver::new(vec![true, false], 1000);
        il.push(0, 0, 'a');
        assert_eq!(il.pop_ready().map(|x| x.2), Some('a'));
    }
}
