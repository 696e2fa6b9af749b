//! `wmwrite profiles`: the SDK's system profiles (version 4.0, 7.0, 8.0) with their
//! streams, and the codec formats this machine can encode (IWMCodecInfo).

use wmwriter::guid::sdk;
use wmwriter::profile::codec_info::{self, Availability, EnumSetting};
use wmwriter::profile::system::{self, SystemProfileDef, SYSTEM_PROFILES};
use wmwriter::profile::{prx, StreamConfigData};

use std::fmt::Write as _;
use std::io::Write as _;

use crate::error::{CliError, Result};
use serde_json::{json, Value as Json};

/// What to list.
pub struct Options {
    /// Only this version (4, 7 or 8).
    pub version: Option<u32>,
    /// List the codec formats too (only them when `profiles_too` is false).
    pub codecs: bool,
    /// Also list the profiles.
    pub profiles_too: bool,
    /// Print JSON.
    pub json: bool,
}

pub fn stream_summary(s: &StreamConfigData) -> String {
    let Some(mt) = s.media_type.as_ref() else { return "no media type".into() };
    if let Some(v) = mt.video_info() {
        let fcc = String::from_utf8_lossy(&v.compression.to_le_bytes()).into_owned();
        let fps = if v.avg_time_per_frame > 0 { 1e7 / v.avg_time_per_frame as f64 } else { 0.0 };
        format!("#{} video {fcc} {}x{} {fps:.2} fps {} kbps", s.number, v.width, v.height, s.bitrate as f64 / 1000.0)
    } else if let Some(w) = mt.wave_format() {
        format!(
            "#{} audio 0x{:04X} {} Hz {} ch {} kbps (block {})",
            s.number,
            w.format_tag,
            w.samples_per_sec,
            w.channels,
            s.bitrate as f64 / 1000.0,
            w.block_align
        )
    } else {
        format!("#{} {}", s.number, s.stream_type)
    }
}

fn short(d: &SystemProfileDef) -> &'static str {
    &d.ident["WMProfile_".len()..]
}

fn selected(o: &Options) -> Result<Vec<&'static SystemProfileDef>> {
    match o.version {
        None => Ok(SYSTEM_PROFILES.iter().collect()),
        Some(v @ (4 | 7 | 8)) => Ok(system::of_version(v << 16).collect()),
        Some(9) => Ok(Vec::new()),
        Some(v) => {
            Err(CliError::new("E_INVALIDARG", format!("--sdk-version {v}: system profiles exist for versions 4, 7 and 8 (9 has none)")))
        }
    }
}

/// The codec formats available here: (type, codec name, format description, stream).
fn codec_rows() -> Vec<(&'static str, &'static str, String, StreamConfigData)> {
    let avail = Availability::current();
    let mut rows = Vec::new();
    for (major, kind) in [(sdk::WMMEDIATYPE_AUDIO, "audio"), (sdk::WMMEDIATYPE_VIDEO, "video")] {
        for c in codec_info::codecs(&major, &avail) {
            for vbr in [false, true] {
                for f in codec_info::formats(c, EnumSetting { vbr, passes: 1 }) {
                    rows.push((kind, c.name, f.description, f.stream));
                }
            }
        }
    }
    rows
}

/// Print the listing (a closed pipe, as with `| head`, is not an error).
pub fn list(o: &Options) -> Result<()> {
    let text = render(o)?;
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}

/// The listing as text.
pub fn render(o: &Options) -> Result<String> {
    let mut out = String::new();
    let defs = if o.profiles_too { selected(o)? } else { Vec::new() };
    let codecs = if o.codecs { codec_rows() } else { Vec::new() };
    if o.json {
        let profiles: Vec<Json> = defs
            .iter()
            .map(|d| {
                let p = d.build();
                json!({
                    "id": short(d),
                    "guid": d.id().to_string(),
                    "version": d.version >> 16,
                    "name": d.name,
                    "description": d.description,
                    "mbr": d.is_mbr(),
                    "streams": p.streams.iter().map(stream_summary).collect::<Vec<_>>(),
                })
            })
            .collect();
        let formats: Vec<Json> =
            codecs.iter().map(|(kind, name, desc, s)| json!({"type": kind, "codec": name, "format": desc, "bitrate": s.bitrate})).collect();
        let doc = json!({"profiles": profiles, "codec_formats": formats});
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return Ok(out);
    }
    if o.profiles_too {
        let _ = writeln!(out, "System profiles ({}; stream settings are wmwriter's, the SDK's are not published):", defs.len());
        for d in &defs {
            let p = d.build();
            let _ = writeln!(out, "  {:<28} {{{}}} {}{}", short(d), d.id(), d.name, if d.is_mbr() { " [MBR]" } else { "" });
            for s in &p.streams {
                let _ = writeln!(out, "      {}", stream_summary(s));
            }
        }
    }
    if o.codecs {
        if o.profiles_too {
            let _ = writeln!(out);
        }
        let _ = writeln!(out, "Codec formats this machine can encode ({}):", codecs.len());
        if codecs.is_empty() {
            let _ = writeln!(out, "  (none: no encoder backend is available; passthrough still works)");
        }
        for (kind, name, desc, _) in &codecs {
            let _ = writeln!(out, "  {kind:<5} {name:<34} {desc}");
        }
    }
    Ok(out)
}

/// The system profile `ident` (`V80_256Video` or `WMProfile_V80_256Video`).
pub fn system_profile(ident: &str) -> Result<&'static SystemProfileDef> {
    system::by_ident(ident).ok_or_else(|| {
        CliError::new("E_INVALIDARG", format!("{ident:?} is not a system profile (run `wmwrite profiles` for the list, e.g. V80_256Video)"))
    })
}

/// The PRX XML of the system profile `ident` (`V80_256Video` or `WMProfile_V80_256Video`).
pub fn prx_of(ident: &str) -> Result<String> {
    Ok(prx::save(&system_profile(ident)?.build()))
}
