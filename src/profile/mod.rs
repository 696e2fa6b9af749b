//! Profiles: what streams a file has and how each is configured. Plain data plus
//! validation; nothing here knows about writing. The writer snapshots a profile at
//! `set_profile`.
#![forbid(unsafe_code)]

pub mod codec_info;
pub mod groups;
pub mod media;
pub mod prx;
pub mod system;
pub mod vault;

use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::error::Result;
use crate::guid::{sdk, Guid};
use crate::{bail, err};
pub use groups::{
    BandwidthSharing, BandwidthSharingData, MutexRecord, MutualExclusion, MutualExclusionData, PriorityRecord, StreamList,
    StreamPrioritization, StreamPrioritizationData,
};
pub use media::{MediaType, VideoInfo, WaveFormatEx};

/// `WMT_VER_4_0` … `WMT_VER_9_0`.
pub const WMT_VERSIONS: [u32; 4] = [0x0004_0000, 0x0007_0000, 0x0008_0000, 0x0009_0000];
/// Highest stream number (`WM_MAX_STREAMS`).
pub const MAX_STREAMS: usize = 63;
/// Largest buffer window `set_profile` accepts (ms).
pub const MAX_BUFFER_WINDOW: u32 = 100_000;
/// The highest audio sample rate a stream may declare (Hz).
pub const MAX_SAMPLE_RATE: u32 = 1_536_000;
/// The most audio channels a stream may declare (WAVE_FORMAT_EXTENSIBLE speaker masks name 18).
pub const MAX_CHANNELS: u16 = 32;
/// The largest video width or height a stream may declare (pixels).
pub const MAX_VIDEO_SIDE: i32 = 16384;
/// "Writer chooses" buffer window.
pub const BUFFER_WINDOW_AUTO: u32 = 0xFFFF_FFFF;
/// Buffer window used when the profile says "writer chooses" (ms).
pub const DEFAULT_BUFFER_WINDOW: u32 = 3000;
/// `WMT_Storage_Format_MP3`.
pub const STORAGE_FORMAT_MP3: u32 = 0;
/// `WMT_Storage_Format_V1` (ASF), the default.
pub const STORAGE_FORMAT_V1: u32 = 1;
/// Longest profile, stream and connection name (characters).
pub const MAX_NAME_CHARS: usize = 256;
/// Longest profile description (characters).
pub const MAX_DESCRIPTION_CHARS: usize = 1024;
/// Data-unit-extension size meaning "variable size".
pub const DATA_UNIT_EXTENSION_VARIABLE: u16 = 0xFFFF;

/// One declared per-sample extension (`IWMStreamConfig2::AddDataUnitExtension`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataUnitExtension {
    /// The extension system (`WM_SampleExtensionGUID_*` or an application GUID).
    pub system_id: Guid,
    /// Bytes per sample; `0xFFFF` = variable.
    pub data_size: u16,
    /// Extension system info bytes.
    pub info: Vec<u8>,
}

/// The VBR settings a PRX `streamconfig` may carry (the stream's property vault);
/// `None` = not set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VbrSettings {
    /// `vbrenabled`.
    pub enabled: Option<bool>,
    /// `vbrquality` (0..100).
    pub quality: Option<u32>,
    /// `bitratemax` (bps).
    pub bitrate_max: Option<u32>,
    /// `bufferwindowmax` (ms).
    pub buffer_window_max: Option<u32>,
}

/// Lock a mutex, ignoring poison (the data is plain values, always consistent).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One stream's configuration (`IWMStreamConfig` + `IWMMediaProps` data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamConfigData {
    /// Major type (`GetStreamType`).
    pub stream_type: Guid,
    /// Stream number 1..63.
    pub number: u16,
    /// Stream name (not stored in the file).
    pub name: String,
    /// Connection (input) name; streams sharing one are one writer input.
    pub connection_name: String,
    /// Bits per second, excluding overhead.
    pub bitrate: u32,
    /// Buffer window, ms (`0xFFFFFFFF` = writer chooses).
    pub buffer_window: u32,
    /// The stream's media type; `None` until `set_media_type`.
    pub media_type: Option<MediaType>,
    /// Reliable transport flag.
    pub reliable: bool,
    /// RFC 1766 language tag ("" = none).
    pub language: String,
    /// Video: maximum key-frame spacing (100 ns).
    pub max_key_frame_spacing: i64,
    /// Video: quality 0..100.
    pub quality: u32,
    /// PRX `decodercomplexity` ("", "AU", "AP", ...).
    pub decoder_complexity: String,
    /// VBR settings from a PRX (property vault).
    pub vbr: VbrSettings,
    /// Declared data unit extensions, in order.
    pub data_unit_extensions: Vec<DataUnitExtension>,
    /// `IWMPropertyVault` properties other than the VBR settings: (name, type, value).
    pub vault: Vec<vault::VaultProperty>,
}

