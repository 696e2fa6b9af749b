//! The profile's stream-group objects in the written file, through the C ABI:
//! languages added with `IWMLanguageList` (`wm_profile_add_language_by_rfc1766_string`),
//! `IWMMutualExclusion2` names and records, `IWMBandwidthSharing` and
//! `IWMStreamPrioritization`. The library's reader reads every one back, the objects'
//! bytes equal layouts computed by hand from the ASF specification (1.20.03, sections
//! named at each vector), the streams' Language ID Index points into the Language List,
//! and FFmpeg reads the file without a message (and takes each stream's language from
//! the list).

mod common;

use std::ffi::{c_char, CStr};
use std::ptr::null_mut;
use std::sync::Arc;

use common::*;
use wmwriter::ffi::bandwidth_sharing::*;
use wmwriter::ffi::guids::*;
use wmwriter::ffi::hresult::*;
use wmwriter::ffi::language_list::*;
use wmwriter::ffi::mutual_exclusion::*;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::stream_prioritization::*;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, Profile, ProfileData, StreamConfigData};
use wmwriter::reader;

const MS: u64 = 10_000;

/// (object, streams, records, name, record names) as the reader saw a mutual exclusion.
type MutexSeen<'a> = (&'a str, Vec<u16>, Vec<Vec<u16>>, &'a str, Vec<&'a str>);

/// Object ID GUIDs as stored (ASF 1.20.03 §10.1 / the reference's GUID table).
const GROUP_ME_ID: [u8; 16] = [0x40, 0x5A, 0x46, 0xD1, 0x79, 0x5A, 0x38, 0x43, 0xB7, 0x1B, 0xE3, 0x6B, 0x8F, 0xD6, 0xC2, 0x49];
const ADVANCED_ME_ID: [u8; 16] = [0xCF, 0x49, 0x86, 0xA0, 0x75, 0x47, 0x70, 0x46, 0x8A, 0x16, 0x6E, 0x35, 0x35, 0x75, 0x66, 0xCD];
const BITRATE_ME_ID: [u8; 16] = [0xDC, 0x29, 0xE2, 0xD6, 0xDA, 0x35, 0xD1, 0x11, 0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE];
const PRIORITIZATION_ID: [u8; 16] = [0x5B, 0xD1, 0xFE, 0xD4, 0xD3, 0x88, 0x4F, 0x45, 0x81, 0xF0, 0xED, 0x5C, 0x45, 0x99, 0x9E, 0x24];
const BANDWIDTH_ID: [u8; 16] = [0xE6, 0x09, 0x96, 0xA6, 0x7B, 0x51, 0xD2, 0x11, 0xB6, 0xAF, 0x00, 0xC0, 0x4F, 0xD9, 0x08, 0xE9];
const LANGUAGE_LIST_ID: [u8; 16] = [0xA9, 0x46, 0x43, 0x7C, 0xE0, 0xEF, 0xFC, 0x4B, 0xB2, 0x29, 0x39, 0x3E, 0xDE, 0x41, 0x5C, 0x85];
/// ASF_Mutex_Bitrate = CLSID_WMMUTEX_Bitrate (§10.8).
const MUTEX_BITRATE: [u8; 16] = [0x01, 0x2A, 0xE2, 0xD6, 0xDA, 0x35, 0xD1, 0x11, 0x90, 0x34, 0x00, 0xA0, 0xC9, 0x03, 0x49, 0xBE];
/// ASF_Bandwidth_Sharing_Exclusive (§10.9).
const SHARING_EXCLUSIVE: [u8; 16] = [0xAA, 0x60, 0x60, 0xAF, 0x97, 0x51, 0xD2, 0x11, 0xB6, 0xAF, 0x00, 0xC0, 0x4F, 0xD9, 0x08, 0xE9];

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// UTF-16LE of an ASCII string with its NUL.
fn w(s: &str) -> Vec<u8> {
    s.bytes().chain([0]).flat_map(|b| [b, 0]).collect()
}

/// §4.8 Group Mutual Exclusion Object: ID, QWORD size 50 (24 + 16 + 2 + 2 × (2 + 2)),
/// Exclusion Type, WORD Record Count 2, records {WORD Stream Count 1; WORD 1} and
/// {1; 2}.
fn group_me_vector() -> Vec<u8> {
    cat(&[&GROUP_ME_ID, &[50, 0, 0, 0, 0, 0, 0, 0], &MUTEX_BITRATE, &[2, 0], &[1, 0, 1, 0], &[1, 0, 2, 0]])
}

