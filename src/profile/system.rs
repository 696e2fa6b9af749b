//! The SDK's system profiles (`wmsysprf.h`): 21 of version 4.0, 26 of 7.0, 27 of 8.0,
//! none of 9.0. `load_profile_by_id` finds any of them; `get_system_profile_count` /
//! `load_system_profile` see the manager's `set_system_profile_version` set.
//!
//! GUIDs and identifiers are the SDK header's; version-8.0 names and descriptions are
//! Microsoft's documentation table; version-7.0 and 4.0 names are what the WMF 7 runtime
//! enumerated (public programs list them). Not published anywhere, and therefore **this
//! project's choice**: the version-7.0/4.0 descriptions, the names of the two V7 PDA
//! profiles (made parallel to the V8 ones), and every stream setting. The settings are
//! derived from each name and description, plausible for the era:
//! - codecs: v8 = WMV 8 (`WMV2`) + WMA 8 (0x0161); v7 = WMV 7 (`WMV1`) + WMA 7 (0x0161);
//!   v4 = MS-MPEG-4 v3 (`MP43`, the Windows Media 4 video codec) + WMA 2 (0x0161, the
//!   audio codec of Windows Media Technologies 4); the voice profiles use ACELP.net
//!   (0x0130): 6.5 kbit/s is an ACELP.net rate (WMA Voice, 0x000A, came with WMF 9). No
//!   open encoder exists for it, so those profiles load and `begin_writing` reports
//!   `NS_E_AUDIO_CODEC_NOT_INSTALLED` unless the audio is written in passthrough;
//! - bit rates: the streams add up to the name's number, except "28.8" (22 kbit/s of
//!   streams) and "56" (40 kbit/s), what such modems carry after overhead;
//! - video: 15 fps up to 256 kbit/s, 30 fps (29.97 for "NTSC", 25 for "PAL", 24 for
//!   "film content") above; frame sizes 160×120 (≤ 28.8), 176×144 (≤ 64), 240×176 (100),
//!   208×160 (Pocket PC), 320×240 (≤ 768), 384×288 (PAL), 640×480 (≥ 1 Mbit/s): widths
//!   multiples of 16, heights of 8; key frames every 8 s up to 100 kbit/s, 5 s above; quality 75 (50 for
//!   "web server" profiles, which also get a 10 s buffer window; others 5 s);
//! - audio: a WMA format of [`super::codec_info::WMA2_CBR`]'s kind, SDK style
//!   ([`super::codec_info::wma_format`]);
//! - multiple-bit-rate profiles: one audio stream and 2–3 video streams of one size
//!   family in a bit-rate mutual exclusion, sharing the connection name "Video";
//! - quality-VBR profiles (V80 FAIR/HIGH/BEST): 640×480 29.97 fps video with VBR quality
//!   50/75/95 (peak = the nominal rate) and WMA 64/96/128 kbit/s CBR.
#![forbid(unsafe_code)]

use super::codec_info::{video_format, voice_format, wma_format};
use super::{MutualExclusionData, ProfileData, StreamConfigData};
use crate::error::Result;
use crate::guid::{sdk, Guid};
use crate::{bail, err};

/// `WMT_VER_4_0`.
pub(crate) const V4: u32 = 0x0004_0000;
/// `WMT_VER_7_0`.
pub(crate) const V7: u32 = 0x0007_0000;
/// `WMT_VER_8_0`.
pub(crate) const V8: u32 = 0x0008_0000;

/// Audio of a system profile: (format tag, bit rate, sample rate, channels).
type A = (u16, u32, u32, u16);
/// Video of a system profile: (bit rate, width, height, AvgTimePerFrame in 100 ns).
type V = (u32, i32, i32, i64);

const NTSC: i64 = 333_667;
const PAL: i64 = 400_000;
const FILM: i64 = 417_083;
const F30: i64 = 333_333;
const F15: i64 = 666_667;

const fn wma(b: u32, rate: u32, ch: u16) -> Option<A> {
    Some((0x0161, b, rate, ch))
}
const VOICE: Option<A> = Some((0x0130, 6_500, 8_000, 1));

/// One system profile: identity and the settings this project derived for it.
#[derive(Clone, Copy, Debug)]
pub struct SystemProfileDef {
    /// The `wmsysprf.h` identifier, e.g. `WMProfile_V80_256Video`.
    pub ident: &'static str,
    /// The GUID (`LoadProfileByID`, `GetProfileID`).
    pub guid: &'static str,
    /// `WMT_VER_*`.
    pub version: u32,
    /// `GetName`.
    pub name: &'static str,
    /// `GetDescription`.
    pub description: &'static str,
    /// The audio stream, if any.
    pub audio: Option<A>,
    /// Video streams (more than one = multiple bit rate, mutually exclusive).
    pub video: &'static [V],
    /// Video quality (0..100) or, when `vbr`, the VBR quality.
    pub quality: u32,
    /// Quality-based VBR video.
    pub vbr: bool,
    /// Buffer window of every stream (ms).
    pub buffer_window: u32,
}

