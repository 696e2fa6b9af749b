//! Profile-level stream groups: mutual exclusions (`IWMMutualExclusion`/`2`), bandwidth
//! sharing (`IWMBandwidthSharing`) and stream prioritization (`IWMStreamPrioritization`).
//! Each object owns a copy of its data; nothing reaches a profile until it is added.
#![forbid(unsafe_code)]

use std::sync::Mutex;

use super::{lock, MAX_STREAMS};
use crate::error::Result;
use crate::guid::{sdk, Guid};
use crate::{bail, err};

/// The four `CLSID_WMMUTEX_*` types.
pub const MUTEX_TYPES: [Guid; 4] =
    [sdk::CLSID_WMMUTEX_LANGUAGE, sdk::CLSID_WMMUTEX_BITRATE, sdk::CLSID_WMMUTEX_PRESENTATION, sdk::CLSID_WMMUTEX_UNKNOWN];

/// The two `CLSID_WMBandwidthSharing_*` types.
pub const SHARING_TYPES: [Guid; 2] = [sdk::CLSID_WMBANDWIDTHSHARING_EXCLUSIVE, sdk::CLSID_WMBANDWIDTHSHARING_PARTIAL];

/// A stream number list (`IWMStreamList`): numbers 1..63, each at most once, in the
/// order they were added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamList(pub Vec<u16>);

impl StreamList {
    /// `IWMStreamList::AddStream`.
    pub fn add(&mut self, number: u16) -> Result<()> {
        if !(1..=MAX_STREAMS as u16).contains(&number) {
            bail!(InvalidArg, "stream number {number} is outside 1..63");
        }
        if self.0.contains(&number) {
            bail!(InvalidArg, "stream {number} is already in the list");
        }
        self.0.push(number);
        Ok(())
    }

    /// `IWMStreamList::RemoveStream`.
    pub fn remove(&mut self, number: u16) -> Result<()> {
        let i = self.0.iter().position(|n| *n == number).ok_or_else(|| err!(InvalidArg, "stream {number} is not in the list"))?;
        self.0.remove(i);
        Ok(())
    }
}

/// One record of an `IWMMutualExclusion2`: a named set of streams.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MutexRecord {
    /// Record name.
    pub name: String,
    /// Streams of the record.
    pub streams: StreamList,
}

/// A mutual exclusion's data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MutualExclusionData {
    /// `CLSID_WMMUTEX_*` (GUID_NULL until `set_type`).
    pub mutex_type: Guid,
    /// The mutually exclusive streams.
    pub streams: StreamList,
    /// `IWMMutualExclusion2` name.
    pub name: String,
    /// `IWMMutualExclusion2` records.
    pub records: Vec<MutexRecord>,
}

impl MutualExclusionData {
    /// Check `set_type`'s argument.
    pub fn check_type(t: Guid) -> Result<()> {
        if !MUTEX_TYPES.contains(&t) {
            bail!(InvalidArg, "{{{t}}} is not a mutual exclusion type (use CLSID_WMMUTEX_Bitrate, _Language, _Presentation or _Unknown)");
        }
        Ok(())
    }

    /// The record at `index`.
    pub fn record(&mut self, index: u16) -> Result<&mut MutexRecord> {
        let n = self.records.len();
        self.records.get_mut(index as usize).ok_or_else(|| err!(InvalidArg, "record {index} does not exist; the mutual exclusion has {n}"))
    }

    /// Every stream number the exclusion mentions.
    pub fn all_streams(&self) -> impl Iterator<Item = u16> + '_ {
        self.streams.0.iter().copied().chain(self.records.iter().flat_map(|r| r.streams.0.iter().copied()))
    }

    /// Forget stream `number` everywhere.
    pub fn forget(&mut self, number: u16) {
        self.streams.0.retain(|n| *n != number);
        for r in &mut self.records {
            r.streams.0.retain(|n| *n != number);
        }
    }
}

/// A bandwidth sharing's data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BandwidthSharingData {
    /// `CLSID_WMBandwidthSharing_*` (GUID_NULL until `set_type`).
    pub sharing_type: Guid,
    /// Shared bit rate, bits per second.
    pub bitrate: u32,
    /// Shared buffer window, ms.
    pub buffer_window: u32,
    /// The streams that share.
    pub streams: StreamList,
}

