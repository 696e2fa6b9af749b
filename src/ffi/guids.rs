//! `WMGuid` and the SDK's GUIDs exported under their SDK names.

use crate::guid::{sdk, Guid};

/// A GUID, laid out like the Windows `GUID` struct.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct WMGuid {
    /// First 32 bits.
    pub Data1: u32,
    /// Next 16 bits.
    pub Data2: u16,
    /// Next 16 bits.
    pub Data3: u16,
    /// Last 8 bytes.
    pub Data4: [u8; 8],
}

impl WMGuid {
    pub(crate) const fn of(g: Guid) -> Self {
        WMGuid { Data1: g.data1, Data2: g.data2, Data3: g.data3, Data4: g.data4 }
    }
    pub(crate) const fn guid(&self) -> Guid {
        Guid::new(self.Data1, self.Data2, self.Data3, self.Data4)
    }
}

/// Major type: audio ('auds').
#[no_mangle]
pub static WMMEDIATYPE_Audio: WMGuid = WMGuid::of(sdk::WMMEDIATYPE_AUDIO);

/// Major type: video ('vids').
#[no_mangle]
pub static WMMEDIATYPE_Video: WMGuid = WMGuid::of(sdk::WMMEDIATYPE_VIDEO);

/// Major type: script commands ('scmd').
#[no_mangle]
pub static WMMEDIATYPE_Script: WMGuid = WMGuid::of(sdk::WMMEDIATYPE_SCRIPT);

/// Major type: images.
#[no_mangle]
pub static WMMEDIATYPE_Image: WMGuid = WMGuid::of(sdk::WMMEDIATYPE_IMAGE);

/// Major type: file transfer.
#[no_mangle]
pub static WMMEDIATYPE_FileTransfer: WMGuid = WMGuid::of(sdk::WMMEDIATYPE_FILETRANSFER);

/// Major type: text.
#[no_mangle]
pub static WMMEDIATYPE_Text: WMGuid = WMGuid::of(sdk::WMMEDIATYPE_TEXT);

/// Subtype base (Data1 = FOURCC or format tag).
#[no_mangle]
pub static WMMEDIASUBTYPE_Base: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_BASE);

/// Uncompressed PCM audio.
#[no_mangle]
pub static WMMEDIASUBTYPE_PCM: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_PCM);

/// DRM-protected PCM.
#[no_mangle]
pub static WMMEDIASUBTYPE_DRM: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_DRM);

/// WMA 9 Voice.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMSP1: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMSP1);

/// WMA 9 Voice (v2).
#[no_mangle]
pub static WMMEDIASUBTYPE_WMSP2: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMSP2);

/// MP3.
#[no_mangle]
pub static WMMEDIASUBTYPE_MP3: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_MP3);

/// ACELP.net.
#[no_mangle]
pub static WMMEDIASUBTYPE_ACELPnet: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_ACELPNET);

/// WMA 2 (= V7 = V8).
#[no_mangle]
pub static WMMEDIASUBTYPE_WMAudioV2: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMAUDIOV8);

/// WMA 7 (= V2 = V8).
#[no_mangle]
pub static WMMEDIASUBTYPE_WMAudioV7: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMAUDIOV8);

/// WMA 8 (= V2 = V7).
#[no_mangle]
pub static WMMEDIASUBTYPE_WMAudioV8: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMAUDIOV8);

/// WMA 9 Professional.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMAudioV9: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMAUDIOV9);

/// WMA 9 Lossless.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMAudio_Lossless: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMAUDIO_LOSSLESS);

/// WMV 7.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMV1: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMV1);

/// WMV 8.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMV2: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMV2);

/// WMV 9.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMV3: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMV3);

/// WMV 9 Advanced.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMVA: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMVA);

/// VC-1.
#[no_mangle]
pub static WMMEDIASUBTYPE_WVC1: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WVC1);

/// WMV 9 Image.
#[no_mangle]
pub static WMMEDIASUBTYPE_WMVP: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WMVP);