const fn p(
    ident: &'static str,
    guid: &'static str,
    version: u32,
    name: &'static str,
    description: &'static str,
    audio: Option<A>,
    video: &'static [V],
) -> SystemProfileDef {
    SystemProfileDef { ident, guid, version, name, description, audio, video, quality: 75, vbr: false, buffer_window: 5000 }
}

const fn web(d: SystemProfileDef) -> SystemProfileDef {
    SystemProfileDef { quality: 50, buffer_window: 10_000, ..d }
}

const fn vbr(d: SystemProfileDef, quality: u32) -> SystemProfileDef {
    SystemProfileDef { quality, vbr: true, ..d }
}

const V_MUSIC: &str = "Use this profile for radio and music content (audio only).";
const V_LAN: &str = "Use this profile for high quality audio/video content intended for local playback or for download and playback.";
const V_HS: &str = "Use this profile for target audiences with high speed Internet or LAN connections.";
const V_VONLY: &str = "Use this profile when creating video-only content for target audiences with dial-up modems.";

/// Every system profile, version 8.0 then 7.0 then 4.0, each in `wmsysprf.h` order
/// (which is also this library's enumeration order).
pub static SYSTEM_PROFILES: [SystemProfileDef; 74] = [
    // ---- Version 8.0 (names and descriptions: Microsoft's system-profiles table) ----
    p("WMProfile_V80_255VideoPDA", "FEEDBCDF-3FAC-4c93-AC0D-47941EC72C0B", V8, "Windows Media Video 8 for Color Pocket PCs (225 Kbps)",
      "Use this profile when creating video files for playback on faster color Pocket PCs.", wma(32_000, 22_050, 2), &[(193_000, 208, 160, F15)]),
    p("WMProfile_V80_150VideoPDA", "AEE16DFA-2C14-4a2f-AD3F-A3034031784F", V8, "Windows Media Video 8 for Color Pocket PCs (150 Kbps)",
      "Use this profile when creating video files for playback on most Pocket PCs.", wma(20_000, 22_050, 2), &[(130_000, 208, 160, F15)]),
    p("WMProfile_V80_28856VideoMBR", "D66920C4-C21F-4ec8-A0B4-95CF2BD57FC4", V8, "Windows Media Video 8 for Dial-up Modems or Single-channel ISDN (28.8 to 56 Kbps)",
      "Use this multiple bit rate profile for target audiences with dial-up modems or single-channel ISDN connections (bandwidth is between 28.8 Kbps and 56 Kbps).",
      wma(8_000, 8_000, 1), &[(14_000, 160, 120, F15), (32_000, 160, 120, F15), (48_000, 160, 120, F15)]),
    p("WMProfile_V80_100768VideoMBR", "5BDB5A0E-979E-47d3-9596-73B386392A55", V8, "Windows Media Video 8 for LAN, Cable Modem, or xDSL (100 to 768 Kbps)",
      "Use this multiple bit rate profile for target audiences with dual-channel ISDN, LAN, cable modem, or xDSL connections (bandwidth is between 100 Kbps and 500 Kbps).",
      wma(32_000, 44_100, 2), &[(68_000, 320, 240, F30), (268_000, 320, 240, F30), (736_000, 320, 240, F30)]),
    p("WMProfile_V80_288100VideoMBR", "D8722C69-2419-4b36-B4E0-6E17B60564E5", V8, "Windows Media Video 8 for Dial-up Modems or LAN (28.8 to 100 Kbps)",
      "Use this multiple bit rate profile for target audiences with dial-up modem, LAN, or dual-channel ISDN connections (bandwidth is between 28.8 and 100 Kbps).",
      wma(8_000, 8_000, 1), &[(14_000, 176, 144, F15), (32_000, 176, 144, F15), (92_000, 176, 144, F15)]),
    p("WMProfile_V80_288Video", "3DF678D9-1352-4186-BBF8-74F0C19B6AE2", V8, "Windows Media Video 8 for Dial-up Modems (28.8 Kbps)",
      "Use this profile for low bit rate audio/video delivery over 28.8 Kbps dial-up connections.", wma(8_000, 8_000, 1), &[(14_000, 160, 120, F15)]),
    p("WMProfile_V80_56Video", "254E8A96-2612-405c-8039-F0BF725CED7D", V8, "Windows Media Video 8 for Dial-up Modems (56 Kbps)",
      "Use this profile for low bit rate audio/video delivery over 56 Kbps dial-up connections.", wma(10_000, 11_025, 1), &[(30_000, 176, 144, F15)]),
    p("WMProfile_V80_100Video", "A2E300B4-C2D4-4fc0-B5DD-ECBD948DC0DF", V8, "Windows Media Video 8 for Local Area Network (100 Kbps)",
      "Use this profile for medium bit rate delivery over dual-channel ISDN, LAN, or cable modem connections.", wma(20_000, 22_050, 2), &[(80_000, 240, 176, F15)]),
    p("WMProfile_V80_256Video", "BBC75500-33D2-4466-B86B-122B201CC9AE", V8, "Windows Media Video 8 for Local Area Network (256 Kbps)",
      V_LAN, wma(32_000, 44_100, 2), &[(224_000, 320, 240, F15)]),
    p("WMProfile_V80_384Video", "29B00C2B-09A9-48bd-AD09-CDAE117D1DA7", V8, "Windows Media Video 8 for Local Area Network (384 Kbps)",
      V_LAN, wma(48_000, 44_100, 2), &[(336_000, 320, 240, F30)]),
    p("WMProfile_V80_768Video", "74D01102-E71A-4820-8F0D-13D2EC1E4872", V8, "Windows Media Video 8 for Local Area Network (768 Kbps)",
      V_LAN, wma(64_000, 44_100, 2), &[(704_000, 320, 240, F30)]),
    p("WMProfile_V80_700NTSCVideo", "C8C2985F-E5D9-4538-9E23-9B21BF78F745", V8, "Windows Media Video 8 for Broadband (NTSC, 700 Kbps)",
      "Use this profile for high quality audio/video content intended for local playback or download and playback.", wma(64_000, 44_100, 2), &[(636_000, 320, 240, NTSC)]),
    p("WMProfile_V80_1400NTSCVideo", "931D1BEE-617A-4bcd-9905-CCD0786683EE", V8, "Windows Media Video 8 for Broadband (NTSC, 1400 Kbps)",
      V_LAN, wma(128_000, 44_100, 2), &[(1_272_000, 640, 480, NTSC)]),
    p("WMProfile_V80_384PALVideo", "9227C692-AE62-4f72-A7EA-736062D0E21E", V8, "Windows Media Video 8 for Broadband (PAL, 384 Kbps)",
      V_LAN, wma(48_000, 44_100, 2), &[(336_000, 384, 288, PAL)]),
    p("WMProfile_V80_700PALVideo", "EC298949-639B-45e2-96FD-4AB32D5919C2", V8, "Windows Media Video 8 for Broadband (PAL, 700 Kbps)",
      V_LAN, wma(64_000, 44_100, 2), &[(636_000, 384, 288, PAL)]),
    p("WMProfile_V80_288MonoAudio", "7EA3126D-E1BA-4716-89AF-F65CEE0C0C67", V8, "Windows Media Audio 8 for Dial-up Modem (Mono, 28.8 Kbps)",
      V_MUSIC, wma(20_000, 22_050, 1), &[]),
    p("WMProfile_V80_288StereoAudio", "7E4CAB5C-35DC-45bb-A7C0-19B28070D0CC", V8, "Windows Media Audio 8 for Dial-up Modem (FM Radio Stereo, 28.8 Kbps)",
      V_MUSIC, wma(20_000, 22_050, 2), &[]),
    p("WMProfile_V80_32StereoAudio", "60907F9F-B352-47e5-B210-0EF1F47E9F9D", V8, "Windows Media Audio 8 for Dial-up Modem (32 Kbps)",
      V_MUSIC, wma(32_000, 32_000, 2), &[]),
    p("WMProfile_V80_48StereoAudio", "5EE06BE5-492B-480a-8A8F-12F373ECF9D4", V8, "Windows Media Audio 8 for Dial-up Modem (Near CD quality, 48 Kbps)",
      "Use for radio, music, and general purpose audio content.", wma(48_000, 44_100, 2), &[]),
    p("WMProfile_V80_64StereoAudio", "09BB5BC4-3176-457f-8DD6-3CD919123E2D", V8, "Windows Media Audio 8 for Dial-up Modem (CD quality, 64 Kbps)",
      V_HS, wma(64_000, 44_100, 2), &[]),
    p("WMProfile_V80_96StereoAudio", "1FC81930-61F2-436f-9D33-349F2A1C0F10", V8, "Windows Media Audio 8 for ISDN (Better than CD quality, 96 Kbps)",
      V_HS, wma(96_000, 44_100, 2), &[]),
    p("WMProfile_V80_128StereoAudio", "407B9450-8BDC-4ee5-88B8-6F527BD941F2", V8, "Windows Media Audio 8 for ISDN (Better than CD quality, 128 Kbps)",
      V_HS, wma(128_000, 44_100, 2), &[]),
    p("WMProfile_V80_288VideoOnly", "8C45B4C7-4AEB-4f78-A5EC-88420B9DADEF", V8, "Windows Media Video 8 for Dial-up Modem (No audio, 28.8 Kbps)",
      V_VONLY, None, &[(22_000, 160, 120, F15)]),
    p("WMProfile_V80_56VideoOnly", "6E2A6955-81DF-4943-BA50-68A986A708F6", V8, "Windows Media Video 8 for Dial-up Modem (No audio, 56 Kbps)",
      V_VONLY, None, &[(40_000, 176, 144, F15)]),
    vbr(p("WMProfile_V80_FAIRVBRVideo", "3510A862-5850-4886-835F-D78EC6A64042", V8, "Windows Media 8 Fair Quality based VBR for Broadband",
      "Fair to high quality based profile for VBR content that is quality constrained.", wma(64_000, 44_100, 2), &[(1_000_000, 640, 480, NTSC)]), 50),
    vbr(p("WMProfile_V80_HIGHVBRVideo", "0F10D9D3-3B04-4fb0-A3D3-88D4AC854ACC", V8, "Windows Media 8 High Quality based VBR for Broadband.",
      "High to best quality based profile for VBR content that is quality constrained.", wma(96_000, 44_100, 2), &[(1_500_000, 640, 480, NTSC)]), 75),
    vbr(p("WMProfile_V80_BESTVBRVideo", "048439BA-309C-440e-9CB4-3DCCA3756423", V8, "Windows Media 8 Best Quality based VBR for Broadband.",
      "Best quality based profile for VBR content that is quality constrained.", wma(128_000, 44_100, 2), &[(2_000_000, 640, 480, NTSC)]), 95),
    // ---- Version 7.0 (names: the WMF 7 runtime's enumeration; descriptions: this project's) ----
    p("WMProfile_V70_DialUpMBR", "5B16E74B-4068-45b5-B80E-7BF8C80D2C2F", V7, "Video for dial-up modems or single channel ISDN (28.8 to 56 Kbps)",
      "Multiple bit rate video for audiences with dial-up modems or single-channel ISDN (28.8 to 56 Kbps).",
      wma(8_000, 8_000, 1), &[(14_000, 160, 120, F15), (32_000, 160, 120, F15), (48_000, 160, 120, F15)]),
    p("WMProfile_V70_IntranetMBR", "045880DC-34B6-4ca9-A326-73557ED143F3", V7, "Video for LAN, cable modem, or xDSL (100 to 768 Kbps)",
      "Multiple bit rate video for audiences with LAN, cable modem or xDSL connections (100 to 768 Kbps).",
      wma(32_000, 44_100, 2), &[(68_000, 320, 240, F30), (268_000, 320, 240, F30), (736_000, 320, 240, F30)]),
    p("WMProfile_V70_2856100MBR", "07DF7A25-3FE2-4a5b-8B1E-348B0721CA70", V7, "Video for dial-up modems or LAN (28.8 to 100 Kbps)",
      "Multiple bit rate video for audiences with dial-up modems, ISDN or LAN connections (28.8 to 100 Kbps).",
      wma(8_000, 8_000, 1), &[(14_000, 176, 144, F15), (32_000, 176, 144, F15), (92_000, 176, 144, F15)]),
    p("WMProfile_V70_288VideoVoice", "B952F38E-7DBC-4533-A9CA-B00B1C6E9800", V7, "Video with voice emphasis for dial-up modems (28.8 Kbps)",
      "Video with voice-quality audio for 28.8 Kbps dial-up modems.", VOICE, &[(15_500, 160, 120, F15)]),
    p("WMProfile_V70_288VideoAudio", "58BBA0EE-896A-4948-9953-85B736F83947", V7, "Video with audio emphasis for dial-up modems (28.8 Kbps)",
      "Video with music-quality audio for 28.8 Kbps dial-up modems.", wma(10_000, 11_025, 1), &[(12_000, 160, 120, F15)]),
    web(p("WMProfile_V70_288VideoWebServer", "70A32E2B-E2DF-4ebd-9105-D9CA194A2D50", V7, "Video for Web servers (28.8 Kbps)",
      "Audio and video for download from a Web server over 28.8 Kbps dial-up modems.", wma(8_000, 8_000, 1), &[(14_000, 160, 120, F15)])),
    web(p("WMProfile_V70_56VideoWebServer", "DEF99E40-57BC-4ab3-B2D1-B6E3CAF64257", V7, "Video for Web servers (56 Kbps)",
      "Audio and video for download from a Web server over 56 Kbps dial-up modems.", wma(10_000, 11_025, 1), &[(30_000, 176, 144, F15)])),
    p("WMProfile_V70_64VideoISDN", "C2B7A7E9-7B8E-4992-A1A1-068217A3B311", V7, "Video for single-channel ISDN (64 Kbps)",
      "Audio and video for single-channel ISDN connections (64 Kbps).", wma(16_000, 16_000, 1), &[(32_000, 176, 144, F15)]),
    p("WMProfile_V70_100Video", "D9F3C932-5EA9-4c6d-89B4-2686E515426E", V7, "Video for e-mail and dual-channel ISDN (128 Kbps)",
      "Audio (mono) and video for e-mail attachments and dual-channel ISDN connections (128 Kbps).", wma(16_000, 16_000, 1), &[(84_000, 240, 176, F15)]),
    p("WMProfile_V70_256Video", "AFE69B3A-403F-4a1b-8007-0E21CFB3DF84", V7, "Video for broadband NTSC (256 Kbps)",
      "NTSC video and stereo audio for broadband connections (256 Kbps).", wma(32_000, 44_100, 2), &[(224_000, 320, 240, NTSC)]),
    p("WMProfile_V70_384Video", "F3D45FBB-8782-44df-97C6-8678E2F9B13D", V7, "Video for broadband NTSC (384 Kbps)",
      "NTSC video and stereo audio for broadband connections (384 Kbps).", wma(48_000, 44_100, 2), &[(336_000, 320, 240, NTSC)]),
    p("WMProfile_V70_768Video", "0326EBB6-F76E-4964-B0DB-E729978D35EE", V7, "Video for broadband NTSC (768 Kbps)",
      "NTSC video and stereo audio for broadband connections (768 Kbps).", wma(64_000, 44_100, 2), &[(704_000, 320, 240, NTSC)]),
    p("WMProfile_V70_1500Video", "0B89164A-5490-4686-9E37-5A80884E5146", V7, "Video for broadband NTSC (1500 Kbps total)",
      "Full-size NTSC video and stereo audio for broadband connections (1500 Kbps total).", wma(128_000, 44_100, 2), &[(1_372_000, 640, 480, NTSC)]),
    p("WMProfile_V70_2000Video", "AA980124-BF10-4e4f-9AFD-4329A7395CFF", V7, "Video for broadband NTSC (2 Mbps total)",
      "Full-size NTSC video and stereo audio for broadband connections (2 Mbps total).", wma(128_000, 44_100, 2), &[(1_872_000, 640, 480, NTSC)]),
    p("WMProfile_V70_700FilmContentVideo", "7A747920-2449-4d76-99CB-FDB0C90484D4", V7, "Video for broadband film content (768 Kbps)",
      "Film-rate (24 fps) video and stereo audio for broadband connections (768 Kbps).", wma(64_000, 44_100, 2), &[(704_000, 320, 240, FILM)]),
    p("WMProfile_V70_1500FilmContentVideo", "F6A5F6DF-EE3F-434c-A433-523CE55F516B", V7, "Video for broadband film content (1500 Kbps total)",
      "Full-size film-rate (24 fps) video and stereo audio for broadband connections (1500 Kbps total).", wma(128_000, 44_100, 2), &[(1_372_000, 640, 480, FILM)]),
    p("WMProfile_V70_6VoiceAudio", "EABA9FBF-B64F-49b3-AA0C-73FBDD150AD0", V7, "Audio for low bit rate voice-oriented content (6.5 Kbps)",
      "Voice-quality audio for low bit rate spoken content (6.5 Kbps).", VOICE, &[]),
    p("WMProfile_V70_288FMRadioMono", "C012A833-A03B-44a5-96DC-ED95CC65582D", V7, "Audio for FM radio quality for dial-up modems (28.8 Kbps mono)",
      "FM radio quality mono audio for 28.8 Kbps dial-up modems.", wma(20_000, 22_050, 1), &[]),
    p("WMProfile_V70_288FMRadioStereo", "E96D67C9-1A39-4dc4-B900-B1184DC83620", V7, "Audio for FM radio quality for dial-up modems (28.8 Kbps stereo)",
      "FM radio quality stereo audio for 28.8 Kbps dial-up modems.", wma(20_000, 22_050, 2), &[]),
    p("WMProfile_V70_56DialUpStereo", "674EE767-0949-4fac-875E-F4C9C292013B", V7, "Audio for dial-up modems (56 Kbps stereo)",
      "Stereo audio for 56 Kbps dial-up modems.", wma(32_000, 22_050, 2), &[]),
    p("WMProfile_V70_64AudioISDN", "91DEA458-9D60-4212-9C59-D40919C939E4", V7, "Audio for single-channel ISDN (64 Kbps stereo)",
      "Stereo audio for single-channel ISDN connections (64 Kbps).", wma(48_000, 32_000, 2), &[]),
    p("WMProfile_V70_64Audio", "B29CFFC6-F131-41db-B5E8-99D8B0B945F4", V7, "Audio for near-CD quality (64 Kbps stereo)",
      "Near-CD quality stereo audio (64 Kbps).", wma(64_000, 44_100, 2), &[]),
    p("WMProfile_V70_96Audio", "A9D4B819-16CC-4a59-9F37-693DBB0302D6", V7, "Audio for CD-quality (96 Kbps stereo)",
      "CD-quality stereo audio (96 Kbps).", wma(96_000, 44_100, 2), &[]),
    p("WMProfile_V70_128Audio", "C64CF5DA-DF45-40d3-8027-DE698D68DC66", V7, "Audio for CD-quality transparency (128 Kbps stereo)",
      "CD-quality stereo audio, transparent to the source (128 Kbps).", wma(128_000, 44_100, 2), &[]),
    p("WMProfile_V70_225VideoPDA", "F55EA573-4C02-42b5-9026-A8260C438A9F", V7, "Video for Color Pocket PCs (225 Kbps)",
      "Video for playback on faster color Pocket PCs (225 Kbps).", wma(32_000, 22_050, 2), &[(193_000, 208, 160, F15)]),
    p("WMProfile_V70_150VideoPDA", "0F472967-E3C6-4797-9694-F0304C5E2F17", V7, "Video for Color Pocket PCs (150 Kbps)",
      "Video for playback on most Pocket PCs (150 Kbps).", wma(20_000, 22_050, 2), &[(130_000, 208, 160, F15)]),
    // ---- Version 4.0 (names: the Windows Media 4 runtime's enumeration; descriptions: this project's) ----
    p("WMProfile_V40_DialUpMBR", "fd7f47f1-72a6-45a4-80f0-3aecefc32c07", V4, "Dial-up Modems - ISDN Multiple Bit Rate Video",
      "Multiple bit rate video for dial-up modem and ISDN audiences (28.8 to 64 Kbps).",
      wma(8_000, 8_000, 1), &[(14_000, 160, 120, F15), (32_000, 160, 120, F15), (48_000, 176, 144, F15)]),
    p("WMProfile_V40_IntranetMBR", "82cd3321-a94a-4ffc-9c2b-092c10ca16e7", V4, "Intranet - High Speed LAN Multiple Bit Rate Video",
      "Multiple bit rate video for intranet and high speed LAN audiences (100 to 500 Kbps).",
      wma(32_000, 44_100, 2), &[(68_000, 320, 240, F15), (218_000, 320, 240, F15), (468_000, 320, 240, F30)]),
    p("WMProfile_V40_2856100MBR", "5a1c2206-dc5e-4186-beb2-4c5a994b132e", V4, "28.8, 56, and 100 Multiple Bit Rate Video",
      "Multiple bit rate video for 28.8 Kbps, 56 Kbps and 100 Kbps audiences.",
      wma(8_000, 8_000, 1), &[(14_000, 176, 144, F15), (32_000, 176, 144, F15), (92_000, 176, 144, F15)]),
    p("WMProfile_V40_6VoiceAudio", "D508978A-11A0-4d15-B0DA-ACDC99D4F890", V4, "6.5 voice audio",
      "Voice-quality audio for low bit rate spoken content (6.5 Kbps).", VOICE, &[]),
    p("WMProfile_V40_16AMRadio", "0f4be81f-d57d-41e1-b2e3-2fad986bfec2", V4, "16 AM Radio",
      "AM radio quality mono audio (16 Kbps).", wma(16_000, 16_000, 1), &[]),
    p("WMProfile_V40_288FMRadioMono", "7fa57fc8-6ea4-4645-8abf-b6e5a8f814a1", V4, "28.8 FM Radio Mono",
      "FM radio quality mono audio for 28.8 Kbps dial-up modems.", wma(20_000, 22_050, 1), &[]),
    p("WMProfile_V40_288FMRadioStereo", "22fcf466-aa40-431f-a289-06d0ea1a1e40", V4, "28.8 FM Radio Stereo",
      "FM radio quality stereo audio for 28.8 Kbps dial-up modems.", wma(20_000, 22_050, 2), &[]),
    p("WMProfile_V40_56DialUpStereo", "e8026f87-e905-4594-a3c7-00d00041d1d9", V4, "56 Dial-up High Quality Stereo",
      "High quality stereo audio for 56 Kbps dial-up modems.", wma(32_000, 22_050, 2), &[]),
    p("WMProfile_V40_64Audio", "4820b3f7-cbec-41dc-9391-78598714c8e5", V4, "64 Near CD Quality Audio",
      "Near-CD quality stereo audio (64 Kbps).", wma(64_000, 44_100, 2), &[]),
    p("WMProfile_V40_96Audio", "0efa0ee3-9e64-41e2-837f-3c0038f327ba", V4, "96 CD Quality Audio",
      "CD-quality stereo audio (96 Kbps).", wma(96_000, 44_100, 2), &[]),
    p("WMProfile_V40_128Audio", "93ddbe12-13dc-4e32-a35e-40378e34279a", V4, "128 CD Quality Audio",
      "CD-quality stereo audio (128 Kbps).", wma(128_000, 44_100, 2), &[]),
    p("WMProfile_V40_288VideoVoice", "bb2bc274-0eb6-4da9-b550-ecf7f2b9948f", V4, "28.8 Video - Voice",
      "Video with voice-quality audio for 28.8 Kbps dial-up modems.", VOICE, &[(15_500, 160, 120, F15)]),
    p("WMProfile_V40_288VideoAudio", "ac617f2d-6cbe-4e84-8e9a-ce151a12a354", V4, "28.8 Video - Audio Emphasis",
      "Video with music-quality audio for 28.8 Kbps dial-up modems.", wma(10_000, 11_025, 1), &[(12_000, 160, 120, F15)]),
    web(p("WMProfile_V40_288VideoWebServer", "abf2f00d-d555-4815-94ce-8275f3a70bfe", V4, "28.8 Video for Web Server",
      "Audio and video for download from a Web server over 28.8 Kbps dial-up modems.", wma(8_000, 8_000, 1), &[(14_000, 160, 120, F15)])),
    p("WMProfile_V40_56DialUpVideo", "e21713bb-652f-4dab-99de-71e04400270f", V4, "56 Dial-up Modem Video",
      "Audio and video for 56 Kbps dial-up modems.", wma(10_000, 11_025, 1), &[(30_000, 176, 144, F15)]),
    web(p("WMProfile_V40_56DialUpVideoWebServer", "b756ff10-520f-4749-a399-b780e2fc9250", V4, "56 Dial-up Video for Web Server",
      "Audio and video for download from a Web server over 56 Kbps dial-up modems.", wma(10_000, 11_025, 1), &[(30_000, 176, 144, F15)])),
    p("WMProfile_V40_100Video", "8f99ddd8-6684-456b-a0a3-33e1316895f0", V4, "100 Video",
      "Audio and video for dual-channel ISDN and LAN connections (100 Kbps).", wma(20_000, 22_050, 2), &[(80_000, 240, 176, F15)]),
    p("WMProfile_V40_250Video", "541841c3-9339-4f7b-9a22-b11540894e42", V4, "250 Video",
      "Audio and video for LAN and broadband connections (250 Kbps).", wma(32_000, 44_100, 2), &[(218_000, 320, 240, F15)]),
    p("WMProfile_V40_512Video", "70440e6d-c4ef-4f84-8cd0-d5c28686e784", V4, "512 Video",
      "Audio and video for LAN and broadband connections (512 Kbps).", wma(64_000, 44_100, 2), &[(448_000, 320, 240, F30)]),
    p("WMProfile_V40_1MBVideo", "b4482a4c-cc17-4b07-a94e-9818d5e0f13f", V4, "1Mb Video",
      "Audio and video for LAN connections (1 Mbps).", wma(64_000, 44_100, 2), &[(936_000, 320, 240, F30)]),
    p("WMProfile_V40_3MBVideo", "55374ac0-309b-4396-b88f-e6e292113f28", V4, "3Mb Video",
      "Full-size audio and video for high speed LAN connections (3 Mbps).", wma(128_000, 44_100, 2), &[(2_872_000, 640, 480, F30)]),
];

