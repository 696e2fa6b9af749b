//! Issue 6 evidence: header metadata written through the Rust API (`Writer` +
//! `AttrValue`), read back by readers that share no code with the library —
//! `c_tests/check_metadata.py` runs an ASF header walker written from the format
//! reference, Python's `mutagen.asf`, ffprobe/ffmpeg and exiftool on the file (the C
//! test `c_tests/test_header_info.c` runs the same script on the file it writes).
//!
//! The external tools are required when `WMWRITER_REQUIRE_TOOLS=1` (CI): a missing one
//! is a failure. Otherwise the script reports "skipped: no <tool>" and these tests
//! return after their in-process checks.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use wmwriter::buffer::SampleBuffer;
use wmwriter::error::ErrorKind;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, ProfileData, StreamConfigData};
use wmwriter::writer::metadata::{picture_bytes, CodecInfo};
use wmwriter::writer::{AttrType, AttrValue, Writer};

const MS: u64 = 10_000;
const SEC: u64 = 10_000_000;
/// 100 ms of 44.1 kHz stereo 16-bit PCM.
const CHUNK: usize = 4410 * 4;
const CHUNKS: u64 = 20;
/// The content duration the files get: 20 chunks of 100 ms.
const DURATION: u64 = CHUNKS * 100 * MS;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cover_jpg() -> PathBuf {
    root().join("c_tests/data/cover.jpg")
}

fn required() -> bool {
    std::env::var("WMWRITER_REQUIRE_TOOLS").map(|v| v == "1").unwrap_or(false)
}

/// A scratch directory removed at the end unless the test failed (kept for a look).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let d = std::env::temp_dir().join(format!("wmwriter-metadata-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Scratch(d)
    }
    fn path(&self, f: &str) -> PathBuf {
        self.0.join(f)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("files kept in {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

// ---------------------------------------------------------------------------------
// A little JSON for the checker's spec
// ---------------------------------------------------------------------------------

enum J {
    S(String),
    I(u64),
    B(bool),
    A(Vec<J>),
    O(Vec<(&'static str, J)>),
}

fn s(v: &str) -> J {
    J::S(v.to_string())
}

impl std::fmt::Display for J {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            J::S(v) => {
                f.write_str("\"")?;
                for c in v.chars() {
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
                        c => write!(f, "{c}")?,
                    }
                }
                f.write_str("\"")
            }
            J::I(v) => write!(f, "{v}"),
            J::B(v) => write!(f, "{v}"),
            J::A(v) => {
                f.write_str("[")?;
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{x}")?;
                }
                f.write_str("]")
            }
            J::O(v) => {
                f.write_str("{")?;
                for (i, (k, x)) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{}:{x}", J::S(k.to_string()))?;
                }
                f.write_str("}")
            }
        }
    }
}

/// One expected attribute for the checker.
fn attr(name: &str, ty: &str, value: J, stream: u16, language: u16, object: &str) -> J {
    J::O(vec![
        ("name", s(name)),
        ("type", s(ty)),
        ("value", value),
        ("stream", J::I(stream as u64)),
        ("language", J::I(language as u64)),
        ("object", s(object)),
    ])
}

fn hex(b: &[u8]) -> J {
    J::O(vec![("hex", J::S(b.iter().map(|x| format!("{x:02x}")).collect()))])
}

/// The checker's generated pattern: b[i] = (31 i + 7 (i >> 8) + seed) & 255.
fn gen(n: usize, seed: u64) -> Vec<u8> {
    (0..n as u64).map(|i| ((31 * i + 7 * (i >> 8) + seed) & 0xFF) as u8).collect()
}

fn picture_json(mime: &str, ty: u8, desc: &str, file: &Path, size: Option<(u64, u64)>) -> J {
    let mut p = vec![("mime", s(mime)), ("type", J::I(ty as u64)), ("description", s(desc)), ("file", s(file.to_str().unwrap()))];
    if let Some((w, h)) = size {
        p.push(("width", J::I(w)));
        p.push(("height", J::I(h)));
    }
    J::O(vec![("picture", J::O(p))])
}