/// WMV 9 Image v2.
#[no_mangle]
pub static WMMEDIASUBTYPE_WVP2: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WVP2);

/// Screen codec v1.
#[no_mangle]
pub static WMMEDIASUBTYPE_MSS1: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_MSS1);

/// Screen codec v2.
#[no_mangle]
pub static WMMEDIASUBTYPE_MSS2: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_MSS2);

/// MS MPEG-4 v3.
#[no_mangle]
pub static WMMEDIASUBTYPE_MP43: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_MP43);

/// ISO MPEG-4 v1.
#[no_mangle]
pub static WMMEDIASUBTYPE_MP4S: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_MP4S);

/// ISO MPEG-4 v1.1.
#[no_mangle]
pub static WMMEDIASUBTYPE_M4S2: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_M4S2);

/// Planar 4:2:0, U before V.
#[no_mangle]
pub static WMMEDIASUBTYPE_I420: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_I420);

/// = I420.
#[no_mangle]
pub static WMMEDIASUBTYPE_IYUV: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_IYUV);

/// Planar 4:2:0, V before U.
#[no_mangle]
pub static WMMEDIASUBTYPE_YV12: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_YV12);

/// Packed 4:2:2 Y0 U Y1 V.
#[no_mangle]
pub static WMMEDIASUBTYPE_YUY2: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_YUY2);

/// Packed 4:2:2 U Y0 V Y1.
#[no_mangle]
pub static WMMEDIASUBTYPE_UYVY: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_UYVY);

/// Packed 4:2:2 Y0 V Y1 U.
#[no_mangle]
pub static WMMEDIASUBTYPE_YVYU: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_YVYU);

/// Planar 4:2:2.
#[no_mangle]
pub static WMMEDIASUBTYPE_P422: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_P422);

/// Planar 16:1:1.
#[no_mangle]
pub static WMMEDIASUBTYPE_YVU9: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_YVU9);

/// 1-bit palettized RGB.
#[no_mangle]
pub static WMMEDIASUBTYPE_RGB1: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_RGB1);

/// 4-bit palettized RGB.
#[no_mangle]
pub static WMMEDIASUBTYPE_RGB4: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_RGB4);

/// 8-bit palettized RGB.
#[no_mangle]
pub static WMMEDIASUBTYPE_RGB8: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_RGB8);

/// 16-bit RGB 5:6:5.
#[no_mangle]
pub static WMMEDIASUBTYPE_RGB565: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_RGB565);

/// 16-bit RGB 5:5:5.
#[no_mangle]
pub static WMMEDIASUBTYPE_RGB555: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_RGB555);

/// 24-bit RGB.
#[no_mangle]
pub static WMMEDIASUBTYPE_RGB24: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_RGB24);

/// 32-bit RGB.
#[no_mangle]
pub static WMMEDIASUBTYPE_RGB32: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_RGB32);

/// MPEG-2 video.
#[no_mangle]
pub static WMMEDIASUBTYPE_MPEG2_VIDEO: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_MPEG2_VIDEO);

/// WMV 9 Image codec input.
#[no_mangle]
pub static WMMEDIASUBTYPE_VIDEOIMAGE: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_VIDEOIMAGE);

/// Web stream.
#[no_mangle]
pub static WMMEDIASUBTYPE_WebStream: WMGuid = WMGuid::of(sdk::WMMEDIASUBTYPE_WEBSTREAM);

/// Script samples made of a type string and a command string.
#[no_mangle]
pub static WMSCRIPTTYPE_TwoStrings: WMGuid = WMGuid::of(sdk::WMSCRIPTTYPE_TWOSTRINGS);

/// Format block: WMVIDEOINFOHEADER.
#[no_mangle]
pub static WMFORMAT_VideoInfo: WMGuid = WMGuid::of(sdk::WMFORMAT_VIDEOINFO);

/// Format block: WAVEFORMATEX.
#[no_mangle]
pub static WMFORMAT_WaveFormatEx: WMGuid = WMGuid::of(sdk::WMFORMAT_WAVEFORMATEX);