impl SystemProfileDef {
    /// The profile's GUID.
    pub fn id(&self) -> Guid {
        Guid::parse(self.guid).unwrap_or(Guid::NULL)
    }

    /// Whether this is a multiple-bit-rate profile (mutually exclusive video streams).
    pub fn is_mbr(&self) -> bool {
        self.video.len() > 1
    }

    /// The profile as data: streams numbered from 1 (audio first), connection names
    /// "Audio" / "Video", a bit-rate mutual exclusion over the video streams of an MBR
    /// profile, `profile_id` = the GUID.
    pub fn build(&self) -> ProfileData {
        let mut p = ProfileData::new(self.version);
        p.name = self.name.to_string();
        p.description = self.description.to_string();
        p.profile_id = self.id();
        let mut number = 1u16;
        if let Some((tag, bitrate, rate, ch)) = self.audio {
            let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, number);
            s.name = "Audio Stream".into();
            s.connection_name = "Audio".into();
            s.bitrate = bitrate;
            s.buffer_window = self.buffer_window;
            s.media_type = Some(if tag == 0x0161 { wma_format(bitrate, rate, ch) } else { voice_format(tag, bitrate, rate) });
            p.streams.push(s);
            number += 1;
        }
        let total = self.audio.map(|a| a.1).unwrap_or(0) + self.video.iter().map(|v| v.0).max().unwrap_or(0);
        let fourcc = match self.version {
            V4 => sdk::WMMEDIASUBTYPE_MP43,
            V7 => sdk::WMMEDIASUBTYPE_WMV1,
            _ => sdk::WMMEDIASUBTYPE_WMV2,
        };
        let mut mutex = MutualExclusionData { mutex_type: sdk::CLSID_WMMUTEX_BITRATE, ..Default::default() };
        for &(bitrate, w, h, frame) in self.video {
            let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, number);
            s.name = if self.is_mbr() { format!("Video Stream {} Kbps", bitrate / 1000) } else { "Video Stream".into() };
            s.connection_name = "Video".into();
            s.bitrate = bitrate;
            s.buffer_window = self.buffer_window;
            s.quality = self.quality;
            s.max_key_frame_spacing = if total <= 100_000 { 80_000_000 } else { 50_000_000 };
            s.media_type = Some(video_format(fourcc, w, h, frame, bitrate));
            if self.vbr {
                s.vbr.enabled = Some(true);
                s.vbr.quality = Some(self.quality);
                s.vbr.bitrate_max = Some(bitrate);
                s.vbr.buffer_window_max = Some(self.buffer_window);
            }
            p.streams.push(s);
            let _ = mutex.streams.add(number);
            number += 1;
        }
        if self.is_mbr() {
            mutex.name = "Video bit rates".into();
            p.mutual_exclusions.push(mutex);
        }
        p
    }
}

