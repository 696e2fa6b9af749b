//! `wmwrite prx`: build a profile for an uncompressed (or passthrough) configuration
//! and save it as PRX XML with the library's `profile::prx::save`.

use std::path::Path;

use wmwriter::guid::{sdk, Guid};
use wmwriter::profile::{prx, MediaType, ProfileData, StreamConfigData};

use crate::error::{write_error, CliError, Result};
use crate::write::frame_duration;

/// `--audio RATE:CH:BITS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AudioSpec {
    pub rate: u32,
    pub channels: u16,
    pub bits: u16,
}

/// `--video WxH@FPS[:FOURCC]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VideoSpec {
    pub width: u32,
    pub height: u32,
    /// Frame rate as a fraction.
    pub fps_num: u32,
    pub fps_den: u32,
    pub fourcc: String,
}

/// Parse `44100:2:16`.
pub fn parse_audio(s: &str) -> std::result::Result<AudioSpec, String> {
    let parts: Vec<&str> = s.split(':').collect();
    let [rate, ch, bits] = parts[..] else {
        return Err(format!("{s:?} is not RATE:CHANNELS:BITS (e.g. 44100:2:16)"));
    };
    let rate: u32 = rate.parse().map_err(|_| format!("bad sample rate {rate:?}"))?;
    let channels: u16 = ch.parse().map_err(|_| format!("bad channel count {ch:?}"))?;
    let bits: u16 = bits.parse().map_err(|_| format!("bad bits per sample {bits:?}"))?;
    if rate == 0 || channels == 0 || !matches!(bits, 8 | 16 | 24 | 32) {
        return Err(format!("{s:?}: need a non-zero rate and channel count and 8, 16, 24 or 32 bits"));
    }
    Ok(AudioSpec { rate, channels, bits })
}

/// Parse a frame rate: `25`, `29.97`, `30000/1001`.
pub fn parse_fps(s: &str) -> Option<(u32, u32)> {
    let (n, d) = if let Some((n, d)) = s.split_once('/') {
        (n.parse().ok()?, d.parse().ok()?)
    } else if let Some((int, frac)) = s.split_once('.') {
        if frac.len() > 4 || !frac.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let den = 10u32.pow(frac.len() as u32);
        let n: u32 = int.parse::<u32>().ok()?.checked_mul(den)?.checked_add(if frac.is_empty() { 0 } else { frac.parse().ok()? })?;
        (n, den)
    } else {
        (s.parse().ok()?, 1)
    };
    (n > 0 && d > 0).then_some((n, d))
}

/// Parse `320x240@25` or `640x480@29.97:YUY2`.
pub fn parse_video(s: &str) -> std::result::Result<VideoSpec, String> {
    let bad = || format!("{s:?} is not WIDTHxHEIGHT@FPS[:FOURCC] (e.g. 320x240@25 or 640x480@30000/1001:YUY2)");
    let (size, rest) = s.split_once('@').ok_or_else(bad)?;
    let (w, h) = size.split_once(['x', 'X']).ok_or_else(bad)?;
    let (fps, fourcc) = match rest.split_once(':') {
        Some((f, c)) => (f, c.to_string()),
        None => (rest, "I420".to_string()),
    };
    let width: u32 = w.parse().map_err(|_| bad())?;
    let height: u32 = h.parse().map_err(|_| bad())?;
    let (fps_num, fps_den) = parse_fps(fps).ok_or_else(|| format!("bad frame rate {fps:?} (e.g. 25, 29.97 or 30000/1001)"))?;
    if width == 0 || height == 0 || width > 16384 || height > 16384 {
        return Err(format!("{width}x{height} is not a usable frame size"));
    }
    if fourcc.len() != 4 && video_subtype(&fourcc).is_none() {
        return Err(format!("{fourcc:?} is not a FOURCC (four characters, e.g. I420, YUY2, WMV3) or RGB24/RGB32/RGB555/RGB565/RGB8"));
    }
    Ok(VideoSpec { width, height, fps_num, fps_den, fourcc })
}

/// The subtype of the uncompressed formats by name.
fn video_subtype(name: &str) -> Option<Guid> {
    Some(match name.to_ascii_uppercase().as_str() {
        "I420" => sdk::WMMEDIASUBTYPE_I420,
        "IYUV" => sdk::WMMEDIASUBTYPE_IYUV,
        "YV12" => sdk::WMMEDIASUBTYPE_YV12,
        "YUY2" => sdk::WMMEDIASUBTYPE_YUY2,
        "UYVY" => sdk::WMMEDIASUBTYPE_UYVY,
        "YVYU" => sdk::WMMEDIASUBTYPE_YVYU,
        "NV12" => Guid::fourcc(u32::from_le_bytes(*b"NV12")),
        "RGB24" => sdk::WMMEDIASUBTYPE_RGB24,
        "RGB32" => sdk::WMMEDIASUBTYPE_RGB32,
        "RGB555" => sdk::WMMEDIASUBTYPE_RGB555,
        "RGB565" => sdk::WMMEDIASUBTYPE_RGB565,
        "RGB8" => sdk::WMMEDIASUBTYPE_RGB8,
        _ => return None,
    })
}