impl StreamConfigData {
    /// A new configuration of the given major type with stream number `number`.
    pub fn new(stream_type: Guid, number: u16) -> Self {
        StreamConfigData {
            stream_type,
            number,
            name: String::new(),
            connection_name: String::new(),
            bitrate: 0,
            buffer_window: DEFAULT_BUFFER_WINDOW,
            media_type: None,
            reliable: false,
            language: String::new(),
            max_key_frame_spacing: 0,
            quality: 0,
            decoder_complexity: String::new(),
            vbr: VbrSettings::default(),
            data_unit_extensions: Vec::new(),
            vault: Vec::new(),
        }
    }

    /// `IWMStreamConfig2::AddDataUnitExtension`: a second extension with the same
    /// system GUID replaces the first.
    pub fn add_data_unit_extension(&mut self, ext: DataUnitExtension) {
        match self.data_unit_extensions.iter_mut().find(|x| x.system_id == ext.system_id) {
            Some(slot) => *slot = ext,
            None => self.data_unit_extensions.push(ext),
        }
    }

    /// `IWMStreamConfig2::GetDataUnitExtension`.
    pub fn data_unit_extension(&self, index: u16) -> Result<&DataUnitExtension> {
        let n = self.data_unit_extensions.len();
        self.data_unit_extensions
            .get(index as usize)
            .ok_or_else(|| err!(InvalidArg, "data unit extension {index} does not exist; the stream has {n}"))
    }

    /// The effective buffer window (ms).
    pub fn effective_buffer_window(&self) -> u32 {
        if self.buffer_window == BUFFER_WINDOW_AUTO {
            DEFAULT_BUFFER_WINDOW
        } else {
            self.buffer_window
        }
    }

    /// Check one stream as `set_profile` does.
    pub fn validate(&self) -> Result<()> {
        let n = self.number;
        if !(1..=MAX_STREAMS as u16).contains(&n) {
            bail!(InvalidStream, "stream number {n} is outside 1..63");
        }
        if self.buffer_window != BUFFER_WINDOW_AUTO && self.buffer_window > MAX_BUFFER_WINDOW {
            bail!(InvalidStream, "stream {n}: buffer window {} ms is more than {MAX_BUFFER_WINDOW} ms", self.buffer_window);
        }
        let mt = self
            .media_type
            .as_ref()
            .ok_or_else(|| err!(InvalidStream, "stream {n} has no media type (call set_media_type before add_stream)"))?;
        if mt.major_type != self.stream_type {
            bail!(InvalidStream, "stream {n}: media type's major type {} differs from the stream type {}", mt.major_type, self.stream_type);
        }
        let t = self.stream_type;
        if t == sdk::WMMEDIATYPE_AUDIO {
            if mt.format_type != sdk::WMFORMAT_WAVEFORMATEX {
                bail!(InvalidStream, "stream {n}: an audio stream needs format type WMFORMAT_WaveFormatEx, got {}", mt.format_type);
            }
            let wfx = mt.wave_format().ok_or_else(|| {
                err!(
                    InvalidStream,
                    "stream {n}: the WAVEFORMATEX block is {} bytes, shorter than its 18-byte header plus cbSize",
                    mt.format.len()
                )
            })?;
            if mt.subtype.is_fourcc_subtype() && mt.subtype.data1 != wfx.format_tag as u32 && wfx.format_tag != 0xFFFE {
                bail!(InvalidStream, "stream {n}: subtype {} does not match wFormatTag 0x{:04X}", mt.subtype, wfx.format_tag);
            }
            if !(1..=MAX_SAMPLE_RATE).contains(&wfx.samples_per_sec) || !(1..=MAX_CHANNELS).contains(&wfx.channels) {
                bail!(
                    InvalidStream,
                    "stream {n}: {} channels at {} Hz is outside 1..={MAX_CHANNELS} channels and 1..={MAX_SAMPLE_RATE} Hz",
                    wfx.channels,
                    wfx.samples_per_sec
                );
            }
            if wfx.format_tag == 1 {
                wfx.validate_pcm().map_err(|e| err!(InvalidStream, "stream {n}: {}", e.message))?;
            } else if wfx.avg_bytes_per_sec == 0 {
                bail!(InvalidStream, "stream {n}: compressed audio needs a non-zero nAvgBytesPerSec");
            }
        } else if t == sdk::WMMEDIATYPE_VIDEO {
            if mt.format_type != sdk::WMFORMAT_VIDEOINFO && mt.format_type != sdk::WMFORMAT_MPEG2VIDEO {
                bail!(InvalidStream, "stream {n}: a video stream needs format type WMFORMAT_VideoInfo, got {}", mt.format_type);
            }
            if mt.format_type == sdk::WMFORMAT_VIDEOINFO {
                let vi = mt.video_info().ok_or_else(|| {
                    err!(InvalidStream, "stream {n}: the WMVIDEOINFOHEADER block is {} bytes, less than 88", mt.format.len())
                })?;
                if vi.width <= 0 || vi.height == 0 || vi.width > MAX_VIDEO_SIDE || vi.height.unsigned_abs() > MAX_VIDEO_SIDE as u32 {
                    bail!(
                        InvalidStream,
                        "stream {n}: video size {}x{} is not valid (width 1..={MAX_VIDEO_SIDE}, height ±1..={MAX_VIDEO_SIDE})",
                        vi.width,
                        vi.height
                    );
                }
            }
        } else if t == sdk::WMMEDIATYPE_SCRIPT && mt.format_type != sdk::WMFORMAT_SCRIPT {
            bail!(InvalidStream, "stream {n}: a script stream needs format type WMFORMAT_Script, got {}", mt.format_type);
        }
        Ok(())
    }
}