/// Run `c_tests/check_metadata.py FILE -` with `spec` on stdin. Returns false when the
/// checker skipped a reader (a tool missing, not required); panics on a failure.
fn check_with_readers(file: &Path, spec: &J) -> bool {
    let script = root().join("c_tests/check_metadata.py");
    let child =
        Command::new("python3").arg(&script).arg(file).arg("-").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            assert!(!required(), "python3 cannot be run ({e}) but WMWRITER_REQUIRE_TOOLS=1");
            println!("skipped: no python3 ({e})");
            return false;
        }
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(spec.to_string().as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{text}");
    match out.status.code() {
        Some(0) => true,
        Some(77) => {
            println!("skipped: a reader is missing (see above)");
            false
        }
        c => panic!("check_metadata.py found problems in {} (exit {c:?}):\n{text}", file.display()),
    }
}

// ---------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------

/// One PCM stream (number 1, 44.1 kHz stereo 16-bit) with language `lang`.
fn profile(lang: &str) -> ProfileData {
    let mut p = ProfileData::new(0x0009_0000);
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    a.media_type = Some(MediaType::pcm(2, 44100, 16));
    a.bitrate = 44100 * 4 * 8;
    a.connection_name = "Audio".into();
    a.language = lang.into();
    p.add_stream(a).unwrap();
    p
}

/// Write 2 s of PCM (20 chunks of 100 ms) and finish the file.
fn write_audio(w: &mut Writer, path: &Path) {
    w.set_output_filename(path.to_str().unwrap()).unwrap();
    w.begin_writing().unwrap();
    for i in 0..CHUNKS {
        let data: Vec<u8> = (0..CHUNK).map(|k| ((k as u64 * 7 + i * 13) % 251) as u8).collect();
        let b: Arc<SampleBuffer> = w.allocate_sample(CHUNK as u32).unwrap();
        b.copy_from(&data).unwrap();
        w.write_sample(0, i * 100 * MS, 0, &b).unwrap();
    }
    w.end_writing().unwrap();
}

fn st(v: &str) -> AttrValue {
    AttrValue::String(v.into())
}

fn raw(t: AttrType, b: &[u8]) -> AttrValue {
    AttrValue::Raw(t, b.to_vec())
}

const TITLE: &str = "Ünïcødé ✓ 日本";