/// The profile for the given streams (audio is stream 1 when present).
pub fn build_profile(name: &str, audio: Option<AudioSpec>, video: Option<&VideoSpec>, video_bitrate: u32) -> Result<ProfileData> {
    let mut p = ProfileData::new(0x0009_0000);
    p.name = name.to_string();
    let mut parts = Vec::new();
    if let Some(a) = audio {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, p.unused_stream_number());
        s.name = "Audio Stream".into();
        s.connection_name = format!("Audio{}", s.number);
        s.bitrate = (a.rate as u64 * a.channels as u64 * a.bits as u64).min(u32::MAX as u64) as u32;
        s.media_type = Some(MediaType::pcm(a.channels, a.rate, a.bits));
        parts.push(format!("PCM {} Hz {} ch {}-bit", a.rate, a.channels, a.bits));
        p.add_stream(s)?;
    }
    if let Some(v) = video {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, p.unused_stream_number());
        s.name = "Video Stream".into();
        s.connection_name = format!("Video{}", s.number);
        let avg = frame_duration(v.fps_num, v.fps_den);
        let mt = match video_subtype(&v.fourcc) {
            Some(sub) => {
                let mt = MediaType::raw_video(sub, v.width as i32, v.height as i32, avg);
                s.bitrate = (mt.sample_size as u128 * 8 * v.fps_num as u128 / v.fps_den as u128).min(u32::MAX as u128) as u32;
                mt
            }
            None => {
                // A compressed format: the writer stores it by passthrough only.
                let fcc: [u8; 4] = v.fourcc.as_bytes().try_into().expect("checked: 4 bytes");
                let mut mt = MediaType::raw_video(Guid::fourcc(u32::from_le_bytes(fcc)), v.width as i32, v.height as i32, avg);
                mt.fixed_size_samples = false;
                mt.temporal_compression = true;
                mt.sample_size = 0;
                mt.format[32..36].copy_from_slice(&video_bitrate.to_le_bytes()); // dwBitRate
                s.bitrate = video_bitrate;
                s.max_key_frame_spacing = 80_000_000;
                s.quality = 75;
                mt
            }
        };
        s.media_type = Some(mt);
        parts.push(format!("{} {}x{} @ {}/{} fps", v.fourcc, v.width, v.height, v.fps_num, v.fps_den));
        p.add_stream(s)?;
    }
    p.description = parts.join(" + ");
    p.validate()?;
    Ok(p)
}

/// Save `profile` as PRX to `out` ("-" = stdout) and check that it loads back the same.
pub fn save(profile: &ProfileData, out: &Path) -> Result<String> {
    let text = prx::save(profile);
    let back = prx::load(&text).map_err(|e| CliError::from(e).context("the saved PRX does not load back"))?;
    if back != *profile {
        return Err(CliError::new("E_UNEXPECTED", "the saved PRX loads back as a different profile"));
    }
    if out.as_os_str() == "-" {
        crate::output::print(&text)?;
    } else {
        let file = crate::output::OutputFile::prepare(out, &[])?;
        std::fs::write(file.temp(), &text).map_err(|e| write_error(out, e))?;
        file.commit()?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(parse_audio("44100:2:16").unwrap(), AudioSpec { rate: 44100, channels: 2, bits: 16 });
        assert!(parse_audio("44100:2").is_err());
        assert!(parse_audio("44100:2:12").is_err());
        assert_eq!(parse_fps("29.97"), Some((2997, 100)));
        assert_eq!(parse_fps("30000/1001"), Some((30000, 1001)));
        assert_eq!(parse_fps("25"), Some((25, 1)));
        assert_eq!(parse_fps("0"), None);
        let v = parse_video("320x240@25").unwrap();
        assert_eq!((v.width, v.height, v.fps_num, v.fourcc.as_str()), (320, 240, 25, "I420"));
        assert_eq!(parse_video("640X480@30000/1001:WMV3").unwrap().fourcc, "WMV3");
        assert!(parse_video("640x480").is_err());
        assert!(parse_video("640x480@25:TOOLONG").is_err());
    }

    #[test]
    fn profiles_round_trip() {
        let p = build_profile("t", Some(parse_audio("48000:6:24").unwrap()), Some(&parse_video("160x120@25:YUY2").unwrap()), 0).unwrap();
        assert_eq!(p.streams.len(), 2);
        assert_eq!(prx::load(&prx::save(&p)).unwrap(), p);
        let c = build_profile("t", None, Some(&parse_video("320x240@30:WMV3").unwrap()), 300_000).unwrap();
        assert_eq!(c.streams[0].bitrate, 300_000);
        assert_eq!(prx::load(&prx::save(&c)).unwrap(), c);
    }
}