/// A stream-config object (`IWMStreamConfig`): its own copy of the data.
#[derive(Debug)]
pub struct StreamConfig {
    /// The data; edits stay here until `add_stream` / `reconfig_stream`.
    pub data: Mutex<StreamConfigData>,
}

impl StreamConfig {
    /// A new object holding `data`.
    pub fn new(data: StreamConfigData) -> Self {
        StreamConfig { data: Mutex::new(data) }
    }

    /// A copy of the data.
    pub fn snapshot(&self) -> StreamConfigData {
        lock(&self.data).clone()
    }
}

/// A profile's data (`IWMProfile`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileData {
    /// `WMT_VERSION`.
    pub version: u32,
    /// Profile name.
    pub name: String,
    /// Profile description.
    pub description: String,
    /// Streams in index order.
    pub streams: Vec<StreamConfigData>,
    /// Maximum data packet size (`IWMPacketSize`); 0 = writer chooses.
    pub max_packet_size: u32,
    /// Minimum data packet size (`IWMPacketSize2`): when the writer chooses the size
    /// (max 0) it picks at least this; 0 = no minimum. Not saved in PRX (the SDK's PRX
    /// has no such attribute).
    pub min_packet_size: u32,
    /// `WMT_STORAGE_FORMAT` (`IWMProfile3`); 1 = ASF.
    pub storage_format: u32,
    /// Mutual exclusions, in order.
    pub mutual_exclusions: Vec<MutualExclusionData>,
    /// Bandwidth sharings, in order.
    pub bandwidth_sharings: Vec<BandwidthSharingData>,
    /// The stream prioritization, if any.
    pub stream_prioritization: Option<StreamPrioritizationData>,
    /// `IWMProfile2::GetProfileID`: the system profile's GUID, GUID_NULL for a custom
    /// profile (not saved in PRX: a profile loaded from data is custom).
    pub profile_id: Guid,
    /// `IWMLanguageList`: RFC 1766 tags in index order (empty: the writer's default list).
    pub languages: Vec<String>,
}

impl ProfileData {
    /// An empty profile of `version`.
    pub fn new(version: u32) -> Self {
        ProfileData {
            version,
            name: String::new(),
            description: String::new(),
            streams: Vec::new(),
            max_packet_size: 0,
            min_packet_size: 0,
            storage_format: STORAGE_FORMAT_V1,
            mutual_exclusions: Vec::new(),
            bandwidth_sharings: Vec::new(),
            stream_prioritization: None,
            profile_id: Guid::NULL,
            languages: Vec::new(),
        }
    }

