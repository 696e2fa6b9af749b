//! libavcodec / libavutil / libswscale loaded with dlopen (libloading) at first use.
//!
//! Nothing here is linked: the cdylib has no `DT_NEEDED` on FFmpeg. The library is
//! searched by soname (FFmpeg 8 → 4, newest first), or taken from
//! `WMWRITER_LIBAVCODEC=PATH`. libavutil's functions are looked up through the
//! libavcodec handle (dlsym on a handle searches the library's own dependencies, which
//! is the libavutil it was built with); `avutil_version()` is checked against the
//! major that ships with that libavcodec.
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libloading::Library;

use super::abi::{self, Layout};

type P = *mut c_void;

/// The function pointers this backend calls (about 25 symbols).
#[allow(missing_debug_implementations)]
#[allow(missing_docs)]
pub struct Fns {
    pub avcodec_version: unsafe extern "C" fn() -> u32,
    pub avutil_version: unsafe extern "C" fn() -> u32,
    pub avcodec_find_encoder_by_name: unsafe extern "C" fn(*const c_char) -> *const c_void,
    pub avcodec_alloc_context3: unsafe extern "C" fn(*const c_void) -> P,
    pub avcodec_free_context: unsafe extern "C" fn(*mut P),
    pub avcodec_open2: unsafe extern "C" fn(P, *const c_void, *mut P) -> c_int,
    pub avcodec_send_frame: unsafe extern "C" fn(P, *const c_void) -> c_int,
    pub avcodec_receive_packet: unsafe extern "C" fn(P, P) -> c_int,
    pub avcodec_parameters_alloc: unsafe extern "C" fn() -> P,
    pub avcodec_parameters_free: unsafe extern "C" fn(*mut P),
    pub avcodec_parameters_from_context: unsafe extern "C" fn(P, *const c_void) -> c_int,
    pub av_packet_alloc: unsafe extern "C" fn() -> P,
    pub av_packet_free: unsafe extern "C" fn(*mut P),
    pub av_packet_unref: unsafe extern "C" fn(P),
    pub av_frame_alloc: unsafe extern "C" fn() -> P,
    pub av_frame_free: unsafe extern "C" fn(*mut P),
    pub av_frame_get_buffer: unsafe extern "C" fn(P, c_int) -> c_int,
    pub av_frame_make_writable: unsafe extern "C" fn(P) -> c_int,
    /// libavutil ≥ 57.
    pub av_channel_layout_default: Option<unsafe extern "C" fn(P, c_int)>,
    /// libavutil ≤ 57.
    pub av_get_default_channel_layout: Option<unsafe extern "C" fn(c_int) -> i64>,
    pub av_opt_set: unsafe extern "C" fn(P, *const c_char, *const c_char, c_int) -> c_int,
    pub av_opt_set_int: unsafe extern "C" fn(P, *const c_char, i64, c_int) -> c_int,
    pub av_opt_get_int: unsafe extern "C" fn(P, *const c_char, c_int, *mut i64) -> c_int,
    pub av_opt_get_double: unsafe extern "C" fn(P, *const c_char, c_int, *mut f64) -> c_int,
    pub av_opt_find: unsafe extern "C" fn(P, *const c_char, *const c_char, c_int, c_int) -> *const c_void,
    pub av_strerror: unsafe extern "C" fn(c_int, *mut c_char, usize) -> c_int,
    pub av_log_get_level: Option<unsafe extern "C" fn() -> c_int>,
    pub av_log_set_level: Option<unsafe extern "C" fn(c_int)>,
    // Decoding (post view).
    pub avcodec_find_decoder_by_name: unsafe extern "C" fn(*const c_char) -> *const c_void,
    pub avcodec_send_packet: unsafe extern "C" fn(P, *const c_void) -> c_int,
    pub avcodec_receive_frame: unsafe extern "C" fn(P, P) -> c_int,
    pub avcodec_parameters_to_context: unsafe extern "C" fn(P, *const c_void) -> c_int,
    pub av_mallocz: unsafe extern "C" fn(usize) -> P,
}