/// Issue 6 "done when": the full tag set, a 100 KiB binary, a per-stream
/// language-tagged attribute, a JPEG WM/Picture, 3 markers and 2 script commands.
#[test]
fn metadata_file_reads_back_in_independent_readers() {
    let dir = Scratch::new("full");
    let file = dir.path("tags.wma");
    let jpeg = std::fs::read(cover_jpg()).expect("c_tests/data/cover.jpg");
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "cover.jpg is a JPEG");
    let blob = gen(100 * 1024, 5);

    let mut w = Writer::new();
    w.set_profile(&profile("de-de")).unwrap();
    w.set_attribute(0, "Title", st(TITLE)).unwrap();
    w.set_attribute(0, "Author", st("The Author")).unwrap();
    w.set_attribute(0, "Copyright", st("(c) 2026 wmwriter")).unwrap();
    w.set_attribute(0, "Description", st("Issue 6 tag test 🎵")).unwrap();
    w.set_attribute(0, "Rating", st("PG")).unwrap();
    w.set_attribute(0, "WM/AlbumTitle", st("The Album")).unwrap();
    w.set_attribute(0, "WM/AlbumArtist", st("The Album Artist")).unwrap();
    w.set_attribute(0, "WM/Genre", st("Test Tones")).unwrap();
    w.set_attribute(0, "WM/Year", st("2026")).unwrap();
    w.set_attribute(0, "WM/TrackNumber", raw(AttrType::Dword, &7u32.to_le_bytes())).unwrap();
    assert_eq!(w.add_attribute(0, "BigBlob", 0, raw(AttrType::Binary, &blob)).unwrap(), 10);
    assert_eq!(w.add_attribute(1, "StreamNote", 1, st("auf Deutsch ✓")).unwrap(), 0);
    w.set_attribute(0, "WM/Picture", raw(AttrType::Binary, &picture_bytes("image/jpeg", 3, "Front cover ✓", &jpeg))).unwrap();
    w.add_marker("Intro", 0).unwrap();
    w.add_marker("Verse ✓", 500 * MS).unwrap();
    w.add_marker("Outro", 1500 * MS).unwrap();
    w.add_script("URL", "http://example.com/wmwriter", 250 * MS).unwrap();
    w.add_script("TEXT", "hello ✓", SEC).unwrap();
    assert_eq!(w.attribute_count(0).unwrap(), 12);
    assert_eq!(w.attribute_count(1).unwrap(), 1);
    assert_eq!(w.marker_count().unwrap(), 3);
    assert_eq!(w.script_count().unwrap(), 2);

    // Coded attributes: read-only at file level, with the SDK's code.
    for name in ["Duration", "Bitrate", "Seekable", "HasAudio", "Is_Protected", "FileSize"] {
        let e = w.set_attribute(0, name, raw(AttrType::Qword, &[0; 8])).unwrap_err();
        assert_eq!(e.kind, ErrorKind::AttributeReadOnly, "set_attribute(0, {name})");
        let e = w.add_attribute(0, name, 0, raw(AttrType::Qword, &[0; 8])).unwrap_err();
        assert_eq!(e.kind, ErrorKind::AttributeReadOnly, "add_attribute(0, {name})");
    }
    assert_eq!(w.set_attribute(0, "Duration", raw(AttrType::Qword, &123u64.to_le_bytes())).unwrap_err().kind, ErrorKind::AttributeReadOnly);
    // Before any file: the profile's facts.
    assert_eq!(w.attribute_by_name(0, "HasAudio").unwrap(), raw(AttrType::Bool, &1u32.to_le_bytes()));
    assert_eq!(w.attribute_by_name(0, "HasVideo").unwrap(), raw(AttrType::Bool, &0u32.to_le_bytes()));
    assert_eq!(w.attribute_by_name(0, "Bitrate").unwrap(), raw(AttrType::Dword, &(44100u32 * 32).to_le_bytes()));
    assert_eq!(w.attribute_by_name(0, "Nope").unwrap_err().kind, ErrorKind::NotFound);

    write_audio(&mut w, &file);

    // After end_writing: the true values of the file just written.
    assert_eq!(w.attribute_by_name(0, "Duration").unwrap(), raw(AttrType::Qword, &DURATION.to_le_bytes()), "Duration");
    assert_eq!(w.attribute_by_name(0, "Seekable").unwrap(), raw(AttrType::Bool, &1u32.to_le_bytes()), "Seekable");
    assert_eq!(w.attribute_by_name(0, "HasAudio").unwrap(), raw(AttrType::Bool, &1u32.to_le_bytes()), "HasAudio");
    assert_eq!(w.attribute_by_name(0, "Broadcast").unwrap(), raw(AttrType::Bool, &0u32.to_le_bytes()), "Broadcast");
    let size = std::fs::metadata(&file).unwrap().len();
    assert_eq!(w.attribute_by_name(0, "FileSize").unwrap(), raw(AttrType::Qword, &size.to_le_bytes()), "FileSize");
    // The stored attributes survive end_writing unchanged.
    assert_eq!(w.attribute_by_name(0, "Title").unwrap(), st(TITLE));
    assert_eq!(w.attribute_by_name(1, "StreamNote").unwrap(), st("auf Deutsch ✓"));

    let cover = cover_jpg();
    let spec = J::O(vec![
        (
            "attributes",
            J::A(vec![
                attr("Title", "STRING", s(TITLE), 0, 0, "cd"),
                attr("Author", "STRING", s("The Author"), 0, 0, "cd"),
                attr("Copyright", "STRING", s("(c) 2026 wmwriter"), 0, 0, "cd"),
                attr("Description", "STRING", s("Issue 6 tag test 🎵"), 0, 0, "cd"),
                attr("Rating", "STRING", s("PG"), 0, 0, "cd"),
                attr("WM/AlbumTitle", "STRING", s("The Album"), 0, 0, "ecd"),
                attr("WM/AlbumArtist", "STRING", s("The Album Artist"), 0, 0, "ecd"),
                attr("WM/Genre", "STRING", s("Test Tones"), 0, 0, "ecd"),
                attr("WM/Year", "STRING", s("2026"), 0, 0, "ecd"),
                attr("WM/TrackNumber", "DWORD", J::I(7), 0, 0, "ecd"),
                attr("BigBlob", "BINARY", J::O(vec![("gen", J::I(100 * 1024)), ("seed", J::I(5))]), 0, 0, "library"),
                attr("StreamNote", "STRING", s("auf Deutsch ✓"), 1, 1, "library"),
                attr("WM/Picture", "BINARY", picture_json("image/jpeg", 3, "Front cover ✓", &cover, Some((64, 64))), 0, 0, "ecd"),
            ]),
        ),
        ("languages", J::A(vec![s("en-us"), s("de-de")])),
        (
            "markers",
            J::A(vec![
                J::O(vec![("name", s("Intro")), ("time", J::I(0))]),
                J::O(vec![("name", s("Verse ✓")), ("time", J::I(500 * MS))]),
                J::O(vec![("name", s("Outro")), ("time", J::I(1500 * MS))]),
            ]),
        ),
        (
            "scripts",
            J::A(vec![
                J::O(vec![("type", s("URL")), ("command", s("http://example.com/wmwriter")), ("time", J::I(250 * MS))]),
                J::O(vec![("type", s("TEXT")), ("command", s("hello ✓")), ("time", J::I(SEC))]),
            ]),
        ),
        ("duration", J::I(DURATION)),
        ("ffprobe_audio_tags", J::O(vec![("language", s("ger"))])),
        (
            "ffprobe_tags",
            J::O(vec![
                ("title", s(TITLE)),
                ("artist", s("The Author")),
                ("copyright", s("(c) 2026 wmwriter")),
                ("comment", s("Issue 6 tag test 🎵")),
                ("album", s("The Album")),
                ("album_artist", s("The Album Artist")),
                ("genre", s("Test Tones")),
                ("WM/Year", s("2026")),
                ("track", s("7")),
            ]),
        ),
        (
            "exiftool",
            J::O(vec![
                ("Title", s(TITLE)),
                ("Author", s("The Author")),
                ("Copyright", s("(c) 2026 wmwriter")),
                ("Description", s("Issue 6 tag test 🎵")),
                ("Rating", s("PG")),
                ("AlbumTitle", s("The Album")),
                ("AlbumArtist", s("The Album Artist")),
                ("Genre", s("Test Tones")),
                ("Year", s("2026")),
                ("TrackNumber", s("7")),
                ("PictureType", s("Front Cover")),
                ("PictureMIMEType", s("image/jpeg")),
                ("PictureDescription", s("Front cover ✓")),
            ]),
        ),
    ]);
    check_with_readers(&file, &spec);
}