    /// `IWMLanguageList::AddLanguageByRFC1766String`: appends `tag` (1..=126 ASCII
    /// letters, digits and '-': the Language List stores its UTF-16 length in a byte)
    /// and returns its index; a tag already listed (ASCII case-insensitive) keeps its
    /// index.
    pub fn add_language(&mut self, tag: &str) -> Result<u16> {
        if tag.is_empty() || tag.len() > 126 || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            bail!(InvalidArg, "\"{tag}\" is not an RFC 1766 language tag (1 to 126 letters, digits and '-', e.g. \"en-us\")");
        }
        if let Some(i) = self.languages.iter().position(|l| l.eq_ignore_ascii_case(tag)) {
            return Ok(i as u16);
        }
        if self.languages.len() >= u16::MAX as usize {
            bail!(InvalidArg, "the language list already holds {} languages", self.languages.len());
        }
        self.languages.push(tag.to_string());
        Ok((self.languages.len() - 1) as u16)
    }

    /// `IWMLanguageList::GetLanguageDetails`: the tag at `index`.
    pub fn language(&self, index: u16) -> Result<&str> {
        let n = self.languages.len();
        self.languages
            .get(index as usize)
            .map(String::as_str)
            .ok_or_else(|| err!(InvalidArg, "language index {index} is out of range; the profile's language list has {n}"))
    }

    fn has_stream(&self, number: u16) -> bool {
        self.streams.iter().any(|s| s.number == number)
    }

    fn check_numbers(&self, what: &str, numbers: impl IntoIterator<Item = u16>) -> Result<()> {
        for n in numbers {
            if !self.has_stream(n) {
                bail!(InvalidStream, "{what}: stream {n} is not in the profile (add it with add_stream first)");
            }
        }
        Ok(())
    }

    /// `IWMProfile::AddMutualExclusion`: a copy of `m` (type `CLSID_WMMUTEX_Bitrate`,
    /// every stream in the profile).
    pub fn add_mutual_exclusion(&mut self, m: MutualExclusionData) -> Result<()> {
        if m.mutex_type != sdk::CLSID_WMMUTEX_BITRATE {
            bail!(
                InvalidArg,
                "add_mutual_exclusion: the type is {{{}}}; profiles take CLSID_WMMUTEX_Bitrate (call set_type first)",
                m.mutex_type
            );
        }
        self.check_numbers("add_mutual_exclusion", m.all_streams())?;
        self.mutual_exclusions.push(m);
        Ok(())
    }

    /// `IWMProfile::RemoveMutualExclusion`: removes the first exclusion equal to `m`.
    pub fn remove_mutual_exclusion(&mut self, m: &MutualExclusionData) -> Result<()> {
        let i = self
            .mutual_exclusions
            .iter()
            .position(|x| x == m)
            .ok_or_else(|| err!(InvalidArg, "remove_mutual_exclusion: the profile has no mutual exclusion equal to this one"))?;
        self.mutual_exclusions.remove(i);
        Ok(())
    }

    /// The mutual exclusion at `index`.
    pub fn mutual_exclusion(&self, index: u32) -> Result<&MutualExclusionData> {
        let n = self.mutual_exclusions.len();
        self.mutual_exclusions
            .get(index as usize)
            .ok_or_else(|| err!(InvalidArg, "mutual exclusion index {index} is out of range; the profile has {n}"))
    }

    /// `IWMProfile3::AddBandwidthSharing`: a copy of `b` (a valid type, every stream in the profile).
    pub fn add_bandwidth_sharing(&mut self, b: BandwidthSharingData) -> Result<()> {
        BandwidthSharingData::check_type(b.sharing_type)
            .map_err(|e| err!(InvalidArg, "add_bandwidth_sharing: {} (call set_type first)", e.message))?;
        self.check_numbers("add_bandwidth_sharing", b.streams.0.iter().copied())?;
        self.bandwidth_sharings.push(b);
        Ok(())
    }

    /// `IWMProfile3::RemoveBandwidthSharing`: removes the first sharing equal to `b`.
    pub fn remove_bandwidth_sharing(&mut self, b: &BandwidthSharingData) -> Result<()> {
        let i = self
            .bandwidth_sharings
            .iter()
            .position(|x| x == b)
            .ok_or_else(|| err!(InvalidArg, "remove_bandwidth_sharing: the profile has no bandwidth sharing equal to this one"))?;
        self.bandwidth_sharings.remove(i);
        Ok(())
    }

    /// The bandwidth sharing at `index`.
    pub fn bandwidth_sharing(&self, index: u32) -> Result<&BandwidthSharingData> {
        let n = self.bandwidth_sharings.len();
        self.bandwidth_sharings
            .get(index as usize)
            .ok_or_else(|| err!(InvalidArg, "bandwidth sharing index {index} is out of range; the profile has {n}"))
    }

    /// `IWMProfile3::SetStreamPrioritization`: replaces any earlier one; every stream
    /// must be in the profile (else `E_INVALIDARG`, "unable to validate").
    pub fn set_stream_prioritization(&mut self, p: StreamPrioritizationData) -> Result<()> {
        for r in &p.records {
            if !self.has_stream(r.number) {
                bail!(InvalidArg, "set_stream_prioritization: stream {} is not in the profile", r.number);
            }
        }
        self.stream_prioritization = Some(p);
        Ok(())
    }

    /// `IWMProfile3::SetStorageFormat`: ASF (`WMT_Storage_Format_V1`) only. The SDK's
    /// writer writes Windows Media files only ("storage format MP3 is supported for
    /// reading, but not writing", WMT_STORAGE_FORMAT), so MP3 is refused here rather than
    /// accepted and then silently written as ASF.
    pub fn set_storage_format(&mut self, f: u32) -> Result<()> {
        if f == STORAGE_FORMAT_MP3 {
            bail!(InvalidArg, "storage format 0 (WMT_Storage_Format_MP3) cannot be written: the writer writes ASF (WMT_Storage_Format_V1) files only, as the SDK's (MP3 is a read-only storage format)");
        }
        if f != STORAGE_FORMAT_V1 {
            bail!(InvalidArg, "storage format {f} is not a WMT_STORAGE_FORMAT (0 = MP3, 1 = ASF)");
        }
        self.storage_format = f;
        Ok(())
    }

    /// `IWMProfile3::GetExpectedPacketCount`: packets of `packet_size` bytes needed for
    /// `duration_ms` of all streams at their bit rates (an estimate, rounded up).
    pub fn expected_packet_count(&self, duration_ms: u64, packet_size: u32) -> Result<u64> {
        if self.streams.is_empty() {
            bail!(NotImpl, "get_expected_packet_count: the profile has no streams");
        }
        let payload = (packet_size as u64).saturating_sub(14 + 17).max(1);
        let bits: u128 = self.streams.iter().map(|s| s.bitrate as u128).sum::<u128>() * duration_ms as u128;
        let bytes = bits.div_ceil(8000);
        Ok(bytes.div_ceil(payload as u128).min(u64::MAX as u128) as u64)
    }

    /// The smallest stream number no stream uses.
    pub fn unused_stream_number(&self) -> u16 {
        (1..=MAX_STREAMS as u16).find(|n| self.streams.iter().all(|s| s.number != *n)).unwrap_or(0)
    }

    /// Add a new stream (`IWMProfile::AddStream`).
    pub fn add_stream(&mut self, s: StreamConfigData) -> Result<()> {
        if self.streams.len() >= MAX_STREAMS {
            bail!(InvalidStream, "add_stream: the profile already has the maximum of {MAX_STREAMS} streams");
        }
        if !(1..=MAX_STREAMS as u16).contains(&s.number) {
            bail!(InvalidStream, "add_stream: stream number {} is outside 1..63", s.number);
        }
        if self.streams.iter().any(|x| x.number == s.number) {
            bail!(InvalidStream, "add_stream: the profile already has a stream number {} (use reconfig_stream to change it)", s.number);
        }
        if s.media_type.is_none() {
            bail!(InvalidStream, "add_stream: stream {} has no media type; call set_media_type first", s.number);
        }
        self.streams.push(s);
        Ok(())
    }

    /// The stream at `index` (`IWMProfile::GetStream`).
    pub fn stream(&self, index: u32) -> Result<&StreamConfigData> {
        let n = self.streams.len();
        self.streams.get(index as usize).ok_or_else(|| {
            err!(InvalidArg, "stream index {index} is out of range; the profile has {n} stream{}", if n == 1 { "" } else { "s" })
        })
    }

    /// The stream numbered `number` (`IWMProfile::GetStreamByNumber`).
    pub fn stream_by_number(&self, number: u16) -> Result<&StreamConfigData> {
        self.streams.iter().find(|s| s.number == number).ok_or_else(|| err!(NoStream, "the profile has no stream number {number}"))
    }

    /// Remove the stream numbered `number` (`IWMProfile::RemoveStreamByNumber`).
    pub fn remove_stream_by_number(&mut self, number: u16) -> Result<()> {
        let i = self
            .streams
            .iter()
            .position(|s| s.number == number)
            .ok_or_else(|| err!(NoStream, "the profile has no stream number {number}"))?;
        self.streams.remove(i);
        for m in &mut self.mutual_exclusions {
            m.forget(number);
        }
        for b in &mut self.bandwidth_sharings {
            b.streams.0.retain(|n| *n != number);
        }
        if let Some(p) = &mut self.stream_prioritization {
            p.records.retain(|r| r.number != number);
        }
        Ok(())
    }

    /// Replace the stream with the same number (`IWMProfile::ReconfigStream`).
    pub fn reconfig_stream(&mut self, s: StreamConfigData) -> Result<()> {
        let n = s.number;
        let Some(slot) = self.streams.iter_mut().find(|x| x.number == n) else {
            bail!(InvalidStream, "reconfig_stream: the profile has no stream number {n}; add it with add_stream first");
        };
        if s.media_type.is_none() {
            bail!(InvalidStream, "reconfig_stream: stream {n} has no media type");
        }
        *slot = s;
        Ok(())
    }

    /// A new stream config of `stream_type` with an unused number (`CreateNewStream`).
    pub fn new_stream(&self, stream_type: Guid) -> Result<StreamConfigData> {
        let known = [
            sdk::WMMEDIATYPE_AUDIO,
            sdk::WMMEDIATYPE_VIDEO,
            sdk::WMMEDIATYPE_SCRIPT,
            sdk::WMMEDIATYPE_IMAGE,
            sdk::WMMEDIATYPE_FILETRANSFER,
            sdk::WMMEDIATYPE_TEXT,
        ];
        if !known.contains(&stream_type) {
            bail!(InvalidArg, "create_new_stream: {{{stream_type}}} is not a stream type (use WMMEDIATYPE_Audio, _Video, _Script, _Image, _FileTransfer or _Text)");
        }
        let n = self.unused_stream_number();
        if n == 0 {
            bail!(InvalidArg, "create_new_stream: all 63 stream numbers are in use");
        }
        Ok(StreamConfigData::new(stream_type, n))
    }

    /// Check the whole profile as `set_profile` does.
    pub fn validate(&self) -> Result<()> {
        if self.streams.is_empty() {
            bail!(InvalidProfile, "the profile has no streams");
        }
        if self.streams.len() > MAX_STREAMS {
            bail!(InvalidProfile, "the profile has {} streams; at most {MAX_STREAMS} are allowed", self.streams.len());
        }
        for (i, s) in self.streams.iter().enumerate() {
            if self.streams[..i].iter().any(|x| x.number == s.number) {
                bail!(StreamNumberInUse, "two streams of the profile use stream number {}", s.number);
            }
        }
        for s in &self.streams {
            s.validate()?;
        }
        let scripts = self.streams.iter().filter(|s| s.stream_type == sdk::WMMEDIATYPE_SCRIPT).count();
        if scripts > 1 {
            bail!(InvalidProfile, "the profile has {scripts} script streams; at most one is allowed");
        }
        for s in &self.streams {
            if s.bitrate == 0 && s.stream_type != sdk::WMMEDIATYPE_SCRIPT {
                bail!(InvalidProfile, "stream {} has bitrate 0 (set_bitrate in bits per second)", s.number);
            }
        }
        for (i, m) in self.mutual_exclusions.iter().enumerate() {
            if let Some(n) = m.all_streams().find(|n| !self.has_stream(*n)) {
                bail!(InvalidProfile, "mutual exclusion {i} names stream {n}, which is not in the profile");
            }
            if m.mutex_type == sdk::CLSID_WMMUTEX_BITRATE {
                let names: Vec<&str> = m
                    .streams
                    .0
                    .iter()
                    .filter_map(|n| self.streams.iter().find(|s| s.number == *n))
                    .map(|s| s.connection_name.as_str())
                    .collect();
                if names.windows(2).any(|w| w[0] != w[1]) {
                    bail!(
                        InvalidProfile,
                        "mutual exclusion {i} (bit rate): its streams {:?} must share one connection name, they have {names:?}",
                        m.streams.0
                    );
                }
            }
        }
        for (i, b) in self.bandwidth_sharings.iter().enumerate() {
            if b.streams.0.is_empty() {
                bail!(InvalidProfile, "bandwidth sharing {i} has no streams");
            }
            if let Some(n) = b.streams.0.iter().find(|n| !self.has_stream(**n)) {
                bail!(InvalidProfile, "bandwidth sharing {i} names stream {n}, which is not in the profile");
            }
        }
        if let Some(p) = &self.stream_prioritization {
            if let Some(r) = p.records.iter().find(|r| !self.has_stream(r.number)) {
                bail!(InvalidProfile, "the stream prioritization names stream {}, which is not in the profile", r.number);
            }
        }
        Ok(())
    }
}