impl BandwidthSharingData {
    /// Check `set_type`'s argument.
    pub fn check_type(t: Guid) -> Result<()> {
        if !SHARING_TYPES.contains(&t) {
            bail!(InvalidArg, "{{{t}}} is not a bandwidth sharing type (use CLSID_WMBandwidthSharing_Exclusive or _Partial)");
        }
        Ok(())
    }
}

/// One `WM_STREAM_PRIORITY_RECORD`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PriorityRecord {
    /// Stream number.
    pub number: u16,
    /// Whether the stream must never be dropped.
    pub mandatory: bool,
}

/// A stream prioritization's data: records in descending priority.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamPrioritizationData {
    /// The records, highest priority first.
    pub records: Vec<PriorityRecord>,
}

impl StreamPrioritizationData {
    /// `IWMStreamPrioritization::SetPriorityRecords`: numbers 1..63, each once.
    pub fn set_records(&mut self, records: Vec<PriorityRecord>) -> Result<()> {
        for (i, r) in records.iter().enumerate() {
            if !(1..=MAX_STREAMS as u16).contains(&r.number) {
                bail!(InvalidArg, "record {i}: stream number {} is outside 1..63", r.number);
            }
            if records[..i].iter().any(|x| x.number == r.number) {
                bail!(InvalidArg, "record {i}: stream {} is listed twice", r.number);
            }
        }
        self.records = records;
        Ok(())
    }
}

/// A mutual exclusion object (`IWMMutualExclusion`, `IWMMutualExclusion2`).
#[derive(Debug, Default)]
pub struct MutualExclusion {
    /// The data.
    pub data: Mutex<MutualExclusionData>,
}

impl MutualExclusion {
    /// A new object holding `data`.
    pub fn new(data: MutualExclusionData) -> Self {
        MutualExclusion { data: Mutex::new(data) }
    }

    /// A copy of the data.
    pub fn snapshot(&self) -> MutualExclusionData {
        lock(&self.data).clone()
    }
}

/// A bandwidth sharing object (`IWMBandwidthSharing`).
#[derive(Debug, Default)]
pub struct BandwidthSharing {
    /// The data.
    pub data: Mutex<BandwidthSharingData>,
}

impl BandwidthSharing {
    /// A new object holding `data`.
    pub fn new(data: BandwidthSharingData) -> Self {
        BandwidthSharing { data: Mutex::new(data) }
    }

    /// A copy of the data.
    pub fn snapshot(&self) -> BandwidthSharingData {
        lock(&self.data).clone()
    }
}

/// A stream prioritization object (`IWMStreamPrioritization`).
#[derive(Debug, Default)]
pub struct StreamPrioritization {
    /// The data.
    pub data: Mutex<StreamPrioritizationData>,
}

impl StreamPrioritization {
    /// A new object holding `data`.
    pub fn new(data: StreamPrioritizationData) -> Self {
        StreamPrioritization { data: Mutex::new(data) }
    }

    /// A copy of the data.
    pub fn snapshot(&self) -> StreamPrioritizationData {
        lock(&self.data).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn stream_list_rules() {
        let mut l = StreamList::default();
        l.add(1).unwrap();
        l.add(63).unwrap();
        assert_eq!(l.add(1).unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(l.add(0).unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(l.add(64).unwrap_err().kind, ErrorKind::InvalidArg);
        l.remove(1).unwrap();
        assert_eq!(l.remove(1).unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(l.0, vec![63]);
    }

    #[test]
    fn priority_records_rules() {
        let mut p = StreamPrioritizationData::default();
        let r = |n| PriorityRecord { number: n, mandatory: false };
        p.set_records(vec![r(2), r(1)]).unwrap();
        assert_eq!(p.set_records(vec![r(2), r(2)]).unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(p.set_records(vec![r(0)]).unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(p.records.len(), 2);
    }

    #[test]
    fn types() {
        MutualExclusionData::check_type(sdk::CLSID_WMMUTEX_BITRATE).unwrap();
        assert!(MutualExclusionData::check_type(Guid::NULL).is_err());
        BandwidthSharingData::check_type(sdk::CLSID_WMBANDWIDTHSHARING_PARTIAL).unwrap();
        assert!(BandwidthSharingData::check_type(sdk::CLSID_WMMUTEX_BITRATE).is_err());
    }
}
