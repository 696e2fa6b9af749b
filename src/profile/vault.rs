//! `IWMPropertyVault` on a stream configuration: named, typed properties. The four the
//! SDK's encoders read are kept in [`VbrSettings`](super::VbrSettings) (the fields a
//! PRX `streamconfig` also carries, and the libavcodec video encoder reads):
//! `_VBRENABLED` (BOOL), `_VBRQUALITY` (DWORD 0..100), `_RMAX` (DWORD, peak bit rate)
//! and `_BMAX` (DWORD, peak buffer window, ms). Any other name is stored as given and
//! only echoed back.
#![forbid(unsafe_code)]

use super::StreamConfigData;
use crate::bail;
use crate::error::Result;

/// `WMT_TYPE_DWORD`.
const VAULT_TYPE_DWORD: u32 = 0;
/// `WMT_TYPE_BOOL`.
const VAULT_TYPE_BOOL: u32 = 3;
/// Longest property name (characters).
const MAX_VAULT_NAME_CHARS: usize = 256;

/// The property names kept in the stream's VBR settings, in listing order.
const VBR_PROPERTIES: [&str; 4] = ["_VBRENABLED", "_VBRQUALITY", "_RMAX", "_BMAX"];

/// One property: (name, `WMT_ATTR_DATATYPE`, value bytes).
pub type VaultProperty = (String, u32, Vec<u8>);

impl StreamConfigData {
    /// Every property, the VBR ones first (in `VBR_PROPERTIES` order, those that are
    /// set), then the others in the order they were first set
    /// (`GetPropertyCount` / `GetPropertyByIndex`).
    pub fn vault_properties(&self) -> Vec<VaultProperty> {
        let v = &self.vbr;
        let mut out: Vec<VaultProperty> = Vec::new();
        if let Some(e) = v.enabled {
            out.push((VBR_PROPERTIES[0].into(), VAULT_TYPE_BOOL, (e as u32).to_le_bytes().to_vec()));
        }
        for (name, val) in [(VBR_PROPERTIES[1], v.quality), (VBR_PROPERTIES[2], v.bitrate_max), (VBR_PROPERTIES[3], v.buffer_window_max)] {
            if let Some(x) = val {
                out.push((name.into(), VAULT_TYPE_DWORD, x.to_le_bytes().to_vec()));
            }
        }
        out.extend(self.vault.iter().cloned());
        out
    }

    /// The property called `name` (`GetPropertyByName`), if set.
    pub fn vault_property(&self, name: &str) -> Option<VaultProperty> {
        self.vault_properties().into_iter().find(|p| p.0 == name)
    }

    /// `SetProperty`: the VBR names take exactly their type (BOOL or DWORD, 4 bytes);
    /// `_VBRQUALITY` is 0..100. Other names take any `WMT_ATTR_DATATYPE` (0..6).
    pub fn set_vault_property(&mut self, name: &str, data_type: u32, value: &[u8]) -> Result<()> {
        let n = name.chars().count();
        if n == 0 || n > MAX_VAULT_NAME_CHARS {
            bail!(InvalidArg, "a property name has 1 to {MAX_VAULT_NAME_CHARS} characters; \"{name}\" has {n}");
        }
        if data_type > 6 {
            bail!(InvalidArg, "{data_type} is not a WMT_ATTR_DATATYPE (0 DWORD .. 6 GUID)");
        }
        if let Some(i) = VBR_PROPERTIES.iter().position(|p| *p == name) {
            let want = if i == 0 { VAULT_TYPE_BOOL } else { VAULT_TYPE_DWORD };
            let type_name = if i == 0 { "a BOOL (WMT_TYPE_BOOL = 3)" } else { "a DWORD (WMT_TYPE_DWORD = 0)" };
            if data_type != want || value.len() != 4 {
                bail!(InvalidArg, "{name} is {type_name} of 4 bytes, not type {data_type} with {} bytes", value.len());
            }
            let x = u32::from_le_bytes([value[0], value[1], value[2], value[3]]);
            match i {
                0 => self.vbr.enabled = Some(x != 0),
                1 => {
                    if x > 100 {
                        bail!(InvalidArg, "_VBRQUALITY is 0..100, not {x}");
                    }
                    self.vbr.quality = Some(x);
                }
                2 => self.vbr.bitrate_max = Some(x),
                _ => self.vbr.buffer_window_max = Some(x),
            }
            return Ok(());
        }
        match self.vault.iter_mut().find(|p| p.0 == name) {
            Some(p) => {
                p.1 = data_type;
                p.2 = value.to_vec();
            }
            None => self.vault.push((name.to_string(), data_type, value.to_vec())),
        }
        Ok(())
    }

    /// `Clear`: no property is set (the VBR settings are unset too).
    pub fn clear_vault(&mut self) {
        self.vbr = super::VbrSettings::default();
        self.vault.clear();
    }

    /// `CopyPropertiesFrom`: every property of `from` is set here (replacing ones of
    /// the same name; the others stay).
    pub fn copy_vault_from(&mut self, from: &StreamConfigData) -> Result<()> {
        for (name, ty, value) in from.vault_properties() {
            self.set_vault_property(&name, ty, &value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guid::sdk;

    #[test]
    fn vbr_names_map_to_the_settings_and_others_are_kept() {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 1);
        assert!(s.vault_properties().is_empty());
        s.set_vault_property("Custom", 1, b"x\0").unwrap();
        s.set_vault_property("_VBRQUALITY", 0, &90u32.to_le_bytes()).unwrap();
        s.set_vault_property("_VBRENABLED", 3, &1u32.to_le_bytes()).unwrap();
        assert_eq!(s.vbr.quality, Some(90));
        assert_eq!(s.vbr.enabled, Some(true));
        let names: Vec<String> = s.vault_properties().into_iter().map(|p| p.0).collect();
        assert_eq!(names, ["_VBRENABLED", "_VBRQUALITY", "Custom"]);
        assert!(s.set_vault_property("_VBRQUALITY", 0, &101u32.to_le_bytes()).is_err());
        assert!(s.set_vault_property("_VBRENABLED", 0, &1u32.to_le_bytes()).is_err());
        assert!(s.set_vault_property("_RMAX", 0, &[1, 2]).is_err());
        assert!(s.set_vault_property("", 0, &[0; 4]).is_err());
        let mut t = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
        t.copy_vault_from(&s).unwrap();
        assert_eq!(t.vault_properties(), s.vault_properties());
        t.clear_vault();
        assert!(t.vault_properties().is_empty());
        assert_eq!(t.vbr, crate::profile::VbrSettings::default());
    }
}
