//! GUIDs: the [`Guid`] type and the SDK's named media-type, subtype and format GUIDs.
#![forbid(unsafe_code)]

use std::fmt;

/// A Windows GUID (`Data1`, `Data2`, `Data3`, `Data4`), stored on disk in memory order
/// (the three integers little-endian, then the eight bytes as they are).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Guid {
    /// First 32 bits.
    pub data1: u32,
    /// Next 16 bits.
    pub data2: u16,
    /// Next 16 bits.
    pub data3: u16,
    /// Last 8 bytes.
    pub data4: [u8; 8],
}

impl Guid {
    /// The all-zero GUID (`GUID_NULL`).
    pub const NULL: Guid = Guid::new(0, 0, 0, [0; 8]);

    /// A GUID from its four parts.
    pub const fn new(data1: u32, data2: u16, data3: u16, data4: [u8; 8]) -> Self {
        Guid { data1, data2, data3, data4 }
    }

    /// A FOURCC / format-tag subtype: `XXXXXXXX-0000-0010-8000-00AA00389B71`.
    pub const fn fourcc(data1: u32) -> Self {
        Guid::new(data1, 0x0000, 0x0010, [0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71])
    }

    /// Whether this is a FOURCC-style subtype (see [`Guid::fourcc`]).
    pub fn is_fourcc_subtype(&self) -> bool {
        *self == Guid::fourcc(self.data1)
    }

    /// The 16 bytes as stored in ASF files and in memory.
    pub const fn to_bytes(&self) -> [u8; 16] {
        let a = self.data1.to_le_bytes();
        let b = self.data2.to_le_bytes();
        let c = self.data3.to_le_bytes();
        let d = self.data4;
        [a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]
    }

    /// Parse the 16 on-disk bytes.
    pub fn from_bytes(b: &[u8; 16]) -> Self {
        let mut d4 = [0u8; 8];
        d4.copy_from_slice(&b[8..16]);
        Guid::new(u32::from_le_bytes([b[0], b[1], b[2], b[3]]), u16::from_le_bytes([b[4], b[5]]), u16::from_le_bytes([b[6], b[7]]), d4)
    }

    /// Parse `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, with or without braces, any case.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix('{').and_then(|x| x.strip_suffix('}')).unwrap_or(s);
        let parts: Vec<&str> = s.split('-').collect();
        let lens = [8, 4, 4, 4, 12];
        if parts.len() != 5 || parts.iter().zip(lens).any(|(p, l)| p.len() != l || !p.bytes().all(|c| c.is_ascii_hexdigit())) {
            return None;
        }
        let d1 = u32::from_str_radix(parts[0], 16).ok()?;
        let d2 = u16::from_str_radix(parts[1], 16).ok()?;
        let d3 = u16::from_str_radix(parts[2], 16).ok()?;
        let tail = format!("{}{}", parts[3], parts[4]);
        let mut d4 = [0u8; 8];
        for (i, b) in d4.iter_mut().enumerate() {
            *b = u8::from_str_radix(&tail[i * 2..i * 2 + 2], 16).ok()?;
        }
        Some(Guid::new(d1, d2, d3, d4))
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.data4;
        write!(
            f,
            "{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}",
            self.data1, self.data2, self.data3, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{self}}}")
    }
}

/// The SDK's named GUIDs (`wmsdkidl.h`), under their SDK names.
#[allow(missing_docs)]
pub mod sdk {
    use super::Guid;