/// Format block: WMMPEG2VIDEOINFO.
#[no_mangle]
pub static WMFORMAT_MPEG2Video: WMGuid = WMGuid::of(sdk::WMFORMAT_MPEG2VIDEO);

/// Format block: WMSCRIPTFORMAT.
#[no_mangle]
pub static WMFORMAT_Script: WMGuid = WMGuid::of(sdk::WMFORMAT_SCRIPT);

/// Format block: WMT_WEBSTREAM_FORMAT.
#[no_mangle]
pub static WMFORMAT_WebStream: WMGuid = WMGuid::of(sdk::WMFORMAT_WEBSTREAM);

/// Mutual exclusion by language.
#[no_mangle]
pub static CLSID_WMMUTEX_Language: WMGuid = WMGuid::of(sdk::CLSID_WMMUTEX_LANGUAGE);

/// Mutual exclusion by bit rate.
#[no_mangle]
pub static CLSID_WMMUTEX_Bitrate: WMGuid = WMGuid::of(sdk::CLSID_WMMUTEX_BITRATE);

/// Mutual exclusion by presentation.
#[no_mangle]
pub static CLSID_WMMUTEX_Presentation: WMGuid = WMGuid::of(sdk::CLSID_WMMUTEX_PRESENTATION);

/// Application-defined mutual exclusion.
#[no_mangle]
pub static CLSID_WMMUTEX_Unknown: WMGuid = WMGuid::of(sdk::CLSID_WMMUTEX_UNKNOWN);

/// Exclusive bandwidth sharing.
#[no_mangle]
pub static CLSID_WMBandwidthSharing_Exclusive: WMGuid = WMGuid::of(sdk::CLSID_WMBANDWIDTHSHARING_EXCLUSIVE);

/// Partial bandwidth sharing.
#[no_mangle]
pub static CLSID_WMBandwidthSharing_Partial: WMGuid = WMGuid::of(sdk::CLSID_WMBANDWIDTHSHARING_PARTIAL);
/// Sample extension (data-unit extension) ID: clean point of the output.
#[no_mangle]
pub static WM_SampleExtensionGUID_OutputCleanPoint: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_OUTPUTCLEANPOINT);
/// Sample extension (data-unit extension) ID: SMPTE timecode (WMT_TIMECODE_EXTENSION_DATA, 14 bytes).
#[no_mangle]
pub static WM_SampleExtensionGUID_Timecode: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_TIMECODE);
/// Sample extension (data-unit extension) ID: chroma location (1 byte).
#[no_mangle]
pub static WM_SampleExtensionGUID_ChromaLocation: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_CHROMALOCATION);
/// Sample extension (data-unit extension) ID: color space (3 bytes).
#[no_mangle]
pub static WM_SampleExtensionGUID_ColorSpaceInfo: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_COLORSPACEINFO);
/// Sample extension (data-unit extension) ID: user data.
#[no_mangle]
pub static WM_SampleExtensionGUID_UserDataInfo: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_USERDATAINFO);
/// Sample extension (data-unit extension) ID: file name (variable).
#[no_mangle]
pub static WM_SampleExtensionGUID_FileName: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_FILENAME);
/// Sample extension (data-unit extension) ID: content type / interlace flags (1 byte).
#[no_mangle]
pub static WM_SampleExtensionGUID_ContentType: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_CONTENTTYPE);
/// Sample extension (data-unit extension) ID: pixel aspect ratio (2 bytes).
#[no_mangle]
pub static WM_SampleExtensionGUID_PixelAspectRatio: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_PIXELASPECTRATIO);
/// Sample extension (data-unit extension) ID: sample duration in ms (2 bytes).
#[no_mangle]
pub static WM_SampleExtensionGUID_SampleDuration: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_SAMPLEDURATION);
/// Sample extension (data-unit extension) ID: sample protection salt.
#[no_mangle]
pub static WM_SampleExtensionGUID_SampleProtectionSalt: WMGuid = WMGuid::of(sdk::WM_SAMPLEEXTENSIONGUID_SAMPLEPROTECTIONSALT);