/// §4.7 Advanced Mutual Exclusion Object: ID, size 46 (24 + 16 + 2 + 2 × 2), Exclusion
/// Type, WORD Stream Numbers Count 2, streams 1 and 3.
fn advanced_me_vector() -> Vec<u8> {
    cat(&[&ADVANCED_ME_ID, &[46, 0, 0, 0, 0, 0, 0, 0], &MUTEX_BITRATE, &[2, 0], &[1, 0, 3, 0]])
}

/// §3.8 Bitrate Mutual Exclusion Object (header level): ID, size 46, Exclusion Type,
/// WORD Stream Numbers Count 2, streams 2 and 3.
fn bitrate_me_vector() -> Vec<u8> {
    cat(&[&BITRATE_ME_ID, &[46, 0, 0, 0, 0, 0, 0, 0], &MUTEX_BITRATE, &[2, 0], &[2, 0, 3, 0]])
}

/// §4.9 Stream Prioritization Object: ID, size 38 (24 + 2 + 3 × 4), WORD Priority
/// Records Count 3, records {WORD Stream Number; WORD Priority Flags, bit 0 mandatory}:
/// (3, mandatory), (1, 0), (2, 0).
fn prioritization_vector() -> Vec<u8> {
    cat(&[&PRIORITIZATION_ID, &[38, 0, 0, 0, 0, 0, 0, 0], &[3, 0], &[3, 0, 1, 0], &[1, 0, 0, 0], &[2, 0, 0, 0]])
}

/// §4.10 Bandwidth Sharing Object: ID, size 54 (24 + 16 + 4 + 4 + 2 + 2 × 2), Sharing
/// Type Exclusive, DWORD Data Bitrate 256000 (0x0003E800), DWORD Buffer Size 3000 ms
/// (0x0BB8), WORD Stream Numbers Count 2, streams 1 and 2.
fn bandwidth_vector() -> Vec<u8> {
    cat(&[
        &BANDWIDTH_ID,
        &[54, 0, 0, 0, 0, 0, 0, 0],
        &SHARING_EXCLUSIVE,
        &[0x00, 0xE8, 0x03, 0x00],
        &[0xB8, 0x0B, 0, 0],
        &[2, 0],
        &[1, 0, 2, 0],
    ])
}

/// §4.6 Language List Object: ID, size 65 (24 + 2 + 3 × (1 + 12)), WORD Language ID
/// Records Count 3, records {BYTE Language ID Length 12 (bytes incl. NUL); WCHAR tag}.
fn language_list_vector() -> Vec<u8> {
    cat(&[&LANGUAGE_LIST_ID, &[65, 0, 0, 0, 0, 0, 0, 0], &[3, 0], &[12], &w("en-us"), &[12], &w("fr-fr"), &[12], &w("de-de")])
}

/// wmwriter's mutual-exclusion names object (not in the specification; layout in
/// `asf::metadata::MutexNamesObject`): WORD Entry Count 2; entry 1: WORD 20, "Languages",
/// WORD 2 record names: (WORD 14, "French"), (WORD 14, "German"); entry 2: WORD 8, "Alt",
/// WORD 0. Size 24 + 2 + (2 + 20 + 2 + 16 + 16) + (2 + 8 + 2) = 94.
fn names_vector() -> Vec<u8> {
    let id = wmwriter::asf::guids::WMWRITER_MUTEX_NAMES.to_bytes();
    cat(&[
        &id,
        &[94, 0, 0, 0, 0, 0, 0, 0],
        &[2, 0],
        &[20, 0],
        &w("Languages"),
        &[2, 0],
        &[14, 0],
        &w("French"),
        &[14, 0],
        &w("German"),
        &[8, 0],
        &w("Alt"),
        &[0, 0],
    ])
}

fn msg() -> String {
    // SAFETY: the library's thread-local message, always a valid C string.
    unsafe { CStr::from_ptr(wmwriter::ffi::hresult::wm_get_last_error_message()) }.to_string_lossy().into_owned()
}

fn c(s: &str) -> std::ffi::CString {
    std::ffi::CString::new(s).unwrap()
}

/// Three PCM streams: 1 "fr-fr", 2 "de-de", 3 no language.
fn base_profile() -> ProfileData {
    let mut p = ProfileData::new(0x0009_0000);
    for (n, lang) in [(1u16, "fr-fr"), (2, "de-de"), (3, "")] {
        let mut s = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, n);
        s.media_type = Some(MediaType::pcm(1, 8000, 16));
        s.bitrate = 128_000;
        // One input feeding all three (bit-rate exclusions need one connection name);
        // the samples go to each stream with write_stream_sample.
        s.connection_name = "Audio".into();
        s.language = lang.into();
        p.add_stream(s).unwrap();
    }
    p
}

