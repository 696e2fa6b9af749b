//! The writer's `IWMHeaderInfo` 1–3 methods: state rules, stream and language checks,
//! and the computed ("coded") attributes.
#![forbid(unsafe_code)]

use super::metadata::{AttrType, AttrValue, Attribute, CodecInfo, Marker, Script, CODED};
use super::streams::StreamPlan;
use super::{language_list, State, Writer};
use crate::error::Result;
use crate::guid::sdk;
use crate::{bail, err};

impl Writer {
    /// Reads need a profile and are refused while writing (SDK BeginWriting page).
    fn meta_read(&self, what: &str) -> Result<()> {
        if self.profile.is_none() {
            bail!(InvalidRequest, "{what}: no profile is set (call set_profile first)");
        }
        if self.state == State::Writing {
            bail!(InvalidRequest, "{what}: header information cannot be read while writing");
        }
        Ok(())
    }

    /// Changes are refused while writing (the header is already out).
    fn meta_write(&self, what: &str) -> Result<()> {
        if self.state == State::Writing {
            bail!(InvalidRequest, "{what}: header information is frozen while writing (set it before begin_writing)");
        }
        Ok(())
    }

    fn meta_stream(&self, what: &str, stream: u16) -> Result<()> {
        if stream == 0 {
            return Ok(());
        }
        match &self.profile {
            Some(p) if p.streams.iter().any(|s| s.number == stream) => Ok(()),
            Some(_) => bail!(InvalidRequest, "{what}: the profile has no stream {stream}"),
            None => bail!(
                InvalidRequest,
                "{what}: stream {stream} needs a profile (call set_profile first); only stream 0 (file level) can be used before"
            ),
        }
    }

    fn meta_language(&self, what: &str, language: u16) -> Result<()> {
        let n = self.profile.as_ref().map_or(1, |p| language_list(p).len());
        if language as usize >= n {
            bail!(InvalidArg, "{what}: language index {language} is out of range; the file's language list has {n} entr{} (\"en-us\" then the streams' languages)", if n == 1 { "y" } else { "ies" });
        }
        Ok(())
    }

    /// `GetAttributeCount(Ex)`.
    pub fn attribute_count(&self, stream: u16) -> Result<u16> {
        self.meta_read("get_attribute_count")?;
        self.meta_stream("get_attribute_count", stream)?;
        Ok(self.metadata.count(stream))
    }

    /// `GetAttributeByIndex(Ex)`.
    pub fn attribute(&self, stream: u16, index: u16) -> Result<Attribute> {
        self.meta_read("get_attribute_by_index")?;
        self.meta_stream("get_attribute_by_index", stream)?;
        self.metadata.get(stream, index).cloned()
    }

    /// `GetAttributeByName`: the first attribute of that name on `stream`, or a computed
    /// attribute (Duration, Bitrate, Seekable, …) at file level.
    pub fn attribute_by_name(&self, stream: u16, name: &str) -> Result<AttrValue> {
        self.meta_read("get_attribute_by_name")?;
        self.meta_stream("get_attribute_by_name", stream)?;
        if let Some(a) = self.metadata.by_name(stream, name) {
            return Ok(a.value.clone());
        }
        if stream == 0 {
            if let Some(v) = self.coded_attribute(name) {
                return Ok(v);
            }
        }
        Err(err!(NotFound, "get_attribute_by_name: stream {stream} has no attribute \"{name}\""))
    }

    /// `GetAttributeIndices`.
    pub fn attribute_indices(&self, stream: u16, name: &str, language: Option<u16>) -> Result<Vec<u16>> {
        self.meta_read("get_attribute_indices")?;
        self.meta_stream("get_attribute_indices", stream)?;
        Ok(self.metadata.indices(stream, name, language))
    }

    /// `SetAttribute`.
    pub fn set_attribute(&mut self, stream: u16, name: &str, value: AttrValue) -> Result<()> {
        self.meta_write("set_attribute")?;
        self.meta_stream("set_attribute", stream)?;
        if value.ty() == AttrType::Guid {
            bail!(InvalidArg, "set_attribute: GUID values need add_attribute (IWMHeaderInfo3), as in the SDK");
        }
        self.metadata.set(stream, name, value)
    }

    /// `AddAttribute`: returns the new index.
    pub fn add_attribute(&mut self, stream: u16, name: &str, language: u16, value: AttrValue) -> Result<u16> {
        self.meta_write("add_attribute")?;
        self.meta_stream("add_attribute", stream)?;
        self.meta_language("add_attribute", language)?;
        self.metadata.add(stream, name, language, value)
    }

    /// `ModifyAttribute`.
    pub fn modify_attribute(&mut self, stream: u16, index: u16, language: u16, value: AttrValue) -> Result<()> {
        self.meta_write("modify_attribute")?;
        self.meta_stream("modify_attribute", stream)?;
        self.meta_language("modify_attribute", language)?;
        self.metadata.modify(stream, index, language, value)
    }

    /// `DeleteAttribute`.
    pub fn delete_attribute(&mut self, stream: u16, index: u16) -> Result<()> {
        self.meta_write("delete_attribute")?;
        self.meta_stream("delete_attribute", stream)?;
        self.metadata.delete(stream, index)
    }

    /// `AddMarker` (the SDK's writer returns E_NOTIMPL; this one writes a Marker Object).
    pub fn add_marker(&mut self, name: &str, time: u64) -> Result<()> {
        self.meta_write("add_marker")?;
        self.metadata.add_marker(name, time)
    }