/// A profile object (`IWMProfile`).
#[derive(Debug)]
pub struct Profile {
    /// The data.
    pub data: Mutex<ProfileData>,
}

impl Profile {
    /// A new profile object.
    pub fn new(data: ProfileData) -> Self {
        Profile { data: Mutex::new(data) }
    }

    /// A copy of the data.
    pub fn snapshot(&self) -> ProfileData {
        lock(&self.data).clone()
    }
}

/// An input-media-props object (`IWMInputMediaProps`): a media type plus the input's
/// connection name.
#[derive(Debug)]
pub struct InputMediaProps {
    /// The data.
    pub data: Mutex<InputPropsData>,
}

/// The data of an [`InputMediaProps`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputPropsData {
    /// The media type.
    pub media_type: MediaType,
    /// The input's connection name.
    pub connection_name: String,
}

impl InputMediaProps {
    /// A new object.
    pub fn new(data: InputPropsData) -> Self {
        InputMediaProps { data: Mutex::new(data) }
    }
}

/// The profile manager (`IWMProfileManager`).
#[derive(Debug)]
pub struct ProfileManager {
    /// System-profile version (`IWMProfileManager2`); default `WMT_VER_4_0`.
    pub system_profile_version: Mutex<u32>,
    /// Codec enumeration settings (`IWMCodecInfo3::SetCodecEnumerationSetting`).
    pub codec_settings: Mutex<codec_info::EnumSettings>,
    /// `IWMProfileManagerLanguage` user language (LANGID); default 0x409.
    pub language: Mutex<u16>,
}