/// The placement rules at their edges: a second Title (Extended Content Description),
/// a Title in another language and a GUID (Metadata Library), a per-stream BOOL/WORD
/// (Metadata, BOOL as 2 bytes), a WM/Picture over 64 KiB (Library), every numeric type
/// at file level, an empty string, a coded name on a stream (plain metadata there),
/// duplicates through add_attribute, and set_attribute replacing them all.
#[test]
fn placement_rules_reach_the_file() {
    let dir = Scratch::new("placement");
    let file = dir.path("placement.wma");
    let big_pic_data = gen(70 * 1024, 9);
    let big_pic_file = dir.path("big_picture.bin");
    std::fs::write(&big_pic_file, &big_pic_data).unwrap();
    let guid: [u8; 16] = [0xBC, 0x7D, 0x60, 0xD1, 0x23, 0xE3, 0xE2, 0x4B, 0x86, 0xA1, 0x48, 0xA4, 0x2A, 0x28, 0x44, 0x1E];

    let mut w = Writer::new();
    w.set_profile(&profile("fr-ca")).unwrap();
    w.set_attribute(0, "Title", st("first")).unwrap();
    assert_eq!(w.add_attribute(0, "Title", 0, st("second")).unwrap(), 1);
    assert_eq!(w.add_attribute(0, "Title", 1, st("titre")).unwrap(), 2);
    assert_eq!(w.attribute_indices(0, "Title", None).unwrap(), vec![0, 1, 2]);
    assert_eq!(w.attribute_indices(0, "Title", Some(1)).unwrap(), vec![2]);
    w.add_attribute(0, "WM/MediaClassPrimaryID", 0, raw(AttrType::Guid, &guid)).unwrap();
    w.set_attribute(0, "Custom/Word", raw(AttrType::Word, &0xBEEFu16.to_le_bytes())).unwrap();
    w.set_attribute(0, "Custom/Qword", raw(AttrType::Qword, &0x0123_4567_89AB_CDEFu64.to_le_bytes())).unwrap();
    w.set_attribute(0, "Custom/Bool", raw(AttrType::Bool, &1u32.to_le_bytes())).unwrap();
    w.set_attribute(0, "Custom/Empty", st("")).unwrap();
    w.set_attribute(0, "Custom/Multi", st("a")).unwrap();
    w.add_attribute(0, "Custom/Multi", 0, st("b")).unwrap();
    w.add_attribute(0, "Custom/Multi", 0, st("c")).unwrap();
    assert_eq!(w.attribute_indices(0, "Custom/Multi", None).unwrap().len(), 3);
    w.set_attribute(0, "Custom/Multi", st("only")).unwrap(); // replaces all three
    assert_eq!(w.attribute_indices(0, "Custom/Multi", None).unwrap().len(), 1);
    w.add_attribute(0, "WM/Picture", 0, raw(AttrType::Binary, &picture_bytes("image/png", 4, "back", &big_pic_data))).unwrap();
    w.set_attribute(1, "Custom/StreamBool", raw(AttrType::Bool, &1u32.to_le_bytes())).unwrap();
    w.set_attribute(1, "Custom/StreamWord", raw(AttrType::Word, &42u16.to_le_bytes())).unwrap();
    w.set_attribute(1, "Duration", raw(AttrType::Qword, &5u64.to_le_bytes())).unwrap(); // not coded on a stream
    w.add_attribute(1, "Custom/StreamGuid", 0, raw(AttrType::Guid, &guid)).unwrap();
    // Script commands added out of order, one type used twice (listed once).
    w.add_script("URL", "http://example.com/b", 2 * SEC).unwrap();
    w.add_script("TEXT", "🎵 caption", SEC).unwrap();
    w.add_script("URL", "http://example.com/a", 500 * MS).unwrap();
    // A marker at the very start and two at the same time (kept in insertion order).
    w.add_marker("same time 1", SEC).unwrap();
    w.add_marker("start", 0).unwrap();
    w.add_marker("same time 2", SEC).unwrap();
    // GUIDs only through add_attribute (IWMHeaderInfo3), as in the SDK.
    assert_eq!(w.set_attribute(0, "Custom/G", raw(AttrType::Guid, &guid)).unwrap_err().kind, ErrorKind::InvalidArg);
    // Well-known names keep their type.
    assert_eq!(w.set_attribute(0, "WM/AlbumTitle", raw(AttrType::Dword, &[0; 4])).unwrap_err().kind, ErrorKind::InvalidArg);
    // Streams and languages must exist.
    assert_eq!(w.set_attribute(2, "X", st("x")).unwrap_err().kind, ErrorKind::InvalidRequest);
    assert_eq!(w.add_attribute(0, "X", 2, st("x")).unwrap_err().kind, ErrorKind::InvalidArg);

    write_audio(&mut w, &file);

    let spec = J::O(vec![
        (
            "attributes",
            J::A(vec![
                attr("Title", "STRING", s("first"), 0, 0, "cd"),
                attr("Title", "STRING", s("second"), 0, 0, "ecd"),
                attr("Title", "STRING", s("titre"), 0, 1, "library"),
                attr("WM/MediaClassPrimaryID", "GUID", hex(&guid), 0, 0, "library"),
                attr("Custom/Word", "WORD", J::I(0xBEEF), 0, 0, "ecd"),
                attr("Custom/Qword", "QWORD", J::I(0x0123_4567_89AB_CDEF), 0, 0, "ecd"),
                attr("Custom/Bool", "BOOL", J::B(true), 0, 0, "ecd"),
                attr("Custom/Empty", "STRING", s(""), 0, 0, "ecd"),
                attr("Custom/Multi", "STRING", s("only"), 0, 0, "ecd"),
                attr("WM/Picture", "BINARY", picture_json("image/png", 4, "back", &big_pic_file, None), 0, 0, "library"),
                attr("Custom/StreamBool", "BOOL", J::B(true), 1, 0, "metadata"),
                attr("Custom/StreamWord", "WORD", J::I(42), 1, 0, "metadata"),
                attr("Duration", "QWORD", J::I(5), 1, 0, "metadata"),
                attr("Custom/StreamGuid", "GUID", hex(&guid), 1, 0, "library"),
            ]),
        ),
        ("languages", J::A(vec![s("en-us"), s("fr-ca")])),
        (
            "scripts",
            J::A(vec![
                J::O(vec![("type", s("URL")), ("command", s("http://example.com/a")), ("time", J::I(500 * MS))]),
                J::O(vec![("type", s("TEXT")), ("command", s("🎵 caption")), ("time", J::I(SEC))]),
                J::O(vec![("type", s("URL")), ("command", s("http://example.com/b")), ("time", J::I(2 * SEC))]),
            ]),
        ),
        (
            "markers",
            J::A(vec![
                J::O(vec![("name", s("start")), ("time", J::I(0))]),
                J::O(vec![("name", s("same time 1")), ("time", J::I(SEC))]),
                J::O(vec![("name", s("same time 2")), ("time", J::I(SEC))]),
            ]),
        ),
        ("duration", J::I(DURATION)),
        // No ffprobe tags here: FFmpeg's dictionary is case-insensitive, so the second
        // "Title" (ECD) replaces the first (CD) as its "title", and it reads QWORDs
        // through an int; ffprobe only has to open the file without a warning.
        ("readers", J::A(vec![s("walker"), s("mutagen"), s("ffprobe"), s("ffmpeg")])),
    ]);
    check_with_readers(&file, &spec);
}

