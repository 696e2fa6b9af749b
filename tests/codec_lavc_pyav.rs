//! The libavcodec backend with the FFmpeg 8 (lavc 62) libraries bundled in PyAV's wheel,
//! named with `WMWRITER_LIBAVCODEC` (a process of its own: one library per process).
//! Skips when PyAV is not installed (its libs are not a CI requirement).

mod common;
mod lavc_util;

use common::*;
use lavc_util::*;
use wmwriter::codec::lavc;
use wmwriter::guid::sdk;

fn pyav_libavcodec() -> Option<std::path::PathBuf> {
    let r = run("python3", &["-c", "import av,os;print(os.path.dirname(av.__file__))"]);
    if r.code != Some(0) {
        return None;
    }
    let pkg = std::path::PathBuf::from(r.text().trim());
    let libs = pkg.parent()?.join("av.libs");
    let mut v: Vec<_> = std::fs::read_dir(&libs).ok()?.flatten().map(|e| e.path()).collect();
    v.sort();
    v.into_iter().find(|p| p.file_name().map(|n| n.to_string_lossy().starts_with("libavcodec")).unwrap_or(false))
}

#[test]
fn pyav_lavc_encodes_wma_and_wmv() {
    let Some(lib) = pyav_libavcodec() else {
        println!("skipped: PyAV's bundled libavcodec not found");
        return;
    };
    if !have_tools(&["ffprobe", "ffmpeg", "gst-launch-1.0"]) {
        return;
    }
    std::env::set_var("WMWRITER_LIBAVCODEC", &lib);
    if let Some(e) = lavc::load_error() {
        panic!("PyAV's {} did not load: {e}", lib.display());
    }
    println!("{}", lavc::describe().unwrap());
    assert_eq!(lavc::loaded_major(), Some(62));
    let dir = TempDir::new("lavc-pyav");
    wma_roundtrip(&dir, "wmav2", 0x0161, 44100, 2, 128_000, 5.0);
    wma_roundtrip(&dir, "wmav1", 0x0160, 22050, 1, 48_000, 3.0);
    wmv_roundtrip(&dir, "wmv2", sdk::WMMEDIASUBTYPE_WMV2, 320, 240, 400_000);
}