impl Default for ProfileManager {
    fn default() -> Self {
        ProfileManager {
            system_profile_version: Mutex::new(WMT_VERSIONS[0]),
            codec_settings: Mutex::new(codec_info::EnumSettings::default()),
            language: Mutex::new(0x409),
        }
    }
}

impl ProfileManager {
    /// `CreateEmptyProfile`.
    pub fn create_empty_profile(&self, version: u32) -> Result<Profile> {
        if !WMT_VERSIONS.contains(&version) {
            bail!(InvalidArg, "create_empty_profile: 0x{version:08X} is not a WMT_VERSION (use WMT_VER_9_0 = 0x00090000)");
        }
        Ok(Profile::new(ProfileData::new(version)))
    }

    /// `LoadProfileByData`: parse PRX XML (see [`prx`]).
    pub fn load_profile_by_data(&self, text: &str) -> Result<Profile> {
        Ok(Profile::new(prx::load(text)?))
    }

    /// `GetSystemProfileCount` for the current system-profile version.
    pub fn system_profile_count(&self) -> u32 {
        system::count(*lock(&self.system_profile_version))
    }

    /// `LoadSystemProfile` of the current system-profile version.
    pub fn load_system_profile(&self, index: u32) -> Result<Profile> {
        Ok(Profile::new(system::by_index(*lock(&self.system_profile_version), index)?))
    }