#[allow(missing_debug_implementations)]
/// libswscale (optional: only the raw video conversions that need colour maths or
/// scaling use it).
#[allow(missing_docs)]
pub struct SwsFns {
    pub sws_get_context: unsafe extern "C" fn(c_int, c_int, c_int, c_int, c_int, c_int, c_int, P, P, *const f64) -> P,
    pub sws_scale: unsafe extern "C" fn(P, *const *const u8, *const c_int, c_int, c_int, *const *mut u8, *const c_int) -> c_int,
    pub sws_free_context: unsafe extern "C" fn(P),
    /// Where it was loaded from.
    pub path: String,
    _lib: Library,
}

/// A loaded libavcodec.
pub struct Lib {
    pub f: Fns,
    pub layout: &'static Layout,
    /// `avcodec_version()`.
    pub version: u32,
    /// The file (or soname) it was loaded from.
    pub path: String,
    /// libswscale, if found beside it / by its soname.
    pub sws: Option<SwsFns>,
    _lib: Library,
}

impl std::fmt::Debug for Lib {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "libavcodec {}.{}.{} ({})", self.version >> 16, (self.version >> 8) & 0xFF, self.version & 0xFF, self.path)
    }
}

static LIB: OnceLock<Result<Lib, String>> = OnceLock::new();

/// The library, loaded on the first call (the result, good or bad, is kept for the
/// life of the process). The error is a sentence naming every file searched.
pub fn lib() -> Result<&'static Lib, &'static str> {
    LIB.get_or_init(load).as_ref().map_err(String::as_str)
}

/// Load and check one candidate; `Err` says why it cannot be used.
fn load() -> Result<Lib, String> {
    if let Some(p) = std::env::var_os("WMWRITER_LIBAVCODEC") {
        let p = PathBuf::from(p);
        return open_one(&p.to_string_lossy(), Some(&p))
            .map_err(|e| format!("libavcodec could not be used: WMWRITER_LIBAVCODEC={}: {e}", p.display()));
    }
    let mut tried = Vec::new();
    for (lavc, _, _, _) in abi::SEARCHED {
        let name = format!("libavcodec.so.{lavc}");
        match open_one(&name, None) {
            Ok(l) => return Ok(l),
            Err(e) => tried.push(format!("{name} ({e})")),
        }
    }
    Err(format!(
        "libavcodec could not be loaded (FFmpeg 4–8 is searched; set WMWRITER_LIBAVCODEC=PATH to name the file): {}",
        tried.join("; ")
    ))
}

fn sym<T: Copy>(lib: &Library, name: &str) -> Result<T, String> {
    // SAFETY: each call site names the symbol's C prototype as `T` (an `extern "C" fn`
    // type matching FFmpeg's public declaration); the copied pointer is only used while
    // `lib` is alive (both live in the same `Lib`, which sits in a process-wide static).
    unsafe {
        let s: libloading::Symbol<'_, T> = lib.get(name.as_bytes()).map_err(|e| format!("symbol {name} missing: {e}"))?;
        Ok(*s)
    }
}