unsafe fn language_list_calls(p: *mut Profile) {
    let mut idx = 99u16;
    for (tag, want) in [("en-us", 0u16), ("fr-fr", 1), ("de-de", 2), ("FR-FR", 1)] {
        assert_eq!(wm_profile_add_language_by_rfc1766_string(p, c(tag).as_ptr(), &mut idx), S_OK, "{}", msg());
        assert_eq!(idx, want, "index of {tag}");
    }
    let mut n = 0u16;
    assert_eq!(wm_profile_get_language_count(p, &mut n), S_OK);
    assert_eq!(n, 3);
    let mut len = 0u16;
    assert_eq!(wm_profile_get_language_details(p, 1, null_mut(), &mut len), S_OK);
    assert_eq!(len, 6, "\"fr-fr\" and its NUL");
    let mut buf = [0 as c_char; 6];
    assert_eq!(wm_profile_get_language_details(p, 1, buf.as_mut_ptr(), &mut len), S_OK);
    assert_eq!(CStr::from_bytes_until_nul(&buf.map(|b| b as u8)).unwrap().to_str().unwrap(), "fr-fr");
    let mut small = [0 as c_char; 3];
    let mut len = 3u16;
    assert_eq!(wm_profile_get_language_details(p, 1, small.as_mut_ptr(), &mut len), ASF_E_BUFFERTOOSMALL);
    assert_eq!(len, 6);
    // Bad index, NULLs, bad tags.
    let mut len = 10u16;
    assert_eq!(wm_profile_get_language_details(p, 3, null_mut(), &mut len), E_INVALIDARG);
    assert_eq!(len, 0);
    assert_eq!(wm_profile_get_language_details(p, 0, null_mut(), null_mut()), E_INVALIDARG);
    assert_eq!(wm_profile_get_language_details(null_mut(), 0, null_mut(), &mut len), E_POINTER);
    assert_eq!(wm_profile_get_language_count(p, null_mut()), E_INVALIDARG);
    let mut n = 5u16;
    assert_eq!(wm_profile_get_language_count(null_mut(), &mut n), E_POINTER);
    assert_eq!(n, 0);
    let mut idx = 7u16;
    assert_eq!(wm_profile_add_language_by_rfc1766_string(p, c("not a tag").as_ptr(), &mut idx), E_INVALIDARG);
    assert_eq!(idx, 0);
    assert_eq!(wm_profile_add_language_by_rfc1766_string(p, c("").as_ptr(), &mut idx), E_INVALIDARG);
    assert_eq!(wm_profile_add_language_by_rfc1766_string(p, std::ptr::null(), &mut idx), E_INVALIDARG);
    assert_eq!(wm_profile_add_language_by_rfc1766_string(p, c("it-it").as_ptr(), null_mut()), E_INVALIDARG);
    assert_eq!(wm_profile_add_language_by_rfc1766_string(null_mut(), c("it-it").as_ptr(), &mut idx), E_POINTER);
    let mut n = 0u16;
    assert_eq!(wm_profile_get_language_count(p, &mut n), S_OK);
    assert_eq!(n, 3, "failed calls add nothing");
}

