//! `wmwrite profiles`: the system-profile listing, per version, as JSON, and one profile as
//! PRX that the library loads back.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_wmwrite");

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(BIN).args(args).output().unwrap();
    (o.status.code().unwrap_or(-1), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

#[test]
fn lists_every_version() {
    for (v, n) in [("4", 21), ("7", 26), ("8", 27), ("9", 0)] {
        let (code, out, err) = run(&["profiles", "--sdk-version", v]);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with(&format!("System profiles ({n};")), "{out}");
        assert_eq!(out.lines().filter(|l| l.starts_with(&format!("  V{v}0_"))).count(), n);
    }
    let (_, out, _) = run(&["profiles", "--sdk-version", "8"]);
    assert!(out.contains(
        "V80_256Video                 {BBC75500-33D2-4466-B86B-122B201CC9AE} Windows Media Video 8 for Local Area Network (256 Kbps)"
    ));
    assert!(out.contains("#2 video WMV2 320x240 15.00 fps 224 kbps"), "{out}");
    let (code, _, err) = run(&["profiles", "--sdk-version", "5"]);
    assert_eq!(code, 1);
    assert!(err.contains("versions 4, 7 and 8") && err.contains("E_INVALIDARG"), "{err}");
}

#[test]
fn all_profiles_and_codecs_as_json() {
    let (code, out, err) = run(&["profiles", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = v["profiles"].as_array().unwrap();
    assert_eq!(p.len(), 74);
    let mbr = p.iter().find(|x| x["id"] == "V70_IntranetMBR").unwrap();
    assert_eq!(mbr["mbr"], true);
    assert_eq!(mbr["streams"].as_array().unwrap().len(), 4);
    assert_eq!(mbr["guid"], "045880DC-34B6-4CA9-A326-73557ED143F3");
    // Codec formats: only what can be encoded here (none until a backend exists); each
    // row names a codec of the enumeration.
    for f in v["codec_formats"].as_array().unwrap() {
        assert!(f["bitrate"].as_u64().unwrap() > 0);
        assert!(f["codec"].as_str().unwrap().len() > 3);
    }
}

#[test]
fn one_profile_as_prx_loads_back() {
    let (code, out, err) = run(&["profiles", "--prx", "WMProfile_V80_64StereoAudio"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(r#"nBlockAlign="2973""#) && out.contains(r#"codecdata="008800000F0036080000""#), "{out}");
    let p = wmwriter::profile::prx::load(&out).unwrap();
    assert_eq!(p.name, "Windows Media Audio 8 for Dial-up Modem (CD quality, 64 Kbps)");
    assert_eq!(p.version, 0x0008_0000);
    let (code, _, err) = run(&["profiles", "--prx", "V99_Nothing"]);
    assert_eq!(code, 1);
    assert!(err.contains("not a system profile"), "{err}");
}