fn open_one(name: &str, path: Option<&Path>) -> Result<Lib, String> {
    // SAFETY: loading libavcodec runs its (and its dependencies') ELF constructors, which
    // only initialise FFmpeg's own static tables; nothing of ours runs concurrently with
    // them that they could affect.
    let lib = unsafe { Library::new(name) }.map_err(|e| e.to_string())?;
    let avcodec_version: unsafe extern "C" fn() -> u32 = sym(&lib, "avcodec_version")?;
    // SAFETY: avcodec_version takes nothing and returns an unsigned int.
    let version = unsafe { avcodec_version() };
    let major = version >> 16;
    let Some(layout) = abi::layout(major) else {
        let known: Vec<String> = abi::LAYOUTS.iter().map(|l| format!("{} (FFmpeg {})", l.lavc_major, l.ffmpeg)).collect();
        return Err(format!(
            "it is libavcodec {major}.{}, whose struct layout this build does not know (known majors: {}); refusing to guess",
            (version >> 8) & 0xFF,
            known.join(", ")
        ));
    };
    let f = Fns {
        avcodec_version,
        avutil_version: sym(&lib, "avutil_version")?,
        avcodec_find_encoder_by_name: sym(&lib, "avcodec_find_encoder_by_name")?,
        avcodec_alloc_context3: sym(&lib, "avcodec_alloc_context3")?,
        avcodec_free_context: sym(&lib, "avcodec_free_context")?,
        avcodec_open2: sym(&lib, "avcodec_open2")?,
        avcodec_send_frame: sym(&lib, "avcodec_send_frame")?,
        avcodec_receive_packet: sym(&lib, "avcodec_receive_packet")?,
        avcodec_parameters_alloc: sym(&lib, "avcodec_parameters_alloc")?,
        avcodec_parameters_free: sym(&lib, "avcodec_parameters_free")?,
        avcodec_parameters_from_context: sym(&lib, "avcodec_parameters_from_context")?,
        av_packet_alloc: sym(&lib, "av_packet_alloc")?,
        av_packet_free: sym(&lib, "av_packet_free")?,
        av_packet_unref: sym(&lib, "av_packet_unref")?,
        av_frame_alloc: sym(&lib, "av_frame_alloc")?,
        av_frame_free: sym(&lib, "av_frame_free")?,
        av_frame_get_buffer: sym(&lib, "av_frame_get_buffer")?,
        av_frame_make_writable: sym(&lib, "av_frame_make_writable")?,
        av_channel_layout_default: sym(&lib, "av_channel_layout_default").ok(),
        av_get_default_channel_layout: sym(&lib, "av_get_default_channel_layout").ok(),
        av_opt_set: sym(&lib, "av_opt_set")?,
        av_opt_set_int: sym(&lib, "av_opt_set_int")?,
        av_opt_get_int: sym(&lib, "av_opt_get_int")?,
        av_opt_get_double: sym(&lib, "av_opt_get_double")?,
        av_opt_find: sym(&lib, "av_opt_find")?,
        av_strerror: sym(&lib, "av_strerror")?,
        av_log_get_level: sym(&lib, "av_log_get_level").ok(),
        av_log_set_level: sym(&lib, "av_log_set_level").ok(),
        avcodec_find_decoder_by_name: sym(&lib, "avcodec_find_decoder_by_name")?,
        avcodec_send_packet: sym(&lib, "avcodec_send_packet")?,
        avcodec_receive_frame: sym(&lib, "avcodec_receive_frame")?,
        avcodec_parameters_to_context: sym(&lib, "avcodec_parameters_to_context")?,
        av_mallocz: sym(&lib, "av_mallocz")?,
    };
    // SAFETY: avutil_version takes nothing and returns an unsigned int.
    let lavu = unsafe { (f.avutil_version)() } >> 16;
    if lavu != layout.lavu_major {
        return Err(format!("libavcodec {major} needs libavutil {} but the libavutil it loaded is {lavu}", layout.lavu_major));
    }
    quiet_info_messages(&f);
    let mut l = Lib { f, layout, version, path: name.to_string(), sws: None, _lib: lib };
    l.check_layout()?;
    l.sws = load_sws(layout.sws_major, path);
    Ok(l)
}