/// The system profiles of `version` in enumeration order (none for 9.0).
pub fn of_version(version: u32) -> impl Iterator<Item = &'static SystemProfileDef> {
    SYSTEM_PROFILES.iter().filter(move |d| d.version == version)
}

/// `GetSystemProfileCount`.
pub fn count(version: u32) -> u32 {
    of_version(version).count() as u32
}

/// `LoadSystemProfile`: the profile at `index` of `version`.
pub fn by_index(version: u32, index: u32) -> Result<ProfileData> {
    let n = count(version);
    of_version(version).nth(index as usize).map(|d| d.build()).ok_or_else(|| {
        err!(
            InvalidArg,
            "system profile {index} does not exist: version {}.0 has {n} system profiles (set_system_profile_version selects 4.0, 7.0 or 8.0)",
            version >> 16
        )
    })
}

/// `LoadProfileByID`: the system profile with GUID `id`, of any version.
pub fn by_id(id: &Guid) -> Result<ProfileData> {
    match SYSTEM_PROFILES.iter().find(|d| d.id() == *id) {
        Some(d) => Ok(d.build()),
        None => bail!(InvalidArg, "no system profile has ID {{{id}}} (the IDs are wmsysprf.h's WMProfile_V40/V70/V80_* GUIDs)"),
    }
}