/// A writer with no metadata writes none of the metadata objects, and set_profile
/// clears what was set before.
#[test]
fn set_profile_clears_metadata() {
    let dir = Scratch::new("cleared");
    let file = dir.path("plain.wma");
    let mut w = Writer::new();
    w.set_profile(&profile("")).unwrap();
    w.set_attribute(0, "Title", st("gone")).unwrap();
    w.add_attribute(1, "StreamNote", 0, st("gone")).unwrap();
    w.add_marker("gone", 0).unwrap();
    w.add_script("URL", "gone", 0).unwrap();
    w.set_profile(&profile("")).unwrap();
    assert_eq!(w.attribute_count(0).unwrap(), 0);
    assert_eq!(w.attribute_count(1).unwrap(), 0);
    assert_eq!(w.marker_count().unwrap(), 0);
    assert_eq!(w.script_count().unwrap(), 0);
    write_audio(&mut w, &file);
    let spec = J::O(vec![
        ("attributes", J::A(vec![])),
        ("markers", J::A(vec![])),
        ("scripts", J::A(vec![])),
        ("duration", J::I(DURATION)),
        ("readers", J::A(vec![s("walker"), s("mutagen")])),
    ]);
    check_with_readers(&file, &spec);
}

/// `IWMHeaderInfo3::AddCodecInfo` "adds codec information to a file ... in the file
/// header": the entries must reach the Codec List Object, with the ASF type codes
/// (WMT_CODECINFO_AUDIO 0 → 2, VIDEO 1 → 1, UNKNOWN → 0xFFFF).
#[test]
fn added_codec_info_reaches_the_codec_list() {
    let dir = Scratch::new("codecs");
    let file = dir.path("codecs.wma");
    let mut w = Writer::new();
    w.set_profile(&profile("")).unwrap();
    let entries = [
        (1u32, 1u64, "My Video Codec ✓", "copied stream", b"MYC1".to_vec()),
        (0, 2, "My Audio Codec", "", vec![0x61, 0x01]),
        (0xFFFF_FFFF, 0xFFFF, "Other", "something else", vec![]),
    ];
    for (kind, _, name, desc, info) in &entries {
        w.add_codec_info(CodecInfo { name: (*name).into(), description: (*desc).into(), kind: *kind, info: info.clone() }).unwrap();
    }
    assert_eq!(w.codec_infos().unwrap().len(), 4, "the PCM stream's entry + 3 added");
    write_audio(&mut w, &file);
    let spec = J::O(vec![
        (
            "codecs_include",
            J::A(
                entries
                    .iter()
                    .map(|(_, file_type, name, desc, info)| {
                        J::O(vec![
                            ("type", J::I(*file_type)),
                            ("name", s(name)),
                            ("description", s(desc)),
                            ("info", J::S(info.iter().map(|x| format!("{x:02x}")).collect())),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("readers", J::A(vec![s("walker")])),
    ]);
    check_with_readers(&file, &spec);
}

/// Reference §5: WM/StreamTypeInfo is "read-only, per stream only" (the SDK computes it
/// for each stream), unlike the file-level coded attributes that become plain metadata
/// on a stream.
#[test]
fn stream_type_info_is_read_only_on_streams() {
    let mut w = Writer::new();
    w.set_profile(&profile("")).unwrap();
    assert_eq!(
        w.set_attribute(1, "WM/StreamTypeInfo", raw(AttrType::Binary, &[1, 2, 3, 4])).unwrap_err().kind,
        ErrorKind::AttributeReadOnly
    );
    assert_eq!(
        w.add_attribute(1, "WM/StreamTypeInfo", 0, raw(AttrType::Binary, &[1, 2, 3, 4])).unwrap_err().kind,
        ErrorKind::AttributeReadOnly
    );
}