    /// `RemoveMarker`.
    pub fn remove_marker(&mut self, index: u16) -> Result<()> {
        self.meta_write("remove_marker")?;
        let n = self.metadata.markers.len();
        if index as usize >= n {
            bail!(InvalidArg, "remove_marker: there are {n} marker(s); index {index} is out of range");
        }
        self.metadata.markers.remove(index as usize);
        Ok(())
    }

    /// `GetMarkerCount`.
    pub fn marker_count(&self) -> Result<u16> {
        self.meta_read("get_marker_count")?;
        Ok(self.metadata.markers.len() as u16)
    }

    /// `GetMarker`.
    pub fn marker(&self, index: u16) -> Result<Marker> {
        self.meta_read("get_marker")?;
        let n = self.metadata.markers.len();
        self.metadata
            .markers
            .get(index as usize)
            .cloned()
            .ok_or_else(|| err!(InvalidArg, "get_marker: there are {n} marker(s); index {index} is out of range"))
    }

    /// `AddScript`.
    pub fn add_script(&mut self, kind: &str, command: &str, time: u64) -> Result<()> {
        self.meta_write("add_script")?;
        self.metadata.add_script(kind, command, time)
    }

    /// `RemoveScript`.
    pub fn remove_script(&mut self, index: u16) -> Result<()> {
        self.meta_write("remove_script")?;
        let n = self.metadata.scripts.len();
        if index as usize >= n {
            bail!(InvalidArg, "remove_script: there are {n} script command(s); index {index} is out of range");
        }
        self.metadata.scripts.remove(index as usize);
        Ok(())
    }

    /// `GetScriptCount`.
    pub fn script_count(&self) -> Result<u16> {
        self.meta_read("get_script_count")?;
        Ok(self.metadata.scripts.len() as u16)
    }

    /// `GetScript`.
    pub fn script(&self, index: u16) -> Result<Script> {
        self.meta_read("get_script")?;
        let n = self.metadata.scripts.len();
        self.metadata
            .scripts
            .get(index as usize)
            .cloned()
            .ok_or_else(|| err!(InvalidArg, "get_script: there are {n} script command(s); index {index} is out of range"))
    }

    /// `GetCodecInfoCount` / `GetCodecInfo`: the codecs of the profile's streams (as in the
    /// Codec List Object), then those added with `AddCodecInfo`.
    pub fn codec_infos(&self) -> Result<Vec<CodecInfo>> {
        self.meta_read("get_codec_info")?;
        let profile = self.profile.as_ref().ok_or_else(|| err!(InvalidRequest, "no profile"))?;
        let mut v = Vec::new();
        for s in &profile.streams {
            let plan = StreamPlan::new(s);
            if let Some(c) = plan.header_stream(s, 0).codec {
                let kind = if c.kind == 1 {
                    1
                } else if c.kind == 2 {
                    0
                } else {
                    0xFFFF_FFFF
                };
                v.push(CodecInfo { name: c.name, description: c.description, kind, info: c.info });
            }
        }
        v.extend(self.metadata.codec_infos.iter().cloned());
        Ok(v)
    }

    /// `AddCodecInfo`.
    pub fn add_codec_info(&mut self, info: CodecInfo) -> Result<()> {
        self.meta_write("add_codec_info")?;
        if info.kind != 0 && info.kind != 1 && info.kind != 0xFFFF_FFFF {
            bail!(InvalidArg, "add_codec_info: type {} is not a WMT_CODEC_INFO_TYPE", info.kind);
        }
        self.metadata.codec_infos.push(info);
        Ok(())
    }

    /// The computed attributes, from the profile and the last file written.
    fn coded_attribute(&self, name: &str) -> Option<AttrValue> {
        if !CODED.contains(&name) {
            return None;
        }
        let p = self.profile.as_ref()?;
        let has = |t| p.streams.iter().any(|s| s.stream_type == t);
        let b = |v: bool| AttrValue::Raw(AttrType::Bool, (v as u32).to_le_bytes().to_vec());
        let q = |v: u64| AttrValue::Raw(AttrType::Qword, v.to_le_bytes().to_vec());
        let d = |v: u32| AttrValue::Raw(AttrType::Dword, v.to_le_bytes().to_vec());
        let last = self.last_summary.as_ref();
        Some(match name {
            "Duration" => q(last.map_or(0, |s| s.play_duration - s.preroll_ms * 10_000)),
            "Bitrate" | "CurrentBitrate" | "OptimalBitrate" => d(p.streams.iter().map(|s| s.bitrate).fold(0u32, u32::saturating_add)),
            "Seekable" | "Can_Skip_Backward" | "Can_Skip_Forward" => b(last.map_or(true, |s| s.seekable)),
            "Stridable" | "Broadcast" | "Is_Protected" | "Is_Trusted" | "HasAttachedImages" | "HasArbitraryDataStream" => b(false),
            "HasAudio" => b(has(sdk::WMMEDIATYPE_AUDIO)),
            "HasVideo" => b(has(sdk::WMMEDIATYPE_VIDEO)),
            "HasScript" => b(has(sdk::WMMEDIATYPE_SCRIPT)),
            "HasImage" => b(has(sdk::WMMEDIATYPE_IMAGE)),
            "HasFileTransferStream" => b(has(sdk::WMMEDIATYPE_FILETRANSFER)),
            "FileSize" => q(last.map_or(0, |s| s.file_size)),
            "WM/ASFPacketCount" => q(last.map_or(0, |s| s.packets)),
            "NumberOfFrames" => q(last.map_or(0, |s| s.video_frames)),
            "WM/ContainerFormat" => d(1),
            _ => return None,
        })
    }
}
