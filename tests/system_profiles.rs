//! The system profiles through the C ABI: every v4/v7/v8 profile loads by ID and by
//! index, has its SDK GUID, name, description and stream count, reports its GUID from
//! `get_profile_id`, and round-trips through save_profile → load_profile_by_data.
#![allow(clippy::undocumented_unsafe_blocks)]

use std::ffi::{c_char, CStr};

use wmwriter::ffi::guids::WMGuid;
use wmwriter::ffi::profile::*;
use wmwriter::ffi::profile_manager::*;
use wmwriter::profile::system::{of_version, SYSTEM_PROFILES};
use wmwriter::profile::{Profile, ProfileManager};

const E_INVALIDARG: i32 = 0x8007_0057_u32 as i32;

fn text(f: impl Fn(*mut c_char, *mut u32) -> i32) -> String {
    let mut n = 0u32;
    assert_eq!(f(std::ptr::null_mut(), &mut n), 0);
    let mut buf = vec![0u8; n as usize];
    assert_eq!(f(buf.as_mut_ptr().cast(), &mut n), 0);
    CStr::from_bytes_until_nul(&buf).unwrap().to_str().unwrap().to_string()
}

fn check(pm: *mut ProfileManager, p: *mut Profile, def: &wmwriter::profile::system::SystemProfileDef) {
    unsafe {
        assert_eq!(text(|b, n| wm_profile_get_name(p, b, n)), def.name);
        assert_eq!(text(|b, n| wm_profile_get_description(p, b, n)), def.description);
        let mut id = WMGuid::default();
        assert_eq!(wm_profile_get_profile_id(p, &mut id), 0);
        assert_eq!(format!("{:?}", id_str(&id)), format!("{:?}", def.guid.to_uppercase()));
        let mut count = 0;
        assert_eq!(wm_profile_get_stream_count(p, &mut count), 0);
        assert_eq!(count as usize, def.audio.is_some() as usize + def.video.len(), "{}", def.ident);
        let mut mx = 9;
        assert_eq!(wm_profile_get_mutual_exclusion_count(p, &mut mx), 0);
        assert_eq!(mx, def.is_mbr() as u32, "{}", def.ident);
        let mut v = 0;
        assert_eq!(wm_profile_get_version(p, &mut v), 0);
        assert_eq!(v, def.version);
        // save → load by data: the same profile, now a custom one (GUID_NULL).
        let xml = text(|b, n| wm_profile_manager_save_profile(pm, p, b, n));
        let c = std::ffi::CString::new(xml.clone()).unwrap();
        let mut q = std::ptr::null_mut();
        assert_eq!(wm_profile_manager_load_profile_by_data(pm, c.as_ptr(), &mut q), 0, "{}", def.ident);
        assert_eq!(text(|b, n| wm_profile_manager_save_profile(pm, q, b, n)), xml);
        let mut qid = WMGuid { Data1: 1, ..Default::default() };
        assert_eq!(wm_profile_get_profile_id(q, &mut qid), 0);
        assert_eq!(qid, WMGuid::default());
        wm_profile_release(q);
    }
}

fn id_str(g: &WMGuid) -> String {
    let d = g.Data4;
    format!(
        "{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}",
        g.Data1, g.Data2, g.Data3, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
    )
}

fn guid_of(s: &str) -> WMGuid {
    let h: String = s.chars().filter(|c| *c != '-').collect();
    let b = |i: usize| u8::from_str_radix(&h[i * 2..i * 2 + 2], 16).unwrap();
    let mut d4 = [0u8; 8];
    for (i, x) in d4.iter_mut().enumerate() {
        *x = b(8 + i);
    }
    WMGuid {
        Data1: u32::from_str_radix(&h[..8], 16).unwrap(),
        Data2: u16::from_str_radix(&h[8..12], 16).unwrap(),
        Data3: u16::from_str_radix(&h[12..16], 16).unwrap(),
        Data4: d4,
    }
}