    /// `LoadProfileByID`: any version's system profile.
    pub fn load_profile_by_id(&self, id: &Guid) -> Result<Profile> {
        Ok(Profile::new(system::by_id(id)?))
    }

    /// `SaveProfile`: the profile as PRX XML (see [`prx`]).
    pub fn save_profile(&self, profile: &Profile) -> String {
        prx::save(&lock(&profile.data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn pcm_stream(n: u16) -> StreamConfigData {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, n);
        s.media_type = Some(MediaType::pcm(2, 44100, 16));
        s.bitrate = 1_411_200;
        s
    }

    #[test]
    fn profile_validation() {
        let mut p = ProfileData::new(0x90000);
        assert_eq!(p.validate().unwrap_err().kind, ErrorKind::InvalidProfile);
        p.add_stream(pcm_stream(1)).unwrap();
        p.validate().unwrap();
        assert_eq!(p.add_stream(pcm_stream(1)).unwrap_err().kind, ErrorKind::InvalidStream);
        p.streams.push(pcm_stream(1));
        assert_eq!(p.validate().unwrap_err().kind, ErrorKind::StreamNumberInUse);
        p.streams.pop();
        p.streams[0].buffer_window = 100_001;
        assert_eq!(p.validate().unwrap_err().kind, ErrorKind::InvalidStream);
        p.streams[0].buffer_window = 3000;
        let mut bad = MediaType::pcm(2, 44100, 16);
        bad.format[12] = 3; // block align 3
        p.streams[0].media_type = Some(bad);
        let e = p.validate().unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidStream);
        assert!(e.message.contains("nBlockAlign"), "{}", e.message);
    }

    #[test]
    fn unused_numbers() {
        let mut p = ProfileData::new(0x90000);
        assert_eq!(p.unused_stream_number(), 1);
        p.add_stream(pcm_stream(1)).unwrap();
        p.add_stream(pcm_stream(3)).unwrap();
        assert_eq!(p.unused_stream_number(), 2);
    }
}

#[cfg(test)]
mod group_tests {
    use super::*;
    use crate::error::ErrorKind;

    fn profile() -> ProfileData {
        let mut p = ProfileData::new(0x90000);
        for n in 1..=3 {
            let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, n);
            s.media_type = Some(MediaType::pcm(1, 8000, 8));
            s.bitrate = 64000;
            s.connection_name = "A".into();
            p.add_stream(s).unwrap();
        }
        p
    }