    const BASE: [u8; 8] = [0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
    const RGB: [u8; 8] = [0x9F, 0x53, 0x00, 0x20, 0xAF, 0x0B, 0xA7, 0x70];
    const fn fcc(s: &[u8; 4]) -> u32 {
        u32::from_le_bytes(*s)
    }

    // Major types.
    pub const WMMEDIATYPE_AUDIO: Guid = Guid::new(0x73647561, 0x0000, 0x0010, BASE);
    pub const WMMEDIATYPE_VIDEO: Guid = Guid::new(0x73646976, 0x0000, 0x0010, BASE);
    pub const WMMEDIATYPE_SCRIPT: Guid = Guid::new(0x73636D64, 0x0000, 0x0010, BASE);
    pub const WMMEDIATYPE_IMAGE: Guid = Guid::new(0x34A50FD8, 0x8AA5, 0x4386, [0x81, 0xFE, 0xA0, 0xEF, 0xE0, 0x48, 0x8E, 0x31]);
    pub const WMMEDIATYPE_FILETRANSFER: Guid = Guid::new(0xD9E47579, 0x930E, 0x4427, [0xAD, 0xFC, 0xAD, 0x80, 0xF2, 0x90, 0xE4, 0x70]);
    pub const WMMEDIATYPE_TEXT: Guid = Guid::new(0x9BBA1EA7, 0x5AB2, 0x4829, [0xBA, 0x57, 0x09, 0x40, 0x20, 0x9B, 0xCF, 0x3E]);

    // Audio subtypes.
    pub const WMMEDIASUBTYPE_BASE: Guid = Guid::new(0, 0x0000, 0x0010, BASE);
    pub const WMMEDIASUBTYPE_PCM: Guid = Guid::fourcc(0x0001);
    pub const WMMEDIASUBTYPE_DRM: Guid = Guid::fourcc(0x0009);
    pub const WMMEDIASUBTYPE_WMSP1: Guid = Guid::fourcc(0x000A);
    pub const WMMEDIASUBTYPE_WMSP2: Guid = Guid::fourcc(0x000B);
    pub const WMMEDIASUBTYPE_MP3: Guid = Guid::fourcc(0x0055);
    pub const WMMEDIASUBTYPE_ACELPNET: Guid = Guid::fourcc(0x0130);
    pub const WMMEDIASUBTYPE_WMAUDIOV8: Guid = Guid::fourcc(0x0161);
    pub const WMMEDIASUBTYPE_WMAUDIOV9: Guid = Guid::fourcc(0x0162);
    pub const WMMEDIASUBTYPE_WMAUDIO_LOSSLESS: Guid = Guid::fourcc(0x0163);

    // Video subtypes.
    pub const WMMEDIASUBTYPE_WMV1: Guid = Guid::fourcc(fcc(b"WMV1"));
    pub const WMMEDIASUBTYPE_WMV2: Guid = Guid::fourcc(fcc(b"WMV2"));
    pub const WMMEDIASUBTYPE_WMV3: Guid = Guid::fourcc(fcc(b"WMV3"));
    pub const WMMEDIASUBTYPE_WMVA: Guid = Guid::fourcc(fcc(b"WMVA"));
    pub const WMMEDIASUBTYPE_WVC1: Guid = Guid::fourcc(fcc(b"WVC1"));
    pub const WMMEDIASUBTYPE_WMVP: Guid = Guid::fourcc(fcc(b"WMVP"));
    pub const WMMEDIASUBTYPE_WVP2: Guid = Guid::fourcc(fcc(b"WVP2"));
    pub const WMMEDIASUBTYPE_MSS1: Guid = Guid::fourcc(fcc(b"MSS1"));
    pub const WMMEDIASUBTYPE_MSS2: Guid = Guid::fourcc(fcc(b"MSS2"));
    pub const WMMEDIASUBTYPE_MP43: Guid = Guid::fourcc(fcc(b"MP43"));
    pub const WMMEDIASUBTYPE_MP4S: Guid = Guid::fourcc(fcc(b"MP4S"));
    pub const WMMEDIASUBTYPE_M4S2: Guid = Guid::fourcc(fcc(b"M4S2"));
    pub const WMMEDIASUBTYPE_I420: Guid = Guid::fourcc(fcc(b"I420"));
    pub const WMMEDIASUBTYPE_IYUV: Guid = Guid::fourcc(fcc(b"IYUV"));
    pub const WMMEDIASUBTYPE_YV12: Guid = Guid::fourcc(fcc(b"YV12"));
    pub const WMMEDIASUBTYPE_YUY2: Guid = Guid::fourcc(fcc(b"YUY2"));
    pub const WMMEDIASUBTYPE_UYVY: Guid = Guid::fourcc(fcc(b"UYVY"));
    pub const WMMEDIASUBTYPE_YVYU: Guid = Guid::fourcc(fcc(b"YVYU"));
    pub const WMMEDIASUBTYPE_P422: Guid = Guid::fourcc(fcc(b"P422"));
    pub const WMMEDIASUBTYPE_YVU9: Guid = Guid::fourcc(fcc(b"YVU9"));
    pub const WMMEDIASUBTYPE_RGB1: Guid = Guid::new(0xE436EB78, 0x524F, 0x11CE, RGB);
    pub const WMMEDIASUBTYPE_RGB4: Guid = Guid::new(0xE436EB79, 0x524F, 0x11CE, RGB);
    pub const WMMEDIASUBTYPE_RGB8: Guid = Guid::new(0xE436EB7A, 0x524F, 0x11CE, RGB);
    pub const WMMEDIASUBTYPE_RGB565: Guid = Guid::new(0xE436EB7B, 0x524F, 0x11CE, RGB);
    pub const WMMEDIASUBTYPE_RGB555: Guid = Guid::new(0xE436EB7C, 0x524F, 0x11CE, RGB);
    pub const WMMEDIASUBTYPE_RGB24: Guid = Guid::new(0xE436EB7D, 0x524F, 0x11CE, RGB);
    pub const WMMEDIASUBTYPE_RGB32: Guid = Guid::new(0xE436EB7E, 0x524F, 0x11CE, RGB);
    pub const WMMEDIASUBTYPE_MPEG2_VIDEO: Guid = Guid::new(0xE06D8026, 0xDB46, 0x11CF, [0xB4, 0xD1, 0x00, 0x80, 0x5F, 0x6C, 0xBB, 0xEA]);
    pub const WMMEDIASUBTYPE_VIDEOIMAGE: Guid = Guid::new(0x1D4A45F2, 0xE5F6, 0x4B44, [0x83, 0x88, 0xF0, 0xAE, 0x5C, 0x0E, 0x0C, 0x37]);
    pub const WMMEDIASUBTYPE_WEBSTREAM: Guid = Guid::new(0x776257D4, 0xC627, 0x41CB, [0x8F, 0x81, 0x7A, 0xC7, 0xFF, 0x1C, 0x40, 0xCC]);
    pub const WMSCRIPTTYPE_TWOSTRINGS: Guid = Guid::new(0x82F38A70, 0xC29F, 0x11D1, [0x97, 0xAD, 0x00, 0xA0, 0xC9, 0x5E, 0xA8, 0x50]);

    // Format types.
    pub const WMFORMAT_VIDEOINFO: Guid = Guid::new(0x05589F80, 0xC356, 0x11CE, [0xBF, 0x01, 0x00, 0xAA, 0x00, 0x55, 0x59, 0x5A]);
    pub const WMFORMAT_WAVEFORMATEX: Guid = Guid::new(0x05589F81, 0xC356, 0x11CE, [0xBF, 0x01, 0x00, 0xAA, 0x00, 0x55, 0x59, 0x5A]);
    pub const WMFORMAT_MPEG2VIDEO: Guid = Guid::new(0xE06D80E3, 0xDB46, 0x11CF, [0xB4, 0xD1, 0x00, 0x80, 0x5F, 0x6C, 0xBB, 0xEA]);
    pub const WMFORMAT_SCRIPT: Guid = Guid::new(0x5C8510F2, 0xDEBE, 0x4CA7, [0xBB, 0xA5, 0xF0, 0x7A, 0x10, 0x4F, 0x8D, 0xFF]);
    pub const WMFORMAT_WEBSTREAM: Guid = Guid::new(0xDA1E6B13, 0x8359, 0x4050, [0xB3, 0x98, 0x38, 0x8E, 0x96, 0x5B, 0xF0, 0x0C]);

    // Sample extensions (data-unit extension IDs).
    pub const WM_SAMPLEEXTENSIONGUID_OUTPUTCLEANPOINT: Guid =
        Guid::new(0xF72A3C6F, 0x6EB4, 0x4EBC, [0xB1, 0x92, 0x09, 0xAD, 0x97, 0x59, 0xE8, 0x28]);
    pub const WM_SAMPLEEXTENSIONGUID_TIMECODE: Guid =
        Guid::new(0x399595EC, 0x8667, 0x4E2D, [0x8F, 0xDB, 0x98, 0x81, 0x4C, 0xE7, 0x6C, 0x1E]);
    pub const WM_SAMPLEEXTENSIONGUID_CHROMALOCATION: Guid =
        Guid::new(0x4C5ACCA0, 0x9276, 0x4B2C, [0x9E, 0x4C, 0xA0, 0xED, 0xEF, 0xDD, 0x21, 0x7E]);
    pub const WM_SAMPLEEXTENSIONGUID_COLORSPACEINFO: Guid =
        Guid::new(0xF79ADA56, 0x30EB, 0x4F2B, [0x9F, 0x7A, 0xF2, 0x4B, 0x13, 0x9A, 0x11, 0x57]);
    pub const WM_SAMPLEEXTENSIONGUID_USERDATAINFO: Guid =
        Guid::new(0x732BB4FA, 0x78BE, 0x4549, [0x99, 0xBD, 0x02, 0xDB, 0x1A, 0x55, 0xB7, 0xA8]);
    pub const WM_SAMPLEEXTENSIONGUID_FILENAME: Guid =
        Guid::new(0xE165EC0E, 0x19ED, 0x45D7, [0xB4, 0xA7, 0x25, 0xCB, 0xD1, 0xE2, 0x8E, 0x9B]);
    pub const WM_SAMPLEEXTENSIONGUID_CONTENTTYPE: Guid =
        Guid::new(0xD590DC20, 0x07BC, 0x436C, [0x9C, 0xF7, 0xF3, 0xBB, 0xFB, 0xF1, 0xA4, 0xDC]);
    pub const WM_SAMPLEEXTENSIONGUID_PIXELASPECTRATIO: Guid =
        Guid::new(0x1B1EE554, 0xF9EA, 0x4BC8, [0x82, 0x1A, 0x37, 0x6B, 0x74, 0xE4, 0xC4, 0xB8]);
    pub const WM_SAMPLEEXTENSIONGUID_SAMPLEDURATION: Guid =
        Guid::new(0xC6BD9450, 0x867F, 0x4907, [0x83, 0xA3, 0xC7, 0x79, 0x21, 0xB7, 0x33, 0xAD]);
    pub const WM_SAMPLEEXTENSIONGUID_SAMPLEPROTECTIONSALT: Guid =
        Guid::new(0x5403DEEE, 0xB9EE, 0x438F, [0xAA, 0x83, 0x38, 0x04, 0x99, 0x7E, 0x56, 0x9D]);

    // Mutual exclusion and bandwidth sharing types.
    pub const CLSID_WMMUTEX_LANGUAGE: Guid = Guid::new(0xD6E22A00, 0x35DA, 0x11D1, [0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE]);
    pub const CLSID_WMMUTEX_BITRATE: Guid = Guid::new(0xD6E22A01, 0x35DA, 0x11D1, [0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE]);
    pub const CLSID_WMMUTEX_PRESENTATION: Guid = Guid::new(0xD6E22A02, 0x35DA, 0x11D1, [0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE]);
    pub const CLSID_WMMUTEX_UNKNOWN: Guid = Guid::new(0xD6E22A03, 0x35DA, 0x11D1, [0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE]);
    pub const CLSID_WMBANDWIDTHSHARING_EXCLUSIVE: Guid =
        Guid::new(0xAF6060AA, 0x5197, 0x11D2, [0xB6, 0xAF, 0x00, 0xC0, 0x4F, 0xD9, 0x08, 0xE9]);
    pub const CLSID_WMBANDWIDTHSHARING_PARTIAL: Guid =
        Guid::new(0xAF6060AB, 0x5197, 0x11D2, [0xB6, 0xAF, 0x00, 0xC0, 0x4F, 0xD9, 0x08, 0xE9]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip_and_text() {
        let g = Guid::parse("{75B22630-668E-11CF-A6D9-00AA0062CE6C}").unwrap();
        assert_eq!(g.to_bytes(), [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11, 0xA6, 0xD9, 0x00, 0xAA, 0x00, 0x62, 0xCE, 0x6C]);
        assert_eq!(Guid::from_bytes(&g.to_bytes()), g);
        assert_eq!(g.to_string(), "75B22630-668E-11CF-A6D9-00AA0062CE6C");
        assert_eq!(Guid::parse("75b22630-668e-11cf-a6d9-00aa0062ce6c"), Some(g));
        assert_eq!(Guid::parse("75b22630-668e-11cf-a6d9-00aa0062ce6"), None);
        assert_eq!(Guid::parse("75b22630-668e-11cf-a6d9-00aa0062ce6x"), None);
    }

    #[test]
    fn fourcc_subtypes() {
        assert_eq!(sdk::WMMEDIASUBTYPE_WMV3.to_string(), "33564D57-0000-0010-8000-00AA00389B71");
        assert!(sdk::WMMEDIASUBTYPE_PCM.is_fourcc_subtype());
        assert!(!sdk::WMMEDIASUBTYPE_RGB24.is_fourcc_subtype());
    }
}