unsafe fn group_calls(p: *mut Profile) {
    // Mutex A: named, two named records → Group Mutual Exclusion + names.
    let mut m = null_mut();
    assert_eq!(wm_profile_create_new_mutual_exclusion(p, &mut m), S_OK);
    assert_eq!(wm_mutual_exclusion_set_type(m, &CLSID_WMMUTEX_Bitrate), S_OK);
    assert_eq!(wm_mutual_exclusion_set_name(m, c("Languages").as_ptr()), S_OK);
    for (r, (name, stream)) in [("French", 1u16), ("German", 2)].iter().enumerate() {
        assert_eq!(wm_mutual_exclusion_add_record(m), S_OK);
        assert_eq!(wm_mutual_exclusion_set_record_name(m, r as u16, c(name).as_ptr()), S_OK);
        assert_eq!(wm_mutual_exclusion_add_stream_for_record(m, r as u16, *stream), S_OK);
    }
    // A third record added and removed again, a stream added and removed again.
    assert_eq!(wm_mutual_exclusion_add_record(m), S_OK);
    assert_eq!(wm_mutual_exclusion_add_stream_for_record(m, 2, 3), S_OK);
    assert_eq!(wm_mutual_exclusion_remove_stream_for_record(m, 2, 3), S_OK);
    assert_eq!(wm_mutual_exclusion_remove_record(m, 2), S_OK);
    let mut n = 0u16;
    assert_eq!(wm_mutual_exclusion_get_record_count(m, &mut n), S_OK);
    assert_eq!(n, 2);
    let mut len = 0u16;
    assert_eq!(wm_mutual_exclusion_get_record_name(m, 1, null_mut(), &mut len), S_OK);
    assert_eq!(len, 7);
    let mut streams = [0u16; 4];
    let mut k = 4u16;
    assert_eq!(wm_mutual_exclusion_get_streams_for_record(m, 0, streams.as_mut_ptr(), &mut k), S_OK);
    assert_eq!(&streams[..k as usize], &[1]);
    let mut len = 0u16;
    assert_eq!(wm_mutual_exclusion_get_name(m, null_mut(), &mut len), S_OK);
    assert_eq!(len, 10);
    assert_eq!(wm_profile_add_mutual_exclusion(p, m), S_OK, "{}", msg());
    wm_mutual_exclusion_release(m);
    // Mutex B: named, no records → Advanced Mutual Exclusion.
    let mut m = null_mut();
    assert_eq!(wm_profile_create_new_mutual_exclusion(p, &mut m), S_OK);
    assert_eq!(wm_mutual_exclusion_set_type(m, &CLSID_WMMUTEX_Bitrate), S_OK);
    assert_eq!(wm_mutual_exclusion_set_name(m, c("Alt").as_ptr()), S_OK);
    assert_eq!(wm_mutual_exclusion_add_stream(m, 1), S_OK);
    assert_eq!(wm_mutual_exclusion_add_stream(m, 3), S_OK);
    assert_eq!(wm_profile_add_mutual_exclusion(p, m), S_OK, "{}", msg());
    wm_mutual_exclusion_release(m);
    // Mutex C: plain → Bitrate Mutual Exclusion (header level).
    let mut m = null_mut();
    assert_eq!(wm_profile_create_new_mutual_exclusion(p, &mut m), S_OK);
    assert_eq!(wm_mutual_exclusion_set_type(m, &CLSID_WMMUTEX_Bitrate), S_OK);
    assert_eq!(wm_mutual_exclusion_add_stream(m, 2), S_OK);
    assert_eq!(wm_mutual_exclusion_add_stream(m, 3), S_OK);
    assert_eq!(wm_profile_add_mutual_exclusion(p, m), S_OK, "{}", msg());
    wm_mutual_exclusion_release(m);

    let mut b = null_mut();
    assert_eq!(wm_profile_create_new_bandwidth_sharing(p, &mut b), S_OK);
    assert_eq!(wm_bandwidth_sharing_set_type(b, &CLSID_WMBandwidthSharing_Exclusive), S_OK);
    assert_eq!(wm_bandwidth_sharing_set_bandwidth(b, 256_000, 3000), S_OK);
    assert_eq!(wm_bandwidth_sharing_add_stream(b, 1), S_OK);
    assert_eq!(wm_bandwidth_sharing_add_stream(b, 2), S_OK);
    assert_eq!(wm_profile_add_bandwidth_sharing(p, b), S_OK, "{}", msg());
    wm_bandwidth_sharing_release(b);

    let mut sp = null_mut();
    assert_eq!(wm_profile_create_new_stream_prioritization(p, &mut sp), S_OK);
    let recs = [
        WM_STREAM_PRIORITY_RECORD { wStreamNumber: 3, fMandatory: 1 },
        WM_STREAM_PRIORITY_RECORD { wStreamNumber: 1, fMandatory: 0 },
        WM_STREAM_PRIORITY_RECORD { wStreamNumber: 2, fMandatory: 0 },
    ];
    assert_eq!(wm_stream_prioritization_set_priority_records(sp, recs.as_ptr(), 3), S_OK);
    assert_eq!(wm_profile_set_stream_prioritization(p, sp), S_OK, "{}", msg());
    wm_stream_prioritization_release(sp);
}

/// `hay` holds `needle` exactly once; its offset.
fn find_once(hay: &[u8], needle: &[u8], what: &str) -> usize {
    let hits: Vec<usize> = hay.windows(needle.len()).enumerate().filter(|(_, w)| *w == needle).map(|(i, _)| i).collect();
    assert_eq!(hits.len(), 1, "{what}: the hand-computed bytes occur {} times in the header", hits.len());
    hits[0]
}