    #[test]
    fn mutual_exclusions() {
        let mut p = profile();
        let mut m = MutualExclusionData::default();
        m.streams.add(1).unwrap();
        m.streams.add(2).unwrap();
        assert_eq!(p.add_mutual_exclusion(m.clone()).unwrap_err().kind, ErrorKind::InvalidArg);
        m.mutex_type = sdk::CLSID_WMMUTEX_BITRATE;
        p.add_mutual_exclusion(m.clone()).unwrap();
        let mut bad = m.clone();
        bad.streams.add(9).unwrap();
        assert_eq!(p.add_mutual_exclusion(bad).unwrap_err().kind, ErrorKind::InvalidStream);
        p.validate().unwrap();
        p.streams[1].connection_name = "B".into();
        assert_eq!(p.validate().unwrap_err().kind, ErrorKind::InvalidProfile);
        p.streams[1].connection_name = "A".into();
        assert_eq!(p.mutual_exclusion(0).unwrap(), &m);
        assert_eq!(p.mutual_exclusion(1).unwrap_err().kind, ErrorKind::InvalidArg);
        p.remove_stream_by_number(2).unwrap();
        assert_eq!(p.mutual_exclusions[0].streams.0, vec![1]);
        assert_eq!(p.remove_mutual_exclusion(&m).unwrap_err().kind, ErrorKind::InvalidArg);
        let now = p.mutual_exclusions[0].clone();
        p.remove_mutual_exclusion(&now).unwrap();
        assert!(p.mutual_exclusions.is_empty());
    }

    #[test]
    fn bandwidth_sharing_and_prioritization() {
        let mut p = profile();
        let mut b = BandwidthSharingData { bitrate: 128_000, buffer_window: 3000, ..Default::default() };
        b.streams.add(1).unwrap();
        assert_eq!(p.add_bandwidth_sharing(b.clone()).unwrap_err().kind, ErrorKind::InvalidArg);
        b.sharing_type = sdk::CLSID_WMBANDWIDTHSHARING_PARTIAL;
        p.add_bandwidth_sharing(b.clone()).unwrap();
        let mut bad = b.clone();
        bad.streams.add(5).unwrap();
        assert_eq!(p.add_bandwidth_sharing(bad).unwrap_err().kind, ErrorKind::InvalidStream);
        let sp = StreamPrioritizationData { records: vec![PriorityRecord { number: 3, mandatory: true }] };
        p.set_stream_prioritization(sp.clone()).unwrap();
        assert_eq!(
            p.set_stream_prioritization(StreamPrioritizationData { records: vec![PriorityRecord { number: 7, mandatory: true }] })
                .unwrap_err()
                .kind,
            ErrorKind::InvalidArg
        );
        p.validate().unwrap();
        p.remove_stream_by_number(1).unwrap();
        assert!(p.bandwidth_sharings[0].streams.0.is_empty());
        assert_eq!(p.validate().unwrap_err().kind, ErrorKind::InvalidProfile);
        p.remove_bandwidth_sharing(&p.bandwidth_sharings[0].clone()).unwrap();
        p.remove_stream_by_number(3).unwrap();
        assert_eq!(p.stream_prioritization.as_ref().unwrap().records, vec![]);
        assert_eq!(p.bandwidth_sharing(0).unwrap_err().kind, ErrorKind::InvalidArg);
    }

    #[test]
    fn storage_format_and_packet_count() {
        let mut p = profile();
        assert_eq!(p.set_storage_format(0).unwrap_err().kind, ErrorKind::InvalidArg, "MP3 is read-only");
        p.set_storage_format(1).unwrap();
        assert_eq!(p.set_storage_format(2).unwrap_err().kind, ErrorKind::InvalidArg);
        // 3 × 64 kbps = 24,000 bytes/s; 1,000 ms in 1,000-byte packets of 969 payload bytes.
        assert_eq!(p.expected_packet_count(1000, 1000).unwrap(), 24_000u64.div_ceil(969));
        assert_eq!(p.expected_packet_count(0, 1000).unwrap(), 0);
        assert_eq!(ProfileData::new(0x90000).expected_packet_count(1000, 1000).unwrap_err().kind, ErrorKind::NotImpl);
    }

    #[test]
    fn data_unit_extensions_replace_by_guid() {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
        let e = |size| DataUnitExtension { system_id: sdk::WMMEDIATYPE_TEXT, data_size: size, info: vec![] };
        s.add_data_unit_extension(e(2));
        s.add_data_unit_extension(DataUnitExtension { system_id: Guid::NULL, ..e(4) });
        s.add_data_unit_extension(e(8));
        assert_eq!(s.data_unit_extensions.len(), 2);
        assert_eq!(s.data_unit_extension(0).unwrap().data_size, 8);
        assert_eq!(s.data_unit_extension(2).unwrap_err().kind, ErrorKind::InvalidArg);
    }
}