/// FFmpeg's log level: a library should not print FFmpeg's own notes on its caller's
/// stderr (mpegvideo's "impossible bitrate constraints" for the SDK's leaky bucket,
/// wmav2's "bitrate too low" before the next backend takes the stream, rate-control
/// notes at 28.8 kbit/s); what matters reaches the caller as an HRESULT and message.
/// When the level is still FFmpeg's default (`AV_LOG_INFO`) it becomes `AV_LOG_QUIET`;
/// a host program that set a level of its own keeps it, and `WMWRITER_LIBAVCODEC_LOG=1`
/// leaves FFmpeg's default alone (for debugging).
fn quiet_info_messages(f: &Fns) {
    const AV_LOG_INFO: c_int = 32;
    const AV_LOG_QUIET: c_int = -8;
    if std::env::var("WMWRITER_LIBAVCODEC_LOG").is_ok_and(|v| v == "1") {
        return;
    }
    if let (Some(get), Some(set)) = (f.av_log_get_level, f.av_log_set_level) {
        // SAFETY: both take/return a plain int (libavutil's public prototypes).
        unsafe {
            if get() == AV_LOG_INFO {
                set(AV_LOG_QUIET);
            }
        }
    }
}

fn load_sws(major: u32, beside: Option<&Path>) -> Option<SwsFns> {
    let mut names = Vec::new();
    if let Some(dir) = beside.and_then(Path::parent) {
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let n = e.file_name().to_string_lossy().into_owned();
                if n.starts_with("libswscale") && (n.ends_with(&format!(".so.{major}")) || n.contains(&format!(".so.{major}."))) {
                    names.push(e.path().to_string_lossy().into_owned());
                }
            }
        }
    }
    names.push(format!("libswscale.so.{major}"));
    for n in names {
        // SAFETY: as for libavcodec: libswscale's constructors only set up its tables.
        let Ok(lib) = (unsafe { Library::new(&n) }) else { continue };
        let version: Result<unsafe extern "C" fn() -> u32, String> = sym(&lib, "swscale_version");
        let Ok(version) = version else { continue };
        // SAFETY: swscale_version takes nothing and returns an unsigned int.
        if unsafe { version() } >> 16 != major {
            continue;
        }
        let (Ok(a), Ok(b), Ok(c)) = (sym(&lib, "sws_getContext"), sym(&lib, "sws_scale"), sym(&lib, "sws_freeContext")) else {
            continue;
        };
        return Some(SwsFns { sws_get_context: a, sws_scale: b, sws_free_context: c, path: n, _lib: lib });
    }
    None
}

/// A C string for an option name or value (never contains NUL: all are ours).
pub fn cs(s: &str) -> CString {
    CString::new(s.replace('\0', "")).unwrap_or_default()
}

/// Write a `T` at `base + off`.
///
/// # Safety
/// `base + off .. + size_of::<T>()` must lie inside one live FFmpeg struct whose field
/// at `off` has type `T` (the offsets come from [`abi`]).
pub unsafe fn wr<T>(base: P, off: usize, v: T) {
    // SAFETY: guaranteed by the caller.
    unsafe { base.cast::<u8>().add(off).cast::<T>().write_unaligned(v) }
}

/// Read a `T` at `base + off`.
///
/// # Safety
/// As for [`wr`].
pub unsafe fn rd<T: Copy>(base: *const c_void, off: usize) -> T {
    // SAFETY: guaranteed by the caller.
    unsafe { base.cast::<u8>().add(off).cast::<T>().read_unaligned() }
}

impl Lib {
    /// FFmpeg's message for an error code.
    pub fn err_text(&self, code: c_int) -> String {
        let mut buf = [0 as c_char; 128];
        // SAFETY: buf is writable for its length; av_strerror NUL-terminates within it.
        unsafe {
            (self.f.av_strerror)(code, buf.as_mut_ptr(), buf.len());
            CStr::from_ptr(buf.as_ptr()).to_string_lossy().into_owned()
        }
    }

    /// Whether libavcodec has an encoder of this name.
    pub fn has_encoder(&self, name: &str) -> bool {
        let n = cs(name);
        // SAFETY: n is a valid C string; the function only looks the name up.
        !unsafe { (self.f.avcodec_find_encoder_by_name)(n.as_ptr()) }.is_null()
    }