/// The system profile named by its identifier, with or without the `WMProfile_`
/// prefix, case-insensitive (`V80_128StereoAudio`), for the CLI and bindings.
pub fn by_ident(ident: &str) -> Option<&'static SystemProfileDef> {
    let want = ident.trim();
    let want = match want.get(..10) {
        Some(head) if head.eq_ignore_ascii_case("WMProfile_") => &want[10..],
        _ => want,
    };
    SYSTEM_PROFILES.iter().find(|d| d.ident["WMProfile_".len()..].eq_ignore_ascii_case(want))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_version() {
        assert_eq!((count(V8), count(V7), count(V4), count(0x0009_0000)), (27, 26, 21, 0));
        let mut ids: Vec<Guid> = SYSTEM_PROFILES.iter().map(|d| d.id()).collect();
        assert!(ids.iter().all(|g| *g != Guid::NULL), "a GUID does not parse");
        ids.sort_by_key(|g| g.to_bytes());
        ids.dedup();
        assert_eq!(ids.len(), 74);
        assert_eq!(by_index(0x0009_0000, 0).unwrap_err().kind, crate::error::ErrorKind::InvalidArg);
        assert_eq!(by_index(V4, 21).unwrap_err().kind, crate::error::ErrorKind::InvalidArg);
    }

    #[test]
    fn every_profile_is_valid_and_adds_up() {
        for d in &SYSTEM_PROFILES {
            let p = d.build();
            p.validate().unwrap_or_else(|e| panic!("{}: {}", d.ident, e.message));
            assert_eq!(p.profile_id, d.id());
            assert_eq!(p.streams.len(), d.audio.is_some() as usize + d.video.len(), "{}", d.ident);
            assert!(d.ident.contains(&format!("_V{}0_", d.version >> 16)), "{}", d.ident);
            let audio: u32 = d.audio.map(|a| a.1).unwrap_or(0);
            let top = audio + d.video.iter().map(|v| v.0).max().unwrap_or(0);
            assert!((6_500..=3_000_000).contains(&top), "{}: {top}", d.ident);
            if d.is_mbr() {
                assert_eq!(p.mutual_exclusions.len(), 1);
                assert_eq!(p.mutual_exclusions[0].streams.0.len(), d.video.len());
            } else {
                assert!(p.mutual_exclusions.is_empty());
            }
            for s in &p.streams {
                let mt = s.media_type.as_ref().unwrap();
                if let Some(v) = mt.video_info() {
                    assert_eq!(v.bit_rate, s.bitrate);
                    assert!(v.width % 16 == 0 && v.height % 8 == 0, "{}", d.ident);
                    let want = match d.version {
                        V4 => *b"MP43",
                        V7 => *b"WMV1",
                        _ => *b"WMV2",
                    };
                    assert_eq!(v.compression.to_le_bytes(), want, "{}", d.ident);
                } else {
                    let w = mt.wave_format().unwrap();
                    assert_eq!(w.avg_bytes_per_sec, s.bitrate.div_ceil(8), "{}", d.ident);
                }
            }
        }
    }

    #[test]
    fn known_profiles() {
        let p = by_id(&Guid::parse("407B9450-8BDC-4ee5-88B8-6F527BD941F2").unwrap()).unwrap();
        assert_eq!(p.name, "Windows Media Audio 8 for ISDN (Better than CD quality, 128 Kbps)");
        let w = p.streams[0].media_type.as_ref().unwrap().wave_format().unwrap();
        assert_eq!((w.format_tag, w.samples_per_sec, w.channels, w.avg_bytes_per_sec), (0x161, 44_100, 2, 16_000));
        let p = by_ident("V80_64StereoAudio").unwrap().build();
        let w = p.streams[0].media_type.as_ref().unwrap().wave_format().unwrap();
        assert_eq!((w.block_align, w.extra.clone()), (2973, vec![0x00, 0x88, 0x00, 0x00, 0x0F, 0x00, 0x36, 0x08, 0x00, 0x00]));
        let p = by_ident("wmprofile_v80_256video").map(|d| d.build()).unwrap();
        assert_eq!(p.streams.len(), 2);
        assert_eq!(p.streams[1].media_type.as_ref().unwrap().video_info().unwrap().width, 320);
        assert_eq!(by_ident("V80_Nothing").map(|d| d.ident), None);
    }

    #[test]
    fn prx_round_trip() {
        for d in &SYSTEM_PROFILES {
            let p = d.build();
            let text = super::super::prx::save(&p);
            let mut back = super::super::prx::load(&text).unwrap_or_else(|e| panic!("{}: {}", d.ident, e.message));
            assert_eq!(back.profile_id, Guid::NULL, "a profile loaded from data is a custom profile");
            back.profile_id = p.profile_id;
            assert_eq!(back, p, "{}", d.ident);
        }
    }
}