#[test]
fn every_system_profile_by_index_and_by_id() {
    unsafe {
        let mut pm = std::ptr::null_mut();
        assert_eq!(wm_create_profile_manager(&mut pm), 0);
        let mut n = 0;
        assert_eq!(wm_profile_manager_get_system_profile_count(pm, &mut n), 0);
        assert_eq!(n, 21, "the default version is 4.0");
        for (version, want) in [(WMT_VER_4_0, 21), (WMT_VER_7_0, 26), (WMT_VER_8_0, 27), (WMT_VER_9_0, 0)] {
            assert_eq!(wm_profile_manager_set_system_profile_version(pm, version), 0);
            assert_eq!(wm_profile_manager_get_system_profile_count(pm, &mut n), 0);
            assert_eq!(n, want);
            for (i, def) in of_version(version).enumerate() {
                let mut p = std::ptr::null_mut();
                assert_eq!(wm_profile_manager_load_system_profile(pm, i as u32, &mut p), 0);
                check(pm, p, def);
                wm_profile_release(p);
            }
            let mut p = 0xdead_beef_usize as *mut Profile;
            assert_eq!(wm_profile_manager_load_system_profile(pm, want, &mut p), E_INVALIDARG);
            assert!(p.is_null());
        }
        // By ID: any version, whatever the current one (9.0 here).
        for def in SYSTEM_PROFILES.iter() {
            let mut p = std::ptr::null_mut();
            let g = guid_of(def.guid);
            assert_eq!(wm_profile_manager_load_profile_by_id(pm, &g, &mut p), 0, "{}", def.ident);
            check(pm, p, def);
            wm_profile_release(p);
        }
        let mut p = 0xdead_beef_usize as *mut Profile;
        let bogus = WMGuid { Data1: 0x1234, ..Default::default() };
        assert_eq!(wm_profile_manager_load_profile_by_id(pm, &bogus, &mut p), E_INVALIDARG);
        assert!(p.is_null());
        // A custom profile has GUID_NULL.
        let mut e = std::ptr::null_mut();
        assert_eq!(wm_profile_manager_create_empty_profile(pm, WMT_VER_9_0, &mut e), 0);
        let mut id = WMGuid { Data1: 5, ..Default::default() };
        assert_eq!(wm_profile_get_profile_id(e, &mut id), 0);
        assert_eq!(id, WMGuid::default());
        wm_profile_release(e);
        // The exported statics are the table's GUIDs.
        assert_eq!(WMProfile_V80_256Video, guid_of("BBC75500-33D2-4466-B86B-122B201CC9AE"));
        let mut lang = 0;
        assert_eq!(wm_profile_manager_get_user_language_id(pm, &mut lang), 0);
        assert_eq!(lang, 0x409);
        assert_eq!(wm_profile_manager_set_user_language_id(pm, 0x407), 0);
        assert_eq!(wm_profile_manager_get_user_language_id(pm, &mut lang), 0);
        assert_eq!(lang, 0x407);
        wm_profile_manager_release(pm);
    }
}

/// Every system profile is accepted by the writer (set_profile and set_profile_by_id):
/// one input per connection name — audio first — so an MBR profile's video streams are
/// one input, as the SDK requires.
#[test]
fn the_writer_takes_every_system_profile() {
    use wmwriter::ffi::input_media_props::*;
    use wmwriter::ffi::writer::*;
    unsafe {
        let mut w = std::ptr::null_mut();
        assert_eq!(wm_create_writer(&mut w), 0);
        for def in SYSTEM_PROFILES.iter() {
            let g = guid_of(def.guid);
            assert_eq!(wm_writer_set_profile_by_id(w, &g), 0, "{}: {}", def.ident, last_error());
            let mut n = 0;
            assert_eq!(wm_writer_get_input_count(w, &mut n), 0);
            assert_eq!(n as usize, def.audio.is_some() as usize + (!def.video.is_empty()) as usize, "{}", def.ident);
            let mut props = std::ptr::null_mut();
            assert_eq!(wm_writer_get_input_props(w, 0, &mut props), 0);
            let mut t = WMGuid::default();
            assert_eq!(wm_input_media_props_get_type(props, &mut t), 0);
            let audio = WMGuid::of_str("73647561-0000-0010-8000-00AA00389B71");
            assert_eq!(t == audio, def.audio.is_some(), "{}", def.ident);
            wm_input_media_props_release(props);
        }
        let bogus = WMGuid { Data1: 77, ..Default::default() };
        assert_eq!(wm_writer_set_profile_by_id(w, &bogus), E_INVALIDARG);
        wm_writer_release(w);
    }
}

fn last_error() -> String {
    let p = wmwriter::ffi::hresult::wm_get_last_error_message();
    if p.is_null() {
        return String::new();
    }
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

trait OfStr {
    fn of_str(s: &str) -> WMGuid;
}
impl OfStr for WMGuid {
    fn of_str(s: &str) -> WMGuid {
        guid_of(s)
    }
}