    /// Set a fresh AVFrame's channel layout to FFmpeg's default for `n` channels.
    ///
    /// # Safety
    /// `frame` must be a live AVFrame of this library.
    pub unsafe fn set_frame_channels(&self, frame: P, n: c_int) -> Result<(), String> {
        match (self.layout.frame_channels, self.f.av_channel_layout_default, self.f.av_get_default_channel_layout) {
            // SAFETY: the offset is this major's `AVChannelLayout ch_layout` (see abi).
            (abi::FrameChannels::Layout(off), Some(f), _) => unsafe { f(frame.cast::<u8>().add(off).cast(), n) },
            (abi::FrameChannels::Old { mask, count }, _, Some(f)) => {
                // SAFETY: the offsets are this major's `uint64_t channel_layout` and
                // `int channels` (see abi).
                unsafe {
                    wr::<i64>(frame, mask, f(n));
                    wr::<c_int>(frame, count, n);
                }
            }
            _ => return Err("its libavutil lacks the channel layout function its major should have".into()),
        }
        Ok(())
    }

    /// The run-time checks of the offset table: the AVOption offset of `ar` agrees with
    /// `sample_fmt`'s place, a fresh AVFrame has `pts` = AV_NOPTS_VALUE at its offset,
    /// and a stereo FLTP frame whose `ch_layout` is set at its offset gets two planes.
    fn check_layout(&self) -> Result<(), String> {
        let l = self.layout;
        // SAFETY: a NULL codec gives a generic context (documented); every pointer used
        // below is checked for NULL, the offsets are inside the structs (see abi), and
        // each object is freed with its own free function.
        unsafe {
            let mut ctx = (self.f.avcodec_alloc_context3)(std::ptr::null());
            if ctx.is_null() {
                return Err("avcodec_alloc_context3 failed".into());
            }
            let name = cs("ar");
            let opt = (self.f.av_opt_find)(ctx, name.as_ptr(), std::ptr::null(), 0, 0);
            let ar_off = if opt.is_null() { None } else { Some(rd::<c_int>(opt, abi::OPTION_OFFSET) as usize) };
            let name = cs("bug");
            let opt = (self.f.av_opt_find)(ctx, name.as_ptr(), std::ptr::null(), 0, 0);
            let bug_off = if opt.is_null() { None } else { Some(rd::<c_int>(opt, abi::OPTION_OFFSET) as usize) };
            (self.f.avcodec_free_context)(&mut ctx);
            if ar_off.map(|o| o + l.sample_fmt_after_rate) != Some(l.ctx_sample_fmt) {
                return Err(format!(
                    "its AVCodecContext layout differs from this build's table for libavcodec {} (sample_rate option at {ar_off:?})",
                    l.lavc_major
                ));
            }
            if bug_off != Some(l.ctx_stats_out + 16) {
                return Err(format!(
                    "its AVCodecContext layout differs from this build's table for libavcodec {} (bug option at {bug_off:?})",
                    l.lavc_major
                ));
            }
            let mut fr = (self.f.av_frame_alloc)();
            if fr.is_null() {
                return Err("av_frame_alloc failed".into());
            }
            let pts_ok = rd::<i64>(fr, abi::FRAME_PTS) == abi::NOPTS;
            wr::<c_int>(fr, abi::FRAME_FORMAT, abi::SAMPLE_FMT_FLTP);
            wr::<c_int>(fr, abi::FRAME_NB_SAMPLES, 16);
            if let Err(e) = self.set_frame_channels(fr, 2) {
                (self.f.av_frame_free)(&mut fr);
                return Err(e);
            }
            let got = (self.f.av_frame_get_buffer)(fr, 0);
            let ext: *const *const u8 = rd(fr, abi::FRAME_EXTENDED_DATA);
            let planes_ok = got >= 0 && !ext.is_null() && !(*ext.add(1)).is_null();
            (self.f.av_frame_free)(&mut fr);
            if !pts_ok || !planes_ok {
                return Err(format!(
                    "its AVFrame layout differs from this build's table for libavutil {} (pts check {pts_ok}, ch_layout check {planes_ok})",
                    l.lavu_major
                ));
            }
        }
        Ok(())
    }
}