#[test]
fn languages_mutual_exclusions_sharing_and_prioritization_read_back_with_the_specification_layout() {
    let p = Arc::into_raw(Arc::new(Profile::new(base_profile()))) as *mut Profile;
    // SAFETY: `p` is a live profile handle (an Arc's data pointer, as the C API hands out).
    let data = unsafe {
        language_list_calls(p);
        group_calls(p);
        let d = (*p).snapshot();
        assert_eq!(wm_profile_release(p), 0);
        d
    };

    let dir = TempDir::new("header-objects");
    let out = dir.path("groups.wma");
    let samples: Vec<Sample> = (0..20u64)
        .flat_map(|i| {
            (1..=3u16).map(move |s| Sample::Stream {
                stream: s,
                time: i * 100 * MS,
                duration: 100 * MS,
                flags: 0,
                data: noise(i * 3 + s as u64, 1600),
            })
        })
        .collect();
    write_file(&out, &data, &[0], &samples);
    let bytes = std::fs::read(&out).unwrap();

    // The library's reader.
    let f = reader::read(&bytes).unwrap();
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    assert_eq!(f.languages, ["en-us", "fr-fr", "de-de"]);
    let lang = |n: u16| f.ext_streams.iter().find(|e| e.stream == n).unwrap().language_index;
    assert_eq!((lang(1), lang(2), lang(3)), (1, 2, 0), "streams' Language ID Index into the Language List");
    let me: Vec<MutexSeen> = f
        .mutual_exclusions
        .iter()
        .map(|m| {
            assert_eq!(m.exclusion_type, sdk::CLSID_WMMUTEX_BITRATE);
            (m.object, m.streams.clone(), m.records.clone(), m.name.as_str(), m.record_names.iter().map(String::as_str).collect())
        })
        .collect();
    assert_eq!(
        me,
        vec![
            // File order: the Header Extension comes before the header-level object.
            ("Group Mutual Exclusion", vec![], vec![vec![1], vec![2]], "Languages", vec!["French", "German"]),
            ("Advanced Mutual Exclusion", vec![1, 3], vec![], "Alt", vec![]),
            ("Bitrate Mutual Exclusion", vec![2, 3], vec![], "", vec![]),
        ]
    );
    assert_eq!(f.stream_prioritization, Some(vec![(3, 1), (1, 0), (2, 0)]));
    assert_eq!(f.bandwidth_sharings.len(), 1);
    let b = &f.bandwidth_sharings[0];
    assert_eq!(
        (b.sharing_type, b.bitrate, b.buffer_ms, b.streams.clone()),
        (sdk::CLSID_WMBANDWIDTHSHARING_EXCLUSIVE, 256_000, 3000, vec![1, 2])
    );

    // The exact bytes, where the reader says each object is.
    let header = &bytes[..f.header_size as usize];
    let ext = f.objects.iter().find(|o| o.name == "Header Extension").unwrap();
    let at = |name: &str, kids: &[reader::Object]| -> Vec<u8> {
        let o = kids.iter().find(|o| o.name == name).unwrap_or_else(|| panic!("no {name} object"));
        bytes[o.offset as usize..(o.offset + o.size) as usize].to_vec()
    };
    assert_eq!(at("Bitrate Mutual Exclusion", &f.objects), bitrate_me_vector());
    assert_eq!(at("Group Mutual Exclusion", &ext.children), group_me_vector());
    assert_eq!(at("Advanced Mutual Exclusion", &ext.children), advanced_me_vector());
    assert_eq!(at("Stream Prioritization", &ext.children), prioritization_vector());
    assert_eq!(at("Bandwidth Sharing", &ext.children), bandwidth_vector());
    assert_eq!(at("Language List", &ext.children), language_list_vector());
    assert_eq!(at("wmwriter Mutual Exclusion Names", &ext.children), names_vector());
    // And each only once in the header.
    for (v, what) in
        [(group_me_vector(), "group"), (advanced_me_vector(), "advanced"), (names_vector(), "names"), (language_list_vector(), "languages")]
    {
        find_once(header, &v, what);
    }

    // FFmpeg: every packet of every stream, no message, languages from the list.
    if !have_tools(&["ffmpeg", "ffprobe"]) {
        return;
    }
    ffmpeg_clean(&["-guess_layout_max", "0", "-i", out.to_str().unwrap(), "-map", "0", "-f", "null", "-"]);
    let (streams, pkts) = ffprobe_packets(&out, false);
    assert_eq!(streams.arr().len(), 3);
    for si in 0..3 {
        assert_eq!(pkts.iter().filter(|p| p.stream_index == si).map(|p| p.size).sum::<usize>(), 20 * 1600, "stream {si}: bytes");
    }
    let langs: Vec<Option<String>> = streams.arr().iter().map(|s| s.get("tags").get("language").str().map(str::to_string)).collect();
    assert_eq!(
        langs,
        [Some("fre".to_string()), Some("ger".to_string()), Some("eng".to_string())],
        "FFmpeg's languages (ISO 639-2 of the list's tags)"
    );
}
